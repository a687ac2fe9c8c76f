/* The lock-step suite (docs/emulator.md): random networks (lockgen.c) run step by step on the
 * golden engine and on the emulator; every packet (step, core, key), every recording word,
 * every counter and, at the end, every state word must be identical. On a mismatch it prints
 * the seed, the first diverging step, core, neuron and field, and writes an FST trace of the
 * run up to that step (lockstep_<seed>.fst in the working directory).
 *
 * usage: lockstep [--count N] [--first SEED] [--max-cores K] [--max-neurons N] [--mesh] [--quiet]
 *        lockstep --network FILE.json [--steps N] [--chunk N] [--machine WxHxC]
 *                 [--neurons-per-core N] [--wrap]   (a network file mapped by the host
 *                 library, optionally onto the given machine; chunk: steps per run call
 *                 between comparisons)
 * --mesh draws multi-chip networks (lockgen_mesh: 2 x 2 or 3 x 3, mesh or torus, 1..4 cores
 * per chip) instead of lockgen's one or two chips.
 * AXON_LONG=1 in the environment multiplies the count by 15 (make check-long). */
#include "lockgen.h"

#include "axon/axon.h"
#include "axon/emu.h"
#include "axon/engine.h"
#include "axon/netfile.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct pkt {
    uint32_t step, gid, key;
} pkt;

typedef struct pkts {
    pkt *a;
    size_t n, cap;
} pkts;

static void on_packet(void *user, uint32_t step, uint32_t gid, uint32_t key)
{
    pkts *v = user;
    if (v->n == v->cap) {
        v->cap = v->cap ? 2 * v->cap : 256;
        pkt *p = realloc(v->a, v->cap * sizeof *p);
        if (!p) {
            fprintf(stderr, "lockstep: out of memory\n");
            exit(2);
        }
        v->a = p;
    }
    v->a[v->n++] = (pkt){step, gid, key};
}

static const char *const core_cnt[] = AXON_CNT_CORE_NAMES_INIT;
static const char *const router_cnt[] = AXON_CNT_ROUTER_NAMES_INIT;
static const char *const var_names[] = {"spikes", "v", "gsyn_exc", "gsyn_inh"};

typedef struct run {
    uint64_t seed;
    axon_image *img;
    lockgen_info info;
    uint32_t fail_step; /* first diverging step, UINT32_MAX if none */
    uint32_t chunk;     /* steps per run call (1: compare after every step) */
} run;

#define MISMATCH(r, t, ...)                                                                    \
    do {                                                                                       \
        printf("lockstep: MISMATCH seed=%" PRIu64 " step=%u ", (r)->seed, (t));                \
        printf(__VA_ARGS__);                                                                   \
        printf("\n");                                                                          \
        (r)->fail_step = (t);                                                                  \
        return 1;                                                                              \
    } while (0)

/* Name the first difference between two recording streams of one core and one step. */
static int compare_rec(run *r, uint32_t t, uint32_t x, uint32_t y, uint32_t c,
                       const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
    if (na == nb && (!na || !memcmp(a, b, na * sizeof *a)))
        return 0;
    const uint32_t *hdr;
    uint32_t nh;
    axon_image_get_core(r->img, x, y, c, &hdr, &nh);
    uint32_t n = hdr[AXON_CORE_H_N_NEURONS], flags = hdr[AXON_CORE_H_REC_FLAGS];
    size_t pa = 0, pb = 0;
    axon_rec_block ba, bb;
    for (;;) {
        int ra = axon_rec_next(a, na, &pa, 0, &ba), rb = axon_rec_next(b, nb, &pb, 0, &bb);
        if (ra != 1 || rb != 1)
            MISMATCH(r, t, "core (%u, %u, %u) field=recording_stream ref=%s emu=%s "
                           "(%zu vs %zu words)", x, y, c,
                     ra == 1 ? "block" : ra ? "truncated" : "end",
                     rb == 1 ? "block" : rb ? "truncated" : "end", na, nb);
        if (ba.step != bb.step)
            MISMATCH(r, ba.step < bb.step ? ba.step : bb.step,
                     "core (%u, %u, %u) field=recording_block_step ref=%u emu=%u", x, y, c,
                     ba.step, bb.step);
        t = ba.step;
        for (uint32_t k = 0; k < ba.n_spikes || k < bb.n_spikes; k++) {
            uint32_t sa = k < ba.n_spikes ? axon_rec_spike(&ba, k) : UINT32_MAX;
            uint32_t sb = k < bb.n_spikes ? axon_rec_spike(&bb, k) : UINT32_MAX;
            if (sa != sb)
                MISMATCH(r, t, "core (%u, %u, %u) neuron=%d field=recorded_spike#%u ref=%d emu=%d",
                         x, y, c, (int)(sa < sb ? sa : sb), k, (int)sa, (int)sb);
        }
        for (uint32_t k = 0; k < ba.n_state || k < bb.n_state; k++) {
            uint32_t wa = k < ba.n_state ? ba.state[k] : 0xDEADBEEF;
            uint32_t wb = k < bb.n_state ? bb.state[k] : 0xDEADBEEF;
            if (wa == wb && k < ba.n_state && k < bb.n_state)
                continue;
            /* every neuron records the enabled variables (lockgen): value k is neuron k % n of
             * the (k / n)-th enabled variable */
            uint32_t nth = n ? k / n : 0, var = 1;
            for (uint32_t v = 1, seen = 0; v < 4; v++)
                if (flags >> v & 1u && seen++ == nth)
                    var = v;
            MISMATCH(r, t, "core (%u, %u, %u) neuron=%u field=%s ref=0x%08x emu=0x%08x "
                           "(n_state %u vs %u)", x, y, c, n ? k % n : k, var_names[var], wa, wb,
                     ba.n_state, bb.n_state);
        }
    }
}

/* Run r on both; 0: identical, 1: mismatch (reported), 2: the emulator failed. With trace
 * set, only the emulator runs (up to stop steps) writing the FST file. */
static int lockstep(run *r, const char *trace, uint32_t stop, int verbose)
{
    axon_engine *eng = NULL;
    axon_emu *emu = NULL;
    pkts pe = {0}, pm = {0};
    uint64_t n_packets = 0, n_rec = 0;
    char err[AXON_ERRMSG_LEN];
    int rc = 2;
    axon_engine_opts eo = {AXON_ARITH_FIXED, 1};
    axon_emu_opts mo = {.trace_path = trace};
    if (axon_engine_create(&eng, r->img, &eo, err)) {
        printf("lockstep: seed=%" PRIu64 ": engine refused the image: %s\n", r->seed, err);
        goto out;
    }
    if (axon_emu_create(&emu, r->img, &mo, err)) {
        printf("lockstep: seed=%" PRIu64 ": emulator refused the image: %s\n", r->seed, err);
        goto out;
    }
    axon_engine_set_spike_fn(eng, on_packet, &pe);
    axon_emu_set_spike_fn(emu, on_packet, &pm);
    const lockgen_info *in = &r->info;
    uint32_t steps = trace ? stop : in->steps;
    rc = 0;
    uint32_t chunk = r->chunk ? r->chunk : 1;
    for (uint32_t t = 0; t < steps && !rc; t += chunk) {
        uint32_t n = steps - t < chunk ? steps - t : chunk;
        pe.n = pm.n = 0;
        if (axon_emu_run(emu, n)) {
            printf("lockstep: seed=%" PRIu64 " step=%u: emulator failed: %s\n", r->seed, t,
                   axon_emu_last_error(emu));
            r->fail_step = t;
            rc = 2;
            break;
        }
        if (trace)
            continue;
        axon_engine_run(eng, n);
        n_packets += pe.n;
        for (size_t i = 0; i < pe.n || i < pm.n; i++) {
            pkt a = i < pe.n ? pe.a[i] : (pkt){UINT32_MAX, UINT32_MAX, 0};
            pkt b = i < pm.n ? pm.a[i] : (pkt){UINT32_MAX, UINT32_MAX, 0};
            if (a.step == b.step && a.gid == b.gid && a.key == b.key)
                continue;
            uint32_t ts = a.step < b.step ? a.step : b.step;
            uint32_t g = a.gid < b.gid ? a.gid : b.gid;
            uint32_t chip = g / in->cpc;
            printf("lockstep: MISMATCH seed=%" PRIu64 " step=%u core (%u, %u, %u) neuron=%u "
                   "field=packet#%zu ref=%s0x%08x emu=%s0x%08x (%zu vs %zu packets)\n",
                   r->seed, ts, chip % in->w, chip / in->w, g % in->cpc,
                   (a.gid == g ? a.key : b.key) & 0xFFFF, i, i < pe.n ? "" : "none ",
                   a.key, i < pm.n ? "" : "none ", b.key, pe.n, pm.n);
            r->fail_step = ts;
            rc = 1;
            break;
        }
        for (uint32_t g = 0; !rc && g < in->w * in->h * in->cpc; g++) {
            uint32_t chip = g / in->cpc, x = chip % in->w, y = chip / in->w, c = g % in->cpc;
            const uint32_t *wa, *wb;
            size_t na, nb;
            axon_engine_recording(eng, x, y, c, &wa, &na);
            axon_emu_recording(emu, x, y, c, &wb, &nb);
            if ((rc = compare_rec(r, t, x, y, c, wa, na, wb, nb)))
                break;
            n_rec += na;
            axon_engine_recording_drain(eng, x, y, c);
            axon_emu_recording_drain(emu, x, y, c);
            uint64_t ca[AXON_CNT_CORE_N], cb[AXON_CNT_CORE_N];
            axon_engine_core_counters(eng, x, y, c, ca);
            axon_emu_core_counters(emu, x, y, c, cb);
            for (int i = 0; i < AXON_CNT_CORE_N && !rc; i++)
                if (ca[i] != cb[i]) {
                    printf("lockstep: MISMATCH seed=%" PRIu64 " step=%u core (%u, %u, %u) "
                           "field=counter_%s ref=%" PRIu64 " emu=%" PRIu64 "\n",
                           r->seed, t, x, y, c, core_cnt[i], ca[i], cb[i]);
                    r->fail_step = t;
                    rc = 1;
                }
        }
        for (uint32_t ch = 0; !rc && ch < in->w * in->h; ch++) {
            uint64_t ca[AXON_CNT_ROUTER_N], cb[AXON_CNT_ROUTER_N];
            axon_engine_router_counters(eng, ch % in->w, ch / in->w, ca);
            axon_emu_router_counters(emu, ch % in->w, ch / in->w, cb);
            for (int i = 0; i < AXON_CNT_ROUTER_N && !rc; i++)
                if (ca[i] != cb[i]) {
                    printf("lockstep: MISMATCH seed=%" PRIu64 " step=%u chip (%u, %u) "
                           "field=router_%s ref=%" PRIu64 " emu=%" PRIu64 "\n",
                           r->seed, t, ch % in->w, ch / in->w, router_cnt[i], ca[i], cb[i]);
                    r->fail_step = t;
                    rc = 1;
                }
        }
    }
    /* the live state of every neuron at the end */
    for (uint32_t g = 0; !rc && !trace && g < in->w * in->h * in->cpc; g++) {
        uint32_t chip = g / in->cpc, x = chip % in->w, y = chip / in->w, c = g % in->cpc;
        const uint32_t *hdr;
        uint32_t nh;
        axon_image_get_core(r->img, x, y, c, &hdr, &nh);
        if (!nh || hdr[AXON_CORE_H_KIND] != AXON_KIND_NEURON)
            continue;
        for (uint32_t i = 0; i < hdr[AXON_CORE_H_N_NEURONS] && !rc; i++)
            for (uint32_t w = 0; w < hdr[AXON_CORE_H_STATE_WORDS] && !rc; w++) {
                uint32_t a = 0, b = 0;
                axon_engine_state_word(eng, x, y, c, i, w, &a);
                if (axon_emu_state_word(emu, x, y, c, i, w, &b)) {
                    printf("lockstep: seed=%" PRIu64 ": state read failed: %s\n", r->seed,
                           axon_emu_last_error(emu));
                    rc = 2;
                } else if (a != b) {
                    printf("lockstep: MISMATCH seed=%" PRIu64 " step=%u core (%u, %u, %u) "
                           "neuron=%u field=state_word%u ref=0x%08x emu=0x%08x\n",
                           r->seed, in->steps, x, y, c, i, w, a, b);
                    r->fail_step = in->steps - 1;
                    rc = 1;
                }
            }
    }
    if (verbose && !rc && !trace)
        printf("lockstep: seed=%" PRIu64 " ok: %u x %u chips%s x %u cores, %u neuron cores, %u "
               "sources%s, %u steps, %" PRIu64 " packets, %" PRIu64 " recording words, %" PRIu64
               " cycles\n",
               r->seed, in->w, in->h, in->wrap ? " (torus)" : "", in->cpc, in->n_neuron_cores,
               in->n_sources,
               in->has_delay_ext ? ", a delay extension" : "", in->steps, n_packets, n_rec,
               axon_emu_cycles(emu));
out:
    axon_engine_destroy(eng);
    axon_emu_destroy(emu);
    free(pe.a);
    free(pm.a);
    return rc;
}

static int fits(const axon_image *img, uint32_t mem_words)
{
    for (uint32_t y = 0; y < axon_image_height(img); y++)
        for (uint32_t x = 0; x < axon_image_width(img); x++)
            for (uint32_t c = 0; c < axon_image_cores_per_chip(img); c++) {
                const uint32_t *w;
                uint32_t n;
                axon_image_get_core(img, x, y, c, &w, &n);
                if (n > mem_words)
                    return 0;
            }
    return 1;
}

/* One line per used core, for the report of a mismatch. */
static void describe(const run *r)
{
    static const char *const kinds[] = {"unused", "neuron", "SpikeSourceArray",
                                        "SpikeSourcePoisson", "delay extension"};
    const lockgen_info *in = &r->info;
    for (uint32_t g = 0; g < in->w * in->h * in->cpc; g++) {
        uint32_t chip = g / in->cpc, x = chip % in->w, y = chip / in->w, c = g % in->cpc;
        const uint32_t *h;
        uint32_t nh;
        axon_image_get_core(r->img, x, y, c, &h, &nh);
        if (!nh)
            continue;
        const axon_model_info *m = axon_model_by_id(h[AXON_CORE_H_MODEL]);
        printf("lockstep:   seed=%" PRIu64 " core (%u, %u, %u): %s%s%s, %u neurons, key base "
               "0x%08x, rec flags 0x%x every %u, weight shifts 0x%08x, %u synaptic words\n",
               r->seed, x, y, c, kinds[h[AXON_CORE_H_KIND] < 5 ? h[AXON_CORE_H_KIND] : 0],
               m && h[AXON_CORE_H_KIND] == AXON_KIND_NEURON ? " " : "",
               m && h[AXON_CORE_H_KIND] == AXON_KIND_NEURON ? m->name : "",
               h[AXON_CORE_H_N_NEURONS], h[AXON_CORE_H_KEY_BASE], h[AXON_CORE_H_REC_FLAGS],
               h[AXON_CORE_H_REC_INTERVAL], h[AXON_CORE_H_WEIGHT_SHIFT], h[AXON_CORE_H_SYN_WORDS]);
    }
}

/* A network file, mapped by the host library, in lock step (seed 0 in the messages). */
static int network_file(const char *path, uint32_t steps, uint32_t chunk,
                        const axon_machine_opts *mo)
{
    axon_ctx *ctx;
    if (axon_create(&ctx))
        return 2;
    axon_image *img = axon_load_network(ctx, path, NULL) ||
                              (mo && axon_set_machine(ctx, mo))
                          ? NULL
                          : axon_machine_image(ctx);
    if (!img) {
        printf("lockstep: %s: %s\n", path, axon_last_error(ctx));
        axon_destroy(ctx);
        return 2;
    }
    run r = {0, img, {0}, UINT32_MAX, chunk};
    r.info.w = axon_image_width(img);
    r.info.h = axon_image_height(img);
    r.info.cpc = axon_image_cores_per_chip(img);
    r.info.steps = steps;
    int rc = lockstep(&r, NULL, 0, 1);
    if (rc && r.fail_step != UINT32_MAX) {
        describe(&r);
        if (!lockstep(&r, "lockstep_network.fst", r.fail_step + 1, 0))
            printf("lockstep: waveform of steps 0..%u in lockstep_network.fst\n", r.fail_step);
    }
    axon_destroy(ctx);
    return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
    const char *network = NULL;
    uint32_t steps = 1000, chunk = 1;
    uint64_t first = 1;
    uint32_t count = 200, max_cores = 4, max_neurons = 256;
    int verbose = 1, mesh = 0, machine = 0;
    axon_machine_opts mo = {0};
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--count") && i + 1 < argc)
            count = (uint32_t)strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--first") && i + 1 < argc)
            first = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "--max-cores") && i + 1 < argc)
            max_cores = (uint32_t)strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--max-neurons") && i + 1 < argc)
            max_neurons = (uint32_t)strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--quiet"))
            verbose = 0;
        else if (!strcmp(argv[i], "--mesh"))
            mesh = 1;
        else if (!strcmp(argv[i], "--machine") && i + 1 < argc &&
                 sscanf(argv[++i], "%ux%ux%u", &mo.width, &mo.height, &mo.cores_per_chip) == 3)
            machine = 1;
        else if (!strcmp(argv[i], "--neurons-per-core") && i + 1 < argc)
            machine = 1, mo.neurons_per_core = (uint32_t)strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--wrap"))
            machine = 1, mo.wrap = 1;
        else if (!strcmp(argv[i], "--network") && i + 1 < argc)
            network = argv[++i];
        else if (!strcmp(argv[i], "--chunk") && i + 1 < argc)
            chunk = (uint32_t)strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--steps") && i + 1 < argc)
            steps = (uint32_t)strtoul(argv[++i], NULL, 10);
        else {
            fprintf(stderr, "usage: lockstep [--count N] [--first SEED] [--max-cores K] "
                            "[--max-neurons N] [--mesh] [--quiet]\n"
                            "       lockstep --network FILE.json [--steps N] [--chunk N] "
                            "[--machine WxHxC] [--neurons-per-core N] [--wrap]\n");
            return 2;
        }
    }
    if (network)
        return network_file(network, steps, chunk, machine ? &mo : NULL);
    if (getenv("AXON_LONG") && atoi(getenv("AXON_LONG")))
        count *= 15;
    if (!max_cores || !max_neurons) {
        fprintf(stderr, "lockstep: --max-cores and --max-neurons must be >= 1\n");
        return 2;
    }
    printf("lockstep: %u networks, seeds %" PRIu64 "..%" PRIu64 "\n", count, first,
           first + count - 1);
    /* the emulated core's memory: networks that do not fit are drawn again */
    axon_emu *probe;
    axon_emu_core_info ci;
    char err[AXON_ERRMSG_LEN];
    if (axon_emu_create(&probe, NULL, NULL, err)) {
        printf("lockstep: %s\n", err);
        return 2;
    }
    axon_emu_get_core_info(probe, &ci);
    axon_emu_destroy(probe);
    if (max_neurons > ci.n_neurons)
        max_neurons = ci.n_neurons;
    uint32_t failed = 0, redrawn = 0;
    for (uint64_t seed = first; seed < first + count; seed++) {
        /* every 4th network is compared after runs of several steps (the run loop) */
        run r = {seed, NULL, {0}, UINT32_MAX, seed % 4 == 3 ? 1 + (uint32_t)(seed % 29) : 1};
        tnet *t = NULL;
        for (uint64_t draw = seed, k = 0; !r.img; draw = seed + (++k << 40), redrawn++) {
            tnet_free(t);
            t = mesh ? lockgen_mesh(draw, max_neurons, &r.info)
                     : lockgen(draw, max_cores, max_neurons, &r.info);
            r.img = tnet_image(t);
            if (r.img && !fits(r.img, ci.mem_words)) {
                axon_image_destroy(r.img);
                r.img = NULL;
            }
        }
        redrawn--;
        int rc = r.img ? lockstep(&r, NULL, 0, verbose) : 2;
        if (rc) {
            failed++;
            describe(&r);
            if (r.img && r.fail_step != UINT32_MAX) {
                char path[64];
                snprintf(path, sizeof path, "lockstep_%" PRIu64 ".fst", seed);
                if (!lockstep(&r, path, r.fail_step + 1, 0))
                    printf("lockstep: seed=%" PRIu64 ": waveform of steps 0..%u in %s "
                           "(gtkwave %s)\n", seed, r.fail_step, path, path);
            }
        }
        axon_image_destroy(r.img);
        tnet_free(t);
    }
    printf("lockstep: %u of %u networks identical on ref and emu (%u drawn again to fit the "
           "core's %u words)\n",
           count - failed, count, redrawn, ci.mem_words);
    return failed ? 1 : 0;
}
