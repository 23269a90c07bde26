/*
 * tui/print.c - print mode (tolk -p): stream one answer to stdout, or
 * several at once (--compare, --samples).
 *
 * Deltas are written the moment they arrive: raw when stdout is not a
 * terminal (the bytes are the user's to pipe), sanitised when it is, so
 * that nothing a model writes can reach the terminal as a control
 * sequence. The answer ends with exactly one newline. Errors are one line
 * on stderr; the partial answer stays printed and stored.
 *
 * Several answers stream at once, and each is printed whole as soon as it
 * and the ones before it have ended, in the order the models were given:
 * a header line "== PROVIDER:MODEL ==" ("== PROVIDER:MODEL #2 ==" for the
 * second of the same model), the text ending in one newline, a line
 * "[STATUS] ERROR" for an answer that did not complete, and a blank line
 * between answers. With --json each answer is one line of JSON instead.
 *
 * The loop is DESIGN.md's: one poll() over the net wake pipe and a signal
 * self-pipe, with the checkpoint timer as its timeout.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cJSON.h>

#include "history/history.h"
#include "render/render.h"
#include "tui/budget.h"
#include "tui/commands.h"
#include "tui/langcheck.h"
#include "tui/print.h"
#include "tui/session.h"
#include "tui/sigpipe.h"

/* Where the answer goes: stdout, raw or through a sanitiser. */
struct out {
	int			 fd;
	struct sanitizer	*san;	/* NULL: raw */
	size_t			 san_done; /* clean bytes already written */
	struct buf		 pending;
	char			 last;	/* last byte written, 0 when none */
	bool			 broken; /* the reader went away */
};

static void
out_flush(struct out *o)
{
	const char	*p = o->pending.data;
	size_t		 left = o->pending.len;
	ssize_t		 w;

	while (left > 0 && !o->broken) {
		w = write(o->fd, p, left);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				struct pollfd pfd = { o->fd, POLLOUT, 0 };

				(void)poll(&pfd, 1, 100);
				continue;
			}
			o->broken = true;
			break;
		}
		p += w;
		left -= (size_t)w;
	}
	if (o->pending.len > 0)
		o->last = o->pending.data[o->pending.len - 1];
	buf_reset(&o->pending);
}

static void
out_take_clean(struct out *o)
{
	const char	*clean;
	size_t		 len;

	clean = sanitize_text(o->san, &len);
	if (len > o->san_done) {
		(void)buf_add(&o->pending, clean + o->san_done,
		    len - o->san_done);
		o->san_done = len;
	}
}

static void
out_add(struct out *o, const char *s, size_t len)
{
	if (o->san == NULL) {
		(void)buf_add(&o->pending, s, len);
		return;
	}
	sanitize_feed(o->san, s, len);
	out_take_clean(o);
}

static void
out_end(struct out *o)
{
	if (o->san != NULL) {
		sanitize_finish(o->san);
		out_take_clean(o);
	}
	out_flush(o);
	if (o->last != 0 && o->last != '\n') {
		buf_addc(&o->pending, '\n');
		out_flush(o);
	}
}

/* Reasoning goes to stderr, sanitised when stderr is a terminal. */
static void
show_reasoning(const char *s, size_t len)
{
	char	*clean;
	size_t	 n;

	if (isatty(STDERR_FILENO)) {
		clean = sanitize(s, len, SANITIZE_NORMAL, &n);
		fwrite(clean, 1, n, stderr);
		free(clean);
	} else
		fwrite(s, 1, len, stderr);
	fflush(stderr);
}

static void
show_retry(const struct answer *a, const struct net_event *ev)
{
	char	*line;

	line = net_error_line(a->provider, &ev->error);
	fprintf(stderr, "tolk: %s; retrying in %.1f s\n", line,
	    (double)ev->error.retry_after_ms / 1000.0);
	free(line);
}

static void
fmt_count(char *dst, size_t size, int64_t n)
{
	if (n < 0)
		snprintf(dst, size, "?");
	else
		snprintf(dst, size, "%lld", (long long)n);
}

static void
show_stats(const struct answer *a)
{
	char	in[32], out[32], ttft[32], tps[32], cost[32];
	double	secs;

	fmt_count(in, sizeof in, a->usage.input);
	fmt_count(out, sizeof out, a->usage.output);
	if (a->first_us > 0)
		fmt_count(ttft, sizeof ttft, (a->first_us - a->start_us) / 1000);
	else
		fmt_count(ttft, sizeof ttft, -1);
	secs = a->first_us > 0 ? (double)(a->end_us - a->first_us) / 1e6 : 0;
	if (a->usage.output >= 0 && secs > 0)
		snprintf(tps, sizeof tps, "%.1f", (double)a->usage.output / secs);
	else
		snprintf(tps, sizeof tps, "?");
	if (a->cost >= 0)
		snprintf(cost, sizeof cost, "%.6f", a->cost);
	else
		snprintf(cost, sizeof cost, "?");
	fprintf(stderr, "%s:%s  in %s  out %s  ttft %s ms  %s tok/s  $%s\n",
	    a->provider, a->model, in, out, ttft, tps, cost);
}

/*
 * With an expected language, the checks of a finished answer go to
 * stderr after it (stdout keeps the answer alone): "tolk: ⚠ answer is in
 * Croatian (hr), expected Slovenian (sl)", the answer's name first when
 * there are several.
 */
static void
show_lang_checks(struct session *s, struct answer *a, const char *name)
{
	struct langcheck	 lc;
	const char		*expect = session_expected_lang(s, NULL);
	size_t			 i;

	if (*expect == '\0' || a->text.len == 0)
		return;
	langcheck_answer(a->text.data, a->text.len, expect, &lc);
	for (i = 0; i < lc.n; i++)
		tolk_warn("%s%s%s %s", name != NULL ? name : "",
		    name != NULL ? ": " : "", langcheck_mark(&lc.line[i]),
		    lc.line[i].text);
	langcheck_release(&lc);
}

/*
 * --expect: set the conversation's expected language, or turn the checks
 * off, as /lang does in the TUI. A store that cannot keep it is told; the
 * setting holds for this answer.
 */
static void
set_expect(struct session *s, const char *expect)
{
	char	*cause = NULL;
	bool	 off = strcmp(expect, "off") == 0;

	if (session_set_expected_lang(s, off ? NULL : expect,
	    off ? EXPECT_OFF : EXPECT_USER, &cause) != 0) {
		tolk_warn("%s", cause);
		free(cause);
	}
}

/* The name of answer i in its header: "fo:normal", or "fo:normal #2"
 * when the same model answers more than once. */
static char *
answer_name(struct session *s, size_t i)
{
	struct answer	*a = session_answer(s, i), *b;
	size_t		 j, same = 0, nth = 0;

	for (j = 0; j < session_nanswers(s); j++) {
		b = session_answer(s, j);
		if (strcmp(a->provider, b->provider) != 0 ||
		    strcmp(a->model, b->model) != 0)
			continue;
		same++;
		if (j <= i)
			nth = same;
	}
	if (same > 1)
		return xasprintf("%s:%s #%zu", a->provider, a->model, nth);
	return xasprintf("%s:%s", a->provider, a->model);
}

static enum msg_status
answer_status(const struct answer *a)
{
	switch (a->status) {
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

/* One line of JSON for answer i (--json). */
static void
print_json(struct out *o, struct session *s, size_t i)
{
	struct answer	*a = session_answer(s, i);
	cJSON		*obj, *u;
	char		*name, *text, *line, *err = NULL;
	size_t		 len;

	obj = cJSON_CreateObject();
	name = xasprintf("%s:%s", a->provider, a->model);
	cJSON_AddStringToObject(obj, "model", name);
	free(name);
	text = utf8_clean(a->text.data != NULL ? a->text.data : "",
	    a->text.len, &len);
	cJSON_AddStringToObject(obj, "text", text);
	free(text);
	cJSON_AddStringToObject(obj, "status",
	    msg_status_name(answer_status(a)));
	if (a->status == NET_STATUS_CUT || a->status == NET_STATUS_ERROR) {
		err = answer_error_line(a);
		text = utf8_clean(err, strlen(err), NULL);
		cJSON_AddStringToObject(obj, "error", text);
		free(text);
		free(err);
	} else
		cJSON_AddNullToObject(obj, "error");
	u = cJSON_AddObjectToObject(obj, "usage");
	json_add_count(u, "input", a->usage.input);
	json_add_count(u, "output", a->usage.output);
	json_add_count(u, "cached", a->usage.cached);
	json_add_count(u, "reasoning", a->usage.reasoning);
	json_add_count(obj, "ttft_ms", a->first_us > 0 ?
	    (a->first_us - a->start_us) / 1000 : -1);
	json_add_count(obj, "duration_ms", (a->end_us - a->start_us) / 1000);
	if (a->cost >= 0)
		cJSON_AddNumberToObject(obj, "cost", a->cost);
	else
		cJSON_AddNullToObject(obj, "cost");
	if (*answer_lang(a) != '\0')
		cJSON_AddStringToObject(obj, "lang", a->lang);
	else
		cJSON_AddNullToObject(obj, "lang");
	line = cJSON_PrintUnformatted(obj);
	(void)buf_addstr(&o->pending, line);
	buf_addc(&o->pending, '\n');
	out_flush(o);
	cJSON_free(line);
	cJSON_Delete(obj);
}

/* Text for stdout: sanitised when it is a terminal. */
static void
out_text(struct out *o, const char *s, size_t len)
{
	char	*clean;
	size_t	 n;

	if (o->san == NULL) {
		(void)buf_add(&o->pending, s, len);
		return;
	}
	clean = sanitize(s, len, SANITIZE_NORMAL, &n);
	(void)buf_add(&o->pending, clean, n);
	free(clean);
}

/* Answer i whole, under its header (several answers). */
static void
print_whole(struct out *o, struct session *s, size_t i)
{
	struct answer	*a = session_answer(s, i);
	char		*name, *line;

	if (i > 0)
		buf_addc(&o->pending, '\n');
	name = answer_name(s, i);
	buf_addstr(&o->pending, "== ");
	out_text(o, name, strlen(name));
	buf_addstr(&o->pending, " ==\n");
	free(name);
	out_text(o, a->text.data != NULL ? a->text.data : "", a->text.len);
	if (o->pending.len > 0 && o->pending.data[o->pending.len - 1] != '\n')
		buf_addc(&o->pending, '\n');
	switch (a->status) {
	case NET_STATUS_COMPLETE:
		break;
	case NET_STATUS_CANCELLED:
		buf_addstr(&o->pending, "[cancelled]\n");
		break;
	case NET_STATUS_CUT:
	case NET_STATUS_ERROR:
		line = answer_error_line(a);
		buf_addf(&o->pending, "[%s] ",
		    msg_status_name(answer_status(a)));
		out_text(o, line, strlen(line));
		buf_addc(&o->pending, '\n');
		tolk_warn("%s", line);
		free(line);
		break;
	}
	out_flush(o);
}

/*
 * The budgets before sending: a warning when the answer could cross one;
 * when one is spent, exit 2 unless --over-budget. -1 when nothing may be
 * sent.
 */
static int
check_budgets(const struct config *config, struct store *store,
    struct session *s, const struct print_options *po,
    const char *const *specs, size_t nspecs)
{
	char	*msg;
	int	 r = 0;

	switch (budget_check(config, store, s, po->prompt, specs, nspecs,
	    po->send.max_tokens, &msg)) {
	case BUDGET_OK:
		break;
	case BUDGET_MAY_CROSS:
		tolk_warn("%s", msg);
		break;
	case BUDGET_CROSSED:
		if (po->over_budget)
			tolk_warn("%s; sending anyway (--over-budget)", msg);
		else {
			tolk_warn("%s; not sent (--over-budget sends anyway)",
			    msg);
			r = -1;
		}
		break;
	}
	free(msg);
	return r;
}

int
print_run(const struct config *config, struct store *store,
    const struct print_options *po)
{
	struct net_options	 nopt;
	struct net		*net = NULL;
	struct session		*s = NULL;
	struct net_event	*ev;
	struct answer		*a;
	struct out		 out;
	struct pollfd		 pfd[2];
	char			*cause = NULL, *line;
	int			 r = EXIT_FAIL, timeout, signals = 0, sigfd;
	static const int	 caught[] = { SIGINT, SIGTERM, SIGHUP };
	const char		*one[1];
	const char *const	*specs = one;
	size_t			 nspecs = 1, next = 0, i;
	bool			 multi, failed = false, cancelled = false;

	memset(&out, 0, sizeof out);
	out.fd = STDOUT_FILENO;
	buf_init(&out.pending, BUF_NO_LIMIT);
	if (isatty(STDOUT_FILENO))
		out.san = sanitize_create(SANITIZE_NORMAL);

	if ((sigfd = sigpipe_open(caught, sizeof caught / sizeof caught[0],
	    &cause)) < 0)
		goto fail_usage;
	net_options_init(&nopt);
	nopt.stall_timeout_ms = (long)config_stall_timeout(config) * 1000;
	nopt.debug = po->debug;
	if ((net = net_create(&nopt, &cause)) == NULL)
		goto fail;
	s = session_create(config, net, po->no_log ? NULL : store);
	if (po->no_log && store != NULL)
		session_keep_spend(s, store);
	if (po->branch_from > 0) {
		if (session_branch(s, po->conversation, po->branch_from,
		    &cause) != 0)
			goto fail_usage;
	} else if (po->continue_latest || po->conversation > 0) {
		if (session_continue(s, po->conversation, &cause) != 0)
			goto fail_usage;
	}
	if (po->expect != NULL)
		set_expect(s, po->expect);
	one[0] = po->model;
	if (po->nmodels > 0) {
		specs = po->models;
		nspecs = po->nmodels;
	}
	multi = nspecs > 1 || po->json;
	/* With --no-log, store is the history opened for the budgets. */
	if (check_budgets(config, store, s, po, specs, nspecs) != 0)
		goto fail_usage;
	if (session_send(s, po->prompt, specs, nspecs, &po->send, &cause) !=
	    0)
		goto fail_usage;

	pfd[0].fd = net_fd(net);
	pfd[0].events = POLLIN;
	pfd[1].fd = sigfd;
	pfd[1].events = POLLIN;
	while (session_busy(s)) {
		timeout = session_checkpoint_due(s);
		if (poll(pfd, 2, timeout) < 0 && errno != EINTR)
			break;
		if (pfd[1].revents & POLLIN) {
			while (sigpipe_next() != 0) {
				if (++signals > 1) {
					/* A second Ctrl-C: leave now. */
					out_end(&out);
					_exit(EXIT_INTERRUPTED);
				}
				session_cancel(s);
			}
		}
		while ((ev = net_next(net)) != NULL) {
			a = session_event(s, ev);
			if (a == NULL) {
				net_event_free(ev);
				continue;
			}
			switch (ev->type) {
			case NET_EV_TEXT:
			case NET_EV_REFUSAL:
				if (!multi)
					out_add(&out, ev->text, ev->len);
				break;
			case NET_EV_REASONING:
				if (po->reasoning && !multi) {
					out_flush(&out);
					show_reasoning(ev->text, ev->len);
				}
				break;
			case NET_EV_RETRY:
				out_flush(&out);
				show_retry(a, ev);
				break;
			default:
				break;
			}
			net_event_free(ev);
		}
		/* Answers are printed whole, in the order given. */
		while (multi && next < nspecs &&
		    session_answer(s, next)->done) {
			if (po->json)
				print_json(&out, s, next);
			else
				print_whole(&out, s, next);
			line = answer_name(s, next);
			show_lang_checks(s, session_answer(s, next), line);
			free(line);
			next++;
		}
		out_flush(&out);
		if (out.broken && signals == 0) {
			/* Nobody reads the answer any more: stop asking. */
			session_cancel(s);
			signals = 1;
		}
		session_checkpoint(s, false);
	}
	if (multi) {
		out_flush(&out);
		for (i = 0; i < nspecs; i++) {
			a = session_answer(s, i);
			if (a->status == NET_STATUS_CANCELLED)
				cancelled = true;
			else if (a->status != NET_STATUS_COMPLETE)
				failed = true;
			if (po->stats)
				show_stats(a);
		}
		if (cancelled && !out.broken)
			r = EXIT_INTERRUPTED;
		else
			r = failed ? EXIT_FAIL : EXIT_OK;
		goto out;
	}
	out_end(&out);

	a = session_answer(s, 0);
	show_lang_checks(s, a, NULL);
	switch (a->status) {
	case NET_STATUS_COMPLETE:
		r = EXIT_OK;
		break;
	case NET_STATUS_CANCELLED:
		r = out.broken ? EXIT_OK : EXIT_INTERRUPTED;
		break;
	case NET_STATUS_CUT:
	case NET_STATUS_ERROR:
		line = answer_error_line(a);
		tolk_warn("%s", line);
		free(line);
		r = EXIT_FAIL;
		break;
	}
	if (po->stats)
		show_stats(a);
	goto out;

fail_usage:
	r = EXIT_USAGE;
fail:
	if (cause != NULL)
		tolk_warn("%s", cause);
out:
	free(cause);
	session_free(s);
	net_free(net);
	sigpipe_close();
	if (out.san != NULL)
		sanitize_free(out.san);
	buf_release(&out.pending);
	return r;
}
