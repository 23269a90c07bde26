/*
 * render/sanitize.c - make untrusted text safe to draw.
 *
 * A push state machine in the style of a terminal's own parser (ECMA-48
 * and the DEC VT500 state diagram): ground, escape, escape intermediate,
 * control sequence, and control string (OSC, DCS, APC, PM, SOS). Whatever
 * a sequence would have done to a terminal - set the title, write the
 * clipboard, change colours, move the cursor - it does nothing here: the
 * whole sequence is removed. Output is appended only, and each piece
 * remembers the source range it stands for (struct seg), which is how
 * styled spans point back into the source.
 */
#include "config.h"

#include <string.h>
#include <utf8proc.h>

#include "core/core.h"
#include "render/render.h"

enum state {
	ST_GROUND,
	ST_ESC,
	ST_ESC_INTER,
	ST_CSI,
	ST_STRING,
	ST_STRING_ESC,
};

struct sanitizer {
	enum sanitize_mode	 mode;
	enum state		 state;
	struct buf		 out;
	struct seg		*segs;
	size_t			 nsegs;
	size_t			 segcap;
	size_t			 fed;		/* source bytes seen */
	char			 pend[4];	/* incomplete UTF-8 tail */
	size_t			 npend;
	size_t			 pend_src;
	bool			 zwj_held;	/* inspect: ZWJ awaiting its
						   next character */
	size_t			 zwj_src;
	bool			 prev_pict;	/* last kept: emoji sequence */
	bool			 finished;
};

static const struct {
	int32_t		 cp;
	const char	*mark;
} marks[] = {
	{ 0x00A0, "⟨NBSP⟩" }, { 0x00AD, "⟨SHY⟩" },
	{ 0x2007, "⟨FIGSP⟩" }, { 0x200B, "⟨ZWSP⟩" },
	{ 0x200C, "⟨ZWNJ⟩" }, { 0x200D, "⟨ZWJ⟩" },
	{ 0x200E, "⟨LRM⟩" }, { 0x200F, "⟨RLM⟩" },
	{ 0x202A, "⟨LRE⟩" }, { 0x202B, "⟨RLE⟩" },
	{ 0x202C, "⟨PDF⟩" }, { 0x202D, "⟨LRO⟩" },
	{ 0x202E, "⟨RLO⟩" }, { 0x202F, "⟨NNBSP⟩" },
	{ 0x2060, "⟨WJ⟩" }, { 0x2066, "⟨LRI⟩" },
	{ 0x2067, "⟨RLI⟩" }, { 0x2068, "⟨FSI⟩" },
	{ 0x2069, "⟨PDI⟩" }, { 0xFEFF, "⟨BOM⟩" },
};

static const char *
mark_of(int32_t cp)
{
	size_t	i;

	for (i = 0; i < sizeof marks / sizeof marks[0]; i++) {
		if (marks[i].cp == cp)
			return marks[i].mark;
	}
	return NULL;
}

static bool
is_bidi(int32_t cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

static bool
is_pict(int32_t cp)
{
	const utf8proc_property_t	*p;

	if (cp < 0xA9)
		return false;
	p = utf8proc_get_property(cp);
	return p->boundclass == UTF8PROC_BOUNDCLASS_EXTENDED_PICTOGRAPHIC ||
	    p->boundclass == UTF8PROC_BOUNDCLASS_E_BASE ||
	    p->boundclass == UTF8PROC_BOUNDCLASS_E_BASE_GAZ ||
	    p->boundclass == UTF8PROC_BOUNDCLASS_GLUE_AFTER_ZWJ ||
	    p->boundclass == UTF8PROC_BOUNDCLASS_E_ZWG;
}

static struct seg *
seg_new(struct sanitizer *sz)
{
	if (sz->nsegs == sz->segcap) {
		sz->segcap = sz->segcap ? sz->segcap * 2 : 16;
		sz->segs = xrealloc(sz->segs, sz->segcap * sizeof *sz->segs);
	}
	return &sz->segs[sz->nsegs++];
}

static void
emit_copy(struct sanitizer *sz, size_t src, const char *p, size_t n)
{
	struct seg	*g;

	if (sz->nsegs > 0) {
		g = &sz->segs[sz->nsegs - 1];
		if (g->kind == SEG_COPY && g->src + g->src_len == src &&
		    g->out + g->len == sz->out.len) {
			buf_add(&sz->out, p, n);
			g->len += n;
			g->src_len += n;
			return;
		}
	}
	g = seg_new(sz);
	g->out = sz->out.len;
	g->len = n;
	g->src = src;
	g->src_len = n;
	g->kind = SEG_COPY;
	buf_add(&sz->out, p, n);
}

static void
emit_synth(struct sanitizer *sz, enum seg_kind kind, size_t src,
    size_t src_len, const char *text)
{
	struct seg	*g = seg_new(sz);

	g->out = sz->out.len;
	g->len = strlen(text);
	g->src = src;
	g->src_len = src_len;
	g->kind = kind;
	buf_add(&sz->out, text, g->len);
}

static void
resolve_zwj(struct sanitizer *sz, bool joins)
{
	if (!sz->zwj_held)
		return;
	sz->zwj_held = false;
	if (joins)
		emit_copy(sz, sz->zwj_src, "\xE2\x80\x8D", 3);
	else
		emit_synth(sz, SEG_MARK, sz->zwj_src, 3, "⟨ZWJ⟩");
}

/* One code point cp from source bytes p[0..n) at source offset src;
 * invalid is set when cp is a U+FFFD standing for bad bytes. */
static void
process(struct sanitizer *sz, int32_t cp, const char *p, size_t n,
    size_t src, bool invalid)
{
	const char	*mark;
	bool		 pict;

again:
	switch (sz->state) {
	case ST_GROUND:
		break;
	case ST_ESC:
		if (cp == '[')
			sz->state = ST_CSI;
		else if (cp == ']' || cp == 'P' || cp == 'X' || cp == '^' ||
		    cp == '_' || cp == 'k')
			/* ESC k: screen's and tmux's window title string
			 * (tests/tui/test_hostile.py). */
			sz->state = ST_STRING;
		else if (cp >= 0x20 && cp <= 0x2F)
			sz->state = ST_ESC_INTER;
		else if (cp >= 0x30 && cp <= 0x7E)
			sz->state = ST_GROUND;
		else if (cp != 0x1B) {
			sz->state = ST_GROUND;
			goto again;
		}
		return;
	case ST_ESC_INTER:
		if (cp >= 0x20 && cp <= 0x2F)
			return;
		sz->state = ST_GROUND;
		if (cp >= 0x30 && cp <= 0x7E)
			return;
		goto again;
	case ST_CSI:
		if (cp >= 0x20 && cp <= 0x3F)
			return;
		if (cp >= 0x40 && cp <= 0x7E) {
			sz->state = ST_GROUND;
			return;
		}
		sz->state = cp == 0x1B ? ST_ESC : ST_GROUND;
		if (cp == 0x1B)
			return;
		goto again;
	case ST_STRING:
		if (cp == 0x07 || cp == 0x9C || cp == 0x18 || cp == 0x1A) {
			sz->state = ST_GROUND;
			return;
		}
		if (cp == 0x1B) {
			sz->state = ST_STRING_ESC;
			return;
		}
		if (cp == '\n') {
			sz->state = ST_GROUND;
			goto again;
		}
		return;
	case ST_STRING_ESC:
		if (cp == '\\') {
			sz->state = ST_GROUND;
			return;
		}
		sz->state = ST_ESC;
		goto again;
	}

	/* Ground. */
	if (sz->zwj_held)
		resolve_zwj(sz, is_pict(cp));
	if (cp == 0x1B) {
		sz->state = ST_ESC;
		return;
	}
	if (cp >= 0x80 && cp <= 0x9F) {
		if (cp == 0x9B)
			sz->state = ST_CSI;
		else if (cp == 0x9D || cp == 0x90 || cp == 0x9F ||
		    cp == 0x9E || cp == 0x98)
			sz->state = ST_STRING;
		return;
	}
	if (cp == '\n' || cp == '\t') {
		emit_copy(sz, src, p, n);
		sz->prev_pict = false;
		return;
	}
	if (cp < 0x20 || cp == 0x7F)
		return;
	if (invalid) {
		emit_synth(sz, SEG_REPLACE, src, n, "\xEF\xBF\xBD");
		sz->prev_pict = false;
		return;
	}
	if (cp >= 0xA0 && sz->mode == SANITIZE_NORMAL && is_bidi(cp))
		return;
	if (cp >= 0xA0 && sz->mode == SANITIZE_INSPECT) {
		if (cp == 0x200D && sz->prev_pict) {
			sz->zwj_held = true;
			sz->zwj_src = src;
			return;
		}
		if ((mark = mark_of(cp)) != NULL) {
			emit_synth(sz, SEG_MARK, src, n, mark);
			sz->prev_pict = false;
			return;
		}
	}
	emit_copy(sz, src, p, n);
	if (sz->mode == SANITIZE_INSPECT && cp >= 0xA0) {
		pict = is_pict(cp);
		sz->prev_pict = pict || (sz->prev_pict && (cp == 0xFE0F ||
		    cp == 0x200D || (cp >= 0x1F3FB && cp <= 0x1F3FF)));
	} else
		sz->prev_pict = false;
}

struct sanitizer *
sanitize_create(enum sanitize_mode mode)
{
	struct sanitizer	*sz = xcalloc(1, sizeof *sz);

	sz->mode = mode;
	buf_init(&sz->out, BUF_NO_LIMIT);
	return sz;
}

void
sanitize_free(struct sanitizer *sz)
{
	if (sz == NULL)
		return;
	buf_release(&sz->out);
	free(sz->segs);
	free(sz);
}

static void
feed_bytes(struct sanitizer *sz, const char *s, size_t len, size_t src)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i = 0, n;
	int32_t			 cp;

	while (i < len) {
		/* Fast path: a run of plain printable ASCII in ground. */
		if (sz->state == ST_GROUND && !sz->zwj_held &&
		    u[i] >= 0x20 && u[i] < 0x7F) {
			n = i;
			while (n < len && u[n] >= 0x20 && u[n] < 0x7F)
				n++;
			emit_copy(sz, src + i, s + i, n - i);
			sz->prev_pict = false;
			i = n;
			continue;
		}
		n = utf8_decode(s + i, len - i, &cp);
		process(sz, cp, s + i, n, src + i,
		    cp == UTF8_REPLACEMENT && (n != 3 ||
		    memcmp(s + i, "\xEF\xBF\xBD", 3) != 0));
		i += n;
	}
}

void
sanitize_feed(struct sanitizer *sz, const char *s, size_t len)
{
	char	tmp[8];
	size_t	take, n, used, lim;
	int32_t	cp;

	if (sz->finished || len == 0)
		return;
	if (sz->npend > 0) {
		take = len < 4 ? len : 4;
		memcpy(tmp, sz->pend, sz->npend);
		memcpy(tmp + sz->npend, s, take);
		if (utf8_complete(tmp, sz->npend + take) == 0) {
			/* Still incomplete: all of it waits. */
			memcpy(sz->pend + sz->npend, s, take);
			sz->npend += take;
			sz->fed += take;
			return;
		}
		n = utf8_decode(tmp, sz->npend + take, &cp);
		process(sz, cp, tmp, n, sz->pend_src,
		    cp == UTF8_REPLACEMENT && (n != 3 ||
		    memcmp(tmp, "\xEF\xBF\xBD", 3) != 0));
		used = n - sz->npend;
		sz->npend = 0;
		s += used;
		len -= used;
		sz->fed += used;
	}
	lim = utf8_complete(s, len);
	feed_bytes(sz, s, lim, sz->fed);
	if (lim < len) {
		memcpy(sz->pend, s + lim, len - lim);
		sz->npend = len - lim;
		sz->pend_src = sz->fed + lim;
	}
	sz->fed += len;
}

void
sanitize_finish(struct sanitizer *sz)
{
	char	tail[4];
	size_t	n;

	if (sz->finished)
		return;
	if (sz->npend > 0) {
		n = sz->npend;
		memcpy(tail, sz->pend, n);
		sz->npend = 0;
		feed_bytes(sz, tail, n, sz->pend_src);
	}
	sz->state = ST_GROUND;
	resolve_zwj(sz, false);
	sz->finished = true;
}

const char *
sanitize_text(const struct sanitizer *sz, size_t *lenp)
{
	if (lenp != NULL)
		*lenp = sz->out.len;
	return sz->out.data != NULL ? sz->out.data : "";
}

const struct seg *
sanitize_segs(const struct sanitizer *sz, size_t *np)
{
	*np = sz->nsegs;
	return sz->segs;
}

size_t
sanitize_map(const struct sanitizer *sz, size_t out)
{
	size_t	lo = 0, hi = sz->nsegs, mid;

	if (sz->nsegs == 0)
		return 0;
	while (hi - lo > 1) {
		mid = (lo + hi) / 2;
		if (sz->segs[mid].out <= out)
			lo = mid;
		else
			hi = mid;
	}
	if (sz->segs[lo].kind == SEG_COPY && out - sz->segs[lo].out <
	    sz->segs[lo].len)
		return sz->segs[lo].src + (out - sz->segs[lo].out);
	if (out >= sz->segs[lo].out + sz->segs[lo].len)
		return sz->segs[lo].src + sz->segs[lo].src_len;
	return sz->segs[lo].src;
}

char *
sanitize(const char *s, size_t len, enum sanitize_mode mode, size_t *outlen)
{
	struct sanitizer	*sz = sanitize_create(mode);
	char			*out;

	sanitize_feed(sz, s, len);
	sanitize_finish(sz);
	out = buf_take(&sz->out, outlen);
	sanitize_free(sz);
	return out;
}
