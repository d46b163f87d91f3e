/*
 * cmd_inspect.c - `hotline inspect`: what an ingest would make of an
 * export, writing nothing: its format, encoding and sheet, where the
 * header is and how each header maps, the first rows as read, the
 * vocabulary values not recognised, and what the figures will lack.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cmd.h"
#include "ingest/ingest.h"
#include "reports/reports.h"

const struct hl_cmd_usage hl_cmd_inspect_usage = {
    "hotline inspect [--encoding enc] [--mapping file] [--rows n] "
    "[--sheet name|n] file",
    "show what ingest would make of an export, writing nothing",
    "Reads the file as `hotline ingest` would (the same formats, header\n"
    "search, mapping and checks, and the same warnings and errors on\n"
    "standard error) and writes nothing anywhere: before a first ingest,\n"
    "or when the figures look wrong, it shows\n"
    "\n"
    "  - the format (CSV, UTF-16 text, .xlsx, .xls), the encoding, the\n"
    "    sheet, and the line or row of the header;\n"
    "  - each header and the field it fills, or that it is kept as extra\n"
    "    data, and how many rows leave it blank;\n"
    "  - the fields the figures need that no column gives;\n"
    "  - the first rows as read: times as instants, vocabulary cells with\n"
    "    what they were read as;\n"
    "  - every category, satisfaction, status, key-flag, reopen and\n"
    "    yes/no answer value that is not recognised, with its count (a\n"
    "    mapping file's [category] and other sections can name them);\n"
    "  - a caller's number only as ***: it is hashed, never shown;\n"
    "  - the rows read, rejected and skipped, and the acceptance times.\n"
    "\n"
    "Options:\n"
    "      --encoding enc    as ingest's (default: auto)\n"
    "      --mapping file    as ingest's: headers and values to read\n"
    "      --rows n          the first rows to show (default 5)\n"
    "      --sheet s         as ingest's: a workbook's sheet\n"
    "\n"
    "Exit status: 0 the file reads as tickets, 1 it cannot be read or a\n"
    "row would be rejected, 2 usage.\n",
};

/* The fields a column fills, by name ("content, category"), into b. */
static void
fields_text(unsigned fields, struct hl_buf *b)
{
	int f;

	for (f = 0; f < HL_F_COUNT; f++)
		if (fields >> f & 1)
			hl_buf_printf(b, "%s%s", b->len ? ", " : "",
				      hl_field_name((enum hl_field)f));
}

static void
columns(struct hl_doc *d, const struct hl_inspection *x)
{
	struct hl_table *t = hl_table_new(4, NULL);
	struct hl_buf b = HL_BUF_INIT;
	char ref[8];
	size_t i;

	hl_doc_addf(d, HL_B_H2, "Columns (header on %s %lu)",
		    x->sheet ? "row" : "line", x->header_line);
	hl_table_cell(t, "column");
	hl_table_cell(t, "header");
	hl_table_cell(t, "field");
	hl_table_cell(t, "blank rows");
	for (i = 0; i < x->ncols; i++) {
		const struct hl_inspect_col *c = &x->cols[i];

		if (x->sheet)
			hl_table_cell(t, hl_column_name(i + 1, ref));
		else
			hl_table_num(t, "%zu", i + 1);
		hl_table_cell(t, c->header);
		hl_buf_reset(&b);
		fields_text(c->fields, &b);
		hl_table_cell(t, b.len ? b.data : "(extra: kept, not read)");
		if (c->fields)
			hl_table_count(t, (double)c->blank);
		else
			hl_table_cell(t, "");
	}
	hl_doc_table(d, t, "columns");
	hl_buf_reset(&b);
	fields_text(x->missing, &b);
	if (b.len)
		hl_doc_addf(d, HL_B_P,
			    "No column gives %s: the figures that need them "
			    "will be empty (a mapping file can name the "
			    "columns).",
			    b.data);
	hl_buf_release(&b);
}

static void
rows(struct hl_doc *d, const struct hl_inspection *x)
{
	size_t i;
	int f;

	for (i = 0; i < x->nrows; i++) {
		struct hl_table *t = hl_table_new(2, NULL);

		hl_doc_addf(d, HL_B_H2, "%s %lu as read",
			    x->sheet ? "Row" : "Line", x->rows[i].line);
		hl_table_cell(t, "field");
		hl_table_cell(t, "value");
		for (f = 0; f < HL_F_COUNT; f++) {
			if (x->rows[i].value[f] == NULL)
				continue;
			hl_table_cell(t, hl_field_name((enum hl_field)f));
			hl_table_cell(t, x->rows[i].value[f]);
		}
		hl_doc_table(d, t, NULL);
	}
}

static void
unknown(struct hl_doc *d, const struct hl_inspection *x)
{
	struct hl_table *t;
	size_t i;

	if (x->nunknown == 0) {
		hl_doc_add(d, HL_B_P, "Every vocabulary value was recognised.");
		return;
	}
	hl_doc_add(d, HL_B_H2, "Values not recognised");
	t = hl_table_new(3, NULL);
	hl_table_cell(t, "field");
	hl_table_cell(t, "value");
	hl_table_cell(t, "rows");
	for (i = 0; i < x->nunknown; i++) {
		hl_table_cell(t, hl_field_name(x->unknown[i].field));
		hl_table_cell(t, x->unknown[i].value);
		hl_table_count(t, (double)x->unknown[i].n);
	}
	hl_doc_table(d, t, "unknown");
	if (x->more_unknown)
		hl_doc_addf(d, HL_B_P,
			    "%lu more rows hold values past the 10,000 "
			    "distinct ones listed.",
			    x->more_unknown);
}

static void
describe(const char *file, const struct hl_inspection *x, FILE *out)
{
	struct hl_doc *d = hl_doc_new(0, NULL);
	char a[20], b[20];

	hl_doc_addf(d, HL_B_H1, "%s", file);
	if (x->sheet)
		hl_doc_addf(d, HL_B_P, "Format: %s, sheet '%s' (of %ld).",
			    x->format, x->sheet, x->nsheets);
	else
		hl_doc_addf(d, HL_B_P, "Format: %s text, encoding %s.",
			    strcmp(x->format, "csv") == 0 ? "delimited"
							  : x->format,
			    x->encoding);
	columns(d, x);
	rows(d, x);
	unknown(d, x);
	hl_doc_add(d, HL_B_H2, "Rows");
	hl_doc_addf(d, HL_B_P,
		    "%lu read as tickets or rejects: %lu would be rejected; "
		    "%lu empty and %lu totals rows skipped.",
		    x->read, x->rejected, x->skipped_empty, x->skipped_totals);
	if (x->first) {
		hl_time_format_iso(x->first, a);
		hl_time_format_iso(x->last, b);
		hl_doc_addf(d, HL_B_P, "Accepted from %s to %s.", a, b);
	}
	hl_doc_write_text(d, out);
	hl_doc_free(d);
}

int
hl_cmd_inspect(int argc, char **argv, struct hl_ctx *ctx)
{
	static const struct option longopts[] = {
	    {"encoding", required_argument, NULL, 'e'},
	    {"help", no_argument, NULL, 'h'},
	    {"mapping", required_argument, NULL, 'm'},
	    {"rows", required_argument, NULL, 'n'},
	    {"sheet", required_argument, NULL, 's'},
	    {NULL, 0, NULL, 0},
	};
	const struct hl_getopt g = {"h", longopts, NULL, 1};
	struct hl_ingest_opts o;
	struct hl_inspection x;
	struct hl_ingest *in = NULL;
	struct hl_diag *diag;
	const char *err;
	long long nrows = 5;
	int c, rc = HL_EXIT_OK;

	memset(&o, 0, sizeof(o));
	memset(&x, 0, sizeof(x));
	while ((c = hl_next_option(ctx, argc, argv, &g, &rc)) > 0) {
		switch (c) {
		case 'e':
			if (!hl_ingest_encoding_known(optarg))
				return hl_usage_error(
				    ctx,
				    "--encoding: unknown encoding '%s' (%s)",
				    optarg, HL_INGEST_ENCODINGS);
			o.encoding = optarg;
			break;
		case 'm':
			o.mapping = optarg;
			break;
		case 'n':
			nrows = hl_strtonum(optarg, 0, 1000, &err);
			if (err)
				return hl_usage_error(ctx, "--rows: %s: '%s'",
						      err, optarg);
			break;
		case 's':
			o.sheet = optarg;
			break;
		}
	}
	if (c < 0)
		return rc;
	if (optind != argc - 1)
		return hl_usage_error(ctx, optind >= argc
					       ? "no file to inspect"
					       : "one file at a time");
	diag = hl_diag_new(stderr, 20);
	if (hl_ingest_open(NULL, &o, diag, &in) != 0 ||
	    hl_ingest_inspect(in, argv[optind], (size_t)nrows, &x) != 0) {
		hl_diag_flush(diag);
		hl_errorf(ctx, "%s", hl_ingest_errmsg(in));
		rc = HL_EXIT_FAIL;
	} else {
		hl_diag_flush(diag);
		describe(strcmp(argv[optind], "-") == 0 ? "<stdin>"
							: argv[optind],
			 &x, stdout);
		if (x.rejected)
			rc = HL_EXIT_FAIL;
	}
	hl_inspection_release(&x);
	hl_ingest_free(in);
	hl_diag_free(diag);
	return rc;
}
