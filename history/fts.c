/*
 * history/fts.c - the "tolk" FTS5 tokenizer: words and their folding come
 * from lang/ (lang_tokenize), so the index and every query agree on what
 * a word is, and the byte offsets handed to FTS5 point into the original
 * text, which is what snippet() marks. The SQL function words(TEXT)
 * counts words the same way, for the tokens per word of tolk usage.
 */
#include "config.h"

#include <string.h>

#include "history/store_impl.h"
#include "lang/lang.h"

/* The tokenizer has no options and no state; any non-NULL handle does. */
static char tok_handle;

static int
tok_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
	(void)ctx;
	(void)argv;
	if (argc != 0)
		return (SQLITE_ERROR);
	*out = (Fts5Tokenizer *)&tok_handle;
	return (SQLITE_OK);
}

static void
tok_delete(Fts5Tokenizer *t)
{
	(void)t;
}

struct tok_walk {
	void	*ctx;
	int	(*token)(void *, int, const char *, int, int, int);
};

static int
tok_each(void *arg, const char *folded, size_t flen, size_t start,
    size_t end)
{
	struct tok_walk	*w = arg;

	return (w->token(w->ctx, 0, folded, (int)flen, (int)start,
	    (int)end));
}

static int
tok_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text,
    int len, int (*token)(void *, int, const char *, int, int, int))
{
	struct tok_walk	w;

	(void)t;
	(void)flags;	/* queries fold exactly like documents */
	if (len <= 0)
		return (SQLITE_OK);
	w.ctx = ctx;
	w.token = token;
	return (lang_tokenize(text, (size_t)len, tok_each, &w));
}

static fts5_tokenizer tolk_tokenizer = {
	tok_create,
	tok_delete,
	tok_tokenize,
};

static int
count_word(void *arg, const char *folded, size_t flen, size_t start,
    size_t end)
{
	(void)folded;
	(void)flen;
	(void)start;
	(void)end;
	(*(int64_t *)arg)++;
	return (0);
}

/* words(TEXT): the number of words lang_tokenize() finds; NULL -> 0. */
static void
sql_words(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char	*text;
	int64_t		 n = 0;
	int		 len;

	(void)argc;
	text = (const char *)sqlite3_value_text(argv[0]);
	len = sqlite3_value_bytes(argv[0]);
	if (text != NULL && len > 0)
		lang_tokenize(text, (size_t)len, count_word, &n);
	sqlite3_result_int64(ctx, n);
}

int
fts_register(sqlite3 *db, char **cause)
{
	sqlite3_stmt	*stmt;
	fts5_api	*api = NULL;

	/* The documented way to reach the FTS5 API of a connection. */
	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, NULL) !=
	    SQLITE_OK) {
		*cause = xasprintf("this SQLite has no FTS5: %s",
		    sqlite3_errmsg(db));
		return (-1);
	}
	sqlite3_bind_pointer(stmt, 1, &api, "fts5_api_ptr", NULL);
	sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (api == NULL || api->iVersion < 2) {
		*cause = xstrdup("this SQLite has no usable FTS5");
		return (-1);
	}
	if (api->xCreateTokenizer(api, "tolk", NULL, &tolk_tokenizer,
	    NULL) != SQLITE_OK) {
		*cause = xasprintf("cannot register the search tokenizer: %s",
		    sqlite3_errmsg(db));
		return (-1);
	}
	if (sqlite3_create_function(db, "words", 1, SQLITE_UTF8 |
	    SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL, sql_words, NULL,
	    NULL) != SQLITE_OK) {
		*cause = xasprintf("cannot register the word count: %s",
		    sqlite3_errmsg(db));
		return (-1);
	}
	return (0);
}
