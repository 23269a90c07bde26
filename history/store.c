/*
 * history/store.c - opening the store: the file, its mode, WAL, the busy
 * timeout, the schema and its forward migrations, and the recovery of
 * answers left "streaming" by a process that died.
 *
 * A file that is not a usable database is never written to: every check
 * that could fail on a foreign file (the header, the schema, the version)
 * runs before anything that writes (journal mode, migrations, recovery).
 */
#include "config.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "history/store_impl.h"

#define BUSY_TIMEOUT_MS 5000

/*
 * The schema, one step per version; user_version holds the number of steps
 * applied. Steps are only ever appended: a released step never changes.
 */
static const char *migrations[] = {
	/* 1: conversations, the message tree, annotations, search. */
	"CREATE TABLE conversations ("
	"  id INTEGER PRIMARY KEY,"
	"  uid TEXT NOT NULL UNIQUE,"
	"  title TEXT,"
	"  system TEXT,"
	"  lang TEXT,"
	"  created INTEGER NOT NULL,"
	"  updated INTEGER NOT NULL);"
	"CREATE INDEX conversations_updated ON conversations(updated, id);"
	"CREATE TABLE messages ("
	"  id INTEGER PRIMARY KEY,"
	"  conversation_id INTEGER NOT NULL"
	"    REFERENCES conversations(id) ON DELETE CASCADE,"
	"  parent_id INTEGER REFERENCES messages(id) ON DELETE SET NULL,"
	"  role TEXT NOT NULL,"
	"  content TEXT NOT NULL DEFAULT '',"
	"  provider TEXT,"
	"  model TEXT,"
	"  params TEXT,"
	"  status TEXT NOT NULL,"
	"  error TEXT,"
	"  finish_reason TEXT,"
	"  input_tokens INTEGER,"
	"  output_tokens INTEGER,"
	"  cached_tokens INTEGER,"
	"  reasoning_tokens INTEGER,"
	"  ttft_ms INTEGER,"
	"  duration_ms INTEGER,"
	"  cost REAL,"
	"  lang TEXT,"
	"  created INTEGER NOT NULL,"
	"  writer TEXT);"
	"CREATE INDEX messages_conversation ON messages(conversation_id, id);"
	"CREATE INDEX messages_streaming ON messages(id)"
	"  WHERE status = 'streaming';"
	"CREATE TABLE annotations ("
	"  id INTEGER PRIMARY KEY,"
	"  message_id INTEGER NOT NULL"
	"    REFERENCES messages(id) ON DELETE CASCADE,"
	"  rating INTEGER,"
	"  tags TEXT,"
	"  note TEXT,"
	"  span_start INTEGER,"
	"  span_end INTEGER,"
	"  created INTEGER NOT NULL);"
	"CREATE INDEX annotations_message ON annotations(message_id);"
	/*
	 * The index holds finished messages only: a streaming answer is
	 * rewritten every 250 ms and would be re-indexed each time. It joins
	 * the index when its status leaves "streaming".
	 */
	"CREATE VIRTUAL TABLE messages_fts USING fts5(content,"
	"  content = 'messages', content_rowid = 'id', tokenize = 'tolk',"
	"  prefix = '2 3');"
	"CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages"
	"  WHEN new.status != 'streaming' BEGIN"
	"  INSERT INTO messages_fts(rowid, content)"
	"    VALUES (new.id, new.content);"
	"END;"
	"CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages"
	"  WHEN old.status != 'streaming' BEGIN"
	"  INSERT INTO messages_fts(messages_fts, rowid, content)"
	"    VALUES ('delete', old.id, old.content);"
	"END;"
	"CREATE TRIGGER messages_fts_update_old"
	"  AFTER UPDATE OF content, status ON messages"
	"  WHEN old.status != 'streaming' BEGIN"
	"  INSERT INTO messages_fts(messages_fts, rowid, content)"
	"    VALUES ('delete', old.id, old.content);"
	"END;"
	"CREATE TRIGGER messages_fts_update_new"
	"  AFTER UPDATE OF content, status ON messages"
	"  WHEN new.status != 'streaming' BEGIN"
	"  INSERT INTO messages_fts(rowid, content)"
	"    VALUES (new.id, new.content);"
	"END;",
	/*
	 * 2: the language a conversation's answers are expected in, and how
	 * it was set ("user": /lang CODE; "prompt": detected in the first
	 * prompt; "off": /lang off, no check). The lang column of step 1 was
	 * never written; it stays unused.
	 */
	"ALTER TABLE conversations ADD COLUMN expected_lang TEXT;"
	"ALTER TABLE conversations ADD COLUMN expected_lang_source TEXT;",
	/*
	 * 3: blind votes between answers shown side by side. A vote lists
	 * the answers in the order they were shown (position) with the
	 * column each came from before the shuffle; winner is the position
	 * of the best one when outcome is 'win'. annotations.tags holds a
	 * JSON array of strings from now on.
	 */
	"CREATE TABLE votes ("
	"  id INTEGER PRIMARY KEY,"
	"  uid TEXT NOT NULL UNIQUE,"
	"  outcome TEXT NOT NULL"
	"    CHECK (outcome IN ('win', 'tie', 'both-bad')),"
	"  winner INTEGER,"
	"  created INTEGER NOT NULL);"
	"CREATE TABLE vote_answers ("
	"  vote_id INTEGER NOT NULL REFERENCES votes(id) ON DELETE CASCADE,"
	"  position INTEGER NOT NULL,"
	"  message_id INTEGER NOT NULL"
	"    REFERENCES messages(id) ON DELETE CASCADE,"
	"  source_column INTEGER NOT NULL,"
	"  PRIMARY KEY (vote_id, position));"
	"CREATE INDEX vote_answers_message ON vote_answers(message_id);",
	/*
	 * 4: the cost of answers that were not stored (--no-log with a
	 * budget): when, which model, tokens and cost, never any text. The
	 * budgets and tolk usage count them with the stored answers.
	 */
	"CREATE TABLE spend ("
	"  id INTEGER PRIMARY KEY,"
	"  created INTEGER NOT NULL,"
	"  provider TEXT,"
	"  model TEXT,"
	"  input_tokens INTEGER,"
	"  output_tokens INTEGER,"
	"  cached_tokens INTEGER,"
	"  reasoning_tokens INTEGER,"
	"  cost REAL);"
	"CREATE INDEX spend_created ON spend(created);",
};
#define SCHEMA_VERSION ((int)(sizeof migrations / sizeof migrations[0]))

int64_t
store_now(void)
{
	return ((int64_t)time(NULL));
}

char *
store_default_path(void)
{
	const char	*data = getenv("XDG_DATA_HOME"), *home;

	if (data != NULL && *data == '/')
		return (xasprintf("%s/tolk/history.db", data));
	if ((home = getenv("HOME")) == NULL || *home == '\0')
		home = ".";
	return (xasprintf("%s/.local/share/tolk/history.db", home));
}

const char *
store_path(const struct store *st)
{
	return (st->path);
}

bool
store_readonly(const struct store *st)
{
	return (st->readonly);
}

const char *
store_readonly_reason(const struct store *st)
{
	return (st->readonly ? st->readonly_reason : NULL);
}

/*
 * Whether the last error is a write a file-size limit stopped: SQLite says
 * only "disk I/O error" (tolk ignores SIGXFSZ, so write() fails with
 * EFBIG), and the errno it keeps is not always the write's.
 */
static bool
fsize_limited(sqlite3 *db, rlim_t *limit)
{
	struct rlimit	rl;
	int		ext = sqlite3_extended_errcode(db);

	if (ext != SQLITE_IOERR_WRITE && ext != SQLITE_IOERR_TRUNCATE &&
	    ext != SQLITE_IOERR_SHMSIZE && sqlite3_system_errno(db) != EFBIG)
		return (false);
	if (getrlimit(RLIMIT_FSIZE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
		return (false);
	*limit = rl.rlim_cur;
	return (true);
}

char *
store_error(struct store *st, const char *what)
{
	rlim_t	limit;
	int	code = sqlite3_errcode(st->db);

	if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
		return (xasprintf("%s: '%s' is locked by another process; "
		    "try again when it is done", what, st->path));
	if (code == SQLITE_FULL)
		return (xasprintf("%s: the disk holding '%s' is full", what,
		    st->path));
	if (code == SQLITE_READONLY)
		return (xasprintf("%s: '%s' is read-only", what, st->path));
	if (code == SQLITE_IOERR && fsize_limited(st->db, &limit))
		return (xasprintf("%s: '%s' cannot grow: the file-size limit "
		    "(ulimit -f) is %llu bytes", what, st->path,
		    (unsigned long long)limit));
	if (code == SQLITE_IOERR && sqlite3_system_errno(st->db) != 0)
		return (xasprintf("%s: '%s': %s (%s)", what, st->path,
		    sqlite3_errmsg(st->db),
		    strerror(sqlite3_system_errno(st->db))));
	return (xasprintf("%s: %s", what, sqlite3_errmsg(st->db)));
}

sqlite3_stmt *
store_prepare(struct store *st, const char *sql, char **cause)
{
	sqlite3_stmt	*stmt;

	if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		*cause = store_error(st, "history");
		return (NULL);
	}
	return (stmt);
}

sqlite3_stmt *
store_keep(struct store *st, const char *sql, char **cause)
{
	size_t	i, empty = STORE_KEPT;

	for (i = 0; i < STORE_KEPT; i++) {
		if (st->kept[i].sql == sql && !st->kept[i].busy) {
			st->kept[i].busy = true;
			return (st->kept[i].stmt);
		}
		if (st->kept[i].sql == NULL && empty == STORE_KEPT)
			empty = i;
	}
	if (empty == STORE_KEPT)
		return (store_prepare(st, sql, cause));	/* all in use */
	if ((st->kept[empty].stmt = store_prepare(st, sql, cause)) == NULL)
		return (NULL);
	st->kept[empty].sql = sql;
	st->kept[empty].busy = true;
	return (st->kept[empty].stmt);
}

void
store_done(struct store *st, sqlite3_stmt *stmt)
{
	size_t	i;

	for (i = 0; i < STORE_KEPT; i++) {
		if (st->kept[i].stmt == stmt && st->kept[i].sql != NULL) {
			sqlite3_reset(stmt);
			sqlite3_clear_bindings(stmt);
			st->kept[i].busy = false;
			return;
		}
	}
	sqlite3_finalize(stmt);
}

int
store_exec(struct store *st, const char *sql, char **cause)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		*cause = store_error(st, "history");
		return (-1);
	}
	return (0);
}

int
store_check_writable(struct store *st, char **cause)
{
	if (!st->readonly)
		return (0);
	*cause = xasprintf("cannot write to the history: %s",
	    st->readonly_reason);
	return (-1);
}

char *
column_text(sqlite3_stmt *stmt, int col)
{
	const unsigned char	*t;

	if (sqlite3_column_type(stmt, col) == SQLITE_NULL)
		return (NULL);
	t = sqlite3_column_text(stmt, col);
	return (xstrndup((const char *)t,
	    (size_t)sqlite3_column_bytes(stmt, col)));
}

void
bind_text_or_null(sqlite3_stmt *stmt, int col, const char *s)
{
	if (s == NULL)
		sqlite3_bind_null(stmt, col);
	else
		sqlite3_bind_text(stmt, col, s, -1, SQLITE_TRANSIENT);
}

void
bind_int_or_null(sqlite3_stmt *stmt, int col, int64_t v)
{
	if (v < 0)
		sqlite3_bind_null(stmt, col);
	else
		sqlite3_bind_int64(stmt, col, v);
}

void
bind_cost(sqlite3_stmt *stmt, int col, double cost)
{
	if (cost < 0)
		sqlite3_bind_null(stmt, col);
	else
		sqlite3_bind_double(stmt, col, cost);
}

/* mkdir -p for the folders above path, new ones mode 0700. */
static int
make_parents(const char *path, char **cause)
{
	char	*dir, *p;
	int	 r = 0;

	dir = xstrdup(path);
	for (p = dir + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			*cause = xasprintf("cannot create '%s': %s", dir,
			    strerror(errno));
			r = -1;
			break;
		}
		*p = '/';
	}
	free(dir);
	return (r);
}

static char *
not_usable(const char *path, const char *reason)
{
	return (xasprintf("'%s' is not a usable history database: %s", path,
	    reason));
}

/* The integer result of a one-row query, or -1. */
static int64_t
query_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt	*stmt;
	int64_t		 v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
		return (-1);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return (v);
}

/*
 * The identity of a process that writes a streaming answer: "PID START",
 * START being its start time in clock ticks after boot (Linux /proc), so
 * a reused pid does not pass for the writer. Elsewhere START is 0.
 */
static unsigned long long
process_start(long pid)
{
	char			 path[64], line[1024], *p;
	FILE			*f;
	unsigned long long	 start = 0;
	int			 field;

	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return (0);
	if (fgets(line, sizeof line, f) != NULL &&
	    (p = strrchr(line, ')')) != NULL) {
		/* Field 22 is starttime; p points at the end of field 2. */
		for (field = 2; field < 21 && p != NULL; field++)
			p = strchr(p + 1, ' ');
		if (p != NULL)
			start = strtoull(p + 1, NULL, 10);
	}
	fclose(f);
	return (start);
}

char *
store_writer_self(void)
{
	long	pid = (long)getpid();

	return (xasprintf("%ld %llu", pid, process_start(pid)));
}

/*
 * Whether the writer named by w (see above) still runs.
 * NEEDSWORK: a store shared by two machines (a network file system) would
 * see the other machine's writer as dead; the writer should name its host.
 */
static bool
writer_alive(const char *w)
{
	char			*end;
	long			 pid;
	unsigned long long	 start, now;

	if (w == NULL)
		return (false);
	errno = 0;
	pid = strtol(w, &end, 10);
	if (errno != 0 || end == w || pid <= 0 || pid > INT_MAX)
		return (false);
	start = strtoull(end, NULL, 10);
	if (kill((pid_t)pid, 0) != 0 && errno == ESRCH)
		return (false);
	if (start != 0 && (now = process_start(pid)) != 0 && now != start)
		return (false);
	return (true);
}

/* Mark answers whose writer died while they streamed as cut. */
static int
recover_streaming(struct store *st, char **cause)
{
	sqlite3_stmt	*sel, *upd = NULL;
	char		*w;
	int		 r = 0;

	if ((sel = store_prepare(st, "SELECT id, writer FROM messages"
	    " WHERE status = 'streaming'", cause)) == NULL)
		return (-1);
	while (sqlite3_step(sel) == SQLITE_ROW) {
		w = column_text(sel, 1);
		if (!writer_alive(w)) {
			if (upd == NULL && (upd = store_prepare(st,
			    "UPDATE messages SET status = 'cut', writer = NULL"
			    " WHERE id = ? AND status = 'streaming'",
			    cause)) == NULL) {
				free(w);
				r = -1;
				break;
			}
			sqlite3_bind_int64(upd, 1,
			    sqlite3_column_int64(sel, 0));
			if (sqlite3_step(upd) != SQLITE_DONE) {
				*cause = store_error(st, "cannot mark an "
				    "interrupted answer as cut");
				r = -1;
			}
			sqlite3_reset(upd);
		}
		free(w);
		if (r != 0)
			break;
	}
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	return (r);
}

static int
migrate(struct store *st, char **cause)
{
	int	version, i;
	char	*err = NULL;

	if (store_exec(st, "BEGIN IMMEDIATE", cause) != 0)
		return (-1);
	/* Read again inside the lock: another tolk may have migrated. */
	version = (int)query_int(st->db, "PRAGMA user_version");
	for (i = version; i < SCHEMA_VERSION; i++) {
		if (sqlite3_exec(st->db, migrations[i], NULL, NULL,
		    &err) != SQLITE_OK) {
			*cause = xasprintf("cannot update the schema of '%s' "
			    "to version %d: %s", st->path, i + 1,
			    err != NULL ? err : "unknown error");
			sqlite3_free(err);
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			return (-1);
		}
	}
	if (version < SCHEMA_VERSION) {
		char *sql = xasprintf("PRAGMA user_version = %d",
		    SCHEMA_VERSION);
		i = store_exec(st, sql, cause);
		free(sql);
		if (i != 0) {
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			return (-1);
		}
	}
	if (store_exec(st, "COMMIT", cause) != 0) {
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		return (-1);
	}
	return (0);
}

static int
connect(struct store *st, const char *uri, int oflags, const char *vfs,
    int busy_ms, char **cause)
{
	if (sqlite3_open_v2(uri, &st->db, oflags | SQLITE_OPEN_URI, vfs) !=
	    SQLITE_OK) {
		*cause = not_usable(st->path, st->db != NULL ?
		    sqlite3_errmsg(st->db) : "out of memory");
		sqlite3_close(st->db);
		st->db = NULL;
		return (-1);
	}
	sqlite3_extended_result_codes(st->db, 0);
	sqlite3_busy_timeout(st->db, busy_ms);
	return (0);
}

/* A URI for path with the given query ("mode=ro"...). */
static char *
make_uri(const char *path, const char *query)
{
	struct buf	 b;
	const char	*p;

	buf_init(&b, BUF_NO_LIMIT);
	buf_addstr(&b, "file:");
	for (p = path; *p != '\0'; p++) {
		if (*p == '%' || *p == '?' || *p == '#')
			buf_addf(&b, "%%%02X", (unsigned char)*p);
		else
			buf_addc(&b, *p);
	}
	if (query != NULL) {
		buf_addc(&b, '?');
		buf_addstr(&b, query);
	}
	return (buf_take(&b, NULL));
}

static void
set_readonly(struct store *st, char *reason)
{
	st->readonly = true;
	free(st->readonly_reason);
	st->readonly_reason = reason;
}

/*
 * Why a first read failed. Only a file SQLite cannot read as a database
 * gets the "not usable" verdict (*foreign); a lock, a full disk or a
 * read-only place is not the file's fault.
 */
static char *
open_failure(struct store *st, bool *foreign)
{
	int	code = sqlite3_errcode(st->db);

	if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT ||
	    code == SQLITE_FORMAT) {
		*foreign = true;
		return (not_usable(st->path, sqlite3_errmsg(st->db)));
	}
	*foreign = code == SQLITE_BUSY || code == SQLITE_LOCKED;
	return (store_error(st, "cannot read the history"));
}

/* Why we may not write, from the last error of the connection. */
static char *
readonly_why(struct store *st)
{
	int	code = sqlite3_errcode(st->db);
	int	err = sqlite3_system_errno(st->db);

	if (code == SQLITE_FULL || err == ENOSPC || err == EDQUOT)
		return (xasprintf("the disk holding '%s' is full", st->path));
	if (code == SQLITE_READONLY || err == EROFS || err == EACCES ||
	    err == EPERM)
		return (xasprintf("'%s' is read-only", st->path));
	return (xasprintf("'%s' cannot be written: %s", st->path,
	    sqlite3_errmsg(st->db)));
}

/*
 * Check that the connection reads a tolk database: the header, the schema
 * and the version. Returns the version, or -1 with *cause.
 */
static int
check_usable(struct store *st, bool *foreign, char **cause)
{
	sqlite3_stmt	*stmt;
	int		 rc, ntables = 0, tolk = 0;
	const char	*name;

	*foreign = false;
	if (sqlite3_prepare_v2(st->db, "SELECT name FROM sqlite_schema"
	    " WHERE type = 'table'", -1, &stmt, NULL) != SQLITE_OK) {
		*cause = open_failure(st, foreign);
		return (-1);
	}
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		ntables++;
		name = (const char *)sqlite3_column_text(stmt, 0);
		if (name != NULL && (strcmp(name, "conversations") == 0 ||
		    strcmp(name, "messages") == 0))
			tolk++;
	}
	if (rc != SQLITE_DONE) {
		*cause = open_failure(st, foreign);
		sqlite3_finalize(stmt);
		return (-1);
	}
	sqlite3_finalize(stmt);
	rc = (int)query_int(st->db, "PRAGMA user_version");
	if (ntables > 0 && (tolk != 2 || rc <= 0)) {
		*foreign = true;
		*cause = not_usable(st->path, "it holds other tables than "
		    "tolk's");
		return (-1);
	}
	return (rc < 0 ? 0 : rc);
}

struct store *
store_open_vfs(const char *path, int flags, const char *vfs, int busy_ms,
    char **cause)
{
	struct store	*st;
	struct stat	 sb;
	char		*uri = NULL, *dir, *slash;
	int		 fd, version, attempt;
	bool		 exists, ro = (flags & STORE_READONLY) != 0;
	bool		 existing = (flags & STORE_EXISTING) != 0;
	bool		 foreign = false, ro_tried;
	static bool	 warned_mode;

	st = xcalloc(1, sizeof *st);
	st->path = path != NULL ? xstrdup(path) : store_default_path();
	if (busy_ms < 0)
		busy_ms = BUSY_TIMEOUT_MS;

	exists = stat(st->path, &sb) == 0;
	if (exists && !S_ISREG(sb.st_mode)) {
		*cause = not_usable(st->path, "not a regular file");
		goto fail;
	}
	if (exists && (sb.st_mode & 077) != 0 && !warned_mode) {
		warned_mode = true;
		tolk_warn("'%s' can be read by other users (mode %03o); "
		    "chmod 600 it to keep your history private", st->path,
		    (unsigned)(sb.st_mode & 0777));
	}
	if (!exists && (ro || existing)) {
		*cause = xasprintf("no history yet at '%s'", st->path);
		goto fail;
	}
	if (!exists) {
		if (make_parents(st->path, cause) != 0)
			goto fail;
		/* Create it ourselves: SQLite would use 0644. */
		fd = open(st->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		    0600);
		if (fd == -1 && errno != EEXIST) {
			*cause = xasprintf("cannot create '%s': %s", st->path,
			    strerror(errno));
			goto fail;
		}
		if (fd != -1)
			close(fd);
	}

	dir = xstrdup(st->path);
	if ((slash = strrchr(dir, '/')) != NULL)
		*(slash == dir ? slash + 1 : slash) = '\0';
	else {
		free(dir);
		dir = xstrdup(".");
	}
	if (!ro && access(st->path, W_OK) != 0)
		set_readonly(st, xasprintf("'%s' is read-only", st->path));
	else if (!ro && access(dir, W_OK) != 0)
		set_readonly(st, xasprintf("the folder of '%s' is read-only",
		    st->path));
	else if (ro)
		set_readonly(st, xstrdup("opened for reading only"));
	free(dir);

	ro_tried = st->readonly;
	uri = make_uri(st->path, st->readonly ? "mode=ro" : NULL);
	if (connect(st, uri, st->readonly ? SQLITE_OPEN_READONLY :
	    SQLITE_OPEN_READWRITE, vfs, busy_ms, cause) != 0)
		goto fail;
	version = check_usable(st, &foreign, cause);
	for (attempt = 0; version < 0 && !foreign && attempt < 2; attempt++) {
		/*
		 * Not a verdict on the file: we may not write it, its folder,
		 * or the disk (read-only file system, files of another user,
		 * a full disk where the -shm file cannot grow). Read it
		 * read-only; then, when SQLite cannot even create the -shm
		 * file, as immutable: nobody can write it either.
		 */
		if (!st->readonly)
			set_readonly(st, readonly_why(st));
		free(*cause);
		*cause = NULL;
		sqlite3_close(st->db);
		st->db = NULL;
		free(uri);
		uri = make_uri(st->path, attempt == 0 && !ro_tried ?
		    "mode=ro" : "mode=ro&immutable=1");
		ro_tried = true;
		if (connect(st, uri, SQLITE_OPEN_READONLY, vfs, busy_ms,
		    cause) != 0)
			goto fail;
		version = check_usable(st, &foreign, cause);
	}
	if (version < 0)
		goto fail;
	if (version > SCHEMA_VERSION) {
		if (!st->readonly)
			tolk_warn("'%s' was written by a newer tolk (schema %d,"
			    " this tolk knows %d): opened read-only", st->path,
			    version, SCHEMA_VERSION);
		set_readonly(st, xasprintf("'%s' was written by a newer tolk",
		    st->path));
	}
	if (fts_register(st->db, cause) != 0)
		goto fail;
	if (st->readonly) {
		if (version == 0) {
			*cause = xasprintf("no history yet at '%s'",
			    st->path);
			goto fail;
		}
		goto out;
	}

	if (store_exec(st, "PRAGMA journal_mode = WAL", cause) != 0 ||
	    store_exec(st, "PRAGMA synchronous = NORMAL", cause) != 0 ||
	    store_exec(st, "PRAGMA foreign_keys = ON", cause) != 0) {
		if (version == 0)
			goto fail;
		/* Readable but not writable now (full, locked): say why. */
		set_readonly(st, readonly_why(st));
		free(*cause);
		*cause = NULL;
		goto out;
	}
	if (version < SCHEMA_VERSION && migrate(st, cause) != 0)
		goto fail;
	if (recover_streaming(st, cause) != 0) {
		/* The next open tries again; reading must not suffer. */
		free(*cause);
		*cause = NULL;
	}
out:
	free(uri);
	return (st);
fail:
	free(uri);
	store_close(st);
	return (NULL);
}

struct store *
store_open(const char *path, int flags, char **cause)
{
	return (store_open_vfs(path, flags, NULL, -1, cause));
}

void
store_close(struct store *st)
{
	size_t	i;

	if (st == NULL)
		return;
	for (i = 0; i < STORE_KEPT; i++)
		if (st->kept[i].sql != NULL)
			sqlite3_finalize(st->kept[i].stmt);
	if (st->db != NULL)
		sqlite3_close_v2(st->db);
	free(st->path);
	free(st->readonly_reason);
	free(st);
}
