/* The cortical microcircuit (Potjans & Diesmann 2014; /work/shared facts in
 * docs/hostlib.md#routes-only) built through the C API, at a scale of its population sizes:
 * 8 IF_curr_exp populations, FixedProbability projections at the published probabilities,
 * weights normal (87.8 pA, 10 % sd; L4E -> L23E doubled; inhibitory -4x, negative, on the
 * inhibitory receptor), delays normal clipped to [dt, max delay] (1.5 ms excitatory,
 * 0.8 ms inhibitory, 50 % sd), dt 0.1 ms. poisson = 1 adds one SpikeSourcePoisson per neuron
 * (8 Hz x K_ext), one-to-one, as sPyNNaker's PyNN microcircuit does. */
#ifndef AXON_BENCH_MICROCIRCUIT_H
#define AXON_BENCH_MICROCIRCUIT_H

#include "axon/axon.h"

/* Adds the network to a context already set up (axon_setup with dt 0.1 ms and a max delay
 * of at least 14.4 ms). Returns an axon error code (message in axon_last_error). */
int axon_microcircuit_build(axon_ctx *ctx, double scale, int poisson);

#endif
