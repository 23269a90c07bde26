# lang/: language identification and script checks (see lang/langid.h)
