#!/usr/bin/env python3
"""Build tolk's language identification tables from Debian packages.

    python3 tools/langid/train.py [--cache /tmp/langid-cache] [--out .]

Downloads the packages listed in corpus.py (a few dozen MB) with apt-get
into the cache folder, pulls the translated text out, drops untranslated
English, splits by source document into train (4/5) and held-out (1/5),
counts character n-grams of orders 1 to 5 per language, keeps the most
frequent of each, and writes:

    lang/tables/langid_table.c      the quantised tables, compiled in
    tools/langid/packages.txt       the packages and versions used
    CACHE/heldout/sentences.tsv     held-out sentences  (lang TAB text)
    CACHE/heldout/pairs.tsv         held-out word pairs (lang TAB text)
    tests/langid/heldout_bench.tsv  a sample of those for `make bench`

Needs root for apt-get, and the Debian packages lz4 and tesseract-ocr
(installed here when missing).  Standard library only.

The text normalisation and the n-gram hash here must match
lang/langid.c exactly (see norm() and fnv()).
"""

import argparse
import collections
import hashlib
import math
import multiprocessing
import os
import random
import shutil
import subprocess
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus  # noqa: E402

ORDERS = 5
# n-grams kept per language and order (order 1 keeps every letter).
TOPK = {1: 100000, 2: 1200, 3: 3500, 4: 3500, 5: 3000}
MIN_COUNT = 2          # an entry needs at least this many occurrences
ALPHA = 0.5            # additive smoothing
QSCALE = 8             # quantisation steps per nat
MAX_TRAIN_CHARS = 2500000
MAX_DESC_CHARS = 3000000
JOINERS = "'\u2019\u02bc-\u00b7"


def norm(text):
    """The words of text as the C side sees them: NFC, letters and marks
    lowercased (simple mapping), apostrophes, hyphens and the Catalan
    middle dot kept only after a letter, everything else a separator."""
    text = unicodedata.normalize("NFC", text)
    words = []
    cur = []
    for c in text:
        cat = unicodedata.category(c)
        if cat[0] in "LM":
            lo = c.lower()
            cur.append(lo[0] if lo else c)
        elif c in JOINERS and cur:
            cur.append("'" if c in "'\u2019\u02bc" else c)
        elif cur:
            words.append("".join(cur))
            cur = []
    if cur:
        words.append("".join(cur))
    return words


def fnv(gram):
    h = 2166136261
    for c in gram:
        h = ((h ^ ord(c)) * 16777619) & 0xffffffff
    return h


def grams(word):
    w = " " + word + " "
    for n in range(1, ORDERS + 1):
        for i in range(len(w) - n + 1):
            g = w[i:i + n]
            if g != " ":
                yield n, g


def count_lang(args):
    code, texts = args
    words = collections.Counter()
    for t in texts:
        words.update(norm(t))
    counts = {n: collections.Counter() for n in range(1, ORDERS + 1)}
    for w, f in words.items():
        for n, g in grams(w):
            counts[n][g] += f
    return code, counts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", default="/tmp/langid-cache")
    ap.add_argument("--out", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    ap.add_argument("--no-fetch", action="store_true",
                    help="use what is in the cache")
    a = ap.parse_args()
    top = os.path.abspath(a.out)
    os.makedirs(a.cache, exist_ok=True)

    need = [p for p, tool in (("lz4", "lz4"),
                              ("tesseract-ocr", "dawg2wordlist"))
            if not shutil.which(tool)]
    if need:
        subprocess.run(["apt-get", "install", "-y", "-q"] + need, check=True)

    print("fetching packages", file=sys.stderr)
    versions = corpus.fetch(a.cache)
    descs = corpus.fetch_descriptions(a.cache) if not a.no_fetch else {}
    if a.no_fetch:
        import glob
        for path in glob.glob(os.path.join(
                a.cache, "lists", "*_debian_dists_*_main_i18n_Translation-*")):
            code = path.rsplit("-", 1)[1].split(".")[0]
            if code in corpus.LANGS and code != "en":
                descs.setdefault(code, []).append(path)
    print("extracting text", file=sys.stderr)
    data = corpus.collect(a.cache, versions, descs, MAX_DESC_CHARS)

    train = {}
    held = {}
    stats = {}
    for code, docs in data.items():
        tr = []
        he = []
        for doc in sorted(docs):
            (he if corpus.is_heldout(doc) else tr).append((doc, docs[doc]))
        seen = set()
        texts = []
        for doc, vals in tr:
            for v in vals:
                if v not in seen:
                    seen.add(v)
                    texts.append(v)
        rnd = random.Random(code)
        rnd.shuffle(texts)
        total = 0
        cut = []
        for t in texts:
            total += len(t)
            cut.append(t)
            if total > MAX_TRAIN_CHARS:
                break
        train[code] = cut
        hv = []
        hseen = set()
        for doc, vals in he:
            for v in vals:
                if v not in seen and v not in hseen:
                    hseen.add(v)
                    hv.append(v)
        held[code] = hv
        stats[code] = (len(tr), total, len(he), len(hv))
        print("%s: %d train docs %d chars, %d held-out docs %d strings"
              % ((code,) + stats[code]), file=sys.stderr)

    print("counting n-grams", file=sys.stderr)
    with multiprocessing.Pool(2) as pool:
        counted = dict(pool.map(count_lang, sorted(train.items())))

    codes = sorted(counted)
    keep = set()
    vocab = {n: set() for n in range(1, ORDERS + 1)}
    for code in codes:
        for n in range(1, ORDERS + 1):
            c = counted[code][n]
            vocab[n].update(c)
            keep.update(g for g, f in c.most_common(TOPK[n])
                        if f >= MIN_COUNT)
    floors = []
    for code in codes:
        row = []
        for n in range(1, ORDERS + 1):
            tot = sum(counted[code][n].values())
            row.append(math.log(ALPHA / (tot + ALPHA * len(vocab[n]))))
        floors.append(row)
    table = {}
    for g in keep:
        ents = []
        n = len(g)
        for li, code in enumerate(codes):
            f = counted[code][n].get(g, 0)
            if f >= MIN_COUNT:
                q = int(round(math.log(1 + f / ALPHA) * QSCALE))
                ents.append((li, min(q, 255)))
        if ents:
            h = fnv(g)
            if h in table:
                # A collision: keep the better-supported n-gram.
                if sum(q for _, q in table[h]) >= sum(q for _, q in ents):
                    continue
            table[h] = ents
    write_table(top, codes, floors, table)
    write_packages(top, versions, descs, stats)
    write_heldout(a.cache, top, held)


def write_table(top, codes, floors, table):
    keys = sorted(table)
    nb = 1 << 16
    kstart = [0] * (nb + 1)
    estart = [0] * (nb + 1)
    for k in keys:
        kstart[(k >> 16) + 1] += 1
        estart[(k >> 16) + 1] += len(table[k])
    for i in range(nb):
        kstart[i + 1] += kstart[i]
        estart[i + 1] += estart[i]
    lo = [k & 0xffff for k in keys]
    cnt = [len(table[k]) for k in keys]
    ents = []
    for k in keys:
        for li, q in table[k]:
            ents.append(li << 8 | q)
    path = os.path.join(top, "lang", "tables", "langid_table.c")
    os.makedirs(os.path.dirname(path), exist_ok=True)

    def arr(f, ctype, name, vals, per=16):
        f.write("const %s %s[%d] = {\n" % (ctype, name, len(vals)))
        for i in range(0, len(vals), per):
            f.write(",".join(str(v) for v in vals[i:i + per]) + ",\n")
        f.write("};\n")

    with open(path, "w") as f:
        f.write("/* Generated by tools/langid/train.py: do not edit. */\n"
                "/* Character n-gram tables for lang/langid.c; see there. */"
                "\n#include <stdint.h>\n#include \"lang/tables/langid_table.h\""
                "\n\n")
        f.write("const char langid_codes[LANGID_NLANGS][4] = {%s};\n"
                % ",".join('"%s"' % c for c in codes))
        f.write("const int16_t langid_floor[LANGID_NLANGS][5] = {\n")
        for row in floors:
            f.write("{%s},\n" % ",".join(str(int(round(x * QSCALE)))
                                        for x in row))
        f.write("};\n")
        arr(f, "uint32_t", "langid_kstart", kstart)
        arr(f, "uint32_t", "langid_estart", estart)
        arr(f, "uint16_t", "langid_klo", lo, 20)
        arr(f, "uint8_t", "langid_kcnt", cnt, 32)
        arr(f, "uint16_t", "langid_ent", ents, 20)
    hpath = os.path.join(top, "lang", "tables", "langid_table.h")
    with open(hpath, "w") as f:
        f.write("/* Generated by tools/langid/train.py: do not edit. */\n"
                "#ifndef TOLK_LANGID_TABLE_H\n#define TOLK_LANGID_TABLE_H\n"
                "#include <stdint.h>\n"
                "#define LANGID_NLANGS %d\n#define LANGID_NKEYS %d\n"
                "#define LANGID_NENT %d\n#define LANGID_QSCALE %d\n"
                "extern const char langid_codes[LANGID_NLANGS][4];\n"
                "extern const int16_t langid_floor[LANGID_NLANGS][5];\n"
                "extern const uint32_t langid_kstart[65537];\n"
                "extern const uint32_t langid_estart[65537];\n"
                "extern const uint16_t langid_klo[LANGID_NKEYS];\n"
                "extern const uint8_t langid_kcnt[LANGID_NKEYS];\n"
                "extern const uint16_t langid_ent[LANGID_NENT];\n"
                "#endif\n" % (len(codes), len(keys), len(ents), QSCALE))
    size = 4 * 2 * 65537 + 3 * len(keys) + 2 * len(ents)
    print("table: %d keys, %d entries, %d bytes" % (len(keys), len(ents),
                                                  size), file=sys.stderr)


def write_packages(top, versions, descs, stats):
    path = os.path.join(top, "tools", "langid", "packages.txt")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("# Debian packages the tables in lang/tables/ were built "
                "from\n# (tools/langid/train.py), package TAB version.\n")
        for p, v in versions:
            f.write("%s\t%s\n" % (p, v))
        f.write("# Translated package descriptions (apt-get update, "
                "Acquire::Languages):\n")
        for code in sorted(descs):
            for p in sorted(descs[code]):
                f.write("#   %s\n" % os.path.basename(p))
        f.write("# Per language: train documents, train characters, "
                "held-out documents, held-out strings\n")
        for code in sorted(stats):
            f.write("#   %s %d %d %d %d\n" % ((code,) + stats[code]))


def write_heldout(cache, top, held):
    d = os.path.join(cache, "heldout")
    os.makedirs(d, exist_ok=True)
    bench = []
    with open(os.path.join(d, "sentences.tsv"), "w") as fs, \
            open(os.path.join(d, "pairs.tsv"), "w") as fp:
        for code in sorted(held):
            rnd = random.Random("heldout-" + code)
            vals = held[code]
            sents = [v for v in vals if len(v.split()) >= 4
                     and corpus.letters(v) >= 20 and len(v) <= 400]
            words = [w for v in vals for w in v.split()
                     if corpus.letters(w) == len(w.strip(".,;:!?()\"'"))
                     and corpus.letters(w) >= 2]
            if code == "mt" and len(sents) < 100:
                # Maltese has no held-out prose in Debian: sequences of
                # six held-out words stand in for sentences.
                ws = list(words)
                rnd.shuffle(ws)
                sents += [" ".join(ws[i:i + 6])
                          for i in range(0, len(ws) - 6, 6)]
            rnd.shuffle(sents)
            sents = sents[:400]
            pairs = []
            for v in vals:
                ws = [w.strip(".,;:!?()\"'") for w in v.split()]
                ws = [w for w in ws if corpus.letters(w) >= 2]
                for i in range(len(ws) - 1):
                    pairs.append(ws[i] + " " + ws[i + 1])
            if len(pairs) < 200:
                rnd.shuffle(words)
                pairs += [words[i] + " " + words[i + 1]
                          for i in range(0, len(words) - 1, 2)]
            pairs = sorted(set(pairs))
            rnd.shuffle(pairs)
            pairs = pairs[:400]
            for s in sents:
                fs.write("%s\t%s\n" % (code, s.replace("\t", " ")))
            for p in pairs:
                fp.write("%s\t%s\n" % (code, p))
            bench += [(code, s) for s in sents[:60]]
    bpath = os.path.join(top, "tests", "langid", "heldout_bench.tsv")
    os.makedirs(os.path.dirname(bpath), exist_ok=True)
    with open(bpath, "w") as f:
        for code, s in bench:
            f.write("%s\t%s\n" % (code, s.replace("\t", " ")))


if __name__ == "__main__":
    main()
