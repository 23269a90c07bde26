/*
 * tests/unit/store_fix.h - the fixture of the store's test programs: a
 * store opened at a new temporary folder's a/b/history.db (so that the
 * folders are created too), removed with the folder afterwards. Included
 * by one .c file each; cmocka.h and history/history.h come first. A
 * program that keeps more in the fixture defines STORE_FIX_EXTRA (members)
 * before including this.
 */
#ifndef TOLK_STORE_FIX_H
#define TOLK_STORE_FIX_H

#ifndef STORE_FIX_EXTRA
#define STORE_FIX_EXTRA
#endif

struct fix {
	char		 dir[64];
	char		*path;
	struct store	*st;
	STORE_FIX_EXTRA
};

static int
setup(void **state)
{
	struct fix	*fx = xcalloc(1, sizeof *fx);
	char		*cause = NULL;

	snprintf(fx->dir, sizeof fx->dir, "/tmp/test_store.XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	fx->path = xasprintf("%s/a/b/history.db", fx->dir);
	fx->st = store_open(fx->path, 0, &cause);
	if (fx->st == NULL)
		fail_msg("store_open: %s", cause);
	*state = fx;
	return (0);
}

static int
teardown(void **state)
{
	struct fix	*fx = *state;
	char		*cmd;

	store_close(fx->st);
	cmd = xasprintf("rm -rf '%s'", fx->dir);
	if (system(cmd) != 0)
		print_error("cannot remove %s\n", fx->dir);
	free(cmd);
	free(fx->path);
	free(fx);
	return (0);
}

#endif
