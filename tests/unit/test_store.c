/*
 * tests/unit/test_store.c - the history store (history/): creation and
 * modes, the message life cycle, the conversation tree, recovery of
 * answers cut by a dead process, folded search, import and export, usage,
 * and the fault paths (a foreign or corrupt file, a newer schema, a full
 * disk through a failing VFS, a lock held by another connection).
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "history/history.h"

/* ---------------------------------------------------------------- */
/* A VFS that fails every write with SQLITE_FULL while disk_full is set. */

static int		 disk_full;
static sqlite3_vfs	*real_vfs;
static sqlite3_vfs	 full_vfs;

struct ffile {
	sqlite3_file	 base;
	sqlite3_file	*real;
};

#define REAL(f) (((struct ffile *)(f))->real)

static int
f_close(sqlite3_file *f)
{
	int	rc = REAL(f)->pMethods->xClose(REAL(f));

	sqlite3_free(REAL(f));
	return (rc);
}
static int
f_read(sqlite3_file *f, void *b, int n, sqlite3_int64 o)
{
	return (REAL(f)->pMethods->xRead(REAL(f), b, n, o));
}
static int
f_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 o)
{
	if (disk_full)
		return (SQLITE_FULL);
	return (REAL(f)->pMethods->xWrite(REAL(f), b, n, o));
}
static int
f_truncate(sqlite3_file *f, sqlite3_int64 s)
{
	return (REAL(f)->pMethods->xTruncate(REAL(f), s));
}
static int
f_sync(sqlite3_file *f, int fl)
{
	return (REAL(f)->pMethods->xSync(REAL(f), fl));
}
static int
f_size(sqlite3_file *f, sqlite3_int64 *s)
{
	return (REAL(f)->pMethods->xFileSize(REAL(f), s));
}
static int
f_lock(sqlite3_file *f, int l)
{
	return (REAL(f)->pMethods->xLock(REAL(f), l));
}
static int
f_unlock(sqlite3_file *f, int l)
{
	return (REAL(f)->pMethods->xUnlock(REAL(f), l));
}
static int
f_reserved(sqlite3_file *f, int *r)
{
	return (REAL(f)->pMethods->xCheckReservedLock(REAL(f), r));
}
static int
f_control(sqlite3_file *f, int op, void *a)
{
	return (REAL(f)->pMethods->xFileControl(REAL(f), op, a));
}
static int
f_sector(sqlite3_file *f)
{
	return (REAL(f)->pMethods->xSectorSize(REAL(f)));
}
static int
f_device(sqlite3_file *f)
{
	return (REAL(f)->pMethods->xDeviceCharacteristics(REAL(f)));
}
static int
f_shmmap(sqlite3_file *f, int i, int sz, int ext, void volatile **p)
{
	return (REAL(f)->pMethods->xShmMap(REAL(f), i, sz, ext, p));
}
static int
f_shmlock(sqlite3_file *f, int o, int n, int fl)
{
	return (REAL(f)->pMethods->xShmLock(REAL(f), o, n, fl));
}
static void
f_shmbarrier(sqlite3_file *f)
{
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}
static int
f_shmunmap(sqlite3_file *f, int d)
{
	return (REAL(f)->pMethods->xShmUnmap(REAL(f), d));
}

static const sqlite3_io_methods full_methods = {
	2, f_close, f_read, f_write, f_truncate, f_sync, f_size, f_lock,
	f_unlock, f_reserved, f_control, f_sector, f_device, f_shmmap,
	f_shmlock, f_shmbarrier, f_shmunmap, NULL, NULL,
};

static int
full_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags,
    int *out)
{
	struct ffile	*ff = (struct ffile *)f;
	int		 rc;

	(void)vfs;
	ff->real = sqlite3_malloc(real_vfs->szOsFile);
	memset(ff->real, 0, (size_t)real_vfs->szOsFile);
	rc = real_vfs->xOpen(real_vfs, name, ff->real, flags, out);
	if (ff->real->pMethods == NULL) {
		sqlite3_free(ff->real);
		ff->base.pMethods = NULL;
		return (rc);
	}
	ff->base.pMethods = &full_methods;
	return (rc);
}

static void
full_vfs_register(void)
{
	if (real_vfs != NULL)
		return;
	real_vfs = sqlite3_vfs_find(NULL);
	full_vfs = *real_vfs;
	full_vfs.iVersion = 1;
	full_vfs.zName = "fullvfs";
	full_vfs.szOsFile = (int)sizeof(struct ffile);
	full_vfs.xOpen = full_open;
	full_vfs.pNext = NULL;
	sqlite3_vfs_register(&full_vfs, 0);
}

/* ---------------------------------------------------------------- */
/* Fixtures: a store in a new temporary folder (tests/unit/store_fix.h). */

#include "store_fix.h"

static int64_t
add(struct store *st, int64_t conv, int64_t parent, enum role role,
    const char *text, enum msg_status status, const char *model)
{
	struct stored_message	 m;
	char			*cause = NULL;
	int64_t			 id;

	stored_message_init(&m);
	m.conversation_id = conv;
	m.parent_id = parent;
	m.role = role;
	m.content = (char *)text;
	m.status = status;
	m.model = (char *)model;
	m.provider = model != NULL ? (char *)"openai" : NULL;
	id = store_message_add(st, &m, &cause);
	if (id < 0)
		fail_msg("store_message_add: %s", cause);
	return (id);
}

static int64_t
conv_new(struct store *st)
{
	char	*cause = NULL;
	int64_t	 id = store_conversation_create(st, NULL, NULL, &cause);

	if (id < 0)
		fail_msg("create: %s", cause);
	return (id);
}

static void
finish(struct store *st, int64_t id, const char *text,
    enum msg_status status)
{
	struct stored_message	 m;
	char			*cause = NULL;

	stored_message_init(&m);
	m.content = (char *)text;
	m.status = status;
	if (store_message_finish(st, id, &m, &cause) != 0)
		fail_msg("finish: %s", cause);
}

static size_t
count_hits(struct store *st, const char *q, const char *model)
{
	struct search_hit	*h;
	size_t			 n;
	char			*cause = NULL;

	if (store_search(st, q, model, 50, "[", "]", &h, &n, &cause) != 0)
		fail_msg("search '%s': %s", q, cause);
	search_hits_free(h, n);
	return (n);
}

static char *
file_bytes(const char *path, size_t *len)
{
	FILE	*f = fopen(path, "rb");
	char	*b;

	assert_non_null(f);
	b = xmalloc(1 << 20);
	*len = fread(b, 1, 1 << 20, f);
	fclose(f);
	return (b);
}

/* ---------------------------------------------------------------- */

static void
open_creates_private_file_in_private_folders(void **state)
{
	struct fix	*fx = *state;
	struct stat	 sb;
	char		*dir;

	assert_int_equal(stat(fx->path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	dir = xasprintf("%s/a/b", fx->dir);
	assert_int_equal(stat(dir, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	free(dir);
	assert_false(store_readonly(fx->st));
}

static void
open_uses_wal_and_records_schema_version(void **state)
{
	struct fix	*fx = *state;
	sqlite3		*db;
	sqlite3_stmt	*s;

	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0), "wal");
	sqlite3_finalize(s);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_true(sqlite3_column_int(s, 0) >= 1);
	sqlite3_finalize(s);
	sqlite3_close(db);
}

static void
reopen_keeps_data_and_migrates_nothing(void **state)
{
	struct fix	*fx = *state;
	char		*cause = NULL;
	int64_t		 c = conv_new(fx->st);

	add(fx->st, c, 0, ROLE_USER, "hello", MSG_COMPLETE, NULL);
	store_close(fx->st);
	fx->st = store_open(fx->path, 0, &cause);
	assert_non_null(fx->st);
	assert_int_equal(store_conversation_latest(fx->st, &cause), c);
}

static void
message_life_cycle_stores_every_field(void **state)
{
	struct fix			*fx = *state;
	struct stored_message		 m, *all;
	struct conversation_info	 ci;
	char				*cause = NULL;
	size_t				 n;
	int64_t				 c, u, a;

	c = conv_new(fx->st);
	u = add(fx->st, c, 0, ROLE_USER, "Wie lang ist die Straße?",
	    MSG_COMPLETE, NULL);
	a = add(fx->st, c, u, ROLE_ASSISTANT, "", MSG_STREAMING, "gpt-x");
	assert_int_equal(store_message_checkpoint(fx->st, a, "Sehr lang",
	    4, &cause), 0);
	assert_int_equal(store_conversation_get(fx->st, c, &ci, &all, &n,
	    &cause), 0);
	assert_int_equal(n, 2);
	assert_string_equal(all[1].content, "Sehr");
	assert_int_equal(all[1].status, MSG_STREAMING);
	stored_messages_free(all, n);
	conversation_info_release(&ci);

	stored_message_init(&m);
	m.content = (char *)"Sehr lang.";
	m.status = MSG_COMPLETE;
	m.finish_reason = (char *)"stop";
	m.usage.input = 12;
	m.usage.output = 3;
	m.usage.cached = 0;
	m.ttft_ms = 150;
	m.duration_ms = 900;
	m.cost = 0.25;
	m.lang = (char *)"de";
	assert_int_equal(store_message_finish(fx->st, a, &m, &cause), 0);
	assert_int_equal(store_conversation_get(fx->st, c, &ci, &all, &n,
	    &cause), 0);
	assert_string_equal(ci.title, "Wie lang ist die Straße?");
	assert_string_equal(ci.models, "openai:gpt-x");
	assert_int_equal(ci.nmessages, 2);
	assert_int_equal(all[1].parent_id, u);
	assert_int_equal(all[1].role, ROLE_ASSISTANT);
	assert_string_equal(all[1].content, "Sehr lang.");
	assert_string_equal(all[1].finish_reason, "stop");
	assert_int_equal(all[1].usage.input, 12);
	assert_int_equal(all[1].usage.output, 3);
	assert_int_equal(all[1].usage.cached, 0);
	assert_int_equal(all[1].usage.reasoning, USAGE_UNKNOWN);
	assert_int_equal(all[1].ttft_ms, 150);
	assert_int_equal(all[1].duration_ms, 900);
	assert_true(all[1].cost > 0.2499 && all[1].cost < 0.2501);
	assert_string_equal(all[1].lang, "de");
	assert_true(all[1].created > 1600000000);
	assert_true(all[0].cost < 0);	/* unknown stays unknown */
	stored_messages_free(all, n);
	conversation_info_release(&ci);
}

static void
path_follows_the_newest_branch_and_skips_failed_answers(void **state)
{
	struct fix		*fx = *state;
	struct chat_message	*p;
	char			*cause = NULL, *system = NULL;
	size_t			 n;
	int64_t			 c, u1, a1, a1b, u2, a2, leaf;

	c = store_conversation_create(fx->st, "t", "be brief", &cause);
	u1 = add(fx->st, c, 0, ROLE_USER, "q1", MSG_COMPLETE, NULL);
	a1 = add(fx->st, c, u1, ROLE_ASSISTANT, "old answer", MSG_COMPLETE,
	    "m");
	a1b = add(fx->st, c, u1, ROLE_ASSISTANT, "new answer", MSG_CUT, "m");
	u2 = add(fx->st, c, a1b, ROLE_USER, "q2", MSG_COMPLETE, NULL);
	a2 = add(fx->st, c, u2, ROLE_ASSISTANT, "boom", MSG_ERROR, "m");
	(void)a1;
	assert_int_equal(store_conversation_path(fx->st, c, &p, &n, &system,
	    &leaf, &cause), 0);
	assert_int_equal(leaf, a2);
	assert_string_equal(system, "be brief");
	assert_int_equal(n, 3);
	assert_string_equal(p[0].content, "q1");
	assert_int_equal(p[1].role, ROLE_ASSISTANT);
	assert_string_equal(p[1].content, "new answer");
	assert_string_equal(p[2].content, "q2");
	chat_messages_free(p, n);
	free(system);
	assert_int_equal(store_conversation_path(fx->st, 9999, &p, &n,
	    &system, &leaf, &cause), -1);
	assert_non_null(strstr(cause, "no conversation 9999"));
	free(cause);
}

static void
path_to_ends_at_the_message_asked_for(void **state)
{
	struct fix		*fx = *state;
	struct chat_message	*p;
	char			*cause = NULL, *system = NULL;
	size_t			 n;
	int64_t			 c, c2, u1, a1, u2;

	c = store_conversation_create(fx->st, "t", NULL, &cause);
	u1 = add(fx->st, c, 0, ROLE_USER, "q1", MSG_COMPLETE, NULL);
	a1 = add(fx->st, c, u1, ROLE_ASSISTANT, "a1", MSG_COMPLETE, "m");
	u2 = add(fx->st, c, a1, ROLE_USER, "q2", MSG_COMPLETE, NULL);
	(void)add(fx->st, c, u2, ROLE_ASSISTANT, "a2", MSG_COMPLETE, "m");
	(void)add(fx->st, c, 0, ROLE_USER, "q1 again", MSG_COMPLETE, NULL);
	assert_int_equal(store_conversation_path_to(fx->st, c, a1, &p, &n,
	    &system, &cause), 0);
	assert_int_equal(n, 2);
	assert_string_equal(p[0].content, "q1");
	assert_string_equal(p[1].content, "a1");
	chat_messages_free(p, n);
	assert_int_equal(store_conversation_path_to(fx->st, c, 0, &p, &n,
	    &system, &cause), 0);
	assert_int_equal(n, 0);
	chat_messages_free(p, n);
	c2 = store_conversation_create(fx->st, "other", NULL, &cause);
	assert_int_equal(store_conversation_path_to(fx->st, c2, u2, &p, &n,
	    &system, &cause), -1);
	assert_non_null(strstr(cause, "in conversation"));
	free(cause);
}

static void
answer_left_streaming_by_dead_process_is_cut_on_open(void **state)
{
	struct fix		*fx = *state;
	struct stored_message	*all;
	struct conversation_info ci;
	char			*cause = NULL;
	size_t			 n;
	int64_t			 c, live;
	pid_t			 pid;
	int			 wst;

	c = conv_new(fx->st);
	live = add(fx->st, c, 0, ROLE_ASSISTANT, "mine", MSG_STREAMING, "m");
	(void)live;
	store_close(fx->st);
	fx->st = NULL;
	if ((pid = fork()) == 0) {
		struct store *st = store_open(fx->path, 0, &cause);

		if (st == NULL)
			_exit(3);
		add(st, c, 0, ROLE_ASSISTANT, "partial text", MSG_STREAMING,
		    "m");
		/* Dies mid-stream as a crash does: no finish, no close,
		 * and no exit handlers (nor a leak check under memcheck). */
		raise(SIGKILL);
		_exit(4);
	}
	assert_int_equal(waitpid(pid, &wst, 0), pid);
	assert_true(WIFSIGNALED(wst));
	assert_int_equal(WTERMSIG(wst), SIGKILL);
	fx->st = store_open(fx->path, 0, &cause);
	assert_non_null(fx->st);
	assert_int_equal(store_conversation_get(fx->st, c, &ci, &all, &n,
	    &cause), 0);
	assert_int_equal(n, 2);
	/* This process still runs: its answer is left alone. */
	assert_int_equal(all[0].status, MSG_STREAMING);
	assert_int_equal(all[1].status, MSG_CUT);
	assert_string_equal(all[1].content, "partial text");
	stored_messages_free(all, n);
	conversation_info_release(&ci);
	/* A cut answer joins the search index. */
	assert_int_equal(count_hits(fx->st, "partial", NULL), 1);
}

static void
search_folds_case_accents_and_special_letters(void **state)
{
	struct fix	*fx = *state;
	int64_t		 c = conv_new(fx->st);

	add(fx->st, c, 0, ROLE_USER, "Die Straße ist lang", MSG_COMPLETE,
	    NULL);
	add(fx->st, c, 0, ROLE_ASSISTANT, "Łódź jest w Polsce", MSG_COMPLETE,
	    "a");
	add(fx->st, c, 0, ROLE_ASSISTANT, "Τα Ελληνικά γράμματα", MSG_COMPLETE,
	    "b");
	add(fx->st, c, 0, ROLE_ASSISTANT, "Ta češnja je sladka",
	    MSG_COMPLETE, "b");
	add(fx->st, c, 0, ROLE_ASSISTANT, "Kalimera and kalėdos",
	    MSG_COMPLETE, "b");
	add(fx->st, c, 0, ROLE_ASSISTANT, "Ærøskøbing og Þórshöfn",
	    MSG_COMPLETE, "b");
	assert_int_equal(count_hits(fx->st, "strasse", NULL), 1);
	assert_int_equal(count_hits(fx->st, "STRASSE", NULL), 1);
	assert_int_equal(count_hits(fx->st, "straße", NULL), 1);
	assert_int_equal(count_hits(fx->st, "lodz", NULL), 1);
	assert_int_equal(count_hits(fx->st, "ŁÓDŹ", NULL), 1);
	assert_int_equal(count_hits(fx->st, "ελληνικα", NULL), 1);
	assert_int_equal(count_hits(fx->st, "cesnja", NULL), 1);
	assert_int_equal(count_hits(fx->st, "aeroskobing", NULL), 1);
	assert_int_equal(count_hits(fx->st, "thorshofn", NULL), 1);
	assert_int_equal(count_hits(fx->st, "kal*", NULL), 1);
	assert_int_equal(count_hits(fx->st, "KALĖ*", NULL), 1);
	assert_int_equal(count_hits(fx->st, "\"strasse ist\"", NULL), 1);
	assert_int_equal(count_hits(fx->st, "\"ist strasse\"", NULL), 0);
	assert_int_equal(count_hits(fx->st, "lodz OR cesnja", NULL), 2);
	assert_int_equal(count_hits(fx->st, "nothing", NULL), 0);
}

static void
search_snippet_marks_the_original_text(void **state)
{
	struct fix		*fx = *state;
	struct search_hit	*h;
	size_t			 n;
	char			*cause = NULL;
	int64_t			 c = conv_new(fx->st), id;

	id = add(fx->st, c, 0, ROLE_ASSISTANT, "Mieszkam w Łodzi, nie w Łódź.",
	    MSG_COMPLETE, "m");
	assert_int_equal(store_search(fx->st, "lodz", NULL, 10, "<", ">", &h,
	    &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_int_equal(h[0].message_id, id);
	assert_int_equal(h[0].conversation_id, c);
	assert_string_equal(h[0].snippet, "Mieszkam w Łodzi, nie w <Łódź>.");
	search_hits_free(h, n);
}

static void
search_ranks_better_matches_first_and_filters_model(void **state)
{
	struct fix		*fx = *state;
	struct search_hit	*h;
	size_t			 n;
	char			*cause = NULL;
	int64_t			 c = conv_new(fx->st), best;

	add(fx->st, c, 0, ROLE_ASSISTANT, "apple pie is a dessert made with "
	    "a lot of other words that dilute the match", MSG_COMPLETE, "m1");
	best = add(fx->st, c, 0, ROLE_ASSISTANT, "apple apple apple",
	    MSG_COMPLETE, "m2");
	assert_int_equal(store_search(fx->st, "apple", NULL, 10, "[", "]",
	    &h, &n, &cause), 0);
	assert_int_equal(n, 2);
	assert_int_equal(h[0].message_id, best);
	assert_true(h[0].rank <= h[1].rank);
	search_hits_free(h, n);
	assert_int_equal(count_hits(fx->st, "apple", "m1"), 1);
	assert_int_equal(count_hits(fx->st, "apple", "openai:m2"), 1);
	assert_int_equal(count_hits(fx->st, "apple", "m3"), 0);
}

static void
search_takes_plain_text_that_is_not_query_syntax(void **state)
{
	struct fix	*fx = *state;
	int64_t		 c = conv_new(fx->st);

	add(fx->st, c, 0, ROLE_USER, "l'homme qu'on dit e-mail", MSG_COMPLETE,
	    NULL);
	assert_int_equal(count_hits(fx->st, "l'homme", NULL), 1);
	assert_int_equal(count_hits(fx->st, "e-mail", NULL), 1);
	assert_int_equal(count_hits(fx->st, "\"unterminated", NULL), 0);
}

static void
streaming_answer_joins_index_when_finished(void **state)
{
	struct fix	*fx = *state;
	char		*cause = NULL;
	int64_t		 c = conv_new(fx->st), a;

	a = add(fx->st, c, 0, ROLE_ASSISTANT, "", MSG_STREAMING, "m");
	assert_int_equal(store_message_checkpoint(fx->st, a, "zebra", 5,
	    &cause), 0);
	assert_int_equal(count_hits(fx->st, "zebra", NULL), 0);
	finish(fx->st, a, "zebra crossing", MSG_COMPLETE);
	assert_int_equal(count_hits(fx->st, "zebra", NULL), 1);
	assert_int_equal(count_hits(fx->st, "crossing", NULL), 1);
}

static void
remove_deletes_messages_and_index_entries(void **state)
{
	struct fix			*fx = *state;
	struct conversation_info	 ci;
	struct stored_message		*all;
	size_t				 n;
	char				*cause = NULL;
	int64_t				 c = conv_new(fx->st), keep;

	keep = conv_new(fx->st);
	add(fx->st, c, 0, ROLE_USER, "walrus", MSG_COMPLETE, NULL);
	add(fx->st, keep, 0, ROLE_USER, "walrus too", MSG_COMPLETE, NULL);
	assert_int_equal(store_conversation_remove(fx->st, c, &cause), 0);
	assert_int_equal(count_hits(fx->st, "walrus", NULL), 1);
	assert_int_equal(store_conversation_get(fx->st, c, &ci, &all, &n,
	    &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(store_conversation_remove(fx->st, c, &cause), -1);
	assert_non_null(strstr(cause, "no conversation"));
	free(cause);
}

static void
list_is_newest_first_with_counts(void **state)
{
	struct fix			*fx = *state;
	struct conversation_info	*l;
	size_t				 n;
	char				*cause = NULL;
	int64_t				 c1 = conv_new(fx->st), c2;

	c2 = conv_new(fx->st);
	add(fx->st, c2, 0, ROLE_USER, "second", MSG_COMPLETE, NULL);
	add(fx->st, c1, 0, ROLE_USER, "first", MSG_COMPLETE, NULL);
	add(fx->st, c1, 0, ROLE_ASSISTANT, "answer", MSG_COMPLETE, "m");
	assert_int_equal(store_conversation_list(fx->st, 0, &l, &n, &cause),
	    0);
	assert_int_equal(n, 2);
	/* Same second: the higher id wins the tie. */
	assert_true(l[0].updated >= l[1].updated);
	assert_int_equal(l[0].nmessages + l[1].nmessages, 3);
	conversation_infos_free(l, n);
	assert_int_equal(store_conversation_list(fx->st, 1, &l, &n, &cause),
	    0);
	assert_int_equal(n, 1);
	conversation_infos_free(l, n);
}

static void
export_then_import_twice_adds_once(void **state)
{
	struct fix			*fx = *state;
	struct conversation_info	 ci;
	struct stored_message		*all;
	struct store			*other;
	char				*cause = NULL, *json, *opath;
	size_t				 n, added, skipped;
	int64_t				 c = conv_new(fx->st), u, a;
	FILE				*f;

	u = add(fx->st, c, 0, ROLE_USER, "Grüß Gott", MSG_COMPLETE, NULL);
	a = add(fx->st, c, u, ROLE_ASSISTANT, "Servus", MSG_COMPLETE, "m");
	add(fx->st, c, u, ROLE_ASSISTANT, "Hallo", MSG_COMPLETE, "n");
	(void)a;
	assert_int_equal(store_conversation_get(fx->st, c, &ci, &all, &n,
	    &cause), 0);
	json = store_conversation_json(&ci, all, n, false);
	assert_null(strchr(json, '\n'));
	assert_non_null(strstr(json, "\"usage\":{\"input\":null"));
	stored_messages_free(all, n);
	conversation_info_release(&ci);

	opath = xasprintf("%s/other.db", fx->dir);
	other = store_open(opath, 0, &cause);
	assert_non_null(other);
	f = fmemopen(json, strlen(json), "r");
	assert_int_equal(store_import_jsonl(other, "x.jsonl", f, &added,
	    &skipped, &cause), 0);
	fclose(f);
	assert_int_equal(added, 1);
	f = fmemopen(json, strlen(json), "r");
	assert_int_equal(store_import_jsonl(other, "x.jsonl", f, &added,
	    &skipped, &cause), 0);
	fclose(f);
	assert_int_equal(added, 0);
	assert_int_equal(skipped, 1);
	c = store_conversation_latest(other, &cause);
	assert_int_equal(store_conversation_get(other, c, &ci, &all, &n,
	    &cause), 0);
	assert_int_equal(n, 3);
	/* The tree survives: both answers are children of the prompt. */
	assert_int_equal(all[1].parent_id, all[0].id);
	assert_int_equal(all[2].parent_id, all[0].id);
	assert_string_equal(all[0].content, "Grüß Gott");
	assert_int_equal(count_hits(other, "gruss", NULL), 1);
	stored_messages_free(all, n);
	conversation_info_release(&ci);
	store_close(other);
	free(opath);
	free(json);
}

static void
import_plain_openai_lines_and_reports_bad_line(void **state)
{
	struct fix	*fx = *state;
	const char	*text =
	    "{\"messages\":[{\"role\":\"system\",\"content\":\"sys\"},"
	    "{\"role\":\"user\",\"content\":\"hi\"},"
	    "{\"role\":\"assistant\",\"content\":[{\"type\":\"text\","
	    "\"text\":\"ho\"}]}]}\n"
	    "\n"
	    "not json\n";
	char		*cause = NULL;
	size_t		 added, skipped;
	FILE		*f = fmemopen((void *)text, strlen(text), "r");

	assert_int_equal(store_import_jsonl(fx->st, "in.jsonl", f, &added,
	    &skipped, &cause), -1);
	fclose(f);
	assert_int_equal(added, 1);
	assert_non_null(strstr(cause, "in.jsonl line 3"));
	free(cause);
	assert_int_equal(count_hits(fx->st, "ho", NULL), 1);
}

static void
usage_totals_keep_unknown_apart_from_zero(void **state)
{
	struct fix		*fx = *state;
	struct stored_message	 m;
	struct usage_row	*r;
	size_t			 n;
	char			*cause = NULL;
	int64_t			 c = conv_new(fx->st), a;

	a = add(fx->st, c, 0, ROLE_ASSISTANT, "", MSG_STREAMING, "m1");
	stored_message_init(&m);
	m.content = (char *)"x";
	m.usage.input = 10;
	m.usage.output = 5;
	m.cost = 0.5;
	assert_int_equal(store_message_finish(fx->st, a, &m, &cause), 0);
	a = add(fx->st, c, 0, ROLE_ASSISTANT, "", MSG_STREAMING, "m2");
	m.cost = -1;
	assert_int_equal(store_message_finish(fx->st, a, &m, &cause), 0);
	assert_int_equal(store_usage(fx->st, 0, USAGE_BY_MODEL, &r, &n,
	    &cause), 0);
	assert_int_equal(n, 2);
	assert_string_equal(r[0].key, "openai:m1");
	assert_int_equal(r[0].input, 10);
	assert_int_equal(r[0].cached, USAGE_UNKNOWN);
	assert_int_equal(r[0].cost_unknown, 0);
	assert_int_equal(r[1].cost_unknown, 1);
	usage_rows_free(r, n);
	assert_int_equal(store_usage(fx->st, (int64_t)time(NULL) + 3600,
	    USAGE_BY_NONE, &r, &n, &cause), 0);
	assert_int_equal(n, 0);
	usage_rows_free(r, n);
}

/* An answer of model (provider openai) in conv that cost cost. */
static void
answer_cost(struct store *st, int64_t conv, const char *model, double cost)
{
	struct stored_message	 m;
	char			*cause = NULL;
	int64_t			 a;

	a = add(st, conv, 0, ROLE_ASSISTANT, "", MSG_STREAMING, model);
	stored_message_init(&m);
	m.content = (char *)"x";
	m.cost = cost;
	if (store_message_finish(st, a, &m, &cause) != 0)
		fail_msg("finish: %s", cause);
}

static void
spend_sums_known_costs_by_conversation_and_provider(void **state)
{
	struct fix	*fx = *state;
	char		*cause = NULL;
	double		 cost;
	int64_t		 c1 = conv_new(fx->st), c2 = conv_new(fx->st);

	answer_cost(fx->st, c1, "m", 0.25);
	answer_cost(fx->st, c1, "m", -1);
	answer_cost(fx->st, c2, "m", 0.5);
	assert_int_equal(store_spend(fx->st, 0, 0, NULL, &cost, &cause), 0);
	assert_true(cost == 0.75);
	assert_int_equal(store_spend(fx->st, 0, c1, NULL, &cost, &cause), 0);
	assert_true(cost == 0.25);
	assert_int_equal(store_spend(fx->st, 0, c2, "openai", &cost, &cause),
	    0);
	assert_true(cost == 0.5);
	assert_int_equal(store_spend(fx->st, 0, 0, "anthropic", &cost,
	    &cause), 0);
	assert_true(cost == 0);
	assert_int_equal(store_spend(fx->st, (int64_t)time(NULL) + 3600, 0,
	    NULL, &cost, &cause), 0);
	assert_true(cost == 0);
}

static void
spend_add_counts_for_the_day_and_usage_but_no_conversation(void **state)
{
	struct fix		*fx = *state;
	struct usage_row	*rows;
	struct usage		 u;
	char			*cause = NULL;
	double			 cost;
	size_t			 n;
	int64_t			 c1 = conv_new(fx->st);

	answer_cost(fx->st, c1, "m", 0.25);
	usage_init_unknown(&u);
	u.input = 12;
	u.output = 600;
	assert_int_equal(store_spend_add(fx->st, 0, "openai", "gpt", &u,
	    0.0612, &cause), 0);
	assert_int_equal(store_spend_add(fx->st, 0, "fo", "x", &u, -1,
	    &cause), 0);
	assert_int_equal(store_spend(fx->st, 0, 0, NULL, &cost, &cause), 0);
	assert_true(cost > 0.3111 && cost < 0.3113);
	assert_int_equal(store_spend(fx->st, 0, 0, "openai", &cost, &cause),
	    0);
	assert_true(cost > 0.3111 && cost < 0.3113);
	assert_int_equal(store_spend(fx->st, 0, c1, NULL, &cost, &cause), 0);
	assert_true(cost == 0.25);
	assert_int_equal(store_usage(fx->st, 0, USAGE_BY_NONE, &rows, &n,
	    &cause), 0);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].messages, 3);
	assert_int_equal(rows[0].output, 1200);
	assert_int_equal(rows[0].cost_unknown, 1);
	usage_rows_free(rows, n);
}

/* A finished answer in language lang with output tokens (< 0: unknown). */
static int64_t
answer_in(struct store *st, int64_t conv, int64_t parent, const char *text,
    const char *lang, int64_t output)
{
	struct stored_message	 m;
	char			*cause = NULL;
	int64_t			 a;

	a = add(st, conv, parent, ROLE_ASSISTANT, "", MSG_STREAMING, "m");
	stored_message_init(&m);
	m.content = (char *)text;
	m.lang = (char *)lang;
	if (output >= 0)
		m.usage.output = output;
	if (store_message_finish(st, a, &m, &cause) != 0)
		fail_msg("finish: %s", cause);
	return (a);
}

static void
search_lang_keeps_only_messages_in_that_language(void **state)
{
	struct fix		*fx = *state;
	struct search_hit	*h;
	size_t			 n;
	char			*cause = NULL;
	int64_t			 c = conv_new(fx->st), u, sl;

	u = add(fx->st, c, 0, ROLE_USER, "Kaj je češnja?", MSG_COMPLETE,
	    NULL);
	sl = answer_in(fx->st, c, u, "Češnja je sadež.", "sl", 9);
	answer_in(fx->st, c, u, "Češnja je voće.", "hr", 8);
	assert_int_equal(count_hits(fx->st, "cesnja", NULL), 3);
	assert_int_equal(store_search_lang(fx->st, "cesnja", NULL, "sl", 50,
	    "[", "]", &h, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_int_equal(h[0].message_id, sl);
	search_hits_free(h, n);
	assert_int_equal(store_search_lang(fx->st, "cesnja", "m", "de", 50,
	    "[", "]", &h, &n, &cause), 0);
	assert_int_equal(n, 0);
	search_hits_free(h, n);
}

static void
list_lang_keeps_conversations_with_an_answer_in_it(void **state)
{
	struct fix			*fx = *state;
	struct conversation_info	*l;
	size_t				 n;
	char				*cause = NULL;
	int64_t				 c1 = conv_new(fx->st), c2, c3, u;

	c2 = conv_new(fx->st);
	c3 = conv_new(fx->st);
	u = add(fx->st, c1, 0, ROLE_USER, "a", MSG_COMPLETE, NULL);
	answer_in(fx->st, c1, u, "Dober dan.", "sl", 3);
	answer_in(fx->st, c1, u, "Good day.", "en", 3);
	u = add(fx->st, c2, 0, ROLE_USER, "b", MSG_COMPLETE, NULL);
	answer_in(fx->st, c2, u, "Hello there.", "en", 3);
	add(fx->st, c3, 0, ROLE_USER, "c", MSG_COMPLETE, NULL);
	assert_int_equal(store_conversation_list_lang(fx->st, 0, "en", &l,
	    &n, &cause), 0);
	assert_int_equal(n, 2);
	conversation_infos_free(l, n);
	assert_int_equal(store_conversation_list_lang(fx->st, 0, "sl", &l,
	    &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_int_equal(l[0].id, c1);
	conversation_infos_free(l, n);
	assert_int_equal(store_conversation_list_lang(fx->st, 1, "en", &l,
	    &n, &cause), 0);
	assert_int_equal(n, 1);
	conversation_infos_free(l, n);
	assert_int_equal(store_conversation_list_lang(fx->st, 0, NULL, &l,
	    &n, &cause), 0);
	assert_int_equal(n, 3);
	conversation_infos_free(l, n);
}

static void
usage_by_lang_counts_words_of_answers_with_known_output(void **state)
{
	struct fix		*fx = *state;
	struct usage_row	*r;
	size_t			 n;
	char			*cause = NULL;
	int64_t			 c = conv_new(fx->st);

	/* Four words (Unicode letters, a number), 10 tokens. */
	answer_in(fx->st, c, 0, "Łódź ma 670 tysięcy.", "pl", 10);
	/* Unknown output: counted as an answer, not in the ratio. */
	answer_in(fx->st, c, 0, "Dużo słów tutaj bez liczby.", "pl", -1);
	answer_in(fx->st, c, 0, "Σήμερα βρέχει.", "el", 6);
	answer_in(fx->st, c, 0, "ok", NULL, -1);
	assert_int_equal(store_usage(fx->st, 0, USAGE_BY_LANG, &r, &n,
	    &cause), 0);
	assert_int_equal(n, 3);
	assert_string_equal(r[0].key, "?");
	assert_int_equal(r[0].tpw_words, 0);
	assert_string_equal(r[1].key, "el");
	assert_int_equal(r[1].tpw_tokens, 6);
	assert_int_equal(r[1].tpw_words, 2);
	assert_string_equal(r[2].key, "pl");
	assert_int_equal(r[2].messages, 2);
	assert_int_equal(r[2].output, 10);
	assert_int_equal(r[2].tpw_tokens, 10);
	assert_int_equal(r[2].tpw_words, 4);
	usage_rows_free(r, n);
	/* Other groupings do not read the text. */
	assert_int_equal(store_usage(fx->st, 0, USAGE_BY_NONE, &r, &n,
	    &cause), 0);
	assert_int_equal(n, 1);
	assert_int_equal(r[0].tpw_words, 0);
	usage_rows_free(r, n);
}

static void
corrupt_file_is_refused_and_left_untouched(void **state)
{
	struct fix	*fx = *state;
	struct store	*st;
	char		*path, *before, *after, *cause = NULL, *wal;
	size_t		 l1, l2, i;
	FILE		*f;

	path = xasprintf("%s/corrupt.db", fx->dir);
	f = fopen(path, "wb");
	for (i = 0; i < 8192; i++)
		fputc((int)(i * 7 % 251), f);
	fclose(f);
	before = file_bytes(path, &l1);
	st = store_open(path, 0, &cause);
	assert_null(st);
	assert_non_null(strstr(cause, "is not a usable history database: "));
	assert_non_null(strstr(cause, path));
	free(cause);
	after = file_bytes(path, &l2);
	assert_int_equal(l1, l2);
	assert_memory_equal(before, after, l1);
	wal = xasprintf("%s-wal", path);
	assert_int_not_equal(access(wal, F_OK), 0);
	free(wal);
	free(before);
	free(after);
	free(path);
}

static void
foreign_database_is_refused(void **state)
{
	struct fix	*fx = *state;
	sqlite3		*db;
	char		*path, *cause = NULL;

	path = xasprintf("%s/foreign.db", fx->dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL,
	    NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_null(store_open(path, 0, &cause));
	assert_non_null(strstr(cause, "not a usable history database"));
	free(cause);
	free(path);
}

static void
version_3_store_reads_without_spend_and_gains_it_on_open(void **state)
{
	struct fix		*fx = *state;
	struct usage_row	*rows;
	struct usage		 u;
	sqlite3			*db;
	char			*cause = NULL;
	double			 cost;
	size_t			 n;

	answer_cost(fx->st, conv_new(fx->st), "m", 0.25);
	store_close(fx->st);
	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP TABLE spend;"
	    "PRAGMA user_version = 3", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	/* Read-only, it cannot gain the table: read as if it were empty. */
	assert_non_null(fx->st = store_open(fx->path, STORE_READONLY,
	    &cause));
	assert_int_equal(store_spend(fx->st, 0, 0, NULL, &cost, &cause), 0);
	assert_true(cost == 0.25);
	assert_int_equal(store_usage(fx->st, 0, USAGE_BY_NONE, &rows, &n,
	    &cause), 0);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].messages, 1);
	usage_rows_free(rows, n);
	store_close(fx->st);
	assert_non_null(fx->st = store_open(fx->path, 0, &cause));
	usage_init_unknown(&u);
	assert_int_equal(store_spend_add(fx->st, 0, "fo", "x", &u, 0.5,
	    &cause), 0);
	assert_int_equal(store_spend(fx->st, 0, 0, NULL, &cost, &cause), 0);
	assert_true(cost == 0.75);
}

static void
no_history_is_never_created_with_store_existing(void **state)
{
	struct fix	*fx = *state;
	struct stat	 sb;
	char		*path, *cause = NULL;

	path = xasprintf("%s/none/history.db", fx->dir);
	assert_null(store_open(path, STORE_EXISTING, &cause));
	assert_non_null(strstr(cause, "no history yet"));
	free(cause);
	assert_int_not_equal(stat(path, &sb), 0);
	free(path);
}

static void
newer_schema_opens_read_only(void **state)
{
	struct fix	*fx = *state;
	sqlite3		*db;
	char		*cause = NULL;

	store_close(fx->st);
	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 999", NULL,
	    NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	fx->st = store_open(fx->path, 0, &cause);
	assert_non_null(fx->st);
	assert_true(store_readonly(fx->st));
	assert_int_equal(store_conversation_create(fx->st, NULL, NULL,
	    &cause), -1);
	assert_non_null(strstr(cause, "newer tolk"));
	free(cause);
	assert_int_equal(store_conversation_latest(fx->st, &cause), 0);
}

static void
read_only_flag_reads_but_refuses_writes(void **state)
{
	struct fix	*fx = *state;
	struct store	*ro;
	char		*cause = NULL;
	int64_t		 c = conv_new(fx->st);

	add(fx->st, c, 0, ROLE_USER, "readable", MSG_COMPLETE, NULL);
	ro = store_open(fx->path, STORE_READONLY, &cause);
	assert_non_null(ro);
	assert_true(store_readonly(ro));
	assert_int_equal(count_hits(ro, "readable", NULL), 1);
	assert_int_equal(store_conversation_create(ro, NULL, NULL, &cause),
	    -1);
	assert_non_null(strstr(cause, "cannot write"));
	free(cause);
	store_close(ro);
}

static void
full_disk_fails_checkpoint_then_recovers(void **state)
{
	struct fix		*fx = *state;
	struct store		*st;
	struct stored_message	*all;
	struct conversation_info ci;
	char			*cause = NULL, *path;
	size_t			 n;
	int64_t			 c, a;

	full_vfs_register();
	path = xasprintf("%s/full.db", fx->dir);
	st = store_open_vfs(path, 0, "fullvfs", -1, &cause);
	if (st == NULL)
		fail_msg("open: %s", cause);
	c = conv_new(st);
	a = add(st, c, 0, ROLE_ASSISTANT, "", MSG_STREAMING, "m");
	disk_full = 1;
	assert_int_equal(store_message_checkpoint(st, a, "first part", 10,
	    &cause), -1);
	assert_non_null(strstr(cause, "full"));
	free(cause);
	cause = NULL;
	assert_int_equal(store_message_finish(st, a, &(struct stored_message){
	    .content = (char *)"x", .status = MSG_COMPLETE, .cost = -1,
	    .ttft_ms = -1, .duration_ms = -1, .usage = { -1, -1, -1, -1 } },
	    &cause), -1);
	free(cause);
	cause = NULL;
	disk_full = 0;
	/* Space is back: the same calls work and nothing is half-written. */
	assert_int_equal(store_message_checkpoint(st, a, "first part", 10,
	    &cause), 0);
	finish(st, a, "first part and the rest", MSG_COMPLETE);
	assert_int_equal(store_conversation_get(st, c, &ci, &all, &n, &cause),
	    0);
	assert_string_equal(all[0].content, "first part and the rest");
	assert_int_equal(all[0].status, MSG_COMPLETE);
	stored_messages_free(all, n);
	conversation_info_release(&ci);
	assert_int_equal(count_hits(st, "rest", NULL), 1);
	store_close(st);
	free(path);
}

/* A new conversation and its first prompt are stored together or not at
 * all: a store failing on the prompt leaves no empty conversation. */
static void
conversation_start_is_all_or_nothing(void **state)
{
	struct fix		*fx = *state;
	struct store		*st;
	struct stored_message	 m;
	struct conversation_info *list;
	char			*cause = NULL, *path;
	size_t			 n;
	int64_t			 conv = 0, id;

	full_vfs_register();
	path = xasprintf("%s/start.db", fx->dir);
	st = store_open_vfs(path, 0, "fullvfs", -1, &cause);
	if (st == NULL)
		fail_msg("open: %s", cause);
	stored_message_init(&m);
	m.role = ROLE_USER;
	m.content = (char *)"Grüße aus Łódź";
	m.status = MSG_COMPLETE;
	m.created = 1700000000;

	/* The prompt's row cannot be added (its parent does not exist). */
	m.parent_id = 999;
	assert_int_equal(store_conversation_start(st, "t", NULL, &m, &conv,
	    &cause), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	/* Nothing can be written. */
	m.parent_id = 0;
	disk_full = 1;
	assert_int_equal(store_conversation_start(st, "t", NULL, &m, &conv,
	    &cause), -1);
	assert_non_null(strstr(cause, "full"));
	free(cause);
	cause = NULL;
	disk_full = 0;
	assert_int_equal(conv, 0);
	assert_int_equal(store_conversation_list(st, 0, &list, &n, &cause), 0);
	assert_int_equal(n, 0);
	conversation_infos_free(list, n);

	id = store_conversation_start(st, "t", "sys", &m, &conv, &cause);
	assert_true(id > 0);
	assert_true(conv > 0);
	assert_int_equal(store_conversation_list(st, 0, &list, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].id, conv);
	assert_int_equal(list[0].nmessages, 1);
	assert_string_equal(list[0].system, "sys");
	conversation_infos_free(list, n);
	assert_int_equal(count_hits(st, "lodz", NULL), 1);
	store_close(st);
	free(path);
}

static void
locked_store_waits_then_says_locked(void **state)
{
	struct fix	*fx = *state;
	struct store	*st;
	sqlite3		*db;
	char		*cause = NULL;
	int64_t		 c = conv_new(fx->st), t0;

	st = store_open_vfs(fx->path, 0, NULL, 200, &cause);
	assert_non_null(st);
	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL,
	    NULL), SQLITE_OK);
	t0 = clock_ms();
	assert_int_equal(store_message_add(st, &(struct stored_message){
	    .conversation_id = c, .role = ROLE_USER, .content = (char *)"q",
	    .cost = -1, .ttft_ms = -1, .duration_ms = -1,
	    .usage = { -1, -1, -1, -1 } }, &cause), -1);
	assert_true(clock_ms() - t0 >= 150);
	assert_non_null(strstr(cause, "locked"));
	free(cause);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(db);
	add(st, c, 0, ROLE_USER, "after the lock", MSG_COMPLETE, NULL);
	assert_int_equal(count_hits(st, "lock", NULL), 1);
	store_close(st);
}

static void
two_connections_interleave_writes(void **state)
{
	struct fix	*fx = *state;
	struct store	*st2;
	char		*cause = NULL, text[32];
	int64_t		 c1 = conv_new(fx->st), c2, a1, a2;
	int		 i;

	st2 = store_open(fx->path, 0, &cause);
	assert_non_null(st2);
	c2 = conv_new(st2);
	a1 = add(fx->st, c1, 0, ROLE_ASSISTANT, "", MSG_STREAMING, "m");
	a2 = add(st2, c2, 0, ROLE_ASSISTANT, "", MSG_STREAMING, "m");
	for (i = 0; i < 50; i++) {
		snprintf(text, sizeof text, "one %d", i);
		assert_int_equal(store_message_checkpoint(fx->st, a1, text,
		    strlen(text), &cause), 0);
		snprintf(text, sizeof text, "two %d", i);
		assert_int_equal(store_message_checkpoint(st2, a2, text,
		    strlen(text), &cause), 0);
	}
	finish(fx->st, a1, "one done", MSG_COMPLETE);
	finish(st2, a2, "two done", MSG_COMPLETE);
	assert_int_equal(count_hits(fx->st, "done", NULL), 2);
	store_close(st2);
}

static void
time_helpers_round_trip_iso_8601(void **state)
{
	char	buf[64];
	int64_t	t;

	(void)state;
	store_time_iso(0, buf, sizeof buf);
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	assert_int_equal(store_time_parse("2026-01-31", &t), 0);
	assert_int_equal(t, 1769817600);
	assert_int_equal(store_time_parse("2026-01-31T12:30:05Z", &t), 0);
	store_time_iso(t, buf, sizeof buf);
	assert_string_equal(buf, "2026-01-31T12:30:05Z");
	assert_int_equal(store_time_parse("2026-13-01", &t), -1);
	assert_int_equal(store_time_parse("yesterday", &t), -1);
}

static void
status_names_round_trip(void **state)
{
	enum msg_status	s;
	int		i;

	(void)state;
	for (i = MSG_COMPLETE; i <= MSG_CANCELLED; i++) {
		assert_int_equal(msg_status_parse(msg_status_name(i), &s), 0);
		assert_int_equal((int)s, i);
	}
	assert_int_equal(msg_status_parse("done", &s), -1);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(open_creates_private_file_in_private_folders),
		T(open_uses_wal_and_records_schema_version),
		T(reopen_keeps_data_and_migrates_nothing),
		T(message_life_cycle_stores_every_field),
		T(path_follows_the_newest_branch_and_skips_failed_answers),
		T(answer_left_streaming_by_dead_process_is_cut_on_open),
		T(search_folds_case_accents_and_special_letters),
		T(search_snippet_marks_the_original_text),
		T(search_ranks_better_matches_first_and_filters_model),
		T(search_takes_plain_text_that_is_not_query_syntax),
		T(streaming_answer_joins_index_when_finished),
		T(remove_deletes_messages_and_index_entries),
		T(list_is_newest_first_with_counts),
		T(export_then_import_twice_adds_once),
		T(import_plain_openai_lines_and_reports_bad_line),
		T(usage_totals_keep_unknown_apart_from_zero),
		T(spend_sums_known_costs_by_conversation_and_provider),
		T(spend_add_counts_for_the_day_and_usage_but_no_conversation),
		T(path_to_ends_at_the_message_asked_for),
		T(search_lang_keeps_only_messages_in_that_language),
		T(list_lang_keeps_conversations_with_an_answer_in_it),
		T(usage_by_lang_counts_words_of_answers_with_known_output),
		T(corrupt_file_is_refused_and_left_untouched),
		T(foreign_database_is_refused),
		T(newer_schema_opens_read_only),
		T(version_3_store_reads_without_spend_and_gains_it_on_open),
		T(no_history_is_never_created_with_store_existing),
		T(read_only_flag_reads_but_refuses_writes),
		T(full_disk_fails_checkpoint_then_recovers),
		T(conversation_start_is_all_or_nothing),
		T(locked_store_waits_then_says_locked),
		T(two_connections_interleave_writes),
		cmocka_unit_test(time_helpers_round_trip_iso_8601),
		cmocka_unit_test(status_names_round_trip),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
