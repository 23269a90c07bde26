/*
 * tui/tui_transcript.c - the conversation on screen: items, their layout
 * at the current width, and scrolling.
 *
 * An item is a prompt, an answer (with its siblings: one variant each), or
 * a note from tolk. Answers are laid out by render/'s streaming markdown,
 * which keeps the source and caches finished blocks, so appending a delta
 * lays out only the open block and a resize lays out everything again from
 * the source (md_set_width). Prompts and notes are shown as written:
 * sanitised and wrapped.
 *
 * Each item takes a label row, its text rows, and one blank row. The view
 * is a row offset into that whole; while it "follows" it stays at the end.
 * A resize keeps the reading position: the item and the source offset of
 * the row at the top are found again in the new layout.
 *
 * Answers read from the history (a conversation being opened) start lazy:
 * their rows are estimated from their source, and they are laid out when
 * they come into view (settle()) or between keys (transcript_layout_due(),
 * the last ones first, keeping the rows at the top where they are), so a
 * long conversation shows its end at once.
 */
#include "config.h"

#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NCURSES_WIDECHAR 1
#include <curses.h>

#include "tui/tui.h"

struct transcript {
	struct item	**items;
	size_t		  nitems;

	int		  width;	/* of the layout */
	size_t		 *rows;		/* rows of each item at width */
	size_t		  total;	/* rows in all */
	bool		  dirty;

	long		  top;		/* first row shown */
	int		  height;	/* of the last draw */
	bool		  follow;
	bool		  new_below;

	size_t		  sel;		/* the selected item */
	bool		  has_sel;
	bool		  show_sel;	/* scroll it into view at next draw */

	size_t		  pass_item;	/* a passage being chosen */
	struct passage	  pass;
};

/* Answers shorter than this are laid out at once. */
#define LAZY_MIN	2048

static void	clamp(struct transcript *);
static void	relayout(struct transcript *, int);
static size_t	source_row(struct transcript *, size_t, size_t);

struct transcript *
transcript_create(void)
{
	struct transcript	*t;

	t = xcalloc(1, sizeof *t);
	t->follow = true;
	t->dirty = true;
	t->pass_item = SIZE_MAX;
	return t;
}

void
item_free(struct item *it)
{
	size_t	i;

	for (i = 0; i < it->nv; i++) {
		md_free(it->v[i].md);
		free(it->v[i].label);
		free(it->v[i].error);
		langcheck_release(&it->v[i].lc);
		free(it->v[i].annot);
		free(it->v[i].marks);
	}
	free(it->v);
	free(it->src);
	free(it->clean);
	free(it->wl);
	free(it);
}

void
transcript_clear(struct transcript *t)
{
	size_t	i;

	for (i = 0; i < t->nitems; i++)
		item_free(t->items[i]);
	free(t->items);
	t->items = NULL;
	t->nitems = 0;
	free(t->rows);
	t->rows = NULL;
	t->total = 0;
	t->top = 0;
	t->follow = true;
	t->new_below = false;
	t->has_sel = false;
	t->pass_item = SIZE_MAX;
	t->dirty = true;
}

void
transcript_truncate(struct transcript *t, size_t n)
{
	while (t->nitems > n)
		item_free(t->items[--t->nitems]);
	if (t->has_sel && t->sel >= n)
		t->has_sel = false;
	t->dirty = true;
}

void
transcript_free(struct transcript *t)
{
	if (t == NULL)
		return;
	transcript_clear(t);
	free(t);
}

size_t
transcript_count(const struct transcript *t)
{
	return t->nitems;
}

struct item *
transcript_item(struct transcript *t, size_t i)
{
	return i < t->nitems ? t->items[i] : NULL;
}

struct item *
transcript_add(struct transcript *t, enum item_kind kind, const char *text)
{
	struct item	*it;

	it = xcalloc(1, sizeof *it);
	it->kind = kind;
	if (text != NULL) {
		it->src = xstrdup(text);
		it->clean = sanitize(text, strlen(text), SANITIZE_NORMAL,
		    &it->cleanlen);
	}
	t->items = xrealloc(t->items, (t->nitems + 1) * sizeof *t->items);
	t->items[t->nitems++] = it;
	t->rows = xrealloc(t->rows, t->nitems * sizeof *t->rows);
	t->rows[t->nitems - 1] = 0;
	t->dirty = true;
	if (!t->follow)
		t->new_below = true;
	return it;
}

struct variant *
item_add_variant(struct item *it, const char *label, const char *text,
    int status, int64_t msg_id)
{
	struct variant	*v;

	it->v = xrealloc(it->v, (it->nv + 1) * sizeof *it->v);
	v = &it->v[it->nv];
	memset(v, 0, sizeof *v);
	v->md = md_create(it->width > 0 ? it->width : 80, SANITIZE_NORMAL);
	v->label = xstrdup(label != NULL ? label : "");
	v->status = status;
	v->msg_id = msg_id;
	if (text != NULL && *text != '\0')
		md_append(v->md, text, strlen(text));
	if (status != MSG_STREAMING)
		md_finish(v->md);
	it->cur = it->nv;
	it->nv++;
	it->width = 0;		/* lay out again */
	/* A finished answer from the history may wait to be laid out. */
	it->lazy = status != MSG_STREAMING && text != NULL &&
	    strlen(text) >= LAZY_MIN && (it->nv == 1 || it->lazy);
	it->est_width = 0;
	return v;
}

struct variant *
transcript_find_request(struct transcript *t, uint64_t id,
    struct item **itemp)
{
	size_t	i, j;

	for (i = t->nitems; i-- > 0;) {
		struct item *it = t->items[i];

		for (j = 0; j < it->nv; j++) {
			if (it->v[j].request_id == id) {
				if (itemp != NULL)
					*itemp = it;
				return &it->v[j];
			}
		}
	}
	return NULL;
}

void
transcript_touch(struct transcript *t, struct item *it)
{
	if (it != NULL)
		it->lazy = false;
	t->dirty = true;
	if (!t->follow)
		t->new_below = true;
}

void
transcript_changed(struct transcript *t)
{
	t->dirty = true;
}

struct item *
transcript_last_answer(struct transcript *t)
{
	size_t	i;

	for (i = t->nitems; i-- > 0;)
		if (t->items[i]->kind == ITEM_ASSISTANT)
			return t->items[i];
	return NULL;
}

struct item *
transcript_turn_answer(struct transcript *t, struct item **prompt)
{
	struct item	*answer = NULL;
	size_t		 i;

	if (prompt != NULL)
		*prompt = NULL;
	/* Notes and warnings (info, error items) may follow the answer. */
	for (i = t->nitems; i-- > 0;) {
		if (t->items[i]->kind == ITEM_USER) {
			if (answer != NULL && prompt != NULL)
				*prompt = t->items[i];
			return answer;
		}
		if (t->items[i]->kind == ITEM_ASSISTANT) {
			if (answer != NULL)
				return answer;
			answer = t->items[i];
		}
	}
	return answer;
}

void
transcript_select(struct transcript *t, size_t i)
{
	if (i >= t->nitems)
		return;
	t->sel = i;
	t->has_sel = true;
	t->show_sel = true;
}

void
transcript_set_passage(struct transcript *t, size_t i, struct passage p)
{
	t->pass_item = i;
	t->pass = p;
}

void
transcript_unselect(struct transcript *t)
{
	t->has_sel = false;
}

bool
transcript_selected(const struct transcript *t, size_t *ip)
{
	if (!t->has_sel || t->sel >= t->nitems)
		return false;
	if (ip != NULL)
		*ip = t->sel;
	return true;
}

/*
 * Scroll so that the selected item is in view: all of it when it fits,
 * else its first rows.
 */
static void
show_selected(struct transcript *t)
{
	long	start = 0, end;
	size_t	i;

	t->show_sel = false;
	if (!t->has_sel || t->sel >= t->nitems)
		return;
	for (i = 0; i < t->sel; i++)
		start += (long)t->rows[i];
	end = start + (long)t->rows[t->sel] - 1;	/* without the blank */
	if (start < t->top || end - start > t->height)
		t->top = start;
	else if (end > t->top + t->height)
		t->top = end - t->height;
	else
		return;
	t->follow = false;
	clamp(t);
}

/*
 * The lines under an answer's text: its error line, then its language
 * checks ("⚠ answer is in ..."), each wrapped at width.
 */
#define NOTE_LINES	(1 + LANGCHECK_MAX)

/* Note line k of v (NULL when there is none) and its theme role. */
static const char *
note_line(const struct variant *v, size_t k, char *buf, size_t size,
    enum tstyle *style)
{
	const struct langcheck_line	*l;

	if (k == 0) {
		*style = TS_ERROR;
		return v->error;
	}
	if (k - 1 >= v->lc.n)
		return NULL;
	l = &v->lc.line[k - 1];
	*style = l->soft ? TS_DIM : TS_ERROR;
	snprintf(buf, size, "%s %s", langcheck_mark(l), l->text);
	return buf;
}

/*
 * The rows of the notes of a variant at width: the number of rows, and
 * row r's text (copied into buf) and style in *sp, *lenp, *style (when sp
 * is not NULL).
 */
static size_t
error_rows(const struct variant *v, int width, size_t r, const char **sp,
    size_t *lenp, char *buf, size_t size, enum tstyle *style)
{
	struct wrap_line	*wl = NULL;
	const char		*s;
	char			 line[512];
	size_t			 n, k, total = 0;
	enum tstyle		 st;

	for (k = 0; k < NOTE_LINES; k++) {
		if ((s = note_line(v, k, line, sizeof line, &st)) == NULL)
			continue;
		n = wrap_lines(s, strlen(s), width, &wl);
		if (sp != NULL && r >= total && r < total + n) {
			snprintf(buf, size, "%.*s",
			    (int)(wl[r - total].end - wl[r - total].start),
			    s + wl[r - total].start);
			*sp = buf;
			*lenp = strlen(buf);
			*style = st;
		}
		free(wl);
		wl = NULL;
		total += n;
	}
	return total;
}

/* Rows of an item's text at width (the label and blank rows excluded). */
static size_t
item_layout(struct item *it, int width)
{
	struct variant	*v;
	size_t		 n;

	if (it->kind == ITEM_ASSISTANT) {
		if (it->nv == 0)
			return 0;
		v = &it->v[it->cur];
		if (md_width(v->md) != width)
			md_set_width(v->md, width);
		it->width = width;
		n = md_nlines(v->md);
		/* Drop trailing blank lines of an open block. */
		while (n > 0 && md_line(v->md, n - 1)->len == 0)
			n--;
		return n + error_rows(v, width, 0, NULL, NULL, NULL, 0, NULL);
	}
	if (it->width != width || it->wl == NULL) {
		free(it->wl);
		it->wl = NULL;
		it->nwl = wrap_lines(it->clean != NULL ? it->clean : "",
		    it->cleanlen, width, &it->wl);
		it->width = width;
	}
	return it->nwl;
}

static int
text_width(int width)
{
	return width > 4 ? width - 2 : width;
}

/* A lazy answer's rows at width, guessed from its source: a row per
 * source line and per width bytes of it, and its notes. */
static size_t
estimate(struct item *it, int width)
{
	const struct variant	*v = &it->v[it->cur];
	const char		*s, *nl, *end;
	size_t			 len, n = 0;

	if (it->est_width == width)
		return it->est_rows;
	s = md_source(v->md, &len);
	for (end = s + len; s < end; s = nl + 1) {
		if ((nl = memchr(s, '\n', (size_t)(end - s))) == NULL)
			nl = end;
		n += 1 + (size_t)(nl - s) / (size_t)(width > 0 ? width : 1);
	}
	it->est_rows = n + error_rows(v, width, 0, NULL, NULL, NULL, 0, NULL);
	it->est_width = width;
	return it->est_rows;
}

/* The rows item it takes at width (the text width), with its label and
 * blank rows; a lazy one's estimate unless exact. */
static size_t
item_rows(struct item *it, int width, bool exact)
{
	if (it->lazy && it->kind == ITEM_ASSISTANT && it->nv > 0) {
		if (!exact)
			return estimate(it, width) + 2;
		it->lazy = false;
	}
	return item_layout(it, width) + 2;
}

/* Lay item i out exactly; the change of its rows. */
static long
make_exact(struct transcript *t, size_t i)
{
	long	old = (long)t->rows[i];

	if (!t->items[i]->lazy)
		return 0;
	t->rows[i] = item_rows(t->items[i], text_width(t->width), true);
	t->total = (size_t)((long)t->total + (long)t->rows[i] - old);
	return (long)t->rows[i] - old;
}

/*
 * Lay out the lazy items in view (the view found again after each, as
 * following moves it with the total). Items above the top row's item do
 * not change, so the row at the top stays.
 */
static void
settle(struct transcript *t)
{
	size_t	i;
	long	acc;
	bool	changed;

	do {
		clamp(t);
		changed = false;
		for (i = 0, acc = 0; i < t->nitems &&
		    acc < t->top + t->height; i++) {
			if (acc + (long)t->rows[i] > t->top &&
			    make_exact(t, i) != 0)
				changed = true;
			acc += (long)t->rows[i];
		}
	} while (changed);
}

bool
transcript_layout_due(struct transcript *t, size_t budget)
{
	size_t	i, anchor, done = 0, len;
	long	acc = 0, d;

	for (i = 0; i < t->nitems && !t->items[i]->lazy; i++)
		;
	if (i == t->nitems)
		return false;
	if (t->width <= 0)
		return true;	/* not drawn yet */
	if (t->dirty)
		relayout(t, t->width);
	/* The item at the top row: what is above it may change height. */
	for (anchor = 0; anchor < t->nitems &&
	    acc + (long)t->rows[anchor] <= t->top; anchor++)
		acc += (long)t->rows[anchor];
	for (i = t->nitems; i-- > 0;) {
		if (!t->items[i]->lazy)
			continue;
		if (done >= budget)
			return true;
		(void)md_source(t->items[i]->v[t->items[i]->cur].md, &len);
		d = make_exact(t, i);
		if (i < anchor && !t->follow)
			t->top += d;
		done += len + 1;
	}
	return false;
}

void
transcript_show_source(struct transcript *t, size_t i, size_t src)
{
	long	start = 0, row;
	size_t	j;

	if (i >= t->nitems)
		return;
	if (t->dirty && t->width > 0)
		relayout(t, t->width);
	for (j = 0; j < i; j++)
		start += (long)t->rows[j];
	row = start + (long)source_row(t, i, src + 1);
	if (row >= t->top && row < t->top + t->height)
		return;
	t->follow = false;
	t->top = row - t->height / 3;
	clamp(t);
}

/* The source offset shown at row r of item i (for keeping the place). */
static size_t
row_source(struct transcript *t, size_t i, size_t r)
{
	struct item	*it = t->items[i];
	const struct render_line *l;

	if (r == 0)
		return 0;
	r--;
	if (it->kind == ITEM_ASSISTANT && it->nv > 0) {
		if (r < md_nlines(it->v[it->cur].md)) {
			l = md_line(it->v[it->cur].md, r);
			if (l->src_start != RENDER_NOSRC)
				return l->src_start + 1;
		}
		return 0;
	}
	if (r < it->nwl)
		return it->wl[r].start + 1;
	return 0;
}

size_t
transcript_visible_source(struct transcript *t, size_t i)
{
	long	acc = 0;
	size_t	j, r, src;

	if (i >= t->nitems || t->width <= 0)
		return 0;
	if (t->dirty)
		relayout(t, t->width);
	for (j = 0; j < i; j++)
		acc += (long)t->rows[j];
	if (acc >= t->top)
		return 0;
	for (r = (size_t)(t->top - acc); r < t->rows[i]; r++)
		if ((src = row_source(t, i, r)) > 0)
			return src - 1;
	return 0;
}

/* The row of item i that shows source offset src (approximate). */
static size_t
source_row(struct transcript *t, size_t i, size_t src)
{
	struct item	*it = t->items[i];
	const struct render_line *l;
	size_t		 r, n, best = 0;

	if (src == 0)
		return 0;
	src--;
	if (it->kind == ITEM_ASSISTANT && it->nv > 0) {
		n = md_nlines(it->v[it->cur].md);
		for (r = 0; r < n; r++) {
			l = md_line(it->v[it->cur].md, r);
			if (l->src_start != RENDER_NOSRC && l->src_start <= src)
				best = r + 1;
		}
		return best;
	}
	for (r = 0; r < it->nwl; r++)
		if (it->wl[r].start <= src)
			best = r + 1;
	return best;
}

static void
relayout(struct transcript *t, int width)
{
	size_t	i, anchor_item = 0, anchor_src = 0;
	long	acc, anchor_row = 0;
	bool	keep = false;

	if (t->width > 0 && !t->follow && t->nitems > 0) {
		/* Find what is at the top now, to keep it there: at a new
		 * width by its source offset, else by its row in its item
		 * (items above it may have changed height: language
		 * checks came, a lazy answer was laid out). */
		acc = 0;
		for (i = 0; i < t->nitems; i++) {
			if (acc + (long)t->rows[i] > t->top) {
				anchor_item = i;
				anchor_row = t->top - acc;
				if (t->width != width)
					anchor_src = row_source(t, i,
					    (size_t)anchor_row);
				keep = true;
				break;
			}
			acc += (long)t->rows[i];
		}
	}
	t->total = 0;
	for (i = 0; i < t->nitems; i++) {
		t->rows[i] = item_rows(t->items[i], text_width(width), false);
		t->total += t->rows[i];
	}
	if (keep) {
		acc = 0;
		for (i = 0; i < anchor_item; i++)
			acc += (long)t->rows[i];
		if (t->width != width)
			t->top = acc + (long)source_row(t, anchor_item,
			    anchor_src);
		else
			t->top = acc + (anchor_row < (long)t->rows[anchor_item] ?
			    anchor_row : (long)t->rows[anchor_item] - 1);
	}
	t->width = width;
	t->dirty = false;
}

static void
clamp(struct transcript *t)
{
	long	max = (long)t->total - t->height;

	if (max < 0)
		max = 0;
	if (t->follow || t->top > max)
		t->top = max;
	if (t->top < 0)
		t->top = 0;
	if (t->top >= max) {
		t->follow = true;
		t->new_below = false;
	}
}

void
transcript_scroll(struct transcript *t, int lines)
{
	if (t->dirty && t->width > 0)
		relayout(t, t->width);
	if (lines < 0)
		t->follow = false;
	t->top += lines;
	clamp(t);
}

void
transcript_scroll_top(struct transcript *t)
{
	t->follow = false;
	t->top = 0;
	clamp(t);
}

void
transcript_follow(struct transcript *t)
{
	t->follow = true;
	t->new_below = false;
	clamp(t);
}

bool
transcript_following(const struct transcript *t)
{
	return t->follow;
}

bool
transcript_new_below(const struct transcript *t)
{
	return t->new_below && !t->follow;
}

const char *
status_word(int status)
{
	switch (status) {
	case MSG_STREAMING:
		return "…";
	case MSG_CUT:
		return "cut";
	case MSG_ERROR:
		return "failed";
	case MSG_CANCELLED:
		return "cancelled";
	}
	return NULL;
}

static void
draw_label(struct item *it, int y, int width, bool selected)
{
	char		 extra[256];
	const char	*label, *w;
	struct variant	*v;
	int		 x, attr;

	extra[0] = '\0';
	switch (it->kind) {
	case ITEM_USER:
		label = "you";
		attr = screen_attr(TS_USER_LABEL);
		if (it->nbranch > 1)
			snprintf(extra, sizeof extra, "  ‹%zu/%zu›",
			    it->branch + 1, it->nbranch);
		break;
	case ITEM_ASSISTANT:
		v = it->nv > 0 ? &it->v[it->cur] : NULL;
		label = v != NULL ? v->label : "";
		attr = screen_attr(TS_ASSIST_LABEL);
		w = v != NULL ? status_word(v->status) : NULL;
		if (it->nv > 1)
			snprintf(extra, sizeof extra, "  ‹%zu/%zu›%s%s",
			    it->cur + 1, it->nv, w != NULL ? "  " : "",
			    w != NULL ? w : "");
		else if (w != NULL)
			snprintf(extra, sizeof extra, "  %s", w);
		if (v != NULL && v->annot != NULL)
			snprintf(extra + strlen(extra), sizeof extra -
			    strlen(extra), "  %s", v->annot);
		break;
	case ITEM_ERROR:
		label = "error";
		attr = screen_attr(TS_ERROR);
		break;
	default:
		label = "tolk";
		attr = screen_attr(TS_DIM);
		break;
	}
	if (selected)
		attr = screen_attr(TS_SELECT);
	x = screen_put(y, 0, label, strlen(label), width, attr);
	if (extra[0] != '\0')
		x += screen_put(y, x, extra, strlen(extra), width - x,
		    selected ? attr : screen_attr(TS_DIM));
	screen_clear_to_eol(y, x, selected ? attr : 0);
}

/*
 * Passages to highlight on a line: the annotated ones of the variant and
 * the one being chosen. The style of source byte src: 2 chosen, 1
 * annotated, 0 neither; *next: the next source byte where that may
 * change.
 */
struct hl {
	const struct passage	*marks;
	size_t			 nmarks;
	const struct passage	*live;	/* NULL: none */
};

static int
hl_at(const struct hl *h, size_t src, size_t *next)
{
	size_t	i;
	int	style = 0;

	*next = SIZE_MAX;
	if (h->live != NULL) {
		if (src >= h->live->start && src < h->live->end) {
			*next = h->live->end;
			return 2;
		}
		if (h->live->start > src)
			*next = h->live->start;
	}
	for (i = 0; i < h->nmarks; i++) {
		if (src >= h->marks[i].start && src < h->marks[i].end) {
			style = 1;
			if (h->marks[i].end < *next)
				*next = h->marks[i].end;
		} else if (h->marks[i].start > src && h->marks[i].start < *next)
			*next = h->marks[i].start;
	}
	return style;
}

static int
hl_attr(int style, int attr)
{
	return style == 2 ? screen_attr(TS_SELECT) :
	    style == 1 ? screen_attr(TS_MATCH) : attr;
}

static void
draw_md_line(const struct render_line *l, int y, int x, int width,
    int base, const struct hl *h)
{
	size_t	i, p, q, next;
	int	col = x, attr, style;

	for (i = 0; i < l->nspans && col - x < width; i++) {
		const struct render_span *s = &l->spans[i];

		attr = base | screen_rstyle_attr(s->style);
		if (h == NULL || s->src == RENDER_NOSRC || s->len == 0) {
			col += screen_put(y, col, l->text + s->off, s->len,
			    width - (col - x), attr);
			continue;
		}
		if (!s->exact) {
			/* It stands for its whole source range. */
			style = hl_at(h, s->src, &next);
			if (style == 0 && next < s->src + s->src_len)
				style = hl_at(h, next, &next);
			col += screen_put(y, col, l->text + s->off, s->len,
			    width - (col - x), hl_attr(style, attr));
			continue;
		}
		for (p = 0; p < s->len && col - x < width; p = q) {
			style = hl_at(h, s->src + p, &next);
			q = next > s->src + s->len ? s->len : next - s->src;
			if (q <= p)
				q = s->len;
			col += screen_put(y, col, l->text + s->off + p, q - p,
			    width - (col - x), hl_attr(style, attr));
		}
	}
	screen_clear_to_eol(y, col, 0);
}

/* Draw row r of item it at screen row y. */
static void
draw_row(struct item *it, size_t r, int y, int width, bool selected,
    const struct passage *live)
{
	struct variant	*v;
	size_t		 n;
	int		 tw = text_width(width), x = width > 4 ? 2 : 0, attr;

	if (r == 0) {
		draw_label(it, y, width, selected);
		return;
	}
	r--;
	move(y, 0);
	clrtoeol();
	if (it->kind == ITEM_ASSISTANT && it->nv > 0) {
		v = &it->v[it->cur];
		n = md_nlines(v->md);
		while (n > 0 && md_line(v->md, n - 1)->len == 0)
			n--;
		if (r < n) {
			struct hl	h = { v->marks, v->nmarks, live };

			draw_md_line(md_line(v->md, r), y, x, tw, 0,
			    v->nmarks > 0 || live != NULL ? &h : NULL);
		}
		else {
			const char	*s = NULL;
			char		 buf[512];
			size_t		 len = 0;
			enum tstyle	 st = TS_ERROR;

			if (r - n < error_rows(v, tw, r - n, &s, &len, buf,
			    sizeof buf, &st) && s != NULL)
				screen_put(y, x, s, len, tw, screen_attr(st));
		}
		return;
	}
	if (r >= it->nwl)
		return;
	attr = it->kind == ITEM_USER ? screen_attr(TS_USER_TEXT) :
	    it->kind == ITEM_ERROR ? screen_attr(TS_ERROR) :
	    screen_attr(TS_DIM);
	if (it->kind == ITEM_USER && x > 0)
		screen_put(y, 0, "▎", 3, 1, screen_attr(TS_USER_LABEL));
	screen_put(y, x, it->clean + it->wl[r].start,
	    it->wl[r].end - it->wl[r].start, tw, attr);
}

void
transcript_draw(struct transcript *t, int top, int height, int width)
{
	long	acc = 0, row;
	size_t	i = 0;
	int	y;

	if (height <= 0 || width <= 0)
		return;
	if (t->dirty || t->width != width)
		relayout(t, width);
	t->height = height;
	clamp(t);
	if (t->show_sel)
		show_selected(t);
	settle(t);
	/* The first item that reaches the view. */
	while (i < t->nitems && acc + (long)t->rows[i] <= t->top) {
		acc += (long)t->rows[i];
		i++;
	}
	row = t->top - acc;
	for (y = 0; y < height; y++) {
		if (i >= t->nitems) {
			move(top + y, 0);
			clrtoeol();
			continue;
		}
		if ((size_t)row + 1 >= t->rows[i]) {
			move(top + y, 0);	/* the blank row after */
			clrtoeol();
		} else {
			bool	sel = t->has_sel && t->sel == i;

			draw_row(t->items[i], (size_t)row, top + y, width,
			    sel, t->pass_item == i ? &t->pass : NULL);
			/* The chosen item's text rows get a bar in the
			 * margin (its label row is highlighted). */
			if (sel && row > 0 && width > 4)
				screen_put(top + y, 0, "▌", 3, 1,
				    screen_attr(TS_SELECT));
		}
		if ((size_t)++row >= t->rows[i]) {
			row = 0;
			i++;
		}
	}
	if (transcript_new_below(t) && width > 20) {
		const char *m = " ↓ new text below (End) ";

		screen_put(top + height - 1, width - (int)width_text(m,
		    strlen(m)) - 1, m, strlen(m), width,
		    screen_attr(TS_MARKER));
	}
}
