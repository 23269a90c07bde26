/*
 * net/api_anthropic.c - the Anthropic Messages API (PROTOCOLS.md 3).
 *
 * The stream is dispatched on the SSE event name (the JSON "type" when
 * the event has none): message_start carries the input and cache token
 * counts, content_block_start/delta carry text and thinking (signature,
 * input_json and citations deltas are not shown), message_delta the stop
 * reason and cumulative usage (it replaces, never adds), message_stop ends
 * the stream. ping and unknown events are ignored; an error event
 * (overloaded_error) ends it with an error.
 *
 * Usage as reported: input = input_tokens + cache_creation_input_tokens +
 * cache_read_input_tokens (Anthropic counts the three apart; everyone
 * else counts cached tokens as part of the input), cached =
 * cache_read_input_tokens, output = output_tokens.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "net/adapter_impl.h"

/* Anthropic requires max_tokens. */
#define DEFAULT_MAX_TOKENS 4096

int
anthropic_build(const struct chat_request *cr, struct http_request *req,
    char **cause)
{
	const struct chat_message	*m;
	cJSON				*root, *msgs, *o;
	char				*base, *system;
	size_t				 i;

	(void)cause;
	base = req_base(cr->base_url);
	req->url = xasprintf("%s/v1/messages", base);
	free(base);

	root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "model", cr->model);
	cJSON_AddNumberToObject(root, "max_tokens", cr->max_tokens > 0 ?
	    (double)cr->max_tokens : DEFAULT_MAX_TOKENS);
	/* The system prompt is top-level, not a message role. */
	if ((system = req_system(cr)) != NULL) {
		cJSON_AddStringToObject(root, "system", system);
		free(system);
	}
	msgs = cJSON_AddArrayToObject(root, "messages");
	for (i = 0; i < cr->nmessages; i++) {
		m = &cr->messages[i];
		if (m->role == ROLE_SYSTEM)
			continue;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "role", req_role(m->role));
		cJSON_AddStringToObject(o, "content",
		    m->content != NULL ? m->content : "");
		cJSON_AddItemToArray(msgs, o);
	}
	if (cr->has_temperature)
		cJSON_AddNumberToObject(root, "temperature", cr->temperature);
	cJSON_AddTrueToObject(root, "stream");
	req->body = req_body(root);

	if (cr->key != NULL && *cr->key != '\0')
		req_add_header(req, "x-api-key: %s", cr->key);
	req_add_header(req, "anthropic-version: 2023-06-01");
	req_add_header(req, "Content-Type: application/json");
	req_add_header(req, "Accept: text/event-stream");
	return 0;
}

/* Merge reported counts (cumulative: replace) and emit the sum. */
static void
usage(struct adapter *a, int u)
{
	struct jdoc	*d = &a->doc;
	struct usage	 us;
	int64_t		 v;

	if (!jis(d, u, JSON_OBJECT))
		return;
	if ((v = jcount(d, jget(d, u, "input_tokens"))) >= 0)
		a->a_input = v;
	if ((v = jcount(d, jget(d, u, "cache_creation_input_tokens"))) >= 0)
		a->a_cache_write = v;
	if ((v = jcount(d, jget(d, u, "cache_read_input_tokens"))) >= 0)
		a->a_cache_read = v;
	if ((v = jcount(d, jget(d, u, "output_tokens"))) >= 0)
		a->a_output = v;

	usage_init_unknown(&us);
	if (a->a_input >= 0) {
		us.input = a->a_input;
		if (a->a_cache_write > 0)
			us.input += a->a_cache_write;
		if (a->a_cache_read > 0)
			us.input += a->a_cache_read;
	}
	us.cached = a->a_cache_read;
	us.output = a->a_output;
	emit_usage(a, &us);
}

/* A content block (content_block_start, or a whole reply's content). */
static void
block(struct adapter *a, int b)
{
	struct jdoc	*d = &a->doc;
	int		 type = jget(d, b, "type");

	if (jstreq(d, type, "text"))
		emit_jstr(a, NET_EV_TEXT, jget(d, b, "text"));
	else if (jstreq(d, type, "thinking"))
		emit_jstr(a, NET_EV_REASONING, jget(d, b, "thinking"));
}

static void
delta(struct adapter *a, int dl)
{
	struct jdoc	*d = &a->doc;
	int		 type = jget(d, dl, "type");

	if (jstreq(d, type, "text_delta"))
		emit_jstr(a, NET_EV_TEXT, jget(d, dl, "text"));
	else if (jstreq(d, type, "thinking_delta"))
		emit_jstr(a, NET_EV_REASONING, jget(d, dl, "thinking"));
	/* signature_delta, input_json_delta, citations_delta: not shown */
}

enum ev {
	EV_UNKNOWN,
	EV_MESSAGE,	/* no event name: go by the JSON type */
	EV_ERROR,
	EV_MESSAGE_START,
	EV_BLOCK_START,
	EV_BLOCK_DELTA,
	EV_BLOCK_STOP,
	EV_MESSAGE_DELTA,
	EV_MESSAGE_STOP,
};

static const struct {
	const char	*name;
	enum ev		 ev;
} events[] = {
	{ "message", EV_MESSAGE },
	{ "error", EV_ERROR },
	{ "message_start", EV_MESSAGE_START },
	{ "content_block_start", EV_BLOCK_START },
	{ "content_block_delta", EV_BLOCK_DELTA },
	{ "content_block_stop", EV_BLOCK_STOP },
	{ "message_delta", EV_MESSAGE_DELTA },
	{ "message_stop", EV_MESSAGE_STOP },
};

static enum ev
event_by_name(const char *name)
{
	size_t	i;

	for (i = 0; i < sizeof events / sizeof events[0]; i++)
		if (strcmp(name, events[i].name) == 0)
			return events[i].ev;
	return EV_UNKNOWN;	/* ping, and what is new */
}

static enum ev
event_by_type(struct jdoc *d, int type)
{
	size_t	i;

	for (i = 1; i < sizeof events / sizeof events[0]; i++)
		if (jstreq(d, type, events[i].name))
			return events[i].ev;
	return EV_UNKNOWN;
}

int
anthropic_event(const char *type, const char *data, size_t len, void *arg)
{
	struct adapter	*a = arg;
	struct jdoc	*d = &a->doc;
	enum ev		 ev;

	if (a->done)
		return 0;
	/* New event types may be added: ignore what we do not know. */
	if ((ev = event_by_name(type)) == EV_UNKNOWN)
		return 0;
	if (ev == EV_ERROR) {
		emit_api_error_text(a, data, len);
		return ADAPTER_STOP;
	}
	if (!parse_event(a, data, len))
		return ADAPTER_STOP;
	if (!jis(d, 0, JSON_OBJECT)) {
		emit_garbage(a, data, len);
		return ADAPTER_STOP;
	}
	if (ev == EV_MESSAGE)
		ev = event_by_type(d, jget(d, 0, "type"));

	switch (ev) {
	case EV_ERROR:
		emit_api_error_doc(a);
		return ADAPTER_STOP;
	case EV_MESSAGE_START:
		usage(a, jget(d, jget(d, 0, "message"), "usage"));
		break;
	case EV_BLOCK_START:
		block(a, jget(d, 0, "content_block"));
		break;
	case EV_BLOCK_DELTA:
		delta(a, jget(d, 0, "delta"));
		break;
	case EV_MESSAGE_DELTA:
		emit_finish(a, jstr(d, jget(d, jget(d, 0, "delta"),
		    "stop_reason"), NULL));
		usage(a, jget(d, 0, "usage"));
		break;
	case EV_MESSAGE_STOP:
		a->done = true;
		break;
	default:
		break;
	}
	return 0;
}

bool
anthropic_reply(struct adapter *a)
{
	struct jdoc	*d = &a->doc;
	int		 content, b;

	content = jget(d, 0, "content");
	if (!jis(d, content, JSON_ARRAY))
		return false;
	for (b = jnext(d, content, -1); b >= 0; b = jnext(d, content, b))
		block(a, b);
	emit_finish(a, jstr(d, jget(d, 0, "stop_reason"), NULL));
	usage(a, jget(d, 0, "usage"));
	return true;
}
