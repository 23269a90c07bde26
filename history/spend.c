/*
 * history/spend.c - what answers cost: the sums the budgets are checked
 * against, and the cost kept of answers that are not stored (--no-log
 * with a budget), without their text.
 *
 * A database opened read-only may be older than the spend table (schema
 * 4): it is then counted as empty rather than failing the read.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "history/store_impl.h"

bool
store_has_spend(struct store *st)
{
	sqlite3_stmt	*stmt;
	char		*cause = NULL;
	bool		 has;

	if ((stmt = store_prepare(st, "SELECT 1 FROM sqlite_master WHERE"
	    " type = 'table' AND name = 'spend'", &cause)) == NULL) {
		free(cause);
		return (false);
	}
	has = sqlite3_step(stmt) == SQLITE_ROW;
	sqlite3_finalize(stmt);
	return (has);
}

int
store_spend_add(struct store *st, int64_t created, const char *provider,
    const char *model, const struct usage *u, double cost, char **cause)
{
	sqlite3_stmt	*stmt;
	int		 r = 0;

	if (store_check_writable(st, cause) != 0)
		return (-1);
	if ((stmt = store_prepare(st, "INSERT INTO spend (created, provider,"
	    " model, input_tokens, output_tokens, cached_tokens,"
	    " reasoning_tokens, cost) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	    cause)) == NULL)
		return (-1);
	sqlite3_bind_int64(stmt, 1, created > 0 ? created : store_now());
	bind_text_or_null(stmt, 2, provider);
	bind_text_or_null(stmt, 3, model);
	bind_int_or_null(stmt, 4, u->input);
	bind_int_or_null(stmt, 5, u->output);
	bind_int_or_null(stmt, 6, u->cached);
	bind_int_or_null(stmt, 7, u->reasoning);
	bind_cost(stmt, 8, cost);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		*cause = store_error(st, "cannot keep the cost");
		r = -1;
	}
	sqlite3_finalize(stmt);
	return (r);
}

int
store_spend(struct store *st, int64_t since, int64_t conversation,
    const char *provider, double *cost, char **cause)
{
	sqlite3_stmt	*stmt;
	char		*sql;
	int		 rc;

	*cost = 0;
	/* The answers kept without text belong to no conversation. */
	sql = xasprintf("SELECT total(cost) FROM (SELECT cost FROM messages"
	    " WHERE role = 'assistant' AND created >= ?1"
	    " AND (?2 = 0 OR conversation_id = ?2)"
	    " AND (?3 IS NULL OR provider = ?3)%s)", store_has_spend(st) ?
	    " UNION ALL SELECT cost FROM spend WHERE ?2 = 0"
	    " AND created >= ?1 AND (?3 IS NULL OR provider = ?3)" : "");
	stmt = store_prepare(st, sql, cause);
	free(sql);
	if (stmt == NULL)
		return (-1);
	sqlite3_bind_int64(stmt, 1, since);
	sqlite3_bind_int64(stmt, 2, conversation);
	if (provider != NULL)
		sqlite3_bind_text(stmt, 3, provider, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(stmt, 3);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*cost = sqlite3_column_double(stmt, 0);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW) {
		*cause = store_error(st, "spend");
		return (-1);
	}
	return (0);
}
