#include "lockgen.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* splitmix64: the generator's own stream (independent of the code under test) */
static uint64_t next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static double unif(uint64_t *s) { return (double)(next(s) >> 11) * 0x1.0p-53; }
static double range(uint64_t *s, double a, double b) { return a + (b - a) * unif(s); }
static uint32_t irange(uint64_t *s, uint32_t a, uint32_t b)
{
    return a + (uint32_t)(next(s) % ((uint64_t)b - a + 1));
}

static void set(const axon_model_info *m, double *p, const char *name, double v)
{
    int i = axon_model_param_index(m, name);
    if (i >= 0)
        p[i] = v;
}

/* Parameters of one neuron within the ranges the models are meant for. */
static void draw_params(uint64_t *s, const axon_model_info *m, double *p, double *in)
{
    for (uint32_t k = 0; k < m->n_params; k++)
        p[k] = m->params[k].def;
    for (uint32_t k = 0; k < m->n_inits; k++)
        in[k] = m->inits[k].def;
    if (m->id == AXON_MODEL_IZHIKEVICH) {
        /* regular spiking .. fast spiking .. chattering */
        set(m, p, "a", range(s, 0.01, 0.1));
        set(m, p, "b", range(s, 0.15, 0.27));
        set(m, p, "c", range(s, -70, -50));
        set(m, p, "d", range(s, 0.05, 8));
        set(m, p, "i_offset", range(s, 0, 0.015));
        in[0] = range(s, -75, -55);
        in[1] = range(s, -16, -10);
        return;
    }
    double v_rest = range(s, -70, -60), v_thresh = range(s, -55, -45);
    set(m, p, "cm", range(s, 0.2, 2.0));
    set(m, p, "tau_m", range(s, 5, 40));
    set(m, p, "tau_refrac", range(s, 0, 5));
    set(m, p, "tau_syn_E", range(s, 0.5, 10));
    set(m, p, "tau_syn_I", range(s, 0.5, 15));
    set(m, p, "v_rest", v_rest);
    set(m, p, "v_reset", range(s, v_rest - 10, v_rest));
    set(m, p, "v_thresh", v_thresh);
    set(m, p, "i_offset", unif(s) < 0.2 ? 0.0 : range(s, 0, 3.0));
    set(m, p, "e_rev_E", range(s, -10, 10));
    set(m, p, "e_rev_I", range(s, -90, -70));
    in[0] = range(s, v_rest - 5, v_thresh + 2);
}

void lockgen_route(tnet *t, int src, uint32_t n_src, const int *dst, uint32_t n_dst)
{
    uint32_t span = 1;
    while (span < n_src)
        span <<= 1;
    tnet_route_tree(t, src, tnet_key_base(t, src), ~(span - 1), dst, n_dst);
}

/* The machine and the cores' places: slot[a] is the gid of logical core a. */
typedef struct shape {
    uint32_t n_cores;
    uint32_t slot[LOCKGEN_MAX_CORES];
} shape;

static tnet *gen(uint64_t s, const shape *sh, uint32_t max_neurons, lockgen_info *info,
                 double dt);

tnet *lockgen(uint64_t seed, uint32_t max_cores, uint32_t max_neurons, lockgen_info *info)
{
    uint64_t s = seed;
    shape sh;
    memset(info, 0, sizeof *info);
    sh.n_cores = irange(&s, 1, max_cores > 8 ? 8 : max_cores);
    info->w = sh.n_cores > 1 && unif(&s) < 0.25 ? 2 : 1;
    info->h = 1;
    info->cpc = (sh.n_cores + info->w - 1) / info->w;
    info->steps = irange(&s, 40, 160);
    double dt = unif(&s) < 0.7 ? 1.0 : 0.1;
    for (uint32_t a = 0; a < sh.n_cores; a++)
        sh.slot[a] = a;
    return gen(s, &sh, max_neurons, info, dt);
}

tnet *lockgen_mesh(uint64_t seed, uint32_t max_neurons, lockgen_info *info)
{
    uint64_t s = seed ^ 0x6d657368ull; /* "mesh": streams apart from lockgen's */
    shape sh;
    memset(info, 0, sizeof *info);
    info->w = info->h = unif(&s) < 0.6 ? 2 : 3;
    info->wrap = unif(&s) < 0.5;
    info->cpc = irange(&s, 1, 4);
    info->steps = irange(&s, 30, 100);
    uint32_t total = info->w * info->h * info->cpc;
    sh.n_cores = irange(&s, 2, total < 10 ? total : 10);
    /* distinct random places, the sources first (they take the lowest logical indices) */
    uint32_t perm[LOCKGEN_MAX_CORES];
    for (uint32_t g = 0; g < total; g++)
        perm[g] = g;
    for (uint32_t a = 0; a < sh.n_cores; a++) {
        uint32_t j = irange(&s, a, total - 1), tmp = perm[a];
        perm[a] = perm[j];
        perm[j] = tmp;
        sh.slot[a] = perm[a];
    }
    double dt = unif(&s) < 0.7 ? 1.0 : 0.1;
    return gen(s, &sh, max_neurons, info, dt);
}

static tnet *gen(uint64_t s, const shape *sh, uint32_t max_neurons, lockgen_info *info,
                 double dt)
{
    static const char *const names[] = {"IF_curr_exp", "IF_cond_exp", "IF_curr_alpha",
                                        "IF_curr_delta", "Izhikevich"};
    uint32_t n_cores = sh->n_cores;
    tnet *t = tnet_new(info->w, info->h, info->cpc, dt,
                       info->wrap ? AXON_IMAGE_FLAG_WRAP : 0);
    int gid[LOCKGEN_MAX_CORES];
    uint32_t size[LOCKGEN_MAX_CORES] = {0};
    int neuron[LOCKGEN_MAX_CORES] = {0};
    /* sources take the first cores (if any); at least one neuron core */
    uint32_t want_sources = n_cores > 1 ? irange(&s, 0, n_cores - 1 < 2 ? n_cores - 1 : 2) : 0;
    uint32_t poisson_first = unif(&s) < 0.5;
    /* the last core a delay extension of core 0 in 1 of 3 networks of 3 or more cores */
    int want_de = n_cores >= 3 && unif(&s) < 1.0 / 3;
    for (uint32_t g = 0; g < n_cores; g++) {
        uint32_t at = sh->slot[g], chip = at / info->cpc, x = chip % info->w,
                 y = chip / info->w, c = at % info->cpc;
        uint32_t key = (g + 1) << 16;
        gid[g] = -1;
        if (want_de && g == n_cores - 1)
            continue;
        if (g < want_sources) {
            int poisson = (g == 0) == poisson_first;
            size[g] = irange(&s, 1, 64);
            if (poisson) {
                double start = unif(&s) < 0.5 ? 0 : range(&s, 0, 20);
                double dur = unif(&s) < 0.5 ? INFINITY : range(&s, 10, 100);
                /* mostly biological rates; sometimes several spikes per step (lambda up
                 * to AXON_POISSON_MAX_LAMBDA, few sources: the CI time) */
                double rate = range(&s, 5, 200);
                if (unif(&s) < 0.15) {
                    rate = range(&s, 1, AXON_POISSON_MAX_LAMBDA) * 1000.0 / dt;
                    size[g] = irange(&s, 1, 4);
                }
                gid[g] = tnet_poisson(t, x, y, c, size[g], rate, start, dur, next(&s), key, 1);
            } else {
                uint32_t ne = irange(&s, 0, 200), *ev = malloc(sizeof *ev * 2 * (ne + 1));
                for (uint32_t k = 0; k < ne; k++) {
                    ev[2 * k] = irange(&s, 0, info->steps);
                    ev[2 * k + 1] = irange(&s, 0, size[g] - 1);
                }
                gid[g] = tnet_array(t, x, y, c, size[g], ev, ne, key, 1);
                free(ev);
            }
            info->n_sources++;
            continue;
        }
        const char *model = names[irange(&s, 0, 4)];
        const axon_model_info *m = axon_model_find(model);
        size[g] = irange(&s, 1, unif(&s) < 0.8 ? (max_neurons < 48 ? max_neurons : 48)
                                               : max_neurons);
        double *p = malloc(sizeof(double) * size[g] * m->n_params);
        double *in = malloc(sizeof(double) * size[g] * m->n_inits);
        for (uint32_t i = 0; i < size[g]; i++)
            draw_params(&s, m, p + i * m->n_params, in + i * m->n_inits);
        gid[g] = tnet_neurons(t, x, y, c, model, size[g], p, in, key, irange(&s, 0, 15),
                              irange(&s, 1, 4));
        free(p);
        free(in);
        if (gid[g] < 0) /* a conversion refused the draw: defaults then */
            gid[g] = tnet_neurons(t, x, y, c, model, size[g], NULL, NULL, key, 0xF, 1);
        tnet_weight_shift(t, gid[g], AXON_SYN_TYPE_EXC, irange(&s, 0, 8));
        tnet_weight_shift(t, gid[g], AXON_SYN_TYPE_INH, irange(&s, 0, 8));
        neuron[g] = 1;
        info->models[info->n_neuron_cores++] = model;
    }
    /* the delay extension: delays 17..144 from core 0 */
    int de = -1, de_src = -1;
    if (want_de) {
        uint32_t g = n_cores - 1, chip = sh->slot[g] / info->cpc;
        de_src = 0;
        uint32_t masks[AXON_CORE_MAX_NEURONS] = {0};
        for (uint32_t i = 0; i < size[0]; i++)
            masks[i] = irange(&s, 0, 255);
        de = gid[g] = tnet_delay_ext(t, chip % info->w, chip / info->w,
                                     sh->slot[g] % info->cpc, gid[0], (g + 1) << 16, masks);
        size[g] = 0; /* emits through its stage keys, handled below */
        info->has_delay_ext = 1;
    }
    /* synapses: every emitting core to a random subset of neuron cores (itself included) */
    for (uint32_t a = 0; a < n_cores; a++) {
        int dsts[LOCKGEN_MAX_CORES];
        uint32_t nd = 0;
        if (gid[a] == de)
            continue;
        for (uint32_t b = 0; b < n_cores; b++) {
            if (!neuron[b] || unif(&s) < 0.3)
                continue;
            double pc = range(&s, 0.02, unif(&s) < 0.2 ? 1.0 : 0.3);
            uint32_t wmax = unif(&s) < 0.2 ? 0xFFFF : irange(&s, 16, 4000);
            tnet_syn *syn = malloc(sizeof *syn * ((size_t)size[a] * size[b] + 1));
            uint32_t ns = 0;
            for (uint32_t i = 0; i < size[a]; i++)
                for (uint32_t j = 0; j < size[b]; j++)
                    if (unif(&s) < pc)
                        syn[ns++] = (tnet_syn){i, j, irange(&s, 0, wmax), irange(&s, 1, 16),
                                               unif(&s) < 0.7 ? AXON_SYN_TYPE_EXC
                                                              : AXON_SYN_TYPE_INH};
            tnet_connect(t, gid[a], gid[b], syn, ns, 0, 0);
            free(syn);
            dsts[nd++] = gid[b];
        }
        if ((int)a == de_src)
            dsts[nd++] = de;
        if (nd)
            lockgen_route(t, gid[a], size[a], dsts, nd);
    }
    if (de >= 0) {
        /* stage st (1..8) re-emits delays 16 st + 1 .. 16 st + 16 */
        int dsts[LOCKGEN_MAX_CORES];
        uint32_t nd = 0, n_pre = AXON_DE_STAGES << AXON_DE_STAGE_KEY_LSB;
        for (uint32_t b = 0; b < n_cores; b++) {
            if (!neuron[b] || unif(&s) < 0.3)
                continue;
            /* rows of at most 3 synapses: the matrix has a row for each of the 8 x 1024
             * stage keys, so its stride must stay small to fit the core's memory */
            tnet_syn *syn = malloc(sizeof *syn * ((size_t)AXON_DE_STAGES * size[0] * 3 + 1));
            uint32_t ns = 0;
            double p_row = range(&s, 0.05, 0.5);
            for (uint32_t st = 1; st <= AXON_DE_STAGES; st++)
                for (uint32_t i = 0; i < size[0]; i++) {
                    if (unif(&s) >= p_row)
                        continue;
                    uint32_t len = irange(&s, 1, size[b] < 3 ? size[b] : 3);
                    uint32_t j0 = irange(&s, 0, size[b] - 1);
                    for (uint32_t m = 0; m < len; m++)
                        syn[ns++] = (tnet_syn){(st - 1) << AXON_DE_STAGE_KEY_LSB | i,
                                               (j0 + m) % size[b], irange(&s, 0, 4000),
                                               irange(&s, 1, 16),
                                               unif(&s) < 0.7 ? AXON_SYN_TYPE_EXC
                                                              : AXON_SYN_TYPE_INH};
                }
            tnet_connect(t, de, gid[b], syn, ns, tnet_key_base(t, de), n_pre);
            free(syn);
            dsts[nd++] = gid[b];
        }
        if (nd)
            lockgen_route(t, de, n_pre, dsts, nd);
    }
    return t;
}
