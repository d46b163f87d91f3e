/*
 * sst.h - private to ingest/: an .xlsx's shared strings in bounded memory.
 *
 * A workbook's sheet names most of its text by number: string i of
 * xl/sharedStrings.xml, which can hold more text than the sheet itself.
 * One thread (the loader) adds the strings in order while another (the
 * sheet's reader) gets them by number, waiting for one not yet added.
 * They go to a temporary file, each as its length and its bytes; the first
 * SST_HOT bytes of that file (the strings a sheet repeats come first) are
 * also kept in memory, the rest is read through a few blocks, and every
 * 64th string's place is remembered: memory stays bounded whatever the
 * number of strings, and a sheet that meets its strings in order (as
 * exports do) reads each block once.
 */
#ifndef HL_INGEST_SST_H
#define HL_INGEST_SST_H

#include <stddef.h>

#include "util/util.h"

struct hl_sst;

/* A new, empty table; NULL when no temporary file can be made (errno). */
struct hl_sst *hl_sst_new(void);
void hl_sst_free(struct hl_sst *t);

/* The loader's: adds the next string (0; 1 when a stop is asked for; -1
 * with errno: the file cannot be written); then the strings are all
 * there, or the loading failed with error err (NULL: it did not). */
int hl_sst_add(struct hl_sst *t, const char *s, size_t n);
void hl_sst_end(struct hl_sst *t, const char *err);

/*
 * The reader's: string i appended to b, waited for while the loader has
 * not added it.  0; -1 there is no such string; -2 the loading failed
 * (hl_sst_error()) or the file could not be read.
 */
int hl_sst_get(struct hl_sst *t, unsigned long i, struct hl_buf *b);
const char *hl_sst_error(const struct hl_sst *t);
/* Asks the loader to stop (hl_sst_add()'s 1). */
void hl_sst_stop(struct hl_sst *t);

#endif
