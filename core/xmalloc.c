/*
 * core/xmalloc.c - allocation that never returns NULL, messages for
 * people, and the monotonic clock.
 *
 * Running out of memory in a terminal client has no useful recovery, so
 * every allocation either succeeds or ends the process with a message.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core.h"

static void
die_oom(size_t n)
{
	fprintf(stderr, "tolk: out of memory (%zu bytes)\n", n);
	abort();
}

void *
xmalloc(size_t n)
{
	void	*p;

	p = malloc(n ? n : 1);
	if (p == NULL)
		die_oom(n);
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void	*p;

	p = calloc(n ? n : 1, size ? size : 1);
	if (p == NULL)
		die_oom(n * size);
	return p;
}

void *
xrealloc(void *old, size_t n)
{
	void	*p;

	p = realloc(old, n ? n : 1);
	if (p == NULL)
		die_oom(n);
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char	*p;
	size_t	 len;

	len = strnlen(s, n);
	p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
xvasprintf(const char *fmt, va_list ap)
{
	char	*s;

	if (vasprintf(&s, fmt, ap) < 0)
		die_oom(0);
	return s;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

void
tolk_warn(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	str_defang(s);
	fprintf(stderr, "tolk: %s\n", s);
	free(s);
}

void
str_defang(char *s)
{
	unsigned char	*p;

	for (p = (unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7F)
			*p = '?';
		else if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {
			p[0] = '?';
			p[1] = '?';
		}
	}
}

int64_t
clock_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t
clock_ms(void)
{
	return clock_us() / 1000;
}
