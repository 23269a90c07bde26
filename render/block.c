/*
 * render/block.c - block structure of markdown and its layout.
 *
 * A chunk's lines are read into blocks (a close reading of CommonMark and
 * GFM for what models write: headings, paragraphs, fences, indented code,
 * quotes, lists, tables, rules) and each block is laid out at once. Block
 * containers (quotes, list items) strip their prefix from the lines and
 * recurse; on screen they become frames whose first line carries the
 * marker and whose other lines carry the indentation or the quote bar.
 * Tables are table.c's, under the frames of this file.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "render/render-private.h"

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
void
block_consume(struct frame *f)
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
int
block_prefix_cap(struct layout *l, const struct frame *f)
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
const struct rt *
block_next_prefix(struct layout *l, struct frame *f, int *capp)
{
	int	cap = block_prefix_cap(l, f);

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

void
block_emit_w(struct layout *l, struct frame *f, const struct rt *body, size_t s,
    size_t e, int bw)
{
	int		 cap;
	const struct rt	*pre = block_next_prefix(l, f, &cap);

	lines_add(l->out, pre, body, s, e, bw >= 0 ? bw + cap : -1);
}

static void
emit(struct layout *l, struct frame *f, const struct rt *body, size_t s,
    size_t e)
{
	block_emit_w(l, f, body, s, e, -1);
}

static void
emit_blank(struct layout *l, struct frame *f)
{
	size_t	n;

	rt_reset(&l->pre);
	rt_reset(&l->cut);
	build_prefix(f, &l->pre, false);
	trim_prefix(&l->pre, block_prefix_cap(l, f), &l->cut);
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

int
block_avail(struct layout *l, const struct frame *f)
{
	int	w = l->width - block_prefix_cap(l, f);

	return w < 1 ? 1 : w;
}

/* The prefix of the next line (consuming nothing) and of the lines after
 * it, as emit_w would draw them. */
void
block_prefixes(struct layout *l, struct frame *f, struct rt *p0, struct rt *p1)
{
	int			 cap = block_prefix_cap(l, f), fw = frame_width(f);
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


/*
 * What the prefixes of the lines under frame f are made of, as bytes: the
 * screen width and each frame's texts, styles, width and whether it is
 * past its first line. Two frame chains with the same bytes draw the same
 * prefixes. Returns the length, 0 when it does not fit in FSIGMAX.
 */
size_t
block_frames_sig(struct layout *l, const struct frame *f, char *sig)
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
	int			 av = block_avail(l, f);
	bool			 whole = false, pre_same, grow = false;

	if (m == NULL) {
		n = wrap_lines(text, body->text.len, av, &wl);
		for (i = 0; i < n; i++)
			block_emit_w(l, f, body, wl[i].start, wl[i].end, wl[i].width);
		free(wl);
		return;
	}
	/* The same frames draw the same prefixes: built and compared only
	 * when the frames are not those of the memo. */
	siglen = 0;
	pre_same = false;
	if (m->valid || l->memo_record) {
		siglen = block_frames_sig(l, f, sig);
		pre_same = m->valid && siglen > 0 && siglen == m->fsiglen &&
		    memcmp(sig, m->fsig, siglen) == 0;
	}
	if (!pre_same && (m->valid || l->memo_record)) {
		block_prefixes(l, f, p0, p1);
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
		    m->body_len == agree && block_take_lines(l, first, m->nwl);
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
			    rt_same_upto(&m->body, body, s->pos))) {
				from = s;
				break;
			}
		}
	}
	if (whole) {
		n = i = m->nwl;
		block_consume(f);
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
			block_consume(f);
		/* The line it goes on from, the same up to where it ended,
		 * grows by what follows (the last line of a streaming
		 * paragraph: drawn again, it would cost its whole length). */
		si += from->nlines;
		if (grow && i < n && wl[i].start == oldwl.start &&
		    oldwl.end <= wl[i].end && oldwl.end <= common &&
		    wl[i].width >= 0 && si < l->stash->n &&
		    l->stash->v[si].text != NULL && (agree != SIZE_MAX ||
		    rt_same_upto(&m->body, body, oldwl.end)) &&
		    line_extend(&l->stash->v[si], body, oldwl.end, wl[i].end,
		    wl[i].width + block_prefix_cap(l, f))) {
			struct lines	*ls = l->out;

			if (ls->n == ls->cap) {
				ls->cap = ls->cap ? ls->cap * 2 : 64;
				ls->v = xrealloc(ls->v, ls->cap * sizeof *ls->v);
			}
			ls->v[ls->n++] = l->stash->v[si];
			l->stash->v[si].text = NULL;
			l->stash->v[si].spans = NULL;
			block_consume(f);
			i++;
		}
	}
	for (; i < n; i++)
		block_emit_w(l, f, body, wl[i].start, wl[i].end, wl[i].width);
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
void
block_emit_wrapped(struct layout *l, struct frame *f, struct rt *body)
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
			if (k > 0 && rt.nruns >= r0 && rt_runs_agree(old->runs,
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
	int		i, w = block_avail(l, f);

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
	    lw + block_prefix_cap(l, f)))
		return false;
	if (ls->n == ls->cap) {
		ls->cap = ls->cap ? ls->cap * 2 : 64;
		ls->v = xrealloc(ls->v, ls->cap * sizeof *ls->v);
	}
	ls->v[ls->n++] = *ol;
	ol->text = NULL;
	ol->spans = NULL;
	block_consume(f);
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
	w = block_avail(l, &cf);
	first_out = l->out->n;
	i = 0;
	if (cm != NULL) {
		rt = &cm->rt;
		if (cm->valid && cm->s == s && cm->e <= e &&
		    cm->first_line == first_out && cm->w == w &&
		    layout_cuttable(l, cm->e) && (cm->nlines == 0 ||
		    block_take_lines(l, first_out, cm->nlines))) {
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
				block_consume(&cf);
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
			block_emit_w(l, &cf, rt, start, i, lw);
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
		block_emit_w(l, &cf, rt, start, rt->text.len, lw);
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
	int	cw, lw = 0, w = block_avail(l, f);
	bool	first = true;

	for (i = 0; i < body->text.len; i = next) {
		next = grapheme_next(body->text.data, body->text.len, i, &cw);
		if (lw + cw > w && i > start) {
			block_emit_w(l, f, body, start, i, lw);
			first = false;
			start = i;
			lw = 0;
		}
		lw += cw;
	}
	if (first || start < body->text.len)
		block_emit_w(l, f, body, start, body->text.len, lw);
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

/* ---- where a table starts (table.c lays it out) ---- */

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
	char		 align[TABLE_MAXCOLS];
	struct bline	 cells[TABLE_MAXCOLS];
	size_t		 nd, nc;
	struct lclass	*c;

	if (i + 1 >= n || !has_pipe(l, &v[i]))
		return false;
	if ((c = lclass(l, &v[i + 1])) != NULL &&
	    (c->flags & LC_HAVE_DELIM))
		nd = c->ndelim;
	else {
		nd = table_delim(l, &v[i + 1], align);
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
		nc = table_cells(l, &v[i], cells, TABLE_MAXCOLS);
		if (c != NULL) {
			c->ncells = nc;
			c->flags |= LC_HAVE_CELLS;
		}
	}
	return nc == nd;
}

/* Move the previous layout's lines at absolute index at.. (n of them) from
 * the stash to the output, if they are all still there. */
bool
block_take_lines(struct layout *l, size_t at, size_t n)
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
			for (j = table_known_rows(l, v, n, i); j < n; j++) {
				if (md_is_blank(L(l, &v[j]), LN(&v[j])) ||
				    !has_pipe(l, &v[j]) || interrupts_c(l, &v[j]))
					break;
			}
			table_layout(l, f, v + i, j - i);
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
				block_emit_wrapped(l, f, &rt);
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
