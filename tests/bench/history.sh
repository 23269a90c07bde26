#!/bin/sh
# make bench: the history store with 200,000 messages: insert throughput,
# tolk search beside grep -ci, tolk log beside sqlite3 count(*), file size,
# and the CPU cost of storing a stream.  See history_run.py.
# HISTORY_BENCH_MESSAGES=N runs it on fewer messages.
srcdir=${TOLK_SRCDIR:-$(dirname "$0")/../..}
exec "${PYTHON3:-python3}" "$srcdir/tests/bench/history_run.py" "$@"
