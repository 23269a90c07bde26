# render/: text to styled display lines (graphemes, width, sanitising,
# wrapping, streaming markdown, word diff). Includes only core/.
libtolk_a_SOURCES += render/render.h render/render-private.h \
	render/utf8.c render/grapheme.c render/width.c render/sanitize.c \
	render/wrap.c render/layout.c render/inline.c render/block.c \
	render/markdown.c render/diff.c

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_render_markdown tests/unit/test_render_fuzz
TESTS += tests/unit/test_render_markdown tests/unit/test_render_fuzz
tests_unit_test_render_markdown_SOURCES = tests/unit/test_render_markdown.c
tests_unit_test_render_markdown_CFLAGS = $(UNIT_CC_FLAGS)
tests_unit_test_render_markdown_LDADD = $(UNIT_LIBS)
tests_unit_test_render_fuzz_SOURCES = tests/unit/test_render_fuzz.c \
	tests/fuzz/fuzz_markdown.c
tests_unit_test_render_fuzz_CFLAGS = $(UNIT_CC_FLAGS)
tests_unit_test_render_fuzz_LDADD = $(UNIT_LIBS)
endif
EXTRA_DIST += tests/render tests/fuzz/corpus/markdown
