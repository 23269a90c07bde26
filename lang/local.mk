# lang/: sources and tests
