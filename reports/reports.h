/*
 * reports.h - monthly and annual reports (Markdown, HTML, CSV, JSON) and
 * their gnuplot charts.  This module is a frame so far: the writers arrive
 * with the reports work.
 */
#ifndef HL_REPORTS_H
#define HL_REPORTS_H

enum hl_reports_err { HL_REPORTS_OK, HL_REPORTS_EIO, HL_REPORTS_EPLOT };

/* Static text for an hl_reports_err; "unknown error" for anything else. */
const char *hl_reports_strerror(int err);

#endif
