"""tuilib - drive the real tolk TUI in a detached tmux server.

A TUI test starts the fake API server and a config through the wire tests'
World (tests/wire/wirelib.py), then runs tolk inside `tmux -L SOCKET -f
/dev/null new-session -d -x W -y H` with a clean environment, types with
send-keys, and reads the screen with capture-pane.  The tmux server is
always killed at the end.

    t = tuilib.Tap()
    with tuilib.Tui(80, 24) as ui:
        ui.start("-m", "fo:normal")
        ui.type("hi"); ui.keys("Enter")
        ui.wait_for("word for word")
    t.done()
"""

import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(
    os.environ.get("TOLK_SRCDIR") or os.path.abspath(
        os.path.join(os.path.dirname(__file__), "..", "..")),
    "tests", "wire"))
import wirelib  # noqa: E402

Tap = wirelib.Tap
Failure = wirelib.Failure
TOLK = wirelib.TOLK
HAVE_TMUX = shutil.which("tmux") is not None


class Tui:
    def __init__(self, width=80, height=24, extra_config="", log=True,
                 stall_timeout=5):
        self.width = width
        self.height = height
        self.world = wirelib.World(extra_config=extra_config,
                                   stall_timeout=stall_timeout)
        self.log = log
        self.sock = "tolk-tui-%d-%d" % (os.getpid(), id(self) & 0xffff)
        self.started = False

    def __enter__(self):
        self.world.__enter__()
        return self

    def __exit__(self, *exc):
        try:
            self.kill()
            report = self.sanitizer_report()
        finally:
            self.world.__exit__(*exc)
        if exc[0] is None and report:
            raise Failure("sanitizer report on stderr:\n" + report[-3000:])
        return False

    def sanitizer_report(self):
        err = self.stderr()
        if "Sanitizer" in err or "runtime error:" in err:
            return err
        return ""

    def tmux(self, *args, check=True):
        p = subprocess.run(["tmux", "-L", self.sock, "-f", "/dev/null"] +
                           list(args), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=20)
        if check and p.returncode != 0:
            raise Failure("tmux %s: %s" % (" ".join(args),
                                           p.stderr.decode(errors="replace")))
        return p.stdout.decode("utf-8", "replace")

    def start(self, *args, env=None, wait="❯"):
        e = self.world.env(**(env or {}))
        e.pop("TMUX", None)
        argv = [TOLK] + list(args)
        if not self.log and "--no-log" not in argv:
            argv.append("--no-log")
        # The exit status is kept in a file: the pane closes with tolk.
        self.status_file = os.path.join(self.world.dir, "status")
        self.stderr_file = os.path.join(self.world.dir, "stderr")
        cmd = " ".join(shq(a) for a in argv)
        shell = "%s 2>%s; echo $? >%s" % (cmd, shq(self.stderr_file),
                                          shq(self.status_file))
        envargs = []
        for k, v in e.items():
            envargs += ["-e", "%s=%s" % (k, v)]
        self.tmux("new-session", "-d", "-x", str(self.width), "-y",
                  str(self.height), *envargs,
                  "env -i " + " ".join(shq("%s=%s" % kv) for kv in
                                       e.items()) + " sh -c " + shq(shell))
        self.tmux("set-option", "-g", "remain-on-exit", "off", check=False)
        self.started = True
        if wait:
            self.wait_for(wait)

    def tolk_pid(self):
        try:
            sh = int(self.display("#{pane_pid}"))
            with open("/proc/%d/task/%d/children" % (sh, sh)) as f:
                kids = f.read().split()
            return int(kids[0]) if kids else None
        except (Failure, OSError, ValueError):
            return None

    def kill(self):
        """Kill the tmux server (tolk gets SIGHUP and quits) and wait for
        tolk to be gone, so that its stderr is complete."""
        if self.started:
            pid = self.tolk_pid()
            self.tmux("kill-server", check=False)
            self.started = False
            deadline = time.monotonic() + 10
            while pid and os.path.exists("/proc/%d" % pid) and \
                    time.monotonic() < deadline:
                with open("/proc/%d/stat" % pid) as f:
                    if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                        break
                time.sleep(0.02)

    def keys(self, *keys):
        self.tmux("send-keys", "-t", "0", *keys)

    def type(self, text):
        self.tmux("send-keys", "-t", "0", "-l", text)

    def paste(self, text):
        self.tmux("set-buffer", "-b", "t", text)
        self.tmux("paste-buffer", "-p", "-d", "-b", "t", "-t", "0")

    def resize(self, w, h):
        self.width, self.height = w, h
        self.tmux("resize-window", "-t", "0", "-x", str(w), "-y", str(h))

    def screen(self, escapes=False):
        args = ["capture-pane", "-p", "-t", "0"]
        if escapes:
            args.append("-e")
        return self.tmux(*args)

    def lines(self):
        return self.screen().split("\n")[:self.height]

    def cursor(self):
        out = self.tmux("display", "-p", "-t", "0",
                        "#{cursor_x} #{cursor_y}")
        x, y = out.split()
        return int(x), int(y)

    def display(self, fmt):
        return self.tmux("display", "-p", "-t", "0", fmt).strip()

    def wait_for(self, what, timeout=10, regex=False):
        deadline = time.monotonic() + timeout
        s = ""
        while time.monotonic() < deadline:
            s = self.screen()
            if (re.search(what, s) if regex else what in s):
                return s
            time.sleep(0.05)
        raise Failure("timed out waiting for %r; the screen:\n%s"
                      % (what, s))

    def wait_gone(self, what, timeout=10):
        deadline = time.monotonic() + timeout
        s = ""
        while time.monotonic() < deadline:
            s = self.screen()
            if what not in s:
                return s
            time.sleep(0.05)
        raise Failure("timed out waiting for %r to go; the screen:\n%s"
                      % (what, s))

    def wait_exit(self, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if os.path.exists(self.status_file):
                with open(self.status_file) as f:
                    s = f.read().strip()
                if s:
                    self.started = False
                    self.tmux("kill-server", check=False)
                    return int(s)
            time.sleep(0.05)
        raise Failure("tolk did not exit; the screen:\n%s" % self.screen())

    def stderr(self):
        try:
            with open(self.stderr_file) as f:
                return f.read()
        except (OSError, AttributeError):
            return ""


def shq(s):
    return "'" + str(s).replace("'", "'\\''") + "'"
