/* Engine properties (docs/spec/engine.md): determinism, thread independence, continuation,
 * reset, spike callbacks, recording drain, float64 mode, argument checks. */
#include "tnet.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

typedef struct trace {
    uint32_t n, cap;
    uint32_t *rows; /* (step, core, key) triples */
} trace;

static void on_spike(void *user, uint32_t step, uint32_t core, uint32_t key)
{
    trace *t = user;
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 1024;
        t->rows = realloc(t->rows, sizeof(uint32_t) * 3 * t->cap);
    }
    t->rows[3 * t->n] = step;
    t->rows[3 * t->n + 1] = core;
    t->rows[3 * t->n + 2] = key;
    t->n++;
}

typedef struct result {
    trace spikes;
    uint32_t *rec;      /* all cores' recordings concatenated */
    size_t rec_n;
    uint64_t *cnt;      /* all counters */
    size_t cnt_n;
} result;

static axon_engine *make(uint64_t seed, unsigned threads, axon_arith arith)
{
    tnet *t = tnet_random(seed, 2, 2, 3);
    axon_image *img = tnet_image(t);
    tnet_free(t);
    axon_engine *e;
    char err[AXON_ERRMSG_LEN];
    axon_engine_opts o = {arith, threads};
    int rc = axon_engine_create(&e, img, &o, err);
    cr_assert_eq(rc, AXON_OK, "seed %llu: %s", (unsigned long long)seed, err);
    axon_image_destroy(img);
    return e;
}

static void collect(axon_engine *e, result *r)
{
    for (uint32_t y = 0; y < 2; y++)
        for (uint32_t x = 0; x < 2; x++) {
            uint64_t rc[AXON_CNT_ROUTER_N];
            axon_engine_router_counters(e, x, y, rc);
            r->cnt = realloc(r->cnt, sizeof(uint64_t) * (r->cnt_n + AXON_CNT_ROUTER_N));
            memcpy(r->cnt + r->cnt_n, rc, sizeof rc);
            r->cnt_n += AXON_CNT_ROUTER_N;
            for (uint32_t c = 0; c < 3; c++) {
                const uint32_t *w;
                size_t n;
                axon_engine_recording(e, x, y, c, &w, &n);
                r->rec = realloc(r->rec, sizeof(uint32_t) * (r->rec_n + n + 1));
                if (n)
                    memcpy(r->rec + r->rec_n, w, n * sizeof *w);
                r->rec_n += n;
                uint64_t cc[AXON_CNT_CORE_N];
                axon_engine_core_counters(e, x, y, c, cc);
                r->cnt = realloc(r->cnt, sizeof(uint64_t) * (r->cnt_n + AXON_CNT_CORE_N));
                memcpy(r->cnt + r->cnt_n, cc, sizeof cc);
                r->cnt_n += AXON_CNT_CORE_N;
            }
        }
}

static void run_collect(uint64_t seed, unsigned threads, const uint32_t *chunks, int n_chunks,
                        result *r)
{
    memset(r, 0, sizeof *r);
    axon_engine *e = make(seed, threads, AXON_ARITH_FIXED);
    axon_engine_set_spike_fn(e, on_spike, &r->spikes);
    for (int k = 0; k < n_chunks; k++)
        cr_assert_eq(axon_engine_run(e, chunks[k]), AXON_OK);
    collect(e, r);
    axon_engine_destroy(e);
}

static void same(const result *a, const result *b, const char *what, uint64_t seed)
{
    cr_assert_eq(a->spikes.n, b->spikes.n, "%s, seed %llu: %u vs %u packets", what,
                 (unsigned long long)seed, a->spikes.n, b->spikes.n);
    cr_assert_eq(memcmp(a->spikes.rows, b->spikes.rows, sizeof(uint32_t) * 3 * a->spikes.n), 0,
                 "%s, seed %llu: packet order differs", what, (unsigned long long)seed);
    cr_assert_eq(a->rec_n, b->rec_n, "%s: recording length", what);
    cr_assert_eq(memcmp(a->rec, b->rec, a->rec_n * 4), 0, "%s: recordings differ", what);
    cr_assert_eq(a->cnt_n, b->cnt_n);
    cr_assert_eq(memcmp(a->cnt, b->cnt, a->cnt_n * 8), 0, "%s: counters differ", what);
}

static void result_free(result *r)
{
    free(r->spikes.rows);
    free(r->rec);
    free(r->cnt);
}

Test(engine, random_networks_are_active)
{
    /* guard: the determinism tests below are only meaningful if the networks do things */
    uint32_t steps = 300;
    for (uint64_t seed = 1; seed <= 4; seed++) {
        result r;
        run_collect(seed, 1, &steps, 1, &r);
        cr_assert(r.spikes.n > 100, "seed %llu: only %u packets", (unsigned long long)seed,
                  r.spikes.n);
        cr_assert(r.rec_n > 1000);
        result_free(&r);
    }
}

Test(engine, same_image_same_bits)
{
    uint32_t steps = 300;
    for (uint64_t seed = 1; seed <= 4; seed++) {
        result a, b;
        run_collect(seed, 1, &steps, 1, &a);
        run_collect(seed, 1, &steps, 1, &b);
        same(&a, &b, "repeat", seed);
        result_free(&a);
        result_free(&b);
    }
}

Test(engine, threads_give_identical_results)
{
    uint32_t steps = 300;
    for (uint64_t seed = 1; seed <= 6; seed++) {
        result a, b, c;
        run_collect(seed, 1, &steps, 1, &a);
        run_collect(seed, 2, &steps, 1, &b);
        run_collect(seed, 3, &steps, 1, &c);
        same(&a, &b, "1 vs 2 threads", seed);
        same(&a, &c, "1 vs 3 threads", seed);
        result_free(&a);
        result_free(&b);
        result_free(&c);
    }
}

Test(engine, runs_continue_where_they_stopped)
{
    uint32_t one[] = {300}, many[] = {1, 99, 50, 150};
    for (uint64_t seed = 7; seed <= 9; seed++) {
        result a, b;
        run_collect(seed, 1, one, 1, &a);
        run_collect(seed, 2, many, 4, &b);
        same(&a, &b, "one run vs four", seed);
        result_free(&a);
        result_free(&b);
    }
}

Test(engine, reset_returns_to_the_image)
{
    result a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    axon_engine *e = make(11, 1, AXON_ARITH_FIXED);
    axon_engine_set_spike_fn(e, on_spike, &a.spikes);
    axon_engine_run(e, 200);
    collect(e, &a);
    cr_assert_eq(axon_engine_step(e), 200);
    cr_assert_eq(axon_engine_reset(e), AXON_OK);
    cr_assert_eq(axon_engine_step(e), 0);
    axon_engine_set_spike_fn(e, on_spike, &b.spikes);
    axon_engine_run(e, 200);
    collect(e, &b);
    same(&a, &b, "before and after reset", 11);
    axon_engine_destroy(e);
    result_free(&a);
    result_free(&b);
}

Test(engine, callback_order_is_step_then_core)
{
    uint32_t steps = 200;
    result r;
    run_collect(3, 2, &steps, 1, &r);
    for (uint32_t i = 1; i < r.spikes.n; i++) {
        const uint32_t *p = r.spikes.rows + 3 * (i - 1), *q = p + 3;
        cr_assert(p[0] < q[0] || (p[0] == q[0] && p[1] <= q[1]), "row %u out of order", i);
    }
    result_free(&r);
}

Test(engine, drain_empties_recording)
{
    axon_engine *e = make(5, 1, AXON_ARITH_FIXED);
    axon_engine_run(e, 50);
    const uint32_t *w;
    size_t n;
    axon_engine_recording(e, 1, 0, 0, &w, &n);
    cr_assert(n > 0);
    cr_assert_eq(axon_engine_recording_drain(e, 1, 0, 0), AXON_OK);
    axon_engine_recording(e, 1, 0, 0, &w, &n);
    cr_assert_eq(n, 0);
    axon_engine_run(e, 10);
    axon_engine_recording(e, 1, 0, 0, &w, &n);
    size_t pos = 0;
    axon_rec_block b;
    cr_assert_eq(axon_rec_next(w, n, &pos, 0, &b), 1);
    cr_assert_geq(b.step, 50, "after a drain only new steps appear");
    axon_engine_destroy(e);
}

Test(engine, float64_mode_close_to_fixed)
{
    /* same network, both arithmetics: LIF-family membrane potentials agree to well within
     * 0.05 mV over the first steps (the difference is rounding only; chaotic networks diverge
     * later, so this guards gross errors). Izhikevich cores are excluded: the fixed solver
     * uses 0.04 ~ 1311/2^15, an intended constant difference of ~0.03 mV per ms at rest. */
    tnet *t = tnet_random(2, 2, 2, 3);
    axon_image *img = tnet_image(t);
    tnet_free(t);
    axon_engine *a = make(2, 1, AXON_ARITH_FIXED), *b = make(2, 1, AXON_ARITH_FLOAT64);
    axon_engine_run(a, 5);
    axon_engine_run(b, 5);
    int compared = 0;
    for (uint32_t g = 0; g < 12; g++) {
        uint32_t x = (g / 3) % 2, y = g / 6, c = g % 3, n;
        const uint32_t *w;
        axon_image_get_core(img, x, y, c, &w, &n);
        if (!n || w[AXON_CORE_H_KIND] != AXON_KIND_NEURON || w[AXON_CORE_H_MODEL] == AXON_MODEL_IZHIKEVICH)
            continue;
        for (uint32_t i = 0; i < w[AXON_CORE_H_N_NEURONS]; i++) {
            double va, vb;
            cr_assert_eq(axon_engine_state_value(a, x, y, c, i, 0, &va), AXON_OK);
            cr_assert_eq(axon_engine_state_value(b, x, y, c, i, 0, &vb), AXON_OK);
            cr_assert_float_eq(va, vb, 0.05, "core %u neuron %u: %f vs %f", g, i, va, vb);
            compared++;
        }
        uint32_t word;
        cr_assert_eq(axon_engine_state_word(b, x, y, c, 0, 0, &word), AXON_ERR_STATE);
    }
    cr_assert(compared > 0);
    axon_image_destroy(img);
    axon_engine_destroy(a);
    axon_engine_destroy(b);
}

Test(engine, bad_arguments)
{
    axon_engine *e = make(1, 1, AXON_ARITH_FIXED);
    uint64_t cnt[AXON_CNT_CORE_N];
    cr_assert_eq(axon_engine_core_counters(e, 5, 0, 0, cnt), AXON_ERR_INVALID_ARG);
    cr_assert_eq(axon_engine_core_counters(e, 0, 0, 3, cnt), AXON_ERR_INVALID_ARG);
    uint32_t w;
    cr_assert_eq(axon_engine_state_word(e, 0, 0, 0, 0, 0, &w), AXON_ERR_INVALID_ARG,
                 "core 0 is a Poisson source: no state words");
    cr_assert_eq(axon_engine_set_param_word(e, 0, 0, 1, 0, 0, 0), AXON_ERR_INVALID_ARG);
    cr_assert(strstr(axon_engine_last_error(e), "no parameter blocks"));
    axon_engine_run(e, 10);
    cr_assert_eq(axon_engine_run(e, UINT32_MAX), AXON_ERR_RANGE);
    cr_assert(strstr(axon_engine_last_error(e), "overflows"));
    axon_engine_destroy(e);
}
