/* The machine image: the contract between host and machine (docs/spec/image.md).
 *
 * An image describes a machine of width x height chips, each with cores_per_chip cores:
 * one multicast routing table per chip and one memory block (32-bit words) per core, laid out
 * as docs/spec/core_memory.md defines. The golden engine executes an image directly; the
 * emulator and boards receive the same words through the chip's host interface.
 *
 * Images are validated before anything executes them (axon_image_validate): a malformed or
 * inconsistent image is rejected with a message naming what is wrong. */
#ifndef AXON_IMAGE_H
#define AXON_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "axon/error.h"
#include "axon_spec.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct axon_image axon_image;

typedef struct axon_route_entry {
    uint32_t key;
    uint32_t mask;
    uint32_t route; /* bits 0..5 links E NE N W SW S, bits 6..23 cores 0..17 */
} axon_route_entry;

/* Create an empty image (all cores unused, all tables empty). dt_us is the timestep in
 * microseconds (used to express recorded times; the arithmetic constants are in the
 * parameter blocks). flags: AXON_IMAGE_FLAG_WRAP for a torus. */
int axon_image_create(axon_image **out, uint32_t width, uint32_t height,
                      uint32_t cores_per_chip, uint32_t flags, uint32_t dt_us);
void axon_image_destroy(axon_image *img);
/* Message of the last failed call on this image (empty if none). */
const char *axon_image_last_error(const axon_image *img);

uint32_t axon_image_width(const axon_image *img);
uint32_t axon_image_height(const axon_image *img);
uint32_t axon_image_cores_per_chip(const axon_image *img);
uint32_t axon_image_flags(const axon_image *img);
uint32_t axon_image_dt_us(const axon_image *img);

/* Replace chip (x, y)'s multicast table (copied). */
int axon_image_set_table(axon_image *img, uint32_t x, uint32_t y,
                         const axon_route_entry *entries, uint32_t n);
int axon_image_get_table(const axon_image *img, uint32_t x, uint32_t y,
                         const axon_route_entry **entries, uint32_t *n);
/* Replace core (x, y, core)'s memory (copied); n_words = 0 marks the core unused. */
int axon_image_set_core(axon_image *img, uint32_t x, uint32_t y, uint32_t core,
                        const uint32_t *words, uint32_t n_words);
int axon_image_get_core(const axon_image *img, uint32_t x, uint32_t y, uint32_t core,
                        const uint32_t **words, uint32_t *n_words);

/* Check every rule of docs/spec/image.md. Returns AXON_OK or an error with the message in
 * axon_image_last_error(). */
int axon_image_validate(axon_image *img);

/* Serialise to / parse from the file format (little-endian words). Parsing validates;
 * err (AXON_ERRMSG_LEN bytes, may be NULL) receives the message on failure. */
int axon_image_save(axon_image *img, const char *path);
int axon_image_load(axon_image **out, const char *path, char *err);
int axon_image_to_buffer(axon_image *img, uint32_t **words, size_t *n_words);
int axon_image_from_buffer(axon_image **out, const uint32_t *words, size_t n_words, char *err);

/* ---- Assembling one core's memory from its parts (docs/spec/core_memory.md) ---- */
typedef struct axon_core_desc {
    uint32_t kind;          /* AXON_KIND_* */
    uint32_t model;         /* AXON_MODEL_* for neuron cores, else 0 */
    uint32_t n_neurons;
    uint32_t key_base;      /* emitted key = key_base | index (DE: | (stage-1) << 10) */
    uint32_t flags;         /* AXON_CORE_FLAG_EMIT */
    uint8_t weight_shift[AXON_SYN_MAX_TYPES];
    uint32_t rec_flags;     /* bit AXON_REC_* set: that variable is recorded */
    uint32_t rec_interval;  /* sampling interval of v/gsyn in steps (>= 1) */
    const uint32_t *rec_bitmaps; /* AXON_N_REC_VARS bitmaps of ceil(n/32) words, or NULL:
                                   every neuron records the enabled variables */
    const uint32_t *params; /* n_neurons x param_words */
    uint32_t param_words;
    const uint32_t *state;  /* n_neurons x state_words (initial state) */
    uint32_t state_words;
    const uint32_t *mpt;    /* mpt_n x AXON_SYN_MPT_ENTRY_WORDS */
    uint32_t mpt_n;
    const uint32_t *syn;    /* synaptic matrix */
    uint32_t syn_words;
    const uint32_t *src;    /* spike-source events or delay-extension stage masks */
    uint32_t src_words;
    uint32_t seed[4];       /* KISS seed (Poisson cores) */
    const uint32_t *plast;  /* plasticity region (docs/spec/plasticity.md), or NULL */
    uint32_t plast_words;
} axon_core_desc;

/* Lay a core out in memory. *words is malloc'ed (free() it). No validation beyond sizes;
 * axon_image_validate checks the result. */
int axon_core_assemble(const axon_core_desc *d, uint32_t **words, uint32_t *n_words);

/* Helpers for building synaptic words and MPT entries exactly as the spec packs them.
 * delay is 1..AXON_SYN_MAX_CORE_DELAY. */
static inline uint32_t axon_syn_word(uint32_t weight, uint32_t delay, uint32_t type,
                                     uint32_t index)
{
    return (weight & AXON_SYN_WEIGHT_MASK) << AXON_SYN_WEIGHT_LSB |
           ((delay - 1u) & AXON_SYN_DELAY_M1_MASK) << AXON_SYN_DELAY_M1_LSB |
           (type & AXON_SYN_TYPE_MASK) << AXON_SYN_TYPE_LSB |
           (index & AXON_SYN_INDEX_MASK) << AXON_SYN_INDEX_LSB;
}

#ifdef __cplusplus
}
#endif
#endif
