/*
 * migrate.h - private to store/ and its tests: the migration steps.
 *
 * Step k turns a schema of version k-1 into version k; step 1 is
 * schema.sql itself, applied to an empty database.  Adding a schema
 * version means appending a step (a .sql file embedded like schema.sql)
 * and raising HL_STORE_SCHEMA_VERSION; a test then opens a database of
 * every older version.
 */
#ifndef HL_STORE_MIGRATE_H
#define HL_STORE_MIGRATE_H

#include "store/store.h"

/*
 * Brings the database from its user_version up to version n by running
 * steps[v] .. steps[n - 1] (steps[k] makes version k + 1), each with its
 * user_version update in one transaction.  Returns 0, or -1 with the
 * error on st; a failed step leaves the database at the version before it.
 */
int hl_store_migrate(struct hl_store *st, const char *const *steps, int n);

#endif
