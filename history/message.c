/*
 * history/message.c - conversations and the message tree: what the session
 * writes while a turn runs (add, checkpoint, finish) and what the
 * subcommands read (list, get, the path to continue, remove).
 *
 * Every write is one statement or one transaction, so a failure (a full
 * disk, a lock held too long) leaves the store as it was and the same call
 * can be made again later.
 */
#include "config.h"

#include <sys/random.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "history/store_impl.h"

static const char *status_names[] = {
	[MSG_COMPLETE] = "complete",
	[MSG_STREAMING] = "streaming",
	[MSG_CUT] = "cut",
	[MSG_ERROR] = "error",
	[MSG_CANCELLED] = "cancelled",
};

const char *
msg_status_name(enum msg_status s)
{
	if ((size_t)s >= sizeof status_names / sizeof status_names[0])
		return ("error");
	return (status_names[s]);
}

int
msg_status_parse(const char *s, enum msg_status *out)
{
	size_t	i;

	for (i = 0; i < sizeof status_names / sizeof status_names[0]; i++) {
		if (strcmp(s, status_names[i]) == 0) {
			*out = (enum msg_status)i;
			return (0);
		}
	}
	return (-1);
}

void
stored_message_init(struct stored_message *m)
{
	memset(m, 0, sizeof *m);
	m->role = ROLE_USER;
	m->status = MSG_COMPLETE;
	usage_init_unknown(&m->usage);
	m->ttft_ms = -1;
	m->duration_ms = -1;
	m->cost = -1;
}

void
stored_message_release(struct stored_message *m)
{
	free(m->content);
	free(m->provider);
	free(m->model);
	free(m->params_json);
	free(m->error);
	free(m->finish_reason);
	free(m->lang);
	stored_message_init(m);
}

void
stored_messages_free(struct stored_message *m, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		stored_message_release(&m[i]);
	free(m);
}

void
chat_messages_free(struct chat_message *m, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(m[i].content);
	free(m);
}

void
conversation_info_release(struct conversation_info *c)
{
	free(c->uid);
	free(c->title);
	free(c->system);
	free(c->models);
	free(c->expected_lang);
	memset(c, 0, sizeof *c);
}

void
conversation_infos_free(struct conversation_info *c, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		conversation_info_release(&c[i]);
	free(c);
}

static int64_t
column_int_or_unknown(sqlite3_stmt *stmt, int col)
{
	if (sqlite3_column_type(stmt, col) == SQLITE_NULL)
		return (-1);
	return (sqlite3_column_int64(stmt, col));
}

void
message_from_row(sqlite3_stmt *stmt, struct stored_message *m)
{
	char	*s;

	stored_message_init(m);
	m->id = sqlite3_column_int64(stmt, 0);
	m->conversation_id = sqlite3_column_int64(stmt, 1);
	m->parent_id = sqlite3_column_int64(stmt, 2);
	if ((s = column_text(stmt, 3)) == NULL ||
	    role_parse(s, &m->role) != 0)
		m->role = ROLE_USER;
	free(s);
	m->content = column_text(stmt, 4);
	if (m->content == NULL)
		m->content = xstrdup("");
	m->provider = column_text(stmt, 5);
	m->model = column_text(stmt, 6);
	m->params_json = column_text(stmt, 7);
	if ((s = column_text(stmt, 8)) == NULL ||
	    msg_status_parse(s, &m->status) != 0)
		m->status = MSG_ERROR;
	free(s);
	m->error = column_text(stmt, 9);
	m->finish_reason = column_text(stmt, 10);
	m->usage.input = column_int_or_unknown(stmt, 11);
	m->usage.output = column_int_or_unknown(stmt, 12);
	m->usage.cached = column_int_or_unknown(stmt, 13);
	m->usage.reasoning = column_int_or_unknown(stmt, 14);
	m->ttft_ms = column_int_or_unknown(stmt, 15);
	m->duration_ms = column_int_or_unknown(stmt, 16);
	if (sqlite3_column_type(stmt, 17) == SQLITE_NULL)
		m->cost = -1;
	else
		m->cost = sqlite3_column_double(stmt, 17);
	m->lang = column_text(stmt, 18);
	m->created = sqlite3_column_int64(stmt, 19);
}

/* A new random uid (32 hex digits): conversations, votes. */
char *
store_new_uid(void)
{
	unsigned char	r[16];
	char		out[33];
	size_t		i;

	if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r) {
		int64_t	seed = clock_us() ^ ((int64_t)getpid() << 32);

		for (i = 0; i < sizeof r; i++) {
			seed = seed * 6364136223846793005LL +
			    1442695040888963407LL;
			r[i] = (unsigned char)(seed >> 56);
		}
	}
	for (i = 0; i < sizeof r; i++)
		snprintf(out + 2 * i, 3, "%02x", r[i]);
	return (xstrdup(out));
}

/* Insert a conversation with a given uid and times (import uses it). */
int64_t
store_conversation_insert(struct store *st, const char *uid,
    const char *title, const char *system, int64_t created, int64_t updated,
    char **cause)
{
	sqlite3_stmt	*stmt;
	int64_t		 id = -1;

	if (store_check_writable(st, cause) != 0)
		return (-1);
	if ((stmt = store_prepare(st, "INSERT INTO conversations"
	    " (uid, title, system, created, updated) VALUES (?, ?, ?, ?, ?)",
	    cause)) == NULL)
		return (-1);
	sqlite3_bind_text(stmt, 1, uid, -1, SQLITE_TRANSIENT);
	bind_text_or_null(stmt, 2, title);
	bind_text_or_null(stmt, 3, system);
	sqlite3_bind_int64(stmt, 4, created);
	sqlite3_bind_int64(stmt, 5, updated);
	if (sqlite3_step(stmt) == SQLITE_DONE)
		id = sqlite3_last_insert_rowid(st->db);
	else
		*cause = store_error(st, "cannot create a conversation");
	sqlite3_finalize(stmt);
	return (id);
}

int64_t
store_conversation_create(struct store *st, const char *title,
    const char *system, char **cause)
{
	char	*uid = store_new_uid();
	int64_t	 now = store_now(), id;

	id = store_conversation_insert(st, uid, title, system, now, now,
	    cause);
	free(uid);
	return (id);
}

int
store_conversation_set_title(struct store *st, int64_t id, const char *title,
    char **cause)
{
	sqlite3_stmt	*stmt;

	if (store_check_writable(st, cause) != 0)
		return (-1);
	if ((stmt = store_prepare(st, "UPDATE conversations SET title = ?,"
	    " updated = ? WHERE id = ?", cause)) == NULL)
		return (-1);
	if (title != NULL && *title != '\0')
		sqlite3_bind_text(stmt, 1, title, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(stmt, 1);
	sqlite3_bind_int64(stmt, 2, store_now());
	sqlite3_bind_int64(stmt, 3, id);
	return (conversation_update(st, stmt, id, "cannot rename the "
	    "conversation", cause));
}

int
conversation_update(struct store *st, sqlite3_stmt *stmt, int64_t id,
    const char *what, char **cause)
{
	int	r = 0;

	if (sqlite3_step(stmt) != SQLITE_DONE) {
		*cause = store_error(st, what);
		r = -1;
	} else if (sqlite3_changes(st->db) == 0) {
		*cause = xasprintf("no conversation %lld", (long long)id);
		r = -1;
	}
	sqlite3_finalize(stmt);
	return (r);
}

int64_t
store_conversation_latest(struct store *st, char **cause)
{
	sqlite3_stmt	*stmt;
	int64_t		 id = -1;
	int		 rc;

	if ((stmt = store_prepare(st, "SELECT id FROM conversations"
	    " ORDER BY updated DESC, id DESC LIMIT 1", cause)) == NULL)
		return (-1);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(stmt, 0);
	else if (rc == SQLITE_DONE)
		id = 0;
	else
		*cause = store_error(st, "cannot read the history");
	sqlite3_finalize(stmt);
	return (id);
}

/* Read a conversation's own row; 0, or -1 (not found or error). */
int
store_conversation_row(struct store *st, int64_t id,
    struct conversation_info *c, char **cause)
{
	sqlite3_stmt		*stmt;
	enum expect_source	 by;
	int			 rc, r = -1;

	memset(c, 0, sizeof *c);
	if ((stmt = store_prepare(st, "SELECT c.id, c.uid, c.title,"
	    " c.system, c.created, c.updated,"
	    " (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id),"
	    " (SELECT group_concat(pm, ', ') FROM (SELECT DISTINCT"
	    "   coalesce(m.provider || ':', '') || m.model AS pm"
	    "   FROM messages m WHERE m.conversation_id = c.id"
	    "   AND m.model IS NOT NULL)),"
	    " (SELECT substr(m.content, 1, 300) FROM messages m"
	    "   WHERE m.conversation_id = c.id AND m.role = 'user'"
	    "   ORDER BY m.id LIMIT 1),"
	    " c.expected_lang, c.expected_lang_source"
	    " FROM conversations c WHERE c.id = ?", cause)) == NULL)
		return (-1);
	sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		c->id = sqlite3_column_int64(stmt, 0);
		c->uid = column_text(stmt, 1);
		c->title = column_text(stmt, 2);
		c->system = column_text(stmt, 3);
		c->created = sqlite3_column_int64(stmt, 4);
		c->updated = sqlite3_column_int64(stmt, 5);
		c->nmessages = sqlite3_column_int64(stmt, 6);
		c->models = column_text(stmt, 7);
		if (c->title == NULL)
			c->title = column_text(stmt, 8);
		expect_from_columns(stmt, 9, &c->expected_lang, &by);
		c->expected_by = (int)by;
		r = 0;
	} else if (rc == SQLITE_DONE)
		*cause = xasprintf("no conversation %lld", (long long)id);
	else
		*cause = store_error(st, "cannot read the history");
	sqlite3_finalize(stmt);
	return (r);
}

int
store_conversation_list(struct store *st, size_t limit,
    struct conversation_info **out, size_t *n, char **cause)
{
	return (store_conversation_list_lang(st, limit, NULL, out, n, cause));
}

int
store_conversation_list_lang(struct store *st, size_t limit,
    const char *lang, struct conversation_info **out, size_t *n,
    char **cause)
{
	return (store_conversation_list_filter(st, limit, lang, NULL, out, n,
	    cause));
}

int
store_conversation_list_filter(struct store *st, size_t limit,
    const char *lang, const struct annotation_filter *f,
    struct conversation_info **out, size_t *n, char **cause)
{
	sqlite3_stmt	*stmt;
	int64_t		*ids = NULL;
	size_t		 nids = 0, cap = 0, i;
	int		 rc, r = -1;

	*out = NULL;
	*n = 0;
	if ((stmt = store_prepare(st, "SELECT c.id FROM conversations c"
	    " WHERE (?2 IS NULL AND ?10 = 0 AND ?12 IS NULL)"
	    " OR EXISTS (SELECT 1 FROM messages m"
	    "   WHERE m.conversation_id = c.id AND m.role = 'assistant'"
	    "   AND (?2 IS NULL OR m.lang = ?2)" ANNOTATION_FILTER_SQL ")"
	    " ORDER BY c.updated DESC, c.id DESC LIMIT ?1", cause)) == NULL)
		return (-1);
	sqlite3_bind_int64(stmt, 1, limit == 0 ? -1 : (int64_t)limit);
	bind_text_or_null(stmt, 2, lang);
	annotation_filter_bind(stmt, f);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (nids == cap) {
			cap = cap == 0 ? 32 : cap * 2;
			ids = xrealloc(ids, cap * sizeof *ids);
		}
		ids[nids++] = sqlite3_column_int64(stmt, 0);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		*cause = store_error(st, "cannot read the history");
		goto out;
	}
	*out = xcalloc(nids == 0 ? 1 : nids, sizeof **out);
	for (i = 0; i < nids; i++) {
		if (store_conversation_row(st, ids[i], &(*out)[i],
		    cause) != 0) {
			conversation_infos_free(*out, i);
			*out = NULL;
			goto out;
		}
	}
	*n = nids;
	r = 0;
out:
	free(ids);
	return (r);
}

int
store_conversation_ids(struct store *st, int64_t **ids, size_t *n,
    char **cause)
{
	sqlite3_stmt	*stmt;
	size_t		 cap = 0;
	int		 rc;

	*ids = NULL;
	*n = 0;
	if ((stmt = store_prepare(st, "SELECT id FROM conversations"
	    " ORDER BY id", cause)) == NULL)
		return (-1);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			*ids = xrealloc(*ids, cap * sizeof **ids);
		}
		(*ids)[(*n)++] = sqlite3_column_int64(stmt, 0);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		*cause = store_error(st, "cannot read the history");
		free(*ids);
		*ids = NULL;
		*n = 0;
		return (-1);
	}
	return (0);
}

/* All messages of a conversation, oldest first. */
static int
conversation_messages(struct store *st, int64_t id,
    struct stored_message **out, size_t *n, char **cause)
{
	sqlite3_stmt	*stmt;
	size_t		 cap = 0;
	int		 rc;

	*out = NULL;
	*n = 0;
	if ((stmt = store_prepare(st, "SELECT " MESSAGE_COLUMNS
	    " FROM messages WHERE conversation_id = ? ORDER BY id",
	    cause)) == NULL)
		return (-1);
	sqlite3_bind_int64(stmt, 1, id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		message_from_row(stmt, &(*out)[(*n)++]);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		*cause = store_error(st, "cannot read the history");
		stored_messages_free(*out, *n);
		*out = NULL;
		*n = 0;
		return (-1);
	}
	return (0);
}

int
store_message_get(struct store *st, int64_t id, struct stored_message *m,
    char **cause)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	stored_message_init(m);
	if ((stmt = store_keep(st, "SELECT " MESSAGE_COLUMNS
	    " FROM messages WHERE id = ?", cause)) == NULL)
		return (-1);
	sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		message_from_row(stmt, m);
	else if (rc == SQLITE_DONE)
		*cause = xasprintf("no message %lld", (long long)id);
	else
		*cause = store_error(st, "cannot read the history");
	store_done(st, stmt);
	return (rc == SQLITE_ROW ? 0 : -1);
}

int
store_conversation_get(struct store *st, int64_t id,
    struct conversation_info *c, struct stored_message **msgs, size_t *n,
    char **cause)
{
	*msgs = NULL;
	*n = 0;
	if (store_conversation_row(st, id, c, cause) != 0)
		return (-1);
	if (conversation_messages(st, id, msgs, n, cause) != 0) {
		conversation_info_release(c);
		return (-1);
	}
	return (0);
}

/*
 * The path from the root to the message until (inclusive; -1: the newest
 * message, 0: no message, only the system prompt), as sent to an API.
 */
static int
path_to(struct store *st, int64_t conversation, int64_t until,
    struct chat_message **out, size_t *nout, char **system,
    int64_t *leaf_id, char **cause)
{
	struct conversation_info	 c;
	struct stored_message		*m;
	size_t				 n, i, j, k, nchain = 0;
	size_t				*chain = NULL;
	int64_t				 want;

	*out = NULL;
	*nout = 0;
	*system = NULL;
	*leaf_id = 0;
	if (store_conversation_get(st, conversation, &c, &m, &n, cause) != 0)
		return (-1);
	/* The newest message is a leaf: children come after parents. */
	want = until < 0 && n > 0 ? m[n - 1].id : until;
	for (i = 0; want > 0 && i < n && m[i].id != want; i++)
		;
	if (want > 0 && i == n) {
		*cause = xasprintf("no message %lld in conversation %lld",
		    (long long)want, (long long)conversation);
		stored_messages_free(m, n);
		conversation_info_release(&c);
		return (-1);
	}
	if (want > 0) {
		*leaf_id = want;
		chain = xcalloc(n, sizeof *chain);
		for (i = n; i > 0 && want != 0; i--) {
			if (m[i - 1].id != want)
				continue;
			chain[nchain++] = i - 1;
			want = m[i - 1].parent_id;
		}
		*out = xcalloc(nchain == 0 ? 1 : nchain, sizeof **out);
		for (k = nchain; k > 0; k--) {
			j = chain[k - 1];
			if (m[j].role != ROLE_USER &&
			    m[j].status != MSG_COMPLETE &&
			    m[j].status != MSG_CUT &&
			    m[j].status != MSG_CANCELLED)
				continue;
			if (m[j].role == ROLE_SYSTEM)
				continue;
			(*out)[*nout].role = m[j].role;
			(*out)[*nout].content = xstrdup(m[j].content);
			(*nout)++;
		}
	}
	if (c.system != NULL) {
		*system = c.system;
		c.system = NULL;
	}
	free(chain);
	stored_messages_free(m, n);
	conversation_info_release(&c);
	return (0);
}

int
store_conversation_path(struct store *st, int64_t conversation,
    struct chat_message **out, size_t *nout, char **system,
    int64_t *leaf_id, char **cause)
{
	return (path_to(st, conversation, -1, out, nout, system, leaf_id,
	    cause));
}

int
store_conversation_path_to(struct store *st, int64_t conversation,
    int64_t until, struct chat_message **out, size_t *nout, char **system,
    char **cause)
{
	int64_t	leaf;

	return (path_to(st, conversation, until < 0 ? 0 : until, out, nout,
	    system, &leaf, cause));
}

/* Add message m inside the caller's transaction. */
static int64_t
message_insert(struct store *st, const struct stored_message *m,
    char **cause)
{
	sqlite3_stmt	*stmt;
	int64_t		 id = -1, now = store_now();
	char		*writer = NULL;

	if ((stmt = store_prepare(st, "INSERT INTO messages (conversation_id,"
	    " parent_id, role, content, provider, model, params, status,"
	    " error, finish_reason, input_tokens, output_tokens,"
	    " cached_tokens, reasoning_tokens, ttft_ms, duration_ms, cost,"
	    " lang, created, writer)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
	    " ?, ?)", cause)) == NULL)
		goto out;
	if (m->status == MSG_STREAMING)
		writer = store_writer_self();
	sqlite3_bind_int64(stmt, 1, m->conversation_id);
	if (m->parent_id > 0)
		sqlite3_bind_int64(stmt, 2, m->parent_id);
	else
		sqlite3_bind_null(stmt, 2);
	sqlite3_bind_text(stmt, 3, role_name(m->role), -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, m->content != NULL ? m->content : "", -1,
	    SQLITE_STATIC);
	bind_text_or_null(stmt, 5, m->provider);
	bind_text_or_null(stmt, 6, m->model);
	bind_text_or_null(stmt, 7, m->params_json);
	sqlite3_bind_text(stmt, 8, msg_status_name(m->status), -1,
	    SQLITE_STATIC);
	bind_text_or_null(stmt, 9, m->error);
	bind_text_or_null(stmt, 10, m->finish_reason);
	bind_int_or_null(stmt, 11, m->usage.input);
	bind_int_or_null(stmt, 12, m->usage.output);
	bind_int_or_null(stmt, 13, m->usage.cached);
	bind_int_or_null(stmt, 14, m->usage.reasoning);
	bind_int_or_null(stmt, 15, m->ttft_ms);
	bind_int_or_null(stmt, 16, m->duration_ms);
	bind_cost(stmt, 17, m->cost);
	bind_text_or_null(stmt, 18, m->lang);
	sqlite3_bind_int64(stmt, 19, m->created > 0 ? m->created : now);
	bind_text_or_null(stmt, 20, writer);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		*cause = store_error(st, "cannot store the message");
		sqlite3_finalize(stmt);
		goto out;
	}
	id = sqlite3_last_insert_rowid(st->db);
	sqlite3_finalize(stmt);

	/* The first prompt names an untitled conversation. */
	if ((stmt = store_prepare(st, "UPDATE conversations SET updated = ?,"
	    " title = CASE WHEN title IS NULL AND ? = 'user'"
	    "   THEN substr(?, 1, 200) ELSE title END WHERE id = ?",
	    cause)) == NULL) {
		id = -1;
		goto out;
	}
	sqlite3_bind_int64(stmt, 1, now);
	sqlite3_bind_text(stmt, 2, role_name(m->role), -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, m->content != NULL ? m->content : "", -1,
	    SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 4, m->conversation_id);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		*cause = store_error(st, "cannot store the message");
		id = -1;
	}
	sqlite3_finalize(stmt);
out:
	free(writer);
	return (id);
}

/* Commit a transaction that made id, or roll it back: id or -1. */
static int64_t
commit_or_undo(struct store *st, int64_t id, char **cause)
{
	if (id > 0 && store_exec(st, "COMMIT", cause) == 0)
		return (id);
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return (-1);
}

int64_t
store_message_add(struct store *st, const struct stored_message *m,
    char **cause)
{
	if (store_check_writable(st, cause) != 0)
		return (-1);
	if (store_exec(st, "BEGIN IMMEDIATE", cause) != 0)
		return (-1);
	return (commit_or_undo(st, message_insert(st, m, cause), cause));
}

int64_t
store_conversation_start(struct store *st, const char *title,
    const char *system, const struct stored_message *m, int64_t *conv,
    char **cause)
{
	struct stored_message	 first = *m;
	char			*uid;
	int64_t			 id, now = store_now();

	if (store_check_writable(st, cause) != 0)
		return (-1);
	if (store_exec(st, "BEGIN IMMEDIATE", cause) != 0)
		return (-1);
	uid = store_new_uid();
	first.conversation_id = store_conversation_insert(st, uid, title,
	    system, now, now, cause);
	free(uid);
	id = first.conversation_id < 0 ? -1 :
	    message_insert(st, &first, cause);
	if ((id = commit_or_undo(st, id, cause)) > 0)
		*conv = first.conversation_id;
	return (id);
}

int
store_message_checkpoint(struct store *st, int64_t id, const char *text,
    size_t len, char **cause)
{
	sqlite3_stmt	*stmt;
	int		 r = 0;

	if (store_check_writable(st, cause) != 0)
		return (-1);
	if ((stmt = store_prepare(st, "UPDATE messages SET content = ?"
	    " WHERE id = ?", cause)) == NULL)
		return (-1);
	sqlite3_bind_text(stmt, 1, text != NULL ? text : "", (int)len,
	    SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, id);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		*cause = store_error(st, "cannot save the answer");
		r = -1;
	} else if (sqlite3_changes(st->db) == 0) {
		*cause = xasprintf("no message %lld", (long long)id);
		r = -1;
	}
	sqlite3_finalize(stmt);
	return (r);
}

int
store_message_finish(struct store *st, int64_t id,
    const struct stored_message *m, char **cause)
{
	sqlite3_stmt	*stmt;
	int		 r = -1;
	bool		 begun = false;

	if (store_check_writable(st, cause) != 0)
		return (-1);
	if (store_exec(st, "BEGIN IMMEDIATE", cause) != 0)
		return (-1);
	begun = true;
	if ((stmt = store_prepare(st, "UPDATE messages SET content = ?,"
	    " status = ?, error = ?, finish_reason = ?, input_tokens = ?,"
	    " output_tokens = ?, cached_tokens = ?, reasoning_tokens = ?,"
	    " ttft_ms = ?, duration_ms = ?, cost = ?, lang = ?, writer = NULL"
	    " WHERE id = ?", cause)) == NULL)
		goto out;
	sqlite3_bind_text(stmt, 1, m->content != NULL ? m->content : "", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, msg_status_name(m->status), -1,
	    SQLITE_STATIC);
	bind_text_or_null(stmt, 3, m->error);
	bind_text_or_null(stmt, 4, m->finish_reason);
	bind_int_or_null(stmt, 5, m->usage.input);
	bind_int_or_null(stmt, 6, m->usage.output);
	bind_int_or_null(stmt, 7, m->usage.cached);
	bind_int_or_null(stmt, 8, m->usage.reasoning);
	bind_int_or_null(stmt, 9, m->ttft_ms);
	bind_int_or_null(stmt, 10, m->duration_ms);
	bind_cost(stmt, 11, m->cost);
	bind_text_or_null(stmt, 12, m->lang);
	sqlite3_bind_int64(stmt, 13, id);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		*cause = store_error(st, "cannot save the answer");
		sqlite3_finalize(stmt);
		goto out;
	}
	if (sqlite3_changes(st->db) == 0) {
		*cause = xasprintf("no message %lld", (long long)id);
		sqlite3_finalize(stmt);
		goto out;
	}
	sqlite3_finalize(stmt);
	if ((stmt = store_prepare(st, "UPDATE conversations SET updated = ?"
	    " WHERE id = (SELECT conversation_id FROM messages WHERE id = ?)",
	    cause)) == NULL)
		goto out;
	sqlite3_bind_int64(stmt, 1, store_now());
	sqlite3_bind_int64(stmt, 2, id);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		*cause = store_error(st, "cannot save the answer");
		sqlite3_finalize(stmt);
		goto out;
	}
	sqlite3_finalize(stmt);
	if (store_exec(st, "COMMIT", cause) == 0) {
		begun = false;
		r = 0;
	}
out:
	if (begun && !sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return (r);
}

int
store_conversation_remove(struct store *st, int64_t id, char **cause)
{
	/* Children first, so the parent links never dangle mid-way. */
	static const char *const sql[] = {
		"DELETE FROM annotations WHERE message_id IN"
		    " (SELECT id FROM messages WHERE conversation_id = ?1)",
		/* A vote goes with any of its answers. */
		"DELETE FROM votes WHERE id IN (SELECT vote_id FROM"
		    " vote_answers WHERE message_id IN"
		    " (SELECT id FROM messages WHERE conversation_id = ?1))",
		"DELETE FROM messages WHERE conversation_id = ?1",
		"DELETE FROM conversations WHERE id = ?1",
	};
	sqlite3_stmt	*stmt;
	size_t		 i;
	int		 r = -1, rc;
	bool		 begun = false;

	if (store_check_writable(st, cause) != 0)
		return (-1);
	if (store_exec(st, "BEGIN IMMEDIATE", cause) != 0)
		return (-1);
	begun = true;
	for (i = 0; i < sizeof sql / sizeof sql[0]; i++) {
		if ((stmt = store_prepare(st, sql[i], cause)) == NULL)
			goto out;
		sqlite3_bind_int64(stmt, 1, id);
		rc = sqlite3_step(stmt);
		if (rc != SQLITE_DONE)
			*cause = store_error(st,
			    "cannot remove the conversation");
		sqlite3_finalize(stmt);
		if (rc != SQLITE_DONE)
			goto out;
	}
	/* The last statement removed the conversation itself, or nothing. */
	if (sqlite3_changes(st->db) == 0) {
		*cause = xasprintf("no conversation %lld", (long long)id);
		goto out;
	}
	if (store_exec(st, "COMMIT", cause) == 0) {
		begun = false;
		r = 0;
	}
out:
	if (begun && !sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return (r);
}
