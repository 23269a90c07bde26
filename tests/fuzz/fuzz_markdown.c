/*
 * tests/fuzz/fuzz_markdown.c - fuzz target for markdown layout and wrapping.
 *
 * Build for libFuzzer, for example:
 *   clang -g -fsanitize=fuzzer,address,undefined -I. -I$BUILD \
 *       tests/fuzz/fuzz_markdown.c $BUILD/libtolk.a -lutf8proc ...
 *   ./a.out tests/fuzz/corpus/markdown
 * The first byte picks the width and the split points; the rest is the
 * markdown. The target checks what render.h promises: feeding in pieces
 * gives the lines of feeding whole, spans cover each line, widths add up,
 * lines hold no control characters, 1:1 spans point at the right source
 * bytes, wrapped lines fit. make check replays the corpus through
 * fuzz_check() (tests/fuzz/replay.c, as tests/fuzz/replay_markdown).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/render.h"
#include "tests/fuzz/fuzz.h"

#define FAIL FUZZ_FAIL

static int
same_line(const struct render_line *a, const struct render_line *b)
{
	return a->len == b->len && memcmp(a->text, b->text, a->len) == 0 &&
	    a->width == b->width && a->nspans == b->nspans &&
	    a->src_start == b->src_start && a->src_end == b->src_end &&
	    (a->nspans == 0 || memcmp(a->spans, b->spans,
	    a->nspans * sizeof *a->spans) == 0);
}

int
fuzz_check(const unsigned char *data, size_t size, char *why, size_t whylen)
{
	struct md			*whole = NULL, *parts = NULL;
	const struct render_line	*l, *m;
	struct wrap_line		*wl = NULL;
	const char			*src;
	size_t				 i, j, pos, step, n, srclen, nw;
	int				 width, rc = 0;
	unsigned			 seed;
	enum sanitize_mode		 mode;

	if (size == 0)
		return 0;
	width = 1 + data[0] % 100;
	seed = data[0];
	data++;
	size--;
	mode = size > 0 && (data[0] & 1) ? SANITIZE_INSPECT : SANITIZE_NORMAL;
	whole = md_create(width, mode);
	parts = md_create(width, mode);
	md_append(whole, (const char *)data, size);
	md_finish(whole);
	for (pos = 0; pos < size; pos += step) {
		seed = seed * 1103515245u + 12345u;
		step = 1 + (seed >> 16) % 23;
		if (step > size - pos)
			step = size - pos;
		md_append(parts, (const char *)data + pos, step);
	}
	md_finish(parts);
	if (md_nlines(whole) != md_nlines(parts))
		FAIL("split: %zu lines, whole: %zu", md_nlines(parts),
		    md_nlines(whole));
	src = md_source(whole, &srclen);
	for (i = 0; i < md_nlines(whole); i++) {
		l = md_line(whole, i);
		m = md_line(parts, i);
		if (!same_line(l, m))
			FAIL("line %zu differs when split: '%s' vs '%s'", i,
			    l->text, m->text);
		if ((size_t)l->width != width_text(l->text, l->len))
			FAIL("line %zu width %d", i, l->width);
		if (l->width > width && grapheme_count(l->text, l->len) > 1)
			FAIL("line %zu wider (%d) than %d: '%s'", i, l->width,
			    width, l->text);
		for (j = 0; j < l->len; j++) {
			unsigned char	c = (unsigned char)l->text[j];

			if (c < 0x20 || c == 0x7F)
				FAIL("line %zu has control 0x%02x", i, c);
		}
		if (strlen(l->text) != l->len)
			FAIL("line %zu has a NUL", i);
		for (j = 0, pos = 0; j < l->nspans; j++) {
			const struct render_span	*sp = &l->spans[j];
			size_t				 k;

			if (sp->off != pos)
				FAIL("line %zu span %zu starts at %u, not %zu",
				    i, j, sp->off, pos);
			pos += sp->len;
			if (sp->src == RENDER_NOSRC)
				continue;
			if (sp->src + sp->src_len > srclen)
				FAIL("line %zu span %zu points past source", i,
				    j);
			if (!sp->exact)
				continue;
			if (sp->src_len != sp->len)
				FAIL("line %zu span %zu exact but %zu != %u", i,
				    j, sp->src_len, sp->len);
			for (k = 0; k < sp->len; k++) {
				char	t = l->text[sp->off + k];
				char	s = src[sp->src + k];

				if (t != s && !(t == ' ' && (s == '\n' ||
				    s == '\t')))
					FAIL("line %zu span %zu byte %zu: "
					    "'%c' shows source '%c'", i, j, k,
					    t, s);
			}
		}
		if (pos != l->len)
			FAIL("line %zu spans cover %zu of %zu bytes", i, pos,
			    l->len);
	}
	/* Wrapping of the clean text on its own. */
	{
		size_t	 cl;
		char	*clean = sanitize((const char *)data, size,
		    SANITIZE_NORMAL, &cl);

		nw = wrap_lines(clean, cl, width, &wl);
		for (i = 0; i < nw; i++) {
			if (wl[i].start > wl[i].end || wl[i].end > cl)
				FAIL("wrap line %zu out of range", i);
			if (wl[i].width > width && grapheme_count(clean +
			    wl[i].start, wl[i].end - wl[i].start) > 1)
				FAIL("wrap line %zu too wide", i);
			n = width_text(clean + wl[i].start,
			    wl[i].end - wl[i].start);
			if ((int)n != wl[i].width)
				FAIL("wrap line %zu width %d, measured %zu", i,
				    wl[i].width, n);
		}
		free(clean);
	}
out:
	free(wl);
	md_free(whole);
	md_free(parts);
	return rc;
}
