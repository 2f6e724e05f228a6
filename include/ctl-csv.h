/*
 * ctl-csv.h - what ncenctl's CSV commands share (private to ncenctl).
 *
 * The CSV commands live in one file each: ctl-import.c (import: reading,
 * checking and writing a file of records or links), ctl-journal.c (the
 * import's crash journal and its rollback), ctl-export.c (export and
 * template) and ctl-offices.c (offices load).  What more than one of them
 * needs is here, and in ctl-csv.c:
 *
 * - the layout of the files: the `links` pseudo-entity and its columns
 *   (import reads them, export writes them), the ';' between the values
 *   of a repeated field (export and template join them, import splits
 *   them), and record ids as typed (import and export's filters);
 * - reading a file and saying what is wrong with it: the first problems
 *   printed as "CMD: FILE:LINE: field: why", all counted, and the
 *   progress line on a terminal (import and offices);
 * - a small set of byte strings (the ids, links and office codes seen in
 *   a file) and its hash, which the journal also uses;
 * - the marker column of a template's example row (template writes it,
 *   import refuses a row marked so);
 * - growing arrays, syncing a directory, and the one audit entry a
 *   command appends for what it did as a whole.
 *
 * Like ctl.h, this is program code: it may print to stderr and stdout.
 */
#ifndef NCEN_CTL_CSV_H
#define NCEN_CTL_CSV_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "buf.h"
#include "ctl.h"
#include "record.h"
#include "store.h"

#define CTL_CSV_MAXSHOWN	100	/* problems printed before counting */
#define CTL_CSV_SEP		';'	/* between values of a repeated field */
#define CTL_CSV_LINKS		"links"	/* the pseudo-entity of the links */
#define CTL_CSV_ROLE_MAX	64	/* bytes in a role (the store's) */
/*
 * A template's first column (no field has such a name): its example row
 * holds CTL_CSV_EXAMPLE_ROW there, and import refuses a row that has
 * anything in it, so the example never becomes data.
 */
#define CTL_CSV_EXAMPLE		"#example"
#define CTL_CSV_EXAMPLE_ROW	"EXAMPLE - replace this row with your " \
				"data; leave this column empty"

/* What a column of an import holds. */
enum {
	CTL_CSV_COL_ID = -1,
	CTL_CSV_COL_FROM_ENTITY = -2,
	CTL_CSV_COL_FROM_ID = -3,
	CTL_CSV_COL_TO_ENTITY = -4,
	CTL_CSV_COL_TO_ID = -5,
	CTL_CSV_COL_ROLE = -6,
	CTL_CSV_COL_EXAMPLE = -7,	/* a template's marker column */
};

/* A column of a links file. */
struct ctl_csv_linkcol {
	const char	*name;
	int		 col;
};

#define CTL_CSV_NLINKCOLS	5
extern const struct ctl_csv_linkcol ctl_csv_link_cols[CTL_CSV_NLINKCOLS];

/* One slot of a set of byte strings (open addressing). */
struct ctl_csv_slot {
	size_t		 off, len;	/* the key in the set's keys */
	unsigned	 line;		/* where it was seen first */
	int		 used;
	int		 ok;		/* its row was accepted */
};

/* A set of byte strings with a line each: ids and links seen in a file. */
struct ctl_csv_set {
	struct buf		 keys;
	struct ctl_csv_slot	*slots;
	size_t			 cap, n;
};

/* The state of the progress line. */
struct ctl_csv_progress {
	int		 on;		/* standard error is a terminal */
	struct timespec	 start, last;
	size_t		 width;		/* of what is on the line */
};

/* A file being read and checked: its name, its problems, the progress. */
struct ctl_csv_input {
	struct ctl_ctx			*ctx;
	const char			*path;		/* for messages */
	size_t				 nproblems;
	struct buf			 why;		/* a row's problems */
	unsigned			 whyline;
	struct ctl_csv_progress		 prog;
};

void	*ctl_csv_grow(void *, size_t, size_t *, size_t);
uint64_t ctl_csv_hash(const void *, size_t);

struct ctl_csv_slot *ctl_csv_set_get(struct ctl_csv_set *, const void *,
	    size_t);
struct ctl_csv_slot *ctl_csv_set_put(struct ctl_csv_set *, const void *,
	    size_t, unsigned, int *);
void	ctl_csv_set_free(struct ctl_csv_set *);

void	ctl_csv_progress_init(struct ctl_csv_progress *);
void	ctl_csv_progress(struct ctl_csv_progress *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	ctl_csv_progress_clear(struct ctl_csv_progress *);
void	ctl_csv_problem(struct ctl_csv_input *, unsigned, const char *,
	    const char *, ...) __attribute__((format(printf, 4, 5)));

int	ctl_csv_audit(struct ctl_ctx *, struct store *, const char *,
	    const char *, const char *, int);
void	ctl_csv_sync_dir(const char *);

int	ctl_csv_blank(const char *, size_t);
int	ctl_csv_parse_id(const char *, uint64_t *);
void	ctl_csv_join_value(struct buf *, const char *);
void	ctl_csv_split(const char *, size_t, struct buf *, size_t *);

/*
 * ctl-journal.c: the journal DIR/import-PID-TIME.journal of one import
 * (create it, list a batch in it and flush, remove it once the import
 * stands, or undo what it lists after a failure), and the rollback of
 * the journals that imports which died left behind.  ctl_journal_note
 * appends the line of a record as written.  Undoing a case also takes
 * back what it queued in the outbox and was not sent yet.
 * ctl_journal_lock_import and ctl_journal_lock_backup keep backups and
 * imports apart (a backup holds each import whole or not at all): they
 * return 0 with a descriptor to close when done, or an exit status.
 */
void	ctl_journal_note(struct buf *, const struct record *);
int	ctl_journal_create(struct ctl_ctx *, const char *, int *, char **);
int	ctl_journal_sync(int, struct buf *);
uint64_t ctl_journal_hash(const struct record *);
void	ctl_journal_remove(const char *, char **, int *);
int	ctl_journal_undo_import(struct ctl_ctx *, struct store *, const char *,
	    int *, char **);
int	ctl_journal_rollback_all(struct ctl_ctx *, struct store *, size_t *);
int	ctl_journal_lock_import(struct ctl_ctx *, int *);
int	ctl_journal_lock_backup(struct ctl_ctx *, unsigned, int *);
size_t	ctl_journal_count(const char *);

/*
 * ctl-import-case.c: what an import of cases owes the workflow (a
 * number unique and given when missing, a status reached through the
 * workflow's steps by an account allowed them).  check notes the
 * problems of a row and leaves the record a draft with *steps to take;
 * write stores it, takes the steps and lists all in the journal, inside
 * the caller's transaction.
 */
struct ctl_import_case;
struct auth_account;
int	ctl_import_case_is(const struct schema_form *);
struct ctl_import_case *ctl_import_case_new(struct store *,
	    const struct schema_form *, const struct auth_account *,
	    const char *why, const char *user);
void	ctl_import_case_free(struct ctl_import_case *);
int	ctl_import_case_check(struct ctl_import_case *, struct ctl_csv_input *,
	    unsigned, struct record *, unsigned *,
	    int (*)(const char *, uint64_t, void *), void *);
int	ctl_import_case_write(struct ctl_import_case *, struct store_txn *,
	    struct record *, unsigned, struct buf *, struct ncen_err *);

#endif
