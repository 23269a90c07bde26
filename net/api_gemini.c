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
usage(struct adapter *a, const cJSON *u)
{
	struct usage	us;
	int64_t		cand, thoughts;

	if (!cJSON_IsObject(u))
		return;
	usage_init_unknown(&us);
	us.input = json_count(u, "promptTokenCount");
	us.cached = json_count(u, "cachedContentTokenCount");
	cand = json_count(u, "candidatesTokenCount");
	thoughts = json_count(u, "thoughtsTokenCount");
	us.reasoning = thoughts;
	if (cand >= 0 || thoughts >= 0)
		us.output = (cand > 0 ? cand : 0) + (thoughts > 0 ? thoughts : 0);
	emit_usage(a, &us);
}

/* One GenerateContentResponse. 0, or ADAPTER_STOP after an error. */
static int
response(struct adapter *a, const cJSON *r)
{
	const cJSON	*c, *parts, *p, *fb;
	const char	*text;

	if (!cJSON_IsObject(r))
		return 0;
	if (json_error_member(r) != NULL) {
		emit_api_error_json(a, r);
		return ADAPTER_STOP;
	}
	c = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r,
	    "candidates"), 0);
	parts = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(c, "content"), "parts");
	cJSON_ArrayForEach(p, (cJSON_IsArray(parts) ? parts : NULL)) {
		if ((text = json_str(p, "text")) == NULL)
			continue;
		emit_cstr(a, json_true(p, "thought") ? NET_EV_REASONING :
		    NET_EV_TEXT, text);
	}
	emit_finish(a, json_str(c, "finishReason"));
	/* A blocked prompt: no candidates, the reason in promptFeedback. */
	fb = cJSON_GetObjectItemCaseSensitive(r, "promptFeedback");
	if (c == NULL)
		emit_finish(a, json_str(fb, "blockReason"));
	usage(a, cJSON_GetObjectItemCaseSensitive(r, "usageMetadata"));
	return 0;
}

int
gemini_event(const char *type, const char *data, size_t len, void *arg)
{
	struct adapter	*a = arg;
	const cJSON	*r;
	cJSON		*j;
	int		 ret = 0;

	if (strcmp(type, "error") == 0) {
		emit_api_error_text(a, data, len);
		return ADAPTER_STOP;
	}
	if ((j = parse_event(a, data, len)) == NULL)
		return ADAPTER_STOP;
	if (cJSON_IsArray(j)) {
		cJSON_ArrayForEach(r, j)
			if ((ret = response(a, r)) != 0)
				break;
	} else if (cJSON_IsObject(j))
		ret = response(a, j);
	else {
		emit_garbage(a, data, len);
		ret = ADAPTER_STOP;
	}
	cJSON_Delete(j);
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
gemini_reply(struct adapter *a, const cJSON *j)
{
	const cJSON	*r, *first;

	first = cJSON_IsArray(j) ? cJSON_GetArrayItem(j, 0) : j;
	if (cJSON_GetObjectItemCaseSensitive(first, "candidates") == NULL &&
	    cJSON_GetObjectItemCaseSensitive(first, "usageMetadata") == NULL &&
	    cJSON_GetObjectItemCaseSensitive(first, "promptFeedback") == NULL)
		return false;
	if (cJSON_IsArray(j)) {
		cJSON_ArrayForEach(r, j)
			response(a, r);
	} else
		response(a, j);
	return true;
}
