/*
 * tui/tui_blind.c - blind votes in the compare view: /blind opens the
 * last answer (`b` in selection mode the chosen one) and its siblings side
 * by side with the model names hidden and the columns shuffled; 1 to 4 vote for a column (1 is the left one,
 * 2 the right one), t for a tie, b for both (all) bad. Then the names are
 * shown and the vote is stored with the order the answers were shown in
 * (history/'s store_vote_add).
 *
 * tui_compare.c keeps its columns; this file only reorders them, names
 * them while the vote is open, and takes the voting keys.
 */
#include "config.h"

#include <sys/random.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/tui.h"

struct blind {
	bool	voted;
	char	labels[VOTE_MAX][16];
};

void
tui_blind_end(struct tui *t)
{
	free(t->blind);
	t->blind = NULL;
}

/* A random permutation of n (n <= VOTE_MAX) that is not the identity. */
static void
shuffle(size_t *perm, size_t n)
{
	unsigned char	r[16];
	size_t		i, j, k, tmp;
	bool		same;

	for (k = 0; k < 8; k++) {
		if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r)
			for (i = 0; i < sizeof r; i++)
				r[i] = (unsigned char)rand();
		for (i = 0; i < n; i++)
			perm[i] = i;
		for (i = n - 1; i > 0; i--) {
			j = r[i] % (i + 1);
			tmp = perm[i];
			perm[i] = perm[j];
			perm[j] = tmp;
		}
		for (i = 0, same = true; i < n; i++)
			same = same && perm[i] == i;
		if (!same)
			return;
	}
}

int
tui_blind_open(struct tui *t, struct item *it)
{
	size_t	perm[VOTE_MAX], i, n;

	if (tui_compare_open(t, it != NULL ? it :
	    transcript_last_answer(t->tr)) != 0) {
		tui_note(t, "a blind vote needs an answer with siblings "
		    "(/compare, /sample, /retry)");
		return -1;
	}
	if ((n = tui_compare_columns(t, NULL, NULL)) > VOTE_MAX) {
		tui_compare_close(t);
		tui_note(t, "a blind vote takes 2 to %d answers", VOTE_MAX);
		return -1;
	}
	shuffle(perm, n);
	tui_compare_reorder(t, perm);
	t->blind = xcalloc(1, sizeof *t->blind);
	for (i = 0; i < n; i++)
		snprintf(t->blind->labels[i], sizeof t->blind->labels[i],
		    "answer %zu", i + 1);
	tui_note(t, "which is better? the names show after the vote");
	return 0;
}

const char *
tui_blind_label(const struct tui *t, size_t col, const char *label)
{
	if (t->blind == NULL || t->blind->voted || col >= VOTE_MAX)
		return label;
	return t->blind->labels[col];
}

const char *
tui_blind_hint(const struct tui *t)
{
	size_t	n = tui_compare_columns((struct tui *)t, NULL, NULL);

	if (t->blind->voted)
		return " voted · q prompt ";
	return n == 2 ? " 1 left · 2 right · t tie · b both bad · q skip " :
	    " 1-4 the best column · t tie · b all bad · q skip ";
}

static void
vote(struct tui *t, enum vote_outcome o, int winner)
{
	struct vote	 v;
	struct buf	 b;
	int64_t		 ids[VOTE_MAX];
	size_t		 vis[VOTE_MAX], i, n;
	char		*cause = NULL, name[16];

	n = tui_compare_columns(t, ids, vis);
	if (winner >= (int)n)
		return;
	memset(&v, 0, sizeof v);
	v.n = n;
	v.outcome = o;
	v.winner = winner;
	for (i = 0; i < n; i++) {
		if (ids[i] == 0) {
			tui_note(t, "wait for every answer to end and be "
			    "stored before voting");
			return;
		}
		v.shown[i] = ids[i];
		v.column[i] = (int)vis[i];
	}
	if (t->store == NULL) {
		tui_note(t, "nothing is stored in this session (--no-log): "
		    "the vote is not kept");
	} else if (store_vote_add(t->store, &v, &cause) < 0) {
		tui_note(t, "%s", cause);
		free(cause);
		return;
	}
	t->blind->voted = true;
	vote_outcome_format(&v, name, sizeof name);
	buf_init(&b, 512);
	buf_addf(&b, "voted %s:", name);
	for (i = 0; i < n; i++)
		buf_addf(&b, " %zu %s%s", i + 1,
		    tui_compare_label(t, i), i + 1 < n ? "," : "");
	tui_note(t, "%s", b.data);
	buf_release(&b);
	t->dirty = true;
}

bool
tui_blind_key(struct tui *t, const struct key *k)
{
	int32_t	c = k->mods == 0 ? k->code : 0;

	if (t->blind == NULL || t->blind->voted)
		return false;
	if (c >= '1' && c <= '0' + VOTE_MAX)
		vote(t, VOTE_WIN, c - '1');
	else if (c == 't')
		vote(t, VOTE_TIE, -1);
	else if (c == 'b')
		vote(t, VOTE_BOTH_BAD, -1);
	else if (c == 'm')
		tui_note(t, "the metrics name the models: vote first");
	else
		return false;
	return true;
}
