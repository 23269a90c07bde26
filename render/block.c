/*
 * render/block.c - block structure of markdown and its layout.
 *
 * A chunk's lines are read into blocks (a close reading of CommonMark and
 * GFM for what models write: headings, paragraphs, fences, indented code,
 * quotes, lists, tables, rules) and each block is laid out at once. Block
 * containers (quotes, list items) strip their prefix from the lines and
 * recurse; on screen they become frames whose first line carries the
 * marker and whose other lines carry the indentation or the quote bar.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "render/render-private.h"

struct bline {
	size_t	s;
	size_t	e;
};

/* A piece of a frame's prefix: borrowed text in one style. */
struct fpart {
	const char	*s;
	size_t		 n;
	uint32_t	 style;
};

/*
 * A prefix frame: first is drawn on the frame's first line, rest after.
 * The texts are borrowed (string literals, or the caller's buffer that
 * lives as long as the frame), so a frame costs no allocation.
 */
struct frame {
	const struct frame	*up;
	struct fpart		 first;
	struct fpart		 rest[2];
	int			 nrest;
	bool			 used;
	int			 width;
};

/* ------------------------------------------------------------------ */
/* Line classifiers */

int
md_indent(const char *s, size_t n, size_t *skip)
{
	size_t	i = 0;
	int	col = 0;

	while (i < n && (s[i] == ' ' || s[i] == '\t')) {
		col = s[i] == '\t' ? (col + 4) & ~3 : col + 1;
		i++;
	}
	if (skip != NULL)
		*skip = i;
	return col;
}

bool
md_is_blank(const char *s, size_t n)
{
	size_t	skip;

	md_indent(s, n, &skip);
	return skip == n;
}

bool
md_is_atx(const char *s, size_t n)
{
	size_t	i, k = 0;

	if (md_indent(s, n, &i) > 3)
		return false;
	while (i + k < n && s[i + k] == '#')
		k++;
	return k >= 1 && k <= 6 && (i + k == n || s[i + k] == ' ' ||
	    s[i + k] == '\t');
}

bool
md_is_hr(const char *s, size_t n)
{
	size_t	i;
	int	count = 0;
	char	c = 0;

	if (md_indent(s, n, &i) > 3 || i >= n)
		return false;
	c = s[i];
	if (c != '-' && c != '*' && c != '_')
		return false;
	for (; i < n; i++) {
		if (s[i] == c)
			count++;
		else if (s[i] != ' ' && s[i] != '\t')
			return false;
	}
	return count >= 3;
}

int
md_fence_open(const char *s, size_t n, char *ch)
{
	size_t	i, k = 0;

	if (md_indent(s, n, &i) > 3 || i >= n)
		return 0;
	if (s[i] != '`' && s[i] != '~')
		return 0;
	while (i + k < n && s[i + k] == s[i])
		k++;
	if (k < 3)
		return 0;
	if (s[i] == '`' && memchr(s + i + k, '`', n - i - k) != NULL)
		return 0;
	*ch = s[i];
	return (int)k;
}

bool
md_fence_close(const char *s, size_t n, char ch, int len)
{
	size_t	i, k = 0;

	if (md_indent(s, n, &i) > 3)
		return false;
	while (i + k < n && s[i + k] == ch)
		k++;
	if ((int)k < len)
		return false;
	return md_is_blank(s + i + k, n - i - k);
}

int
md_list_marker(const char *s, size_t n, bool *ordered, long *num,
    bool *empty)
{
	size_t	i, k, sp;
	int	col;
	long	v = 0;

	col = md_indent(s, n, &i);
	if (col > 3 || i >= n)
		return 0;
	*ordered = false;
	*num = 0;
	if (s[i] == '-' || s[i] == '*' || s[i] == '+') {
		k = i + 1;
	} else {
		for (k = i; k < n && k - i < 9 && s[k] >= '0' && s[k] <= '9';
		    k++)
			v = v * 10 + (s[k] - '0');
		if (k == i || k >= n || (s[k] != '.' && s[k] != ')'))
			return 0;
		k++;
		*ordered = true;
		*num = v;
	}
	if (k < n && s[k] != ' ' && s[k] != '\t')
		return 0;
	if (md_is_hr(s, n))
		return 0;
	sp = 0;
	while (k + sp < n && s[k + sp] == ' ')
		sp++;
	*empty = k + sp >= n;
	if (*empty || sp > 4)
		sp = 1;
	return col + (int)(k - i) + (int)sp;
}

/* ------------------------------------------------------------------ */
/* Output */

static void
build_prefix(const struct frame *f, struct rt *out, bool consume)
{
	struct frame	*mf = (struct frame *)f;

	if (f == NULL)
		return;
	build_prefix(f->up, out, consume);
	if (!f->used) {
		rt_add(out, f->first.s, f->first.n, f->first.style, 0,
		    RENDER_NOSRC, 0);
		if (consume)
			mf->used = true;
	} else {
		int	i;

		for (i = 0; i < f->nrest; i++)
			rt_add(out, f->rest[i].s, f->rest[i].n,
			    f->rest[i].style, 0, RENDER_NOSRC, 0);
	}
}

/* What build_prefix() with consume does to the frames, without the
 * prefix: they are past their first lines. */
static void
consume_frames(struct frame *f)
{
	const struct frame	*g;

	for (g = f; g != NULL; g = g->up)
		((struct frame *)g)->used = true;
}

static int
frame_width(const struct frame *f)
{
	int	w = 0;

	for (; f != NULL; f = f->up)
		w += f->width;
	return w;
}

/*
 * The columns the prefixes may take: all of them, unless that leaves the
 * text fewer than 8 columns (deep nesting on a narrow screen); then the
 * outermost decorations give way.
 */
static int
prefix_cap(struct layout *l, const struct frame *f)
{
	int	fw = frame_width(f), body = l->width < 8 ? l->width : 8;
	int	cap = l->width - body;

	if (cap < 0)
		cap = 0;
	return fw < cap ? fw : cap;
}

/* Keep the rightmost cap columns of a prefix. */
static void
trim_prefix(struct rt *pre, int cap, struct rt *out)
{
	size_t	pos = 0;
	int	w = (int)width_text(pre->text.data ? pre->text.data : "",
	    pre->text.len), cw;

	while (pos < pre->text.len && w > cap) {
		pos = grapheme_next(pre->text.data, pre->text.len, pos, &cw);
		w -= cw;
	}
	rt_append(out, pre, pos, pre->text.len);
}

/* The prefix of the next line under frame f (consuming first lines), cut
 * to the columns it may take, which go to *capp. */
static const struct rt *
next_prefix(struct layout *l, struct frame *f, int *capp)
{
	int	cap = prefix_cap(l, f);

	*capp = cap;
	rt_reset(&l->pre);
	build_prefix(f, &l->pre, true);
	if (cap < frame_width(f)) {
		rt_reset(&l->cut);
		trim_prefix(&l->pre, cap, &l->cut);
		return &l->cut;
	}
	return &l->pre;
}

static void
emit_w(struct layout *l, struct frame *f, const struct rt *body, size_t s,
    size_t e, int bw)
{
	int		 cap;
	const struct rt	*pre = next_prefix(l, f, &cap);

	lines_add(l->out, pre, body, s, e, bw >= 0 ? bw + cap : -1);
}

static void
emit(struct layout *l, struct frame *f, const struct rt *body, size_t s,
    size_t e)
{
	emit_w(l, f, body, s, e, -1);
}

static void
emit_blank(struct layout *l, struct frame *f)
{
	size_t	n;

	rt_reset(&l->pre);
	rt_reset(&l->cut);
	build_prefix(f, &l->pre, false);
	trim_prefix(&l->pre, prefix_cap(l, f), &l->cut);
	n = l->cut.text.len;
	while (n > 0 && l->cut.text.data[n - 1] == ' ')
		n--;
	if (n == 0)
		lines_add_blank(l->out);
	else
		lines_add(l->out, NULL, &l->cut, 0, n, -1);
}

static void
frame_init_w(struct frame *f, const struct frame *up, const char *first,
    const char *rest, uint32_t style, int width)
{
	memset(f, 0, sizeof *f);
	f->up = up;
	f->first.s = first;
	f->first.n = strlen(first);
	f->first.style = style;
	f->rest[0].s = rest;
	f->rest[0].n = strlen(rest);
	f->rest[0].style = style;
	f->nrest = 1;
	f->width = width >= 0 ? width : (int)width_text(first, f->first.n);
}

/* A frame: first on its first line, rest on the others. */
static void
frame_init(struct frame *f, const struct frame *up, const char *first,
    const char *rest, uint32_t style)
{
	frame_init_w(f, up, first, rest, style, -1);
}

static int
avail(struct layout *l, const struct frame *f)
{
	int	w = l->width - prefix_cap(l, f);

	return w < 1 ? 1 : w;
}

/* An exact copy of src (text and runs). */
static void
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

static bool
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
static bool
runs_agree(const struct run *a, size_t na, const struct run *b, size_t nb,
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
static bool
runs_same_upto(const struct rt *a, const struct rt *b, size_t p)
{
	return runs_agree(a->runs, a->nruns, b->runs, b->nruns, p);
}

/* The prefix of the next line (consuming nothing) and of the lines after
 * it, as emit_w would draw them. */
static void
prefixes(struct layout *l, struct frame *f, struct rt *p0, struct rt *p1)
{
	int			 cap = prefix_cap(l, f), fw = frame_width(f);
	struct rt		*tmp = &l->ptmp;
	const struct frame	*g;
	bool			 used[64];
	size_t			 k = 0;

	rt_reset(tmp);
	rt_reset(p0);
	rt_reset(p1);
	if (cap < fw) {
		build_prefix(f, tmp, false);
		trim_prefix(tmp, cap, p0);
	} else
		build_prefix(f, p0, false);
	/* The others: every frame past its first line. */
	for (g = f; g != NULL && k < 64; g = g->up)
		used[k++] = g->used;
	for (g = f; g != NULL; g = g->up)
		((struct frame *)g)->used = true;
	if (cap < fw) {
		rt_reset(tmp);
		build_prefix(f, tmp, false);
		trim_prefix(tmp, cap, p1);
	} else
		build_prefix(f, p1, false);
	k = 0;
	for (g = f; g != NULL && k < 64; g = g->up)
		((struct frame *)g)->used = used[k++];
}

static bool	take_lines(struct layout *, size_t, size_t);

/*
 * What the prefixes of the lines under frame f are made of, as bytes: the
 * screen width and each frame's texts, styles, width and whether it is
 * past its first line. Two frame chains with the same bytes draw the same
 * prefixes. Returns the length, 0 when it does not fit in FSIGMAX.
 */
static size_t
frames_sig(struct layout *l, const struct frame *f, char *sig)
{
	size_t			 n = 0, need;
	const struct frame	*g;
	const struct fpart	*p;
	int			 i;

#define SIG(x, len) do { memcpy(sig + n, (x), (len)); n += (len); } while (0)
	SIG(&l->width, sizeof l->width);
	for (g = f; g != NULL; g = g->up) {
		need = sizeof g->used + sizeof g->width + sizeof g->nrest;
		for (i = -1; i < g->nrest; i++) {
			p = i < 0 ? &g->first : &g->rest[i];
			need += sizeof p->style + sizeof p->n + p->n;
		}
		if (n + need > FSIGMAX)
			return 0;
		SIG(&g->used, sizeof g->used);
		SIG(&g->width, sizeof g->width);
		SIG(&g->nrest, sizeof g->nrest);
		for (i = -1; i < g->nrest; i++) {
			p = i < 0 ? &g->first : &g->rest[i];
			SIG(&p->style, sizeof p->style);
			SIG(&p->n, sizeof p->n);
			SIG(p->s, p->n);
		}
	}
#undef SIG
	return n;
}

/* The memo of the paragraph that started on line first last time, else a
 * free one to record into, else NULL. */
static struct wmemo *
memo_find(struct layout *l, size_t first)
{
	struct wmemo	*m = NULL;
	size_t		 i;

	if (l->memo == NULL)
		return NULL;
	for (i = 0; i < NMEMO; i++) {
		if (l->memo[i].valid && l->memo[i].first_line == first)
			return &l->memo[i];
	}
	for (i = 0; m == NULL && i < NMEMO; i++) {
		if (!l->memo[i].recorded) {
			m = &l->memo[i];
			m->valid = false;
			m->im.valid = false;
		}
	}
	return m;
}

/*
 * Wrap rich text into lines under frame f, taking over what memo m (from
 * memo_find(), or NULL) of the previous layout still has right. agree:
 * how many bytes at the start of body are known to be what they were in
 * m->body (text and runs), or SIZE_MAX to compare. With own, body is the
 * caller's to give: the memo takes it over instead of a copy, and leaves
 * body empty.
 */
static void
wrap_body(struct layout *l, struct frame *f, struct rt *body,
    struct wmemo *m, size_t agree, bool own)
{
	struct wrap_line	*wl;
	struct wrap_snap	*from = NULL, fromv;
	struct rt		*p0 = &l->p0, *p1 = &l->p1;
	const char		*text = body->text.data ? body->text.data : "";
	size_t			 n, i, j, first = l->out->n, si;
	size_t			 snap_at, common = 0, siglen;
	struct wrap_line	 oldwl = { 0, 0, 0 };
	char			 sig[FSIGMAX];
	int			 av = avail(l, f);
	bool			 whole = false, pre_same, grow = false;

	if (m == NULL) {
		n = wrap_lines(text, body->text.len, av, &wl);
		for (i = 0; i < n; i++)
			emit_w(l, f, body, wl[i].start, wl[i].end, wl[i].width);
		free(wl);
		return;
	}
	/* The same frames draw the same prefixes: built and compared only
	 * when the frames are not those of the memo. */
	siglen = 0;
	pre_same = false;
	if (m->valid || l->memo_record) {
		siglen = frames_sig(l, f, sig);
		pre_same = m->valid && siglen > 0 && siglen == m->fsiglen &&
		    memcmp(sig, m->fsig, siglen) == 0;
	}
	if (!pre_same && (m->valid || l->memo_record)) {
		prefixes(l, f, p0, p1);
		pre_same = m->valid && rt_same(&m->pre0, p0) &&
		    rt_same(&m->pre1, p1);
	}
	if (pre_same && m->avail == av && m->first_line == first &&
	    l->stash != NULL && first >= l->stash_base) {
		/* How far the old text and the new agree. */
		size_t	lim = m->body.text.len;

		if (agree != SIZE_MAX)
			common = agree;
		else {
			if (lim > body->text.len)
				lim = body->text.len;
			while (common < lim && m->body.text.data[common] ==
			    text[common])
				common++;
		}
		/* A state is exact only with its lookahead in the old text. */
		if (common > m->body_len)
			common = m->body_len;
		/* The same rich text as last time: the same lines. */
		whole = agree != SIZE_MAX && agree == body->text.len &&
		    m->body_len == agree && take_lines(l, first, m->nwl);
		for (j = m->nsnaps; !whole && j-- > 0;) {
			struct wrap_snap	*s = &m->snaps[j];
			size_t			 q;
			bool			 ok = true;

			si = first - l->stash_base;
			if (s->pos + WRAP_LOOKAHEAD > common ||
			    si + s->nlines > l->stash->n)
				continue;
			for (q = 0; q < s->nlines && ok; q++)
				ok = l->stash->v[si + q].text != NULL;
			if (ok && (agree != SIZE_MAX ||
			    runs_same_upto(&m->body, body, s->pos))) {
				from = s;
				break;
			}
		}
	}
	if (whole) {
		n = i = m->nwl;
		consume_frames(f);
		goto emitted;
	}
	/* The next layout of a paragraph mostly agrees with this one to its
	 * end: states just far enough before it to resume from. */
	snap_at = own && l->memo_record && m->im.valid &&
	    body->text.len > 2 * WRAP_LOOKAHEAD ?
	    body->text.len - 2 * WRAP_LOOKAHEAD : SIZE_MAX;
	/* The lines wrap into the memo's buffers, in place: those before
	 * the state resumed from stay. That state comes first among the new
	 * snapshots: the next layout may agree no further than this one. */
	m->nsnaps = 0;
	if (from != NULL) {
		fromv = *from;
		from = &fromv;
		m->snaps[m->nsnaps++] = fromv;
		/* The old line the wrap goes on from, to grow in place. */
		if ((grow = from->nlines < m->nwl))
			oldwl = m->wl[from->nlines];
	}
	n = m->nwl = wrap_resume_in(text, body->text.len, av, from, &m->wl,
	    &m->wlcap, &m->snaps, &m->nsnaps, &m->snapcap, snap_at);
	wl = m->wl;
	i = 0;
	if (from != NULL) {
		/* Take the finished lines over; the frames' first lines are
		 * behind them. */
		si = first - l->stash_base;
		for (i = 0; i < from->nlines; i++) {
			struct lines	*ls = l->out;

			if (ls->n == ls->cap) {
				ls->cap = ls->cap ? ls->cap * 2 : 64;
				ls->v = xrealloc(ls->v, ls->cap * sizeof *ls->v);
			}
			ls->v[ls->n++] = l->stash->v[si + i];
			l->stash->v[si + i].text = NULL;
			l->stash->v[si + i].spans = NULL;
		}
		if (from->nlines > 0)
			consume_frames(f);
		/* The line it goes on from, the same up to where it ended,
		 * grows by what follows (the last line of a streaming
		 * paragraph: drawn again, it would cost its whole length). */
		si += from->nlines;
		if (grow && i < n && wl[i].start == oldwl.start &&
		    oldwl.end <= wl[i].end && oldwl.end <= common &&
		    wl[i].width >= 0 && si < l->stash->n &&
		    l->stash->v[si].text != NULL && (agree != SIZE_MAX ||
		    runs_same_upto(&m->body, body, oldwl.end)) &&
		    line_extend(&l->stash->v[si], body, oldwl.end, wl[i].end,
		    wl[i].width + prefix_cap(l, f))) {
			struct lines	*ls = l->out;

			if (ls->n == ls->cap) {
				ls->cap = ls->cap ? ls->cap * 2 : 64;
				ls->v = xrealloc(ls->v, ls->cap * sizeof *ls->v);
			}
			ls->v[ls->n++] = l->stash->v[si];
			l->stash->v[si].text = NULL;
			l->stash->v[si].spans = NULL;
			consume_frames(f);
			i++;
		}
	}
	for (; i < n; i++)
		emit_w(l, f, body, wl[i].start, wl[i].end, wl[i].width);
emitted:
	if (l->memo_record) {
		m->recorded = true;
		m->valid = true;
		m->first_line = first;
		m->avail = av;
		m->body_len = body->text.len;
		if (own) {
			rt_release(&m->body);
			m->body = *body;
			rt_init(body);
		} else
			rt_copy(&m->body, body);
		if (!pre_same) {
			rt_copy(&m->pre0, p0);
			rt_copy(&m->pre1, p1);
		}
		memcpy(m->fsig, sig, siglen);
		m->fsiglen = siglen;
	} else {
		/* Its body may be gone, its lines are this layout's: it served
		 * its last layout (its buffers stay for the next memo). */
		m->valid = false;
		m->im.valid = false;
	}
}

/* wrap_body() for rich text that is not a paragraph's inline parse. */
static void
emit_wrapped(struct layout *l, struct frame *f, struct rt *body)
{
	struct wmemo	*m = memo_find(l, l->out->n);

	if (m != NULL)
		m->im.valid = false;
	wrap_body(l, f, body, m, SIZE_MAX, false);
}

void
wmemo_release(struct wmemo *m)
{
	rt_release(&m->body);
	rt_release(&m->pre0);
	rt_release(&m->pre1);
	free(m->wl);
	free(m->snaps);
	imemo_release(&m->im);
	memset(m, 0, sizeof *m);
}

/* ------------------------------------------------------------------ */
/* Blocks */

static const char *
L(struct layout *l, const struct bline *b)
{
	return l->text + b->s;
}

#define LN(b) ((b)->e - (b)->s)

static void	blocks(struct layout *, struct bline *, size_t,
		    struct frame *, int);

/*
 * Whether the paragraph is the one im remembers, unchanged, with as many
 * links before it. Its links were then registered at the indices they
 * would get now, and layout_add_link() has not written there since: the
 * layouts in between only registered links before it, and the strings
 * the last layout left past the links of closed chunks stay.
 */
static bool
same_lines(const struct layout *l, const struct imemo *im,
    const size_t *st, const size_t *en, size_t n, uint32_t style)
{
	size_t	i;

	if (!im->valid || im->nlines != n || im->style != style ||
	    im->nlinks0 != *l->nlinks || im->nlinks_end > *l->nheld)
		return false;
	for (i = 0; i < n; i++) {
		if (st[i] != im->starts[i] || en[i] != im->ends[i])
			return false;
	}
	return true;
}

static void
paragraph(struct layout *l, struct frame *f, struct bline *v, size_t n,
    uint32_t style)
{
	size_t		*st, *en, i, skip, agree, sbuf[2][16];
	struct rt	 rt;
	struct wmemo	*m;

	if (n <= 16) {
		st = sbuf[0];
		en = sbuf[1];
	} else {
		st = xmalloc(n * sizeof *st);
		en = xmalloc(n * sizeof *en);
	}
	for (i = 0; i < n; i++) {
		md_indent(L(l, &v[i]), LN(&v[i]), &skip);
		st[i] = v[i].s + skip;
		en[i] = v[i].e;
	}
	/* With the memo of this paragraph's last layout, its rich text is
	 * where the inline parse goes on from. */
	m = memo_find(l, l->out->n);
	rt_init(&rt);
	if (m != NULL && m->valid && same_lines(l, &m->im, st, en, n, style)) {
		/* The same lines as last time: the same rich text, and its
		 * links, registered last time at the same indices, are still
		 * there (see same_lines()). */
		*l->nlinks = m->im.nlinks_end;
		rt = m->body;
		rt_init(&m->body);
		agree = rt.text.len;
	} else if (m != NULL && m->valid && inline_resumable(l, &m->im, st,
	    en, n, style)) {
		struct rt	*old = &l->otail;
		size_t		 mk = m->im.mark.len, r0, k = 0;

		rt = m->body;
		rt_init(&m->body);
		/* What the last layout had past the keep mark, which the
		 * parse overwrites: the new text may agree with it further. */
		r0 = m->im.mark.nruns > 0 ? m->im.mark.nruns - 1 : 0;
		rt_reset(old);
		if (rt.text.len > mk)
			buf_add(&old->text, rt.text.data + mk, rt.text.len - mk);
		old->nruns = rt.nruns > r0 ? rt.nruns - r0 : 0;
		if (old->cap < old->nruns) {
			old->cap = old->nruns;
			old->runs = xrealloc(old->runs, old->cap *
			    sizeof *old->runs);
		}
		if (old->nruns > 0)
			memcpy(old->runs, rt.runs + r0, old->nruns *
			    sizeof *old->runs);
		agree = inline_parse(l, &rt, st, en, n, style, &m->im);
		if (agree == mk) {
			while (k < old->text.len && mk + k < rt.text.len &&
			    rt.text.data[mk + k] == old->text.data[k])
				k++;
			if (k > 0 && rt.nruns >= r0 && runs_agree(old->runs,
			    old->nruns, rt.runs + r0, rt.nruns - r0, mk + k))
				agree = mk + k;
		}
	} else {
		if (m != NULL)
			m->im.valid = false;
		inline_parse(l, &rt, st, en, n, style, m ? &m->im : NULL);
		agree = SIZE_MAX;
	}
	wrap_body(l, f, &rt, m, agree, true);
	rt_release(&rt);
	if (st != sbuf[0]) {
		free(st);
		free(en);
	}
}

static void
heading(struct layout *l, struct frame *f, struct bline *v, size_t n,
    int level)
{
	struct frame	 hf;
	char		 marks[8];
	char		 pad[8];
	uint32_t	 style = RSTYLE_HEADING |
	    ((uint32_t)level << RSTYLE_LEVEL_SHIFT);

	memset(marks, '#', level);
	marks[level] = ' ';
	marks[level + 1] = '\0';
	memset(pad, ' ', level + 1);
	pad[level + 1] = '\0';
	frame_init(&hf, f, marks, pad, style);
	paragraph(l, &hf, v, n, style);
	if (hf.used && f != NULL)
		f->used = true;
}

static void
atx(struct layout *l, struct frame *f, struct bline *b)
{
	const char	*s = L(l, b);
	size_t		 n = LN(b), i, k = 0, e;
	struct bline	 t;

	md_indent(s, n, &i);
	while (i + k < n && s[i + k] == '#')
		k++;
	i += k;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	e = n;
	while (e > i && (s[e - 1] == ' ' || s[e - 1] == '\t'))
		e--;
	/* A closing run of # after a space is not part of the text. */
	{
		size_t	h = e;

		while (h > i && s[h - 1] == '#')
			h--;
		if (h == i || s[h - 1] == ' ' || s[h - 1] == '\t') {
			e = h;
			while (e > i && (s[e - 1] == ' ' || s[e - 1] == '\t'))
				e--;
		}
	}
	t.s = b->s + i;
	t.e = b->s + e;
	heading(l, f, &t, 1, (int)k);
}

static void
rule(struct layout *l, struct frame *f, struct bline *b)
{
	struct rt	rt;
	int		i, w = avail(l, f);

	rt_init(&rt);
	for (i = 0; i < w; i++)
		rt_add(&rt, "─", 3, RSTYLE_RULE, 0, i == 0 ? b->s : b->e,
		    i == 0 ? LN(b) : 0);
	/* Map the whole rule to the source line. */
	if (rt.nruns > 0) {
		rt.runs[0].len = rt.text.len;
		rt.runs[0].src = layout_map(l, b->s);
		rt.runs[0].src_len = LN(b);
		rt.runs[0].exact = false;
		rt.nruns = 1;
	}
	emit(l, f, &rt, 0, rt.text.len);
	rt_release(&rt);
}

/*
 * One code line, tabs expanded, hard-wrapped behind a continuation mark.
 *
 * A top-level fence line that streams in (f NULL, with the code line memo)
 * is not laid out from its start again: its rich text grows by the new
 * bytes, the lines finished before its last character are taken over from
 * the stash, and wrapping goes on from that character (which the new bytes
 * may still extend: a combining mark, VS16).
 */
/*
 * The line the last layout drew at absolute index at of rt[.., old_len),
 * still in the stash, taken over grown to the end of rt (which agrees with
 * the old rich text up to old_len), lw columns of it wide under frame f.
 */
static bool
code_grow(struct layout *l, struct frame *f, const struct rt *rt, size_t at,
    size_t old_len, int lw)
{
	struct render_line	*ol;
	struct lines		*ls = l->out;

	if (l->stash == NULL || at < l->stash_base ||
	    at - l->stash_base >= l->stash->n)
		return false;
	ol = &l->stash->v[at - l->stash_base];
	if (ol->text == NULL || !line_extend(ol, rt, old_len, rt->text.len,
	    lw + prefix_cap(l, f)))
		return false;
	if (ls->n == ls->cap) {
		ls->cap = ls->cap ? ls->cap * 2 : 64;
		ls->v = xrealloc(ls->v, ls->cap * sizeof *ls->v);
	}
	ls->v[ls->n++] = *ol;
	ol->text = NULL;
	ol->spans = NULL;
	consume_frames(f);
	return true;
}

static void
code_line(struct layout *l, struct frame *f, size_t s, size_t e)
{
	struct cmemo	*cm = f == NULL ? l->cmemo : NULL;
	struct rt	 own, *rt = &own;
	struct frame	 cf;
	size_t		 i, next, start = 0, from = s, seg = s, first_out;
	size_t		 nlines = 0;
	int		 col = 0, segcol = 0, cw, w, lw = 0;

	frame_init_w(&cf, f, "  ", "↪", RSTYLE_CONTINUATION, 2);
	cf.first.style = RSTYLE_CODE_BLOCK;
	cf.rest[1].s = " ";
	cf.rest[1].n = 1;
	cf.rest[1].style = RSTYLE_CODE_BLOCK;
	cf.nrest = 2;
	w = avail(l, &cf);
	first_out = l->out->n;
	i = 0;
	if (cm != NULL) {
		rt = &cm->rt;
		if (cm->valid && cm->s == s && cm->e <= e &&
		    cm->first_line == first_out && cm->w == w &&
		    layout_cuttable(l, cm->e) && (cm->nlines == 0 ||
		    take_lines(l, first_out, cm->nlines))) {
			/* The same line grown: go on where it stopped. */
			from = cm->e;
			seg = cm->seg;
			segcol = cm->segcol;
			i = cm->i;
			start = cm->start;
			lw = cm->lw;
			/* (Kept in the memo, out of the loop's registers.) */
			cm->resumed = true;
			cm->old_len = rt->text.len;
			cm->old_start = start;
			cm->old_n = cm->nlines;
			if (cm->nlines > 0)
				consume_frames(&cf);
		} else {
			rt_reset(rt);
			cm->resumed = false;
		}
		cm->valid = false;
	} else
		rt_init(rt);
	for (next = from; next < e; next++) {
		if (l->text[next] != '\t')
			continue;
		if (next > from)
			layout_add_clean(l, rt, from, next - from,
			    RSTYLE_CODE_BLOCK, 0);
		col = segcol + (int)width_text(l->text + seg, next - seg);
		rt_add_whole(rt, "    ", 4 - (col % 4), RSTYLE_CODE_BLOCK, 0,
		    layout_map(l, next), 1);
		col += 4 - (col % 4);
		seg = from = next + 1;
		segcol = col;
	}
	if (e > from)
		layout_add_clean(l, rt, from, e - from, RSTYLE_CODE_BLOCK, 0);
	for (; i < rt->text.len; i = next) {
		/* The state before the last character, to go on from. */
		nlines = l->out->n - first_out;
		if (cm != NULL) {
			cm->i = i;
			cm->start = start;
			cm->lw = lw;
		}
		next = grapheme_next(rt->text.data, rt->text.len, i, &cw);
		if (lw + cw > w && i > start) {
			emit_w(l, &cf, rt, start, i, lw);
			start = i;
			lw = 0;
		}
		lw += cw;
	}
	/* The last line, when it starts where it did, is the old one grown
	 * (see wrap_body()). */
	if (cm != NULL && cm->resumed && start == cm->old_start &&
	    start < cm->old_len && l->out->n == first_out + cm->old_n &&
	    code_grow(l, &cf, rt, first_out + cm->old_n, cm->old_len, lw))
		;
	else if (l->out->n == first_out || start < rt->text.len)
		emit_w(l, &cf, rt, start, rt->text.len, lw);
	if (f != NULL && cf.used)
		f->used = true;
	if (cm == NULL) {
		rt_release(rt);
		return;
	}
	if (rt->text.len == 0 || !l->memo_record)
		return;
	cm->valid = true;
	cm->recorded = true;
	cm->s = s;
	cm->e = e;
	cm->seg = seg;
	cm->segcol = segcol;
	cm->first_line = first_out;
	cm->w = w;
	cm->nlines = nlines;
}

/* Emit body cut at grapheme clusters to the width left by f's prefix (at
 * least one line, even when body is empty). */
static void
emit_hard(struct layout *l, struct frame *f, const struct rt *body)
{
	size_t	i, next, start = 0;
	int	cw, lw = 0, w = avail(l, f);
	bool	first = true;

	for (i = 0; i < body->text.len; i = next) {
		next = grapheme_next(body->text.data, body->text.len, i, &cw);
		if (lw + cw > w && i > start) {
			emit_w(l, f, body, start, i, lw);
			first = false;
			start = i;
			lw = 0;
		}
		lw += cw;
	}
	if (first || start < body->text.len)
		emit_w(l, f, body, start, body->text.len, lw);
}

static void
code_label(struct layout *l, struct frame *f, size_t s, size_t e)
{
	struct rt	rt;
	size_t		i = s, j;

	while (i < e && (l->text[i] == ' ' || l->text[i] == '\t'))
		i++;
	for (j = i; j < e && l->text[j] != ' ' && l->text[j] != '\t'; j++)
		;
	if (j == i)
		return;
	rt_init(&rt);
	layout_add_clean(l, &rt, i, j - i, RSTYLE_CODE_LABEL, 0);
	/* A label is one word, but it may be longer than the width (found
	 * by tests/fuzz/fuzz_markdown). */
	emit_hard(l, f, &rt);
	rt_release(&rt);
}

/* The info string of a fence opener line. */
static void
fence_info(struct layout *l, const struct bline *b, size_t *is, size_t *ie)
{
	const char	*s = L(l, b);
	size_t		 i;

	md_indent(s, LN(b), &i);
	while (i < LN(b) && (s[i] == '`' || s[i] == '~'))
		i++;
	*is = b->s + i;
	*ie = b->e;
}

/* Strip up to cols columns of indentation from line b. */
static struct bline
strip_cols(struct layout *l, struct bline b, int cols)
{
	int	col = 0;

	while (b.s < b.e && col < cols && (l->text[b.s] == ' ' ||
	    l->text[b.s] == '\t')) {
		col = l->text[b.s] == '\t' ? (col + 4) & ~3 : col + 1;
		b.s++;
	}
	return b;
}

/* ---- tables ---- */

static size_t
split_cells(struct layout *l, const struct bline *b, struct bline *cells,
    size_t max)
{
	const char	*s = l->text;
	size_t		 i = b->s, e = b->e, n = 0, cs;

	while (i < e && (s[i] == ' ' || s[i] == '\t'))
		i++;
	while (e > i && (s[e - 1] == ' ' || s[e - 1] == '\t'))
		e--;
	if (i < e && s[i] == '|')
		i++;
	if (e > i && s[e - 1] == '|' && !(e - 1 > i && s[e - 2] == '\\'))
		e--;
	cs = i;
	for (; i <= e; i++) {
		if (i == e || (s[i] == '|' && !(i > cs && s[i - 1] == '\\'))) {
			if (n < max) {
				size_t	a = cs, z = i;

				while (a < z && (s[a] == ' ' || s[a] == '\t'))
					a++;
				while (z > a && (s[z - 1] == ' ' ||
				    s[z - 1] == '\t'))
					z--;
				cells[n].s = a;
				cells[n].e = z;
			}
			n++;
			cs = i + 1;
		}
	}
	return n;
}

#define MAXCOLS 64

static size_t
delim_row(struct layout *l, const struct bline *b, char *align)
{
	struct bline	cells[MAXCOLS];
	size_t		n, i, k;
	const char	*s = l->text;

	if (memchr(s + b->s, '-', LN(b)) == NULL)
		return 0;
	n = split_cells(l, b, cells, MAXCOLS);
	if (n == 0 || n > MAXCOLS)
		return 0;
	for (i = 0; i < n; i++) {
		size_t	a = cells[i].s, z = cells[i].e;
		bool	left = false, right = false;

		if (a < z && s[a] == ':') {
			left = true;
			a++;
		}
		if (z > a && s[z - 1] == ':') {
			right = true;
			z--;
		}
		if (a == z)
			return 0;
		for (k = a; k < z; k++)
			if (s[k] != '-')
				return 0;
		align[i] = left && right ? 'c' : right ? 'r' : 'l';
	}
	return n;
}

static bool	interrupts(struct layout *, const struct bline *);

/*
 * What the open chunk's layout asks of a line again and again (blocks()
 * reads its lines on every layout), kept in a small cache by the line's
 * range: the bytes of a range of the clean text never change.
 */
enum {
	LC_PIPE = 1,		/* has a '|' */
	LC_INT = 2,		/* interrupts() */
	LC_HAVE_DELIM = 4,	/* ndelim known */
	LC_HAVE_CELLS = 8,	/* ncells known */
};

static struct lclass *
lclass(struct layout *l, const struct bline *b)
{
	struct lclass	*c;

	if (l->lcache == NULL || !l->memo_record)
		return NULL;
	c = &l->lcache[(b->s ^ (b->s >> 6)) % NLCLASS];
	if (!c->valid || c->s != b->s || c->e != b->e) {
		c->valid = true;
		c->s = b->s;
		c->e = b->e;
		c->flags = 0;
		if (memchr(L(l, b), '|', LN(b)) != NULL)
			c->flags |= LC_PIPE;
		if (interrupts(l, b))
			c->flags |= LC_INT;
	}
	return c;
}

static bool
interrupts_c(struct layout *l, const struct bline *b)
{
	struct lclass	*c = lclass(l, b);

	return c != NULL ? (c->flags & LC_INT) != 0 : interrupts(l, b);
}

static bool
has_pipe(struct layout *l, const struct bline *b)
{
	struct lclass	*c = lclass(l, b);

	return c != NULL ? (c->flags & LC_PIPE) != 0 :
	    memchr(L(l, b), '|', LN(b)) != NULL;
}

static bool
table_start(struct layout *l, struct bline *v, size_t n, size_t i)
{
	char		 align[MAXCOLS];
	struct bline	 cells[MAXCOLS];
	size_t		 nd, nc;
	struct lclass	*c;

	if (i + 1 >= n || !has_pipe(l, &v[i]))
		return false;
	if ((c = lclass(l, &v[i + 1])) != NULL &&
	    (c->flags & LC_HAVE_DELIM))
		nd = c->ndelim;
	else {
		nd = delim_row(l, &v[i + 1], align);
		if (c != NULL) {
			c->ndelim = nd;
			c->flags |= LC_HAVE_DELIM;
		}
	}
	if (nd == 0)
		return false;
	if ((c = lclass(l, &v[i])) != NULL && (c->flags & LC_HAVE_CELLS))
		nc = c->ncells;
	else {
		nc = split_cells(l, &v[i], cells, MAXCOLS);
		if (c != NULL) {
			c->ncells = nc;
			c->flags |= LC_HAVE_CELLS;
		}
	}
	return nc == nd;
}

/*
 * Where the rows of the table at v[i] (header, delimiter row) that the
 * table memo holds as they are end: lines with the bytes of rows of the
 * same table last time are rows again (whether a line goes on a table
 * depends on the line alone), so blocks() tests only the lines after.
 */
static size_t
known_rows(struct layout *l, const struct bline *v, size_t n, size_t i)
{
	const struct tmemo	*tm = l->tmemo;
	size_t			 j = i + 2, r;

	if (tm == NULL || !tm->valid || tm->start != v[i].s ||
	    tm->delim_s != v[i + 1].s || tm->delim_e != v[i + 1].e)
		return j;
	for (r = 1; r < tm->nrows && j < n && tm->rows[r].s == v[j].s &&
	    tm->rows[r].e == v[j].e; r++)
		j++;
	return j;
}

static void
border(struct layout *l, struct frame *f, const int *cw, size_t nc,
    const char *a, const char *m, const char *z)
{
	static const char	rule[] = "────────────────────────────────";
	struct rt		*rt = &l->trow;
	struct buf		*s = &rt->text;
	size_t			 c;
	int			 i, k, bw = 1;

	/* One run: build the text first, a stretch of rule at a time, in
	 * the table's scratch rich text (its buffer kept from before). */
	rt_reset(rt);
	buf_addstr(s, a);
	for (c = 0; c < nc; c++) {
		for (i = 0; i < cw[c] + 2; i += k) {
			k = cw[c] + 2 - i;
			if (k > (int)(sizeof rule - 1) / 3)
				k = (int)(sizeof rule - 1) / 3;
			buf_add(s, rule, 3 * (size_t)k);
		}
		buf_addstr(s, c + 1 < nc ? m : z);
		bw += cw[c] + 3;
	}
	if (rt->cap == 0) {
		rt->cap = 16;
		rt->runs = xrealloc(rt->runs, rt->cap * sizeof *rt->runs);
	}
	memset(&rt->runs[0], 0, sizeof rt->runs[0]);
	rt->runs[0].len = s->len;
	rt->runs[0].style = RSTYLE_TABLE_BORDER;
	rt->runs[0].src = RENDER_NOSRC;
	rt->nruns = 1;
	emit_w(l, f, rt, 0, s->len, bw);
}

/*
 * The border the last layout drew at absolute index at with column widths
 * oldcw, if it is still in the stash, taken over and its rule redrawn in
 * place at widths cw (its prefix stays). False, taking nothing, when the
 * line is not there or not what oldcw make.
 */
static bool
border_redo(struct layout *l, struct frame *f, const int *cw,
    const int *oldcw, size_t nc, const char *a, const char *m, const char *z,
    size_t at)
{
	const struct render_line	*ol;
	struct render_line		*line;
	struct render_span		*sp;
	size_t				 c, pl, olen = 0, nlen = 0, la, lm, lz;
	char				*p;
	int				 i, bw = 1;

	if (l->stash == NULL || at < l->stash_base ||
	    at - l->stash_base >= l->stash->n)
		return false;
	ol = &l->stash->v[at - l->stash_base];
	if (ol->text == NULL || ol->spans == NULL || ol->nspans == 0)
		return false;
	sp = &ol->spans[ol->nspans - 1];
	la = strlen(a);
	lm = strlen(m);
	lz = strlen(z);
	for (c = 0; c < nc; c++) {
		olen += 3 * (size_t)(oldcw[c] + 2) + (c + 1 < nc ? lm : lz);
		nlen += 3 * (size_t)(cw[c] + 2) + (c + 1 < nc ? lm : lz);
	}
	if (sp->style != RSTYLE_TABLE_BORDER || sp->src != RENDER_NOSRC ||
	    sp->link != 0 || sp->off + sp->len != ol->len ||
	    sp->len != la + olen || !take_lines(l, at, 1))
		return false;
	consume_frames(f);
	line = &l->out->v[l->out->n - 1];
	sp = &line->spans[line->nspans - 1];
	pl = sp->off;
	line_reserve(line, pl + la + nlen);
	p = line->text + pl;
	memcpy(p, a, la);
	p += la;
	for (c = 0; c < nc; c++) {
		for (i = 0; i < cw[c] + 2; i++, p += 3)
			memcpy(p, "─", 3);
		memcpy(p, c + 1 < nc ? m : z, c + 1 < nc ? lm : lz);
		p += c + 1 < nc ? lm : lz;
		bw += cw[c] + 3;
	}
	*p = '\0';
	line->len = pl + la + nlen;
	sp->len = (uint32_t)(la + nlen);
	line->width = bw + prefix_cap(l, f);
	return true;
}

/* A border line: with reuse (the same columns and prefixes as the last
 * layout), the one that layout drew at absolute index at, if it is still
 * in the stash; with oldcw (the same table, other column widths), that
 * line redrawn in place; else drawn. Returns the line's index. */
static size_t
border_at(struct layout *l, struct frame *f, const int *cw, const int *oldcw,
    size_t nc, const char *a, const char *m, const char *z, bool reuse,
    size_t at)
{
	size_t	line = l->out->n;

	if (reuse && take_lines(l, at, 1))
		consume_frames(f);
	else if (oldcw == NULL || !border_redo(l, f, cw, oldcw, nc, a, m, z,
	    at))
		border(l, f, cw, nc, a, m, z);
	return line;
}

/* Move the previous layout's lines at absolute index at.. (n of them) from
 * the stash to the output, if they are all still there. */
static bool
take_lines(struct layout *l, size_t at, size_t n)
{
	struct lines	*ls = l->out;
	size_t		 si, q;

	if (l->stash == NULL || at < l->stash_base ||
	    at - l->stash_base + n > l->stash->n || n == 0)
		return false;
	si = at - l->stash_base;
	for (q = 0; q < n; q++)
		if (l->stash->v[si + q].text == NULL)
			return false;
	for (q = 0; q < n; q++) {
		if (ls->n == ls->cap) {
			ls->cap = ls->cap ? ls->cap * 2 : 64;
			ls->v = xrealloc(ls->v, ls->cap * sizeof *ls->v);
		}
		ls->v[ls->n++] = l->stash->v[si + q];
		l->stash->v[si + q].text = NULL;
		l->stash->v[si + q].spans = NULL;
	}
	return true;
}

/* Row r of the table memo, with room for nc cells (kept from earlier
 * layouts when there). */
static struct tmemo_row *
trow(struct tmemo *tm, size_t r, size_t nc)
{
	struct tmemo_row	*mr;
	size_t			 c;

	if (r >= tm->rowcap) {
		size_t	cap = tm->rowcap ? tm->rowcap * 2 : 16;

		while (cap <= r)
			cap *= 2;
		tm->rows = xrealloc(tm->rows, cap * sizeof *tm->rows);
		memset(tm->rows + tm->rowcap, 0,
		    (cap - tm->rowcap) * sizeof *tm->rows);
		tm->rowcap = cap;
	}
	mr = &tm->rows[r];
	if (mr->ncells < nc) {
		mr->cells = xrealloc(mr->cells, nc * sizeof *mr->cells);
		for (c = mr->ncells; c < nc; c++) {
			memset(&mr->cells[c], 0, sizeof mr->cells[c]);
			rt_init(&mr->cells[c].rt);
			mr->cells[c].wcw = -2;	/* nothing parsed */
		}
		mr->ncells = nc;
	}
	return mr;
}

static void
cell_forget_urls(struct tmemo_cell *x)
{
	size_t	u;

	for (u = 0; u < x->nurls; u++)
		free(x->urls[u]);
	x->nurls = 0;
}

/* Register the links of a cell taken over as it was. */
static void
cell_links(struct layout *l, const struct tmemo_cell *x)
{
	size_t	u;

	for (u = 0; u < x->nurls; u++)
		layout_add_link(l, x->urls[u], strlen(x->urls[u]));
}

/*
 * Parse cell text b into x, unless x holds the parse of the same bytes in
 * the same style with as many links before it (then its links are
 * registered again): returns whether x was kept as it was.
 */
/*
 * The width of t[0..len) as width_text() measures it, going on from *wq, a
 * cluster boundary of a text that agrees with t over [0, *wq +
 * WRAP_LOOKAHEAD) (see wrap_resume_in(): the walk's state at a boundary
 * has looked that far), where it is *wqw wide. *wq and *wqw move to the
 * last boundary of t with that lookahead in t.
 */
static int
width_resume(const char *t, size_t len, size_t *wq, int *wqw)
{
	size_t	pos = *wq;
	int	w = *wqw, cw;

	while (pos < len) {
		if (pos + WRAP_LOOKAHEAD <= len) {
			*wq = pos;
			*wqw = w;
		}
		pos = grapheme_next(t, len, pos, &cw);
		w += cw;
	}
	return w;
}

#define CELL_KEEP 128

static bool
cell_parse(struct layout *l, struct tmemo_cell *x, struct bline b,
    uint32_t style)
{
	size_t	l0 = *l->nlinks, u, keep = 0;
	char	old[CELL_KEEP];

	if (x->wcw != -2 && x->s == b.s && x->e == b.e && x->style == style &&
	    x->nl0 == l0) {
		cell_links(l, x);
		return true;
	}
	/* A cell streaming in is measured from near its old end, where its
	 * new text still agrees with the old. */
	if (x->wcw != -2 && x->wq + WRAP_LOOKAHEAD <= CELL_KEEP &&
	    x->wq + WRAP_LOOKAHEAD <= x->rt.text.len) {
		keep = x->wq + WRAP_LOOKAHEAD;
		memcpy(old, x->rt.text.data, keep);
	}
	rt_reset(&x->rt);
	if (b.e > b.s)
		inline_parse(l, &x->rt, &b.s, &b.e, 1, style, NULL);
	if (keep == 0 || x->rt.text.len < keep ||
	    memcmp(old, x->rt.text.data, keep) != 0) {
		x->wq = 0;
		x->wqw = 0;
	}
	x->rt.width = width_resume(x->rt.text.data ? x->rt.text.data : "",
	    x->rt.text.len, &x->wq, &x->wqw);
	x->wcw = -1;
	x->s = b.s;
	x->e = b.e;
	x->style = style;
	x->nl0 = l0;
	cell_forget_urls(x);
	if (*l->nlinks > l0) {
		x->urls = xrealloc(x->urls, (*l->nlinks - l0) *
		    sizeof *x->urls);
		for (u = l0; u < *l->nlinks; u++)
			x->urls[x->nurls++] = xstrdup((*l->links)[u]);
	}
	return false;
}

/* Wrap a cell at width cw. A cell no wider than that is one line (the
 * line wrap_lines() would make: trailing spaces left out). */
static void
cell_wrap(struct tmemo_cell *x, int cw)
{
	const char	*t = x->rt.text.data ? x->rt.text.data : "";
	size_t		 e = x->rt.text.len;

	x->wcw = cw;
	if (x->rt.width <= cw && memchr(t, '\n', e) == NULL) {
		if (x->wl == NULL)
			x->wl = xmalloc(sizeof *x->wl);
		x->nwl = 1;
		while (e > 0 && (t[e - 1] == ' ' || t[e - 1] == '\t'))
			e--;
		x->wl[0].start = 0;
		x->wl[0].end = e;
		x->wl[0].width = x->rt.width - (int)(x->rt.text.len - e);
		return;
	}
	free(x->wl);
	x->nwl = wrap_lines(t, x->rt.text.len, cw, &x->wl);
}

/* Line k of a table row, built straight into a line: the prefix, then
 * each cell's line k padded to its column between borders. */
static void
table_row_line(struct layout *l, struct frame *f, struct tmemo_row *mr,
    const int *cw, size_t nc, const char *align, size_t k)
{
	static const char	 sp[] = "                                ";
	struct render_line	*line;
	const struct rt		*pre;
	size_t			 c, tcap, scap;
	int			 rw = 1, cap, lw, pad, lp, n;

	pre = next_prefix(l, f, &cap);
	tcap = pre->text.len + 4;
	scap = pre->nruns + 1;
	for (c = 0; c < nc; c++) {
		struct tmemo_cell	*x = &mr->cells[c];

		tcap += (cw[c] > 0 ? (size_t)cw[c] : 0) + 5;
		scap += 3 + x->rt.nruns;
		if (k < x->nwl)
			tcap += x->wl[k].end - x->wl[k].start;
	}
	line = line_open(l->out, tcap, scap);
	line_put(line, pre, 0, pre->text.len);
	line_put_deco(line, "│ ", 4, RSTYLE_TABLE_BORDER);
	for (c = 0; c < nc; c++) {
		struct tmemo_cell	*x = &mr->cells[c];

		lw = k < x->nwl ? x->wl[k].width : 0;
		rw += (lw > cw[c] ? lw : cw[c]) + 3;
		pad = cw[c] - lw;
		if (pad < 0)
			pad = 0;
		lp = align[c] == 'r' ? pad : align[c] == 'c' ? pad / 2 : 0;
		for (n = lp; n > 0; n -= 32)
			line_put_deco(line, sp, n > 32 ? 32 : (size_t)n, 0);
		if (k < x->nwl)
			line_put(line, &x->rt, x->wl[k].start, x->wl[k].end);
		for (n = pad - lp; n > 0; n -= 32)
			line_put_deco(line, sp, n > 32 ? 32 : (size_t)n, 0);
		if (c + 1 < nc)
			line_put_deco(line, " │ ", 5, RSTYLE_TABLE_BORDER);
		else
			line_put_deco(line, " │", 4, RSTYLE_TABLE_BORDER);
	}
	line_close(line, rw + cap);
}

/*
 * Whether the cells of a row keep their lines at the new column widths cw:
 * wrapped at the old ones, and in a column that changed, one line that
 * fitted the old width and fits the new one (cell_wrap() makes the same
 * line of it). Such cells are marked wrapped at cw.
 */
static bool
cells_keep(struct tmemo_row *mr, const int *oldcw, const int *cw, size_t nc)
{
	struct tmemo_cell	*x;
	size_t			 c;

	for (c = 0; c < nc; c++) {
		x = &mr->cells[c];
		if (x->wcw != oldcw[c])
			return false;
		if (cw[c] != oldcw[c] && (x->nwl != 1 || x->rt.width > cw[c] ||
		    x->rt.width > oldcw[c] || (x->rt.text.len > 0 &&
		    memchr(x->rt.text.data, '\n', x->rt.text.len) != NULL)))
			return false;
	}
	for (c = 0; c < nc; c++)
		mr->cells[c].wcw = cw[c];
	return true;
}

/* The padding table_row_line() puts left and right of a cell line of
 * width lw in a column of width cw aligned a. */
static void
cell_pads(int cw, int lw, char a, int *lp, int *rp)
{
	int	pad = cw - lw;

	if (pad < 0)
		pad = 0;
	*lp = a == 'r' ? pad : a == 'c' ? pad / 2 : 0;
	*rp = pad - *lp;
}

#define WIDEN_LINES 4
#define WIDEN_COLS 16

/* A change of padding in a row line, planned by pad_plan(). */
struct pad {
	bool	insert;		/* line_pad_insert(), else line_repad() */
	bool	join;
	size_t	span;
	size_t	off;
	size_t	n;
};

/* Plan making the padding of old bytes at off of line ol new bytes:
 * false when that cannot give the line drawn at once. */
static bool
pad_plan(const struct render_line *ol, size_t off, int old, int new,
    size_t *hint, struct pad *pd)
{
	long	sp;

	if (new == 0)
		return false;
	pd->insert = old == 0;
	pd->off = off;
	pd->n = (size_t)new;
	if (pd->insert)
		sp = line_pad_slot(ol, off, &pd->join, hint);
	else
		sp = line_pad_span(ol, off, (size_t)old, hint);
	pd->span = (size_t)sp;
	return sp >= 0;
}

/*
 * Row mr, whose cells keep their lines at the new column widths cw
 * (cells_keep()), from its lines of the last layout at widths oldcw: they
 * are taken over from the stash and their padding made the new widths in
 * place (a table whose streaming last row widened a column). False,
 * taking nothing, when a line is not in the stash or its padding is not a
 * span of its own where oldcw put it.
 */
static bool
row_widen(struct layout *l, struct frame *f, struct tmemo_row *mr,
    const int *oldcw, const int *cw, size_t nc, const char *align)
{
	const struct render_line	*ol;
	const struct tmemo_cell		*x;
	const struct rt			*pre;
	struct render_line		*line;
	struct pad			 pad[WIDEN_LINES][2 * WIDEN_COLS], *pd;
	size_t				 np[WIDEN_LINES], k, c, si, off, tb, h;
	size_t				 first;
	int				 lw, lo, ro, ln, rn, rw, cap;

	if (mr->nlines > WIDEN_LINES || nc > WIDEN_COLS || l->stash == NULL ||
	    mr->line < l->stash_base ||
	    mr->line - l->stash_base + mr->nlines > l->stash->n)
		return false;
	si = mr->line - l->stash_base;
	/* The frames are past their first line (the top border took it):
	 * every row line has this prefix, the one drawn last time. */
	pre = next_prefix(l, f, &cap);
	for (k = 0; k < mr->nlines; k++) {
		ol = &l->stash->v[si + k];
		if (ol->text == NULL || ol->spans == NULL)
			return false;
		off = pre->text.len + 4;
		h = 0;
		np[k] = 0;
		for (c = 0; c < nc; c++) {
			x = &mr->cells[c];
			lw = k < x->nwl ? x->wl[k].width : 0;
			tb = k < x->nwl ? x->wl[k].end - x->wl[k].start : 0;
			cell_pads(oldcw[c], lw, align[c], &lo, &ro);
			cell_pads(cw[c], lw, align[c], &ln, &rn);
			if (lo != ln && !pad_plan(ol, off, lo, ln, &h,
			    &pad[k][np[k]++]))
				return false;
			off += (size_t)lo + tb;
			if (ro != rn && !pad_plan(ol, off, ro, rn, &h,
			    &pad[k][np[k]++]))
				return false;
			off += (size_t)ro + (c + 1 < nc ? 5 : 4);
		}
		if (off != ol->len)
			return false;
	}
	first = l->out->n;
	if (!take_lines(l, mr->line, mr->nlines))
		return false;
	for (k = 0; k < mr->nlines; k++) {
		line = &l->out->v[first + k];
		/* From the right: the offsets found stay good. */
		while (np[k] > 0) {
			pd = &pad[k][--np[k]];
			if (pd->insert)
				line_pad_insert(line, pd->span, pd->join,
				    pd->off, pd->n);
			else
				line_repad(line, pd->span, pd->n);
		}
		rw = 1;
		for (c = 0; c < nc; c++) {
			x = &mr->cells[c];
			lw = k < x->nwl ? x->wl[k].width : 0;
			rw += (lw > cw[c] ? lw : cw[c]) + 3;
		}
		line->width = rw + cap;
	}
	return true;
}

/*
 * A table. Its cells are parsed into the table memo's rows (a row whose
 * source bytes are the same as last layout's is not parsed again), and a
 * cell keeps its wrapped lines for the column width they were made at.
 * When the columns and prefixes are those of the last layout, the lines
 * of a row parsed before are taken over from the stash.
 */
static void
table(struct layout *l, struct frame *f, struct bline *v, size_t n)
{
	char			 align[MAXCOLS];
	size_t			 nc, r, c, nrows = n - 1, k, maxh;
	struct bline		 cells[MAXCOLS];
	int			 nat[MAXCOLS], cw[MAXCOLS], total, w, left;
	struct rt		*p0 = &l->tp0, *p1 = &l->tp1;
	bool			 fixed[MAXCOLS], use, reuse, pre_same;
	const int		*oldcw;
	char			 sig[FSIGMAX];
	size_t			 siglen;
	struct tmemo		 local, *tm;
	size_t			 first, links0, sep = 0, bottom;

	tm = l->tmemo;
	if (tm != NULL && tm->nc > 0 && tm->delim_s == v[1].s &&
	    tm->delim_e == v[1].e) {
		/* The same delimiter row (same bytes) as the table last
		 * recorded. */
		nc = tm->nc;
		memcpy(align, tm->align, nc);
	} else
		nc = delim_row(l, &v[1], align);
	first = l->out->n;
	links0 = *l->nlinks;
	if (tm == NULL) {
		memset(&local, 0, sizeof local);
		rt_init(&local.pre0);
		rt_init(&local.pre1);
		tm = &local;
	}
	/* The prefixes, built only when the frames are not the memo's. */
	siglen = frames_sig(l, f, sig);
	pre_same = tm->valid && siglen > 0 && siglen == tm->fsiglen &&
	    memcmp(sig, tm->fsig, siglen) == 0;
	if (!pre_same) {
		prefixes(l, f, p0, p1);
		pre_same = tm->valid && rt_same(&tm->pre0, p0) &&
		    rt_same(&tm->pre1, p1);
	}
	use = tm->valid && tm->first_line == first &&
	    tm->start == v[0].s && tm->delim_s == v[1].s &&
	    tm->delim_e == v[1].e && tm->avail == avail(l, f) &&
	    tm->nlinks_before == links0 && tm->nc == nc &&
	    memcmp(tm->align, align, nc) == 0 && pre_same;
	tm->valid = false;
	for (c = 0; c < nc; c++)
		nat[c] = 1;
	/* Row 0 is the header; v[1] is the delimiter row. */
	for (r = 0; r < nrows; r++) {
		const struct bline	*b = &v[r == 0 ? 0 : r + 1];
		struct tmemo_row	*mr;
		size_t			 got;

		if (use && r < tm->nrows && tm->rows[r].s == b->s &&
		    tm->rows[r].e == b->e) {
			/* Same bytes as last time: the same cells. */
			mr = &tm->rows[r];
			for (c = 0; c < nc; c++)
				cell_links(l, &mr->cells[c]);
			mr->cached = true;
		} else {
			mr = trow(tm, r, nc);
			got = split_cells(l, b, cells, MAXCOLS);
			mr->cached = true;
			for (c = 0; c < nc; c++) {
				struct bline	cb = { 0, 0 };

				if (c < got)
					cb = cells[c];
				if (!cell_parse(l, &mr->cells[c], cb, r == 0 ?
				    RSTYLE_TABLE_HEADER : 0))
					mr->cached = false;
			}
			mr->s = b->s;
			mr->e = b->e;
		}
		for (c = 0; c < nc; c++)
			if (mr->cells[c].rt.width > nat[c])
				nat[c] = mr->cells[c].rt.width;
	}
	tm->nrows = nrows;
	/* Too narrow for a grid of 2-column cells: rows as wrapped text. */
	if ((int)(5 * nc + 1) > avail(l, f)) {
		for (r = 0; r < nrows; r++) {
			struct rt	rrt;

			rt_init(&rrt);
			for (c = 0; c < nc; c++) {
				struct rt	*x = &tm->rows[r].cells[c].rt;

				if (c > 0)
					rt_addstr(&rrt, " │ ",
					    RSTYLE_TABLE_BORDER);
				rt_append(&rrt, x, 0, x->text.len);
			}
			emit_wrapped(l, f, &rrt);
			rt_release(&rrt);
		}
		goto done;
	}
	/* Fit: columns under the fair share keep their width, the rest
	 * share what is left (water filling). */
	w = avail(l, f) - (int)(3 * nc + 1);
	total = 0;
	for (c = 0; c < nc; c++) {
		total += nat[c];
		cw[c] = nat[c];
		fixed[c] = false;
	}
	if (total > w) {
		size_t	nfree = nc;
		bool	changed = true;

		left = w;
		while (changed && nfree > 0) {
			int	share = left / (int)nfree;

			changed = false;
			for (c = 0; c < nc; c++) {
				if (!fixed[c] && nat[c] <= share) {
					fixed[c] = true;
					left -= nat[c];
					nfree--;
					changed = true;
				}
			}
		}
		for (c = 0, k = 0; c < nc; c++) {
			if (fixed[c])
				continue;
			cw[c] = nfree ? left / (int)nfree : 1;
			if (k < (size_t)(nfree ? left % (int)nfree : 0))
				cw[c]++;
			k++;
			if (cw[c] < 2)
				cw[c] = 2;
		}
	}
	reuse = use && memcmp(cw, tm->cw, nc * sizeof *cw) == 0;
	/* Other widths in the same table: lines redrawn in place. */
	oldcw = use && !reuse ? tm->cw : NULL;
	border_at(l, f, cw, oldcw, nc, "┌", "┬", "┐", reuse, first);
	for (r = 0; r < nrows; r++) {
		struct tmemo_row	*mr = &tm->rows[r];
		size_t			 line = l->out->n;

		if ((reuse && mr->cached && mr->line == line &&
		    take_lines(l, line, mr->nlines)) || (oldcw != NULL &&
		    mr->cached && mr->line == line &&
		    cells_keep(mr, oldcw, cw, nc) &&
		    row_widen(l, f, mr, oldcw, cw, nc, align))) {
			if (r == 0)
				sep = border_at(l, f, cw, oldcw, nc, "├", "┼",
				    "┤", reuse, tm->sep_line);
			continue;
		}
		maxh = 0;
		for (c = 0; c < nc; c++) {
			struct tmemo_cell	*x = &mr->cells[c];

			if (x->wcw != cw[c])
				cell_wrap(x, cw[c]);
			if (x->nwl > maxh)
				maxh = x->nwl;
		}
		for (k = 0; k < maxh; k++)
			table_row_line(l, f, mr, cw, nc, align, k);
		mr->line = line;
		mr->nlines = l->out->n - line;
		if (r == 0)
			sep = border_at(l, f, cw, oldcw, nc, "├", "┼", "┤",
			    reuse, tm->sep_line);
	}
	bottom = border_at(l, f, cw, oldcw, nc, "└", "┴", "┘", reuse,
	    tm->bottom_line);
	if (l->memo_record) {
		/* Remember this table for the next layout. */
		tm->valid = true;
		tm->recorded = true;
		tm->first_line = first;
		tm->sep_line = sep;
		tm->bottom_line = bottom;
		tm->start = v[0].s;
		tm->delim_s = v[1].s;
		tm->delim_e = v[1].e;
		tm->avail = avail(l, f);
		tm->nlinks_before = links0;
		if (!pre_same) {
			rt_copy(&tm->pre0, p0);
			rt_copy(&tm->pre1, p1);
		}
		memcpy(tm->fsig, sig, siglen);
		tm->fsiglen = siglen;
		tm->nc = nc;
		memcpy(tm->align, align, nc);
		memcpy(tm->cw, cw, nc * sizeof *cw);
	}
done:
	if (tm == &local)
		tmemo_release(&local);
}

/* Forget the table: what it holds stays allocated for the next one. */
void
tmemo_clear(struct tmemo *tm)
{
	tm->valid = false;
}

void
tmemo_release(struct tmemo *tm)
{
	size_t	r, c;

	for (r = 0; r < tm->rowcap; r++) {
		struct tmemo_row	*mr = &tm->rows[r];

		for (c = 0; c < mr->ncells; c++) {
			rt_release(&mr->cells[c].rt);
			free(mr->cells[c].wl);
			cell_forget_urls(&mr->cells[c]);
			free(mr->cells[c].urls);
		}
		free(mr->cells);
	}
	free(tm->rows);
	tm->rows = NULL;
	tm->nrows = tm->rowcap = 0;
	tm->valid = false;
	rt_release(&tm->pre0);
	rt_release(&tm->pre1);
}

/* ---- containers ---- */

/* Whether line b starts a block that ends a paragraph (or lazy
 * continuation). */
static bool
interrupts(struct layout *l, const struct bline *b)
{
	const char	*s = L(l, b);
	size_t		 n = LN(b), i;
	bool		 ord, empty;
	long		 num;
	char		 ch;

	if (md_indent(s, n, &i) > 3)
		return false;
	if (md_is_atx(s, n) || md_is_hr(s, n) || md_fence_open(s, n, &ch))
		return true;
	if (i < n && s[i] == '>')
		return true;
	if (md_list_marker(s, n, &ord, &num, &empty) && !empty &&
	    (!ord || num == 1))
		return true;
	return false;
}

static bool
is_setext(struct layout *l, const struct bline *b, int *level)
{
	const char	*s = L(l, b);
	size_t		 n = LN(b), i;
	char		 c;

	if (md_indent(s, n, &i) > 3 || i >= n)
		return false;
	c = s[i];
	if (c != '=' && c != '-')
		return false;
	while (i < n && s[i] == c)
		i++;
	if (!md_is_blank(s + i, n - i))
		return false;
	*level = c == '=' ? 1 : 2;
	return true;
}

/* The bullets of each depth, and the task boxes: one column each
 * (test_render_width checks), so a marker is measured without them. */
static const char *bullets[] = { "•", "◦", "▪" };

static void
list_item(struct layout *l, struct frame *f, struct bline *v, size_t n,
    int depth, int cc)
{
	struct bline	*sub, sbuf[16];
	const char	*s = L(l, &v[0]);
	size_t		 i, skip, j;
	bool		 ord, empty;
	long		 num;
	char		 rest[48], mark[32];
	size_t		 mk;
	int		 mw;
	struct frame	 lf;
	uint32_t	 ms = RSTYLE_LIST_MARKER;

	md_list_marker(s, LN(&v[0]), &ord, &num, &empty);
	md_indent(s, LN(&v[0]), &skip);
	j = skip;
	if (ord) {
		while (j < LN(&v[0]) && s[j] >= '0' && s[j] <= '9')
			j++;
	}
	j++;
	sub = n <= 16 ? sbuf : xmalloc(n * sizeof *sub);
	sub[0].s = v[0].s + j;
	sub[0].e = v[0].e;
	while (sub[0].s < sub[0].e && (l->text[sub[0].s] == ' ' ||
	    l->text[sub[0].s] == '\t'))
		sub[0].s++;
	for (i = 1; i < n; i++) {
		if (md_indent(L(l, &v[i]), LN(&v[i]), NULL) >= cc ||
		    md_is_blank(L(l, &v[i]), LN(&v[i])))
			sub[i] = strip_cols(l, v[i], cc);
		else
			sub[i] = v[i];	/* lazy continuation */
	}
	/* The marker: the number as written (at most 9 digits and its
	 * delimiter), or the bullet of this depth. */
	if (ord) {
		memcpy(mark, s + skip, j - skip);
		mk = j - skip;
		mw = (int)mk;		/* digits and '.' or ')' */
	} else {
		mk = strlen(bullets[l->list_depth % 3]);
		memcpy(mark, bullets[l->list_depth % 3], mk);
		mw = 1;
	}
	mark[mk++] = ' ';
	mark[mk] = '\0';
	mw++;
	/* Task items: "[ ] " or "[x] " opening the first line. */
	if (sub[0].e - sub[0].s >= 3 && l->text[sub[0].s] == '[' &&
	    l->text[sub[0].s + 2] == ']' && (sub[0].e - sub[0].s == 3 ||
	    l->text[sub[0].s + 3] == ' ') && (l->text[sub[0].s + 1] == ' ' ||
	    (l->text[sub[0].s + 1] | 0x20) == 'x')) {
		memcpy(mark + mk, l->text[sub[0].s + 1] == ' ' ? "☐ " : "☑ ",
		    sizeof "☐ ");
		mk += sizeof "☐ " - 1;
		mw += 2;
		sub[0].s += 3;
		while (sub[0].s < sub[0].e && l->text[sub[0].s] == ' ')
			sub[0].s++;
	}
	memset(rest, ' ', mw);
	rest[mw] = '\0';
	frame_init_w(&lf, f, mark, rest, ms, mw);
	l->list_depth++;
	if (md_is_blank(L(l, &sub[0]), LN(&sub[0])) && n == 1)
		emit_blank(l, &lf), lf.used = true;
	else if (md_is_blank(L(l, &sub[0]), LN(&sub[0]))) {
		/* An item that opens with a blank line. */
		struct rt	empty_rt;

		rt_init(&empty_rt);
		emit(l, &lf, &empty_rt, 0, 0);
		rt_release(&empty_rt);
		blocks(l, sub + 1, n - 1, &lf, depth + 1);
	} else
		blocks(l, sub, n, &lf, depth + 1);
	l->list_depth--;
	if (f != NULL && lf.used)
		f->used = true;
	if (sub != sbuf)
		free(sub);
}

static void
code_block(struct layout *l, struct frame *f, struct bline *v, size_t n,
    size_t is, size_t ie)
{
	size_t	i;

	if (ie > is)
		code_label(l, f, is, ie);
	for (i = 0; i < n; i++)
		code_line(l, f, v[i].s, v[i].e);
}

static void
blocks(struct layout *l, struct bline *v, size_t n, struct frame *f,
    int depth)
{
	size_t		 i = 0, j, k, skip, is, ie;
	bool		 any = false, blank_before = false, ord, empty;
	const char	*s;
	size_t		 len;
	int		 fl, cc, level, ind;
	long		 num;
	char		 ch;
	struct bline	*tmp;

	while (i < n) {
		s = L(l, &v[i]);
		len = LN(&v[i]);
		if (md_is_blank(s, len)) {
			blank_before = true;
			i++;
			continue;
		}
		if (any && (depth == 0 || blank_before))
			emit_blank(l, f);
		any = true;
		blank_before = false;
		ind = md_indent(s, len, &skip);
		if (ind >= 4) {
			/* Indented code: to the last indented line. */
			for (j = i, k = i; j < n; j++) {
				if (md_is_blank(L(l, &v[j]), LN(&v[j])))
					continue;
				if (md_indent(L(l, &v[j]), LN(&v[j]), NULL) < 4)
					break;
				k = j + 1;
			}
			tmp = xmalloc((k - i) * sizeof *tmp);
			for (j = i; j < k; j++)
				tmp[j - i] = strip_cols(l, v[j], 4);
			code_block(l, f, tmp, k - i, 0, 0);
			free(tmp);
			i = k;
			continue;
		}
		if ((fl = md_fence_open(s, len, &ch)) != 0) {
			fence_info(l, &v[i], &is, &ie);
			for (j = i + 1; j < n; j++) {
				if (md_fence_close(L(l, &v[j]), LN(&v[j]), ch,
				    fl))
					break;
			}
			tmp = xmalloc((j - i) * sizeof *tmp + 1);
			for (k = i + 1; k < j; k++)
				tmp[k - i - 1] = strip_cols(l, v[k], ind);
			code_block(l, f, tmp, j - i - 1, is, ie);
			free(tmp);
			i = j < n ? j + 1 : j;
			continue;
		}
		if (md_is_atx(s, len)) {
			atx(l, f, &v[i]);
			i++;
			continue;
		}
		if (md_is_hr(s, len)) {
			rule(l, f, &v[i]);
			i++;
			continue;
		}
		if (s[skip] == '>') {
			struct frame	qf;
			struct bline	qbuf[16];
			bool		prev_text = false;

			tmp = n - i <= 16 ? qbuf : xmalloc((n - i) *
			    sizeof *tmp);
			for (j = i, k = 0; j < n; j++) {
				const char	*t = L(l, &v[j]);
				size_t		 tl = LN(&v[j]), sk;

				if (md_is_blank(t, tl))
					break;
				if (md_indent(t, tl, &sk) <= 3 && t[sk] == '>') {
					tmp[k].s = v[j].s + sk + 1;
					tmp[k].e = v[j].e;
					if (tmp[k].s < tmp[k].e &&
					    l->text[tmp[k].s] == ' ')
						tmp[k].s++;
					prev_text = !md_is_blank(L(l, &tmp[k]),
					    LN(&tmp[k]));
					k++;
				} else if (prev_text && !interrupts_c(l, &v[j]))
					tmp[k++] = v[j];
				else
					break;
			}
			frame_init_w(&qf, f, "│ ", "│ ", RSTYLE_QUOTE, 2);
			blocks(l, tmp, k, &qf, depth + 1);
			if (f != NULL && qf.used)
				f->used = true;
			if (tmp != qbuf)
				free(tmp);
			i = j;
			continue;
		}
		if ((cc = md_list_marker(s, len, &ord, &num, &empty)) != 0) {
			bool	prev_blank = false, prev_text = true;

			for (j = i + 1; j < n; j++) {
				const char	*t = L(l, &v[j]);
				size_t		 tl = LN(&v[j]);

				if (md_is_blank(t, tl)) {
					prev_blank = true;
					prev_text = false;
					continue;
				}
				if (md_indent(t, tl, NULL) >= cc) {
					prev_blank = false;
					prev_text = true;
					continue;
				}
				if (!prev_blank && prev_text &&
				    !interrupts_c(l, &v[j]) &&
				    !table_start(l, v, n, j)) {
					bool	o2, e2;
					long	n2;

					if (md_list_marker(t, tl, &o2, &n2,
					    &e2) == 0)
						continue;
				}
				break;
			}
			/* Trailing blank lines are not the item's. */
			k = j;
			while (k > i + 1 && md_is_blank(L(l, &v[k - 1]),
			    LN(&v[k - 1])))
				k--;
			list_item(l, f, v + i, k - i, depth, cc);
			blank_before = k < j;
			i = j;
			/* Items of one list: no blank unless loose. */
			if (i < n && !blank_before && md_list_marker(L(l, &v[i]),
			    LN(&v[i]), &ord, &num, &empty))
				any = false;
			continue;
		}
		if (table_start(l, v, n, i)) {
			for (j = known_rows(l, v, n, i); j < n; j++) {
				if (md_is_blank(L(l, &v[j]), LN(&v[j])) ||
				    !has_pipe(l, &v[j]) || interrupts_c(l, &v[j]))
					break;
			}
			table(l, f, v + i, j - i);
			i = j;
			continue;
		}
		/* An HTML block: shown as text, line by line. */
		if (s[skip] == '<' && skip + 1 < len && (s[skip + 1] == '/' ||
		    s[skip + 1] == '!' || ((s[skip + 1] | 0x20) >= 'a' &&
		    (s[skip + 1] | 0x20) <= 'z'))) {
			for (j = i; j < n && !md_is_blank(L(l, &v[j]),
			    LN(&v[j])); j++) {
				struct rt	rt;

				rt_init(&rt);
				layout_add_clean(l, &rt, v[j].s, LN(&v[j]),
				    RSTYLE_HTML, 0);
				emit_wrapped(l, f, &rt);
				rt_release(&rt);
			}
			i = j;
			continue;
		}
		/* Paragraph, maybe a setext heading. */
		for (j = i + 1; j < n; j++) {
			const char	*t = L(l, &v[j]);
			size_t		 tl = LN(&v[j]);

			if (md_is_blank(t, tl))
				break;
			if (is_setext(l, &v[j], &level)) {
				heading(l, f, v + i, j - i, level);
				i = j + 1;
				goto next;
			}
			if (interrupts_c(l, &v[j]) || table_start(l, v, n, j))
				break;
		}
		paragraph(l, f, v + i, j - i, 0);
		i = j;
next:
		;
	}
}

void
block_layout(struct layout *l, enum chunk_kind kind, size_t start,
    size_t end)
{
	struct bline	 vbuf[32], *v = vbuf, b;
	size_t		 n = 0, cap = 32, p, q, is, ie;

	for (p = start; p < end; p = q + 1) {
		const char	*nl = memchr(l->text + p, '\n', end - p);

		q = nl != NULL ? (size_t)(nl - l->text) : end;
		if (n == cap) {
			cap *= 2;
			if (v == vbuf) {
				v = xmalloc(cap * sizeof *v);
				memcpy(v, vbuf, sizeof vbuf);
			} else
				v = xrealloc(v, cap * sizeof *v);
		}
		v[n].s = p;
		v[n].e = q;
		n++;
		if (nl == NULL)
			break;
	}
	switch (kind) {
	case CHUNK_FENCE_OPEN:
		if (n > 0) {
			fence_info(l, &v[0], &is, &ie);
			if (ie > is)
				code_label(l, NULL, is, ie);
		}
		break;
	case CHUNK_FENCE_LINE:
		if (n > 0) {
			b = v[0];
			code_line(l, NULL, b.s, b.e);
		}
		break;
	case CHUNK_FENCE_CLOSE:
		break;
	default:
		blocks(l, v, n, NULL, 0);
		break;
	}
	if (v != vbuf)
		free(v);
}
