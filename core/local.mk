# core/: shared types and services.
libtolk_a_SOURCES += core/core.h core/xmalloc.c core/buf.c core/config.c \
	core/registry.c core/registry.h core/price.c \
	core/json.c

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_core
TESTS += tests/unit/test_core
tests_unit_test_core_SOURCES = tests/unit/test_core.c
tests_unit_test_core_CFLAGS = $(UNIT_CC_FLAGS)
tests_unit_test_core_LDADD = $(UNIT_LIBS)
endif
