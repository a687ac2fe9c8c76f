/* The cortical microcircuit for table studies (microcircuit.h). */
#include "microcircuit.h"

#include <math.h>
#include <stdio.h>

#define N_POPS 8

static const char *const NAMES[N_POPS] = {"L23E", "L23I", "L4E", "L4I", "L5E", "L5I", "L6E", "L6I"};
static const uint32_t SIZE[N_POPS] = {20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948};
static const double K_EXT[N_POPS] = {1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100};
/* connection probability, row = target, column = source */
static const double P[N_POPS][N_POPS] = {
    {0.1009, 0.1689, 0.0437, 0.0818, 0.0323, 0.0, 0.0076, 0.0},
    {0.1346, 0.1371, 0.0316, 0.0515, 0.0755, 0.0, 0.0042, 0.0},
    {0.0077, 0.0059, 0.0497, 0.1350, 0.0067, 0.0003, 0.0453, 0.0},
    {0.0691, 0.0029, 0.0794, 0.1597, 0.0033, 0.0, 0.1057, 0.0},
    {0.1004, 0.0622, 0.0505, 0.0057, 0.0831, 0.3726, 0.0204, 0.0},
    {0.0548, 0.0269, 0.0257, 0.0022, 0.0600, 0.3158, 0.0086, 0.0},
    {0.0156, 0.0066, 0.0211, 0.0166, 0.0572, 0.0197, 0.0396, 0.2252},
    {0.0364, 0.0010, 0.0034, 0.0005, 0.0277, 0.0080, 0.0658, 0.1443}};

static axon_value random_value(const char *name, double mu, double sigma, double lo, double hi)
{
    axon_value v = axon_const(0);
    v.kind = AXON_VALUE_RANDOM;
    v.dist = (axon_dist){name, {mu, sigma, lo, hi}, lo < hi ? 4 : 2};
    return v;
}

static axon_value dist4(double mu, double sigma, double lo, double hi)
{
    return random_value("normal_clipped", mu, sigma, lo, hi);
}

int axon_microcircuit_build(axon_ctx *ctx, double scale, int poisson)
{
    const double w_exc = 0.0878, dt = axon_timestep(ctx), dmax = 14.4; /* nA, ms */
    axon_pop pop[N_POPS];
    int rc;
    for (int p = 0; p < N_POPS; p++) {
        uint32_t n = (uint32_t)lround(SIZE[p] * scale);
        if ((rc = axon_population(ctx, n ? n : 1, "IF_curr_exp", NAMES[p], NULL, &pop[p])))
            return rc;
        axon_value vi = random_value("normal", -58.0, 10.0, 0, 0);
        if ((rc = axon_pop_initialize(ctx, pop[p], "v", &vi)))
            return rc;
    }
    for (int t = 0; t < N_POPS; t++)
        for (int s = 0; s < N_POPS; s++) {
            if (P[t][s] == 0)
                continue;
            const int inh = s % 2;
            double w = w_exc * (inh ? -4.0 : (s == 2 && t == 0 ? 2.0 : 1.0));
            axon_synapse syn = {
                inh ? dist4(w, fabs(w) * 0.1, -1e9, 0.0) : dist4(w, w * 0.1, 0.0, 1e9),
                inh ? dist4(0.8, 0.4, dt, dmax) : dist4(1.5, 0.75, dt, dmax)};
            axon_connector c = axon_connector_default(AXON_CONN_FIXED_PROBABILITY);
            c.p = P[t][s];
            axon_view pre = axon_whole(ctx, pop[s]), post = axon_whole(ctx, pop[t]);
            char label[32];
            snprintf(label, sizeof label, "%s->%s", NAMES[s], NAMES[t]);
            if ((rc = axon_projection(ctx, &pre, &post, &c, &syn, inh ? "inhibitory" : "excitatory",
                                      NULL, label, NULL)))
                return rc;
        }
    if (!poisson)
        return AXON_OK;
    for (int p = 0; p < N_POPS; p++) {
        axon_pop src;
        char label[32];
        snprintf(label, sizeof label, "%s_bg", NAMES[p]);
        uint32_t n = axon_pop_size(ctx, pop[p]);
        axon_value rate = axon_const(8.0 * K_EXT[p]);
        if ((rc = axon_population(ctx, n, "SpikeSourcePoisson", label, NULL, &src)) ||
            (rc = axon_pop_set(ctx, src, "rate", &rate)))
            return rc;
        axon_connector c = axon_connector_default(AXON_CONN_ONE_TO_ONE);
        axon_synapse syn = {axon_const(w_exc), axon_const(1.5)};
        axon_view pre = axon_whole(ctx, src), post = axon_whole(ctx, pop[p]);
        if ((rc = axon_projection(ctx, &pre, &post, &c, &syn, "excitatory", NULL, label, NULL)))
            return rc;
    }
    return AXON_OK;
}
