#!/usr/bin/env python3
"""Wire tests: spend limits (budget_day, budget_conversation, top level and
per provider) in print mode, with prices set in the test config so that the
fake server's usage (12 input tokens, N output tokens for tokens-N)
crosses them; tolk usage --today.  TAP."""

import json
import os
import sqlite3
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

    def db(w):
        return os.path.join(w.dir, "data", "tolk", "history.db")

    def rows(w, sql):
        c = sqlite3.connect(db(w))
        try:
            return c.execute(sql).fetchall()
        finally:
            c.close()

    @t.case
    def no_log_answers_are_checked_and_counted_without_their_text():
        with world("budget_day = 0.1\n") as w:
            r = tolk(w, "-p", "hi", "-m", "fo:tokens-10", "--max-tokens",
                     "1")
            t.eq((r.rc, r.err), (0, b""), "a stored answer")
            before = rows(w, "SELECT id, content FROM messages ORDER BY id")
            # A script asking in a loop is stopped once the day is spent.
            for i in range(2):
                r = tolk(w, "-p", "secret question", "-m", "fo:tokens-600",
                         "--max-tokens", "10", "--no-log")
                t.eq((r.rc, r.err), (0, b""), "--no-log answer %d" % (i + 1))
                t.check(r.out.startswith(b"lorem ipsum"), "stdout %r"
                        % r.out[:40])
            w.reset()
            r = tolk(w, "-p", "secret question", "-m", "fo:tokens-600",
                     "--max-tokens", "10", "--no-log")
            t.eq(r.err.decode(), "tolk: the day budget is spent: $0.1246 "
                 "of $0.1000 today; not sent (--over-budget sends "
                 "anyway)\n", "the third is refused")
            t.eq((r.rc, r.out), (2, b""), "exit and stdout")
            t.eq(posts(w), [], "nothing was sent")
            t.eq(rows(w, "SELECT id, content FROM messages ORDER BY id"),
                 before, "no prompt and no answer stored")
            t.eq(rows(w, "SELECT provider, model, input_tokens,"
                      " output_tokens, round(cost, 4) FROM spend"),
                 [("fo", "tokens-600", 12, 600, 0.0612)] * 2,
                 "their cost, model and tokens are kept")
            names = [c[1] for c in rows(w, "PRAGMA table_info(spend)")]
            t.check("content" not in names and "prompt" not in names,
                    "the spend table has no room for text: %r" % names)
            r = tolk(w, "usage", "--today", "--json")
            t.eq(r.rc, 0, "usage: %r" % r)
            b = json.loads(r.out)["budget"]
            t.eq(b["today"], 0.1246, "usage --today counts them")
            r = tolk(w, "usage", "--json")
            t.eq(r.rc, 0, "usage: %r" % r)
            total = json.loads(r.out)["total"]
            t.eq((total["messages"], total["output"], total["cost"]),
                 (3, 1210, 0.1246), "tolk usage counts the three answers")

    @t.case
    def no_log_never_creates_the_history():
        with world("budget_day = 0.1\n") as w:
            r = tolk(w, "-p", "hi", "-m", "fo:tokens-10", "--no-log")
            t.eq(r.rc, 0, "exit: %r" % r)
            t.check(b"--no-log never creates the history" in r.err,
                    "says the run is not counted: %r" % r.err)
            t.check(not os.path.exists(db(w)), "no database")
        with world("") as w:
            r = tolk(w, "-p", "hi", "-m", "fo:tokens-10", "--no-log")
            t.eq((r.rc, r.err), (0, b""), "without a budget: silent")
            t.check(not os.path.exists(db(w)), "no database")

    @t.case
    def no_log_without_a_budget_keeps_no_cost():
        with world("") as w:
            r = tolk(w, "-p", "hi", "-m", "fo:tokens-10")
            t.eq(r.rc, 0, "a stored answer")
            r = tolk(w, "-p", "hi", "-m", "fo:tokens-10", "--no-log")
            t.eq((r.rc, r.err), (0, b""), "--no-log")
            t.eq(rows(w, "SELECT count(*) FROM spend"), [(0,)],
                 "nothing kept of it")
            t.eq(rows(w, "SELECT count(*) FROM messages"), [(2,)],
                 "only the stored turn")

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
