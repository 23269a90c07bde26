# history/: the SQLite store, search, import and export.
libtolk_a_SOURCES += history/history.h history/store_impl.h \
	history/store.c history/fts.c history/message.c history/search.c \
	history/json.c
