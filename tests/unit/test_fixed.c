/* Fixed-point operations at their edges (docs/spec/arithmetic.md). Expected values are
 * derived here from the mathematical definition (exact integer floor division), not copied
 * from the implementation. */
#include "axon/error.h"
#include "axon/fixed.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>

/* floor(a / 2^k) computed without shifts: exact integer floor division */
static int64_t floor_div_pow2(__int128 a, int k)
{
    __int128 d = (__int128)1 << k;
    __int128 q = a / d;
    if (a % d != 0 && a < 0)
        q -= 1;
    return (int64_t)q;
}

static int32_t wrap32(int64_t v) { return (int32_t)(uint32_t)(uint64_t)v; }

Test(fixed, mul_floors_toward_minus_infinity)
{
    /* -1 LSB x 0.5 = -0.5 LSB -> floor = -1 LSB (rounding toward zero would give 0) */
    cr_assert_eq(axon_mul(-1, AXON_S1615_ONE / 2), -1);
    cr_assert_eq(axon_mul(1, AXON_S1615_ONE / 2), 0);
    /* -1.5 x 1.5 = -2.25 exactly representable */
    cr_assert_eq(axon_mul(-(3 << 14), 3 << 14), -(9 << 13));
    /* 3 LSB x 0.5 = 1.5 LSB -> 1; -3 LSB x 0.5 -> -2 */
    cr_assert_eq(axon_mul(3, 1 << 14), 1);
    cr_assert_eq(axon_mul(-3, 1 << 14), -2);
}

Test(fixed, mul_matches_definition_on_edges)
{
    const int32_t v[] = {0, 1, -1, 2, -2, 3, -3, 16383, 16384, 16385, -16384, -16385, 32767,
                         32768, -32768, 65535, -65536, 1 << 20, -(1 << 20), INT32_MAX,
                         INT32_MIN, INT32_MIN + 1, 0x12345678, -0x12345678, 46341 << 15 >> 15};
    const size_t n = sizeof v / sizeof v[0];
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            int32_t want = wrap32(floor_div_pow2((__int128)v[i] * v[j], 15));
            cr_assert_eq(axon_mul(v[i], v[j]), want, "mul(%d, %d) = %d, expected %d", v[i], v[j],
                         axon_mul(v[i], v[j]), want);
            uint32_t d = (uint32_t)v[j];
            int32_t wu = (int32_t)floor_div_pow2((__int128)v[i] * d, 32);
            cr_assert_eq(axon_mul_u032(v[i], d), wu, "mulu(%d, 0x%08x)", v[i], d);
            uint32_t a = (uint32_t)v[i];
            cr_assert_eq(axon_mul_uu032(a, d), (uint32_t)(((unsigned __int128)a * d) >> 32));
        }
}

Test(fixed, mul_wraps_on_overflow)
{
    /* 256.0 x 256.0 = 65536.0 does not fit s16.15: the low 32 bits are kept */
    int32_t x = 256 << 15;
    cr_assert_eq(axon_mul(x, x), wrap32((int64_t)65536 << 15));
    cr_assert_eq(axon_mul(x, x), INT32_MIN);
}

Test(fixed, mulu_by_nearly_one_floors)
{
    /* d = 1 - 2^-32: positive a shrinks to a-1 (floor), negative a: floor(a - a/2^32) = a - 1 */
    cr_assert_eq(axon_mul_u032(1000, UINT32_MAX), 999);
    cr_assert_eq(axon_mul_u032(-1000, UINT32_MAX), -1000);
    cr_assert_eq(axon_mul_u032(-1, 1u << 31), -1);
    cr_assert_eq(axon_mul_u032(1, 1u << 31), 0);
    cr_assert_eq(axon_mul_u032(INT32_MIN, UINT32_MAX), INT32_MIN); /* -2^31 + 0.5 -> floor */
}

Test(fixed, add_sub_wrap)
{
    cr_assert_eq(axon_add(INT32_MAX, 1), INT32_MIN);
    cr_assert_eq(axon_sub(INT32_MIN, 1), INT32_MAX);
    cr_assert_eq(axon_add(-5, 3), -2);
    cr_assert_eq(axon_sub(3, -5), 8);
}

Test(fixed, half_is_floor)
{
    cr_assert_eq(axon_half(3), 1);
    cr_assert_eq(axon_half(-3), -2);
    cr_assert_eq(axon_half(-1), -1);
    cr_assert_eq(axon_half(INT32_MIN), INT32_MIN / 2);
}

Test(fixed, s1615_conversion_rounds_half_away_from_zero)
{
    axon_s1615 r;
    cr_assert_eq(axon_s1615_from_double(0.5 / 32768.0, &r), AXON_OK);
    cr_assert_eq(r, 1);
    cr_assert_eq(axon_s1615_from_double(-0.5 / 32768.0, &r), AXON_OK);
    cr_assert_eq(r, -1);
    cr_assert_eq(axon_s1615_from_double(1.49 / 32768.0, &r), AXON_OK);
    cr_assert_eq(r, 1);
    cr_assert_eq(axon_s1615_from_double(-65.0, &r), AXON_OK);
    cr_assert_eq(r, -65 * 32768);
    cr_assert_eq(axon_s1615_from_double(-65536.0, &r), AXON_OK);
    cr_assert_eq(r, INT32_MIN);
    cr_assert_eq(axon_s1615_from_double(65535.99996948242, &r), AXON_OK); /* max: 65536 - 2^-15 */
    cr_assert_eq(r, INT32_MAX);
}

Test(fixed, s1615_conversion_rejects_out_of_range)
{
    axon_s1615 r = 1234;
    cr_assert_eq(axon_s1615_from_double(65536.0, &r), AXON_ERR_RANGE);
    cr_assert_eq(axon_s1615_from_double(-65536.00002, &r), AXON_ERR_RANGE);
    cr_assert_eq(axon_s1615_from_double(NAN, &r), AXON_ERR_RANGE);
    cr_assert_eq(axon_s1615_from_double(INFINITY, &r), AXON_ERR_RANGE);
    cr_assert_eq(r, 1234, "output untouched on error");
}

Test(fixed, u032_conversion)
{
    axon_u032 r;
    cr_assert_eq(axon_u032_from_double(0.5, &r), AXON_OK);
    cr_assert_eq(r, 1u << 31);
    cr_assert_eq(axon_u032_from_double(1.0, &r), AXON_OK);
    cr_assert_eq(r, UINT32_MAX, "1.0 saturates to the largest fraction");
    cr_assert_eq(axon_u032_from_double(0.5 / 4294967296.0, &r), AXON_OK);
    cr_assert_eq(r, 1u, "ties away from zero");
    cr_assert_eq(axon_u032_from_double(exp(-0.05), &r), AXON_OK);
    cr_assert_eq(r, (uint32_t)llround(exp(-0.05) * 4294967296.0));
    cr_assert_eq(axon_u032_from_double(-1e-12, &r), AXON_ERR_RANGE);
    cr_assert_eq(axon_u032_from_double(1.0000001, &r), AXON_ERR_RANGE);
    cr_assert_eq(axon_u032_from_double(NAN, &r), AXON_ERR_RANGE);
}

Test(fixed, to_double_is_exact)
{
    cr_assert_eq(axon_s1615_to_double(-1), -1.0 / 32768.0);
    cr_assert_eq(axon_s1615_to_double(INT32_MIN), -65536.0);
    cr_assert_eq(axon_u032_to_double(UINT32_MAX), 1.0 - 1.0 / 4294967296.0);
}

Test(errors, strerror_names_every_code)
{
    for (int c = AXON_OK; c >= AXON_ERR_INTERNAL; c--)
        cr_assert_str_neq(axon_strerror(c), "unknown error", "code %d", c);
    cr_assert_str_eq(axon_strerror(-999), "unknown error");
}
