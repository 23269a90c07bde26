#!/usr/bin/env python3
# tests/render/regen.py - write the .case fixtures from cases.py.
#
# usage: regen.py TOLK_BIN   (writes tests/render/*.case beside this file)
# The expected lines come from `tolk render --plain`; read the diff before
# committing regenerated fixtures.
import os, subprocess, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cases import CASES

here = os.path.dirname(os.path.abspath(__file__))
tolk = sys.argv[1]
for name, text in CASES:
    data = (b"bad \xff\xfe bytes, cut \xe2\x82 and overlong \xc0\xaf end.\n"
            if text is None else text.encode())
    out = [b"@@@ input\n", data]
    if not data.endswith(b"\n"):
        out.append(b"\n@@@ no-final-newline\n")
    for w in (20, 40, 80):
        r = subprocess.run([tolk, "render", "--plain", "--width", str(w), "-"],
                           input=data, stdout=subprocess.PIPE, check=True)
        out.append(b"@@@ width %d\n" % w)
        out.append(r.stdout)
    with open(os.path.join(here, name + ".case"), "wb") as f:
        f.write(b"".join(out))
print(len(CASES), "cases")
