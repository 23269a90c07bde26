# history/: the SQLite store, search, import and export.
libtolk_a_SOURCES += history/history.h history/store_impl.h \
	history/store.c history/fts.c history/message.c history/search.c \
	history/json.c history/convlang.c history/annotation.c \
	history/annotated.c history/spend.c

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_store tests/unit/test_store_lang
TESTS += tests/unit/test_store tests/unit/test_store_lang
endif
tests_unit_test_store_SOURCES = tests/unit/test_store.c tests/unit/store_fix.h
tests_unit_test_store_CFLAGS = $(UNIT_CC_FLAGS)
tests_unit_test_store_LDADD = $(UNIT_LIBS)
tests_unit_test_store_lang_SOURCES = tests/unit/test_store_lang.c \
	tests/unit/store_fix.h
tests_unit_test_store_lang_CFLAGS = $(UNIT_CC_FLAGS)
tests_unit_test_store_lang_LDADD = $(UNIT_LIBS)

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_annotation
TESTS += tests/unit/test_annotation
endif
tests_unit_test_annotation_SOURCES = tests/unit/test_annotation.c
tests_unit_test_annotation_CFLAGS = $(UNIT_CC_FLAGS)
tests_unit_test_annotation_LDADD = $(UNIT_LIBS)

# Wire tests of the subcommands and of print mode with the store.
TESTS += tests/wire/test_history.py tests/wire/test_history_print.py \
	tests/wire/test_annotate.py tests/wire/test_recovery.py
EXTRA_DIST += tests/wire/test_history.py tests/wire/history_data.py \
	tests/wire/test_annotate.py tests/wire/test_recovery.py \
	tests/wire/test_history_print.py

# make bench: 200,000 messages; see tests/bench/history_run.py.
BENCH_LIST += tests/bench/history.sh
EXTRA_DIST += tests/bench/history.sh tests/bench/history_run.py \
	tests/bench/history_gen.py
