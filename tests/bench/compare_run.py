#!/usr/bin/env python3
"""compare_run - the compare benchmark behind tests/bench/compare.sh.

tolk --compare with four models of the fake server (events-N: one write
per token, as real servers send; and tokens-N: writes of 1 MiB) runs in a
detached tmux session of 160x40; a prompt is sent, the screen is read every
20 ms until every column's header says it ended, and tolk's
CPU time (from /proc) and peak RSS are read.  Each column's end is the
first capture where its header shows the count; the spread of those times
says whether a column fell behind the others (the four streams are the
same, so they end at about the same time on the wire).  The baseline is
four curl -sN receiving the same four streams at once to /dev/null (CPU of
the shell and its children from wait4).

Prints the figures and ratios; asserts nothing on time.  Fails only when a
column never shows its whole answer.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import tui_run  # noqa: E402  (server, environment, /proc readers)

MEASURE = os.path.join(HERE, "stream_measure.py")
W, H = 160, 40


def run(args, tmp, env, port, kind):
    if shutil.which("tmux") is None:
        print("compare: tmux is not installed, skipped")
        return
    models = ["fo:%s-%d+%d" % (kind, args.tokens, i) for i in range(4)]
    sock = "tolk-bench-cmp-%d" % os.getpid()
    envs = []
    for k, v in env.items():
        envs += ["-e", "%s=%s" % (k, v)]
    cmd = "exec env -i %s %s --compare %s --no-log" % (
        " ".join("'%s=%s'" % kv for kv in env.items()), tui_run.TOLK,
        ",".join(models))
    tmux = tui_run.tmux
    tmux(sock, "new-session", "-d", "-x", str(W), "-y", str(H), *envs, cmd)
    ends = [None] * 4
    try:
        deadline = time.monotonic() + 20
        while "\u276f" not in tmux(sock, "capture-pane", "-p"):
            if time.monotonic() > deadline:
                raise SystemExit("compare bench: tolk did not start")
            time.sleep(0.05)
        pid = int(tmux(sock, "display", "-p", "#{pane_pid}").strip())
        cpu0 = tui_run.cpu_seconds(pid)
        t0 = time.monotonic()
        tmux(sock, "send-keys", "go", "Enter")
        cw = (W - 3) // 4
        deadline = t0 + 600
        while None in ends:
            if time.monotonic() > deadline:
                raise SystemExit("compare bench: the answers did not end")
            rows = tmux(sock, "capture-pane", "-p").split("\n")
            now = time.monotonic() - t0
            # A column has ended when its header drops the "…" mark.
            for i in range(4):
                cell = rows[0][i * (cw + 1):i * (cw + 1) + cw]
                if (ends[i] is None and cell.startswith("fo:") and
                        "\u2026" not in cell):
                    ends[i] = now
            time.sleep(0.02)
        wall = max(ends)
        cpu = tui_run.cpu_seconds(pid) - cpu0
        peak = tui_run.peak_rss_kib(pid)
    finally:
        tmux(sock, "kill-server")
    curls = []
    for m in models:
        body = json.dumps({"model": m.split(":", 1)[1], "stream": True,
                           "messages": [{"role": "user", "content": "go"}]})
        curls.append("curl -sN -o /dev/null -H 'Authorization: Bearer %s' "
                      "-H 'Content-Type: application/json' -d '%s' "
                      "http://127.0.0.1:%d/v1/chat/completions &"
                      % (tui_run.KEY, body, port))
    result = os.path.join(tmp, "rusage.json")
    subprocess.run([sys.executable, "-S", "-I", MEASURE, result, "sh", "-c",
                    " ".join(curls) + " wait"], check=True)
    with open(result) as f:
        c = json.load(f)
    print("4 x %d tokens side by side in the TUI in tmux (%s: %s):"
          % (args.tokens, kind, "one write per token" if kind == "events"
             else "writes of 1 MiB"))
    print("  tolk        CPU %6.2f s   wall %6.2f s   peak RSS %6.1f MB"
          % (cpu, wall, peak / 1024))
    print("  columns end at %s s (spread %.0f ms; a frame is 16 ms, a "
          "capture 20 ms)" % (", ".join("%.2f" % e for e in ends),
                              (max(ends) - min(ends)) * 1000))
    print("  4 x curl    CPU %6.2f s   wall %6.2f s"
          % (c["cpu"], c["wall"]))
    if c["cpu"] > 0:
        print("  CPU ratio   %6.2f" % (cpu / c["cpu"]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tokens", type=int, default=25000)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="tolk-bench-cmp-")
    srv = None
    try:
        srv, port = tui_run.start_server(tmp)
        env = tui_run.environment(tmp, port)
        run(args, tmp, env, port, "events")
        run(args, tmp, env, port, "tokens")
    finally:
        if srv is not None:
            srv.terminate()
            srv.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
