/*
 * render/render-private.h - shared between the files of render/ only.
 *
 * Not a public header: nothing outside render/ includes it. It holds the
 * rich text the layout builds (text plus styled runs that remember their
 * source), the growable line list, and the entry points between the
 * markdown driver (markdown.c), the block layout (block.c), the tables
 * (table.c) and the inline parser (inline.c).
 */
#ifndef TOLK_RENDER_PRIVATE_H
#define TOLK_RENDER_PRIVATE_H

#include "core/core.h"
#include "render/render.h"

/* A run of rich text: text[off..off+len) in style, from source
 * src..src+src_len (see struct render_span). */
struct run {
	size_t		off;
	size_t		len;
	uint32_t	style;
	uint32_t	link;
	size_t		src;
	size_t		src_len;
	bool		exact;		/* byte for byte, see render_span */
};

/* Rich text: one paragraph's worth of styled text before wrapping. */
struct rt {
	struct buf	 text;
	struct run	*runs;
	size_t		 nruns;
	size_t		 cap;
	int		 width;		/* display width, when measured */
};

void	rt_init(struct rt *);
void	rt_reset(struct rt *);
void	rt_release(struct rt *);
/* Append text in style; src RENDER_NOSRC for decorations. Runs merge when
 * style, link and source continue. */
void	rt_add(struct rt *, const char *, size_t, uint32_t style,
	    uint32_t link, size_t src, size_t src_len);
/* The same for text that stands for src..src+src_len as a whole. */
void	rt_add_whole(struct rt *, const char *, size_t, uint32_t style,
	    uint32_t link, size_t src, size_t src_len);
void	rt_addstr(struct rt *, const char *, uint32_t style);
/* Append rt2[start..end) to rt. */
void	rt_append(struct rt *, const struct rt *, size_t start, size_t end);
/* n spaces as a decoration. */
void	rt_spaces(struct rt *, int n, uint32_t style);

/* An exact copy of src (text and runs); whether a and b are the same
 * (text and runs); whether runs a[0..na) and b[0..nb) (of texts that
 * agree) are the same over [0, p), or from their first run on, over that
 * run's start to p; the same for two rich texts. */
void	rt_copy(struct rt *dst, const struct rt *src);
bool	rt_same(const struct rt *, const struct rt *);
bool	rt_runs_agree(const struct run *a, size_t na, const struct run *b,
	    size_t nb, size_t p);
bool	rt_same_upto(const struct rt *, const struct rt *, size_t p);

/* A place in rich text to come back to: its length and runs there. */
struct rt_mark {
	size_t	len;
	size_t	nruns;
	size_t	run_len;	/* of the last run then */
	size_t	run_src_len;
};

void	rt_mark(const struct rt *, struct rt_mark *);
/* Cut rt back to the mark (taken of the same rich text, which has only
 * grown since): the text and runs become what they were. */
void	rt_rewind(struct rt *, const struct rt_mark *);

/* The state of wrap_resume() where a line begins. */
struct wrap_snap {
	size_t	nlines;		/* lines before it */
	size_t	pos;
	size_t	start;
	size_t	brk;
	size_t	brk_end;
	size_t	vis_end;
	size_t	url_from;
	int	cur;
	int	vis_w;
	int	brk_w;
	int	at_brk;
	bool	can_break;
	bool	prev_word;
	bool	no_break;
};

/*
 * wrap_lines(), resumable, into buffers the caller keeps: *linesp (room
 * for *capp lines, grown as needed) and, with snapsp, *snapsp (*snapcapp,
 * of which *nsnapsp are already there; new ones are appended). With from
 * NULL it wraps from the start; else (*linesp)[0..from->nlines) are taken
 * as they are and wrapping goes on from the snapshot (which must not point
 * into *snapsp), exact as long as s agrees with the text the snapshot came
 * from over [0, from->pos + WRAP_LOOKAHEAD) and both are at least that long
 * (the state at a cluster boundary has seen the next code point, and a ':'
 * before it the "//" after). The snapshots are states to resume from: at
 * the start of every line after the first, every 16 bytes, and at every
 * cluster from snap_at to snap_at + WRAP_LOOKAHEAD, where the caller
 * expects to resume next.
 */
#define WRAP_LOOKAHEAD	4

size_t	wrap_resume_in(const char *, size_t, int, const struct wrap_snap *from,
	    struct wrap_line **linesp, size_t *capp, struct wrap_snap **snapsp,
	    size_t *nsnapsp, size_t *snapcapp, size_t snap_at);

/*
 * What inline_parse() keeps of a paragraph for its next layout. Inline
 * tokens before keep (an offset into the paragraph's lines joined by '\n')
 * are final: no step of the parser before keep looked at a byte at or past
 * it, no emphasis opener before it is still waiting for a closer, and the
 * byte before it is not a space (a hard break would take it). So the rich
 * text made of them, up to mark, is final too, and the next layout of the
 * same paragraph, grown at its end, parses only from keep on.
 */
struct imemo {
	bool		  valid;
	uint32_t	  style;
	size_t		  nlinks0;	/* links registered before it */
	size_t		  nlinks_end;	/* ... and after it */
	size_t		 *starts;	/* its lines, as inline_parse() had them */
	size_t		 *ends;
	size_t		  nlines;
	size_t		  linecap;
	size_t		  keep;
	struct rt_mark	  mark;
	char		**urls;		/* links made before keep */
	size_t		  nurls;
	size_t		  urlcap;
};

void	imemo_release(struct imemo *);

/*
 * The memo of the last paragraph laid out in the open chunk: when the next
 * layout meets the same paragraph grown at its end, the lines before the
 * last snapshot that still matches are taken over as they are (from the
 * stash of the previous layout's lines) and wrapping resumes there. This
 * is what keeps a streamed paragraph from being wrapped again from its
 * start on every delta.
 */
#define NMEMO 8
#define FSIGMAX 256

struct wmemo {
	bool			 valid;
	bool			 recorded;	/* in the current layout */
	size_t			 first_line;	/* absolute line index */
	int			 avail;
	struct rt		 body;
	size_t			 body_len;	/* body's length when recorded */
	struct rt		 pre0;		/* prefix of its first line */
	struct rt		 pre1;		/* ... and of the others */
	struct wrap_line	*wl;
	size_t			 nwl;
	size_t			 wlcap;
	struct wrap_snap	*snaps;
	size_t			 nsnaps;
	size_t			 snapcap;
	char			 fsig[FSIGMAX];	/* the frames of pre0, pre1 */
	size_t			 fsiglen;	/* 0: none */
	struct imemo		 im;		/* when body is a paragraph */
};

/*
 * The memo of the table laid out in the open chunk: rows whose source bytes
 * are the same as last time (the clean text only grows, so the same range
 * means the same bytes) are not parsed again, a cell keeps its lines
 * wrapped at the width its column had, and when the column widths did not
 * change the rows' lines are taken over from the stash. Its rows and cells
 * stay allocated from table to table.
 */
struct tmemo_cell {
	size_t			  s;		/* its clean text */
	size_t			  e;
	uint32_t		  style;
	size_t			  nl0;		/* links before it */
	struct rt		  rt;
	char			**urls;		/* links it made */
	size_t			  nurls;
	int			  wcw;		/* wl is wrapped at, or -1;
						 * -2: nothing parsed */
	size_t			  wq;		/* a cluster boundary of rt */
	int			  wqw;		/* ... and rt's width there */
	struct wrap_line	 *wl;
	size_t			  nwl;
};

struct tmemo_row {
	size_t			  s;
	size_t			  e;
	struct tmemo_cell	 *cells;
	size_t			  ncells;	/* allocated */
	size_t			  line;		/* absolute index, count */
	size_t			  nlines;
	bool			  cached;	/* cells as they were */
	size_t			  ngot;		/* cells its text split into */
	size_t			  lastcs;	/* where the last one starts */
};

struct tmemo {
	bool			 valid;
	bool			 recorded;
	size_t			 first_line;
	size_t			 sep_line;	/* under the header */
	size_t			 bottom_line;
	size_t			 start;
	size_t			 delim_s;
	size_t			 delim_e;
	int			 avail;
	size_t			 nlinks_before;
	struct rt		 pre0;
	struct rt		 pre1;
	char			 fsig[FSIGMAX];	/* the frames of pre0, pre1 */
	size_t			 fsiglen;
	size_t			 nc;
	char			 align[64];
	int			 cw[64];
	struct tmemo_row	*rows;
	size_t			 nrows;
	size_t			 rowcap;
};

/* Forget the table (keeping what it allocated); free all of it. */
void	tmemo_clear(struct tmemo *);
void	tmemo_release(struct tmemo *);

/* The buffers of a line laid out before and dropped, for lines_add() to
 * reuse (text of tcap bytes, spans of scap). */
struct lbuf {
	char			*text;
	size_t			 tcap;
	struct render_span	*spans;
	size_t			 scap;
};

#define LPOOL 32

/*
 * The memo of the code line laid out last in the open chunk (a top-level
 * fence line still streaming): its rich text so far, where its tab-free
 * stretch began, and the wrap state before its last character, with the
 * lines emitted before that.
 */
struct cmemo {
	bool		valid;
	bool		recorded;
	size_t		first_line;	/* absolute index */
	size_t		s;		/* the line, clean text */
	size_t		e;
	size_t		seg;		/* no tab from seg to e */
	int		segcol;		/* column at seg */
	int		w;
	struct rt	rt;
	size_t		i;		/* in rt: the last character */
	size_t		start;		/* ... its line's start */
	int		lw;		/* ... and width before it */
	size_t		nlines;		/* lines before its line */
	bool		resumed;	/* this layout went on from it */
	size_t		old_len;	/* ... where rt ended then */
	size_t		old_start;	/* ... and its last line began */
	size_t		old_n;		/* ... after that many */
};

/* What block.c's lclass() keeps of a line of the open chunk. */
#define NLCLASS 64

struct lclass {
	bool		valid;
	size_t		s;
	size_t		e;
	unsigned	flags;
	size_t		ndelim;		/* delimiter row cells, 0: not one */
	size_t		ncells;
};

struct lines {
	struct render_line	*v;
	size_t			 n;
	size_t			 cap;
	struct lbuf		 pool[LPOOL];
	size_t			 npool;
};

/* Append a line made of prefix (may be NULL) then body[start..end);
 * width is the line's display width when the caller knows it, or -1. */
void	lines_add(struct lines *, const struct rt *prefix,
	    const struct rt *body, size_t start, size_t end, int width);
void	lines_add_blank(struct lines *);
/* A line built piece by piece: opened with room for tcap bytes and scap
 * spans, filled with line_put() (rich text, spans merged as rt_append()
 * merges runs) and line_put_deco(), finished with line_close() (width -1:
 * measured). */
struct render_line *line_open(struct lines *, size_t tcap, size_t scap);
void	line_put(struct render_line *, const struct rt *, size_t start,
	    size_t end);
void	line_put_deco(struct render_line *, const char *, size_t,
	    uint32_t style);
void	line_close(struct render_line *, int width);
/* Grow a line lines_add() made of body[start, old_end) to body[start,
 * end) (body agreeing up to old_end), false when it cannot; see layout.c. */
bool	line_extend(struct render_line *, const struct rt *body,
	    size_t old_end, size_t end, int width);
/* Room for len bytes of text in a line from line_open(). */
void	line_reserve(struct render_line *, size_t len);
/* The span of a line that is exactly padding [off, off + n) (spaces, style
 * 0, no source): its index, or -1; *hint: 0 first, then kept for calls
 * further on. line_repad() makes it n bytes, moving what follows. */
long	line_pad_span(const struct render_line *, size_t off, size_t n,
	    size_t *hint);
void	line_repad(struct render_line *, size_t i, size_t n);
/* Where padding inserted at off goes (a span to join, or a new span's
 * index), -1 when inserting it would not give the line built at once;
 * line_pad_insert() puts n spaces there. */
long	line_pad_slot(const struct render_line *, size_t off, bool *join,
	    size_t *hint);
void	line_pad_insert(struct render_line *, size_t i, bool join, size_t off,
	    size_t n);
void	lines_truncate(struct lines *, size_t n);
/* Empty ls, giving its lines' buffers to to's pool. */
void	lines_recycle(struct lines *ls, struct lines *to);
void	lines_release(struct lines *);

/* Everything the layout of one chunk needs. */
struct layout {
	const char		*text;	/* sanitised text */
	size_t			 len;
	const struct seg	*segs;
	size_t			 nsegs;
	size_t			 seg_hint;
	int			 width;
	struct lines		*out;
	char			***links;
	size_t			*nlinks;
	size_t			*nheld;		/* links[] allocated */
	size_t			*linkcap;
	int			 list_depth;
	struct rt		 pre;		/* scratch for prefixes */
	struct rt		 cut;
	struct rt		 ptmp;		/* ... for block_prefixes() */
	struct rt		 p0;		/* ... and wrap_body()'s */
	struct rt		 p1;
	struct rt		 otail;		/* ... paragraph()'s */
	struct rt		 trow;		/* ... and table_layout()'s */
	struct rt		 tp0;
	struct rt		 tp1;
	struct wmemo		*memo;		/* NMEMO of them, or NULL */
	bool			 memo_record;	/* laying out the open chunk */
	struct tmemo		*tmemo;		/* or NULL */
	struct cmemo		*cmemo;		/* or NULL */
	struct lclass		*lcache;	/* NLCLASS of them, or NULL */
	struct lines		*stash;		/* previous open-chunk lines */
	size_t			 stash_base;	/* absolute index of stash[0] */
	struct iscratch		*isc;		/* inline.c's, or NULL */
};

void	wmemo_release(struct wmemo *);

/* Append clean text text[off..off+n) to rt, mapping it to the source. */
void	layout_add_clean(struct layout *, struct rt *, size_t off, size_t n,
	    uint32_t style, uint32_t link);
/* The source offset of clean offset off. */
size_t	layout_map(struct layout *, size_t off);
/* Whether rich text made of the clean text may be cut at clean offset off
 * and made again in two parts with the same runs: not inside a character,
 * nor inside a segment that stands for its source as a whole. */
bool	layout_cuttable(const struct layout *, size_t off);
/* Register a link URL (copied, unless the string the last layout left at
 * that index is the same); returns its 1-based index. */
uint32_t layout_add_link(struct layout *, const char *, size_t);

/*
 * Parse the inline markdown of a paragraph and append it to rt. The
 * paragraph is nlines slices of the clean text (starts[i]..ends[i]),
 * joined by soft breaks. style is OR-ed into every run.
 *
 * With im (may be NULL) the parse is remembered there for the next time.
 * When inline_resumable() said yes for im, rt must be the rich text that
 * parse made: it is cut back to im->mark and only the rest is parsed
 * again. Returns how many bytes at the start of rt (text and runs) are
 * what they were in that rich text: im->mark.len when resumed, else 0.
 */
size_t	inline_parse(struct layout *, struct rt *, const size_t *starts,
	    const size_t *ends, size_t nlines, uint32_t style, struct imemo *im);
/* Free what inline_parse() kept in the layout for its next call. */
void	inline_release(struct layout *);
/* Whether the paragraph is the one im remembers, grown at its end. */
bool	inline_resumable(const struct layout *, const struct imemo *,
	    const size_t *starts, const size_t *ends, size_t nlines,
	    uint32_t style);

/* Chunk kinds, decided by the chunker in markdown.c. */
enum chunk_kind {
	CHUNK_BLOCKS,		/* any blocks, parsed generically */
	CHUNK_LIST,		/* starts with a list item at the margin */
	CHUNK_HEADING,		/* one ATX heading line */
	CHUNK_FENCE_OPEN,	/* the opening line of a fence */
	CHUNK_FENCE_LINE,	/* one line of a fence's content */
	CHUNK_FENCE_CLOSE,	/* the closing line of a fence */
};

/* A line of a chunk: clean text [s, e), without its newline. */
struct bline {
	size_t	s;
	size_t	e;
};

/* A piece of a frame's prefix: borrowed text in one style. */
struct fpart {
	const char	*s;
	size_t		 n;
	uint32_t	 style;
};

/*
 * A prefix frame: first is drawn on the frame's first line, rest after.
 * The texts are borrowed (string literals, or the caller's buffer that
 * lives as long as the frame), so a frame costs no allocation.
 */
struct frame {
	const struct frame	*up;
	struct fpart		 first;
	struct fpart		 rest[2];
	int			 nrest;
	bool			 used;
	int			 width;
};

/* block.c's frames and lines, for table.c. */
const struct rt *block_next_prefix(struct layout *, struct frame *, int *capp);
void	block_prefixes(struct layout *, struct frame *, struct rt *p0,
	    struct rt *p1);
size_t	block_frames_sig(struct layout *, const struct frame *, char *sig);
void	block_consume(struct frame *);
int	block_avail(struct layout *, const struct frame *);
int	block_prefix_cap(struct layout *, const struct frame *);
void	block_emit_w(struct layout *, struct frame *, const struct rt *,
	    size_t s, size_t e, int bw);
void	block_emit_wrapped(struct layout *, struct frame *, struct rt *);
bool	block_take_lines(struct layout *, size_t at, size_t n);

/* table.c: a row's cells (at most max kept, all counted), a delimiter
 * row's cells and alignments (0: not one), the rows the table memo still
 * has of the table at v[i], and the layout of a table (header, delimiter
 * row, rows: v[0..n)). */
#define TABLE_MAXCOLS 64

size_t	table_cells(struct layout *, const struct bline *, struct bline *cells,
	    size_t max);
size_t	table_delim(struct layout *, const struct bline *, char *align);
size_t	table_known_rows(struct layout *, const struct bline *v, size_t n,
	    size_t i);
void	table_layout(struct layout *, struct frame *, struct bline *v,
	    size_t n);

/* Lay out clean text [start, end) of a chunk of kind at l->width,
 * appending lines to l->out. */
void	block_layout(struct layout *, enum chunk_kind, size_t start,
	    size_t end);

/* Shared line classifiers (block.c), on one line s[0..n) without its
 * newline. */
int	md_indent(const char *, size_t, size_t *skip);
bool	md_is_blank(const char *, size_t);
bool	md_is_atx(const char *, size_t);
bool	md_is_hr(const char *, size_t);
/* A fence opener: returns its length (>= 3) and sets *ch, else 0. */
int	md_fence_open(const char *, size_t, char *ch);
bool	md_fence_close(const char *, size_t, char ch, int n);
/* A list item marker: returns the content column (marker + spaces), 0 if
 * none. *ordered and *num describe it; *empty when nothing follows. */
int	md_list_marker(const char *, size_t, bool *ordered, long *num,
	    bool *empty);

#endif
