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

#endif
