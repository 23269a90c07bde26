"""stream_measure - run one command and write its rusage as JSON to a file.

    python3 -S -I stream_measure.py RESULT-FILE COMMAND [ARG...]

A separate small process on purpose: Linux carries the RSS of the process
that forks a child into the child's ru_maxrss, so the big benchmark driver
must not be the parent of what it measures.  The floor this wrapper adds is
measured (run /bin/true) and printed beside the results.
"""
import os
import sys
import time

result, argv = sys.argv[1], sys.argv[2:]
t0 = time.monotonic()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(argv[0], argv)
    finally:
        os._exit(127)
_, status, ru = os.wait4(pid, 0)
wall = time.monotonic() - t0
import json  # noqa: E402  (late: a smaller parent, a lower floor)
with open(result, "w") as f:
    json.dump({"status": os.waitstatus_to_exitcode(status),
               "cpu": ru.ru_utime + ru.ru_stime, "wall": wall,
               "maxrss_kib": ru.ru_maxrss}, f)
