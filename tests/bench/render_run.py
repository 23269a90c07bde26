#!/usr/bin/env python3
# tests/bench/render_run.py - the render benchmark (see render.sh).
#
# Generates the input with render_gen.py (fixed seed), runs the in-process
# timer tests/bench/bench_render, then times whole processes rendering the
# same file: tolk render, lowdown -Tterm, and python3-rich (the Debian
# package, run with /usr/bin/python3), best of RUNS wall times each; rich is
# also timed in-process (import excluded). Prints one table and the ratios
# the issue sets targets for: tolk whole layout <= 1.5x lowdown -Tterm,
# streamed <= 2x whole. With valgrind installed it also counts instructions
# (callgrind, stable on a loaded machine) of the whole layout and of the
# streamed ones, for the answer and for answers made of one part each
# (paragraphs, lists, quotes, tables, code; 100 KB each); the streamed/whole
# target is judged on those counts. RENDER_BENCH_CALLGRIND=0 skips them.
import os, re, shutil, subprocess, sys, time

RUNS = 5
WIDTH = 100
src = os.environ.get("TOLK_SRCDIR", os.path.join(os.path.dirname(__file__), "..", ".."))
build = os.environ.get("TOLK_BUILDDIR", ".")
tolk = os.environ.get("TOLK_BIN", os.path.join(build, "tolk"))
here = os.path.join(src, "tests", "bench")
md = os.path.join(build, "bench-render.md")

subprocess.run([sys.executable, os.path.join(here, "render_gen.py"), md], check=True)
size = os.path.getsize(md)

def best_wall(cmd):
    best = None
    for _ in range(RUNS):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        t = (time.perf_counter() - t0) * 1000
        best = t if best is None or t < best else best
    return best

rows = []
out = subprocess.run([os.path.join(build, "tests", "bench", "bench_render"), md,
                      str(WIDTH), "20", str(RUNS)], stdout=subprocess.PIPE,
                     check=True, text=True).stdout
print(out.strip())
whole = float(re.search(r"whole layout:\s+([\d.]+)", out).group(1))
streamed = float(re.search(r"after every delta:\s+([\d.]+)", out).group(1))
framed = float(re.search(r"every 16th delta:\s+([\d.]+)", out).group(1))

tolk_proc = best_wall([tolk, "render", "--width", str(WIDTH), md])
rows.append(("tolk render (process, SGR)", tolk_proc))
lowdown = None
if shutil.which("lowdown"):
    lowdown = best_wall(["lowdown", "-Tterm", "--term-width=%d" % WIDTH, md])
    rows.append(("lowdown -Tterm (process)", lowdown))
else:
    print("# lowdown missing: skipped")
rich_proc = rich_in = None
if subprocess.run(["/usr/bin/python3", "-c", "import rich"],
                  stderr=subprocess.DEVNULL).returncode == 0:
    prog = ("import io,sys,time\n"
            "from rich.console import Console\nfrom rich.markdown import Markdown\n"
            "t=open(sys.argv[1],encoding='utf-8').read()\n"
            "b=None\n"
            "for _ in range(%d):\n"
            " t0=time.perf_counter()\n"
            " c=Console(width=%d,file=io.StringIO(),force_terminal=True)\n"
            " c.print(Markdown(t))\n"
            " d=(time.perf_counter()-t0)*1000\n"
            " b=d if b is None or d<b else b\n"
            "print(b)\n") % (2, WIDTH)
    rich_in = float(subprocess.run(["/usr/bin/python3", "-c", prog, md],
                                   stdout=subprocess.PIPE, check=True, text=True).stdout)
    rows.append(("python3-rich (in-process)", rich_in))
    one = prog.replace("range(2)", "range(1)")
    t0 = time.perf_counter()
    subprocess.run(["/usr/bin/python3", "-c", one, md], stdout=subprocess.DEVNULL, check=True)
    rich_proc = (time.perf_counter() - t0) * 1000
    rows.append(("python3-rich (process)", rich_proc))
else:
    print("# python3-rich missing: skipped")

print("render bench: %d bytes at width %d, best of %d" % (size, WIDTH, RUNS))
print("  %-34s %9.2f ms" % ("tolk layout whole (in-process)", whole))
print("  %-34s %9.2f ms" % ("tolk streamed, read every delta", streamed))
print("  %-34s %9.2f ms" % ("tolk streamed, read every 16th", framed))
for name, ms in rows:
    print("  %-34s %9.2f ms" % (name, ms))
if lowdown:
    print("ratio tolk whole layout / lowdown -Tterm:   %.2fx (target <= 1.5x)" % (whole / lowdown))
    print("ratio tolk render process / lowdown:        %.2fx" % (tolk_proc / lowdown))
if rich_in:
    print("ratio tolk whole layout / rich in-process:  %.3fx" % (whole / rich_in))
print("ratio streamed (every delta) / whole:       %.2fx (target <= 2x)" % (streamed / whole))
print("ratio streamed (every 16th delta) / whole:  %.2fx" % (framed / whole))

def instructions(path, phase):
    r = subprocess.run(["valgrind", "--tool=callgrind",
                        "--callgrind-out-file=/dev/null",
                        os.path.join(build, "tests", "bench", "bench_render"),
                        path, str(WIDTH), "20", "1", phase],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       text=True, check=True)
    return int(re.search(r"Collected : (\d+)", r.stderr).group(1))

if os.environ.get("RENDER_BENCH_CALLGRIND", "1") != "0" and shutil.which("valgrind"):
    print("instructions (callgrind), width %d, 20-byte deltas:" % WIDTH)
    print("  %-10s %8s %14s %14s %8s %14s %8s" % ("part", "bytes", "whole",
          "every delta", "ratio", "every 16th", "ratio"))
    docs = [("answer", md, None)]
    for kind in ["paragraph", "list", "quote", "table", "code"]:
        path = os.path.join(build, "bench-render-%s.md" % kind)
        subprocess.run([sys.executable, os.path.join(here, "render_gen.py"),
                        path, str(100 * 1024), kind], check=True)
        docs.append((kind, path, None))
    for name, path, _ in docs:
        w = instructions(path, "whole")
        e = instructions(path, "every")
        f = instructions(path, "framed") if name == "answer" else None
        print("  %-10s %8d %14d %14d %7.2fx %14s %8s" % (
              name, os.path.getsize(path), w, e, e / w,
              "%d" % f if f else "-", "%.2fx" % (f / w) if f else "-"))
        if name == "answer":
            ratio = e / w
    print("ratio streamed (every delta) / whole, instructions: %.2fx (target <= 2x)" % ratio)
else:
    print("# valgrind missing or RENDER_BENCH_CALLGRIND=0: no instruction counts")
