/*
 * tui/cmd_annotate.c - the annotation subcommands: annotate (rate, tag,
 * note an answer or a passage of it, and list what it has), leaderboard
 * (win rates from blind votes and mean ratings per model), and the
 * evaluation set of tolk export --annotated as JSON lines or CSV.
 *
 * The plumbing (sanitising, fitting to the terminal, errors, opening the
 * store) is cmd_history.c's, shared through tui/commands.h.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cJSON.h>

#include "history/history.h"
#include "lang/lang.h"
#include "tui/commands.h"

#define ANNOTATE_USAGE "usage: tolk annotate MSG-ID [--rate +1|-1|0|none]" \
	" [--tag T]... [--untag T]... [--note TEXT] [--span START:END]" \
	" [--remove ANNOTATION-ID] [--json]"
#define LEADERBOARD_USAGE "usage: tolk leaderboard [--lang L] [--json]"

int
cmd_parse_rating(const char *s, int *rating)
{
	if (strcmp(s, "+1") == 0 || strcmp(s, "1") == 0)
		*rating = 1;
	else if (strcmp(s, "-1") == 0)
		*rating = -1;
	else if (strcmp(s, "0") == 0)
		*rating = 0;
	else
		return (-1);
	return (0);
}

/* "+1", "-1", "0". */
static const char *
rating_text(int r)
{
	return (r > 0 ? "+1" : r < 0 ? "-1" : "0");
}

static int
parse_offset(const char *s, char **end, int64_t *v)
{
	long long	n;

	errno = 0;
	n = strtoll(s, end, 10);
	if (errno != 0 || *end == s || n < 0 || *s == '-' || *s == '+')
		return (-1);
	*v = n;
	return (0);
}

/* "START:END" byte offsets. */
static int
parse_span(const char *s, int64_t *start, int64_t *end)
{
	char	*p;

	if (parse_offset(s, &p, start) != 0 || *p != ':' ||
	    parse_offset(p + 1, &p, end) != 0 || *p != '\0')
		return (-1);
	return (0);
}

/* ---------------------------------------------------------------- */
/* tolk annotate */

static cJSON *
tags_json(const struct annotation *a)
{
	cJSON	*t = cJSON_CreateArray();
	size_t	 i;

	for (i = 0; a != NULL && i < a->ntags; i++)
		cJSON_AddItemToArray(t, cJSON_CreateString(a->tags[i]));
	return (t);
}

static void
add_tags(struct buf *b, const struct annotation *a)
{
	size_t	i;

	for (i = 0; i < a->ntags; i++) {
		buf_addstr(b, i == 0 ? "" : ", ");
		buf_addstr(b, a->tags[i]);
	}
}

/* The passage [start, end) of text, or NULL when outside it. */
static char *
span_text(const char *text, const struct annotation *a)
{
	if (text == NULL || a->span_start < 0 ||
	    (size_t)a->span_end > strlen(text))
		return (NULL);
	return (xstrndup(text + a->span_start,
	    (size_t)(a->span_end - a->span_start)));
}

/* Won, lost, tied or both bad: what vote v was for answer msg. */
static const char *
vote_result(const struct vote *v, int64_t msg)
{
	size_t	i;

	if (v->outcome == VOTE_TIE)
		return ("tie");
	if (v->outcome == VOTE_BOTH_BAD)
		return ("both-bad");
	for (i = 0; i < v->n; i++)
		if (v->shown[i] == msg)
			return ((int)i == v->winner ? "won" : "lost");
	return ("lost");
}

/* What an answer has: its annotations and the votes it took part in. */
struct annots {
	struct annotation	*a;
	size_t			 n;
	struct vote		*v;
	size_t			 nv;
};

static int
annots_load(struct store *st, int64_t msg, struct annots *an, char **cause)
{
	memset(an, 0, sizeof *an);
	if (store_annotations(st, msg, &an->a, &an->n, cause) != 0)
		return (-1);
	if (store_votes_of(st, msg, &an->v, &an->nv, cause) != 0) {
		annotations_free(an->a, an->n);
		return (-1);
	}
	return (0);
}

static void
annots_free(struct annots *an)
{
	annotations_free(an->a, an->n);
	votes_free(an->v, an->nv);
}

/* The fields rating, tags, note, spans and votes of answer m, into o. */
static void
annots_json(cJSON *o, const struct stored_message *m, const struct annots *an)
{
	const struct annotation	*whole = NULL, *a = an->a;
	const struct vote	*v = an->v;
	cJSON			*arr, *s, *sh;
	char			*piece, name[32];
	size_t			 i, k;

	for (i = 0; i < an->n; i++)
		if (a[i].span_start < 0 && whole == NULL)
			whole = &a[i];
	if (whole != NULL && whole->rating != RATING_NONE)
		cJSON_AddNumberToObject(o, "rating", whole->rating);
	else
		cJSON_AddNullToObject(o, "rating");
	cJSON_AddItemToObject(o, "tags", tags_json(whole));
	json_add_string_or_null(o, "note", whole != NULL ? whole->note :
	    NULL);
	arr = cJSON_AddArrayToObject(o, "spans");
	for (i = 0; i < an->n; i++) {
		if (a[i].span_start < 0)
			continue;
		s = cJSON_CreateObject();
		cJSON_AddNumberToObject(s, "id", (double)a[i].id);
		cJSON_AddNumberToObject(s, "start", (double)a[i].span_start);
		cJSON_AddNumberToObject(s, "end", (double)a[i].span_end);
		piece = span_text(m->content, &a[i]);
		json_add_string_or_null(s, "text", piece);
		free(piece);
		cJSON_AddItemToObject(s, "tags", tags_json(&a[i]));
		json_add_string_or_null(s, "note", a[i].note);
		cJSON_AddItemToArray(arr, s);
	}
	arr = cJSON_AddArrayToObject(o, "votes");
	for (i = 0; i < an->nv; i++) {
		s = cJSON_CreateObject();
		cJSON_AddStringToObject(s, "uid", v[i].uid);
		cmd_json_time(s, "created", v[i].created);
		vote_outcome_format(&v[i], name, sizeof name);
		cJSON_AddStringToObject(s, "outcome", name);
		cJSON_AddStringToObject(s, "result", vote_result(&v[i],
		    m->id));
		sh = cJSON_AddArrayToObject(s, "shown");
		for (k = 0; k < v[i].n; k++)
			cJSON_AddItemToArray(sh,
			    cJSON_CreateNumber((double)v[i].shown[k]));
		cJSON_AddItemToArray(arr, s);
	}
}

/*
 * Answer m's annotations as lines: lead, then " · rated R · tags: T" of
 * the whole annotation (" · not annotated" when there is nothing at all),
 * its note, its passages (fitted to the terminal) and its votes.
 */
static void
annots_text(struct buf *b, const char *lead, const struct stored_message *m,
    const struct annots *an)
{
	const struct annotation	*a = an->a;
	char			*s, *piece;
	size_t			 i, width = (size_t)cmd_term_width(), won = 0;
	size_t			 lost = 0, tie = 0, bad = 0;
	const char		*r;

	buf_addstr(b, lead);
	for (i = 0; i < an->n; i++) {
		if (a[i].span_start >= 0)
			continue;
		if (a[i].rating != RATING_NONE)
			buf_addf(b, " · rated %s", rating_text(a[i].rating));
		if (a[i].ntags > 0) {
			buf_addstr(b, " · tags: ");
			add_tags(b, &a[i]);
		}
		buf_addc(b, '\n');
		if (a[i].note != NULL) {
			s = cmd_sanitized(a[i].note, false);
			buf_addf(b, "note: %s\n", s);
			free(s);
		}
		break;
	}
	if (i == an->n)
		buf_addstr(b, an->n == 0 && an->nv == 0 ? " · not annotated\n" :
		    "\n");
	for (i = 0; i < an->n; i++) {
		struct buf	line;

		if (a[i].span_start < 0)
			continue;
		buf_init(&line, BUF_NO_LIMIT);
		buf_addf(&line, "  #%lld %lld:%lld ", (long long)a[i].id,
		    (long long)a[i].span_start, (long long)a[i].span_end);
		piece = span_text(m->content, &a[i]);
		s = cmd_sanitized(piece != NULL ? piece : "", true);
		buf_addf(&line, "\"%s\"", s);
		free(s);
		free(piece);
		if (a[i].ntags > 0) {
			buf_addstr(&line, " · tags: ");
			add_tags(&line, &a[i]);
		}
		if (a[i].note != NULL) {
			s = cmd_sanitized(a[i].note, true);
			buf_addf(&line, " · %s", s);
			free(s);
		}
		cmd_add_fitted(b, line.data, width, false);
		buf_addc(b, '\n');
		buf_release(&line);
	}
	for (i = 0; i < an->nv; i++) {
		r = vote_result(&an->v[i], m->id);
		if (strcmp(r, "won") == 0)
			won++;
		else if (strcmp(r, "lost") == 0)
			lost++;
		else if (strcmp(r, "tie") == 0)
			tie++;
		else
			bad++;
	}
	if (an->nv > 0)
		buf_addf(b, "votes: %zu (won %zu, lost %zu, tie %zu, "
		    "both bad %zu)\n", an->nv, won, lost, tie, bad);
}

int
cmd_annotations_text(struct store *st, const struct stored_message *m,
    struct buf *b, char **cause)
{
	struct annots	an;

	if (annots_load(st, m->id, &an, cause) != 0)
		return (-1);
	if (an.n > 0 || an.nv > 0)
		annots_text(b, "annotations", m, &an);
	annots_free(&an);
	return (0);
}

int
cmd_annotations_json(struct store *st, const struct stored_message *m,
    struct cJSON *o, char **cause)
{
	struct annots	an;

	if (annots_load(st, m->id, &an, cause) != 0)
		return (-1);
	annots_json(cJSON_AddObjectToObject(o, "annotations"), m, &an);
	annots_free(&an);
	return (0);
}

/* Print what answer msg has, as text or JSON. */
static int
annotate_list(struct store *st, int64_t msg, bool json)
{
	struct stored_message	 m;
	struct annots		 an;
	struct buf		 b;
	cJSON			*o;
	char			*cause = NULL, *s;

	if (annots_load(st, msg, &an, &cause) != 0)
		return (cmd_fail(cause));
	if (store_message_get(st, msg, &m, &cause) != 0) {
		annots_free(&an);
		return (cmd_fail(cause));
	}
	if (json) {
		o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "message_id", (double)m.id);
		json_add_string_or_null(o, "provider", m.provider);
		json_add_string_or_null(o, "model", m.model);
		annots_json(o, &m, &an);
		cmd_print_json(o);
	} else {
		buf_init(&b, BUF_NO_LIMIT);
		buf_addf(&b, "answer %lld", (long long)m.id);
		if (m.model != NULL) {
			s = cmd_sanitized(m.model, true);
			buf_addf(&b, " · %s", s);
			free(s);
		}
		annots_text(&b, "", &m, &an);
		fwrite(b.data, 1, b.len, stdout);
		buf_release(&b);
	}
	stored_message_release(&m);
	annots_free(&an);
	return (EXIT_OK);
}

/* --remove N: only an annotation of this answer. */
static int
annotate_remove(struct store *st, int64_t msg, int64_t id, char **cause)
{
	struct annotation	*a;
	size_t			 n, i;
	bool			 mine = false;

	if (store_annotations(st, msg, &a, &n, cause) != 0)
		return (-1);
	for (i = 0; i < n; i++)
		mine = mine || a[i].id == id;
	annotations_free(a, n);
	if (!mine) {
		*cause = xasprintf("answer %lld has no annotation %lld",
		    (long long)msg, (long long)id);
		return (-1);
	}
	return (store_annotation_remove(st, id, cause));
}

int
cmd_annotate(int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "rate", required_argument, NULL, 'r' },
		{ "tag", required_argument, NULL, 't' },
		{ "untag", required_argument, NULL, 'u' },
		{ "note", required_argument, NULL, 'n' },
		{ "span", required_argument, NULL, 's' },
		{ "remove", required_argument, NULL, 'x' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct store		*st;
	struct annotation_edit	 e;
	const char		**add = NULL, **rm = NULL;
	char			*cause = NULL;
	int64_t			 msg, start = -1, end = -1, remove_id = 0;
	bool			 json = false, span = false;
	int			 ch, status = EXIT_OK, r = EXIT_USAGE;

	memset(&e, 0, sizeof e);
	add = xcalloc((size_t)argc + 1, sizeof *add);
	rm = xcalloc((size_t)argc + 1, sizeof *rm);
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			e.set_rating = true;
			if (strcmp(optarg, "none") == 0)
				e.rating = RATING_NONE;
			else if (cmd_parse_rating(optarg, &e.rating) != 0) {
				cmd_usage_error("annotate: --rate wants +1, "
				    "-1, 0 or none, not '%s'", optarg);
				goto out;
			}
			break;
		case 't':
		case 'u':
			if (annotation_tag_check(optarg, &cause) != 0) {
				cmd_usage_error("annotate: %s", cause);
				free(cause);
				goto out;
			}
			if (ch == 't')
				add[e.nadd++] = optarg;
			else
				rm[e.nremove++] = optarg;
			break;
		case 'n':
			e.set_note = true;
			e.note = optarg;
			break;
		case 's':
			if (parse_span(optarg, &start, &end) != 0) {
				cmd_usage_error("annotate: --span wants "
				    "START:END byte offsets, not '%s'", optarg);
				goto out;
			}
			span = true;
			break;
		case 'x':
			if (cmd_parse_id(optarg, &remove_id) != 0) {
				cmd_usage_error("annotate: '%s' is not an "
				    "annotation id", optarg);
				goto out;
			}
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			printf("%s\n", ANNOTATE_USAGE);
			r = EXIT_OK;
			goto out;
		default:
			cmd_bad_option(argv, ANNOTATE_USAGE);
			goto out;
		}
	}
	e.add_tags = add;
	e.remove_tags = rm;
	if (argc - optind != 1) {
		cmd_usage_error("%s", ANNOTATE_USAGE);
		goto out;
	}
	if (cmd_parse_id(argv[optind], &msg) != 0) {
		cmd_usage_error("annotate: '%s' is not a message id",
		    argv[optind]);
		goto out;
	}
	if (span && (e.set_rating || e.nremove > 0 || remove_id != 0)) {
		cmd_usage_error("annotate: a passage (--span) takes --tag and "
		    "--note only; rate the whole answer without --span");
		goto out;
	}
	if (remove_id != 0 && (e.set_rating || e.nadd > 0 ||
	    e.nremove > 0 || e.set_note)) {
		cmd_usage_error("annotate: --remove goes alone");
		goto out;
	}
	if ((st = cmd_open_store(&status)) == NULL) {
		r = status;
		goto out;
	}
	if (span) {
		if (store_annotate_span(st, msg, start, end, add, e.nadd,
		    e.note, &cause) < 0) {
			r = cmd_fail(cause);
			goto close;
		}
	} else if (remove_id != 0) {
		if (annotate_remove(st, msg, remove_id, &cause) != 0) {
			r = cmd_fail(cause);
			goto close;
		}
	} else if (e.set_rating || e.nadd > 0 || e.nremove > 0 ||
	    e.set_note) {
		if (store_annotate(st, msg, &e, &cause) != 0) {
			r = cmd_fail(cause);
			goto close;
		}
	}
	r = annotate_list(st, msg, json);
close:
	store_close(st);
out:
	free(add);
	free(rm);
	return (r);
}

/* ---------------------------------------------------------------- */
/* tolk leaderboard */

int
cmd_leaderboard(int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "lang", required_argument, NULL, 'l' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct store		*st;
	struct leader_row	*rows;
	struct buf		 b;
	cJSON			*o, *a, *t;
	const char		*lang = NULL;
	char			*cause = NULL, *s, rate[16], mean[16];
	size_t			 n, i, mw = 5, w;
	bool			 json = false;
	int			 ch, status = EXIT_OK;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'l':
			if (cmd_parse_lang("leaderboard", optarg) != 0)
				return (EXIT_USAGE);
			lang = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			printf("%s\n", LEADERBOARD_USAGE);
			return (EXIT_OK);
		default:
			cmd_bad_option(argv, LEADERBOARD_USAGE);
			return (EXIT_USAGE);
		}
	}
	if (optind != argc) {
		cmd_usage_error("leaderboard: unexpected argument '%s'",
		    argv[optind]);
		return (EXIT_USAGE);
	}
	if ((st = cmd_open_store(&status)) == NULL)
		return (status);
	if (store_leaderboard(st, lang, &rows, &n, &cause) != 0) {
		store_close(st);
		return (cmd_fail(cause));
	}
	if (json) {
		o = cJSON_CreateObject();
		json_add_string_or_null(o, "lang", lang);
		a = cJSON_AddArrayToObject(o, "rows");
		for (i = 0; i < n; i++) {
			t = cJSON_CreateObject();
			cJSON_AddStringToObject(t, "model", rows[i].model);
			cJSON_AddNumberToObject(t, "votes",
			    (double)rows[i].votes);
			cJSON_AddNumberToObject(t, "wins", (double)rows[i].wins);
			cJSON_AddNumberToObject(t, "losses",
			    (double)rows[i].losses);
			cJSON_AddNumberToObject(t, "ties", (double)rows[i].ties);
			cJSON_AddNumberToObject(t, "both_bad",
			    (double)rows[i].both_bad);
			if (rows[i].votes > 0)
				cJSON_AddNumberToObject(t, "win_rate",
				    leader_win_rate(&rows[i]));
			else
				cJSON_AddNullToObject(t, "win_rate");
			cJSON_AddNumberToObject(t, "rated",
			    (double)rows[i].rated);
			if (rows[i].rated > 0)
				cJSON_AddNumberToObject(t, "mean_rating",
				    (double)rows[i].rating_sum /
				    (double)rows[i].rated);
			else
				cJSON_AddNullToObject(t, "mean_rating");
			cJSON_AddItemToArray(a, t);
		}
		cmd_print_json(o);
		goto out;
	}
	for (i = 0; i < n; i++) {
		s = cmd_sanitized(rows[i].model, true);
		if ((w = cmd_text_width(s)) > mw)
			mw = w;
		free(s);
	}
	if (mw > 40)
		mw = 40;
	buf_init(&b, BUF_NO_LIMIT);
	cmd_add_fitted(&b, "MODEL", mw, true);
	buf_addf(&b, "  %5s  %4s  %6s  %4s  %8s  %8s  %5s  %11s\n", "VOTES",
	    "WINS", "LOSSES", "TIES", "BOTH-BAD", "WIN RATE", "RATED",
	    "MEAN RATING");
	for (i = 0; i < n; i++) {
		s = cmd_sanitized(rows[i].model, true);
		cmd_add_fitted(&b, s, mw, true);
		free(s);
		if (rows[i].votes > 0)
			snprintf(rate, sizeof rate, "%.1f%%",
			    100 * leader_win_rate(&rows[i]));
		else
			snprintf(rate, sizeof rate, "-");
		if (rows[i].rated > 0)
			snprintf(mean, sizeof mean, "%+.2f",
			    (double)rows[i].rating_sum /
			    (double)rows[i].rated);
		else
			snprintf(mean, sizeof mean, "-");
		buf_addf(&b, "  %5lld  %4lld  %6lld  %4lld  %8lld  %8s  %5lld"
		    "  %11s\n", (long long)rows[i].votes,
		    (long long)rows[i].wins, (long long)rows[i].losses,
		    (long long)rows[i].ties, (long long)rows[i].both_bad, rate,
		    (long long)rows[i].rated, mean);
	}
	if (n == 0 && isatty(STDERR_FILENO))
		fprintf(stderr, "tolk: no votes or ratings yet%s%s\n",
		    lang != NULL ? " in " : "", lang != NULL ? lang : "");
	fwrite(b.data, 1, b.len, stdout);
	buf_release(&b);
out:
	leader_rows_free(rows, n);
	store_close(st);
	return (EXIT_OK);
}

/* ---------------------------------------------------------------- */
/* tolk export --annotated --format csv */

/* One CSV field (RFC 4180): quoted when it holds a comma, a quote, a
 * line break or an edge space; quotes doubled. */
static void
csv_field(FILE *f, const char *s, bool last, bool clean)
{
	char		*c = clean ? cmd_sanitized(s != NULL ? s : "", false) :
			    NULL;
	const char	*p = c != NULL ? c : s != NULL ? s : "";
	size_t		 len = strlen(p);

	if (strpbrk(p, ",\"\r\n") != NULL ||
	    (len > 0 && (p[0] == ' ' || p[len - 1] == ' '))) {
		fputc('"', f);
		for (; *p != '\0'; p++) {
			if (*p == '"')
				fputc('"', f);
			fputc(*p, f);
		}
		fputc('"', f);
	} else
		fputs(p, f);
	fputs(last ? "\r\n" : ",", f);
	free(c);
}

static void
csv_row(FILE *f, const struct annotated *a, bool clean)
{
	const struct annotation	*whole = NULL;
	const char		*prompt = "";
	struct buf		 b;
	char			*piece, num[32], *model;
	size_t			 i, count[4] = { 0, 0, 0, 0 };
	const char		*r;

	for (i = 0; i < a->nann; i++)
		if (a->ann[i].span_start < 0 && whole == NULL)
			whole = &a->ann[i];
	for (i = a->npath; i > 0; i--)
		if (a->path[i - 1].role == ROLE_USER) {
			prompt = a->path[i - 1].content;
			break;
		}
	csv_field(f, a->key, false, clean);
	csv_field(f, a->conv.uid, false, clean);
	model = xasprintf("%s%s%s", a->answer.provider != NULL ?
	    a->answer.provider : "", a->answer.provider != NULL ? ":" : "",
	    a->answer.model != NULL ? a->answer.model : "");
	csv_field(f, model, false, clean);
	free(model);
	csv_field(f, a->answer.lang, false, clean);
	store_time_iso(a->answer.created, num, sizeof num);
	csv_field(f, num, false, clean);
	csv_field(f, prompt, false, clean);
	csv_field(f, a->answer.content, false, clean);
	csv_field(f, whole != NULL && whole->rating != RATING_NONE ?
	    rating_text(whole->rating) : "", false, clean);
	buf_init(&b, BUF_NO_LIMIT);
	buf_addstr(&b, "");
	if (whole != NULL)
		add_tags(&b, whole);
	csv_field(f, b.data, false, clean);
	csv_field(f, whole != NULL ? whole->note : NULL, false, clean);
	/* Passages, one a line: START:END "TEXT" [TAGS] NOTE */
	buf_reset(&b);
	buf_addstr(&b, "");
	for (i = 0; i < a->nann; i++) {
		if (a->ann[i].span_start < 0)
			continue;
		if (b.len > 0)
			buf_addc(&b, '\n');
		piece = span_text(a->answer.content, &a->ann[i]);
		buf_addf(&b, "%lld:%lld \"%s\"", (long long)a->ann[i].span_start,
		    (long long)a->ann[i].span_end, piece != NULL ? piece : "");
		free(piece);
		if (a->ann[i].ntags > 0) {
			buf_addstr(&b, " [");
			add_tags(&b, &a->ann[i]);
			buf_addc(&b, ']');
		}
		if (a->ann[i].note != NULL)
			buf_addf(&b, " %s", a->ann[i].note);
	}
	csv_field(f, b.data, false, clean);
	buf_release(&b);
	for (i = 0; i < a->nvotes; i++) {
		r = vote_result(&a->votes[i].v, a->answer.id);
		count[strcmp(r, "won") == 0 ? 0 : strcmp(r, "lost") == 0 ? 1 :
		    strcmp(r, "tie") == 0 ? 2 : 3]++;
	}
	snprintf(num, sizeof num, "%zu", a->nvotes);
	csv_field(f, num, false, clean);
	for (i = 0; i < 4; i++) {
		snprintf(num, sizeof num, "%zu", count[i]);
		csv_field(f, num, i == 3, clean);
	}
}

int
cmd_export_annotated(struct store *st, bool csv, const char *lang, FILE *f,
    char **cause)
{
	struct annotated	*a;
	size_t			 n, i;
	bool			 clean = isatty(fileno(f));

	if (!csv)
		return (store_export_annotated(st, lang, f, cause));
	if (store_annotated_list(st, lang, &a, &n, cause) != 0)
		return (-1);
	fputs("key,conversation,model,lang,created,prompt,answer,rating,"
	    "tags,note,spans,votes,won,lost,tie,both_bad\r\n", f);
	for (i = 0; i < n; i++)
		csv_row(f, &a[i], clean);
	annotated_free(a, n);
	return (0);
}
