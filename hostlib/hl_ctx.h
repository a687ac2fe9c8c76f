/* Internal: the context and the network model of the host library. */
#ifndef AXON_HL_CTX_H
#define AXON_HL_CTX_H

#include "axon/axon.h"
#include "axon/engine.h"
#include "axon/image.h"
#include "hl_connect.h"

#include <gsl/gsl_rng.h>

#define HL_NVARS 4 /* spikes, v, gsyn_exc, gsyn_inh (AXON_REC_*) */

typedef struct hl_signal {
    uint32_t n_rec;     /* recorded neurons (ascending indices in idx) */
    uint32_t *idx;
    uint32_t n_samples;
    uint32_t row0;      /* absolute sample number of values[0] (rows streamed out before) */
    size_t cap;         /* in samples */
    double *values;     /* n_samples x n_rec */
} hl_signal;

typedef struct hl_pop {
    char *label;
    const axon_model_info *m;
    uint32_t n;
    double *params;        /* n x m->n_params, PyNN units */
    double *inits;         /* n x m->n_inits */
    double *pos;           /* 3 x n */
    double **spike_times;  /* SpikeSourceArray: per neuron, ms */
    size_t *n_spike_times;
    uint8_t *rec[HL_NVARS]; /* per neuron selection */
    uint32_t interval[HL_NVARS]; /* sampling interval in steps */
    /* results since the last reset */
    size_t n_spikes, cap_spikes;
    uint32_t *spk_neuron;
    uint32_t *spk_step;
    hl_signal sig[HL_NVARS];
    uint64_t first_neuron; /* offset of neuron 0 in the mapping's global numbering */
    uint64_t spikes_total; /* since the last reset, including streamed-out spikes */
    uint64_t saturations;  /* ring-buffer saturations of its cores (update_stats) */
    uint64_t sat_warned;   /* saturations already reported in a warning */
    size_t h5_spikes_done; /* spikes already streamed */
    uint32_t h5_rows_done[HL_NVARS];
} hl_pop;

typedef struct hl_proj {
    axon_pop pre, post;
    uint32_t type;         /* AXON_SYN_TYPE_EXC / INH */
    char *label;
    int sign;              /* -1: the user gave (inhibitory) weights as negative numbers */
    hl_conns c;            /* pre/post: absolute indices in their populations */
    int plastic;           /* STDP: stdp holds the mechanism */
    axon_stdp stdp;
    /* routes only (axon_set_routes_only): c is empty; ro_pairs lists, sorted, every
     * (source id << 32 | target slice) the connections made, source id = slice * 9 + delay
     * stage as the mapping numbers them, for slices of ro_npc neurons per core */
    int ro;
    uint64_t *ro_pairs;
    size_t ro_n;
    uint64_t ro_synapses;
    uint32_t ro_npc;
} hl_proj;

typedef struct hl_map hl_map;

typedef struct hl_backend {
    const char *name;
    /* threads (ref) and trace_path (emu) come from the context */
    int (*load)(void **st, axon_image *img, const struct axon_ctx *ctx, char *err);
    int (*run)(void *st, uint32_t steps, char *err);
    int (*recording)(void *st, uint32_t x, uint32_t y, uint32_t c, const uint32_t **w,
                     size_t *n);
    int (*drain)(void *st, uint32_t x, uint32_t y, uint32_t c);
    int (*core_counters)(void *st, uint32_t x, uint32_t y, uint32_t c, uint64_t *out);
    int (*router_counters)(void *st, uint32_t x, uint32_t y, uint64_t *out);
    int (*reset)(void *st, char *err);
    void (*destroy)(void *st);
    /* current weight (ring-buffer units) of word off of a core's synaptic matrix (plastic
     * synapses); NULL if the backend cannot read it */
    int (*syn_weight)(void *st, uint32_t x, uint32_t y, uint32_t c, uint32_t off, double *w);
} hl_backend;

struct axon_ctx {
    char err[AXON_ERRMSG_LEN];
    int set_up;
    double dt, min_delay, max_delay;
    uint64_t seed;
    gsl_rng *rng;
    axon_machine_opts mo;
    int routes_only;       /* axon_set_routes_only: new projections keep slice pairs only */
    const hl_backend *backend;
    hl_pop *pops;
    uint32_t n_pops, cap_pops;
    hl_proj *projs;
    uint32_t n_projs, cap_projs;
    uint32_t **views;      /* index arrays owned for views */
    uint32_t n_views;
    /* mapped state */
    hl_map *map;
    axon_image *img;
    void *be;              /* backend state */
    uint32_t step;
    axon_run_stats stats;
    axon_mapping_report report;
    axon_progress_fn progress;
    void *progress_user;
    char *warnings;        /* mapping warnings, newline separated */
    /* streaming output */
    char *out_path;
    char *trace_path;      /* emu backend: FST waveform file (axon_set_trace) */
    int out_keep;
    struct hl_h5 *h5;
};

/* The weight-shift estimate's assumptions (axon_machine_opts; 0 selects the default). */
static inline double hl_spikes_per_second(const axon_ctx *ctx)
{
    return ctx->mo.spikes_per_second > 0 ? ctx->mo.spikes_per_second : 30.0;
}
static inline double hl_ring_sigma(const axon_ctx *ctx)
{
    return ctx->mo.ring_buffer_sigma > 0 ? ctx->mo.ring_buffer_sigma : 5.0;
}

/* output.c: stream the results collected since the last call; finish the stream */
int hl_stream_chunk(axon_ctx *ctx);
int hl_stream_finish(axon_ctx *ctx, int truncated);

/* error helper: formats into ctx->err and returns status */
int hl_err(axon_ctx *ctx, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* drop the mapping and backend (network changed or setup/reset) */
void hl_unmap(axon_ctx *ctx);
void hl_warn(axon_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* AXON_REC_* index of a recordable variable name ("spikes", "v", ...), -1 if none */
int hl_var_index(const char *name);

/* map.c */
/* Neurons lo .. hi-1 form slice s of a population of n neurons cut into slices of at most
 * npc (balanced: sizes differ by at most one); the number of slices is returned by
 * hl_slice_count. */
uint32_t hl_slice_count(uint32_t n, uint32_t npc);
void hl_slice_bounds(uint32_t n, uint32_t npc, uint32_t s, uint32_t *lo, uint32_t *hi);
/* delay in steps (at least 1) and its delay-extension stage (0: on the core itself) */
uint32_t hl_delay_steps(const axon_ctx *ctx, double d);
uint32_t hl_delay_stage(uint32_t steps);
/* neurons per core the mapping uses */
uint32_t hl_neurons_per_core(const axon_ctx *ctx);
/* routes only: replace the projection's connections by its slice pairs (hl_proj.ro_pairs) */
int hl_routes_reduce(axon_ctx *ctx, hl_proj *pj);
/* learned weights of plastic projection proj (first m connections, PyNN units with sign)
 * read from the backend */
int hl_plastic_weights(axon_ctx *ctx, axon_proj proj, double *w, size_t m);
/* keep the learned weights readable after the backend is released (axon_end) */
void hl_plastic_snapshot(axon_ctx *ctx);
void hl_plastic_forget(axon_ctx *ctx);
int hl_map_network(axon_ctx *ctx);
void hl_map_free(hl_map *m);
/* decode every core's recording into the populations' results */
int hl_collect(axon_ctx *ctx);

extern const hl_backend hl_backend_ref;
/* be_usb.c: a board over libusb, or the same protocol to an in-process board model */
extern const hl_backend hl_backend_usb;
extern const hl_backend hl_backend_usb_direct;
#ifdef AXON_HAVE_EMU
extern const hl_backend hl_backend_emu; /* be_emu.c */
#endif

#endif
