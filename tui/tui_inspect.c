/*
 * tui/tui_inspect.c - the inspection view of one answer: what language
 * each paragraph is in and how sure tolk is, the words that mix scripts or
 * hide a look-alike letter, the invisible characters and bidi controls
 * made visible (render/'s SANITIZE_INSPECT marks), the counts, and whether
 * the text is in NFC. Full screen and scrollable; Esc or q closes it.
 *
 * The view is built once, when it opens, as logical lines with styled
 * byte spans; drawing wraps them at the current width (again after a
 * resize) and draws the rows in view.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NCURSES_WIDECHAR 1
#include <curses.h>

#include "lang/lang.h"
#include "tui/langcheck.h"
#include "tui/tui.h"

/* Findings listed one by one; the counts are exact beyond. */
#define INSPECT_ITEMS	200
/* The start of a paragraph shown beside its language. */
#define SNIPPET_COLS	40

struct ispan {
	size_t		 start;		/* bytes of the line's text */
	size_t		 end;
	enum tstyle	 style;
};

struct iline {
	char		*text;		/* clean UTF-8, no newline */
	size_t		 len;
	enum tstyle	 style;		/* of the whole line */
	struct ispan	*spans;		/* over it, in order */
	size_t		 nspans;
	int		 indent;	/* of every row */
};

struct irow {
	size_t		 line;
	size_t		 start;
	size_t		 end;
};

struct inspect {
	char		*title;
	struct iline	*lines;
	size_t		 n;
	struct irow	*rows;		/* at width */
	size_t		 nrows;
	int		 width;
	long		 top;
};

/* ------------------------------------------------------------------ */
/* Building */

static struct iline *
add(struct inspect *in, enum tstyle style, int indent, const char *text,
    size_t len)
{
	struct iline	*l;
	size_t		 i;

	in->lines = xrealloc(in->lines, (in->n + 1) * sizeof *in->lines);
	l = &in->lines[in->n++];
	memset(l, 0, sizeof *l);
	l->text = sanitize(text, len, SANITIZE_NORMAL, &l->len);
	/* One logical line: a newline would break the layout. */
	for (i = 0; i < l->len; i++)
		if (l->text[i] == '\n' || l->text[i] == '\t')
			l->text[i] = ' ';
	l->style = style;
	l->indent = indent;
	return l;
}

static struct iline *
addf(struct inspect *in, enum tstyle style, int indent, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static struct iline *
addf(struct inspect *in, enum tstyle style, int indent, const char *fmt, ...)
{
	struct iline	*l;
	va_list		 ap;
	char		*s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	l = add(in, style, indent, s, strlen(s));
	free(s);
	return l;
}

static void
add_span(struct iline *l, size_t start, size_t end, enum tstyle style)
{
	if (end > l->len)
		end = l->len;
	if (start >= end)
		return;
	l->spans = xrealloc(l->spans, (l->nspans + 1) * sizeof *l->spans);
	l->spans[l->nspans].start = start;
	l->spans[l->nspans].end = end;
	l->spans[l->nspans].style = style;
	l->nspans++;
}

/* Line and column (1-based, in display columns) of byte off of s. */
static void
line_col(const char *s, size_t off, size_t *line, size_t *col)
{
	size_t	i, bol = 0;

	*line = 1;
	for (i = 0; i < off; i++) {
		if (s[i] == '\n') {
			(*line)++;
			bol = i + 1;
		}
	}
	*col = width_text(s + bol, off - bol) + 1;
}

static void
result_text(struct buf *b, const struct lang_result *r)
{
	int	i;

	if (r->code[0] == '\0') {
		buf_addf(b, "unknown (%zu letters)", r->letters);
		return;
	}
	for (i = 0; i < r->ncand; i++)
		buf_addf(b, "%s%s %.2f", i > 0 ? " · " : "", r->cand[i].code,
		    r->cand[i].confidence);
	if (r->group != NULL)
		buf_addf(b, " · group %s", r->group);
	if (r->uncertain)
		buf_addstr(b, " · uncertain");
}

static void
section(struct inspect *in, const char *title)
{
	addf(in, TS_NORMAL, 0, "%s", "");
	add(in, TS_HEADING, 0, title, strlen(title));
}

static void
build_language(struct inspect *in, const char *src, size_t len,
    const char *expect, const char *prose)
{
	struct lang_result	 r;
	struct lang_paragraph	*p = NULL;
	struct langcheck	 lc;
	struct buf		 b;
	size_t			 np = 0, i, k, line, col, e, w, next;
	char			*label, *s;

	section(in, "Language");
	langid_detect(prose, len, expect, &r);
	buf_init(&b, BUF_NO_LIMIT);
	buf_addstr(&b, "answer: ");
	if (r.code[0] != '\0') {
		label = lang_label(r.code);
		buf_addf(&b, "%s · ", label);
		free(label);
	}
	result_text(&b, &r);
	buf_addf(&b, " · %s, %zu letters", script_name(r.script), r.letters);
	add(in, TS_NORMAL, 2, b.data, b.len);
	buf_reset(&b);
	if (expect != NULL) {
		label = lang_label(expect);
		addf(in, r.mismatch ? TS_ERROR : TS_NORMAL, 2, "expected: %s%s",
		    label, r.mismatch ? " · mismatch" : "");
		free(label);
	} else
		addf(in, TS_DIM, 2, "%s", "expected: none (/lang CODE sets "
		    "it)");
	langcheck_answer(src, len, expect, &lc);
	for (i = 0; i < lc.n; i++)
		addf(in, lc.line[i].soft ? TS_DIM : TS_ERROR, 2, "%s %s",
		    langcheck_mark(&lc.line[i]), lc.line[i].text);
	langcheck_release(&lc);

	langid_paragraphs(prose, len, expect, &p, &np);
	section(in, "Paragraphs");
	if (np == 0)
		addf(in, TS_DIM, 2, "%s", "none with letters");
	for (i = 0; i < np; i++) {
		line_col(src, p[i].start, &line, &col);
		buf_reset(&b);
		buf_addf(&b, "¶%zu  line %zu  ", i + 1, line);
		result_text(&b, &p[i].result);
		if (p[i].result.mismatch)
			buf_addstr(&b, " · mismatch");
		/* The paragraph's first words, cut to fit. */
		s = sanitize(src + p[i].start, p[i].end - p[i].start,
		    SANITIZE_NORMAL, &e);
		for (w = 0, e = 0; s[e] != '\0' && w < SNIPPET_COLS;) {
			next = grapheme_next(s, strlen(s), e, NULL);
			w += width_text(s + e, next - e);
			e = next;
		}
		buf_addstr(&b, "  «");
		for (k = 0; k < e; k++)
			buf_addc(&b, s[k] == '\n' ? ' ' : s[k]);
		buf_addf(&b, "%s»", s[e] != '\0' ? "…" : "");
		free(s);
		add(in, p[i].result.mismatch ? TS_ERROR : TS_NORMAL, 2, b.data,
		    b.len);
	}
	free(p);
	buf_release(&b);
}

/* A flagged character's word: the run of non-space around it. */
static void
word_around(const char *s, size_t len, size_t *start, size_t *end)
{
	while (*start > 0 && s[*start - 1] != ' ' && s[*start - 1] != '\n' &&
	    s[*start - 1] != '\t')
		(*start)--;
	while (*end < len && s[*end] != ' ' && s[*end] != '\n' &&
	    s[*end] != '\t')
		(*end)++;
}

static void
build_findings(struct inspect *in, const char *src, size_t len,
    const struct hygiene_report *h)
{
	const struct hygiene_item	*it;
	struct buf			 b;
	size_t				 i, line, col, ws, we;

	section(in, "Flagged");
	if (h->nitems == 0)
		addf(in, TS_DIM, 2, "%s", "nothing: no mixed scripts, "
		    "look-alike letters, invisible characters or bidi "
		    "controls");
	buf_init(&b, BUF_NO_LIMIT);
	for (i = 0; i < h->nitems && i < INSPECT_ITEMS; i++) {
		it = &h->items[i];
		line_col(src, it->start, &line, &col);
		buf_reset(&b);
		buf_addf(&b, "line %zu col %zu (byte %zu)  %s  ", line, col,
		    it->start, hygiene_kind_name(it->kind));
		lang_quote_span(src, it->start, it->end, &b);
		if (it->kind == HYGIENE_MIXED_SCRIPT) {
			buf_addstr(&b, "  ");
			lang_scripts_text(it->scripts, &b);
		} else if (it->cp >= 0)
			buf_addf(&b, "  U+%04X", (unsigned)it->cp);
		if (it->kind == HYGIENE_CONFUSABLE) {
			ws = it->start;
			we = it->end;
			word_around(src, len, &ws, &we);
			if (we - ws > it->end - it->start) {
				buf_addstr(&b, " in «");
				lang_quote_span(src, ws, we, &b);
				buf_addstr(&b, "»");
			}
		}
		add(in, it->kind == HYGIENE_NOT_NFC ? TS_NORMAL : TS_ERROR, 2,
		    b.data, b.len);
	}
	if (h->nitems > INSPECT_ITEMS || h->truncated)
		addf(in, TS_DIM, 2, "%s", "… and more (tolk lang --json "
		    "lists all)");
	section(in, "Counts");
	addf(in, TS_NORMAL, 2, "mixed-script %zu · confusable %zu · invisible "
	    "%zu · bidi %zu · not-nfc %zu", h->count[HYGIENE_MIXED_SCRIPT],
	    h->count[HYGIENE_CONFUSABLE], h->count[HYGIENE_INVISIBLE],
	    h->count[HYGIENE_BIDI], h->count[HYGIENE_NOT_NFC]);
	addf(in, h->nfc ? TS_NORMAL : TS_ERROR, 2, "NFC: %s", h->nfc ?
	    "yes" : "no: some characters are decomposed (not-nfc spans)");
	for (i = 0, line = len > 0 ? 1 : 0; i < len; i++)
		if (src[i] == '\n' && i + 1 < len)
			line++;
	addf(in, TS_NORMAL, 2, "%zu bytes · %zu characters · %zu lines", len,
	    grapheme_count(src, len), line);
	buf_release(&b);
}

/* The clean offset that shows source byte x, or (size_t)-1. */
static size_t
clean_of(const struct seg *segs, size_t nsegs, size_t x)
{
	size_t	i;

	for (i = 0; i < nsegs; i++) {
		if (x < segs[i].src || x >= segs[i].src + segs[i].src_len)
			continue;
		if (segs[i].kind == SEG_COPY)
			return segs[i].out + (x - segs[i].src);
		return segs[i].out;
	}
	return (size_t)-1;
}

/* The text itself, invisibles and bidi controls shown as marks, the
 * flagged words highlighted. */
static void
build_text(struct inspect *in, const char *src, size_t len,
    const struct hygiene_report *h)
{
	struct sanitizer	*sz;
	const struct seg	*segs;
	const char		*clean;
	size_t			 nsegs, clen, bol = 0, eol, i, a, z;
	int32_t			 cp;
	struct iline		*l;

	section(in, "Text (invisible characters and bidi controls shown)");
	sz = sanitize_create(SANITIZE_INSPECT);
	sanitize_feed(sz, src, len);
	sanitize_finish(sz);
	clean = sanitize_text(sz, &clen);
	segs = sanitize_segs(sz, &nsegs);
	while (bol <= clen) {
		const char *nl = memchr(clean + bol, '\n', clen - bol);

		eol = nl != NULL ? (size_t)(nl - clean) : clen;
		if (nl == NULL && bol == clen && bol > 0)
			break;
		l = add(in, TS_NORMAL, 2, clean + bol, eol - bol);
		for (i = 0; i < nsegs; i++) {
			if (segs[i].kind != SEG_MARK || segs[i].out < bol ||
			    segs[i].out >= eol)
				continue;
			add_span(l, segs[i].out - bol, segs[i].out - bol +
			    segs[i].len, TS_MARKER);
		}
		for (i = 0; i < h->nitems; i++) {
			if (h->items[i].kind != HYGIENE_MIXED_SCRIPT &&
			    h->items[i].kind != HYGIENE_CONFUSABLE &&
			    h->items[i].kind != HYGIENE_NOT_NFC)
				continue;
			a = clean_of(segs, nsegs, h->items[i].start);
			z = clean_of(segs, nsegs, h->items[i].end - 1);
			if (a == (size_t)-1 || z == (size_t)-1 || a < bol ||
			    a >= eol)
				continue;
			z += utf8_decode(clean + z, clen - z, &cp);
			add_span(l, a - bol, (z < eol ? z : eol) - bol,
			    TS_DIFF_CASE);
		}
		if (nl == NULL)
			break;
		bol = eol + 1;
	}
	sanitize_free(sz);
}

static int
span_cmp(const void *a, const void *b)
{
	const struct ispan	*x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static struct inspect *
inspect_build(const char *title, const char *src, size_t len,
    const char *expect)
{
	struct inspect		*in;
	struct hygiene_report	 h;
	char			*prose;
	size_t			 i;

	in = xcalloc(1, sizeof *in);
	in->title = xstrdup(title);
	prose = langcheck_prose(src, len);
	hygiene_check(src, len, &h);
	build_language(in, src, len, expect, prose);
	build_findings(in, src, len, &h);
	build_text(in, src, len, &h);
	hygiene_release(&h);
	free(prose);
	for (i = 0; i < in->n; i++)
		if (in->lines[i].nspans > 1)
			qsort(in->lines[i].spans, in->lines[i].nspans,
			    sizeof *in->lines[i].spans, span_cmp);
	return in;
}

static void
inspect_free(struct inspect *in)
{
	size_t	i;

	if (in == NULL)
		return;
	for (i = 0; i < in->n; i++) {
		free(in->lines[i].text);
		free(in->lines[i].spans);
	}
	free(in->lines);
	free(in->rows);
	free(in->title);
	free(in);
}

/* ------------------------------------------------------------------ */
/* Opening and closing */

void
tui_inspect(struct tui *t, struct item *it, size_t index)
{
	struct variant	*v;
	const char	*src, *expect;
	char		*title;
	size_t		 len;

	(void)index;
	if (it == NULL || it->kind != ITEM_ASSISTANT || it->nv == 0) {
		tui_note(t, "there is no answer to inspect");
		return;
	}
	v = &it->v[it->cur];
	if (v->status == MSG_STREAMING) {
		tui_note(t, "wait for the answer to end");
		return;
	}
	src = md_source(v->md, &len);
	expect = session_expected_lang(t->session, NULL);
	if (v->msg_id > 0)
		title = xasprintf("Inspect: %s · message #%lld", v->label,
		    (long long)v->msg_id);
	else
		title = xasprintf("Inspect: %s", v->label);
	inspect_free(t->insp);
	t->insp = inspect_build(title, src != NULL ? src : "", len,
	    *expect != '\0' ? expect : NULL);
	free(title);
	t->mode = MODE_INSPECT;
	t->dirty = true;
}

void
tui_inspect_close(struct tui *t)
{
	inspect_free(t->insp);
	t->insp = NULL;
	if (t->mode == MODE_INSPECT)
		t->mode = MODE_CHAT;
	t->dirty = true;
}

/* ------------------------------------------------------------------ */
/* Layout and drawing */

static void
layout(struct inspect *in, int width)
{
	struct wrap_line	*wl;
	size_t			 i, j, n;
	int			 w;

	free(in->rows);
	in->rows = NULL;
	in->nrows = 0;
	for (i = 0; i < in->n; i++) {
		w = width - 1 - in->lines[i].indent;
		n = wrap_lines(in->lines[i].text, in->lines[i].len, w > 8 ?
		    w : 8, &wl);
		in->rows = xrealloc(in->rows, (in->nrows + n) *
		    sizeof *in->rows);
		for (j = 0; j < n; j++) {
			in->rows[in->nrows].line = i;
			in->rows[in->nrows].start = wl[j].start;
			in->rows[in->nrows].end = wl[j].end;
			in->nrows++;
		}
		free(wl);
	}
	in->width = width;
}

/* Draw row r at screen row y: the line's style, its spans over it. */
static void
draw_row(const struct inspect *in, const struct irow *r, int y, int cols)
{
	const struct iline	*l = &in->lines[r->line];
	size_t			 p = r->start, e, i;
	int			 x = 1 + l->indent, base = screen_attr(l->style);

	move(y, 0);
	clrtoeol();
	while (p < r->end && x < cols) {
		int	attr = base;

		e = r->end;
		for (i = 0; i < l->nspans; i++) {
			if (l->spans[i].end <= p)
				continue;
			if (l->spans[i].start <= p) {
				attr = screen_attr(l->spans[i].style);
				if (l->spans[i].end < e)
					e = l->spans[i].end;
				break;
			}
			if (l->spans[i].start < e)
				e = l->spans[i].start;
			break;
		}
		x += screen_put(y, x, l->text + p, e - p, cols - x, attr);
		p = e;
	}
}

void
inspect_draw(struct tui *t)
{
	struct inspect	*in = t->insp;
	int		 h = t->rows - 2, y;
	long		 max;
	const char	*hint = " ↑↓ PgUp PgDn Home End scroll · Esc or q "
			    "closes ";

	if (in == NULL)
		return;
	if (in->width != t->cols)
		layout(in, t->cols);
	max = (long)in->nrows - h;
	if (in->top > max)
		in->top = max;
	if (in->top < 0)
		in->top = 0;
	move(0, 0);
	clrtoeol();
	screen_put(0, 1, in->title, strlen(in->title), t->cols - 1,
	    screen_attr(TS_HEADING));
	for (y = 0; y < h; y++) {
		size_t	r = (size_t)in->top + (size_t)y;

		if (r < in->nrows)
			draw_row(in, &in->rows[r], 1 + y, t->cols);
		else {
			move(1 + y, 0);
			clrtoeol();
		}
	}
	move(t->rows - 1, 0);
	screen_clear_to_eol(t->rows - 1, 0, screen_attr(TS_STATUS));
	screen_put(t->rows - 1, 0, hint, strlen(hint), t->cols,
	    screen_attr(TS_STATUS));
	curs_set(0);
}

void
inspect_key(struct tui *t, const struct key *k, enum action a)
{
	struct inspect	*in = t->insp;
	int		 page = t->rows > 4 ? t->rows - 3 : 1;

	if (in == NULL) {
		t->mode = MODE_CHAT;
		return;
	}
	switch (a) {
	case ACT_UP:
	case ACT_SCROLL_UP:
		in->top--;
		return;
	case ACT_DOWN:
	case ACT_SCROLL_DOWN:
		in->top++;
		return;
	case ACT_PAGE_UP:
		in->top -= page;
		return;
	case ACT_PAGE_DOWN:
	case ACT_NONE:
		if (a == ACT_PAGE_DOWN || k->code == K_SPACE) {
			in->top += page;
			return;
		}
		break;
	case ACT_LINE_START:
	case ACT_TOP:
		in->top = 0;
		return;
	case ACT_LINE_END:
	case ACT_BOTTOM:
		in->top = (long)in->nrows;
		return;
	default:
		break;
	}
	if (k->code == 'k')
		in->top--;
	else if (k->code == 'j')
		in->top++;
	else if (a == ACT_CANCEL || a == ACT_QUIT || a == ACT_INTERRUPT ||
	    k->code == 'q' || k->code == K_ESC)
		tui_inspect_close(t);
}
