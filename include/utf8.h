/*
 * utf8.h - the one UTF-8 decoder of the forms, dumps and CSV readers.
 *
 * UTF-8 as RFC 3629 has it: no overlong forms, no surrogates, nothing
 * past U+10FFFF.  utf8_lead() says what a first byte starts (for a reader
 * that gets its bytes one at a time, csv.c); utf8_len() checks a whole
 * sequence in memory.  Nothing here allocates, prints or exits.
 */
#ifndef NCEN_UTF8_H
#define NCEN_UTF8_H

#include <stddef.h>

/*
 * How many continuation bytes the first byte c wants (0 for ASCII), -1
 * if no sequence starts with it; *lo and *hi bound the byte after it
 * (every later one is 0x80 to 0xbf).
 */
int	 utf8_lead(unsigned char c, unsigned char *lo, unsigned char *hi);
/* The length of the valid sequence at s (at most n bytes), 0 if none. */
size_t	 utf8_len(const unsigned char *s, size_t n);

#endif
