/*
 * render/inline.c - inline markdown: emphasis, code, links, escapes.
 *
 * The paragraph's lines are joined into one scratch string (soft breaks as
 * '\n'), scanned into tokens, and emphasis is matched with CommonMark's
 * delimiter-run rules (left/right flanking, the rule of three, openers
 * bottom), a little simplified: links are matched eagerly left to right and
 * their text is parsed on its own. Every token remembers its place in the
 * scratch string, which maps back to the clean text line by line, so each
 * styled run keeps its source offsets.
 *
 * A paragraph that streams in is parsed again on every layout, so the
 * parser also finds where what it has made is final (see struct imemo):
 * the top-level scan notes how far each step looked ahead (its reach),
 * and emphasis matching notes when each opener stopped being available.
 * A point past every reach before it, with no opener before it still
 * waiting, splits the paragraph in two parts that parse the same apart
 * as together; the next layout keeps the rich text of the first part.
 */
#include "config.h"

#include <string.h>
#include <utf8proc.h>

#include "render/render-private.h"

enum tok_kind {
	T_TEXT,
	T_DELIM,
	T_SOFT,		/* soft break: shown as a space */
	T_HARD,		/* hard break */
};

struct tok {
	size_t		off;
	size_t		len;
	uint32_t	style;
	uint32_t	link;
	enum tok_kind	kind;
};

struct delim {
	size_t	tok;
	char	ch;
	size_t	orig;
	bool	can_open;
	bool	can_close;
	bool	active;
	size_t	pos;		/* in the scratch string */
	size_t	settle;		/* no longer an opener once a closer here
				 * is processed; SIZE_MAX while it is */
};

/* A point of the top-level scan that may become the keep point. */
struct cand {
	size_t	pos;
	size_t	nlinks;		/* links registered before it */
	bool	ok;		/* no opener before it still waiting */
};

/* What inline_parse() allocates, kept for the next call of the layout. */
struct iscratch {
	struct buf	 tb;
	size_t		*tstart;
	size_t		 tcap;
	struct tok	*toks;
	size_t		 tokcap;
	struct cand	*cands;
	size_t		 candcap;
};

struct iparse {
	struct layout	*l;
	const char	*s;		/* the lines joined by '\n' */
	size_t		*tstart;	/* line i starts at tstart[i] */
	const size_t	*cstart;	/* ... which is clean offset cstart[i] */
	size_t		 nlines;
	struct tok	*toks;
	size_t		 ntoks;
	size_t		 tokcap;
	struct cand	*cands;
	size_t		 ncands;
	size_t		 candcap;
	size_t		 keep;		/* the last final point found */
	size_t		 keep_links;
};

/* Candidates for the keep point are taken this far apart at least. */
#define KEEP_STEP 8

static void
tok_add(struct iparse *p, enum tok_kind kind, size_t off, size_t len,
    uint32_t style, uint32_t link)
{
	struct tok	*t;

	if (len == 0 && kind == T_TEXT)
		return;
	if (kind == T_TEXT && p->ntoks > 0) {
		t = &p->toks[p->ntoks - 1];
		if (t->kind == T_TEXT && t->off + t->len == off &&
		    t->style == style && t->link == link) {
			t->len += len;
			return;
		}
	}
	if (p->ntoks == p->tokcap) {
		p->tokcap = p->tokcap ? p->tokcap * 2 : 64;
		p->toks = xrealloc(p->toks, p->tokcap * sizeof *p->toks);
	}
	t = &p->toks[p->ntoks++];
	t->off = off;
	t->len = len;
	t->style = style;
	t->link = link;
	t->kind = kind;
}

/* The code point before s[i] (a space at the start). */
static int32_t
cp_before(const char *s, size_t i)
{
	size_t	j = i;
	int32_t	cp;

	if (i == 0)
		return ' ';
	j--;
	while (j > 0 && i - j < 4 && ((unsigned char)s[j] & 0xC0) == 0x80)
		j--;
	utf8_decode(s + j, i - j, &cp);
	return cp;
}

static int32_t
cp_at(const char *s, size_t len, size_t i)
{
	int32_t	cp;

	if (i >= len)
		return ' ';
	utf8_decode(s + i, len - i, &cp);
	return cp;
}

static bool
is_ws(int32_t cp)
{
	if (cp == ' ' || cp == '\n' || cp == '\t')
		return true;
	if (cp < 0x80)
		return false;
	return utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS;
}

static bool
is_punct(int32_t cp)
{
	utf8proc_category_t	c;

	if (cp < 0x80)
		return (cp >= 0x21 && cp <= 0x2F) || (cp >= 0x3A &&
		    cp <= 0x40) || (cp >= 0x5B && cp <= 0x60) ||
		    (cp >= 0x7B && cp <= 0x7E);
	c = utf8proc_category(cp);
	return (c >= UTF8PROC_CATEGORY_PC && c <= UTF8PROC_CATEGORY_PO) ||
	    (c >= UTF8PROC_CATEGORY_SM && c <= UTF8PROC_CATEGORY_SO);
}

static bool
is_ascii_punct(char c)
{
	return is_punct((unsigned char)c) && (unsigned char)c < 0x80;
}

/* Length of a backtick run at s[i]. */
static size_t
run_len(const char *s, size_t end, size_t i, char c)
{
	size_t	n = 0;

	while (i + n < end && s[i + n] == c)
		n++;
	return n;
}

/* The end of a code span opened by n backticks at i, or 0. Sets cs and ce to
 * the content (cs, ce). */
static size_t
code_span(const char *s, size_t end, size_t i, size_t n, size_t *cs,
    size_t *ce)
{
	size_t	j = i + n, m;

	while (j < end) {
		if (s[j] != '`') {
			j++;
			continue;
		}
		m = run_len(s, end, j, '`');
		if (m == n) {
			*cs = i + n;
			*ce = j;
			return j + m;
		}
		j += m;
	}
	return 0;
}

/* Match "[text](dest)" with '[' at i: returns the end, sets the text and
 * destination ranges, or 0. *reach: the answer holds whatever comes at and
 * after it (past end: more text may change it). */
static size_t
link_at(const char *s, size_t end, size_t i, size_t *te, size_t *ds,
    size_t *de, size_t *reach)
{
	size_t	j = i + 1, lim, cs, ce, k, far;
	int	depth = 1, par = 0;

	lim = end - i > 4000 ? i + 4000 : end;
	far = i + 1;
	while (j < lim) {
		if (s[j] == '\\' && j + 1 < lim) {
			j += 2;
			continue;
		}
		if (s[j] == '`') {
			k = run_len(s, lim, j, '`');
			if ((k = code_span(s, lim, j, k, &cs, &ce)) != 0) {
				j = k;
				continue;
			}
			/* An open code span might close later. */
			far = lim == end ? end + 1 : lim;
			j += run_len(s, lim, j, '`');
			continue;
		}
		if (s[j] == '[')
			depth++;
		else if (s[j] == ']' && --depth == 0)
			break;
		j++;
	}
	if (j >= lim) {
		*reach = lim == end ? end + 1 : lim > far ? lim : far;
		return 0;
	}
	if (j + 1 >= end || s[j + 1] != '(') {
		*reach = j + 1 >= end ? end + 1 : j + 2 > far ? j + 2 : far;
		return 0;
	}
	/* From here on, failing is taken as waiting for more text. */
	*reach = end + 1;
	*te = j;
	j += 2;
	while (j < end && (s[j] == ' ' || s[j] == '\n'))
		j++;
	if (j < end && s[j] == '<') {
		*ds = ++j;
		while (j < end && s[j] != '>' && s[j] != '\n')
			j++;
		if (j >= end || s[j] != '>')
			return 0;
		*de = j++;
	} else {
		*ds = j;
		while (j < end && s[j] != ' ' && s[j] != '\n') {
			if (s[j] == '\\' && j + 1 < end) {
				j += 2;
				continue;
			}
			if (s[j] == '(')
				par++;
			else if (s[j] == ')') {
				if (par == 0)
					break;
				par--;
			}
			j++;
		}
		*de = j;
	}
	while (j < end && (s[j] == ' ' || s[j] == '\n'))
		j++;
	if (j < end && (s[j] == '"' || s[j] == '\'' || s[j] == '(')) {
		char	close = s[j] == '(' ? ')' : s[j];

		j++;
		while (j < end && s[j] != close)
			j++;
		if (j >= end)
			return 0;
		j++;
		while (j < end && (s[j] == ' ' || s[j] == '\n'))
			j++;
	}
	if (j >= end || s[j] != ')')
		return 0;
	*reach = j + 1 > far ? j + 1 : far;
	return j + 1;
}

/* A bare URL at s[i] (http://, https://, www.): its end, or 0. *reach as
 * for link_at(). */
static size_t
bare_url(const char *s, size_t end, size_t i, size_t *reach)
{
	size_t	j;

	*reach = i + 1;
	if (i > 0 && !is_ws(cp_before(s, i)) && s[i - 1] != '(' &&
	    s[i - 1] != '*' && s[i - 1] != '_')
		return 0;
	*reach = i + 9;
	if (end - i > 8 && memcmp(s + i, "https://", 8) == 0)
		j = i + 8;
	else if (end - i > 7 && memcmp(s + i, "http://", 7) == 0)
		j = i + 7;
	else
		return 0;
	while (j < end && !is_ws((unsigned char)s[j]) && s[j] != '<')
		j++;
	*reach = j < end ? j + 1 : end + 1;
	/* Trailing punctuation is not part of the URL. */
	while (j > i && strchr(".,:;!?\"'*_~)", s[j - 1]) != NULL) {
		if (s[j - 1] == ')') {
			size_t	k, open = 0, close = 0;

			for (k = i; k < j; k++) {
				open += s[k] == '(';
				close += s[k] == ')';
			}
			if (close <= open)
				break;
		}
		j--;
	}
	return j;
}

/* An autolink or inline HTML tag at '<': its end, 0 if neither. *url set
 * for autolinks; *reach as for link_at(). */
static size_t
angle_at(const char *s, size_t end, size_t i, bool *url, size_t *reach)
{
	size_t	j = i + 1;

	*url = false;
	while (j < end && s[j] != '>' && s[j] != '<' && s[j] != '\n' &&
	    s[j] != ' ')
		j++;
	*reach = j < end ? j + 1 : end + 1;
	if (j < end && s[j] == '>' && j > i + 1 && (memchr(s + i, ':',
	    j - i) != NULL || memchr(s + i, '@', j - i) != NULL)) {
		*url = true;
		return j + 1;
	}
	if (i + 1 >= end || !(((s[i + 1] | 0x20) >= 'a' &&
	    (s[i + 1] | 0x20) <= 'z') || s[i + 1] == '/' || s[i + 1] == '!'))
		return 0;
	j = i + 1;
	while (j < end && s[j] != '>' && s[j] != '<' && j - i < 1000)
		j++;
	if (j >= end)
		*reach = end + 1;
	else if (j + 1 > *reach)
		*reach = j + 1;
	return j < end && s[j] == '>' ? j + 1 : 0;
}

static void	parse_range(struct iparse *, size_t, size_t, uint32_t,
		    uint32_t);

static void
process_emphasis(struct iparse *p, struct delim *d, size_t nd)
{
	size_t		 c, o, bottom[3][2][3], t, use;
	int		 ci;
	uint32_t	 flag;
	bool		 found;

	memset(bottom, 0, sizeof bottom);
	for (c = 0; c < nd; c++) {
		struct tok	*ct = &p->toks[d[c].tok];

		if (!d[c].can_close || !d[c].active)
			continue;
again:
		ci = d[c].ch == '*' ? 0 : d[c].ch == '_' ? 1 : 2;
		found = false;
		for (o = c; o > bottom[ci][d[c].can_open][d[c].orig % 3];) {
			struct tok	*ot;

			o--;
			ot = &p->toks[d[o].tok];
			if (!d[o].active || d[o].ch != d[c].ch ||
			    !d[o].can_open || ot->len == 0)
				continue;
			if (d[c].ch == '~') {
				if (ot->len != ct->len || ct->len > 2)
					continue;
			} else if ((d[o].can_close || d[c].can_open) &&
			    (d[o].orig + d[c].orig) % 3 == 0 &&
			    !(d[o].orig % 3 == 0 && d[c].orig % 3 == 0))
				continue;
			found = true;
			break;
		}
		if (!found) {
			bottom[ci][d[c].can_open][d[c].orig % 3] = c;
			if (!d[c].can_open)
				d[c].active = false;
			continue;
		}
		{
			struct tok	*ot = &p->toks[d[o].tok];

			if (d[c].ch == '~') {
				use = ct->len;
				flag = RSTYLE_STRIKE;
			} else {
				use = ot->len >= 2 && ct->len >= 2 ? 2 : 1;
				flag = use == 2 ? RSTYLE_STRONG : RSTYLE_EMPH;
			}
			for (t = d[o].tok + 1; t < d[c].tok; t++)
				p->toks[t].style |= flag;
			ot->len -= use;
			ct->off += use;
			ct->len -= use;
			for (t = o + 1; t < c; t++) {
				d[t].active = false;
				if (d[t].settle > d[c].pos)
					d[t].settle = d[c].pos;
			}
			if (ot->len == 0) {
				d[o].active = false;
				if (d[o].settle > d[c].pos)
					d[o].settle = d[c].pos;
			}
			if (ct->len > 0)
				goto again;
			if (d[c].settle > d[c].pos)
				d[c].settle = d[c].pos;
		}
	}
}

/*
 * The keep point of a top-level scan: the last candidate with no opener
 * before it that a closer at or after it might still take.
 */
static size_t	to_clean(struct iparse *, size_t, size_t *);

static void
find_keep(struct iparse *p, const struct delim *d, size_t nd)
{
	size_t	k, o = 0, settle = 0, line = 0;

	for (k = 0; k < p->ncands; k++) {
		while (o < nd && d[o].pos < p->cands[k].pos) {
			if (d[o].settle > settle)
				settle = d[o].settle;
			o++;
		}
		p->cands[k].ok = settle < p->cands[k].pos;
	}
	/* The last one that is also a clean cut. */
	for (k = p->ncands; k-- > 0;) {
		if (p->cands[k].ok && layout_cuttable(p->l,
		    to_clean(p, p->cands[k].pos, &line))) {
			p->keep = p->cands[k].pos;
			p->keep_links = p->cands[k].nlinks;
			return;
		}
	}
}

static void
add_cand(struct iparse *p, size_t pos)
{
	if (p->ncands == p->candcap) {
		p->candcap = p->candcap ? p->candcap * 2 : 16;
		p->cands = xrealloc(p->cands, p->candcap * sizeof *p->cands);
	}
	p->cands[p->ncands].pos = pos;
	p->cands[p->ncands].nlinks = *p->l->nlinks;
	p->ncands++;
}

#define REACH(x) do { size_t r_ = (x); if (r_ > reach) reach = r_; } \
	while (0)

/*
 * Parse s[from, to). The top-level call (link 0; link text is parsed by a
 * nested call) also gathers candidates for the keep point: step boundaries
 * that no step before them looked at or past, not right after a space
 * (a line break there would take the space into a hard break).
 */
static void
parse_range(struct iparse *p, size_t from, size_t to, uint32_t style,
    uint32_t link)
{
	const char	*s = p->s;
	size_t		 i = from, j, n, cs, ce, te, ds, de, text = from;
	size_t		 nd = 0, dcap = 0, reach = from, r, last = from;
	struct delim	*d = NULL;
	int32_t		 before, after;
	bool		 left, right, url;
	uint32_t	 id;
	char		 c;

#define FLUSH() do { tok_add(p, T_TEXT, text, i - text, style, link); } \
	while (0)
	while (i < to) {
		if (link == 0 && reach <= i && i >= last + KEEP_STEP &&
		    s[i - 1] != ' ' && ((unsigned char)s[i] & 0xC0) != 0x80) {
			add_cand(p, i);
			last = i;
		}
		c = s[i];
		switch (c) {
		case '\\':
			REACH(i + 2);
			if (i + 1 < to && is_ascii_punct(s[i + 1])) {
				FLUSH();
				tok_add(p, T_TEXT, i + 1, 1, style, link);
				i += 2;
				text = i;
				continue;
			}
			if (i + 1 < to && s[i + 1] == '\n') {
				FLUSH();
				tok_add(p, T_HARD, i + 1, 1, style, link);
				i += 2;
				while (i < to && s[i] == ' ')
					i++;
				REACH(i + 1);
				text = i;
				continue;
			}
			break;
		case '\n':
			FLUSH();
			/* Trailing spaces: two or more make a hard break. */
			j = i;
			n = 0;
			while (j > from && s[j - 1] == ' ') {
				j--;
				n++;
			}
			if (n > 0 && p->ntoks > 0) {
				struct tok	*t = &p->toks[p->ntoks - 1];

				if (t->kind == T_TEXT && t->off + t->len == i) {
					size_t	cut = n < t->len ? n : t->len;

					t->len -= cut;
					if (t->len == 0)
						p->ntoks--;
				}
			}
			tok_add(p, n >= 2 ? T_HARD : T_SOFT, i, 1, style, link);
			i++;
			while (i < to && (s[i] == ' ' || s[i] == '\t'))
				i++;
			REACH(i + 1);
			text = i;
			continue;
		case '`':
			n = run_len(s, to, i, '`');
			if ((j = code_span(s, to, i, n, &cs, &ce)) == 0) {
				/* A later run of n backticks may close it. */
				REACH(to + 1);
				i += n;
				continue;
			}
			REACH(j + 1);
			FLUSH();
			/* One space each side is stripped when both. */
			if (ce - cs >= 2 && (s[cs] == ' ' || s[cs] == '\n') &&
			    (s[ce - 1] == ' ' || s[ce - 1] == '\n')) {
				for (n = cs; n < ce && s[n] == ' '; n++)
					;
				if (n < ce) {
					cs++;
					ce--;
				}
			}
			for (n = cs; n < ce; n++) {
				if (s[n] == '\n') {
					tok_add(p, T_TEXT, cs, n - cs,
					    style | RSTYLE_CODE, link);
					tok_add(p, T_SOFT, n, 1,
					    style | RSTYLE_CODE, link);
					cs = n + 1;
				}
			}
			tok_add(p, T_TEXT, cs, ce - cs, style | RSTYLE_CODE,
			    link);
			i = j;
			text = i;
			continue;
		case '*':
		case '_':
		case '~':
			FLUSH();
			n = run_len(s, to, i, c);
			REACH(i + n + 4);	/* the code point after the run */
			before = cp_before(s, i);
			after = cp_at(s, to, i + n);
			left = !is_ws(after) && (!is_punct(after) ||
			    is_ws(before) || is_punct(before));
			right = !is_ws(before) && (!is_punct(before) ||
			    is_ws(after) || is_punct(after));
			if (nd == dcap) {
				dcap = dcap ? dcap * 2 : 16;
				d = xrealloc(d, dcap * sizeof *d);
			}
			d[nd].tok = p->ntoks;
			d[nd].ch = c;
			d[nd].orig = n;
			d[nd].active = true;
			d[nd].pos = i;
			if (c == '_') {
				d[nd].can_open = left && (!right ||
				    is_punct(before));
				d[nd].can_close = right && (!left ||
				    is_punct(after));
			} else {
				d[nd].can_open = left;
				d[nd].can_close = right;
			}
			d[nd].settle = d[nd].can_open ? SIZE_MAX : 0;
			nd++;
			tok_add(p, T_DELIM, i, n, style, link);
			i += n;
			text = i;
			continue;
		case '!':
			REACH(i + 2);
			if (i + 1 < to && s[i + 1] == '[' &&
			    (j = link_at(s, to, i + 1, &te, &ds, &de, &r)) != 0) {
				REACH(r);
				FLUSH();
				id = link ? link :
				    layout_add_link(p->l, s + ds, de - ds);
				parse_range(p, i + 2, te, style | RSTYLE_LINK,
				    id);
				i = j;
				text = i;
				continue;
			}
			if (i + 1 < to && s[i + 1] == '[')
				REACH(r);
			break;
		case '[':
			j = link_at(s, to, i, &te, &ds, &de, &r);
			REACH(r);
			if (j != 0) {
				FLUSH();
				id = link ? link :
				    layout_add_link(p->l, s + ds, de - ds);
				parse_range(p, i + 1, te, style | RSTYLE_LINK,
				    id);
				i = j;
				text = i;
				continue;
			}
			break;
		case '<':
			j = angle_at(s, to, i, &url, &r);
			REACH(r);
			if (j != 0) {
				FLUSH();
				if (url && link == 0) {
					id = layout_add_link(p->l, s + i + 1,
					    j - i - 2);
					tok_add(p, T_TEXT, i + 1, j - i - 2,
					    style | RSTYLE_LINK, id);
				} else
					tok_add(p, T_TEXT, i, j - i,
					    style | RSTYLE_HTML, link);
				i = j;
				text = i;
				continue;
			}
			break;
		case 'h':
			if (link != 0)
				break;
			j = bare_url(s, to, i, &r);
			REACH(r);
			if (j != 0) {
				FLUSH();
				id = layout_add_link(p->l, s + i, j - i);
				tok_add(p, T_TEXT, i, j - i,
				    style | RSTYLE_LINK, id);
				i = j;
				text = i;
				continue;
			}
			break;
		}
		REACH(i + 1);
		i++;
	}
	FLUSH();
#undef FLUSH
	process_emphasis(p, d, nd);
	if (link == 0)
		find_keep(p, d, nd);
	free(d);
}

#undef REACH

/* The clean offset of scratch offset t (hint: the current line). */
static size_t
to_clean(struct iparse *p, size_t t, size_t *line)
{
	while (*line + 1 < p->nlines && p->tstart[*line + 1] <= t)
		(*line)++;
	while (*line > 0 && p->tstart[*line] > t)
		(*line)--;
	return p->cstart[*line] + (t - p->tstart[*line]);
}

/* Append token t to rt, clean text from scratch offset a to b. */
static void
emit_tok(struct iparse *p, struct rt *rt, const struct tok *t, size_t a,
    size_t b, size_t *line)
{
	size_t	c;

	switch (t->kind) {
	case T_SOFT:
		c = to_clean(p, t->off, line);
		/* Stands for the line break of the source. */
		rt_add(rt, " ", 1, t->style, t->link, layout_map(p->l, c), 1);
		break;
	case T_HARD:
		rt_add(rt, "\n", 1, t->style, t->link, RENDER_NOSRC, 0);
		break;
	default:
		c = to_clean(p, a, line);
		layout_add_clean(p->l, rt, c, b - a, t->style, t->link);
		break;
	}
}

bool
inline_resumable(const struct layout *l, const struct imemo *im,
    const size_t *starts, const size_t *ends, size_t nlines, uint32_t style)
{
	size_t	i;

	if (im == NULL || !im->valid || im->style != style ||
	    im->nlinks0 != *l->nlinks || im->nlines == 0 ||
	    nlines < im->nlines)
		return false;
	for (i = 0; i + 1 < im->nlines; i++) {
		if (starts[i] != im->starts[i] || ends[i] != im->ends[i])
			return false;
	}
	/* The clean text only grows: the same start, no shorter, is the
	 * same line grown. */
	return starts[i] == im->starts[i] && ends[i] >= im->ends[i];
}

/* Remember the paragraph's lines and what is final for the next layout. */
static void
remember(struct iparse *p, struct imemo *im, const size_t *starts,
    const size_t *ends, size_t nlines, uint32_t style, size_t nlinks0,
    size_t links_from, const struct rt_mark *mark)
{
	size_t	u;

	if (im->linecap < nlines) {
		im->linecap = nlines;
		im->starts = xrealloc(im->starts, nlines * sizeof *im->starts);
		im->ends = xrealloc(im->ends, nlines * sizeof *im->ends);
	}
	memcpy(im->starts, starts, nlines * sizeof *starts);
	memcpy(im->ends, ends, nlines * sizeof *ends);
	im->nlines = nlines;
	im->style = style;
	im->nlinks0 = nlinks0;
	im->nlinks_end = *p->l->nlinks;
	im->valid = true;
	if (p->keep <= im->keep)
		return;
	im->keep = p->keep;
	im->mark = *mark;
	for (u = links_from; u < p->keep_links; u++) {
		if (im->nurls == im->urlcap) {
			im->urlcap = im->urlcap ? im->urlcap * 2 : 8;
			im->urls = xrealloc(im->urls,
			    im->urlcap * sizeof *im->urls);
		}
		im->urls[im->nurls++] = xstrdup((*p->l->links)[u]);
	}
}

void
imemo_release(struct imemo *im)
{
	size_t	u;

	for (u = 0; u < im->nurls; u++)
		free(im->urls[u]);
	free(im->urls);
	free(im->starts);
	free(im->ends);
	memset(im, 0, sizeof *im);
}

static void
imemo_forget(struct imemo *im)
{
	size_t	u;

	for (u = 0; u < im->nurls; u++)
		free(im->urls[u]);
	im->nurls = 0;
	im->keep = 0;
	im->valid = false;
}

size_t
inline_parse(struct layout *l, struct rt *rt, const size_t *starts,
    const size_t *ends, size_t nlines, uint32_t style, struct imemo *im)
{
	struct iparse	 p;
	size_t		 i, line = 0, agree = 0, from = 0, nlinks0, links_from;
	size_t		 a, b, len;
	struct tok	*t;
	struct rt_mark	 mark;
	struct iscratch	*sc;
	bool		 marked, same = false;

	memset(&p, 0, sizeof p);
	p.l = l;
	nlinks0 = *l->nlinks;
	if (inline_resumable(l, im, starts, ends, nlines, style)) {
		/* The first part as it was: its rich text and links. */
		same = nlines == im->nlines &&
		    ends[nlines - 1] == im->ends[nlines - 1];
		rt_rewind(rt, &im->mark);
		agree = im->mark.len;
		from = im->keep;
		for (i = 0; i < im->nurls; i++)
			layout_add_link(l, im->urls[i], strlen(im->urls[i]));
	} else if (im != NULL) {
		imemo_forget(im);
		rt_mark(rt, &im->mark);
	}
	links_from = *l->nlinks;
	rt_mark(rt, &mark);
	p.keep = from;
	p.keep_links = links_from;
	if ((sc = l->isc) == NULL) {
		sc = l->isc = xcalloc(1, sizeof *sc);
		buf_init(&sc->tb, BUF_NO_LIMIT);
	}
	if (sc->tcap < nlines) {
		sc->tcap = nlines;
		sc->tstart = xrealloc(sc->tstart, nlines * sizeof *sc->tstart);
	}
	p.tstart = sc->tstart;
	p.toks = sc->toks;
	p.tokcap = sc->tokcap;
	p.cands = sc->cands;
	p.candcap = sc->candcap;
	p.cstart = starts;
	p.nlines = nlines;
	if (nlines == 1) {
		/* One line is its own joined text. */
		p.s = l->text + starts[0];
		len = ends[0] - starts[0];
		p.tstart[0] = 0;
	} else {
		buf_reset(&sc->tb);
		for (i = 0; i < nlines; i++) {
			if (i > 0)
				buf_addc(&sc->tb, '\n');
			p.tstart[i] = sc->tb.len;
			buf_add(&sc->tb, l->text + starts[i], ends[i] -
			    starts[i]);
		}
		p.s = sc->tb.data != NULL ? sc->tb.data : "";
		len = sc->tb.len;
	}
	/* Trailing spaces of the paragraph are not shown. */
	while (len > 0 && (p.s[len - 1] == ' ' || p.s[len - 1] == '\t'))
		len--;
	if (from < len)
		parse_range(&p, from, len, style, 0);
	/* The rich text, marked where the new keep point falls. */
	marked = p.keep == from;
	for (i = 0; i < p.ntoks; i++) {
		t = &p.toks[i];
		if (t->len == 0)
			continue;
		a = t->off;
		b = t->off + t->len;
		if (!marked && b > p.keep) {
			if (a < p.keep && t->kind != T_SOFT &&
			    t->kind != T_HARD) {
				emit_tok(&p, rt, t, a, p.keep, &line);
				a = p.keep;
			}
			rt_mark(rt, &mark);
			marked = true;
		}
		emit_tok(&p, rt, t, a, b, &line);
	}
	if (!marked)
		rt_mark(rt, &mark);
	/* The same lines as last time: the same rich text, all of it. */
	if (same)
		agree = rt->text.len;
	if (im != NULL)
		remember(&p, im, starts, ends, nlines, style, nlinks0,
		    links_from, &mark);
	sc->toks = p.toks;
	sc->tokcap = p.tokcap;
	sc->cands = p.cands;
	sc->candcap = p.candcap;
	return agree;
}

void
inline_release(struct layout *l)
{
	struct iscratch	*sc = l->isc;

	if (sc == NULL)
		return;
	buf_release(&sc->tb);
	free(sc->tstart);
	free(sc->toks);
	free(sc->cands);
	free(sc);
	l->isc = NULL;
}
