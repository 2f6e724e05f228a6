/*
 * attach.h - files attached to records, stored beside the database.
 *
 * attach_file() copies a file into DIR/attachments/XX/SHA256 (XX the
 * first two hex digits of its SHA-256; written to a temporary file in
 * DIR/attachments, flushed, renamed, the directory flushed), so the
 * same content is stored once however often it is attached.  It then
 * creates an attachment record (attachment.form: entity, record, kind,
 * sha256, media type, size, caption, original file name) and links the
 * record it is attached to -> the attachment with the role
 * ATTACH_ROLE, in one transaction.  The media type comes from the
 * file's first bytes (a table: JPEG, PNG, TIFF, PDF, GIF, else
 * application/octet-stream); the kind, unless given, from the media
 * type (images are photographs, PDF documents).
 *
 * Refusals change nothing (no record, no link, no new file): a record
 * that does not exist (NCEN_ENOTFOUND), a file that cannot be read or
 * is not a regular file (NCEN_EIO), a file over the size limit or a
 * caption or kind the form refuses (NCEN_EINVALID).  Messages name the
 * file or the record.  OpenSSL and every system call are checked.
 *
 * attach_verify() checks that every attachment record's file is there
 * with its size; findings go to report, one a line, and the return is
 * NCEN_ECHECK if there were any.  It opens the store itself (call it
 * after store_verify()).  Nothing here prints or exits.
 */
#ifndef NCEN_ATTACH_H
#define NCEN_ATTACH_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"
#include "schema.h"
#include "store.h"

#define ATTACH_DIR		"attachments"
#define ATTACH_ROLE		"attachment"
#define ATTACH_MAX_DEFAULT	((uint64_t)64 * 1024 * 1024)

struct attach_options {
	const char	*caption;	/* NULL: none */
	const char	*kind;		/* attachment_kind, NULL: guess */
	const char	*user;		/* who attaches it */
	uint64_t	 maxsize;	/* bytes, 0: ATTACH_MAX_DEFAULT */
};

struct attach_result {
	uint64_t	 id;		/* the attachment record */
	char		 sha256[65];
	const char	*media_type;	/* static */
	uint64_t	 size;
	int		 stored;	/* 1: a new file, 0: it was there */
};

int	 attach_file(struct store *, struct store_ref target, const char *path,
	     const struct attach_options *, struct attach_result *,
	     struct ncen_err *);
/* The media type of a file from its first bytes (static string). */
const char *attach_media_type(const unsigned char *, size_t);
/* Append where the file of a SHA-256 lives under a data directory. */
void	 attach_path(const char *home, const char *sha256, struct buf *);
int	 attach_verify(const char *home, const struct schema *,
	     const char *keyfile, struct buf *report, struct ncen_err *);

/*
 * attach-export.c.  The administrator's outgoing folder, a setting of
 * the data directory (an absolute path to a writable directory, checked
 * when set and at each export; audited as setting.attach-outbox):
 * attach_outbox_get is NCEN_ENOTFOUND, said, while none is set.
 * attach_export copies attachment id's file there as
 * attachment-ID-NAME (NAME the original file name with only letters,
 * digits, '.', '-', '_'; never over a file: NAME-2...), checking its
 * SHA-256 on the way, fsynced, then audited as attachment.export; the
 * account must be usable and allowed AUTH_EXPORT on the record it is
 * attached to (NCEN_EINVALID, said).  On any refusal or failure nothing
 * is left in the folder.  out gets the copy's path.
 */
struct auth_account;
int	 attach_outbox_get(struct store *, struct buf *dir, struct ncen_err *);
int	 attach_outbox_set(struct store *, const char *user, const char *dir,
	     struct ncen_err *);
int	 attach_export(struct store *, const struct auth_account *,
	     uint64_t id, struct buf *out, struct ncen_err *);

#endif
