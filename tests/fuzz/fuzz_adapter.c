/*
 * tests/fuzz/fuzz_adapter.c - libFuzzer target for the API adapters and
 * the error body reader. The first byte picks the API kind (bits 0-1),
 * whether the body is sent as application/json (bit 2) and the chunk size
 * (bits 3-7); the rest is the body. Events are checked for their promises:
 * deltas non-empty, messages present and at most 300 bytes.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/adapter_impl.h"

static void
emit(const struct net_event *ev, void *arg)
{
	(void)arg;
	switch (ev->type) {
	case NET_EV_TEXT:
	case NET_EV_REASONING:
	case NET_EV_REFUSAL:
	case NET_EV_FINISH:
		if (ev->text == NULL || ev->len == 0)
			abort();
		break;
	case NET_EV_ERROR:
		if (ev->error.message == NULL ||
		    strlen(ev->error.message) > 300)
			abort();
		break;
	default:
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct adapter		*a;
	struct net_error	 err;
	struct jdoc		 doc;
	enum api_kind		 api;
	const char		*p, *s;
	size_t			 n, step, k, i, len;

	if (size == 0)
		return 0;
	api = (enum api_kind)(data[0] & 3);
	step = (data[0] >> 3) + 1;
	p = (const char *)data + 1;
	n = size - 1;

	a = adapter_create(api, emit, NULL);
	adapter_set_limit(a, 65536);
	adapter_set_content_type(a, (data[0] & 4) ? "application/json" :
	    NULL);
	while (n > 0) {
		k = n < step ? n : step;
		if (adapter_feed(a, p, k) != 0)
			break;
		p += k;
		n -= k;
	}
	adapter_finish(a);
	adapter_free(a);

	/* The JSON reader alone: walk every token it made. */
	jdoc_init(&doc);
	if (jdoc_parse(&doc, (const char *)data + 1, size - 1) == 0) {
		for (i = 0; i < doc.n; i++) {
			if (doc.t[i].next <= i || doc.t[i].next > doc.n)
				abort();
			s = jstr(&doc, (int)i, &len);
			if (s != NULL && s[len] != '\0')
				abort();
			(void)jcount(&doc, (int)i);
			(void)jget(&doc, (int)i, "error");
			(void)jat(&doc, (int)i, 1);
		}
	}
	jdoc_release(&doc);

	adapter_parse_error_body(api, 500, (const char *)data + 1, size - 1,
	    &err);
	if (err.message == NULL || strlen(err.message) > 300)
		abort();
	net_error_release(&err);
	return 0;
}
