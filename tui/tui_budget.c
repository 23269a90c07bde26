/*
 * tui/tui_budget.c - the spend limits in the TUI: the spend today and in
 * the conversation on the status line, a warning above an answer that
 * could cross a budget, and a prompt that is only sent past a spent
 * budget when the user sends it a second time (the explicit yes).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tui/budget.h"
#include "tui/tui.h"

void
tui_budget_refresh(struct tui *t)
{
	char	*cause = NULL;

	free(t->spend_line);
	t->spend_line = NULL;
	if (t->spend_store == NULL || !budget_any(t->config))
		return;
	if (budget_spend(t->spend_store, session_conversation(t->session),
	    &t->spend, &cause) != 0) {
		free(cause);
		return;
	}
	t->spend_line = budget_status(t->config, &t->spend);
}

int
tui_budget_check(struct tui *t, const char *prompt, const char *const *specs,
    size_t nspecs)
{
	char	*msg = NULL;
	int	 r = 0;

	if (!budget_any(t->config))
		return 0;
	switch (budget_check(t->config, t->spend_store, t->session, prompt,
	    specs,
	    nspecs, t->opts->send.max_tokens, &msg)) {
	case BUDGET_OK:
		break;
	case BUDGET_MAY_CROSS:
		tui_info(t, ITEM_INFO, "%s", msg);
		break;
	case BUDGET_CROSSED:
		if (t->over_budget != NULL &&
		    strcmp(t->over_budget, prompt) == 0) {
			tui_info(t, ITEM_INFO, "%s; sent anyway", msg);
			break;
		}
		free(t->over_budget);
		t->over_budget = xstrdup(prompt);
		tui_info(t, ITEM_ERROR, "%s; not sent: send it again to go "
		    "over the budget", msg);
		r = -1;
		break;
	}
	if (r == 0) {
		free(t->over_budget);
		t->over_budget = NULL;
	}
	free(msg);
	return r;
}
