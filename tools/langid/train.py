#!/usr/bin/env python3
"""Build tolk's language identification tables from Debian packages.

    python3 tools/langid/train.py [--cache /tmp/langid-cache] [--out .]

Downloads the packages listed in corpus.py (a few dozen MB) with apt-get
into the cache folder, pulls the translated text out, drops untranslated
English, splits by source document into train (4/5) and held-out (1/5),
counts character n-grams of orders 1 to 5 and whole words per language,
keeps the most frequent of each, and writes:

    lang/tables/langid_*.[ch]       the quantised tables, compiled in
                                    (sources.mk lists them)
    tools/langid/packages.txt       the packages and versions used
    CACHE/heldout/sentences.tsv     held-out sentences  (lang TAB text)
    CACHE/heldout/pairs.tsv         held-out word pairs (lang TAB text)
    tests/langid/heldout_bench.tsv  a sample of those for `make bench`

Needs root for apt-get, and the Debian packages lz4 and tesseract-ocr
(installed here when missing).  Standard library only.

The text normalisation and the n-gram hash here must match
lang/langid.c exactly (see norm() and key_hash()).
"""

import argparse
import collections
import glob
import hashlib
import math
import multiprocessing
import os
import pickle
import random
import shutil
import subprocess
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus  # noqa: E402

ORDERS = 5
WORD = 6               # whole words are the sixth kind of feature
# n-grams kept per language and order (order 1 keeps every letter).
TOPK = {1: 100000, 2: 2000, 3: 7000, 4: 7000, 5: 6000, 6: 4000}
MIN_COUNT = 2          # an entry needs at least this many occurrences
ALPHA = 0.5            # additive smoothing
QSCALE = 8             # quantisation steps per nat
NORMALISE = True       # scale counts to a common corpus size
MAX_TRAIN_CHARS = 3000000
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


def is_cyrillic(t):
    cyr = sum(1 for c in t if "\u0400" <= c <= "\u04ff")
    return cyr * 2 >= corpus.letters(t)


def fnv(s):
    h = 2166136261
    for c in s:
        h = ((h ^ ord(c)) * 16777619) & 0xffffffff
    return h


def key_hash(g):
    """The 32-bit key of a feature. An n-gram is hashed from its last
    character back to its first, so that lang/langid.c gets the keys of
    all the n-grams ending at a character (orders 1 to 5) from one pass
    of five steps; a whole word (U+0001, then the word) is hashed
    forwards, as the C side reads it."""
    if g.startswith("\x01"):
        return fnv(g)
    return fnv(reversed(g))


def word_key(word):
    """A whole word, told apart from the n-grams by a leading U+0001."""
    return "\x01" + word


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
    counts = {n: collections.Counter() for n in range(1, WORD + 1)}
    for w, f in words.items():
        for n, g in grams(w):
            counts[n][g] += f
        counts[WORD][word_key(w)] += f
    return code, counts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", default="/tmp/langid-cache")
    ap.add_argument("--out", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    ap.add_argument("--reuse-counts", action="store_true",
                    help="reuse the n-gram counts of the last run")
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
        for path in glob.glob(os.path.join(
                a.cache, "lists", "*_debian_dists_*_main_i18n_Translation-*")):
            code = path.rsplit("-", 1)[1].split(".")[0]
            if code in corpus.LANGS and code != "en":
                descs.setdefault(code, []).append(path)
    cpick = os.path.join(a.cache, "corpus.pickle")
    if a.reuse_counts and os.path.exists(cpick):
        with open(cpick, "rb") as f:
            data = pickle.load(f)
    else:
        print("extracting text", file=sys.stderr)
        data = corpus.collect(a.cache, versions, descs, MAX_DESC_CHARS)
        with open(cpick, "wb") as f:
            pickle.dump(data, f)

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

    # Serbian is two models inside, one per script ("srl" is Latin
    # Serbian); lang/langid.c reports both as sr.
    train["srl"] = [t for t in train["sr"] if not is_cyrillic(t)]
    train["sr"] = [t for t in train["sr"] if is_cyrillic(t)]
    pick = os.path.join(a.cache, "counts.pickle")
    if a.reuse_counts and os.path.exists(pick):
        with open(pick, "rb") as f:
            counted = pickle.load(f)
    else:
        print("counting n-grams", file=sys.stderr)
        with multiprocessing.Pool(2) as pool:
            counted = dict(pool.map(count_lang, sorted(train.items())))
        with open(pick, "wb") as f:
            pickle.dump(counted, f)

    codes = sorted(counted)
    keep = set()
    vocab = {n: set() for n in range(1, WORD + 1)}
    for code in codes:
        for n in range(1, WORD + 1):
            c = counted[code][n]
            vocab[n].update(c)
            keep.update(g for g, f in c.most_common(TOPK[n])
                        if f >= MIN_COUNT)
    # Counts are scaled to a common corpus size per order before
    # smoothing, so that a language with less text is not favoured on
    # n-grams nobody saw (its floor would be higher) nor penalised on the
    # ones it saw (its counts lower).
    totals = {(code, n): sum(counted[code][n].values())
              for code in codes for n in range(1, WORD + 1)}
    ref = {n: sorted(totals[c, n] for c in codes)[len(codes) // 2]
           for n in range(1, WORD + 1)}
    floors = []
    for code in codes:
        row = []
        for n in range(1, WORD + 1):
            tot = ref[n] if NORMALISE else totals[code, n]
            row.append(math.log(ALPHA / (tot + ALPHA * len(vocab[n]))))
        floors.append(row)
    table = {}
    # Sorted, so that collisions resolve the same way on every run (a
    # set of strings iterates in a per-process order).
    for g in sorted(keep):
        ents = []
        n = WORD if g.startswith("\x01") else len(g)
        for li, code in enumerate(codes):
            f = counted[code][n].get(g, 0)
            if f >= MIN_COUNT:
                if NORMALISE:
                    f = f * ref[n] / max(1, totals[code, n])
                q = int(round(math.log(1 + f / ALPHA) * QSCALE))
                ents.append((li, min(q, 255)))
        if ents:
            h = key_hash(g)
            if h in table:
                # A collision: keep the better-supported n-gram.
                if sum(q for _, q in table[h]) >= sum(q for _, q in ents):
                    continue
            table[h] = ents
    write_table(top, codes, floors, table)
    write_packages(top, versions, descs, stats)
    write_heldout(a.cache, top, held)


DENSE_MIN = 8          # n-grams seen in this many languages get a row
ROW = 48               # bytes per dense row (languages, padded to 16)
WAYS = 4               # slots per bucket
DENSE = 0x80000000     # reference flags, as in lang/langid.c
INLINE = 0x40000000


def write_table(top, codes, floors, table):
    """The layout lang/langid.c reads. Keys go into buckets of WAYS
    (key, reference) slots, picked by the top bits of the key; a full
    bucket spills into the next one, and the slots of a bucket fill in
    order, so a lookup stops at the first empty slot. Keys are placed
    best-supported first, so that the common n-grams sit in their own
    bucket. A reference is never 0 (0 marks an empty slot): one
    (language, bonus) entry inline, a dense row of ROW bytes (one
    quantised bonus per language) for common n-grams, or a run of two to
    DENSE_MIN - 1 sparse (language, bonus) entries. Each table is one
    array (in one source file), so that finding an entry is one addition.
    """
    # Every language pays the same floor per n-gram order (the counts
    # are scaled to a common size), so lang/langid.c leaves them out.
    assert all(row == floors[0] for row in floors)
    order = sorted(table, key=lambda k: (-sum(q for _, q in table[k]), k))
    ref = {}
    ents = []
    rows = []
    for k in sorted(table):
        e = table[k]
        if len(e) >= DENSE_MIN:
            row = [0] * ROW
            for li, q in e:
                row[li] = q
            ref[k] = DENSE | len(rows)
            rows.append(row)
        elif len(e) == 1:
            ref[k] = INLINE | e[0][0] << 8 | e[0][1]
        else:
            ref[k] = len(e) << 24 | len(ents)
            ents += [li << 8 | q for li, q in e]
    assert len(ents) < (1 << 24) and len(codes) <= ROW and len(codes) < 64
    # At most 85% of the slots full.
    bits = 10
    while (WAYS << bits) * 0.85 < len(table):
        bits += 1
    nb = 1 << bits
    bkey = [[0] * WAYS for _ in range(nb)]
    bref = [[0] * WAYS for _ in range(nb)]
    fill = [0] * nb
    for k in order:
        b = k >> (32 - bits)
        while fill[b] == WAYS:
            b = (b + 1) & (nb - 1)
        bkey[b][fill[b]] = k
        bref[b][fill[b]] = ref[k]
        fill[b] += 1
    tdir = os.path.join(top, "lang", "tables")
    os.makedirs(tdir, exist_ok=True)
    for old in os.listdir(tdir):
        if old.startswith("langid_") and old.endswith(".c"):
            os.unlink(os.path.join(tdir, old))
    head = ("/* Generated by tools/langid/train.py: do not edit. */\n"
            "/* Character n-gram tables for lang/langid.c; see there. */"
            "\n#include <stdint.h>\n"
            "#include \"lang/tables/langid_table.h\"\n\n")
    sources = ["langid_table.c", "langid_buckets.c", "langid_ents.c",
               "langid_rows.c"]
    with open(os.path.join(tdir, "langid_table.c"), "w") as f:
        f.write(head)
        f.write("const char langid_codes[LANGID_NLANGS][4] = {%s};\n"
                % ",".join('"%s"' % c for c in codes))
    with open(os.path.join(tdir, "langid_buckets.c"), "w") as f:
        f.write(head)
        f.write("const struct langid_bucket langid_buckets[%d] = {\n" % nb)
        for b in range(nb):
            f.write("{{%s},{%s}},\n" % (",".join(str(v) for v in bkey[b]),
                                        ",".join(str(v) for v in bref[b])))
        f.write("};\n")
    with open(os.path.join(tdir, "langid_ents.c"), "w") as f:
        f.write(head)
        f.write("const uint16_t langid_ents[%d] = {\n" % len(ents))
        for i in range(0, len(ents), 20):
            f.write(",".join(str(v) for v in ents[i:i + 20]) + ",\n")
        f.write("};\n")
    with open(os.path.join(tdir, "langid_rows.c"), "w") as f:
        f.write(head)
        f.write("const uint8_t langid_rows[%d][LANGID_ROW] "
                "__attribute__((aligned(16))) = {\n" % len(rows))
        for row in rows:
            f.write("{%s},\n" % ",".join(str(v) for v in row))
        f.write("};\n")
    hpath = os.path.join(tdir, "langid_table.h")
    with open(hpath, "w") as f:
        f.write("/* Generated by tools/langid/train.py: do not edit. */\n"
                "#ifndef TOLK_LANGID_TABLE_H\n#define TOLK_LANGID_TABLE_H\n"
                "#include <stdint.h>\n"
                "#define LANGID_NLANGS %d\n#define LANGID_NKEYS %d\n"
                "#define LANGID_NENT %d\n#define LANGID_NROWS %d\n"
                "#define LANGID_QSCALE %d\n#define LANGID_ROW %d\n"
                "#define LANGID_DENSE 0x%xu\n#define LANGID_INLINE 0x%xu\n"
                "#define LANGID_WAYS %d\n#define LANGID_BUCKET_BITS %d\n"
                % (len(codes), len(table), len(ents), len(rows), QSCALE, ROW,
                   DENSE, INLINE, WAYS, bits))
        f.write("/* Table rows of the languages. */\n")
        for i, c in enumerate(codes):
            f.write("#define LANGID_L_%s %d\n" % (c, i))
        f.write("struct langid_bucket {\n"
                "\tuint32_t\tkey[LANGID_WAYS];\n"
                "\tuint32_t\tref[LANGID_WAYS];\t/* 0: empty */\n"
                "} __attribute__((aligned(32)));\n"
                "extern const char langid_codes[LANGID_NLANGS][4];\n"
                "extern const struct langid_bucket langid_buckets[%d];\n"
                "extern const uint16_t langid_ents[%d];\n"
                "extern const uint8_t langid_rows[%d][LANGID_ROW];\n"
                "#endif\n" % (nb, len(ents), len(rows)))
    with open(os.path.join(tdir, "sources.mk"), "w") as f:
        f.write("# Generated by tools/langid/train.py: the table sources.\n"
                "langid_table_sources = lang/tables/langid_table.h")
        for name in sources:
            f.write(" \\\n\tlang/tables/" + name)
        f.write("\n")
    size = 8 * WAYS * nb + 2 * len(ents) + ROW * len(rows)
    spill = sum(1 for k in table if bkey[k >> (32 - bits)].count(k) == 0)
    print("table: %d keys (%d outside their bucket), %d sparse entries, "
          "%d dense rows, %d bytes" % (len(table), spill, len(ents),
                                       len(rows), size), file=sys.stderr)


def descs_any(descs):
    for paths in descs.values():
        if paths:
            return paths[0]
    return "/nonexistent/lists/x"


def write_packages(top, versions, descs, stats):
    path = os.path.join(top, "tools", "langid", "packages.txt")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("# Debian packages the tables in lang/tables/ were built "
                "from\n# (tools/langid/train.py), package TAB version.\n")
        for p, v in versions:
            f.write("%s\t%s\n" % (p, v))
        f.write("# Translated package descriptions (apt-get update, "
                "Acquire::Languages), from the archive as of:\n")
        for rel in sorted(glob.glob(os.path.join(
                os.path.dirname(os.path.dirname(descs_any(descs))),
                "lists", "*_dists_bookworm_InRelease"))):
            with open(rel, errors="replace") as r:
                for line in r:
                    if line.startswith("Date:"):
                        f.write("#   %s %s" % (os.path.basename(rel), line))
                        break
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
