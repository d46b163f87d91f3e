/*
 * export_out.c - the tickets of `hotline export`, one row each, as CSV
 * (UTF-8 with a BOM, RFC 4180, formulas neutralised: for Excel), as an
 * XLSX workbook (libxlsxwriter in constant-memory mode: numbers as
 * numbers, times as Excel dates, the header row frozen) or as JSON (one
 * array of objects, written an object at a time).  The columns are
 * docs/export.md's; every format streams, so memory does not grow with
 * the tickets.
 */
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "reports/reports.h"

enum kind { K_TEXT, K_TIME, K_NUM };

struct col {
	const char *key, *zh;
	enum kind kind;
};

static const struct col cols[] = {
    {"ticket_id", "工单编号", K_TEXT},
    {"district", "所属区", K_TEXT},
    {"street", "街道", K_TEXT},
    {"unit", "承办单位", K_TEXT},
    {"category", "诉求类型", K_TEXT},
    {"is_key", "重点工单", K_TEXT},
    {"accepted_at", "受理时间", K_TIME},
    {"dispatched_at", "派单时间", K_TIME},
    {"closed_at", "办结时间", K_TIME},
    {"deadline", "办理时限", K_TIME},
    {"deadline_source", "时限来源", K_TEXT},
    {"status", "办理状态", K_TEXT},
    {"late_hours", "超时小时", K_NUM},
    {"on_time_counted", "按时办结率计为", K_TEXT},
    {"natural_hours", "办理时长（小时）", K_NUM},
    {"working_hours", "工作时长（小时）", K_NUM},
    {"hours_note", "时长说明", K_TEXT},
    {"satisfaction", "满意度", K_TEXT},
    {"reopen_count", "重办次数", K_NUM},
    {"quality_flags", "数据质量标记", K_TEXT},
    {"repeat_case", "重复来电首单", K_TEXT},
    {"repeat_link", "重复方式", K_TEXT},
};

#define NCOLS (sizeof(cols) / sizeof(cols[0]))
/* Excel's last row is 1,048,576: the header and this many tickets. */
#define XLSX_MAX_ROWS 1048575L

/* One cell of a row: text (NULL: empty), a time or a number. */
struct cell {
	const char *s;
	hl_time t;
	double n;
	int has; /* 0: empty */
};

struct hl_export_out {
	enum hl_export_format fmt;
	FILE *out;
	int zh;
	long rows;
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *date, *hours, *head;
	struct hl_buf flags; /* the row's quality flags */
};

const char *
hl_export_column(size_t i, int zh)
{
	return i >= NCOLS ? NULL : zh ? cols[i].zh : cols[i].key;
}

static void
text(struct cell *c, const char *s)
{
	c->s = s;
	c->has = s != NULL && *s;
}

static void
num(struct cell *c, double v)
{
	c->n = v;
	c->has = 1;
}

static void
when(struct cell *c, const struct hl_store_ticket *v, int i)
{
	c->t = v->t[i];
	c->has = v->has >> i & 1;
}

/* The cells of v's row into c[NCOLS]; w->flags holds text they use. */
static void
cells_of(struct hl_export_out *w, const struct hl_ticket_verdict *d,
	 struct cell *c)
{
	const struct hl_store_ticket *v = d->v;
	unsigned bit;

	memset(c, 0, NCOLS * sizeof(*c));
	text(&c[0], d->ticket_id);
	text(&c[1], d->district);
	text(&c[2], d->street);
	text(&c[3], d->unit);
	text(&c[4], hl_category_name((enum hl_category)v->category));
	text(&c[5], v->is_key == 1 ? "yes" : v->is_key == 0 ? "no" : NULL);
	when(&c[6], v, HL_STORE_T_ACCEPTED);
	when(&c[7], v, HL_STORE_T_DISPATCHED);
	when(&c[8], v, HL_STORE_T_CLOSED);
	c[9].t = d->deadline;
	c[9].has = d->dl_source != HL_DLS_NONE;
	text(&c[10], hl_deadline_source_names[d->dl_source]);
	text(&c[11], hl_verdict_status_names[d->status]);
	if (d->status == HL_VS_LATE || d->status == HL_VS_OPEN_OVERDUE)
		num(&c[12], (double)d->late_secs / 3600.0);
	text(&c[13], hl_verdict_count_names[d->counted]);
	if (d->handling == HL_VH_COUNTED) {
		num(&c[14], (double)d->nat_secs / 3600.0);
		if (d->work_ok)
			num(&c[15], (double)d->work_secs / 3600.0);
	}
	text(&c[16], d->handling == HL_VH_OPEN       ? "open"
		     : d->handling == HL_VH_LEFT_OUT ? "closed_before_start"
		     : !d->work_ok                   ? "no_calendar"
						     : NULL);
	text(&c[17], hl_satisfaction_name((enum hl_satisfaction)v->sat));
	if (v->reopen >= 0)
		num(&c[18], v->reopen);
	hl_buf_reset(&w->flags);
	for (bit = 1; bit && bit <= HL_Q_ASSESS; bit <<= 1)
		if ((unsigned)v->quality & bit & ~HL_Q_NOT_FLAGS)
			hl_buf_printf(&w->flags, "%s%s",
				      w->flags.len ? ";" : "",
				      hl_quality_name(bit));
	text(&c[19], w->flags.data);
	text(&c[20], d->repeat_case);
	text(&c[21], d->repeat == (HL_REPEAT_QUOTE | HL_REPEAT_CALLER)
			 ? "quote+caller"
		     : d->repeat == HL_REPEAT_QUOTE  ? "quote"
		     : d->repeat == HL_REPEAT_CALLER ? "caller"
						     : NULL);
}

/* A number as CSV and JSON write it: hours to the second (6 decimals),
 * counts whole. */
static const char *
num_text(char *buf, size_t n, double v)
{
	if (hl_is_whole(v))
		snprintf(buf, n, "%.0f", v);
	else
		snprintf(buf, n, "%.6f", v);
	return buf;
}

static void
csv_row(struct hl_export_out *w, const struct cell *c)
{
	char buf[64];
	size_t i;

	for (i = 0; i < NCOLS; i++) {
		if (i)
			fputc(',', w->out);
		if (!c[i].has)
			continue;
		if (cols[i].kind == K_TIME) {
			hl_time_format_iso(c[i].t, buf);
			hl_csv_cell(w->out, buf, 0);
		} else if (cols[i].kind == K_NUM) {
			hl_csv_cell(w->out, num_text(buf, sizeof(buf), c[i].n),
				    1);
		} else {
			hl_csv_cell(w->out, c[i].s, 0);
		}
	}
	fputs("\r\n", w->out);
}

static void
json_row(struct hl_export_out *w, const struct cell *c)
{
	json_t *o = json_object();
	char buf[20];
	size_t i;

	for (i = 0; i < NCOLS; i++) {
		json_t *v = json_null();

		if (c[i].has && cols[i].kind == K_TIME) {
			hl_time_format_iso(c[i].t, buf);
			v = json_string(buf);
		} else if (c[i].has && cols[i].kind == K_NUM) {
			v = hl_is_whole(c[i].n)
				? json_integer((json_int_t)c[i].n)
				: json_real(c[i].n);
		} else if (c[i].has) {
			v = json_string(c[i].s);
		}
		json_object_set_new(o, cols[i].key, v);
	}
	fputs(w->rows ? ",\n" : "\n", w->out);
	json_dumpf(o, w->out,
		   JSON_COMPACT | JSON_PRESERVE_ORDER |
		       JSON_REAL_PRECISION(12));
	json_decref(o);
}

static lxw_datetime
xl_time(hl_time t)
{
	lxw_datetime d;
	int64_t day = hl_time_day(t), s = t - day * 86400;
	int y, m, dd;

	hl_civil_from_days(day, &y, &m, &dd);
	d.year = y;
	d.month = m;
	d.day = dd;
	d.hour = (int)(s / 3600);
	d.min = (int)(s / 60 % 60);
	d.sec = (double)(s % 60);
	return d;
}

static int
xlsx_row(struct hl_export_out *w, const struct cell *c, struct hl_buf *err)
{
	lxw_row_t r = (lxw_row_t)w->rows + 1;
	lxw_col_t i;
	lxw_error e = LXW_NO_ERROR;

	if (w->rows >= XLSX_MAX_ROWS) {
		hl_buf_printf(
		    err,
		    "more than %ld tickets: a worksheet holds no more "
		    "(use --format csv)",
		    XLSX_MAX_ROWS);
		return -1;
	}
	for (i = 0; i < NCOLS && e == LXW_NO_ERROR; i++) {
		if (!c[i].has)
			continue;
		if (cols[i].kind == K_TIME) {
			lxw_datetime d = xl_time(c[i].t);

			e = worksheet_write_datetime(w->ws, r, i, &d, w->date);
		} else if (cols[i].kind == K_NUM) {
			e = worksheet_write_number(
			    w->ws, r, i, c[i].n,
			    hl_is_whole(c[i].n) ? NULL : w->hours);
		} else {
			e = worksheet_write_string(w->ws, r, i, c[i].s, NULL);
		}
	}
	if (e != LXW_NO_ERROR) {
		hl_buf_printf(err, "cannot write row %ld of the workbook: %s",
			      w->rows + 1, lxw_strerror(e));
		return -1;
	}
	return 0;
}

int
hl_export_out_new(enum hl_export_format fmt, FILE *out, const char *path,
		  int zh, struct hl_export_out **wout, struct hl_buf *err)
{
	struct hl_export_out *w = hl_xcalloc(1, sizeof(*w));
	lxw_workbook_options o = {0};
	size_t i;

	*wout = w;
	w->fmt = fmt;
	w->out = out;
	w->zh = zh;
	hl_buf_init(&w->flags);
	if (fmt == HL_EXPORT_CSV) {
		fputs("\xEF\xBB\xBF", out);
		for (i = 0; i < NCOLS; i++) {
			if (i)
				fputc(',', out);
			hl_csv_cell(out, hl_export_column(i, zh), 0);
		}
		fputs("\r\n", out);
	} else if (fmt == HL_EXPORT_JSON) {
		fputc('[', out);
	} else {
		o.constant_memory = LXW_TRUE;
		w->wb = workbook_new_opt(path, &o);
		if (w->wb == NULL ||
		    (w->ws = workbook_add_worksheet(
			 w->wb, zh ? "工单" : "tickets")) == NULL) {
			hl_buf_printf(err, "cannot create '%s'", path);
			return -1;
		}
		w->date = workbook_add_format(w->wb);
		format_set_num_format(w->date, "yyyy-mm-dd hh:mm:ss");
		w->hours = workbook_add_format(w->wb);
		format_set_num_format(w->hours, "0.00");
		w->head = workbook_add_format(w->wb);
		format_set_bold(w->head);
		worksheet_freeze_panes(w->ws, 1, 0);
		for (i = 0; i < NCOLS; i++) {
			double width = cols[i].kind == K_TIME  ? 19
				       : cols[i].kind == K_NUM ? 10
							       : 16;

			worksheet_set_column(w->ws, (lxw_col_t)i, (lxw_col_t)i,
					     width, NULL);
			if (worksheet_write_string(w->ws, 0, (lxw_col_t)i,
						   hl_export_column(i, zh),
						   w->head) != LXW_NO_ERROR) {
				hl_buf_printf(err, "cannot write '%s'", path);
				return -1;
			}
		}
	}
	return 0;
}

int
hl_export_out_row(struct hl_export_out *w, const struct hl_ticket_verdict *v,
		  struct hl_buf *err)
{
	struct cell c[NCOLS];

	cells_of(w, v, c);
	if (w->fmt == HL_EXPORT_CSV)
		csv_row(w, c);
	else if (w->fmt == HL_EXPORT_JSON)
		json_row(w, c);
	else if (xlsx_row(w, c, err) != 0)
		return -1;
	w->rows++;
	return 0;
}

int
hl_export_out_finish(struct hl_export_out *w, struct hl_buf *err)
{
	lxw_error e;

	if (w->fmt == HL_EXPORT_JSON)
		fputs(w->rows ? "\n]\n" : "]\n", w->out);
	if (w->wb == NULL)
		return 0;
	e = workbook_close(w->wb);
	w->wb = NULL;
	if (e != LXW_NO_ERROR) {
		hl_buf_printf(err, "cannot write the workbook: %s",
			      lxw_strerror(e));
		return -1;
	}
	return 0;
}

void
hl_export_out_free(struct hl_export_out *w)
{
	if (w == NULL)
		return;
	/* A workbook not finished is still closed, so its memory goes. */
	if (w->wb)
		workbook_close(w->wb);
	hl_buf_release(&w->flags);
	free(w);
}
