/* tui/cmd_render.c - placeholder until render/ lands (being written now). */
#include "config.h"
#include <stdio.h>
#include "tui/commands.h"

int
cmd_render(int argc, char **argv)
{
	(void)argc; (void)argv;
	fprintf(stderr, "tolk: render is not built yet\n");
	return EXIT_USAGE;
}
