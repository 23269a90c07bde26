# net/: sources and tests
