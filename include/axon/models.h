/* Cell types: PyNN names, parameters, units, defaults, and the one conversion from PyNN
 * units to the fixed-point parameter and state blocks of docs/spec/models.md. The host
 * library, the CLI and the tests all convert through these functions, so the rounding is
 * the same everywhere. */
#ifndef AXON_MODELS_H
#define AXON_MODELS_H

#include <stdint.h>

#include "axon/error.h"
#include "axon_spec.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct axon_param_info {
    const char *name;   /* PyNN name, e.g. "tau_m" */
    const char *unit;   /* "ms", "mV", "nA", "uS", "nF", "Hz", "" */
    double def;         /* PyNN default */
} axon_param_info;

typedef struct axon_model_info {
    const char *name;               /* PyNN cell type name */
    uint32_t id;                    /* AXON_MODEL_*; 0 for spike sources */
    uint32_t kind;                  /* AXON_KIND_NEURON / SOURCE_ARRAY / SOURCE_POISSON */
    uint32_t param_words, state_words; /* sizes of the per-neuron blocks */
    const axon_param_info *params;
    uint32_t n_params;
    const axon_param_info *inits;   /* initial values (state variables) */
    uint32_t n_inits;
    int conductance;                /* weights in uS (scaled by AXON_COND_WEIGHT_SCALE) */
    double current_scale;           /* factor from nA to the model's current unit */
    const char *note;               /* how it differs from PyNN's standard model */
} axon_model_info;

/* Every cell type, in a stable order (neuron models, then sources). */
uint32_t axon_model_count(void);
const axon_model_info *axon_model_at(uint32_t i);
const axon_model_info *axon_model_find(const char *name);  /* NULL if unknown */
const axon_model_info *axon_model_by_id(uint32_t id);       /* neuron models only */
int axon_model_param_index(const axon_model_info *m, const char *name); /* -1 if unknown */
int axon_model_init_index(const axon_model_info *m, const char *name);  /* -1 if unknown */

/* Convert one neuron's PyNN parameters (m->n_params values in m->params order) and initial
 * values (m->n_inits, m->inits order) into its parameter block (m->param_words words) and
 * state block (m->state_words words) for timestep dt_ms. Errors name the parameter and
 * value: NaN/inf, non-positive time constant or capacitance, value outside s16.15. */
int axon_model_convert(const axon_model_info *m, const double *params, const double *inits,
                       double dt_ms, uint32_t *param_block, uint32_t *state_block, char *err);

/* SpikeSourcePoisson: rate (Hz), start (ms), duration (ms, may be INFINITY) to the 3-word
 * block of docs/spec/sources.md. Rejects rate < 0 or rate*dt > AXON_POISSON_MAX_LAMBDA. */
int axon_poisson_convert(double rate_hz, double start_ms, double duration_ms, double dt_ms,
                         uint32_t block[AXON_P_POISSON_WORDS], char *err);

/* A time in ms to a timestep index: round(t / dt) (ties away from zero). */
int64_t axon_time_to_step(double t_ms, double dt_ms);

/* Integer weight for the ring buffer: round(|w| * scale * 2^(15 - shift)), where scale is
 * AXON_COND_WEIGHT_SCALE for conductance models and m->current_scale otherwise. Returns
 * AXON_ERR_RANGE if it exceeds 0xFFFF. */
int axon_weight_to_fixed(double w_abs_scaled, uint32_t shift, uint32_t *out);

#ifdef __cplusplus
}
#endif
#endif
