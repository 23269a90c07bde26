# tui/: the program: command line, print mode, subcommands, and the TUI.
tolk_SOURCES += tui/main.c tui/commands.h tui/cmd_models.c \
	tui/session.c tui/session.h tui/print.c tui/print.h tui/sigpipe.c tui/sigpipe.h tui/demo.c tui/demo.h \
	tui/cmd_render.c tui/cmd_history.c tui/cmd_compare.c \
	tui/budget.c tui/budget.h tui/langcheck.c tui/langcheck.h \
	tui/cmd_annotate.c
tolk_CPPFLAGS = $(AM_CPPFLAGS) -DTOLK_PKGDATADIR='"$(pkgdatadir)"' \
	-DTOLK_SRCDIR='"$(abs_top_srcdir)"'
# The demo server is the test fake server.
dist_pkgdata_DATA = tests/fakeapi.py
# The full-screen interface (issue 5).
tolk_SOURCES += tui/tui.h tui/tui.c tui/tui_screen.c tui/tui_keys.c \
	tui/tui_editor.c tui/tui_transcript.c tui/tui_commands.c \
	tui/tui_browser.c tui/tui_compare.c tui/tui_select.c \
	tui/tui_budget.c tui/tui_variants.c tui/tui_lang.c \
	tui/tui_inspect.c tui/tui_annot.c tui/tui_blind.c
# The language checks of print mode (tui/langcheck.c).
TESTS += tests/wire/test_langcheck_print.py
EXTRA_DIST += tests/wire/test_langcheck_print.py
# TUI tests: the real binary in a detached tmux session (tests/tui/).
TESTS += tests/tui/test_tui.py tests/tui/test_select.py \
	tests/tui/test_annot_tui.py tests/tui/test_recovery_tui.py
EXTRA_DIST += tests/tui/tuilib.py tests/tui/test_tui.py tests/tui/test_select.py \
	tests/tui/test_annot_tui.py tests/tui/test_recovery_tui.py
# `make demo`: try tolk with the bundled demo server.
demo: tolk$(EXEEXT)
	./tolk$(EXEEXT) --demo
.PHONY: demo
# make bench: first frame with 200k stored messages beside a minimal curses
# program; CPU and RSS while 100k tokens stream in tmux beside curl.
BENCH_LIST += tests/bench/tui.sh
bench_programs += tests/bench/tui_min
check_PROGRAMS += tests/bench/tui_min
tests_bench_tui_min_SOURCES = tests/bench/tui_min.c
tests_bench_tui_min_LDADD = $(NCURSES_LIBS)
EXTRA_DIST += tests/bench/tui.sh tests/bench/tui_run.py
# Unit tests of the key decoder, key table and editor (no terminal).
check_PROGRAMS += tests/unit/test_tui_input
TESTS += tests/unit/test_tui_input
tests_unit_test_tui_input_SOURCES = tests/unit/test_tui_input.c \
	tui/tui_keys.c tui/tui_editor.c
tests_unit_test_tui_input_CFLAGS = $(UNIT_CC_FLAGS)
tests_unit_test_tui_input_LDADD = $(UNIT_LIBS)
# The language checks of answers (tui/langcheck.c).
check_PROGRAMS += tests/unit/test_langcheck
TESTS += tests/unit/test_langcheck
tests_unit_test_langcheck_SOURCES = tests/unit/test_langcheck.c \
	tui/langcheck.c
tests_unit_test_langcheck_CFLAGS = $(UNIT_CC_FLAGS)
tests_unit_test_langcheck_LDADD = $(UNIT_LIBS)
# Compare (issue 6): print mode with several models, tolk compare.
TESTS += tests/wire/test_compare.py tests/wire/test_budget.py \
	tests/wire/test_variants.py
EXTRA_DIST += tests/wire/test_compare.py tests/wire/test_budget.py \
	tests/wire/test_variants.py
TESTS += tests/tui/test_compare_tui.py
EXTRA_DIST += tests/tui/test_compare_tui.py
# Prompt variants and spend limits (issue 10).
TESTS += tests/tui/test_variants_tui.py
EXTRA_DIST += tests/tui/test_variants_tui.py
# Language checks and the inspection view in the TUI.
TESTS += tests/tui/test_lang_tui.py
EXTRA_DIST += tests/tui/test_lang_tui.py
# make bench: four 25k-token answers side by side in the TUI beside curl.
BENCH_LIST += tests/bench/compare.sh
EXTRA_DIST += tests/bench/compare.sh tests/bench/compare_run.py
