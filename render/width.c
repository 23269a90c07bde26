/*
 * render/width.c - display width of grapheme clusters.
 *
 * The width of a cluster is the width of its first code point (marks, ZWJ
 * tails, modifiers and variation selectors add nothing), with four
 * exceptions that terminals draw wide: a regional-indicator pair (a flag),
 * VS16 after a text-default emoji, a skin-tone modifier after anything but
 * an emoji (it adds its own two columns), and code points in the override
 * table.
 *
 * The override table exists because a utf8proc older than 2.8 (2.6.0 is
 * Unicode 13) calls the emoji of Unicode 14 and 15 unassigned, width 1,
 * while the terminal's wcwidth (glibc 2.36: Unicode 15) draws them wide.
 */
#include "config.h"

#include <utf8proc.h>

#include "core/core.h"
#include "render/render.h"

static const struct {
	int32_t	lo;
	int32_t	hi;
	int	width;
} overrides[] = {
	{ 0x00AD, 0x00AD, 1 },	/* soft hyphen: terminals draw a hyphen */
	{ 0x1F6DC, 0x1F6DF, 2 },	/* Unicode 14/15 transport emoji */
	{ 0x1F7F0, 0x1F7F0, 2 },	/* heavy equals sign (Unicode 14) */
	{ 0x1F979, 0x1F979, 2 },	/* face holding back tears (14) */
	{ 0x1F9CC, 0x1F9CC, 2 },	/* troll (14) */
	{ 0x1FA70, 0x1FAFF, 2 },	/* Symbols and Pictographs Ext-A */
};

int
width_codepoint(int32_t cp)
{
	size_t	i;
	int	w;

	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
		return 0;
	if (cp < 0x7F)
		return 1;
	for (i = 0; i < sizeof overrides / sizeof overrides[0]; i++) {
		if (cp >= overrides[i].lo && cp <= overrides[i].hi)
			return overrides[i].width;
	}
	w = utf8proc_charwidth(cp);
	return w < 0 ? 0 : (w > 2 ? 2 : w);
}

static bool
is_regional(int32_t cp)
{
	return cp >= 0x1F1E6 && cp <= 0x1F1FF;
}

static bool
is_pictographic(int32_t cp)
{
	const utf8proc_property_t	*p = utf8proc_get_property(cp);

	switch (p->boundclass) {
	case UTF8PROC_BOUNDCLASS_EXTENDED_PICTOGRAPHIC:
	case UTF8PROC_BOUNDCLASS_E_BASE:
	case UTF8PROC_BOUNDCLASS_E_BASE_GAZ:
	case UTF8PROC_BOUNDCLASS_GLUE_AFTER_ZWJ:
	case UTF8PROC_BOUNDCLASS_E_ZWG:
		return true;
	default:
		return false;
	}
}

static bool
is_skin_tone(int32_t cp)
{
	return cp >= 0x1F3FB && cp <= 0x1F3FF;
}

/*
 * A skin-tone modifier is Extend to the segmentation rules, so it joins
 * whatever precedes it; but only an emoji takes it in: after a space, a
 * letter or another modifier, terminals draw it as an emoji of its own,
 * two columns. first is not an emoji; cp is the code point at pos.
 */
static int
width_lone_modifiers(const char *s, size_t len, size_t pos, int32_t cp,
    int w)
{
	for (;;) {
		if (is_skin_tone(cp))
			w += 2;
		if (pos == len)
			return w;
		pos += utf8_decode(s + pos, len - pos, &cp);
	}
}

int
width_cluster(const char *s, size_t len)
{
	int32_t	first, cp;
	size_t	pos;
	int	w;

	if (len == 0)
		return 0;
	if ((unsigned char)s[0] < 0x80 && len == 1)
		return s[0] == '\t' || (s[0] >= 0x20 && s[0] < 0x7F);
	pos = utf8_decode(s, len, &first);
	w = width_codepoint(first);
	if (pos == len)
		return w;
	pos += utf8_decode(s + pos, len - pos, &cp);
	if (is_skin_tone(first) || !is_pictographic(first))
		return is_regional(first) && is_regional(cp) ? 2 :
		    width_lone_modifiers(s, len, pos, cp, w);
	/* VS16 directly after a text-default emoji asks for emoji
	 * presentation; a digit, '#' or '*' (keycap bases) stays text. */
	if (cp == 0xFE0F && w == 1 && first >= 0x80)
		return 2;
	return w;
}

size_t
width_text(const char *s, size_t len)
{
	size_t	pos = 0, total = 0;
	int	w;

	while (pos < len) {
		pos = grapheme_next(s, len, pos, &w);
		total += w;
	}
	return total;
}
