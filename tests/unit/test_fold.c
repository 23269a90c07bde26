/*
 * tests/unit/test_fold.c - search folding (lang/fold.c): a table of words
 * across European languages and scripts with the form people type, and
 * the word splitter's offsets.
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

static char *
fold(const char *s)
{
	struct buf	b;

	buf_init(&b, BUF_NO_LIMIT);
	buf_addstr(&b, "");
	assert_int_equal(lang_fold(s, strlen(s), &b), 0);
	return (buf_take(&b, NULL));
}

/* The written word, and what a person types without accents or case. */
static const struct {
	const char	*lang;
	const char	*text;
	const char	*typed;
} pairs[] = {
	{ "de", "Straße", "strasse" },
	{ "de", "STRASSE", "strasse" },
	{ "de", "Größe", "grosse" },
	{ "de", "Übermäßig", "ubermassig" },
	{ "de", "ẞ", "ss" },
	{ "pl", "Łódź", "lodz" },
	{ "pl", "źdźbło", "zdzblo" },
	{ "pl", "ŻÓŁĆ", "zolc" },
	{ "pl", "gęślą", "gesla" },
	{ "cs", "Příliš žluťoučký kůň", "prilis zlutoucky kun" },
	{ "cs", "ĎÁBEL", "dabel" },
	{ "sk", "ľúbostný", "lubostny" },
	{ "sk", "Ŕ", "r" },
	{ "sl", "češnja", "cesnja" },
	{ "hr", "Đakovo", "dakovo" },
	{ "hr", "đurđica", "durdica" },
	{ "sr", "Ђорђе", "ђорђе" },
	{ "fr", "Crème brûlée", "creme brulee" },
	{ "fr", "Œuvre", "oeuvre" },
	{ "fr", "cœur", "coeur" },
	{ "fr", "ÇA", "ca" },
	{ "es", "Año", "ano" },
	{ "es", "¿Qué?", "¿que?" },
	{ "pt", "Ação", "acao" },
	{ "pt", "pão", "pao" },
	{ "it", "Perché", "perche" },
	{ "ca", "col·lecció", "col·leccio" },
	{ "ca", "Ŀ", "l·" },
	{ "ro", "Știință", "stiinta" },
	{ "ro", "Țară", "tara" },
	{ "hu", "Árvíztűrő tükörfúrógép", "arvizturo tukorfurogep" },
	{ "hu", "Ő", "o" },
	{ "da", "Ærø", "aero" },
	{ "da", "blåbærsyltetøj", "blabaersyltetoj" },
	{ "no", "Øl", "ol" },
	{ "sv", "Ångström", "angstrom" },
	{ "fi", "Hyvää yötä", "hyvaa yota" },
	{ "et", "Jõgeva", "jogeva" },
	{ "is", "Þingvellir", "thingvellir" },
	{ "is", "Eðlisfræði", "edlisfraedi" },
	{ "fo", "Føroyar", "foroyar" },
	{ "mt", "Ħamrun", "hamrun" },
	{ "mt", "ċirasa", "cirasa" },
	{ "tr", "Işık", "isik" },
	{ "tr", "İstanbul", "istanbul" },
	{ "lv", "Rīga", "riga" },
	{ "lv", "ģimene", "gimene" },
	{ "lt", "Šiauliai", "siauliai" },
	{ "lt", "ąžuolas", "azuolas" },
	{ "se", "Ŧ", "t" },
	{ "nl", "Ĳsselmeer", "ijsselmeer" },
	{ "cy", "Ŵ", "w" },
	{ "ga", "Éire", "eire" },
	{ "el", "Ελληνικά", "ελληνικα" },
	{ "el", "ΕΛΛΗΝΙΚΆ", "ελληνικα" },
	{ "el", "λόγος", "λογοσ" },
	{ "el", "ΛΌΓΟΣ", "λογοσ" },
	{ "el", "Ἀθῆναι", "αθηναι" },
	{ "el", "προϊόν", "προιον" },
	{ "ru", "Ёлка", "елка" },
	{ "ru", "МОСКВА", "москва" },
	{ "uk", "Їжак", "іжак" },
	{ "be", "Ўсход", "усход" },
	{ "bg", "ЪГЪЛ", "ъгъл" },
	{ "mk", "Ѓорѓи", "горги" },
	{ "hy", "ՀԱՅԱՍՏԱՆ", "հայաստան" },
	{ "ka", "საქართველო", "საქართველო" },
	{ "la", "ﬁnis", "finis" },
	{ "xx", "①②", "12" },
	{ "xx", "ＡＢＣ", "abc" },
	{ "xx", "ſ", "s" },
};

static void
fold_table_maps_every_word_to_its_typed_form(void **state)
{
	size_t	 i, failed = 0;
	char	*a;

	(void)state;
	for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		a = fold(pairs[i].text);
		if (strcmp(a, pairs[i].typed) != 0) {
			print_error("%s: '%s' folds to '%s', want '%s'\n",
			    pairs[i].lang, pairs[i].text, a, pairs[i].typed);
			failed++;
		}
		free(a);
	}
	assert_int_equal(failed, 0);
}

static void
fold_table_covers_sixty_pairs_and_twenty_languages(void **state)
{
	const char	*seen[128];
	size_t		 nseen = 0, i, j;

	(void)state;
	assert_true(sizeof pairs / sizeof pairs[0] >= 60);
	for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		for (j = 0; j < nseen; j++)
			if (strcmp(seen[j], pairs[i].lang) == 0)
				break;
		if (j == nseen)
			seen[nseen++] = pairs[i].lang;
	}
	assert_true(nseen >= 20);
}

static void
fold_typed_form_is_a_fixed_point(void **state)
{
	size_t	 i;
	char	*a;

	(void)state;
	for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		a = fold(pairs[i].typed);
		assert_string_equal(a, pairs[i].typed);
		free(a);
	}
}

static void
fold_invalid_utf8_becomes_replacement(void **state)
{
	struct buf	 b;
	char		*s;

	(void)state;
	buf_init(&b, BUF_NO_LIMIT);
	assert_int_equal(lang_fold("A\xff" "B", 3, &b), 0);
	s = buf_take(&b, NULL);
	assert_string_equal(s, "a\xef\xbf\xbd" "b");
	free(s);
}

static void
fold_reports_buffer_limit(void **state)
{
	struct buf	b;

	(void)state;
	buf_init(&b, 4);
	assert_int_equal(lang_fold("Straße und mehr", 16, &b), -1);
	buf_release(&b);
}

struct toks {
	char	words[16][64];
	size_t	start[16];
	size_t	end[16];
	size_t	n;
};

static int
collect(void *arg, const char *folded, size_t flen, size_t start,
    size_t end)
{
	struct toks	*t = arg;

	assert_true(t->n < 16);
	assert_true(flen < 64);
	memcpy(t->words[t->n], folded, flen);
	t->words[t->n][flen] = '\0';
	t->start[t->n] = start;
	t->end[t->n] = end;
	t->n++;
	return (0);
}

static void
tokenize_gives_folded_words_with_original_offsets(void **state)
{
	const char	*s = "Łódź, l'Œuvre — 3.14 STRAẞE!";
	struct toks	 t;

	(void)state;
	memset(&t, 0, sizeof t);
	assert_int_equal(lang_tokenize(s, strlen(s), collect, &t), 0);
	assert_int_equal(t.n, 6);
	assert_string_equal(t.words[0], "lodz");
	assert_int_equal(t.start[0], 0);
	assert_int_equal(t.end[0], strlen("Łódź"));
	assert_string_equal(t.words[1], "l");
	assert_string_equal(t.words[2], "oeuvre");
	assert_int_equal(t.start[2], strlen("Łódź, l'"));
	assert_int_equal(t.end[2], strlen("Łódź, l'Œuvre"));
	assert_string_equal(t.words[3], "3");
	assert_string_equal(t.words[4], "14");
	assert_string_equal(t.words[5], "strasse");
	assert_int_equal(t.end[5], strlen(s) - 1);
}

static void
tokenize_keeps_combining_marks_inside_words(void **state)
{
	/* "Łódź" spelled with combining marks: one word, same folding. */
	const char	*s = "L\xcc\xa6o\xcc\x81" "dz\xcc\x81 x";
	struct toks	 t;

	(void)state;
	memset(&t, 0, sizeof t);
	lang_tokenize(s, strlen(s), collect, &t);
	assert_int_equal(t.n, 2);
	assert_string_equal(t.words[0], "lodz");
	assert_string_equal(t.words[1], "x");
}

static void
tokenize_splits_ideographs_one_per_word(void **state)
{
	const char	*s = "東京タワー abc";
	struct toks	 t;

	(void)state;
	memset(&t, 0, sizeof t);
	lang_tokenize(s, strlen(s), collect, &t);
	assert_int_equal(t.n, 6);
	assert_string_equal(t.words[0], "東");
	assert_int_equal(t.start[1], 3);
	assert_int_equal(t.end[1], 6);
	assert_string_equal(t.words[5], "abc");
}

static void
tokenize_treats_invalid_bytes_and_controls_as_separators(void **state)
{
	const char	*s = "ab\xff" "cd\x1b[1mef";
	struct toks	 t;

	(void)state;
	memset(&t, 0, sizeof t);
	lang_tokenize(s, strlen(s), collect, &t);
	assert_int_equal(t.n, 3);
	assert_string_equal(t.words[0], "ab");
	assert_string_equal(t.words[1], "cd");
	assert_string_equal(t.words[2], "1mef");
}

struct longword {
	size_t	n;
	size_t	flen;
	size_t	end;
	bool	valid;
};

static int
collect_long(void *arg, const char *folded, size_t flen, size_t start,
    size_t end)
{
	struct longword	*w = arg;
	const char	*p;

	(void)start;
	w->n++;
	w->flen = flen;
	w->end = end;
	w->valid = true;
	for (p = folded; p < folded + flen; p += 2) {
		if (p + 1 >= folded + flen || memcmp(p, "\xce\xb1", 2) != 0)
			w->valid = false;
	}
	return (0);
}

static void
tokenize_cuts_long_words_at_a_character_boundary(void **state)
{
	char		s[2001];
	size_t		i;
	struct longword	w;

	(void)state;
	for (i = 0; i + 2 < sizeof s; i += 2)
		memcpy(s + i, "\xce\x91", 2);	/* Α folds to α */
	s[i] = '\0';
	memset(&w, 0, sizeof w);
	lang_tokenize(s, strlen(s), collect_long, &w);
	assert_int_equal(w.n, 1);
	assert_true(w.flen <= LANG_TOKEN_MAX);
	assert_true(w.flen > LANG_TOKEN_MAX - 8);
	assert_true(w.valid);
	assert_int_equal(w.end, strlen(s));
}

static int
stop_at_second(void *arg, const char *f, size_t fl, size_t s, size_t e)
{
	int	*n = arg;

	(void)f;
	(void)fl;
	(void)s;
	(void)e;
	return (++*n == 2 ? 7 : 0);
}

static void
tokenize_stops_when_the_callback_says_so(void **state)
{
	int	n = 0;

	(void)state;
	assert_int_equal(lang_tokenize("a b c", 5, stop_at_second, &n), 7);
	assert_int_equal(n, 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fold_table_maps_every_word_to_its_typed_form),
		cmocka_unit_test(
		    fold_table_covers_sixty_pairs_and_twenty_languages),
		cmocka_unit_test(fold_typed_form_is_a_fixed_point),
		cmocka_unit_test(fold_invalid_utf8_becomes_replacement),
		cmocka_unit_test(fold_reports_buffer_limit),
		cmocka_unit_test(
		    tokenize_gives_folded_words_with_original_offsets),
		cmocka_unit_test(tokenize_keeps_combining_marks_inside_words),
		cmocka_unit_test(tokenize_splits_ideographs_one_per_word),
		cmocka_unit_test(
		    tokenize_treats_invalid_bytes_and_controls_as_separators),
		cmocka_unit_test(
		    tokenize_cuts_long_words_at_a_character_boundary),
		cmocka_unit_test(tokenize_stops_when_the_callback_says_so),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
