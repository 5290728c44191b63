/* SHA-256 (FIPS 180-4), for the scheme digest (lib/util/sha256.c). */
#ifndef JIXIAO_SHA_DIGEST_H
#define JIXIAO_SHA_DIGEST_H

#include <stddef.h>
#include <stdint.h>

typedef struct jxi_sha256 {
    uint32_t h[8];
    uint64_t len;          /* bytes hashed so far */
    unsigned char buf[64]; /* a partial block */
    size_t nbuf;
} jxi_sha256;

void jxi_sha256_init(jxi_sha256 *c);
void jxi_sha256_update(jxi_sha256 *c, const void *data, size_t len);
void jxi_sha256_final(jxi_sha256 *c, unsigned char out[32]);
/* jxi_sha256_final, written as 64 lower-case hex digits and a NUL. */
void jxi_sha256_final_hex(jxi_sha256 *c, char out[65]);
/* The digest of data[0..len) as 64 lower-case hex digits and a NUL. */
void jxi_sha256_hex(const void *data, size_t len, char out[65]);

#endif
