#!/usr/bin/env python3
"""Wire tests: tolk -p --compare and --samples (several answers at once,
printed whole under a header in the order given, or as JSON lines) and
tolk compare (stored answers in columns), against the fake server (TAP)."""

import json
import os
import re
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wirelib  # noqa: E402
from wirelib import NORMAL  # noqa: E402

PROMPT = "Compare this."
CUT = "Hello, I am a fake model and this short"
EXTRA = ("[price fo:normal]\n"
         "input = 1.0\n"
         "output = 2.0\n")


def main():
    t = wirelib.Tap()
    w = wirelib.World(extra_config=EXTRA)

    def chat_requests():
        return [q for q in w.requests() if q["json"] is not None]

    def usage_error(r, what):
        t.check(r.err.startswith(b"tolk: "), "%s: stderr %r" % (what, r.err))
        t.eq(r.out, b"", "%s: stdout" % what)
        t.eq(r.rc, 2, "%s: exit status" % what)

    @t.case
    def two_models_stream_at_once_and_print_in_the_order_given():
        w.reset()
        r = w.tolk("-p", PROMPT, "--compare", "fo:slow,fa:normal")
        t.eq(r.out.decode(), "== fo:slow ==\n" + NORMAL + "\n\n"
             "== fa:normal ==\n" + NORMAL + "\n", "stdout")
        t.eq(r.err, b"", "stderr")
        t.eq(r.rc, 0, "exit status")
        reqs = chat_requests()
        t.eq(sorted(q["path"] for q in reqs),
             ["/v1/chat/completions", "/v1/messages"], "paths")
        times = [q["time"] for q in reqs]
        t.check(max(times) - min(times) < 0.5, "requests not sent at once: "
                "%r" % times)

    @t.case
    def two_slow_models_take_the_time_of_one():
        w.reset()
        r = w.tolk("-p", PROMPT, "--compare", "fo:slow,fl:slow")
        t.eq(r.rc, 0, "exit status")
        # One slow answer takes 20 x 50 ms: asked one after the other,
        # the second request would come a second after the first. The
        # gap between the requests, not the run's time, which a loaded
        # machine stretches (it failed at load 20).
        at = [q["time"] for q in chat_requests()]
        t.eq(len(at), 2, "requests")
        t.check(abs(at[1] - at[0]) < 0.8, "requests %.2f s apart; took "
                "%.2f s" % (abs(at[1] - at[0]), r.elapsed))

    @t.case
    def four_models_one_failing_one_cut_the_others_go_on():
        w.reset()
        r = w.tolk("-p", PROMPT, "--compare",
                   "fo:slow,fl:error500,fa:normal,fg:cut")
        t.eq(r.out.decode(),
             "== fo:slow ==\n" + NORMAL + "\n\n"
             "== fl:error500 ==\n"
             "[error] fl: HTTP 500: llama runner process has terminated: "
             "exit status 2\n\n"
             "== fa:normal ==\n" + NORMAL + "\n\n"
             "== fg:cut ==\n" + CUT + "\n"
             "[cut] fg: stream cut before its end\n", "stdout")
        err = r.err.decode().splitlines()
        t.check("tolk: fl: HTTP 500: llama runner process has terminated: "
                "exit status 2" in err, "stderr: %r" % err)
        t.check("tolk: fg: stream cut before its end" in err,
                "stderr: %r" % err)
        t.eq(r.rc, 1, "exit status")

    @t.case
    def json_prints_one_object_per_answer_in_order():
        w.reset()
        r = w.tolk("-p", PROMPT, "--compare", "fo:normal,fa:slow,fl:cut",
                   "--json")
        t.eq(r.rc, 1, "exit status")
        lines = r.out.decode().splitlines()
        t.eq(len(lines), 3, "lines: %r" % lines)
        objs = [json.loads(x) for x in lines]
        for o in objs:
            t.eq(sorted(o), sorted(["model", "text", "status", "error",
                                    "usage", "ttft_ms", "duration_ms",
                                    "cost", "lang"]), "keys")
            t.check(o["lang"] is None or isinstance(o["lang"], str),
                    "lang: %r" % o["lang"])
            t.check(isinstance(o["duration_ms"], int), "duration_ms")
        t.eq([o["model"] for o in objs], ["fo:normal", "fa:slow", "fl:cut"],
             "models")
        t.eq([o["status"] for o in objs], ["complete", "complete", "cut"],
             "status")
        t.eq([o["text"] for o in objs], [NORMAL, NORMAL, CUT], "texts")
        t.eq(objs[0]["usage"], {"input": 12, "output": 20, "cached": 0,
                                "reasoning": 0}, "openai usage")
        t.eq(objs[1]["usage"]["input"], 12, "anthropic input")
        t.eq(objs[1]["usage"]["output"], 20, "anthropic output")
        t.eq(objs[0]["error"], None, "no error")
        t.eq(objs[2]["error"], "fl: stream cut before its end", "error")
        t.check(abs(objs[0]["cost"] - (12 * 1.0 + 20 * 2.0) / 1e6) < 1e-12,
                "cost %r" % objs[0]["cost"])
        t.eq(objs[1]["cost"], None, "unknown price: no cost")
        t.check(objs[1]["duration_ms"] >= 900, "slow duration %r"
                % objs[1]["duration_ms"])
        t.check(0 <= objs[1]["ttft_ms"] < objs[1]["duration_ms"], "ttft")

    @t.case
    def json_with_one_model_prints_one_object():
        r = w.tolk("-p", PROMPT, "-m", "fo:normal", "--json")
        t.eq(r.rc, 0, "exit status")
        o = json.loads(r.out.decode())
        t.eq((o["model"], o["text"], o["status"]),
             ("fo:normal", NORMAL, "complete"), "answer")

    @t.case
    def samples_ask_one_model_k_times():
        w.reset()
        r = w.tolk("-p", PROMPT, "-m", "fa:normal", "--samples", "3")
        t.eq(r.out.decode(), "".join(
            "%s== fa:normal #%d ==\n%s\n" % ("\n" if i > 1 else "", i,
                                             NORMAL) for i in (1, 2, 3)),
             "stdout")
        t.eq(r.rc, 0, "exit status")
        t.eq(len(chat_requests()), 3, "requests")

    @t.case
    def answers_are_stored_as_siblings_with_their_metrics():
        r = w.tolk("-p", PROMPT, "--compare", "fo:normal,fa:slow,fl:cut",
                   log=True)
        t.eq(r.rc, 1, "exit status")
        conv = json.loads(w.tolk("log", "--json", log=True).out)[0]
        shown = json.loads(w.tolk("show", str(conv["id"]), "--json",
                                  log=True).out)
        msgs = [m for m in shown["messages"] if m["role"] != "system"]
        users = [m for m in msgs if m["role"] == "user"]
        answers = [m for m in msgs if m["role"] == "assistant"]
        t.eq(len(users), 1, "one prompt")
        t.eq(len(answers), 3, "three answers")
        t.eq({m["parent_id"] for m in answers}, {users[0]["id"]},
             "siblings of the prompt")
        by = {m["model"]: m for m in answers}
        t.eq(sorted(by), ["cut", "normal", "slow"], "models")
        t.eq(by["normal"]["status"], "complete", "status")
        t.eq(by["cut"]["status"], "cut", "status of the cut one")
        t.eq(by["normal"]["usage"]["output"], 20, "output tokens")
        t.eq(by["slow"]["usage"]["input"], 12, "input tokens")
        t.check(by["slow"]["duration_ms"] >= 900, "duration")
        t.check(by["normal"]["ttft_ms"] is not None, "ttft")
        t.check(abs(by["normal"]["cost"] - 52e-6) < 1e-12, "cost")

    @t.case
    def bad_compare_and_samples_options_exit_2():
        usage_error(w.tolk("-p", PROMPT, "--compare", "fo:normal"), "one")
        usage_error(w.tolk("-p", PROMPT, "--compare",
                           "fo:a,fo:b,fo:c,fo:d,fo:e"), "five")
        usage_error(w.tolk("-p", PROMPT, "--compare", "fo:a,,fo:b"),
                    "empty")
        usage_error(w.tolk("-p", PROMPT, "-m", "fo:a", "--samples", "5"),
                    "samples 5")
        usage_error(w.tolk("-p", PROMPT, "-m", "fo:a", "--samples", "1"),
                    "samples 1")
        usage_error(w.tolk("-p", PROMPT, "-m", "fo:a", "--compare",
                           "fo:a,fo:b"), "-m and --compare")
        usage_error(w.tolk("--json", "--compare", "fo:a,fo:b"),
                    "--json without -p")
        r = w.tolk("-p", PROMPT, "--compare", "fo:normal,nope:normal")
        t.eq(r.err, b"tolk: unknown provider 'nope'\n", "stderr")
        t.eq(r.rc, 2, "exit status")

    def stored_answers(*models):
        """Ask models at once (stored) and give the answers' ids."""
        w.tolk("-p", PROMPT, "--compare", ",".join(models), log=True)
        conv = json.loads(w.tolk("log", "--json", log=True).out)[0]
        shown = json.loads(w.tolk("show", str(conv["id"]), "--json",
                                  log=True).out)
        by = {m["model"]: m["id"] for m in shown["messages"]
              if m["role"] == "assistant"}
        return [by[m.split(":", 1)[1]] for m in models]

    def width(s):
        """Display width as terminals draw it: a ZWJ sequence takes the
        width of its first emoji, skin tones and marks add nothing."""
        w, skip = 0, False
        for ch in s:
            if skip:
                skip = False
                continue
            if ch == "\u200d":
                skip = True
                continue
            if (unicodedata.combining(ch) or ch == "\ufe0f" or
                    0x1F3FB <= ord(ch) <= 0x1F3FF):
                continue
            w += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        return w

    @t.case
    def compare_prints_stored_answers_in_columns_at_the_width():
        a, b = stored_answers("fo:normal", "fl:cut")
        r = w.tolk("compare", str(a), str(b), "--width", "60", log=True)
        t.eq(r.rc, 0, "exit status")
        t.eq(r.err, b"", "stderr")
        got = r.out.decode().splitlines()
        want = [
            "fo:normal #%d" % a, "fl:cut #%d (cut)" % b,
            "in 12 · out 20", "in ? · out ?",
            None, None,
            "$0.000052 · en", "$? · en",
            "─" * 28, "─" * 28,
            "Hello, I am a fake model and", "Hello, I am a fake model and",
            "this short answer is always", "this short",
            "the same, word for word.", "[cut] fl: stream cut before",
            "", "its end",
        ]
        t.eq(len(got), len(want) // 2, "rows: %r" % got)
        for i, line in enumerate(got):
            left, sep, right = line.partition(" │ ")
            t.check(sep, "row %d has a separator: %r" % (i, line))
            t.eq(len(left), 28, "row %d: left column padded" % i)
            if want[2 * i] is None:
                t.match(r"ttft \d+ ms · \d+\.\d\d s", left.rstrip(),
                        "times")
                t.match(r"ttft \d+ ms · \d+\.\d\d s", right, "times")
                continue
            t.eq(left.rstrip(), want[2 * i], "row %d left" % i)
            t.eq(right, want[2 * i + 1], "row %d right" % i)

    @t.case
    def compare_columns_line_up_by_display_width_in_every_script():
        a, b, c = stored_answers("fo:multilingual", "fa:normal",
                                 "fg:multilingual+2")
        r = w.tolk("compare", str(a), str(b), str(c), "--width", "72",
                   log=True)
        t.eq(r.rc, 0, "exit status")
        rows = r.out.decode().splitlines()
        text = r.out.decode()
        for word in ("Zażółć", "Καλημέρα", "Привіт", "안녕하세요"):
            t.check(word in text, "%r in the output:\n%s" % (word, text))
        colw = (72 - 2 * 3) // 3
        for row in rows:
            parts = row.split(" │ ")
            t.eq(len(parts), 3, "three columns: %r" % row)
            for p in parts[:2]:
                t.eq(width(p), colw, "column width in %r" % row)
            t.check(width(parts[2]) <= colw, "last column fits: %r" % row)

    @t.case
    def compare_json_gives_the_stored_metrics():
        a, b = stored_answers("fo:normal", "fa:slow")
        r = w.tolk("compare", str(a), str(b), "--json", log=True)
        t.eq(r.rc, 0, "exit status")
        objs = [json.loads(x) for x in r.out.decode().splitlines()]
        t.eq([o["id"] for o in objs], [a, b], "ids")
        t.eq([o["model"] for o in objs], ["fo:normal", "fa:slow"],
             "models")
        t.eq(objs[0]["parent_id"], objs[1]["parent_id"], "siblings")
        t.eq([o["text"] for o in objs], [NORMAL, NORMAL], "texts")
        t.eq(objs[0]["usage"], {"input": 12, "output": 20, "cached": 0,
                                "reasoning": 0}, "usage")
        t.check(abs(objs[0]["cost"] - 52e-6) < 1e-12, "cost")
        t.check(objs[1]["duration_ms"] >= 900, "duration")

    @t.case
    def compare_of_a_missing_message_fails_naming_it():
        r = w.tolk("compare", "1", "99999", log=True)
        t.eq(r.err, b"tolk: no message 99999\n", "stderr")
        t.eq(r.out, b"", "stdout")
        t.eq(r.rc, 1, "exit status")

    @t.case
    def compare_needs_two_ids():
        r = w.tolk("compare", "1", log=True)
        t.check(r.err.startswith(b"tolk: compare: "), "stderr %r" % r.err)
        t.eq(r.rc, 2, "exit status")
        r = w.tolk("compare", "1", "x", log=True)
        t.eq(r.rc, 2, "exit status for 'x'")

    with w:
        return t.run()


if __name__ == "__main__":
    sys.exit(main())
