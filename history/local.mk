# history/: sources and tests
