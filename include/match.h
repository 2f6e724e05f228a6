/*
 * match.h - the keys that let spellings meet: folded, Latin, skeleton,
 * compact number and date keys of a value (ICU for Unicode).
 *
 * match_fold: NFKC with case folding ("MÜLLER" -> "müller", "Yılmaz"
 * and "YILMAZ" -> "yılmaz"/"yilmaz" alike once in Latin).  match_latin:
 * the same transliterated to Latin and stripped of diacritics (Russian
 * by BGN/PCGN, any other script by ICU's Any-Latin, then Latin-ASCII),
 * in lower case, as words of [a-z0-9] separated by one space
 * ("Кузнецов Дмитрий" -> "kuznetsov dmitriy").  match_skeleton: a
 * consonant skeleton of Latin words (the rule table in match.c), so
 * that transliteration variants and common typos meet ("Kusnezow",
 * "Kouznetsov" -> "ksnsv").  match_compact: a document, phone, plate,
 * IMO, container number or VIN without spaces, dashes, dots or case.
 * match_show: text as an ASCII terminal can show it, case and
 * punctuation kept ("Кузнецов Дмитрий" -> "Kuznetsov Dmitriy").
 * match_date: a date typed as 1997-10-23, 1997/10/23, 23/10/1997,
 * 23.10.1997 or 23-10-1997 as YYYY-MM-DD.  match_jw: Jaro-Winkler
 * similarity of two byte strings, 0 to 1.
 *
 * Contract: text input must be valid UTF-8 (match_utf8 tells); the
 * functions taking an error answer NCEN_EUSAGE for invalid UTF-8 and
 * NCEN_EVERSION when ICU lacks a transliterator, and append to out
 * (nothing on error).  ICU objects are opened once per process and
 * kept (opening a transliterator takes milliseconds); match_end
 * releases them.  Nothing here prints or exits; not thread-safe.
 */
#ifndef NCEN_MATCH_H
#define NCEN_MATCH_H

#include <stddef.h>

#include "buf.h"
#include "error.h"

#define MATCH_WORDS_MAX		16	/* words of a value used for keys */
#define MATCH_JOIN_MAX		3	/* adjacent words joined in sound keys */
#define MATCH_WORD_MAX		64	/* bytes of a word used for keys */

int	 match_utf8(const char *, size_t);
int	 match_fold(const char *, size_t, struct buf *out, struct ncen_err *);
int	 match_latin(const char *, size_t, struct buf *out, struct ncen_err *);
int	 match_show(const char *, size_t, struct buf *out, struct ncen_err *);
void	 match_skeleton(const char *word, size_t, struct buf *out);
int	 match_compact(const char *, size_t, struct buf *out,
	     struct ncen_err *);
int	 match_date(const char *, size_t, char iso[11]);
double	 match_jw(const char *, size_t, const char *, size_t);
void	 match_end(void);

#endif
