/*
 * tests/fuzz/fuzz.h - what the fuzz targets written as checks share.
 *
 * Such a target defines fuzz_check(): it runs the code under test on one
 * input and returns 0, or -1 with the broken promise in why. Linked with
 * fuzz_main.c it is a libFuzzer target (a broken promise aborts); linked
 * with replay.c it is a make check program that runs every file of its
 * corpus as one TAP case, so what a fuzzer once found stays fixed.
 */
#ifndef TOLK_FUZZ_H
#define TOLK_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int	fuzz_check(const unsigned char *data, size_t size, char *why,
	    size_t whylen);

/* In fuzz_check(): record why, set rc to -1 and go to out. */
#define FUZZ_FAIL(...) do { snprintf(why, whylen, __VA_ARGS__); rc = -1; \
	goto out; } while (0)

/*
 * Whether s[0..len) is valid UTF-8 (no overlong form, no surrogate,
 * nothing above U+10FFFF, no cut sequence). Written apart from
 * render/utf8.c on purpose: the targets check that code against it.
 */
static inline bool
fuzz_utf8_valid(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, n, k;
	uint32_t		 cp, min;

	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if (p[i] >= 0xC2 && p[i] <= 0xDF) {
			n = 1; cp = p[i] & 0x1F; min = 0x80;
		} else if (p[i] >= 0xE0 && p[i] <= 0xEF) {
			n = 2; cp = p[i] & 0x0F; min = 0x800;
		} else if (p[i] >= 0xF0 && p[i] <= 0xF4) {
			n = 3; cp = p[i] & 0x07; min = 0x10000;
		} else
			return false;
		if (len - i - 1 < n)
			return false;
		for (k = 1; k <= n; k++) {
			if ((p[i + k] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		i += n + 1;
	}
	return true;
}

/* Whether s[0..len) holds a byte a terminal would act on (C0 but newline
 * and tab, DEL) or a C1 control (U+0080-U+009F, as UTF-8). */
static inline bool
fuzz_has_control(const char *s, size_t len, bool allow_nl_tab)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i;

	for (i = 0; i < len; i++) {
		if ((p[i] < 0x20 && !(allow_nl_tab && (p[i] == '\n' ||
		    p[i] == '\t'))) || p[i] == 0x7F)
			return true;
		if (p[i] == 0xC2 && i + 1 < len && p[i + 1] >= 0x80 &&
		    p[i + 1] <= 0x9F)
			return true;
	}
	return false;
}

#endif
