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

#include <stdio.h>

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
	STORE_EXISTING = 1 << 1,	/* never create it: NULL and "no
					   history yet at 'PATH'" */
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
/* Name a conversation (NULL or "": named by its first prompt again). */
int	store_conversation_set_title(struct store *, int64_t id,
	    const char *title, char **cause);
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
/* The same path, ending at the message until (inclusive; 0: an empty
 * path, for a new root). -1 with "no message N in conversation C" when
 * until is not in the conversation. */
int	store_conversation_path_to(struct store *, int64_t conversation,
	    int64_t until, struct chat_message **msgs, size_t *nmsgs,
	    char **system, char **cause);

/* Add a message (user: complete; assistant: usually MSG_STREAMING). The
 * fields of m are copied; m->id and m->created are ignored. */
int64_t	store_message_add(struct store *, const struct stored_message *m,
	    char **cause);
/* Start a conversation (title and system may be NULL) with its first
 * message m, all or nothing: a store that fails leaves no empty
 * conversation behind. The message's id, and the conversation's in
 * *conversation; -1 and *cause. m->conversation_id is ignored. */
int64_t	store_conversation_start(struct store *, const char *title,
	    const char *system, const struct stored_message *m,
	    int64_t *conversation, char **cause);
/* Replace the text of a streaming message (a checkpoint). */
int	store_message_checkpoint(struct store *, int64_t id,
	    const char *text, size_t len, char **cause);
/* Store the final state: content, status, error, finish reason, usage,
 * ttft, duration, cost, lang (all taken from m). */
int	store_message_finish(struct store *, int64_t id,
	    const struct stored_message *m, char **cause);


/* ---------------- used by the subcommands (tui/cmd_history.c) -------- */

/*
 * Like store_open(), with a SQLite VFS named vfs (NULL: the default) and a
 * busy timeout in milliseconds (< 0: the default, 5000). For tests that
 * inject faults (a VFS that fails writes) and for the locked-store case.
 */
struct store	*store_open_vfs(const char *path, int flags,
		    const char *vfs, int busy_ms, char **cause);
/* The path the store was opened at. */
const char	*store_path(const struct store *);
/* Why the store is read-only (NULL when it is not). */
const char	*store_readonly_reason(const struct store *);

/* A conversation as listed by store_conversation_list(). */
struct conversation_info {
	int64_t	 id;
	char	*uid;		/* stable across export and import */
	char	*title;		/* given title, else the first prompt;
				   NULL for an empty conversation */
	char	*system;	/* system prompt or NULL */
	char	*models;	/* distinct "provider:model", comma
				   separated, or NULL */
	int64_t	 created;	/* unix seconds */
	int64_t	 updated;
	int64_t	 nmessages;
	char	*expected_lang;	/* ISO 639-1 code, or NULL */
	int	 expected_by;	/* enum expect_source */
};
void	conversation_info_release(struct conversation_info *);
void	conversation_infos_free(struct conversation_info *, size_t);

/*
 * The language a conversation's answers are expected in (DESIGN.md
 * section 3), and how it came to be: set by the user (/lang CODE),
 * detected in the first prompt, or turned off by the user (/lang off: no
 * code, and the first prompt does not set one either). EXPECT_NONE: never
 * set.
 */
enum expect_source {
	EXPECT_NONE,
	EXPECT_USER,
	EXPECT_PROMPT,
	EXPECT_OFF,
};
/* "user", "prompt", "off" (NULL for EXPECT_NONE). */
const char	*expect_source_name(enum expect_source);
/* The reverse; -1 for anything else. */
int		 expect_source_parse(const char *, enum expect_source *);
/*
 * Set a conversation's expected language: code (a code langid_known()
 * takes, or NULL) and how it was set. EXPECT_USER and EXPECT_PROMPT need a
 * code; EXPECT_NONE and EXPECT_OFF store none. -1 and *cause for an
 * unknown code or conversation, or when the store fails.
 */
int	store_conversation_set_lang(struct store *, int64_t id,
	    const char *code, enum expect_source, char **cause);
/* Read it back: *code (caller frees; NULL when none) and *by. -1 and
 * *cause ("no conversation N") when it does not exist. */
int	store_conversation_lang(struct store *, int64_t id, char **code,
	    enum expect_source *by, char **cause);

/* Conversations, most recently updated first; limit 0: all. */
int	store_conversation_list(struct store *, size_t limit,
	    struct conversation_info **, size_t *, char **cause);
/* The same, keeping only conversations with at least one answer whose
 * detected language (the lang column) is lang; lang NULL: all. */
int	store_conversation_list_lang(struct store *, size_t limit,
	    const char *lang, struct conversation_info **, size_t *,
	    char **cause);
/* Every conversation id, oldest first (for export). */
int	store_conversation_ids(struct store *, int64_t **ids, size_t *n,
	    char **cause);
/*
 * One conversation and all its messages (every branch), oldest first.
 * -1 with "no conversation N" when it does not exist. Free the messages
 * with stored_messages_free().
 */
int	store_conversation_get(struct store *, int64_t id,
	    struct conversation_info *, struct stored_message **msgs,
	    size_t *nmsgs, char **cause);
void	stored_messages_free(struct stored_message *, size_t);
/* One message by its id (tolk compare). -1 with "no message N" when it
 * does not exist. Release *m with stored_message_release(). */
int	store_message_get(struct store *, int64_t id,
	    struct stored_message *m, char **cause);
/* Delete a conversation with its messages and annotations. */
int	store_conversation_remove(struct store *, int64_t id, char **cause);

/*
 * The JSON text of a conversation: {"id", "uid", "title", "created",
 * "updated", "expected_lang", "expected_lang_source", "messages": [...]},
 * where messages are in the OpenAI chat
 * format (a system prompt is a first {"role": "system"} message) with
 * tolk's fields added: {"id", "parent_id", "role", "content", "provider",
 * "model", "status", "error", "finish_reason", "usage": {"input",
 * "output", "cached", "reasoning"}, "ttft_ms", "duration_ms", "cost",
 * "lang", "params", "created"}. Unknown values are null; times are ISO
 * 8601 UTC. pretty: indented, else one line. Caller frees.
 */
char	*store_conversation_json(const struct conversation_info *,
	    const struct stored_message *, size_t, bool pretty);

/*
 * Import conversations from JSON lines (the export format; a line may
 * also be a bare OpenAI {"messages": [...]} object). A conversation whose
 * uid is already in the store is skipped, so importing a file twice adds
 * nothing; a line without a uid gets one from a hash of its text. *added
 * and *skipped count conversations. -1 with "FILE line N: REASON" on bad
 * input; conversations before the bad line stay imported.
 */
int	store_import_jsonl(struct store *, const char *path, FILE *,
	    size_t *added, size_t *skipped, char **cause);
/*
 * The same, telling apart what the lines were: conversations (the export
 * format, or a bare OpenAI object) and annotated answers (the lines of
 * export --annotated, store_export_annotated()), each added or already
 * there. store_import_jsonl() gives their sums.
 */
struct import_counts {
	size_t	conversations;
	size_t	conversations_there;
	size_t	annotated;
	size_t	annotated_there;
};
int	store_import_jsonl_counts(struct store *, const char *path, FILE *,
	    struct import_counts *, char **cause);

/* A search hit. snippet marks each match with the open and close marks
 * given to store_search(). */
struct search_hit {
	int64_t		 conversation_id;
	int64_t		 message_id;
	enum role	 role;
	char		*provider;
	char		*model;
	char		*snippet;
	int64_t		 created;
	double		 rank;		/* bm25: lower is better */
};
void	search_hits_free(struct search_hit *, size_t);

/*
 * Full-text search, best match first, at most limit hits (0: 20). query
 * is FTS5 syntax (words, "phrases", prefix*, AND/OR/NOT); words are folded
 * like the text (lang_tokenize), so accents and case do not matter. A
 * query that is not valid FTS5 syntax is searched as plain words. model,
 * when not NULL, keeps hits whose model or "provider:model" is model.
 */
int	store_search(struct store *, const char *query, const char *model,
	    size_t limit, const char *mark_open, const char *mark_close,
	    struct search_hit **, size_t *, char **cause);
/* store_search() that, when lang is not NULL, also keeps only messages
 * whose detected language is lang (prompts carry none, so only answers
 * match). */
int	store_search_lang(struct store *, const char *query,
	    const char *model, const char *lang, size_t limit,
	    const char *mark_open, const char *mark_close,
	    struct search_hit **, size_t *, char **cause);

/* Token and cost totals. */
enum usage_by {
	USAGE_BY_NONE,
	USAGE_BY_MODEL,
	USAGE_BY_DAY,
	USAGE_BY_LANG,
};
struct usage_row {
	char	*key;		/* model, day (YYYY-MM-DD), detected
				   language ("?" when none), "total" */
	int64_t	 messages;	/* assistant messages */
	/* token sums; USAGE_UNKNOWN when no message reported that count */
	int64_t	 input;
	int64_t	 output;
	int64_t	 cached;
	int64_t	 reasoning;
	double	 cost;		/* sum of the known costs */
	int64_t	 cost_unknown;	/* messages without a known cost */
	/* USAGE_BY_LANG only, else 0: the output tokens and the words
	   (lang_tokenize) of the answers whose output count is known, the
	   two sides of the tokens per word */
	int64_t	 tpw_tokens;
	int64_t	 tpw_words;
};
void	usage_rows_free(struct usage_row *, size_t);
/* Totals of assistant messages created at or after since (unix seconds),
 * and of the answers only their cost was kept of (store_spend_add(),
 * counted as messages), grouped by; rows sorted by key. */
int	store_usage(struct store *, int64_t since, enum usage_by by,
	    struct usage_row **, size_t *, char **cause);

/*
 * What the answers created at or after since (unix seconds) cost, in USD:
 * the sum of the known costs (an unknown cost counts as nothing), in
 * conversation (0: every conversation, and the answers of
 * store_spend_add() too) and of provider (NULL: every provider). The
 * budgets are checked against it.
 */
int	store_spend(struct store *, int64_t since, int64_t conversation,
	    const char *provider, double *cost, char **cause);

/*
 * Keep what an answer that is not stored (--no-log) cost: its time
 * (unix seconds), provider, model, usage and cost (< 0: unknown), and no
 * text. Counted by store_spend() and store_usage(). 0, or -1 and *cause.
 */
int	store_spend_add(struct store *, int64_t created, const char *provider,
	    const char *model, const struct usage *, double cost,
	    char **cause);

/* Time helpers: ISO 8601 UTC ("2026-01-31T12:00:00Z") into buf (at least
 * 21 bytes), and the parse of "YYYY-MM-DD[THH:MM[:SS]][Z]" (UTC). */
void	store_time_iso(int64_t t, char *buf, size_t len);
int	store_time_parse(const char *, int64_t *);

/* ---------------- annotations and votes (history/annotation.c) ------ */

/*
 * What a person thinks of an answer. An answer has at most one whole
 * annotation (span_start < 0): its rating, tags and note; and any number
 * of passage annotations, each on the bytes [span_start, span_end) of the
 * stored text, with tags and a note but no rating. Only answers
 * (assistant messages) are annotated.
 */
enum {
	RATING_NONE = -128,	/* not rated; ratings are -1, 0 and +1 */
};

struct annotation {
	int64_t	  id;
	int64_t	  message_id;
	int	  rating;	/* -1, 0, +1 or RATING_NONE */
	char	**tags;		/* distinct, sorted by byte value */
	size_t	  ntags;
	char	 *note;		/* NULL: none */
	int64_t	  span_start;	/* byte offsets into the content; */
	int64_t	  span_end;	/* both -1 for the whole answer */
	int64_t	  created;	/* unix seconds */
};
void	annotations_free(struct annotation *, size_t);

/* The built-in tags for language review, NULL-terminated. */
extern const char *const annotation_builtin_tags[];

/*
 * Whether s is a usable tag: 1 to 64 bytes of UTF-8 without spaces,
 * commas or control characters. -1 with a cause naming it otherwise.
 */
int	annotation_tag_check(const char *s, char **cause);

/*
 * The annotations of message msg: the whole one first (when there is
 * one), then the passages by start and end. -1 with "no message N" when
 * it does not exist.
 */
int	store_annotations(struct store *, int64_t msg, struct annotation **,
	    size_t *, char **cause);

/* A change to the whole annotation of an answer. Unset parts stay. */
struct annotation_edit {
	bool			 set_rating;
	int			 rating;	/* -1, 0, +1; RATING_NONE:
						   clear it */
	const char *const	*add_tags;
	size_t			 nadd;
	const char *const	*remove_tags;
	size_t			 nremove;
	bool			 set_note;
	const char		*note;		/* NULL or "": clears */
};
/*
 * Apply an edit to answer msg's whole annotation, creating it when
 * needed and dropping it when nothing is left. Fails with a one-line
 * cause when msg is not a stored answer, a rating is not -1, 0 or +1 or
 * a tag is not usable; nothing changes then.
 */
int	store_annotate(struct store *, int64_t msg,
	    const struct annotation_edit *, char **cause);
/*
 * A passage annotation on bytes [start, end) of answer msg's text, which
 * must be inside the text, not empty, and not cut a UTF-8 character.
 * tags and note are copied (note may be NULL). Returns its id.
 */
int64_t	store_annotate_span(struct store *, int64_t msg, int64_t start,
	    int64_t end, const char *const *tags, size_t ntags,
	    const char *note, char **cause);
/* Delete one annotation by id ("no annotation N" when there is none). */
int	store_annotation_remove(struct store *, int64_t id, char **cause);
/* Every tag used in the store, the most used first. */
int	store_tags_used(struct store *, char ***tags, size_t *n,
	    char **cause);

enum vote_outcome {
	VOTE_WIN,		/* winner is the position of the best */
	VOTE_TIE,
	VOTE_BOTH_BAD,		/* none was good */
};

/* A blind vote between 2 to 4 answers shown side by side. */
#define VOTE_MAX 4
struct vote {
	int64_t			 id;
	char			*uid;		/* stable across export */
	enum vote_outcome	 outcome;
	int			 winner;	/* position, or -1 */
	size_t			 n;		/* answers shown */
	int64_t			 shown[VOTE_MAX];  /* message ids, in the
						     order shown */
	int			 column[VOTE_MAX]; /* their column before
						     the shuffle */
	int64_t			 created;
};
void	votes_free(struct vote *, size_t);
/*
 * "left", "right" (two answers), "1" to "4" (more), "tie", "both-bad":
 * the outcome as people and the export name it, into buf.
 */
void	vote_outcome_format(const struct vote *, char *buf, size_t len);
/* The reverse, for n answers; -1 when s is none of those. */
int	vote_outcome_parse(const char *s, size_t n, enum vote_outcome *,
	    int *winner);
/*
 * Store a vote (v->uid NULL: a new one is made; v->created 0: now).
 * Every shown id must be a stored answer, none twice. Returns its id.
 */
int64_t	store_vote_add(struct store *, const struct vote *v, char **cause);
/* The votes answer msg took part in, oldest first. */
int	store_votes_of(struct store *, int64_t msg, struct vote **,
	    size_t *, char **cause);

/* Which answers log and search keep (history/annotation.c builds the
 * SQL; all unset: every answer). */
struct annotation_filter {
	bool		 rated;		/* has a rating */
	int		 rating;	/* RATING_NONE, or this rating */
	const char	*tag;		/* NULL, or tagged so (whole or span) */
};
void	annotation_filter_init(struct annotation_filter *);
bool	annotation_filter_active(const struct annotation_filter *);

/* store_conversation_list_lang() that also keeps only conversations with
 * an answer passing f (in language lang when it is not NULL). */
int	store_conversation_list_filter(struct store *, size_t limit,
	    const char *lang, const struct annotation_filter *f,
	    struct conversation_info **, size_t *, char **cause);
/* store_search_lang() keeping only answers that pass f. */
int	store_search_filter(struct store *, const char *query,
	    const char *model, const char *lang,
	    const struct annotation_filter *f, size_t limit,
	    const char *mark_open, const char *mark_close,
	    struct search_hit **, size_t *, char **cause);

/* A row of the leaderboard: one "provider:model". */
struct leader_row {
	char	*model;
	int64_t	 votes;		/* votes it took part in */
	int64_t	 wins;
	int64_t	 losses;
	int64_t	 ties;
	int64_t	 both_bad;
	int64_t	 rated;		/* answers with a rating */
	int64_t	 rating_sum;
};
void	leader_rows_free(struct leader_row *, size_t);
/* Win rate: (wins + ties / 2) / votes, < 0 when it took part in none. */
double	leader_win_rate(const struct leader_row *);
/*
 * Votes and ratings per model, counting only answers in language lang
 * when it is not NULL; by win rate, then mean rating, then name.
 */
int	store_leaderboard(struct store *, const char *lang,
	    struct leader_row **, size_t *, char **cause);

/* ---------------- the evaluation set (history/annotated.c) ---------- */

/*
 * Write every annotated answer (rated, tagged, noted, with a passage
 * note, or voted on) as one JSON line: its conversation, the messages
 * that led to it in the OpenAI chat format, the answer with its model,
 * parameters, metrics and language, the annotations with each passage's
 * text, and the votes it took part in. Answers are referred to by a key
 * that survives export and import. With lang, only answers in that
 * language. doc/history.md has the format.
 */
int	store_export_annotated(struct store *, const char *lang, FILE *,
	    char **cause);

/* A vote as exported: the shown answers' keys and "provider:model". */
struct annotated_vote {
	struct vote	 v;
	char		*key[VOTE_MAX];
	char		*model[VOTE_MAX];
};

/*
 * One annotated answer as the export reads it, for other formats (CSV):
 * fill with store_annotated_list(), free with annotated_free().
 */
struct annotated {
	char			*key;
	struct conversation_info conv;
	struct stored_message	*path;		/* root first, prompt last */
	size_t			 npath;
	struct stored_message	 answer;
	struct annotation	*ann;
	size_t			 nann;
	struct annotated_vote	*votes;
	size_t			 nvotes;
};
int	store_annotated_list(struct store *, const char *lang,
	    struct annotated **, size_t *, char **cause);
void	annotated_free(struct annotated *, size_t);

#endif
