/*
 * tui/tui_compare.c - answers side by side: the compare view.
 *
 * The view shows the answers of one assistant item (a prompt's sibling
 * answers: several models, several samples of one, or what was stored) in
 * columns over the transcript's area. Each column lays its answer out as
 * Markdown at its own width (the variant's own streaming layout, which the
 * transcript, not drawn meanwhile, lays out again at its width later) under
 * a two-row header: the model and status, then live tokens per second while
 * it streams and time to first token, tokens in and out, cost, duration
 * and language once it ended.
 *
 * While the view is open it has the keys (the editor waits below; q or
 * Esc goes back to it, and the answers stay in the transcript as siblings
 * that Left/Right switch): d the word diff
 * against the left column (render/'s diff_words: words the left column has
 * and the focused one lacks are marked in the left column, words only in a
 * column are marked in it, case- or accent-only changes in a third style),
 * m the metrics table with a bar per metric, z zooms the focused column,
 * s toggles scrolling the columns together or one by one, Left/Right move
 * the focus, q (or Esc when nothing streams) closes the view.
 *
 * Metrics come from the session while an answer of this turn streams and
 * from the store for answers that were stored before.
 *
 * The branches of a prompt (tui_variants.c) use the same view on an item
 * of their own: each column then has its prompt above the header, with
 * the words that differ from the first branch's prompt marked, and a third
 * header row with the tokens and cost against the first column.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NCURSES_WIDECHAR 1
#include <curses.h>

#include "tui/tui.h"

#define HEADER_ROWS	2
#define DIFF_EVERY_MS	150

enum {
	CLS_SAME = 0,
	CLS_CASE,
	CLS_INSERT,
	CLS_DELETE,
};

struct cmp_col {
	size_t		 vi;		/* the variant of the item */
	size_t		 answer;	/* index in the session's turn */
	uint64_t	 request_id;	/* 0: not of this turn */
	long		 top;		/* independent scrolling */
	bool		 follow;

	/* Stored metrics (answers of earlier turns). */
	bool		 stored;
	struct usage	 usage;
	int64_t		 ttft_ms;
	int64_t		 duration_ms;
	double		 cost;
	char		 lang[8];

	/* Diff classes per source byte, for the text of length difflen. */
	unsigned char	*cls;
	size_t		 ncls;
};

struct cmpview {
	struct item	*it;
	struct cmp_col	*cols;
	size_t		 n;
	size_t		 focus;
	bool		 diff;
	bool		 metrics;
	bool		 zoom;
	bool		 independent;
	long		 top;		/* scrolling together */
	bool		 follow;
	int		 height;	/* of the text rows, last draw */

	/* The diff was computed for these source lengths and this focus. */
	size_t		*difflen;
	size_t		 difffocus;
	int64_t		 diff_ms;

	/* Branches of a prompt: the item is the view's own, and each column
	 * has its prompt (sanitised) with word diff classes per byte. */
	struct item	*own;
	char		**prompts;
	size_t		 *promptlen;
	unsigned char	**promptcls;
};

/* ------------------------------------------------------------------ */

static void
load_stored(struct tui *t, struct cmp_col *c, int64_t msg_id)
{
	struct stored_message	 m;
	char			*cause = NULL;

	usage_init_unknown(&c->usage);
	c->ttft_ms = c->duration_ms = -1;
	c->cost = -1;
	if (t->store == NULL || msg_id == 0)
		return;
	if (store_message_get(t->store, msg_id, &m, &cause) != 0) {
		free(cause);
		return;
	}
	c->stored = true;
	c->usage = m.usage;
	c->ttft_ms = m.ttft_ms;
	c->duration_ms = m.duration_ms;
	c->cost = m.cost;
	if (m.lang != NULL)
		snprintf(c->lang, sizeof c->lang, "%s", m.lang);
	stored_message_release(&m);
}

void
tui_compare_close(struct tui *t)
{
	struct cmpview	*cv = t->cmp;
	size_t		 i;

	if (cv == NULL)
		return;
	tui_blind_end(t);
	for (i = 0; i < cv->n; i++)
		free(cv->cols[i].cls);
	free(cv->cols);
	free(cv->difflen);
	for (i = 0; cv->prompts != NULL && i < cv->n; i++) {
		free(cv->prompts[i]);
		free(cv->promptcls[i]);
	}
	free(cv->prompts);
	free(cv->promptlen);
	free(cv->promptcls);
	if (cv->own != NULL)
		item_free(cv->own);
	free(cv);
	t->cmp = NULL;
	if (t->tr != NULL)
		transcript_follow(t->tr);
	t->dirty = true;
}

int
tui_compare_open(struct tui *t, struct item *it)
{
	struct cmpview	*cv;
	struct cmp_col	*c;
	struct answer	*a;
	size_t		 i, j;

	if (it == NULL || it->kind != ITEM_ASSISTANT || it->nv < 2)
		return -1;
	tui_compare_close(t);
	cv = xcalloc(1, sizeof *cv);
	cv->it = it;
	cv->n = it->nv;
	cv->cols = xcalloc(cv->n, sizeof *cv->cols);
	cv->difflen = xcalloc(cv->n, sizeof *cv->difflen);
	cv->follow = true;
	for (i = 0; i < cv->n; i++) {
		c = &cv->cols[i];
		c->vi = i;
		c->follow = true;
		c->answer = SIZE_MAX;
		for (j = 0; j < session_nanswers(t->session); j++) {
			a = session_answer(t->session, j);
			if ((it->v[i].request_id != 0 &&
			    a->request_id == it->v[i].request_id) ||
			    (it->v[i].msg_id != 0 &&
			    a->msg_id == it->v[i].msg_id)) {
				c->answer = j;
				c->request_id = a->request_id;
			}
		}
		if (c->answer == SIZE_MAX)
			load_stored(t, c, it->v[i].msg_id);
	}
	cv->focus = it->cur < cv->n ? it->cur : 0;
	t->cmp = cv;
	t->dirty = true;
	return 0;
}

static void	mark(unsigned char *, size_t, size_t, unsigned char);

/* The prompts' word diff: inserted and case-changed words of each prompt
 * against the first, and the first's words that the second lacks. */
static void
prompt_diff(struct cmpview *cv)
{
	struct diff_span	*sp = NULL;
	size_t			 i, j, n;

	for (i = 0; i < cv->n; i++)
		cv->promptcls[i] = xcalloc(cv->promptlen[i] + 1, 1);
	for (i = 1; i < cv->n; i++) {
		n = diff_words(cv->prompts[0], cv->promptlen[0],
		    cv->prompts[i], cv->promptlen[i], &sp);
		for (j = 0; j < n; j++) {
			if (sp[j].op == DIFF_INSERT || sp[j].op == DIFF_CASE)
				mark(cv->promptcls[i], sp[j].b_off,
				    sp[j].b_len, sp[j].op == DIFF_INSERT ?
				    CLS_INSERT : CLS_CASE);
			if (i == 1 && (sp[j].op == DIFF_DELETE ||
			    sp[j].op == DIFF_CASE))
				mark(cv->promptcls[0], sp[j].a_off,
				    sp[j].a_len, sp[j].op == DIFF_DELETE ?
				    CLS_DELETE : CLS_CASE);
		}
		free(sp);
		sp = NULL;
	}
}

int
tui_compare_open_branches(struct tui *t, struct item *own, char **prompts,
    size_t n)
{
	struct cmpview	*cv;
	char		*clean, *p;
	size_t		 i, len;

	if (n != own->nv || tui_compare_open(t, own) != 0) {
		item_free(own);
		for (i = 0; i < n; i++)
			free(prompts[i]);
		free(prompts);
		return -1;
	}
	cv = t->cmp;
	cv->own = own;
	cv->prompts = prompts;
	cv->promptlen = xcalloc(n, sizeof *cv->promptlen);
	cv->promptcls = xcalloc(n, sizeof *cv->promptcls);
	for (i = 0; i < n; i++) {
		clean = sanitize(prompts[i], strlen(prompts[i]),
		    SANITIZE_NORMAL, &len);
		for (p = clean; *p != '\0'; p++)
			if (*p == '\t')
				*p = ' ';
		free(prompts[i]);
		cv->prompts[i] = clean;
		cv->promptlen[i] = len;
	}
	prompt_diff(cv);
	return 0;
}

size_t
tui_compare_columns(struct tui *t, int64_t *ids, size_t *vis)
{
	struct cmpview	*cv = t->cmp;
	struct variant	*v;
	size_t		 i;

	for (i = 0; cv != NULL && i < cv->n && (ids != NULL || vis != NULL);
	    i++) {
		v = &cv->it->v[cv->cols[i].vi];
		if (ids != NULL)
			ids[i] = v->status == MSG_STREAMING ? 0 : v->msg_id;
		if (vis != NULL)
			vis[i] = cv->cols[i].vi;
	}
	return cv != NULL ? cv->n : 0;
}

const char *
tui_compare_label(struct tui *t, size_t col)
{
	struct cmpview	*cv = t->cmp;

	if (cv == NULL || col >= cv->n)
		return "";
	return cv->it->v[cv->cols[col].vi].label;
}

void
tui_compare_reorder(struct tui *t, const size_t *perm)
{
	struct cmpview	*cv = t->cmp;
	struct cmp_col	*cols;
	size_t		 i;

	cols = xcalloc(cv->n, sizeof *cols);
	for (i = 0; i < cv->n; i++)
		cols[i] = cv->cols[perm[i]];
	free(cv->cols);
	cv->cols = cols;
	cv->focus = 0;
	cv->diff = false;
	memset(cv->difflen, 0, cv->n * sizeof *cv->difflen);
	t->dirty = true;
}

/* The session's answer for column c, while it is of this turn. */
static struct answer *
col_answer(struct tui *t, const struct cmp_col *c)
{
	struct answer	*a;

	if (c->request_id == 0)
		return NULL;
	a = session_answer(t->session, c->answer);
	return a != NULL && a->request_id == c->request_id ? a : NULL;
}

/* ------------------------------------------------------------------ */
/* Metrics */

struct metrics {
	int64_t	in, out;
	int64_t	ttft_ms, duration_ms;
	double	cost;
	double	tps;		/* < 0: unknown */
	size_t	words;
	char	lang[8];
	bool	live;
};

static size_t
count_words(const char *s, size_t len)
{
	size_t	i, n = 0;
	bool	in = false;

	for (i = 0; i < len; i++) {
		if (s[i] == ' ' || s[i] == '\n' || s[i] == '\t')
			in = false;
		else if (!in) {
			in = true;
			n++;
		}
	}
	return n;
}

static void
col_metrics(struct tui *t, struct cmp_col *c, struct metrics *m)
{
	struct answer	*a = col_answer(t, c);
	struct variant	*v = &t->cmp->it->v[c->vi];
	const char	*src;
	size_t		 len;
	int64_t		 now = clock_us(), gen;

	memset(m, 0, sizeof *m);
	src = md_source(v->md, &len);
	m->words = count_words(src, len);
	m->tps = -1;
	if (a != NULL) {
		m->in = a->usage.input;
		m->out = a->usage.output;
		if (!a->done && m->out <= 0)
			m->out = (int64_t)a->ntext;
		m->ttft_ms = a->first_us > 0 ? (a->first_us - a->start_us) /
		    1000 : -1;
		m->duration_ms = a->done ? (a->end_us - a->start_us) / 1000 :
		    (now - a->start_us) / 1000;
		m->cost = a->cost;
		m->live = !a->done;
		snprintf(m->lang, sizeof m->lang, "%s", answer_lang(a));
		if (a->first_us > 0) {
			gen = (a->done ? a->end_us : now) - a->first_us;
			/* Live, a rate over less than 50 ms says little. */
			if ((a->done ? gen > 0 : gen > 50000) && m->out >= 0)
				m->tps = (double)m->out * 1e6 / (double)gen;
		}
		return;
	}
	m->in = c->usage.input;
	m->out = c->usage.output;
	m->ttft_ms = c->ttft_ms;
	m->duration_ms = c->duration_ms;
	m->cost = c->cost;
	snprintf(m->lang, sizeof m->lang, "%s", c->lang);
	if (m->out >= 0 && c->ttft_ms >= 0 && c->duration_ms > c->ttft_ms)
		m->tps = (double)m->out * 1000.0 /
		    (double)(c->duration_ms - c->ttft_ms);
}

static void
add_count(struct buf *b, int64_t n)
{
	if (n < 0)
		buf_addstr(b, "?");
	else
		buf_addf(b, "%lld", (long long)n);
}

/* The second header row. */
static void
metrics_line(const struct metrics *m, struct buf *b)
{
	if (m->live) {
		if (m->tps >= 0)
			buf_addf(b, "%.0f tok/s", m->tps);
		else
			buf_addstr(b, "… tok/s");
		if (m->ttft_ms >= 0)
			buf_addf(b, " · ttft %lld ms", (long long)m->ttft_ms);
		buf_addf(b, " · %.1f s", (double)m->duration_ms / 1000.0);
		return;
	}
	if (m->tps >= 0)
		buf_addf(b, "%.0f tok/s · ", m->tps);
	buf_addstr(b, "ttft ");
	if (m->ttft_ms >= 0)
		buf_addf(b, "%lld ms", (long long)m->ttft_ms);
	else
		buf_addstr(b, "?");
	buf_addstr(b, " · in ");
	add_count(b, m->in);
	buf_addstr(b, " out ");
	add_count(b, m->out);
	if (m->cost >= 0)
		buf_addf(b, " · $%.4f", m->cost);
	else
		buf_addstr(b, " · $?");
	if (m->duration_ms >= 0)
		buf_addf(b, " · %.1f s", (double)m->duration_ms / 1000.0);
	if (m->lang[0] != '\0')
		buf_addf(b, " · %s", m->lang);
	if (m->out > 0 && m->words > 0)
		buf_addf(b, " · %.2f tok/word", (double)m->out /
		    (double)m->words);
}

/* ------------------------------------------------------------------ */
/* The word diff */

static void
mark(unsigned char *cls, size_t off, size_t len, unsigned char what)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (cls[off + i] < what)
			cls[off + i] = what;
}

/* Diff classes of every column: column i against the left one; the left
 * one against the focused one (or the second). */
static void
update_diff(struct tui *t)
{
	struct cmpview		*cv = t->cmp;
	struct diff_span	*sp = NULL;
	const char		*a, *b;
	size_t			 alen, blen, i, j, n, other;
	bool			 changed = false, busy = false;
	int64_t			 now = clock_ms();

	for (i = 0; i < cv->n; i++) {
		(void)md_source(cv->it->v[i].md, &blen);
		if (blen != cv->difflen[i] || cv->cols[i].cls == NULL)
			changed = true;
		if (cv->it->v[i].status == MSG_STREAMING)
			busy = true;
	}
	other = cv->focus > 0 ? cv->focus : 1;
	if (other != cv->difffocus)
		changed = true;
	if (!changed || (busy && now - cv->diff_ms < DIFF_EVERY_MS))
		return;
	cv->diff_ms = now;
	cv->difffocus = other;
	a = md_source(cv->it->v[0].md, &alen);
	for (i = 0; i < cv->n; i++) {
		b = md_source(cv->it->v[i].md, &blen);
		cv->difflen[i] = blen;
		free(cv->cols[i].cls);
		cv->cols[i].cls = xcalloc(blen + 1, 1);
		cv->cols[i].ncls = blen;
	}
	for (i = 1; i < cv->n; i++) {
		b = md_source(cv->it->v[i].md, &blen);
		n = diff_words(a, alen, b, blen, &sp);
		for (j = 0; j < n; j++) {
			switch (sp[j].op) {
			case DIFF_EQUAL:
				break;
			case DIFF_INSERT:
				mark(cv->cols[i].cls, sp[j].b_off, sp[j].b_len,
				    CLS_INSERT);
				break;
			case DIFF_CASE:
				mark(cv->cols[i].cls, sp[j].b_off, sp[j].b_len,
				    CLS_CASE);
				if (i == other)
					mark(cv->cols[0].cls, sp[j].a_off,
					    sp[j].a_len, CLS_CASE);
				break;
			case DIFF_DELETE:
				if (i == other)
					mark(cv->cols[0].cls, sp[j].a_off,
					    sp[j].a_len, CLS_DELETE);
				break;
			}
		}
		free(sp);
		sp = NULL;
	}
}

static uint32_t	cls_style(unsigned char);

/* The attributes of a span in a diff class: the diff's colours replace
 * the span's own (two colour pairs cannot be mixed), its bold or
 * underline stays. */
static int
span_attr(uint32_t style, unsigned char cl)
{
	int	a = screen_rstyle_attr(style);

	if (cl == CLS_SAME)
		return a;
	return (a & ~A_COLOR) | screen_rstyle_attr(cls_style(cl));
}

static uint32_t
cls_style(unsigned char c)
{
	switch (c) {
	case CLS_CASE:
		return RSTYLE_DIFF_CASE;
	case CLS_INSERT:
		return RSTYLE_DIFF_INSERT;
	case CLS_DELETE:
		return RSTYLE_DIFF_DELETE;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Drawing */

/* A line of an answer, with the diff classes of its source bytes. */
static void
draw_line(const struct render_line *l, const struct cmp_col *c, int y,
    int x, int width)
{
	const struct render_span	*s;
	size_t				 i, k, run, end;
	unsigned char			 cl;
	int				 col = x;

	for (i = 0; i < l->nspans && col - x < width; i++) {
		s = &l->spans[i];
		if (c == NULL || c->cls == NULL || s->src == RENDER_NOSRC) {
			col += screen_put(y, col, l->text + s->off, s->len,
			    width - (col - x), screen_rstyle_attr(s->style));
			continue;
		}
		if (!s->exact) {
			cl = CLS_SAME;
			for (k = s->src; k < s->src + s->src_len &&
			    k < c->ncls; k++)
				if (c->cls[k] > cl)
					cl = c->cls[k];
			col += screen_put(y, col, l->text + s->off, s->len,
			    width - (col - x), span_attr(s->style, cl));
			continue;
		}
		/* Runs of one class; a run never splits a UTF-8 sequence
		 * since classes cover whole words. */
		for (k = 0; k < s->len && col - x < width; k = end) {
			cl = s->src + k < c->ncls ? c->cls[s->src + k] : 0;
			for (end = k + 1; end < s->len; end++) {
				run = s->src + end;
				if ((run < c->ncls ? c->cls[run] : 0) != cl)
					break;
			}
			col += screen_put(y, col, l->text + s->off + k,
			    end - k, width - (col - x),
			    span_attr(s->style, cl));
		}
	}
}

/* Rows of column c's text at its width (blank tail dropped), plus the
 * error rows. */
static size_t
col_rows(struct variant *v, int width, struct wrap_line **wlp, size_t *nerr)
{
	size_t	n;

	if (md_width(v->md) != width)
		md_set_width(v->md, width);
	n = md_nlines(v->md);
	while (n > 0 && md_line(v->md, n - 1)->len == 0)
		n--;
	*nerr = 0;
	*wlp = NULL;
	if (v->error != NULL)
		*nerr = wrap_lines(v->error, strlen(v->error), width, wlp);
	return n;
}

static void
clamp_top(long *top, bool *follow, long rows, int height)
{
	long	max = rows - height;

	if (max < 0)
		max = 0;
	if (*follow || *top > max)
		*top = max;
	if (*top < 0)
		*top = 0;
	if (*top >= max)
		*follow = true;
}

/* Rows of the prompts' block at width: the longest prompt (at most a
 * third of the height), then a rule. 0 without prompts. */
static int
prompt_rows(struct cmpview *cv, int width, int height)
{
	struct wrap_line	*wl;
	size_t			 i, n, most = 0;
	int			 cap = height / 3 > 1 ? height / 3 : 1;

	if (cv->prompts == NULL)
		return 0;
	for (i = 0; i < cv->n; i++) {
		n = wrap_lines(cv->prompts[i], cv->promptlen[i], width, &wl);
		free(wl);
		if (n > most)
			most = n;
	}
	return (most > (size_t)cap ? cap : (int)most) + 1;
}

/* The rows above a column's text: the prompt block, the header rows, and
 * with prompts the row of deltas. */
static int
header_rows(struct cmpview *cv, int width, int height)
{
	if (cv->prompts == NULL)
		return HEADER_ROWS;
	return prompt_rows(cv, width, height) + HEADER_ROWS + 1;
}

/* Column ci's prompt, wrapped, its diff classes in their styles, over a
 * rule. */
static void
draw_prompt(struct cmpview *cv, size_t ci, int top, int rows, int x,
    int width)
{
	struct wrap_line	*wl;
	const char		*s = cv->prompts[ci];
	const unsigned char	*cls = cv->promptcls[ci];
	size_t			 n, r, k, end;
	int			 col, y;

	n = wrap_lines(s, cv->promptlen[ci], width, &wl);
	for (r = 0; r < n && (int)r < rows - 1; r++) {
		col = x;
		for (k = wl[r].start; k < wl[r].end; k = end) {
			for (end = k + 1; end < wl[r].end &&
			    cls[end] == cls[k]; end++)
				;
			col += screen_put(top + (int)r, col, s + k, end - k,
			    width - (col - x), cls[k] == CLS_SAME ?
			    screen_attr(TS_USER_TEXT) :
			    screen_rstyle_attr(cls_style(cls[k])));
		}
	}
	free(wl);
	for (y = 0; y < width; y++)
		screen_put(top + rows - 1, x + y, "─", 3, 1,
		    screen_attr(TS_INPUT_BORDER));
}

/* "+312 tokens, +$0.0041": column m against the first column m0. */
static void
delta_line(const struct metrics *m, const struct metrics *m0, struct buf *b)
{
	if (m == m0)
		buf_addstr(b, "base");
	else
		price_delta_add(b, m->in < 0 || m->out < 0 ? -1 : m->in +
		    m->out, m0->in < 0 || m0->out < 0 ? -1 : m0->in + m0->out,
		    m->cost, m0->cost);
}

/* A column's language checks, for its header: "  ⚠ hr, not sl",
 * "  ⚠ en from ¶3", "  ⚠ en from ¶3, not sl" ("≈" for a close
 * neighbour). */
static void
lang_mismatch(struct tui *t, const struct variant *v, struct buf *b)
{
	if (v->lc.other[0] != '\0' && v->lc.drift_at > 0 &&
	    strcmp(v->lc.other, v->lc.drift_lang) == 0) {
		buf_addf(b, "  ⚠ %s from ¶%zu, not %s", v->lc.other,
		    v->lc.drift_at, session_expected_lang(t->session, NULL));
		return;
	}
	if (v->lc.other[0] != '\0')
		buf_addf(b, "  %s %s, not %s", v->lc.other_soft ? "≈" : "⚠",
		    v->lc.other, session_expected_lang(t->session, NULL));
	if (v->lc.drift_at > 0)
		buf_addf(b, "  ⚠ %s from ¶%zu", v->lc.drift_lang,
		    v->lc.drift_at);
}

static void
draw_column(struct tui *t, size_t ci, int top, int height, int x,
    int width, long rowtop)
{
	struct cmpview		*cv = t->cmp;
	struct cmp_col		*c = &cv->cols[ci];
	struct variant		*v = &cv->it->v[c->vi];
	struct wrap_line	*wl;
	struct metrics		 m;
	struct buf		 b;
	const char		*w;
	struct metrics		 m0;
	size_t			 n, nerr, r;
	int			 y, attr, pr, hdr;

	pr = prompt_rows(cv, width, height);
	hdr = header_rows(cv, width, height);
	if (pr > 0) {
		draw_prompt(cv, ci, top, pr, x, width);
		top += pr;
		height -= pr;
		hdr -= pr;
	}
	/* Header: model and status, then the metrics. */
	buf_init(&b, BUF_NO_LIMIT);
	buf_addstr(&b, tui_blind_label(t, ci, v->label));
	if ((w = status_word(v->status)) != NULL)
		buf_addf(&b, "  %s", w);
	lang_mismatch(t, v, &b);
	attr = ci == cv->focus && cv->n > 1 && !cv->zoom ?
	    screen_attr(TS_SELECT) : screen_attr(TS_ASSIST_LABEL);
	y = screen_put(top, x, b.data, b.len, width, attr);
	if (ci == cv->focus && !cv->zoom)
		while (y < width)
			y += screen_put(top, x + y, " ", 1, 1, attr);
	buf_reset(&b);
	col_metrics(t, c, &m);
	metrics_line(&m, &b);
	screen_put(top + 1, x, b.data, b.len, width, screen_attr(TS_DIM));
	if (cv->prompts != NULL) {
		buf_reset(&b);
		col_metrics(t, &cv->cols[0], &m0);
		delta_line(&m, ci == 0 ? &m : &m0, &b);
		screen_put(top + 2, x, b.data, b.len, width,
		    screen_attr(TS_DIM));
	}
	buf_release(&b);

	n = col_rows(v, width, &wl, &nerr);
	for (y = 0; y < height - hdr; y++) {
		r = (size_t)(rowtop + y);
		if (r < n)
			draw_line(md_line(v->md, r), cv->diff ? c : NULL,
			    top + hdr + y, x, width);
		else if (r - n < nerr)
			screen_put(top + hdr + y, x,
			    v->error + wl[r - n].start,
			    wl[r - n].end - wl[r - n].start, width,
			    screen_attr(TS_ERROR));
	}
	free(wl);
}

/* The rows a column takes at width (text and error). */
static long
col_total(struct cmpview *cv, size_t ci, int width)
{
	struct wrap_line	*wl;
	size_t			 n, nerr;

	n = col_rows(&cv->it->v[cv->cols[ci].vi], width, &wl, &nerr);
	free(wl);
	return (long)(n + nerr);
}

/* A bar of value / max in width cells of eighth blocks. */
static void
bar(struct buf *b, double value, double max, int width)
{
	static const char *const eighths[] = {
		"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"
	};
	int	units, i;

	if (max <= 0 || value <= 0 || width <= 0)
		return;
	units = (int)(value / max * width * 8 + 0.5);
	if (units < 1)
		units = 1;
	for (i = 0; i < units / 8; i++)
		buf_addstr(b, "█");
	buf_addstr(b, eighths[units % 8]);
}

enum { MET_TTFT, MET_TPS, MET_IN, MET_OUT, MET_COST, MET_DURATION,
    MET_WORDS, MET_TPW, MET_LANG, MET_COUNT };

static const char *const met_names[MET_COUNT] = {
	"ttft ms", "tok/s", "tokens in", "tokens out", "cost $",
	"duration s", "words", "tok/word", "language"
};

static double
met_value(const struct metrics *m, int k)
{
	switch (k) {
	case MET_TTFT:
		return (double)m->ttft_ms;
	case MET_TPS:
		return m->tps;
	case MET_IN:
		return (double)m->in;
	case MET_OUT:
		return (double)m->out;
	case MET_COST:
		return m->cost;
	case MET_DURATION:
		return m->duration_ms < 0 ? -1 : m->duration_ms / 1000.0;
	case MET_WORDS:
		return (double)m->words;
	case MET_TPW:
		return m->out > 0 && m->words > 0 ? (double)m->out /
		    (double)m->words : -1;
	}
	return -1;
}

static void
met_format(struct buf *b, double v, int k)
{
	if (v < 0) {
		buf_addstr(b, "?");
		return;
	}
	switch (k) {
	case MET_COST:
		buf_addf(b, "%.6f", v);
		break;
	case MET_DURATION:
	case MET_TPW:
		buf_addf(b, "%.2f", v);
		break;
	case MET_TPS:
		buf_addf(b, "%.1f", v);
		break;
	default:
		buf_addf(b, "%.0f", v);
		break;
	}
}

/* The metrics table: a row per metric, a column per answer, each value
 * with a bar scaled to the largest of its row. */
static void
draw_metrics(struct tui *t, int top, int height, int width)
{
	struct cmpview	*cv = t->cmp;
	struct metrics	*m;
	struct buf	 b;
	size_t		 i;
	int		 k, y, lw = 12, cw, x, vw, bw, len;
	double		 max, v;

	m = xcalloc(cv->n, sizeof *m);
	for (i = 0; i < cv->n; i++)
		col_metrics(t, &cv->cols[i], &m[i]);
	cw = (width - lw) / (int)cv->n;
	if (cw < 4)
		cw = 4;
	for (y = 0; y < height; y++) {
		move(top + y, 0);
		clrtoeol();
	}
	screen_put(top, 0, "metrics", 7, lw, screen_attr(TS_HEADING));
	for (i = 0; i < cv->n; i++)
		screen_put(top, lw + (int)i * cw, cv->it->v[cv->cols[i].vi].label,
		    strlen(cv->it->v[cv->cols[i].vi].label), cw - 1,
		    screen_attr(TS_ASSIST_LABEL));
	buf_init(&b, BUF_NO_LIMIT);
	for (k = 0; k < MET_COUNT && k + 1 < height; k++) {
		y = top + 1 + k;
		screen_put(y, 0, met_names[k], strlen(met_names[k]), lw - 1,
		    screen_attr(TS_DIM));
		max = 0;
		for (i = 0; i < cv->n; i++)
			if ((v = met_value(&m[i], k)) > max)
				max = v;
		for (i = 0; i < cv->n; i++) {
			x = lw + (int)i * cw;
			buf_reset(&b);
			if (k == MET_LANG)
				buf_addstr(&b, m[i].lang[0] != '\0' ?
				    m[i].lang : "?");
			else
				met_format(&b, met_value(&m[i], k), k);
			len = (int)b.len;
			vw = cw > 20 ? 9 : cw / 2;
			if (len > vw)
				vw = len;
			/* The value right-aligned, then its bar. */
			screen_put(y, x + vw - len, b.data, b.len, cw - 1, 0);
			bw = cw - vw - 2;
			if (k != MET_LANG && bw > 0) {
				buf_reset(&b);
				buf_addstr(&b, "");
				bar(&b, met_value(&m[i], k), max, bw);
				screen_put(y, x + vw + 1, b.data, b.len, bw,
				    screen_attr(TS_LINK));
			}
		}
	}
	buf_release(&b);
	free(m);
}

void
tui_compare_draw(struct tui *t, int top, int height, int width)
{
	struct cmpview	*cv = t->cmp;
	size_t		 i, first, last;
	long		 total, maxrows = 0;
	int		 cw, x, y, textrows, ncols;

	if (height <= 0 || width <= 0)
		return;
	for (y = 0; y < height; y++) {
		move(top + y, 0);
		clrtoeol();
	}
	if (cv->metrics) {
		draw_metrics(t, top, height, width);
		return;
	}
	if (cv->diff)
		update_diff(t);
	ncols = cv->zoom ? 1 : (int)cv->n;
	first = cv->zoom ? cv->focus : 0;
	last = cv->zoom ? cv->focus + 1 : cv->n;
	cw = (width - (ncols - 1)) / ncols;
	if (cw < 1)
		cw = 1;
	textrows = height - header_rows(cv, cw, height);
	if (textrows < 1)
		textrows = 1;
	cv->height = textrows;
	for (i = first; i < last; i++) {
		total = col_total(cv, i, cw);
		if (total > maxrows)
			maxrows = total;
		clamp_top(&cv->cols[i].top, &cv->cols[i].follow, total,
		    textrows);
	}
	clamp_top(&cv->top, &cv->follow, maxrows, textrows);
	for (i = first, x = 0; i < last; i++, x += cw + 1) {
		draw_column(t, i, top, height, x, cw, cv->independent ?
		    cv->cols[i].top : cv->top);
		if (i + 1 < last)
			for (y = 0; y < height; y++)
				screen_put(top + y, x + cw, "│", 3, 1,
				    screen_attr(TS_INPUT_BORDER));
	}
}

/* ------------------------------------------------------------------ */
/* Keys */

static void
view_scroll(struct cmpview *cv, int n)
{
	struct cmp_col	*c = &cv->cols[cv->focus];
	long		*top = cv->independent ? &c->top : &cv->top;
	bool		*follow = cv->independent ? &c->follow : &cv->follow;

	if (n < 0)
		*follow = false;
	*top += n;
	if (*top < 0)
		*top = 0;
}

bool
tui_compare_key(struct tui *t, const struct key *k, enum action a)
{
	struct cmpview	*cv = t->cmp;
	int		 page = cv->height > 2 ? cv->height - 1 : 1;

	switch (a) {
	case ACT_INTERRUPT:
	case ACT_QUIT:
	case ACT_HELP:
	case ACT_REDRAW:
	case ACT_SUSPEND:
	case ACT_HISTORY:
	case ACT_MODEL:
		return false;
	case ACT_UP:
		view_scroll(cv, -1);
		return true;
	case ACT_DOWN:
		view_scroll(cv, 1);
		return true;
	case ACT_PAGE_UP:
		view_scroll(cv, -page);
		return true;
	case ACT_PAGE_DOWN:
		view_scroll(cv, page);
		return true;
	case ACT_SCROLL_UP:
		view_scroll(cv, -3);
		return true;
	case ACT_SCROLL_DOWN:
		view_scroll(cv, 3);
		return true;
	case ACT_TOP:
		view_scroll(cv, -1000000000);
		return true;
	case ACT_BOTTOM:
		if (cv->independent)
			cv->cols[cv->focus].follow = true;
		else
			cv->follow = true;
		return true;
	case ACT_LEFT:
	case ACT_RIGHT:
		if (a == ACT_LEFT && cv->focus > 0)
			cv->focus--;
		else if (a == ACT_RIGHT && cv->focus + 1 < cv->n)
			cv->focus++;
		return true;
	case ACT_CANCEL:
		if (session_busy(t->session))
			return false;
		tui_compare_close(t);
		return true;
	default:
		break;
	}
	if (tui_blind_key(t, k))
		return true;
	if (k->mods != 0)
		return true;
	switch (k->code) {
	case 'd':
		cv->diff = !cv->diff;
		cv->metrics = false;
		tui_note(t, cv->diff ? "word diff against the left column" :
		    "no diff");
		return true;
	case 'm':
		cv->metrics = !cv->metrics;
		return true;
	case 'z':
		cv->zoom = !cv->zoom;
		return true;
	case 's':
		cv->independent = !cv->independent;
		if (cv->independent) {
			size_t	i;

			for (i = 0; i < cv->n; i++) {
				cv->cols[i].top = cv->top;
				cv->cols[i].follow = cv->follow;
			}
		} else
			cv->top = cv->cols[cv->focus].top;
		tui_note(t, cv->independent ? "the columns scroll one by one "
		    "(the focused one)" : "the columns scroll together");
		return true;
	case 'q':
		tui_compare_close(t);
		return true;
	}
	return true;
}
