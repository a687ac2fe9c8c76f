/* Random networks for the lock-step suite (docs/emulator.md): everything the RTL neuron core
 * runs, drawn from one seed. */
#ifndef AXON_LOCKGEN_H
#define AXON_LOCKGEN_H

#include "tnet.h"

#include <stdint.h>

#define LOCKGEN_MAX_CORES 64

typedef struct lockgen_info {
    uint32_t w, h, cpc;     /* machine */
    int wrap;               /* a torus (AXON_IMAGE_FLAG_WRAP) */
    uint32_t n_neuron_cores, n_sources;
    uint32_t steps;         /* how long to run it */
    int has_delay_ext;      /* the last core is a delay extension of core 0 */
    const char *models[LOCKGEN_MAX_CORES]; /* model of each neuron core */
} lockgen_info;

/* A network of 1..max_cores cores on one or two chips: neuron cores of random models with
 * random parameters (valid ranges), sizes 1..max_neurons, random recording selections and
 * intervals; optionally a SpikeSourceArray and a SpikeSourcePoisson; random synapses
 * (weights, delays 1..16, both types), recurrent ones included, routed; in some networks of
 * 3 or more cores a delay extension of core 0 (delays 17..144). */
tnet *lockgen(uint64_t seed, uint32_t max_cores, uint32_t max_neurons, lockgen_info *info);

/* The same on a 2 x 2 or 3 x 3 machine, mesh or torus, 1..4 cores per chip, 2..10 cores in
 * random places (so packets cross chips, several links and routers). */
tnet *lockgen_mesh(uint64_t seed, uint32_t max_neurons, lockgen_info *info);

/* Route every key of core src (n_src neurons, keys key_base | index) to the cores dst. */
void lockgen_route(tnet *t, int src, uint32_t n_src, const int *dst, uint32_t n_dst);

#endif
