/*
 * net/ndjson.c - a push parser for newline-delimited JSON (PROTOCOLS.md
 * 1.3): one callback per non-empty LF-terminated line, a CR before the LF
 * dropped. The JSON itself is the adapter's business. A line that lies
 * whole inside one chunk is handed over in place (not NUL-terminated); a
 * line cut by a chunk boundary is copied first. Lines are capped at
 * NET_MAX_EVENT.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "net/adapter_impl.h"

struct ndjson {
	ndjson_line_cb	 cb;
	void		*arg;
	struct buf	 line;
	size_t		 limit;
	bool		 broken;
};

struct ndjson *
ndjson_create(ndjson_line_cb cb, void *arg)
{
	struct ndjson	*n;

	n = xcalloc(1, sizeof *n);
	n->cb = cb;
	n->arg = arg;
	n->limit = NET_MAX_EVENT;
	buf_init(&n->line, n->limit);
	return n;
}

void
ndjson_set_limit(struct ndjson *n, size_t limit)
{
	if (limit > NET_MAX_EVENT)
		limit = NET_MAX_EVENT;
	n->limit = limit;
	n->line.limit = limit;
}

static int
process_line(struct ndjson *n, const char *l, size_t len)
{
	if (len > 0 && l[len - 1] == '\r')
		len--;
	if (len == 0)
		return 0;
	return n->cb(l, len, n->arg);
}

int
ndjson_feed(struct ndjson *n, const char *p, size_t len)
{
	const char	*end = p + len, *q;
	int		 r;

	if (n->broken)
		return -1;
	while (p < end) {
		q = memchr(p, '\n', end - p);
		if (q == NULL) {
			if (buf_add(&n->line, p, end - p) == -1)
				goto overflow;
			return 0;
		}
		if (n->line.len == 0) {
			if ((size_t)(q - p) > n->limit)
				goto overflow;
			r = process_line(n, p, q - p);
		} else {
			if (buf_add(&n->line, p, q - p) == -1)
				goto overflow;
			r = process_line(n, n->line.data, n->line.len);
			n->line.len = 0;
			n->line.data[0] = '\0';
		}
		p = q + 1;
		if (r != 0)
			return r;
	}
	return 0;

overflow:
	n->broken = true;
	return -1;
}

int
ndjson_finish(struct ndjson *n)
{
	size_t	i;
	char	c;
	int	cut = 0;

	for (i = 0; !n->broken && i < n->line.len; i++) {
		c = n->line.data[i];
		if (c != ' ' && c != '\t' && c != '\r') {
			cut = 1;
			break;
		}
	}
	n->line.len = 0;
	if (n->line.data != NULL)
		n->line.data[0] = '\0';
	return cut;
}

void
ndjson_free(struct ndjson *n)
{
	if (n == NULL)
		return;
	buf_release(&n->line);
	free(n);
}
