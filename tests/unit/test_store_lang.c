/*
 * tests/unit/test_store_lang.c - a conversation's expected language in
 * the store (history/convlang.c): set, read back, cleared, kept across
 * reopening, listed, exported and imported, refused when unknown, and
 * added to a store of the first schema by its migration. Real SQLite
 * files in a temporary folder.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "history/history.h"

#include "store_fix.h"

static int64_t
conv_new(struct store *st)
{
	char	*cause = NULL;
	int64_t	 id = store_conversation_create(st, "t", NULL, &cause);

	if (id < 0)
		fail_msg("create: %s", cause);
	return (id);
}

static void
set(struct store *st, int64_t id, const char *code, enum expect_source by)
{
	char	*cause = NULL;

	if (store_conversation_set_lang(st, id, code, by, &cause) != 0)
		fail_msg("set_lang: %s", cause);
}

/* Assert the stored expected language of conversation id. */
static void
check(struct store *st, int64_t id, const char *code,
    enum expect_source want)
{
	enum expect_source	 by;
	char			*got = NULL, *cause = NULL;

	if (store_conversation_lang(st, id, &got, &by, &cause) != 0)
		fail_msg("lang: %s", cause);
	if (code == NULL)
		assert_null(got);
	else {
		assert_non_null(got);
		assert_string_equal(got, code);
	}
	assert_int_equal(by, want);
	free(got);
}

static void
new_conversation_has_no_expected_language(void **state)
{
	struct fix	*fx = *state;

	check(fx->st, conv_new(fx->st), NULL, EXPECT_NONE);
}

static void
set_by_user_then_prompt_then_off_reads_back(void **state)
{
	struct fix	*fx = *state;
	int64_t		 c = conv_new(fx->st), other = conv_new(fx->st);

	set(fx->st, c, "sl", EXPECT_USER);
	check(fx->st, c, "sl", EXPECT_USER);
	set(fx->st, c, "hr", EXPECT_PROMPT);
	check(fx->st, c, "hr", EXPECT_PROMPT);
	/* Off keeps no code, even when one is given. */
	set(fx->st, c, "sl", EXPECT_OFF);
	check(fx->st, c, NULL, EXPECT_OFF);
	set(fx->st, c, NULL, EXPECT_NONE);
	check(fx->st, c, NULL, EXPECT_NONE);
	check(fx->st, other, NULL, EXPECT_NONE);
}

static void
expected_language_survives_reopening(void **state)
{
	struct fix	*fx = *state;
	char		*cause = NULL;
	int64_t		 c = conv_new(fx->st);

	set(fx->st, c, "sl", EXPECT_USER);
	store_close(fx->st);
	fx->st = store_open(fx->path, 0, &cause);
	assert_non_null(fx->st);
	check(fx->st, c, "sl", EXPECT_USER);
}

static void
unknown_code_or_conversation_is_refused(void **state)
{
	struct fix	*fx = *state;
	char		*cause = NULL;
	enum expect_source by;
	char		*code = NULL;
	int64_t		 c = conv_new(fx->st);

	assert_int_equal(store_conversation_set_lang(fx->st, c, "xx",
	    EXPECT_USER, &cause), -1);
	assert_string_equal(cause, "unknown language 'xx'");
	free(cause);
	cause = NULL;
	assert_int_equal(store_conversation_set_lang(fx->st, c, NULL,
	    EXPECT_PROMPT, &cause), -1);
	assert_string_equal(cause, "unknown language ''");
	free(cause);
	cause = NULL;
	assert_int_equal(store_conversation_set_lang(fx->st, 999, "sl",
	    EXPECT_USER, &cause), -1);
	assert_string_equal(cause, "no conversation 999");
	free(cause);
	cause = NULL;
	assert_int_equal(store_conversation_lang(fx->st, 999, &code, &by,
	    &cause), -1);
	assert_string_equal(cause, "no conversation 999");
	free(cause);
	check(fx->st, c, NULL, EXPECT_NONE);
}

static void
read_only_store_refuses_to_set(void **state)
{
	struct fix	*fx = *state;
	struct store	*ro;
	char		*cause = NULL;
	int64_t		 c = conv_new(fx->st);

	ro = store_open(fx->path, STORE_READONLY, &cause);
	assert_non_null(ro);
	assert_int_equal(store_conversation_set_lang(ro, c, "sl",
	    EXPECT_USER, &cause), -1);
	assert_non_null(strstr(cause, "cannot write to the history"));
	free(cause);
	store_close(ro);
	check(fx->st, c, NULL, EXPECT_NONE);
}

static void
list_and_get_carry_the_expected_language(void **state)
{
	struct fix			*fx = *state;
	struct conversation_info	*list, info;
	struct stored_message		*m;
	size_t				 n, nm;
	char				*cause = NULL;
	int64_t				 a = conv_new(fx->st), b = conv_new(fx->st);

	set(fx->st, a, "de", EXPECT_PROMPT);
	assert_int_equal(store_conversation_list(fx->st, 0, &list, &n,
	    &cause), 0);
	assert_int_equal(n, 2);
	/* Newest first: b, then a. */
	assert_int_equal(list[0].id, b);
	assert_null(list[0].expected_lang);
	assert_int_equal(list[0].expected_by, EXPECT_NONE);
	assert_int_equal(list[1].id, a);
	assert_string_equal(list[1].expected_lang, "de");
	assert_int_equal(list[1].expected_by, EXPECT_PROMPT);
	conversation_infos_free(list, n);
	assert_int_equal(store_conversation_get(fx->st, a, &info, &m, &nm,
	    &cause), 0);
	assert_string_equal(info.expected_lang, "de");
	stored_messages_free(m, nm);
	conversation_info_release(&info);
}

/* Export a conversation as one JSON line into path. */
static void
export_to(struct store *st, int64_t id, const char *path)
{
	struct conversation_info	 info;
	struct stored_message		*m;
	size_t				 n;
	char				*cause = NULL, *json;
	FILE				*f;

	assert_int_equal(store_conversation_get(st, id, &info, &m, &n,
	    &cause), 0);
	json = store_conversation_json(&info, m, n, false);
	assert_non_null(strstr(json, "\"expected_lang\":\"sl\""));
	assert_non_null(strstr(json, "\"expected_lang_source\":\"user\""));
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "%s\n", json);
	fclose(f);
	free(json);
	stored_messages_free(m, n);
	conversation_info_release(&info);
}

static void
export_then_import_keeps_the_expected_language(void **state)
{
	struct fix			*fx = *state;
	struct conversation_info	*list;
	struct store			*st2;
	size_t				 added, skipped, n;
	char				*cause = NULL, *jl, *db2;
	int64_t				 c = conv_new(fx->st);
	FILE				*f;

	set(fx->st, c, "sl", EXPECT_USER);
	jl = xasprintf("%s/export.jsonl", fx->dir);
	db2 = xasprintf("%s/second.db", fx->dir);
	export_to(fx->st, c, jl);
	st2 = store_open(db2, 0, &cause);
	assert_non_null(st2);
	f = fopen(jl, "r");
	assert_int_equal(store_import_jsonl(st2, jl, f, &added, &skipped,
	    &cause), 0);
	fclose(f);
	assert_int_equal(added, 1);
	assert_int_equal(store_conversation_list(st2, 0, &list, &n, &cause),
	    0);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].expected_lang, "sl");
	assert_int_equal(list[0].expected_by, EXPECT_USER);
	conversation_infos_free(list, n);
	store_close(st2);
	free(jl);
	free(db2);
}

static void
import_refuses_an_unknown_expected_language(void **state)
{
	struct fix	*fx = *state;
	size_t		 added = 0, skipped = 0;
	char		*cause = NULL, *jl;
	FILE		*f;

	jl = xasprintf("%s/bad.jsonl", fx->dir);
	f = fopen(jl, "w");
	assert_non_null(f);
	fprintf(f, "{\"uid\":\"u1\",\"expected_lang\":\"xx\",\"messages\":"
	    "[{\"role\":\"user\",\"content\":\"hi\"}]}\n");
	fclose(f);
	f = fopen(jl, "r");
	assert_int_equal(store_import_jsonl(fx->st, jl, f, &added, &skipped,
	    &cause), -1);
	fclose(f);
	assert_non_null(strstr(cause, "line 1: unknown expected_lang 'xx'"));
	free(cause);
	assert_int_equal(added, 0);
	free(jl);
}

/*
 * A file as a tolk of schema 1 left it: the conversations table of step 1
 * (whose lang column was never written) and the columns of messages the
 * store reads when it opens. (The real step 1 also makes an FTS5 table
 * with tolk's tokenizer, which a bare connection cannot load.)
 */
static void
migration_adds_the_columns_to_a_first_schema_store(void **state)
{
	struct fix	*fx = *state;
	sqlite3		*db;
	char		*cause = NULL, *path;
	struct store	*st;

	path = xasprintf("%s/old.db", fx->dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE conversations ("
	    "  id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, title TEXT,"
	    "  system TEXT, lang TEXT, created INTEGER NOT NULL,"
	    "  updated INTEGER NOT NULL);"
	    "CREATE TABLE messages (id INTEGER PRIMARY KEY,"
	    "  conversation_id INTEGER NOT NULL, status TEXT NOT NULL,"
	    "  writer TEXT);"
	    "INSERT INTO conversations VALUES (7, 'u7', 'old', NULL, NULL,"
	    "  1, 1);"
	    "PRAGMA user_version = 1", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	st = store_open(path, 0, &cause);
	if (st == NULL)
		fail_msg("store_open: %s", cause);
	check(st, 7, NULL, EXPECT_NONE);
	set(st, 7, "sl", EXPECT_USER);
	check(st, 7, "sl", EXPECT_USER);
	store_close(st);
	free(path);
}

static void
source_names_round_trip(void **state)
{
	enum expect_source	by;
	int			i;

	(void)state;
	assert_null(expect_source_name(EXPECT_NONE));
	for (i = EXPECT_USER; i <= EXPECT_OFF; i++) {
		assert_int_equal(expect_source_parse(expect_source_name(i),
		    &by), 0);
		assert_int_equal((int)by, i);
	}
	assert_int_equal(expect_source_parse("auto", &by), -1);
	assert_int_equal(expect_source_parse(NULL, &by), -1);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(new_conversation_has_no_expected_language),
		T(set_by_user_then_prompt_then_off_reads_back),
		T(expected_language_survives_reopening),
		T(unknown_code_or_conversation_is_refused),
		T(read_only_store_refuses_to_set),
		T(list_and_get_carry_the_expected_language),
		T(export_then_import_keeps_the_expected_language),
		T(import_refuses_an_unknown_expected_language),
		T(migration_adds_the_columns_to_a_first_schema_store),
		cmocka_unit_test(source_names_round_trip),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
