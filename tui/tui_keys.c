/*
 * tui/tui_keys.c - terminal input to keys, and the one key table.
 *
 * We read the terminal ourselves rather than through curses' getch(): we
 * need bracketed paste (whose text must not be decoded as keys), Alt as an
 * ESC prefix, and an Esc key that does not wait a second. The decoder is a
 * push parser: bytes in, keys out; a sequence cut at the end of a read is
 * held until more bytes come or the caller decides it waited long enough.
 *
 * Every binding lives in one table (defaults below); the [keys] section of
 * the config file overrides single entries ("C-j = send").
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/tui.h"

#define PASTE_MAX (16u * 1024 * 1024)

struct keydec {
	struct buf	 in;
	bool		 pasting;
	struct buf	 paste;
	char		*done_paste;	/* handed out with K_PASTE_END */
	size_t		 done_len;
};

struct keydec *
keydec_create(void)
{
	struct keydec	*d;

	d = xcalloc(1, sizeof *d);
	buf_init(&d->in, BUF_NO_LIMIT);
	buf_init(&d->paste, PASTE_MAX);
	return d;
}

void
keydec_free(struct keydec *d)
{
	if (d == NULL)
		return;
	buf_release(&d->in);
	buf_release(&d->paste);
	free(d->done_paste);
	free(d);
}

void
keydec_feed(struct keydec *d, const char *s, size_t len)
{
	(void)buf_add(&d->in, s, len);
}

bool
keydec_pending(const struct keydec *d)
{
	return d->in.len > 0;
}

const char *
keydec_paste(const struct keydec *d, size_t *lenp)
{
	*lenp = d->done_len;
	return d->done_paste != NULL ? d->done_paste : "";
}

static void
consume(struct keydec *d, size_t n)
{
	memmove(d->in.data, d->in.data + n, d->in.len - n);
	d->in.len -= n;
	d->in.data[d->in.len] = '\0';
}

static int
xterm_mods(long m)
{
	int	mods = 0;

	if (m < 2)
		return 0;
	m -= 1;
	if (m & 1)
		mods |= MOD_SHIFT;
	if (m & 2)
		mods |= MOD_ALT;
	if (m & 4)
		mods |= MOD_CTRL;
	return mods;
}

static int32_t
tilde_key(long n)
{
	switch (n) {
	case 1: case 7: return K_HOME;
	case 2: return K_INS;
	case 3: return K_DEL;
	case 4: case 8: return K_END;
	case 5: return K_PGUP;
	case 6: return K_PGDN;
	case 11: return K_F1;
	case 12: return K_F2;
	case 13: return K_F3;
	case 14: return K_F4;
	case 15: return K_F5;
	case 17: return K_F6;
	case 18: return K_F7;
	case 19: return K_F8;
	case 20: return K_F9;
	case 21: return K_F10;
	case 23: return K_F11;
	case 24: return K_F12;
	case 200: return K_PASTE_START;
	case 201: return K_PASTE_END;
	}
	return K_NONE;
}

static int32_t
final_key(char c)
{
	switch (c) {
	case 'A': return K_UP;
	case 'B': return K_DOWN;
	case 'C': return K_RIGHT;
	case 'D': return K_LEFT;
	case 'H': return K_HOME;
	case 'F': return K_END;
	case 'P': return K_F1;
	case 'Q': return K_F2;
	case 'R': return K_F3;
	case 'S': return K_F4;
	case 'Z': return K_BTAB;
	case 'M': return K_ENTER;	/* SS3 M: keypad Enter */
	}
	return K_NONE;
}

/*
 * Decode a CSI sequence at s (s[0] == ESC, s[1] == '['). Returns the bytes
 * used, 0 when incomplete, and k->code K_NONE for sequences we ignore.
 */
static size_t
decode_csi(const char *s, size_t len, struct key *k)
{
	long	p[4] = { 0, 0, 0, 0 };
	size_t	i, np = 0;
	bool	sgr = false;
	char	fin;

	k->code = K_NONE;
	k->mods = 0;
	i = 2;
	if (i < len && s[i] == '<') {
		sgr = true;
		i++;
	}
	for (; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= '0' && c <= '9') {
			if (p[np] < 100000)
				p[np] = p[np] * 10 + (c - '0');
		} else if (c == ';' || c == ':') {
			if (np < 3)
				np++;
		} else if (c >= 0x40 && c <= 0x7e)
			break;
		else if (c < 0x20 || c > 0x7e) {
			/* Not a sequence after all: drop the ESC [. */
			return 2;
		}
	}
	if (i >= len)
		return 0;
	fin = s[i];
	if (sgr) {
		if (fin == 'M' && (p[0] & ~0x1c) == 64)
			k->code = K_WHEEL_UP;
		else if (fin == 'M' && (p[0] & ~0x1c) == 65)
			k->code = K_WHEEL_DOWN;
		return i + 1;
	}
	if (fin == '~') {
		k->code = tilde_key(p[0]);
		k->mods = xterm_mods(p[1]);
	} else if (fin == 'u') {
		/* CSI u (fixterms): a code point with modifiers. */
		if (p[0] == 13)
			k->code = K_ENTER;
		else if (p[0] == 9)
			k->code = K_TAB;
		else if (p[0] == 27)
			k->code = K_ESC;
		else if (p[0] == 127)
			k->code = K_BSPACE;
		else if (p[0] > 0 && p[0] < 0x110000)
			k->code = (int32_t)p[0];
		k->mods = xterm_mods(p[1]);
	} else {
		k->code = final_key(fin);
		k->mods = xterm_mods(np >= 1 ? p[1] : 0);
		if (fin == 'Z')
			k->mods |= MOD_SHIFT;
	}
	return i + 1;
}

/* One key from a single byte or UTF-8 character (no ESC). */
static size_t
decode_plain(const char *s, size_t len, struct key *k)
{
	unsigned char	c = (unsigned char)s[0];
	int32_t		cp;
	size_t		n;

	k->mods = 0;
	if (c == '\r') {
		k->code = K_ENTER;
		return 1;
	}
	if (c == '\t') {
		k->code = K_TAB;
		return 1;
	}
	if (c == 0x7f || c == 0x08) {
		k->code = K_BSPACE;
		return 1;
	}
	if (c == 0) {
		k->code = K_SPACE;
		k->mods = MOD_CTRL;
		return 1;
	}
	if (c < 0x20) {
		k->code = c < 27 ? 'a' + c - 1 : '\\' + c - 28;
		k->mods = MOD_CTRL;
		return 1;
	}
	if (c < 0x80) {
		k->code = c == ' ' ? K_SPACE : c;
		return 1;
	}
	if (utf8_complete(s, len) == 0)
		return 0;
	n = utf8_decode(s, len, &cp);
	k->code = cp;
	return n;
}

static int
paste_step(struct keydec *d, struct key *k)
{
	static const char	 end[] = "\033[201~";
	char			*p;
	size_t			 keep;

	p = memmem(d->in.data, d->in.len, end, sizeof end - 1);
	if (p == NULL) {
		/* Keep a tail that may be the start of the end marker. */
		keep = d->in.len < sizeof end - 2 ? d->in.len :
		    sizeof end - 2;
		(void)buf_add(&d->paste, d->in.data, d->in.len - keep);
		consume(d, d->in.len - keep);
		return 0;
	}
	(void)buf_add(&d->paste, d->in.data, (size_t)(p - d->in.data));
	consume(d, (size_t)(p - d->in.data) + sizeof end - 1);
	d->pasting = false;
	free(d->done_paste);
	d->done_paste = buf_take(&d->paste, &d->done_len);
	k->code = K_PASTE_END;
	k->mods = 0;
	return 1;
}

int
keydec_next(struct keydec *d, struct key *k, bool flush)
{
	const char	*s;
	size_t		 len, n;

	for (;;) {
		if (d->pasting)
			return paste_step(d, k);
		s = d->in.data;
		len = d->in.len;
		if (len == 0)
			return 0;
		if (s[0] != '\033') {
			n = decode_plain(s, len, k);
			if (n == 0) {
				if (!flush)
					return 0;
				n = 1;
				k->code = UTF8_REPLACEMENT;
				k->mods = 0;
			}
			consume(d, n);
			return 1;
		}
		if (len == 1) {
			if (!flush)
				return 0;
			consume(d, 1);
			k->code = K_ESC;
			k->mods = 0;
			return 1;
		}
		if (s[1] == '[') {
			n = decode_csi(s, len, k);
			if (n == 0) {
				if (!flush)
					return 0;
				/* A cut sequence: Alt-[ at best. */
				consume(d, 2);
				k->code = '[';
				k->mods = MOD_ALT;
				return 1;
			}
			consume(d, n);
			if (k->code == K_PASTE_START) {
				d->pasting = true;
				buf_reset(&d->paste);
				continue;
			}
			if (k->code == K_NONE || k->code == K_PASTE_END)
				continue;
			return 1;
		}
		if (s[1] == 'O') {
			if (len < 3) {
				if (!flush)
					return 0;
				consume(d, 2);
				k->code = 'O';
				k->mods = MOD_ALT;
				return 1;
			}
			k->code = final_key(s[2]);
			k->mods = 0;
			consume(d, 3);
			if (k->code == K_NONE)
				continue;
			return 1;
		}
		if (s[1] == '\033') {
			/* ESC ESC: Esc, then look again. */
			consume(d, 1);
			k->code = K_ESC;
			k->mods = 0;
			return 1;
		}
		/* ESC + key: Alt. */
		n = decode_plain(s + 1, len - 1, k);
		if (n == 0) {
			if (!flush)
				return 0;
			consume(d, 1);
			k->code = K_ESC;
			k->mods = 0;
			return 1;
		}
		consume(d, n + 1);
		k->mods |= MOD_ALT;
		return 1;
	}
}

/* ------------------------------------------------------------------ */
/* Names */

static const struct {
	int32_t		 code;
	const char	*name;
} key_names[] = {
	{ K_ENTER, "Enter" }, { K_TAB, "Tab" }, { K_BTAB, "BTab" },
	{ K_BSPACE, "Backspace" }, { K_ESC, "Esc" }, { K_UP, "Up" },
	{ K_DOWN, "Down" }, { K_LEFT, "Left" }, { K_RIGHT, "Right" },
	{ K_HOME, "Home" }, { K_END, "End" }, { K_PGUP, "PgUp" },
	{ K_PGDN, "PgDn" }, { K_INS, "Insert" }, { K_DEL, "Delete" },
	{ K_F1, "F1" }, { K_F2, "F2" }, { K_F3, "F3" }, { K_F4, "F4" },
	{ K_F5, "F5" }, { K_F6, "F6" }, { K_F7, "F7" }, { K_F8, "F8" },
	{ K_F9, "F9" }, { K_F10, "F10" }, { K_F11, "F11" }, { K_F12, "F12" },
	{ K_WHEEL_UP, "WheelUp" }, { K_WHEEL_DOWN, "WheelDown" },
	{ K_SPACE, "Space" },
};

void
key_format(const struct key *k, char *buf, size_t size)
{
	char		 base[16];
	const char	*name = NULL;
	size_t		 i;

	for (i = 0; i < sizeof key_names / sizeof key_names[0]; i++)
		if (key_names[i].code == k->code)
			name = key_names[i].name;
	if (name == NULL) {
		if (k->code > 0 && k->code < 0x110000) {
			base[utf8_encode(k->code, base)] = '\0';
			/* utf8_encode returns 1..4 */
		} else
			snprintf(base, sizeof base, "?");
		name = base;
	}
	snprintf(buf, size, "%s%s%s%s", (k->mods & MOD_CTRL) ? "C-" : "",
	    (k->mods & MOD_ALT) ? "M-" : "", (k->mods & MOD_SHIFT) ? "S-" : "",
	    name);
}

int
key_parse(const char *s, struct key *k)
{
	size_t	i, n;
	int32_t	cp;

	k->mods = 0;
	for (;;) {
		if (strncmp(s, "C-", 2) == 0 && s[2] != '\0')
			k->mods |= MOD_CTRL;
		else if (strncmp(s, "M-", 2) == 0 && s[2] != '\0')
			k->mods |= MOD_ALT;
		else if (strncmp(s, "S-", 2) == 0 && s[2] != '\0')
			k->mods |= MOD_SHIFT;
		else
			break;
		s += 2;
	}
	for (i = 0; i < sizeof key_names / sizeof key_names[0]; i++) {
		if (strcasecmp(s, key_names[i].name) == 0) {
			k->code = key_names[i].code;
			return 0;
		}
	}
	n = strlen(s);
	if (n == 0 || utf8_decode(s, n, &cp) != n || cp == UTF8_REPLACEMENT)
		return -1;
	k->code = cp;
	/* C-A is C-a: terminals cannot tell them apart. */
	if ((k->mods & MOD_CTRL) && cp >= 'A' && cp <= 'Z')
		k->code = cp - 'A' + 'a';
	return 0;
}

/* ------------------------------------------------------------------ */
/* The table */

static const struct {
	enum action	 act;
	const char	*name;
	const char	*help;
} actions[] = {
	{ ACT_SEND, "send", "send the prompt" },
	{ ACT_NEWLINE, "newline", "insert a newline" },
	{ ACT_CANCEL, "cancel", "stop the answer; close a window" },
	{ ACT_INTERRUPT, "interrupt",
	    "stop the answer, else clear the draft, else quit" },
	{ ACT_EOF, "delete-or-quit", "delete; quit on an empty draft" },
	{ ACT_QUIT, "quit", "quit (the draft is kept)" },
	{ ACT_LEFT, "left", "one character left" },
	{ ACT_RIGHT, "right", "one character right" },
	{ ACT_WORD_LEFT, "word-left", "one word left" },
	{ ACT_WORD_RIGHT, "word-right", "one word right" },
	{ ACT_LINE_START, "line-start", "start of the line" },
	{ ACT_LINE_END, "line-end", "end of the line" },
	{ ACT_UP, "up", "line up, then earlier prompts" },
	{ ACT_DOWN, "down", "line down, then later prompts" },
	{ ACT_BACKSPACE, "backspace", "delete the character before" },
	{ ACT_DELETE, "delete", "delete the character under the cursor" },
	{ ACT_KILL_EOL, "kill-line", "cut to the end of the line" },
	{ ACT_KILL_BOL, "kill-line-start", "cut to the start of the line" },
	{ ACT_KILL_WORD_BACK, "kill-word-back", "cut the word before" },
	{ ACT_KILL_WORD_FWD, "kill-word", "cut the word after" },
	{ ACT_YANK, "yank", "paste what was cut" },
	{ ACT_EXTERNAL_EDITOR, "edit", "edit the draft in $VISUAL/$EDITOR" },
	{ ACT_PAGE_UP, "page-up", "scroll the transcript a page up" },
	{ ACT_PAGE_DOWN, "page-down", "scroll the transcript a page down" },
	{ ACT_SCROLL_UP, "scroll-up", "scroll the transcript up" },
	{ ACT_SCROLL_DOWN, "scroll-down", "scroll the transcript down" },
	{ ACT_TOP, "top", "the start of the transcript" },
	{ ACT_BOTTOM, "bottom", "the end of the transcript (follow)" },
	{ ACT_HISTORY, "history", "the history browser" },
	{ ACT_HELP, "help", "this help" },
	{ ACT_COMPLETE, "complete", "complete a /command" },
	{ ACT_PREV_SIBLING, "prev-answer",
	    "the previous sibling of the last answer (empty draft)" },
	{ ACT_NEXT_SIBLING, "next-answer",
	    "the next sibling of the last answer (empty draft)" },
	{ ACT_REDRAW, "redraw", "draw the screen again" },
	{ ACT_MODEL, "model", "pick a model" },
	{ ACT_SUSPEND, "suspend", "suspend tolk (fg brings it back)" },
	{ ACT_COMPARE, "compare",
	    "the last answer and its siblings side by side" },
	{ ACT_SELECT, "select",
	    "choose a prompt or answer to act on (? there lists the keys)" },
};

struct binding {
	char		*keys;		/* "C-a" or "C-x C-e" */
	enum action	 act;
};

static const struct {
	const char	*keys;
	enum action	 act;
} default_bindings[] = {
	{ "Enter", ACT_SEND },
	{ "M-Enter", ACT_NEWLINE },
	{ "C-j", ACT_NEWLINE },
	{ "S-Enter", ACT_NEWLINE },
	{ "Esc", ACT_CANCEL },
	{ "C-c", ACT_INTERRUPT },
	{ "C-d", ACT_EOF },
	{ "C-q", ACT_QUIT },
	{ "Left", ACT_LEFT },
	{ "C-b", ACT_LEFT },
	{ "Right", ACT_RIGHT },
	{ "C-f", ACT_RIGHT },
	{ "M-b", ACT_WORD_LEFT },
	{ "C-Left", ACT_WORD_LEFT },
	{ "M-Left", ACT_WORD_LEFT },
	{ "M-f", ACT_WORD_RIGHT },
	{ "C-Right", ACT_WORD_RIGHT },
	{ "M-Right", ACT_WORD_RIGHT },
	{ "C-a", ACT_LINE_START },
	{ "Home", ACT_LINE_START },
	{ "C-e", ACT_LINE_END },
	{ "End", ACT_LINE_END },
	{ "Up", ACT_UP },
	{ "C-p", ACT_UP },
	{ "Down", ACT_DOWN },
	{ "C-n", ACT_DOWN },
	{ "Backspace", ACT_BACKSPACE },
	{ "C-h", ACT_BACKSPACE },
	{ "Delete", ACT_DELETE },
	{ "C-k", ACT_KILL_EOL },
	{ "C-u", ACT_KILL_BOL },
	{ "C-w", ACT_KILL_WORD_BACK },
	{ "M-Backspace", ACT_KILL_WORD_BACK },
	{ "M-d", ACT_KILL_WORD_FWD },
	{ "C-y", ACT_YANK },
	{ "C-x C-e", ACT_EXTERNAL_EDITOR },
	{ "PgUp", ACT_PAGE_UP },
	{ "PgDn", ACT_PAGE_DOWN },
	{ "WheelUp", ACT_SCROLL_UP },
	{ "WheelDown", ACT_SCROLL_DOWN },
	{ "S-Up", ACT_SCROLL_UP },
	{ "S-Down", ACT_SCROLL_DOWN },
	{ "M-<", ACT_TOP },
	{ "C-Home", ACT_TOP },
	{ "M->", ACT_BOTTOM },
	{ "C-End", ACT_BOTTOM },
	{ "C-o", ACT_HISTORY },
	{ "F1", ACT_HELP },
	{ "Tab", ACT_COMPLETE },
	{ "M-p", ACT_PREV_SIBLING },
	{ "M-n", ACT_NEXT_SIBLING },
	{ "C-l", ACT_REDRAW },
	{ "F2", ACT_MODEL },
	{ "C-z", ACT_SUSPEND },
	{ "M-c", ACT_COMPARE },
	{ "M-Up", ACT_SELECT },
};

static struct binding	*bindings;
static size_t		 nbindings;

static void
bind(const char *keys, enum action act)
{
	size_t	i;

	for (i = 0; i < nbindings; i++) {
		if (strcmp(bindings[i].keys, keys) == 0) {
			bindings[i].act = act;
			return;
		}
	}
	bindings = xrealloc(bindings, (nbindings + 1) * sizeof *bindings);
	bindings[nbindings].keys = xstrdup(keys);
	bindings[nbindings].act = act;
	nbindings++;
}

void
keys_init(void)
{
	size_t	i;

	for (i = 0; i < nbindings; i++)
		free(bindings[i].keys);
	free(bindings);
	bindings = NULL;
	nbindings = 0;
	for (i = 0; i < sizeof default_bindings / sizeof default_bindings[0];
	    i++)
		bind(default_bindings[i].keys, default_bindings[i].act);
}

const char *
action_name(enum action a)
{
	size_t	i;

	for (i = 0; i < sizeof actions / sizeof actions[0]; i++)
		if (actions[i].act == a)
			return actions[i].name;
	return "none";
}

static int
action_parse(const char *s, enum action *a)
{
	size_t	i;

	if (strcmp(s, "none") == 0) {
		*a = ACT_NONE;
		return 0;
	}
	for (i = 0; i < sizeof actions / sizeof actions[0]; i++) {
		if (strcmp(actions[i].name, s) == 0) {
			*a = actions[i].act;
			return 0;
		}
	}
	return -1;
}

/* A canonical spelling of "KEY" or "KEY KEY"; -1 when not keys. */
static int
canon_keys(const char *s, char *out, size_t size)
{
	char		 one[64], n1[32], n2[32];
	const char	*sp;
	struct key	 k;

	sp = strchr(s, ' ');
	if (sp == NULL) {
		if (key_parse(s, &k) != 0)
			return -1;
		key_format(&k, out, size);
		return 0;
	}
	if ((size_t)(sp - s) >= sizeof one)
		return -1;
	memcpy(one, s, (size_t)(sp - s));
	one[sp - s] = '\0';
	if (key_parse(one, &k) != 0)
		return -1;
	key_format(&k, n1, sizeof n1);
	while (*sp == ' ')
		sp++;
	if (key_parse(sp, &k) != 0)
		return -1;
	key_format(&k, n2, sizeof n2);
	snprintf(out, size, "%s %s", n1, n2);
	return 0;
}

/* Errors name the config file and the line, like core/'s own. */
static char *
key_error(const struct config *c, int line, const char *what,
    const char *name)
{
	const char	*path = config_path(c);

	if (path != NULL)
		return xasprintf("%s: config line %d: %s '%s'", path, line,
		    what, name);
	return xasprintf("config line %d: %s '%s'", line, what, name);
}

int
keys_load(const struct config *c, char **cause)
{
	const struct config_pair	*kp;
	char				 canon[96];
	enum action			 a;
	size_t				 i;

	for (i = 0; i < config_nkeys(c); i++) {
		kp = config_key_at(c, i);
		if (canon_keys(kp->name, canon, sizeof canon) != 0) {
			*cause = key_error(c, kp->line, "unknown key",
			    kp->name);
			return -1;
		}
		if (action_parse(kp->value, &a) != 0) {
			*cause = key_error(c, kp->line, "unknown action",
			    kp->value);
			return -1;
		}
		bind(canon, a);
	}
	return 0;
}

enum action
keys_lookup(const struct key *k, const struct key *prefix)
{
	char	name[96], n1[32];
	size_t	i;

	if (prefix != NULL) {
		key_format(prefix, n1, sizeof n1);
		key_format(k, name, sizeof name);
		memmove(name + strlen(n1) + 1, name, strlen(name) + 1);
		memcpy(name, n1, strlen(n1));
		name[strlen(n1)] = ' ';
	} else
		key_format(k, name, sizeof name);
	for (i = 0; i < nbindings; i++)
		if (strcmp(bindings[i].keys, name) == 0)
			return bindings[i].act;
	/* Alt-Enter arrives as ESC CR; keep M-S-... and such unbound. */
	return ACT_NONE;
}

bool
keys_is_prefix(const struct key *k)
{
	char	name[32];
	size_t	i, n;

	key_format(k, name, sizeof name);
	n = strlen(name);
	for (i = 0; i < nbindings; i++)
		if (strncmp(bindings[i].keys, name, n) == 0 &&
		    bindings[i].keys[n] == ' ')
			return true;
	return false;
}

size_t
keys_help(char ***linesp)
{
	char	**lines = NULL;
	size_t	  n = 0, i, j;
	struct buf b;

	for (i = 0; i < sizeof actions / sizeof actions[0]; i++) {
		buf_init(&b, BUF_NO_LIMIT);
		for (j = 0; j < nbindings; j++) {
			if (bindings[j].act != actions[i].act)
				continue;
			buf_addf(&b, "%s%s", b.len > 0 ? ", " : "",
			    bindings[j].keys);
		}
		if (b.len == 0)
			buf_addstr(&b, "(unbound)");
		while (b.len < 22)
			buf_addc(&b, ' ');
		buf_addf(&b, " %s", actions[i].help);
		lines = xrealloc(lines, (n + 1) * sizeof *lines);
		lines[n++] = buf_take(&b, NULL);
	}
	*linesp = lines;
	return n;
}
