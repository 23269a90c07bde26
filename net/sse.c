/*
 * net/sse.c - a push parser for server-sent events.
 *
 * It implements the WHATWG event-stream rules as summarised in PROTOCOLS.md
 * 1.1 and 10: lines end at CR, LF or CRLF (a CR ending one chunk pairs with
 * an LF starting the next), one leading BOM is dropped, comments are
 * skipped, data lines are joined with LF, a blank line dispatches, and a
 * pending event is discarded at EOF. Lines are split on bytes, so a UTF-8
 * character cut between two chunks is simply reassembled in the line
 * buffer, and U+2028 is never a line end.
 *
 * A line that lies whole inside one chunk is handled in place; only a line
 * cut by a chunk boundary is copied. Lines and events are capped at
 * NET_MAX_EVENT.
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "net/adapter_impl.h"

/* process_line()'s code for "over the cap", apart from callback values. */
#define OVERFLOW INT_MIN

struct sse {
	sse_event_cb	 cb;
	void		*arg;
	sse_line_cb	 raw_cb;
	struct buf	 line;		/* a line cut by a chunk boundary */
	struct buf	 data;		/* data buffer, each line + LF */
	struct buf	 type;		/* event type buffer */
	size_t		 limit;
	bool		 have_data;
	bool		 skip_lf;	/* the last chunk ended in CR */
	bool		 started;	/* the first line (and BOM) is behind */
	bool		 broken;	/* over the cap: unusable */
};

static void
clear(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

struct sse *
sse_create(sse_event_cb cb, void *arg)
{
	struct sse	*s;

	s = xcalloc(1, sizeof *s);
	s->cb = cb;
	s->arg = arg;
	s->limit = NET_MAX_EVENT;
	buf_init(&s->line, s->limit);
	buf_init(&s->data, s->limit);
	buf_init(&s->type, s->limit);
	return s;
}

void
sse_set_limit(struct sse *s, size_t limit)
{
	if (limit > NET_MAX_EVENT)
		limit = NET_MAX_EVENT;
	s->limit = limit;
	s->line.limit = limit;
	s->data.limit = limit;
	s->type.limit = limit;
}

void
sse_set_raw_cb(struct sse *s, sse_line_cb cb)
{
	s->raw_cb = cb;
}

static int
field_is(const char *f, size_t flen, const char *name)
{
	/* Field names are case-sensitive (rule 8). */
	return strlen(name) == flen && memcmp(f, name, flen) == 0;
}

/* Split a line into field and value (rule 5). */
static void
split_field(const char *l, size_t len, size_t *flen, const char **v,
    size_t *vlen)
{
	const char	*colon;

	colon = memchr(l, ':', len);
	if (colon == NULL) {
		*flen = len;
		*v = l + len;
		*vlen = 0;
		return;
	}
	*flen = colon - l;
	*v = colon + 1;
	*vlen = len - *flen - 1;
	if (*vlen > 0 && **v == ' ') {
		(*v)++;
		(*vlen)--;
	}
}

static int
dispatch(struct sse *s)
{
	const char	*type;
	size_t		 len;
	int		 r;

	if (!s->have_data) {
		clear(&s->type);
		return 0;
	}
	/* Rule 3: drop the one trailing LF. */
	len = s->data.len - 1;
	s->data.data[len] = '\0';
	type = s->type.len > 0 ? s->type.data : "message";
	r = s->cb(type, s->data.data, len, s->arg);
	clear(&s->data);
	clear(&s->type);
	s->have_data = false;
	return r;
}

static int
process_line(struct sse *s, const char *l, size_t len)
{
	const char	*v;
	char		*copy;
	size_t		 flen, vlen;
	int		 r;

	if (!s->started) {
		/* Rule 1: one BOM, only at the start of the stream. */
		s->started = true;
		if (len >= 3 && memcmp(l, "\xef\xbb\xbf", 3) == 0) {
			l += 3;
			len -= 3;
		}
	}
	if (len == 0)
		return dispatch(s);
	if (l[0] == ':')
		return 0;		/* rule 4: a comment */

	split_field(l, len, &flen, &v, &vlen);
	if (field_is(l, flen, "data")) {
		if (buf_add(&s->data, v, vlen) == -1 ||
		    buf_addc(&s->data, '\n') == -1)
			return OVERFLOW;
		s->have_data = true;
		return 0;
	}
	if (field_is(l, flen, "event")) {
		clear(&s->type);
		if (buf_add(&s->type, v, vlen) == -1)
			return OVERFLOW;
		return 0;
	}
	if (field_is(l, flen, "id") || field_is(l, flen, "retry"))
		return 0;		/* no reconnection here */
	if (field_is(l, flen, "error")) {
		/* Old llama.cpp (PROTOCOLS.md 7.5): a deliberate leniency. */
		copy = xmalloc(vlen + 1);	/* not xstrndup: NULs are data */
		memcpy(copy, v, vlen);
		copy[vlen] = '\0';
		r = s->cb("error", copy, vlen, s->arg);
		free(copy);
		return r;
	}
	if (s->raw_cb != NULL)
		return s->raw_cb(l, len, s->arg);
	return 0;
}

/* The first CR or LF in [p, end), or NULL. */
static const char *
find_eol(const char *p, const char *end)
{
	const char	*nl, *cr;

	nl = memchr(p, '\n', end - p);
	cr = memchr(p, '\r', (nl != NULL ? nl : end) - p);
	return cr != NULL ? cr : nl;
}

int
sse_feed(struct sse *s, const char *p, size_t n)
{
	const char	*end = p + n, *q;
	int		 r;

	if (s->broken)
		return -1;
	while (p < end) {
		/* A CR at the end of a read may pair with an LF in the next. */
		if (s->skip_lf) {
			s->skip_lf = false;
			if (*p == '\n') {
				p++;
				continue;
			}
		}
		q = find_eol(p, end);
		if (q == NULL) {
			if (buf_add(&s->line, p, end - p) == -1)
				goto overflow;
			return 0;
		}
		if (s->line.len == 0) {
			if ((size_t)(q - p) > s->limit)
				goto overflow;
			r = process_line(s, p, q - p);
		} else {
			if (buf_add(&s->line, p, q - p) == -1)
				goto overflow;
			r = process_line(s, s->line.data, s->line.len);
			clear(&s->line);
		}
		s->skip_lf = (*q == '\r');
		p = q + 1;
		if (r == OVERFLOW)
			goto overflow;
		if (r != 0)
			return r;
	}
	return 0;

overflow:
	s->broken = true;
	return -1;
}

int
sse_finish(struct sse *s)
{
	const char	*l, *v;
	size_t		 len, flen, vlen;
	int		 done = 0;

	/*
	 * Rule 7: EOF is not a line end and a pending event is dropped. But
	 * a pending "[DONE]" counts as the end marker (PROTOCOLS.md 7.7).
	 */
	if (!s->broken) {
		if (s->line.len == 0) {
			if (s->have_data && s->data.len == 7 &&
			    memcmp(s->data.data, "[DONE]\n", 7) == 0)
				done = 1;
		} else if (!s->have_data) {
			l = s->line.data;
			len = s->line.len;
			if (!s->started && len >= 3 &&
			    memcmp(l, "\xef\xbb\xbf", 3) == 0) {
				l += 3;
				len -= 3;
			}
			split_field(l, len, &flen, &v, &vlen);
			if (field_is(l, flen, "data") && vlen == 6 &&
			    memcmp(v, "[DONE]", 6) == 0)
				done = 1;
		}
	}
	clear(&s->line);
	clear(&s->data);
	clear(&s->type);
	s->have_data = false;
	s->skip_lf = false;
	s->started = false;
	return done;
}

void
sse_free(struct sse *s)
{
	if (s == NULL)
		return;
	buf_release(&s->line);
	buf_release(&s->data);
	buf_release(&s->type);
	free(s);
}
