#!/usr/bin/env python3
"""Wire tests: the history subcommands (log, show, search, export, import,
usage, rm) run as the real binary on a store filled through `tolk import`,
and the store's fault paths (corrupt file, read-only, locked, full disk).
TAP."""

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wirelib  # noqa: E402
import history_data  # noqa: E402

CONV_KEYS = {"id", "uid", "title", "created", "updated", "expected_lang",
             "expected_lang_source", "messages"}
MSG_KEYS = {"id", "parent_id", "role", "content", "provider", "model",
            "status", "error", "finish_reason", "usage", "ttft_ms",
            "duration_ms", "cost", "lang", "params", "created"}
USAGE_KEYS = {"input", "output", "cached", "reasoning"}
ISO = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"


def width(s):
    """Display width as a terminal draws it (wide East Asian: 2)."""
    w = 0
    for ch in s:
        if unicodedata.combining(ch) or unicodedata.category(ch) in (
                "Mn", "Me", "Cf"):
            continue
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            w += 2
        elif ord(ch) >= 0x1F300 and ord(ch) <= 0x1FAFF:
            w += 2
        else:
            w += 1
    return w


def main():
    t = wirelib.Tap()
    w = wirelib.World()

    def db_path(world=None):
        return os.path.join((world or w).dir, "data", "tolk", "history.db")

    def tolk(*args, **kw):
        kw.setdefault("log", True)
        return w.tolk(*args, **kw)

    def ok(r, what):
        t.check(r.rc == 0, "%s: exit %d, stderr %r" % (what, r.rc, r.err))

    def js(r, what):
        ok(r, what)
        try:
            return json.loads(r.out)
        except ValueError:
            raise wirelib.Failure("%s: not JSON: %r" % (what, r.out))

    def fill():
        path = os.path.join(w.dir, "data.jsonl")
        with open(path, "wb") as f:
            f.write(history_data.jsonl())
        return path

    def usage_error(r, what):
        err = r.err.decode("utf-8", "replace")
        t.eq(r.rc, 2, what + ": exit status")
        t.check(err.startswith("tolk: ") and err.count("\n") == 1,
                "%s: want one 'tolk: ' line, got %r" % (what, err))
        t.eq(r.out, b"", what + ": stdout")

    def search_ids(*q):
        hits = js(tolk("search", *q, "--json"), "search")
        return hits

    @t.case
    def import_fills_the_store_and_log_lists_newest_first():
        r = tolk("import", fill())
        ok(r, "import")
        t.eq(r.out, b"6 conversations imported, 0 already there\n", "stdout")
        log = js(tolk("log", "--json"), "log")
        t.eq(len(log), 6, "conversations")
        t.eq([c["updated"] for c in log],
             sorted([c["updated"] for c in log], reverse=True),
             "newest first")
        for c in log:
            t.eq(set(c), {"id", "title", "created", "updated", "models",
                          "message_count", "expected_lang",
                          "expected_lang_source"}, "log keys")
            t.match(ISO, c["updated"], "ISO 8601 UTC time")
            t.eq(c["message_count"], 2, "messages")
        t.eq(len(js(tolk("log", "-n", "2", "--json"), "log -n")), 2, "-n 2")

    @t.case
    def import_of_the_same_file_twice_adds_nothing():
        r = tolk("import", fill(), "--json")
        t.eq(js(r, "import"), {"added": 0, "skipped": 6, "conversations":
             {"added": 0, "skipped": 6}, "annotated_answers":
             {"added": 0, "skipped": 0}}, "counts")
        t.eq(len(js(tolk("log", "--json"), "log")), 6, "conversations")

    @t.case
    def store_file_is_private_and_in_wal_mode():
        st = os.stat(db_path())
        t.eq(oct(st.st_mode & 0o777), oct(0o600), "mode")
        db = sqlite3.connect(db_path())
        t.eq(db.execute("PRAGMA journal_mode").fetchone()[0], "wal", "wal")
        t.eq(db.execute("select count(*) from messages").fetchone()[0], 12,
             "plain SQLite the user may query")
        db.close()

    @t.case
    def show_json_has_every_documented_key():
        cid = js(tolk("log", "--json"), "log")[-1]["id"]
        c = js(tolk("show", str(cid), "--json"), "show")
        t.check(CONV_KEYS <= set(c), "conversation keys: %r" % sorted(c))
        t.eq(c["messages"][0], {"role": "system",
                                "content": "Answer in de."}, "system")
        for m in c["messages"][1:]:
            t.eq(set(m), MSG_KEYS | ({"annotations"} if m["role"] ==
                 "assistant" else set()), "message keys")
            t.eq(set(m["usage"]), USAGE_KEYS, "usage keys")
            t.match(ISO, m["created"], "created")
        a = c["messages"][2]
        t.eq(a["usage"], {"input": 12, "output": 20, "cached": 0,
                          "reasoning": None}, "usage, unknown as null")
        t.eq((a["provider"], a["model"], a["status"], a["finish_reason"]),
             ("fo", "normal", "complete", "stop"), "metadata")
        t.eq(a["parent_id"], c["messages"][1]["id"], "tree")
        t.eq(a["annotations"], {"rating": None, "tags": [], "note": None,
                                "spans": [], "votes": []},
             "an answer without annotations")

    @t.case
    def show_text_never_prints_escape_sequences():
        cid = [c["id"] for c in js(tolk("log", "--json"), "log")
               if "Terminal" in (c["title"] or "")][0]
        r = tolk("show", str(cid))
        ok(r, "show")
        t.check(b"\x1b" not in r.out and b"\x07" not in r.out,
                "ESC or BEL reached stdout: %r" % r.out)
        t.check("\u202e".encode() not in r.out and
                "\u009b".encode() not in r.out, "bidi or C1 control kept")
        t.check(b"Terminal trick" in r.out and b"and a bell" in r.out,
                "text around the controls is gone: %r" % r.out)
        r = tolk("log")
        t.check(b"\x1b" not in r.out, "ESC in log")

    @t.case
    def show_md_is_markdown_with_headings():
        cid = js(tolk("log", "--json"), "log")[-1]["id"]
        r = tolk("show", str(cid), "--md")
        ok(r, "show --md")
        s = r.out.decode()
        t.check(s.startswith("# Wie lang ist die Straße"), "title: %r" % s)
        t.check("\n## User" in s and "\n## Assistant" in s, "headings")

    @t.case
    def show_of_a_missing_conversation_fails():
        r = tolk("show", "999")
        t.eq(r.rc, 1, "exit")
        t.eq(r.err, b"tolk: no conversation 999\n", "stderr")

    @t.case
    def search_finds_words_typed_without_accents_or_case():
        cases = [("strasse", "Straße"), ("STRASSE", "Straße"),
                 ("straße", "Straße"), ("lodz", "Łódź"),
                 ("ελληνικα", "Ελληνικά"), ("cesnja", "češnja"),
                 ("CESNJA", "Češnja")]
        for q, word in cases:
            hits = search_ids(q)
            t.check(len(hits) >= 1, "no hit for %r" % q)
            t.check(any(("[%s]" % word) in h["snippet"] for h in hits),
                    "%r: match not marked: %r" % (q, hits))
            for h in hits:
                t.eq(set(h) >= {"conversation_id", "message_id", "snippet"},
                     True, "hit keys")

    @t.case
    def search_prefix_and_phrase_queries_work():
        hits = search_ids("kal*")
        snippets = " ".join(h["snippet"] for h in hits)
        t.check("[Καλημέρα]" not in snippets, "greek is not kal")
        t.check("[kalorij]" in snippets, "prefix kal*: %r" % snippets)
        t.eq(len(search_ids('"die strasse ist"')), 1, "phrase")
        t.eq(len(search_ids('"strasse die"')), 0, "phrase order")
        t.eq(len(search_ids("東京")), 2, "CJK words")

    @t.case
    def search_filters_by_model_and_limits():
        t.eq(len(search_ids("lodz", "--model", "fo:normal")), 0, "model")
        t.eq(len(search_ids("lodz", "--model", "other")), 1, "model name")
        t.eq(len(search_ids("lodz", "--model", "fa:other")), 1, "p:model")
        t.eq(len(search_ids("lodz", "-n", "1")), 1, "-n")

    @t.case
    def search_marks_matches_with_brackets_when_not_a_terminal():
        r = tolk("search", "lodz")
        ok(r, "search")
        t.check(b"[\xc5\x81\xc3\xb3d\xc5\xba]" in r.out, "marks: %r" % r.out)
        t.check(b"\x1b" not in r.out, "no escapes into a pipe")

    @t.case
    def log_columns_align_by_display_width():
        r = tolk("log", env={"COLUMNS": "60"})
        ok(r, "log")
        lines = r.out.decode().splitlines()
        t.eq(len(lines), 6, "lines")
        starts = set()
        for line in lines:
            t.check(width(line) <= 60, "wider than 60: %r (%d)"
                    % (line, width(line)))
            m = re.match(r"(\s*\d+\s+\S+\s+\d+\s+\S+\s+)", line)
            t.check(m is not None, "columns: %r" % line)
            starts.add(width(m.group(1)))
        t.eq(len(starts), 1, "titles start in one column")

    @t.case
    def export_jsonl_round_trips_into_a_fresh_store():
        out = os.path.join(w.dir, "export.jsonl")
        ok(tolk("export", "--format", "jsonl", "-o", out), "export")
        with open(out, encoding="utf-8") as f:
            lines = f.read().splitlines()
        t.eq(len(lines), 6, "one conversation per line")
        fresh = os.path.join(w.dir, "fresh")
        env = {"XDG_DATA_HOME": fresh}
        r = tolk("import", out, "--json", env=env)
        t.eq(js(r, "import")["conversations"], {"added": 6, "skipped": 0},
             "fresh import")
        a = js(tolk("show", "1", "--json"), "show old")
        b = js(tolk("show", "1", "--json", env=env), "show new")
        t.eq([(m["role"], m["content"]) for m in a["messages"]],
             [(m["role"], m["content"]) for m in b["messages"]], "messages")
        t.eq(a["uid"], b["uid"], "uid")
        r = tolk("import", fill(), "--json", env=env)
        t.eq(js(r, "import")["added"], 0, "the original file adds nothing")

    @t.case
    def export_md_holds_every_conversation():
        r = tolk("export", "--format", "md")
        ok(r, "export md")
        t.eq(r.out.count(b"\n## User"), 6, "prompts")
        t.check("Łódź".encode() in r.out, "text")

    @t.case
    def usage_totals_by_model_and_day():
        u = js(tolk("usage", "--by", "model", "--json"), "usage")
        t.eq(sorted(r["key"] for r in u["rows"]),
             ["fa:other", "fo:normal"], "keys")
        t.eq(u["total"]["messages"], 6, "answers")
        t.eq(u["total"]["input"], 72, "input")
        t.eq(u["total"]["output"], 20 * 6 + 15, "output")
        t.eq(u["total"]["cost_unknown"], 3, "unknown costs")
        t.check(abs(u["total"]["cost"] - 0.009) < 1e-9, "cost")
        d = js(tolk("usage", "--by", "day", "--since", "2026-01-11",
                    "--json"), "usage by day")
        t.eq([r["key"] for r in d["rows"]], ["2026-01-11", "2026-01-12"],
             "days")
        r = tolk("usage")
        ok(r, "usage text")
        t.check(b"total" in r.out, "total row")

    @t.case
    def search_lang_keeps_only_messages_in_that_language():
        t.eq(len(search_ids("Straße")), 2, "prompt and answer without --lang")
        hits = search_ids("Straße", "--lang", "de")
        t.eq([(h["role"], h["model"]) for h in hits],
             [("assistant", "normal")], "only the German answer")
        t.eq(search_ids("Łódź", "--lang", "de"), [], "Polish text, --lang de")
        t.eq(len(search_ids("Łódź", "--lang", "pl")), 1, "--lang pl")
        r = tolk("search", "Straße", "--lang", "pl")
        ok(r, "search --lang text")
        t.eq(r.out, b"", "nothing in Polish")

    @t.case
    def log_lang_keeps_conversations_with_an_answer_in_it():
        log = js(tolk("log", "--lang", "pl", "--json"), "log --lang pl")
        t.eq([c["title"] for c in log], ["Gdzie leży Łódź?"], "titles")
        t.eq(js(tolk("log", "--lang", "fi", "--json"), "log --lang fi"), [],
             "no Finnish answers")
        r = tolk("log", "--lang", "el")
        ok(r, "log --lang text")
        t.eq(r.out.count(b"\n"), 1, "one line: %r" % r.out)
        t.check("Ελληνικά".encode() in r.out, "the Greek one")

    @t.case
    def usage_by_lang_gives_tokens_per_word():
        u = js(tolk("usage", "--by", "lang", "--json"), "usage --by lang")
        t.eq(u["by"], "lang", "by")
        rows = {r["key"]: r for r in u["rows"]}
        t.eq(sorted(rows), ["de", "el", "ja", "pl", "sl", "xx"], "keys")
        # "Łódź leży w centralnej Polsce, niedaleko Warszawy.": 7 words
        t.eq(rows["pl"]["tokens_per_word"], 21 / 7, "pl: 21 tokens, 7 words")
        # "Die Straße ist etwa 40 km lang. Größe spielt keine Rolle.": 11
        t.check(abs(rows["de"]["tokens_per_word"] - 20 / 11) < 1e-9,
                "de: %r" % rows["de"]["tokens_per_word"])
        t.eq(rows["de"]["output"], 20, "de output")
        t.check(u["total"]["tokens_per_word"] > 0, "total ratio")
        m = js(tolk("usage", "--by", "model", "--json"), "usage --by model")
        t.check(all("tokens_per_word" not in r for r in m["rows"]),
                "no ratio by model")
        r = tolk("usage", "--by", "lang")
        ok(r, "usage --by lang text")
        lines = r.out.decode().splitlines()
        t.check(lines[0].startswith("LANG") and
                lines[0].endswith("TOKENS/WORD"), "header: %r" % lines[0])
        pl = [x for x in lines if x.startswith("pl ")]
        t.check(len(pl) == 1 and pl[0].endswith(" 3.00"), "pl: %r" % pl)

    @t.case
    def usage_by_lang_leaves_unknown_output_out_of_the_ratio():
        env = {"XDG_DATA_HOME": os.path.join(w.dir, "tax")}
        convs = [history_data.conversation(
            80, "pl", "Raz?", "Jeden dwa trzy cztery."),
            history_data.conversation(81, "pl", "Dwa?", "Pięć sześć."),
            history_data.conversation(82, "fi", "Yksi?", "Kaksi kolme.")]
        convs[1]["messages"][2]["usage"]["output"] = None
        convs[2]["messages"][2]["usage"]["output"] = None
        path = os.path.join(w.dir, "tax.jsonl")
        with open(path, "w") as f:
            for c in convs:
                f.write(json.dumps(c, ensure_ascii=False) + "\n")
        ok(tolk("import", path, env=env), "import")
        u = js(tolk("usage", "--by", "lang", "--json", env=env), "usage")
        rows = {r["key"]: r for r in u["rows"]}
        t.eq(rows["pl"]["messages"], 2, "pl answers")
        t.eq(rows["pl"]["tokens_per_word"], 100 / 4, "only the known one")
        t.eq(rows["fi"]["tokens_per_word"], None, "fi: unknown")
        t.eq(u["total"]["tokens_per_word"], 100 / 4, "total")
        r = tolk("usage", "--by", "lang", env=env)
        ok(r, "text")
        fi = [x for x in r.out.decode().splitlines() if x.startswith("fi ")]
        t.check(len(fi) == 1 and fi[0].endswith(" ?"), "fi: %r" % fi)

    @t.case
    def rm_asks_unless_yes():
        cid = js(tolk("log", "--json"), "log")[0]["id"]
        usage_error(tolk("rm", str(cid)), "rm without a terminal")
        r = tolk("rm", str(cid), "--yes")
        ok(r, "rm --yes")
        t.eq(tolk("show", str(cid)).rc, 1, "gone")
        t.eq(len(js(tolk("log", "--json"), "log")), 5, "others stay")

    @t.case
    def usage_errors_exit_2_with_one_line():
        usage_error(tolk("log", "-n", "x"), "log -n x")
        usage_error(tolk("show"), "show")
        usage_error(tolk("show", "abc"), "show abc")
        usage_error(tolk("search"), "search")
        usage_error(tolk("search", " "), "search for nothing")
        usage_error(tolk("export", "--format", "pdf"), "export pdf")
        usage_error(tolk("usage", "--by", "week"), "usage --by")
        usage_error(tolk("usage", "--since", "last week"), "usage --since")
        usage_error(tolk("log", "--bogus"), "log --bogus")
        usage_error(tolk("search", "x", "--lang", "zz"), "search --lang zz")
        usage_error(tolk("log", "--lang", "klingon"), "log --lang klingon")
        usage_error(tolk("log", "--lang"), "log --lang without a code")
        usage_error(tolk("import", "/nonexistent.jsonl"), "import missing")

    @t.case
    def corrupt_database_exits_2_and_is_left_untouched():
        path = db_path()
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.rename(path + suffix, path + suffix + ".good")
        with open(path, "wb") as f:
            f.write(b"this is not sqlite " * 500)
        os.chmod(path, 0o600)
        before = wirelib.sha256(open(path, "rb").read())
        want = ("tolk: '%s' is not a usable history database: file is not "
                "a database\n" % path).encode()
        for args in (("log",), ("search", "x"), ("import", fill()),
                     ("-p", "hi", "-m", "fo:normal")):
            r = tolk(*args)
            t.eq(r.rc, 2, "%s: exit" % args[0])
            t.eq(r.err, want, "%s: stderr" % args[0])
        t.eq(wirelib.sha256(open(path, "rb").read()), before, "file hash")
        t.check(not os.path.exists(path + "-wal"), "no WAL created")
        os.remove(path)
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix + ".good"):
                os.rename(path + suffix + ".good", path + suffix)
        t.eq(len(js(tolk("log", "--json"), "log")), 5, "good store back")

    @t.case
    def locked_store_waits_then_fails_clearly_and_loses_nothing():
        db = sqlite3.connect(db_path(), isolation_level=None, timeout=10)
        db.execute("BEGIN IMMEDIATE")
        release = threading.Timer(8.0, lambda: None)
        try:
            t0 = time.monotonic()
            line = json.dumps(history_data.conversation(
                50, "en", "locked prompt", "locked answer"))
            path = os.path.join(w.dir, "one.jsonl")
            with open(path, "w") as f:
                f.write(line + "\n")
            r = tolk("import", path)
            took = time.monotonic() - t0
            t.eq(r.rc, 1, "exit")
            t.check(b"locked" in r.err, "stderr: %r" % r.err)
            t.check(took >= 4, "gave up after %.1f s, not waiting" % took)
            # Reading works while another process writes (WAL).
            ok(tolk("log"), "log while locked")
        finally:
            db.execute("ROLLBACK")
            db.close()
            release.cancel()
        r = tolk("import", path, "--json")
        t.eq(js(r, "import")["added"], 1, "imported once the lock is gone")

    def as_other_user(args, env=None):
        """Run tolk as an unprivileged user (the store cannot be written)."""
        argv = [wirelib.TOLK] + list(args)
        if os.geteuid() == 0:
            argv = ["setpriv", "--reuid=65534", "--regid=65534",
                    "--clear-groups"] + argv
        p = subprocess.run(argv, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           env=w.env(**(env or {})), timeout=60)
        return wirelib.Result(p.returncode, p.stdout, p.stderr, 0)

    @t.case
    def read_only_store_reads_but_refuses_writes():
        if os.geteuid() == 0 and shutil.which("setpriv") is None:
            print("# skipped: root without setpriv")
            return
        tolk("log")  # checkpoint, so the reader needs no WAL
        data = os.path.join(w.dir, "data", "tolk")
        modes = []
        for p in (w.dir, os.path.join(w.dir, "data"), os.path.join(w.dir,
                  "config"), data, w.home):
            modes.append((p, os.stat(p).st_mode))
            os.chmod(p, 0o755 if os.geteuid() == 0 else 0o555)
        dbmode = os.stat(db_path()).st_mode
        # Readable by the other user, writable by nobody, mode 0400: no
        # "readable by others" warning to muddle the one we expect.
        if os.geteuid() == 0:
            os.chown(db_path(), 65534, 65534)
        os.chmod(db_path(), 0o400)
        os.chmod(w.config, 0o644)
        try:
            r = as_other_user(["log", "--json"])
            t.eq(r.rc, 0, "log: %r" % r)
            t.eq(len(json.loads(r.out)), 6, "conversations read")
            r = as_other_user(["search", "lodz", "--json"])
            t.eq(r.rc, 0, "search: %r" % r)
            t.check(len(json.loads(r.out)) >= 1, "hits")
            r = as_other_user(["rm", "1", "--yes"])
            t.eq(r.rc, 1, "rm exit: %r" % r)
            t.check(b"read-only" in r.err, "rm says why: %r" % r.err)
            # The answer goes to a recovery file instead: beside the
            # database when its folder can be written, else in $TMPDIR.
            tmpd = os.path.join(w.dir, "tmp-other")
            os.makedirs(tmpd)
            os.chmod(tmpd, 0o777)
            r = as_other_user(["-p", "hi", "-m", "fo:normal"],
                              env={"TMPDIR": tmpd})
            t.eq(r.rc, 0, "print mode still streams: %r" % r)
            t.eq(r.out, (wirelib.NORMAL + "\n").encode(), "answer")
            t.eq(r.err.count(b"\n"), 2, "two lines: %r" % r.err)
            t.check(b"not stored there but in a recovery file" in r.err,
                    "warning says not stored")
            saved = os.listdir(tmpd)
            t.eq(len(saved), 1, "one recovery file: %r" % saved)
            f = os.path.join(tmpd, saved[0])
            t.check(("tolk import '%s'" % f).encode() in r.err,
                    "says how to bring it back: %r" % r.err)
            with open(f) as fh:
                msgs = json.loads(fh.read())["messages"]
            t.eq([(m["role"], m["content"]) for m in msgs],
                 [("user", "hi"), ("assistant", wirelib.NORMAL)], "saved")
        finally:
            for p, m in modes:
                os.chmod(p, m & 0o7777)
            if os.geteuid() == 0:
                os.chown(db_path(), 0, 0)
            os.chmod(db_path(), dbmode & 0o7777)

    @t.case
    def full_disk_fails_import_clearly_and_recovers():
        if os.geteuid() != 0:
            print("# skipped: mounting a small file system needs root")
            return
        mnt = os.path.join(w.dir, "small")
        os.makedirs(mnt)
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m",
                            "tmpfs", mnt], capture_output=True)
        if r.returncode != 0:
            print("# skipped: cannot mount tmpfs here")
            return
        try:
            env = {"XDG_DATA_HOME": mnt}
            ok(tolk("import", fill(), env=env), "first import")
            filler = os.path.join(mnt, "filler")
            subprocess.run(["dd", "if=/dev/zero", "of=" + filler, "bs=64k",
                            "count=1000"], capture_output=True)
            big = os.path.join(w.dir, "big.jsonl")
            with open(big, "w") as f:
                f.write(json.dumps(history_data.conversation(
                    60, "en", "big", "x " * 300000)) + "\n")
            r = tolk("import", big, env=env)
            t.eq(r.rc, 1, "exit when full: %r" % r)
            t.check(b"full" in r.err, "says the disk is full: %r" % r.err)
            ok(tolk("log", env=env), "still readable")
            os.remove(filler)
            r = tolk("import", big, "--json", env=env)
            t.eq(js(r, "import")["added"], 1, "works when space is back")
        finally:
            subprocess.run(["umount", "-l", mnt], capture_output=True)

    with w:
        rc = t.run()
    return rc


if __name__ == "__main__":
    sys.exit(main())
