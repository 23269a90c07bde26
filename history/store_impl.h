/*
 * history/store_impl.h - what the files of history/ share; not for use
 * outside history/ (the public interface is history/history.h).
 */
#ifndef TOLK_STORE_IMPL_H
#define TOLK_STORE_IMPL_H

#include <sqlite3.h>

#include <cJSON.h>

#include "history/history.h"

/* Statements kept prepared for the connection's life (store_keep()). */
#define STORE_KEPT	8

struct store {
	sqlite3	*db;
	char	*path;
	bool	 readonly;
	char	*readonly_reason;
	struct {
		const char	*sql;	/* looked up by address */
		sqlite3_stmt	*stmt;
		bool		 busy;
	} kept[STORE_KEPT];
};

/* "PATH: sqlite's message" style cause from the connection's last error,
 * with the locked case spelled out. */
char	*store_error(struct store *, const char *what);
/* Prepare; on failure set *cause and return NULL. */
sqlite3_stmt	*store_prepare(struct store *, const char *sql,
		    char **cause);
/*
 * Like store_prepare(), for SQL that runs once per answer or more (a
 * string literal: kept statements are found by its address): the
 * statement stays prepared for the connection's life, which saves SQLite
 * parsing it every time. Give it back with store_done(), on every path.
 */
sqlite3_stmt	*store_keep(struct store *, const char *sql, char **cause);
/* Reset and unbind a statement of store_keep() for its next use, or
 * finalize any other statement. */
void	store_done(struct store *, sqlite3_stmt *);
/* Run SQL without results; 0 or -1 with *cause. */
int	store_exec(struct store *, const char *sql, char **cause);
/* Fails with a clear message when the store is read-only. */
int	store_check_writable(struct store *, char **cause);
/* Whether the spend table exists (schema 4; spend.c). */
bool	store_has_spend(struct store *);

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

/* A new random uid (32 hex digits). */
char	*store_new_uid(void);
/* One conversation's row, without its messages ("no conversation N"). */
int	store_conversation_row(struct store *, int64_t id,
	    struct conversation_info *, char **cause);

/*
 * The condition of an annotation_filter on the message aliased m, with
 * parameters ?10 to ?12 that annotation_filter_bind() binds (NULL f:
 * everything passes).
 */
#define ANNOTATION_FILTER_SQL \
	" AND (?10 = 0 OR EXISTS (SELECT 1 FROM annotations a" \
	"   WHERE a.message_id = m.id AND a.span_start IS NULL" \
	"   AND a.rating IS NOT NULL AND (?11 IS NULL OR a.rating = ?11)))" \
	" AND (?12 IS NULL OR EXISTS (SELECT 1 FROM annotations a," \
	"   json_each(a.tags) j WHERE a.message_id = m.id" \
	"   AND j.value = ?12))"
void	annotation_filter_bind(sqlite3_stmt *,
	    const struct annotation_filter *);

/* A message as JSON (show, export; history/json.c). */
cJSON	*store_message_json(const struct stored_message *);
/* "i" and 32 hex digits of a hash of the bytes. */
char	*store_text_uid(const char *, size_t);
/* A string member, or NULL when absent or not a string. */
const char *store_json_string(const cJSON *, const char *key);
/* Add t as an ISO 8601 UTC string. */
void	store_json_add_time(cJSON *, const char *key, int64_t t);
/* A time given as ISO 8601 or unix seconds; def when absent. */
int64_t	store_json_time(const cJSON *, const char *key, int64_t def);

/* Import: the statement inserting a message, and one message of the
 * export's JSON through it (its id, or -1). */
#define IMPORT_INSERT_SQL "INSERT INTO messages" \
	" (conversation_id, parent_id, role, content, provider, model," \
	" params, status, error, finish_reason, input_tokens," \
	" output_tokens, cached_tokens, reasoning_tokens, ttft_ms," \
	" duration_ms, cost, lang, created) VALUES (?, ?, ?, ?, ?, ?," \
	" ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
int64_t	store_import_message(struct store *, sqlite3_stmt *ins,
	    int64_t conv, int64_t parent, enum role, enum msg_status,
	    const cJSON *m, int64_t created, char **cause);

/*
 * The import of annotated answers (lines of store_export_annotated(),
 * history/annotated.c) inside store_import_jsonl()'s transaction: a line
 * gives 1 when it added its answer, 0 when the answer was there; votes
 * wait for _finish(), when every answer they name has been read.
 */
struct annotated_import;
struct annotated_import *annotated_import_create(struct store *);
int	annotated_import_line(struct annotated_import *, const cJSON *,
	    char **cause);
int	annotated_import_finish(struct annotated_import *, char **cause);
void	annotated_import_free(struct annotated_import *);
/* store_annotate() and store_vote_add() without a transaction of their
 * own (annotation.c). */
int	store_annotate_in(struct store *, int64_t msg,
	    const struct annotation_edit *, char **cause);
int64_t	vote_insert(struct store *, const struct vote *, char **cause);

/* The current time in unix seconds. */
int64_t	store_now(void);

#endif
