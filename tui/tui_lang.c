/*
 * tui/tui_lang.c - the chat screen's side of language checking: /lang
 * sets, shows or clears the language the conversation's answers are
 * expected in (the session keeps and stores it), every answer that has
 * ended is checked against it (tui/langcheck.c) and the findings become
 * lines under the answer, and the status line says what is expected.
 *
 * Checking costs some 280 instructions per byte, so a long conversation
 * being opened (or checked again after /lang) is checked between frames
 * and keys, the last answers first: the first screen does not wait.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lang/lang.h"
#include "tui/tui.h"

/* Text checked at once when the expectation changes: the last answers. */
#define LANG_DUE_NOW	(64u * 1024)

void
tui_lang_check(struct tui *t, struct variant *v)
{
	const char	*src, *expect;
	size_t		 len;

	langcheck_release(&v->lc);
	v->lc_due = false;
	if (v->status == MSG_STREAMING)
		return;		/* decided once the answer has ended */
	expect = session_expected_lang(t->session, NULL);
	src = md_source(v->md, &len);
	if (src != NULL && len > 0)
		langcheck_answer(src, len, *expect != '\0' ? expect : NULL,
		    &v->lc);
}

void
tui_lang_check_later(struct tui *t, struct variant *v)
{
	langcheck_release(&v->lc);
	v->lc_due = v->status != MSG_STREAMING;
	t->lc_due = t->lc_due || v->lc_due;
}

bool
tui_lang_run_due(struct tui *t, size_t budget)
{
	struct item	*it;
	size_t		 i, j, done = 0, len;
	bool		 touched;

	if (!t->lc_due)
		return false;
	for (i = transcript_count(t->tr); i-- > 0;) {
		it = transcript_item(t->tr, i);
		if (it->kind != ITEM_ASSISTANT)
			continue;
		touched = false;
		for (j = 0; j < it->nv; j++) {
			if (!it->v[j].lc_due)
				continue;
			if (done >= budget)
				return true;
			(void)md_source(it->v[j].md, &len);
			tui_lang_check(t, &it->v[j]);
			done += len + 1;
			/* Lines under the answer change its rows. */
			touched = touched || it->v[j].lc.n > 0;
		}
		if (touched) {
			it->width = 0;
			transcript_changed(t->tr);
			t->dirty = true;
		}
	}
	t->lc_due = false;
	return false;
}

void
tui_lang_recheck(struct tui *t)
{
	struct item	*it;
	size_t		 i, j;

	for (i = 0; i < transcript_count(t->tr); i++) {
		it = transcript_item(t->tr, i);
		if (it->kind != ITEM_ASSISTANT)
			continue;
		for (j = 0; j < it->nv; j++)
			tui_lang_check_later(t, &it->v[j]);
		it->width = 0;
	}
	transcript_changed(t->tr);
	(void)tui_lang_run_due(t, LANG_DUE_NOW);
	t->dirty = true;
}

void
tui_lang_command(struct tui *t, const char *arg)
{
	enum expect_source	 by;
	const char		*code;
	char			*s, *cause = NULL, lower[8];
	size_t			 i;

	if (*arg == '\0') {
		code = session_expected_lang(t->session, &by);
		s = expect_describe(code, by);
		tui_note(t, "expected language: %s%s", s, by == EXPECT_NONE ?
		    " (the first prompt sets it when its language is clear; "
		    "/lang CODE sets it)" : "");
		free(s);
		return;
	}
	if (strcmp(arg, "off") == 0 || strcmp(arg, "none") == 0) {
		if (session_set_expected_lang(t->session, NULL, EXPECT_OFF,
		    &cause) != 0) {
			tui_note(t, "%s", cause);
			free(cause);
		} else
			tui_note(t, "no expected language: answers are not "
			    "checked");
		tui_lang_recheck(t);
		return;
	}
	for (i = 0; arg[i] != '\0' && i + 1 < sizeof lower; i++)
		lower[i] = arg[i] >= 'A' && arg[i] <= 'Z' ? arg[i] + 32 :
		    arg[i];
	lower[i] = '\0';
	if (arg[i] != '\0' || !langid_known(lower)) {
		tui_note(t, "/lang takes a language code that tolk lang knows "
		    "(sl, hr, en, ...) or off, not '%s'", arg);
		return;
	}
	if (session_set_expected_lang(t->session, lower, EXPECT_USER,
	    &cause) != 0) {
		tui_note(t, "%s", cause);
		free(cause);
	} else {
		s = lang_label(lower);
		tui_note(t, "answers are expected in %s", s);
		free(s);
	}
	tui_lang_recheck(t);
}

void
tui_lang_status(struct tui *t, struct buf *b)
{
	const char	*expect = session_expected_lang(t->session, NULL);

	if (*expect != '\0')
		buf_addf(b, "expect %s · ", expect);
	if (t->lang[0] != '\0')
		buf_addf(b, "%s · ", t->lang);
}
