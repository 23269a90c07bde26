#!/bin/sh
# make bench: the TUI's time to the first frame with a 200,000-message
# history beside a minimal curses program, and its CPU and memory while
# 100,000 tokens stream into it inside tmux beside curl receiving the same
# stream.  See tui_run.py.
srcdir=${TOLK_SRCDIR:-$(dirname "$0")/../..}
exec "${PYTHON3:-python3}" "$srcdir/tests/bench/tui_run.py" "$@"
