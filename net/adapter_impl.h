/*
 * net/adapter_impl.h - what the framing parsers, adapter.c and the four
 * api_*.c files share inside net/. Not for use outside net/ (tests may use
 * the test-only setters).
 */
#ifndef TOLK_NET_ADAPTER_IMPL_H
#define TOLK_NET_ADAPTER_IMPL_H

#include <cJSON.h>

#include "net/net.h"

/* Test-only: lower the 64 MiB cap of one parser (never above it). */
void	sse_set_limit(struct sse *, size_t);
void	ndjson_set_limit(struct ndjson *, size_t);
void	adapter_set_limit(struct adapter *, size_t);

/*
 * Lines of an SSE stream that are neither a known field, a comment nor a
 * blank line are normally ignored (PROTOCOLS.md 1.1 rule 6). Gemini may put
 * an un-prefixed JSON error object into its stream (5.3): with this hook
 * such lines are handed to cb as they are. Same return convention as the
 * event callback.
 */
typedef int (*sse_line_cb)(const char *line, size_t len, void *arg);
void	sse_set_raw_cb(struct sse *, sse_line_cb);

/* The value an adapter callback returns to stop its parser after it has
 * emitted an ERROR event (-1 is kept for the parser's own cap error). */
#define ADAPTER_STOP 2

struct adapter {
	enum api_kind	 api;
	adapter_emit_cb	 emit;
	void		*arg;

	struct sse	*sse;		/* openai, anthropic, gemini */
	struct ndjson	*ndjson;	/* ollama */

	bool		 json_body;	/* Content-Type application/json */
	bool		 html_body;	/* Content-Type text/html */
	struct buf	 body;		/* the buffered JSON or HTML body */

	bool		 done;		/* end marker seen */
	bool		 errored;	/* an ERROR event was emitted */
	bool		 got_content;
	bool		 finished;
	bool		 saw_finish;	/* a finish reason arrived */
	enum net_status	 status;

	/* Anthropic: the parts of the usage, each -1 until reported. */
	int64_t		 a_input;
	int64_t		 a_cache_write;
	int64_t		 a_cache_read;
	int64_t		 a_output;

	/* Gemini: raw JSON lines outside data: fields, by brace balance. */
	struct buf	 raw;
	int		 raw_depth;
	bool		 raw_in_string;
	bool		 raw_escape;
};

/* adapter.c: emission helpers. */
void	 emit_delta(struct adapter *, enum net_event_type, const char *,
	    size_t);
void	 emit_cstr(struct adapter *, enum net_event_type, const char *);
void	 emit_finish(struct adapter *, const char *);
void	 emit_usage(struct adapter *, const struct usage *);
void	 emit_error(struct adapter *, enum net_error_kind, int http_status,
	    const char *type, const char *message);
/* An ERROR of kind NET_ERR_API from a JSON document holding an error (any
 * of the shapes adapter_parse_error_body() knows). */
void	 emit_api_error_json(struct adapter *, const cJSON *);
/* An ERROR of kind NET_ERR_API from raw error text (old llama.cpp line,
 * an event named error): JSON when it parses, else the text itself. */
void	 emit_api_error_text(struct adapter *, const char *, size_t);

/* adapter.c: JSON helpers. */
/* Parse one event's JSON; on failure emit NET_ERR_PROTOCOL ("garbage
 * event: ...") and return NULL. Lone \u surrogates become U+FFFD. */
cJSON	*parse_event(struct adapter *, const char *, size_t);
/* Emit NET_ERR_PROTOCOL "garbage event: <quote of s>". */
void	 emit_garbage(struct adapter *, const char *, size_t);
/* Parse without emitting anything; NULL on failure. */
cJSON	*json_parse(const char *, size_t);
/* The error member of an object when it is "truthy" (not null or false). */
const cJSON *json_error_member(const cJSON *);
/* A string member, or NULL when absent or not a string. */
const char *json_str(const cJSON *, const char *);
/* A non-negative integer member, or USAGE_UNKNOWN. */
int64_t	 json_count(const cJSON *, const char *);
/* Whether a member is the JSON value true. */
bool	 json_true(const cJSON *, const char *);
/* Whether any field of a usage is known. */
bool	 usage_known(const struct usage *);

/* adapter.c: request helpers. */
void	 req_add_header(struct http_request *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* base_url without trailing slashes (allocated). */
char	*req_base(const char *);
/* "system", "user", "assistant". */
const char *req_role(enum role);
/* The system prompt and every ROLE_SYSTEM message joined by a blank line,
 * for APIs that take the system prompt apart (allocated, or NULL). */
char	*req_system(const struct chat_request *);
/* cJSON_PrintUnformatted into a string of ours, and delete root. */
char	*req_body(cJSON *);

/* One file per API: request building and stream handling. */
int	 openai_build(const struct chat_request *, struct http_request *,
	    char **);
int	 openai_event(const char *, const char *, size_t, void *);
bool	 openai_reply(struct adapter *, const cJSON *);

int	 anthropic_build(const struct chat_request *, struct http_request *,
	    char **);
int	 anthropic_event(const char *, const char *, size_t, void *);
bool	 anthropic_reply(struct adapter *, const cJSON *);

int	 ollama_build(const struct chat_request *, struct http_request *,
	    char **);
int	 ollama_line(const char *, size_t, void *);
bool	 ollama_reply(struct adapter *, const cJSON *);

int	 gemini_build(const struct chat_request *, struct http_request *,
	    char **);
int	 gemini_event(const char *, const char *, size_t, void *);
int	 gemini_raw_line(const char *, size_t, void *);
bool	 gemini_reply(struct adapter *, const cJSON *);

#endif
