/* Mapping a network onto a machine image (docs/hostlib.md#mapping):
 * partition into core slices -> delay extensions -> machine size and placement -> keys ->
 * synaptic matrices and population tables (two passes, no per-synapse records) -> weight
 * shifts -> multicast trees on the hexagonal mesh -> per-chip tables, compressed and
 * verified -> core memories -> image. */
#include "hl_ctx.h"
#include "hl_map.h"

#include "axon/kiss.h"
#include "axon/stdp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>


static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static uint32_t pow2_ceil(uint32_t n)
{
    uint32_t s = 1;
    while (s < n)
        s <<= 1;
    return s;
}

void hl_map_free(hl_map *m)
{
    if (!m)
        return;
    for (uint32_t g = 0; g < m->n_cores; g++) {
        hl_mcore *c = &m->cores[g];
        for (uint32_t e = 0; e < c->n_in; e++)
            free(c->in[e].count);
        free(c->in);
        free(c->syn);
        free(c->masks);
    }
    free(m->cores);
    free(m->slices);
    free(m->pop_first);
    free(m->slice_of);
    free(m->ht_key);
    free(m->ht_val);
    for (uint32_t i = 0; i < m->n_chips; i++) {
        free(m->tables[i].e);
        free(m->tables[i].keep);
        free(m->tables[i].orig);
    }
    free(m->tables);
    for (uint32_t j = 0; m->ploc && j < m->n_ploc; j++) {
        free(m->ploc[j]);
        if (m->learned)
            free(m->learned[j]);
    }
    free(m->ploc);
    free(m->learned);
    free(m);
}

/* ---------------------------------------------------------------- incoming entries */

/* hash (dest gid, source id) -> index into cores[dest].in */
static uint64_t ht_hash(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    return k;
}

static int ht_grow(hl_map *m)
{
    uint64_t ncap = m->ht_cap ? m->ht_cap * 2 : 1024;
    uint64_t *nk = malloc(ncap * sizeof *nk);
    uint32_t *nv = malloc(ncap * sizeof *nv);
    if (!nk || !nv) {
        free(nk);
        free(nv);
        return -1;
    }
    memset(nk, 0xFF, ncap * sizeof *nk);
    for (uint64_t i = 0; i < m->ht_cap; i++)
        if (m->ht_key[i] != UINT64_MAX) {
            uint64_t h = ht_hash(m->ht_key[i]) & (ncap - 1);
            while (nk[h] != UINT64_MAX)
                h = (h + 1) & (ncap - 1);
            nk[h] = m->ht_key[i];
            nv[h] = m->ht_val[i];
        }
    free(m->ht_key);
    free(m->ht_val);
    m->ht_key = nk;
    m->ht_val = nv;
    m->ht_cap = ncap;
    return 0;
}

/* Source id: slice index * 9 + stage (0: direct from the slice, 1..8: its delay extension). */
static hl_in *in_entry(hl_map *m, uint32_t dest, uint32_t src_id, int create)
{
    uint64_t key = (uint64_t)dest << 32 | src_id;
    if (m->ht_cap && m->cache_key == key)
        return &m->cores[dest].in[m->cache_val];
    if (create && (m->ht_n + 1) * 2 > m->ht_cap && ht_grow(m))
        return NULL;
    uint64_t h = m->ht_cap ? ht_hash(key) & (m->ht_cap - 1) : 0;
    while (m->ht_cap && m->ht_key[h] != UINT64_MAX) {
        if (m->ht_key[h] == key) {
            m->cache_key = key;
            m->cache_val = m->ht_val[h];
            return &m->cores[dest].in[m->ht_val[h]];
        }
        h = (h + 1) & (m->ht_cap - 1);
    }
    if (!create)
        return NULL;
    hl_mcore *c = &m->cores[dest];
    hl_in *grown = realloc(c->in, sizeof *grown * (c->n_in + 1));
    if (!grown)
        return NULL;
    c->in = grown;
    hl_in *e = &c->in[c->n_in];
    memset(e, 0, sizeof *e);
    e->src_slice = src_id / 9;
    e->stage = src_id % 9;
    e->n_rows = m->slices[e->src_slice].n;
    e->count = calloc(e->n_rows, sizeof *e->count);
    e->rule = -2;
    if (!e->count)
        return NULL;
    m->ht_key[h] = key;
    m->ht_val[h] = c->n_in;
    m->ht_n++;
    m->cache_key = key;
    m->cache_val = c->n_in;
    c->n_in++;
    return e;
}

/* ---------------------------------------------------------------- partition/place */

uint32_t hl_neurons_per_core(const axon_ctx *ctx)
{
    return ctx->mo.neurons_per_core ? ctx->mo.neurons_per_core : 256;
}

uint32_t hl_slice_count(uint32_t n, uint32_t npc)
{
    return (uint32_t)(((uint64_t)n + npc - 1) / npc);
}

void hl_slice_bounds(uint32_t n, uint32_t npc, uint32_t s, uint32_t *lo, uint32_t *hi)
{
    uint32_t k = hl_slice_count(n, npc);
    *lo = (uint32_t)((uint64_t)n * s / k);
    *hi = (uint32_t)((uint64_t)n * (s + 1) / k);
}

static int partition(axon_ctx *ctx, hl_map *m)
{
    uint32_t npc = hl_neurons_per_core(ctx);
    uint64_t total = 0, n_slices = 0;
    m->pop_first = malloc(sizeof *m->pop_first * (ctx->n_pops + 1));
    if (!m->pop_first)
        return hl_err(ctx, AXON_ERR_NO_MEMORY, "mapping");
    for (uint32_t p = 0; p < ctx->n_pops; p++) {
        m->pop_first[p] = (uint32_t)n_slices;
        n_slices += hl_slice_count(ctx->pops[p].n, npc);
        total += ctx->pops[p].n;
    }
    m->pop_first[ctx->n_pops] = (uint32_t)n_slices;
    m->slices = calloc(n_slices, sizeof *m->slices);
    m->slice_of = malloc(sizeof *m->slice_of * (total ? total : 1));
    m->pop_offset_total = total;
    if (!m->slices || !m->slice_of)
        return hl_err(ctx, AXON_ERR_NO_MEMORY, "mapping %llu slices",
                      (unsigned long long)n_slices);
    uint64_t base = 0;
    for (uint32_t p = 0; p < ctx->n_pops; p++) {
        uint32_t n = ctx->pops[p].n, k = m->pop_first[p + 1] - m->pop_first[p];
        for (uint32_t s = 0; s < k; s++) {
            uint32_t lo, hi;
            hl_slice_bounds(n, npc, s, &lo, &hi);
            hl_slice *sl = &m->slices[m->pop_first[p] + s];
            sl->pop = p;
            sl->lo = lo;
            sl->n = hi - lo;
            sl->de = -1;
            for (uint32_t i = lo; i < hi; i++)
                m->slice_of[base + i] = m->pop_first[p] + s;
        }
        ctx->pops[p].first_neuron = base;
        base += n;
    }
    m->n_slices = (uint32_t)n_slices;
    return AXON_OK;
}

uint32_t hl_delay_steps(const axon_ctx *ctx, double d)
{
    long s = lround(d / ctx->dt);
    return s < 1 ? 1u : (uint32_t)s;
}

uint32_t hl_delay_stage(uint32_t steps)
{
    return steps > AXON_SYN_MAX_CORE_DELAY ? (steps - 1) / AXON_DE_STAGE_STEPS : 0;
}

/* Which slices need a delay extension: any connection from them longer than 16 steps. */
static void mark_delay_extensions(axon_ctx *ctx, hl_map *m)
{
    for (uint32_t j = 0; j < ctx->n_projs; j++) {
        const hl_proj *pj = &ctx->projs[j];
        uint64_t base = ctx->pops[pj->pre].first_neuron;
        for (size_t k = 0; k < pj->c.n; k++)
            if (hl_delay_stage(hl_delay_steps(ctx, pj->c.d[k])))
                m->slices[m->slice_of[base + pj->c.pre[k]]].de = 0;
        /* routes only: the pairs' source ids carry the stage */
        for (size_t k = 0; k < pj->ro_n; k++)
            if ((pj->ro_pairs[k] >> 32) % 9)
                m->slices[m->pop_first[pj->pre] + (pj->ro_pairs[k] >> 32) / 9].de = 0;
    }
}

static int place(axon_ctx *ctx, hl_map *m)
{
    uint32_t cpc = ctx->mo.cores_per_chip ? ctx->mo.cores_per_chip : 16;
    uint32_t n_cores = 0;
    for (uint32_t s = 0; s < m->n_slices; s++)
        n_cores += 1 + (m->slices[s].de == 0);
    uint32_t w = ctx->mo.width, h = ctx->mo.height;
    uint64_t chips_needed = (n_cores + cpc - 1) / cpc;
    if (!w) {
        w = 1;
        while ((uint64_t)w * w < chips_needed)
            w++;
        h = (uint32_t)((chips_needed + w - 1) / w);
        if (h == 0)
            h = 1;
        if (w > AXON_IMAGE_MAX_WIDTH || h > AXON_IMAGE_MAX_HEIGHT)
            return hl_err(ctx, AXON_ERR_CAPACITY,
                          "network too large: %u cores need %llu chips, more than %d x %d",
                          n_cores, (unsigned long long)chips_needed, AXON_IMAGE_MAX_WIDTH,
                          AXON_IMAGE_MAX_HEIGHT);
    } else if ((uint64_t)w * h * cpc < n_cores) {
        return hl_err(ctx, AXON_ERR_CAPACITY,
                      "network too large for the machine: %u cores needed (%u slices of at most "
                      "%u neurons and delay extensions), the %u x %u machine has %u",
                      n_cores, m->n_slices,
                      hl_neurons_per_core(ctx), w, h, w * h * cpc);
    }
    m->w = w;
    m->h = h;
    m->cpc = cpc;
    m->n_chips = w * h;
    m->n_cores = w * h * cpc;
    m->cores = calloc(m->n_cores, sizeof *m->cores);
    m->tables = calloc(m->n_chips, sizeof *m->tables);
    if (!m->cores || !m->tables)
        return hl_err(ctx, AXON_ERR_NO_MEMORY, "machine of %u cores", m->n_cores);
    for (uint32_t g = 0; g < m->n_cores; g++)
        m->cores[g].slice = -1;
    /* slices in order, each followed by its delay extension; keys aligned to their span */
    uint64_t key = 0;
    uint32_t g = 0;
    for (uint32_t s = 0; s < m->n_slices; s++) {
        hl_slice *sl = &m->slices[s];
        const int n_de = sl->de == 0 ? 1 : 0; /* 0 after marking: an extension is needed */
        for (int de = 0; de <= n_de; de++, g++) {
            hl_mcore *c = &m->cores[g];
            c->slice = (int32_t)s;
            c->is_de = de;
            c->span = de ? AXON_DE_STAGES << AXON_DE_STAGE_KEY_LSB : pow2_ceil(sl->n);
            key = (key + c->span - 1) & ~((uint64_t)c->span - 1);
            c->key = (uint32_t)key;
            key += c->span;
            if (de)
                sl->de = (int32_t)g;
            else
                sl->gid = g;
        }
    }
    if (key > 0x100000000ull)
        return hl_err(ctx, AXON_ERR_CAPACITY, "routing keys exhausted (%llu keys needed)",
                      (unsigned long long)key);
    m->used_cores = g;
    return AXON_OK;
}

/* ---------------------------------------------------------------- synaptic matrices */

static int source_of(const axon_ctx *ctx, const hl_map *m, const hl_proj *pj, size_t k,
                     uint32_t *src_id, uint32_t *row, uint32_t *dest, uint32_t *local,
                     uint32_t *delay)
{
    uint32_t s = m->slice_of[ctx->pops[pj->pre].first_neuron + pj->c.pre[k]];
    uint32_t t = m->slice_of[ctx->pops[pj->post].first_neuron + pj->c.post[k]];
    uint32_t d = hl_delay_steps(ctx, pj->c.d[k]);
    uint32_t stage = hl_delay_stage(d);
    *src_id = s * 9 + stage;
    *row = pj->c.pre[k] - m->slices[s].lo;
    *dest = m->slices[t].gid;
    *local = pj->c.post[k] - m->slices[t].lo;
    *delay = d - stage * AXON_DE_STAGE_STEPS;
    return AXON_OK;
}

/* expected spikes per step of a presynaptic neuron, for the weight-shift estimate */
static double spike_prob(const axon_ctx *ctx, const hl_pop *p, uint32_t i)
{
    if (p->m->kind == AXON_KIND_SOURCE_POISSON) {
        double r = p->params[(size_t)i * p->m->n_params];
        return r * ctx->dt / 1000.0;
    }
    return hl_spikes_per_second(ctx) * ctx->dt / 1000.0;
}

static int same_stdp(const hl_proj *a, const hl_proj *b)
{
    const axon_stdp *x = &a->stdp, *y = &b->stdp;
    return a->type == b->type && x->timing == y->timing && x->weight == y->weight &&
           x->tau_plus == y->tau_plus && x->tau_minus == y->tau_minus &&
           x->A_plus == y->A_plus && x->A_minus == y->A_minus && x->w_min == y->w_min &&
           x->w_max == y->w_max;
}

/* The plasticity rule slot of projection j on core c (-1: static), added if new. */
static int rule_slot(axon_ctx *ctx, hl_mcore *c, uint32_t j, int32_t *slot)
{
    const hl_proj *pj = &ctx->projs[j];
    *slot = -1;
    if (!pj->plastic)
        return AXON_OK;
    for (uint32_t r = 0; r < c->n_rules; r++)
        if (same_stdp(&ctx->projs[c->rule_proj[r]], pj)) {
            *slot = (int32_t)r;
            return AXON_OK;
        }
    if (c->n_rules == AXON_PLAST_MAX_RULES)
        return hl_err(ctx, AXON_ERR_CAPACITY,
                      "projection '%s': more than %u different STDP rules (or receptors) onto "
                      "one core of population '%s'",
                      pj->label, AXON_PLAST_MAX_RULES, ctx->pops[pj->post].label);
    c->rule_proj[c->n_rules] = j;
    *slot = (int32_t)c->n_rules++;
    return AXON_OK;
}

static int count_pass(axon_ctx *ctx, hl_map *m)
{
    for (uint32_t j = 0; j < ctx->n_projs; j++) {
        const hl_proj *pj = &ctx->projs[j];
        const hl_pop *pre = &ctx->pops[pj->pre], *post = &ctx->pops[pj->post];
        double scale = post->m->conductance ? AXON_COND_WEIGHT_SCALE : post->m->current_scale;
        for (size_t k = 0; k < pj->c.n; k++) {
            uint32_t src, row, dest, local, d;
            source_of(ctx, m, pj, k, &src, &row, &dest, &local, &d);
            hl_in *e = in_entry(m, dest, src, 1);
            if (!e)
                return hl_err(ctx, AXON_ERR_NO_MEMORY, "synaptic matrix bookkeeping");
            e->count[row]++;
            hl_mcore *c = &m->cores[dest];
            if (pj->plastic || e->rule != -1) {
                int32_t slot;
                int rc = rule_slot(ctx, c, j, &slot);
                if (rc)
                    return rc;
                if (e->rule == -2) {
                    e->rule = slot;
                    e->proj = j;
                } else if (e->rule != slot) {
                    /* one presynaptic neuron selects one row per core: plastic (one rule)
                     * or static */
                    return hl_err(ctx, AXON_ERR_UNSUPPORTED,
                                  "projections '%s' and '%s' both connect '%s' to '%s' with "
                                  "different plasticity (static, or another STDP rule); a "
                                  "source's synapses onto one core must share it",
                                  ctx->projs[e->proj].label, pj->label, pre->label, post->label);
                }
            }
            double w = (pj->plastic ? fmax(pj->c.w[k], pj->stdp.w_max) : pj->c.w[k]) * scale;
            double pr = spike_prob(ctx, pre, pj->c.pre[k]);
            if (!c->mean) {
                uint32_t n = m->slices[c->slice].n;
                c->mean = calloc((size_t)n * 4, sizeof(double));
                if (!c->mean)
                    return hl_err(ctx, AXON_ERR_NO_MEMORY, "weight statistics");
            }
            double *mu = c->mean + (size_t)pj->type * 2 * m->slices[c->slice].n;
            mu[2 * local] += w * pr;
            mu[2 * local + 1] += w * w * pr;
            if (w > c->max_w[pj->type])
                c->max_w[pj->type] = w;
            if (w > 0 && (c->min_w[pj->type] == 0 || w < c->min_w[pj->type]))
                c->min_w[pj->type] = w;
        }
    }
    return AXON_OK;
}

static int cmp_in_key(const void *a, const void *b)
{
    const hl_in *x = a, *y = b;
    return (x->key > y->key) - (x->key < y->key);
}

/* shifts per destination core and type; row strides and offsets; allocate matrices */
static int layout_matrices(axon_ctx *ctx, hl_map *m)
{
    for (uint32_t g = 0; g < m->used_cores; g++) {
        hl_mcore *c = &m->cores[g];
        if (c->is_de)
            continue;
        const hl_slice *sl = &m->slices[c->slice];
        const hl_pop *p = &ctx->pops[sl->pop];
        for (uint32_t t = 0; t < AXON_SYN_N_TYPES && c->mean; t++) {
            double need = c->max_w[t];
            const double *mu = c->mean + (size_t)t * 2 * sl->n;
            const double sigma = hl_ring_sigma(ctx);
            for (uint32_t i = 0; i < sl->n; i++) {
                double est = mu[2 * i] + sigma * sqrt(mu[2 * i + 1]);
                if (est > need)
                    need = est;
            }
            /* smallest shift whose 16-bit range covers need: need * 2^(15-s) <= 0xFFFF */
            uint32_t s = 0;
            while (s < AXON_SYN_MAX_WEIGHT_SHIFT && ldexp(need, 15 - (int)s) > AXON_SYN_RING_MAX)
                s++;
            if (ldexp(c->max_w[t], 15 - (int)s) > AXON_SYN_RING_MAX)
                return hl_err(ctx, AXON_ERR_RANGE,
                              "population '%s': weight %g (%s units) is beyond the largest "
                              "representable input",
                              p->label, c->max_w[t], p->m->conductance ? "uS x 1024" : "model");
            c->shift[t] = s;
            double unit = ldexp(1.0, (int)s - 15);
            if (c->min_w[t] > 0 && c->min_w[t] < unit * 50)
                hl_warn(ctx,
                        "population '%s' slice at %u: %s weights down to %g lose precision "
                        "(weight unit %g; shift %u chosen for inputs up to %g)",
                        p->label, sl->lo, t ? "inhibitory" : "excitatory",
                        c->min_w[t] / (p->m->conductance ? AXON_COND_WEIGHT_SCALE : p->m->current_scale),
                        unit, s, need);
        }
        free(c->mean);
        c->mean = NULL;
        /* entries: keys, strides, offsets; sorted by key */
        for (uint32_t e = 0; e < c->n_in; e++) {
            hl_in *in = &c->in[e];
            const hl_slice *src = &m->slices[in->src_slice];
            uint32_t skey = in->stage ? m->cores[src->de].key : m->cores[src->gid].key;
            in->key = skey | (in->stage ? (in->stage - 1) << AXON_DE_STAGE_KEY_LSB : 0);
            in->mask = ~(pow2_ceil(src->n) - 1);
            uint32_t mx = 0;
            for (uint32_t r = 0; r < in->n_rows; r++)
                mx = in->count[r] > mx ? in->count[r] : mx;
            uint32_t ovh = in->rule >= 0 ? AXON_PLAST_ROW_OVERHEAD : 1;
            if (mx + ovh > AXON_MPT_SHAPE_STRIDE_MASK)
                return hl_err(ctx, AXON_ERR_CAPACITY,
                              "population '%s': a presynaptic neuron has %u synapses on one "
                              "core (max %u)",
                              p->label, mx, AXON_MPT_SHAPE_STRIDE_MASK - ovh);
            in->stride = mx + ovh;
        }
        if (c->n_in) /* population table entries must be sorted by key */
            qsort(c->in, c->n_in, sizeof *c->in, cmp_in_key);
        uint64_t off = 0;
        for (uint32_t e = 0; e < c->n_in; e++) {
            c->in[e].row_base = (uint32_t)off;
            off += (uint64_t)c->in[e].n_rows * c->in[e].stride;
        }
        if (off > 0x7FFFFFFFull)
            return hl_err(ctx, AXON_ERR_CAPACITY, "synaptic matrix of %llu words on one core",
                          (unsigned long long)off);
        c->syn_words = (uint32_t)off;
        c->syn = calloc(off ? off : 1, sizeof *c->syn);
        if (!c->syn)
            return hl_err(ctx, AXON_ERR_NO_MEMORY, "synaptic matrix of %llu words",
                          (unsigned long long)off);
        for (uint32_t e = 0; e < c->n_in; e++) /* counts become write cursors */
            memset(c->in[e].count, 0, sizeof(uint32_t) * c->in[e].n_rows);
    }
    /* the hash table indexes entries before sorting: rebuild it */
    if (m->ht_cap)
        memset(m->ht_key, 0xFF, m->ht_cap * sizeof *m->ht_key);
    m->ht_n = 0;
    m->cache_key = UINT64_MAX;
    for (uint32_t g = 0; g < m->used_cores; g++)
        for (uint32_t e = 0; e < m->cores[g].n_in; e++) {
            uint64_t key = (uint64_t)g << 32 | (m->cores[g].in[e].src_slice * 9 + m->cores[g].in[e].stage);
            uint64_t h = ht_hash(key) & (m->ht_cap - 1);
            while (m->ht_key[h] != UINT64_MAX)
                h = (h + 1) & (m->ht_cap - 1);
            m->ht_key[h] = key;
            m->ht_val[h] = e;
            m->ht_n++;
        }
    return AXON_OK;
}

static int fill_pass(axon_ctx *ctx, hl_map *m)
{
    m->ploc = calloc(ctx->n_projs + 1, sizeof *m->ploc);
    if (!m->ploc)
        return hl_err(ctx, AXON_ERR_NO_MEMORY, "plastic weight locations");
    m->n_ploc = ctx->n_projs;
    for (uint32_t j = 0; j < ctx->n_projs; j++) {
        const hl_proj *pj = &ctx->projs[j];
        const hl_pop *post = &ctx->pops[pj->post];
        double scale = post->m->conductance ? AXON_COND_WEIGHT_SCALE : post->m->current_scale;
        uint32_t *loc = NULL;
        if (pj->plastic && !(loc = m->ploc[j] = malloc(2 * sizeof *loc * (pj->c.n + 1))))
            return hl_err(ctx, AXON_ERR_NO_MEMORY, "plastic weight locations of '%s'", pj->label);
        for (size_t k = 0; k < pj->c.n; k++) {
            uint32_t src, row, dest, local, d, w;
            source_of(ctx, m, pj, k, &src, &row, &dest, &local, &d);
            hl_in *e = in_entry(m, dest, src, 0);
            hl_mcore *c = &m->cores[dest];
            if (axon_weight_to_fixed(pj->c.w[k] * scale, c->shift[pj->type], &w))
                return hl_err(ctx, AXON_ERR_INTERNAL, "weight %g out of range after shift %u",
                              pj->c.w[k], c->shift[pj->type]);
            uint32_t *r = c->syn + e->row_base + (size_t)row * e->stride;
            uint32_t first = e->rule >= 0 ? AXON_PLAST_ROW_OVERHEAD : 1;
            if (loc) {
                loc[2 * k] = dest;
                loc[2 * k + 1] = e->row_base + row * e->stride + first + e->count[row];
            }
            r[first + e->count[row]++] = axon_syn_word(w, d, pj->type, local);
            r[0] = e->count[row];
            if (e->rule >= 0)
                r[0] |= 1u << AXON_PROW_PLASTIC_LSB | (uint32_t)e->rule << AXON_PROW_RULE_LSB;
            if (e->stage) {
                hl_mcore *de = &m->cores[m->slices[e->src_slice].de];
                if (!de->masks) {
                    de->masks = calloc(m->slices[e->src_slice].n, sizeof *de->masks);
                    if (!de->masks)
                        return hl_err(ctx, AXON_ERR_NO_MEMORY, "delay masks");
                }
                de->masks[row] |= 1u << (e->stage - 1);
            }
            m->synapses++;
        }
    }
    return AXON_OK;
}

/* ---------------------------------------------------------------- routes only */

/* The slice (within its population) of every neuron of a population of n. */
static uint32_t *slice_table(uint32_t n, uint32_t npc)
{
    uint32_t *t = malloc(sizeof *t * (n ? n : 1));
    for (uint32_t s = 0, k = hl_slice_count(n, npc); t && s < k; s++) {
        uint32_t lo, hi;
        hl_slice_bounds(n, npc, s, &lo, &hi);
        for (uint32_t i = lo; i < hi; i++)
            t[i] = s;
    }
    return t;
}

/* A pair (source slice and delay stage, target slice) exists exactly when at least one
 * connection has that source slice, delay stage and target slice: the same connections,
 * delays and slices as the full mapping's count pass sees (source_of), so the mapping
 * creates the same population-table entries, hence the same multicast trees. */
int hl_routes_reduce(axon_ctx *ctx, hl_proj *pj)
{
    const uint32_t npc = hl_neurons_per_core(ctx);
    const uint32_t npre = ctx->pops[pj->pre].n, npost = ctx->pops[pj->post].n;
    const uint64_t n_src = (uint64_t)hl_slice_count(npre, npc) * 9;
    const uint64_t n_tgt = hl_slice_count(npost, npc);
    uint32_t *sp = slice_table(npre, npc), *sq = slice_table(npost, npc);
    uint8_t *bits = calloc((size_t)((n_src * n_tgt + 7) / 8), 1);
    int rc = AXON_OK;
    if (!sp || !sq || !bits) {
        rc = hl_err(ctx, AXON_ERR_NO_MEMORY, "projection '%s': slice pairs", pj->label);
        goto out;
    }
    size_t n = 0;
    for (size_t k = 0; k < pj->c.n; k++) {
        uint64_t src = (uint64_t)sp[pj->c.pre[k]] * 9 + hl_delay_stage(hl_delay_steps(ctx, pj->c.d[k]));
        uint64_t b = src * n_tgt + sq[pj->c.post[k]];
        n += !(bits[b >> 3] >> (b & 7) & 1);
        bits[b >> 3] |= (uint8_t)(1u << (b & 7));
    }
    free(pj->ro_pairs);
    pj->ro_pairs = malloc(sizeof *pj->ro_pairs * (n ? n : 1));
    if (!pj->ro_pairs) {
        rc = hl_err(ctx, AXON_ERR_NO_MEMORY, "projection '%s': slice pairs", pj->label);
        goto out;
    }
    pj->ro_n = 0;
    for (uint64_t b = 0; b < n_src * n_tgt; b++)
        if (bits[b >> 3] >> (b & 7) & 1)
            pj->ro_pairs[pj->ro_n++] = (b / n_tgt) << 32 | (b % n_tgt);
    pj->ro = 1;
    pj->ro_npc = npc;
    pj->ro_synapses = pj->c.n;
    hl_conns_free(&pj->c);
out:
    free(sp);
    free(sq);
    free(bits);
    return rc;
}

/* Routes only: the population-table entries (destination core, source id) of every pair,
 * as count_pass creates them from the connections. */
static int routes_only_entries(axon_ctx *ctx, hl_map *m)
{
    for (uint32_t j = 0; j < ctx->n_projs; j++) {
        const hl_proj *pj = &ctx->projs[j];
        if (pj->ro_npc != hl_neurons_per_core(ctx))
            return hl_err(ctx, AXON_ERR_STATE,
                          "projection '%s' kept slice pairs for %u neurons per core, the machine "
                          "now has %u (set the machine before the projections)",
                          pj->label, pj->ro_npc, hl_neurons_per_core(ctx));
        for (size_t k = 0; k < pj->ro_n; k++) {
            uint32_t src = (uint32_t)(pj->ro_pairs[k] >> 32), t = (uint32_t)pj->ro_pairs[k];
            uint32_t src_id = (m->pop_first[pj->pre] + src / 9) * 9 + src % 9;
            if (!in_entry(m, m->slices[m->pop_first[pj->post] + t].gid, src_id, 1))
                return hl_err(ctx, AXON_ERR_NO_MEMORY, "routing entries");
        }
        m->synapses += pj->ro_synapses;
    }
    return AXON_OK;
}

/* ---------------------------------------------------------------- routing */

static const int LDX[6] = AXON_LINK_DX_INIT, LDY[6] = AXON_LINK_DY_INIT;

/* shortest hexagonal displacement (dx, dy), wrapped when the machine is a torus */
static int hops_of(int dx, int dy)
{
    if ((dx >= 0) == (dy >= 0))
        return abs(dx) > abs(dy) ? abs(dx) : abs(dy);
    return abs(dx) + abs(dy);
}

static void best_delta(const hl_map *m, int wrap, int *dx, int *dy)
{
    if (!wrap)
        return;
    int bx = *dx, by = *dy, best = hops_of(*dx, *dy);
    for (int ax = -1; ax <= 1; ax++)
        for (int ay = -1; ay <= 1; ay++) {
            int x = *dx + ax * (int)m->w, y = *dy + ay * (int)m->h;
            if (hops_of(x, y) < best) {
                best = hops_of(x, y);
                bx = x;
                by = y;
            }
        }
    *dx = bx;
    *dy = by;
}

static int add_entry(axon_ctx *ctx, hl_table *t, uint32_t key, uint32_t mask, uint32_t route)
{
    if (t->n == t->cap) {
        uint32_t cap = t->cap ? 2 * t->cap : 16;
        axon_route_entry *e = realloc(t->e, sizeof *e * cap);
        if (!e)
            return hl_err(ctx, AXON_ERR_NO_MEMORY, "routing table");
        t->e = e;
        t->cap = cap;
    }
    t->e[t->n++] = (axon_route_entry){key, mask, route};
    return AXON_OK;
}

/* Route one source core's keys to its destination cores: union of shortest paths
 * (diagonal first, then straight), one entry per chip on the tree except chips where
 * default routing already does the right thing (one input, straight through, no cores). */
static int route_source(axon_ctx *ctx, hl_map *m, uint32_t src_gid, uint32_t key,
                        uint32_t mask, const uint32_t *dests, uint32_t n_dest, uint32_t *route,
                        int *in_link, uint8_t *touched, uint32_t *list)
{
    int wrap = ctx->mo.wrap;
    uint32_t schip = src_gid / m->cpc, sx = schip % m->w, sy = schip / m->w, n_list = 0;
#define TOUCH(ch)                                                                              \
    do {                                                                                       \
        if (!touched[ch]) {                                                                    \
            touched[ch] = 1;                                                                   \
            list[n_list++] = (ch);                                                             \
            route[ch] = 0;                                                                     \
            in_link[ch] = -1;                                                                  \
        }                                                                                      \
    } while (0)
    TOUCH(schip);
    for (uint32_t k = 0; k < n_dest; k++) {
        uint32_t dchip = dests[k] / m->cpc;
        int dx = (int)(dchip % m->w) - (int)sx, dy = (int)(dchip / m->w) - (int)sy;
        best_delta(m, wrap, &dx, &dy);
        int x = (int)sx, y = (int)sy;
        while (dx || dy) {
            int l;
            if (dx > 0 && dy > 0)
                l = AXON_LINK_NE;
            else if (dx < 0 && dy < 0)
                l = AXON_LINK_SW;
            else if (dx > 0)
                l = AXON_LINK_E;
            else if (dx < 0)
                l = AXON_LINK_W;
            else if (dy > 0)
                l = AXON_LINK_N;
            else
                l = AXON_LINK_S;
            uint32_t ch = (uint32_t)y * m->w + (uint32_t)x;
            route[ch] |= 1u << l;
            x = (x + LDX[l] + (int)m->w) % (int)m->w;
            y = (y + LDY[l] + (int)m->h) % (int)m->h;
            dx -= LDX[l];
            dy -= LDY[l];
            uint32_t nc = (uint32_t)y * m->w + (uint32_t)x;
            TOUCH(nc);
            in_link[nc] = (l + 3) % 6;
        }
        route[dchip] |= 1u << (AXON_ROUTE_CORE_LSB + dests[k] % m->cpc);
    }
    for (uint32_t k = 0; k < n_list; k++) {
        uint32_t ch = list[k];
        touched[ch] = 0;
        if (!route[ch])
            continue;
        int straight = ch != schip && in_link[ch] >= 0 && route[ch] == 1u << ((in_link[ch] + 3) % 6);
        m->tables[ch].before++;
        if (straight) {
            hl_table *t = &m->tables[ch];
            t->defaulted++;
            if (t->n_keep == t->cap_keep) {
                t->cap_keep = t->cap_keep ? 2 * t->cap_keep : 8;
                axon_route_entry *k2 = realloc(t->keep, sizeof *k2 * t->cap_keep);
                if (!k2)
                    return hl_err(ctx, AXON_ERR_NO_MEMORY, "routing table");
                t->keep = k2;
            }
            t->keep[t->n_keep++] = (axon_route_entry){key, mask, 0};
            continue;
        }
        int rc = add_entry(ctx, &m->tables[ch], key, mask, route[ch]);
        if (rc)
            return rc;
    }
#undef TOUCH
    return AXON_OK;
}

static int cmp_u32_pair(const void *a, const void *b)
{
    const uint32_t *x = a, *y = b;
    if (x[0] != y[0])
        return x[0] < y[0] ? -1 : 1;
    return (x[1] > y[1]) - (x[1] < y[1]);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Destinations are collected per source: a slice (its keys) or one stage of a delay
 * extension (its keys for that stage), so that a core only receives stages it has rows for. */
static int route_all(axon_ctx *ctx, hl_map *m)
{
    const uint32_t nsrc = m->used_cores * (AXON_DE_STAGES + 1);
    uint32_t **dest = calloc(nsrc, sizeof *dest);
    uint32_t *nd = calloc(nsrc, sizeof *nd), *cap = calloc(nsrc, sizeof *cap);
    uint32_t *route = malloc(sizeof *route * m->n_chips), *list = malloc(sizeof *list * m->n_chips);
    int *in_link = malloc(sizeof *in_link * m->n_chips);
    uint8_t *touched = calloc(m->n_chips, 1);
    int rc = AXON_OK;
    if (!dest || !nd || !cap || !route || !list || !in_link || !touched) {
        rc = hl_err(ctx, AXON_ERR_NO_MEMORY, "routing");
        goto out;
    }
#define ADD_DEST(src, g)                                                                       \
    do {                                                                                       \
        if (nd[src] == cap[src]) {                                                             \
            cap[src] = cap[src] ? 2 * cap[src] : 4;                                            \
            uint32_t *p_ = realloc(dest[src], sizeof *p_ * cap[src]);                          \
            if (!p_) {                                                                         \
                rc = hl_err(ctx, AXON_ERR_NO_MEMORY, "routing");                               \
                goto out;                                                                      \
            }                                                                                  \
            dest[src] = p_;                                                                    \
        }                                                                                      \
        dest[src][nd[src]++] = (g);                                                            \
    } while (0)
    for (uint32_t g = 0; g < m->used_cores; g++) {
        const hl_mcore *c = &m->cores[g];
        for (uint32_t e = 0; e < c->n_in; e++) {
            const hl_slice *s = &m->slices[c->in[e].src_slice];
            uint32_t stage = c->in[e].stage;
            uint32_t src = (stage ? (uint32_t)s->de : s->gid) * (AXON_DE_STAGES + 1) + stage;
            ADD_DEST(src, g);
        }
    }
    /* a slice with a delay extension also sends to it */
    for (uint32_t s = 0; s < m->n_slices; s++)
        if (m->slices[s].de >= 0)
            ADD_DEST(m->slices[s].gid * (AXON_DE_STAGES + 1), (uint32_t)m->slices[s].de);
#undef ADD_DEST
    for (uint32_t src = 0; src < nsrc && !rc; src++) {
        if (!nd[src])
            continue;
        uint32_t g = src / (AXON_DE_STAGES + 1), stage = src % (AXON_DE_STAGES + 1);
        qsort(dest[src], nd[src], sizeof **dest, cmp_u32);
        uint32_t u = 0;
        for (uint32_t k = 0; k < nd[src]; k++)
            if (!u || dest[src][u - 1] != dest[src][k])
                dest[src][u++] = dest[src][k];
        hl_mcore *c = &m->cores[g];
        c->n_dest += u;
        uint32_t key = c->key, mask = ~(c->span - 1);
        if (c->is_de) {
            key |= (stage - 1) << AXON_DE_STAGE_KEY_LSB;
            mask = ~((1u << AXON_DE_STAGE_KEY_LSB) - 1);
        }
        rc = route_source(ctx, m, g, key, mask, dest[src], u, route, in_link, touched, list);
    }
out:
    for (uint32_t s = 0; dest && s < nsrc; s++)
        free(dest[s]);
    free(dest);
    free(nd);
    free(cap);
    free(route);
    free(list);
    free(in_link);
    free(touched);
    return rc;
}

/* ---------------------------------------------------------------- core memories */

/* The core's plasticity region: its rules in steps and ring-buffer weight units. */
static int plasticity_region(axon_ctx *ctx, const hl_mcore *c, uint32_t **out, uint32_t *n)
{
    axon_stdp_params r[AXON_PLAST_MAX_RULES];
    for (uint32_t k = 0; k < c->n_rules; k++) {
        const hl_proj *pj = &ctx->projs[c->rule_proj[k]];
        const hl_pop *post = &ctx->pops[pj->post];
        const axon_stdp *s = &pj->stdp;
        double scale = post->m->conductance ? AXON_COND_WEIGHT_SCALE : post->m->current_scale;
        uint32_t shift = c->shift[pj->type];
        r[k] = (axon_stdp_params){(uint32_t)s->timing, (uint32_t)s->weight,
                                  s->tau_plus / ctx->dt, s->tau_minus / ctx->dt, s->A_plus,
                                  s->A_minus, 0, 0};
        if (axon_weight_to_fixed(s->w_min * scale, shift, &r[k].w_min) ||
            axon_weight_to_fixed(s->w_max * scale, shift, &r[k].w_max))
            return hl_err(ctx, AXON_ERR_RANGE,
                          "projection '%s': STDP w_max = %g does not fit the weight range", pj->label,
                          s->w_max);
    }
    char err[AXON_ERRMSG_LEN];
    int rc = axon_stdp_region(r, c->n_rules, out, n, err);
    if (rc)
        return hl_err(ctx, rc, "projection '%s': %s", ctx->projs[c->rule_proj[0]].label, err);
    return AXON_OK;
}

static int build_core(axon_ctx *ctx, hl_map *m, uint32_t g, axon_image *img)
{
    hl_mcore *c = &m->cores[g];
    const hl_slice *sl = &m->slices[c->slice];
    const hl_pop *p = &ctx->pops[sl->pop];
    axon_core_desc d;
    memset(&d, 0, sizeof d);
    uint32_t *params = NULL, *state = NULL, *mpt = NULL, *src = NULL, *bitmaps = NULL;
    uint32_t *words = NULL, nw = 0, *plast = NULL;
    int rc = AXON_OK;
    d.n_neurons = sl->n;
    d.key_base = c->key;
    d.flags = c->n_dest ? AXON_CORE_FLAG_EMIT : 0;
    d.rec_interval = 1;
    if (c->is_de) {
        d.kind = AXON_KIND_DELAY_EXT;
        d.flags = AXON_CORE_FLAG_EMIT;
        const hl_mcore *sc = &m->cores[sl->gid];
        mpt = calloc(AXON_SYN_MPT_ENTRY_WORDS, sizeof *mpt);
        src = calloc(sl->n, sizeof *src);
        if (!mpt || !src) {
            rc = hl_err(ctx, AXON_ERR_NO_MEMORY, "delay extension");
            goto out;
        }
        mpt[AXON_MPT_W_KEY] = sc->key;
        mpt[AXON_MPT_W_MASK] = ~(sc->span - 1);
        if (c->masks)
            memcpy(src, c->masks, sizeof *src * sl->n);
        d.mpt = mpt;
        d.mpt_n = 1;
        d.src = src;
        d.src_words = sl->n;
        goto assemble;
    }
    /* recording selection: bitmaps per variable; one sampling interval per core (gcd) */
    uint32_t bw = (sl->n + 31) / 32, interval = 0;
    bitmaps = calloc((size_t)AXON_N_REC_VARS * bw + 1, sizeof *bitmaps);
    if (!bitmaps) {
        rc = hl_err(ctx, AXON_ERR_NO_MEMORY, "recording bitmaps");
        goto out;
    }
    for (uint32_t v = 0; v < AXON_N_REC_VARS; v++)
        for (uint32_t i = 0; i < sl->n; i++)
            if (p->rec[v][sl->lo + i]) {
                d.rec_flags |= 1u << v;
                bitmaps[v * bw + i / 32] |= 1u << (i % 32);
                if (v) {
                    uint32_t a = interval, b = p->interval[v];
                    while (b) {
                        uint32_t t = a % b;
                        a = b;
                        b = t;
                    }
                    interval = a;
                }
            }
    d.rec_bitmaps = bitmaps;
    d.rec_interval = interval ? interval : 1;
    c->rec_interval = d.rec_interval;
    if (p->m->kind == AXON_KIND_NEURON) {
        d.kind = AXON_KIND_NEURON;
        d.model = p->m->id;
        d.param_words = p->m->param_words;
        d.state_words = p->m->state_words;
        params = malloc(sizeof *params * sl->n * d.param_words);
        state = malloc(sizeof *state * sl->n * d.state_words);
        mpt = malloc(sizeof *mpt * (c->n_in ? c->n_in : 1) * AXON_SYN_MPT_ENTRY_WORDS);
        if (!params || !state || !mpt) {
            rc = hl_err(ctx, AXON_ERR_NO_MEMORY, "core parameters");
            goto out;
        }
        for (uint32_t i = 0; i < sl->n; i++) {
            char err[AXON_ERRMSG_LEN];
            uint32_t n = sl->lo + i;
            rc = axon_model_convert(p->m, p->params + (size_t)n * p->m->n_params,
                                    p->inits + (size_t)n * p->m->n_inits, ctx->dt,
                                    params + (size_t)i * d.param_words,
                                    state + (size_t)i * d.state_words, err);
            if (rc) {
                hl_err(ctx, rc, "population '%s' neuron %u: %s", p->label, n, err);
                goto out;
            }
        }
        for (uint32_t t = 0; t < AXON_SYN_N_TYPES; t++)
            d.weight_shift[t] = (uint8_t)c->shift[t];
        for (uint32_t e = 0; e < c->n_in; e++) {
            uint32_t *w = mpt + e * AXON_SYN_MPT_ENTRY_WORDS;
            w[AXON_MPT_W_KEY] = c->in[e].key;
            w[AXON_MPT_W_MASK] = c->in[e].mask;
            w[AXON_MPT_W_ROW_BASE] = c->in[e].row_base;
            w[AXON_MPT_W_SHAPE] = c->in[e].stride << AXON_MPT_SHAPE_STRIDE_LSB | c->in[e].n_rows;
        }
        d.params = params;
        d.state = state;
        d.mpt = mpt;
        d.mpt_n = c->n_in;
        d.syn = c->syn;
        d.syn_words = c->syn_words;
        if (c->n_rules && (rc = plasticity_region(ctx, c, &plast, &d.plast_words)))
            goto out;
        d.plast = plast;
    } else if (p->m->kind == AXON_KIND_SOURCE_POISSON) {
        d.kind = AXON_KIND_SOURCE_POISSON;
        d.param_words = AXON_P_POISSON_WORDS;
        params = malloc(sizeof *params * sl->n * AXON_P_POISSON_WORDS);
        if (!params) {
            rc = hl_err(ctx, AXON_ERR_NO_MEMORY, "Poisson parameters");
            goto out;
        }
        for (uint32_t i = 0; i < sl->n; i++) {
            const double *q = p->params + (size_t)(sl->lo + i) * p->m->n_params;
            char err[AXON_ERRMSG_LEN];
            rc = axon_poisson_convert(q[0], q[1], q[2], ctx->dt, params + i * AXON_P_POISSON_WORDS,
                                      err);
            if (rc) {
                hl_err(ctx, rc, "population '%s' source %u: %s", p->label, sl->lo + i, err);
                goto out;
            }
        }
        d.params = params;
        axon_kiss_derive_seed(ctx->seed, g, d.seed);
    } else {
        d.kind = AXON_KIND_SOURCE_ARRAY;
        size_t ne = 0;
        for (uint32_t i = 0; i < sl->n; i++)
            ne += p->n_spike_times[sl->lo + i];
        src = malloc(sizeof *src * 2 * (ne ? ne : 1));
        if (!src) {
            rc = hl_err(ctx, AXON_ERR_NO_MEMORY, "spike array of %zu events", ne);
            goto out;
        }
        size_t k = 0;
        for (uint32_t i = 0; i < sl->n; i++)
            for (size_t j = 0; j < p->n_spike_times[sl->lo + i]; j++) {
                int64_t st = axon_time_to_step(p->spike_times[sl->lo + i][j], ctx->dt);
                if (st > UINT32_MAX - 1)
                    st = UINT32_MAX - 1;
                src[2 * k] = (uint32_t)st;
                src[2 * k + 1] = i;
                k++;
            }
        /* sort events by (step, index) */
        qsort(src, ne, 2 * sizeof *src, cmp_u32_pair);
        d.src = src;
        d.src_words = (uint32_t)(2 * ne);
    }
assemble:
    rc = axon_core_assemble(&d, &words, &nw);
    if (rc) {
        hl_err(ctx, rc, "core %u of population '%s' does not fit a core memory", g, p->label);
        goto out;
    }
    if (nw > m->max_words)
        m->max_words = nw;
    m->total_words += nw;
    rc = axon_image_set_core(img, (g / m->cpc) % m->w, (g / m->cpc) / m->w, g % m->cpc, words, nw);
    if (rc)
        hl_err(ctx, rc, "%s", axon_image_last_error(img));
out:
    free(words);
    free(params);
    free(state);
    free(mpt);
    free(src);
    free(bitmaps);
    free(plast);
    /* the matrix now lives in the image */
    free(c->syn);
    c->syn = NULL;
    return rc;
}

int hl_plastic_weights(axon_ctx *ctx, axon_proj proj, double *w, size_t n)
{
    const hl_map *m = ctx->map;
    const hl_proj *pj = &ctx->projs[proj];
    if (!m || (uint32_t)proj >= m->n_ploc || !m->ploc[proj])
        return AXON_OK;
    if (!ctx->be) { /* ended: the weights saved then, if any */
        if (m->learned && m->learned[proj])
            memcpy(w, m->learned[proj], n * sizeof *w);
        return AXON_OK;
    }
    if (!ctx->backend->syn_weight)
        return hl_err(ctx, AXON_ERR_UNSUPPORTED,
                      "backend '%s' cannot read learned weights (projection '%s')",
                      ctx->backend->name, pj->label);
    const hl_pop *post = &ctx->pops[pj->post];
    double scale = post->m->conductance ? AXON_COND_WEIGHT_SCALE : post->m->current_scale;
    const uint32_t *loc = m->ploc[proj];
    for (size_t k = 0; k < n; k++) {
        uint32_t g = loc[2 * k];
        double units;
        int rc = ctx->backend->syn_weight(ctx->be, (g / m->cpc) % m->w, (g / m->cpc) / m->w,
                                          g % m->cpc, loc[2 * k + 1], &units);
        if (rc)
            return hl_err(ctx, rc, "projection '%s': weight of connection %zu unreadable",
                          pj->label, k);
        w[k] = pj->sign * ldexp(units, (int)m->cores[g].shift[pj->type] - 15) / scale;
    }
    return AXON_OK;
}

void hl_plastic_snapshot(axon_ctx *ctx)
{
    hl_map *m = ctx->map;
    if (!m || !ctx->be || !m->ploc)
        return;
    if (!m->learned && !(m->learned = calloc(m->n_ploc + 1, sizeof *m->learned)))
        return;
    for (uint32_t j = 0; j < m->n_ploc; j++) {
        if (!m->ploc[j])
            continue;
        size_t n = ctx->projs[j].c.n;
        double *w = m->learned[j] ? m->learned[j] : malloc((n + 1) * sizeof *w);
        if (w && hl_plastic_weights(ctx, (axon_proj)j, w, n)) {
            free(w);
            w = NULL;
        }
        m->learned[j] = w;
    }
}

void hl_plastic_forget(axon_ctx *ctx)
{
    hl_map *m = ctx->map;
    if (!m || !m->learned)
        return;
    for (uint32_t j = 0; j < m->n_ploc; j++)
        free(m->learned[j]);
    free(m->learned);
    m->learned = NULL;
}

/* ---------------------------------------------------------------- entry point */

int hl_map_network(axon_ctx *ctx)
{
    if (ctx->map)
        return AXON_OK;
    if (!ctx->n_pops)
        return hl_err(ctx, AXON_ERR_STATE, "the network has no populations");
    double t0 = now_s();
    hl_map *m = calloc(1, sizeof *m);
    if (!m)
        return hl_err(ctx, AXON_ERR_NO_MEMORY, "mapping");
    m->cache_key = UINT64_MAX;
    axon_image *img = NULL;
    int rc = partition(ctx, m);
    if (!rc) {
        mark_delay_extensions(ctx, m);
        rc = place(ctx, m);
    }
    m->routes_only = ctx->routes_only;
    if (!rc)
        rc = m->routes_only ? routes_only_entries(ctx, m) : count_pass(ctx, m);
    if (!rc && !m->routes_only)
        rc = layout_matrices(ctx, m);
    if (!rc && !m->routes_only)
        rc = fill_pass(ctx, m);
    if (!rc)
        rc = route_all(ctx, m);
    double tc = now_s();
    if (!rc)
        rc = hl_compress_tables(ctx, m);
    m->compress_s = now_s() - tc;
    if (!rc && !m->routes_only)
        rc = axon_image_create(&img, m->w, m->h, m->cpc, ctx->mo.wrap ? AXON_IMAGE_FLAG_WRAP : 0,
                               (uint32_t)llround(ctx->dt * 1000.0));
    for (uint32_t g = 0; !rc && !m->routes_only && g < m->used_cores; g++)
        rc = build_core(ctx, m, g, img);
    for (uint32_t ch = 0; !rc && !m->routes_only && ch < m->n_chips; ch++)
        rc = axon_image_set_table(img, ch % m->w, ch / m->w, m->tables[ch].e, m->tables[ch].n);
    if (!rc && !m->routes_only && (rc = axon_image_validate(img)))
        hl_err(ctx, AXON_ERR_INTERNAL, "mapping produced an invalid image: %s",
               axon_image_last_error(img));
    if (rc) {
        axon_image_destroy(img);
        hl_map_free(m);
        return rc;
    }
    /* the report */
    axon_mapping_report *r = &ctx->report;
    memset(r, 0, sizeof *r);
    r->chips_x = m->w;
    r->chips_y = m->h;
    r->cores_per_chip = m->cpc;
    r->cores_used = m->used_cores;
    for (uint32_t p = 0; p < ctx->n_pops; p++)
        r->neurons += ctx->pops[p].n;
    r->synapses = m->synapses;
    for (uint32_t ch = 0; ch < m->n_chips; ch++) {
        r->table_entries_before += m->tables[ch].before;
        r->table_entries_after += m->tables[ch].n;
        if (m->tables[ch].before > r->max_table_before)
            r->max_table_before = m->tables[ch].before;
        if (m->tables[ch].n > r->max_table_after)
            r->max_table_after = m->tables[ch].n;
    }
    for (uint32_t s = 0; s < m->n_slices; s++)
        r->delay_extension_cores += m->slices[s].de >= 0;
    r->max_core_words = m->max_words;
    r->total_words = m->total_words;
    r->map_seconds = now_s() - t0;
    ctx->stats.wall_map_s = r->map_seconds;
    ctx->map = m;
    ctx->img = img;
    return AXON_OK;
}
