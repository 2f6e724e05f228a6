/*
 * store-backup.h - hot backup, restore and recovery of a data directory.
 *
 * A backup is a directory (0700) holding a consistent copy of every
 * database file, the log files, the forms (forms/), what else a node
 * needs to resume (node.key, node.crt, node.secret, attachments/,
 * spool/, with their modes) and a MANIFEST naming each file with its size and
 * SHA-256 (and, for those last files, its mode).  Restore checks every
 * file against the manifest before it copies any (a damaged or missing
 * one is NCEN_ECHECK, named).  It is taken while other processes
 * keep working, the way db_hotbackup does it: checkpoint, copy the
 * database pages through the cache (DB_ENV->backup), copy the logs
 * after them, then run catastrophic recovery in the copy.
 *
 * Contract: functions return NCEN_OK or an ncen_code with the error set
 * (NCEN_EEXISTS when a target is not empty or a data directory is in
 * use, NCEN_ECHECK when a backup does not match its manifest, NCEN_EKEY
 * for a wrong key, NCEN_EDB / NCEN_EIO otherwise).  They append what
 * they did to `report` (one line each) and never print or exit.  Keys
 * are read from a key file (see ncenctl(8)); a NULL keyfile means no
 * encryption.
 */
#ifndef NCEN_STORE_BACKUP_H
#define NCEN_STORE_BACKUP_H

#include "buf.h"
#include "error.h"

#define STORE_BACKUP_MANIFEST	"MANIFEST"

int	store_backup(const char *home, const char *keyfile, const char *dest,
	    struct buf *report, struct ncen_err *);
int	store_backup_restore(const char *backup, const char *home,
	    const char *keyfile, int force, struct buf *report,
	    struct ncen_err *);
int	store_backup_recover(const char *home, const char *keyfile,
	    int catastrophic, struct buf *report, struct ncen_err *);
int	store_backup_in_use(const char *home, struct ncen_err *);
int	store_backup_copy_forms(const char *from, const char *to,
	    struct ncen_err *);

#endif
