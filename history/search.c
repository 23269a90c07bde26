/*
 * history/search.c - full-text search over the FTS5 index and the usage
 * totals (by model, day or detected language).
 *
 * A query goes to FTS5 as typed, so phrases, prefixes and AND/OR/NOT
 * work; the "tolk" tokenizer folds its words like the text. Text that is
 * not FTS5 syntax (an apostrophe, a hyphen, a lone quote) is searched
 * again as plain words, each quoted, so people never see a syntax error
 * for typing a sentence.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "history/store_impl.h"

void
search_hits_free(struct search_hit *h, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(h[i].provider);
		free(h[i].model);
		free(h[i].snippet);
	}
	free(h);
}

/* Each whitespace-separated word as an FTS5 string; a trailing * stays a
 * prefix mark. */
static char *
quote_words(const char *q)
{
	struct buf	 b;
	const char	*p = q, *start;
	size_t		 len;
	bool		 prefix;

	buf_init(&b, BUF_NO_LIMIT);
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (*p == '\0')
			break;
		start = p;
		while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\n')
			p++;
		len = (size_t)(p - start);
		prefix = len > 1 && start[len - 1] == '*';
		if (prefix)
			len--;
		if (b.len > 0)
			buf_addc(&b, ' ');
		buf_addc(&b, '"');
		for (; len > 0; len--, start++) {
			if (*start == '"')
				buf_addc(&b, '"');
			buf_addc(&b, *start);
		}
		buf_addc(&b, '"');
		if (prefix)
			buf_addc(&b, '*');
	}
	return (buf_take(&b, NULL));
}

static int
run_search(struct store *st, const char *match, const char *model,
    const char *lang, const struct annotation_filter *f, size_t limit,
    const char *mo, const char *mc, struct search_hit **out, size_t *n,
    bool *syntax, char **cause)
{
	sqlite3_stmt	*stmt;
	struct search_hit *h;
	size_t		 cap = 0;
	char		*s;
	int		 rc;

	*syntax = false;
	if ((stmt = store_prepare(st, "SELECT m.conversation_id, m.id,"
	    " m.role, m.provider, m.model, m.created,"
	    " snippet(messages_fts, 0, ?2, ?3, '…', 16), f.rank"
	    " FROM messages_fts f JOIN messages m ON m.id = f.rowid"
	    " WHERE messages_fts MATCH ?1"
	    " AND (?4 IS NULL OR m.model = ?4"
	    "   OR m.provider || ':' || m.model = ?4)"
	    " AND (?6 IS NULL OR m.lang = ?6)" ANNOTATION_FILTER_SQL
	    " ORDER BY f.rank LIMIT ?5", cause)) == NULL)
		return (-1);
	sqlite3_bind_text(stmt, 1, match, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, mo, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, mc, -1, SQLITE_STATIC);
	bind_text_or_null(stmt, 4, model);
	sqlite3_bind_int64(stmt, 5, (int64_t)limit);
	bind_text_or_null(stmt, 6, lang);
	annotation_filter_bind(stmt, f);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		h = &(*out)[(*n)++];
		memset(h, 0, sizeof *h);
		h->conversation_id = sqlite3_column_int64(stmt, 0);
		h->message_id = sqlite3_column_int64(stmt, 1);
		s = column_text(stmt, 2);
		if (s == NULL || role_parse(s, &h->role) != 0)
			h->role = ROLE_USER;
		free(s);
		h->provider = column_text(stmt, 3);
		h->model = column_text(stmt, 4);
		h->created = sqlite3_column_int64(stmt, 5);
		h->snippet = column_text(stmt, 6);
		if (h->snippet == NULL)
			h->snippet = xstrdup("");
		h->rank = sqlite3_column_double(stmt, 7);
	}
	if (rc != SQLITE_DONE) {
		const char *msg = sqlite3_errmsg(st->db);

		*syntax = strstr(msg, "syntax error") != NULL ||
		    strstr(msg, "no such column") != NULL ||
		    strstr(msg, "unterminated") != NULL ||
		    strstr(msg, "unknown special query") != NULL;
		*cause = store_error(st, "search");
		sqlite3_finalize(stmt);
		search_hits_free(*out, *n);
		*out = NULL;
		*n = 0;
		return (-1);
	}
	sqlite3_finalize(stmt);
	return (0);
}

int
store_search(struct store *st, const char *query, const char *model,
    size_t limit, const char *mo, const char *mc, struct search_hit **out,
    size_t *n, char **cause)
{
	return (store_search_lang(st, query, model, NULL, limit, mo, mc, out,
	    n, cause));
}

int
store_search_lang(struct store *st, const char *query, const char *model,
    const char *lang, size_t limit, const char *mo, const char *mc,
    struct search_hit **out, size_t *n, char **cause)
{
	return (store_search_filter(st, query, model, lang, NULL, limit, mo,
	    mc, out, n, cause));
}

int
store_search_filter(struct store *st, const char *query, const char *model,
    const char *lang, const struct annotation_filter *f, size_t limit,
    const char *mo, const char *mc, struct search_hit **out, size_t *n,
    char **cause)
{
	char	*quoted;
	bool	 syntax;
	int	 r;

	*out = NULL;
	*n = 0;
	if (limit == 0)
		limit = 20;
	r = run_search(st, query, model, lang, f, limit, mo, mc, out, n,
	    &syntax, cause);
	if (r == 0 || !syntax)
		return (r);
	free(*cause);
	*cause = NULL;
	quoted = quote_words(query);
	if (*quoted == '\0') {
		free(quoted);
		return (0);
	}
	r = run_search(st, quoted, model, lang, f, limit, mo, mc, out, n,
	    &syntax, cause);
	free(quoted);
	return (r);
}

void
usage_rows_free(struct usage_row *r, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(r[i].key);
	free(r);
}

/* A SUM() over only unknown counts is NULL: unknown, not zero. */
static int64_t
sum_or_unknown(sqlite3_stmt *stmt, int col)
{
	if (sqlite3_column_type(stmt, col) == SQLITE_NULL)
		return (USAGE_UNKNOWN);
	return (sqlite3_column_int64(stmt, col));
}

int
store_usage(struct store *st, int64_t since, enum usage_by by,
    struct usage_row **out, size_t *n, char **cause)
{
	sqlite3_stmt	*stmt;
	struct usage_row *r;
	const char	*key;
	char		*sql;
	size_t		 cap = 0;
	int		 rc;

	*out = NULL;
	*n = 0;
	switch (by) {
	case USAGE_BY_MODEL:
		key = "coalesce(provider || ':', '') || coalesce(model, '?')";
		break;
	case USAGE_BY_DAY:
		key = "strftime('%Y-%m-%d', created, 'unixepoch')";
		break;
	case USAGE_BY_LANG:
		key = "coalesce(nullif(lang, ''), '?')";
		break;
	default:
		key = "'total'";
		break;
	}
	/*
	 * Counting words reads every answer: only when asked for. The
	 * answers only their cost was kept of (spend.c) count too; having
	 * no text, they stay out of the tokens per word.
	 */
	sql = xasprintf("SELECT %s AS k, count(*), sum(input_tokens),"
	    " sum(output_tokens), sum(cached_tokens), sum(reasoning_tokens),"
	    " sum(cost), sum(cost IS NULL), %s"
	    " FROM (SELECT provider, model, lang, created, input_tokens,"
	    " output_tokens, cached_tokens, reasoning_tokens, cost, content"
	    " FROM messages WHERE role = 'assistant' AND created >= ?1%s)"
	    " GROUP BY k ORDER BY k", key, by == USAGE_BY_LANG ?
	    "total(CASE WHEN content IS NOT NULL THEN output_tokens END),"
	    " total(CASE WHEN output_tokens IS NOT NULL"
	    " THEN words(content) END)" : "0, 0", store_has_spend(st) ?
	    " UNION ALL SELECT provider, model, NULL, created, input_tokens,"
	    " output_tokens, cached_tokens, reasoning_tokens, cost, NULL"
	    " FROM spend WHERE created >= ?1" : "");
	stmt = store_prepare(st, sql, cause);
	free(sql);
	if (stmt == NULL)
		return (-1);
	sqlite3_bind_int64(stmt, 1, since);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		r = &(*out)[(*n)++];
		r->key = column_text(stmt, 0);
		if (r->key == NULL)
			r->key = xstrdup("?");
		r->messages = sqlite3_column_int64(stmt, 1);
		r->input = sum_or_unknown(stmt, 2);
		r->output = sum_or_unknown(stmt, 3);
		r->cached = sum_or_unknown(stmt, 4);
		r->reasoning = sum_or_unknown(stmt, 5);
		r->cost = sqlite3_column_double(stmt, 6);
		r->cost_unknown = sqlite3_column_int64(stmt, 7);
		r->tpw_tokens = sqlite3_column_int64(stmt, 8);
		r->tpw_words = sqlite3_column_int64(stmt, 9);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		*cause = store_error(st, "usage");
		usage_rows_free(*out, *n);
		*out = NULL;
		*n = 0;
		return (-1);
	}
	return (0);
}
