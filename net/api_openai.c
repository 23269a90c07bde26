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
content_chunks(struct adapter *a, int arr)
{
	struct jdoc	*d = &a->doc;
	int		 c, type, t, tt;

	for (c = jnext(d, arr, -1); c >= 0; c = jnext(d, arr, c)) {
		type = jget(d, c, "type");
		if (jstreq(d, type, "text"))
			emit_jstr(a, NET_EV_TEXT, jget(d, c, "text"));
		else if (jstreq(d, type, "thinking")) {
			t = jget(d, c, "thinking");
			emit_jstr(a, NET_EV_REASONING, t);
			for (tt = jnext(d, t, -1); tt >= 0; tt = jnext(d, t, tt))
				emit_jstr(a, NET_EV_REASONING,
				    jget(d, tt, "text"));
		}
	}
}

/* One choice; key is "delta" in a stream, "message" in a whole reply. */
static void
choice(struct adapter *a, int c, const char *key)
{
	struct jdoc	*d = &a->doc;
	int		 delta, r, content;

	delta = jget(d, c, key);
	if (jis(d, delta, JSON_OBJECT)) {
		/* Some servers send both names for the same text. */
		r = jget(d, delta, "reasoning_content");
		if (!jis(d, r, JSON_STRING))
			r = jget(d, delta, "reasoning");
		emit_jstr(a, NET_EV_REASONING, r);
		/* llama.cpp's role chunk has "content": null: test the type. */
		content = jget(d, delta, "content");
		if (jis(d, content, JSON_STRING))
			emit_jstr(a, NET_EV_TEXT, content);
		else if (jis(d, content, JSON_ARRAY))
			content_chunks(a, content);
		emit_jstr(a, NET_EV_REFUSAL, jget(d, delta, "refusal"));
	}
	emit_finish(a, jstr(d, jget(d, c, "finish_reason"), NULL));
}

static void
usage(struct adapter *a, int u)
{
	struct jdoc	*d = &a->doc;
	struct usage	 us;

	if (!jis(d, u, JSON_OBJECT))
		return;
	usage_init_unknown(&us);
	us.input = jcount(d, jget(d, u, "prompt_tokens"));
	us.output = jcount(d, jget(d, u, "completion_tokens"));
	us.cached = jcount(d, jget(d, jget(d, u, "prompt_tokens_details"),
	    "cached_tokens"));
	us.reasoning = jcount(d, jget(d, jget(d, u,
	    "completion_tokens_details"), "reasoning_tokens"));
	emit_usage(a, &us);
}

/* The chunk (or whole reply) in a->doc. 0, or ADAPTER_STOP after an
 * error. */
static int
chunk(struct adapter *a, const char *key)
{
	struct jdoc	*d = &a->doc;
	int		 choices, c;

	if (jtruthy(d, jget(d, 0, "error"))) {
		emit_api_error_doc(a);
		return ADAPTER_STOP;
	}
	choices = jget(d, 0, "choices");
	for (c = jnext(d, choices, -1); c >= 0; c = jnext(d, choices, c)) {
		/* n > 1 interleaves choices: show the first one only. */
		if (jcount(d, jget(d, c, "index")) > 0)
			continue;
		choice(a, c, key);
	}
	usage(a, jget(d, 0, "usage"));
	return 0;
}

/*
 * Whether the chunk in a->doc holds nothing that the slow path would turn
 * into an event but one non-empty content string; if so, its token.
 */
static int
pure_text(struct adapter *a)
{
	struct jdoc	*d = &a->doc;
	int		 choices, c, delta, content, u;

	u = jget(d, 0, "usage");
	if (jget(d, 0, "error") >= 0 || (u >= 0 && !jis(d, u, JSON_NULL)))
		return -1;
	choices = jget(d, 0, "choices");
	if ((c = jnext(d, choices, -1)) < 0 || jnext(d, choices, c) >= 0 ||
	    jcount(d, jget(d, c, "index")) > 0)
		return -1;
	if (jis(d, jget(d, c, "finish_reason"), JSON_STRING))
		return -1;
	delta = jget(d, c, "delta");
	content = jget(d, delta, "content");
	if (!jis(d, content, JSON_STRING) || d->t[content].len == 0)
		return -1;
	if (jis(d, jget(d, delta, "reasoning_content"), JSON_STRING) ||
	    jis(d, jget(d, delta, "reasoning"), JSON_STRING) ||
	    jis(d, jget(d, delta, "refusal"), JSON_STRING))
		return -1;
	return content;
}

static void
remember_shape(struct adapter *a, const char *data, size_t len)
{
	int	t;

	a->tpl_ok = false;
	if ((t = pure_text(a)) < 0)
		return;
	buf_reset(&a->tpl);
	if (buf_add(&a->tpl, data, len) != 0)
		return;
	a->tpl_head = a->doc.t[t].start;
	a->tpl_tail = len - a->doc.t[t].start - a->doc.t[t].len;
	a->tpl_ok = true;
}

/* A chunk shaped like the remembered one: emit its text, return true. */
static bool
same_shape(struct adapter *a, const char *data, size_t len)
{
	size_t	head = a->tpl_head, tail = a->tpl_tail;

	if (!a->tpl_ok || len < head + tail ||
	    memcmp(data, a->tpl.data, head) != 0 ||
	    memcmp(data + len - tail, a->tpl.data + a->tpl.len - tail,
	    tail) != 0)
		return false;
	if (jdoc_parse_string_body(&a->doc, data + head, len - head - tail)
	    != 0)
		return false;
	emit_jstr(a, NET_EV_TEXT, 0);
	return true;
}

int
openai_event(const char *type, const char *data, size_t len, void *arg)
{
	struct adapter	*a = arg;
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
	if (same_shape(a, data, len))
		return 0;
	if (!parse_event(a, data, len))
		return ADAPTER_STOP;
	if (!jis(&a->doc, 0, JSON_OBJECT)) {
		emit_garbage(a, data, len);
		return ADAPTER_STOP;
	}
	if ((r = chunk(a, "delta")) == 0)
		remember_shape(a, data, len);
	return r;
}

bool
openai_reply(struct adapter *a)
{
	if (!jis(&a->doc, jget(&a->doc, 0, "choices"), JSON_ARRAY))
		return false;
	chunk(a, "message");
	return true;
}
