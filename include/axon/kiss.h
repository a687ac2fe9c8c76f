/* The spike-source PRNG: Marsaglia's KISS with a 64-bit multiply-with-carry (the variant
 * sPyNNaker calls mars_kiss64), 4 x 32-bit state {x, y, z, c}. docs/spec/sources.md.
 * Hardware reproduces it exactly: one 32x32->64 multiply, shifts, adds. */
#ifndef AXON_KISS_H
#define AXON_KISS_H

#include <stdint.h>

#include "axon_spec.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct axon_kiss {
    uint32_t x, y, z, c;
} axon_kiss;

static inline uint32_t axon_kiss_next(axon_kiss *k)
{
    k->x = AXON_KISS_MUL_X * k->x + AXON_KISS_ADD_X;
    k->y ^= k->y << 5;
    k->y ^= k->y >> 7;
    k->y ^= k->y << 22;
    uint64_t t = AXON_KISS_MUL_Z * (uint64_t)k->z + k->c;
    k->c = (uint32_t)(t >> 32);
    k->z = (uint32_t)t;
    return k->x + k->y + k->z;
}

/* A seed is valid when y != 0 (the xorshift would stay 0), c < AXON_KISS_C_LIMIT and
 * (z, c) != (0, 0) (the multiply-with-carry would stay 0). */
static inline int axon_kiss_seed_valid(const uint32_t s[4])
{
    return s[1] != 0 && s[3] < AXON_KISS_C_LIMIT && (s[2] | s[3]) != 0;
}

/* Derive a valid per-core seed from a user seed and a core's global index with splitmix64
 * (the host's rule, so a run is reproducible from one number). */
void axon_kiss_derive_seed(uint64_t user_seed, uint32_t core_gid, uint32_t out[4]);

#ifdef __cplusplus
}
#endif
#endif
