"""history_data - conversations for the history wire tests, as the JSON
lines `tolk import` reads (the `tolk export --format jsonl` format)."""

import json

TEXTS = [
    ("de", "Wie lang ist die Straße nach München?",
     "Die Straße ist etwa 40 km lang. Größe spielt keine Rolle."),
    ("pl", "Gdzie leży Łódź?",
     "Łódź leży w centralnej Polsce, niedaleko Warszawy."),
    ("el", "Τι σημαίνει Ελληνικά;",
     "Τα Ελληνικά είναι η γλώσσα της Ελλάδας. Καλημέρα!"),
    ("sl", "Kaj je češnja?",
     "Češnja je sadež; kalorij ima malo."),
    ("ja", "東京タワーの高さは？ 👋🏽",
     "東京タワーは333メートルです。"),
    ("xx", "Terminal trick \x1b]0;pwned\x07 and \x1b[2J clear \u202eevil",
     "Answer with \x1b[31mred\x1b[0m and a bell \x07 and C1 \u009b2J."),
]


def conversation(i, lang, prompt, answer, model="fo:normal", day=0):
    provider, name = model.split(":")
    created = "2026-01-%02dT10:00:%02dZ" % (10 + day, i)
    return {
        "uid": "test-%02d" % i,
        "title": None,
        "created": created,
        "updated": created,
        "messages": [
            {"role": "system", "content": "Answer in %s." % lang},
            {"id": 1, "parent_id": None, "role": "user", "content": prompt,
             "status": "complete", "created": created},
            {"id": 2, "parent_id": 1, "role": "assistant", "content": answer,
             "provider": provider, "model": name, "status": "complete",
             "finish_reason": "stop",
             "usage": {"input": 12, "output": 20 + i, "cached": 0,
                       "reasoning": None},
             "ttft_ms": 100 + i, "duration_ms": 900 + i,
             "cost": 0.001 * (i + 1) if i % 2 == 0 else None,
             "lang": lang, "created": created},
        ],
    }


def jsonl():
    out = []
    for i, (lang, p, a) in enumerate(TEXTS):
        model = "fo:normal" if i % 2 == 0 else "fa:other"
        out.append(json.dumps(conversation(i, lang, p, a, model, day=i % 3),
                              ensure_ascii=False))
    return ("\n".join(out) + "\n").encode("utf-8")
