#!/usr/bin/env python3
"""stream_run - the streaming benchmark behind tests/bench/stream.sh.

Starts tests/fakeapi.py, then streams the same tokens-N answer (openai
chat completions, SSE) through `tolk -p --no-log` and through `curl -sN`,
both writing to /dev/null, several times each, interleaved.  It does this
twice: tokens-N (the stream in 1 MiB writes: the cost of parsing alone) and
events-N (one write per event, as a real server flushing every token: adds
the cost of many small reads).  For every run it takes the child's own CPU
time (user+sys), wall time and peak RSS from wait4(2) in a small wrapper
process (stream_measure.py), and the fake server's CPU time from its
/_fake/stats, so one can see whether the server was the bottleneck.
Prints the medians and the ratios tolk/curl.  No assertion on time: it
fails only when tolk does not deliver the whole answer.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SRCDIR = os.environ.get("TOLK_SRCDIR") or os.path.abspath(
    os.path.join(HERE, "..", ".."))
BUILDDIR = os.environ.get("TOLK_BUILDDIR") or os.getcwd()
TOLK = os.environ.get("TOLK_BIN") or os.path.join(BUILDDIR, "tolk")
FAKEAPI = os.path.join(SRCDIR, "tests", "fakeapi.py")
KEY = "bench-key"


MEASURE = os.path.join(HERE, "stream_measure.py")


def measure(argv, env, stdout, tmp):
    """Run argv under stream_measure.py; return (exit status, cpu seconds,
    wall seconds, peak rss KiB)."""
    result = os.path.join(tmp, "rusage.json")
    p = subprocess.run([sys.executable, "-S", "-I", MEASURE, result] + argv,
                       stdin=subprocess.DEVNULL, stdout=stdout,
                       stderr=subprocess.PIPE, env=env)
    with open(result) as f:
        r = json.load(f)
    os.unlink(result)
    if r["status"] != 0:
        sys.stderr.write("stream: %s exited %d: %s\n"
                         % (os.path.basename(argv[0]), r["status"],
                            p.stderr.decode("utf-8", "replace").strip()))
    return r["status"], r["cpu"], r["wall"], r["maxrss_kib"]


def server_cpu(base):
    with urllib.request.urlopen(base + "/_fake/stats", timeout=10) as r:
        s = json.loads(r.read())
    return s["cpu_user"] + s["cpu_sys"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tokens", type=int, default=100000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-events", action="store_true",
                    help="skip the one-write-per-event stream")
    args = ap.parse_args()

    curl = shutil.which("curl")
    if not curl:
        print("stream: curl not found, no baseline; skipped")
        return 0
    if not os.access(TOLK, os.X_OK):
        print("stream: %s is not built" % TOLK, file=sys.stderr)
        return 1

    tmp = tempfile.mkdtemp(prefix="tolk-bench-")
    portfile = os.path.join(tmp, "port")
    server = subprocess.Popen([sys.executable, FAKEAPI, "--port", "0",
                               "--port-file", portfile, "--key", KEY],
                              stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 15
        while not os.path.exists(portfile):
            if server.poll() is not None or time.monotonic() > deadline:
                print("stream: fake server did not start", file=sys.stderr)
                return 1
            time.sleep(0.02)
        with open(portfile) as f:
            base = "http://127.0.0.1:%d" % int(f.read())
        return bench(args, tmp, base, curl)
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(tmp, ignore_errors=True)


def bench(args, tmp, base, curl):
    conf = os.path.join(tmp, "config")
    with open(conf, "w") as f:
        f.write("[provider bench]\napi = openai\nbase_url = %s/v1\n"
                "key_env = BENCH_KEY\n" % base)
    for d in ("home", "data", "state", "cache", "xdgconfig"):
        os.makedirs(os.path.join(tmp, d))
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
           "HOME": os.path.join(tmp, "home"),
           "XDG_DATA_HOME": os.path.join(tmp, "data"),
           "XDG_STATE_HOME": os.path.join(tmp, "state"),
           "XDG_CACHE_HOME": os.path.join(tmp, "cache"),
           "XDG_CONFIG_HOME": os.path.join(tmp, "xdgconfig"),
           "LC_ALL": "C.UTF-8", "TOLK_CONFIG": conf, "BENCH_KEY": KEY}
    with open(os.devnull, "wb") as null:
        floor = measure(["true"], env, null, tmp)[3]
    # tokens-N: the stream in writes of 1 MiB (the parsing cost alone);
    # events-N: one write per event, as a server flushing every token.
    rc = one(args, tmp, base, curl, env, "tokens-%d" % args.tokens,
             "", floor)
    if rc == 0 and not args.no_events:
        rc = one(args, tmp, base, curl, env, "events-%d" % args.tokens,
                 ", one write per event", floor)
    return rc


def one(args, tmp, base, curl, env, model, label, floor):
    prompt = "Count."
    tolk_argv = [TOLK, "-p", prompt, "-m", "bench:" + model, "--no-log"]
    body = json.dumps({"model": model,
                       "messages": [{"role": "user", "content": prompt}],
                       "stream": True,
                       "stream_options": {"include_usage": True}})
    curl_argv = [curl, "-sN", "-H", "Authorization: Bearer " + KEY,
                 "-H", "Content-Type: application/json", "--data-binary",
                 body, base + "/v1/chat/completions"]

    # First a check that tolk delivers every byte: a fast tolk that drops
    # text is no result.
    sys.path.insert(0, os.path.join(SRCDIR, "tests"))
    import fakeapi
    want = len(fakeapi.scenario_text(model).encode()) + 1
    out = os.path.join(tmp, "out")
    with open(out, "wb") as f:
        rc = measure(tolk_argv, env, f, tmp)[0]
    got = os.path.getsize(out)
    if rc != 0 or got != want:
        print("stream: tolk delivered %d bytes (want %d), exit %d"
              % (got, want, rc), file=sys.stderr)
        return 1

    res = {"tolk": [], "curl": []}
    with open(os.devnull, "wb") as null:
        for _ in range(args.runs):
            for name, argv in (("tolk", tolk_argv), ("curl", curl_argv)):
                s0 = server_cpu(base)
                rc, cpu, wall, rss = measure(argv, env, null, tmp)
                s1 = server_cpu(base)
                if rc != 0:
                    return 1
                res[name].append((cpu, wall, rss, s1 - s0))

    med = {}
    for name, runs in res.items():
        med[name] = [statistics.median(r[i] for r in runs) for i in range(4)]
    what = "stream %gk tokens%s" % (args.tokens / 1000, label)
    print("%s: openai SSE (%s), median of %d runs" % (what, model, args.runs))
    print("  %-6s %8s %8s %9s %10s %11s" % ("", "cpu s", "wall s",
                                           "rss MiB", "us/token",
                                           "server cpu"))
    for name in ("tolk", "curl"):
        cpu, wall, rss, srv = med[name]
        print("  %-6s %8.3f %8.3f %9.1f %10.2f %10.3fs%s"
              % (name, cpu, wall, rss / 1024, cpu * 1e6 / args.tokens, srv,
                 "  (server-bound)" if srv > 0.8 * wall else ""))
    print("  (peak rss includes a floor of %.1f MiB from the measuring "
          "wrapper: /bin/true measures that much)" % (floor / 1024))
    t, c = med["tolk"], med["curl"]
    print("%s: tolk cpu %.2f s, curl cpu %.2f s, ratio %.2f "
          "(target <= 2.0)" % (what, t[0], c[0], t[0] / c[0] if c[0] else 0))
    print("%s: tolk rss %.1f MiB, curl rss %.1f MiB, ratio %.2f "
          "(target <= 1.5)"
          % (what, t[2] / 1024, c[2] / 1024, t[2] / c[2] if c[2] else 0))
    print("%s: tolk wall %.2f s, curl wall %.2f s, ratio %.2f"
          % (what, t[1], c[1], t[1] / c[1] if c[1] else 0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
