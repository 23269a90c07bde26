/*
 * tui/cmd_models.c - tolk models: the providers, their models and prices,
 * and whether a key is available (never the key itself).
 */
#include "config.h"

#include <cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "tui/commands.h"

static const char *
key_state(const struct provider *p)
{
	if (provider_has_key(p))
		return "key set";
	if (p->key_optional)
		return "no key needed";
	return "no key";
}

static void
print_price(const struct config *c, const struct provider *p,
    const char *model)
{
	struct price	pr;

	if (config_price(c, p->name, model, &pr) != 0) {
		printf("    %-28s  price unknown\n", model);
		return;
	}
	printf("    %-28s  $%.3f in, $%.3f out", model, pr.input, pr.output);
	if (pr.cached_input >= 0)
		printf(", $%.3f cached", pr.cached_input);
	printf(" per million tokens\n");
}

static void
print_human(const struct config *c)
{
	const struct provider	*p;
	size_t			 i, j;

	printf("default model: %s\n", config_default_model(c));
	for (i = 0; i < config_nproviders(c); i++) {
		p = config_provider_at(c, i);
		printf("\n%s  (%s API, %s)  %s", p->name, api_kind_name(p->api),
		    p->base_url, key_state(p));
		if (!provider_has_key(p) && !p->key_optional && p->key_env)
			printf(": set %s", p->key_env);
		printf("\n");
		for (j = 0; j < p->nmodels; j++)
			print_price(c, p, p->models[j]);
	}
}

static void
print_json(const struct config *c)
{
	const struct provider	*p;
	cJSON			*root, *arr, *o, *models, *m;
	struct price		 pr;
	char			*s;
	size_t			 i, j;

	root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "default_model", config_default_model(c));
	arr = cJSON_AddArrayToObject(root, "providers");
	for (i = 0; i < config_nproviders(c); i++) {
		p = config_provider_at(c, i);
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", p->name);
		cJSON_AddStringToObject(o, "api", api_kind_name(p->api));
		cJSON_AddStringToObject(o, "base_url", p->base_url);
		cJSON_AddBoolToObject(o, "key", provider_has_key(p));
		cJSON_AddBoolToObject(o, "key_needed", !p->key_optional);
		if (p->key_env != NULL)
			cJSON_AddStringToObject(o, "key_env", p->key_env);
		models = cJSON_AddArrayToObject(o, "models");
		for (j = 0; j < p->nmodels; j++) {
			m = cJSON_CreateObject();
			cJSON_AddStringToObject(m, "name", p->models[j]);
			if (config_price(c, p->name, p->models[j], &pr) == 0) {
				cJSON_AddNumberToObject(m, "input", pr.input);
				cJSON_AddNumberToObject(m, "output", pr.output);
				if (pr.cached_input >= 0)
					cJSON_AddNumberToObject(m,
					    "cached_input", pr.cached_input);
			}
			cJSON_AddItemToArray(models, m);
		}
		cJSON_AddItemToArray(arr, o);
	}
	s = cJSON_PrintUnformatted(root);
	printf("%s\n", s);
	free(s);
	cJSON_Delete(root);
}

int
cmd_models(int argc, char **argv)
{
	static const struct option	 opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	struct config			*c;
	char				*cause = NULL;
	bool				 json = false;
	int				 ch;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 'j') {
			fprintf(stderr, "tolk: unknown option '%s'\n"
			    "usage: tolk models [--json]\n", argv[optind - 1]);
			return EXIT_USAGE;
		}
		json = true;
	}
	if (optind < argc) {
		fprintf(stderr, "tolk: unexpected argument '%s'\n"
		    "usage: tolk models [--json]\n", argv[optind]);
		return EXIT_USAGE;
	}
	if ((c = config_load(&cause)) == NULL) {
		tolk_warn("%s", cause);
		free(cause);
		return EXIT_USAGE;
	}
	if (json)
		print_json(c);
	else
		print_human(c);
	config_free(c);
	return EXIT_OK;
}
