/*
 * tests/unit/test_render_diff.c - word diff.
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

/* The diff as text: =same -del +ins ~a/b, spans separated by '|'. */
static char *
show(const char *a, const char *b)
{
	struct diff_span	*d;
	size_t			 n, i;
	struct buf		 out;

	n = diff_words(a, strlen(a), b, strlen(b), &d);
	buf_init(&out, BUF_NO_LIMIT);
	buf_add(&out, "", 0);
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(&out, '|');
		switch (d[i].op) {
		case DIFF_EQUAL:
			buf_addf(&out, "=%.*s", (int)d[i].a_len, a + d[i].a_off);
			break;
		case DIFF_DELETE:
			buf_addf(&out, "-%.*s", (int)d[i].a_len, a + d[i].a_off);
			break;
		case DIFF_INSERT:
			buf_addf(&out, "+%.*s", (int)d[i].b_len, b + d[i].b_off);
			break;
		case DIFF_CASE:
			buf_addf(&out, "~%.*s/%.*s", (int)d[i].a_len,
			    a + d[i].a_off, (int)d[i].b_len, b + d[i].b_off);
			break;
		}
	}
	free(d);
	return buf_take(&out, NULL);
}

static void
diff_is(const char *a, const char *b, const char *want)
{
	char	*got = show(a, b);

	if (strcmp(got, want) != 0) {
		fprintf(stderr, "# want '%s' got '%s'\n", want, got);
		fail();
	}
	free(got);
}

static void
identical_texts_are_one_equal_span(void **state)
{
	(void)state;
	diff_is("the same text", "the same text", "=the same text");
	diff_is("", "", "");
}

static void
changed_word_is_delete_then_insert(void **state)
{
	(void)state;
	diff_is("the quick fox", "the slow fox", "=the |-quick|+slow|= fox");
	diff_is("a b", "a b c", "=a b|+ c");
	diff_is("x y z", "y z", "-x |=y z");
}

static void
accent_only_change_is_its_own_class(void **state)
{
	(void)state;
	diff_is("češnja je zrela", "cesnja je zrela",
	    "~češnja/cesnja|= je zrela");
	diff_is("Łódź", "lodz", "~Łódź/lodz");
	diff_is("Ελληνικά", "ελληνικα", "~Ελληνικά/ελληνικα");
}

static void
case_only_change_is_its_own_class(void **state)
{
	(void)state;
	diff_is("Hello World", "hello world", "~Hello/hello|= |~World/world");
	diff_is("Straße", "STRASSE", "~Straße/STRASSE");
}

static void
punctuation_is_its_own_token(void **state)
{
	(void)state;
	diff_is("yes, really", "yes; really", "=yes|-,|+;|= really");
}

static void
cjk_and_emoji_tokens_are_whole_clusters(void **state)
{
	(void)state;
	diff_is("ok 👍🏽", "ok 👍🏿", "=ok |-👍🏽|+👍🏿");
	diff_is("日本語", "日本人", "-日本語|+日本人");
}

static void
spans_cover_both_texts_in_order(void **state)
{
	const char		*a = "one two three four five six";
	const char		*b = "zero one three FOUR six seven";
	struct diff_span	*d;
	size_t			 n, i, ap = 0, bp = 0;

	(void)state;
	n = diff_words(a, strlen(a), b, strlen(b), &d);
	for (i = 0; i < n; i++) {
		assert_int_equal(d[i].a_off, ap);
		assert_int_equal(d[i].b_off, bp);
		ap += d[i].a_len;
		bp += d[i].b_len;
	}
	assert_int_equal(ap, strlen(a));
	assert_int_equal(bp, strlen(b));
	free(d);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(identical_texts_are_one_equal_span),
		cmocka_unit_test(changed_word_is_delete_then_insert),
		cmocka_unit_test(accent_only_change_is_its_own_class),
		cmocka_unit_test(case_only_change_is_its_own_class),
		cmocka_unit_test(punctuation_is_its_own_token),
		cmocka_unit_test(cjk_and_emoji_tokens_are_whole_clusters),
		cmocka_unit_test(spans_cover_both_texts_in_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
