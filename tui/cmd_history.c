/* tui/cmd_history.c - placeholder until history/ lands (being written now). */
#include "config.h"
#include <stdio.h>
#include "tui/commands.h"

static int
missing(char **argv)
{
	fprintf(stderr, "tolk: %s is not built yet\n", argv[0]);
	return EXIT_USAGE;
}

int cmd_log(int argc, char **argv) { (void)argc; return missing(argv); }
int cmd_show(int argc, char **argv) { (void)argc; return missing(argv); }
int cmd_search(int argc, char **argv) { (void)argc; return missing(argv); }
int cmd_export(int argc, char **argv) { (void)argc; return missing(argv); }
int cmd_import(int argc, char **argv) { (void)argc; return missing(argv); }
int cmd_usage(int argc, char **argv) { (void)argc; return missing(argv); }
int cmd_rm(int argc, char **argv) { (void)argc; return missing(argv); }
