#!/bin/sh
# make bench: four answers of 25,000 tokens streaming side by side in the
# TUI inside tmux (tolk --compare), tolk's CPU beside four concurrent curl
# receiving the same streams, and how far apart the columns end.  See
# compare_run.py.
srcdir=${TOLK_SRCDIR:-$(dirname "$0")/../..}
exec "${PYTHON3:-python3}" "$srcdir/tests/bench/compare_run.py" "$@"
