/*
 * analysis.c - error texts of the analysis module.
 */
#include "analysis/analysis.h"

const char *
hl_analysis_strerror(int err)
{
	switch (err) {
	case HL_ANALYSIS_OK:
		return "success";
	case HL_ANALYSIS_ESETTING:
		return "invalid setting";
	default:
		return "unknown error";
	}
}
