/* Built-in demo: a small excitatory/inhibitory network driven by Poisson input, run on the
 * golden engine. Prints per-population spike counts and rates, the engine's counters and a
 * text raster. (The host library's tutorial network replaces this demo later.)
 *
 * Layout: one chip; core 0 = 200 Poisson sources (20 Hz), cores 1-2 = 2 x 200 excitatory
 * IF_curr_exp, core 3 = 100 inhibitory IF_curr_exp; random connectivity p = 0.1, delays
 * 1..8 ms; 1000 ms at dt = 1 ms. */
#include "tnet.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { N_SRC = 200, N_EXC = 200, N_INH = 100, STEPS = 1000 };

static uint64_t rng_state = 42;
static double urand(void)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}

/* connect every pre of src to every post of dst with probability p */
static void connect(tnet *t, int src, uint32_t n_pre, int dst, uint32_t n_post, double p,
                    uint32_t weight, uint32_t type)
{
    tnet_syn *s = malloc(sizeof *s * n_pre * n_post);
    uint32_t n = 0;
    for (uint32_t i = 0; i < n_pre; i++)
        for (uint32_t j = 0; j < n_post; j++)
            if (urand() < p)
                s[n++] = (tnet_syn){i, j, weight, 1 + (uint32_t)(urand() * 8), type};
    tnet_connect(t, src, dst, s, n, 0, 0);
    free(s);
}

int main(void)
{
    const double dt = 1.0;
    tnet *t = tnet_new(1, 1, 4, dt, 0);
    const axon_model_info *m = axon_model_find("IF_curr_exp");
    double p[16], init[3] = {-65.0, 0.0, 0.0};
    for (uint32_t i = 0; i < m->n_params; i++)
        p[i] = m->params[i].def;
    p[axon_model_param_index(m, "tau_refrac")] = 2.0;
    p[axon_model_param_index(m, "tau_syn_I")] = 10.0;
    int src = tnet_poisson(t, 0, 0, 0, N_SRC, 20.0, 0.0, INFINITY, 1234, 0x0000, 1);
    int exc[2];
    for (int k = 0; k < 2; k++)
        exc[k] = tnet_neurons_uniform(t, 0, 0, 1 + k, "IF_curr_exp", N_EXC, p, init,
                                      0x1000 * (k + 1), 1, 1);
    int inh = tnet_neurons_uniform(t, 0, 0, 3, "IF_curr_exp", N_INH, p, init, 0x3000, 1, 1);
    /* weights: exc 0.3 nA, inh 1.2 nA, input 0.5 nA; shift 4 -> unit 2^-11 nA */
    uint32_t w_in, w_exc, w_inh;
    axon_weight_to_fixed(0.5, 4, &w_in);
    axon_weight_to_fixed(0.3, 4, &w_exc);
    axon_weight_to_fixed(1.2, 4, &w_inh);
    int posts[3] = {exc[0], exc[1], inh};
    for (int d = 0; d < 3; d++) {
        uint32_t np = d < 2 ? N_EXC : N_INH;
        tnet_weight_shift(t, posts[d], AXON_SYN_TYPE_EXC, 4);
        tnet_weight_shift(t, posts[d], AXON_SYN_TYPE_INH, 4);
        connect(t, src, N_SRC, posts[d], np, 0.1, w_in, AXON_SYN_TYPE_EXC);
        connect(t, exc[0], N_EXC, posts[d], np, 0.1, w_exc, AXON_SYN_TYPE_EXC);
        connect(t, exc[1], N_EXC, posts[d], np, 0.1, w_exc, AXON_SYN_TYPE_EXC);
        connect(t, inh, N_INH, posts[d], np, 0.1, w_inh, AXON_SYN_TYPE_INH);
    }
    /* every key goes to cores 1, 2 and 3 of this chip */
    uint32_t to_neurons = 0xEu << AXON_ROUTE_CORE_LSB;
    tnet_route(t, 0, 0, 0x0000, 0xFFFFF000u, to_neurons);
    tnet_route(t, 0, 0, 0x1000, 0xFFFFF000u, to_neurons);
    tnet_route(t, 0, 0, 0x2000, 0xFFFFF000u, to_neurons);
    tnet_route(t, 0, 0, 0x3000, 0xFFFFF000u, to_neurons);

    axon_image *img = tnet_image(t);
    axon_engine *e;
    char err[AXON_ERRMSG_LEN];
    int rc = axon_engine_create(&e, img, NULL, err);
    if (rc) {
        fprintf(stderr, "axon_demo: %s (%s)\n", err, axon_strerror(rc));
        return 1;
    }
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    rc = axon_engine_run(e, STEPS);
    clock_gettime(CLOCK_MONOTONIC, &b);
    if (rc) {
        fprintf(stderr, "axon_demo: %s\n", axon_engine_last_error(e));
        return 1;
    }
    double wall = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) * 1e-9;

    printf("Axon demo: %d Poisson sources -> %d excitatory + %d inhibitory IF_curr_exp, "
           "%d ms on the golden engine\n\n", N_SRC, 2 * N_EXC, N_INH, STEPS);
    printf("%-12s %8s %8s %10s\n", "population", "neurons", "spikes", "rate (Hz)");
    const char *names[4] = {"poisson", "exc[0:200]", "exc[200:400]", "inh"};
    uint32_t sizes[4] = {N_SRC, N_EXC, N_EXC, N_INH};
    tnet_rec rec[4];
    for (int c = 0; c < 4; c++) {
        tnet_rec_read(e, 0, 0, (uint32_t)c, 0, &rec[c]);
        printf("%-12s %8u %8u %10.2f\n", names[c], sizes[c], rec[c].n_spikes,
               rec[c].n_spikes / (sizes[c] * STEPS * dt / 1000.0));
    }
    uint64_t cnt[AXON_CNT_CORE_N], events = 0, sat = 0;
    for (uint32_t c = 1; c < 4; c++) {
        axon_engine_core_counters(e, 0, 0, c, cnt);
        events += cnt[AXON_CNT_CORE_SYNAPTIC_EVENTS];
        sat += cnt[AXON_CNT_CORE_SATURATIONS];
    }
    printf("\nsynaptic events %llu, ring-buffer saturations %llu, wall %.3f s "
           "(%.0fx faster than real time)\n\n",
           (unsigned long long)events, (unsigned long long)sat, wall, STEPS * dt / 1000.0 / wall);

    /* text raster: 100 ms per column block, one row per 25 excitatory neurons */
    printf("raster of exc[0:200] (rows: 25 neurons, columns: 10 ms, '#' >= 3 spikes)\n");
    for (int row = 0; row < 8; row++) {
        char line[STEPS / 10 + 1];
        for (int col = 0; col < STEPS / 10; col++) {
            int n = 0;
            for (uint32_t k = 0; k < rec[1].n_spikes; k++)
                if (rec[1].spike_idx[k] / 25 == (uint32_t)row && rec[1].spike_step[k] / 10 == (uint32_t)col)
                    n++;
            line[col] = n == 0 ? '.' : n < 3 ? '+' : '#';
        }
        line[STEPS / 10] = 0;
        printf("%3d %s\n", row * 25, line);
    }
    for (int c = 0; c < 4; c++)
        tnet_rec_free(&rec[c]);
    axon_engine_destroy(e);
    axon_image_destroy(img);
    tnet_free(t);
    return 0;
}
