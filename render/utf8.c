/*
 * render/utf8.c - UTF-8 decoding that never fails.
 *
 * Decoding follows Unicode's "U+FFFD substitution of maximal subparts"
 * (Unicode 15, section 3.9, table 3-7): an ill-formed sequence becomes one
 * U+FFFD per maximal subpart, so the same bad bytes always give the same
 * number of replacement characters and valid text after them is never
 * eaten. utf8_complete() lets a streaming reader hold back only a sequence
 * that more bytes could still complete.
 */
#include "config.h"

#include <string.h>

#include "core/core.h"
#include "render/render.h"

/* The allowed range of the second byte for lead byte c, and the length of
 * the sequence; 0 length for bytes that never start a sequence. */
static int
lead_info(unsigned char c, unsigned char *lo, unsigned char *hi)
{
	*lo = 0x80;
	*hi = 0xBF;
	if (c >= 0xC2 && c <= 0xDF)
		return 2;
	if (c == 0xE0) {
		*lo = 0xA0;
		return 3;
	}
	if (c >= 0xE1 && c <= 0xEF) {
		if (c == 0xED)
			*hi = 0x9F;	/* no surrogates */
		return 3;
	}
	if (c == 0xF0) {
		*lo = 0x90;
		return 4;
	}
	if (c >= 0xF1 && c <= 0xF3)
		return 4;
	if (c == 0xF4) {
		*hi = 0x8F;		/* nothing above U+10FFFF */
		return 4;
	}
	return 0;
}

size_t
utf8_decode(const char *s, size_t len, int32_t *cp)
{
	const unsigned char	*u = (const unsigned char *)s;
	unsigned char		 lo, hi;
	int			 n, i;
	int32_t			 v;

	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	n = lead_info(u[0], &lo, &hi);
	if (n == 0) {
		*cp = UTF8_REPLACEMENT;
		return 1;
	}
	v = u[0] & (0x7F >> n);
	for (i = 1; i < n; i++) {
		if ((size_t)i >= len || u[i] < lo || u[i] > hi) {
			*cp = UTF8_REPLACEMENT;
			return i;
		}
		v = (v << 6) | (u[i] & 0x3F);
		lo = 0x80;
		hi = 0xBF;
	}
	*cp = v;
	return n;
}

size_t
utf8_encode(int32_t cp, char out[4])
{
	if (cp < 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = UTF8_REPLACEMENT;
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

size_t
utf8_complete(const char *s, size_t len)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 start;
	unsigned char		 lo, hi;
	int			 n;
	size_t			 i;

	/* Find the last lead byte within the final 3 bytes. */
	if (len == 0)
		return 0;
	start = len;
	while (start > 0 && len - start < 4) {
		start--;
		if ((u[start] & 0xC0) != 0x80)
			break;
	}
	n = lead_info(u[start], &lo, &hi);
	if (n == 0 || len - start >= (size_t)n)
		return len;
	/* The tail is shorter than its sequence: incomplete only if every
	 * byte so far is allowed. */
	for (i = start + 1; i < len; i++) {
		if (u[i] < lo || u[i] > hi)
			return len;
		lo = 0x80;
		hi = 0xBF;
	}
	return start;
}

bool
utf8_valid(const char *s, size_t len)
{
	size_t	i, n;
	int32_t	cp;

	for (i = 0; i < len; i += n) {
		if ((unsigned char)s[i] < 0x80) {
			n = 1;
			continue;
		}
		n = utf8_decode(s + i, len - i, &cp);
		/* A U+FFFD that is not the three bytes of one. */
		if (cp == UTF8_REPLACEMENT && (n != 3 ||
		    memcmp(s + i, "\xEF\xBF\xBD", 3) != 0))
			return false;
	}
	return true;
}

char *
utf8_clean(const char *s, size_t len, size_t *outlen)
{
	char	*out, *p;
	size_t	 i, n;
	int32_t	 cp;

	/* A U+FFFD (3 bytes) never replaces fewer than 1 byte. */
	out = p = xmalloc(len * 3 + 1);
	for (i = 0; i < len; i += n) {
		n = utf8_decode(s + i, len - i, &cp);
		if (cp == UTF8_REPLACEMENT)
			p += utf8_encode(cp, p);
		else {
			memcpy(p, s + i, n);
			p += n;
		}
	}
	*p = '\0';
	if (outlen != NULL)
		*outlen = p - out;
	return out;
}
