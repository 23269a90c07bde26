#!/usr/bin/env python3
"""Wire tests: tolk annotate, the log and search filters on annotations,
tolk leaderboard, and tolk export --annotated (JSON lines through import
into a fresh store and back; CSV read back with Python's csv module), run
as the real binary on a store filled through `tolk import`. TAP."""

import csv
import io
import json
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wirelib  # noqa: E402
import history_data  # noqa: E402


def main():
    t = wirelib.Tap()
    w = wirelib.World()

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

    def usage_error(r, what, text=None):
        err = r.err.decode("utf-8", "replace")
        t.eq(r.rc, 2, what + ": exit status")
        t.check(err.startswith("tolk: ") and err.count("\n") == 1,
                "%s: want one 'tolk: ' line, got %r" % (what, err))
        if text is not None:
            t.check(text in err, "%s: %r in %r" % (what, text, err))
        t.eq(r.out, b"", what + ": stdout")

    def db_path(env=None):
        base = (env or {}).get("XDG_DATA_HOME",
                               os.path.join(w.dir, "data"))
        return os.path.join(base, "tolk", "history.db")

    def answers():
        """{content prefix: message id} of every answer."""
        db = sqlite3.connect(db_path())
        rows = db.execute("SELECT id, content FROM messages"
                          " WHERE role = 'assistant' ORDER BY id").fetchall()
        db.close()
        return rows

    def answer_id(prefix):
        for i, c in answers():
            if c.startswith(prefix):
                return i
        raise wirelib.Failure("no answer starting %r" % prefix)

    def prompt_id():
        db = sqlite3.connect(db_path())
        (i,) = db.execute("SELECT min(id) FROM messages"
                          " WHERE role = 'user'").fetchone()
        db.close()
        return i

    def fill():
        path = os.path.join(w.dir, "data.jsonl")
        with open(path, "wb") as f:
            f.write(history_data.jsonl())
        return path

    @t.case
    def annotate_rates_tags_and_notes_an_answer():
        ok(tolk("import", fill()), "import")
        de = str(answer_id("Die Straße"))
        a = js(tolk("annotate", de, "--rate", "+1", "--tag", "grammar",
                    "--tag", "register", "--note",
                    'says "Größe",\nfine', "--json"), "annotate")
        t.eq(a["rating"], 1, "rating")
        t.eq(a["tags"], ["grammar", "register"], "tags")
        t.eq(a["note"], 'says "Größe",\nfine', "note")
        t.eq(a["spans"], [], "no spans")
        a = js(tolk("annotate", de, "--rate", "-1", "--untag", "register",
                    "--json"), "annotate again")
        t.eq((a["rating"], a["tags"]), (-1, ["grammar"]), "edited")
        r = tolk("annotate", de)
        ok(r, "list")
        t.check(r.out.startswith(b"answer " + de.encode()), "header: %r"
                % r.out)
        t.check(b"rated -1" in r.out and b"tags: grammar" in r.out,
                "text: %r" % r.out)

    @t.case
    def annotate_span_keeps_characters_whole():
        de = str(answer_id("Die Straße"))
        # "Die Straße": bytes 4..11; 4:9 ends inside ß.
        a = js(tolk("annotate", de, "--span", "4:11", "--tag",
                    "terminology", "--note", "Strasse?", "--json"),
               "span")
        t.eq([(s["start"], s["end"], s["text"], s["tags"], s["note"])
              for s in a["spans"]],
             [(4, 11, "Straße", ["terminology"], "Strasse?")], "span")
        r = tolk("annotate", de, "--span", "4:9")
        t.eq(r.rc, 1, "cut character: exit")
        t.eq(r.err, b"tolk: span 4:9 cuts a character in two\n", "stderr")
        r = tolk("annotate", de, "--span", "0:9999")
        t.eq(r.rc, 1, "outside: exit")
        sid = a["spans"][0]["id"]
        ok(tolk("annotate", de, "--remove", str(sid)), "remove")
        a = js(tolk("annotate", de, "--json"), "list")
        t.eq(a["spans"], [], "removed")
        ok(tolk("annotate", de, "--span", "4:11", "--tag", "terminology"),
           "again")

    @t.case
    def annotate_usage_errors_are_one_line():
        de = str(answer_id("Die Straße"))
        usage_error(tolk("annotate"), "no id")
        usage_error(tolk("annotate", "x1"), "bad id", "not a message id")
        usage_error(tolk("annotate", de, "--rate", "2"), "bad rating",
                    "--rate wants +1, -1, 0 or none, not '2'")
        usage_error(tolk("annotate", de, "--tag", "two words"), "bad tag")
        usage_error(tolk("annotate", de, "--span", "4-11"), "bad span")
        usage_error(tolk("annotate", de, "--span", "1:2", "--rate", "1"),
                    "rate with span")
        usage_error(tolk("annotate", de, "--bogus"), "unknown option")
        r = tolk("annotate", str(prompt_id()), "--rate", "1")
        t.eq(r.rc, 1, "a prompt: exit")
        t.check(b"is not an answer" in r.err, "a prompt: %r" % r.err)
        r = tolk("annotate", "99999", "--rate", "1")
        t.eq(r.err, b"tolk: no message 99999\n", "missing")

    @t.case
    def log_and_search_filter_on_ratings_and_tags():
        pl = str(answer_id("Łódź"))
        ok(tolk("annotate", pl, "--rate", "0", "--tag", "factual"), "pl")
        log = js(tolk("log", "--rated", "--json"), "log --rated")
        t.eq(len(log), 2, "two rated conversations")
        log = js(tolk("log", "--rating", "-1", "--json"), "log --rating")
        t.eq(len(log), 1, "one rated -1")
        log = js(tolk("log", "--tag", "terminology", "--json"), "log --tag")
        t.eq(len(log), 1, "a passage's tag counts")
        hits = js(tolk("search", "Łódź", "--rating", "0", "--json"),
                  "search --rating")
        t.eq([h["message_id"] for h in hits], [int(pl)], "search hit")
        hits = js(tolk("search", "Łódź", "--tag", "grammar", "--json"),
                  "search --tag")
        t.eq(hits, [], "no answer about Łódź is tagged grammar")
        usage_error(tolk("log", "--rating", "5"), "log bad rating")
        usage_error(tolk("search", "x", "--tag", "a,b"), "search bad tag")

    def add_vote(uid, outcome, winner, shown):
        db = sqlite3.connect(db_path())
        cur = db.execute("INSERT INTO votes (uid, outcome, winner,"
                         " created) VALUES (?, ?, ?, 1769860000)",
                         (uid, outcome, winner))
        for pos, mid in enumerate(shown):
            db.execute("INSERT INTO vote_answers (vote_id, position,"
                       " message_id, source_column) VALUES (?, ?, ?, ?)",
                       (cur.lastrowid, pos, mid, len(shown) - 1 - pos))
        db.commit()
        db.close()

    @t.case
    def leaderboard_counts_votes_and_ratings():
        de = answer_id("Die Straße")
        pl = answer_id("Łódź")
        ja = answer_id("東京")
        add_vote("v1", "win", 0, [de, pl])
        add_vote("v2", "tie", None, [pl, ja])
        b = js(tolk("leaderboard", "--json"), "leaderboard")
        rows = {r["model"]: r for r in b["rows"]}
        t.check(len(rows) >= 1, "rows: %r" % b)
        total = sum(r["votes"] for r in b["rows"])
        t.eq(total, 4, "answers in votes")
        t.eq(sum(r["wins"] for r in b["rows"]), 1, "wins")
        t.eq(sum(r["ties"] for r in b["rows"]), 2, "ties")
        t.eq(sum(r["rated"] for r in b["rows"]), 2, "rated answers")
        for r in b["rows"]:
            if r["votes"]:
                want = (r["wins"] + r["ties"] / 2) / r["votes"]
                t.check(abs(r["win_rate"] - want) < 1e-9, "win rate")
        b = js(tolk("leaderboard", "--lang", "pl", "--json"), "--lang pl")
        t.eq(sum(r["votes"] for r in b["rows"]), 2, "votes of pl answers")
        r = tolk("leaderboard")
        ok(r, "text")
        t.check(r.out.startswith(b"MODEL"), "header: %r" % r.out)
        usage_error(tolk("leaderboard", "--lang", "zz"), "bad lang")

    @t.case
    def show_lists_an_answers_annotations_under_it():
        de = answer_id("Die Straße")
        db = sqlite3.connect(db_path())
        (cid,) = db.execute("SELECT conversation_id FROM messages WHERE"
                            " id = ?", (de,)).fetchone()
        db.close()
        a = js(tolk("annotate", str(de), "--json"), "annotate --json")
        t.check(a["rating"] is not None and a["tags"] and a["spans"] and
                a["votes"], "the answer has all kinds: %r" % a)
        c = js(tolk("show", str(cid), "--json"), "show --json")
        m = [x for x in c["messages"] if x.get("id") == de][0]
        del a["message_id"], a["provider"], a["model"]
        t.eq(m["annotations"], a, "show --json: what annotate --json has")
        others = [x for x in c["messages"] if x["role"] == "assistant" and
                  x["id"] != de]
        t.check(all(x["annotations"]["rating"] is None and
                    x["annotations"]["spans"] == [] for x in others),
                "other answers: nothing")
        r = tolk("show", str(cid))
        ok(r, "show")
        text = r.out.decode()
        body = text[text.index("Die Straße"):]
        want = ["annotations · rated %+d · tags: %s" % (
                    a["rating"], ", ".join(a["tags"]))]
        want += ["note: " + line for line in a["note"].split("\n")[:1]]
        want += a["note"].split("\n")[1:]
        want += ['  #%d %d:%d "%s" · tags: %s' % (
            s["id"], s["start"], s["end"], s["text"], ", ".join(s["tags"]))
            + (" · " + s["note"] if s["note"] else "") for s in a["spans"]]
        lines = body.split("\n")
        start = lines.index(want[0])
        t.eq(lines[start:start + len(want)], want, "under the answer:\n" +
             body)
        t.check(lines[start + len(want)].startswith("votes: %d (" %
                len(a["votes"])), "votes: " + body)
        t.check(text.count("annotations") == 1, "only the annotated "
                "answer has the lines:\n" + text)

    @t.case
    def export_annotated_round_trips_through_a_fresh_store():
        one = os.path.join(w.dir, "set1.jsonl")
        ok(tolk("export", "--annotated", "-o", one), "export")
        with open(one, "rb") as f:
            data = f.read()
        lines = [json.loads(x) for x in data.splitlines()]
        t.eq(len(lines), 3, "three annotated answers")
        for x in lines:
            t.check({"key", "conversation", "messages", "answer", "rating",
                     "tags", "note", "spans", "votes"} <= set(x),
                    "keys: %r" % sorted(x))
            t.eq(x["messages"][-1]["role"], "user", "prompt last")
        de = [x for x in lines if x["answer"]["content"].startswith("Die")]
        t.eq(de[0]["spans"][0]["text"], "Straße", "span text")
        t.eq(de[0]["votes"][0]["outcome"], "left", "vote outcome")
        fresh = {"XDG_DATA_HOME": os.path.join(w.dir, "fresh")}
        r = js(tolk("import", one, "--json", env=fresh), "import")
        t.eq(r, {"added": 3, "skipped": 0, "conversations": {"added": 0,
             "skipped": 0}, "annotated_answers": {"added": 3, "skipped": 0}},
             "import counts: annotated answers, not conversations")
        two = os.path.join(w.dir, "set2.jsonl")
        ok(tolk("export", "--annotated", "-o", two, env=fresh), "export 2")
        with open(two, "rb") as f:
            t.eq(f.read(), data, "export, import, export: the same bytes")
        r = tolk("import", one, env=fresh)
        t.eq(r.out, b"0 annotated answers imported, 3 already there\n",
             "a second import adds nothing, and says what it read")
        # An evaluation set and conversations in one file: each by name.
        mixed = os.path.join(w.dir, "mixed.jsonl")
        r = tolk("export", "--format", "jsonl", env=fresh)
        ok(r, "export the conversations")
        nconv = len(r.out.splitlines())
        with open(mixed, "wb") as f:
            f.write(data + r.out)
        r = tolk("import", mixed, env=fresh)
        t.eq(r.out.decode(), "0 conversations imported, %d already there; "
             "0 annotated answers imported, 3 already there\n" % nconv,
             "both")
        ok(tolk("export", "--annotated", "-o", two, env=fresh), "export 3")
        with open(two, "rb") as f:
            t.eq(f.read(), data, "still the same")
        b = js(tolk("leaderboard", "--json", env=fresh), "leaderboard")
        t.eq(sum(r["votes"] for r in b["rows"]), 4, "votes came along")

    @t.case
    def export_annotated_csv_reads_back_with_python():
        de = str(answer_id("Die Straße"))
        ok(tolk("annotate", de, "--note",
                'Größe, "lang" –\nзвучит странно; 東京'), "note")
        r = tolk("export", "--annotated", "--format", "csv")
        ok(r, "csv")
        t.check(b"\r\n" in r.out, "CRLF rows")
        rows = list(csv.reader(io.StringIO(r.out.decode("utf-8"),
                                           newline="")))
        t.eq(rows[0][:4], ["key", "conversation", "model", "lang"],
             "header")
        t.eq(len(rows), 4, "header and three answers")
        t.check(all(len(x) == len(rows[0]) for x in rows), "same width")
        h = rows[0]
        row = [x for x in rows[1:] if x[h.index("answer")]
               .startswith("Die")][0]
        t.eq(row[h.index("note")], 'Größe, "lang" –\nзвучит странно; 東京',
             "note with comma, quotes, newline, Cyrillic, CJK")
        t.eq(row[h.index("rating")], "-1", "rating")
        t.eq(row[h.index("tags")], "grammar", "tags")
        t.eq(row[h.index("prompt")], "Wie lang ist die Straße nach "
             "München?", "prompt")
        t.check(row[h.index("spans")].startswith('4:11 "Straße"'),
                "spans: %r" % row[h.index("spans")])
        t.eq((row[h.index("votes")], row[h.index("won")]), ("1", "1"),
             "votes")
        usage_error(tolk("export", "--format", "csv"), "csv alone")
        usage_error(tolk("export", "--annotated", "--format", "md"),
                    "annotated md")
        usage_error(tolk("export", "--annotated", "1"), "annotated ids")

    with w:
        rc = t.run()
    return rc


if __name__ == "__main__":
    sys.exit(main())
