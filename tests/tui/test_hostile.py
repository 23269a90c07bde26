#!/usr/bin/env python3
"""Terminal safety and signals, in a real terminal (tmux).  TAP output.

The fake server's `hostile` scenario (tests/fakeapi.py, HOSTILE_ITEMS)
sends what could take over a terminal: OSC 52 clipboard writes, OSC 0/1/2
titles, a tmux window name, OSC 8 links, CSI clears, cursor moves and
report requests, DCS (with tmux passthrough), APC/PM/SOS, 8-bit C1
controls, bidi overrides, a letter with 100,000 combining marks and a
10,000-column line, each cut across two deltas.  It is shown in the TUI and
by `tolk -p` in a tmux pane that would obey (set-clipboard on, allow-rename
on, allow-passthrough on), and the pane title, window name, paste buffers,
modes and cursor must not change; the text between the markers is shown.

SIGTERM and SIGHUP to the TUI mid-answer must leave the terminal as it was
(normal screen, cursor shown, mouse and keypad modes off) and the partial
answer stored; many compare requests in a row must leave no file
descriptor behind.
"""

import os
import sqlite3
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tuilib  # noqa: E402
from tuilib import Failure  # noqa: E402
import fakeapi  # noqa: E402

t = tuilib.Tap()

MODES = ("#{alternate_on} #{cursor_flag} #{mouse_any_flag} "
         "#{mouse_button_flag} #{mouse_standard_flag} #{mouse_sgr_flag} "
         "#{keypad_cursor_flag} #{keypad_flag} #{origin_flag} "
         "#{insert_flag} #{wrap_flag}")


def obeying(ui):
    """Make the tmux server act on everything a program may ask."""
    ui.tmux("set-option", "-s", "set-clipboard", "on", check=False)
    ui.tmux("set-option", "-g", "allow-rename", "on", check=False)
    ui.tmux("set-option", "-g", "allow-passthrough", "on", check=False)
    ui.tmux("set-option", "-g", "automatic-rename", "off", check=False)
    ui.tmux("rename-window", "-t", "0", "before-name")
    ui.tmux("select-pane", "-t", "0", "-T", "before-title")


def state(ui):
    return {"title": ui.display("#{pane_title}"),
            "name": ui.display("#{window_name}"),
            "buffers": ui.tmux("list-buffers", check=False).strip()}


def check_state(before, after):
    for k in before:
        t.eq(after[k], before[k], k)


def start_shell(ui, argv, env=None):
    """Run tolk in a pane that stays once tolk exits: the exit status goes
    to a file, then the shell prints TOLK-EXITED and waits."""
    e = ui.world.env(**(env or {}))
    e.pop("TMUX", None)
    ui.status_file = os.path.join(ui.world.dir, "status")
    ui.stderr_file = os.path.join(ui.world.dir, "stderr")
    cmd = " ".join(tuilib.shq(a) for a in [tuilib.TOLK] + argv)
    shell = ("%s 2>%s; echo $? >%s; printf 'TOLK-EXITED'; exec sleep 3600"
             % (cmd, tuilib.shq(ui.stderr_file),
                tuilib.shq(ui.status_file)))
    ui.tmux("new-session", "-d", "-x", str(ui.width), "-y",
            str(ui.height),
            "env -i " + " ".join(tuilib.shq("%s=%s" % kv) for kv in
                                 e.items()) + " sh -c " + tuilib.shq(shell))
    ui.started = True


def wait_status(ui, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.path.exists(ui.status_file):
            with open(ui.status_file) as f:
                s = f.read().strip()
            if s:
                return int(s)
        time.sleep(0.05)
    raise Failure("tolk did not exit; the screen:\n" + ui.screen())


def history(ui):
    db = sqlite3.connect(os.path.join(ui.world.dir, "data", "tolk",
                                      "history.db"))
    try:
        return db.execute("select status, content from messages where "
                          "role = 'assistant' order by id").fetchall()
    finally:
        db.close()


def visible_items(screen):
    """The item names whose closing marker is on the screen."""
    return [n for n, _ in fakeapi.HOSTILE_ITEMS if "[/%s]" % n in screen]


@t.case
def hostile_answer_in_the_tui_changes_nothing_in_the_terminal():
    with tuilib.Tui(100, 30, stall_timeout=30) as ui:
        ui.start("-m", "fo:hostile")
        obeying(ui)
        before = state(ui)
        modes = ui.display(MODES)
        cursor = ui.cursor()
        ui.type("hi")
        ui.keys("Enter")
        s = ui.wait_for(fakeapi.HOSTILE_END, timeout=60)
        # Whatever the answer asked for (a cursor report, device
        # attributes) would now be typed into the prompt: it stays empty.
        time.sleep(0.2)
        s = ui.screen()
        check_state(before, state(ui))
        t.eq(ui.display(MODES), modes, "terminal modes")
        t.eq(ui.cursor(), cursor, "cursor (an empty prompt)")
        t.check("pwned" not in s, "hidden text shown:\n" + s)
        t.check("\u202e" not in s, "bidi override on screen")
        # Scroll up through the whole answer: every item's marker shows.
        seen = set(visible_items(s))
        prev, same = s, 0
        for _ in range(300):
            if len(seen) == len(fakeapi.HOSTILE_ITEMS) or same >= 3:
                break
            ui.keys("PageUp")
            # The next page once it is drawn (pages of the 10,000-column
            # line look alike: three unchanged screens in a row is the
            # top).
            deadline = time.monotonic() + 1
            cur = ui.screen()
            while cur == prev and time.monotonic() < deadline:
                time.sleep(0.05)
                cur = ui.screen()
            same = same + 1 if cur == prev else 0
            prev = cur
            seen |= set(visible_items(cur))
        t.eq(sorted(seen), sorted(n for n, _ in fakeapi.HOSTILE_ITEMS),
             "items shown")
        check_state(before, state(ui))


@t.case
def hostile_answer_through_print_mode_changes_nothing_in_the_terminal():
    with tuilib.Tui(100, 30, log=False) as ui:
        start_shell(ui, ["-p", "hi", "-m", "fo:hostile", "--no-log"])
        obeying(ui)
        before = state(ui)
        modes = ui.display(MODES)
        rc = wait_status(ui)
        s = ui.wait_for("TOLK-EXITED", timeout=30)
        t.eq(rc, 0, "exit status; stderr: %r" % ui.stderr()[-300:])
        check_state(before, state(ui))
        t.eq(ui.display(MODES), modes, "terminal modes")
        # The cursor is right after the shell's marker, on the line below
        # the answer's end marker: nothing moved it.
        lines = s.split("\n")
        y = max(i for i, ln in enumerate(lines) if "TOLK-EXITED" in ln)
        t.eq(lines[y - 1].rstrip(), fakeapi.HOSTILE_END, "line above")
        t.eq(ui.cursor(), (len("TOLK-EXITED"), y), "cursor")
        t.check("pwned" not in s, "hidden text shown:\n" + s)
        hist = ui.tmux("capture-pane", "-p", "-t", "0", "-S", "-", "-E",
                       "-")
        t.check("pwned" not in hist, "hidden text in the history")
        t.check("[osc8-link] click here [/osc8-link]" in hist,
                "the link text is not shown inert:\n" + hist[:2000])
        t.eq(sorted(visible_items(hist)),
             sorted(n for n, _ in fakeapi.HOSTILE_ITEMS), "items shown")


def signal_mid_answer(sig):
    with tuilib.Tui(80, 24, stall_timeout=60) as ui:
        start_shell(ui, ["-m", "fo:stall"])
        ui.wait_for("❯")
        ui.type("hello")
        ui.keys("Enter")
        partial = fakeapi.scenario_text("stall")
        ui.wait_for(partial)
        pid = ui.tolk_pid()
        t.check(pid is not None, "no tolk process")
        os.kill(pid, sig)
        rc = wait_status(ui)
        ui.wait_for("TOLK-EXITED")
        # The terminal is as the shell left it: normal screen, cursor
        # shown, no mouse or keypad mode, and the shell's output where
        # tolk's screen was.
        modes = ui.display(MODES).split()
        t.eq(modes[0], "0", "alternate screen still on")
        t.eq(modes[1], "1", "cursor hidden")
        t.eq(modes[2:8], ["0"] * 6, "mouse or keypad mode left on "
             "(%s)" % " ".join(modes))
        t.check(rc in (0, 1, 130, 128 + sig), "exit status %d" % rc)
        rows = history(ui)
        t.check(rows, "no answer stored")
        status, content = rows[-1]
        t.eq(content, partial, "stored text")
        t.check(status in ("cut", "cancelled"), "status %r" % status)


@t.case
def sigterm_mid_answer_restores_the_terminal_and_keeps_the_answer():
    signal_mid_answer(15)


@t.case
def sighup_mid_answer_restores_the_terminal_and_keeps_the_answer():
    signal_mid_answer(1)


def fds(pid):
    return sorted(os.readlink("/proc/%d/fd/%s" % (pid, f))
                  for f in os.listdir("/proc/%d/fd" % pid))


@t.case
def many_compare_requests_leave_no_file_descriptor_behind():
    with tuilib.Tui(120, 30, log=True) as ui:
        ui.start("--compare", "fo:normal,fo:normal+2")
        pid = ui.tolk_pid()
        ui.type("first")
        ui.keys("Enter")
        deadline = time.monotonic() + 60
        while len(ui.world.requests()) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        # Settled: the first answers are in and their sockets idle.
        ui.wait_for("q prompt", timeout=60)
        base = fds(pid)
        n = 20
        for i in range(n):
            # The compare view has the keys; q gives them to the prompt.
            ui.keys("q")
            ui.wait_gone("q prompt")
            ui.type("again %d" % i)
            ui.keys("Enter")
            ui.wait_for("q prompt", timeout=60)
        t.eq(len(ui.world.requests()), 2 * (n + 1), "requests served")
        # Every socket of a finished transfer is closed or back in
        # libcurl's connection cache: the count comes back.
        deadline = time.monotonic() + 60
        now = fds(pid)
        while len(now) > len(base) and time.monotonic() < deadline:
            time.sleep(0.2)
            now = fds(pid)
        print("# fds after the first compare: %d, after %d more: %d"
              % (len(base), n, len(now)))
        t.check(len(now) <= len(base), "fds grew from %d to %d: %r"
                % (len(base), len(now), now))


if __name__ != "__main__":
    pass
elif not tuilib.HAVE_TMUX:
    print("1..0 # SKIP tmux is not installed")
    sys.exit(0)
else:
    sys.exit(t.run())
