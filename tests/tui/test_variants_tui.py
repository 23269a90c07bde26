#!/usr/bin/env python3
"""TUI tests of prompt variants and spend limits: the spend against the
budgets on the status line, the warning and the explicit yes (sending a
prompt again) past a spent budget.  The real tolk in tmux against the
fake server (tests/fakeapi.py).  TAP output."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tuilib  # noqa: E402

t = tuilib.Tap()

# 100 USD per million tokens: tokens-10 costs (12 + 10) * 100 / 1e6.
PRICES = ("[price fo:tokens-10]\ninput = 100\noutput = 100\n")


def with_top(ui, top):
    """Top-level config keys come before the first section."""
    with open(ui.world.config) as f:
        text = f.read()
    with open(ui.world.config, "w") as f:
        f.write(top + text)


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


if not tuilib.HAVE_TMUX:
    print("1..0 # SKIP tmux is not installed")
    sys.exit(0)
sys.exit(t.run())
