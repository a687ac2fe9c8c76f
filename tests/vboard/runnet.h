/* Test helper: run a network file on a backend and keep everything comparable (spikes,
 * signals, counters), so backends can be compared bit for bit. */
#ifndef AXON_TEST_RUNNET_H
#define AXON_TEST_RUNNET_H

#include "axon/axon.h"
#include "axon/netfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RN_MAXPOP 8
typedef struct rn_result {
    int rc;
    char err[AXON_ERRMSG_LEN];
    uint32_t n_pops;
    size_t n_spikes[RN_MAXPOP];
    uint32_t *neuron[RN_MAXPOP];
    double *t[RN_MAXPOP];
    uint32_t v_n[RN_MAXPOP], v_s[RN_MAXPOP];
    double *v[RN_MAXPOP];
    axon_run_stats st;
} rn_result;

static inline void rn_free(rn_result *r)
{
    for (uint32_t p = 0; p < RN_MAXPOP; p++) {
        free(r->neuron[p]);
        free(r->t[p]);
        free(r->v[p]);
    }
    memset(r, 0, sizeof *r);
}

/* collect the results held by ctx */
static inline void rn_collect(axon_ctx *ctx, rn_result *r)
{
    for (axon_pop p = 0; p < RN_MAXPOP && axon_pop_label(ctx, p); p++) {
        r->n_pops = (uint32_t)p + 1;
        size_t n = 0;
        axon_get_spikes(ctx, p, &n, NULL, NULL, 0);
        r->n_spikes[p] = n;
        r->neuron[p] = malloc((n ? n : 1) * sizeof(uint32_t));
        r->t[p] = malloc((n ? n : 1) * sizeof(double));
        axon_get_spikes(ctx, p, &n, r->neuron[p], r->t[p], n);
        uint32_t nn = 0, ns = 0;
        if (axon_get_signal(ctx, p, "v", &nn, &ns, NULL, NULL, NULL) == AXON_OK && nn && ns) {
            r->v_n[p] = nn;
            r->v_s[p] = ns;
            uint32_t *idx = malloc(nn * sizeof *idx);
            r->v[p] = malloc((size_t)nn * ns * sizeof(double));
            axon_get_signal(ctx, p, "v", NULL, NULL, NULL, idx, r->v[p]);
            free(idx);
        }
    }
    axon_stats(ctx, &r->st);
}

/* load path, run it (duration ms, or the file's) on backend, collect; out: HDF5 or NULL */
static inline int rn_run(const char *path, const char *backend, double ms, const char *out,
                         rn_result *r)
{
    memset(r, 0, sizeof *r);
    axon_ctx *ctx = NULL;
    axon_netfile_run nr;
    if ((r->rc = axon_create(&ctx)))
        return r->rc;
    if (!(r->rc = axon_load_network(ctx, path, &nr)) &&
        !(r->rc = axon_set_backend(ctx, backend)) &&
        !(r->rc = out ? axon_set_output(ctx, out, 1) : AXON_OK))
        r->rc = axon_run(ctx, ms > 0 ? ms : nr.duration_ms);
    if (r->rc)
        snprintf(r->err, sizeof r->err, "%s", axon_last_error(ctx));
    rn_collect(ctx, r);
    axon_end(ctx);
    axon_destroy(ctx);
    return r->rc;
}

/* 1 if every spike, v sample and counter matches bit for bit */
static inline int rn_equal(const rn_result *a, const rn_result *b, char *why, size_t cap)
{
    if (a->n_pops != b->n_pops)
        return snprintf(why, cap, "population count"), 0;
    for (uint32_t p = 0; p < a->n_pops; p++) {
        if (a->n_spikes[p] != b->n_spikes[p])
            return snprintf(why, cap, "pop %u: %zu vs %zu spikes", p, a->n_spikes[p],
                            b->n_spikes[p]), 0;
        if (memcmp(a->neuron[p], b->neuron[p], a->n_spikes[p] * sizeof(uint32_t)) ||
            memcmp(a->t[p], b->t[p], a->n_spikes[p] * sizeof(double)))
            return snprintf(why, cap, "pop %u: spike lists differ", p), 0;
        if (a->v_n[p] != b->v_n[p] || a->v_s[p] != b->v_s[p] ||
            (a->v[p] && memcmp(a->v[p], b->v[p], (size_t)a->v_n[p] * a->v_s[p] * 8)))
            return snprintf(why, cap, "pop %u: v differs", p), 0;
    }
    if (a->st.spikes != b->st.spikes || a->st.synaptic_events != b->st.synaptic_events ||
        a->st.saturations != b->st.saturations || a->st.dropped_packets != b->st.dropped_packets ||
        a->st.late_packets != b->st.late_packets || a->st.mpt_misses != b->st.mpt_misses)
        return snprintf(why, cap, "counters differ (spikes %llu vs %llu, events %llu vs %llu)",
                        (unsigned long long)a->st.spikes, (unsigned long long)b->st.spikes,
                        (unsigned long long)a->st.synaptic_events,
                        (unsigned long long)b->st.synaptic_events), 0;
    return 1;
}

/* The learned weights of projection 0 of the network file at path after each of `runs`
 * successive runs of ms on backend: *w holds runs x *n weights (free it). */
static inline int rn_learned(const char *path, const char *backend, double ms, int runs,
                             double **w, size_t *n, char *err)
{
    axon_ctx *ctx = NULL;
    int rc = axon_create(&ctx);
    *w = NULL;
    *n = 0;
    if (!rc && !(rc = axon_load_network(ctx, path, NULL)) &&
        !(rc = axon_set_backend(ctx, backend)) &&
        !(rc = axon_proj_connections(ctx, 0, n, NULL, NULL, NULL, NULL, 0)) &&
        !(*w = malloc((size_t)runs * (*n ? *n : 1) * sizeof **w)))
        rc = AXON_ERR_NO_MEMORY;
    for (int r = 0; !rc && r < runs; r++)
        if (!(rc = axon_run(ctx, ms)))
            rc = axon_proj_connections(ctx, 0, NULL, NULL, NULL, *w + (size_t)r * *n, NULL, *n);
    if (rc)
        snprintf(err, AXON_ERRMSG_LEN, "%s: %s", backend, ctx ? axon_last_error(ctx) : "");
    axon_destroy(ctx);
    return rc;
}

/* STDP on backend against ref: the learned weights of projection 0 after each of two runs
 * of ms must equal ref's, and the second run must change some. 1 if so; else 0 and why. */
static inline int rn_learned_as_ref(const char *path, const char *backend, double ms, char *why,
                                    size_t cap)
{
    char err[AXON_ERRMSG_LEN] = "";
    double *a = NULL, *b = NULL;
    size_t na = 0, nb = 0;
    int ok = 0;
    if (rn_learned(path, "ref", ms, 2, &a, &na, err) ||
        rn_learned(path, backend, ms, 2, &b, &nb, err))
        snprintf(why, cap, "%s", err);
    else if (na != nb || !na)
        snprintf(why, cap, "%s: %zu connections, ref %zu", backend, nb, na);
    else if (memcmp(a, b, 2 * na * sizeof *a))
        snprintf(why, cap, "%s: learned weights differ from ref", backend);
    else if (!memcmp(a, a + na, na * sizeof *a))
        snprintf(why, cap, "the second run changed no weight");
    else
        ok = 1;
    free(a);
    free(b);
    return ok;
}

#endif
