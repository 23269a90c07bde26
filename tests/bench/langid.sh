#!/bin/sh
# make bench: tolk's language identifier beside Debian's libcld2 on the
# same held-out sentences (tests/langid/heldout_bench.tsv, written by
# tools/langid/train.py): texts per second and peak memory. No
# assertions on time. CLD2 is skipped, with a note, when libcld2-dev is
# not installed.
set -eu
src=${TOLK_SRCDIR:-.}
build=${TOLK_BUILDDIR:-.}
py=${PYTHON3:-python3}
out=$build/langid-bench
mkdir -p "$out"
cc -O2 -I"$src" -I"$build" -o "$out/langid_eval" \
	"$src/tools/langid/langid_eval.c" "$build/libtolk.a" -lutf8proc -lpthread
if [ -f /usr/include/cld2/public/compact_lang_det.h ]; then
	g++ -O2 -o "$out/cld2_eval" "$src/tools/langid/cld2_eval.cc" -lcld2
else
	rm -f "$out/cld2_eval"
fi
exec "$py" "$src/tests/bench/langid_run.py" "$out" \
	"$src/tests/langid/heldout_bench.tsv"
