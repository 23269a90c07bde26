/*
 * tui/cmd_compare.c - "tolk compare ID ID [...]": stored answers side by
 * side, in columns at the terminal's width, or as JSON lines. With
 * --prompts the ids are prompts (user messages, say two versions of one
 * made with tolk -p --branch-from): each column shows the prompt above its
 * newest answer, with the answer's tokens and cost against the first
 * column's ("+312 tokens, +$0.0041").
 *
 * Each column has a header (the model, tokens in and out, time to first
 * token and duration, cost and language) over a rule, then the answer laid
 * out as Markdown by render/ at the column's width, so every script keeps
 * its display width and the columns line up. Everything printed is
 * sanitised: a stored answer's escape sequences never reach the terminal.
 */
#include "config.h"

#include <sys/ioctl.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cJSON.h>

#include "history/history.h"
#include "render/render.h"
#include "tui/commands.h"

#define MAX_COLUMNS	8
#define MIN_COLUMN	12
#define SEPARATOR	" │ "
#define SEPARATOR_W	3

static const char usage_text[] =
    "usage: tolk compare [--prompts] [--width N] [--json] MESSAGE-ID "
    "MESSAGE-ID [...]";

static int
usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "tolk: compare: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n%s\n", usage_text);
	return EXIT_USAGE;
}

static int
term_width(void)
{
	struct winsize	 ws;
	const char	*c;
	char		*end;
	long		 v;

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ,
	    &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if ((c = getenv("COLUMNS")) != NULL) {
		errno = 0;
		v = strtol(c, &end, 10);
		if (errno == 0 && end != c && *end == '\0' && v >= 20 &&
		    v <= 10000)
			return (int)v;
	}
	return 80;
}

/* One column: its lines, each clean text with a display width. */
struct column {
	char	**text;
	size_t	 *len;
	int	 *width;
	size_t	  n;
	size_t	  nheader;	/* the first lines are the header */
};

static void
column_add(struct column *c, const char *s, size_t len, int width)
{
	c->text = xrealloc(c->text, (c->n + 1) * sizeof *c->text);
	c->len = xrealloc(c->len, (c->n + 1) * sizeof *c->len);
	c->width = xrealloc(c->width, (c->n + 1) * sizeof *c->width);
	c->text[c->n] = xstrndup(s, len);
	c->len[c->n] = len;
	c->width[c->n] = width;
	c->n++;
}

/* A line for people, cleaned and wrapped at width. */
static void
column_add_wrapped(struct column *c, const char *s, int width)
{
	struct wrap_line	*wl = NULL;
	char			*clean, *p;
	size_t			 len, n, i;

	clean = sanitize(s, strlen(s), SANITIZE_NORMAL, &len);
	for (p = clean; *p != '\0'; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	n = wrap_lines(clean, len, width, &wl);
	for (i = 0; i < n; i++)
		column_add(c, clean + wl[i].start, wl[i].end - wl[i].start,
		    wl[i].width);
	free(wl);
	free(clean);
}

static void
column_release(struct column *c)
{
	size_t	i;

	for (i = 0; i < c->n; i++)
		free(c->text[i]);
	free(c->text);
	free(c->len);
	free(c->width);
}

static void
fmt_count(struct buf *b, int64_t n)
{
	if (n < 0)
		buf_addstr(b, "?");
	else
		buf_addf(b, "%lld", (long long)n);
}

/* The header of a stored message: model; tokens; times; cost, language. */
static void
header_lines(const struct stored_message *m, struct column *c, int width)
{
	struct buf	b;

	buf_init(&b, BUF_NO_LIMIT);
	if (m->role == ROLE_ASSISTANT)
		buf_addf(&b, "%s:%s", m->provider != NULL ? m->provider : "?",
		    m->model != NULL ? m->model : "?");
	else
		buf_addstr(&b, role_name(m->role));
	buf_addf(&b, " #%lld", (long long)m->id);
	if (m->status != MSG_COMPLETE)
		buf_addf(&b, " (%s)", msg_status_name(m->status));
	column_add_wrapped(c, b.data, width);
	buf_reset(&b);
	buf_addstr(&b, "in ");
	fmt_count(&b, m->usage.input);
	buf_addstr(&b, " · out ");
	fmt_count(&b, m->usage.output);
	column_add_wrapped(c, b.data, width);
	buf_reset(&b);
	buf_addstr(&b, "ttft ");
	if (m->ttft_ms >= 0)
		buf_addf(&b, "%lld ms", (long long)m->ttft_ms);
	else
		buf_addstr(&b, "?");
	buf_addstr(&b, " · ");
	if (m->duration_ms >= 0)
		buf_addf(&b, "%.2f s", (double)m->duration_ms / 1000.0);
	else
		buf_addstr(&b, "? s");
	column_add_wrapped(c, b.data, width);
	buf_reset(&b);
	if (m->cost >= 0)
		buf_addf(&b, "$%.6f", m->cost);
	else
		buf_addstr(&b, "$?");
	buf_addf(&b, " · %s", m->lang != NULL ? m->lang : "?");
	column_add_wrapped(c, b.data, width);
	buf_release(&b);
	c->nheader = c->n;
}

static void
build_column(const struct stored_message *m, struct column *c, int width)
{
	struct render_line	*lines = NULL;
	struct buf		 rule;
	size_t			 n, i;
	int			 j;

	memset(c, 0, sizeof *c);
	header_lines(m, c, width);
	buf_init(&rule, BUF_NO_LIMIT);
	for (j = 0; j < width; j++)
		buf_addstr(&rule, "─");
	column_add(c, rule.data, rule.len, width);
	buf_release(&rule);
	c->nheader = c->n;
	n = md_render(m->content, strlen(m->content), width, SANITIZE_NORMAL,
	    &lines);
	/* A trailing blank line says nothing. */
	while (n > 0 && lines[n - 1].len == 0) {
		render_line_release(&lines[n - 1]);
		n--;
	}
	for (i = 0; i < n; i++)
		column_add(c, lines[i].text, lines[i].len, lines[i].width);
	render_lines_free(lines, n);
	if (m->error != NULL) {
		char *e = xasprintf("[%s] %s", msg_status_name(m->status),
		    m->error);

		column_add_wrapped(c, e, width);
		free(e);
	}
}

static void
print_columns(struct column *cols, size_t n, int width)
{
	struct buf	out;
	size_t		row, rows = 0, i;
	int		pad, w;

	for (i = 0; i < n; i++)
		if (cols[i].n > rows)
			rows = cols[i].n;
	buf_init(&out, BUF_NO_LIMIT);
	for (row = 0; row < rows; row++) {
		buf_reset(&out);
		for (i = 0; i < n; i++) {
			if (i > 0)
				buf_addstr(&out, SEPARATOR);
			w = 0;
			if (row < cols[i].n) {
				buf_add(&out, cols[i].text[row],
				    cols[i].len[row]);
				w = cols[i].width[row];
			}
			/* The last column needs no padding. */
			if (i + 1 < n)
				for (pad = w; pad < width; pad++)
					buf_addc(&out, ' ');
		}
		while (out.len > 0 && out.data[out.len - 1] == ' ')
			out.len--;
		buf_addc(&out, '\n');
		fwrite(out.data, 1, out.len, stdout);
	}
	buf_release(&out);
}

static void
json_string(cJSON *o, const char *key, const char *s)
{
	char	*clean;

	if (s == NULL) {
		cJSON_AddNullToObject(o, key);
		return;
	}
	clean = utf8_clean(s, strlen(s), NULL);
	cJSON_AddStringToObject(o, key, clean);
	free(clean);
}

/* The keys of tolk -p --json, with the message's ids. */
static cJSON *
json_message(const struct stored_message *m)
{
	cJSON	*o, *u;
	char	*model;

	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "id", (double)m->id);
	cJSON_AddNumberToObject(o, "conversation_id",
	    (double)m->conversation_id);
	if (m->parent_id > 0)
		cJSON_AddNumberToObject(o, "parent_id", (double)m->parent_id);
	else
		cJSON_AddNullToObject(o, "parent_id");
	cJSON_AddStringToObject(o, "role", role_name(m->role));
	if (m->provider != NULL || m->model != NULL) {
		model = xasprintf("%s:%s", m->provider != NULL ? m->provider :
		    "?", m->model != NULL ? m->model : "?");
		json_string(o, "model", model);
		free(model);
	} else
		cJSON_AddNullToObject(o, "model");
	json_string(o, "text", m->content);
	cJSON_AddStringToObject(o, "status", msg_status_name(m->status));
	json_string(o, "error", m->error);
	u = cJSON_AddObjectToObject(o, "usage");
	json_add_count(u, "input", m->usage.input);
	json_add_count(u, "output", m->usage.output);
	json_add_count(u, "cached", m->usage.cached);
	json_add_count(u, "reasoning", m->usage.reasoning);
	json_add_count(o, "ttft_ms", m->ttft_ms);
	json_add_count(o, "duration_ms", m->duration_ms);
	if (m->cost >= 0)
		cJSON_AddNumberToObject(o, "cost", m->cost);
	else
		cJSON_AddNullToObject(o, "cost");
	json_string(o, "lang", m->lang);
	return o;
}

static void
print_json(cJSON *o)
{
	char	*line;

	line = cJSON_PrintUnformatted(o);
	printf("%s\n", line);
	cJSON_free(line);
	cJSON_Delete(o);
}

/* ---- --prompts: prompts with their answers, and the deltas ---- */

/* A prompt and its newest answer (answer.id 0: none). */
struct prompt_column {
	struct stored_message	prompt;
	struct stored_message	answer;
};

/* The newest answer of a stored prompt; answer->id stays 0 when none. */
static int
newest_answer(struct store *st, const struct stored_message *p,
    struct stored_message *answer, char **cause)
{
	struct conversation_info	 info;
	struct stored_message		*m;
	size_t				 n, i, best = SIZE_MAX;

	if (store_conversation_get(st, p->conversation_id, &info, &m, &n,
	    cause) != 0)
		return -1;
	for (i = 0; i < n; i++)
		if (m[i].role == ROLE_ASSISTANT && m[i].parent_id == p->id &&
		    (best == SIZE_MAX || m[i].id > m[best].id))
			best = i;
	if (best != SIZE_MAX) {
		*answer = m[best];
		/* The strings are the answer's now. */
		stored_message_init(&m[best]);
	}
	stored_messages_free(m, n);
	conversation_info_release(&info);
	return 0;
}

static int64_t
total_tokens(const struct stored_message *m)
{
	if (m->id == 0 || m->usage.input < 0 || m->usage.output < 0)
		return -1;
	return m->usage.input + m->usage.output;
}

static void
add_rule(struct column *c, int width)
{
	struct buf	rule;
	int		j;

	buf_init(&rule, BUF_NO_LIMIT);
	for (j = 0; j < width; j++)
		buf_addstr(&rule, "─");
	column_add(c, rule.data, rule.len, width);
	buf_release(&rule);
}

/*
 * A prompt column: "prompt #ID", the prompt, a rule, the answer's header,
 * its delta to the first column ("base" in the first), then the answer.
 */
static void
build_prompt_column(const struct prompt_column *pc,
    const struct prompt_column *base, struct column *c, int width)
{
	struct column	 ans;
	struct buf	 b;
	char		*s;
	size_t		 i;

	memset(c, 0, sizeof *c);
	s = xasprintf("prompt #%lld", (long long)pc->prompt.id);
	column_add_wrapped(c, s, width);
	free(s);
	column_add_wrapped(c, pc->prompt.content, width);
	add_rule(c, width);
	if (pc->answer.id == 0) {
		column_add_wrapped(c, "(no answer)", width);
		return;
	}
	build_column(&pc->answer, &ans, width);
	for (i = 0; i < ans.nheader - 1; i++)
		column_add(c, ans.text[i], ans.len[i], ans.width[i]);
	buf_init(&b, BUF_NO_LIMIT);
	if (pc == base)
		buf_addstr(&b, "base");
	else
		price_delta_add(&b, total_tokens(&pc->answer),
		    total_tokens(&base->answer), pc->answer.id != 0 ?
		    pc->answer.cost : -1, base->answer.id != 0 ?
		    base->answer.cost : -1);
	column_add_wrapped(c, b.data, width);
	buf_release(&b);
	for (i = ans.nheader - 1; i < ans.n; i++)
		column_add(c, ans.text[i], ans.len[i], ans.width[i]);
	column_release(&ans);
}

/* One JSON line per prompt: {"prompt", "answer", "delta"}. */
static void
print_prompt_json(const struct prompt_column *pc,
    const struct prompt_column *base)
{
	cJSON	*o, *d;
	int64_t	 t, t0;

	o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "prompt", json_message(&pc->prompt));
	if (pc->answer.id != 0)
		cJSON_AddItemToObject(o, "answer", json_message(&pc->answer));
	else
		cJSON_AddNullToObject(o, "answer");
	if (pc == base)
		cJSON_AddNullToObject(o, "delta");
	else {
		d = cJSON_AddObjectToObject(o, "delta");
		t = total_tokens(&pc->answer);
		t0 = total_tokens(&base->answer);
		json_add_count(d, "tokens", t >= 0 && t0 >= 0 ? t - t0 : -1);
		if (pc->answer.id != 0 && base->answer.id != 0 &&
		    pc->answer.cost >= 0 && base->answer.cost >= 0)
			cJSON_AddNumberToObject(d, "cost", pc->answer.cost -
			    base->answer.cost);
		else
			cJSON_AddNullToObject(d, "cost");
	}
	print_json(o);
}

static int
compare_prompts(struct store *st, char **ids, size_t n, int width,
    bool json)
{
	struct prompt_column	 pcs[MAX_COLUMNS];
	struct column		 cols[MAX_COLUMNS];
	char			*cause = NULL;
	size_t			 i, got = 0;
	int			 r = EXIT_FAIL, colw;

	for (i = 0; i < n; i++) {
		stored_message_init(&pcs[i].prompt);
		stored_message_init(&pcs[i].answer);
		got++;
		if (store_message_get(st, strtol(ids[i], NULL, 10),
		    &pcs[i].prompt, &cause) != 0)
			goto out;
		if (pcs[i].prompt.role != ROLE_USER) {
			cause = xasprintf("message %s is not a prompt "
			    "(--prompts compares user messages)", ids[i]);
			goto out;
		}
		if (newest_answer(st, &pcs[i].prompt, &pcs[i].answer,
		    &cause) != 0)
			goto out;
	}
	if (json) {
		for (i = 0; i < n; i++)
			print_prompt_json(&pcs[i], &pcs[0]);
	} else {
		colw = (width - (int)(n - 1) * SEPARATOR_W) / (int)n;
		if (colw < MIN_COLUMN)
			colw = MIN_COLUMN;
		for (i = 0; i < n; i++)
			build_prompt_column(&pcs[i], &pcs[0], &cols[i], colw);
		print_columns(cols, n, colw);
		for (i = 0; i < n; i++)
			column_release(&cols[i]);
	}
	r = EXIT_OK;
out:
	if (cause != NULL) {
		fprintf(stderr, "tolk: %s\n", cause);
		free(cause);
	}
	for (i = 0; i < got; i++) {
		stored_message_release(&pcs[i].prompt);
		stored_message_release(&pcs[i].answer);
	}
	return r;
}

int
cmd_compare(int argc, char **argv)
{
	static const struct option long_options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "prompts", no_argument, NULL, 'p' },
		{ "width", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct stored_message	 msgs[MAX_COLUMNS];
	struct column		 cols[MAX_COLUMNS];
	struct store		*st = NULL;
	char			*cause = NULL, *end;
	size_t			 n = 0, i;
	long			 width = 0, v;
	int			 c, r = EXIT_OK, colw;
	bool			 json = false, prompts = false;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", long_options, NULL)) !=
	    -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'p':
			prompts = true;
			break;
		case 'w':
			errno = 0;
			width = strtol(optarg, &end, 10);
			if (errno != 0 || end == optarg || *end != '\0' ||
			    width < 20 || width > 10000)
				return usage("--width takes a number from 20 "
				    "to 10000, not '%s'", optarg);
			break;
		case 'h':
			printf("%s\n", usage_text);
			return EXIT_OK;
		default:
			return usage("unknown option or missing value '%s'",
			    argv[optind - 1]);
		}
	}
	if (argc - optind < 2 || argc - optind > MAX_COLUMNS)
		return usage("give 2 to 8 message ids%s", "");
	for (i = (size_t)optind; i < (size_t)argc; i++) {
		errno = 0;
		v = strtol(argv[i], &end, 10);
		if (errno != 0 || end == argv[i] || *end != '\0' || v <= 0)
			return usage("not a message id: '%s'", argv[i]);
	}
	if ((st = store_open(NULL, STORE_READONLY, &cause)) == NULL) {
		fprintf(stderr, "tolk: %s\n", cause);
		r = strstr(cause, "not a usable") != NULL ? EXIT_USAGE :
		    EXIT_FAIL;
		free(cause);
		return r;
	}
	if (prompts) {
		r = compare_prompts(st, argv + optind, (size_t)(argc - optind),
		    width > 0 ? (int)width : term_width(), json);
		goto out;
	}
	for (i = (size_t)optind; i < (size_t)argc; i++) {
		if (store_message_get(st, strtol(argv[i], NULL, 10), &msgs[n],
		    &cause) != 0) {
			fprintf(stderr, "tolk: %s\n", cause);
			free(cause);
			r = EXIT_FAIL;
			goto out;
		}
		n++;
	}
	if (json) {
		for (i = 0; i < n; i++)
			print_json(json_message(&msgs[i]));
		goto out;
	}
	if (width == 0)
		width = term_width();
	colw = ((int)width - (int)(n - 1) * SEPARATOR_W) / (int)n;
	if (colw < MIN_COLUMN)
		colw = MIN_COLUMN;
	for (i = 0; i < n; i++)
		build_column(&msgs[i], &cols[i], colw);
	print_columns(cols, n, colw);
	for (i = 0; i < n; i++)
		column_release(&cols[i]);
out:
	fflush(stdout);
	for (i = 0; i < n; i++)
		stored_message_release(&msgs[i]);
	store_close(st);
	return r;
}
