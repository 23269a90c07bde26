/*
 * tests/fuzz/fuzz_sse.c - libFuzzer target for the SSE parser. The input is
 * fed in two chunks cut where its first byte says, so chunk boundaries get
 * fuzzed too. Every event's data must be NUL-terminated at len.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/adapter_impl.h"

static int
event(const char *type, const char *data, size_t len, void *arg)
{
	(void)arg;
	if (type == NULL || data[len] != '\0')
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sse	*s;
	size_t		 cut;

	if (size == 0)
		return 0;
	cut = data[0] % size;
	s = sse_create(event, NULL);
	sse_set_limit(s, 4096);
	if (sse_feed(s, (const char *)data + 1, cut) == 0)
		sse_feed(s, (const char *)data + 1 + cut, size - 1 - cut);
	sse_finish(s);
	sse_free(s);
	return 0;
}
