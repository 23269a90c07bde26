/*
 * core/registry.c - the built-in providers, their models and prices, and
 * the names of enums shared across modules.
 *
 * Prices are USD per million tokens as the providers list them for
 * standard (not batch, not priority) use, late 2025. Any of them can be
 * overridden in the config file with a [price provider:model] section.
 */
#include "config.h"

#include <string.h>

#include "core/core.h"
#include "core/registry.h"

static const char *openai_models[] = {
	"gpt-4o-mini", "gpt-4o", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano",
	"gpt-5", "gpt-5-mini", "gpt-5-nano", "o3", "o4-mini", NULL
};
static const char *anthropic_models[] = {
	"claude-sonnet-4-5", "claude-opus-4-1", "claude-haiku-4-5",
	"claude-3-5-haiku-latest", NULL
};
static const char *gemini_models[] = {
	"gemini-2.5-flash", "gemini-2.5-pro", "gemini-2.5-flash-lite", NULL
};
static const char *mistral_models[] = {
	"mistral-small-latest", "mistral-medium-latest",
	"mistral-large-latest", "codestral-latest", NULL
};
static const char *ollama_models[] = { "llama3.2", NULL };
static const char *no_models[] = { NULL };

const struct builtin_provider builtin_providers[] = {
	{ "openai", API_OPENAI, "https://api.openai.com/v1",
	    "OPENAI_BASE_URL", "OPENAI_API_KEY", false, true, openai_models,
	    "gpt-4o-mini" },
	{ "anthropic", API_ANTHROPIC, "https://api.anthropic.com",
	    "ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY", false, false,
	    anthropic_models, "claude-sonnet-4-5" },
	{ "gemini", API_GEMINI,
	    "https://generativelanguage.googleapis.com/v1beta",
	    "GEMINI_BASE_URL", "GEMINI_API_KEY", false, false, gemini_models,
	    "gemini-2.5-flash" },
	{ "mistral", API_OPENAI, "https://api.mistral.ai/v1",
	    "MISTRAL_BASE_URL", "MISTRAL_API_KEY", false, false,
	    mistral_models, "mistral-small-latest" },
	{ "openrouter", API_OPENAI, "https://openrouter.ai/api/v1",
	    "OPENROUTER_BASE_URL", "OPENROUTER_API_KEY", false, true,
	    no_models, "openai/gpt-4o-mini" },
	{ "ollama", API_OLLAMA, "http://127.0.0.1:11434", "OLLAMA_HOST",
	    "OLLAMA_API_KEY", true, false, ollama_models, "llama3.2" },
	{ NULL, 0, NULL, NULL, NULL, false, false, NULL, NULL }
};

const struct builtin_price builtin_prices[] = {
	{ "openai", "gpt-4o-mini",	{ 0.15, 0.60, 0.075 } },
	{ "openai", "gpt-4o",		{ 2.50, 10.00, 1.25 } },
	{ "openai", "gpt-4.1",		{ 2.00, 8.00, 0.50 } },
	{ "openai", "gpt-4.1-mini",	{ 0.40, 1.60, 0.10 } },
	{ "openai", "gpt-4.1-nano",	{ 0.10, 0.40, 0.025 } },
	{ "openai", "gpt-5",		{ 1.25, 10.00, 0.125 } },
	{ "openai", "gpt-5-mini",	{ 0.25, 2.00, 0.025 } },
	{ "openai", "gpt-5-nano",	{ 0.05, 0.40, 0.005 } },
	{ "openai", "o3",		{ 2.00, 8.00, 0.50 } },
	{ "openai", "o4-mini",		{ 1.10, 4.40, 0.275 } },
	{ "anthropic", "claude-sonnet-4-5", { 3.00, 15.00, 0.30 } },
	{ "anthropic", "claude-opus-4-1", { 15.00, 75.00, 1.50 } },
	{ "anthropic", "claude-haiku-4-5", { 1.00, 5.00, 0.10 } },
	{ "anthropic", "claude-3-5-haiku-latest", { 0.80, 4.00, 0.08 } },
	{ "gemini", "gemini-2.5-flash",	{ 0.30, 2.50, 0.075 } },
	{ "gemini", "gemini-2.5-pro",	{ 1.25, 10.00, 0.31 } },
	{ "gemini", "gemini-2.5-flash-lite", { 0.10, 0.40, 0.025 } },
	{ "mistral", "mistral-small-latest", { 0.10, 0.30, -1 } },
	{ "mistral", "mistral-medium-latest", { 0.40, 2.00, -1 } },
	{ "mistral", "mistral-large-latest", { 2.00, 6.00, -1 } },
	{ "mistral", "codestral-latest", { 0.30, 0.90, -1 } },
	{ NULL, NULL, { 0, 0, 0 } }
};

static const char *api_names[] = { "openai", "anthropic", "ollama", "gemini" };

const char *
api_kind_name(enum api_kind k)
{
	if ((size_t)k < sizeof api_names / sizeof api_names[0])
		return api_names[k];
	return "unknown";
}

int
api_kind_parse(const char *s, enum api_kind *k)
{
	size_t	i;

	for (i = 0; i < sizeof api_names / sizeof api_names[0]; i++) {
		if (strcmp(s, api_names[i]) == 0) {
			*k = (enum api_kind)i;
			return 0;
		}
	}
	return -1;
}

static const char *role_names[] = { "system", "user", "assistant" };

const char *
role_name(enum role r)
{
	if ((size_t)r < sizeof role_names / sizeof role_names[0])
		return role_names[r];
	return "unknown";
}

int
role_parse(const char *s, enum role *r)
{
	size_t	i;

	for (i = 0; i < sizeof role_names / sizeof role_names[0]; i++) {
		if (strcmp(s, role_names[i]) == 0) {
			*r = (enum role)i;
			return 0;
		}
	}
	return -1;
}
