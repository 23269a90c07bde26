# net/: the network thread (lead), framing parsers and API adapters.
libtolk_a_SOURCES += net/net.h net/netthread.c
