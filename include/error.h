/*
 * error.h - the error codes and messages that library code returns.
 *
 * Contract: library functions return NCEN_OK (0) or one of the codes
 * below, and fill the caller's struct ncen_err with a message naming what
 * went wrong and where ("forms/case.form:12:7: expected a type, found
 * 'txt'").  The message is owned by the struct; ncen_err_free() releases
 * it.  Programs map codes to exit statuses with ncen_err_exit().
 * Nothing here prints or exits.
 */
#ifndef NCEN_ERROR_H
#define NCEN_ERROR_H

#include "buf.h"

enum ncen_code {
	NCEN_OK = 0,
	NCEN_EUSAGE,		/* the caller asked for something impossible */
	NCEN_EIO,		/* a file could not be read or written */
	NCEN_EPARSE,		/* a form, code list, dump or CSV is malformed */
	NCEN_EINVALID,		/* a record does not satisfy its form */
	NCEN_ENOTFOUND,		/* no such record, form, field or file */
	NCEN_EEXISTS,		/* it is there already */
	NCEN_ECONFLICT,		/* someone else changed the record first */
	NCEN_EDB,		/* Berkeley DB failed (message says how) */
	NCEN_ERECOVER,		/* the environment needs recovery */
	NCEN_EKEY,		/* wrong or missing encryption key */
	NCEN_EVERSION,		/* runtime libdb differs from the build's */
	NCEN_ECHECK,		/* a check (verify) found a problem */
	NCEN_ESPACE,		/* the disk is (nearly) full: nothing done */
	NCEN_EBUSY,		/* not ready yet (an index being built) */
};

struct ncen_err {
	enum ncen_code	 code;
	struct buf	 msg;
};

#define NCEN_ERR_INIT { NCEN_OK, BUF_INIT }

int		 ncen_err_set(struct ncen_err *, enum ncen_code, const char *, ...)
		     __attribute__((format(printf, 3, 4)));
#ifdef __clang_analyzer__
/*
 * ncen_err_set() returns the code it is given: say so to clang's static
 * analyser, which reads one file at a time, so that it does not follow
 * an error path as if it had returned NCEN_OK (.ci/analyze).  The
 * definition puts its name in parentheses, out of the macro's reach.
 */
#define ncen_err_set(e, c, ...)	((ncen_err_set)((e), (c), __VA_ARGS__), (c))
#endif
void		 ncen_err_prefix(struct ncen_err *, const char *, ...)
		     __attribute__((format(printf, 2, 3)));
void		 ncen_err_clear(struct ncen_err *);
void		 ncen_err_free(struct ncen_err *);
const char	*ncen_err_msg(const struct ncen_err *);
const char	*ncen_code_name(enum ncen_code);
int		 ncen_err_exit(enum ncen_code);

#endif
