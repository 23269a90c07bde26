#!/usr/bin/env python3
"""Wire tests: an answer is never lost when the store fails.  A real fault,
not a mock: tolk runs under a file-size limit (RLIMIT_FSIZE), so SQLite's
writes fail with EFBIG (tolk ignores SIGXFSZ), either from the start of the
turn or from the middle of the answer (prlimit on the running process).
The answer still reaches stdout; the turn goes to a recovery file beside
the database that `tolk import` brings back exactly; the database passes
PRAGMA integrity_check; and a store that comes back before the answer ends
gets the whole turn.  TAP."""

import glob
import json
import os
import resource
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wirelib  # noqa: E402
from wirelib import NORMAL  # noqa: E402

# The -shm file is 32 KiB and must fit; a turn's rows (conversation,
# prompt, search index) need more WAL frames than that.
LIMIT = 32768
PROMPT = "Please tell me, in plain words, what a naïve fake model is."


def main():
    t = wirelib.Tap()
    w = wirelib.World()

    def data_dir(name="data"):
        return os.path.join(w.dir, name, "tolk")

    def db_path(name="data"):
        return os.path.join(data_dir(name), "history.db")

    def tolk(*args, env=None):
        return w.tolk(*args, env=env, log=True)

    def js(r, what):
        return wirelib.json_out(t, r, what)

    def conversations(name="data"):
        env = {"XDG_DATA_HOME": os.path.join(w.dir, name)}
        out = []
        for c in js(tolk("log", "--json", env=env), "log"):
            out.append(js(tolk("show", str(c["id"]), "--json", env=env),
                          "show"))
        return out

    def turns(name="data"):
        return [[(m["role"], m["content"]) for m in c["messages"]]
                for c in conversations(name)]

    def recovery_files():
        return sorted(glob.glob(os.path.join(data_dir(), "recovered-*")))

    def clean():
        for f in recovery_files():
            os.remove(f)
        for d in ("data", "fresh"):
            for f in glob.glob(os.path.join(w.dir, d, "tolk", "*")):
                os.remove(f)
        t.eq(tolk("-p", "warm up", "-m", "fo:normal").rc, 0, "warm up")

    def limited(limit):
        def pre():
            # SIGXFSZ keeps its default action (kill): tolk itself must
            # ignore it for write() to fail with EFBIG.
            # The hard limit stays, so that prlimit can lift it later.
            resource.setrlimit(resource.RLIMIT_FSIZE,
                               (limit, resource.RLIM_INFINITY))
        return pre

    def spawn(*args, pre=None):
        return subprocess.Popen(
            wirelib.WRAP + [wirelib.TOLK] + list(args),
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, env=w.env(), cwd=w.dir,
            preexec_fn=pre)

    def wait_streaming(p):
        """Until the answer's row streams into the store."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and p.poll() is None:
            try:
                c = sqlite3.connect(db_path(), timeout=5)
                n = c.execute("SELECT count(*) FROM messages WHERE status"
                              " = 'streaming' AND content != ''"
                              ).fetchone()[0]
                c.close()
                if n:
                    return
            except sqlite3.Error:
                pass
            time.sleep(0.02)
        raise wirelib.Failure("the answer never streamed into the store")

    def check_recovered(err, prompt, answer, model):
        """The one recovery file: named on stderr, imported exactly."""
        files = recovery_files()
        t.eq(len(files), 1, "one recovery file beside the database")
        f = files[0]
        t.eq(os.stat(f).st_mode & 0o777, 0o600, "private")
        t.check(("tolk import '%s'" % f).encode() in err,
                "stderr says how to bring it back: %r" % err)
        env = {"XDG_DATA_HOME": os.path.join(w.dir, "fresh")}
        r = tolk("import", f, "--json", env=env)
        t.eq(js(r, "import")["conversations"], {"added": 1, "skipped": 0},
             "imported")
        cs = conversations("fresh")
        t.eq(len(cs), 1, "one conversation")
        msgs = cs[0]["messages"]
        t.eq([(m["role"], m["content"]) for m in msgs],
             [("user", prompt), ("assistant", answer)],
             "exactly the prompt and the answer")
        a = msgs[1]
        t.eq((a["provider"], a["model"], a["status"], a["finish_reason"]),
             ("fo", model, "complete", "stop"), "model and status")
        t.check(a["usage"]["output"] is not None, "usage: %r" % a["usage"])
        t.check(a["duration_ms"] is not None, "metrics: %r" % a)
        t.check(a["created"] >= msgs[0]["created"], "times")
        return f

    @t.case
    def a_file_size_limit_sends_the_turn_to_a_recovery_file():
        clean()
        before = turns()
        p = spawn("-p", PROMPT, "-m", "fo:normal", pre=limited(LIMIT))
        out, err = p.communicate(timeout=60)
        print("# stderr: %r" % err)
        t.eq(p.returncode, 0, "exit (not killed by SIGXFSZ): %r" % err)
        t.eq(out, (NORMAL + "\n").encode(), "the answer reaches the user")
        t.check(b"file-size limit" in err, "says why: %r" % err)
        t.check(b"cannot store the prompt" in err, "the turn's rows "
                "could not be added (the path under test): %r" % err)
        t.eq(err.count(b"\n"), 2, "two lines: why, and where it is")
        f = check_recovered(err, PROMPT, NORMAL, "normal")
        t.eq(wirelib.integrity(db_path()), [("ok",)], "the database is sound")
        t.eq(turns(), before, "no half turn (no empty conversation) left "
             "in the database")
        # Brought back into the history itself, once.
        r = tolk("import", f, "--json")
        t.eq(js(r, "import")["conversations"], {"added": 1, "skipped": 0},
             "import")
        r = tolk("import", f, "--json")
        t.eq(js(r, "import")["conversations"], {"added": 0, "skipped": 1},
             "import twice")
        t.eq(turns()[0], [("user", PROMPT), ("assistant", NORMAL)],
             "in the history")

    @t.case
    def the_limit_mid_answer_sends_it_to_a_recovery_file():
        clean()
        p = spawn("-p", PROMPT, "-m", "fo:slow")
        wait_streaming(p)
        # No more room from now on: the WAL cannot grow past its size.
        wal = db_path() + "-wal"
        size = os.path.getsize(wal)
        resource.prlimit(p.pid, resource.RLIMIT_FSIZE,
                         (size, resource.RLIM_INFINITY))
        out, err = p.communicate(timeout=60)
        print("# stderr: %r" % err)
        t.eq(p.returncode, 0, "exit: %r" % err)
        t.eq(out, (NORMAL + "\n").encode(), "the answer reaches the user")
        t.check(b"cannot store the answer" in err, "the answer's row could "
                "not be finished (the path under test): %r" % err)
        check_recovered(err, PROMPT, NORMAL, "slow")
        t.eq(wirelib.integrity(db_path()), [("ok",)], "the database is sound")
        c = conversations()[0]
        t.eq(c["messages"][0]["content"], PROMPT, "the prompt was stored")
        t.eq(c["messages"][1]["status"], "cut", "the unfinished row is "
             "marked cut on the next open, not lost or overwritten")

    @t.case
    def a_store_back_before_the_answer_ends_gets_the_whole_turn():
        clean()
        before = turns()
        w.reset()
        p = spawn("-p", PROMPT, "-m", "fo:slow", pre=limited(LIMIT))
        # The request is out once the server has it; the rows failed then.
        deadline = time.monotonic() + 60
        while not w.requests() and time.monotonic() < deadline:
            time.sleep(0.02)
        resource.prlimit(p.pid, resource.RLIMIT_FSIZE,
                         (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
        out, err = p.communicate(timeout=60)
        print("# stderr: %r" % err)
        t.eq(p.returncode, 0, "exit: %r" % err)
        t.eq(out, (NORMAL + "\n").encode(), "the answer reaches the user")
        t.check(b"cannot store the prompt" in err, "failed at first: %r"
                % err)
        t.check(b"stored now" in err, "says it is stored now: %r" % err)
        t.eq(recovery_files(), [], "no recovery file")
        t.eq(turns(), [[("user", PROMPT), ("assistant", NORMAL)]] + before,
             "the whole turn is in the history")

    @t.case
    def compare_answers_the_store_cannot_take_are_one_turn_with_siblings():
        clean()
        before = turns()
        p = spawn("-p", PROMPT, "--compare", "fo:normal,fo:slow,fa:normal",
                  pre=limited(LIMIT))
        out, err = p.communicate(timeout=60)
        print("# stderr: %r" % err)
        t.eq(p.returncode, 0, "exit: %r" % err)
        t.eq(err.count(b"import"), 1, "one line says where: %r" % err)
        t.check(b"answers are saved to" in err, "names the answers: %r"
                % err)
        files = recovery_files()
        t.eq(len(files), 1, "one recovery file")
        with open(files[0]) as f:
            lines = f.read().splitlines()
        t.eq(len(lines), 1, "one line for the turn")
        env = {"XDG_DATA_HOME": os.path.join(w.dir, "fresh")}
        r = tolk("import", files[0], "--json", env=env)
        t.eq(js(r, "import")["conversations"], {"added": 1, "skipped": 0},
             "one conversation imported")
        cs = conversations("fresh")
        t.eq(len(cs), 1, "one conversation")
        msgs = cs[0]["messages"]
        t.eq([(m["role"], m.get("provider"), m.get("model"), m["content"])
              for m in msgs],
             [("user", None, None, PROMPT),
              ("assistant", "fo", "normal", NORMAL),
              ("assistant", "fo", "slow", NORMAL),
              ("assistant", "fa", "normal", NORMAL)],
             "the prompt once, then the three answers in order")
        t.eq([m["parent_id"] for m in msgs[1:]], [msgs[0]["id"]] * 3,
             "the answers are siblings under the prompt")
        t.eq([m["status"] for m in msgs[1:]], ["complete"] * 3, "status")
        t.eq(wirelib.integrity(db_path()), [("ok",)], "the database is sound")
        t.eq(turns(), before, "nothing half stored")
        # The same turn as `tolk export` writes it reads back the same.
        r = tolk("export", env=env)
        t.eq(r.rc, 0, "export")
        again = json.loads(r.out.decode().splitlines()[0])
        t.eq([(m["role"], m["content"]) for m in again["messages"]],
             [(m["role"], m["content"]) for m in msgs], "export round trip")

    with w:
        w.reset()
        rc = t.run()
    return rc


if __name__ == "__main__":
    sys.exit(main())
