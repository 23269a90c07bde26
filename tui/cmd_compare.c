/*
 * tui/cmd_compare.c - "tolk compare ID ID [...]": stored answers side by
 * side.
 */
#include "config.h"

#include "tui/commands.h"

int
cmd_compare(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return EXIT_USAGE;
}
