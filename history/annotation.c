/*
 * history/annotation.c - what people think of answers: ratings, tags and
 * notes on a whole answer or on a passage of it, blind votes between
 * answers shown side by side, the filters of log and search that use
 * them, and the leaderboard built from them.
 *
 * An answer has at most one whole annotation row (span_start IS NULL);
 * store_annotate() edits it in one transaction. Tags are a JSON array in
 * annotations.tags, so SQL can filter on them with json_each().
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "history/store_impl.h"

#define TAG_MAX 64

const char *const annotation_builtin_tags[] = {
	"terminology", "grammar", "register", "untranslated",
	"wrong-language", "factual", "formatting", NULL
};

void
annotations_free(struct annotation *a, size_t n)
{
	size_t	i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < a[i].ntags; j++)
			free(a[i].tags[j]);
		free(a[i].tags);
		free(a[i].note);
	}
	free(a);
}

/* Whether s is well-formed UTF-8 (no overlongs, no surrogates). */
static bool
utf8_ok(const unsigned char *s)
{
	unsigned int	cp, min;
	int		n, i;

	while (*s != '\0') {
		if (*s < 0x80) {
			s++;
			continue;
		}
		if ((*s & 0xe0) == 0xc0) {
			n = 1;
			cp = *s & 0x1f;
			min = 0x80;
		} else if ((*s & 0xf0) == 0xe0) {
			n = 2;
			cp = *s & 0x0f;
			min = 0x800;
		} else if ((*s & 0xf8) == 0xf0) {
			n = 3;
			cp = *s & 0x07;
			min = 0x10000;
		} else
			return (false);
		for (i = 1; i <= n; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return (false);
			cp = (cp << 6) | (s[i] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return (false);
		s += n + 1;
	}
	return (true);
}

int
annotation_tag_check(const char *s, char **cause)
{
	const unsigned char	*p;

	if (*s == '\0') {
		*cause = xstrdup("a tag cannot be empty");
		return (-1);
	}
	if (strlen(s) > TAG_MAX) {
		*cause = xasprintf("tag '%.20s…' is longer than %d bytes", s,
		    TAG_MAX);
		return (-1);
	}
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p <= ' ' || *p == ',' || *p == 0x7f) {
			*cause = xasprintf("tag '%s' has a space, comma or "
			    "control character", s);
			return (-1);
		}
	}
	if (!utf8_ok((const unsigned char *)s)) {
		*cause = xstrdup("a tag is not valid UTF-8");
		return (-1);
	}
	return (0);
}

static int
cmp_str(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* Parse a tags column (a JSON array) into a sorted, distinct list. */
static void
tags_from_json(const char *json, char ***tags, size_t *n)
{
	cJSON		*a, *v;
	size_t		 i, j;

	*tags = NULL;
	*n = 0;
	if (json == NULL || (a = cJSON_Parse(json)) == NULL)
		return;
	*tags = xcalloc((size_t)cJSON_GetArraySize(a) + 1, sizeof **tags);
	cJSON_ArrayForEach(v, a) {
		if (cJSON_IsString(v))
			(*tags)[(*n)++] = xstrdup(v->valuestring);
	}
	cJSON_Delete(a);
	qsort(*tags, *n, sizeof **tags, cmp_str);
	for (i = j = 0; i < *n; i++) {
		if (j > 0 && strcmp((*tags)[j - 1], (*tags)[i]) == 0)
			free((*tags)[i]);
		else
			(*tags)[j++] = (*tags)[i];
	}
	*n = j;
}

/* A sorted, distinct list as the JSON text of the column; NULL when
 * empty. */
static char *
tags_to_json(char **tags, size_t n)
{
	cJSON	*a;
	char	*t, *out;
	size_t	 i;

	if (n == 0)
		return (NULL);
	qsort(tags, n, sizeof *tags, cmp_str);
	a = cJSON_CreateArray();
	for (i = 0; i < n; i++) {
		if (i > 0 && strcmp(tags[i - 1], tags[i]) == 0)
			continue;
		cJSON_AddItemToArray(a, cJSON_CreateString(tags[i]));
	}
	t = cJSON_PrintUnformatted(a);
	cJSON_Delete(a);
	out = xstrdup(t);
	cJSON_free(t);
	return (out);
}

#define ANNOTATION_COLUMNS "id, message_id, rating, tags, note, " \
	"span_start, span_end, created"

static void
annotation_from_row(sqlite3_stmt *stmt, struct annotation *a)
{
	char	*tags;

	memset(a, 0, sizeof *a);
	a->id = sqlite3_column_int64(stmt, 0);
	a->message_id = sqlite3_column_int64(stmt, 1);
	a->rating = sqlite3_column_type(stmt, 2) == SQLITE_NULL ?
	    RATING_NONE : sqlite3_column_int(stmt, 2);
	tags = column_text(stmt, 3);
	tags_from_json(tags, &a->tags, &a->ntags);
	free(tags);
	a->note = column_text(stmt, 4);
	if (sqlite3_column_type(stmt, 5) == SQLITE_NULL) {
		a->span_start = a->span_end = -1;
	} else {
		a->span_start = sqlite3_column_int64(stmt, 5);
		a->span_end = sqlite3_column_int64(stmt, 6);
	}
	a->created = sqlite3_column_int64(stmt, 7);
}

/*
 * Check that msg is a stored answer; its content's length in *len when
 * len is not NULL.
 */
static int
check_answer(struct store *st, int64_t msg, int64_t *len, char **cause)
{
	sqlite3_stmt	*stmt;
	const char	*role;
	int		 rc, r = -1;

	if ((stmt = store_keep(st, "SELECT role, length(CAST(content AS"
	    " BLOB)) FROM messages WHERE id = ?", cause)) == NULL)
		return (-1);
	sqlite3_bind_int64(stmt, 1, msg);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		role = (const char *)sqlite3_column_text(stmt, 0);
		if (role != NULL && strcmp(role, "assistant") == 0) {
			if (len != NULL)
				*len = sqlite3_column_int64(stmt, 1);
			r = 0;
		} else
			*cause = xasprintf("message %lld is not an answer; "
			    "only answers are annotated", (long long)msg);
	} else if (rc == SQLITE_DONE)
		*cause = xasprintf("no message %lld", (long long)msg);
	else
		*cause = store_error(st, "cannot read the history");
	store_done(st, stmt);
	return (r);
}

int
store_annotations(struct store *st, int64_t msg, struct annotation **out,
    size_t *n, char **cause)
{
	sqlite3_stmt	*stmt;
	size_t		 cap = 0;
	int		 rc;

	*out = NULL;
	*n = 0;
	if (check_answer(st, msg, NULL, cause) != 0)
		return (-1);
	if ((stmt = store_keep(st, "SELECT " ANNOTATION_COLUMNS
	    " FROM annotations WHERE message_id = ?"
	    " ORDER BY span_start IS NOT NULL, span_start, span_end, id",
	    cause)) == NULL)
		return (-1);
	sqlite3_bind_int64(stmt, 1, msg);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap == 0 ? 4 : cap * 2;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		annotation_from_row(stmt, &(*out)[(*n)++]);
	}
	if (rc != SQLITE_DONE)
		*cause = store_error(st, "cannot read the annotations");
	store_done(st, stmt);
	if (rc != SQLITE_DONE) {
		annotations_free(*out, *n);
		*out = NULL;
		*n = 0;
		return (-1);
	}
	return (0);
}

/* The whole annotation of msg into *a (id 0 when there is none). */
static int
whole_get(struct store *st, int64_t msg, struct annotation *a,
    char **cause)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	memset(a, 0, sizeof *a);
	a->rating = RATING_NONE;
	a->span_start = a->span_end = -1;
	if ((stmt = store_keep(st, "SELECT " ANNOTATION_COLUMNS
	    " FROM annotations WHERE message_id = ? AND span_start IS NULL"
	    " ORDER BY id LIMIT 1", cause)) == NULL)
		return (-1);
	sqlite3_bind_int64(stmt, 1, msg);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		annotation_from_row(stmt, a);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		*cause = store_error(st, "cannot read the annotations");
	store_done(st, stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return (-1);
	return (0);
}

static void
tag_add(struct annotation *a, const char *t)
{
	size_t	i;

	for (i = 0; i < a->ntags; i++)
		if (strcmp(a->tags[i], t) == 0)
			return;
	a->tags = xrealloc(a->tags, (a->ntags + 1) * sizeof *a->tags);
	a->tags[a->ntags++] = xstrdup(t);
}

static void
tag_remove(struct annotation *a, const char *t)
{
	size_t	i;

	for (i = 0; i < a->ntags; i++) {
		if (strcmp(a->tags[i], t) == 0) {
			free(a->tags[i]);
			a->tags[i] = a->tags[--a->ntags];
			return;
		}
	}
}

static int
check_rating(int rating, char **cause)
{
	if (rating == -1 || rating == 0 || rating == 1 ||
	    rating == RATING_NONE)
		return (0);
	*cause = xasprintf("a rating is +1, -1 or 0, not %d", rating);
	return (-1);
}

static int
check_tags(const char *const *tags, size_t n, char **cause)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (annotation_tag_check(tags[i], cause) != 0)
			return (-1);
	return (0);
}

/* Write a's whole annotation: insert, update, or delete when empty. */
static int
whole_put(struct store *st, int64_t msg, struct annotation *a,
    char **cause)
{
	sqlite3_stmt	*stmt;
	char		*tags;
	bool		 empty;
	int		 rc;

	empty = a->rating == RATING_NONE && a->ntags == 0 && a->note == NULL;
	if (empty && a->id == 0)
		return (0);
	if (empty)
		stmt = store_prepare(st, "DELETE FROM annotations"
		    " WHERE id = ?1", cause);
	else if (a->id == 0)
		stmt = store_prepare(st, "INSERT INTO annotations (message_id,"
		    " rating, tags, note, created) VALUES (?2, ?3, ?4, ?5, ?6)",
		    cause);
	else
		stmt = store_prepare(st, "UPDATE annotations SET rating = ?3,"
		    " tags = ?4, note = ?5 WHERE id = ?1", cause);
	if (stmt == NULL)
		return (-1);
	tags = tags_to_json(a->tags, a->ntags);
	sqlite3_bind_int64(stmt, 1, a->id);
	sqlite3_bind_int64(stmt, 2, msg);
	if (a->rating == RATING_NONE)
		sqlite3_bind_null(stmt, 3);
	else
		sqlite3_bind_int(stmt, 3, a->rating);
	bind_text_or_null(stmt, 4, tags);
	bind_text_or_null(stmt, 5, a->note);
	sqlite3_bind_int64(stmt, 6, a->created > 0 ? a->created :
	    store_now());
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	free(tags);
	if (rc != SQLITE_DONE) {
		*cause = store_error(st, "cannot save the annotation");
		return (-1);
	}
	return (0);
}

int
store_annotate_in(struct store *st, int64_t msg,
    const struct annotation_edit *e, char **cause)
{
	struct annotation	 a;
	size_t			 i;
	int			 r = -1;

	if ((e->set_rating && check_rating(e->rating, cause) != 0) ||
	    check_tags(e->add_tags, e->nadd, cause) != 0)
		return (-1);
	if (check_answer(st, msg, NULL, cause) != 0 ||
	    whole_get(st, msg, &a, cause) != 0)
		return (-1);
	if (e->set_rating)
		a.rating = e->rating;
	for (i = 0; i < e->nadd; i++)
		tag_add(&a, e->add_tags[i]);
	for (i = 0; i < e->nremove; i++)
		tag_remove(&a, e->remove_tags[i]);
	if (e->set_note) {
		free(a.note);
		a.note = e->note != NULL && *e->note != '\0' ?
		    xstrdup(e->note) : NULL;
	}
	r = whole_put(st, msg, &a, cause);
	free(a.note);
	for (i = 0; i < a.ntags; i++)
		free(a.tags[i]);
	free(a.tags);
	return (r);
}

int
store_annotate(struct store *st, int64_t msg, const struct annotation_edit *e,
    char **cause)
{
	if (store_check_writable(st, cause) != 0)
		return (-1);
	if (store_exec(st, "BEGIN IMMEDIATE", cause) != 0)
		return (-1);
	if (store_annotate_in(st, msg, e, cause) != 0 ||
	    store_exec(st, "COMMIT", cause) != 0) {
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		return (-1);
	}
	return (0);
}

/* Whether [start, end) is a passage of answer msg's text whose ends do
 * not cut a UTF-8 character. */
static int
span_check(struct store *st, int64_t msg, int64_t start, int64_t end,
    char **cause)
{
	sqlite3_stmt		*stmt;
	const unsigned char	*t;
	int64_t			 len;
	int			 r = -1;

	if (check_answer(st, msg, &len, cause) != 0)
		return (-1);
	if (start < 0 || end <= start || end > len) {
		*cause = xasprintf("span %lld:%lld is not inside answer %lld "
		    "(%lld bytes)", (long long)start, (long long)end,
		    (long long)msg, (long long)len);
		return (-1);
	}
	if ((stmt = store_prepare(st, "SELECT CAST(content AS BLOB) FROM"
	    " messages WHERE id = ?", cause)) == NULL)
		return (-1);
	sqlite3_bind_int64(stmt, 1, msg);
	if (sqlite3_step(stmt) == SQLITE_ROW &&
	    (t = sqlite3_column_blob(stmt, 0)) != NULL) {
		if ((t[start] & 0xc0) == 0x80 ||
		    (end < len && (t[end] & 0xc0) == 0x80))
			*cause = xasprintf("span %lld:%lld cuts a character "
			    "in two", (long long)start, (long long)end);
		else
			r = 0;
	} else
		*cause = store_error(st, "cannot read the answer");
	sqlite3_finalize(stmt);
	return (r);
}

int64_t
store_annotate_span(struct store *st, int64_t msg, int64_t start,
    int64_t end, const char *const *tags, size_t ntags, const char *note,
    char **cause)
{
	sqlite3_stmt	*stmt;
	char		**copy, *json;
	size_t		 i;
	int64_t		 id = -1;

	if (store_check_writable(st, cause) != 0 ||
	    check_tags(tags, ntags, cause) != 0 ||
	    span_check(st, msg, start, end, cause) != 0)
		return (-1);
	if ((stmt = store_prepare(st, "INSERT INTO annotations (message_id,"
	    " tags, note, span_start, span_end, created)"
	    " VALUES (?, ?, ?, ?, ?, ?)", cause)) == NULL)
		return (-1);
	copy = xcalloc(ntags + 1, sizeof *copy);
	for (i = 0; i < ntags; i++)
		copy[i] = (char *)tags[i];
	json = tags_to_json(copy, ntags);
	free(copy);
	sqlite3_bind_int64(stmt, 1, msg);
	bind_text_or_null(stmt, 2, json);
	bind_text_or_null(stmt, 3, note != NULL && *note != '\0' ? note :
	    NULL);
	sqlite3_bind_int64(stmt, 4, start);
	sqlite3_bind_int64(stmt, 5, end);
	sqlite3_bind_int64(stmt, 6, store_now());
	if (sqlite3_step(stmt) == SQLITE_DONE)
		id = sqlite3_last_insert_rowid(st->db);
	else
		*cause = store_error(st, "cannot save the annotation");
	sqlite3_finalize(stmt);
	free(json);
	return (id);
}

int
store_annotation_remove(struct store *st, int64_t id, char **cause)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	if (store_check_writable(st, cause) != 0)
		return (-1);
	if ((stmt = store_prepare(st, "DELETE FROM annotations WHERE id = ?",
	    cause)) == NULL)
		return (-1);
	sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		*cause = store_error(st, "cannot remove the annotation");
		return (-1);
	}
	if (sqlite3_changes(st->db) == 0) {
		*cause = xasprintf("no annotation %lld", (long long)id);
		return (-1);
	}
	return (0);
}

int
store_tags_used(struct store *st, char ***tags, size_t *n, char **cause)
{
	sqlite3_stmt	*stmt;
	size_t		 cap = 0;
	int		 rc;

	*tags = NULL;
	*n = 0;
	if ((stmt = store_prepare(st, "SELECT j.value FROM annotations a,"
	    " json_each(a.tags) j WHERE j.type = 'text'"
	    " GROUP BY j.value ORDER BY count(*) DESC, j.value", cause)) ==
	    NULL)
		return (-1);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (*n + 1 >= cap) {
			cap = cap == 0 ? 16 : cap * 2;
			*tags = xrealloc(*tags, cap * sizeof **tags);
		}
		(*tags)[(*n)++] = column_text(stmt, 0);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		*cause = store_error(st, "cannot read the tags");
		while (*n > 0)
			free((*tags)[--*n]);
		free(*tags);
		*tags = NULL;
		return (-1);
	}
	return (0);
}

/* ---------------------------------------------------------------- */
/* Votes. */

void
votes_free(struct vote *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i].uid);
	free(v);
}

void
vote_outcome_format(const struct vote *v, char *buf, size_t len)
{
	if (v->outcome == VOTE_TIE)
		snprintf(buf, len, "tie");
	else if (v->outcome == VOTE_BOTH_BAD)
		snprintf(buf, len, "both-bad");
	else if (v->n == 2)
		snprintf(buf, len, "%s", v->winner == 0 ? "left" : "right");
	else
		snprintf(buf, len, "%d", v->winner + 1);
}

int
vote_outcome_parse(const char *s, size_t n, enum vote_outcome *o,
    int *winner)
{
	*winner = -1;
	if (strcmp(s, "tie") == 0)
		*o = VOTE_TIE;
	else if (strcmp(s, "both-bad") == 0)
		*o = VOTE_BOTH_BAD;
	else if (n == 2 && (strcmp(s, "left") == 0 ||
	    strcmp(s, "right") == 0)) {
		*o = VOTE_WIN;
		*winner = s[0] == 'l' ? 0 : 1;
	} else if (n > 2 && s[0] >= '1' && s[0] <= '0' + (int)n &&
	    s[1] == '\0') {
		*o = VOTE_WIN;
		*winner = s[0] - '1';
	} else
		return (-1);
	return (0);
}

static const char *const outcome_sql[] = {
	[VOTE_WIN] = "win", [VOTE_TIE] = "tie", [VOTE_BOTH_BAD] = "both-bad",
};

int64_t
vote_insert(struct store *st, const struct vote *v, char **cause)
{
	sqlite3_stmt	*stmt = NULL;
	char		*uid = NULL;
	size_t		 i, j;
	int64_t		 id = -1, vid;

	if (v->n < 2 || v->n > VOTE_MAX) {
		*cause = xasprintf("a vote is between 2 and %d answers",
		    VOTE_MAX);
		return (-1);
	}
	if (v->outcome == VOTE_WIN &&
	    (v->winner < 0 || (size_t)v->winner >= v->n)) {
		*cause = xstrdup("the winner of a vote is not one shown");
		return (-1);
	}
	for (i = 0; i < v->n; i++)
		for (j = 0; j < i; j++)
			if (v->shown[i] == v->shown[j]) {
				*cause = xasprintf("answer %lld is shown "
				    "twice", (long long)v->shown[i]);
				return (-1);
			}
	for (i = 0; i < v->n; i++)
		if (check_answer(st, v->shown[i], NULL, cause) != 0)
			return (-1);
	if ((stmt = store_prepare(st, "INSERT INTO votes (uid, outcome,"
	    " winner, created) VALUES (?, ?, ?, ?)", cause)) == NULL)
		goto out;
	uid = v->uid != NULL ? xstrdup(v->uid) : store_new_uid();
	sqlite3_bind_text(stmt, 1, uid, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, outcome_sql[v->outcome], -1,
	    SQLITE_STATIC);
	if (v->outcome == VOTE_WIN)
		sqlite3_bind_int(stmt, 3, v->winner);
	else
		sqlite3_bind_null(stmt, 3);
	sqlite3_bind_int64(stmt, 4, v->created > 0 ? v->created :
	    store_now());
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		*cause = store_error(st, "cannot save the vote");
		goto out;
	}
	vid = sqlite3_last_insert_rowid(st->db);
	sqlite3_finalize(stmt);
	if ((stmt = store_prepare(st, "INSERT INTO vote_answers (vote_id,"
	    " position, message_id, source_column) VALUES (?, ?, ?, ?)",
	    cause)) == NULL)
		goto out;
	for (i = 0; i < v->n; i++) {
		sqlite3_reset(stmt);
		sqlite3_bind_int64(stmt, 1, vid);
		sqlite3_bind_int64(stmt, 2, (int64_t)i);
		sqlite3_bind_int64(stmt, 3, v->shown[i]);
		sqlite3_bind_int(stmt, 4, v->column[i]);
		if (sqlite3_step(stmt) != SQLITE_DONE) {
			*cause = store_error(st, "cannot save the vote");
			goto out;
		}
	}
	id = vid;
out:
	sqlite3_finalize(stmt);
	free(uid);
	return (id);
}

int64_t
store_vote_add(struct store *st, const struct vote *v, char **cause)
{
	int64_t	id;

	if (store_check_writable(st, cause) != 0)
		return (-1);
	if (store_exec(st, "BEGIN IMMEDIATE", cause) != 0)
		return (-1);
	if ((id = vote_insert(st, v, cause)) < 0 ||
	    store_exec(st, "COMMIT", cause) != 0) {
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		return (-1);
	}
	return (id);
}

int
store_votes_of(struct store *st, int64_t msg, struct vote **out, size_t *n,
    char **cause)
{
	sqlite3_stmt	*stmt;
	struct vote	*v = NULL;
	const char	*o;
	size_t		 cap = 0;
	int64_t		 last = 0;
	int		 rc;

	*out = NULL;
	*n = 0;
	if ((stmt = store_keep(st, "SELECT v.id, v.uid, v.outcome,"
	    " v.winner, v.created, va.message_id, va.source_column"
	    " FROM votes v JOIN vote_answers va ON va.vote_id = v.id"
	    " WHERE v.id IN (SELECT vote_id FROM vote_answers"
	    "   WHERE message_id = ?)"
	    " ORDER BY v.created, v.id, va.position", cause)) == NULL)
		return (-1);
	sqlite3_bind_int64(stmt, 1, msg);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (*n == 0 || sqlite3_column_int64(stmt, 0) != last) {
			if (*n == cap) {
				cap = cap == 0 ? 4 : cap * 2;
				*out = xrealloc(*out, cap * sizeof **out);
			}
			v = &(*out)[(*n)++];
			memset(v, 0, sizeof *v);
			v->id = last = sqlite3_column_int64(stmt, 0);
			v->uid = column_text(stmt, 1);
			o = (const char *)sqlite3_column_text(stmt, 2);
			v->outcome = o == NULL ? VOTE_TIE :
			    strcmp(o, "win") == 0 ? VOTE_WIN :
			    strcmp(o, "both-bad") == 0 ? VOTE_BOTH_BAD :
			    VOTE_TIE;
			v->winner = v->outcome == VOTE_WIN ?
			    sqlite3_column_int(stmt, 3) : -1;
			v->created = sqlite3_column_int64(stmt, 4);
		}
		if (v->n < VOTE_MAX) {
			v->shown[v->n] = sqlite3_column_int64(stmt, 5);
			v->column[v->n++] = sqlite3_column_int(stmt, 6);
		}
	}
	if (rc != SQLITE_DONE)
		*cause = store_error(st, "cannot read the votes");
	store_done(st, stmt);
	if (rc != SQLITE_DONE) {
		votes_free(*out, *n);
		*out = NULL;
		*n = 0;
		return (-1);
	}
	return (0);
}

/* ---------------------------------------------------------------- */
/* Filters and the leaderboard. */

void
annotation_filter_init(struct annotation_filter *f)
{
	memset(f, 0, sizeof *f);
	f->rating = RATING_NONE;
}

bool
annotation_filter_active(const struct annotation_filter *f)
{
	return (f != NULL && (f->rated || f->rating != RATING_NONE ||
	    f->tag != NULL));
}

void
annotation_filter_bind(sqlite3_stmt *stmt, const struct annotation_filter *f)
{
	bool	rated = f != NULL && (f->rated || f->rating != RATING_NONE);

	sqlite3_bind_int(stmt, 10, rated ? 1 : 0);
	if (f != NULL && f->rating != RATING_NONE)
		sqlite3_bind_int(stmt, 11, f->rating);
	else
		sqlite3_bind_null(stmt, 11);
	bind_text_or_null(stmt, 12, f != NULL ? f->tag : NULL);
}

void
leader_rows_free(struct leader_row *r, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(r[i].model);
	free(r);
}

double
leader_win_rate(const struct leader_row *r)
{
	if (r->votes == 0)
		return (-1);
	return (((double)r->wins + (double)r->ties / 2) / (double)r->votes);
}

static int
cmp_leader(const void *a, const void *b)
{
	const struct leader_row	*x = a, *y = b;
	double			 wx = leader_win_rate(x);
	double			 wy = leader_win_rate(y);
	double			 mx, my;

	if (wx != wy)
		return (wx > wy ? -1 : 1);
	mx = x->rated > 0 ? (double)x->rating_sum / (double)x->rated : -2;
	my = y->rated > 0 ? (double)y->rating_sum / (double)y->rated : -2;
	if (mx != my)
		return (mx > my ? -1 : 1);
	return (strcmp(x->model, y->model));
}

int
store_leaderboard(struct store *st, const char *lang,
    struct leader_row **out, size_t *n, char **cause)
{
	sqlite3_stmt		*stmt;
	struct leader_row	*r;
	size_t			 cap = 0;
	int			 rc;

	*out = NULL;
	*n = 0;
	/*
	 * One row per answer that was voted on or rated, with its model;
	 * then per model: the votes it was in, the ones it won (its
	 * position was the winner), lost (another was), tied and shared
	 * as both bad; and its ratings.
	 */
	if ((stmt = store_prepare(st, "WITH va AS (SELECT"
	    "   coalesce(m.provider || ':', '') || coalesce(m.model, '?') AS k,"
	    "   v.outcome, v.winner, x.position"
	    "   FROM vote_answers x JOIN votes v ON v.id = x.vote_id"
	    "   JOIN messages m ON m.id = x.message_id"
	    "   WHERE ?1 IS NULL OR m.lang = ?1),"
	    " ra AS (SELECT"
	    "   coalesce(m.provider || ':', '') || coalesce(m.model, '?') AS k,"
	    "   a.rating FROM annotations a JOIN messages m"
	    "   ON m.id = a.message_id WHERE a.span_start IS NULL"
	    "   AND a.rating IS NOT NULL AND (?1 IS NULL OR m.lang = ?1)),"
	    " keys AS (SELECT k FROM va UNION SELECT k FROM ra)"
	    " SELECT keys.k,"
	    "  (SELECT count(*) FROM va WHERE va.k = keys.k),"
	    "  (SELECT count(*) FROM va WHERE va.k = keys.k"
	    "    AND outcome = 'win' AND winner = position),"
	    "  (SELECT count(*) FROM va WHERE va.k = keys.k"
	    "    AND outcome = 'win' AND winner != position),"
	    "  (SELECT count(*) FROM va WHERE va.k = keys.k"
	    "    AND outcome = 'tie'),"
	    "  (SELECT count(*) FROM va WHERE va.k = keys.k"
	    "    AND outcome = 'both-bad'),"
	    "  (SELECT count(*) FROM ra WHERE ra.k = keys.k),"
	    "  (SELECT coalesce(sum(rating), 0) FROM ra WHERE ra.k = keys.k)"
	    " FROM keys", cause)) == NULL)
		return (-1);
	bind_text_or_null(stmt, 1, lang);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap == 0 ? 8 : cap * 2;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		r = &(*out)[(*n)++];
		r->model = column_text(stmt, 0);
		if (r->model == NULL)
			r->model = xstrdup("?");
		r->votes = sqlite3_column_int64(stmt, 1);
		r->wins = sqlite3_column_int64(stmt, 2);
		r->losses = sqlite3_column_int64(stmt, 3);
		r->ties = sqlite3_column_int64(stmt, 4);
		r->both_bad = sqlite3_column_int64(stmt, 5);
		r->rated = sqlite3_column_int64(stmt, 6);
		r->rating_sum = sqlite3_column_int64(stmt, 7);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		*cause = store_error(st, "cannot read the votes");
		leader_rows_free(*out, *n);
		*out = NULL;
		*n = 0;
		return (-1);
	}
	if (*n > 1)
		qsort(*out, *n, sizeof **out, cmp_leader);
	return (0);
}
