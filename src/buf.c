/* buf.c - one growable byte buffer for every string ncen builds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "xmalloc.h"

/* Make an empty buffer. */
void
buf_init(struct buf *b)
{
	b->s = NULL;
	b->len = b->cap = 0;
}

/* Release a buffer's memory and leave it empty. */
void
buf_free(struct buf *b)
{
	free(b->s);
	buf_init(b);
}

/* Empty a buffer but keep its memory for reuse. */
void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->s != NULL)
		b->s[0] = '\0';
}

/* Make room for n more bytes plus the terminating NUL. */
void
buf_grow(struct buf *b, size_t n)
{
	size_t	need = b->len + n + 1;

	if (need <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 64;
	while (b->cap < need)
		b->cap *= 2;
	b->s = xreallocarray(b->s, b->cap, 1);
}

/* Append n bytes. */
void
buf_add(struct buf *b, const void *p, size_t n)
{
	buf_grow(b, n);
	if (n != 0)
		memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

/* Append a string. */
void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/* Append one byte. */
void
buf_addc(struct buf *b, int c)
{
	unsigned char	ch = (unsigned char)c;

	buf_add(b, &ch, 1);
}

/* Append formatted text. */
void
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	buf_vaddf(b, fmt, ap);
	va_end(ap);
}

/* Append formatted text from a va_list. */
void
buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list	ap2;
	int	n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	buf_grow(b, (size_t)n);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

/*
 * Append text in single quotes for a message: control bytes, quotes and
 * backslashes escaped, cut after max bytes (never inside a UTF-8
 * character) with "..." to show the cut.
 */
void
buf_add_quoted(struct buf *b, const char *s, size_t len, size_t max)
{
	size_t	i, n = len;

	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	buf_addc(b, '\'');
	for (i = 0; i < n; i++) {
		unsigned char	c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			buf_addf(b, "\\x%02x", c);
		else if (c == '\'' || c == '\\')
			buf_addf(b, "\\%c", c);
		else
			buf_addc(b, c);
	}
	if (n < len)
		buf_adds(b, "...");
	buf_addc(b, '\'');
}

/* Append a 32-bit number, big-endian. */
void
buf_add_u32(struct buf *b, uint32_t v)
{
	unsigned char	p[4];

	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
	buf_add(b, p, sizeof p);
}

/* Append a 64-bit number, big-endian (so byte order is numeric order). */
void
buf_add_u64(struct buf *b, uint64_t v)
{
	buf_add_u32(b, (uint32_t)(v >> 32));
	buf_add_u32(b, (uint32_t)v);
}

/* Read a big-endian 32-bit number. */
uint32_t
buf_get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* Read a big-endian 64-bit number. */
uint64_t
buf_get_u64(const unsigned char *p)
{
	return (uint64_t)buf_get_u32(p) << 32 | buf_get_u32(p + 4);
}

/* The contents as a C string, "" when empty. */
const char *
buf_cstr(const struct buf *b)
{
	return b->s == NULL ? "" : b->s;
}

/* Hand the contents to the caller, who frees them; the buffer is emptied. */
char *
buf_detach(struct buf *b)
{
	char	*s = b->s == NULL ? xstrdup("") : b->s;

	buf_init(b);
	return s;
}
