#!/usr/bin/env python3
"""TUI tests of language checking: the real tolk in a detached tmux session
against the fake server (tests/fakeapi.py).  A Slovenian prompt gets a
Croatian answer, then one that switches to English, and both warnings show
under the answers; /lang sets, shows and clears the expected language, and
the setting survives reopening the conversation; the compare view names a
mismatch in its column header; the inspection view (/inspect) shows a
zero-width space, a right-to-left override and a Cyrillic а hidden in a
Latin word.  TAP output."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tuilib  # noqa: E402
from tuilib import Failure  # noqa: E402
import fakeapi  # noqa: E402

t = tuilib.Tap()

MISMATCH = "⚠ answer is in Croatian (hr), expected Slovenian (sl)"
DRIFT = "⚠ switches to English (en) at paragraph 3"


def flat(screen):
    """The screen as one line of words: wrapping does not matter."""
    return " ".join(screen.split())


def send(ui, text):
    ui.type(text)
    ui.keys("Enter")


def hidden_answer(ui):
    """Start tolk on the hidden scenario and wait for its answer."""
    ui.start("-m", "fo:hidden")
    send(ui, "Kaj naj naredim s tem sporočilom?")
    ui.wait_for("nevarno.", timeout=20)


def status(ui):
    return ui.lines()[-1]


@t.case
def slovenian_prompt_gets_croatian_then_english_and_both_warnings_show():
    with tuilib.Tui(100, 50) as ui:
        ui.start("-m", "fo:wronglang")
        send(ui, fakeapi.WRONGLANG_PROMPT)
        s = ui.wait_for(MISMATCH, timeout=20)
        rows = s.split("\n")
        last = max(i for i, r in enumerate(rows) if "osobito domaći" in r)
        t.check(rows[last + 1].strip() == MISMATCH, "the warning is the "
                "line under the answer:\n" + s)
        t.check("expect sl" in status(ui), "status: %r" % status(ui))
        send(ui, "Hvala! Kaj pa pozimi, kam naj grem smučat?")
        s = ui.wait_for(DRIFT, timeout=20)
        t.check(MISMATCH in s, "the first warning stays:\n" + s)
        rows = s.split("\n")
        last = max(i for i, r in enumerate(rows) if "more freedom" in r)
        t.check(rows[last + 1].strip() == DRIFT, "the drift warning is the "
                "line under the second answer:\n" + s)
        t.eq(s.count("⚠"), 2, "one warning per answer")


@t.case
def warning_waits_for_the_answer_to_end():
    with tuilib.Tui(100, 40) as ui:
        ui.start("-m", "fo:slow")
        send(ui, "Prosim, povej mi v nekaj stavkih, kaj je najlepše v "
             "Ljubljani poleti.")
        ui.wait_for("Hello, I am")
        s = ui.screen()
        if "word for word." not in s:
            t.check("⚠" not in s, "no warning while it streams:\n" + s)
        s = ui.wait_for("⚠ answer is in English (en), expected Slovenian "
                        "(sl)", timeout=20)
        t.check("word for word." in s, "the answer has ended:\n" + s)


@t.case
def lang_sets_shows_and_clears_and_survives_reopening():
    with tuilib.Tui(100, 30) as ui:
        ui.start("-m", "fo:normal")
        send(ui, "/lang")
        ui.wait_for("expected language: none")
        send(ui, "/lang xx")
        ui.wait_for("/lang takes a language code")
        send(ui, "/lang SL")
        ui.wait_for("answers are expected in Slovenian (sl)")
        send(ui, "ok")
        s = ui.wait_for("⚠ answer is in English (en), expected Slovenian "
                        "(sl)", timeout=20)
        t.check("expect sl" in status(ui), "status: %r" % status(ui))
        ui.keys("C-d")
        t.eq(ui.wait_exit(), 0, "exit status")
        c = ui.world.latest_conversation()
        t.eq((c["expected_lang"], c["expected_lang_source"]),
             ("sl", "user"), "stored with the conversation")

        ui.start("--conversation", str(c["id"]), "-m", "fo:normal")
        s = ui.wait_for("⚠ answer is in English (en), expected Slovenian "
                        "(sl)")
        t.check("expect sl" in status(ui), "status after reopening: %r"
                % status(ui))
        send(ui, "/lang")
        ui.wait_for("expected language: Slovenian (sl), set with /lang")
        send(ui, "/lang off")
        ui.wait_for("no expected language: answers are not checked")
        ui.wait_gone("⚠")
        t.check(not re.search(r"expect \w\w ·", status(ui)),
                "status: %r" % status(ui))
        ui.keys("C-d")
        t.eq(ui.wait_exit(), 0, "exit status")
        c = ui.world.latest_conversation()
        t.eq((c["expected_lang"], c["expected_lang_source"]),
             (None, "off"), "off is stored")

        ui.start("--conversation", str(c["id"]), "-m", "fo:normal")
        send(ui, "/lang")
        ui.wait_for("expected language: off (/lang off)")
        t.check("⚠" not in ui.screen(), "no warning:\n" + ui.screen())
        # A new prompt does not set it again: off stays off.
        send(ui, "Prosim, povej mi v nekaj stavkih, kaj je najlepše v "
             "Ljubljani poleti.")
        ui.wait_for("in 24 out 40")
        t.check("⚠" not in ui.screen(), "still no warning:\n" +
                ui.screen())


@t.case
def compare_view_names_the_mismatch_in_its_column_headers():
    with tuilib.Tui(120, 30) as ui:
        ui.start("--compare", "fo:wronglang,fo:normal")
        send(ui, fakeapi.WRONGLANG_PROMPT)
        s = ui.wait_for("q prompt", timeout=20)
        s = ui.wait_for("⚠ en, not sl")
        head = s.split("\n")[0]
        t.check("fo:wronglang  ⚠ hr, not sl" in head, "left header: %r"
                % head)
        t.check("fo:normal  ⚠ en, not sl" in head, "right header: %r"
                % head)


@t.case
def inspect_shows_zero_width_space_bidi_override_and_cyrillic_a():
    with tuilib.Tui(100, 50) as ui:
        ui.start("-m", "fo:hidden")
        send(ui, "/inspect")
        ui.wait_for("there is no answer to inspect")
        send(ui, "Kaj naj naredim s tem sporočilom?")
        ui.wait_for("nevarno.", timeout=20)
        send(ui, "/inspect")
        s = ui.wait_for("Inspect: fo:hidden")
        f = flat(s)
        t.check(re.search(r"answer: Slovenian \(sl\) · sl \d\.\d\d", f),
                "the answer's language:\n" + s)
        t.check(re.search(r"¶1 line 1 sl \d\.\d\d", f),
                "paragraph 1 with its confidence:\n" + s)
        t.check("¶3 line 5" in f, "three paragraphs:\n" + s)
        t.check("line 1 col 24 (byte 25) mixed-script pаypal Latin+"
                "Cyrillic" in f, "the mixed-script word:\n" + s)
        t.check("line 1 col 25 (byte 26) confusable а U+0430 in "
                "«pаypal.com»" in f, "the Cyrillic а:\n" + s)
        t.check("line 3 col 28 (byte 113) invisible <ZWSP> U+200B" in f,
                "the zero-width space:\n" + s)
        t.check("line 5 col 21 (byte 158) bidi <RLO> U+202E" in f,
                "the right-to-left override:\n" + s)
        t.check("mixed-script 1 · confusable 1 · invisible 1 · bidi 1 · "
                "not-nfc 0" in f, "the counts:\n" + s)
        t.check("NFC: yes" in f, "NFC status:\n" + s)
        t.check("presledek:⟨ZWSP⟩ in" in f, "ZWSP made visible:\n" + s)
        t.check("imenuje ⟨RLO⟩gpj.exe" in f, "RLO made visible:\n" + s)
        # The override is shown, not obeyed: the text reads left to right.
        t.check("exe.jpg" not in f, "no reversed text:\n" + s)
        ui.keys("Escape")
        s = ui.wait_gone("Inspect: fo:hidden")
        t.check("❯" in s, "back to the chat:\n" + s)


@t.case
def i_in_selection_mode_inspects_the_chosen_answer():
    with tuilib.Tui(100, 40) as ui:
        hidden_answer(ui)
        send(ui, "/model fo:normal")
        send(ui, "And now in English, please.")
        ui.wait_for("word for word.", timeout=20)
        ui.keys("M-Up")
        ui.wait_for("↑↓ choose")
        ui.keys("i")
        s = ui.wait_for("Inspect: fo:normal")
        t.check("en 1.00" in s or re.search(r"answer: English \(en\)", s),
                "the chosen (last) answer:\n" + s)
        ui.keys("Escape")
        ui.wait_gone("Inspect:")
        ui.keys("Up")
        ui.keys("Up")
        ui.keys("i")
        s = ui.wait_for("Inspect: fo:hidden")
        t.check("bidi <RLO> U+202E" in flat(s), "the earlier answer's "
                "findings:\n" + s)
        ui.keys("q")
        s = ui.wait_gone("Inspect:")
        t.check("↑↓ choose" in s, "back in selection mode:\n" + s)


@t.case
def inspect_view_scrolls_and_closes_with_q():
    with tuilib.Tui(80, 12) as ui:
        hidden_answer(ui)
        send(ui, "/inspect")
        s = ui.wait_for("Inspect: fo:hidden")
        t.check("Text (invisible" not in s, "the end is below:\n" + s)
        ui.keys("End")
        s = ui.wait_for("nevarno.")
        t.check("Inspect: fo:hidden" in s, "the title stays:\n" + s)
        ui.keys("Home")
        ui.wait_for("Language")
        ui.keys("q")
        ui.wait_gone("Inspect: fo:hidden")


if not tuilib.HAVE_TMUX:
    print("1..0 # SKIP tmux is not installed")
    sys.exit(0)
sys.exit(t.run())
