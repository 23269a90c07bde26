# Fuzz targets (libFuzzer). `./configure --enable-fuzzing CC=clang` builds
# the whole tree with coverage and ASan+UBSan, and `make fuzz` links every
# target; run one as `tests/fuzz/fuzz_sse -max_total_time=600
# tests/fuzz/corpus/sse`. In every build, make check replays each corpus
# through its target's checks (tests/unit/test_adapters and
# test_render_fuzz), so findings stay fixed.
FUZZ_PROGS = tests/fuzz/fuzz_sse tests/fuzz/fuzz_ndjson \
	tests/fuzz/fuzz_adapter tests/fuzz/fuzz_markdown
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
tests_fuzz_fuzz_markdown_SOURCES = tests/fuzz/fuzz_markdown.c
tests_fuzz_fuzz_markdown_LDADD = libtolk.a $(LIBS_ALL)
tests_fuzz_fuzz_markdown_LDFLAGS = $(FUZZ_LINK)

if ENABLE_FUZZING
fuzz: $(FUZZ_PROGS)
else
fuzz:
	@echo "tolk: make fuzz needs ./configure --enable-fuzzing CC=clang" >&2
	@exit 2
endif
.PHONY: fuzz
