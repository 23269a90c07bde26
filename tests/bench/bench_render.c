/*
 * tests/bench/bench_render.c - time the markdown layout in-process.
 *
 * usage: bench_render FILE [WIDTH [DELTA [RUNS [PHASE]]]]
 * Lays FILE out at WIDTH (default 100) whole, then fed in DELTA-byte
 * deltas (default 20) the way a streamed answer arrives: once reading the
 * lines after every delta (the worst case: a frame per delta), once
 * reading them after every 16th delta (a frame per 320 bytes, which a fast
 * local model at ~250 tokens/s gives at 60 frames/s). Prints the best of
 * RUNS (default 5) for each, in milliseconds, and the ratios to whole.
 * PHASE (whole, every or framed) runs only that one, so that an
 * instruction count (valgrind --tool=callgrind) can be taken of it alone.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "render/render.h"

static size_t
touch(struct md *md)
{
	size_t	i, n = md_nlines(md), sum = 0;

	for (i = 0; i < n; i++)
		sum += md_line(md, i)->len;
	return sum;
}

int
main(int argc, char **argv)
{
	FILE		*fp;
	struct buf	 b;
	char		 chunk[65536];
	size_t		 n, pos, lines = 0, sink = 0;
	int		 width = 100, delta = 20, runs = 5, r;
	int64_t		 t0, whole = INT64_MAX, streamed = INT64_MAX, t;
	int64_t		 framed = INT64_MAX;
	size_t		 k;
	struct md	*md;
	const char	*phase = "all";

	if (argc < 2) {
		fprintf(stderr, "usage: bench_render FILE [WIDTH [DELTA "
		    "[RUNS [whole|every|framed]]]]\n");
		return 2;
	}
	if (argc > 2)
		width = (int)strtol(argv[2], NULL, 10);
	if (argc > 3)
		delta = (int)strtol(argv[3], NULL, 10);
	if (argc > 4)
		runs = (int)strtol(argv[4], NULL, 10);
	if (argc > 5)
		phase = argv[5];
	if ((fp = fopen(argv[1], "rb")) == NULL) {
		perror(argv[1]);
		return 1;
	}
	buf_init(&b, BUF_NO_LIMIT);
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_add(&b, chunk, n);
	fclose(fp);
#define PHASE(x) (strcmp(phase, "all") == 0 || strcmp(phase, x) == 0)
	for (r = 0; PHASE("whole") && r < runs; r++) {
		t0 = clock_us();
		md = md_create(width, SANITIZE_NORMAL);
		md_append(md, b.data, b.len);
		md_finish(md);
		sink += touch(md);
		lines = md_nlines(md);
		md_free(md);
		if ((t = clock_us() - t0) < whole)
			whole = t;
	}
	for (r = 0; PHASE("every") && r < runs; r++) {
		t0 = clock_us();
		md = md_create(width, SANITIZE_NORMAL);
		for (pos = 0; pos < b.len; pos += delta) {
			n = b.len - pos < (size_t)delta ? b.len - pos :
			    (size_t)delta;
			md_append(md, b.data + pos, n);
			sink += md_nlines(md);
		}
		md_finish(md);
		sink += touch(md);
		md_free(md);
		if ((t = clock_us() - t0) < streamed)
			streamed = t;
	}
	for (r = 0; PHASE("framed") && r < runs; r++) {
		t0 = clock_us();
		md = md_create(width, SANITIZE_NORMAL);
		for (pos = 0, k = 0; pos < b.len; pos += delta, k++) {
			n = b.len - pos < (size_t)delta ? b.len - pos :
			    (size_t)delta;
			md_append(md, b.data + pos, n);
			if (k % 16 == 15)
				sink += md_nlines(md);
		}
		md_finish(md);
		sink += touch(md);
		md_free(md);
		if ((t = clock_us() - t0) < framed)
			framed = t;
	}
	printf("tolk layout: %zu bytes, %zu lines at width %d\n", b.len, lines,
	    width);
	if (PHASE("whole"))
		printf("tolk whole layout: %8.2f ms\n", whole / 1000.0);
	if (PHASE("every"))
		printf("tolk streamed/%-3d, lines read after every delta: "
		    "%8.2f ms  (%.2fx whole)\n", delta, streamed / 1000.0,
		    whole < INT64_MAX ? (double)streamed / (double)whole : 0);
	if (PHASE("framed"))
		printf("tolk streamed/%-3d, lines read every 16th delta: "
		    "%8.2f ms  (%.2fx whole)\n", delta, framed / 1000.0,
		    whole < INT64_MAX ? (double)framed / (double)whole : 0);
#undef PHASE
	printf("# sink %zu\n", sink);
	buf_release(&b);
	return 0;
}
