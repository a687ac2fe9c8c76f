/* STDP in the golden engine (docs/spec/plasticity.md): each rule against the closed-form
 * pair update for hand-built spike pairs, clamping, multiplicative scaling, nearest vs all
 * pairs, the bounded post history, float64 mode, persistence, reset and validation.
 *
 * Setup: one presynaptic spike array (plastic, inhibitory type, tiny weights so it does not
 * disturb the neuron) and one driver array (static, huge excitatory weight) onto one
 * IF_curr_delta neuron. Post spike times are read from the recording; the expected weight
 * is computed here in double from those times with the PyNN formulas. */
#include "tnet.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CORE(c) (1u << (AXON_ROUTE_CORE_LSB + (c)))
#define PRE_KEY 0x100u
#define DRV_KEY 0x200u

typedef struct scase {
    axon_stdp_params rule;
    const uint32_t *pre;   /* presynaptic spike steps */
    uint32_t n_pre;
    const uint32_t *drv;   /* driver spike steps (each makes the neuron fire) */
    uint32_t n_drv;
    uint32_t delay, w0, steps;
    int f64;
} scase;

typedef struct sres {
    double w;
    uint32_t post[64], n_post;
    uint64_t events;
} sres;

static axon_stdp_params rule(uint32_t timing, uint32_t weight, double ap, double am,
                             uint32_t wmin, uint32_t wmax)
{
    return (axon_stdp_params){timing, weight, 20.0, 20.0, ap, am, wmin, wmax};
}

/* An amplitude as the region stores it (u11.20): the closed forms use the stored value, so
 * float64 mode can be held to rounding error. */
static double q(double a)
{
    return round(a * (1 << AXON_PLAST_AMP_FRAC_BITS)) / (1 << AXON_PLAST_AMP_FRAC_BITS);
}

static tnet *build(const scase *c, int *post_gid)
{
    tnet *t = tnet_new(1, 1, 3, 1.0, 0);
    uint32_t ev[128], dv[128];
    for (uint32_t i = 0; i < c->n_pre; i++)
        ev[2 * i] = c->pre[i], ev[2 * i + 1] = 0;
    for (uint32_t i = 0; i < c->n_drv; i++)
        dv[2 * i] = c->drv[i], dv[2 * i + 1] = 0;
    int pre = tnet_array(t, 0, 0, 0, 1, ev, c->n_pre, PRE_KEY, 0);
    int drv = tnet_array(t, 0, 0, 1, 1, dv, c->n_drv, DRV_KEY, 0);
    int post = tnet_neurons_uniform(t, 0, 0, 2, "IF_curr_delta", 1, NULL, NULL, 0x300,
                                    1u << AXON_REC_SPIKES, 1);
    tnet_weight_shift(t, post, AXON_SYN_TYPE_EXC, 15);
    tnet_weight_shift(t, post, AXON_SYN_TYPE_INH, 0);
    cr_assert_eq(tnet_plastic_rules(t, post, &c->rule, 1), AXON_OK);
    tnet_syn ps = {0, 0, c->w0, c->delay, AXON_SYN_TYPE_INH};
    tnet_connect_plastic(t, pre, post, &ps, 1, 0);
    tnet_syn ds = {0, 0, 65535, 1, AXON_SYN_TYPE_EXC};
    tnet_connect(t, drv, post, &ds, 1, 0, 0);
    tnet_route(t, 0, 0, PRE_KEY, 0xFFFFFF00u, CORE(2));
    tnet_route(t, 0, 0, DRV_KEY, 0xFFFFFF00u, CORE(2));
    *post_gid = post;
    return t;
}

static void run(const scase *c, sres *r)
{
    int post;
    tnet *t = build(c, &post);
    axon_image *img = tnet_image(t);
    axon_engine *e;
    char err[AXON_ERRMSG_LEN];
    axon_engine_opts o = {.threads = 1, .arith = c->f64 ? AXON_ARITH_FLOAT64 : AXON_ARITH_FIXED};
    int rc = axon_engine_create(&e, img, &o, err);
    cr_assert_eq(rc, AXON_OK, "%s", err);
    cr_assert_eq(axon_engine_run(e, c->steps), AXON_OK);
    uint32_t off;
    cr_assert_eq(tnet_find_syn(img, 0, 0, 2, PRE_KEY, 0, &off), AXON_OK);
    cr_assert_eq(axon_engine_syn_weight(e, 0, 0, 2, off, &r->w), AXON_OK);
    tnet_rec rec;
    cr_assert_eq(tnet_rec_read(e, 0, 0, 2, c->f64, &rec), AXON_OK);
    r->n_post = rec.n_spikes;
    for (uint32_t i = 0; i < rec.n_spikes && i < 64; i++)
        r->post[i] = rec.spike_step[i];
    tnet_rec_free(&rec);
    uint64_t cnt[AXON_CNT_CORE_N];
    axon_engine_core_counters(e, 0, 0, 2, cnt);
    r->events = cnt[AXON_CNT_CORE_SYNAPTIC_EVENTS];
    axon_engine_destroy(e);
    axon_image_destroy(img);
    tnet_free(t);
}

/* The reference: replay the same pre and post times through the pair rule in double
 * (Brian2-style event-driven traces: potentiation at each post arrival, depression at each
 * pre; post spikes reach the synapse `delay` steps after they happen). Only events that
 * the deferred update has applied by the end are counted: post arrivals before the last
 * pre spike. */
static double expect(const scase *c, const sres *r)
{
    const axon_stdp_params *p = &c->rule;
    int nearest = p->timing == AXON_PLAST_TIMING_SPIKE_NEAREST_PAIR;
    int add = p->weight == AXON_PLAST_WEIGHT_ADDITIVE;
    double w = c->w0, xpre = 0, ypost = 0;
    double tpre = -1e9, tpost = -1e9;
    uint32_t ip = 0, iq = 0, last_pre = c->pre[c->n_pre - 1];
    for (;;) {
        double a = ip < c->n_pre ? c->pre[ip] : INFINITY;
        double b = iq < r->n_post ? r->post[iq] + (double)c->delay : INFINITY;
        /* ties: the pre spike first, the post arrival then pairs with it at dt = 0 */
        if (isinf(a) && isinf(b))
            break;
        if (b < a) { /* post arrival */
            if (b >= last_pre) {
                iq++;
                continue;
            }
            double x = xpre * exp(-(b - tpre) / p->tau_plus);
            w += q(p->a_plus) * x * (add ? p->w_max : p->w_max - w);
            w = fmin(w, p->w_max);
            ypost = (nearest ? 0 : ypost * exp(-(b - tpost) / p->tau_minus)) + 1;
            tpost = b;
            iq++;
        } else {
            double y = ypost * exp(-(a - tpost) / p->tau_minus);
            w -= q(p->a_minus) * y * (add ? p->w_max : w - p->w_min);
            w = fmax(w, p->w_min);
            xpre = (nearest ? 0 : xpre * exp(-(a - tpre) / p->tau_plus)) + 1;
            tpre = a;
            ip++;
        }
    }
    return w;
}

static void check(const scase *c, double tol, double *dw_out)
{
    sres r;
    run(c, &r);
    double want = expect(c, &r);
    cr_assert(fabs(r.w - want) <= tol, "weight %.6f, closed form %.6f (w0 %u, %u posts, f64 %d)",
              r.w, want, c->w0, r.n_post, c->f64);
    if (dw_out)
        *dw_out = r.w - c->w0;
}

/* One pre/post pair at interval dt = t_post_arrival - t_pre, then a late pre spike that
 * applies the deferred potentiation (it is beyond the depression window). */
static double pair(uint32_t timing, uint32_t weight, int dt, int f64)
{
    const uint32_t delay = 1, t_pre = 400;
    /* the driver spike in step s makes the neuron fire in step s + 1; the post spike
     * reaches the synapse `delay` steps later */
    uint32_t drv[1] = {(uint32_t)((int)t_pre + dt - (int)delay - 1)};
    uint32_t pre[2] = {t_pre, 1000};
    scase c = {rule(timing, weight, 0.01, 0.012, 0, 20000), pre, 2, drv, 1, delay, 10000, 1100,
               f64};
    sres r;
    run(&c, &r);
    cr_assert_eq(r.n_post, 1, "one post spike for dt = %d", dt);
    cr_assert_eq((int)r.post[0] + (int)delay - (int)t_pre, dt, "post spike where intended");
    double dw;
    check(&c, f64 ? 1e-6 : 1.0, &dw);
    return dw;
}

Test(stdp, pair_rule_additive_closed_form_both_signs)
{
    const int dts[] = {1, 5, 20, 60, -1, -5, -20, -60};
    for (int f64 = 0; f64 < 2; f64++)
        for (unsigned i = 0; i < sizeof dts / sizeof *dts; i++) {
            double dw = pair(AXON_PLAST_TIMING_SPIKE_PAIR, AXON_PLAST_WEIGHT_ADDITIVE, dts[i], f64);
            /* closed form: A+ w_max e^(-dt/tau+) / -A- w_max e^(dt/tau-) */
            double want = dts[i] > 0 ? q(0.01) * 20000 * exp(-dts[i] / 20.0)
                                     : -q(0.012) * 20000 * exp(dts[i] / 20.0);
            cr_assert(fabs(dw - want) <= (f64 ? 1e-6 : 1.0), "dt %d: dw %.4f, want %.4f", dts[i],
                      dw, want);
        }
}

Test(stdp, beyond_the_window_no_change)
{
    /* table length for tau = 20 steps: entries round to 0 from there on */
    uint32_t len = axon_stdp_lut_len(20.0);
    cr_assert(len > 200 && len < 260, "table of %u entries", len);
    double dw = pair(AXON_PLAST_TIMING_SPIKE_PAIR, AXON_PLAST_WEIGHT_ADDITIVE, (int)len + 2, 0);
    cr_assert_eq(dw, 0.0);
    dw = pair(AXON_PLAST_TIMING_SPIKE_PAIR, AXON_PLAST_WEIGHT_ADDITIVE, -(int)len - 2, 0);
    cr_assert_eq(dw, 0.0);
}

Test(stdp, nearest_pair_single_pair_equals_pair_rule)
{
    const int dts[] = {3, -3, 30, -30};
    for (unsigned i = 0; i < 4; i++)
        cr_assert_eq(pair(AXON_PLAST_TIMING_SPIKE_NEAREST_PAIR, AXON_PLAST_WEIGHT_ADDITIVE, dts[i], 0),
                     pair(AXON_PLAST_TIMING_SPIKE_PAIR, AXON_PLAST_WEIGHT_ADDITIVE, dts[i], 0));
}

Test(stdp, multiplicative_scales_with_distance_to_bounds)
{
    const uint32_t pre[2] = {100, 600};
    for (int f64 = 0; f64 < 2; f64++)
        for (uint32_t w0 = 2000; w0 <= 18000; w0 += 8000) {
            uint32_t drv[1] = {103}; /* post arrives at 105: dt = +5 */
            scase c = {rule(AXON_PLAST_TIMING_SPIKE_PAIR, AXON_PLAST_WEIGHT_MULTIPLICATIVE, 0.1,
                            0.1, 1000, 20000),
                       pre, 2, drv, 1, 1, w0, 700, f64};
            double dw;
            check(&c, f64 ? 1e-6 : 1.0, &dw);
            double want = q(0.1) * (20000.0 - w0) * exp(-5 / 20.0);
            cr_assert(fabs(dw - want) <= (f64 ? 1e-6 : 1.0), "w0 %u: +%.3f vs %.3f", w0, dw, want);
            drv[0] = 93; /* post arrives at 95: dt = -5 */
            check(&c, f64 ? 1e-6 : 1.0, &dw);
            want = -q(0.1) * (w0 - 1000.0) * exp(-5 / 20.0);
            cr_assert(fabs(dw - want) <= (f64 ? 1e-6 : 1.0), "w0 %u: %.3f vs %.3f", w0, dw, want);
        }
}

Test(stdp, clamping_at_both_bounds)
{
    const uint32_t pre[2] = {100, 600};
    uint32_t drv[1] = {100};
    scase c = {rule(AXON_PLAST_TIMING_SPIKE_PAIR, AXON_PLAST_WEIGHT_ADDITIVE, 0.5, 0.5, 3000, 12000),
               pre, 2, drv, 1, 1, 11000, 700, 0};
    sres r;
    run(&c, &r);
    cr_assert_eq(r.w, 12000.0, "clamped at w_max: %g", r.w);
    drv[0] = 90;
    c.w0 = 4000;
    run(&c, &r);
    cr_assert_eq(r.w, 3000.0, "clamped at w_min: %g", r.w);
}

Test(stdp, all_pairs_vs_nearest_pairs)
{
    /* pre at 100 and 110, post arrival at 115, late pre at 600 */
    const uint32_t pre[3] = {100, 110, 600};
    uint32_t drv[1] = {113};
    for (uint32_t timing = 0; timing < 2; timing++) {
        scase c = {rule(timing, AXON_PLAST_WEIGHT_ADDITIVE, 0.01, 0.0, 0, 20000), pre, 3, drv, 1,
                   1, 10000, 700, 0};
        double dw;
        check(&c, 1.0, &dw);
        double want = 0.01 * 20000 * (exp(-5 / 20.0) + (timing ? 0 : exp(-15 / 20.0)));
        cr_assert(fabs(dw - want) <= 1.0, "timing %u: %.3f vs %.3f", timing, dw, want);
    }
}

Test(stdp, many_spike_trains_match_the_reference)
{
    /* random trains with several delays: the fixed-point engine within a few units, float64
     * within rounding */
    uint64_t s = 12345;
    for (int trial = 0; trial < 12; trial++) {
        uint32_t pre[40], drv[40], np = 0, nd = 0, t = 20;
        for (int k = 0; k < 30; k++) {
            s = s * 6364136223846793005ull + 1442695040888963407ull;
            t += 3 + (uint32_t)(s >> 59);
            if ((s >> 33) & 1)
                pre[np++] = t;
            else
                drv[nd++] = t;
        }
        pre[np++] = t + 400;
        scase c = {rule(trial % 2, (trial / 2) % 2, 0.02, 0.021, 500, 30000), pre, np, drv, nd,
                   1 + (uint32_t)trial % 5, 15000, t + 500, trial % 3 == 0};
        check(&c, c.f64 ? 1e-6 : 6.0, NULL);
    }
}

Test(stdp, post_history_keeps_the_last_post_history)
{
    /* post_history + 4 post spikes between two pre spikes: only the newest post_history
     * potentiate (the oldest 4 fell off the history) */
    enum { NP = AXON_PLAST_POST_HISTORY + 4 };
    uint32_t pre[2] = {100, 100 + 2 * NP + 10}, drv[NP];
    for (int k = 0; k < NP; k++)
        drv[k] = 102 + 2 * (uint32_t)k;
    scase c = {rule(AXON_PLAST_TIMING_SPIKE_PAIR, AXON_PLAST_WEIGHT_ADDITIVE, 0.001, 0.0, 0, 60000),
               pre, 2, drv, NP, 1, 10000, 2 * NP + 150, 0};
    sres r;
    run(&c, &r);
    cr_assert_eq(r.n_post, NP);
    double want = 10000;
    for (uint32_t k = NP - AXON_PLAST_POST_HISTORY; k < NP; k++)
        want += 0.001 * 60000 * exp(-((double)r.post[k] + 1 - 100) / 20.0);
    cr_assert(fabs(r.w - want) <= 2.0, "%.3f vs %.3f", r.w, want);
}

Test(stdp, weights_persist_across_runs_and_reset_restores)
{
    const uint32_t pre[3] = {100, 300, 600};
    uint32_t drv[2] = {103, 303};
    scase c = {rule(0, 0, 0.01, 0.012, 0, 20000), pre, 3, drv, 2, 1, 10000, 700, 0};
    int post;
    tnet *t = build(&c, &post);
    axon_image *img = tnet_image(t);
    axon_engine *e;
    cr_assert_eq(axon_engine_create(&e, img, NULL, NULL), AXON_OK);
    uint32_t off;
    cr_assert_eq(tnet_find_syn(img, 0, 0, 2, PRE_KEY, 0, &off), AXON_OK);
    double w1, w2, w3, w4;
    axon_engine_run(e, 350);
    axon_engine_syn_weight(e, 0, 0, 2, off, &w1);
    axon_engine_run(e, 350);
    axon_engine_syn_weight(e, 0, 0, 2, off, &w2);
    cr_assert_gt(w1, 10000.0, "the pair at 100/105 potentiated by the pre at 300");
    cr_assert_gt(w2, w1, "the second run continued from the learned weight");
    axon_engine_reset(e);
    axon_engine_syn_weight(e, 0, 0, 2, off, &w3);
    cr_assert_eq(w3, 10000.0, "reset restores the image's weight");
    axon_engine_run(e, 700);
    axon_engine_syn_weight(e, 0, 0, 2, off, &w4);
    cr_assert_eq(w4, w2, "same result after reset");
    axon_engine_destroy(e);
    axon_image_destroy(img);
    tnet_free(t);
}

Test(stdp, threads_give_identical_weights)
{
    const uint32_t pre[4] = {100, 140, 180, 600};
    uint32_t drv[3] = {110, 150, 170};
    scase c = {rule(0, 1, 0.05, 0.05, 0, 20000), pre, 4, drv, 3, 2, 9000, 700, 0};
    int post;
    double w[2];
    for (unsigned th = 1; th <= 2; th++) {
        tnet *t = build(&c, &post);
        axon_image *img = tnet_image(t);
        axon_engine *e;
        axon_engine_opts o = {.threads = th};
        cr_assert_eq(axon_engine_create(&e, img, &o, NULL), AXON_OK);
        axon_engine_run(e, 700);
        uint32_t off;
        tnet_find_syn(img, 0, 0, 2, PRE_KEY, 0, &off);
        axon_engine_syn_weight(e, 0, 0, 2, off, &w[th - 1]);
        axon_engine_destroy(e);
        axon_image_destroy(img);
        tnet_free(t);
    }
    cr_assert_eq(w[0], w[1]);
}

/* ---- validation ---- */

static int validate_with(void (*mutate)(uint32_t *core, uint32_t n), char *msg)
{
    const uint32_t pre[2] = {100, 600};
    uint32_t drv[1] = {103};
    scase c = {rule(0, 0, 0.01, 0.01, 0, 20000), pre, 2, drv, 1, 1, 10000, 700, 0};
    int post;
    tnet *t = build(&c, &post);
    axon_image *img = tnet_image(t);
    const uint32_t *w;
    uint32_t n;
    axon_image_get_core(img, 0, 0, 2, &w, &n);
    uint32_t *copy = malloc(n * sizeof *copy);
    memcpy(copy, w, n * sizeof *copy);
    mutate(copy, n);
    axon_image_set_core(img, 0, 0, 2, copy, n);
    int rc = axon_image_validate(img);
    snprintf(msg, AXON_ERRMSG_LEN, "%s", axon_image_last_error(img));
    free(copy);
    axon_image_destroy(img);
    tnet_free(t);
    return rc;
}

static uint32_t *plastic_row(uint32_t *core)
{
    uint32_t *syn = core + core[AXON_CORE_H_SYN_OFF];
    const uint32_t *mpt = core + core[AXON_CORE_H_MPT_OFF];
    for (uint32_t e = 0; e < core[AXON_CORE_H_MPT_N]; e++)
        if (mpt[e * 4 + AXON_MPT_W_KEY] == PRE_KEY)
            return syn + mpt[e * 4 + AXON_MPT_W_ROW_BASE];
    return NULL;
}

static void bad_rule_index(uint32_t *core, uint32_t n)
{
    (void)n;
    plastic_row(core)[0] |= 1u << AXON_PROW_RULE_LSB;
}
static void bad_bounds(uint32_t *core, uint32_t n)
{
    (void)n;
    uint32_t *r = core + core[AXON_CORE_H_PLAST_OFF] + AXON_PLAST_REGION_RULE_BASE;
    r[AXON_PRULE_W_MIN] = r[AXON_PRULE_W_MAX] + 1;
}
static void bad_lut(uint32_t *core, uint32_t n)
{
    (void)n;
    uint32_t *pr = core + core[AXON_CORE_H_PLAST_OFF];
    pr[pr[AXON_PLAST_REGION_RULE_BASE + AXON_PRULE_LUT_PLUS_OFF] + 3] = 0x20000;
}
static void bad_trace(uint32_t *core, uint32_t n)
{
    (void)n;
    plastic_row(core)[AXON_PROW_PRE_TRACE] = 0x10000;
}
static void bad_region(uint32_t *core, uint32_t n)
{
    core[AXON_CORE_H_PLAST_WORDS] = n;
}

Test(stdp, validation_rejects_bad_plastic_data)
{
    char msg[AXON_ERRMSG_LEN];
    cr_assert_eq(validate_with(bad_rule_index, msg), AXON_ERR_FORMAT);
    cr_assert(strstr(msg, "rule 1"), "%s", msg);
    cr_assert_eq(validate_with(bad_bounds, msg), AXON_ERR_FORMAT);
    cr_assert(strstr(msg, "weight bounds"), "%s", msg);
    cr_assert_eq(validate_with(bad_lut, msg), AXON_ERR_FORMAT);
    cr_assert(strstr(msg, "table entry 3"), "%s", msg);
    cr_assert_eq(validate_with(bad_trace, msg), AXON_ERR_FORMAT);
    cr_assert(strstr(msg, "presynaptic trace"), "%s", msg);
    cr_assert_eq(validate_with(bad_region, msg), AXON_ERR_FORMAT);
    cr_assert(strstr(msg, "plasticity region"), "%s", msg);
}

Test(stdp, region_builder_rejects_bad_parameters)
{
    char err[AXON_ERRMSG_LEN];
    uint32_t *w, n;
    axon_stdp_params p = rule(0, 0, 0.01, 0.01, 0, 100);
    p.tau_plus = -1;
    cr_assert_eq(axon_stdp_region(&p, 1, &w, &n, err), AXON_ERR_RANGE);
    cr_assert(strstr(err, "tau_plus"), "%s", err);
    p = rule(0, 0, 3.0, 0.01, 0, 100);
    cr_assert_eq(axon_stdp_region(&p, 1, &w, &n, err), AXON_ERR_RANGE);
    cr_assert(strstr(err, "A_plus = 3"), "%s", err);
    p = rule(0, 0, 0.01, 0.01, 200, 100);
    cr_assert_eq(axon_stdp_region(&p, 1, &w, &n, err), AXON_ERR_RANGE);
    cr_assert_eq(axon_stdp_region(&p, 0, &w, &n, err), AXON_ERR_CAPACITY);
    /* the tables of one core's rules share lut_core_entries: two rules whose distinct
     * tau_plus tables hold 2/3 of it each do not fit, one does, and so do four rules with
     * the same time constants (one shared table, as the region then holds) */
    axon_stdp_params two[4] = {rule(0, 0, 0.01, 0.01, 0, 100), rule(0, 0, 0.01, 0.01, 0, 100),
                               rule(0, 1, 0.02, 0.01, 0, 100), rule(1, 0, 0.01, 0.03, 0, 200)};
    double tau = 1.0;
    while (axon_stdp_lut_len(tau) < 2 * AXON_PLAST_LUT_CORE_ENTRIES / 3)
        tau *= 1.05;
    uint32_t len = axon_stdp_lut_len(tau);
    two[0].tau_plus = tau;
    two[1].tau_plus = tau * 1.01;
    cr_assert_eq(axon_stdp_region(two, 2, &w, &n, err), AXON_ERR_CAPACITY);
    cr_assert(strstr(err, "tau_plus"), "%s", err);
    cr_assert_eq(axon_stdp_region(two, 1, &w, &n, err), AXON_OK, "%s", err);
    free(w);
    for (int k = 0; k < 4; k++)
        two[k].tau_plus = two[k].tau_minus = tau;
    cr_assert_eq(axon_stdp_region(two, 4, &w, &n, err), AXON_OK, "%s", err);
    cr_expect_eq(n, AXON_PLAST_REGION_RULE_BASE + 4 * AXON_PLAST_RULE_WORDS + len,
                 "one table for all: %u words", n);
    for (int k = 1; k < 4; k++) {
        const uint32_t *b = w + AXON_PLAST_REGION_RULE_BASE + k * AXON_PLAST_RULE_WORDS;
        cr_expect_eq(b[AXON_PRULE_LUT_PLUS_OFF], w[AXON_PLAST_REGION_RULE_BASE + AXON_PRULE_LUT_PLUS_OFF]);
        cr_expect_eq(b[AXON_PRULE_LUT_MINUS_OFF], b[AXON_PRULE_LUT_PLUS_OFF]);
    }
    free(w);
}

Test(stdp, golden_arithmetic)
{
    static uint32_t lut[3] = {65536, 32768, 16384};
    cr_assert_eq(axon_stdp_decay(2048, 0, lut, 3), 2048);
    cr_assert_eq(axon_stdp_decay(2048, 1, lut, 3), 1024);
    cr_assert_eq(axon_stdp_decay(3, 1, lut, 3), 2, "1.5 rounds half up");
    cr_assert_eq(axon_stdp_decay(2048, 3, lut, 3), 0, "beyond the table");
    cr_assert_eq(axon_stdp_trace_spike(AXON_PLAST_TIMING_SPIKE_PAIR, 65000), AXON_PLAST_TRACE_MAX);
    cr_assert_eq(axon_stdp_trace_spike(AXON_PLAST_TIMING_SPIKE_NEAREST_PAIR, 5000), 2048);
    /* 1.0 x 0.5 x 1000, in u16.16 */
    cr_assert_eq(axon_stdp_scale(1000, 1u << 19, 2048), 500u << 16);
    axon_stdp_rule r = {0, AXON_PLAST_WEIGHT_ADDITIVE, 10, 100, 1u << 19, 1u << 19,
                        lut, lut, 3, 3, 1, 1};
    cr_assert_eq(axon_stdp_potentiate(&r, 90u << 16, 1024), 100u << 16, "clamped at w_max");
    cr_assert_eq(axon_stdp_depress(&r, 12u << 16, 2048), 10u << 16, "clamped at w_min");
    cr_assert_eq(axon_stdp_potentiate(&r, 20u << 16, 41), (20u << 16) + 65600,
                 "0.5 x 100 x 41/2048 = 1.0009765625 units, kept to 1/65536");
    cr_assert_eq(axon_stdp_round(0x18000), 2, "half rounds up");
}

/* ---- random plastic networks ---- */

typedef struct rec_all {
    uint64_t hash, n;
} rec_all;

static void on_spike_hash(void *user, uint32_t step, uint32_t core, uint32_t key)
{
    rec_all *r = user;
    r->hash = (r->hash ^ ((uint64_t)step << 40 ^ (uint64_t)core << 32 ^ key)) * 0x100000001B3ull;
    r->n++;
}

/* hash of every spike and every synaptic-matrix weight after n steps */
static void run_random(const axon_image *img, unsigned threads, int f64, uint32_t steps,
                       rec_all *out, uint64_t *whash)
{
    axon_engine *e;
    char err[AXON_ERRMSG_LEN];
    axon_engine_opts o = {.threads = threads,
                          .arith = f64 ? AXON_ARITH_FLOAT64 : AXON_ARITH_FIXED};
    axon_image *copy;
    uint32_t *buf;
    size_t nb;
    cr_assert_eq(axon_image_to_buffer((axon_image *)img, &buf, &nb), AXON_OK);
    cr_assert_eq(axon_image_from_buffer(&copy, buf, nb, err), AXON_OK, "%s", err);
    free(buf);
    cr_assert_eq(axon_engine_create(&e, copy, &o, err), AXON_OK, "%s", err);
    *out = (rec_all){1469598103934665603ull, 0};
    axon_engine_set_spike_fn(e, on_spike_hash, out);
    cr_assert_eq(axon_engine_run(e, steps / 2), AXON_OK);
    cr_assert_eq(axon_engine_run(e, steps - steps / 2), AXON_OK);
    *whash = 1469598103934665603ull;
    uint32_t w = axon_image_width(copy), h = axon_image_height(copy);
    uint32_t cpc = axon_image_cores_per_chip(copy);
    for (uint32_t g = 0; g < w * h * cpc; g++) {
        const uint32_t *words;
        uint32_t n;
        uint32_t x = (g / cpc) % w, y = (g / cpc) / w, c = g % cpc;
        axon_image_get_core(copy, x, y, c, &words, &n);
        if (!n || words[AXON_CORE_H_KIND] != AXON_KIND_NEURON)
            continue;
        for (uint32_t k = 0; k < words[AXON_CORE_H_SYN_WORDS]; k++) {
            double v;
            cr_assert_eq(axon_engine_syn_weight(e, x, y, c, k, &v), AXON_OK);
            uint64_t bits;
            memcpy(&bits, &v, sizeof bits);
            *whash = (*whash ^ bits) * 0x100000001B3ull;
        }
    }
    axon_engine_destroy(e);
    axon_image_destroy(copy);
}

Test(stdp, random_plastic_networks_are_deterministic_across_threads)
{
    for (uint64_t seed = 1; seed <= 4; seed++) {
        tnet *t = tnet_random(seed, 2, 2, 4);
        tnet_make_plastic(t, seed);
        axon_image *img = tnet_image(t);
        cr_assert_eq(axon_image_validate(img), AXON_OK, "%s", axon_image_last_error(img));
        rec_all a, b, c;
        uint64_t wa, wb, wc;
        run_random(img, 1, 0, 300, &a, &wa);
        run_random(img, 3, 0, 300, &b, &wb);
        cr_assert_gt(a.n, 0, "seed %llu: spikes", (unsigned long long)seed);
        cr_assert_eq(a.hash, b.hash, "seed %llu: spikes differ with threads", (unsigned long long)seed);
        cr_assert_eq(wa, wb, "seed %llu: weights differ with threads", (unsigned long long)seed);
        rec_all z;
        uint64_t wz;
        run_random(img, 1, 0, 0, &z, &wz);
        cr_assert_neq(wa, wz, "seed %llu: the weights learned", (unsigned long long)seed);
        run_random(img, 2, 1, 300, &c, &wc); /* float64 mode runs the same image */
        cr_assert_gt(c.n, 0);
        axon_image_destroy(img);
        tnet_free(t);
    }
}
