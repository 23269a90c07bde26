/*
 * tests/fuzz/fuzz_import.c - fuzz target for the JSON lines import
 * (history/json.c: store_import_jsonl()) and the export of what it took.
 *
 * The input is the file. One store per process, in a fresh folder under
 * /dev/shm or $TMPDIR, emptied after each input, and closed and removed
 * with its folder when the process exits. Promises checked (history.h): the
 * import returns 0, or -1 with one line of cause that names the file and
 * holds no control character; every conversation it added reads back,
 * exports as a JSON object, and importing that export again adds nothing
 * (its uid is already there).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "history/history.h"
#include "tests/fuzz/fuzz.h"

static struct store	*st;
static char		 dir[4096];

/* atexit: close the store and remove its files and folder. */
static void
remove_store(void)
{
	static const char *const files[] = { "history.db", "history.db-wal",
	    "history.db-shm", "history.db-journal" };
	char	*path;
	size_t	 i;

	store_close(st);
	st = NULL;
	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		path = xasprintf("%s/%s", dir, files[i]);
		(void)unlink(path);
		free(path);
	}
	(void)rmdir(dir);
}

static struct store *
open_store(void)
{
	const char		*tmp;
	char			*path, *cause = NULL;

	if (st != NULL)
		return st;
	tmp = getenv("TMPDIR");
	if (access("/dev/shm", W_OK) == 0)
		tmp = "/dev/shm";
	else if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	snprintf(dir, sizeof dir, "%s/tolk-fuzz-import.XXXXXX", tmp);
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		abort();
	}
	path = xasprintf("%s/history.db", dir);
	if ((st = store_open(path, 0, &cause)) == NULL) {
		fprintf(stderr, "fuzz_import: %s\n", cause);
		abort();
	}
	free(path);
	atexit(remove_store);
	return st;
}

/* Remove every conversation, so each input starts from an empty store. */
static void
empty_store(struct store *st)
{
	int64_t	*ids = NULL;
	size_t	 n = 0, i;
	char	*cause = NULL;

	if (store_conversation_ids(st, &ids, &n, &cause) != 0) {
		fprintf(stderr, "fuzz_import: %s\n", cause);
		abort();
	}
	for (i = 0; i < n; i++)
		if (store_conversation_remove(st, ids[i], &cause) != 0) {
			fprintf(stderr, "fuzz_import: %s\n", cause);
			abort();
		}
	free(ids);
}

static int
check_export(struct store *st, int64_t id, char *why, size_t whylen)
{
	struct conversation_info	 ci;
	struct stored_message		*msgs = NULL;
	size_t				 nmsgs = 0, added, skipped;
	char				*json = NULL, *cause = NULL;
	cJSON				*o = NULL;
	FILE				*f = NULL;
	int				 rc = 0;

	memset(&ci, 0, sizeof ci);
	if (store_conversation_get(st, id, &ci, &msgs, &nmsgs, &cause) != 0)
		FUZZ_FAIL("imported conversation %lld does not read back: "
		    "%s", (long long)id, cause);
	json = store_conversation_json(&ci, msgs, nmsgs, false);
	if (json == NULL || (o = cJSON_Parse(json)) == NULL ||
	    !cJSON_IsObject(o))
		FUZZ_FAIL("export of %lld is not a JSON object", (long long)id);
	if (strchr(json, '\n') != NULL)
		FUZZ_FAIL("export of %lld is not one line", (long long)id);
	if ((f = fmemopen(json, strlen(json), "r")) == NULL)
		FUZZ_FAIL("fmemopen");
	if (store_import_jsonl(st, "export", f, &added, &skipped,
	    &cause) != 0)
		FUZZ_FAIL("export of %lld does not import: %s",
		    (long long)id, cause);
	if (added != 0 || skipped != 1)
		FUZZ_FAIL("export of %lld imported again: %zu added, %zu "
		    "skipped", (long long)id, added, skipped);
out:
	if (f != NULL)
		fclose(f);
	cJSON_Delete(o);
	free(json);
	free(cause);
	stored_messages_free(msgs, nmsgs);
	conversation_info_release(&ci);
	return rc;
}

int
fuzz_check(const unsigned char *data, size_t size, char *why, size_t whylen)
{
	struct store	*st = open_store();
	FILE		*f;
	int64_t		*ids = NULL;
	size_t		 added = 0, skipped = 0, n = 0, i;
	char		*cause = NULL, *copy;
	int		 got, rc = 0;

	/* fmemopen() of zero bytes fails on some libcs: keep one byte. */
	copy = xmalloc(size + 1);
	memcpy(copy, data, size);
	copy[size] = '\n';
	if ((f = fmemopen(copy, size + 1, "r")) == NULL) {
		free(copy);
		FUZZ_FAIL("fmemopen");
	}
	got = store_import_jsonl(st, "in.jsonl", f, &added, &skipped, &cause);
	fclose(f);
	free(copy);
	if (got != 0) {
		if (cause == NULL || strncmp(cause, "in.jsonl", 8) != 0)
			FUZZ_FAIL("failed import, cause '%s'",
			    cause ? cause : "(none)");
		if (fuzz_has_control(cause, strlen(cause), false))
			FUZZ_FAIL("import cause holds a control character");
	} else if (cause != NULL)
		FUZZ_FAIL("import succeeded with a cause: %s", cause);
	if (store_conversation_ids(st, &ids, &n, &cause) != 0)
		FUZZ_FAIL("ids: %s", cause);
	if (n != added)
		FUZZ_FAIL("%zu added, %zu in the store", added, n);
	for (i = 0; i < n; i++)
		if (check_export(st, ids[i], why, whylen) != 0)
			{ rc = -1; goto out; }
out:
	free(ids);
	free(cause);
	empty_store(st);
	return rc;
}
