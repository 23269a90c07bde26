/*
 * history/annotated.c - the evaluation set: every annotated answer with
 * what led to it, as JSON lines (tolk export --annotated), and their
 * import, so that export, import into a fresh store and export again
 * give the same bytes.
 *
 * Store ids do not survive an import, so a line names its answer, and a
 * vote the answers it compared, by a key: a hash of the conversation's
 * uid, the messages on the path, and the answer's model, time and text.
 * The import finds or adds the conversation (by uid), each message of the
 * path and the answer (by role, text, model and time under the same
 * parent), so importing a file twice adds nothing.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "history/store_impl.h"

/* ---------------------------------------------------------------- */
/* Reading the set. */

/* Keys already computed: message id to key. */
struct keycache {
	int64_t	*ids;
	char	**keys;
	size_t	 n;
};

static void
keycache_release(struct keycache *kc)
{
	size_t	i;

	for (i = 0; i < kc->n; i++)
		free(kc->keys[i]);
	free(kc->ids);
	free(kc->keys);
}

/*
 * The path of msg: its ancestors, root first, in *path (msg itself
 * not included), and msg in *m.
 */
static int
message_path(struct store *st, int64_t msg, struct stored_message *m,
    struct stored_message **path, size_t *npath, char **cause)
{
	struct stored_message	 p;
	int64_t			 up;
	size_t			 i;

	*path = NULL;
	*npath = 0;
	if (store_message_get(st, msg, m, cause) != 0)
		return (-1);
	for (up = m->parent_id; up > 0; up = p.parent_id) {
		if (*npath >= 100000 || store_message_get(st, up, &p,
		    cause) != 0) {
			if (*cause == NULL)
				*cause = xstrdup("a message path loops");
			stored_messages_free(*path, *npath);
			stored_message_release(m);
			*path = NULL;
			*npath = 0;
			return (-1);
		}
		*path = xrealloc(*path, (*npath + 1) * sizeof **path);
		(*path)[(*npath)++] = p;
	}
	for (i = 0; i < *npath / 2; i++) {
		p = (*path)[i];
		(*path)[i] = (*path)[*npath - 1 - i];
		(*path)[*npath - 1 - i] = p;
	}
	return (0);
}

static void
key_add(struct buf *b, const char *s)
{
	buf_addstr(b, s != NULL ? s : "");
	buf_addc(b, '\0');
}

/* The key of answer m with its path in conversation uid. */
static char *
answer_key(const char *uid, const struct stored_message *path,
    size_t npath, const struct stored_message *m)
{
	struct buf	 b;
	char		*h, *key;
	size_t		 i, len;

	buf_init(&b, BUF_NO_LIMIT);
	key_add(&b, uid);
	for (i = 0; i < npath; i++) {
		key_add(&b, role_name(path[i].role));
		key_add(&b, path[i].content);
	}
	key_add(&b, m->provider);
	key_add(&b, m->model);
	buf_addf(&b, "%lld", (long long)m->created);
	buf_addc(&b, '\0');
	key_add(&b, m->content);
	h = buf_take(&b, &len);
	key = store_text_uid(h, len);
	key[0] = 'a';
	free(h);
	return (key);
}

/* The key and "provider:model" of answer msg (from the cache or the
 * store). */
static int
key_of(struct store *st, struct keycache *kc, int64_t msg, char **key,
    char **model, char **cause)
{
	struct conversation_info c;
	struct stored_message	 m, *path;
	size_t			 npath, i;

	stored_message_init(&m);
	if (message_path(st, msg, &m, &path, &npath, cause) != 0)
		return (-1);
	*model = xasprintf("%s%s%s", m.provider != NULL ? m.provider : "",
	    m.provider != NULL ? ":" : "", m.model != NULL ? m.model : "?");
	for (i = 0; i < kc->n; i++) {
		if (kc->ids[i] == msg) {
			*key = xstrdup(kc->keys[i]);
			goto out;
		}
	}
	if (store_conversation_row(st, m.conversation_id, &c, cause) != 0) {
		free(*model);
		*model = NULL;
		stored_messages_free(path, npath);
		stored_message_release(&m);
		return (-1);
	}
	*key = answer_key(c.uid, path, npath, &m);
	conversation_info_release(&c);
	kc->ids = xrealloc(kc->ids, (kc->n + 1) * sizeof *kc->ids);
	kc->keys = xrealloc(kc->keys, (kc->n + 1) * sizeof *kc->keys);
	kc->ids[kc->n] = msg;
	kc->keys[kc->n++] = xstrdup(*key);
out:
	stored_messages_free(path, npath);
	stored_message_release(&m);
	return (0);
}

void
annotated_free(struct annotated *a, size_t n)
{
	size_t	i, j, k;

	for (i = 0; i < n; i++) {
		free(a[i].key);
		conversation_info_release(&a[i].conv);
		stored_messages_free(a[i].path, a[i].npath);
		stored_message_release(&a[i].answer);
		annotations_free(a[i].ann, a[i].nann);
		for (j = 0; j < a[i].nvotes; j++) {
			free(a[i].votes[j].v.uid);
			for (k = 0; k < VOTE_MAX; k++) {
				free(a[i].votes[j].key[k]);
				free(a[i].votes[j].model[k]);
			}
		}
		free(a[i].votes);
	}
	free(a);
}

/* Fill one entry for answer msg. */
static int
annotated_one(struct store *st, struct keycache *kc, int64_t msg,
    struct annotated *a, char **cause)
{
	struct vote	*v;
	size_t		 nv, i, k;

	memset(a, 0, sizeof *a);
	stored_message_init(&a->answer);
	if (message_path(st, msg, &a->answer, &a->path, &a->npath,
	    cause) != 0)
		return (-1);
	if (store_conversation_row(st, a->answer.conversation_id, &a->conv,
	    cause) != 0)
		return (-1);
	a->key = answer_key(a->conv.uid, a->path, a->npath, &a->answer);
	if (store_annotations(st, msg, &a->ann, &a->nann, cause) != 0)
		return (-1);
	if (store_votes_of(st, msg, &v, &nv, cause) != 0)
		return (-1);
	a->votes = xcalloc(nv + 1, sizeof *a->votes);
	for (i = 0; i < nv; i++) {
		a->votes[a->nvotes++].v = v[i];
		for (k = 0; k < v[i].n; k++) {
			if (key_of(st, kc, v[i].shown[k],
			    &a->votes[i].key[k], &a->votes[i].model[k],
			    cause) != 0) {
				/* the rest of v is not owned yet */
				for (i++; i < nv; i++)
					free(v[i].uid);
				free(v);
				return (-1);
			}
		}
	}
	free(v);
	return (0);
}

int
store_annotated_list(struct store *st, const char *lang,
    struct annotated **out, size_t *n, char **cause)
{
	sqlite3_stmt	*stmt;
	struct keycache	 kc;
	int64_t		*ids = NULL;
	size_t		 nids = 0, i;
	int		 rc, r = -1;

	*out = NULL;
	*n = 0;
	memset(&kc, 0, sizeof kc);
	if ((stmt = store_prepare(st, "SELECT m.id FROM messages m"
	    " WHERE m.role = 'assistant' AND (?1 IS NULL OR m.lang = ?1)"
	    " AND (EXISTS (SELECT 1 FROM annotations a"
	    "   WHERE a.message_id = m.id)"
	    " OR EXISTS (SELECT 1 FROM vote_answers x"
	    "   WHERE x.message_id = m.id))"
	    " ORDER BY m.conversation_id, m.id", cause)) == NULL)
		return (-1);
	bind_text_or_null(stmt, 1, lang);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		ids = xrealloc(ids, (nids + 1) * sizeof *ids);
		ids[nids++] = sqlite3_column_int64(stmt, 0);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		*cause = store_error(st, "cannot read the annotations");
		goto out;
	}
	*out = xcalloc(nids + 1, sizeof **out);
	for (i = 0; i < nids; i++) {
		(*n)++;
		if (annotated_one(st, &kc, ids[i], &(*out)[i], cause) != 0) {
			annotated_free(*out, *n);
			*out = NULL;
			*n = 0;
			goto out;
		}
	}
	r = 0;
out:
	keycache_release(&kc);
	free(ids);
	return (r);
}

/* ---------------------------------------------------------------- */
/* The JSON line. */

static cJSON *
tags_json(const struct annotation *a)
{
	cJSON	*t = cJSON_CreateArray();
	size_t	 i;

	for (i = 0; i < a->ntags; i++)
		cJSON_AddItemToArray(t, cJSON_CreateString(a->tags[i]));
	return (t);
}

static char *
annotated_json(const struct annotated *a)
{
	const struct annotation	*whole = NULL;
	const char		*text = a->answer.content;
	cJSON			*o, *c, *ms, *m, *ans, *sp, *s, *vs, *v, *sh;
	cJSON			*e;
	char			*t, *out, *piece, name[32];
	size_t			 i, k, len = text != NULL ? strlen(text) : 0;

	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "key", a->key);
	c = cJSON_AddObjectToObject(o, "conversation");
	json_add_string_or_null(c, "uid", a->conv.uid);
	json_add_string_or_null(c, "title", a->conv.title);
	store_json_add_time(c, "created", a->conv.created);
	store_json_add_time(c, "updated", a->conv.updated);
	/* The prompt: the path in the OpenAI chat format. */
	ms = cJSON_AddArrayToObject(o, "messages");
	if (a->conv.system != NULL) {
		m = cJSON_CreateObject();
		cJSON_AddStringToObject(m, "role", "system");
		cJSON_AddStringToObject(m, "content", a->conv.system);
		cJSON_AddItemToArray(ms, m);
	}
	for (i = 0; i < a->npath; i++) {
		m = cJSON_CreateObject();
		cJSON_AddStringToObject(m, "role", role_name(a->path[i].role));
		cJSON_AddStringToObject(m, "content",
		    a->path[i].content != NULL ? a->path[i].content : "");
		if (a->path[i].role == ROLE_ASSISTANT) {
			json_add_string_or_null(m, "provider",
			    a->path[i].provider);
			json_add_string_or_null(m, "model", a->path[i].model);
		}
		store_json_add_time(m, "created", a->path[i].created);
		cJSON_AddItemToArray(ms, m);
	}
	ans = store_message_json(&a->answer);
	cJSON_DeleteItemFromObjectCaseSensitive(ans, "id");
	cJSON_DeleteItemFromObjectCaseSensitive(ans, "parent_id");
	cJSON_DeleteItemFromObjectCaseSensitive(ans, "role");
	cJSON_AddItemToObject(o, "answer", ans);

	for (i = 0; i < a->nann; i++)
		if (a->ann[i].span_start < 0 && whole == NULL)
			whole = &a->ann[i];
	if (whole != NULL && whole->rating != RATING_NONE)
		cJSON_AddNumberToObject(o, "rating", whole->rating);
	else
		cJSON_AddNullToObject(o, "rating");
	if (whole != NULL)
		cJSON_AddItemToObject(o, "tags", tags_json(whole));
	else
		cJSON_AddArrayToObject(o, "tags");
	json_add_string_or_null(o, "note", whole != NULL ? whole->note :
	    NULL);
	sp = cJSON_AddArrayToObject(o, "spans");
	for (i = 0; i < a->nann; i++) {
		e = NULL;
		if (a->ann[i].span_start < 0)
			continue;
		s = cJSON_CreateObject();
		cJSON_AddNumberToObject(s, "start",
		    (double)a->ann[i].span_start);
		cJSON_AddNumberToObject(s, "end", (double)a->ann[i].span_end);
		if ((size_t)a->ann[i].span_end <= len) {
			piece = xstrndup(text + a->ann[i].span_start,
			    (size_t)(a->ann[i].span_end -
			    a->ann[i].span_start));
			e = cJSON_AddStringToObject(s, "text", piece);
			free(piece);
		}
		if (e == NULL)
			cJSON_AddNullToObject(s, "text");
		cJSON_AddItemToObject(s, "tags", tags_json(&a->ann[i]));
		json_add_string_or_null(s, "note", a->ann[i].note);
		cJSON_AddItemToArray(sp, s);
	}
	vs = cJSON_AddArrayToObject(o, "votes");
	for (i = 0; i < a->nvotes; i++) {
		const struct vote *vt = &a->votes[i].v;

		v = cJSON_CreateObject();
		json_add_string_or_null(v, "uid", vt->uid);
		store_json_add_time(v, "created", vt->created);
		vote_outcome_format(vt, name, sizeof name);
		cJSON_AddStringToObject(v, "outcome", name);
		sh = cJSON_AddArrayToObject(v, "shown");
		for (k = 0; k < vt->n; k++) {
			s = cJSON_CreateObject();
			cJSON_AddStringToObject(s, "key", a->votes[i].key[k]);
			cJSON_AddStringToObject(s, "model",
			    a->votes[i].model[k]);
			cJSON_AddNumberToObject(s, "column", vt->column[k]);
			cJSON_AddItemToArray(sh, s);
		}
		cJSON_AddItemToArray(vs, v);
	}
	t = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	out = xstrdup(t != NULL ? t : "{}");
	cJSON_free(t);
	return (out);
}

int
store_export_annotated(struct store *st, const char *lang, FILE *f,
    char **cause)
{
	struct annotated	*a;
	size_t			 n, i;
	char			*line;

	if (store_annotated_list(st, lang, &a, &n, cause) != 0)
		return (-1);
	for (i = 0; i < n; i++) {
		line = annotated_json(&a[i]);
		fputs(line, f);
		fputc('\n', f);
		free(line);
	}
	annotated_free(a, n);
	return (0);
}

/* ---------------------------------------------------------------- */
/* The import. */

struct pending_vote {
	struct vote	 v;
	char		*key[VOTE_MAX];
	char		*outcome;
};

struct annotated_import {
	struct store		*st;
	sqlite3_stmt		*insert;
	sqlite3_stmt		*find;
	/* answer keys read so far, and their message ids */
	struct keycache		 seen;
	struct pending_vote	*votes;
	size_t			 nvotes;
};

struct annotated_import *
annotated_import_create(struct store *st)
{
	struct annotated_import	*ai = xcalloc(1, sizeof *ai);

	ai->st = st;
	return (ai);
}

void
annotated_import_free(struct annotated_import *ai)
{
	size_t	i, k;

	if (ai == NULL)
		return;
	sqlite3_finalize(ai->insert);
	sqlite3_finalize(ai->find);
	keycache_release(&ai->seen);
	for (i = 0; i < ai->nvotes; i++) {
		free(ai->votes[i].v.uid);
		free(ai->votes[i].outcome);
		for (k = 0; k < VOTE_MAX; k++)
			free(ai->votes[i].key[k]);
	}
	free(ai->votes);
	free(ai);
}

/*
 * The message under parent (0: a root) in conv with m's role, text,
 * model and time, added when there is none. Its id, or -1.
 */
static int64_t
find_or_add(struct annotated_import *ai, int64_t conv, int64_t parent,
    enum role role, enum msg_status status, const cJSON *m, bool *added,
    char **cause)
{
	struct store	*st = ai->st;
	const char	*content = store_json_string(m, "content");
	int64_t		 created = store_json_time(m, "created", 0), id;
	int		 rc;

	*added = false;
	if (ai->find == NULL && (ai->find = store_prepare(st, "SELECT id"
	    " FROM messages WHERE conversation_id = ?1 AND parent_id IS ?2"
	    " AND role = ?3 AND content = ?4 AND created = ?5"
	    " AND provider IS ?6 AND model IS ?7 ORDER BY id LIMIT 1",
	    cause)) == NULL)
		return (-1);
	sqlite3_reset(ai->find);
	sqlite3_bind_int64(ai->find, 1, conv);
	if (parent > 0)
		sqlite3_bind_int64(ai->find, 2, parent);
	else
		sqlite3_bind_null(ai->find, 2);
	sqlite3_bind_text(ai->find, 3, role_name(role), -1, SQLITE_STATIC);
	sqlite3_bind_text(ai->find, 4, content != NULL ? content : "", -1,
	    SQLITE_TRANSIENT);
	sqlite3_bind_int64(ai->find, 5, created);
	bind_text_or_null(ai->find, 6, store_json_string(m, "provider"));
	bind_text_or_null(ai->find, 7, store_json_string(m, "model"));
	rc = sqlite3_step(ai->find);
	if (rc == SQLITE_ROW)
		return (sqlite3_column_int64(ai->find, 0));
	if (rc != SQLITE_DONE) {
		*cause = store_error(st, "import");
		return (-1);
	}
	if (ai->insert == NULL && (ai->insert = store_prepare(st,
	    IMPORT_INSERT_SQL, cause)) == NULL)
		return (-1);
	id = store_import_message(st, ai->insert, conv, parent, role, status,
	    m, created, cause);
	*added = id > 0;
	return (id);
}

static int64_t
conversation_find_or_add(struct annotated_import *ai, const cJSON *c,
    const cJSON *msgs, char **cause)
{
	sqlite3_stmt	*stmt;
	const cJSON	*m;
	const char	*uid = store_json_string(c, "uid"), *system = NULL;
	const char	*role;
	int64_t		 id = 0, created;
	int		 rc;

	if (uid == NULL) {
		*cause = xstrdup("the conversation has no uid");
		return (-1);
	}
	if ((stmt = store_prepare(ai->st, "SELECT id FROM conversations"
	    " WHERE uid = ?", cause)) == NULL)
		return (-1);
	sqlite3_bind_text(stmt, 1, uid, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(stmt, 0);
	else if (rc != SQLITE_DONE)
		*cause = store_error(ai->st, "import");
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE)
		return (rc == SQLITE_ROW ? id : -1);
	cJSON_ArrayForEach(m, msgs) {
		if ((role = store_json_string(m, "role")) != NULL &&
		    strcmp(role, "system") == 0)
			system = store_json_string(m, "content");
	}
	created = store_json_time(c, "created", store_now());
	return (store_conversation_insert(ai->st, uid,
	    store_json_string(c, "title"), system, created,
	    store_json_time(c, "updated", created), cause));
}

/* The tags of an annotation's JSON, checked; a NULL-terminated array
 * whose strings belong to the JSON. */
static const char **
tags_of(const cJSON *o, size_t *n, char **cause)
{
	const cJSON	*t = cJSON_GetObjectItemCaseSensitive(o, "tags"), *v;
	const char	**tags;

	*n = 0;
	tags = xcalloc((size_t)cJSON_GetArraySize(t) + 1, sizeof *tags);
	cJSON_ArrayForEach(v, t) {
		if (!cJSON_IsString(v) ||
		    annotation_tag_check(v->valuestring, cause) != 0) {
			if (*cause == NULL)
				*cause = xstrdup("a tag is not a string");
			free(tags);
			return (NULL);
		}
		tags[(*n)++] = v->valuestring;
	}
	return (tags);
}

/* Whether answer id has a passage annotation like s already. */
static int
span_exists(struct store *st, int64_t id, int64_t start, int64_t end,
    const char **tags, size_t ntags, const char *note, bool *exists,
    char **cause)
{
	struct annotation	*a;
	size_t			 n, i, k;

	*exists = false;
	if (store_annotations(st, id, &a, &n, cause) != 0)
		return (-1);
	for (i = 0; i < n && !*exists; i++) {
		if (a[i].span_start != start || a[i].span_end != end ||
		    a[i].ntags != ntags ||
		    (a[i].note == NULL) != (note == NULL) ||
		    (note != NULL && strcmp(a[i].note, note) != 0))
			continue;
		for (k = 0; k < ntags; k++)
			if (strcmp(a[i].tags[k], tags[k]) != 0)
				break;
		*exists = k == ntags;
	}
	annotations_free(a, n);
	return (0);
}

static int
cmp_cstr(const void *a, const void *b)
{
	return (strcmp(*(const char *const *)a, *(const char *const *)b));
}

/* The rating, tags, note and passages of line o onto answer id. */
static int
import_annotations(struct annotated_import *ai, int64_t id, const cJSON *o,
    char **cause)
{
	struct annotation_edit	 e;
	const cJSON		*v, *sp, *s;
	const char		**tags;
	size_t			 ntags;
	bool			 exists;
	int			 r;

	memset(&e, 0, sizeof e);
	v = cJSON_GetObjectItemCaseSensitive(o, "rating");
	if (cJSON_IsNumber(v)) {
		e.set_rating = true;
		e.rating = (int)v->valuedouble;
		if ((double)e.rating != v->valuedouble)
			e.rating = 99;	/* refused below */
	}
	if ((tags = tags_of(o, &ntags, cause)) == NULL)
		return (-1);
	e.add_tags = tags;
	e.nadd = ntags;
	if (store_json_string(o, "note") != NULL) {
		e.set_note = true;
		e.note = store_json_string(o, "note");
	}
	r = 0;
	if (e.set_rating || e.nadd > 0 || e.set_note)
		r = store_annotate_in(ai->st, id, &e, cause);
	free(tags);
	if (r != 0)
		return (-1);
	sp = cJSON_GetObjectItemCaseSensitive(o, "spans");
	cJSON_ArrayForEach(s, sp) {
		const cJSON	*a = cJSON_GetObjectItemCaseSensitive(s,
				    "start");
		const cJSON	*b = cJSON_GetObjectItemCaseSensitive(s, "end");

		if (!cJSON_IsNumber(a) || !cJSON_IsNumber(b)) {
			*cause = xstrdup("a span has no start or end");
			return (-1);
		}
		if ((tags = tags_of(s, &ntags, cause)) == NULL)
			return (-1);
		qsort(tags, ntags, sizeof *tags, cmp_cstr);
		r = span_exists(ai->st, id, (int64_t)a->valuedouble,
		    (int64_t)b->valuedouble, tags, ntags,
		    store_json_string(s, "note"), &exists, cause);
		if (r == 0 && !exists && store_annotate_span(ai->st, id,
		    (int64_t)a->valuedouble, (int64_t)b->valuedouble, tags,
		    ntags, store_json_string(s, "note"), cause) < 0)
			r = -1;
		free(tags);
		if (r != 0)
			return (-1);
	}
	return (0);
}

/* Keep the votes of line o for _finish(). */
static int
collect_votes(struct annotated_import *ai, const cJSON *o, char **cause)
{
	const cJSON		*vs, *v, *sh, *s, *col;
	struct pending_vote	*p;
	const char		*uid, *outcome, *key;
	size_t			 i;

	vs = cJSON_GetObjectItemCaseSensitive(o, "votes");
	cJSON_ArrayForEach(v, vs) {
		if ((uid = store_json_string(v, "uid")) == NULL ||
		    (outcome = store_json_string(v, "outcome")) == NULL) {
			*cause = xstrdup("a vote has no uid or outcome");
			return (-1);
		}
		for (i = 0; i < ai->nvotes; i++)
			if (strcmp(ai->votes[i].v.uid, uid) == 0)
				break;
		if (i < ai->nvotes)
			continue;
		sh = cJSON_GetObjectItemCaseSensitive(v, "shown");
		if (cJSON_GetArraySize(sh) < 2 ||
		    cJSON_GetArraySize(sh) > VOTE_MAX) {
			*cause = xasprintf("vote %s shows %d answers", uid,
			    cJSON_GetArraySize(sh));
			return (-1);
		}
		ai->votes = xrealloc(ai->votes, (ai->nvotes + 1) *
		    sizeof *ai->votes);
		p = &ai->votes[ai->nvotes++];
		memset(p, 0, sizeof *p);
		p->v.uid = xstrdup(uid);
		p->outcome = xstrdup(outcome);
		p->v.created = store_json_time(v, "created", store_now());
		cJSON_ArrayForEach(s, sh) {
			if ((key = store_json_string(s, "key")) == NULL) {
				*cause = xasprintf("vote %s: an answer has "
				    "no key", uid);
				return (-1);
			}
			col = cJSON_GetObjectItemCaseSensitive(s, "column");
			p->key[p->v.n] = xstrdup(key);
			p->v.column[p->v.n++] = cJSON_IsNumber(col) ?
			    (int)col->valuedouble : 0;
		}
		if (vote_outcome_parse(outcome, p->v.n, &p->v.outcome,
		    &p->v.winner) != 0) {
			*cause = xasprintf("vote %s: unknown outcome '%s'",
			    uid, outcome);
			return (-1);
		}
	}
	return (0);
}

int
annotated_import_line(struct annotated_import *ai, const cJSON *o,
    char **cause)
{
	const cJSON		*c, *msgs, *m, *ans;
	const char		*s, *key;
	enum role		 role;
	enum msg_status		 status = MSG_COMPLETE;
	int64_t			 conv, parent = 0, id = 0;
	bool			 added = false;

	c = cJSON_GetObjectItemCaseSensitive(o, "conversation");
	msgs = cJSON_GetObjectItemCaseSensitive(o, "messages");
	ans = cJSON_GetObjectItemCaseSensitive(o, "answer");
	if ((key = store_json_string(o, "key")) == NULL || !cJSON_IsObject(c) ||
	    !cJSON_IsArray(msgs)) {
		*cause = xstrdup("an annotated answer needs \"key\", "
		    "\"conversation\" and \"messages\"");
		return (-1);
	}
	if ((conv = conversation_find_or_add(ai, c, msgs, cause)) < 0)
		return (-1);
	cJSON_ArrayForEach(m, msgs) {
		if ((s = store_json_string(m, "role")) == NULL ||
		    role_parse(s, &role) != 0) {
			*cause = xasprintf("unknown role '%s'",
			    s != NULL ? s : "(none)");
			return (-1);
		}
		if (role == ROLE_SYSTEM)
			continue;
		if ((parent = find_or_add(ai, conv, parent, role,
		    MSG_COMPLETE, m, &added, cause)) < 0)
			return (-1);
	}
	if ((s = store_json_string(ans, "status")) != NULL &&
	    msg_status_parse(s, &status) != 0) {
		*cause = xasprintf("unknown status '%s'", s);
		return (-1);
	}
	if (status == MSG_STREAMING)
		status = MSG_CUT;
	if ((id = find_or_add(ai, conv, parent, ROLE_ASSISTANT, status, ans,
	    &added, cause)) < 0)
		return (-1);
	if (import_annotations(ai, id, o, cause) != 0 ||
	    collect_votes(ai, o, cause) != 0)
		return (-1);
	ai->seen.ids = xrealloc(ai->seen.ids, (ai->seen.n + 1) *
	    sizeof *ai->seen.ids);
	ai->seen.keys = xrealloc(ai->seen.keys, (ai->seen.n + 1) *
	    sizeof *ai->seen.keys);
	ai->seen.ids[ai->seen.n] = id;
	ai->seen.keys[ai->seen.n++] = xstrdup(key);
	return (added ? 1 : 0);
}

int
annotated_import_finish(struct annotated_import *ai, char **cause)
{
	sqlite3_stmt		*exists;
	struct pending_vote	*p;
	size_t			 i, k, j;
	int			 rc, r = -1;

	if ((exists = store_prepare(ai->st, "SELECT 1 FROM votes"
	    " WHERE uid = ?", cause)) == NULL)
		return (-1);
	for (i = 0; i < ai->nvotes; i++) {
		p = &ai->votes[i];
		sqlite3_reset(exists);
		sqlite3_bind_text(exists, 1, p->v.uid, -1, SQLITE_STATIC);
		if ((rc = sqlite3_step(exists)) == SQLITE_ROW)
			continue;
		if (rc != SQLITE_DONE) {
			*cause = store_error(ai->st, "import");
			goto out;
		}
		for (k = 0; k < p->v.n; k++) {
			for (j = 0; j < ai->seen.n; j++)
				if (strcmp(ai->seen.keys[j], p->key[k]) == 0)
					break;
			if (j == ai->seen.n) {
				*cause = xasprintf("vote %s names answer %s, "
				    "which is not in the file", p->v.uid,
				    p->key[k]);
				goto out;
			}
			p->v.shown[k] = ai->seen.ids[j];
		}
		if (vote_insert(ai->st, &p->v, cause) < 0)
			goto out;
	}
	r = 0;
out:
	sqlite3_finalize(exists);
	return (r);
}
