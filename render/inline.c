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
};

struct iparse {
	struct layout	*l;
	struct buf	 tb;		/* scratch: lines joined by '\n' */
	size_t		*tstart;	/* line i starts at tstart[i] */
	const size_t	*cstart;	/* ... which is clean offset cstart[i] */
	size_t		 nlines;
	struct tok	*toks;
	size_t		 ntoks;
	size_t		 tokcap;
};

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
 * destination ranges, or 0. */
static size_t
link_at(const char *s, size_t end, size_t i, size_t *te, size_t *ds,
    size_t *de)
{
	size_t	j = i + 1, lim, cs, ce, k;
	int	depth = 1, par = 0;

	lim = end - i > 4000 ? i + 4000 : end;
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
			j += run_len(s, lim, j, '`');
			continue;
		}
		if (s[j] == '[')
			depth++;
		else if (s[j] == ']' && --depth == 0)
			break;
		j++;
	}
	if (j >= lim || j + 1 >= end || s[j + 1] != '(')
		return 0;
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
	return j + 1;
}

/* A bare URL at s[i] (http://, https://, www.): its end, or 0. */
static size_t
bare_url(const char *s, size_t end, size_t i)
{
	size_t	j;

	if (i > 0 && !is_ws(cp_before(s, i)) && s[i - 1] != '(' &&
	    s[i - 1] != '*' && s[i - 1] != '_')
		return 0;
	if (end - i > 8 && memcmp(s + i, "https://", 8) == 0)
		j = i + 8;
	else if (end - i > 7 && memcmp(s + i, "http://", 7) == 0)
		j = i + 7;
	else
		return 0;
	while (j < end && !is_ws((unsigned char)s[j]) && s[j] != '<')
		j++;
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
 * for autolinks. */
static size_t
angle_at(const char *s, size_t end, size_t i, bool *url)
{
	size_t	j = i + 1;

	*url = false;
	while (j < end && s[j] != '>' && s[j] != '<' && s[j] != '\n' &&
	    s[j] != ' ')
		j++;
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
			for (t = o + 1; t < c; t++)
				d[t].active = false;
			if (ot->len == 0)
				d[o].active = false;
			if (ct->len > 0)
				goto again;
		}
	}
}

static void
parse_range(struct iparse *p, size_t from, size_t to, uint32_t style,
    uint32_t link)
{
	const char	*s = p->tb.data;
	size_t		 i = from, j, n, cs, ce, te, ds, de, text = from;
	size_t		 nd = 0, dcap = 0;
	struct delim	*d = NULL;
	int32_t		 before, after;
	bool		 left, right, url;
	uint32_t	 id;
	char		 c;

#define FLUSH() do { tok_add(p, T_TEXT, text, i - text, style, link); } \
	while (0)
	while (i < to) {
		c = s[i];
		switch (c) {
		case '\\':
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
			text = i;
			continue;
		case '`':
			n = run_len(s, to, i, '`');
			if ((j = code_span(s, to, i, n, &cs, &ce)) == 0) {
				i += n;
				continue;
			}
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
			if (c == '_') {
				d[nd].can_open = left && (!right ||
				    is_punct(before));
				d[nd].can_close = right && (!left ||
				    is_punct(after));
			} else {
				d[nd].can_open = left;
				d[nd].can_close = right;
			}
			nd++;
			tok_add(p, T_DELIM, i, n, style, link);
			i += n;
			text = i;
			continue;
		case '!':
			if (i + 1 < to && s[i + 1] == '[' &&
			    (j = link_at(s, to, i + 1, &te, &ds, &de)) != 0) {
				FLUSH();
				id = link ? link :
				    layout_add_link(p->l, s + ds, de - ds);
				parse_range(p, i + 2, te, style | RSTYLE_LINK,
				    id);
				i = j;
				text = i;
				continue;
			}
			break;
		case '[':
			if ((j = link_at(s, to, i, &te, &ds, &de)) != 0) {
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
			if ((j = angle_at(s, to, i, &url)) != 0) {
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
			if (link == 0 && (j = bare_url(s, to, i)) != 0) {
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
		i++;
	}
	FLUSH();
#undef FLUSH
	process_emphasis(p, d, nd);
	free(d);
}

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

void
inline_parse(struct layout *l, struct rt *rt, const size_t *starts,
    const size_t *ends, size_t nlines, uint32_t style)
{
	struct iparse	 p;
	size_t		 i, line = 0, c;
	struct tok	*t;

	memset(&p, 0, sizeof p);
	p.l = l;
	buf_init(&p.tb, BUF_NO_LIMIT);
	p.tstart = xmalloc((nlines ? nlines : 1) * sizeof *p.tstart);
	p.cstart = starts;
	p.nlines = nlines;
	for (i = 0; i < nlines; i++) {
		if (i > 0)
			buf_addc(&p.tb, '\n');
		p.tstart[i] = p.tb.len;
		buf_add(&p.tb, l->text + starts[i], ends[i] - starts[i]);
	}
	if (p.tb.data == NULL)
		buf_add(&p.tb, "", 0);
	if (p.tb.len > 0) {
		/* Trailing spaces of the paragraph are not shown. */
		size_t	end = p.tb.len;

		while (end > 0 && (p.tb.data[end - 1] == ' ' ||
		    p.tb.data[end - 1] == '\t'))
			end--;
		parse_range(&p, 0, end, style, 0);
	}
	for (i = 0; i < p.ntoks; i++) {
		t = &p.toks[i];
		if (t->len == 0)
			continue;
		switch (t->kind) {
		case T_SOFT:
			c = to_clean(&p, t->off, &line);
			/* Stands for the line break of the source. */
			rt_add(rt, " ", 1, t->style, t->link,
			    layout_map(l, c), 1);
			break;
		case T_HARD:
			rt_add(rt, "\n", 1, t->style, t->link, RENDER_NOSRC,
			    0);
			break;
		default:
			c = to_clean(&p, t->off, &line);
			layout_add_clean(l, rt, c, t->len, t->style, t->link);
			break;
		}
	}
	buf_release(&p.tb);
	free(p.tstart);
	free(p.toks);
}
