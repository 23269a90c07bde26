/*
 * tests/unit/test_script.c - scripts and the hygiene report
 * (lang/script.c): mixed-script words, confusables, invisible characters,
 * bidi controls and NFC, each with its byte offsets.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lang/lang.h"

#define BIT(s)	(1u << (s))

static void
check(const char *s, struct hygiene_report *r)
{
	hygiene_check(s, strlen(s), r);
}

/* The n-th item of a kind, or NULL. */
static const struct hygiene_item *
nth(const struct hygiene_report *r, enum hygiene_kind k, size_t n)
{
	size_t	i;

	for (i = 0; i < r->nitems; i++) {
		if (r->items[i].kind == k && n-- == 0)
			return &r->items[i];
	}
	return NULL;
}

static void
script_of_code_points(void **state)
{
	(void)state;
	assert_int_equal(script_of('a'), SCRIPT_LATIN);
	assert_int_equal(script_of(0x0161), SCRIPT_LATIN);	/* š */
	assert_int_equal(script_of(0x1e9e), SCRIPT_LATIN);	/* ẞ */
	assert_int_equal(script_of(0x03b1), SCRIPT_GREEK);	/* α */
	assert_int_equal(script_of(0x1f00), SCRIPT_GREEK);	/* ἀ */
	assert_int_equal(script_of(0x0436), SCRIPT_CYRILLIC);	/* ж */
	assert_int_equal(script_of(0x0531), SCRIPT_ARMENIAN);
	assert_int_equal(script_of(0x10d0), SCRIPT_GEORGIAN);
	assert_int_equal(script_of(0x05d0), SCRIPT_HEBREW);
	assert_int_equal(script_of(0x0627), SCRIPT_ARABIC);
	assert_int_equal(script_of(0x4e2d), SCRIPT_CJK);
	assert_int_equal(script_of(0x3042), SCRIPT_CJK);	/* あ */
	assert_int_equal(script_of(0xac00), SCRIPT_CJK);	/* 가 */
	assert_int_equal(script_of(0x0301), SCRIPT_INHERITED);
	assert_int_equal(script_of('7'), SCRIPT_COMMON);
	assert_int_equal(script_of(' '), SCRIPT_COMMON);
	assert_int_equal(script_of(0x0e01), SCRIPT_OTHER);	/* Thai */
	assert_string_equal(script_name(SCRIPT_CYRILLIC), "Cyrillic");
}

struct words {
	size_t		n;
	size_t		start[8], end[8];
	unsigned	scripts[8];
};

static int
collect(void *arg, size_t start, size_t end, unsigned scripts)
{
	struct words	*w = arg;

	if (w->n < 8) {
		w->start[w->n] = start;
		w->end[w->n] = end;
		w->scripts[w->n] = scripts;
	}
	w->n++;
	return 0;
}

static void
words_keep_apostrophes_and_hyphens_between_letters(void **state)
{
	const char	*s = "l'homme il-kelma - 'x' Москва";
	struct words	 w;

	(void)state;
	memset(&w, 0, sizeof w);
	assert_int_equal(script_words(s, strlen(s), collect, &w), 0);
	assert_int_equal(w.n, 4);
	assert_int_equal(w.start[0], 0);
	assert_int_equal(w.end[0], 7);		/* l'homme */
	assert_int_equal(w.start[1], 8);
	assert_int_equal(w.end[1], 16);		/* il-kelma */
	assert_int_equal(w.end[2] - w.start[2], 1);	/* x */
	assert_int_equal(w.scripts[3], BIT(SCRIPT_CYRILLIC));
	assert_int_equal(w.end[3], strlen(s));
}

static void
clean_text_has_no_findings(void **state)
{
	struct hygiene_report	r;
	int			k;

	(void)state;
	check("Čaša vode, molim. Ελληνικά και русский — fine.", &r);
	for (k = 0; k < HYGIENE_NKINDS; k++)
		assert_int_equal(r.count[k], 0);
	assert_true(r.nfc);
	assert_int_equal(r.nitems, 0);
	assert_int_equal(r.scripts, BIT(SCRIPT_LATIN) | BIT(SCRIPT_GREEK) |
	    BIT(SCRIPT_CYRILLIC));
	assert_int_equal(r.main_script, SCRIPT_LATIN);
	hygiene_release(&r);
}

static void
cyrillic_letters_in_latin_word_are_mixed_and_confusable(void **state)
{
	/* "раypal": Cyrillic р (U+0440) and а (U+0430), then Latin */
	const char		*s = "Log in to \xd1\x80\xd0\xb0ypal now";
	struct hygiene_report	 r;
	const struct hygiene_item *it;

	(void)state;
	check(s, &r);
	assert_int_equal(r.count[HYGIENE_MIXED_SCRIPT], 1);
	it = nth(&r, HYGIENE_MIXED_SCRIPT, 0);
	assert_non_null(it);
	assert_int_equal(it->start, 10);
	assert_int_equal(it->end, 18);
	assert_int_equal(it->scripts, BIT(SCRIPT_LATIN) |
	    BIT(SCRIPT_CYRILLIC));
	assert_int_equal(r.count[HYGIENE_CONFUSABLE], 2);
	it = nth(&r, HYGIENE_CONFUSABLE, 0);
	assert_int_equal(it->start, 10);
	assert_int_equal(it->end, 12);
	assert_int_equal(it->cp, 0x0440);
	it = nth(&r, HYGIENE_CONFUSABLE, 1);
	assert_int_equal(it->start, 12);
	assert_int_equal(it->cp, 0x0430);
	hygiene_release(&r);
}

static void
latin_letter_in_cyrillic_word_is_confusable(void **state)
{
	/* "Москвa" with a Latin a at the end */
	const char		*s = "\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2" "a";
	struct hygiene_report	 r;
	const struct hygiene_item *it;

	(void)state;
	check(s, &r);
	assert_int_equal(r.count[HYGIENE_MIXED_SCRIPT], 1);
	assert_int_equal(r.count[HYGIENE_CONFUSABLE], 1);
	it = nth(&r, HYGIENE_CONFUSABLE, 0);
	assert_int_equal(it->start, 10);
	assert_int_equal(it->end, 11);
	assert_int_equal(it->cp, 'a');
	hygiene_release(&r);
}

static void
greek_letter_in_latin_word_is_mixed(void **state)
{
	/* "gοogle" with Greek omicron */
	struct hygiene_report r;

	(void)state;
	check("g\xce\xbfogle", &r);
	assert_int_equal(r.count[HYGIENE_MIXED_SCRIPT], 1);
	assert_int_equal(r.count[HYGIENE_CONFUSABLE], 1);
	assert_int_equal(nth(&r, HYGIENE_CONFUSABLE, 0)->cp, 0x03bf);
	hygiene_release(&r);
}

static void
greek_question_mark_is_confusable_and_not_nfc(void **state)
{
	struct hygiene_report	 r;
	const struct hygiene_item *it;

	(void)state;
	check("Τι κάνεις\xcd\xbe", &r);	/* U+037E at the end */
	assert_int_equal(r.count[HYGIENE_CONFUSABLE], 1);
	it = nth(&r, HYGIENE_CONFUSABLE, 0);
	assert_int_equal(it->cp, 0x037e);
	assert_int_equal(it->end, strlen("Τι κάνεις\xcd\xbe"));
	assert_false(r.nfc);
	assert_int_equal(r.count[HYGIENE_NOT_NFC], 1);
	hygiene_release(&r);
}

static void
invisible_characters_are_counted_and_located(void **state)
{
	/* ZWSP after "pay", soft hyphen inside "Donau", BOM at the start */
	const char		*s = "\xef\xbb\xbfpay\xe2\x80\x8bpal Do\xc2\xadnau";
	struct hygiene_report	 r;
	const struct hygiene_item *it;

	(void)state;
	check(s, &r);
	assert_int_equal(r.count[HYGIENE_INVISIBLE], 3);
	it = nth(&r, HYGIENE_INVISIBLE, 0);
	assert_int_equal(it->start, 0);
	assert_int_equal(it->cp, 0xfeff);
	it = nth(&r, HYGIENE_INVISIBLE, 1);
	assert_int_equal(it->start, 6);
	assert_int_equal(it->end, 9);
	assert_string_equal(hygiene_char_name(it->cp), "ZWSP");
	it = nth(&r, HYGIENE_INVISIBLE, 2);
	assert_int_equal(it->cp, 0xad);
	assert_string_equal(hygiene_kind_name(it->kind), "invisible");
	hygiene_release(&r);
}

static void
zwj_inside_emoji_sequence_is_not_invisible(void **state)
{
	/* family: man ZWJ woman ZWJ girl; then a stray ZWJ in a word */
	const char *s = "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9"
	    "\xe2\x80\x8d\xf0\x9f\x91\xa7 ad\xe2\x80\x8dmin";
	struct hygiene_report r;

	(void)state;
	check(s, &r);
	assert_int_equal(r.count[HYGIENE_INVISIBLE], 1);
	assert_int_equal(nth(&r, HYGIENE_INVISIBLE, 0)->start,
	    strlen(s) - strlen("\xe2\x80\x8dmin"));
	hygiene_release(&r);
}

static void
bidi_controls_are_counted_and_located(void **state)
{
	/* the "Trojan Source" shape: RLO ... PDF, and an isolate pair */
	const char *s = "access = \xe2\x80\xae" "resu\xe2\x80\xac; "
	    "\xe2\x81\xa7x\xe2\x81\xa9 \xe2\x80\x8f";
	struct hygiene_report	 r;
	const struct hygiene_item *it;

	(void)state;
	check(s, &r);
	assert_int_equal(r.count[HYGIENE_BIDI], 5);
	it = nth(&r, HYGIENE_BIDI, 0);
	assert_int_equal(it->start, 9);
	assert_int_equal(it->end, 12);
	assert_string_equal(hygiene_char_name(it->cp), "RLO");
	assert_string_equal(hygiene_char_name(nth(&r, HYGIENE_BIDI, 1)->cp),
	    "PDF");
	assert_string_equal(hygiene_char_name(nth(&r, HYGIENE_BIDI, 2)->cp),
	    "RLI");
	assert_string_equal(hygiene_char_name(nth(&r, HYGIENE_BIDI, 4)->cp),
	    "RLM");
	assert_int_equal(r.count[HYGIENE_INVISIBLE], 0);
	hygiene_release(&r);
}

static void
decomposed_text_is_not_nfc_with_its_span(void **state)
{
	/* "café" with e + U+0301, then "naïve" precomposed, then "Å" as
	 * U+212B ANGSTROM SIGN */
	const char		*s = "cafe\xcc\x81 na\xc3\xafve \xe2\x84\xab";
	struct hygiene_report	 r;
	const struct hygiene_item *it;

	(void)state;
	check(s, &r);
	assert_false(r.nfc);
	assert_int_equal(r.count[HYGIENE_NOT_NFC], 2);
	it = nth(&r, HYGIENE_NOT_NFC, 0);
	assert_int_equal(it->start, 3);
	assert_int_equal(it->end, 6);
	it = nth(&r, HYGIENE_NOT_NFC, 1);
	assert_int_equal(it->start, strlen(s) - 3);
	assert_int_equal(it->end, strlen(s));
	hygiene_release(&r);
	check("caf\xc3\xa9 na\xc3\xafve", &r);
	assert_true(r.nfc);
	hygiene_release(&r);
}

static void
items_come_in_text_order(void **state)
{
	const char *s = "\xe2\x80\xae x \xd1\x80\xd0\xb0ypal y \xe2\x80\x8b";
	struct hygiene_report	r;
	size_t			i;

	(void)state;
	check(s, &r);
	assert_true(r.nitems >= 4);
	for (i = 1; i < r.nitems; i++)
		assert_true(r.items[i].start >= r.items[i - 1].start);
	assert_int_equal(r.items[0].kind, HYGIENE_BIDI);
	assert_int_equal(r.items[r.nitems - 1].kind, HYGIENE_INVISIBLE);
	hygiene_release(&r);
}

static void
invalid_utf8_is_no_finding(void **state)
{
	struct hygiene_report r;

	(void)state;
	check("ab\xff\xfe cd \xc3", &r);
	assert_int_equal(r.nitems, 0);
	hygiene_release(&r);
	hygiene_check(NULL, 0, &r);
	assert_true(r.nfc);
	hygiene_release(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(script_of_code_points),
		cmocka_unit_test(
		    words_keep_apostrophes_and_hyphens_between_letters),
		cmocka_unit_test(clean_text_has_no_findings),
		cmocka_unit_test(
		    cyrillic_letters_in_latin_word_are_mixed_and_confusable),
		cmocka_unit_test(latin_letter_in_cyrillic_word_is_confusable),
		cmocka_unit_test(greek_letter_in_latin_word_is_mixed),
		cmocka_unit_test(
		    greek_question_mark_is_confusable_and_not_nfc),
		cmocka_unit_test(invisible_characters_are_counted_and_located),
		cmocka_unit_test(zwj_inside_emoji_sequence_is_not_invisible),
		cmocka_unit_test(bidi_controls_are_counted_and_located),
		cmocka_unit_test(decomposed_text_is_not_nfc_with_its_span),
		cmocka_unit_test(items_come_in_text_order),
		cmocka_unit_test(invalid_utf8_is_no_finding),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
