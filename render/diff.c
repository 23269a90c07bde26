/*
 * render/diff.c - word diff of two texts.
 *
 * Both texts are cut into tokens (words as whole grapheme clusters, runs of
 * white space, single other clusters); each token gets a key folded with
 * utf8proc (case fold, decomposition, marks stripped, plus the Latin
 * letters whose stroke is not a combining mark: ł ø đ ħ ı), and Myers'
 * greedy O(ND) algorithm ("An O(ND) Difference Algorithm and Its
 * Variations", 1986) matches the keys. A matched pair whose bytes differ is
 * a case-only or accent-only change. After the common prefix and suffix are
 * trimmed, a middle that needs more than MAX_D edits is reported as one
 * deletion and one insertion rather than spending quadratic memory.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/core.h"
#include "render/render.h"

#define MAX_D	2000

struct token {
	size_t		 off;
	size_t		 len;
	char		*key;
	size_t		 keylen;
	uint32_t	 hash;
	bool		 space;
};

struct out {
	struct diff_span	*v;
	size_t			 n;
	size_t			 cap;
};

static uint32_t
hash(const char *s, size_t n)
{
	uint32_t	h = 2166136261u;
	size_t		i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static void
fold(struct token *t, const char *s)
{
	utf8proc_uint8_t	*out = NULL;
	utf8proc_ssize_t	 n;
	struct buf		 b;
	size_t			 i, k;
	int32_t			 cp;

	n = utf8proc_map((const utf8proc_uint8_t *)s + t->off,
	    (utf8proc_ssize_t)t->len, &out, UTF8PROC_CASEFOLD |
	    UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK);
	if (n < 0) {
		t->key = xstrndup(s + t->off, t->len);
		t->keylen = t->len;
		free(out);
		return;
	}
	buf_init(&b, BUF_NO_LIMIT);
	for (i = 0; i < (size_t)n; i += k) {
		k = utf8_decode((const char *)out + i, n - i, &cp);
		switch (cp) {
		case 0x0142: buf_addc(&b, 'l'); break;
		case 0x00F8: buf_addc(&b, 'o'); break;
		case 0x0111: buf_addc(&b, 'd'); break;
		case 0x0127: buf_addc(&b, 'h'); break;
		case 0x0131: buf_addc(&b, 'i'); break;
		default: buf_add(&b, out + i, k); break;
		}
	}
	free(out);
	t->key = buf_take(&b, &t->keylen);
}

static bool
is_word(int32_t cp)
{
	utf8proc_category_t	c;

	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
		    (cp >= '0' && cp <= '9') || cp == '_';
	c = utf8proc_category(cp);
	return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
	    (c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_NO);
}

static bool
is_space(int32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' ||
	    (cp >= 0x80 && utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS);
}

static size_t
tokenize(const char *s, size_t len, struct token **tp)
{
	struct token	*v = NULL;
	size_t		 n = 0, cap = 0, pos = 0, next, start;
	int32_t		 cp;
	int		 cls, c2;

	while (pos < len) {
		start = pos;
		utf8_decode(s + pos, len - pos, &cp);
		cls = is_space(cp) ? 1 : is_word(cp) ? 2 : 3;
		next = grapheme_next(s, len, pos, NULL);
		pos = next;
		while (cls != 3 && pos < len) {
			utf8_decode(s + pos, len - pos, &cp);
			c2 = is_space(cp) ? 1 : is_word(cp) ? 2 : 3;
			if (c2 != cls)
				break;
			pos = grapheme_next(s, len, pos, NULL);
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			v = xrealloc(v, cap * sizeof *v);
		}
		v[n].off = start;
		v[n].len = pos - start;
		v[n].space = cls == 1;
		if (cls == 1) {
			v[n].key = xstrdup(" ");
			v[n].keylen = 1;
		} else
			fold(&v[n], s);
		v[n].hash = hash(v[n].key, v[n].keylen);
		n++;
	}
	*tp = v;
	return n;
}

static bool
same(const struct token *a, const struct token *b)
{
	return a->hash == b->hash && a->keylen == b->keylen &&
	    memcmp(a->key, b->key, a->keylen) == 0;
}

static void
out_add(struct out *o, enum diff_op op, size_t ao, size_t al, size_t bo,
    size_t bl)
{
	struct diff_span	*d;

	if (al == 0 && bl == 0)
		return;
	if (o->n > 0) {
		d = &o->v[o->n - 1];
		if (d->op == op && d->a_off + d->a_len == ao &&
		    d->b_off + d->b_len == bo) {
			d->a_len += al;
			d->b_len += bl;
			return;
		}
	}
	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 16;
		o->v = xrealloc(o->v, o->cap * sizeof *o->v);
	}
	d = &o->v[o->n++];
	d->op = op;
	d->a_off = ao;
	d->a_len = al;
	d->b_off = bo;
	d->b_len = bl;
}

/* Emit a matched token pair. */
static void
match(struct out *o, const char *a, const struct token *ta, const char *b,
    const struct token *tb)
{
	bool	exact = ta->len == tb->len &&
	    memcmp(a + ta->off, b + tb->off, ta->len) == 0;

	out_add(o, exact || ta->space ? DIFF_EQUAL : DIFF_CASE, ta->off,
	    ta->len, tb->off, tb->len);
}

/*
 * Myers over ta[0..n) and tb[0..m): fills ops with 'e' (match), 'd', 'i'
 * in order; returns the count, or -1 when more than MAX_D edits are needed.
 */
static long
myers(const struct token *ta, size_t n, const struct token *tb, size_t m,
    char **opsp)
{
	long	 max = (long)(n + m), off, d, k, x, y, dmax;
	long	*v, **trace;
	char	*ops;
	long	 nops = 0, i;

	dmax = max < MAX_D ? max : MAX_D;
	off = dmax + 1;
	v = xcalloc(2 * off + 1, sizeof *v);
	trace = xcalloc(dmax + 1, sizeof *trace);
	for (d = 0; d <= dmax; d++) {
		for (k = -d; k <= d; k += 2) {
			if (k == -d || (k != d && v[off + k - 1] <
			    v[off + k + 1]))
				x = v[off + k + 1];
			else
				x = v[off + k - 1] + 1;
			y = x - k;
			while (x < (long)n && y < (long)m &&
			    same(&ta[x], &tb[y])) {
				x++;
				y++;
			}
			v[off + k] = x;
			if (x >= (long)n && y >= (long)m)
				goto found;
		}
		trace[d] = xmalloc((2 * off + 1) * sizeof *v);
		memcpy(trace[d], v, (2 * off + 1) * sizeof *v);
	}
	for (i = 0; i < dmax + 1; i++)
		free(trace[i]);
	free(trace);
	free(v);
	return -1;
found:
	/* Walk back from (n, m), recording ops in reverse. */
	ops = xmalloc(n + m + 1);
	x = (long)n;
	y = (long)m;
	for (; d > 0; d--) {
		long	*pv = trace[d - 1], pk, px, py;

		k = x - y;
		if (k == -d || (k != d && pv[off + k - 1] < pv[off + k + 1]))
			pk = k + 1;
		else
			pk = k - 1;
		px = pv[off + pk];
		py = px - pk;
		while (x > px && y > py) {
			ops[nops++] = 'e';
			x--;
			y--;
		}
		if (x == px)
			ops[nops++] = 'i';
		else
			ops[nops++] = 'd';
		x = px;
		y = py;
	}
	while (x > 0 && y > 0) {
		ops[nops++] = 'e';
		x--;
		y--;
	}
	for (i = 0; i < nops / 2; i++) {
		char	t = ops[i];

		ops[i] = ops[nops - 1 - i];
		ops[nops - 1 - i] = t;
	}
	for (i = 0; i <= dmax; i++)
		free(trace[i]);
	free(trace);
	free(v);
	*opsp = ops;
	return nops;
}

size_t
diff_words(const char *a, size_t alen, const char *b, size_t blen,
    struct diff_span **spansp)
{
	struct token	*ta, *tb;
	size_t		 na, nb, pre = 0, suf = 0, i, x, y;
	struct out	 o = { NULL, 0, 0 };
	char		*ops;
	long		 nops, j;

	na = tokenize(a, alen, &ta);
	nb = tokenize(b, blen, &tb);
	while (pre < na && pre < nb && same(&ta[pre], &tb[pre]))
		pre++;
	while (suf < na - pre && suf < nb - pre &&
	    same(&ta[na - 1 - suf], &tb[nb - 1 - suf]))
		suf++;
	for (i = 0; i < pre; i++)
		match(&o, a, &ta[i], b, &tb[i]);
	nops = myers(ta + pre, na - pre - suf, tb + pre, nb - pre - suf, &ops);
	x = pre;
	y = pre;
	if (nops < 0) {
		for (; x < na - suf; x++)
			out_add(&o, DIFF_DELETE, ta[x].off, ta[x].len,
			    y < nb ? tb[y].off : blen, 0);
		for (; y < nb - suf; y++)
			out_add(&o, DIFF_INSERT, x < na ? ta[x].off : alen, 0,
			    tb[y].off, tb[y].len);
	} else {
		for (j = 0; j < nops; j++) {
			size_t	ao = x < na ? ta[x].off : alen;
			size_t	bo = y < nb ? tb[y].off : blen;

			if (ops[j] == 'e') {
				match(&o, a, &ta[x], b, &tb[y]);
				x++;
				y++;
			} else if (ops[j] == 'd') {
				out_add(&o, DIFF_DELETE, ao, ta[x].len, bo, 0);
				x++;
			} else {
				out_add(&o, DIFF_INSERT, ao, 0, bo, tb[y].len);
				y++;
			}
		}
		free(ops);
	}
	for (i = 0; i < suf; i++)
		match(&o, a, &ta[na - suf + i], b, &tb[nb - suf + i]);
	for (i = 0; i < na; i++)
		free(ta[i].key);
	for (i = 0; i < nb; i++)
		free(tb[i].key);
	free(ta);
	free(tb);
	*spansp = o.v;
	return o.n;
}
