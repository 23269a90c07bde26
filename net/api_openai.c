/*
 * net/api_openai.c - OpenAI Chat Completions and the servers that copy it:
 * Mistral, OpenRouter, vLLM, llama.cpp, LM Studio, Ollama's /v1
 * (PROTOCOLS.md 2, 6, 7, 8).
 *
 * Only choice 0 is read. From its delta: content (a string, or Mistral's
 * array of text and thinking chunks; null is nothing), refusal,
 * reasoning_content or reasoning, finish_reason. Usage may come on any
 * chunk, most often on a last one with "choices": []. llama.cpp's timings
 * and all unknown fields are ignored. The stream ends at "data: [DONE]";
 * an error object or an event named "error" ends it with an error.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/adapter_impl.h"

/* Whether base names api.openai.com itself, which wants
 * max_completion_tokens where compatible servers want max_tokens. */
static bool
official(const char *base)
{
	const char	*host, *end;

	host = strstr(base, "://");
	host = host != NULL ? host + 3 : base;
	end = host + strcspn(host, ":/?#");
	return (size_t)(end - host) == strlen("api.openai.com") &&
	    strncasecmp(host, "api.openai.com", end - host) == 0;
}

static void
add_message(cJSON *msgs, const char *role, const char *content)
{
	cJSON	*m;

	m = cJSON_CreateObject();
	cJSON_AddStringToObject(m, "role", role);
	cJSON_AddStringToObject(m, "content", content != NULL ? content : "");
	cJSON_AddItemToArray(msgs, m);
}

int
openai_build(const struct chat_request *cr, struct http_request *req,
    char **cause)
{
	cJSON	*root, *msgs, *opts;
	char	*base;
	size_t	 i;

	(void)cause;
	base = req_base(cr->base_url);
	req->url = xasprintf("%s/chat/completions", base);

	root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "model", cr->model);
	msgs = cJSON_AddArrayToObject(root, "messages");
	if (cr->system != NULL)
		add_message(msgs, "system", cr->system);
	for (i = 0; i < cr->nmessages; i++)
		add_message(msgs, req_role(cr->messages[i].role),
		    cr->messages[i].content);
	cJSON_AddTrueToObject(root, "stream");
	if (cr->has_temperature)
		cJSON_AddNumberToObject(root, "temperature", cr->temperature);
	if (cr->max_tokens > 0)
		cJSON_AddNumberToObject(root, official(base) ?
		    "max_completion_tokens" : "max_tokens",
		    (double)cr->max_tokens);
	if (cr->stream_usage) {
		opts = cJSON_AddObjectToObject(root, "stream_options");
		cJSON_AddTrueToObject(opts, "include_usage");
	}
	req->body = req_body(root);
	free(base);

	if (cr->key != NULL && *cr->key != '\0')
		req_add_header(req, "Authorization: Bearer %s", cr->key);
	req_add_header(req, "Content-Type: application/json");
	req_add_header(req, "Accept: text/event-stream");
	return 0;
}

/* Mistral: content as [{"type":"text","text"}, {"type":"thinking",
 * "thinking":[{"type":"text","text"}]}]. */
static void
content_chunks(struct adapter *a, const cJSON *arr)
{
	const cJSON	*c, *t, *tt;
	const char	*type;

	cJSON_ArrayForEach(c, arr) {
		type = json_str(c, "type");
		if (type == NULL)
			continue;
		if (strcmp(type, "text") == 0)
			emit_cstr(a, NET_EV_TEXT, json_str(c, "text"));
		else if (strcmp(type, "thinking") == 0) {
			t = cJSON_GetObjectItemCaseSensitive(c, "thinking");
			if (cJSON_IsString(t))
				emit_cstr(a, NET_EV_REASONING, t->valuestring);
			cJSON_ArrayForEach(tt, (cJSON_IsArray(t) ? t : NULL))
				emit_cstr(a, NET_EV_REASONING,
				    json_str(tt, "text"));
		}
	}
}

/* One choice; key is "delta" in a stream, "message" in a whole reply. */
static void
choice(struct adapter *a, const cJSON *c, const char *key)
{
	const cJSON	*d, *content;
	const char	*s;

	d = cJSON_GetObjectItemCaseSensitive(c, key);
	if (cJSON_IsObject(d)) {
		/* Some servers send both names for the same text. */
		s = json_str(d, "reasoning_content");
		if (s == NULL)
			s = json_str(d, "reasoning");
		emit_cstr(a, NET_EV_REASONING, s);
		/* llama.cpp's role chunk has "content": null: test the type. */
		content = cJSON_GetObjectItemCaseSensitive(d, "content");
		if (cJSON_IsString(content))
			emit_cstr(a, NET_EV_TEXT, content->valuestring);
		else if (cJSON_IsArray(content))
			content_chunks(a, content);
		emit_cstr(a, NET_EV_REFUSAL, json_str(d, "refusal"));
	}
	emit_finish(a, json_str(c, "finish_reason"));
}

static void
usage(struct adapter *a, const cJSON *u)
{
	struct usage	us;

	if (!cJSON_IsObject(u))
		return;
	usage_init_unknown(&us);
	us.input = json_count(u, "prompt_tokens");
	us.output = json_count(u, "completion_tokens");
	us.cached = json_count(cJSON_GetObjectItemCaseSensitive(u,
	    "prompt_tokens_details"), "cached_tokens");
	us.reasoning = json_count(cJSON_GetObjectItemCaseSensitive(u,
	    "completion_tokens_details"), "reasoning_tokens");
	emit_usage(a, &us);
}

/* A chunk, or a whole reply. Returns 0, or ADAPTER_STOP after an error. */
static int
chunk(struct adapter *a, const cJSON *j, const char *key)
{
	const cJSON	*choices, *c;

	if (json_error_member(j) != NULL) {
		emit_api_error_json(a, j);
		return ADAPTER_STOP;
	}
	choices = cJSON_GetObjectItemCaseSensitive(j, "choices");
	cJSON_ArrayForEach(c, (cJSON_IsArray(choices) ? choices : NULL)) {
		/* n > 1 interleaves choices: show the first one only. */
		if (json_count(c, "index") > 0)
			continue;
		choice(a, c, key);
	}
	usage(a, cJSON_GetObjectItemCaseSensitive(j, "usage"));
	return 0;
}

int
openai_event(const char *type, const char *data, size_t len, void *arg)
{
	struct adapter	*a = arg;
	cJSON		*j;
	int		 r;

	if (a->done)
		return 0;
	/* openai-node: an event named error is an error, whatever it holds;
	 * so is old llama.cpp's error: line. */
	if (strcmp(type, "error") == 0) {
		emit_api_error_text(a, data, len);
		return ADAPTER_STOP;
	}
	if (len >= 6 && memcmp(data, "[DONE]", 6) == 0) {
		a->done = true;
		return 0;
	}
	if ((j = parse_event(a, data, len)) == NULL)
		return ADAPTER_STOP;
	if (!cJSON_IsObject(j)) {
		emit_garbage(a, data, len);
		r = ADAPTER_STOP;
	} else
		r = chunk(a, j, "delta");
	cJSON_Delete(j);
	return r;
}

bool
openai_reply(struct adapter *a, const cJSON *j)
{
	if (!cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(j, "choices")))
		return false;
	chunk(a, j, "message");
	return true;
}
