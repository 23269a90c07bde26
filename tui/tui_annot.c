/*
 * tui/tui_annot.c - annotating answers in the TUI: the selection-mode
 * keys + - 0 (rate), t (tags), n (note), v (choose a passage and annotate
 * it) and a (the side panel of an answer's annotations), the one-line tag
 * prompt and the note editor they open, and what the transcript shows of
 * annotations (the rating and tags after an answer's label, annotated
 * passages highlighted).
 *
 * Everything is stored at once through history/ (store_annotate,
 * store_annotate_span); the transcript reads it back per answer when its
 * stored id changes (tui_annot_sync), so a reopened conversation shows
 * what was annotated before.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "tui/tui.h"

enum annot_stage {
	AN_PASSAGE,		/* choosing a passage */
	AN_TAGS,		/* the one-line tag prompt */
	AN_NOTE,		/* the note editor */
	AN_PANEL,		/* the side panel */
};

struct annot_ui {
	enum annot_stage	 stage;
	size_t			 item;
	int64_t			 msg;
	bool			 passage;	/* tags and note go to pass */
	struct passage		 pass;
	struct editor		*ed;
	char			**tags;		/* for the passage */
	size_t			 ntags;
	struct annotation	*ann;		/* the panel's rows */
	size_t			 nann;
	size_t			 sel;
};

#define NOTE_ROWS 6
#define PANEL_MAX 48

/* ------------------------------------------------------------------ */
/* What the transcript shows */

static void
variant_load(struct tui *t, struct variant *v)
{
	struct annotation	*a;
	struct buf		 b;
	char			*cause = NULL;
	size_t			 n, i, j, npass = 0;

	v->annot_of = v->msg_id;
	free(v->annot);
	v->annot = NULL;
	free(v->marks);
	v->marks = NULL;
	v->nmarks = 0;
	if (t->store == NULL || store_annotations(t->store, v->msg_id, &a, &n,
	    &cause) != 0) {
		free(cause);
		return;
	}
	buf_init(&b, 256);
	buf_addstr(&b, "");
	v->marks = xcalloc(n + 1, sizeof *v->marks);
	for (i = 0; i < n; i++) {
		if (a[i].span_start >= 0) {
			v->marks[v->nmarks].start = (size_t)a[i].span_start;
			v->marks[v->nmarks++].end = (size_t)a[i].span_end;
			npass++;
			continue;
		}
		if (a[i].rating != RATING_NONE)
			buf_addstr(&b, a[i].rating > 0 ? "+1" :
			    a[i].rating < 0 ? "−1" : "0");
		for (j = 0; j < a[i].ntags; j++) {
			buf_addstr(&b, j == 0 ? (b.len > 0 ? " · " : "") : ", ");
			buf_addstr(&b, a[i].tags[j]);
		}
		if (a[i].note != NULL)
			buf_addstr(&b, b.len > 0 ? " · ✎" : "✎");
	}
	if (npass > 0)
		buf_addf(&b, "%s%zu passage%s", b.len > 0 ? " · " : "", npass,
		    npass == 1 ? "" : "s");
	annotations_free(a, n);
	if (b.len > 0)
		v->annot = sanitize(b.data, b.len, SANITIZE_NORMAL, NULL);
	buf_release(&b);
}

void
tui_annot_sync(struct tui *t)
{
	struct item	*it;
	size_t		 i, j, n = transcript_count(t->tr);

	if (t->store == NULL)
		return;
	for (i = 0; i < n; i++) {
		it = transcript_item(t->tr, i);
		if (it->kind != ITEM_ASSISTANT)
			continue;
		for (j = 0; j < it->nv; j++) {
			if (it->v[j].msg_id != 0 &&
			    it->v[j].annot_of != it->v[j].msg_id &&
			    it->v[j].status != MSG_STREAMING) {
				variant_load(t, &it->v[j]);
				transcript_changed(t->tr);
			}
		}
	}
}

/* Read the answer's annotations again after a change. */
static void
reload(struct tui *t, int64_t msg)
{
	struct item	*it;
	size_t		 i, j, n = transcript_count(t->tr);

	for (i = 0; i < n; i++) {
		it = transcript_item(t->tr, i);
		for (j = 0; it->kind == ITEM_ASSISTANT && j < it->nv; j++)
			if (it->v[j].msg_id == msg)
				it->v[j].annot_of = 0;
	}
	tui_annot_sync(t);
	t->dirty = true;
}

/* ------------------------------------------------------------------ */
/* Starting */

/* The stored id of the answer shown in it, or 0 after saying why. */
static int64_t
answer_id(struct tui *t, struct item *it)
{
	struct variant	*v = &it->v[it->cur];

	if (t->store == NULL) {
		tui_note(t, "nothing is stored in this session (--no-log): "
		    "there is nothing to annotate");
		return 0;
	}
	if (v->msg_id == 0) {
		tui_note(t, "this answer is not stored: there is nothing to "
		    "annotate");
		return 0;
	}
	if (v->status == MSG_STREAMING) {
		tui_note(t, "wait for the answer to end before annotating it");
		return 0;
	}
	return v->msg_id;
}

static struct annot_ui *
ui_open(struct tui *t, size_t index, int64_t msg, enum annot_stage stage)
{
	struct annot_ui	*u;

	tui_annot_close(t);
	u = xcalloc(1, sizeof *u);
	u->stage = stage;
	u->item = index;
	u->msg = msg;
	t->annot = u;
	t->dirty = true;
	return u;
}

void
tui_annot_close(struct tui *t)
{
	struct annot_ui	*u = t->annot;
	size_t		 i;

	if (u == NULL)
		return;
	if (u->ed != NULL)
		editor_free(u->ed);
	for (i = 0; i < u->ntags; i++)
		free(u->tags[i]);
	free(u->tags);
	annotations_free(u->ann, u->nann);
	free(u);
	t->annot = NULL;
	transcript_set_passage(t->tr, SIZE_MAX, (struct passage){ 0, 0 });
	t->dirty = true;
}

static void
rate(struct tui *t, struct item *it, int rating)
{
	struct annotation_edit	 e;
	struct annotation	*a;
	char			*cause = NULL;
	size_t			 n;
	int64_t			 msg;

	if ((msg = answer_id(t, it)) == 0)
		return;
	memset(&e, 0, sizeof e);
	e.set_rating = true;
	e.rating = rating;
	/* The same key again takes the rating back. */
	if (store_annotations(t->store, msg, &a, &n, &cause) == 0) {
		if (n > 0 && a[0].span_start < 0 && a[0].rating == rating)
			e.rating = RATING_NONE;
		annotations_free(a, n);
	} else {
		free(cause);
		cause = NULL;
	}
	if (store_annotate(t->store, msg, &e, &cause) != 0) {
		tui_note(t, "%s", cause);
		free(cause);
		return;
	}
	if (e.rating == RATING_NONE)
		tui_note(t, "rating taken back");
	else
		tui_note(t, "rated %s", rating > 0 ? "+1" : rating < 0 ? "−1" :
		    "0");
	reload(t, msg);
}

void
tui_annot_rate_up(struct tui *t, struct item *it, size_t index)
{
	(void)index;
	rate(t, it, 1);
}

void
tui_annot_rate_down(struct tui *t, struct item *it, size_t index)
{
	(void)index;
	rate(t, it, -1);
}

void
tui_annot_rate_zero(struct tui *t, struct item *it, size_t index)
{
	(void)index;
	rate(t, it, 0);
}

void
tui_annot_tags(struct tui *t, struct item *it, size_t index)
{
	struct annot_ui	*u;
	int64_t		 msg;

	if ((msg = answer_id(t, it)) == 0)
		return;
	u = ui_open(t, index, msg, AN_TAGS);
	u->ed = editor_create();
}

void
tui_annot_note(struct tui *t, struct item *it, size_t index)
{
	struct annot_ui		*u;
	struct annotation	*a;
	char			*cause = NULL;
	size_t			 n;
	int64_t			 msg;

	if ((msg = answer_id(t, it)) == 0)
		return;
	u = ui_open(t, index, msg, AN_NOTE);
	u->ed = editor_create();
	/* Edit the note there is. */
	if (store_annotations(t->store, msg, &a, &n, &cause) == 0) {
		if (n > 0 && a[0].span_start < 0 && a[0].note != NULL)
			editor_set_text(u->ed, a[0].note, strlen(a[0].note));
		annotations_free(a, n);
	} else
		free(cause);
}

/* ------------------------------------------------------------------ */
/* Choosing a passage: words and lines of the source text */

static bool
is_space(char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

static const char *
source_of(struct tui *t, size_t *len)
{
	struct item	*it = transcript_item(t->tr, t->annot->item);

	if (it == NULL || it->kind != ITEM_ASSISTANT || it->nv == 0) {
		*len = 0;
		return "";
	}
	return md_source(it->v[it->cur].md, len);
}

/* The end of the word at or after pos. */
static size_t
word_end(const char *s, size_t len, size_t pos)
{
	while (pos < len && is_space(s[pos]))
		pos++;
	while (pos < len && !is_space(s[pos]))
		pos++;
	return pos;
}

/* The start of the word at or before pos (pos inside or after it). */
static size_t
word_start(const char *s, size_t pos)
{
	while (pos > 0 && is_space(s[pos - 1]))
		pos--;
	while (pos > 0 && !is_space(s[pos - 1]))
		pos--;
	return pos;
}

/* Trim spaces off both ends of the passage. */
static void
trim(const char *s, size_t len, struct passage *p)
{
	while (p->start < p->end && p->start < len && is_space(s[p->start]))
		p->start++;
	while (p->end > p->start && is_space(s[p->end - 1]))
		p->end--;
}

/* The display line of the answer that shows byte off; -1: none. */
static long
line_of(struct md *md, size_t off)
{
	const struct render_line	*l;
	size_t				 i, n = md_nlines(md);
	long				 best = -1;

	for (i = 0; i < n; i++) {
		l = md_line(md, i);
		if (l->src_start == RENDER_NOSRC)
			continue;
		if (l->src_start <= off)
			best = (long)i;
		else
			break;
	}
	return best;
}

/* Move the passage's end by whole display lines (dir 1 or -1). */
static void
by_line(struct tui *t, int dir)
{
	struct item			*it = transcript_item(t->tr,
					    t->annot->item);
	struct passage			*p = &t->annot->pass;
	const struct render_line	*l;
	struct md			*md = it->v[it->cur].md;
	long				 i, n = (long)md_nlines(md);

	i = line_of(md, p->end > 0 ? p->end - 1 : 0);
	for (i += dir; i >= 0 && i < n; i += dir) {
		l = md_line(md, (size_t)i);
		if (l->src_start == RENDER_NOSRC || l->src_end <= p->start)
			continue;
		if (l->src_end == p->end)
			continue;
		p->end = l->src_end;
		return;
	}
}

void
tui_annot_passage(struct tui *t, struct item *it, size_t index)
{
	struct annot_ui	*u;
	const char	*s;
	size_t		 len;
	int64_t		 msg;

	if ((msg = answer_id(t, it)) == 0)
		return;
	u = ui_open(t, index, msg, AN_PASSAGE);
	u->passage = true;
	s = source_of(t, &len);
	/* Start at the first word on screen: the answer may be scrolled. */
	u->pass.start = transcript_visible_source(t->tr, index);
	if (u->pass.start > len)
		u->pass.start = 0;
	u->pass.start = word_end(s, len, u->pass.start);
	u->pass.start = word_start(s, u->pass.start);
	u->pass.end = word_end(s, len, u->pass.start);
	if (u->pass.end <= u->pass.start) {
		tui_note(t, "this answer has no text to choose from");
		tui_annot_close(t);
		return;
	}
	transcript_set_passage(t->tr, index, u->pass);
	transcript_show_source(t->tr, index, u->pass.start);
}

static void
passage_key(struct tui *t, const struct key *k, enum action a)
{
	struct annot_ui	*u = t->annot;
	struct passage	 p = u->pass;
	const char	*s;
	size_t		 len, e;
	int32_t		 c = k->mods == 0 ? k->code : 0;

	s = source_of(t, &len);
	if (c == 'w') {
		e = word_end(s, len, p.end);
		if (e > p.end)
			p.end = e;
	} else if (c == 'b') {
		/* Back to the end of the word before the last one. */
		e = word_start(s, p.end);
		while (e > p.start && is_space(s[e - 1]))
			e--;
		if (e > p.start)
			p.end = e;
	} else if (c == 'j' || a == ACT_DOWN)
		by_line(t, 1);
	else if (c == 'k' || a == ACT_UP)
		by_line(t, -1);
	else if (c == 'l' || a == ACT_RIGHT) {
		e = word_end(s, len, p.start);
		e = word_end(s, len, e);
		e = word_start(s, e);
		if (e < p.end && e > p.start)
			p.start = e;
	} else if (c == 'h' || a == ACT_LEFT) {
		if (p.start > 0)
			p.start = word_start(s, p.start);
	} else if (a == ACT_SEND || c == 'n') {
		u->stage = AN_TAGS;
		u->ed = editor_create();
		return;
	} else if (a == ACT_CANCEL || c == 'q') {
		tui_annot_close(t);
		return;
	} else {
		tui_note(t, "w/b: a word more/less · j/k: a line more/less · "
		    "h/l: start a word earlier/later · Enter: tags and note · "
		    "Esc: cancel");
		return;
	}
	if (a == ACT_DOWN || a == ACT_UP || c == 'j' || c == 'k')
		p.end = t->annot->pass.end;
	if (p.end > len)
		p.end = len;
	trim(s, len, &p);
	if (p.end > p.start)
		u->pass = p;
	transcript_set_passage(t->tr, u->item, u->pass);
	transcript_show_source(t->tr, u->item, u->pass.end > 0 ?
	    u->pass.end - 1 : 0);
}

/* ------------------------------------------------------------------ */
/* The tag prompt and the note editor */

/* Tags to offer: those used in the store, then the built-in ones. */
static size_t
candidates(struct tui *t, char ***out)
{
	char	**used = NULL, *cause = NULL;
	size_t	 n = 0, i, j;

	if (t->store != NULL && store_tags_used(t->store, &used, &n,
	    &cause) != 0) {
		free(cause);
		n = 0;
	}
	for (i = 0; annotation_builtin_tags[i] != NULL; i++) {
		for (j = 0; j < n; j++)
			if (strcmp(used[j], annotation_builtin_tags[i]) == 0)
				break;
		if (j < n)
			continue;
		used = xrealloc(used, (n + 1) * sizeof *used);
		used[n++] = xstrdup(annotation_builtin_tags[i]);
	}
	*out = used;
	return n;
}

static void
complete_tag(struct tui *t)
{
	struct annot_ui	*u = t->annot;
	const char	*text, *word;
	char		**c, *common = NULL;
	size_t		 len, n, i, wl, cl = 0, matches = 0;
	struct buf	 shown;

	text = editor_text(u->ed, &len);
	for (word = text + len; word > text && word[-1] != ' ' &&
	    word[-1] != ','; word--)
		;
	if (*word == '-')
		word++;
	wl = (size_t)(text + len - word);
	n = candidates(t, &c);
	buf_init(&shown, 512);
	buf_addstr(&shown, "");
	for (i = 0; i < n; i++) {
		if (strncmp(c[i], word, wl) != 0)
			continue;
		if (matches++ == 0) {
			common = c[i];
			cl = strlen(c[i]);
		} else
			while (cl > 0 && strncmp(common, c[i], cl) != 0)
				cl--;
		buf_addf(&shown, "%s%s", shown.len > 0 ? " · " : "", c[i]);
	}
	if (matches == 0)
		tui_note(t, "no tag starts so; tags used: %zu, built in: "
		    "terminology grammar register untranslated wrong-language "
		    "factual formatting", n);
	else {
		if (cl > wl)
			editor_insert(u->ed, common + wl, cl - wl);
		if (matches == 1)
			editor_insert(u->ed, " ", 1);
		else
			tui_note(t, "%s", shown.data);
	}
	buf_release(&shown);
	for (i = 0; i < n; i++)
		free(c[i]);
	free(c);
}

/* Split the prompt into tags to add and to take off ("-tag"). -1 after
 * saying what is wrong. */
static int
split_tags(struct tui *t, const char *text, size_t len, char ***add,
    size_t *nadd, char ***rm, size_t *nrm)
{
	char	*copy = xstrndup(text, len), *p, *w, *cause = NULL;
	bool	 minus;

	*add = xcalloc(len + 1, sizeof **add);
	*rm = xcalloc(len + 1, sizeof **rm);
	*nadd = *nrm = 0;
	for (p = copy; *p != '\0';) {
		while (*p == ' ' || *p == ',' || *p == '\n' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		w = p;
		while (*p != '\0' && *p != ' ' && *p != ',' && *p != '\n' &&
		    *p != '\t')
			p++;
		if (*p != '\0')
			*p++ = '\0';
		minus = *w == '-' && w[1] != '\0';
		if (minus)
			w++;
		if (annotation_tag_check(w, &cause) != 0) {
			tui_note(t, "%s", cause);
			free(cause);
			free(copy);
			return -1;
		}
		if (minus)
			(*rm)[(*nrm)++] = xstrdup(w);
		else
			(*add)[(*nadd)++] = xstrdup(w);
	}
	free(copy);
	return 0;
}

static void
free_list(char **l, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(l[i]);
	free(l);
}

static void
tags_done(struct tui *t)
{
	struct annot_ui		*u = t->annot;
	struct annotation_edit	 e;
	const char		*text;
	char			**add, **rm, *cause = NULL;
	size_t			 len, nadd, nrm;

	text = editor_text(u->ed, &len);
	if (split_tags(t, text, len, &add, &nadd, &rm, &nrm) != 0)
		return;
	if (u->passage) {
		/* Then the note; both are stored together. */
		free_list(rm, nrm);
		u->tags = add;
		u->ntags = nadd;
		editor_clear(u->ed);
		u->stage = AN_NOTE;
		return;
	}
	memset(&e, 0, sizeof e);
	e.add_tags = (const char *const *)add;
	e.nadd = nadd;
	e.remove_tags = (const char *const *)rm;
	e.nremove = nrm;
	if (store_annotate(t->store, u->msg, &e, &cause) != 0) {
		tui_note(t, "%s", cause);
		free(cause);
	} else if (nadd + nrm > 0)
		tui_note(t, "tags saved");
	free_list(add, nadd);
	free_list(rm, nrm);
	reload(t, u->msg);
	tui_annot_close(t);
}

static void
note_done(struct tui *t)
{
	struct annot_ui		*u = t->annot;
	struct annotation_edit	 e;
	const char		*text;
	char			*note, *cause = NULL;
	size_t			 len;
	int			 r;

	text = editor_text(u->ed, &len);
	while (len > 0 && is_space(text[len - 1]))
		len--;
	note = xstrndup(text, len);
	if (u->passage)
		r = store_annotate_span(t->store, u->msg,
		    (int64_t)u->pass.start, (int64_t)u->pass.end,
		    (const char *const *)u->tags, u->ntags, note, &cause) < 0 ?
		    -1 : 0;
	else {
		memset(&e, 0, sizeof e);
		e.set_note = true;
		e.note = note;
		r = store_annotate(t->store, u->msg, &e, &cause);
	}
	if (r != 0) {
		tui_note(t, "%s", cause);
		free(cause);
	} else
		tui_note(t, u->passage ? "passage annotated" : len > 0 ?
		    "note saved" : "note removed");
	free(note);
	reload(t, u->msg);
	tui_annot_close(t);
}

static bool
edit_key(struct tui *t, const struct key *k, enum action a)
{
	struct annot_ui	*u = t->annot;
	char		 buf[8];
	size_t		 n;
	int		 ew = t->cols > 4 ? t->cols - 4 : t->cols;

	switch (a) {
	case ACT_SEND:
		if (u->stage == AN_TAGS)
			tags_done(t);
		else
			note_done(t);
		return true;
	case ACT_NEWLINE:
		if (u->stage == AN_NOTE)
			editor_insert(u->ed, "\n", 1);
		return true;
	case ACT_CANCEL:
	case ACT_INTERRUPT:
		tui_note(t, "nothing saved");
		tui_annot_close(t);
		return true;
	case ACT_COMPLETE:
		if (u->stage == AN_TAGS)
			complete_tag(t);
		return true;
	case ACT_NONE:
	case ACT_INSERT:
		if (k->mods == 0 && k->code > 0 && k->code < K_BASE) {
			n = utf8_encode(k->code, buf);
			editor_insert(u->ed, buf, n);
		} else if (k->code == K_SPACE && (k->mods & ~MOD_SHIFT) == 0)
			editor_insert(u->ed, " ", 1);
		return true;
	case ACT_QUIT:
	case ACT_SUSPEND:
	case ACT_REDRAW:
		return false;
	default:
		editor_action(u->ed, a, ew);
		return true;
	}
}

/* ------------------------------------------------------------------ */
/* The side panel */

static void
panel_load(struct tui *t)
{
	struct annot_ui	*u = t->annot;
	char		*cause = NULL;

	annotations_free(u->ann, u->nann);
	u->ann = NULL;
	u->nann = 0;
	if (store_annotations(t->store, u->msg, &u->ann, &u->nann,
	    &cause) != 0) {
		tui_note(t, "%s", cause);
		free(cause);
	}
	if (u->sel >= u->nann)
		u->sel = u->nann > 0 ? u->nann - 1 : 0;
}

void
tui_annot_panel(struct tui *t, struct item *it, size_t index)
{
	int64_t	msg;

	if ((msg = answer_id(t, it)) == 0)
		return;
	ui_open(t, index, msg, AN_PANEL);
	panel_load(t);
	if (t->annot->nann == 0) {
		tui_note(t, "this answer has no annotations yet (+ - 0 rate, "
		    "t tags, n note, v a passage)");
		tui_annot_close(t);
	}
}

/* Highlight and show the chosen row's passage. */
static void
panel_jump(struct tui *t)
{
	struct annot_ui		*u = t->annot;
	const struct annotation	*a;

	if (u->sel >= u->nann)
		return;
	a = &u->ann[u->sel];
	if (a->span_start < 0) {
		transcript_set_passage(t->tr, SIZE_MAX,
		    (struct passage){ 0, 0 });
		transcript_show_source(t->tr, u->item, 0);
		return;
	}
	transcript_set_passage(t->tr, u->item, (struct passage){
	    (size_t)a->span_start, (size_t)a->span_end });
	transcript_show_source(t->tr, u->item, (size_t)a->span_start);
}

static void
panel_key(struct tui *t, const struct key *k, enum action a)
{
	struct annot_ui	*u = t->annot;
	char		*cause = NULL;
	int32_t		 c = k->mods == 0 ? k->code : 0;

	if (a == ACT_CANCEL || c == 'q' || c == 'a') {
		tui_annot_close(t);
	} else if (a == ACT_UP || c == 'k') {
		if (u->sel > 0)
			u->sel--;
	} else if (a == ACT_DOWN || c == 'j') {
		if (u->sel + 1 < u->nann)
			u->sel++;
	} else if (a == ACT_SEND) {
		panel_jump(t);
	} else if (c == 'd' && u->sel < u->nann) {
		if (u->ann[u->sel].span_start < 0)
			tui_note(t, "d deletes a passage's annotation; rate, "
			    "tag or write the note again to change the "
			    "answer's");
		else if (store_annotation_remove(t->store,
		    u->ann[u->sel].id, &cause) != 0) {
			tui_note(t, "%s", cause);
			free(cause);
		} else {
			tui_note(t, "passage annotation deleted");
			reload(t, u->msg);
			panel_load(t);
			if (u->nann == 0)
				tui_annot_close(t);
		}
	} else
		tui_note(t, "Up/Down choose · Enter shows it · d deletes a "
		    "passage's annotation · Esc closes");
}

/* ------------------------------------------------------------------ */
/* Keys and drawing, called from tui.c */

bool
tui_annot_key(struct tui *t, const struct key *k, enum action a)
{
	struct annot_ui	*u = t->annot;

	if (u == NULL)
		return false;
	t->dirty = true;
	if (transcript_item(t->tr, u->item) == NULL) {
		tui_annot_close(t);	/* the transcript was cleared */
		return false;
	}
	if (a == ACT_QUIT || a == ACT_SUSPEND || a == ACT_REDRAW)
		return false;
	switch (u->stage) {
	case AN_PASSAGE:
		passage_key(t, k, a);
		return true;
	case AN_PANEL:
		panel_key(t, k, a);
		return true;
	default:
		return edit_key(t, k, a);
	}
}

void
tui_annot_paste(struct tui *t, const char *text, size_t len)
{
	if (t->annot != NULL && t->annot->ed != NULL)
		editor_insert(t->annot->ed, text, len);
}

const char *
tui_annot_hint(const struct tui *t)
{
	switch (t->annot->stage) {
	case AN_PASSAGE:
		return " w/b word · j/k line · h/l start · Enter note · "
		    "Esc cancel ";
	case AN_TAGS:
		return " Tab completes · -tag removes · Enter saves · "
		    "Esc cancels ";
	case AN_NOTE:
		return " Enter saves · Alt-Enter new line · Esc cancels ";
	default:
		return " ↑↓ choose · Enter show · d delete · Esc close ";
	}
}

/* Fill row y from x to the right edge with spaces in attr. */
static void
fill(int y, int x, int attr)
{
	screen_clear_to_eol(y, x, attr);
}

static void
draw_panel(struct tui *t, int height)
{
	struct annot_ui	*u = t->annot;
	struct buf	 b;
	const struct annotation *a;
	const char	*src;
	char		*clean;
	size_t		 i, len, top = 0, rows;
	int		 pw = t->cols / 2 < PANEL_MAX ? t->cols / 2 : PANEL_MAX;
	int		 x = t->cols - pw, y, attr;

	if (pw < 16 || height < 3)
		return;
	src = source_of(t, &len);
	rows = (size_t)height - 1;
	if (u->sel >= rows)
		top = u->sel - rows + 1;
	screen_put(0, x, " annotations ", 13, pw, screen_attr(TS_HEADING) |
	    A_REVERSE);
	fill(0, x + 13, screen_attr(TS_HEADING) | A_REVERSE);
	buf_init(&b, BUF_NO_LIMIT);
	for (y = 1; y < height; y++) {
		i = top + (size_t)y - 1;
		attr = i == u->sel ? screen_attr(TS_SELECT) : (int)A_REVERSE;
		buf_reset(&b);
		buf_addc(&b, ' ');
		if (i < u->nann) {
			a = &u->ann[i];
			if (a->span_start < 0) {
				buf_addstr(&b, "answer");
				if (a->rating != RATING_NONE)
					buf_addstr(&b, a->rating > 0 ? " +1" :
					    a->rating < 0 ? " −1" : " 0");
			} else if ((size_t)a->span_end <= len) {
				buf_addstr(&b, "“");
				buf_add(&b, src + a->span_start,
				    (size_t)(a->span_end - a->span_start));
				buf_addstr(&b, "”");
			}
			if (a->ntags > 0) {
				size_t j;

				buf_addstr(&b, " ·");
				for (j = 0; j < a->ntags; j++)
					buf_addf(&b, " %s", a->tags[j]);
			}
			if (a->note != NULL)
				buf_addf(&b, " · %s", a->note);
		}
		clean = sanitize(b.data != NULL ? b.data : "", b.len,
		    SANITIZE_NORMAL, &len);
		for (i = 0; i < len; i++)
			if (clean[i] == '\n' || clean[i] == '\t')
				clean[i] = ' ';
		fill(y, x + screen_put(y, x, clean, len, pw, attr), attr);
		free(clean);
		src = source_of(t, &len);
	}
	buf_release(&b);
}

void
tui_annot_draw(struct tui *t, int tr_h)
{
	struct annot_ui	*u = t->annot;
	const char	*label, *s;
	size_t		 n, len, i;
	int		 row, col, h, y0, first, lw, ew = t->cols - 4;

	if (u == NULL)
		return;
	if (u->stage == AN_PANEL) {
		draw_panel(t, tr_h);
		curs_set(0);
		return;
	}
	if (u->stage == AN_PASSAGE || u->ed == NULL || ew < 8)
		return;
	label = u->stage == AN_TAGS ? (u->passage ? "tags for the passage: " :
	    "tags: ") : (u->passage ? "note on the passage" :
	    "note on the answer");
	lw = (int)width_text(label, strlen(label));
	if (u->stage == AN_TAGS) {
		if (lw > t->cols / 2)
			lw = 0;
		n = editor_layout(u->ed, t->cols - lw - 2, &row, &col);
		y0 = tr_h - 1;
		screen_put(y0, 0, label, strlen(label), t->cols,
		    screen_attr(TS_HEADING) | A_REVERSE);
		first = row;
		s = editor_row(u->ed, (size_t)first, &len);
		fill(y0, lw + screen_put(y0, lw, s, len, t->cols - lw - 1,
		    A_REVERSE), A_REVERSE);
		curs_set(1);
		move(y0, lw + col);
		return;
	}
	n = editor_layout(u->ed, ew, &row, &col);
	h = (int)n < NOTE_ROWS ? (int)n : NOTE_ROWS;
	if (h < 2)
		h = 2;
	if (h + 1 > tr_h)
		h = tr_h - 1;
	if (h < 1)
		return;
	y0 = tr_h - h - 1;
	screen_put(y0, 0, label, strlen(label), t->cols,
	    screen_attr(TS_HEADING) | A_REVERSE);
	fill(y0, lw, screen_attr(TS_HEADING) | A_REVERSE);
	first = row - h + 1 > 0 ? row - h + 1 : 0;
	for (i = 0; i < (size_t)h; i++) {
		s = (size_t)first + i < n ? editor_row(u->ed, (size_t)first + i,
		    &len) : "";
		if ((size_t)first + i >= n)
			len = 0;
		screen_put(y0 + 1 + (int)i, 0, "  ", 2, 2, A_REVERSE);
		fill(y0 + 1 + (int)i, 2 + screen_put(y0 + 1 + (int)i, 2, s,
		    len, ew, A_REVERSE), A_REVERSE);
	}
	curs_set(1);
	move(y0 + 1 + row - first, 2 + (col < ew ? col : ew - 1));
}
