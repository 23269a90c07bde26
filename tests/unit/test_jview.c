/*
 * tests/unit/test_jview.c - the in-place JSON reader of net/.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "net/jview.h"

static int
parse(const char *s, struct jv *v)
{
	return jv_parse(s, strlen(s), v);
}

static void
jview_accepts_valid_documents(void **state)
{
	static const char *ok[] = {
		"{}", "[]", " {\"a\" : [1, -2.5e+3, true, false, null]} ",
		"\"x\"", "0", "-0.0", "1E9", "[[[[]]]]",
		"{\"a\":{\"b\":{\"c\":\"\\u00e9\\ud83d\\udc4d\\n\"}}}",
		"\t\r\n[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]\n",
		"{\"\":\"\"}", "\"\xc5\xa1\"", "\"\xff raw bytes pass\"",
	};
	struct jv	v;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		if (parse(ok[i], &v) != 0)
			fail_msg("rejected valid %s", ok[i]);
	}
}

static void
jview_rejects_invalid_documents(void **state)
{
	static const char *bad[] = {
		"", " ", "{", "}", "[1,]", "{\"a\":}", "{\"a\" 1}", "{a:1}",
		"[01]", "[1.]", "[.5]", "[+1]", "[1e]", "tru", "nul", "[nan]",
		"\"abc", "\"\\x\"", "\"\\u12\"", "\"\\u12g4\"", "\"a\nb\"",
		"{} {}", "[1] x", "{\"a\":1,}", "[,1]", "'x'",
	};
	struct jv	v;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (parse(bad[i], &v) == 0)
			fail_msg("accepted invalid '%s'", bad[i]);
	}
}

static void
jview_limits_nesting_depth(void **state)
{
	char		*s;
	struct jv	 v;
	size_t		 n;

	(void)state;
	n = JV_MAX_DEPTH;
	s = calloc(1, 2 * n + 2);
	memset(s, '[', n);
	memset(s + n, ']', n);
	assert_int_equal(jv_parse(s, 2 * n, &v), 0);
	memset(s, '[', n + 1);
	memset(s + n + 1, ']', n + 1);
	assert_int_equal(jv_parse(s, 2 * n + 2, &v), -1);
	free(s);
}

static void
jview_gets_nested_members_of_an_openai_chunk(void **state)
{
	const char	*chunk = "{\"id\":\"c1\",\"choices\":[{\"index\":0,"
	    "\"delta\":{\"content\":\"Pozdrav, \\\"svet\\\"\"},"
	    "\"finish_reason\":null}],\"usage\":null}";
	struct jv	 root, choices, c0, delta, content, fr;
	struct jv_iter	 it;
	struct buf	 b;

	(void)state;
	assert_int_equal(parse(chunk, &root), 0);
	assert_true(jv_get_type(&root, "choices", JV_ARRAY, &choices));
	jv_iter_init(&it, &choices);
	assert_true(jv_iter_next(&it, NULL, &c0));
	assert_false(jv_iter_next(&it, NULL, &c0) && false);
	assert_true(jv_get_type(&c0, "delta", JV_OBJECT, &delta));
	assert_true(jv_get_type(&delta, "content", JV_STRING, &content));
	buf_init(&b, BUF_NO_LIMIT);
	assert_int_equal(jv_string(&content, &b), 0);
	assert_string_equal(b.data, "Pozdrav, \"svet\"");
	buf_release(&b);
	assert_true(jv_get(&c0, "finish_reason", &fr));
	assert_int_equal(jv_type(&fr), JV_NULL);
	assert_false(jv_get(&root, "nope", &fr));
	assert_false(jv_get(&content, "x", &fr));
}

static void
jview_iterates_members_and_elements(void **state)
{
	const char	*doc = "{ \"a\" : 1 , \"b\":[ 1 ,{\"x\":[]} , \"s\" ] ,"
	    "\"c\":{}}";
	struct jv	 root, k, v, b;
	struct jv_iter	 it;
	int		 n = 0;

	(void)state;
	assert_int_equal(parse(doc, &root), 0);
	jv_iter_init(&it, &root);
	while (jv_iter_next(&it, &k, &v))
		n++;
	assert_int_equal(n, 3);
	assert_true(jv_get(&root, "b", &b));
	jv_iter_init(&it, &b);
	n = 0;
	while (jv_iter_next(&it, NULL, &v))
		n++;
	assert_int_equal(n, 3);
	assert_true(jv_get(&root, "c", &v));
	assert_int_equal(v.n, 2);
}

static void
jview_joins_surrogate_pairs_and_replaces_lone_ones(void **state)
{
	struct jv	v;
	struct buf	b;

	(void)state;
	buf_init(&b, BUF_NO_LIMIT);
	assert_int_equal(parse("\"\\ud83d\\udc4d\\u0161\\u4e2d\"", &v), 0);
	assert_int_equal(jv_string(&v, &b), 0);
	assert_string_equal(b.data, "\xf0\x9f\x91\x8d\xc5\xa1\xe4\xb8\xad");
	buf_reset(&b);
	assert_int_equal(parse("\"a\\ud83db\\udc4d\"", &v), 0);
	assert_int_equal(jv_string(&v, &b), 0);
	assert_string_equal(b.data, "a\xef\xbf\xbd" "b\xef\xbf\xbd");
	buf_reset(&b);
	assert_int_equal(parse("\"\\u2028\\u0000x\"", &v), 0);
	assert_int_equal(jv_string(&v, &b), 0);
	assert_int_equal(b.len, 5);
	assert_memory_equal(b.data, "\xe2\x80\xa8\0x", 5);
	buf_release(&b);
}

static void
jview_compares_escaped_keys_unescaped(void **state)
{
	struct jv	root, v;
	int64_t		n;

	(void)state;
	assert_int_equal(parse("{\"cont\\u0065nt\":7,\"content\":8}", &root), 0);
	assert_true(jv_get(&root, "content", &v));
	assert_int_equal(jv_int64(&v, &n), 0);
	assert_int_equal(n, 7);	/* the first of duplicate keys wins */
}

static void
jview_reads_integers(void **state)
{
	static const struct {
		const char	*s;
		int64_t		 n;
		int		 r;
	} cases[] = {
		{ "0", 0, 0 }, { "12345", 12345, 0 }, { "-7", -7, 0 },
		{ "1e3", 1000, 0 }, { "2.9", 2, 0 },
		{ "9223372036854775807", 0, -1 }, { "1e300", 0, -1 },
		{ "\"5\"", 0, -1 },
	};
	struct jv	v;
	int64_t		n;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(parse(cases[i].s, &v), 0);
		assert_int_equal(jv_int64(&v, &n), cases[i].r);
		if (cases[i].r == 0)
			assert_int_equal(n, cases[i].n);
	}
}

static void
jview_string_respects_buffer_cap(void **state)
{
	struct jv	v;
	struct buf	b;

	(void)state;
	buf_init(&b, 3);
	assert_int_equal(parse("\"abcdef\"", &v), 0);
	assert_int_equal(jv_string(&v, &b), -1);
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(jview_accepts_valid_documents),
		cmocka_unit_test(jview_rejects_invalid_documents),
		cmocka_unit_test(jview_limits_nesting_depth),
		cmocka_unit_test(jview_gets_nested_members_of_an_openai_chunk),
		cmocka_unit_test(jview_iterates_members_and_elements),
		cmocka_unit_test(jview_joins_surrogate_pairs_and_replaces_lone_ones),
		cmocka_unit_test(jview_compares_escaped_keys_unescaped),
		cmocka_unit_test(jview_reads_integers),
		cmocka_unit_test(jview_string_respects_buffer_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
