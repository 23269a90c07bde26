/*
 * tests/fuzz/fuzz_utf8.c - fuzz target for UTF-8 decoding and sanitising
 * (render/utf8.c, render/sanitize.c, the widths of render/width.c).
 *
 * The first byte picks the mode (bit 0) and the seed of the piece sizes;
 * the rest is the text. Promises checked, as render.h states them:
 * utf8_decode() consumes 1..len bytes and yields a scalar value, and a
 * valid sequence decodes to what utf8_encode() gives back; utf8_valid()
 * agrees with an independent check; utf8_complete()
 * keeps back at most 3 bytes; utf8_clean() is valid UTF-8 and a valid text
 * comes back unchanged; the sanitised text is valid UTF-8 with no control
 * but newline and tab, no ESC and (normal mode) no bidi control; feeding
 * in pieces gives the bytes and segments of feeding whole; the segments
 * cover the text in order and point inside the source; a SEG_COPY segment
 * is the source's bytes; the width of a text is the sum of its clusters'.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "render/render.h"
#include "tests/fuzz/fuzz.h"

static bool
has_bidi_control(const char *s, size_t len)
{
	size_t	i, n;
	int32_t	cp;

	for (i = 0; i < len; i += n) {
		n = utf8_decode(s + i, len - i, &cp);
		if ((cp >= 0x202A && cp <= 0x202E) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			return true;
	}
	return false;
}

/* Field by field: memcmp() would compare the padding too. */
static bool
same_segs(const struct seg *a, const struct seg *b, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (a[i].out != b[i].out || a[i].len != b[i].len ||
		    a[i].src != b[i].src || a[i].src_len != b[i].src_len ||
		    a[i].kind != b[i].kind)
			return false;
	return true;
}

static int
check_decode(const char *s, size_t len, char *why, size_t whylen)
{
	size_t	i, n, k, e;
	int32_t	cp;
	char	enc[4];
	char	*clean = NULL, *again = NULL;
	size_t	cl, al;
	int	rc = 0;

	for (i = 0; i < len; i += n) {
		n = utf8_decode(s + i, len - i, &cp);
		if (n < 1 || n > 4 || n > len - i)
			FUZZ_FAIL("utf8_decode at %zu consumed %zu of %zu", i,
			    n, len - i);
		if (cp < 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			FUZZ_FAIL("utf8_decode at %zu gave U+%X", i,
			    (unsigned)cp);
		if (cp != 0xFFFD || fuzz_utf8_valid(s + i, n)) {
			e = utf8_encode(cp, enc);
			if (e != n || memcmp(enc, s + i, n) != 0)
				FUZZ_FAIL("utf8_decode at %zu: U+%X from %zu "
				    "bytes does not encode back", i,
				    (unsigned)cp, n);
		}
		/* A valid sequence is never split into replacements. */
		for (k = 2; k <= 4 && k <= len - i; k++)
			if (cp == 0xFFFD && n == 1 &&
			    fuzz_utf8_valid(s + i, k) &&
			    (unsigned char)s[i] >= 0x80)
				FUZZ_FAIL("utf8_decode at %zu rejected a "
				    "valid %zu-byte sequence", i, k);
	}
	if (utf8_valid(s, len) != fuzz_utf8_valid(s, len))
		FUZZ_FAIL("utf8_valid says %d", utf8_valid(s, len));
	k = utf8_complete(s, len);
	if (k > len || len - k > 3)
		FUZZ_FAIL("utf8_complete kept back %zu of %zu", len - k, len);
	clean = utf8_clean(s, len, &cl);
	if (!fuzz_utf8_valid(clean, cl) || strlen(clean) > cl)
		FUZZ_FAIL("utf8_clean gave invalid UTF-8");
	if (fuzz_utf8_valid(s, len) && (cl != len || memcmp(clean, s, len)))
		FUZZ_FAIL("utf8_clean changed valid text");
	again = utf8_clean(clean, cl, &al);
	if (al != cl || memcmp(again, clean, cl) != 0)
		FUZZ_FAIL("utf8_clean is not idempotent");
out:
	free(clean);
	free(again);
	return rc;
}

static int
check_sanitize(const char *s, size_t len, enum sanitize_mode mode,
    unsigned seed, char *why, size_t whylen)
{
	struct sanitizer	*whole, *parts;
	const struct seg	*sw, *sp;
	const char		*tw, *tp;
	size_t			 lw, lp, nw, np, pos, step, i, at, src_end;
	size_t			 w, sum;
	int			 cw, rc = 0;

	whole = sanitize_create(mode);
	parts = sanitize_create(mode);
	sanitize_feed(whole, s, len);
	sanitize_finish(whole);
	for (pos = 0; pos < len; pos += step) {
		seed = seed * 1103515245u + 12345u;
		step = 1 + (seed >> 16) % 7;
		if (step > len - pos)
			step = len - pos;
		sanitize_feed(parts, s + pos, step);
		/* What is out already never changes. */
		tp = sanitize_text(parts, &lp);
		if (strlen(tp) != lp && memchr(tp, '\0', lp) == NULL)
			FUZZ_FAIL("sanitize_text not terminated");
	}
	sanitize_finish(parts);
	tw = sanitize_text(whole, &lw);
	tp = sanitize_text(parts, &lp);
	if (lw != lp || memcmp(tw, tp, lw) != 0)
		FUZZ_FAIL("sanitised text differs when fed in pieces");
	if (tw[lw] != '\0')
		FUZZ_FAIL("sanitised text not NUL terminated");
	if (!fuzz_utf8_valid(tw, lw))
		FUZZ_FAIL("sanitised text is not valid UTF-8");
	if (fuzz_has_control(tw, lw, true) || memchr(tw, 0x1B, lw) != NULL)
		FUZZ_FAIL("sanitised text holds a control");
	if (mode == SANITIZE_NORMAL && has_bidi_control(tw, lw))
		FUZZ_FAIL("sanitised text holds a bidi control");
	sw = sanitize_segs(whole, &nw);
	sp = sanitize_segs(parts, &np);
	if (nw != np || !same_segs(sw, sp, nw))
		FUZZ_FAIL("segments differ when fed in pieces");
	for (i = 0, at = 0, src_end = 0; i < nw; i++) {
		if (sw[i].out != at)
			FUZZ_FAIL("segment %zu starts at %zu, not %zu", i,
			    sw[i].out, at);
		if (sw[i].src < src_end || sw[i].src + sw[i].src_len > len)
			FUZZ_FAIL("segment %zu source [%zu,+%zu) out of order",
			    i, sw[i].src, sw[i].src_len);
		if (sw[i].kind == SEG_COPY && (sw[i].len != sw[i].src_len ||
		    memcmp(tw + sw[i].out, s + sw[i].src, sw[i].len) != 0))
			FUZZ_FAIL("copy segment %zu differs from its source",
			    i);
		if (sanitize_map(whole, sw[i].out) != sw[i].src)
			FUZZ_FAIL("sanitize_map of segment %zu", i);
		at += sw[i].len;
		src_end = sw[i].src + sw[i].src_len;
	}
	if (at != lw)
		FUZZ_FAIL("segments cover %zu of %zu bytes", at, lw);
	/* Width: the sum of the clusters', each 0..2 (a lone control-free
	 * cluster is never wider than two columns). */
	for (i = 0, sum = 0; i < lw; i = at) {
		at = grapheme_next(tw, lw, i, &cw);
		if (at <= i || at > lw)
			FUZZ_FAIL("grapheme_next at %zu gave %zu", i, at);
		if (cw < 0 || cw > 2)
			FUZZ_FAIL("cluster at %zu is %d wide", i, cw);
		sum += (size_t)cw;
	}
	w = width_text(tw, lw);
	if (w != sum)
		FUZZ_FAIL("width_text %zu, clusters add up to %zu", w, sum);
out:
	sanitize_free(whole);
	sanitize_free(parts);
	return rc;
}

int
fuzz_check(const unsigned char *data, size_t size, char *why, size_t whylen)
{
	enum sanitize_mode	 mode;
	const char		*s;
	size_t			 len;

	if (size == 0)
		return 0;
	mode = (data[0] & 1) ? SANITIZE_INSPECT : SANITIZE_NORMAL;
	s = (const char *)data + 1;
	len = size - 1;
	if (check_decode(s, len, why, whylen) != 0)
		return -1;
	return check_sanitize(s, len, mode, data[0], why, whylen);
}
