/*
 * tui/tui.c - the full-screen interface: start-up, the loop, and the glue
 * between keys, the editor, the session and the transcript.
 *
 * The loop is DESIGN.md's: one poll() over the terminal, the net wake pipe
 * and a self-pipe for signals (SIGWINCH, SIGINT, SIGTERM, SIGHUP,
 * SIGTSTP/SIGCONT), with timers (Esc delay, spinner, checkpoint, frame) as
 * its timeout. Handlers only write the signal number to the pipe. Events
 * set the dirty flag; the screen is drawn at most once per loop turn and
 * at most every FRAME_MS, so a fast stream costs one frame per 16 ms, not
 * one per token, and the end of an answer is on screen within one frame.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define NCURSES_WIDECHAR 1
#include <curses.h>

#include "net/net.h"
#include "tui/demo.h"
#include "tui/commands.h"
#include "tui/sigpipe.h"
#include "tui/tui.h"

#define FRAME_MS	16
/* Text of answers laid out between two polls (~3 ms). */
#define LAYOUT_DUE_BATCH	(32u * 1024)
/* Text of answers checked for language between two polls (~5 ms). */
#define LANG_DUE_BATCH	(16u * 1024)
#define ESC_DELAY_MS	25
#define SPIN_MS		100
#define NOTE_MS		4000


/*
 * While the screen is ours, stderr is a pipe: what other modules tell the
 * user with tolk_warn() (a store that cannot write, say) is shown as a
 * line in the transcript instead of being written over the screen.
 */
static int	err_pipe[2] = { -1, -1 };
static int	saved_stderr = -1;
static struct buf err_partial;

static void	stop_answers(struct tui *);

void
tui_options_init(struct tui_options *o)
{
	memset(o, 0, sizeof *o);
}

/* ------------------------------------------------------------------ */
/* Messages */

static void
capture_stderr(void)
{
	if (!isatty(STDERR_FILENO) || pipe(err_pipe) != 0)
		return;
	fcntl(err_pipe[0], F_SETFD, FD_CLOEXEC);
	fcntl(err_pipe[1], F_SETFD, FD_CLOEXEC);
	fcntl(err_pipe[0], F_SETFL, fcntl(err_pipe[0], F_GETFL) | O_NONBLOCK);
	fcntl(err_pipe[1], F_SETFL, fcntl(err_pipe[1], F_GETFL) | O_NONBLOCK);
	fflush(stderr);
	saved_stderr = dup(STDERR_FILENO);
	if (saved_stderr < 0 || dup2(err_pipe[1], STDERR_FILENO) < 0) {
		close(err_pipe[0]);
		close(err_pipe[1]);
		err_pipe[0] = err_pipe[1] = -1;
		if (saved_stderr >= 0)
			close(saved_stderr);
		saved_stderr = -1;
		return;
	}
	fcntl(saved_stderr, F_SETFD, FD_CLOEXEC);
	buf_init(&err_partial, 64 * 1024);
}

/* Lines written to stderr become error lines in the transcript. */
static void
read_stderr(struct tui *t)
{
	char	 buf[4096], *nl, *line;
	ssize_t	 n;
	size_t	 len;

	if (err_pipe[0] < 0)
		return;
	while ((n = read(err_pipe[0], buf, sizeof buf)) > 0)
		(void)buf_add(&err_partial, buf, (size_t)n);
	while (err_partial.len > 0 &&
	    (nl = memchr(err_partial.data, '\n', err_partial.len)) != NULL) {
		len = (size_t)(nl - err_partial.data);
		line = xstrndup(err_partial.data, len);
		tui_info(t, ITEM_ERROR, "%s", strncmp(line, "tolk: ", 6) == 0 ?
		    line + 6 : line);
		free(line);
		memmove(err_partial.data, nl + 1, err_partial.len - len - 1);
		err_partial.len -= len + 1;
		err_partial.data[err_partial.len] = '\0';
	}
}

/* Put stderr back, passing on what was not shown. */
static void
restore_stderr(void)
{
	char	buf[4096];
	ssize_t	n;

	if (saved_stderr < 0)
		return;
	fflush(stderr);
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	saved_stderr = -1;
	close(err_pipe[1]);
	if (err_partial.len > 0)
		(void)write(STDERR_FILENO, err_partial.data, err_partial.len);
	while ((n = read(err_pipe[0], buf, sizeof buf)) > 0)
		(void)write(STDERR_FILENO, buf, (size_t)n);
	close(err_pipe[0]);
	err_pipe[0] = err_pipe[1] = -1;
	buf_release(&err_partial);
}

void
tui_note(struct tui *t, const char *fmt, ...)
{
	va_list	ap;

	free(t->note);
	va_start(ap, fmt);
	t->note = xvasprintf(fmt, ap);
	va_end(ap);
	t->note_until = clock_ms() + NOTE_MS;
	t->dirty = true;
}

void
tui_info(struct tui *t, enum item_kind kind, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	transcript_add(t->tr, kind, s);
	free(s);
	t->dirty = true;
}

/* ------------------------------------------------------------------ */
/* The draft survives quitting: $XDG_STATE_HOME/tolk/draft. */

static char *
state_path(const char *name, bool create)
{
	const char	*state = getenv("XDG_STATE_HOME"), *home;
	char		*dir, *path;

	if (state != NULL && *state == '/')
		dir = xasprintf("%s/tolk", state);
	else {
		home = getenv("HOME");
		if (home == NULL || *home == '\0')
			return NULL;
		dir = xasprintf("%s/.local/state/tolk", home);
	}
	if (create) {
		/* Make the parents one by one (0700). */
		char *p;

		for (p = dir + 1; *p != '\0'; p++) {
			if (*p == '/') {
				*p = '\0';
				(void)mkdir(dir, 0700);
				*p = '/';
			}
		}
		(void)mkdir(dir, 0700);
	}
	path = xasprintf("%s/%s", dir, name);
	free(dir);
	return path;
}

static void
draft_load(struct tui *t)
{
	char		*path;
	struct buf	 b;
	FILE		*f;

	if ((path = state_path("draft", false)) == NULL)
		return;
	if ((f = fopen(path, "r")) != NULL) {
		buf_init(&b, 16u * 1024 * 1024);
		(void)buf_add_stream(&b, f);
		fclose(f);
		if (b.len > 0)
			editor_set_text(t->ed, b.data, b.len);
		buf_release(&b);
		(void)unlink(path);
	}
	free(path);
}

static void
draft_save(struct tui *t)
{
	const char	*text;
	char		*path;
	size_t		 len;
	int		 fd;
	ssize_t		 w = 0;

	text = editor_text(t->ed, &len);
	if ((path = state_path("draft", len > 0)) == NULL)
		return;
	if (len == 0) {
		(void)unlink(path);
		free(path);
		return;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd >= 0)
		w = write(fd, text, len);
	if (fd < 0 || w != (ssize_t)len)
		tolk_warn("cannot keep the draft in '%s': %s", path,
		    strerror(errno));
	if (fd >= 0)
		close(fd);
	free(path);
}


/*
 * Earlier prompts, for Up past the first line: $XDG_STATE_HOME/tolk/prompts,
 * one prompt a line with backslash and newline escaped. Kept only when the
 * history is (not with --no-log, not in the demo).
 */
#define PROMPTS_KEEP	1000

static void	prompts_append(struct tui *, const char *);

static bool
keeps_prompts(const struct tui *t)
{
	return t->store != NULL && t->demo == NULL;
}

static void
prompts_load(struct tui *t)
{
	char		*path, *line = NULL, *p;
	size_t		 cap = 0, nlines = 0, i, total = 0;
	ssize_t		 n;
	struct buf	 b;
	char		**all = NULL;
	FILE		*f;

	if (!keeps_prompts(t) || (path = state_path("prompts", false)) == NULL)
		return;
	if ((f = fopen(path, "r")) == NULL) {
		free(path);
		return;
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		buf_init(&b, BUF_NO_LIMIT);
		buf_addstr(&b, "");
		for (p = line; *p != '\0'; p++) {
			if (*p == '\\' && p[1] == 'n') {
				buf_addc(&b, '\n');
				p++;
			} else if (*p == '\\' && p[1] == '\\') {
				buf_addc(&b, '\\');
				p++;
			} else
				buf_addc(&b, *p);
		}
		total++;
		if (nlines == PROMPTS_KEEP) {
			free(all[0]);
			memmove(all, all + 1, (nlines - 1) * sizeof *all);
			nlines--;
		}
		all = xrealloc(all, (nlines + 1) * sizeof *all);
		all[nlines++] = buf_take(&b, NULL);
	}
	free(line);
	fclose(f);
	/* The file only grows; past twice what is kept, keep the last. */
	if (total > 2 * PROMPTS_KEEP)
		(void)unlink(path);
	for (i = 0; i < nlines; i++) {
		editor_history_add(t->ed, all[i]);
		if (total > 2 * PROMPTS_KEEP)
			prompts_append(t, all[i]);
		free(all[i]);
	}
	free(all);
	free(path);
}

static void
prompts_append(struct tui *t, const char *prompt)
{
	char		*path;
	const char	*p;
	struct buf	 b;
	int		 fd;

	if (!keeps_prompts(t) || (path = state_path("prompts", true)) == NULL)
		return;
	buf_init(&b, BUF_NO_LIMIT);
	for (p = prompt; *p != '\0'; p++) {
		if (*p == '\n')
			buf_addstr(&b, "\\n");
		else if (*p == '\\')
			buf_addstr(&b, "\\\\");
		else
			buf_addc(&b, *p);
	}
	buf_addc(&b, '\n');
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd >= 0) {
		if (write(fd, b.data, b.len) != (ssize_t)b.len)
			tui_note(t, "cannot keep the prompt in '%s'", path);
		close(fd);
	}
	buf_release(&b);
	free(path);
}

/* An error message from a server, made safe for one line of the screen. */
static char *
clean_line(const char *s)
{
	char	*c, *p;
	size_t	 n;

	c = sanitize(s, strlen(s), SANITIZE_NORMAL, &n);
	for (p = c; *p != '\0'; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	return c;
}

/* ------------------------------------------------------------------ */
/* Conversations */

static void
reset_counts(struct tui *t)
{
	t->tok_in = t->tok_out = 0;
	t->cost = 0;
	t->cost_unknown = false;
}

void
tui_new_conversation(struct tui *t)
{
	stop_answers(t);
	tui_compare_close(t);
	session_reset(t->session);
	tui_annot_close(t);
	transcript_clear(t->tr);
	free(t->title);
	t->title = NULL;
	free(t->queued);
	t->queued = NULL;
	reset_counts(t);
	t->lang[0] = '\0';
	t->edit_from = 0;
	tui_budget_refresh(t);
	t->dirty = true;
}

static const struct stored_message *
find_msg(const struct stored_message *m, size_t n, int64_t id)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (m[i].id == id)
			return &m[i];
	return NULL;
}

static int
variant_status(enum msg_status st)
{
	return (int)st;
}

int
tui_open_conversation(struct tui *t, int64_t id, char **cause)
{
	return tui_open_conversation_at(t, id, -1, cause);
}

int
tui_open_conversation_at(struct tui *t, int64_t id, int64_t leaf,
    char **cause)
{
	struct conversation_info	  info;
	struct stored_message		 *msgs = NULL;
	const struct stored_message	**path = NULL, *m;
	struct item			 *it;
	struct variant			 *v;
	size_t				  n = 0, np = 0, i, j;
	char				 *label;

	if (t->store == NULL) {
		*cause = xstrdup("there is no history (--no-log)");
		return -1;
	}
	tui_new_conversation(t);
	if ((leaf < 0 ? session_continue(t->session, id, cause) :
	    session_goto(t->session, id, leaf, cause)) != 0)
		return -1;
	id = session_conversation(t->session);
	memset(&info, 0, sizeof info);
	if (store_conversation_get(t->store, id, &info, &msgs, &n, cause) !=
	    0)
		return -1;
	/* The path from the leaf back to the root. */
	m = find_msg(msgs, n, session_leaf(t->session));
	while (m != NULL && np <= n) {
		path = xrealloc(path, (np + 1) * sizeof *path);
		path[np++] = m;
		m = m->parent_id != 0 ? find_msg(msgs, n, m->parent_id) : NULL;
	}
	for (i = np; i-- > 0;) {
		m = path[i];
		if (m->role == ROLE_USER) {
			it = transcript_add(t->tr, ITEM_USER, m->content !=
			    NULL ? m->content : "");
			it->msg_id = m->id;
			item_count_branches(it, m, msgs, n);
			/* Switching branches shows the same prompts again. */
			if (leaf < 0)
				editor_history_add(t->ed, m->content != NULL ?
				    m->content : "");
			continue;
		}
		if (m->role != ROLE_ASSISTANT)
			continue;
		it = transcript_add(t->tr, ITEM_ASSISTANT, NULL);
		it->parent_id = m->parent_id;
		for (j = 0; j < n; j++) {
			if (msgs[j].role != ROLE_ASSISTANT ||
			    msgs[j].parent_id != m->parent_id)
				continue;
			label = xasprintf("%s:%s", msgs[j].provider != NULL ?
			    msgs[j].provider : "?", msgs[j].model != NULL ?
			    msgs[j].model : "?");
			v = item_add_variant(it, label, msgs[j].content,
			    variant_status(msgs[j].status), msgs[j].id);
			free(label);
			if (msgs[j].error != NULL)
				v->error = clean_line(msgs[j].error);
			tui_lang_check_later(t, v);
			t->layout_due = true;
			if (msgs[j].usage.input > 0)
				t->tok_in += msgs[j].usage.input;
			if (msgs[j].usage.output > 0)
				t->tok_out += msgs[j].usage.output;
			if (msgs[j].cost >= 0)
				t->cost += msgs[j].cost;
		}
		for (j = 0; j < it->nv; j++)
			if (it->v[j].msg_id == m->id)
				it->cur = j;
	}
	/* A last prompt whose answers all failed: show them too. */
	if (np > 0 && path[0]->role == ROLE_USER) {
		it = NULL;
		for (j = 0; j < n; j++) {
			if (msgs[j].role != ROLE_ASSISTANT ||
			    msgs[j].parent_id != path[0]->id)
				continue;
			if (it == NULL) {
				it = transcript_add(t->tr, ITEM_ASSISTANT, NULL);
				it->parent_id = path[0]->id;
			}
			label = xasprintf("%s:%s", msgs[j].provider != NULL ?
			    msgs[j].provider : "?", msgs[j].model != NULL ?
			    msgs[j].model : "?");
			v = item_add_variant(it, label, msgs[j].content,
			    variant_status(msgs[j].status), msgs[j].id);
			free(label);
			if (msgs[j].error != NULL)
				v->error = clean_line(msgs[j].error);
		}
	}
	free(t->title);
	t->title = info.title != NULL ? xstrdup(info.title) : NULL;
	free(path);
	stored_messages_free(msgs, n);
	conversation_info_release(&info);
	tui_budget_refresh(t);
	transcript_follow(t->tr);
	t->dirty = true;
	return 0;
}

/* The title shown while nothing names the conversation: the first line of
 * the first prompt. */
static void
default_title(struct tui *t, const char *prompt)
{
	const char	*nl;

	if (t->title != NULL)
		return;
	nl = strchr(prompt, '\n');
	t->title = nl != NULL ? xstrndup(prompt, (size_t)(nl - prompt)) :
	    xstrdup(prompt);
}

static struct send_options
send_options(struct tui *t)
{
	struct send_options	o = t->opts->send;

	o.system = t->system;
	return o;
}

int
tui_send(struct tui *t, const char *prompt)
{
	struct send_options	 o = send_options(t);
	struct item		*it, *pit;
	size_t			 keep;
	bool			 branched = false;
	struct variant		*v;
	struct answer		*a;
	const char		*one[1];
	const char *const	*specs = one;
	size_t			 nspecs = 1, i;
	char			*cause = NULL;

	if (session_busy(t->session)) {
		if (t->queued != NULL) {
			tui_note(t, "a prompt is already waiting for the "
			    "answer to end (Esc stops it)");
			return -1;
		}
		t->queued = xstrdup(prompt);
		tui_note(t, "sent when the answer ends (Esc stops it)");
		return 0;
	}
	one[0] = t->model;
	if (t->nfan > 0) {
		specs = (const char *const *)t->fan;
		nspecs = t->nfan;
	}
	if (tui_budget_check(t, prompt, specs, nspecs) != 0)
		return -1;
	keep = transcript_count(t->tr);
	if (t->edit_from != 0 && tui_branch_begin(t, &keep) != 0)
		return -1;
	if (session_send(t->session, prompt, specs, nspecs, &o, &cause) !=
	    0) {
		tui_info(t, ITEM_ERROR, "%s", cause != NULL ? cause :
		    "cannot send");
		free(cause);
		return -1;
	}
	editor_history_add(t->ed, prompt);
	prompts_append(t, prompt);
	if (keep < transcript_count(t->tr)) {
		/* An edited prompt: its new branch replaces what followed. */
		tui_compare_close(t);
		transcript_truncate(t->tr, keep);
		branched = true;
	}
	pit = transcript_add(t->tr, ITEM_USER, prompt);
	pit->msg_id = session_prompt_id(t->session);
	if (branched)
		tui_branch_count(t, pit);
	it = transcript_add(t->tr, ITEM_ASSISTANT, NULL);
	it->parent_id = session_prompt_id(t->session);
	for (i = 0; i < nspecs; i++) {
		a = session_answer(t->session, i);
		v = item_add_variant(it, t->model, NULL, MSG_STREAMING,
		    a->msg_id);
		free(v->label);
		if (nspecs > 1 && t->nfan > 0 && strcmp(t->fan[0],
		    t->fan[nspecs - 1]) == 0)
			v->label = xasprintf("%s:%s #%zu", a->provider,
			    a->model, i + 1);
		else
			v->label = xasprintf("%s:%s", a->provider, a->model);
		v->request_id = a->request_id;
	}
	/* The first answer is the one later prompts continue from. */
	it->cur = 0;
	if (nspecs > 1)
		tui_compare_open(t, it);
	else
		tui_compare_close(t);
	default_title(t, prompt);
	t->deltas = 0;
	transcript_follow(t->tr);
	t->dirty = true;
	return 0;
}

/*
 * The turn's prompt may be stored late (when its answer ends, or when a
 * retry finds the store working again): give its id to the answer item
 * and the prompt item, so that a retry adds a sibling under that row
 * instead of storing the prompt again.
 */
static void
sync_prompt_id(struct tui *t, struct item *it, struct item *pit)
{
	int64_t	id = session_prompt_id(t->session);

	if (id == 0 || it == NULL || it->parent_id != 0)
		return;
	it->parent_id = id;
	if (pit != NULL && pit->msg_id == 0)
		pit->msg_id = id;
}

void
tui_retry(struct tui *t)
{
	struct send_options	 o = send_options(t);
	struct item		*it, *pit;
	struct variant		*v;
	struct answer		*a;
	const char		*specs[1];
	char			*cause = NULL;

	if (session_busy(t->session)) {
		tui_note(t, "wait for the answer to end, or stop it with Esc");
		return;
	}
	if ((it = transcript_turn_answer(t->tr, &pit)) == NULL) {
		tui_note(t, "there is no answer to ask again");
		return;
	}
	specs[0] = t->model;
	if (tui_budget_check(t, "", specs, 1) != 0)
		return;
	tui_compare_close(t);
	if (session_retry(t->session, it->parent_id, specs, 1, &o,
	    &cause) != 0) {
		tui_note(t, "%s", cause != NULL ? cause : "cannot retry");
		free(cause);
		return;
	}
	/* A prompt the store could not take at first is stored now. */
	sync_prompt_id(t, it, pit);
	a = session_answer(t->session, 0);
	v = item_add_variant(it, NULL, NULL, MSG_STREAMING, a->msg_id);
	free(v->label);
	v->label = xasprintf("%s:%s", a->provider, a->model);
	v->request_id = a->request_id;
	t->deltas = 0;
	transcript_touch(t->tr, it);
	transcript_follow(t->tr);
}

void
tui_switch_sibling(struct tui *t, int dir)
{
	struct item	*it = transcript_last_answer(t->tr);
	struct variant	*v;
	const char	*src;
	size_t		 len;
	char		*text;

	if (it == NULL || it->nv < 2)
		return;
	if (session_busy(t->session)) {
		tui_note(t, "wait for the answer to end");
		return;
	}
	if (dir < 0 && it->cur == 0)
		return;
	if (dir > 0 && it->cur + 1 >= it->nv)
		return;
	it->cur = dir < 0 ? it->cur - 1 : it->cur + 1;
	v = &it->v[it->cur];
	/* Later prompts continue from the answer shown. */
	if (transcript_turn_answer(t->tr, NULL) == it) {
		src = md_source(v->md, &len);
		text = xstrndup(src, len);
		session_select(t->session, text, v->msg_id);
		free(text);
	}
	it->width = 0;
	transcript_touch(t->tr, it);
	t->dirty = true;
}

/* ------------------------------------------------------------------ */
/* The demo */

static int
start_demo(struct tui *t, char **cause)
{
	char	*path;

	if ((t->demo = demo_start(cause)) == NULL)
		return -1;
	if ((t->own_config = demo_config(t->demo, cause)) == NULL)
		return -1;
	t->config = t->own_config;
	path = xasprintf("%s/history.db", demo_dir(t->demo));
	t->own_store = store_open(path, 0, cause);
	free(path);
	if (t->own_store == NULL)
		return -1;
	t->store = t->own_store;
	t->spend_store = t->store;
	free(t->model);
	t->model = xstrdup("demo:demo");
	return 0;
}

/* ------------------------------------------------------------------ */
/* Network events */

static void
end_answer(struct tui *t, struct answer *a, struct variant *v)
{
	char	*line;

	md_finish(v->md);
	switch (a->status) {
	case NET_STATUS_COMPLETE:
		v->status = MSG_COMPLETE;
		break;
	case NET_STATUS_CANCELLED:
		v->status = MSG_CANCELLED;
		break;
	case NET_STATUS_CUT:
		v->status = MSG_CUT;
		break;
	case NET_STATUS_ERROR:
		v->status = MSG_ERROR;
		break;
	}
	if (a->status == NET_STATUS_CUT || a->status == NET_STATUS_ERROR) {
		line = answer_error_line(a);
		free(v->error);
		v->error = clean_line(line);
		free(line);
	}
	v->request_id = 0;
	v->msg_id = a->msg_id;
	tui_lang_check(t, v);
	if (a->text.len > 0) {
		bool		 uncertain;
		const char	*code = answer_lang_guess(a, &uncertain);

		snprintf(t->lang, sizeof t->lang, "%s%s", code,
		    *code != '\0' && uncertain ? "?" : "");
	}
	if (a->usage.input > 0)
		t->tok_in += a->usage.input;
	if (a->usage.output > 0)
		t->tok_out += a->usage.output;
	if (a->cost >= 0)
		t->cost += a->cost;
	else
		t->cost_unknown = true;
	tui_budget_refresh(t);
}

static void
net_events(struct tui *t)
{
	struct net_event	*ev;
	struct answer		*a;
	struct variant		*v;
	struct item		*it, *pit;
	char			*line;

	while ((ev = net_next(t->net)) != NULL) {
		a = session_event(t->session, ev);
		v = a != NULL ? transcript_find_request(t->tr, ev->request_id,
		    &it) : NULL;
		if (v == NULL) {
			net_event_free(ev);
			continue;
		}
		switch (ev->type) {
		case NET_EV_TEXT:
		case NET_EV_REFUSAL:
			md_append(v->md, ev->text, ev->len);
			t->deltas++;
			transcript_touch(t->tr, it);
			break;
		case NET_EV_RETRY:
			line = net_error_line(a->provider, &ev->error);
			tui_note(t, "%s; retrying in %.1f s", line,
			    (double)ev->error.retry_after_ms / 1000.0);
			free(line);
			break;
		case NET_EV_DONE:
			end_answer(t, a, v);
			if (transcript_turn_answer(t->tr, &pit) == it)
				sync_prompt_id(t, it, pit);
			transcript_touch(t->tr, it);
			break;
		default:
			break;
		}
		t->dirty = true;
		net_event_free(ev);
	}
	if (!session_busy(t->session) && t->queued != NULL) {
		char *q = t->queued;

		t->queued = NULL;
		tui_send(t, q);
		free(q);
	}
}

/*
 * Cancel what streams and wait (briefly) for the ends, so that the answers
 * are stored as cancelled rather than left "streaming".
 */
static void
stop_answers(struct tui *t)
{
	struct pollfd	pfd;

	if (!session_busy(t->session))
		return;
	free(t->queued);
	t->queued = NULL;
	session_cancel(t->session);
	while (session_busy(t->session)) {
		pfd.fd = net_fd(t->net);
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, 1, 500) <= 0)
			break;
		net_events(t);
	}
}

/* ------------------------------------------------------------------ */
/* Drawing */

static const char *const spinner[] = {
	"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"
};

static void
draw_status(struct tui *t, int y)
{
	struct buf	 l, r;
	struct answer	*a;
	int		 attr = screen_attr(TS_STATUS), x = 0, rw;
	int64_t		 now_us = clock_us(), toks;
	double		 secs;

	buf_init(&l, BUF_NO_LIMIT);
	buf_init(&r, BUF_NO_LIMIT);
	buf_addstr(&l, "");
	buf_addstr(&r, "");
	if (t->note != NULL && clock_ms() < t->note_until)
		buf_addf(&l, " %s", t->note);
	else {
		if (t->nfan > 1 && strcmp(t->fan[0], t->fan[1]) == 0)
			buf_addf(&l, " %s ×%zu", t->fan[0], t->nfan);
		else if (t->nfan > 0) {
			size_t	i;

			for (i = 0; i < t->nfan; i++)
				buf_addf(&l, "%s%s", i > 0 ? " · " : " ",
				    t->fan[i]);
		} else
			buf_addf(&l, " %s", t->model);
		if (t->title != NULL)
			buf_addf(&l, " │ %s", t->title);
	}
	a = session_busy(t->session) ? session_answer(t->session, 0) : NULL;
	if (a != NULL) {
		secs = (double)(now_us - a->start_us) / 1e6;
		buf_addf(&r, "%s %.1fs", spinner[t->spin % 10], secs);
		if (a->first_us > 0 && a->text.len == 0 && a->reasoning.len > 0)
			buf_addstr(&r, " · thinking");
		if (a->first_us > 0) {
			buf_addf(&r, " · ttft %lld ms", (long long)((a->first_us -
			    a->start_us) / 1000));
			toks = a->usage.output > 0 ? a->usage.output :
			    (int64_t)t->deltas;
			secs = (double)(now_us - a->first_us) / 1e6;
			if (secs > 0.05)
				buf_addf(&r, " · %.0f tok/s", (double)toks /
				    secs);
		}
		buf_addstr(&r, " ");
	} else {
		tui_lang_status(t, &r);
		buf_addf(&r, "in %lld out %lld", (long long)t->tok_in,
		    (long long)t->tok_out);
		if (t->cost > 0 || !t->cost_unknown)
			buf_addf(&r, " · $%.4f%s", t->cost, t->cost_unknown ?
			    "+?" : "");
	}
	move(y, 0);
	if (t->demo != NULL)
		x = screen_put(y, 0, " demo ", 6, t->cols,
		    screen_attr(TS_STATUS_DEMO));
	/* The spend against the budgets, when it leaves the model and title
	 * some room (tolk usage --today shows it too). */
	if (a == NULL && t->spend_line != NULL &&
	    (int)(width_text(r.data, r.len) +
	    width_text(t->spend_line, strlen(t->spend_line))) + 4 <=
	    t->cols - x - 30)
		buf_addf(&r, " │ %s", t->spend_line);
	if (a == NULL)
		buf_addstr(&r, " ");
	rw = (int)width_text(r.data, r.len);
	if (rw > t->cols - x - 10)
		rw = 0;
	/* A model and title too long for the room end in "…" and a space
	 * before the right part. */
	if ((int)width_text(l.data, l.len) > t->cols - x - rw - 1 &&
	    t->cols - x - rw - 3 > 0) {
		x += screen_put(y, x, l.data, l.len, t->cols - x - rw - 3,
		    attr);
		x += screen_put(y, x, "…", strlen("…"), 1, attr);
	} else
		x += screen_put(y, x, l.data, l.len, t->cols - x - rw - 1,
		    attr);
	screen_clear_to_eol(y, x, attr);
	if (rw > 0)
		screen_put(y, t->cols - rw, r.data, r.len, rw, attr);
	buf_release(&l);
	buf_release(&r);
}

static void
draw_chat(struct tui *t)
{
	int		 erow, ecol, ed_rows, ed_h, max_h, tr_h, y, i, first;
	size_t		 n, len;
	const char	*s, *hint;
	int		 ew = t->cols > 4 ? t->cols - 2 : t->cols;

	n = editor_layout(t->ed, ew, &erow, &ecol);
	ed_rows = (int)n;
	max_h = t->rows / 3 > 1 ? t->rows / 3 : 1;
	ed_h = ed_rows < max_h ? ed_rows : max_h;
	tr_h = t->rows - ed_h - 2;
	if (tr_h < 1) {
		ed_h = t->rows - 3 > 0 ? t->rows - 3 : 1;
		tr_h = t->rows - ed_h - 2;
	}
	if (t->cmp != NULL)
		tui_compare_draw(t, 0, tr_h, t->cols);
	else {
		tui_annot_sync(t);
		transcript_draw(t->tr, 0, tr_h, t->cols);
	}
	/* The rule above the editor, with a hint. */
	y = tr_h;
	move(y, 0);
	for (i = 0; i < t->cols; i++)
		screen_put(y, i, "─", 3, 1, screen_attr(TS_INPUT_BORDER));
	if (t->cmp != NULL && t->blind != NULL)
		hint = tui_blind_hint(t);
	else if (t->cmp != NULL)
		hint = session_busy(t->session) ? " Esc stop · d diff · m "
		    "metrics · z zoom · s scroll " : " d diff · m metrics · z "
		    "zoom · s scroll · q prompt ";
	else if (t->annot != NULL)
		hint = tui_annot_hint(t);
	else if (t->selecting)
		hint = tui_select_hint(t);
	else
		hint = session_busy(t->session) ? " Esc stop · F1 help " :
		    " Enter send · Alt-Enter newline · F1 help ";
	if ((int)width_text(hint, strlen(hint)) + 4 < t->cols)
		screen_put(y, t->cols - (int)width_text(hint, strlen(hint)) - 2,
		    hint, strlen(hint), t->cols, screen_attr(TS_DIM));
	/* The editor, scrolled to keep the cursor in view. */
	first = erow - ed_h + 1 > 0 ? erow - ed_h + 1 : 0;
	for (i = 0; i < ed_h; i++) {
		y = tr_h + 1 + i;
		move(y, 0);
		clrtoeol();
		if (first + i == 0 && t->cols > 4)
			screen_put(y, 0, "❯", 3, 1, screen_attr(TS_USER_LABEL));
		s = editor_row(t->ed, (size_t)(first + i), &len);
		screen_put(y, t->cols > 4 ? 2 : 0, s, len, ew, 0);
	}
	draw_status(t, t->rows - 1);
	if (t->mode == MODE_CHAT && (t->cmp != NULL || t->selecting))
		curs_set(0);	/* the view or the selection has the keys */
	else if (t->mode == MODE_CHAT) {
		curs_set(1);
		move(tr_h + 1 + erow - first, (t->cols > 4 ? 2 : 0) +
		    (ecol < ew ? ecol : ew - 1));
	}
	if (t->annot != NULL && t->cmp == NULL)
		tui_annot_draw(t, tr_h);
}

static const char *const first_run_text[] = {
	"Welcome to tolk",
	"",
	"No model is set up yet: no API key is set and no local Ollama",
	"answers. To talk to a model, set a key, for example",
	"",
	"    export OPENAI_API_KEY=sk-...",
	"",
	"(or ANTHROPIC_API_KEY, GEMINI_API_KEY, MISTRAL_API_KEY,",
	"OPENROUTER_API_KEY), or point tolk at any OpenAI-compatible",
	"server in ~/.config/tolk/config:",
	"",
	"    [provider local]",
	"    api = openai",
	"    base_url = http://127.0.0.1:8080/v1",
	"    models = my-model",
	"",
	"or start Ollama and run tolk again. `tolk models` shows which",
	"providers and keys tolk sees.",
	"",
	"Press d to try the demo (a local server with sample answers),",
	"q to quit.",
};

static void
draw_first_run(struct tui *t)
{
	size_t	i, n = sizeof first_run_text / sizeof first_run_text[0];
	int	y0 = t->rows > (int)n + 2 ? (t->rows - (int)n) / 2 : 0, x0;

	erase();
	x0 = t->cols > 70 ? (t->cols - 66) / 2 : 1;
	for (i = 0; i < n && y0 + (int)i < t->rows; i++)
		screen_put(y0 + (int)i, x0, first_run_text[i],
		    strlen(first_run_text[i]), t->cols - x0, i == 0 ?
		    screen_attr(TS_HEADING) : 0);
	if (t->note != NULL)
		draw_status(t, t->rows - 1);
	curs_set(0);
}

static void
draw(struct tui *t)
{
	screen_size(&t->rows, &t->cols);
	if (t->full_redraw) {
		clearok(curscr, TRUE);
		t->full_redraw = false;
	}
	if (t->rows < 3 || t->cols < 8) {
		erase();
		screen_put(0, 0, "tolk: too small", 15, t->cols, A_BOLD);
		curs_set(0);
		refresh();
		return;
	}
	if (t->mode == MODE_FIRST_RUN)
		draw_first_run(t);
	else if (t->mode == MODE_INSPECT)
		inspect_draw(t);
	else {
		draw_chat(t);
		if (t->mode == MODE_HELP)
			help_draw(t);
		else if (t->mode == MODE_MENU)
			menu_draw(t);
	}
	refresh();
	t->dirty = false;
}

/* ------------------------------------------------------------------ */
/* $VISUAL / $EDITOR */

static void
external_editor(struct tui *t)
{
	const char	*ed = getenv("VISUAL"), *text, *tmp;
	char		*path, *cmd;
	struct buf	 b;
	size_t		 len;
	int		 fd, status = 0;
	pid_t		 pid;
	FILE		*f;

	if (ed == NULL || *ed == '\0')
		ed = getenv("EDITOR");
	if (ed == NULL || *ed == '\0')
		ed = "vi";
	tmp = getenv("TMPDIR");
	path = xasprintf("%s/tolk-draft-XXXXXX.md", tmp != NULL && *tmp !=
	    '\0' ? tmp : "/tmp");
	if ((fd = mkstemps(path, 3)) < 0) {
		tui_note(t, "cannot create a file for the editor: %s",
		    strerror(errno));
		free(path);
		return;
	}
	text = editor_text(t->ed, &len);
	if (write(fd, text, len) != (ssize_t)len)
		tui_note(t, "cannot write '%s'", path);
	close(fd);
	screen_end();
	cmd = xasprintf("%s \"$1\"", ed);
	pid = fork();
	if (pid == 0) {
		sigpipe_close();
		if (saved_stderr >= 0)
			dup2(saved_stderr, STDERR_FILENO);
		execl("/bin/sh", "sh", "-c", cmd, "sh", path, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	free(cmd);
	reset_prog_mode();
	screen_raw("\033[?2004h\033[?1000h\033[?1006h", 22);
	t->full_redraw = true;
	t->dirty = true;
	if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		tui_note(t, "the editor '%s' failed: the draft is unchanged",
		    ed);
		(void)unlink(path);
		free(path);
		return;
	}
	if ((f = fopen(path, "r")) != NULL) {
		buf_init(&b, 64u * 1024 * 1024);
		(void)buf_add_stream(&b, f);
		fclose(f);
		/* Editors end the file with a newline the user did not
		 * type. */
		if (b.len > 0 && b.data[b.len - 1] == '\n')
			b.len--;
		editor_set_text(t->ed, b.data != NULL ? b.data : "", b.len);
		buf_release(&b);
	}
	(void)unlink(path);
	free(path);
}

/* ------------------------------------------------------------------ */
/* Keys */

static void
send_draft(struct tui *t)
{
	const char	*text;
	char		*s;
	size_t		 len, i;

	text = editor_text(t->ed, &len);
	for (i = 0; i < len; i++)
		if (text[i] != ' ' && text[i] != '\n' && text[i] != '\t')
			break;
	if (i == len)
		return;
	s = xstrndup(text, len);
	if (s[0] == '/' && s[1] != '/') {
		editor_history_add(t->ed, s);
		editor_clear(t->ed);
		tui_command(t, s);
	} else {
		editor_clear(t->ed);
		/* "//x" sends "/x". */
		if (tui_send(t, s[0] == '/' ? s + 1 : s) != 0)
			editor_set_text(t->ed, s, len);
	}
	free(s);
}

static void
chat_key(struct tui *t, const struct key *k, enum action a)
{
	char	buf[8];
	size_t	n;
	int	ew = t->cols > 4 ? t->cols - 2 : t->cols;
	int	page = t->rows > 8 ? t->rows - 6 : 1;
	bool	empty = editor_empty(t->ed);

	if (a != ACT_INTERRUPT)
		t->interrupts = 0;
	if (t->cmp != NULL && tui_compare_key(t, k, a))
		return;
	if (t->annot != NULL && tui_annot_key(t, k, a))
		return;
	if (t->selecting && tui_select_key(t, k, a))
		return;
	switch (a) {
	case ACT_NONE:
		if (k->mods == 0 && k->code > 0 && k->code < K_BASE) {
			if (k->code == '?' && empty) {
				t->mode = MODE_HELP;
				t->help_top = 0;
				break;
			}
			n = utf8_encode(k->code, buf);
			editor_insert(t->ed, buf, n);
		} else if (k->mods == 0 && k->code == K_SPACE)
			editor_insert(t->ed, " ", 1);
		else if (k->mods == MOD_SHIFT && k->code == K_SPACE)
			editor_insert(t->ed, " ", 1);
		break;
	case ACT_SEND:
		send_draft(t);
		break;
	case ACT_CANCEL:
		if (session_busy(t->session))
			session_cancel(t->session);
		else
			tui_edit_cancel(t);
		break;
	case ACT_INTERRUPT:
		if (session_busy(t->session))
			session_cancel(t->session);
		else if (!empty)
			editor_clear(t->ed);
		else if (++t->interrupts >= 2)
			t->quit = true;
		else
			tui_note(t, "press C-c again or C-d to quit");
		break;
	case ACT_QUIT:
		t->quit = true;
		break;
	case ACT_EOF:
		if (empty)
			t->quit = true;
		else
			editor_action(t->ed, a, ew);
		break;
	case ACT_LEFT:
	case ACT_RIGHT:
		if (empty)
			tui_switch_sibling(t, a == ACT_LEFT ? -1 : 1);
		else
			editor_action(t->ed, a, ew);
		break;
	case ACT_PREV_SIBLING:
		tui_switch_sibling(t, -1);
		break;
	case ACT_NEXT_SIBLING:
		tui_switch_sibling(t, 1);
		break;
	case ACT_LINE_START:
	case ACT_LINE_END:
		if (empty && k->code == K_HOME)
			transcript_scroll_top(t->tr);
		else if (empty && k->code == K_END)
			transcript_follow(t->tr);
		else
			editor_action(t->ed, a, ew);
		break;
	case ACT_UP:
	case ACT_DOWN:
		if (!editor_action(t->ed, a, ew))
			editor_history_move(t->ed, a == ACT_UP ? -1 : 1);
		break;
	case ACT_EXTERNAL_EDITOR:
		external_editor(t);
		break;
	case ACT_PAGE_UP:
		transcript_scroll(t->tr, -page);
		break;
	case ACT_PAGE_DOWN:
		transcript_scroll(t->tr, page);
		break;
	case ACT_SCROLL_UP:
		transcript_scroll(t->tr, -3);
		break;
	case ACT_SCROLL_DOWN:
		transcript_scroll(t->tr, 3);
		break;
	case ACT_TOP:
		transcript_scroll_top(t->tr);
		break;
	case ACT_BOTTOM:
		transcript_follow(t->tr);
		break;
	case ACT_HISTORY:
		menu_open_history(t);
		break;
	case ACT_MODEL:
		menu_open_models(t);
		break;
	case ACT_HELP:
		t->mode = MODE_HELP;
		t->help_top = 0;
		break;
	case ACT_COMPLETE:
		tui_complete(t);
		break;
	case ACT_REDRAW:
		t->full_redraw = true;
		break;
	case ACT_COMPARE:
		if (tui_compare_open(t, transcript_last_answer(t->tr)) != 0)
			tui_note(t, "the last answer has no sibling to compare "
			    "with (/retry, /compare, /sample)");
		break;
	case ACT_SELECT:
		tui_select_enter(t);
		break;
	case ACT_SUSPEND:
		/* The terminal is raw: C-z is a key. Stop through the
		 * signal path, which gives the terminal back first. */
		raise(SIGTSTP);
		break;
	default:
		editor_action(t->ed, a, ew);
		break;
	}
}

static void
first_run_key(struct tui *t, const struct key *k, enum action a)
{
	char	*cause = NULL;

	if (k->code == 'q' || a == ACT_QUIT || a == ACT_CANCEL ||
	    a == ACT_INTERRUPT || a == ACT_EOF) {
		t->quit = true;
		return;
	}
	if (k->code != 'd' || k->mods != 0)
		return;
	if (start_demo(t, &cause) != 0) {
		tui_note(t, "cannot start the demo: %s", cause != NULL ? cause :
		    "unknown error");
		free(cause);
		return;
	}
	session_free(t->session);
	t->session = session_create(t->config, t->net, t->store);
	t->mode = MODE_CHAT;
	tui_info(t, ITEM_INFO, "This is the demo: a local server answers with "
	    "sample texts. Type a prompt and press Enter.");
}

static void
handle_key(struct tui *t, const struct key *k)
{
	enum action	 a;
	const char	*paste;
	size_t		 len;

	t->dirty = true;
	if (k->code == K_PASTE_END) {
		paste = keydec_paste(t->kd, &len);
		if (t->mode == MODE_CHAT && t->annot != NULL)
			tui_annot_paste(t, paste, len);
		else if (t->mode == MODE_CHAT)
			editor_insert(t->ed, paste, len);
		else if (t->mode == MODE_MENU && t->menu.kind == MENU_HISTORY) {
			(void)buf_add(&t->menu.query, paste, len);
			menu_key(t, k, ACT_NONE);
		}
		return;
	}
	if (t->has_prefix) {
		t->has_prefix = false;
		a = keys_lookup(k, &t->prefix);
	} else if (keys_is_prefix(k)) {
		t->prefix = *k;
		t->has_prefix = true;
		return;
	} else
		a = keys_lookup(k, NULL);
	switch (t->mode) {
	case MODE_FIRST_RUN:
		first_run_key(t, k, a);
		break;
	case MODE_HELP:
		help_key(t, k, a);
		break;
	case MODE_MENU:
		menu_key(t, k, a);
		break;
	case MODE_CHAT:
		chat_key(t, k, a);
		break;
	case MODE_INSPECT:
		inspect_key(t, k, a);
		break;
	}
}

static void
read_terminal(struct tui *t)
{
	char	buf[65536];
	ssize_t	n;

	for (;;) {
		n = read(STDIN_FILENO, buf, sizeof buf);
		if (n > 0) {
			keydec_feed(t->kd, buf, (size_t)n);
			if ((size_t)n < sizeof buf)
				return;
			continue;
		}
		if (n == 0) {
			t->quit = true;	/* the terminal went away */
			return;
		}
		if (errno != EINTR)
			return;
	}
}

static void
process_keys(struct tui *t, bool flush)
{
	struct key	k;

	while (!t->quit && keydec_next(t->kd, &k, flush) == 1)
		handle_key(t, &k);
}

static void
handle_signals(struct tui *t)
{
	struct winsize	ws;
	int		sig;

	while ((sig = sigpipe_next()) != 0) {
		switch (sig) {
		case SIGWINCH:
			if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
			    ws.ws_row > 0 && ws.ws_col > 0)
				resizeterm(ws.ws_row, ws.ws_col);
			t->full_redraw = true;
			t->dirty = true;
			break;
		case SIGTSTP:
			screen_end();
			signal(SIGTSTP, SIG_DFL);
			raise(SIGTSTP);
			/* Stopped here until SIGCONT. */
			sigpipe_rearm(SIGTSTP);
			/* FALLTHROUGH */
		case SIGCONT:
			reset_prog_mode();
			screen_raw("\033[?2004h\033[?1000h\033[?1006h", 22);
			t->full_redraw = true;
			t->dirty = true;
			break;
		case SIGINT:
			if (session_busy(t->session))
				session_cancel(t->session);
			else
				t->quit = true;
			break;
		default:	/* SIGTERM, SIGHUP */
			t->quit = true;
			break;
		}
	}
}

static int
loop_timeout(struct tui *t, int64_t last_draw)
{
	int64_t	now = clock_ms();
	int	to = -1, d;

	if (t->dirty) {
		d = (int)(last_draw + FRAME_MS - now);
		to = d > 0 ? d : 0;
	}
	if (keydec_pending(t->kd))
		to = to < 0 || to > ESC_DELAY_MS ? ESC_DELAY_MS : to;
	if (session_busy(t->session)) {
		d = (int)(t->spin_ms + SPIN_MS - now);
		if (d < 0)
			d = 0;
		to = to < 0 || to > d ? d : to;
	}
	d = session_checkpoint_due(t->session);
	if (d >= 0)
		to = to < 0 || to > d ? d : to;
	/* Language checks left: do them between frames and keys (but let
	 * a lone ESC wait for the rest of its sequence). */
	if ((t->lc_due || t->layout_due) && !keydec_pending(t->kd))
		to = 0;
	if (t->note != NULL && t->note_until > now) {
		d = (int)(t->note_until - now);
		to = to < 0 || to > d ? d : to;
	}
	return to;
}

static int
run_loop(struct tui *t)
{
	struct pollfd	pfd[4];
	int64_t		last_draw = 0, now;
	int		timeout, r;
	bool		flush;

	pfd[0].fd = STDIN_FILENO;
	pfd[0].events = POLLIN;
	pfd[1].fd = net_fd(t->net);
	pfd[1].events = POLLIN;
	pfd[2].fd = sigpipe_fd();
	pfd[2].events = POLLIN;
	pfd[3].fd = err_pipe[0];	/* -1: ignored */
	pfd[3].events = POLLIN;
	t->dirty = true;
	while (!t->quit) {
		now = clock_ms();
		if (t->dirty && now - last_draw >= FRAME_MS) {
			draw(t);
			last_draw = now;
		}
		timeout = loop_timeout(t, last_draw);
		r = poll(pfd, 4, timeout);
		if (r < 0 && errno != EINTR)
			return -1;
		flush = false;
		if (r > 0 && (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)))
			read_terminal(t);
		else if (keydec_pending(t->kd))
			flush = true;	/* a lone ESC waited long enough */
		process_keys(t, flush);
		if (r > 0 && (pfd[2].revents & POLLIN))
			handle_signals(t);
		net_events(t);
		session_checkpoint(t->session, false);
		read_stderr(t);
		if (t->layout_due)
			t->layout_due = transcript_layout_due(t->tr,
			    LAYOUT_DUE_BATCH);
		else
			(void)tui_lang_run_due(t, LANG_DUE_BATCH);
		now = clock_ms();
		if (session_busy(t->session) && now - t->spin_ms >= SPIN_MS) {
			t->spin++;
			t->spin_ms = now;
			t->dirty = true;
		}
		if (t->note != NULL && now >= t->note_until) {
			free(t->note);
			t->note = NULL;
			t->dirty = true;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */

static bool
utf8_locale(const char **name)
{
	const char	*cs = nl_langinfo(CODESET);

	*name = cs != NULL ? cs : "?";
	return cs != NULL && (strcasecmp(cs, "UTF-8") == 0 ||
	    strcasecmp(cs, "utf8") == 0);
}

int
tui_run(struct config *config, struct store *store,
    const struct tui_options *opts)
{
	static const int	 caught[] = { SIGWINCH, SIGINT, SIGTERM, SIGHUP,
				     SIGTSTP, SIGCONT };
	struct tui		 t;
	struct net_options	 nopt;
	const char		*cs;
	char			*cause = NULL;
	int			 r = EXIT_FAIL;
	bool			 screen = false;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		tolk_warn("the full-screen interface needs a terminal: use "
		    "tolk -p PROMPT in scripts");
		return EXIT_USAGE;
	}
	if (!utf8_locale(&cs)) {
		tolk_warn("the full-screen interface needs a UTF-8 locale, "
		    "and the current one uses %s: set LANG=C.UTF-8 (or another "
		    "UTF-8 locale that `locale -a` lists)", cs);
		return EXIT_USAGE;
	}
	memset(&t, 0, sizeof t);
	t.config = config;
	t.store = opts->no_log ? NULL : store;
	t.spend_store = store;
	t.opts = opts;
	t.model = xstrdup(opts->model != NULL ? opts->model :
	    config_default_model(config));
	if (opts->send.system != NULL)
		t.system = xstrdup(opts->send.system);
	keys_init();
	if (keys_load(config, &cause) != 0)
		goto fail_usage;
	if (opts->demo && start_demo(&t, &cause) != 0)
		goto fail_usage;
	if (sigpipe_open(caught, sizeof caught / sizeof caught[0],
	    &cause) < 0)
		goto fail;
	net_options_init(&nopt);
	nopt.stall_timeout_ms = (long)config_stall_timeout(t.config) * 1000;
	/* stderr is the screen: --debug is for 2>FILE */
	nopt.debug = opts->debug && !isatty(STDERR_FILENO);
	if ((t.net = net_create(&nopt, &cause)) == NULL)
		goto fail;
	capture_stderr();
	t.session = session_create(t.config, t.net, t.store);
	if (opts->no_log && store != NULL)
		session_keep_spend(t.session, store);
	t.tr = transcript_create();
	t.ed = editor_create();
	t.kd = keydec_create();
	prompts_load(&t);
	tui_budget_refresh(&t);
	if (opts->continue_latest || opts->conversation > 0) {
		if (tui_open_conversation(&t, opts->conversation, &cause) != 0)
			goto fail_usage;
	}
	draft_load(&t);
	if (opts->ncompare > 0)
		tui_set_fan(&t, opts->compare, opts->ncompare);
	else if (opts->samples > 1)
		tui_set_samples(&t, opts->samples);
	t.mode = opts->first_run && !opts->demo ? MODE_FIRST_RUN : MODE_CHAT;
	if (t.demo != NULL)
		tui_info(&t, ITEM_INFO, "This is the demo: a local server "
		    "answers with sample texts. Type a prompt and press Enter.");
	if (screen_init(&cause) != 0)
		goto fail_usage;
	screen = true;
	if (run_loop(&t) != 0)
		cause = xasprintf("poll: %s", strerror(errno));
	stop_answers(&t);
	session_checkpoint(t.session, true);
	draft_save(&t);
	r = cause == NULL ? EXIT_OK : EXIT_FAIL;
	goto out;

fail_usage:
	r = EXIT_USAGE;
fail:
out:
	if (screen)
		screen_end();
	restore_stderr();
	if (cause != NULL) {
		tolk_warn("%s", cause);
		free(cause);
	}
	sigpipe_close();
	menu_release(&t.menu);
	tui_inspect_close(&t);
	tui_annot_close(&t);
	tui_compare_close(&t);
	tui_set_fan(&t, NULL, 0);
	session_free(t.session);
	net_free(t.net);
	transcript_free(t.tr);
	editor_free(t.ed);
	keydec_free(t.kd);
	if (t.own_store != NULL)
		store_close(t.own_store);
	if (t.own_config != NULL)
		config_free(t.own_config);
	demo_stop(t.demo);
	free(t.model);
	free(t.system);
	free(t.title);
	free(t.note);
	free(t.queued);
	free(t.spend_line);
	free(t.over_budget);
	return r;
}

void
tui_set_fan(struct tui *t, const char *const *specs, size_t n)
{
	size_t	i;

	for (i = 0; i < t->nfan; i++)
		free(t->fan[i]);
	free(t->fan);
	t->fan = NULL;
	t->nfan = 0;
	if (n == 0)
		return;
	t->fan = xcalloc(n, sizeof *t->fan);
	for (i = 0; i < n; i++)
		t->fan[i] = xstrdup(specs[i]);
	t->nfan = n;
}
