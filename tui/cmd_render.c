/*
 * tui/cmd_render.c - "tolk render": markdown to the terminal.
 *
 * Lays the text out with render/ (the same engine the TUI uses) and writes
 * each line with SGR attributes for its styles, or as plain text with
 * --plain or when NO_COLOR is set. Useful on its own, the way glow is, and
 * the handle the render tests use.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "core/core.h"
#include "render/render.h"
#include "tui/commands.h"

#define RENDER_MAX_INPUT	(64u << 20)

static void
usage(void)
{
	fprintf(stderr, "usage: tolk render [FILE|-] [--width N] [--plain] "
	    "[--inspect]\n");
}

/* The SGR parameters for a style ("" for none). */
static void
sgr(uint32_t st, char *out, size_t size)
{
	struct buf	b;
	char		*s;
	size_t		 n;

	buf_init(&b, 256);
#define ADD(x) buf_addf(&b, "%s%s", b.len ? ";" : "", (x))
	if (st & RSTYLE_HEADING) {
		ADD("1");
		switch (RSTYLE_LEVEL(st)) {
		case 1: ADD("35"); ADD("4"); break;
		case 2: ADD("35"); break;
		case 3: ADD("34"); break;
		default: ADD("36"); break;
		}
	}
	if (st & RSTYLE_STRONG)
		ADD("1");
	if (st & RSTYLE_EMPH)
		ADD("3");
	if (st & RSTYLE_STRIKE)
		ADD("9");
	if (st & RSTYLE_CODE)
		ADD("33");
	if (st & RSTYLE_CODE_BLOCK)
		ADD("36");
	if (st & (RSTYLE_CODE_LABEL | RSTYLE_RULE | RSTYLE_TABLE_BORDER |
	    RSTYLE_CONTINUATION | RSTYLE_HTML))
		ADD("2");
	if (st & RSTYLE_QUOTE)
		ADD("32");
	if (st & RSTYLE_LIST_MARKER)
		ADD("33");
	if (st & RSTYLE_LINK) {
		ADD("4");
		ADD("34");
	}
	if (st & RSTYLE_TABLE_HEADER)
		ADD("1");
	if (st & RSTYLE_DIFF_DELETE)
		ADD("31");
	if (st & RSTYLE_DIFF_INSERT)
		ADD("32");
	if (st & RSTYLE_DIFF_CASE)
		ADD("33");
	if (st & (RSTYLE_INSPECT_MARK | RSTYLE_REPLACEMENT))
		ADD("7");
#undef ADD
	s = buf_take(&b, &n);
	snprintf(out, size, "%s", s);
	free(s);
}

/* The SGR parameters of a style, remembered: a document uses few. */
static const char *
sgr_cached(uint32_t st)
{
	static struct {
		uint32_t	style;
		char		sgr[128];
	}		cache[64];
	static size_t	n;
	size_t		i;

	for (i = 0; i < n; i++) {
		if (cache[i].style == st)
			return cache[i].sgr;
	}
	if (n == sizeof cache / sizeof cache[0])
		n = 0;
	cache[n].style = st;
	sgr(st, cache[n].sgr, sizeof cache[n].sgr);
	return cache[n++].sgr;
}

static void
put_line(const struct render_line *l, bool plain, FILE *fp)
{
	size_t		 i;
	const char	*p;

	if (plain) {
		fwrite(l->text, 1, l->len, fp);
		fputc('\n', fp);
		return;
	}
	for (i = 0; i < l->nspans; i++) {
		const struct render_span	*sp = &l->spans[i];

		p = sgr_cached(sp->style);
		if (*p != '\0')
			fprintf(fp, "\033[%sm", p);
		fwrite(l->text + sp->off, 1, sp->len, fp);
		if (*p != '\0')
			fputs("\033[0m", fp);
	}
	fputc('\n', fp);
}

int
cmd_render(int argc, char **argv)
{
	static const struct option	 opts[] = {
		{ "width", required_argument, NULL, 'w' },
		{ "plain", no_argument, NULL, 'p' },
		{ "inspect", no_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct render_line	*lines;
	struct buf		 in;
	struct winsize		 ws;
	const char		*path = "-", *nc;
	char			*end;
	enum sanitize_mode	 mode = SANITIZE_NORMAL;
	bool			 plain = false;
	long			 width = 0;
	size_t			 n, i;
	FILE			*fp;
	int			 c, rc = EXIT_OK;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "w:pih", opts, NULL)) != -1) {
		switch (c) {
		case 'w':
			errno = 0;
			width = strtol(optarg, &end, 10);
			if (errno != 0 || *optarg == '\0' || *end != '\0' ||
			    width < 1 || width > 10000) {
				tolk_warn("render: bad width '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'p':
			plain = true;
			break;
		case 'i':
			mode = SANITIZE_INSPECT;
			break;
		case 'h':
			usage();
			return EXIT_OK;
		default:
			tolk_warn("render: unknown option '%s'",
			    argv[optind - 1]);
			usage();
			return EXIT_USAGE;
		}
	}
	if (argc - optind > 1) {
		usage();
		return EXIT_USAGE;
	}
	if (argc - optind == 1)
		path = argv[optind];
	if ((nc = getenv("NO_COLOR")) != NULL && *nc != '\0')
		plain = true;
	if (width == 0) {
		width = 80;
		if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ,
		    &ws) == 0 && ws.ws_col > 0)
			width = ws.ws_col;
	}
	if (strcmp(path, "-") == 0)
		fp = stdin;
	else if ((fp = fopen(path, "rb")) == NULL) {
		tolk_warn("cannot open '%s': %s", path, strerror(errno));
		return EXIT_USAGE;
	}
	buf_init(&in, RENDER_MAX_INPUT);
	if (buf_add_stream(&in, fp) != 0) {
		if (errno == EFBIG)
			tolk_warn("cannot read '%s': input is larger than %u "
			    "bytes", path, RENDER_MAX_INPUT);
		else
			tolk_warn("cannot read '%s': %s", path,
			    strerror(errno));
		rc = EXIT_USAGE;
		goto out;
	}
	n = md_render(in.data != NULL ? in.data : "", in.len, (int)width,
	    mode, &lines);
	for (i = 0; i < n; i++)
		put_line(&lines[i], plain, stdout);
	render_lines_free(lines, n);
	if (fflush(stdout) != 0)
		rc = EXIT_FAIL;
out:
	if (fp != stdin)
		fclose(fp);
	buf_release(&in);
	return rc;
}
