# render/: text to styled display lines (graphemes, width, sanitising,
# wrapping, streaming markdown, word diff). Includes only core/.
libtolk_a_SOURCES += render/render.h render/render-private.h \
	render/utf8.c render/grapheme.c render/width.c render/sanitize.c \
	render/wrap.c render/layout.c render/inline.c render/block.c \
	render/table.c \
	render/markdown.c render/diff.c

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_render_markdown
TESTS += tests/unit/test_render_markdown
tests_unit_test_render_markdown_SOURCES = tests/unit/test_render_markdown.c
tests_unit_test_render_markdown_CFLAGS = $(UNIT_CC_FLAGS)
tests_unit_test_render_markdown_LDADD = $(UNIT_LIBS)
endif
EXTRA_DIST += tests/render tests/fuzz/corpus/markdown

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_render_grapheme
TESTS += tests/unit/test_render_grapheme
tests_unit_test_render_grapheme_SOURCES = tests/unit/test_render_grapheme.c \
	tests/unit/test_render_grapheme_known.h
tests_unit_test_render_grapheme_CFLAGS = $(UNIT_CC_FLAGS)
tests_unit_test_render_grapheme_LDADD = $(UNIT_LIBS)
endif

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_render_utf8 tests/unit/test_render_width \
	tests/unit/test_render_sanitize tests/unit/test_render_wrap \
	tests/unit/test_render_diff
TESTS += tests/unit/test_render_utf8 tests/unit/test_render_width \
	tests/unit/test_render_sanitize tests/unit/test_render_wrap \
	tests/unit/test_render_diff
tests_unit_test_render_utf8_SOURCES = tests/unit/test_render_utf8.c
tests_unit_test_render_utf8_CFLAGS = $(UNIT_CC_FLAGS)
tests_unit_test_render_utf8_LDADD = $(UNIT_LIBS)
tests_unit_test_render_width_SOURCES = tests/unit/test_render_width.c
tests_unit_test_render_width_CFLAGS = $(UNIT_CC_FLAGS)
tests_unit_test_render_width_LDADD = $(UNIT_LIBS)
tests_unit_test_render_sanitize_SOURCES = tests/unit/test_render_sanitize.c
tests_unit_test_render_sanitize_CFLAGS = $(UNIT_CC_FLAGS)
tests_unit_test_render_sanitize_LDADD = $(UNIT_LIBS)
tests_unit_test_render_wrap_SOURCES = tests/unit/test_render_wrap.c
tests_unit_test_render_wrap_CFLAGS = $(UNIT_CC_FLAGS)
tests_unit_test_render_wrap_LDADD = $(UNIT_LIBS)
tests_unit_test_render_diff_SOURCES = tests/unit/test_render_diff.c
tests_unit_test_render_diff_CFLAGS = $(UNIT_CC_FLAGS)
tests_unit_test_render_diff_LDADD = $(UNIT_LIBS)
endif

# The width classes against what tmux draws.
TESTS += tests/wire/test_render_tmux.sh
EXTRA_DIST += tests/wire/test_render_tmux.sh

# make bench: the layout against lowdown -Tterm and python3-rich.
BENCH_LIST += tests/bench/render.sh
bench_programs += tests/bench/bench_render
check_PROGRAMS += tests/bench/bench_render
tests_bench_bench_render_SOURCES = tests/bench/bench_render.c
tests_bench_bench_render_LDADD = libtolk.a $(LIBS_ALL)
EXTRA_DIST += tests/bench/render.sh tests/bench/render_run.py \
	tests/bench/render_gen.py
