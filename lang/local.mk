# lang/: search folding (and, later, language identification).
libtolk_a_SOURCES += lang/lang.h lang/fold.c

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_fold
TESTS += tests/unit/test_fold
endif
tests_unit_test_fold_SOURCES = tests/unit/test_fold.c
tests_unit_test_fold_CFLAGS = $(UNIT_CC_FLAGS)
tests_unit_test_fold_LDADD = $(UNIT_LIBS)
