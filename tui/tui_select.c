/*
 * tui/tui_select.c - selection mode: choosing a prompt or an answer in
 * the transcript, and the keys that act on the one chosen.
 *
 * Plain letters on the chat screen type into the prompt editor, so keys
 * that act on a message need a mode of their own. M-Up enters it with the
 * last answer chosen (or the last prompt when there is no answer); Up and
 * Down (k, j) move between prompts and answers, skipping tolk's own notes;
 * Home and End go to the first and last; Esc or q leave. Every other key
 * is looked up in select_actions[]: one row per key and kind of message,
 * so features add a row and a function in their own file.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tui/tui.h"

enum {
	SEL_PROMPT = 1 << 0,
	SEL_ANSWER = 1 << 1,
};

struct select_action {
	int32_t		 key;		/* a code point */
	unsigned	 kinds;		/* SEL_PROMPT | SEL_ANSWER */
	const char	*help;		/* one line for the help screen */
	void		(*run)(struct tui *, struct item *, size_t index);
};

static void	copy_selected(struct tui *, struct item *, size_t);
static void	compare_selected(struct tui *, struct item *, size_t);
static void	blind_selected(struct tui *, struct item *, size_t);

static const struct select_action select_actions[] = {
	{ 'y', SEL_PROMPT | SEL_ANSWER, "copy the text as written",
	    copy_selected },
	{ 'c', SEL_ANSWER, "the answer and its siblings side by side",
	    compare_selected },
	{ 'e', SEL_PROMPT, "edit it into a new branch (the old one stays)",
	    tui_edit_prompt },
	{ 'b', SEL_ANSWER, "a blind vote on it and its siblings (names "
	    "hidden, columns shuffled)", blind_selected },
	{ 'c', SEL_PROMPT, "its branches side by side, each prompt above its "
	    "answer", tui_compare_branches },
	{ 'i', SEL_ANSWER, "inspect: languages per paragraph, flagged words, "
	    "hidden characters", tui_inspect },
	{ '+', SEL_ANSWER, "rate it +1 (again: take the rating back)",
	    tui_annot_rate_up },
	{ '-', SEL_ANSWER, "rate it -1", tui_annot_rate_down },
	{ '0', SEL_ANSWER, "rate it 0 (neither good nor bad)",
	    tui_annot_rate_zero },
	{ 't', SEL_ANSWER, "tag it (Tab completes, -tag removes)",
	    tui_annot_tags },
	{ 'n', SEL_ANSWER, "write its note (Enter saves, Alt-Enter new line)",
	    tui_annot_note },
	{ 'v', SEL_ANSWER, "choose a passage (w/b word, j/k line) and annotate "
	    "it", tui_annot_passage },
	{ 'a', SEL_ANSWER, "its annotations in a side panel (Enter shows one)",
	    tui_annot_panel },
};

static unsigned
item_sel_kind(const struct item *it)
{
	switch (it->kind) {
	case ITEM_USER:
		return SEL_PROMPT;
	case ITEM_ASSISTANT:
		return it->nv > 0 ? SEL_ANSWER : 0;
	default:
		return 0;
	}
}

/* The next item from i in direction dir that can be chosen; i itself
 * when there is none. */
static size_t
step(struct transcript *tr, size_t i, int dir)
{
	size_t	j = i, n = transcript_count(tr);

	for (;;) {
		if (dir < 0 ? j == 0 : j + 1 >= n)
			return i;
		j = dir < 0 ? j - 1 : j + 1;
		if (item_sel_kind(transcript_item(tr, j)) != 0)
			return j;
	}
}

/* The last item that can be chosen, preferring an answer; -1: none. */
static long
last_choosable(struct transcript *tr)
{
	size_t	i, n = transcript_count(tr);
	long	prompt = -1;

	for (i = n; i-- > 0;) {
		unsigned k = item_sel_kind(transcript_item(tr, i));

		if (k == SEL_ANSWER)
			return (long)i;
		if (k == SEL_PROMPT && prompt < 0)
			prompt = (long)i;
	}
	return prompt;
}

void
tui_select_enter(struct tui *t)
{
	long	i;

	if (t->cmp != NULL)
		return;
	if ((i = last_choosable(t->tr)) < 0) {
		tui_note(t, "there is nothing to choose yet");
		return;
	}
	transcript_select(t->tr, (size_t)i);
	t->selecting = true;
	t->dirty = true;
}

void
tui_select_leave(struct tui *t)
{
	transcript_unselect(t->tr);
	t->selecting = false;
	t->dirty = true;
}

const char *
tui_select_hint(const struct tui *t)
{
	struct item	*it;
	size_t		 i;

	if (transcript_selected(t->tr, &i) &&
	    (it = transcript_item(t->tr, i)) != NULL &&
	    it->kind == ITEM_USER)
		return it->nbranch > 1 ? " ↑↓ choose · e edit · ←→ branches · "
		    "c side by side · ? keys · Esc back " : " ↑↓ choose · "
		    "e edit into a branch · y copy · ? keys · Esc back ";
	return " ↑↓ choose · y copy · i inspect · ? keys · Esc back ";
}

static const struct select_action *
find_action(int32_t key, unsigned kind)
{
	size_t	i;

	for (i = 0; i < sizeof select_actions / sizeof select_actions[0];
	    i++)
		if (select_actions[i].key == key &&
		    (select_actions[i].kinds & kind) != 0)
			return &select_actions[i];
	return NULL;
}

static bool
key_is(const struct key *k, int32_t c)
{
	return k->mods == 0 && k->code == c;
}

bool
tui_select_key(struct tui *t, const struct key *k, enum action a)
{
	const struct select_action	*sa;
	struct item			*it;
	size_t				 i, n;
	char				 name[32];
	int				 page = t->rows > 8 ? t->rows - 6 : 1;

	if (!t->selecting)
		return false;
	if (!transcript_selected(t->tr, &i) || t->cmp != NULL) {
		/* The transcript was cleared (/new) or a view covers it. */
		tui_select_leave(t);
		return false;
	}
	it = transcript_item(t->tr, i);
	n = transcript_count(t->tr);
	t->dirty = true;
	if (a == ACT_QUIT || a == ACT_SUSPEND || a == ACT_REDRAW ||
	    a == ACT_HISTORY || a == ACT_MODEL)
		return false;	/* these work everywhere */
	if (a == ACT_CANCEL || a == ACT_INTERRUPT || a == ACT_SELECT ||
	    key_is(k, 'q')) {
		tui_select_leave(t);
		return true;
	}
	if (a == ACT_HELP || key_is(k, '?')) {
		help_open_at(t, "Choosing a message");
		return true;
	}
	if (a == ACT_UP || key_is(k, 'k')) {
		transcript_select(t->tr, step(t->tr, i, -1));
		return true;
	}
	if (a == ACT_DOWN || key_is(k, 'j')) {
		transcript_select(t->tr, step(t->tr, i, 1));
		return true;
	}
	if (a == ACT_LINE_START || a == ACT_TOP) {
		if (item_sel_kind(transcript_item(t->tr, 0)) != 0)
			transcript_select(t->tr, 0);
		else
			transcript_select(t->tr, step(t->tr, 0, 1));
		return true;
	}
	if (a == ACT_LINE_END || a == ACT_BOTTOM) {
		if (item_sel_kind(transcript_item(t->tr, n - 1)) != 0)
			transcript_select(t->tr, n - 1);
		else
			transcript_select(t->tr, step(t->tr, n - 1, -1));
		return true;
	}
	switch (a) {
	case ACT_PAGE_UP:
		transcript_scroll(t->tr, -page);
		return true;
	case ACT_PAGE_DOWN:
		transcript_scroll(t->tr, page);
		return true;
	case ACT_SCROLL_UP:
		transcript_scroll(t->tr, -3);
		return true;
	case ACT_SCROLL_DOWN:
		transcript_scroll(t->tr, 3);
		return true;
	case ACT_LEFT:
	case ACT_RIGHT:
	case ACT_PREV_SIBLING:
	case ACT_NEXT_SIBLING:
		if (it->kind == ITEM_USER)
			tui_branch_switch(t, it, i, a == ACT_LEFT ||
			    a == ACT_PREV_SIBLING ? -1 : 1);
		else if (it != transcript_last_answer(t->tr))
			tui_note(t, "only the last answer's siblings can be "
			    "switched here; c shows them side by side");
		else
			tui_switch_sibling(t, a == ACT_LEFT ||
			    a == ACT_PREV_SIBLING ? -1 : 1);
		return true;
	default:
		break;
	}
	if (k->mods == 0 && k->code > 0 && k->code < K_BASE &&
	    (sa = find_action(k->code, item_sel_kind(it))) != NULL) {
		sa->run(t, it, i);
		return true;
	}
	if (k->code == K_PASTE_END)
		return false;	/* pasted text goes to the draft */
	key_format(k, name, sizeof name);
	tui_note(t, "%s does nothing on %s here (? lists the keys, Esc "
	    "goes back to the prompt)", name, it->kind == ITEM_USER ?
	    "a prompt" : "an answer");
	return true;
}

size_t
select_help(char ***linesp)
{
	size_t	i, n = sizeof select_actions / sizeof select_actions[0], kl;
	char	**lines, key[8];

	lines = xcalloc(n + 2, sizeof *lines);
	lines[0] = xstrdup("Choosing a message (M-Up): Up/Down or k/j move, "
	    "Home/End first/last, Left/Right siblings of the last answer or "
	    "branches of a prompt, Esc or q back");
	for (i = 0; i < n; i++) {
		kl = utf8_encode(select_actions[i].key, key);
		key[kl] = '\0';
		lines[i + 1] = xasprintf("  %s  %s: %s", key,
		    select_actions[i].kinds ==
		    SEL_PROMPT ? "on a prompt" : select_actions[i].kinds ==
		    SEL_ANSWER ? "on an answer" : "on a prompt or answer",
		    select_actions[i].help);
	}
	*linesp = lines;
	return n + 1;
}

/* ------------------------------------------------------------------ */
/* The built-in actions */

static void
copy_selected(struct tui *t, struct item *it, size_t index)
{
	const char	*src;
	size_t		 len;

	(void)index;
	if (it->kind == ITEM_USER) {
		src = it->src != NULL ? it->src : "";
		tui_copy_text(t, src, strlen(src), "the prompt");
		return;
	}
	src = md_source(it->v[it->cur].md, &len);
	tui_copy_text(t, src, len, "the answer");
}

static void
compare_selected(struct tui *t, struct item *it, size_t index)
{
	(void)index;
	if (tui_compare_open(t, it) != 0) {
		tui_note(t, "this answer has no sibling to compare with "
		    "(/retry, /compare, /sample)");
		return;
	}
	tui_select_leave(t);
}

static void
blind_selected(struct tui *t, struct item *it, size_t index)
{
	(void)index;
	if (tui_blind_open(t, it) == 0)
		tui_select_leave(t);
}
