/*
 * tui/tui_commands.c - the /commands typed in the editor, their Tab
 * completion, and what they do: /model, /system, /new, /retry, /title,
 * /export, /copy, /history, /help, /quit, /compare, /sample, /lang,
 * /inspect.
 *
 * /copy puts text on the clipboard with OSC 52 when the terminal takes it
 * (tmux, xterm and the terminals that say so in terminfo's Ms), else into
 * a file it names: either way the bytes are the source text of the answer
 * or code block, never what is drawn.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NCURSES_WIDECHAR 1
#include <curses.h>

#include "tui/tui.h"

/* Each command: the text after its name (blanks skipped) is arg. */
static void	cmd_model(struct tui *, const char *);
static void	cmd_system(struct tui *, const char *);
static void	cmd_new(struct tui *, const char *);
static void	cmd_retry(struct tui *, const char *);
static void	cmd_title(struct tui *, const char *);
static void	cmd_export(struct tui *, const char *);
static void	cmd_copy(struct tui *, const char *);
static void	cmd_history(struct tui *, const char *);
static void	cmd_help(struct tui *, const char *);
static void	cmd_quit(struct tui *, const char *);
static void	cmd_compare(struct tui *, const char *);
static void	cmd_sample(struct tui *, const char *);
static void	cmd_edit(struct tui *, const char *);
static void	cmd_lang(struct tui *, const char *);
static void	cmd_inspect(struct tui *, const char *);
static void	cmd_blind(struct tui *, const char *);

static const struct {
	const char	*name;
	const char	*args;
	const char	*help;
	void		(*run)(struct tui *, const char *arg);
} commands[] = {
	{ "model", "[PROVIDER:MODEL]", "pick the model (a list without "
	    "argument)",
	    cmd_model },
	{ "system", "[TEXT]", "set the system prompt (none: show it)",
	    cmd_system },
	{ "new", "", "start a new conversation",
	    cmd_new },
	{ "retry", "", "ask again: a new sibling answer (Left/Right switch)",
	    cmd_retry },
	{ "title", "TEXT", "name this conversation",
	    cmd_title },
	{ "export", "[FILE]", "write the conversation as JSON",
	    cmd_export },
	{ "copy", "[N]", "copy the last answer, or its Nth code block",
	    cmd_copy },
	{ "history", "", "browse and search conversations (C-o)",
	    cmd_history },
	{ "help", "", "keys and commands (F1)",
	    cmd_help },
	{ "quit", "", "leave tolk (the draft is kept)",
	    cmd_quit },
	{ "compare", "M1,M2[,M3,M4]", "send the next prompts to these "
	    "models, side by side (off: one model)",
	    cmd_compare },
	{ "sample", "K", "ask the model K times (2 to 4), side by side "
	    "(off: once)",
	    cmd_sample },
	{ "edit", "", "edit the last prompt into a new branch (e on a "
	    "chosen prompt: that one)",
	    cmd_edit },
	{ "lang", "[CODE|off]", "the language answers are expected in "
	    "(none: show it)",
	    cmd_lang },
	{ "inspect", "", "the last answer's languages, flagged words and "
	    "hidden characters",
	    cmd_inspect },
	{ "blind", "", "vote blind on the last answers side by side: names "
	    "hidden, columns shuffled",
	    cmd_blind },
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])


/* Help lines for the commands (used by the help screen). */
size_t
commands_help(char ***linesp)
{
	char	**lines;
	size_t	  i;

	lines = xcalloc(NCOMMANDS, sizeof *lines);
	for (i = 0; i < NCOMMANDS; i++)
		lines[i] = xasprintf("/%s %-18s %s", commands[i].name,
		    commands[i].args, commands[i].help);
	*linesp = lines;
	return NCOMMANDS;
}

void
tui_complete(struct tui *t)
{
	const char	*text;
	size_t		 len, i, n = 0, match = 0;
	char		*s;

	text = editor_text(t->ed, &len);
	if (len < 1 || text[0] != '/' || memchr(text, ' ', len) != NULL ||
	    editor_cursor(t->ed) != len) {
		editor_insert(t->ed, "\t", 1);
		return;
	}
	for (i = 0; i < NCOMMANDS; i++) {
		if (strncmp(commands[i].name, text + 1, len - 1) == 0) {
			match = i;
			n++;
		}
	}
	if (n == 1) {
		s = xasprintf("/%s ", commands[match].name);
		editor_set_text(t->ed, s, strlen(s));
		free(s);
	} else if (n > 1) {
		struct buf b;

		buf_init(&b, BUF_NO_LIMIT);
		for (i = 0; i < NCOMMANDS; i++)
			if (strncmp(commands[i].name, text + 1, len - 1) == 0)
				buf_addf(&b, " /%s", commands[i].name);
		tui_note(t, "%s", b.data);
		buf_release(&b);
	}
}

/* ------------------------------------------------------------------ */

static const char *
last_source(struct tui *t, size_t *lenp)
{
	struct item	*it = transcript_last_answer(t->tr);

	if (it == NULL || it->nv == 0)
		return NULL;
	return md_source(it->v[it->cur].md, lenp);
}

/*
 * The text of the nth (1-based) fenced code block of src, without its
 * fences; NULL when there is none.
 */
static char *
code_block(const char *src, size_t len, long nth, size_t *outlen)
{
	size_t	 p = 0, e, body = 0, flen = 0;
	long	 seen = 0;
	bool	 in = false;
	char	 fc = 0;

	while (p < len) {
		size_t	 q, ind = 0, run = 0;

		e = p;
		while (e < len && src[e] != '\n')
			e++;
		q = p;
		while (q < e && src[q] == ' ' && ind < 3) {
			q++;
			ind++;
		}
		while (q + run < e && (src[q + run] == '`' ||
		    src[q + run] == '~') && src[q + run] == src[q])
			run++;
		if (!in && run >= 3) {
			in = true;
			fc = src[q];
			flen = run;
			body = e < len ? e + 1 : e;
			seen++;
		} else if (in && run >= flen && src[q] == fc) {
			size_t	k = q + run;

			while (k < e && (src[k] == ' ' || src[k] == '\t'))
				k++;
			if (k == e) {
				in = false;
				if (seen == nth) {
					*outlen = p - body;
					return xstrndup(src + body, p - body);
				}
			}
		}
		p = e < len ? e + 1 : e;
	}
	if (in && seen == nth) {
		*outlen = len - body;
		return xstrndup(src + body, len - body);
	}
	return NULL;
}

static void
base64(struct buf *b, const unsigned char *s, size_t len)
{
	static const char	tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t			i;
	uint32_t		v;

	for (i = 0; i + 2 < len; i += 3) {
		v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];
		buf_addc(b, tab[v >> 18 & 63]);
		buf_addc(b, tab[v >> 12 & 63]);
		buf_addc(b, tab[v >> 6 & 63]);
		buf_addc(b, tab[v & 63]);
	}
	if (len - i == 1) {
		v = (uint32_t)s[i] << 16;
		buf_addf(b, "%c%c==", tab[v >> 18 & 63], tab[v >> 12 & 63]);
	} else if (len - i == 2) {
		v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8;
		buf_addf(b, "%c%c%c=", tab[v >> 18 & 63], tab[v >> 12 & 63],
		    tab[v >> 6 & 63]);
	}
}

/* Whether the terminal takes OSC 52 (Ms in terminfo, tmux, xterm-likes). */
static bool
osc52_works(void)
{
	const char	*term = getenv("TERM"), *off;
	char		 ms[] = "Ms";
	char		*cap;

	off = getenv("TOLK_NO_OSC52");
	if (off != NULL && *off != '\0')
		return false;
	cap = tigetstr(ms);
	if (cap != NULL && cap != (char *)-1)
		return true;
	if (getenv("TMUX") != NULL)
		return true;
	return term != NULL && (strncmp(term, "xterm", 5) == 0 ||
	    strncmp(term, "tmux", 4) == 0 || strncmp(term, "foot", 4) == 0 ||
	    strncmp(term, "alacritty", 9) == 0 ||
	    strncmp(term, "wezterm", 7) == 0 ||
	    strcmp(term, "xterm-kitty") == 0);
}

static char *
write_temp(const char *what, const char *s, size_t len, char **cause)
{
	const char	*tmp = getenv("TMPDIR");
	char		*path;
	int		 fd;
	ssize_t		 w;

	path = xasprintf("%s/tolk-%s-XXXXXX.txt", tmp != NULL && *tmp != '\0'
	    ? tmp : "/tmp", what);
	if ((fd = mkstemps(path, 4)) < 0) {
		*cause = xasprintf("cannot create '%s': %s", path,
		    strerror(errno));
		free(path);
		return NULL;
	}
	w = write(fd, s, len);
	close(fd);
	if (w != (ssize_t)len) {
		*cause = xasprintf("cannot write '%s'", path);
		free(path);
		return NULL;
	}
	return path;
}

#define OSC52_MAX (100u * 1024)

void
tui_copy_text(struct tui *t, const char *src, size_t len, const char *what)
{
	char		*path, *cause = NULL;
	struct buf	 b;

	if (osc52_works() && len <= OSC52_MAX) {
		buf_init(&b, BUF_NO_LIMIT);
		buf_addstr(&b, "\033]52;c;");
		base64(&b, (const unsigned char *)src, len);
		buf_addstr(&b, "\a");
		screen_raw(b.data, b.len);
		buf_release(&b);
		tui_note(t, "copied %s (%zu bytes) to the clipboard", what,
		    len);
	} else if ((path = write_temp("copy", src, len, &cause)) != NULL) {
		tui_note(t, "the terminal takes no clipboard: saved to '%s'",
		    path);
		free(path);
	} else {
		tui_note(t, "%s", cause);
		free(cause);
	}
}

static void
cmd_copy(struct tui *t, const char *arg)
{
	const char	*src;
	char		*block = NULL, *end;
	size_t		 len, blen = 0;
	long		 nth = 0;

	if ((src = last_source(t, &len)) == NULL) {
		tui_note(t, "there is no answer to copy");
		return;
	}
	if (*arg != '\0') {
		nth = strtol(arg, &end, 10);
		if (end == arg || *end != '\0' || nth < 1) {
			tui_note(t, "/copy takes the number of a code block, "
			    "not '%s'", arg);
			return;
		}
		if ((block = code_block(src, len, nth, &blen)) == NULL) {
			tui_note(t, "the last answer has no code block %ld",
			    nth);
			return;
		}
		src = block;
		len = blen;
	}
	tui_copy_text(t, src, len, nth > 0 ? "the code block" : "the answer");
	free(block);
}

static void
cmd_export(struct tui *t, const char *arg)
{
	struct conversation_info	 info;
	struct stored_message		*msgs = NULL;
	size_t				 n = 0, len;
	char				*cause = NULL, *json, *path;
	int64_t				 id = session_conversation(t->session);
	FILE				*f;

	if (t->store == NULL || id == 0) {
		tui_note(t, "nothing is stored yet to export");
		return;
	}
	memset(&info, 0, sizeof info);
	if (store_conversation_get(t->store, id, &info, &msgs, &n, &cause) !=
	    0) {
		tui_note(t, "%s", cause);
		free(cause);
		return;
	}
	json = store_conversation_json(&info, msgs, n, true);
	path = *arg != '\0' ? xstrdup(arg) : xasprintf("tolk-%lld.json",
	    (long long)id);
	len = strlen(json);
	if ((f = fopen(path, "w")) == NULL || fwrite(json, 1, len, f) != len ||
	    fputc('\n', f) == EOF)
		tui_note(t, "cannot write '%s': %s", path, strerror(errno));
	else
		tui_note(t, "wrote the conversation to '%s'", path);
	if (f != NULL)
		fclose(f);
	free(path);
	free(json);
	stored_messages_free(msgs, n);
	conversation_info_release(&info);
}

/* /compare M1,M2[,...] and /sample K: the models of the next prompts. */
static void
cmd_compare(struct tui *t, const char *arg)
{
	const struct provider	*p;
	char			*list[4], *model = NULL, *cause = NULL;
	const char		*s, *comma;
	size_t			 n = 0, i;

	if (*arg == '\0' || strcmp(arg, "off") == 0) {
		tui_set_fan(t, NULL, 0);
		tui_note(t, "prompts go to %s alone", t->model);
		return;
	}
	for (s = arg;; s = comma + 1) {
		comma = strchr(s, ',');
		if (comma == NULL)
			comma = s + strlen(s);
		if (n == 4 || comma == s) {
			tui_note(t, "/compare takes 2 to 4 models separated "
			    "by commas");
			goto out;
		}
		list[n] = xstrndup(s, (size_t)(comma - s));
		if (config_resolve_model(t->config, list[n], &p, &model,
		    &cause) != 0) {
			tui_note(t, "%s", cause);
			free(cause);
			free(list[n]);
			goto out;
		}
		free(list[n]);
		list[n++] = xasprintf("%s:%s", p->name, model);
		free(model);
		if (*comma == '\0')
			break;
	}
	if (n < 2) {
		tui_note(t, "/compare takes 2 to 4 models separated by commas");
		goto out;
	}
	tui_set_fan(t, (const char *const *)list, n);
	tui_note(t, "the next prompts go to %zu models side by side", n);
out:
	for (i = 0; i < n; i++)
		free(list[i]);
}

void
tui_set_samples(struct tui *t, size_t k)
{
	const char	*list[4];
	size_t		 i;

	for (i = 0; i < k && i < 4; i++)
		list[i] = t->model;
	tui_set_fan(t, list, k);
}

static void
cmd_sample(struct tui *t, const char *arg)
{
	char	*end;
	long	 k;

	if (*arg == '\0' || strcmp(arg, "off") == 0 || strcmp(arg, "1") == 0) {
		tui_set_fan(t, NULL, 0);
		tui_note(t, "prompts go to %s once", t->model);
		return;
	}
	k = strtol(arg, &end, 10);
	if (end == arg || *end != '\0' || k < 2 || k > 4) {
		tui_note(t, "/sample takes a number from 2 to 4");
		return;
	}
	tui_set_samples(t, (size_t)k);
	tui_note(t, "the next prompts go to %s %ld times side by side",
	    t->model, k);
}

static void
cmd_model(struct tui *t, const char *arg)
{
	const struct provider	*p;
	char			*model = NULL, *cause = NULL;

	if (*arg == '\0') {
		menu_open_models(t);
		return;
	}
	if (config_resolve_model(t->config, arg, &p, &model, &cause) != 0) {
		tui_note(t, "%s", cause);
		free(cause);
		return;
	}
	free(t->model);
	t->model = xasprintf("%s:%s", p->name, model);
	free(model);
	tui_note(t, "the model is now %s%s", t->model, !p->key_optional &&
	    !provider_has_key(p) ? " (no key is set for it)" : "");
}

static void
cmd_system(struct tui *t, const char *arg)
{
	if (*arg == '\0') {
		tui_note(t, "system prompt: %s", t->system != NULL ?
		    t->system : "(none)");
		return;
	}
	free(t->system);
	t->system = xstrdup(arg);
	tui_note(t, "the system prompt is set for the next prompts");
}

static void
cmd_new(struct tui *t, const char *arg)
{
	(void)arg;
	if (session_busy(t->session))
		session_cancel(t->session);
	tui_new_conversation(t);
	tui_note(t, "a new conversation");
}

static void
cmd_retry(struct tui *t, const char *arg)
{
	(void)arg;
	tui_retry(t);
}

static void
cmd_title(struct tui *t, const char *arg)
{
	char	*cause = NULL;

	if (*arg == '\0') {
		tui_note(t, "/title needs a title");
		return;
	}
	free(t->title);
	t->title = xstrdup(arg);
	if (session_set_title(t->session, arg, &cause) != 0) {
		tui_note(t, "%s", cause);
		free(cause);
	} else if (session_conversation(t->session) == 0)
		tui_note(t, "the conversation is named when its first "
		    "prompt is sent");
	else
		tui_note(t, "the conversation is renamed");
}

static void
cmd_history(struct tui *t, const char *arg)
{
	(void)arg;
	menu_open_history(t);
}

static void
cmd_help(struct tui *t, const char *arg)
{
	(void)arg;
	t->mode = MODE_HELP;
	t->help_top = 0;
}

static void
cmd_quit(struct tui *t, const char *arg)
{
	(void)arg;
	t->quit = true;
}

static void
cmd_edit(struct tui *t, const char *arg)
{
	(void)arg;
	tui_edit_last_prompt(t);
}

static void
cmd_lang(struct tui *t, const char *arg)
{
	tui_lang_command(t, arg);
}

static void
cmd_inspect(struct tui *t, const char *arg)
{
	size_t	i;

	(void)arg;
	for (i = transcript_count(t->tr); i-- > 0;)
		if (transcript_item(t->tr, i)->kind == ITEM_ASSISTANT)
			break;
	tui_inspect(t, transcript_last_answer(t->tr), i);
}

static void
cmd_blind(struct tui *t, const char *arg)
{
	(void)arg;
	(void)tui_blind_open(t, NULL);
}

int
tui_command(struct tui *t, const char *line)
{
	char		 name[32];
	const char	*arg;
	size_t		 n, i, found = NCOMMANDS, nfound = 0;

	line++;
	n = strcspn(line, " \t\n");
	if (n >= sizeof name) {
		tui_note(t, "unknown command: F1 lists them");
		return -1;
	}
	memcpy(name, line, n);
	name[n] = '\0';
	arg = line + n;
	while (*arg == ' ' || *arg == '\t' || *arg == '\n')
		arg++;
	/* A unique prefix is the command. */
	for (i = 0; i < NCOMMANDS; i++) {
		if (strcmp(commands[i].name, name) == 0) {
			found = i;
			nfound = 1;
			break;
		}
		if (n > 0 && strncmp(commands[i].name, name, n) == 0) {
			found = i;
			nfound++;
		}
	}
	if (nfound != 1) {
		tui_note(t, "%s command '/%s': F1 lists them", nfound > 1 ?
		    "ambiguous" : "unknown", name);
		return -1;
	}
	commands[found].run(t, arg);
	t->dirty = true;
	return 0;
}
