#!/usr/bin/env python3
"""TUI tests of the compare view: answers of several models (or samples of
one) side by side in columns, streaming at once, the word diff, the
metrics table, siblings opened with c.  The real tolk in tmux against the
fake server (tests/fakeapi.py).  TAP output."""

import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tuilib  # noqa: E402
from tuilib import Failure  # noqa: E402

t = tuilib.Tap()

PRICE = ("[price fo:normal]\n"
         "input = 1.0\n"
         "output = 2.0\n")


def header(ui):
    return ui.lines()[0]


def wait_all_streaming_with_text(ui, texts, timeout=5):
    """A screen where every column shows text and none has ended."""
    deadline = time.monotonic() + timeout
    s = ""
    while time.monotonic() < deadline:
        s = ui.screen()
        head = s.split("\n")[0]
        if head.count("…") == len(texts) and all(x in s for x in texts):
            return s
        time.sleep(0.02)
    raise Failure("no screen with partial text in every column:\n" + s)


def columns(line, n, width):
    cw = (width - (n - 1)) // n
    return [line[i * (cw + 1):i * (cw + 1) + cw] for i in range(n)]


SGR = re.compile(r"\x1b\[([0-9;]*)m")


def cells(line):
    """(character, attributes) for each character of a captured line."""
    out = []
    attrs = set()
    pos = 0
    for m in SGR.finditer(line + "\x1b[m"):
        out += [(ch, frozenset(attrs)) for ch in line[pos:m.start()]]
        pos = m.end()
        codes = [int(c) if c else 0 for c in m.group(1).split(";")]
        i = 0
        while i < len(codes):
            c = codes[i]
            if c == 0:
                attrs.clear()
            elif c in (38, 48):
                i += 2 if codes[i + 1:i + 2] == [5] else 4
            elif c in (1, 2, 3, 4, 7, 9):
                attrs.add(c)
            elif c == 22:
                attrs.discard(1)
                attrs.discard(2)
            elif c in (23, 24, 27, 29):
                attrs.discard(c - 20)
            i += 1
    return out


def word_attrs(screen_e, word, col, ncols=2, width=120):
    """The attributes of the first occurrence of word in column col (of
    the text rows, below the two header rows)."""
    cw = (width - (ncols - 1)) // ncols
    found, nth = 0, 0
    for line in screen_e.split("\n")[2:]:
        cs = cells(line)[col * (cw + 1):col * (cw + 1) + cw]
        text = "".join(c for c, _ in cs)
        start = 0
        while True:
            i = text.find(word, start)
            if i < 0:
                break
            if found == nth:
                return set().union(*[a for _, a in cs[i:i + len(word)]])
            found += 1
            start = i + 1
    raise Failure("%r not on the screen" % word)


@t.case
def two_models_stream_in_two_columns_at_once():
    with tuilib.Tui(100, 24) as ui:
        ui.start("--compare", "fo:slow,fa:demo")
        ui.type("hi")
        ui.keys("Enter")
        s = wait_all_streaming_with_text(ui, ["Hello, I am", "This answer"])
        t.check("word for word." not in s, "the slow one ended:\n" + s)
        head = columns(s.split("\n")[0], 2, 100)
        t.check(head[0].startswith("fo:slow"), "left header %r" % head[0])
        t.check(head[1].startswith("fa:demo"), "right header %r" % head[1])
        t.check("tok/s" in s.split("\n")[1], "live tok/s:\n" + s)
        s = ui.wait_for("q prompt")
        rows = [columns(r, 2, 100) for r in s.split("\n")[:20]]
        t.check(rows[1][0].startswith("20 tok/s · ttft") or
                re.match(r"\d+ tok/s · ttft \d+ ms · in 12 out 20",
                         rows[1][0]), "left metrics %r" % rows[1][0])
        t.check(re.match(r"\d+ tok/s · ttft \d+ ms · in 12 out \d+",
                         rows[1][1]), "right metrics %r" % rows[1][1])
        left = " ".join(r[0].strip() for r in rows[2:])
        t.check("Hello, I am a fake model and this short answer is always "
                "the same, word for word." in left, "left text:\n" + s)
        t.check("This answer comes from tolk's demo server" in
                " ".join(r[1].strip() for r in rows[2:]), "right text")


@t.case
def four_models_of_different_speeds_all_show_partial_text():
    with tuilib.Tui(120, 30) as ui:
        ui.start("--compare", "fo:slow,fa:demo,fl:stall,fg:slow+2")
        ui.type("hi")
        ui.keys("Enter")
        s = wait_all_streaming_with_text(ui, ["This answer"])
        rows = s.split("\n")
        for i in range(4):
            col = [columns(r, 4, 120)[i].strip() for r in rows[2:28]]
            t.check(any(col), "column %d is empty:\n%s" % (i, s))
        t.check("Hello, I" in columns(rows[2], 4, 120)[2],
                "the stalled one shows its first tokens:\n" + s)
        # Two end, the stalled one goes on until Esc.
        s = ui.wait_for("word for word.")
        ui.wait_for(r"fo:slow\s", regex=True)
        time.sleep(1.5)
        head = columns(ui.lines()[0], 4, 120)
        t.check("…" in head[2], "the stalled one streams: %r" % head)
        t.check("…" not in head[0] and "…" not in head[1] and
                "…" not in head[3], "the others ended: %r" % head)
        ui.keys("Escape")
        ui.wait_for("cancelled")


@t.case
def a_failing_model_shows_its_error_in_its_column():
    with tuilib.Tui(100, 24) as ui:
        ui.start("--compare", "fo:slow,fl:error500")
        ui.type("hi")
        ui.keys("Enter")
        s = ui.wait_for("llama runner process", timeout=15)
        ui.wait_for("q prompt")
        s = ui.screen()
        rows = [columns(r, 2, 100) for r in s.split("\n")[:20]]
        t.check("failed" in rows[0][1], "right status %r" % rows[0][1])
        right = " ".join(r[1].strip() for r in rows[2:])
        t.check("fl: HTTP 500" in right, "the error in the right "
                "column:\n" + s)
        left = " ".join(r[0].strip() for r in rows[2:])
        t.check("word for word." in left, "the left one ended:\n" + s)


@t.case
def d_marks_deleted_inserted_and_case_only_words():
    with tuilib.Tui(120, 24) as ui:
        ui.start("--compare", "fo:normal,fo:echo", env={"NO_COLOR": "1"})
        ui.type("Hello, I am a FAKE modél and this answer is always the "
                "same")
        ui.keys("Enter")
        ui.wait_for("q prompt")
        ui.keys("d")
        ui.wait_for("word diff against")
        s = ui.screen(escapes=True)
        # Left (normal) against the focused one (echo).
        t.eq(word_attrs(s, "Hello", 0), set(), "equal word, left")
        t.eq(word_attrs(s, "short", 0), {7}, "deleted word: reverse")
        t.eq(word_attrs(s, "word", 0), {7}, "deleted word: reverse")
        t.eq(word_attrs(s, "fake", 0), {4}, "case-only: underline")
        t.eq(word_attrs(s, "model", 0), {4}, "accent-only: underline")
        t.eq(word_attrs(s, "always", 0), set(), "equal word, left")
        # Right (echo): what the left lacks is inserted.
        t.eq(word_attrs(s, "messages;", 1), {1, 4}, "inserted: bold "
             "underline")
        t.eq(word_attrs(s, "FAKE", 1), {4}, "case-only, right")
        t.eq(word_attrs(s, "modél", 1), {4}, "accent-only, right")
        t.eq(word_attrs(s, "Hello", 1), set(), "equal word, right")
        t.eq(word_attrs(s, "always", 1), set(), "equal word, right")
        ui.keys("d")
        ui.wait_for("no diff")
        s = ui.screen(escapes=True)
        t.eq(word_attrs(s, "short", 0), set(), "no diff: plain")
        t.eq(word_attrs(s, "messages;", 1), set(), "no diff: plain")


@t.case
def m_shows_the_metrics_the_server_sent_with_bars():
    with tuilib.Tui(100, 24, extra_config=PRICE) as ui:
        ui.start("--compare", "fo:normal,fa:tokens-40")
        ui.type("hi")
        ui.keys("Enter")
        ui.wait_for("q prompt")
        ui.wait_gone("…")     # both answers ended: their language is known
        ui.keys("m")
        s = ui.wait_for("tokens out")
        rows = {r.split("  ")[0]: r for r in s.split("\n")}
        t.check(re.search(r"^metrics\s+fo:normal\s+fa:tokens-40", s, re.M),
                "table header:\n" + s)
        t.check(re.match(r"tokens in\s+12 █+\s+12 █+\s*$",
                         rows["tokens in"]), "tokens in:\n" + s)
        t.check(re.match(r"tokens out\s+20 █+\S*\s+40 █+\s*$",
                         rows["tokens out"]), "tokens out:\n" + s)
        t.check(re.match(r"cost \$\s+0\.000052 █+\s+\?\s*$",
                         rows["cost $"]), "cost:\n" + s)
        t.check(re.match(r"words\s+17 █+\S*\s+40 █+\s*$", rows["words"]),
                "words:\n" + s)
        t.check(re.match(r"language\s+en\s+\S+\s*$", rows["language"]),
                "language:\n" + s)
        # The bar of 20 is half the bar of 40.
        out = rows["tokens out"]
        bars = re.findall(r"[█▏▎▍▌▋▊▉]+", out)
        t.eq(len(bars), 2, "two bars")
        t.check(abs(len(bars[0]) * 2 - len(bars[1])) <= 2,
                "bar lengths %r" % bars)
        ui.keys("m")
        ui.wait_gone("tokens out")


@t.case
def alt_c_opens_the_last_answer_and_its_siblings_side_by_side():
    with tuilib.Tui(100, 24) as ui:
        ui.start("-m", "fo:normal")
        ui.type("hi")
        ui.keys("Enter")
        ui.wait_for("word for word")
        ui.type("/retry")
        ui.keys("Enter")
        ui.wait_for("‹2/2›")
        # The second answer's metrics are final once it ended.
        ui.wait_for("in 24 out 40")
        ui.keys("M-c")
        s = ui.wait_for(r"fo:normal\s+│fo:normal", regex=True)
        rows = [columns(r, 2, 100) for r in s.split("\n")[:6]]
        for i in range(2):
            t.check(re.match(r"\d+ tok/s · ttft \d+ ms · in 12 out 20",
                             rows[1][i]) or
                    re.match(r"ttft \d+ ms · in 12 out 20", rows[1][i]),
                    "metrics of column %d: %r" % (i, rows[1][i]))
            t.check(rows[2][i].startswith("Hello, I am a fake"),
                    "text of column %d: %r" % (i, rows[2][i]))
        # z zooms the focused column, q closes the view.
        ui.keys("z")
        s = ui.wait_for(r"(?m)^fo:normal\s*$", regex=True)
        t.check("│" not in s.split("\n")[0], "one column:\n" + s)
        ui.keys("q")
        ui.wait_for("‹2/2›")


@t.case
def sample_command_asks_one_model_k_times():
    with tuilib.Tui(120, 24) as ui:
        ui.start("-m", "fo:normal")
        ui.type("/sample 3")
        ui.keys("Enter")
        ui.wait_for("3 times")
        ui.type("hi")
        ui.keys("Enter")
        s = ui.wait_for("q prompt")
        head = s.split("\n")[0]
        for i in (1, 2, 3):
            t.check("fo:normal #%d" % i in head, "header %r" % head)
        # The view has the keys; q goes back to the prompt.
        ui.type("zq")
        ui.wait_for("‹1/3›")
        ui.type("/compare fo:normal,fa:normal")
        ui.keys("Enter")
        ui.wait_for("2 models side by side")
        ui.type("again")
        ui.keys("Enter")
        s = ui.wait_for(r"fo:normal\s+│fa:normal", regex=True)
        # Esc while an answer streams stops it and stays in the view:
        # let both end first.
        ui.wait_gone("…")
        ui.keys("Escape")
        ui.wait_gone("q prompt")
        ui.type("/compare off")
        ui.keys("Enter")
        ui.wait_for("alone")


sys.exit(t.run() if tuilib.HAVE_TMUX else (print("1..0 # SKIP no tmux")
                                           or 0))
