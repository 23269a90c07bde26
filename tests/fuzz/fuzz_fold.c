/*
 * tests/fuzz/fuzz_fold.c - fuzz target for search folding and the word
 * splitter of the search index (lang/fold.c).
 *
 * The input is the text. Promises checked (lang.h): lang_fold() appends
 * valid UTF-8; lang_tokenize() hands over words in order, each a byte span
 * [start, end) inside the text that does not overlap the one before, with
 * a folding of 1..LANG_TOKEN_MAX bytes of valid UTF-8 that holds a word
 * itself (a query typed in folded form finds something); a callback that
 * returns non-zero stops the walk with that value.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lang/lang.h"
#include "tests/fuzz/fuzz.h"

struct walk {
	const char	*s;
	size_t		 len;
	size_t		 prev_end;
	size_t		 n;
	size_t		 stop_at;	/* 0: never stop */
	struct buf	 folds;		/* the foldings, NUL separated */
	char		*why;
	size_t		 whylen;
};

static int
word(void *arg, const char *folded, size_t flen, size_t start, size_t end)
{
	struct walk	*w = arg;

	if (start >= end || end > w->len || start < w->prev_end) {
		snprintf(w->why, w->whylen, "word %zu spans [%zu,%zu) after "
		    "%zu in %zu bytes", w->n, start, end, w->prev_end, w->len);
		return -1;
	}
	if (flen == 0 || flen > LANG_TOKEN_MAX ||
	    !fuzz_utf8_valid(folded, flen)) {
		snprintf(w->why, w->whylen, "word %zu folds to %zu bytes "
		    "(valid %d)", w->n, flen, fuzz_utf8_valid(folded, flen));
		return -1;
	}
	w->prev_end = end;
	w->n++;
	buf_add(&w->folds, folded, flen);
	buf_addc(&w->folds, '\0');
	if (w->stop_at != 0 && w->n == w->stop_at)
		return 7;
	return 0;
}

/* The words of one folding. */
struct again {
	const char	*want;
	size_t		 wlen;
	size_t		 n;
};

static int
word_again(void *arg, const char *folded, size_t flen, size_t start,
    size_t end)
{
	struct again	*a = arg;

	(void)folded;
	(void)flen;
	(void)start;
	(void)end;
	a->n++;
	return 0;
}

int
fuzz_check(const unsigned char *data, size_t size, char *why, size_t whylen)
{
	const char	*s = (const char *)data;
	struct walk	 w;
	struct buf	 out;
	struct again	 a;
	size_t		 n1, off;
	int		 r, rc = 0;

	memset(&w, 0, sizeof w);
	buf_init(&w.folds, BUF_NO_LIMIT);
	buf_init(&out, BUF_NO_LIMIT);
	if (lang_fold(s, size, &out) != 0)
		FUZZ_FAIL("lang_fold failed without a limit");
	if (!fuzz_utf8_valid(out.data ? out.data : "", out.len))
		FUZZ_FAIL("lang_fold gave invalid UTF-8");

	w.s = s;
	w.len = size;
	w.why = why;
	w.whylen = whylen;
	if (lang_tokenize(s, size, word, &w) != 0)
		{ rc = -1; goto out; }
	n1 = w.n;

	/* Each folding holds a word again. */
	for (off = 0; off < w.folds.len; off += a.wlen + 1) {
		a.want = w.folds.data + off;
		a.wlen = strlen(a.want);
		a.n = 0;
		(void)lang_tokenize(a.want, a.wlen, word_again, &a);
		if (a.n == 0)
			FUZZ_FAIL("folding '%s' has no word", a.want);
	}

	/* Stopping: the callback's value comes back, no word after it. */
	if (n1 > 0) {
		buf_reset(&w.folds);
		w.prev_end = 0;
		w.n = 0;
		w.stop_at = 1 + (n1 - 1) / 2;
		r = lang_tokenize(s, size, word, &w);
		if (r != 7 || w.n != w.stop_at)
			FUZZ_FAIL("stop at word %zu gave %d after %zu words",
			    w.stop_at, r, w.n);
	}
out:
	buf_release(&w.folds);
	buf_release(&out);
	return rc;
}
