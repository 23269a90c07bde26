#!/usr/bin/env python3
"""Helper of tests/bench/langid.sh: run each identifier over the same
texts, print texts per second, MB per second, peak memory and accuracy.

    langid_run.py DIR TSV     (DIR holds langid_eval and maybe cld2_eval)
"""

import os
import resource
import subprocess
import sys

ROUNDS = 20


def measure(prog, tsv):
    """Run prog in a child of a fresh python, so that the peak RSS of the
    children is that program's alone."""
    code = ("import resource,subprocess,sys\n"
            "f=open(sys.argv[2],'rb')\n"
            "o=subprocess.run([sys.argv[1]]+sys.argv[3:],stdin=f,"
            "capture_output=True).stdout\n"
            "sys.stdout.write(o.decode())\n"
            "print('maxrss',resource.getrusage("
            "resource.RUSAGE_CHILDREN).ru_maxrss)\n")
    out = subprocess.run([sys.executable, "-c", code, prog, tsv, "--bench",
                          str(ROUNDS)], capture_output=True, check=True,
                         text=True).stdout.split()
    texts, nbytes, secs = int(out[1]), int(out[3]), float(out[5])
    return texts, nbytes, secs, int(out[7])


def accuracy(prog, tsv):
    with open(tsv, "rb") as f:
        out = subprocess.run([prog], stdin=f, capture_output=True,
                             check=True).stdout.decode()
    rows = [ln.split("\t") for ln in out.splitlines()]
    return sum(1 for r in rows if r[0] == r[1]) / max(1, len(rows))


def main():
    d, tsv = sys.argv[1], sys.argv[2]
    progs = [("tolk", os.path.join(d, "langid_eval"))]
    cld = os.path.join(d, "cld2_eval")
    if os.path.exists(cld):
        progs.append(("cld2", cld))
    with open(tsv, encoding="utf-8") as f:
        n = sum(1 for _ in f)
    print("langid: %d held-out sentences, %d rounds" % (n, ROUNDS))
    print("%-6s %12s %10s %12s %9s" % ("", "texts/s", "MB/s",
                                       "peak RSS KB", "accuracy"))
    for name, prog in progs:
        texts, nbytes, secs, rss = measure(prog, tsv)
        print("%-6s %12.0f %10.2f %12d %8.1f%%" % (
            name, texts / secs, nbytes / secs / 1e6, rss,
            100 * accuracy(prog, tsv)))
    if len(progs) == 1:
        print("cld2: not measured (apt-get install libcld2-dev)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
