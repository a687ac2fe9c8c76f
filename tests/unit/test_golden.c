/* The golden functions of axon/golden.h (used by the RTL testbenches, docs/rtl.md) against
 * the engine: a neuron core of every model receiving random spikes is run step by step,
 * and axon_golden_neuron_step(), fed with ring-buffer words computed by
 * axon_rb_accumulate(), must reproduce every state word, recorded sample and spike, and the
 * saturation counter. */
#include "tnet.h"

#include "axon/golden.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#define CORE(c) (1u << (AXON_ROUTE_CORE_LSB + (c)))

enum { N = 12, NS = 8, NEV = 60, STEPS = 80, SH_E = 4, SH_I = 5 };

static uint64_t rng_state;
static uint32_t rnd(uint32_t n)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(rng_state >> 33) % n;
}

static void check_model(const char *name, double ioff_lo, double ioff_hi)
{
    const double dt = 1.0;
    const axon_model_info *m = axon_model_find(name);
    cr_assert_not_null(m);
    int ii = axon_model_param_index(m, "i_offset");
    cr_assert_geq(ii, 0);
    double *params = calloc((size_t)N * m->n_params, sizeof(double));
    for (uint32_t i = 0; i < N; i++) {
        for (uint32_t k = 0; k < m->n_params; k++)
            params[i * m->n_params + k] = m->params[k].def;
        params[i * m->n_params + (uint32_t)ii] = ioff_lo + (ioff_hi - ioff_lo) * i / (N - 1);
    }
    tnet *t = tnet_new(1, 1, 2, dt, 0);
    uint32_t ev[2 * NEV];
    for (uint32_t e = 0; e < NEV; e++) {
        ev[2 * e] = rnd(STEPS - 10);
        ev[2 * e + 1] = rnd(NS);
    }
    int src = tnet_array(t, 0, 0, 0, NS, ev, NEV, 0x100, 0);
    int dst = tnet_neurons(t, 0, 0, 1, name, N, params, NULL, 0x200, 0xF, 1);
    cr_assert_geq(dst, 0);
    tnet_weight_shift(t, dst, 0, SH_E);
    tnet_weight_shift(t, dst, 1, SH_I);
    tnet_syn syn[NS * N];
    uint32_t ns = 0;
    for (uint32_t pre = 0; pre < NS; pre++)
        for (uint32_t post = 0; post < N; post++) {
            if (rnd(3) == 0)
                continue;
            uint32_t w = rnd(4) == 0 ? 20000 + rnd(40000) : rnd(3000);
            syn[ns++] = (tnet_syn){pre, post, w, 1 + rnd(16), rnd(2)};
        }
    tnet_connect(t, src, dst, syn, ns, 0, 0);
    tnet_route(t, 0, 0, 0x100, 0xFFFFFF00u, CORE(1));
    axon_image *img = tnet_image(t);
    axon_engine *e;
    char err[AXON_ERRMSG_LEN];
    cr_assert_eq(axon_engine_create(&e, img, NULL, err), AXON_OK, "%s", err);
    axon_image_destroy(img);

    /* the golden side: parameter and initial state blocks, ring buffers */
    uint32_t p[N][AXON_GOLDEN_MAX_WORDS], s[N][AXON_GOLDEN_MAX_WORDS];
    cr_assert_eq(axon_golden_param_words(m->id), m->param_words);
    cr_assert_eq(axon_golden_state_words(m->id), m->state_words);
    double inits[AXON_GOLDEN_MAX_WORDS];
    for (uint32_t k = 0; k < m->n_inits; k++)
        inits[k] = m->inits[k].def;
    for (uint32_t i = 0; i < N; i++) {
        cr_assert_eq(axon_model_convert(m, params + i * m->n_params, inits, dt, p[i], s[i], err),
                     AXON_OK, "%s", err);
        for (uint32_t k = 0; k < m->state_words; k++) {
            uint32_t w;
            cr_assert_eq(axon_engine_state_word(e, 0, 0, 1, i, k, &w), AXON_OK);
            cr_assert_eq(w, s[i][k]);
        }
    }
    static uint32_t rb[AXON_SYN_RING_SLOTS][AXON_SYN_N_TYPES][N];
    memset(rb, 0, sizeof rb);
    int32_t smp[STEPS][3][N];
    uint32_t spikes[STEPS][N], sat = 0, n_spikes = 0;
    for (uint32_t st = 0; st < STEPS; st++) {
        const uint32_t slot = st % AXON_SYN_RING_SLOTS;
        for (uint32_t i = 0; i < N; i++) {
            axon_golden_neuron_out o;
            cr_assert_eq(axon_golden_neuron_step(m->id, SH_E | SH_I << AXON_WEIGHT_SHIFT_BITS,
                                                 p[i], s[i], rb[slot][0][i], rb[slot][1][i],
                                                 &o),
                         0);
            rb[slot][0][i] = rb[slot][1][i] = 0;
            smp[st][0][i] = o.v_sample;
            smp[st][1][i] = o.gsyn_exc;
            smp[st][2][i] = o.gsyn_inh;
            spikes[st][i] = o.spike;
            n_spikes += o.spike;
            sat += o.saturations;
        }
        for (uint32_t k = 0; k < NEV; k++) /* deliveries of this step's source spikes */
            if (ev[2 * k] == st)
                for (uint32_t j = 0; j < ns; j++)
                    if (syn[j].pre == ev[2 * k + 1]) {
                        uint32_t *a =
                            &rb[(st + syn[j].delay) % AXON_SYN_RING_SLOTS][syn[j].type][syn[j].post];
                        *a = axon_rb_accumulate(*a, syn[j].weight);
                    }
        cr_assert_eq(axon_engine_run(e, 1), AXON_OK);
        for (uint32_t i = 0; i < N; i++)
            for (uint32_t k = 0; k < m->state_words; k++) {
                uint32_t w;
                cr_assert_eq(axon_engine_state_word(e, 0, 0, 1, i, k, &w), AXON_OK);
                cr_assert_eq(w, s[i][k], "%s step %u neuron %u state word %u: engine %08x golden %08x",
                             name, st, i, k, w, s[i][k]);
            }
    }
    tnet_rec r;
    cr_assert_eq(tnet_rec_read(e, 0, 0, 1, 0, &r), AXON_OK);
    cr_assert_eq(r.n_samples, STEPS);
    for (uint32_t st = 0; st < STEPS; st++)
        for (uint32_t v = 0; v < 3; v++)
            for (uint32_t i = 0; i < N; i++)
                cr_assert_eq(r.words[(size_t)st * r.n_values + v * N + i], smp[st][v][i],
                             "%s step %u var %u neuron %u", name, st, v, i);
    cr_assert_eq(r.n_spikes, n_spikes, "%s: spike count", name);
    for (uint32_t k = 0; k < r.n_spikes; k++)
        cr_assert(spikes[r.spike_step[k]][r.spike_idx[k]], "%s: spike of neuron %u at %u", name,
                  r.spike_idx[k], r.spike_step[k]);
    cr_assert_gt(n_spikes, 0, "%s: the test should make some neurons fire", name);
    uint64_t cnt[AXON_CNT_CORE_N];
    cr_assert_eq(axon_engine_core_counters(e, 0, 0, 1, cnt), AXON_OK);
    cr_assert_eq(cnt[AXON_CNT_CORE_SATURATIONS], sat, "%s: saturations", name);
    tnet_rec_free(&r);
    axon_engine_destroy(e);
    tnet_free(t);
    free(params);
}

Test(golden, neuron_step_matches_engine)
{
    rng_state = 12345;
    check_model("IF_curr_exp", 0.0, 1.5);
    check_model("IF_cond_exp", 0.0, 1.5);
    check_model("IF_curr_alpha", 0.0, 1.5);
    check_model("IF_curr_delta", 0.0, 1.5);
    check_model("Izhikevich", 0.0, 0.015);
}

Test(golden, unknown_model_is_rejected)
{
    uint32_t p[AXON_GOLDEN_MAX_WORDS] = {0}, s[AXON_GOLDEN_MAX_WORDS] = {0};
    axon_golden_neuron_out o;
    cr_assert_eq(axon_golden_neuron_step(0, 0, p, s, 0, 0, &o), AXON_ERR_UNSUPPORTED);
    cr_assert_eq(axon_golden_neuron_step(AXON_MODEL_MAX_ID + 1, 0, p, s, 0, 0, &o),
                 AXON_ERR_UNSUPPORTED);
    cr_assert_eq(axon_golden_param_words(0), 0);
}

Test(golden, ring_buffer_and_poisson_rules)
{
    cr_assert_eq(axon_rb_accumulate(0, 0xFFFF), 0xFFFF);
    cr_assert_eq(axon_rb_accumulate(0xFFFF, 1), AXON_RB_CAP);
    cr_assert_eq(axon_rb_accumulate(AXON_RB_CAP, 0xFFFF), AXON_RB_CAP);
    axon_kiss k = {123456789u, 362436069u, 21288629u, 7654321u};
    int capped = -1;
    cr_assert_eq(axon_poisson_draw(&k, 0xFFFFFFFFu, &capped), 0); /* lambda = 0 */
    cr_assert_eq(capped, 0);
    /* L = 0 stops when p reaches 0, after a few tens of draws (the cap is out of reach) */
    uint32_t n = axon_poisson_draw(&k, 0, &capped);
    cr_assert(n > 10 && n < AXON_POISSON_MAX_SPIKES_PER_STEP && capped == 0, "%u", n);
}
