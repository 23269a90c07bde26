/*
 * render/wrap.c - break text into lines by display width.
 *
 * Greedy, one pass over grapheme clusters. The last break opportunity seen
 * on the current line is remembered; when a cluster does not fit, the line
 * ends there, or - when there is none - right before the cluster (a word
 * longer than the line). Spaces never trigger a wrap: they only count once
 * something visible follows them on the same line.
 */
#include "config.h"

#include <string.h>

#include "core/core.h"
#include "render/render-private.h"

struct wl {
	struct wrap_line	*v;
	size_t			 n;
	size_t			 cap;
};

static void
add_line(struct wl *w, size_t start, size_t end, int width)
{
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 8;
		w->v = xrealloc(w->v, w->cap * sizeof *w->v);
	}
	w->v[w->n].start = start;
	w->v[w->n].end = end;
	w->v[w->n].width = width;
	w->n++;
}

static bool
is_dash(const char *s, size_t n)
{
	if (n == 1)
		return s[0] == '-';
	/* U+2010 .. U+2014: hyphen, non-breaking hyphen excluded (2011) */
	return n == 3 && (unsigned char)s[0] == 0xE2 &&
	    (unsigned char)s[1] == 0x80 && (unsigned char)s[2] >= 0x90 &&
	    (unsigned char)s[2] <= 0x94 && (unsigned char)s[2] != 0x91;
}

static bool
is_wordish(const char *s, size_t n)
{
	unsigned char	c = (unsigned char)s[0];

	if (c >= 0x80)
		return n > 0;
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/*
 * CJK line-breaking rules (kinsoku, UAX #14 classes CL, CP, IS, EX, NS and
 * OP): a line does not start with a closing bracket or a full stop, and
 * does not end with an opening bracket.
 */
static bool
no_break_before(const char *s, size_t n)
{
	int32_t	cp;

	if (n < 3)
		return false;
	utf8_decode(s, n, &cp);
	switch (cp) {
	case 0x3001: case 0x3002: case 0x3009: case 0x300B: case 0x300D:
	case 0x300F: case 0x3011: case 0x3015: case 0x3017: case 0x3019:
	case 0x301B: case 0x30FC: case 0xFF01: case 0xFF09: case 0xFF0C:
	case 0xFF0E: case 0xFF1A: case 0xFF1B: case 0xFF1F: case 0xFF3D:
	case 0xFF5D: case 0x3063: case 0x30C3: case 0x3083: case 0x30E3:
		return true;
	default:
		return false;
	}
}

static bool
no_break_after(const char *s, size_t n)
{
	int32_t	cp;

	if (n < 3)
		return false;
	utf8_decode(s, n, &cp);
	switch (cp) {
	case 0x3008: case 0x300A: case 0x300C: case 0x300E: case 0x3010:
	case 0x3014: case 0x3016: case 0x3018: case 0x301A: case 0xFF08:
	case 0xFF3B: case 0xFF5B:
		return true;
	default:
		return false;
	}
}

#define SNAP(x) do {						\
	(x)->nlines = w.n; (x)->pos = pos; (x)->start = start;		\
	(x)->brk = brk; (x)->brk_end = brk_end; (x)->vis_end = vis_end;	\
	(x)->url_from = url_from; (x)->cur = cur; (x)->vis_w = vis_w;	\
	(x)->brk_w = brk_w; (x)->at_brk = at_brk;				\
	(x)->can_break = can_break; (x)->prev_word = prev_word;		\
	(x)->no_break = no_break;					\
} while (0)

size_t
wrap_resume_in(const char *s, size_t len, int width,
    const struct wrap_snap *from, struct wrap_line **linesp,
    size_t *capp, struct wrap_snap **snapsp, size_t *nsnapsp,
    size_t *snapcapp, size_t snap_at)
{
	struct wl	 w = { *linesp, 0, *capp };
	size_t		 pos = 0, next, start = 0, brk = 0, brk_end = 0;
	size_t		 vis_end = 0, url_from = SIZE_MAX;
	size_t		 nsnaps = 0, snapcap = 0, snapped = 0, snap_pos = 0;
	struct wrap_snap *snaps = NULL;
	int		 cw, cur = 0, vis_w = 0, brk_w = 0, at_brk = 0, shift;
	bool		 can_break = false, prev_word = false, space;
	bool		 no_break = false;

	if (width < 1)
		width = 1;
	if (snapsp != NULL) {
		snaps = *snapsp;
		nsnaps = *nsnapsp;
		snapcap = *snapcapp;
	}
	if (from != NULL) {
		w.n = from->nlines;
		pos = from->pos;
		start = from->start;
		brk = from->brk;
		brk_end = from->brk_end;
		vis_end = from->vis_end;
		url_from = from->url_from;
		cur = from->cur;
		vis_w = from->vis_w;
		brk_w = from->brk_w;
		at_brk = from->at_brk;
		can_break = from->can_break;
		prev_word = from->prev_word;
		no_break = from->no_break;
		snapped = w.n;
		snap_pos = pos;
	}
	while (pos < len) {
		/* The state where a line begins, every 16 bytes or so, and
		 * at every cluster from snap_at to WRAP_LOOKAHEAD past it,
		 * for resuming later. */
		if (snapsp != NULL && (w.n > snapped || pos >= snap_pos + 16 ||
		    (pos >= snap_at && pos > snap_pos &&
		    pos - snap_at <= WRAP_LOOKAHEAD))) {
			if (nsnaps == snapcap) {
				snapcap = snapcap ? snapcap * 2 : 8;
				snaps = xrealloc(snaps,
				    snapcap * sizeof *snaps);
			}
			SNAP(&snaps[nsnaps]);
			nsnaps++;
			snapped = w.n;
			snap_pos = pos;
		}
		if (s[pos] == '\n') {
			add_line(&w, start, vis_end, vis_w);
			pos++;
			start = brk = vis_end = pos;
			cur = vis_w = 0;
			can_break = prev_word = no_break = false;
			url_from = SIZE_MAX;
			continue;
		}
		next = grapheme_next(s, len, pos, &cw);
		space = (s[pos] == ' ' || s[pos] == '\t') && next == pos + 1;
		if (space) {
			cur += cw;
			pos = next;
			can_break = true;
			prev_word = no_break = false;
			url_from = SIZE_MAX;
			continue;
		}
		if ((can_break || cw == 2) && pos > start && vis_end > start &&
		    !(cw == 2 && no_break_before(s + pos, next - pos)) &&
		    !no_break) {
			brk = pos;
			brk_end = vis_end;
			brk_w = vis_w;
			at_brk = cur;
		}
		if (cur + cw > width && pos > start) {
			shift = 0;
			if (brk > start) {
				add_line(&w, start, brk_end, brk_w);
				start = brk;
				cur -= at_brk;
				shift = at_brk;
			}
			if (cur + cw > width && pos > start) {
				/* The width of [start, vis_end): spaces after
				 * vis_end are left out (fuzz_markdown found a
				 * line " " of width 1 ending before the space). */
				add_line(&w, start, vis_end, vis_w - shift);
				start = pos;
				cur = 0;
			}
			brk = start;
		}
		cur += cw;
		vis_end = next;
		vis_w = cur;
		/* What may break after this cluster. */
		can_break = cw == 2;
		if (is_dash(s + pos, next - pos) && prev_word)
			can_break = true;
		if (s[pos] == ':' && len - pos >= 3 &&
		    memcmp(s + pos, "://", 3) == 0)
			url_from = pos + 3;
		if (url_from != SIZE_MAX && pos >= url_from &&
		    (s[pos] == '/' || s[pos] == '?' || s[pos] == '&' ||
		    s[pos] == '='))
			can_break = true;
		prev_word = is_wordish(s + pos, next - pos);
		no_break = cw == 2 && no_break_after(s + pos, next - pos);
		pos = next;
	}
	add_line(&w, start, vis_end < start ? start : vis_end,
	    vis_end < start ? 0 : vis_w);
	*linesp = w.v;
	*capp = w.cap;
	if (snapsp != NULL) {
		*snapsp = snaps;
		*nsnapsp = nsnaps;
		*snapcapp = snapcap;
	}
	return w.n;
}

size_t
wrap_lines(const char *s, size_t len, int width, struct wrap_line **linesp)
{
	size_t	cap = 0;

	*linesp = NULL;
	return wrap_resume_in(s, len, width, NULL, linesp, &cap, NULL, NULL,
	    NULL, SIZE_MAX);
}
