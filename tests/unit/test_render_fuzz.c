/*
 * tests/unit/test_render_fuzz.c - replay the markdown fuzz corpus.
 *
 * Every file of tests/fuzz/corpus/markdown goes through the fuzz target's
 * checks (tests/fuzz/fuzz_markdown.c), so what a fuzzer once found stays
 * fixed, and make check runs the target without a fuzzer.
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

int	fuzz_markdown_check(const unsigned char *, size_t, char *, size_t);

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
	if (fuzz_markdown_check((const unsigned char *)(b.data ? b.data : ""),
	    b.len, why, sizeof why) != 0)
		{ fprintf(stderr, "# %s: %s\n", path, why); fail(); }
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
	dir = xasprintf("%s/tests/fuzz/corpus/markdown", srcdir);
	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "cannot open %s\n", dir);
		return 1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		names = xrealloc(names, (n + 1) * sizeof *names);
		names[n++] = xasprintf("%s/%s", dir, de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp);
	tests = xcalloc(n + 1, sizeof *tests);
	for (i = 0; i < n; i++) {
		tests[i].name = names[i] + strlen(dir) + 1;
		tests[i].test_func = replay_one;
		tests[i].initial_state = names[i];
	}
	rc = _cmocka_run_group_tests("fuzz_markdown_corpus", tests, n, NULL,
	    NULL);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(tests);
	free(dir);
	return rc;
}
