/* CUBA benchmark (Brette et al. 2007) on the ref backend, the same network as
 * ../shared/bench/cuba_brian2.py: N LIF neurons (80% excitatory), p = 0.02, current-based
 * exponential synapses (tau_e 5 ms, tau_i 10 ms), tau_m 20 ms, El -49 mV, Vt -50 mV,
 * Vr -60 mV, refractory 5 ms, we = 1.62 mV and wi = -9 mV scaled by 4000/N, initial V
 * uniform in [Vr, Vt].
 *
 * Translation to PyNN's IF_curr_exp (cm = 1 nF): Brian2's ge (volts) enters dv/dt as
 * ge/tau_m, i.e. a current ge * cm / tau_m, so the PyNN weight (peak current, nA) is
 * w_mV * cm / tau_m. Brian2's zero delay applies in the next step, Axon's minimum delay of
 * one step (docs/spec/synapses.md): the same timing.
 *
 * Usage: axon_bench_cuba N BIO_S DT_MS [THREADS]
 * Prints: bench axon_cuba N=.. dt_ms=.. bio_s=.. build_s=.. map_s=.. run_s=.. spikes=..
 *         rate_hz=.. synapses=.. events=.. events_per_s=.. */
#include "axon/axon.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

#define CHECK(call)                                                                            \
    do {                                                                                       \
        if ((call) != AXON_OK) {                                                               \
            fprintf(stderr, "bench_cuba: %s: %s\n", #call, axon_last_error(ctx));              \
            return 1;                                                                          \
        }                                                                                      \
    } while (0)

int main(int argc, char **argv)
{
    uint32_t n = argc > 1 ? (uint32_t)atoi(argv[1]) : 4000;
    double bio_s = argc > 2 ? atof(argv[2]) : 1.0;
    double dt = argc > 3 ? atof(argv[3]) : 1.0;
    unsigned threads = argc > 4 ? (unsigned)atoi(argv[4]) : 1;
    if (n < 10 || !(bio_s > 0) || !(dt > 0)) {
        fprintf(stderr, "usage: axon_bench_cuba N BIO_S DT_MS [THREADS]\n");
        return 2;
    }
    double t0 = now_s();
    axon_ctx *ctx;
    if (axon_create(&ctx))
        return 1;
    CHECK(axon_setup(ctx, dt, dt, 10 * dt, 1));
    axon_machine_opts mo = {.cores_per_chip = 16, .neurons_per_core = 256, .threads = threads};
    CHECK(axon_set_machine(ctx, &mo));
    axon_pop cells;
    CHECK(axon_population(ctx, n, "IF_curr_exp", "cells", NULL, &cells));
    struct {
        const char *name;
        double v;
    } params[] = {{"cm", 1.0},        {"tau_m", 20.0},     {"v_rest", -49.0},
                  {"v_thresh", -50.0}, {"v_reset", -60.0}, {"tau_refrac", 5.0},
                  {"tau_syn_E", 5.0},  {"tau_syn_I", 10.0}};
    for (size_t k = 0; k < sizeof params / sizeof params[0]; k++) {
        axon_value v = axon_const(params[k].v);
        CHECK(axon_pop_set(ctx, cells, params[k].name, &v));
    }
    axon_value vinit = {AXON_VALUE_RANDOM, 0, NULL, 0, {"uniform", {-60.0, -50.0}, 2}, NULL};
    CHECK(axon_pop_initialize(ctx, cells, "v", &vinit));
    uint32_t n_exc = (uint32_t)(0.8 * n);
    axon_view exc, inh, all = axon_whole(ctx, cells);
    CHECK(axon_view_slice(ctx, cells, 0, n_exc, 1, &exc));
    CHECK(axon_view_slice(ctx, cells, n_exc, n, 1, &inh));
    double scale = 4000.0 / n, cm = 1.0, tau_m = 20.0;
    axon_connector fp = axon_connector_default(AXON_CONN_FIXED_PROBABILITY);
    fp.p = 0.02;
    axon_synapse se = {axon_const(1.62 * scale * cm / tau_m), axon_const(dt)};
    axon_synapse si = {axon_const(-9.0 * scale * cm / tau_m), axon_const(dt)};
    CHECK(axon_projection(ctx, &exc, &all, &fp, &se, "excitatory", NULL, "exc", NULL));
    CHECK(axon_projection(ctx, &inh, &all, &fp, &si, "inhibitory", NULL, "inh", NULL));
    CHECK(axon_record(ctx, &all, "spikes", 0));
    double t_build = now_s() - t0;
    axon_mapping_report rep;
    CHECK(axon_describe(ctx, &rep));
    CHECK(axon_run(ctx, bio_s * 1000.0));
    axon_run_stats st;
    CHECK(axon_stats(ctx, &st));
    uint64_t spikes = axon_spike_count(ctx, cells);
    printf("bench axon_cuba N=%u dt_ms=%g bio_s=%g threads=%u build_s=%.3f map_s=%.3f "
           "load_s=%.3f run_s=%.4f spikes=%llu rate_hz=%.2f synapses=%llu events=%llu "
           "events_per_s=%.3g\n",
           n, dt, bio_s, threads, t_build, rep.map_seconds, st.wall_load_s, st.wall_run_s,
           (unsigned long long)spikes, spikes / (n * bio_s), (unsigned long long)rep.synapses,
           (unsigned long long)st.synaptic_events, st.synaptic_events / st.wall_run_s);
    axon_destroy(ctx);
    return 0;
}
