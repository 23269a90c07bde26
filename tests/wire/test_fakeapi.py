#!/usr/bin/env python3
"""Tests of tests/fakeapi.py itself, with a plain HTTP client: the server
the other wire tests trust must speak each API as documented (TAP)."""

import http.client
import json
import os
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wirelib  # noqa: E402
import fakeapi  # noqa: E402
from wirelib import NORMAL  # noqa: E402

MSGS = [{"role": "user", "content": "hi"}]


def main():
    t = wirelib.Tap()
    w = wirelib.World()

    def post(path, body, headers=None, raw=False):
        c = http.client.HTTPConnection("127.0.0.1", w.port, timeout=10)
        h = {"Content-Type": "application/json"}
        h.update(headers or {})
        c.request("POST", path, body if raw else json.dumps(body), h)
        r = c.getresponse()
        data = r.read()
        c.close()
        return r, data

    def openai(model, extra=None, key="test-key"):
        body = {"model": model, "messages": MSGS, "stream": True}
        body.update(extra or {})
        h = {"Authorization": "Bearer " + key} if key else {}
        return post("/v1/chat/completions", body, h)

    def anthropic(model, extra=None, headers=None):
        body = {"model": model, "max_tokens": 50, "messages": MSGS,
                "stream": True}
        body.update(extra or {})
        h = {"x-api-key": "test-key", "anthropic-version": "2023-06-01"}
        h.update(headers or {})
        return post("/v1/messages", body, h)

    def gemini(model, headers=None, query="alt=sse"):
        h = {"x-goog-api-key": "test-key"} if headers is None else headers
        return post("/v1beta/models/%s:streamGenerateContent?%s"
                    % (model, query),
                    {"contents": [{"role": "user",
                                   "parts": [{"text": "hi"}]}]}, h)

    def sse(data, sep=b"\n\n"):
        """[(event name or None, data)] of an SSE body."""
        out = []
        for block in data.split(sep):
            if not block:
                continue
            name, payload = None, []
            for line in block.split(sep[:len(sep) // 2]):
                if line.startswith(b"event: "):
                    name = line[7:].decode()
                elif line.startswith(b"data: "):
                    payload.append(line[6:].decode())
            out.append((name, "\n".join(payload)))
        return out

    @t.case
    def openai_stream_is_chunked_sse_ending_in_done():
        r, data = openai("normal")
        t.eq(r.status, 200, "status")
        t.eq(r.getheader("Transfer-Encoding"), "chunked", "transfer-encoding")
        t.check(r.getheader("Content-Type").startswith("text/event-stream"),
                "content-type")
        ev = sse(data)
        t.eq(ev[-1], (None, "[DONE]"), "last event")
        chunks = [json.loads(d) for _, d in ev[:-1]]
        t.eq(chunks[0]["choices"][0]["delta"].get("role"), "assistant",
             "role chunk")
        text = "".join(c["choices"][0]["delta"].get("content") or ""
                       for c in chunks if c["choices"])
        t.eq(text, NORMAL, "text")
        t.eq(chunks[-1]["choices"][0]["finish_reason"], "stop", "finish")
        t.check(all("usage" not in c for c in chunks), "usage unasked")

    @t.case
    def openai_usage_chunk_only_with_include_usage():
        _, data = openai("normal", {"stream_options":
                                    {"include_usage": True}})
        chunks = [json.loads(d) for _, d in sse(data)[:-1]]
        last = chunks[-1]
        t.eq(last["choices"], [], "usage chunk has no choices")
        t.eq((last["usage"]["prompt_tokens"],
              last["usage"]["completion_tokens"]), (12, 20), "usage")

    @t.case
    def openai_key_errors_are_the_real_401s():
        r, data = openai("normal", key="nope")
        t.eq(r.status, 401, "status wrong key")
        t.eq(json.loads(data)["error"]["code"], "invalid_api_key", "code")
        r, data = openai("normal", key=None)
        t.eq(r.status, 401, "status no key")
        t.check("didn't provide an API key" in
                json.loads(data)["error"]["message"], "message")

    @t.case
    def anthropic_named_events_in_order_with_cumulative_usage():
        r, data = anthropic("normal")
        t.eq(r.status, 200, "status")
        ev = sse(data)
        names = [n for n, _ in ev]
        t.eq(names[:3], ["message_start", "content_block_start", "ping"],
             "first events")
        t.eq(names[-4:], ["content_block_delta", "content_block_stop",
                          "message_delta", "message_stop"], "last events")
        for n, d in ev:
            t.eq(json.loads(d)["type"], n, "type matches event name")
        text = "".join(json.loads(d)["delta"]["text"] for n, d in ev
                       if n == "content_block_delta")
        t.eq(text, NORMAL, "text")
        md = json.loads(ev[-2][1])
        t.eq(md["delta"]["stop_reason"], "end_turn", "stop_reason")
        t.eq(md["usage"]["output_tokens"], 20, "output_tokens")

    @t.case
    def anthropic_rejects_system_role_and_missing_version():
        r, data = anthropic("normal", {"messages": [
            {"role": "system", "content": "x"}] + MSGS})
        t.eq(r.status, 400, "status system role")
        t.eq(json.loads(data)["error"]["type"], "invalid_request_error",
             "type")
        r, data = anthropic("normal", headers={"anthropic-version": ""})
        t.eq(r.status, 400, "status without anthropic-version")

    @t.case
    def ollama_ndjson_ends_with_done_line_and_counts():
        r, data = post("/api/chat", {"model": "normal", "messages": MSGS})
        t.eq(r.status, 200, "status")
        t.eq(r.getheader("Content-Type"), "application/x-ndjson",
             "content-type")
        lines = [json.loads(x) for x in data.split(b"\n") if x]
        t.eq("".join(x["message"]["content"] for x in lines), NORMAL, "text")
        last = lines[-1]
        t.eq((last["done"], last["done_reason"], last["prompt_eval_count"],
              last["eval_count"], last["eval_duration"]),
             (True, "stop", 12, 20, 200000000), "done line")
        t.check(not any(x["done"] for x in lines[:-1]), "done only last")

    @t.case
    def ollama_escapes_html_characters_like_go():
        t.eq(fakeapi.go_json({"a": "<&>\u2028"}),
             '{"a":"\\u003c\\u0026\\u003e\\u2028"}', "go_json")

    @t.case
    def gemini_crlf_events_cumulative_usage_finish_on_last():
        r, data = gemini("normal")
        t.eq(r.status, 200, "status")
        t.check(b"\r\n\r\n" in data and b"\n\n" not in
                data.replace(b"\r\n", b""), "CRLF line ends")
        ev = [json.loads(d) for _, d in sse(data, b"\r\n\r\n")]
        text = "".join(p["text"] for e in ev
                       for p in e["candidates"][0]["content"]["parts"])
        t.eq(text, NORMAL, "text")
        counts = [e["usageMetadata"]["candidatesTokenCount"] for e in ev]
        t.eq(counts, sorted(counts), "usage is cumulative")
        t.eq(counts[-1], 20, "final candidatesTokenCount")
        t.eq([("finishReason" in e["candidates"][0]) for e in ev],
             [False] * (len(ev) - 1) + [True], "finishReason on the last")

    @t.case
    def gemini_key_errors_and_query_key():
        r, _ = gemini("normal", headers={})
        t.eq(r.status, 403, "no key")
        r, data = gemini("normal", headers={"x-goog-api-key": "nope"})
        t.eq(r.status, 400, "bad key")
        t.eq(json.loads(data)["error"]["details"][0]["reason"],
             "API_KEY_INVALID", "reason")
        r, _ = gemini("normal", headers={}, query="alt=sse&key=test-key")
        t.eq(r.status, 200, "?key= accepted")

    @t.case
    def ratelimit_429_once_per_api_and_model_then_success():
        w.reset()
        r, data = openai("ratelimit+a")
        t.eq((r.status, r.getheader("Retry-After")), (429, "1"), "openai 1st")
        r, _ = openai("ratelimit+a")
        t.eq(r.status, 200, "openai 2nd")
        r, data = gemini("ratelimit+a")
        t.eq((r.status, r.getheader("Retry-After")), (429, None),
             "gemini 1st (no header)")
        details = json.loads(data)["error"]["details"]
        t.eq([d["retryDelay"] for d in details if "retryDelay" in d], ["1s"],
             "RetryInfo")
        r, _ = gemini("ratelimit+a")
        t.eq(r.status, 200, "gemini 2nd")

    @t.case
    def anthropic_overloaded_is_529():
        r, data = anthropic("overloaded")
        t.eq(r.status, 529, "status")
        t.eq(json.loads(data)["error"]["type"], "overloaded_error", "type")

    @t.case
    def cut_closes_the_connection_without_the_last_chunk():
        r = None
        try:
            r, _ = openai("cut")
        except http.client.IncompleteRead:
            pass
        t.check(r is None, "the body was complete")

    @t.case
    def multilingual_chunks_split_inside_characters():
        s = socket.create_connection(("127.0.0.1", w.port), timeout=10)
        body = json.dumps({"model": "multilingual", "messages": MSGS})
        s.sendall(("POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Type: "
                   "application/json\r\nContent-Length: %d\r\nConnection: "
                   "close\r\n\r\n%s" % (len(body), body)).encode())
        raw = b""
        while True:
            b = s.recv(65536)
            if not b:
                break
            raw += b
        s.close()
        rest = raw.split(b"\r\n\r\n", 1)[1]
        chunks = []
        while True:
            size, rest = rest.split(b"\r\n", 1)
            n = int(size, 16)
            if n == 0:
                break
            chunks.append(rest[:n])
            rest = rest[n + 2:]
        split = sum(1 for c in chunks[1:] if 0x80 <= c[0] < 0xC0)
        t.check(split >= 20, "only %d chunks start inside a character"
                % split)
        text = "".join(json.loads(x)["message"]["content"]
                       for x in b"".join(chunks).split(b"\n") if x)
        t.eq(text, fakeapi.scenario_text("multilingual"), "text")

    @t.case
    def tokens_n_sends_exactly_n_tokens():
        _, data = openai("tokens-7")
        text = "".join(json.loads(d)["choices"][0]["delta"].get("content")
                       or "" for _, d in sse(data)[:-1])
        t.eq(text, "lorem ipsum dolor sit amet lorem ipsum ", "text")
        _, data = openai("events-7")
        text = "".join(json.loads(d)["choices"][0]["delta"].get("content")
                       or "" for _, d in sse(data)[:-1])
        t.eq(text, "lorem ipsum dolor sit amet lorem ipsum ", "events text")

    @t.case
    def echo_summarises_the_request():
        _, data = anthropic("echo", {"system": "s", "messages": [
            {"role": "user", "content": "one"},
            {"role": "assistant", "content": "two"},
            {"role": "user", "content": "three"}]})
        text = "".join(json.loads(d)["delta"]["text"] for n, d in sse(data)
                       if n == "content_block_delta")
        t.eq(text, "3 messages; last user message: three", "text")

    @t.case
    def demo_quotes_the_prompt_in_a_markdown_answer():
        r, data = post("/api/chat", {"model": "demo", "messages": [
            {"role": "user", "content": "Pozdravljen!\nKdo si?"}]})
        text = "".join(json.loads(x)["message"]["content"]
                       for x in data.split(b"\n") if x)
        t.eq(text, fakeapi.demo_text("Pozdravljen! Kdo si?"), "text")
        t.check("> Pozdravljen! Kdo si?\n" in text, "quote: %r" % text)

    @t.case
    def requests_are_recorded_and_reset_forgets_them():
        w.reset()
        openai("normal", {"temperature": 0.25})
        reqs = w.requests()
        t.eq(len(reqs), 1, "one request")
        q = reqs[0]
        t.eq((q["method"], q["path"], q["headers"]["authorization"],
              q["json"]["temperature"]),
             ("POST", "/v1/chat/completions", "Bearer test-key", 0.25),
             "recorded")
        w.reset()
        t.eq(w.requests(), [], "after reset")

    with w:
        return t.run()


if __name__ == "__main__":
    sys.exit(main())
