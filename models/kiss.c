#include "axon/kiss.h"

static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void axon_kiss_derive_seed(uint64_t user_seed, uint32_t core_gid, uint32_t out[4])
{
    uint64_t s = user_seed ^ ((uint64_t)core_gid << 32 | 0xA5A5u);
    for (;;) {
        uint64_t a = splitmix64(&s), b = splitmix64(&s);
        out[0] = (uint32_t)a;
        out[1] = (uint32_t)(a >> 32);
        out[2] = (uint32_t)b;
        out[3] = (uint32_t)((b >> 32) % AXON_KISS_C_LIMIT);
        if (axon_kiss_seed_valid(out))
            return;
    }
}
