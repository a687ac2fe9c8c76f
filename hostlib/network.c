/* The host library's context and network model: setup, populations, views, recording,
 * projections (docs/hostlib.md). Mapping and running are in map.c and run.c. */
#include "hl_ctx.h"
#include "hl_random.h"
#include "hl_space.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int hl_err(axon_ctx *ctx, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->err, sizeof ctx->err, fmt, ap);
    va_end(ap);
    return status;
}

void hl_warn(axon_ctx *ctx, const char *fmt, ...)
{
    char line[AXON_ERRMSG_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    size_t old = ctx->warnings ? strlen(ctx->warnings) : 0;
    char *w = realloc(ctx->warnings, old + strlen(line) + 2);
    if (!w)
        return;
    memcpy(w + old, line, strlen(line));
    w[old + strlen(line)] = '\n';
    w[old + strlen(line) + 1] = 0;
    ctx->warnings = w;
}

static void pop_free(hl_pop *p)
{
    free(p->label);
    free(p->params);
    free(p->inits);
    free(p->pos);
    if (p->spike_times)
        for (uint32_t i = 0; i < p->n; i++)
            free(p->spike_times[i]);
    free(p->spike_times);
    free(p->n_spike_times);
    for (int v = 0; v < HL_NVARS; v++) {
        free(p->rec[v]);
        free(p->sig[v].idx);
        free(p->sig[v].values);
    }
    free(p->spk_neuron);
    free(p->spk_step);
}

static void network_free(axon_ctx *ctx)
{
    hl_unmap(ctx);
    for (uint32_t i = 0; i < ctx->n_pops; i++)
        pop_free(&ctx->pops[i]);
    for (uint32_t i = 0; i < ctx->n_projs; i++) {
        free(ctx->projs[i].label);
        hl_conns_free(&ctx->projs[i].c);
        free(ctx->projs[i].ro_pairs);
    }
    for (uint32_t i = 0; i < ctx->n_views; i++)
        free(ctx->views[i]);
    free(ctx->pops);
    free(ctx->projs);
    free(ctx->views);
    ctx->pops = NULL;
    ctx->projs = NULL;
    ctx->views = NULL;
    ctx->n_pops = ctx->cap_pops = ctx->n_projs = ctx->cap_projs = ctx->n_views = 0;
    free(ctx->warnings);
    ctx->warnings = NULL;
}

int axon_create(axon_ctx **out)
{
    if (!out)
        return AXON_ERR_INVALID_ARG;
    axon_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx)
        return AXON_ERR_NO_MEMORY;
    ctx->backend = &hl_backend_ref;
    int rc = axon_setup(ctx, 1.0, 1.0, 144.0, 1);
    if (rc) {
        axon_destroy(ctx);
        return rc;
    }
    *out = ctx;
    return AXON_OK;
}

void axon_destroy(axon_ctx *ctx)
{
    if (!ctx)
        return;
    network_free(ctx);
    free(ctx->out_path);
    free(ctx->trace_path);
    if (ctx->rng)
        gsl_rng_free(ctx->rng);
    free(ctx);
}

const char *axon_last_error(const axon_ctx *ctx) { return ctx ? ctx->err : "no context"; }
double axon_timestep(const axon_ctx *ctx) { return ctx->dt; }
uint64_t axon_seed(const axon_ctx *ctx) { return ctx->seed; }

int axon_setup(axon_ctx *ctx, double dt, double min_delay, double max_delay, uint64_t seed)
{
    if (!(dt > 0 && isfinite(dt)) || dt * 1000.0 != round(dt * 1000.0) || dt * 1000.0 > 1e6)
        return hl_err(ctx, AXON_ERR_INVALID_ARG,
                      "timestep = %g ms must be a positive whole number of microseconds", dt);
    if (!(min_delay >= dt - 1e-9 && isfinite(min_delay)))
        return hl_err(ctx, AXON_ERR_INVALID_ARG, "min_delay = %g ms is below the timestep %g ms",
                      min_delay, dt);
    if (!(max_delay >= min_delay) || max_delay > AXON_DE_MAX_DELAY * dt + 1e-9)
        return hl_err(ctx, AXON_ERR_INVALID_ARG,
                      "max_delay = %g ms must be in [min_delay, %d timesteps = %g ms]", max_delay,
                      AXON_DE_MAX_DELAY, AXON_DE_MAX_DELAY * dt);
    gsl_rng *r = hl_rng_new(seed);
    if (!r)
        return hl_err(ctx, AXON_ERR_NO_MEMORY, "random generator");
    network_free(ctx);
    if (ctx->rng)
        gsl_rng_free(ctx->rng);
    ctx->rng = r;
    ctx->dt = dt;
    ctx->min_delay = min_delay;
    ctx->max_delay = max_delay;
    ctx->seed = seed;
    ctx->set_up = 1;
    ctx->err[0] = 0;
    return AXON_OK;
}

int axon_set_machine(axon_ctx *ctx, const axon_machine_opts *o)
{
    if (!o)
        return hl_err(ctx, AXON_ERR_INVALID_ARG, "machine options missing");
    if (o->width > AXON_IMAGE_MAX_WIDTH || o->height > AXON_IMAGE_MAX_HEIGHT)
        return hl_err(ctx, AXON_ERR_INVALID_ARG, "machine of %u x %u chips exceeds %d x %d",
                      o->width, o->height, AXON_IMAGE_MAX_WIDTH, AXON_IMAGE_MAX_HEIGHT);
    if ((o->width == 0) != (o->height == 0))
        return hl_err(ctx, AXON_ERR_INVALID_ARG, "give both width and height, or neither");
    if (o->cores_per_chip > AXON_ROUTER_MAX_CORES)
        return hl_err(ctx, AXON_ERR_INVALID_ARG, "cores_per_chip = %u exceeds %d",
                      o->cores_per_chip, AXON_ROUTER_MAX_CORES);
    if (o->neurons_per_core > AXON_CORE_MAX_NEURONS)
        return hl_err(ctx, AXON_ERR_INVALID_ARG, "neurons_per_core = %u exceeds %d",
                      o->neurons_per_core, AXON_CORE_MAX_NEURONS);
    if (!(o->spikes_per_second >= 0) || !isfinite(o->spikes_per_second))
        return hl_err(ctx, AXON_ERR_INVALID_ARG, "spikes_per_second = %g must be >= 0 "
                      "(0: default 30)", o->spikes_per_second);
    if (!(o->ring_buffer_sigma >= 0) || !isfinite(o->ring_buffer_sigma))
        return hl_err(ctx, AXON_ERR_INVALID_ARG, "ring_buffer_sigma = %g must be >= 0 "
                      "(0: default 5)", o->ring_buffer_sigma);
    hl_unmap(ctx);
    ctx->mo = *o;
    return AXON_OK;
}

int axon_set_threads(axon_ctx *ctx, unsigned threads)
{
    if (threads < 1 || threads > 64)
        return hl_err(ctx, AXON_ERR_INVALID_ARG, "threads = %u must be 1..64", threads);
    if (ctx->be && ctx->step)
        return hl_err(ctx, AXON_ERR_STATE, "threads cannot change after the run started "
                                           "(reset first)");
    if (ctx->be) {
        ctx->backend->destroy(ctx->be); /* reloaded with the new count by the next run */
        ctx->be = NULL;
    }
    ctx->mo.threads = threads;
    return AXON_OK;
}

int axon_set_backend(axon_ctx *ctx, const char *name)
{
    if (name && !strcmp(name, "ref")) {
        hl_unmap(ctx);
        ctx->backend = &hl_backend_ref;
        return AXON_OK;
    }
    if (name && (!strcmp(name, "usb") || !strcmp(name, "usb-direct"))) {
        hl_unmap(ctx);
        ctx->backend = name[3] ? &hl_backend_usb_direct : &hl_backend_usb;
        return AXON_OK;
    }
#ifdef AXON_HAVE_EMU
    if (name && !strcmp(name, "emu")) {
        hl_unmap(ctx);
        ctx->backend = &hl_backend_emu;
        return AXON_OK;
    }
#else
    if (name && !strcmp(name, "emu"))
        return hl_err(ctx, AXON_ERR_UNSUPPORTED,
                      "backend '%s' is not built into this version (available: ref, usb, "
                      "usb-direct; the emulator needs Verilator and AXON_RTL=ON)", name);
#endif
    return hl_err(ctx, AXON_ERR_INVALID_ARG, "unknown backend '%s' (ref, emu, usb, usb-direct)",
                  name ? name : "(null)");
}

int axon_set_trace(axon_ctx *ctx, const char *path)
{
    char *p = NULL;
    if (ctx->be && ctx->step)
        return hl_err(ctx, AXON_ERR_STATE, "the trace file cannot change after the run started "
                                           "(reset first)");
    if (path && !(p = strdup(path)))
        return hl_err(ctx, AXON_ERR_NO_MEMORY, "trace path '%s'", path);
    if (ctx->be) {
        ctx->backend->destroy(ctx->be); /* reloaded (and traced) by the next run */
        ctx->be = NULL;
    }
    free(ctx->trace_path);
    ctx->trace_path = p;
    return AXON_OK;
}

void axon_set_progress(axon_ctx *ctx, axon_progress_fn fn, void *user)
{
    ctx->progress = fn;
    ctx->progress_user = user;
}

int axon_random(axon_ctx *ctx, const axon_dist *d, double *out, size_t n)
{
    return hl_dist_fill(d, ctx->rng, out, n, ctx->err);
}

/* ------------------------------------------------------------------ populations */

static hl_pop *get_pop(axon_ctx *ctx, axon_pop p)
{
    if (p < 0 || (uint32_t)p >= ctx->n_pops) {
        hl_err(ctx, AXON_ERR_NOT_FOUND, "population handle %d does not exist", p);
        return NULL;
    }
    return &ctx->pops[p];
}

int axon_population(axon_ctx *ctx, uint32_t size, const char *celltype, const char *label,
                    const axon_structure *structure, axon_pop *out)
{
    const axon_model_info *m = axon_model_find(celltype);
    if (!m)
        return hl_err(ctx, AXON_ERR_NOT_FOUND, "unknown cell type '%s'",
                      celltype ? celltype : "(null)");
    if (size == 0 || size > (1u << 24))
        return hl_err(ctx, AXON_ERR_INVALID_ARG,
                      "population '%s': size %u must be in 1..16777216", label ? label : celltype,
                      size);
    char deflabel[32];
    if (!label || !*label) {
        snprintf(deflabel, sizeof deflabel, "population%u", ctx->n_pops);
        label = deflabel;
    }
    for (uint32_t i = 0; i < ctx->n_pops; i++)
        if (!strcmp(ctx->pops[i].label, label))
            return hl_err(ctx, AXON_ERR_INVALID_ARG, "population label '%s' is already used",
                          label);
    if (ctx->n_pops == ctx->cap_pops) {
        uint32_t cap = ctx->cap_pops ? 2 * ctx->cap_pops : 8;
        hl_pop *p = realloc(ctx->pops, cap * sizeof *p);
        if (!p)
            return hl_err(ctx, AXON_ERR_NO_MEMORY, "population table");
        ctx->pops = p;
        ctx->cap_pops = cap;
    }
    hl_pop p = {0};
    p.m = m;
    p.n = size;
    p.label = strdup(label);
    p.params = malloc(sizeof(double) * size * (m->n_params ? m->n_params : 1));
    p.inits = malloc(sizeof(double) * size * (m->n_inits ? m->n_inits : 1));
    p.pos = malloc(sizeof(double) * 3 * size);
    for (int v = 0; v < HL_NVARS; v++) {
        p.rec[v] = calloc(size, 1);
        p.interval[v] = 1;
    }
    int rc = AXON_OK;
    if (!p.label || !p.params || !p.inits || !p.pos || !p.rec[0] || !p.rec[1] || !p.rec[2] ||
        !p.rec[3]) {
        rc = hl_err(ctx, AXON_ERR_NO_MEMORY, "population '%s' of %u neurons", label, size);
        goto fail;
    }
    if (m->kind == AXON_KIND_SOURCE_ARRAY) {
        p.spike_times = calloc(size, sizeof *p.spike_times);
        p.n_spike_times = calloc(size, sizeof *p.n_spike_times);
        if (!p.spike_times || !p.n_spike_times) {
            rc = hl_err(ctx, AXON_ERR_NO_MEMORY, "population '%s'", label);
            goto fail;
        }
    }
    for (uint32_t i = 0; i < size; i++) {
        for (uint32_t k = 0; k < m->n_params; k++)
            p.params[(size_t)i * m->n_params + k] = m->params[k].def;
        for (uint32_t k = 0; k < m->n_inits; k++)
            p.inits[(size_t)i * m->n_inits + k] = m->inits[k].def;
    }
    axon_structure none = {AXON_STRUCT_NONE, {0}, 0};
    char err[AXON_ERRMSG_LEN];
    rc = hl_positions(structure ? structure : &none, size, ctx->rng, p.pos, err);
    if (rc) {
        hl_err(ctx, rc, "population '%s': %s", label, err);
        goto fail;
    }
    hl_unmap(ctx);
    ctx->pops[ctx->n_pops] = p;
    if (out)
        *out = (axon_pop)ctx->n_pops;
    ctx->n_pops++;
    return AXON_OK;
fail:
    pop_free(&p);
    return rc;
}

uint32_t axon_pop_count(const axon_ctx *ctx) { return ctx->n_pops; }

uint32_t axon_pop_size(const axon_ctx *ctx, axon_pop p)
{
    return p >= 0 && (uint32_t)p < ctx->n_pops ? ctx->pops[p].n : 0;
}

const char *axon_pop_label(const axon_ctx *ctx, axon_pop p)
{
    return p >= 0 && (uint32_t)p < ctx->n_pops ? ctx->pops[p].label : NULL;
}

const axon_model_info *axon_pop_celltype(const axon_ctx *ctx, axon_pop p)
{
    return p >= 0 && (uint32_t)p < ctx->n_pops ? ctx->pops[p].m : NULL;
}

int axon_pop_find(const axon_ctx *ctx, const char *label, axon_pop *out)
{
    for (uint32_t i = 0; label && i < ctx->n_pops; i++)
        if (!strcmp(ctx->pops[i].label, label)) {
            *out = (axon_pop)i;
            return AXON_OK;
        }
    return hl_err((axon_ctx *)ctx, AXON_ERR_NOT_FOUND, "no population labelled '%s'",
                  label ? label : "(null)");
}

/* Values for n neurons (or connections) from an axon_value; out has n slots. */
static int eval_value(axon_ctx *ctx, const axon_value *v, size_t n, double *out,
                      const char *what)
{
    char err[AXON_ERRMSG_LEN];
    switch (v->kind) {
    case AXON_VALUE_CONST:
        for (size_t i = 0; i < n; i++)
            out[i] = v->c;
        break;
    case AXON_VALUE_ARRAY:
        if (v->n != n || !v->array)
            return hl_err(ctx, AXON_ERR_INVALID_ARG, "%s: array of %zu values for %zu neurons",
                          what, v->n, n);
        memcpy(out, v->array, n * sizeof *out);
        break;
    case AXON_VALUE_RANDOM:
        if (hl_dist_fill(&v->dist, ctx->rng, out, n, err))
            return hl_err(ctx, AXON_ERR_INVALID_ARG, "%s: %s", what, err);
        break;
    default:
        return hl_err(ctx, AXON_ERR_INVALID_ARG,
                      "%s: distance expressions apply to connections only", what);
    }
    for (size_t i = 0; i < n; i++)
        if (!isfinite(out[i]))
            return hl_err(ctx, AXON_ERR_INVALID_ARG, "%s: value %g for neuron %zu is not finite",
                          what, out[i], i);
    return AXON_OK;
}

/* Check one neuron's parameters by converting them (the conversion names the culprit). */
static int check_neuron(axon_ctx *ctx, const hl_pop *p, uint32_t i)
{
    if (p->m->kind != AXON_KIND_NEURON)
        return AXON_OK;
    uint32_t pb[64], sb[64];
    char err[AXON_ERRMSG_LEN];
    int rc = axon_model_convert(p->m, p->params + (size_t)i * p->m->n_params,
                                p->inits + (size_t)i * p->m->n_inits, ctx->dt, pb, sb, err);
    if (rc)
        return hl_err(ctx, rc, "population '%s' neuron %u: %s", p->label, i, err);
    return AXON_OK;
}

static int set_values(axon_ctx *ctx, axon_pop pop, const char *name, const axon_value *v,
                      int init)
{
    hl_pop *p = get_pop(ctx, pop);
    if (!p)
        return AXON_ERR_NOT_FOUND;
    if (!v)
        return hl_err(ctx, AXON_ERR_INVALID_ARG, "value for '%s' missing", name);
    int k = init ? axon_model_init_index(p->m, name) : axon_model_param_index(p->m, name);
    if (k < 0 || (!init && p->m->kind == AXON_KIND_SOURCE_ARRAY))
        return hl_err(ctx, AXON_ERR_NOT_FOUND, "%s has no %s '%s'", p->m->name,
                      init ? "initial value" : "parameter", name ? name : "(null)");
    uint32_t stride = init ? p->m->n_inits : p->m->n_params;
    double *dst = init ? p->inits : p->params;
    double *vals = malloc(sizeof(double) * p->n);
    double *old = malloc(sizeof(double) * p->n);
    if (!vals || !old) {
        free(vals);
        free(old);
        return hl_err(ctx, AXON_ERR_NO_MEMORY, "values");
    }
    char what[160];
    snprintf(what, sizeof what, "population '%s' %s", p->label, name);
    int rc = eval_value(ctx, v, p->n, vals, what);
    for (uint32_t i = 0; !rc && i < p->n; i++) {
        old[i] = dst[(size_t)i * stride + (uint32_t)k];
        dst[(size_t)i * stride + (uint32_t)k] = vals[i];
        if (p->m->kind == AXON_KIND_SOURCE_POISSON) {
            uint32_t blk[AXON_P_POISSON_WORDS];
            const double *q = p->params + (size_t)i * stride;
            char err[AXON_ERRMSG_LEN];
            if (axon_poisson_convert(q[0], q[1], q[2], ctx->dt, blk, err))
                rc = hl_err(ctx, AXON_ERR_INVALID_ARG, "population '%s' source %u: %s", p->label,
                            i, err);
        } else {
            rc = check_neuron(ctx, p, i);
        }
        if (rc) /* restore what was changed so far */
            for (uint32_t j = 0; j <= i; j++)
                dst[(size_t)j * stride + (uint32_t)k] = old[j];
    }
    free(vals);
    free(old);
    if (!rc)
        hl_unmap(ctx);
    return rc;
}

int axon_pop_set(axon_ctx *ctx, axon_pop pop, const char *param, const axon_value *v)
{
    return set_values(ctx, pop, param, v, 0);
}

int axon_pop_initialize(axon_ctx *ctx, axon_pop pop, const char *var, const axon_value *v)
{
    return set_values(ctx, pop, var, v, 1);
}

int axon_pop_get(axon_ctx *ctx, axon_pop pop, const char *name, double *out)
{
    hl_pop *p = get_pop(ctx, pop);
    if (!p)
        return AXON_ERR_NOT_FOUND;
    int k = axon_model_param_index(p->m, name);
    if (k >= 0 && p->m->kind != AXON_KIND_SOURCE_ARRAY) {
        for (uint32_t i = 0; i < p->n; i++)
            out[i] = p->params[(size_t)i * p->m->n_params + (uint32_t)k];
        return AXON_OK;
    }
    k = axon_model_init_index(p->m, name);
    if (k >= 0) {
        for (uint32_t i = 0; i < p->n; i++)
            out[i] = p->inits[(size_t)i * p->m->n_inits + (uint32_t)k];
        return AXON_OK;
    }
    return hl_err(ctx, AXON_ERR_NOT_FOUND, "%s has no parameter or initial value '%s'",
                  p->m->name, name ? name : "(null)");
}

int axon_pop_set_spike_times(axon_ctx *ctx, axon_pop pop, int32_t neuron, const double *t,
                             size_t n)
{
    hl_pop *p = get_pop(ctx, pop);
    if (!p)
        return AXON_ERR_NOT_FOUND;
    if (p->m->kind != AXON_KIND_SOURCE_ARRAY)
        return hl_err(ctx, AXON_ERR_INVALID_ARG, "population '%s' (%s) has no spike_times",
                      p->label, p->m->name);
    if (neuron < -1 || neuron >= (int32_t)p->n)
        return hl_err(ctx, AXON_ERR_INVALID_ARG, "population '%s': neuron %d outside 0..%u",
                      p->label, neuron, p->n - 1);
    for (size_t k = 0; k < n; k++)
        if (!(t[k] >= 0 && isfinite(t[k])))
            return hl_err(ctx, AXON_ERR_INVALID_ARG,
                          "population '%s': spike time %g ms (entry %zu) must be >= 0", p->label,
                          t[k], k);
    uint32_t lo = neuron < 0 ? 0 : (uint32_t)neuron, hi = neuron < 0 ? p->n : lo + 1;
    for (uint32_t i = lo; i < hi; i++) {
        double *copy = malloc(sizeof(double) * (n ? n : 1));
        if (!copy)
            return hl_err(ctx, AXON_ERR_NO_MEMORY, "spike times");
        if (n)
            memcpy(copy, t, n * sizeof *t);
        free(p->spike_times[i]);
        p->spike_times[i] = copy;
        p->n_spike_times[i] = n;
    }
    hl_unmap(ctx);
    return AXON_OK;
}

int axon_pop_positions(axon_ctx *ctx, axon_pop pop, double *xyz)
{
    hl_pop *p = get_pop(ctx, pop);
    if (!p)
        return AXON_ERR_NOT_FOUND;
    memcpy(xyz, p->pos, sizeof(double) * 3 * p->n);
    return AXON_OK;
}

int axon_pop_set_positions(axon_ctx *ctx, axon_pop pop, const double *xyz)
{
    hl_pop *p = get_pop(ctx, pop);
    if (!p)
        return AXON_ERR_NOT_FOUND;
    if (!xyz)
        return hl_err(ctx, AXON_ERR_INVALID_ARG, "population '%s': positions missing", p->label);
    for (size_t k = 0; k < 3 * (size_t)p->n; k++)
        if (!isfinite(xyz[k]))
            return hl_err(ctx, AXON_ERR_INVALID_ARG,
                          "population '%s': position %g of neuron %zu is not finite", p->label,
                          xyz[k], k / 3);
    memcpy(p->pos, xyz, sizeof(double) * 3 * p->n); /* the machine image does not use them */
    return AXON_OK;
}

/* ------------------------------------------------------------------ views */

axon_view axon_whole(const axon_ctx *ctx, axon_pop pop)
{
    axon_view v = {pop, axon_pop_size(ctx, pop), NULL};
    return v;
}

static int own_view(axon_ctx *ctx, axon_pop pop, uint32_t *idx, uint32_t n, axon_view *out)
{
    uint32_t **vs = realloc(ctx->views, sizeof *vs * (ctx->n_views + 1));
    if (!vs) {
        free(idx);
        return hl_err(ctx, AXON_ERR_NO_MEMORY, "view");
    }
    ctx->views = vs;
    ctx->views[ctx->n_views++] = idx;
    out->pop = pop;
    out->n = n;
    out->idx = idx;
    return AXON_OK;
}

int axon_view_slice(axon_ctx *ctx, axon_pop pop, int64_t start, int64_t stop, int64_t step,
                    axon_view *out)
{
    hl_pop *p = get_pop(ctx, pop);
    if (!p)
        return AXON_ERR_NOT_FOUND;
    if (step <= 0)
        return hl_err(ctx, AXON_ERR_INVALID_ARG, "view of '%s': step %lld must be positive",
                      p->label, (long long)step);
    int64_t n = p->n;
    if (start < 0)
        start += n;
    if (stop < 0)
        stop += n;
    if (start < 0 || stop > n || start > stop)
        return hl_err(ctx, AXON_ERR_INVALID_ARG,
                      "view [%lld:%lld] is outside population '%s' of %u neurons",
                      (long long)start, (long long)stop, p->label, p->n);
    uint32_t cnt = (uint32_t)((stop - start + step - 1) / step);
    if (cnt == 0)
        return hl_err(ctx, AXON_ERR_INVALID_ARG, "view [%lld:%lld] of '%s' is empty",
                      (long long)start, (long long)stop, p->label);
    uint32_t *idx = malloc(sizeof *idx * cnt);
    if (!idx)
        return hl_err(ctx, AXON_ERR_NO_MEMORY, "view");
    for (uint32_t k = 0; k < cnt; k++)
        idx[k] = (uint32_t)(start + (int64_t)k * step);
    return own_view(ctx, pop, idx, cnt, out);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

int axon_view_indices(axon_ctx *ctx, axon_pop pop, const uint32_t *in, uint32_t n,
                      axon_view *out)
{
    hl_pop *p = get_pop(ctx, pop);
    if (!p)
        return AXON_ERR_NOT_FOUND;
    if (n == 0)
        return hl_err(ctx, AXON_ERR_INVALID_ARG, "empty view of '%s'", p->label);
    uint32_t *idx = malloc(sizeof *idx * n);
    if (!idx)
        return hl_err(ctx, AXON_ERR_NO_MEMORY, "view");
    memcpy(idx, in, sizeof *idx * n);
    qsort(idx, n, sizeof *idx, cmp_u32);
    for (uint32_t k = 0; k < n; k++)
        if (idx[k] >= p->n || (k && idx[k] == idx[k - 1])) {
            uint32_t bad = idx[k];
            free(idx);
            return hl_err(ctx, AXON_ERR_INVALID_ARG,
                          bad >= p->n ? "view index %u is outside population '%s' of %u"
                                      : "view index %u of '%s' repeated (size %u)",
                          bad, p->label, p->n);
        }
    return own_view(ctx, pop, idx, n, out);
}

int axon_view_sample(axon_ctx *ctx, axon_pop pop, uint32_t n, axon_view *out)
{
    hl_pop *p = get_pop(ctx, pop);
    if (!p)
        return AXON_ERR_NOT_FOUND;
    if (n == 0 || n > p->n)
        return hl_err(ctx, AXON_ERR_INVALID_ARG, "sample(%u) from population '%s' of %u", n,
                      p->label, p->n);
    uint32_t *all = malloc(sizeof *all * p->n), *idx = malloc(sizeof *idx * n);
    if (!all || !idx) {
        free(all);
        free(idx);
        return hl_err(ctx, AXON_ERR_NO_MEMORY, "sample");
    }
    for (uint32_t i = 0; i < p->n; i++)
        all[i] = i;
    gsl_ran_choose(ctx->rng, idx, n, all, p->n, sizeof *all);
    free(all);
    return own_view(ctx, pop, idx, n, out);
}

/* ------------------------------------------------------------------ recording */

int hl_var_index(const char *name)
{
    static const char *names[HL_NVARS] = {"spikes", "v", "gsyn_exc", "gsyn_inh"};
    for (int v = 0; name && v < HL_NVARS; v++)
        if (!strcmp(name, names[v]))
            return v;
    return -1;
}

int axon_record(axon_ctx *ctx, const axon_view *view, const char *variable, double interval)
{
    if (!view)
        return hl_err(ctx, AXON_ERR_INVALID_ARG, "record: view missing");
    hl_pop *p = get_pop(ctx, view->pop);
    if (!p)
        return AXON_ERR_NOT_FOUND;
    int v = hl_var_index(variable);
    if (v < 0)
        return hl_err(ctx, AXON_ERR_NOT_FOUND,
                      "cannot record '%s' (spikes, v, gsyn_exc, gsyn_inh)",
                      variable ? variable : "(null)");
    if (v > 0 && p->m->kind != AXON_KIND_NEURON)
        return hl_err(ctx, AXON_ERR_INVALID_ARG, "population '%s' (%s) has no '%s'", p->label,
                      p->m->name, variable);
    uint32_t every = 1;
    if (interval > 0) {
        double s = interval / ctx->dt;
        if (!isfinite(s) || fabs(s - round(s)) > 1e-6 || s < 1 || s > 1e9)
            return hl_err(ctx, AXON_ERR_INVALID_ARG,
                          "sampling_interval = %g ms must be a whole number of timesteps (%g ms)",
                          interval, ctx->dt);
        every = (uint32_t)llround(s);
    } else if (interval < 0 || isnan(interval)) {
        return hl_err(ctx, AXON_ERR_INVALID_ARG, "sampling_interval = %g ms is negative",
                      interval);
    }
    for (uint32_t k = 0; k < view->n; k++) {
        uint32_t i = view->idx ? view->idx[k] : k;
        if (i >= p->n)
            return hl_err(ctx, AXON_ERR_INVALID_ARG, "view index %u outside population '%s'", i,
                          p->label);
    }
    for (uint32_t k = 0; k < view->n; k++)
        p->rec[v][view->idx ? view->idx[k] : k] = 1;
    if (v > 0)
        p->interval[v] = every;
    hl_unmap(ctx);
    return AXON_OK;
}

uint32_t axon_recorded_count(const axon_ctx *ctx, axon_pop pop, const char *variable)
{
    int v = hl_var_index(variable);
    if (v < 0 || pop < 0 || (uint32_t)pop >= ctx->n_pops)
        return 0;
    uint32_t n = 0;
    for (uint32_t i = 0; i < ctx->pops[pop].n; i++)
        n += ctx->pops[pop].rec[v][i];
    return n;
}

/* ------------------------------------------------------------------ projections */

axon_connector axon_connector_default(axon_connector_kind kind)
{
    axon_connector c;
    memset(&c, 0, sizeof c);
    c.kind = kind;
    c.allow_self_connections = 1;
    c.with_replacement = kind == AXON_CONN_FIXED_TOTAL_NUMBER;
    return c;
}

static int view_abs(axon_ctx *ctx, const axon_view *v, uint32_t **out)
{
    uint32_t *a = malloc(sizeof *a * (v->n ? v->n : 1));
    if (!a)
        return hl_err(ctx, AXON_ERR_NO_MEMORY, "view");
    for (uint32_t k = 0; k < v->n; k++)
        a[k] = v->idx ? v->idx[k] : k;
    *out = a;
    return AXON_OK;
}

static int check_view(axon_ctx *ctx, const axon_view *v, const char *role)
{
    if (!v)
        return hl_err(ctx, AXON_ERR_INVALID_ARG, "projection: %s view missing", role);
    hl_pop *p = get_pop(ctx, v->pop);
    if (!p)
        return AXON_ERR_NOT_FOUND;
    if (v->n == 0 || v->n > p->n)
        return hl_err(ctx, AXON_ERR_INVALID_ARG, "projection: %s view of %u neurons of '%s' (%u)",
                      role, v->n, p->label, p->n);
    for (uint32_t k = 0; v->idx && k < v->n; k++)
        if (v->idx[k] >= p->n)
            return hl_err(ctx, AXON_ERR_INVALID_ARG,
                          "projection: %s view index %u outside population '%s' of %u", role,
                          v->idx[k], p->label, p->n);
    return AXON_OK;
}

axon_stdp axon_stdp_default(void)
{
    axon_stdp s = {AXON_STDP_PAIR, 20.0, 20.0, 0.01, 0.01, AXON_STDP_ADDITIVE, 0.0, 1.0, 1.0};
    return s;
}

/* STDPMechanism parameters: named in the message as PyNN names them. */
static int check_stdp(axon_ctx *ctx, const axon_stdp *s, const char *label)
{
    const double amp_max = (double)AXON_PLAST_AMP_MAX / (1u << AXON_PLAST_AMP_FRAC_BITS);
    if (s->timing != AXON_STDP_PAIR && s->timing != AXON_STDP_NEAREST_PAIR)
        return hl_err(ctx, AXON_ERR_INVALID_ARG, "projection '%s': unknown timing dependence %d",
                      label, (int)s->timing);
    if (s->weight != AXON_STDP_ADDITIVE && s->weight != AXON_STDP_MULTIPLICATIVE)
        return hl_err(ctx, AXON_ERR_INVALID_ARG, "projection '%s': unknown weight dependence %d",
                      label, (int)s->weight);
    const struct {
        const char *name;
        double v, lo, hi;
        int open_lo;
    } chk[] = {{"tau_plus", s->tau_plus, 0, 1e9, 1},   {"tau_minus", s->tau_minus, 0, 1e9, 1},
               {"A_plus", s->A_plus, 0, amp_max, 0},   {"A_minus", s->A_minus, 0, amp_max, 0},
               {"w_min", s->w_min, 0, 1e300, 0},       {"w_max", s->w_max, s->w_min, 1e300, 0}};
    for (unsigned i = 0; i < sizeof chk / sizeof *chk; i++)
        if (!isfinite(chk[i].v) || chk[i].v < chk[i].lo || (chk[i].open_lo && chk[i].v <= chk[i].lo) ||
            chk[i].v > chk[i].hi)
            return hl_err(ctx, AXON_ERR_INVALID_ARG,
                          "projection '%s': STDP %s = %g is outside %s%g, %g]", label,
                          chk[i].name, chk[i].v, chk[i].open_lo ? "(" : "[", chk[i].lo,
                          chk[i].hi);
    if (s->dendritic_delay_fraction != 1.0)
        return hl_err(ctx, AXON_ERR_UNSUPPORTED,
                      "projection '%s': dendritic_delay_fraction = %g (only 1.0 is supported: "
                      "the whole delay is dendritic, as on SpiNNaker)",
                      label, s->dendritic_delay_fraction);
    return AXON_OK;
}

int axon_projection(axon_ctx *ctx, const axon_view *pre, const axon_view *post,
                    const axon_connector *conn, const axon_synapse *syn, const char *receptor,
                    const axon_space *space, const char *label, axon_proj *out)
{
    int rc;
    if ((rc = check_view(ctx, pre, "presynaptic")) || (rc = check_view(ctx, post, "postsynaptic")))
        return rc;
    if (!conn || !syn)
        return hl_err(ctx, AXON_ERR_INVALID_ARG, "projection: connector or synapse missing");
    hl_pop *pp = &ctx->pops[pre->pop], *qp = &ctx->pops[post->pop];
    if (qp->m->kind != AXON_KIND_NEURON)
        return hl_err(ctx, AXON_ERR_INVALID_ARG,
                      "projection onto '%s': a %s cannot receive synapses", qp->label, qp->m->name);
    uint32_t type;
    if (receptor && !strcmp(receptor, "excitatory"))
        type = AXON_SYN_TYPE_EXC;
    else if (receptor && !strcmp(receptor, "inhibitory"))
        type = AXON_SYN_TYPE_INH;
    else
        return hl_err(ctx, AXON_ERR_INVALID_ARG,
                      "receptor_type '%s' (excitatory or inhibitory)", receptor ? receptor : "(null)");
    char deflabel[300];
    if (!label || !*label) {
        snprintf(deflabel, sizeof deflabel, "%s->%s", pp->label, qp->label);
        label = deflabel;
    }
    hl_space sp;
    char err[AXON_ERRMSG_LEN];
    if ((rc = hl_space_init(&sp, space, err)))
        return hl_err(ctx, rc, "projection '%s': %s", label, err);
    uint32_t *pre_abs = NULL, *post_abs = NULL;
    double *pre_pos = NULL, *post_pos = NULL;
    hl_conns c = {0};
    if ((rc = view_abs(ctx, pre, &pre_abs)) || (rc = view_abs(ctx, post, &post_abs)))
        goto out;
    pre_pos = malloc(sizeof(double) * 3 * pre->n);
    post_pos = malloc(sizeof(double) * 3 * post->n);
    if (!pre_pos || !post_pos) {
        rc = hl_err(ctx, AXON_ERR_NO_MEMORY, "positions");
        goto out;
    }
    for (uint32_t k = 0; k < pre->n; k++)
        memcpy(pre_pos + 3 * k, pp->pos + 3 * (size_t)pre_abs[k], 3 * sizeof(double));
    for (uint32_t k = 0; k < post->n; k++)
        memcpy(post_pos + 3 * k, qp->pos + 3 * (size_t)post_abs[k], 3 * sizeof(double));
    hl_conn_in in = {conn, pre->n, post->n, pre_abs, post_abs, pre->pop == post->pop,
                     pre_pos, post_pos, &sp, ctx->rng};
    if ((rc = hl_connect(&in, &c, err))) {
        hl_err(ctx, rc, "projection '%s': %s", label, err);
        goto out;
    }
    if (c.n && !c.has_w) {
        c.w = malloc(sizeof(double) * c.n);
        if (!c.w || (rc = hl_conn_values(&syn->weight, &in, &c, c.w, "weight", err))) {
            rc = hl_err(ctx, c.w ? rc : AXON_ERR_NO_MEMORY, "projection '%s': %s", label,
                        c.w ? err : "weights");
            goto out;
        }
    }
    if (c.n && !c.has_d) {
        c.d = malloc(sizeof(double) * c.n);
        if (!c.d || (rc = hl_conn_values(&syn->delay, &in, &c, c.d, "delay", err))) {
            rc = hl_err(ctx, c.d ? rc : AXON_ERR_NO_MEMORY, "projection '%s': %s", label,
                        c.d ? err : "delays");
            goto out;
        }
    }
    /* weights: sign per receptor (PyNN: inhibitory current weights may be given negative),
     * delays: [timestep, max_delay] */
    int neg = 0, pos = 0;
    for (size_t k = 0; k < c.n; k++) {
        double w = c.w[k], d = c.d[k];
        if (!isfinite(w) || !isfinite(d)) {
            rc = hl_err(ctx, AXON_ERR_INVALID_ARG,
                        "projection '%s': connection %zu (%u -> %u) has weight %g, delay %g",
                        label, k, pre_abs[c.pre[k]], post_abs[c.post[k]], w, d);
            goto out;
        }
        neg |= w < 0;
        pos |= w > 0;
        double steps = d / ctx->dt;
        if (steps < 1 - 1e-9 || d > ctx->max_delay + 1e-9 || steps > AXON_DE_MAX_DELAY + 1e-9) {
            rc = hl_err(ctx, AXON_ERR_INVALID_ARG,
                        "projection '%s': delay %g ms of connection %zu (%u -> %u) is outside "
                        "[%g, %g] ms",
                        label, d, k, pre_abs[c.pre[k]], post_abs[c.post[k]], ctx->dt,
                        ctx->max_delay);
            goto out;
        }
    }
    if (neg && (type == AXON_SYN_TYPE_EXC || qp->m->conductance || pos)) {
        rc = hl_err(ctx, AXON_ERR_INVALID_ARG,
                    "projection '%s': negative weights are only allowed (all of them) on "
                    "inhibitory synapses of current-based cells; receptor is %s on %s",
                    label, receptor, qp->m->name);
        goto out;
    }
    for (size_t k = 0; k < c.n; k++) {
        c.w[k] = fabs(c.w[k]);
        c.pre[k] = pre_abs[c.pre[k]];
        c.post[k] = post_abs[c.post[k]];
    }
    if (ctx->n_projs == ctx->cap_projs) {
        uint32_t cap = ctx->cap_projs ? 2 * ctx->cap_projs : 8;
        hl_proj *np = realloc(ctx->projs, cap * sizeof *np);
        if (!np) {
            rc = hl_err(ctx, AXON_ERR_NO_MEMORY, "projection table");
            goto out;
        }
        ctx->projs = np;
        ctx->cap_projs = cap;
    }
    hl_proj *pj = &ctx->projs[ctx->n_projs];
    pj->pre = pre->pop;
    pj->post = post->pop;
    pj->type = type;
    pj->label = strdup(label);
    pj->sign = neg ? -1 : 1;
    pj->c = c;
    pj->plastic = 0;
    pj->ro = 0;
    pj->ro_pairs = NULL;
    pj->ro_n = 0;
    memset(&c, 0, sizeof c);
    if (ctx->routes_only && (rc = hl_routes_reduce(ctx, pj))) {
        free(pj->label);
        hl_conns_free(&pj->c);
        goto out;
    }
    if (out)
        *out = (axon_proj)ctx->n_projs;
    ctx->n_projs++;
    hl_unmap(ctx);
out:
    hl_conns_free(&c);
    free(pre_abs);
    free(post_abs);
    free(pre_pos);
    free(post_pos);
    return rc;
}

uint32_t axon_proj_count(const axon_ctx *ctx) { return ctx->n_projs; }

int axon_proj_set_stdp(axon_ctx *ctx, axon_proj proj, const axon_stdp *stdp)
{
    if (proj < 0 || (uint32_t)proj >= ctx->n_projs)
        return hl_err(ctx, AXON_ERR_NOT_FOUND, "projection handle %d does not exist", proj);
    hl_proj *p = &ctx->projs[proj];
    if (!stdp)
        return hl_err(ctx, AXON_ERR_INVALID_ARG, "projection '%s': STDP mechanism missing",
                      p->label);
    int rc = check_stdp(ctx, stdp, p->label);
    if (rc)
        return rc;
    p->plastic = 1;
    p->stdp = *stdp;
    hl_unmap(ctx);
    return AXON_OK;
}

int axon_proj_is_plastic(const axon_ctx *ctx, axon_proj proj)
{
    return proj >= 0 && (uint32_t)proj < ctx->n_projs && ctx->projs[proj].plastic;
}

int axon_proj_connections(axon_ctx *ctx, axon_proj proj, size_t *n, uint32_t *pre,
                          uint32_t *post, double *weight, double *delay, size_t cap)
{
    if (proj < 0 || (uint32_t)proj >= ctx->n_projs)
        return hl_err(ctx, AXON_ERR_NOT_FOUND, "projection handle %d does not exist", proj);
    const hl_proj *p = &ctx->projs[proj];
    if (n)
        *n = p->c.n;
    size_t m = p->c.n < cap ? p->c.n : cap;
    if (pre && m)
        memcpy(pre, p->c.pre, m * sizeof *pre);
    if (post && m)
        memcpy(post, p->c.post, m * sizeof *post);
    for (size_t k = 0; weight && k < m; k++)
        weight[k] = p->sign * p->c.w[k];
    if (weight && m && p->plastic) {
        int rc = hl_plastic_weights(ctx, proj, weight, m);
        if (rc)
            return rc;
    }
    if (delay)
        memcpy(delay, p->c.d, m * sizeof *delay);
    return AXON_OK;
}

int axon_proj_save(axon_ctx *ctx, axon_proj proj, const char *path)
{
    if (proj < 0 || (uint32_t)proj >= ctx->n_projs)
        return hl_err(ctx, AXON_ERR_NOT_FOUND, "projection handle %d does not exist", proj);
    const hl_proj *p = &ctx->projs[proj];
    FILE *f = fopen(path, "w");
    if (!f)
        return hl_err(ctx, AXON_ERR_IO, "cannot create '%s'", path);
    fprintf(f, "# columns = ['i', 'j', 'weight', 'delay']\n");
    for (size_t k = 0; k < p->c.n; k++)
        fprintf(f, "%u %u %.17g %.17g\n", p->c.pre[k], p->c.post[k], p->sign * p->c.w[k],
                p->c.d[k]);
    if (fclose(f))
        return hl_err(ctx, AXON_ERR_IO, "cannot write '%s'", path);
    return AXON_OK;
}
