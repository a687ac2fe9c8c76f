/* Mapping at scale: a network of N neurons (IF_curr_exp, 80% excitatory) with
 * FixedProbability connections giving S synapses in all, built and mapped into a machine
 * image. Prints build (connector generation) and mapping time and the peak resident memory.
 * Usage: axon_bench_map [N [SYNAPSES]]   (defaults 100000 and 1e8)
 * Prints: bench map neurons=.. synapses=.. build_s=.. map_s=.. peak_rss_gib=.. chips=.. cores=..
 *         tables_max=.. */
#include "axon/axon.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    uint32_t n = argc > 1 ? (uint32_t)atol(argv[1]) : 100000;
    double syn = argc > 2 ? atof(argv[2]) : 1e8;
    axon_ctx *ctx;
    if (axon_create(&ctx) || axon_setup(ctx, 1.0, 1.0, 16.0, 3))
        return 1;
    double t0 = now_s();
    axon_pop p;
    axon_view exc, inh, all;
    uint32_t ne = (uint32_t)(0.8 * n);
    axon_connector fp = axon_connector_default(AXON_CONN_FIXED_PROBABILITY);
    fp.p = syn / ((double)n * n);
    axon_synapse se = {axon_const(0.1), {AXON_VALUE_RANDOM, 0, NULL, 0, {"uniform_int", {1, 8}, 2}, NULL}};
    axon_synapse si = {axon_const(-0.4), axon_const(1.0)};
    if (axon_population(ctx, n, "IF_curr_exp", "cells", NULL, &p) ||
        axon_view_slice(ctx, p, 0, ne, 1, &exc) || axon_view_slice(ctx, p, ne, n, 1, &inh) ||
        (all = axon_whole(ctx, p), 0) ||
        axon_projection(ctx, &exc, &all, &fp, &se, "excitatory", NULL, "exc", NULL) ||
        axon_projection(ctx, &inh, &all, &fp, &si, "inhibitory", NULL, "inh", NULL)) {
        fprintf(stderr, "bench_map: %s\n", axon_last_error(ctx));
        return 1;
    }
    double t1 = now_s();
    axon_mapping_report r;
    if (axon_describe(ctx, &r)) {
        fprintf(stderr, "bench_map: %s\n", axon_last_error(ctx));
        return 1;
    }
    double t2 = now_s();
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("bench map neurons=%u synapses=%llu build_s=%.2f map_s=%.2f total_s=%.2f "
           "peak_rss_gib=%.2f chips=%ux%u cores=%u tables_max=%u target_s=30 target_gib=8\n",
           n, (unsigned long long)r.synapses, t1 - t0, t2 - t1, t2 - t0,
           ru.ru_maxrss / 1048576.0, r.chips_x, r.chips_y, r.cores_used, r.max_table_after);
    axon_destroy(ctx);
    return 0;
}
