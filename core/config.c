/*
 * core/config.c - the configuration: built-in providers, the INI-style
 * config file, and the environment, in that order of precedence (later
 * wins).
 *
 * The file format (DESIGN.md section 4):
 *
 *	model = openai:gpt-4o-mini	# top-level keys first
 *	[provider mistral]
 *	api = openai
 *	base_url = https://api.mistral.ai/v1
 *	key_env = MISTRAL_API_KEY
 *	[price mistral:mistral-small-latest]
 *	input = 0.10
 *
 * Every error names the line: "config line 12: unknown key 'bse_url'".
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "core/core.h"
#include "core/registry.h"

struct price_entry {
	char		*provider;
	char		*model;
	struct price	 price;
};

struct config {
	char			*path;
	char			*model;		/* from the file */
	char			*env_model;	/* TOLK_MODEL */
	char			*auto_model;	/* chosen from available keys */
	int			 stall_timeout;
	struct budget		 budget;
	struct provider		*providers;
	size_t			 nproviders;
	struct price_entry	*prices;
	size_t			 nprices;
	struct config_pair	*keys;
	size_t			 nkeys;
};

#define MAX_CONFIG_SIZE (1024 * 1024)

static struct provider *
add_provider(struct config *c, const char *name)
{
	struct provider	*p;

	c->providers = xrealloc(c->providers,
	    (c->nproviders + 1) * sizeof *c->providers);
	p = &c->providers[c->nproviders++];
	memset(p, 0, sizeof *p);
	p->name = xstrdup(name);
	p->budget.conversation = -1;
	p->budget.day = -1;
	return p;
}

static struct provider *
find_provider(const struct config *c, const char *name)
{
	size_t	i;

	for (i = 0; i < c->nproviders; i++)
		if (strcmp(c->providers[i].name, name) == 0)
			return &c->providers[i];
	return NULL;
}

static void
set_str(char **dst, const char *src)
{
	free(*dst);
	*dst = src != NULL ? xstrdup(src) : NULL;
}

static void
set_models(struct provider *p, const char *list)
{
	const char	*s, *comma, *e;
	size_t		 i;

	for (i = 0; i < p->nmodels; i++)
		free(p->models[i]);
	free(p->models);
	p->models = NULL;
	p->nmodels = 0;
	for (s = list;; s = comma + 1) {
		comma = strchr(s, ',');
		e = comma != NULL ? comma : s + strlen(s);
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (e > s) {
			p->models = xrealloc(p->models,
			    (p->nmodels + 1) * sizeof *p->models);
			p->models[p->nmodels++] = xstrndup(s, (size_t)(e - s));
		}
		if (comma == NULL)
			break;
	}
}

static struct price_entry *
find_price(const struct config *c, const char *provider, const char *model)
{
	size_t	i;

	for (i = 0; i < c->nprices; i++)
		if (strcmp(c->prices[i].provider, provider) == 0 &&
		    strcmp(c->prices[i].model, model) == 0)
			return &c->prices[i];
	return NULL;
}

static struct price_entry *
add_price(struct config *c, const char *provider, const char *model)
{
	struct price_entry	*e;

	if ((e = find_price(c, provider, model)) != NULL)
		return e;
	c->prices = xrealloc(c->prices, (c->nprices + 1) * sizeof *c->prices);
	e = &c->prices[c->nprices++];
	e->provider = xstrdup(provider);
	e->model = xstrdup(model);
	e->price.input = -1;
	e->price.output = -1;
	e->price.cached_input = -1;
	return e;
}

static void
load_builtins(struct config *c)
{
	const struct builtin_provider	*b;
	const struct builtin_price	*bp;
	struct provider			*p;
	struct price_entry		*e;
	size_t				 i;

	for (b = builtin_providers; b->name != NULL; b++) {
		p = add_provider(c, b->name);
		p->api = b->api;
		p->base_url = xstrdup(b->base_url);
		p->key_env = xstrdup(b->key_env);
		p->key_optional = b->key_optional;
		p->stream_usage = b->stream_usage;
		for (i = 0; b->models[i] != NULL; i++) {
			p->models = xrealloc(p->models,
			    (p->nmodels + 1) * sizeof *p->models);
			p->models[p->nmodels++] = xstrdup(b->models[i]);
		}
	}
	for (bp = builtin_prices; bp->provider != NULL; bp++) {
		e = add_price(c, bp->provider, bp->model);
		e->price = bp->price;
	}
	c->stall_timeout = 120;
	c->budget.conversation = -1;
	c->budget.day = -1;
}

static char *
trim(char *s)
{
	char	*e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* A '#' or ';' starts a comment at the start of a line or after a blank. */
static void
strip_comment(char *s)
{
	char	*p;

	for (p = s; *p != '\0'; p++) {
		if ((*p == '#' || *p == ';') &&
		    (p == s || p[-1] == ' ' || p[-1] == '\t')) {
			*p = '\0';
			return;
		}
	}
}

static int
parse_bool(const char *v, bool *out)
{
	if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0 ||
	    strcmp(v, "on") == 0 || strcmp(v, "1") == 0)
		*out = true;
	else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0 ||
	    strcmp(v, "off") == 0 || strcmp(v, "0") == 0)
		*out = false;
	else
		return -1;
	return 0;
}

static int
parse_number(const char *v, double *out)
{
	char	*end;
	double	 d;

	errno = 0;
	d = strtod(v, &end);
	if (errno != 0 || end == v || *end != '\0' || !isfinite(d) || d < 0)
		return -1;
	*out = d;
	return 0;
}

enum section { SEC_TOP, SEC_PROVIDER, SEC_PRICE, SEC_KEYS };

struct parse_state {
	enum section		 section;
	struct provider		*provider;
	int			 provider_line;
	bool			 provider_new;
	bool			 have_api;
	struct price_entry	*price;
};

static int
check_provider_done(struct parse_state *st, char **cause)
{
	struct provider	*p = st->provider;

	if (st->section != SEC_PROVIDER || !st->provider_new)
		return 0;
	if (!st->have_api || p->base_url == NULL) {
		*cause = xasprintf("config line %d: provider '%s' needs "
		    "'api' and 'base_url'", st->provider_line, p->name);
		return -1;
	}
	/* A provider of one's own without a key is a local server. */
	if (p->key_env == NULL && p->key_cmd == NULL)
		p->key_optional = true;
	return 0;
}

static int
valid_name(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' &&
		    *s != '.')
			return 0;
	return 1;
}

static int
parse_section(struct config *c, struct parse_state *st, char *line,
    int lineno, char **cause)
{
	char	*end, *name, *colon;

	end = strchr(line, ']');
	if (end == NULL || trim(end + 1)[0] != '\0') {
		*cause = xasprintf("config line %d: expected '[section]'",
		    lineno);
		return -1;
	}
	*end = '\0';
	line = trim(line + 1);
	if (check_provider_done(st, cause) != 0)
		return -1;
	if (strncmp(line, "provider", 8) == 0 &&
	    (line[8] == ' ' || line[8] == '\t')) {
		name = trim(line + 8);
		if (!valid_name(name)) {
			*cause = xasprintf("config line %d: bad provider name "
			    "'%s'", lineno, name);
			return -1;
		}
		st->section = SEC_PROVIDER;
		st->provider = find_provider(c, name);
		st->provider_new = st->provider == NULL;
		st->have_api = false;
		if (st->provider == NULL) {
			/* OpenAI-compatible servers (vLLM, llama.cpp, LM
			 * Studio, Ollama's /v1) report usage when asked;
			 * stream_usage = no turns it off for those that
			 * refuse the field. */
			st->provider = add_provider(c, name);
			st->provider->stream_usage = true;
		}
		st->provider_line = lineno;
		return 0;
	}
	if (strncmp(line, "price", 5) == 0 &&
	    (line[5] == ' ' || line[5] == '\t')) {
		name = trim(line + 5);
		colon = strchr(name, ':');
		if (colon == NULL || colon == name || colon[1] == '\0') {
			*cause = xasprintf("config line %d: a price section "
			    "names provider:model, not '%s'", lineno, name);
			return -1;
		}
		*colon = '\0';
		st->section = SEC_PRICE;
		st->price = add_price(c, name, colon + 1);
		return 0;
	}
	if (strcmp(line, "keys") == 0) {
		st->section = SEC_KEYS;
		return 0;
	}
	*cause = xasprintf("config line %d: unknown section '%s'", lineno,
	    line);
	return -1;
}

/* A [keys] line: the key may itself be "=", so split at the last one. */
static int
parse_keys_line(struct config *c, char *line, int lineno, char **cause)
{
	struct config_pair	*kp;
	char			*eq, *name, *value;

	eq = strrchr(line, '=');
	if (eq == NULL || eq == line) {
		*cause = xasprintf("config line %d: expected 'KEY = ACTION'",
		    lineno);
		return -1;
	}
	*eq = '\0';
	name = trim(line);
	value = trim(eq + 1);
	if (*name == '\0' || *value == '\0') {
		*cause = xasprintf("config line %d: expected 'KEY = ACTION'",
		    lineno);
		return -1;
	}
	c->keys = xrealloc(c->keys, (c->nkeys + 1) * sizeof *c->keys);
	kp = &c->keys[c->nkeys++];
	kp->name = xstrdup(name);
	kp->value = xstrdup(value);
	kp->line = lineno;
	return 0;
}

/* budget_conversation and budget_day, at top level or in [provider X]:
 * 1 when key is one of them, 0 when not, -1 on a bad value. */
static int
parse_budget_key(struct budget *b, const char *key, const char *value,
    int lineno, char **cause)
{
	double	*dst, d;

	if (strcmp(key, "budget_conversation") == 0)
		dst = &b->conversation;
	else if (strcmp(key, "budget_day") == 0)
		dst = &b->day;
	else
		return 0;
	if (parse_number(value, &d) != 0) {
		*cause = xasprintf("config line %d: %s must be an amount in "
		    "USD, not '%s'", lineno, key, value);
		return -1;
	}
	*dst = d;
	return 1;
}

static int
parse_top_key(struct config *c, const char *key, const char *value,
    int lineno, char **cause)
{
	double	d;
	int	r;

	if (strcmp(key, "model") == 0) {
		set_str(&c->model, value);
		return 0;
	}
	if ((r = parse_budget_key(&c->budget, key, value, lineno,
	    cause)) != 0)
		return r < 0 ? -1 : 0;
	if (strcmp(key, "stall_timeout") == 0) {
		if (parse_number(value, &d) != 0 || d < 1 || d > 86400 ||
		    d != floor(d)) {
			*cause = xasprintf("config line %d: stall_timeout must "
			    "be a whole number of seconds (1 to 86400)",
			    lineno);
			return -1;
		}
		c->stall_timeout = (int)d;
		return 0;
	}
	*cause = xasprintf("config line %d: unknown key '%s'", lineno, key);
	return -1;
}

static int
parse_provider_key(struct parse_state *st, const char *key,
    const char *value, int lineno, char **cause)
{
	struct provider	*p = st->provider;
	int		 r;

	if ((r = parse_budget_key(&p->budget, key, value, lineno,
	    cause)) != 0)
		return r < 0 ? -1 : 0;
	if (strcmp(key, "api") == 0) {
		if (api_kind_parse(value, &p->api) != 0) {
			*cause = xasprintf("config line %d: api must be openai, "
			    "anthropic, ollama or gemini, not '%s'", lineno,
			    value);
			return -1;
		}
		st->have_api = true;
	} else if (strcmp(key, "base_url") == 0) {
		if (strncmp(value, "http://", 7) != 0 &&
		    strncmp(value, "https://", 8) != 0) {
			*cause = xasprintf("config line %d: base_url must start "
			    "with http:// or https://", lineno);
			return -1;
		}
		set_str(&p->base_url, value);
	} else if (strcmp(key, "key_env") == 0)
		set_str(&p->key_env, value);
	else if (strcmp(key, "key_cmd") == 0)
		set_str(&p->key_cmd, value);
	else if (strcmp(key, "key") == 0) {
		key_free(p->key);
		p->key = xstrdup(value);
	}
	else if (strcmp(key, "models") == 0)
		set_models(p, value);
	else if (strcmp(key, "stream_usage") == 0 ||
	    strcmp(key, "key_optional") == 0) {
		if (parse_bool(value, strcmp(key, "stream_usage") == 0 ?
		    &p->stream_usage : &p->key_optional) != 0) {
			*cause = xasprintf("config line %d: %s must be yes or "
			    "no", lineno, key);
			return -1;
		}
	} else {
		*cause = xasprintf("config line %d: unknown key '%s'", lineno,
		    key);
		return -1;
	}
	return 0;
}

static int
parse_price_key(struct parse_state *st, const char *key, const char *value,
    int lineno, char **cause)
{
	double	*dst, d;

	if (strcmp(key, "input") == 0)
		dst = &st->price->price.input;
	else if (strcmp(key, "output") == 0)
		dst = &st->price->price.output;
	else if (strcmp(key, "cached_input") == 0)
		dst = &st->price->price.cached_input;
	else {
		*cause = xasprintf("config line %d: unknown key '%s'", lineno,
		    key);
		return -1;
	}
	if (parse_number(value, &d) != 0) {
		*cause = xasprintf("config line %d: %s must be a price in USD "
		    "per million tokens, not '%s'", lineno, key, value);
		return -1;
	}
	*dst = d;
	return 0;
}

static int
parse_text(struct config *c, const char *text, char **cause)
{
	struct parse_state	 st;
	char			*copy, *line, *next, *eq, *key, *value;
	int			 lineno, r = -1;

	memset(&st, 0, sizeof st);
	copy = xstrdup(text);
	for (line = copy, lineno = 1; line != NULL; line = next, lineno++) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		strip_comment(line);
		line = trim(line);
		if (*line == '\0')
			continue;
		if (*line == '[') {
			if (parse_section(c, &st, line, lineno, cause) != 0)
				goto out;
			continue;
		}
		if (st.section == SEC_KEYS) {
			if (parse_keys_line(c, line, lineno, cause) != 0)
				goto out;
			continue;
		}
		eq = strchr(line, '=');
		if (eq == NULL) {
			*cause = xasprintf("config line %d: expected 'key = "
			    "value'", lineno);
			goto out;
		}
		*eq = '\0';
		key = trim(line);
		value = trim(eq + 1);
		if (*key == '\0') {
			*cause = xasprintf("config line %d: expected 'key = "
			    "value'", lineno);
			goto out;
		}
		switch (st.section) {
		case SEC_TOP:
			if (parse_top_key(c, key, value, lineno, cause) != 0)
				goto out;
			break;
		case SEC_PROVIDER:
			if (parse_provider_key(&st, key, value, lineno,
			    cause) != 0)
				goto out;
			break;
		case SEC_PRICE:
			if (parse_price_key(&st, key, value, lineno,
			    cause) != 0)
				goto out;
			break;
		case SEC_KEYS:
			break;
		}
	}
	if (check_provider_done(&st, cause) != 0)
		goto out;
	r = 0;
out:
	/* Errors quote the file's bytes: no control may reach a terminal
	 * (found by tests/fuzz/fuzz_config). */
	if (r != 0 && *cause != NULL)
		str_defang(*cause);
	free(copy);
	return r;
}

static char *
normalise_base_url(const char *v)
{
	/* OLLAMA_HOST is often written as host:port without a scheme. */
	if (strstr(v, "://") == NULL)
		return xasprintf("http://%s", v);
	return xstrdup(v);
}

static void
apply_env(struct config *c)
{
	const struct builtin_provider	*b;
	struct provider			*p;
	const char			*v;

	for (b = builtin_providers; b->name != NULL; b++) {
		v = getenv(b->base_url_env);
		if (v == NULL || *v == '\0')
			continue;
		if ((p = find_provider(c, b->name)) == NULL)
			continue;
		free(p->base_url);
		p->base_url = normalise_base_url(v);
	}
	v = getenv("TOLK_MODEL");
	if (v != NULL && *v != '\0')
		set_str(&c->env_model, v);

	/* With no model configured, take the first provider with a key. */
	for (b = builtin_providers; b->name != NULL; b++) {
		p = find_provider(c, b->name);
		if (p != NULL && !b->key_optional && provider_has_key(p)) {
			c->auto_model = xasprintf("%s:%s", b->name,
			    b->default_model);
			return;
		}
	}
	c->auto_model = xstrdup("ollama:llama3.2");
}

static char *
default_path(void)
{
	const char	*xdg, *home;

	if ((xdg = getenv("XDG_CONFIG_HOME")) != NULL && *xdg == '/')
		return xasprintf("%s/tolk/config", xdg);
	if ((home = getenv("HOME")) != NULL && *home != '\0')
		return xasprintf("%s/.config/tolk/config", home);
	return NULL;
}

static char *
read_file(const char *path, char **cause)
{
	FILE		*f;
	struct buf	 b;

	if ((f = fopen(path, "r")) == NULL) {
		*cause = xasprintf("cannot read config '%s': %s", path,
		    strerror(errno));
		return NULL;
	}
	buf_init(&b, MAX_CONFIG_SIZE);
	if (buf_add_stream(&b, f) != 0) {
		if (errno == EFBIG)
			*cause = xasprintf("config '%s' is larger than 1 MiB",
			    path);
		else
			*cause = xasprintf("cannot read config '%s': %s",
			    path, strerror(errno));
		buf_release(&b);
		fclose(f);
		return NULL;
	}
	fclose(f);
	return buf_take(&b, NULL);
}

/* Prefix a parse error with the file's path. */
static void
name_path(char **cause, const char *path)
{
	char	*s;

	if (path == NULL || *cause == NULL)
		return;
	s = xasprintf("%s: %s", path, *cause);
	free(*cause);
	*cause = s;
}

struct config *
config_load_string(const char *text, const char *path, char **cause)
{
	struct config	*c;

	c = xcalloc(1, sizeof *c);
	load_builtins(c);
	if (path != NULL)
		c->path = xstrdup(path);
	if (text != NULL && parse_text(c, text, cause) != 0) {
		name_path(cause, path);
		config_free(c);
		return NULL;
	}
	apply_env(c);
	return c;
}

/* A key written in a file that other users may read: say so (the file is
 * the user's; tolk does not change its mode). */
static void
warn_readable_key(const struct config *c, const char *path)
{
	struct stat	sb;
	size_t		i;

	for (i = 0; i < c->nproviders; i++)
		if (c->providers[i].key != NULL)
			break;
	if (path == NULL || i == c->nproviders || stat(path, &sb) != 0 ||
	    (sb.st_mode & 077) == 0)
		return;
	tolk_warn("'%s' holds an API key and other users may read it (mode "
	    "%04o): chmod 600 '%s'", path, (unsigned)(sb.st_mode & 07777),
	    path);
}

struct config *
config_load(char **cause)
{
	struct config	*c;
	const char	*env;
	char		*path, *text = NULL;
	struct stat	 sb;

	env = getenv("TOLK_CONFIG");
	if (env != NULL && *env != '\0') {
		path = xstrdup(env);
		if ((text = read_file(path, cause)) == NULL) {
			free(path);
			return NULL;
		}
	} else {
		path = default_path();
		if (path != NULL && stat(path, &sb) == 0) {
			if ((text = read_file(path, cause)) == NULL) {
				free(path);
				return NULL;
			}
		} else {
			free(path);
			path = NULL;
		}
	}
	c = config_load_string(text, path, cause);
	if (c != NULL)
		warn_readable_key(c, path);
	free(text);
	free(path);
	return c;
}

void
config_free(struct config *c)
{
	size_t		 i, j;
	struct provider	*p;

	if (c == NULL)
		return;
	for (i = 0; i < c->nproviders; i++) {
		p = &c->providers[i];
		free(p->name);
		free(p->base_url);
		free(p->key_env);
		free(p->key_cmd);
		key_free(p->key);
		for (j = 0; j < p->nmodels; j++)
			free(p->models[j]);
		free(p->models);
	}
	free(c->providers);
	for (i = 0; i < c->nprices; i++) {
		free(c->prices[i].provider);
		free(c->prices[i].model);
	}
	free(c->prices);
	for (i = 0; i < c->nkeys; i++) {
		free(c->keys[i].name);
		free(c->keys[i].value);
	}
	free(c->keys);
	free(c->path);
	free(c->model);
	free(c->env_model);
	free(c->auto_model);
	free(c);
}

const char *
config_path(const struct config *c)
{
	return c->path;
}

const char *
config_default_model(const struct config *c)
{
	if (c->env_model != NULL)
		return c->env_model;
	if (c->model != NULL)
		return c->model;
	return c->auto_model;
}

bool
config_model_is_guess(const struct config *c)
{
	return c->env_model == NULL && c->model == NULL &&
	    strncmp(c->auto_model, "ollama:", 7) == 0;
}

size_t
config_nkeys(const struct config *c)
{
	return c->nkeys;
}

const struct config_pair *
config_key_at(const struct config *c, size_t i)
{
	return i < c->nkeys ? &c->keys[i] : NULL;
}

int
config_stall_timeout(const struct config *c)
{
	return c->stall_timeout;
}

const struct budget *
config_budget(const struct config *c)
{
	return &c->budget;
}

size_t
config_nproviders(const struct config *c)
{
	return c->nproviders;
}

const struct provider *
config_provider_at(const struct config *c, size_t i)
{
	return i < c->nproviders ? &c->providers[i] : NULL;
}

const struct provider *
config_provider(const struct config *c, const char *name)
{
	return find_provider(c, name);
}

static const struct provider *
provider_listing(const struct config *c, const char *model)
{
	size_t	i, j;

	for (i = 0; i < c->nproviders; i++)
		for (j = 0; j < c->providers[i].nmodels; j++)
			if (strcmp(c->providers[i].models[j], model) == 0)
				return &c->providers[i];
	return NULL;
}

int
config_resolve_model(const struct config *c, const char *spec,
    const struct provider **pp, char **model, char **cause)
{
	const struct provider	*p;
	const char		*colon;
	char			*name;

	*pp = NULL;
	*model = NULL;
	colon = strchr(spec, ':');
	if (colon != NULL) {
		name = xstrndup(spec, (size_t)(colon - spec));
		p = find_provider(c, name);
		if (p != NULL && colon[1] != '\0') {
			free(name);
			*pp = p;
			*model = xstrdup(colon + 1);
			return 0;
		}
		if (p != NULL) {
			*cause = xasprintf("no model named after '%s:'", name);
			free(name);
			str_defang(*cause);
			return -1;
		}
		/* Maybe a bare model name with a tag, like llama3.2:3b. */
		if ((p = provider_listing(c, spec)) == NULL) {
			*cause = xasprintf("unknown provider '%s'", name);
			free(name);
			str_defang(*cause);
			return -1;
		}
		free(name);
	} else if ((p = provider_listing(c, spec)) == NULL) {
		*cause = xasprintf("unknown model '%s': write it as "
		    "provider:model (tolk models lists them)", spec);
		str_defang(*cause);
		return -1;
	}
	*pp = p;
	*model = xstrdup(spec);
	return 0;
}

int
config_price(const struct config *c, const char *provider, const char *model,
    struct price *out)
{
	struct price_entry	*e;

	e = find_price(c, provider, model);
	if (e == NULL || e->price.input < 0 || e->price.output < 0)
		return -1;
	*out = e->price;
	return 0;
}

bool
provider_has_key(const struct provider *p)
{
	const char	*v;

	if (p->key_cmd != NULL || p->key != NULL)
		return true;
	if (p->key_env == NULL)
		return false;
	v = getenv(p->key_env);
	return v != NULL && *v != '\0';
}

static char *
run_key_cmd(const struct provider *p, char **cause)
{
	FILE		*f;
	struct buf	 b;
	char		*key, *nl;
	size_t		 n;
	int		 status;

	fflush(NULL);
	if ((f = popen(p->key_cmd, "r")) == NULL) {
		*cause = xasprintf("cannot run key_cmd of %s: %s", p->name,
		    strerror(errno));
		return NULL;
	}
	buf_init(&b, 64 * 1024);
	(void)buf_add_stream(&b, f);
	status = pclose(f);
	key = buf_take(&b, &n);
	nl = strpbrk(key, "\r\n");
	if (nl != NULL)
		*nl = '\0';
	if (status != 0 || *key == '\0') {
		key_free(key);
		if (status != 0 && WIFEXITED(status))
			*cause = xasprintf("key_cmd of %s failed (exit %d)",
			    p->name, WEXITSTATUS(status));
		else
			*cause = xasprintf("key_cmd of %s printed no key",
			    p->name);
		return NULL;
	}
	return key;
}

char *
provider_key(const struct provider *p, char **cause)
{
	const char	*v;

	*cause = NULL;
	if (p->key_cmd != NULL)
		return run_key_cmd(p, cause);
	if (p->key != NULL)
		return xstrdup(p->key);
	if (p->key_env != NULL) {
		v = getenv(p->key_env);
		if (v != NULL && *v != '\0')
			return xstrdup(v);
		if (!p->key_optional)
			*cause = xasprintf("no key for %s: set %s", p->name,
			    p->key_env);
		return NULL;
	}
	if (!p->key_optional)
		*cause = xasprintf("no key for %s: set key_env or key_cmd in "
		    "its [provider %s] section", p->name, p->name);
	return NULL;
}

void
key_free(char *key)
{
	volatile char	*p;

	if (key == NULL)
		return;
	for (p = key; *p != '\0'; p++)
		*p = '\0';
	free(key);
}
