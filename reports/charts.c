/*
 * charts.c - a report's charts: each a gnuplot script with its data file
 * in charts/, run to PNG and SVG (docs/reports.md "Charts").  Data enters
 * a script only as the district in a chart's title, in single quotes
 * (gnuplot expands nothing there; a quote is doubled); the other labels
 * from the data (district names) are read from the data files.  A chart
 * without data is not drawn, and a line says so.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/report_priv.h"

/* A number for a data file, "?" when missing (set datafile missing). */
static void
dat_num(FILE *f, double v, double scale)
{
	if (hl_fig_has(v))
		fprintf(f, " %.6g", v * scale);
	else
		fputs(" ?", f);
}

/* A string for a data file: quoted, with no quote or line break in it. */
static void
dat_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++)
		fputc(*s == '"'                                ? '\''
		      : *s == '\n' || *s == '\r' || *s == '\t' ? ' '
							       : *s,
		      f);
	fputc('"', f);
}

/*
 * Text for a gnuplot script from the data (a district's name): single
 * quotes, in which gnuplot expands nothing, with a quote doubled and a
 * control character dropped; "noenhanced" where it is used keeps ^ _ @ &
 * as they are.
 */
static void
gp_quoted(struct hl_buf *b, const char *s)
{
	hl_buf_add(b, "'", 1);
	for (; s && *s; s++)
		if (*s == '\'')
			hl_buf_add(b, "''", 2);
		else if ((unsigned char)*s >= 0x20 && *s != 0x7f)
			hl_buf_add(b, s, 1);
	hl_buf_add(b, "'", 1);
}

/*
 * Writes name.gp (the common head with title, then body, then the same
 * for SVG) and runs it; the chart block follows.  body may only hold
 * fixed text and numbers.  With no data (has 0) nothing is drawn and a
 * line says why.
 */
static void
chart(struct rep *r, const char *name, const char *caption, const char *body,
      int has)
{
	struct hl_block *b;
	struct hl_buf gp = HL_BUF_INIT, script = HL_BUF_INIT,
		      title = HL_BUF_INIT;
	int missing;
	FILE *f;

	if (!has) {
		addf(r, HL_B_P,
		     T(r, "（图）%s：本期没有可绘制的数据，未绘制。",
		       "(Chart) %s: no data to draw in the period."),
		     caption);
		if (r->nundrawn < HL_ARRAY_LEN(r->undrawn))
			snprintf(r->undrawn[r->nundrawn++],
				 sizeof(r->undrawn[0]), "%s", name);
		return;
	}
	hl_buf_printf(&title, "%s %s", r->cur->district ? r->cur->district : "",
		      r->cur->period.label);
	hl_buf_printf(&script, "%s.gp", name);
	hl_buf_printf(&gp, "set title ");
	gp_quoted(&gp, title.data);
	hl_buf_printf(&gp, ".\"\\n\".");
	gp_quoted(&gp, caption);
	hl_buf_printf(&gp, " noenhanced font \",21\"\n");
	f = rp_open(r, r->charts, script.data, "w");
	if (f) {
		fprintf(f,
			"# %s.gp - written by hotline report; run it again "
			"with: gnuplot %s.gp\n"
			"set encoding utf8\n"
			"set datafile missing \"?\"\n"
			"set terminal pngcairo size 800,560 font \"Noto Sans "
			"CJK SC,17\" linewidth 2\n"
			"set output \"%s.png\"\n"
			"%s"
			"set grid ytics lc rgb \"#d0d0d0\"\n"
			"%s"
			"set terminal svg size 800,560 font \"Noto Sans CJK "
			"SC,17\" linewidth 2\n"
			"set output \"%s.svg\"\n"
			"replot\n",
			name, name, name, gp.data, body, name);
	}
	hl_buf_reset(&gp);
	rp_close(r, f, script.data);
	b = add(r, HL_B_CHART, caption);
	b->name = hl_xstrdup(name);
	if (!r->failed && !r->gp_missing) {
		/* gnuplot follows a link where it writes: none may be
		 * there (unlink removes a link, never what it points to). */
		rp_unlink(r->charts, name, ".png");
		rp_unlink(r->charts, name, ".svg");
		if (hl_plot_run(r->gp, r->charts, script.data, &missing, &gp) ==
		    0) {
			b->drawn = 1;
			r->res->charts++;
		} else if (missing) {
			r->gp_missing = 1;
		} else {
			r->failed = 1;
			hl_buf_printf(r->err, "chart %s: %s", name, gp.data);
		}
	}
	if (!b->drawn)
		r->res->charts_skipped++;
	hl_buf_release(&gp);
	hl_buf_release(&script);
	hl_buf_release(&title);
}

/*
 * A count axis from 0 with its ticks written out ("12,000"): gnuplot
 * groups thousands only under a locale that does, which a server
 * seldom has.
 */
static void
count_axis(struct hl_buf *b, double max)
{
	static const double mant[] = {1, 2, 5};
	double e, step = 1, top;
	char num[32];
	int i;

	for (e = 1; max / step > 6; e *= 10)
		for (i = 0; i < 3 && max / step > 6; i++)
			step = mant[i] * e;
	for (top = step; top < max;)
		top += step;
	hl_buf_printf(b, "set yrange [0:%.0f]\nset ytics (", top * 1.08);
	for (i = 0; i * step <= top; i++)
		hl_buf_printf(b, "%s\"%s\" %.0f", i ? ", " : "",
			      hl_fmt_count(num, sizeof(num), i * step),
			      i * step);
	hl_buf_printf(b, ")\n");
}

void
rp_charts(struct rep *r, int last)
{
	const struct hl_figures *fg = r->cur;
	const char *cls[2] = {"ordinary", "key"};
	struct hl_buf body = HL_BUF_INIT;
	double vmax = 0, sat_min = 100, floor_pct;
	char n1[32];
	int has_ot = 0, has_sat = 0, has_rank = 0, has_hand = 0;
	size_t i, d, *ord;
	FILE *f;
	int k;

	if ((f = rp_open(r, r->charts, "months.dat", "w")) != NULL) {
		fputs("# month 咨询 非咨询 on-time% ordinary% key% "
		      "rank-ordinary rank-key late of late-per-10000 "
		      "\"late\"\n",
		      f);
		for (i = 0; (int)i < last && i < 12; i++) {
			const struct hl_fig_main *m = &fg->months[i].f;
			const struct hl_fig_on_time *ot = hl_fig_on_time(fg, m);
			double sat0 = hl_ratio_value(m->sat[0].r),
			       sat1 = hl_ratio_value(m->sat[1].r);

			if ((double)m->tickets > vmax)
				vmax = (double)m->tickets;
			has_ot |= ot->r.den > 0;
			has_sat |= hl_fig_has(sat0) || hl_fig_has(sat1);
			if (hl_fig_has(sat0) && 100 * sat0 < sat_min)
				sat_min = 100 * sat0;
			if (hl_fig_has(sat1) && 100 * sat1 < sat_min)
				sat_min = 100 * sat1;
			fprintf(f, "%zu", i + 1);
			dat_num(f, (double)m->cls[0], 1);
			dat_num(f, (double)(m->tickets - m->cls[0]), 1);
			dat_num(f, hl_ratio_value(ot->r), 100);
			dat_num(f, sat0, 100);
			dat_num(f, sat1, 100);
			dat_num(f, rp_month_rank(fg, (int)i + 1, 0), 1);
			dat_num(f, rp_month_rank(fg, (int)i + 1, 1), 1);
			dat_num(f,
				ot->r.den > 0 ? (double)ot->late : HL_FIG_NONE,
				1);
			dat_num(f, ot->r.den > 0 ? ot->r.den : HL_FIG_NONE, 1);
			dat_num(f,
				ot->r.den > 0 ? (double)ot->late / ot->r.den
					      : HL_FIG_NONE,
				10000);
			/* The bar's label: the late tickets, grouped. */
			fputc(' ', f);
			hl_buf_reset(&body);
			hl_buf_printf(
			    &body, "%s",
			    hl_fmt_count(n1, sizeof(n1), (double)ot->late));
			dat_str(f, ot->r.den > 0 ? body.data : "");
			fputc('\n', f);
		}
	}
	rp_close(r, f, "months.dat");
	hl_buf_reset(&body);
	hl_buf_printf(
	    &body,
	    "set style data histograms\n"
	    "set style histogram rowstacked\n"
	    "set style fill solid 0.8 border -1\n"
	    "set boxwidth 0.7\nset key outside bottom center horizontal\n"
	    "set ylabel \"%s\"\nset xlabel \"%s\"\n",
	    T(r, "工单量（件）", "tickets"), T(r, "月份", "month"));
	count_axis(&body, vmax);
	hl_buf_printf(&body,
		      "plot \"months.dat\" using 2:xtic(1) title \"咨询\", "
		      "\"\" using 3 title \"%s\"\n",
		      T(r, "非咨询", "other"));
	chart(r, "volume",
	      T(r, "工单量（按月，咨询与非咨询）",
		"Tickets by month, 咨询 and other"),
	      body.data, vmax > 0);
	/* Late tickets per 10,000 from 0: an on-time rate near 100% drawn
	 * on its own scale would make a wobble of 0.01 points a fall. */
	hl_buf_reset(&body);
	hl_buf_printf(
	    &body,
	    "set style fill solid 0.8 border -1\nset boxwidth 0.6\n"
	    "set xrange [0.5:12.5]\nset xtics 1\nset yrange [0:*]\n"
	    "set offsets 0, 0, graph 0.15, 0\nset ylabel \"%s\"\n"
	    "set xlabel \"%s\"\nunset key\n"
	    "plot \"months.dat\" using 1:11 with boxes lc rgb \"#d73027\", "
	    "\"\" using 1:11:12 with labels offset 0,1 font \",14\"\n",
	    T(r, "每万件超期工单数", "late tickets per 10,000"),
	    T(r, "月份（柱上数字：超期件数）",
	      "month (on the bars: late tickets)"));
	chart(r, "on_time",
	      T(r, "超期办结工单（每万件，按月）",
		"Late tickets per 10,000, by month"),
	      body.data, has_ot);
	/* Satisfaction from a floor the data and the supervision line
	 * decide, said on the axis, with that line drawn. */
	floor_pct = r->cur->settings->min_satisfaction;
	if (has_sat && sat_min < floor_pct)
		floor_pct = sat_min;
	floor_pct =
	    floor_pct >= 5 ? 5 * (double)(int)((floor_pct - 0.01) / 5) : 0;
	hl_buf_reset(&body);
	hl_buf_printf(
	    &body,
	    "set xrange [0.5:12.5]\nset xtics 1\nset yrange [%.0f:100.5]\n"
	    "set ylabel \"%s %.0f%s\"\nset y2label \"%s\"\n"
	    "set y2range [12.5:0.5]\nset y2tics (1, 3, 6, 9, 12)\nset ytics "
	    "nomirror\n"
	    "set arrow from graph 0, first %g to graph 1, first %g nohead "
	    "dt 2 lc rgb \"#d73027\"\n"
	    "set label \"%s %g%%\" at graph 0.01, first %g offset 0,0.6 "
	    "tc rgb \"#d73027\" font \",12\"\n"
	    "set xlabel \"%s\"\nset key outside bottom center horizontal "
	    "maxrows 2 "
	    "font \",14\" samplen 2\n"
	    "plot \"months.dat\" using 1:5 with linespoints lw 2 pt 7 "
	    "title \"%s\", \"\" using 1:6 with linespoints lw 2 pt 5 title "
	    "\"%s\", \"\" using 1:7 axes x1y2 with points pt 6 ps 2 title "
	    "\"%s\", \"\" using 1:8 axes x1y2 with points pt 4 ps 2 title "
	    "\"%s\"\n",
	    floor_pct, T(r, "满意率（%，纵轴自", "satisfaction (%, axis from"),
	    floor_pct, T(r, " 起）", ")"), T(r, "全市排名", "city rank"),
	    r->cur->settings->min_satisfaction,
	    r->cur->settings->min_satisfaction, T(r, "督办线", "supervision"),
	    r->cur->settings->min_satisfaction,
	    r->cur->settings->min_satisfaction, T(r, "月份", "month"),
	    T(r, "满意率（普通）", "satisfaction (ordinary)"),
	    T(r, "满意率（重点）", "satisfaction (key)"),
	    T(r, "排名（普通）", "rank (ordinary)"),
	    T(r, "排名（重点）", "rank (key)"));
	chart(r, "satisfaction",
	      T(r, "满意率与全市排名（按月，普通与重点工单）",
		"Satisfaction rate and city rank by month"),
	      body.data, has_sat);
	for (k = 0; k < 2 && !r->o->month; k++) {
		char dat[32], nm[32];

		/* Rows in the order of the rank table: best mean rank on
		 * top. */
		ord = rp_rank_order(fg, k, 0);
		has_rank = 0;
		snprintf(dat, sizeof(dat), "ranks_%s.dat", cls[k]);
		if ((f = rp_open(r, r->charts, dat, "w")) != NULL) {
			fputs("# month row rank \"district\"\n", f);
			for (i = 0; i < fg->nrank; i++) {
				int mon;

				d = ord[i];
				for (mon = 0; mon < 12; mon++) {
					int rk = fg->rank_table[d][k][mon];

					has_rank |= rk != 0;
					fprintf(f, "%d %zu", mon + 1, i);
					dat_num(f, hl_fig_rank(rk), 1);
					fputc(' ', f);
					dat_str(f, fg->rank_names[d]);
					fputc('\n', f);
				}
			}
		}
		free(ord);
		rp_close(r, f, dat);
		/* The district names come from the data file (ytic). */
		hl_buf_reset(&body);
		hl_buf_printf(
		    &body,
		    "set xrange [0.5:12.5]\nset xtics 1\n"
		    "set yrange [%zu.5:-0.5]\n"
		    "set palette defined (1 \"#1a9850\", 6 \"#fee08b\", "
		    "11 \"#d73027\")\nset cbrange [1:11]\n"
		    "set cblabel \"%s\"\nset xlabel \"%s\"\nunset key\n"
		    "unset grid\n"
		    "plot \"%s\" using 1:2:(0.5):(0.5):3:ytic(4) with "
		    "boxxyerror fill solid 1 fc palette, \"\" using "
		    "1:2:(sprintf(\"%%d\", $3)) with labels\n",
		    fg->nrank ? fg->nrank - 1 : 0,
		    T(r, "名次（空白：未排名）", "rank (blank: not ranked)"),
		    hl_word(HL_W_MONTH, r->o->zh), dat);
		snprintf(nm, sizeof(nm), "ranks_%s", cls[k]);
		chart(r, nm,
		      k ? T(r, "各区按月排名（重点工单满意率）",
			    "District ranks by month (key tickets)")
			: T(r, "各区按月排名（普通工单满意率）",
			    "District ranks by month (ordinary tickets)"),
		      body.data, has_rank);
	}
	if (r->o->month) {
		hl_buf_release(&body);
		return;
	}
	if ((f = rp_open(r, r->charts, "handling.dat", "w")) != NULL) {
		fprintf(f, "# class %d %d (mean hours)\n", r->o->year - 1,
			r->o->year);
		for (k = 0; k < 2; k++) {
			has_hand |= hl_fig_has(fg->hand[k].nat.mean);
			fprintf(f, "%d", k);
			dat_num(f, fg->hand[k].prev_mean, 1);
			dat_num(f, fg->hand[k].nat.mean, 1);
			fputc('\n', f);
		}
	}
	rp_close(r, f, "handling.dat");
	hl_buf_reset(&body);
	hl_buf_printf(&body,
		      "set style data histograms\nset style histogram "
		      "clustered gap 1\nset style fill solid 0.8 border "
		      "-1\nset boxwidth 0.9\nset ylabel \"%s\"\n"
		      "set yrange [0:*]\n"
		      "set xtics (\"%s\" 0, \"%s\" 1)\nset key top left\n"
		      "plot \"handling.dat\" using 2 title \"%d\", \"\" "
		      "using 3 title \"%d\"\n",
		      T(r, "平均办理时长（小时）", "mean handling (hours)"),
		      T(r, "咨询类", "咨询"), T(r, "非咨询类", "other"),
		      r->o->year - 1, r->o->year);
	chart(r, "handling",
	      T(r, "平均办理时长（咨询与非咨询，两年对比）",
		"Mean handling time, 咨询 and other, both years"),
	      body.data, has_hand);
	hl_buf_release(&body);
}
