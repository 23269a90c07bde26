/*
 * history/json.c - conversations as JSON (show --json, export) and the
 * import of JSON lines, plus the ISO 8601 time helpers they share.
 *
 * The export is the import's input: a conversation carries a uid that
 * survives the round trip, which is what makes a second import of the
 * same file add nothing.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "history/store_impl.h"
#include "lang/lang.h"

#define IMPORT_LINE_MAX (256u * 1024 * 1024)
#define IMPORT_BATCH 256

void
store_time_iso(int64_t t, char *buf, size_t len)
{
	struct tm	tm;
	time_t		tt = (time_t)t;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, len, "%lld", (long long)t);
}

static int
parse_fixed(const char **p, int ndigits, int *out)
{
	int	v = 0, i;

	for (i = 0; i < ndigits; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return (-1);
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += ndigits;
	*out = v;
	return (0);
}

int
store_time_parse(const char *s, int64_t *out)
{
	struct tm	 tm;
	const char	*p = s;
	int		 y, mo, d, h = 0, mi = 0, sec = 0;

	if (parse_fixed(&p, 4, &y) != 0 || *p++ != '-' ||
	    parse_fixed(&p, 2, &mo) != 0 || *p++ != '-' ||
	    parse_fixed(&p, 2, &d) != 0)
		return (-1);
	if (*p == 'T' || *p == ' ') {
		p++;
		if (parse_fixed(&p, 2, &h) != 0 || *p++ != ':' ||
		    parse_fixed(&p, 2, &mi) != 0)
			return (-1);
		if (*p == ':') {
			p++;
			if (parse_fixed(&p, 2, &sec) != 0)
				return (-1);
		}
	}
	if (*p == 'Z')
		p++;
	if (*p != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || sec > 60)
		return (-1);
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*out = (int64_t)timegm(&tm);
	return (0);
}

void
store_json_add_time(cJSON *o, const char *key, int64_t t)
{
	char	buf[64];

	store_time_iso(t, buf, sizeof buf);
	cJSON_AddStringToObject(o, key, buf);
}

cJSON *
store_message_json(const struct stored_message *m)
{
	cJSON	*o, *u, *p;

	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "id", (double)m->id);
	if (m->parent_id > 0)
		cJSON_AddNumberToObject(o, "parent_id", (double)m->parent_id);
	else
		cJSON_AddNullToObject(o, "parent_id");
	cJSON_AddStringToObject(o, "role", role_name(m->role));
	cJSON_AddStringToObject(o, "content",
	    m->content != NULL ? m->content : "");
	json_add_string_or_null(o, "provider", m->provider);
	json_add_string_or_null(o, "model", m->model);
	cJSON_AddStringToObject(o, "status", msg_status_name(m->status));
	json_add_string_or_null(o, "error", m->error);
	json_add_string_or_null(o, "finish_reason", m->finish_reason);
	u = cJSON_AddObjectToObject(o, "usage");
	json_add_count(u, "input", m->usage.input);
	json_add_count(u, "output", m->usage.output);
	json_add_count(u, "cached", m->usage.cached);
	json_add_count(u, "reasoning", m->usage.reasoning);
	json_add_count(o, "ttft_ms", m->ttft_ms);
	json_add_count(o, "duration_ms", m->duration_ms);
	if (m->cost < 0)
		cJSON_AddNullToObject(o, "cost");
	else
		cJSON_AddNumberToObject(o, "cost", m->cost);
	json_add_string_or_null(o, "lang", m->lang);
	if (m->params_json != NULL &&
	    (p = cJSON_Parse(m->params_json)) != NULL)
		cJSON_AddItemToObject(o, "params", p);
	else
		json_add_string_or_null(o, "params", m->params_json);
	store_json_add_time(o, "created", m->created);
	return (o);
}

char *
store_conversation_json(const struct conversation_info *c,
    const struct stored_message *m, size_t n, bool pretty)
{
	cJSON	*o, *a, *s;
	char	*text, *out;
	size_t	 i;

	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "id", (double)c->id);
	json_add_string_or_null(o, "uid", c->uid);
	json_add_string_or_null(o, "title", c->title);
	store_json_add_time(o, "created", c->created);
	store_json_add_time(o, "updated", c->updated);
	json_add_string_or_null(o, "expected_lang", c->expected_lang);
	json_add_string_or_null(o, "expected_lang_source",
	    expect_source_name((enum expect_source)c->expected_by));
	a = cJSON_AddArrayToObject(o, "messages");
	if (c->system != NULL) {
		s = cJSON_CreateObject();
		cJSON_AddStringToObject(s, "role", "system");
		cJSON_AddStringToObject(s, "content", c->system);
		cJSON_AddItemToArray(a, s);
	}
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(a, store_message_json(&m[i]));
	text = pretty ? cJSON_Print(o) : cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	out = xstrdup(text != NULL ? text : "{}");
	cJSON_free(text);
	return (out);
}

/* ---------------------------------------------------------------- */
/* Import. */

const char *
store_json_string(const cJSON *o, const char *key)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	return (cJSON_IsString(v) ? v->valuestring : NULL);
}

/* A JSON number that fits int64_t (converting one that does not is
 * undefined behaviour; found by tests/fuzz/fuzz_import). */
static bool
get_int64(const cJSON *v, int64_t *out)
{
	if (!cJSON_IsNumber(v) || !(v->valuedouble > -9.2e18 &&
	    v->valuedouble < 9.2e18))
		return (false);
	*out = (int64_t)v->valuedouble;
	return (true);
}

/* A count, or -1 when absent, null, not a number or out of range. */
static int64_t
get_count(const cJSON *o, const char *key)
{
	int64_t	n;

	if (!get_int64(cJSON_GetObjectItemCaseSensitive(o, key), &n) || n < 0)
		return (-1);
	return (n);
}

/* A time given as ISO 8601 or unix seconds; def when absent. */
int64_t
store_json_time(const cJSON *o, const char *key, int64_t def)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);
	int64_t		 t;

	if (get_int64(v, &t))
		return (t);
	if (cJSON_IsString(v) && store_time_parse(v->valuestring, &t) == 0)
		return (t);
	return (def);
}

/* The text of an OpenAI content: a string or an array of parts. */
static char *
get_content(const cJSON *o)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, "content");
	const cJSON	*part;
	const char	*t;
	struct buf	 b;

	if (cJSON_IsString(v))
		return (xstrdup(v->valuestring));
	buf_init(&b, BUF_NO_LIMIT);
	buf_addstr(&b, "");
	if (cJSON_IsArray(v)) {
		cJSON_ArrayForEach(part, v) {
			if ((t = store_json_string(part, "text")) != NULL)
				buf_addstr(&b, t);
		}
	}
	return (buf_take(&b, NULL));
}

/* 128 bits of two FNV-1a hashes, as hex: the uid of a line without one. */
char *
store_text_uid(const char *line, size_t len)
{
	uint64_t	h1 = 1469598103934665603ULL, h2 = 0x9e3779b97f4a7c15ULL;
	size_t		i;

	for (i = 0; i < len; i++) {
		h1 = (h1 ^ (unsigned char)line[i]) * 1099511628211ULL;
		h2 = (h2 ^ (unsigned char)line[i]) * 0x100000001b3ULL;
		h2 ^= h2 >> 29;
	}
	return (xasprintf("i%016llx%016llx", (unsigned long long)h1,
	    (unsigned long long)h2));
}

int64_t
store_import_message(struct store *st, sqlite3_stmt *ins, int64_t conv,
    int64_t parent, enum role role, enum msg_status status, const cJSON *m,
    int64_t created, char **cause)
{
	const cJSON	*u, *v;
	char		*content;

	sqlite3_reset(ins);
	sqlite3_clear_bindings(ins);
	sqlite3_bind_int64(ins, 1, conv);
	if (parent > 0)
		sqlite3_bind_int64(ins, 2, parent);
	sqlite3_bind_text(ins, 3, role_name(role), -1, SQLITE_STATIC);
	content = get_content(m);
	sqlite3_bind_text(ins, 4, content, -1, free);
	bind_text_or_null(ins, 5, store_json_string(m, "provider"));
	bind_text_or_null(ins, 6, store_json_string(m, "model"));
	v = cJSON_GetObjectItemCaseSensitive(m, "params");
	if (cJSON_IsObject(v)) {
		char *p = cJSON_PrintUnformatted(v);
		bind_text_or_null(ins, 7, p);
		cJSON_free(p);
	} else
		bind_text_or_null(ins, 7, store_json_string(m, "params"));
	sqlite3_bind_text(ins, 8, msg_status_name(status), -1,
	    SQLITE_STATIC);
	bind_text_or_null(ins, 9, store_json_string(m, "error"));
	bind_text_or_null(ins, 10, store_json_string(m, "finish_reason"));
	u = cJSON_GetObjectItemCaseSensitive(m, "usage");
	bind_int_or_null(ins, 11, get_count(u, "input"));
	bind_int_or_null(ins, 12, get_count(u, "output"));
	bind_int_or_null(ins, 13, get_count(u, "cached"));
	bind_int_or_null(ins, 14, get_count(u, "reasoning"));
	bind_int_or_null(ins, 15, get_count(m, "ttft_ms"));
	bind_int_or_null(ins, 16, get_count(m, "duration_ms"));
	v = cJSON_GetObjectItemCaseSensitive(m, "cost");
	if (cJSON_IsNumber(v) && v->valuedouble >= 0)
		sqlite3_bind_double(ins, 17, v->valuedouble);
	bind_text_or_null(ins, 18, store_json_string(m, "lang"));
	sqlite3_bind_int64(ins, 19, store_json_time(m, "created", created));
	if (sqlite3_step(ins) != SQLITE_DONE) {
		*cause = store_error(st, "import");
		return (-1);
	}
	return (sqlite3_last_insert_rowid(st->db));
}

struct idmap {
	int64_t	from;
	int64_t	to;
};

static int64_t
idmap_find(const struct idmap *map, size_t n, int64_t from)
{
	size_t	i;

	for (i = n; i > 0; i--) {
		if (map[i - 1].from == from)
			return (map[i - 1].to);
	}
	return (0);
}

struct importer {
	struct store		*st;
	sqlite3_stmt		*exists;
	sqlite3_stmt		*insert;
	struct annotated_import	*ann;	/* made at the first such line */
};

/*
 * The expected language of an exported conversation: "expected_lang"
 * (a code lang/ knows, or null) and "expected_lang_source"; both absent is
 * never set. A code without a source was set by the user.
 */
static int
expected_lang(const cJSON *o, const char **code, enum expect_source *by,
    char **cause)
{
	const char	*src = store_json_string(o, "expected_lang_source");

	*code = store_json_string(o, "expected_lang");
	*by = *code != NULL ? EXPECT_USER : EXPECT_NONE;
	if (src != NULL && expect_source_parse(src, by) != 0) {
		*cause = xasprintf("unknown expected_lang_source '%s'", src);
		return (-1);
	}
	if (*code != NULL && !langid_known(*code)) {
		*cause = xasprintf("unknown expected_lang '%s'", *code);
		return (-1);
	}
	if (*code == NULL && (*by == EXPECT_USER || *by == EXPECT_PROMPT)) {
		*cause = xasprintf("expected_lang_source '%s' without an "
		    "expected_lang", src);
		return (-1);
	}
	return (0);
}

/* Import one parsed conversation; 1 added, 0 skipped, -1 error. */
static int
import_one(struct importer *im, const cJSON *o, const char *line,
    size_t len, char **cause)
{
	struct store		*st = im->st;
	const cJSON		*msgs, *m, *v;
	struct idmap		*map = NULL;
	size_t			 nmap = 0;
	char			*uid, *system = NULL;
	const char		*s, *elang;
	enum expect_source	 eby;
	enum role		 role;
	enum msg_status		 status;
	int64_t			 now = store_now(), conv, created;
	int64_t			 prev = 0;
	int64_t			 parent, id, num;
	int			 r = -1;

	if ((s = store_json_string(o, "uid")) != NULL)
		uid = xstrdup(s);
	else
		uid = store_text_uid(line, len);
	sqlite3_reset(im->exists);
	sqlite3_bind_text(im->exists, 1, uid, -1, SQLITE_TRANSIENT);
	switch (sqlite3_step(im->exists)) {
	case SQLITE_ROW:
		free(uid);
		return (0);
	case SQLITE_DONE:
		break;
	default:
		*cause = store_error(st, "import");
		free(uid);
		return (-1);
	}
	msgs = cJSON_GetObjectItemCaseSensitive(o, "messages");
	if (!cJSON_IsArray(msgs)) {
		*cause = xstrdup("no \"messages\" array");
		free(uid);
		return (-1);
	}
	cJSON_ArrayForEach(m, msgs) {
		if ((s = store_json_string(m, "role")) != NULL &&
		    strcmp(s, "system") == 0) {
			free(system);
			system = get_content(m);
		}
	}
	if (expected_lang(o, &elang, &eby, cause) != 0) {
		free(system);
		free(uid);
		return (-1);
	}
	created = store_json_time(o, "created", now);
	conv = store_conversation_insert(st, uid, store_json_string(o, "title"),
	    system, created, store_json_time(o, "updated", created), cause);
	free(system);
	free(uid);
	if (conv < 0)
		return (-1);
	if (eby != EXPECT_NONE &&
	    store_conversation_set_lang(st, conv, elang, eby, cause) != 0)
		return (-1);

	map = xcalloc((size_t)cJSON_GetArraySize(msgs) + 1, sizeof *map);
	cJSON_ArrayForEach(m, msgs) {
		if (!cJSON_IsObject(m)) {
			*cause = xstrdup("a message is not an object");
			goto out;
		}
		if ((s = store_json_string(m, "role")) == NULL ||
		    role_parse(s, &role) != 0) {
			*cause = xasprintf("unknown role '%s'",
			    s != NULL ? s : "(none)");
			goto out;
		}
		if (role == ROLE_SYSTEM)
			continue;
		status = MSG_COMPLETE;
		if ((s = store_json_string(m, "status")) != NULL &&
		    msg_status_parse(s, &status) != 0) {
			*cause = xasprintf("unknown status '%s'", s);
			goto out;
		}
		/* Nobody streams into an imported message. */
		if (status == MSG_STREAMING)
			status = MSG_CUT;
		v = cJSON_GetObjectItemCaseSensitive(m, "parent_id");
		if (v == NULL)
			parent = prev;
		else if (get_int64(v, &num))
			parent = idmap_find(map, nmap, num);
		else
			parent = 0;

		if ((id = store_import_message(st, im->insert, conv, parent,
		    role, status, m, created, cause)) < 0)
			goto out;
		v = cJSON_GetObjectItemCaseSensitive(m, "id");
		map[nmap].from = get_int64(v, &num) ? num : -1;
		map[nmap++].to = id;
		prev = id;
	}
	r = 1;
out:
	free(map);
	return (r);
}

int
store_import_jsonl(struct store *st, const char *path, FILE *f,
    size_t *added, size_t *skipped, char **cause)
{
	struct import_counts	n;
	int			r;

	r = store_import_jsonl_counts(st, path, f, &n, cause);
	*added = n.conversations + n.annotated;
	*skipped = n.conversations_there + n.annotated_there;
	return (r);
}

int
store_import_jsonl_counts(struct store *st, const char *path, FILE *f,
    struct import_counts *n, char **cause)
{
	struct importer	 im;
	cJSON		*o;
	char		*line = NULL, *why = NULL;
	size_t		 cap = 0, lineno = 0, pending = 0, pending_ann = 0;
	ssize_t		 len;
	int		 r = -1, one;
	bool		 in_txn = false, ann;

	memset(n, 0, sizeof *n);
	if (store_check_writable(st, cause) != 0)
		return (-1);
	memset(&im, 0, sizeof im);
	im.st = st;
	/* A bigger page cache: the search index merges its segments. */
	sqlite3_exec(st->db, "PRAGMA cache_size = -65536", NULL, NULL, NULL);
	if ((im.exists = store_prepare(st, "SELECT 1 FROM conversations"
	    " WHERE uid = ?", cause)) == NULL)
		goto out;
	if ((im.insert = store_prepare(st, IMPORT_INSERT_SQL, cause)) == NULL)
		goto out;
	errno = 0;
	while ((len = getline(&line, &cap, f)) != -1) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0)
			continue;
		if ((size_t)len > IMPORT_LINE_MAX) {
			*cause = xasprintf("%s line %zu: line too long", path,
			    lineno);
			goto out;
		}
		if ((o = cJSON_ParseWithLength(line, (size_t)len)) == NULL ||
		    !cJSON_IsObject(o)) {
			cJSON_Delete(o);
			*cause = xasprintf("%s line %zu: not a JSON object",
			    path, lineno);
			goto out;
		}
		/*
		 * A conversation is all in or all out (a savepoint); commits
		 * come every IMPORT_BATCH conversations, since a commit per
		 * conversation would make a large import wait on the disk.
		 */
		if (!in_txn) {
			if (store_exec(st, "BEGIN IMMEDIATE", cause) != 0) {
				cJSON_Delete(o);
				goto out;
			}
			in_txn = true;
		}
		if (store_exec(st, "SAVEPOINT conv", cause) != 0) {
			cJSON_Delete(o);
			goto out;
		}
		ann = cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(o,
		    "answer"));
		if (ann) {
			if (im.ann == NULL)
				im.ann = annotated_import_create(st);
			one = annotated_import_line(im.ann, o, &why);
		} else
			one = import_one(&im, o, line, (size_t)len, &why);
		cJSON_Delete(o);
		if (one < 0) {
			sqlite3_exec(st->db, "ROLLBACK TO conv; RELEASE conv",
			    NULL, NULL, NULL);
			*cause = xasprintf("%s line %zu: %s", path, lineno,
			    why != NULL ? why : "cannot import");
			/* It quotes the line's values. */
			str_defang(*cause);
			free(why);
			goto out;
		}
		if (store_exec(st, "RELEASE conv", cause) != 0)
			goto out;
		if (one == 1 && ann)
			pending_ann++;
		else if (one == 1)
			pending++;
		else if (ann)
			n->annotated_there++;
		else
			n->conversations_there++;
		if (pending + pending_ann >= IMPORT_BATCH) {
			if (store_exec(st, "COMMIT", cause) != 0)
				goto out;
			in_txn = false;
			n->conversations += pending;
			n->annotated += pending_ann;
			pending = pending_ann = 0;
		}
	}
	if (ferror(f)) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		goto out;
	}
	if (im.ann != NULL) {
		if (!in_txn) {
			if (store_exec(st, "BEGIN IMMEDIATE", cause) != 0)
				goto out;
			in_txn = true;
		}
		if (annotated_import_finish(im.ann, &why) != 0) {
			*cause = xasprintf("%s: %s", path, why);
			free(why);
			why = NULL;
			goto out;
		}
	}
	r = 0;
out:
	/* What was imported before a bad line stays. */
	if (in_txn) {
		if (store_exec(st, "COMMIT", &why) == 0) {
			n->conversations += pending;
			n->annotated += pending_ann;
		} else {
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			if (r == 0) {
				*cause = why;
				r = -1;
			} else
				free(why);
		}
	}
	free(line);
	sqlite3_finalize(im.exists);
	sqlite3_finalize(im.insert);
	annotated_import_free(im.ann);
	return (r);
}
