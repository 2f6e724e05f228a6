/* icomm-util.c - JSON values in Icomm's btrees, times, OpenSSL errors. */
#include <jansson.h>
#include <openssl/err.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "error.h"
#include "icomm-util.h"
#include "store-kv.h"

/* Parse bytes that must hold one JSON object. */
int
icomm_json_load(const void *p, size_t n, const char *what, json_t **out,
    struct ncen_err *err)
{
	json_error_t	 je;
	json_t		*j;

	*out = NULL;
	j = json_loadb(p, n, JSON_REJECT_DUPLICATES, &je);
	if (j == NULL)
		return ncen_err_set(err, NCEN_EPARSE, "%s: malformed JSON at "
		    "line %d, column %d: %s", what, je.line, je.column,
		    je.text);
	if (!json_is_object(j)) {
		json_decref(j);
		return ncen_err_set(err, NCEN_EPARSE, "%s: expected a JSON "
		    "object", what);
	}
	*out = j;
	return NCEN_OK;
}

/* Append the compact JSON text of a value. */
void
icomm_json_dump(const json_t *j, struct buf *b)
{
	char	*s;

	if ((s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS)) == NULL)
		return;
	buf_adds(b, s);
	free(s);
}

/* A string member, or NULL. */
const char *
icomm_json_str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* An integer member, or 0. */
int64_t
icomm_json_int(const json_t *o, const char *key)
{
	return (int64_t)json_integer_value(json_object_get(o, key));
}

/* Set an error from OpenSSL's queue; returns NCEN_EIO. */
int
icomm_ossl_err(struct ncen_err *err, const char *fmt, ...)
{
	struct buf	b = BUF_INIT;
	unsigned long	e;
	char		s[256];
	va_list		ap;
	int		n = 0;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	while ((e = ERR_get_error()) != 0) {
		ERR_error_string_n(e, s, sizeof s);
		if (n++ < 3)
			buf_addf(&b, "%s%s", n == 1 ? ": " : "; ", s);
	}
	ncen_err_set(err, NCEN_EIO, "%s", buf_cstr(&b));
	buf_free(&b);
	return NCEN_EIO;
}

/* Key bytes "a\0b" (b may be NULL: just "a"). */
void
icomm_key(struct buf *k, const char *a, const char *b)
{
	buf_reset(k);
	buf_adds(k, a);
	if (b != NULL) {
		buf_addc(k, '\0');
		buf_adds(k, b);
	}
}

/* Seconds since the epoch as UTC "YYYY-MM-DDTHH:MM:SSZ" ("never" for 0). */
void
icomm_time(struct buf *b, int64_t t)
{
	time_t		tt = (time_t)t;
	struct tm	tm;
	char		s[32];

	if (t == 0 || gmtime_r(&tt, &tm) == NULL ||
	    strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
		buf_adds(b, "never");
		return;
	}
	buf_adds(b, s);
}

/* Read a whole file into a buffer, at most max bytes (0: no limit). */
int
icomm_read_file(const char *path, size_t max, struct buf *b,
    struct ncen_err *err)
{
	FILE	*f;
	char	 chunk[65536];
	size_t	 n;
	int	 error = NCEN_OK;

	buf_reset(b);
	if (strcmp(path, "-") == 0)
		f = stdin;
	else if ((f = fopen(path, "rb")) == NULL)
		return ncen_err_set(err, errno == ENOENT ? NCEN_ENOTFOUND :
		    NCEN_EIO, "%s: %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		buf_add(b, chunk, n);
		if (max != 0 && b->len > max) {
			error = ncen_err_set(err, NCEN_EINVALID, "%s: larger "
			    "than %zu bytes", path, max);
			break;
		}
	}
	if (error == NCEN_OK && ferror(f))
		error = ncen_err_set(err, NCEN_EIO, "%s: read failed", path);
	if (f != stdin)
		fclose(f);
	return error;
}
