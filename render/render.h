/*
 * render/render.h - text to styled display lines, independent of curses.
 *
 * render/ turns untrusted text (whatever bytes a model sends) into lines a
 * terminal can draw: UTF-8 that never fails, grapheme clusters and their
 * display width, sanitising, wrapping by display width, streaming markdown
 * to abstract styled lines, and a word diff. It includes only core/.
 *
 * Conventions for the whole header:
 * - Text is passed as (pointer, length); it need not be NUL-terminated and
 *   may hold any bytes, including NUL and invalid UTF-8.
 * - Returned strings and arrays are allocated with xmalloc and owned by the
 *   caller (free()) unless the comment says "borrowed".
 * - Widths are terminal columns. Every function that measures width counts
 *   whole grapheme clusters, never code points.
 */
#ifndef TOLK_RENDER_H
#define TOLK_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------------ */
/* UTF-8 (render/utf8.c) */

#define UTF8_REPLACEMENT 0xFFFD

/*
 * Decode one code point from s[0..len) (len > 0). Returns the number of bytes
 * consumed, always >= 1 and <= len. Invalid input (a stray continuation
 * byte, an overlong form, a surrogate, a value above U+10FFFF, a sequence cut
 * short) sets *cp to U+FFFD and consumes one "maximal subpart" (Unicode 15
 * section 3.9, U+FFFD substitution of maximal subparts): the longest prefix
 * that could still start a valid sequence, or one byte. So decoding never
 * fails and never skips valid text.
 */
size_t	utf8_decode(const char *s, size_t len, int32_t *cp);

/* Encode cp (invalid values become U+FFFD) into out; returns 1 to 4. */
size_t	utf8_encode(int32_t cp, char out[4]);

/*
 * The length of the longest prefix of s[0..len) that does not end inside a
 * sequence that more bytes could still complete. A streaming reader decodes
 * that prefix now and keeps the rest (at most 3 bytes) for the next chunk.
 */
size_t	utf8_complete(const char *s, size_t len);

/* Whether s[0..len) is valid UTF-8 (so utf8_clean() would copy it as is). */
bool	utf8_valid(const char *s, size_t len);

/* A valid UTF-8 copy of s, with U+FFFD per maximal invalid subpart. NUL
 * terminated; *outlen (if not NULL) gets the length. */
char	*utf8_clean(const char *s, size_t len, size_t *outlen);

/* ------------------------------------------------------------------ */
/* Grapheme clusters and display width (render/grapheme.c, render/width.c) */

/*
 * The end of the extended grapheme cluster that starts at s[pos] (pos <
 * len), as utf8proc segments it (utf8proc_grapheme_break_stateful: the
 * Unicode rules of the library's version, 15.0 with the 2.8.0 installed
 * here, which pkg-config reports as 2.6.0). Invalid bytes are one U+FFFD
 * each. If widthp is not NULL it receives the cluster's display width (see
 * width_cluster). Stateless: pos must be a cluster boundary (0 is one).
 */
size_t	grapheme_next(const char *s, size_t len, size_t pos, int *widthp);

/* The number of grapheme clusters in s[0..len). */
size_t	grapheme_count(const char *s, size_t len);

/*
 * The display width of one grapheme cluster, as terminals draw it:
 * - East Asian Wide and Fullwidth: 2; combining marks and other Extend: 0
 *   (the cluster takes the width of its base);
 * - emoji presentation, emoji modifier sequences: 2; a ZWJ sequence: the
 *   width of its first emoji; a regional-indicator pair: 2 (a lone one: 1);
 * - VS16 (U+FE0F) after a text-default emoji makes it 2;
 * - controls (which sanitising removes anyway): 0;
 * - an override table for code points where utf8proc and terminals
 *   disagree (emoji added in Unicode 14 and 15, for a utf8proc older than
 *   2.8; the soft hyphen, which terminals draw).
 * The result is 0, 1 or 2.
 */
int	width_cluster(const char *s, size_t len);

/* The width of one code point alone (override table, then utf8proc). */
int	width_codepoint(int32_t cp);

/* The display width of s[0..len): the sum of its clusters. A tab counts as
 * one column here; layout expands tabs. */
size_t	width_text(const char *s, size_t len);

/* ------------------------------------------------------------------ */
/* Sanitising (render/sanitize.c) */

enum sanitize_mode {
	SANITIZE_NORMAL,	/* drop controls, escapes and bidi controls */
	SANITIZE_INSPECT,	/* also show invisibles as visible marks */
};

/*
 * What a piece of sanitised text stands for in the source. Sanitised text is
 * a sequence of segments; a SEG_COPY segment is byte for byte the source
 * range it came from; the others are synthetic text standing for a source
 * range (a U+FFFD for invalid bytes, an inspect mark such as "⟨ZWSP⟩").
 */
enum seg_kind {
	SEG_COPY,
	SEG_REPLACE,		/* U+FFFD for invalid UTF-8 */
	SEG_MARK,		/* inspect mode: a visible mark */
};

struct seg {
	size_t		out;	/* offset in the sanitised text */
	size_t		len;	/* bytes in the sanitised text */
	size_t		src;	/* offset in the source */
	size_t		src_len; /* bytes in the source */
	enum seg_kind	kind;
};

/*
 * A push sanitiser. It takes source bytes in any pieces (a piece may end
 * inside a UTF-8 sequence or an escape sequence) and appends clean text:
 * valid UTF-8 with no C0 or C1 control except newline and tab, no DEL, no
 * escape sequence (CSI, OSC, DCS, APC, PM, SOS, nF and Fp/Fe/Fs escapes,
 * whether introduced by ESC or by their 8-bit C1 code points). String
 * sequences (OSC, DCS, APC, PM, SOS, and ESC k, the window title of screen
 * and tmux) end at BEL, ST, CAN, SUB, or - our
 * choice, so that a stray ESC ] cannot swallow an answer - a newline, which
 * is kept. CR is dropped (CR LF reads as LF). In SANITIZE_NORMAL the bidi
 * embedding, override and isolate controls (U+202A-202E, U+2066-2069) are
 * removed and other invisibles kept; in SANITIZE_INSPECT those, U+200E,
 * U+200F, ZWSP, ZWNJ, ZWJ outside an emoji sequence, soft hyphen, NBSP
 * variants (U+00A0, U+2007, U+202F, U+2060) and BOM become visible marks.
 *
 * The clean text only grows: bytes appended are never changed later. What
 * cannot be decided yet (an incomplete UTF-8 sequence, an unterminated
 * escape, a ZWJ whose next character is unknown) is held back until more
 * input or sanitize_finish(). Feeding a text in any pieces yields the same
 * clean text and segments as feeding it whole.
 */
struct sanitizer;

struct sanitizer *sanitize_create(enum sanitize_mode);
void		 sanitize_free(struct sanitizer *);
void		 sanitize_feed(struct sanitizer *, const char *, size_t);
/* End of input: held-back bytes are resolved (a cut UTF-8 sequence becomes
 * U+FFFD, an unterminated escape is dropped). Further feeds are ignored. */
void		 sanitize_finish(struct sanitizer *);
/* The clean text so far (borrowed, NUL terminated, valid until the next
 * feed or finish). */
const char	*sanitize_text(const struct sanitizer *, size_t *lenp);
/* The segments so far (borrowed, same validity); they cover the clean text
 * in order without gaps. */
const struct seg *sanitize_segs(const struct sanitizer *, size_t *np);
/* Map an offset in the clean text to the source: the source offset of the
 * segment holding it (plus the distance into a SEG_COPY segment). */
size_t		 sanitize_map(const struct sanitizer *, size_t out);

/* One-shot: the clean text of s (caller frees), length in *outlen. */
char	*sanitize(const char *s, size_t len, enum sanitize_mode,
	    size_t *outlen);

/* ------------------------------------------------------------------ */
/* Wrapping (render/wrap.c) */

/* One wrapped line: s[start..end) with trailing spaces left out. */
struct wrap_line {
	size_t	start;
	size_t	end;
	int	width;
};

/*
 * Break s[0..len) (clean text; a newline is a forced break and belongs to no
 * line) into lines of at most width columns (width < 1 counts as 1). Break
 * opportunities: after a run of spaces, after a hyphen or dash (-
 * U+2010..U+2014) that follows a letter, after '/' ,'?', '&' or '=' inside a
 * URL (a word containing "://"), and before and after a wide (CJK) cluster,
 * except before CJK closing brackets and stops and after opening brackets
 * (kinsoku). Never inside a grapheme cluster. A word longer than the width
 * is broken at cluster boundaries. Spaces that end a line do not count
 * against the width and never cause a wrap. A cluster wider than the width
 * alone on a line is kept (the line is then wider than width). Returns the
 * number of lines (>= 1; empty input gives one empty line); *linesp is
 * caller-owned.
 */
size_t	wrap_lines(const char *s, size_t len, int width,
	    struct wrap_line **linesp);

/* ------------------------------------------------------------------ */
/* Styled lines */

/*
 * Abstract styles: a line's text is cut into spans, each with a set of
 * these flags. The TUI maps them to colours and attributes. A heading span
 * has RSTYLE_HEADING and its level (1-6) in RSTYLE_LEVEL(style).
 */
enum rstyle {
	RSTYLE_NORMAL = 0,
	RSTYLE_EMPH = 1 << 0,
	RSTYLE_STRONG = 1 << 1,
	RSTYLE_STRIKE = 1 << 2,
	RSTYLE_CODE = 1 << 3,		/* inline code */
	RSTYLE_CODE_BLOCK = 1 << 4,	/* text of a code block */
	RSTYLE_CODE_LABEL = 1 << 5,	/* the language label of a block */
	RSTYLE_HEADING = 1 << 6,
	RSTYLE_QUOTE = 1 << 7,		/* a quote bar */
	RSTYLE_LIST_MARKER = 1 << 8,	/* bullet, number, task box */
	RSTYLE_LINK = 1 << 9,		/* link text; span.link says which */
	RSTYLE_RULE = 1 << 10,		/* horizontal rule */
	RSTYLE_TABLE_BORDER = 1 << 11,
	RSTYLE_TABLE_HEADER = 1 << 12,
	RSTYLE_CONTINUATION = 1 << 13,	/* mark of a soft-wrapped code line */
	RSTYLE_HTML = 1 << 14,		/* raw HTML, shown as text */
	RSTYLE_DIFF_DELETE = 1 << 15,
	RSTYLE_DIFF_INSERT = 1 << 16,
	RSTYLE_DIFF_CASE = 1 << 17,	/* case-only or accent-only change */
	RSTYLE_INSPECT_MARK = 1 << 18,	/* visible mark of an invisible */
	RSTYLE_REPLACEMENT = 1 << 19,	/* U+FFFD standing for bad bytes */
};
#define RSTYLE_LEVEL_SHIFT	24
#define RSTYLE_LEVEL(s)		(((s) >> RSTYLE_LEVEL_SHIFT) & 7)

#define RENDER_NOSRC	SIZE_MAX

/*
 * A span: text[off..off+len) of its line, drawn in style. src and src_len
 * say where it came from in the source text (the bytes given to md_append):
 * when exact is set, src_len == len and the mapping is position for
 * position (text byte off+i is source byte src+i; the bytes are equal but
 * for a line break or tab shown as a space); otherwise the span, or any
 * piece of it, stands for that whole source range (a U+FFFD, an inspect
 * mark, an expanded tab, a rule). Decorations that stand
 * for no source text (bullets drawn for "-", borders, quote bars,
 * continuation marks) have src == RENDER_NOSRC and src_len 0. link is 0, or
 * the 1-based index of the link (md_link) the span belongs to.
 */
struct render_span {
	uint32_t	off;
	uint32_t	len;
	uint32_t	style;
	uint32_t	link;
	size_t		src;
	size_t		src_len;
	bool		exact;
};

/*
 * A display line: text (valid UTF-8, no control characters, NUL
 * terminated), cut into spans that cover it in order without gaps; width
 * is its display width in columns (<= the layout width, except a single
 * cluster wider than the layout width). src_start..src_end is the source
 * byte range the line's content came from (both RENDER_NOSRC for lines that
 * show no source, such as a blank line between blocks or a table border).
 */
struct render_line {
	char			*text;
	size_t			 len;
	int			 width;
	struct render_span	*spans;
	size_t			 nspans;
	size_t			 src_start;
	size_t			 src_end;
};

/* ------------------------------------------------------------------ */
/* Streaming markdown (render/markdown.c, render/block.c, render/table.c,
 * render/inline.c) */

/*
 * A markdown document being laid out at a width. Feed source bytes with
 * md_append (as they stream in; a delta may end anywhere, even inside a
 * UTF-8 sequence, inside "**" or inside a ``` fence) and read lines.
 *
 * The source is cut into chunks at points decided by complete lines only
 * (a blank line followed by a line at the margin, a new list item at the
 * margin, an ATX heading, a fence opening or closing, each line of a fenced
 * code block). A chunk whose end is known is laid out once and cached; only
 * the open chunk is laid out again. Layout is lazy: md_append only takes
 * the bytes in, and the first read of lines after it (md_nlines, md_line,
 * md_nlinks, md_link) lays out what changed, so a screen that draws once
 * per frame pays one layout of the open chunk per frame, however many
 * deltas arrived. So feeding a text in any
 * number of deltas gives exactly the lines of feeding it whole, at every
 * point (not only after md_finish). md_set_width lays every chunk out again
 * from the source.
 *
 * Supported: ATX and setext headings, paragraphs, emphasis, strong,
 * strikethrough, inline code, fenced and indented code blocks (language
 * label, no re-flow, long lines soft-wrapped behind a continuation mark),
 * ordered, unordered and task lists with nesting, nested block quotes,
 * pipe tables (columns sized by display width; cells wrap when the table is
 * too wide), horizontal rules, links and autolinks (text shown, URL kept:
 * md_link), hard line breaks, backslash escapes, HTML shown as text.
 * Ordered items show the number written in the source.
 */
struct md;

struct md	*md_create(int width, enum sanitize_mode);
void		 md_free(struct md *);
/* Append source bytes (copied). */
void		 md_append(struct md *, const char *, size_t);
/* End of the source: the last line is complete, held-back bytes resolve. */
void		 md_finish(struct md *);
/* Change the width (>= 1); everything is laid out again from the source. */
void		 md_set_width(struct md *, int);
int		 md_width(const struct md *);
/* The lines so far (laying out what changed first). Borrowed: valid until
 * the next append, finish, set_width or free. md_line returns NULL past the
 * end. */
size_t			 md_nlines(struct md *);
const struct render_line *md_line(struct md *, size_t);
/* The URL of link n (1-based, from render_span.link), or NULL. Borrowed. */
const char		*md_link(struct md *, uint32_t);
size_t			 md_nlinks(struct md *);
/* The source bytes appended so far (borrowed). */
const char		*md_source(const struct md *, size_t *lenp);

/* One-shot convenience: render text at width; returns the number of lines
 * and a caller-owned copy in *linesp (free with render_lines_free). */
size_t	md_render(const char *s, size_t len, int width, enum sanitize_mode,
	    struct render_line **linesp);
void	render_lines_free(struct render_line *, size_t);
/* Free what one line holds (text, spans), not the line itself. */
void	render_line_release(struct render_line *);

/* ------------------------------------------------------------------ */
/* Word diff (render/diff.c) */

enum diff_op {
	DIFF_EQUAL,
	DIFF_DELETE,	/* only in a */
	DIFF_INSERT,	/* only in b */
	DIFF_CASE,	/* a and b differ only in case or accents */
};

/* a[a_off..a_off+a_len) against b[b_off..b_off+b_len); DELETE has b_len 0
 * and INSERT a_len 0. */
struct diff_span {
	enum diff_op	op;
	size_t		a_off;
	size_t		a_len;
	size_t		b_off;
	size_t		b_len;
};

/*
 * Word diff of a against b (Myers' O(ND) algorithm over tokens). Tokens are
 * words (runs of letters, digits and marks, whole grapheme clusters), runs
 * of white space, and single other clusters (punctuation). Tokens are
 * matched on their case-folded, accent-stripped form; a matched pair whose
 * bytes differ is DIFF_CASE (češnja vs Cesnja). Adjacent spans of the same
 * op are merged. The spans cover a and b in order. Returns the number of
 * spans; *spansp is caller-owned.
 */
size_t	diff_words(const char *a, size_t alen, const char *b, size_t blen,
	    struct diff_span **spansp);

#endif
