/*
 * xls.c - an Excel 97-2003 workbook (.xls, BIFF) as a source of records
 * (source.h), read with libfreexl.
 *
 * libfreexl reads the workbook's cells itself (a BIFF sheet has at most
 * 65,536 rows and 256 columns, so what it holds is bounded) and gives
 * each cell as a number, a text or a date; dates come as "YYYY-MM-DD" or
 * "YYYY-MM-DD hh:mm:ss", the text a CSV export holds for them.  A
 * position is the sheet and the cell.
 */
#define _POSIX_C_SOURCE 200809L

#include <freexl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/source.h"

struct xls {
	FILE *f; /* borrowed: for the SHA-256 tap */
	char *name;
	const void *h;
	char *sheet;
	long nsheets;
	unsigned int rows, row;
	unsigned short cols;
	struct hl_buf cells, raw, msg;
	size_t *coff;
	char **field;
	size_t *len;
	int failed;
	char buf[65536];
};

/* The file's first error, kept for errmsg(); later ones are dropped. */
#define failf(x, ...)                                                          \
	hl_sheet_fail(&(x)->msg, &(x)->failed, (x)->name, __VA_ARGS__)

/* One cell as the text it shows, appended to x->cells. */
static void
cell_text(struct xls *x, const FreeXL_CellValue *v)
{
	switch (v->type) {
	case FREEXL_CELL_INT:
		hl_buf_printf(&x->cells, "%d", v->value.int_value);
		break;
	case FREEXL_CELL_DOUBLE: {
		double d = v->value.double_value;

		if (d == floor(d) && fabs(d) < 1e15)
			hl_buf_printf(&x->cells, "%.0f", d);
		else
			hl_buf_printf(&x->cells, "%.15g", d);
		break;
	}
	case FREEXL_CELL_TEXT:
	case FREEXL_CELL_SST_TEXT:
	case FREEXL_CELL_DATE:
	case FREEXL_CELL_DATETIME:
	case FREEXL_CELL_TIME:
		if (v->value.text_value)
			hl_buf_adds(&x->cells, v->value.text_value);
		break;
	default:
		break;
	}
}

static int
xls_next(void *impl, struct hl_record *rec)
{
	struct xls *x = impl;
	FreeXL_CellValue v;
	unsigned short c;

	if (x->failed)
		return -2;
	if (x->row >= x->rows)
		return 0;
	hl_buf_reset(&x->cells);
	hl_buf_reset(&x->raw);
	for (c = 0; c < x->cols; c++) {
		x->coff[c] = x->cells.len;
		if (freexl_get_cell_value(x->h, x->row, c, &v) != FREEXL_OK) {
			failf(x, "%s: row %u: cannot read cell %u", x->sheet,
			      x->row + 1, (unsigned)c + 1);
			return -2;
		}
		cell_text(x, &v);
		x->len[c] = x->cells.len - x->coff[c];
		hl_buf_addc(&x->cells, '\0');
	}
	for (c = 0; c < x->cols; c++) {
		x->field[c] = x->cells.data + x->coff[c];
		if (c)
			hl_buf_addc(&x->raw, ',');
		hl_buf_add(&x->raw, x->field[c], x->len[c]);
	}
	memset(rec, 0, sizeof(*rec));
	rec->nfields = x->cols;
	rec->field = x->field;
	rec->len = x->len;
	rec->start.line = ++x->row;
	rec->start.col = 1;
	rec->start.sheet = x->sheet;
	rec->raw = x->raw.data;
	rec->rawlen = x->raw.len;
	return 1;
}

static const char *
xls_encoding(const void *impl)
{
	(void)impl;
	return "xls";
}

static unsigned long long
xls_offset(const void *impl)
{
	(void)impl;
	return 0;
}

static const char *
xls_errmsg(const void *impl)
{
	return ((const struct xls *)impl)->msg.data;
}

static void
xls_tap(void *impl, hl_reader_tap_fn *fn, void *arg)
{
	struct xls *x = impl;

	hl_tap_file(x->f, x->buf, sizeof(x->buf), fn, arg);
}

static void
xls_free(void *impl)
{
	struct xls *x = impl;

	if (x->h)
		freexl_close(x->h);
	free(x->name);
	free(x->sheet);
	free(x->coff);
	free(x->field);
	free(x->len);
	hl_buf_release(&x->cells);
	hl_buf_release(&x->raw);
	hl_buf_release(&x->msg);
	free(x);
}

static long
xls_sheets(const void *impl, const char **name)
{
	const struct xls *x = impl;

	*name = x->sheet;
	return x->nsheets;
}

static const struct hl_source_ops xls_ops = {
    "xls",      xls_next,   hl_sheet_pos, xls_encoding, hl_no_switch,
    xls_offset, xls_errmsg, xls_tap,      xls_free,     xls_sheets,
};

/* Sheet want (a name or a number from 1; NULL: the first) made active. */
static void
open_sheet(struct xls *x, const char *want)
{
	unsigned int n = 0, i;
	struct hl_buf names = HL_BUF_INIT;
	const char *name;

	if (freexl_get_info(x->h, FREEXL_BIFF_SHEET_COUNT, &n) != FREEXL_OK ||
	    n == 0) {
		failf(x, "the workbook has no sheet");
		return;
	}
	x->nsheets = (long)n;
	for (i = 0; i < n && !x->sheet; i++) {
		char num[16];

		if (freexl_get_worksheet_name(x->h, (unsigned short)i, &name) !=
			FREEXL_OK ||
		    name == NULL)
			name = "";
		snprintf(num, sizeof(num), "%u", i + 1);
		hl_buf_printf(&names, "%s'%s'", i ? ", " : "", name);
		if (want == NULL || strcmp(want, name) == 0 ||
		    strcmp(want, num) == 0) {
			x->sheet = hl_xstrdup(name);
			if (freexl_select_active_worksheet(
				x->h, (unsigned short)i) != FREEXL_OK ||
			    freexl_worksheet_dimensions(x->h, &x->rows,
							&x->cols) != FREEXL_OK)
				failf(x, "cannot read sheet '%s'", name);
		}
	}
	if (!x->sheet)
		failf(x,
		      "no sheet '%s' (its sheets: %s); --sheet takes a "
		      "name or a number from 1",
		      want, names.data);
	hl_buf_release(&names);
}

struct hl_source *
hl_xls_source(FILE *f, const char *name, const char *sheet)
{
	struct hl_source *s = hl_xcalloc(1, sizeof(*s));
	struct xls *x = hl_xcalloc(1, sizeof(*x));
	int rc;

	x->f = f;
	x->name = hl_xstrdup(name);
	hl_buf_init(&x->cells);
	hl_buf_init(&x->raw);
	hl_buf_init(&x->msg);
	if ((rc = freexl_open(name, &x->h)) != FREEXL_OK)
		failf(x, "cannot read the workbook (.xls): libfreexl error %d",
		      rc);
	else
		open_sheet(x, sheet);
	x->coff = hl_xcalloc((size_t)x->cols + 1, sizeof(*x->coff));
	x->field = hl_xcalloc((size_t)x->cols + 1, sizeof(*x->field));
	x->len = hl_xcalloc((size_t)x->cols + 1, sizeof(*x->len));
	s->ops = &xls_ops;
	s->impl = x;
	return s;
}
