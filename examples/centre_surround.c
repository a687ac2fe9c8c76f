/* Centre-surround on a line of neurons, as a C program on the host library.
 *
 * 200 IF_curr_exp cells on a Line (dx = 1). Connections are built as an explicit list
 * (FromList), the tutorial's way: every pair (i, j) connects with a Gaussian probability of
 * their distance d, excitatory with a narrow width (local excitation) and inhibitory with a
 * wide one (surround inhibition), with conduction delays d0 + d / v. A SpikeSourceArray
 * drives the 20 central cells at 50-150 ms. The program prints the firing rates of the
 * centre, the near surround and the far cells during and after the stimulus: the centre
 * fires strongly while the inhibition it recruits keeps its surround quiet.
 *
 * Build: part of the project (`make`); run: build/examples/centre_surround */
#include "axon/axon.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define N 200
#define CHECK(call)                                                                            \
    do {                                                                                       \
        if ((call) != AXON_OK) {                                                               \
            fprintf(stderr, "centre_surround: %s\n", axon_last_error(ctx));                   \
            return 1;                                                                          \
        }                                                                                      \
    } while (0)

int main(void)
{
    const double sigma_e = 3.0, sigma_i = 12.0, p_e = 0.6, p_i = 0.5;
    const double d0 = 1.0 /* ms */, v = 4.0 /* positions per ms */, d_max = 4 * sigma_i;
    axon_ctx *ctx;
    if (axon_create(&ctx))
        return 1;
    CHECK(axon_setup(ctx, 0.1, 0.1, 14.4, 7));
    axon_structure line = {AXON_STRUCT_LINE, {1.0, 0.0, 0.0, 0.0}, 0};
    axon_pop cells, stim;
    CHECK(axon_population(ctx, N, "IF_curr_exp", "cells", &line, &cells));
    axon_value ioff = axon_const(0.75); /* just under threshold: sparse spontaneous firing */
    CHECK(axon_pop_set(ctx, cells, "i_offset", &ioff));
    axon_value vinit = {AXON_VALUE_RANDOM, 0, NULL, 0, {"uniform", {-65.0, -55.0}, 2}, NULL};
    CHECK(axon_pop_initialize(ctx, cells, "v", &vinit));
    CHECK(axon_population(ctx, 20, "SpikeSourceArray", "stim", NULL, &stim));
    double times[50];
    for (int k = 0; k < 50; k++)
        times[k] = 50.0 + 2.0 * k;
    CHECK(axon_pop_set_spike_times(ctx, stim, -1, times, 50));

    /* the distance-dependent lists, drawn with the context's generator */
    double pos[3 * N], *u = malloc(sizeof(double) * N * N * 2);
    double *exc = malloc(sizeof(double) * N * N * 4), *inh = malloc(sizeof(double) * N * N * 4);
    CHECK(axon_pop_positions(ctx, cells, pos));
    axon_dist unif = {"uniform", {0.0, 1.0}, 2};
    CHECK(axon_random(ctx, &unif, u, (size_t)N * N * 2));
    size_t ne = 0, ni = 0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            if (i == j)
                continue;
            double d = fabs(pos[3 * i] - pos[3 * j]), delay = d0 + d / v;
            delay = round(delay / 0.1) * 0.1;
            if (u[2 * (i * N + j)] < p_e * exp(-d * d / (2 * sigma_e * sigma_e))) {
                double row[4] = {i, j, 0.6, delay};
                for (int k = 0; k < 4; k++)
                    exc[4 * ne + k] = row[k];
                ne++;
            }
            if (d > sigma_e && d < d_max && u[2 * (i * N + j) + 1] < p_i * exp(-d * d / (2 * sigma_i * sigma_i))) {
                double row[4] = {i, j, 1.0, delay};
                for (int k = 0; k < 4; k++)
                    inh[4 * ni + k] = row[k];
                ni++;
            }
        }
    axon_view all = axon_whole(ctx, cells), vs = axon_whole(ctx, stim), centre;
    CHECK(axon_view_slice(ctx, cells, N / 2 - 10, N / 2 + 10, 1, &centre));
    axon_connector le = axon_connector_default(AXON_CONN_FROM_LIST), li = le;
    le.list = exc;
    le.n_rows = ne;
    le.n_cols = 4;
    li.list = inh;
    li.n_rows = ni;
    li.n_cols = 4;
    axon_synapse unused = {axon_const(0), axon_const(1)};
    CHECK(axon_projection(ctx, &all, &all, &le, &unused, "excitatory", NULL, "local", NULL));
    CHECK(axon_projection(ctx, &all, &all, &li, &unused, "inhibitory", NULL, "surround", NULL));
    axon_connector one = axon_connector_default(AXON_CONN_ONE_TO_ONE);
    axon_synapse drive = {axon_const(1.5), axon_const(1.0)};
    CHECK(axon_projection(ctx, &vs, &centre, &one, &drive, "excitatory", NULL, "stimulus", NULL));
    CHECK(axon_record(ctx, &all, "spikes", 0));
    CHECK(axon_run(ctx, 300.0));

    size_t n;
    CHECK(axon_get_spikes(ctx, cells, &n, NULL, NULL, 0));
    uint32_t *nrn = malloc(sizeof *nrn * (n + 1));
    double *t = malloc(sizeof *t * (n + 1));
    CHECK(axon_get_spikes(ctx, cells, NULL, nrn, t, n));
    /* rates (Hz) by region and period */
    double cnt[3][2] = {{0}}; /* centre, near surround (10..30 away), far; stim, after */
    for (size_t k = 0; k < n; k++) {
        int dist = abs((int)nrn[k] - N / 2);
        int region = dist < 10 ? 0 : dist < 30 ? 1 : 2;
        int period = t[k] >= 50 && t[k] < 150 ? 0 : t[k] >= 150 ? 1 : -1;
        if (period >= 0)
            cnt[region][period] += 1;
    }
    const double size[3] = {20, 40, N - 60};
    printf("centre-surround: %zu excitatory and %zu inhibitory connections, %zu spikes\n", ne, ni, n);
    printf("%-16s %14s %14s\n", "region", "stimulus (Hz)", "after (Hz)");
    const char *names[3] = {"centre", "near surround", "far"};
    for (int r = 0; r < 3; r++)
        printf("%-16s %14.1f %14.1f\n", names[r], cnt[r][0] / size[r] / 0.1,
               cnt[r][1] / size[r] / 0.15);
    free(u);
    free(exc);
    free(inh);
    free(nrn);
    free(t);
    axon_destroy(ctx);
    return 0;
}
