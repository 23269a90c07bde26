#!/usr/bin/env python3
"""Wire tests: prompt variants from the command line.  tolk -p
--branch-from MSG-ID makes a sibling of a stored prompt (same parent) sent
with the path up to that parent; tolk compare --prompts prints prompts and
their answers in columns with the deltas to the first, or JSON lines.
Against the fake server's echo scenario, whose answer names the number of
messages sent and the last prompt.  TAP."""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wirelib  # noqa: E402

# 1 USD per million tokens in, 2 out.
EXTRA = "[price fo:echo]\ninput = 1.0\noutput = 2.0\n"


def main():
    t = wirelib.Tap()
    w = wirelib.World(extra_config=EXTRA)

    def tolk(*args, **kw):
        kw.setdefault("log", True)
        return w.tolk(*args, **kw)

    def ok(r, what):
        t.check(r.rc == 0, "%s: exit %d, stderr %r" % (what, r.rc, r.err))
        return r

    def messages(conv):
        r = ok(tolk("show", str(conv), "--json"), "show")
        return {m["id"]: m for m in json.loads(r.out)["messages"]
                if m["role"] != "system"}

    def usage_error(r, err, what):
        t.eq((r.rc, r.out, r.err.decode()), (2, b"", "tolk: " + err + "\n"),
             what)

    @t.case
    def branch_from_makes_a_sibling_sent_with_the_path_to_its_parent():
        ok(tolk("-p", "Name a colour", "-m", "fo:echo"), "first")
        ok(tolk("-p", "What next?", "-m", "fo:echo", "--conversation", "1"),
           "second")
        w.reset()
        r = ok(tolk("-p", "What then?", "-m", "fo:echo", "--conversation",
                    "1", "--branch-from", "3"), "branch")
        t.eq(r.out, b"3 messages; last user message: What then?\n",
             "the answer saw the path up to the parent")
        m = messages(1)
        t.eq(sorted(m), [1, 2, 3, 4, 5, 6], "ids")
        t.eq((m[5]["role"], m[5]["content"], m[5]["parent_id"]),
             ("user", "What then?", m[3]["parent_id"]), "the new prompt")
        t.eq((m[6]["parent_id"], m[6]["content"]),
             (5, "3 messages; last user message: What then?"), "its answer")
        t.eq(m[3]["content"], "What next?", "the old branch stays")
        # The branch is the conversation's newest leaf: -c continues it.
        r = ok(tolk("-p", "And?", "-m", "fo:echo", "-c"), "continue")
        t.eq(r.out, b"5 messages; last user message: And?\n", "continued")
        sent = [q["json"]["messages"] for q in w.requests()
                if q["json"] is not None]
        t.eq([x["content"] for x in sent[0]],
             ["Name a colour", "1 messages; last user message: Name a "
              "colour", "What then?"], "what the branch sent")

    @t.case
    def branch_from_the_first_prompt_is_a_new_root():
        r = ok(tolk("-p", "Name a warm colour, in one word", "-m", "fo:echo",
                    "--branch-from", "1"), "branch")
        t.eq(r.out, b"1 messages; last user message: Name a warm colour, "
             b"in one word\n", "nothing before it is sent")
        m = messages(1)
        t.eq((m[9]["parent_id"], m[9]["content"]),
             (None, "Name a warm colour, in one word"), "a root")

    @t.case
    def bad_branch_from_exits_2_naming_the_message():
        usage_error(tolk("-p", "x", "-m", "fo:echo", "--branch-from", "2"),
                    "message 2 is not a prompt: branch from a user message",
                    "an answer")
        usage_error(tolk("-p", "x", "-m", "fo:echo", "--branch-from", "99"),
                    "no message 99", "missing")
        ok(tolk("-p", "Other", "-m", "fo:echo"), "another conversation")
        usage_error(tolk("-p", "x", "-m", "fo:echo", "--conversation", "2",
                         "--branch-from", "3"),
                    "message 3 is not in conversation 2", "elsewhere")
        r = tolk("-p", "x", "--branch-from", "3", "--no-log")
        t.eq(r.rc, 2, "--no-log")
        t.check(b"--branch-from needs the history" in r.err, "%r" % r.err)
        r = tolk("--branch-from", "3")
        t.eq(r.rc, 2, "without -p")

    @t.case
    def compare_prompts_prints_columns_with_the_deltas():
        r = ok(tolk("compare", "--prompts", "1", "9", "--width", "80"),
               "compare")
        got = r.out.decode().splitlines()
        want = [
            ("prompt #1", "prompt #9"),
            ("Name a colour", "Name a warm colour, in one word"),
            ("─" * 38, "─" * 38),
            ("fo:echo #2", "fo:echo #10"),
            ("in 12 · out 3", "in 12 · out 4"),
            None,
            ("$0.000018 · en", "$0.000020 · en"),
            ("base", "+1 tokens, +$0.0000"),
            ("─" * 38, "─" * 38),
            ("1 messages; last user message: Name a", "1 messages; last "
             "user message: Name a"),
            ("colour", "warm colour, in one word"),
        ]
        t.eq(len(got), len(want), "rows: %r" % got)
        for i, line in enumerate(got):
            left, sep, right = line.partition(" │ ")
            t.check(sep, "row %d has a separator: %r" % (i, line))
            if want[i] is None:
                t.match(r"ttft \d+ ms · \d+\.\d\d s *", left, "times")
                continue
            t.eq((left.rstrip(), right), want[i], "row %d" % i)

    @t.case
    def compare_prompts_json_gives_prompt_answer_and_delta():
        r = ok(tolk("compare", "--prompts", "3", "5", "--json"), "json")
        objs = [json.loads(x) for x in r.out.decode().splitlines()]
        t.eq([(o["prompt"]["id"], o["prompt"]["text"]) for o in objs],
             [(3, "What next?"), (5, "What then?")], "prompts")
        t.eq([o["answer"]["id"] for o in objs], [4, 6], "answers")
        t.eq(objs[0]["delta"], None, "the first is the base")
        t.eq(objs[1]["delta"]["tokens"], 0, "delta tokens")
        t.check(abs(objs[1]["delta"]["cost"]) < 1e-12, "delta cost")

    @t.case
    def compare_prompts_refuses_an_answer_id():
        r = tolk("compare", "--prompts", "1", "2")
        t.eq((r.rc, r.err), (1, b"tolk: message 2 is not a prompt "
                             b"(--prompts compares user messages)\n"),
             "an answer")

    with w:
        return t.run()


if __name__ == "__main__":
    sys.exit(main())
