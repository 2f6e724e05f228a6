/*
 * icomm-node.c - this node's identity: its id and role, its P-256 key
 * and self-signed certificate in the data directory.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "buf.h"
#include "error.h"
#include "icomm-batch.h"
#include "icomm-util.h"
#include "icomm.h"
#include "store-kv.h"
#include "store.h"
#include "xmalloc.h"

#define ICOMM_NODE_KEY	"node"

/* A node id: 1-64 of [A-Za-z0-9._-], starting with a letter or digit. */
int
icomm_id_check(const char *id, struct ncen_err *err)
{
	size_t	i, n = id != NULL ? strlen(id) : 0;

	if (n == 0 || n > ICOMM_ID_MAX || !isalnum((unsigned char)id[0]))
		goto bad;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)id[i]) && id[i] != '.' &&
		    id[i] != '_' && id[i] != '-')
			goto bad;
	return NCEN_OK;
bad:
	return ncen_err_set(err, NCEN_EUSAGE, "bad node id '%s': 1 to %d "
	    "letters, digits, '.', '_' or '-', starting with a letter or a "
	    "digit", id != NULL ? id : "", ICOMM_ID_MAX);
}

/* The path of one of this node's files in the data directory. */
void
icomm_node_path(const struct store *st, const char *file, struct buf *b)
{
	buf_reset(b);
	buf_addf(b, "%s/%s", store_home(st), file);
}

/* Free a node. */
void
icomm_node_free(struct icomm_node *n)
{
	if (n == NULL)
		return;
	free(n->id);
	free(n);
}

/* A self-signed certificate for the key, CN = id, valid for days. */
static int
icomm_node_cert(EVP_PKEY *k, const char *id, unsigned days, X509 **out,
    struct ncen_err *err)
{
	X509		*x;
	X509_NAME	*name;
	X509V3_CTX	 ctx;
	X509_EXTENSION	*ext;
	unsigned char	 serial[16];
	BIGNUM		*bn = NULL;
	static const char *exts[][2] = {
		{ "basicConstraints", "critical,CA:TRUE" },
		{ "keyUsage", "digitalSignature,keyAgreement,keyCertSign" },
		{ "subjectKeyIdentifier", "hash" },
	};
	size_t		 i;

	*out = NULL;
	if ((x = X509_new()) == NULL)
		return icomm_ossl_err(err, "X509_new");
	serial[0] = 0;
	if (RAND_bytes(serial + 1, sizeof serial - 1) != 1 ||
	    (bn = BN_bin2bn(serial, sizeof serial, NULL)) == NULL ||
	    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) == NULL ||
	    X509_set_version(x, 2) != 1 ||
	    X509_gmtime_adj(X509_getm_notBefore(x), -300) == NULL ||
	    X509_gmtime_adj(X509_getm_notAfter(x), (long)days * 86400) ==
	    NULL || X509_set_pubkey(x, k) != 1 ||
	    (name = X509_get_subject_name(x)) == NULL ||
	    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
	    (const unsigned char *)"ncen", -1, -1, 0) != 1 ||
	    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
	    (const unsigned char *)id, -1, -1, 0) != 1 ||
	    X509_set_issuer_name(x, name) != 1)
		goto fail;
	X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
	for (i = 0; i < sizeof exts / sizeof exts[0]; i++) {
		if ((ext = X509V3_EXT_conf(NULL, &ctx, exts[i][0],
		    exts[i][1])) == NULL)
			goto fail;
		if (X509_add_ext(x, ext, -1) != 1) {
			X509_EXTENSION_free(ext);
			goto fail;
		}
		X509_EXTENSION_free(ext);
	}
	if (X509_sign(x, k, EVP_sha256()) == 0)
		goto fail;
	BN_free(bn);
	*out = x;
	return NCEN_OK;
fail:
	BN_free(bn);
	X509_free(x);
	return icomm_ossl_err(err, "making the node certificate");
}

/* Write a PEM file created new with a mode (fails if it exists). */
static int
icomm_node_write(const char *path, mode_t mode, EVP_PKEY *k, X509 *x,
    struct ncen_err *err)
{
	FILE	*f;
	int	 fd, ok;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode)) == -1)
		return ncen_err_set(err, errno == EEXIST ? NCEN_EEXISTS :
		    NCEN_EIO, "%s: %s", path, errno == EEXIST ? "this node "
		    "has an identity already" : strerror(errno));
	if ((f = fdopen(fd, "w")) == NULL) {
		close(fd);
		return ncen_err_set(err, NCEN_EIO, "%s: %s", path,
		    strerror(errno));
	}
	ok = k != NULL ? PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL,
	    NULL) : PEM_write_X509(f, x);
	if (fclose(f) != 0 || ok != 1) {
		unlink(path);
		return icomm_ossl_err(err, "%s: writing", path);
	}
	return NCEN_OK;
}

struct icomm_node_op {
	const char	*actor;
	json_t		*node;
};

/* Store the node's id and role, audited. */
static int
icomm_node_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct icomm_node_op	*op = arg;
	struct buf		 d = BUF_INIT;
	int			 error;

	if ((error = icomm_kv_put_json(t, STORE_KV_STATE, ICOMM_NODE_KEY,
	    strlen(ICOMM_NODE_KEY), op->node, err)) != NCEN_OK)
		return error;
	buf_addf(&d, "node %s, role %s", icomm_json_str(op->node, "id"),
	    icomm_json_str(op->node, "role"));
	error = audit_append(t, op->actor, "icomm.node.init", "", d.s, err);
	buf_free(&d);
	return error;
}

/* Make this node's key, certificate and record. */
int
icomm_node_init(struct store *st, const char *actor, const char *id,
    enum icomm_role role, unsigned days, struct ncen_err *err)
{
	struct icomm_node_op	 op;
	struct buf		 kp = BUF_INIT, cp = BUF_INIT;
	EVP_PKEY		*k = NULL;
	X509			*x = NULL;
	int			 error;

	if ((error = icomm_id_check(id, err)) != NCEN_OK)
		return error;
	if (days == 0 || days > 36500)
		return ncen_err_set(err, NCEN_EUSAGE, "bad validity: 1 to "
		    "36500 days");
	icomm_node_path(st, ICOMM_KEY_FILE, &kp);
	icomm_node_path(st, ICOMM_CERT_FILE, &cp);
	if (access(kp.s, F_OK) == 0 || access(cp.s, F_OK) == 0) {
		error = ncen_err_set(err, NCEN_EEXISTS, "%s: this node has an "
		    "identity already", kp.s);
		goto out;
	}
	if ((k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256")) == NULL) {
		error = icomm_ossl_err(err, "making a P-256 key");
		goto out;
	}
	if ((error = icomm_node_cert(k, id, days, &x, err)) != NCEN_OK ||
	    (error = icomm_node_write(kp.s, 0600, k, NULL, err)) != NCEN_OK)
		goto out;
	if ((error = icomm_node_write(cp.s, 0644, NULL, x, err)) != NCEN_OK) {
		unlink(kp.s);
		goto out;
	}
	op.actor = actor;
	op.node = json_pack("{s:s, s:s, s:I}", "id", id, "role",
	    store_role_name(role), "created", (json_int_t)audit_now());
	if ((error = store_run(st, icomm_node_txn, &op, err)) != NCEN_OK) {
		unlink(kp.s);
		unlink(cp.s);
	}
	json_decref(op.node);
out:
	EVP_PKEY_free(k);
	X509_free(x);
	buf_free(&kp);
	buf_free(&cp);
	return error;
}

/* Read this node's record in a transaction. */
static int
icomm_node_get_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	json_t	**j = arg;

	json_decref(*j);
	*j = NULL;
	return icomm_kv_get_json(t, STORE_KV_STATE, ICOMM_NODE_KEY,
	    strlen(ICOMM_NODE_KEY), 0, j, err);
}

/* This node's id and role; NCEN_ENOTFOUND before `ncenctl node init`. */
int
icomm_node_get(struct store *st, struct icomm_node **np,
    struct ncen_err *err)
{
	json_t			*j = NULL;
	struct icomm_node	*n;
	int			 error;

	*np = NULL;
	error = store_run(st, icomm_node_get_txn, &j, err);
	if (error == NCEN_ENOTFOUND)
		ncen_err_set(err, NCEN_ENOTFOUND, "%s: this node has no "
		    "identity yet (ncenctl node init)", store_home(st));
	if (error != NCEN_OK) {
		json_decref(j);
		return error;
	}
	n = xcalloc(1, sizeof *n);
	n->id = xstrdup(icomm_json_str(j, "id") != NULL ?
	    icomm_json_str(j, "id") : "");
	if (store_role_parse(icomm_json_str(j, "role"), &n->role) != 0)
		n->role = ICOMM_NATIONAL;
	json_decref(j);
	*np = n;
	return NCEN_OK;
}

/* Read this node's key, certificate and id. */
int
icomm_key_load(struct store *st, struct icomm_key *k, struct ncen_err *err)
{
	struct icomm_node	*n = NULL;
	struct buf		 path = BUF_INIT, pem = BUF_INIT;
	BIO			*b;
	int			 error;

	memset(k, 0, sizeof *k);
	if ((error = icomm_node_get(st, &n, err)) != NCEN_OK)
		return error;
	k->id = xstrdup(n->id);
	icomm_node_free(n);
	icomm_node_path(st, ICOMM_KEY_FILE, &path);
	if ((error = icomm_read_file(path.s, 1 << 20, &pem, err)) != NCEN_OK)
		goto out;
	if ((b = BIO_new_mem_buf(pem.s, (int)pem.len)) == NULL ||
	    (k->key = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL)) == NULL) {
		BIO_free(b);
		error = icomm_ossl_err(err, "%s: not a private key", path.s);
		goto out;
	}
	BIO_free(b);
	icomm_node_path(st, ICOMM_CERT_FILE, &path);
	if ((error = icomm_read_file(path.s, 1 << 20, &pem, err)) != NCEN_OK ||
	    (error = icomm_cert_parse(pem.s, &k->cert, err)) != NCEN_OK)
		goto out;
out:
	if (pem.s != NULL)
		OPENSSL_cleanse(pem.s, pem.cap);
	buf_free(&pem);
	buf_free(&path);
	if (error != NCEN_OK)
		icomm_key_free(k);
	return error;
}

/* Free a key's parts. */
void
icomm_key_free(struct icomm_key *k)
{
	EVP_PKEY_free(k->key);
	X509_free(k->cert);
	free(k->id);
	memset(k, 0, sizeof *k);
}
