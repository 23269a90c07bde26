/*
 * tests/unit/test_langcheck.c - the language checks of a finished answer
 * (tui/langcheck.c), shared by the TUI and print mode: another language
 * than expected, a close group named whole, a switch between paragraphs,
 * a close neighbour as a soft note, code left out, short texts not judged,
 * and when a first prompt sets the expectation. The texts are written for
 * the tests.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tui/langcheck.h"

static const char croatian[] =
    "Ljeto u Sloveniji najljepše je provesti uz jezera i u planinama. "
    "Tko više voli more, neka ode u Piran, mali grad s uskim ulicama. Do "
    "većine mjesta lako ćete stići vlakom, a tjedan dana dovoljno je za "
    "obitelj.";

static const char slovenian1[] =
    "Poleti je v Sloveniji najlepše ob jezerih in v gorah. Bled in Bohinj "
    "ponujata čisto vodo in razgled na Julijske Alpe.";

static const char slovenian2[] =
    "Za ljubitelje narave priporočam dolino Soče, kjer se lahko kopate "
    "ali preprosto uživate v tišini. Ljudje so gostoljubni.";

static const char english[] =
    "If you travel in July or August, book your accommodation early, "
    "because the most popular places fill up quickly. The weather is "
    "usually warm and sunny.";

static const char bosnian[] =
    "Sarajevo je glavni grad Bosne i Hercegovine. Ljudi ovdje piju kahvu "
    "i jedu ćevape, a grad je poznat po Baščaršiji i mostovima preko "
    "Miljacke.";

static void
check(const char *text, const char *expect, struct langcheck *lc)
{
	langcheck_answer(text, strlen(text), expect, lc);
}

static char *
join3(const char *a, const char *b, const char *c)
{
	return xasprintf("%s\n\n%s\n\n%s\n", a, b, c);
}

static void
croatian_answer_to_slovenian_expectation_is_a_warning(void **state)
{
	struct langcheck	lc;

	(void)state;
	check(croatian, "sl", &lc);
	assert_int_equal(lc.n, 1);
	assert_false(lc.line[0].soft);
	assert_string_equal(lc.line[0].text, "answer is in Croatian (hr), "
	    "expected Slovenian (sl)");
	assert_string_equal(lc.other, "hr");
	assert_string_equal(langcheck_mark(&lc.line[0]), "⚠");
	langcheck_release(&lc);
}

static void
answer_in_the_expected_language_gets_no_line(void **state)
{
	struct langcheck	lc;
	char			*s = join3(slovenian1, slovenian2, slovenian1);

	(void)state;
	check(s, "sl", &lc);
	assert_int_equal(lc.n, 0);
	assert_string_equal(lc.other, "");
	assert_int_equal(lc.drift_at, 0);
	langcheck_release(&lc);
	free(s);
}

static void
switch_to_english_names_the_paragraph(void **state)
{
	struct langcheck	lc;
	char			*s = join3(slovenian1, slovenian2, english);

	(void)state;
	check(s, "sl", &lc);
	assert_int_equal(lc.n, 1);
	assert_string_equal(lc.line[0].text, "switches to English (en) at "
	    "paragraph 3");
	assert_int_equal(lc.drift_at, 3);
	assert_string_equal(lc.drift_lang, "en");
	langcheck_release(&lc);
	/* Without an expectation, the first paragraph's language is it. */
	check(s, NULL, &lc);
	assert_int_equal(lc.n, 1);
	assert_int_equal(lc.drift_at, 3);
	langcheck_release(&lc);
	free(s);
}

/* Mostly English after a Slovenian start: one line says what and where,
 * not "answer is in English" and "switches to English" apart. */
static void
answer_in_another_language_from_a_paragraph_is_one_line(void **state)
{
	struct langcheck	lc;
	char			*s = join3(slovenian1, english, english);

	(void)state;
	check(s, "sl", &lc);
	assert_int_equal(lc.n, 1);
	assert_string_equal(lc.line[0].text, "answer is in English (en) from "
	    "paragraph 2, expected Slovenian (sl)");
	assert_string_equal(lc.other, "en");
	assert_int_equal(lc.drift_at, 2);
	langcheck_release(&lc);
	free(s);
}

static void
code_block_and_code_spans_are_not_prose(void **state)
{
	struct langcheck	lc;
	char			*s;

	(void)state;
	s = xasprintf("%s\n\n```sh\n# install the packages and start the "
	    "server before you run the tests\napt-get install build-essential"
	    "\n```\n\n%s Uporabite `the quick brown fox jumps over the lazy "
	    "dog` in `make check` za preskus.\n", slovenian1, slovenian2);
	check(s, "sl", &lc);
	assert_int_equal(lc.n, 0);
	langcheck_release(&lc);
	free(s);
	/* The prose copy keeps every offset and newline. */
	s = langcheck_prose("a `b` c\n```\nx\n```\nd", 20);
	assert_memory_equal(s, "a     c\n   \n \n   \nd", 20);
	free(s);
}

static void
close_group_the_text_cannot_split_is_named_whole(void **state)
{
	struct langcheck	lc;

	(void)state;
	check("Dnes je krásný den a jdeme na výlet do hor. Vezmeme si jídlo "
	    "a vodu.", "hr", &lc);
	assert_int_equal(lc.n, 1);
	assert_string_equal(lc.line[0].text, "answer is in Czech or Slovak "
	    "(cs/sk), expected Croatian (hr)");
	langcheck_release(&lc);
}

static void
neighbour_the_text_cannot_separate_is_a_soft_note(void **state)
{
	struct langcheck	lc;

	(void)state;
	check(bosnian, "hr", &lc);
	assert_int_equal(lc.n, 1);
	assert_true(lc.line[0].soft);
	assert_string_equal(langcheck_mark(&lc.line[0]), "≈");
	assert_string_equal(lc.line[0].text, "answer may be in Bosnian (bs) "
	    "rather than Croatian (hr): the text does not tell hr/bs/sr "
	    "apart");
	assert_string_equal(lc.other, "bs");
	assert_true(lc.other_soft);
	langcheck_release(&lc);
}

static void
short_or_empty_answer_is_not_judged(void **state)
{
	struct langcheck	lc;

	(void)state;
	check("Dober dan", "en", &lc);
	assert_int_equal(lc.n, 0);
	langcheck_release(&lc);
	check("", "sl", &lc);
	assert_int_equal(lc.n, 0);
	langcheck_release(&lc);
	/* An unknown expectation is none. */
	check(croatian, "xx", &lc);
	assert_int_equal(lc.n, 0);
	langcheck_release(&lc);
}

static void
first_prompt_sets_the_expectation_only_when_clear(void **state)
{
	char	code[4];

	(void)state;
	assert_int_equal(langcheck_prompt("Dober dan", 9, code), -1);
	assert_int_equal(langcheck_prompt("ok?", 3, code), -1);
	assert_int_equal(langcheck_prompt(slovenian1, strlen(slovenian1),
	    code), 0);
	assert_string_equal(code, "sl");
	/* A close group it cannot split sets nothing. */
	assert_int_equal(langcheck_prompt(bosnian, strlen(bosnian), code),
	    -1);
}

static void
labels_and_descriptions_read_as_documented(void **state)
{
	char	*s;

	(void)state;
	s = lang_label("sl");
	assert_string_equal(s, "Slovenian (sl)");
	free(s);
	s = expect_describe("sl", EXPECT_USER);
	assert_string_equal(s, "Slovenian (sl), set with /lang");
	free(s);
	s = expect_describe("de", EXPECT_PROMPT);
	assert_string_equal(s, "German (de), from the first prompt");
	free(s);
	s = expect_describe(NULL, EXPECT_OFF);
	assert_string_equal(s, "off (/lang off)");
	free(s);
	s = expect_describe(NULL, EXPECT_NONE);
	assert_string_equal(s, "none");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    croatian_answer_to_slovenian_expectation_is_a_warning),
		cmocka_unit_test(answer_in_the_expected_language_gets_no_line),
		cmocka_unit_test(switch_to_english_names_the_paragraph),
		cmocka_unit_test(
		    answer_in_another_language_from_a_paragraph_is_one_line),
		cmocka_unit_test(code_block_and_code_spans_are_not_prose),
		cmocka_unit_test(
		    close_group_the_text_cannot_split_is_named_whole),
		cmocka_unit_test(
		    neighbour_the_text_cannot_separate_is_a_soft_note),
		cmocka_unit_test(short_or_empty_answer_is_not_judged),
		cmocka_unit_test(
		    first_prompt_sets_the_expectation_only_when_clear),
		cmocka_unit_test(labels_and_descriptions_read_as_documented),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
