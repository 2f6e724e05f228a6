/*
 * xmalloc.h - allocation helpers that never return NULL.
 *
 * Contract: every function either returns usable memory or, when the
 * system is out of memory, prints one line to stderr and exits with
 * status 2 (the only place library code may exit: there is nothing
 * sensible left to do).  The caller owns what comes back and releases
 * it with free(); free(NULL) is fine, as everywhere in ncen.
 */
#ifndef NCEN_XMALLOC_H
#define NCEN_XMALLOC_H

#include <stddef.h>

void	*xmalloc(size_t) __attribute__((returns_nonnull));
void	*xcalloc(size_t, size_t) __attribute__((returns_nonnull));
void	*xreallocarray(void *, size_t, size_t)
	     __attribute__((returns_nonnull));
char	*xstrdup(const char *) __attribute__((returns_nonnull));
char	*xstrndup(const char *, size_t) __attribute__((returns_nonnull));
void	*xmemdup(const void *, size_t) __attribute__((returns_nonnull));

#endif
