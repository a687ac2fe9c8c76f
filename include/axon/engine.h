/* The golden (reference) engine: executes a machine image, bit for bit as docs/spec says.
 *
 * Timesteps are barrier-synchronised: in step t every core updates (neurons, sources, delay
 * extensions) and emits its packets; then every packet of step t is routed and its synaptic
 * row applied to the destination's ring buffer; only then does step t+1 begin. Results are
 * therefore identical for any number of host threads. */
#ifndef AXON_ENGINE_H
#define AXON_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "axon/error.h"
#include "axon/image.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct axon_engine axon_engine;

typedef enum axon_arith {
    AXON_ARITH_FIXED = 0,  /* the hardware's arithmetic (the definition) */
    AXON_ARITH_FLOAT64 = 1 /* same equations in double, for accuracy studies */
} axon_arith;

typedef struct axon_engine_opts {
    axon_arith arith;
    unsigned threads; /* host threads stepping cores; 0 or 1: single-threaded */
} axon_engine_opts;

/* Called for every packet a core emits, in a deterministic order (step, core index, emission
 * order), after the step's updates. core_gid = (y * width + x) * cores_per_chip + core. */
typedef void (*axon_spike_fn)(void *user, uint32_t step, uint32_t core_gid, uint32_t key);

/* Validates the image and builds the engine (the image may be destroyed afterwards). On
 * failure *out is NULL and err (AXON_ERRMSG_LEN, may be NULL) holds the message. */
int axon_engine_create(axon_engine **out, axon_image *img, const axon_engine_opts *opts,
                       char *err);
void axon_engine_destroy(axon_engine *eng);
const char *axon_engine_last_error(const axon_engine *eng);

/* Advance n timesteps. May be called repeatedly; state carries over. */
int axon_engine_run(axon_engine *eng, uint32_t n_steps);
/* Back to the image's initial state: step 0, recordings and counters cleared. */
int axon_engine_reset(axon_engine *eng);
/* Number of steps executed since create/reset. */
uint32_t axon_engine_step(const axon_engine *eng);
void axon_engine_set_spike_fn(axon_engine *eng, axon_spike_fn fn, void *user);

/* Counters (docs/spec/counters): AXON_CNT_CORE_N per core, AXON_CNT_ROUTER_N per chip. */
int axon_engine_core_counters(const axon_engine *eng, uint32_t x, uint32_t y, uint32_t core,
                              uint64_t out[AXON_CNT_CORE_N]);
int axon_engine_router_counters(const axon_engine *eng, uint32_t x, uint32_t y,
                                uint64_t out[AXON_CNT_ROUTER_N]);

/* The core's recording stream since create/reset or the last drain (docs/spec/recording.md).
 * In float64 mode each state value takes two words (an IEEE double, low word first). The
 * pointer stays valid until the next run/drain/reset. */
int axon_engine_recording(const axon_engine *eng, uint32_t x, uint32_t y, uint32_t core,
                          const uint32_t **words, size_t *n_words);
int axon_engine_recording_drain(axon_engine *eng, uint32_t x, uint32_t y, uint32_t core);

/* Read one word of a neuron's state block (fixed mode), or its value (both modes). */
int axon_engine_state_word(const axon_engine *eng, uint32_t x, uint32_t y, uint32_t core,
                           uint32_t neuron, uint32_t word, uint32_t *out);
int axon_engine_state_value(const axon_engine *eng, uint32_t x, uint32_t y, uint32_t core,
                            uint32_t neuron, uint32_t word, double *out);

/* Overwrite one word of a neuron's parameter block between runs, as the host does through
 * a core's memory interface (e.g. i_offset for a current step). In float64 mode the word is
 * converted with its format. */
int axon_engine_set_param_word(axon_engine *eng, uint32_t x, uint32_t y, uint32_t core,
                               uint32_t neuron, uint32_t word, uint32_t value);

/* Current weight (ring-buffer units) held by word `off` of a neuron core's synaptic matrix:
 * a plastic synapse's learned weight (real-valued in float64 mode), or a static weight. */
int axon_engine_syn_weight(const axon_engine *eng, uint32_t x, uint32_t y, uint32_t core,
                           uint32_t off, double *weight);

/* Word `addr` of a core's memory as it is now (plastic rows hold their learned weights,
 * pre_time and pre_trace; every other word is the image's): what a board's READ returns. */
int axon_engine_mem_word(const axon_engine *eng, uint32_t x, uint32_t y, uint32_t core,
                         uint32_t addr, uint32_t *word);

/* Word `off` of a neuron core's synaptic matrix as it is now (plastic rows: learned
 * weights, pre_time, pre_trace), as core memory holds it. */
int axon_engine_syn_word(const axon_engine *eng, uint32_t x, uint32_t y, uint32_t core,
                         uint32_t off, uint32_t *word);

/* ---- recording stream decoder ---- */
typedef struct axon_rec_block {
    uint32_t step;
    uint32_t n_spikes;      /* neuron indices, repeated when a source fires k times */
    uint32_t n_state;       /* values: vars in AXON_REC_V.. order, neurons ascending */
    const uint32_t *spikes; /* packed u16 pairs: use axon_rec_spike() */
    const uint32_t *state;  /* use axon_rec_state() */
    int f64;
} axon_rec_block;

/* Decode the block at *pos and advance *pos. Returns 1 on a block, 0 at the end, or
 * AXON_ERR_FORMAT for a truncated stream. */
int axon_rec_next(const uint32_t *words, size_t n_words, size_t *pos, int f64,
                  axon_rec_block *blk);
static inline uint32_t axon_rec_spike(const axon_rec_block *b, uint32_t i)
{
    return (b->spikes[i / 2] >> (16 * (i % 2))) & 0xFFFFu;
}
double axon_rec_state(const axon_rec_block *b, uint32_t i);

#ifdef __cplusplus
}
#endif
#endif
