/*
 * render/markdown.c - the streaming markdown document.
 *
 * Source bytes go through the push sanitiser; the clean text is cut into
 * chunks by a line scanner that looks only at complete lines, so where the
 * cuts fall never depends on how the text was split into deltas. A chunk
 * is closed when a later line proves it ended (see render.h); closed chunks
 * are laid out once and their lines kept, the open chunk is laid out again
 * after every append. Between chunks goes one blank line, except inside a
 * fence and between the items of a tight list.
 *
 * Laying out the open chunk again does not start over: the paragraph memo
 * keeps the final part of a paragraph's inline parse (inline.c, struct
 * imemo), its rich text and its wrapped lines (block.c), so a growing
 * paragraph costs its tail, not its length: wrapping resumes a code point
 * of lookahead before the old end (WRAP_LOOKAHEAD), the last line grows in
 * place (line_extend()), and a paragraph whose lines did not change takes
 * its rich text unparsed; frames are compared by a signature of what they
 * are made of, not by building their prefixes. The table memo keeps rows,
 * cells, each cell's wrap per column width and where its width measure
 * can go on from; when the streaming last row widens a column, the other
 * rows and the borders are padded again in place (row_widen(),
 * border_redo()), and the streaming last row is split again only from the
 * start of its last cell on (cells_from()). The code line memo keeps a streaming fence line and
 * grows its last line in place. Lines of the open chunk keep their block
 * class (struct lclass); a list item right after an item line starts a
 * chunk of its own, and so does a line at the margin after a blank line as
 * soon as its first byte arrives (early_split()), so that a finished block
 * does not stay in the open chunk while the next one's first line streams
 * in.
 *
 * NEEDSWORK: streaming is not yet within 2x of one whole layout (issue 4).
 * The bench answer (tests/bench/render.sh, 200 KB, width 100) fed in
 * 20-byte deltas with the lines read after every delta takes 2.09x the
 * instructions of one whole layout (105.2M against 50.4M; 2.34x two
 * rounds ago, 4.35x before the paragraph memo), 1.15x when read every
 * 16th delta. By part (100 KB answers of one kind): paragraphs 2.04x,
 * lists 2.15x, quotes 2.10x, tables 2.59x (2.63x before the streaming row
 * was split from its last cell on), code 1.48x. What a layout of the open chunk still costs beyond its share
 * of a whole layout, some 5.4k instructions on average, is spread thin:
 * parsing the inline tail from the keep point (~1k: up to 8 bytes before
 * the old end, KEEP_STEP, and the rich text made again from there);
 * wrapping from 4 bytes before the old end (~0.8k, mostly the fixed cost
 * of a resumed wrap); reading the open chunk's block structure again
 * (blocks(), list_item(): md_list_marker() and the other line classifiers
 * on every line, ~0.5k, more in lists); the fixed cost of a layout (memo
 * lookups, the stash, separators, recycling lines, ~0.5k); and in tables
 * the streaming row, its growing cell parsed and measured and the row
 * drawn anew on every layout (~2.7k of a table layout; splitting it from
 * its last cell on saved ~0.25k). Tried and dropped, as no
 * cheaper or as buying the ratio with whole-layout time: a cache of every
 * line's whole classification; copying a widened table row's unchanged
 * stretches into a new line, or the streaming row's unchanged cells (a
 * row line costs about the same built or copied); keep points every 4
 * bytes instead of 8; an inline memo (struct imemo) for the streaming
 * table cell (cells are short: a parse of one is mostly fixed cost, and
 * the memo's bookkeeping ate the saving). Next: keep the open chunk's
 * block structure (which lines are which blocks) and classify only the
 * streaming line; draw the streaming table row's line from the previous
 * one (only its last cell and what follows changed).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "render/render-private.h"

struct chunk {
	size_t		start;
	size_t		end;
	bool		blank_before;
	enum chunk_kind	kind;
};

struct md {
	int			 width;
	enum sanitize_mode	 mode;
	struct sanitizer	*sz;
	struct buf		 src;

	struct chunk		*chunks;	/* closed chunks */
	size_t			 nchunks;
	size_t			 chunkcap;
	size_t			 laid;		/* closed chunks laid out */

	struct lines		 lines;
	size_t			 ncommitted;	/* lines of closed chunks */
	bool			 prev_kind_set;
	enum chunk_kind		 prev_kind;	/* last closed chunk laid */

	char			**links;
	size_t			 nlinks;
	size_t			 nheld;		/* links[] allocated, >= nlinks */
	size_t			 linkcap;
	size_t			 ncommitted_links;

	/* The line scanner. */
	size_t			 scan;		/* next unscanned line */
	size_t			 searched;	/* no newline from scan to here */
	size_t			 open_start;
	bool			 open_content;
	bool			 open_blank_before;
	enum chunk_kind		 open_kind;
	bool			 prev_blank;
	bool			 prev_marker;	/* the last line began an item */
	bool			 split_next;
	bool			 in_fence;
	bool			 fence_top;
	char			 fence_ch;
	int			 fence_len;
	bool			 finished;
	bool			 dirty;		/* layout is behind */
	size_t			 early;		/* line split before complete */
	struct wmemo		 memo[NMEMO];
	struct tmemo		 tmemo;
	struct cmemo		 cmemo;
	struct lclass		 lcache[NLCLASS];
	struct lines		 stash;
	struct layout		 keep;		/* scratch kept across layouts */
};

static void
close_chunk(struct md *md, size_t end, enum chunk_kind kind)
{
	struct chunk	*c;

	if (md->nchunks == md->chunkcap) {
		md->chunkcap = md->chunkcap ? md->chunkcap * 2 : 64;
		md->chunks = xrealloc(md->chunks,
		    md->chunkcap * sizeof *md->chunks);
	}
	c = &md->chunks[md->nchunks++];
	c->start = md->open_start;
	c->end = end;
	c->blank_before = md->open_blank_before;
	c->kind = kind;
	md->open_start = end;
	md->open_content = false;
	md->open_blank_before = false;
}

/* Start a chunk at line ls unless the open one has no content yet. */
static void
split_at(struct md *md, size_t ls)
{
	if (md->open_content)
		close_chunk(md, ls, md->open_kind);
	md->open_start = ls;
	md->open_content = false;
}

/* One complete line text[ls..le) (le excludes the newline; next is where
 * the following line starts). */
static void
scan_line(struct md *md, const char *text, size_t ls, size_t le,
    size_t next)
{
	const char	*s = text + ls;
	size_t		 n = le - ls, skip;
	int		 ind, fl;
	bool		 ord, empty, split;
	long		 num;
	char		 ch;

	if (md->in_fence) {
		if (md_fence_close(s, n, md->fence_ch, md->fence_len)) {
			md->in_fence = false;
			if (md->fence_top) {
				md->open_start = ls;
				md->open_blank_before = false;
				md->open_content = true;
				close_chunk(md, next, CHUNK_FENCE_CLOSE);
				md->split_next = true;
			}
		} else if (md->fence_top) {
			md->open_start = ls;
			md->open_blank_before = false;
			md->open_content = true;
			close_chunk(md, next, CHUNK_FENCE_LINE);
		}
		md->prev_blank = false;
		md->prev_marker = false;
		return;
	}
	if (md_is_blank(s, n)) {
		md->prev_blank = true;
		md->prev_marker = false;
		return;
	}
	ind = md_indent(s, n, &skip);
	split = md->split_next || (md->prev_blank && ind == 0);
	if (ind == 0 && (md_is_atx(s, n) || md_fence_open(s, n, &ch)))
		split = true;
	if (ind == 0 && md_list_marker(s, n, &ord, &num, &empty) && !empty &&
	    (!ord || num == 1))
		split = true;
	if (ind == 0 && md->open_content && md->open_kind == CHUNK_LIST &&
	    md->prev_blank && md_list_marker(s, n, &ord, &num, &empty))
		split = true;
	/*
	 * An item at the margin right after a line that began an item is the
	 * next item of the list, whatever its number: a chunk of its own, so
	 * that a long list does not lay all its items out again on every
	 * append. (After any other line it may be a lazy continuation, or
	 * follow a block that wants a blank line before it.)
	 */
	if (ind == 0 && md->open_content && md->open_kind == CHUNK_LIST &&
	    md->prev_marker && md_list_marker(s, n, &ord, &num, &empty) &&
	    !empty)
		split = true;
	if (split || !md->open_content) {
		bool	bb = md->prev_blank;

		/* early_split() may have cut here already. */
		if (ls != md->early)
			split_at(md, ls);
		md->open_blank_before = bb;
		md->open_content = true;
		md->open_kind = CHUNK_BLOCKS;
		if (ind == 0 && md_list_marker(s, n, &ord, &num, &empty))
			md->open_kind = CHUNK_LIST;
	}
	md->split_next = false;
	md->prev_blank = false;
	md->prev_marker = md_list_marker(s, n, &ord, &num, &empty) != 0;
	if ((fl = md_fence_open(s, n, &ch)) != 0) {
		md->in_fence = true;
		md->fence_ch = ch;
		md->fence_len = fl;
		md->fence_top = ind == 0 && md->open_start == ls;
		if (md->fence_top)
			close_chunk(md, next, CHUNK_FENCE_OPEN);
		return;
	}
	if (ind == 0 && md_is_atx(s, n)) {
		close_chunk(md, next, CHUNK_HEADING);
		md->split_next = true;
	}
}

/*
 * Whether the start of a line, s[0..n) with more to come, already makes
 * the line one that cuts the open chunk in scan_line(), however it goes
 * on: a line at the margin after a blank line, or the next item of a list
 * right after an item line (once its marker, not a rule, is followed by
 * text). Cutting there at once keeps a finished block out of the open
 * chunk while the first line of the next one streams in.
 */
static bool
early_cut(struct md *md, const char *s, size_t n, bool *list)
{
	bool	ord, empty;
	long	num;
	size_t	i;

	*list = false;
	if (md->in_fence || !md->open_content || md->split_next || n == 0 ||
	    s[0] == ' ' || s[0] == '\t')
		return false;
	if (!md->prev_blank && !(md->open_kind == CHUNK_LIST &&
	    md->prev_marker))
		return false;
	if (md_list_marker(s, n, &ord, &num, &empty) != 0 && !empty) {
		/* "- -" may still become a rule; "- x" may not. */
		for (i = 1; !ord && s[0] != '+' && i < n && (s[i] == s[0] ||
		    s[i] == ' ' || s[i] == '\t'); i++)
			;
		*list = ord || s[0] == '+' || i < n;
	}
	if (md->prev_blank)
		return true;
	return *list && md->open_kind == CHUNK_LIST && md->prev_marker;
}

/* Cut the open chunk before the partial line at ls when early_cut()
 * says the complete line will, with what scan_line() will set for it. */
static void
early_split(struct md *md, const char *text, size_t ls, size_t len)
{
	bool	list;

	if (md->early == ls || !early_cut(md, text + ls, len - ls, &list))
		return;
	split_at(md, ls);
	md->early = ls;
	md->open_blank_before = md->prev_blank;
	md->open_content = true;
	md->open_kind = list ? CHUNK_LIST : CHUNK_BLOCKS;
}

static void
scan(struct md *md, bool final)
{
	size_t		 len, ls, from;
	const char	*text = sanitize_text(md->sz, &len), *nl;

	while (md->scan < len) {
		ls = md->scan;
		/* A long partial line is not searched again from its start. */
		from = md->searched > ls ? md->searched : ls;
		nl = memchr(text + from, '\n', len - from);
		if (nl == NULL) {
			md->searched = len;
			if (!final) {
				early_split(md, text, ls, len);
				break;
			}
			scan_line(md, text, ls, len, len);
			md->scan = len;
			break;
		}
		scan_line(md, text, ls, nl - text, nl - text + 1);
		md->scan = nl - text + 1;
	}
}

/* The document's layout (md->keep, whose scratch buffers live as long as
 * the document) set up for laying out the text as it is now. */
static struct layout *
layout_init(struct md *md)
{
	struct layout	*l = &md->keep;

	l->text = sanitize_text(md->sz, &l->len);
	l->segs = sanitize_segs(md->sz, &l->nsegs);
	l->seg_hint = 0;
	l->width = md->width;
	l->out = &md->lines;
	l->links = &md->links;
	l->nlinks = &md->nlinks;
	l->nheld = &md->nheld;
	l->linkcap = &md->linkcap;
	l->list_depth = 0;
	l->memo = md->memo;
	l->memo_record = false;
	l->tmemo = &md->tmemo;
	l->cmemo = &md->cmemo;
	l->lcache = md->lcache;
	l->stash = &md->stash;
	l->stash_base = md->ncommitted;
	return l;
}

/* Lay out one chunk after the lines so far, with its separator. */
static void
lay_chunk(struct md *md, struct layout *l, size_t start, size_t end,
    enum chunk_kind kind, bool blank_before)
{
	size_t	before = md->lines.n;
	bool	sep;

	sep = md->lines.n > 0 && kind != CHUNK_FENCE_LINE &&
	    kind != CHUNK_FENCE_CLOSE && (blank_before ||
	    !(md->prev_kind_set && md->prev_kind == CHUNK_LIST &&
	    kind == CHUNK_LIST));
	if (sep)
		lines_add_blank(&md->lines);
	block_layout(l, kind, start, end);
	if (sep && md->lines.n == before + 1 && kind != CHUNK_FENCE_OPEN)
		lines_truncate(&md->lines, before);
}

static void
free_links(struct md *md, size_t keep)
{
	while (md->nheld > keep)
		free(md->links[--md->nheld]);
	if (md->nlinks > keep)
		md->nlinks = keep;
}

/* Lay out new closed chunks, then the open one. */
static void
relayout(struct md *md)
{
	struct layout	*l;
	size_t		 len, i;
	struct chunk	*c;
	enum chunk_kind	 kind;

	/* The open chunk's lines go to the stash, where the paragraph memo
	 * may take them over. */
	lines_recycle(&md->stash, &md->lines);
	if (md->lines.n > md->ncommitted) {
		size_t	k = md->lines.n - md->ncommitted;

		if (md->stash.cap < k) {
			md->stash.cap = k;
			md->stash.v = xrealloc(md->stash.v,
			    k * sizeof *md->stash.v);
		}
		memcpy(md->stash.v, md->lines.v + md->ncommitted,
		    k * sizeof *md->stash.v);
		md->stash.n = k;
		md->lines.n = md->ncommitted;
	}
	/* The open chunk's links are registered again; their strings stay
	 * for layout_add_link() to reuse. */
	md->nlinks = md->ncommitted_links;
	l = layout_init(md);
	for (i = 0; i < NMEMO; i++)
		md->memo[i].recorded = false;
	md->tmemo.recorded = false;
	md->cmemo.recorded = false;
	len = l->len;
	while (md->laid < md->nchunks) {
		c = &md->chunks[md->laid++];
		lay_chunk(md, l, c->start, c->end, c->kind, c->blank_before);
		md->prev_kind = c->kind;
		md->prev_kind_set = true;
	}
	md->ncommitted = md->lines.n;
	md->ncommitted_links = md->nlinks;
	if (md->open_start < len) {
		if (md->in_fence && md->fence_top)
			kind = CHUNK_FENCE_LINE;
		else if (md->open_content)
			kind = md->open_kind;
		else
			kind = CHUNK_BLOCKS;
		/* A partial line that the scanner has not seen yet decides
		 * nothing: lay it out as part of the open chunk. */
		l->memo_record = true;
		lay_chunk(md, l, md->open_start, len, kind,
		    md->open_content ? md->open_blank_before : md->prev_blank);
	}
	for (i = 0; i < NMEMO; i++) {
		if (!md->memo[i].recorded)
			md->memo[i].valid = false;
	}
	if (!md->tmemo.recorded)
		tmemo_clear(&md->tmemo);
	if (!md->cmemo.recorded)
		md->cmemo.valid = false;
	free_links(md, md->nlinks);
	lines_recycle(&md->stash, &md->lines);
}

struct md *
md_create(int width, enum sanitize_mode mode)
{
	struct md	*md = xcalloc(1, sizeof *md);
	size_t		 i;

	md->width = width < 1 ? 1 : width;
	md->mode = mode;
	md->sz = sanitize_create(mode);
	md->early = SIZE_MAX;
	buf_init(&md->src, BUF_NO_LIMIT);
	for (i = 0; i < NMEMO; i++) {
		rt_init(&md->memo[i].body);
		rt_init(&md->memo[i].pre0);
		rt_init(&md->memo[i].pre1);
	}
	rt_init(&md->cmemo.rt);
	rt_init(&md->tmemo.pre0);
	rt_init(&md->tmemo.pre1);
	rt_init(&md->keep.pre);
	rt_init(&md->keep.cut);
	rt_init(&md->keep.ptmp);
	rt_init(&md->keep.p0);
	rt_init(&md->keep.p1);
	rt_init(&md->keep.otail);
	rt_init(&md->keep.tp1);
	rt_init(&md->keep.tp0);
	rt_init(&md->keep.trow);
	return md;
}

void
md_free(struct md *md)
{
	size_t	i;

	if (md == NULL)
		return;
	sanitize_free(md->sz);
	buf_release(&md->src);
	free(md->chunks);
	lines_release(&md->lines);
	lines_release(&md->stash);
	for (i = 0; i < NMEMO; i++)
		wmemo_release(&md->memo[i]);
	tmemo_release(&md->tmemo);
	rt_release(&md->cmemo.rt);
	free_links(md, 0);
	free(md->links);
	rt_release(&md->keep.pre);
	rt_release(&md->keep.cut);
	rt_release(&md->keep.ptmp);
	rt_release(&md->keep.p0);
	rt_release(&md->keep.p1);
	rt_release(&md->keep.otail);
	rt_release(&md->keep.tp1);
	rt_release(&md->keep.tp0);
	rt_release(&md->keep.trow);
	inline_release(&md->keep);
	free(md);
}

void
md_append(struct md *md, const char *s, size_t len)
{
	if (md->finished || len == 0)
		return;
	buf_add(&md->src, s, len);
	sanitize_feed(md->sz, s, len);
	scan(md, false);
	md->dirty = true;
}

static void
ensure(struct md *md)
{
	if (md->dirty) {
		md->dirty = false;
		relayout(md);
	}
}

void
md_finish(struct md *md)
{
	if (md->finished)
		return;
	sanitize_finish(md->sz);
	scan(md, true);
	md->finished = true;
	if (md->open_content) {
		size_t	len;

		sanitize_text(md->sz, &len);
		close_chunk(md, len, md->in_fence && md->fence_top ?
		    CHUNK_FENCE_LINE : md->open_kind);
	}
	md->dirty = true;
}

void
md_set_width(struct md *md, int width)
{
	size_t	i;

	md->width = width < 1 ? 1 : width;
	for (i = 0; i < NMEMO; i++)
		md->memo[i].valid = false;
	tmemo_clear(&md->tmemo);
	md->cmemo.valid = false;
	lines_truncate(&md->lines, 0);
	free_links(md, 0);
	md->ncommitted = 0;
	md->ncommitted_links = 0;
	md->laid = 0;
	md->prev_kind_set = false;
	md->dirty = true;
}

int
md_width(const struct md *md)
{
	return md->width;
}

size_t
md_nlines(struct md *md)
{
	ensure(md);
	return md->lines.n;
}

const struct render_line *
md_line(struct md *md, size_t i)
{
	ensure(md);
	return i < md->lines.n ? &md->lines.v[i] : NULL;
}

const char *
md_link(struct md *md, uint32_t n)
{
	ensure(md);
	return n >= 1 && n <= md->nlinks ? md->links[n - 1] : NULL;
}

size_t
md_nlinks(struct md *md)
{
	ensure(md);
	return md->nlinks;
}

const char *
md_source(const struct md *md, size_t *lenp)
{
	*lenp = md->src.len;
	return md->src.data != NULL ? md->src.data : "";
}

size_t
md_render(const char *s, size_t len, int width, enum sanitize_mode mode,
    struct render_line **linesp)
{
	struct md		*md = md_create(width, mode);
	struct render_line	*v;
	size_t			 n;

	md_append(md, s, len);
	md_finish(md);
	ensure(md);
	n = md->lines.n;
	v = md->lines.v;
	md->lines.v = NULL;
	md->lines.n = md->lines.cap = 0;
	md_free(md);
	if (v == NULL)
		v = xcalloc(1, sizeof *v);
	*linesp = v;
	return n;
}
