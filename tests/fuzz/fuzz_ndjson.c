/*
 * tests/fuzz/fuzz_ndjson.c - libFuzzer target for the NDJSON parser. The
 * input is fed in two chunks cut where its first byte says.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/adapter_impl.h"

static int
line(const char *p, size_t len, void *arg)
{
	(void)arg;
	if (len == 0 || memchr(p, '\n', len) != NULL)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ndjson	*n;
	size_t		 cut;

	if (size == 0)
		return 0;
	cut = data[0] % size;
	n = ndjson_create(line, NULL);
	ndjson_set_limit(n, 4096);
	if (ndjson_feed(n, (const char *)data + 1, cut) == 0)
		ndjson_feed(n, (const char *)data + 1 + cut, size - 1 - cut);
	ndjson_finish(n);
	ndjson_free(n);
	return 0;
}
