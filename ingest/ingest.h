/*
 * ingest.h - reading work-order exports (any header, any encoding) into the
 * store.  This module is a frame so far: the reader, mapping, validation
 * and writer arrive with the ingest work.
 */
#ifndef HL_INGEST_H
#define HL_INGEST_H

enum hl_ingest_err { HL_INGEST_OK, HL_INGEST_EPARSE, HL_INGEST_ESCHEMA };

/* Static text for an hl_ingest_err; "unknown error" for anything else. */
const char *hl_ingest_strerror(int err);

#endif
