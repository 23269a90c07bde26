/*
 * tests/unit/test_render_wrap.c - wrapping by display width.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/core.h"
#include "render/render.h"

/* Wrap s at width and compare with the lines joined by '|'. */
static void
wraps(const char *s, int width, const char *want)
{
	struct wrap_line	*wl;
	size_t			 n, i;
	struct buf		 b;

	n = wrap_lines(s, strlen(s), width, &wl);
	buf_init(&b, BUF_NO_LIMIT);
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(&b, '|');
		buf_add(&b, s + wl[i].start, wl[i].end - wl[i].start);
		assert_true(wl[i].width == (int)width_text(s + wl[i].start,
		    wl[i].end - wl[i].start));
	}
	buf_addc(&b, 0);
	if (strcmp(b.data, want) != 0) {
		fprintf(stderr, "# width %d: want '%s' got '%s'\n", width, want,
		    b.data);
		fail();
	}
	buf_release(&b);
	free(wl);
}

static void
breaks_at_spaces(void **state)
{
	(void)state;
	wraps("the quick brown fox", 10, "the quick|brown fox");
	wraps("aaa bbb ccc", 7, "aaa bbb|ccc");
}

static void
trailing_spaces_do_not_wrap(void **state)
{
	(void)state;
	wraps("abcde     ", 5, "abcde");
	wraps("abc   def", 3, "abc|def");
}

static void
breaks_after_hyphen_and_dash(void **state)
{
	(void)state;
	wraps("state-of-the-art", 9, "state-of-|the-art");
	wraps("well\xe2\x80\x94known", 6, "well\xe2\x80\x94|known");
	wraps("a -b", 2, "a|-b");
}

static void
breaks_long_url_after_slash(void **state)
{
	(void)state;
	wraps("https://ex.org/abc/defgh", 15, "https://ex.org/|abc/defgh");
}

static void
breaks_between_cjk_characters(void **state)
{
	(void)state;
	wraps("\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97\xe7\xac\xa6", 5,
	    "\xe4\xb8\xad\xe6\x96\x87|\xe5\xad\x97\xe7\xac\xa6");
	wraps("ab\xe4\xb8\xad", 3, "ab|\xe4\xb8\xad");
}

static void
cjk_stops_do_not_start_and_brackets_do_not_end_a_line(void **state)
{
	(void)state;
	wraps("\xe5\xad\x97\xe7\xac\xa6\xe3\x80\x82", 4,
	    "\xe5\xad\x97|\xe7\xac\xa6\xe3\x80\x82");	/* 字符。 */
	wraps("ab\xe3\x80\x8c\xe5\xbc\x95", 4,
	    "ab|\xe3\x80\x8c\xe5\xbc\x95");		/* ab「引 */
}

static void
long_word_breaks_at_grapheme_boundaries(void **state)
{
	(void)state;
	wraps("abcdefgh", 3, "abc|def|gh");
	/* e + combining acute never split */
	wraps("e\xcc\x81" "e\xcc\x81" "e\xcc\x81", 2,
	    "e\xcc\x81" "e\xcc\x81|e\xcc\x81");
	/* a wide cluster alone on a 1-column line */
	wraps("\xe4\xb8\xad\xe6\x96\x87", 1, "\xe4\xb8\xad|\xe6\x96\x87");
}

static void
greek_cyrillic_emoji_measured_by_columns(void **state)
{
	(void)state;
	wraps("\xce\xb1\xce\xb2\xce\xb3 \xd0\xb4\xd0\xb5\xd0\xb6", 7,
	    "\xce\xb1\xce\xb2\xce\xb3 \xd0\xb4\xd0\xb5\xd0\xb6");
	wraps("\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80", 4,
	    "\xf0\x9f\x98\x80\xf0\x9f\x98\x80|\xf0\x9f\x98\x80");
}

static void
newline_forces_break_and_empty_input_is_one_line(void **state)
{
	(void)state;
	wraps("a\nb", 10, "a|b");
	wraps("", 10, "");
	wraps("a\n", 10, "a|");
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(breaks_at_spaces),
		cmocka_unit_test(trailing_spaces_do_not_wrap),
		cmocka_unit_test(breaks_after_hyphen_and_dash),
		cmocka_unit_test(breaks_long_url_after_slash),
		cmocka_unit_test(breaks_between_cjk_characters),
		cmocka_unit_test(cjk_stops_do_not_start_and_brackets_do_not_end_a_line),
		cmocka_unit_test(long_word_breaks_at_grapheme_boundaries),
		cmocka_unit_test(greek_cyrillic_emoji_measured_by_columns),
		cmocka_unit_test(newline_forces_break_and_empty_input_is_one_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
