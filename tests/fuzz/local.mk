# Fuzz targets (libFuzzer). `./configure --enable-fuzzing CC=clang` builds
# the whole tree with coverage and ASan+UBSan, and `make fuzz` links every
# target; run one as `tests/fuzz/fuzz_sse -max_total_time=600
# tests/fuzz/corpus/sse`. In every build, make check replays each corpus
# through its target's checks (tests/unit/test_adapters and
# tests/fuzz/replay_*), so findings stay fixed.
FUZZ_PROGS = tests/fuzz/fuzz_sse tests/fuzz/fuzz_ndjson \
	tests/fuzz/fuzz_adapter tests/fuzz/fuzz_markdown \
	tests/fuzz/fuzz_utf8 tests/fuzz/fuzz_config tests/fuzz/fuzz_fold \
	tests/fuzz/fuzz_langid tests/fuzz/fuzz_import
EXTRA_PROGRAMS = $(FUZZ_PROGS)
CLEANFILES += $(FUZZ_PROGS)
FUZZ_LINK = -fsanitize=fuzzer,address,undefined
tests_fuzz_fuzz_sse_SOURCES = tests/fuzz/fuzz_sse.c
tests_fuzz_fuzz_sse_LDADD = libtolk.a $(LIBS_ALL)
tests_fuzz_fuzz_sse_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_ndjson_SOURCES = tests/fuzz/fuzz_ndjson.c
tests_fuzz_fuzz_ndjson_LDADD = libtolk.a $(LIBS_ALL)
tests_fuzz_fuzz_ndjson_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_adapter_SOURCES = tests/fuzz/fuzz_adapter.c
tests_fuzz_fuzz_adapter_LDADD = libtolk.a $(LIBS_ALL)
tests_fuzz_fuzz_adapter_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_markdown_SOURCES = tests/fuzz/fuzz_markdown.c \
	tests/fuzz/fuzz_main.c
tests_fuzz_fuzz_markdown_LDADD = libtolk.a $(LIBS_ALL)
tests_fuzz_fuzz_markdown_LDFLAGS = $(FUZZ_LINK)

# The targets written as fuzz_check() (tests/fuzz/fuzz.h): each links
# fuzz_main.c as a fuzz target and tests/fuzz/replay.c as the make check
# program that replays its corpus, one TAP case per file.
tests_fuzz_fuzz_utf8_SOURCES = tests/fuzz/fuzz_utf8.c tests/fuzz/fuzz_main.c
tests_fuzz_fuzz_utf8_LDADD = libtolk.a $(LIBS_ALL)
tests_fuzz_fuzz_utf8_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_config_SOURCES = tests/fuzz/fuzz_config.c \
	tests/fuzz/fuzz_main.c
tests_fuzz_fuzz_config_LDADD = libtolk.a $(LIBS_ALL)
tests_fuzz_fuzz_config_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_fold_SOURCES = tests/fuzz/fuzz_fold.c tests/fuzz/fuzz_main.c
tests_fuzz_fuzz_fold_LDADD = libtolk.a $(LIBS_ALL)
tests_fuzz_fuzz_fold_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_langid_SOURCES = tests/fuzz/fuzz_langid.c \
	tests/fuzz/fuzz_main.c
tests_fuzz_fuzz_langid_LDADD = libtolk.a $(LIBS_ALL)
tests_fuzz_fuzz_langid_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_import_SOURCES = tests/fuzz/fuzz_import.c \
	tests/fuzz/fuzz_main.c
tests_fuzz_fuzz_import_LDADD = libtolk.a $(LIBS_ALL)
tests_fuzz_fuzz_import_LDFLAGS = $(FUZZ_LINK)

if HAVE_CMOCKA
REPLAY_PROGS = tests/fuzz/replay_markdown tests/fuzz/replay_utf8 tests/fuzz/replay_config \
	tests/fuzz/replay_fold tests/fuzz/replay_langid tests/fuzz/replay_import
check_PROGRAMS += $(REPLAY_PROGS)
TESTS += $(REPLAY_PROGS)
endif
tests_fuzz_replay_markdown_SOURCES = tests/fuzz/replay.c \
	tests/fuzz/fuzz_markdown.c
tests_fuzz_replay_markdown_CPPFLAGS = $(AM_CPPFLAGS) \
	-DFUZZ_CORPUS='"markdown"'
tests_fuzz_replay_markdown_CFLAGS = $(UNIT_CC_FLAGS)
tests_fuzz_replay_markdown_LDADD = $(UNIT_LIBS)
tests_fuzz_replay_utf8_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_utf8.c
tests_fuzz_replay_utf8_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_CORPUS='"utf8"'
tests_fuzz_replay_utf8_CFLAGS = $(UNIT_CC_FLAGS)
tests_fuzz_replay_utf8_LDADD = $(UNIT_LIBS)
tests_fuzz_replay_config_SOURCES = tests/fuzz/replay.c \
	tests/fuzz/fuzz_config.c
tests_fuzz_replay_config_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_CORPUS='"config"'
tests_fuzz_replay_config_CFLAGS = $(UNIT_CC_FLAGS)
tests_fuzz_replay_config_LDADD = $(UNIT_LIBS)
tests_fuzz_replay_fold_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_fold.c
tests_fuzz_replay_fold_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_CORPUS='"fold"'
tests_fuzz_replay_fold_CFLAGS = $(UNIT_CC_FLAGS)
tests_fuzz_replay_fold_LDADD = $(UNIT_LIBS)
tests_fuzz_replay_langid_SOURCES = tests/fuzz/replay.c \
	tests/fuzz/fuzz_langid.c
tests_fuzz_replay_langid_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_CORPUS='"langid"'
tests_fuzz_replay_langid_CFLAGS = $(UNIT_CC_FLAGS)
tests_fuzz_replay_langid_LDADD = $(UNIT_LIBS)
tests_fuzz_replay_import_SOURCES = tests/fuzz/replay.c \
	tests/fuzz/fuzz_import.c
tests_fuzz_replay_import_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_CORPUS='"import"'
tests_fuzz_replay_import_CFLAGS = $(UNIT_CC_FLAGS)
tests_fuzz_replay_import_LDADD = $(UNIT_LIBS)
EXTRA_DIST += tests/fuzz/fuzz.h tests/fuzz/corpus/utf8 \
	tests/fuzz/corpus/config tests/fuzz/corpus/fold \
	tests/fuzz/corpus/langid tests/fuzz/corpus/import

if ENABLE_FUZZING
fuzz: $(FUZZ_PROGS)
else
fuzz:
	@echo "tolk: make fuzz needs ./configure --enable-fuzzing CC=clang" >&2
	@exit 2
endif
.PHONY: fuzz
