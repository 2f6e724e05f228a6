/*
 * icomm-util.h - what the icomm-*.c files share (no other layer uses
 * it): JSON values kept in Icomm's btrees, times, and OpenSSL's error
 * queue in words.
 *
 * Contract: icomm_json_load() answers NCEN_EPARSE (naming what) for
 * bytes that are not a JSON object; the json_t returned is the
 * caller's (json_decref).  icomm_json_str() borrows from the object
 * (NULL when absent or not a string).  icomm_ossl_err() appends
 * OpenSSL's queued errors to the message and clears the queue.
 * Nothing here prints or exits.
 */
#ifndef NCEN_ICOMM_UTIL_H
#define NCEN_ICOMM_UTIL_H

#include <jansson.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"
#include "store-kv.h"

int	 icomm_json_load(const void *, size_t, const char *what, json_t **,
	     struct ncen_err *);
void	 icomm_json_dump(const json_t *, struct buf *);
const char *icomm_json_str(const json_t *, const char *key);
int64_t	 icomm_json_int(const json_t *, const char *key);
/* icomm-kv.c */
int	 icomm_kv_get_json(struct store_txn *, enum store_kv_db, const void *,
	     size_t, int rmw, json_t **, struct ncen_err *);
int	 icomm_kv_put_json(struct store_txn *, enum store_kv_db, const void *,
	     size_t, const json_t *, struct ncen_err *);
/* icomm-util.c; an OpenSSL failure: "what: OpenSSL's reasons"; returns NCEN_EIO. */
int	 icomm_ossl_err(struct ncen_err *, const char *fmt, ...)
	     __attribute__((format(printf, 2, 3)));
/* Key bytes: the parts joined by NUL bytes (the last without). */
void	 icomm_key(struct buf *, const char *, const char *);
void	 icomm_time(struct buf *, int64_t);
/* A whole file ("-": standard input), refused past max bytes (0: any). */
int	 icomm_read_file(const char *path, size_t max, struct buf *,
	     struct ncen_err *);

#endif
