# tests/: sources and tests
