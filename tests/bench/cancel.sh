#!/bin/sh
# make bench: how fast a cancelled stream stops (bench_cancel.c) against
# tests/fakeapi.py on loopback.
srcdir=${TOLK_SRCDIR:-$(dirname "$0")/../..}
builddir=${TOLK_BUILDDIR:-.}
tmp=$(mktemp -d)
trap 'kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
"${PYTHON3:-python3}" "$srcdir/tests/fakeapi.py" --port 0 \
	--port-file "$tmp/port" --key bench-key 2>"$tmp/server.log" &
pid=$!
i=0
while [ ! -s "$tmp/port" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ -s "$tmp/port" ] || { echo "cancel: the fake server did not start" >&2; exit 1; }
"$builddir/tests/bench/bench_cancel" "http://127.0.0.1:$(cat "$tmp/port")/v1" \
	bench-key 20
