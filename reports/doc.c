/*
 * doc.c - the document model: a list of blocks (headings, paragraphs,
 * tables, charts) built once and written as aligned text for a terminal,
 * as Markdown and as one self-contained HTML file, so that every form
 * says the same.
 */
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "reports/reports.h"

struct hl_doc {
	int zh;
	char *charts; /* where the charts' PNGs are, or NULL */
	struct hl_block *b;
	size_t n, cap;
};

#define T(d, in_zh, in_en) ((d)->zh ? (in_zh) : (in_en))

struct hl_doc *
hl_doc_new(int zh, const char *charts)
{
	struct hl_doc *d = hl_xcalloc(1, sizeof(*d));

	d->zh = zh;
	d->charts = charts ? hl_xstrdup(charts) : NULL;
	return d;
}

void
hl_doc_free(struct hl_doc *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->n; i++) {
		free(d->b[i].text);
		free(d->b[i].name);
		hl_table_free(d->b[i].t);
	}
	free(d->b);
	free(d->charts);
	free(d);
}

size_t
hl_doc_count(const struct hl_doc *d)
{
	return d->n;
}

int
hl_doc_zh(const struct hl_doc *d)
{
	return d->zh;
}

const struct hl_block *
hl_doc_block(const struct hl_doc *d, size_t i)
{
	return i < d->n ? &d->b[i] : NULL;
}

struct hl_block *
hl_doc_add(struct hl_doc *d, enum hl_block_kind k, const char *text)
{
	struct hl_block *b;

	d->b = hl_grow(d->b, d->n, &d->cap, sizeof(*d->b), 32);
	b = &d->b[d->n++];
	memset(b, 0, sizeof(*b));
	b->kind = k;
	b->text = text ? hl_xstrdup(text) : NULL;
	return b;
}

struct hl_block *
hl_doc_addf(struct hl_doc *d, enum hl_block_kind k, const char *fmt, ...)
{
	struct hl_buf buf = HL_BUF_INIT;
	struct hl_block *b;
	va_list ap;

	va_start(ap, fmt);
	hl_buf_vprintf(&buf, fmt, ap);
	va_end(ap);
	b = hl_doc_add(d, k, NULL);
	b->text = hl_buf_detach(&buf, NULL);
	return b;
}

struct hl_block *
hl_doc_table(struct hl_doc *d, struct hl_table *t, const char *name)
{
	struct hl_block *b = hl_doc_add(d, HL_B_TABLE, NULL);

	b->t = t;
	b->name = name ? hl_xstrdup(name) : NULL;
	return b;
}

/*
 * Aligned text: a heading or a paragraph is a line, an empty paragraph
 * a blank line, a table its aligned columns, a chart its caption.
 */
void
hl_doc_write_text(const struct hl_doc *d, FILE *f)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		const struct hl_block *b = &d->b[i];

		if (b->kind == HL_B_TABLE)
			hl_table_write_text(b->t, f);
		else
			fprintf(f, "%s\n", b->text ? b->text : "");
	}
}

void
hl_doc_write_md(const struct hl_doc *d, FILE *f)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		const struct hl_block *b = &d->b[i];

		switch (b->kind) {
		case HL_B_H1:
			fputs("# ", f);
			hl_md_text(f, b->text);
			fputs("\n\n", f);
			break;
		case HL_B_H2:
			fputs("## ", f);
			hl_md_text(f, b->text);
			fputs("\n\n", f);
			break;
		case HL_B_P:
			hl_md_text(f, b->text);
			fputs("\n\n", f);
			break;
		case HL_B_TABLE:
			hl_table_write_md(b->t, f);
			fprintf(f, "\n(%s: %s)\n\n",
				T(d, "表格文件", "table file"), b->name);
			break;
		case HL_B_CHART:
			if (b->drawn) {
				fputs("![", f);
				hl_md_text(f, b->text);
				fprintf(f, "](charts/%s.png)\n\n", b->name);
			} else {
				fputs("*", f);
				hl_md_text(f, b->text);
				fprintf(f, ": %s*\n\n",
					T(d, "图表未生成（未安装 gnuplot）",
					  "chart not drawn (gnuplot is not "
					  "installed)"));
			}
			break;
		}
	}
}

/* The PNG of a chart as a data: URI, so the HTML needs no other file. */
static void
png_inline(const struct hl_doc *d, FILE *out, const char *name)
{
	struct hl_buf p = HL_BUF_INIT, raw = HL_BUF_INIT;
	unsigned char *b64;
	char chunk[65536];
	FILE *f;
	size_t n;

	hl_buf_printf(&p, "%s/%s.png", d->charts, name);
	if ((f = fopen(p.data, "rb")) == NULL) {
		hl_buf_release(&p);
		return;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		hl_buf_add(&raw, chunk, n);
	fclose(f);
	b64 = hl_xmalloc(4 * (raw.len / 3 + 1) + 1);
	EVP_EncodeBlock(b64, (const unsigned char *)raw.data, (int)raw.len);
	fprintf(out, "data:image/png;base64,%s", b64);
	free(b64);
	hl_buf_release(&raw);
	hl_buf_release(&p);
}

void
hl_doc_write_html(const struct hl_doc *d, FILE *f)
{
	size_t i;

	fputs("<!DOCTYPE html>\n<html lang=\"", f);
	fputs(d->zh ? "zh-CN" : "en", f);
	fputs("\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, "
	      "initial-scale=1\">\n<title>",
	      f);
	hl_html_text(f, d->n ? d->b[0].text : "");
	fputs("</title>\n<style>\n"
	      "body{font-family:\"Noto Sans CJK SC\",\"Microsoft YaHei\","
	      "sans-serif;max-width:62em;margin:0 auto;padding:1em;"
	      "line-height:1.5;color:#222}\n"
	      "h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em;"
	      "border-bottom:1px solid #ccc}\n"
	      ".tw{overflow-x:auto}\n"
	      "table{border-collapse:collapse;margin:.5em 0;font-size:.9em}\n"
	      "th,td{border:1px solid #bbb;padding:.2em .5em;"
	      "vertical-align:top}\nth{background:#f0f0f0}\n"
	      "td.n{text-align:right;white-space:nowrap}\n"
	      "figure{margin:1em 0}img{max-width:100%;height:auto}\n"
	      "figcaption{font-size:.9em;color:#555}\n"
	      ".skip{color:#a00}\n"
	      "@media print{body{max-width:none}.tw{overflow:visible}"
	      "h2,figure,table{break-inside:avoid}}\n"
	      "</style>\n</head>\n<body>\n",
	      f);
	for (i = 0; i < d->n; i++) {
		const struct hl_block *b = &d->b[i];

		switch (b->kind) {
		case HL_B_H1:
		case HL_B_H2:
			fputs(b->kind == HL_B_H1 ? "<h1>" : "<h2>", f);
			hl_html_text(f, b->text);
			fputs(b->kind == HL_B_H1 ? "</h1>\n" : "</h2>\n", f);
			break;
		case HL_B_P:
			fputs("<p>", f);
			hl_html_text(f, b->text);
			fputs("</p>\n", f);
			break;
		case HL_B_TABLE:
			fputs("<div class=\"tw\">\n", f);
			hl_table_write_html(b->t, f);
			fputs("</div>\n", f);
			break;
		case HL_B_CHART:
			fputs("<figure>", f);
			if (b->drawn) {
				fputs("<img alt=\"", f);
				hl_html_text(f, b->text);
				fputs("\" src=\"", f);
				png_inline(d, f, b->name);
				fputs("\">", f);
			} else {
				fprintf(f, "<p class=\"skip\">%s</p>",
					T(d, "图表未生成（未安装 gnuplot）",
					  "chart not drawn (gnuplot is not "
					  "installed)"));
			}
			fputs("<figcaption>", f);
			hl_html_text(f, b->text);
			fputs("</figcaption></figure>\n", f);
			break;
		}
	}
	fputs("</body>\n</html>\n", f);
}
