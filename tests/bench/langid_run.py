#!/usr/bin/env python3
"""Helper of tests/bench/langid.sh: run each identifier over the same
texts, print texts per second, MB per second, peak memory, accuracy and,
when valgrind is installed, instructions per text (callgrind: unlike
seconds, stable on a loaded machine).

    langid_run.py DIR TSV     (DIR holds langid_eval and maybe cld2_eval)
"""

import os
import resource
import shutil
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


def instructions(prog, tsv, n):
    """Per text: one round and three under callgrind, so that reading
    the file cancels out; None without valgrind."""
    if not shutil.which("valgrind"):
        return None
    counts = []
    for rounds in (1, 3):
        with open(tsv, "rb") as f:
            err = subprocess.run(
                ["valgrind", "--tool=callgrind",
                 "--callgrind-out-file=/dev/null", prog, "--bench",
                 str(rounds)], stdin=f, check=True,
                capture_output=True).stderr.decode()
        counts.append(int(err.split("Collected :")[1].split()[0]))
    return (counts[1] - counts[0]) / (2 * n)


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
    print("%-6s %12s %10s %12s %9s %12s" % ("", "texts/s", "MB/s",
                                            "peak RSS KB", "accuracy",
                                            "instr/text"))
    for name, prog in progs:
        texts, nbytes, secs, rss = measure(prog, tsv)
        ins = instructions(prog, tsv, n)
        print("%-6s %12.0f %10.2f %12d %8.1f%% %12s" % (
            name, texts / secs, nbytes / secs / 1e6, rss,
            100 * accuracy(prog, tsv), "-" if ins is None else
            "%.0f" % ins))
    if len(progs) == 1:
        print("cld2: not measured (apt-get install libcld2-dev)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
