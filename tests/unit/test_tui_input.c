/*
 * tests/unit/test_tui_input.c - the TUI's key decoder, key table and input
 * editor, without a terminal: byte sequences to keys (whole and split at
 * every byte), names both ways, [keys] overrides, and editing by grapheme
 * cluster and by word.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tui/tui.h"

/* All keys of input as "name name ...", fed in pieces of step bytes
 * (0: whole), flushing a pending ESC at the end. */
static char *
decode(const char *in, size_t len, size_t step)
{
	struct keydec	*d = keydec_create();
	struct buf	 out;
	struct key	 k;
	char		 name[64];
	const char	*paste;
	size_t		 off = 0, n, plen;

	buf_init(&out, BUF_NO_LIMIT);
	buf_addstr(&out, "");
	while (off < len) {
		n = step == 0 || len - off < step ? len - off : step;
		keydec_feed(d, in + off, n);
		off += n;
		while (keydec_next(d, &k, false) == 1) {
			if (k.code == K_PASTE_END) {
				paste = keydec_paste(d, &plen);
				buf_addf(&out, "%s[paste:%.*s]", out.len ? " " :
				    "", (int)plen, paste);
				continue;
			}
			key_format(&k, name, sizeof name);
			buf_addf(&out, "%s%s", out.len ? " " : "", name);
		}
	}
	while (keydec_next(d, &k, true) == 1) {
		key_format(&k, name, sizeof name);
		buf_addf(&out, "%s%s", out.len ? " " : "", name);
	}
	keydec_free(d);
	return buf_take(&out, NULL);
}

static void
check_decode(const char *in, const char *want)
{
	static const size_t	steps[] = { 0, 1, 2, 3, 5 };
	size_t			i;
	char			*got;

	for (i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		got = decode(in, strlen(in), steps[i]);
		if (strcmp(got, want) != 0)
			fail_msg("step %zu: '%s', want '%s'", steps[i], got, want);
		free(got);
	}
}

static void
decoder_reads_plain_control_and_utf8_keys(void **state)
{
	(void)state;
	check_decode("a\r\t\x7f\x01\x0a", "a Enter Tab Backspace C-a C-j");
	check_decode("\xc5\xbe\xe6\x97\xa5", "\xc5\xbe \xe6\x97\xa5");
	check_decode(" ", "Space");
}

static void
decoder_reads_csi_ss3_and_modifiers(void **state)
{
	(void)state;
	check_decode("\033[A\033OB\033[1;5C\033[1;3D", "Up Down C-Right M-Left");
	check_decode("\033[5~\033[6~\033[3~\033[H\033[4~", "PgUp PgDn Delete "
	    "Home End");
	check_decode("\033OP\033[15~\033[Z", "F1 F5 S-BTab");
	check_decode("\033[<64;10;5M\033[<65;10;5M", "WheelUp WheelDown");
	check_decode("\033[13;3u", "M-Enter");
}

static void
decoder_reads_alt_as_an_esc_prefix_and_a_lone_esc(void **state)
{
	(void)state;
	check_decode("\033b\033\r\033\x7f", "M-b M-Enter M-Backspace");
	check_decode("\033", "Esc");
	check_decode("x\033\033", "x Esc Esc");
}

static void
decoder_collects_a_bracketed_paste_whole(void **state)
{
	(void)state;
	check_decode("a\033[200~line 1\nline 2\033[A\033[201~b",
	    "a [paste:line 1\nline 2\033[A] b");
}

static void
key_names_parse_and_format_both_ways(void **state)
{
	static const char *names[] = { "C-a", "M-Enter", "C-M-x", "PgUp",
	    "F12", "S-Up", "\xc3\xa9", "Space", "WheelDown" };
	struct key	 k;
	char		 buf[64];
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		assert_int_equal(key_parse(names[i], &k), 0);
		key_format(&k, buf, sizeof buf);
		assert_string_equal(buf, names[i]);
	}
	assert_int_equal(key_parse("C-A", &k), 0);
	key_format(&k, buf, sizeof buf);
	assert_string_equal(buf, "C-a");
	assert_int_equal(key_parse("NoSuchKey", &k), -1);
}

static void
keys_section_overrides_bindings(void **state)
{
	struct key	 k, x;
	struct config	*c;
	char		*cause = NULL;

	(void)state;
	keys_init();
	key_parse("Enter", &k);
	assert_int_equal(keys_lookup(&k, NULL), ACT_SEND);
	c = config_load_string("model = fo:normal\n[keys]\n"
	    "Enter = newline   # comment\nC-j = send\n"
	    "C-x C-s = send\nF1 = none\n", "conf", &cause);
	assert_non_null(c);
	assert_int_equal(keys_load(c, &cause), 0);
	config_free(c);
	assert_int_equal(keys_lookup(&k, NULL), ACT_NEWLINE);
	key_parse("C-j", &k);
	assert_int_equal(keys_lookup(&k, NULL), ACT_SEND);
	key_parse("F1", &k);
	assert_int_equal(keys_lookup(&k, NULL), ACT_NONE);
	key_parse("C-x", &x);
	assert_true(keys_is_prefix(&x));
	key_parse("C-s", &k);
	assert_int_equal(keys_lookup(&k, &x), ACT_SEND);
	key_parse("C-e", &k);
	assert_int_equal(keys_lookup(&k, &x), ACT_EXTERNAL_EDITOR);

	c = config_load_string("[keys]\nC-j = fly\n", "conf", &cause);
	assert_non_null(c);
	assert_int_equal(keys_load(c, &cause), -1);
	assert_string_equal(cause, "conf: config line 2: unknown action 'fly'");
	free(cause);
	config_free(c);
	c = config_load_string("[keys]\nC-q-q = quit\n", "conf", &cause);
	assert_int_equal(keys_load(c, &cause), -1);
	assert_string_equal(cause, "conf: config line 2: unknown key 'C-q-q'");
	free(cause);
	config_free(c);
	keys_init();
}

static char *
edited(struct editor *e)
{
	size_t		 len;
	const char	*s = editor_text(e, &len);

	return xstrndup(s, len);
}

#define FAMILY "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d" \
	"\xf0\x9f\x91\xa7"
#define E_ACUTE "e\xcc\x81"

static void
editor_moves_and_deletes_grapheme_clusters(void **state)
{
	struct editor	*e = editor_create();
	const char	*text = "x" E_ACUTE FAMILY "\xe6\x97\xa5\xe6\x9c\xac" "y";
	char		*s;
	int		 row, col;

	(void)state;
	editor_insert(e, text, strlen(text));
	editor_layout(e, 80, &row, &col);
	assert_int_equal(col, 1 + 1 + 2 + 4 + 1);
	editor_action(e, ACT_LEFT, 80);
	editor_action(e, ACT_LEFT, 80);		/* before 本 */
	editor_action(e, ACT_BACKSPACE, 80);	/* 日 */
	editor_action(e, ACT_LEFT, 80);		/* before the family */
	editor_action(e, ACT_BACKSPACE, 80);	/* é, both code points */
	editor_action(e, ACT_RIGHT, 80);
	editor_action(e, ACT_BACKSPACE, 80);	/* the whole family */
	s = edited(e);
	assert_string_equal(s, "x\xe6\x9c\xacy");
	free(s);
	editor_action(e, ACT_LINE_START, 80);
	editor_action(e, ACT_DELETE, 80);
	s = edited(e);
	assert_string_equal(s, "\xe6\x9c\xacy");
	free(s);
	editor_free(e);
}

static void
editor_words_kill_and_yank(void **state)
{
	struct editor	*e = editor_create();
	char		*s;

	(void)state;
	editor_insert(e, "Zażółć gęślą jaźń", strlen("Zażółć gęślą jaźń"));
	editor_action(e, ACT_WORD_LEFT, 80);
	editor_action(e, ACT_KILL_WORD_BACK, 80);
	s = edited(e);
	assert_string_equal(s, "Zażółć jaźń");
	free(s);
	editor_action(e, ACT_LINE_END, 80);
	editor_action(e, ACT_YANK, 80);
	s = edited(e);
	assert_string_equal(s, "Zażółć jaźńgęślą ");
	free(s);
	editor_action(e, ACT_LINE_START, 80);
	editor_action(e, ACT_WORD_RIGHT, 80);
	editor_action(e, ACT_KILL_EOL, 80);
	s = edited(e);
	assert_string_equal(s, "Zażółć");
	free(s);
	editor_free(e);
}

static void
editor_cleans_pasted_controls_and_line_ends(void **state)
{
	struct editor	*e = editor_create();
	const char	*in = "a\r\nb\rc\033[31md\x07\xe2\x80\xae" "e\tf";
	char		*s;

	(void)state;
	editor_insert(e, in, strlen(in));
	s = edited(e);
	/* ESC is dropped, the rest of the sequence is text the user pasted. */
	assert_string_equal(s, "a\nb\nc[31mde\tf");
	free(s);
	editor_free(e);
}

static void
editor_up_and_down_move_by_row_then_through_prompts(void **state)
{
	struct editor	*e = editor_create();
	char		*s;
	int		 row, col;

	(void)state;
	editor_history_add(e, "earlier");
	editor_insert(e, "one\ntwo", 7);
	assert_true(editor_action(e, ACT_UP, 80));
	editor_layout(e, 80, &row, &col);
	assert_int_equal(row, 0);
	assert_int_equal(col, 3);
	assert_false(editor_action(e, ACT_UP, 80));
	assert_true(editor_history_move(e, -1));
	s = edited(e);
	assert_string_equal(s, "earlier");
	free(s);
	assert_true(editor_history_move(e, 1));
	s = edited(e);
	assert_string_equal(s, "one\ntwo");
	free(s);
	editor_free(e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decoder_reads_plain_control_and_utf8_keys),
		cmocka_unit_test(decoder_reads_csi_ss3_and_modifiers),
		cmocka_unit_test(decoder_reads_alt_as_an_esc_prefix_and_a_lone_esc),
		cmocka_unit_test(decoder_collects_a_bracketed_paste_whole),
		cmocka_unit_test(key_names_parse_and_format_both_ways),
		cmocka_unit_test(keys_section_overrides_bindings),
		cmocka_unit_test(editor_moves_and_deletes_grapheme_clusters),
		cmocka_unit_test(editor_words_kill_and_yank),
		cmocka_unit_test(editor_cleans_pasted_controls_and_line_ends),
		cmocka_unit_test(editor_up_and_down_move_by_row_then_through_prompts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
