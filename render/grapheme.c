/*
 * render/grapheme.c - extended grapheme clusters.
 *
 * Segmentation is utf8proc's (utf8proc_grapheme_break_stateful, with the
 * rules of the library's Unicode version). The state only matters inside one
 * cluster, so starting afresh at every boundary makes grapheme_next()
 * stateless for callers. Two ASCII bytes in a row never join (except CR LF),
 * which is the fast path for most text.
 */
#include "config.h"

#include <utf8proc.h>

#include "core/core.h"
#include "render/render.h"

/*
 * Code points that are Grapheme_Cluster_Break=Other and need no emoji or
 * variation handling, with their width: between two of them there is always
 * a boundary (GB999). Covers Latin, Greek, Cyrillic, Armenian, kana, CJK
 * ideographs, Hangul syllables (which join only after L jamo, never one of
 * these) and fullwidth forms; the common case of most text.
 * Returns the width, or -1 when cp needs the full rules.
 */
static inline int
simple_width(int32_t cp)
{
	if (cp < 0x0300)
		return (cp >= 0x20 && cp < 0x7F) || (cp >= 0xA0 &&
		    cp != 0xAD) ? 1 : -1;
	if (cp < 0x0370)
		return -1;
	if (cp < 0x0483)
		return 1;
	if (cp < 0x048A)
		return -1;
	if (cp < 0x0590)
		return 1;
	if (cp < 0x3000)
		return -1;
	if (cp < 0x302A || (cp >= 0x3041 && cp <= 0x3096) ||
	    (cp >= 0x30A1 && cp <= 0x30FA) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
	    (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xFF01 && cp <= 0xFF60))
		return 2;
	return -1;
}

/* utf8_decode with the common well-formed 2- and 3-byte forms inline. */
static inline size_t
decode(const unsigned char *u, size_t len, int32_t *cp)
{
	if (len >= 2 && u[0] >= 0xC2 && u[0] <= 0xDF &&
	    (u[1] & 0xC0) == 0x80) {
		*cp = ((u[0] & 0x1F) << 6) | (u[1] & 0x3F);
		return 2;
	}
	if (len >= 3 && u[0] >= 0xE1 && u[0] <= 0xEF && u[0] != 0xED &&
	    (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80) {
		*cp = ((u[0] & 0x0F) << 12) | ((u[1] & 0x3F) << 6) |
		    (u[2] & 0x3F);
		return 3;
	}
	return utf8_decode((const char *)u, len, cp);
}

size_t
grapheme_next(const char *s, size_t len, size_t pos, int *widthp)
{
	const unsigned char	*u = (const unsigned char *)s;
	int32_t			 cp1, cp2, state = 0;
	size_t			 end, n;
	int			 w1;

	if (u[pos] < 0x80 && (pos + 1 == len || (u[pos + 1] < 0x80 &&
	    u[pos] != '\r'))) {
		if (widthp != NULL)
			*widthp = (u[pos] >= 0x20 && u[pos] < 0x7F) ||
			    u[pos] == '\t';
		return pos + 1;
	}
	end = pos + decode(u + pos, len - pos, &cp1);
	if ((w1 = simple_width(cp1)) >= 0) {
		/* Fast path: a simple code point followed by the end, plain
		 * ASCII or another simple one. */
		if (end == len || (u[end] < 0x80 && u[end] >= 0x20))
			goto simple;
		decode(u + end, len - end, &cp2);
		if (simple_width(cp2) >= 0)
			goto simple;
	}
	while (end < len) {
		n = utf8_decode(s + end, len - end, &cp2);
		if (utf8proc_grapheme_break_stateful(cp1, cp2, &state))
			break;
		end += n;
		cp1 = cp2;
	}
	if (widthp != NULL)
		*widthp = width_cluster(s + pos, end - pos);
	return end;
simple:
	if (widthp != NULL)
		*widthp = w1;
	return end;
}

size_t
grapheme_count(const char *s, size_t len)
{
	size_t	pos = 0, n = 0;

	while (pos < len) {
		pos = grapheme_next(s, len, pos, NULL);
		n++;
	}
	return n;
}
