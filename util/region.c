/*
 * region.c - a city's districts as data (regions/README.md): their
 * names, codes, old names and other spellings, read from an INI file; the
 * files in regions/ are built in.  A district's spelling in an export is
 * matched after normalising: full-width ASCII folded to ASCII, spaces
 * trimmed and runs of them made one, Latin letters compared without case,
 * the city's name (广州市, 广州 ...) taken off the front, and the suffix
 * 区, 县 or 市 taken off the end when nothing else matches.
 */
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

extern const char hl_region_guangzhou[], hl_region_beijing[],
    hl_region_new_york[];

static const struct {
	const char *name;
	const char *text;
} builtin[] = {
    {"guangzhou", hl_region_guangzhou},
    {"beijing", hl_region_beijing},
    {"new-york", hl_region_new_york},
};

/* A spelling that names district d: whole, or its stem. */
struct key {
	char *s;
	size_t d;
	int stem; /* 1: matched against a spelling's stem */
};

struct hl_region {
	char *city, *code, *source;
	char **prefix; /* folded, longest first */
	size_t nprefix;
	char **name, **dcode; /* the districts */
	size_t n;
	struct key *key;
	size_t nkey;
};

/* ---- normalising ---- */

static int
space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * s[0..n) with full-width ASCII (U+FF01-U+FF5E) as ASCII, the ideographic
 * space as a space, spaces trimmed and runs of them made one, into out;
 * with lower set, ASCII letters in lower case too.
 */
static void
fold(const char *s, size_t n, int lower, struct hl_buf *out)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	int pending = 0;

	hl_buf_reset(out);
	while (p < end) {
		unsigned c = *p;
		size_t len = 1;

		if (c == 0xEF && end - p >= 3 &&
		    ((p[1] == 0xBC && p[2] >= 0x81) ||
		     (p[1] == 0xBD && p[2] <= 0x9E))) {
			/* U+FF01..U+FF5E: EF BC 81 .. EF BD 9E. */
			c = 0x21 + (unsigned)((p[1] - 0xBC) * 64 + p[2] - 0x81);
			len = 3;
		} else if (c == 0xE3 && end - p >= 3 && p[1] == 0x80 &&
			   p[2] == 0x80) {
			c = ' ';
			len = 3;
		}
		if (c < 0x80 && space((unsigned char)c)) {
			pending = out->len > 0;
		} else {
			if (pending)
				hl_buf_addc(out, ' ');
			pending = 0;
			if (c < 0x80) {
				if (lower && c >= 'A' && c <= 'Z')
					c += 'a' - 'A';
				hl_buf_addc(out, (char)c);
			} else {
				hl_buf_add(out, p, len);
			}
		}
		p += len;
	}
}

/* The length of s without a final 区, 县 or 市 (when more is left). */
static size_t
stem_len(const char *s, size_t n)
{
	static const char *const suffix[] = {"区", "县", "市"};
	size_t i;

	for (i = 0; i < HL_ARRAY_LEN(suffix); i++)
		if (n > 3 && memcmp(s + n - 3, suffix[i], 3) == 0)
			return n - 3;
	return n;
}

/* The length of the city's name at the start of folded s, or 0. */
static size_t
prefix_len(const struct hl_region *r, const char *s, size_t n)
{
	size_t i, k;

	for (i = 0; i < r->nprefix; i++) {
		k = strlen(r->prefix[i]);
		if (k < n && memcmp(s, r->prefix[i], k) == 0) {
			while (k < n && s[k] == ' ')
				k++;
			return k < n ? k : 0;
		}
	}
	return 0;
}

/* ---- reading a region ---- */

static void
add_key(struct hl_region *r, const char *s, size_t d, int stem)
{
	r->key = hl_xrealloc(r->key, (r->nkey + 1) * sizeof(*r->key));
	r->key[r->nkey].s = hl_xstrdup(s);
	r->key[r->nkey].d = d;
	r->key[r->nkey].stem = stem;
	r->nkey++;
}

/* A spelling of district d: the whole folded form and its stem. */
static void
add_spelling(struct hl_ini *ini, struct hl_region *r, const char *s, size_t n,
	     size_t d)
{
	struct hl_buf f = HL_BUF_INIT;
	size_t i, k;

	fold(s, n, 1, &f);
	if (f.len == 0) {
		hl_ini_error(ini, "an empty name");
		goto done;
	}
	for (i = 0; i < r->nkey; i++)
		if (!r->key[i].stem && strcmp(r->key[i].s, f.data) == 0 &&
		    r->key[i].d != d) {
			hl_ini_error(ini, "'%.*s' already names %s", (int)n, s,
				     r->name[r->key[i].d]);
			goto done;
		}
	add_key(r, f.data, d, 0);
	k = stem_len(f.data, f.len);
	f.data[k] = '\0';
	add_key(r, f.data, d, 1);
done:
	hl_buf_release(&f);
}

/* A comma-separated list: fn on each item, trimmed. */
static void
each_item(struct hl_ini *ini, struct hl_region *r, const char *value, size_t d,
	  int prefixes)
{
	const char *p = value;

	while (*p && !ini->failed) {
		size_t len = strcspn(p, ",");
		const char *a = p, *b = p + len;

		while (a < b && space((unsigned char)*a))
			a++;
		while (b > a && space((unsigned char)b[-1]))
			b--;
		if (a == b) {
			hl_ini_error(ini, "an empty name in the list");
			return;
		}
		if (prefixes) {
			struct hl_buf f = HL_BUF_INIT;

			fold(a, (size_t)(b - a), 1, &f);
			r->prefix = hl_xrealloc(r->prefix, (r->nprefix + 1) *
							       sizeof(char *));
			r->prefix[r->nprefix++] = hl_buf_detach(&f, NULL);
		} else {
			add_spelling(ini, r, a, (size_t)(b - a), d);
		}
		p += len;
		if (*p == ',')
			p++;
	}
}

static void
set_once(struct hl_ini *ini, char **field, const char *section, const char *key,
	 const char *value)
{
	if (*field != NULL) {
		hl_ini_error(ini, "[%s] %s given twice", section, key);
		return;
	}
	*field = hl_xstrdup(value);
}

static void
region_entry(struct hl_ini *ini, void *arg, const char *section,
	     const char *key, const char *value)
{
	struct hl_region *r = arg;
	size_t d;

	if (strcmp(section, "city") == 0) {
		if (strcmp(key, "name") == 0)
			set_once(ini, &r->city, section, key, value);
		else if (strcmp(key, "code") == 0)
			set_once(ini, &r->code, section, key, value);
		else if (strcmp(key, "prefixes") == 0)
			each_item(ini, r, value, 0, 1);
		else
			hl_ini_error(ini,
				     "[city]: unknown key '%s' (name, code or "
				     "prefixes)",
				     key);
		return;
	}
	if (strncmp(section, "district ", 9) != 0 || section[9] == '\0') {
		hl_ini_error(ini,
			     "unknown section [%s] (city or district NAME)",
			     section);
		return;
	}
	/* Entries come section by section: a new name starts a district. */
	if (r->n == 0 || strcmp(r->name[r->n - 1], section + 9) != 0) {
		for (d = 0; d < r->n; d++)
			if (strcmp(r->name[d], section + 9) == 0) {
				hl_ini_error(ini, "[%s] given twice", section);
				return;
			}
		r->name = hl_xrealloc(r->name, (r->n + 1) * sizeof(char *));
		r->dcode = hl_xrealloc(r->dcode, (r->n + 1) * sizeof(char *));
		r->name[r->n] = hl_xstrdup(section + 9);
		r->dcode[r->n] = NULL;
		r->n++;
		add_spelling(ini, r, section + 9, strlen(section + 9),
			     r->n - 1);
	}
	d = r->n - 1;
	if (strcmp(key, "code") == 0)
		set_once(ini, &r->dcode[d], section, key, value);
	else if (strcmp(key, "aliases") == 0)
		each_item(ini, r, value, d, 0);
	else
		hl_ini_error(ini, "[%s]: unknown key '%s' (code or aliases)",
			     section, key);
}

static int
cmp_len_desc(const void *a, const void *b)
{
	size_t x = strlen(*(char *const *)a), y = strlen(*(char *const *)b);

	return (x < y) - (x > y);
}

int
hl_region_load(const char *spec, struct hl_region **out, struct hl_buf *err)
{
	struct hl_region *r = hl_xcalloc(1, sizeof(*r));
	size_t i, n = strlen(spec ? spec : "");
	int rc;

	*out = NULL;
	if (spec == NULL)
		spec = builtin[0].name;
	if (strchr(spec, '/') || (n > 4 && strcmp(spec + n - 4, ".ini") == 0)) {
		r->source = hl_xstrdup(spec);
		rc = hl_ini_load(spec, region_entry, r, err);
	} else {
		for (i = 0; i < HL_ARRAY_LEN(builtin); i++)
			if (strcmp(builtin[i].name, spec) == 0)
				break;
		if (i == HL_ARRAY_LEN(builtin)) {
			hl_buf_reset(err);
			hl_buf_printf(err,
				      "'%s' is neither a built-in region "
				      "(guangzhou, beijing or new-york) nor "
				      "a file (a path with '/' or ending in "
				      "'.ini')",
				      spec);
			hl_region_free(r);
			return -1;
		}
		r->source = hl_xmalloc(strlen(spec) + 13);
		sprintf(r->source, "regions/%s.ini", spec);
		rc = hl_ini_load_text(r->source, builtin[i].text, region_entry,
				      r, err);
	}
	if (rc == 0 && (r->city == NULL || r->n == 0)) {
		hl_buf_printf(err, "%s: %s", r->source,
			      r->city == NULL ? "no [city] name"
					      : "no [district NAME] sections");
		rc = -1;
	}
	if (rc != 0) {
		hl_region_free(r);
		return -1;
	}
	/* The longest prefix first: 广州市 before 广州. */
	if (r->nprefix > 1)
		qsort(r->prefix, r->nprefix, sizeof(*r->prefix), cmp_len_desc);
	*out = r;
	return 0;
}

void
hl_region_free(struct hl_region *r)
{
	size_t i;

	if (r == NULL)
		return;
	hl_free_strv(r->prefix, r->nprefix);
	hl_free_strv(r->name, r->n);
	hl_free_strv(r->dcode, r->n);
	for (i = 0; i < r->nkey; i++)
		free(r->key[i].s);
	free(r->key);
	free(r->city);
	free(r->code);
	free(r->source);
	free(r);
}

const char *
hl_region_city(const struct hl_region *r)
{
	return r->city;
}

const char *
hl_region_source(const struct hl_region *r)
{
	return r->source;
}

size_t
hl_region_count(const struct hl_region *r)
{
	return r->n;
}

const char *
hl_region_district(const struct hl_region *r, size_t i)
{
	return i < r->n ? r->name[i] : NULL;
}

const char *
hl_region_code(const struct hl_region *r, size_t i)
{
	return i < r->n ? r->dcode[i] : NULL;
}

long
hl_region_match(const struct hl_region *r, const char *s, size_t n,
		struct hl_buf *key, struct hl_buf *display)
{
	struct hl_buf low = HL_BUF_INIT;
	size_t i, skip, k;
	long d = -1;

	fold(s, n, 0, display);
	fold(s, n, 1, &low);
	skip = prefix_len(r, low.data, low.len);
	/* Folding keeps the length of ASCII: the offsets agree. */
	memmove(display->data, display->data + skip, display->len - skip + 1);
	display->len -= skip;
	for (i = 0; i < r->nkey && d < 0; i++)
		if (!r->key[i].stem &&
		    strcmp(r->key[i].s, low.data + skip) == 0)
			d = (long)r->key[i].d;
	k = stem_len(low.data + skip, low.len - skip);
	low.data[skip + k] = '\0';
	for (i = 0; i < r->nkey && d < 0; i++)
		if (r->key[i].stem && strcmp(r->key[i].s, low.data + skip) == 0)
			d = (long)r->key[i].d;
	if (display->len == 0) {
		hl_buf_reset(key);
		d = -2;
	} else if (d >= 0) {
		hl_buf_reset(display);
		hl_buf_adds(display, r->name[d]);
		hl_buf_reset(key);
		hl_buf_adds(key, r->name[d]);
	} else {
		/* Unknown names meet by stem, without case. */
		hl_buf_reset(key);
		hl_buf_addc(key, '?');
		hl_buf_adds(key, low.data + skip);
	}
	hl_buf_release(&low);
	return d;
}
