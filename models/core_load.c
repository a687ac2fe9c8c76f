/* Loading a validated core memory into the engine's structures; reset; recording writer. */
#include "core.h"

#include <stdlib.h>
#include <string.h>

static void *zalloc(size_t n, size_t size, int *fail)
{
    void *p = calloc(n ? n : 1, size);
    if (!p)
        *fail = 1;
    return p;
}

/* Format letters of each model's blocks (generated): s = s16.15, u = u0.32, i = u32. */
static void model_formats(uint32_t model, const char **pf, const char **sf)
{
#define X(M)                                                                                   \
    case AXON_MODEL_##M:                                                                       \
        *pf = AXON_P_##M##_FMT;                                                                \
        *sf = AXON_S_##M##_FMT;                                                                \
        break;
    switch (model) {
        AXON_MODELS_XLIST(X)
    default:
        *pf = *sf = "";
    }
#undef X
}

/* Float64 mode starts from the exact real value of each fixed-point word. */
static double word_value(uint32_t w, char fmt)
{
    switch (fmt) {
    case 's': return axon_s1615_to_double((int32_t)w);
    case 'u': return axon_u032_to_double(w);
    default: return (double)w;
    }
}

int core_load(core *c, const uint32_t *w, uint32_t n, uint32_t gid, int f64)
{
    int fail = 0;
    memset(c, 0, sizeof *c);
    c->gid = gid;
    c->f64 = f64;
    c->mem = malloc((size_t)n * sizeof *w);
    if (!c->mem)
        return -1;
    memcpy(c->mem, w, (size_t)n * sizeof *w);
    c->mem_n = n;
    const uint32_t *h = c->mem;
    c->kind = h[AXON_CORE_H_KIND];
    if (c->kind == AXON_KIND_UNUSED)
        return 0;
    c->model = h[AXON_CORE_H_MODEL];
    c->n = h[AXON_CORE_H_N_NEURONS];
    c->key_base = h[AXON_CORE_H_KEY_BASE];
    c->emit = (h[AXON_CORE_H_FLAGS] & AXON_CORE_FLAG_EMIT) != 0;
    c->n_keys = c->kind == AXON_KIND_DELAY_EXT ? AXON_DE_STAGES << AXON_DE_STAGE_KEY_LSB : c->n;
    for (int t = 0; t < AXON_SYN_N_TYPES; t++)
        c->shift[t] = core_weight_shift(h[AXON_CORE_H_WEIGHT_SHIFT], (uint32_t)t);
    c->rec_flags = h[AXON_CORE_H_REC_FLAGS];
    c->rec_interval = h[AXON_CORE_H_REC_INTERVAL];
    c->pw = h[AXON_CORE_H_PARAM_WORDS];
    c->sw = h[AXON_CORE_H_STATE_WORDS];
    c->mpt = h + h[AXON_CORE_H_MPT_OFF];
    c->mpt_n = h[AXON_CORE_H_MPT_N];
    c->syn = h + h[AXON_CORE_H_SYN_OFF];
    c->src = h + h[AXON_CORE_H_SRC_OFF];
    c->src_n = h[AXON_CORE_H_SRC_WORDS];

    /* recording selections */
    const uint32_t *bm = h + h[AXON_CORE_H_REC_BITMAP_OFF];
    uint32_t bw = (c->n + 31) / 32;
    c->rec_spk = zalloc(c->n, 1, &fail);
    for (uint32_t v = 0; v < AXON_N_REC_VARS; v++) {
        if (v != AXON_REC_SPIKES)
            c->rec_idx[v] = zalloc(c->n, sizeof(uint32_t), &fail);
        if (fail || !(c->rec_flags & (1u << v)))
            continue;
        for (uint32_t i = 0; i < c->n; i++)
            if (bm[v * bw + i / 32] >> (i % 32) & 1u) {
                if (v == AXON_REC_SPIKES)
                    c->rec_spk[i] = 1;
                else
                    c->rec_idx[v][c->rec_n[v]++] = i;
            }
    }
    c->smp_n = c->rec_n[AXON_REC_V] + c->rec_n[AXON_REC_GSYN_EXC] + c->rec_n[AXON_REC_GSYN_INH];

    size_t nn = c->n;
    if (c->kind == AXON_KIND_NEURON) {
        if (f64) {
            c->pd = zalloc(nn * c->pw, sizeof(double), &fail);
            c->sd = zalloc(nn * c->sw, sizeof(double), &fail);
            c->ind = zalloc(nn * AXON_SYN_N_TYPES, sizeof(double), &fail);
            c->isynd = zalloc(nn, sizeof(double), &fail);
            c->smpd = zalloc(c->smp_n, sizeof(double), &fail);
        } else {
            c->p = zalloc(nn * c->pw, sizeof(int32_t), &fail);
            c->s = zalloc(nn * c->sw, sizeof(int32_t), &fail);
            c->smp = zalloc(c->smp_n, sizeof(int32_t), &fail);
        }
    }
    if (c->kind == AXON_KIND_SOURCE_POISSON)
        c->p = zalloc(nn * c->pw, sizeof(int32_t), &fail);
    if (c->kind == AXON_KIND_DELAY_EXT)
        c->de = zalloc(nn * AXON_DE_BUFFER_SLOTS, 1, &fail);
    c->spk = zalloc(nn, 1, &fail);
    /* recorded spikes of one step: a Poisson source fires up to the cap, an array may
     * repeat an event (sources.md), so at most all its events fall into one step */
    size_t n_tmp = c->kind == AXON_KIND_SOURCE_POISSON ? nn * AXON_POISSON_MAX_SPIKES_PER_STEP
                   : c->kind == AXON_KIND_SOURCE_ARRAY ? nn + c->src_n / AXON_SSA_EVENT_WORDS
                                                       : nn;
    c->rec_tmp = zalloc(n_tmp, sizeof(uint32_t), &fail);
    c->sent = zalloc(c->n_keys, sizeof(uint64_t), &fail);
    if (fail)
        return -1;
    /* parameters: AoS in memory -> SoA */
    const char *pf = NULL, *sf = NULL;
    model_formats(c->model, &pf, &sf);
    const uint32_t *pm = h + h[AXON_CORE_H_PARAM_OFF];
    for (uint32_t i = 0; i < c->n; i++)
        for (uint32_t k = 0; k < c->pw; k++) {
            uint32_t word = pm[(size_t)i * c->pw + k];
            if (c->pd)
                c->pd[k * nn + i] = word_value(word, pf[k]);
            else
                c->p[k * nn + i] = (int32_t)word;
        }
    if (c->kind == AXON_KIND_NEURON && core_plast_load(c))
        return -1;
    core_reset(c);
    return 0;
}

void core_reset(core *c)
{
    if (c->kind == AXON_KIND_UNUSED)
        return;
    const uint32_t *h = c->mem;
    const uint32_t *sm = h + h[AXON_CORE_H_STATE_OFF];
    size_t nn = c->n;
    const char *pf, *sf;
    model_formats(c->model, &pf, &sf);
    for (uint32_t i = 0; i < c->n; i++)
        for (uint32_t k = 0; k < c->sw; k++) {
            uint32_t word = sm[(size_t)i * c->sw + k];
            if (c->sd)
                c->sd[k * nn + i] = word_value(word, sf[k]);
            else if (c->s)
                c->s[k * nn + i] = (int32_t)word;
        }
    for (uint32_t slot = 0; c->rb && slot < AXON_SYN_RING_SLOTS; slot++)
        memset(c->rb + slot * c->rb_stride, 0, core_rb_words(c) * sizeof *c->rb);
    if (c->de)
        memset(c->de, 0, nn * AXON_DE_BUFFER_SLOTS);
    core_plast_reset(c);
    c->cursor = 0;
    c->rng = (axon_kiss){h[AXON_CORE_H_SEED0], h[AXON_CORE_H_SEED1], h[AXON_CORE_H_SEED2],
                         h[AXON_CORE_H_SEED3]};
    c->out_n = 0;
    c->rec_len = 0;
    memset(c->cnt, 0, sizeof c->cnt);
    memset(c->sent, 0, c->n_keys * sizeof *c->sent);
    c->oom = 0;
}

size_t core_rb_words(const core *c)
{
    return c->kind == AXON_KIND_NEURON ? (size_t)c->n * AXON_SYN_N_TYPES : 0;
}

double core_state_value(const core *c, uint32_t i, uint32_t word)
{
    if (c->sd)
        return c->sd[(size_t)word * c->n + i];
    const char *pf, *sf;
    model_formats(c->model, &pf, &sf);
    return word_value((uint32_t)c->s[(size_t)word * c->n + i], sf[word]);
}

void core_set_param_word(core *c, uint32_t i, uint32_t word, uint32_t value)
{
    const char *pf, *sf;
    model_formats(c->model, &pf, &sf);
    if (c->pd)
        c->pd[(size_t)word * c->n + i] = word_value(value, pf[word]);
    else
        c->p[(size_t)word * c->n + i] = (int32_t)value;
}

void core_free(core *c)
{
    free(c->rec_spk);
    for (int v = 0; v < AXON_N_REC_VARS; v++)
        free(c->rec_idx[v]);
    free(c->p);
    free(c->s);
    free(c->pd);
    free(c->sd);
    free(c->mem);
    free(c->ind);
    free(c->isynd);
    free(c->spk);
    free(c->de);
    free(c->out);
    free(c->rec);
    free(c->rec_tmp);
    free(c->smp);
    free(c->smpd);
    free(c->sent);
    core_plast_free(c);
    memset(c, 0, sizeof *c);
}

int core_grow(void **buf, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap : 256;
    while (nc < need)
        nc *= 2;
    void *p = realloc(*buf, nc * elem);
    if (!p)
        return -1;
    *buf = p;
    *cap = nc;
    return 0;
}

void core_emit(core *c, uint32_t local_key)
{
    if (!c->emit)
        return;
    if (c->out_n == c->out_cap) {
        size_t cap = c->out_cap;
        if (core_grow((void **)&c->out, &cap, (size_t)c->out_n + 1, sizeof *c->out)) {
            c->oom = 1;
            return;
        }
        c->out_cap = (uint32_t)cap;
    }
    c->out[c->out_n++] = c->key_base | local_key;
    c->sent[local_key]++;
    c->cnt[AXON_CNT_CORE_SPIKES_OUT]++;
}

void core_rec_block(core *c, uint32_t t, const uint32_t *spk, uint32_t n_spk, int sample)
{
    uint32_t n_state = sample ? c->smp_n : 0;
    /* a block holds at most 0xFFFF spikes: very busy Poisson cores write several */
    const uint32_t chunk = AXON_REC_COUNTS_N_SPIKES_MASK - 1;
    while (n_spk > chunk) {
        core_rec_block(c, t, spk, chunk, 0);
        spk += chunk;
        n_spk -= chunk;
    }
    if (!n_spk && !n_state)
        return;
    size_t words = 2 + (n_spk + 1) / 2 + (size_t)n_state * (c->f64 ? 2 : 1);
    if (core_grow((void **)&c->rec, &c->rec_cap, c->rec_len + words, sizeof *c->rec)) {
        c->oom = 1;
        return;
    }
    uint32_t *w = c->rec + c->rec_len;
    w[AXON_REC_W_TIMESTEP] = t;
    w[AXON_REC_W_COUNTS] = n_spk << AXON_REC_COUNTS_N_SPIKES_LSB |
                           n_state << AXON_REC_COUNTS_N_STATE_LSB;
    w += 2;
    for (uint32_t k = 0; k < n_spk; k += 2)
        *w++ = spk[k] | (k + 1 < n_spk ? spk[k + 1] << 16 : 0u);
    if (n_state && c->f64)
        memcpy(w, c->smpd, (size_t)n_state * sizeof(double));
    else if (n_state)
        memcpy(w, c->smp, (size_t)n_state * sizeof(int32_t));
    c->rec_len += words;
}
