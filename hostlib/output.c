/* Results to HDF5: whole-file writes and streaming during runs (docs/hostlib_hdf5.md). */
#include "hl_ctx.h"
#include "hl_h5.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef AXON_VERSION
#define AXON_VERSION "0.1.0"
#endif

static const char *var_unit(const hl_pop *p, int v)
{
    if (v == 0)
        return "";
    if (v == 1 || p->m->id == AXON_MODEL_IF_CURR_DELTA)
        return "mV";
    return p->m->conductance ? "uS" : "nA";
}

/* JSON summary of populations and projections */
static char *summary(const axon_ctx *ctx)
{
    size_t cap = 256 + (size_t)ctx->n_pops * 256 + (size_t)ctx->n_projs * 512, o = 0;
    char *s = malloc(cap);
    if (!s)
        return NULL;
    o += (size_t)snprintf(s + o, cap - o, "{\"populations\": [");
    for (uint32_t i = 0; i < ctx->n_pops; i++)
        o += (size_t)snprintf(s + o, cap - o, "%s{\"label\": \"%s\", \"celltype\": \"%s\", \"size\": %u}",
                              i ? ", " : "", ctx->pops[i].label, ctx->pops[i].m->name, ctx->pops[i].n);
    o += (size_t)snprintf(s + o, cap - o, "], \"projections\": [");
    for (uint32_t i = 0; i < ctx->n_projs; i++) {
        const hl_proj *p = &ctx->projs[i];
        o += (size_t)snprintf(s + o, cap - o,
                              "%s{\"label\": \"%s\", \"pre\": \"%s\", \"post\": \"%s\", "
                              "\"receptor_type\": \"%s\", \"connections\": %zu}",
                              i ? ", " : "", p->label, ctx->pops[p->pre].label,
                              ctx->pops[p->post].label,
                              p->type == AXON_SYN_TYPE_EXC ? "excitatory" : "inhibitory", p->c.n);
    }
    snprintf(s + o, cap - o, "]}");
    return s;
}

typedef struct meta_buf {
    hl_h5_meta meta;
    hl_h5_pop *pops;
    uint32_t **spike_idx; /* per population: neurons recording spikes */
    char *summary;
} meta_buf;

static int build_meta(axon_ctx *ctx, meta_buf *mb)
{
    memset(mb, 0, sizeof *mb);
    mb->pops = calloc(ctx->n_pops ? ctx->n_pops : 1, sizeof *mb->pops);
    mb->spike_idx = calloc(ctx->n_pops ? ctx->n_pops : 1, sizeof *mb->spike_idx);
    mb->summary = summary(ctx);
    mb->meta.n_pops = ctx->n_pops;
    if (!mb->pops || !mb->spike_idx || !mb->summary)
        return hl_err(ctx, AXON_ERR_NO_MEMORY, "output metadata");
    for (uint32_t i = 0; i < ctx->n_pops; i++) {
        const hl_pop *p = &ctx->pops[i];
        hl_h5_pop *q = &mb->pops[i];
        q->label = p->label;
        q->celltype = p->m->name;
        q->size = p->n;
        q->positions = p->pos;
        for (int v = 0; v < HL_NVARS; v++) {
            uint32_t n = 0;
            for (uint32_t k = 0; k < p->n; k++)
                n += p->rec[v][k];
            q->recorded[v] = n > 0;
            q->n_rec[v] = v ? p->sig[v].n_rec : n;
            q->rec_idx[v] = v ? p->sig[v].idx : NULL;
            if (v == 0 && n) {
                uint32_t *idx = mb->spike_idx[i] = malloc(sizeof *idx * n);
                if (!idx)
                    return hl_err(ctx, AXON_ERR_NO_MEMORY, "output metadata");
                for (uint32_t k = 0, j = 0; k < p->n; k++)
                    if (p->rec[0][k])
                        idx[j++] = k;
                q->rec_idx[0] = idx;
            }
            q->interval_ms[v] = p->interval[v] * ctx->dt;
            q->units[v] = var_unit(p, v);
        }
    }
    mb->meta.dt_ms = ctx->dt;
    mb->meta.seed = ctx->seed;
    mb->meta.backend = ctx->backend->name;
    mb->meta.axon_version = AXON_VERSION;
    mb->meta.spec_version = AXON_SPEC_VERSION;
    mb->meta.network_summary = mb->summary;
    mb->meta.n_pops = ctx->n_pops;
    mb->meta.pops = mb->pops;
    return AXON_OK;
}

static void free_meta(meta_buf *mb)
{
    for (uint32_t i = 0; mb->spike_idx && i < mb->meta.n_pops; i++)
        free(mb->spike_idx[i]);
    free(mb->spike_idx);
    free(mb->pops);
    free(mb->summary);
}

/* spikes [from, to) and signal rows [row0[v], n_samples) of every population */
static int append_all(axon_ctx *ctx, hl_h5 *h, const size_t *from, const uint32_t (*row0)[HL_NVARS])
{
    char err[AXON_ERRMSG_LEN];
    for (uint32_t i = 0; i < ctx->n_pops; i++) {
        const hl_pop *p = &ctx->pops[i];
        size_t n = p->n_spikes - from[i];
        if (n) {
            double *t = malloc(sizeof *t * n);
            if (!t)
                return hl_err(ctx, AXON_ERR_NO_MEMORY, "output");
            for (size_t k = 0; k < n; k++)
                t[k] = p->spk_step[from[i] + k] * ctx->dt;
            int rc = hl_h5_spikes(h, i, p->spk_neuron + from[i], t, n, err);
            free(t);
            if (rc)
                return hl_err(ctx, rc, "%s", err);
        }
        for (int v = 1; v < HL_NVARS; v++) {
            const hl_signal *s = &p->sig[v];
            if (!s->n_rec || s->n_samples <= row0[i][v])
                continue;
            int rc = hl_h5_signal(h, i, v, s->values + (size_t)row0[i][v] * s->n_rec,
                                  s->n_samples - row0[i][v], err);
            if (rc)
                return hl_err(ctx, rc, "%s", err);
        }
    }
    return AXON_OK;
}

/* Learned weights of every plastic projection, as they are now. */
static int write_plastic(axon_ctx *ctx, hl_h5 *h, char *err)
{
    for (uint32_t j = 0; j < ctx->n_projs; j++) {
        if (!axon_proj_is_plastic(ctx, (axon_proj)j))
            continue;
        const hl_proj *p = &ctx->projs[j];
        size_t n = p->c.n;
        uint32_t *pre = malloc((n + 1) * sizeof *pre), *post = malloc((n + 1) * sizeof *post);
        double *w = malloc((n + 1) * sizeof *w), *d = malloc((n + 1) * sizeof *d);
        int rc = !pre || !post || !w || !d ? AXON_ERR_NO_MEMORY : AXON_OK;
        if (!rc && (rc = axon_proj_connections(ctx, (axon_proj)j, NULL, pre, post, w, d, n)))
            snprintf(err, AXON_ERRMSG_LEN, "%s", ctx->err);
        else if (!rc)
            rc = hl_h5_weights(h, p->label, n, pre, post, w, d, err);
        else
            snprintf(err, AXON_ERRMSG_LEN, "weights of projection '%s'", p->label);
        free(pre);
        free(post);
        free(w);
        free(d);
        if (rc)
            return rc;
    }
    return AXON_OK;
}

static int finish(axon_ctx *ctx, hl_h5 *h, int truncated)
{
    const char *names[] = {"spike_packets", "synaptic_events", "ring_buffer_saturations",
                           "dropped_packets", "late_packets", "population_table_misses"};
    const uint64_t vals[] = {ctx->stats.spikes, ctx->stats.synaptic_events,
                             ctx->stats.saturations, ctx->stats.dropped_packets,
                             ctx->stats.late_packets, ctx->stats.mpt_misses};
    char err[AXON_ERRMSG_LEN];
    int wrc = write_plastic(ctx, h, err);
    int rc = hl_h5_finish(h, &ctx->stats, &ctx->report, names, vals, 6, truncated || wrc, err);
    return rc || wrc ? hl_err(ctx, wrc ? wrc : rc, "%s", err) : AXON_OK;
}

int axon_write_hdf5(axon_ctx *ctx, const char *path)
{
    if (!path || !*path)
        return hl_err(ctx, AXON_ERR_INVALID_ARG, "HDF5 output path missing");
    meta_buf mb;
    int rc = build_meta(ctx, &mb);
    hl_h5 *h = NULL;
    char err[AXON_ERRMSG_LEN];
    if (!rc && (rc = hl_h5_begin(&h, path, &mb.meta, err)))
        hl_err(ctx, rc, "%s", err);
    if (!rc) {
        size_t *from = calloc(ctx->n_pops + 1, sizeof *from);
        uint32_t(*rows)[HL_NVARS] = calloc(ctx->n_pops + 1, sizeof *rows);
        if (!from || !rows)
            rc = hl_err(ctx, AXON_ERR_NO_MEMORY, "output");
        else
            rc = append_all(ctx, h, from, (const uint32_t(*)[HL_NVARS])rows);
        free(from);
        free(rows);
        int rc2 = finish(ctx, h, 0);
        if (!rc)
            rc = rc2;
    }
    free_meta(&mb);
    return rc;
}

int axon_set_output(axon_ctx *ctx, const char *path, int keep)
{
    if (ctx->h5)
        hl_stream_finish(ctx, 0);
    free(ctx->out_path);
    ctx->out_path = NULL;
    if (!path || !*path)
        return AXON_OK;
    ctx->out_path = strdup(path);
    ctx->out_keep = keep;
    return ctx->out_path ? AXON_OK : hl_err(ctx, AXON_ERR_NO_MEMORY, "output path");
}

int hl_stream_chunk(axon_ctx *ctx)
{
    if (!ctx->out_path)
        return AXON_OK;
    int rc;
    if (!ctx->h5) {
        meta_buf mb;
        char err[AXON_ERRMSG_LEN];
        rc = build_meta(ctx, &mb);
        if (!rc && (rc = hl_h5_begin(&ctx->h5, ctx->out_path, &mb.meta, err)))
            hl_err(ctx, rc, "%s", err);
        free_meta(&mb);
        if (rc) {
            free(ctx->out_path); /* do not retry on every chunk */
            ctx->out_path = NULL;
            ctx->h5 = NULL;
            return rc;
        }
    }
    size_t *from = calloc(ctx->n_pops + 1, sizeof *from);
    uint32_t(*rows)[HL_NVARS] = calloc(ctx->n_pops + 1, sizeof *rows);
    if (!from || !rows) {
        free(from);
        free(rows);
        return hl_err(ctx, AXON_ERR_NO_MEMORY, "output");
    }
    for (uint32_t i = 0; i < ctx->n_pops; i++) {
        from[i] = ctx->pops[i].h5_spikes_done;
        for (int v = 0; v < HL_NVARS; v++)
            rows[i][v] = ctx->pops[i].h5_rows_done[v];
    }
    rc = append_all(ctx, ctx->h5, from, (const uint32_t(*)[HL_NVARS])rows);
    free(from);
    free(rows);
    if (rc)
        return rc;
    for (uint32_t i = 0; i < ctx->n_pops; i++) {
        hl_pop *p = &ctx->pops[i];
        if (ctx->out_keep) {
            p->h5_spikes_done = p->n_spikes;
            for (int v = 1; v < HL_NVARS; v++)
                p->h5_rows_done[v] = p->sig[v].n_samples;
        } else {
            /* streamed out: forget them (sample rows keep their absolute numbering) */
            p->n_spikes = 0;
            p->h5_spikes_done = 0;
            for (int v = 1; v < HL_NVARS; v++) {
                p->sig[v].row0 += p->sig[v].n_samples;
                p->sig[v].n_samples = 0;
                p->h5_rows_done[v] = 0;
            }
        }
    }
    return AXON_OK;
}

int hl_stream_finish(axon_ctx *ctx, int truncated)
{
    if (!ctx->h5)
        return AXON_OK;
    hl_h5 *h = ctx->h5;
    ctx->h5 = NULL;
    free(ctx->out_path);
    ctx->out_path = NULL;
    return finish(ctx, h, truncated);
}

uint64_t axon_spike_count(const axon_ctx *ctx, axon_pop pop)
{
    return pop >= 0 && (uint32_t)pop < ctx->n_pops ? ctx->pops[pop].spikes_total : 0;
}

const char *axon_warnings(const axon_ctx *ctx) { return ctx->warnings ? ctx->warnings : ""; }
