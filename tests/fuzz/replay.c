/*
 * tests/fuzz/replay.c - make check's run of one fuzz corpus.
 *
 * Built once per target with FUZZ_CORPUS naming its folder under
 * tests/fuzz/corpus/ and linked with the target's fuzz_check(): every file
 * there, seed or kept finding, is one TAP case, so the checks run in every
 * build without a fuzzer. An empty or missing corpus fails.
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

#include "core/core.h"
#include "tests/fuzz/fuzz.h"

#ifndef FUZZ_CORPUS
#error "FUZZ_CORPUS names the corpus folder"
#endif

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
replay_one(void **state)
{
	const char	*path = *state;
	FILE		*fp;
	struct buf	 b;
	char		 chunk[4096], why[512];
	size_t		 n;

	fp = fopen(path, "rb");
	assert_non_null(fp);
	buf_init(&b, BUF_NO_LIMIT);
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_add(&b, chunk, n);
	fclose(fp);
	why[0] = '\0';
	if (fuzz_check((const unsigned char *)(b.data ? b.data : ""), b.len,
	    why, sizeof why) != 0) {
		buf_release(&b);
		fail_msg("%s: %s", path, why);
	}
	buf_release(&b);
}

int
main(void)
{
	const char		*srcdir = getenv("TOLK_SRCDIR");
	char			*dir, **names = NULL;
	struct CMUnitTest	*tests;
	struct dirent		*de;
	DIR			*d;
	size_t			 n = 0, i;
	int			 rc;

	if (srcdir == NULL)
		srcdir = ".";
	dir = xasprintf("%s/tests/fuzz/corpus/%s", srcdir, FUZZ_CORPUS);
	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "cannot open %s\n", dir);
		free(dir);
		return 1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		names = xrealloc(names, (n + 1) * sizeof *names);
		names[n++] = xasprintf("%s/%s", dir, de->d_name);
	}
	closedir(d);
	if (n == 0) {
		fprintf(stderr, "%s is empty\n", dir);
		free(dir);
		return 1;
	}
	qsort(names, n, sizeof *names, cmp);
	tests = xcalloc(n, sizeof *tests);
	for (i = 0; i < n; i++) {
		tests[i].name = names[i] + strlen(dir) + 1;
		tests[i].test_func = replay_one;
		tests[i].initial_state = names[i];
	}
	rc = _cmocka_run_group_tests("fuzz_" FUZZ_CORPUS, tests, n, NULL,
	    NULL);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(tests);
	free(dir);
	return rc;
}
