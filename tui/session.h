/*
 * tui/session.h - one conversation being had: what is sent, what comes
 * back, and what is kept. Shared by print mode and the TUI (DESIGN.md
 * section 2: they use the same net thread and session code).
 *
 * The session owns the answers of the current turn. Each answer is one
 * request to one model; its text grows with the events of the network
 * thread and is checkpointed to the store at most every 250 ms and at the
 * end, so that a crash loses at most the last 250 ms of what arrived.
 */
#ifndef TOLK_SESSION_H
#define TOLK_SESSION_H

#include "core/core.h"
#include "net/net.h"
#include "history/history.h"

#define CHECKPOINT_MS 250

struct answer {
	uint64_t		 request_id;
	char			*provider;
	char			*model;
	struct buf		 text;
	struct buf		 reasoning;
	struct usage		 usage;
	char			*finish_reason;
	bool			 has_error;
	struct net_error	 error;		/* the last error */
	enum net_status		 status;
	bool			 done;
	int64_t			 start_us;
	int64_t			 first_us;	/* 0 until the first content */
	int64_t			 end_us;
	size_t			 ntext;		/* text events (live tokens) */
	double			 cost;		/* < 0: unknown */
	char			 lang[8];	/* see answer_lang() */
	bool			 lang_uncertain;
	bool			 lang_done;

	/* Storage. */
	int64_t			 created;	/* unix seconds */
	char			*params;	/* request parameters (JSON) */
	int64_t			 msg_id;	/* 0: not stored (yet) */
	int64_t			 checkpoint_ms;	/* when it was last written */
	int64_t			 checkpoint_gap; /* ms to the next write */
	size_t			 stored_len;
	bool			 store_failed;
	bool			 recover;	/* for the recovery file, once
						   the turn ends */
	char			*recover_why;	/* why the store refused it */
};

struct send_options {
	const char	*system;	/* NULL: keep the conversation's */
	double		 temperature;
	bool		 has_temperature;
	long		 max_tokens;
};

struct session;

/* store may be NULL (--no-log); the session does not own config, net or
 * store. */
struct session	*session_create(const struct config *, struct net *,
		    struct store *);
/*
 * A session without a store (--no-log) with a budget set: keep the cost
 * of each finished answer in store (store_spend_add(): time, model,
 * tokens, cost, no text), so that the budgets count it. Not owned.
 */
void		 session_keep_spend(struct session *, struct store *);
void		 session_free(struct session *);

/*
 * Continue a stored conversation (id > 0) or the latest one (id 0): its
 * whole message path is sent with the next prompt. -1 and *cause when it
 * does not exist or there is no store.
 */
int		 session_continue(struct session *, int64_t id, char **cause);
int64_t		 session_conversation(const struct session *);
/* Continue conversation id from the stored message leaf (any message of
 * it: the path to it is sent with the next prompt). -1 and *cause when
 * there is no such message in it. */
int		 session_goto(struct session *, int64_t id, int64_t leaf,
		    char **cause);
/*
 * Make the next prompt a new branch beside the stored user message
 * msg_id: a sibling with the same parent, sent with the path up to that
 * parent. The conversation becomes msg_id's; with conversation > 0, msg_id
 * must be in it. -1 and *cause when there is no store, no such message,
 * or it is not a prompt.
 */
int		 session_branch(struct session *, int64_t conversation,
		    int64_t msg_id, char **cause);
/* The messages sent before the next prompt, oldest first (borrowed). */
const struct chat_message *session_history(const struct session *,
		    size_t *n);

/*
 * Send prompt to each model spec ("provider:model") of specs: one answer
 * per model, all at once. Keys are read now. -1 and *cause (with nothing
 * sent) when a model or key cannot be resolved: that is a usage or
 * configuration error.
 */
int		 session_send(struct session *, const char *prompt,
		    const char *const *specs, size_t nspecs,
		    const struct send_options *, char **cause);

size_t		 session_nanswers(const struct session *);
struct answer	*session_answer(struct session *, size_t);

/*
 * Apply one event from the network thread. Returns the answer it belongs
 * to (NULL for an unknown request). The event stays the caller's.
 */
struct answer	*session_event(struct session *, const struct net_event *);

/* Milliseconds until a checkpoint is due (for the poll timeout), -1 when
 * none is pending. */
int		 session_checkpoint_due(const struct session *);
/* Write what is due (or everything pending, when force is set). */
void		 session_checkpoint(struct session *, bool force);

/* Whether any answer of the turn is still streaming. */
bool		 session_busy(const struct session *);
void		 session_cancel(struct session *);

/* The language of a finished answer: an ISO 639-1 code, "" when unknown
 * or uncertain (or while it streams). Detected on first call. */
const char	*answer_lang(struct answer *);
/* The same, with an uncertain guess too (*uncertain set). */
const char	*answer_lang_guess(struct answer *, bool *uncertain);

/* A one-line description of an answer's error for people, e.g.
 * "fo: HTTP 429: Rate limit exceeded". Caller frees. */
char		*answer_error_line(const struct answer *);
/* The same for any error of a provider (retries are reported with it). */
char		*net_error_line(const char *provider, const struct net_error *);

/* ---- Added for the TUI (print mode does not use these). ---- */

/* Forget the conversation (cancelling what streams): the next prompt
 * starts a new one. */
void		 session_reset(struct session *);
/* The id of the last stored message of the path (0: none), and of the
 * prompt of the current turn (0: none or not stored). */
int64_t		 session_leaf(const struct session *);
int64_t		 session_prompt_id(const struct session *);
/*
 * Ask again for the answer to the last prompt: a new sibling answer whose
 * parent is prompt_id (the stored prompt; 0: the turn's prompt as the
 * session stored it, at its start or when an answer ended, and when it
 * is not stored yet, it is stored now under the prompt's parent). The
 * last answer of the path is taken out of what is sent. -1 and *cause when
 * the model cannot be resolved or there is no prompt to answer.
 */
int		 session_retry(struct session *, int64_t prompt_id,
		    const char *const *specs, size_t nspecs,
		    const struct send_options *, char **cause);
/* Name the conversation: the stored one, or the one the next prompt
 * creates. -1 and *cause when nothing is stored or the store fails. */
int		 session_set_title(struct session *, const char *,
		    char **cause);
/*
 * The language the conversation's answers are expected in: an ISO 639-1
 * code, "" when none; *by (when not NULL) tells how it was set. Set by
 * session_set_expected_lang() or, when nothing set it, by the first
 * prompt of a new conversation when its language is clear; read from the
 * store by session_continue().
 */
const char	*session_expected_lang(const struct session *,
		    enum expect_source *by);
/*
 * Set it: code with EXPECT_USER (or EXPECT_PROMPT), or no code with
 * EXPECT_OFF (no check, and the first prompt sets none) or EXPECT_NONE.
 * Stored with the conversation (now, or when its first prompt creates
 * it). -1 and *cause for an unknown code (nothing changes), or when the
 * store fails (the setting holds for this session).
 */
int		 session_set_expected_lang(struct session *, const char *code,
		    enum expect_source, char **cause);
/* Continue from another answer to the last prompt (a sibling): text is
 * what is sent as that answer, msg_id the parent of the next prompt. */
void		 session_select(struct session *, const char *text,
		    int64_t msg_id);

#endif
