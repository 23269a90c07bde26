/*
 * tui/tui_screen.c - curses: the terminal, the theme, and drawing text at
 * the widths render/ computes.
 *
 * The theme maps roles (user label, code, status line, ...) to colour
 * pairs: 256 colours when the terminal has them, else the 8 basic ones.
 * With NO_COLOR set or a terminal without colours every role is still told
 * apart by bold, reverse, underline and dim alone.
 *
 * Width: curses measures characters with the C library's wcwidth(), which
 * does not know grapheme clusters (a family emoji is three wide characters
 * to it, one 2-column cluster to the terminal). So we never hand curses a
 * string: each cluster goes into one cell (cchar_t) at the column we
 * computed, its code points in the cell's character array. Clusters that
 * do not fit a cell, or whose first character curses would measure
 * differently, are drawn as something of the same width.
 */
#include "config.h"

#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "tui/tui.h"

static int	attrs[TS_COUNT];
static bool	have_colour;

struct theme_entry {
	enum tstyle	role;
	short		fg256, bg256;
	short		fg8, bg8;
	int		attr;		/* added in colour */
	int		mono;		/* used alone without colour */
};

static const struct theme_entry theme[] = {
	{ TS_NORMAL, -1, -1, -1, -1, 0, 0 },
	{ TS_USER_LABEL, 39, -1, COLOR_CYAN, -1, A_BOLD, A_BOLD | A_REVERSE },
	{ TS_USER_TEXT, 252, -1, -1, -1, 0, 0 },
	{ TS_ASSIST_LABEL, 178, -1, COLOR_YELLOW, -1, A_BOLD, A_BOLD |
	    A_UNDERLINE },
	{ TS_CODE, 150, 235, COLOR_GREEN, -1, 0, A_DIM },
	{ TS_CODE_LABEL, 244, 235, COLOR_GREEN, -1, A_BOLD, A_BOLD },
	{ TS_HEADING, 214, -1, COLOR_YELLOW, -1, A_BOLD, A_BOLD |
	    A_UNDERLINE },
	{ TS_QUOTE, 109, -1, COLOR_BLUE, -1, 0, A_DIM },
	{ TS_LINK, 75, -1, COLOR_BLUE, -1, A_UNDERLINE, A_UNDERLINE },
	{ TS_DIM, 244, -1, -1, -1, A_DIM, A_DIM },
	{ TS_ERROR, 203, -1, COLOR_RED, -1, A_BOLD, A_BOLD | A_REVERSE },
	{ TS_STATUS, 252, 237, COLOR_WHITE, COLOR_BLUE, 0, A_REVERSE },
	{ TS_STATUS_DEMO, 16, 178, COLOR_BLACK, COLOR_YELLOW, A_BOLD,
	    A_REVERSE | A_BOLD },
	{ TS_MARKER, 16, 214, COLOR_BLACK, COLOR_YELLOW, A_BOLD,
	    A_REVERSE | A_BOLD },
	{ TS_SELECT, 255, 24, COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE },
	{ TS_INPUT_BORDER, 240, -1, -1, -1, A_DIM, A_DIM },
	{ TS_MATCH, 16, 186, COLOR_BLACK, COLOR_YELLOW, 0, A_REVERSE },
	/* Word diff: deleted, inserted, case- or accent-only. */
	{ TS_DIFF_DELETE, 224, 88, COLOR_WHITE, COLOR_RED, 0,
	    A_REVERSE },
	{ TS_DIFF_INSERT, 194, 22, COLOR_BLACK, COLOR_GREEN, A_BOLD,
	    A_BOLD | A_UNDERLINE },
	{ TS_DIFF_CASE, 16, 180, COLOR_BLACK, COLOR_YELLOW, 0, A_UNDERLINE },
};

static void
setup_theme(void)
{
	const char	*nc = getenv("NO_COLOR");
	size_t		 i;
	bool		 c256;
	short		 fg, bg;

	have_colour = (nc == NULL || *nc == '\0') && has_colors();
	if (have_colour && start_color() == ERR)
		have_colour = false;
	if (have_colour)
		use_default_colors();
	c256 = have_colour && COLORS >= 256;
	for (i = 0; i < sizeof theme / sizeof theme[0]; i++) {
		const struct theme_entry *t = &theme[i];

		if (!have_colour) {
			attrs[t->role] = t->mono;
			continue;
		}
		fg = c256 ? t->fg256 : t->fg8;
		bg = c256 ? t->bg256 : t->bg8;
		if (fg == -1 && bg == -1) {
			attrs[t->role] = t->attr;
			continue;
		}
		init_pair((short)(i + 1), fg, bg);
		attrs[t->role] = (int)COLOR_PAIR(i + 1) | t->attr;
	}
}

int
screen_init(char **cause)
{
	const char	*term = getenv("TERM");

	if (term == NULL || *term == '\0')
		term = "xterm";
	if (newterm(term, stdout, stdin) == NULL) {
		*cause = xasprintf("cannot use the terminal '%s'", term);
		return -1;
	}
	{
		char	 name[] = "cup";
		char	*cup = tigetstr(name);

		if (cup == NULL || cup == (char *)-1) {
			endwin();
			*cause = xasprintf("the terminal '%s' cannot move the "
			    "cursor: the full-screen interface needs one that "
			    "can (TERM=xterm-256color?); tolk -p works "
			    "anywhere", term);
			return -1;
		}
	}
	raw();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, FALSE);
	leaveok(stdscr, FALSE);
	setup_theme();
	/* Bracketed paste and SGR mouse wheel reports. */
	screen_raw("\033[?2004h\033[?1000h\033[?1006h", 22);
	return 0;
}

void
screen_end(void)
{
	screen_raw("\033[?1006l\033[?1000l\033[?2004l", 22);
	endwin();
}

void
screen_raw(const char *s, size_t len)
{
	ssize_t	w;

	fflush(stdout);
	while (len > 0) {
		w = write(STDOUT_FILENO, s, len);
		if (w <= 0)
			break;
		s += w;
		len -= (size_t)w;
	}
}

void
screen_size(int *rows, int *cols)
{
	getmaxyx(stdscr, *rows, *cols);
}

int
screen_attr(enum tstyle s)
{
	return attrs[s];
}

int
screen_rstyle_attr(uint32_t st)
{
	int	a = 0;

	if (st & (RSTYLE_CODE_BLOCK | RSTYLE_CODE))
		a |= attrs[TS_CODE];
	if (st & RSTYLE_CODE_LABEL)
		a |= attrs[TS_CODE_LABEL];
	if (st & RSTYLE_HEADING)
		a |= attrs[TS_HEADING];
	if (st & RSTYLE_QUOTE)
		a |= attrs[TS_QUOTE];
	if (st & RSTYLE_LINK)
		a |= attrs[TS_LINK];
	if (st & (RSTYLE_RULE | RSTYLE_TABLE_BORDER | RSTYLE_CONTINUATION |
	    RSTYLE_LIST_MARKER | RSTYLE_INSPECT_MARK))
		a |= attrs[TS_DIM];
	if (st & RSTYLE_REPLACEMENT)
		a |= attrs[TS_ERROR];
	if (st & RSTYLE_STRONG)
		a |= A_BOLD;
	if (st & RSTYLE_EMPH)
		a |= A_ITALIC;
	if (st & RSTYLE_TABLE_HEADER)
		a |= A_BOLD;
	if (st & RSTYLE_DIFF_DELETE)
		a |= attrs[TS_DIFF_DELETE];
	if (st & RSTYLE_DIFF_INSERT)
		a |= attrs[TS_DIFF_INSERT];
	if (st & RSTYLE_DIFF_CASE)
		a |= attrs[TS_DIFF_CASE];
	/* Strikethrough has no curses attribute: dim stands for it. */
	if (st & RSTYLE_STRIKE)
		a |= A_DIM;
	return a;
}

/* Put one cell holding the code points wc[0..n) at (y, x). */
static void
put_cell(int y, int x, const wchar_t *wc, size_t n, int attr)
{
	cchar_t	cc;

	wchar_t	one[2];

	memset(&cc, 0, sizeof cc);
	if (n > CCHARW_MAX)
		n = CCHARW_MAX;
	one[0] = wc[0];
	one[1] = L'\0';
	setcchar(&cc, one, (attr_t)attr & ~A_COLOR,
	    (short)PAIR_NUMBER(attr), NULL);
	/* setcchar() refuses spacing characters after the first; the cell
	 * itself holds them fine, and the terminal joins them. */
	memcpy(cc.chars, wc, n * sizeof *wc);
	mvadd_wch(y, x, &cc);
}

static void
put_spaces(int y, int x, int n, int attr)
{
	wchar_t	sp = L' ';

	while (n-- > 0)
		put_cell(y, x++, &sp, 1, attr);
}

/*
 * Draw one cluster of n code points that render/ measures w columns wide
 * and curses measures its first code point cw wide. Terminals disagree on
 * emoji sequences (tmux 3.3 draws a ZWJ family in 2 columns but a skin-tone
 * sequence in 4, older terminals draw each emoji of a ZWJ sequence), so
 * only what every wcwidth()-conforming terminal draws alike is sent: a
 * base with zero-width marks in one cell, a flag as its two regional
 * indicators, and otherwise the first code point alone, padded to w.
 */
static void
draw_cluster(int y, int x, const wchar_t *wc, size_t n, int w, int cw,
    int attr)
{
	wchar_t	r = 0xFFFD;
	size_t	i;
	bool	zero = true;

	for (i = 1; i < n; i++)
		if (wcwidth(wc[i]) != 0)
			zero = false;
	if (n == 2 && w == 2 && wc[0] >= 0x1F1E6 && wc[0] <= 0x1F1FF &&
	    wc[1] >= 0x1F1E6 && wc[1] <= 0x1F1FF && cw == 1 &&
	    wcwidth(wc[1]) == 1) {
		put_cell(y, x, wc, 1, attr);
		put_cell(y, x + 1, wc + 1, 1, attr);
		return;
	}
	if (zero && cw == w && n <= CCHARW_MAX) {
		put_cell(y, x, wc, n, attr);
		return;
	}
	if (cw >= 1 && cw <= w) {
		put_cell(y, x, wc, 1, attr);
		put_spaces(y, x + cw, w - cw, attr);
		return;
	}
	put_cell(y, x, &r, 1, attr);
	put_spaces(y, x + 1, w - 1, attr);
}

int
screen_put(int y, int x, const char *s, size_t len, int maxw, int attr)
{
	wchar_t	 wc[CCHARW_MAX + 1];
	size_t	 p = 0, q, i, n;
	int32_t	 cp;
	int	 w, x0 = x, cw;


	while (p < len && x - x0 < maxw) {
		q = grapheme_next(s, len, p, &w);
		if (s[p] == '\t') {
			put_spaces(y, x, 1, attr);
			x++;
			p = q;
			continue;
		}
		if (w == 0) {
			p = q;
			continue;
		}
		if (x - x0 + w > maxw)
			break;
		n = 0;
		for (i = p; i < q && n <= CCHARW_MAX; n++) {
			i += utf8_decode(s + i, q - i, &cp);
			wc[n] = (wchar_t)cp;
		}
		cw = wcwidth(wc[0]);
		draw_cluster(y, x, wc, n, w, cw, attr);
		x += w;
		p = q;
	}
	return x - x0;
}

void
screen_clear_to_eol(int y, int x, int attr)
{
	int	rows, cols;

	getmaxyx(stdscr, rows, cols);
	(void)rows;
	if (x < cols)
		put_spaces(y, x, cols - x, attr);
}
