/*
 * tui/budget.h - spend limits (budget_conversation, budget_day): what was
 * spent, what the next prompt may cost, and whether sending it needs an
 * explicit yes. Shared by print mode, the TUI and tolk usage --today.
 *
 * Spend is read from the store: the known costs of stored answers, and of
 * the answers of --no-log runs, whose cost alone is kept there when a
 * budget is set (store_spend_add(); they belong to no conversation). A
 * --no-log run is checked against the existing history, which it never
 * creates. "Today" starts at local midnight.
 */
#ifndef TOLK_BUDGET_H
#define TOLK_BUDGET_H

#include "core/core.h"
#include "history/history.h"
#include "tui/session.h"

/* Whether any budget is set: top-level or a provider's. */
bool	budget_any(const struct config *);

/* Local midnight of today, in unix seconds. */
int64_t	budget_day_start(void);

/* What was spent, in USD: today, and in one conversation (0 when there is
 * none yet), over every provider. */
struct budget_spend {
	double	today;
	double	conversation;
};
int	budget_spend(struct store *, int64_t conversation,
	    struct budget_spend *, char **cause);

/*
 * The spend against the top-level budgets, for the status line and tolk
 * usage --today: "today $0.1120/$0.1000 · conv $0.0500/$1.0000" (a part
 * without a budget shows the spend alone). Caller frees.
 */
char	*budget_status(const struct config *, const struct budget_spend *);

/*
 * tolk usage --today: the status line's figures for the latest
 * conversation, then one line per provider with budgets of its own
 * ("fo: today $0.1120/$0.0500 · conv $0.1120"). With json set, the same
 * goes into an object {"today", "budget_day", "conversation",
 * "conversation_spent", "budget_conversation", "providers": [...]} (a
 * missing budget is null) added to json as "budget". -1 and *cause when
 * the store fails.
 */
struct cJSON;
int	budget_report(const struct config *, struct store *, struct buf *,
	    struct cJSON *json, char **cause);

enum budget_verdict {
	BUDGET_OK,
	BUDGET_MAY_CROSS,	/* the answer could cross a budget: warn */
	BUDGET_CROSSED,		/* a budget is spent: ask before sending */
};

/*
 * Check every budget that applies to sending prompt ("" for a retry of
 * the last one) to the models specs in the session's conversation: the
 * top-level ones and each model's provider's own. The cost of the answer
 * is an estimate: the input from the stored usage of the conversation's
 * last answer (its input and output tokens) plus the prompt at a
 * characters-per-token rate for its language, the output max_tokens (when
 * > 0), else the last answer's output, else 1000 tokens; models without a
 * price cost nothing. Returns the worst verdict, with *msg a line for
 * people (caller frees; NULL with BUDGET_OK). store may be NULL: nothing
 * was spent then.
 */
enum budget_verdict budget_check(const struct config *, struct store *,
		    struct session *, const char *prompt,
		    const char *const *specs, size_t nspecs, long max_tokens,
		    char **msg);

/* Tokens that text[0..len) makes, estimated from its characters and the
 * language (lang/) or script it is in. */
int64_t	budget_estimate_tokens(const char *text, size_t len);

#endif
