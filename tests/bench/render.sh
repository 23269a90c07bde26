#!/bin/sh
# make bench: lay out a reproducible 200 KB markdown answer at width 100 -
# whole, and fed in 20-byte deltas - with render/ in-process
# (tests/bench/bench_render), beside lowdown -Tterm (C) and python3-rich
# rendering the same file in the same run. Installs lowdown and python3-rich
# with apt-get when they are missing. Prints figures and ratios; asserts
# nothing about time. See render_run.py.
srcdir=${TOLK_SRCDIR:-$(dirname "$0")/../..}
if ! command -v lowdown >/dev/null 2>&1 ||
    ! /usr/bin/python3 -c 'import rich' >/dev/null 2>&1; then
	echo "render bench: installing lowdown and python3-rich"
	apt-get install -y lowdown python3-rich >/dev/null 2>&1 ||
	    echo "render bench: apt-get failed; missing baselines are skipped"
fi
exec "${PYTHON3:-python3}" "$srcdir/tests/bench/render_run.py" "$@"
