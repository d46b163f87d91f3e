/*
 * migrate.h - private to store/ and its tests: the migration steps.
 *
 * Step k (k >= 1) turns a schema of version k into version k + 1, and
 * step 0 is schema.sql, the current schema, which takes an empty database
 * (version 0) straight to the current version.  Adding a schema version
 * means changing schema.sql, appending a step (a .sql file embedded like
 * schema.sql) and raising HL_STORE_SCHEMA_VERSION; a test then opens a
 * database of every older version.
 */
#ifndef HL_STORE_MIGRATE_H
#define HL_STORE_MIGRATE_H

#include "store/store.h"

/*
 * Brings the database from its user_version v up to version n by running
 * steps[v] .. steps[n - 1] (steps[0] makes version n, steps[k] version
 * k + 1), each with its user_version update in one transaction.  Returns
 * 0, or -1 with the error on st; a failed step leaves the database at the
 * version before it.
 */
int hl_store_migrate(struct hl_store *st, const char *const *steps, int n);

#endif
