/*
 * history/convlang.c - a conversation's expected language: which language
 * its answers should be in (an ISO 639-1 code lang/ identifies) and how
 * that came to be (the user said so, the first prompt showed it, or the
 * user turned the check off). The TUI, print mode and the subcommands
 * read it; tolk compares every finished answer with it.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "history/store_impl.h"
#include "lang/lang.h"

static const char *source_names[] = {
	[EXPECT_NONE] = NULL,
	[EXPECT_USER] = "user",
	[EXPECT_PROMPT] = "prompt",
	[EXPECT_OFF] = "off",
};

const char *
expect_source_name(enum expect_source by)
{
	if ((size_t)by >= sizeof source_names / sizeof source_names[0])
		return (NULL);
	return (source_names[by]);
}

int
expect_source_parse(const char *s, enum expect_source *out)
{
	size_t	i;

	for (i = 1; s != NULL && i < sizeof source_names /
	    sizeof source_names[0]; i++) {
		if (strcmp(s, source_names[i]) == 0) {
			*out = (enum expect_source)i;
			return (0);
		}
	}
	return (-1);
}

int
store_conversation_set_lang(struct store *st, int64_t id, const char *code,
    enum expect_source by, char **cause)
{
	sqlite3_stmt	*stmt;

	if (by == EXPECT_USER || by == EXPECT_PROMPT) {
		if (code == NULL || !langid_known(code)) {
			*cause = xasprintf("unknown language '%s'",
			    code != NULL ? code : "");
			return (-1);
		}
	} else
		code = NULL;
	if (store_check_writable(st, cause) != 0)
		return (-1);
	if ((stmt = store_prepare(st, "UPDATE conversations"
	    " SET expected_lang = ?, expected_lang_source = ? WHERE id = ?",
	    cause)) == NULL)
		return (-1);
	bind_text_or_null(stmt, 1, code);
	bind_text_or_null(stmt, 2, expect_source_name(by));
	sqlite3_bind_int64(stmt, 3, id);
	return (conversation_update(st, stmt, id, "cannot store the expected "
	    "language", cause));
}

void
expect_from_columns(sqlite3_stmt *stmt, int col, char **code,
    enum expect_source *by)
{
	char	*src = column_text(stmt, col + 1);

	*code = column_text(stmt, col);
	if (expect_source_parse(src, by) != 0)
		*by = EXPECT_NONE;
	/* Only a code lang/ knows is one; anything else was never set. */
	if (*code != NULL && (!langid_known(*code) || *by == EXPECT_OFF ||
	    *by == EXPECT_NONE)) {
		free(*code);
		*code = NULL;
		if (*by != EXPECT_OFF)
			*by = EXPECT_NONE;
	}
	if (*code == NULL && (*by == EXPECT_USER || *by == EXPECT_PROMPT))
		*by = EXPECT_NONE;
	free(src);
}

int
store_conversation_lang(struct store *st, int64_t id, char **code,
    enum expect_source *by, char **cause)
{
	sqlite3_stmt	*stmt;
	int		 rc, r = -1;

	*code = NULL;
	*by = EXPECT_NONE;
	if ((stmt = store_prepare(st, "SELECT expected_lang,"
	    " expected_lang_source FROM conversations WHERE id = ?",
	    cause)) == NULL)
		return (-1);
	sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		expect_from_columns(stmt, 0, code, by);
		r = 0;
	} else if (rc == SQLITE_DONE)
		*cause = xasprintf("no conversation %lld", (long long)id);
	else
		*cause = store_error(st, "cannot read the history");
	sqlite3_finalize(stmt);
	return (r);
}
