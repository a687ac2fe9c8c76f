/* Internal: the HDF5 results file in an NWB-compatible layout, written as a stream
 * (docs/hostlib.md#hdf5). The host library calls begin once, then appends each run chunk's
 * spikes and samples, then finish; a file whose run failed is finished with truncated = 1
 * and keeps everything appended before the failure. */
#ifndef AXON_HL_H5_H
#define AXON_HL_H5_H

#include "axon/axon.h"

typedef struct hl_h5 hl_h5;

typedef struct hl_h5_pop {
    const char *label;
    const char *celltype;
    uint32_t size;
    const double *positions;        /* 3 x size */
    /* recording: per variable (0 spikes, 1 v, 2 gsyn_exc, 3 gsyn_inh) */
    int recorded[4];
    uint32_t n_rec[4];              /* neurons recorded for the variable */
    const uint32_t *rec_idx[4];     /* their indices, ascending */
    double interval_ms[4];          /* sampling interval (variables 1..3) */
    const char *units[4];           /* "", "mV", "nA" or "uS", ... */
} hl_h5_pop;

typedef struct hl_h5_meta {
    double dt_ms;
    uint64_t seed;
    const char *backend;            /* "ref", "emu", "usb" */
    const char *axon_version;       /* e.g. "0.1.0" */
    uint32_t spec_version;          /* AXON_SPEC_VERSION */
    const char *network_summary;    /* free text (JSON) describing populations/projections */
    uint32_t n_pops;
    const hl_h5_pop *pops;
} hl_h5_meta;

int hl_h5_begin(hl_h5 **out, const char *path, const hl_h5_meta *meta, char *err);
/* Spikes of population pop from one chunk: n (neuron, time ms) pairs in any order. */
int hl_h5_spikes(hl_h5 *h, uint32_t pop, const uint32_t *neuron, const double *t_ms, size_t n,
                 char *err);
/* Samples of one variable (1 v, 2 gsyn_exc, 3 gsyn_inh): n_samples rows of n_rec values,
 * continuing the time series. */
int hl_h5_signal(hl_h5 *h, uint32_t pop, int var, const double *values, uint32_t n_samples,
                 char *err);
/* Connections of a projection (learned weights of a plastic one) under
 * /general/axon/projections/<label>/{pre, post, weight, delay}. */
int hl_h5_weights(hl_h5 *h, const char *label, size_t n, const uint32_t *pre,
                  const uint32_t *post, const double *w, const double *d, char *err);
/* Write /units (spikes grouped per neuron), counters, mapping statistics and close.
 * counters: names/values pairs. Frees h in every case. */
int hl_h5_finish(hl_h5 *h, const axon_run_stats *stats, const axon_mapping_report *map,
                 const char *const *counter_names, const uint64_t *counter_values,
                 uint32_t n_counters, int truncated, char *err);

#endif
