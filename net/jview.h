/*
 * net/jview.h - reading JSON in place, without building a tree (internal
 * to net/).
 *
 * A stream event is parsed once per token; building and freeing a cJSON
 * tree for each costs ten times what receiving it does. A jview is a view
 * of one JSON value inside the caller's bytes: jv_parse() validates the
 * whole document once (RFC 8259 grammar, nesting at most JV_MAX_DEPTH),
 * and the accessors then walk it without allocating. Strings are unescaped
 * only when asked, into a struct buf, with \u surrogate pairs joined and a
 * lone surrogate replaced by U+FFFD. Invalid UTF-8 inside strings is passed
 * on as it is (sanitising is render/'s job).
 *
 * Views borrow the bytes they were parsed from.
 */
#ifndef TOLK_NET_JVIEW_H
#define TOLK_NET_JVIEW_H

#include "core/core.h"

#define JV_MAX_DEPTH 512

enum jv_type {
	JV_NULL,
	JV_FALSE,
	JV_TRUE,
	JV_NUMBER,
	JV_STRING,
	JV_ARRAY,
	JV_OBJECT,
};

struct jv {
	const char	*p;	/* the value's first byte */
	size_t		 n;	/* its length */
};

/* Validate s as exactly one JSON value (surrounding white space allowed).
 * 0 and the whole value in *out, or -1. */
int		jv_parse(const char *s, size_t n, struct jv *out);
enum jv_type	jv_type(const struct jv *);

/* The first member named key of an object (false when v is not an object
 * or has no such member). Keys are compared after unescaping. */
bool	jv_get(const struct jv *v, const char *key, struct jv *out);
/* Whether v is an object whose member key has the given type. */
bool	jv_get_type(const struct jv *v, const char *key, enum jv_type,
	    struct jv *out);

/* Iteration over an array's elements or an object's members (key is set
 * for objects; pass NULL for arrays). */
struct jv_iter {
	const char	*p;
	const char	*end;
	bool		 object;
};
void	jv_iter_init(struct jv_iter *, const struct jv *);
bool	jv_iter_next(struct jv_iter *, struct jv *key, struct jv *val);

/* Append the unescaped text of a string to out. -1 when v is not a string
 * or out's cap is reached. */
int	jv_string(const struct jv *v, struct buf *out);
/* Whether the string v (escapes resolved) equals s. */
bool	jv_string_eq(const struct jv *v, const char *s);
/* An integral number (a fraction is cut off, an exponent applied); -1
 * when v is not a number or out of range. */
int	jv_int64(const struct jv *v, int64_t *out);

#endif
