/*
 * tests/unit/test_render_utf8.c - UTF-8 decoding that never fails.
 *
 * The expectations follow Unicode 15 section 3.9, "U+FFFD Substitution of
 * Maximal Subparts", including its table 3-8 example.
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

#define FFFD "\xef\xbf\xbd"

static void
clean_is(const char *in, size_t len, const char *want)
{
	size_t	n;
	char	*out = utf8_clean(in, len, &n);

	assert_int_equal(n, strlen(want));
	assert_memory_equal(out, want, n);
	free(out);
}

static void
maximal_subparts_table_3_8(void **state)
{
	(void)state;
	/* 61 F1 80 80 E1 80 C2 62 80 63 80 BF 64 */
	clean_is("a\xf1\x80\x80\xe1\x80\xc2" "b\x80" "c\x80\xbf" "d", 13,
	    "a" FFFD FFFD FFFD "b" FFFD "c" FFFD FFFD "d");
}

static void
overlong_surrogate_and_out_of_range_bytes_each_replaced(void **state)
{
	(void)state;
	clean_is("\xc0\xaf", 2, FFFD FFFD);		/* overlong '/' */
	clean_is("\xe0\x80\xaf", 3, FFFD FFFD FFFD);	/* overlong */
	clean_is("\xed\xa0\x80", 3, FFFD FFFD FFFD);	/* surrogate */
	clean_is("\xf4\x90\x80\x80", 4, FFFD FFFD FFFD FFFD); /* > 10FFFF */
	clean_is("\xf5\x80", 2, FFFD FFFD);
	clean_is("\xfe\xff", 2, FFFD FFFD);
}

static void
truncated_sequence_is_one_replacement(void **state)
{
	(void)state;
	clean_is("\xe2\x82x", 3, FFFD "x");
	clean_is("\xf0\x9f\x98", 3, FFFD);
	clean_is("caf\xc3", 4, "caf" FFFD);
}

static void
valid_text_and_real_fffd_pass_unchanged(void **state)
{
	const char	*s = "\xce\xb1\xd0\xb1\xe4\xb8\xad\xf0\x9f\x98\x80" FFFD;

	(void)state;
	clean_is(s, strlen(s), s);
}

static void
decode_reports_code_point_and_length(void **state)
{
	int32_t	cp;

	(void)state;
	assert_int_equal(utf8_decode("\xe2\x82\xac", 3, &cp), 3);
	assert_int_equal(cp, 0x20AC);
	assert_int_equal(utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1F600);
	assert_int_equal(utf8_decode("\xe2\x28", 2, &cp), 1);
	assert_int_equal(cp, UTF8_REPLACEMENT);
}

static void
encode_round_trips_and_rejects_surrogates(void **state)
{
	char	out[4];
	int32_t	cp, v[] = { 0x41, 0xE9, 0x20AC, 0x1F600, 0x10FFFF };
	size_t	i, n;

	(void)state;
	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		n = utf8_encode(v[i], out);
		assert_int_equal(utf8_decode(out, n, &cp), n);
		assert_int_equal(cp, v[i]);
	}
	assert_int_equal(utf8_encode(0xD800, out), 3);
	assert_memory_equal(out, FFFD, 3);
}

static void
complete_holds_back_only_a_sequence_that_can_finish(void **state)
{
	(void)state;
	assert_int_equal(utf8_complete("ab\xe2\x82", 4), 2);
	assert_int_equal(utf8_complete("ab\xe2", 3), 2);
	assert_int_equal(utf8_complete("ab\xe2\x82\xac", 5), 5);
	assert_int_equal(utf8_complete("ab\xf0\x9f\x98", 5), 2);
	/* Cannot complete: decided now. */
	assert_int_equal(utf8_complete("ab\xe0\x80", 4), 4);
	assert_int_equal(utf8_complete("ab\x80", 3), 3);
	assert_int_equal(utf8_complete("", 0), 0);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(maximal_subparts_table_3_8),
		cmocka_unit_test(overlong_surrogate_and_out_of_range_bytes_each_replaced),
		cmocka_unit_test(truncated_sequence_is_one_replacement),
		cmocka_unit_test(valid_text_and_real_fffd_pass_unchanged),
		cmocka_unit_test(decode_reports_code_point_and_length),
		cmocka_unit_test(encode_round_trips_and_rejects_surrogates),
		cmocka_unit_test(complete_holds_back_only_a_sequence_that_can_finish),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
