/* Golden functions for the RTL block testbenches (docs/rtl.md): the golden engine's own code
 * for one neuron and one step, the ring-buffer accumulation rule, and the Poisson draw.
 * Nothing here is a second implementation: the engine calls these same functions (or, for
 * the neuron step, runs its real per-step code on a one-neuron core), so a testbench that
 * agrees with them agrees with the engine bit for bit. The PRNG is axon_kiss_next()
 * (axon/kiss.h). Callable from C++ (the Verilator harnesses). */
#ifndef AXON_GOLDEN_H
#define AXON_GOLDEN_H

#include <stdint.h>

#include "axon/error.h"
#include "axon/kiss.h"
#include "axon_spec.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Largest parameter / state block of any neuron model, in words. */
#define AXON_GOLDEN_MAX_WORDS 16

/* A ring-buffer accumulator holds min(sum, AXON_RB_CAP): 16 bits plus a sticky
 * saturation bit (docs/spec/synapses.md). */
#define AXON_RB_CAP 0x10000u

/* One synaptic event added to an accumulator (acc <= AXON_RB_CAP, weight <= 0xFFFF). The
 * engine's delivery phase uses this function. */
static inline uint32_t axon_rb_accumulate(uint32_t acc, uint32_t weight)
{
    uint32_t v = acc + weight;
    return v > AXON_RB_CAP ? AXON_RB_CAP : v;
}

/* What one neuron's update produced besides its new state block. */
typedef struct axon_golden_neuron_out {
    int32_t v_sample;    /* recorded v: the value at the start of the step */
    int32_t gsyn_exc;    /* recorded gsyn_exc / gsyn_inh words (docs/spec/models.md) */
    int32_t gsyn_inh;
    uint32_t spike;      /* 1 if the neuron fired */
    uint32_t saturations; /* ring-buffer words that had saturated (0..2) */
} axon_golden_neuron_out;

/* One step of one neuron of model `model` (AXON_MODEL_*), exactly as the golden engine
 * computes it: the engine's fixed-point step (transfer, synapse add, sample, update,
 * decay) runs on a transient one-neuron core. weight_shift is the core header word
 * (type k's shift in bits 4k+3:4k); param holds the model's parameter block
 * (AXON_P_<MODEL>_WORDS words); state its state block (AXON_S_<MODEL>_WORDS words),
 * replaced by the new state; rb_exc / rb_inh are this step's ring-buffer words
 * (<= AXON_RB_CAP). Returns 0, or AXON_ERR_UNSUPPORTED for an unknown model id. */
int axon_golden_neuron_step(uint32_t model, uint32_t weight_shift, const uint32_t *param,
                            uint32_t *state, uint32_t rb_exc, uint32_t rb_inh,
                            axon_golden_neuron_out *out);

/* Words of the parameter / state block of a neuron model, 0 for an unknown id. */
uint32_t axon_golden_param_words(uint32_t model);
uint32_t axon_golden_state_words(uint32_t model);

/* One SpikeSourcePoisson draw (docs/spec/sources.md): the spike count of one active source
 * with L = exp(-lambda) in u0.32, drawing from rng; *capped (may be NULL) is set to 1 when
 * the count stopped at AXON_POISSON_MAX_SPIKES_PER_STEP, else 0. The engine's Poisson
 * sources use this function. */
uint32_t axon_poisson_draw(axon_kiss *rng, uint32_t exp_minus_lambda, int *capped);

/* Results of axon_golden_mpt_lookup besides a row offset. */
#define AXON_GOLDEN_MPT_MISS 0xFFFFFFFFu    /* no entry matched: counts mpt_miss */
#define AXON_GOLDEN_MPT_INVALID 0xFFFFFFFEu /* matched, id beyond the rows: row_invalid */

/* Population-table lookup of `key` (docs/spec/synapses.md) in the table of mpt_n entries at
 * mpt (AXON_SYN_MPT_ENTRY_WORDS words each) on a core of kind `kind` with n neurons: the
 * row's word offset in the synaptic matrix (for a delay extension: the neuron index), or
 * AXON_GOLDEN_MPT_MISS / AXON_GOLDEN_MPT_INVALID. It runs the engine's own lookup
 * (core_lookup) on a transient core. */
uint32_t axon_golden_mpt_lookup(const uint32_t *mpt, uint32_t mpt_n, uint32_t kind, uint32_t n,
                                uint32_t key);

#ifdef __cplusplus
}
#endif
#endif
