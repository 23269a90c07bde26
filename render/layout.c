/*
 * render/layout.c - rich text and display lines.
 *
 * Rich text (struct rt) is what the block layout builds before wrapping: the
 * text, and runs that carry a style and the source range they stand for.
 * lines_add() cuts a wrapped piece out of it into a struct render_line,
 * splitting runs at the cut and keeping their source mapping exact.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "render/render-private.h"

void
rt_init(struct rt *rt)
{
	memset(rt, 0, sizeof *rt);
	buf_init(&rt->text, BUF_NO_LIMIT);
}

void
rt_reset(struct rt *rt)
{
	buf_reset(&rt->text);
	rt->nruns = 0;
	rt->width = 0;
}

void
rt_release(struct rt *rt)
{
	buf_release(&rt->text);
	free(rt->runs);
	rt->runs = NULL;
	rt->nruns = rt->cap = 0;
}

static void
add_run(struct rt *rt, const char *p, size_t n, uint32_t style, uint32_t link,
    size_t src, size_t src_len, bool exact)
{
	struct run	*r;

	if (n == 0)
		return;
	if (src == RENDER_NOSRC)
		exact = false;
	if (rt->nruns > 0) {
		r = &rt->runs[rt->nruns - 1];
		if (r->style == style && r->link == link &&
		    r->off + r->len == rt->text.len &&
		    ((src == RENDER_NOSRC && r->src == RENDER_NOSRC) ||
		    (exact && r->exact && r->src + r->src_len == src))) {
			buf_add(&rt->text, p, n);
			r->len += n;
			if (src != RENDER_NOSRC)
				r->src_len += n;
			return;
		}
	}
	if (rt->nruns == rt->cap) {
		rt->cap = rt->cap ? rt->cap * 2 : 16;
		rt->runs = xrealloc(rt->runs, rt->cap * sizeof *rt->runs);
	}
	r = &rt->runs[rt->nruns++];
	r->off = rt->text.len;
	r->len = n;
	r->style = style;
	r->link = link;
	r->src = src;
	r->src_len = src == RENDER_NOSRC ? 0 : src_len;
	r->exact = exact;
	buf_add(&rt->text, p, n);
}

void
rt_add(struct rt *rt, const char *p, size_t n, uint32_t style, uint32_t link,
    size_t src, size_t src_len)
{
	add_run(rt, p, n, style, link, src, src_len, src_len == n);
}

void
rt_add_whole(struct rt *rt, const char *p, size_t n, uint32_t style,
    uint32_t link, size_t src, size_t src_len)
{
	add_run(rt, p, n, style, link, src, src_len, false);
}

void
rt_addstr(struct rt *rt, const char *s, uint32_t style)
{
	rt_add(rt, s, strlen(s), style, 0, RENDER_NOSRC, 0);
}

void
rt_spaces(struct rt *rt, int n, uint32_t style)
{
	static const char	sp[] = "                                ";

	while (n > 0) {
		int	k = n > 32 ? 32 : n;

		rt_add(rt, sp, k, style, 0, RENDER_NOSRC, 0);
		n -= k;
	}
}

void
rt_mark(const struct rt *rt, struct rt_mark *mk)
{
	mk->len = rt->text.len;
	mk->nruns = rt->nruns;
	mk->run_len = rt->nruns > 0 ? rt->runs[rt->nruns - 1].len : 0;
	mk->run_src_len = rt->nruns > 0 ?
	    rt->runs[rt->nruns - 1].src_len : 0;
}

void
rt_rewind(struct rt *rt, const struct rt_mark *mk)
{
	rt->text.len = mk->len;
	if (rt->text.data != NULL)
		rt->text.data[mk->len] = '\0';
	rt->nruns = mk->nruns;
	if (mk->nruns > 0) {
		rt->runs[mk->nruns - 1].len = mk->run_len;
		rt->runs[mk->nruns - 1].src_len = mk->run_src_len;
	}
	rt->width = 0;
}

/* The index of the run holding byte off (runs cover text in order). */
static size_t
run_at(const struct rt *rt, size_t off)
{
	size_t	lo = 0, hi = rt->nruns, mid;

	while (hi - lo > 1) {
		mid = (lo + hi) / 2;
		if (rt->runs[mid].off <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

void
rt_append(struct rt *dst, const struct rt *src, size_t start, size_t end)
{
	size_t			 i, a, b;
	const struct run	*r;

	if (start >= end || src->nruns == 0)
		return;
	for (i = run_at(src, start); i < src->nruns; i++) {
		r = &src->runs[i];
		if (r->off >= end)
			break;
		a = r->off > start ? r->off : start;
		b = r->off + r->len < end ? r->off + r->len : end;
		if (a >= b)
			continue;
		if (r->src == RENDER_NOSRC)
			rt_add(dst, src->text.data + a, b - a, r->style,
			    r->link, RENDER_NOSRC, 0);
		else if (r->exact)
			rt_add(dst, src->text.data + a, b - a, r->style,
			    r->link, r->src + (a - r->off), b - a);
		else
			rt_add_whole(dst, src->text.data + a, b - a, r->style,
			    r->link, r->src, r->src_len);
	}
}

/* An exact copy of src (text and runs). */
void
rt_copy(struct rt *dst, const struct rt *src)
{
	rt_reset(dst);
	if (src->text.len > 0)
		buf_add(&dst->text, src->text.data, src->text.len);
	if (dst->cap < src->nruns) {
		dst->cap = src->nruns;
		dst->runs = xrealloc(dst->runs, dst->cap * sizeof *dst->runs);
	}
	if (src->nruns > 0)
		memcpy(dst->runs, src->runs, src->nruns * sizeof *dst->runs);
	dst->nruns = src->nruns;
}

static bool
run_same(const struct run *a, const struct run *b)
{
	return a->off == b->off && a->len == b->len && a->style == b->style &&
	    a->link == b->link && a->src == b->src &&
	    a->src_len == b->src_len && a->exact == b->exact;
}

bool
rt_same(const struct rt *a, const struct rt *b)
{
	size_t	i;

	if (a->text.len != b->text.len || a->nruns != b->nruns ||
	    (a->text.len > 0 && memcmp(a->text.data, b->text.data,
	    a->text.len) != 0))
		return false;
	for (i = 0; i < a->nruns; i++)
		if (!run_same(&a->runs[i], &b->runs[i]))
			return false;
	return true;
}

/* Whether runs a[0..na) and b[0..nb) (of texts that agree) are the same
 * over [0, p), or from their first run on, over that run's start to p. */
bool
rt_runs_agree(const struct run *a, size_t na, const struct run *b, size_t nb,
    size_t p)
{
	size_t			 i;
	const struct run	*x, *y;

	for (i = 0; i < na && i < nb; i++) {
		x = &a[i];
		y = &b[i];
		if (x->off >= p)
			return y->off >= p || y->off == x->off;
		if (x->off + x->len >= p && y->off + y->len >= p &&
		    x->off == y->off && x->style == y->style &&
		    x->link == y->link && x->src == y->src &&
		    x->exact && y->exact)
			return true;	/* both run on past p the same way */
		if (!run_same(x, y))
			return false;
	}
	return i < na ? a[i].off >= p : i < nb ? b[i].off >= p : true;
}

/* Whether a and b have the same runs over [0, p) (texts already agree). */
bool
rt_same_upto(const struct rt *a, const struct rt *b, size_t p)
{
	return rt_runs_agree(a->runs, a->nruns, b->runs, b->nruns, p);
}

static struct render_line *
line_new(struct lines *ls)
{
	struct render_line	*l;

	if (ls->n == ls->cap) {
		ls->cap = ls->cap ? ls->cap * 2 : 64;
		ls->v = xrealloc(ls->v, ls->cap * sizeof *ls->v);
	}
	l = &ls->v[ls->n++];
	memset(l, 0, sizeof *l);
	l->src_start = l->src_end = RENDER_NOSRC;
	return l;
}

/* Append to line l (text already in place) a span for text [off, off+n)
 * of run r, the way rt_append() would add it: merged into the last span
 * when add_run() would merge it. */
static void
span_add(struct render_line *l, const struct run *r, size_t off, size_t n,
    size_t rel)
{
	struct render_span	*p;
	size_t			 src = RENDER_NOSRC, src_len = 0;
	bool			 exact = false;

	if (n == 0)
		return;
	if (r->src != RENDER_NOSRC) {
		if (r->exact) {
			src = r->src + rel;
			src_len = n;
			exact = true;
		} else {
			src = r->src;
			src_len = r->src_len;
		}
	}
	if (l->nspans > 0) {
		p = &l->spans[l->nspans - 1];
		if (p->style == r->style && p->link == r->link &&
		    ((src == RENDER_NOSRC && p->src == RENDER_NOSRC) ||
		    (exact && p->exact && p->src + p->src_len == src))) {
			p->len += (uint32_t)n;
			if (src != RENDER_NOSRC)
				p->src_len += n;
			return;
		}
	}
	p = &l->spans[l->nspans++];
	memset(p, 0, sizeof *p);	/* padding too: lines compare whole */
	p->off = (uint32_t)off;
	p->len = (uint32_t)n;
	p->style = r->style;
	p->link = r->link;
	p->src = src;
	p->src_len = src_len;
	p->exact = exact;
}

/* The spans of rt[start..end) appended at line offset at. */
static void
spans_add(struct render_line *l, const struct rt *rt, size_t start,
    size_t end, size_t at)
{
	size_t			 i, a, b;
	const struct run	*r;

	if (start >= end || rt->nruns == 0)
		return;
	for (i = run_at(rt, start); i < rt->nruns; i++) {
		r = &rt->runs[i];
		if (r->off >= end)
			break;
		a = r->off > start ? r->off : start;
		b = r->off + r->len < end ? r->off + r->len : end;
		if (a < b)
			span_add(l, r, at + (a - start), b - a, a - r->off);
	}
}

/*
 * The buffers of a line with spans are allocated in these steps, so that
 * lines_recycle() knows them to hold at least TROUND(len + 1) bytes and
 * SROUND(nspans) spans: a line that grows by a few bytes from layout to
 * layout (the last line of a streaming paragraph) reuses its buffers.
 */
#define TROUND(n)	(((n) + 127) & ~(size_t)127)
#define SROUND(n)	(((n) + 7) & ~(size_t)7)

/* A new line with room for tcap bytes of text (and its NUL) and scap
 * spans, in the buffers of a dropped line when there is one. */
struct render_line *
line_open(struct lines *ls, size_t tcap, size_t scap)
{
	struct render_line	*l = line_new(ls);

	if (scap == 0)
		scap = 1;
	if (ls->npool > 0) {
		/* The buffers of a line dropped by the last layout. */
		struct lbuf	*b = &ls->pool[--ls->npool];

		if (b->tcap < tcap + 1) {
			free(b->text);
			b->text = xmalloc(TROUND(tcap + 1));
		}
		if (b->scap < scap) {
			free(b->spans);
			b->spans = xmalloc(SROUND(scap) * sizeof *l->spans);
		}
		l->text = b->text;
		l->spans = b->spans;
	} else {
		l->text = xmalloc(TROUND(tcap + 1));
		l->spans = xmalloc(SROUND(scap) * sizeof *l->spans);
	}
	l->len = 0;
	l->nspans = 0;
	return l;
}

/* Append rt[start..end) to a line from line_open(): its text, and spans
 * made the way rt_append() makes runs (the same merging). */
void
line_put(struct render_line *l, const struct rt *rt, size_t start,
    size_t end)
{
	if (start >= end)
		return;
	memcpy(l->text + l->len, rt->text.data + start, end - start);
	spans_add(l, rt, start, end, l->len);
	l->len += end - start;
}

/* Append n bytes of decoration (no source) in style. */
void
line_put_deco(struct render_line *l, const char *p, size_t n,
    uint32_t style)
{
	struct run	r;

	if (n == 0)
		return;
	memset(&r, 0, sizeof r);
	r.style = style;
	r.src = RENDER_NOSRC;
	memcpy(l->text + l->len, p, n);
	span_add(l, &r, l->len, n, 0);
	l->len += n;
}

/* Finish a line: NUL, tabs drawn as spaces, its source range and width
 * (measured when width < 0). */
void
line_close(struct render_line *l, int width)
{
	size_t				 i;
	const struct render_span	*sp;
	char				*p;

	/* A tab left in text was measured as one column: draw a space. */
	for (p = memchr(l->text, '\t', l->len); p != NULL;
	    p = memchr(p + 1, '\t', l->len - (size_t)(p + 1 - l->text)))
		*p = ' ';
	l->text[l->len] = '\0';
	if (l->nspans == 0)
		memset(l->spans, 0, sizeof *l->spans);
	for (i = 0; i < l->nspans; i++) {
		sp = &l->spans[i];
		if (sp->src != RENDER_NOSRC) {
			if (l->src_start == RENDER_NOSRC || sp->src <
			    l->src_start)
				l->src_start = sp->src;
			if (l->src_end == RENDER_NOSRC ||
			    sp->src + sp->src_len > l->src_end)
				l->src_end = sp->src + sp->src_len;
		}
	}
	l->width = width >= 0 ? width : (int)width_text(l->text, l->len);
}

/*
 * The line is built straight from prefix and body: text copied once, and
 * spans made the way rt_append() of both into one rich text would make its
 * runs (the same merging), without that rich text in between.
 */
void
lines_add(struct lines *ls, const struct rt *prefix, const struct rt *body,
    size_t start, size_t end, int width)
{
	struct render_line	*l;
	size_t			 plen, nmax;

	plen = prefix != NULL ? prefix->text.len : 0;
	if (end < start)
		end = start;
	nmax = (prefix != NULL ? prefix->nruns : 0) + (body->nruns > 0 &&
	    start < end ? body->nruns - run_at(body, start) : 0);
	l = line_open(ls, plen + (end - start), nmax);
	if (prefix != NULL)
		line_put(l, prefix, 0, plen);
	line_put(l, body, start, end);
	line_close(l, width);
}

/*
 * Grow line l, made by lines_add() of some prefix and body[start, old_end),
 * to what lines_add() makes of that prefix and body[start, end): body must
 * agree (text and runs) with the rich text l was made of up to old_end.
 * Appending the spans of body[old_end, end) merges them as one pass would,
 * except inside a run that stands for its source as a whole: when old_end
 * cuts one, this returns false and leaves l as it was.
 */
bool
line_extend(struct render_line *l, const struct rt *body, size_t old_end,
    size_t end, int width)
{
	const struct run	*r;
	size_t			 i, n, need, len;

	if (end < old_end || body->nruns == 0 || l->spans == NULL)
		return false;
	i = run_at(body, old_end);
	r = &body->runs[i];
	if (r->off < old_end && old_end < r->off + r->len && !r->exact &&
	    r->src != RENDER_NOSRC)
		return false;
	len = l->len + (end - old_end);
	if (len + 1 > TROUND(l->len + 1))
		l->text = xrealloc(l->text, TROUND(len + 1));
	for (n = 0; i < body->nruns && body->runs[i].off < end; i++)
		n++;
	need = l->nspans + n;
	if (need > SROUND(l->nspans ? l->nspans : 1))
		l->spans = xrealloc(l->spans, SROUND(need) * sizeof *l->spans);
	line_put(l, body, old_end, end);
	l->src_start = l->src_end = RENDER_NOSRC;
	line_close(l, width);
	return true;
}

/* Room in line l (from line_open()) for len bytes of text. */
void
line_reserve(struct render_line *l, size_t len)
{
	if (len + 1 > TROUND(l->len + 1))
		l->text = xrealloc(l->text, TROUND(len + 1));
}

/*
 * The index of the span of line l that is exactly [off, off + n), spaces
 * of style 0 without source or link (padding), looking from span *hint
 * on (0 at first, moved on for the next call further on); -1 if none.
 */
long
line_pad_span(const struct render_line *l, size_t off, size_t n,
    size_t *hint)
{
	const struct render_span	*sp;
	size_t				 i = *hint;

	while (i < l->nspans && l->spans[i].off < off)
		i++;
	*hint = i;
	if (i == l->nspans || n == 0)
		return -1;
	sp = &l->spans[i];
	if (sp->off != off || sp->len != n || sp->style != 0 ||
	    sp->link != 0 || sp->src != RENDER_NOSRC || off + n > l->len ||
	    strspn(l->text + off, " ") < n)
		return -1;
	return (long)i;
}

/*
 * Where padding (spaces, style 0, no source) inserted at offset off of line
 * l goes, as line_put_deco() would have put it there: into span i - 1 when
 * that one ends at off and the padding would have joined it (*join), else
 * as a new span i. -1 when no span starts at off, or the one there would
 * have joined the padding (a line built at once would differ).
 */
long
line_pad_slot(const struct render_line *l, size_t off, bool *join,
    size_t *hint)
{
	const struct render_span	*sp;
	size_t				 i = *hint;

	while (i < l->nspans && l->spans[i].off < off)
		i++;
	*hint = i;
	if (i == l->nspans || l->spans[i].off != off)
		return -1;
	sp = &l->spans[i];
	if (sp->style == 0 && sp->link == 0 && sp->src == RENDER_NOSRC)
		return -1;
	sp = i > 0 ? &l->spans[i - 1] : NULL;
	*join = sp != NULL && sp->style == 0 && sp->link == 0 &&
	    sp->src == RENDER_NOSRC;
	return (long)i;
}

/* Insert n spaces of padding at offset off of line l, where line_pad_slot()
 * said (span i, join). */
void
line_pad_insert(struct render_line *l, size_t i, bool join, size_t off,
    size_t n)
{
	struct render_span	*sp;
	size_t			 k;

	line_reserve(l, l->len + n);
	memmove(l->text + off + n, l->text + off, l->len - off + 1);
	memset(l->text + off, ' ', n);
	l->len += n;
	for (k = i; k < l->nspans; k++)
		l->spans[k].off = (uint32_t)(l->spans[k].off + n);
	if (join) {
		l->spans[i - 1].len += (uint32_t)n;
		return;
	}
	if (l->nspans + 1 > SROUND(l->nspans ? l->nspans : 1))
		l->spans = xrealloc(l->spans, SROUND(l->nspans + 1) *
		    sizeof *l->spans);
	memmove(l->spans + i + 1, l->spans + i, (l->nspans - i) *
	    sizeof *l->spans);
	l->nspans++;
	sp = &l->spans[i];
	memset(sp, 0, sizeof *sp);	/* padding too: lines compare whole */
	sp->off = (uint32_t)off;
	sp->len = (uint32_t)n;
	sp->src = RENDER_NOSRC;
}

/* Make padding span i of line l (line_pad_span()) n bytes of spaces: the
 * text and the spans after it move. */
void
line_repad(struct render_line *l, size_t i, size_t n)
{
	struct render_span	*sp = &l->spans[i];
	size_t			 old = sp->len, tail, k;

	if (n == old)
		return;
	line_reserve(l, l->len - old + n);
	tail = l->len - (sp->off + old) + 1;	/* and the NUL */
	memmove(l->text + sp->off + n, l->text + sp->off + old, tail);
	if (n > old)
		memset(l->text + sp->off + old, ' ', n - old);
	l->len = l->len - old + n;
	sp->len = (uint32_t)n;
	for (k = i + 1; k < l->nspans; k++)
		l->spans[k].off = (uint32_t)(l->spans[k].off + n - old);
}

void
lines_add_blank(struct lines *ls)
{
	struct render_line	*l = line_new(ls);
	struct lbuf		*b;

	if (ls->npool > 0 && (b = &ls->pool[ls->npool - 1])->spans == NULL) {
		ls->npool--;
		l->text = b->text;
		l->text[0] = '\0';
	} else
		l->text = xstrdup("");
	l->spans = NULL;
}

void
render_line_release(struct render_line *l)
{
	free(l->text);
	free(l->spans);
	l->text = NULL;
	l->spans = NULL;
}

void
lines_truncate(struct lines *ls, size_t n)
{
	while (ls->n > n) {
		ls->n--;
		/* Lines taken over by the memos are left empty. */
		if (ls->v[ls->n].text != NULL)
			render_line_release(&ls->v[ls->n]);
	}
}

void
lines_recycle(struct lines *ls, struct lines *to)
{
	struct render_line	*l;
	struct lbuf		*b;

	while (ls->n > 0) {
		l = &ls->v[--ls->n];
		/* Lines taken over by the memos are left empty. */
		if (l->text == NULL)
			continue;
		if (to->npool == LPOOL) {
			render_line_release(l);
			continue;
		}
		b = &to->pool[to->npool++];
		b->text = l->text;
		b->spans = l->spans;
		/* A blank line's text is "" (lines_add_blank()). */
		b->tcap = l->spans == NULL ? 1 : TROUND(l->len + 1);
		b->scap = l->spans == NULL ? 0 :
		    SROUND(l->nspans ? l->nspans : 1);
		l->text = NULL;
		l->spans = NULL;
	}
}

void
lines_release(struct lines *ls)
{
	lines_truncate(ls, 0);
	while (ls->npool > 0) {
		ls->npool--;
		free(ls->pool[ls->npool].text);
		free(ls->pool[ls->npool].spans);
	}
	free(ls->v);
	ls->v = NULL;
	ls->cap = 0;
}

void
render_lines_free(struct render_line *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		render_line_release(&v[i]);
	free(v);
}

void
layout_add_clean(struct layout *l, struct rt *rt, size_t off, size_t n,
    uint32_t style, uint32_t link)
{
	const struct seg	*g;
	size_t			 i, k, end = off + n;

	if (l->nsegs == 0) {
		rt_add(rt, l->text + off, n, style, link, off, n);
		return;
	}
	/* Find the segment holding off, starting at the hint. */
	i = l->seg_hint < l->nsegs ? l->seg_hint : 0;
	if (l->segs[i].out > off)
		i = 0;
	if (l->segs[i].out + l->segs[i].len <= off) {
		size_t	lo = i, hi = l->nsegs, mid;

		while (hi - lo > 1) {
			mid = (lo + hi) / 2;
			if (l->segs[mid].out <= off)
				lo = mid;
			else
				hi = mid;
		}
		i = lo;
	}
	while (off < end && i < l->nsegs) {
		g = &l->segs[i];
		k = g->out + g->len - off;
		if (k > end - off)
			k = end - off;
		if (g->kind == SEG_COPY)
			rt_add(rt, l->text + off, k, style, link,
			    g->src + (off - g->out), k);
		else
			rt_add_whole(rt, l->text + off, k, style |
			    (g->kind == SEG_MARK ? RSTYLE_INSPECT_MARK :
			    RSTYLE_REPLACEMENT), link, g->src, g->src_len);
		off += k;
		if (off >= g->out + g->len)
			i++;
	}
	l->seg_hint = i;
}

uint32_t
layout_add_link(struct layout *l, const char *url, size_t n)
{
	char	**slot;

	if (*l->nlinks < *l->nheld) {
		slot = &(*l->links)[*l->nlinks];
		if (strncmp(*slot, url, n) != 0 || (*slot)[n] != '\0') {
			free(*slot);
			*slot = xstrndup(url, n);
		}
		return (uint32_t)++*l->nlinks;
	}
	if (*l->nlinks == *l->linkcap) {
		*l->linkcap = *l->linkcap ? *l->linkcap * 2 : 16;
		*l->links = xrealloc(*l->links, *l->linkcap * sizeof **l->links);
	}
	(*l->links)[(*l->nlinks)++] = xstrndup(url, n);
	*l->nheld = *l->nlinks;
	return (uint32_t)*l->nlinks;
}

bool
layout_cuttable(const struct layout *l, size_t off)
{
	size_t	lo = 0, hi = l->nsegs, mid;

	if (off < l->len && ((unsigned char)l->text[off] & 0xC0) == 0x80)
		return false;
	if (l->nsegs == 0)
		return true;
	while (hi - lo > 1) {
		mid = (lo + hi) / 2;
		if (l->segs[mid].out <= off)
			lo = mid;
		else
			hi = mid;
	}
	return l->segs[lo].kind == SEG_COPY || l->segs[lo].out == off ||
	    l->segs[lo].out + l->segs[lo].len <= off;
}

size_t
layout_map(struct layout *l, size_t off)
{
	size_t	lo = 0, hi = l->nsegs, mid;

	if (l->nsegs == 0)
		return off;
	while (hi - lo > 1) {
		mid = (lo + hi) / 2;
		if (l->segs[mid].out <= off)
			lo = mid;
		else
			hi = mid;
	}
	if (l->segs[lo].kind == SEG_COPY)
		return l->segs[lo].src + (off - l->segs[lo].out);
	return l->segs[lo].src;
}
