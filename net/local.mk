# net/: the network thread (lead), framing parsers and API adapters.
libtolk_a_SOURCES += net/net.h net/netthread.c net/probe.c net/curl_api.h \
	net/curl_api.c
libtolk_a_SOURCES += net/adapter_impl.h net/sse.c net/ndjson.c \
	net/json.c net/adapter.c net/api_openai.c net/api_anthropic.c net/api_ollama.c \
	net/api_gemini.c

# Parsers and adapters: unit tests, fixtures, fuzz targets and corpora.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_sse tests/unit/test_ndjson \
	tests/unit/test_adapters
TESTS += tests/unit/test_sse tests/unit/test_ndjson tests/unit/test_adapters
endif
tests_unit_test_sse_SOURCES = tests/unit/test_sse.c
tests_unit_test_sse_CFLAGS = $(UNIT_CC_FLAGS)
tests_unit_test_sse_LDADD = $(UNIT_LIBS)
tests_unit_test_ndjson_SOURCES = tests/unit/test_ndjson.c
tests_unit_test_ndjson_CFLAGS = $(UNIT_CC_FLAGS)
tests_unit_test_ndjson_LDADD = $(UNIT_LIBS)
tests_unit_test_adapters_SOURCES = tests/unit/test_adapters.c
tests_unit_test_adapters_CFLAGS = $(UNIT_CC_FLAGS)
tests_unit_test_adapters_LDADD = $(UNIT_LIBS)
EXTRA_DIST += tests/unit/fixtures/net tests/fuzz/corpus/sse \
	tests/fuzz/corpus/ndjson tests/fuzz/corpus/adapter \
	tests/fuzz/fuzz_sse.c tests/fuzz/fuzz_ndjson.c tests/fuzz/fuzz_adapter.c


# make bench: how fast net_cancel() stops a transfer.
bench_programs += tests/bench/bench_cancel
check_PROGRAMS += tests/bench/bench_cancel
tests_bench_bench_cancel_SOURCES = tests/bench/bench_cancel.c
tests_bench_bench_cancel_LDADD = libtolk.a $(LIBS_ALL)
BENCH_LIST += tests/bench/cancel.sh
EXTRA_DIST += tests/bench/cancel.sh
