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
usage(struct adapter *a, const cJSON *u)
{
	struct usage	us;
	int64_t		v;

	if (!cJSON_IsObject(u))
		return;
	if ((v = json_count(u, "input_tokens")) >= 0)
		a->a_input = v;
	if ((v = json_count(u, "cache_creation_input_tokens")) >= 0)
		a->a_cache_write = v;
	if ((v = json_count(u, "cache_read_input_tokens")) >= 0)
		a->a_cache_read = v;
	if ((v = json_count(u, "output_tokens")) >= 0)
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
block(struct adapter *a, const cJSON *b)
{
	const char	*type;

	if ((type = json_str(b, "type")) == NULL)
		return;
	if (strcmp(type, "text") == 0)
		emit_cstr(a, NET_EV_TEXT, json_str(b, "text"));
	else if (strcmp(type, "thinking") == 0)
		emit_cstr(a, NET_EV_REASONING, json_str(b, "thinking"));
}

static void
delta(struct adapter *a, const cJSON *d)
{
	const char	*type;

	if ((type = json_str(d, "type")) == NULL)
		return;
	if (strcmp(type, "text_delta") == 0)
		emit_cstr(a, NET_EV_TEXT, json_str(d, "text"));
	else if (strcmp(type, "thinking_delta") == 0)
		emit_cstr(a, NET_EV_REASONING, json_str(d, "thinking"));
	/* signature_delta, input_json_delta, citations_delta: not shown */
}

static bool
known_event(const char *name)
{
	static const char *const names[] = { "message", "message_start",
	    "content_block_start", "content_block_delta",
	    "content_block_stop", "message_delta", "message_stop", NULL };
	size_t	i;

	for (i = 0; names[i] != NULL; i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

int
anthropic_event(const char *type, const char *data, size_t len, void *arg)
{
	struct adapter	*a = arg;
	const cJSON	*m;
	const char	*name = type;
	cJSON		*j;
	int		 r = 0;

	if (a->done)
		return 0;
	if (strcmp(type, "error") == 0) {
		emit_api_error_text(a, data, len);
		return ADAPTER_STOP;
	}
	/* New event types may be added: ignore what we do not know. */
	if (!known_event(type))
		return 0;
	if ((j = parse_event(a, data, len)) == NULL)
		return ADAPTER_STOP;
	if (!cJSON_IsObject(j)) {
		emit_garbage(a, data, len);
		cJSON_Delete(j);
		return ADAPTER_STOP;
	}
	if (strcmp(name, "message") == 0 &&
	    (name = json_str(j, "type")) == NULL)
		name = "";

	if (strcmp(name, "error") == 0) {
		emit_api_error_json(a, j);
		r = ADAPTER_STOP;
	} else if (strcmp(name, "message_start") == 0) {
		m = cJSON_GetObjectItemCaseSensitive(j, "message");
		usage(a, cJSON_GetObjectItemCaseSensitive(m, "usage"));
	} else if (strcmp(name, "content_block_start") == 0)
		block(a, cJSON_GetObjectItemCaseSensitive(j, "content_block"));
	else if (strcmp(name, "content_block_delta") == 0)
		delta(a, cJSON_GetObjectItemCaseSensitive(j, "delta"));
	else if (strcmp(name, "message_delta") == 0) {
		m = cJSON_GetObjectItemCaseSensitive(j, "delta");
		emit_finish(a, json_str(m, "stop_reason"));
		usage(a, cJSON_GetObjectItemCaseSensitive(j, "usage"));
	} else if (strcmp(name, "message_stop") == 0)
		a->done = true;
	cJSON_Delete(j);
	return r;
}

bool
anthropic_reply(struct adapter *a, const cJSON *j)
{
	const cJSON	*content, *b;

	content = cJSON_GetObjectItemCaseSensitive(j, "content");
	if (!cJSON_IsArray(content))
		return false;
	cJSON_ArrayForEach(b, content)
		block(a, b);
	emit_finish(a, json_str(j, "stop_reason"));
	usage(a, cJSON_GetObjectItemCaseSensitive(j, "usage"));
	return true;
}
