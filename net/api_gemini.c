/*
 * net/api_gemini.c - Gemini streamGenerateContent with alt=sse
 * (PROTOCOLS.md 5).
 *
 * Every data event is a whole GenerateContentResponse. Text comes from
 * candidates[0].content.parts[*].text; a part with "thought": true is
 * reasoning. finishReason (or promptFeedback.blockReason when the prompt
 * was blocked) is the finish reason. usageMetadata is cumulative: input =
 * promptTokenCount, output = candidatesTokenCount + thoughtsTokenCount
 * (what is billed as output), reasoning = thoughtsTokenCount, cached =
 * cachedContentTokenCount. There is no end marker: EOF after a finish
 * reason is a complete stream, EOF before one a cut stream. An un-prefixed
 * JSON object with an error member may appear in the stream; its lines are
 * gathered by brace balance, as python-genai does.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "net/adapter_impl.h"

/* A model name as one URL path segment ("models/x" is taken as "x"). */
static void
add_model(struct buf *b, const char *model)
{
	static const char	 hex[] = "0123456789ABCDEF";
	unsigned char		 c;

	if (strncmp(model, "models/", 7) == 0)
		model += 7;
	for (; *model != '\0'; model++) {
		c = (unsigned char)*model;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~", c) != NULL)
			buf_addc(b, c);
		else {
			buf_addc(b, '%');
			buf_addc(b, hex[c >> 4]);
			buf_addc(b, hex[c & 15]);
		}
	}
}

static cJSON *
text_parts(const char *text)
{
	cJSON	*parts, *p;

	parts = cJSON_CreateArray();
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "text", text != NULL ? text : "");
	cJSON_AddItemToArray(parts, p);
	return parts;
}

int
gemini_build(const struct chat_request *cr, struct http_request *req,
    char **cause)
{
	const struct chat_message	*m;
	struct buf			 url;
	cJSON				*root, *o, *contents, *gc;
	char				*base, *system;
	size_t				 i;

	(void)cause;
	base = req_base(cr->base_url);
	buf_init(&url, BUF_NO_LIMIT);
	buf_addstr(&url, base);
	buf_addstr(&url, "/models/");
	add_model(&url, cr->model);
	buf_addstr(&url, ":streamGenerateContent?alt=sse");
	req->url = buf_take(&url, NULL);
	free(base);

	root = cJSON_CreateObject();
	if ((system = req_system(cr)) != NULL) {
		o = cJSON_AddObjectToObject(root, "systemInstruction");
		cJSON_AddItemToObject(o, "parts", text_parts(system));
		free(system);
	}
	contents = cJSON_AddArrayToObject(root, "contents");
	for (i = 0; i < cr->nmessages; i++) {
		m = &cr->messages[i];
		if (m->role == ROLE_SYSTEM)
			continue;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "role",
		    m->role == ROLE_ASSISTANT ? "model" : "user");
		cJSON_AddItemToObject(o, "parts", text_parts(m->content));
		cJSON_AddItemToArray(contents, o);
	}
	if (cr->has_temperature || cr->max_tokens > 0) {
		gc = cJSON_AddObjectToObject(root, "generationConfig");
		if (cr->has_temperature)
			cJSON_AddNumberToObject(gc, "temperature",
			    cr->temperature);
		if (cr->max_tokens > 0)
			cJSON_AddNumberToObject(gc, "maxOutputTokens",
			    (double)cr->max_tokens);
	}
	req->body = req_body(root);

	if (cr->key != NULL && *cr->key != '\0')
		req_add_header(req, "x-goog-api-key: %s", cr->key);
	req_add_header(req, "Content-Type: application/json");
	req_add_header(req, "Accept: text/event-stream");
	return 0;
}

static void
usage(struct adapter *a, int u)
{
	struct jdoc	*d = &a->doc;
	struct usage	 us;
	int64_t		 cand, thoughts;

	if (!jis(d, u, JSON_OBJECT))
		return;
	usage_init_unknown(&us);
	us.input = jcount(d, jget(d, u, "promptTokenCount"));
	us.cached = jcount(d, jget(d, u, "cachedContentTokenCount"));
	cand = jcount(d, jget(d, u, "candidatesTokenCount"));
	thoughts = jcount(d, jget(d, u, "thoughtsTokenCount"));
	us.reasoning = thoughts;
	if (cand >= 0 || thoughts >= 0)
		us.output = (cand > 0 ? cand : 0) + (thoughts > 0 ? thoughts : 0);
	emit_usage(a, &us);
}

/* One GenerateContentResponse, token r of a->doc. 0, or ADAPTER_STOP
 * after an error. */
static int
response(struct adapter *a, int r)
{
	struct jdoc	*d = &a->doc;
	int		 c, parts, p, text;

	if (!jis(d, r, JSON_OBJECT))
		return 0;
	if (jtruthy(d, jget(d, r, "error"))) {
		emit_api_error_doc(a);
		return ADAPTER_STOP;
	}
	c = jat(d, jget(d, r, "candidates"), 0);
	parts = jget(d, jget(d, c, "content"), "parts");
	for (p = jnext(d, parts, -1); p >= 0; p = jnext(d, parts, p)) {
		text = jget(d, p, "text");
		emit_jstr(a, jis(d, jget(d, p, "thought"), JSON_TRUE) ?
		    NET_EV_REASONING : NET_EV_TEXT, text);
	}
	emit_finish(a, jstr(d, jget(d, c, "finishReason"), NULL));
	/* A blocked prompt: no candidates, the reason in promptFeedback. */
	if (c < 0)
		emit_finish(a, jstr(d, jget(d, jget(d, r, "promptFeedback"),
		    "blockReason"), NULL));
	usage(a, jget(d, r, "usageMetadata"));
	return 0;
}

int
gemini_event(const char *type, const char *data, size_t len, void *arg)
{
	struct adapter	*a = arg;
	struct jdoc	*d = &a->doc;
	int		 r, ret = 0;

	if (strcmp(type, "error") == 0) {
		emit_api_error_text(a, data, len);
		return ADAPTER_STOP;
	}
	if (!parse_event(a, data, len))
		return ADAPTER_STOP;
	if (jis(d, 0, JSON_ARRAY)) {
		for (r = jnext(d, 0, -1); r >= 0 && ret == 0;
		    r = jnext(d, 0, r))
			ret = response(a, r);
	} else if (jis(d, 0, JSON_OBJECT))
		ret = response(a, 0);
	else {
		emit_garbage(a, data, len);
		ret = ADAPTER_STOP;
	}
	return ret;
}

int
gemini_raw_line(const char *line, size_t len, void *arg)
{
	struct adapter	*a = arg;
	cJSON		*j;
	size_t		 i;
	char		 c;
	int		 r = 0;

	if (a->raw.len == 0 && memchr(line, '{', len) == NULL)
		return 0;		/* not the start of an object */
	for (i = 0; i < len; i++) {
		c = line[i];
		if (a->raw_in_string) {
			if (a->raw_escape)
				a->raw_escape = false;
			else if (c == '\\')
				a->raw_escape = true;
			else if (c == '"')
				a->raw_in_string = false;
		} else if (c == '"')
			a->raw_in_string = true;
		else if (c == '{' || c == '[')
			a->raw_depth++;
		else if (c == '}' || c == ']')
			a->raw_depth--;
	}
	if (buf_add(&a->raw, line, len) == -1 ||
	    buf_addc(&a->raw, '\n') == -1) {
		emit_error(a, NET_ERR_PROTOCOL, 0, NULL,
		    "stream line or event larger than 64 MiB");
		return ADAPTER_STOP;
	}
	if (a->raw_depth > 0)
		return 0;
	j = json_parse(a->raw.data, a->raw.len);
	if (j != NULL && json_error_member(j) != NULL) {
		emit_api_error_json(a, j);
		r = ADAPTER_STOP;
	}
	cJSON_Delete(j);
	a->raw.len = 0;
	a->raw.data[0] = '\0';
	a->raw_depth = 0;
	a->raw_in_string = false;
	a->raw_escape = false;
	return r;
}

bool
gemini_reply(struct adapter *a)
{
	struct jdoc	*d = &a->doc;
	int		 r, first;

	first = jis(d, 0, JSON_ARRAY) ? jat(d, 0, 0) : 0;
	if (jget(d, first, "candidates") < 0 &&
	    jget(d, first, "usageMetadata") < 0 &&
	    jget(d, first, "promptFeedback") < 0)
		return false;
	if (jis(d, 0, JSON_ARRAY)) {
		for (r = jnext(d, 0, -1); r >= 0; r = jnext(d, 0, r))
			response(a, r);
	} else
		response(a, 0);
	return true;
}
