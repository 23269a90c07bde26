#!/usr/bin/env python3
"""history_run - the history benchmark (make bench; see history.sh).

Fills a fresh store with HISTORY_BENCH_MESSAGES (default 200,000) messages
of mixed-language text (history_gen.py, seeded), then measures, in the
same run and on the same data:

  - insert throughput: `tolk import` of the whole file;
  - `tolk search` for 5 queries, beside `grep -ci` of the same words over
    the Markdown export (target: search <= 0.1 x grep);
  - `tolk log -n 20`, beside `sqlite3 DB 'select count(*) from messages'`
    (target: <= 3 x);
  - the file size;
  - the CPU cost of storing a 100,000-token stream (tolk -p against the
    fake server, with and without --no-log; target: <= 10% extra).

Times are medians of several runs.  Nothing asserts: the figures are
printed with their ratios and the targets.
"""

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRCDIR = os.environ.get("TOLK_SRCDIR") or os.path.abspath(
    os.path.join(HERE, "..", ".."))
TOLK = os.environ.get("TOLK_BIN") or os.path.abspath("tolk")
N = int(os.environ.get("HISTORY_BENCH_MESSAGES", "200000"))

# (what tolk is asked, what grep -ci is asked: the word as written)
QUERIES = [("strasse", "straße"), ("lodz", "łódź"),
           ("ελληνικα", "ελληνικά"), ("thingvellir", "þingvellir"),
           ("kal*", "kal")]


def need_sqlite3():
    if shutil.which("sqlite3"):
        return True
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("installing the sqlite3 command line shell (apt-get)")
        subprocess.run(["apt-get", "install", "-y", "-q", "sqlite3"],
                       stdout=subprocess.DEVNULL)
    return shutil.which("sqlite3") is not None


def timed(argv, env, runs=5):
    """Median wall time. Output goes to a pipe that is read, never to
    /dev/null: GNU grep stops at the first match when it sees /dev/null."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        p = subprocess.run(argv, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
        times.append(time.perf_counter() - t0)
        if p.returncode not in (0, 1):   # grep -c: 1 means no match
            sys.exit("%s failed (%d): %s" % (argv[0], p.returncode,
                                             p.stderr.decode()))
    return statistics.median(times)


def child_cpu(argv, env):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    p = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        sys.exit("%s failed: %s" % (" ".join(argv), p.stderr.decode()))
    return (after.ru_utime - before.ru_utime) + \
        (after.ru_stime - before.ru_stime)


def ms(s):
    return "%.1f ms" % (s * 1000)


def checkpoint_cost(work):
    sys.path.insert(0, os.path.join(SRCDIR, "tests", "wire"))
    import wirelib
    with wirelib.World() as w:
        env = w.env(XDG_DATA_HOME=os.path.join(work, "stream-data"))
        base = [TOLK, "-p", "count", "-m", "fo:tokens-100000"]
        off, on = [], []
        for _ in range(7):
            off.append(child_cpu(base + ["--no-log"], env))
            on.append(child_cpu(base, env))
        return statistics.median(off), statistics.median(on)


def main():
    if not os.access(TOLK, os.X_OK):
        sys.exit("no tolk binary at %s" % TOLK)
    have_sqlite3 = need_sqlite3()
    work = tempfile.mkdtemp(prefix="tolk-bench-history-")
    keep = os.environ.get("HISTORY_BENCH_KEEP")   # a folder to keep it in
    try:
        env = dict(os.environ, XDG_DATA_HOME=os.path.join(work, "data"),
                   LC_ALL="C.UTF-8", COLUMNS="100")
        env.pop("TOLK_CONFIG", None)
        db = os.path.join(work, "data", "tolk", "history.db")
        data = os.path.join(work, "data.jsonl")
        print("generating %d messages (seeded)..." % N, flush=True)
        subprocess.run([sys.executable, os.path.join(HERE, "history_gen.py"),
                        data, "--messages", str(N)], check=True)
        size_in = os.path.getsize(data)

        t0 = time.perf_counter()
        p = subprocess.run([TOLK, "import", data], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        t_import = time.perf_counter() - t0
        if p.returncode != 0:
            sys.exit("import failed: " + p.stderr.decode())
        print("insert:  %d messages (%.0f MB of JSON) in %.1f s: "
              "%.0f messages/s, %.1f MB/s"
              % (N, size_in / 1e6, t_import, N / t_import,
                 size_in / 1e6 / t_import))
        # Checkpoint the WAL so the size is the database's.
        subprocess.run([TOLK, "log", "-n", "1"], env=env,
                       stdout=subprocess.DEVNULL)
        size_db = os.path.getsize(db)
        if os.path.exists(db + "-wal"):
            size_db += os.path.getsize(db + "-wal")
        print("size:    %.1f MB on disk (%.2f x the JSON)"
              % (size_db / 1e6, size_db / size_in))

        md = os.path.join(work, "export.md")
        t0 = time.perf_counter()
        subprocess.run([TOLK, "export", "--format", "md", "-o", md],
                       env=env, check=True)
        print("export:  Markdown %.0f MB in %.1f s"
              % (os.path.getsize(md) / 1e6, time.perf_counter() - t0))

        print("search (median of 5; grep -ci over the Markdown export, "
              "median of 3):")
        ratios = []
        for q, word in QUERIES:
            p = subprocess.run([TOLK, "search", q, "-n", "20", "--json"],
                               env=env, stdout=subprocess.PIPE)
            hits = p.stdout.count(b'"message_id"')
            ts = timed([TOLK, "search", q, "-n", "20"], env)
            g = subprocess.run(["grep", "-ci", word, md], env=env,
                               stdout=subprocess.PIPE)
            tg = timed(["grep", "-ci", word, md], env, runs=3)
            ratios.append(ts / tg)
            print("  %-14s tolk %9s (%2d shown)   grep -ci %-12s %9s "
                  "(%s lines)   ratio %.3f"
                  % (q, ms(ts), hits, word, ms(tg),
                     g.stdout.decode().strip(), ts / tg))
        print("  worst ratio %.3f (target <= 0.1)" % max(ratios))

        tv = timed([TOLK, "--version"], env, runs=11)
        print("startup: tolk --version %s (the floor of every tolk run: "
              "loading its shared libraries)" % ms(tv))
        tl = timed([TOLK, "log", "-n", "20"], env, runs=11)
        if have_sqlite3:
            tc = timed(["sqlite3", db, "select count(*) from messages"],
                       env, runs=11)
            print("log:     tolk log -n 20 %s   sqlite3 count(*) %s   "
                  "ratio %.2f (target <= 3)" % (ms(tl), ms(tc), tl / tc))
        else:
            print("log:     tolk log -n 20 %s   (no sqlite3 shell for the "
                  "baseline)" % ms(tl))

        try:
            off, on = checkpoint_cost(work)
            print("stream:  100,000 tokens, tolk CPU (user+sys, median of 7) "
                  "%.3f s with --no-log, %.3f s stored: %+.1f%% "
                  "(target <= 10%%)"
                  % (off, on, 100.0 * (on - off) / off))
        except (Exception, SystemExit) as e:   # the server is optional here
            print("stream:  not measured: %s" % e)
    finally:
        if keep:
            shutil.rmtree(keep, ignore_errors=True)
            shutil.move(work, keep)
            print("kept in %s" % keep)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
