/*
 * tui/tui_variants.c - prompts as branches: a stored prompt edited and
 * sent again becomes a sibling of the old one (same parent) with its own
 * answers, and the old branch stays. The transcript shows which branch of
 * a prompt is shown (‹2/3› after "you"); Left/Right on a chosen prompt
 * switch branches (the transcript below follows: the newest message under
 * the branch is shown, and the next prompt continues from it); c on a
 * chosen prompt puts the branches side by side in the compare view, each
 * prompt above its answer.
 *
 * The model is the transcript's own: a prompt item knows its stored id and
 * its place among its siblings (struct item branch, nbranch); everything
 * else is read from the store when it is needed.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tui/tui.h"

void
item_count_branches(struct item *it, const struct stored_message *m,
    const struct stored_message *msgs, size_t n)
{
	size_t	i;

	it->branch = 0;
	it->nbranch = 0;
	for (i = 0; i < n; i++) {
		if (msgs[i].role != ROLE_USER ||
		    msgs[i].parent_id != m->parent_id)
			continue;
		if (msgs[i].id == m->id)
			it->branch = it->nbranch;
		it->nbranch++;
	}
}

/*
 * The conversation's messages and the stored prompt id among them. -1
 * with a note when it cannot be read.
 */
static int
load_conversation(struct tui *t, int64_t id, struct stored_message **msgs,
    size_t *n, const struct stored_message **m)
{
	struct conversation_info	info;
	char				*cause = NULL;
	size_t				 i;

	*msgs = NULL;
	*n = 0;
	if (t->store == NULL || session_conversation(t->session) == 0 ||
	    store_conversation_get(t->store, session_conversation(t->session),
	    &info, msgs, n, &cause) != 0) {
		tui_note(t, "%s", cause != NULL ? cause : "there is no "
		    "history (--no-log)");
		free(cause);
		return -1;
	}
	conversation_info_release(&info);
	for (i = 0; i < *n; i++)
		if ((*msgs)[i].id == id) {
			*m = &(*msgs)[i];
			return 0;
		}
	tui_note(t, "prompt %lld is not stored in this conversation",
	    (long long)id);
	stored_messages_free(*msgs, *n);
	return -1;
}

void
tui_branch_count(struct tui *t, struct item *it)
{
	const struct stored_message	*m;
	struct stored_message		*msgs;
	size_t				 n;

	if (it->msg_id == 0 || load_conversation(t, it->msg_id, &msgs, &n,
	    &m) != 0)
		return;
	item_count_branches(it, m, msgs, n);
	stored_messages_free(msgs, n);
}

/* ------------------------------------------------------------------ */
/* Editing a prompt into a new branch */

static bool
can_branch(struct tui *t, const struct item *it)
{
	if (t->store == NULL || it->msg_id == 0) {
		tui_note(t, "only a stored prompt can be edited into a branch "
		    "(this one is not: --no-log, or the history failed)");
		return false;
	}
	if (session_busy(t->session)) {
		tui_note(t, "wait for the answer to end, or stop it with Esc");
		return false;
	}
	return true;
}

void
tui_edit_prompt(struct tui *t, struct item *it, size_t index)
{
	const char	*draft;
	char		*kept;
	size_t		 len;
	bool		 had_draft = !editor_empty(t->ed);

	(void)index;
	if (!can_branch(t, it))
		return;
	if (had_draft) {
		/* The draft is not lost: Up in the editor brings it back. */
		draft = editor_text(t->ed, &len);
		kept = xstrndup(draft, len);
		editor_history_add(t->ed, kept);
		free(kept);
	}
	editor_set_text(t->ed, it->src != NULL ? it->src : "",
	    it->src != NULL ? strlen(it->src) : 0);
	t->edit_from = it->msg_id;
	if (t->selecting)
		tui_select_leave(t);
	tui_note(t, "editing the prompt: Enter sends it as a new branch "
	    "beside the old one, which stays (Esc: not a branch)%s",
	    had_draft ? "; your draft is one Up away" : "");
	t->dirty = true;
}

void
tui_edit_last_prompt(struct tui *t)
{
	struct item	*it;
	size_t		 i = transcript_count(t->tr);

	while (i-- > 0) {
		it = transcript_item(t->tr, i);
		if (it->kind == ITEM_USER) {
			tui_edit_prompt(t, it, i);
			return;
		}
	}
	tui_note(t, "there is no prompt to edit yet");
}

int
tui_branch_begin(struct tui *t, size_t *keep)
{
	struct item	*it;
	char		*cause = NULL;
	size_t		 i, n = transcript_count(t->tr);
	int64_t		 from = t->edit_from;

	t->edit_from = 0;
	for (i = 0; i < n; i++) {
		it = transcript_item(t->tr, i);
		if (it->kind == ITEM_USER && it->msg_id == from)
			break;
	}
	if (i == n) {
		tui_info(t, ITEM_ERROR, "the prompt being edited is not shown "
		    "any more; the text is sent as a new prompt instead");
		*keep = n;
		return 0;
	}
	if (session_branch(t->session, session_conversation(t->session),
	    from, &cause) != 0) {
		tui_info(t, ITEM_ERROR, "%s", cause != NULL ? cause :
		    "cannot branch");
		free(cause);
		return -1;
	}
	*keep = i;
	return 0;
}

void
tui_edit_cancel(struct tui *t)
{
	if (t->edit_from == 0)
		return;
	t->edit_from = 0;
	tui_note(t, "the draft is a new prompt again, not a branch");
}

/* ------------------------------------------------------------------ */
/* Switching branches */

/* The index of message id in msgs (ids ascending), or n. */
static size_t
index_of(const struct stored_message *msgs, size_t n, int64_t id)
{
	size_t	lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (msgs[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && msgs[lo].id == id ? lo : n;
}

/* The newest message at or under message i: children come after their
 * parents, so one pass in id order finds every descendant. */
static int64_t
newest_under(const struct stored_message *msgs, size_t n, size_t i)
{
	bool	*in;
	size_t	 j, k;
	int64_t	 best = msgs[i].id;

	in = xcalloc(n, sizeof *in);
	in[i] = true;
	for (j = i + 1; j < n; j++) {
		k = index_of(msgs, n, msgs[j].parent_id);
		if (k < n && in[k]) {
			in[j] = true;
			best = msgs[j].id;
		}
	}
	free(in);
	return best;
}

void
tui_branch_switch(struct tui *t, struct item *it, size_t index, int dir)
{
	const struct stored_message	*m;
	struct stored_message		*msgs;
	char				*cause = NULL;
	size_t				 n, i, want = SIZE_MAX, k = 0;
	int64_t				 conv, leaf;

	if (it->nbranch < 2) {
		tui_note(t, "this prompt has no other branch (e edits it into "
		    "one)");
		return;
	}
	if (!can_branch(t, it) ||
	    load_conversation(t, it->msg_id, &msgs, &n, &m) != 0)
		return;
	if ((dir < 0 && it->branch == 0) ||
	    (dir > 0 && it->branch + 1 >= it->nbranch)) {
		stored_messages_free(msgs, n);
		return;
	}
	for (i = 0; i < n; i++) {
		if (msgs[i].role != ROLE_USER ||
		    msgs[i].parent_id != m->parent_id)
			continue;
		if (k++ == (size_t)((long)it->branch + dir))
			want = i;
	}
	if (want == SIZE_MAX) {
		stored_messages_free(msgs, n);
		return;
	}
	leaf = newest_under(msgs, n, want);
	conv = session_conversation(t->session);
	stored_messages_free(msgs, n);
	if (tui_open_conversation_at(t, conv, leaf, &cause) != 0) {
		tui_info(t, ITEM_ERROR, "%s", cause != NULL ? cause :
		    "cannot show the branch");
		free(cause);
		return;
	}
	transcript_select(t->tr, index);
	t->dirty = true;
}

/* ------------------------------------------------------------------ */
/* Branches side by side */

/* The newest answer to prompt msgs[i], or NULL. */
static const struct stored_message *
newest_answer(const struct stored_message *msgs, size_t n, size_t i)
{
	const struct stored_message	*a = NULL;
	size_t				 j;

	for (j = i + 1; j < n; j++)
		if (msgs[j].role == ROLE_ASSISTANT &&
		    msgs[j].parent_id == msgs[i].id)
			a = &msgs[j];
	return a;
}

void
tui_compare_branches(struct tui *t, struct item *it, size_t index)
{
	const struct stored_message	*m, *a;
	struct stored_message		*msgs;
	struct item			*own;
	char				**prompts = NULL, *label;
	size_t				 n, i, np = 0;

	(void)index;
	if (it->nbranch < 2) {
		tui_note(t, "this prompt has no other branch to compare with "
		    "(e edits it into one)");
		return;
	}
	if (load_conversation(t, it->msg_id, &msgs, &n, &m) != 0)
		return;
	own = xcalloc(1, sizeof *own);
	own->kind = ITEM_ASSISTANT;
	for (i = 0; i < n; i++) {
		if (msgs[i].role != ROLE_USER ||
		    msgs[i].parent_id != m->parent_id)
			continue;
		a = newest_answer(msgs, n, i);
		if (a != NULL) {
			label = xasprintf("#%lld %s:%s", (long long)msgs[i].id,
			    a->provider != NULL ? a->provider : "?",
			    a->model != NULL ? a->model : "?");
			item_add_variant(own, label, a->content, (int)a->status,
			    a->id);
		} else {
			label = xasprintf("#%lld (no answer)",
			    (long long)msgs[i].id);
			item_add_variant(own, label, "", MSG_COMPLETE, 0);
		}
		free(label);
		prompts = xrealloc(prompts, (np + 1) * sizeof *prompts);
		prompts[np++] = xstrdup(msgs[i].content != NULL ?
		    msgs[i].content : "");
	}
	own->cur = it->branch < own->nv ? it->branch : 0;
	stored_messages_free(msgs, n);
	if (t->selecting)
		tui_select_leave(t);
	tui_compare_open_branches(t, own, prompts, np);
}
