/* Routing-table sizes before and after default-route removal and compression
 * (docs/hostlib.md#compression), for networks spread over several chips:
 *   tutorial   examples/networks/tutorial.json (1000 neurons + 800 sources) on 2 x 2 chips,
 *              8 cores per chip, 64 neurons per core
 *   cuba       the CUBA network (N = 20000, 80% excitatory, p = 0.02) on an automatic mesh
 * Prints: bench tables network=.. chips=WxH cores=.. entries_before=.. entries_after=..
 *         max_before=.. max_after=.. map_s=.. fits=yes|no (every table <= 1024 entries)
 * Usage: axon_bench_tables [TUTORIAL_JSON]   (default examples/networks/tutorial.json) */
#include "axon/axon.h"
#include "axon/netfile.h"

#include <stdio.h>

static int report(axon_ctx *ctx, const char *name)
{
    axon_mapping_report r;
    if (axon_describe(ctx, &r)) {
        fprintf(stderr, "bench_tables: %s: %s\n", name, axon_last_error(ctx));
        return 1;
    }
    printf("bench tables network=%s chips=%ux%u cores=%u entries_before=%llu entries_after=%llu "
           "max_before=%u max_after=%u map_s=%.2f fits=%s\n",
           name, r.chips_x, r.chips_y, r.cores_used, (unsigned long long)r.table_entries_before,
           (unsigned long long)r.table_entries_after, r.max_table_before, r.max_table_after,
           r.map_seconds, r.max_table_after <= AXON_ROUTER_MC_ENTRIES ? "yes" : "no");
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
        status |= report(ctx, "tutorial");
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
        status |= report(ctx, "cuba_20000");
    }
    axon_destroy(ctx);
    return status;
}
