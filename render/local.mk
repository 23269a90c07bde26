# render/: text to styled display lines (graphemes, width, sanitising,
# wrapping, streaming markdown, word diff). Includes only core/.
libtolk_a_SOURCES += render/render.h render/render-private.h \
	render/utf8.c render/grapheme.c render/width.c render/sanitize.c \
	render/wrap.c render/layout.c render/inline.c render/block.c \
	render/markdown.c render/diff.c
