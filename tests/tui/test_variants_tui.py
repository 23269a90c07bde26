#!/usr/bin/env python3
"""TUI tests of prompt variants and spend limits: a prompt edited into a
new branch (e in selection mode, /edit), Left/Right switching branches
with the transcript following, c putting the branches side by side with
the prompts' word diff and the deltas; the spend against the budgets on
the status line, the warning and the explicit yes (sending a prompt again)
past a spent budget.  The real tolk in tmux against the fake server
(tests/fakeapi.py), whose echo scenario answers with the number of
messages it was sent and the last prompt.  TAP output."""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tuilib  # noqa: E402

t = tuilib.Tap()

# 100 USD per million tokens: tokens-10 costs (12 + 10) * 100 / 1e6.
PRICES = ("[price fo:tokens-10]\ninput = 100\noutput = 100\n")
# echo: one token per 16 characters of its answer.
ECHO = "[price fo:echo]\ninput = 1000\noutput = 1000\n"
BAR = "▌"


def ask(ui, prompt, done):
    ui.type(prompt)
    ui.keys("Enter")
    ui.wait_for(done)


def two_branches(ui):
    """A conversation whose first prompt has two branches: the second,
    edited with e, is shown."""
    ask(ui, "Name a colour", "last user message: Name a colour")
    ask(ui, "Why?", "3 messages; last user message: Why?")
    ui.keys("M-Up")
    ui.wait_for("Esc back")
    for _ in range(3):
        ui.keys("Up")
    ui.wait_for(BAR + " Name a colour")
    ui.keys("e")
    ui.wait_for("Enter sends it as a new branch")
    ui.wait_gone(BAR)
    ui.type(" warmly")
    ui.keys("Enter")
    return ui.wait_for("1 messages; last user message: Name a colour "
                       "warmly")


class branched(tuilib.Tui):
    """A TUI showing two_branches() with the edited prompt chosen."""

    def __init__(self, width):
        super().__init__(width, 30, extra_config=ECHO)

    def __enter__(self):
        super().__enter__()
        try:
            self.start("-m", "fo:echo")
            two_branches(self)
            self.keys("M-Up")
            self.keys("Up")
            self.wait_for(BAR + " Name a colour warmly")
        except BaseException:
            self.__exit__(*sys.exc_info())
            raise
        return self


@t.case
def e_edits_a_prompt_into_a_new_branch_and_the_old_one_stays():
    with tuilib.Tui(100, 30, extra_config=ECHO) as ui:
        ui.start("-m", "fo:echo")
        two_branches(ui)
        # Waits, not one capture: a frame may reach tmux in pieces.
        ui.wait_for("you  ‹2/2›")
        ui.wait_gone("Why?")
        r = ui.world.tolk("show", "1", "--json", log=True)
        msgs = json.loads(r.out)["messages"]
        users = [(m["content"], m["parent_id"]) for m in msgs
                 if m["role"] == "user"]
        t.eq(users, [("Name a colour", None), ("Why?", 2),
                     ("Name a colour warmly", None)],
             "stored: the new prompt is a sibling, the old branch stays")
        # The next prompt continues the branch shown.
        ask(ui, "And?", "3 messages; last user message: And?")


@t.case
def left_right_on_a_prompt_switch_branches_and_the_transcript_follows():
    with branched(100) as ui:
        ui.wait_for("e edit · ←→ branches · c side by side")
        ui.keys("Left")
        # Waits, not one capture: a frame may reach tmux in pieces.
        ui.wait_for("you  ‹1/2›")
        ui.wait_for("3 messages; last user message: Why?")
        s = ui.wait_for(BAR + " Name a colour\n")
        t.check(BAR + " Name a colour warmly" not in s,
                "the prompt shown stays chosen: %s" % s)
        ui.keys("Right")
        ui.wait_for("you  ‹2/2›")
        ui.wait_gone("Why?")
        ui.keys("Left")
        ui.wait_for("you  ‹1/2›")
        ui.keys("Escape")
        ui.wait_gone(BAR)
        # The next prompt continues the branch shown: 5 messages.
        ask(ui, "Sure?", "5 messages; last user message: Sure?")


@t.case
def c_on_a_prompt_shows_its_branches_side_by_side_with_the_deltas():
    with branched(120) as ui:
        ui.keys("c")
        s = ui.wait_for("+1 tokens, +$0.0010")
        lines = s.split("\n")
        t.check(lines[0].startswith("Name a colour") and
                "│Name a colour warmly" in lines[0],
                "the prompts head the columns: %r" % lines[0])
        t.check(any("#1 fo:echo" in ln and "#5 fo:echo" in ln
                    for ln in lines), "the labels: %s" % s)
        t.check(any(ln.startswith("base") for ln in lines),
                "the first column is the base: %s" % s)
        t.check("in 12 out 3" in s and "in 12 out 4" in s,
                "tokens in and out: %s" % s)
        e = ui.screen(escapes=True).split("\n")[0]
        t.check("warmly" in e and e.index("warmly") > e.index("\x1b"),
                "the new word is marked: %r" % e)
        ui.keys("q")
        ui.wait_gone("+1 tokens")


def with_top(ui, top):
    """Top-level config keys come before the first section."""
    with open(ui.world.config) as f:
        text = f.read()
    with open(ui.world.config, "w") as f:
        f.write(top + text)


@t.case
def slash_edit_after_compare_sends_the_new_version_to_every_model():
    with tuilib.Tui(120, 30, extra_config=ECHO) as ui:
        ui.start("-m", "fo:echo")
        ask(ui, "Name a colour", "last user message: Name a colour")
        ask(ui, "/compare fo:echo,fl:echo", "the next prompts go to 2 models")
        ui.type("/edit")
        ui.keys("Enter")
        ui.wait_for("Enter sends it as a new branch")
        ui.type(" warmly")
        ui.keys("Enter")
        s = ui.wait_for(r"fo:echo.*│fl:echo", regex=True)
        ui.wait_for(r"(last user message: Name a colour warmly.*){2}",
                    regex=True)
        ui.keys("q")
        s = ui.wait_for("you  ‹2/2›")
        r = ui.world.tolk("show", "1", "--json", log=True)
        msgs = json.loads(r.out)["messages"]
        t.eq(sorted(m["provider"] for m in msgs
                    if m["role"] == "assistant" and m["parent_id"] == 3),
             ["fl", "fo"], "both models answered the new version")
        t.eq([m["parent_id"] for m in msgs if m["role"] == "user"],
             [None, None], "the new version is a sibling")


@t.case
def spent_budget_needs_the_prompt_sent_twice():
    with tuilib.Tui(120, 30, extra_config=PRICES) as ui:
        with_top(ui, "budget_day = 0.003\n")
        ui.start("-m", "fo:tokens-10")
        ui.type("hi")
        ui.keys("Enter")
        # Nothing stored yet: 1000 output tokens are assumed.
        ui.wait_for("this answer could cross the day budget: $0.0000 of "
                    "$0.0030 spent today, and it may cost $0.1001 (an "
                    "estimate)")
        ui.wait_for("today $0.0022/$0.0030 · conv $0.0022")
        ui.type("hi")
        ui.keys("Enter")
        ui.wait_for("today $0.0044/$0.0030 · conv $0.0044")
        ui.type("again")
        ui.keys("Enter")
        s = ui.wait_for("the day budget is spent: $0.0044 of $0.0030 "
                        "today; not sent: send it again to go over the "
                        "budget")
        t.check("❯ again" in s, "the draft stays: %s" % s)
        ui.keys("Enter")
        ui.wait_for("$0.0030 today; sent anyway")
        ui.wait_for("today $0.0066/$0.0030")


@t.case
def no_log_chat_is_checked_and_counted_against_the_day_budget():
    with tuilib.Tui(120, 30, extra_config=PRICES) as ui:
        with_top(ui, "budget_day = 0.003\n")
        r = ui.world.tolk("-p", "hi", "-m", "fo:tokens-10", log=True)
        t.eq(r.rc, 0, "a stored answer: %r" % r)
        ui.start("-m", "fo:tokens-10", "--no-log")
        ui.type("secret")
        ui.keys("Enter")
        ui.wait_for("today $0.0044/$0.0030 · conv $0.0000")
        ui.type("again")
        ui.keys("Enter")
        ui.wait_for("the day budget is spent: $0.0044 of $0.0030 "
                    "today; not sent: send it again to go over the "
                    "budget")
        r = ui.world.tolk("log", "--json", log=True)
        t.eq(len(json.loads(r.out)), 1, "only the stored conversation")
        r = ui.world.tolk("search", "secret", log=True)
        t.eq(r.out, b"", "no text of the --no-log turn")


if not tuilib.HAVE_TMUX:
    print("1..0 # SKIP tmux is not installed")
    sys.exit(0)
sys.exit(t.run())
