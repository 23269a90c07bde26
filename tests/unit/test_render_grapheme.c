/*
 * tests/unit/test_render_grapheme.c - grapheme clusters.
 *
 * Every line of Unicode's GraphemeBreakTest.txt (Debian package
 * unicode-data 15.0.0, /usr/share/unicode/auxiliary/) goes through
 * grapheme_next(). The brief expected utf8proc 2.6.0 (Unicode 13) and so
 * some lines to differ; the library actually installed reports itself as
 * 2.6.0 to pkg-config but is 2.8.0 with Unicode 15.0.0 data
 * (utf8proc_version(), utf8proc_unicode_version()), and all 602 lines
 * pass. Lines that fail only because of a version difference must be
 * listed in test_render_grapheme_known.h with their reason; the list is
 * empty now. Any other failing line fails the test, and so does a listed
 * line that passes (the list must stay exact). The library's versions are
 * printed as a diagnostic.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <utf8proc.h>

#include "core/core.h"
#include "render/render.h"

#define GBT_PATH "/usr/share/unicode/auxiliary/GraphemeBreakTest.txt"

/* Line numbers of GraphemeBreakTest-15.0.0.txt that utf8proc 2.6.0
 * (Unicode 13) segments differently, and why. */
static const struct {
	int		 line;
	const char	*why;
} known[] = {
#include "test_render_grapheme_known.h"
};

static bool
is_known(int line)
{
	size_t	i;

	for (i = 0; i < sizeof known / sizeof known[0]; i++)
		if (known[i].line != 0 && known[i].line == line)
			return true;
	return false;
}

/* Run one test line: returns 0 when the breaks match. */
static int
run_line(const char *line, char *why, size_t whylen)
{
	char		 text[256], want[256];
	size_t		 len = 0, nb = 0, pos, i, k;
	size_t		 bounds[64], got[64], ng = 0;
	const char	*p = line;
	char		*end;
	long		 cp;

	(void)want;
	while (*p != '\0' && *p != '#') {
		if (strncmp(p, "÷", strlen("÷")) == 0) {
			bounds[nb++] = len;
			p += strlen("÷");
		} else if (strncmp(p, "×", strlen("×")) == 0)
			p += strlen("×");
		else if ((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'F')) {
			cp = strtol(p, &end, 16);
			len += utf8_encode((int32_t)cp, text + len);
			p = end;
		} else
			p++;
		if (nb >= 63 || len > 240)
			break;
	}
	/* Boundaries found: after each cluster. */
	got[ng++] = 0;
	for (pos = 0; pos < len; ) {
		pos = grapheme_next(text, len, pos, NULL);
		got[ng++] = pos;
		if (ng >= 64)
			break;
	}
	if (ng != nb) {
		snprintf(why, whylen, "%zu boundaries, want %zu", ng, nb);
		return -1;
	}
	for (i = 0, k = 0; i < nb; i++) {
		if (got[i] != bounds[i]) {
			snprintf(why, whylen, "boundary %zu at byte %zu, "
			    "want %zu", i, got[i], bounds[i]);
			return -1;
		}
		k++;
	}
	return 0;
}

static void
grapheme_break_test_passes_but_known_exceptions(void **state)
{
	FILE	*fp = fopen(GBT_PATH, "r");
	char	 line[4096], why[128];
	int	 n = 0, tested = 0, failed = 0, knownfail = 0;
	size_t	 i;
	bool	 seen[sizeof known / sizeof known[0]];

	(void)state;
	if (fp == NULL) {
		fprintf(stderr, "# missing %s: apt-get install unicode-data\n",
		    GBT_PATH);
		fail();
	}
	memset(seen, 0, sizeof seen);
	while (fgets(line, sizeof line, fp) != NULL) {
		n++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		tested++;
		if (run_line(line, why, sizeof why) == 0) {
			if (is_known(n)) {
				fprintf(stderr, "# line %d passes now: "
				    "remove it from the known list\n", n);
				failed++;
			}
			continue;
		}
		if (is_known(n)) {
			knownfail++;
			for (i = 0; i < sizeof known / sizeof known[0]; i++)
				if (known[i].line == n)
					seen[i] = true;
			continue;
		}
		fprintf(stderr, "# line %d: %s: %s", n, why, line);
		failed++;
	}
	fclose(fp);
	fprintf(stderr, "# utf8proc %s, Unicode %s: %d lines tested, %d known "
	    "exceptions\n", utf8proc_version(), utf8proc_unicode_version(),
	    tested, knownfail);
	assert_true(tested > 500);
	assert_int_equal(failed, 0);
}

static void
cluster(const char *s, size_t want_len, int want_width)
{
	int	w;

	assert_int_equal(grapheme_next(s, strlen(s), 0, &w), want_len);
	assert_int_equal(w, want_width);
}

static void
clusters_join_marks_emoji_flags_and_crlf(void **state)
{
	(void)state;
	cluster("e\xcc\x81x", 3, 1);			/* e + acute */
	cluster("\r\nx", 2, 0);				/* CR LF */
	cluster("\xf0\x9f\x87\xac\xf0\x9f\x87\xb7\xf0\x9f\x87\xba", 8, 2);
	cluster("\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd!", 8, 2); /* 👍🏽 */
	cluster("\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d"
	    "\xf0\x9f\x91\xa7", 18, 2);			/* family */
	cluster("\xe1\x84\x80\xe1\x85\xa1\xe1\x86\xa8", 9, 2); /* Hangul LVT */
	cluster("\xff\x41", 1, 1);			/* bad byte alone */
	assert_int_equal(grapheme_count("ab\xcc\x81" "c", 5), 3);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(grapheme_break_test_passes_but_known_exceptions),
		cmocka_unit_test(clusters_join_marks_emoji_flags_and_crlf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
