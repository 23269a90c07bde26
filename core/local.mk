# core/: sources and tests
