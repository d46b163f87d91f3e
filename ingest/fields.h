/*
 * fields.h - private to ingest/: the cells of docs/analyses.md's fields
 * that need more than a vocabulary: the caller's number, which is hashed
 * and never kept (SECURITY.md), and the ticket ID a repeat call quotes.
 */
#ifndef HL_INGEST_FIELDS_H
#define HL_INGEST_FIELDS_H

#include <stddef.h>

/*
 * The digits of a caller's number s[0..n) into out (room for n bytes, no
 * NUL): full-width digits read as digits, every other character (spaces,
 * dashes, brackets) dropped, and a leading +86 or 0086 (China's country
 * code) dropped, so that one number written several ways hashes alike.
 * Returns how many digits.
 */
size_t hl_caller_digits(const char *s, size_t n, char *out);

/*
 * The ticket ID that content s[0..n) quotes: after the first
 * 最近派发的工单编号, a colon (： or :), optional spaces (ASCII or
 * U+3000), then the run of ASCII letters, digits and '-'.  Its start, its
 * length in *len (OUT); NULL when there is none.  Borrowed from s.
 */
const char *hl_quoted_id(const char *s, size_t n, size_t *len);

/* Every digit of p[0..n) (ASCII, and full-width in UTF-8) made '*'. */
void hl_mask_digits(char *p, size_t n);

/*
 * Masks the digits of every occurrence of cell[0..len) in raw[0..rawlen).
 * Returns how many occurrences there were.
 */
size_t hl_mask_cell(char *raw, size_t rawlen, const char *cell, size_t len);

#endif
