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
import time

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


def start_limited(ui, model):
    """A stored warm-up turn, then tolk on the terminal with model and a
    file-size limit its store cannot write under; its pid."""
    r = ui.world.tolk("-p", "warm up", "-m", "fo:normal", log=True)
    t.eq(r.rc, 0, "warm up: %r" % r)
    start_on_tty(ui, "-m", model)
    pid = ui.tolk_pid()
    t.check(pid is not None, "tolk's pid")
    resource.prlimit(pid, resource.RLIMIT_FSIZE, (LIMIT, INF))
    return pid


@t.case
def a_failing_store_loses_no_answer_and_is_tried_again_next_turn():
    with tuilib.Tui(120, 40) as ui:
        w = ui.world
        pid = start_limited(ui, "fo:normal")

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
        finally:
            c.close()
        t.eq(tuilib.wirelib.integrity(os.path.join(data, "history.db")), [("ok",)],
             "integrity")
        t.eq([r[1] for r in rows if r[0] == "user"],
             ["warm up", "second question once there is room"],
             "the next turn is stored again")
        with open(files[0]) as f:
            saved = [json.loads(line) for line in f]
        t.eq([[m["content"] for m in s["messages"]][0] for s in saved],
             ["first question while the disk is stuck"],
             "the first turn is in the recovery file")


def wait_rows(path, n, timeout=60):
    """Until the store holds n finished answers (none streaming); their
    (id, parent) and the prompts' (id, content), oldest first."""
    deadline = time.monotonic() + timeout
    answers = prompts = None
    while time.monotonic() < deadline:
        try:
            c = sqlite3.connect(path, timeout=5)
            try:
                answers = c.execute(
                    "SELECT id, parent_id FROM messages WHERE role = "
                    "'assistant' AND status != 'streaming' ORDER BY id"
                    ).fetchall()
                prompts = c.execute(
                    "SELECT id, content FROM messages WHERE role = 'user'"
                    " ORDER BY id").fetchall()
            finally:
                c.close()
            if len(answers) >= n:
                return answers, prompts
        except sqlite3.Error:
            pass
        time.sleep(0.05)
    raise tuilib.Failure("never %d answers in the store: %r %r"
                         % (n, answers, prompts))


@t.case
def a_retry_after_a_recovered_turn_stores_one_prompt_with_sibling_answers():
    with tuilib.Tui(120, 40) as ui:
        w = ui.world
        pid = start_limited(ui, "fo:normal")
        send(ui, "a question while the disk is stuck")
        ui.wait_for("word for word", timeout=20)
        flat(ui.wait_for("tolk import", timeout=20))
        resource.prlimit(pid, resource.RLIMIT_FSIZE, (INF, INF))

        # The store's warnings come after the answer: /retry still asks
        # for that answer again, and stores the turn now.
        send(ui, "/retry")
        db = os.path.join(w.dir, "data", "tolk", "history.db")
        answers, prompts = wait_rows(db, 2)
        t.check("no answer to ask again" not in flat(ui.screen()),
                "the retry is taken:\n" + ui.screen())
        send(ui, "/retry")
        answers, prompts = wait_rows(db, 3)
        ui.wait_for("2/3|3/3", regex=True, timeout=20)
        ui.keys("C-d")
        t.eq(ui.wait_exit(), 0, "exit status")

        t.eq([p[1] for p in prompts],
             ["warm up", "a question while the disk is stuck"],
             "exactly one row for the recovered prompt")
        t.eq([a[1] for a in answers[1:]], [prompts[1][0]] * 2,
             "both retried answers are siblings under it")
        t.eq(tuilib.wirelib.integrity(db), [("ok",)], "integrity")


@t.case
def a_prompt_stored_when_its_answer_ends_is_not_stored_again_by_a_retry():
    with tuilib.Tui(120, 40) as ui:
        w = ui.world
        pid = start_limited(ui, "fo:slow")
        send(ui, "a question stored late")
        # The request is out once the server has it: the rows failed then.
        ui.wait_for("cannot store the prompt", timeout=20)
        resource.prlimit(pid, resource.RLIMIT_FSIZE, (INF, INF))
        db = os.path.join(w.dir, "data", "tolk", "history.db")
        answers, prompts = wait_rows(db, 2)
        t.eq([p[1] for p in prompts], ["warm up", "a question stored late"],
             "the prompt is stored when its answer ends")
        ui.wait_for("stored now", timeout=20)

        send(ui, "/retry")
        answers, prompts = wait_rows(db, 3)
        ui.keys("C-d")
        t.eq(ui.wait_exit(), 0, "exit status")
        t.eq([p[1] for p in prompts], ["warm up", "a question stored late"],
             "the retry does not store the prompt again")
        t.eq([a[1] for a in answers[1:]], [prompts[1][0]] * 2,
             "the retried answer is a sibling of the first")
        t.eq(tuilib.wirelib.integrity(db), [("ok",)], "integrity")


if __name__ == "__main__":
    if not tuilib.HAVE_TMUX:
        print("1..0 # SKIP tmux is not installed")
        sys.exit(0)
    sys.exit(t.run())
