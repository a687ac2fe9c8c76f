/* Internal: connector generators and synaptic value evaluation (docs/hostlib.md#connectors).
 * Indices are positions within the pre and post views (0..n_pre-1, 0..n_post-1). */
#ifndef AXON_HL_CONNECT_H
#define AXON_HL_CONNECT_H

#include "axon/axon.h"
#include "hl_space.h"

#include <gsl/gsl_rng.h>

typedef struct hl_conns {
    size_t n, cap;
    uint32_t *pre, *post;
    double *w, *d;      /* filled by hl_conn_values, or by FROM_LIST/FROM_FILE columns */
    int has_w, has_d;   /* the connector supplied weights / delays */
} hl_conns;

typedef struct hl_conn_in {
    const axon_connector *c;
    uint32_t n_pre, n_post;
    const uint32_t *pre_abs, *post_abs; /* absolute indices in their populations */
    int same_pop;                       /* pre and post views share a population */
    const double *pre_pos, *post_pos;   /* 3 x n_pre, 3 x n_post (view order) */
    const hl_space *space;
    gsl_rng *rng;
} hl_conn_in;

/* Generate the connections with PyNN's semantics (allow_self_connections compares the
 * absolute indices when same_pop). Output sorted by (pre, post) except FROM_LIST/FILE,
 * which keep the list's order. */
int hl_connect(const hl_conn_in *in, hl_conns *out, char *err);

/* Evaluate a weight or delay value for every connection into out[0..conns->n-1]:
 * CONST, ARRAY (n_pre x n_post row-major, or one per connection when v->n == conns->n),
 * RANDOM (one draw per connection, in connection order), EXPR of the distance d. */
int hl_conn_values(const axon_value *v, const hl_conn_in *in, const hl_conns *conns,
                   double *out, const char *what, char *err);

void hl_conns_free(hl_conns *c);

/* PyNN's defaults for a connector kind: allow_self_connections = 1, with_replacement = 1 for
 * FIXED_TOTAL_NUMBER and 0 otherwise, everything else zero (axon_connector_default can
 * return this). */
axon_connector hl_connector_default(axon_connector_kind kind);

#endif
