/*
 * tui/budget.c - spend limits: the spend read from the store, the cost of
 * the next answer estimated before it is sent, and the verdict that print
 * mode and the TUI act on (warn, or ask before sending).
 *
 * The estimate is only an estimate, and is always called one: tokens are
 * counted by each provider's own tokenizer, which tolk does not have. The
 * stored usage of the conversation's last answer gives the size of what is
 * sent again (its input plus its output); only the new prompt is guessed,
 * from its characters at a rate per language.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cJSON.h>

#include "lang/lang.h"
#include "render/render.h"
#include "tui/budget.h"

/* Output tokens assumed when nothing better is known. */
#define DEFAULT_OUTPUT	1000

/*
 * Characters per token of common BPE tokenizers (cl100k/o200k-like) for
 * text in a language: English packs best, inflected languages with
 * diacritics less well, other scripts worse. Rough on purpose.
 */
static const struct {
	const char	*codes;
	double		 chars;
} lang_rates[] = {
	{ "en", 4.0 },
	{ "de nl sv da nb nn is", 3.5 },
	{ "fr es it pt ca gl ro", 3.6 },
	{ "pl cs sk sl hr bs sr hu fi et lt lv tr mt sq cy ga eu", 2.8 },
	{ "ru uk bg mk", 2.6 },
	{ "el", 2.2 },
};

static double
script_rate(enum lang_script sc)
{
	switch (sc) {
	case SCRIPT_CJK:
		return 1.3;
	case SCRIPT_GREEK:
		return 2.2;
	case SCRIPT_CYRILLIC:
		return 2.6;
	case SCRIPT_LATIN:
		return 3.5;
	default:
		return 3.0;
	}
}

static size_t
count_chars(const char *s, size_t len)
{
	size_t	i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

int64_t
budget_estimate_tokens(const char *text, size_t len)
{
	struct lang_result	lr;
	double			rate;
	size_t			i, sample = len, nchars;
	const char		*p;

	nchars = count_chars(text, len);
	if (nchars == 0)
		return 0;
	if (sample > 8192)
		sample = utf8_complete(text, 8192);
	memset(&lr, 0, sizeof lr);
	(void)langid_detect(text, sample, NULL, &lr);
	rate = script_rate(lr.script);
	for (i = 0; lr.code[0] != '\0' &&
	    i < sizeof lang_rates / sizeof lang_rates[0]; i++) {
		p = strstr(lang_rates[i].codes, lr.code);
		if (p != NULL && (p[2] == ' ' || p[2] == '\0')) {
			rate = lang_rates[i].chars;
			break;
		}
	}
	return (int64_t)((double)nchars / rate + 0.999);
}

bool
budget_any(const struct config *c)
{
	const struct provider	*p;
	size_t			 i;

	if (config_budget(c)->day >= 0 || config_budget(c)->conversation >= 0)
		return true;
	for (i = 0; i < config_nproviders(c); i++) {
		p = config_provider_at(c, i);
		if (p->budget.day >= 0 || p->budget.conversation >= 0)
			return true;
	}
	return false;
}

int64_t
budget_day_start(void)
{
	struct tm	tm;
	time_t		now = time(NULL);

	localtime_r(&now, &tm);
	tm.tm_hour = 0;
	tm.tm_min = 0;
	tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

int
budget_spend(struct store *st, int64_t conversation, struct budget_spend *sp,
    char **cause)
{
	sp->today = 0;
	sp->conversation = 0;
	if (st == NULL)
		return 0;
	if (store_spend(st, budget_day_start(), 0, NULL, &sp->today,
	    cause) != 0)
		return -1;
	if (conversation > 0 && store_spend(st, 0, conversation, NULL,
	    &sp->conversation, cause) != 0)
		return -1;
	return 0;
}

static void
add_part(struct buf *b, const char *name, double spent, double limit)
{
	if (b->len > 0)
		buf_addstr(b, " · ");
	if (limit >= 0)
		buf_addf(b, "%s $%.4f/$%.4f", name, spent, limit);
	else
		buf_addf(b, "%s $%.4f", name, spent);
}

char *
budget_status(const struct config *config, const struct budget_spend *sp)
{
	const struct budget	*bg = config_budget(config);
	struct buf		 b;

	buf_init(&b, BUF_NO_LIMIT);
	add_part(&b, "today", sp->today, bg->day);
	add_part(&b, "conv", sp->conversation, bg->conversation);
	return buf_take(&b, NULL);
}

static void
json_limit(cJSON *o, const char *key, double limit)
{
	if (limit >= 0)
		cJSON_AddNumberToObject(o, key, limit);
	else
		cJSON_AddNullToObject(o, key);
}

int
budget_report(const struct config *config, struct store *st, struct buf *b,
    cJSON *json, char **cause)
{
	const struct provider	*p;
	struct budget_spend	 sp;
	struct buf		 line;
	cJSON			*o = NULL, *a = NULL, *po;
	char			*s;
	int64_t			 conv, day = budget_day_start();
	size_t			 i;

	if ((conv = store_conversation_latest(st, cause)) < 0 ||
	    budget_spend(st, conv, &sp, cause) != 0)
		return -1;
	s = budget_status(config, &sp);
	buf_addstr(b, s);
	free(s);
	if (conv > 0)
		buf_addf(b, " (conversation %lld)", (long long)conv);
	buf_addc(b, '\n');
	if (json != NULL) {
		o = cJSON_AddObjectToObject(json, "budget");
		cJSON_AddNumberToObject(o, "today", sp.today);
		json_limit(o, "budget_day", config_budget(config)->day);
		if (conv > 0)
			cJSON_AddNumberToObject(o, "conversation", (double)conv);
		else
			cJSON_AddNullToObject(o, "conversation");
		cJSON_AddNumberToObject(o, "conversation_spent",
		    sp.conversation);
		json_limit(o, "budget_conversation",
		    config_budget(config)->conversation);
		a = cJSON_AddArrayToObject(o, "providers");
	}
	for (i = 0; i < config_nproviders(config); i++) {
		p = config_provider_at(config, i);
		if (p->budget.day < 0 && p->budget.conversation < 0)
			continue;
		if (store_spend(st, day, 0, p->name, &sp.today, cause) != 0)
			return -1;
		sp.conversation = 0;
		if (conv > 0 && store_spend(st, 0, conv, p->name,
		    &sp.conversation, cause) != 0)
			return -1;
		buf_init(&line, BUF_NO_LIMIT);
		add_part(&line, "today", sp.today, p->budget.day);
		add_part(&line, "conv", sp.conversation,
		    p->budget.conversation);
		buf_addf(b, "%s: %s\n", p->name, line.data);
		buf_release(&line);
		if (a == NULL)
			continue;
		po = cJSON_CreateObject();
		cJSON_AddStringToObject(po, "provider", p->name);
		cJSON_AddNumberToObject(po, "today", sp.today);
		json_limit(po, "budget_day", p->budget.day);
		cJSON_AddNumberToObject(po, "conversation_spent",
		    sp.conversation);
		json_limit(po, "budget_conversation", p->budget.conversation);
		cJSON_AddItemToArray(a, po);
	}
	return 0;
}

/* The size of the next request, estimated (see budget.h). */
struct estimate {
	int64_t	input;
	int64_t	output;
	bool	from_usage;	/* the input counts stored usage */
};

static void
estimate_request(struct store *st, struct session *s, const char *prompt,
    long max_tokens, struct estimate *e)
{
	const struct chat_message	*h;
	struct stored_message		 m;
	char				*cause = NULL;
	size_t				 n, i;
	int64_t				 leaf = session_leaf(s);

	memset(e, 0, sizeof *e);
	e->output = -1;
	if (st != NULL && leaf > 0) {
		stored_message_init(&m);
		if (store_message_get(st, leaf, &m, &cause) == 0 &&
		    m.role == ROLE_ASSISTANT && m.usage.input >= 0 &&
		    m.usage.output >= 0) {
			e->input = m.usage.input + m.usage.output;
			e->output = m.usage.output;
			e->from_usage = true;
		}
		free(cause);
		stored_message_release(&m);
	}
	if (!e->from_usage) {
		h = session_history(s, &n);
		for (i = 0; i < n; i++)
			e->input += budget_estimate_tokens(h[i].content,
			    strlen(h[i].content));
	}
	e->input += budget_estimate_tokens(prompt, strlen(prompt));
	if (max_tokens > 0)
		e->output = max_tokens;
	else if (e->output <= 0)
		e->output = DEFAULT_OUTPUT;
}

/*
 * What was spent since (unix seconds; 0 with conv > 0: the whole
 * conversation) in conv (0: no conversation, -1: every one) by provider
 * (NULL: every one). Nothing is spent without a store or a conversation.
 * A store that fails is not a reason to stop sending: the check is then
 * skipped (-1).
 */
static int
spent(struct store *st, int64_t since, int64_t conv, const char *provider,
    double *out)
{
	char	*cause = NULL;

	*out = 0;
	if (st == NULL || conv == 0)
		return 0;
	if (store_spend(st, since, conv < 0 ? 0 : conv, provider, out,
	    &cause) != 0) {
		free(cause);
		return -1;
	}
	return 0;
}

struct check {
	enum budget_verdict	 verdict;
	char			*msg;
};

static void
verdict(struct check *c, enum budget_verdict v, char *msg)
{
	if (v > c->verdict) {
		c->verdict = v;
		free(c->msg);
		c->msg = msg;
	} else
		free(msg);
}

/* One budget: limit (< 0: none) against spent plus cost. */
static void
check_one(struct check *c, const char *what, const char *who,
    const char *when, double limit, double spent, double cost)
{
	if (limit < 0)
		return;
	if (spent >= limit) {
		verdict(c, BUDGET_CROSSED, xasprintf("the %s budget%s%s is "
		    "spent: $%.4f of $%.4f %s", what, who != NULL ? " of " : "",
		    who != NULL ? who : "", spent, limit, when));
		return;
	}
	if (spent + cost > limit)
		verdict(c, BUDGET_MAY_CROSS, xasprintf("this answer could "
		    "cross the %s budget%s%s: $%.4f of $%.4f spent %s, and it "
		    "may cost $%.4f (an estimate)", what, who != NULL ?
		    " of " : "", who != NULL ? who : "", spent, limit, when,
		    cost));
}

enum budget_verdict
budget_check(const struct config *config, struct store *st,
    struct session *s, const char *prompt, const char *const *specs,
    size_t nspecs, long max_tokens, char **msg)
{
	const struct budget	*top = config_budget(config);
	const struct provider	**pv;
	struct estimate		 e;
	struct price		 price;
	struct usage		 u;
	struct check		 c;
	double			*cost, total = 0, today, conv;
	char			**model, *cause = NULL;
	int64_t			 day = budget_day_start();
	int64_t			 id = session_conversation(s);
	size_t			 i, j;
	bool			 any;

	*msg = NULL;
	memset(&c, 0, sizeof c);
	pv = xcalloc(nspecs, sizeof *pv);
	model = xcalloc(nspecs, sizeof *model);
	cost = xcalloc(nspecs, sizeof *cost);
	any = top->day >= 0 || top->conversation >= 0;
	for (i = 0; i < nspecs; i++) {
		if (config_resolve_model(config, specs[i], &pv[i], &model[i],
		    &cause) != 0) {
			free(cause);
			cause = NULL;
			pv[i] = NULL;
			continue;
		}
		if (pv[i]->budget.day >= 0 || pv[i]->budget.conversation >= 0)
			any = true;
	}
	/* Without a budget nothing is estimated: the language tables stay
	 * out of memory. */
	if (!any)
		goto out;
	estimate_request(st, s, prompt, max_tokens, &e);
	usage_init_unknown(&u);
	u.input = e.input;
	u.output = e.output;
	for (i = 0; i < nspecs; i++) {
		if (pv[i] != NULL && config_price(config, pv[i]->name,
		    model[i], &price) == 0)
			cost[i] = price_cost(&price, &u);
		total += cost[i];
	}
	if (top->day >= 0 || top->conversation >= 0) {
		if (spent(st, day, -1, NULL, &today) == 0)
			check_one(&c, "day", NULL, "today", top->day, today,
			    total);
		if (spent(st, 0, id, NULL, &conv) == 0)
			check_one(&c, "conversation", NULL,
			    "in this conversation", top->conversation, conv,
			    total);
	}
	for (i = 0; i < nspecs; i++) {
		if (pv[i] == NULL || (pv[i]->budget.day < 0 &&
		    pv[i]->budget.conversation < 0))
			continue;
		for (j = 0; j < i && pv[j] != pv[i]; j++)
			;
		if (j < i)
			continue;	/* this provider is checked */
		total = 0;
		for (j = i; j < nspecs; j++)
			if (pv[j] == pv[i])
				total += cost[j];
		if (spent(st, day, -1, pv[i]->name, &today) == 0)
			check_one(&c, "day", pv[i]->name, "today",
			    pv[i]->budget.day, today, total);
		if (spent(st, 0, id, pv[i]->name, &conv) == 0)
			check_one(&c, "conversation", pv[i]->name,
			    "in this conversation", pv[i]->budget.conversation,
			    conv, total);
	}
out:
	for (i = 0; i < nspecs; i++)
		free(model[i]);
	free(model);
	free(pv);
	free(cost);
	*msg = c.msg;
	return c.verdict;
}
