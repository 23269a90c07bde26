/*
 * tests/unit/test_adapters.c - the four API adapters, request building and
 * error bodies.
 *
 * Every stream in tests/unit/fixtures/net/ is fed to its adapter whole and
 * in chunks of 1, 2, 3, 5, 7, 13 and 64 bytes; the events, with adjacent
 * deltas of one type joined, must read exactly as NAME.expect. Set
 * TOLK_REGEN=1 to rewrite the .expect files (then read every diff).
 * The fuzz corpora under tests/fuzz/corpus/ run through the adapters too:
 * they must not crash.
 */
#include "config.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/adapter_impl.h"

static const size_t steps[] = { 0, 1, 2, 3, 5, 7, 13, 64 };
#define NSTEPS (sizeof steps / sizeof steps[0])

static const char *
srcdir(void)
{
	const char	*d = getenv("TOLK_SRCDIR");

	return d != NULL ? d : ".";
}

static char *
read_file(const char *path, size_t *lenp)
{
	FILE	*f;
	char	*data;
	long	 n;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = xmalloc(n + 1);
	if (fread(data, 1, n, f) != (size_t)n) {
		fclose(f);
		free(data);
		return NULL;
	}
	fclose(f);
	data[n] = '\0';
	*lenp = n;
	return data;
}

/* ------------------------------------------------------------------ */
/* Recording events as text. */

struct rec {
	struct buf		 out;
	enum net_event_type	 last;	/* the delta being joined, or -1 */
	int			 open;
	struct buf		 delta;
};

static const char *
type_name(enum net_event_type t)
{
	switch (t) {
	case NET_EV_TEXT:
		return "text";
	case NET_EV_REASONING:
		return "reasoning";
	case NET_EV_REFUSAL:
		return "refusal";
	case NET_EV_USAGE:
		return "usage";
	case NET_EV_FINISH:
		return "finish";
	case NET_EV_ERROR:
		return "error";
	case NET_EV_RETRY:
		return "retry";
	case NET_EV_DONE:
		return "done";
	}
	return "?";
}

/* Quote bytes: printable ASCII and valid UTF-8 as they are, the rest
 * escaped, so invalid bytes show. */
static void
quote(struct buf *b, const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, n, k;

	buf_addc(b, '"');
	while (i < len) {
		if (p[i] == '\n')
			buf_addstr(b, "\\n");
		else if (p[i] == '\t')
			buf_addstr(b, "\\t");
		else if (p[i] == '"' || p[i] == '\\') {
			buf_addc(b, '\\');
			buf_addc(b, p[i]);
		} else if (p[i] >= 0x20 && p[i] < 0x7f)
			buf_addc(b, p[i]);
		else {
			n = 0;
			if (p[i] >= 0xc2 && p[i] <= 0xdf)
				n = 2;
			else if (p[i] >= 0xe0 && p[i] <= 0xef)
				n = 3;
			else if (p[i] >= 0xf0 && p[i] <= 0xf4)
				n = 4;
			for (k = 1; k < n; k++)
				if (i + k >= len || (p[i + k] & 0xc0) != 0x80)
					n = 0;
			if (n > 0) {
				buf_add(b, p + i, n);
				i += n;
				continue;
			}
			buf_addf(b, "\\x%02x", p[i]);
		}
		i++;
	}
	buf_addc(b, '"');
}

static void
rec_flush(struct rec *r)
{
	if (!r->open)
		return;
	buf_addf(&r->out, "%s ", type_name(r->last));
	quote(&r->out, r->delta.data != NULL ? r->delta.data : "",
	    r->delta.len);
	buf_addc(&r->out, '\n');
	buf_reset(&r->delta);
	r->open = 0;
}

static void
rec_emit(const struct net_event *ev, void *arg)
{
	struct rec	*r = arg;

	if (ev->type == NET_EV_TEXT || ev->type == NET_EV_REASONING ||
	    ev->type == NET_EV_REFUSAL) {
		assert_true(ev->len > 0);
		assert_int_equal(strlen(ev->text) >= ev->len, 1);
		if (r->open && r->last != ev->type)
			rec_flush(r);
		r->open = 1;
		r->last = ev->type;
		buf_add(&r->delta, ev->text, ev->len);
		return;
	}
	rec_flush(r);
	switch (ev->type) {
	case NET_EV_USAGE:
		buf_addf(&r->out, "usage input=%lld output=%lld cached=%lld "
		    "reasoning=%lld\n", (long long)ev->usage.input,
		    (long long)ev->usage.output, (long long)ev->usage.cached,
		    (long long)ev->usage.reasoning);
		break;
	case NET_EV_FINISH:
		buf_addf(&r->out, "finish %.*s\n", (int)ev->len, ev->text);
		break;
	case NET_EV_ERROR:
		assert_non_null(ev->error.message);
		assert_true(strlen(ev->error.message) <= 300);
		buf_addf(&r->out, "error %s status=%d type=%s retry=%lld ",
		    net_error_kind_name(ev->error.kind), ev->error.http_status,
		    ev->error.type != NULL ? ev->error.type : "-",
		    (long long)ev->error.retry_after_ms);
		quote(&r->out, ev->error.message, strlen(ev->error.message));
		buf_addc(&r->out, '\n');
		break;
	default:
		buf_addf(&r->out, "unexpected %s\n", type_name(ev->type));
		break;
	}
}

static void
rec_init(struct rec *r)
{
	memset(r, 0, sizeof *r);
	buf_init(&r->out, BUF_NO_LIMIT);
	buf_init(&r->delta, BUF_NO_LIMIT);
}

static void
rec_release(struct rec *r)
{
	buf_release(&r->out);
	buf_release(&r->delta);
}

static const char *
content_type(const char *name)
{
	const char	*dot = strrchr(name, '.');

	if (dot == NULL)
		return NULL;
	if (strcmp(dot, ".json") == 0)
		return "application/json";
	if (strcmp(dot, ".html") == 0)
		return "text/html; charset=utf-8";
	if (strcmp(dot, ".ndjson") == 0)
		return "application/x-ndjson";
	return "text/event-stream; charset=utf-8";
}

/*
 * Run one body through an adapter in chunks of step bytes (0: whole) and
 * return the record: events, "stopped" when adapter_feed refused more, and
 * the final status. limit: 0, or a lower cap.
 */
static char *
run_adapter(enum api_kind api, const char *ct, const char *data, size_t len,
    size_t step, size_t limit)
{
	struct adapter	*a;
	struct rec	 r;
	enum net_status	 st;
	size_t		 off = 0, n;
	char		*out;
	bool		 got;

	rec_init(&r);
	a = adapter_create(api, rec_emit, &r);
	if (limit > 0)
		adapter_set_limit(a, limit);
	adapter_set_content_type(a, ct);
	while (off < len) {
		n = step == 0 || len - off < step ? len - off : step;
		if (adapter_feed(a, data + off, n) != 0) {
			rec_flush(&r);
			buf_addstr(&r.out, "stopped\n");
			break;
		}
		off += n;
	}
	st = adapter_finish(a);
	got = adapter_got_content(a);
	rec_flush(&r);
	buf_addf(&r.out, "status %s%s\n", net_status_name(st),
	    st == NET_STATUS_COMPLETE && !adapter_done(a) ? " (not done)" : "");
	assert_int_equal(adapter_finish(a), st);	/* idempotent */
	if (!got)
		assert_null(strstr(r.out.data, "text \""));
	adapter_free(a);
	out = buf_take(&r.out, NULL);
	rec_release(&r);
	return out;
}

/* ------------------------------------------------------------------ */
/* Fixture streams. */

static const char *const fixtures[] = {
	"openai_basic.sse",
	"openai_same_shape.sse",
	"openai_usage.sse",
	"openai_refusal.sse",
	"openai_reasoning.sse",
	"openai_error_mid_stream.sse",
	"openai_null_content.sse",
	"openai_event_error.sse",
	"openai_cut.sse",
	"openai_surrogates.sse",
	"openai_invalid_utf8.sse",
	"openai_garbage.sse",
	"openai_trailing_garbage.sse",
	"openai_crlf_bom.sse",
	"openai_reply.json",
	"openai_not_json.json",
	"openai_unknown.json",
	"openai_portal.html",
	"openai_mislabelled.json",
	"mistral_array_content.sse",
	"llamacpp_old_error.sse",
	"llamacpp_done_no_blank.sse",
	"vllm_error_done.sse",
	"anthropic_basic.sse",
	"anthropic_thinking.sse",
	"anthropic_overloaded.sse",
	"anthropic_ping_unknown.sse",
	"anthropic_cut.sse",
	"anthropic_error_200.json",
	"anthropic_reply.json",
	"ollama_basic.ndjson",
	"ollama_thinking.ndjson",
	"ollama_error_line.ndjson",
	"ollama_cut.ndjson",
	"ollama_escapes.ndjson",
	"ollama_reply.json",
	"ollama_mislabelled.json",
	"gemini_basic.sse",
	"gemini_thoughts.sse",
	"gemini_crlf.sse",
	"gemini_cut.sse",
	"gemini_raw_error.sse",
	"gemini_blocked.sse",
	"gemini_array.json",
	"gemini_error_array.json",
};
#define NFIXTURES (sizeof fixtures / sizeof fixtures[0])

static enum api_kind
fixture_api(const char *name)
{
	if (strncmp(name, "anthropic_", 10) == 0)
		return API_ANTHROPIC;
	if (strncmp(name, "ollama_", 7) == 0)
		return API_OLLAMA;
	if (strncmp(name, "gemini_", 7) == 0)
		return API_GEMINI;
	return API_OPENAI;	/* openai, mistral, llamacpp, vllm */
}

static void
fixture_test(void **state)
{
	const char	*name = *state;
	char		*path, *data, *expect, *got;
	size_t		 len, elen, i;
	FILE		*f;

	path = xasprintf("%s/tests/unit/fixtures/net/%s", srcdir(), name);
	data = read_file(path, &len);
	assert_non_null(data);
	free(path);

	path = xasprintf("%s/tests/unit/fixtures/net/%.*s.expect", srcdir(),
	    (int)(strrchr(name, '.') - name), name);
	got = run_adapter(fixture_api(name), content_type(name), data, len,
	    0, 0);
	if (getenv("TOLK_REGEN") != NULL) {
		f = fopen(path, "wb");
		assert_non_null(f);
		fputs(got, f);
		fclose(f);
	}
	expect = read_file(path, &elen);
	assert_non_null(expect);
	free(path);
	for (i = 0; i < NSTEPS; i++) {
		free(got);
		got = run_adapter(fixture_api(name), content_type(name), data,
		    len, steps[i], 0);
		if (strcmp(got, expect) != 0)
			print_error("%s in chunks of %zu bytes\n", name,
			    steps[i]);
		assert_string_equal(got, expect);
	}
	free(got);
	free(expect);
	free(data);
}

/* ------------------------------------------------------------------ */
/* Direct cases. */

static void
adapter_event_over_cap_is_protocol_error(void **state)
{
	char	*got;
	char	 big[200];

	(void)state;
	memset(big, 'x', sizeof big);
	memcpy(big, "data: \"", 7);
	got = run_adapter(API_OPENAI, NULL, big, sizeof big, 16, 64);
	assert_string_equal(got, "error protocol status=0 type=- retry=-1 "
	    "\"stream line or event larger than 64 MiB\"\nstopped\n"
	    "status error\n");
	free(got);
	got = run_adapter(API_OLLAMA, NULL, big, sizeof big, 0, 64);
	assert_non_null(strstr(got, "error protocol"));
	free(got);
	got = run_adapter(API_OPENAI, "application/json", big, sizeof big, 7,
	    64);
	assert_non_null(strstr(got, "reply larger than 64 MiB"));
	free(got);
}

static void
adapter_empty_stream_is_cut(void **state)
{
	static const enum api_kind apis[] = { API_OPENAI, API_ANTHROPIC,
	    API_OLLAMA, API_GEMINI };
	char	*got;
	size_t	 i;

	(void)state;
	for (i = 0; i < 4; i++) {
		got = run_adapter(apis[i], NULL, "", 0, 0, 0);
		assert_non_null(strstr(got, "error cut"));
		assert_non_null(strstr(got, "status cut\n"));
		assert_null(strstr(got, "usage"));
		free(got);
	}
}

static void
adapter_done_after_end_marker(void **state)
{
	struct rec	 r;
	struct adapter	*a;
	const char	*s = "data: {\"choices\":[]}\n\ndata: [DONE]\n\n";

	(void)state;
	rec_init(&r);
	a = adapter_create(API_OPENAI, rec_emit, &r);
	assert_false(adapter_done(a));
	assert_int_equal(adapter_feed(a, s, 20), 0);
	assert_false(adapter_done(a));
	assert_int_equal(adapter_feed(a, s + 20, strlen(s) - 20), 0);
	assert_true(adapter_done(a));
	assert_false(adapter_got_content(a));
	assert_int_equal(adapter_finish(a), NET_STATUS_COMPLETE);
	adapter_free(a);
	rec_release(&r);
}

/* ------------------------------------------------------------------ */
/* Error bodies. */

struct body_case {
	enum api_kind	 api;
	int		 status;
	const char	*body;
	const char	*type;
	const char	*message;
	int64_t		 retry;
};

static const struct body_case bodies[] = {
	{ API_OPENAI, 401, "{\"error\":{\"message\":\"Incorrect API key "
	    "provided: sk-abc.\",\"type\":\"invalid_request_error\","
	    "\"param\":null,\"code\":\"invalid_api_key\"}}",
	    "invalid_request_error", "Incorrect API key provided: sk-abc.",
	    -1 },
	{ API_OPENAI, 429, "{\n  \"error\": {\n    \"message\": \"You "
	    "exceeded your current quota.\",\n    \"type\": "
	    "\"insufficient_quota\",\n    \"param\": null,\n    \"code\": "
	    "\"insufficient_quota\"\n  }\n}\n", "insufficient_quota",
	    "You exceeded your current quota.", -1 },
	{ API_ANTHROPIC, 529, "{\"type\":\"error\",\"error\":{\"type\":"
	    "\"overloaded_error\",\"message\":\"Overloaded\"},"
	    "\"request_id\":\"req_01\"}", "overloaded_error", "Overloaded",
	    -1 },
	{ API_OLLAMA, 404, "{\"error\":\"model \\\"llama9\\\" not found, "
	    "try pulling it first\"}", NULL,
	    "model \"llama9\" not found, try pulling it first", -1 },
	{ API_GEMINI, 429, "{\n  \"error\": {\n    \"code\": 429,\n    "
	    "\"message\": \"You exceeded your current quota.\",\n    "
	    "\"status\": \"RESOURCE_EXHAUSTED\",\n    \"details\": [\n      "
	    "{\n        \"@type\": \"type.googleapis.com/google.rpc."
	    "QuotaFailure\",\n        \"violations\": []\n      },\n      "
	    "{\n        \"@type\": \"type.googleapis.com/google.rpc."
	    "RetryInfo\",\n        \"retryDelay\": \"45.837906927s\"\n      "
	    "}\n    ]\n  }\n}\n", "RESOURCE_EXHAUSTED",
	    "You exceeded your current quota.", 45838 },
	{ API_GEMINI, 503, "[{\n  \"error\": {\n    \"code\": 503,\n    "
	    "\"message\": \"The model is overloaded.\",\n    \"status\": "
	    "\"UNAVAILABLE\",\n    \"details\": [{\"@type\": \"type."
	    "googleapis.com/google.rpc.RetryInfo\", \"retryDelay\": "
	    "\"2s\"}]\n  }\n}\n]", "UNAVAILABLE", "The model is overloaded.",
	    2000 },
	{ API_OPENAI, 429, "{\"message\":\"Requests rate limit exceeded\"}",
	    NULL, "Requests rate limit exceeded", -1 },
	{ API_OPENAI, 429, "{\"object\":\"error\",\"message\":\"Rate limit "
	    "exceeded\",\"type\":\"rate_limited\",\"param\":null,\"code\":"
	    "\"1300\"}", "rate_limited", "Rate limit exceeded", -1 },
	{ API_OPENAI, 400, "{\"object\":\"error\",\"message\":\"max_tokens "
	    "is too large\",\"type\":\"BadRequestError\",\"param\":null,"
	    "\"code\":400}", "BadRequestError", "max_tokens is too large",
	    -1 },
	{ API_OPENAI, 503, "{\"error\":{\"code\":503,\"message\":\"Loading "
	    "model\",\"type\":\"unavailable_error\"}}", "unavailable_error",
	    "Loading model", -1 },
	{ API_OPENAI, 500, "{\"error\":{\"code\":500,\"message\":\"boom\"}}",
	    "500", "boom", -1 },
	{ API_OPENAI, 422, "{\"detail\":[{\"loc\":[\"body\",\"model\"],"
	    "\"msg\":\"field required\",\"type\":\"missing\"}]}", NULL,
	    "field required", -1 },
	{ API_OPENAI, 502, "<html>\r\n<head><title>502 Bad Gateway</title>"
	    "</head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>"
	    "\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n", NULL,
	    "502 Bad Gateway", -1 },
	{ API_ANTHROPIC, 413, "<!DOCTYPE html><html><head><style>body{}"
	    "</style></head><body><p>Request <b>entity</b> too large &amp; "
	    "rejected</p></body></html>", NULL,
	    "Request entity too large & rejected", -1 },
	{ API_OPENAI, 503, "\n\nupstream connect error or disconnect/reset "
	    "before headers. reset reason: overflow\nsecond line\n", NULL,
	    "upstream connect error or disconnect/reset before headers. "
	    "reset reason: overflow", -1 },
	{ API_OPENAI, 503, "", NULL, "HTTP 503", -1 },
	{ API_OLLAMA, 500, "  \n\t\n", NULL, "HTTP 500", -1 },
	{ API_OPENAI, 500, "{}", NULL, "HTTP 500", -1 },
	{ API_OPENAI, 500, "{\"error\":{\"message\":\"line one\\nline\\ttwo"
	    "\\r\\n  three\"}}", NULL, "line one line two three", -1 },
	{ API_OPENAI, 400, "{\"error\":{\"message\":\"lone \\ud800 "
	    "surrogate\"}}", NULL, "lone \xef\xbf\xbd surrogate", -1 },
};
#define NBODIES (sizeof bodies / sizeof bodies[0])

static void
error_bodies_of_every_shape_are_read(void **state)
{
	struct net_error	err;
	size_t			i;

	(void)state;
	for (i = 0; i < NBODIES; i++) {
		adapter_parse_error_body(bodies[i].api, bodies[i].status,
		    bodies[i].body, strlen(bodies[i].body), &err);
		if (strcmp(err.message, bodies[i].message) != 0)
			print_error("case %zu\n", i);
		assert_int_equal(err.kind, NET_ERR_HTTP);
		assert_int_equal(err.http_status, bodies[i].status);
		assert_string_equal(err.message, bodies[i].message);
		if (bodies[i].type == NULL)
			assert_null(err.type);
		else {
			assert_non_null(err.type);
			assert_string_equal(err.type, bodies[i].type);
		}
		assert_int_equal(err.retry_after_ms, bodies[i].retry);
		assert_int_equal(err.should_retry, -1);
		net_error_release(&err);
	}
}

static void
error_message_is_one_line_of_300_bytes_at_most(void **state)
{
	struct net_error	 err;
	struct buf		 b;
	size_t			 i;

	(void)state;
	buf_init(&b, BUF_NO_LIMIT);
	buf_addstr(&b, "{\"error\":{\"message\":\"x");
	for (i = 0; i < 400; i++)
		buf_addstr(&b, "\xc3\xa9");	/* é: two bytes */
	buf_addstr(&b, "\"}}");
	adapter_parse_error_body(API_OPENAI, 400, b.data, b.len, &err);
	/* 1 + 149 * 2 = 299: the 150th é would cross 300. */
	assert_int_equal(strlen(err.message), 299);
	assert_int_equal((unsigned char)err.message[298], 0xa9);
	net_error_release(&err);
	buf_release(&b);

	adapter_parse_error_body(API_OPENAI, 400, NULL, 0, &err);
	assert_string_equal(err.message, "HTTP 400");
	net_error_release(&err);
}

/* ------------------------------------------------------------------ */
/* Requests. */

static struct chat_message msgs[] = {
	{ ROLE_USER, "Hi" },
	{ ROLE_ASSISTANT, "Hello! \"Quoted\" \xe2\x9c\x93" },
	{ ROLE_USER, "Again" },
};

static void
request_init(struct chat_request *cr, enum api_kind api, const char *base,
    const char *model)
{
	memset(cr, 0, sizeof *cr);
	cr->api = api;
	cr->provider = "test";
	cr->base_url = base;
	cr->model = model;
	cr->messages = msgs;
	cr->nmessages = 3;
}

static void
assert_headers(const struct http_request *req, const char *const *want)
{
	size_t	i;

	for (i = 0; want[i] != NULL; i++) {
		assert_true(i < req->nheaders);
		assert_string_equal(req->headers[i], want[i]);
	}
	assert_int_equal(req->nheaders, i);
}

static void
request_openai_official(void **state)
{
	struct chat_request	 cr;
	struct http_request	 req;
	char			*cause = NULL;
	static const char *const h[] = {
	    "Authorization: Bearer sk-test", "Content-Type: application/json",
	    "Accept: text/event-stream", NULL };

	(void)state;
	request_init(&cr, API_OPENAI, "https://api.openai.com/v1/",
	    "gpt-4o-mini");
	cr.system = "Be brief.";
	cr.has_temperature = true;
	cr.temperature = 0.7;
	cr.max_tokens = 256;
	cr.stream_usage = true;
	cr.key = "sk-test";
	assert_int_equal(request_build(&cr, &req, &cause), 0);
	assert_string_equal(req.url,
	    "https://api.openai.com/v1/chat/completions");
	assert_headers(&req, h);
	assert_string_equal(req.body, "{\"model\":\"gpt-4o-mini\","
	    "\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
	    "{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\","
	    "\"content\":\"Hello! \\\"Quoted\\\" \xe2\x9c\x93\"},{\"role\":"
	    "\"user\",\"content\":\"Again\"}],\"stream\":true,"
	    "\"temperature\":0.7,\"max_completion_tokens\":256,"
	    "\"stream_options\":{\"include_usage\":true}}");
	http_request_release(&req);
	assert_null(req.url);
}

static void
request_openai_compatible(void **state)
{
	struct chat_request	 cr;
	struct http_request	 req;
	char			*cause = NULL;
	static const char *const h[] = { "Content-Type: application/json",
	    "Accept: text/event-stream", NULL };

	(void)state;
	request_init(&cr, API_OPENAI, "http://127.0.0.1:8080/v1",
	    "mistral-small-latest");
	cr.nmessages = 1;
	cr.max_tokens = 100;
	assert_int_equal(request_build(&cr, &req, &cause), 0);
	assert_string_equal(req.url, "http://127.0.0.1:8080/v1/chat/completions");
	assert_headers(&req, h);
	assert_string_equal(req.body, "{\"model\":\"mistral-small-latest\","
	    "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
	    "\"stream\":true,\"max_tokens\":100}");
	http_request_release(&req);

	/* A look-alike host is not OpenAI. */
	request_init(&cr, API_OPENAI, "https://api.openai.com.evil.example/v1",
	    "m");
	cr.max_tokens = 5;
	assert_int_equal(request_build(&cr, &req, &cause), 0);
	assert_non_null(strstr(req.body, "\"max_tokens\":5"));
	http_request_release(&req);
}

static void
request_anthropic(void **state)
{
	struct chat_request	 cr;
	struct http_request	 req;
	char			*cause = NULL;
	static const char *const h[] = { "x-api-key: sk-ant-test",
	    "anthropic-version: 2023-06-01", "Content-Type: application/json",
	    "Accept: text/event-stream", NULL };

	(void)state;
	request_init(&cr, API_ANTHROPIC, "https://api.anthropic.com",
	    "claude-sonnet-4-5");
	cr.system = "Be brief.";
	cr.nmessages = 1;
	cr.has_temperature = true;
	cr.temperature = 0.5;
	cr.key = "sk-ant-test";
	assert_int_equal(request_build(&cr, &req, &cause), 0);
	assert_string_equal(req.url, "https://api.anthropic.com/v1/messages");
	assert_headers(&req, h);
	assert_string_equal(req.body, "{\"model\":\"claude-sonnet-4-5\","
	    "\"max_tokens\":4096,\"system\":\"Be brief.\",\"messages\":"
	    "[{\"role\":\"user\",\"content\":\"Hi\"}],\"temperature\":0.5,"
	    "\"stream\":true}");
	http_request_release(&req);

	cr.max_tokens = 1000;
	cr.system = NULL;
	cr.has_temperature = false;
	cr.key = NULL;
	assert_int_equal(request_build(&cr, &req, &cause), 0);
	assert_int_equal(req.nheaders, 3);
	assert_string_equal(req.body, "{\"model\":\"claude-sonnet-4-5\","
	    "\"max_tokens\":1000,\"messages\":[{\"role\":\"user\","
	    "\"content\":\"Hi\"}],\"stream\":true}");
	http_request_release(&req);
}

static void
request_ollama(void **state)
{
	struct chat_request	 cr;
	struct http_request	 req;
	char			*cause = NULL;
	static const char *const h[] = { "Content-Type: application/json",
	    "Accept: application/x-ndjson", NULL };
	static const char *const hk[] = { "Authorization: Bearer olk",
	    "Content-Type: application/json",
	    "Accept: application/x-ndjson", NULL };

	(void)state;
	request_init(&cr, API_OLLAMA, "http://127.0.0.1:11434/", "llama3.2");
	cr.system = "S";
	cr.nmessages = 1;
	cr.has_temperature = true;
	cr.temperature = 0;
	cr.max_tokens = 64;
	assert_int_equal(request_build(&cr, &req, &cause), 0);
	assert_string_equal(req.url, "http://127.0.0.1:11434/api/chat");
	assert_headers(&req, h);
	assert_string_equal(req.body, "{\"model\":\"llama3.2\",\"messages\":"
	    "[{\"role\":\"system\",\"content\":\"S\"},{\"role\":\"user\","
	    "\"content\":\"Hi\"}],\"stream\":true,\"options\":"
	    "{\"temperature\":0,\"num_predict\":64}}");
	http_request_release(&req);

	cr.key = "olk";
	cr.has_temperature = false;
	cr.max_tokens = 0;
	cr.system = NULL;
	assert_int_equal(request_build(&cr, &req, &cause), 0);
	assert_headers(&req, hk);
	assert_string_equal(req.body, "{\"model\":\"llama3.2\",\"messages\":"
	    "[{\"role\":\"user\",\"content\":\"Hi\"}],\"stream\":true}");
	http_request_release(&req);
}

static void
request_gemini(void **state)
{
	struct chat_request	 cr;
	struct http_request	 req;
	char			*cause = NULL;
	static const char *const h[] = { "x-goog-api-key: AIza-test",
	    "Content-Type: application/json", "Accept: text/event-stream",
	    NULL };

	(void)state;
	request_init(&cr, API_GEMINI,
	    "https://generativelanguage.googleapis.com/v1beta",
	    "gemini-2.5-flash");
	cr.system = "Be brief.";
	cr.has_temperature = true;
	cr.temperature = 1.5;
	cr.max_tokens = 512;
	cr.key = "AIza-test";
	assert_int_equal(request_build(&cr, &req, &cause), 0);
	assert_string_equal(req.url, "https://generativelanguage.googleapis."
	    "com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
	assert_headers(&req, h);
	assert_null(strstr(req.url, "AIza"));
	assert_string_equal(req.body, "{\"systemInstruction\":{\"parts\":"
	    "[{\"text\":\"Be brief.\"}]},\"contents\":[{\"role\":\"user\","
	    "\"parts\":[{\"text\":\"Hi\"}]},{\"role\":\"model\",\"parts\":"
	    "[{\"text\":\"Hello! \\\"Quoted\\\" \xe2\x9c\x93\"}]},{\"role\":"
	    "\"user\",\"parts\":[{\"text\":\"Again\"}]}],\"generationConfig\":"
	    "{\"temperature\":1.5,\"maxOutputTokens\":512}}");
	http_request_release(&req);

	request_init(&cr, API_GEMINI, "http://127.0.0.1:9/v1beta/",
	    "models/my model");
	cr.nmessages = 1;
	assert_int_equal(request_build(&cr, &req, &cause), 0);
	assert_string_equal(req.url, "http://127.0.0.1:9/v1beta/models/"
	    "my%20model:streamGenerateContent?alt=sse");
	assert_string_equal(req.body, "{\"contents\":[{\"role\":\"user\","
	    "\"parts\":[{\"text\":\"Hi\"}]}]}");
	assert_int_equal(req.nheaders, 2);
	http_request_release(&req);
}

static void
request_without_model_fails(void **state)
{
	struct chat_request	 cr;
	struct http_request	 req;
	char			*cause = NULL;

	(void)state;
	request_init(&cr, API_OPENAI, "http://x", NULL);
	assert_int_equal(request_build(&cr, &req, &cause), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	request_init(&cr, API_OPENAI, NULL, "m");
	assert_int_equal(request_build(&cr, &req, &cause), -1);
	assert_non_null(cause);
	free(cause);
}

static void
json_reader_accepts_json_and_nothing_else(void **state)
{
	static const char *const good[] = { "{}", "[]", " \r\n\t{ } ",
	    "0", "-0.5e+10", "\"\"", "true", "null",
	    "{\"a\":[1,{\"b\":\"\\u00e9\"}],\"c\":false}",
	    "\"tab\there\"", NULL };
	static const char *const bad[] = { "", " ", "{", "}", "[1,]",
	    "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "01", "-", "1.", ".5",
	    "1e", "+1", "tru", "nul", "\"open", "\"bad \\x escape\"",
	    "\"\\u12G4\"", "{} {}", "[1 2]", "'x'", NULL };
	struct jdoc	 d;
	struct buf	 deep;
	const char	*s;
	size_t		 i, len;

	(void)state;
	jdoc_init(&d);
	for (i = 0; good[i] != NULL; i++) {
		if (jdoc_parse(&d, good[i], strlen(good[i])) != 0)
			print_error("good %zu: %s\n", i, good[i]);
		assert_int_equal(jdoc_parse(&d, good[i], strlen(good[i])), 0);
	}
	for (i = 0; bad[i] != NULL; i++) {
		if (jdoc_parse(&d, bad[i], strlen(bad[i])) == 0)
			print_error("bad %zu: %s\n", i, bad[i]);
		assert_int_equal(jdoc_parse(&d, bad[i], strlen(bad[i])), -1);
	}

	/* Paths, first duplicate key, types, counts. */
	s = "{\"k\":1,\"k\":2,\"n\":null,\"f\":12.0,\"g\":1.5,\"m\":-3,"
	    "\"a\":[\"x\",{\"y\":\"z\"}],\"e\\u0073c\":\"v\"}";
	assert_int_equal(jdoc_parse(&d, s, strlen(s)), 0);
	assert_int_equal(jcount(&d, jget(&d, 0, "k")), 1);
	assert_true(jis(&d, jget(&d, 0, "n"), JSON_NULL));
	assert_false(jtruthy(&d, jget(&d, 0, "n")));
	assert_false(jtruthy(&d, jget(&d, 0, "absent")));
	assert_int_equal(jcount(&d, jget(&d, 0, "f")), 12);
	assert_int_equal(jcount(&d, jget(&d, 0, "g")), USAGE_UNKNOWN);
	assert_int_equal(jcount(&d, jget(&d, 0, "m")), USAGE_UNKNOWN);
	assert_string_equal(jstr(&d, jat(&d, jget(&d, 0, "a"), 0), NULL), "x");
	assert_string_equal(jstr(&d, jget(&d, jat(&d, jget(&d, 0, "a"), 1),
	    "y"), NULL), "z");
	assert_int_equal(jat(&d, jget(&d, 0, "a"), 2), -1);
	assert_string_equal(jstr(&d, jget(&d, 0, "esc"), NULL), "v");
	assert_null(jstr(&d, jget(&d, jget(&d, 0, "absent"), "x"), NULL));

	/* Surrogates: pairs, lone halves as U+FFFD; \u0000 ends a string. */
	s = "[\"\\ud83d\\udc4d\",\"a\\ud800b\",\"\\udc00\",\"\\ud83d\\u0041\","
	    "\"x\\u0000y\",\"\\\\ud800\"]";
	assert_int_equal(jdoc_parse(&d, s, strlen(s)), 0);
	assert_string_equal(jstr(&d, jat(&d, 0, 0), NULL), "\xf0\x9f\x91\x8d");
	assert_string_equal(jstr(&d, jat(&d, 0, 1), NULL), "a\xef\xbf\xbd" "b");
	assert_string_equal(jstr(&d, jat(&d, 0, 2), NULL), "\xef\xbf\xbd");
	assert_string_equal(jstr(&d, jat(&d, 0, 3), NULL), "\xef\xbf\xbd" "A");
	assert_string_equal(jstr(&d, jat(&d, 0, 4), &len), "x");
	assert_int_equal(len, 1);
	assert_string_equal(jstr(&d, jat(&d, 0, 5), NULL), "\\ud800");

	/* Nesting: 1000 levels are fine, 1001 are not (as in cJSON). */
	buf_init(&deep, BUF_NO_LIMIT);
	for (i = 0; i < 1000; i++)
		buf_addc(&deep, '[');
	for (i = 0; i < 1000; i++)
		buf_addc(&deep, ']');
	assert_int_equal(jdoc_parse(&d, deep.data, deep.len), 0);
	buf_reset(&deep);
	for (i = 0; i < 1001; i++)
		buf_addc(&deep, '[');
	for (i = 0; i < 1001; i++)
		buf_addc(&deep, ']');
	assert_int_equal(jdoc_parse(&d, deep.data, deep.len), -1);
	buf_release(&deep);
	jdoc_release(&d);
}

static void
names_are_stable(void **state)
{
	(void)state;
	assert_string_equal(net_error_kind_name(NET_ERR_HTTP), "http");
	assert_string_equal(net_error_kind_name(NET_ERR_API), "api");
	assert_string_equal(net_error_kind_name(NET_ERR_CONNECT), "connect");
	assert_string_equal(net_error_kind_name(NET_ERR_TIMEOUT), "timeout");
	assert_string_equal(net_error_kind_name(NET_ERR_PROTOCOL),
	    "protocol");
	assert_string_equal(net_error_kind_name(NET_ERR_CUT), "cut");
	assert_string_equal(net_error_kind_name(NET_ERR_SETUP), "setup");
	assert_string_equal(net_status_name(NET_STATUS_COMPLETE), "complete");
	assert_string_equal(net_status_name(NET_STATUS_CUT), "cut");
	assert_string_equal(net_status_name(NET_STATUS_ERROR), "error");
	assert_string_equal(net_status_name(NET_STATUS_CANCELLED),
	    "cancelled");
}

/* ------------------------------------------------------------------ */
/* Fuzz corpora as regression inputs. */

static int
corpus_sse_cb(const char *type, const char *data, size_t len, void *arg)
{
	(void)type;
	(void)arg;
	assert_true(strlen(data) <= len);
	return 0;
}

static int
corpus_ndjson_cb(const char *line, size_t len, void *arg)
{
	(void)line;
	(void)arg;
	assert_true(len > 0);
	return 0;
}

static void
null_emit(const struct net_event *ev, void *arg)
{
	(void)ev;
	(void)arg;
}

static void
feed_adapter(enum api_kind api, const char *ct, const char *p, size_t n,
    size_t step)
{
	struct adapter	*a;
	size_t		 off = 0, k;
	enum net_status	 st;

	a = adapter_create(api, null_emit, NULL);
	adapter_set_content_type(a, ct);
	while (off < n) {
		k = step == 0 || n - off < step ? n - off : step;
		if (adapter_feed(a, p + off, k) != 0)
			break;
		off += k;
	}
	st = adapter_finish(a);
	assert_true(st == NET_STATUS_COMPLETE || st == NET_STATUS_CUT ||
	    st == NET_STATUS_ERROR);
	adapter_free(a);
}

static int
run_corpus(const char *kind)
{
	struct dirent	*de;
	struct sse	*s;
	struct ndjson	*nd;
	DIR		*dir;
	char		*dpath, *path, *data;
	size_t		 len, i;
	int		 count = 0;

	dpath = xasprintf("%s/tests/fuzz/corpus/%s", srcdir(), kind);
	dir = opendir(dpath);
	assert_non_null(dir);
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", dpath, de->d_name);
		data = read_file(path, &len);
		assert_non_null(data);
		free(path);
		for (i = 0; i < NSTEPS; i++) {
			if (strcmp(kind, "sse") == 0) {
				s = sse_create(corpus_sse_cb, NULL);
				sse_feed(s, data, len);
				sse_finish(s);
				sse_free(s);
				feed_adapter(API_OPENAI, NULL, data, len,
				    steps[i]);
				feed_adapter(API_ANTHROPIC, NULL, data, len,
				    steps[i]);
				feed_adapter(API_GEMINI, NULL, data, len,
				    steps[i]);
			} else if (strcmp(kind, "ndjson") == 0) {
				nd = ndjson_create(corpus_ndjson_cb, NULL);
				ndjson_feed(nd, data, len);
				ndjson_finish(nd);
				ndjson_free(nd);
				feed_adapter(API_OLLAMA, NULL, data, len,
				    steps[i]);
			} else if (len > 0) {
				/* First byte: the API kind (and JSON mode). */
				feed_adapter((enum api_kind)(
				    (unsigned char)data[0] % 4),
				    ((unsigned char)data[0] & 4) ?
				    "application/json" : NULL, data + 1,
				    len - 1, steps[i]);
			}
		}
		free(data);
		count++;
	}
	closedir(dir);
	free(dpath);
	return count;
}

static void
fuzz_corpora_do_not_crash(void **state)
{
	(void)state;
	assert_true(run_corpus("sse") > 0);
	assert_true(run_corpus("ndjson") > 0);
	assert_true(run_corpus("adapter") > 0);
}

int
main(void)
{
	static const struct CMUnitTest direct[] = {
		cmocka_unit_test(adapter_event_over_cap_is_protocol_error),
		cmocka_unit_test(adapter_empty_stream_is_cut),
		cmocka_unit_test(adapter_done_after_end_marker),
		cmocka_unit_test(error_bodies_of_every_shape_are_read),
		cmocka_unit_test(error_message_is_one_line_of_300_bytes_at_most),
		cmocka_unit_test(request_openai_official),
		cmocka_unit_test(request_openai_compatible),
		cmocka_unit_test(request_anthropic),
		cmocka_unit_test(request_ollama),
		cmocka_unit_test(request_gemini),
		cmocka_unit_test(request_without_model_fails),
		cmocka_unit_test(json_reader_accepts_json_and_nothing_else),
		cmocka_unit_test(names_are_stable),
		cmocka_unit_test(fuzz_corpora_do_not_crash),
	};
	struct CMUnitTest	*tests;
	char			*names[NFIXTURES];
	size_t			 n = sizeof direct / sizeof direct[0], i;
	int			 r;

	tests = xcalloc(NFIXTURES + n, sizeof *tests);
	for (i = 0; i < NFIXTURES; i++) {
		names[i] = xasprintf("stream_%.*s_at_every_chunking",
		    (int)(strrchr(fixtures[i], '.') - fixtures[i]),
		    fixtures[i]);
		tests[i].name = names[i];
		tests[i].test_func = fixture_test;
		tests[i].initial_state = (void *)fixtures[i];
	}
	memcpy(tests + NFIXTURES, direct, sizeof direct);
	r = _cmocka_run_group_tests("adapters", tests, NFIXTURES + n, NULL,
	    NULL);
	for (i = 0; i < NFIXTURES; i++)
		free(names[i]);
	free(tests);
	return r;
}
