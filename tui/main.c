/*
 * tui/main.c - the command line: options, print mode, and the dispatch of
 * subcommands (DESIGN.md section 4).
 *
 * Exit status: 0 success; 1 the model or the network failed (the partial
 * answer is kept and printed); 2 usage or configuration error; 130
 * interrupted.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core.h"
#include "history/history.h"
#include "lang/lang.h"
#include "net/net.h"
#include "tui/budget.h"
#include "tui/commands.h"
#include "tui/demo.h"
#include "tui/print.h"
#include "tui/tui.h"

#define MAX_CONTEXT (64u * 1024 * 1024)

static const char usage_line[] =
    "usage: tolk [-p PROMPT] [-m PROVIDER:MODEL] [options] | tolk COMMAND";

static void
show_help(void)
{
	printf("%s\n\n", usage_line);
	printf(
"tolk is a terminal chat and inspection client for LLM APIs.\n"
"\n"
"Print mode:\n"
"  -p, --print PROMPT         stream the answer to PROMPT to stdout; text on\n"
"                             stdin (when it is not a terminal) comes first\n"
"  -m, --model PROVIDER:MODEL e.g. openai:gpt-4o-mini, anthropic:claude-sonnet-4-5,\n"
"                             ollama:llama3.2, mistral:mistral-small-latest,\n"
"                             gemini:gemini-2.5-flash\n"
"  -s, --system TEXT          system prompt\n"
"  -f, --file FILE            add a file as context (may be repeated)\n"
"  -t, --temperature X        sampling temperature\n"
"      --max-tokens N         limit the answer to N tokens\n"
"  -c, --continue             continue the latest conversation\n"
"      --conversation ID      continue conversation ID\n"
"      --branch-from MSG-ID   a new version of the stored prompt MSG-ID: a\n"
"                             sibling with the same parent, and its answer\n"
"      --no-log               do not store the prompt and answer (with a\n"
"                             budget set, the history keeps its cost)\n"
"      --stats                print tokens, time to first token, speed and\n"
"                             cost to stderr at the end\n"
"      --reasoning            show the model's reasoning on stderr\n"
"      --debug                trace HTTP on stderr (keys redacted)\n"
"      --compare M1,M2[,...]  send the prompt to 2 to 4 models at once; each\n"
"                             answer is printed under a line '== MODEL =='\n"
"                             (the TUI shows them side by side)\n"
"      --samples K            ask the model K times (2 to 4) at once\n"
"      --json                 one JSON object per answer and line\n"
"      --expect CODE|off      the language answers are expected in (sl, hr,\n"
"                             en, ...; kept with the conversation), or off:\n"
"                             no language check; like /lang in the TUI\n"
"      --over-budget          send even when a budget (budget_day,\n"
"                             budget_conversation) is spent\n"
"      --demo                 answer from the bundled demo server (no key\n"
"                             needed; also used when no key and no local\n"
"                             Ollama are found)\n"
"\n"
"Commands:\n"
"  tolk models                providers, models, prices, and which keys are set\n"
"  tolk log | show ID | search QUERY | export | import FILE | usage | rm ID\n"
"                             the history (see tolk(1))\n"
"  tolk render [FILE|-]       render Markdown to the terminal\n"
"  tolk lang [FILE|-]         which language a text is in, and what in it is\n"
"                             invisible, mixed-script or mis-encoded\n"
"  tolk compare ID ID [...]   stored answers side by side (--prompts:\n"
"                             prompts with their answers and the deltas)\n"
"  tolk annotate MSG-ID [...] rate, tag and note an answer (see tolk(1))\n"
"  tolk leaderboard [--lang L] win rates of blind votes, mean ratings\n"
"\n"
"  -h, --help                 this help\n"
"  -V, --version              the version\n"
"\n"
"Configuration: $TOLK_CONFIG or ~/.config/tolk/config; keys from\n"
"OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY, MISTRAL_API_KEY,\n"
"OPENROUTER_API_KEY; TOLK_MODEL sets the default model. See tolk(1).\n"
"Exit status: 0 ok, 1 the model or network failed, 2 usage or\n"
"configuration error, 130 interrupted.\n");
}

static int
usage_error(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	fprintf(stderr, "tolk: %s\n%s\n", s, usage_line);
	free(s);
	return EXIT_USAGE;
}

/* Read a whole file (or stdin for fd 0) into a buffer. */
static int
read_all(int fd, struct buf *b, const char *name, char **cause)
{
	char	chunk[65536];
	ssize_t	n;

	for (;;) {
		n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*cause = xasprintf("cannot read %s: %s", name,
			    strerror(errno));
			return -1;
		}
		if (n == 0)
			return 0;
		if (buf_add(b, chunk, (size_t)n) != 0) {
			*cause = xasprintf("%s is larger than 64 MiB", name);
			return -1;
		}
	}
}

/*
 * The prompt as sent: text from stdin, then each -f file under a line
 * naming it, then the prompt, separated by blank lines.
 */
static char *
compose_prompt(const char *prompt, char **files, size_t nfiles,
    char **cause)
{
	struct buf	 b, part;
	char		*name;
	size_t		 i;
	FILE		*f;
	int		 r;

	buf_init(&b, MAX_CONTEXT);
	if (!isatty(STDIN_FILENO)) {
		buf_init(&part, MAX_CONTEXT);
		if (read_all(STDIN_FILENO, &part, "stdin", cause) != 0) {
			buf_release(&part);
			goto fail;
		}
		if (part.len > 0) {
			buf_add(&b, part.data, part.len);
			if (part.data[part.len - 1] != '\n')
				buf_addc(&b, '\n');
			buf_addc(&b, '\n');
		}
		buf_release(&part);
	}
	for (i = 0; i < nfiles; i++) {
		if ((f = fopen(files[i], "r")) == NULL) {
			*cause = xasprintf("cannot read '%s': %s", files[i],
			    strerror(errno));
			goto fail;
		}
		buf_init(&part, MAX_CONTEXT);
		name = xasprintf("'%s'", files[i]);
		r = read_all(fileno(f), &part, name, cause);
		free(name);
		fclose(f);
		if (r != 0) {
			buf_release(&part);
			goto fail;
		}
		buf_addf(&b, "File %s:\n", files[i]);
		if (part.len > 0) {
			buf_add(&b, part.data, part.len);
			if (part.data[part.len - 1] != '\n')
				buf_addc(&b, '\n');
		}
		buf_addc(&b, '\n');
		buf_release(&part);
	}
	if (buf_addstr(&b, prompt) != 0) {
		*cause = xstrdup("the prompt is larger than 64 MiB");
		goto fail;
	}
	return buf_take(&b, NULL);
fail:
	buf_release(&b);
	return NULL;
}

static int
parse_long(const char *s, long min, long max, long *out)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/*
 * Open the store for print mode. A file that exists but is not a usable
 * database is an error (exit 2, the file untouched); a store that cannot
 * be created is a warning: the answer still streams.
 */
static int
open_store(struct store **sp)
{
	struct stat	 sb;
	char		*path, *cause = NULL;
	bool		 exists;

	*sp = NULL;
	path = store_default_path();
	exists = path != NULL && stat(path, &sb) == 0;
	*sp = store_open(NULL, 0, &cause);
	if (*sp == NULL) {
		/* Only a file that is not a database stops print mode; a
		 * store that cannot be written or is locked only stops the
		 * answer from being stored. */
		if (exists && cause != NULL &&
		    strstr(cause, "is not a usable history database") != NULL) {
			tolk_warn("%s", cause != NULL ? cause : "cannot open "
			    "the history");
			free(cause);
			free(path);
			return -1;
		}
		tolk_warn("%s; the answer is not stored",
		    cause != NULL ? cause : "cannot create the history");
		free(cause);
	}
	free(path);
	return 0;
}

/*
 * --no-log with a budget set: the existing history, opened so that the
 * budgets are checked against it and the answer's cost (alone) is kept
 * there. It is never created for a --no-log run; without one, or when it
 * cannot be opened, the run goes on unchecked, and says so.
 */
static struct store *
open_spend_store(const struct config *config)
{
	struct store	*st;
	char		*cause = NULL;

	if (!budget_any(config))
		return NULL;
	if ((st = store_open(NULL, STORE_EXISTING, &cause)) == NULL) {
		tolk_warn("%s: --no-log answers are not checked against the "
		    "budgets nor counted (--no-log never creates the history)",
		    cause != NULL ? cause : "cannot open the history");
		free(cause);
	}
	return st;
}

/*
 * The models of --compare (a comma-separated list of 2 to 4) or the one
 * model k times for --samples. -1 and *cause on a bad list; the strings
 * of *specs are allocated (free with free_specs).
 */
static int
compare_specs(const char *list, long samples, const char *model,
    char ***specs, size_t *nspecs, char **cause)
{
	const char	*p, *comma;
	char		**v = NULL;
	size_t		 n = 0;
	long		 i;

	*specs = NULL;
	*nspecs = 0;
	if (list != NULL) {
		for (p = list;; p = comma + 1) {
			comma = strchr(p, ',');
			if (comma == NULL)
				comma = p + strlen(p);
			if (comma == p || n == 4) {
				*cause = xasprintf(n == 4 ? "--compare takes "
				    "at most 4 models" : "--compare takes "
				    "models separated by commas, not '%s'",
				    list);
				goto fail;
			}
			v = xrealloc(v, (n + 1) * sizeof *v);
			v[n++] = xstrndup(p, (size_t)(comma - p));
			if (*comma == '\0')
				break;
		}
		if (n < 2) {
			*cause = xstrdup("--compare takes 2 to 4 models "
			    "separated by commas");
			goto fail;
		}
	} else {
		for (i = 0; i < samples; i++) {
			v = xrealloc(v, (n + 1) * sizeof *v);
			v[n++] = xstrdup(model);
		}
	}
	*specs = v;
	*nspecs = n;
	return 0;
fail:
	while (n > 0)
		free(v[--n]);
	free(v);
	return -1;
}

static void
free_specs(char **v, size_t n)
{
	while (n > 0)
		free(v[--n]);
	free(v);
}

/*
 * The value of --expect: a language code lang/ knows, in any case (into
 * buf, lower case), or "off" or "none"; NULL for anything else.
 */
static const char *
expect_arg(const char *arg, char *buf)
{
	size_t	i;

	if (strcmp(arg, "off") == 0 || strcmp(arg, "none") == 0)
		return "off";
	for (i = 0; arg[i] != '\0' && i < 7; i++)
		buf[i] = arg[i] >= 'A' && arg[i] <= 'Z' ? arg[i] + 32 : arg[i];
	buf[i] = '\0';
	if (arg[i] != '\0' || !langid_known(buf))
		return NULL;
	return buf;
}

struct command {
	const char	*name;
	int		(*fn)(int, char **);
};

static const struct command commands[] = {
	{ "models", cmd_models },
	{ "render", cmd_render },
	{ "lang", cmd_lang },
	{ "log", cmd_log },
	{ "show", cmd_show },
	{ "search", cmd_search },
	{ "export", cmd_export },
	{ "import", cmd_import },
	{ "usage", cmd_usage },
	{ "rm", cmd_rm },
	{ "compare", cmd_compare },
	{ "annotate", cmd_annotate },
	{ "leaderboard", cmd_leaderboard },
	{ NULL, NULL }
};

enum {
	OPT_CONVERSATION = 256,
	OPT_MAX_TOKENS,
	OPT_NO_LOG,
	OPT_STATS,
	OPT_REASONING,
	OPT_DEBUG,
	OPT_DEMO,
	OPT_COMPARE,
	OPT_SAMPLES,
	OPT_JSON,
	OPT_OVER_BUDGET,
	OPT_BRANCH_FROM,
	OPT_EXPECT,
};

static const struct option long_options[] = {
	{ "print", required_argument, NULL, 'p' },
	{ "model", required_argument, NULL, 'm' },
	{ "system", required_argument, NULL, 's' },
	{ "file", required_argument, NULL, 'f' },
	{ "temperature", required_argument, NULL, 't' },
	{ "continue", no_argument, NULL, 'c' },
	{ "conversation", required_argument, NULL, OPT_CONVERSATION },
	{ "max-tokens", required_argument, NULL, OPT_MAX_TOKENS },
	{ "no-log", no_argument, NULL, OPT_NO_LOG },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "reasoning", no_argument, NULL, OPT_REASONING },
	{ "debug", no_argument, NULL, OPT_DEBUG },
	{ "demo", no_argument, NULL, OPT_DEMO },
	{ "compare", required_argument, NULL, OPT_COMPARE },
	{ "samples", required_argument, NULL, OPT_SAMPLES },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "over-budget", no_argument, NULL, OPT_OVER_BUDGET },
	{ "branch-from", required_argument, NULL, OPT_BRANCH_FROM },
	{ "expect", required_argument, NULL, OPT_EXPECT },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

int
main(int argc, char **argv)
{
	struct print_options	 po;
	const struct command	*cmd;
	struct config		*config = NULL;
	struct store		*store = NULL;
	char			*cause = NULL, *prompt = NULL, *end;
	const char		*raw_prompt = NULL, *model = NULL;
	char			**files = NULL;
	size_t			 nfiles = 0;
	long			 l;
	int			 c, r;
	bool			 want_demo = false, json = false;
	struct demo		*demo = NULL;
	const char		*compare = NULL;
	char			 expect[8];
	long			 samples = 0;
	char			**specs = NULL;
	size_t			 nspecs = 0;

	setlocale(LC_ALL, "");
	/*
	 * A file-size limit (ulimit -f) must not kill tolk with an answer in
	 * hand: writing past it fails with EFBIG instead, which the store
	 * reports and the session survives (the answer goes to a recovery
	 * file).
	 */
	signal(SIGXFSZ, SIG_IGN);
	if (argc > 1 && argv[1][0] != '-') {
		for (cmd = commands; cmd->name != NULL; cmd++)
			if (strcmp(argv[1], cmd->name) == 0)
				return cmd->fn(argc - 1, argv + 1);
	}

	memset(&po, 0, sizeof po);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":p:m:s:f:t:chV", long_options,
	    NULL)) != -1) {
		switch (c) {
		case 'p':
			raw_prompt = optarg;
			break;
		case 'm':
			model = optarg;
			break;
		case 's':
			po.send.system = optarg;
			break;
		case 'f':
			files = xrealloc(files, (nfiles + 1) * sizeof *files);
			files[nfiles++] = optarg;
			break;
		case 't':
			errno = 0;
			po.send.temperature = strtod(optarg, &end);
			if (errno != 0 || end == optarg || *end != '\0' ||
			    !isfinite(po.send.temperature) ||
			    po.send.temperature < 0 ||
			    po.send.temperature > 2) {
				free(files);
				return usage_error("temperature must be a "
				    "number from 0 to 2, not '%s'", optarg);
			}
			po.send.has_temperature = true;
			break;
		case 'c':
			po.continue_latest = true;
			break;
		case OPT_CONVERSATION:
			if (parse_long(optarg, 1, LONG_MAX, &l) != 0) {
				free(files);
				return usage_error("--conversation takes a "
				    "conversation id, not '%s'", optarg);
			}
			po.conversation = l;
			break;
		case OPT_MAX_TOKENS:
			if (parse_long(optarg, 1, 10000000, &l) != 0) {
				free(files);
				return usage_error("--max-tokens takes a "
				    "positive number, not '%s'", optarg);
			}
			po.send.max_tokens = l;
			break;
		case OPT_NO_LOG:
			po.no_log = true;
			break;
		case OPT_STATS:
			po.stats = true;
			break;
		case OPT_REASONING:
			po.reasoning = true;
			break;
		case OPT_DEBUG:
			po.debug = true;
			break;
		case OPT_DEMO:
			want_demo = true;
			break;
		case OPT_COMPARE:
			compare = optarg;
			break;
		case OPT_SAMPLES:
			if (parse_long(optarg, 2, 4, &samples) != 0) {
				free(files);
				return usage_error("--samples takes a number "
				    "from 2 to 4, not '%s'", optarg);
			}
			break;
		case OPT_JSON:
			json = true;
			break;
		case OPT_OVER_BUDGET:
			po.over_budget = true;
			break;
		case OPT_BRANCH_FROM:
			if (parse_long(optarg, 1, LONG_MAX, &l) != 0) {
				free(files);
				return usage_error("--branch-from takes a "
				    "message id, not '%s'", optarg);
			}
			po.branch_from = l;
			break;
		case OPT_EXPECT:
			if ((po.expect = expect_arg(optarg, expect)) == NULL) {
				free(files);
				return usage_error("--expect takes a language "
				    "code that tolk lang knows (sl, hr, en, "
				    "...) or off, not '%s'", optarg);
			}
			break;
		case 'h':
			free(files);
			show_help();
			return EXIT_OK;
		case 'V':
			free(files);
			printf("tolk %s\n", PACKAGE_VERSION);
			return EXIT_OK;
		case ':':
			free(files);
			return usage_error("option '%s' needs a value",
			    argv[optind - 1]);
		default:
			free(files);
			if (optopt != 0)
				return usage_error("unknown option '-%c'",
				    optopt);
			return usage_error("unknown option '%s'",
			    argv[optind - 1]);
		}
	}
	if (optind < argc) {
		free(files);
		if (raw_prompt == NULL)
			return usage_error("unknown command '%s'",
			    argv[optind]);
		return usage_error("unexpected argument '%s' (quote the "
		    "prompt)", argv[optind]);
	}
	if (compare != NULL && (samples > 0 || model != NULL)) {
		free(files);
		return usage_error(samples > 0 ? "--compare and --samples "
		    "exclude each other" : "--compare names the models: drop "
		    "-m");
	}
	if (json && raw_prompt == NULL) {
		free(files);
		return usage_error("--json needs -p");
	}
	if (po.branch_from > 0 && (raw_prompt == NULL || po.continue_latest ||
	    po.no_log)) {
		free(files);
		return usage_error(raw_prompt == NULL ? "--branch-from needs -p" :
		    po.no_log ? "--branch-from needs the history: drop "
		    "--no-log" : "--branch-from and -c exclude each other");
	}
	if (po.expect != NULL && raw_prompt == NULL) {
		free(files);
		return usage_error("--expect needs -p (in the full-screen "
		    "interface: /lang CODE or /lang off)");
	}
	if (raw_prompt == NULL) {
		/* The full-screen interface (tui/tui.h). */
		struct tui_options	to;

		free(files);
		if (nfiles > 0)
			return usage_error("-f needs -p");
		if (po.continue_latest && po.conversation > 0)
			return usage_error("-c and --conversation exclude "
			    "each other");
		tui_options_init(&to);
		to.model = model;
		to.send = po.send;
		to.conversation = po.conversation;
		to.continue_latest = po.continue_latest;
		to.no_log = po.no_log;
		to.demo = want_demo;
		to.debug = po.debug;
		if (compare != NULL && compare_specs(compare, 0, NULL, &specs,
		    &nspecs, &cause) != 0) {
			r = usage_error("%s", cause);
			free(cause);
			return r;
		}
		to.compare = (const char *const *)specs;
		to.ncompare = nspecs;
		to.samples = (size_t)samples;
		if ((config = config_load(&cause)) == NULL) {
			tolk_warn("%s", cause);
			free(cause);
			free_specs(specs, nspecs);
			return EXIT_USAGE;
		}
		if (!want_demo && model == NULL && compare == NULL)
			to.first_run = demo_needed(config);
		r = EXIT_USAGE;
		if (!want_demo && po.no_log)
			store = open_spend_store(config);
		if (want_demo || po.no_log || open_store(&store) == 0)
			r = tui_run(config, store, &to);
		if (store != NULL)
			store_close(store);
		config_free(config);
		free_specs(specs, nspecs);
		return r;
	}
	if (po.continue_latest && po.conversation > 0) {
		free(files);
		return usage_error("-c and --conversation exclude each other");
	}
	if ((po.continue_latest || po.conversation > 0) && po.no_log) {
		free(files);
		return usage_error("continuing a conversation needs the "
		    "history: drop --no-log");
	}

	r = EXIT_USAGE;
	if ((config = config_load(&cause)) == NULL)
		goto out;
	if (!want_demo && model == NULL && compare == NULL &&
	    demo_needed(config)) {
		tolk_warn("no API key is set and no Ollama answers: this answer "
		    "comes from the built-in demo server (tolk models shows "
		    "how to set a key)");
		want_demo = true;
	}
	if (want_demo) {
		if (po.continue_latest || po.conversation > 0 ||
		    po.branch_from > 0) {
			cause = xstrdup("the demo keeps no history to continue");
			goto out;
		}
		if ((demo = demo_start(&cause)) == NULL)
			goto out;
		config_free(config);
		if ((config = demo_config(demo, &cause)) == NULL)
			goto out;
		setenv("XDG_DATA_HOME", demo_dir(demo), 1);
		model = "demo:demo";
	}
	if ((prompt = compose_prompt(raw_prompt, files, nfiles, &cause)) ==
	    NULL)
		goto out;
	po.prompt = prompt;
	po.model = model != NULL ? model : config_default_model(config);
	po.json = json;
	if (compare != NULL || samples > 0) {
		if (compare_specs(compare, samples, po.model, &specs, &nspecs,
		    &cause) != 0)
			goto out;
		po.models = (const char *const *)specs;
		po.nmodels = nspecs;
	}
	if (po.no_log && !want_demo)
		store = open_spend_store(config);
	else if (!po.no_log && open_store(&store) != 0)
		goto out;
	r = print_run(config, store, &po);
out:
	if (cause != NULL) {
		tolk_warn("%s", cause);
		free(cause);
	}
	if (store != NULL)
		store_close(store);
	if (config != NULL)
		config_free(config);
	demo_stop(demo);
	free(prompt);
	free(files);
	free_specs(specs, nspecs);
	return r;
}
