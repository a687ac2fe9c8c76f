/* Internal: one core's executable state in the golden engine (docs/spec/core_memory.md). */
#ifndef AXON_CORE_H
#define AXON_CORE_H

#include "axon/fixed.h"
#include "axon/kiss.h"
#include "axon/stdp.h"
#include "axon_spec.h"

#include <stddef.h>
#include <stdint.h>

#define CORE_INFO_MISS 0xFFFFFFFFu    /* no population table entry matched the key */
#define CORE_INFO_INVALID 0xFFFFFFFEu /* matched, but the neuron id is beyond the rows */
#define CORE_MAX_WORDS 24             /* param/state words of the largest model */

/* The depression a neuron's history gives every plastic row of one step, delay and rule:
 * the first entry before the step, its decayed post trace, the additive amount. */
typedef struct plast_dep {
    uint64_t key; /* t << 8 | d << 2 | rule; UINT64_MAX: unset */
    uint64_t dd;
    uint32_t y;
    uint32_t j;
} plast_dep;

typedef struct core {
    uint32_t gid, kind, model, n, key_base, emit;
    uint32_t n_keys;                      /* local key space: n, or stages << 10 for DE */
    uint32_t shift[AXON_SYN_N_TYPES];
    uint32_t rec_flags, rec_interval;
    uint8_t *rec_spk;                     /* per neuron: spikes recorded */
    uint32_t *rec_idx[AXON_N_REC_VARS];   /* recorded neurons of V, GSYN_EXC, GSYN_INH */
    uint32_t rec_n[AXON_N_REC_VARS];
    uint32_t pw, sw;                      /* parameter / state words per neuron */
    int32_t *p, *s;                       /* SoA: p[k * n + i] (fixed mode) */
    double *pd, *sd;                      /* SoA (float64 mode) */
    uint32_t *mem;                        /* own copy of the core memory */
    uint32_t mem_n;
    uint32_t *rb;                         /* ring buffers: rb[slot * rb_stride + type * n + i], */
    size_t rb_stride;                     /* capped at 0x10000; owned by the engine */
    double *ind, *isynd;
    uint8_t *spk;                         /* scratch: spiked this step */
    const uint32_t *mpt, *syn, *src;
    uint32_t mpt_n, src_n, cursor;
    axon_kiss rng;
    uint8_t *de;                          /* delay extension [slot][neuron] spike counts */
    uint32_t *out;                        /* keys emitted this step */
    uint32_t out_n, out_cap;
    uint32_t *rec;                        /* recording stream */
    size_t rec_len, rec_cap;
    uint32_t *rec_tmp;                    /* scratch: spikes of this step */
    int32_t *smp;                         /* scratch: sampled state words of this step */
    double *smpd;
    uint32_t smp_n;
    uint64_t cnt[AXON_CNT_CORE_N];
    uint64_t *sent;                       /* per local key: packets emitted */
    int f64;
    int oom;                              /* an allocation failed during a step */
    /* plasticity (docs/spec/plasticity.md); n_rules = 0: none */
    uint32_t n_rules;
    axon_stdp_rule rule[AXON_PLAST_MAX_RULES];
    uint32_t *synw;                       /* writable synaptic matrix (inside mem) */
    uint32_t *syn0;                       /* its image copy, restored by reset */
    uint32_t syn_words;
    uint32_t *ph_time;                    /* post history: [i * H + e] spike steps */
    uint16_t *ph_tr;                      /* post traces [(rule * n + i) * H + e] */
    double *ph_trd;                       /* float64 mode: same, real */
    uint8_t *ph_n;                        /* per neuron: entries held (newest first) */
    /* per neuron, what every plastic row of one step with one delay and rule shares (fixed
     * mode; a post spike or reset clears it) */
    struct plast_dep *pc;
    double *wd;                           /* float64 mode: per synaptic-matrix word, the
                                             real weight or presynaptic trace */
} core;

int core_load(core *c, const uint32_t *w, uint32_t n, uint32_t gid, int f64);
/* Words of ring buffer per slot this core needs (2 x n for neuron cores, else 0). */
size_t core_rb_words(const core *c);
void core_reset(core *c);
/* Real value of state word `word` of neuron i (either mode). */
double core_state_value(const core *c, uint32_t i, uint32_t word);
void core_set_param_word(core *c, uint32_t i, uint32_t word, uint32_t value);
void core_free(core *c);
/* Make room for need elements of elem bytes in *buf (capacity *cap, doubling from 256);
 * 0, or -1 with *buf and *cap unchanged when memory runs out. */
int core_grow(void **buf, size_t *cap, size_t need, size_t elem);
/* Update phase of step t: fills c->out and the recording stream. */
void core_update(core *c, uint32_t t);
/* A spike of source neuron idx delivered to a delay extension in step t. */
void core_de_receive(core *c, uint32_t idx, uint32_t t);
/* Population-table lookup of key: row offset / DE index / CORE_INFO_*. */
uint32_t core_lookup(const core *c, uint32_t key);

/* Plasticity (plasticity.c): load / reset the region and history; a post spike of neuron i
 * in step t; a plastic row at offset `row` of the matrix received in step t. */
int core_plast_load(core *c);
void core_plast_reset(core *c);
void core_plast_free(core *c);
void core_plast_post(core *c, uint32_t i, uint32_t t);
void core_plast_row(core *c, uint32_t row, uint32_t t);
/* Real weight (weight units) of synaptic-matrix word `off` (either mode). */
double core_plast_weight(const core *c, uint32_t off);

/* helpers shared by the core_*.c files */
void core_neuron_update(core *c, uint32_t t);
void core_source_update(core *c, uint32_t t);
void core_emit(core *c, uint32_t local_key);
void core_rec_block(core *c, uint32_t t, const uint32_t *spk, uint32_t n_spk, int sample);

/* Weight shift of synapse type t from the core header word weight_shift. */
static inline uint32_t core_weight_shift(uint32_t weight_shift, uint32_t t)
{
    return (weight_shift >> (AXON_WEIGHT_SHIFT_BITS * t)) & 0xFu;
}

static inline int core_sampling(const core *c, uint32_t t)
{
    return (c->rec_flags & ~(1u << AXON_REC_SPIKES)) && t % c->rec_interval == 0;
}

#endif
