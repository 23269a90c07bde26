/*
 * render/table.c - tables: cells, column widths, drawing, the table memo.
 *
 * A table's cells are parsed into the table memo's rows (a row whose
 * source bytes are the same as last layout's is not parsed again, a cell
 * streaming in is measured from near its old end), columns are sized by
 * display width (water filling when the table is too wide), and each cell
 * keeps its wrapped lines for the column width they were made at. Laid
 * out again in the open chunk, a table takes the lines of the rows it
 * drew last time over from the stash: as they are when the column widths
 * did not change, padded again in place when the streaming last row
 * widened a column. blocks() (block.c) finds where a table starts and
 * ends; the frames its lines go under are block.c's.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "render/render-private.h"

/*
 * The cells of row b from the cell starting at cs on, n cells before it:
 * stored in cells[n..max), counted in the return value. *last is where the
 * last cell found starts (before its spaces are trimmed).
 */
static size_t
cells_from(struct layout *l, const struct bline *b, struct bline *cells,
    size_t max, size_t cs, size_t n, size_t *last)
{
	const char	*s = l->text;
	size_t		 i = b->s, e = b->e, prev;

	while (i < e && (s[i] == ' ' || s[i] == '\t'))
		i++;
	while (e > i && (s[e - 1] == ' ' || s[e - 1] == '\t'))
		e--;
	if (i < e && s[i] == '|')
		i++;
	if (e > i && s[e - 1] == '|' && !(e - 1 > i && s[e - 2] == '\\'))
		e--;
	if (n == 0)
		cs = i;
	prev = cs;
	for (i = cs; i <= e; i++) {
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
			prev = cs;
			cs = i + 1;
		}
	}
	*last = prev;
	return n;
}

size_t
table_cells(struct layout *l, const struct bline *b, struct bline *cells,
    size_t max)
{
	size_t	last;

	return cells_from(l, b, cells, max, 0, 0, &last);
}

size_t
table_delim(struct layout *l, const struct bline *b, char *align)
{
	struct bline	cells[TABLE_MAXCOLS];
	size_t		n, i, k;
	const char	*s = l->text;

	if (memchr(s + b->s, '-', b->e - b->s) == NULL)
		return 0;
	n = table_cells(l, b, cells, TABLE_MAXCOLS);
	if (n == 0 || n > TABLE_MAXCOLS)
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

/*
 * Where the rows of the table at v[i] (header, delimiter row) that the
 * table memo holds as they are end: lines with the bytes of rows of the
 * same table last time are rows again (whether a line goes on a table
 * depends on the line alone), so blocks() tests only the lines after.
 */
size_t
table_known_rows(struct layout *l, const struct bline *v, size_t n, size_t i)
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

/* A stretch of border rule, copied a piece at a time. */
static const char	rule[] = "────────────────────────────────";

static void
border(struct layout *l, struct frame *f, const int *cw, size_t nc,
    const char *a, const char *m, const char *z)
{
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
	block_emit_w(l, f, rt, 0, s->len, bw);
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
	int				 i, k, bw = 1;

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
	    sp->len != la + olen || !block_take_lines(l, at, 1))
		return false;
	block_consume(f);
	line = &l->out->v[l->out->n - 1];
	sp = &line->spans[line->nspans - 1];
	pl = sp->off;
	line_reserve(line, pl + la + nlen);
	p = line->text + pl;
	memcpy(p, a, la);
	p += la;
	for (c = 0; c < nc; c++) {
		for (i = 0; i < cw[c] + 2; i += k, p += 3 * (size_t)k) {
			k = cw[c] + 2 - i;
			if (k > (int)(sizeof rule - 1) / 3)
				k = (int)(sizeof rule - 1) / 3;
			memcpy(p, rule, 3 * (size_t)k);
		}
		memcpy(p, c + 1 < nc ? m : z, c + 1 < nc ? lm : lz);
		p += c + 1 < nc ? lm : lz;
		bw += cw[c] + 3;
	}
	*p = '\0';
	line->len = pl + la + nlen;
	sp->len = (uint32_t)(la + nlen);
	line->width = bw + block_prefix_cap(l, f);
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

	if (reuse && block_take_lines(l, at, 1))
		block_consume(f);
	else if (oldcw == NULL || !border_redo(l, f, cw, oldcw, nc, a, m, z,
	    at))
		border(l, f, cw, nc, a, m, z);
	return line;
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

	pre = block_next_prefix(l, f, &cap);
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
	pre = block_next_prefix(l, f, &cap);
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
	if (!block_take_lines(l, mr->line, mr->nlines))
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
void
table_layout(struct layout *l, struct frame *f, struct bline *v, size_t n)
{
	char			 align[TABLE_MAXCOLS];
	size_t			 nc, r, c, nrows = n - 1, k, maxh;
	struct bline		 cells[TABLE_MAXCOLS];
	int			 nat[TABLE_MAXCOLS], cw[TABLE_MAXCOLS], total, w, left;
	struct rt		*p0 = &l->tp0, *p1 = &l->tp1;
	bool			 fixed[TABLE_MAXCOLS], use, reuse, pre_same;
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
		nc = table_delim(l, &v[1], align);
	first = l->out->n;
	links0 = *l->nlinks;
	if (tm == NULL) {
		memset(&local, 0, sizeof local);
		rt_init(&local.pre0);
		rt_init(&local.pre1);
		tm = &local;
	}
	/* The prefixes, built only when the frames are not the memo's. */
	siglen = block_frames_sig(l, f, sig);
	pre_same = tm->valid && siglen > 0 && siglen == tm->fsiglen &&
	    memcmp(sig, tm->fsig, siglen) == 0;
	if (!pre_same) {
		block_prefixes(l, f, p0, p1);
		pre_same = tm->valid && rt_same(&tm->pre0, p0) &&
		    rt_same(&tm->pre1, p1);
	}
	use = tm->valid && tm->first_line == first &&
	    tm->start == v[0].s && tm->delim_s == v[1].s &&
	    tm->delim_e == v[1].e && tm->avail == block_avail(l, f) &&
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
				if (mr->cells[c].nurls > 0)
					cell_links(l, &mr->cells[c]);
			mr->cached = true;
		} else {
			mr = trow(tm, r, nc);
			if (use && r < tm->nrows && mr->s == b->s &&
			    mr->e < b->e && mr->ngot >= 2 &&
			    mr->ngot <= nc) {
				/* The row grown at its end (the streaming
				 * row): the cells before its last one stay,
				 * split from there on. */
				for (c = 0; c + 1 < mr->ngot; c++) {
					cells[c].s = mr->cells[c].s;
					cells[c].e = mr->cells[c].e;
				}
				got = cells_from(l, b, cells, TABLE_MAXCOLS,
				    mr->lastcs, mr->ngot - 1, &mr->lastcs);
			} else
				got = cells_from(l, b, cells, TABLE_MAXCOLS,
				    0, 0, &mr->lastcs);
			mr->ngot = got;
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
	if ((int)(5 * nc + 1) > block_avail(l, f)) {
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
			block_emit_wrapped(l, f, &rrt);
			rt_release(&rrt);
		}
		goto done;
	}
	/* Fit: columns under the fair share keep their width, the rest
	 * share what is left (water filling). */
	w = block_avail(l, f) - (int)(3 * nc + 1);
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
		    block_take_lines(l, line, mr->nlines)) || (oldcw != NULL &&
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
		tm->avail = block_avail(l, f);
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

