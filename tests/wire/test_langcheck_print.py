#!/usr/bin/env python3
"""Wire tests: the language checks of print mode (tolk -p) against the
fake server's wronglang scenario.  A new conversation whose first prompt is
clearly Slovenian expects Slovenian: an answer in Croatian gets a warning
on stderr after it, stdout keeping the answer alone; continuing the
conversation, an answer that switches to English gets a drift warning.
The expected language is stored (show, log --json).  A prompt too short to
tell, or --no-log, or a conversation without one: no warning.  --expect
CODE|off sets the expected language of the prompt's conversation (new or
continued) or turns the checks off, as /lang does in the TUI; an unknown
code is a usage error.  TAP."""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wirelib  # noqa: E402
import fakeapi  # noqa: E402

MISMATCH = "tolk: ⚠ answer is in Croatian (hr), expected Slovenian (sl)\n"
DRIFT = "tolk: ⚠ switches to English (en) at paragraph 3\n"


def main():
    t = wirelib.Tap()
    w = wirelib.World()

    def tolk(*args, **kw):
        kw.setdefault("log", True)
        return w.tolk(*args, **kw)

    latest = w.latest_conversation

    @t.case
    def croatian_answer_to_slovenian_prompt_warns_on_stderr_only():
        r = tolk("-p", fakeapi.WRONGLANG_PROMPT, "-m", "fo:wronglang")
        t.eq(r.rc, 0, "exit: %r" % r)
        t.eq(r.out.decode(), fakeapi.WRONGLANG_HR, "stdout is the answer")
        t.eq(r.err.decode(), MISMATCH, "the warning on stderr")
        c = latest()
        t.eq((c["expected_lang"], c["expected_lang_source"]),
             ("sl", "prompt"), "log --json: from the first prompt")
        r = tolk("show", str(c["id"]))
        t.check(b"expected language: Slovenian (sl), from the first "
                b"prompt\n" in r.out, "show says it: %r" % r)
        r = tolk("show", str(c["id"]), "--json")
        t.eq(json.loads(r.out)["expected_lang"], "sl", "show --json")

    @t.case
    def continued_conversation_warns_of_the_switch_to_english():
        c = latest()
        r = tolk("-p", "Hvala! Kaj pa pozimi, kam naj grem smučat?",
                 "--conversation", str(c["id"]), "-m", "fo:wronglang")
        t.eq(r.rc, 0, "exit: %r" % r)
        t.eq(r.out.decode(), fakeapi.WRONGLANG_DRIFT, "stdout is the answer")
        t.eq(r.err.decode(), DRIFT, "the drift warning on stderr")

    @t.case
    def several_answers_name_the_answer_warned_about():
        r = tolk("-p", fakeapi.WRONGLANG_PROMPT, "--compare",
                 "fo:wronglang,fo:wronglang+2")
        t.eq(r.rc, 0, "exit: %r" % r)
        t.eq(r.err.decode(),
             "tolk: fo:wronglang: " + MISMATCH[len("tolk: "):] +
             "tolk: fo:wronglang+2: " + MISMATCH[len("tolk: "):],
             "one warning per answer, named")

    @t.case
    def unclear_prompt_sets_no_expected_language_and_no_warning():
        r = tolk("-p", "ok?", "-m", "fo:wronglang")
        t.eq(r.rc, 0, "exit: %r" % r)
        t.eq(r.err, b"", "no warning")
        c = latest()
        t.eq((c["expected_lang"], c["expected_lang_source"]), (None, None),
             "nothing expected")

    @t.case
    def english_answer_to_english_prompt_is_quiet():
        r = tolk("-p", "Please tell me, in a few sentences, where to "
                 "spend the summer in Slovenia.", "-m", "fo:normal")
        t.eq(r.rc, 0, "exit: %r" % r)
        t.eq(r.err, b"", "no warning")
        t.eq(latest()["expected_lang"], "en", "English expected")

    @t.case
    def no_log_still_checks_the_answer():
        r = w.tolk("-p", fakeapi.WRONGLANG_PROMPT, "-m", "fo:wronglang")
        t.eq(r.rc, 0, "exit: %r" % r)
        t.eq(r.err.decode(), MISMATCH, "the warning without a store")

    # --expect CODE|off: /lang of the TUI for print mode.

    ENGLISH = ("Please tell me, in a few sentences, where to spend the "
               "summer in Slovenia.")

    def english_expected(name, code):
        return "tolk: ⚠ answer is in English (en), expected %s (%s)\n" % (
            name, code)

    @t.case
    def expect_sets_the_language_of_a_new_conversation():
        r = tolk("-p", ENGLISH, "--expect", "SL", "-m", "fo:normal")
        t.eq(r.rc, 0, "exit: %r" % r)
        t.eq(r.out.decode(), wirelib.NORMAL + "\n", "stdout is the answer")
        t.eq(r.err.decode(), english_expected("Slovenian", "sl"),
             "checked against the language given, not the prompt's")
        c = latest()
        t.eq((c["expected_lang"], c["expected_lang_source"]),
             ("sl", "user"), "stored as set by the user")
        r = tolk("-p", ENGLISH, "-c", "-m", "fo:normal")
        t.eq(r.err.decode(), english_expected("Slovenian", "sl"),
             "kept for the next prompt of the conversation")

    @t.case
    def expect_changes_the_language_of_a_continued_conversation():
        r = tolk("-p", fakeapi.WRONGLANG_PROMPT, "-m", "fo:wronglang")
        t.eq(r.err.decode(), MISMATCH, "sl from the first prompt")
        c = latest()
        r = tolk("-p", ENGLISH, "--conversation", str(c["id"]), "--expect",
                 "hr", "-m", "fo:normal")
        t.eq(r.rc, 0, "exit: %r" % r)
        t.eq(r.err.decode(), english_expected("Croatian", "hr"), "warning")
        c = latest()
        t.eq((c["expected_lang"], c["expected_lang_source"]),
             ("hr", "user"), "the conversation now expects Croatian")

    @t.case
    def expect_off_turns_the_checks_off_for_the_conversation():
        r = tolk("-p", fakeapi.WRONGLANG_PROMPT, "--expect", "off", "-m",
                 "fo:wronglang")
        t.eq(r.rc, 0, "exit: %r" % r)
        t.eq(r.out.decode(), fakeapi.WRONGLANG_HR, "stdout is the answer")
        t.eq(r.err, b"", "no warning: the Slovenian prompt sets nothing")
        c = latest()
        t.eq((c["expected_lang"], c["expected_lang_source"]),
             (None, "off"), "off is stored")
        r = tolk("-p", ENGLISH, "--expect", "sl", "-c", "-m", "fo:normal")
        t.eq(r.err.decode(), english_expected("Slovenian", "sl"),
             "and back on")
        r = tolk("-p", ENGLISH, "--expect", "none", "-c", "-m", "fo:normal")
        t.eq(r.err, b"", "none is off too")
        t.eq(latest()["expected_lang_source"], "off", "stored")

    @t.case
    def expect_without_the_history_still_checks():
        r = w.tolk("-p", ENGLISH, "--expect", "de", "-m", "fo:normal")
        t.eq(r.rc, 0, "exit: %r" % r)
        t.eq(r.err.decode(), english_expected("German", "de"), "warning")

    @t.case
    def unknown_expect_code_is_a_usage_error_and_sends_nothing():
        w.reset()
        for arg in ("xx", "slovenian", ""):
            r = tolk("-p", ENGLISH, "--expect", arg, "-m", "fo:normal")
            t.eq(r.rc, 2, "exit for %r: %r" % (arg, r))
            t.eq(r.err.decode().splitlines()[0],
                 "tolk: --expect takes a language code that tolk lang "
                 "knows (sl, hr, en, ...) or off, not '%s'" % arg,
                 "one clear line")
        r = tolk("--expect", "sl")
        t.eq(r.rc, 2, "exit: %r" % r)
        t.check(r.err.startswith(b"tolk: --expect needs -p"), "needs -p: "
                "%r" % r.err)
        t.eq(w.requests(), [], "nothing was sent")

    with w:
        rc = t.run()
    return rc


if __name__ == "__main__":
    sys.exit(main())
