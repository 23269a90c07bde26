/*
 * tui/commands.h - the subcommands of tolk, dispatched from tui/main.c.
 *
 * Each takes the arguments after "tolk" (argv[0] is the subcommand's name,
 * so getopt_long works as usual) and returns the exit status: 0 success,
 * 1 the model or the network failed, 2 usage or configuration error,
 * 130 interrupted.
 */
#ifndef TOLK_COMMANDS_H
#define TOLK_COMMANDS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,
	EXIT_USAGE = 2,
	EXIT_INTERRUPTED = 130,
};

int	cmd_models(int, char **);	/* tui/cmd_models.c */
int	cmd_render(int, char **);	/* tui/cmd_render.c */
int	cmd_lang(int, char **);		/* tui/cmd_lang.c */
int	cmd_log(int, char **);		/* tui/cmd_history.c */
int	cmd_show(int, char **);
int	cmd_search(int, char **);
int	cmd_export(int, char **);
int	cmd_import(int, char **);
int	cmd_usage(int, char **);
int	cmd_rm(int, char **);
int	cmd_compare(int, char **);	/* tui/cmd_compare.c */
int	cmd_annotate(int, char **);	/* tui/cmd_annotate.c */
int	cmd_leaderboard(int, char **);

/*
 * The plumbing of the history subcommands (tui/cmd_history.c), shared
 * with cmd_annotate.c.
 */
struct buf;
struct cJSON;
struct store;
/* Text without controls, escape sequences or bidi controls; newlines
 * and tabs become spaces when oneline. Caller frees. */
char	*cmd_sanitized(const char *, bool oneline);
/* Display width of clean text. */
size_t	 cmd_text_width(const char *);
/* Append clean text fitted to width columns ("…" when cut), padded. */
void	 cmd_add_fitted(struct buf *, const char *, size_t width, bool pad);
int	 cmd_term_width(void);
/* "tolk: MESSAGE" on stderr. */
void	 cmd_usage_error(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));
void	 cmd_bad_option(char **argv, const char *usage);
/* Open the store or say why (*status: the exit status). */
struct store *cmd_open_store(int *status);
/* Print the cause, free it, give EXIT_FAIL. */
int	 cmd_fail(char *cause);
int	 cmd_parse_id(const char *, int64_t *);
/* A --lang value tolk lang knows; -1 after saying so. */
int	 cmd_parse_lang(const char *cmd, const char *);
/* "+1", "1", "-1", "0" (tui/cmd_annotate.c). */
int	 cmd_parse_rating(const char *, int *);
void	 cmd_print_json(struct cJSON *);		/* and free it */
void	 cmd_json_time(struct cJSON *, const char *key, int64_t);
/*
 * What answer m has (its rating, tags, note, passages and votes), for
 * tolk show (cmd_annotate.c): lines of text under a line starting
 * "annotations" (nothing when it has none), or an object "annotations"
 * added to o with rating, tags, note, spans and votes as tolk annotate
 * --json prints them. -1 and *cause when the store fails.
 */
struct stored_message;
int	 cmd_annotations_text(struct store *, const struct stored_message *,
	    struct buf *, char **cause);
int	 cmd_annotations_json(struct store *, const struct stored_message *,
	    struct cJSON *, char **cause);
/* tolk export --annotated: JSON lines or CSV (cmd_annotate.c). */
int	 cmd_export_annotated(struct store *, bool csv, const char *lang,
	    FILE *, char **cause);

#endif
