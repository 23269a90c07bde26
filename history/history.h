/*
 * history/history.h - the store: every conversation, prompt and answer.
 *
 * Plain SQLite at $XDG_DATA_HOME/tolk/history.db (DESIGN.md section 3).
 * history/ includes core/ and lang/ only. Only history/ touches SQLite.
 *
 * Error convention: functions returning int give 0 or -1, functions
 * returning an id give the id (> 0) or -1; on failure *cause is set to a
 * one-line message for people, which the caller frees.
 *
 * NOTE: the functions in the "used by the session" block are called from
 * tui/session.c; keep their signatures. Everything else may grow freely.
 */
#ifndef TOLK_HISTORY_H
#define TOLK_HISTORY_H

#include "core/core.h"

enum msg_status {
	MSG_COMPLETE,
	MSG_STREAMING,
	MSG_CUT,
	MSG_ERROR,
	MSG_CANCELLED,
};

const char	*msg_status_name(enum msg_status);
int		 msg_status_parse(const char *, enum msg_status *);

/*
 * A stored message. Strings may be NULL when unknown. cost < 0 and
 * ttft_ms/duration_ms < 0 mean unknown; usage fields use USAGE_UNKNOWN.
 */
struct stored_message {
	int64_t		 id;
	int64_t		 conversation_id;
	int64_t		 parent_id;	/* 0: a root */
	enum role	 role;
	char		*content;
	char		*provider;
	char		*model;
	char		*params_json;	/* request parameters */
	enum msg_status	 status;
	char		*error;
	char		*finish_reason;
	struct usage	 usage;
	int64_t		 ttft_ms;
	int64_t		 duration_ms;
	double		 cost;
	char		*lang;
	int64_t		 created;	/* unix seconds */
};

/* Zero the struct with every "unknown" marker set. */
void	stored_message_init(struct stored_message *);
void	stored_message_release(struct stored_message *);

struct store;

enum {
	STORE_READONLY = 1 << 0,	/* open for reading only */
};

/* ---------------- used by the session (tui/session.c) ---------------- */

/*
 * Open (creating when needed, mode 0600, parent folders 0700) the store at
 * path, or the default path when path is NULL. Sets WAL and a busy timeout,
 * migrates forward, marks messages left "streaming" by a dead process as
 * "cut". A database newer than this binary opens read-only with a warning.
 * A file that is not a usable database gives NULL and the cause
 * "'PATH' is not a usable history database: REASON"; the file is untouched.
 */
struct store	*store_open(const char *path, int flags, char **cause);
void		 store_close(struct store *);
/* The default path ($XDG_DATA_HOME/tolk/history.db). Caller frees. */
char		*store_default_path(void);
/* Whether writes are impossible (read-only file, folder or newer schema). */
bool		 store_readonly(const struct store *);

/* A new conversation. title may be NULL (then the first prompt names it). */
int64_t	store_conversation_create(struct store *, const char *title,
	    const char *system, char **cause);
/* The most recently updated conversation, 0 when there is none, -1 on
 * error. */
int64_t	store_conversation_latest(struct store *, char **cause);
/*
 * The path from the root to the newest leaf of a conversation: the
 * messages to send to continue it, oldest first (only complete, cut and
 * cancelled answers are included; failed ones are skipped), plus the
 * conversation's system prompt (*system, may be NULL) and the id of the
 * last message (*leaf_id, 0 when empty). -1 when no such conversation.
 */
int	store_conversation_path(struct store *, int64_t conversation,
	    struct chat_message **msgs, size_t *nmsgs, char **system,
	    int64_t *leaf_id, char **cause);
void	chat_messages_free(struct chat_message *, size_t);

/* Add a message (user: complete; assistant: usually MSG_STREAMING). The
 * fields of m are copied; m->id and m->created are ignored. */
int64_t	store_message_add(struct store *, const struct stored_message *m,
	    char **cause);
/* Replace the text of a streaming message (a checkpoint). */
int	store_message_checkpoint(struct store *, int64_t id, const char *text,
	    size_t len, char **cause);
/* Store the final state: content, status, error, finish reason, usage,
 * ttft, duration, cost, lang (all taken from m). */
int	store_message_finish(struct store *, int64_t id,
	    const struct stored_message *m, char **cause);

#endif
