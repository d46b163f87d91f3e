/*
 * store.h - the SQLite database that holds tickets, ingest runs and
 * rejects.  This module is a frame so far: the schema, opening, migrating
 * and the pragmas arrive with the ingest work.  It has its error table now
 * so every module reports errors the same way from the start.
 */
#ifndef HL_STORE_H
#define HL_STORE_H

enum hl_store_err { HL_STORE_OK, HL_STORE_EOPEN, HL_STORE_ESCHEMA };

/* Static text for an hl_store_err; "unknown error" for anything else. */
const char *hl_store_strerror(int err);

#endif
