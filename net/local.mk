# net/: the network thread (lead), framing parsers and API adapters.
libtolk_a_SOURCES += net/net.h net/netthread.c net/probe.c
libtolk_a_SOURCES += net/adapter_impl.h net/sse.c net/ndjson.c \
	net/adapter.c net/api_openai.c net/api_anthropic.c net/api_ollama.c \
	net/api_gemini.c
