/* Connector generation speed (not a test): ns per generated synapse for the connectors on
 * populations of a given size. Usage: bench_connectors [n_pre_post (20000)] [p (0.02)] */
#include "hl_connect.h"
#include "hl_random.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void bench(const char *label, axon_connector c, uint32_t n, int values)
{
    double *pos = malloc(3 * (size_t)n * sizeof *pos);
    for (uint32_t i = 0; i < n; i++) {
        pos[3 * i] = i % 200;
        pos[3 * i + 1] = i / 200;
        pos[3 * i + 2] = 0;
    }
    hl_space sp;
    hl_space_init(&sp, NULL, NULL);
    gsl_rng *r = hl_rng_new(1);
    hl_conn_in in = {&c, n, n, NULL, NULL, 1, pos, pos, &sp, r};
    hl_conns out;
    char err[AXON_ERRMSG_LEN];
    double t0 = now();
    int rc = hl_connect(&in, &out, err);
    double t1 = now();
    if (rc) {
        printf("%-34s error: %s\n", label, err);
    } else {
        printf("%-34s %11zu synapses %8.3f s %7.1f ns/synapse\n", label, out.n, t1 - t0,
               1e9 * (t1 - t0) / (double)(out.n ? out.n : 1));
        if (values) {
            double *w = malloc(out.n * sizeof *w);
            axon_value v = {AXON_VALUE_RANDOM, 0, NULL, 0, {"normal", {0.5, 0.1}, 2}, NULL};
            t0 = now();
            rc = hl_conn_values(&v, &in, &out, w, "weight", err);
            t1 = now();
            printf("%-34s %11zu values   %8.3f s %7.1f ns/value\n", "  + weights normal(0.5, 0.1)",
                   out.n, t1 - t0, 1e9 * (t1 - t0) / (double)(out.n ? out.n : 1));
            free(w);
        }
    }
    hl_conns_free(&out);
    gsl_rng_free(r);
    free(pos);
}

int main(int argc, char **argv)
{
    uint32_t n = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 20000;
    double p = argc > 2 ? strtod(argv[2], NULL) : 0.02;
    printf("populations of %u neurons\n", n);
    axon_connector c = hl_connector_default(AXON_CONN_FIXED_PROBABILITY);
    c.p = p;
    char label[64];
    snprintf(label, sizeof label, "FixedProbability(%g)", p);
    bench(label, c, n, 1);
    c.allow_self_connections = 0;
    snprintf(label, sizeof label, "FixedProbability(%g), no self", p);
    bench(label, c, n, 0);
    c = hl_connector_default(AXON_CONN_FIXED_NUMBER_PRE);
    c.n = (uint64_t)(p * n);
    snprintf(label, sizeof label, "FixedNumberPre(%llu)", (unsigned long long)c.n);
    bench(label, c, n, 0);
    c = hl_connector_default(AXON_CONN_FIXED_NUMBER_POST);
    c.n = (uint64_t)(p * n);
    snprintf(label, sizeof label, "FixedNumberPost(%llu)", (unsigned long long)c.n);
    bench(label, c, n, 0);
    c = hl_connector_default(AXON_CONN_FIXED_TOTAL_NUMBER);
    c.n = (uint64_t)(p * n * n);
    snprintf(label, sizeof label, "FixedTotalNumber(%llu)", (unsigned long long)c.n);
    bench(label, c, n, 0);
    c.with_replacement = 0;
    snprintf(label, sizeof label, "FixedTotalNumber(%llu), no repl.", (unsigned long long)c.n);
    bench(label, c, n, 0);
    uint32_t nd = n > 5000 ? 5000 : n;
    c = hl_connector_default(AXON_CONN_DISTANCE_PROBABILITY);
    c.expr = "exp(-d/10.0)";
    snprintf(label, sizeof label, "DistanceDependent %ux%u", nd, nd);
    bench(label, c, nd, 0);
    return 0;
}
