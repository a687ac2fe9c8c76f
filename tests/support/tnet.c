#include "tnet.h"

#include "axon/kiss.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct tconn {
    uint32_t key_base, n_pre;
    int rule; /* plasticity rule of its rows, -1 static */
    tnet_syn *syn;
    uint32_t n, cap;
} tconn;

typedef struct tcore {
    int used;
    axon_core_desc d;
    uint32_t *params, *state, *src;
    tconn *conn;
    uint32_t n_conn;
    uint32_t *plast; /* plasticity region */
} tcore;

struct tnet {
    uint32_t w, h, cpc, flags;
    double dt;
    tcore *cores;
    axon_route_entry **tab;
    uint32_t *tab_n;
};

tnet *tnet_new(uint32_t width, uint32_t height, uint32_t cpc, double dt_ms, uint32_t flags)
{
    tnet *t = calloc(1, sizeof *t);
    t->w = width;
    t->h = height;
    t->cpc = cpc;
    t->flags = flags;
    t->dt = dt_ms;
    t->cores = calloc((size_t)width * height * cpc, sizeof *t->cores);
    t->tab = calloc((size_t)width * height, sizeof *t->tab);
    t->tab_n = calloc((size_t)width * height, sizeof *t->tab_n);
    return t;
}

void tnet_free(tnet *t)
{
    if (!t)
        return;
    for (uint32_t g = 0; g < t->w * t->h * t->cpc; g++) {
        tcore *c = &t->cores[g];
        free(c->params);
        free(c->state);
        free(c->src);
        free(c->plast);
        for (uint32_t k = 0; k < c->n_conn; k++)
            free(c->conn[k].syn);
        free(c->conn);
    }
    for (uint32_t i = 0; i < t->w * t->h; i++)
        free(t->tab[i]);
    free(t->tab);
    free(t->tab_n);
    free(t->cores);
    free(t);
}

double tnet_dt(const tnet *t) { return t->dt; }

static int gid_of(const tnet *t, uint32_t x, uint32_t y, uint32_t c)
{
    return (int)((y * t->w + x) * t->cpc + c);
}

uint32_t tnet_key_base(const tnet *t, int gid) { return t->cores[gid].d.key_base; }

int tnet_neurons(tnet *t, uint32_t x, uint32_t y, uint32_t c, const char *model, uint32_t n,
                 const double *params, const double *inits, uint32_t key_base,
                 uint32_t rec_flags, uint32_t rec_interval)
{
    const axon_model_info *m = axon_model_find(model);
    if (!m || m->kind != AXON_KIND_NEURON)
        return AXON_ERR_NOT_FOUND;
    int g = gid_of(t, x, y, c);
    tcore *k = &t->cores[g];
    k->used = 1;
    k->params = calloc((size_t)n * m->param_words + 1, sizeof(uint32_t));
    k->state = calloc((size_t)n * m->state_words + 1, sizeof(uint32_t));
    double defp[32], defi[32];
    for (uint32_t i = 0; i < m->n_params; i++)
        defp[i] = m->params[i].def;
    for (uint32_t i = 0; i < m->n_inits; i++)
        defi[i] = m->inits[i].def;
    for (uint32_t i = 0; i < n; i++) {
        int rc = axon_model_convert(m, params ? params + (size_t)i * m->n_params : defp,
                                    inits ? inits + (size_t)i * m->n_inits : defi, t->dt,
                                    k->params + (size_t)i * m->param_words,
                                    k->state + (size_t)i * m->state_words, NULL);
        if (rc)
            return rc;
    }
    k->d = (axon_core_desc){.kind = AXON_KIND_NEURON, .model = m->id, .n_neurons = n,
                            .key_base = key_base, .flags = AXON_CORE_FLAG_EMIT,
                            .rec_flags = rec_flags, .rec_interval = rec_interval,
                            .param_words = m->param_words, .state_words = m->state_words};
    return g;
}

int tnet_neurons_uniform(tnet *t, uint32_t x, uint32_t y, uint32_t c, const char *model,
                         uint32_t n, const double *params, const double *inits,
                         uint32_t key_base, uint32_t rec_flags, uint32_t rec_interval)
{
    const axon_model_info *m = axon_model_find(model);
    if (!m)
        return AXON_ERR_NOT_FOUND;
    double *p = malloc(sizeof(double) * n * (m->n_params + 1));
    double *s = malloc(sizeof(double) * n * (m->n_inits + 1));
    for (uint32_t i = 0; i < n; i++) {
        for (uint32_t k = 0; k < m->n_params; k++)
            p[i * m->n_params + k] = params ? params[k] : m->params[k].def;
        for (uint32_t k = 0; k < m->n_inits; k++)
            s[i * m->n_inits + k] = inits ? inits[k] : m->inits[k].def;
    }
    int rc = tnet_neurons(t, x, y, c, model, n, p, s, key_base, rec_flags, rec_interval);
    free(p);
    free(s);
    return rc;
}

void tnet_weight_shift(tnet *t, int gid, uint32_t type, uint32_t shift)
{
    t->cores[gid].d.weight_shift[type] = (uint8_t)shift;
}

static int cmp_ev(const void *a, const void *b)
{
    const uint32_t *x = a, *y = b;
    if (x[0] != y[0])
        return x[0] < y[0] ? -1 : 1;
    return (x[1] > y[1]) - (x[1] < y[1]);
}

int tnet_array(tnet *t, uint32_t x, uint32_t y, uint32_t c, uint32_t n, const uint32_t *events,
               uint32_t n_events, uint32_t key_base, uint32_t rec_flags)
{
    int g = gid_of(t, x, y, c);
    tcore *k = &t->cores[g];
    k->used = 1;
    k->src = malloc(sizeof(uint32_t) * 2 * n_events + 4);
    memcpy(k->src, events, sizeof(uint32_t) * 2 * n_events);
    qsort(k->src, n_events, 2 * sizeof(uint32_t), cmp_ev);
    k->d = (axon_core_desc){.kind = AXON_KIND_SOURCE_ARRAY, .n_neurons = n, .key_base = key_base,
                            .flags = AXON_CORE_FLAG_EMIT, .rec_flags = rec_flags,
                            .rec_interval = 1, .src_words = 2 * n_events};
    return g;
}

int tnet_poisson(tnet *t, uint32_t x, uint32_t y, uint32_t c, uint32_t n, double rate_hz,
                 double start_ms, double duration_ms, uint64_t seed, uint32_t key_base,
                 uint32_t rec_flags)
{
    int g = gid_of(t, x, y, c);
    tcore *k = &t->cores[g];
    k->used = 1;
    k->params = malloc(sizeof(uint32_t) * AXON_P_POISSON_WORDS * n);
    for (uint32_t i = 0; i < n; i++) {
        int rc = axon_poisson_convert(rate_hz, start_ms, duration_ms, t->dt,
                                      k->params + i * AXON_P_POISSON_WORDS, NULL);
        if (rc)
            return rc;
    }
    k->d = (axon_core_desc){.kind = AXON_KIND_SOURCE_POISSON, .n_neurons = n,
                            .key_base = key_base, .flags = AXON_CORE_FLAG_EMIT,
                            .rec_flags = rec_flags, .rec_interval = 1,
                            .param_words = AXON_P_POISSON_WORDS};
    axon_kiss_derive_seed(seed, (uint32_t)g, k->d.seed);
    return g;
}

int tnet_delay_ext(tnet *t, uint32_t x, uint32_t y, uint32_t c, int src_gid, uint32_t key_base,
                   const uint32_t *stage_masks)
{
    int g = gid_of(t, x, y, c);
    tcore *k = &t->cores[g];
    const tcore *s = &t->cores[src_gid];
    uint32_t n = s->d.n_neurons;
    k->used = 1;
    k->src = malloc(sizeof(uint32_t) * n);
    memcpy(k->src, stage_masks, sizeof(uint32_t) * n);
    k->d = (axon_core_desc){.kind = AXON_KIND_DELAY_EXT, .n_neurons = n, .key_base = key_base,
                            .flags = AXON_CORE_FLAG_EMIT, .rec_interval = 1, .src_words = n};
    /* listen to the source's keys */
    uint32_t span = 1;
    while (span < n)
        span <<= 1;
    k->conn = calloc(1, sizeof *k->conn);
    k->n_conn = 1;
    k->conn[0].key_base = s->d.key_base;
    k->conn[0].n_pre = span;
    k->conn[0].rule = -1;
    return g;
}

int tnet_connect(tnet *t, int src_gid, int dst_gid, const tnet_syn *syn, uint32_t n,
                 uint32_t key_base, uint32_t n_pre)
{
    tcore *d = &t->cores[dst_gid];
    uint32_t kb = key_base ? key_base : t->cores[src_gid].d.key_base;
    uint32_t np = n_pre ? n_pre : t->cores[src_gid].d.n_neurons;
    tconn *cn = NULL;
    for (uint32_t k = 0; k < d->n_conn; k++)
        if (d->conn[k].key_base == kb)
            cn = &d->conn[k];
    if (!cn) {
        d->conn = realloc(d->conn, sizeof *d->conn * (d->n_conn + 1));
        cn = &d->conn[d->n_conn++];
        *cn = (tconn){kb, np, -1, NULL, 0, 0};
    }
    if (cn->n + n > cn->cap) {
        cn->cap = (cn->n + n) * 2;
        cn->syn = realloc(cn->syn, sizeof *cn->syn * cn->cap);
    }
    if (n)
        memcpy(cn->syn + cn->n, syn, sizeof *syn * n);
    cn->n += n;
    if (np > cn->n_pre)
        cn->n_pre = np;
    return AXON_OK;
}

int tnet_route(tnet *t, uint32_t x, uint32_t y, uint32_t key, uint32_t mask, uint32_t route)
{
    uint32_t chip = y * t->w + x;
    t->tab[chip] = realloc(t->tab[chip], sizeof **t->tab * (t->tab_n[chip] + 1));
    t->tab[chip][t->tab_n[chip]++] = (axon_route_entry){key, mask, route};
    return AXON_OK;
}

static int cmp_conn(const void *a, const void *b)
{
    const tconn *x = a, *y = b;
    return (x->key_base > y->key_base) - (x->key_base < y->key_base);
}

/* rows: one per presynaptic index, stride = 1 + longest row */
static void build_matrix(tcore *k, uint32_t **mpt_out, uint32_t **syn_out, uint32_t *syn_words)
{
    if (k->n_conn)
        qsort(k->conn, k->n_conn, sizeof *k->conn, cmp_conn);
    uint32_t *mpt = calloc((size_t)k->n_conn * 4 + 1, sizeof *mpt);
    size_t total = 0;
    uint32_t **len = calloc(k->n_conn + 1, sizeof *len);
    uint32_t *stride = calloc(k->n_conn + 1, sizeof *stride);
    for (uint32_t c = 0; c < k->n_conn; c++) {
        tconn *cn = &k->conn[c];
        len[c] = calloc(cn->n_pre, sizeof **len);
        for (uint32_t s = 0; s < cn->n; s++)
            len[c][cn->syn[s].pre]++;
        uint32_t mx = 0;
        for (uint32_t p = 0; p < cn->n_pre; p++)
            mx = len[c][p] > mx ? len[c][p] : mx;
        uint32_t ovh = cn->rule >= 0 ? AXON_PLAST_ROW_OVERHEAD : 1;
        stride[c] = k->d.kind == AXON_KIND_NEURON ? mx + ovh : 0;
        total += (size_t)stride[c] * cn->n_pre;
    }
    uint32_t *syn = calloc(total + 1, sizeof *syn);
    size_t base = 0;
    for (uint32_t c = 0; c < k->n_conn; c++) {
        tconn *cn = &k->conn[c];
        uint32_t span = 1;
        while (span < cn->n_pre)
            span <<= 1;
        mpt[c * 4 + AXON_MPT_W_KEY] = cn->key_base;
        mpt[c * 4 + AXON_MPT_W_MASK] = ~(span - 1);
        mpt[c * 4 + AXON_MPT_W_ROW_BASE] = k->d.kind == AXON_KIND_NEURON ? (uint32_t)base : 0;
        mpt[c * 4 + AXON_MPT_W_SHAPE] = k->d.kind == AXON_KIND_NEURON
                                            ? (stride[c] << AXON_MPT_SHAPE_STRIDE_LSB | cn->n_pre)
                                            : 0;
        if (k->d.kind == AXON_KIND_NEURON) {
            for (uint32_t s = 0; s < cn->n; s++) {
                const tnet_syn *sy = &cn->syn[s];
                uint32_t *row = syn + base + (size_t)sy->pre * stride[c];
                uint32_t n = row[0] & AXON_ROW_N_STATIC_MASK;
                uint32_t ovh = cn->rule >= 0 ? AXON_PLAST_ROW_OVERHEAD : 1;
                row[ovh + n] = axon_syn_word(sy->weight, sy->delay, sy->type, sy->post);
                row[0] = n + 1;
                if (cn->rule >= 0)
                    row[0] |= 1u << AXON_PROW_PLASTIC_LSB | (uint32_t)cn->rule << AXON_PROW_RULE_LSB;
            }
            base += (size_t)stride[c] * cn->n_pre;
        }
        free(len[c]);
    }
    free(len);
    free(stride);
    *mpt_out = mpt;
    *syn_out = syn;
    *syn_words = (uint32_t)total;
}

axon_image *tnet_image(tnet *t)
{
    axon_image *img;
    if (axon_image_create(&img, t->w, t->h, t->cpc, t->flags, (uint32_t)lround(t->dt * 1000)))
        return NULL;
    for (uint32_t g = 0; g < t->w * t->h * t->cpc; g++) {
        tcore *k = &t->cores[g];
        if (!k->used)
            continue;
        uint32_t *mpt = NULL, *syn = NULL, sw = 0, *words, nw;
        build_matrix(k, &mpt, &syn, &sw);
        axon_core_desc d = k->d;
        d.params = k->params;
        d.state = k->state;
        d.src = k->src;
        d.mpt = mpt;
        d.mpt_n = k->n_conn;
        d.syn = syn;
        d.syn_words = sw;
        if (k->plast) {
            d.plast = k->plast + 1;
            d.plast_words = k->plast[0];
        }
        axon_core_assemble(&d, &words, &nw);
        uint32_t chip = g / t->cpc;
        axon_image_set_core(img, chip % t->w, chip / t->w, g % t->cpc, words, nw);
        free(words);
        free(mpt);
        free(syn);
    }
    for (uint32_t i = 0; i < t->w * t->h; i++)
        axon_image_set_table(img, i % t->w, i / t->w, t->tab[i], t->tab_n[i]);
    return img;
}

int tnet_rec_read(const axon_engine *e, uint32_t x, uint32_t y, uint32_t c, int f64,
                  tnet_rec *r)
{
    memset(r, 0, sizeof *r);
    const uint32_t *w;
    size_t n, pos = 0;
    int rc = axon_engine_recording(e, x, y, c, &w, &n);
    if (rc)
        return rc;
    axon_rec_block b;
    size_t cap_s = 0, cap_v = 0;
    while ((rc = axon_rec_next(w, n, &pos, f64, &b)) == 1) {
        if (r->n_spikes + b.n_spikes > cap_s) {
            cap_s = (r->n_spikes + b.n_spikes) * 2;
            r->spike_step = realloc(r->spike_step, cap_s * sizeof(uint32_t));
            r->spike_idx = realloc(r->spike_idx, cap_s * sizeof(uint32_t));
        }
        for (uint32_t i = 0; i < b.n_spikes; i++) {
            r->spike_step[r->n_spikes] = b.step;
            r->spike_idx[r->n_spikes++] = axon_rec_spike(&b, i);
        }
        if (b.n_state) {
            r->n_values = b.n_state;
            if (r->n_samples + 1 > cap_v) {
                cap_v = (r->n_samples + 1) * 2;
                r->sample_step = realloc(r->sample_step, cap_v * sizeof(uint32_t));
                r->values = realloc(r->values, cap_v * b.n_state * sizeof(double));
                r->words = realloc(r->words, cap_v * b.n_state * sizeof(int32_t));
            }
            r->sample_step[r->n_samples] = b.step;
            for (uint32_t i = 0; i < b.n_state; i++) {
                r->values[(size_t)r->n_samples * b.n_state + i] = axon_rec_state(&b, i);
                r->words[(size_t)r->n_samples * b.n_state + i] = f64 ? 0 : (int32_t)b.state[i];
            }
            r->n_samples++;
        }
    }
    return rc < 0 ? rc : AXON_OK;
}

void tnet_rec_free(tnet_rec *r)
{
    free(r->spike_step);
    free(r->spike_idx);
    free(r->sample_step);
    free(r->values);
    free(r->words);
    memset(r, 0, sizeof *r);
}

int tnet_route_tree(tnet *t, int src_gid, uint32_t key, uint32_t mask, const int *dst,
                    uint32_t n_dst)
{
    uint32_t chips = t->w * t->h;
    uint32_t *route = calloc(chips, sizeof *route);
    uint32_t schip = (uint32_t)src_gid / t->cpc, sx = schip % t->w, sy = schip / t->w;
    for (uint32_t k = 0; k < n_dst; k++) {
        uint32_t dchip = (uint32_t)dst[k] / t->cpc, dx = dchip % t->w, dy = dchip / t->w;
        uint32_t x = sx, y = sy;
        while (x != dx) {
            int l = dx > x ? AXON_LINK_E : AXON_LINK_W;
            route[y * t->w + x] |= 1u << l;
            x = dx > x ? x + 1 : x - 1;
        }
        while (y != dy) {
            int l = dy > y ? AXON_LINK_N : AXON_LINK_S;
            route[y * t->w + x] |= 1u << l;
            y = dy > y ? y + 1 : y - 1;
        }
        route[dchip] |= 1u << (AXON_ROUTE_CORE_LSB + (uint32_t)dst[k] % t->cpc);
    }
    for (uint32_t c = 0; c < chips; c++)
        if (route[c])
            tnet_route(t, c % t->w, c / t->w, key, mask, route[c]);
    free(route);
    return AXON_OK;
}

static uint64_t rnd_next(uint64_t *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    uint64_t z = *s;
    z = (z ^ (z >> 31)) * 0xBF58476D1CE4E5B9ull;
    return z ^ (z >> 29);
}

static double rnd_u(uint64_t *s) { return (double)(rnd_next(s) >> 11) / 9007199254740992.0; }

static uint32_t rnd_int(uint64_t *s, uint32_t lo, uint32_t hi) /* inclusive */
{
    return lo + (uint32_t)(rnd_next(s) % (hi - lo + 1));
}

tnet *tnet_random(uint64_t seed, uint32_t w, uint32_t h, uint32_t cpc)
{
    static const char *names[] = {"IF_curr_exp", "IF_cond_exp", "IF_curr_alpha", "IF_curr_delta",
                                  "Izhikevich"};
    uint64_t s = seed * 0x9E3779B97F4A7C15ull + 1;
    tnet *t = tnet_new(w, h, cpc, rnd_u(&s) < 0.5 ? 1.0 : 0.1, 0);
    uint32_t n_cores = w * h * cpc;
    int *gid = malloc(sizeof(int) * n_cores);
    uint32_t *size = calloc(n_cores, sizeof *size);
    int *is_neuron = calloc(n_cores, sizeof *is_neuron);
    for (uint32_t g = 0; g < n_cores; g++) {
        uint32_t chip = g / cpc, x = chip % w, y = chip / w, c = g % cpc;
        uint32_t key = (g + 1) << 16;
        if (g == 0) {
            size[g] = rnd_int(&s, 8, 64);
            gid[g] = tnet_poisson(t, x, y, c, size[g], 20.0 + 100.0 * rnd_u(&s), 0.0, INFINITY,
                                  seed, key, 1);
        } else if (g == 1) {
            size[g] = rnd_int(&s, 4, 32);
            uint32_t ev[2 * 64] = {0};
            uint32_t ne = rnd_int(&s, 1, 64);
            for (uint32_t k = 0; k < ne; k++) {
                ev[2 * k] = rnd_int(&s, 0, 150);
                ev[2 * k + 1] = rnd_int(&s, 0, size[g] - 1);
            }
            gid[g] = tnet_array(t, x, y, c, size[g], ev, ne, key, 1);
        } else if (g == n_cores - 1 && n_cores > 3) {
            gid[g] = -1; /* delay extension, set up below */
        } else {
            const char *model = names[rnd_int(&s, 0, 4)];
            const axon_model_info *m = axon_model_find(model);
            size[g] = rnd_int(&s, 4, 96);
            double *p = malloc(sizeof(double) * size[g] * m->n_params);
            double *in = malloc(sizeof(double) * size[g] * m->n_inits);
            for (uint32_t i = 0; i < size[g]; i++) {
                for (uint32_t k = 0; k < m->n_params; k++)
                    p[i * m->n_params + k] = m->params[k].def;
                for (uint32_t k = 0; k < m->n_inits; k++)
                    in[i * m->n_inits + k] = m->inits[k].def;
                int io = axon_model_param_index(m, "i_offset");
                p[i * m->n_params + io] = m->id == AXON_MODEL_IZHIKEVICH ? 0.004 * rnd_u(&s)
                                                                         : 0.8 * rnd_u(&s);
                int tr = axon_model_param_index(m, "tau_refrac");
                if (tr >= 0)
                    p[i * m->n_params + tr] = 3.0 * rnd_u(&s);
                in[i * m->n_inits + 0] += 10.0 * rnd_u(&s) - 5.0;
            }
            gid[g] = tnet_neurons(t, x, y, c, model, size[g], p, in, key, 0xF,
                                  rnd_int(&s, 1, 3));
            is_neuron[g] = 1;
            tnet_weight_shift(t, gid[g], 0, rnd_int(&s, 2, 6));
            tnet_weight_shift(t, gid[g], 1, rnd_int(&s, 2, 6));
            free(p);
            free(in);
        }
    }
    int de = -1;
    if (n_cores > 3) {
        uint32_t g = n_cores - 1, chip = g / cpc;
        uint32_t masks[64] = {0};
        for (uint32_t i = 0; i < size[0]; i++)
            masks[i] = rnd_int(&s, 0, 255);
        de = tnet_delay_ext(t, chip % w, chip / w, g % cpc, gid[0], (g + 1) << 16, masks);
        gid[g] = de;
    }
    /* synapses: every emitting core -> a random subset of neuron cores */
    for (uint32_t a = 0; a < n_cores; a++) {
        if (gid[a] < 0 || (int)a == de)
            continue;
        int dsts[64];
        uint32_t nd = 0;
        for (uint32_t b = 0; b < n_cores; b++) {
            if (!is_neuron[b] || rnd_u(&s) > 0.6)
                continue;
            uint32_t ns = 0, cap = size[a] * size[b];
            tnet_syn *syn = malloc(sizeof *syn * (cap + 1));
            double pc = 0.05 + 0.3 * rnd_u(&s);
            for (uint32_t i = 0; i < size[a]; i++)
                for (uint32_t j = 0; j < size[b]; j++)
                    if (rnd_u(&s) < pc)
                        syn[ns++] = (tnet_syn){i, j, rnd_int(&s, 0, 4000), rnd_int(&s, 1, 16),
                                               rnd_u(&s) < 0.7 ? 0u : 1u};
            tnet_connect(t, gid[a], gid[b], syn, ns, 0, 0);
            free(syn);
            dsts[nd++] = gid[b];
        }
        if (a == 0 && de >= 0)
            dsts[nd++] = de;
        uint32_t span = 1;
        while (span < size[a])
            span <<= 1;
        if (nd)
            tnet_route_tree(t, gid[a], tnet_key_base(t, gid[a]), ~(span - 1), dsts, nd);
    }
    /* delayed synapses from the delay extension's stage keys: stage st covers
     * delays 16 st + 1 .. 16 st + 16 */
    if (de >= 0) {
        int dsts[64];
        uint32_t nd = 0;
        for (uint32_t b = 0; b < n_cores; b++) {
            if (!is_neuron[b] || rnd_u(&s) > 0.5)
                continue;
            uint32_t ns = 0;
            tnet_syn *syn = malloc(sizeof *syn * (AXON_DE_STAGES * 64 * size[b] + 1));
            for (uint32_t st = 1; st <= AXON_DE_STAGES; st++)
                for (uint32_t i = 0; i < size[0]; i++)
                    for (uint32_t j = 0; j < size[b]; j++)
                        if (rnd_u(&s) < 0.05)
                            syn[ns++] = (tnet_syn){(st - 1) << AXON_DE_STAGE_KEY_LSB | i, j,
                                                   rnd_int(&s, 0, 4000), rnd_int(&s, 1, 16),
                                                   rnd_u(&s) < 0.7 ? 0u : 1u};
            tnet_connect(t, de, gid[b], syn, ns, tnet_key_base(t, de),
                         AXON_DE_STAGES << AXON_DE_STAGE_KEY_LSB);
            free(syn);
            dsts[nd++] = gid[b];
        }
        if (nd)
            tnet_route_tree(t, de, tnet_key_base(t, de),
                            ~((AXON_DE_STAGES << AXON_DE_STAGE_KEY_LSB) - 1u), dsts, nd);
    }
    free(gid);
    free(size);
    free(is_neuron);
    return t;
}

int tnet_plastic_rules(tnet *t, int dst_gid, const axon_stdp_params *rules, uint32_t n)
{
    uint32_t *w, nw;
    int rc = axon_stdp_region(rules, n, &w, &nw, NULL);
    if (rc)
        return rc;
    tcore *k = &t->cores[dst_gid];
    free(k->plast);
    k->plast = malloc(((size_t)nw + 1) * sizeof *k->plast);
    k->plast[0] = nw;
    memcpy(k->plast + 1, w, nw * sizeof *w);
    free(w);
    return AXON_OK;
}

int tnet_connect_plastic(tnet *t, int src_gid, int dst_gid, const tnet_syn *syn, uint32_t n,
                         uint32_t rule)
{
    int rc = tnet_connect(t, src_gid, dst_gid, syn, n, 0, 0);
    tcore *d = &t->cores[dst_gid];
    for (uint32_t k = 0; !rc && k < d->n_conn; k++)
        if (d->conn[k].key_base == t->cores[src_gid].d.key_base)
            d->conn[k].rule = (int)rule;
    return rc;
}

int tnet_find_syn(const axon_image *img, uint32_t x, uint32_t y, uint32_t c, uint32_t key,
                  uint32_t post, uint32_t *off)
{
    const uint32_t *w;
    uint32_t nw;
    if (axon_image_get_core(img, x, y, c, &w, &nw) || !nw)
        return AXON_ERR_INVALID_ARG;
    const uint32_t *mpt = w + w[AXON_CORE_H_MPT_OFF];
    const uint32_t *syn = w + w[AXON_CORE_H_SYN_OFF];
    for (uint32_t e = 0; e < w[AXON_CORE_H_MPT_N]; e++) {
        const uint32_t *m = mpt + e * AXON_SYN_MPT_ENTRY_WORDS;
        if ((key & m[AXON_MPT_W_MASK]) != m[AXON_MPT_W_KEY])
            continue;
        uint32_t stride = m[AXON_MPT_W_SHAPE] >> AXON_MPT_SHAPE_STRIDE_LSB;
        uint32_t r0 = m[AXON_MPT_W_ROW_BASE] + (key & ~m[AXON_MPT_W_MASK]) * stride;
        uint32_t first = (syn[r0] >> AXON_PROW_PLASTIC_LSB & 1u) ? AXON_PLAST_ROW_OVERHEAD : 1;
        for (uint32_t k = 0; k < (syn[r0] & AXON_ROW_N_STATIC_MASK); k++)
            if ((syn[r0 + first + k] & AXON_SYN_INDEX_MASK) == post) {
                *off = r0 + first + k;
                return AXON_OK;
            }
    }
    return AXON_ERR_NOT_FOUND;
}

void tnet_make_plastic(tnet *t, uint64_t seed)
{
    uint64_t s = seed * 0xD1B54A32D192ED03ull + 7, s2 = seed * 0x9E3779B97F4A7C15ull + 11;
    for (uint32_t g = 0; g < t->w * t->h * t->cpc; g++) {
        tcore *k = &t->cores[g];
        if (!k->used || k->d.kind != AXON_KIND_NEURON || !k->n_conn)
            continue;
        axon_stdp_params r[2];
        for (int i = 0; i < 2; i++)
            r[i] = (axon_stdp_params){(uint32_t)rnd_int(&s, 0, 1), (uint32_t)rnd_int(&s, 0, 1),
                                      2.0 + 40.0 * rnd_u(&s), 2.0 + 40.0 * rnd_u(&s),
                                      0.2 * rnd_u(&s), 0.2 * rnd_u(&s),
                                      (uint32_t)rnd_int(&s, 0, 500), (uint32_t)rnd_int(&s, 3000, 6000)};
        /* sometimes shared time constants (the rules then share decay tables), drawn from a
         * second stream so that the other draws stay what they were */
        if (rnd_u(&s2) < 0.5) {
            r[1].tau_plus = r[0].tau_plus;
            r[1].tau_minus = rnd_u(&s2) < 0.5 ? r[0].tau_plus : r[0].tau_minus;
        }
        tnet_plastic_rules(t, (int)g, r, 2);
        for (uint32_t c = 0; c < k->n_conn; c++)
            k->conn[c].rule = rnd_u(&s) < 0.3 ? -1 : (int)rnd_int(&s, 0, 1);
    }
}
