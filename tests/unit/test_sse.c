/*
 * tests/unit/test_sse.c - the SSE push parser against every rule of
 * PROTOCOLS.md 1.1. Each input is fed whole and in chunks of 1, 2, 3, 5,
 * 7, 13 and 64 bytes, and the events must be the same every time.
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
	int		stop_after;	/* return 7 from this event on; 0 never */
	int		count;
};

/* Events as "type|data" lines; LF in data shows as \n, CR as \r. */
static int
rec_event(const char *type, const char *data, size_t len, void *arg)
{
	struct rec	*r = arg;
	size_t		 i;

	assert_int_equal(data[len], '\0');
	buf_addf(&r->out, "%s|", type);
	for (i = 0; i < len; i++) {
		if (data[i] == '\n')
			buf_addstr(&r->out, "\\n");
		else if (data[i] == '\r')
			buf_addstr(&r->out, "\\r");
		else
			buf_addc(&r->out, data[i]);
	}
	buf_addc(&r->out, '\n');
	r->count++;
	if (r->stop_after > 0 && r->count >= r->stop_after)
		return 7;
	return 0;
}

/* Feed s in chunks of step bytes (0: whole); the record ends with
 * "feed=N finish=N". */
static char *
run(const char *s, size_t len, size_t step, size_t limit)
{
	struct rec	 r;
	struct sse	*p;
	size_t		 off = 0, n;
	int		 fr = 0, fin;

	memset(&r, 0, sizeof r);
	buf_init(&r.out, BUF_NO_LIMIT);
	p = sse_create(rec_event, &r);
	if (limit > 0)
		sse_set_limit(p, limit);
	while (off < len) {
		n = step == 0 || len - off < step ? len - off : step;
		if ((fr = sse_feed(p, s + off, n)) != 0)
			break;
		off += n;
	}
	fin = sse_finish(p);
	sse_free(p);
	buf_addf(&r.out, "feed=%d finish=%d", fr, fin);
	return buf_take(&r.out, NULL);
}

static void
check(const char *s, const char *want)
{
	char	*got;
	size_t	 i;

	for (i = 0; i < NSTEPS; i++) {
		got = run(s, strlen(s), steps[i], 0);
		if (strcmp(got, want) != 0)
			print_error("chunks of %zu bytes\n", steps[i]);
		assert_string_equal(got, want);
		free(got);
	}
}

static void
sse_lf_line_ends(void **state)
{
	(void)state;
	check("data: a\n\ndata: b\n\n", "message|a\nmessage|b\n"
	    "feed=0 finish=0");
}

static void
sse_cr_line_ends(void **state)
{
	(void)state;
	check("data: a\r\rdata: b\rdata: c\r\r", "message|a\nmessage|b\\nc\n"
	    "feed=0 finish=0");
}

static void
sse_crlf_line_ends(void **state)
{
	(void)state;
	check("data: a\r\n\r\ndata: b\r\ndata: c\r\n\r\n",
	    "message|a\nmessage|b\\nc\nfeed=0 finish=0");
}

static void
sse_mixed_line_ends(void **state)
{
	(void)state;
	check("data: a\rdata: b\ndata: c\r\ndata: d\n\r\n",
	    "message|a\\nb\\nc\\nd\nfeed=0 finish=0");
}

static void
sse_cr_at_chunk_end_pairs_with_lf(void **state)
{
	static const char	 s[] = "data:ok\r\n\r\n";
	struct rec		 r;
	struct sse		*p;
	size_t			 cut, len = sizeof s - 1;

	(void)state;
	/* openai-python test_every_chunk_boundary: split at every offset. */
	for (cut = 0; cut <= len; cut++) {
		memset(&r, 0, sizeof r);
		buf_init(&r.out, BUF_NO_LIMIT);
		p = sse_create(rec_event, &r);
		assert_int_equal(sse_feed(p, s, cut), 0);
		assert_int_equal(sse_feed(p, s + cut, len - cut), 0);
		assert_int_equal(sse_finish(p), 0);
		assert_string_equal(r.out.data, "message|ok\n");
		sse_free(p);
		buf_release(&r.out);
	}
	/* The CR ends the line at once: the event does not wait for the LF. */
	memset(&r, 0, sizeof r);
	buf_init(&r.out, BUF_NO_LIMIT);
	p = sse_create(rec_event, &r);
	assert_int_equal(sse_feed(p, "data:ok\r\r", 9), 0);
	assert_int_equal(r.count, 1);
	assert_int_equal(sse_feed(p, "\ndata:x\n\n", 9), 0);
	assert_string_equal(r.out.data, "message|ok\nmessage|x\n");
	sse_free(p);
	buf_release(&r.out);
}

static void
sse_cr_cr_lf_lf_is_three_line_ends(void **state)
{
	(void)state;
	/* CR, CRLF, LF: the data line ends at the first CR (no CR kept), the
	 * next two are blank lines; no fourth (empty) data line appears. */
	check("data:a\r\r\n\ndata:b\n\n", "message|a\nmessage|b\nfeed=0 finish=0");
	check("data:a\rdata:b\r\r\n\n", "message|a\\nb\nfeed=0 finish=0");
}

static void
sse_comments_are_ignored(void **state)
{
	(void)state;
	check(": keep-alive\n\ndata: x\n: ping inside an event\ndata: y\n\n"
	    ":\n\n", "message|x\\ny\nfeed=0 finish=0");
}

static void
sse_multi_line_data_joined_with_lf(void **state)
{
	(void)state;
	/* openai-python test_multiple_data_lines_with_empty_line */
	check("data: {\ndata: \"foo\":\ndata: \ndata:\ndata: true}\n\n",
	    "message|{\\n\"foo\":\\n\\n\\ntrue}\nfeed=0 finish=0");
}

static void
sse_bom_stripped_only_at_start(void **state)
{
	(void)state;
	check("\xef\xbb\xbf" "data: a\n\n\xef\xbb\xbf" "data: b\n\ndata: c\n\n",
	    "message|a\nmessage|c\nfeed=0 finish=0");
	check("\xef\xbb\xbf\n" "data: a\n\n", "message|a\nfeed=0 finish=0");
}

static void
sse_data_without_colon_appends_empty_line(void **state)
{
	(void)state;
	check("data\n\n", "message|\nfeed=0 finish=0");
	check("data\ndata\ndata: x\n\n", "message|\\n\\nx\nfeed=0 finish=0");
}

static void
sse_one_leading_space_is_dropped(void **state)
{
	(void)state;
	check("data:x\n\ndata: x\n\ndata:  x\n\ndata: \n\n",
	    "message|x\nmessage|x\nmessage| x\nmessage|\nfeed=0 finish=0");
	check("data:a:b: c\n\n", "message|a:b: c\nfeed=0 finish=0");
}

static void
sse_field_names_are_case_sensitive(void **state)
{
	(void)state;
	check("Data: a\n\nDATA: b\n\nEvent: x\ndata: c\n\n",
	    "message|c\nfeed=0 finish=0");
}

static void
sse_event_type_is_kept_per_event(void **state)
{
	(void)state;
	check("event: ping\ndata: {}\n\ndata: x\n\nevent: lonely\n\ndata: y\n\n"
	    "event:\ndata: z\n\n", "ping|{}\nmessage|x\nmessage|y\nmessage|z\n"
	    "feed=0 finish=0");
}

static void
sse_id_and_retry_are_not_data(void **state)
{
	(void)state;
	check("id: 7\nretry: 1000\ndata: x\nunknown: y\n\nid\n\n",
	    "message|x\nfeed=0 finish=0");
}

static void
sse_error_field_is_an_error_event(void **state)
{
	(void)state;
	check("error: {\"code\":400,\"message\":\"too long\"}\n\ndata: [DONE]\n\n",
	    "error|{\"code\":400,\"message\":\"too long\"}\nmessage|[DONE]\n"
	    "feed=0 finish=0");
}

static void
sse_u2028_is_not_a_line_end(void **state)
{
	(void)state;
	check("data: a\xe2\x80\xa8" "b\xe2\x80\xa9" "c\xc2\x85" "d\x0b" "e\x0c"
	    "f\n\n", "message|a\xe2\x80\xa8" "b\xe2\x80\xa9" "c\xc2\x85" "d\x0b"
	    "e\x0c" "f\nfeed=0 finish=0");
}

static void
sse_multibyte_character_split_across_chunks(void **state)
{
	(void)state;
	/* openai-python test_multi_byte_character_multiple_chunks */
	check("data: \xd0\xb8\xd0\xb7\xd0\xb2\xd0\xb5\xd1\x81\xd1\x82\xd0\xbd"
	    "\xd0\xb8 \xf0\x9f\x91\x8d\n\n", "message|\xd0\xb8\xd0\xb7\xd0\xb2"
	    "\xd0\xb5\xd1\x81\xd1\x82\xd0\xbd\xd0\xb8 \xf0\x9f\x91\x8d\n"
	    "feed=0 finish=0");
}

static void
sse_pending_event_is_discarded_at_eof(void **state)
{
	(void)state;
	check("data: a\n\ndata: unfinished", "message|a\nfeed=0 finish=0");
	check("data: a\n\ndata: unfinished\n", "message|a\nfeed=0 finish=0");
	check("data: a\n\ndata: b\r", "message|a\nfeed=0 finish=0");
}

static void
sse_done_is_lenient_at_eof(void **state)
{
	(void)state;
	check("data: x\n\ndata: [DONE]\n", "message|x\nfeed=0 finish=1");
	check("data: x\n\ndata: [DONE]", "message|x\nfeed=0 finish=1");
	check("data: [DONE]\r\n", "feed=0 finish=1");
	check("data: [DONE] \n", "feed=0 finish=0");
	check("data: x\ndata: [DONE]\n", "feed=0 finish=0");
	check("data: [DONE]\n\n", "message|[DONE]\nfeed=0 finish=0");
}

static void
sse_nul_bytes_are_data(void **state)
{
	static const char	want[] = "message|a\0b\nfeed=0 finish=0";
	char			*got;
	size_t			 i;

	(void)state;
	for (i = 0; i < NSTEPS; i++) {
		got = run("data: a\0b\n\n", 11, steps[i], 0);
		assert_memory_equal(got, want, sizeof want);
		free(got);
	}
}

static void
sse_callback_value_stops_the_parser(void **state)
{
	struct rec	 r;
	struct sse	*p;
	const char	*s = "data: 1\n\ndata: 2\n\ndata: 3\n\n";

	(void)state;
	memset(&r, 0, sizeof r);
	buf_init(&r.out, BUF_NO_LIMIT);
	r.stop_after = 1;
	p = sse_create(rec_event, &r);
	assert_int_equal(sse_feed(p, s, strlen(s)), 7);
	assert_string_equal(r.out.data, "message|1\n");
	sse_free(p);
	buf_release(&r.out);
}

static void
sse_cap_on_lines_and_events(void **state)
{
	char		*got;
	const char	*s;
	size_t		 i;

	(void)state;
	for (i = 0; i < NSTEPS; i++) {
		/* A 16-byte line is fine, a 17-byte one is not. */
		s = "data: 0123456789\n\n";
		got = run(s, strlen(s), steps[i], 16);
		assert_string_equal(got, "message|0123456789\nfeed=0 finish=0");
		free(got);
		s = "data: 01234567890\n\n";
		got = run(s, strlen(s), steps[i], 16);
		assert_string_equal(got, "feed=-1 finish=0");
		free(got);
		/* Lines under the cap whose event grows over it. */
		s = "data: 0123456789\ndata: 0123456789\n\n";
		got = run(s, strlen(s), steps[i], 16);
		assert_string_equal(got, "feed=-1 finish=0");
		free(got);
		/* A line with no end at all. */
		s = "data: 0123456789012345678901234567890123456789";
		got = run(s, strlen(s), steps[i], 16);
		assert_string_equal(got, "feed=-1 finish=0");
		free(got);
	}
}

static void
sse_is_unusable_after_the_cap(void **state)
{
	struct rec	 r;
	struct sse	*p;

	(void)state;
	memset(&r, 0, sizeof r);
	buf_init(&r.out, BUF_NO_LIMIT);
	p = sse_create(rec_event, &r);
	sse_set_limit(p, 8);
	assert_int_equal(sse_feed(p, "data: 123456789\n", 16), -1);
	assert_int_equal(sse_feed(p, "data: x\n\n", 9), -1);
	assert_int_equal(r.count, 0);
	sse_free(p);
	buf_release(&r.out);
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(sse_lf_line_ends),
		cmocka_unit_test(sse_cr_line_ends),
		cmocka_unit_test(sse_crlf_line_ends),
		cmocka_unit_test(sse_mixed_line_ends),
		cmocka_unit_test(sse_cr_at_chunk_end_pairs_with_lf),
		cmocka_unit_test(sse_cr_cr_lf_lf_is_three_line_ends),
		cmocka_unit_test(sse_comments_are_ignored),
		cmocka_unit_test(sse_multi_line_data_joined_with_lf),
		cmocka_unit_test(sse_bom_stripped_only_at_start),
		cmocka_unit_test(sse_data_without_colon_appends_empty_line),
		cmocka_unit_test(sse_one_leading_space_is_dropped),
		cmocka_unit_test(sse_field_names_are_case_sensitive),
		cmocka_unit_test(sse_event_type_is_kept_per_event),
		cmocka_unit_test(sse_id_and_retry_are_not_data),
		cmocka_unit_test(sse_error_field_is_an_error_event),
		cmocka_unit_test(sse_u2028_is_not_a_line_end),
		cmocka_unit_test(sse_multibyte_character_split_across_chunks),
		cmocka_unit_test(sse_pending_event_is_discarded_at_eof),
		cmocka_unit_test(sse_done_is_lenient_at_eof),
		cmocka_unit_test(sse_nul_bytes_are_data),
		cmocka_unit_test(sse_callback_value_stops_the_parser),
		cmocka_unit_test(sse_cap_on_lines_and_events),
		cmocka_unit_test(sse_is_unusable_after_the_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
