#!/usr/bin/env python3
"""Wire tests: the command line of tolk -p (prompt sources, model choice,
keys, usage errors, connection failures), against the fake server (TAP)."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wirelib  # noqa: E402
from wirelib import NORMAL  # noqa: E402

PROMPT = "Say something short."

EXTRA = ("[provider fx]\n"
         "api = openai\n"
         "base_url = http://127.0.0.1:1/v1\n"
         "key_env = FAKE_KEY\n"
         "[provider fk]\n"
         "api = openai\n"
         "base_url = BASE/v1\n"
         "key_cmd = printf test-key\n")


def main():
    t = wirelib.Tap()
    w = wirelib.World()

    def user_messages():
        reqs = w.requests()
        t.eq(len(reqs), 1, "requests received")
        msgs = reqs[0]["json"]["messages"]
        return [m["content"] for m in msgs if m["role"] == "user"]

    def usage_error(r, what):
        err = r.err.decode("utf-8", "replace")
        t.check(err.startswith("tolk: "), "%s: stderr does not start with "
                "'tolk: ': %r" % (what, err))
        t.check(re.search(r"^usage: ", err, re.M),
                "%s: no 'usage: ' hint in %r" % (what, err))
        t.eq(r.out, b"", "stdout")
        t.eq(r.rc, 2, "exit status")

    @t.case
    def no_stdin_sends_the_prompt_alone():
        w.reset()
        r = w.tolk("-p", PROMPT, "-m", "fo:normal")
        t.eq(r.rc, 0, "exit status")
        t.eq(user_messages(), [PROMPT], "user messages")

    @t.case
    def empty_stdin_sends_the_prompt_alone():
        w.reset()
        r = w.tolk("-p", PROMPT, "-m", "fo:normal", stdin=b"")
        t.eq(r.rc, 0, "exit status")
        t.eq(user_messages(), [PROMPT], "user messages")

    @t.case
    def stdin_text_goes_before_the_prompt():
        w.reset()
        ctx = "Context from stdin: Größe, Łódź, 👋.\nSecond line."
        r = w.tolk("-p", PROMPT, "-m", "fo:normal", stdin=ctx.encode())
        t.eq(r.out, (NORMAL + "\n").encode(), "stdout")
        t.eq(r.rc, 0, "exit status")
        users = user_messages()
        t.eq(len(users), 1, "one user message")
        c = users[0]
        t.check(c.startswith(ctx), "message does not start with the "
                "stdin text: %r" % c)
        t.check(c.endswith(PROMPT), "message does not end with the "
                "prompt: %r" % c)

    @t.case
    def file_option_adds_the_file_before_the_prompt():
        w.reset()
        path = os.path.join(w.dir, "notes.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write("File body: Čestitke, 你好.\n")
        r = w.tolk("-p", PROMPT, "-m", "fo:normal", "-f", path)
        t.eq(r.rc, 0, "exit status")
        c = user_messages()[-1]
        t.check("File %s:\nFile body: Čestitke, 你好.\n" % path in c,
                "file text under a 'File PATH:' line missing from %r" % c)
        t.check(c.endswith(PROMPT), "message does not end with the "
                "prompt: %r" % c)

    @t.case
    def missing_file_is_an_error_naming_it():
        w.reset()
        r = w.tolk("-p", PROMPT, "-m", "fo:normal", "-f",
                   "/nonexistent/nope.txt")
        t.check(r.err.startswith(b"tolk: ") and b"/nonexistent/nope.txt"
                in r.err, "stderr: %r" % r.err)
        t.eq(r.rc, 2, "exit status")
        t.eq(w.requests(), [], "requests")

    @t.case
    def tolk_model_variable_chooses_the_model():
        w.reset()
        r = w.tolk("-p", PROMPT, env={"TOLK_MODEL": "fa:normal"})
        t.eq(r.out, (NORMAL + "\n").encode(), "stdout")
        t.eq(r.rc, 0, "exit status")
        reqs = w.requests()
        t.eq([q["path"] for q in reqs], ["/v1/messages"], "paths")
        t.eq(reqs[0]["json"]["model"], "normal", "model")

    @t.case
    def config_default_model_is_used_without_m():
        w.write_config(extra="")
        with open(w.config) as f:
            text = f.read()
        with open(w.config, "w") as f:
            f.write("model = fl:normal\n" + text)
        try:
            w.reset()
            r = w.tolk("-p", PROMPT)
        finally:
            w.write_config()
        t.eq(r.out, (NORMAL + "\n").encode(), "stdout")
        t.eq(r.rc, 0, "exit status")
        t.eq([q["path"] for q in w.requests()], ["/api/chat"], "paths")

    @t.case
    def no_key_and_no_ollama_answers_from_the_demo_server():
        empty = os.path.join(w.dir, "empty.conf")
        with open(empty, "w"):
            pass
        r = w.tolk("-p", "Dober dan", env={"TOLK_CONFIG": empty,
                                           "OLLAMA_HOST": "127.0.0.1:1"})
        t.eq(r.err.decode("utf-8", "replace"),
             "tolk: no API key is set and no Ollama answers: this answer "
             "comes from the built-in demo server (tolk models shows how "
             "to set a key)\n", "stderr")
        t.check(b"demo server" in r.out and b"Dober dan" in r.out,
                "the demo's answer quotes the prompt: %r" % r.out[:200])
        t.eq(r.rc, 0, "exit status")

    @t.case
    def demo_answer_in_english_shows_no_language_warning():
        # The demo's list shows one phrase per language; each list item
        # is a paragraph of its own and too short to count as a switch.
        r = w.tolk("--demo", "-p", "Explain TCP in two short sentences, "
                   "please, for a new colleague")
        t.check(b"Ellinik" in r.out or "Ελληνικά".encode() in r.out,
                "the demo's answer lists the languages: %r" % r.out[:200])
        t.eq(r.err, b"", "stderr")
        t.eq(r.rc, 0, "exit status")

    @t.case
    def help_lists_every_command():
        # The commands main.c dispatches, read from its table.
        src = open(os.path.join(wirelib.SRCDIR, "tui", "main.c"),
                   encoding="utf-8").read()
        names = re.findall(r'\{ "([a-z]+)", cmd_[a-z_]+ \}', src)
        t.check(len(names) >= 13, "commands found in main.c: %r" % names)
        r = w.tolk("--help")
        t.eq(r.rc, 0, "exit status")
        out = r.out.decode()
        missing = [n for n in names
                   if not re.search(r"(tolk|\|) %s\b" % n, out)]
        t.eq(missing, [], "commands missing from --help")

    @t.case
    def key_cmd_output_is_the_key():
        w.reset()
        r = w.tolk("-p", PROMPT, "-m", "fk:normal", env={"FAKE_KEY": None})
        t.eq(r.out, (NORMAL + "\n").encode(), "stdout")
        t.eq(r.rc, 0, "exit status")
        t.eq(w.requests()[0]["headers"].get("authorization"),
             "Bearer test-key", "authorization header")

    @t.case
    def unknown_provider_exits_2():
        w.reset()
        r = w.tolk("-p", PROMPT, "-m", "nope:normal")
        t.eq(r.err, b"tolk: unknown provider 'nope'\n", "stderr")
        t.eq(r.out, b"", "stdout")
        t.eq(r.rc, 2, "exit status")
        t.eq(w.requests(), [], "requests")

    @t.case
    def unknown_option_exits_2_with_a_usage_hint():
        usage_error(w.tolk("-p", PROMPT, "-m", "fo:normal", "--bogus"),
                    "--bogus")

    @t.case
    def p_without_a_prompt_exits_2_with_a_usage_hint():
        # log=True: no --no-log after -p, which would be taken as the prompt
        usage_error(w.tolk("-p", log=True), "-p")

    @t.case
    def bad_temperature_exits_2():
        r = w.tolk("-p", PROMPT, "-m", "fo:normal", "-t", "warm")
        t.check(r.err.startswith(b"tolk: "), "stderr: %r" % r.err)
        t.eq(r.rc, 2, "exit status")

    @t.case
    def bad_max_tokens_exits_2():
        r = w.tolk("-p", PROMPT, "-m", "fo:normal", "--max-tokens", "-5")
        t.check(r.err.startswith(b"tolk: "), "stderr: %r" % r.err)
        t.eq(r.rc, 2, "exit status")

    @t.case
    def refused_connection_is_cannot_connect():
        r = w.tolk("-p", PROMPT, "-m", "fx:normal")
        err = r.err.decode("utf-8", "replace").splitlines()
        t.check(err, "no stderr")
        t.match(r"tolk: fx: cannot connect: .+", err[-1], "last line")
        for line in err[:-1]:
            t.match(r"tolk: fx: cannot connect: .+; retrying in \d+\.\d s",
                    line, "retry line")
        t.check(len(err) <= 3, "more than 2 retries: %r" % err)
        t.eq(r.out, b"", "stdout")
        t.eq(r.rc, 1, "exit status")

    @t.case
    def answer_already_ending_in_newline_gets_no_second_one():
        w.reset()
        r = w.tolk("-p", PROMPT, "-m", "fo:multilingual")
        t.check(r.out.endswith(b"\n") and not r.out.endswith(b"\n\n"),
                "stdout ends %r" % r.out[-10:])
        t.eq(r.rc, 0, "exit status")

    with w:
        w.extra_config = EXTRA.replace("BASE", w.base)
        w.write_config()
        return t.run()


if __name__ == "__main__":
    sys.exit(main())
