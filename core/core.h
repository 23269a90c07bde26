/*
 * core/core.h - types and services every module of tolk uses.
 *
 * core/ includes nothing else of ours. It holds: allocation that aborts on
 * exhaustion, a growable byte buffer with a size cap, the chat message and
 * usage types shared by net/, history/ and tui/, the configuration file, the
 * provider and model registry, and the price table.
 */
#ifndef TOLK_CORE_H
#define TOLK_CORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ------------------------------------------------------------------ */
/* Memory: these abort with a message on exhaustion and never return NULL. */

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));
char	*xvasprintf(const char *, va_list);

/* ------------------------------------------------------------------ */
/*
 * struct buf - a growable byte buffer with a size cap.
 *
 * data is NULL until the first byte is added; after that it is always
 * NUL-terminated (the NUL is not counted in len), so text can be used as a
 * C string. An add that would take len past limit changes nothing and
 * returns -1: the caller reports the overflow. buf_take() hands the bytes to
 * the caller (who frees them) and leaves the buffer empty and reusable.
 */
struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
	size_t	 limit;
};

#define BUF_NO_LIMIT SIZE_MAX

void	 buf_init(struct buf *, size_t limit);
int	 buf_add(struct buf *, const void *, size_t);
int	 buf_addc(struct buf *, int);
int	 buf_addstr(struct buf *, const char *);
int	 buf_addf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* Add all that is left in fp. 0 at its end; -1 with errno EFBIG when
 * that would pass the limit (what was read stays added), or with fread's
 * errno when reading fails. */
int	 buf_add_stream(struct buf *, FILE *);
void	 buf_reset(struct buf *);
char	*buf_take(struct buf *, size_t *lenp);	/* never NULL */
void	 buf_release(struct buf *);

/* ------------------------------------------------------------------ */
/* Messages for people: "tolk: " + text + newline on stderr. */

void	 tolk_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
/*
 * Make a message that quotes outside bytes (a config line, an imported
 * value, a server's words) safe to print on a terminal: every C0 control,
 * DEL and C1 control written as UTF-8 becomes '?', in place. tolk_warn()
 * does it to what it prints.
 */
void	 str_defang(char *);

/* Monotonic clock in milliseconds and microseconds. */
int64_t	 clock_ms(void);
int64_t	 clock_us(void);

/* ------------------------------------------------------------------ */
/* Chat types shared by net/, history/ and tui/. */

enum api_kind {
	API_OPENAI,
	API_ANTHROPIC,
	API_OLLAMA,
	API_GEMINI,
};

const char	*api_kind_name(enum api_kind);
int		 api_kind_parse(const char *, enum api_kind *);

enum role {
	ROLE_SYSTEM,
	ROLE_USER,
	ROLE_ASSISTANT,
};

const char	*role_name(enum role);
int		 role_parse(const char *, enum role *);

/* One turn of a conversation as sent to an API. */
struct chat_message {
	enum role	 role;
	char		*content;
};

/* Token counts. A count that the server did not report is USAGE_UNKNOWN,
 * never 0: "unknown" and "zero" are different facts. */
#define USAGE_UNKNOWN (-1)
struct usage {
	int64_t	input;
	int64_t	output;
	int64_t	cached;		/* input tokens served from a cache */
	int64_t	reasoning;	/* output tokens spent on reasoning */
};

void	usage_init_unknown(struct usage *);
/* Copy every known field of src over dst (APIs report cumulative counts). */
void	usage_merge(struct usage *dst, const struct usage *src);

/* ------------------------------------------------------------------ */
/* JSON output (core/json.c): a count < 0 or a NULL string is written as
 * null, so scripts can tell unknown from zero. */

struct cJSON;
void	json_add_count(struct cJSON *, const char *key, int64_t);
void	json_add_string_or_null(struct cJSON *, const char *key,
	    const char *);

/* ------------------------------------------------------------------ */
/* Prices: USD per million tokens. */

struct price {
	double	input;
	double	output;
	double	cached_input;	/* < 0: cached input costs as much as input */
};

/*
 * The cost of usage at price, in USD; -1 when it cannot be known (no input
 * or no output count). Cached input tokens are part of input and are charged
 * at the cached rate.
 */
double	price_cost(const struct price *, const struct usage *);
/*
 * The difference of an answer to a base one for people, added to b:
 * "+312 tokens, +$0.0041" (tokens in and out together; < 0: unknown, then
 * "? tokens"; a cost < 0 is unknown, then "$?").
 */
void	price_delta_add(struct buf *b, int64_t tokens, int64_t base_tokens,
	    double cost, double base_cost);

/* ------------------------------------------------------------------ */
/*
 * Configuration: built-in providers, then the config file, then the
 * environment. See DESIGN.md section 4 and doc/tolk.1.
 */

/*
 * Spend limits in USD (budget_conversation, budget_day): < 0 when none is
 * set. At top level they cap every provider together; in [provider X]
 * they cap that provider alone.
 */
struct budget {
	double	conversation;
	double	day;
};

struct provider {
	char		 *name;
	enum api_kind	  api;
	char		 *base_url;
	char		 *key_env;	/* NULL: no variable */
	char		 *key_cmd;	/* NULL: no command */
	char		 *key;		/* written in the file; NULL: none */
	bool		  key_optional;	/* local servers work without a key */
	bool		  stream_usage;	/* send stream_options.include_usage */
	char		**models;
	size_t		  nmodels;
	struct budget	  budget;	/* this provider's own limits */
};

struct config;

/*
 * Load the built-in providers and prices, then the config file
 * ($TOLK_CONFIG, else $XDG_CONFIG_HOME/tolk/config, else
 * ~/.config/tolk/config; a missing default file is fine, a missing
 * $TOLK_CONFIG is not), then the environment (base URL variables,
 * TOLK_MODEL). Returns NULL and sets *cause on error, e.g.
 * "config line 12: unknown key 'bse_url'".
 */
struct config	*config_load(char **cause);
/* The same from a string, for tests; path names it in errors. */
struct config	*config_load_string(const char *text, const char *path,
		    char **cause);
void		 config_free(struct config *);

/* The path the config was read from, or NULL when none was read. */
const char	*config_path(const struct config *);
/* The default model spec ("provider:model"). Never NULL. */
const char	*config_default_model(const struct config *);
/* Whether nothing named the default model (no TOLK_MODEL, no "model" in
 * the file) and no key was found: it is then Ollama's, a guess. */
bool		 config_model_is_guess(const struct config *);
/* Seconds a stream may stay silent before it is aborted (default 120). */
int		 config_stall_timeout(const struct config *);
/* The top-level spend limits (every provider together). Never NULL. */
const struct budget	*config_budget(const struct config *);

size_t			 config_nproviders(const struct config *);
const struct provider	*config_provider_at(const struct config *, size_t);
const struct provider	*config_provider(const struct config *, const char *);

/*
 * Resolve "provider:model", or a bare model name that some provider lists,
 * into a provider and a model name (allocated, caller frees). -1 and *cause
 * when no such provider exists.
 */
int	config_resolve_model(const struct config *, const char *spec,
	    const struct provider **, char **model, char **cause);

/*
 * The [keys] section, as written: "KEY = ACTION" pairs in file order, with
 * their line numbers. core/ does not know what keys or actions are; the
 * TUI checks them (and names the line in its errors).
 */
struct config_pair {
	char	*name;
	char	*value;
	int	 line;
};
size_t				 config_nkeys(const struct config *);
const struct config_pair	*config_key_at(const struct config *, size_t);

/* The price of provider's model; -1 when no price is known. */
int	config_price(const struct config *, const char *provider,
	    const char *model, struct price *);

/*
 * The API key of a provider, read now: from key_cmd's output (first line),
 * the key written in the config file, or the key_env variable. Returns an allocated key, or NULL: then *cause is
 * set when a key is needed and missing ("no key for openai: set
 * OPENAI_API_KEY"), and NULL when the provider needs none. Keys are never
 * stored or logged; free them with key_free(), which wipes them.
 */
char	*provider_key(const struct provider *, char **cause);
void	 key_free(char *);
/* Whether a key is available (without running key_cmd). */
bool	 provider_has_key(const struct provider *);

#endif
