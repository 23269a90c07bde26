#!/usr/bin/env python3
"""history_gen - reproducible mixed-language conversations for the history
benchmark, as the JSON lines `tolk import` reads.

    history_gen.py OUT.jsonl [--messages 200000] [--seed 1]

Every conversation has 10 messages (prompt and answer, five times) in one
of 12 languages; the words come from per-language syllables (seeded), with
Zipf-like frequencies, and a handful of real words (the benchmark's
queries) sprinkled in rarely.  About 1 KB per message, so 200,000 messages
are about 200 MB.  The same seed always gives the same bytes.
"""

import argparse
import json
import random

LANGS = {
    "de": ("ba be ch sch st ei au ü ö ä ß ge ver zu en er ung lich keit", [
        "Straße", "Größe", "München", "übermäßig"]),
    "pl": ("prz szcz ó ł ż ź ś ą ę ci dz ko wa nie sk rz", [
        "Łódź", "źdźbło", "gęślą", "żółć"]),
    "cs": ("př ž š č ř ů ú ě ko va ne ho st li", [
        "příliš", "žluťoučký", "kůň", "ďábel"]),
    "sl": ("č š ž lj nj ko va je ra do pre", ["češnja", "žaba", "sladka"]),
    "fr": ("é è ê ç à ou eu ai on an tion que les des", [
        "crème", "brûlée", "œuvre", "cœur"]),
    "es": ("ñ á é í ó ú ll rr ci de la que os", ["año", "mañana", "niño"]),
    "el": ("α ε ι ο υ η ω λ μ ν σ τ κ ά έ ί ό ύ ή ώ", [
        "Ελληνικά", "καλημέρα", "λόγος", "θάλασσα"]),
    "ru": ("а о е и у ы я ю ё ж ш щ ч ст ко на ра", [
        "Москва", "ёлка", "спасибо"]),
    "da": ("æ ø å sk ke de ge ne ri", ["blåbærsyltetøj", "Ærø", "øl"]),
    "is": ("þ ð æ ó á í ú ey ur ar", ["Þingvellir", "Eðlisfræði"]),
    "tr": ("ı ş ğ ç ö ü la le ma me ka", ["Işık", "İstanbul", "şeker"]),
    "en": ("th er on an re he in ed nd ha at en es of or", [
        "lighthouse", "kaleidoscope", "wrench"]),
}


def language_words(rnd, syll, n=1500):
    parts = syll.split()
    words = set()
    while len(words) < n:
        k = rnd.choice((1, 2, 2, 3, 3, 4))
        words.add("".join(rnd.choice(parts) for _ in range(k)))
    words = sorted(words)
    rnd.shuffle(words)
    return words


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--messages", type=int, default=200000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    vocab = {}
    for lang, (syll, special) in sorted(LANGS.items()):
        words = language_words(rnd, syll)
        cum, total = [], 0.0
        for i in range(len(words)):
            total += 1.0 / (i + 1)
            cum.append(total)
        vocab[lang] = (words, cum, special)
    langs = sorted(LANGS)
    nconv = (a.messages + 9) // 10
    models = ["openai:gpt-4o-mini", "anthropic:claude-sonnet-4-5",
              "mistral:mistral-small-latest", "ollama:llama3.2"]
    written = 0
    with open(a.out, "w", encoding="utf-8") as f:
        for c in range(nconv):
            lang = langs[c % len(langs)]
            words, weights, special = vocab[lang]
            model = models[c % len(models)]
            provider, name = model.split(":")
            t0 = 1767225600 + c * 600      # 2026-01-01, ten minutes apart
            msgs = [{"role": "system", "content": "Answer in %s." % lang}]
            parent = None
            for i in range(10):
                if written >= a.messages:
                    break
                n = rnd.randint(20, 60) if i % 2 == 0 else \
                    rnd.randint(120, 260)
                ws = rnd.choices(words, cum_weights=weights, k=n)
                if rnd.random() < 0.02:
                    ws[rnd.randrange(n)] = rnd.choice(special)
                # Sentences: a capital and a full stop every 12 words.
                text = ". ".join(" ".join(ws[j:j + 12]).capitalize()
                                 for j in range(0, n, 12)) + "."
                m = {"id": i + 1, "parent_id": parent,
                     "role": "user" if i % 2 == 0 else "assistant",
                     "content": text, "created": t0 + i * 30,
                     "status": "complete"}
                if i % 2 == 1:
                    m.update({"provider": provider, "model": name,
                              "finish_reason": "stop",
                              "usage": {"input": 40 * i, "output": n,
                                        "cached": 0, "reasoning": None},
                              "ttft_ms": 300, "duration_ms": 20 * n,
                              "cost": None if provider == "ollama"
                              else n * 6e-7})
                msgs.append(m)
                parent = i + 1
                written += 1
            conv = {"uid": "bench-%06d" % c, "title": None,
                    "created": t0, "updated": t0 + 300, "messages": msgs}
            f.write(json.dumps(conv, ensure_ascii=False))
            f.write("\n")


if __name__ == "__main__":
    main()
