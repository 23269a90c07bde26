# render/: sources and tests
