/* Spike sources and the PRNG (docs/spec/sources.md).
 *
 * SpikeSourceArray: exact steps and indices, duplicates, recording and packets.
 * SpikeSourcePoisson: rate within 5 sigma, Fano factor within 5 sigma of 1, the active
 * window, several spikes per step, the lambda limit, reproducibility, and bit-exact
 * agreement with KISS + Knuth's product method written here from the spec.
 * KISS: seed validity and rejection of images with an invalid seed.
 *
 * The statistical bounds are 5 standard deviations of the estimator under the Poisson
 * hypothesis (derived in each test); the runs use fixed seeds, so each test is
 * deterministic. Set AXON_TEST_REPORT=1 to print the measured values. */
#include "tnet.h"

#include "axon/kiss.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ULSB (1.0 / 4294967296.0) /* u0.32 resolution */

static void report(const char *fmt, ...)
{
    if (!getenv("AXON_TEST_REPORT"))
        return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* ---------------- packet trace through axon_engine_set_spike_fn ---------------- */

typedef struct trace {
    uint32_t n, cap;
    uint32_t *rows; /* (step, core, key) */
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

static axon_engine *make_engine(tnet *t)
{
    axon_image *img = tnet_image(t);
    cr_assert_not_null(img);
    axon_engine *e;
    char err[AXON_ERRMSG_LEN];
    cr_assert_eq(axon_engine_create(&e, img, NULL, err), AXON_OK, "engine: %s", err);
    axon_image_destroy(img);
    return e;
}

/* ---------------- own KISS and Poisson draw (docs/spec/sources.md) ---------------- */

typedef struct kiss_s {
    uint32_t x, y, z, c;
} kiss_s;

static uint32_t kiss_own(kiss_s *k)
{
    k->x = 314527869u * k->x + 1234567u;
    k->y ^= k->y << 5;
    k->y ^= k->y >> 7;
    k->y ^= k->y << 22;
    uint64_t t = 4294584393ull * (uint64_t)k->z + k->c;
    k->c = (uint32_t)(t >> 32);
    k->z = (uint32_t)t;
    return k->x + k->y + k->z;
}

static uint32_t poisson_own(kiss_s *k, uint32_t L, int *capped, int *ties)
{
    uint32_t p = 0xFFFFFFFFu, n = 0;
    for (;;) {
        p = (uint32_t)(((uint64_t)p * kiss_own(k)) >> 32);
        *ties += p == L;
        if (p <= L)
            return n;
        if (n == 255) {
            (*capped)++;
            return n;
        }
        n++;
    }
}

static uint32_t q_u(double v)
{
    double r = round(v * 4294967296.0);
    return r >= 4294967296.0 ? 0xFFFFFFFFu : (uint32_t)r;
}

/* splitmix64 seeding of a core (sources.md, "Seeding by the host") */
static uint64_t splitmix_own(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static void derive_own(uint64_t user, uint32_t gid, uint32_t out[4])
{
    uint64_t s = user ^ ((uint64_t)gid << 32 | 0xA5A5u);
    for (;;) {
        uint64_t a = splitmix_own(&s), b = splitmix_own(&s);
        out[0] = (uint32_t)a;
        out[1] = (uint32_t)(a >> 32);
        out[2] = (uint32_t)b;
        out[3] = (uint32_t)((b >> 32) % 698769069u);
        if (out[1] != 0 && out[3] < 698769069u && (out[2] | out[3]) != 0)
            return;
    }
}

/* a Poisson core alone on chip (0,0) core 0; returns the recording as counts[step][idx] */
typedef struct prun {
    uint32_t n, steps;
    uint16_t *cnt;       /* steps x n spike counts from the recording */
    uint64_t total;
    trace tr;
    uint32_t seed[4];    /* the core header's seed words */
    uint32_t block[3];   /* source 0's parameter block */
    uint64_t counters[AXON_CNT_CORE_N];
} prun;

static void poisson_run(prun *r, uint32_t n, double rate, double start, double dur, double dt,
                        uint64_t seed, uint32_t steps)
{
    memset(r, 0, sizeof *r);
    r->n = n;
    r->steps = steps;
    tnet *t = tnet_new(1, 1, 1, dt, 0);
    int g = tnet_poisson(t, 0, 0, 0, n, rate, start, dur, seed, 0x4000, 1u << AXON_REC_SPIKES);
    cr_assert_eq(g, 0, "Poisson core built (%d)", g);
    axon_image *img = tnet_image(t);
    const uint32_t *w;
    uint32_t nw;
    cr_assert_eq(axon_image_get_core(img, 0, 0, 0, &w, &nw), AXON_OK);
    memcpy(r->seed, w + AXON_CORE_H_SEED0, sizeof r->seed);
    memcpy(r->block, w + w[AXON_CORE_H_PARAM_OFF], sizeof r->block);
    axon_engine *e;
    char err[AXON_ERRMSG_LEN];
    cr_assert_eq(axon_engine_create(&e, img, NULL, err), AXON_OK, "%s", err);
    axon_image_destroy(img);
    axon_engine_set_spike_fn(e, on_spike, &r->tr);
    cr_assert_eq(axon_engine_run(e, steps), AXON_OK);
    tnet_rec rec;
    cr_assert_eq(tnet_rec_read(e, 0, 0, 0, 0, &rec), AXON_OK);
    r->cnt = calloc((size_t)steps * n, sizeof *r->cnt);
    for (uint32_t i = 0; i < rec.n_spikes; i++) {
        cr_assert_lt(rec.spike_step[i], steps);
        cr_assert_lt(rec.spike_idx[i], n);
        if (i) /* ascending by step, then index */
            cr_assert(rec.spike_step[i] > rec.spike_step[i - 1] ||
                      (rec.spike_step[i] == rec.spike_step[i - 1] &&
                       rec.spike_idx[i] >= rec.spike_idx[i - 1]),
                      "recording order at %u", i);
        r->cnt[(size_t)rec.spike_step[i] * n + rec.spike_idx[i]]++;
    }
    r->total = rec.n_spikes;
    cr_assert_eq(axon_engine_core_counters(e, 0, 0, 0, r->counters), AXON_OK);
    tnet_rec_free(&rec);
    axon_engine_destroy(e);
    tnet_free(t);
}

static void prun_free(prun *r)
{
    free(r->cnt);
    free(r->tr.rows);
}

/* ======================================================================================
 * SpikeSourceArray
 * ====================================================================================== */

Test(array, spikes_at_given_steps_recorded_and_sent)
{
    enum { N = 6, STEPS = 30 };
    const uint32_t KB = 0x700;
    /* (step, index), deliberately unsorted, with duplicates and events past the run */
    const uint32_t ev[] = {5, 3, 0, 0, 5, 1, 5, 3, 29, 5, 12, 2, 0, 4, 12, 2, 12, 2, 40, 0, 7, 0};
    const uint32_t n_ev = sizeof ev / sizeof ev[0] / 2;
    /* expected: sorted by (step, index), steps < STEPS */
    uint32_t want[32][2], nw = 0;
    for (uint32_t st = 0; st < STEPS; st++)
        for (uint32_t i = 0; i < N; i++)
            for (uint32_t k = 0; k < n_ev; k++)
                if (ev[2 * k] == st && ev[2 * k + 1] == i) {
                    want[nw][0] = st;
                    want[nw][1] = i;
                    nw++;
                }
    cr_assert_eq(nw, n_ev - 1, "one event is after the run");

    tnet *t = tnet_new(1, 1, 2, 1.0, 0);
    int g = tnet_array(t, 0, 0, 1, N, ev, n_ev, KB, 1u << AXON_REC_SPIKES);
    cr_assert_eq(g, 1);
    axon_engine *e = make_engine(t);
    trace tr = {0};
    axon_engine_set_spike_fn(e, on_spike, &tr);
    /* two chunks: state carries over */
    cr_assert_eq(axon_engine_run(e, 9), AXON_OK);
    cr_assert_eq(axon_engine_run(e, STEPS - 9), AXON_OK);

    tnet_rec r;
    cr_assert_eq(tnet_rec_read(e, 0, 0, 1, 0, &r), AXON_OK);
    cr_assert_eq(r.n_spikes, nw, "recorded %u spikes, %u events in the run", r.n_spikes, nw);
    cr_assert_eq(tr.n, nw, "sent %u packets, %u events in the run", tr.n, nw);
    for (uint32_t k = 0; k < nw; k++) {
        cr_assert_eq(r.spike_step[k], want[k][0], "recorded spike %u step", k);
        cr_assert_eq(r.spike_idx[k], want[k][1], "recorded spike %u index", k);
        cr_assert_eq(tr.rows[3 * k], want[k][0], "packet %u step", k);
        cr_assert_eq(tr.rows[3 * k + 1], 1, "packet %u from core gid 1", k);
        cr_assert_eq(tr.rows[3 * k + 2], KB | want[k][1], "packet %u key 0x%X", k,
                     tr.rows[3 * k + 2]);
    }
    cr_assert_eq(r.n_samples, 0, "a source records no state");
    uint64_t cnt[AXON_CNT_CORE_N];
    cr_assert_eq(axon_engine_core_counters(e, 0, 0, 1, cnt), AXON_OK);
    cr_assert_eq(cnt[AXON_CNT_CORE_SPIKES_OUT], nw, "spikes_out counter");
    tnet_rec_free(&r);

    /* reset: the same spikes again, from step 0 */
    trace tr2 = {0};
    axon_engine_set_spike_fn(e, on_spike, &tr2);
    cr_assert_eq(axon_engine_reset(e), AXON_OK);
    cr_assert_eq(axon_engine_run(e, STEPS), AXON_OK);
    cr_assert_eq(tr2.n, nw);
    cr_assert_arr_eq(tr2.rows, tr.rows, sizeof(uint32_t) * 3 * nw, "same packets after reset");
    free(tr.rows);
    free(tr2.rows);
    axon_engine_destroy(e);
    tnet_free(t);
}

Test(array, unrecorded_source_still_sends)
{
    const uint32_t ev[] = {2, 0, 2, 1, 3, 1};
    tnet *t = tnet_new(1, 1, 1, 1.0, 0);
    tnet_array(t, 0, 0, 0, 2, ev, 3, 0x100, 0);
    axon_engine *e = make_engine(t);
    trace tr = {0};
    axon_engine_set_spike_fn(e, on_spike, &tr);
    cr_assert_eq(axon_engine_run(e, 5), AXON_OK);
    tnet_rec r;
    cr_assert_eq(tnet_rec_read(e, 0, 0, 0, 0, &r), AXON_OK);
    cr_assert_eq(r.n_spikes, 0, "not selected for recording");
    cr_assert_eq(tr.n, 3);
    const uint32_t want[] = {2, 0, 0x100, 2, 0, 0x101, 3, 0, 0x101};
    cr_assert_arr_eq(tr.rows, want, sizeof want);
    tnet_rec_free(&r);
    free(tr.rows);
    axon_engine_destroy(e);
    tnet_free(t);
}

/* ======================================================================================
 * SpikeSourcePoisson: statistics
 * ====================================================================================== */

Test(poisson, rate_within_five_sigma)
{
    const uint32_t N = 200, STEPS = 10000;
    const double dt = 1.0, rate = 20.0, lambda = rate * dt / 1000.0;
    prun r;
    poisson_run(&r, N, rate, 0.0, INFINITY, dt, 12345, STEPS);
    /* The total count is Poisson(N STEPS lambda) (sum of independent Poisson counts): sigma
     * = sqrt(mean). Systematic error: L is rounded (0.5 ULSB) and every product p floors
     * (< 1 ULSB); each changes the probability of a draw's outcome by at most ~1 ULSB / L,
     * and a step makes 1 + k draws: |bias| <= N STEPS (1 + lambda) 2 ULSB / L. */
    const double mean = (double)N * STEPS * lambda, sigma = sqrt(mean);
    const double bias = (double)N * STEPS * (1.0 + lambda) * 2.0 * ULSB / exp(-lambda);
    const double dev = fabs((double)r.total - mean);
    cr_assert_leq(dev, 5.0 * sigma + bias, "total %llu spikes, expected %.0f +- 5 x %.1f",
                  (unsigned long long)r.total, mean, sigma);
    /* every source: Poisson(STEPS lambda) each, 5 sigma (the chance that one of 200
     * sources exceeds 5 sigma by accident is 200 x 5.7e-7 ~ 1e-4; the seed is fixed) */
    const double ms = STEPS * lambda, ss = sqrt(ms);
    double worst = 0;
    for (uint32_t i = 0; i < N; i++) {
        uint32_t c = 0;
        for (uint32_t st = 0; st < STEPS; st++)
            c += r.cnt[(size_t)st * N + i];
        worst = fmax(worst, fabs(c - ms) / ss);
        cr_assert_leq(fabs(c - ms), 5.0 * ss + bias / N, "source %u: %u spikes, expected %.0f", i,
                      c, ms);
    }
    /* packets: one per recorded spike, key = key_base | index */
    cr_assert_eq(r.tr.n, r.total);
    cr_assert_eq(r.counters[AXON_CNT_CORE_SPIKES_OUT], r.total);
    for (uint32_t k = 0; k < r.tr.n; k++)
        cr_assert_eq(r.tr.rows[3 * k + 2] & ~0x3FFFu, 0x4000u, "key base of packet %u", k);
    report("Poisson rate: total %llu vs %.0f (%.2f sigma); worst source %.2f sigma",
           (unsigned long long)r.total, mean, dev / sigma, worst);
    prun_free(&r);
}

/* Sample Fano factor F = s^2 / mean of n iid Poisson(mu) window counts: with the Poisson
 * cumulants (all equal to mu), Var(s^2) = mu/n + 2 mu^2/(n-1), Var(mean) = mu/n,
 * Cov(s^2, mean) = mu/n, and the delta method gives Var(F) = 2/(n-1) + O(1/n^2): a 5 sigma
 * bound of 5 sqrt(2/(n-1)). A per-step Bernoulli process of the same rate would have
 * F = 1 - lambda (window counts are binomial), far outside the bound at lambda = 0.3. */
static double fano(const prun *r, uint32_t W, uint32_t *n_out)
{
    const uint32_t nwin = r->steps / W;
    double s1 = 0, s2 = 0;
    uint64_t n = 0;
    for (uint32_t i = 0; i < r->n; i++)
        for (uint32_t w = 0; w < nwin; w++) {
            double c = 0;
            for (uint32_t st = w * W; st < (w + 1) * W; st++)
                c += r->cnt[(size_t)st * r->n + i];
            s1 += c;
            s2 += c * c;
            n++;
        }
    double mean = s1 / n, var = (s2 - n * mean * mean) / (n - 1);
    *n_out = (uint32_t)n;
    return var / mean;
}

Test(poisson, fano_factor_is_one)
{
    const uint32_t N = 100, STEPS = 10000;
    const double dt = 1.0, rate = 300.0; /* lambda = 0.3 */
    prun r;
    poisson_run(&r, N, rate, 0.0, INFINITY, dt, 777, STEPS);
    const uint32_t windows[] = {1, 10, 100};
    for (int k = 0; k < 3; k++) {
        uint32_t n;
        double F = fano(&r, windows[k], &n);
        double bound = 5.0 * sqrt(2.0 / (n - 1.0));
        cr_assert_leq(fabs(F - 1.0), bound, "window %u steps: Fano %.4f, 1 +- %.4f (n = %u)",
                      windows[k], F, bound, n);
        report("Poisson Fano, window %u steps: %.4f (bound |F-1| <= %.4f, n = %u)", windows[k], F,
               bound, n);
    }
    prun_free(&r);
}

/* lambda ~ 3: several spikes per step, each recorded and sent as many times; the count
 * distribution per (source, step) follows Poisson(3): each bin k is binomial(n, pmf_k), so
 * |O_k - n pmf_k| <= 5 sqrt(n pmf_k (1 - pmf_k)). */
Test(poisson, several_spikes_per_step)
{
    const uint32_t N = 64, STEPS = 2000;
    const double dt = 1.0, rate = 3000.0, lambda = 3.0;
    prun r;
    poisson_run(&r, N, rate, 0.0, INFINITY, dt, 99, STEPS);
    enum { KMAX = 12 };
    uint64_t hist[KMAX + 1] = {0};
    uint32_t multi = 0, max_k = 0;
    for (size_t j = 0; j < (size_t)N * STEPS; j++) {
        uint32_t c = r.cnt[j];
        hist[c > KMAX ? KMAX : c]++;
        multi += c > 1;
        max_k = c > max_k ? c : max_k;
    }
    cr_assert_gt(multi, 0, "steps with several spikes of one source");
    const double n = (double)N * STEPS;
    double pmf = exp(-lambda), tail = 1.0, worst = 0;
    for (int k = 0; k < KMAX; k++) {
        double E = n * pmf, sd = sqrt(n * pmf * (1 - pmf));
        cr_assert_leq(fabs((double)hist[k] - E), 5 * sd + 1e-9,
                      "count %d: %llu times, expected %.1f +- 5 x %.1f", k,
                      (unsigned long long)hist[k], E, sd);
        worst = fmax(worst, fabs((double)hist[k] - E) / sd);
        tail -= pmf;
        pmf *= lambda / (k + 1);
    }
    double Et = n * tail, sdt = sqrt(n * tail * (1 - tail));
    cr_assert_leq(fabs((double)hist[KMAX] - Et), 5 * sdt + 1e-9, "tail >= %d", KMAX);
    /* packets match the recording one for one, in (step, index) order */
    cr_assert_eq(r.tr.n, r.total);
    uint32_t k = 0;
    for (uint32_t st = 0; st < STEPS; st++)
        for (uint32_t i = 0; i < N; i++)
            for (uint32_t c = 0; c < r.cnt[(size_t)st * N + i]; c++, k++) {
                cr_assert_eq(r.tr.rows[3 * k], st, "packet %u step", k);
                cr_assert_eq(r.tr.rows[3 * k + 2], 0x4000u | i, "packet %u key", k);
            }
    cr_assert_eq(r.counters[AXON_CNT_CORE_POISSON_CAPPED], 0);
    report("Poisson lambda 3: %u (source, step) pairs with several spikes, max %u per step; "
           "worst bin %.2f sigma",
           multi, max_k, worst);
    prun_free(&r);
}

Test(poisson, active_only_in_start_duration_window)
{
    const uint32_t N = 64, STEPS = 50;
    const double dt = 1.0, start = 10.0, dur = 20.0;
    prun r;
    poisson_run(&r, N, 3000.0, start, dur, dt, 5, STEPS);
    cr_assert_eq(r.block[AXON_P_POISSON_START_STEP], 10);
    cr_assert_eq(r.block[AXON_P_POISSON_END_STEP], 30, "end step = round((start + dur) / dt)");
    for (uint32_t st = 0; st < STEPS; st++) {
        uint32_t c = 0;
        for (uint32_t i = 0; i < N; i++)
            c += r.cnt[(size_t)st * N + i];
        if (st < 10 || st >= 30)
            cr_assert_eq(c, 0, "no spikes at step %u, outside [10, 30)", st);
        else /* P(no spike of 64 sources at lambda 3) = e^-192 */
            cr_assert_gt(c, 0, "spikes at step %u, inside [10, 30)", st);
    }
    prun_free(&r);
    /* dt = 0.1: start 1.04 ms -> step 10, end 1.04 + 2.0 ms -> step 30 */
    poisson_run(&r, N, 20000.0, 1.04, 2.0, 0.1, 5, STEPS);
    cr_assert_eq(r.block[AXON_P_POISSON_START_STEP], 10);
    cr_assert_eq(r.block[AXON_P_POISSON_END_STEP], 30);
    for (uint32_t st = 0; st < STEPS; st++)
        for (uint32_t i = 0; i < N; i++)
            if (st < 10 || st >= 30)
                cr_assert_eq(r.cnt[(size_t)st * N + i], 0, "step %u source %u", st, i);
    prun_free(&r);
    /* unbounded duration: end step is 0xFFFFFFFF (never) */
    poisson_run(&r, 4, 100.0, 0.0, INFINITY, dt, 5, 10);
    cr_assert_eq(r.block[AXON_P_POISSON_END_STEP], 0xFFFFFFFFu);
    prun_free(&r);
}

/* ======================================================================================
 * Conversion and exactness
 * ====================================================================================== */

Test(poisson, convert_rejects_large_lambda_and_bad_values)
{
    uint32_t b[AXON_P_POISSON_WORDS];
    char err[AXON_ERRMSG_LEN] = "";
    /* lambda = 16 is the limit: accepted, and L is above the validation floor */
    cr_assert_eq(axon_poisson_convert(16000.0, 0, INFINITY, 1.0, b, err), AXON_OK, "%s", err);
    cr_assert_eq(b[AXON_P_POISSON_EXP_MINUS_LAMBDA], q_u(exp(-16.0)));
    cr_assert_geq(b[AXON_P_POISSON_EXP_MINUS_LAMBDA], (uint32_t)(exp(-16.0) * 4294967296.0));
    /* lambda = 16.001 and 17: rejected with the rate in the message */
    const double bad[] = {16001.0, 17000.0, 1e9};
    for (int k = 0; k < 3; k++) {
        err[0] = 0;
        int rc = axon_poisson_convert(bad[k], 0, 100.0, 1.0, b, err);
        char num[64];
        snprintf(num, sizeof num, "rate = %g", bad[k]);
        cr_expect_lt(rc, 0, "rate %g Hz at dt 1 ms (lambda %g) rejected", bad[k], bad[k] / 1000);
        cr_expect(strstr(err, num) != NULL, "message gives the rate: \"%s\"", err);
        cr_expect(strstr(err, "16") != NULL, "message gives the limit: \"%s\"", err);
    }
    /* the same rate is fine at a smaller timestep: lambda = 17000 x 0.1 / 1000 = 1.7 */
    cr_expect_eq(axon_poisson_convert(17000.0, 0, 100.0, 0.1, b, err), AXON_OK, "%s", err);
    cr_expect_eq(b[AXON_P_POISSON_EXP_MINUS_LAMBDA], q_u(exp(-1.7)));
    /* other invalid values */
    cr_expect_lt(axon_poisson_convert(-1.0, 0, 100.0, 1.0, b, err), 0, "negative rate");
    cr_expect(strstr(err, "rate = -1") != NULL, "%s", err);
    cr_expect_lt(axon_poisson_convert(NAN, 0, 100.0, 1.0, b, err), 0, "NaN rate");
    cr_expect_lt(axon_poisson_convert(INFINITY, 0, 100.0, 1.0, b, err), 0, "infinite rate");
    cr_expect_lt(axon_poisson_convert(10.0, -5.0, 100.0, 1.0, b, err), 0, "negative start");
    cr_expect(strstr(err, "start = -5") != NULL, "%s", err);
    cr_expect_lt(axon_poisson_convert(10.0, 0, NAN, 1.0, b, err), 0, "NaN duration");
    cr_expect_lt(axon_poisson_convert(10.0, 0, -1.0, 1.0, b, err), 0, "negative duration");
    cr_expect_lt(axon_poisson_convert(10.0, 0, 10.0, 0.0, b, err), 0, "dt = 0");
    /* rate 0: L = 1.0 clamps to 0xFFFFFFFF; p <= L at the first draw: never a spike */
    cr_expect_eq(axon_poisson_convert(0.0, 0, 100.0, 1.0, b, err), AXON_OK, "%s", err);
    cr_expect_eq(b[AXON_P_POISSON_EXP_MINUS_LAMBDA], 0xFFFFFFFFu);
}

/* The engine's Poisson spikes equal KISS + Knuth's product method written from the spec,
 * seeded with the core header's words, which equal the spec's splitmix64 derivation. The
 * last case picks the rate whose L equals the first product p of source 0, so that the
 * stopping rule's tie (p <= L stops, p == L included) is exercised. */
Test(poisson, bit_exact_with_spec_algorithm)
{
    const uint32_t N = 16, STEPS = 500;
    const uint64_t SEED_TIE = 31337;
    uint32_t st0[4];
    derive_own(SEED_TIE, 0, st0);
    kiss_s k0 = {st0[0], st0[1], st0[2], st0[3]};
    const uint32_t p1 = (uint32_t)(((uint64_t)0xFFFFFFFFu * kiss_own(&k0)) >> 32);
    const double rate_tie = -1000.0 * log(p1 / 4294967296.0); /* dt = 1 ms */
    cr_assert_eq(q_u(exp(-rate_tie / 1000.0)), p1, "L = first product");
    cr_assert_leq(rate_tie, 16000.0);
    const double rates[] = {5.0, 900.0, 4000.0, rate_tie};
    const uint64_t seeds[] = {2024, 2025, 2026, SEED_TIE};
    const uint32_t start[] = {3, 3, 3, 0};
    int ties = 0;
    for (int ri = 0; ri < 4; ri++) {
        prun r;
        poisson_run(&r, N, rates[ri], start[ri], 400.0, 1.0, seeds[ri], STEPS);
        uint32_t s[4];
        derive_own(seeds[ri], 0, s);
        cr_assert_arr_eq(r.seed, s, sizeof s, "header seed = splitmix64 derivation");
        uint32_t s2[4];
        axon_kiss_derive_seed(seeds[ri], 0, s2);
        cr_assert_arr_eq(s2, s, sizeof s, "axon_kiss_derive_seed follows the spec");
        const uint32_t L = q_u(exp(-rates[ri] / 1000.0));
        cr_assert_eq(r.block[AXON_P_POISSON_EXP_MINUS_LAMBDA], L);
        kiss_s k = {s[0], s[1], s[2], s[3]};
        int capped = 0;
        uint64_t total = 0;
        for (uint32_t st = 0; st < STEPS; st++)
            for (uint32_t i = 0; i < N; i++) {
                int on = st >= start[ri] && st < start[ri] + 400;
                uint32_t want = on ? poisson_own(&k, L, &capped, &ties) : 0;
                cr_assert_eq(r.cnt[(size_t)st * N + i], want,
                             "rate %g: step %u source %u: engine %u, spec %u", rates[ri], st, i,
                             r.cnt[(size_t)st * N + i], want);
                total += want;
            }
        cr_assert_eq(r.total, total);
        cr_assert_gt(total, 0);
        prun_free(&r);
    }
    cr_assert_geq(ties, 1, "the case p == L occurred");
}

Test(poisson, reproducible_from_seed)
{
    prun a, b, c;
    poisson_run(&a, 32, 200.0, 0, INFINITY, 1.0, 42, 1000);
    poisson_run(&b, 32, 200.0, 0, INFINITY, 1.0, 42, 1000);
    poisson_run(&c, 32, 200.0, 0, INFINITY, 1.0, 43, 1000);
    cr_assert_gt(a.total, 0);
    cr_assert_eq(a.total, b.total);
    cr_assert_arr_eq(a.cnt, b.cnt, sizeof(uint16_t) * 32 * 1000, "same seed, same spikes");
    cr_assert_eq(a.tr.n, b.tr.n);
    cr_assert_arr_eq(a.tr.rows, b.tr.rows, sizeof(uint32_t) * 3 * a.tr.n, "same packets");
    cr_assert_arr_neq(a.seed, c.seed, sizeof a.seed, "different seed words");
    cr_assert(memcmp(a.cnt, c.cnt, sizeof(uint16_t) * 32 * 1000) != 0,
              "different seed, different spikes");
    /* engine reset restarts the generator from the image's seed */
    tnet *t = tnet_new(1, 1, 1, 1.0, 0);
    tnet_poisson(t, 0, 0, 0, 32, 200.0, 0, INFINITY, 42, 0x4000, 1u << AXON_REC_SPIKES);
    axon_engine *e = make_engine(t);
    trace t1 = {0}, t2 = {0};
    axon_engine_set_spike_fn(e, on_spike, &t1);
    cr_assert_eq(axon_engine_run(e, 600), AXON_OK);
    cr_assert_eq(axon_engine_run(e, 400), AXON_OK); /* continuation: same as one run */
    axon_engine_set_spike_fn(e, on_spike, &t2);
    cr_assert_eq(axon_engine_reset(e), AXON_OK);
    cr_assert_eq(axon_engine_run(e, 1000), AXON_OK);
    cr_assert_eq(t1.n, a.tr.n);
    cr_assert_arr_eq(t1.rows, a.tr.rows, sizeof(uint32_t) * 3 * a.tr.n, "chunks = one run");
    cr_assert_eq(t2.n, a.tr.n);
    cr_assert_arr_eq(t2.rows, a.tr.rows, sizeof(uint32_t) * 3 * a.tr.n, "reset = fresh engine");
    free(t1.rows);
    free(t2.rows);
    axon_engine_destroy(e);
    tnet_free(t);
    prun_free(&a);
    prun_free(&b);
    prun_free(&c);
}

/* ======================================================================================
 * KISS
 * ====================================================================================== */

Test(kiss, seed_validity)
{
    const uint32_t LIM = 698769069u;
    cr_assert_eq(LIM, AXON_KISS_C_LIMIT);
    const struct {
        uint32_t s[4];
        int valid;
        const char *why;
    } cases[] = {
        {{1, 0, 1, 1}, 0, "y = 0"},
        {{1, 1, 1, LIM}, 0, "c = limit"},
        {{1, 1, 1, 0xFFFFFFFFu}, 0, "c far above the limit"},
        {{1, 1, 0, 0}, 0, "z = c = 0"},
        {{0, 0, 0, 0}, 0, "all zero"},
        {{1, 1, 1, LIM - 1}, 1, "c = limit - 1"},
        {{1, 1, 0, 1}, 1, "z = 0, c = 1"},
        {{1, 1, 1, 0}, 1, "z = 1, c = 0"},
        {{0, 1, 1, 0}, 1, "x = 0 is fine"},
        {{123456789, 362436000, 521288629, 7654321}, 1, "sPyNNaker's default seed"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
        cr_expect_eq(!!axon_kiss_seed_valid(cases[k].s), cases[k].valid, "%s: expected %s",
                     cases[k].why, cases[k].valid ? "valid" : "invalid");
    /* derived seeds are always valid */
    for (uint32_t g = 0; g < 1000; g++) {
        uint32_t s[4];
        axon_kiss_derive_seed(0xDEADBEEFull * g, g, s);
        cr_assert(axon_kiss_seed_valid(s), "derived seed %u", g);
    }
    /* the generator equals the spec's recurrence */
    axon_kiss a = {123456789, 362436000, 521288629, 7654321};
    kiss_s b = {123456789, 362436000, 521288629, 7654321};
    for (int i = 0; i < 100000; i++)
        cr_assert_eq(axon_kiss_next(&a), kiss_own(&b), "output %d", i);
}

Test(kiss, invalid_seed_image_rejected)
{
    tnet *t = tnet_new(1, 1, 1, 1.0, 0);
    tnet_poisson(t, 0, 0, 0, 4, 50.0, 0, INFINITY, 7, 0x4000, 1);
    axon_image *img = tnet_image(t);
    tnet_free(t);
    const uint32_t *w0;
    uint32_t nw;
    cr_assert_eq(axon_image_get_core(img, 0, 0, 0, &w0, &nw), AXON_OK);
    uint32_t *w = malloc(sizeof(uint32_t) * nw);
    memcpy(w, w0, sizeof(uint32_t) * nw);
    const uint32_t LIM = AXON_KISS_C_LIMIT;
    const struct {
        uint32_t s[4];
        int valid;
    } cases[] = {
        {{1, 0, 1, 1}, 0},   {{1, 1, 1, LIM}, 0},     {{1, 1, 0, 0}, 0},
        {{1, 1, 0, 1}, 1},   {{1, 1, 1, LIM - 1}, 1}, {{0, 1, 1, 0}, 1},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        for (int j = 0; j < 4; j++)
            w[AXON_CORE_H_SEED0 + j] = cases[k].s[j];
        cr_assert_eq(axon_image_set_core(img, 0, 0, 0, w, nw), AXON_OK);
        axon_engine *e = NULL;
        char err[AXON_ERRMSG_LEN] = "";
        int rc = axon_engine_create(&e, img, NULL, err);
        if (cases[k].valid) {
            cr_expect_eq(rc, AXON_OK, "seed {%u, %u, %u, %u} accepted: %s", cases[k].s[0],
                         cases[k].s[1], cases[k].s[2], cases[k].s[3], err);
            if (e) {
                cr_expect_eq(axon_engine_run(e, 10), AXON_OK);
                axon_engine_destroy(e);
            }
        } else {
            cr_expect_lt(rc, 0, "seed {%u, %u, %u, %u} rejected", cases[k].s[0], cases[k].s[1],
                         cases[k].s[2], cases[k].s[3]);
            cr_expect_null(e, "no engine on failure");
            cr_expect(strstr(err, "seed") != NULL, "message names the seed: \"%s\"", err);
            if (e)
                axon_engine_destroy(e);
        }
    }
    free(w);
    axon_image_destroy(img);
}
