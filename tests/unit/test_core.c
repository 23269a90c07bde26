/*
 * tests/unit/test_core.c - the capped buffer, the config file, the model
 * registry and the price table.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/core.h"

static void
buf_add_past_limit_fails_and_keeps_content(void **state)
{
	struct buf	b;

	(void)state;
	buf_init(&b, 8);
	assert_int_equal(buf_addstr(&b, "12345"), 0);
	assert_int_equal(buf_addstr(&b, "6789"), -1);
	assert_int_equal(b.len, 5);
	assert_string_equal(b.data, "12345");
	assert_int_equal(buf_addstr(&b, "678"), 0);
	assert_string_equal(b.data, "12345678");
	buf_release(&b);
}

static void
buf_take_transfers_ownership_and_empties(void **state)
{
	struct buf	 b;
	char		*s;
	size_t		 len;

	(void)state;
	buf_init(&b, BUF_NO_LIMIT);
	assert_int_equal(buf_addf(&b, "%s-%d", "ab", 42), 0);
	s = buf_take(&b, &len);
	assert_string_equal(s, "ab-42");
	assert_int_equal(len, 5);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	free(s);
	s = buf_take(&b, &len);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	free(s);
}

static void
buf_holds_binary_and_stays_terminated(void **state)
{
	struct buf	b;
	int		i;

	(void)state;
	buf_init(&b, BUF_NO_LIMIT);
	for (i = 0; i < 10000; i++)
		assert_int_equal(buf_add(&b, "\0x", 2), 0);
	assert_int_equal(b.len, 20000);
	assert_int_equal(b.data[b.len], '\0');
	assert_int_equal(b.data[1], 'x');
	buf_release(&b);
}

/* A real file: all of it is read, and a limit it passes is EFBIG. */
static void
buf_add_stream_reads_a_file_to_its_end_or_limit(void **state)
{
	struct buf	 b;
	FILE		*f = tmpfile();
	int		 i;

	(void)state;
	assert_non_null(f);
	for (i = 0; i < 100000; i++)
		fputs("0123456789", f);
	rewind(f);
	buf_init(&b, BUF_NO_LIMIT);
	assert_int_equal(buf_add_stream(&b, f), 0);
	assert_int_equal(b.len, 1000000);
	assert_memory_equal(b.data + 999990, "0123456789", 10);
	buf_release(&b);
	rewind(f);
	buf_init(&b, 999999);
	errno = 0;
	assert_int_equal(buf_add_stream(&b, f), -1);
	assert_int_equal(errno, EFBIG);
	assert_true(b.len < 999999);
	buf_release(&b);
	fclose(f);
}

static struct config *
load(const char *text, char **cause)
{
	*cause = NULL;
	return config_load_string(text, "test.conf", cause);
}

static void
config_unknown_key_names_line(void **state)
{
	struct config	*c;
	char		*cause;

	(void)state;
	c = load("model = openai:gpt-4o\n\n[provider x]\napi = openai\n"
	    "bse_url = http://x\n", &cause);
	assert_null(c);
	assert_string_equal(cause,
	    "test.conf: config line 5: unknown key 'bse_url'");
	free(cause);
}

static void
config_errors_are_precise(void **state)
{
	static const struct {
		const char	*text;
		const char	*cause;
	} cases[] = {
		{ "[provider x]\napi = soap\n",
		  "config line 2: api must be openai, anthropic, ollama or "
		  "gemini, not 'soap'" },
		{ "[provider x]\napi = openai\n",
		  "config line 1: provider 'x' needs 'api' and 'base_url'" },
		{ "[nonsense]\n", "config line 1: unknown section 'nonsense'" },
		{ "hello\n", "config line 1: expected 'key = value'" },
		{ "[price openai]\n", "config line 1: a price section names "
		  "provider:model, not 'openai'" },
		{ "[price a:b]\ninput = cheap\n", "config line 2: input must "
		  "be a price in USD per million tokens, not 'cheap'" },
		{ "stall_timeout = -3\n", "config line 1: stall_timeout must "
		  "be a whole number of seconds (1 to 86400)" },
		{ "[provider x]\napi = openai\nbase_url = ftp://x\n",
		  "config line 3: base_url must start with http:// or "
		  "https://" },
		{ "[provider x\n", "config line 1: expected '[section]'" },
		{ "model = a:b\nbudget_day = lots\n", "config line 2: "
		  "budget_day must be an amount in USD, not 'lots'" },
		{ "[provider openai]\nbudget_conversation = -1\n",
		  "config line 2: budget_conversation must be an amount in "
		  "USD, not '-1'" },
	};
	struct config	*c;
	char		*cause, *want;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		c = load(cases[i].text, &cause);
		assert_null(c);
		want = xasprintf("test.conf: %s", cases[i].cause);
		assert_string_equal(cause, want);
		free(want);
		free(cause);
	}
}

static void
config_provider_section_adds_provider_and_models(void **state)
{
	struct config		*c;
	const struct provider	*p;
	char			*cause, *model;

	(void)state;
	c = load("# comment\nmodel = local:qwen ; inline comment\n"
	    "[provider local]\napi = ollama\nbase_url = http://127.0.0.1:9\n"
	    "models = qwen,  llama3.2:3b ,\n", &cause);
	assert_non_null(c);
	assert_string_equal(config_default_model(c), "local:qwen");
	p = config_provider(c, "local");
	assert_non_null(p);
	assert_int_equal(p->api, API_OLLAMA);
	assert_int_equal(p->nmodels, 2);
	assert_string_equal(p->models[1], "llama3.2:3b");
	assert_true(p->key_optional);
	assert_int_equal(config_resolve_model(c, "local:llama3.2:3b", &p,
	    &model, &cause), 0);
	assert_string_equal(p->name, "local");
	assert_string_equal(model, "llama3.2:3b");
	free(model);
	config_free(c);
}

static void
config_budgets_top_level_and_per_provider(void **state)
{
	struct config		*c;
	const struct provider	*p;
	char			*cause = NULL;

	(void)state;
	c = load(NULL, &cause);
	assert_non_null(c);
	assert_true(config_budget(c)->day < 0);
	assert_true(config_budget(c)->conversation < 0);
	assert_true(config_provider(c, "openai")->budget.day < 0);
	config_free(c);
	c = load("budget_day = 2.50\nbudget_conversation = 0.5\n"
	    "[provider openai]\nbudget_day = 1\n"
	    "[provider local]\napi = ollama\nbase_url = http://127.0.0.1:9\n"
	    "budget_conversation = 0\n", &cause);
	assert_non_null(c);
	assert_true(config_budget(c)->day == 2.5);
	assert_true(config_budget(c)->conversation == 0.5);
	p = config_provider(c, "openai");
	assert_true(p->budget.day == 1);
	assert_true(p->budget.conversation < 0);
	p = config_provider(c, "local");
	assert_true(p->budget.conversation == 0);
	assert_true(p->budget.day < 0);
	config_free(c);
}

static void
price_delta_says_tokens_and_cost_with_their_signs(void **state)
{
	static const struct {
		int64_t		 t, t0;
		double		 c, c0;
		const char	*want;
	} cases[] = {
		{ 392, 77, 0.000227, 0.000039, "+315 tokens, +$0.0002" },
		{ 77, 392, 0.0041, 0.0082, "-315 tokens, -$0.0041" },
		{ 10, 10, 0.00001, 0.00002, "+0 tokens, +$0.0000" },
		{ -1, 10, 0.5, -1, "? tokens, $?" },
	};
	struct buf	b;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf_init(&b, BUF_NO_LIMIT);
		price_delta_add(&b, cases[i].t, cases[i].t0, cases[i].c,
		    cases[i].c0);
		assert_string_equal(b.data, cases[i].want);
		buf_release(&b);
	}
}

static void
config_resolves_bare_and_tagged_model_names(void **state)
{
	struct config		*c;
	const struct provider	*p;
	char			*cause = NULL, *model;

	(void)state;
	c = load(NULL, &cause);
	assert_non_null(c);
	assert_int_equal(config_resolve_model(c, "claude-sonnet-4-5", &p,
	    &model, &cause), 0);
	assert_string_equal(p->name, "anthropic");
	free(model);
	assert_int_equal(config_resolve_model(c, "nope:x", &p, &model,
	    &cause), -1);
	assert_string_equal(cause, "unknown provider 'nope'");
	free(cause);
	assert_int_equal(config_resolve_model(c, "nomodel", &p, &model,
	    &cause), -1);
	assert_string_equal(cause, "unknown model 'nomodel': write it as "
	    "provider:model (tolk models lists them)");
	free(cause);
	config_free(c);
}

static void
config_env_overrides_base_url_and_model(void **state)
{
	struct config		*c;
	const struct provider	*p;
	char			*cause = NULL;

	(void)state;
	setenv("OLLAMA_HOST", "10.1.2.3:11434", 1);
	setenv("TOLK_MODEL", "gemini:gemini-2.5-pro", 1);
	c = load("model = openai:gpt-4o\n", &cause);
	assert_non_null(c);
	p = config_provider(c, "ollama");
	assert_string_equal(p->base_url, "http://10.1.2.3:11434");
	assert_string_equal(config_default_model(c), "gemini:gemini-2.5-pro");
	config_free(c);
	unsetenv("OLLAMA_HOST");
	unsetenv("TOLK_MODEL");
}

static void
default_model_follows_available_keys(void **state)
{
	struct config	*c;
	char		*cause = NULL;

	(void)state;
	unsetenv("OPENAI_API_KEY");
	unsetenv("ANTHROPIC_API_KEY");
	unsetenv("GEMINI_API_KEY");
	unsetenv("MISTRAL_API_KEY");
	unsetenv("OPENROUTER_API_KEY");
	c = load(NULL, &cause);
	assert_string_equal(config_default_model(c), "ollama:llama3.2");
	config_free(c);
	setenv("ANTHROPIC_API_KEY", "k", 1);
	c = load(NULL, &cause);
	assert_string_equal(config_default_model(c),
	    "anthropic:claude-sonnet-4-5");
	config_free(c);
	unsetenv("ANTHROPIC_API_KEY");
}

static void
missing_key_names_the_variable(void **state)
{
	struct config		*c;
	const struct provider	*p;
	char			*cause = NULL, *key;

	(void)state;
	unsetenv("MISTRAL_API_KEY");
	c = load(NULL, &cause);
	p = config_provider(c, "mistral");
	key = provider_key(p, &cause);
	assert_null(key);
	assert_string_equal(cause, "no key for mistral: set MISTRAL_API_KEY");
	free(cause);
	p = config_provider(c, "ollama");
	key = provider_key(p, &cause);
	assert_null(key);
	assert_null(cause);
	config_free(c);
}

static void
key_cmd_first_line_is_the_key(void **state)
{
	struct config		*c;
	const struct provider	*p;
	char			*cause = NULL, *key;

	(void)state;
	c = load("[provider x]\napi = openai\nbase_url = http://h\n"
	    "key_cmd = printf 'sk-123\\nrest\\n'\n"
	    "[provider y]\napi = openai\nbase_url = http://h\n"
	    "key_cmd = exit 3\n", &cause);
	assert_non_null(c);
	p = config_provider(c, "x");
	assert_true(provider_has_key(p));
	key = provider_key(p, &cause);
	assert_string_equal(key, "sk-123");
	key_free(key);
	key = provider_key(config_provider(c, "y"), &cause);
	assert_null(key);
	assert_string_equal(cause, "key_cmd of y failed (exit 3)");
	free(cause);
	config_free(c);
}

static void
price_unknown_usage_has_no_cost(void **state)
{
	struct price	p = { 1.0, 2.0, 0.5 };
	struct usage	u;

	(void)state;
	usage_init_unknown(&u);
	assert_true(price_cost(&p, &u) < 0);
	u.input = 1000000;
	assert_true(price_cost(&p, &u) < 0);
	u.output = 500000;
	assert_true(price_cost(&p, &u) > 1.999 && price_cost(&p, &u) < 2.001);
	u.cached = 400000;	/* 600k fresh at 1.0 + 400k at 0.5 + 1.0 */
	assert_true(price_cost(&p, &u) > 1.799 && price_cost(&p, &u) < 1.801);
	p.cached_input = -1;	/* cached at the input rate */
	assert_true(price_cost(&p, &u) > 1.999 && price_cost(&p, &u) < 2.001);
}

static void
config_price_override_and_unknown(void **state)
{
	struct config	*c;
	struct price	 p;
	char		*cause = NULL;

	(void)state;
	c = load("[price openai:gpt-4o-mini]\ninput = 9\n"
	    "[price new:model]\ninput = 1\n", &cause);
	assert_non_null(c);
	assert_int_equal(config_price(c, "openai", "gpt-4o-mini", &p), 0);
	assert_true(p.input == 9 && p.output == 0.60);
	/* A price with only one side is not a price. */
	assert_int_equal(config_price(c, "new", "model", &p), -1);
	assert_int_equal(config_price(c, "ollama", "llama3.2", &p), -1);
	config_free(c);
}

static void
config_keys_section_keeps_pairs_in_order(void **state)
{
	struct config			*c;
	const struct config_pair	*kp;
	char				*cause = NULL;

	(void)state;
	c = load("model = x:y\n[keys]\nEnter = newline  # comment\n"
	    "C-x C-s = send\n= = help\n[price a:b]\ninput = 1\n", &cause);
	assert_non_null(c);
	assert_int_equal(config_nkeys(c), 3);
	kp = config_key_at(c, 0);
	assert_string_equal(kp->name, "Enter");
	assert_string_equal(kp->value, "newline");
	assert_int_equal(kp->line, 3);
	kp = config_key_at(c, 1);
	assert_string_equal(kp->name, "C-x C-s");
	kp = config_key_at(c, 2);
	assert_string_equal(kp->name, "=");
	assert_string_equal(kp->value, "help");
	assert_null(config_key_at(c, 3));
	config_free(c);
	c = load("[keys]\nEnter\n", &cause);
	assert_null(c);
	assert_string_equal(cause,
	    "test.conf: config line 2: expected 'KEY = ACTION'");
	free(cause);
}

static void
usage_merge_keeps_unknown_fields(void **state)
{
	struct usage	a, b;

	(void)state;
	usage_init_unknown(&a);
	usage_init_unknown(&b);
	b.input = 10;
	usage_merge(&a, &b);
	usage_init_unknown(&b);
	b.output = 5;
	usage_merge(&a, &b);
	assert_int_equal(a.input, 10);
	assert_int_equal(a.output, 5);
	assert_int_equal(a.cached, USAGE_UNKNOWN);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buf_add_past_limit_fails_and_keeps_content),
		cmocka_unit_test(buf_take_transfers_ownership_and_empties),
		cmocka_unit_test(buf_holds_binary_and_stays_terminated),
		cmocka_unit_test(buf_add_stream_reads_a_file_to_its_end_or_limit),
		cmocka_unit_test(config_unknown_key_names_line),
		cmocka_unit_test(config_errors_are_precise),
		cmocka_unit_test(config_provider_section_adds_provider_and_models),
		cmocka_unit_test(config_resolves_bare_and_tagged_model_names),
		cmocka_unit_test(config_env_overrides_base_url_and_model),
		cmocka_unit_test(default_model_follows_available_keys),
		cmocka_unit_test(missing_key_names_the_variable),
		cmocka_unit_test(key_cmd_first_line_is_the_key),
		cmocka_unit_test(price_unknown_usage_has_no_cost),
		cmocka_unit_test(config_price_override_and_unknown),
		cmocka_unit_test(config_keys_section_keeps_pairs_in_order),
		cmocka_unit_test(config_budgets_top_level_and_per_provider),
		cmocka_unit_test(price_delta_says_tokens_and_cost_with_their_signs),
		cmocka_unit_test(usage_merge_keeps_unknown_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
