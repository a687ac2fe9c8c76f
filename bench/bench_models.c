/* Micro-benchmarks of the golden engine (bench/README.md): neuron update cost per model and
 * arithmetic, synaptic event cost, and the speedup of the engine's host threads.
 *
 *   axon_bench_models [--long] [--only=TEXT]
 *
 * Prints one line per result: `bench <name> key=value ...`. Every measurement first
 * calibrates a step count so that one repetition lasts about target_s seconds (this also
 * warms caches and allocations up), then runs `reps` repetitions, each from
 * axon_engine_reset() so that every repetition does exactly the same work, and reports the
 * BEST (smallest) wall time: the least disturbed estimate on a shared machine. Engines
 * compared with each other (1 vs 2 threads, with vs without routes) alternate repetition by
 * repetition. Timing: CLOCK_MONOTONIC around axon_engine_run() only (image building, engine
 * creation and reset are not timed).
 *
 * --only=TEXT runs just the measurements whose name and identifying keys (model, arith,
 * threads, network) contain TEXT, e.g. --only=Izhikevich, --only=float64, --only=synaptic
 * (the synaptic_events and engine_threads network=synaptic lines are one measurement), to
 * profile one case with perf. */
#include "tnet.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct bopts {
    int long_mode;
    const char *only; /* NULL: everything */
    double target_s; /* wall time of one repetition */
    int reps;
} bopts;

typedef struct dims {
    uint32_t w, h, cpc;
} dims;

/* one timed run: wall seconds and the core counters it added (summed over all cores) */
typedef struct sample {
    double s;
    uint32_t steps;
    uint64_t cnt[AXON_CNT_CORE_N];
} sample;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static double rng_u(uint64_t *s) { return (double)(rng_next(s) >> 11) / 9007199254740992.0; }

static void die(const char *what, const char *msg)
{
    fprintf(stderr, "axon_bench_models: %s: %s\n", what, msg);
    exit(1);
}

static void sum_counters(const axon_engine *e, const dims *d, uint64_t out[AXON_CNT_CORE_N])
{
    memset(out, 0, sizeof(uint64_t) * AXON_CNT_CORE_N);
    for (uint32_t y = 0; y < d->h; y++)
        for (uint32_t x = 0; x < d->w; x++)
            for (uint32_t c = 0; c < d->cpc; c++) {
                uint64_t k[AXON_CNT_CORE_N];
                axon_engine_core_counters(e, x, y, c, k);
                for (int i = 0; i < AXON_CNT_CORE_N; i++)
                    out[i] += k[i];
            }
}

static sample run_timed(axon_engine *e, const dims *d, uint32_t steps)
{
    sample r = {0, steps, {0}};
    uint64_t before[AXON_CNT_CORE_N], after[AXON_CNT_CORE_N];
    sum_counters(e, d, before);
    double t0 = now_s();
    int rc = axon_engine_run(e, steps);
    double t1 = now_s();
    if (rc)
        die("axon_engine_run", axon_engine_last_error(e));
    sum_counters(e, d, after);
    r.s = t1 - t0;
    for (int i = 0; i < AXON_CNT_CORE_N; i++)
        r.cnt[i] = after[i] - before[i];
    return r;
}

/* Steps for one repetition of about target seconds: grow a trial run (from the engine's
 * current state) until it takes at least 20 ms, then scale linearly. */
static uint32_t calibrate(axon_engine *e, const dims *d, double target)
{
    uint32_t n = 4;
    for (;;) {
        sample s = run_timed(e, d, n);
        if (s.s >= 0.02 || n >= (1u << 24)) {
            double steps = target / (s.s / n);
            return steps < 1 ? 1u : steps > 4e9 ? 4000000000u : (uint32_t)steps;
        }
        n *= 4;
    }
}

/* Best (smallest wall time) of reps repetitions of `steps` steps, each from a reset, for
 * n_e engines compared with each other: the repetitions alternate between the engines, so
 * that a burst of outside load hurts them alike. */
static void best_of(axon_engine *const *e, int n_e, const dims *d, uint32_t steps, int reps,
                    sample *best)
{
    for (int r = 0; r < reps; r++)
        for (int k = 0; k < n_e; k++) {
            axon_engine_reset(e[k]);
            sample s = run_timed(e[k], d, steps);
            if (r == 0 || s.s < best[k].s)
                best[k] = s;
        }
}

static axon_engine *make_engine(axon_image *img, axon_arith arith, unsigned threads)
{
    axon_engine *e;
    char err[AXON_ERRMSG_LEN];
    axon_engine_opts eo = {arith, threads};
    if (!img)
        die("tnet_image", "cannot build the image");
    if (axon_engine_create(&e, img, &eo, err))
        die("axon_engine_create", err);
    return e;
}

/* ---------------- neuron update ---------------- */

/* W x H chips of 16 cores of 256 neurons, no synapses, no routes, no recording. Each neuron
 * has its own i_offset, uniform in [0, 1.6 x rheobase of the default parameters], so
 * about 40% of the neurons fire, at rates up to ~50 Hz (dt = 1 ms). */
static int wanted(const bopts *o, const char *line) { return !o->only || strstr(line, o->only); }

/* with_threads: also time the same machine with two engine threads (same steps), whose
 * small per-step work shows the cost of the engine's two barriers per step */
static void bench_neuron_update(const bopts *o, const char *model, axon_arith arith,
                                int with_threads)
{
    char tag[128];
    snprintf(tag, sizeof tag, "neuron_update model=%s arith=%s", model,
             arith == AXON_ARITH_FIXED ? "fixed" : "float64");
    const char *ttag = "engine_threads threads=2 network=neurons";
    with_threads = with_threads && wanted(o, ttag);
    if (!wanted(o, tag) && !with_threads)
        return;
    const dims d = {o->long_mode ? 4u : 1u, o->long_mode ? 4u : 1u, 16};
    const uint32_t n = 256, n_cores = d.w * d.h * d.cpc;
    const axon_model_info *m = axon_model_find(model);
    if (!m)
        die(model, "unknown model");
    const int io = axon_model_param_index(m, "i_offset");
    /* rheobase: LIF (v_thresh - v_rest) / R = 15 mV / 20 MOhm = 0.75 nA; Izhikevich
     * regular spiking ~3.8 in its units, i.e. 0.0038 nA at AXON_IZK_CURRENT_SCALE 1000 */
    const double imax = m->id == AXON_MODEL_IZHIKEVICH ? 0.0061 : 1.2;
    tnet *t = tnet_new(d.w, d.h, d.cpc, 1.0, 0);
    double *p = malloc(sizeof(double) * n * m->n_params);
    uint64_t seed = 12345;
    for (uint32_t g = 0; g < n_cores; g++) {
        for (uint32_t i = 0; i < n; i++) {
            for (uint32_t k = 0; k < m->n_params; k++)
                p[i * m->n_params + k] = m->params[k].def;
            p[i * m->n_params + (uint32_t)io] = imax * rng_u(&seed);
        }
        uint32_t chip = g / d.cpc;
        if (tnet_neurons(t, chip % d.w, chip / d.w, g % d.cpc, model, n, p, NULL,
                         (g + 1) << 16, 0, 1) < 0)
            die(model, "tnet_neurons failed");
    }
    free(p);
    axon_image *img = tnet_image(t);
    tnet_free(t);
    /* [0]: one thread; [1]: two threads (with_threads) */
    axon_engine *e[2] = {make_engine(img, arith, 1), NULL};
    const int n_e = with_threads ? 2 : 1;
    uint32_t steps = calibrate(e[0], &d, o->target_s);
    if (with_threads) {
        e[1] = make_engine(img, arith, 2);
        run_timed(e[1], &d, steps / 8 + 1); /* warm up */
    }
    sample b[2] = {{0}};
    best_of(e, n_e, &d, steps, o->reps, b);
    for (int k = 0; k < n_e; k++)
        axon_engine_destroy(e[k]);
    double ns = n_cores * (double)n * steps;
    if (wanted(o, tag))
        printf("bench %s ns_per_neuron_step=%.2f neurons=%u steps=%u "
               "spikes_per_neuron_step=%.4f reps=%d\n",
               tag, b[0].s * 1e9 / ns, n_cores * n, steps,
               (double)b[0].cnt[AXON_CNT_CORE_SPIKES_OUT] / ns, o->reps);
    if (with_threads) {
        if (b[1].cnt[AXON_CNT_CORE_SPIKES_OUT] != b[0].cnt[AXON_CNT_CORE_SPIKES_OUT])
            die("engine_threads", "spike counts differ between 1 and 2 threads");
        printf("bench engine_threads threads=2 speedup=%.3f network=neurons us_per_step_1=%.1f "
               "us_per_step_2=%.1f model=%s neurons=%u steps=%u reps=%d\n",
               b[0].s / b[1].s, b[0].s * 1e6 / steps, b[1].s * 1e6 / steps, model, n_cores * n,
               steps, o->reps);
    }
    fflush(stdout);
    axon_image_destroy(img);
}

/* ---------------- synaptic events ---------------- */

enum { SRC_CORES = 4, NEU_CORES = 12, POP = 256 };

/* W x H chips, each on its own: cores 0..3 Poisson sources (256 each, 50 Hz at dt 1 ms),
 * cores 4..15 IF_curr_exp (256 each). Every source core projects all-to-all onto every
 * neuron core of its chip, so each spike becomes 12 packets of a 256-synapse row. Weights
 * 0..255 (80% excitatory), delays 1..16, uniformly random: the neurons fire at a few Hz and
 * no ring buffer saturates. */
static axon_image *syn_image(const dims *d)
{
    tnet *t = tnet_new(d->w, d->h, d->cpc, 1.0, 0);
    tnet_syn *syn = malloc(sizeof *syn * POP * POP);
    uint64_t seed = 777;
    for (uint32_t chip = 0; chip < d->w * d->h; chip++) {
        uint32_t x = chip % d->w, y = chip / d->w, g0 = chip * d->cpc;
        uint32_t route = 0;
        for (uint32_t c = SRC_CORES; c < SRC_CORES + NEU_CORES; c++) {
            tnet_neurons_uniform(t, x, y, c, "IF_curr_exp", POP, NULL, NULL, (g0 + c + 1) << 16,
                                 0, 1);
            route |= 1u << (AXON_ROUTE_CORE_LSB + c);
        }
        for (uint32_t s = 0; s < SRC_CORES; s++) {
            int src = tnet_poisson(t, x, y, s, POP, 50.0, 0.0, INFINITY, 99 + g0 + s,
                                   (g0 + s + 1) << 16, 0);
            for (uint32_t c = SRC_CORES; c < SRC_CORES + NEU_CORES; c++) {
                for (uint32_t i = 0; i < POP * POP; i++)
                    syn[i] = (tnet_syn){i / POP, i % POP, (uint32_t)(rng_next(&seed) % 256u),
                                        1u + (uint32_t)(rng_next(&seed) % 16u),
                                        rng_u(&seed) < 0.8 ? AXON_SYN_TYPE_EXC
                                                           : AXON_SYN_TYPE_INH};
                tnet_connect(t, src, (int)(g0 + c), syn, POP * POP, 0, 0);
            }
            tnet_route(t, x, y, (g0 + s + 1) << 16, ~(uint32_t)(POP - 1), route);
        }
    }
    free(syn);
    axon_image *img = tnet_image(t);
    tnet_free(t);
    return img;
}

/* Synaptic event cost, with the non-synaptic share subtracted: the same image is also run
 * with every routing table emptied (sources still draw and emit, packets are dropped at the
 * source router, neurons update without input) for the same number of steps;
 * ns_per_event = (T_full - T_no_routes) / events. The full network also runs with two
 * engine threads (engine_threads network=synaptic). */
static void bench_synaptic(const bopts *o)
{
    if (!wanted(o, "synaptic_events") && !wanted(o, "engine_threads threads=2 network=synaptic"))
        return;
    const dims d = {o->long_mode ? 2u : 1u, o->long_mode ? 2u : 1u, 16};
    axon_image *img = syn_image(&d);

    /* [0] full network, one thread; [1] full, two threads; [2] no routes, one thread */
    axon_engine *e[3];
    e[0] = make_engine(img, AXON_ARITH_FIXED, 1);
    uint32_t steps = calibrate(e[0], &d, o->target_s);
    e[1] = make_engine(img, AXON_ARITH_FIXED, 2);
    for (uint32_t y = 0; y < d.h; y++)
        for (uint32_t x = 0; x < d.w; x++)
            if (axon_image_set_table(img, x, y, NULL, 0))
                die("axon_image_set_table", axon_image_last_error(img));
    e[2] = make_engine(img, AXON_ARITH_FIXED, 1);
    axon_image_destroy(img);
    for (int k = 1; k < 3; k++)
        run_timed(e[k], &d, steps / 8 + 1); /* warm up */
    sample b[3] = {{0}};
    best_of(e, 3, &d, steps, o->reps, b);
    for (int k = 0; k < 3; k++)
        axon_engine_destroy(e[k]);
    const sample full = b[0], two = b[1], base = b[2];

    const uint64_t ev = full.cnt[AXON_CNT_CORE_SYNAPTIC_EVENTS];
    const uint64_t pk = full.cnt[AXON_CNT_CORE_PACKETS_IN];
    if (!ev || two.cnt[AXON_CNT_CORE_SYNAPTIC_EVENTS] != ev)
        die("synaptic_events", "event counts differ between runs (or are zero)");
    double net_ns = (full.s - base.s) * 1e9 / (double)ev;
    printf("bench synaptic_events ns_per_event=%.3f events=%llu events_per_s=%.4g "
           "gross_ns_per_event=%.3f packets=%llu syn_per_packet=%.1f ns_per_packet=%.1f "
           "update_share=%.3f saturations=%llu steps=%u cores=%u reps=%d\n",
           net_ns, (unsigned long long)ev, 1e9 / net_ns, full.s * 1e9 / (double)ev,
           (unsigned long long)pk, (double)ev / (double)pk, (full.s - base.s) * 1e9 / (double)pk,
           base.s / full.s, (unsigned long long)full.cnt[AXON_CNT_CORE_SATURATIONS], steps,
           d.w * d.h * d.cpc, o->reps);
    printf("bench engine_threads threads=2 speedup=%.3f network=synaptic us_per_step_1=%.1f "
           "us_per_step_2=%.1f events=%llu steps=%u reps=%d\n",
           full.s / two.s, full.s * 1e6 / steps, two.s * 1e6 / steps, (unsigned long long)ev,
           steps, o->reps);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    bopts o = {0, NULL, 0.25, 3};
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--long")) {
            o.long_mode = 1;
            o.target_s = 1.0;
            o.reps = 5;
        } else if (!strncmp(argv[i], "--only=", 7)) {
            o.only = argv[i] + 7;
        } else {
            fprintf(stderr,
                    "usage: %s [--long] [--only=TEXT]\n"
                    "  default: 1-chip machines, ~0.25 s per repetition, best of 3\n"
                    "  --long:  16-chip (neuron update) and 4-chip (synaptic) machines, ~1 s per\n"
                    "           repetition, best of 5\n"
                    "  --only=TEXT: only the measurements whose name, model, arith or network\n"
                    "           contains TEXT\n",
                    argv[0]);
            return strcmp(argv[i], "--help") && strcmp(argv[i], "-h") ? 2 : 0;
        }
    }
    double load[1];
    if (getloadavg(load, 1) == 1 && load[0] > 0.5)
        fprintf(stderr,
                "axon_bench_models: load average %.2f: other processes compete for the cores, "
                "the numbers (engine_threads above all) will be low\n",
                load[0]);
    static const char *models[] = {"IF_curr_exp", "IF_cond_exp", "IF_curr_alpha",
                                   "IF_curr_delta", "Izhikevich"};
    for (int a = 0; a < 2; a++)
        for (size_t m = 0; m < sizeof models / sizeof *models; m++)
            bench_neuron_update(&o, models[m], a ? AXON_ARITH_FLOAT64 : AXON_ARITH_FIXED,
                                a == 0 && m == 0);
    bench_synaptic(&o);
    return 0;
}
