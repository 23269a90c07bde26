/*
 * lang/fold.c - search folding and the word splitter of the search index.
 *
 * Folding runs per code point: utf8proc gives full case folding plus
 * compatibility decomposition with the combining marks stripped, then a
 * small table maps the letters whose mark is part of the letter itself
 * (Polish ł, Nordic ø, Croatian đ, Maltese ħ, Turkish ı, Icelandic þ ð, the
 * ligatures æ œ). ASCII takes a fast path: the search index folds every
 * byte of every message, and most of it is ASCII.
 */
#include "config.h"

#include <string.h>

#include <utf8proc.h>

#include "lang/lang.h"

#define FOLD_OPTIONS (UTF8PROC_CASEFOLD | UTF8PROC_COMPAT | \
	UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK)

/* Letters that keep their mark after decomposition, in folded (lower)
 * case; the capitals reach here already case folded. */
static const struct {
	int32_t		 cp;
	const char	*to;
} fold_extra[] = {
	{ 0x00E6, "ae" },	/* æ */
	{ 0x00F0, "d" },	/* ð */
	{ 0x00F8, "o" },	/* ø */
	{ 0x00FE, "th" },	/* þ */
	{ 0x0111, "d" },	/* đ */
	{ 0x0127, "h" },	/* ħ */
	{ 0x0131, "i" },	/* ı */
	{ 0x0142, "l" },	/* ł */
	{ 0x0153, "oe" },	/* œ */
	{ 0x0167, "t" },	/* ŧ */
	{ 0x0180, "b" },	/* ƀ */
	{ 0x0188, "c" },	/* ƈ */
	{ 0x0268, "i" },	/* ɨ */
};

static const char *
extra_lookup(int32_t cp)
{
	size_t	lo = 0, mid;
	size_t	hi = sizeof fold_extra / sizeof fold_extra[0];

	if (cp < 0xE6 || cp > 0x268)
		return (NULL);
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (fold_extra[mid].cp == cp)
			return (fold_extra[mid].to);
		if (fold_extra[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (NULL);
}

static bool
is_word_category(int32_t cp)
{
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO:
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
		return (true);
	default:
		return (false);
	}
}

/* Scripts written without spaces between words: one character, one word. */
static bool
is_ideographic(int32_t cp)
{
	return ((cp >= 0x2E80 && cp <= 0x2FDF) ||	/* radicals */
	    (cp >= 0x3040 && cp <= 0x30FF) ||		/* kana */
	    (cp >= 0x3400 && cp <= 0x4DBF) ||		/* Han ext A */
	    (cp >= 0x4E00 && cp <= 0x9FFF) ||		/* Han */
	    (cp >= 0xF900 && cp <= 0xFAFF) ||		/* compatibility */
	    (cp >= 0x20000 && cp <= 0x3134F));		/* Han ext B-G */
}

/*
 * Fold one code point into dst (at most cap bytes). Returns the number of
 * bytes written; output that does not fit is dropped at a character
 * boundary. words_only drops every output character that is not a letter
 * or a digit (a compatibility decomposition may bring punctuation, as
 * Catalan ŀ -> l·).
 */
static size_t
fold_cp(int32_t cp, char *dst, size_t cap, bool words_only)
{
	utf8proc_int32_t	 tmp[32];
	utf8proc_ssize_t	 n, i;
	utf8proc_uint8_t	 enc[4];
	const char		*extra;
	size_t			 used = 0, l, elen;

	if (cp < 0x80) {
		if (cap < 1)
			return (0);
		if (cp >= 'A' && cp <= 'Z')
			cp += 'a' - 'A';
		dst[0] = (char)cp;
		return (1);
	}
	n = utf8proc_decompose_char(cp, tmp, 32, FOLD_OPTIONS, NULL);
	if (n < 0 || n > 32) {
		tmp[0] = cp;
		n = 1;
	}
	for (i = 0; i < n; i++) {
		if ((extra = extra_lookup(tmp[i])) != NULL) {
			elen = strlen(extra);
			if (used + elen > cap)
				break;
			memcpy(dst + used, extra, elen);
			used += elen;
			continue;
		}
		if (words_only && !is_word_category(tmp[i]))
			continue;
		l = (size_t)utf8proc_encode_char(tmp[i], enc);
		if (used + l > cap)
			break;
		memcpy(dst + used, enc, l);
		used += l;
	}
	return (used);
}

/* Decode one code point; an invalid byte reads as -1 of length 1. */
static size_t
next_cp(const char *s, size_t len, int32_t *cp)
{
	utf8proc_ssize_t	n;

	if ((unsigned char)s[0] < 0x80) {
		*cp = (unsigned char)s[0];
		return (1);
	}
	n = utf8proc_iterate((const utf8proc_uint8_t *)s,
	    (utf8proc_ssize_t)(len > 4 ? 4 : len), cp);
	if (n <= 0) {
		*cp = -1;
		return (1);
	}
	return ((size_t)n);
}

int
lang_fold(const char *s, size_t len, struct buf *out)
{
	char	tmp[128];
	size_t	off = 0, n, l;
	int32_t	cp;

	while (off < len) {
		n = next_cp(s + off, len - off, &cp);
		if (cp < 0)
			cp = 0xFFFD;
		l = fold_cp(cp, tmp, sizeof tmp, false);
		if (buf_add(out, tmp, l) != 0)
			return (-1);
		off += n;
	}
	return (0);
}

int
lang_tokenize(const char *s, size_t len, lang_token_cb cb, void *arg)
{
	char	tok[LANG_TOKEN_MAX];
	size_t	off = 0, n, tlen = 0, start = 0, end = 0;
	bool	in_word = false, full = false;
	int32_t	cp;
	int	r;

	while (off < len) {
		n = next_cp(s + off, len - off, &cp);
		if (cp >= 0 && !is_ideographic(cp) &&
		    (cp < 0x80 ? ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') ||
		    (cp >= '0' && cp <= '9') : is_word_category(cp))) {
			if (!in_word) {
				in_word = true;
				full = false;
				tlen = 0;
				start = off;
			}
			if (!full) {
				size_t l = fold_cp(cp, tok + tlen,
				    sizeof tok - tlen, true);
				tlen += l;
				if (tlen + 4 > sizeof tok)
					full = true;
			}
			off += n;
			end = off;
			continue;
		}
		if (in_word) {
			in_word = false;
			if (tlen > 0 &&
			    (r = cb(arg, tok, tlen, start, end)) != 0)
				return (r);
		}
		if (cp >= 0 && is_ideographic(cp)) {
			tlen = fold_cp(cp, tok, sizeof tok, true);
			if (tlen > 0 &&
			    (r = cb(arg, tok, tlen, off, off + n)) != 0)
				return (r);
		}
		off += n;
	}
	if (in_word && tlen > 0 && (r = cb(arg, tok, tlen, start, end)) != 0)
		return (r);
	return (0);
}
