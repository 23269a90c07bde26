#!/usr/bin/env python3
"""API keys never reach the disk or the screen (TAP).

A marker key is given to every provider (by variable, by key_cmd and
written in the config file); tolk then answers, fails (401, 500, an error
in the stream, a cut), runs with --debug, compares, and every subcommand
that reads the store runs. The server must have received the marker (so
the test is not empty), and no byte of it may appear in anything tolk
wrote: stdout, stderr, every file under the test's HOME, XDG folders and
the database with its -wal and -shm files. A config file holding a key
with a mode wider than 0600 gets a warning; at 0600 it gets none.
"""

import os
import secrets
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wirelib  # noqa: E402

MARKER = "sk-tolkmarker-" + secrets.token_hex(12)
ENV_KEY = MARKER + "-env"
CMD_KEY = MARKER + "-cmd"
FILE_KEY = MARKER + "-file"


def main():
    t = wirelib.Tap()
    w = wirelib.World()
    outputs = []

    def run(*args, **kw):
        env = {"FAKE_KEY": ENV_KEY}
        env.update(kw.pop("env", {}))
        r = w.tolk(*args, env=env, log=True, **kw)
        outputs.append((" ".join(args), r.out + r.err))
        return r

    def leaks():
        """Where the marker shows: outputs, then files tolk wrote."""
        found = []
        for what, b in outputs:
            if MARKER.encode() in b:
                found.append("output of tolk " + what)
        for d in ("home", "data", "state", "cache"):
            for root, _, files in os.walk(os.path.join(w.dir, d)):
                for f in files:
                    p = os.path.join(root, f)
                    with open(p, "rb") as fh:
                        if MARKER.encode() in fh.read():
                            found.append(p)
        return found

    with w:
        base = w.base
        extra = ("[provider fc]\napi = openai\nbase_url = %s/v1\n"
                 "key_cmd = printf %s\n"
                 "[provider ff]\napi = anthropic\nbase_url = %s\n"
                 "key = %s\n" % (base, CMD_KEY, base, FILE_KEY))
        w.write_config(w.extra_config + extra)
        os.chmod(w.config, 0o600)

        @t.case
        def answers_errors_debug_and_compare_with_a_marker_key():
            for m in ("fo:normal", "fa:normal", "fg:normal", "fc:normal",
                      "ff:normal", "fo:unauthorized", "fa:error500",
                      "fg:midstream-error", "fo:cut", "fc:garbage"):
                r = run("-p", "hello", "-m", m, "--debug")
                t.check(r.rc in (0, 1), "%s: exit %d" % (m, r.rc))
            run("-p", "hello", "--compare", "fo:normal,fa:normal,fg:normal")
            run("-p", "hello", "--compare", "fc:normal,ff:normal", "--json")
            seen = " ".join(str(q.get("headers")) + str(q.get("query"))
                            for q in w.requests())
            for k in (ENV_KEY, CMD_KEY, FILE_KEY):
                t.check(k in seen, "the server never got %s" % k)

        @t.case
        def subcommands_reading_the_store_show_no_key():
            ex = os.path.join(w.dir, "home", "export.jsonl")
            for args in (("log",), ("log", "--json"), ("show", "1"),
                         ("show", "1", "--json"), ("search", "hello"),
                         ("export", "--format", "jsonl", "-o", ex),
                         ("export", "--format", "md"), ("usage",),
                         ("models",)):
                r = run(*args)
                t.eq(r.rc, 0, "tolk %s: %r" % (" ".join(args), r.err))

        @t.case
        def no_byte_of_a_key_in_any_output_or_file():
            found = leaks()
            t.check(not found, "the key is in: %r" % found)
            print("# checked %d outputs and every file under %s"
                  % (len(outputs), w.dir))

        @t.case
        def a_key_in_a_config_others_can_read_gets_a_warning():
            os.chmod(w.config, 0o644)
            # (The fake server takes only its own key: the answer is a
            # 401, which is beside the point here.)
            r = run("-p", "hello", "-m", "ff:normal")
            t.match(r"tolk: '%s' holds an API key and other users may read "
                    r"it \(mode 0644\): chmod 600 '%s'" % (w.config,
                                                          w.config),
                    r.err.split(b"\n")[0], "first line of stderr")
            os.chmod(w.config, 0o600)
            r = run("-p", "hello", "-m", "ff:normal")
            t.check(b"holds an API key" not in r.err, "a warning at 0600")
            t.check(not leaks(), "the key is in an output")

        return t.run()


if __name__ == "__main__":
    sys.exit(main())
