/*
 * tests/unit/test_render_markdown.c - markdown layout.
 *
 * The fixture suite (tests/render/NAME.case: an input and the expected
 * plain lines at widths 20, 40 and 80), the split property (any deltas give
 * the lines of the whole text, at every prefix, including splits inside
 * UTF-8 sequences, "**" and fences), styles and source offsets of spans,
 * and re-layout on a width change.
 */
#include "config.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/core.h"
#include "render/render.h"

/* cmocka drops FAILF() text in TAP mode: say it on stderr first. */
#define FAILF(...) do { fprintf(stderr, "# " __VA_ARGS__); \
	fprintf(stderr, "\n"); fail(); } while (0)

struct fixture {
	char	*name;
	char	*input;
	size_t	 inlen;
	char	*expect[3];
};

static struct fixture	*fixtures;
static size_t		 nfixtures;
static const int	 widths[3] = { 20, 40, 80 };

static char *
slurp(const char *path, size_t *lenp)
{
	FILE		*fp = fopen(path, "rb");
	struct buf	 b;
	char		 chunk[4096];
	size_t		 n;

	if (fp == NULL)
		return NULL;
	buf_init(&b, BUF_NO_LIMIT);
	buf_add(&b, "", 0);
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_add(&b, chunk, n);
	fclose(fp);
	if (b.data == NULL)
		buf_addc(&b, 0), b.len = 0;
	return buf_take(&b, lenp);
}

/* Split a .case file into its input and three expected outputs. */
static int
parse_case(struct fixture *f, const char *text, size_t len)
{
	const char	*p = text, *end = text + len, *sec[5], *nl;
	const char	*body[5];
	int		 ns = 0, i, w;
	size_t		 n;

	while (p < end && ns < 5) {
		nl = memchr(p, '\n', end - p);
		if (nl == NULL)
			nl = end;
		if (end - p >= 4 && memcmp(p, "@@@ ", 4) == 0) {
			sec[ns] = p;
			body[ns] = nl < end ? nl + 1 : end;
			ns++;
		}
		p = nl < end ? nl + 1 : end;
	}
	if (ns < 4 || strncmp(sec[0], "@@@ input", 9) != 0)
		return -1;
	i = 1;
	n = sec[1] - body[0];
	if (strncmp(sec[1], "@@@ no-final-newline", 20) == 0) {
		n = n > 0 ? n - 1 : 0;
		i = 2;
	}
	f->input = xstrndup(body[0], n);
	f->inlen = n;
	for (w = 0; w < 3; w++, i++) {
		const char	*stop = i + 1 < ns ? sec[i + 1] : end;

		f->expect[w] = xstrndup(body[i], stop - body[i]);
	}
	return 0;
}

static char *
render_plain(const char *s, size_t len, int width)
{
	struct render_line	*lines;
	struct buf		 b;
	size_t			 n, i;

	n = md_render(s, len, width, SANITIZE_NORMAL, &lines);
	buf_init(&b, BUF_NO_LIMIT);
	buf_add(&b, "", 0);
	for (i = 0; i < n; i++) {
		buf_add(&b, lines[i].text, lines[i].len);
		buf_addc(&b, '\n');
	}
	render_lines_free(lines, n);
	if (b.data == NULL)
		return xstrdup("");
	return buf_take(&b, NULL);
}

static void
fixture_case(void **state)
{
	const struct fixture	*f = *state;
	char			*got;
	int			 w;

	for (w = 0; w < 3; w++) {
		got = render_plain(f->input, f->inlen, widths[w]);
		if (strcmp(got, f->expect[w]) != 0)
			FAILF("%s at width %d:\n--- expected\n%s--- got\n%s",
			    f->name, widths[w], f->expect[w], got);
		free(got);
	}
}

/* ------------------------------------------------------------------ */

static void
assert_same_md(struct md *a, struct md *b, const char *what)
{
	size_t				 i;
	const struct render_line	*x, *y;

	if (md_nlines(a) != md_nlines(b))
		FAILF("%s: %zu lines vs %zu", what, md_nlines(a),
		    md_nlines(b));
	for (i = 0; i < md_nlines(a); i++) {
		x = md_line(a, i);
		y = md_line(b, i);
		if (x->len != y->len || memcmp(x->text, y->text, x->len) != 0 ||
		    x->nspans != y->nspans || x->width != y->width ||
		    x->src_start != y->src_start || x->src_end != y->src_end ||
		    (x->nspans && memcmp(x->spans, y->spans,
		    x->nspans * sizeof *x->spans) != 0))
			FAILF("%s: line %zu: '%s' vs '%s'", what, i,
			    x->text, y->text);
	}
	if (md_nlinks(a) != md_nlinks(b))
		FAILF("%s: %zu links vs %zu", what, md_nlinks(a),
		    md_nlinks(b));
	for (i = 1; i <= md_nlinks(a); i++)
		assert_string_equal(md_link(a, i), md_link(b, i));
}

/* Feed s in pieces given by cuts; compare with whole feeding at every
 * prefix (check_prefixes) and after finish. */
static void
check_split_mode(const char *s, size_t len, const size_t *cuts,
    size_t ncuts, int width, bool check_prefixes, enum sanitize_mode mode)
{
	struct md	*parts = md_create(width, mode), *whole;
	size_t		 i, pos = 0, next;

	for (i = 0; i <= ncuts; i++) {
		next = i < ncuts ? cuts[i] : len;
		md_append(parts, s + pos, next - pos);
		pos = next;
		if (check_prefixes) {
			whole = md_create(width, mode);
			md_append(whole, s, pos);
			assert_same_md(parts, whole, "prefix");
			md_free(whole);
		}
	}
	md_finish(parts);
	whole = md_create(width, mode);
	md_append(whole, s, len);
	md_finish(whole);
	assert_same_md(parts, whole, "finished");
	md_free(whole);
	md_free(parts);
}

static void
check_split(const char *s, size_t len, const size_t *cuts, size_t ncuts,
    int width, bool check_prefixes)
{
	check_split_mode(s, len, cuts, ncuts, width, check_prefixes,
	    SANITIZE_NORMAL);
}

static const char *split_texts[] = {
	"Plain **bold** and *em* with caf\xc3\xa9 and \xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd.\n",
	"```python\ndef f():\n    return '\xce\xb1\xce\xb2\xce\xb3'\n```\nafter\n",
	"# T\xc3\xadtulo\n\n- one **two**\n- three\n\n1. x\n2. y\n\n> q\n> r\n",
	"| a | \xd0\xb1 |\n|---|---|\n| \xe4\xb8\xad | 2 |\n\ntext\n",
	"para\n```\nunclosed ** fence\n\n\nmore",
	"\x1b]0;title\x07visible \x1b[1mbold\x1b[0m\n\n~~~\n\t\xe2\x9d\xa4\xef\xb8\x8f\n~~~\n",
	/* A long paragraph: the memo resumes wrapping mid-paragraph while
	 * emphasis, code and links open and close behind it. */
	"Streaming **bold text that closes late** and *emphasis* with `code "
	"spans` and [a link](https://example.org/a/b/c) keep going across "
	"many lines of \xce\xb5\xce\xbb\xce\xbb\xce\xb7\xce\xbd\xce\xb9"
	"\xce\xba\xce\xac, \xd1\x80\xd1\x83\xd1\x81\xd1\x81\xd0\xba"
	"\xd0\xb8\xd0\xb9 and \xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97 text, "
	"until a **second bold** ends the *paragraph* here.\n\n- item with "
	"a long enough text to wrap twice at this width, with **bold**\n"
	"  - nested item that also wraps across lines *here*\n",
	/* A table growing row by row: rows already seen are not parsed
	 * again, links keep their numbers, columns widen. */
	"[before](http://b)\n\n| name | link | note |\n|:--|:-:|--:|\n"
	"| a | [x](http://x) | short |\n| \xe6\x9d\xb1\xe4\xba\xac | "
	"[y](http://y) and [z](http://z) | a much longer note that wraps |\n"
	"| c | <http://auto> | **bold** |\n\nafter [w](http://w)\n",
};

static void
split_every_byte_two_pieces(void **state)
{
	size_t	t, c, len;

	(void)state;
	for (t = 0; t < sizeof split_texts / sizeof split_texts[0]; t++) {
		len = strlen(split_texts[t]);
		for (c = 0; c <= len; c++)
			check_split(split_texts[t], len, &c, 1, 30, false);
	}
}

static void
split_one_byte_deltas_match_every_prefix(void **state)
{
	size_t	t, i, len, *cuts;

	(void)state;
	for (t = 0; t < sizeof split_texts / sizeof split_texts[0]; t++) {
		len = strlen(split_texts[t]);
		cuts = xmalloc((len + 1) * sizeof *cuts);
		for (i = 1; i < len; i++)
			cuts[i - 1] = i;
		check_split(split_texts[t], len, cuts, len > 0 ? len - 1 : 0,
		    24, true);
		free(cuts);
	}
}

static void
split_random_over_all_fixtures(void **state)
{
	unsigned	 seed = 12345;
	size_t		 f, r, k, ncuts, cuts[64];
	const int	 ws[] = { 20, 40, 80 };

	(void)state;
	for (f = 0; f < nfixtures; f++) {
		for (r = 0; r < 12; r++) {
			size_t	len = fixtures[f].inlen;

			seed = seed * 1103515245u + 12345u;
			ncuts = len ? (seed >> 16) % (len < 60 ? len : 60) : 0;
			for (k = 0; k < ncuts; k++) {
				seed = seed * 1103515245u + 12345u;
				cuts[k] = (seed >> 8) % (len + 1);
			}
			/* sort the cuts */
			for (k = 1; k < ncuts; k++) {
				size_t	v = cuts[k], j = k;

				while (j > 0 && cuts[j - 1] > v) {
					cuts[j] = cuts[j - 1];
					j--;
				}
				cuts[j] = v;
			}
			check_split(fixtures[f].input, len, cuts, ncuts,
			    ws[r % 3], r < 2);
		}
	}
}

/*
 * The inline memo: a paragraph's rich text before its keep point is kept
 * between layouts and only the rest is parsed again. These paragraphs
 * grow one byte at a time, each prefix compared with a whole layout, at
 * widths that wrap them over many lines.
 */
static const char *inline_memo_texts[] = {
	/* Emphasis opened early and closed late: nothing after the opener
	 * is final until the closer comes. */
	"Start *emphasis that stays open across many words and wrapped "
	"lines, past `a code span` and [a link](http://example.org/a/b) "
	"and **strong** words, until it closes* here, and after it plain "
	"words go on to wrap again.\n",
	/* Code spans: one that closes late, runs of two, one never closed. */
	"Some `code that closes only after a long while of text that "
	"wraps` then ``a ` b`` and ```` x ```` and a stray ` backtick that "
	"never closes *so this* is **plain** after it.\n",
	/* Links split across deltas, and brackets that are not links. */
	"See [the docs](https://example.org/docs?q=1&r=2) and "
	"![an image](http://i.example/x.png \"title\") and [1] and "
	"[not a link] (x) and <https://auto.example/p> and "
	"https://bare.example/path/to/page. and <b>html</b> end.\n",
	/* What looked final may not be: a URL that ends in punctuation
	 * until more comes, a code span that swallows a link's bracket. */
	"go to https://u.example/p?!?!?!?!?!?!?!?!?!?!x and "
	"[see `this](http://x) and more words, long enough` end and "
	"<a href=\"x\" title=\"a long title to wrap\">tag</a> done.\n",
	/* Hard and soft breaks, escapes, trailing spaces at a cut. */
	"line one has two trailing spaces  \nline two *ends with a "
	"backslash*\\\nline three \\*not emphasis\\* and _under_ words\n"
	"line four **opens\nover lines** and ~~strike~~ done.\n",
	/* Intraword and punctuation delimiters, rule of three. */
	"foo*bar*baz **a*b*c** ***both*** *a **b** c* __x__y_z_ "
	"\xce\xb5\xce\xbb*\xce\xbb\xce\xb7*\xce\xbd \xe4\xb8\xad*\xe6\x96"
	"\x87*\xe5\xad\x97 **\"quoted\"** *(paren)* end.\n",
	/* Links before the paragraph: numbers must stay the same. */
	"[a](http://a)\n\nthen [b](http://b) and *c* and [d](http://d) "
	"and more words to wrap [e](http://e) past the keep point.\n",
	/* Replacement characters and (in inspect mode) marks stand for
	 * their source as a whole: the keep point never falls inside. */
	"bad \xff\xfe bytes, cut \xe2\x82 here, *and* zero\xe2\x80\x8b"
	"width\xe2\x80\x8bspaces\xc2\xa0" "and\xe2\x80\x8esoft\xc2\xad"
	"hyphens in a long paragraph \xef\xbb\xbf that wraps.\n",
	/* A paragraph that turns into a heading, then a table. */
	"some words of a paragraph *that grows*\n===\n\nhead | er\n"
	"--- | ---\nx | *y*\n",
};

/* Fewer than max random cuts of a text of len bytes, in order. */
static size_t
random_cuts(unsigned *seed, size_t len, size_t max, size_t *cuts)
{
	size_t	k, j, v, n;

	*seed = *seed * 1103515245u + 12345u;
	n = (*seed >> 16) % max;
	for (k = 0; k < n; k++) {
		*seed = *seed * 1103515245u + 12345u;
		cuts[k] = (*seed >> 8) % (len + 1);
	}
	for (k = 1; k < n; k++) {
		v = cuts[k];
		for (j = k; j > 0 && cuts[j - 1] > v; j--)
			cuts[j] = cuts[j - 1];
		cuts[j] = v;
	}
	return n;
}

static void
inline_memo_one_byte_deltas_match_every_prefix(void **state)
{
	size_t		 t, i, len, *cuts;
	const int	 ws[] = { 20, 33 };
	int		 w;

	(void)state;
	for (t = 0; t < sizeof inline_memo_texts /
	    sizeof inline_memo_texts[0]; t++) {
		len = strlen(inline_memo_texts[t]);
		cuts = xmalloc((len + 1) * sizeof *cuts);
		for (i = 1; i < len; i++)
			cuts[i - 1] = i;
		for (w = 0; w < 2; w++) {
			check_split(inline_memo_texts[t], len, cuts, len - 1,
			    ws[w], true);
			check_split_mode(inline_memo_texts[t], len, cuts,
			    len - 1, ws[w], true, SANITIZE_INSPECT);
		}
		free(cuts);
	}
}

static void
inline_memo_random_deltas(void **state)
{
	unsigned	 seed = 4242;
	size_t		 t, r, ncuts, len, cuts[40];

	(void)state;
	for (t = 0; t < sizeof inline_memo_texts /
	    sizeof inline_memo_texts[0]; t++) {
		len = strlen(inline_memo_texts[t]);
		for (r = 0; r < 20; r++) {
			ncuts = random_cuts(&seed, len, 40, cuts);
			check_split(inline_memo_texts[t], len, cuts, ncuts,
			    12 + (int)(r % 5) * 9, true);
		}
	}
}

/*
 * Containers and tables streamed: list items and quotes keep their frames,
 * a table keeps its cells and their wraps per column width, and a finished
 * block leaves the open chunk as soon as the next line's first bytes say
 * it starts a new one (a line at the margin after a blank line, the next
 * item right after an item line) - but not when those bytes could still
 * turn into something else ("- -" may become a rule, an indented line may
 * continue an item).
 */
static const char *container_texts[] = {
	/* Tight, loose, nested, ordered and task lists. */
	"- one item that is long enough to wrap at the narrow widths\n"
	"- two **bold** and `code`\n  - nested *emphasis* item that wraps "
	"as well\n    - deeper [link](http://l/1) item\n- [ ] task open\n"
	"- [x] task done with \xce\xb5\xce\xbb\xce\xbb\xce\xb7\xce\xbd\xce"
	"\xb9\xce\xba\xce\xac\n\n1. first\n2) second\n10. tenth, "
	"numbers as written\n\n+ plus item\n+ another\n\n* star\n\n"
	"  continued after a blank line\n* next\n",
	/* Item starts that may still become something else. */
	"- a\n- - -\n- b\n* * *\n- c\n\n- d\n-\n- e\n\n1.\n2. two\n"
	"para\n\n- - x\n- -- y\n\n---\n\ntext\n***\n",
	/* Quotes: nested, with a list, lazy continuation, and a paragraph
	 * right after. */
	"> a quote that is long enough to wrap over several lines of the "
	"narrow width\n> > nested quote *with emphasis* that wraps too\n"
	"> - a list in a quote\n> - second item [x](http://q)\nlazy "
	"continuation line\n\n> another quote\n\nafter the quotes\n",
	/* Tables: widths grow as the last row streams, cells wrap when the
	 * table is too wide, links in cells, escaped pipes, a table in a
	 * list item, a table too wide for a grid. */
	"| a | b |\n|---|:-:|\n| short | x |\n| a much longer cell that "
	"makes the column grow | y [l](http://t/1) |\n| \\| pipe | "
	"\xe6\x9d\xb1\xe4\xba\xac\xe6\x96\x87\xe5\xad\x97 |\n\n- item\n\n"
	"  | in | list |\n  |--|--|\n  | c | d |\n\n| 1 | 2 | 3 | 4 | 5 "
	"| 6 | 7 | 8 |\n|-|-|-|-|-|-|-|-|\n| a | b | c | d | e | f | g | "
	"h |\n\ntail text\n",
	/* The streaming row split from its last cell on: a pipe closing the
	 * row and then more cells, escaped pipes at the end of what came,
	 * empty cells, trailing spaces, more and fewer cells than columns,
	 * a backslash before the last pipe. */
	"| h1 | h2 | h3 |\n|--|:-:|--:|\n| a | b \\| c | d |  e | f\n"
	"|| x ||\n| \\|\\| | `|` | *y* \\\n| one |\n| p | q | r |   \n"
	"a | b \\\\| c\n| **bold | cell** | [l|k](http://t/2) |\n\nend\n",
	/* Fence lines streaming in (the code line memo): tabs, a long line
	 * that wraps, a combining mark and VS16 that change the last
	 * character, bad bytes, a fence in a list. */
	"```c\n\tint\tx = 1;\t/* tab */\nshort\na long line of code that "
	"wraps several times at the narrow widths, e\xcc\x81 and "
	"\xe2\x9d\xa4\xef\xb8\x8f and \xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd "
	"and \xe6\x9d\xb1\xe4\xba\xac\xe6\x96\x87\xe5\xad\x97\xe5"
	"\xad\x97 and bad \xff\xfe bytes\n\n\t\tafter a blank\n```\n"
	"- item\n\n  ```\n  in an item\n  ```\n",
	/* Finished paragraphs in the open chunk, with links, while what
	 * follows them streams (their rich text and links are the memo's):
	 * an item's text before its nested item, a quote's first paragraph
	 * before its second, a heading-like line before a setext underline. */
	"- parent [one](http://p/1) and [two](http://p/2) text\n"
	"  - child [three](http://c/3) streams *after* it\n"
	"  - second child\n\n> first [q](http://q/1) paragraph\n>\n"
	"> second **paragraph** [r](http://q/2) of the quote\n\n"
	"Title [t](http://t)\n=====\n\nend\n",
	/* Blocks after a blank line: each kind of first line. */
	"para one\n\n# heading\n\npara\n\n```sh\ncode\n```\n\npara\n\n"
	"    indented code\n\npara\n\n> q\n\npara\n\n| t | u |\n|--|--|\n"
	"| 1 | 2 |\n\n<div>html</div>\n\nlast\n",
};

static void
containers_one_byte_deltas_match_every_prefix(void **state)
{
	size_t		 t, i, len, *cuts;
	const int	 ws[] = { 12, 20, 33, 80 };
	int		 w;

	(void)state;
	for (t = 0; t < sizeof container_texts /
	    sizeof container_texts[0]; t++) {
		len = strlen(container_texts[t]);
		cuts = xmalloc((len + 1) * sizeof *cuts);
		for (i = 1; i < len; i++)
			cuts[i - 1] = i;
		for (w = 0; w < 4; w++)
			check_split(container_texts[t], len, cuts, len - 1,
			    ws[w], true);
		free(cuts);
	}
}

static void
containers_random_deltas(void **state)
{
	unsigned	 seed = 777;
	size_t		 t, r, ncuts, len, cuts[60];

	(void)state;
	for (t = 0; t < sizeof container_texts /
	    sizeof container_texts[0]; t++) {
		len = strlen(container_texts[t]);
		for (r = 0; r < 16; r++) {
			ncuts = random_cuts(&seed, len, 60, cuts);
			check_split(container_texts[t], len, cuts, ncuts,
			    10 + (int)(r % 6) * 13, true);
		}
	}
}

/*
 * The width changes in the middle of a stream (a terminal resized while
 * an answer arrives): after it, every prefix gives the lines of a whole
 * layout at the new width, and the memos built at the old width are not
 * used.
 */
static void
width_change_mid_stream(void **state)
{
	const char	*texts[] = { container_texts[0], container_texts[2],
	    container_texts[3], inline_memo_texts[0], split_texts[7] };
	const int	 ws[][3] = { { 80, 20, 33 }, { 14, 60, 25 },
	    { 40, 11, 90 } };
	size_t		 t, v, pos, n, len, turn;
	struct md	*md, *whole;

	(void)state;
	for (t = 0; t < sizeof texts / sizeof texts[0]; t++) {
		len = strlen(texts[t]);
		for (v = 0; v < 3; v++) {
			md = md_create(ws[v][0], SANITIZE_NORMAL);
			turn = 0;
			for (pos = 0; pos < len; pos += n) {
				n = 1 + (pos * 7 + v) % 9;
				if (n > len - pos)
					n = len - pos;
				md_append(md, texts[t] + pos, n);
				md_nlines(md);
				if (pos > (turn + 1) * len / 3 && turn < 2)
					md_set_width(md, ws[v][++turn]);
				whole = md_create(ws[v][turn],
				    SANITIZE_NORMAL);
				md_append(whole, texts[t], pos + n);
				assert_same_md(md, whole, "resized");
				md_free(whole);
			}
			md_finish(md);
			whole = md_create(ws[v][turn], SANITIZE_NORMAL);
			md_append(whole, texts[t], len);
			md_finish(whole);
			assert_same_md(md, whole, "resized, finished");
			md_free(whole);
			md_free(md);
		}
	}
}

/*
 * Tables whose streaming last row widens a column: the rows above are
 * padded again in place (their padding grows, or appears where a cell
 * filled its column), under every alignment, with empty cells, cells that
 * wrap, styled cells and links, under quote and list prefixes, and in a
 * table too narrow for a grid; at several widths and with the width
 * changed in the middle of the stream.
 */
static const char *widen_texts[] = {
	"| l | c | r |\n|:--|:-:|--:|\n| ab | cd | ef |\n| abcd | x | "
	"y |\n|  | **b** | [k](http://k) |\n| `c` | ~~s~~ | \xe6\x9d\xb1 |\n"
	"| a wider left cell | a much wider centre cell | and the right "
	"one grows last |\n\nafter\n",
	"> | a | b |\n> |--:|:-:|\n> | 1 | 2 |\n> | 333 | 4 |\n> | 55555 "
	"| 666666 |\n\n- | x | y |\n  |:-:|--|\n  | p | q |\n  | pp ppp "
	"pppp | qq qqq qqqq qqqqq |\n",
	"| a | b | c | d | e | f |\n|-|:-:|-:|-|:-:|-:|\n| 1 | 2 | 3 | 4 | "
	"5 | 6 |\n| 11 | 22 | 33 | 44 | 55 | 66 |\n| 111 | 222 | 333 | 444 "
	"| 555 | 666 |\n| 1111 | 2222 | 3333 | 4444 | 5555 | 6666 |\n",
};

static void
tables_widening_rows_match_every_prefix(void **state)
{
	size_t		 t, i, len, *cuts;
	const int	 ws[] = { 9, 14, 30, 47, 100 };
	int		 w;

	(void)state;
	for (t = 0; t < sizeof widen_texts / sizeof widen_texts[0]; t++) {
		len = strlen(widen_texts[t]);
		cuts = xmalloc((len + 1) * sizeof *cuts);
		for (i = 1; i < len; i++)
			cuts[i - 1] = i;
		for (w = 0; w < 5; w++)
			check_split(widen_texts[t], len, cuts, len - 1, ws[w],
			    true);
		free(cuts);
	}
}

static void
tables_widening_random_deltas_and_resize(void **state)
{
	unsigned	 seed = 4242;
	size_t		 t, r, ncuts, len, cuts[60], i, pos;
	struct md	*md, *whole;
	int		 w;

	(void)state;
	for (t = 0; t < sizeof widen_texts / sizeof widen_texts[0]; t++) {
		len = strlen(widen_texts[t]);
		for (r = 0; r < 12; r++) {
			ncuts = random_cuts(&seed, len, 60, cuts);
			check_split(widen_texts[t], len, cuts, ncuts,
			    12 + (int)(r % 4) * 21, true);
			/* The same deltas, the width changed half way. */
			w = 20 + (int)(r % 3) * 30;
			md = md_create(w, SANITIZE_NORMAL);
			for (i = 0, pos = 0; i <= ncuts; i++) {
				size_t	next = i < ncuts ? cuts[i] : len;

				md_append(md, widen_texts[t] + pos, next - pos);
				pos = next;
				md_nlines(md);
				if (i == ncuts / 2)
					md_set_width(md, w = 100 - w / 2);
				whole = md_create(w, SANITIZE_NORMAL);
				md_append(whole, widen_texts[t], pos);
				assert_same_md(md, whole, "resized table");
				md_free(whole);
			}
			md_free(md);
		}
	}
}

/* A streaming last row that widens a column does not draw the rows above
 * again: their lines are the same objects, padded in place. */
static void
tables_widening_keeps_row_lines(void **state)
{
	const char	*s = widen_texts[2];
	struct md	*md = md_create(100, SANITIZE_NORMAL);
	size_t		 pos, len = strlen(s), kept = 0, wider = 0;
	const struct render_span *spans;
	int		 width;

	(void)state;
	for (pos = 0; pos < len; pos++) {
		spans = NULL;
		width = 0;
		if (md_nlines(md) > 4) {
			spans = md_line(md, 3)->spans;
			width = md_line(md, 3)->width;
		}
		md_append(md, s + pos, 1);
		if (spans == NULL || md_nlines(md) <= 4 ||
		    md_line(md, 3)->width <= width)
			continue;
		/* Row "1 2 3 ..." padded to a wider column. */
		wider++;
		if (md_line(md, 3)->spans == spans)
			kept++;
	}
	assert_true(wider > 3);
	assert_true(kept > 3);
	md_free(md);
}

/* A fence line streaming in grows its last line in place: the same spans
 * from delta to delta while it does not wrap. */
static void
code_line_grows_in_place(void **state)
{
	const char	*s = "```\nint x = 1; /* a line of code that grows "
	    "and grows */\n```\n";
	struct md	*md = md_create(100, SANITIZE_NORMAL);
	size_t		 pos, len = strlen(s), kept = 0, grew = 0, n;
	const struct render_span *spans;
	size_t		 before;

	(void)state;
	for (pos = 0; pos < len; pos += 3) {
		n = md_nlines(md);
		spans = n > 0 ? md_line(md, n - 1)->spans : NULL;
		before = n > 0 ? md_line(md, n - 1)->len : 0;
		md_append(md, s + pos, len - pos < 3 ? len - pos : 3);
		if (n == 0 || md_nlines(md) != n || md_line(md, n - 1)->len <=
		    before)
			continue;
		grew++;
		if (md_line(md, n - 1)->spans == spans)
			kept++;
	}
	assert_true(grew > 5);
	assert_true(kept > 5);
	md_free(md);
}

/* A streamed paragraph keeps its finished lines: the same objects, not
 * laid out again, once their inline markup is closed. */
static void
inline_memo_keeps_finished_lines(void **state)
{
	struct md	*md = md_create(20, SANITIZE_NORMAL), *whole;
	const char	*s = "one *two* three `four` five [six](http://s) "
	    "seven eight nine ten eleven twelve thirteen fourteen fifteen "
	    "sixteen seventeen eighteen nineteen twenty\n";
	const char	*first = NULL;
	size_t		 pos, n, len = strlen(s), kept = 0;

	(void)state;
	for (pos = 0; pos < len; pos += n) {
		n = len - pos < 7 ? len - pos : 7;
		md_append(md, s + pos, n);
		if (md_nlines(md) >= 4) {
			if (first != NULL && md_line(md, 0)->text == first)
				kept++;
			first = md_line(md, 0)->text;
		}
	}
	assert_true(kept > 5);
	md_finish(md);
	whole = md_create(20, SANITIZE_NORMAL);
	md_append(whole, s, len);
	md_finish(whole);
	assert_same_md(md, whole, "finished");
	md_free(whole);
	md_free(md);
}

/* ------------------------------------------------------------------ */

static const struct render_span *
span_with(const struct render_line *l, const char *text)
{
	size_t	i, n = strlen(text);

	for (i = 0; i < l->nspans; i++) {
		if (l->spans[i].len == n &&
		    memcmp(l->text + l->spans[i].off, text, n) == 0)
			return &l->spans[i];
	}
	return NULL;
}

static void
styles_of_inline_markup(void **state)
{
	const char		*s = "a **b** *c* ~~d~~ `e` [f](http://g)\n";
	struct render_line	*lines;
	size_t			 n;
	const struct render_span *sp;

	(void)state;
	n = md_render(s, strlen(s), 80, SANITIZE_NORMAL, &lines);
	assert_int_equal(n, 1);
	assert_string_equal(lines[0].text, "a b c d e f");
	assert_non_null(sp = span_with(&lines[0], "b"));
	assert_int_equal(sp->style, RSTYLE_STRONG);
	assert_int_equal(sp->src, 4);
	assert_non_null(sp = span_with(&lines[0], "c"));
	assert_int_equal(sp->style, RSTYLE_EMPH);
	assert_non_null(sp = span_with(&lines[0], "d"));
	assert_int_equal(sp->style, RSTYLE_STRIKE);
	assert_non_null(sp = span_with(&lines[0], "e"));
	assert_int_equal(sp->style, RSTYLE_CODE);
	assert_int_equal(sp->src, 19);
	assert_non_null(sp = span_with(&lines[0], "f"));
	assert_int_equal(sp->style, RSTYLE_LINK);
	assert_int_equal(sp->link, 1);
	render_lines_free(lines, n);
}

static void
heading_level_and_link_url_kept(void **state)
{
	struct md			*md = md_create(40, SANITIZE_NORMAL);
	const struct render_line	*l;
	const char			*s = "### Three [x](https://a.example/p)\n";

	(void)state;
	md_append(md, s, strlen(s));
	md_finish(md);
	l = md_line(md, 0);
	assert_string_equal(l->text, "### Three x");
	assert_true(l->spans[0].style & RSTYLE_HEADING);
	assert_int_equal(RSTYLE_LEVEL(l->spans[0].style), 3);
	assert_int_equal(l->spans[0].src, RENDER_NOSRC);
	assert_string_equal(md_link(md, 1), "https://a.example/p");
	assert_null(md_link(md, 2));
	md_free(md);
}

static void
source_offsets_survive_escapes_and_replacement(void **state)
{
	/* bytes: "\x1b[31m" (5) then "h\xffi" */
	const char		*s = "\x1b[31mh\xffi\n";
	struct render_line	*lines;
	size_t			 n;
	const struct render_span *sp;

	(void)state;
	n = md_render(s, strlen(s), 80, SANITIZE_NORMAL, &lines);
	assert_int_equal(n, 1);
	assert_string_equal(lines[0].text, "h\xef\xbf\xbdi");
	assert_int_equal(lines[0].spans[0].src, 5);
	assert_non_null(sp = span_with(&lines[0], "\xef\xbf\xbd"));
	assert_true(sp->style & RSTYLE_REPLACEMENT);
	assert_int_equal(sp->src, 6);
	assert_int_equal(sp->src_len, 1);
	assert_int_equal(lines[0].src_start, 5);
	assert_int_equal(lines[0].src_end, 8);
	render_lines_free(lines, n);
}

static void
inspect_mode_marks_invisibles(void **state)
{
	const char		*s = "a\xe2\x80\x8b" "b\xe2\x80\xae" "c\n";
	struct render_line	*lines;
	size_t			 n;
	const struct render_span *sp;

	(void)state;
	n = md_render(s, strlen(s), 80, SANITIZE_INSPECT, &lines);
	assert_string_equal(lines[0].text, "a⟨ZWSP⟩b⟨RLO⟩c");
	assert_non_null(sp = span_with(&lines[0], "⟨ZWSP⟩"));
	assert_true(sp->style & RSTYLE_INSPECT_MARK);
	assert_int_equal(sp->src, 1);
	assert_int_equal(sp->src_len, 3);
	render_lines_free(lines, n);
	n = md_render(s, strlen(s), 80, SANITIZE_NORMAL, &lines);
	assert_string_equal(lines[0].text, "a\xe2\x80\x8b" "bc");
	render_lines_free(lines, n);
}

static void
width_change_relayouts_from_source(void **state)
{
	const char	*s = "one two three four five six seven eight nine\n\n"
	    "```\ncode\n```\n";
	struct md	*md = md_create(80, SANITIZE_NORMAL), *fresh;

	(void)state;
	md_append(md, s, strlen(s));
	md_finish(md);
	assert_int_equal(md_nlines(md), 3);
	md_set_width(md, 10);
	fresh = md_create(10, SANITIZE_NORMAL);
	md_append(fresh, s, strlen(s));
	md_finish(fresh);
	assert_same_md(md, fresh, "resized");
	assert_true(md_nlines(md) > 3);
	md_set_width(md, 80);
	assert_int_equal(md_nlines(md), 3);
	md_free(fresh);
	md_free(md);
}

static void
streaming_commits_finished_blocks(void **state)
{
	struct md	*md = md_create(40, SANITIZE_NORMAL);
	const char	*p1 = "# Head\n\nfirst para\n\nsecond";
	const struct render_line *l0;

	(void)state;
	md_append(md, p1, strlen(p1));
	l0 = md_line(md, 0);
	assert_string_equal(l0->text, "# Head");
	assert_int_equal(md_nlines(md), 5);
	md_append(md, " continues", 10);
	/* The committed heading line is the same object: not laid out
	 * again. */
	assert_string_equal(md_line(md, 4)->text, "second continues");
	md_free(md);
}

static void
code_block_long_line_soft_wraps_with_mark(void **state)
{
	const char		*s = "```c\nabcdefghijklmnopqrstuvwxyz\n```\n";
	struct render_line	*lines;
	size_t			 n;

	(void)state;
	n = md_render(s, strlen(s), 12, SANITIZE_NORMAL, &lines);
	assert_int_equal(n, 4);
	assert_string_equal(lines[0].text, "c");
	assert_true(lines[0].spans[0].style & RSTYLE_CODE_LABEL);
	assert_string_equal(lines[1].text, "  abcdefghij");
	assert_string_equal(lines[2].text, "↪ klmnopqrst");
	assert_true(lines[2].spans[0].style & RSTYLE_CONTINUATION);
	assert_string_equal(lines[3].text, "↪ uvwxyz");
	render_lines_free(lines, n);
}

int
main(void)
{
	const char		*srcdir = getenv("TOLK_SRCDIR");
	char			*dir, **names = NULL, *text;
	struct CMUnitTest	*tests;
	struct dirent		*de;
	DIR			*d;
	size_t			 n = 0, i, len, k;
	static const struct CMUnitTest	fixed[] = {
		cmocka_unit_test(split_every_byte_two_pieces),
		cmocka_unit_test(split_one_byte_deltas_match_every_prefix),
		cmocka_unit_test(split_random_over_all_fixtures),
		cmocka_unit_test(inline_memo_one_byte_deltas_match_every_prefix),
		cmocka_unit_test(inline_memo_random_deltas),
		cmocka_unit_test(inline_memo_keeps_finished_lines),
		cmocka_unit_test(styles_of_inline_markup),
		cmocka_unit_test(heading_level_and_link_url_kept),
		cmocka_unit_test(source_offsets_survive_escapes_and_replacement),
		cmocka_unit_test(inspect_mode_marks_invisibles),
		cmocka_unit_test(width_change_relayouts_from_source),
		cmocka_unit_test(containers_one_byte_deltas_match_every_prefix),
		cmocka_unit_test(containers_random_deltas),
		cmocka_unit_test(width_change_mid_stream),
		cmocka_unit_test(streaming_commits_finished_blocks),
		cmocka_unit_test(code_block_long_line_soft_wraps_with_mark),
		cmocka_unit_test(tables_widening_rows_match_every_prefix),
		cmocka_unit_test(tables_widening_random_deltas_and_resize),
		cmocka_unit_test(tables_widening_keeps_row_lines),
		cmocka_unit_test(code_line_grows_in_place),
	};
	size_t			 nfixed = sizeof fixed / sizeof fixed[0];

	if (srcdir == NULL)
		srcdir = ".";
	dir = xasprintf("%s/tests/render", srcdir);
	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "cannot open %s\n", dir);
		return 1;
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 6 || strcmp(de->d_name + len - 5, ".case") != 0)
			continue;
		names = xrealloc(names, (n + 1) * sizeof *names);
		names[n++] = xstrndup(de->d_name, len - 5);
	}
	closedir(d);
	for (i = 1; i < n; i++) {
		char	*v = names[i];

		for (k = i; k > 0 && strcmp(names[k - 1], v) > 0; k--)
			names[k] = names[k - 1];
		names[k] = v;
	}
	fixtures = xcalloc(n + 1, sizeof *fixtures);
	for (i = 0; i < n; i++) {
		char	*path = xasprintf("%s/%s.case", dir, names[i]);

		text = slurp(path, &len);
		if (text == NULL || parse_case(&fixtures[nfixtures], text,
		    len) != 0) {
			fprintf(stderr, "bad fixture %s\n", path);
			return 1;
		}
		fixtures[nfixtures++].name = names[i];
		free(text);
		free(path);
	}
	tests = xcalloc(nfixtures + nfixed, sizeof *tests);
	for (i = 0; i < nfixtures; i++) {
		tests[i].name = fixtures[i].name;
		tests[i].test_func = fixture_case;
		tests[i].initial_state = &fixtures[i];
	}
	for (i = 0; i < nfixed; i++)
		tests[nfixtures + i] = fixed[i];
	k = (size_t)_cmocka_run_group_tests("render_markdown", tests,
	    nfixtures + nfixed, NULL, NULL);
	for (i = 0; i < nfixtures; i++) {
		free(fixtures[i].input);
		free(fixtures[i].expect[0]);
		free(fixtures[i].expect[1]);
		free(fixtures[i].expect[2]);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(fixtures);
	free(tests);
	free(dir);
	return (int)k;
}
