/*
 * hmac.c - HMAC-SHA-256 (RFC 2104) over OpenSSL's SHA-256, the digest
 * that names ingested files, and random bytes from the kernel (util.h).
 *
 * The construction is written out rather than taken from OpenSSL's MAC
 * interface so that it reads in a page: H((K ^ opad) || H((K ^ ipad) ||
 * m)), a key longer than the block hashed first.
 */
#define _DEFAULT_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "util/util.h"

#define BLOCK 64 /* SHA-256's block size */

/* SHA-256 of the n parts p[i] (len[i] bytes) into out. */
static void
sha256(const void *const *p, const size_t *len, int n,
       unsigned char out[HL_SHA256_LEN])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned outlen = 0;
	int i;

	if (c == NULL || !EVP_DigestInit_ex(c, EVP_sha256(), NULL))
		hl_oom(0);
	for (i = 0; i < n; i++)
		EVP_DigestUpdate(c, p[i], len[i]);
	EVP_DigestFinal_ex(c, out, &outlen);
	EVP_MD_CTX_free(c);
}

void
hl_hmac_sha256(const void *key, size_t keylen, const void *msg, size_t n,
	       unsigned char out[HL_SHA256_LEN])
{
	unsigned char k[BLOCK], pad[BLOCK], inner[HL_SHA256_LEN];
	const void *part[2];
	size_t len[2];
	int i;

	memset(k, 0, sizeof(k));
	if (keylen > BLOCK) {
		part[0] = key;
		len[0] = keylen;
		sha256(part, len, 1, k);
	} else if (keylen > 0) {
		memcpy(k, key, keylen);
	}
	for (i = 0; i < BLOCK; i++)
		pad[i] = k[i] ^ 0x36;
	part[0] = pad;
	len[0] = BLOCK;
	part[1] = msg;
	len[1] = n;
	sha256(part, len, 2, inner);
	for (i = 0; i < BLOCK; i++)
		pad[i] = k[i] ^ 0x5c;
	part[1] = inner;
	len[1] = sizeof(inner);
	sha256(part, len, 2, out);
	/* the key's traces, which are secret, not left on the stack */
	memset(k, 0, sizeof(k));
	memset(pad, 0, sizeof(pad));
}

int
hl_random_bytes(void *p, size_t n)
{
	unsigned char *b = p;
	size_t got = 0;
	int fd;

	while (got < n) {
		ssize_t r = getrandom(b + got, n - got, 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		got += (size_t)r;
	}
	if (got == n)
		return 0;
	/* a kernel without getrandom(2): its device */
	if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	while (got < n) {
		ssize_t r = read(fd, b + got, n - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	return got == n ? 0 : -1;
}
