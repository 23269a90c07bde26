#!/usr/bin/env python3
"""TUI tests of annotations (tui/tui_annot.c): in selection mode (M-Up),
+ - 0 rate the chosen answer, t tags it, n writes its note, v chooses a
passage and annotates it, a lists the annotations; what is stored is read
back from the real SQLite file, and the label and highlights from the
screen, also after a resize.  TAP output."""

import json
import os
import re
import sqlite3
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tuilib  # noqa: E402

t = tuilib.Tap()


def db(ui):
    return os.path.join(ui.world.dir, "data", "tolk", "history.db")


def annotations(ui):
    """(rating, tags, note, span_start, span_end) of every annotation."""
    c = sqlite3.connect(db(ui))
    rows = c.execute("SELECT rating, tags, note, span_start, span_end"
                     " FROM annotations ORDER BY id").fetchall()
    c.close()
    return [(r, json.loads(tg) if tg else [], n, s, e)
            for r, tg, n, s, e in rows]


def answer_text(ui):
    c = sqlite3.connect(db(ui))
    (text,) = c.execute("SELECT content FROM messages"
                        " WHERE role = 'assistant'").fetchone()
    c.close()
    return text


def wait_rows(ui, want, what):
    """Poll the store until annotations() == want."""
    got = None
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        got = annotations(ui)
        if got == want:
            return
        time.sleep(0.05)
    raise tuilib.Failure("%s: want %r, got %r" % (what, want, got))


def start(ui):
    ui.start("-m", "fo:normal")
    ui.type("first question")
    ui.keys("Enter")
    ui.wait_for("in 12 out 20")
    ui.keys("M-Up")
    ui.wait_for("Esc back")


@t.case
def plus_minus_zero_rate_the_chosen_answer_and_the_label_shows_it():
    with tuilib.Tui(80, 24) as ui:
        start(ui)
        ui.keys("+")
        ui.wait_for("rated +1")
        wait_rows(ui, [(1, [], None, None, None)], "+")
        ui.wait_for("normal.*\\+1", regex=True)
        ui.keys("-")
        ui.wait_for("rated −1")
        wait_rows(ui, [(-1, [], None, None, None)], "-")
        ui.keys("0")
        ui.wait_for("rated 0")
        wait_rows(ui, [(0, [], None, None, None)], "0")
        ui.keys("0")
        ui.wait_for("rating taken back")
        wait_rows(ui, [], "the same key again")


@t.case
def t_tags_with_completion_and_n_writes_a_multi_line_note():
    with tuilib.Tui(80, 24) as ui:
        start(ui)
        ui.keys("t")
        ui.wait_for("tags:")
        ui.type("gram")
        ui.keys("Tab")
        ui.wait_for("tags: grammar")
        ui.type("wrong-l")
        ui.keys("Tab")
        ui.wait_for("grammar wrong-language")
        ui.keys("Enter")
        ui.wait_for("tags saved")
        wait_rows(ui, [(None, ["grammar", "wrong-language"], None, None,
                        None)], "tags")
        ui.wait_for("grammar, wrong-language")
        ui.keys("t")
        ui.wait_for("tags:")
        ui.tmux("send-keys", "-t", "0", "-l", "--", "-grammar")
        ui.keys("Enter")
        wait_rows(ui, [(None, ["wrong-language"], None, None, None)],
                  "-tag removes")
        ui.keys("n")
        ui.wait_for("note on the answer")
        ui.type("Zu förmlich,")
        ui.keys("M-Enter")
        ui.type("\"Sie\" statt du; 東京")
        ui.keys("Enter")
        ui.wait_for("note saved")
        wait_rows(ui, [(None, ["wrong-language"],
                        "Zu förmlich,\n\"Sie\" statt du; 東京", None,
                        None)], "note")
        ui.keys("n")
        ui.wait_for("Zu förmlich,")    # the editor holds the note
        ui.keys("Escape")
        ui.wait_for("nothing saved")


@t.case
def v_chooses_a_passage_by_word_and_annotates_it():
    with tuilib.Tui(80, 24) as ui:
        start(ui)
        text = answer_text(ui)
        words = text.split()
        ui.keys("v")
        ui.wait_for("w/b word")
        ui.keys("w")
        ui.keys("w")
        ui.keys("b")
        ui.keys("Enter")
        ui.wait_for("tags for the passage:")
        ui.type("terminology")
        ui.keys("Enter")
        ui.wait_for("note on the passage")
        ui.type("better: X")
        ui.keys("Enter")
        ui.wait_for("passage annotated")
        want_end = text.index(words[1]) + len(words[1])
        start_b = text.index(words[0])
        wait_rows(ui, [(None, ["terminology"], "better: X", start_b,
                        want_end)], "passage")
        ui.wait_for("1 passage")
        # The passage is highlighted, at this width and after a resize.
        for w in (80, 50):
            ui.resize(w, 24)
            ui.wait_for("1 passage")
            scr = ui.screen(escapes=True)
            t.check("\x1b[" in scr and words[0] in scr,
                    "highlight at width %d" % w)
        ui.resize(80, 24)
        ui.keys("a")
        ui.wait_for("annotations")
        ui.wait_for("terminology · better: X")
        ui.keys("Enter")
        ui.keys("Escape")
        ui.wait_gone("annotations ")


@t.case
def v_starts_the_passage_at_the_first_word_on_screen():
    with tuilib.Tui(80, 16) as ui:
        ui.start("-m", "fo:echo")
        ui.type(" ".join("w%03d" % i for i in range(400)))
        ui.keys("Enter")
        ui.wait_for("in 12 out")
        ui.keys("M-Up")
        ui.wait_for("Esc back")
        # Choosing the answer shows its first rows; scroll into it.
        ui.keys("PageDown")
        ui.keys("PageDown")
        time.sleep(0.3)
        nums = []
        for row in ui.lines():
            nums = re.findall(r"w(\d{3})", row)
            if nums:
                break
        t.check(nums and int(nums[0]) > 0, "scrolled into the answer: %r"
                % ui.lines()[:3])
        ui.keys("v")
        ui.wait_for("w/b word")
        ui.keys("Enter")
        ui.wait_for("tags for the passage:")
        ui.keys("Enter")
        ui.wait_for("note on the passage")
        ui.type("here")
        ui.keys("Enter")
        ui.wait_for("passage annotated")
        text = answer_text(ui)
        word = "w" + nums[0]
        want = text.index(word)
        wait_rows(ui, [(None, [], "here", want, want + len(word))],
                  "a passage of the first word on screen")


def votes(ui):
    c = sqlite3.connect(db(ui))
    rows = c.execute("SELECT v.outcome, v.winner, x.position,"
                     " x.source_column, m.model FROM votes v"
                     " JOIN vote_answers x ON x.vote_id = v.id"
                     " JOIN messages m ON m.id = x.message_id"
                     " ORDER BY v.id, x.position").fetchall()
    c.close()
    return rows


@t.case
def blind_hides_the_names_shuffles_and_stores_the_vote():
    with tuilib.Tui(100, 24) as ui:
        ui.start("--compare", "fo:normal,fo:echo")
        ui.type("Hello, I am a fake model")
        ui.keys("Enter")
        ui.wait_for("q prompt")
        ui.wait_gone("…")
        ui.keys("q")
        ui.wait_for("Enter send")
        ui.type("/blind")
        ui.keys("Enter")
        ui.wait_for("1 left · 2 right · t tie · b both bad")
        head = ui.lines()[0]
        t.check("answer 1" in head and "answer 2" in head,
                "numbered columns: %r" % head)
        t.check("normal" not in head and "echo" not in head,
                "no model names: %r" % head)
        ui.keys("m")
        ui.wait_for("vote first")
        ui.keys("2")
        ui.wait_for("voted right:")
        rows = []
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and len(rows) < 2:
            rows = votes(ui)
            time.sleep(0.05)
        t.eq([(r[0], r[1], r[2]) for r in rows],
             [("win", 1, 0), ("win", 1, 1)], "a win of the right column")
        t.eq([r[3] for r in rows], [1, 0], "the columns were shuffled")
        ui.wait_for("voted · q prompt")
        head = ui.lines()[0]
        t.check("normal" in head and "echo" in head,
                "names shown after the vote: %r" % head)
        t.check(head.index("echo") < head.index("normal"),
                "in the shuffled order: %r" % head)


@t.case
def b_in_selection_mode_votes_blind_on_an_earlier_answer():
    with tuilib.Tui(100, 24) as ui:
        ui.start("--compare", "fo:normal,fo:echo")
        for prompt in ("first question", "second question"):
            ui.type(prompt)
            ui.keys("Enter")
            ui.wait_for("q prompt")
            ui.wait_gone("…")
            ui.keys("q")
            ui.wait_for("Enter send")
        ui.keys("M-Up")
        ui.wait_for("Esc back")
        ui.keys("Up")
        ui.keys("Up")
        ui.keys("b")
        ui.wait_for("1 left · 2 right · t tie · b both bad")
        ui.keys("t")
        ui.wait_for("voted tie:")
        c = sqlite3.connect(db(ui))
        rows = []
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and len(rows) < 2:
            rows = c.execute("SELECT v.outcome, p.content FROM votes v"
                             " JOIN vote_answers x ON x.vote_id = v.id"
                             " JOIN messages m ON m.id = x.message_id"
                             " JOIN messages p ON p.id = m.parent_id"
                             " ORDER BY x.position").fetchall()
            time.sleep(0.05)
        c.close()
        t.eq(rows, [("tie", "first question")] * 2,
             "the vote is on the chosen (first) turn's answers")


if not tuilib.HAVE_TMUX:
    print("1..0 # SKIP tmux is not installed")
    sys.exit(0)
sys.exit(t.run())
