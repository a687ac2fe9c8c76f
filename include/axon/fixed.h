/* Axon fixed-point arithmetic: the exact definition of every operation the hardware does.
 *
 * Formats (docs/spec/arithmetic.md):
 *   s16.15 ("REAL")   int32_t, value = raw / 2^15, range [-65536, 65536 - 2^-15]
 *   u0.32  ("decay")  uint32_t, value = raw / 2^32, range [0, 1 - 2^-32]
 *
 * Rules:
 *   add/sub   two's complement, wrap modulo 2^32 (no saturation), as the RTL adder does;
 *   mul       64-bit exact product, arithmetic shift right (floor, i.e. toward -infinity),
 *             low 32 bits kept (wrap);
 *   conversion from a real number (host side): round to nearest, ties away from zero;
 *             values outside the format's range are an error, never clamped silently,
 *             except u0.32 where exactly 1.0 becomes 0xFFFFFFFF (documented).
 * The compiler must implement >> on negative values as an arithmetic shift (gcc and clang
 * do); a static assertion below checks it. */
#ifndef AXON_FIXED_H
#define AXON_FIXED_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef int32_t axon_s1615;
typedef uint32_t axon_u032;

#define AXON_S1615_ONE ((axon_s1615)1 << 15)
#define AXON_S1615_C(x) ((axon_s1615)((x) * 32768.0 + ((x) >= 0 ? 0.5 : -0.5)))

#ifdef __cplusplus
static_assert((-3 >> 1) == -2, "arithmetic right shift required");
#else
_Static_assert((-3 >> 1) == -2, "arithmetic right shift required");
#endif

/* a + b, wrapping. */
static inline axon_s1615 axon_add(axon_s1615 a, axon_s1615 b)
{
    return (axon_s1615)((uint32_t)a + (uint32_t)b);
}

/* a - b, wrapping. */
static inline axon_s1615 axon_sub(axon_s1615 a, axon_s1615 b)
{
    return (axon_s1615)((uint32_t)a - (uint32_t)b);
}

/* s16.15 x s16.15 -> s16.15: floor(a*b / 2^15), low 32 bits. */
static inline axon_s1615 axon_mul(axon_s1615 a, axon_s1615 b)
{
    return (axon_s1615)(uint32_t)(uint64_t)(((int64_t)a * (int64_t)b) >> 15);
}

/* s16.15 x u0.32 -> s16.15: floor(a*d / 2^32). Never overflows. */
static inline axon_s1615 axon_mul_u032(axon_s1615 a, axon_u032 d)
{
    return (axon_s1615)(((int64_t)a * (int64_t)(uint64_t)d) >> 32);
}

/* u0.32 x u0.32 -> u0.32: floor(a*b / 2^32). */
static inline axon_u032 axon_mul_uu032(axon_u032 a, axon_u032 b)
{
    return (axon_u032)(((uint64_t)a * (uint64_t)b) >> 32);
}

/* floor(a / 2). */
static inline axon_s1615 axon_half(axon_s1615 a)
{
    return a >> 1;
}

/* Real value of a raw word (exact in double). */
static inline double axon_s1615_to_double(axon_s1615 a) { return (double)a / 32768.0; }
static inline double axon_u032_to_double(axon_u032 a) { return (double)a / 4294967296.0; }

/* Host conversions (round to nearest, ties away from zero). Return 0 or AXON_ERR_RANGE
 * (value NaN, infinite or outside the format); *out is untouched on error. */
int axon_s1615_from_double(double v, axon_s1615 *out);
int axon_u032_from_double(double v, axon_u032 *out);

#ifdef __cplusplus
}
#endif
#endif
