/*
 * net/json.c - a JSON reader for the hot path of the adapters.
 *
 * A streamed answer is one small JSON document per token, and building a
 * cJSON tree for each (a malloc per node and per string, strtod for every
 * number) cost more CPU than everything else tolk does with the token. This
 * reader checks the whole document against the JSON grammar and records
 * where every value lies in a flat array of tokens, reused from one
 * document to the next, so a warm parse allocates nothing. Strings are
 * decoded only when asked for. The rules match what the adapters need
 * (PROTOCOLS.md 1.4): \uXXXX with surrogate pairs, a lone surrogate read as
 * U+FFFD, invalid UTF-8 passed on unchanged, any white space, the first of
 * duplicate keys wins. Error documents, a cold path, are still read with
 * cJSON.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "net/adapter_impl.h"

/* As deep as cJSON goes (CJSON_NESTING_LIMIT). */
#define JSON_MAX_DEPTH 1000

void
jdoc_init(struct jdoc *d)
{
	memset(d, 0, sizeof *d);
	buf_init(&d->str, BUF_NO_LIMIT);
	buf_init(&d->key, BUF_NO_LIMIT);
}

void
jdoc_release(struct jdoc *d)
{
	free(d->t);
	buf_release(&d->str);
	buf_release(&d->key);
	memset(d, 0, sizeof *d);
}

static inline int
push(struct jdoc *d, enum jtype type, size_t start)
{
	if (__builtin_expect(d->n == d->cap, 0)) {
		d->cap = d->cap == 0 ? 64 : d->cap * 2;
		d->t = xrealloc(d->t, d->cap * sizeof *d->t);
	}
	d->t[d->n].type = type;
	d->t[d->n].esc = false;
	d->t[d->n].start = start;
	d->t[d->n].len = 0;
	d->t[d->n].next = 0;
	return (int)d->n++;
}

static inline size_t
skip_ws(const char *s, size_t len, size_t p)
{
	while (p < len && (s[p] == ' ' || s[p] == '\t' || s[p] == '\n' ||
	    s[p] == '\r'))
		p++;
	return p;
}

static bool
is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A string starting at s[*p] == '"'; the token spans its raw contents. */
static int
scan_string(struct jdoc *d, size_t *p)
{
	const char	*s = d->s, *q, *bs;
	size_t		 i = *p + 1, k;
	int		 t;

	t = push(d, JSON_STRING, i);
	for (;;) {
		/* Jump to the next quote; escapes before it are checked. */
		q = memchr(s + i, '"', d->len - i);
		if (q == NULL)
			return -1;
		bs = memchr(s + i, '\\', q - (s + i));
		if (bs == NULL) {
			i = q - s;
			break;
		}
		i = bs - s;
		d->t[t].esc = true;
		if (i + 1 >= d->len)
			return -1;
		switch (s[i + 1]) {
		case '"': case '\\': case '/': case 'b': case 'f': case 'n':
		case 'r': case 't':
			i += 2;
			break;
		case 'u':
			if (i + 6 > d->len)
				return -1;
			for (k = 2; k < 6; k++)
				if (!is_hex(s[i + k]))
					return -1;
			i += 6;
			break;
		default:
			return -1;
		}
	}
	d->t[t].len = i - d->t[t].start;
	d->t[t].next = d->n;
	*p = i + 1;
	return 0;
}

static int
scan_number(struct jdoc *d, size_t *p)
{
	const char	*s = d->s;
	size_t		 i = *p, n = d->len;
	int		 t;

	t = push(d, JSON_NUMBER, i);
	if (i < n && s[i] == '-')
		i++;
	if (i < n && s[i] == '0')
		i++;
	else if (i < n && s[i] >= '1' && s[i] <= '9')
		while (i < n && is_digit(s[i]))
			i++;
	else
		return -1;
	if (i < n && s[i] == '.') {
		if (++i >= n || !is_digit(s[i]))
			return -1;
		while (i < n && is_digit(s[i]))
			i++;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= n || !is_digit(s[i]))
			return -1;
		while (i < n && is_digit(s[i]))
			i++;
	}
	d->t[t].len = i - *p;
	d->t[t].next = d->n;
	*p = i;
	return 0;
}

static int
scan_literal(struct jdoc *d, size_t *p, const char *word, enum jtype type)
{
	size_t	n = strlen(word);
	int	t;

	if (d->len - *p < n || memcmp(d->s + *p, word, n) != 0)
		return -1;
	t = push(d, type, *p);
	d->t[t].len = n;
	d->t[t].next = d->n;
	*p += n;
	return 0;
}

static int
scan_value(struct jdoc *d, size_t *p, int depth)
{
	const char	*s = d->s;
	size_t		 i;
	int		 t;
	char		 close;

	i = skip_ws(s, d->len, *p);
	if (i >= d->len)
		return -1;
	switch (s[i]) {
	case '"':
		*p = i;
		return scan_string(d, p);
	case 't':
		*p = i;
		return scan_literal(d, p, "true", JSON_TRUE);
	case 'f':
		*p = i;
		return scan_literal(d, p, "false", JSON_FALSE);
	case 'n':
		*p = i;
		return scan_literal(d, p, "null", JSON_NULL);
	case '{':
	case '[':
		break;
	default:
		*p = i;
		return scan_number(d, p);
	}
	if (depth >= JSON_MAX_DEPTH)
		return -1;
	close = s[i] == '{' ? '}' : ']';
	t = push(d, close == '}' ? JSON_OBJECT : JSON_ARRAY, i);
	i = skip_ws(s, d->len, i + 1);
	if (i < d->len && s[i] == close)
		i++;
	else {
		for (;;) {
			if (close == '}') {
				i = skip_ws(s, d->len, i);
				if (i >= d->len || s[i] != '"' ||
				    scan_string(d, &i) == -1)
					return -1;
				i = skip_ws(s, d->len, i);
				if (i >= d->len || s[i] != ':')
					return -1;
				i++;
			}
			if (scan_value(d, &i, depth + 1) == -1)
				return -1;
			i = skip_ws(s, d->len, i);
			if (i >= d->len)
				return -1;
			if (s[i] == close) {
				i++;
				break;
			}
			if (s[i] != ',')
				return -1;
			i++;
		}
	}
	d->t[t].len = i - d->t[t].start;
	d->t[t].next = d->n;
	*p = i;
	return 0;
}

int
jdoc_parse(struct jdoc *d, const char *s, size_t len)
{
	size_t	p = 0;

	d->s = s;
	d->len = len;
	d->n = 0;
	if (scan_value(d, &p, 0) == -1 || skip_ws(s, len, p) != len) {
		d->n = 0;
		return -1;
	}
	return 0;
}

int
jdoc_parse_string_body(struct jdoc *d, const char *s, size_t len)
{
	const char	*p = s, *end = s + len, *bs;
	bool		 esc = false;
	int		 k;

	/* The contents of a string: no bare quote, only valid escapes. */
	for (;;) {
		bs = memchr(p, '\\', (size_t)(end - p));
		if (memchr(p, '"', (size_t)((bs != NULL ? bs : end) - p)) !=
		    NULL)
			return -1;
		if (bs == NULL)
			break;
		esc = true;
		if (bs + 1 >= end)
			return -1;
		switch (bs[1]) {
		case '"': case '\\': case '/': case 'b': case 'f': case 'n':
		case 'r': case 't':
			p = bs + 2;
			break;
		case 'u':
			if (end - bs < 6)
				return -1;
			for (k = 2; k < 6; k++)
				if (!is_hex(bs[k]))
					return -1;
			p = bs + 6;
			break;
		default:
			return -1;
		}
	}
	d->s = s;
	d->len = len;
	d->n = 0;
	push(d, JSON_STRING, 0);
	d->t[0].esc = esc;
	d->t[0].len = len;
	d->t[0].next = 1;
	return 0;
}

static unsigned
hex4(const char *s)
{
	unsigned	v = 0;
	int		k, c;

	for (k = 0; k < 4; k++) {
		c = (unsigned char)s[k];
		v <<= 4;
		if (c <= '9')
			v |= c - '0';
		else if (c <= 'F')
			v |= c - 'A' + 10;
		else
			v |= c - 'a' + 10;
	}
	return v;
}

static void
add_utf8(struct buf *b, unsigned c)
{
	char	u[4];

	if (c < 0x80)
		buf_addc(b, c);
	else if (c < 0x800) {
		u[0] = 0xc0 | (c >> 6);
		u[1] = 0x80 | (c & 0x3f);
		buf_add(b, u, 2);
	} else if (c < 0x10000) {
		u[0] = 0xe0 | (c >> 12);
		u[1] = 0x80 | ((c >> 6) & 0x3f);
		u[2] = 0x80 | (c & 0x3f);
		buf_add(b, u, 3);
	} else {
		u[0] = 0xf0 | (c >> 18);
		u[1] = 0x80 | ((c >> 12) & 0x3f);
		u[2] = 0x80 | ((c >> 6) & 0x3f);
		u[3] = 0x80 | (c & 0x3f);
		buf_add(b, u, 4);
	}
}

/* Decode string token t into b (reset first). Like cJSON, a \u0000 ends
 * the string. */
static void
decode(const struct jdoc *d, const struct jtok *t, struct buf *b)
{
	const char	*s = d->s + t->start, *end = s + t->len, *bs;
	unsigned	 c, c2;

	buf_reset(b);
	if (!t->esc) {
		buf_add(b, s, t->len);
		return;
	}
	while (s < end) {
		bs = memchr(s, '\\', end - s);
		if (bs == NULL) {
			buf_add(b, s, end - s);
			break;
		}
		buf_add(b, s, bs - s);
		s = bs + 2;
		switch (bs[1]) {
		case 'b':
			buf_addc(b, '\b');
			continue;
		case 'f':
			buf_addc(b, '\f');
			continue;
		case 'n':
			buf_addc(b, '\n');
			continue;
		case 'r':
			buf_addc(b, '\r');
			continue;
		case 't':
			buf_addc(b, '\t');
			continue;
		case 'u':
			break;
		default:
			buf_addc(b, bs[1]);	/* " \ / */
			continue;
		}
		c = hex4(bs + 2);
		s = bs + 6;
		if (c == 0)
			return;
		if (c >= 0xd800 && c <= 0xdbff && end - s >= 6 &&
		    s[0] == '\\' && s[1] == 'u' &&
		    (c2 = hex4(s + 2)) >= 0xdc00 && c2 <= 0xdfff) {
			c = 0x10000 + ((c - 0xd800) << 10) + (c2 - 0xdc00);
			s += 6;
		} else if (c >= 0xd800 && c <= 0xdfff)
			c = 0xfffd;	/* a lone surrogate */
		add_utf8(b, c);
	}
}

const char *
jstr(struct jdoc *d, int i, size_t *lenp)
{
	if (!jis(d, i, JSON_STRING))
		return NULL;
	decode(d, &d->t[i], &d->str);
	if (d->str.data == NULL)
		buf_addstr(&d->str, "");
	if (lenp != NULL)
		*lenp = d->str.len;
	return d->str.data;
}

static bool
tok_eq(struct jdoc *d, const struct jtok *t, const char *want, size_t n)
{
	if (!t->esc)
		return t->len == n && memcmp(d->s + t->start, want, n) == 0;
	decode(d, t, &d->key);
	return d->key.len == n && memcmp(d->key.data, want, n) == 0;
}

bool
jstreq(struct jdoc *d, int i, const char *want)
{
	if (!jis(d, i, JSON_STRING))
		return false;
	return tok_eq(d, &d->t[i], want, strlen(want));
}

int
jget_n(struct jdoc *d, int obj, const char *key, size_t n)
{
	const struct jtok	*t;
	size_t			 k, end;

	if (!jis(d, obj, JSON_OBJECT) || n == 0)
		return -1;
	end = d->t[obj].next;
	for (k = obj + 1; k < end; k = d->t[k + 1].next) {
		t = &d->t[k];
		/* Most keys differ in length or first byte. */
		if (!t->esc && (t->len != n || d->s[t->start] != key[0]))
			continue;
		if (tok_eq(d, t, key, n))
			return (int)k + 1;
	}
	return -1;
}

int
jat(const struct jdoc *d, int arr, size_t idx)
{
	size_t	k, end;

	if (!jis(d, arr, JSON_ARRAY))
		return -1;
	end = d->t[arr].next;
	for (k = arr + 1; k < end; k = d->t[k].next)
		if (idx-- == 0)
			return (int)k;
	return -1;
}

int
jnext(const struct jdoc *d, int arr, int prev)
{
	size_t	k;

	if (!jis(d, arr, JSON_ARRAY))
		return -1;
	k = prev < 0 ? (size_t)arr + 1 : d->t[prev].next;
	return k < d->t[arr].next ? (int)k : -1;
}

int64_t
jcount(const struct jdoc *d, int i)
{
	const char	*s, *end;
	int64_t		 v = 0;

	if (!jis(d, i, JSON_NUMBER))
		return USAGE_UNKNOWN;
	s = d->s + d->t[i].start;
	end = s + d->t[i].len;
	if (*s == '-')
		return USAGE_UNKNOWN;
	for (; s < end && is_digit(*s); s++) {
		if (v > (INT64_C(9000000000000000) - 9) / 10)
			return USAGE_UNKNOWN;
		v = v * 10 + (*s - '0');
	}
	/* 12.0 is 12; 1.5 or 1e3 is no count of tokens. */
	if (s < end && *s == '.')
		for (s++; s < end && *s == '0'; s++)
			;
	return s == end ? v : USAGE_UNKNOWN;
}

bool
jtruthy(const struct jdoc *d, int i)
{
	return i >= 0 && !jis(d, i, JSON_NULL) && !jis(d, i, JSON_FALSE);
}
