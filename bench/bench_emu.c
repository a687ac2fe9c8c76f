/* The emulated RTL neuron core (docs/emulator.md, bench/README.md):
 *
 *   bench rtl_core model=M cycles_per_update=.. cycles_per_event=.. cycles_per_packet=..
 *         step_cycles_256=..
 *     from the core's `cycles` register (tick to READY, packets included): the slope of a
 *     step's cycles over the neuron count (64 -> 256 neurons, no input) and over the synapses
 *     per row (256 packets per step with rows of 16 -> 128 synapses; zero weights, so the
 *     neurons' activity does not change). Fixed costs per step and per packet are not in the
 *     slopes; cycles_per_packet is the cost of a packet with an empty row.
 *   bench emu_speed network=tutorial_slice cycles_per_s=.. bio_s_per_wall_s=.. spikes=..
 *     the one-core slice of the tutorial network (examples/networks/tutorial_slice.json) on
 *     the emu backend: simulated clock cycles and biological time per wall-clock second.
 *   bench emu_mesh_2x2 / emu_mesh_4x4 network=tutorial chips=.. cores=.. cycles_per_s=..
 *         bio_s_per_wall_s=.. link_packets=..
 *     the whole tutorial network (16 cores of 128 neurons) on 2 x 2 chips of 5 cores and on a
 *     4 x 4 torus of one core per chip, 300 steps (the thalamus fires from step 100):
 *     packets through the Verilated routers and links.
 *
 *   axon_bench_emu [SOURCE_DIR] */
#include "lockgen.h"

#include "axon/axon.h"
#include "axon/emu.h"
#include "axon/netfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define STEPS 12u

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Mean `cycles` of the neuron core over steps 2..STEPS-1: n neurons of model, and (if
 * n_src) an array source of n_src neurons all firing every step with rows of row_len
 * zero-weight synapses. Returns < 0 on failure. */
static double step_cycles(const char *model, uint32_t n, uint32_t n_src, uint32_t row_len)
{
    tnet *t = tnet_new(1, 1, 2, 1.0, 0);
    int dst = tnet_neurons_uniform(t, 0, 0, 1, model, n, NULL, NULL, 2u << 16, 0, 1);
    if (n_src) {
        uint32_t *ev = malloc(sizeof *ev * 2 * n_src * STEPS);
        for (uint32_t s = 0; s < STEPS; s++)
            for (uint32_t i = 0; i < n_src; i++) {
                ev[2 * (s * n_src + i)] = s;
                ev[2 * (s * n_src + i) + 1] = i;
            }
        int src = tnet_array(t, 0, 0, 0, n_src, ev, n_src * STEPS, 1u << 16, 0);
        free(ev);
        tnet_syn *syn = malloc(sizeof *syn * ((size_t)n_src * row_len + 1));
        uint32_t ns = 0;
        for (uint32_t i = 0; i < n_src; i++)
            for (uint32_t k = 0; k < row_len; k++)
                syn[ns++] = (tnet_syn){i, (i + k) % n, 0, 1 + (i + k) % 16, k & 1};
        tnet_connect(t, src, dst, syn, ns, 0, 0);
        free(syn);
        lockgen_route(t, src, n_src, &dst, 1);
    }
    axon_image *img = tnet_image(t);
    tnet_free(t);
    axon_emu *e;
    char err[AXON_ERRMSG_LEN];
    double mean = -1;
    if (axon_emu_create(&e, img, NULL, err)) {
        fprintf(stderr, "bench rtl_core: %s\n", err);
        axon_image_destroy(img);
        return -1;
    }
    uint64_t sum = 0;
    for (uint32_t s = 0; s < STEPS; s++) {
        uint32_t c;
        if (axon_emu_run(e, 1) || axon_emu_step_cycles(e, 0, 0, 1, &c)) {
            fprintf(stderr, "bench rtl_core: %s\n", axon_emu_last_error(e));
            goto out;
        }
        if (s >= 2)
            sum += c;
    }
    mean = (double)sum / (STEPS - 2);
out:
    axon_emu_destroy(e);
    axon_image_destroy(img);
    return mean;
}

static int rtl_core(void)
{
    static const char *const models[] = {"IF_curr_exp", "IF_cond_exp", "IF_curr_alpha",
                                         "IF_curr_delta", "Izhikevich"};
    int status = 0;
    for (int m = 0; m < 5; m++) {
        double c64 = step_cycles(models[m], 64, 0, 0);
        double c256 = step_cycles(models[m], 256, 0, 0);
        double r0 = step_cycles(models[m], 256, 256, 0);
        double r16 = step_cycles(models[m], 256, 256, 16);
        double r128 = step_cycles(models[m], 256, 256, 128);
        if (c64 < 0 || c256 < 0 || r0 < 0 || r16 < 0 || r128 < 0) {
            status = 1;
            continue;
        }
        printf("bench rtl_core model=%s cycles_per_update=%.3f cycles_per_event=%.3f "
               "cycles_per_packet=%.2f step_cycles_256=%.0f\n",
               models[m], (c256 - c64) / 192.0, (r128 - r16) / (256.0 * 112.0),
               (r0 - c256) / 256.0, c256);
    }
    return status;
}

static void count(void *user, uint32_t step, uint32_t gid, uint32_t key)
{
    (void)step;
    (void)gid;
    (void)key;
    ++*(uint64_t *)user;
}

/* The network file at path mapped by the host library (on machine mo, NULL: the file's) and
 * its image loaded into an emulator (the emu backend does the same, but does not expose the
 * cycle counts); NULL after printing the error. */
static axon_emu *open_net(const char *name, const char *path, const axon_machine_opts *mo,
                          axon_ctx **ctx, axon_image **img)
{
    char err[AXON_ERRMSG_LEN];
    axon_emu *e = NULL;
    *img = NULL;
    if (axon_create(ctx))
        return NULL;
    if (axon_load_network(*ctx, path, NULL) || (mo && axon_set_machine(*ctx, mo)) ||
        !(*img = axon_machine_image(*ctx)))
        fprintf(stderr, "bench %s: %s\n", name, axon_last_error(*ctx));
    else if (axon_emu_create(&e, *img, NULL, err))
        fprintf(stderr, "bench %s: %s\n", name, err);
    return e;
}

/* Core g of the image (chip-major numbering): its position and its memory words. */
static uint32_t core_at(const axon_image *img, uint32_t g, uint32_t *x, uint32_t *y, uint32_t *c,
                        const uint32_t **w)
{
    uint32_t n, cpc = axon_image_cores_per_chip(img), nw = axon_image_width(img);
    *x = (g / cpc) % nw;
    *y = (g / cpc) / nw;
    *c = g % cpc;
    axon_image_get_core(img, *x, *y, *c, w, &n);
    return n;
}

/* A network file on the emulator (mapped onto the machine mo, NULL: the file's), steps
 * steps: one `bench NAME ...` line. */
static int emu_net(const char *name, const char *path, const axon_machine_opts *mo,
                   uint32_t steps)
{
    axon_ctx *ctx;
    axon_image *img;
    axon_emu *e = open_net(name, path, mo, &ctx, &img);
    if (!e) {
        axon_destroy(ctx);
        return 1;
    }
    uint32_t cores = 0;
    for (uint32_t g = 0; g < axon_image_width(img) * axon_image_height(img) *
                                 axon_image_cores_per_chip(img);
         g++) {
        const uint32_t *w;
        uint32_t x, y, c;
        cores += core_at(img, g, &x, &y, &c, &w) != 0;
    }
    uint64_t packets = 0;
    axon_emu_set_spike_fn(e, count, &packets);
    uint64_t c0 = axon_emu_cycles(e), l0 = axon_emu_link_packets(e);
    double t0 = now_s();
    int rc = axon_emu_run(e, steps);
    double wall = now_s() - t0;
    if (rc)
        fprintf(stderr, "bench %s: %s\n", name, axon_emu_last_error(e));
    else
        printf("bench %s chips=%ux%u cores=%u steps=%u cycles_per_s=%.0f "
               "bio_s_per_wall_s=%.4f cycles_per_step=%.0f packets=%llu link_packets=%llu\n",
               name, axon_image_width(img), axon_image_height(img), cores, steps,
               (double)(axon_emu_cycles(e) - c0) / wall,
               steps * axon_timestep(ctx) * 1e-3 / wall,
               (double)(axon_emu_cycles(e) - c0) / steps, (unsigned long long)packets,
               (unsigned long long)(axon_emu_link_packets(e) - l0));
    axon_emu_destroy(e);
    axon_destroy(ctx);
    return rc ? 1 : 0;
}

/* Clocks per plastic synaptic event on the RTL cores: the STDP network file run for `steps`
 * steps; over the cores with a plasticity region, the sum of their step cycles (tick to
 * READY: the neuron sweep, the post histories and every row) over their synaptic events,
 * so the neuron updates and per-row overheads are included. */
static int emu_stdp(const char *name, const char *path, const axon_machine_opts *mo,
                    uint32_t steps)
{
    axon_ctx *ctx;
    axon_image *img;
    axon_emu *e = open_net(name, path, mo, &ctx, &img);
    int rc = 1;
    if (!e)
        goto out;
    uint32_t n_cores = axon_image_width(img) * axon_image_height(img) *
                       axon_image_cores_per_chip(img);
    uint32_t np = 0, plastic[64], x, y, c;
    for (uint32_t g = 0; g < n_cores && np < 64; g++) {
        const uint32_t *w;
        if (core_at(img, g, &x, &y, &c, &w) && w[AXON_CORE_H_PLAST_WORDS])
            plastic[np++] = g;
    }
    uint64_t cycles = 0, events = 0, rows = 0;
    for (uint32_t s = 0; s < steps; s++) {
        if (axon_emu_run(e, 1)) {
            fprintf(stderr, "bench %s: %s\n", name, axon_emu_last_error(e));
            goto out;
        }
        for (uint32_t k = 0; k < np; k++) {
            const uint32_t *w;
            uint32_t cyc;
            core_at(img, plastic[k], &x, &y, &c, &w);
            if (axon_emu_step_cycles(e, x, y, c, &cyc))
                goto out;
            cycles += cyc;
        }
    }
    for (uint32_t k = 0; k < np; k++) {
        const uint32_t *w;
        uint64_t cnt[AXON_CNT_CORE_N];
        core_at(img, plastic[k], &x, &y, &c, &w);
        if (axon_emu_core_counters(e, x, y, c, cnt))
            goto out;
        events += cnt[AXON_CNT_CORE_SYNAPTIC_EVENTS];
        rows += cnt[AXON_CNT_CORE_PACKETS_IN];
    }
    if (!events) {
        fprintf(stderr, "bench %s: no plastic synaptic events\n", name);
        goto out;
    }
    printf("bench %s plastic_cores=%u steps=%u plastic_events=%llu rows=%llu "
           "core_cycles_per_plastic_event=%.3f target=2\n",
           name, np, steps, (unsigned long long)events, (unsigned long long)rows,
           (double)cycles / (double)events);
    rc = 0;
out:
    axon_emu_destroy(e);
    axon_destroy(ctx);
    return rc;
}

int main(int argc, char **argv)
{
    const char *srcdir = argc > 1 ? argv[1] : AXON_SOURCE_DIR;
    char slice[1024], tut[1024], song[1024];
    snprintf(slice, sizeof slice, "%s/examples/networks/tutorial_slice.json", srcdir);
    snprintf(song, sizeof song, "%s/bench/networks/song100.json", srcdir);
    snprintf(tut, sizeof tut, "%s/examples/networks/tutorial.json", srcdir);
    int status = rtl_core();
    status |= emu_net("emu_speed network=tutorial_slice", slice, NULL, 1000);
    /* the tutorial network (1000 neurons, 800 sources, 16 cores of 128) over 4 chips of 5
     * cores, and over a 4 x 4 torus of one core per chip (most packets cross links) */
    axon_machine_opts m22 = {.width = 2, .height = 2, .cores_per_chip = 5,
                             .neurons_per_core = 128};
    axon_machine_opts m44 = {.width = 4, .height = 4, .cores_per_chip = 1,
                             .neurons_per_core = 128, .wrap = 1};
    status |= emu_net("emu_mesh_2x2 network=tutorial", tut, &m22, 300);
    status |= emu_net("emu_mesh_4x4 network=tutorial", tut, &m44, 300);
    /* the STDP benchmark network (tests/brian2/song2000.py --bench) on the RTL cores, in
     * cores of 50 neurons (plastic rows of 50 synapses: 1000 rows fit the 2^16-word core) */
    axon_machine_opts m50 = {.neurons_per_core = 50};
    status |= emu_stdp("rtl_stdp network=song100", song, &m50, 1000);
    return status;
}
