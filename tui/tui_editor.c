/*
 * tui/tui_editor.c - the input editor: a multi-line draft, edited by
 * grapheme cluster and by word.
 *
 * The text is valid UTF-8 without controls other than newline and tab
 * (editor_insert cleans what it is given), and the cursor is always on a
 * grapheme cluster boundary: every move goes through grapheme_next(), so
 * e + U+0301, a family emoji or a flag are one step and one Backspace.
 * Words are runs of letters, digits and marks (utf8proc categories).
 *
 * Layout wraps the draft at the editor's width with render/'s wrap_lines,
 * so the cursor row and column are display columns of whole clusters.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "tui/tui.h"

#define EDITOR_MAX (64u * 1024 * 1024)
#define HISTORY_MAX 1000

struct editor {
	struct buf	 text;
	size_t		 cursor;	/* byte offset, a cluster boundary */
	int		 goal_col;	/* for Up/Down; -1: none */
	char		*killed;	/* the kill ring (one entry) */

	char		**history;
	size_t		 nhistory;
	size_t		 hpos;		/* == nhistory: the draft */
	char		*saved_draft;	/* the draft while browsing */

	struct wrap_line *rows;		/* last layout */
	size_t		 nrows;
	int		 layout_width;
};

struct editor *
editor_create(void)
{
	struct editor	*e;

	e = xcalloc(1, sizeof *e);
	buf_init(&e->text, EDITOR_MAX);
	buf_addstr(&e->text, "");
	e->goal_col = -1;
	return e;
}

void
editor_free(struct editor *e)
{
	size_t	i;

	if (e == NULL)
		return;
	buf_release(&e->text);
	free(e->killed);
	for (i = 0; i < e->nhistory; i++)
		free(e->history[i]);
	free(e->history);
	free(e->saved_draft);
	free(e->rows);
	free(e);
}

const char *
editor_text(const struct editor *e, size_t *lenp)
{
	*lenp = e->text.len;
	return e->text.data != NULL ? e->text.data : "";
}

bool
editor_empty(const struct editor *e)
{
	return e->text.len == 0;
}

size_t
editor_cursor(const struct editor *e)
{
	return e->cursor;
}

void
editor_clear(struct editor *e)
{
	buf_reset(&e->text);
	buf_addstr(&e->text, "");
	e->cursor = 0;
	e->goal_col = -1;
	e->hpos = e->nhistory;
}

/* Only newline and tab survive of the controls; CR and CR LF are LF. */
static char *
clean_input(const char *s, size_t len, size_t *outlen)
{
	struct buf	 b;
	char		*u;
	size_t		 ulen, i, n;
	int32_t		 cp;

	u = utf8_clean(s, len, &ulen);
	buf_init(&b, EDITOR_MAX);
	buf_addstr(&b, "");
	for (i = 0; i < ulen; i += n) {
		n = utf8_decode(u + i, ulen - i, &cp);
		if (cp == '\r') {
			if (i + 1 < ulen && u[i + 1] == '\n')
				continue;
			buf_addc(&b, '\n');
			continue;
		}
		if ((cp < 0x20 && cp != '\n' && cp != '\t') || cp == 0x7f ||
		    (cp >= 0x80 && cp < 0xa0))
			continue;
		/* Bidi controls would reorder what the user sees. */
		if ((cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			continue;
		buf_add(&b, u + i, n);
	}
	free(u);
	return buf_take(&b, outlen);
}

void
editor_set_text(struct editor *e, const char *s, size_t len)
{
	editor_clear(e);
	editor_insert(e, s, len);
}

void
editor_insert(struct editor *e, const char *s, size_t len)
{
	char	*c;
	size_t	 n, old;

	c = clean_input(s, len, &n);
	old = e->text.len;
	if (n > 0 && buf_add(&e->text, c, n) == 0) {
		memmove(e->text.data + e->cursor + n, e->text.data + e->cursor,
		    old - e->cursor);
		memcpy(e->text.data + e->cursor, c, n);
		e->text.data[e->text.len] = '\0';
		e->cursor += n;
	}
	free(c);
	e->goal_col = -1;
	/*
	 * Inserting a combining mark after a base makes one cluster of them;
	 * the cursor is after both, which is a boundary again.
	 */
}

static void
delete_range(struct editor *e, size_t from, size_t to, bool kill)
{
	if (to <= from)
		return;
	if (kill) {
		free(e->killed);
		e->killed = xstrndup(e->text.data + from, to - from);
	}
	memmove(e->text.data + from, e->text.data + to, e->text.len - to);
	e->text.len -= to - from;
	e->text.data[e->text.len] = '\0';
	if (e->cursor > to)
		e->cursor -= to - from;
	else if (e->cursor > from)
		e->cursor = from;
}

static size_t
line_start(const struct editor *e, size_t pos)
{
	while (pos > 0 && e->text.data[pos - 1] != '\n')
		pos--;
	return pos;
}

static size_t
line_end(const struct editor *e, size_t pos)
{
	while (pos < e->text.len && e->text.data[pos] != '\n')
		pos++;
	return pos;
}

/* The cluster boundary after pos. A newline is a cluster of its own. */
static size_t
next_boundary(const struct editor *e, size_t pos)
{
	if (pos >= e->text.len)
		return e->text.len;
	return grapheme_next(e->text.data, e->text.len, pos, NULL);
}

/* The cluster boundary before pos: walk from the start of its line. */
static size_t
prev_boundary(const struct editor *e, size_t pos)
{
	size_t	p, prev;

	if (pos == 0)
		return 0;
	if (e->text.data[pos - 1] == '\n')
		return pos - 1;
	p = line_start(e, pos - 1);
	prev = p;
	while (p < pos) {
		prev = p;
		p = grapheme_next(e->text.data, e->text.len, p, NULL);
	}
	return prev;
}

/* Whether the cluster at pos belongs to a word. */
static bool
is_word_at(const struct editor *e, size_t pos)
{
	utf8proc_int32_t	cp;
	utf8proc_category_t	cat;

	if (pos >= e->text.len)
		return false;
	utf8_decode(e->text.data + pos, e->text.len - pos, &cp);
	cat = utf8proc_category(cp);
	switch (cat) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
	case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO: case UTF8PROC_CATEGORY_SO:
		return true;
	default:
		return cp == '_';
	}
}

static size_t
word_right(const struct editor *e, size_t pos)
{
	while (pos < e->text.len && !is_word_at(e, pos))
		pos = next_boundary(e, pos);
	while (pos < e->text.len && is_word_at(e, pos))
		pos = next_boundary(e, pos);
	return pos;
}

static size_t
word_left(const struct editor *e, size_t pos)
{
	size_t	p;

	while (pos > 0) {
		p = prev_boundary(e, pos);
		if (is_word_at(e, p))
			break;
		pos = p;
	}
	while (pos > 0) {
		p = prev_boundary(e, pos);
		if (!is_word_at(e, p))
			break;
		pos = p;
	}
	return pos;
}

/* The visual row of pos in the layout, and its column. */
static size_t
row_of(const struct editor *e, size_t pos, int *colp)
{
	size_t	i, r = 0;

	for (i = 0; i < e->nrows; i++) {
		if (e->rows[i].start <= pos)
			r = i;
		else
			break;
	}
	if (colp != NULL) {
		size_t end = pos < e->rows[r].end ? pos : e->rows[r].end;

		*colp = end > e->rows[r].start ? (int)width_text(e->text.data +
		    e->rows[r].start, end - e->rows[r].start) : 0;
		if (pos > e->rows[r].end)	/* in trailing spaces */
			*colp += (int)(pos - e->rows[r].end);
	}
	return r;
}

/* The boundary in row r closest to column col. */
static size_t
pos_in_row(const struct editor *e, size_t r, int col)
{
	size_t	p = e->rows[r].start, end = e->rows[r].end, n;
	int	w, x = 0;

	/* The last row of a wrapped line may end in spaces: allow them. */
	if (r + 1 < e->nrows && e->rows[r + 1].start > end &&
	    e->text.data[e->rows[r + 1].start - 1] != '\n')
		end = e->rows[r + 1].start;
	else if (r + 1 == e->nrows || e->text.data[end] == '\n' ||
	    end == e->text.len)
		end = r + 1 < e->nrows ? line_end(e, p) : e->text.len;
	while (p < end) {
		n = grapheme_next(e->text.data, e->text.len, p, &w);
		if (e->text.data[p] == '\n')
			break;
		if (x + w > col)
			break;
		x += w;
		p = n;
	}
	return p;
}

static void
editor_relayout(struct editor *e, int width)
{
	free(e->rows);
	e->rows = NULL;
	e->nrows = wrap_lines(e->text.data != NULL ? e->text.data : "",
	    e->text.len, width, &e->rows);
	e->layout_width = width;
}

bool
editor_action(struct editor *e, enum action a, int width)
{
	size_t	p, r;
	int	col;

	switch (a) {
	case ACT_NEWLINE:
		editor_insert(e, "\n", 1);
		return true;
	case ACT_LEFT:
		e->cursor = prev_boundary(e, e->cursor);
		break;
	case ACT_RIGHT:
		e->cursor = next_boundary(e, e->cursor);
		break;
	case ACT_WORD_LEFT:
		e->cursor = word_left(e, e->cursor);
		break;
	case ACT_WORD_RIGHT:
		e->cursor = word_right(e, e->cursor);
		break;
	case ACT_LINE_START:
		e->cursor = line_start(e, e->cursor);
		break;
	case ACT_LINE_END:
		e->cursor = line_end(e, e->cursor);
		break;
	case ACT_BACKSPACE:
		delete_range(e, prev_boundary(e, e->cursor), e->cursor, false);
		break;
	case ACT_DELETE:
	case ACT_EOF:
		delete_range(e, e->cursor, next_boundary(e, e->cursor), false);
		break;
	case ACT_KILL_EOL:
		p = line_end(e, e->cursor);
		if (p == e->cursor && p < e->text.len)
			p++;	/* at the end: join the next line */
		delete_range(e, e->cursor, p, true);
		break;
	case ACT_KILL_BOL:
		delete_range(e, line_start(e, e->cursor), e->cursor, true);
		break;
	case ACT_KILL_WORD_BACK:
		delete_range(e, word_left(e, e->cursor), e->cursor, true);
		break;
	case ACT_KILL_WORD_FWD:
		delete_range(e, e->cursor, word_right(e, e->cursor), true);
		break;
	case ACT_YANK:
		if (e->killed != NULL)
			editor_insert(e, e->killed, strlen(e->killed));
		return true;
	case ACT_UP:
	case ACT_DOWN:
		editor_relayout(e, width);
		r = row_of(e, e->cursor, &col);
		if (e->goal_col < 0)
			e->goal_col = col;
		if (a == ACT_UP && r == 0)
			return false;
		if (a == ACT_DOWN && r + 1 >= e->nrows)
			return false;
		e->cursor = pos_in_row(e, a == ACT_UP ? r - 1 : r + 1,
		    e->goal_col);
		return true;
	default:
		return false;
	}
	e->goal_col = -1;
	return true;
}

void
editor_history_add(struct editor *e, const char *s)
{
	size_t	i;

	if (*s == '\0')
		return;
	if (e->nhistory > 0 && strcmp(e->history[e->nhistory - 1], s) == 0) {
		e->hpos = e->nhistory;
		return;
	}
	if (e->nhistory == HISTORY_MAX) {
		free(e->history[0]);
		for (i = 1; i < e->nhistory; i++)
			e->history[i - 1] = e->history[i];
		e->nhistory--;
	}
	e->history = xrealloc(e->history, (e->nhistory + 1) *
	    sizeof *e->history);
	e->history[e->nhistory++] = xstrdup(s);
	e->hpos = e->nhistory;
}

bool
editor_history_move(struct editor *e, int dir)
{
	size_t		 to;
	const char	*s;

	if (dir < 0 && e->hpos == 0)
		return false;
	if (dir > 0 && e->hpos >= e->nhistory)
		return false;
	to = dir < 0 ? e->hpos - 1 : e->hpos + 1;
	if (e->hpos == e->nhistory) {
		free(e->saved_draft);
		e->saved_draft = xstrdup(e->text.data != NULL ? e->text.data :
		    "");
	}
	s = to == e->nhistory ? (e->saved_draft != NULL ? e->saved_draft : "")
	    : e->history[to];
	buf_reset(&e->text);
	buf_addstr(&e->text, s);
	e->cursor = dir < 0 ? e->text.len : e->text.len;
	e->hpos = to;
	e->goal_col = -1;
	return true;
}

size_t
editor_layout(struct editor *e, int width, int *cur_row, int *cur_col)
{
	size_t	r;
	int	col;

	editor_relayout(e, width);
	r = row_of(e, e->cursor, &col);
	/* A cursor right after a newline is at the start of the next row. */
	if (e->cursor > 0 && e->text.data[e->cursor - 1] == '\n') {
		for (r = 0; r < e->nrows; r++)
			if (e->rows[r].start == e->cursor)
				break;
		if (r == e->nrows)
			r = e->nrows - 1;
		col = 0;
	}
	if (col >= width && r + 1 < e->nrows) {
		r++;
		col = 0;
	}
	*cur_row = (int)r;
	*cur_col = col;
	return e->nrows;
}

const char *
editor_row(const struct editor *e, size_t i, size_t *lenp)
{
	if (i >= e->nrows) {
		*lenp = 0;
		return "";
	}
	*lenp = e->rows[i].end - e->rows[i].start;
	return e->text.data + e->rows[i].start;
}
