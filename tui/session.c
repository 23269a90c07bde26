/*
 * tui/session.c - the conversation being had: building requests from the
 * stored message path, applying the network thread's events to answers,
 * and keeping every answer in the store as it grows.
 *
 * The store is never allowed to stop an answer: when it fails (read-only,
 * disk full, locked too long) the user is told once, the text stays in
 * memory, later checkpoints try again, and at the end an answer that still
 * cannot be stored is written to a file the user is told about.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lang/lang.h"
#include "render/render.h"
#include "tui/langcheck.h"
#include "tui/session.h"

#define MAX_ANSWER (1024u * 1024 * 1024)
/* The first 8 KiB of an answer tell its language; more costs time. */
#define LANG_SAMPLE 8192

struct session {
	const struct config	*config;
	struct net		*net;
	struct store		*store;
	struct store		*spend;		/* --no-log: where the cost
						   alone is kept */
	bool			 spend_warned;
	bool			 store_off;	/* opened read-only: told the
						   user, never written */
	char			*recovery;	/* the file answers the store
						   could not take went to */

	int64_t			 conversation;
	int64_t			 leaf_id;	/* parent of the next prompt */
	char			*system;
	struct chat_message	*history;
	size_t			 nhistory;

	struct answer		*answers;
	size_t			 nanswers;
	int64_t			 user_msg_id;
	char			*prompt;	/* of the current turn */
	int64_t			 prompt_time;	/* when it was sent (unix s) */
	bool			 turn_warned;	/* the turn's store failure
						   was told */
	char			*title;		/* for the conversation to be
						   created; NULL: the prompt */
	/* The language answers are expected in ("": none), and how it
	 * was set; stored with the conversation once it is. */
	char			 expect[4];
	enum expect_source	 expect_by;
};

struct session *
session_create(const struct config *config, struct net *net,
    struct store *store)
{
	struct session	*s;

	s = xcalloc(1, sizeof *s);
	s->config = config;
	s->net = net;
	s->store = store;
	if (store != NULL && store_readonly(store)) {
		tolk_warn("the history cannot be written (%s): answers are "
		    "not stored there but in a recovery file",
		    store_readonly_reason(store) != NULL ?
		    store_readonly_reason(store) : "read-only");
		s->store_off = true;
	}
	return s;
}

void
session_keep_spend(struct session *s, struct store *store)
{
	s->spend = store;
}

/* --no-log: keep what the answer cost, without its text. */
static void
keep_spend(struct session *s, const struct answer *a)
{
	char	*cause = NULL;

	if (s->spend == NULL || store_spend_add(s->spend, a->created,
	    a->provider, a->model, &a->usage, a->cost, &cause) == 0)
		return;
	if (!s->spend_warned)
		tolk_warn("cannot count the cost of the answer against the "
		    "budgets: %s", cause);
	s->spend_warned = true;
	free(cause);
}

static void
answer_release(struct answer *a)
{
	free(a->provider);
	free(a->model);
	buf_release(&a->text);
	buf_release(&a->reasoning);
	free(a->finish_reason);
	free(a->params);
	free(a->recover_why);
	net_error_release(&a->error);
}

static void	save_recovered(struct session *);

static void
clear_answers(struct session *s)
{
	size_t	i;

	save_recovered(s);
	for (i = 0; i < s->nanswers; i++)
		answer_release(&s->answers[i]);
	free(s->answers);
	s->answers = NULL;
	s->nanswers = 0;
}

static void
clear_history(struct session *s)
{
	size_t	i;

	for (i = 0; i < s->nhistory; i++)
		free(s->history[i].content);
	free(s->history);
	s->history = NULL;
	s->nhistory = 0;
}

void
session_free(struct session *s)
{
	if (s == NULL)
		return;
	clear_answers(s);
	clear_history(s);
	free(s->system);
	free(s->title);
	free(s->prompt);
	free(s->recovery);
	free(s);
}

int64_t
session_conversation(const struct session *s)
{
	return s->conversation;
}

/* Take the path msgs (to leaf) of conversation id as the session's. */
static void
set_path(struct session *s, int64_t id, int64_t leaf,
    struct chat_message *msgs, size_t n, char *system)
{
	clear_history(s);
	free(s->system);
	s->history = msgs;
	s->nhistory = n;
	s->system = system;
	s->conversation = id;
	s->leaf_id = leaf;
	s->user_msg_id = 0;
}

const struct chat_message *
session_history(const struct session *s, size_t *n)
{
	*n = s->nhistory;
	return s->history;
}

/* The stored conversation's expected language (none when unreadable:
 * the check is a help, not a reason to refuse a conversation). */
static void
load_expect(struct session *s)
{
	char	*code = NULL, *cause = NULL;

	s->expect[0] = '\0';
	s->expect_by = EXPECT_NONE;
	if (store_conversation_lang(s->store, s->conversation, &code,
	    &s->expect_by, &cause) != 0) {
		free(cause);
		return;
	}
	if (code != NULL)
		snprintf(s->expect, sizeof s->expect, "%s", code);
	free(code);
}

int
session_continue(struct session *s, int64_t id, char **cause)
{
	struct chat_message	*msgs;
	size_t			 n;
	char			*system = NULL;
	int64_t			 leaf;

	if (s->store == NULL) {
		*cause = xstrdup("cannot continue a conversation without the "
		    "history (--no-log)");
		return -1;
	}
	if (id == 0) {
		id = store_conversation_latest(s->store, cause);
		if (id < 0)
			return -1;
		if (id == 0) {
			*cause = xstrdup("there is no conversation to continue");
			return -1;
		}
	}
	if (store_conversation_path(s->store, id, &msgs, &n, &system, &leaf,
	    cause) != 0)
		return -1;
	set_path(s, id, leaf, msgs, n, system);
	load_expect(s);
	return 0;
}

int
session_goto(struct session *s, int64_t id, int64_t leaf, char **cause)
{
	struct chat_message	*msgs;
	size_t			 n;
	char			*system = NULL;

	if (s->store == NULL) {
		*cause = xstrdup("there is no history (--no-log)");
		return -1;
	}
	if (store_conversation_path_to(s->store, id, leaf, &msgs, &n,
	    &system, cause) != 0)
		return -1;
	set_path(s, id, leaf, msgs, n, system);
	return 0;
}

int
session_branch(struct session *s, int64_t conversation, int64_t msg_id,
    char **cause)
{
	struct stored_message	 m;
	struct chat_message	*msgs;
	size_t			 n;
	char			*system = NULL;
	int			 r = -1;

	if (s->store == NULL) {
		*cause = xstrdup("cannot branch from a message without the "
		    "history (--no-log)");
		return -1;
	}
	stored_message_init(&m);
	if (store_message_get(s->store, msg_id, &m, cause) != 0)
		goto out;
	if (conversation > 0 && m.conversation_id != conversation) {
		*cause = xasprintf("message %lld is not in conversation %lld",
		    (long long)msg_id, (long long)conversation);
		goto out;
	}
	if (m.role != ROLE_USER) {
		*cause = xasprintf("message %lld is not a prompt: branch from "
		    "a user message", (long long)msg_id);
		goto out;
	}
	if (store_conversation_path_to(s->store, m.conversation_id,
	    m.parent_id, &msgs, &n, &system, cause) != 0)
		goto out;
	set_path(s, m.conversation_id, m.parent_id, msgs, n, system);
	r = 0;
out:
	stored_message_release(&m);
	return r;
}

/*
 * The store could not take a row of the turn. Say so once a turn; the
 * answer streams on, and storing it is tried again when it ends (then,
 * failing that, it goes to a recovery file). The next turn tries the
 * store again.
 */
static void
store_failed(struct session *s, const char *what, char *cause)
{
	if (!s->turn_warned)
		tolk_warn("%s: %s; tolk tries again when the answer ends",
		    what, cause != NULL ? cause : "unknown error");
	free(cause);
	s->turn_warned = true;
}

static char *
params_json(const struct send_options *o)
{
	struct buf	b;
	const char	*sep = "";

	buf_init(&b, BUF_NO_LIMIT);
	buf_addc(&b, '{');
	if (o->has_temperature) {
		buf_addf(&b, "\"temperature\":%g", o->temperature);
		sep = ",";
	}
	if (o->max_tokens > 0)
		buf_addf(&b, "%s\"max_tokens\":%ld", sep, o->max_tokens);
	buf_addc(&b, '}');
	return buf_take(&b, NULL);
}

static void
history_append(struct session *s, enum role role, const char *text)
{
	s->history = xrealloc(s->history,
	    (s->nhistory + 1) * sizeof *s->history);
	s->history[s->nhistory].role = role;
	s->history[s->nhistory].content = xstrdup(text);
	s->nhistory++;
}

struct resolved {
	const struct provider	*provider;
	char			*model;
	char			*key;
};

static void
resolved_release(struct resolved *r, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(r[i].model);
		key_free(r[i].key);
	}
	free(r);
}

/* Keep the expected language with the stored conversation. */
static int
store_expect(struct session *s, char **cause)
{
	if (s->store == NULL || s->store_off || s->conversation == 0)
		return 0;
	return store_conversation_set_lang(s->store, s->conversation,
	    s->expect[0] != '\0' ? s->expect : NULL, s->expect_by, cause);
}

/* Store the turn's prompt (and the conversation, when it is new): 0, or
 * -1 and *cause. */
static int
store_prompt(struct session *s, char **cause)
{
	struct stored_message	 m;
	int64_t			 id;

	stored_message_init(&m);
	m.conversation_id = s->conversation;
	m.parent_id = s->leaf_id;
	m.role = ROLE_USER;
	m.content = s->prompt;
	m.status = MSG_COMPLETE;
	m.created = s->prompt_time;
	if (s->conversation != 0)
		id = store_message_add(s->store, &m, cause);
	else if ((id = store_conversation_start(s->store, s->title,
	    s->system, &m, &s->conversation, cause)) > 0 &&
	    s->expect_by != EXPECT_NONE && store_expect(s, cause) != 0) {
		tolk_warn("cannot store the expected language: %s", *cause);
		free(*cause);
		*cause = NULL;
	}
	if (id < 0)
		return -1;
	s->user_msg_id = id;
	s->leaf_id = id;
	return 0;
}

/* A new turn: prompt is what is sent (prompt_id its stored row, 0: not
 * stored yet). */
static void
start_turn(struct session *s, const char *prompt, int64_t prompt_id)
{
	char	*cause = NULL;

	free(s->prompt);
	s->prompt = xstrdup(prompt);
	s->prompt_time = (int64_t)time(NULL);
	s->turn_warned = false;
	s->user_msg_id = prompt_id;
	if (prompt_id != 0 || s->store == NULL || s->store_off)
		return;
	if (store_prompt(s, &cause) != 0)
		store_failed(s, "cannot store the prompt", cause);
}

static void
store_answer_start(struct session *s, struct answer *a, const char *params)
{
	struct stored_message	 m;
	char			*cause = NULL;
	int64_t			 id;

	if (s->store == NULL || s->store_off || s->user_msg_id == 0)
		return;
	stored_message_init(&m);
	m.conversation_id = s->conversation;
	m.parent_id = s->user_msg_id;
	m.role = ROLE_ASSISTANT;
	m.content = (char *)"";
	m.provider = a->provider;
	m.model = a->model;
	m.params_json = (char *)params;
	m.status = MSG_STREAMING;
	m.created = a->created;
	id = store_message_add(s->store, &m, &cause);
	if (id < 0) {
		store_failed(s, "cannot store the answer", cause);
		return;
	}
	a->msg_id = id;
	a->checkpoint_ms = clock_ms();
	a->checkpoint_gap = CHECKPOINT_MS;
}

/* Resolve every model spec and read its key now. NULL and *cause when one
 * cannot be: nothing is sent then. */
static struct resolved *
resolve_all(struct session *s, const char *const *specs, size_t nspecs,
    char **cause)
{
	struct resolved	*r;
	size_t		 i;

	r = xcalloc(nspecs, sizeof *r);
	for (i = 0; i < nspecs; i++) {
		if (config_resolve_model(s->config, specs[i], &r[i].provider,
		    &r[i].model, cause) != 0) {
			resolved_release(r, nspecs);
			return NULL;
		}
		r[i].key = provider_key(r[i].provider, cause);
		if (r[i].key == NULL && *cause != NULL) {
			resolved_release(r, nspecs);
			return NULL;
		}
	}
	return r;
}

/* One answer per resolved model, stored as streaming and sent at once
 * with the conversation's path. Frees r. */
static void
start_answers(struct session *s, struct resolved *r, size_t nspecs,
    const struct send_options *o)
{
	struct chat_request	 req;
	struct answer		*a;
	char			*params;
	size_t			 i;

	params = params_json(o);
	s->answers = xcalloc(nspecs, sizeof *s->answers);
	s->nanswers = nspecs;
	for (i = 0; i < nspecs; i++) {
		a = &s->answers[i];
		a->provider = xstrdup(r[i].provider->name);
		a->model = xstrdup(r[i].model);
		buf_init(&a->text, MAX_ANSWER);
		buf_init(&a->reasoning, MAX_ANSWER);
		usage_init_unknown(&a->usage);
		a->cost = -1;
		a->error.retry_after_ms = -1;
		a->start_us = clock_us();
		a->created = (int64_t)time(NULL);
		a->params = xstrdup(params);
		store_answer_start(s, a, params);

		memset(&req, 0, sizeof req);
		req.api = r[i].provider->api;
		req.provider = r[i].provider->name;
		req.base_url = r[i].provider->base_url;
		req.model = r[i].model;
		req.system = s->system;
		req.messages = s->history;
		req.nmessages = s->nhistory;
		req.temperature = o->temperature;
		req.has_temperature = o->has_temperature;
		req.max_tokens = o->max_tokens;
		req.stream_usage = r[i].provider->stream_usage;
		req.key = r[i].key;
		a->request_id = net_submit(s->net, &req);
	}
	free(params);
	resolved_release(r, nspecs);
}

static void
set_system(struct session *s, const struct send_options *o)
{
	if (o->system != NULL) {
		free(s->system);
		s->system = xstrdup(o->system);
	}
}

int
session_send(struct session *s, const char *prompt, const char *const *specs,
    size_t nspecs, const struct send_options *o, char **cause)
{
	struct resolved	*r;
	bool		 first = s->nhistory == 0;
	char		*why = NULL;

	if ((r = resolve_all(s, specs, nspecs, cause)) == NULL)
		return -1;
	set_system(s, o);
	clear_answers(s);
	start_turn(s, prompt, 0);
	history_append(s, ROLE_USER, prompt);
	start_answers(s, r, nspecs, o);
	/*
	 * The first prompt shows the language, when it is clear. Looked at
	 * once the requests are out and the answers stored as streaming:
	 * the first detection pages in the identifier's tables, and nothing
	 * should wait for that.
	 */
	if (first && s->expect_by == EXPECT_NONE &&
	    langcheck_prompt(prompt, strlen(prompt), s->expect) == 0) {
		s->expect_by = EXPECT_PROMPT;
		if (store_expect(s, &why) != 0) {
			tolk_warn("cannot store the expected language: %s",
			    why);
			free(why);
		}
	}
	return 0;
}

size_t
session_nanswers(const struct session *s)
{
	return s->nanswers;
}

struct answer *
session_answer(struct session *s, size_t i)
{
	return i < s->nanswers ? &s->answers[i] : NULL;
}

static void
checkpoint_one(struct session *s, struct answer *a)
{
	char	*cause = NULL;
	int64_t	 took;
	int	 r;

	if (a->msg_id == 0 || s->store_off)
		return;
	a->checkpoint_ms = clock_ms();
	/* Not half a character: the store holds UTF-8 (see make_valid()). */
	r = store_message_checkpoint(s->store, a->msg_id,
	    a->text.data != NULL ? a->text.data : "",
	    utf8_complete(a->text.data, a->text.len), &cause);
	/*
	 * A checkpoint writes the whole text: at a fixed period a 100 MB
	 * answer would spend all its time rewriting itself (quadratic; found
	 * by tests/wire/test_faults.py). The next one waits ten times as
	 * long as this one took, so writing costs at most a tenth.
	 */
	took = clock_ms() - a->checkpoint_ms;
	a->checkpoint_gap = took * 10 > CHECKPOINT_MS ? took * 10 :
	    CHECKPOINT_MS;
	if (r != 0) {
		if (!a->store_failed)
			tolk_warn("cannot store the answer yet: %s; it is "
			    "kept in memory and stored when possible", cause);
		free(cause);
		a->store_failed = true;
		return;
	}
	if (a->store_failed)
		tolk_warn("the answer is stored again");
	a->store_failed = false;
	a->stored_len = a->text.len;
}

static enum msg_status
final_status(enum net_status st)
{
	switch (st) {
	case NET_STATUS_COMPLETE:
		return MSG_COMPLETE;
	case NET_STATUS_CUT:
		return MSG_CUT;
	case NET_STATUS_CANCELLED:
		return MSG_CANCELLED;
	case NET_STATUS_ERROR:
		break;
	}
	return MSG_ERROR;
}

/*
 * Append line and a newline to the file at path (made 0600, and new when
 * fresh: never one someone else put there): all of it or, when the write
 * fails, nothing (a half line would stop tolk import).
 */
static int
append_line(const char *path, const char *line, bool fresh, char **cause)
{
	struct stat	 sb;
	size_t		 len = strlen(line), off = 0;
	ssize_t		 w;
	char		*text;
	int		 fd, r = -1;

	fd = open(path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC |
	    (fresh ? O_CREAT | O_EXCL : 0), 0600);
	if (fd < 0 || fstat(fd, &sb) != 0) {
		*cause = xasprintf("'%s': %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	text = xasprintf("%s\n", line);
	len++;
	errno = 0;
	while (off < len) {
		w = write(fd, text + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	if (off == len && fsync(fd) == 0)
		r = 0;
	else {
		*cause = xasprintf("'%s': %s", path, errno == 0 ?
		    "short write" : strerror(errno));
		if (ftruncate(fd, sb.st_size) != 0)
			tolk_warn("'%s' ends with half a line: cut it off "
			    "before tolk import", path);
	}
	close(fd);
	free(text);
	return r;
}

/*
 * The turn as one line of the export format (store_conversation_json(),
 * what tolk import reads): the system prompt, the prompt and its n answers
 * m as siblings (--compare: one prompt, not n conversations with the same
 * prompt). Its uid (from the first answer's request) keeps a second
 * import from adding it twice.
 */
static char *
recovery_line(const struct session *s, uint64_t request_id,
    const struct stored_message *m, size_t n)
{
	struct conversation_info	 c;
	struct stored_message		*msgs;
	char				*line;
	size_t				 i;

	memset(&c, 0, sizeof c);
	c.uid = xasprintf("recovered-%lld-%ld-%llu",
	    (long long)s->prompt_time, (long)getpid(),
	    (unsigned long long)request_id);
	c.title = s->conversation == 0 ? s->title : NULL;
	c.system = s->system;
	c.created = s->prompt_time;
	c.updated = s->prompt_time;
	c.expected_lang = s->expect[0] != '\0' ? (char *)s->expect : NULL;
	c.expected_by = (int)s->expect_by;
	msgs = xcalloc(n + 1, sizeof *msgs);
	stored_message_init(&msgs[0]);
	msgs[0].id = 1;
	msgs[0].role = ROLE_USER;
	msgs[0].content = s->prompt;
	msgs[0].status = MSG_COMPLETE;
	msgs[0].created = s->prompt_time;
	for (i = 0; i < n; i++) {
		msgs[i + 1] = m[i];
		msgs[i + 1].id = (int64_t)i + 2;
		msgs[i + 1].parent_id = 1;
		if (m[i].created > c.updated)
			c.updated = m[i].created;
	}
	line = store_conversation_json(&c, msgs, n + 1, false);
	free(msgs);
	free(c.uid);
	return line;
}

/* Say where the turn's n answers went (added: to the file of an earlier
 * turn; told: the store's failure was told already). */
static void
tell_saved(const struct session *s, size_t n, const char *why, bool told,
    bool added)
{
	const char	*how = added ? "added to" : "saved to";
	const char	*what = n > 1 ? "answers are" : "answer is";

	if (s->store_off && added)
		return;		/* said for the first */
	if (told)
		tolk_warn("the %s %s '%s'; bring it back with: tolk "
		    "import '%s'", what, how, s->recovery, s->recovery);
	else
		tolk_warn("cannot store the answer (%s): %s '%s'; bring it "
		    "back with: tolk import '%s'", why, how, s->recovery,
		    s->recovery);
}

/*
 * The store could not take the turn's n finished answers: append the
 * turn (line) to the recovery file, in the folder of the database (else
 * $TMPDIR), one per run, and tell the user how to bring it back. The
 * database itself is not touched.
 */
static void
save_elsewhere(struct session *s, char *line, size_t n, const char *why,
    bool told)
{
	const char	*tmp;
	char		*dir, *slash, *path[2], *cause = NULL;
	char		 stamp[32];
	struct tm	 tm;
	time_t		 now = (time_t)s->prompt_time;
	size_t		 i;
	int		 r = -1;

	if (s->recovery != NULL && append_line(s->recovery, line, false, &cause) == 0) {
		tell_saved(s, n, why, told, true);
		free(line);
		return;
	}
	free(cause);
	cause = NULL;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	dir = xstrdup(store_path(s->store));
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	else {
		free(dir);
		dir = xstrdup(".");
	}
	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	path[0] = xasprintf("%s/recovered-%s-%ld.jsonl", dir, stamp,
	    (long)getpid());
	path[1] = xasprintf("%s/tolk-recovered-%s-%ld.jsonl", tmp, stamp,
	    (long)getpid());
	free(dir);
	for (i = 0; i < 2 && r != 0; i++) {
		free(cause);
		cause = NULL;
		r = append_line(path[i], line, true, &cause);
	}
	if (r == 0) {
		free(s->recovery);
		s->recovery = path[i - 1];
		path[i - 1] = NULL;
	}
	free(path[0]);
	free(path[1]);
	if (r != 0) {
		tolk_warn("cannot store the %s%s%s%s, nor save %s: %s; %s "
		    "only on the screen", n > 1 ? "answers" : "answer",
		    *why != '\0' ? " (" : "", why, *why != '\0' ? ")" : "",
		    n > 1 ? "them" : "it", cause, n > 1 ? "they are" :
		    "it is");
		free(cause);
		free(line);
		return;
	}
	tell_saved(s, n, why, told, false);
	free(line);
}

/*
 * The language of a finished answer, detected on first use from its first
 * 8 KiB (an uncertain guess is not kept). Lazy, because the identifier's
 * tables are 7 MB: a run that neither stores nor shows the language does
 * not page them in.
 */
const char *
answer_lang_guess(struct answer *a, bool *uncertain)
{
	struct lang_result	lr;
	size_t			n = a->text.len;

	if (!a->lang_done && a->done) {
		a->lang_done = true;
		a->lang[0] = '\0';
		if (n > LANG_SAMPLE)
			n = utf8_complete(a->text.data, LANG_SAMPLE);
		memset(&lr, 0, sizeof lr);
		if (n > 0 && langid_detect(a->text.data, n, NULL, &lr) == 0 &&
		    lr.code[0] != '\0') {
			snprintf(a->lang, sizeof a->lang, "%s", lr.code);
			a->lang_uncertain = lr.uncertain;
		}
	}
	*uncertain = a->lang_uncertain;
	return a->lang;
}

const char *
answer_lang(struct answer *a)
{
	bool		 uncertain;
	const char	*code;

	code = answer_lang_guess(a, &uncertain);
	return uncertain ? "" : code;
}

/*
 * Store the finished answer m: update its row, or add it (and the turn's
 * prompt when that could not be stored either) now. 0, or -1 and *cause.
 */
static int
store_answer_end(struct session *s, struct answer *a,
    struct stored_message *m, char **cause)
{
	int64_t	id;

	if (a->msg_id != 0)
		return store_message_finish(s->store, a->msg_id, m, cause);
	if (s->user_msg_id == 0 && store_prompt(s, cause) != 0)
		return -1;
	m->conversation_id = s->conversation;
	m->parent_id = s->user_msg_id;
	if ((id = store_message_add(s->store, m, cause)) < 0)
		return -1;
	a->msg_id = id;
	return 0;
}

/* The finished answer a as a row to store (borrowing a's fields); *err is
 * its error line or NULL, the caller frees it. */
static void
answer_row(struct answer *a, struct stored_message *mp, char **err)
{
	struct stored_message	m;

	*err = NULL;
	stored_message_init(&m);
	m.role = ROLE_ASSISTANT;
	m.content = a->text.data != NULL ? a->text.data : (char *)"";
	m.provider = a->provider;
	m.model = a->model;
	m.params_json = a->params;
	m.status = final_status(a->status);
	if (a->has_error)
		m.error = *err = answer_error_line(a);
	m.finish_reason = a->finish_reason;
	m.usage = a->usage;
	m.ttft_ms = a->first_us > 0 ? (a->first_us - a->start_us) / 1000 : -1;
	m.duration_ms = (a->end_us - a->start_us) / 1000;
	m.cost = a->cost;
	if (*answer_lang(a) != '\0')
		m.lang = (char *)answer_lang(a);
	m.created = a->created;
	*mp = m;
}

/*
 * Once every answer of the turn has ended, the ones the store could not
 * take go to the recovery file together, as one line: the prompt and its
 * answers as siblings. Also done for the ended ones when the turn is
 * dropped before its end (session_reset()).
 */
static void
save_recovered(struct session *s)
{
	struct stored_message	*m;
	char			**err, *why = NULL;
	uint64_t		 first = 0;
	bool			 told = s->turn_warned;
	size_t			 i, n = 0;

	for (i = 0; i < s->nanswers; i++)
		n += s->answers[i].recover;
	if (n == 0)
		return;
	m = xcalloc(n, sizeof *m);
	err = xcalloc(n, sizeof *err);
	n = 0;
	for (i = 0; i < s->nanswers; i++) {
		struct answer	*a = &s->answers[i];

		if (!a->recover)
			continue;
		if (n == 0)
			first = a->request_id;
		answer_row(a, &m[n], &err[n]);
		if (why == NULL)
			why = a->recover_why;
		told = told || a->store_failed;
		a->recover = false;
		n++;
	}
	save_elsewhere(s, recovery_line(s, first, m, n), n,
	    why != NULL ? why : "", told);
	for (i = 0; i < s->nanswers; i++) {
		free(s->answers[i].recover_why);
		s->answers[i].recover_why = NULL;
	}
	for (i = 0; i < n; i++)
		free(err[i]);
	free(err);
	free(m);
}

static void
finish_answer(struct session *s, struct answer *a)
{
	struct stored_message	 m;
	struct price		 price;
	char			*cause = NULL, *err = NULL;
	bool			 kept;

	if (config_price(s->config, a->provider, a->model, &price) == 0)
		a->cost = price_cost(&price, &a->usage);
	kept = a == &s->answers[0] && (a->status == NET_STATUS_COMPLETE ||
	    a->status == NET_STATUS_CUT || a->status == NET_STATUS_CANCELLED);
	if (kept)
		history_append(s, ROLE_ASSISTANT,
		    a->text.data != NULL ? a->text.data : "");
	if (s->store == NULL) {
		keep_spend(s, a);
		goto out;
	}
	answer_row(a, &m, &err);
	if (s->store_off) {
		/* Told when the session began. */
		s->turn_warned = true;
		a->recover = true;
	} else if (store_answer_end(s, a, &m, &cause) != 0) {
		a->recover = true;
		a->recover_why = cause != NULL ? cause :
		    xstrdup("unknown error");
	} else {
		if (a->store_failed || s->turn_warned)
			tolk_warn("the answer is stored now");
		a->store_failed = false;
		a->stored_len = a->text.len;
	}
	free(err);
	if (!session_busy(s))
		save_recovered(s);
out:
	if (kept && a->msg_id != 0)
		s->leaf_id = a->msg_id;
}

/*
 * A server may send invalid UTF-8, or end inside a character (some split
 * a character's bytes across deltas). The answer as stored, exported and
 * sent back as context is valid UTF-8: each invalid piece becomes U+FFFD
 * (found by tests/wire/test_faults.py).
 */
static void
make_valid(struct buf *text)
{
	char	*clean;
	size_t	 len;

	if (text->data == NULL || utf8_valid(text->data, text->len))
		return;
	clean = utf8_clean(text->data, text->len, &len);
	buf_reset(text);
	(void)buf_add(text, clean, len);
	free(clean);
}

struct answer *
session_event(struct session *s, const struct net_event *ev)
{
	struct answer	*a = NULL;
	size_t		 i;

	for (i = 0; i < s->nanswers; i++)
		if (s->answers[i].request_id == ev->request_id)
			a = &s->answers[i];
	if (a == NULL || a->done)
		return NULL;
	switch (ev->type) {
	case NET_EV_TEXT:
	case NET_EV_REFUSAL:
	case NET_EV_REASONING:
		if (a->first_us == 0)
			a->first_us = ev->time_us;
		if (ev->type != NET_EV_REASONING)
			a->ntext++;
		if (buf_add(ev->type == NET_EV_REASONING ? &a->reasoning :
		    &a->text, ev->text, ev->len) != 0 && !a->has_error) {
			a->has_error = true;
			a->error.kind = NET_ERR_PROTOCOL;
			a->error.message = xstrdup("the answer is larger than "
			    "1 GiB; the rest is dropped");
			net_cancel(s->net, a->request_id);
		}
		if (ev->type != NET_EV_REASONING &&
		    clock_ms() - a->checkpoint_ms >= a->checkpoint_gap)
			checkpoint_one(s, a);
		break;
	case NET_EV_USAGE:
		usage_merge(&a->usage, &ev->usage);
		break;
	case NET_EV_FINISH:
		free(a->finish_reason);
		a->finish_reason = xstrndup(ev->text != NULL ? ev->text : "",
		    ev->len);
		break;
	case NET_EV_ERROR:
		net_error_release(&a->error);
		a->error = ev->error;
		a->error.type = ev->error.type != NULL ?
		    xstrdup(ev->error.type) : NULL;
		a->error.message = xstrdup(ev->error.message != NULL ?
		    ev->error.message : "");
		a->error.retry_after_ms = ev->error.retry_after_ms;
		a->has_error = true;
		break;
	case NET_EV_RETRY:
		break;
	case NET_EV_DONE:
		a->status = ev->status;
		a->done = true;
		a->end_us = ev->time_us;
		make_valid(&a->text);
		finish_answer(s, a);
		break;
	}
	return a;
}

int
session_checkpoint_due(const struct session *s)
{
	const struct answer	*a;
	int64_t			 now = clock_ms(), best = -1, d;
	size_t			 i;

	if (s->store_off)
		return -1;
	for (i = 0; i < s->nanswers; i++) {
		a = &s->answers[i];
		if (a->done || a->msg_id == 0 || a->text.len == a->stored_len)
			continue;
		d = a->checkpoint_ms + a->checkpoint_gap - now;
		if (d < 0)
			d = 0;
		if (best < 0 || d < best)
			best = d;
	}
	return (int)best;
}

void
session_checkpoint(struct session *s, bool force)
{
	struct answer	*a;
	int64_t		 now = clock_ms();
	size_t		 i;

	for (i = 0; i < s->nanswers; i++) {
		a = &s->answers[i];
		if (a->done || a->msg_id == 0 || a->text.len == a->stored_len)
			continue;
		if (force || now - a->checkpoint_ms >= a->checkpoint_gap)
			checkpoint_one(s, a);
	}
}

bool
session_busy(const struct session *s)
{
	size_t	i;

	for (i = 0; i < s->nanswers; i++)
		if (!s->answers[i].done)
			return true;
	return false;
}

void
session_cancel(struct session *s)
{
	size_t	i;

	for (i = 0; i < s->nanswers; i++)
		if (!s->answers[i].done)
			net_cancel(s->net, s->answers[i].request_id);
}

char *
net_error_line(const char *provider, const struct net_error *e)
{
	const char	*msg = e->message != NULL ? e->message : "";

	switch (e->kind) {
	case NET_ERR_HTTP:
		if (e->retry_after_ms > 60000)
			return xasprintf("%s: HTTP %d: %s; the server asks to "
			    "wait %lld s: not retrying", provider,
			    e->http_status, msg,
			    (long long)((e->retry_after_ms + 999) / 1000));
		return xasprintf("%s: HTTP %d: %s", provider, e->http_status,
		    msg);
	case NET_ERR_API:
		if (e->type != NULL && *e->type != '\0')
			return xasprintf("%s: error in stream (%s): %s",
			    provider, e->type, msg);
		return xasprintf("%s: error in stream: %s", provider, msg);
	case NET_ERR_CUT:
		return xasprintf("%s: stream cut before its end", provider);
	case NET_ERR_CONNECT:
		return xasprintf("%s: cannot connect: %s", provider, msg);
	case NET_ERR_TIMEOUT:
		if (strncmp(msg, "no data for", 11) == 0)
			return xasprintf("%s: %s, gave up", provider, msg);
		return xasprintf("%s: cannot connect: %s", provider, msg);
	case NET_ERR_PROTOCOL:
		return xasprintf("%s: bad stream: %s", provider, msg);
	case NET_ERR_SETUP:
		return xasprintf("%s: nothing sent: %s", provider, msg);
	}
	return xasprintf("%s: %s", provider, msg);
}

char *
answer_error_line(const struct answer *a)
{
	if (!a->has_error) {
		if (a->status == NET_STATUS_CUT)
			return xasprintf("%s: stream cut before its end",
			    a->provider);
		return xasprintf("%s: failed", a->provider);
	}
	return net_error_line(a->provider, &a->error);
}

/* ---- Added for the TUI. ---- */

void
session_reset(struct session *s)
{
	session_cancel(s);
	clear_answers(s);
	clear_history(s);
	free(s->system);
	s->system = NULL;
	free(s->title);
	s->title = NULL;
	s->conversation = 0;
	s->leaf_id = 0;
	s->user_msg_id = 0;
	s->expect[0] = '\0';
	s->expect_by = EXPECT_NONE;
}

const char *
session_expected_lang(const struct session *s, enum expect_source *by)
{
	if (by != NULL)
		*by = s->expect_by;
	return s->expect;
}

int
session_set_expected_lang(struct session *s, const char *code,
    enum expect_source by, char **cause)
{
	char	*why = NULL;

	if (code != NULL && !langid_known(code)) {
		*cause = xasprintf("unknown language '%s'", code);
		return -1;
	}
	if (code == NULL || (by != EXPECT_USER && by != EXPECT_PROMPT)) {
		s->expect[0] = '\0';
		if (by == EXPECT_USER || by == EXPECT_PROMPT)
			by = EXPECT_OFF;
	} else
		snprintf(s->expect, sizeof s->expect, "%s", code);
	s->expect_by = by;
	if (store_expect(s, &why) != 0) {
		*cause = xasprintf("%s; it holds for this session only", why);
		free(why);
		return -1;
	}
	return 0;
}

int
session_set_title(struct session *s, const char *title, char **cause)
{
	if (s->store == NULL || s->store_off) {
		*cause = xstrdup("the history is off: the title is shown in "
		    "this window only");
		return -1;
	}
	if (s->conversation == 0) {
		free(s->title);
		s->title = xstrdup(title);
		return 0;
	}
	return store_conversation_set_title(s->store, s->conversation, title,
	    cause);
}

int64_t
session_leaf(const struct session *s)
{
	return s->leaf_id;
}

int64_t
session_prompt_id(const struct session *s)
{
	return s->user_msg_id;
}

int
session_retry(struct session *s, int64_t prompt_id, const char *const *specs,
    size_t nspecs, const struct send_options *o, char **cause)
{
	struct resolved	*r;

	if (s->nhistory > 0 &&
	    s->history[s->nhistory - 1].role == ROLE_ASSISTANT) {
		free(s->history[s->nhistory - 1].content);
		s->nhistory--;
	}
	if (s->nhistory == 0 ||
	    s->history[s->nhistory - 1].role != ROLE_USER) {
		*cause = xstrdup("there is no prompt to answer again");
		return -1;
	}
	if ((r = resolve_all(s, specs, nspecs, cause)) == NULL)
		return -1;
	set_system(s, o);
	clear_answers(s);
	/* The caller may not know yet that the turn's prompt was stored
	 * when its answer ended: never store it twice. */
	if (prompt_id == 0)
		prompt_id = s->user_msg_id;
	if (prompt_id != 0)
		s->leaf_id = prompt_id;
	start_turn(s, s->history[s->nhistory - 1].content, prompt_id);
	start_answers(s, r, nspecs, o);
	return 0;
}

void
session_select(struct session *s, const char *text, int64_t msg_id)
{
	if (s->nhistory > 0 &&
	    s->history[s->nhistory - 1].role == ROLE_ASSISTANT) {
		free(s->history[s->nhistory - 1].content);
		s->history[s->nhistory - 1].content = xstrdup(text);
	} else
		history_append(s, ROLE_ASSISTANT, text);
	if (msg_id != 0)
		s->leaf_id = msg_id;
}
