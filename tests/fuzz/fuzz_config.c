/*
 * tests/fuzz/fuzz_config.c - fuzz target for the config file parser
 * (core/config.c through config_load_string()).
 *
 * The input is the file's text (cut at a NUL, as a C string). Promises
 * checked: a bad file gives NULL and one line of cause that starts with
 * "config line N:" and holds no control character (it is printed to a
 * terminal, and the file's bytes are quoted in it); a good one gives a
 * default model that resolves or fails with a cause, providers with a
 * name, a known API and a base URL, and [keys] pairs with their lines.
 * Nothing here reads a key: key_cmd would run a command.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "tests/fuzz/fuzz.h"

int
fuzz_check(const unsigned char *data, size_t size, char *why, size_t whylen)
{
	struct config		*c;
	const struct provider	*p, *rp;
	const struct config_pair *kp;
	struct price		 price;
	char			*text, *cause = NULL, *model = NULL;
	const char		*spec;
	size_t			 i, j, nlines;
	int			 rc = 0;

	text = xmalloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	for (i = 0, nlines = 1; i < size && text[i] != '\0'; i++)
		if (text[i] == '\n')
			nlines++;
	c = config_load_string(text, NULL, &cause);
	if (c == NULL) {
		if (cause == NULL)
			FUZZ_FAIL("NULL config without a cause");
		if (strncmp(cause, "config line ", 12) != 0)
			FUZZ_FAIL("cause does not name the line: '%s'", cause);
		if ((size_t)strtol(cause + 12, NULL, 10) > nlines)
			FUZZ_FAIL("cause names a line past the end: '%s'",
			    cause);
		if (fuzz_has_control(cause, strlen(cause), false))
			FUZZ_FAIL("cause holds a control character");
		goto out;
	}
	if (cause != NULL)
		FUZZ_FAIL("config and a cause: '%s'", cause);
	spec = config_default_model(c);
	if (spec == NULL)
		FUZZ_FAIL("no default model");
	if (config_resolve_model(c, spec, &rp, &model, &cause) == 0) {
		if (rp == NULL || model == NULL)
			FUZZ_FAIL("resolved to nothing");
		(void)config_price(c, rp->name, model, &price);
	} else if (cause == NULL)
		FUZZ_FAIL("default model fails without a cause");
	else if (fuzz_has_control(cause, strlen(cause), false))
		FUZZ_FAIL("resolve cause holds a control character");
	for (i = 0; i < config_nproviders(c); i++) {
		p = config_provider_at(c, i);
		if (p->name == NULL || p->base_url == NULL)
			FUZZ_FAIL("provider %zu without a name or URL", i);
		if (config_provider(c, p->name) != p)
			FUZZ_FAIL("provider '%s' is not found by name",
			    p->name);
		for (j = 0; j < p->nmodels; j++)
			if (p->models[j] == NULL || p->models[j][0] == '\0')
				FUZZ_FAIL("provider '%s' model %zu empty",
				    p->name, j);
		(void)provider_has_key(p);
	}
	for (i = 0; i < config_nkeys(c); i++) {
		kp = config_key_at(c, i);
		if (kp->name == NULL || kp->value == NULL || kp->line < 1 ||
		    (size_t)kp->line > nlines)
			FUZZ_FAIL("key pair %zu broken", i);
	}
	(void)config_stall_timeout(c);
	(void)config_model_is_guess(c);
out:
	free(cause);
	free(model);
	config_free(c);
	free(text);
	return rc;
}
