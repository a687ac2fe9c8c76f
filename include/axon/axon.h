/* Axon host library: a PyNN-equivalent C API (docs/hostlib.md).
 *
 * A context holds the settings, the network (populations, projections, recording
 * selections), the random generator and the results. Networks are described as in PyNN and
 * mapped onto a machine image when run; results come back in PyNN units.
 *
 * Conventions: every call returns AXON_OK or a negative axon_status; the context keeps a
 * message naming the item and value at fault (axon_last_error), and stays usable after an
 * error. Handles (populations, projections) are small integers valid for the context's
 * life. Times in ms, voltages in mV, currents in nA, conductances in uS, capacitance in nF. */
#ifndef AXON_AXON_H
#define AXON_AXON_H

#include <stddef.h>
#include <stdint.h>

#include "axon/error.h"
#include "axon/models.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct axon_ctx axon_ctx;

/* ------------------------------------------------------------------ context */
int axon_create(axon_ctx **out);
void axon_destroy(axon_ctx *ctx);
const char *axon_last_error(const axon_ctx *ctx);

/* PyNN setup(): timestep (ms), min and max delay (ms; max <= 144 timesteps). Clears the
 * network. seed feeds every random draw (connectors, distributions, Poisson seeds). */
int axon_setup(axon_ctx *ctx, double timestep_ms, double min_delay_ms, double max_delay_ms,
               uint64_t seed);
double axon_timestep(const axon_ctx *ctx);
uint64_t axon_seed(const axon_ctx *ctx);

/* Machine and mapping options (before the first run). 0 = automatic. */
typedef struct axon_machine_opts {
    uint32_t width, height;       /* chips; 0: smallest square-ish mesh that fits */
    uint32_t cores_per_chip;      /* 0: 16 */
    uint32_t neurons_per_core;    /* 0: 256 (max AXON_CORE_MAX_NEURONS) */
    int wrap;                     /* hexagonal torus */
    unsigned threads;             /* host threads for the ref backend; 0: 1 */
    /* Weight-shift estimate (as sPyNNaker's options of the same names): the ring buffers
     * are scaled to hold the expected input of a neuron per step plus ring_buffer_sigma
     * standard deviations, assuming every neuron and spike array fires at
     * spikes_per_second (Poisson sources at their rate). 0: defaults 30 Hz and 5. */
    double spikes_per_second;
    double ring_buffer_sigma;
} axon_machine_opts;
int axon_set_machine(axon_ctx *ctx, const axon_machine_opts *opts);
/* Host threads of the ref backend only (1..64), keeping the other machine options. */
int axon_set_threads(axon_ctx *ctx, unsigned threads);
/* Backend: "ref" (golden engine, default), "emu" (Verilator emulator), "usb" (board). */
int axon_set_backend(axon_ctx *ctx, const char *name);
/* emu backend: write an FST waveform of every core to path (GTKWave); NULL: no trace. Takes
 * effect at the next load (a loaded backend is released, so call it before run). */
int axon_set_trace(axon_ctx *ctx, const char *path);

/* run(ms): maps the network on the first call, then advances; callable repeatedly. */
int axon_run(axon_ctx *ctx, double ms);
/* Simulation time reached (ms). */
double axon_time(const axon_ctx *ctx);
/* reset(): back to t = 0 with the initial values; recorded data is discarded. */
int axon_reset(axon_ctx *ctx);
/* end(): releases the backend (results stay readable). */
int axon_end(axon_ctx *ctx);

/* Progress callback during runs (fraction done 0..1, elapsed wall seconds). */
typedef void (*axon_progress_fn)(void *user, double fraction, double elapsed_s);
void axon_set_progress(axon_ctx *ctx, axon_progress_fn fn, void *user);

/* ------------------------------------------------------------------ values */
/* A random distribution with PyNN's names and parameters (docs/hostlib.md):
 * uniform(low, high), uniform_int(low, high), normal(mu, sigma),
 * normal_clipped(mu, sigma, low, high), normal_clipped_to_boundary(mu, sigma, low, high),
 * exponential(beta), lognormal(mu, sigma), gamma(k, theta), poisson(lambda_),
 * binomial(n, p), vonmises(mu, kappa). */
typedef struct axon_dist {
    const char *name;
    double p[4];
    uint32_t n_p;
} axon_dist;

typedef enum axon_value_kind {
    AXON_VALUE_CONST = 0,
    AXON_VALUE_ARRAY = 1, /* one value per neuron (or per connection) */
    AXON_VALUE_RANDOM = 2,
    AXON_VALUE_EXPR = 3   /* expression of the distance d (connections only) */
} axon_value_kind;

typedef struct axon_value {
    axon_value_kind kind;
    double c;
    const double *array;
    size_t n;
    axon_dist dist;
    const char *expr;
} axon_value;

static inline axon_value axon_const(double c)
{
    axon_value v = {AXON_VALUE_CONST, c, NULL, 0, {NULL, {0, 0, 0, 0}, 0}, NULL};
    return v;
}

/* Draw n values of a distribution from the context's generator (for users and tests). */
int axon_random(axon_ctx *ctx, const axon_dist *d, double *out, size_t n);

/* ------------------------------------------------------------------ structures */
typedef enum axon_structure_kind {
    AXON_STRUCT_NONE = 0, /* positions (i, 0, 0) */
    AXON_STRUCT_LINE,     /* p: dx, x0, y, z */
    AXON_STRUCT_GRID2D,   /* p: aspect_ratio, dx, dy, x0, y0, z; fill_random */
    AXON_STRUCT_GRID3D,   /* p: aspect_ratioXY, aspect_ratioXZ, dx, dy, dz, x0, y0, z0 */
    AXON_STRUCT_RANDOM_SPHERE, /* p: radius, origin x, y, z */
    AXON_STRUCT_RANDOM_CUBOID  /* p: width, height, depth, origin x, y, z */
} axon_structure_kind;

typedef struct axon_structure {
    axon_structure_kind kind;
    double p[8];
    int fill_random; /* Grid2D/3D fill_order="random" */
} axon_structure;

/* Distances between positions: axes "x", "y", "z", "xy", "xz", "yz" or "xyz"; periodic
 * boundaries per axis (0: none). */
typedef struct axon_space {
    const char *axes;
    double periodic[3];
} axon_space;

/* ------------------------------------------------------------------ populations */
typedef int32_t axon_pop;
typedef int32_t axon_proj;

int axon_population(axon_ctx *ctx, uint32_t size, const char *celltype, const char *label,
                    const axon_structure *structure, axon_pop *out);
int axon_pop_set(axon_ctx *ctx, axon_pop pop, const char *param, const axon_value *v);
int axon_pop_initialize(axon_ctx *ctx, axon_pop pop, const char *var, const axon_value *v);
/* Current value of a parameter or initial value for each neuron (n = size). */
int axon_pop_get(axon_ctx *ctx, axon_pop pop, const char *name, double *out);
/* SpikeSourceArray: the spike times (ms) of one neuron, or of all when neuron = -1. */
int axon_pop_set_spike_times(axon_ctx *ctx, axon_pop pop, int32_t neuron, const double *t_ms,
                             size_t n);
/* Positions are neuron-major: xyz[3 * i + k] is coordinate k (x, y, z) of neuron i. */
int axon_pop_positions(axon_ctx *ctx, axon_pop pop, double *xyz /* 3 x size */);
/* Replace the positions (PyNN's `population.positions = ...`; used by distance-dependent
 * connectors and values of later projections). Values must be finite. */
int axon_pop_set_positions(axon_ctx *ctx, axon_pop pop, const double *xyz /* 3 x size */);
uint32_t axon_pop_size(const axon_ctx *ctx, axon_pop pop);
const char *axon_pop_label(const axon_ctx *ctx, axon_pop pop);
const axon_model_info *axon_pop_celltype(const axon_ctx *ctx, axon_pop pop);
int axon_pop_find(const axon_ctx *ctx, const char *label, axon_pop *out);
uint32_t axon_pop_count(const axon_ctx *ctx);

/* ------------------------------------------------------------------ views */
/* A view is a population plus a sorted list of neuron indices. Views are owned by the
 * context and freed with it. */
typedef struct axon_view {
    axon_pop pop;
    uint32_t n;
    const uint32_t *idx; /* NULL: the whole population (0..size-1) */
} axon_view;

axon_view axon_whole(const axon_ctx *ctx, axon_pop pop);
/* Python-style slice [start:stop:step] (negative indices from the end). */
int axon_view_slice(axon_ctx *ctx, axon_pop pop, int64_t start, int64_t stop, int64_t step,
                    axon_view *out);
int axon_view_indices(axon_ctx *ctx, axon_pop pop, const uint32_t *idx, uint32_t n,
                      axon_view *out);
/* n distinct neurons drawn with the context's generator (PyNN sample()). */
int axon_view_sample(axon_ctx *ctx, axon_pop pop, uint32_t n, axon_view *out);

/* ------------------------------------------------------------------ recording */
/* variable: "spikes", "v", "gsyn_exc", "gsyn_inh"; sampling_interval_ms 0: every step. */
int axon_record(axon_ctx *ctx, const axon_view *view, const char *variable,
                double sampling_interval_ms);
/* Number of neurons of the population that record the variable (0: not recorded). */
uint32_t axon_recorded_count(const axon_ctx *ctx, axon_pop pop, const char *variable);

/* ------------------------------------------------------------------ projections */
typedef enum axon_connector_kind {
    AXON_CONN_ALL_TO_ALL = 0,
    AXON_CONN_ONE_TO_ONE,
    AXON_CONN_FIXED_PROBABILITY,      /* p */
    AXON_CONN_DISTANCE_PROBABILITY,   /* expr: probability as a function of d */
    AXON_CONN_FIXED_NUMBER_PRE,       /* n per postsynaptic neuron */
    AXON_CONN_FIXED_NUMBER_POST,      /* n per presynaptic neuron */
    AXON_CONN_FIXED_TOTAL_NUMBER,     /* n in all */
    AXON_CONN_SMALL_WORLD,            /* degree (distance), rewiring probability */
    AXON_CONN_FROM_LIST,              /* list rows: i, j[, weight, delay] */
    AXON_CONN_FROM_FILE,              /* file in PyNN's text format */
    AXON_CONN_ARRAY                   /* boolean matrix pre x post (row-major) */
} axon_connector_kind;

typedef struct axon_connector {
    axon_connector_kind kind;
    double p;                 /* probability; rewiring for SMALL_WORLD */
    double degree;            /* SMALL_WORLD: connect within this distance */
    uint64_t n;               /* FIXED_NUMBER_*, FIXED_TOTAL_NUMBER */
    int allow_self_connections;  /* PyNN default: 1 */
    int with_replacement;     /* FIXED_NUMBER_*: default 0; FIXED_TOTAL_NUMBER: default 1 */
    const char *expr;         /* DISTANCE_PROBABILITY */
    const double *list;       /* FROM_LIST: n_rows x n_cols */
    size_t n_rows;
    uint32_t n_cols;          /* 2, 3 (weight) or 4 (weight, delay) */
    const char *path;         /* FROM_FILE */
    const uint8_t *matrix;    /* ARRAY */
} axon_connector;

/* Defaults of PyNN (allow_self_connections = 1, with_replacement as documented above). */
axon_connector axon_connector_default(axon_connector_kind kind);

/* Spike-timing-dependent plasticity: PyNN's STDPMechanism (docs/spec/plasticity.md).
 * timing: SpikePairRule (AXON_STDP_PAIR) or SpikeNearestPairRule (AXON_STDP_NEAREST_PAIR),
 * with tau_plus, tau_minus (ms), A_plus, A_minus; weight dependence Additive
 * (dw = A w_max trace) or Multiplicative (dw = A (w_max - w) trace up, A (w - w_min) trace
 * down) with w_min, w_max in the weight's units (positive magnitudes).
 * dendritic_delay_fraction: only 1.0 (PyNN's default; all of the delay is dendritic, as in
 * sPyNNaker) is supported. */
typedef enum axon_stdp_timing { AXON_STDP_PAIR = 0, AXON_STDP_NEAREST_PAIR = 1 } axon_stdp_timing;
typedef enum axon_stdp_weight {
    AXON_STDP_ADDITIVE = 0,
    AXON_STDP_MULTIPLICATIVE = 1
} axon_stdp_weight;

typedef struct axon_stdp {
    axon_stdp_timing timing;
    double tau_plus, tau_minus, A_plus, A_minus;
    axon_stdp_weight weight;
    double w_min, w_max;
    double dendritic_delay_fraction;
} axon_stdp;

/* PyNN's defaults: SpikePairRule(tau_plus=20, tau_minus=20, A_plus=0.01, A_minus=0.01),
 * AdditiveWeightDependence(w_min=0, w_max=1), dendritic_delay_fraction=1. */
axon_stdp axon_stdp_default(void);

typedef struct axon_synapse {
    axon_value weight; /* nA for current models, uS for conductance, mV for IF_curr_delta */
    axon_value delay;  /* ms */
} axon_synapse;

/* receptor: "excitatory" or "inhibitory". space may be NULL (axes xyz, no periodicity). */
int axon_projection(axon_ctx *ctx, const axon_view *pre, const axon_view *post,
                    const axon_connector *conn, const axon_synapse *syn, const char *receptor,
                    const axon_space *space, const char *label, axon_proj *out);
/* The realised connections: n (may be NULL), and if arrays are non-NULL, up to cap rows of
 * presynaptic index, postsynaptic index (within the populations), weight and delay. */
int axon_proj_connections(axon_ctx *ctx, axon_proj proj, size_t *n, uint32_t *pre,
                          uint32_t *post, double *weight, double *delay, size_t cap);
/* For plastic projections the weights are the learned ones: read from the machine after a
 * run (they persist across runs; axon_reset restores the initial ones). */

/* Make a projection plastic (PyNN: synapse_type=STDPMechanism(...)); the mechanism is
 * copied. Synapses of one presynaptic population onto one postsynaptic core must all be
 * static or all follow the same rule (docs/spec/plasticity.md). */
int axon_proj_set_stdp(axon_ctx *ctx, axon_proj proj, const axon_stdp *stdp);
/* 1 if the projection is plastic. */
int axon_proj_is_plastic(const axon_ctx *ctx, axon_proj proj);
/* Write the connections in PyNN's text format (FromFileConnector reads it). */
int axon_proj_save(axon_ctx *ctx, axon_proj proj, const char *path);
uint32_t axon_proj_count(const axon_ctx *ctx);

/* ------------------------------------------------------------------ results */
/* Spikes of a population since the last reset: n spikes as (neuron, time ms) pairs sorted
 * by neuron then time. Arrays may be NULL to query n. */
int axon_get_spikes(axon_ctx *ctx, axon_pop pop, size_t *n, uint32_t *neuron, double *t_ms,
                    size_t cap);
/* A sampled variable ("v", "gsyn_exc", "gsyn_inh"): n_neurons recorded neurons (their
 * indices in idx), n_samples samples every interval_ms from t = 0; values row-major
 * [sample][neuron]. Arrays may be NULL to query the sizes. */
int axon_get_signal(axon_ctx *ctx, axon_pop pop, const char *variable, uint32_t *n_neurons,
                    uint32_t *n_samples, double *interval_ms, uint32_t *idx, double *values);

typedef struct axon_run_stats {
    double sim_time_ms;
    double wall_map_s, wall_load_s, wall_run_s;
    uint64_t spikes; /* spike packets sent (neurons without targets send none) */
    uint64_t synaptic_events, saturations, dropped_packets, late_packets, mpt_misses;
} axon_run_stats;
int axon_stats(axon_ctx *ctx, axon_run_stats *out);

/* ------------------------------------------------------------------ mapping report */
typedef struct axon_mapping_report {
    uint32_t chips_x, chips_y, cores_used, cores_per_chip;
    uint64_t neurons, synapses;
    uint32_t max_table_before, max_table_after; /* routing entries per chip */
    uint64_t table_entries_before, table_entries_after;
    uint64_t max_core_words, total_words;
    uint32_t delay_extension_cores;
    double map_seconds;
} axon_mapping_report;
/* Maps the network (if not yet mapped) and reports. */
int axon_describe(axon_ctx *ctx, axon_mapping_report *out);
/* The machine image of the mapped network (maps it if needed); owned by the context,
 * valid until the network changes. Save it with axon_image_save. */
struct axon_image *axon_machine_image(axon_ctx *ctx);
/* Routing-table study (docs/hostlib.md#routes-only): with on = 1 (only before the first
 * projection), every projection is generated as usual (same random draws) but keeps only
 * which (source slice, delay stage) reaches which target slice, for the neurons_per_core set
 * now; the connections themselves are dropped. Mapping then builds the routing tables the
 * full mapping would build, without synaptic matrices or image: axon_describe and
 * axon_describe_tables work, run and axon_machine_image refuse (AXON_ERR_STATE), and
 * compressed tables over 1024 entries are reported rather than refused. */
int axon_set_routes_only(axon_ctx *ctx, int on);
typedef struct axon_table_report {
    uint32_t chips;                    /* chips of the machine */
    uint32_t max_before, max_after;    /* entries of the largest table, before/after compression */
    double mean_before, mean_after;    /* entries per chip, over every chip of the machine */
    uint32_t over_capacity;            /* chips whose compressed table exceeds 1024 entries */
    double compress_seconds;           /* table compression and its verification by replay */
    int routes_only;                   /* mapped by axon_set_routes_only */
} axon_table_report;
/* Maps the network (if not yet mapped) and reports its routing tables. */
int axon_describe_tables(axon_ctx *ctx, axon_table_report *out);
/* Text version of the report (caller frees). */
char *axon_describe_text(axon_ctx *ctx);

/* ------------------------------------------------------------------ output */
/* Write every recorded population, the network summary, mapping statistics, counters and
 * provenance to an HDF5 file in an NWB-compatible layout (docs/hostlib_hdf5.md), from the
 * results held in memory. */
int axon_write_hdf5(axon_ctx *ctx, const char *path);
/* Stream results to an HDF5 file while running (chunked, extendible datasets): the file is
 * created by the next run and finished by axon_end(), axon_reset() or axon_destroy(). With
 * keep_in_memory = 0 the results are not kept in the context (long runs); spike counts stay
 * available through axon_spike_count. If a run fails, everything received before the
 * failure is written and the file is marked truncated. */
int axon_set_output(axon_ctx *ctx, const char *path, int keep_in_memory);
/* Spikes recorded so far in a population (also when results are streamed, not kept). */
uint64_t axon_spike_count(const axon_ctx *ctx, axon_pop pop);
/* Mapping warnings (weights losing precision...), newline separated, or "". */
const char *axon_warnings(const axon_ctx *ctx);

#ifdef __cplusplus
}
#endif
#endif
