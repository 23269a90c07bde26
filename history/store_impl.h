/*
 * history/store_impl.h - what the files of history/ share; not for use
 * outside history/ (the public interface is history/history.h).
 */
#ifndef TOLK_STORE_IMPL_H
#define TOLK_STORE_IMPL_H

#include <sqlite3.h>

#include "history/history.h"

struct store {
	sqlite3	*db;
	char	*path;
	bool	 readonly;
	char	*readonly_reason;
};

/* "PATH: sqlite's message" style cause from the connection's last error,
 * with the locked case spelled out. */
char	*store_error(struct store *, const char *what);
/* Prepare; on failure set *cause and return NULL. */
sqlite3_stmt	*store_prepare(struct store *, const char *sql,
		    char **cause);
/* Run SQL without results; 0 or -1 with *cause. */
int	store_exec(struct store *, const char *sql, char **cause);
/* Fails with a clear message when the store is read-only. */
int	store_check_writable(struct store *, char **cause);

/* Register the "tolk" FTS5 tokenizer and the SQL function words(TEXT),
 * its word count, on a connection (history/fts.c). */
int	fts_register(sqlite3 *, char **cause);

/* A column as an allocated string, or NULL. */
char	*column_text(sqlite3_stmt *, int);
/* Bind helpers mapping "unknown" markers to NULL. */
void	bind_text_or_null(sqlite3_stmt *, int, const char *);
void	bind_int_or_null(sqlite3_stmt *, int, int64_t);
void	bind_cost(sqlite3_stmt *, int, double);

/* A message row read by the columns of MESSAGE_COLUMNS. */
#define MESSAGE_COLUMNS "id, conversation_id, parent_id, role, content, " \
	"provider, model, params, status, error, finish_reason, " \
	"input_tokens, output_tokens, cached_tokens, reasoning_tokens, " \
	"ttft_ms, duration_ms, cost, lang, created"
void	message_from_row(sqlite3_stmt *, struct stored_message *);

/* "PID START" naming this process as the writer of a streaming answer. */
char	*store_writer_self(void);

/* A conversation with a given uid and times (import). */
int64_t	store_conversation_insert(struct store *, const char *uid,
	    const char *title, const char *system, int64_t created,
	    int64_t updated, char **cause);

/* A conversation's expected language from the columns expected_lang and
 * expected_lang_source at col and col + 1 (history/convlang.c); values a
 * newer or foreign writer left that this tolk does not know read as
 * "never set". */
void	expect_from_columns(sqlite3_stmt *, int col, char **code,
	    enum expect_source *by);

/* Step an UPDATE of conversation id and finalize it: 0, or -1 with
 * *cause ("WHAT: sqlite's reason", or "no conversation N" when no row
 * changed). */
int	conversation_update(struct store *, sqlite3_stmt *, int64_t id,
	    const char *what, char **cause);

/* The current time in unix seconds. */
int64_t	store_now(void);

#endif
