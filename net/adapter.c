/*
 * net/adapter.c - what the four API adapters share.
 *
 * The adapter object dispatches on the API kind: SSE for openai, anthropic
 * and gemini, NDJSON for ollama. The per-API files (api_*.c) turn events
 * into normalised net_events through the emit_* helpers here. This file
 * also reads error documents of every shape the APIs and the proxies in
 * front of them send (PROTOCOLS.md 1.5, 2.3, 3.3, 4.3, 5.3, 6, 7.5, 8),
 * handles a 2xx reply that is JSON instead of a stream, and builds the
 * HTTP request for any API.
 */
#include "config.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/adapter_impl.h"

/* The longest error message we pass on, in bytes (one line). */
#define MESSAGE_MAX 300
/* How much of a bad event is quoted in a protocol error. */
#define QUOTE_MAX 80

/* ------------------------------------------------------------------ */
/* Names and events. */

const char *
net_error_kind_name(enum net_error_kind kind)
{
	switch (kind) {
	case NET_ERR_HTTP:
		return "http";
	case NET_ERR_API:
		return "api";
	case NET_ERR_CONNECT:
		return "connect";
	case NET_ERR_TIMEOUT:
		return "timeout";
	case NET_ERR_PROTOCOL:
		return "protocol";
	case NET_ERR_CUT:
		return "cut";
	case NET_ERR_SETUP:
		return "setup";
	}
	return "unknown";
}

const char *
net_status_name(enum net_status status)
{
	switch (status) {
	case NET_STATUS_COMPLETE:
		return "complete";
	case NET_STATUS_CUT:
		return "cut";
	case NET_STATUS_ERROR:
		return "error";
	case NET_STATUS_CANCELLED:
		return "cancelled";
	}
	return "unknown";
}

void
net_error_release(struct net_error *err)
{
	if (err == NULL)
		return;
	free(err->type);
	free(err->message);
	err->type = NULL;
	err->message = NULL;
}

/* ------------------------------------------------------------------ */
/* Messages: one line, at most MESSAGE_MAX bytes, cut at a UTF-8 boundary. */

static char *
one_line(const char *s, size_t len, size_t max)
{
	struct buf	 b;
	unsigned char	 c;
	size_t		 i, cut;
	bool		 space = false;

	buf_init(&b, BUF_NO_LIMIT);
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		/* Newlines, tabs and other controls become one space. */
		if (c <= ' ' || c == 0x7f) {
			space = true;
			continue;
		}
		if (space && b.len > 0)
			buf_addc(&b, ' ');
		space = false;
		buf_addc(&b, c);
		if (b.len > max + 4)
			break;
	}
	if (b.len > max) {
		cut = max;
		while (cut > 0 && ((unsigned char)b.data[cut] & 0xc0) == 0x80)
			cut--;
		b.len = cut;
		while (b.len > 0 && b.data[b.len - 1] == ' ')
			b.len--;
		b.data[b.len] = '\0';
	}
	return buf_take(&b, NULL);
}

/* ------------------------------------------------------------------ */
/* Emission. */

static void
event_init(struct net_event *ev, enum net_event_type type)
{
	memset(ev, 0, sizeof *ev);
	ev->type = type;
	ev->time_us = clock_us();
	usage_init_unknown(&ev->usage);
	ev->error.retry_after_ms = -1;
	ev->error.should_retry = -1;
}

void
emit_delta(struct adapter *a, enum net_event_type type, const char *text,
    size_t len)
{
	struct net_event	ev;

	if (len == 0)
		return;
	event_init(&ev, type);
	ev.text = (char *)text;
	ev.len = len;
	a->got_content = true;
	a->emit(&ev, a->arg);
}

void
emit_cstr(struct adapter *a, enum net_event_type type, const char *text)
{
	if (text != NULL)
		emit_delta(a, type, text, strlen(text));
}

void
emit_finish(struct adapter *a, const char *reason)
{
	struct net_event	ev;

	if (reason == NULL || *reason == '\0')
		return;
	event_init(&ev, NET_EV_FINISH);
	ev.text = (char *)reason;
	ev.len = strlen(reason);
	a->saw_finish = true;
	a->emit(&ev, a->arg);
}

bool
usage_known(const struct usage *u)
{
	return u->input >= 0 || u->output >= 0 || u->cached >= 0 ||
	    u->reasoning >= 0;
}

void
emit_usage(struct adapter *a, const struct usage *u)
{
	struct net_event	ev;

	/* Usage that never arrived is never reported, let alone as 0. */
	if (!usage_known(u))
		return;
	event_init(&ev, NET_EV_USAGE);
	ev.usage = *u;
	a->emit(&ev, a->arg);
}

static void
emit_error_full(struct adapter *a, enum net_error_kind kind, int http_status,
    const char *type, const char *message, int64_t retry_after_ms)
{
	struct net_event	ev;

	event_init(&ev, NET_EV_ERROR);
	ev.error.kind = kind;
	ev.error.http_status = http_status;
	ev.error.type = type != NULL ? one_line(type, strlen(type),
	    MESSAGE_MAX) : NULL;
	if (message == NULL || *message == '\0')
		message = net_error_kind_name(kind);
	ev.error.message = one_line(message, strlen(message), MESSAGE_MAX);
	ev.error.retry_after_ms = retry_after_ms;
	a->errored = true;
	a->emit(&ev, a->arg);
	net_error_release(&ev.error);
}

void
emit_error(struct adapter *a, enum net_error_kind kind, int http_status,
    const char *type, const char *message)
{
	emit_error_full(a, kind, http_status, type, message, -1);
}

/* ------------------------------------------------------------------ */
/* JSON. */

static bool
hex4(const char *s, size_t avail, unsigned *out)
{
	unsigned	v = 0;
	size_t		i;
	int		c;

	if (avail < 4)
		return false;
	for (i = 0; i < 4; i++) {
		c = (unsigned char)s[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return false;
	}
	*out = v;
	return true;
}

/*
 * cJSON 1.7.15 fails a whole document on a lone \u surrogate; PROTOCOLS.md
 * 1.4 wants U+FFFD. Find lone surrogates in s; when w (a copy of s) is
 * given, overwrite each with \uFFFD, which has the same length.
 */
static bool
lone_surrogates(const char *s, size_t len, char *w)
{
	const char	*p;
	unsigned	 c, c2;
	size_t		 i = 0;
	bool		 found = false;

	while (i < len) {
		p = memchr(s + i, '\\', len - i);
		if (p == NULL)
			break;
		i = p - s;
		if (i + 1 >= len)
			break;
		if (s[i + 1] != 'u' || !hex4(s + i + 2, len - i - 2, &c)) {
			i += 2;		/* another escape, e.g. \\ */
			continue;
		}
		if (c >= 0xd800 && c <= 0xdbff && i + 12 <= len &&
		    s[i + 6] == '\\' && s[i + 7] == 'u' &&
		    hex4(s + i + 8, len - i - 8, &c2) &&
		    c2 >= 0xdc00 && c2 <= 0xdfff) {
			i += 12;	/* a good pair */
			continue;
		}
		if (c >= 0xd800 && c <= 0xdfff) {
			found = true;
			if (w != NULL)
				memcpy(w + i, "\\uFFFD", 6);
		}
		i += 6;
	}
	return found;
}

/* One JSON value and nothing but white space after it. */
static cJSON *
parse_whole(const char *s, size_t len)
{
	const char	*end = NULL;
	cJSON		*j;

	j = cJSON_ParseWithLengthOpts(s, len, &end, false);
	if (j == NULL)
		return NULL;
	while (end < s + len && (*end == ' ' || *end == '\t' ||
	    *end == '\n' || *end == '\r'))
		end++;
	if (end != s + len) {
		cJSON_Delete(j);
		return NULL;
	}
	return j;
}

cJSON *
json_parse(const char *s, size_t len)
{
	cJSON	*j;
	char	*copy;

	if (!lone_surrogates(s, len, NULL))
		return parse_whole(s, len);
	copy = xmalloc(len + 1);
	memcpy(copy, s, len);
	copy[len] = '\0';
	lone_surrogates(s, len, copy);
	j = parse_whole(copy, len);
	free(copy);
	return j;
}

bool
parse_event(struct adapter *a, const char *s, size_t len)
{
	if (jdoc_parse(&a->doc, s, len) == 0)
		return true;
	emit_garbage(a, s, len);
	return false;
}

void
emit_jstr(struct adapter *a, enum net_event_type type, int i)
{
	const char	*s;
	size_t		 len;

	if ((s = jstr(&a->doc, i, &len)) != NULL)
		emit_delta(a, type, s, len);
}

void
emit_garbage(struct adapter *a, const char *s, size_t len)
{
	char	*quote, *msg;

	quote = one_line(s, len, QUOTE_MAX);
	msg = xasprintf("garbage event: %s", quote);
	emit_error(a, NET_ERR_PROTOCOL, 0, NULL, msg);
	free(msg);
	free(quote);
}

const cJSON *
json_error_member(const cJSON *j)
{
	const cJSON	*e;

	if (!cJSON_IsObject(j))
		return NULL;
	e = cJSON_GetObjectItemCaseSensitive(j, "error");
	if (e == NULL || cJSON_IsNull(e) || cJSON_IsFalse(e))
		return NULL;
	return e;
}

const char *
json_str(const cJSON *j, const char *key)
{
	const cJSON	*v;

	v = cJSON_GetObjectItemCaseSensitive(j, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* ------------------------------------------------------------------ */
/* Error documents. */

/* Gemini's protobuf duration "45.837906927s", rounded to milliseconds. */
static int64_t
parse_duration_ms(const char *s)
{
	int64_t	sec = 0, ns = 0, scale = 100000000;
	int	digits = 0;

	while (*s >= '0' && *s <= '9') {
		if (sec > INT64_MAX / 10000)
			return -1;
		sec = sec * 10 + (*s++ - '0');
		digits++;
	}
	if (*s == '.') {
		s++;
		while (*s >= '0' && *s <= '9') {
			ns += (*s++ - '0') * scale;
			scale /= 10;
			digits++;
		}
	}
	if (digits == 0 || *s != 's' || s[1] != '\0')
		return -1;
	return sec * 1000 + (ns + 500000) / 1000000;
}

static int64_t
retry_info(const cJSON *details)
{
	const cJSON	*d;
	const char	*t, *delay;

	cJSON_ArrayForEach(d, details) {
		t = json_str(d, "@type");
		delay = json_str(d, "retryDelay");
		if (t != NULL && delay != NULL && strstr(t, "RetryInfo") != NULL)
			return parse_duration_ms(delay);
	}
	return -1;
}

struct err_fields {
	char	*type;
	char	*message;
	int64_t	 retry_after_ms;
};

/* The error type: "type", else Google's "status", else "code". */
static char *
error_type(const cJSON *e)
{
	const cJSON	*code;
	const char	*s;

	if ((s = json_str(e, "type")) != NULL && strcmp(s, "error") != 0)
		return xstrdup(s);
	if ((s = json_str(e, "status")) != NULL)
		return xstrdup(s);
	code = cJSON_GetObjectItemCaseSensitive(e, "code");
	if (cJSON_IsString(code))
		return xstrdup(code->valuestring);
	if (cJSON_IsNumber(code))
		return xasprintf("%.0f", code->valuedouble);
	return NULL;
}

static char *
error_message(const cJSON *e)
{
	const cJSON	*m, *d;
	const char	*s;

	m = cJSON_GetObjectItemCaseSensitive(e, "message");
	if (cJSON_IsString(m))
		return xstrdup(m->valuestring);
	/* FastAPI and Mistral 422: {"detail": "..."} or [{"msg": ...}]. */
	m = cJSON_GetObjectItemCaseSensitive(e, "detail");
	if (cJSON_IsString(m))
		return xstrdup(m->valuestring);
	if (cJSON_IsArray(m)) {
		d = cJSON_GetArrayItem(m, 0);
		if ((s = json_str(d, "msg")) != NULL)
			return xstrdup(s);
	}
	return NULL;
}

/* Read an error document of any known shape. False when it names none. */
static bool
error_fields(const cJSON *j, struct err_fields *f)
{
	const cJSON	*e;

	memset(f, 0, sizeof *f);
	f->retry_after_ms = -1;
	if (cJSON_IsArray(j))		/* Gemini: [{"error": ...}] */
		j = cJSON_GetArrayItem(j, 0);
	if (cJSON_IsString(j)) {
		f->message = xstrdup(j->valuestring);
		return true;
	}
	if (!cJSON_IsObject(j))
		return false;
	e = json_error_member(j);
	if (cJSON_IsString(e)) {	/* Ollama */
		f->message = xstrdup(e->valuestring);
		return true;
	}
	if (cJSON_IsObject(e)) {	/* OpenAI, Anthropic, Gemini, vLLM */
		f->type = error_type(e);
		f->message = error_message(e);
		f->retry_after_ms = retry_info(
		    cJSON_GetObjectItemCaseSensitive(e, "details"));
		return true;
	}
	/* Flat: Mistral, old vLLM, old llama.cpp error lines. */
	f->message = error_message(j);
	if (f->message == NULL)
		return false;
	f->type = error_type(j);
	return true;
}

void
emit_api_error_json(struct adapter *a, const cJSON *j)
{
	struct err_fields	 f;
	const cJSON		*e;
	char			*printed = NULL;

	if (!error_fields(j, &f)) {
		f.type = NULL;
		f.message = NULL;
	}
	if (f.message == NULL) {
		/* No message: quote the error itself. */
		e = cJSON_IsArray(j) ? cJSON_GetArrayItem(j, 0) : j;
		if (json_error_member(e) != NULL)
			e = json_error_member(e);
		printed = cJSON_PrintUnformatted(e);
	}
	emit_error_full(a, NET_ERR_API, 0, f.type,
	    f.message != NULL ? f.message : printed, f.retry_after_ms);
	if (printed != NULL)
		cJSON_free(printed);
	free(f.type);
	free(f.message);
}

void
emit_api_error_doc(struct adapter *a)
{
	emit_api_error_text(a, a->doc.s, a->doc.len);
}

void
emit_api_error_text(struct adapter *a, const char *s, size_t len)
{
	cJSON	*j;
	char	*msg;

	j = json_parse(s, len);
	if (j != NULL) {
		emit_api_error_json(a, j);
		cJSON_Delete(j);
		return;
	}
	msg = xstrndup(s, len);
	emit_error(a, NET_ERR_API, 0, NULL, msg);
	free(msg);
}

static bool
tag_is(const char *p, const char *end, const char *name)
{
	size_t	n = strlen(name);

	if ((size_t)(end - p) < n || strncasecmp(p, name, n) != 0)
		return false;
	return p + n == end || !isalnum((unsigned char)p[n]);
}

/* Tags that do not break a line of text. */
static bool
inline_tag(const char *p, const char *end)
{
	static const char *const names[] = { "a", "b", "i", "u", "em",
	    "strong", "span", "code", "tt", "small", "big", "font", NULL };
	size_t	i;

	if (p < end && *p == '/')
		p++;
	for (i = 0; names[i] != NULL; i++)
		if (tag_is(p, end, names[i]))
			return true;
	return false;
}

static const char *
skip_element(const char *p, const char *end, const char *close)
{
	size_t	n = strlen(close);

	for (; p + n <= end; p++)
		if (strncasecmp(p, close, n) == 0)
			return p;
	return end;
}

/* HTML to text: tags become line breaks (inline ones vanish), script and
 * style bodies are dropped, and the common entities are decoded. */
static void
html_text(const char *p, const char *end, struct buf *out)
{
	static const char *const ent[][2] = { { "&amp;", "&" },
	    { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" },
	    { "&#39;", "'" }, { "&apos;", "'" }, { "&nbsp;", " " } };
	const char	*gt;
	size_t		 i, n;

	while (p < end) {
		if (*p == '<') {
			gt = memchr(p, '>', end - p);
			if (gt == NULL)
				break;
			if (!inline_tag(p + 1, gt))
				buf_addc(out, '\n');
			if (tag_is(p + 1, gt, "script"))
				gt = skip_element(gt, end, "</script");
			else if (tag_is(p + 1, gt, "style"))
				gt = skip_element(gt, end, "</style");
			if (gt == end)
				break;
			if (*gt == '<') {
				p = gt;
				continue;
			}
			p = gt + 1;
			continue;
		}
		if (*p == '&') {
			for (i = 0; i < sizeof ent / sizeof ent[0]; i++) {
				n = strlen(ent[i][0]);
				if ((size_t)(end - p) >= n &&
				    memcmp(p, ent[i][0], n) == 0)
					break;
			}
			if (i < sizeof ent / sizeof ent[0]) {
				buf_addstr(out, ent[i][1]);
				p += strlen(ent[i][0]);
				continue;
			}
		}
		buf_addc(out, *p++);
	}
}

/* The first line of s that is not blank, made one message line. */
static char *
first_line(const char *s, size_t len)
{
	const char	*p = s, *end = s + len, *nl;
	size_t		 i;

	while (p < end) {
		nl = p;
		while (nl < end && *nl != '\n' && *nl != '\r')
			nl++;
		for (i = 0; p + i < nl; i++)
			if (!isspace((unsigned char)p[i]))
				return one_line(p, nl - p, MESSAGE_MAX);
		p = nl + 1;
	}
	return NULL;
}

/* The message of a body that is not JSON: plain text or HTML. */
static char *
text_message(const char *body, size_t len)
{
	struct buf	 b;
	const char	*p = body, *end = body + len;
	char		*m;

	while (p < end && isspace((unsigned char)*p))
		p++;
	if (p < end && *p == '<') {
		buf_init(&b, BUF_NO_LIMIT);
		html_text(p, end, &b);
		m = b.len > 0 ? first_line(b.data, b.len) : NULL;
		buf_release(&b);
		return m;
	}
	return first_line(p, end - p);
}

void
adapter_parse_error_body(enum api_kind api, int http_status,
    const char *body, size_t len, struct net_error *err)
{
	struct err_fields	 f;
	cJSON			*j = NULL;
	const char		*p = body, *end = body + len;

	(void)api;		/* every shape is recognised by its look */
	memset(err, 0, sizeof *err);
	err->kind = NET_ERR_HTTP;
	err->http_status = http_status;
	err->retry_after_ms = -1;
	err->should_retry = -1;
	if (body == NULL)
		len = 0;
	while (p < end && isspace((unsigned char)*p))
		p++;
	memset(&f, 0, sizeof f);
	if (p < end && (*p == '{' || *p == '[' || *p == '"'))
		j = json_parse(p, end - p);
	if (j != NULL) {
		if (error_fields(j, &f)) {
			err->type = f.type != NULL ? one_line(f.type,
			    strlen(f.type), MESSAGE_MAX) : NULL;
			if (f.message != NULL)
				err->message = one_line(f.message,
				    strlen(f.message), MESSAGE_MAX);
			err->retry_after_ms = f.retry_after_ms;
			free(f.type);
			free(f.message);
		}
		cJSON_Delete(j);
	} else if (p < end)
		err->message = text_message(p, end - p);
	if (err->message != NULL && *err->message == '\0') {
		free(err->message);
		err->message = NULL;
	}
	if (err->message == NULL)
		err->message = xasprintf("HTTP %d", http_status);
}

/* ------------------------------------------------------------------ */
/* The adapter. */

struct adapter *
adapter_create(enum api_kind api, adapter_emit_cb emit, void *arg)
{
	struct adapter	*a;

	a = xcalloc(1, sizeof *a);
	a->api = api;
	a->emit = emit;
	a->arg = arg;
	a->status = NET_STATUS_COMPLETE;
	a->a_input = a->a_cache_write = a->a_cache_read = a->a_output =
	    USAGE_UNKNOWN;
	buf_init(&a->body, NET_MAX_EVENT);
	buf_init(&a->raw, NET_MAX_EVENT);
	buf_init(&a->tpl, NET_MAX_EVENT);
	jdoc_init(&a->doc);
	switch (api) {
	case API_OPENAI:
		a->sse = sse_create(openai_event, a);
		break;
	case API_ANTHROPIC:
		a->sse = sse_create(anthropic_event, a);
		break;
	case API_OLLAMA:
		a->ndjson = ndjson_create(ollama_line, a);
		break;
	case API_GEMINI:
		a->sse = sse_create(gemini_event, a);
		sse_set_raw_cb(a->sse, gemini_raw_line);
		break;
	}
	return a;
}

/* Test-only: lower every cap of the adapter. */
void
adapter_set_limit(struct adapter *a, size_t limit)
{
	if (limit > NET_MAX_EVENT)
		limit = NET_MAX_EVENT;
	if (a->sse != NULL)
		sse_set_limit(a->sse, limit);
	if (a->ndjson != NULL)
		ndjson_set_limit(a->ndjson, limit);
	a->body.limit = limit;
	a->raw.limit = limit;
}

/* Content-Type without parameters, compared case-insensitively. */
static bool
media_type_is(const char *ct, const char *type)
{
	size_t	n = strlen(type);

	while (*ct == ' ' || *ct == '\t')
		ct++;
	if (strncasecmp(ct, type, n) != 0)
		return false;
	ct += n;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	return *ct == '\0' || *ct == ';';
}

void
adapter_set_content_type(struct adapter *a, const char *ct)
{
	a->json_body = false;
	a->html_body = false;
	if (ct == NULL)
		return;
	if (media_type_is(ct, "application/json"))
		a->json_body = true;
	else if (media_type_is(ct, "text/html"))
		a->html_body = true;
}

int
adapter_feed(struct adapter *a, const char *p, size_t n)
{
	int	r;

	if (a->errored || a->finished)
		return -1;
	if (a->json_body || a->html_body) {
		if (buf_add(&a->body, p, n) == -1) {
			emit_error(a, NET_ERR_PROTOCOL, 0, NULL,
			    "reply larger than 64 MiB");
			return -1;
		}
		return 0;
	}
	if (a->sse != NULL)
		r = sse_feed(a->sse, p, n);
	else
		r = ndjson_feed(a->ndjson, p, n);
	if (r == -1 && !a->errored)
		emit_error(a, NET_ERR_PROTOCOL, 0, NULL,
		    "stream line or event larger than 64 MiB");
	return r == 0 && !a->errored ? 0 : -1;
}

bool
adapter_done(const struct adapter *a)
{
	return a->done;
}

bool
adapter_got_content(const struct adapter *a)
{
	return a->got_content;
}

static bool
api_reply(struct adapter *a)
{
	switch (a->api) {
	case API_OPENAI:
		return openai_reply(a);
	case API_ANTHROPIC:
		return anthropic_reply(a);
	case API_OLLAMA:
		return ollama_reply(a);
	case API_GEMINI:
		return gemini_reply(a);
	}
	return false;
}

/* Whether a body labelled JSON is really a stream (a mislabelling proxy
 * or server): SSE fields, or NDJSON for Ollama. */
static bool
looks_streamed(const struct adapter *a, const char *p, size_t len)
{
	const char	*end = p + len;

	while (p < end && isspace((unsigned char)*p))
		p++;
	if (p == end)
		return false;
	if (a->ndjson != NULL)
		return *p == '{' && memchr(p, '\n', end - p) != NULL;
	return *p == ':' || ((size_t)(end - p) >= 5 &&
	    memcmp(p, "data:", 5) == 0) || ((size_t)(end - p) >= 6 &&
	    memcmp(p, "event:", 6) == 0);
}

/*
 * A 2xx reply that is JSON or HTML rather than a stream. Returns false
 * when the body turned out to be a stream after all: it has then been fed
 * to the stream parser and the stream's end is still to be judged.
 */
static bool
finish_body(struct adapter *a)
{
	struct jdoc	*d = &a->doc;
	char		*quote, *msg;
	const char	*body = a->body.data != NULL ? a->body.data : "";
	bool		 parsed;
	int		 r, first;

	parsed = a->json_body && jdoc_parse(d, body, a->body.len) == 0;
	if (!parsed && a->json_body && looks_streamed(a, body, a->body.len)) {
		a->json_body = false;
		r = a->sse != NULL ? sse_feed(a->sse, body, a->body.len) :
		    ndjson_feed(a->ndjson, body, a->body.len);
		if (r == -1 && !a->errored)
			emit_error(a, NET_ERR_PROTOCOL, 0, NULL,
			    "stream line or event larger than 64 MiB");
		return false;
	}
	if (parsed) {
		first = jis(d, 0, JSON_ARRAY) ? jat(d, 0, 0) : 0;
		if (jtruthy(d, jget(d, first, "error")))
			emit_api_error_doc(a);
		else if (api_reply(a))
			a->done = true;
		if (a->errored || a->done)
			return true;
	}
	quote = text_message(body, a->body.len);
	msg = xasprintf("not a stream: %s", quote != NULL ? quote :
	    "empty reply");
	emit_error(a, NET_ERR_PROTOCOL, 0, NULL, msg);
	free(msg);
	free(quote);
	return true;
}

/* Gemini: an un-prefixed JSON object still pending at EOF. */
static void
finish_raw(struct adapter *a)
{
	cJSON	*j;

	if (a->raw.len == 0)
		return;
	j = json_parse(a->raw.data, a->raw.len);
	if (j != NULL && json_error_member(j) != NULL)
		emit_api_error_json(a, j);
	cJSON_Delete(j);
}

enum net_status
adapter_finish(struct adapter *a)
{
	const char	*msg = NULL;
	bool		 body_done = false;

	if (a->finished)
		return a->status;
	a->finished = true;
	if (!a->errored && (a->json_body || a->html_body))
		body_done = finish_body(a);
	if (!a->errored && !body_done) {
		if (a->sse != NULL && sse_finish(a->sse) &&
		    a->api == API_OPENAI)
			a->done = true;
		if (a->ndjson != NULL)
			ndjson_finish(a->ndjson);
		if (a->api == API_GEMINI) {
			finish_raw(a);
			a->done = a->saw_finish;
		}
	}
	if (a->errored)
		a->status = NET_STATUS_ERROR;
	else if (a->done)
		a->status = NET_STATUS_COMPLETE;
	else {
		switch (a->api) {
		case API_OPENAI:
			msg = "the stream ended without [DONE]";
			break;
		case API_ANTHROPIC:
			msg = "the stream ended without message_stop";
			break;
		case API_OLLAMA:
			msg = "the stream ended without a done line";
			break;
		case API_GEMINI:
			msg = "the stream ended without a finishReason";
			break;
		}
		emit_error(a, NET_ERR_CUT, 0, NULL, msg);
		a->errored = false;
		a->status = NET_STATUS_CUT;
	}
	return a->status;
}

void
adapter_free(struct adapter *a)
{
	if (a == NULL)
		return;
	sse_free(a->sse);
	ndjson_free(a->ndjson);
	buf_release(&a->body);
	buf_release(&a->raw);
	buf_release(&a->tpl);
	jdoc_release(&a->doc);
	free(a);
}

/* ------------------------------------------------------------------ */
/* Requests. */

void
req_add_header(struct http_request *req, const char *fmt, ...)
{
	va_list	ap;

	req->headers = xrealloc(req->headers,
	    (req->nheaders + 1) * sizeof *req->headers);
	va_start(ap, fmt);
	req->headers[req->nheaders++] = xvasprintf(fmt, ap);
	va_end(ap);
}

char *
req_base(const char *base)
{
	size_t	len = strlen(base);

	while (len > 0 && base[len - 1] == '/')
		len--;
	return xstrndup(base, len);
}

const char *
req_role(enum role role)
{
	switch (role) {
	case ROLE_SYSTEM:
		return "system";
	case ROLE_USER:
		return "user";
	case ROLE_ASSISTANT:
		return "assistant";
	}
	return "user";
}

char *
req_system(const struct chat_request *cr)
{
	struct buf	 b;
	size_t		 i;

	buf_init(&b, BUF_NO_LIMIT);
	if (cr->system != NULL && *cr->system != '\0')
		buf_addstr(&b, cr->system);
	for (i = 0; i < cr->nmessages; i++) {
		if (cr->messages[i].role != ROLE_SYSTEM ||
		    cr->messages[i].content == NULL)
			continue;
		if (b.len > 0)
			buf_addstr(&b, "\n\n");
		buf_addstr(&b, cr->messages[i].content);
	}
	if (b.len == 0) {
		buf_release(&b);
		return NULL;
	}
	return buf_take(&b, NULL);
}

char *
req_body(cJSON *root)
{
	char	*printed, *body;

	printed = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	if (printed == NULL)
		abort();	/* cJSON fails only when out of memory */
	body = xstrdup(printed);
	cJSON_free(printed);
	return body;
}

int
request_build(const struct chat_request *cr, struct http_request *req,
    char **cause)
{
	int	r = -1;

	memset(req, 0, sizeof *req);
	if (cr->base_url == NULL || *cr->base_url == '\0') {
		*cause = xasprintf("no base URL for %s",
		    cr->provider != NULL ? cr->provider : "the provider");
		return -1;
	}
	if (cr->model == NULL || *cr->model == '\0') {
		*cause = xstrdup("no model given");
		return -1;
	}
	switch (cr->api) {
	case API_OPENAI:
		r = openai_build(cr, req, cause);
		break;
	case API_ANTHROPIC:
		r = anthropic_build(cr, req, cause);
		break;
	case API_OLLAMA:
		r = ollama_build(cr, req, cause);
		break;
	case API_GEMINI:
		r = gemini_build(cr, req, cause);
		break;
	default:
		*cause = xstrdup("unknown api kind");
		break;
	}
	if (r == -1)
		http_request_release(req);
	return r;
}

void
http_request_release(struct http_request *req)
{
	size_t	i;

	for (i = 0; i < req->nheaders; i++) {
		/* Some hold keys: wipe them all. */
		explicit_bzero(req->headers[i], strlen(req->headers[i]));
		free(req->headers[i]);
	}
	free(req->headers);
	free(req->url);
	free(req->body);
	memset(req, 0, sizeof *req);
}
