/*
 * net/netthread.c - the network thread (DESIGN.md section 2).
 *
 * One thread owns the CURLM handle and every easy handle. Other threads
 * talk to it through a mutex-guarded inbox (new requests, cancellations)
 * and curl_multi_wakeup(); it talks back through an event queue and one
 * byte on a pipe whose read end the main thread polls. It never touches
 * curses or SQLite. It loads libcurl itself (curl_api.h), so that nobody
 * waits for that at start.
 *
 * Each transfer feeds its 2xx body to the API adapter, which turns it into
 * normalised events; a non-2xx body is collected and parsed into an error.
 * Retries follow the official SDKs (PROTOCOLS.md 1.6): connection errors,
 * 408, 409, 429, 5xx and 529, only before any content arrived, at most
 * max_retries times, waiting what the server asks (retry-after-ms,
 * Retry-After, Gemini's RetryInfo) or an exponential backoff with jitter.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "net/curl_api.h"
#include "net/net.h"

#define MAX_ERROR_BODY	(1024 * 1024)
#define INITIAL_BACKOFF_MS 500
#define MAX_BACKOFF_MS	8000

struct transfer {
	uint64_t		 id;
	struct net		*net;
	char			*provider;
	enum api_kind		 api;
	struct http_request	 http;
	struct curl_slist	*headers;
	CURL			*easy;
	struct adapter		*adapter;

	int			 attempt;	/* retries done */
	int64_t			 start_at_ms;	/* > 0: waiting to (re)start */
	int64_t			 last_data_ms;
	long			 status;	/* HTTP status, 0 until known */
	bool			 body_started;
	bool			 adapter_failed;
	bool			 content_seen;
	bool			 done;
	struct buf		 error_body;
	int64_t			 hdr_retry_after_ms;
	int			 hdr_should_retry;
	char			 errbuf[CURL_ERROR_SIZE];

	struct transfer		*next;
};

struct event_node {
	struct net_event	*ev;
	size_t			 cap;	/* allocated size of ev->text */
	struct event_node	*next;
};

struct cancel_node {
	uint64_t		 id;
	struct cancel_node	*next;
};

struct net {
	pthread_t		 thread;
	pthread_mutex_t		 lock;
	pthread_cond_t		 cond;
	CURLM			*multi;		/* set, under lock, once libcurl
						   is loaded */
	char			*load_error;	/* libcurl could not be loaded */
	int			 pipe[2];
	struct net_options	 opt;

	/* Guarded by lock. */
	struct transfer		*inbox;
	struct cancel_node	*cancels;
	bool			 quit;
	struct event_node	*events_head;
	struct event_node	*events_tail;
	bool			 wake_pending;
	uint64_t		 next_id;

	/* Owned by the thread. */
	struct transfer		*transfers;
	struct event_node	*batch_head;
	struct event_node	*batch_tail;
};

/* libcurl's functions, once the thread has loaded it (curl_api.h). */
static const struct curl_api *cu;

void
net_options_init(struct net_options *o)
{
	o->connect_timeout_ms = 10000;
	o->stall_timeout_ms = 120000;
	o->max_retries = 2;
	o->max_retry_wait_ms = 60000;
	o->debug = false;
}

/* ------------------------------------------------------------------ */
/* Event queue. */

/*
 * Events are gathered in a batch owned by the thread and handed over in
 * one piece (one lock, at most one byte on the pipe) after each read from
 * the network, so a fast stream wakes the main thread once per read, not
 * once per token.
 */
static struct event_node *
node_new(struct net_event *ev)
{
	struct event_node	*node;

	node = xmalloc(sizeof *node);
	node->ev = ev;
	node->cap = ev->text != NULL ? ev->len + 1 : 0;
	node->next = NULL;
	return node;
}

static void
publish(struct net *n, struct event_node *head, struct event_node *tail)
{
	bool	wake;
	char	c = 1;

	if (head == NULL)
		return;
	/*
	 * The byte is written under the lock, so that "a byte is in the pipe"
	 * and wake_pending never disagree: net_next() drains the pipe in the
	 * same critical section in which it finds the queue empty.
	 */
	pthread_mutex_lock(&n->lock);
	if (n->events_tail != NULL)
		n->events_tail->next = head;
	else
		n->events_head = head;
	n->events_tail = tail;
	wake = !n->wake_pending;
	n->wake_pending = true;
	if (wake) {
		while (write(n->pipe[1], &c, 1) < 0 && errno == EINTR)
			;
	}
	pthread_mutex_unlock(&n->lock);
}

/* Called on the network thread only. */
static void
push_event(struct net *n, struct net_event *ev)
{
	struct event_node	*node = node_new(ev);

	if (n->batch_tail != NULL)
		n->batch_tail->next = node;
	else
		n->batch_head = node;
	n->batch_tail = node;
}

static void
batch_flush(struct net *n)
{
	publish(n, n->batch_head, n->batch_tail);
	n->batch_head = NULL;
	n->batch_tail = NULL;
}

static void
copy_error(struct net_error *dst, const struct net_error *src)
{
	*dst = *src;
	dst->type = src->type != NULL ? xstrdup(src->type) : NULL;
	dst->message = xstrdup(src->message != NULL ? src->message : "");
}

static struct net_event *
event_copy(const struct net_event *src, uint64_t id)
{
	struct net_event	*ev;

	ev = xcalloc(1, sizeof *ev);
	*ev = *src;
	ev->request_id = id;
	if (ev->time_us == 0)
		ev->time_us = clock_us();
	if (src->text != NULL) {
		ev->text = xmalloc(src->len + 1);
		memcpy(ev->text, src->text, src->len);
		ev->text[src->len] = '\0';
	}
	ev->error.type = NULL;
	ev->error.message = NULL;
	if (src->type == NET_EV_ERROR || src->type == NET_EV_RETRY)
		copy_error(&ev->error, &src->error);
	return ev;
}

static void
emit_error(struct transfer *t, const struct net_error *err,
    enum net_event_type type)
{
	struct net_event	ev;

	memset(&ev, 0, sizeof ev);
	ev.type = type;
	ev.error = *err;
	push_event(t->net, event_copy(&ev, t->id));
}

static void
emit_simple_error(struct transfer *t, enum net_error_kind kind,
    const char *message)
{
	struct net_error	err;

	memset(&err, 0, sizeof err);
	err.kind = kind;
	err.http_status = (int)t->status;
	err.message = (char *)message;
	err.retry_after_ms = -1;
	err.should_retry = -1;
	emit_error(t, &err, NET_EV_ERROR);
}

static void
emit_done(struct transfer *t, enum net_status status)
{
	struct net_event	ev;

	memset(&ev, 0, sizeof ev);
	ev.type = NET_EV_DONE;
	ev.status = status;
	push_event(t->net, event_copy(&ev, t->id));
	t->done = true;
}

/* A delta of the same kind as the last one of the batch joins it. */
static bool
append_to_tail(struct net *n, uint64_t id, const struct net_event *src)
{
	struct event_node	*tail = n->batch_tail;
	struct net_event	*ev;
	size_t			 need;

	if (tail == NULL || tail->ev->request_id != id ||
	    tail->ev->type != src->type || tail->ev->text == NULL)
		return false;
	ev = tail->ev;
	need = ev->len + src->len + 1;
	if (need > tail->cap) {
		tail->cap = need < 2 * tail->cap ? 2 * tail->cap : need;
		ev->text = xrealloc(ev->text, tail->cap);
	}
	memcpy(ev->text + ev->len, src->text, src->len);
	ev->len += src->len;
	ev->text[ev->len] = '\0';
	return true;
}

static void
adapter_emit(const struct net_event *src, void *arg)
{
	struct transfer	*t = arg;

	if (src->type == NET_EV_TEXT || src->type == NET_EV_REASONING ||
	    src->type == NET_EV_REFUSAL) {
		t->content_seen = true;
		if (src->text != NULL && append_to_tail(t->net, t->id, src))
			return;
	}
	push_event(t->net, event_copy(src, t->id));
}

void
net_event_free(struct net_event *ev)
{
	if (ev == NULL)
		return;
	free(ev->text);
	net_error_release(&ev->error);
	free(ev);
}

/* ------------------------------------------------------------------ */
/* Headers and body. */

static int64_t
parse_retry_after(const char *v)
{
	char		*end;
	double		 secs;
	time_t		 when;

	errno = 0;
	secs = strtod(v, &end);
	if (end != v && errno == 0) {
		while (*end == ' ' || *end == '\t')
			end++;
		if (*end == '\0')
			return secs >= 0 ? (int64_t)(secs * 1000) : -1;
	}
	when = cu->getdate(v, NULL);
	if (when < 0)
		return -1;
	secs = difftime(when, time(NULL));
	return secs > 0 ? (int64_t)(secs * 1000) : 0;
}

static size_t
header_cb(char *data, size_t size, size_t nitems, void *arg)
{
	struct transfer	*t = arg;
	size_t		 len = size * nitems, nlen;
	char		*line, *colon, *v, *e;

	if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		/* A new response (after a 100 Continue, or a redirect). */
		t->hdr_retry_after_ms = -1;
		t->hdr_should_retry = -1;
		return len;
	}
	line = xstrndup(data, len);
	colon = strchr(line, ':');
	if (colon != NULL) {
		nlen = (size_t)(colon - line);
		v = colon + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		e = v + strlen(v);
		while (e > v && (e[-1] == '\r' || e[-1] == '\n' ||
		    e[-1] == ' '))
			*--e = '\0';
		if (nlen == 14 && strncasecmp(line, "retry-after-ms", 14) == 0) {
			double	ms = strtod(v, &e);

			if (e != v && ms >= 0)
				t->hdr_retry_after_ms = (int64_t)ms;
		} else if (nlen == 11 &&
		    strncasecmp(line, "retry-after", 11) == 0) {
			if (t->hdr_retry_after_ms < 0)
				t->hdr_retry_after_ms = parse_retry_after(v);
		} else if (nlen == 14 &&
		    strncasecmp(line, "x-should-retry", 14) == 0) {
			if (strcasecmp(v, "true") == 0)
				t->hdr_should_retry = 1;
			else if (strcasecmp(v, "false") == 0)
				t->hdr_should_retry = 0;
		}
	}
	free(line);
	return len;
}

static size_t
write_cb(char *data, size_t size, size_t nmemb, void *arg)
{
	struct transfer	*t = arg;
	size_t		 len = size * nmemb;
	char		*ct = NULL;

	t->last_data_ms = clock_ms();
	if (!t->body_started) {
		t->body_started = true;
		cu->easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &t->status);
		if (t->status >= 200 && t->status < 300) {
			cu->easy_getinfo(t->easy, CURLINFO_CONTENT_TYPE, &ct);
			adapter_set_content_type(t->adapter, ct);
		}
	}
	if (t->status >= 200 && t->status < 300) {
		if (adapter_feed(t->adapter, data, len) != 0) {
			t->adapter_failed = true;
			batch_flush(t->net);
			return 0;	/* stops the transfer */
		}
		batch_flush(t->net);
		return len;
	}
	/* An error body: keep the first MiB, enough for any real message. */
	if (t->error_body.len < MAX_ERROR_BODY)
		(void)buf_add(&t->error_body, data,
		    len < MAX_ERROR_BODY - t->error_body.len ? len :
		    MAX_ERROR_BODY - t->error_body.len);
	return len;
}

/* --debug: trace what goes over the wire, with keys redacted. */
static int
debug_cb(CURL *easy, curl_infotype type, char *data, size_t size, void *arg)
{
	static const char	*secret[] = {
		"authorization:", "x-api-key:", "x-goog-api-key:",
		"proxy-authorization:", NULL
	};
	const char		*prefix;
	const char		*p, *end, *nl;
	char			*line;
	size_t			 i, n;

	(void)easy;
	(void)arg;
	switch (type) {
	case CURLINFO_TEXT:
		prefix = "* ";
		break;
	case CURLINFO_HEADER_OUT:
		prefix = "> ";
		break;
	case CURLINFO_HEADER_IN:
		prefix = "< ";
		break;
	default:
		return 0;
	}
	for (p = data, end = data + size; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		n = (size_t)(nl - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n > 0) {
			for (i = 0; secret[i] != NULL; i++) {
				if (n >= strlen(secret[i]) && strncasecmp(p,
				    secret[i], strlen(secret[i])) == 0)
					break;
			}
			/* A server's header may carry controls: never
			 * raw to the terminal. */
			line = xstrndup(p, secret[i] != NULL ?
			    strlen(secret[i]) : n);
			str_defang(line);
			fprintf(stderr, "tolk: debug: %s%s%s\n", prefix, line,
			    secret[i] != NULL ? " [redacted]" : "");
			free(line);
		}
		if (nl == end)
			break;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Transfers. */

static void
wipe_slist(struct curl_slist *l)
{
	volatile char	*p;

	for (; l != NULL; l = l->next)
		for (p = l->data; *p != '\0'; p++)
			*p = '\0';
}

static void
transfer_free(struct transfer *t)
{
	if (t->easy != NULL) {
		cu->multi_remove_handle(t->net->multi, t->easy);
		cu->easy_cleanup(t->easy);
	}
	if (t->headers != NULL) {
		wipe_slist(t->headers);
		cu->slist_free_all(t->headers);
	}
	if (t->adapter != NULL)
		adapter_free(t->adapter);
	http_request_release(&t->http);
	buf_release(&t->error_body);
	free(t->provider);
	free(t);
}

static int
transfer_start(struct transfer *t)
{
	struct net	*n = t->net;
	CURL		*e;
	size_t		 i;

	if (t->easy != NULL) {
		cu->multi_remove_handle(n->multi, t->easy);
		cu->easy_cleanup(t->easy);
		t->easy = NULL;
	}
	if (t->headers != NULL) {
		wipe_slist(t->headers);
		cu->slist_free_all(t->headers);
		t->headers = NULL;
	}
	if (t->adapter != NULL)
		adapter_free(t->adapter);
	t->adapter = adapter_create(t->api, adapter_emit, t);
	buf_reset(&t->error_body);
	t->status = 0;
	t->body_started = false;
	t->adapter_failed = false;
	t->hdr_retry_after_ms = -1;
	t->hdr_should_retry = -1;
	t->errbuf[0] = '\0';
	t->start_at_ms = 0;
	t->last_data_ms = clock_ms();

	if ((e = cu->easy_init()) == NULL)
		return -1;
	t->easy = e;
	for (i = 0; i < t->http.nheaders; i++)
		t->headers = cu->slist_append(t->headers, t->http.headers[i]);
	/* Large bodies must not wait for a 100 Continue. */
	t->headers = cu->slist_append(t->headers, "Expect:");
	cu->easy_setopt(e, CURLOPT_URL, t->http.url);
	cu->easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
	cu->easy_setopt(e, CURLOPT_POSTFIELDS, t->http.body);
	cu->easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
	    (curl_off_t)strlen(t->http.body));
	cu->easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb);
	cu->easy_setopt(e, CURLOPT_WRITEDATA, t);
	cu->easy_setopt(e, CURLOPT_HEADERFUNCTION, header_cb);
	cu->easy_setopt(e, CURLOPT_HEADERDATA, t);
	cu->easy_setopt(e, CURLOPT_PRIVATE, t);
	cu->easy_setopt(e, CURLOPT_ERRORBUFFER, t->errbuf);
	cu->easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	cu->easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, n->opt.connect_timeout_ms);
	cu->easy_setopt(e, CURLOPT_USERAGENT, "tolk/" PACKAGE_VERSION);
	cu->easy_setopt(e, CURLOPT_TCP_NODELAY, 1L);
	cu->easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	if (n->opt.debug) {
		cu->easy_setopt(e, CURLOPT_VERBOSE, 1L);
		cu->easy_setopt(e, CURLOPT_DEBUGFUNCTION, debug_cb);
	}
	if (cu->multi_add_handle(n->multi, e) != CURLM_OK)
		return -1;
	return 0;
}

static bool
status_retriable(long status)
{
	return status == 408 || status == 409 || status == 429 ||
	    status >= 500;
}

static int64_t
backoff_ms(int attempt)
{
	int64_t	delay = INITIAL_BACKOFF_MS;
	double	jitter;
	int	i;

	for (i = 0; i < attempt && delay < MAX_BACKOFF_MS; i++)
		delay *= 2;
	if (delay > MAX_BACKOFF_MS)
		delay = MAX_BACKOFF_MS;
	jitter = 1.0 - 0.25 * ((double)rand() / RAND_MAX);
	return (int64_t)((double)delay * jitter);
}

/*
 * A failure before any content: retry when the SDKs would, else report.
 * Takes ownership of err's strings.
 */
static void
fail_or_retry(struct transfer *t, struct net_error *err, bool retriable)
{
	struct net	*n = t->net;
	int64_t		 wait;

	if (err->should_retry == 1)
		retriable = true;
	else if (err->should_retry == 0)
		retriable = false;
	if (!retriable || t->content_seen || t->attempt >= n->opt.max_retries) {
		emit_error(t, err, NET_EV_ERROR);
		net_error_release(err);
		emit_done(t, NET_STATUS_ERROR);
		return;
	}
	wait = err->retry_after_ms;
	if (wait > n->opt.max_retry_wait_ms) {
		/* Too long to wait in front of the user: report it. */
		emit_error(t, err, NET_EV_ERROR);
		net_error_release(err);
		emit_done(t, NET_STATUS_ERROR);
		return;
	}
	if (wait <= 0)
		wait = backoff_ms(t->attempt);
	err->retry_after_ms = wait;
	emit_error(t, err, NET_EV_RETRY);
	net_error_release(err);
	t->attempt++;
	t->start_at_ms = clock_ms() + wait;
	if (t->easy != NULL) {
		cu->multi_remove_handle(n->multi, t->easy);
		cu->easy_cleanup(t->easy);
		t->easy = NULL;
	}
}

static void
finish_http_error(struct transfer *t)
{
	struct net_error	err;

	memset(&err, 0, sizeof err);
	adapter_parse_error_body(t->api, (int)t->status,
	    t->error_body.data != NULL ? t->error_body.data : "",
	    t->error_body.len, &err);
	if (t->hdr_retry_after_ms >= 0)
		err.retry_after_ms = t->hdr_retry_after_ms;
	err.should_retry = t->hdr_should_retry;
	fail_or_retry(t, &err, status_retriable(t->status));
}

static void
finish_transfer(struct transfer *t, CURLcode rc)
{
	struct net_error	 err;
	enum net_status		 st;
	const char		*msg;

	if (rc == CURLE_OK && t->status == 0)
		cu->easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &t->status);
	if (t->adapter_failed) {
		/* The adapter already emitted its error. */
		emit_done(t, t->content_seen ? NET_STATUS_CUT :
		    NET_STATUS_ERROR);
		return;
	}
	if (t->status != 0 && (t->status < 200 || t->status >= 300)) {
		if (rc == CURLE_OK || t->error_body.len > 0) {
			finish_http_error(t);
			return;
		}
	}
	if (rc == CURLE_OK || (t->status >= 200 && t->status < 300 &&
	    t->body_started)) {
		/* The body ended, cleanly or not: the adapter knows whether
		 * its end marker came. */
		st = adapter_finish(t->adapter);
		emit_done(t, st);
		return;
	}
	/* Nothing usable came back: a connection failure. */
	memset(&err, 0, sizeof err);
	msg = t->errbuf[0] != '\0' ? t->errbuf : cu->easy_strerror(rc);
	if (rc == CURLE_OPERATION_TIMEDOUT)
		err.kind = NET_ERR_TIMEOUT;
	else if (t->status >= 200 && t->status < 300)
		err.kind = NET_ERR_CUT;
	else
		err.kind = NET_ERR_CONNECT;
	err.http_status = (int)t->status;
	err.message = xstrdup(msg);
	err.retry_after_ms = -1;
	err.should_retry = -1;
	fail_or_retry(t, &err, err.kind != NET_ERR_CUT);
}

static void
transfer_stall(struct transfer *t, int64_t silent_ms)
{
	char	*msg;

	cu->multi_remove_handle(t->net->multi, t->easy);
	msg = xasprintf("no data for %lld s",
	    (long long)((silent_ms + 500) / 1000));
	if (t->body_started && t->status >= 200 && t->status < 300) {
		emit_simple_error(t, NET_ERR_TIMEOUT, msg);
		emit_done(t, t->content_seen ? NET_STATUS_CUT :
		    NET_STATUS_ERROR);
	} else {
		emit_simple_error(t, NET_ERR_TIMEOUT, msg);
		emit_done(t, NET_STATUS_ERROR);
	}
	free(msg);
}

/* ------------------------------------------------------------------ */
/* The thread. */

static void
take_inbox(struct net *n)
{
	struct transfer		*in, *t, *prev, *next;
	struct cancel_node	*c, *cn;

	pthread_mutex_lock(&n->lock);
	in = n->inbox;
	n->inbox = NULL;
	c = n->cancels;
	n->cancels = NULL;
	pthread_mutex_unlock(&n->lock);

	while (in != NULL) {
		next = in->next;
		in->next = n->transfers;
		n->transfers = in;
		if (transfer_start(in) != 0) {
			emit_simple_error(in, NET_ERR_SETUP,
			    "libcurl cannot start the transfer");
			emit_done(in, NET_STATUS_ERROR);
		}
		in = next;
	}
	for (; c != NULL; c = cn) {
		cn = c->next;
		for (prev = NULL, t = n->transfers; t != NULL;
		    prev = t, t = t->next) {
			if (t->id != c->id || t->done)
				continue;
			if (t->easy != NULL)
				cu->multi_remove_handle(n->multi, t->easy);
			emit_done(t, NET_STATUS_CANCELLED);
			break;
		}
		(void)prev;
		free(c);
	}
}

static void
reap_done(struct net *n)
{
	struct transfer	**tp, *t;

	for (tp = &n->transfers; (t = *tp) != NULL;) {
		if (t->done) {
			*tp = t->next;
			transfer_free(t);
		} else
			tp = &t->next;
	}
}

static long
next_timeout(struct net *n)
{
	struct transfer	*t;
	int64_t		 now = clock_ms(), until, best = 1000;
	long		 curl_ms = -1;

	for (t = n->transfers; t != NULL; t = t->next) {
		if (t->done)
			continue;
		if (t->start_at_ms > 0)
			until = t->start_at_ms - now;
		else
			until = t->last_data_ms + n->opt.stall_timeout_ms - now;
		if (until < best)
			best = until;
	}
	cu->multi_timeout(n->multi, &curl_ms);
	if (curl_ms >= 0 && curl_ms < best)
		best = curl_ms;
	return best < 0 ? 0 : (long)best;
}

/*
 * libcurl could not be loaded: every request fails with that message, and
 * the thread waits on the condition for the next one.
 */
static void
serve_without_curl(struct net *n)
{
	struct transfer	*in, *next;
	bool		 quit;

	for (;;) {
		pthread_mutex_lock(&n->lock);
		while (!n->quit && n->inbox == NULL)
			pthread_cond_wait(&n->cond, &n->lock);
		quit = n->quit;
		in = n->inbox;
		n->inbox = NULL;
		pthread_mutex_unlock(&n->lock);
		for (; in != NULL; in = next) {
			next = in->next;
			emit_simple_error(in, NET_ERR_SETUP, n->load_error);
			emit_done(in, NET_STATUS_ERROR);
			batch_flush(n);
			transfer_free(in);
		}
		if (quit)
			return;
	}
}

static void *
net_main(void *arg)
{
	struct net	*n = arg;
	struct transfer	*t;
	CURLMsg		*msg;
	CURLM		*multi;
	const char	*why = NULL;
	int		 running, left;
	int64_t		 now;
	bool		 quit;

	if ((cu = curl_api_load(&why)) == NULL ||
	    (multi = cu->multi_init()) == NULL) {
		pthread_mutex_lock(&n->lock);
		n->load_error = xstrdup(why != NULL ? why :
		    "libcurl failed to start");
		pthread_mutex_unlock(&n->lock);
		serve_without_curl(n);
		return NULL;
	}
	pthread_mutex_lock(&n->lock);
	n->multi = multi;
	pthread_mutex_unlock(&n->lock);

	for (;;) {
		pthread_mutex_lock(&n->lock);
		quit = n->quit;
		pthread_mutex_unlock(&n->lock);
		if (quit)
			break;
		take_inbox(n);

		now = clock_ms();
		for (t = n->transfers; t != NULL; t = t->next) {
			if (t->done)
				continue;
			if (t->start_at_ms > 0 && t->start_at_ms <= now) {
				if (transfer_start(t) != 0) {
					emit_simple_error(t, NET_ERR_SETUP,
					    "libcurl cannot start the transfer");
					emit_done(t, NET_STATUS_ERROR);
				}
			} else if (t->start_at_ms == 0 &&
			    now - t->last_data_ms >= n->opt.stall_timeout_ms)
				transfer_stall(t, now - t->last_data_ms);
		}

		cu->multi_perform(n->multi, &running);
		while ((msg = cu->multi_info_read(n->multi, &left)) != NULL) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			cu->easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
			    (char **)&t);
			if (t == NULL || t->done)
				continue;
			finish_transfer(t, msg->data.result);
		}
		batch_flush(n);
		reap_done(n);
		cu->multi_poll(n->multi, NULL, 0, (int)next_timeout(n), NULL);
	}
	while ((t = n->transfers) != NULL) {
		n->transfers = t->next;
		transfer_free(t);
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* The API other threads use. */

struct net *
net_create(const struct net_options *opt, char **cause)
{
	struct net	*n;
	int		 i, r;

	n = xcalloc(1, sizeof *n);
	if (opt != NULL)
		n->opt = *opt;
	else
		net_options_init(&n->opt);
	if (pipe(n->pipe) != 0) {
		*cause = xasprintf("cannot create a pipe: %s", strerror(errno));
		free(n);
		return NULL;
	}
	for (i = 0; i < 2; i++) {
		fcntl(n->pipe[i], F_SETFD, FD_CLOEXEC);
		fcntl(n->pipe[i], F_SETFL, fcntl(n->pipe[i], F_GETFL) |
		    O_NONBLOCK);
	}
	pthread_mutex_init(&n->lock, NULL);
	pthread_cond_init(&n->cond, NULL);
	n->next_id = 1;
	srand((unsigned)(clock_us() ^ getpid()));
	if ((r = pthread_create(&n->thread, NULL, net_main, n)) != 0) {
		*cause = xasprintf("cannot start the network thread: %s",
		    strerror(r));
		pthread_cond_destroy(&n->cond);
		pthread_mutex_destroy(&n->lock);
		close(n->pipe[0]);
		close(n->pipe[1]);
		free(n);
		return NULL;
	}
	return n;
}

/* Wake the thread wherever it waits: in curl_multi_poll once libcurl is
 * loaded, on the condition before (or when loading failed). Called with
 * the lock held. */
static void
wake_thread(struct net *n)
{
	if (n->multi != NULL)
		cu->multi_wakeup(n->multi);
	pthread_cond_signal(&n->cond);
}

int
net_fd(const struct net *n)
{
	return n->pipe[0];
}

uint64_t
net_submit(struct net *n, const struct chat_request *req)
{
	struct transfer	*t;
	char		*cause = NULL;
	uint64_t	 id;

	t = xcalloc(1, sizeof *t);
	t->net = n;
	t->api = req->api;
	t->provider = xstrdup(req->provider != NULL ? req->provider :
	    api_kind_name(req->api));
	buf_init(&t->error_body, MAX_ERROR_BODY);
	t->hdr_retry_after_ms = -1;
	t->hdr_should_retry = -1;

	pthread_mutex_lock(&n->lock);
	t->id = n->next_id++;
	pthread_mutex_unlock(&n->lock);

	if (request_build(req, &t->http, &cause) != 0) {
		/* Not on the network thread: hand the events over directly. */
		struct net_error	 err;
		struct net_event	 ev;
		struct event_node	*a, *b;

		memset(&err, 0, sizeof err);
		err.kind = NET_ERR_PROTOCOL;
		err.message = cause != NULL ? cause :
		    (char *)"cannot build the request";
		err.retry_after_ms = -1;
		err.should_retry = -1;
		memset(&ev, 0, sizeof ev);
		ev.type = NET_EV_ERROR;
		ev.error = err;
		a = node_new(event_copy(&ev, t->id));
		memset(&ev, 0, sizeof ev);
		ev.type = NET_EV_DONE;
		ev.status = NET_STATUS_ERROR;
		b = node_new(event_copy(&ev, t->id));
		a->next = b;
		publish(n, a, b);
		free(cause);
		id = t->id;
		transfer_free(t);
		return id;
	}
	/* Once in the inbox, t belongs to the thread, which may finish and
	 * free it before this function returns. */
	id = t->id;
	pthread_mutex_lock(&n->lock);
	t->next = n->inbox;
	n->inbox = t;
	wake_thread(n);
	pthread_mutex_unlock(&n->lock);
	return id;
}

void
net_cancel(struct net *n, uint64_t id)
{
	struct cancel_node	*c;

	c = xmalloc(sizeof *c);
	c->id = id;
	pthread_mutex_lock(&n->lock);
	c->next = n->cancels;
	n->cancels = c;
	wake_thread(n);
	pthread_mutex_unlock(&n->lock);
}

struct net_event *
net_next(struct net *n)
{
	struct event_node	*node;
	struct net_event	*ev = NULL;
	char			 drain[64];

	pthread_mutex_lock(&n->lock);
	node = n->events_head;
	if (node != NULL) {
		n->events_head = node->next;
		if (n->events_head == NULL)
			n->events_tail = NULL;
	}
	if (n->events_head == NULL && n->wake_pending) {
		n->wake_pending = false;
		while (read(n->pipe[0], drain, sizeof drain) > 0)
			;
	}
	pthread_mutex_unlock(&n->lock);
	if (node != NULL) {
		ev = node->ev;
		free(node);
	}
	return ev;
}

void
net_free(struct net *n)
{
	struct event_node	*node;
	struct transfer		*t;
	struct cancel_node	*c;

	if (n == NULL)
		return;
	pthread_mutex_lock(&n->lock);
	n->quit = true;
	wake_thread(n);
	pthread_mutex_unlock(&n->lock);
	pthread_join(n->thread, NULL);
	while ((t = n->inbox) != NULL) {
		n->inbox = t->next;
		transfer_free(t);
	}
	while ((c = n->cancels) != NULL) {
		n->cancels = c->next;
		free(c);
	}
	batch_flush(n);
	while ((node = n->events_head) != NULL) {
		n->events_head = node->next;
		net_event_free(node->ev);
		free(node);
	}
	if (n->multi != NULL)
		cu->multi_cleanup(n->multi);
	free(n->load_error);
	pthread_cond_destroy(&n->cond);
	pthread_mutex_destroy(&n->lock);
	close(n->pipe[0]);
	close(n->pipe[1]);
	free(n);
}
