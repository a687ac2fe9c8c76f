/* PyNN random distributions (hostlib/hl_random.c): moments of every distribution against
 * their closed forms with a fixed seed, supports, clipping, determinism and parameter
 * checks. Sample moments are compared within 5 standard errors (the variance of the sample
 * variance uses the fourth central moment, estimated from the same sample). */
#include "hl_random.h"

#include <criterion/criterion.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_bessel.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define N_DRAWS 200000

typedef struct moments {
    double mean, var, m4, min, max;
} moments;

static moments sample(const char *name, const double *p, uint32_t n_p, double *buf, size_t n,
                      uint64_t seed)
{
    axon_dist d = {name, {0, 0, 0, 0}, n_p};
    memcpy(d.p, p, n_p * sizeof *p);
    gsl_rng *r = hl_rng_new(seed);
    char err[AXON_ERRMSG_LEN] = "";
    int rc = hl_dist_fill(&d, r, buf, n, err);
    cr_assert_eq(rc, AXON_OK, "%s: %s", name, err);
    gsl_rng_free(r);
    moments m = {0, 0, 0, INFINITY, -INFINITY};
    for (size_t i = 0; i < n; i++) {
        m.mean += buf[i];
        if (buf[i] < m.min)
            m.min = buf[i];
        if (buf[i] > m.max)
            m.max = buf[i];
    }
    m.mean /= (double)n;
    for (size_t i = 0; i < n; i++) {
        double e = buf[i] - m.mean;
        m.var += e * e;
        m.m4 += e * e * e * e;
    }
    m.var /= (double)(n - 1);
    m.m4 /= (double)n;
    return m;
}

static void check_moments(const char *name, moments m, size_t n, double mean, double var)
{
    double se_mean = sqrt(var / (double)n);
    cr_assert(fabs(m.mean - mean) < 5 * se_mean + 1e-12,
              "%s: sample mean %.6g, expected %.6g (5 se = %.3g)", name, m.mean, mean,
              5 * se_mean);
    double se_var = sqrt(fmax(m.m4 - m.var * m.var, 0) / (double)n);
    cr_assert(fabs(m.var - var) < 5 * se_var + 1e-12,
              "%s: sample variance %.6g, expected %.6g (5 se = %.3g)", name, m.var, var,
              5 * se_var);
}

static double *buffer(void)
{
    double *b = malloc(N_DRAWS * sizeof *b);
    cr_assert_not_null(b);
    return b;
}

Test(random, uniform)
{
    double *b = buffer();
    moments m = sample("uniform", (double[]){2, 5}, 2, b, N_DRAWS, 1);
    check_moments("uniform", m, N_DRAWS, 3.5, 9.0 / 12);
    cr_assert(m.min >= 2 && m.max < 5, "uniform(2, 5) support: [%g, %g]", m.min, m.max);
    free(b);
}

Test(random, uniform_int_excludes_high)
{
    double *b = buffer();
    moments m = sample("uniform_int", (double[]){-3, 4}, 2, b, N_DRAWS, 2);
    /* numpy randint semantics: -3..3, seven values */
    check_moments("uniform_int", m, N_DRAWS, 0, (49.0 - 1) / 12);
    size_t cnt[7] = {0};
    for (size_t i = 0; i < N_DRAWS; i++) {
        cr_assert(b[i] == floor(b[i]) && b[i] >= -3 && b[i] <= 3, "uniform_int drew %g", b[i]);
        cnt[(int)b[i] + 3]++;
    }
    for (int k = 0; k < 7; k++) {
        double e = N_DRAWS / 7.0, sd = sqrt(e * (6.0 / 7));
        cr_assert(fabs((double)cnt[k] - e) < 5 * sd, "uniform_int value %d drawn %zu times",
                  k - 3, cnt[k]);
    }
    free(b);
}

Test(random, normal)
{
    double *b = buffer();
    moments m = sample("normal", (double[]){1, 2}, 2, b, N_DRAWS, 3);
    check_moments("normal", m, N_DRAWS, 1, 4);
    /* sigma = 0 is allowed and gives mu */
    m = sample("normal", (double[]){-1.5, 0}, 2, b, 1000, 3);
    cr_assert(m.min == -1.5 && m.max == -1.5);
    free(b);
}

/* mean and variance of normal(0, 1) truncated to [a, b] */
static void truncated_moments(double a, double b, double *mean, double *var)
{
    double Z = a >= 0 ? gsl_cdf_ugaussian_Q(a) - gsl_cdf_ugaussian_Q(b)
                      : gsl_cdf_ugaussian_P(b) - gsl_cdf_ugaussian_P(a);
    double pa = gsl_ran_ugaussian_pdf(a), pb = isinf(b) ? 0 : gsl_ran_ugaussian_pdf(b);
    double bpb = isinf(b) ? 0 : b * pb;
    *mean = (pa - pb) / Z;
    *var = 1 + (a * pa - bpb) / Z - *mean * *mean;
}

Test(random, normal_clipped_redraws)
{
    double *b = buffer();
    /* mu = 1, sigma = 2, [0, 4] -> standardised [-0.5, 1.5] */
    moments m = sample("normal_clipped", (double[]){1, 2, 0, 4}, 4, b, N_DRAWS, 4);
    double mu, var;
    truncated_moments(-0.5, 1.5, &mu, &var);
    check_moments("normal_clipped", m, N_DRAWS, 1 + 2 * mu, 4 * var);
    cr_assert(m.min >= 0 && m.max <= 4);
    /* no value sits on the boundary (redrawn, not clipped) */
    size_t at = 0;
    for (size_t i = 0; i < N_DRAWS; i++)
        at += b[i] == 0 || b[i] == 4;
    cr_assert(at == 0, "%zu values on the boundary", at);
    free(b);
}

Test(random, normal_clipped_far_tail)
{
    /* [5, 6] sigma holds 2.9e-7 of the mass: rejection alone would take millions of draws */
    double *b = buffer();
    moments m = sample("normal_clipped", (double[]){0, 1, 5, 6}, 4, b, N_DRAWS, 5);
    double mu, var;
    truncated_moments(5, 6, &mu, &var);
    check_moments("normal_clipped tail", m, N_DRAWS, mu, var);
    cr_assert(m.min >= 5 && m.max <= 6);
    /* one-sided: normal_clipped(0, 1, 0, inf) is the half-normal */
    m = sample("normal_clipped", (double[]){0, 1, 0, INFINITY}, 4, b, N_DRAWS, 6);
    check_moments("half-normal", m, N_DRAWS, sqrt(2 / M_PI), 1 - 2 / M_PI);
    cr_assert(m.min >= 0);
    free(b);
}

Test(random, normal_clipped_to_boundary_clips)
{
    double *b = buffer();
    moments m = sample("normal_clipped_to_boundary", (double[]){0, 1, -1, 1}, 4, b, N_DRAWS, 7);
    cr_assert(m.min == -1 && m.max == 1);
    size_t lo = 0, hi = 0;
    for (size_t i = 0; i < N_DRAWS; i++) {
        lo += b[i] == -1;
        hi += b[i] == 1;
    }
    double e = N_DRAWS * gsl_cdf_ugaussian_P(-1), sd = sqrt(e);
    cr_assert(fabs((double)lo - e) < 5 * sd && fabs((double)hi - e) < 5 * sd,
              "clipped counts %zu and %zu, expected %.0f each", lo, hi, e);
    cr_assert(fabs(m.mean) < 0.01);
    free(b);
}

Test(random, exponential_beta_is_the_mean)
{
    double *b = buffer();
    moments m = sample("exponential", (double[]){2}, 1, b, N_DRAWS, 8);
    check_moments("exponential", m, N_DRAWS, 2, 4);
    cr_assert(m.min >= 0);
    free(b);
}

Test(random, lognormal)
{
    double *b = buffer();
    double mu = 0.5, s = 0.4;
    moments m = sample("lognormal", (double[]){mu, s}, 2, b, N_DRAWS, 9);
    check_moments("lognormal", m, N_DRAWS, exp(mu + s * s / 2),
                  (exp(s * s) - 1) * exp(2 * mu + s * s));
    cr_assert(m.min > 0);
    free(b);
}

Test(random, gamma_theta_is_the_scale)
{
    double *b = buffer();
    moments m = sample("gamma", (double[]){3, 2}, 2, b, N_DRAWS, 10);
    check_moments("gamma", m, N_DRAWS, 6, 12);
    free(b);
}

Test(random, poisson)
{
    double *b = buffer();
    moments m = sample("poisson", (double[]){4.5}, 1, b, N_DRAWS, 11);
    check_moments("poisson", m, N_DRAWS, 4.5, 4.5);
    for (size_t i = 0; i < N_DRAWS; i++)
        cr_assert(b[i] >= 0 && b[i] == floor(b[i]));
    m = sample("poisson", (double[]){0}, 1, b, 100, 11);
    cr_assert(m.max == 0);
    free(b);
}

Test(random, binomial)
{
    double *b = buffer();
    moments m = sample("binomial", (double[]){20, 0.3}, 2, b, N_DRAWS, 12);
    check_moments("binomial", m, N_DRAWS, 6, 4.2);
    cr_assert(m.min >= 0 && m.max <= 20);
    for (size_t i = 0; i < N_DRAWS; i++)
        cr_assert(b[i] == floor(b[i]));
    free(b);
}

static void circular(const double *b, size_t n, double *mean_dir, double *R)
{
    double c = 0, s = 0;
    for (size_t i = 0; i < n; i++) {
        c += cos(b[i]);
        s += sin(b[i]);
    }
    *mean_dir = atan2(s, c);
    *R = sqrt(c * c + s * s) / (double)n;
}

Test(random, vonmises)
{
    double *b = buffer();
    const double cases[][2] = {{1.0, 2.0}, {3.0, 4.0}, {-2.5, 0.5}, {0.3, 50}};
    for (size_t t = 0; t < sizeof cases / sizeof cases[0]; t++) {
        double mu = cases[t][0], kappa = cases[t][1];
        moments m = sample("vonmises", cases[t], 2, b, N_DRAWS, 13 + t);
        cr_assert(m.min >= -M_PI && m.max < M_PI, "vonmises support [%g, %g]", m.min, m.max);
        double dir, R;
        circular(b, N_DRAWS, &dir, &R);
        double want_R = gsl_sf_bessel_I1(kappa) / gsl_sf_bessel_I0(kappa);
        /* standard errors: R ~ sqrt((1 - 2R^2 + E cos 2x) / 2n), direction ~ that / R */
        double se_R = sqrt((1 - want_R * want_R) / (double)N_DRAWS);
        double ddir = remainder(dir - mu, 2 * M_PI);
        cr_assert(fabs(R - want_R) < 5 * se_R + 1e-4,
                  "vonmises(%g, %g): mean resultant length %.5f, expected %.5f", mu, kappa, R,
                  want_R);
        cr_assert(fabs(ddir) < 5 * se_R / want_R + 1e-4,
                  "vonmises(%g, %g): mean direction %.5f", mu, kappa, dir);
    }
    /* kappa = 0: uniform on the circle */
    moments m = sample("vonmises", (double[]){1, 0}, 2, b, N_DRAWS, 20);
    check_moments("vonmises kappa=0", m, N_DRAWS, 0, M_PI * M_PI / 3);
    free(b);
}

Test(random, same_seed_same_draws_and_seed_mixing)
{
    double a[64], c[64];
    axon_dist d = {"normal", {0, 1}, 2};
    gsl_rng *r1 = hl_rng_new(42), *r2 = hl_rng_new(42), *r3 = hl_rng_new(43);
    cr_assert_eq(hl_dist_fill(&d, r1, a, 64, NULL), AXON_OK);
    cr_assert_eq(hl_dist_fill(&d, r2, c, 64, NULL), AXON_OK);
    cr_assert_arr_eq(a, c, sizeof a);
    cr_assert_eq(hl_dist_fill(&d, r3, c, 64, NULL), AXON_OK);
    cr_assert(memcmp(a, c, sizeof a) != 0);
    /* MT19937: a 32-bit seed seeds GSL directly; the high bits change the stream */
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 42);
    gsl_rng *r4 = hl_rng_new(42);
    cr_assert_eq(gsl_rng_get(g), gsl_rng_get(r4));
    cr_assert_str_eq(gsl_rng_name(r4), "mt19937");
    gsl_rng *r5 = hl_rng_new(42 | (1ull << 40));
    gsl_rng_set(g, 42);
    cr_assert_neq(gsl_rng_get(g), gsl_rng_get(r5));
    gsl_rng_free(g);
    gsl_rng_free(r1);
    gsl_rng_free(r2);
    gsl_rng_free(r3);
    gsl_rng_free(r4);
    gsl_rng_free(r5);
}

static void expect_bad(const char *name, const double *p, uint32_t n_p, const char *needle)
{
    axon_dist d = {name, {0, 0, 0, 0}, n_p};
    if (p)
        memcpy(d.p, p, (n_p > 4 ? 4 : n_p) * sizeof *p);
    char err[AXON_ERRMSG_LEN] = "";
    int rc = hl_dist_check(&d, err);
    cr_assert_eq(rc, AXON_ERR_INVALID_ARG, "%s: expected an error, got %d", name ? name : "NULL",
                 rc);
    cr_assert(strstr(err, needle) != NULL, "%s: message '%s' lacks '%s'", name ? name : "NULL",
              err, needle);
}

Test(random, bad_parameters_are_named)
{
    expect_bad("gaussian", (double[]){0, 1}, 2, "unknown random distribution 'gaussian'");
    expect_bad(NULL, NULL, 0, "unknown random distribution");
    expect_bad("normal", (double[]){0, 1, 2}, 3, "normal takes 2 parameters (mu, sigma), got 3");
    expect_bad("exponential", (double[]){1, 2}, 2, "exponential takes 1 parameter (beta), got 2");
    expect_bad("normal", (double[]){0, -1}, 2, "normal: sigma = -1 must be >= 0");
    expect_bad("normal", (double[]){NAN, 1}, 2, "normal: mu = nan must be finite");
    expect_bad("uniform", (double[]){5, 5}, 2, "uniform: low = 5 must be less than high = 5");
    expect_bad("uniform", (double[]){0, INFINITY}, 2, "uniform: high = inf must be finite");
    expect_bad("uniform_int", (double[]){0.5, 3}, 2, "uniform_int: low = 0.5 must be an integer");
    expect_bad("uniform_int", (double[]){3, 3}, 2, "uniform_int: low = 3 must be less than high");
    expect_bad("normal_clipped", (double[]){0, 1, 2, 1}, 4,
               "normal_clipped: low = 2 must be less than high = 1");
    expect_bad("normal_clipped", (double[]){0, 1, 50, 60}, 4,
               "normal_clipped: [low, high] = [50, 60] holds no probability mass");
    expect_bad("normal_clipped", (double[]){0, 0, 1, 2}, 4, "holds no probability mass");
    expect_bad("normal_clipped_to_boundary", (double[]){0, -2, 0, 1}, 4,
               "normal_clipped_to_boundary: sigma = -2 must be >= 0");
    expect_bad("exponential", (double[]){0}, 1, "exponential: beta = 0 must be > 0");
    expect_bad("lognormal", (double[]){0, -0.1}, 2, "lognormal: sigma = -0.1 must be >= 0");
    expect_bad("gamma", (double[]){0, 1}, 2, "gamma: k = 0 must be > 0");
    expect_bad("gamma", (double[]){1, -1}, 2, "gamma: theta = -1 must be > 0");
    expect_bad("poisson", (double[]){-1}, 1, "poisson: lambda_ = -1 must be in [0, ");
    expect_bad("binomial", (double[]){10, 1.5}, 2, "binomial: p = 1.5 must be in [0, 1]");
    expect_bad("binomial", (double[]){2.5, 0.5}, 2, "binomial: n = 2.5 must be an integer");
    expect_bad("binomial", (double[]){-1, 0.5}, 2, "binomial: n = -1 must be an integer");
    expect_bad("vonmises", (double[]){0, -1}, 2, "vonmises: kappa = -1 must be >= 0");
    /* hl_dist_fill checks first and writes nothing */
    double out[4] = {7, 7, 7, 7};
    axon_dist d = {"gamma", {-1, 1}, 2};
    gsl_rng *r = hl_rng_new(1);
    char err[AXON_ERRMSG_LEN];
    cr_assert_eq(hl_dist_fill(&d, r, out, 4, err), AXON_ERR_INVALID_ARG);
    cr_assert(out[0] == 7 && out[3] == 7);
    cr_assert_eq(hl_dist_fill(&d, r, out, 4, NULL), AXON_ERR_INVALID_ARG); /* NULL err ok */
    gsl_rng_free(r);
}
