/*
 * icomm-batch.c - batches and receipts: JSON, zlib, CMS SignedData and
 * optionally EnvelopedData (see icomm-batch.h and ncen-batch(5)).
 */
#include <jansson.h>
#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "buf.h"
#include "error.h"
#include "icomm-batch.h"
#include "icomm-util.h"
#include "xmalloc.h"

/* A certificate from PEM text. */
int
icomm_cert_parse(const char *pem, X509 **x, struct ncen_err *err)
{
	BIO	*b;

	*x = NULL;
	if (pem == NULL || (b = BIO_new_mem_buf(pem, -1)) == NULL)
		return ncen_err_set(err, NCEN_EUSAGE, "no certificate");
	*x = PEM_read_bio_X509(b, NULL, NULL, NULL);
	BIO_free(b);
	if (*x == NULL)
		return icomm_ossl_err(err, "not a PEM certificate");
	return NCEN_OK;
}

/* A new batch id. */
void
icomm_batch_id(const char *sender, struct buf *b)
{
	struct buf	t = BUF_INIT;
	unsigned char	r[8];
	size_t		i;

	icomm_time(&t, (int64_t)time(NULL));
	buf_reset(b);
	buf_addf(b, "%s-", sender);
	for (i = 0; i < t.len; i++)
		if (t.s[i] != '-' && t.s[i] != ':')
			buf_addc(b, t.s[i]);
	if (RAND_bytes(r, sizeof r) != 1)
		memset(r, 0, sizeof r);
	buf_addc(b, '-');
	for (i = 0; i < sizeof r; i++)
		buf_addf(b, "%02x", r[i]);
	buf_free(&t);
}

/* Compress with zlib. */
int
icomm_deflate(const void *p, size_t n, struct buf *out,
    struct ncen_err *err)
{
	uLongf	len = compressBound((uLong)n);

	buf_reset(out);
	buf_grow(out, len + 1);
	if (compress2((Bytef *)out->s, &len, p, (uLong)n, 9) != Z_OK)
		return ncen_err_set(err, NCEN_EIO, "zlib: compress failed");
	out->len = len;
	out->s[len] = '\0';
	return NCEN_OK;
}

/* Inflate zlib bytes, refusing more than max bytes out. */
int
icomm_inflate(const void *p, size_t n, size_t max, struct buf *out,
    struct ncen_err *err)
{
	z_stream	z;
	unsigned char	chunk[65536];
	int		ret, error = NCEN_OK;

	buf_reset(out);
	memset(&z, 0, sizeof z);
	if (inflateInit(&z) != Z_OK)
		return ncen_err_set(err, NCEN_EIO, "zlib: inflateInit failed");
	z.next_in = (Bytef *)(uintptr_t)p;
	z.avail_in = (uInt)n;
	do {
		z.next_out = chunk;
		z.avail_out = sizeof chunk;
		ret = inflate(&z, Z_NO_FLUSH);
		if (ret != Z_OK && ret != Z_STREAM_END) {
			error = ncen_err_set(err, NCEN_EPARSE, "the content is "
			    "not zlib data (%s)", z.msg != NULL ? z.msg :
			    "truncated");
			break;
		}
		buf_add(out, chunk, sizeof chunk - z.avail_out);
		if (out->len > max) {
			error = ncen_err_set(err, NCEN_EINVALID, "oversized: "
			    "the document is larger than %zu bytes", max);
			break;
		}
		if (ret == Z_OK && z.avail_in == 0 && z.avail_out != 0) {
			error = ncen_err_set(err, NCEN_EPARSE, "the content "
			    "is not zlib data (truncated)");
			break;
		}
	} while (ret != Z_STREAM_END);
	inflateEnd(&z);
	return error;
}

/* The DER of a CMS structure into a buffer. */
static int
icomm_batch_der(CMS_ContentInfo *cms, struct buf *out, struct ncen_err *err)
{
	BIO	*b;
	char	*p;
	long	 n;

	if ((b = BIO_new(BIO_s_mem())) == NULL || i2d_CMS_bio(b, cms) != 1) {
		BIO_free(b);
		return icomm_ossl_err(err, "encoding CMS");
	}
	n = BIO_get_mem_data(b, &p);
	buf_reset(out);
	buf_add(out, p, (size_t)n);
	BIO_free(b);
	return NCEN_OK;
}

/* JSON -> zlib -> SignedData [-> EnvelopedData], DER. */
int
icomm_batch_seal(const json_t *doc, const struct icomm_key *k,
    X509 *encrypt_to, struct buf *out, struct ncen_err *err)
{
	struct buf		 text = BUF_INIT, z = BUF_INIT;
	CMS_ContentInfo		*cms = NULL, *env = NULL;
	STACK_OF(X509)		*to = NULL;
	BIO			*in = NULL;
	int			 error;

	icomm_json_dump(doc, &text);
	if ((error = icomm_deflate(text.s, text.len, &z, err)) != NCEN_OK)
		goto out;
	if ((in = BIO_new_mem_buf(z.s, (int)z.len)) == NULL ||
	    (cms = CMS_sign(k->cert, k->key, NULL, in, CMS_BINARY |
	    CMS_NOSMIMECAP)) == NULL) {
		error = icomm_ossl_err(err, "signing the batch");
		goto out;
	}
	if ((error = icomm_batch_der(cms, out, err)) != NCEN_OK ||
	    encrypt_to == NULL)
		goto out;
	BIO_free(in);
	if ((in = BIO_new_mem_buf(out->s, (int)out->len)) == NULL ||
	    (to = sk_X509_new_null()) == NULL ||
	    sk_X509_push(to, encrypt_to) == 0 ||
	    (env = CMS_encrypt(to, in, EVP_aes_256_cbc(), CMS_BINARY)) ==
	    NULL) {
		error = icomm_ossl_err(err, "encrypting the batch");
		goto out;
	}
	error = icomm_batch_der(env, out, err);
out:
	sk_X509_free(to);
	BIO_free(in);
	CMS_ContentInfo_free(cms);
	CMS_ContentInfo_free(env);
	buf_free(&text);
	buf_free(&z);
	return error;
}

/* Parse DER as CMS. */
static CMS_ContentInfo *
icomm_batch_cms(const void *der, size_t len)
{
	const unsigned char	*p = der;

	if (len > LONG_MAX)
		return NULL;
	return d2i_CMS_ContentInfo(NULL, &p, (long)len);
}

/* The key agreement and key wraps of an envelope ncen nodes make. */
static const int icomm_batch_agree[] = {
	NID_dhSinglePass_stdDH_sha1kdf_scheme,
	NID_dhSinglePass_stdDH_sha224kdf_scheme,
	NID_dhSinglePass_stdDH_sha256kdf_scheme,
	NID_dhSinglePass_stdDH_sha384kdf_scheme,
	NID_dhSinglePass_stdDH_sha512kdf_scheme,
};
static const int icomm_batch_wrap[] = {
	NID_id_aes128_wrap, NID_id_aes192_wrap, NID_id_aes256_wrap,
};

/* Whether nid is one of the n in list. */
static int
icomm_batch_nid_in(int nid, const int *list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (list[i] == nid)
			return 1;
	return 0;
}

/* The NID of the algorithm an AlgorithmIdentifier's parameter names. */
static int
icomm_batch_param_nid(const X509_ALGOR *alg)
{
	const ASN1_OBJECT	*obj;
	const void		*pval;
	const ASN1_STRING	*seq;
	const unsigned char	*p;
	X509_ALGOR		*inner;
	int			 ptype, nid;

	X509_ALGOR_get0(&obj, &ptype, &pval, alg);
	if (ptype != V_ASN1_SEQUENCE || (seq = pval) == NULL)
		return NID_undef;
	p = ASN1_STRING_get0_data(seq);
	if ((inner = d2i_X509_ALGOR(NULL, &p,
	    ASN1_STRING_length(seq))) == NULL)
		return NID_undef;
	X509_ALGOR_get0(&obj, NULL, NULL, inner);
	nid = OBJ_obj2nid(obj);
	X509_ALGOR_free(inner);
	return nid;
}

/*
 * Whether an EnvelopedData is one an ncen node makes for a node's EC
 * key: one recipient, by key agreement (ECDH with a standard KDF) whose
 * originator key is an EC key on the recipient's curve (parameters
 * absent), its key wrapped with AES key wrap.  Anything else is refused
 * before it is decrypted: the decryption of other, malformed envelopes
 * has crashed the crypto library under fuzzing.
 */
static int
icomm_batch_envelope_ok(CMS_ContentInfo *cms)
{
	STACK_OF(CMS_RecipientInfo)	*ris;
	CMS_RecipientInfo		*ri;
	X509_ALGOR			*alg, *pubalg;
	ASN1_OCTET_STRING		*ukm;
	ASN1_BIT_STRING			*pubkey;
	const ASN1_OBJECT		*obj;
	int				 ptype;

	if ((ris = CMS_get0_RecipientInfos(cms)) == NULL ||
	    sk_CMS_RecipientInfo_num(ris) != 1 ||
	    (ri = sk_CMS_RecipientInfo_value(ris, 0)) == NULL ||
	    CMS_RecipientInfo_type(ri) != CMS_RECIPINFO_AGREE ||
	    CMS_RecipientInfo_kari_get0_alg(ri, &alg, &ukm) != 1 ||
	    alg == NULL)
		return 0;
	X509_ALGOR_get0(&obj, NULL, NULL, alg);
	if (!icomm_batch_nid_in(OBJ_obj2nid(obj), icomm_batch_agree,
	    sizeof icomm_batch_agree / sizeof icomm_batch_agree[0]) ||
	    !icomm_batch_nid_in(icomm_batch_param_nid(alg), icomm_batch_wrap,
	    sizeof icomm_batch_wrap / sizeof icomm_batch_wrap[0]))
		return 0;
	if (CMS_RecipientInfo_kari_get0_orig_id(ri, &pubalg, &pubkey, NULL,
	    NULL, NULL) != 1 || pubalg == NULL || pubkey == NULL)
		return 0;
	X509_ALGOR_get0(&obj, &ptype, NULL, pubalg);
	return OBJ_obj2nid(obj) == NID_X9_62_id_ecPublicKey &&
	    (ptype == V_ASN1_UNDEF || ptype == V_ASN1_NULL);
}

/* Check the header of a document. */
static int
icomm_batch_header(const json_t *doc, const char *format,
    struct ncen_err *err)
{
	static const char *const need[] = {
		"sender", "receiver", "batch", "created"
	};
	const char	*f = icomm_json_str(doc, "format");
	size_t		 i;

	if (f == NULL || strcmp(f, format) != 0)
		return ncen_err_set(err, NCEN_EPARSE, "malformed: not an %s "
		    "document", format);
	if (json_integer_value(json_object_get(doc, "version")) !=
	    ICOMM_BATCH_VERSION)
		return ncen_err_set(err, NCEN_EPARSE, "malformed: %s version "
		    "%d is the only one known", format, ICOMM_BATCH_VERSION);
	for (i = 0; i < sizeof need / sizeof need[0]; i++) {
		const char *v = icomm_json_str(doc, need[i]);

		if (v == NULL || *v == '\0' || strlen(v) > 128)
			return ncen_err_set(err, NCEN_EPARSE, "malformed: no "
			    "\"%s\" in the document", need[i]);
	}
	if (!json_is_array(json_object_get(doc, "items")))
		return ncen_err_set(err, NCEN_EPARSE, "malformed: no "
		    "\"items\" array in the document");
	return NCEN_OK;
}

/* The common name of an X.509 name, or none (an empty buffer). */
static void
icomm_batch_cn(const X509_NAME *name, struct buf *b)
{
	const ASN1_STRING	*v;
	X509_NAME_ENTRY		*e;
	unsigned char		*u = NULL;
	int			 i, n;

	buf_reset(b);
	if (name == NULL ||
	    (i = X509_NAME_get_index_by_NID(name, NID_commonName, -1)) < 0 ||
	    (e = X509_NAME_get_entry(name, i)) == NULL ||
	    (v = X509_NAME_ENTRY_get_data(e)) == NULL ||
	    (n = ASN1_STRING_to_UTF8(&u, v)) <= 0)
		return;
	if ((size_t)n <= 128 && memchr(u, '\0', (size_t)n) == NULL)
		buf_add(b, u, (size_t)n);
	OPENSSL_free(u);
}

/*
 * The node a SignedData's one signer says it is, before anything is
 * verified: the common name (the node id) of the certificate the
 * message carries for that signer, else of the issuer its signer
 * identifier names (a node's certificate is self-signed: the same).
 * Only a name to look the registered certificate up by: the signature
 * is verified with that certificate alone.
 */
static int
icomm_batch_signer(CMS_ContentInfo *cms, CMS_SignerInfo **sip,
    struct buf *name, struct ncen_err *err)
{
	STACK_OF(CMS_SignerInfo)	*sis;
	STACK_OF(X509)			*certs;
	ASN1_OCTET_STRING		*keyid = NULL;
	X509_NAME			*issuer = NULL;
	ASN1_INTEGER			*serial = NULL;
	CMS_SignerInfo			*si;
	int				 i;

	buf_reset(name);
	if ((sis = CMS_get0_SignerInfos(cms)) == NULL ||
	    sk_CMS_SignerInfo_num(sis) != 1)
		return ncen_err_set(err, NCEN_EINVALID, "bad signature: "
		    "expected one signer, found %d", sis == NULL ? 0 :
		    sk_CMS_SignerInfo_num(sis));
	si = sk_CMS_SignerInfo_value(sis, 0);
	*sip = si;
	if ((certs = CMS_get1_certs(cms)) != NULL) {
		for (i = 0; i < sk_X509_num(certs) && name->len == 0; i++)
			if (CMS_SignerInfo_cert_cmp(si,
			    sk_X509_value(certs, i)) == 0)
				icomm_batch_cn(X509_get_subject_name(
				    sk_X509_value(certs, i)), name);
		sk_X509_pop_free(certs, X509_free);
	}
	if (name->len == 0 && CMS_SignerInfo_get0_signer_id(si, &keyid,
	    &issuer, &serial) == 1 && issuer != NULL)
		icomm_batch_cn(issuer, name);
	ERR_clear_error();
	if (name->len == 0)
		return ncen_err_set(err, NCEN_EINVALID, "bad signature: the "
		    "signer names no node");
	return NCEN_OK;
}

/* Open a batch or receipt (see icomm-batch.h). */
int
icomm_batch_read(const void *der, size_t len, const struct icomm_key *k,
    const char *format, size_t max, icomm_cert_fn certfn, void *arg,
    json_t **docp, json_t **unverified, struct ncen_err *err)
{
	CMS_ContentInfo		*cms = NULL, *inner = NULL;
	CMS_SignerInfo		*si = NULL;
	ASN1_OCTET_STRING	**pos;
	STACK_OF(X509)		*certs = NULL;
	X509			*signer = NULL;
	BIO			*out = NULL;
	struct buf		 plain = BUF_INIT, text = BUF_INIT;
	struct buf		 sender = BUF_INIT;
	json_t			*doc = NULL;
	const char		*named;
	char			*p;
	long			 n;
	int			 error = NCEN_OK;

	*docp = NULL;
	if (unverified != NULL)
		*unverified = NULL;
	ERR_clear_error();
	if ((cms = icomm_batch_cms(der, len)) == NULL) {
		error = ncen_err_set(err, NCEN_EPARSE, "malformed: not a DER "
		    "CMS message");
		goto out;
	}
	if (OBJ_obj2nid(CMS_get0_type(cms)) == NID_pkcs7_enveloped) {
		if (!icomm_batch_envelope_ok(cms)) {
			ERR_clear_error();
			error = ncen_err_set(err, NCEN_EINVALID, "encrypted, "
			    "but not as ncen nodes encrypt (one recipient, "
			    "ECDH to this node's key, AES key wrap)");
			goto out;
		}
		if (k == NULL || k->key == NULL ||
		    (out = BIO_new(BIO_s_mem())) == NULL ||
		    CMS_decrypt(cms, k->key, k->cert, NULL, out,
		    CMS_BINARY) != 1) {
			ERR_clear_error();
			error = ncen_err_set(err, NCEN_EINVALID, "encrypted, "
			    "and not to this node's certificate");
			goto out;
		}
		n = BIO_get_mem_data(out, &p);
		buf_add(&plain, p, (size_t)n);
		BIO_free(out);
		out = NULL;
		if ((inner = icomm_batch_cms(plain.s, plain.len)) == NULL) {
			error = ncen_err_set(err, NCEN_EPARSE, "malformed: "
			    "the encrypted content is not CMS");
			goto out;
		}
		CMS_ContentInfo_free(cms);
		cms = inner;
	}
	if (OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed ||
	    (pos = CMS_get0_content(cms)) == NULL || *pos == NULL) {
		ERR_clear_error();
		error = ncen_err_set(err, NCEN_EPARSE, "malformed: not CMS "
		    "SignedData with its content inside");
		goto out;
	}
	/*
	 * The signature first: nothing is inflated or parsed before it
	 * verified, with the registered certificate of the node the signer
	 * names, and that one only.
	 */
	if ((error = icomm_batch_signer(cms, &si, &sender, err)) != NCEN_OK ||
	    (error = certfn(sender.s, &signer, arg, err)) != NCEN_OK)
		goto out;
	if ((certs = sk_X509_new_null()) == NULL ||
	    sk_X509_push(certs, signer) == 0) {
		error = icomm_ossl_err(err, "allocating");
		goto out;
	}
	if (CMS_SignerInfo_cert_cmp(si, signer) != 0 ||
	    (out = BIO_new(BIO_s_mem())) == NULL ||
	    CMS_verify(cms, certs, NULL, NULL, out, CMS_BINARY |
	    CMS_NO_SIGNER_CERT_VERIFY | CMS_NOINTERN) != 1) {
		ERR_clear_error();
		error = ncen_err_set(err, NCEN_EINVALID, "bad signature: not "
		    "signed by the registered certificate of %s", sender.s);
		goto out;
	}
	n = BIO_get_mem_data(out, &p);
	if ((error = icomm_inflate(p, (size_t)n, max, &text, err)) !=
	    NCEN_OK ||
	    (error = icomm_json_load(text.s, text.len, "the document", &doc,
	    err)) != NCEN_OK ||
	    (error = icomm_batch_header(doc, format, err)) != NCEN_OK)
		goto out;
	/* The document speaks for the node that signed it, no other. */
	if (strcmp((named = icomm_json_str(doc, "sender")), sender.s) != 0) {
		error = ncen_err_set(err, NCEN_EINVALID, "bad signature: the "
		    "document names %s as its sender, but is signed by the "
		    "registered certificate of %s", named, sender.s);
		goto out;
	}
	*docp = doc;
	doc = NULL;
out:
	if (error != NCEN_OK && unverified != NULL && sender.len != 0)
		/* Only the name the signer gave, to address a refusal to. */
		*unverified = json_pack("{s:s}", "sender", sender.s);
	json_decref(doc);
	sk_X509_free(certs);
	X509_free(signer);
	BIO_free(out);
	CMS_ContentInfo_free(cms);
	buf_free(&plain);
	buf_free(&text);
	buf_free(&sender);
	ERR_clear_error();
	return error;
}
