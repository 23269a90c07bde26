/*
 * core/price.c - token counts and what they cost.
 *
 * Unknown is never zero: a count the server did not send stays
 * USAGE_UNKNOWN, and a cost that cannot be computed is -1.
 */
#include "config.h"

#include "core/core.h"

void
usage_init_unknown(struct usage *u)
{
	u->input = USAGE_UNKNOWN;
	u->output = USAGE_UNKNOWN;
	u->cached = USAGE_UNKNOWN;
	u->reasoning = USAGE_UNKNOWN;
}

void
usage_merge(struct usage *dst, const struct usage *src)
{
	if (src->input >= 0)
		dst->input = src->input;
	if (src->output >= 0)
		dst->output = src->output;
	if (src->cached >= 0)
		dst->cached = src->cached;
	if (src->reasoning >= 0)
		dst->reasoning = src->reasoning;
}

double
price_cost(const struct price *p, const struct usage *u)
{
	double	cached_rate, cost;
	int64_t	cached, fresh;

	if (p == NULL || u->input < 0 || u->output < 0)
		return -1;
	cached = u->cached > 0 ? u->cached : 0;
	if (cached > u->input)
		cached = u->input;
	fresh = u->input - cached;
	cached_rate = p->cached_input >= 0 ? p->cached_input : p->input;
	cost = (double)fresh * p->input + (double)cached * cached_rate +
	    (double)u->output * p->output;
	return cost / 1e6;
}

void
price_delta_add(struct buf *b, int64_t tokens, int64_t base_tokens,
    double cost, double base_cost)
{
	double	d;

	if (tokens < 0 || base_tokens < 0)
		buf_addstr(b, "? tokens");
	else
		buf_addf(b, "%+lld tokens", (long long)(tokens - base_tokens));
	if (cost < 0 || base_cost < 0) {
		buf_addstr(b, ", $?");
		return;
	}
	/* The sign of what is shown: -$0.0000 would say nothing. */
	d = cost - base_cost;
	buf_addf(b, ", %c$%.4f", d <= -0.00005 ? '-' : '+', d < 0 ? -d : d);
}
