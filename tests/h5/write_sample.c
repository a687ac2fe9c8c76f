/* Writes a sample results file through hostlib/hl_h5.h for tests/h5/read_results.py.
 *
 *   h5_write_sample OUT.h5 [complete|truncated|corrupt]
 *
 * complete: three populations (spikes in several out-of-order chunks, v/gsyn signals, one
 * population recording nothing), finished normally. truncated: the same run cut short and
 * finished with truncated = 1. corrupt: a complete file whose /units/spike_times_index is
 * then made non-monotone, which the reader must reject. */
#include "hl_h5.h"

#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(const char *what, const char *err)
{
    fprintf(stderr, "h5_write_sample: %s: %s\n", what, err ? err : "");
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s OUT.h5 [complete|truncated|corrupt]\n", argv[0]);
        return 2;
    }
    const char *mode = argc == 3 ? argv[2] : "complete";
    int truncated = strcmp(mode, "truncated") == 0;
    int corrupt = strcmp(mode, "corrupt") == 0;
    if (!truncated && !corrupt && strcmp(mode, "complete") != 0) {
        fprintf(stderr, "h5_write_sample: unknown mode '%s'\n", mode);
        return 2;
    }

    enum { NE = 80, NI = 20, NX = 30 };
    static double pos_e[3 * NE], pos_i[3 * NI], pos_x[3 * NX];
    for (int i = 0; i < 3 * NE; i++)
        pos_e[i] = 0.1 * i;
    for (int i = 0; i < 3 * NI; i++)
        pos_i[i] = -0.1 * i;
    static uint32_t e_spk[NE / 2], e_v[4] = {0, 10, 20, 79}, all_i[NI];
    for (uint32_t k = 0; k < NE / 2; k++)
        e_spk[k] = 2 * k;
    for (uint32_t k = 0; k < NI; k++)
        all_i[k] = k;
    hl_h5_pop p[3];
    memset(p, 0, sizeof p);
    p[0] = (hl_h5_pop){.label = "excitatory", .celltype = "IF_curr_exp", .size = NE,
                       .positions = pos_e};
    p[0].recorded[0] = 1;
    p[0].n_rec[0] = NE / 2;
    p[0].rec_idx[0] = e_spk;
    p[0].recorded[1] = 1;
    p[0].n_rec[1] = 4;
    p[0].rec_idx[1] = e_v;
    p[0].interval_ms[1] = 0.1;
    p[0].units[1] = "mV";
    p[0].recorded[2] = 1;
    p[0].n_rec[2] = 4;
    p[0].rec_idx[2] = e_v;
    p[0].interval_ms[2] = 1.0;
    p[0].units[2] = "nA";
    p[1] = (hl_h5_pop){.label = "inhibitory", .celltype = "IF_cond_exp", .size = NI,
                       .positions = pos_i};
    p[1].recorded[0] = 1;
    p[1].n_rec[0] = NI;
    p[1].rec_idx[0] = all_i;
    p[1].recorded[3] = 1;
    p[1].n_rec[3] = NI;
    p[1].rec_idx[3] = all_i;
    p[1].interval_ms[3] = 0.5;
    p[1].units[3] = "uS";
    p[2] = (hl_h5_pop){.label = "noise", .celltype = "SpikeSourcePoisson", .size = NX,
                       .positions = pos_x};
    hl_h5_meta m = {.dt_ms = 0.1, .seed = 42, .backend = "ref", .axon_version = "0.1.0",
                    .spec_version = 1,
                    .network_summary = "{\"populations\": [\"excitatory\", \"inhibitory\", "
                                       "\"noise\"]}",
                    .n_pops = 3, .pops = p};

    char err[AXON_ERRMSG_LEN];
    hl_h5 *h = NULL;
    if (hl_h5_begin(&h, argv[1], &m, err))
        return fail("begin", err);
    /* 10 chunks of 10 ms; truncated: the run fails after chunk 4 */
    int chunks = truncated ? 4 : 10;
    uint64_t x = 0x9E3779B97F4A7C15ull;
    uint32_t nr[512];
    double t[512], v[100 * 4], g[20 * NI];
    for (int c = 0; c < chunks; c++) {
        for (uint32_t pop = 0; pop < 2; pop++) {
            size_t n = 0;
            for (int k = 0; k < 200; k++) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                nr[n] = pop == 0 ? e_spk[x % (NE / 2)] : all_i[x % NI];
                t[n++] = 10.0 * c + (double)((x >> 32) % 100) / 10.0; /* shuffled in chunk */
            }
            if (hl_h5_spikes(h, pop, nr, t, n, err))
                return fail("spikes", err);
        }
        for (int r = 0; r < 100; r++)
            for (int k = 0; k < 4; k++)
                v[r * 4 + k] = -65.0 + 0.01 * (c * 100 + r) + k;
        if (hl_h5_signal(h, 0, 1, v, 100, err))
            return fail("v", err);
        if (hl_h5_signal(h, 0, 2, v, 10, err))
            return fail("gsyn_exc", err);
        for (int r = 0; r < 20 * NI; r++)
            g[r] = 1e-3 * r;
        if (hl_h5_signal(h, 1, 3, g, 20, err))
            return fail("gsyn_inh", err);
    }
    axon_run_stats st = {.sim_time_ms = 10.0 * chunks, .wall_run_s = 0.01,
                         .spikes = 400u * chunks};
    axon_mapping_report mr = {.chips_x = 1, .chips_y = 1, .cores_used = 3,
                              .cores_per_chip = 16, .neurons = NE + NI + NX};
    const char *names[] = {"spikes", "dropped_packets"};
    uint64_t values[] = {400u * chunks, 0};
    if (hl_h5_finish(h, &st, &mr, names, values, 2, truncated, err))
        return fail("finish", err);

    if (corrupt) {
        hid_t f = H5Fopen(argv[1], H5F_ACC_RDWR, H5P_DEFAULT);
        hid_t d = f < 0 ? -1 : H5Dopen2(f, "/units/spike_times_index", H5P_DEFAULT);
        hid_t fs = d < 0 ? -1 : H5Dget_space(d);
        hsize_t one = 1, at = 1;
        hid_t ms = H5Screate_simple(1, &one, NULL);
        uint64_t big = 1000000;
        if (fs < 0 || H5Sselect_hyperslab(fs, H5S_SELECT_SET, &at, NULL, &one, NULL) < 0 ||
            H5Dwrite(d, H5T_NATIVE_UINT64, ms, fs, H5P_DEFAULT, &big) < 0)
            return fail("corrupt", argv[1]);
        H5Sclose(ms);
        H5Sclose(fs);
        H5Dclose(d);
        H5Fclose(f);
    }
    printf("wrote %s (%s)\n", argv[1], mode);
    return 0;
}
