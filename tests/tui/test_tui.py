#!/usr/bin/env python3
"""TUI tests: the real tolk in a detached tmux session against the fake
API server (tests/fakeapi.py).  TAP output."""

import json
import os
import re
import sys
import time
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tuilib  # noqa: E402
from tuilib import Failure  # noqa: E402

t = tuilib.Tap()

FAMILY = "\U0001F469\u200d\U0001F469\u200d\U0001F467"
E_ACUTE = "e\u0301"


def width(s):
    """Display width as tmux 3.3 draws the text we send (no emoji
    sequences reach it: the TUI draws their first code point)."""
    w = 0
    for ch in s:
        if unicodedata.combining(ch) or ch in "\u200d\ufe0f":
            continue
        w += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return w


def last_user_message(ui):
    reqs = [r for r in ui.world.requests() if r["json"]]
    if not reqs:
        raise Failure("the server got no request")
    msgs = reqs[-1]["json"]["messages"]
    users = [m for m in msgs if m["role"] == "user"]
    return users[-1]["content"]


def answer_rows(screen, label):
    """The text rows of the answer under label (until a blank row)."""
    rows = screen.split("\n")
    out = []
    for i, r in enumerate(rows):
        if r.startswith(label):
            for r2 in rows[i + 1:]:
                if r2.strip() == "":
                    break
                out.append(r2)
            break
    return out


@t.case
def multilingual_answer_streams_and_wraps_at_the_width():
    with tuilib.Tui(60, 24) as ui:
        ui.start("-m", "fo:multilingual")
        ui.type("Zażółć gęślą jaźń — Grüße, Καλημέρα, 日本語")
        ui.keys("Enter")
        s = ui.wait_for("안녕하세요")
        ui.wait_for("in 12 out 30")
        s = ui.screen()
        t.check("Zażółć gęślą jaźń — Grüße, Καλημέρα, 日本語" in s,
                "the prompt is shown:\n" + s)
        rows = answer_rows(s, "fo:multilingual")
        t.check(len(rows) >= 4, "the answer has rows:\n" + s)
        for r in rows:
            t.check(width(r.rstrip()) <= 60, "row fits 60 columns: %r" % r)
        text = " ".join(r.strip() for r in rows)
        for phrase in ["Slovenščina: Živjo, kako si? Čestitke!",
                       "Polski: Zażółć gęślą jaźń.",
                       "Ελληνικά: Καλημέρα κόσμε.",
                       "Deutsch: Grüße aus der Straße.",
                       "Українська: Привіт, ґанок і їжак.",
                       "こんにちは。", "안녕하세요."]:
            t.check(phrase in text, "%r whole in the wrapped answer:\n%s"
                    % (phrase, "\n".join(rows)))
        # No word is cut: every word of the source is on one row.
        words = "Slovenščina Čestitke Zażółć gęślą Καλημέρα Straße " \
                "Українська Привіт".split()
        for w in words:
            t.check(any(w in r for r in rows), "word %r on one row" % w)


@t.case
def esc_cancels_the_answer_and_keeps_it_marked_cancelled():
    with tuilib.Tui(80, 20) as ui:
        ui.start("-m", "fo:slow")
        ui.type("hi")
        ui.keys("Enter")
        ui.wait_for("Hello, I am")
        ui.keys("Escape")
        s = ui.wait_for("cancelled")
        time.sleep(1.5)
        s = ui.screen()
        t.check("Hello" in s, "the partial answer stays:\n" + s)
        t.check("word for word" not in s, "the answer stopped:\n" + s)
        # The next prompt can be sent right away.
        ui.type("again")
        ui.keys("Enter")
        ui.wait_for("same, word")


@t.case
def ctrl_c_cancels_a_stalled_answer():
    with tuilib.Tui(80, 20) as ui:
        ui.start("-m", "fo:stall")
        ui.type("hi")
        ui.keys("Enter")
        ui.wait_for("Hello, I")
        ui.keys("C-c")
        ui.wait_for("cancelled")


@t.case
def page_up_scrolls_and_new_text_below_is_marked():
    with tuilib.Tui(80, 14) as ui:
        ui.start("-m", "fo:tokens-400")
        ui.type("long")
        ui.keys("Enter")
        ui.wait_for("out 400")
        bottom = ui.screen()
        ui.keys("PageUp")
        time.sleep(0.3)
        up = ui.screen()
        t.check(up != bottom, "PgUp changed the view")
        t.check("you" in up or "lorem" in up, "the transcript shows:\n" + up)
        ui.keys("PageUp")
        ui.keys("PageUp")
        ui.keys("PageUp")
        s = ui.wait_for("▎ long")
        ui.keys("End")
        time.sleep(0.3)
        t.eq(ui.screen(), bottom, "End goes back to the end")
        # While scrolled up, a new answer shows the marker.
        ui.type("/model fo:slow")
        ui.keys("Enter")
        ui.type("more")
        ui.keys("Enter")
        ui.keys("PageUp")
        ui.wait_for("new text below")
        ui.keys("End")
        ui.wait_gone("new text below")


@t.case
def resize_mid_stream_lays_the_answer_out_again():
    with tuilib.Tui(80, 20) as ui:
        ui.start("-m", "fo:slow")
        ui.type("hi")
        ui.keys("Enter")
        ui.wait_for("Hello, I am")
        ui.resize(30, 20)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            s = ui.screen()
            if "word." in s and "out 20" in s:
                break
            time.sleep(0.05)
        s = ui.screen()
        rows = answer_rows(s, "fo:slow")
        t.check(len(rows) >= 3, "wrapped on several rows:\n" + s)
        for r in rows:
            t.check(width(r.rstrip()) <= 30, "row fits: %r" % r)
        text = " ".join(r.strip() for r in rows)
        t.eq(text, "Hello, I am a fake model and this short answer is "
             "always the same, word for word.", "the answer, rewrapped")
        ui.resize(100, 20)
        s = ui.wait_for("Hello, I am a fake model and this short answer is "
                        "always the same, word for word.")


@t.case
def bracketed_paste_inserts_lines_without_sending():
    with tuilib.Tui(80, 20) as ui:
        ui.start("-m", "fo:echo")
        block = "line one\nline two\n  indented three"
        ui.paste(block)
        s = ui.wait_for("indented three")
        t.check("you" not in s.split("\n")[0], "nothing was sent:\n" + s)
        t.check("line one" in s and "line two" in s, "all lines:\n" + s)
        ui.keys("Enter")
        ui.wait_for("last user message")
        t.eq(last_user_message(ui), block, "the prompt as pasted")


@t.case
def editing_moves_and_deletes_whole_grapheme_clusters():
    with tuilib.Tui(80, 20) as ui:
        ui.start("-m", "fo:echo")
        ui.type("x" + E_ACUTE + FAMILY + "日本y")
        time.sleep(0.3)
        x, _ = ui.cursor()
        t.eq(x, 2 + 1 + 1 + 2 + 4 + 1, "cursor column after typing")
        ui.keys("Left")          # before y
        ui.keys("Left")          # before 本
        time.sleep(0.2)
        x, _ = ui.cursor()
        t.eq(x, 2 + 1 + 1 + 2 + 2, "cursor before 本")
        ui.keys("BSpace")        # deletes 日
        ui.keys("Left")          # before the family
        ui.keys("BSpace")        # deletes é (e + U+0301)
        ui.keys("Right")         # after the family
        ui.keys("BSpace")        # deletes the whole family
        ui.keys("Enter")
        ui.wait_for("last user message")
        t.eq(last_user_message(ui), "x本y", "what was left")


@t.case
def emacs_keys_move_by_word_and_kill_and_yank():
    with tuilib.Tui(80, 20) as ui:
        ui.start("-m", "fo:echo")
        ui.type("alpha beta gamma")
        ui.keys("C-a", "M-f", "C-k")     # "alpha"
        ui.keys("C-y", "C-y")            # "alpha beta gamma beta gamma"
        ui.keys("M-b", "C-w")            # cut "beta " before "gamma"?
        ui.keys("C-e")
        ui.type("!")
        ui.keys("Enter")
        ui.wait_for("last user message")
        t.eq(last_user_message(ui), "alpha beta gamma gamma!",
             "after C-a M-f C-k C-y C-y M-b C-w C-e !")


@t.case
def alt_enter_and_ctrl_j_insert_newlines():
    with tuilib.Tui(80, 20) as ui:
        ui.start("-m", "fo:echo")
        ui.type("one")
        ui.keys("M-Enter")
        ui.type("two")
        ui.keys("C-j")
        ui.type("three")
        ui.keys("Enter")
        ui.wait_for("last user message")
        t.eq(last_user_message(ui), "one\ntwo\nthree", "three lines")


@t.case
def up_recalls_the_previous_prompt():
    with tuilib.Tui(80, 20) as ui:
        ui.start("-m", "fo:echo")
        ui.type("first prompt")
        ui.keys("Enter")
        ui.wait_for("last user message")
        ui.keys("Up")
        ui.wait_for("❯ first prompt")


@t.case
def history_browser_finds_strasse_by_folding():
    with tuilib.Tui(80, 20) as ui:
        ui.start("-m", "fo:normal")
        ui.type("Grüße aus der Straße")
        ui.keys("Enter")
        ui.wait_for("in 12 out 20")
        ui.type("/new")
        ui.keys("Enter")
        ui.wait_for("in 0 out 0")
        ui.type("something else entirely")
        ui.keys("Enter")
        ui.wait_for("in 12 out 20")
        ui.keys("C-o")
        ui.wait_for("History")
        ui.wait_for("something else entirely")
        ui.type("strasse")
        ui.wait_for("History: strasse")
        ui.wait_gone("something else")
        ui.wait_for("Straße")
        ui.keys("Enter")
        ui.wait_for("▎ Grüße aus der Straße")
        ui.wait_gone("something else")


@t.case
def history_browser_deletes_after_confirmation():
    with tuilib.Tui(80, 20) as ui:
        ui.start("-m", "fo:normal")
        ui.type("to be deleted")
        ui.keys("Enter")
        ui.wait_for("in 12 out 20")
        ui.keys("C-o")
        ui.wait_for("to be deleted")
        ui.type("d")
        ui.wait_for("(y/n)")
        ui.type("y")
        ui.wait_for("nothing here yet")


@t.case
def escape_sequences_in_an_answer_reach_no_terminal():
    with tuilib.Tui(80, 20) as ui:
        ui.start("-m", "fo:escapes")
        ui.tmux("select-pane", "-t", "0", "-T", "before")
        ui.type("hi")
        ui.keys("Enter")
        s = ui.wait_for("End.")
        t.eq(ui.display("#{pane_title}"), "before", "the pane title")
        t.check("you" in s and "▎ hi" in s, "the screen was not cleared:\n"
                + s)
        t.check("Colour: red." in s, "the text stays:\n" + s)
        esc = ui.screen(escapes=True)
        t.check("\x1b[31m" not in esc, "no red from the answer")
        t.check("pwned" not in s, "no title text shown")
        t.check("\u202e" not in s, "no bidi override")


@t.case
def first_run_screen_explains_and_offers_the_demo():
    with tuilib.Tui(80, 24) as ui:
        empty = os.path.join(ui.world.dir, "empty.conf")
        open(empty, "w").close()
        ui.start(env={"TOLK_CONFIG": empty, "FAKE_KEY": None,
                      "OLLAMA_HOST": "http://127.0.0.1:9"},
                 wait="No model is set up yet")
        s = ui.wait_for("q to quit.")
        t.check("OPENAI_API_KEY" in s and "demo" in s, "it says how:\n" + s)
        ui.type("q")
        t.eq(ui.wait_exit(), 0, "q quits")


@t.case
def demo_answers_and_is_labelled():
    with tuilib.Tui(80, 24) as ui:
        ui.start("--demo")
        s = ui.wait_for("demo")
        ui.type("Hallo")
        ui.keys("Enter")
        ui.wait_for("demo server", timeout=15)
        ui.keys("C-q")
        t.eq(ui.wait_exit(), 0, "C-q quits")


@t.case
def an_unsent_draft_survives_quitting():
    with tuilib.Tui(80, 20) as ui:
        ui.start("-m", "fo:normal")
        ui.type("half a thought")
        ui.keys("C-q")
        t.eq(ui.wait_exit(), 0, "exit status")
        ui.start("-m", "fo:normal")
        ui.wait_for("❯ half a thought")


@t.case
def no_utf8_locale_says_how_to_fix_it():
    with tuilib.Tui(80, 20) as ui:
        ui.start(env={"LC_ALL": "C"}, wait=None)
        t.eq(ui.wait_exit(), 2, "exit status")
        t.check("UTF-8" in ui.stderr() and "LANG=C.UTF-8" in ui.stderr(),
                "stderr: " + ui.stderr())


@t.case
def tiny_and_small_windows_never_crash():
    with tuilib.Tui(40, 12) as ui:
        ui.start("-m", "fo:multilingual")
        ui.type("Zażółć " * 20)
        ui.keys("Enter")
        ui.wait_for("out 30")
        for w, h in [(20, 6), (8, 3), (3, 2), (40, 12)]:
            ui.resize(w, h)
            time.sleep(0.3)
        s = ui.wait_for("❯")
        ui.type("still here")
        ui.keys("Enter")
        ui.wait_for("in 24 out 60")


@t.case
def help_lists_every_key_and_closes():
    with tuilib.Tui(100, 30) as ui:
        ui.start("-m", "fo:normal")
        ui.keys("F1")
        s = ui.wait_for("scroll the transcript a page up")
        for k in ["C-x C-e", "M-Enter", "PgUp"]:
            t.check(k in s, "%r in the help:\n%s" % (k, s))
        ui.keys("PageDown", "PageDown", "PageDown", "PageDown")
        s = ui.wait_for("leave tolk")
        for k in ["C-o", "/retry", "/copy", "/history"]:
            t.check(k in s, "%r in the help:\n%s" % (k, s))
        ui.keys("Escape")
        ui.wait_gone("Commands")


@t.case
def retry_makes_a_sibling_and_left_right_switch():
    with tuilib.Tui(80, 20) as ui:
        ui.start("-m", "fo:normal")
        ui.type("hi")
        ui.keys("Enter")
        ui.wait_for("in 12 out 20")
        ui.type("/model fo:multilingual")
        ui.keys("Enter")
        ui.type("/retry")
        ui.keys("Enter")
        ui.wait_for("‹2/2›")
        ui.wait_for("in 24 out 50")
        ui.keys("Left")
        ui.wait_for("‹1/2›")
        ui.wait_for("same, word")
        ui.keys("Right")
        ui.wait_for("Slovenščina")


@t.case
def tab_completes_commands():
    with tuilib.Tui(80, 20) as ui:
        ui.start("-m", "fo:normal")
        ui.type("/sys")
        ui.keys("Tab")
        ui.wait_for("❯ /system")


@t.case
def ctrl_x_ctrl_e_edits_the_draft_in_visual():
    with tuilib.Tui(80, 20) as ui:
        ed = "sh -c 'printf \"from the editor\" > \"$1\"' sh"
        ui.start("-m", "fo:normal", env={"VISUAL": ed})
        ui.type("old text")
        ui.keys("C-x", "C-e")
        s = ui.wait_for("❯ from the editor")
        t.check("old text" not in s, "the draft was replaced:\n" + s)


@t.case
def no_color_draws_with_attributes_only():
    with tuilib.Tui(80, 20) as ui:
        ui.start("-m", "fo:normal", env={"NO_COLOR": "1"})
        ui.type("hi")
        ui.keys("Enter")
        ui.wait_for("in 12 out 20")
        esc = ui.screen(escapes=True)
        t.check(re.search("\x1b\\[[0-9;]*(3[0-7]|4[0-7]|38;5|48;5)[;m]",
                          esc) is None, "no colour:\n%r" % esc[:400])
        for code, what in (("7", "reverse"), ("1", "bold")):
            t.check(re.search(r"\x1b\[(?:[0-9]+;)*%s(?:;[0-9]+)*m" % code,
                              esc) is not None, what + " is used")


@t.case
def copy_saves_the_code_block_source_when_no_clipboard():
    with tuilib.Tui(80, 20) as ui:
        ui.start("-m", "fo:echo", env={"TOLK_NO_OSC52": "1",
                                      "TMPDIR": ui.world.dir})
        ui.paste("x\n```\ncode  here\n\tand *this*\n```")
        ui.keys("Enter")
        # The prompt shows the block at once; wait for the answer to end,
        # or /copy races it (and copies from an answer still streaming).
        ui.wait_for("in 12 out 4")
        ui.type("/copy 1")
        ui.keys("Enter")
        s = ui.wait_for("saved to")
        files = [f for f in os.listdir(ui.world.dir)
                 if f.startswith("tolk-copy-")]
        t.eq(len(files), 1, "one file in TMPDIR")
        with open(os.path.join(ui.world.dir, files[0])) as f:
            t.eq(f.read(), "code  here\n\tand *this*\n", "the source text")


@t.case
def export_writes_the_conversation_as_json():
    with tuilib.Tui(80, 20) as ui:
        ui.start("-m", "fo:normal")
        ui.type("hello export")
        ui.keys("Enter")
        ui.wait_for("in 12 out 20")
        path = os.path.join(ui.world.dir, "conv.json")
        ui.type("/export " + path)
        ui.keys("Enter")
        ui.wait_for("wrote the conversation")
        with open(path) as f:
            doc = json.load(f)
        contents = [m["content"] for m in doc["messages"]]
        t.check("hello export" in contents, "the prompt: %r" % contents)


@t.case
def model_picker_lists_models_and_keys_and_picks_one():
    with tuilib.Tui(100, 30) as ui:
        ui.start("-m", "fo:normal")
        ui.keys("F2")
        s = ui.wait_for("fo:multilingual")
        t.check(re.search(r"fo:normal\s+key set", s) is not None,
                "key state shown:\n" + s)
        ui.keys("Down")
        ui.keys("Enter")
        ui.wait_for("the model is now fo:multilingual")


@t.case
def status_line_shows_model_title_counts_and_language():
    with tuilib.Tui(80, 20) as ui:
        ui.start("-m", "fo:normal")
        ui.type("hello there")
        ui.keys("Enter")
        s = ui.wait_for("in 12 out 20")
        status = s.rstrip("\n").split("\n")[-1]
        t.match(r" fo:normal │ hello there +en · in 12 out 20 *", status,
                "the status line")


@t.case
def a_title_too_long_for_the_status_line_ends_in_an_ellipsis():
    with tuilib.Tui(60, 20) as ui:
        ui.start("-m", "fo:normal")
        ui.type("hello there, this prompt is far too long to be a title "
                "that fits")
        ui.keys("Enter")
        s = ui.wait_for("in 12 out 20")
        status = s.rstrip("\n").split("\n")[-1]
        t.match(r" fo:normal │ hello there, \S*… +expect en · en · "
                r"in 12 out 20 *$", status, "the status line")


@t.case
def system_command_sets_the_system_prompt_that_is_sent():
    with tuilib.Tui(80, 20) as ui:
        ui.start("-m", "fo:echo")
        ui.type("/system Answer briefly.")
        ui.keys("Enter")
        ui.wait_for("system prompt is set")
        ui.type("hi")
        ui.keys("Enter")
        ui.wait_for("2 messages; last user message: hi")
        msgs = [r for r in ui.world.requests() if r["json"]][-1]["json"][
            "messages"]
        t.eq(msgs[0], {"role": "system", "content": "Answer briefly."},
             "the system message")


@t.case
def a_prompt_sent_while_streaming_waits_for_the_answer():
    with tuilib.Tui(80, 24) as ui:
        ui.start("-m", "fo:slow")
        ui.type("first")
        ui.keys("Enter")
        ui.wait_for("Hello")
        ui.type("second")
        ui.keys("Enter")
        ui.wait_for("sent when the answer ends")
        ui.wait_for("▎ second", timeout=15)
        ui.wait_for("in 24 out 40", timeout=15)
        s = ui.screen()
        t.eq(s.count("Hello, I am"), 2, "two answers:\n" + s)


@t.case
def continue_opens_the_latest_conversation():
    with tuilib.Tui(80, 20) as ui:
        ui.start("-m", "fo:normal")
        ui.type("remember the lighthouse")
        ui.keys("Enter")
        ui.wait_for("in 12 out 20")
        ui.keys("C-q")
        t.eq(ui.wait_exit(), 0, "exit status")
        ui.start("-m", "fo:echo", "-c")
        ui.wait_for("▎ remember the lighthouse")
        ui.type("and now?")
        ui.keys("Enter")
        ui.wait_for("3 messages; last user message: and now?")


def import_long_conversation(ui, turns=300):
    """A stored conversation of turns prompts with answers of ~4 KB (runs
    of blank lines, which the layout folds, make their estimated heights
    differ from their laid out ones)."""
    msgs = []
    for i in range(turns):
        msgs.append({"role": "user", "content": "question %03d" % i})
        msgs.append({"role": "assistant", "content": "\n\n\n\n\n\n".join(
            "answer %03d paragraph %02d " % (i, k) + "lorem ipsum dolor "
            "sit amet " * 12 for k in range(12))})
    path = os.path.join(ui.world.dir, "long.jsonl")
    with open(path, "w") as f:
        f.write(json.dumps({"messages": msgs}) + "\n")
    r = ui.world.tolk("import", path, log=True)
    t.eq(r.rc, 0, "import: %r" % r.err)


@t.case
def a_long_conversation_opens_at_its_end_and_keeps_the_place():
    # Answers from the history are laid out when they come into view or
    # between keys; scrolling meanwhile must land right and stay put.
    with tuilib.Tui(80, 20) as ui:
        import_long_conversation(ui)
        ui.start("-c", "-m", "fo:normal")
        ui.wait_for("answer 299 paragraph 11")
        for _ in range(6):
            # One page at a time, each drawn before the next.
            before = ui.lines()
            ui.keys("PageUp")
            deadline = time.monotonic() + 10
            while ui.lines() == before and time.monotonic() < deadline:
                time.sleep(0.02)
        first = ui.lines()[:10]
        still = True
        for _ in range(15):
            time.sleep(0.1)
            still = still and ui.lines()[:10] == first
        t.check(still, "the rows at the top stayed while the rest was "
                "laid out: %r" % first)
        # A page up and down again comes back to the same rows (a top
        # left unadjusted shows only at the next draw).
        for key in ("PageUp", "PageDown"):
            before = ui.lines()
            ui.keys(key)
            deadline = time.monotonic() + 10
            while ui.lines() == before and time.monotonic() < deadline:
                time.sleep(0.02)
        t.eq(ui.lines()[:10], first, "the rows after a page up and down")
        ui.keys("C-Home")
        ui.wait_for("question 000")
        t.check("question 000" in "\n".join(ui.lines()[:3]),
                "the start is at the top: %r" % ui.lines()[:3])
        ui.keys("C-End")
        ui.wait_for("answer 299 paragraph 11")


@t.case
def resize_keeps_the_reading_position_when_scrolled_up():
    with tuilib.Tui(80, 16) as ui:
        ui.start("-m", "fo:echo")
        ui.type(" ".join("w%03d" % i for i in range(400)))
        ui.keys("Enter")
        ui.wait_for("in 12 out")
        ui.keys("PageUp")
        ui.keys("PageUp")
        time.sleep(0.3)
        top = ui.lines()[0]
        m = re.search(r"w(\d{3})", top)
        t.check(m is not None, "a word at the top: %r" % top)
        first = int(m.group(1))
        ui.resize(50, 16)
        time.sleep(0.5)
        rows = ui.lines()
        nums = [int(x) for x in re.findall(r"w(\d{3})", rows[0])]
        t.check(nums and nums[0] <= first <= nums[-1] + 1,
                "w%03d still at the top after the resize: %r" % (first,
                                                                rows[0]))


@t.case
def a_terminal_without_cursor_movement_is_refused_with_a_reason():
    with tuilib.Tui(80, 20) as ui:
        ui.start("-m", "fo:normal", env={"TERM": "dumb"}, wait=None)
        t.eq(ui.wait_exit(), 2, "exit status")
        t.check("cannot move the cursor" in ui.stderr(), ui.stderr())


@t.case
def vt100_without_colours_still_tells_turns_apart():
    with tuilib.Tui(80, 20) as ui:
        ui.start("-m", "fo:normal", env={"TERM": "vt100"})
        ui.type("hi")
        ui.keys("Enter")
        ui.wait_for("in 12 out 20")
        esc = ui.screen(escapes=True)
        t.check("\x1b[1;7myou" in esc, "the prompt label: bold reverse")
        t.check("\x1b[1;4mfo:normal" in esc,
                "the answer label: bold underline")


@t.case
def copy_sends_the_answer_by_osc52_where_the_terminal_takes_it():
    with tuilib.Tui(80, 20) as ui:
        ui.start("-m", "fo:multilingual")
        ui.tmux("set-option", "-g", "set-clipboard", "on")
        ui.type("hi")
        ui.keys("Enter")
        ui.wait_for("in 12 out 30")
        ui.type("/copy")
        ui.keys("Enter")
        ui.wait_for("to the clipboard")
        got = ""
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not got:
            got = ui.tmux("show-buffer", check=False)
            time.sleep(0.05)
        import fakeapi
        t.eq(got, "".join(fakeapi.MULTILINGUAL_TOKENS),
             "the clipboard holds the source text")


@t.case
def earlier_prompts_are_kept_across_runs():
    with tuilib.Tui(80, 20) as ui:
        ui.start("-m", "fo:normal")
        ui.paste("two\\lines\nhere")
        ui.keys("Enter")
        ui.wait_for("in 12 out 20")
        ui.type("third")
        ui.keys("Enter")
        ui.wait_for("in 24 out 40")
        ui.keys("C-q")
        t.eq(ui.wait_exit(), 0, "exit status")
        ui.start("-m", "fo:echo")
        ui.keys("Up")
        ui.wait_for("❯ third")
        ui.keys("Up")
        ui.keys("Up")
        ui.keys("Enter")
        ui.wait_for("last user message")
        t.eq(last_user_message(ui), "two\\lines\nhere", "recalled as sent")


@t.case
def new_while_streaming_stores_the_answer_as_cancelled():
    with tuilib.Tui(80, 20) as ui:
        ui.start("-m", "fo:slow")
        ui.type("interrupted question")
        ui.keys("Enter")
        ui.wait_for("Hello, I")
        ui.type("/new")
        ui.keys("Enter")
        ui.wait_for("in 0 out 0")
        ui.keys("C-o")
        ui.wait_for("interrupted question")
        ui.keys("Enter")
        ui.wait_for("▎ interrupted question")
        ui.wait_for("fo:slow  cancelled")


@t.case
def a_failed_answer_shows_the_error_in_red():
    with tuilib.Tui(60, 20) as ui:
        ui.start("-m", "fo:error500")
        ui.type("hi")
        ui.keys("Enter")
        ui.wait_for("fo:error500  failed", timeout=30)
        ui.wait_for("Sorry about that!")
        s = ui.wait_for("in 0 out 0")
        t.check("HTTP 500" in s, "the whole error under the answer:\n" + s)
        esc = ui.screen(escapes=True)
        t.check(re.search(r"\x1b\[[0-9;]*(31|38;5;203)[;m][^\n]*HTTP 500",
                          esc) is not None, "in red: %r" % esc[:600])


@t.case
def mouse_wheel_scrolls_the_transcript():
    with tuilib.Tui(80, 12) as ui:
        ui.start("-m", "fo:tokens-300")
        ui.type("long")
        ui.keys("Enter")
        ui.wait_for("out 300")
        bottom = ui.screen()
        for _ in range(3):
            ui.type("\x1b[<64;10;5M")
        time.sleep(0.3)
        t.check(ui.screen() != bottom, "the wheel scrolled up")
        for _ in range(10):
            ui.type("\x1b[<65;10;5M")
        time.sleep(0.3)
        t.eq(ui.screen(), bottom, "and back down to the end")


@t.case
def title_names_a_new_conversation_in_the_history():
    with tuilib.Tui(80, 20) as ui:
        ui.start("-m", "fo:normal")
        ui.type("/title Łódź trip plans")
        ui.keys("Enter")
        ui.wait_for("named when its first prompt is sent")
        ui.type("where to eat?")
        ui.keys("Enter")
        ui.wait_for("in 12 out 20")
        ui.wait_for("│ Łódź trip plans")     # once the note is gone
        ui.keys("C-o")
        ui.wait_for("History")
        ui.wait_gone("where to eat?")
        ui.wait_for("Łódź trip plans")


@t.case
def title_renames_a_stored_conversation():
    with tuilib.Tui(80, 20) as ui:
        ui.start("-m", "fo:normal")
        ui.type("first question")
        ui.keys("Enter")
        ui.wait_for("in 12 out 20")
        ui.type("/title Kraków notes")
        ui.keys("Enter")
        ui.wait_for("the conversation is renamed")
        ui.keys("C-o")
        ui.wait_for("History")
        ui.wait_for("Kraków notes")


if not tuilib.HAVE_TMUX:
    print("1..0 # SKIP tmux is not installed")
    sys.exit(0)
sys.exit(t.run())
