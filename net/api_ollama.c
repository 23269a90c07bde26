/*
 * net/api_ollama.c - Ollama's native /api/chat (PROTOCOLS.md 4).
 *
 * NDJSON: every line a ChatResponse with message.content (text) and
 * message.thinking (reasoning); the last line has "done": true with
 * done_reason, prompt_eval_count (input tokens) and eval_count (output
 * tokens). An {"error": "..."} line ends the stream with an error. No
 * done line before EOF means the stream was cut.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "net/adapter_impl.h"

int
ollama_build(const struct chat_request *cr, struct http_request *req,
    char **cause)
{
	cJSON	*root, *msgs, *m, *opts;
	char	*base;
	size_t	 i;

	(void)cause;
	base = req_base(cr->base_url);
	req->url = xasprintf("%s/api/chat", base);
	free(base);

	root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "model", cr->model);
	msgs = cJSON_AddArrayToObject(root, "messages");
	if (cr->system != NULL) {
		m = cJSON_CreateObject();
		cJSON_AddStringToObject(m, "role", "system");
		cJSON_AddStringToObject(m, "content", cr->system);
		cJSON_AddItemToArray(msgs, m);
	}
	for (i = 0; i < cr->nmessages; i++) {
		m = cJSON_CreateObject();
		cJSON_AddStringToObject(m, "role",
		    req_role(cr->messages[i].role));
		cJSON_AddStringToObject(m, "content",
		    cr->messages[i].content != NULL ?
		    cr->messages[i].content : "");
		cJSON_AddItemToArray(msgs, m);
	}
	cJSON_AddTrueToObject(root, "stream");
	if (cr->has_temperature || cr->max_tokens > 0) {
		opts = cJSON_AddObjectToObject(root, "options");
		if (cr->has_temperature)
			cJSON_AddNumberToObject(opts, "temperature",
			    cr->temperature);
		if (cr->max_tokens > 0)
			cJSON_AddNumberToObject(opts, "num_predict",
			    (double)cr->max_tokens);
	}
	req->body = req_body(root);

	/* Local servers need none; ollama.com wants a bearer key. */
	if (cr->key != NULL && *cr->key != '\0')
		req_add_header(req, "Authorization: Bearer %s", cr->key);
	req_add_header(req, "Content-Type: application/json");
	req_add_header(req, "Accept: application/x-ndjson");
	return 0;
}

static void
response(struct adapter *a)
{
	struct jdoc	*d = &a->doc;
	struct usage	 us;
	int		 m;

	m = jget(d, 0, "message");
	emit_jstr(a, NET_EV_REASONING, jget(d, m, "thinking"));
	emit_jstr(a, NET_EV_TEXT, jget(d, m, "content"));
	if (!jis(d, jget(d, 0, "done"), JSON_TRUE))
		return;
	emit_finish(a, jstr(d, jget(d, 0, "done_reason"), NULL));
	usage_init_unknown(&us);
	us.input = jcount(d, jget(d, 0, "prompt_eval_count"));
	us.output = jcount(d, jget(d, 0, "eval_count"));
	emit_usage(a, &us);
	a->done = true;
}

int
ollama_line(const char *line, size_t len, void *arg)
{
	struct adapter	*a = arg;

	if (a->done)
		return 0;
	if (!parse_event(a, line, len))
		return ADAPTER_STOP;
	if (!jis(&a->doc, 0, JSON_OBJECT)) {
		emit_garbage(a, line, len);
		return ADAPTER_STOP;
	}
	if (jtruthy(&a->doc, jget(&a->doc, 0, "error"))) {
		emit_api_error_doc(a);
		return ADAPTER_STOP;
	}
	response(a);
	return 0;
}

bool
ollama_reply(struct adapter *a)
{
	if (!jis(&a->doc, jget(&a->doc, 0, "message"), JSON_OBJECT))
		return false;
	response(a);
	return true;
}
