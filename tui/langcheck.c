/*
 * tui/langcheck.c - the language checks of a finished answer, shared by
 * the TUI (a line under the answer) and print mode (a line on stderr).
 *
 * Three findings, from lang/'s identifier:
 *   - the whole answer is in another language than expected: a warning
 *     (langid_detect() with the expected language as prior says
 *     "mismatch": sure, and not the expected language or its group);
 *   - the answer switches language between paragraphs: a warning naming
 *     the first paragraph that is surely in another language than the
 *     expected one (or, with none expected, than the first paragraph),
 *     after at least one paragraph in it;
 *   - the answer is in the expected language's close group and the
 *     evidence cannot separate the members, while another member scores
 *     best: a softer note (hr/bs/sr, nb/nn/da, cs/sk, gl/pt, ca/es, bg/mk
 *     share most of their words; a note, not an alarm).
 * Code is not prose: fenced blocks and `code` spans become spaces before
 * the identifier reads the text, which keeps every byte offset.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/lang.h"
#include "render/render.h"
#include "tui/langcheck.h"

/* Enough text to judge a whole answer and its paragraphs. */
#define CHECK_MAX	(64u * 1024)
/*
 * The identifier calls short texts sure too readily ("Dober dan" is Dutch
 * at 0.85), and a false alarm under every short answer teaches people to
 * ignore the line: below these many letters nothing is claimed. A first
 * prompt must also be clear beyond doubt to set the expectation.
 */
#define ANSWER_LETTERS	30
#define PROMPT_LETTERS	20
#define PROMPT_CONF	0.9
/* A paragraph this short does not show a switch of language. */
#define DRIFT_LETTERS	40

char *
lang_label(const char *code)
{
	const char	*name = langid_name(code);

	return name != NULL ? xasprintf("%s (%s)", name, code) :
	    xstrdup(code);
}

/* "Croatian, Bosnian or Serbian (hr/bs/sr)" for a close group. */
static char *
group_label(const char *group)
{
	struct buf	 b;
	const char	*p = group, *slash, *name;
	char		 code[4];
	size_t		 n, i = 0, count = 1;

	for (n = 0; group[n] != '\0'; n++)
		if (group[n] == '/')
			count++;
	buf_init(&b, BUF_NO_LIMIT);
	for (;;) {
		slash = strchr(p, '/');
		n = slash != NULL ? (size_t)(slash - p) : strlen(p);
		snprintf(code, sizeof code, "%.*s", (int)(n < 3 ? n : 3), p);
		name = langid_name(code);
		buf_addf(&b, "%s%s", i == 0 ? "" : i + 1 == count ? " or " :
		    ", ", name != NULL ? name : code);
		i++;
		if (slash == NULL)
			break;
		p = slash + 1;
	}
	buf_addf(&b, " (%s)", group);
	return buf_take(&b, NULL);
}

const char *
langcheck_mark(const struct langcheck_line *l)
{
	return l->soft ? "≈" : "⚠";
}

char *
expect_describe(const char *code, enum expect_source by)
{
	char	*label, *s;

	if (by == EXPECT_OFF)
		return xstrdup("off (/lang off)");
	if (code == NULL || *code == '\0')
		return xstrdup("none");
	label = lang_label(code);
	s = xasprintf("%s, %s", label, by == EXPECT_PROMPT ?
	    "from the first prompt" : "set with /lang");
	free(label);
	return s;
}

void
lang_quote_span(const char *s, size_t start, size_t end, struct buf *out)
{
	size_t		 i = start, n;
	int32_t		 cp;
	const char	*name;

	while (i < end) {
		n = utf8_decode(s + i, end - i, &cp);
		if ((name = hygiene_char_name(cp)) != NULL)
			buf_addf(out, "<%s>", name);
		else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
			buf_addf(out, "<U+%04X>", (unsigned)cp);
		else if (cp >= 0x300 && cp <= 0x36f)
			buf_addf(out, "<U+%04X>", (unsigned)cp);
		else if (cp == UTF8_REPLACEMENT)
			buf_addstr(out, "\xef\xbf\xbd");
		else
			buf_add(out, s + i, n);
		i += n;
	}
}

void
lang_scripts_text(unsigned mask, struct buf *out)
{
	int	i;
	bool	first = true;

	for (i = 0; i < SCRIPT_COUNT; i++) {
		if (mask & (1u << i)) {
			buf_addf(out, "%s%s", first ? "" : "+",
			    script_name((enum lang_script)i));
			first = false;
		}
	}
}

/* Blank s[start, end) but its newlines: offsets stay, the text goes. */
static void
blank(char *s, size_t start, size_t end)
{
	size_t	i;

	for (i = start; i < end; i++)
		if (s[i] != '\n')
			s[i] = ' ';
}

/* The length of the run of c at s[i..len). */
static size_t
run_of(const char *s, size_t len, size_t i, char c)
{
	size_t	n = 0;

	while (i + n < len && s[i + n] == c)
		n++;
	return n;
}

/* `code` spans of the line s[start, end): blanked, backticks included. */
static void
blank_code_spans(char *s, size_t start, size_t end)
{
	size_t	i = start, n, j;

	while (i < end) {
		if (s[i] != '`') {
			i++;
			continue;
		}
		n = run_of(s, end, i, '`');
		for (j = i + n; j < end; j++) {
			if (s[j] == '`' && run_of(s, end, j, '`') == n)
				break;
			if (s[j] == '`')
				j += run_of(s, end, j, '`') - 1;
		}
		if (j >= end) {
			i += n;		/* no closer: literal backticks */
			continue;
		}
		blank(s, i, j + n);
		i = j + n;
	}
}

/*
 * A copy of text with fenced code blocks (``` or ~~~, indented at most 3
 * spaces, closed by a fence of the same character at least as long, or by
 * the end) and code spans blanked.
 */
char *
langcheck_prose(const char *text, size_t len)
{
	char	*s = xmalloc(len + 1), fc = 0;
	size_t	 p = 0, e, q, run, flen = 0;
	bool	 in = false;

	memcpy(s, text, len);
	s[len] = '\0';
	while (p < len) {
		e = p;
		while (e < len && s[e] != '\n')
			e++;
		q = p;
		while (q < e && q - p < 3 && s[q] == ' ')
			q++;
		run = q < e && (s[q] == '`' || s[q] == '~') ?
		    run_of(s, e, q, s[q]) : 0;
		if (!in && run >= 3) {
			in = true;
			fc = s[q];
			flen = run;
			blank(s, p, e);
		} else if (in) {
			if (run >= flen && s[q] == fc)
				in = false;
			blank(s, p, e);
		} else
			blank_code_spans(s, p, e);
		p = e < len ? e + 1 : e;
	}
	return s;
}

static void
add_line(struct langcheck *lc, bool soft, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
add_line(struct langcheck *lc, bool soft, const char *fmt, ...)
{
	va_list	ap;

	if (lc->n == LANGCHECK_MAX)
		return;
	va_start(ap, fmt);
	lc->line[lc->n].text = xvasprintf(fmt, ap);
	va_end(ap);
	lc->line[lc->n].soft = soft;
	lc->n++;
}

/* Whether a paragraph's result is (or may be) the language ref. */
static bool
is_lang(const struct lang_result *r, const char *ref)
{
	return strcmp(r->code, ref) == 0 ||
	    (r->group != NULL && langid_same_group(r->code, ref));
}

/*
 * The whole answer against the expected language. An answer in another
 * language sets lc->other and returns its label (caller frees; the line
 * is said once check_drift() has found where it starts); a close
 * neighbour gets its soft note here. NULL otherwise.
 */
static char *
check_whole(const char *s, size_t len, const char *expect,
    struct langcheck *lc)
{
	struct lang_result	 r;
	char			*got, *want;

	if (langid_detect(s, len, expect, &r) != 0 || r.code[0] == '\0' ||
	    r.letters < ANSWER_LETTERS)
		return NULL;
	if (r.mismatch) {
		snprintf(lc->other, sizeof lc->other, "%s", r.code);
		/* A group the text cannot split is named whole. */
		return r.group != NULL ? group_label(r.group) :
		    lang_label(r.code);
	}
	/* The expected member won a tie its group could not break, but
	 * without the prior a neighbour scores best. */
	if (r.group != NULL && r.ncand > 0 &&
	    strcmp(r.cand[0].code, expect) != 0 &&
	    langid_same_group(r.cand[0].code, expect)) {
		got = lang_label(r.cand[0].code);
		want = lang_label(expect);
		add_line(lc, true, "answer may be in %s rather than %s: "
		    "the text does not tell %s apart", got, want, r.group);
		snprintf(lc->other, sizeof lc->other, "%s", r.cand[0].code);
		lc->other_soft = true;
		free(got);
		free(want);
	}
	return NULL;
}

/*
 * A switch of language between paragraphs: sets lc->drift_at and
 * lc->drift_lang, and returns whether it is a switch into the language
 * the whole answer is said to be in (lc->other).
 */
static bool
check_drift(const char *s, size_t len, const char *expect,
    struct langcheck *lc)
{
	struct lang_paragraph	*p = NULL;
	const struct lang_result *r;
	const char		*ref = expect;
	size_t			 n = 0, i;
	bool			 seen = false, into_other = false;

	langid_paragraphs(s, len, expect, &p, &n);
	for (i = 0; i < n; i++) {
		r = &p[i].result;
		if (r->uncertain || r->code[0] == '\0' ||
		    r->letters < PROMPT_LETTERS)
			continue;
		if (ref == NULL)
			ref = r->code;	/* the first sure paragraph's */
		if (is_lang(r, ref)) {
			seen = true;
			continue;
		}
		if (!seen || r->letters < DRIFT_LETTERS)
			continue;
		lc->drift_at = i + 1;
		snprintf(lc->drift_lang, sizeof lc->drift_lang, "%s", r->code);
		into_other = lc->other[0] != '\0' && !lc->other_soft &&
		    is_lang(r, lc->other);
		break;
	}
	free(p);
	return into_other;
}

void
langcheck_answer(const char *text, size_t len, const char *expect,
    struct langcheck *lc)
{
	char	*s, *got = NULL, *want, *label, where[48];
	bool	 into_other;

	memset(lc, 0, sizeof *lc);
	if (expect != NULL && (*expect == '\0' || !langid_known(expect)))
		expect = NULL;
	if (text == NULL || len == 0)
		return;
	if (len > CHECK_MAX)
		len = utf8_complete(text, CHECK_MAX);
	s = langcheck_prose(text, len);
	if (expect != NULL)
		got = check_whole(s, len, expect, lc);
	into_other = check_drift(s, len, expect, lc);
	free(s);
	/* An answer in another language from paragraph N on is one line:
	 * "answer is in English (en) from paragraph 3, expected ...". */
	if (got != NULL) {
		where[0] = '\0';
		if (into_other)
			snprintf(where, sizeof where, " from paragraph %zu",
			    lc->drift_at);
		want = lang_label(expect);
		add_line(lc, false, "answer is in %s%s, expected %s", got,
		    where, want);
		free(got);
		free(want);
	}
	if (lc->drift_at > 0 && !into_other) {
		label = lang_label(lc->drift_lang);
		add_line(lc, false, "switches to %s at paragraph %zu", label,
		    lc->drift_at);
		free(label);
	}
}

void
langcheck_release(struct langcheck *lc)
{
	size_t	i;

	for (i = 0; i < lc->n; i++)
		free(lc->line[i].text);
	memset(lc, 0, sizeof *lc);
}

int
langcheck_prompt(const char *prompt, size_t len, char code[4])
{
	struct lang_result	r;
	char			*s;

	if (len > CHECK_MAX)
		len = utf8_complete(prompt, CHECK_MAX);
	s = langcheck_prose(prompt, len);
	langid_detect(s, len, NULL, &r);
	free(s);
	if (r.uncertain || r.group != NULL || r.code[0] == '\0' ||
	    r.letters < PROMPT_LETTERS || r.confidence < PROMPT_CONF)
		return -1;
	snprintf(code, 4, "%s", r.code);
	return 0;
}
