/*
 * store.c - error texts of the store module.
 */
#include "store/store.h"

const char *
hl_store_strerror(int err)
{
	switch (err) {
	case HL_STORE_OK:
		return "success";
	case HL_STORE_EOPEN:
		return "cannot open database";
	case HL_STORE_ESCHEMA:
		return "database schema is not one this hotline knows";
	default:
		return "unknown error";
	}
}
