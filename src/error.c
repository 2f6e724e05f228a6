/* error.c - the error codes and messages that library code returns. */
#include <stdarg.h>
#include <stddef.h>

#include "error.h"
#include "i18n.h"

/*
 * What each code means in words (translated when shown), and the exit
 * status a program gives it.
 */
static const struct {
	enum ncen_code	 code;
	const char	*name;
	int		 exit;
} ncen_codes[] = {
	{ NCEN_OK,		N_("ok"),			0 },
	{ NCEN_EUSAGE,		N_("usage error"),		2 },
	{ NCEN_EIO,		N_("input/output error"),	2 },
	{ NCEN_EPARSE,		N_("syntax error"),		1 },
	{ NCEN_EINVALID,	N_("invalid record"),	1 },
	{ NCEN_ENOTFOUND,	N_("not found"),		1 },
	{ NCEN_EEXISTS,		N_("already exists"),	1 },
	{ NCEN_ECONFLICT,	N_("version conflict"),	1 },
	{ NCEN_EDB,		N_("database error"),	2 },
	{ NCEN_ERECOVER,	N_("database needs recovery"), 2 },
	{ NCEN_EKEY,		N_("wrong encryption key"),	2 },
	{ NCEN_EVERSION,	N_("library version mismatch"), 2 },
	{ NCEN_ECHECK,		N_("check failed"),		1 },
	{ NCEN_ESPACE,		N_("disk full"),		75 },
	{ NCEN_EBUSY,		N_("busy, try again"),		75 },
};

/* Set the error code and message; returns the code for "return ncen_err_set(...)". */
int
(ncen_err_set)(struct ncen_err *e, enum ncen_code code, const char *fmt, ...)
{
	va_list	ap;

	if (e == NULL)
		return (int)code;
	e->code = code;
	buf_reset(&e->msg);
	va_start(ap, fmt);
	buf_vaddf(&e->msg, fmt, ap);
	va_end(ap);
	return (int)code;
}

/* Put context ("case 12: ") in front of an error message already set. */
void
ncen_err_prefix(struct ncen_err *e, const char *fmt, ...)
{
	struct buf	b = BUF_INIT;
	va_list		ap;

	if (e == NULL)
		return;
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	buf_add(&b, e->msg.s == NULL ? "" : e->msg.s, e->msg.len);
	buf_free(&e->msg);
	e->msg = b;
}

/* Forget an error but keep the memory. */
void
ncen_err_clear(struct ncen_err *e)
{
	e->code = NCEN_OK;
	buf_reset(&e->msg);
}

/* Release an error's message. */
void
ncen_err_free(struct ncen_err *e)
{
	if (e == NULL)
		return;
	buf_free(&e->msg);
	e->code = NCEN_OK;
}

/* The message, or the code's name when no message was set. */
const char *
ncen_err_msg(const struct ncen_err *e)
{
	if (e->msg.len == 0)
		return ncen_code_name(e->code);
	return e->msg.s;
}

/* The code in words, in the reader's language. */
const char *
ncen_code_name(enum ncen_code code)
{
	size_t	i;

	for (i = 0; i < sizeof ncen_codes / sizeof ncen_codes[0]; i++)
		if (ncen_codes[i].code == code)
			return _(ncen_codes[i].name);
	return _("unknown error");
}

/* The exit status for a code: 0 ok, 1 a check found a problem, 2 usage or environment. */
int
ncen_err_exit(enum ncen_code code)
{
	size_t	i;

	for (i = 0; i < sizeof ncen_codes / sizeof ncen_codes[0]; i++)
		if (ncen_codes[i].code == code)
			return ncen_codes[i].exit;
	return 2;
}
