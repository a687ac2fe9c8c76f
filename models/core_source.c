/* Spike sources, delay extensions, packet reception and the population-table lookup
 * (docs/spec/sources.md, docs/spec/synapses.md). */
#include "core.h"

#include "axon/golden.h"

#include <string.h>

/* SpikeSourceArray: emit every event of step t; events are sorted by (step, index). */
static void array_update(core *c, uint32_t t)
{
    uint32_t n_rec = 0;
    const uint32_t *ev = c->src;
    while (c->cursor < c->src_n && ev[c->cursor] < t)
        c->cursor += AXON_SSA_EVENT_WORDS; /* events before the first run step never fire */
    while (c->cursor < c->src_n && ev[c->cursor] == t) {
        uint32_t i = ev[c->cursor + 1];
        core_emit(c, i);
        if (c->rec_spk[i])
            c->rec_tmp[n_rec++] = i;
        c->cursor += AXON_SSA_EVENT_WORDS;
    }
    core_rec_block(c, t, c->rec_tmp, n_rec, 0);
}

/* One source's spike count, Knuth's product method (docs/spec/sources.md; axon/golden.h). */
uint32_t axon_poisson_draw(axon_kiss *rng, uint32_t exp_minus_lambda, int *capped)
{
    uint32_t p = 0xFFFFFFFFu, k = 0;
    int cap = 0;
    for (;;) {
        p = axon_mul_uu032(p, axon_kiss_next(rng));
        if (p <= exp_minus_lambda)
            break;
        if (k == AXON_POISSON_MAX_SPIKES_PER_STEP) {
            cap = 1;
            break;
        }
        k++;
    }
    if (capped)
        *capped = cap;
    return k;
}

/* SpikeSourcePoisson: for each active source in index order, Knuth's product method:
 * p = 0xFFFFFFFF; k = 0; loop { p = (p * u) >> 32 (u from KISS); if p <= L stop; k++ }
 * with L = exp(-lambda) in u0.32 and k capped at AXON_POISSON_MAX_SPIKES_PER_STEP. */
static void poisson_update(core *c, uint32_t t)
{
    uint32_t n_rec = 0;
    const size_t n = c->n;
    const int32_t *pl = c->p + AXON_P_POISSON_EXP_MINUS_LAMBDA * n,
                  *ps = c->p + AXON_P_POISSON_START_STEP * n,
                  *pe = c->p + AXON_P_POISSON_END_STEP * n;
    for (uint32_t i = 0; i < c->n; i++) {
        if (t < (uint32_t)ps[i] || t >= (uint32_t)pe[i])
            continue;
        int capped;
        const uint32_t k = axon_poisson_draw(&c->rng, (uint32_t)pl[i], &capped);
        c->cnt[AXON_CNT_CORE_POISSON_CAPPED] += (uint64_t)capped;
        for (uint32_t j = 0; j < k; j++) {
            core_emit(c, i);
            if (c->rec_spk[i])
                c->rec_tmp[n_rec++] = i;
        }
    }
    core_rec_block(c, t, c->rec_tmp, n_rec, 0);
}

/* Delay extension, step t: for stages s = 1..8 re-emit the spikes received at t - 16 s
 * (key_base | (s-1) << 10 | i, once per received spike) for neurons whose stage mask has
 * bit s-1; then clear slot t mod 128, which receives this step's spikes. */
static void delay_update(core *c, uint32_t t)
{
    const uint32_t slots = AXON_DE_BUFFER_SLOTS, n = c->n;
    for (uint32_t s = 1; s <= AXON_DE_STAGES; s++) {
        uint32_t back = s * AXON_DE_STAGE_STEPS;
        if (back > t)
            break;
        const uint8_t *buf = c->de + (size_t)((t - back) % slots) * n;
        for (uint32_t i = 0; i < n; i++)
            if (buf[i] && (c->src[i] >> (s - 1) & 1u))
                for (uint32_t k = 0; k < buf[i]; k++)
                    core_emit(c, (s - 1) << AXON_DE_STAGE_KEY_LSB | i);
    }
    uint8_t *cur = c->de + (size_t)(t % slots) * n;
    for (uint32_t i = 0; i < n; i++)
        cur[i] = 0;
}

void core_source_update(core *c, uint32_t t)
{
    switch (c->kind) {
    case AXON_KIND_SOURCE_ARRAY: array_update(c, t); break;
    case AXON_KIND_SOURCE_POISSON: poisson_update(c, t); break;
    case AXON_KIND_DELAY_EXT: delay_update(c, t); break;
    default: break;
    }
}

void core_update(core *c, uint32_t t)
{
    c->out_n = 0;
    if (c->kind == AXON_KIND_NEURON)
        core_neuron_update(c, t);
    else
        core_source_update(c, t);
}

uint32_t core_lookup(const core *c, uint32_t key)
{
    /* binary search for the last entry whose key <= key (entries sorted, disjoint) */
    uint32_t lo = 0, hi = c->mpt_n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (c->mpt[mid * AXON_SYN_MPT_ENTRY_WORDS + AXON_MPT_W_KEY] <= key)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return CORE_INFO_MISS;
    const uint32_t *e = c->mpt + (lo - 1) * AXON_SYN_MPT_ENTRY_WORDS;
    if ((key & e[AXON_MPT_W_MASK]) != e[AXON_MPT_W_KEY])
        return CORE_INFO_MISS;
    uint32_t id = key & ~e[AXON_MPT_W_MASK];
    uint32_t shape = e[AXON_MPT_W_SHAPE];
    uint32_t n_rows = (shape >> AXON_MPT_SHAPE_N_ROWS_LSB) & AXON_MPT_SHAPE_N_ROWS_MASK;
    uint32_t stride = (shape >> AXON_MPT_SHAPE_STRIDE_LSB) & AXON_MPT_SHAPE_STRIDE_MASK;
    if (c->kind == AXON_KIND_DELAY_EXT)
        return id < c->n ? id : CORE_INFO_INVALID;
    if (c->kind != AXON_KIND_NEURON || id >= n_rows)
        return CORE_INFO_INVALID;
    return e[AXON_MPT_W_ROW_BASE] + id * stride;
}

void core_de_receive(core *c, uint32_t idx, uint32_t t)
{
    uint8_t *b = c->de + (size_t)(t % AXON_DE_BUFFER_SLOTS) * c->n + idx;
    if (*b < 255)
        (*b)++;
}

_Static_assert(CORE_INFO_MISS == AXON_GOLDEN_MPT_MISS && CORE_INFO_INVALID == AXON_GOLDEN_MPT_INVALID,
               "golden lookup results");

uint32_t axon_golden_mpt_lookup(const uint32_t *mpt, uint32_t mpt_n, uint32_t kind, uint32_t n,
                                uint32_t key)
{
    core c;
    memset(&c, 0, sizeof c);
    c.kind = kind;
    c.n = n;
    c.mpt = mpt;
    c.mpt_n = mpt_n;
    return core_lookup(&c, key);
}
