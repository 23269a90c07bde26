/*
 * tests/unit/test_annotation.c - annotations and votes in the history
 * store (history/annotation.c, history/annotated.c) on real SQLite files:
 * ratings, tags and notes on whole answers, passages, votes, the log and
 * search filters, the leaderboard, the migration of a version 1 store,
 * and the export of the evaluation set through import into a fresh store
 * and back.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "history/history.h"

/* The store fixture, with the ids setup_turn() adds. */
#define STORE_FIX_EXTRA	int64_t conv, prompt, a1, a2;
#include "store_fix.h"

static int64_t
add(struct store *st, int64_t conv, int64_t parent, enum role role,
    const char *text, const char *model, const char *lang)
{
	struct stored_message	 m;
	char			*cause = NULL;
	int64_t			 id;

	stored_message_init(&m);
	m.conversation_id = conv;
	m.parent_id = parent;
	m.role = role;
	m.content = (char *)text;
	m.status = MSG_COMPLETE;
	m.model = (char *)model;
	m.provider = model != NULL ? (char *)"openai" : NULL;
	m.lang = (char *)lang;
	if ((id = store_message_add(st, &m, &cause)) < 0)
		fail_msg("store_message_add: %s", cause);
	return (id);
}

/* A store with one prompt and two answers (a1: "Straße …", a2). */
static int
setup_turn(void **state)
{
	struct fix	*fx;
	char		*cause = NULL;

	setup(state);
	fx = *state;
	fx->conv = store_conversation_create(fx->st, NULL, "Be brief.",
	    &cause);
	assert_true(fx->conv > 0);
	fx->prompt = add(fx->st, fx->conv, 0, ROLE_USER,
	    "Wie lang ist die Straße?", NULL, NULL);
	fx->a1 = add(fx->st, fx->conv, fx->prompt, ROLE_ASSISTANT,
	    "Die Straße ist \"lang\",\nsehr lang.", "gpt-a", "de");
	fx->a2 = add(fx->st, fx->conv, fx->prompt, ROLE_ASSISTANT,
	    "Sie ist 40 km lang.", "gpt-b", "de");
	return (0);
}

static void
annotate(struct store *st, int64_t msg, const struct annotation_edit *e)
{
	char	*cause = NULL;

	if (store_annotate(st, msg, e, &cause) != 0)
		fail_msg("store_annotate: %s", cause);
}

static void
rate(struct store *st, int64_t msg, int rating)
{
	struct annotation_edit	e;

	memset(&e, 0, sizeof e);
	e.set_rating = true;
	e.rating = rating;
	annotate(st, msg, &e);
}

static void
tag(struct store *st, int64_t msg, const char *t)
{
	struct annotation_edit	e;

	memset(&e, 0, sizeof e);
	e.add_tags = &t;
	e.nadd = 1;
	annotate(st, msg, &e);
}

static void
whole_answer_rating_tags_and_note_edit_one_row(void **state)
{
	struct fix		*fx = *state;
	struct annotation	*a;
	struct annotation_edit	 e;
	const char		*add2[] = { "grammar", "register" };
	const char		*rm[] = { "grammar", "register" };
	char			*cause = NULL;
	size_t			 n;

	rate(fx->st, fx->a1, 1);
	memset(&e, 0, sizeof e);
	e.add_tags = add2;
	e.nadd = 2;
	e.set_note = true;
	e.note = "Gut, aber \"lang\" ist vage.\nZweite Zeile.";
	annotate(fx->st, fx->a1, &e);
	tag(fx->st, fx->a1, "grammar");		/* already there */
	assert_int_equal(store_annotations(fx->st, fx->a1, &a, &n, &cause),
	    0);
	assert_int_equal(n, 1);
	assert_int_equal(a[0].rating, 1);
	assert_int_equal(a[0].ntags, 2);
	assert_string_equal(a[0].tags[0], "grammar");
	assert_string_equal(a[0].tags[1], "register");
	assert_string_equal(a[0].note,
	    "Gut, aber \"lang\" ist vage.\nZweite Zeile.");
	assert_int_equal(a[0].span_start, -1);
	annotations_free(a, n);

	/* A second rating replaces the first; 0 is a rating. */
	rate(fx->st, fx->a1, 0);
	memset(&e, 0, sizeof e);
	e.remove_tags = rm;
	e.nremove = 1;
	annotate(fx->st, fx->a1, &e);
	assert_int_equal(store_annotations(fx->st, fx->a1, &a, &n, &cause),
	    0);
	assert_int_equal(n, 1);
	assert_int_equal(a[0].rating, 0);
	assert_int_equal(a[0].ntags, 1);
	assert_string_equal(a[0].tags[0], "register");
	annotations_free(a, n);

	/* Clearing everything leaves no row. */
	memset(&e, 0, sizeof e);
	e.set_rating = true;
	e.rating = RATING_NONE;
	e.remove_tags = rm;
	e.nremove = 2;
	e.set_note = true;
	e.note = "";
	annotate(fx->st, fx->a1, &e);
	assert_int_equal(store_annotations(fx->st, fx->a1, &a, &n, &cause),
	    0);
	assert_int_equal(n, 0);
	annotations_free(a, n);
}

static void
refuses_prompts_bad_ratings_tags_and_missing_messages(void **state)
{
	struct fix		*fx = *state;
	struct annotation_edit	 e;
	struct annotation	*a;
	const char		*bad[] = { "two words" };
	const char		*comma[] = { "a,b" };
	char			*cause = NULL;
	size_t			 n;

	memset(&e, 0, sizeof e);
	e.set_rating = true;
	e.rating = 1;
	assert_int_equal(store_annotate(fx->st, fx->prompt, &e, &cause), -1);
	assert_non_null(strstr(cause, "is not an answer"));
	free(cause);
	cause = NULL;
	assert_int_equal(store_annotate(fx->st, 9999, &e, &cause), -1);
	assert_string_equal(cause, "no message 9999");
	free(cause);
	cause = NULL;
	e.rating = 2;
	assert_int_equal(store_annotate(fx->st, fx->a1, &e, &cause), -1);
	assert_string_equal(cause, "a rating is +1, -1 or 0, not 2");
	free(cause);
	cause = NULL;
	memset(&e, 0, sizeof e);
	e.add_tags = bad;
	e.nadd = 1;
	assert_int_equal(store_annotate(fx->st, fx->a1, &e, &cause), -1);
	assert_non_null(strstr(cause, "'two words'"));
	free(cause);
	cause = NULL;
	e.add_tags = comma;
	assert_int_equal(store_annotate(fx->st, fx->a1, &e, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(annotation_tag_check("\xc3\x28", &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(annotation_tag_check("términologie", &cause), 0);
	/* Nothing was written by the refused calls. */
	assert_int_equal(store_annotations(fx->st, fx->a1, &a, &n, &cause),
	    0);
	assert_int_equal(n, 0);
	annotations_free(a, n);
}

static void
span_is_inside_the_text_and_keeps_characters_whole(void **state)
{
	struct fix		*fx = *state;
	struct annotation	*a;
	const char		*tags[] = { "terminology", "grammar" };
	char			*cause = NULL;
	size_t			 n;
	int64_t			 id;

	/* "Die Straße": ß is bytes 8 and 9. */
	id = store_annotate_span(fx->st, fx->a1, 4, 11, tags, 2,
	    "Straße oder Strasse?", &cause);
	assert_true(id > 0);
	assert_int_equal(store_annotate_span(fx->st, fx->a1, 4, 9, tags, 0,
	    NULL, &cause), -1);
	assert_string_equal(cause, "span 4:9 cuts a character in two");
	free(cause);
	cause = NULL;
	assert_int_equal(store_annotate_span(fx->st, fx->a1, 10, 10, NULL,
	    0, NULL, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(store_annotate_span(fx->st, fx->a1, 0, 500, NULL,
	    0, NULL, &cause), -1);
	assert_non_null(strstr(cause, "is not inside answer"));
	free(cause);
	cause = NULL;
	rate(fx->st, fx->a1, -1);
	assert_true(store_annotate_span(fx->st, fx->a1, 0, 3, NULL, 0,
	    "Artikel", &cause) > 0);
	assert_int_equal(store_annotations(fx->st, fx->a1, &a, &n, &cause),
	    0);
	/* The whole one first, then passages by start. */
	assert_int_equal(n, 3);
	assert_int_equal(a[0].span_start, -1);
	assert_int_equal(a[0].rating, -1);
	assert_int_equal(a[1].span_start, 0);
	assert_int_equal(a[2].span_start, 4);
	assert_int_equal(a[2].span_end, 11);
	assert_int_equal(a[2].rating, RATING_NONE);
	assert_string_equal(a[2].tags[0], "grammar");
	assert_string_equal(a[2].note, "Straße oder Strasse?");
	annotations_free(a, n);
	assert_int_equal(store_annotation_remove(fx->st, id, &cause), 0);
	assert_int_equal(store_annotation_remove(fx->st, id, &cause), -1);
	assert_string_equal(cause, "no annotation 1");
	free(cause);
}

static void
tags_used_come_most_used_first(void **state)
{
	struct fix	*fx = *state;
	const char	*t[] = { "factual" };
	char		**tags, *cause = NULL;
	size_t		 n, i;

	tag(fx->st, fx->a1, "register");
	tag(fx->st, fx->a2, "register");
	tag(fx->st, fx->a2, "zzz");
	assert_true(store_annotate_span(fx->st, fx->a2, 0, 3, t, 1, NULL,
	    &cause) > 0);
	assert_int_equal(store_tags_used(fx->st, &tags, &n, &cause), 0);
	assert_int_equal(n, 3);
	assert_string_equal(tags[0], "register");
	assert_string_equal(tags[1], "factual");
	assert_string_equal(tags[2], "zzz");
	for (i = 0; i < n; i++)
		free(tags[i]);
	free(tags);
}

static void
vote_keeps_shown_order_columns_and_outcome(void **state)
{
	struct fix	*fx = *state;
	struct vote	 v, *out;
	char		*cause = NULL, name[16];
	size_t		 n;
	int64_t		 id;

	memset(&v, 0, sizeof v);
	v.n = 2;
	v.shown[0] = fx->a2;	/* shuffled: column 1 shown left */
	v.column[0] = 1;
	v.shown[1] = fx->a1;
	v.column[1] = 0;
	v.outcome = VOTE_WIN;
	v.winner = 1;
	id = store_vote_add(fx->st, &v, &cause);
	assert_true(id > 0);
	assert_int_equal(store_votes_of(fx->st, fx->a1, &out, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_int_equal(out[0].n, 2);
	assert_int_equal(out[0].shown[0], fx->a2);
	assert_int_equal(out[0].column[0], 1);
	assert_int_equal(out[0].shown[1], fx->a1);
	assert_int_equal(out[0].outcome, VOTE_WIN);
	assert_int_equal(out[0].winner, 1);
	assert_int_equal(strlen(out[0].uid), 32);
	vote_outcome_format(&out[0], name, sizeof name);
	assert_string_equal(name, "right");
	votes_free(out, n);

	/* A prompt, an answer twice, or a winner not shown: refused. */
	v.shown[0] = fx->prompt;
	assert_int_equal(store_vote_add(fx->st, &v, &cause), -1);
	free(cause);
	cause = NULL;
	v.shown[0] = fx->a1;
	assert_int_equal(store_vote_add(fx->st, &v, &cause), -1);
	assert_non_null(strstr(cause, "shown twice"));
	free(cause);
	cause = NULL;
	v.shown[0] = fx->a2;
	v.winner = 2;
	assert_int_equal(store_vote_add(fx->st, &v, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(store_votes_of(fx->st, fx->a2, &out, &n, &cause), 0);
	assert_int_equal(n, 1);
	votes_free(out, n);
}

static void
outcome_names_round_trip(void **state)
{
	struct vote		v;
	enum vote_outcome	o;
	char			buf[16];
	int			w;

	(void)state;
	memset(&v, 0, sizeof v);
	v.n = 3;
	v.outcome = VOTE_WIN;
	v.winner = 2;
	vote_outcome_format(&v, buf, sizeof buf);
	assert_string_equal(buf, "3");
	assert_int_equal(vote_outcome_parse("3", 3, &o, &w), 0);
	assert_int_equal(w, 2);
	assert_int_equal(vote_outcome_parse("4", 3, &o, &w), -1);
	assert_int_equal(vote_outcome_parse("left", 3, &o, &w), -1);
	assert_int_equal(vote_outcome_parse("left", 2, &o, &w), 0);
	assert_int_equal(w, 0);
	assert_int_equal(vote_outcome_parse("both-bad", 2, &o, &w), 0);
	assert_int_equal(o, VOTE_BOTH_BAD);
	v.outcome = VOTE_TIE;
	vote_outcome_format(&v, buf, sizeof buf);
	assert_string_equal(buf, "tie");
}

static size_t
list_count(struct store *st, const struct annotation_filter *f)
{
	struct conversation_info	*c;
	char				*cause = NULL;
	size_t				 n;

	if (store_conversation_list_filter(st, 0, NULL, f, &c, &n,
	    &cause) != 0)
		fail_msg("list: %s", cause);
	conversation_infos_free(c, n);
	return (n);
}

static size_t
search_count(struct store *st, const char *q,
    const struct annotation_filter *f)
{
	struct search_hit	*h;
	char			*cause = NULL;
	size_t			 n;

	if (store_search_filter(st, q, NULL, NULL, f, 50, "[", "]", &h, &n,
	    &cause) != 0)
		fail_msg("search: %s", cause);
	search_hits_free(h, n);
	return (n);
}

static void
log_and_search_filter_by_rating_and_tag(void **state)
{
	struct fix			*fx = *state;
	struct annotation_filter	 f;
	const char			*t[] = { "untranslated" };
	char				*cause = NULL;
	int64_t				 c2, p2;

	c2 = store_conversation_create(fx->st, NULL, NULL, &cause);
	p2 = add(fx->st, c2, 0, ROLE_USER, "lang?", NULL, NULL);
	add(fx->st, c2, p2, ROLE_ASSISTANT, "lang lang", "gpt-a", "de");
	annotation_filter_init(&f);
	assert_false(annotation_filter_active(&f));
	assert_int_equal(list_count(fx->st, &f), 2);
	f.rated = true;
	assert_true(annotation_filter_active(&f));
	assert_int_equal(list_count(fx->st, &f), 0);
	rate(fx->st, fx->a2, -1);
	assert_int_equal(list_count(fx->st, &f), 1);
	assert_int_equal(search_count(fx->st, "lang", &f), 1);
	f.rated = false;
	f.rating = 1;
	assert_int_equal(list_count(fx->st, &f), 0);
	f.rating = -1;
	assert_int_equal(search_count(fx->st, "lang", &f), 1);
	annotation_filter_init(&f);
	f.tag = "untranslated";
	assert_int_equal(search_count(fx->st, "lang", &f), 0);
	/* A passage's tag counts too. */
	assert_true(store_annotate_span(fx->st, fx->a1, 0, 3, t, 1, NULL,
	    &cause) > 0);
	assert_int_equal(search_count(fx->st, "lang", &f), 1);
	assert_int_equal(list_count(fx->st, &f), 1);
	f.rating = -1;		/* both on the same answer: none */
	assert_int_equal(search_count(fx->st, "lang", &f), 0);
	assert_int_equal(search_count(fx->st, "lang", NULL), 5);
}

static const struct leader_row *
row_of(const struct leader_row *r, size_t n, const char *model)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(r[i].model, model) == 0)
			return (&r[i]);
	fail_msg("no row %s", model);
	return (NULL);
}

static void
vote2(struct store *st, int64_t left, int64_t right, enum vote_outcome o,
    int winner)
{
	struct vote	 v;
	char		*cause = NULL;

	memset(&v, 0, sizeof v);
	v.n = 2;
	v.shown[0] = left;
	v.shown[1] = right;
	v.column[1] = 1;
	v.outcome = o;
	v.winner = winner;
	if (store_vote_add(st, &v, &cause) < 0)
		fail_msg("vote: %s", cause);
}

static void
leaderboard_counts_wins_ties_and_mean_ratings(void **state)
{
	struct fix		*fx = *state;
	struct leader_row	*r;
	const struct leader_row	*a, *b;
	char			*cause = NULL;
	size_t			 n;
	int64_t			 a3;

	a3 = add(fx->st, fx->conv, fx->prompt, ROLE_ASSISTANT, "Lang.",
	    "gpt-a", "en");
	vote2(fx->st, fx->a1, fx->a2, VOTE_WIN, 0);	/* a wins */
	vote2(fx->st, fx->a2, fx->a1, VOTE_WIN, 0);	/* b wins */
	vote2(fx->st, fx->a1, fx->a2, VOTE_TIE, -1);
	vote2(fx->st, a3, fx->a2, VOTE_BOTH_BAD, -1);
	rate(fx->st, fx->a1, 1);
	rate(fx->st, a3, 0);
	rate(fx->st, fx->a2, -1);
	assert_int_equal(store_leaderboard(fx->st, NULL, &r, &n, &cause), 0);
	assert_int_equal(n, 2);
	a = row_of(r, n, "openai:gpt-a");
	b = row_of(r, n, "openai:gpt-b");
	assert_int_equal(a->votes, 4);
	assert_int_equal(a->wins, 1);
	assert_int_equal(a->losses, 1);
	assert_int_equal(a->ties, 1);
	assert_int_equal(a->both_bad, 1);
	assert_int_equal(a->rated, 2);
	assert_int_equal(a->rating_sum, 1);
	assert_true(leader_win_rate(a) > 0.374 && leader_win_rate(a) < 0.376);
	assert_int_equal(b->votes, 4);
	assert_int_equal(b->rated, 1);
	assert_int_equal(b->rating_sum, -1);
	/* Same win rate: the better mean rating comes first. */
	assert_string_equal(r[0].model, "openai:gpt-a");
	leader_rows_free(r, n);

	assert_int_equal(store_leaderboard(fx->st, "en", &r, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_int_equal(r[0].votes, 1);
	assert_int_equal(r[0].both_bad, 1);
	assert_int_equal(r[0].rated, 1);
	leader_rows_free(r, n);
}

static char *
export_text(struct store *st)
{
	char	*text = NULL, *cause = NULL;
	size_t	 len = 0;
	FILE	*f = open_memstream(&text, &len);

	if (store_export_annotated(st, NULL, f, &cause) != 0)
		fail_msg("export: %s", cause);
	fclose(f);
	return (text);
}

/* Import an evaluation set: its lines count as annotated answers, not as
 * conversations. */
static void
import_text(struct store *st, const char *text, size_t want_added)
{
	struct import_counts	 n;
	char			*cause = NULL;
	size_t			 lines = 0;
	const char		*p;
	FILE			*f = fmemopen((void *)text, strlen(text), "r");

	for (p = text; (p = strchr(p, '\n')) != NULL; p++)
		lines++;
	if (store_import_jsonl_counts(st, "set.jsonl", f, &n, &cause) != 0)
		fail_msg("import: %s", cause);
	fclose(f);
	assert_int_equal(n.annotated, want_added);
	assert_int_equal(n.annotated + n.annotated_there, lines);
	assert_int_equal(n.conversations + n.conversations_there, 0);
}

static void
evaluation_set_survives_export_import_export(void **state)
{
	struct fix		*fx = *state;
	struct store		*fresh;
	struct annotation_edit	 e;
	const char		*t[] = { "wrong-language", "factual" };
	char			*cause = NULL, *one, *two, *three, *path;
	int64_t			 u2, a4;

	add(fx->st, fx->conv, fx->a2, ROLE_USER, "Und breit?", NULL, NULL);
	u2 = add(fx->st, fx->conv, fx->a1, ROLE_USER, "Warum \"lang\"?",
	    NULL, NULL);
	a4 = add(fx->st, fx->conv, u2, ROLE_ASSISTANT, "Weil, 你好",
	    "gpt-b", "zh");
	memset(&e, 0, sizeof e);
	e.set_rating = true;
	e.rating = 1;
	e.add_tags = t;
	e.nadd = 2;
	e.set_note = true;
	e.note = "line one,\n\"quoted\" line two";
	annotate(fx->st, a4, &e);
	assert_true(store_annotate_span(fx->st, a4, 6, 12, t, 1, "ni hao",
	    &cause) > 0);
	vote2(fx->st, fx->a2, fx->a1, VOTE_WIN, 1);

	one = export_text(fx->st);
	/* Three answers: a1 and a2 voted on, a4 annotated. */
	assert_non_null(strstr(one, "\"text\":\"你好\""));
	assert_non_null(strstr(one, "\"outcome\":\"right\""));
	assert_non_null(strstr(one, "{\"role\":\"system\",\"content\":"
	    "\"Be brief.\"}"));
	path = xasprintf("%s/fresh.db", fx->dir);
	assert_non_null(fresh = store_open(path, 0, &cause));
	import_text(fresh, one, 3);
	two = export_text(fresh);
	assert_string_equal(one, two);
	/* A second import adds nothing, not even a vote. */
	import_text(fresh, one, 0);
	three = export_text(fresh);
	assert_string_equal(one, three);
	store_close(fresh);
	free(path);
	free(one);
	free(two);
	free(three);
}

static void
import_of_vote_without_its_answers_fails_clearly(void **state)
{
	struct fix	*fx = *state;
	struct store	*fresh;
	char		*cause = NULL, *one, *nl, *path;
	size_t		 added, skipped;
	FILE		*f;

	vote2(fx->st, fx->a1, fx->a2, VOTE_TIE, -1);
	one = export_text(fx->st);
	nl = strchr(one, '\n');		/* keep only the first answer */
	assert_non_null(nl);
	nl[1] = '\0';
	path = xasprintf("%s/fresh.db", fx->dir);
	assert_non_null(fresh = store_open(path, 0, &cause));
	f = fmemopen(one, strlen(one), "r");
	assert_int_equal(store_import_jsonl(fresh, "set.jsonl", f, &added,
	    &skipped, &cause), -1);
	fclose(f);
	store_close(fresh);
	free(path);
	assert_non_null(strstr(cause, "which is not in the file"));
	free(cause);
	free(one);
}

static void
removing_a_conversation_removes_its_votes(void **state)
{
	struct fix	*fx = *state;
	struct vote	*v;
	char		*cause = NULL;
	size_t		 n;
	sqlite3		*db;
	sqlite3_stmt	*s;

	vote2(fx->st, fx->a1, fx->a2, VOTE_TIE, -1);
	assert_int_equal(store_conversation_remove(fx->st, fx->conv, &cause),
	    0);
	assert_int_equal(store_votes_of(fx->st, fx->a1, &v, &n, &cause), 0);
	assert_int_equal(n, 0);
	free(v);
	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM votes",
	    -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(s, 0), 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
}

static void
version_2_store_gains_votes_on_open(void **state)
{
	struct fix	*fx = *state;
	sqlite3		*db;
	char		*cause = NULL;

	store_close(fx->st);
	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	/* A version 2 store has none of the tables of later versions. */
	assert_int_equal(sqlite3_exec(db, "DROP TABLE vote_answers;"
	    "DROP TABLE votes; DROP TABLE spend; PRAGMA user_version = 2",
	    NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_non_null(fx->st = store_open(fx->path, 0, &cause));
	vote2(fx->st, fx->a1, fx->a2, VOTE_BOTH_BAD, -1);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup_turn, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(whole_answer_rating_tags_and_note_edit_one_row),
		T(refuses_prompts_bad_ratings_tags_and_missing_messages),
		T(span_is_inside_the_text_and_keeps_characters_whole),
		T(tags_used_come_most_used_first),
		T(vote_keeps_shown_order_columns_and_outcome),
		cmocka_unit_test(outcome_names_round_trip),
		T(log_and_search_filter_by_rating_and_tag),
		T(leaderboard_counts_wins_ties_and_mean_ratings),
		T(evaluation_set_survives_export_import_export),
		T(import_of_vote_without_its_answers_fails_clearly),
		T(removing_a_conversation_removes_its_votes),
		T(version_2_store_gains_votes_on_open),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
