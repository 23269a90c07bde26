#!/usr/bin/env python3
"""tui_run - the TUI benchmark behind tests/bench/tui.sh.

(a) Start-up: a history of --messages messages (tests/bench/history_gen.py,
    imported with `tolk import`), then tolk is started on a pseudo-terminal
    several times; the time from exec to the first drawn frame (the editor's
    prompt mark reaching the terminal) and the RSS at that moment are taken,
    beside tests/bench/tui_min (initscr, refresh, endwin) timed from exec to
    exit on the same kind of terminal.
(b) Streaming: tolk runs inside a detached tmux session; a prompt to the
    fake server's tokens-N scenario (the whole stream in 1 MiB writes) and
    then to events-N (one write per token, as real servers send) is sent, and when the status line shows
    the whole count the process's CPU time (from /proc) and peak RSS are
    read; curl -sN receives the same stream to /dev/null as the baseline
    (CPU and peak RSS from wait4).

Prints medians and ratios; asserts nothing on time.  Fails only when tolk
does not draw or does not receive the whole answer.
"""

import argparse
import json
import os
import pty
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRCDIR = os.environ.get("TOLK_SRCDIR") or os.path.abspath(
    os.path.join(HERE, "..", ".."))
BUILDDIR = os.environ.get("TOLK_BUILDDIR") or os.getcwd()
TOLK = os.environ.get("TOLK_BIN") or os.path.join(BUILDDIR, "tolk")
TUI_MIN = os.path.join(BUILDDIR, "tests", "bench", "tui_min")
FAKEAPI = os.path.join(SRCDIR, "tests", "fakeapi.py")
GEN = os.path.join(HERE, "history_gen.py")
MEASURE = os.path.join(HERE, "stream_measure.py")
KEY = "bench-key"
MARK = "\u276f".encode()        # the editor's prompt mark: the frame is up


def start_server(tmp):
    portfile = os.path.join(tmp, "port")
    log = open(os.path.join(tmp, "server.log"), "w")
    srv = subprocess.Popen([sys.executable, FAKEAPI, "--port", "0",
                            "--port-file", portfile, "--key", KEY],
                           stdin=subprocess.DEVNULL, stdout=log, stderr=log)
    deadline = time.monotonic() + 15
    while not os.path.exists(portfile):
        if srv.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("tui bench: the fake server did not start")
        time.sleep(0.02)
    time.sleep(0.05)
    with open(portfile) as f:
        return srv, int(f.read())


def environment(tmp, port):
    conf = os.path.join(tmp, "tolk.conf")
    with open(conf, "w") as f:
        f.write("[provider fo]\napi = openai\nbase_url = "
                "http://127.0.0.1:%d/v1\nkey_env = FAKE_KEY\n"
                "models = normal\n" % port)
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": tmp, "XDG_DATA_HOME": os.path.join(tmp, "data"),
            "XDG_STATE_HOME": os.path.join(tmp, "state"),
            "XDG_CONFIG_HOME": os.path.join(tmp, "config"),
            "LC_ALL": "C.UTF-8", "TERM": "xterm-256color",
            "TOLK_CONFIG": conf, "FAKE_KEY": KEY}


def rss_kib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / tick


def peak_rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def on_pty(argv, env, until_mark, quit_bytes=b"\x11"):
    """Run argv on a new pty of 80x24; return (seconds to the mark or to
    exit, rss KiB at that moment)."""
    master, slave = pty.openpty()
    os.set_blocking(master, False)
    import fcntl
    import struct
    import termios
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    t0 = time.monotonic()
    p = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave,
                         env=env, start_new_session=True)
    os.close(slave)
    seen = b""
    when = None
    rss = 0
    deadline = t0 + 60
    while time.monotonic() < deadline:
        r, _, _ = select.select([master], [], [], 0.05)
        if r:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                chunk = b""
            seen += chunk
            if until_mark and when is None and MARK in seen:
                when = time.monotonic() - t0
                rss = rss_kib(p.pid)
                os.write(master, quit_bytes)
        if p.poll() is not None:
            break
    if p.poll() is None:
        p.kill()
    p.wait()
    if not until_mark:
        when = time.monotonic() - t0
    os.close(master)
    if when is None:
        raise SystemExit("tui bench: no frame from %s; got %r"
                         % (argv[0], seen[-300:]))
    return when, rss


def startup(args, tmp, env):
    data = os.path.join(tmp, "hist.jsonl")
    print("generating %d messages ..." % args.messages, flush=True)
    subprocess.run([sys.executable, GEN, data, "--messages",
                    str(args.messages)], check=True)
    t0 = time.monotonic()
    r = subprocess.run([TOLK, "import", data], env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode != 0:
        raise SystemExit("tui bench: import failed: %s" % r.stderr.decode())
    print("imported in %.1f s" % (time.monotonic() - t0))
    os.unlink(data)
    tolk, mini, rss, bare = [], [], [], []
    for _ in range(args.runs):
        w, m = on_pty([TUI_MIN], env, False)
        mini.append(w)
        w, m = on_pty([TOLK, "--version"], env, False)
        bare.append(w)
        w, m = on_pty([TOLK, "-m", "fo:normal"], env, True)
        tolk.append(w)
        rss.append(m)
    a, b = statistics.median(tolk), statistics.median(mini)
    print("first frame, %d stored messages (median of %d):"
          % (args.messages, args.runs))
    print("  tolk        %7.1f ms   RSS %6.1f MB"
          % (a * 1000, statistics.median(rss) / 1024))
    print("  tui_min     %7.1f ms   (initscr, refresh, endwin)" % (b * 1000))
    print("  tolk -V     %7.1f ms   (loading the binary and its %s)"
          % (statistics.median(bare) * 1000, "shared libraries"))
    print("  ratio       %7.2f" % (a / b if b > 0 else float("nan")))


def tmux(sock, *a):
    return subprocess.run(["tmux", "-L", sock, "-f", "/dev/null"] + list(a),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=30).stdout.decode("utf-8", "replace")


def streaming(args, tmp, env, port, kind):
    if shutil.which("tmux") is None:
        print("streaming: tmux is not installed, skipped")
        return
    model = "%s-%d" % (kind, args.tokens)
    sock = "tolk-bench-%d" % os.getpid()
    envs = []
    for k, v in env.items():
        envs += ["-e", "%s=%s" % (k, v)]
    cmd = "exec env -i %s %s -m fo:%s --no-log" % (
        " ".join("'%s=%s'" % kv for kv in env.items()), TOLK, model)
    tmux(sock, "new-session", "-d", "-x", "80", "-y", "24", *envs, cmd)
    try:
        deadline = time.monotonic() + 20
        while "\u276f" not in tmux(sock, "capture-pane", "-p"):
            if time.monotonic() > deadline:
                raise SystemExit("tui bench: tolk did not start in tmux")
            time.sleep(0.05)
        pid = int(tmux(sock, "display", "-p", "#{pane_pid}").strip())
        cpu0 = cpu_seconds(pid)
        t0 = time.monotonic()
        tmux(sock, "send-keys", "go", "Enter")
        want = "out %d" % args.tokens
        deadline = t0 + 300
        while want not in tmux(sock, "capture-pane", "-p"):
            if time.monotonic() > deadline:
                raise SystemExit("tui bench: the answer did not end")
            time.sleep(0.02)
        wall = time.monotonic() - t0
        cpu = cpu_seconds(pid) - cpu0
        peak = peak_rss_kib(pid)
    finally:
        tmux(sock, "kill-server")
    body = json.dumps({"model": model, "stream": True, "messages": [
        {"role": "user", "content": "go"}]})
    result = os.path.join(tmp, "rusage.json")
    subprocess.run([sys.executable, "-S", "-I", MEASURE, result, "curl",
                    "-sN", "-o", "/dev/null", "-H",
                    "Authorization: Bearer " + KEY, "-H",
                    "Content-Type: application/json", "-d", body,
                    "http://127.0.0.1:%d/v1/chat/completions" % port],
                   check=True)
    with open(result) as f:
        c = json.load(f)
    print("streaming %d tokens into the TUI in tmux (%s: %s):"
          % (args.tokens, model, "one write per token" if kind == "events"
             else "writes of 1 MiB"))
    print("  tolk        CPU %6.2f s   wall %6.2f s   peak RSS %6.1f MB"
          % (cpu, wall, peak / 1024))
    print("  curl        CPU %6.2f s   wall %6.2f s   peak RSS %6.1f MB"
          % (c["cpu"], c["wall"], c["maxrss_kib"] / 1024))
    if c["cpu"] > 0:
        print("  CPU ratio   %6.2f" % (cpu / c["cpu"]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--messages", type=int, default=200000)
    ap.add_argument("--tokens", type=int, default=100000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="tolk-bench-tui-")
    srv = None
    try:
        srv, port = start_server(tmp)
        env = environment(tmp, port)
        startup(args, tmp, env)
        streaming(args, tmp, env, port, "tokens")
        streaming(args, tmp, env, port, "events")
    finally:
        if srv is not None:
            srv.terminate()
            srv.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
