/*
 * fuzz_batch.c - libFuzzer target for the Icomm batch reader.
 *
 * The input is read as a batch (and as a receipt) by icomm_batch_read()
 * with a fixed test key and certificate standing for this node and for
 * the registered sender FUZZ-NODE: DER, CMS SignedData or EnvelopedData,
 * zlib with a small limit, JSON and the header checks all see it before
 * any signature is checked.  A document that verifies must carry the
 * header the reader promises.  The input is also inflated and parsed as
 * JSON on its own.  The seeds (tests/fuzz/batch-corpus) are batches
 * signed with this key, one of them enveloped to it.  Build with
 * ./configure CC=clang --enable-fuzzing and run
 * tests/fuzz/fuzz_batch DIR (DIR a copy of tests/fuzz/batch-corpus).
 * The key is a test key with no other use.
 */
#include <jansson.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "icomm-batch.h"
#include "icomm-util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char fuzz_cert[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIBnTCCAUOgAwIBAgIUeIfHG9ojxF/CP7Lr9CxCLLEia60wCgYIKoZIzj0EAwIw\n"
	"IzENMAsGA1UECgwEbmNlbjESMBAGA1UEAwwJRlVaWi1OT0RFMCAXDTI2MTEyNzEx\n"
	"MjI1M1oYDzIxMjYxMTAzMTEyMjUzWjAjMQ0wCwYDVQQKDARuY2VuMRIwEAYDVQQD\n"
	"DAlGVVpaLU5PREUwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAS4mv+cjZZ6gUCI\n"
	"GhEnWJpYrQ/AqCb0t68IVT3B0uXJzTDLu9z/U25kg8kztaiPflSD/hMSrT3FZJoB\n"
	"Dni0O3c0o1MwUTAdBgNVHQ4EFgQU3KYIj2W20lk4TKVPhnxNk+02UHEwHwYDVR0j\n"
	"BBgwFoAU3KYIj2W20lk4TKVPhnxNk+02UHEwDwYDVR0TAQH/BAUwAwEB/zAKBggq\n"
	"hkjOPQQDAgNIADBFAiA+r/y6oEsYNIbOdtsqQDfL6FQsSEXq0/U4zUM90UyNbQIh\n"
	"AN8RTwiKKmfKKZ5Sqr852bHNoi+76IboU1T5CLXBU2dx\n"
	"-----END CERTIFICATE-----\n"
;

static const char fuzz_key[] =
	"-----BEGIN PRIVATE KEY-----\n"
	"MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgXay9561HJYn5WQXY\n"
	"9gNyefAllXA+555a0llmTDwrtDehRANCAAS4mv+cjZZ6gUCIGhEnWJpYrQ/AqCb0\n"
	"t68IVT3B0uXJzTDLu9z/U25kg8kztaiPflSD/hMSrT3FZJoBDni0O3c0\n"
	"-----END PRIVATE KEY-----\n"
;

static struct icomm_key	fuzz_node;

/* The registered certificate of FUZZ-NODE (icomm_cert_fn). */
static int
fuzz_batch_cert(const char *sender, X509 **x, void *arg, struct ncen_err *err)
{
	(void)arg;
	if (strcmp(sender, "FUZZ-NODE") != 0)
		return ncen_err_set(err, NCEN_ENOTFOUND, "unknown sender");
	X509_up_ref(fuzz_node.cert);
	*x = fuzz_node.cert;
	return NCEN_OK;
}

/* Load the test key once. */
static void
fuzz_batch_init(void)
{
	BIO	*b;

	if (fuzz_node.key != NULL)
		return;
	b = BIO_new_mem_buf(fuzz_key, -1);
	fuzz_node.key = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
	BIO_free(b);
	b = BIO_new_mem_buf(fuzz_cert, -1);
	fuzz_node.cert = PEM_read_bio_X509(b, NULL, NULL, NULL);
	BIO_free(b);
	if (fuzz_node.key == NULL || fuzz_node.cert == NULL)
		abort();
}

/* Read the input as a document of one format; check what is promised. */
static void
fuzz_batch_read(const uint8_t *data, size_t size, const char *format)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	json_t		*doc = NULL, *peek = NULL;

	if (icomm_batch_read(data, size, &fuzz_node, format, 65536,
	    fuzz_batch_cert, NULL, &doc, &peek, &err) == NCEN_OK) {
		if (doc == NULL || peek != NULL ||
		    icomm_json_str(doc, "sender") == NULL ||
		    icomm_json_str(doc, "batch") == NULL ||
		    !json_is_array(json_object_get(doc, "items")))
			abort();
	} else if (doc != NULL || err.msg.len == 0)
		abort();
	json_decref(doc);
	json_decref(peek);
	ncen_err_free(&err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct buf	 out = BUF_INIT;
	json_t		*j = NULL;

	fuzz_batch_init();
	fuzz_batch_read(data, size, ICOMM_BATCH_FORMAT);
	fuzz_batch_read(data, size, ICOMM_RECEIPT_FORMAT);
	if (icomm_inflate(data, size, 4096, &out, &err) == NCEN_OK &&
	    out.len > 4096)
		abort();
	ncen_err_clear(&err);
	if (icomm_json_load(data, size, "fuzz", &j, &err) == NCEN_OK &&
	    !json_is_object(j))
		abort();
	json_decref(j);
	buf_free(&out);
	ncen_err_free(&err);
	return 0;
}
