/*
 * tests/unit/test_langid.c - language identification (lang/langid.c):
 * ten short and ten long samples per language, written for these tests
 * (tests/langid/samples.tsv), the script rules, close groups, the
 * expected-language prior, uncertainty and paragraphs.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lang/lang.h"

struct sample {
	char	lang[4];
	bool	is_long;
	char	*text;
};

static struct sample	*samples;
static size_t		 nsamples;

static int
load_samples(void **state)
{
	const char	*dir = getenv("TOLK_SRCDIR");
	char		 path[4096], *line = NULL, *t1, *t2;
	size_t		 cap = 0, alloc = 0;
	ssize_t		 n;
	FILE		*fp;

	(void)state;
	snprintf(path, sizeof path, "%s/tests/langid/samples.tsv",
	    dir != NULL ? dir : ".");
	if ((fp = fopen(path, "r")) == NULL) {
		fprintf(stderr, "# cannot open %s\n", path);
		return -1;
	}
	while ((n = getline(&line, &cap, fp)) > 0) {
		if (line[0] == '#' || n < 4)
			continue;
		if (line[n - 1] == '\n')
			line[n - 1] = '\0';
		if ((t1 = strchr(line, '\t')) == NULL ||
		    (t2 = strchr(t1 + 1, '\t')) == NULL)
			continue;
		*t1 = *t2 = '\0';
		if (nsamples == alloc) {
			alloc = alloc ? alloc * 2 : 256;
			samples = realloc(samples, alloc * sizeof *samples);
		}
		snprintf(samples[nsamples].lang, 4, "%s", line);
		samples[nsamples].is_long = strcmp(t1 + 1, "long") == 0;
		samples[nsamples].text = strdup(t2 + 1);
		nsamples++;
	}
	free(line);
	fclose(fp);
	return nsamples > 0 ? 0 : -1;
}

static int
free_samples(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < nsamples; i++)
		free(samples[i].text);
	free(samples);
	return 0;
}

static struct lang_result
detect(const char *s, const char *expect)
{
	struct lang_result	r;

	langid_detect(s, strlen(s), expect, &r);
	return r;
}

/* Per language: how many of its long (or short) samples come out as the
 * language itself, and how many as it or a close-group neighbour. */
static void
score(const char *lang, bool is_long, int *exact, int *near, int *total)
{
	size_t			i;
	struct lang_result	r;

	*exact = *near = *total = 0;
	for (i = 0; i < nsamples; i++) {
		if (strcmp(samples[i].lang, lang) != 0 ||
		    samples[i].is_long != is_long)
			continue;
		r = detect(samples[i].text, NULL);
		(*total)++;
		if (strcmp(r.code, lang) == 0)
			(*exact)++;
		if (langid_same_group(r.code, lang))
			(*near)++;
		else
			fprintf(stderr, "# %s sample read as %s: %s\n", lang,
			    r.code, samples[i].text);
	}
}

static void
every_language_has_ten_short_and_ten_long_samples(void **state)
{
	size_t	l;
	int	e, n, t;

	(void)state;
	assert_int_equal(langid_count(), 38);
	for (l = 0; l < langid_count(); l++) {
		score(langid_code_at(l), true, &e, &n, &t);
		assert_true(t >= 10);
		score(langid_code_at(l), false, &e, &n, &t);
		assert_true(t >= 10);
	}
}

static void
long_samples_identified_in_every_language(void **state)
{
	size_t	l;
	int	e, n, t, all = 0, good = 0;

	(void)state;
	for (l = 0; l < langid_count(); l++) {
		const char *c = langid_code_at(l);

		score(c, true, &e, &n, &t);
		all += t;
		good += e;
		/* Every long sample lands in its language or its close
		 * group; outside the hard groups, in the language. */
		if (n != t || (langid_group(c) == NULL && e != t))
			fail_msg("%s: %d exact, %d in group, of %d", c, e, n, t);
	}
	/* Measured 96% when written; the close groups cost the rest. */
	assert_true(good * 100 >= all * 92);
}

static void
short_samples_mostly_identified_in_every_language(void **state)
{
	size_t	l;
	int	e, n, t, all = 0, good = 0;

	(void)state;
	for (l = 0; l < langid_count(); l++) {
		const char *c = langid_code_at(l);

		score(c, false, &e, &n, &t);
		all += t;
		good += e;
		/* Measured: at least 8 of 10 in every language but sl (7:
		 * three short Slovenian samples read as Serbian). */
		if (n * 10 < t * 7)
			fail_msg("%s short: only %d of %d in group", c, n, t);
	}
	assert_true(good * 100 >= all * 85);
}

static void
greek_script_is_greek_with_full_confidence(void **state)
{
	struct lang_result r = detect("Καλημέρα σας", NULL);

	(void)state;
	assert_string_equal(r.code, "el");
	assert_int_equal(r.script, SCRIPT_GREEK);
	assert_true(r.confidence > 0.99);
	assert_false(r.uncertain);
	assert_int_equal(r.ncand, 1);
}

static void
cyrillic_narrows_candidates_to_five(void **state)
{
	struct lang_result	r;
	int			i;

	(void)state;
	r = detect("Мы поехали на дачу в субботу утром.", NULL);
	assert_string_equal(r.code, "ru");
	assert_int_equal(r.script, SCRIPT_CYRILLIC);
	for (i = 0; i < r.ncand; i++)
		assert_non_null(strstr("bg mk ru sr uk", r.cand[i].code));
	r = detect("Пам'ятаю, як ми їздили до моря.", NULL);
	assert_string_equal(r.code, "uk");
}

static void
serbian_in_both_scripts_is_sr(void **state)
{
	(void)state;
	assert_string_equal(detect("Ово је пријатна вечер, хвала вам "
	    "што сте дошли.", NULL).code, "sr");
	assert_string_equal(detect("Molim vas da mi kažete gde se nalazi "
	    "železnička stanica, hvala unapred.", NULL).code, "sr");
}

static void
mixed_script_text_is_judged_by_every_script_it_uses(void **state)
{
	struct lang_result	r;
	int			i, nsr = 0;

	(void)state;
	/* more Latin letters than Cyrillic, but the words are Russian */
	r = detect("BibTeX Кроме", NULL);
	assert_string_equal(r.code, "ru");
	r = detect("Установите texlive-latex-extra", NULL);
	assert_string_equal(r.code, "ru");
	/* Serbian in both scripts is one candidate, not two */
	r = detect("Hvala vam za sve. Хвала вам за све, видимо се сутра.",
	    NULL);
	for (i = 0; i < r.ncand; i++)
		nsr += strcmp(r.cand[i].code, "sr") == 0;
	assert_int_equal(nsr, 1);
}

static void
unique_letters_decide_short_words(void **state)
{
	(void)state;
	assert_string_equal(detect("Straße", NULL).code, "de");
	assert_string_equal(detect("ħobż", NULL).code, "mt");
	assert_string_equal(detect("łódź", NULL).code, "pl");
	assert_string_equal(detect("ŵyr", NULL).code, "cy");
	assert_string_equal(detect("ґанок", NULL).code, "uk");
	assert_string_equal(detect("ќерка", NULL).code, "mk");
	assert_string_equal(detect("ğüzel", NULL).code, "tr");
}

static void
too_short_text_is_uncertain_without_code(void **state)
{
	struct lang_result	r;

	(void)state;
	r = detect("ok", NULL);
	assert_true(r.uncertain);
	assert_string_equal(r.code, "");
	r = detect("", NULL);
	assert_true(r.uncertain);
	assert_int_equal(r.script, SCRIPT_NONE);
	assert_int_equal(langid_detect(NULL, 0, NULL, &r), 0);
	assert_true(r.uncertain);
	r = detect("12345 !!! ...", NULL);
	assert_true(r.uncertain);
	assert_int_equal(r.letters, 0);
}

static void
unsupported_script_is_uncertain(void **state)
{
	struct lang_result r = detect("これは日本語の文章です", NULL);

	(void)state;
	assert_true(r.uncertain);
	assert_string_equal(r.code, "");
	assert_int_equal(r.script, SCRIPT_CJK);
}

static void
confidences_are_ordered_and_sum_to_at_most_one(void **state)
{
	struct lang_result	r;
	double			sum = 0;
	int			i;

	(void)state;
	r = detect("Het weer is vandaag erg mooi in Amsterdam.", NULL);
	assert_string_equal(r.code, "nl");
	assert_int_equal(r.ncand, 3);
	for (i = 0; i < r.ncand; i++) {
		sum += r.cand[i].confidence;
		if (i > 0)
			assert_true(r.cand[i].confidence <=
			    r.cand[i - 1].confidence);
	}
	assert_true(sum <= 1.0001);
	assert_true(r.confidence == r.cand[0].confidence);
}

static void
close_group_reported_when_inseparable(void **state)
{
	struct lang_result r = detect("Hvala na pomoći", NULL);

	(void)state;
	assert_non_null(r.group);
	assert_string_equal(r.group, "hr/bs/sr");
	assert_true(langid_same_group(r.code, "hr"));
}

static void
expected_language_wins_its_group_and_is_no_mismatch(void **state)
{
	struct lang_result r = detect("Hvala na pomoći", "bs");

	(void)state;
	assert_string_equal(r.code, "bs");
	assert_false(r.mismatch);
	r = detect("Hvala na pomoći", "hr");
	assert_string_equal(r.code, "hr");
	assert_false(r.mismatch);
}

static void
answer_in_another_language_is_a_mismatch(void **state)
{
	struct lang_result r;

	(void)state;
	r = detect("The weather is lovely today, shall we go for a walk "
	    "along the river?", "sl");
	assert_string_equal(r.code, "en");
	assert_true(r.mismatch);
	r = detect("Danes je lepo vreme, gremo na sprehod ob reki?", "sl");
	assert_string_equal(r.code, "sl");
	assert_false(r.mismatch);
}

static void
prior_tips_a_close_call_toward_the_expected_language(void **state)
{
	const char		*t = "Vlak kasni sat vremena.";
	struct lang_result	 a, b;

	(void)state;
	a = detect(t, NULL);
	b = detect(t, "sr");
	assert_string_equal(b.code, "sr");
	assert_true(b.confidence > 0);
	if (strcmp(a.code, "sr") == 0)
		assert_true(b.confidence >= a.confidence);
}

static void
unknown_expected_code_is_refused(void **state)
{
	struct lang_result	r;

	(void)state;
	assert_int_equal(langid_detect("Guten Morgen, wie geht es dir?",
	    30, "xx", &r), -1);
	assert_string_equal(r.code, "de");
	assert_false(r.mismatch);
	assert_false(langid_known("xx"));
	assert_false(langid_known("srl"));
	assert_true(langid_known("sr"));
}

static void
paragraphs_are_split_at_blank_lines_with_offsets(void **state)
{
	const char *t = "Lep pozdrav iz Ljubljane, danes je sončno in toplo.\n"
	    "\n  \n"
	    "Thank you for the lovely weekend, we really enjoyed it.\n"
	    "\n"
	    "Hvala vam na lijepom vikendu, stvarno smo uživali u svemu.";
	struct lang_paragraph	*p;
	size_t			 n;

	(void)state;
	assert_int_equal(langid_paragraphs(t, strlen(t), "sl", &p, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(p[0].start, 0);
	assert_memory_equal(t + p[0].end - 6, "toplo.", 6);
	assert_string_equal(p[0].result.code, "sl");
	assert_false(p[0].result.mismatch);
	assert_memory_equal(t + p[1].start, "Thank", 5);
	assert_string_equal(p[1].result.code, "en");
	assert_true(p[1].result.mismatch);
	assert_true(langid_same_group(p[2].result.code, "hr"));
	assert_int_equal(p[2].end, strlen(t));
	free(p);
}

/* Each list item is a paragraph of its own: a list of one phrase per
 * language is several short paragraphs, not one mixed one. */
static void
list_items_are_paragraphs_of_their_own(void **state)
{
	const char *t = "Here is a greeting in three languages:\n"
	    "\n"
	    "- **Sloven\xc5\xa1\xc4\x8dina:** \xc5\xbdivjo, svet!\n"
	    "  still the first item\n"
	    "* **Polski:** Za\xc5\xbc\xc3\xb3\xc5\x82\xc4\x87 g\xc4\x99\xc5\x9bl\xc4\x85\n"
	    "12. twelfth\n"
	    "    3) nested\n"
	    "-not an item, 3.14 neither\n";
	struct lang_paragraph	*p;
	size_t			 n;

	(void)state;
	assert_int_equal(langid_paragraphs(t, strlen(t), NULL, &p, &n), 0);
	assert_int_equal(n, 5);
	assert_memory_equal(t + p[1].start, "- **Slo", 7);
	assert_memory_equal(t + p[1].end - 4, "item", 4);
	assert_memory_equal(t + p[2].start, "* **Pol", 7);
	assert_memory_equal(t + p[3].start, "12. ", 4);
	assert_memory_equal(t + p[4].start, "    3) nested\n-not", 18);
	free(p);
}

static void
invalid_utf8_and_decomposed_text_still_identified(void **state)
{
	const char *bad = "Dzi\xff\xfe\x80kuj\xc4 bardzo za pomoc, "
	    "\xc5\x82\xc3\xb3\x64\xc5\xba jest pi\xc4\x99kna.";
	/* "Die Straße führt über die Brücke" with u + U+0308 */
	const char *nfd = "Die Stra\xc3\x9f" "e fu\xcc\x88hrt u\xcc\x88"
	    "ber die Bru\xcc\x88" "cke zum Bahnhof.";
	struct lang_result r;

	(void)state;
	r = detect(bad, NULL);
	assert_string_equal(r.code, "pl");
	r = detect(nfd, NULL);
	assert_string_equal(r.code, "de");
}

static void
names_and_groups_of_codes(void **state)
{
	(void)state;
	assert_string_equal(langid_name("sl"), "Slovenian");
	assert_string_equal(langid_name("nn"), "Norwegian Nynorsk");
	assert_null(langid_name("zz"));
	assert_string_equal(langid_group("bs"), "hr/bs/sr");
	assert_string_equal(langid_group("da"), "nb/nn/da");
	assert_null(langid_group("fi"));
	assert_true(langid_same_group("gl", "pt"));
	assert_true(langid_same_group("ca", "es"));
	assert_true(langid_same_group("mk", "bg"));
	assert_false(langid_same_group("sl", "hr"));
	assert_false(langid_same_group("", "hr"));
}

static void
long_input_is_cut_not_refused(void **state)
{
	size_t			 n = LANGID_MAX_BYTES + 4096, i;
	char			*big = malloc(n);
	const char		*w = "kiitos paljon ";
	struct lang_result	 r;

	(void)state;
	for (i = 0; i < n; i++)
		big[i] = w[i % strlen(w)];
	langid_detect(big, n, NULL, &r);
	assert_string_equal(r.code, "fi");
	assert_true(r.letters <= LANGID_MAX_BYTES);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    every_language_has_ten_short_and_ten_long_samples),
		cmocka_unit_test(long_samples_identified_in_every_language),
		cmocka_unit_test(
		    short_samples_mostly_identified_in_every_language),
		cmocka_unit_test(greek_script_is_greek_with_full_confidence),
		cmocka_unit_test(cyrillic_narrows_candidates_to_five),
		cmocka_unit_test(serbian_in_both_scripts_is_sr),
		cmocka_unit_test(
		    mixed_script_text_is_judged_by_every_script_it_uses),
		cmocka_unit_test(unique_letters_decide_short_words),
		cmocka_unit_test(too_short_text_is_uncertain_without_code),
		cmocka_unit_test(unsupported_script_is_uncertain),
		cmocka_unit_test(
		    confidences_are_ordered_and_sum_to_at_most_one),
		cmocka_unit_test(close_group_reported_when_inseparable),
		cmocka_unit_test(
		    expected_language_wins_its_group_and_is_no_mismatch),
		cmocka_unit_test(answer_in_another_language_is_a_mismatch),
		cmocka_unit_test(
		    prior_tips_a_close_call_toward_the_expected_language),
		cmocka_unit_test(unknown_expected_code_is_refused),
		cmocka_unit_test(
		    paragraphs_are_split_at_blank_lines_with_offsets),
		cmocka_unit_test(list_items_are_paragraphs_of_their_own),
		cmocka_unit_test(
		    invalid_utf8_and_decomposed_text_still_identified),
		cmocka_unit_test(names_and_groups_of_codes),
		cmocka_unit_test(long_input_is_cut_not_refused),
	};

	return cmocka_run_group_tests(tests, load_samples, free_samples);
}
