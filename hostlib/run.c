/* Running a mapped network on a backend and collecting the results (docs/hostlib.md). */
#include "hl_map.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* ---------------------------------------------------------------- ref backend */

static int ref_load(void **st, axon_image *img, const axon_ctx *ctx, char *err)
{
    axon_engine_opts o = {AXON_ARITH_FIXED, ctx->mo.threads};
    return axon_engine_create((axon_engine **)st, img, &o, err);
}

static int ref_run(void *st, uint32_t steps, char *err)
{
    int rc = axon_engine_run(st, steps);
    if (rc && err)
        snprintf(err, AXON_ERRMSG_LEN, "%s", axon_engine_last_error(st));
    return rc;
}

static int ref_recording(void *st, uint32_t x, uint32_t y, uint32_t c, const uint32_t **w,
                         size_t *n)
{
    return axon_engine_recording(st, x, y, c, w, n);
}

static int ref_drain(void *st, uint32_t x, uint32_t y, uint32_t c)
{
    return axon_engine_recording_drain(st, x, y, c);
}

static int ref_core_counters(void *st, uint32_t x, uint32_t y, uint32_t c, uint64_t *out)
{
    return axon_engine_core_counters(st, x, y, c, out);
}

static int ref_router_counters(void *st, uint32_t x, uint32_t y, uint64_t *out)
{
    return axon_engine_router_counters(st, x, y, out);
}

static int ref_reset(void *st, char *err)
{
    (void)err;
    return axon_engine_reset(st);
}

static void ref_destroy(void *st) { axon_engine_destroy(st); }

static int ref_syn_weight(void *st, uint32_t x, uint32_t y, uint32_t c, uint32_t off, double *w)
{
    return axon_engine_syn_weight(st, x, y, c, off, w);
}

const hl_backend hl_backend_ref = {
    .name = "ref", .load = ref_load, .run = ref_run, .recording = ref_recording,
    .drain = ref_drain, .core_counters = ref_core_counters,
    .router_counters = ref_router_counters, .reset = ref_reset,
    .destroy = ref_destroy, .syn_weight = ref_syn_weight};

/* ---------------------------------------------------------------- lifecycle */

static void results_clear(axon_ctx *ctx)
{
    for (uint32_t p = 0; p < ctx->n_pops; p++) {
        hl_pop *pp = &ctx->pops[p];
        pp->n_spikes = 0;
        pp->spikes_total = 0;
        pp->sat_warned = 0;
        pp->h5_spikes_done = 0;
        for (int v = 0; v < HL_NVARS; v++) {
            pp->sig[v].n_samples = 0;
            pp->sig[v].row0 = 0;
            pp->h5_rows_done[v] = 0;
        }
    }
    memset(&ctx->stats, 0, sizeof ctx->stats);
}

void hl_unmap(axon_ctx *ctx)
{
    hl_stream_finish(ctx, 0);
    if (ctx->be && ctx->backend)
        ctx->backend->destroy(ctx->be);
    ctx->be = NULL;
    axon_image_destroy(ctx->img);
    ctx->img = NULL;
    hl_map_free(ctx->map);
    ctx->map = NULL;
    ctx->step = 0;
    results_clear(ctx);
}

/* signal layout per population: recorded neurons ascending */
static int prepare_signals(axon_ctx *ctx)
{
    for (uint32_t p = 0; p < ctx->n_pops; p++) {
        hl_pop *pp = &ctx->pops[p];
        for (int v = 1; v < HL_NVARS; v++) {
            hl_signal *s = &pp->sig[v];
            free(s->idx);
            s->idx = NULL;
            s->n_rec = 0;
            s->n_samples = 0;
            for (uint32_t i = 0; i < pp->n; i++)
                s->n_rec += pp->rec[v][i];
            if (!s->n_rec)
                continue;
            s->idx = malloc(sizeof *s->idx * s->n_rec);
            if (!s->idx)
                return hl_err(ctx, AXON_ERR_NO_MEMORY, "recording");
            uint32_t k = 0;
            for (uint32_t i = 0; i < pp->n; i++)
                if (pp->rec[v][i])
                    s->idx[k++] = i;
        }
    }
    return AXON_OK;
}

static int ensure_loaded(axon_ctx *ctx)
{
    int rc;
    if (ctx->routes_only)
        return hl_err(ctx, AXON_ERR_STATE,
                      "routes-only mapping (axon_set_routes_only) cannot run: no synapses kept");
    if (!ctx->map && (rc = hl_map_network(ctx)))
        return rc;
    if (ctx->be)
        return AXON_OK;
    double t0 = now_s();
    char err[AXON_ERRMSG_LEN];
    if ((rc = prepare_signals(ctx)))
        return rc;
    rc = ctx->backend->load(&ctx->be, ctx->img, ctx, err);
    if (rc) {
        ctx->be = NULL;
        return hl_err(ctx, rc, "backend '%s' cannot load the image: %s", ctx->backend->name, err);
    }
    ctx->stats.wall_load_s = now_s() - t0;
    return AXON_OK;
}

/* ---------------------------------------------------------------- collection */

static int push_spike(axon_ctx *ctx, hl_pop *p, uint32_t neuron, uint32_t step)
{
    if (p->n_spikes == p->cap_spikes) {
        size_t cap = p->cap_spikes ? 2 * p->cap_spikes : 1024;
        uint32_t *a = realloc(p->spk_neuron, cap * sizeof *a);
        if (!a)
            return hl_err(ctx, AXON_ERR_NO_MEMORY, "spike recording");
        p->spk_neuron = a;
        uint32_t *b = realloc(p->spk_step, cap * sizeof *b);
        if (!b)
            return hl_err(ctx, AXON_ERR_NO_MEMORY, "spike recording");
        p->spk_step = b;
        p->cap_spikes = cap;
    }
    p->spikes_total++;
    p->spk_neuron[p->n_spikes] = neuron;
    p->spk_step[p->n_spikes++] = step;
    return AXON_OK;
}

static double *signal_row(hl_signal *s, uint32_t abs_row)
{
    if (abs_row < s->row0)
        return NULL; /* cannot happen: rows arrive in time order */
    uint32_t row = abs_row - s->row0;
    if (row >= s->cap) {
        size_t cap = s->cap ? s->cap : 64;
        while (cap <= row)
            cap *= 2;
        double *v = realloc(s->values, cap * s->n_rec * sizeof *v);
        if (!v) {
            return NULL;
        }
        s->values = v;
        s->cap = cap;
    }
    while (s->n_samples <= row) {
        for (uint32_t k = 0; k < s->n_rec; k++)
            s->values[(size_t)s->n_samples * s->n_rec + k] = NAN;
        s->n_samples++;
    }
    return s->values + (size_t)row * s->n_rec;
}

/* rank of the first recorded neuron >= lo in a signal's ascending index list */
static uint32_t rank_of(const hl_signal *s, uint32_t lo)
{
    uint32_t a = 0, b = s->n_rec;
    while (a < b) {
        uint32_t mid = (a + b) / 2;
        if (s->idx[mid] < lo)
            a = mid + 1;
        else
            b = mid;
    }
    return a;
}

int hl_collect(axon_ctx *ctx)
{
    hl_map *m = ctx->map;
    for (uint32_t g = 0; g < m->used_cores; g++) {
        const hl_mcore *c = &m->cores[g];
        if (c->is_de)
            continue;
        uint32_t x = (g / m->cpc) % m->w, y = (g / m->cpc) / m->w, core = g % m->cpc;
        const hl_slice *sl = &m->slices[c->slice];
        hl_pop *p = &ctx->pops[sl->pop];
        const uint32_t *w;
        size_t n, pos = 0;
        if (ctx->backend->recording(ctx->be, x, y, core, &w, &n) || !n)
            continue;
        /* per variable: how many of this slice's neurons record it, and where they go */
        uint32_t cnt[HL_NVARS] = {0}, first[HL_NVARS] = {0};
        for (int v = 1; v < HL_NVARS; v++)
            if (p->sig[v].n_rec) {
                first[v] = rank_of(&p->sig[v], sl->lo);
                cnt[v] = rank_of(&p->sig[v], sl->lo + sl->n) - first[v];
            }
        axon_rec_block b;
        int rc;
        while ((rc = axon_rec_next(w, n, &pos, 0, &b)) == 1) {
            for (uint32_t k = 0; k < b.n_spikes; k++)
                if ((rc = push_spike(ctx, p, sl->lo + axon_rec_spike(&b, k), b.step)))
                    return rc;
            uint32_t off = 0;
            for (int v = 1; v < HL_NVARS && b.n_state; v++) {
                if (!cnt[v])
                    continue;
                if (b.step % p->interval[v] == 0) {
                    double *row = signal_row(&p->sig[v], b.step / p->interval[v]);
                    if (!row)
                        return hl_err(ctx, AXON_ERR_NO_MEMORY, "signal recording");
                    for (uint32_t k = 0; k < cnt[v]; k++)
                        row[first[v] + k] = axon_rec_state(&b, off + k);
                }
                off += cnt[v];
            }
        }
        if (rc < 0)
            return hl_err(ctx, AXON_ERR_INTERNAL, "core %u: malformed recording stream", g);
        ctx->backend->drain(ctx->be, x, y, core);
    }
    return AXON_OK;
}

static void update_stats(axon_ctx *ctx)
{
    hl_map *m = ctx->map;
    axon_run_stats *s = &ctx->stats;
    s->spikes = s->synaptic_events = s->saturations = s->dropped_packets = 0;
    s->late_packets = s->mpt_misses = 0;
    for (uint32_t p = 0; p < ctx->n_pops; p++)
        ctx->pops[p].saturations = 0;
    for (uint32_t g = 0; g < m->used_cores; g++) {
        uint64_t c[AXON_CNT_CORE_N];
        if (ctx->backend->core_counters(ctx->be, (g / m->cpc) % m->w, (g / m->cpc) / m->w,
                                        g % m->cpc, c))
            continue;
        if (!m->cores[g].is_de)
            s->spikes += c[AXON_CNT_CORE_SPIKES_OUT];
        s->synaptic_events += c[AXON_CNT_CORE_SYNAPTIC_EVENTS];
        s->saturations += c[AXON_CNT_CORE_SATURATIONS];
        if (m->cores[g].slice >= 0 && !m->cores[g].is_de)
            ctx->pops[m->slices[m->cores[g].slice].pop].saturations +=
                c[AXON_CNT_CORE_SATURATIONS];
        s->late_packets += c[AXON_CNT_CORE_LATE];
        s->mpt_misses += c[AXON_CNT_CORE_MPT_MISS] + c[AXON_CNT_CORE_ROW_INVALID];
    }
    for (uint32_t ch = 0; ch < m->n_chips; ch++) {
        uint64_t r[AXON_CNT_ROUTER_N];
        if (ctx->backend->router_counters(ctx->be, ch % m->w, ch / m->w, r))
            continue;
        s->dropped_packets += r[AXON_CNT_ROUTER_DROPPED_LOCAL_UNMATCHED] +
                              r[AXON_CNT_ROUTER_DROPPED_NO_LINK] +
                              r[AXON_CNT_ROUTER_DROPPED_HOP_LIMIT];
    }
    s->sim_time_ms = ctx->step * ctx->dt;
}

/* One warning per population whose ring buffers saturated since the last warning: its
 * inputs were clipped, so its results are not those of the model (as sPyNNaker reports).
 * Uses the totals update_stats just read. */
static void warn_saturations(axon_ctx *ctx)
{
    for (uint32_t p = 0; p < ctx->n_pops; p++) {
        hl_pop *pp = &ctx->pops[p];
        if (pp->saturations <= pp->sat_warned)
            continue;
        hl_warn(ctx,
                "population '%s': ring-buffer input saturated %llu times by t = %g ms "
                "(inputs were clipped); the weight shift assumed %g spikes/s per source and "
                "%g sigma: raise spikes_per_second or ring_buffer_sigma",
                pp->label, (unsigned long long)pp->saturations, ctx->step * ctx->dt,
                hl_spikes_per_second(ctx), hl_ring_sigma(ctx));
        pp->sat_warned = pp->saturations;
    }
}

int axon_run(axon_ctx *ctx, double ms)
{
    if (!(ms >= 0) || !isfinite(ms))
        return hl_err(ctx, AXON_ERR_INVALID_ARG, "run(%g ms): duration must be >= 0", ms);
    double steps_d = ms / ctx->dt;
    if (fabs(steps_d - round(steps_d)) > 1e-6)
        return hl_err(ctx, AXON_ERR_INVALID_ARG,
                      "run(%g ms) is not a whole number of timesteps of %g ms", ms, ctx->dt);
    uint64_t steps = (uint64_t)llround(steps_d);
    if (steps + ctx->step > UINT32_MAX)
        return hl_err(ctx, AXON_ERR_RANGE, "run(%g ms) exceeds 2^32 timesteps", ms);
    int rc = ensure_loaded(ctx);
    if (rc)
        return rc;
    double t0 = now_s();
    uint64_t done = 0;
    /* chunks bound the memory of the recording buffers and give progress */
    uint32_t chunk = 1000;
    while (done < steps) {
        uint32_t n = steps - done < chunk ? (uint32_t)(steps - done) : chunk;
        char err[AXON_ERRMSG_LEN];
        rc = ctx->backend->run(ctx->be, n, err);
        /* keep what was recorded before any failure */
        int rc2 = hl_collect(ctx);
        if (!rc2)
            rc2 = hl_stream_chunk(ctx);
        if (rc) {
            update_stats(ctx);
            hl_stream_finish(ctx, 1);
            return hl_err(ctx, rc, "run failed at t = %g ms on backend '%s': %s",
                          (ctx->step + done) * ctx->dt, ctx->backend->name, err);
        }
        if (rc2)
            return rc2;
        done += n;
        ctx->step += n;
        if (ctx->progress)
            ctx->progress(ctx->progress_user, (double)done / (double)steps, now_s() - t0);
    }
    ctx->stats.wall_run_s += now_s() - t0;
    update_stats(ctx);
    warn_saturations(ctx);
    return AXON_OK;
}

double axon_time(const axon_ctx *ctx) { return ctx->step * ctx->dt; }

int axon_reset(axon_ctx *ctx)
{
    hl_stream_finish(ctx, 0);
    if (ctx->be) {
        char err[AXON_ERRMSG_LEN];
        int rc = ctx->backend->reset(ctx->be, err);
        if (rc)
            return hl_err(ctx, rc, "reset on backend '%s': %s", ctx->backend->name, err);
    }
    hl_plastic_forget(ctx); /* weights saved at axon_end: back to the initial ones */
    ctx->step = 0;
    double map_s = ctx->stats.wall_map_s;
    results_clear(ctx);
    ctx->stats.wall_map_s = map_s;
    return AXON_OK;
}

int axon_end(axon_ctx *ctx)
{
    int rc = hl_stream_finish(ctx, 0);
    hl_plastic_snapshot(ctx);
    if (ctx->be)
        ctx->backend->destroy(ctx->be);
    ctx->be = NULL;
    return rc;
}

/* ---------------------------------------------------------------- results */

static hl_pop *pop_at(axon_ctx *ctx, axon_pop p)
{
    if (p < 0 || (uint32_t)p >= ctx->n_pops) {
        hl_err(ctx, AXON_ERR_NOT_FOUND, "population handle %d does not exist", p);
        return NULL;
    }
    return &ctx->pops[p];
}

typedef struct spk {
    uint32_t neuron, step;
} spk;

static int cmp_spk(const void *a, const void *b)
{
    const spk *x = a, *y = b;
    if (x->neuron != y->neuron)
        return x->neuron < y->neuron ? -1 : 1;
    return (x->step > y->step) - (x->step < y->step);
}

int axon_get_spikes(axon_ctx *ctx, axon_pop pop, size_t *n, uint32_t *neuron, double *t_ms,
                    size_t cap)
{
    hl_pop *p = pop_at(ctx, pop);
    if (!p)
        return AXON_ERR_NOT_FOUND;
    if (n)
        *n = p->n_spikes;
    if (!neuron && !t_ms)
        return AXON_OK;
    spk *s = malloc(sizeof *s * (p->n_spikes ? p->n_spikes : 1));
    if (!s)
        return hl_err(ctx, AXON_ERR_NO_MEMORY, "spikes");
    for (size_t k = 0; k < p->n_spikes; k++)
        s[k] = (spk){p->spk_neuron[k], p->spk_step[k]};
    qsort(s, p->n_spikes, sizeof *s, cmp_spk);
    size_t m = p->n_spikes < cap ? p->n_spikes : cap;
    for (size_t k = 0; k < m; k++) {
        if (neuron)
            neuron[k] = s[k].neuron;
        if (t_ms)
            t_ms[k] = s[k].step * ctx->dt;
    }
    free(s);
    return AXON_OK;
}

int axon_get_signal(axon_ctx *ctx, axon_pop pop, const char *variable, uint32_t *n_neurons,
                    uint32_t *n_samples, double *interval_ms, uint32_t *idx, double *values)
{
    hl_pop *p = pop_at(ctx, pop);
    if (!p)
        return AXON_ERR_NOT_FOUND;
    int v = hl_var_index(variable);
    if (v <= 0)
        return hl_err(ctx, AXON_ERR_NOT_FOUND, "no signal '%s' (v, gsyn_exc, gsyn_inh)",
                      variable ? variable : "(null)");
    const hl_signal *s = &p->sig[v];
    if (n_neurons)
        *n_neurons = s->n_rec;
    if (n_samples)
        *n_samples = s->n_samples;
    if (interval_ms)
        *interval_ms = p->interval[v] * ctx->dt;
    if (idx && s->n_rec)
        memcpy(idx, s->idx, sizeof *idx * s->n_rec);
    if (values && s->n_samples)
        memcpy(values, s->values, sizeof *values * s->n_rec * s->n_samples);
    return AXON_OK;
}

int axon_stats(axon_ctx *ctx, axon_run_stats *out)
{
    *out = ctx->stats;
    return AXON_OK;
}

int axon_describe(axon_ctx *ctx, axon_mapping_report *out)
{
    int rc = hl_map_network(ctx);
    if (rc)
        return rc;
    *out = ctx->report;
    return AXON_OK;
}

axon_image *axon_machine_image(axon_ctx *ctx)
{
    if (ctx->routes_only) {
        hl_err(ctx, AXON_ERR_STATE, "routes-only mapping (axon_set_routes_only) builds no image");
        return NULL;
    }
    return hl_map_network(ctx) ? NULL : ctx->img;
}

int axon_set_routes_only(axon_ctx *ctx, int on)
{
    if (ctx->n_projs && !ctx->routes_only != !on)
        return hl_err(ctx, AXON_ERR_STATE,
                      "routes-only mode must be chosen before the first projection (%u exist)",
                      ctx->n_projs);
    ctx->routes_only = !!on;
    return AXON_OK;
}

int axon_describe_tables(axon_ctx *ctx, axon_table_report *out)
{
    int rc = hl_map_network(ctx);
    if (rc)
        return rc;
    const hl_map *m = ctx->map;
    memset(out, 0, sizeof *out);
    out->chips = m->n_chips;
    uint64_t before = 0, after = 0;
    for (uint32_t ch = 0; ch < m->n_chips; ch++) {
        const hl_table *t = &m->tables[ch];
        before += t->before;
        after += t->n;
        out->max_before = t->before > out->max_before ? t->before : out->max_before;
        out->max_after = t->n > out->max_after ? t->n : out->max_after;
        out->over_capacity += t->n > AXON_ROUTER_MC_ENTRIES;
    }
    out->mean_before = (double)before / m->n_chips;
    out->mean_after = (double)after / m->n_chips;
    out->compress_seconds = m->compress_s;
    out->routes_only = m->routes_only;
    return AXON_OK;
}

char *axon_describe_text(axon_ctx *ctx)
{
    axon_mapping_report r;
    if (axon_describe(ctx, &r))
        return NULL;
    size_t cap = 4096 + (size_t)ctx->n_pops * 160 + (ctx->warnings ? strlen(ctx->warnings) : 0);
    char *s = malloc(cap);
    if (!s)
        return NULL;
    size_t o = 0;
    o += (size_t)snprintf(s + o, cap - o,
                          "machine      %u x %u chips, %u cores per chip, %u cores used "
                          "(%u delay extensions)\n",
                          r.chips_x, r.chips_y, r.cores_per_chip, r.cores_used,
                          r.delay_extension_cores);
    o += (size_t)snprintf(s + o, cap - o, "network      %llu neurons, %llu synapses\n",
                          (unsigned long long)r.neurons, (unsigned long long)r.synapses);
    o += (size_t)snprintf(s + o, cap - o,
                          "routing      %llu entries before compression, %llu after; largest "
                          "table %u -> %u of %d\n",
                          (unsigned long long)r.table_entries_before,
                          (unsigned long long)r.table_entries_after, r.max_table_before,
                          r.max_table_after, AXON_ROUTER_MC_ENTRIES);
    o += (size_t)snprintf(s + o, cap - o,
                          "memory       largest core %.1f KiB, total %.1f MiB\n",
                          (double)r.max_core_words * 4 / 1024,
                          (double)r.total_words * 4 / 1048576);
    o += (size_t)snprintf(s + o, cap - o, "mapping time %.3f s\n", r.map_seconds);
    o += (size_t)snprintf(s + o, cap - o, "%-20s %-20s %9s %6s\n", "population", "cell type",
                          "neurons", "cores");
    for (uint32_t p = 0; p < ctx->n_pops; p++)
        o += (size_t)snprintf(s + o, cap - o, "%-20s %-20s %9u %6u\n", ctx->pops[p].label,
                              ctx->pops[p].m->name, ctx->pops[p].n,
                              ctx->map->pop_first[p + 1] - ctx->map->pop_first[p]);
    if (ctx->warnings)
        snprintf(s + o, cap - o, "warnings:\n%s", ctx->warnings);
    return s;
}
