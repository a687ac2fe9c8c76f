/* Test support: a small builder of machine images for unit tests, benchmarks and the demo.
 * It lays cores out by hand (explicit keys, rows and routes), so a test states exactly the
 * image it exercises. The host library's mapper (hostlib/) is the general tool. */
#ifndef AXON_TNET_H
#define AXON_TNET_H

#include "axon/engine.h"
#include "axon/image.h"
#include "axon/models.h"
#include "axon/stdp.h"

#include <stdint.h>

typedef struct tnet tnet;

typedef struct tnet_syn {
    uint32_t pre, post;
    uint32_t weight; /* ring-buffer integer (see axon_weight_to_fixed) */
    uint32_t delay;  /* 1..16 */
    uint32_t type;   /* AXON_SYN_TYPE_EXC / INH */
} tnet_syn;

tnet *tnet_new(uint32_t width, uint32_t height, uint32_t cpc, double dt_ms, uint32_t flags);
void tnet_free(tnet *t);
double tnet_dt(const tnet *t);

/* A neuron core. params/inits: n x m->n_params / n x m->n_inits values, or NULL for PyNN
 * defaults. Returns the core's gid or a negative error. */
int tnet_neurons(tnet *t, uint32_t x, uint32_t y, uint32_t c, const char *model, uint32_t n,
                 const double *params, const double *inits, uint32_t key_base,
                 uint32_t rec_flags, uint32_t rec_interval);
/* Same parameters for every neuron (values in the model's order). */
int tnet_neurons_uniform(tnet *t, uint32_t x, uint32_t y, uint32_t c, const char *model,
                         uint32_t n, const double *params, const double *inits,
                         uint32_t key_base, uint32_t rec_flags, uint32_t rec_interval);
void tnet_weight_shift(tnet *t, int gid, uint32_t type, uint32_t shift);
/* SpikeSourceArray: events (step, index) pairs, any order. */
int tnet_array(tnet *t, uint32_t x, uint32_t y, uint32_t c, uint32_t n, const uint32_t *events,
               uint32_t n_events, uint32_t key_base, uint32_t rec_flags);
int tnet_poisson(tnet *t, uint32_t x, uint32_t y, uint32_t c, uint32_t n, double rate_hz,
                 double start_ms, double duration_ms, uint64_t seed, uint32_t key_base,
                 uint32_t rec_flags);
/* Delay extension for the source core src_gid (whose keys it listens to). */
int tnet_delay_ext(tnet *t, uint32_t x, uint32_t y, uint32_t c, int src_gid, uint32_t key_base,
                   const uint32_t *stage_masks);
/* Synapses from the keys of src_gid (key_base | pre) onto neuron core dst_gid. Several
 * calls for the same pair append. key_base overrides src's key base when nonzero (for
 * delay-extension stage keys). */
int tnet_connect(tnet *t, int src_gid, int dst_gid, const tnet_syn *syn, uint32_t n,
                 uint32_t key_base, uint32_t n_pre);
/* Plasticity: the rules of neuron core dst_gid (region built by axon_stdp_region), and
 * plastic synapses from src_gid following rule `rule`. */
int tnet_plastic_rules(tnet *t, int dst_gid, const axon_stdp_params *rules, uint32_t n);
int tnet_connect_plastic(tnet *t, int src_gid, int dst_gid, const tnet_syn *syn, uint32_t n,
                         uint32_t rule);
/* Word offset in core (x, y, c)'s synaptic matrix of the synapse onto `post` in the row of
 * `key`. */
int tnet_find_syn(const axon_image *img, uint32_t x, uint32_t y, uint32_t c, uint32_t key,
                  uint32_t post, uint32_t *off);
int tnet_route(tnet *t, uint32_t x, uint32_t y, uint32_t key, uint32_t mask, uint32_t route);
/* Builds the image (validated by the caller through axon_engine_create). */
axon_image *tnet_image(tnet *t);
uint32_t tnet_key_base(const tnet *t, int gid);

/* Decoded recordings of one core: spikes as (step, index), state samples per var. */
typedef struct tnet_rec {
    uint32_t n_spikes, *spike_step, *spike_idx;
    uint32_t n_samples;  /* sampled steps */
    uint32_t *sample_step;
    double *values;      /* n_samples x n_values (v.., gsyn_exc.., gsyn_inh..) */
    int32_t *words;      /* the same, raw words (fixed mode) */
    uint32_t n_values;
} tnet_rec;
int tnet_rec_read(const axon_engine *e, uint32_t x, uint32_t y, uint32_t c, int f64,
                  tnet_rec *out);
void tnet_rec_free(tnet_rec *r);

#endif

/* Route the keys key/mask emitted by core src_gid to every core in dst (x-then-y
 * dimension-order tree: east/west along the row, then north/south; no wrap), adding one
 * table entry per chip on the tree. */
int tnet_route_tree(tnet *t, int src_gid, uint32_t key, uint32_t mask, const int *dst,
                    uint32_t n_dst);

/* A random multi-chip network for determinism and lock-step tests: w x h chips, cpc cores,
 * a Poisson core, a spike-array core, neuron cores of random models and sizes, random
 * synapses (delays 1..16 and, through a delay extension, up to 144), all routed. */
tnet *tnet_random(uint64_t seed, uint32_t w, uint32_t h, uint32_t cpc);
/* Make a network plastic at random: two random STDP rules on every neuron core that receives
 * synapses, and each of its sources' rows plastic (one of the rules, 70 %) or static. */
void tnet_make_plastic(tnet *t, uint64_t seed);
