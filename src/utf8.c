/*
 * utf8.c - the one UTF-8 decoder: first bytes as a table (see utf8.h).
 */
#include <stddef.h>

#include "utf8.h"

/* The first bytes of RFC 3629 and the range of the byte after each. */
static const struct {
	unsigned char	 first, last;	/* of the first byte */
	unsigned char	 need;		/* continuation bytes */
	unsigned char	 lo, hi;	/* of the second byte */
} utf8_leads[] = {
	{ 0x00, 0x7f, 0, 0x00, 0x00 },
	{ 0xc2, 0xdf, 1, 0x80, 0xbf },
	{ 0xe0, 0xe0, 2, 0xa0, 0xbf },	/* no overlong forms */
	{ 0xe1, 0xec, 2, 0x80, 0xbf },
	{ 0xed, 0xed, 2, 0x80, 0x9f },	/* no surrogates */
	{ 0xee, 0xef, 2, 0x80, 0xbf },
	{ 0xf0, 0xf0, 3, 0x90, 0xbf },	/* no overlong forms */
	{ 0xf1, 0xf3, 3, 0x80, 0xbf },
	{ 0xf4, 0xf4, 3, 0x80, 0x8f },	/* nothing past U+10FFFF */
};

/* What a first byte starts: continuation bytes wanted, or -1. */
int
utf8_lead(unsigned char c, unsigned char *lo, unsigned char *hi)
{
	size_t	i;

	for (i = 0; i < sizeof utf8_leads / sizeof utf8_leads[0]; i++)
		if (c >= utf8_leads[i].first && c <= utf8_leads[i].last) {
			*lo = utf8_leads[i].lo;
			*hi = utf8_leads[i].hi;
			return utf8_leads[i].need;
		}
	return -1;
}

/* The length of the valid sequence at s (at most n bytes), 0 if none. */
size_t
utf8_len(const unsigned char *s, size_t n)
{
	unsigned char	lo, hi;
	size_t		k;
	int		need;

	if (n == 0 || (need = utf8_lead(s[0], &lo, &hi)) < 0 ||
	    (size_t)need > n - 1)
		return 0;
	for (k = 1; k <= (size_t)need; k++) {
		if (s[k] < lo || s[k] > hi)
			return 0;
		lo = 0x80;
		hi = 0xbf;
	}
	return (size_t)need + 1;
}
