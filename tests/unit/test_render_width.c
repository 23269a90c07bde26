/*
 * tests/unit/test_render_width.c - display width per grapheme cluster.
 *
 * One case per width class of render.h; tests/wire/test_render_tmux.sh
 * checks the same classes against what tmux draws.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/core.h"
#include "render/render.h"

static int
w(const char *s)
{
	return width_cluster(s, strlen(s));
}

static void
ascii_and_latin_are_one_column(void **state)
{
	(void)state;
	assert_int_equal(w("a"), 1);
	assert_int_equal(w("\xc3\xa9"), 1);		/* é */
	assert_int_equal(w("\xce\xb1"), 1);		/* α */
	assert_int_equal(w("\xd0\x96"), 1);		/* Ж */
}

static void
east_asian_wide_is_two(void **state)
{
	(void)state;
	assert_int_equal(w("\xe4\xb8\xad"), 2);		/* 中 */
	assert_int_equal(w("\xed\x95\x9c"), 2);		/* 한 */
	assert_int_equal(w("\xef\xbc\xa1"), 2);		/* fullwidth A */
	assert_int_equal(width_text("\xe6\x97\xa5\xe6\x9c\xac", 6), 4);
}

static void
combining_marks_add_nothing(void **state)
{
	(void)state;
	assert_int_equal(w("e\xcc\x81"), 1);
	assert_int_equal(w("a\xcc\x88\xcc\x81"), 1);
	assert_int_equal(width_codepoint(0x0301), 0);
	assert_int_equal(width_text("e\xcc\x81t\xc3\xa9", 6), 3);
}

static void
emoji_presentation_and_modifiers_are_two(void **state)
{
	(void)state;
	assert_int_equal(w("\xf0\x9f\x98\x80"), 2);		/* 😀 */
	assert_int_equal(w("\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd"), 2); /* 👍🏽 */
	assert_int_equal(w("\xf0\x9f\x8f\xbd"), 2);		/* 🏽 alone */
}

/* A skin-tone modifier joins any cluster, but only an emoji takes it in;
 * after a space or a letter a terminal draws it apart, two columns. So
 * " 🏽" measures what " " and "🏽" measure apart (a list item whose text
 * starts with one once made a line a column too wide). */
static void
modifier_after_non_emoji_adds_two(void **state)
{
	(void)state;
	assert_int_equal(w(" \xf0\x9f\x8f\xbd"), 3);
	assert_int_equal(w("a\xf0\x9f\x8f\xbd"), 3);
	assert_int_equal(w("\xf0\x9f\x8f\xbd\xf0\x9f\x8f\xbf"), 4);
	assert_int_equal(w("\xe4\xb8\xad\xf0\x9f\x8f\xbd"), 4);	/* 中🏽 */
	assert_int_equal(w("e\xcc\x81\xf0\x9f\x8f\xbd"), 3);	/* é🏽 */
	assert_int_equal(width_text("- \xf0\x9f\x8f\xbd x", 8),
	    width_text("- ", 2) + width_text("\xf0\x9f\x8f\xbd x", 6));
}

static void
zwj_sequence_is_width_of_first_emoji(void **state)
{
	(void)state;
	assert_int_equal(w("\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9"
	    "\xe2\x80\x8d\xf0\x9f\x91\xa7"), 2);
}

static void
regional_indicator_pair_is_two_and_single_is_one(void **state)
{
	(void)state;
	assert_int_equal(w("\xf0\x9f\x87\xac\xf0\x9f\x87\xb7"), 2);
	assert_int_equal(w("\xf0\x9f\x87\xac"), 1);
}

static void
vs16_makes_text_default_emoji_two(void **state)
{
	(void)state;
	assert_int_equal(w("\xe2\x9d\xa4"), 1);			/* ❤ */
	assert_int_equal(w("\xe2\x9d\xa4\xef\xb8\x8f"), 2);	/* ❤️ */
	assert_int_equal(w("1\xef\xb8\x8f\xe2\x83\xa3"), 1);	/* keycap */
}

static void
controls_are_zero_and_override_table_applies(void **state)
{
	(void)state;
	assert_int_equal(width_codepoint(0x07), 0);
	assert_int_equal(width_codepoint(0x9B), 0);
	assert_int_equal(width_codepoint(0x1FAE0), 2);	/* melting face */
	assert_int_equal(width_codepoint(0x00AD), 1);
}

/* The layout draws list markers, quote bars and code continuation marks
 * with these and counts them one column each without measuring them. */
static void
layout_decorations_are_one_column(void **state)
{
	const char	*v[] = { "\xe2\x80\xa2", "\xe2\x97\xa6",
	    "\xe2\x96\xaa", "\xe2\x98\x90", "\xe2\x98\x91",
	    "\xe2\x94\x82", "\xe2\x86\xaa" };	/* bullets, boxes, bar, mark */
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof v / sizeof v[0]; i++)
		assert_int_equal(width_text(v[i], strlen(v[i])), 1);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(ascii_and_latin_are_one_column),
		cmocka_unit_test(east_asian_wide_is_two),
		cmocka_unit_test(combining_marks_add_nothing),
		cmocka_unit_test(emoji_presentation_and_modifiers_are_two),
		cmocka_unit_test(modifier_after_non_emoji_adds_two),
		cmocka_unit_test(zwj_sequence_is_width_of_first_emoji),
		cmocka_unit_test(regional_indicator_pair_is_two_and_single_is_one),
		cmocka_unit_test(vs16_makes_text_default_emoji_two),
		cmocka_unit_test(controls_are_zero_and_override_table_applies),
		cmocka_unit_test(layout_decorations_are_one_column),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
