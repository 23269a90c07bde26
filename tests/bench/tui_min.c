/*
 * tests/bench/tui_min.c - the baseline of the TUI start-up benchmark: the
 * least a curses program does to draw a frame (initscr, one line, refresh,
 * endwin). tui_run.py times it beside tolk's first frame.
 */
#include "config.h"

#include <curses.h>
#include <locale.h>

int
main(void)
{
	setlocale(LC_ALL, "");
	initscr();
	mvaddstr(0, 0, "ready");
	refresh();
	endwin();
	return 0;
}
