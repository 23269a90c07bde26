#!/usr/bin/env python3
"""Evaluate tolk's language identifier beside Debian's libcld2.

    python3 tools/langid/eval.py --build BUILDDIR [--heldout DIR]

BUILDDIR is a configured and built tolk tree (it has libtolk.a). The
held-out texts are the ones tools/langid/train.py wrote into
CACHE/heldout (sentences.tsv, pairs.tsv): text from source documents that
were kept out of training. Both identifiers see exactly the same texts.

Builds tools/langid/langid_eval.c against BUILDDIR/libtolk.a with cc, and
tools/langid/cld2_eval.cc against libcld2 with g++ (installing the Debian
package libcld2-dev when it is missing), runs both, and writes the
per-language accuracy table to doc/langid-eval.md.

Standard library only.
"""

import argparse
import collections
import datetime
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.abspath(os.path.join(HERE, "..", ".."))
GROUPS = ["hr/bs/sr", "nb/nn/da", "cs/sk", "gl/pt", "ca/es", "bg/mk"]


def same_group(a, b):
    return a == b or any(a in g.split("/") and b in g.split("/")
                         for g in GROUPS)


def build(builddir, out):
    lib = os.path.join(builddir, "libtolk.a")
    if not os.path.exists(lib):
        sys.exit("eval: no libtolk.a in %s: build tolk first" % builddir)
    tolk = os.path.join(out, "langid_eval")
    subprocess.run(["cc", "-O2", "-I" + TOP, "-I" + builddir, "-o", tolk,
                    os.path.join(HERE, "langid_eval.c"), lib, "-lutf8proc",
                    "-lpthread"],
                   check=True)
    if not os.path.exists("/usr/include/cld2/public/compact_lang_det.h"):
        subprocess.run(["apt-get", "install", "-y", "-q", "libcld2-dev"],
                       check=True)
    cld = os.path.join(out, "cld2_eval")
    subprocess.run(["g++", "-O2", "-o", cld,
                    os.path.join(HERE, "cld2_eval.cc"), "-lcld2"],
                   check=True)
    return tolk, cld


def run(prog, tsv):
    with open(tsv, "rb") as f:
        out = subprocess.run([prog], stdin=f, check=True,
                             capture_output=True).stdout.decode()
    rows = []
    for line in out.splitlines():
        g, p, _, _ = line.split("\t")
        rows.append((g, p))
    return rows


def speed(prog, tsv, rounds):
    with open(tsv, "rb") as f:
        out = subprocess.run([prog, "--bench", str(rounds)], stdin=f,
                             check=True, capture_output=True).stdout.decode()
    w = out.split()
    return int(w[1]), int(w[3]), float(w[5])


def instructions(prog, tsv):
    """Instructions per text under callgrind (stable on a loaded machine,
    unlike seconds): one round and three, so that reading the file
    cancels out. None without valgrind."""
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
    with open(tsv, "rb") as f:
        n = sum(1 for _ in f)
    return (counts[1] - counts[0]) / (2 * n)


def accuracy(rows, near=False):
    tot = collections.Counter()
    ok = collections.Counter()
    for g, p in rows:
        tot[g] += 1
        if g == p or (near and same_group(g, p)):
            ok[g] += 1
    return {g: ok[g] / tot[g] for g in tot}, tot


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--heldout", default="/tmp/langid-cache/heldout")
    ap.add_argument("--out", default=os.path.join(TOP, "doc",
                                                  "langid-eval.md"))
    a = ap.parse_args()
    sent = os.path.join(a.heldout, "sentences.tsv")
    pairs = os.path.join(a.heldout, "pairs.tsv")
    for f in (sent, pairs):
        if not os.path.exists(f):
            sys.exit("eval: %s missing: run tools/langid/train.py" % f)
    tmp = tempfile.mkdtemp(prefix="langid-eval-")
    try:
        tolk, cld = build(os.path.abspath(a.build), tmp)
        res = {}
        for name, tsv in (("sentences", sent), ("pairs", pairs)):
            res[name, "tolk"] = run(tolk, tsv)
            res[name, "cld2"] = run(cld, tsv)
        sp = {"tolk": speed(tolk, sent, 5), "cld2": speed(cld, sent, 5)}
        bench = os.path.join(TOP, "tests", "langid", "heldout_bench.tsv")
        ins = {"tolk": instructions(tolk, bench),
               "cld2": instructions(cld, bench)}
    finally:
        shutil.rmtree(tmp)

    acc = {}
    for k, rows in res.items():
        acc[k] = accuracy(rows)
        acc[k + ("near",)] = accuracy(rows, near=True)
    langs = sorted(acc["sentences", "tolk"][0])

    def avg(d):
        return 100 * sum(d.values()) / len(d)

    lines = []
    w = lines.append
    w("# Language identification: accuracy on held-out text")
    w("")
    w("Written by `tools/langid/eval.py` on %s. tolk's identifier "
      "(`lang/langid.c`, tables from `tools/langid/train.py`) beside "
      "Debian's libcld2 (`libcld2-dev`, `CLD2::DetectLanguage`, "
      "through `tools/langid/cld2_eval.cc`) on exactly the same texts."
      % datetime.date.today().isoformat())
    w("")
    w("The texts come from the same Debian packages as the training text "
      "(Firefox and Thunderbird language packs, GNOME, GTK, GLib, "
      "util-linux and LibreOffice catalogues, Debian's translated "
      "package descriptions; for Maltese, which Debian barely translates, "
      "the iso-codes names and the word list of tesseract-ocr-mlt), but "
      "from source documents (a file of a language pack, a catalogue, a "
      "package's description) that were held out of training: one "
      "document in five, chosen by a hash of its name, and any held-out "
      "string that also occurs in training is dropped. *Sentences* are "
      "held-out strings of at least four words and twenty letters (for "
      "Maltese, runs of six held-out dictionary words); *word pairs* are "
      "two neighbouring words of a held-out string. Up to 400 of each "
      "per language.")
    w("")
    w("Debian has no package of the Universal Declaration of Human Rights "
      "(bookworm), so there is no UDHR evaluation here; it was not used "
      "for training or tuning either.")
    w("")
    w("Accuracy is exact: the first language must be the right one "
      "(Serbian in either script is `sr`). *tolk (group)* also counts "
      "an answer in the right close group (hr/bs/sr, nb/nn/da, cs/sk, "
      "gl/pt, ca/es, bg/mk), which is what tolk reports as a group when "
      "it cannot separate them. CLD2 knows more than these 38 languages "
      "and answers English or unknown when unsure; every such answer "
      "counts as wrong. CLD2 says `no` for Norwegian, counted as `nb`.")
    w("")
    w("| | sentences: tolk | tolk (group) | CLD2 | word pairs: tolk "
      "| tolk (group) | CLD2 | n |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|")
    for g in langs:
        w("| %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %d/%d |" % (
            g,
            100 * acc["sentences", "tolk"][0][g],
            100 * acc["sentences", "tolk", "near"][0][g],
            100 * acc["sentences", "cld2"][0].get(g, 0),
            100 * acc["pairs", "tolk"][0][g],
            100 * acc["pairs", "tolk", "near"][0][g],
            100 * acc["pairs", "cld2"][0].get(g, 0),
            acc["sentences", "tolk"][1][g], acc["pairs", "tolk"][1][g]))
    w("| **average** | **%.1f** | **%.1f** | **%.1f** | **%.1f** | "
      "**%.1f** | **%.1f** | |" % (
          avg(acc["sentences", "tolk"][0]),
          avg(acc["sentences", "tolk", "near"][0]),
          avg(acc["sentences", "cld2"][0]),
          avg(acc["pairs", "tolk"][0]),
          avg(acc["pairs", "tolk", "near"][0]),
          avg(acc["pairs", "cld2"][0])))
    w("")
    w("Speed on the held-out sentences (%d texts, %d bytes, five rounds, "
      "one core, this machine):" % (sp["tolk"][0] // 5, sp["tolk"][1] // 5))
    w("")
    w("| | texts per second | MB per second | instructions per text |")
    w("|---|---:|---:|---:|")
    for k, name in (("tolk", "tolk"), ("cld2", "CLD2")):
        n, b, s = sp[k]
        w("| %s | %.0f | %.1f | %s |" % (
            name, n / s, b / s / 1e6,
            "-" if ins[k] is None else "%.0f" % ins[k]))
    w("")
    w("Seconds depend on what else the machine runs; instructions per "
      "text (callgrind, on the sentences of "
      "`tests/langid/heldout_bench.tsv`) do not.")
    w("")
    tables = os.path.join(TOP, "lang", "tables")
    size = 0
    with open(os.path.join(tables, "langid_table.h")) as f:
        h = f.read()
    def define(name):
        return int(h.split("#define %s " % name)[1].split()[0].rstrip("u"),
                   0)
    nkeys = define("LANGID_NKEYS")
    size = (8 * define("LANGID_WAYS") * (1 << define("LANGID_BUCKET_BITS"))
            + 2 * define("LANGID_NENT")
            + define("LANGID_ROW") * define("LANGID_NROWS"))
    w("Tables: %d features (character n-grams of orders 1 to 5 and whole "
      "words): %d dense rows, %d sparse entries, and the features of a "
      "single language inside their hash slots; %.2f MB compiled in "
      "(limit 8 MB)." % (nkeys, define("LANGID_NROWS"),
                         define("LANGID_NENT"), size / 1e6))
    w("")
    with open(a.out, "w") as f:
        f.write("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
