# tui/: the program: command line, print mode, subcommands, and the TUI.
tolk_SOURCES += tui/main.c tui/commands.h tui/cmd_models.c \
	tui/session.c tui/session.h tui/print.c tui/print.h \
	tui/cmd_render.c tui/cmd_history.c
