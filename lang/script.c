/*
 * lang/script.c - the script of each character and word, and the hygiene
 * report: words that mix letter scripts, look-alike letters, invisible
 * characters, bidi controls and text that is not in NFC.
 *
 * utf8proc 2.6 has no script property, so the ranges tolk cares about are
 * in a small sorted table here (from the Unicode Scripts.txt blocks of
 * those scripts); categories and normalisation come from utf8proc.
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "core/core.h"
#include "lang/lang.h"

static const struct {
	int32_t			lo, hi;
	enum lang_script	script;
} ranges[] = {
	{ 0x0041, 0x005a, SCRIPT_LATIN },
	{ 0x0061, 0x007a, SCRIPT_LATIN },
	{ 0x00aa, 0x00aa, SCRIPT_LATIN },
	{ 0x00ba, 0x00ba, SCRIPT_LATIN },
	{ 0x00c0, 0x00d6, SCRIPT_LATIN },
	{ 0x00d8, 0x00f6, SCRIPT_LATIN },
	{ 0x00f8, 0x02b8, SCRIPT_LATIN },
	{ 0x02e0, 0x02e4, SCRIPT_LATIN },
	{ 0x0300, 0x036f, SCRIPT_INHERITED },
	{ 0x0370, 0x0373, SCRIPT_GREEK },
	{ 0x0375, 0x0377, SCRIPT_GREEK },
	{ 0x037a, 0x037d, SCRIPT_GREEK },
	{ 0x037f, 0x0383, SCRIPT_GREEK },
	{ 0x0384, 0x0384, SCRIPT_GREEK },
	{ 0x0386, 0x0386, SCRIPT_GREEK },
	{ 0x0388, 0x03e1, SCRIPT_GREEK },
	{ 0x03e2, 0x03ef, SCRIPT_OTHER },	/* Coptic */
	{ 0x03f0, 0x03ff, SCRIPT_GREEK },
	{ 0x0400, 0x0484, SCRIPT_CYRILLIC },
	{ 0x0485, 0x0486, SCRIPT_INHERITED },
	{ 0x0487, 0x052f, SCRIPT_CYRILLIC },
	{ 0x0531, 0x058f, SCRIPT_ARMENIAN },
	{ 0x0591, 0x05ff, SCRIPT_HEBREW },
	{ 0x0600, 0x06ff, SCRIPT_ARABIC },
	{ 0x0750, 0x077f, SCRIPT_ARABIC },
	{ 0x08a0, 0x08ff, SCRIPT_ARABIC },
	{ 0x10a0, 0x10ff, SCRIPT_GEORGIAN },
	{ 0x1100, 0x11ff, SCRIPT_CJK },
	{ 0x1c80, 0x1c8f, SCRIPT_CYRILLIC },
	{ 0x1c90, 0x1cbf, SCRIPT_GEORGIAN },
	{ 0x1d00, 0x1d25, SCRIPT_LATIN },
	{ 0x1d26, 0x1d2a, SCRIPT_GREEK },
	{ 0x1d2b, 0x1d2b, SCRIPT_CYRILLIC },
	{ 0x1d2c, 0x1d5c, SCRIPT_LATIN },
	{ 0x1d5d, 0x1d61, SCRIPT_GREEK },
	{ 0x1d62, 0x1d65, SCRIPT_LATIN },
	{ 0x1d66, 0x1d6a, SCRIPT_GREEK },
	{ 0x1d6b, 0x1d77, SCRIPT_LATIN },
	{ 0x1d78, 0x1d78, SCRIPT_CYRILLIC },
	{ 0x1d79, 0x1dbe, SCRIPT_LATIN },
	{ 0x1dbf, 0x1dbf, SCRIPT_GREEK },
	{ 0x1dc0, 0x1dff, SCRIPT_INHERITED },
	{ 0x1e00, 0x1eff, SCRIPT_LATIN },
	{ 0x1f00, 0x1ffe, SCRIPT_GREEK },
	{ 0x200c, 0x200d, SCRIPT_INHERITED },
	{ 0x20d0, 0x20ff, SCRIPT_INHERITED },
	{ 0x2126, 0x2126, SCRIPT_GREEK },
	{ 0x212a, 0x212b, SCRIPT_LATIN },
	{ 0x2c60, 0x2c7f, SCRIPT_LATIN },
	{ 0x2d00, 0x2d2f, SCRIPT_GEORGIAN },
	{ 0x2de0, 0x2dff, SCRIPT_CYRILLIC },
	{ 0x2e80, 0x2fdf, SCRIPT_CJK },
	{ 0x3005, 0x3007, SCRIPT_CJK },
	{ 0x3021, 0x3029, SCRIPT_CJK },
	{ 0x3041, 0x3096, SCRIPT_CJK },
	{ 0x3099, 0x309a, SCRIPT_INHERITED },
	{ 0x309d, 0x30ff, SCRIPT_CJK },
	{ 0x3105, 0x318f, SCRIPT_CJK },
	{ 0x31a0, 0x31ff, SCRIPT_CJK },
	{ 0x3400, 0x4dbf, SCRIPT_CJK },
	{ 0x4e00, 0x9fff, SCRIPT_CJK },
	{ 0xa640, 0xa69f, SCRIPT_CYRILLIC },
	{ 0xa720, 0xa721, SCRIPT_COMMON },
	{ 0xa722, 0xa7ff, SCRIPT_LATIN },
	{ 0xab30, 0xab5a, SCRIPT_LATIN },
	{ 0xab5c, 0xab64, SCRIPT_LATIN },
	{ 0xab65, 0xab65, SCRIPT_GREEK },
	{ 0xac00, 0xd7ff, SCRIPT_CJK },
	{ 0xf900, 0xfaff, SCRIPT_CJK },
	{ 0xfb00, 0xfb06, SCRIPT_LATIN },
	{ 0xfb13, 0xfb17, SCRIPT_ARMENIAN },
	{ 0xfb1d, 0xfb4f, SCRIPT_HEBREW },
	{ 0xfb50, 0xfdff, SCRIPT_ARABIC },
	{ 0xfe00, 0xfe0f, SCRIPT_INHERITED },
	{ 0xfe20, 0xfe2f, SCRIPT_INHERITED },
	{ 0xfe70, 0xfefc, SCRIPT_ARABIC },
	{ 0xff21, 0xff3a, SCRIPT_LATIN },
	{ 0xff41, 0xff5a, SCRIPT_LATIN },
	{ 0xff66, 0xffdc, SCRIPT_CJK },
	{ 0x10780, 0x107ba, SCRIPT_LATIN },
	{ 0x1df00, 0x1dfff, SCRIPT_LATIN },
	{ 0x1e030, 0x1e08f, SCRIPT_CYRILLIC },
	{ 0x20000, 0x3134f, SCRIPT_CJK },
	{ 0xe0100, 0xe01ef, SCRIPT_INHERITED },
};

static const char *script_names[SCRIPT_COUNT] = {
	"None", "Common", "Inherited", "Latin", "Greek", "Cyrillic",
	"Armenian", "Georgian", "Hebrew", "Arabic", "CJK", "Other"
};

enum lang_script
script_of(int32_t cp)
{
	size_t			lo = 0, hi = sizeof ranges / sizeof ranges[0];
	utf8proc_category_t	cat;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (cp < ranges[mid].lo)
			hi = mid;
		else if (cp > ranges[mid].hi)
			lo = mid + 1;
		else
			return ranges[mid].script;
	}
	cat = utf8proc_category(cp);
	if (cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME)
		return SCRIPT_INHERITED;
	if (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO)
		return SCRIPT_OTHER;
	if (cat == UTF8PROC_CATEGORY_NL)
		return SCRIPT_OTHER;
	return SCRIPT_COMMON;
}

const char *
script_name(enum lang_script s)
{
	if ((int)s < 0 || s >= SCRIPT_COUNT)
		return "None";
	return script_names[s];
}

/* Decode one character at s[i]; invalid bytes are U+FFFD, one byte. */
static size_t
decode(const char *s, size_t len, size_t i, int32_t *cp)
{
	utf8proc_ssize_t n;

	n = utf8proc_iterate((const uint8_t *)s + i,
	    (utf8proc_ssize_t)(len - i), cp);
	if (n <= 0) {
		*cp = 0xfffd;
		return 1;
	}
	return (size_t)n;
}

static bool
is_word_char(int32_t cp)
{
	utf8proc_category_t	cat = utf8proc_category(cp);

	return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_ME;
}

static bool
is_joiner(int32_t cp)
{
	return cp == '\'' || cp == 0x2019 || cp == '-' || cp == 0xb7;
}

static unsigned
letter_bit(enum lang_script s)
{
	if (s == SCRIPT_COMMON || s == SCRIPT_INHERITED || s == SCRIPT_NONE)
		return 0;
	return 1u << s;
}

int
script_words(const char *s, size_t len, script_word_cb cb, void *arg)
{
	size_t		 i = 0, start = 0, n, last = 0;
	int32_t		 cp, next;
	unsigned	 mask = 0;
	bool		 in = false;
	int		 ret;

	while (i < len) {
		n = decode(s, len, i, &cp);
		if (is_word_char(cp)) {
			if (!in) {
				in = true;
				start = i;
				mask = 0;
			}
			mask |= letter_bit(script_of(cp));
			last = i + n;
		} else if (in && is_joiner(cp) && i + n < len &&
		    (decode(s, len, i + n, &next), is_word_char(next))) {
			/* an apostrophe or hyphen between letters */
		} else if (in) {
			in = false;
			if ((ret = cb(arg, start, last, mask)) != 0)
				return ret;
		}
		i += n;
	}
	if (in)
		return cb(arg, start, last, mask);
	return 0;
}

/* ---------------------------------------------------------------- */

static const struct {
	int32_t		 cp;
	const char	*name;
	bool		 bidi;
} specials[] = {
	{ 0x00ad, "SHY", false },
	{ 0x034f, "CGJ", false },
	{ 0x061c, "ALM", true },
	{ 0x115f, "HCF", false },
	{ 0x1160, "HJF", false },
	{ 0x17b4, "KIVAQ", false },
	{ 0x17b5, "KIVAA", false },
	{ 0x180e, "MVS", false },
	{ 0x200b, "ZWSP", false },
	{ 0x200c, "ZWNJ", false },
	{ 0x200d, "ZWJ", false },
	{ 0x200e, "LRM", true },
	{ 0x200f, "RLM", true },
	{ 0x202a, "LRE", true },
	{ 0x202b, "RLE", true },
	{ 0x202c, "PDF", true },
	{ 0x202d, "LRO", true },
	{ 0x202e, "RLO", true },
	{ 0x2060, "WJ", false },
	{ 0x2061, "FA", false },
	{ 0x2062, "IT", false },
	{ 0x2063, "IS", false },
	{ 0x2064, "IP", false },
	{ 0x2066, "LRI", true },
	{ 0x2067, "RLI", true },
	{ 0x2068, "FSI", true },
	{ 0x2069, "PDI", true },
	{ 0x3164, "HF", false },
	{ 0xfeff, "BOM", false },
	{ 0xffa0, "HWHF", false },
};

/* -1: not special; 0: invisible; 1: bidi. */
static int
special_kind(int32_t cp, const char **name)
{
	size_t	lo = 0, hi = sizeof specials / sizeof specials[0];

	if (cp >= 0xe0000 && cp <= 0xe007f) {
		*name = "TAG";
		return 0;
	}
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (cp < specials[mid].cp)
			hi = mid;
		else if (cp > specials[mid].cp)
			lo = mid + 1;
		else {
			*name = specials[mid].name;
			return specials[mid].bidi ? 1 : 0;
		}
	}
	return -1;
}

const char *
hygiene_char_name(int32_t cp)
{
	const char	*name = NULL;

	if (special_kind(cp, &name) < 0)
		return NULL;
	return name;
}

const char *
hygiene_kind_name(enum hygiene_kind k)
{
	switch (k) {
	case HYGIENE_MIXED_SCRIPT:
		return "mixed-script";
	case HYGIENE_CONFUSABLE:
		return "confusable";
	case HYGIENE_INVISIBLE:
		return "invisible";
	case HYGIENE_BIDI:
		return "bidi";
	case HYGIENE_NOT_NFC:
		return "not-nfc";
	default:
		return "unknown";
	}
}

/*
 * Letters that look like a Latin letter, in Cyrillic and Greek; and the
 * Latin letters that look like a Cyrillic or Greek one. A letter of one
 * of these sets inside a word whose other letters are of the other
 * script is a confusable.
 */
static const int32_t lookalike_cyrillic[] = {
	0x0405, 0x0406, 0x0408, 0x0410, 0x0412, 0x0415, 0x041a, 0x041c,
	0x041d, 0x041e, 0x0420, 0x0421, 0x0422, 0x0423, 0x0425, 0x0430,
	0x0435, 0x043e, 0x0440, 0x0441, 0x0443, 0x0445, 0x0455, 0x0456,
	0x0458, 0x04bb, 0x04c0, 0x0501,
};
static const int32_t lookalike_greek[] = {
	0x0391, 0x0392, 0x0395, 0x0396, 0x0397, 0x0399, 0x039a, 0x039c,
	0x039d, 0x039f, 0x03a1, 0x03a4, 0x03a5, 0x03a7, 0x03b1, 0x03b9,
	0x03ba, 0x03bd, 0x03bf, 0x03c1, 0x03c5,
};
static const char lookalike_latin[] = "AaBCcEeHIiJjKMOoPpSsTXxYy";

static bool
in_set(const int32_t *set, size_t n, int32_t cp)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (set[i] == cp)
			return true;
	}
	return false;
}

static bool
looks_foreign(int32_t cp, enum lang_script own, enum lang_script main)
{
	if (main == SCRIPT_LATIN && own == SCRIPT_CYRILLIC)
		return in_set(lookalike_cyrillic, sizeof lookalike_cyrillic /
		    sizeof lookalike_cyrillic[0], cp);
	if (main == SCRIPT_LATIN && own == SCRIPT_GREEK)
		return in_set(lookalike_greek, sizeof lookalike_greek /
		    sizeof lookalike_greek[0], cp);
	if ((main == SCRIPT_CYRILLIC || main == SCRIPT_GREEK) &&
	    own == SCRIPT_LATIN)
		return cp < 0x80 && strchr(lookalike_latin, (int)cp) != NULL;
	return false;
}

static void
add_item(struct hygiene_report *r, size_t *cap, enum hygiene_kind kind,
    size_t start, size_t end, int32_t cp, unsigned scripts)
{
	r->count[kind]++;
	if (r->nitems >= HYGIENE_MAX_ITEMS) {
		r->truncated = true;
		return;
	}
	if (r->nitems == *cap) {
		*cap = *cap == 0 ? 16 : *cap * 2;
		r->items = xrealloc(r->items, *cap * sizeof *r->items);
	}
	r->items[r->nitems].kind = kind;
	r->items[r->nitems].start = start;
	r->items[r->nitems].end = end;
	r->items[r->nitems].cp = cp;
	r->items[r->nitems].scripts = scripts;
	r->nitems++;
}

struct word_ctx {
	const char		*s;
	struct hygiene_report	*r;
	size_t			*cap;
	size_t			 per_script[SCRIPT_COUNT];
};

/* A mixed-script word, then its look-alike letters. */
static int
check_word(void *arg, size_t start, size_t end, unsigned scripts)
{
	struct word_ctx		*w = arg;
	size_t			 counts[SCRIPT_COUNT] = { 0 };
	size_t			 i, n;
	int32_t			 cp;
	enum lang_script	 main = SCRIPT_NONE, own;

	for (i = start; i < end; i += n) {
		n = decode(w->s, end, i, &cp);
		own = script_of(cp);
		counts[own]++;
		w->per_script[own]++;
	}
	w->r->scripts |= scripts;
	if ((scripts & (scripts - 1)) == 0)
		return 0;
	add_item(w->r, w->cap, HYGIENE_MIXED_SCRIPT, start, end, -1,
	    scripts);
	for (i = SCRIPT_LATIN; i < SCRIPT_COUNT; i++) {
		if (counts[i] > counts[main])
			main = (enum lang_script)i;
	}
	for (i = start; i < end; i += n) {
		n = decode(w->s, end, i, &cp);
		own = script_of(cp);
		if (own != main && looks_foreign(cp, own, main))
			add_item(w->r, w->cap, HYGIENE_CONFUSABLE, i, i + n,
			    cp, 1u << own);
	}
	return 0;
}

static bool
is_emoji(int32_t cp)
{
	return (cp >= 0x1f000 && cp <= 0x1faff) ||
	    (cp >= 0x2600 && cp <= 0x27bf) || cp == 0x2764 || cp == 0xfe0f;
}

/* Does s[start..end) change under NFC? */
static bool
changes_under_nfc(const char *s, size_t start, size_t end)
{
	uint8_t			*out = NULL;
	utf8proc_ssize_t	 n;
	bool			 changed;

	n = utf8proc_map((const uint8_t *)s + start,
	    (utf8proc_ssize_t)(end - start), &out,
	    UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (n < 0)
		return false;
	changed = (size_t)n != end - start ||
	    memcmp(out, s + start, end - start) != 0;
	free(out);
	return changed;
}

/* A run of one starter and the characters that may combine with it. */
static void
check_nfc(const char *s, size_t len, struct hygiene_report *r, size_t *cap)
{
	size_t		 i = 0, n, start, end, span_s = 0, span_e = 0;
	int32_t		 cp;
	bool		 span = false, simple;
	const utf8proc_property_t *p;

	while (i < len) {
		start = i;
		n = decode(s, len, i, &cp);
		simple = cp < 0x300;
		i += n;
		while (i < len) {
			n = decode(s, len, i, &cp);
			p = utf8proc_get_property(cp);
			if (p->combining_class == 0 &&
			    !(cp >= 0x1161 && cp <= 0x11ff) &&
			    !(cp >= 0x300 && cp <= 0x36f))
				break;
			simple = false;
			i += n;
		}
		end = i;
		if (simple || !changes_under_nfc(s, start, end))
			continue;
		if (span && span_e == start) {
			span_e = end;
			continue;
		}
		if (span)
			add_item(r, cap, HYGIENE_NOT_NFC, span_s, span_e, -1, 0);
		span = true;
		span_s = start;
		span_e = end;
	}
	if (span)
		add_item(r, cap, HYGIENE_NOT_NFC, span_s, span_e, -1, 0);
}

static int
cmp_items(const void *a, const void *b)
{
	const struct hygiene_item *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (int)x->kind - (int)y->kind;
}

void
hygiene_check(const char *s, size_t len, struct hygiene_report *r)
{
	struct word_ctx	 w;
	size_t		 cap = 0, i = 0, n, k;
	int32_t		 cp, prev = 0, next;
	const char	*name;
	int		 kind;

	memset(r, 0, sizeof *r);
	memset(&w, 0, sizeof w);
	w.s = s;
	w.r = r;
	w.cap = &cap;
	if (s == NULL)
		len = 0;
	script_words(s, len, check_word, &w);
	while (i < len) {
		n = decode(s, len, i, &cp);
		if (cp == 0x037e)	/* GREEK QUESTION MARK, looks like ';' */
			add_item(r, &cap, HYGIENE_CONFUSABLE, i, i + n, cp, 0);
		kind = special_kind(cp, &name);
		if (kind == 1)
			add_item(r, &cap, HYGIENE_BIDI, i, i + n, cp, 0);
		else if (kind == 0) {
			next = 0;
			if (i + n < len)
				decode(s, len, i + n, &next);
			/* ZWJ inside an emoji sequence is how emoji work */
			if (!(cp == 0x200d && is_emoji(prev) && is_emoji(next)))
				add_item(r, &cap, HYGIENE_INVISIBLE, i, i + n,
				    cp, 0);
		}
		prev = cp;
		i += n;
	}
	check_nfc(s, len, r, &cap);
	r->nfc = r->count[HYGIENE_NOT_NFC] == 0;
	r->main_script = SCRIPT_NONE;
	for (k = SCRIPT_LATIN; k < SCRIPT_COUNT; k++) {
		if (w.per_script[k] > w.per_script[r->main_script])
			r->main_script = (enum lang_script)k;
	}
	if (r->nitems > 1)
		qsort(r->items, r->nitems, sizeof *r->items, cmp_items);
}

void
hygiene_release(struct hygiene_report *r)
{
	free(r->items);
	r->items = NULL;
	r->nitems = 0;
}
