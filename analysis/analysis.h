/*
 * analysis.h - the figures: on-time closure, satisfaction, rankings,
 * handling time, reopen rate, unit league tables.  This module is a frame
 * so far: the metrics arrive with the metrics work.
 */
#ifndef HL_ANALYSIS_H
#define HL_ANALYSIS_H

enum hl_analysis_err { HL_ANALYSIS_OK, HL_ANALYSIS_ESETTING };

/* Static text for an hl_analysis_err; "unknown error" for anything else. */
const char *hl_analysis_strerror(int err);

#endif
