/*
 * tui/cmd_history.c - the history subcommands: log, show, search, export,
 * import, usage and rm.
 *
 * Everything printed for people is sanitised (a model's escape sequences
 * never reach the terminal) and laid out by display width, so columns hold
 * in any script; every subcommand also speaks JSON for scripts (--json),
 * with the keys documented in doc/history.md.
 */
#include "config.h"

#include <sys/ioctl.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cJSON.h>
#include <utf8proc.h>

#include "history/history.h"
#include "lang/lang.h"
#include "tui/budget.h"
#include "tui/langcheck.h"
#include "tui/commands.h"

/* Search marks: private-use characters no sanitiser removes, replaced by
 * bold or brackets once the snippet is clean. */
#define MARK_OPEN "\xee\x80\x80"	/* U+E000 */
#define MARK_CLOSE "\xee\x80\x81"	/* U+E001 */

/* ---------------------------------------------------------------- */
/* Text for the terminal. */

static int
term_width(void)
{
	struct winsize	 ws;
	const char	*c;
	long		 v;
	char		*end;

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ,
	    &ws) == 0 && ws.ws_col > 0)
		return (ws.ws_col);
	if ((c = getenv("COLUMNS")) != NULL) {
		errno = 0;
		v = strtol(c, &end, 10);
		if (errno == 0 && *end == '\0' && v >= 20 && v <= 10000)
			return ((int)v);
	}
	return (80);
}

/*
 * Append s with every control character, escape sequence and bidi control
 * removed and invalid UTF-8 as U+FFFD. oneline turns newlines and tabs into
 * spaces (for a line of a list); otherwise they are kept.
 */
static void
sanitize_into(struct buf *b, const char *s, size_t len, bool oneline)
{
	size_t			 off = 0;
	utf8proc_ssize_t	 n;
	utf8proc_int32_t	 cp;
	unsigned char		 c;

	while (off < len) {
		c = (unsigned char)s[off];
		if (c == 0x1b) {
			/* ESC: skip the sequence (CSI, OSC, or one char) */
			off++;
			if (off < len && s[off] == '[') {
				for (off++; off < len; off++)
					if ((unsigned char)s[off] >= 0x40 &&
					    (unsigned char)s[off] <= 0x7e)
						break;
				off++;
			} else if (off < len && s[off] == ']') {
				for (off++; off < len; off++) {
					if (s[off] == '\a' || s[off] == '\n')
						break;
					if (s[off] == 0x1b && off + 1 < len &&
					    s[off + 1] == '\\') {
						off++;
						break;
					}
				}
				if (off < len && s[off] != '\n')
					off++;
			} else if (off < len)
				off++;
			continue;
		}
		if (c < 0x80) {
			if (c == '\n' || c == '\t')
				buf_addc(b, oneline ? ' ' : c);
			else if (c >= 0x20 && c != 0x7f)
				buf_addc(b, c);
			off++;
			continue;
		}
		n = utf8proc_iterate((const utf8proc_uint8_t *)s + off,
		    (utf8proc_ssize_t)(len - off > 4 ? 4 : len - off), &cp);
		if (n <= 0) {
			buf_addstr(b, "\xef\xbf\xbd");
			off++;
			continue;
		}
		off += (size_t)n;
		if (cp < 0xa0 || (cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 ||
		    cp == 0x2029)
			continue;	/* C1 controls, bidi controls */
		buf_add(b, s + off - (size_t)n, (size_t)n);
	}
}

static char *
sanitized(const char *s, bool oneline)
{
	struct buf	b;

	buf_init(&b, BUF_NO_LIMIT);
	buf_addstr(&b, "");
	if (s != NULL)
		sanitize_into(&b, s, strlen(s), oneline);
	return (buf_take(&b, NULL));
}

/* Display width of one code point as terminals draw it. */
static int
cp_width(utf8proc_int32_t cp)
{
	int	w;

	if (cp == 0xe000 || cp == 0xe001)
		return (0);	/* our marks */
	w = utf8proc_charwidth(cp);
	return (w < 0 ? 0 : w);
}

static size_t
text_width(const char *s)
{
	utf8proc_int32_t	cp;
	utf8proc_ssize_t	n;
	size_t			w = 0, len = strlen(s), off = 0;

	while (off < len) {
		n = utf8proc_iterate((const utf8proc_uint8_t *)s + off,
		    (utf8proc_ssize_t)(len - off), &cp);
		if (n <= 0) {
			off++;
			w++;
			continue;
		}
		w += (size_t)cp_width(cp);
		off += (size_t)n;
	}
	return (w);
}

/*
 * Append sanitized text s fitted to width columns: cut with "…" when
 * longer, padded with spaces to width when pad.
 */
static void
add_fitted(struct buf *b, const char *s, size_t width, bool pad)
{
	utf8proc_int32_t	cp;
	utf8proc_ssize_t	n;
	size_t			w = 0, len = strlen(s), off = 0, cw;

	if (text_width(s) <= width) {
		buf_addstr(b, s);
		w = text_width(s);
	} else if (width > 0) {
		while (off < len) {
			n = utf8proc_iterate((const utf8proc_uint8_t *)s + off,
			    (utf8proc_ssize_t)(len - off), &cp);
			if (n <= 0)
				break;
			cw = (size_t)cp_width(cp);
			if (w + cw > width - 1)
				break;
			buf_add(b, s + off, (size_t)n);
			w += cw;
			off += (size_t)n;
		}
		buf_addstr(b, "…");
		w++;
	}
	while (pad && w < width) {
		buf_addc(b, ' ');
		w++;
	}
}

/* Replace the search marks of sanitized text for the output at hand. */
static char *
marks_replace(const char *s, bool bold)
{
	struct buf	 b;
	const char	*p;

	buf_init(&b, BUF_NO_LIMIT);
	buf_addstr(&b, "");
	for (p = s; *p != '\0'; p++) {
		if (strncmp(p, MARK_OPEN, 3) == 0) {
			buf_addstr(&b, bold ? "\033[1m" : "[");
			p += 2;
		} else if (strncmp(p, MARK_CLOSE, 3) == 0) {
			buf_addstr(&b, bold ? "\033[0m" : "]");
			p += 2;
		} else
			buf_addc(&b, *p);
	}
	return (buf_take(&b, NULL));
}

static void
print_buf(struct buf *b)
{
	if (b->len > 0)
		fwrite(b->data, 1, b->len, stdout);
	buf_reset(b);
}

/* ---------------------------------------------------------------- */
/* Shared plumbing. */

static void
usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void
usage_error(const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	fprintf(stderr, "tolk: %s\n", msg);
	free(msg);
}

/* An option getopt_long did not accept (opterr is off: one line only). */
static void
bad_option(char **argv, const char *usage)
{
	usage_error("%s: unknown option or missing value '%s'; %s", argv[0],
	    argv[optind - 1], usage);
}

/* Open the store; on failure print the cause and give the exit status. */
static struct store *
open_store(int *status)
{
	struct store	*st;
	char		*cause = NULL;

	if ((st = store_open(NULL, 0, &cause)) == NULL) {
		fprintf(stderr, "tolk: %s\n", cause);
		*status = strstr(cause, "not a usable") != NULL ? EXIT_USAGE :
		    EXIT_FAIL;
		free(cause);
	}
	return (st);
}

static int
fail(char *cause)
{
	fprintf(stderr, "tolk: %s\n", cause);
	free(cause);
	return (EXIT_FAIL);
}

static int
parse_id(const char *s, int64_t *id)
{
	char		*end;
	long long	 v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v <= 0)
		return (-1);
	*id = v;
	return (0);
}

static int
parse_count(const char *s, size_t *n)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v <= 0 || v > INT_MAX)
		return (-1);
	*n = (size_t)v;
	return (0);
}

/* A --lang value: a code the language identifier knows, as stored. */
static int
parse_lang(const char *cmd, const char *s)
{
	if (langid_known(s))
		return (0);
	usage_error("%s: unknown language '%s' (want an ISO 639-1 code "
	    "that tolk lang detects, like sl)", cmd, s);
	return (-1);
}

static void
print_json(cJSON *o)
{
	char	*text = cJSON_Print(o);

	if (text != NULL) {
		fputs(text, stdout);
		fputc('\n', stdout);
	}
	cJSON_free(text);
	cJSON_Delete(o);
}

static void
json_time(cJSON *o, const char *key, int64_t t)
{
	char	buf[64];

	store_time_iso(t, buf, sizeof buf);
	cJSON_AddStringToObject(o, key, buf);
}

/* The plumbing above, for cmd_annotate.c (tui/commands.h). */
char *
cmd_sanitized(const char *s, bool oneline)
{
	return (sanitized(s, oneline));
}

size_t
cmd_text_width(const char *s)
{
	return (text_width(s));
}

void
cmd_add_fitted(struct buf *b, const char *s, size_t width, bool pad)
{
	add_fitted(b, s, width, pad);
}

int
cmd_term_width(void)
{
	return (term_width());
}

void
cmd_usage_error(const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	usage_error("%s", msg);
	free(msg);
}

void
cmd_bad_option(char **argv, const char *usage)
{
	bad_option(argv, usage);
}

struct store *
cmd_open_store(int *status)
{
	return (open_store(status));
}

int
cmd_fail(char *cause)
{
	return (fail(cause));
}

int
cmd_parse_id(const char *s, int64_t *id)
{
	return (parse_id(s, id));
}

int
cmd_parse_lang(const char *cmd, const char *s)
{
	return (parse_lang(cmd, s));
}

void
cmd_print_json(cJSON *o)
{
	print_json(o);
}

void
cmd_json_time(cJSON *o, const char *key, int64_t t)
{
	json_time(o, key, t);
}

/*
 * --rated, --rating N, --tag T of log and search: 1 when ch was one of
 * them, -1 after a usage error, 0 when it is another option.
 */
static int
filter_option(const char *cmd, int ch, struct annotation_filter *f)
{
	char	*cause = NULL;

	switch (ch) {
	case 'R':
		f->rated = true;
		return (1);
	case 'N':
		if (cmd_parse_rating(optarg, &f->rating) != 0) {
			usage_error("%s: --rating wants +1, -1 or 0, not '%s'",
			    cmd, optarg);
			return (-1);
		}
		return (1);
	case 'T':
		if (annotation_tag_check(optarg, &cause) != 0) {
			usage_error("%s: %s", cmd, cause);
			free(cause);
			return (-1);
		}
		f->tag = optarg;
		return (1);
	}
	return (0);
}

#define FILTER_OPTIONS \
		{ "rated", no_argument, NULL, 'R' }, \
		{ "rating", required_argument, NULL, 'N' }, \
		{ "tag", required_argument, NULL, 'T' }
#define FILTER_USAGE "[--rated] [--rating N] [--tag T]"

/* ---------------------------------------------------------------- */
/* tolk log */

int
cmd_log(int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "lang", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		FILTER_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	struct store			*st;
	struct annotation_filter	 f;
	struct conversation_info	*c;
	const char			*lang = NULL;
	struct buf			 b;
	cJSON				*a, *o;
	char				*cause = NULL, *s;
	char				 when[64], num[32];
	size_t				 n, i, limit = 20, mw = 5, idw = 2;
	size_t				 w;
	size_t				 width;
	bool				 json = false;
	int				 ch, status = EXIT_OK;

	annotation_filter_init(&f);
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "n:h", longopts, NULL)) != -1) {
		switch (filter_option("log", ch, &f)) {
		case 1:
			continue;
		case -1:
			return (EXIT_USAGE);
		}
		switch (ch) {
		case 'n':
			if (parse_count(optarg, &limit) != 0) {
				usage_error("log: -n wants a positive number, "
				    "not '%s'", optarg);
				return (EXIT_USAGE);
			}
			break;
		case 'j':
			json = true;
			break;
		case 'l':
			if (parse_lang("log", optarg) != 0)
				return (EXIT_USAGE);
			lang = optarg;
			break;
		case 'h':
			printf("usage: tolk log [-n N] [--lang L] "
			    FILTER_USAGE " [--json]\n");
			return (EXIT_OK);
		default:
			bad_option(argv, "usage: tolk log [-n N] [--lang L] "
			    FILTER_USAGE " [--json]");
			return (EXIT_USAGE);
		}
	}
	if (optind != argc) {
		usage_error("log: unexpected argument '%s'", argv[optind]);
		return (EXIT_USAGE);
	}
	if ((st = open_store(&status)) == NULL)
		return (status);
	if (store_conversation_list_filter(st, limit, lang, &f, &c, &n,
	    &cause) != 0) {
		store_close(st);
		return (fail(cause));
	}
	if (json) {
		a = cJSON_CreateArray();
		for (i = 0; i < n; i++) {
			o = cJSON_CreateObject();
			cJSON_AddNumberToObject(o, "id", (double)c[i].id);
			json_add_string_or_null(o, "title", c[i].title);
			json_time(o, "created", c[i].created);
			json_time(o, "updated", c[i].updated);
			json_add_string_or_null(o, "models", c[i].models);
			cJSON_AddNumberToObject(o, "message_count",
			    (double)c[i].nmessages);
			json_add_string_or_null(o, "expected_lang",
			    c[i].expected_lang);
			json_add_string_or_null(o, "expected_lang_source",
			    expect_source_name((enum expect_source)
			    c[i].expected_by));
			cJSON_AddItemToArray(a, o);
		}
		print_json(a);
		goto out;
	}

	width = (size_t)term_width();
	for (i = 0; i < n; i++) {
		snprintf(num, sizeof num, "%lld", (long long)c[i].id);
		if (strlen(num) > idw)
			idw = strlen(num);
		s = sanitized(c[i].models != NULL ? c[i].models : "-", true);
		if ((w = text_width(s)) > mw)
			mw = w;
		free(s);
	}
	if (mw > 28)
		mw = 28;
	buf_init(&b, BUF_NO_LIMIT);
	for (i = 0; i < n; i++) {
		buf_addf(&b, "%*lld  ", (int)idw, (long long)c[i].id);
		store_time_iso(c[i].updated, when, sizeof when);
		buf_addf(&b, "%s  %4lld  ", when, (long long)c[i].nmessages);
		s = sanitized(c[i].models != NULL ? c[i].models : "-", true);
		add_fitted(&b, s, mw, true);
		free(s);
		buf_addstr(&b, "  ");
		w = idw + 2 + strlen(when) + 2 + 4 + 2 + mw + 2;
		s = sanitized(c[i].title != NULL ? c[i].title : "", true);
		add_fitted(&b, s, width > w + 10 ? width - w : 10, false);
		free(s);
		buf_addc(&b, '\n');
		print_buf(&b);
	}
	buf_release(&b);
out:
	conversation_infos_free(c, n);
	store_close(st);
	return (EXIT_OK);
}

/* ---------------------------------------------------------------- */
/* tolk show */

static void
add_usage_summary(struct buf *b, const struct stored_message *m)
{
	if (m->duration_ms >= 0)
		buf_addf(b, " · %lld ms", (long long)m->duration_ms);
	if (m->usage.input >= 0 || m->usage.output >= 0) {
		buf_addstr(b, " · ");
		if (m->usage.input >= 0)
			buf_addf(b, "%lld", (long long)m->usage.input);
		else
			buf_addc(b, '?');
		buf_addstr(b, " in, ");
		if (m->usage.output >= 0)
			buf_addf(b, "%lld", (long long)m->usage.output);
		else
			buf_addc(b, '?');
		buf_addstr(b, " out");
	}
	if (m->cost >= 0)
		buf_addf(b, " · $%.4f", m->cost);
}

static void
add_model(struct buf *b, const struct stored_message *m)
{
	char	*s;

	if (m->model == NULL)
		return;
	buf_addstr(b, " · ");
	s = sanitized(m->provider != NULL ? m->provider : "", true);
	if (*s != '\0') {
		buf_addstr(b, s);
		buf_addc(b, ':');
	}
	free(s);
	s = sanitized(m->model, true);
	buf_addstr(b, s);
	free(s);
}

static int
show_text(struct store *st, struct buf *b, const struct conversation_info *c,
    const struct stored_message *m, size_t n, char **cause)
{
	char		 t1[64], t2[64], *s;
	size_t		 i, width = (size_t)term_width(), w;
	struct buf	 h;

	store_time_iso(c->created, t1, sizeof t1);
	store_time_iso(c->updated, t2, sizeof t2);
	s = sanitized(c->title != NULL ? c->title : "", true);
	buf_addf(b, "conversation %lld · ", (long long)c->id);
	add_fitted(b, s, width > 30 ? width - 20 : 10, false);
	free(s);
	buf_addf(b, "\ncreated %s · updated %s · %lld messages\n", t1, t2,
	    (long long)c->nmessages);
	if (c->expected_by != EXPECT_NONE) {
		s = expect_describe(c->expected_lang, c->expected_by);
		buf_addf(b, "expected language: %s\n", s);
		free(s);
	}
	if (c->system != NULL) {
		s = sanitized(c->system, false);
		buf_addf(b, "system: %s\n", s);
		free(s);
	}
	buf_init(&h, BUF_NO_LIMIT);
	for (i = 0; i < n; i++) {
		buf_reset(&h);
		store_time_iso(m[i].created, t1, sizeof t1);
		buf_addf(&h, "── #%lld %s", (long long)m[i].id,
		    role_name(m[i].role));
		if (m[i].parent_id > 0 &&
		    (i == 0 || m[i - 1].id != m[i].parent_id))
			buf_addf(&h, " (reply to #%lld)",
			    (long long)m[i].parent_id);
		add_model(&h, &m[i]);
		buf_addf(&h, " · %s ", t1);
		for (w = text_width(h.data); w < width; w++)
			buf_addstr(&h, "─");
		buf_addc(b, '\n');
		add_fitted(b, h.data, width, false);
		buf_addc(b, '\n');
		/* The answer's facts on a line of their own: never cut off. */
		if (m[i].role == ROLE_ASSISTANT || m[i].status != MSG_COMPLETE) {
			buf_reset(&h);
			buf_addstr(&h, msg_status_name(m[i].status));
			if (m[i].role == ROLE_ASSISTANT)
				add_usage_summary(&h, &m[i]);
			if (m[i].finish_reason != NULL) {
				s = sanitized(m[i].finish_reason, true);
				buf_addf(&h, " · finish: %s", s);
				free(s);
			}
			buf_addf(b, "[%s]\n", h.data);
		}
		s = sanitized(m[i].content, false);
		buf_addstr(b, s);
		if (*s != '\0' && s[strlen(s) - 1] != '\n')
			buf_addc(b, '\n');
		free(s);
		if (m[i].error != NULL) {
			s = sanitized(m[i].error, true);
			buf_addf(b, "[error: %s]\n", s);
			free(s);
		}
		if (m[i].role == ROLE_ASSISTANT &&
		    cmd_annotations_text(st, &m[i], b, cause) != 0) {
			buf_release(&h);
			return (-1);
		}
	}
	buf_release(&h);
	return (0);
}

/*
 * The JSON of a conversation (store_conversation_json()) with each
 * answer's annotations added: "annotations": {rating, tags, note, spans,
 * votes}. Caller frees; NULL and *cause when the store fails.
 */
static char *
show_json(struct store *st, const struct conversation_info *c,
    const struct stored_message *m, size_t n, char **cause)
{
	cJSON	*o, *msg;
	char	*text, *out = NULL;
	size_t	 i = 0;

	text = store_conversation_json(c, m, n, false);
	o = cJSON_Parse(text);
	free(text);
	cJSON_ArrayForEach(msg, cJSON_GetObjectItemCaseSensitive(o,
	    "messages")) {
		if (cJSON_GetObjectItemCaseSensitive(msg, "id") == NULL)
			continue;	/* the system prompt */
		if (i < n && m[i].role == ROLE_ASSISTANT &&
		    cmd_annotations_json(st, &m[i], msg, cause) != 0)
			goto out;
		i++;
	}
	text = cJSON_Print(o);
	out = xstrdup(text != NULL ? text : "{}");
	cJSON_free(text);
out:
	cJSON_Delete(o);
	return (out);
}

/* A conversation as Markdown (show --md, export --format md). */
static void
show_markdown(struct buf *b, const struct conversation_info *c,
    const struct stored_message *m, size_t n)
{
	char	 t1[64], t2[64], *s;
	size_t	 i;

	store_time_iso(c->created, t1, sizeof t1);
	store_time_iso(c->updated, t2, sizeof t2);
	s = sanitized(c->title != NULL ? c->title : "(untitled)", true);
	buf_addf(b, "# %s\n\n", s);
	free(s);
	buf_addf(b, "*Conversation %lld, created %s, updated %s.*\n\n",
	    (long long)c->id, t1, t2);
	if (c->system != NULL) {
		s = sanitized(c->system, false);
		buf_addf(b, "## System\n\n%s\n\n", s);
		free(s);
	}
	for (i = 0; i < n; i++) {
		store_time_iso(m[i].created, t1, sizeof t1);
		buf_addf(b, "## %s", m[i].role == ROLE_USER ? "User" :
		    m[i].role == ROLE_ASSISTANT ? "Assistant" : "System");
		add_model(b, &m[i]);
		if (m[i].status != MSG_COMPLETE)
			buf_addf(b, " · %s", msg_status_name(m[i].status));
		buf_addf(b, "\n\n*#%lld, %s", (long long)m[i].id, t1);
		if (m[i].role == ROLE_ASSISTANT)
			add_usage_summary(b, &m[i]);
		buf_addstr(b, "*\n\n");
		s = sanitized(m[i].content, false);
		buf_addstr(b, s);
		free(s);
		buf_addstr(b, "\n\n");
	}
}

int
cmd_show(int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "md", no_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct store			*st;
	struct conversation_info	 c;
	struct stored_message		*m;
	struct buf			 b;
	char				*cause = NULL, *text;
	size_t				 n;
	int64_t				 id;
	int				 ch, status = EXIT_OK, format = 0;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'j':
		case 'm':
			format = ch;
			break;
		case 'h':
			printf("usage: tolk show ID [--md | --json]\n");
			return (EXIT_OK);
		default:
			bad_option(argv,
			    "usage: tolk show ID [--md | --json]");
			return (EXIT_USAGE);
		}
	}
	if (argc - optind != 1) {
		usage_error("usage: tolk show ID [--md | --json]");
		return (EXIT_USAGE);
	}
	if (parse_id(argv[optind], &id) != 0) {
		usage_error("show: '%s' is not a conversation id",
		    argv[optind]);
		return (EXIT_USAGE);
	}
	if ((st = open_store(&status)) == NULL)
		return (status);
	if (store_conversation_get(st, id, &c, &m, &n, &cause) != 0) {
		store_close(st);
		return (fail(cause));
	}
	if (format == 'j') {
		if ((text = show_json(st, &c, m, n, &cause)) != NULL)
			printf("%s\n", text);
		free(text);
	} else {
		buf_init(&b, BUF_NO_LIMIT);
		if (format == 'm')
			show_markdown(&b, &c, m, n);
		else if (show_text(st, &b, &c, m, n, &cause) != 0)
			buf_reset(&b);
		print_buf(&b);
		buf_release(&b);
	}
	stored_messages_free(m, n);
	conversation_info_release(&c);
	store_close(st);
	return (cause != NULL ? fail(cause) : EXIT_OK);
}

/* ---------------------------------------------------------------- */
/* tolk search */

int
cmd_search(int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "model", required_argument, NULL, 'm' },
		{ "lang", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		FILTER_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	struct store		*st;
	struct annotation_filter f;
	struct search_hit	*h;
	struct buf		 b, q;
	cJSON			*a = NULL, *o;
	char			*cause = NULL, *s, *r, when[64];
	const char		*model = NULL, *lang = NULL;
	size_t			 n, i, limit = 20, width;
	bool			 json = false, tty;
	int			 ch, status = EXIT_OK;

	annotation_filter_init(&f);
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "n:h", longopts, NULL)) != -1) {
		switch (filter_option("search", ch, &f)) {
		case 1:
			continue;
		case -1:
			return (EXIT_USAGE);
		}
		switch (ch) {
		case 'n':
			if (parse_count(optarg, &limit) != 0) {
				usage_error("search: -n wants a positive "
				    "number, not '%s'", optarg);
				return (EXIT_USAGE);
			}
			break;
		case 'm':
			model = optarg;
			break;
		case 'l':
			if (parse_lang("search", optarg) != 0)
				return (EXIT_USAGE);
			lang = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			printf("usage: tolk search QUERY [-n N] [--model M] "
			    "[--lang L] " FILTER_USAGE " [--json]\n");
			return (EXIT_OK);
		default:
			bad_option(argv, "usage: tolk search QUERY [-n N] "
			    "[--model M] [--lang L] " FILTER_USAGE " [--json]");
			return (EXIT_USAGE);
		}
	}
	if (optind >= argc) {
		usage_error("search: what to search for? usage: tolk search "
		    "QUERY [-n N] [--model M] [--lang L] [--json]");
		return (EXIT_USAGE);
	}
	buf_init(&q, BUF_NO_LIMIT);
	for (i = (size_t)optind; i < (size_t)argc; i++) {
		if (q.len > 0)
			buf_addc(&q, ' ');
		buf_addstr(&q, argv[i]);
	}
	if (q.len == 0 || strspn(q.data, " \t\n") == q.len) {
		buf_release(&q);
		usage_error("search: the query is empty");
		return (EXIT_USAGE);
	}
	if ((st = open_store(&status)) == NULL) {
		buf_release(&q);
		return (status);
	}
	if (store_search_filter(st, q.data, model, lang, &f, limit,
	    MARK_OPEN, MARK_CLOSE, &h, &n, &cause) != 0) {
		buf_release(&q);
		store_close(st);
		return (fail(cause));
	}
	buf_release(&q);
	tty = isatty(STDOUT_FILENO);
	width = (size_t)term_width();
	buf_init(&b, BUF_NO_LIMIT);
	if (json)
		a = cJSON_CreateArray();
	for (i = 0; i < n; i++) {
		s = sanitized(h[i].snippet, true);
		if (json) {
			r = marks_replace(s, false);
			o = cJSON_CreateObject();
			cJSON_AddNumberToObject(o, "conversation_id",
			    (double)h[i].conversation_id);
			cJSON_AddNumberToObject(o, "message_id",
			    (double)h[i].message_id);
			cJSON_AddStringToObject(o, "role",
			    role_name(h[i].role));
			json_add_string_or_null(o, "provider", h[i].provider);
			json_add_string_or_null(o, "model", h[i].model);
			json_time(o, "created", h[i].created);
			cJSON_AddStringToObject(o, "snippet", r);
			cJSON_AddNumberToObject(o, "rank", h[i].rank);
			cJSON_AddItemToArray(a, o);
			free(r);
			free(s);
			continue;
		}
		store_time_iso(h[i].created, when, sizeof when);
		buf_addf(&b, "%lld/%lld  %s  %s",
		    (long long)h[i].conversation_id,
		    (long long)h[i].message_id, when, role_name(h[i].role));
		if (h[i].model != NULL) {
			struct stored_message fake;

			stored_message_init(&fake);
			fake.provider = h[i].provider;
			fake.model = h[i].model;
			add_model(&b, &fake);
		}
		buf_addstr(&b, "\n  ");
		/* Fit the clean text first, then turn marks into styling. */
		{
			struct buf	fit;

			buf_init(&fit, BUF_NO_LIMIT);
			buf_addstr(&fit, "");
			add_fitted(&fit, s, width > 12 ? 2 * (width - 2) : 20,
			    false);
			r = marks_replace(fit.data, tty);
			buf_release(&fit);
		}
		buf_addstr(&b, r);
		buf_addc(&b, '\n');
		free(r);
		free(s);
		print_buf(&b);
	}
	if (json)
		print_json(a);
	else if (n == 0 && isatty(STDERR_FILENO))
		fprintf(stderr, "tolk: nothing found\n");
	buf_release(&b);
	search_hits_free(h, n);
	store_close(st);
	return (EXIT_OK);
}

/* ---------------------------------------------------------------- */
/* tolk export */

int
cmd_export(int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ "output", required_argument, NULL, 'o' },
		{ "annotated", no_argument, NULL, 'a' },
		{ "lang", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct store			*st;
	struct conversation_info	 c;
	struct stored_message		*m;
	struct buf			 b;
	int64_t				*ids = NULL;
	size_t				 nids = 0, i, n;
	char				*cause = NULL, *text;
	const char			*output = NULL, *lang = NULL;
	FILE				*out = stdout;
	bool				 md = false, csv = false;
	bool				 annotated = false;
	int				 ch, status = EXIT_OK, r = EXIT_OK;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "f:o:h", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'f':
			md = csv = false;
			if (strcmp(optarg, "md") == 0)
				md = true;
			else if (strcmp(optarg, "csv") == 0)
				csv = true;
			else if (strcmp(optarg, "jsonl") != 0) {
				usage_error("export: unknown format '%s' "
				    "(md, jsonl or csv)", optarg);
				return (EXIT_USAGE);
			}
			break;
		case 'a':
			annotated = true;
			break;
		case 'l':
			if (parse_lang("export", optarg) != 0)
				return (EXIT_USAGE);
			lang = optarg;
			break;
		case 'j':
			md = csv = false;
			break;
		case 'o':
			output = optarg;
			break;
		case 'h':
			printf("usage: tolk export [ID...] [--format md|jsonl]"
			    " [-o FILE]\n"
			    "       tolk export --annotated [--format jsonl|csv]"
			    " [--lang L] [-o FILE]\n");
			return (EXIT_OK);
		default:
			bad_option(argv, "usage: tolk export [ID...] "
			    "[--format md|jsonl] [-o FILE]");
			return (EXIT_USAGE);
		}
	}
	if (annotated && (md || optind < argc)) {
		usage_error("export: --annotated writes every annotated "
		    "answer as jsonl or csv; it takes no ids and no md");
		return (EXIT_USAGE);
	}
	if (!annotated && (csv || lang != NULL)) {
		usage_error("export: --format csv and --lang go with "
		    "--annotated");
		return (EXIT_USAGE);
	}
	if (optind < argc) {
		nids = (size_t)(argc - optind);
		ids = xcalloc(nids, sizeof *ids);
		for (i = 0; i < nids; i++) {
			if (parse_id(argv[optind + (int)i], &ids[i]) != 0) {
				usage_error("export: '%s' is not a "
				    "conversation id", argv[optind + (int)i]);
				free(ids);
				return (EXIT_USAGE);
			}
		}
	}
	if ((st = open_store(&status)) == NULL) {
		free(ids);
		return (status);
	}
	if (!annotated && ids == NULL && store_conversation_ids(st, &ids,
	    &nids, &cause) != 0) {
		store_close(st);
		return (fail(cause));
	}
	if (output != NULL && (out = fopen(output, "w")) == NULL) {
		fprintf(stderr, "tolk: cannot write '%s': %s\n", output,
		    strerror(errno));
		free(ids);
		store_close(st);
		return (EXIT_FAIL);
	}
	if (annotated && cmd_export_annotated(st, csv, lang, out,
	    &cause) != 0)
		r = fail(cause);
	buf_init(&b, BUF_NO_LIMIT);
	for (i = 0; i < nids; i++) {
		if (store_conversation_get(st, ids[i], &c, &m, &n,
		    &cause) != 0) {
			r = fail(cause);
			break;
		}
		if (md) {
			buf_addstr(&b, "");
			show_markdown(&b, &c, m, n);
			fwrite(b.data, 1, b.len, out);
			buf_reset(&b);
		} else {
			text = store_conversation_json(&c, m, n, false);
			fputs(text, out);
			fputc('\n', out);
			free(text);
		}
		stored_messages_free(m, n);
		conversation_info_release(&c);
	}
	buf_release(&b);
	if (fflush(out) != 0 || ferror(out)) {
		fprintf(stderr, "tolk: cannot write '%s': %s\n",
		    output != NULL ? output : "standard output",
		    strerror(errno));
		r = EXIT_FAIL;
	}
	if (out != stdout)
		fclose(out);
	free(ids);
	store_close(st);
	return (r);
}

/* ---------------------------------------------------------------- */
/* tolk import */

int
cmd_import(int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct store		*st;
	struct import_counts	 n;
	FILE			*f;
	const char		*path;
	char			*cause = NULL;
	bool			 json = false, any_ann;
	int			 ch, status = EXIT_OK, r;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			json = true;
			break;
		case 'h':
			printf("usage: tolk import FILE [--json]\n");
			return (EXIT_OK);
		default:
			bad_option(argv, "usage: tolk import FILE [--json]");
			return (EXIT_USAGE);
		}
	}
	if (argc - optind != 1) {
		usage_error("usage: tolk import FILE [--json]");
		return (EXIT_USAGE);
	}
	path = argv[optind];
	if (strcmp(path, "-") == 0)
		f = stdin;
	else if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "tolk: cannot read '%s': %s\n", path,
		    strerror(errno));
		return (EXIT_USAGE);
	}
	if ((st = open_store(&status)) == NULL) {
		if (f != stdin)
			fclose(f);
		return (status);
	}
	r = store_import_jsonl_counts(st, path, f, &n, &cause);
	if (f != stdin)
		fclose(f);
	store_close(st);
	if (json)
		printf("{\"added\": %zu, \"skipped\": %zu, \"conversations\":"
		    " {\"added\": %zu, \"skipped\": %zu}, \"annotated_answers\":"
		    " {\"added\": %zu, \"skipped\": %zu}}\n",
		    n.conversations + n.annotated,
		    n.conversations_there + n.annotated_there, n.conversations,
		    n.conversations_there, n.annotated, n.annotated_there);
	else {
		/* Each kind of line by its name; conversations when none. */
		any_ann = n.annotated + n.annotated_there > 0;
		if (!any_ann || n.conversations + n.conversations_there > 0)
			printf("%zu conversation%s imported, %zu already "
			    "there%s", n.conversations, n.conversations == 1 ?
			    "" : "s", n.conversations_there, any_ann ? "; " :
			    "\n");
		if (any_ann)
			printf("%zu annotated answer%s imported, %zu already "
			    "there\n", n.annotated, n.annotated == 1 ? "" :
			    "s", n.annotated_there);
	}
	if (r != 0)
		return (fail(cause));
	return (EXIT_OK);
}

/* ---------------------------------------------------------------- */
/* tolk usage */

/* Output tokens per word of the answers, < 0 when unknown. */
static double
tokens_per_word(const struct usage_row *r)
{
	if (r->tpw_words <= 0)
		return (-1);
	return ((double)r->tpw_tokens / (double)r->tpw_words);
}

static void
usage_json_row(cJSON *o, const struct usage_row *r, enum usage_by by)
{
	cJSON_AddNumberToObject(o, "messages", (double)r->messages);
	json_add_count(o, "input", r->input);
	json_add_count(o, "output", r->output);
	json_add_count(o, "cached", r->cached);
	json_add_count(o, "reasoning", r->reasoning);
	if (r->messages > r->cost_unknown)
		cJSON_AddNumberToObject(o, "cost", r->cost);
	else
		cJSON_AddNullToObject(o, "cost");
	cJSON_AddNumberToObject(o, "cost_unknown", (double)r->cost_unknown);
	if (by != USAGE_BY_LANG)
		return;
	if (tokens_per_word(r) < 0)
		cJSON_AddNullToObject(o, "tokens_per_word");
	else
		cJSON_AddNumberToObject(o, "tokens_per_word",
		    tokens_per_word(r));
}

static void
usage_add(int64_t *dst, int64_t v)
{
	if (v < 0)
		return;
	*dst = *dst < 0 ? v : *dst + v;
}

static void
usage_text_row(struct buf *b, const struct usage_row *r, size_t kw,
    enum usage_by by)
{
	char	*s, num[4][32], cost[64];
	int64_t	 v[4] = { r->input, r->output, r->cached, r->reasoning };
	int	 i;

	s = sanitized(r->key, true);
	add_fitted(b, s, kw, true);
	free(s);
	for (i = 0; i < 4; i++) {
		if (v[i] < 0)
			snprintf(num[i], sizeof num[i], "?");
		else
			snprintf(num[i], sizeof num[i], "%lld",
			    (long long)v[i]);
	}
	if (r->messages == r->cost_unknown)
		snprintf(cost, sizeof cost, "?");
	else if (r->cost_unknown > 0)
		snprintf(cost, sizeof cost, "$%.4f+?", r->cost);
	else
		snprintf(cost, sizeof cost, "$%.4f", r->cost);
	buf_addf(b, "  %8lld  %10s  %10s  %10s  %10s  %12s",
	    (long long)r->messages, num[0], num[1], num[2], num[3], cost);
	if (by == USAGE_BY_LANG && tokens_per_word(r) < 0)
		buf_addf(b, "  %11s", "?");
	else if (by == USAGE_BY_LANG)
		buf_addf(b, "  %11.2f", tokens_per_word(r));
	buf_addc(b, '\n');
}

int
cmd_usage(int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "since", required_argument, NULL, 's' },
		{ "today", no_argument, NULL, 't' },
		{ "by", required_argument, NULL, 'b' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct store		*st;
	struct usage_row	*rows, total;
	struct buf		 b;
	enum usage_by		 by = USAGE_BY_NONE;
	cJSON			*o, *a, *t;
	char			*cause = NULL, when[64];
	int64_t			 since = 0;
	size_t			 n, i, kw = 5, w;
	bool			 json = false, today = false;
	int			 ch, status = EXIT_OK;
	struct config		*config = NULL;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			if (store_time_parse(optarg, &since) != 0) {
				usage_error("usage: --since wants a date like "
				    "2026-01-31, not '%s'", optarg);
				return (EXIT_USAGE);
			}
			break;
		case 't':
			today = true;
			break;
		case 'b':
			if (strcmp(optarg, "model") == 0)
				by = USAGE_BY_MODEL;
			else if (strcmp(optarg, "day") == 0)
				by = USAGE_BY_DAY;
			else if (strcmp(optarg, "lang") == 0)
				by = USAGE_BY_LANG;
			else {
				usage_error("usage: --by wants model, day or "
				    "lang, not '%s'", optarg);
				return (EXIT_USAGE);
			}
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			printf("usage: tolk usage [--since DATE | --today] "
			    "[--by model|day|lang] [--json]\n"
			    "  --today  since local midnight, with the spend "
			    "against the budgets\n");
			return (EXIT_OK);
		default:
			bad_option(argv, "usage: tolk usage [--since DATE | "
			    "--today] [--by model|day|lang] [--json]");
			return (EXIT_USAGE);
		}
	}
	if (optind != argc) {
		usage_error("usage: unexpected argument '%s'", argv[optind]);
		return (EXIT_USAGE);
	}
	if (today && since > 0) {
		usage_error("usage: --today and --since exclude each other");
		return (EXIT_USAGE);
	}
	if (today) {
		since = budget_day_start();
		if ((config = config_load(&cause)) == NULL) {
			tolk_warn("%s", cause);
			free(cause);
			return (EXIT_USAGE);
		}
	}
	if ((st = open_store(&status)) == NULL) {
		config_free(config);
		return (status);
	}
	if (store_usage(st, since, by, &rows, &n, &cause) != 0) {
		store_close(st);
		config_free(config);
		return (fail(cause));
	}
	buf_init(&b, BUF_NO_LIMIT);
	memset(&total, 0, sizeof total);
	total.key = (char *)"total";
	total.input = total.output = total.cached = total.reasoning = -1;
	for (i = 0; i < n; i++) {
		total.messages += rows[i].messages;
		usage_add(&total.input, rows[i].input);
		usage_add(&total.output, rows[i].output);
		usage_add(&total.cached, rows[i].cached);
		usage_add(&total.reasoning, rows[i].reasoning);
		total.cost += rows[i].cost;
		total.cost_unknown += rows[i].cost_unknown;
		total.tpw_tokens += rows[i].tpw_tokens;
		total.tpw_words += rows[i].tpw_words;
	}
	if (json) {
		o = cJSON_CreateObject();
		if (since > 0)
			json_time(o, "since", since);
		else
			cJSON_AddNullToObject(o, "since");
		cJSON_AddStringToObject(o, "by", by == USAGE_BY_MODEL ?
		    "model" : by == USAGE_BY_DAY ? "day" :
		    by == USAGE_BY_LANG ? "lang" : "total");
		a = cJSON_AddArrayToObject(o, "rows");
		for (i = 0; by != USAGE_BY_NONE && i < n; i++) {
			t = cJSON_CreateObject();
			cJSON_AddStringToObject(t, "key", rows[i].key);
			usage_json_row(t, &rows[i], by);
			cJSON_AddItemToArray(a, t);
		}
		t = cJSON_AddObjectToObject(o, "total");
		usage_json_row(t, &total, by);
		if (today && budget_report(config, st, &b, o, &cause) != 0) {
			status = fail(cause);
			cJSON_Delete(o);
		} else
			print_json(o);
	} else {
		for (i = 0; i < n; i++)
			if ((w = text_width(rows[i].key)) > kw)
				kw = w;
		if (kw > 40)
			kw = 40;
		add_fitted(&b, by == USAGE_BY_MODEL ? "MODEL" :
		    by == USAGE_BY_DAY ? "DAY" : by == USAGE_BY_LANG ?
		    "LANG" : "", kw, true);
		buf_addf(&b, "  %8s  %10s  %10s  %10s  %10s  %12s",
		    "ANSWERS", "INPUT", "OUTPUT", "CACHED", "REASONING",
		    "COST");
		buf_addstr(&b, by == USAGE_BY_LANG ? "  TOKENS/WORD\n" :
		    "\n");
		for (i = 0; by != USAGE_BY_NONE && i < n; i++)
			usage_text_row(&b, &rows[i], kw, by);
		usage_text_row(&b, &total, kw, by);
		if (since > 0) {
			store_time_iso(since, when, sizeof when);
			buf_addf(&b, "since %s\n", when);
		}
		if (today && budget_report(config, st, &b, NULL, &cause) != 0)
			status = fail(cause);
		else
			print_buf(&b);
	}
	buf_release(&b);
	usage_rows_free(rows, n);
	store_close(st);
	config_free(config);
	return (status);
}

/* ---------------------------------------------------------------- */
/* tolk rm */

/* Ask on the terminal; true for yes. */
static bool
confirm(const char *question)
{
	char	line[64];
	FILE	*tty;
	bool	 yes = false;

	if ((tty = fopen("/dev/tty", "r+")) == NULL)
		return (false);
	fprintf(tty, "%s [y/N] ", question);
	fflush(tty);
	if (fgets(line, sizeof line, tty) != NULL)
		yes = line[0] == 'y' || line[0] == 'Y';
	fclose(tty);
	return (yes);
}

int
cmd_rm(int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "yes", no_argument, NULL, 'y' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct store			*st;
	struct conversation_info	 c;
	struct stored_message		*m;
	cJSON				*a = NULL;
	char				*cause = NULL, *q, *s;
	int64_t				 id;
	size_t				 n;
	bool				 yes = false, json = false;
	int				 ch, i, status = EXIT_OK;
	int				 r = EXIT_OK;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "yh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'y':
			yes = true;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			printf("usage: tolk rm ID... [--yes] [--json]\n");
			return (EXIT_OK);
		default:
			bad_option(argv,
			    "usage: tolk rm ID... [--yes] [--json]");
			return (EXIT_USAGE);
		}
	}
	if (optind >= argc) {
		usage_error("usage: tolk rm ID... [--yes] [--json]");
		return (EXIT_USAGE);
	}
	for (i = optind; i < argc; i++) {
		if (parse_id(argv[i], &id) != 0) {
			usage_error("rm: '%s' is not a conversation id",
			    argv[i]);
			return (EXIT_USAGE);
		}
	}
	if (!yes && !isatty(STDIN_FILENO)) {
		usage_error("rm: not asking without a terminal; add --yes");
		return (EXIT_USAGE);
	}
	if ((st = open_store(&status)) == NULL)
		return (status);
	if (json)
		a = cJSON_CreateArray();
	for (i = optind; i < argc; i++) {
		parse_id(argv[i], &id);
		if (store_conversation_get(st, id, &c, &m, &n, &cause) != 0) {
			r = fail(cause);
			continue;
		}
		stored_messages_free(m, n);
		if (!yes) {
			struct buf	t;

			buf_init(&t, BUF_NO_LIMIT);
			buf_addstr(&t, "");
			s = sanitized(c.title != NULL ? c.title : "", true);
			add_fitted(&t, s, 50, false);
			free(s);
			q = xasprintf("remove conversation %lld (%lld "
			    "messages) \"%s\"?", (long long)id,
			    (long long)c.nmessages, t.data);
			buf_release(&t);
			if (!confirm(q)) {
				free(q);
				conversation_info_release(&c);
				continue;
			}
			free(q);
		}
		conversation_info_release(&c);
		if (store_conversation_remove(st, id, &cause) != 0) {
			r = fail(cause);
			continue;
		}
		if (a != NULL)
			cJSON_AddItemToArray(a, cJSON_CreateNumber((double)id));
		else
			printf("removed conversation %lld\n", (long long)id);
	}
	if (a != NULL) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddItemToObject(o, "removed", a);
		print_json(o);
	}
	store_close(st);
	return (r);
}
