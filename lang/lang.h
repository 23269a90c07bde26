/*
 * lang/lang.h - language-aware text analysis.
 *
 * lang/ includes core/ only. It holds search folding and the word
 * splitter the history search index uses (lang/fold.c), language
 * identification for 38 European languages (lang/langid.c) and the script
 * and Unicode-hygiene checks (lang/script.c); callers include this header
 * only.
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


/* ---------------------------------------------------------------- */
/*
 * Scripts (lang/script.c). A compact table of the ranges tolk cares
 * about; everything else is SCRIPT_OTHER. Digits, punctuation and spaces
 * are SCRIPT_COMMON, combining marks SCRIPT_INHERITED (they take the
 * script of the letter they sit on).
 */
enum lang_script {
	SCRIPT_NONE = 0,
	SCRIPT_COMMON,
	SCRIPT_INHERITED,
	SCRIPT_LATIN,
	SCRIPT_GREEK,
	SCRIPT_CYRILLIC,
	SCRIPT_ARMENIAN,
	SCRIPT_GEORGIAN,
	SCRIPT_HEBREW,
	SCRIPT_ARABIC,
	SCRIPT_CJK,		/* Han, kana, hangul, bopomofo */
	SCRIPT_OTHER,
	SCRIPT_COUNT
};

/* The script of one code point. */
enum lang_script	 script_of(int32_t cp);
/* "Latin", "Greek", ... ("None" for SCRIPT_NONE). Never NULL. */
const char		*script_name(enum lang_script);

/*
 * A word is a run of letters and combining marks (and apostrophes or
 * hyphens between letters). script_words() calls cb for every word with
 * its byte span and the set of letter scripts it uses (bit 1 << script;
 * Common and Inherited never appear). Returns 0 or the first non-zero
 * value of cb.
 */
typedef int (*script_word_cb)(void *arg, size_t start, size_t end,
    unsigned scripts);
int	script_words(const char *s, size_t len, script_word_cb cb, void *arg);

/*
 * The hygiene report of a text: what a reader cannot see or could be
 * fooled by. Every finding has a byte span [start, end) in the text.
 *   HYGIENE_MIXED_SCRIPT  a word with letters of two scripts (раypal)
 *   HYGIENE_CONFUSABLE    one letter that looks like a letter of the
 *                         word's main script (Cyrillic а in a Latin word),
 *                         or the Greek question mark U+037E
 *   HYGIENE_INVISIBLE     zero-width and other invisible characters (ZWSP,
 *                         ZWNJ, WJ, BOM, soft hyphen, tags, ...; a ZWJ
 *                         between emoji is not counted)
 *   HYGIENE_BIDI          bidi embedding, override and isolate controls,
 *                         LRM/RLM/ALM
 *   HYGIENE_NOT_NFC       a span that NFC normalisation would change
 */
enum hygiene_kind {
	HYGIENE_MIXED_SCRIPT,
	HYGIENE_CONFUSABLE,
	HYGIENE_INVISIBLE,
	HYGIENE_BIDI,
	HYGIENE_NOT_NFC,
	HYGIENE_NKINDS
};

struct hygiene_item {
	enum hygiene_kind	 kind;
	size_t			 start;	/* bytes, [start, end) */
	size_t			 end;
	int32_t			 cp;	/* the character, for single ones; -1 */
	unsigned		 scripts; /* mixed-script words: the scripts */
};

struct hygiene_report {
	size_t			 count[HYGIENE_NKINDS];
	bool			 nfc;		/* the whole text is NFC */
	unsigned		 scripts;	/* letter scripts used */
	enum lang_script	 main_script;	/* most letters */
	struct hygiene_item	*items;		/* in text order */
	size_t			 nitems;
	bool			 truncated;	/* more than HYGIENE_MAX_ITEMS */
};

#define HYGIENE_MAX_ITEMS 10000

/* Check text and fill *r (which hygiene_release() must free). Counts are
 * exact even when the item list is truncated. */
void		 hygiene_check(const char *s, size_t len,
		     struct hygiene_report *r);
void		 hygiene_release(struct hygiene_report *r);
/* "mixed-script", "confusable", "invisible", "bidi", "not-nfc". */
const char	*hygiene_kind_name(enum hygiene_kind);
/* A short name for an invisible or bidi character ("ZWSP", "RLO"), or
 * NULL. */
const char	*hygiene_char_name(int32_t cp);

/* ---------------------------------------------------------------- */
/*
 * Language identification (lang/langid.c).
 *
 * Method: the dominant letter script first (Greek is el; Cyrillic narrows
 * to bg mk ru sr uk; Latin to the other 33 and sr); then letters unique to
 * one language or a small set; then per-language character n-gram
 * log-probabilities (orders 1 to 5, and whole words; naive Bayes,
 * quantised tables built by tools/langid/train.py from Debian packages);
 * then, when given, a prior for the expected language.
 */

#define LANGID_NCAND	3

struct lang_candidate {
	char	code[4];	/* ISO 639-1, NUL-terminated */
	double	confidence;	/* 0..1 */
};

struct lang_result {
	char			code[4];	/* best, or "" when none */
	double			confidence;	/* of code, 0..1 */
	/* Too short, too little margin, or not a supported script: the
	 * code is a guess (or empty). */
	bool			uncertain;
	/* The close group ("hr/bs/sr", "nb/nn/da", "cs/sk", "gl/pt",
	 * "ca/es", "bg/mk") when code belongs to one and the evidence
	 * cannot separate its members; else NULL. Static storage. */
	const char		*group;
	enum lang_script	script;		/* dominant letter script */
	size_t			letters;	/* letters looked at */
	/* Set by langid_detect() with an expect code: the best language
	 * is neither the expected one nor, when uncertain, in its group. */
	bool			mismatch;
	int			ncand;
	struct lang_candidate	cand[LANGID_NCAND];	/* best first */
};

/*
 * Identify the language of s[0..len). expect, when not NULL, is the
 * language the caller expects (a prior of about 4:1 in its favour, and
 * the winner of a close group it belongs to). Returns 0, or -1 when
 * expect is not a supported code (r is still filled, without the prior).
 * Texts under 3 letters are uncertain with no code. Only the first
 * LANGID_MAX_BYTES bytes are read.
 */
#define LANGID_MAX_BYTES (256 * 1024)
int	langid_detect(const char *s, size_t len, const char *expect,
	    struct lang_result *r);

/* A paragraph (text between blank lines, or one list item) and its
 * language. */
struct lang_paragraph {
	size_t			start;	/* bytes, [start, end) */
	size_t			end;
	struct lang_result	result;
};

/*
 * Split s into paragraphs (separated by lines that are empty or only
 * spaces; each markdown list item is a paragraph of its own, so a list
 * that shows one phrase per language is not read as one mixed text) and
 * identify each. *out is allocated (free() it), *n set;
 * paragraphs without letters are skipped. Returns 0, or -1 for an
 * unsupported expect (as langid_detect).
 */
int	langid_paragraphs(const char *s, size_t len, const char *expect,
	    struct lang_paragraph **out, size_t *n);

/* The number of supported languages and the code of each (sorted). */
size_t		 langid_count(void);
const char	*langid_code_at(size_t);
/* True for a supported ISO 639-1 code. */
bool		 langid_known(const char *code);
/* English name of a supported code ("Slovenian"), or NULL. */
const char	*langid_name(const char *code);
/* The close group of code ("hr/bs/sr"), or NULL. */
const char	*langid_group(const char *code);
/* True when a and b are the same language or in the same close group. */
bool		 langid_same_group(const char *a, const char *b);

#endif
