#!/usr/bin/env python3
"""fakeapi - a local fake of four LLM streaming APIs, for tests and demos.

    python3 tests/fakeapi.py --port 0 --port-file FILE [--host 127.0.0.1]
                             [--key KEY] [--log FILE]

Binds a loopback port (0: any free one), writes the port number to FILE once
it is listening, and serves until killed.  Standard library only.

APIs, on the paths the official SDKs use (see ../shared/PROTOCOLS.md):

  openai     POST /v1/chat/completions, /chat/completions
             Authorization: Bearer KEY.  SSE data-only: role chunk, content
             deltas, finish chunk, a usage chunk only when the request has
             stream_options.include_usage, then "data: [DONE]".
  anthropic  POST /v1/messages
             x-api-key: KEY and anthropic-version.  Named SSE events:
             message_start, content_block_start, ping, content_block_delta...,
             content_block_stop, message_delta (stop_reason, cumulative usage),
             message_stop.
  ollama     POST /api/chat
             No key.  NDJSON lines (Go's JSON escaping of < > & U+2028/9),
             a final "done": true line with counts and durations.
  gemini     POST /v1beta/models/MODEL:streamGenerateContent?alt=sse
             (also /models/MODEL:...)
             x-goog-api-key: KEY (or ?key=KEY, as the real API allows).  SSE
             data-only with CRLF line ends, each event a full
             GenerateContentResponse, cumulative usageMetadata, finishReason
             on the last event, no sentinel.

A request with "stream": false (openai, anthropic, ollama) or to
MODEL:generateContent (gemini) gets the whole answer as one JSON document.
Streams use HTTP/1.1 chunked transfer encoding with one chunk and one TCP
write per event (except where a scenario says otherwise).

Keys: a wrong or missing key gets the API's real answer: openai 401
invalid_api_key, anthropic 401 authentication_error, gemini 400
API_KEY_INVALID (wrong key) or 403 PERMISSION_DENIED (no key).  A missing
anthropic-version header gets anthropic's 400.  Bodies are checked as the
real APIs check them, for the mistakes a client is likely to make: not JSON,
no model, no messages, anthropic without max_tokens or with a "system" role
message or a temperature above 1, gemini roles other than user/model.

Scenarios: the model name picks one; anything after a "+" is ignored, so
tests can make names unique ("ratelimit+7").  An unknown name answers like
"normal".

  normal          a short English answer, 20 tokens, no final newline:
                  "Hello, I am a fake model and this short answer is always
                  the same, word for word."
  multilingual    Slovenian, Polish, Greek, German, Ukrainian, CJK and emoji
                  lines (ends with a newline), 30 tokens; every event is
                  written in two TCP writes and two HTTP chunks split inside
                  a multibyte character; emoji sequences and a combining
                  accent are split across deltas; openai escapes astral
                  characters as \\ud83d\\udc4b surrogate pairs (as Python
                  servers such as vLLM do).
  slow            the normal answer, tokens 50 ms apart.
  stall           3 tokens of the normal answer, then silence with the
                  connection kept open (until the client goes away).
  cut             10 tokens, then the connection is closed mid-stream: no
                  end marker and no final HTTP chunk.
  truncated       10 tokens, then the HTTP body ends cleanly but without the
                  API's end marker ([DONE], message_stop, done:true, or a
                  finishReason).
  ratelimit       the first request to an API for that exact model name
                  gets 429 (with
                  "Retry-After: 1"; gemini: no header, RetryInfo retryDelay
                  "1s" in the body), later ones answer like normal.
  error500        500 with the API's real body, every time.
  overloaded      anthropic 529 overloaded_error, others 503, every time.
  html502         502 with an HTML page, as a proxy in front of an API sends
                  when the API is down, every time.
  unauthorized    401 whatever the key (gemini: UNAUTHENTICATED, ollama:
                  {"error":"unauthorized"}).
  notfound        404 model not found with the API's real body.
  garbage         one valid text event ("Hello"), then an event that is
                  not JSON, then the API's normal end.
  big             10,492,000 bytes of text (122,000 lines of 86 bytes;
                  the last byte is a newline), 6,100 tokens of 20 lines,
                  written in writes of about 256 KiB.
  escapes         text with terminal escapes (see ESCAPES_TEXT): CSI
                  colour and clear screen, OSC 0 title, OSC 52 clipboard,
                  8-bit CSI U+009B, bidi override U+202E, a BEL; 8 tokens.
  hostile         the hostile corpus (HOSTILE_ITEMS): OSC 52, titles, OSC
                  8, CSI moves and reports, DCS, APC, 8-bit C1, bidi, a
                  letter with 100,000 combining marks, a 10,000-column line;
                  each item cut in two deltas, then END-OF-HOSTILE.
  midstream-error 5 tokens, then the API's in-stream error: openai
                  data: {"error":{... "type":"server_error"}} then [DONE];
                  anthropic event: error (overloaded_error, "Overloaded");
                  ollama {"error":"..."}; gemini data: {"error":{...}}.
  reasoning       thinking text (4 tokens), then the normal answer:
                  openai delta.reasoning_content, anthropic a thinking block
                  (thinking_delta, signature_delta), ollama message.thinking,
                  gemini parts with "thought": true.
  refusal         openai: refusal deltas (content null), finish "stop";
                  anthropic: text then stop_reason "refusal"; ollama and
                  gemini: the text as answer (gemini finishReason SAFETY).
  tokens-N        exactly N tokens "lorem ", "ipsum ", "dolor ", "sit ",
                  "amet ", ... (in that cycle), the whole stream sent in
                  writes of about 1 MiB.  For the benchmark.
  demo            what `tolk --demo` shows: a short answer that says it comes
                  from the demo server, quotes the prompt (up to 200
                  characters), and shows a list in three languages and a
                  code block; one word per token, 15 ms apart.
  events-N        the same N tokens, but one HTTP chunk and one TCP write
                  per event, as a real server flushing every token does.
  wronglang       answers a Slovenian prompt in the wrong language, by the
                  number of user messages in the request: the first one
                  in Croatian (WRONGLANG_HR, one paragraph), later ones
                  in Slovenian for two paragraphs and then in English
                  (WRONGLANG_DRIFT, the switch at paragraph 3); one word
                  per token.
  hidden          a Slovenian answer hiding things (HIDDEN_TEXT): a Cyrillic
                  а (U+0430) inside the Latin word "pаypal", a zero-width
                  space (U+200B) and a right-to-left override (U+202E);
                  one word per token.
  echo            "N messages; last user message: TEXT" where N counts the
                  request's messages (openai and ollama count a system
                  message; anthropic and gemini keep it outside), one token
                  per 16 characters.

Usage numbers are deterministic: input tokens are always 12 (INPUT_TOKENS),
cached input tokens 0, output tokens the number of tokens sent (thinking
included; reasoning: 4 reasoning + 20 answer = 24).  So normal: in 12 out 20;
multilingual: 12/30; escapes: 12/8; tokens-N and events-N: 12/N;
big: 12/6100.  Usage is
sent where each API sends it: openai's usage chunk (only with include_usage),
anthropic's message_start (input, output 1) and message_delta (cumulative
output), ollama's done line (durations: eval 10 ms per token, prompt_eval
5 ms, load 1 ms, total their sum + 2 ms), gemini's usageMetadata on every
event (cumulative).

Test hooks:
  GET  /_fake/requests  every request received, oldest first, as a JSON list
                        of {"method", "path", "query", "headers" (names in
                        lower case), "body" (text), "json" (parsed or null),
                        "time" (seconds, monotonic)}
  POST /_fake/reset     forget the requests and the ratelimit counters
  GET  /_fake/stats     {"cpu_user", "cpu_sys"}: the server's own CPU seconds

Also, for clients that list models or probe for a server: GET /v1/models
(openai list of the scenario names), GET /api/tags and /api/version
(ollama), GET / ("Ollama is running", as a real Ollama answers).
"""

import argparse
import json
import os
import re
import resource
import select
import socket
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

INPUT_TOKENS = 12
CREATED = 1700000000
CREATED_AT = "2024-11-14T22:13:20.123456789Z"

NORMAL_TOKENS = [
    "Hello", ",", " I", " am", " a", " fake", " model", " and", " this",
    " short", " answer", " is", " always", " the", " same", ",", " word",
    " for", " word", ".",
]

MULTILINGUAL_TOKENS = [
    "Slovenščina:", " Živjo,", " kako", " si?", " Čestitke!\n",
    "Polski:", " Zażółć", " gęślą", " jaźń.\n",
    "Ελληνικά:", " Καλημέρα", " κόσμε.\n",
    "Deutsch:", " Grüße", " aus", " der", " Straße.\n",
    "Українська:", " Привіт,", " ґанок", " і", " їжак.\n",
    "中文: 你好，世界。", "日本語: こんにちは。", "한국어: 안녕하세요.\n",
    "Emoji: \U0001F44B", "\U0001F3FD \U0001F468\u200D",
    "\U0001F469\u200D\U0001F467 e", "\u0301 \U0001F1F8", "\U0001F1EE\n",
]

ESCAPES_TOKENS = [
    "Colour: \x1b[31mred\x1b[0m.",
    " Clear: \x1b[2J\x1b[H.",
    " Title: \x1b]0;pwned\x07.",
    " Clipboard: \x1b]52;c;cHduZWQ=\x07.",
    " C1: \u009b31mX.",
    " Bidi: \u202etxt.exe.",
    " Bell: \x07.",
    " End.",
]
ESCAPES_TEXT = "".join(ESCAPES_TOKENS)

# The hostile corpus (scenario "hostile"): what a model or a server could
# send to take over the terminal it is shown in. Each item is a name and
# its text; every item is a paragraph of its own, sent in two deltas cut
# in its middle, so that a sequence arrives in pieces. tests/tui/test_hostile.py shows it in the TUI
# and through tolk -p in a tmux pane and checks that nothing took effect.
HOSTILE_ITEMS = [
    ("osc52-clipboard", "\x1b]52;c;cHduZWQtY2xpcGJvYXJk\x07"
     "\x1b]52;p;cHduZWQ=\x1b\\"),
    ("osc-titles", "\x1b]0;pwned-title\x07\x1b]2;pwned-title2\x1b\\"
     "\x1b]1;pwned-icon\x07"),
    ("tmux-window-name", "\x1bkpwned-name\x1b\\"),
    ("osc8-link", "\x1b]8;;http://evil.example/\x1b\\click here"
     "\x1b]8;;\x1b\\"),
    ("csi-clear-move", "\x1b[2J\x1b[3J\x1b[H\x1b[10;10H\x1b[5A\x1b[?25l"
     "\x1b[?1049h\x1b[?1049l\x1b[r\x1b[1;2r"),
    ("csi-report", "\x1b[6n\x1b[c\x1b[>c\x1b[21t"),
    ("dcs", "\x1bP$q\"p\x1b\\\x1bPtmux;\x1b\x1b]2;pwned-pass\x07\x1b\\"
     "\x1bP+q544e\x1b\\"),
    ("apc-pm-sos", "\x1b_pwned-apc\x1b\\\x1b^pwned-pm\x1b\\"
     "\x1bXpwned-sos\x1b\\"),
    ("8-bit-c1", "\u009b2J\u009d0;pwned-c1\u009c\u0090q\u009c\u0085"),
    ("bidi", "\u202eevil.exe\u202c \u2066iso\u2069 \u202dlro\u202c"),
    ("combining-100k", "a" + "\u0301" * 100000 + "b"),
    ("line-10k", "W" * 10000),
    ("bell-backspace-cr", "\x07\x08\x08\x08XX\rYY\x0bZZ\x0cQQ\x7f"),
]
HOSTILE_END = "END-OF-HOSTILE"


def hostile_tokens():
    out = []
    for name, text in HOSTILE_ITEMS:
        half = len(text) // 2
        out += ["\n\n[%s] " % name, text[:half], text[half:],
                " [/%s]" % name]
    return out + ["\n\n" + HOSTILE_END + "\n"]

REASONING_TOKENS = ["Thinking", " about", " it", " first."]

TOKEN_WORDS = ["lorem ", "ipsum ", "dolor ", "sit ", "amet "]

DEMO_TEXT = """\
This answer comes from tolk's demo server, not from a model. You wrote:

> %s

Set `OPENAI_API_KEY`, `ANTHROPIC_API_KEY`, `GEMINI_API_KEY`, \
`MISTRAL_API_KEY` or `OPENROUTER_API_KEY`, or start Ollama on this \
machine, and tolk asks a real model instead. Answers stream in as they \
arrive, in any language:

- **Slovenščina:** Živjo, svet! Čaša, šola, žaba.
- **Ελληνικά:** Γεια σου, κόσμε!
- **Polski:** Zażółć gęślą jaźń.

```sh
git diff | tolk -p "Write a commit message" -m ollama:llama3.2
```
"""


# A Slovenian prompt, and two answers in the wrong language (wronglang).
WRONGLANG_PROMPT = ("Kje je poleti v Sloveniji najlepše? Prosim, odgovori "
                    "v nekaj stavkih in mi svetuj, kam naj grem.")

WRONGLANG_HR = """\
Ljeto u Sloveniji najljepše je provesti uz jezera i u planinama. Bled i \
Bohinj nude čistu vodu, šetnice oko jezera i pogled na Julijske Alpe. Tko \
više voli more, neka ode u Piran, mali grad s uskim ulicama, trgovima i \
odličnom ribom. Za ljubitelje prirode preporučujem dolinu Soče, gdje se \
možete kupati, voziti kajak ili jednostavno uživati u tišini. Do većine \
mjesta lako ćete stići vlakom ili autobusom, a tjedan dana sasvim je \
dovoljno za obitelj. Ljudi su uvijek gostoljubivi, a hrana je izvrsna, \
osobito domaći kruh i sir.
"""

WRONGLANG_DRIFT = """\
Poleti je v Sloveniji najlepše ob jezerih in v gorah. Bled in Bohinj \
ponujata čisto vodo, sprehajalne poti okoli jezera in razgled na \
Julijske Alpe. Če imate raje morje, je Piran majhno mesto z ozkimi \
ulicami, trgi in odlično ribo.

Za ljubitelje narave priporočam dolino Soče, kjer se lahko kopate, \
veslate s kajakom ali preprosto uživate v tišini. Ljudje so gostoljubni, \
hrana pa je odlična, še posebej domač kruh in sir.

If you travel in July or August, book your accommodation early, because \
the most popular places fill up quickly. The weather is usually warm and \
sunny, but evenings in the mountains can be cool, so bring a light \
jacket. Trains and buses connect the main towns, although a car gives \
you much more freedom.
"""


# Hidden characters for the inspection view (hidden).
HIDDEN_TEXT = ("Račun plačaj na strani p\u0430ypal.com in ne odpiraj "
               "priponk, ki jih nisi pričakoval.\n\n"
               "Tukaj je nevidni presledek:\u200b in tukaj se konča.\n\n"
               "Priponka se imenuje \u202egpj.exe, kar je nevarno.\n")


def wronglang_text(nusers):
    return WRONGLANG_HR if nusers <= 1 else WRONGLANG_DRIFT


def demo_text(prompt):
    prompt = " ".join((prompt or "").split())
    if len(prompt) > 200:
        prompt = prompt[:199] + "…"
    return DEMO_TEXT % (prompt or "(nothing)")

SCENARIOS = ["normal", "multilingual", "slow", "stall", "cut", "truncated",
             "ratelimit", "error500", "overloaded", "html502",
             "unauthorized", "notfound", "garbage", "big", "escapes", "hostile", "midstream-error",
             "reasoning", "refusal", "tokens-1000", "echo", "demo",
             "wronglang", "hidden"]

BIG_LINES = 122000
BIG_LINES_PER_TOKEN = 20


def big_line(i):
    """Line i of the big answer: 86 bytes with its newline."""
    return ("%06d The quick brown fox jumps over the lazy dog; "
            "pack my box with five dozen jugs.\n" % i)


def big_tokens():
    for start in range(0, BIG_LINES, BIG_LINES_PER_TOKEN):
        yield "".join(big_line(i) for i in
                      range(start, min(start + BIG_LINES_PER_TOKEN,
                                       BIG_LINES)))


def scenario_text(name):
    """The answer text a scenario sends (for tests), or None."""
    scen = name.split("+", 1)[0]
    if scen == "multilingual":
        return "".join(MULTILINGUAL_TOKENS)
    if scen == "escapes":
        return ESCAPES_TEXT
    if scen == "hostile":
        return "".join(hostile_tokens())
    if scen == "big":
        return "".join(big_tokens())
    m = re.fullmatch(r"(?:tokens|events)-(\d+)", scen)
    if m:
        n = int(m.group(1))
        return "".join(TOKEN_WORDS[i % 5] for i in range(n))
    if scen in ("cut", "truncated"):
        return "".join(NORMAL_TOKENS[:10])
    if scen == "stall":
        return "".join(NORMAL_TOKENS[:3])
    if scen == "midstream-error":
        return "".join(NORMAL_TOKENS[:5])
    if scen == "garbage":
        return "Hello"
    if scen == "wronglang":
        return WRONGLANG_HR
    if scen == "hidden":
        return HIDDEN_TEXT
    return "".join(NORMAL_TOKENS)


# --------------------------------------------------------------------------
# Scripts: what a scenario sends, independent of the API.
#
# A script is a list of steps:
#   ("text", s)  ("think", s)  ("refusal", s)  ("sleep", seconds)
#   ("garbage",)  ("error",)  ("stall",)  ("cut",)  ("truncate",)
#   ("finish", reason)   reason: stop, length, refusal, safety
# The API encoder renders each step.


def script_for(scen, req_summary):
    if scen == "multilingual":
        return ([("text", t) for t in MULTILINGUAL_TOKENS] +
                [("finish", "stop")])
    if scen == "slow":
        steps = []
        for t in NORMAL_TOKENS:
            steps += [("text", t), ("sleep", 0.05)]
        return steps + [("finish", "stop")]
    if scen == "stall":
        return [("text", t) for t in NORMAL_TOKENS[:3]] + [("stall",)]
    if scen == "cut":
        return [("text", t) for t in NORMAL_TOKENS[:10]] + [("cut",)]
    if scen == "truncated":
        return [("text", t) for t in NORMAL_TOKENS[:10]] + [("truncate",)]
    if scen == "garbage":
        return [("text", "Hello"), ("garbage",), ("finish", "stop")]
    if scen == "big":
        return [("text", t) for t in big_tokens()] + [("finish", "stop")]
    if scen == "escapes":
        return [("text", t) for t in ESCAPES_TOKENS] + [("finish", "stop")]
    if scen == "hostile":
        return ([("text", t) for t in hostile_tokens()] +
                [("finish", "stop")])
    if scen == "midstream-error":
        return [("text", t) for t in NORMAL_TOKENS[:5]] + [("error",)]
    if scen == "reasoning":
        return ([("think", t) for t in REASONING_TOKENS] +
                [("text", t) for t in NORMAL_TOKENS] + [("finish", "stop")])
    if scen == "refusal":
        return ([("refusal", t) for t in NORMAL_TOKENS] +
                [("finish", "refusal")])
    if scen == "demo":
        steps = []
        for t in re.findall(r"\s*\S+|\s+", demo_text(req_summary[1])):
            steps += [("text", t), ("sleep", 0.015)]
        return steps + [("finish", "stop")]
    if scen == "hidden":
        return ([("text", t) for t in re.findall(r"\s*\S+|\s+", HIDDEN_TEXT)]
                + [("finish", "stop")])
    if scen == "wronglang":
        return ([("text", t) for t in
                 re.findall(r"\s*\S+|\s+", wronglang_text(req_summary[2]))] +
                [("finish", "stop")])
    if scen == "echo":
        s = req_summary[0]
        return ([("text", s[i:i + 16]) for i in range(0, len(s), 16)] +
                [("finish", "stop")])
    m = re.fullmatch(r"(?:tokens|events)-(\d+)", scen)
    if m:
        n = int(m.group(1))
        return [("text", TOKEN_WORDS[i % 5]) for i in range(n)] + [
            ("finish", "stop")]
    return [("text", t) for t in NORMAL_TOKENS] + [("finish", "stop")]


def dumps(obj, ascii_only=False):
    return json.dumps(obj, ensure_ascii=ascii_only, separators=(",", ":"))


# --------------------------------------------------------------------------
# Encoders: one per API.  Each turns script steps into bytes ("frames").
# They count tokens themselves (self.out, self.think) for usage.


class Encoder:
    content_type = "text/event-stream; charset=utf-8"

    def __init__(self, model, req):
        self.model = model
        self.req = req
        self.out = 0
        self.think = 0

    def count(self, kind, s):
        if kind == "think":
            self.think += 1
        else:
            self.out += 1


class OpenAIEncoder(Encoder):
    api = "openai"

    def __init__(self, model, req):
        super().__init__(model, req)
        self.ident = "chatcmpl-fake0001"
        opts = req.get("stream_options") or {}
        self.usage = bool(isinstance(opts, dict) and opts.get("include_usage"))

    def chunk(self, choices, ascii_only=False, usage=False):
        obj = {"id": self.ident, "object": "chat.completion.chunk",
               "created": CREATED, "model": self.model,
               "system_fingerprint": "fp_fake", "choices": choices}
        if usage:
            obj["usage"] = None
        return b"data: " + dumps(obj, ascii_only).encode() + b"\n\n"

    def delta(self, delta, finish=None, ascii_only=False):
        return self.chunk([{"index": 0, "delta": delta, "logprobs": None,
                            "finish_reason": finish}], ascii_only, self.usage)

    def start(self):
        return [self.delta({"role": "assistant", "content": "",
                            "refusal": None})]

    def step(self, kind, arg):
        if kind in ("text", "think", "refusal"):
            self.count(kind, arg)
            field = {"text": "content", "think": "reasoning_content",
                     "refusal": "refusal"}[kind]
            astral = any(ord(c) > 0xFFFF for c in arg)
            return [self.delta({field: arg}, ascii_only=astral)]
        if kind == "garbage":
            return [b"data: {\"id\":\"chatcmpl-fake0001\",\"choices\":[{<html>"
                    b" oops, this is not JSON\n\n"]
        if kind == "error":
            return [b"data: " + dumps(OPENAI_ERRORS["midstream"][1]).encode()
                    + b"\n\n", b"data: [DONE]\n\n"]
        if kind == "finish":
            reason = {"refusal": "stop", "safety": "content_filter"}.get(
                arg, arg)
            frames = [self.delta({}, finish=reason)]
            if self.usage:
                u = self.usage_obj()
                frames.append(b"data: " + dumps(
                    {"id": self.ident, "object": "chat.completion.chunk",
                     "created": CREATED, "model": self.model,
                     "system_fingerprint": "fp_fake", "choices": [],
                     "usage": u}).encode() + b"\n\n")
            frames.append(b"data: [DONE]\n\n")
            return frames
        return []

    def usage_obj(self):
        out = self.out + self.think
        return {"prompt_tokens": INPUT_TOKENS, "completion_tokens": out,
                "total_tokens": INPUT_TOKENS + out,
                "prompt_tokens_details": {"cached_tokens": 0,
                                          "audio_tokens": 0},
                "completion_tokens_details": {
                    "reasoning_tokens": self.think, "audio_tokens": 0,
                    "accepted_prediction_tokens": 0,
                    "rejected_prediction_tokens": 0}}

    def whole(self, text, think, reason):
        msg = {"role": "assistant", "content": text, "refusal": None}
        if think:
            msg["reasoning_content"] = think
        return {"id": self.ident, "object": "chat.completion",
                "created": CREATED, "model": self.model,
                "choices": [{"index": 0, "message": msg, "logprobs": None,
                             "finish_reason": reason}],
                "usage": self.usage_obj(), "system_fingerprint": "fp_fake"}


class AnthropicEncoder(Encoder):
    api = "anthropic"

    def __init__(self, model, req):
        super().__init__(model, req)
        self.block = -1
        self.block_type = None

    @staticmethod
    def event(name, obj):
        return (b"event: " + name.encode() + b"\ndata: " +
                dumps(obj).encode() + b"\n\n")

    def start(self):
        msg = {"id": "msg_fake0001", "type": "message", "role": "assistant",
               "model": self.model, "content": [], "stop_reason": None,
               "stop_sequence": None,
               "usage": {"input_tokens": INPUT_TOKENS,
                         "cache_creation_input_tokens": 0,
                         "cache_read_input_tokens": 0, "output_tokens": 1}}
        return [self.event("message_start",
                           {"type": "message_start", "message": msg})]

    def close_block(self):
        frames = []
        if self.block_type == "thinking":
            frames.append(self.event("content_block_delta", {
                "type": "content_block_delta", "index": self.block,
                "delta": {"type": "signature_delta",
                          "signature": "RmFrZVNpZ25hdHVyZQ=="}}))
        if self.block_type is not None:
            frames.append(self.event("content_block_stop", {
                "type": "content_block_stop", "index": self.block}))
        self.block_type = None
        return frames

    def open_block(self, btype):
        frames = []
        if self.block_type == btype:
            return frames
        frames += self.close_block()
        self.block += 1
        self.block_type = btype
        if btype == "thinking":
            cb = {"type": "thinking", "thinking": "", "signature": ""}
        else:
            cb = {"type": "text", "text": ""}
        frames.append(self.event("content_block_start", {
            "type": "content_block_start", "index": self.block,
            "content_block": cb}))
        if self.block == 0:
            frames.append(b"event: ping\ndata: {\"type\": \"ping\"}\n\n")
        return frames

    def step(self, kind, arg):
        if kind in ("text", "refusal"):
            self.count(kind, arg)
            return self.open_block("text") + [self.event(
                "content_block_delta", {
                    "type": "content_block_delta", "index": self.block,
                    "delta": {"type": "text_delta", "text": arg}})]
        if kind == "think":
            self.count(kind, arg)
            return self.open_block("thinking") + [self.event(
                "content_block_delta", {
                    "type": "content_block_delta", "index": self.block,
                    "delta": {"type": "thinking_delta", "thinking": arg}})]
        if kind == "garbage":
            return [b"event: content_block_delta\ndata: {\"type\":"
                    b"\"content_block_delta\", <html> not JSON\n\n"]
        if kind == "error":
            return [self.event("error", ANTHROPIC_ERRORS["midstream"][1])]
        if kind == "finish":
            reason = {"stop": "end_turn", "length": "max_tokens",
                      "refusal": "refusal", "safety": "refusal"}[arg]
            return self.close_block() + [
                self.event("message_delta", {
                    "type": "message_delta",
                    "delta": {"stop_reason": reason, "stop_sequence": None},
                    "usage": {"output_tokens": self.out + self.think}}),
                self.event("message_stop", {"type": "message_stop"})]
        return []

    def whole(self, text, think, reason):
        content = []
        if think:
            content.append({"type": "thinking", "thinking": think,
                            "signature": "RmFrZVNpZ25hdHVyZQ=="})
        content.append({"type": "text", "text": text})
        return {"id": "msg_fake0001", "type": "message", "role": "assistant",
                "model": self.model, "content": content,
                "stop_reason": {"stop": "end_turn", "length": "max_tokens",
                                "refusal": "refusal"}.get(reason, reason),
                "stop_sequence": None,
                "usage": {"input_tokens": INPUT_TOKENS,
                          "cache_creation_input_tokens": 0,
                          "cache_read_input_tokens": 0,
                          "output_tokens": self.out + self.think}}


def go_json(obj):
    """JSON as Go's encoding/json writes it: compact, HTML-safe escapes."""
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return (s.replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("&", "\\u0026").replace("\u2028", "\\u2028")
            .replace("\u2029", "\\u2029"))


class OllamaEncoder(Encoder):
    api = "ollama"
    content_type = "application/x-ndjson"

    def line(self, obj):
        return go_json(obj).encode() + b"\n"

    def msg(self, content, thinking=None):
        m = {"role": "assistant", "content": content}
        if thinking is not None:
            m["thinking"] = thinking
        return {"model": self.model, "created_at": CREATED_AT, "message": m,
                "done": False}

    def start(self):
        return []

    def durations(self):
        out = self.out + self.think
        ev = out * 10000000
        pe = 5000000
        load = 1000000
        return {"total_duration": ev + pe + load + 2000000,
                "load_duration": load, "prompt_eval_count": INPUT_TOKENS,
                "prompt_eval_duration": pe, "eval_count": out,
                "eval_duration": ev}

    def step(self, kind, arg):
        if kind in ("text", "refusal"):
            self.count(kind, arg)
            return [self.line(self.msg(arg))]
        if kind == "think":
            self.count(kind, arg)
            return [self.line(self.msg("", arg))]
        if kind == "garbage":
            return [b"{\"model\":\"x\",\"message\":<html> not JSON\n"]
        if kind == "error":
            return [self.line(OLLAMA_ERRORS["midstream"][1])]
        if kind == "finish":
            obj = {"model": self.model, "created_at": CREATED_AT,
                   "message": {"role": "assistant", "content": ""},
                   "done": True,
                   "done_reason": "length" if arg == "length" else "stop"}
            obj.update(self.durations())
            return [self.line(obj)]
        return []

    def whole(self, text, think, reason):
        m = {"role": "assistant", "content": text}
        if think:
            m["thinking"] = think
        obj = {"model": self.model, "created_at": CREATED_AT, "message": m,
               "done": True, "done_reason": reason}
        obj.update(self.durations())
        return obj


class GeminiEncoder(Encoder):
    api = "gemini"

    def gdump(self, obj):
        return json.dumps(obj, ensure_ascii=False, separators=(",", ": "))

    def usage_obj(self):
        u = {"promptTokenCount": INPUT_TOKENS,
             "candidatesTokenCount": self.out,
             "totalTokenCount": INPUT_TOKENS + self.out + self.think,
             "promptTokensDetails": [{"modality": "TEXT",
                                      "tokenCount": INPUT_TOKENS}]}
        if self.think:
            u["thoughtsTokenCount"] = self.think
        return u

    def response(self, parts, finish=None):
        cand = {"content": {"parts": parts, "role": "model"}, "index": 0}
        if finish:
            cand["finishReason"] = finish
        return {"candidates": [cand], "usageMetadata": self.usage_obj(),
                "modelVersion": self.model,
                "responseId": "fakeResponseId0001"}

    def event(self, obj):
        return b"data: " + self.gdump(obj).encode() + b"\r\n\r\n"

    def start(self):
        return []

    def step(self, kind, arg):
        if kind in ("text", "refusal"):
            self.count(kind, arg)
            return [self.event(self.response([{"text": arg}]))]
        if kind == "think":
            self.count(kind, arg)
            return [self.event(self.response([{"text": arg,
                                               "thought": True}]))]
        if kind == "garbage":
            return [b"data: {\"candidates\": [<html> not JSON\r\n\r\n"]
        if kind == "error":
            return [self.event(GEMINI_ERRORS["midstream"][1])]
        if kind == "finish":
            reason = {"stop": "STOP", "length": "MAX_TOKENS",
                      "refusal": "SAFETY", "safety": "SAFETY"}[arg]
            return [self.event(self.response([{"text": ""}], reason))]
        return []

    def whole(self, text, think, reason):
        parts = []
        if think:
            parts.append({"text": think, "thought": True})
        parts.append({"text": text})
        return self.response(parts, {"stop": "STOP"}.get(reason, reason))


ENCODERS = {"openai": OpenAIEncoder, "anthropic": AnthropicEncoder,
            "ollama": OllamaEncoder, "gemini": GeminiEncoder}


# --------------------------------------------------------------------------
# Error bodies, as each API writes them: (status, body[, headers]).

OPENAI_ERRORS = {
    "ratelimit": (429, {"error": {
        "message": "Rate limit reached for requests",
        "type": "requests", "param": None, "code": "rate_limit_exceeded"}},
        {"retry-after": "1", "x-ratelimit-limit-requests": "3",
         "x-ratelimit-remaining-requests": "0",
         "x-ratelimit-reset-requests": "1s"}),
    "error500": (500, {"error": {
        "message": "The server had an error while processing your request. "
                   "Sorry about that!",
        "type": "server_error", "param": None, "code": None}}),
    "overloaded": (503, {"error": {
        "message": "The engine is currently overloaded, please try again "
                   "later",
        "type": "server_error", "param": None, "code": None}}),
    "unauthorized": (401, {"error": {
        "message": "Incorrect API key provided: sk-fa***********************"
                   "oops. You can find your API key at "
                   "https://platform.openai.com/account/api-keys.",
        "type": "invalid_request_error", "param": None,
        "code": "invalid_api_key"}}),
    "nokey": (401, {"error": {
        "message": "You didn't provide an API key. You need to provide your "
                   "API key in an Authorization header using Bearer auth "
                   "(i.e. Authorization: Bearer YOUR_KEY), or as the password "
                   "field (with blank username) if you're accessing the API "
                   "from your browser and are prompted for a username and "
                   "password. You can obtain an API key from "
                   "https://platform.openai.com/account/api-keys.",
        "type": "invalid_request_error", "param": None, "code": None}}),
    "notfound": (404, {"error": {
        "message": "The model `MODEL` does not exist or you do not have "
                   "access to it.",
        "type": "invalid_request_error", "param": None,
        "code": "model_not_found"}}),
    "midstream": (200, {"error": {
        "message": "The server had an error while processing your request. "
                   "Sorry about that!",
        "type": "server_error", "param": None, "code": None}}),
}

ANTHROPIC_ERRORS = {
    "ratelimit": (429, {"type": "error", "error": {
        "type": "rate_limit_error",
        "message": "This request would exceed the rate limit for your "
                   "organization of 50 requests per minute."},
        "request_id": "req_fake0001"},
        {"retry-after": "1",
         "anthropic-ratelimit-requests-limit": "50",
         "anthropic-ratelimit-requests-remaining": "0",
         "anthropic-ratelimit-requests-reset": "2024-11-14T22:13:21Z"}),
    "error500": (500, {"type": "error", "error": {
        "type": "api_error", "message": "Internal server error"},
        "request_id": "req_fake0001"}),
    "overloaded": (529, {"type": "error", "error": {
        "type": "overloaded_error", "message": "Overloaded"},
        "request_id": "req_fake0001"}),
    "unauthorized": (401, {"type": "error", "error": {
        "type": "authentication_error", "message": "invalid x-api-key"},
        "request_id": "req_fake0001"}),
    "notfound": (404, {"type": "error", "error": {
        "type": "not_found_error", "message": "model: MODEL"},
        "request_id": "req_fake0001"}),
    "midstream": (200, {"type": "error", "error": {
        "type": "overloaded_error", "message": "Overloaded"}}),
}

OLLAMA_ERRORS = {
    "ratelimit": (429, {"error": "too many requests, please retry later"},
                  {"retry-after": "1"}),
    "error500": (500, {"error": "llama runner process has terminated: "
                                "exit status 2"}),
    "overloaded": (503, {"error": "server busy, please try again.  maximum "
                                  "pending requests exceeded"}),
    "unauthorized": (401, {"error": "unauthorized"}),
    "notfound": (404, {"error": "model \"MODEL\" not found, try pulling it "
                                "first"}),
    "midstream": (200, {"error": "an error was encountered while running "
                                 "the model"}),
}


# What a reverse proxy in front of an API answers when the API is down.
PROXY_502 = """<html>\r
<head><title>502 Bad Gateway</title></head>\r
<body>\r
<center><h1>502 Bad Gateway</h1></center>\r
<hr><center>nginx</center>\r
</body>\r
</html>\r
"""


def google_error(code, status, message, details=None):
    err = {"code": code, "message": message, "status": status}
    if details:
        err["details"] = details
    return {"error": err}


GEMINI_ERRORS = {
    "ratelimit": (429, google_error(
        429, "RESOURCE_EXHAUSTED",
        "You exceeded your current quota, please check your plan and "
        "billing details. For more information on this error, head to: "
        "https://ai.google.dev/gemini-api/docs/rate-limits.",
        [{"@type": "type.googleapis.com/google.rpc.QuotaFailure",
          "violations": [{
              "quotaMetric": "generativelanguage.googleapis.com/"
                             "generate_content_free_tier_requests",
              "quotaId": "GenerateRequestsPerMinutePerProjectPerModel-"
                         "FreeTier"}]},
         {"@type": "type.googleapis.com/google.rpc.Help",
          "links": [{"description": "Learn more about Gemini API quotas",
                     "url": "https://ai.google.dev/gemini-api/docs/"
                            "rate-limits"}]},
         {"@type": "type.googleapis.com/google.rpc.RetryInfo",
          "retryDelay": "1s"}])),
    "error500": (500, google_error(
        500, "INTERNAL",
        "An internal error has occurred. Please retry or report in "
        "https://developers.generativeai.google/guide/troubleshooting")),
    "overloaded": (503, google_error(
        503, "UNAVAILABLE",
        "The model is overloaded. Please try again later.")),
    "unauthorized": (401, google_error(
        401, "UNAUTHENTICATED",
        "Request had invalid authentication credentials. Expected OAuth 2 "
        "access token, login cookie or other valid authentication "
        "credential.")),
    "badkey": (400, google_error(
        400, "INVALID_ARGUMENT",
        "API key not valid. Please pass a valid API key.",
        [{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
          "reason": "API_KEY_INVALID", "domain": "googleapis.com",
          "metadata": {"service": "generativelanguage.googleapis.com"}}])),
    "nokey": (403, google_error(
        403, "PERMISSION_DENIED",
        "Method doesn't allow unregistered callers (callers without "
        "established identity). Please use API Key or other form of API "
        "consumer identity to call this API.")),
    "notfound": (404, google_error(
        404, "NOT_FOUND",
        "models/MODEL is not found for API version v1beta, or is not "
        "supported for generateContent. Call ListModels to see the list of "
        "available models and their supported methods.")),
    "midstream": (200, google_error(
        500, "INTERNAL",
        "An internal error has occurred. Please retry or report in "
        "https://developers.generativeai.google/guide/troubleshooting")),
}

ERRORS = {"openai": OPENAI_ERRORS, "anthropic": ANTHROPIC_ERRORS,
          "ollama": OLLAMA_ERRORS, "gemini": GEMINI_ERRORS}


def bad_request(api, message):
    """The API's 400 for a malformed request."""
    if api == "openai":
        return 400, {"error": {"message": message,
                               "type": "invalid_request_error",
                               "param": None, "code": None}}
    if api == "anthropic":
        return 400, {"type": "error", "error": {
            "type": "invalid_request_error", "message": message},
            "request_id": "req_fake0001"}
    if api == "ollama":
        return 400, {"error": message}
    return 400, google_error(400, "INVALID_ARGUMENT", message)


# --------------------------------------------------------------------------
# The server.


class State:
    def __init__(self, key, log):
        self.key = key
        self.log = log
        self.lock = threading.Lock()
        self.requests = []
        self.seen = {}

    def record(self, rec):
        with self.lock:
            self.requests.append(rec)
            if self.log:
                self.log.write("%s %s%s\n" % (
                    rec["method"], rec["path"],
                    "?" + rec["query"] if rec["query"] else ""))
                self.log.flush()

    def first_time(self, api, model):
        """True the first time an API sees a model name (ratelimit)."""
        with self.lock:
            n = self.seen.get((api, model), 0)
            self.seen[(api, model)] = n + 1
            return n == 0


GEMINI_PATH = re.compile(
    r"^(?:/v1beta|/v1|/v1alpha)?/models/([^/:]+):"
    r"(streamGenerateContent|generateContent)$")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fakeapi/1"

    def log_message(self, fmt, *args):
        pass

    # ---- plumbing

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def send_json(self, status, obj, headers=None, pretty=False):
        if pretty:
            body = (json.dumps(obj, indent=2, ensure_ascii=False) +
                    "\n").encode()
        else:
            body = dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def send_html(self, status, text):
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_api_error(self, api, status, body, headers=None):
        self.send_json(status, body, headers, pretty=(api == "gemini"))

    def begin_stream(self, content_type):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        self.wfile.flush()
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP,
                                       socket.TCP_NODELAY, 1)
        except OSError:
            pass

    def chunk(self, data):
        """One HTTP chunk in one TCP write."""
        if data:
            self.wfile.write(b"%x\r\n" % len(data) + data + b"\r\n")

    def end_stream(self):
        self.wfile.write(b"0\r\n\r\n")

    def abort(self):
        """Close the connection at once, mid-body."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def wait_for_client_gone(self, limit=600):
        """A stall: send nothing and keep the connection until the peer
        closes it (or limit seconds pass)."""
        end = time.monotonic() + limit
        while time.monotonic() < end:
            r, _, _ = select.select([self.connection], [], [], 0.2)
            if r:
                try:
                    if not self.connection.recv(4096, socket.MSG_PEEK):
                        break
                except OSError:
                    break
                time.sleep(0.2)
        self.close_connection = True

    # ---- requests

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/_fake/requests":
            with self.server.state.lock:
                data = list(self.server.state.requests)
            self.send_json(200, data)
        elif url.path == "/_fake/stats":
            ru = resource.getrusage(resource.RUSAGE_SELF)
            self.send_json(200, {"cpu_user": ru.ru_utime,
                                 "cpu_sys": ru.ru_stime})
        elif url.path in ("/v1/models", "/models"):
            self.send_json(200, {"object": "list", "data": [
                {"id": m, "object": "model", "created": CREATED,
                 "owned_by": "fakeapi"} for m in SCENARIOS]})
        elif url.path == "/api/tags":
            self.send_json(200, {"models": [
                {"name": m, "model": m, "modified_at": CREATED_AT,
                 "size": 0} for m in SCENARIOS]})
        elif url.path == "/api/version":
            self.send_json(200, {"version": "0.0.0-fakeapi"})
        elif url.path == "/":
            # What a real Ollama answers, so probes for one find this.
            body = b"Ollama is running"
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_json(404, {"error": "not found: %s" % url.path})

    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        raw = self.read_body()
        state = self.server.state
        if url.path == "/_fake/reset":
            with state.lock:
                state.requests.clear()
                state.seen.clear()
            self.send_json(200, {"reset": True})
            return
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        state.record({
            "method": "POST", "path": url.path, "query": url.query,
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "body": raw.decode("utf-8", "replace"), "json": body,
            "time": time.monotonic()})

        path = url.path
        query = urllib.parse.parse_qs(url.query)
        gm = GEMINI_PATH.match(path)
        if path in ("/v1/chat/completions", "/chat/completions"):
            api, model_from_path, streaming_path = "openai", None, None
        elif path == "/v1/messages":
            api, model_from_path, streaming_path = "anthropic", None, None
        elif path == "/api/chat":
            api, model_from_path, streaming_path = "ollama", None, None
        elif gm:
            api = "gemini"
            model_from_path = urllib.parse.unquote(gm.group(1))
            streaming_path = gm.group(2) == "streamGenerateContent"
        else:
            self.send_json(404, {"error": {
                "message": "Invalid URL (POST %s)" % path,
                "type": "invalid_request_error", "param": None,
                "code": None}})
            return

        if not self.check_auth(api, query):
            return
        req, problem = validate(api, raw, body)
        if problem:
            self.send_api_error(api, *bad_request(api, problem))
            return
        model = model_from_path if api == "gemini" else req["model"]
        if api == "gemini":
            stream = streaming_path
            if stream and query.get("alt") != ["sse"]:
                # Without alt=sse Gemini streams a JSON array; we do not.
                self.send_api_error(api, *bad_request(
                    api, "fakeapi serves streamGenerateContent only with "
                         "alt=sse"))
                return
        else:
            stream = req.get("stream", api == "ollama") is not False
        self.answer(api, model, req, stream)

    def check_auth(self, api, query):
        key = self.server.state.key
        h = self.headers
        if api == "openai":
            auth = h.get("Authorization")
            if not auth:
                self.send_api_error(api, *OPENAI_ERRORS["nokey"][:2])
                return False
            if auth != "Bearer " + key:
                self.send_api_error(api, *OPENAI_ERRORS["unauthorized"][:2])
                return False
        elif api == "anthropic":
            if h.get("x-api-key") != key:
                self.send_api_error(api, *ANTHROPIC_ERRORS["unauthorized"][:2])
                return False
            if not h.get("anthropic-version"):
                self.send_api_error(api, *bad_request(
                    api, "anthropic-version: header is required"))
                return False
        elif api == "gemini":
            given = h.get("x-goog-api-key") or (query.get("key") or [None])[0]
            if given is None:
                self.send_api_error(api, *GEMINI_ERRORS["nokey"][:2])
                return False
            if given != key:
                self.send_api_error(api, *GEMINI_ERRORS["badkey"][:2])
                return False
        return True

    def answer(self, api, model, req, stream):
        scen = model.split("+", 1)[0]
        errors = ERRORS[api]
        if (scen == "ratelimit" and
                not self.server.state.first_time(api, model)):
            scen = "normal"
        if scen == "html502":
            self.send_html(502, PROXY_502)
            return
        if scen in ("ratelimit", "error500", "overloaded", "unauthorized",
                    "notfound"):
            e = errors[scen]
            body = json.loads(json.dumps(e[1]).replace("MODEL", model))
            self.send_api_error(api, e[0], body, e[2] if len(e) > 2 else None)
            return
        enc = ENCODERS[api](model, req)
        steps = script_for(scen, echo_summary(api, req))
        if not stream:
            self.answer_whole(enc, steps)
            return
        self.begin_stream(enc.content_type)
        tokens = scen.startswith("tokens-")
        self.run(enc, steps, batch=tokens or scen == "big",
                 split=scen == "multilingual",
                 cacheable=tokens or scen.startswith("events-"))

    def answer_whole(self, enc, steps):
        text, think, reason = [], [], "stop"
        for step in steps:
            if step[0] in ("text", "refusal"):
                enc.count(step[0], step[1])
                text.append(step[1])
            elif step[0] == "think":
                enc.count("think", step[1])
                think.append(step[1])
            elif step[0] == "finish":
                reason = step[1]
        self.send_json(200, enc.whole("".join(text), "".join(think), reason))

    def run(self, enc, steps, batch, split, cacheable):
        """Send a script.  batch: gather frames into writes of
        batch_size bytes; split: cut each frame in two writes;
        cacheable: frames depend only on the text (tokens-N)."""
        batch_size = (1 << 20) if cacheable else (256 << 10)
        pending = []
        size = 0

        def flush():
            nonlocal size
            if pending:
                self.chunk(b"".join(pending))
                pending.clear()
                size = 0

        def emit(frames):
            nonlocal size
            for f in frames:
                if batch:
                    pending.append(f)
                    size += len(f)
                    if size >= batch_size:
                        flush()
                elif split:
                    self.write_split(f)
                else:
                    self.chunk(f)

        cache = {}
        try:
            emit(enc.start())
            for step in steps:
                kind = step[0]
                if kind == "sleep":
                    flush()
                    time.sleep(step[1])
                elif kind == "stall":
                    flush()
                    self.wait_for_client_gone()
                    return
                elif kind == "cut":
                    flush()
                    self.abort()
                    return
                elif kind == "truncate":
                    break
                elif (cacheable and kind == "text" and
                      enc.api != "gemini"):
                    # Frames that do not depend on the count are cached:
                    # the benchmark must not wait for the server.
                    frames = cache.get(step[1])
                    if frames is None:
                        frames = cache[step[1]] = enc.step(kind, step[1])
                    else:
                        enc.count(kind, step[1])
                    emit(frames)
                else:
                    emit(enc.step(kind, step[1] if len(step) > 1 else None))
            flush()
            self.end_stream()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def write_split(self, frame):
        """Write a frame as two chunks in two TCP writes, cut inside a
        multibyte character when there is one."""
        cut = next((i for i, b in enumerate(frame) if 0x80 <= b < 0xC0),
                   len(frame) // 2)
        self.chunk(frame[:cut])
        time.sleep(0.002)
        self.chunk(frame[cut:])


def echo_summary(api, req):
    """What the echo scenario answers, and the last user message."""
    if api == "gemini":
        msgs = req.get("contents") or []
        users = [m for m in msgs if m.get("role", "user") == "user"]
        last = ""
        if users:
            last = "".join(p.get("text", "") for p in
                           users[-1].get("parts") or [])
    else:
        msgs = req.get("messages") or []
        users = [m for m in msgs if m.get("role") == "user"]
        last = ""
        if users:
            c = users[-1].get("content")
            if isinstance(c, list):
                last = "".join(b.get("text", "") for b in c
                               if isinstance(b, dict))
            else:
                last = c or ""
    return ("%d messages; last user message: %s" % (len(msgs), last),
            last, len(users))


def validate(api, raw, body):
    """(request, None) or (None, the API's message for a bad request)."""
    if body is None or not isinstance(body, dict):
        if api == "openai":
            return None, ("We could not parse the JSON body of your request. "
                          "(HINT: This likely means you aren't using your "
                          "HTTP library correctly. The OpenAI API expects a "
                          "JSON payload, but what was sent was not valid "
                          "JSON. If you have trouble figuring out how to fix "
                          "this, please contact us through our help center "
                          "at help.openai.com.)")
        if api == "anthropic":
            return None, "There was an issue with your request body"
        if api == "ollama":
            return None, "invalid character in request body"
        return None, "Invalid JSON payload received."
    if api == "gemini":
        contents = body.get("contents")
        if not contents:
            return None, "* GenerateContentRequest.contents: contents is " \
                         "not specified\n"
        for c in contents:
            if c.get("role", "user") not in ("user", "model"):
                return None, "Please use a valid role: user, model."
        return body, None
    if not body.get("model"):
        if api == "openai":
            return None, "you must provide a model parameter"
        if api == "anthropic":
            return None, "model: Field required"
        return None, "model is required"
    msgs = body.get("messages")
    if not isinstance(msgs, list) or not msgs:
        if api == "openai":
            return None, ("Invalid 'messages': empty array. Expected an array "
                          "with minimum length 1, but got an empty array "
                          "instead.")
        if api == "anthropic":
            return None, "messages: Field required"
        return body, None
    if api == "anthropic":
        if "max_tokens" not in body:
            return None, "max_tokens: Field required"
        for m in msgs:
            if m.get("role") not in ("user", "assistant"):
                return None, ("messages: Unexpected role \"%s\". The Messages "
                              "API accepts a top-level `system` parameter, "
                              "not \"system\" as an input message role."
                              % m.get("role"))
        t = body.get("temperature")
        if isinstance(t, (int, float)) and not 0 <= t <= 1:
            return None, "temperature: range: 0..1"
    if api == "openai":
        t = body.get("temperature")
        if isinstance(t, (int, float)) and not 0 <= t <= 2:
            return None, ("Invalid 'temperature': decimal above maximum "
                          "value. Expected a value <= 2, but got %s instead."
                          % t)
    return body, None


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="A fake OpenAI/Anthropic/Ollama/Gemini API server.")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--key", default="test-key")
    ap.add_argument("--log")
    args = ap.parse_args(argv)

    log = open(args.log, "a", encoding="utf-8") if args.log else None
    server = Server((args.host, args.port), Handler)
    server.state = State(args.key, log)
    port = server.server_address[1]
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.replace(tmp, args.port_file)
    else:
        print("fakeapi: listening on http://%s:%d" % (args.host, port),
              file=sys.stderr, flush=True)
    try:
        server.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
