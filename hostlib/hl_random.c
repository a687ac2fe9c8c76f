/* PyNN random distributions on GSL generators (PyNN 0.10 pyNN/random.py, NumpyRNG
 * semantics: uniform on [low, high), uniform_int on [low, high) like numpy's randint,
 * normal_clipped redraws values outside [low, high], normal_clipped_to_boundary clips,
 * exponential's beta is the mean, gamma's theta is the scale). Normal variates use GSL's
 * ziggurat sampler (gsl_ran_gaussian_ziggurat), lognormal is exp(normal). */
#include "hl_random.h"

#include "errbuf.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <limits.h>
#include <math.h>
#include <string.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

enum {
    D_UNIFORM,
    D_UNIFORM_INT,
    D_NORMAL,
    D_NORMAL_CLIPPED,
    D_NORMAL_CLIPPED_TO_BOUNDARY,
    D_EXPONENTIAL,
    D_LOGNORMAL,
    D_GAMMA,
    D_POISSON,
    D_BINOMIAL,
    D_VONMISES,
    D_COUNT
};

static const struct {
    const char *name;
    unsigned n_p;
    const char *p[4];
} dists[D_COUNT] = {
    [D_UNIFORM] = {"uniform", 2, {"low", "high"}},
    [D_UNIFORM_INT] = {"uniform_int", 2, {"low", "high"}},
    [D_NORMAL] = {"normal", 2, {"mu", "sigma"}},
    [D_NORMAL_CLIPPED] = {"normal_clipped", 4, {"mu", "sigma", "low", "high"}},
    [D_NORMAL_CLIPPED_TO_BOUNDARY] = {"normal_clipped_to_boundary", 4,
                                      {"mu", "sigma", "low", "high"}},
    [D_EXPONENTIAL] = {"exponential", 1, {"beta"}},
    [D_LOGNORMAL] = {"lognormal", 2, {"mu", "sigma"}},
    [D_GAMMA] = {"gamma", 2, {"k", "theta"}},
    [D_POISSON] = {"poisson", 1, {"lambda_"}},
    [D_BINOMIAL] = {"binomial", 2, {"n", "p"}},
    [D_VONMISES] = {"vonmises", 2, {"mu", "kappa"}},
};

/* Largest Poisson mean accepted: GSL returns an unsigned int. */
#define HL_POISSON_MAX 1e9
/* Integers beyond 2^53 are not all representable as doubles. */
#define HL_INT_MAX 9007199254740992.0

static int dist_id(const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < D_COUNT; i++)
        if (strcmp(name, dists[i].name) == 0)
            return i;
    return -1;
}

static int is_integer(double x) { return isfinite(x) && x == floor(x); }

/* Probability mass of the standard normal in [a, b], computed on the side of the
 * distribution where it is accurate. */
static double normal_mass(double a, double b)
{
    if (a >= 0)
        return gsl_cdf_ugaussian_Q(a) - gsl_cdf_ugaussian_Q(b);
    if (b <= 0)
        return gsl_cdf_ugaussian_P(b) - gsl_cdf_ugaussian_P(a);
    return 1.0 - gsl_cdf_ugaussian_P(a) - gsl_cdf_ugaussian_Q(b);
}

int hl_dist_check(const axon_dist *d, char *err)
{
    if (!d)
        return axon_errf(err, AXON_ERR_INVALID_ARG, "random distribution: NULL");
    int id = dist_id(d->name);
    if (id < 0)
        return axon_errf(err, AXON_ERR_INVALID_ARG,
                         "unknown random distribution '%s' (expected uniform, uniform_int, "
                         "normal, normal_clipped, normal_clipped_to_boundary, exponential, "
                         "lognormal, gamma, poisson, binomial or vonmises)",
                         d->name ? d->name : "(null)");
    const char *nm = dists[id].name;
    const char *const *pn = dists[id].p;
    if (d->n_p != dists[id].n_p) {
        char names[64] = "";
        for (unsigned i = 0; i < dists[id].n_p; i++) {
            if (i)
                strcat(names, ", ");
            strcat(names, pn[i]);
        }
        return axon_errf(err, AXON_ERR_INVALID_ARG,
                         "%s takes %u parameter%s (%s), got %u", nm, dists[id].n_p,
                         dists[id].n_p == 1 ? "" : "s", names, (unsigned)d->n_p);
    }
    const double *p = d->p;
    /* NaN is never valid; infinities only for the bounds of the clipped normals */
    for (unsigned i = 0; i < d->n_p; i++) {
        int bound = (id == D_NORMAL_CLIPPED || id == D_NORMAL_CLIPPED_TO_BOUNDARY) && i >= 2;
        if (isnan(p[i]) || (!bound && !isfinite(p[i])))
            return axon_errf(err, AXON_ERR_INVALID_ARG, "%s: %s = %g must be finite", nm,
                             pn[i], p[i]);
    }
    switch (id) {
    case D_UNIFORM:
        if (!(p[0] < p[1]))
            return axon_errf(err, AXON_ERR_INVALID_ARG,
                             "uniform: low = %g must be less than high = %g", p[0], p[1]);
        if (!isfinite(p[1] - p[0]))
            return axon_errf(err, AXON_ERR_INVALID_ARG,
                             "uniform: the range [%g, %g) is too wide", p[0], p[1]);
        break;
    case D_UNIFORM_INT:
        for (int i = 0; i < 2; i++)
            if (!is_integer(p[i]) || fabs(p[i]) > HL_INT_MAX)
                return axon_errf(err, AXON_ERR_INVALID_ARG,
                                 "uniform_int: %s = %g must be an integer of magnitude at most "
                                 "2^53",
                                 pn[i], p[i]);
        if (!(p[0] < p[1]))
            return axon_errf(err, AXON_ERR_INVALID_ARG,
                             "uniform_int: low = %g must be less than high = %g (high is "
                             "excluded)",
                             p[0], p[1]);
        if (p[1] - p[0] > 4294967296.0)
            return axon_errf(err, AXON_ERR_INVALID_ARG,
                             "uniform_int: high - low = %g exceeds 2^32", p[1] - p[0]);
        break;
    case D_NORMAL:
    case D_LOGNORMAL:
        if (p[1] < 0)
            return axon_errf(err, AXON_ERR_INVALID_ARG, "%s: sigma = %g must be >= 0", nm,
                             p[1]);
        break;
    case D_NORMAL_CLIPPED:
    case D_NORMAL_CLIPPED_TO_BOUNDARY:
        if (p[1] < 0)
            return axon_errf(err, AXON_ERR_INVALID_ARG, "%s: sigma = %g must be >= 0", nm,
                             p[1]);
        if (!(p[2] < p[3]))
            return axon_errf(err, AXON_ERR_INVALID_ARG,
                             "%s: low = %g must be less than high = %g", nm, p[2], p[3]);
        if (id == D_NORMAL_CLIPPED) {
            int ok;
            if (p[1] == 0)
                ok = p[0] >= p[2] && p[0] <= p[3];
            else
                ok = normal_mass((p[2] - p[0]) / p[1], (p[3] - p[0]) / p[1]) > 0;
            if (!ok)
                return axon_errf(err, AXON_ERR_INVALID_ARG,
                                 "normal_clipped: [low, high] = [%g, %g] holds no probability "
                                 "mass of normal(mu = %g, sigma = %g)",
                                 p[2], p[3], p[0], p[1]);
        }
        break;
    case D_EXPONENTIAL:
        if (!(p[0] > 0))
            return axon_errf(err, AXON_ERR_INVALID_ARG, "exponential: beta = %g must be > 0",
                             p[0]);
        break;
    case D_GAMMA:
        if (!(p[0] > 0))
            return axon_errf(err, AXON_ERR_INVALID_ARG, "gamma: k = %g must be > 0", p[0]);
        if (!(p[1] > 0))
            return axon_errf(err, AXON_ERR_INVALID_ARG, "gamma: theta = %g must be > 0", p[1]);
        break;
    case D_POISSON:
        if (p[0] < 0 || p[0] > HL_POISSON_MAX)
            return axon_errf(err, AXON_ERR_INVALID_ARG,
                             "poisson: lambda_ = %g must be in [0, %g]", p[0], HL_POISSON_MAX);
        break;
    case D_BINOMIAL:
        if (!is_integer(p[0]) || p[0] < 0 || p[0] > (double)UINT_MAX)
            return axon_errf(err, AXON_ERR_INVALID_ARG,
                             "binomial: n = %g must be an integer in [0, %u]", p[0], UINT_MAX);
        if (p[1] < 0 || p[1] > 1)
            return axon_errf(err, AXON_ERR_INVALID_ARG, "binomial: p = %g must be in [0, 1]",
                             p[1]);
        break;
    case D_VONMISES:
        if (p[1] < 0)
            return axon_errf(err, AXON_ERR_INVALID_ARG, "vonmises: kappa = %g must be >= 0",
                             p[1]);
        break;
    default:
        break;
    }
    return AXON_OK;
}

/* Exact sample of normal(mu, sigma) truncated to [lo, hi] by inversion of the CDF, on the
 * side of the distribution where the CDF keeps its precision (used when rejection keeps
 * failing, i.e. the interval holds little mass). */
static double normal_truncated_inverse(gsl_rng *r, double mu, double sigma, double lo,
                                       double hi)
{
    double a = (lo - mu) / sigma, b = (hi - mu) / sigma, x;
    double u = gsl_rng_uniform_pos(r);
    if (a >= 0) {
        double qa = gsl_cdf_ugaussian_Q(a), qb = gsl_cdf_ugaussian_Q(b);
        x = gsl_cdf_ugaussian_Qinv(qb + u * (qa - qb));
    } else {
        double pa = gsl_cdf_ugaussian_P(a), pb = gsl_cdf_ugaussian_P(b);
        x = gsl_cdf_ugaussian_Pinv(pa + u * (pb - pa));
    }
    double v = mu + sigma * x;
    if (!(v >= lo))
        v = lo;
    if (v > hi)
        v = hi;
    return v;
}

/* Best & Fisher (1979) rejection sampler for the von Mises distribution, result in
 * [-pi, pi) like numpy's vonmises. */
static double vonmises_draw(gsl_rng *r, double mu, double kappa)
{
    double theta;
    if (kappa < 1e-8) {
        theta = M_PI * (2.0 * gsl_rng_uniform(r) - 1.0);
    } else if (kappa > 1e6) {
        /* the wrapped normal is indistinguishable here */
        theta = mu + gsl_ran_gaussian_ziggurat(r, 1.0 / sqrt(kappa));
    } else {
        double s;
        if (kappa < 1e-5) {
            s = 1.0 / kappa + kappa;
        } else {
            double tau = 1.0 + sqrt(1.0 + 4.0 * kappa * kappa);
            double rho = (tau - sqrt(2.0 * tau)) / (2.0 * kappa);
            s = (1.0 + rho * rho) / (2.0 * rho);
        }
        double f;
        for (;;) {
            double z = cos(M_PI * gsl_rng_uniform(r));
            f = (1.0 + s * z) / (s + z);
            double c = kappa * (s - f);
            double u2 = gsl_rng_uniform_pos(r);
            if (c * (2.0 - c) - u2 > 0 || log(c / u2) + 1.0 - c >= 0)
                break;
        }
        if (f > 1)
            f = 1;
        if (f < -1)
            f = -1;
        theta = acos(f);
        if (gsl_rng_uniform(r) < 0.5)
            theta = -theta;
        theta += mu;
    }
    double t = fmod(theta + M_PI, 2.0 * M_PI);
    if (t < 0)
        t += 2.0 * M_PI;
    t -= M_PI;
    if (t >= M_PI) /* rounding */
        t = -M_PI;
    return t;
}

static double draw_id(int id, const double *p, gsl_rng *r)
{
    switch (id) {
    case D_UNIFORM:
        return gsl_ran_flat(r, p[0], p[1]);
    case D_UNIFORM_INT: {
        double span = p[1] - p[0];
        unsigned long k = span >= 4294967296.0 ? gsl_rng_get(r) /* mt19937: 32 bits */
                                               : gsl_rng_uniform_int(r, (unsigned long)span);
        return p[0] + (double)k;
    }
    case D_NORMAL:
        return p[0] + gsl_ran_gaussian_ziggurat(r, p[1]);
    case D_NORMAL_CLIPPED: {
        if (p[1] == 0)
            return p[0];
        /* PyNN redraws values outside [low, high]; after many rejections (little mass in
         * the interval) the same truncated distribution is sampled by inversion */
        for (int i = 0; i < 64; i++) {
            double v = p[0] + gsl_ran_gaussian_ziggurat(r, p[1]);
            if (v >= p[2] && v <= p[3])
                return v;
        }
        return normal_truncated_inverse(r, p[0], p[1], p[2], p[3]);
    }
    case D_NORMAL_CLIPPED_TO_BOUNDARY: {
        double v = p[0] + gsl_ran_gaussian_ziggurat(r, p[1]);
        return v < p[2] ? p[2] : v > p[3] ? p[3] : v;
    }
    case D_EXPONENTIAL:
        return gsl_ran_exponential(r, p[0]);
    case D_LOGNORMAL:
        return exp(p[0] + gsl_ran_gaussian_ziggurat(r, p[1]));
    case D_GAMMA:
        return gsl_ran_gamma(r, p[0], p[1]);
    case D_POISSON:
        return (double)gsl_ran_poisson(r, p[0]);
    case D_BINOMIAL:
        return (double)gsl_ran_binomial(r, p[1], (unsigned)p[0]);
    case D_VONMISES:
        return vonmises_draw(r, p[0], p[1]);
    default:
        return NAN;
    }
}

double hl_dist_draw(const axon_dist *d, gsl_rng *r)
{
    return draw_id(dist_id(d->name), d->p, r);
}

int hl_dist_fill(const axon_dist *d, gsl_rng *r, double *out, size_t n, char *err)
{
    int rc = hl_dist_check(d, err);
    if (rc)
        return rc;
    if (n && (!out || !r))
        return axon_errf(err, AXON_ERR_INVALID_ARG, "%s: NULL output or generator", d->name);
    int id = dist_id(d->name);
    for (size_t i = 0; i < n; i++)
        out[i] = draw_id(id, d->p, r);
    return AXON_OK;
}

gsl_rng *hl_rng_new(uint64_t seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (!r)
        return NULL;
    uint32_t lo = (uint32_t)seed, hi = (uint32_t)(seed >> 32);
    /* small seeds (hi = 0) seed MT19937 exactly as gsl_rng_set(r, seed) would */
    gsl_rng_set(r, (unsigned long)(lo ^ (uint32_t)(hi * 0x9E3779B9u)));
    return r;
}
