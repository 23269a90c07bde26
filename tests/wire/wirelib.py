"""wirelib - shared plumbing of the wire tests (tests/wire/test_*.py).

A wire test starts tests/fakeapi.py on a free loopback port, writes a config
file whose providers point at it, runs the real tolk binary ($TOLK_BIN) in a
clean environment, and checks stdout, stderr, the exit status and what the
server received.  Every test program prints TAP.

    t = wirelib.Tap()
    with wirelib.World() as w:
        @t.case
        def openai_normal_answer_streams_to_stdout():
            r = w.tolk("-p", "hi", "-m", "fo:normal")
            t.eq(r.out, b"Hello...\\n", "stdout")
    t.done()
"""

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request

SRCDIR = os.environ.get("TOLK_SRCDIR") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", ".."))
BUILDDIR = os.environ.get("TOLK_BUILDDIR") or os.getcwd()
TOLK = os.environ.get("TOLK_BIN") or os.path.join(BUILDDIR, "tolk")
FAKEAPI = os.path.join(SRCDIR, "tests", "fakeapi.py")
KEY = "test-key"
# make check-valgrind runs tolk under memcheck: TOLK_WRAP is put before it.
WRAP = os.environ.get("TOLK_WRAP", "").split()

sys.path.insert(0, os.path.join(SRCDIR, "tests"))
import fakeapi  # noqa: E402  (the expected texts come from the server)

NORMAL = "".join(fakeapi.NORMAL_TOKENS)

# Provider name for each API in the generated config.
PROVIDER = {"openai": "fo", "anthropic": "fa", "ollama": "fl", "gemini": "fg"}


class Failure(Exception):
    pass


class Tap:
    """Collects cases, runs them in order, prints TAP."""

    def __init__(self):
        self.cases = []
        self.diag = []

    def case(self, fn):
        self.cases.append((fn.__name__, fn))
        return fn

    def add(self, name, fn):
        self.cases.append((name, fn))

    def check(self, cond, what):
        if not cond:
            raise Failure(what)

    def eq(self, got, want, what):
        if got != want:
            raise Failure("%s:\n     got: %s\n    want: %s"
                          % (what, short(got), short(want)))

    def match(self, regex, got, what):
        s = got.decode("utf-8", "replace") if isinstance(got, bytes) else got
        if not re.fullmatch(regex, s, re.S):
            raise Failure("%s:\n     got: %s\n    want (regex): %s"
                          % (what, short(s), regex))

    def run(self):
        print("1..%d" % len(self.cases), flush=True)
        failed = 0
        for i, (name, fn) in enumerate(self.cases, 1):
            try:
                fn()
                print("ok %d - %s" % (i, name), flush=True)
            except Failure as e:
                failed += 1
                print("not ok %d - %s" % (i, name))
                for line in str(e).splitlines():
                    print("# " + line)
                sys.stdout.flush()
            except Exception:
                failed += 1
                print("not ok %d - %s" % (i, name))
                for line in traceback.format_exc().splitlines():
                    print("# " + line)
                sys.stdout.flush()
        return 1 if failed else 0


def short(v, limit=600):
    s = repr(v)
    if "Sanitizer" in s or "runtime error" in s:
        return s    # the whole report, to find the bug
    if len(s) > limit:
        s = s[:limit // 2] + " ... " + s[-limit // 2:]
    return s


class Result:
    def __init__(self, rc, out, err, elapsed):
        self.rc = rc
        self.out = out
        self.err = err
        self.elapsed = elapsed

    def __repr__(self):
        return "rc=%r out=%s err=%s" % (self.rc, short(self.out),
                                        short(self.err))


class World:
    """A fake server, a temp HOME and a config file; use with `with`."""

    def __init__(self, extra_config="", stall_timeout=2):
        self.extra_config = extra_config
        self.stall_timeout = stall_timeout

    def __enter__(self):
        self.dir = tempfile.mkdtemp(prefix="tolk-wire-")
        portfile = os.path.join(self.dir, "port")
        self.server_log = open(os.path.join(self.dir, "server.err"), "w+")
        self.server = subprocess.Popen(
            [sys.executable, FAKEAPI, "--port", "0", "--port-file", portfile,
             "--key", KEY], stdin=subprocess.DEVNULL,
            stdout=self.server_log, stderr=self.server_log)
        deadline = time.monotonic() + 15
        while not os.path.exists(portfile):
            if self.server.poll() is not None or time.monotonic() > deadline:
                self.server_log.seek(0)
                raise RuntimeError("fake server did not start: " +
                                   self.server_log.read())
            time.sleep(0.02)
        with open(portfile) as f:
            self.port = int(f.read())
        self.base = "http://127.0.0.1:%d" % self.port
        self.home = os.path.join(self.dir, "home")
        for d in ("home", "config", "data", "state", "cache"):
            os.makedirs(os.path.join(self.dir, d))
        self.config = os.path.join(self.dir, "config", "tolk.conf")
        self.write_config()
        return self

    def write_config(self, extra=None):
        text = ("# wire tests: providers pointing at tests/fakeapi.py\n"
                "stall_timeout = %d\n"
                "[provider fo]\n"
                "api = openai\n"
                "base_url = %s/v1\n"
                "key_env = FAKE_KEY\n"
                "models = normal, multilingual\n"
                "[provider fa]\n"
                "api = anthropic\n"
                "base_url = %s\n"
                "key_env = FAKE_KEY\n"
                "[provider fl]\n"
                "api = ollama\n"
                "base_url = %s\n"
                "[provider fg]\n"
                "api = gemini\n"
                "base_url = %s/v1beta\n"
                "key_env = FAKE_KEY\n"
                % (self.stall_timeout, self.base, self.base, self.base,
                   self.base))
        text += self.extra_config if extra is None else extra
        with open(self.config, "w") as f:
            f.write(text)

    def __exit__(self, *exc):
        self.server.terminate()
        try:
            self.server.wait(5)
        except subprocess.TimeoutExpired:
            self.server.kill()
            self.server.wait()
        self.server_log.close()
        shutil.rmtree(self.dir, ignore_errors=True)
        return False

    # ---- the fake server's hooks

    def requests(self):
        with urllib.request.urlopen(self.base + "/_fake/requests",
                                    timeout=10) as r:
            return json.loads(r.read())

    def reset(self):
        req = urllib.request.Request(self.base + "/_fake/reset", data=b"",
                                     method="POST")
        with urllib.request.urlopen(req, timeout=10) as r:
            r.read()

    # ---- running tolk

    def env(self, **over):
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
               "HOME": self.home,
               "XDG_CONFIG_HOME": os.path.join(self.dir, "config"),
               "XDG_DATA_HOME": os.path.join(self.dir, "data"),
               "XDG_STATE_HOME": os.path.join(self.dir, "state"),
               "XDG_CACHE_HOME": os.path.join(self.dir, "cache"),
               "LC_ALL": "C.UTF-8", "TERM": "xterm-256color",
               "TOLK_CONFIG": self.config, "FAKE_KEY": KEY}
        for k, v in os.environ.items():
            if k.startswith(("ASAN_", "UBSAN_", "LSAN_", "MSAN_")):
                env[k] = v
        for k, v in over.items():
            if v is None:
                env.pop(k, None)
            else:
                env[k] = v
        return env

    def tolk(self, *args, stdin=None, env=None, timeout=60, log=False):
        """Run tolk; stdin: None (/dev/null) or bytes.  --no-log is added
        unless log is true."""
        argv = WRAP + [TOLK] + list(args)
        if not log and "--no-log" not in argv:
            argv.append("--no-log")
        t0 = time.monotonic()
        p = subprocess.run(
            argv, input=stdin,
            stdin=subprocess.DEVNULL if stdin is None else None,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=self.env(**(env or {})), timeout=timeout, cwd=self.dir)
        return Result(p.returncode, p.stdout, p.stderr,
                      time.monotonic() - t0)

    def latest_conversation(self):
        """The newest stored conversation, as `tolk log --json` lists it."""
        r = self.tolk("log", "-n", "1", "--json", log=True)
        if r.rc != 0:
            raise Failure("tolk log: %r" % r)
        log = json.loads(r.out)
        if not log:
            raise Failure("no conversation stored")
        return log[0]

    def spawn(self, *args, env=None):
        argv = WRAP + [TOLK] + list(args) + ["--no-log"]
        return subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE,
                                env=self.env(**(env or {})), cwd=self.dir)


def json_out(t, r, what):
    """The JSON tolk printed, once t has checked that it exited 0."""
    t.check(r.rc == 0, "%s: exit %d, stderr %r" % (what, r.rc, r.err))
    return json.loads(r.out)


def integrity(path):
    """PRAGMA integrity_check of the database at path: [("ok",)] when
    sound."""
    c = sqlite3.connect(path)
    try:
        return c.execute("PRAGMA integrity_check").fetchall()
    finally:
        c.close()


def sha256(b):
    return hashlib.sha256(b).hexdigest()


def lines(b):
    return b.decode("utf-8", "replace").splitlines()


def header(req, name):
    return req["headers"].get(name.lower())
