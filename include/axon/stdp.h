/* Golden STDP arithmetic (docs/spec/plasticity.md): trace decay through the exponential
 * lookup tables, trace increments, and the clamped weight updates. Integer only, so the
 * hardware can implement exactly these operations; the engine calls these functions.
 * Callable from C++ (future RTL testbenches). */
#ifndef AXON_STDP_H
#define AXON_STDP_H

#include <stdint.h>

#include "axon_spec.h"

#ifdef __cplusplus
extern "C" {
#endif

/* 1.0 as a trace (u5.11). */
#define AXON_STDP_TRACE_ONE (1u << AXON_PLAST_TRACE_FRAC_BITS)

/* One decoded rule of a core's plasticity region. */
typedef struct axon_stdp_rule {
    uint32_t timing;          /* AXON_PLAST_TIMING_* */
    uint32_t weight;          /* AXON_PLAST_WEIGHT_* */
    uint32_t w_min, w_max;    /* ring-buffer weight units, w_min <= w_max <= 0xFFFF */
    uint32_t a_plus, a_minus; /* u11.20 amplitudes (<= AXON_PLAST_AMP_MAX) */
    const uint32_t *lut_plus, *lut_minus; /* exp(-dt/tau) for dt = 0..len-1, u1.16 */
    uint32_t lut_plus_len, lut_minus_len;
    uint32_t tau_plus, tau_minus; /* time constants in steps, u16.16 (float64 mode only) */
} axon_stdp_rule;

/* trace x exp(-dt/tau): table entry dt (0 beyond the table), rounded half up. */
static inline uint32_t axon_stdp_decay(uint32_t trace, uint32_t dt, const uint32_t *lut,
                                       uint32_t len)
{
    if (dt >= len)
        return 0;
    return (uint32_t)(((uint64_t)trace * lut[dt] + (1u << (AXON_PLAST_LUT_FRAC_BITS - 1))) >>
                      AXON_PLAST_LUT_FRAC_BITS);
}

/* Additive potentiation by several post spikes at once: x0 times the sum of the table
 * entries of their intervals (u1.16 each, at most 16 of them), rounded half up; up to 20
 * bits (axon_stdp_scale takes it exactly). */
static inline uint32_t axon_stdp_trace_sum(uint32_t x0, uint32_t lut_sum)
{
    return (uint32_t)(((uint64_t)x0 * lut_sum + (1u << (AXON_PLAST_LUT_FRAC_BITS - 1))) >>
                      AXON_PLAST_LUT_FRAC_BITS);
}

/* The trace right after a spike, given its value decayed to the spike time: +1 saturating
 * (all-to-all pairing, SpikePairRule) or reset to 1 (SpikeNearestPairRule). */
static inline uint32_t axon_stdp_trace_spike(uint32_t timing, uint32_t decayed)
{
    if (timing == AXON_PLAST_TIMING_SPIKE_NEAREST_PAIR)
        return AXON_STDP_TRACE_ONE;
    uint32_t v = decayed + AXON_STDP_TRACE_ONE;
    return v > AXON_PLAST_TRACE_MAX ? AXON_PLAST_TRACE_MAX : v;
}

/* Weights are updated in u16.16 during one row update (one rounding per presynaptic
 * spike, at write-back, instead of one per pair: the many small pair terms would otherwise
 * round to 0 and bias the rule). */
#define AXON_STDP_W_FRAC 16u

/* base x amp x trace in u16.16 weight units, rounded half up (exact in 64 bits: 16 + 21 +
 * 20 bits). */
static inline uint64_t axon_stdp_scale(uint32_t base, uint32_t amp, uint32_t trace)
{
    const unsigned sh = AXON_PLAST_AMP_FRAC_BITS + AXON_PLAST_TRACE_FRAC_BITS - AXON_STDP_W_FRAC;
    return ((uint64_t)base * amp * trace + (1ull << (sh - 1))) >> sh;
}

/* Potentiation of w (u16.16) by a pre trace (decayed to the post spike): additive
 * w += A+ w_max x; multiplicative w += A+ (w_max - w) x; clamped to w_max. */
static inline uint32_t axon_stdp_potentiate(const axon_stdp_rule *r, uint32_t w, uint32_t x)
{
    uint32_t top = r->w_max << AXON_STDP_W_FRAC;
    uint64_t d;
    if (r->weight == AXON_PLAST_WEIGHT_ADDITIVE)
        d = axon_stdp_scale(r->w_max, r->a_plus, x);
    else /* (w_max - w) with w's fraction: scale the 16.16 difference, drop 16 bits */
        d = (axon_stdp_scale(top - w, r->a_plus, x) + (1u << (AXON_STDP_W_FRAC - 1))) >>
            AXON_STDP_W_FRAC;
    uint64_t v = (uint64_t)w + d;
    return v > top ? top : (uint32_t)v;
}

/* Depression of w (u16.16) by a post trace (decayed to the pre spike): additive
 * w -= A- w_max y; multiplicative w -= A- (w - w_min) y; clamped to w_min. */
static inline uint32_t axon_stdp_depress(const axon_stdp_rule *r, uint32_t w, uint32_t y)
{
    uint32_t bot = r->w_min << AXON_STDP_W_FRAC;
    uint64_t d;
    if (r->weight == AXON_PLAST_WEIGHT_ADDITIVE)
        d = axon_stdp_scale(r->w_max, r->a_minus, y);
    else
        d = (axon_stdp_scale(w - bot, r->a_minus, y) + (1u << (AXON_STDP_W_FRAC - 1))) >>
            AXON_STDP_W_FRAC;
    return (uint64_t)w < bot + d ? bot : (uint32_t)(w - d);
}

/* The 16-bit weight written back: u16.16 rounded half up. */
static inline uint32_t axon_stdp_round(uint32_t w)
{
    return (w + (1u << (AXON_STDP_W_FRAC - 1))) >> AXON_STDP_W_FRAC;
}

/* Decode rule `k` of a plasticity region (validated). */
static inline void axon_stdp_rule_decode(const uint32_t *region, uint32_t k, axon_stdp_rule *r)
{
    const uint32_t *b = region + AXON_PLAST_REGION_RULE_BASE + k * AXON_PLAST_RULE_WORDS;
    uint32_t f = b[AXON_PRULE_FLAGS];
    r->timing = (f >> AXON_PRULE_FLAG_TIMING_LSB) & AXON_PRULE_FLAG_TIMING_MASK;
    r->weight = (f >> AXON_PRULE_FLAG_WEIGHT_LSB) & AXON_PRULE_FLAG_WEIGHT_MASK;
    r->w_min = b[AXON_PRULE_W_MIN];
    r->w_max = b[AXON_PRULE_W_MAX];
    r->a_plus = b[AXON_PRULE_A_PLUS];
    r->a_minus = b[AXON_PRULE_A_MINUS];
    r->lut_plus = region + b[AXON_PRULE_LUT_PLUS_OFF];
    r->lut_plus_len = b[AXON_PRULE_LUT_PLUS_LEN];
    r->lut_minus = region + b[AXON_PRULE_LUT_MINUS_OFF];
    r->lut_minus_len = b[AXON_PRULE_LUT_MINUS_LEN];
    r->tau_plus = b[AXON_PRULE_TAU_PLUS];
    r->tau_minus = b[AXON_PRULE_TAU_MINUS];
}

/* A rule as the host describes it, before conversion to the region's words. */
typedef struct axon_stdp_params {
    uint32_t timing;            /* AXON_PLAST_TIMING_* */
    uint32_t weight;            /* AXON_PLAST_WEIGHT_* */
    double tau_plus, tau_minus; /* time constants in steps (> 0) */
    double a_plus, a_minus;     /* PyNN A_plus, A_minus (dimensionless, 0..2) */
    uint32_t w_min, w_max;      /* weight bounds in ring-buffer units */
} axon_stdp_params;

/* Build a core's plasticity region for n rules (1..AXON_PLAST_MAX_RULES): rule blocks then
 * the exponential tables. *words is malloc'ed. err (AXON_ERRMSG_LEN, may be NULL) names
 * the offending rule and value. */
int axon_stdp_region(const axon_stdp_params *p, uint32_t n, uint32_t **words,
                     uint32_t *n_words, char *err);

/* Entries of the table of exp(-dt/tau) for tau in steps: the first dt whose entry rounds
 * to 0, at most AXON_PLAST_LUT_MAX_ENTRIES. */
uint32_t axon_stdp_lut_len(double tau);

#ifdef __cplusplus
}
#endif
#endif
