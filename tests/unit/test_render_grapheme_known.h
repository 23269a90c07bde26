/*
 * tests/unit/test_render_grapheme_known.h - GraphemeBreakTest.txt lines
 * that fail only because utf8proc implements an older Unicode version than
 * the file: { line number, reason }. Empty with utf8proc 2.8.0 (Unicode
 * 15.0.0) and unicode-data 15.0.0; the { 0, NULL } entry is a sentinel
 * that matches no line (C has no empty arrays).
 */
	{ 0, NULL },
