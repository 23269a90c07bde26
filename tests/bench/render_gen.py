#!/usr/bin/env python3
# tests/bench/render_gen.py - a reproducible ~200 KB markdown answer.
#
# usage: render_gen.py OUT [BYTES [KIND]]
# Headings, paragraphs in English, Greek, Cyrillic, Polish/Czech, CJK and
# emoji with inline markup, nested and task lists, fenced code, tables and
# quotes, from a fixed seed: the same bytes on every run. KIND (heading,
# paragraph, code, table, list or quote) makes an answer of that part
# alone, to measure the parts one by one.
import random, sys

if len(sys.argv) < 2 or sys.argv[1].startswith("-"):
    sys.exit("usage: render_gen.py OUT [BYTES [KIND]]")
out = sys.argv[1]
target = int(sys.argv[2]) if len(sys.argv) > 2 else 200 * 1024
only = sys.argv[3] if len(sys.argv) > 3 else None
rnd = random.Random(20261128)
words = {
    "en": "the model answer token stream layout terminal width render quick brown fox jumps over lazy dog".split(),
    "el": "η γρήγορη καφέ αλεπού πηδάει πάνω από τον τεμπέλη σκύλο κείμενο απάντηση".split(),
    "ru": "съешь же ещё этих мягких французских булок да выпей чаю ответ текст".split(),
    "pl": "zażółć gęślą jaźń příliš žluťoučký kůň úpěl ďábelské ódy łódź".split(),
    "cjk": "日本語 文章 中文 字符 测试 한국어 문장 東京 説明 表示".split(),
    "emoji": "😀 🎉 👍🏽 🇬🇷 👨‍👩‍👧 ✅ 🚀 ❤️".split(),
}

def sentence():
    lang = rnd.choice(["en", "en", "el", "ru", "pl", "cjk"])
    ws = [rnd.choice(words[lang]) for _ in range(rnd.randint(6, 16))]
    i = rnd.randrange(len(ws))
    ws[i] = rnd.choice(["**%s**", "*%s*", "`%s`", "~~%s~~", "[%s](https://example.org/x)"]) % ws[i]
    if rnd.random() < 0.3:
        ws.insert(rnd.randrange(len(ws)), rnd.choice(words["emoji"]))
    return " ".join(ws).capitalize() + "."

def paragraph():
    return " ".join(sentence() for _ in range(rnd.randint(2, 6))) + "\n"

def code():
    lines = ["```python"]
    for i in range(rnd.randint(5, 25)):
        lines.append("    " * rnd.randint(0, 3) + "x_%d = compute(%d, '%s')  # %s" %
                     (i, i, rnd.choice(words["en"]), rnd.choice(words["el"])))
    lines.append("```")
    return "\n".join(lines) + "\n"

def table():
    cols = rnd.randint(2, 5)
    rows = ["| " + " | ".join("col %d" % c for c in range(cols)) + " |",
            "|" + "|".join(rnd.choice(["---", ":--", "--:", ":-:"]) for _ in range(cols)) + "|"]
    for r in range(rnd.randint(3, 12)):
        rows.append("| " + " | ".join(" ".join(rnd.choice(words[rnd.choice(list(words))])
                    for _ in range(rnd.randint(1, 4))) for _ in range(cols)) + " |")
    return "\n".join(rows) + "\n"

def lst():
    out = []
    for i in range(rnd.randint(3, 8)):
        m = rnd.choice(["- ", "%d. " % (i + 1), "- [ ] ", "- [x] "])
        out.append(m + sentence())
        if rnd.random() < 0.3:
            out.append("  - " + sentence())
    return "\n".join(out) + "\n"

def quote():
    return "> " + paragraph()

parts, size = [], 0
while size < target:
    kind = rnd.random()
    if kind < 0.08:
        name = "heading"
        b = "#" * rnd.randint(1, 3) + " " + sentence() + "\n"
    elif kind < 0.45:
        name = "paragraph"
        b = paragraph()
    elif kind < 0.6:
        name = "code"
        b = code()
    elif kind < 0.72:
        name = "table"
        b = table()
    elif kind < 0.9:
        name = "list"
        b = lst()
    else:
        name = "quote"
        b = quote()
    if only is None or only == name:
        parts.append(b)
    else:
        continue
    size += len(b.encode()) + 1
with open(out, "w", encoding="utf-8") as f:
    f.write("\n".join(parts))
