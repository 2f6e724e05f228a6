/* xmalloc.c - allocation helpers that never return NULL. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xmalloc.h"

/* Report exhaustion of memory and leave: nothing else can go on. */
static void
xmalloc_fatal(size_t n)
{
	fprintf(stderr, "ncen: out of memory allocating %zu bytes\n", n);
	_exit(2);
}

/* Allocate n bytes (at least one). */
void *
xmalloc(size_t n)
{
	void	*p;

	if ((p = malloc(n == 0 ? 1 : n)) == NULL)
		xmalloc_fatal(n);
	return p;
}

/* Allocate a zeroed array of nmemb elements of size bytes. */
void *
xcalloc(size_t nmemb, size_t size)
{
	void	*p;

	if (nmemb == 0 || size == 0)
		nmemb = size = 1;
	if ((p = calloc(nmemb, size)) == NULL)
		xmalloc_fatal(nmemb * size);
	return p;
}

/* Resize an array to nmemb elements of size bytes, checking overflow. */
void *
xreallocarray(void *old, size_t nmemb, size_t size)
{
	void	*p;

	if (size != 0 && nmemb > SIZE_MAX / size)
		xmalloc_fatal(SIZE_MAX);
	if ((p = realloc(old, nmemb * size == 0 ? 1 : nmemb * size)) == NULL)
		xmalloc_fatal(nmemb * size);
	return p;
}

/* Copy a string. */
char *
xstrdup(const char *s)
{
	return xmemdup(s, strlen(s) + 1);
}

/* Copy at most n bytes of a string and terminate the copy. */
char *
xstrndup(const char *s, size_t n)
{
	size_t	 len = strnlen(s, n);
	char	*p = xmalloc(len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

/* Copy n bytes of memory. */
void *
xmemdup(const void *s, size_t n)
{
	void	*p = xmalloc(n);

	if (n != 0)
		memcpy(p, s, n);
	return p;
}
