# core/: shared types and services.
libtolk_a_SOURCES += core/core.h core/xmalloc.c core/buf.c core/config.c \
	core/registry.c core/registry.h core/price.c
