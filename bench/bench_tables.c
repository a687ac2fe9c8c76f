/* Routing-table sizes before and after default-route removal and compression
 * (docs/hostlib.md#compression), for networks spread over several chips:
 *   tutorial   examples/networks/tutorial.json (1000 neurons + 800 sources) on 2 x 2 chips,
 *              8 cores per chip, 64 neurons per core
 *   cuba       the CUBA network (N = 20000, 80% excitatory, p = 0.02) on an automatic mesh
 *   microcircuit  the cortical microcircuit (bench/microcircuit.c: 77,169 neurons, one Poisson
 *              source per neuron, ~3e8 synapses) on an automatic mesh, mapped routes only
 *              (axon_set_routes_only: tables without synaptic matrices, < 4 GiB)
 * Prints: bench tables[_microcircuit] network=.. chips=WxH cores=.. entries_before=..
 *         entries_after=.. max_before=.. max_after=.. mean_before=.. mean_after=..
 *         compress_s=.. map_s=.. fits=yes|no (every table <= 1024 entries)
 *         (microcircuit also: synapses=.. build_s=.. (network generation) peak_rss_mib=..)
 * Usage: axon_bench_tables [TUTORIAL_JSON [MICROCIRCUIT_SCALE]]
 *   defaults examples/networks/tutorial.json and 1 (the full size; 0 skips it) */
#include "axon/axon.h"
#include "axon/netfile.h"
#include "microcircuit.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int report(axon_ctx *ctx, const char *bench, const char *name)
{
    axon_mapping_report r;
    axon_table_report t;
    if (axon_describe(ctx, &r) || axon_describe_tables(ctx, &t)) {
        fprintf(stderr, "bench_tables: %s: %s\n", name, axon_last_error(ctx));
        return 1;
    }
    printf("bench %s network=%s chips=%ux%u cores=%u entries_before=%llu entries_after=%llu "
           "max_before=%u max_after=%u mean_before=%.1f mean_after=%.1f compress_s=%.3f "
           "map_s=%.2f fits=%s",
           bench, name, r.chips_x, r.chips_y, r.cores_used,
           (unsigned long long)r.table_entries_before, (unsigned long long)r.table_entries_after,
           r.max_table_before, r.max_table_after, t.mean_before, t.mean_after,
           t.compress_seconds, r.map_seconds, t.over_capacity ? "no" : "yes");
    if (t.routes_only)
        printf(" routes_only=1 synapses=%llu delay_ext_cores=%u", (unsigned long long)r.synapses,
               r.delay_extension_cores);
    return 0;
}

int main(int argc, char **argv)
{
    const char *tut = argc > 1 ? argv[1] : "examples/networks/tutorial.json";
    int status = 0;
    axon_ctx *ctx;
    if (axon_create(&ctx))
        return 1;
    axon_machine_opts mo = {.width = 2, .height = 2, .cores_per_chip = 8, .neurons_per_core = 64,
                            .threads = 1};
    if (axon_load_network(ctx, tut, NULL) || axon_set_machine(ctx, &mo)) {
        fprintf(stderr, "bench_tables: tutorial: %s\n", axon_last_error(ctx));
        status = 1;
    } else {
        status |= report(ctx, "tables", "tutorial");
        printf("\n");
    }
    axon_destroy(ctx);

    if (axon_create(&ctx) || axon_setup(ctx, 0.1, 0.1, 1.6, 7))
        return 1;
    const uint32_t n = 20000, ne = 16000;
    axon_pop p;
    axon_view exc, inh, all;
    axon_connector fp = axon_connector_default(AXON_CONN_FIXED_PROBABILITY);
    fp.p = 0.02;
    axon_synapse se = {axon_const(0.1), axon_const(0.1)};
    axon_synapse si = {axon_const(-0.4), axon_const(0.1)};
    if (axon_population(ctx, n, "IF_curr_exp", "cells", NULL, &p) ||
        axon_view_slice(ctx, p, 0, ne, 1, &exc) || axon_view_slice(ctx, p, ne, n, 1, &inh) ||
        (all = axon_whole(ctx, p), 0) ||
        axon_projection(ctx, &exc, &all, &fp, &se, "excitatory", NULL, "exc", NULL) ||
        axon_projection(ctx, &inh, &all, &fp, &si, "inhibitory", NULL, "inh", NULL)) {
        fprintf(stderr, "bench_tables: cuba: %s\n", axon_last_error(ctx));
        status = 1;
    } else {
        status |= report(ctx, "tables", "cuba_20000");
        printf("\n");
    }
    axon_destroy(ctx);

    double scale = argc > 2 ? atof(argv[2]) : 1.0;
    if (scale <= 0)
        return status;
    if (axon_create(&ctx) || axon_setup(ctx, 0.1, 0.1, 14.4, 7))
        return 1;
    double t0 = now_s();
    if (axon_set_routes_only(ctx, 1) || axon_microcircuit_build(ctx, scale, 1)) {
        fprintf(stderr, "bench_tables: microcircuit: %s\n", axon_last_error(ctx));
        status = 1;
    } else {
        double build_s = now_s() - t0;
        char name[64];
        snprintf(name, sizeof name, "microcircuit_%.4g", scale);
        if (report(ctx, "tables_microcircuit", name)) {
            status = 1;
        } else {
            struct rusage ru;
            getrusage(RUSAGE_SELF, &ru);
            printf(" build_s=%.1f peak_rss_mib=%.0f\n", build_s, ru.ru_maxrss / 1024.0);
        }
    }
    axon_destroy(ctx);
    return status;
}
