/*
 * tui/langcheck.h - is an answer in the language the conversation
 * expects? The checks of a finished answer that the TUI shows under it and
 * print mode writes to stderr, built on lang/'s identifier: a whole answer
 * in another language, an answer that switches language between
 * paragraphs, and (softer) a close neighbour of the expected language that
 * the evidence cannot tell apart from it.
 */
#ifndef TOLK_LANGCHECK_H
#define TOLK_LANGCHECK_H

#include "core/core.h"
#include "history/history.h"

#define LANGCHECK_MAX	2

struct langcheck_line {
	char	*text;		/* "answer is in Croatian (hr), expected
				   Slovenian (sl)"; no mark, no newline */
	bool	 soft;		/* a close-group note, not a warning */
};

struct langcheck {
	struct langcheck_line	 line[LANGCHECK_MAX];	/* warnings first */
	size_t			 n;
	/* The answer is in another language than expected (or, drift
	 * aside, in a neighbour when soft): its code, else "". */
	char			 other[4];
	bool			 other_soft;
	/* The first paragraph (1-based) in another language, 0: none. */
	size_t			 drift_at;
	char			 drift_lang[4];
};

/*
 * Check the text of a finished answer. expect is the conversation's
 * expected language (NULL or "": none; then only a switch of language
 * between paragraphs is looked for, against the first paragraph's).
 * Fenced code blocks and `code` spans are left out: code is not prose.
 * Short or unclear answers get no line. Fills *lc (langcheck_release()
 * frees it).
 */
void	langcheck_answer(const char *text, size_t len, const char *expect,
	    struct langcheck *lc);
void	langcheck_release(struct langcheck *);

/*
 * A copy of text[0..len) (NUL-terminated, the same length) with fenced
 * code blocks and `code` spans turned into spaces, newlines kept: the
 * prose the checks read, at the same byte offsets. Caller frees.
 */
char	*langcheck_prose(const char *text, size_t len);

/*
 * s[start, end) for one line of a terminal, appended to out: invisible
 * and bidi characters as <NAME> (<ZWSP>, <RLO>), other controls and
 * combining marks as <U+XXXX>, the rest as it is.
 */
void	lang_quote_span(const char *s, size_t start, size_t end,
	    struct buf *out);
/* "Cyrillic+Latin" for a set of scripts (bit 1 << enum lang_script). */
void	lang_scripts_text(unsigned mask, struct buf *out);

/* The mark shown before a line: "⚠" for a warning, "≈" for a note. */
const char	*langcheck_mark(const struct langcheck_line *);

/*
 * The language of a first prompt, when the identifier is sure of it (not
 * uncertain, not an inseparable close group): 0 and code, else -1.
 */
int	langcheck_prompt(const char *prompt, size_t len, char code[4]);

/* "Slovenian (sl)" (just the code when lang/ has no name). Caller frees. */
char	*lang_label(const char *code);
/*
 * How an expected language reads for people: "Slovenian (sl), set with
 * /lang", "Slovenian (sl), from the first prompt", "off (/lang off)",
 * "none". Caller frees.
 */
char	*expect_describe(const char *code, enum expect_source by);

#endif
