/*
 * render/render-private.h - shared between the files of render/ only.
 *
 * Not a public header: nothing outside render/ includes it. It holds the
 * rich text the layout builds (text plus styled runs that remember their
 * source), the growable line list, and the entry points between the
 * markdown driver (markdown.c), the block layout (block.c) and the inline
 * parser (inline.c).
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

struct lines {
	struct render_line	*v;
	size_t			 n;
	size_t			 cap;
	struct rt		 scratch;	/* reused by lines_add */
	bool			 scratch_ok;
};

/* Append a line made of prefix (may be NULL) then body[start..end);
 * width is the line's display width when the caller knows it, or -1. */
void	lines_add(struct lines *, const struct rt *prefix,
	    const struct rt *body, size_t start, size_t end, int width);
void	lines_add_blank(struct lines *);
void	lines_truncate(struct lines *, size_t n);
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
	size_t			*linkcap;
	int			 list_depth;
	struct rt		 pre;		/* scratch for prefixes */
	struct rt		 cut;
};

/* Append clean text text[off..off+n) to rt, mapping it to the source. */
void	layout_add_clean(struct layout *, struct rt *, size_t off, size_t n,
	    uint32_t style, uint32_t link);
/* The source offset of clean offset off. */
size_t	layout_map(struct layout *, size_t off);
/* Register a link URL (copied); returns its 1-based index. */
uint32_t layout_add_link(struct layout *, const char *, size_t);

/*
 * Parse the inline markdown of a paragraph and append it to rt. The
 * paragraph is nlines slices of the clean text (starts[i]..ends[i]),
 * joined by soft breaks. style is OR-ed into every run.
 */
void	inline_parse(struct layout *, struct rt *, const size_t *starts,
	    const size_t *ends, size_t nlines, uint32_t style);

/* Chunk kinds, decided by the chunker in markdown.c. */
enum chunk_kind {
	CHUNK_BLOCKS,		/* any blocks, parsed generically */
	CHUNK_LIST,		/* starts with a list item at the margin */
	CHUNK_HEADING,		/* one ATX heading line */
	CHUNK_FENCE_OPEN,	/* the opening line of a fence */
	CHUNK_FENCE_LINE,	/* one line of a fence's content */
	CHUNK_FENCE_CLOSE,	/* the closing line of a fence */
};

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
