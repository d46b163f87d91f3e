/*
 * reports.c - error texts of the reports module.
 */
#include "reports/reports.h"

const char *
hl_reports_strerror(int err)
{
	switch (err) {
	case HL_REPORTS_OK:
		return "success";
	case HL_REPORTS_EIO:
		return "cannot write report";
	case HL_REPORTS_EPLOT:
		return "gnuplot failed";
	default:
		return "unknown error";
	}
}
