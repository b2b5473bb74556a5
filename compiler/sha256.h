/* sha256.h: SHA-256 (FIPS 180-4), for revision checksums. */
#ifndef RETORT_SHA256_H
#define RETORT_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct sha256_ctx {
    uint32_t h[8];
    uint64_t len;             /* bytes hashed so far */
    unsigned char block[64];
    size_t fill;              /* bytes waiting in `block` */
} sha256_ctx;

void sha256_init(sha256_ctx *c);
void sha256_update(sha256_ctx *c, const void *data, size_t n);
void sha256_final(sha256_ctx *c, unsigned char digest[32]);
/* The digest of `data` as 64 lowercase hex digits and a NUL. */
void sha256_hex(const void *data, size_t n, char out[65]);

#endif
