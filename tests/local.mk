# tests/: the fake API server, the wire tests of print mode (python3, TAP)
# and the streaming benchmark.
TESTS += tests/wire/test_fakeapi.py tests/wire/test_cli.py tests/wire/test_openai.py \
	tests/wire/test_anthropic.py tests/wire/test_ollama.py \
	tests/wire/test_gemini.py tests/wire/test_faults.py \
	tests/wire/test_secrets.py tests/tui/test_hostile.py
EXTRA_DIST += tests/wire/test_faults.py tests/wire/fixtures \
	tests/wire/test_secrets.py tests/tui/test_hostile.py \
	tests/fakeapi.py tests/wire/wirelib.py tests/wire/apicases.py \
	tests/wire/test_fakeapi.py tests/wire/test_cli.py tests/wire/test_openai.py \
	tests/wire/test_anthropic.py tests/wire/test_ollama.py \
	tests/wire/test_gemini.py tests/bench/stream.sh tests/bench/stream_run.py \
	tests/bench/stream_measure.py
BENCH_LIST += tests/bench/stream.sh
