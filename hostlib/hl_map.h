/* Internal: the mapping's data structures (map.c, compress.c, run.c). */
#ifndef AXON_HL_MAP_H
#define AXON_HL_MAP_H

#include "hl_ctx.h"

typedef struct hl_slice {
    uint32_t pop, lo, n; /* neurons lo .. lo+n-1 of population pop */
    uint32_t gid;        /* core */
    int32_t de;          /* delay-extension core, -1 none (0 during marking: needed) */
} hl_slice;

/* synapses arriving at a core from one source (a slice, or one stage of its delay ext.) */
typedef struct hl_in {
    uint32_t src_slice, stage;
    uint32_t key, mask;  /* population-table entry */
    uint32_t n_rows, stride, row_base;
    uint32_t *count;     /* synapses per row (then write cursors) */
    int32_t rule;        /* plasticity rule slot of the core, -1 static, -2 not yet known */
    uint32_t proj;       /* first projection that uses the entry (for messages) */
} hl_in;

typedef struct hl_mcore {
    int32_t slice;       /* -1: unused */
    int is_de;
    uint32_t key, span;  /* emitted keys key .. key+span-1 */
    uint32_t n_dest;     /* destination cores (0: the core does not emit) */
    hl_in *in;
    uint32_t n_in;
    uint32_t *syn, syn_words;
    uint32_t shift[AXON_SYN_N_TYPES];
    double max_w[AXON_SYN_N_TYPES], min_w[AXON_SYN_N_TYPES];
    double *mean;        /* weight statistics during mapping */
    uint32_t *masks;     /* delay extension: stage masks */
    uint32_t rec_interval;
    uint32_t n_rules;    /* plasticity rules: the projection defining each */
    uint32_t rule_proj[AXON_PLAST_MAX_RULES];
} hl_mcore;

typedef struct hl_table {
    axon_route_entry *e;
    uint32_t n, cap;
    uint32_t before;     /* entries before default-route removal and compression */
    uint32_t defaulted;  /* entries left to default routing */
    axon_route_entry *keep; /* key ranges default-routed through this chip */
    axon_route_entry *orig; /* the table before compression (kept for verification) */
    uint32_t n_orig;
    uint32_t n_keep, cap_keep;
} hl_table;

struct hl_map {
    uint32_t w, h, cpc, n_chips, n_cores, used_cores;
    hl_slice *slices;
    uint32_t n_slices;
    uint32_t *pop_first;  /* first slice of each population (+ sentinel) */
    uint32_t *slice_of;   /* slice of every neuron, indexed by population offset + index */
    uint64_t pop_offset_total;
    hl_mcore *cores;
    hl_table *tables;
    uint64_t *ht_key;
    uint32_t *ht_val;
    uint64_t ht_cap, ht_n, cache_key;
    uint32_t cache_val;
    uint64_t synapses, max_words, total_words;
    uint32_t **ploc;      /* per projection, plastic ones: (core gid, matrix word) per
                             connection, where its learned weight lives */
    uint32_t n_ploc;
    double **learned;     /* per plastic projection: weights saved when the backend ended */
    int routes_only;      /* tables only: no synaptic matrices, no image */
    double compress_s;    /* wall time of table compression and its verification */
};

/* compress.c: compress every chip's table (and verify it routes every key as before) */
int hl_compress_tables(axon_ctx *ctx, hl_map *m);
/* Compress one table in place (entries with equal routes merged when no key of another
 * route, nor a default-routed key, is captured). keep_out: key ranges that must stay
 * unmatched (default-routed through this chip), n_keep pairs (key, mask). */
int hl_compress_one(axon_route_entry *e, uint32_t *n, const axon_route_entry *keep_out,
                    uint32_t n_keep);
/* 1 if both tables give every key in [key, key | ~mask] of the listed ranges the same
 * route (or both no match). */
int hl_tables_equivalent(const axon_route_entry *a, uint32_t na, const axon_route_entry *b,
                         uint32_t nb, const axon_route_entry *ranges, uint32_t n_ranges);

#endif
