/*
 * ingest.c - error texts of the ingest module.
 */
#include "ingest/ingest.h"

const char *
hl_ingest_strerror(int err)
{
	switch (err) {
	case HL_INGEST_OK:
		return "success";
	case HL_INGEST_EPARSE:
		return "malformed record";
	case HL_INGEST_ESCHEMA:
		return "required column missing";
	default:
		return "unknown error";
	}
}
