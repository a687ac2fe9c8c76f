/* Image validation: every rule of docs/spec/image.md. Nothing executes an image that
 * fails here, so the engine's inner loops need no bounds checks. */
#include "image_internal.h"

#include "axon/kiss.h"
#include "axon/models.h"
#include "errbuf.h"

#include <math.h>

typedef struct vctx {
    axon_image *img;
    uint32_t x, y, core;
    const uint32_t *w;
    uint32_t n;
} vctx;

#define FAIL(v, code, ...) \
    core_fail((v), (code), __VA_ARGS__)

static int core_fail(vctx *v, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#include <stdarg.h>
#include <stdio.h>

static int core_fail(vctx *v, int code, const char *fmt, ...)
{
    char what[AXON_ERRMSG_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return axon_errf(v->img->err, code, "core %u of chip (%u, %u): %s", v->core, v->x, v->y, what);
}

/* Region [off, off+len) must lie inside the core memory and after the header. */
static int region(vctx *v, const char *name, uint32_t off, uint64_t len)
{
    if (off < AXON_CORE_HEADER_WORDS || (uint64_t)off + len > v->n)
        return FAIL(v, AXON_ERR_FORMAT,
                    "%s region [%u, %llu) lies outside the core memory of %u words", name, off,
                    (unsigned long long)off + len, v->n);
    return AXON_OK;
}

static int is_prefix_mask(uint32_t m)
{
    uint32_t inv = ~m;
    return (inv & (inv + 1u)) == 0;
}

static int check_rows(vctx *v, uint32_t e, uint32_t n_neurons)
{
    const uint32_t *h = v->w;
    const uint32_t *mpt = h + h[AXON_CORE_H_MPT_OFF] + e * AXON_SYN_MPT_ENTRY_WORDS;
    const uint32_t *syn = h + h[AXON_CORE_H_SYN_OFF];
    uint32_t syn_words = h[AXON_CORE_H_SYN_WORDS];
    uint32_t shape = mpt[AXON_MPT_W_SHAPE];
    uint32_t n_rows = (shape >> AXON_MPT_SHAPE_N_ROWS_LSB) & AXON_MPT_SHAPE_N_ROWS_MASK;
    uint32_t stride = (shape >> AXON_MPT_SHAPE_STRIDE_LSB) & AXON_MPT_SHAPE_STRIDE_MASK;
    uint32_t base = mpt[AXON_MPT_W_ROW_BASE];
    if (n_rows == 0 || stride == 0)
        return FAIL(v, AXON_ERR_FORMAT, "population table entry %u has %u rows of stride %u", e,
                    n_rows, stride);
    if ((uint64_t)n_rows - 1 > (uint64_t)~mpt[AXON_MPT_W_MASK])
        return FAIL(v, AXON_ERR_FORMAT,
                    "population table entry %u has %u rows but its mask 0x%08X admits only %llu",
                    e, n_rows, mpt[AXON_MPT_W_MASK], (unsigned long long)~mpt[AXON_MPT_W_MASK] + 1);
    if ((uint64_t)base + (uint64_t)n_rows * stride > syn_words)
        return FAIL(v, AXON_ERR_FORMAT,
                    "population table entry %u: rows [%u, %llu) point outside the synaptic "
                    "matrix of %u words",
                    e, base, (unsigned long long)base + (uint64_t)n_rows * stride, syn_words);
    uint32_t n_rules = h[AXON_CORE_H_PLAST_WORDS] ? h[h[AXON_CORE_H_PLAST_OFF]] : 0;
    for (uint32_t r = 0; r < n_rows; r++) {
        const uint32_t *row = syn + base + (uint64_t)r * stride;
        uint32_t ns = (row[0] >> AXON_ROW_N_STATIC_LSB) & AXON_ROW_N_STATIC_MASK;
        uint32_t first = 1; /* word of the first synapse */
        if (row[0] >> AXON_PROW_PLASTIC_LSB & AXON_PROW_PLASTIC_MASK) {
            uint32_t rule = (row[0] >> AXON_PROW_RULE_LSB) & AXON_PROW_RULE_MASK;
            if (row[0] >> AXON_PROW_RESERVED_LSB)
                return FAIL(v, AXON_ERR_FORMAT,
                            "entry %u row %u: reserved plastic header bits set (0x%08X)", e, r,
                            row[0]);
            if (rule >= n_rules)
                return FAIL(v, AXON_ERR_FORMAT,
                            "entry %u row %u is plastic with rule %u but the core has %u rules", e,
                            r, rule, n_rules);
            if (row[AXON_PROW_PRE_TRACE] > AXON_PLAST_TRACE_MAX)
                return FAIL(v, AXON_ERR_FORMAT, "entry %u row %u: presynaptic trace 0x%X > 0x%X",
                            e, r, row[AXON_PROW_PRE_TRACE], AXON_PLAST_TRACE_MAX);
            first = AXON_PLAST_ROW_OVERHEAD;
        } else if (row[0] >> AXON_ROW_RESERVED_LSB) {
            return FAIL(v, AXON_ERR_FORMAT, "entry %u row %u: reserved header bits set (0x%08X)",
                        e, r, row[0]);
        }
        if (stride < first || ns > stride - first)
            return FAIL(v, AXON_ERR_FORMAT,
                        "entry %u row %u holds %u synapses but its stride is %u words", e, r, ns,
                        stride);
        for (uint32_t k = first; k < first + ns; k++) {
            uint32_t sw = row[k];
            uint32_t idx = (sw >> AXON_SYN_INDEX_LSB) & AXON_SYN_INDEX_MASK;
            uint32_t type = (sw >> AXON_SYN_TYPE_LSB) & AXON_SYN_TYPE_MASK;
            if (idx >= n_neurons)
                return FAIL(v, AXON_ERR_FORMAT,
                            "entry %u row %u synapse %u targets neuron %u of a %u-neuron core",
                            e, r, k - first, idx, n_neurons);
            if (type >= AXON_SYN_N_TYPES)
                return FAIL(v, AXON_ERR_FORMAT,
                            "entry %u row %u synapse %u has synapse type %u (max %u)", e, r, k - first,
                            type, AXON_SYN_N_TYPES - 1);
        }
    }
    return AXON_OK;
}

/* The plasticity region (docs/spec/plasticity.md): rules and their lookup tables. */
static int check_plasticity(vctx *v)
{
    const uint32_t *h = v->w;
    uint32_t off = h[AXON_CORE_H_PLAST_OFF], len = h[AXON_CORE_H_PLAST_WORDS];
    if (!len)
        return AXON_OK;
    if (h[AXON_CORE_H_KIND] != AXON_KIND_NEURON)
        return FAIL(v, AXON_ERR_FORMAT, "a plasticity region on a core of kind %u",
                    h[AXON_CORE_H_KIND]);
    int rc = region(v, "plasticity", off, len);
    if (rc)
        return rc;
    const uint32_t *pr = h + off;
    uint32_t n = pr[AXON_PLAST_REGION_N_RULES];
    if (n < 1 || n > AXON_PLAST_MAX_RULES ||
        AXON_PLAST_REGION_RULE_BASE + (uint64_t)n * AXON_PLAST_RULE_WORDS > len)
        return FAIL(v, AXON_ERR_FORMAT,
                    "plasticity region of %u words declares %u rules (allowed 1..%u)", len, n,
                    AXON_PLAST_MAX_RULES);
    uint64_t sum[2] = {0, 0};
    for (uint32_t k = 0; k < n; k++) {
        const uint32_t *b = pr + AXON_PLAST_REGION_RULE_BASE + k * AXON_PLAST_RULE_WORDS;
        uint32_t known = AXON_PRULE_FLAG_TIMING_MASK << AXON_PRULE_FLAG_TIMING_LSB |
                         AXON_PRULE_FLAG_WEIGHT_MASK << AXON_PRULE_FLAG_WEIGHT_LSB;
        if (b[AXON_PRULE_FLAGS] & ~known)
            return FAIL(v, AXON_ERR_FORMAT, "plasticity rule %u: unknown flags 0x%X", k,
                        b[AXON_PRULE_FLAGS]);
        if (b[AXON_PRULE_W_MIN] > b[AXON_PRULE_W_MAX] || b[AXON_PRULE_W_MAX] > AXON_SYN_RING_MAX)
            return FAIL(v, AXON_ERR_FORMAT,
                        "plasticity rule %u: weight bounds [%u, %u] (need w_min <= w_max <= %u)",
                        k, b[AXON_PRULE_W_MIN], b[AXON_PRULE_W_MAX], AXON_SYN_RING_MAX);
        if (b[AXON_PRULE_A_PLUS] > AXON_PLAST_AMP_MAX || b[AXON_PRULE_A_MINUS] > AXON_PLAST_AMP_MAX)
            return FAIL(v, AXON_ERR_FORMAT,
                        "plasticity rule %u: amplitudes 0x%X / 0x%X exceed 0x%X", k,
                        b[AXON_PRULE_A_PLUS], b[AXON_PRULE_A_MINUS], AXON_PLAST_AMP_MAX);
        if (!b[AXON_PRULE_TAU_PLUS] || !b[AXON_PRULE_TAU_MINUS])
            return FAIL(v, AXON_ERR_FORMAT, "plasticity rule %u: a time constant is 0", k);
        for (int m = 0; m < 2; m++) {
            uint32_t lo = b[m ? AXON_PRULE_LUT_MINUS_OFF : AXON_PRULE_LUT_PLUS_OFF];
            uint32_t ll = b[m ? AXON_PRULE_LUT_MINUS_LEN : AXON_PRULE_LUT_PLUS_LEN];
            if (ll < 1 || ll > AXON_PLAST_LUT_MAX_ENTRIES || lo < AXON_PLAST_REGION_RULE_BASE ||
                (uint64_t)lo + ll > len)
                return FAIL(v, AXON_ERR_FORMAT,
                            "plasticity rule %u: %s table [%u, +%u) outside the region of %u "
                            "words or longer than %u",
                            k, m ? "minus" : "plus", lo, ll, len, AXON_PLAST_LUT_MAX_ENTRIES);
            for (uint32_t i = 0; i < ll; i++)
                if (pr[lo + i] > (1u << AXON_PLAST_LUT_FRAC_BITS) ||
                    (i && pr[lo + i] > pr[lo + i - 1]))
                    return FAIL(v, AXON_ERR_FORMAT,
                                "plasticity rule %u: %s table entry %u = 0x%X is above 1.0 or "
                                "not decreasing",
                                k, m ? "minus" : "plus", i, pr[lo + i]);
            /* a table shared with an earlier rule (same offset and length) counts once */
            int shared = 0;
            for (uint32_t q = 0; q < k; q++) {
                const uint32_t *bq = pr + AXON_PLAST_REGION_RULE_BASE + q * AXON_PLAST_RULE_WORDS;
                shared |= bq[m ? AXON_PRULE_LUT_MINUS_OFF : AXON_PRULE_LUT_PLUS_OFF] == lo &&
                          bq[m ? AXON_PRULE_LUT_MINUS_LEN : AXON_PRULE_LUT_PLUS_LEN] == ll;
            }
            if (!shared)
                sum[m] += ll;
        }
    }
    for (int m = 0; m < 2; m++)
        if (sum[m] > AXON_PLAST_LUT_CORE_ENTRIES)
            return FAIL(v, AXON_ERR_FORMAT,
                        "plasticity region: the %s tables of its %u rules hold %llu entries "
                        "(at most %u per core)",
                        m ? "minus" : "plus", n, (unsigned long long)sum[m],
                        AXON_PLAST_LUT_CORE_ENTRIES);
    return AXON_OK;
}

static int check_mpt(vctx *v, uint32_t n_neurons, int rows)
{
    const uint32_t *h = v->w;
    uint32_t n = h[AXON_CORE_H_MPT_N];
    int rc = region(v, "population table", h[AXON_CORE_H_MPT_OFF],
                    (uint64_t)n * AXON_SYN_MPT_ENTRY_WORDS);
    if (rc)
        return rc;
    if (rows && (rc = region(v, "synaptic matrix", h[AXON_CORE_H_SYN_OFF], h[AXON_CORE_H_SYN_WORDS])))
        return rc;
    const uint32_t *mpt = h + h[AXON_CORE_H_MPT_OFF];
    for (uint32_t e = 0; e < n; e++) {
        const uint32_t *m = mpt + e * AXON_SYN_MPT_ENTRY_WORDS;
        uint32_t key = m[AXON_MPT_W_KEY], mask = m[AXON_MPT_W_MASK];
        if (!is_prefix_mask(mask))
            return FAIL(v, AXON_ERR_FORMAT,
                        "population table entry %u: mask 0x%08X is not a prefix mask", e, mask);
        if (key & ~mask)
            return FAIL(v, AXON_ERR_FORMAT,
                        "population table entry %u: key 0x%08X has bits outside mask 0x%08X", e,
                        key, mask);
        if (e > 0) {
            const uint32_t *p = m - AXON_SYN_MPT_ENTRY_WORDS;
            uint32_t prev_end = p[AXON_MPT_W_KEY] | ~p[AXON_MPT_W_MASK];
            if (p[AXON_MPT_W_KEY] >= key || prev_end >= key)
                return FAIL(v, AXON_ERR_FORMAT,
                            "population table entries %u and %u are not sorted and disjoint "
                            "(keys 0x%08X, 0x%08X)",
                            e - 1, e, p[AXON_MPT_W_KEY], key);
        }
        if (rows && (rc = check_rows(v, e, n_neurons)))
            return rc;
    }
    return AXON_OK;
}

static int check_key_base(vctx *v, uint32_t key_base, uint32_t n_keys)
{
    uint32_t span = 1;
    while (span < n_keys)
        span <<= 1;
    if (key_base & (span - 1))
        return FAIL(v, AXON_ERR_FORMAT,
                    "key base 0x%08X overlaps the %u index bits its %u keys need", key_base,
                    __builtin_ctz(span), n_keys);
    return AXON_OK;
}

static int check_neuron_core(vctx *v)
{
    const uint32_t *h = v->w;
    uint32_t n = h[AXON_CORE_H_N_NEURONS];
    const axon_model_info *m = axon_model_by_id(h[AXON_CORE_H_MODEL]);
    if (!m)
        return FAIL(v, AXON_ERR_UNSUPPORTED, "unknown neuron model id %u", h[AXON_CORE_H_MODEL]);
    if (h[AXON_CORE_H_PARAM_WORDS] != m->param_words || h[AXON_CORE_H_STATE_WORDS] != m->state_words)
        return FAIL(v, AXON_ERR_FORMAT,
                    "%s blocks are %u + %u words, header says %u + %u", m->name, m->param_words,
                    m->state_words, h[AXON_CORE_H_PARAM_WORDS], h[AXON_CORE_H_STATE_WORDS]);
    for (uint32_t t = AXON_SYN_N_TYPES; t < AXON_SYN_MAX_TYPES; t++)
        if ((h[AXON_CORE_H_WEIGHT_SHIFT] >> (t * AXON_WEIGHT_SHIFT_BITS)) & 0xFu)
            return FAIL(v, AXON_ERR_FORMAT, "weight shift set for unused synapse type %u", t);
    for (uint32_t t = 0; t < AXON_SYN_N_TYPES; t++) {
        uint32_t s = (h[AXON_CORE_H_WEIGHT_SHIFT] >> (t * AXON_WEIGHT_SHIFT_BITS)) & 0xFu;
        if (s > AXON_SYN_MAX_WEIGHT_SHIFT)
            return FAIL(v, AXON_ERR_FORMAT, "weight shift %u of type %u exceeds %u", s, t,
                        AXON_SYN_MAX_WEIGHT_SHIFT);
    }
    return check_mpt(v, n, 1);
}

static int check_source_array(vctx *v)
{
    const uint32_t *h = v->w;
    uint32_t n = h[AXON_CORE_H_N_NEURONS], len = h[AXON_CORE_H_SRC_WORDS];
    if (len % AXON_SSA_EVENT_WORDS)
        return FAIL(v, AXON_ERR_FORMAT, "spike array of %u words is not whole events", len);
    const uint32_t *ev = h + h[AXON_CORE_H_SRC_OFF];
    for (uint32_t i = 0; i < len; i += AXON_SSA_EVENT_WORDS) {
        if (ev[i + 1] >= n)
            return FAIL(v, AXON_ERR_FORMAT, "spike event %u names source %u of %u", i / 2,
                        ev[i + 1], n);
        if (i && (ev[i] < ev[i - 2] || (ev[i] == ev[i - 2] && ev[i + 1] < ev[i - 1])))
            return FAIL(v, AXON_ERR_FORMAT,
                        "spike events %u and %u are not sorted by (step, index)", i / 2 - 1, i / 2);
    }
    return check_mpt(v, n, 0);
}

static int check_poisson(vctx *v)
{
    const uint32_t *h = v->w;
    uint32_t n = h[AXON_CORE_H_N_NEURONS];
    if (h[AXON_CORE_H_PARAM_WORDS] != AXON_P_POISSON_WORDS)
        return FAIL(v, AXON_ERR_FORMAT, "Poisson blocks are %u words, header says %u",
                    AXON_P_POISSON_WORDS, h[AXON_CORE_H_PARAM_WORDS]);
    if (!axon_kiss_seed_valid(h + AXON_CORE_H_SEED0))
        return FAIL(v, AXON_ERR_FORMAT, "invalid KISS seed {%u, %u, %u, %u}", h[AXON_CORE_H_SEED0],
                    h[AXON_CORE_H_SEED1], h[AXON_CORE_H_SEED2], h[AXON_CORE_H_SEED3]);
    const uint32_t min_l = (uint32_t)(exp(-(double)AXON_POISSON_MAX_LAMBDA) * 4294967296.0);
    const uint32_t *p = h + h[AXON_CORE_H_PARAM_OFF];
    for (uint32_t i = 0; i < n; i++, p += AXON_P_POISSON_WORDS) {
        if (p[AXON_P_POISSON_EXP_MINUS_LAMBDA] < min_l)
            return FAIL(v, AXON_ERR_FORMAT,
                        "source %u: exp(-lambda) = 0x%08X means more than %d spikes per step", i,
                        p[AXON_P_POISSON_EXP_MINUS_LAMBDA], AXON_POISSON_MAX_LAMBDA);
        if (p[AXON_P_POISSON_START_STEP] > p[AXON_P_POISSON_END_STEP])
            return FAIL(v, AXON_ERR_FORMAT, "source %u: start step %u after end step %u", i,
                        p[AXON_P_POISSON_START_STEP], p[AXON_P_POISSON_END_STEP]);
    }
    return check_mpt(v, n, 0);
}

static int check_delay_ext(vctx *v)
{
    const uint32_t *h = v->w;
    uint32_t n = h[AXON_CORE_H_N_NEURONS];
    if (h[AXON_CORE_H_SRC_WORDS] != n)
        return FAIL(v, AXON_ERR_FORMAT, "delay extension needs %u stage masks, has %u words", n,
                    h[AXON_CORE_H_SRC_WORDS]);
    if (h[AXON_CORE_H_MPT_N] != 1)
        return FAIL(v, AXON_ERR_FORMAT,
                    "delay extension needs exactly 1 population table entry, has %u",
                    h[AXON_CORE_H_MPT_N]);
    const uint32_t *masks = h + h[AXON_CORE_H_SRC_OFF];
    for (uint32_t i = 0; i < n; i++)
        if (masks[i] >> AXON_DE_STAGES)
            return FAIL(v, AXON_ERR_FORMAT, "neuron %u: stage mask 0x%X has stages beyond %u", i,
                        masks[i], AXON_DE_STAGES);
    if (!(h[AXON_CORE_H_FLAGS] & AXON_CORE_FLAG_EMIT))
        return FAIL(v, AXON_ERR_FORMAT, "delay extension must emit (flags has no EMIT bit)");
    int rc = check_mpt(v, n, 0);
    if (rc)
        return rc;
    const uint32_t *m = h + h[AXON_CORE_H_MPT_OFF];
    if ((uint64_t)~m[AXON_MPT_W_MASK] + 1 < n)
        return FAIL(v, AXON_ERR_FORMAT, "delay extension's entry covers fewer keys than its %u neurons", n);
    return AXON_OK;
}

static int check_core(vctx *v)
{
    const uint32_t *h = v->w;
    if (v->n < AXON_CORE_HEADER_WORDS)
        return FAIL(v, AXON_ERR_FORMAT, "memory of %u words is shorter than the %u-word header",
                    v->n, AXON_CORE_HEADER_WORDS);
    if (h[AXON_CORE_H_MAGIC] != AXON_CORE_MAGIC)
        return FAIL(v, AXON_ERR_FORMAT, "bad core magic 0x%08X (expected 0x%08X)",
                    h[AXON_CORE_H_MAGIC], AXON_CORE_MAGIC);
    if (h[AXON_CORE_H_VERSION] >> 16 != AXON_SPEC_VERSION_MAJOR ||
        (h[AXON_CORE_H_VERSION] & 0xFFFF) > AXON_SPEC_VERSION_MINOR)
        return FAIL(v, AXON_ERR_FORMAT, "core version %u.%u is not supported",
                    h[AXON_CORE_H_VERSION] >> 16, h[AXON_CORE_H_VERSION] & 0xFFFF);
    uint32_t kind = h[AXON_CORE_H_KIND], n = h[AXON_CORE_H_N_NEURONS];
    if (kind == AXON_KIND_UNUSED)
        return AXON_OK;
    if (kind > AXON_KIND_DELAY_EXT)
        return FAIL(v, AXON_ERR_UNSUPPORTED, "unknown core kind %u", kind);
    if (n < 1 || n > AXON_CORE_MAX_NEURONS)
        return FAIL(v, AXON_ERR_FORMAT, "%u neurons (allowed 1..%u)", n, AXON_CORE_MAX_NEURONS);
    if (h[AXON_CORE_H_REC_INTERVAL] < 1)
        return FAIL(v, AXON_ERR_FORMAT, "recording interval 0");
    int rc = region(v, "recording bitmap", h[AXON_CORE_H_REC_BITMAP_OFF],
                    (uint64_t)AXON_N_REC_VARS * ((n + 31) / 32));
    if (!rc)
        rc = region(v, "parameter", h[AXON_CORE_H_PARAM_OFF],
                    (uint64_t)n * h[AXON_CORE_H_PARAM_WORDS]);
    if (!rc)
        rc = region(v, "state", h[AXON_CORE_H_STATE_OFF], (uint64_t)n * h[AXON_CORE_H_STATE_WORDS]);
    if (!rc)
        rc = region(v, "source", h[AXON_CORE_H_SRC_OFF], h[AXON_CORE_H_SRC_WORDS]);
    if (!rc)
        rc = check_plasticity(v);
    if (rc)
        return rc;
    if (h[AXON_CORE_H_FLAGS] & AXON_CORE_FLAG_EMIT) {
        uint32_t keys = kind == AXON_KIND_DELAY_EXT ? AXON_DE_STAGES << AXON_DE_STAGE_KEY_LSB : n;
        if ((rc = check_key_base(v, h[AXON_CORE_H_KEY_BASE], keys)))
            return rc;
    }
    switch (kind) {
    case AXON_KIND_NEURON: return check_neuron_core(v);
    case AXON_KIND_SOURCE_ARRAY: return check_source_array(v);
    case AXON_KIND_SOURCE_POISSON: return check_poisson(v);
    default: return check_delay_ext(v);
    }
}

static int core_used(const axon_image *img, uint32_t x, uint32_t y, uint32_t c)
{
    const img_core *k = &img->cores[(size_t)img_chip_index(img, x, y) * img->cpc + c];
    return k->n >= AXON_CORE_HEADER_WORDS && k->w[AXON_CORE_H_KIND] != AXON_KIND_UNUSED;
}

static int check_table(axon_image *img, uint32_t x, uint32_t y)
{
    static const int dx[] = AXON_LINK_DX_INIT, dy[] = AXON_LINK_DY_INIT;
    static const char *names[] = AXON_LINK_NAMES_INIT;
    const img_table *t = &img->tables[img_chip_index(img, x, y)];
    if (t->n > AXON_ROUTER_MC_ENTRIES)
        return axon_errf(img->err, AXON_ERR_CAPACITY,
                         "chip (%u, %u): routing table has %u entries (max %u)", x, y, t->n,
                         AXON_ROUTER_MC_ENTRIES);
    for (uint32_t e = 0; e < t->n; e++) {
        uint32_t r = t->e[e].route;
        if (r >> (AXON_ROUTE_CORE_LSB + img->cpc))
            return axon_errf(img->err, AXON_ERR_FORMAT,
                             "chip (%u, %u) routing entry %u: route 0x%06X names a core beyond "
                             "the %u per chip",
                             x, y, e, r, img->cpc);
        for (uint32_t c = 0; c < img->cpc; c++)
            if ((r >> (AXON_ROUTE_CORE_LSB + c) & 1u) && !core_used(img, x, y, c))
                return axon_errf(img->err, AXON_ERR_FORMAT,
                                 "chip (%u, %u) routing entry %u routes to unused core %u", x, y,
                                 e, c);
        if (!(img->flags & AXON_IMAGE_FLAG_WRAP))
            for (int l = 0; l < AXON_ROUTER_LINKS; l++) {
                long nx = (long)x + dx[l], ny = (long)y + dy[l];
                if ((r >> l & 1u) && (nx < 0 || ny < 0 || nx >= img->width || ny >= img->height))
                    return axon_errf(img->err, AXON_ERR_FORMAT,
                                     "chip (%u, %u) routing entry %u sends on link %s, which "
                                     "leaves the machine",
                                     x, y, e, names[l]);
            }
    }
    return AXON_OK;
}

int axon_image_validate(axon_image *img)
{
    img->err[0] = 0;
    for (uint32_t y = 0; y < img->height; y++)
        for (uint32_t x = 0; x < img->width; x++) {
            for (uint32_t c = 0; c < img->cpc; c++) {
                const img_core *k = &img->cores[(size_t)img_chip_index(img, x, y) * img->cpc + c];
                if (!k->n)
                    continue;
                vctx v = {img, x, y, c, k->w, k->n};
                int rc = check_core(&v);
                if (rc)
                    return rc;
            }
            int rc = check_table(img, x, y);
            if (rc)
                return rc;
        }
    return AXON_OK;
}
