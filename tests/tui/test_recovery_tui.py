#!/usr/bin/env python3
"""TUI test: the store fails under a running tolk (a real file-size limit
put on the process with prlimit, so SQLite's writes fail with EFBIG) and no
answer is lost: the answer shows, the transcript says where the turn was
saved and how to bring it back, and once the limit is lifted the next turn
is stored again (the store is not given up for the run).  TAP output."""

import glob
import json
import os
import resource
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tuilib  # noqa: E402

t = tuilib.Tap()

# The -shm file (32 KiB) is made when the store opens; a turn's rows need
# more WAL frames than fit under this.
LIMIT = 32768
INF = resource.RLIM_INFINITY


def flat(screen):
    """The screen as one line of words: wrapping does not matter."""
    return " ".join(screen.split())


def start_on_tty(ui, *args):
    """Start tolk like ui.start(), but with stderr on the terminal, as
    people run it: what tolk warns then shows in the transcript."""
    e = ui.world.env()
    ui.status_file = os.path.join(ui.world.dir, "status")
    ui.stderr_file = os.path.join(ui.world.dir, "stderr")
    shell = "%s; echo $? >%s" % (" ".join(tuilib.shq(a) for a in
                                          [tuilib.TOLK] + list(args)),
                                 tuilib.shq(ui.status_file))
    ui.tmux("new-session", "-d", "-x", str(ui.width), "-y", str(ui.height),
            "env -i " + " ".join(tuilib.shq("%s=%s" % kv) for kv in
                                 e.items()) + " sh -c " + tuilib.shq(shell))
    ui.started = True
    ui.wait_for("❯")


def send(ui, text):
    ui.type(text)
    ui.keys("Enter")


@t.case
def a_failing_store_loses_no_answer_and_is_tried_again_next_turn():
    with tuilib.Tui(120, 40) as ui:
        w = ui.world
        r = w.tolk("-p", "warm up", "-m", "fo:normal", log=True)
        t.eq(r.rc, 0, "warm up: %r" % r)
        start_on_tty(ui, "-m", "fo:normal")
        pid = ui.tolk_pid()
        t.check(pid is not None, "tolk's pid")
        resource.prlimit(pid, resource.RLIMIT_FSIZE, (LIMIT, INF))

        send(ui, "first question while the disk is stuck")
        s = ui.wait_for("word for word", timeout=20)
        s = flat(ui.wait_for("import", timeout=20))
        t.check("cannot store the prompt" in s, "says why:\n" + s)
        data = os.path.join(w.dir, "data", "tolk")
        files = glob.glob(os.path.join(data, "recovered-*.jsonl"))
        t.eq(len(files), 1, "a recovery file beside the database")
        t.check(("tolk import '%s'" % files[0]) in s, "names it and says "
                "how to bring it back:\n" + s)

        resource.prlimit(pid, resource.RLIMIT_FSIZE, (INF, INF))
        send(ui, "second question once there is room")
        ui.wait_for(r"word for word(.|\n)*word for word", regex=True,
                    timeout=20)
        ui.keys("C-d")
        t.eq(ui.wait_exit(), 0, "exit status")

        c = sqlite3.connect(os.path.join(data, "history.db"))
        try:
            rows = c.execute("SELECT role, content FROM messages ORDER BY"
                             " id").fetchall()
            t.eq(c.execute("PRAGMA integrity_check").fetchall(), [("ok",)],
                 "integrity")
        finally:
            c.close()
        t.eq([r[1] for r in rows if r[0] == "user"],
             ["warm up", "second question once there is room"],
             "the next turn is stored again")
        with open(files[0]) as f:
            saved = [json.loads(line) for line in f]
        t.eq([[m["content"] for m in s["messages"]][0] for s in saved],
             ["first question while the disk is stuck"],
             "the first turn is in the recovery file")


if __name__ == "__main__":
    if not tuilib.HAVE_TMUX:
        print("1..0 # SKIP tmux is not installed")
        sys.exit(0)
    sys.exit(t.run())
