# tui/: sources and tests
