/*
 * format.c - reading the figures' JSON by path and writing numbers the
 * way the tables show them (12,345; 99.99%; 6.46).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/reports.h"

json_t *
hl_json_at(json_t *o, const char *path)
{
	char key[64];
	const char *p = path, *dot;

	while (o && *p) {
		dot = strchr(p, '.');
		snprintf(key, sizeof(key), "%.*s",
			 (int)(dot ? (size_t)(dot - p) : strlen(p)), p);
		o = json_is_array(o)
			? json_array_get(o, (size_t)strtoul(key, NULL, 10))
			: json_object_get(o, key);
		p = dot ? dot + 1 : p + strlen(p);
	}
	return o;
}

const char *
hl_fmt_count(char *buf, size_t n, json_t *v)
{
	char raw[32];
	long long x;
	size_t len, i, j = 0;

	if (!json_is_number(v))
		return "-";
	x = (long long)json_number_value(v);
	snprintf(raw, sizeof(raw), "%lld", x < 0 ? -x : x);
	len = strlen(raw);
	if (x < 0 && j + 1 < n)
		buf[j++] = '-';
	for (i = 0; i < len && j + 2 < n; i++) {
		if (i && (len - i) % 3 == 0)
			buf[j++] = ',';
		buf[j++] = raw[i];
	}
	buf[j] = '\0';
	return buf;
}

const char *
hl_fmt_num(char *buf, size_t n, json_t *v, const char *fmt, double scale)
{
	if (!json_is_number(v))
		return "-";
	snprintf(buf, n, fmt, json_number_value(v) * scale);
	return buf;
}

/* The definitions every figures JSON carries, in the order shown. */
static const char *const def_keys[] = {
    "tickets",  "on_time", "on_time_dispatched", "satisfaction", "ranking",
    "handling", "reopen"};
static const char *const def_zh[] = {
    "工单量",   "按时办结率", "按时办结率（派单口径）", "满意率", "排名",
    "办理时长", "重办率"};
static const char *const def_en[] = {
    "tickets",           "on-time rate", "on-time rate (of dispatched)",
    "satisfaction rate", "ranking",      "handling time",
    "reopen rate"};

size_t
hl_definition(json_t *figures, size_t i, int zh, const char **label,
	      const char **text)
{
	json_t *d;

	if (i >= HL_ARRAY_LEN(def_keys))
		return 0;
	d = json_object_get(json_object_get(figures, "definitions"),
			    def_keys[i]);
	*label = zh ? def_zh[i] : def_en[i];
	*text = json_string_value(json_object_get(d, zh ? "zh" : "en"));
	if (*text == NULL)
		*text = "";
	return 1;
}
