#!/bin/sh
# make bench: stream 100,000 tokens from tests/fakeapi.py through tolk -p and
# through curl -sN in the same run; prints CPU seconds, wall time, peak RSS
# of both and the ratios (median of 3 runs).  See stream_run.py.
srcdir=${TOLK_SRCDIR:-$(dirname "$0")/../..}
exec "${PYTHON3:-python3}" "$srcdir/tests/bench/stream_run.py" "$@"
