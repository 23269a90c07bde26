/*
 * tests/unit/test_render_sanitize.c - nothing a model writes reaches the
 * terminal as a control: escapes, C0/C1 controls, bidi controls.
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

static void
is(const char *in, size_t len, enum sanitize_mode mode, const char *want)
{
	size_t	n;
	char	*out = sanitize(in, len, mode, &n);

	if (n != strlen(want) || memcmp(out, want, n) != 0) {
		fprintf(stderr, "# want '%s' got '%s'\n", want, out);
		fail();
	}
	free(out);
}

#define N(s) (s), sizeof(s) - 1

static void
newline_and_tab_kept_other_c0_del_cr_dropped(void **state)
{
	(void)state;
	is(N("a\tb\nc\x01\x07\x08\x7f\r\nd"), SANITIZE_NORMAL, "a\tb\nc\nd");
}

static void
csi_sgr_and_cursor_sequences_removed_whole(void **state)
{
	(void)state;
	is(N("\x1b[31mred\x1b[0m \x1b[2J\x1b[1;1H\x1b[?1049h!"),
	    SANITIZE_NORMAL, "red !");
}

static void
osc_title_and_clipboard_removed_to_bel_or_st(void **state)
{
	(void)state;
	is(N("a\x1b]0;pwned\x07" "b\x1b]52;c;ZXZpbA==\x1b\\c"), SANITIZE_NORMAL,
	    "abc");
	/* A stray OSC stops at the newline; the text after it stays. */
	is(N("x\x1b]8;;http://e\nvisible"), SANITIZE_NORMAL, "x\nvisible");
}

static void
dcs_apc_pm_sos_removed(void **state)
{
	(void)state;
	is(N("1\x1bPq#0;2;0;0;0\x1b\\2\x1b_apc\x1b\\3\x1b^pm\x07" "4\x1bXsos"
	    "\x1b\\5"), SANITIZE_NORMAL, "12345");
}

static void
screen_window_title_string_removed_whole(void **state)
{
	(void)state;
	/* ESC k TITLE ST names a screen or tmux window. */
	is(N("a\x1bkpwned\x1b\\b\x1bkx\x07" "c"), SANITIZE_NORMAL, "abc");
}

static void
eight_bit_c1_forms_removed(void **state)
{
	(void)state;
	/* U+009B CSI, U+009D OSC ... U+009C ST, U+0090 DCS, U+0085 NEL */
	is(N("a\xc2\x9b" "31mb\xc2\x9d" "0;t\xc2\x9c" "c\xc2\x90q\xc2\x9c"
	    "d\xc2\x85" "e"), SANITIZE_NORMAL, "abcde");
}

static void
other_escapes_removed(void **state)
{
	(void)state;
	is(N("a\x1b" "cb\x1b(Bc\x1b" "7d\x1b#8e"), SANITIZE_NORMAL, "abcde");
}

static void
normal_mode_drops_bidi_controls_keeps_invisibles(void **state)
{
	(void)state;
	is(N("a\xe2\x80\xaeq\xe2\x80\xac" "b\xe2\x81\xa6" "c\xe2\x81\xa9"
	    "d\xe2\x80\x8b" "e"), SANITIZE_NORMAL, "aqbcd\xe2\x80\x8b" "e");
}

static void
inspect_mode_shows_marks(void **state)
{
	(void)state;
	is(N("\xe2\x80\xae\xe2\x80\x8e\xe2\x80\x8f\xe2\x80\x8b\xe2\x80\x8c"
	    "\xc2\xad\xc2\xa0\xe2\x80\xaf\xef\xbb\xbf"), SANITIZE_INSPECT,
	    "⟨RLO⟩⟨LRM⟩⟨RLM⟩⟨ZWSP⟩⟨ZWNJ⟩⟨SHY⟩⟨NBSP⟩⟨NNBSP⟩⟨BOM⟩");
}

static void
inspect_keeps_zwj_inside_emoji_and_marks_it_elsewhere(void **state)
{
	(void)state;
	is(N("\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9"), SANITIZE_INSPECT,
	    "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9");
	is(N("a\xe2\x80\x8d" "b"), SANITIZE_INSPECT, "a⟨ZWJ⟩b");
	is(N("\xf0\x9f\x91\xa8\xe2\x80\x8d"), SANITIZE_INSPECT,
	    "\xf0\x9f\x91\xa8⟨ZWJ⟩");
}

static void
invalid_utf8_becomes_replacement_segment(void **state)
{
	struct sanitizer	*sz = sanitize_create(SANITIZE_NORMAL);
	const struct seg	*g;
	size_t			 n, len;
	const char		*t;

	(void)state;
	sanitize_feed(sz, "ab\xff" "cd", 5);
	sanitize_finish(sz);
	t = sanitize_text(sz, &len);
	assert_string_equal(t, "ab\xef\xbf\xbd" "cd");
	g = sanitize_segs(sz, &n);
	assert_int_equal(n, 3);
	assert_int_equal(g[1].kind, SEG_REPLACE);
	assert_int_equal(g[1].src, 2);
	assert_int_equal(g[1].src_len, 1);
	assert_int_equal(g[2].src, 3);
	assert_int_equal(sanitize_map(sz, 6), 4);
	sanitize_free(sz);
}

/* Feeding in pieces, cut anywhere, gives the text and segments of feeding
 * whole, and the text only grows. */
static void
any_split_gives_same_text_and_segments(void **state)
{
	static const char	s[] = "x\x1b[31mr\xc3\xa9\x1b]0;t\x07\xe2\x80\xae"
	    "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xc2\x9b" "1m\xff!\n";
	size_t			 len = sizeof s - 1, a, b, n1, n2, l1, l2, prev;
	int			 m;

	(void)state;
	for (m = 0; m < 2; m++) {
		struct sanitizer	*w = sanitize_create(m);
		const char		*tw;

		sanitize_feed(w, s, len);
		sanitize_finish(w);
		tw = sanitize_text(w, &l1);
		for (a = 0; a <= len; a++) {
			for (b = a; b <= len; b += 3) {
				struct sanitizer *p = sanitize_create(m);
				const char	 *tp;

				sanitize_feed(p, s, a);
				sanitize_text(p, &prev);
				sanitize_feed(p, s + a, b - a);
				tp = sanitize_text(p, &l2);
				assert_true(l2 >= prev);
				sanitize_feed(p, s + b, len - b);
				sanitize_finish(p);
				tp = sanitize_text(p, &l2);
				assert_int_equal(l1, l2);
				assert_memory_equal(tw, tp, l1);
				sanitize_segs(w, &n1);
				sanitize_segs(p, &n2);
				assert_int_equal(n1, n2);
				sanitize_free(p);
			}
		}
		sanitize_free(w);
	}
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(newline_and_tab_kept_other_c0_del_cr_dropped),
		cmocka_unit_test(csi_sgr_and_cursor_sequences_removed_whole),
		cmocka_unit_test(osc_title_and_clipboard_removed_to_bel_or_st),
		cmocka_unit_test(screen_window_title_string_removed_whole),
		cmocka_unit_test(dcs_apc_pm_sos_removed),
		cmocka_unit_test(eight_bit_c1_forms_removed),
		cmocka_unit_test(other_escapes_removed),
		cmocka_unit_test(normal_mode_drops_bidi_controls_keeps_invisibles),
		cmocka_unit_test(inspect_mode_shows_marks),
		cmocka_unit_test(inspect_keeps_zwj_inside_emoji_and_marks_it_elsewhere),
		cmocka_unit_test(invalid_utf8_becomes_replacement_segment),
		cmocka_unit_test(any_split_gives_same_text_and_segments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
