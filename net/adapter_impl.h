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

/*
 * json.c: an allocation-free JSON reader for the hot path (one document
 * per token). jdoc_parse() checks the whole text against the grammar and
 * indexes its values as tokens; token 0 is the root. Every accessor takes
 * -1 ("absent") and then answers absent, false or NULL, so paths chain:
 * jget(d, jget(d, 0, "usage"), "prompt_tokens").
 */
enum jtype {
	JSON_NULL,
	JSON_FALSE,
	JSON_TRUE,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT,
};

struct jtok {
	enum jtype	 type;
	bool		 esc;	/* a string with backslash escapes */
	size_t		 start;	/* offset; strings: after the quote */
	size_t		 len;
	size_t		 next;	/* the first token after this subtree */
};

struct jdoc {
	const char	*s;	/* borrowed: valid while the tokens are used */
	size_t		 len;
	struct jtok	*t;
	size_t		 n;
	size_t		 cap;
	struct buf	 str;	/* jstr()'s result */
	struct buf	 key;	/* decoded keys with escapes */
};

void	 jdoc_init(struct jdoc *);
void	 jdoc_release(struct jdoc *);
/* 0, or -1 when s is not exactly one JSON value (white space aside). */
int	 jdoc_parse(struct jdoc *, const char *s, size_t len);
/* Take s as the raw contents of a string (what stands between its
 * quotes) and make it token 0: 0, or -1 when it is not valid as such. */
int	 jdoc_parse_string_body(struct jdoc *, const char *s, size_t len);
/* The first member named key (klen bytes) of object obj, or -1. */
int	 jget_n(struct jdoc *, int obj, const char *key, size_t klen);

static inline bool
jis(const struct jdoc *d, int i, enum jtype type)
{
	return i >= 0 && (size_t)i < d->n && d->t[i].type == type;
}

/* jget_n() of a C string: inline, so a literal's length is folded. */
static inline int
jget(struct jdoc *d, int obj, const char *key)
{
	return jget_n(d, obj, key, __builtin_strlen(key));
}
/* Element idx of array arr, or -1. */
int	 jat(const struct jdoc *, int arr, size_t idx);
/* The element of arr after prev (-1: the first), or -1 at the end. */
int	 jnext(const struct jdoc *, int arr, int prev);
/* A string, decoded (lone surrogates as U+FFFD) and NUL-terminated; valid
 * until the next jstr(). NULL when i is not a string. */
const char *jstr(struct jdoc *, int, size_t *);
bool	 jstreq(struct jdoc *, int, const char *);
/* A non-negative integer, or USAGE_UNKNOWN. */
int64_t	 jcount(const struct jdoc *, int);
/* Present and neither null nor false. */
bool	 jtruthy(const struct jdoc *, int);

/* The value an adapter callback returns to stop its parser after it has
 * emitted an ERROR event (-1 is kept for the parser's own cap error). */
#define ADAPTER_STOP 2

struct adapter {
	enum api_kind	 api;
	adapter_emit_cb	 emit;
	void		*arg;

	struct jdoc	 doc;		/* the event being read */
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

	/*
	 * OpenAI: the last chunk that carried nothing but answer text, and
	 * where its content string lay in it. A chunk whose bytes before and
	 * after the content are the same is the same document but for the
	 * text (api_openai.c), so it is read without being parsed again.
	 */
	struct buf	 tpl;
	size_t		 tpl_head;	/* bytes before the content */
	size_t		 tpl_tail;	/* bytes after it */
	bool		 tpl_ok;

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

/* The error in a->doc (whose error member is truthy): read with cJSON. */
void	 emit_api_error_doc(struct adapter *);
/* emit_delta() of string token i of a->doc, when it is a string. */
void	 emit_jstr(struct adapter *, enum net_event_type, int);

/* adapter.c: JSON helpers. */
/* Parse one event's JSON into a->doc; on failure emit NET_ERR_PROTOCOL
 * ("garbage event: ...") and return false. */
bool	 parse_event(struct adapter *, const char *, size_t);
/* Emit NET_ERR_PROTOCOL "garbage event: <quote of s>". */
void	 emit_garbage(struct adapter *, const char *, size_t);
/* Parse without emitting anything; NULL on failure. */
cJSON	*json_parse(const char *, size_t);
/* The error member of an object when it is "truthy" (not null or false). */
const cJSON *json_error_member(const cJSON *);
/* A string member, or NULL when absent or not a string. */
const char *json_str(const cJSON *, const char *);
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
bool	 openai_reply(struct adapter *);

int	 anthropic_build(const struct chat_request *, struct http_request *,
	    char **);
int	 anthropic_event(const char *, const char *, size_t, void *);
bool	 anthropic_reply(struct adapter *);

int	 ollama_build(const struct chat_request *, struct http_request *,
	    char **);
int	 ollama_line(const char *, size_t, void *);
bool	 ollama_reply(struct adapter *);

int	 gemini_build(const struct chat_request *, struct http_request *,
	    char **);
int	 gemini_event(const char *, const char *, size_t, void *);
int	 gemini_raw_line(const char *, size_t, void *);
bool	 gemini_reply(struct adapter *);

#endif
