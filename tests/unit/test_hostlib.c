/* Host library end to end on the ref backend: mapping invariants (every synapse exactly
 * once in the image, compressed tables route every key like the originals, delays up to
 * 144 steps land on their step), runs, resets, recording, and API errors. White-box where
 * an invariant needs the mapping's bookkeeping (hostlib/hl_map.h). */
#include "axon/axon.h"
#include "axon/engine.h"
#include "hl_map.h"

#include "axon/router.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static axon_ctx *new_ctx(double dt)
{
    axon_ctx *ctx;
    cr_assert_eq(axon_create(&ctx), AXON_OK);
    cr_assert_eq(axon_setup(ctx, dt, dt, 144 * dt, 1234), AXON_OK, "%s", axon_last_error(ctx));
    return ctx;
}

#define OK(call) cr_assert_eq((call), AXON_OK, "%s: %s", #call, axon_last_error(ctx))

Test(hostlib, delays_from_1_to_144_steps_land_exactly)
{
    const uint32_t D[] = {1, 2, 15, 16, 17, 31, 32, 33, 64, 100, 128, 143, 144};
    enum { N = sizeof D / sizeof D[0], T0 = 5 };
    axon_ctx *ctx = new_ctx(1.0);
    axon_pop src, dst;
    OK(axon_population(ctx, 1, "SpikeSourceArray", "src", NULL, &src));
    double t0 = T0;
    OK(axon_pop_set_spike_times(ctx, src, 0, &t0, 1));
    OK(axon_population(ctx, N, "IF_curr_delta", "dst", NULL, &dst));
    axon_value th = axon_const(-64.5), refr = axon_const(200.0);
    OK(axon_pop_set(ctx, dst, "v_thresh", &th));
    OK(axon_pop_set(ctx, dst, "tau_refrac", &refr));
    double list[N * 4];
    for (uint32_t j = 0; j < N; j++) {
        list[4 * j] = 0;
        list[4 * j + 1] = j;
        list[4 * j + 2] = 1.0; /* mV */
        list[4 * j + 3] = D[j];
    }
    axon_connector c = axon_connector_default(AXON_CONN_FROM_LIST);
    c.list = list;
    c.n_rows = N;
    c.n_cols = 4;
    axon_synapse syn = {axon_const(0), axon_const(1)};
    axon_view pre = axon_whole(ctx, src), post = axon_whole(ctx, dst);
    OK(axon_projection(ctx, &pre, &post, &c, &syn, "excitatory", NULL, NULL, NULL));
    OK(axon_record(ctx, &post, "spikes", 0));
    OK(axon_run(ctx, 200));
    size_t n;
    uint32_t neuron[64];
    double t[64];
    OK(axon_get_spikes(ctx, dst, &n, neuron, t, 64));
    cr_assert_eq(n, N, "every target fires once (refractory afterwards)");
    for (size_t k = 0; k < n; k++)
        cr_assert_float_eq(t[k], T0 + D[neuron[k]], 1e-9, "delay %u: spike at %g ms",
                           D[neuron[k]], t[k]);
    axon_mapping_report r;
    OK(axon_describe(ctx, &r));
    cr_assert_eq(r.delay_extension_cores, 1);
    axon_destroy(ctx);
}

/* A network with several slices per population, delays through delay extensions, and
 * every connector kind that generates in C. */
static axon_ctx *random_network_wrap(uint32_t w, uint32_t h, uint32_t npc, unsigned threads,
                                     int wrap)
{
    axon_ctx *ctx = new_ctx(1.0);
    axon_machine_opts mo = {.width = w, .height = h, .cores_per_chip = 8,
                            .neurons_per_core = npc, .wrap = wrap, .threads = threads};
    OK(axon_set_machine(ctx, &mo));
    axon_pop a, b, c, s;
    OK(axon_population(ctx, 300, "IF_curr_exp", "a", NULL, &a));
    OK(axon_population(ctx, 150, "IF_cond_exp", "b", NULL, &b));
    OK(axon_population(ctx, 90, "IF_curr_alpha", "c", NULL, &c));
    OK(axon_population(ctx, 200, "SpikeSourcePoisson", "s", NULL, &s));
    axon_value rate = axon_const(40);
    OK(axon_pop_set(ctx, s, "rate", &rate));
    axon_value ioff = {AXON_VALUE_RANDOM, 0, NULL, 0, {"uniform", {0.0, 1.2}, 2}, NULL};
    OK(axon_pop_set(ctx, a, "i_offset", &ioff));
    axon_view va = axon_whole(ctx, a), vb = axon_whole(ctx, b), vc = axon_whole(ctx, c),
              vs = axon_whole(ctx, s);
    axon_connector fp = axon_connector_default(AXON_CONN_FIXED_PROBABILITY);
    fp.p = 0.1;
    axon_connector npre = axon_connector_default(AXON_CONN_FIXED_NUMBER_PRE);
    npre.n = 7;
    axon_synapse s1 = {axon_const(0.3), {AXON_VALUE_RANDOM, 0, NULL, 0, {"uniform_int", {1, 40}, 2}, NULL}};
    axon_synapse s2 = {axon_const(0.05), {AXON_VALUE_RANDOM, 0, NULL, 0, {"uniform_int", {1, 20}, 2}, NULL}};
    axon_synapse s3 = {axon_const(-0.5), axon_const(3)};
    OK(axon_projection(ctx, &vs, &va, &fp, &s1, "excitatory", NULL, "s->a", NULL));
    OK(axon_projection(ctx, &va, &vb, &npre, &s2, "excitatory", NULL, "a->b", NULL));
    OK(axon_projection(ctx, &vb, &va, &fp, &s3, "inhibitory", NULL, "b->a", NULL));
    OK(axon_projection(ctx, &va, &vc, &fp, &s1, "excitatory", NULL, "a->c", NULL));
    OK(axon_projection(ctx, &vc, &va, &npre, &s1, "excitatory", NULL, "c->a", NULL));
    OK(axon_record(ctx, &va, "spikes", 0));
    OK(axon_record(ctx, &vb, "spikes", 0));
    OK(axon_record(ctx, &vc, "v", 2.0));
    return ctx;
}

static axon_ctx *random_network(uint32_t w, uint32_t h, uint32_t npc, unsigned threads)
{
    return random_network_wrap(w, h, npc, threads, 0);
}

typedef struct syn_rec {
    uint32_t pre_pop, pre, post_pop, post, weight, delay, type;
} syn_rec;

static int cmp_syn(const void *x, const void *y)
{
    return memcmp(x, y, sizeof(syn_rec));
}

Test(hostlib, every_synapse_appears_exactly_once_in_the_image)
{
    axon_ctx *ctx = random_network(2, 2, 64, 1);
    axon_image *img = axon_machine_image(ctx);
    cr_assert(img, "%s", axon_last_error(ctx));
    const hl_map *m = ctx->map;
    /* expected: every connection of every projection, converted as the spec says */
    size_t total = 0;
    for (uint32_t j = 0; j < ctx->n_projs; j++)
        total += ctx->projs[j].c.n;
    cr_assert(total > 10000, "the network has %zu synapses", total);
    syn_rec *want = malloc(sizeof *want * total), *got = malloc(sizeof *got * (total + 1));
    size_t nw = 0, ng = 0;
    for (uint32_t j = 0; j < ctx->n_projs; j++) {
        const hl_proj *p = &ctx->projs[j];
        const hl_pop *q = &ctx->pops[p->post];
        double scale = q->m->conductance ? AXON_COND_WEIGHT_SCALE : q->m->current_scale;
        for (size_t k = 0; k < p->c.n; k++) {
            uint32_t t = m->slice_of[q->first_neuron + p->c.post[k]];
            uint32_t shift = m->cores[m->slices[t].gid].shift[p->type], wf;
            cr_assert_eq(axon_weight_to_fixed(p->c.w[k] * scale, shift, &wf), AXON_OK);
            want[nw++] = (syn_rec){(uint32_t)p->pre, p->c.pre[k], (uint32_t)p->post, p->c.post[k],
                                   wf, (uint32_t)lround(p->c.d[k]), p->type};
        }
    }
    /* found: decode every neuron core's population table and rows */
    for (uint32_t g = 0; g < m->used_cores; g++) {
        const hl_mcore *c = &m->cores[g];
        if (c->is_de || ctx->pops[m->slices[c->slice].pop].m->kind != AXON_KIND_NEURON)
            continue;
        const uint32_t *w;
        uint32_t nwords;
        axon_image_get_core(img, (g / m->cpc) % m->w, (g / m->cpc) / m->w, g % m->cpc, &w, &nwords);
        const uint32_t *mpt = w + w[AXON_CORE_H_MPT_OFF], *syn = w + w[AXON_CORE_H_SYN_OFF];
        const hl_slice *dst = &m->slices[c->slice];
        for (uint32_t e = 0; e < w[AXON_CORE_H_MPT_N]; e++) {
            const uint32_t *me = mpt + 4 * e;
            /* which core emits this key? */
            int32_t src = -1;
            uint32_t stage = 0;
            for (uint32_t s = 0; s < m->used_cores; s++)
                if ((me[AXON_MPT_W_KEY] & ~(m->cores[s].span - 1)) == m->cores[s].key) {
                    src = (int32_t)s;
                    stage = m->cores[s].is_de
                                ? 1 + ((me[AXON_MPT_W_KEY] >> AXON_DE_STAGE_KEY_LSB) & 7)
                                : 0;
                }
            cr_assert_geq(src, 0, "entry key 0x%08x of core %u has no source", me[AXON_MPT_W_KEY], g);
            const hl_slice *sl = &m->slices[m->cores[src].slice];
            uint32_t rows = me[AXON_MPT_W_SHAPE] & 0xFFFF, stride = me[AXON_MPT_W_SHAPE] >> 16;
            for (uint32_t r = 0; r < rows; r++) {
                const uint32_t *row = syn + me[AXON_MPT_W_ROW_BASE] + r * stride;
                for (uint32_t k = 1; k <= (row[0] & 0xFFFF); k++) {
                    cr_assert_lt(ng, total + 1, "more synapses in the image than in the network");
                    uint32_t sw = row[k];
                    got[ng++] = (syn_rec){sl->pop, sl->lo + r, dst->pop,
                                          dst->lo + (sw & AXON_SYN_INDEX_MASK), sw >> 16,
                                          ((sw >> 12) & 15) + 1 + 16 * stage,
                                          (sw >> AXON_SYN_TYPE_LSB) & AXON_SYN_TYPE_MASK};
                }
            }
        }
    }
    cr_assert_eq(ng, nw, "image holds %zu synapses, network %zu", ng, nw);
    qsort(want, nw, sizeof *want, cmp_syn);
    qsort(got, ng, sizeof *got, cmp_syn);
    for (size_t k = 0; k < nw; k++)
        cr_assert_eq(memcmp(&want[k], &got[k], sizeof *want), 0,
                     "synapse %zu differs: want %u:%u -> %u:%u w %u d %u, got %u:%u -> %u:%u w %u d %u",
                     k, want[k].pre_pop, want[k].pre, want[k].post_pop, want[k].post,
                     want[k].weight, want[k].delay, got[k].pre_pop, got[k].pre, got[k].post_pop,
                     got[k].post, got[k].weight, got[k].delay);
    free(want);
    free(got);
    axon_destroy(ctx);
}

/* Walk one key through a set of tables (first match, default routing), collecting the
 * destination cores; independent of the engine's router. */
static void walk(const hl_map *m, const axon_route_entry *const *tabs, const uint32_t *ns,
                 uint32_t key, uint32_t src_chip, uint8_t *dest, int hops_left, int in,
                 uint32_t chip)
{
    static const int dx[] = AXON_LINK_DX_INIT, dy[] = AXON_LINK_DY_INIT;
    if (hops_left < 0)
        return;
    uint32_t route = 0;
    int hit = 0;
    for (uint32_t e = 0; e < ns[chip] && !hit; e++)
        if ((key & tabs[chip][e].mask) == tabs[chip][e].key) {
            route = tabs[chip][e].route;
            hit = 1;
        }
    if (!hit) {
        if (in < 0)
            return;
        route = 1u << ((in + 3) % 6);
    }
    for (uint32_t c = 0; c < m->cpc; c++)
        if (route >> (6 + c) & 1)
            dest[chip * m->cpc + c]++;
    for (int l = 0; l < 6; l++)
        if (route >> l & 1) {
            int x = (int)(chip % m->w) + dx[l], y = (int)(chip / m->w) + dy[l];
            if (x < 0 || y < 0 || x >= (int)m->w || y >= (int)m->h)
                continue;
            walk(m, tabs, ns, key, src_chip, dest, hops_left - 1, (l + 3) % 6,
                 (uint32_t)y * m->w + (uint32_t)x);
        }
    (void)src_chip;
}

Test(hostlib, compressed_tables_route_every_key_like_the_originals)
{
    axon_ctx *ctx = random_network(3, 3, 32, 1);
    axon_image *img = axon_machine_image(ctx);
    cr_assert(img, "%s", axon_last_error(ctx));
    const hl_map *m = ctx->map;
    const axon_route_entry **orig = malloc(sizeof *orig * m->n_chips), **comp = malloc(sizeof *comp * m->n_chips);
    uint32_t *no = malloc(sizeof *no * m->n_chips), *nc = malloc(sizeof *nc * m->n_chips);
    uint64_t before = 0, after = 0;
    for (uint32_t ch = 0; ch < m->n_chips; ch++) {
        orig[ch] = m->tables[ch].orig;
        no[ch] = m->tables[ch].n_orig;
        axon_image_get_table(img, ch % m->w, ch / m->w, &comp[ch], &nc[ch]);
        before += no[ch];
        after += nc[ch];
    }
    cr_assert_lt(after, before, "compression merged nothing (%llu entries)", (unsigned long long)before);
    uint8_t *da = malloc(m->n_cores), *db = malloc(m->n_cores);
    uint64_t keys = 0;
    for (uint32_t g = 0; g < m->used_cores; g++) {
        const hl_mcore *c = &m->cores[g];
        uint32_t n = m->slices[c->slice].n;
        for (uint32_t s = 0; s < (c->is_de ? AXON_DE_STAGES : 1u); s++)
            for (uint32_t i = 0; i < n; i++) {
                uint32_t key = c->key | s << AXON_DE_STAGE_KEY_LSB | i;
                memset(da, 0, m->n_cores);
                memset(db, 0, m->n_cores);
                walk(m, orig, no, key, g / m->cpc, da, 64, -1, g / m->cpc);
                walk(m, comp, nc, key, g / m->cpc, db, 64, -1, g / m->cpc);
                cr_assert_eq(memcmp(da, db, m->n_cores), 0, "key 0x%08x routes differently", key);
                keys++;
            }
    }
    cr_assert(keys > 1000);
    free(da);
    free(db);
    free(orig);
    free(comp);
    free(no);
    free(nc);
    axon_destroy(ctx);
}

static void spikes_of(axon_ctx *ctx, axon_pop p, size_t *n, uint32_t **neuron, double **t)
{
    OK(axon_get_spikes(ctx, p, n, NULL, NULL, 0));
    *neuron = malloc(sizeof **neuron * (*n + 1));
    *t = malloc(sizeof **t * (*n + 1));
    OK(axon_get_spikes(ctx, p, NULL, *neuron, *t, *n));
}

static void same_spikes(axon_ctx *a, axon_ctx *b, axon_pop p, const char *what)
{
    size_t na, nb;
    uint32_t *ia, *ib;
    double *ta, *tb;
    spikes_of(a, p, &na, &ia, &ta);
    spikes_of(b, p, &nb, &ib, &tb);
    cr_assert_eq(na, nb, "%s: %zu vs %zu spikes", what, na, nb);
    cr_assert(na > 50, "%s: only %zu spikes", what, na);
    cr_assert_eq(memcmp(ia, ib, na * sizeof *ia), 0, "%s: neurons differ", what);
    cr_assert_eq(memcmp(ta, tb, na * sizeof *ta), 0, "%s: times differ", what);
    free(ia);
    free(ib);
    free(ta);
    free(tb);
}

Test(hostlib, runs_continue_reset_repeats_threads_agree)
{
    axon_ctx *a = random_network(2, 2, 64, 1), *b = random_network(2, 2, 64, 2);
    axon_ctx *ctx = a;
    OK(axon_run(a, 300));
    ctx = b;
    OK(axon_run(b, 100));
    OK(axon_run(b, 150));
    OK(axon_run(b, 50));
    cr_assert_float_eq(axon_time(b), 300.0, 1e-9);
    same_spikes(a, b, 0, "one run vs three, 1 vs 2 threads");
    ctx = b;
    OK(axon_reset(b));
    cr_assert_float_eq(axon_time(b), 0.0, 1e-12);
    size_t n;
    OK(axon_get_spikes(b, 0, &n, NULL, NULL, 0));
    cr_assert_eq(n, 0, "reset discards recordings");
    OK(axon_run(b, 300));
    same_spikes(a, b, 0, "after reset");
    same_spikes(a, b, 1, "population b after reset");
    /* v of population c sampled every 2 ms: 150 samples of 90 neurons */
    uint32_t nn, ns;
    double interval;
    ctx = a;
    OK(axon_get_signal(a, 2, "v", &nn, &ns, &interval, NULL, NULL));
    cr_assert_eq(nn, 90);
    cr_assert_eq(ns, 150);
    cr_assert_float_eq(interval, 2.0, 1e-12);
    double *v = malloc(sizeof *v * nn * ns);
    OK(axon_get_signal(a, 2, "v", NULL, NULL, NULL, NULL, v));
    cr_assert_float_eq(v[0], -65.0, 1e-9, "v starts at its initial value");
    for (size_t k = 0; k < (size_t)nn * ns; k++)
        cr_assert(v[k] > -90 && v[k] < -40, "v[%zu] = %g", k, v[k]);
    free(v);
    axon_run_stats st;
    OK(axon_stats(a, &st));
    cr_assert(st.synaptic_events > 10000);
    cr_assert_eq(st.dropped_packets, 0);
    cr_assert_eq(st.mpt_misses, 0, "every packet that reaches a core finds its rows");
    axon_destroy(a);
    axon_destroy(b);
}

Test(hostlib, bad_input_is_named_and_the_context_stays_usable)
{
    axon_ctx *ctx = new_ctx(1.0);
    axon_pop p, s;
    cr_assert_eq(axon_population(ctx, 10, "IF_curr_expo", "x", NULL, &p), AXON_ERR_NOT_FOUND);
    cr_assert(strstr(axon_last_error(ctx), "IF_curr_expo"));
    cr_assert_eq(axon_population(ctx, 0, "IF_curr_exp", "x", NULL, &p), AXON_ERR_INVALID_ARG);
    OK(axon_population(ctx, 10, "IF_curr_exp", "x", NULL, &p));
    cr_assert_eq(axon_population(ctx, 10, "IF_curr_exp", "x", NULL, &s), AXON_ERR_INVALID_ARG,
                 "duplicate label");
    axon_value neg = axon_const(-5.0), nan_v = axon_const(NAN);
    cr_assert_eq(axon_pop_set(ctx, p, "tau_m", &neg), AXON_ERR_INVALID_ARG);
    cr_assert(strstr(axon_last_error(ctx), "tau_m"), "%s", axon_last_error(ctx));
    cr_assert(strstr(axon_last_error(ctx), "-5"), "%s", axon_last_error(ctx));
    double tm[10];
    OK(axon_pop_get(ctx, p, "tau_m", tm));
    cr_assert_float_eq(tm[3], 20.0, 1e-12, "a rejected value leaves the old one");
    cr_assert_eq(axon_pop_set(ctx, p, "v_rest", &nan_v), AXON_ERR_INVALID_ARG);
    cr_assert_eq(axon_pop_set(ctx, p, "tau_q", &neg), AXON_ERR_NOT_FOUND);
    cr_assert(strstr(axon_last_error(ctx), "tau_q"));
    axon_view v;
    cr_assert_eq(axon_view_slice(ctx, p, 5, 20, 1, &v), AXON_ERR_INVALID_ARG);
    cr_assert(strstr(axon_last_error(ctx), "outside population 'x'"), "%s", axon_last_error(ctx));
    uint32_t idx[] = {1, 12};
    cr_assert_eq(axon_view_indices(ctx, p, idx, 2, &v), AXON_ERR_INVALID_ARG);
    cr_assert(strstr(axon_last_error(ctx), "12"));
    OK(axon_population(ctx, 5, "SpikeSourcePoisson", "s", NULL, &s));
    axon_value fast = axon_const(1e6);
    cr_assert_eq(axon_pop_set(ctx, s, "rate", &fast), AXON_ERR_INVALID_ARG);
    cr_assert(strstr(axon_last_error(ctx), "rate"), "%s", axon_last_error(ctx));
    axon_view vp = axon_whole(ctx, p), vs = axon_whole(ctx, s);
    axon_connector all = axon_connector_default(AXON_CONN_ALL_TO_ALL);
    axon_synapse bad_sign = {axon_const(-0.5), axon_const(1)};
    cr_assert_eq(axon_projection(ctx, &vs, &vp, &all, &bad_sign, "excitatory", NULL, NULL, NULL),
                 AXON_ERR_INVALID_ARG);
    cr_assert(strstr(axon_last_error(ctx), "negative"), "%s", axon_last_error(ctx));
    axon_synapse long_delay = {axon_const(0.5), axon_const(145)};
    cr_assert_eq(axon_projection(ctx, &vs, &vp, &all, &long_delay, "excitatory", NULL, NULL, NULL),
                 AXON_ERR_INVALID_ARG);
    cr_assert(strstr(axon_last_error(ctx), "145"), "%s", axon_last_error(ctx));
    axon_synapse short_delay = {axon_const(0.5), axon_const(0.4)};
    cr_assert_eq(axon_projection(ctx, &vs, &vp, &all, &short_delay, "excitatory", NULL, NULL, NULL),
                 AXON_ERR_INVALID_ARG);
    cr_assert_eq(axon_projection(ctx, &vp, &vs, &all, &short_delay, "excitatory", NULL, NULL, NULL),
                 AXON_ERR_INVALID_ARG, "a source cannot receive");
    cr_assert_eq(axon_projection(ctx, &vs, &vp, &all, &short_delay, "modulatory", NULL, NULL, NULL),
                 AXON_ERR_INVALID_ARG);
    cr_assert_eq(axon_run(ctx, 10.5), AXON_ERR_INVALID_ARG, "10.5 ms is not whole steps");
    cr_assert(strstr(axon_last_error(ctx), "10.5"));
    /* after all that, the context still maps and runs what is valid */
    OK(axon_run(ctx, 10));
    cr_assert_float_eq(axon_time(ctx), 10.0, 1e-12);
    axon_destroy(ctx);
}

Test(hostlib, network_too_large_for_the_machine)
{
    axon_ctx *ctx = new_ctx(1.0);
    axon_machine_opts mo = {.width = 1, .height = 1, .cores_per_chip = 2,
                            .neurons_per_core = 100, .threads = 1};
    OK(axon_set_machine(ctx, &mo));
    axon_pop p;
    OK(axon_population(ctx, 500, "IF_curr_exp", "big", NULL, &p));
    cr_assert_eq(axon_run(ctx, 10), AXON_ERR_CAPACITY);
    cr_assert(strstr(axon_last_error(ctx), "5 cores needed"), "%s", axon_last_error(ctx));
    mo.cores_per_chip = 5;
    OK(axon_set_machine(ctx, &mo));
    OK(axon_run(ctx, 10));
    axon_destroy(ctx);
}

/* Streaming output with spikes recorded on part of a population and v on another part;
 * axon_write_hdf5 on the same results. Both files must be complete (not truncated). */
Test(hostlib, hdf5_output_with_partial_recordings)
{
    axon_ctx *ctx = random_network(2, 2, 64, 1);
    axon_view part, vpart;
    OK(axon_view_slice(ctx, 1, 10, 60, 2, &part));
    OK(axon_record(ctx, &part, "spikes", 0));
    OK(axon_view_slice(ctx, 1, 0, 20, 1, &vpart));
    OK(axon_record(ctx, &vpart, "v", 0));
    char stream[] = "/tmp/axon_h5_XXXXXX", whole[] = "/tmp/axon_h5w_XXXXXX";
    int fd = mkstemp(stream);
    cr_assert(fd >= 0);
    close(fd);
    fd = mkstemp(whole);
    cr_assert(fd >= 0);
    close(fd);
    OK(axon_set_output(ctx, stream, 1));
    OK(axon_run(ctx, 120));
    OK(axon_write_hdf5(ctx, whole));
    OK(axon_end(ctx));
    /* both files open as HDF5 with the NWB marker, and are not truncated */
    for (int k = 0; k < 2; k++) {
        FILE *f = fopen(k ? whole : stream, "rb");
        cr_assert(f);
        unsigned char sig[8];
        cr_assert_eq(fread(sig, 1, 8, f), 8);
        fclose(f);
        cr_assert_eq(memcmp(sig, "\x89HDF\r\n\x1a\n", 8), 0, "not an HDF5 file");
    }
    unlink(stream);
    unlink(whole);
    axon_destroy(ctx);
}

/* shortest hop count on the hexagonal mesh / torus: links move by (1,0), (1,1), (0,1) and
 * their opposites, so a displacement with both signs equal costs max(|dx|, |dy|), else
 * |dx| + |dy|; on a torus the best of the wrapped images */
static int hex_hops(int dx, int dy, int w, int h, int wrap)
{
    int best = 1 << 30;
    for (int ax = wrap ? -1 : 0; ax <= (wrap ? 1 : 0); ax++)
        for (int ay = wrap ? -1 : 0; ay <= (wrap ? 1 : 0); ay++) {
            int x = dx + ax * w, y = dy + ay * h;
            int d = (x >= 0) == (y >= 0) ? (abs(x) > abs(y) ? abs(x) : abs(y)) : abs(x) + abs(y);
            if (d < best)
                best = d;
        }
    return best;
}

/* Replay: every key of every emitting core is followed through the machine with the
 * original tables; at every chip it reaches (and arrival link) the compressed table must
 * give exactly the same outputs (first match, else default routing / drop), every
 * destination core gets it once, over a shortest path. Mesh and torus. */
Test(hostlib, replay_compressed_tables_per_chip_on_shortest_multicast_trees)
{
    static const int dx[] = AXON_LINK_DX_INIT, dy[] = AXON_LINK_DY_INIT;
    for (int wrap = 0; wrap <= 1; wrap++) {
        axon_ctx *ctx = random_network_wrap(4, 3, 32, 1, wrap);
        axon_image *img = axon_machine_image(ctx);
        cr_assert(img, "%s", axon_last_error(ctx));
        const hl_map *m = ctx->map;
        uint32_t *arrivals = malloc(sizeof *arrivals * m->n_cores);
        uint32_t *q = malloc(sizeof *q * 4096);
        uint64_t visits = 0, keys = 0;
        for (uint32_t g = 0; g < m->used_cores; g++) {
            const hl_mcore *c = &m->cores[g];
            if (!c->n_dest)
                continue;
            uint32_t src = g / m->cpc;
            for (uint32_t k = 0; k < c->span; k++) {
                uint32_t key = c->key | k;
                memset(arrivals, 0, sizeof *arrivals * m->n_cores);
                /* queue of (chip, in link + 1, hops) */
                uint32_t head = 0, tail = 0;
                q[tail++] = src;
                q[tail++] = 0;
                q[tail++] = 0;
                while (head < tail) {
                    uint32_t chip = q[head++], in1 = q[head++], hops = q[head++];
                    int in = (int)in1 - 1;
                    const axon_route_entry *ce;
                    uint32_t cn, ro = 0, rc = 0;
                    axon_image_get_table(img, chip % m->w, chip / m->w, &ce, &cn);
                    int ho = axon_mc_lookup(m->tables[chip].orig, m->tables[chip].n_orig, key, &ro);
                    int hc = axon_mc_lookup(ce, cn, key, &rc);
                    if (!ho)
                        ro = in < 0 ? 0 : 1u << ((in + 3) % 6);
                    if (!hc)
                        rc = in < 0 ? 0 : 1u << ((in + 3) % 6);
                    cr_assert_eq(ro, rc, "wrap %d key 0x%08x chip %u from link %d: original route 0x%06x, compressed 0x%06x",
                                 wrap, key, chip, in, ro, rc);
                    visits++;
                    for (uint32_t cc = 0; cc < m->cpc; cc++)
                        if (ro >> (AXON_ROUTE_CORE_LSB + cc) & 1u) {
                            uint32_t gid = chip * m->cpc + cc;
                            arrivals[gid]++;
                            int ddx = (int)(chip % m->w) - (int)(src % m->w), ddy = (int)(chip / m->w) - (int)(src / m->w);
                            cr_assert_eq((int)hops, hex_hops(ddx, ddy, (int)m->w, (int)m->h, wrap),
                                         "key 0x%08x reaches chip %u in %u hops, shortest %d", key, chip, hops,
                                         hex_hops(ddx, ddy, (int)m->w, (int)m->h, wrap));
                        }
                    for (int l = 0; l < 6; l++) {
                        if (!(ro >> l & 1u))
                            continue;
                        int x = (int)(chip % m->w) + dx[l], y = (int)(chip / m->w) + dy[l];
                        if (wrap) {
                            x = (x + (int)m->w) % (int)m->w;
                            y = (y + (int)m->h) % (int)m->h;
                        }
                        cr_assert(x >= 0 && y >= 0 && x < (int)m->w && y < (int)m->h, "route leaves the mesh");
                        cr_assert_lt(hops, 64u, "key 0x%08x loops", key);
                        cr_assert_lt(tail + 3, 4096u);
                        q[tail++] = (uint32_t)y * m->w + (uint32_t)x;
                        q[tail++] = (uint32_t)((l + 3) % 6) + 1;
                        q[tail++] = hops + 1;
                    }
                }
                for (uint32_t d = 0; d < m->n_cores; d++)
                    cr_assert_leq(arrivals[d], 1u, "key 0x%08x delivered %u times to core %u", key, arrivals[d], d);
                keys++;
            }
        }
        cr_assert(keys > 500 && visits > keys, "keys %llu visits %llu", (unsigned long long)keys,
                  (unsigned long long)visits);
        free(arrivals);
        free(q);
        axon_destroy(ctx);
    }
}
