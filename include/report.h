/*
 * report.h - printable reports: the case report.
 *
 * report_case() writes the whole of one case as plain text for a line
 * printer: every field of the case, every seizure line, every linked
 * person, business, conveyance or other record with its role, the
 * workflow history and the attachments list.  Values read as the
 * reader reads them: field labels and code labels in the language
 * given, never raw codes (a code without a label in the list is
 * printed as it is).  Fixed width: no line is wider than REPORT_COLS
 * columns (a long value, the narrative, wraps at blanks); pages are
 * opts->lines long (0: REPORT_LINES) and each starts with a header
 * naming the case and the page number, the next one after a form feed.
 *
 * Need to know: with an account (opts->acct), the report holds what it
 * may see and nothing else: a case it does not see is refused
 * (NCEN_EINVALID), a linked record it does not see is left out and a
 * line says how many were; nominal fields (any not shared at cen level)
 * of a record it may not see nominally (AUTH_VIEW_NOMINAL) are left out
 * too.  Without an account (the service account, ncenctl without --as)
 * everything is printed.  res->nominal tells whether the report shows
 * any nominal value; the caller audits the printing of such a report
 * with report_case_audit() once it is ready to go (made into PDF, say)
 * and before it lets it out.
 *
 * report_pdf() turns such a text into PDF through groff (its pdf
 * device, Debian package groff), one page of text a page of PDF,
 * appended to the caller's buffer; NCEN_ENOTFOUND when groff or its pdf device
 * is not installed, NCEN_EIO when it failed (its first line of
 * complaint in the message).
 *
 * report_deliver() sends a report where the administrator said
 * (report_destination(): $NCEN_PRINT, else the first line of
 * DIR/print, else the directory DIR/reports): "|COMMAND" pipes it into
 * a command run by /bin/sh (lp, lpr), anything else is a directory
 * where it is written as a new file; `where` gets what to tell the
 * reader (the file, or the command).
 *
 * Contract: NCEN_OK or an ncen_code with a message (NCEN_ENOTFOUND: no
 * such case; a store error).  Text goes into the caller's buffer;
 * nothing here prints to the terminal or exits.
 */
#ifndef NCEN_REPORT_H
#define NCEN_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"
#include "schema.h"
#include "store.h"

#define REPORT_COLS	80	/* columns of a line printer */
#define REPORT_LINES	66	/* lines of a page: 11 inches at 6 a inch */
#define REPORT_DIR	"reports"	/* the default destination */
#define REPORT_CONF	"print"		/* DIR/print names another */

struct auth_account;

struct report_opts {
	const struct auth_account *acct;	/* whose need to know, NULL:
						   everything */
	enum schema_lang	 lang;		/* of field and code labels */
	const char		*user;		/* who prints (the header) */
	int64_t			 now;		/* when, 0: now */
	unsigned		 lines;		/* a page, 0: REPORT_LINES */
};

struct report_result {
	int		 nominal;	/* shows a nominal value */
	size_t		 hidden;	/* linked records left out */
	unsigned	 pages;
	struct buf	 number;	/* the case number, or its id */
};

int	 report_case(struct store *, uint64_t id, const struct report_opts *,
	     struct buf *out, struct report_result *, struct ncen_err *);
void	 report_result_free(struct report_result *);
/* The case.print audit entry: case, format, pages, left out; its own txn. */
int	 report_case_audit(struct store *, const char *user, uint64_t id,
	     const char *format, const struct report_result *,
	     struct ncen_err *);
int	 report_pdf(const struct buf *text, struct buf *pdf, struct ncen_err *);
/* Where reports go: $NCEN_PRINT, DIR/print's first line, DIR/reports. */
void	 report_destination(const char *home, struct buf *);
int	 report_deliver(const char *home, const char *name,
	     const struct buf *text, struct buf *where, struct ncen_err *);

#endif
