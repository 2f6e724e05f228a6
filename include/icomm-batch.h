/*
 * icomm-batch.h - Icomm batches and receipts on the wire (ncen-batch(5)).
 *
 * A batch is a JSON document (jansson) compressed with zlib (RFC 1950),
 * signed as CMS SignedData by the sender's node key with the compressed
 * bytes inside (eContentType id-data), DER encoded; optionally that DER
 * is itself encrypted to the receiver's certificate as CMS
 * EnvelopedData (AES-256-CBC) for removable media.  A receipt is the
 * same envelope around a receipt document.  The documents:
 *
 *   {"format":"ncen-batch","version":1,"sender":ID,"receiver":ID,
 *    "batch":ID,"created":"YYYY-MM-DDTHH:MM:SSZ","items":[ITEM...]}
 *   {"format":"ncen-receipt","version":1,"sender":ID,"receiver":ID,
 *    "batch":ID,"created":...,"status":"accepted"|"refused",
 *    "reason":TEXT,"items":[{"entity","id","version","outcome",
 *    "reason"}...]}
 *
 * icomm_batch_read() opens a batch or receipt: decrypts it when it is
 * enveloped (only with this node's key), takes the name of the node its
 * one signer claims to be (the common name of the certificate the
 * message carries for that signer, else of the issuer the signer
 * identifier names: a node's certificate is self-signed, CN = node id),
 * asks the caller for the registered certificate of that node and
 * verifies the signature against that certificate only (the partner's
 * registered one is pinned).  Only then does it inflate at most `max`
 * bytes, parse the document, check its format, version and header, and
 * require its "sender" to be the node that signed it.  Nothing is
 * inflated or parsed before the signature verified: an altered batch is
 * a bad signature, whatever the alteration would have done to zlib or
 * JSON.  On a refusal, *unverified (if not NULL) gets {"sender": NAME}
 * with the name the signer gave, when there was one: only to address
 * the refusal.
 *
 * Contract: errors name what failed, as a refusal a receipt can carry:
 * NCEN_EPARSE (not CMS, not zlib, malformed JSON, a missing header
 * field: all from a sender whose signature verified), NCEN_EINVALID
 * (oversized, bad signature, a document naming another sender than its
 * signer, encrypted to another node), NCEN_ENOTFOUND (unknown sender),
 * NCEN_EIO (OpenSSL failures).
 * Buffers, documents (json_decref) and keys (icomm_key_free) returned
 * are the caller's.  Nothing here prints or exits.
 */
#ifndef NCEN_ICOMM_BATCH_H
#define NCEN_ICOMM_BATCH_H

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stddef.h>

#include "buf.h"
#include "error.h"
#include "store.h"

#define ICOMM_BATCH_FORMAT	"ncen-batch"
#define ICOMM_RECEIPT_FORMAT	"ncen-receipt"
#define ICOMM_BATCH_VERSION	1
#define ICOMM_BATCH_MAX		(32U * 1024 * 1024)	/* inflated bytes */

/* This node's key and certificate. */
struct icomm_key {
	EVP_PKEY	*key;
	X509		*cert;
	char		*id;
};

/* Answer the registered certificate of a sender (X509_free by caller). */
typedef int (*icomm_cert_fn)(const char *sender, X509 **, void *arg,
	     struct ncen_err *);

int	 icomm_key_load(struct store *, struct icomm_key *, struct ncen_err *);
void	 icomm_key_free(struct icomm_key *);
int	 icomm_cert_parse(const char *pem, X509 **, struct ncen_err *);
/* A new batch id: SENDER-YYYYMMDDTHHMMSSZ-16 hex digits. */
void	 icomm_batch_id(const char *sender, struct buf *);
int	 icomm_batch_seal(const json_t *doc, const struct icomm_key *,
	     X509 *encrypt_to, struct buf *out, struct ncen_err *);
int	 icomm_batch_read(const void *der, size_t len,
	     const struct icomm_key *, const char *format, size_t max,
	     icomm_cert_fn, void *arg, json_t **doc, json_t **unverified,
	     struct ncen_err *);
/* zlib both ways; inflate refuses more than max bytes. */
int	 icomm_deflate(const void *, size_t, struct buf *, struct ncen_err *);
int	 icomm_inflate(const void *, size_t, size_t max, struct buf *,
	     struct ncen_err *);

#endif
