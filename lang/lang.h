/*
 * lang/lang.h - language-aware text analysis.
 *
 * lang/ includes core/ only. Today it holds search folding and the word
 * splitter the history search index uses; language identification and
 * script checks will join it (each as its own section below, each in its
 * own .c file), so callers include this header only.
 *
 * All text is UTF-8. Invalid bytes never stop the functions: they are
 * treated as separators (tokenizer) or copied as U+FFFD (folding).
 */
#ifndef TOLK_LANG_H
#define TOLK_LANG_H

#include "core/core.h"

/* ---------------------------------------------------------------- */
/*
 * Folding for search (lang/fold.c).
 *
 * Two strings that a reader of any European language would call "the same
 * word typed without care" fold to the same bytes:
 *   - full Unicode case folding (utf8proc): STRASSE, Straße -> strasse;
 *     Greek final sigma becomes sigma;
 *   - compatibility decomposition, then every combining mark removed:
 *     Łódź -> lodz after the next step, češnja -> cesnja,
 *     Ελληνικά -> ελληνικα, ﬁ -> fi;
 *   - the letters that carry their mark inside and do not decompose are
 *     mapped: ł->l ø->o đ->d ħ->h ŧ->t ı->i æ->ae œ->oe þ->th ð->d (and
 *     their capitals, through case folding).
 * The folding is the same for indexed text and for queries, which is all
 * search needs; it is not meant to be shown to people.
 */

/* Append the folding of s[0..len) to out. Characters that are not letters
 * or digits are kept (folded by case only). -1 when out's limit is hit. */
int	lang_fold(const char *s, size_t len, struct buf *out);

/*
 * A word of text, as lang_tokenize() hands it over: the folded form
 * (folded, flen bytes, not NUL-terminated, valid only during the call) and
 * the byte span [start, end) of the original word in the input, so a
 * snippet can mark the original text.
 */
typedef int (*lang_token_cb)(void *arg, const char *folded, size_t flen,
    size_t start, size_t end);

/* The longest folded word, in bytes; longer words are cut at a character
 * boundary (the same way for index and query, so they still match). */
#define LANG_TOKEN_MAX 256

/*
 * Split s[0..len) into words and call cb for each with its folding. A word
 * is a run of letters, digits and combining marks (Unicode general
 * categories L*, N*, M*); everything else separates words. A Han, kana or
 * other ideographic character is a word by itself, since those scripts do
 * not separate words with spaces. Words that fold to nothing are skipped.
 * Returns 0, or the first non-zero value cb returned (which stops the
 * walk).
 */
int	lang_tokenize(const char *s, size_t len, lang_token_cb cb,
	    void *arg);

#endif
