/*
 * render/grapheme.c - extended grapheme clusters.
 *
 * Segmentation is utf8proc's (utf8proc_grapheme_break_stateful, with the
 * rules of the library's Unicode version). The state only matters inside
 * one cluster, so starting afresh at every boundary makes grapheme_next() stateless for callers.
 * Two ASCII bytes in a row never join (except CR LF), which is the fast path
 * for most text.
 */
#include "config.h"

#include <utf8proc.h>

#include "core/core.h"
#include "render/render.h"

size_t
grapheme_next(const char *s, size_t len, size_t pos, int *widthp)
{
	const unsigned char	*u = (const unsigned char *)s;
	int32_t			 cp1, cp2, state = 0;
	size_t			 end, n;

	if (u[pos] < 0x80 && (pos + 1 == len || (u[pos + 1] < 0x80 &&
	    u[pos] != '\r'))) {
		if (widthp != NULL)
			*widthp = (u[pos] >= 0x20 && u[pos] < 0x7F) ||
			    u[pos] == '\t';
		return pos + 1;
	}
	end = pos + utf8_decode(s + pos, len - pos, &cp1);
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
