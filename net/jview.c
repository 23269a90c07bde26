/*
 * net/jview.c - reading JSON in place (see jview.h).
 *
 * jv_parse() is the only validating pass. Everything after it may assume
 * the bytes are valid JSON, which keeps skipping a value to a scan for its
 * end: strings to their closing quote, containers to their matching
 * bracket.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "net/jview.h"

static const char *
skip_ws(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* p at the opening quote; returns the byte after the closing quote. */
static const char *
scan_string(const char *p, const char *e)
{
	unsigned char	c;
	int		i;

	for (p++; p < e; p++) {
		c = (unsigned char)*p;
		if (c == '"')
			return p + 1;
		if (c < 0x20)
			return NULL;
		if (c != '\\')
			continue;
		if (++p >= e)
			return NULL;
		switch (*p) {
		case '"': case '\\': case '/': case 'b': case 'f': case 'n':
		case 'r': case 't':
			break;
		case 'u':
			if (e - p < 5)
				return NULL;
			for (i = 1; i <= 4; i++)
				if (hexval((unsigned char)p[i]) < 0)
					return NULL;
			p += 4;
			break;
		default:
			return NULL;
		}
	}
	return NULL;
}

static const char *
scan_digits(const char *p, const char *e)
{
	const char	*s = p;

	while (p < e && *p >= '0' && *p <= '9')
		p++;
	return p > s ? p : NULL;
}

static const char *
scan_number(const char *p, const char *e)
{
	if (p < e && *p == '-')
		p++;
	if (p >= e)
		return NULL;
	if (*p == '0')
		p++;
	else if ((p = scan_digits(p, e)) == NULL)
		return NULL;
	if (p < e && *p == '.' && (p = scan_digits(p + 1, e)) == NULL)
		return NULL;
	if (p < e && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < e && (*p == '+' || *p == '-'))
			p++;
		if ((p = scan_digits(p, e)) == NULL)
			return NULL;
	}
	return p;
}

static const char *
scan_literal(const char *p, const char *e, const char *word)
{
	size_t	n = strlen(word);

	if ((size_t)(e - p) < n || memcmp(p, word, n) != 0)
		return NULL;
	return p + n;
}

static const char *
scan_value(const char *p, const char *e, int depth)
{
	char	close;
	bool	object;

	if (p >= e)
		return NULL;
	switch (*p) {
	case '"':
		return scan_string(p, e);
	case 't':
		return scan_literal(p, e, "true");
	case 'f':
		return scan_literal(p, e, "false");
	case 'n':
		return scan_literal(p, e, "null");
	case '[':
	case '{':
		break;
	default:
		return scan_number(p, e);
	}
	if (depth >= JV_MAX_DEPTH)
		return NULL;
	object = *p == '{';
	close = object ? '}' : ']';
	p = skip_ws(p + 1, e);
	if (p < e && *p == close)
		return p + 1;
	for (;;) {
		if (object) {
			if (p >= e || *p != '"' ||
			    (p = scan_string(p, e)) == NULL)
				return NULL;
			p = skip_ws(p, e);
			if (p >= e || *p != ':')
				return NULL;
			p = skip_ws(p + 1, e);
		}
		if ((p = scan_value(p, e, depth + 1)) == NULL)
			return NULL;
		p = skip_ws(p, e);
		if (p >= e)
			return NULL;
		if (*p == close)
			return p + 1;
		if (*p != ',')
			return NULL;
		p = skip_ws(p + 1, e);
	}
}

int
jv_parse(const char *s, size_t n, struct jv *out)
{
	const char	*e = s + n, *p, *end;

	p = skip_ws(s, e);
	if ((end = scan_value(p, e, 0)) == NULL)
		return -1;
	if (skip_ws(end, e) != e)
		return -1;
	out->p = p;
	out->n = (size_t)(end - p);
	return 0;
}

enum jv_type
jv_type(const struct jv *v)
{
	switch (v->p[0]) {
	case 'n':
		return JV_NULL;
	case 'f':
		return JV_FALSE;
	case 't':
		return JV_TRUE;
	case '"':
		return JV_STRING;
	case '[':
		return JV_ARRAY;
	case '{':
		return JV_OBJECT;
	}
	return JV_NUMBER;
}

/* Skip a value known to be valid. */
static const char *
skip_value(const char *p, const char *e)
{
	int	depth = 0;

	if (*p != '[' && *p != '{') {
		if (*p == '"') {
			for (p++; *p != '"'; p++)
				if (*p == '\\')
					p++;
			return p + 1;
		}
		while (p < e && *p != ',' && *p != ']' && *p != '}' &&
		    *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			p++;
		return p;
	}
	for (; p < e; p++) {
		switch (*p) {
		case '"':
			for (p++; *p != '"'; p++)
				if (*p == '\\')
					p++;
			break;
		case '[':
		case '{':
			depth++;
			break;
		case ']':
		case '}':
			if (--depth == 0)
				return p + 1;
			break;
		}
	}
	return e;
}

void
jv_iter_init(struct jv_iter *it, const struct jv *v)
{
	it->object = v->p[0] == '{';
	if (v->p[0] != '{' && v->p[0] != '[') {
		it->p = it->end = v->p;
		return;
	}
	it->p = v->p + 1;
	it->end = v->p + v->n - 1;	/* the closing bracket */
}

bool
jv_iter_next(struct jv_iter *it, struct jv *key, struct jv *val)
{
	const char	*p = skip_ws(it->p, it->end), *q;

	if (p < it->end && *p == ',')
		p = skip_ws(p + 1, it->end);
	if (p >= it->end)
		return false;
	if (it->object) {
		q = skip_value(p, it->end);
		if (key != NULL) {
			key->p = p;
			key->n = (size_t)(q - p);
		}
		p = skip_ws(q, it->end);
		p = skip_ws(p + 1, it->end);	/* the colon */
	}
	q = skip_value(p, it->end);
	val->p = p;
	val->n = (size_t)(q - p);
	it->p = q;
	return true;
}

bool
jv_get(const struct jv *v, const char *key, struct jv *out)
{
	struct jv_iter	it;
	struct jv	k, val;
	size_t		klen;

	if (v->p[0] != '{')
		return false;
	klen = strlen(key);
	jv_iter_init(&it, v);
	while (jv_iter_next(&it, &k, &val)) {
		/* Most keys have no escapes: compare the raw bytes first. */
		if ((k.n == klen + 2 && memcmp(k.p + 1, key, klen) == 0) ||
		    (memchr(k.p, '\\', k.n) != NULL && jv_string_eq(&k, key))) {
			*out = val;
			return true;
		}
	}
	return false;
}

bool
jv_get_type(const struct jv *v, const char *key, enum jv_type type,
    struct jv *out)
{
	return jv_get(v, key, out) && jv_type(out) == type;
}

static unsigned
read_hex4(const char *p)
{
	return (unsigned)(hexval((unsigned char)p[0]) << 12 |
	    hexval((unsigned char)p[1]) << 8 |
	    hexval((unsigned char)p[2]) << 4 | hexval((unsigned char)p[3]));
}

static int
add_utf8(struct buf *out, unsigned cp)
{
	char	b[4];
	size_t	n;

	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | cp >> 12);
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (char)(0xf0 | cp >> 18);
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return buf_add(out, b, n);
}

int
jv_string(const struct jv *v, struct buf *out)
{
	const char	*p, *e, *run;
	unsigned	 cp, lo;
	char		 c;

	if (v->n < 2 || v->p[0] != '"')
		return -1;
	p = v->p + 1;
	e = v->p + v->n - 1;
	while (p < e) {
		for (run = p; p < e && *p != '\\'; p++)
			;
		if (p > run && buf_add(out, run, (size_t)(p - run)) != 0)
			return -1;
		if (p >= e)
			break;
		p++;
		switch (*p++) {
		case 'b': c = '\b'; break;
		case 'f': c = '\f'; break;
		case 'n': c = '\n'; break;
		case 'r': c = '\r'; break;
		case 't': c = '\t'; break;
		case 'u':
			cp = read_hex4(p);
			p += 4;
			if (cp >= 0xd800 && cp <= 0xdbff && e - p >= 6 &&
			    p[0] == '\\' && p[1] == 'u' &&
			    (lo = read_hex4(p + 2)) >= 0xdc00 && lo <= 0xdfff) {
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				    (lo - 0xdc00);
				p += 6;
			} else if (cp >= 0xd800 && cp <= 0xdfff)
				cp = 0xfffd;	/* a lone surrogate */
			if (add_utf8(out, cp) != 0)
				return -1;
			continue;
		default:	/* " \ / */
			c = p[-1];
			break;
		}
		if (buf_addc(out, c) != 0)
			return -1;
	}
	return 0;
}

bool
jv_string_eq(const struct jv *v, const char *s)
{
	struct buf	b;
	bool		eq;

	if (v->p[0] != '"')
		return false;
	if (memchr(v->p, '\\', v->n) == NULL)
		return v->n == strlen(s) + 2 &&
		    memcmp(v->p + 1, s, v->n - 2) == 0;
	buf_init(&b, v->n);
	eq = jv_string(v, &b) == 0 && b.len == strlen(s) &&
	    (b.len == 0 || memcmp(b.data, s, b.len) == 0);
	buf_release(&b);
	return eq;
}

int
jv_int64(const struct jv *v, int64_t *out)
{
	char		 tmp[64], *end;
	const char	*p = v->p;
	int64_t		 n = 0;
	size_t		 i;
	double		 d;
	bool		 neg = false;

	if (jv_type(v) != JV_NUMBER)
		return -1;
	if (*p == '-') {
		neg = true;
		p++;
	}
	for (i = (size_t)(p - v->p); i < v->n && v->p[i] >= '0' &&
	    v->p[i] <= '9'; i++) {
		if (n > (INT64_MAX - 9) / 10)
			break;
		n = n * 10 + (v->p[i] - '0');
	}
	if (i == v->n) {
		*out = neg ? -n : n;
		return 0;
	}
	/* A fraction, an exponent, or a big number. */
	if (v->n >= sizeof tmp)
		return -1;
	memcpy(tmp, v->p, v->n);
	tmp[v->n] = '\0';
	errno = 0;
	d = strtod(tmp, &end);
	if (errno != 0 || !isfinite(d) || d >= 9.2e18 || d <= -9.2e18)
		return -1;
	*out = (int64_t)d;
	return 0;
}
