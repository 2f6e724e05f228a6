/*
 * buf.h - one growable byte buffer for every string ncen builds.
 *
 * Contract: a struct buf starts zeroed (BUF_INIT) or through buf_init();
 * its bytes are always NUL-terminated after any call (b->s is never NULL
 * once something was added, and buf_cstr() never returns NULL).  The
 * buffer owns its memory until buf_free() or buf_detach().  Nothing here
 * fails: allocation goes through xmalloc.
 */
#ifndef NCEN_BUF_H
#define NCEN_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct buf {
	char	*s;
	size_t	 len;
	size_t	 cap;
};

#define BUF_INIT { NULL, 0, 0 }

void		 buf_init(struct buf *);
void		 buf_free(struct buf *);
void		 buf_reset(struct buf *);
void		 buf_grow(struct buf *, size_t);
void		 buf_add(struct buf *, const void *, size_t);
void		 buf_adds(struct buf *, const char *);
void		 buf_addc(struct buf *, int);
void		 buf_addf(struct buf *, const char *, ...)
		     __attribute__((format(printf, 2, 3)));
void		 buf_vaddf(struct buf *, const char *, va_list)
		     __attribute__((format(printf, 2, 0)));
void		 buf_add_quoted(struct buf *, const char *, size_t, size_t);
void		 buf_add_u32(struct buf *, uint32_t);
void		 buf_add_u64(struct buf *, uint64_t);
const char	*buf_cstr(const struct buf *);
char		*buf_detach(struct buf *);

uint32_t	 buf_get_u32(const unsigned char *);
uint64_t	 buf_get_u64(const unsigned char *);

#endif
