/*
 * tests/fuzz/fuzz_langid.c - fuzz target for language identification and
 * the script and hygiene checks (lang/langid.c, lang/script.c).
 *
 * The first byte picks the expected language: none, a supported code, or
 * an unsupported one; the rest is the text. Promises checked (lang.h):
 * langid_detect() returns 0, or -1 for exactly the unsupported expect; the
 * code is empty or supported; confidences are numbers in 0..1, candidates
 * supported and best first; under 3 letters means uncertain with no code;
 * a mismatch only with an expect; paragraphs are in order, inside the
 * text and not empty; script words are in order with letter scripts only;
 * hygiene items are in order inside the text, counts at least the items
 * of each kind, and a truncated list holds HYGIENE_MAX_ITEMS.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lang/lang.h"
#include "tests/fuzz/fuzz.h"

static bool
good_confidence(double c)
{
	return !isnan(c) && c >= 0.0 && c <= 1.0;
}

static int
check_result(const struct lang_result *r, const char *expect, char *why,
    size_t whylen)
{
	int	i, rc = 0;

	if (r->code[0] != '\0' && !langid_known(r->code))
		FUZZ_FAIL("unknown code '%.3s'", r->code);
	if (!good_confidence(r->confidence))
		FUZZ_FAIL("confidence %g", r->confidence);
	if (r->letters < 3 && (!r->uncertain || r->code[0] != '\0'))
		FUZZ_FAIL("%zu letters, yet '%s' certain %d", r->letters,
		    r->code, !r->uncertain);
	if (r->mismatch && expect == NULL)
		FUZZ_FAIL("mismatch without an expected language");
	if (r->ncand < 0 || r->ncand > LANGID_NCAND)
		FUZZ_FAIL("%d candidates", r->ncand);
	for (i = 0; i < r->ncand; i++) {
		if (!langid_known(r->cand[i].code) ||
		    !good_confidence(r->cand[i].confidence))
			FUZZ_FAIL("candidate %d '%.3s' %g", i, r->cand[i].code,
			    r->cand[i].confidence);
		if (i > 0 && r->cand[i].confidence >
		    r->cand[i - 1].confidence)
			FUZZ_FAIL("candidate %d better than %d", i, i - 1);
	}
	if (r->script >= SCRIPT_COUNT)
		FUZZ_FAIL("script %d", (int)r->script);
out:
	return rc;
}

struct words {
	size_t	 len;
	size_t	 prev_end;
	char	*why;
	size_t	 whylen;
};

static int
script_word(void *arg, size_t start, size_t end, unsigned scripts)
{
	struct words	*w = arg;

	if (start >= end || end > w->len || start < w->prev_end) {
		snprintf(w->why, w->whylen, "script word [%zu,%zu) after %zu",
		    start, end, w->prev_end);
		return -1;
	}
	if (scripts & ((1u << SCRIPT_NONE) | (1u << SCRIPT_COMMON) |
	    (1u << SCRIPT_INHERITED)) || scripts >= (1u << SCRIPT_COUNT)) {
		snprintf(w->why, w->whylen, "script word scripts %#x",
		    scripts);
		return -1;
	}
	w->prev_end = end;
	return 0;
}

static int
check_hygiene(const char *s, size_t len, char *why, size_t whylen)
{
	struct hygiene_report	 r;
	size_t			 i, per[HYGIENE_NKINDS], prev = 0;
	int			 k, rc = 0;

	memset(per, 0, sizeof per);
	hygiene_check(s, len, &r);
	for (i = 0; i < r.nitems; i++) {
		const struct hygiene_item	*it = &r.items[i];

		if ((int)it->kind < 0 || it->kind >= HYGIENE_NKINDS)
			FUZZ_FAIL("hygiene item %zu kind %d", i,
			    (int)it->kind);
		if (it->start >= it->end || it->end > len ||
		    it->start < prev)
			FUZZ_FAIL("hygiene item %zu [%zu,%zu) after %zu", i,
			    it->start, it->end, prev);
		prev = it->start;
		per[it->kind]++;
	}
	for (k = 0; k < HYGIENE_NKINDS; k++)
		if (r.count[k] < per[k])
			FUZZ_FAIL("hygiene %s: count %zu, %zu items",
			    hygiene_kind_name(k), r.count[k], per[k]);
	if (r.nitems > HYGIENE_MAX_ITEMS ||
	    (r.truncated && r.nitems != HYGIENE_MAX_ITEMS))
		FUZZ_FAIL("hygiene %zu items, truncated %d", r.nitems,
		    r.truncated);
	if (r.main_script >= SCRIPT_COUNT)
		FUZZ_FAIL("hygiene main script %d", (int)r.main_script);
out:
	hygiene_release(&r);
	return rc;
}

int
fuzz_check(const unsigned char *data, size_t size, char *why, size_t whylen)
{
	struct lang_result	 r;
	struct lang_paragraph	*par = NULL;
	struct words		 w;
	const char		*s, *expect;
	size_t			 len, i, n = 0, prev;
	int			 got, rc = 0;

	if (size == 0)
		return 0;
	if (data[0] < 0x40)
		expect = NULL;
	else if (data[0] < 0x48)
		expect = "xx";
	else
		expect = langid_code_at(data[0] % langid_count());
	s = (const char *)data + 1;
	len = size - 1;

	got = langid_detect(s, len, expect, &r);
	if (got != (expect != NULL && !langid_known(expect) ? -1 : 0))
		FUZZ_FAIL("langid_detect returned %d for expect '%s'", got,
		    expect ? expect : "(none)");
	if (check_result(&r, got == 0 ? expect : NULL, why, whylen) != 0)
		return -1;

	got = langid_paragraphs(s, len, expect, &par, &n);
	if (got != (expect != NULL && !langid_known(expect) ? -1 : 0))
		FUZZ_FAIL("langid_paragraphs returned %d", got);
	for (i = 0, prev = 0; i < n; i++) {
		if (par[i].start >= par[i].end || par[i].end > len ||
		    par[i].start < prev)
			FUZZ_FAIL("paragraph %zu [%zu,%zu) after %zu", i,
			    par[i].start, par[i].end, prev);
		prev = par[i].end;
		if (check_result(&par[i].result, got == 0 ? expect : NULL,
		    why, whylen) != 0)
			{ rc = -1; goto out; }
	}

	memset(&w, 0, sizeof w);
	w.len = len;
	w.why = why;
	w.whylen = whylen;
	if (script_words(s, len, script_word, &w) != 0)
		{ rc = -1; goto out; }
	if (check_hygiene(s, len, why, whylen) != 0)
		{ rc = -1; goto out; }
out:
	free(par);
	return rc;
}
