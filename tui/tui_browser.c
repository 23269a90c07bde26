/*
 * tui/tui_browser.c - the windows over the chat: the history browser, the
 * model picker and the help.
 *
 * The history browser lists conversations newest first; what is typed
 * filters them through the store's full-text search, which folds case and
 * accents (so "strasse" finds "Straße"). Enter opens a conversation to
 * read and continue; Delete (or d while nothing is typed) deletes one
 * after a y/n question.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#define NCURSES_WIDECHAR 1
#include <curses.h>

#include "tui/tui.h"

#define LIST_LIMIT	500
#define SEARCH_LIMIT	200
#define MARK_OPEN	"\x02"
#define MARK_CLOSE	"\x03"

void
menu_release(struct menu *m)
{
	size_t	i;

	for (i = 0; i < m->n; i++) {
		free(m->lines[i]);
		if (m->values != NULL)
			free(m->values[i]);
	}
	free(m->lines);
	free(m->values);
	free(m->ids);
	free(m->title);
	buf_release(&m->query);
	memset(m, 0, sizeof *m);
}

static void
menu_clear_items(struct menu *m)
{
	size_t	i;

	for (i = 0; i < m->n; i++) {
		free(m->lines[i]);
		free(m->values[i]);
	}
	free(m->lines);
	free(m->values);
	free(m->ids);
	m->lines = NULL;
	m->values = NULL;
	m->ids = NULL;
	m->n = 0;
	m->sel = 0;
	m->top = 0;
}

static void
menu_add(struct menu *m, char *line, char *value, int64_t id)
{
	m->lines = xrealloc(m->lines, (m->n + 1) * sizeof *m->lines);
	m->values = xrealloc(m->values, (m->n + 1) * sizeof *m->values);
	m->ids = xrealloc(m->ids, (m->n + 1) * sizeof *m->ids);
	m->lines[m->n] = line;
	m->values[m->n] = value;
	m->ids[m->n] = id;
	m->n++;
}

/* One line of text: newlines and tabs as spaces. */
static char *
one_line(const char *s)
{
	char	*c, *p;
	size_t	 n;

	c = sanitize(s, strlen(s), SANITIZE_NORMAL, &n);
	for (p = c; *p != '\0'; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	return c;
}

void
menu_open_models(struct tui *t)
{
	struct menu		*m = &t->menu;
	const struct provider	*p;
	size_t			 i, j;
	const char		*key;

	menu_release(m);
	m->kind = MENU_MODELS;
	m->title = xstrdup("Models (Enter picks, Esc closes)");
	buf_init(&m->query, 4096);
	for (i = 0; i < config_nproviders(t->config); i++) {
		p = config_provider_at(t->config, i);
		key = p->key_optional ? "no key needed" :
		    provider_has_key(p) ? "key set" : "no key";
		for (j = 0; j < p->nmodels; j++) {
			char *spec = xasprintf("%s:%s", p->name, p->models[j]);

			menu_add(m, xasprintf("%-40s %s", spec, key), spec, 0);
			if (strcmp(spec, t->model) == 0)
				m->sel = m->n - 1;
		}
	}
	t->mode = MODE_MENU;
	t->dirty = true;
}

static void
history_fill(struct tui *t)
{
	struct menu			*m = &t->menu;
	struct conversation_info	*ci = NULL;
	struct search_hit		*hits = NULL;
	size_t				 nci = 0, nh = 0, i, j;
	char				*cause = NULL, *title, *snip;
	char				 when[32];

	menu_clear_items(m);
	if (t->store == NULL)
		return;
	if (store_conversation_list(t->store, LIST_LIMIT, &ci, &nci,
	    &cause) != 0) {
		tui_note(t, "%s", cause);
		free(cause);
		return;
	}
	if (m->query.len == 0) {
		for (i = 0; i < nci; i++) {
			store_time_iso(ci[i].updated, when, sizeof when);
			when[10] = '\0';
			title = one_line(ci[i].title != NULL ? ci[i].title :
			    "(empty)");
			menu_add(m, xasprintf("%s  %s", when, title), NULL,
			    ci[i].id);
			free(title);
		}
		conversation_infos_free(ci, nci);
		return;
	}
	if (store_search(t->store, m->query.data, NULL, SEARCH_LIMIT,
	    MARK_OPEN, MARK_CLOSE, &hits, &nh, &cause) != 0) {
		tui_note(t, "%s", cause);
		free(cause);
		conversation_infos_free(ci, nci);
		return;
	}
	for (i = 0; i < nh; i++) {
		for (j = 0; j < m->n; j++)
			if (m->ids[j] == hits[i].conversation_id)
				break;
		if (j < m->n)
			continue;
		title = NULL;
		for (j = 0; j < nci; j++)
			if (ci[j].id == hits[i].conversation_id &&
			    ci[j].title != NULL)
				title = one_line(ci[j].title);
		/* The raw snippet: its marks are controls, which one_line()
		 * would drop; put_marked() cleans it piece by piece. */
		snip = xstrdup(hits[i].snippet != NULL ? hits[i].snippet : "");
		menu_add(m, xasprintf("%s — %s", title != NULL ? title :
		    "(untitled)", snip), NULL, hits[i].conversation_id);
		free(title);
		free(snip);
	}
	search_hits_free(hits, nh);
	conversation_infos_free(ci, nci);
}

void
menu_open_history(struct tui *t)
{
	struct menu	*m = &t->menu;

	if (t->store == NULL) {
		tui_note(t, "there is no history (--no-log)");
		return;
	}
	menu_release(m);
	m->kind = MENU_HISTORY;
	m->title = xstrdup("History");
	buf_init(&m->query, 4096);
	history_fill(t);
	t->mode = MODE_MENU;
	t->dirty = true;
}

static void
menu_close(struct tui *t)
{
	menu_release(&t->menu);
	t->mode = MODE_CHAT;
	t->dirty = true;
}

static void
query_backspace(struct buf *q)
{
	size_t	p = 0, prev = 0;

	while (p < q->len) {
		prev = p;
		p = grapheme_next(q->data, q->len, p, NULL);
	}
	q->len = prev;
	if (q->data != NULL)
		q->data[q->len] = '\0';
}

void
menu_key(struct tui *t, const struct key *k, enum action a)
{
	struct menu	*m = &t->menu;
	char		 buf[8], *cause = NULL, *spec;
	int64_t		 id;
	size_t		 page = t->rows > 6 ? (size_t)t->rows - 6 : 1;
	bool		 refill = false;

	if (m->confirm_id != 0) {
		id = m->confirm_id;
		m->confirm_id = 0;
		if (k->code != 'y' && k->code != 'Y')
			return;
		if (store_conversation_remove(t->store, id, &cause) != 0) {
			tui_note(t, "%s", cause);
			free(cause);
			return;
		}
		if (id == session_conversation(t->session))
			tui_new_conversation(t);
		tui_note(t, "deleted conversation %lld", (long long)id);
		history_fill(t);
		return;
	}
	if (k->code == K_PASTE_END) {
		refill = true;
		goto out;
	}
	switch (a) {
	case ACT_CANCEL:
	case ACT_INTERRUPT:
	case ACT_QUIT:
	case ACT_HISTORY:
		menu_close(t);
		return;
	case ACT_UP:
	case ACT_SCROLL_UP:
		if (m->sel > 0)
			m->sel--;
		return;
	case ACT_DOWN:
	case ACT_SCROLL_DOWN:
		if (m->sel + 1 < m->n)
			m->sel++;
		return;
	case ACT_PAGE_UP:
		m->sel = m->sel > page ? m->sel - page : 0;
		return;
	case ACT_PAGE_DOWN:
		m->sel = m->sel + page < m->n ? m->sel + page :
		    (m->n > 0 ? m->n - 1 : 0);
		return;
	case ACT_SEND:
		if (m->n == 0)
			return;
		if (m->kind == MENU_MODELS) {
			spec = xstrdup(m->values[m->sel]);
			menu_close(t);
			free(t->model);
			t->model = spec;
			tui_note(t, "the model is now %s", spec);
			return;
		}
		id = m->ids[m->sel];
		menu_close(t);
		if (tui_open_conversation(t, id, &cause) != 0) {
			tui_note(t, "%s", cause);
			free(cause);
		}
		return;
	case ACT_DELETE:
	case ACT_EOF:
		if (m->kind == MENU_HISTORY && m->n > 0)
			m->confirm_id = m->ids[m->sel];
		return;
	case ACT_BACKSPACE:
		if (m->kind == MENU_HISTORY && m->query.len > 0) {
			query_backspace(&m->query);
			refill = true;
		}
		break;
	case ACT_KILL_BOL:
		buf_reset(&m->query);
		refill = true;
		break;
	default:
		if (m->kind != MENU_HISTORY || k->mods != 0)
			return;
		if (k->code == 'd' && m->query.len == 0 && m->n > 0) {
			m->confirm_id = m->ids[m->sel];
			return;
		}
		if (k->code == K_SPACE)
			buf_addc(&m->query, ' ');
		else if (k->code > 0 && k->code < K_BASE)
			buf_add(&m->query, buf, utf8_encode(k->code, buf));
		else
			return;
		refill = true;
		break;
	}
out:
	if (refill && m->kind == MENU_HISTORY)
		history_fill(t);
}

/* Draw a snippet whose matches are between MARK_OPEN and MARK_CLOSE. */
static int
put_marked(int y, int x, const char *s, int maxw, int attr)
{
	int	 col = 0, a = attr;
	char	*clean;
	size_t	 n, len, i;

	while (*s != '\0' && col < maxw) {
		n = strcspn(s, MARK_OPEN MARK_CLOSE);
		if (n > 0) {
			clean = sanitize(s, n, SANITIZE_NORMAL, &len);
			for (i = 0; i < len; i++)
				if (clean[i] == '\n' || clean[i] == '\t')
					clean[i] = ' ';
			col += screen_put(y, x + col, clean, len, maxw - col, a);
			free(clean);
		}
		s += n;
		if (*s == MARK_OPEN[0])
			a = screen_attr(TS_MATCH);
		else if (*s == MARK_CLOSE[0])
			a = attr;
		if (*s != '\0')
			s++;
	}
	return col;
}

void
menu_draw(struct tui *t)
{
	struct menu	*m = &t->menu;
	int		 h = t->rows - 2, w = t->cols, y, x, attr, list_h;
	size_t		 i;
	char		*head;

	if (h < 3)
		h = t->rows;
	for (y = 0; y < h; y++) {
		move(y, 0);
		clrtoeol();
	}
	if (m->confirm_id != 0)
		head = xasprintf(" Delete conversation %lld? (y/n)",
		    (long long)m->confirm_id);
	else if (m->kind == MENU_HISTORY)
		head = xasprintf(" History: %s%s", m->query.len > 0 ?
		    m->query.data : "", m->query.len > 0 ? "" :
		    "type to search · Enter opens · Del deletes · Esc closes");
	else
		head = xasprintf(" %s", m->title);
	x = screen_put(0, 0, head, strlen(head), w, screen_attr(m->confirm_id
	    != 0 ? TS_ERROR : TS_HEADING));
	screen_clear_to_eol(0, x, 0);
	free(head);
	list_h = h - 1;
	if (list_h < 1)
		return;
	if (m->sel < m->top)
		m->top = m->sel;
	if (m->sel >= m->top + (size_t)list_h)
		m->top = m->sel - (size_t)list_h + 1;
	if (m->n == 0) {
		const char *e = m->query.len > 0 ? " no conversation matches" :
		    " nothing here yet";

		screen_put(1, 0, e, strlen(e), w, screen_attr(TS_DIM));
	}
	for (i = m->top; i < m->n && (int)(i - m->top) < list_h; i++) {
		y = 1 + (int)(i - m->top);
		attr = i == m->sel ? screen_attr(TS_SELECT) : 0;
		x = screen_put(y, 0, " ", 1, w, attr);
		x += put_marked(y, x, m->lines[i], w - x, attr);
		if (i == m->sel)
			screen_clear_to_eol(y, x, attr);
	}
	curs_set(0);
}

/* ------------------------------------------------------------------ */


static size_t
help_lines(char ***linesp)
{
	char	**keys, **cmds, **sel, **all;
	size_t	  nk, nc, ns, n = 0, i;

	nk = keys_help(&keys);
	nc = commands_help(&cmds);
	ns = select_help(&sel);
	all = xcalloc(nk + nc + ns + 8, sizeof *all);
	all[n++] = xstrdup("Keys (the [keys] section of the config file "
	    "changes them)");
	for (i = 0; i < nk; i++)
		all[n++] = keys[i];
	all[n++] = xstrdup("");
	all[n++] = xstrdup("On an empty draft: ? this help, Left/Right switch "
	    "answers, Home/End scroll");
	all[n++] = xstrdup("Answers side by side (M-c, /compare, /sample): d "
	    "word diff, m metrics, z zoom, s scroll one by one, Left/Right "
	    "column, q back");
	for (i = 0; i < ns; i++)
		all[n++] = sel[i];
	free(sel);
	all[n++] = xstrdup("");
	all[n++] = xstrdup("Commands (Tab completes)");
	for (i = 0; i < nc; i++)
		all[n++] = cmds[i];
	free(keys);
	free(cmds);
	*linesp = all;
	return n;
}

void
help_open_at(struct tui *t, const char *prefix)
{
	char	**lines;
	size_t	  n, i;

	t->mode = MODE_HELP;
	t->help_top = 0;
	n = help_lines(&lines);
	for (i = 0; i < n; i++) {
		if (prefix != NULL && t->help_top == 0 &&
		    strncmp(lines[i], prefix, strlen(prefix)) == 0)
			t->help_top = i;
		free(lines[i]);
	}
	free(lines);
}

void
help_draw(struct tui *t)
{
	char	**lines;
	size_t	  n, i;
	int	  h = t->rows - 1, y;

	n = help_lines(&lines);
	if (t->help_top + (size_t)h > n)
		t->help_top = n > (size_t)h ? n - (size_t)h : 0;
	for (y = 0; y < h; y++) {
		move(y, 0);
		clrtoeol();
		i = t->help_top + (size_t)y;
		if (i >= n)
			continue;
		screen_put(y, 1, lines[i], strlen(lines[i]), t->cols - 1,
		    (i == 0 || strncmp(lines[i], "Commands", 8) == 0) ?
		    screen_attr(TS_HEADING) : 0);
	}
	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	curs_set(0);
}

void
help_key(struct tui *t, const struct key *k, enum action a)
{
	switch (a) {
	case ACT_UP:
	case ACT_SCROLL_UP:
		if (t->help_top > 0)
			t->help_top--;
		return;
	case ACT_DOWN:
	case ACT_SCROLL_DOWN:
		t->help_top++;
		return;
	case ACT_PAGE_UP:
		t->help_top = t->help_top > 10 ? t->help_top - 10 : 0;
		return;
	case ACT_PAGE_DOWN:
		t->help_top += 10;
		return;
	default:
		break;
	}
	if (a == ACT_CANCEL || a == ACT_HELP || a == ACT_QUIT ||
	    a == ACT_INTERRUPT || a == ACT_SEND || k->code == 'q' ||
	    k->code == '?') {
		t->mode = MODE_CHAT;
		t->dirty = true;
	}
}
