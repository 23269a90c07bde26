/*
 * net/net.h - talking to model APIs.
 *
 * Three layers, bottom up:
 *
 *   1. Push parsers for the two framings (SSE and NDJSON): they take bytes
 *      in chunks that may end anywhere and call back once per event or line.
 *   2. One adapter per API kind (openai, anthropic, ollama, gemini): builds
 *      the HTTP request, and turns the response body into normalised events.
 *   3. The network thread: owns libcurl (multi interface), runs many
 *      requests at once, retries, and hands events to the main thread
 *      through a queue and a wake pipe.
 *
 * net/ includes only core/. Only net/ touches libcurl.
 * Wire formats: ../shared/PROTOCOLS.md; the rules cited below are its.
 */
#ifndef TOLK_NET_H
#define TOLK_NET_H

#include "core/core.h"

/* ------------------------------------------------------------------ */
/* Normalised events. */

enum net_event_type {
	NET_EV_TEXT,		/* answer text delta (text, len) */
	NET_EV_REASONING,	/* reasoning/thinking delta (text, len) */
	NET_EV_REFUSAL,		/* refusal text delta (text, len) */
	NET_EV_USAGE,		/* token counts so far: merge the known fields */
	NET_EV_FINISH,		/* finish reason (text: the API's own word) */
	NET_EV_ERROR,		/* error (see struct net_error) */
	NET_EV_RETRY,		/* thread only: a retry is scheduled (error,
				   retry_after_ms = the wait) */
	NET_EV_DONE,		/* thread only: the request is over (status) */
};

enum net_error_kind {
	NET_ERR_HTTP,		/* non-2xx status; message from the body */
	NET_ERR_API,		/* error object inside a 2xx stream */
	NET_ERR_CONNECT,	/* DNS, refused, TLS, ...: nothing received */
	NET_ERR_TIMEOUT,	/* connect timeout or the stream stalled */
	NET_ERR_PROTOCOL,	/* a body that breaks the wire format, over the
				   64 MiB cap, or not a stream at all */
	NET_ERR_CUT,		/* the stream ended without its end marker */
	NET_ERR_SETUP,		/* tolk could not send at all: libcurl is
				 * missing or would not start a transfer */
};

const char	*net_error_kind_name(enum net_error_kind);

struct net_error {
	enum net_error_kind	 kind;
	int			 http_status;	/* 0 when none */
	char			*type;		/* the API's error type/code, or NULL */
	char			*message;	/* never NULL in an event */
	int64_t			 retry_after_ms; /* -1 when the server named none */
	int			 should_retry;	/* -1 unknown, 0 no, 1 yes
						   (x-should-retry) */
};

enum net_status {
	NET_STATUS_COMPLETE,	/* ended normally */
	NET_STATUS_CUT,		/* ended early: partial text kept */
	NET_STATUS_ERROR,	/* failed (an ERROR event came before) */
	NET_STATUS_CANCELLED,	/* cancelled by net_cancel() */
};

const char	*net_status_name(enum net_status);

/*
 * One event. In adapter callbacks the event and its strings are borrowed
 * for the duration of the call. Events from net_next() are owned by the
 * caller and freed with net_event_free().
 */
struct net_event {
	enum net_event_type	 type;
	uint64_t		 request_id;
	int64_t			 time_us;	/* clock_us() when received */
	char			*text;		/* TEXT/REASONING/REFUSAL/FINISH */
	size_t			 len;
	struct usage		 usage;		/* USAGE; unknown fields -1 */
	struct net_error	 error;		/* ERROR, RETRY */
	enum net_status		 status;	/* DONE */
};

void	net_event_free(struct net_event *);

/* ------------------------------------------------------------------ */
/* Framing parsers. */

#define NET_MAX_EVENT (64u * 1024 * 1024)	/* PROTOCOLS.md 1.1 rule 9 */

/*
 * SSE (PROTOCOLS.md 1.1 and 10). The callback gets the event type ("message"
 * when none was given) and the data (NUL-terminated, len bytes, one trailing
 * LF already dropped). A line whose field name is "error" (old llama.cpp) is
 * delivered as an event of type "error" with that line's value as data.
 * Returning non-zero from the callback stops the parser: sse_feed then
 * returns that value.
 */
typedef int (*sse_event_cb)(const char *type, const char *data, size_t len,
    void *arg);

struct sse;
struct sse	*sse_create(sse_event_cb, void *arg);
/* 0, the callback's non-zero value, or -1 when a line or event exceeds
 * NET_MAX_EVENT (the parser is then unusable). */
int		 sse_feed(struct sse *, const char *, size_t);
/* At EOF: discards a pending event (rule 7), but returns 1 when the
 * pending data is exactly "[DONE]" (lenient rule of 7.7), else 0. */
int		 sse_finish(struct sse *);
void		 sse_free(struct sse *);

/* NDJSON (PROTOCOLS.md 1.3): one callback per non-empty LF-terminated line
 * (a CR before the LF is dropped). Same return conventions as SSE. */
typedef int (*ndjson_line_cb)(const char *line, size_t len, void *arg);

struct ndjson;
struct ndjson	*ndjson_create(ndjson_line_cb, void *arg);
int		 ndjson_feed(struct ndjson *, const char *, size_t);
/* At EOF: returns 1 when an unterminated last line was pending (a
 * truncated stream), else 0. The pending line is discarded. */
int		 ndjson_finish(struct ndjson *);
void		 ndjson_free(struct ndjson *);

/* ------------------------------------------------------------------ */
/* Requests. */

/* What to ask. Everything is borrowed; net_submit() copies it. */
struct chat_request {
	enum api_kind			 api;
	const char			*provider;	/* name, for messages */
	const char			*base_url;
	const char			*model;
	const char			*system;	/* NULL: none */
	const struct chat_message	*messages;	/* without system */
	size_t				 nmessages;
	double				 temperature;
	bool				 has_temperature;
	long				 max_tokens;	/* 0: the API's default */
	bool				 stream_usage;	/* OpenAI include_usage */
	const char			*key;		/* NULL: send no key */
};

/* An HTTP request built by an adapter. All strings owned; see
 * http_request_release(). Headers are "Name: value" lines. */
struct http_request {
	char	 *url;
	char	**headers;
	size_t	  nheaders;
	char	 *body;		/* JSON */
};

/* Build the request for req->api. -1 and *cause on error. */
int	request_build(const struct chat_request *, struct http_request *,
	    char **cause);
/* Frees the strings; header values holding keys are wiped first. */
void	http_request_release(struct http_request *);

/* ------------------------------------------------------------------ */
/* Adapters: response body -> normalised events. */

/* The event is borrowed; see struct net_event. */
typedef void (*adapter_emit_cb)(const struct net_event *, void *arg);

struct adapter;
struct adapter	*adapter_create(enum api_kind, adapter_emit_cb, void *arg);
/*
 * The Content-Type of a 2xx response, before the body (may be NULL). A JSON
 * body (a non-streamed reply or an error sent with 200) is buffered and
 * read whole at adapter_finish().
 */
void		 adapter_set_content_type(struct adapter *, const char *);
/*
 * Body bytes of a 2xx response, in any chunking. Returns 0, or -1 after
 * emitting an ERROR event (over the cap, or an error object in the stream):
 * the caller then stops the transfer.
 */
int		 adapter_feed(struct adapter *, const char *, size_t);
/* The API's end marker was seen: nothing more is expected. */
bool		 adapter_done(const struct adapter *);
/*
 * EOF of a 2xx response. Emits what is pending and, when the end marker
 * never came, an ERROR of kind NET_ERR_CUT. Returns the final status:
 * COMPLETE, CUT or ERROR.
 */
enum net_status	 adapter_finish(struct adapter *);
/* Whether any TEXT/REASONING/REFUSAL event was emitted. */
bool		 adapter_got_content(const struct adapter *);
void		 adapter_free(struct adapter *);

/*
 * The error in a non-2xx body (JSON of any of the four APIs' shapes,
 * pretty-printed or wrapped in an array, or plain text/HTML from a proxy).
 * Fills err->type and err->message (allocated; the message is the server's
 * own, shortened to one line of at most 300 bytes, or "HTTP <status>" when
 * the body has none) and err->retry_after_ms from Gemini's RetryInfo
 * (otherwise -1). Sets err->kind = NET_ERR_HTTP and err->http_status.
 */
void	adapter_parse_error_body(enum api_kind, int http_status,
	    const char *body, size_t len, struct net_error *err);
void	net_error_release(struct net_error *);

/* ------------------------------------------------------------------ */
/* The network thread. */

struct net_options {
	long	connect_timeout_ms;	/* default 10000 */
	long	stall_timeout_ms;	/* default 120000 */
	int	max_retries;		/* default 2 */
	long	max_retry_wait_ms;	/* default 60000: longer waits are
					   reported, not waited */
	bool	debug;			/* trace requests on stderr, keys
					   redacted */
};

void	net_options_init(struct net_options *);

struct net;
/* Starts the thread. NULL and *cause on failure. */
struct net	*net_create(const struct net_options *, char **cause);
/* Readable when events are waiting: poll() it, then drain net_next(). */
int		 net_fd(const struct net *);
/* Queue a request; the request is copied. Returns its id (never 0). */
uint64_t	 net_submit(struct net *, const struct chat_request *);
/* Cancel from any thread; the transfer stops within 100 ms and a DONE
 * event with NET_STATUS_CANCELLED follows. Unknown ids are ignored. */
void		 net_cancel(struct net *, uint64_t);
/* The next event, or NULL when none is waiting. Caller frees. */
struct net_event *net_next(struct net *);
/* Cancel everything, join the thread, free. */
void		 net_free(struct net *);

/* Whether an HTTP server answers a GET of url within timeout_ms (any
 * status below 500). Blocks; for start-up only. */
bool		 net_probe(const char *url, long timeout_ms);

#endif
