#!/usr/bin/env python3
"""Wire tests: spend limits (budget_day, budget_conversation, top level and
per provider) in print mode, with prices set in the test config so that the
fake server's usage (12 input tokens, N output tokens for tokens-N)
crosses them; tolk usage --today.  TAP."""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wirelib  # noqa: E402

# 100 USD per million tokens both ways: tokens-600 costs
# (12 + 600) * 100 / 1e6 = $0.0612.
PRICES = "".join("[price %s:tokens-%d]\ninput = 100\noutput = 100\n"
                 % (p, n) for p in ("fo", "fa") for n in (10, 600))


def main():
    t = wirelib.Tap()

    def tolk(w, *args, **kw):
        kw.setdefault("log", True)
        return w.tolk(*args, **kw)

    class world(wirelib.World):
        """A world whose config starts with the top-level lines top
        (top-level keys come before the first section)."""

        def __init__(self, top, extra=PRICES):
            super().__init__(extra_config=extra)
            self.top = top

        def write_config(self, extra=None):
            super().write_config(extra)
            with open(self.config) as f:
                text = f.read()
            with open(self.config, "w") as f:
                f.write(self.top + text)

    def posts(w):
        return [q for q in w.requests() if q["method"] == "POST"]

    @t.case
    def day_budget_refuses_once_spent_unless_over_budget():
        with world("budget_day = 0.1\n") as w:
            for i in range(2):
                r = tolk(w, "-p", "hi", "-m", "fo:tokens-600",
                         "--max-tokens", "10")
                t.eq((r.rc, r.err), (0, b""), "answer %d" % (i + 1))
            w.reset()
            r = tolk(w, "-p", "hi", "-m", "fo:tokens-600")
            t.eq(r.err.decode(), "tolk: the day budget is spent: $0.1224 "
                 "of $0.1000 today; not sent (--over-budget sends "
                 "anyway)\n", "stderr")
            t.eq((r.rc, r.out), (2, b""), "exit and stdout")
            t.eq(posts(w), [], "nothing was sent")
            r = tolk(w, "-p", "hi", "-m", "fo:tokens-600", "--over-budget")
            t.eq(r.err.decode(), "tolk: the day budget is spent: $0.1224 "
                 "of $0.1000 today; sending anyway (--over-budget)\n",
                 "stderr with --over-budget")
            t.eq(r.rc, 0, "exit with --over-budget")
            t.check(r.out.startswith(b"lorem ipsum"), "stdout %r" % r.out)
            r = tolk(w, "usage", "--today")
            t.eq(r.rc, 0, "usage exit: %r" % r)
            out = r.out.decode().splitlines()
            t.eq(out[-1], "today $0.1836/$0.1000 · conv $0.0612 "
                 "(conversation 3)", "usage --today budget line")
            t.check(out[-2].startswith("since "), "since line %r" % out)
            r = tolk(w, "usage", "--today", "--json")
            b = json.loads(r.out)["budget"]
            t.eq((b["today"], b["budget_day"], b["conversation"],
                  b["budget_conversation"], b["providers"]),
                 (0.1836, 0.1, 3, None, []), "usage --today --json")

    @t.case
    def answer_that_could_cross_warns_and_is_sent():
        with world("budget_conversation = 0.05\n") as w:
            # Nothing stored yet: the prompt's 1 token and 1000 output
            # tokens are estimated, $0.1001.
            r = tolk(w, "-p", "hi", "-m", "fo:tokens-10")
            t.eq(r.err.decode(), "tolk: this answer could cross the "
                 "conversation budget: $0.0000 of $0.0500 spent in this "
                 "conversation, and it may cost $0.1001 (an estimate)\n",
                 "stderr")
            t.eq(r.rc, 0, "exit")
            t.eq(len(posts(w)), 1, "sent")
            # The stored usage (12 in, 10 out) sizes the next request:
            # 22 + 1 in, 10 out: $0.0033, no warning.
            r = tolk(w, "-p", "hi", "-m", "fo:tokens-10", "--conversation",
                     "1")
            t.eq((r.rc, r.err), (0, b""), "continued")
            r = tolk(w, "-p", "hi", "-m", "fo:tokens-10", "--conversation",
                     "1", "--max-tokens", "500")
            t.eq(r.err.decode(), "tolk: this answer could cross the "
                 "conversation budget: $0.0044 of $0.0500 spent in this "
                 "conversation, and it may cost $0.0523 (an estimate)\n",
                 "max-tokens sizes the answer")

    @t.case
    def provider_budget_stops_that_provider_only():
        with wirelib.World(extra_config=PRICES + "[provider fo]\n"
                           "budget_day = 0.001\n") as w:
            r = tolk(w, "-p", "hi", "-m", "fo:tokens-10", "--max-tokens",
                     "1")
            t.eq((r.rc, r.err), (0, b""), "first answer")
            r = tolk(w, "-p", "hi", "-m", "fo:tokens-10")
            t.eq(r.err.decode(), "tolk: the day budget of fo is spent: "
                 "$0.0022 of $0.0010 today; not sent (--over-budget sends "
                 "anyway)\n", "stderr")
            t.eq(r.rc, 2, "exit")
            r = tolk(w, "-p", "hi", "-m", "fa:tokens-10", "--max-tokens",
                     "1")
            t.eq((r.rc, r.err), (0, b""), "another provider")
            r = tolk(w, "-p", "hi", "--compare", "fa:tokens-10,fo:tokens-10")
            t.eq(r.rc, 2, "compare with the spent provider")
            r = tolk(w, "usage", "--today")
            t.eq(r.out.decode().splitlines()[-2:],
                 ["today $0.0044 · conv $0.0022 (conversation 2)",
                  "fo: today $0.0022/$0.0010 · conv $0.0000"],
                 "usage --today")

    @t.case
    def bad_budget_value_names_the_line():
        with world("budget_day = ten\n") as w:
            r = w.tolk("-p", "hi", "-m", "fo:normal")
            t.eq(r.rc, 2, "exit")
            t.check(r.err.decode().endswith("config line 1: budget_day "
                    "must be an amount in USD, not 'ten'\n"),
                    "stderr %r" % r.err)

    return t.run()


if __name__ == "__main__":
    sys.exit(main())
