#!/usr/bin/env python3
"""TUI tests of selection mode (tui/tui_select.c): M-Up chooses a message
of the transcript, Up/Down move, keys act on the chosen one.  TAP output."""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tuilib  # noqa: E402

t = tuilib.Tap()
BAR = "▌"


def bar_rows(ui):
    """The screen rows that carry the selection bar in the margin."""
    return [i for i, line in enumerate(ui.lines()) if line.startswith(BAR)]


def clipboard(ui):
    got = ""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not got:
        got = ui.tmux("show-buffer", check=False)
        time.sleep(0.05)
    return got


def ask(ui, prompt, done):
    ui.type(prompt)
    ui.keys("Enter")
    ui.wait_for(done)


@t.case
def m_up_chooses_the_last_answer_and_arrows_move():
    with tuilib.Tui(80, 30) as ui:
        ui.start("-m", "fo:normal")
        ask(ui, "first question", "in 12 out 20")
        ask(ui, "second question", "in 24 out 40")
        ui.keys("M-Up")
        ui.wait_for("Esc back")
        rows = bar_rows(ui)
        t.check(rows, "the answer's text rows carry the bar")
        lines = ui.lines()
        t.check(all("second question" not in lines[r] for r in rows),
             "the prompt is not chosen")
        ui.keys("Up")
        ui.wait_for(BAR + " second question", regex=False)
        ui.keys("k")
        ui.keys("k")
        ui.wait_for(BAR + " first question")
        t.eq([ln for ln in ui.lines() if ln.startswith(BAR)],
             [BAR + " first question"], "only the first prompt is chosen")
        ui.keys("j")
        ui.wait_gone(BAR + " first question")
        ui.keys("End")
        ui.wait_gone(BAR + " second question")
        t.check(bar_rows(ui), "End chooses the last answer")


@t.case
def y_copies_the_chosen_prompt_as_written():
    with tuilib.Tui(80, 24) as ui:
        ui.start("-m", "fo:normal")
        ui.tmux("set-option", "-g", "set-clipboard", "on")
        ui.paste("Kje je **Łódź**?\nin zakaj")
        ui.keys("Enter")
        ui.wait_for("in 12 out 20")
        ui.keys("M-Up")
        ui.keys("Up")
        ui.wait_for(BAR + " Kje je")
        ui.keys("y")
        ui.wait_for("copied the prompt")
        t.eq(clipboard(ui), "Kje je **Łódź**?\nin zakaj",
             "the clipboard holds the prompt's source")


@t.case
def esc_goes_back_to_the_prompt_editor():
    with tuilib.Tui(80, 24) as ui:
        ui.start("-m", "fo:normal")
        ask(ui, "hello", "in 12 out 20")
        ui.keys("M-Up")
        ui.wait_for("Esc back")
        ui.keys("x")
        ui.wait_for("x does nothing on an answer")
        t.check("❯ x" not in ui.screen(), "the key did not reach the draft")
        ui.keys("Escape")
        ui.wait_gone("Esc back")
        t.eq(bar_rows(ui), [], "no bar once back")
        ui.type("typed")
        ui.wait_for("❯ typed")


@t.case
def choosing_an_early_prompt_scrolls_it_into_view():
    with tuilib.Tui(60, 12) as ui:
        ui.start("-m", "fo:normal")
        for i in range(6):
            ask(ui, "question number %d" % i, "in %d out %d" %
                (12 * (i + 1), 20 * (i + 1)))
        # (The status line names the conversation after it.)
        t.check(not any("question number 0" in ln
                        for ln in ui.lines()[:-1]),
                "the first prompt has scrolled away")
        ui.keys("M-Up")
        ui.keys("Home")
        ui.wait_for(BAR + " question number 0")
        ui.keys("End")
        ui.wait_gone(BAR + " question number 0")
        t.check(not any("question number 0" in ln
                        for ln in ui.lines()[:-1]),
                "End chooses the last answer, at the end")


@t.case
def c_on_an_answer_with_siblings_opens_them_side_by_side():
    with tuilib.Tui(100, 24) as ui:
        ui.start("-m", "fo:normal")
        ask(ui, "hello", "in 12 out 20")
        ui.type("/retry")
        ui.keys("Enter")
        ui.wait_for("‹2/2›")
        ui.wait_for("in 24 out 40")
        ui.keys("M-Up")
        ui.keys("Up")
        ui.keys("y")     # on the prompt: copies (no clipboard: a file)
        ui.wait_for("the prompt")
        ui.keys("Down")
        ui.keys("c")
        ui.wait_for("q prompt")
        t.eq(bar_rows(ui), [], "the side-by-side view replaces the bar")


@t.case
def c_on_a_lone_answer_says_why_not():
    with tuilib.Tui(80, 24) as ui:
        ui.start("-m", "fo:normal")
        ask(ui, "hello", "in 12 out 20")
        ui.keys("M-Up")
        ui.keys("c")
        ui.wait_for("no sibling to compare")


@t.case
def help_lists_the_selection_keys():
    with tuilib.Tui(100, 40) as ui:
        ui.start("-m", "fo:normal")
        ask(ui, "hello", "in 12 out 20")
        ui.keys("M-Up")
        ui.keys("?")
        ui.wait_for("Choosing a message (M-Up)")
        ui.wait_for("y  on a prompt or answer: copy")


@t.case
def m_up_on_an_empty_transcript_says_so():
    with tuilib.Tui(80, 24) as ui:
        ui.start("-m", "fo:normal")
        ui.keys("M-Up")
        ui.wait_for("nothing to choose yet")
        ui.type("still typing")
        ui.wait_for("❯ still typing")


if not tuilib.HAVE_TMUX:
    print("1..0 # SKIP tmux is not installed")
    sys.exit(0)
sys.exit(t.run())
