/*
 * tests/unit/test_ndjson.c - the NDJSON push parser (PROTOCOLS.md 1.3).
 * Each input is fed whole and in chunks of 1, 2, 3, 5, 7, 13 and 64
 * bytes, and the lines must be the same every time.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/adapter_impl.h"

static const size_t steps[] = { 0, 1, 2, 3, 5, 7, 13, 64 };
#define NSTEPS (sizeof steps / sizeof steps[0])

struct rec {
	struct buf	out;
	int		stop_after;
	int		count;
};

static int
rec_line(const char *line, size_t len, void *arg)
{
	struct rec	*r = arg;

	assert_true(len > 0);
	buf_addc(&r->out, '[');
	buf_add(&r->out, line, len);
	buf_addstr(&r->out, "]\n");
	r->count++;
	if (r->stop_after > 0 && r->count >= r->stop_after)
		return 5;
	return 0;
}

static char *
run(const char *s, size_t len, size_t step, size_t limit)
{
	struct rec	 r;
	struct ndjson	*p;
	size_t		 off = 0, n;
	int		 fr = 0, fin;

	memset(&r, 0, sizeof r);
	buf_init(&r.out, BUF_NO_LIMIT);
	p = ndjson_create(rec_line, &r);
	if (limit > 0)
		ndjson_set_limit(p, limit);
	while (off < len) {
		n = step == 0 || len - off < step ? len - off : step;
		if ((fr = ndjson_feed(p, s + off, n)) != 0)
			break;
		off += n;
	}
	fin = ndjson_finish(p);
	ndjson_free(p);
	buf_addf(&r.out, "feed=%d finish=%d", fr, fin);
	return buf_take(&r.out, NULL);
}

static void
check_limit(const char *s, size_t limit, const char *want)
{
	char	*got;
	size_t	 i;

	for (i = 0; i < NSTEPS; i++) {
		got = run(s, strlen(s), steps[i], limit);
		if (strcmp(got, want) != 0)
			print_error("chunks of %zu bytes\n", steps[i]);
		assert_string_equal(got, want);
		free(got);
	}
}

static void
check(const char *s, const char *want)
{
	check_limit(s, 0, want);
}

static void
ndjson_one_callback_per_line(void **state)
{
	(void)state;
	check("{\"a\":1}\n{\"b\":2}\n", "[{\"a\":1}]\n[{\"b\":2}]\nfeed=0 finish=0");
}

static void
ndjson_cr_before_lf_is_dropped(void **state)
{
	(void)state;
	check("{\"a\":1}\r\n{\"b\":\"x\\r\"}\r\n",
	    "[{\"a\":1}]\n[{\"b\":\"x\\r\"}]\nfeed=0 finish=0");
	/* A lone CR is not a line end. */
	check("a\rb\n", "[a\rb]\nfeed=0 finish=0");
}

static void
ndjson_empty_lines_are_skipped(void **state)
{
	(void)state;
	check("\n\n{}\n\r\n\n{}\n", "[{}]\n[{}]\nfeed=0 finish=0");
}

static void
ndjson_unterminated_last_line_is_a_cut(void **state)
{
	(void)state;
	check("{\"a\":1}\n{\"done\":true}", "[{\"a\":1}]\nfeed=0 finish=1");
	check("{\"a\":1}\n  ", "[{\"a\":1}]\nfeed=0 finish=0");
	check("", "feed=0 finish=0");
}

static void
ndjson_multibyte_character_split_across_chunks(void **state)
{
	(void)state;
	check("{\"c\":\"\xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x8c\x8d \xe2\x80\xa8\"}\n",
	    "[{\"c\":\"\xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x8c\x8d \xe2\x80\xa8\"}]\n"
	    "feed=0 finish=0");
}

static void
ndjson_callback_value_stops_the_parser(void **state)
{
	struct rec	 r;
	struct ndjson	*p;

	(void)state;
	memset(&r, 0, sizeof r);
	buf_init(&r.out, BUF_NO_LIMIT);
	r.stop_after = 1;
	p = ndjson_create(rec_line, &r);
	assert_int_equal(ndjson_feed(p, "1\n2\n3\n", 6), 5);
	assert_string_equal(r.out.data, "[1]\n");
	ndjson_free(p);
	buf_release(&r.out);
}

static void
ndjson_cap_on_lines(void **state)
{
	(void)state;
	check_limit("0123456789\n", 10, "[0123456789]\nfeed=0 finish=0");
	check_limit("0123456789a\n", 10, "feed=-1 finish=0");
	check_limit("012345678901234567890123456789", 10, "feed=-1 finish=0");
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(ndjson_one_callback_per_line),
		cmocka_unit_test(ndjson_cr_before_lf_is_dropped),
		cmocka_unit_test(ndjson_empty_lines_are_skipped),
		cmocka_unit_test(ndjson_unterminated_last_line_is_a_cut),
		cmocka_unit_test(ndjson_multibyte_character_split_across_chunks),
		cmocka_unit_test(ndjson_callback_value_stops_the_parser),
		cmocka_unit_test(ndjson_cap_on_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
