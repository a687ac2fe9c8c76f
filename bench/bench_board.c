/* The board protocol over the direct in-process transport (docs/board.md):
 *   bench usb_direct_efficiency ...  64 KiB READ/WRITE bursts: payload / wire bytes
 *   bench usb_direct_image_load ...  a 10-million-synapse image: LOAD (chunks + board boot)
 *   bench usb_direct_stream ...      recording stream from a synthetic machine
 *   bench usb_direct_latency ...     STATUS round trips
 * Usage: axon_bench_board [SYNAPSES (1e7)] */
#include "axon/axon.h"
#include "bench_common.h"

#include <stdio.h>
#include <stdlib.h>

static axon_link *open_direct(axon_board **b, const axon_machine_ops *m)
{
    char err[AXON_ERRMSG_LEN];
    axon_board_config cfg = {.machine = m, .serial = "BENCH"};
    axon_xport x;
    axon_link *l;
    if (axon_board_create(b, &cfg, err) || axon_xport_direct(&x, *b) ||
        axon_link_open(&l, x, NULL, err)) {
        fprintf(stderr, "bench_board: %s\n", err);
        exit(1);
    }
    return l;
}

int main(int argc, char **argv)
{
    double syn = argc > 1 ? atof(argv[1]) : 1e7;
    /* a network of `syn` synapses, mapped to an image */
    uint32_t n = 20000;
    axon_ctx *ctx;
    axon_pop p;
    axon_connector fp = axon_connector_default(AXON_CONN_FIXED_PROBABILITY);
    fp.p = syn / ((double)n * n);
    axon_synapse se = {axon_const(0.1), axon_const(1.0)};
    axon_view all;
    if (axon_create(&ctx) || axon_setup(ctx, 1.0, 1.0, 16.0, 3) ||
        axon_population(ctx, n, "IF_curr_exp", "cells", NULL, &p) ||
        (all = axon_whole(ctx, p), 0) ||
        axon_projection(ctx, &all, &all, &fp, &se, "excitatory", NULL, "e", NULL)) {
        fprintf(stderr, "bench_board: %s\n", axon_last_error(ctx));
        return 1;
    }
    axon_image *img = axon_machine_image(ctx);
    axon_mapping_report r;
    uint32_t *w;
    size_t nw;
    if (!img || axon_describe(ctx, &r) || axon_image_to_buffer(img, &w, &nw)) {
        fprintf(stderr, "bench_board: %s\n", axon_last_error(ctx));
        return 1;
    }
    axon_board *b;
    axon_link *l = open_direct(&b, NULL);
    double t0 = bc_now();
    if (axon_link_load(l, w, nw)) {
        fprintf(stderr, "bench_board: %s\n", axon_link_last_error(l));
        return 1;
    }
    double dt = bc_now() - t0;
    printf("bench usb_direct_image_load synapses=%llu words=%zu load_s=%.3f mib_s=%.0f "
           "(includes the board's parse, validation and boot)\n",
           (unsigned long long)r.synapses, nw, dt, nw * 4.0 / dt / 1048576.0);
    /* the largest core of chip (0,0) for the 64 KiB bursts */
    uint32_t bestn, best = bc_largest_core(img, &bestn);
    if (bestn >= 16384)
        bc_efficiency(l, best, "usb_direct");
    bc_latency(l, 20000, "usb_direct");
    axon_link_close(l);
    axon_board_destroy(b);
    free(w);
    axon_destroy(ctx);

    /* stream: synthetic machine, 16 KiB of recording per step */
    synth_words_per_step = 4096;
    l = open_direct(&b, &synth_machine);
    if (bc_load_empty(l)) {
        fprintf(stderr, "bench_board: %s\n", axon_link_last_error(l));
        return 1;
    }
    bc_stream(l, 20000, "usb_direct");
    axon_link_close(l);
    axon_board_destroy(b);
    return 0;
}
