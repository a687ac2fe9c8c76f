/* The declarative network file (docs/network_file.md): a JSON document saying what a PyNN
 * script says, mapped onto the public API (include/axon/axon.h).
 *
 * Two passes over the parsed document share one walker. The first (build = 0) checks
 * everything it can without touching the context: keys, JSON types, finite numbers,
 * ranges, cell types and parameter names (models.h), population labels, view bounds,
 * matrix shapes, constant delays. Only then does the second (build = 1) call axon_setup()
 * and the API. So a file with a structural mistake leaves the context as it was, and a file
 * the API rejects (a value out of a model's range...) leaves it set up with an empty
 * network. Every message is "<file>: <JSON path>: <what is wrong>"; API messages are
 * rewritten that way. Memory allocated while walking lives in a small arena released per
 * population/projection, which keeps the error paths simple. */
#include "axon/netfile.h"

#include "hl_ctx.h" /* hl_err(): sets the context's last-error message */

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NF_ERR AXON_ERR_INVALID_ARG

typedef struct nf_pop {
    const char *label;
    uint32_t size;
    const axon_model_info *m;
    axon_pop h;
} nf_pop;

/* a view as the file describes it */
typedef struct nf_view {
    uint32_t pop;       /* index in nf.pops */
    int kind;           /* 0 whole, 1 slice, 2 indices, 3 sample */
    int64_t start, stop, step;
    uint32_t *idx;      /* indices (arena) */
    uint32_t n;         /* neurons in the view */
} nf_view;

typedef struct nf {
    axon_ctx *ctx;
    const char *name;
    const char *base;   /* directory of the file (for FromFile), length base_len */
    size_t base_len;
    int build;
    char path[640];
    size_t plen;
    nf_pop *pops;
    uint32_t n_pops;
    double dt, min_delay, max_delay;
    uint64_t seed;
    int set_up;         /* axon_setup() done in this load */
    void **blocks;
    size_t n_blocks, cap_blocks;
} nf;

/* ------------------------------------------------------------------ paths, messages */

static size_t push_key(nf *f, const char *key)
{
    size_t m = f->plen, lim = sizeof f->path - 1, k = 0;
    if (f->plen && f->plen < lim)
        f->path[f->plen++] = '.';
    for (const unsigned char *s = (const unsigned char *)key; *s && f->plen < lim; s++, k++) {
        if (k == 60) { /* keep absurd keys readable */
            for (int d = 0; d < 3 && f->plen < lim; d++)
                f->path[f->plen++] = '.';
            break;
        }
        f->path[f->plen++] = (*s < 0x20 || *s == 0x7f) ? '?' : (char)*s;
    }
    f->path[f->plen] = 0;
    return m;
}

static size_t push_idx(nf *f, size_t i)
{
    size_t m = f->plen;
    int k = snprintf(f->path + f->plen, sizeof f->path - f->plen, "[%zu]", i);
    if (k > 0)
        f->plen += (size_t)k < sizeof f->path - f->plen ? (size_t)k : sizeof f->path - 1 - f->plen;
    return m;
}

static void pop_to(nf *f, size_t m)
{
    f->plen = m;
    f->path[m] = 0;
}

__attribute__((format(printf, 3, 4))) static int nf_err(nf *f, int rc, const char *fmt, ...)
{
    char msg[AXON_ERRMSG_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (f->plen)
        hl_err(f->ctx, rc, "%s: %s: %s", f->name, f->path, msg);
    else
        hl_err(f->ctx, rc, "%s: %s", f->name, msg);
    return rc;
}

/* An API call failed: rewrite its message with the file name and the current path. */
static int nf_api(nf *f, int rc)
{
    char msg[AXON_ERRMSG_LEN];
    snprintf(msg, sizeof msg, "%s", axon_last_error(f->ctx));
    return nf_err(f, rc < 0 ? rc : AXON_ERR_INTERNAL, "%s", msg);
}

/* A short rendering of a JSON value for messages. */
static const char *show(const json_t *j, char *b, size_t n)
{
    switch (json_typeof(j)) {
    case JSON_OBJECT: snprintf(b, n, "an object"); break;
    case JSON_ARRAY:
        snprintf(b, n, "an array of %zu element%s", json_array_size(j),
                 json_array_size(j) == 1 ? "" : "s");
        break;
    case JSON_STRING: {
        const char *s = json_string_value(j);
        size_t len = json_string_length(j), o = 0;
        if (n < 16) {
            snprintf(b, n, "a string");
            break;
        }
        b[o++] = '"';
        for (size_t i = 0; i < len && o + 6 < n; i++) {
            if (i == 40) {
                memcpy(b + o, "...", 3);
                o += 3;
                break;
            }
            unsigned char c = (unsigned char)s[i];
            b[o++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
        }
        b[o++] = '"';
        b[o] = 0;
        break;
    }
    case JSON_INTEGER: snprintf(b, n, "%" JSON_INTEGER_FORMAT, json_integer_value(j)); break;
    case JSON_REAL: snprintf(b, n, "%.15g", json_real_value(j)); break;
    case JSON_TRUE: snprintf(b, n, "true"); break;
    case JSON_FALSE: snprintf(b, n, "false"); break;
    default: snprintf(b, n, "null"); break;
    }
    return b;
}

static int type_err(nf *f, const json_t *j, const char *expected)
{
    char b[96];
    return nf_err(f, NF_ERR, "expected %s, got %s%s", expected,
                  json_is_string(j) ? "the string " : "", show(j, b, sizeof b));
}

/* ------------------------------------------------------------------ arena */

static void *nf_alloc(nf *f, size_t n)
{
    if (f->n_blocks == f->cap_blocks) {
        size_t cap = f->cap_blocks ? 2 * f->cap_blocks : 16;
        void **b = realloc(f->blocks, cap * sizeof *b);
        if (!b)
            return NULL;
        f->blocks = b;
        f->cap_blocks = cap;
    }
    void *p = malloc(n ? n : 1);
    if (p)
        f->blocks[f->n_blocks++] = p;
    return p;
}

static void nf_release(nf *f, size_t mark)
{
    while (f->n_blocks > mark)
        free(f->blocks[--f->n_blocks]);
}

static int no_memory(nf *f) { return nf_err(f, AXON_ERR_NO_MEMORY, "out of memory"); }

/* ------------------------------------------------------------------ scalars */

static int as_number(nf *f, const json_t *j, double *out)
{
    if (!json_is_number(j))
        return type_err(f, j, "a number");
    double x = json_number_value(j);
    if (!isfinite(x)) /* jansson cannot produce these; kept for safety */
        return nf_err(f, NF_ERR, "%g is not a finite number", x);
    *out = x;
    return AXON_OK;
}

/* An integer in [lo, hi]; a real with an integral value is accepted (10.0). */
static int as_int(nf *f, const json_t *j, int64_t lo, int64_t hi, int64_t *out)
{
    char b[96];
    int64_t v;
    if (json_is_integer(j)) {
        v = (int64_t)json_integer_value(j);
    } else if (json_is_real(j)) {
        double x = json_real_value(j);
        if (!(x == floor(x)) || x < -9.2e18 || x > 9.2e18)
            return nf_err(f, NF_ERR, "%s must be an integer", show(j, b, sizeof b));
        v = (int64_t)x;
    } else {
        return type_err(f, j, "an integer");
    }
    if (v < lo || v > hi) {
        if (hi == INT64_MAX)
            return nf_err(f, NF_ERR, "%s must be an integer >= %lld", show(j, b, sizeof b),
                          (long long)lo);
        return nf_err(f, NF_ERR, "%s must be an integer in [%lld, %lld]", show(j, b, sizeof b),
                      (long long)lo, (long long)hi);
    }
    *out = v;
    return AXON_OK;
}

static int as_bool(nf *f, const json_t *j, int *out)
{
    if (!json_is_boolean(j))
        return type_err(f, j, "true or false");
    *out = json_is_true(j);
    return AXON_OK;
}

static int as_string(nf *f, const json_t *j, const char **out)
{
    if (!json_is_string(j))
        return type_err(f, j, "a string");
    if (json_string_length(j) == 0)
        return nf_err(f, NF_ERR, "the string must not be empty");
    *out = json_string_value(j);
    return AXON_OK;
}

static int as_object(nf *f, const json_t *j)
{
    return json_is_object(j) ? AXON_OK : type_err(f, j, "an object");
}

static int as_array(nf *f, const json_t *j)
{
    return json_is_array(j) ? AXON_OK : type_err(f, j, "an array");
}

enum { CHK_ANY, CHK_POS, CHK_NONNEG, CHK_PROB };

static int check_range(nf *f, const json_t *j, double x, int chk)
{
    char b[96];
    if (chk == CHK_POS && !(x > 0))
        return nf_err(f, NF_ERR, "%s must be positive", show(j, b, sizeof b));
    if (chk == CHK_NONNEG && !(x >= 0))
        return nf_err(f, NF_ERR, "%s must be >= 0", show(j, b, sizeof b));
    if (chk == CHK_PROB && !(x >= 0 && x <= 1))
        return nf_err(f, NF_ERR, "%s must be a probability in [0, 1]", show(j, b, sizeof b));
    return AXON_OK;
}

static int missing(nf *f, const char *key)
{
    return nf_err(f, NF_ERR, "missing key \"%s\"", key);
}

/* Keyed getters: absent and optional leaves *out unchanged. */
static int key_number(nf *f, const json_t *o, const char *k, int req, int chk, double *out)
{
    json_t *j = json_object_get(o, k);
    if (!j)
        return req ? missing(f, k) : AXON_OK;
    size_t m = push_key(f, k);
    double x = 0;
    int rc = as_number(f, j, &x);
    if (!rc)
        rc = check_range(f, j, x, chk);
    if (!rc)
        *out = x;
    pop_to(f, m);
    return rc;
}

static int key_int(nf *f, const json_t *o, const char *k, int req, int64_t lo, int64_t hi,
                   int64_t *out)
{
    json_t *j = json_object_get(o, k);
    if (!j)
        return req ? missing(f, k) : AXON_OK;
    size_t m = push_key(f, k);
    int rc = as_int(f, j, lo, hi, out);
    pop_to(f, m);
    return rc;
}

static int key_bool(nf *f, const json_t *o, const char *k, int *out)
{
    json_t *j = json_object_get(o, k);
    if (!j)
        return AXON_OK;
    size_t m = push_key(f, k);
    int rc = as_bool(f, j, out);
    pop_to(f, m);
    return rc;
}

static int key_string(nf *f, const json_t *o, const char *k, int req, const char **out)
{
    json_t *j = json_object_get(o, k);
    if (!j)
        return req ? missing(f, k) : AXON_OK;
    size_t m = push_key(f, k);
    int rc = as_string(f, j, out);
    pop_to(f, m);
    return rc;
}

/* A string that must be one of names (NULL-terminated); *idx gets its position. */
static int key_choice(nf *f, const json_t *o, const char *k, int req, const char *const *names,
                      int *idx)
{
    const char *s = NULL;
    int rc = key_string(f, o, k, req, &s);
    if (rc || !s)
        return rc;
    for (int i = 0; names[i]; i++)
        if (!strcmp(names[i], s)) {
            *idx = i;
            return AXON_OK;
        }
    char list[256] = "", b[96];
    for (int i = 0; names[i]; i++) {
        if (i)
            strncat(list, ", ", sizeof list - strlen(list) - 1);
        strncat(list, names[i], sizeof list - strlen(list) - 1);
    }
    size_t m = push_key(f, k);
    rc = nf_err(f, NF_ERR, "%s is not one of %s", show(json_object_get(o, k), b, sizeof b),
                list);
    pop_to(f, m);
    return rc;
}

static int check_keys(nf *f, const json_t *o, const char *const *allowed)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)o, k, v)
    {
        int ok = 0;
        for (const char *const *a = allowed; *a && !ok; a++)
            ok = !strcmp(*a, k);
        if (ok)
            continue;
        char list[320] = "";
        for (const char *const *a = allowed; *a; a++) {
            if (a != allowed)
                strncat(list, ", ", sizeof list - strlen(list) - 1);
            strncat(list, *a, sizeof list - strlen(list) - 1);
        }
        size_t m = push_key(f, k);
        int rc = nf_err(f, NF_ERR, "unknown key (expected %s)", list);
        pop_to(f, m);
        return rc;
    }
    return AXON_OK;
}

/* ------------------------------------------------------------------ values */

static const struct {
    const char *name;
    unsigned n;
    const char *p[4];
    int bounds; /* params 2 and 3 are clipping bounds: null means -inf / +inf */
} dists[] = {
    {"uniform", 2, {"low", "high"}, 0},
    {"uniform_int", 2, {"low", "high"}, 0},
    {"normal", 2, {"mu", "sigma"}, 0},
    {"normal_clipped", 4, {"mu", "sigma", "low", "high"}, 1},
    {"normal_clipped_to_boundary", 4, {"mu", "sigma", "low", "high"}, 1},
    {"exponential", 1, {"beta"}, 0},
    {"lognormal", 2, {"mu", "sigma"}, 0},
    {"gamma", 2, {"k", "theta"}, 0},
    {"poisson", 1, {"lambda_"}, 0},
    {"binomial", 2, {"n", "p"}, 0},
    {"vonmises", 2, {"mu", "kappa"}, 0},
};
#define N_DISTS (sizeof dists / sizeof dists[0])

static int dist_param(nf *f, const json_t *j, int bound, int upper, double *out)
{
    if (bound && json_is_null(j)) {
        *out = upper ? INFINITY : -INFINITY;
        return AXON_OK;
    }
    return as_number(f, j, out);
}

/* {"distribution": "normal", "params": [mu, sigma] | {"mu": .., "sigma": ..}} */
static int parse_dist(nf *f, const json_t *o, axon_dist *d)
{
    static const char *const keys[] = {"distribution", "params", NULL};
    const char *name = NULL;
    int rc;
    if ((rc = check_keys(f, o, keys)) || (rc = key_string(f, o, "distribution", 1, &name)))
        return rc;
    unsigned id = 0;
    while (id < N_DISTS && strcmp(dists[id].name, name))
        id++;
    if (id == N_DISTS) {
        char list[320] = "", b[96];
        for (unsigned i = 0; i < N_DISTS; i++) {
            if (i)
                strncat(list, ", ", sizeof list - strlen(list) - 1);
            strncat(list, dists[i].name, sizeof list - strlen(list) - 1);
        }
        size_t m = push_key(f, "distribution");
        rc = nf_err(f, NF_ERR, "unknown distribution %s (%s)",
                    show(json_object_get(o, "distribution"), b, sizeof b), list);
        pop_to(f, m);
        return rc;
    }
    memset(d, 0, sizeof *d);
    d->name = dists[id].name;
    d->n_p = dists[id].n;
    char names[64] = "";
    for (unsigned i = 0; i < dists[id].n; i++) {
        if (i)
            strncat(names, ", ", sizeof names - strlen(names) - 1);
        strncat(names, dists[id].p[i], sizeof names - strlen(names) - 1);
    }
    json_t *p = json_object_get(o, "params");
    if (!p)
        return missing(f, "params");
    size_t m = push_key(f, "params");
    if (json_is_array(p)) {
        if (json_array_size(p) != dists[id].n) {
            rc = nf_err(f, NF_ERR, "%s takes %u parameter%s (%s), got %zu", d->name,
                        dists[id].n, dists[id].n == 1 ? "" : "s", names, json_array_size(p));
        }
        for (unsigned i = 0; !rc && i < dists[id].n; i++) {
            size_t m2 = push_idx(f, i);
            rc = dist_param(f, json_array_get(p, i), dists[id].bounds && i >= 2, i == 3,
                            &d->p[i]);
            pop_to(f, m2);
        }
    } else if (json_is_object(p)) {
        const char *keys2[5] = {NULL};
        for (unsigned i = 0; i < dists[id].n; i++)
            keys2[i] = dists[id].p[i];
        rc = check_keys(f, p, keys2);
        for (unsigned i = 0; !rc && i < dists[id].n; i++) {
            int bound = dists[id].bounds && i >= 2;
            json_t *x = json_object_get(p, dists[id].p[i]);
            if (!x && bound) {
                d->p[i] = i == 3 ? INFINITY : -INFINITY;
                continue;
            }
            if (!x) {
                rc = nf_err(f, NF_ERR, "missing key \"%s\" (%s takes %s)", dists[id].p[i],
                            d->name, names);
                break;
            }
            size_t m2 = push_key(f, dists[id].p[i]);
            rc = dist_param(f, x, bound, i == 3, &d->p[i]);
            pop_to(f, m2);
        }
    } else {
        rc = type_err(f, p, "an array or an object of parameters");
    }
    pop_to(f, m);
    return rc;
}

/* An array of finite numbers, copied into the arena. */
static int num_array(nf *f, const json_t *a, double **out)
{
    size_t n = json_array_size(a);
    double *v = nf_alloc(f, n * sizeof *v);
    if (!v)
        return no_memory(f);
    for (size_t i = 0; i < n; i++) {
        size_t m = push_idx(f, i);
        int rc = as_number(f, json_array_get(a, i), &v[i]);
        pop_to(f, m);
        if (rc)
            return rc;
    }
    *out = v;
    return AXON_OK;
}

/* A neuron parameter or initial value for n neurons: number, array of n numbers or a
 * distribution. */
static int parse_nvalue(nf *f, const json_t *j, uint32_t n, axon_value *v)
{
    *v = axon_const(0);
    if (json_is_number(j))
        return as_number(f, j, &v->c);
    if (json_is_array(j)) {
        if (json_array_size(j) != n)
            return nf_err(f, NF_ERR, "an array of %zu values for a population of %u neurons",
                          json_array_size(j), n);
        v->kind = AXON_VALUE_ARRAY;
        v->n = n;
        double *a = NULL;
        int rc = num_array(f, j, &a);
        v->array = a;
        return rc;
    }
    if (json_is_object(j)) {
        v->kind = AXON_VALUE_RANDOM;
        return parse_dist(f, j, &v->dist);
    }
    return type_err(f, j, "a number, an array of numbers or a distribution object");
}

static int check_delay(nf *f, double d, const json_t *j)
{
    char b[96];
    if (d / f->dt < 1 - 1e-9 || d > f->max_delay + 1e-9)
        return nf_err(f, NF_ERR,
                      "delay %s ms is outside [%g, %g] ms (the timestep and max_delay of "
                      "\"setup\")",
                      show(j, b, sizeof b), f->dt, f->max_delay);
    return AXON_OK;
}

/* A string that reads as a number ("nan", "1e999", "0.5") is not an expression. */
static int check_expr(nf *f, const json_t *j)
{
    const char *s = json_string_value(j);
    char *end;
    char b[96];
    double x = strtod(s, &end);
    while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')
        end++;
    if (end != s && *end == 0)
        return nf_err(f, NF_ERR, "%s is %s; write numbers as JSON numbers", show(j, b, sizeof b),
                      isfinite(x) ? "a number in a string" : "not a finite number");
    if (strlen(s) != json_string_length(j))
        return nf_err(f, NF_ERR, "the expression contains a NUL character");
    return AXON_OK;
}

/* A synaptic weight or delay: number, distance expression, array (one value per
 * connection, or a n_pre x n_post matrix given as rows) or a distribution. */
static int parse_svalue(nf *f, const json_t *j, uint32_t n_pre, uint32_t n_post, int delay,
                        axon_value *v)
{
    int rc;
    *v = axon_const(0);
    if (json_is_number(j)) {
        if ((rc = as_number(f, j, &v->c)))
            return rc;
        return delay ? check_delay(f, v->c, j) : AXON_OK;
    }
    if (json_is_string(j)) {
        if ((rc = check_expr(f, j)))
            return rc;
        v->kind = AXON_VALUE_EXPR;
        v->expr = json_string_value(j);
        return AXON_OK;
    }
    if (json_is_object(j)) {
        v->kind = AXON_VALUE_RANDOM;
        return parse_dist(f, j, &v->dist);
    }
    if (!json_is_array(j))
        return type_err(f, j, "a number, a distance expression, an array or a distribution");
    v->kind = AXON_VALUE_ARRAY;
    size_t rows = json_array_size(j);
    double *a = NULL;
    if (rows && json_is_array(json_array_get(j, 0))) { /* matrix */
        if (rows != n_pre)
            return nf_err(f, NF_ERR, "a matrix of %zu rows for %u presynaptic neurons", rows,
                          n_pre);
        for (size_t r = 0; r < rows; r++) { /* the shape first: allocate what the file holds */
            json_t *row = json_array_get(j, r);
            size_t m = push_idx(f, r);
            rc = as_array(f, row);
            if (!rc && json_array_size(row) != n_post)
                rc = nf_err(f, NF_ERR, "a row of %zu values for %u postsynaptic neurons",
                            json_array_size(row), n_post);
            pop_to(f, m);
            if (rc)
                return rc;
        }
        a = nf_alloc(f, rows * n_post * sizeof *a);
        if (!a)
            return no_memory(f);
        for (size_t r = 0; r < rows; r++) {
            json_t *row = json_array_get(j, r);
            size_t m = push_idx(f, r), mark = f->n_blocks;
            double *rv = NULL;
            rc = num_array(f, row, &rv);
            if (!rc)
                memcpy(a + r * n_post, rv, n_post * sizeof *a);
            for (size_t c = 0; !rc && delay && c < n_post; c++) {
                size_t m2 = push_idx(f, c);
                rc = check_delay(f, rv[c], json_array_get(row, c));
                pop_to(f, m2);
            }
            nf_release(f, mark);
            pop_to(f, m);
            if (rc)
                return rc;
        }
        v->n = rows * n_post;
    } else {
        if ((rc = num_array(f, j, &a)))
            return rc;
        for (size_t c = 0; delay && c < rows; c++) {
            size_t m2 = push_idx(f, c);
            rc = check_delay(f, a[c], json_array_get(j, c));
            pop_to(f, m2);
            if (rc)
                return rc;
        }
        v->n = rows;
    }
    v->array = a;
    return AXON_OK;
}

/* ------------------------------------------------------------------ setup, machine */

static int parse_setup(nf *f, const json_t *root)
{
    static const char *const keys[] = {"timestep", "min_delay", "max_delay", "seed", NULL};
    f->dt = 1.0;
    f->seed = 1;
    double min_d = -1, max_d = -1; /* -1: "auto" */
    json_t *s = json_object_get(root, "setup");
    int rc = AXON_OK;
    if (s) {
        size_t m = push_key(f, "setup");
        rc = as_object(f, s);
        if (!rc)
            rc = check_keys(f, s, keys);
        if (!rc)
            rc = key_number(f, s, "timestep", 0, CHK_POS, &f->dt);
        const char *dk[2] = {"min_delay", "max_delay"};
        double *dv[2] = {&min_d, &max_d};
        for (int i = 0; i < 2 && !rc; i++) {
            json_t *j = json_object_get(s, dk[i]);
            if (!j || (json_is_string(j) && !strcmp(json_string_value(j), "auto")))
                continue;
            size_t m2 = push_key(f, dk[i]);
            if (!json_is_number(j))
                rc = type_err(f, j, "a number or \"auto\"");
            else if (!(rc = as_number(f, j, dv[i])))
                rc = check_range(f, j, *dv[i], CHK_POS);
            pop_to(f, m2);
        }
        int64_t seed = 1;
        if (!rc)
            rc = key_int(f, s, "seed", 0, 0, INT64_MAX, &seed);
        f->seed = (uint64_t)seed;
        pop_to(f, m);
    }
    f->min_delay = min_d < 0 ? f->dt : min_d;
    f->max_delay = max_d < 0 ? AXON_DE_MAX_DELAY * f->dt : max_d;
    if (rc || !f->build)
        return rc;
    if ((rc = axon_setup(f->ctx, f->dt, f->min_delay, f->max_delay, f->seed))) {
        size_t m = push_key(f, "setup");
        nf_api(f, rc);
        pop_to(f, m);
        return rc;
    }
    f->set_up = 1;
    return AXON_OK;
}

static int parse_machine(nf *f, const json_t *root)
{
    static const char *const keys[] = {"width", "height", "cores_per_chip", "neurons_per_core",
                                       "wrap", "threads", "spikes_per_second",
                                       "ring_buffer_sigma", NULL};
    axon_machine_opts mo;
    memset(&mo, 0, sizeof mo);
    json_t *s = json_object_get(root, "machine");
    int rc = AXON_OK;
    size_t m = push_key(f, "machine");
    if (s) {
        int64_t w = 0, h = 0, c = 0, n = 0, t = 0;
        int wrap = 0;
        if ((rc = as_object(f, s)) || (rc = check_keys(f, s, keys)) ||
            (rc = key_int(f, s, "width", 0, 0, UINT32_MAX, &w)) ||
            (rc = key_int(f, s, "height", 0, 0, UINT32_MAX, &h)) ||
            (rc = key_int(f, s, "cores_per_chip", 0, 0, UINT32_MAX, &c)) ||
            (rc = key_int(f, s, "neurons_per_core", 0, 0, UINT32_MAX, &n)) ||
            (rc = key_bool(f, s, "wrap", &wrap)) || (rc = key_int(f, s, "threads", 0, 0, 64, &t)) ||
            (rc = key_number(f, s, "spikes_per_second", 0, CHK_NONNEG, &mo.spikes_per_second)) ||
            (rc = key_number(f, s, "ring_buffer_sigma", 0, CHK_NONNEG, &mo.ring_buffer_sigma)))
            goto out;
        mo.width = (uint32_t)w;
        mo.height = (uint32_t)h;
        mo.cores_per_chip = (uint32_t)c;
        mo.neurons_per_core = (uint32_t)n;
        mo.wrap = wrap;
        mo.threads = (unsigned)t;
    }
    /* always applied: a file without "machine" gets the automatic options */
    if (f->build && (rc = axon_set_machine(f->ctx, &mo)))
        nf_api(f, rc);
out:
    pop_to(f, m);
    return rc;
}

/* "run", "output", "backend": returned to the caller, not applied. */
static int parse_run(nf *f, const json_t *root, axon_netfile_run *run)
{
    static const char *const keys[] = {"duration", NULL};
    static const char *const backends[] = {"ref", "emu", "usb", "usb-direct", NULL};
    int rc;
    double dur = 0;
    json_t *r = json_object_get(root, "run");
    if (r) {
        size_t m = push_key(f, "run");
        rc = as_object(f, r);
        if (!rc)
            rc = check_keys(f, r, keys);
        if (!rc)
            rc = key_number(f, r, "duration", 0, CHK_NONNEG, &dur);
        pop_to(f, m);
        if (rc)
            return rc;
    }
    const char *out = NULL;
    if ((rc = key_string(f, root, "output", 0, &out)))
        return rc;
    if (out && strlen(out) >= sizeof run->output) {
        size_t m = push_key(f, "output");
        rc = nf_err(f, NF_ERR, "the path is longer than %zu bytes", sizeof run->output - 1);
        pop_to(f, m);
        return rc;
    }
    int be = -1;
    if ((rc = key_choice(f, root, "backend", 0, backends, &be)))
        return rc;
    if (run) {
        run->duration_ms = dur;
        if (out)
            snprintf(run->output, sizeof run->output, "%s", out);
        if (be >= 0)
            snprintf(run->backend, sizeof run->backend, "%s", backends[be]);
    }
    return AXON_OK;
}

/* ------------------------------------------------------------------ populations */

static int parse_structure(nf *f, const json_t *o, axon_structure *s)
{
    static const char *const types[] = {"Line", "Grid2D", "Grid3D", "RandomStructure", NULL};
    static const char *const k_line[] = {"type", "dx", "x0", "y", "z", NULL};
    static const char *const k_g2[] = {"type", "aspect_ratio", "dx", "dy", "x0", "y0", "z",
                                       "fill_order", NULL};
    static const char *const k_g3[] = {"type", "aspect_ratioXY", "aspect_ratioXZ", "dx", "dy",
                                       "dz", "x0", "y0", "z0", "fill_order", NULL};
    static const char *const k_rnd[] = {"type", "boundary", "origin", NULL};
    static const char *const fills[] = {"sequential", "random", NULL};
    int rc, t = -1;
    memset(s, 0, sizeof *s);
    if ((rc = as_object(f, o)) || (rc = key_choice(f, o, "type", 1, types, &t)))
        return rc;
    double *p = s->p;
    int fill = 0;
    switch (t) {
    case 0:
        s->kind = AXON_STRUCT_LINE;
        p[0] = 1;
        if ((rc = check_keys(f, o, k_line)) || (rc = key_number(f, o, "dx", 0, CHK_ANY, &p[0])) ||
            (rc = key_number(f, o, "x0", 0, CHK_ANY, &p[1])) ||
            (rc = key_number(f, o, "y", 0, CHK_ANY, &p[2])) ||
            (rc = key_number(f, o, "z", 0, CHK_ANY, &p[3])))
            return rc;
        return AXON_OK;
    case 1:
        s->kind = AXON_STRUCT_GRID2D;
        p[0] = p[1] = p[2] = 1;
        if ((rc = check_keys(f, o, k_g2)) ||
            (rc = key_number(f, o, "aspect_ratio", 0, CHK_POS, &p[0])) ||
            (rc = key_number(f, o, "dx", 0, CHK_ANY, &p[1])) ||
            (rc = key_number(f, o, "dy", 0, CHK_ANY, &p[2])) ||
            (rc = key_number(f, o, "x0", 0, CHK_ANY, &p[3])) ||
            (rc = key_number(f, o, "y0", 0, CHK_ANY, &p[4])) ||
            (rc = key_number(f, o, "z", 0, CHK_ANY, &p[5])) ||
            (rc = key_choice(f, o, "fill_order", 0, fills, &fill)))
            return rc;
        s->fill_random = fill;
        return AXON_OK;
    case 2:
        s->kind = AXON_STRUCT_GRID3D;
        p[0] = p[1] = p[2] = p[3] = p[4] = 1;
        if ((rc = check_keys(f, o, k_g3)) ||
            (rc = key_number(f, o, "aspect_ratioXY", 0, CHK_POS, &p[0])) ||
            (rc = key_number(f, o, "aspect_ratioXZ", 0, CHK_POS, &p[1])) ||
            (rc = key_number(f, o, "dx", 0, CHK_ANY, &p[2])) ||
            (rc = key_number(f, o, "dy", 0, CHK_ANY, &p[3])) ||
            (rc = key_number(f, o, "dz", 0, CHK_ANY, &p[4])) ||
            (rc = key_number(f, o, "x0", 0, CHK_ANY, &p[5])) ||
            (rc = key_number(f, o, "y0", 0, CHK_ANY, &p[6])) ||
            (rc = key_number(f, o, "z0", 0, CHK_ANY, &p[7])) ||
            (rc = key_choice(f, o, "fill_order", 0, fills, &fill)))
            return rc;
        s->fill_random = fill;
        return AXON_OK;
    default: break;
    }
    /* RandomStructure */
    static const char *const btypes[] = {"Sphere", "Cuboid", NULL};
    static const char *const k_sph[] = {"type", "radius", NULL};
    static const char *const k_cub[] = {"type", "width", "height", "depth", NULL};
    double origin[3] = {0, 0, 0};
    if ((rc = check_keys(f, o, k_rnd)))
        return rc;
    json_t *org = json_object_get(o, "origin");
    if (org) {
        size_t m = push_key(f, "origin");
        rc = as_array(f, org);
        if (!rc && json_array_size(org) != 3)
            rc = nf_err(f, NF_ERR, "origin needs 3 coordinates [x, y, z], got %zu",
                        json_array_size(org));
        for (size_t i = 0; !rc && i < 3; i++) {
            size_t m2 = push_idx(f, i);
            rc = as_number(f, json_array_get(org, i), &origin[i]);
            pop_to(f, m2);
        }
        pop_to(f, m);
        if (rc)
            return rc;
    }
    json_t *b = json_object_get(o, "boundary");
    if (!b)
        return missing(f, "boundary");
    size_t m = push_key(f, "boundary");
    int bt = -1;
    if (!(rc = as_object(f, b)) && !(rc = key_choice(f, b, "type", 1, btypes, &bt))) {
        if (bt == 0) {
            s->kind = AXON_STRUCT_RANDOM_SPHERE;
            if (!(rc = check_keys(f, b, k_sph)) &&
                !(rc = key_number(f, b, "radius", 1, CHK_POS, &p[0])))
                memcpy(p + 1, origin, sizeof origin);
        } else {
            s->kind = AXON_STRUCT_RANDOM_CUBOID;
            if (!(rc = check_keys(f, b, k_cub)) &&
                !(rc = key_number(f, b, "width", 1, CHK_POS, &p[0])) &&
                !(rc = key_number(f, b, "height", 1, CHK_POS, &p[1])) &&
                !(rc = key_number(f, b, "depth", 1, CHK_POS, &p[2])))
                memcpy(p + 3, origin, sizeof origin);
        }
    }
    pop_to(f, m);
    return rc;
}

static const nf_pop *find_pop(const nf *f, const char *label, uint32_t *idx)
{
    for (uint32_t i = 0; i < f->n_pops; i++)
        if (f->pops[i].label && !strcmp(f->pops[i].label, label)) {
            *idx = i;
            return &f->pops[i];
        }
    return NULL;
}

/* {"slice": [start, stop(, step)]} | {"indices": [...]} | {"sample": n}, in an object that
 * may hold other keys (the projection's "population"). */
static int parse_view(nf *f, const json_t *o, uint32_t pop, nf_view *v)
{
    const nf_pop *p = &f->pops[pop];
    memset(v, 0, sizeof *v);
    v->pop = pop;
    v->n = p->size;
    const char *which[3] = {"slice", "indices", "sample"};
    int found = -1;
    for (int i = 0; i < 3; i++)
        if (json_object_get(o, which[i])) {
            if (found >= 0)
                return nf_err(f, NF_ERR, "give one of \"slice\", \"indices\" or \"sample\", not "
                                         "\"%s\" and \"%s\"",
                              which[found], which[i]);
            found = i;
        }
    if (found < 0)
        return AXON_OK;
    json_t *j = json_object_get(o, which[found]);
    size_t m = push_key(f, which[found]);
    int rc = AXON_OK;
    char b[96];
    if (found == 0) {
        int64_t s[3] = {0, p->size, 1};
        size_t len = json_is_array(j) ? json_array_size(j) : 0;
        if (!json_is_array(j) || len < 2 || len > 3)
            rc = type_err(f, j, "[start, stop] or [start, stop, step]");
        for (size_t i = 0; !rc && i < len; i++) {
            json_t *x = json_array_get(j, i);
            if (json_is_null(x) && i < 2)
                continue; /* Python's omitted bound */
            size_t m2 = push_idx(f, i);
            rc = as_int(f, x, i == 2 ? 1 : INT32_MIN, i == 2 ? INT32_MAX : UINT32_MAX, &s[i]);
            pop_to(f, m2);
        }
        if (!rc) {
            int64_t n = p->size, a = s[0] < 0 ? s[0] + n : s[0], z = s[1] < 0 ? s[1] + n : s[1];
            if (a < 0 || z > n || a >= z)
                rc = nf_err(f, NF_ERR,
                            "[%lld, %lld, %lld] selects nothing or is outside population '%s' "
                            "of %u neurons",
                            (long long)s[0], (long long)s[1], (long long)s[2], p->label, p->size);
            v->kind = 1;
            v->start = a;
            v->stop = z;
            v->step = s[2];
            v->n = (uint32_t)((z - a + s[2] - 1) / s[2]);
        }
    } else if (found == 1) {
        size_t n = json_is_array(j) ? json_array_size(j) : 0;
        if (!json_is_array(j))
            rc = type_err(f, j, "an array of neuron indices");
        else if (n == 0)
            rc = nf_err(f, NF_ERR, "the view is empty");
        else if (n > p->size)
            rc = nf_err(f, NF_ERR, "%zu indices for population '%s' of %u neurons", n, p->label,
                        p->size);
        uint32_t *idx = rc ? NULL : nf_alloc(f, n * sizeof *idx);
        if (!rc && !idx)
            rc = no_memory(f);
        for (size_t i = 0; !rc && i < n; i++) {
            int64_t x = 0;
            size_t m2 = push_idx(f, i);
            json_t *e = json_array_get(j, i);
            rc = as_int(f, e, 0, INT64_MAX, &x);
            if (!rc && x >= p->size)
                rc = nf_err(f, NF_ERR, "index %s is outside population '%s' of %u neurons",
                            show(e, b, sizeof b), p->label, p->size);
            idx[i] = (uint32_t)x;
            pop_to(f, m2);
        }
        v->kind = 2;
        v->idx = idx;
        v->n = (uint32_t)n;
    } else {
        int64_t n = 0;
        rc = as_int(f, j, 1, INT64_MAX, &n);
        if (!rc && n > p->size)
            rc = nf_err(f, NF_ERR, "cannot sample %lld neurons from population '%s' of %u",
                        (long long)n, p->label, p->size);
        v->kind = 3;
        v->n = (uint32_t)n;
    }
    pop_to(f, m);
    return rc;
}

/* The API view for a parsed one (build pass). */
static int make_view(nf *f, const nf_view *v, axon_view *out)
{
    axon_pop h = f->pops[v->pop].h;
    int rc = AXON_OK;
    switch (v->kind) {
    case 0: *out = axon_whole(f->ctx, h); break;
    case 1: rc = axon_view_slice(f->ctx, h, v->start, v->stop, v->step, out); break;
    case 2: rc = axon_view_indices(f->ctx, h, v->idx, v->n, out); break;
    default: rc = axon_view_sample(f->ctx, h, v->n, out); break;
    }
    return rc ? nf_api(f, rc) : AXON_OK;
}

static int times_array(nf *f, const json_t *a, double **out)
{
    int rc = num_array(f, a, out);
    for (size_t i = 0; !rc && i < json_array_size(a); i++)
        if (!((*out)[i] >= 0)) {
            char b[96];
            size_t m = push_idx(f, i);
            rc = nf_err(f, NF_ERR, "spike time %s ms must be >= 0",
                        show(json_array_get(a, i), b, sizeof b));
            pop_to(f, m);
        }
    return rc;
}

/* SpikeSourceArray: [t, ...] for every neuron or [[t, ...] per neuron]. */
static int parse_spike_times(nf *f, const json_t *j, const nf_pop *p)
{
    int rc;
    if (p->m->kind != AXON_KIND_SOURCE_ARRAY)
        return nf_err(f, NF_ERR, "only a SpikeSourceArray has spike_times; '%s' has cell type %s",
                      p->label, p->m->name);
    if ((rc = as_array(f, j)))
        return rc;
    size_t n = json_array_size(j);
    int per_neuron = n && json_is_array(json_array_get(j, 0));
    if (!per_neuron) {
        double *t = NULL;
        if ((rc = times_array(f, j, &t)))
            return rc;
        if (f->build && (rc = axon_pop_set_spike_times(f->ctx, p->h, -1, t, n)))
            return nf_api(f, rc);
        return AXON_OK;
    }
    if (n != p->size)
        return nf_err(f, NF_ERR, "%zu spike trains for population '%s' of %u neurons", n,
                      p->label, p->size);
    for (size_t i = 0; i < n; i++) {
        size_t m = push_idx(f, i), mark = f->n_blocks;
        json_t *row = json_array_get(j, i);
        double *t = NULL;
        rc = json_is_array(row) ? times_array(f, row, &t)
                                : type_err(f, row, "an array of spike times (one per neuron)");
        if (!rc && f->build &&
            (rc = axon_pop_set_spike_times(f->ctx, p->h, (int32_t)i, t, json_array_size(row))))
            nf_api(f, rc);
        nf_release(f, mark);
        pop_to(f, m);
        if (rc)
            return rc;
    }
    return AXON_OK;
}

static const char *const rec_vars[] = {"spikes", "v", "gsyn_exc", "gsyn_inh", NULL};

static int record_var(nf *f, const json_t *j, const nf_pop *p, const axon_view *view,
                      double interval)
{
    const char *s = NULL;
    char b[96];
    int rc = as_string(f, j, &s), known = 0;
    if (rc)
        return rc;
    for (int i = 0; rec_vars[i]; i++)
        known |= !strcmp(rec_vars[i], s);
    if (!known)
        return nf_err(f, NF_ERR, "cannot record %s (spikes, v, gsyn_exc, gsyn_inh)",
                      show(j, b, sizeof b));
    if (strcmp(s, "spikes") && p->m->kind != AXON_KIND_NEURON)
        return nf_err(f, NF_ERR, "a %s records only spikes, not %s", p->m->name,
                      show(j, b, sizeof b));
    if (f->build && (rc = axon_record(f->ctx, view, s, interval)))
        return nf_api(f, rc);
    return AXON_OK;
}

/* "record": "spikes" | ["spikes", "v", {"variables": [...], "sampling_interval": ms,
 * "view": {...}}] */
static int parse_record_item(nf *f, const json_t *j, uint32_t pi)
{
    static const char *const keys[] = {"variables", "sampling_interval", "view", NULL};
    static const char *const vkeys[] = {"slice", "indices", "sample", NULL};
    const nf_pop *p = &f->pops[pi];
    axon_view whole = f->build ? axon_whole(f->ctx, p->h) : (axon_view){0, 0, NULL};
    if (json_is_string(j))
        return record_var(f, j, p, &whole, 0);
    if (!json_is_object(j))
        return type_err(f, j, "a variable name or an object");
    int rc;
    double interval = 0;
    if ((rc = check_keys(f, j, keys)) ||
        (rc = key_number(f, j, "sampling_interval", 0, CHK_NONNEG, &interval)))
        return rc;
    nf_view nv;
    axon_view view = whole;
    json_t *vo = json_object_get(j, "view");
    if (vo) {
        size_t m = push_key(f, "view");
        rc = as_object(f, vo);
        if (!rc)
            rc = check_keys(f, vo, vkeys);
        if (!rc)
            rc = parse_view(f, vo, pi, &nv);
        if (!rc && nv.kind == 0)
            rc = nf_err(f, NF_ERR, "give \"slice\", \"indices\" or \"sample\"");
        if (!rc && f->build)
            rc = make_view(f, &nv, &view);
        pop_to(f, m);
        if (rc)
            return rc;
    }
    json_t *vars = json_object_get(j, "variables");
    if (!vars)
        return missing(f, "variables");
    size_t m = push_key(f, "variables");
    if (json_is_array(vars)) {
        if (json_array_size(vars) == 0)
            rc = nf_err(f, NF_ERR, "no variables");
        for (size_t i = 0; !rc && i < json_array_size(vars); i++) {
            size_t m2 = push_idx(f, i);
            rc = record_var(f, json_array_get(vars, i), p, &view, interval);
            pop_to(f, m2);
        }
    } else {
        rc = record_var(f, vars, p, &view, interval);
    }
    pop_to(f, m);
    return rc;
}

static int parse_record(nf *f, const json_t *j, uint32_t pi)
{
    if (!json_is_array(j))
        return parse_record_item(f, j, pi);
    for (size_t i = 0; i < json_array_size(j); i++) {
        size_t m = push_idx(f, i);
        int rc = parse_record_item(f, json_array_get(j, i), pi);
        pop_to(f, m);
        if (rc)
            return rc;
    }
    return AXON_OK;
}

static void param_names(const axon_param_info *ps, uint32_t n, char *list, size_t len)
{
    list[0] = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (i)
            strncat(list, ", ", len - strlen(list) - 1);
        strncat(list, ps[i].name, len - strlen(list) - 1);
    }
    if (!n)
        snprintf(list, len, "none");
}

/* "parameters" (init = 0) or "initial_values" (init = 1) */
static int parse_values(nf *f, const json_t *o, uint32_t pi, int init, const json_t **spikes)
{
    const nf_pop *p = &f->pops[pi];
    const axon_model_info *m = p->m;
    int rc;
    if ((rc = as_object(f, o)))
        return rc;
    const char *k;
    json_t *j;
    json_object_foreach((json_t *)o, k, j)
    {
        size_t mk = push_key(f, k), mark = f->n_blocks;
        if (!init && m->kind == AXON_KIND_SOURCE_ARRAY && !strcmp(k, "spike_times")) {
            *spikes = j; /* applied with the population's "spike_times" */
            pop_to(f, mk);
            continue;
        }
        int idx = init ? axon_model_init_index(m, k) : axon_model_param_index(m, k);
        if (idx < 0 || (!init && m->kind == AXON_KIND_SOURCE_ARRAY)) {
            char list[320];
            int other = init ? axon_model_param_index(m, k) : axon_model_init_index(m, k);
            if (init)
                param_names(m->inits, m->n_inits, list, sizeof list);
            else if (m->kind == AXON_KIND_SOURCE_ARRAY)
                snprintf(list, sizeof list, "spike_times");
            else
                param_names(m->params, m->n_params, list, sizeof list);
            rc = nf_err(f, AXON_ERR_NOT_FOUND, "%s has no %s '%s'%s (%s)", m->name,
                        init ? "initial value" : "parameter", k,
                        other >= 0 ? (init ? ": it is a parameter" : ": it is an initial value")
                                   : "",
                        list);
        } else {
            axon_value v;
            rc = parse_nvalue(f, j, p->size, &v);
            if (!rc && f->build) {
                rc = init ? axon_pop_initialize(f->ctx, p->h, k, &v)
                          : axon_pop_set(f->ctx, p->h, k, &v);
                if (rc)
                    nf_api(f, rc);
            }
        }
        nf_release(f, mark);
        pop_to(f, mk);
        if (rc)
            return rc;
    }
    return AXON_OK;
}

static int parse_population(nf *f, const json_t *o, uint32_t pi)
{
    static const char *const keys[] = {"label", "size", "celltype", "parameters",
                                       "initial_values", "structure", "spike_times", "record",
                                       NULL};
    int rc;
    if ((rc = as_object(f, o)) || (rc = check_keys(f, o, keys)))
        return rc;
    const char *label = NULL, *ct = NULL;
    int64_t size = 0;
    if ((rc = key_string(f, o, "label", 1, &label)) ||
        (rc = key_int(f, o, "size", 1, 1, UINT32_MAX, &size)) ||
        (rc = key_string(f, o, "celltype", 1, &ct)))
        return rc;
    nf_pop *p = &f->pops[pi];
    if (!f->build) {
        uint32_t other;
        if (find_pop(f, label, &other)) {
            size_t m = push_key(f, "label");
            rc = nf_err(f, NF_ERR, "label '%s' is already used by populations[%u]", label,
                        other);
            pop_to(f, m);
            return rc;
        }
        p->m = axon_model_find(ct);
        if (!p->m) {
            char list[320] = "";
            for (uint32_t i = 0; i < axon_model_count(); i++) {
                if (i)
                    strncat(list, ", ", sizeof list - strlen(list) - 1);
                strncat(list, axon_model_at(i)->name, sizeof list - strlen(list) - 1);
            }
            size_t m = push_key(f, "celltype");
            rc = nf_err(f, AXON_ERR_NOT_FOUND, "unknown cell type '%s' (%s)", ct, list);
            pop_to(f, m);
            return rc;
        }
        p->label = label;
        p->size = (uint32_t)size;
    }
    axon_structure st, *stp = NULL;
    json_t *sj = json_object_get(o, "structure");
    if (sj) {
        size_t m = push_key(f, "structure");
        rc = parse_structure(f, sj, &st);
        pop_to(f, m);
        if (rc)
            return rc;
        stp = &st;
    }
    if (f->build && (rc = axon_population(f->ctx, p->size, p->m->name, label, stp, &p->h))) {
        size_t m = stp ? push_key(f, "structure") : f->plen;
        nf_api(f, rc);
        pop_to(f, m);
        return rc;
    }
    const json_t *spikes = NULL, *sp2 = json_object_get(o, "spike_times");
    const char *sec[2] = {"parameters", "initial_values"};
    for (int i = 0; i < 2; i++) {
        json_t *j = json_object_get(o, sec[i]);
        if (!j)
            continue;
        size_t m = push_key(f, sec[i]);
        rc = parse_values(f, j, pi, i, &spikes);
        pop_to(f, m);
        if (rc)
            return rc;
    }
    if (spikes && sp2)
        return nf_err(f, NF_ERR, "spike_times is given twice (in \"parameters\" and in the "
                                 "population)");
    if (sp2 || spikes) {
        size_t m = push_key(f, sp2 ? "spike_times" : "parameters");
        if (!sp2)
            push_key(f, "spike_times");
        rc = parse_spike_times(f, sp2 ? sp2 : spikes, p);
        pop_to(f, m);
        if (rc)
            return rc;
    }
    json_t *rj = json_object_get(o, "record");
    if (rj) {
        size_t m = push_key(f, "record");
        rc = parse_record(f, rj, pi);
        pop_to(f, m);
    }
    return rc;
}

/* ------------------------------------------------------------------ projections */

static int parse_endpoint(nf *f, const json_t *j, nf_view *v)
{
    static const char *const keys[] = {"population", "slice", "indices", "sample", NULL};
    int rc;
    const char *label = NULL;
    uint32_t pi = 0;
    char b[96];
    if (json_is_string(j)) {
        if ((rc = as_string(f, j, &label)))
            return rc;
        if (!find_pop(f, label, &pi))
            return nf_err(f, AXON_ERR_NOT_FOUND, "no population labelled %s",
                          show(j, b, sizeof b));
        memset(v, 0, sizeof *v);
        v->pop = pi;
        v->n = f->pops[pi].size;
        return AXON_OK;
    }
    if (!json_is_object(j))
        return type_err(f, j, "a population label or an object");
    if ((rc = check_keys(f, j, keys)) || (rc = key_string(f, j, "population", 1, &label)))
        return rc;
    if (!find_pop(f, label, &pi)) {
        size_t m = push_key(f, "population");
        rc = nf_err(f, AXON_ERR_NOT_FOUND, "no population labelled %s",
                    show(json_object_get(j, "population"), b, sizeof b));
        pop_to(f, m);
        return rc;
    }
    return parse_view(f, j, pi, v);
}

static const struct {
    const char *name; /* short name; PyNN's is name + "Connector" */
    axon_connector_kind kind;
    const char *keys[5]; /* besides "type" */
} connectors[] = {
    {"AllToAll", AXON_CONN_ALL_TO_ALL, {"allow_self_connections"}},
    {"OneToOne", AXON_CONN_ONE_TO_ONE, {NULL}},
    {"FixedProbability", AXON_CONN_FIXED_PROBABILITY, {"p_connect", "allow_self_connections"}},
    {"DistanceDependentProbability",
     AXON_CONN_DISTANCE_PROBABILITY,
     {"d_expression", "allow_self_connections"}},
    {"FixedNumberPre", AXON_CONN_FIXED_NUMBER_PRE,
     {"n", "allow_self_connections", "with_replacement"}},
    {"FixedNumberPost", AXON_CONN_FIXED_NUMBER_POST,
     {"n", "allow_self_connections", "with_replacement"}},
    {"FixedTotalNumber", AXON_CONN_FIXED_TOTAL_NUMBER,
     {"n", "allow_self_connections", "with_replacement"}},
    {"SmallWorld", AXON_CONN_SMALL_WORLD, {"degree", "rewiring", "allow_self_connections"}},
    {"FromList", AXON_CONN_FROM_LIST, {"conn_list"}},
    {"FromFile", AXON_CONN_FROM_FILE, {"file"}},
    {"Array", AXON_CONN_ARRAY, {"array"}},
};
#define N_CONNECTORS (sizeof connectors / sizeof connectors[0])

static int parse_conn_list(nf *f, const json_t *j, const nf_view *pre, const nf_view *post,
                           axon_connector *c)
{
    int rc;
    if ((rc = as_array(f, j)))
        return rc;
    size_t rows = json_array_size(j);
    uint32_t cols = 2;
    if (rows) {
        json_t *r0 = json_array_get(j, 0);
        if (!json_is_array(r0) || json_array_size(r0) < 2 || json_array_size(r0) > 4) {
            size_t m = push_idx(f, 0);
            rc = type_err(f, r0, "a row [i, j], [i, j, weight] or [i, j, weight, delay]");
            pop_to(f, m);
            return rc;
        }
        cols = (uint32_t)json_array_size(r0);
    }
    double *list = nf_alloc(f, rows * cols * sizeof *list);
    if (!list)
        return no_memory(f);
    const uint32_t lim[2] = {pre->n, post->n};
    const char *role[2] = {"presynaptic", "postsynaptic"};
    for (size_t r = 0; r < rows; r++) {
        json_t *row = json_array_get(j, r);
        size_t m = push_idx(f, r);
        if (!json_is_array(row) || json_array_size(row) != cols)
            rc = json_is_array(row) ? nf_err(f, NF_ERR, "a row of %zu values; the first row has %u",
                                             json_array_size(row), cols)
                                    : type_err(f, row, "a row [i, j, ...]");
        for (uint32_t k = 0; !rc && k < cols; k++) {
            json_t *x = json_array_get(row, k);
            size_t m2 = push_idx(f, k);
            if (k < 2) {
                int64_t i = 0;
                char b[96];
                rc = as_int(f, x, 0, INT64_MAX, &i);
                if (!rc && i >= lim[k])
                    rc = nf_err(f, NF_ERR, "index %s is outside the %s view of %u neurons",
                                show(x, b, sizeof b), role[k], lim[k]);
                list[r * cols + k] = (double)i;
            } else {
                rc = as_number(f, x, &list[r * cols + k]);
                if (!rc && k == 3)
                    rc = check_delay(f, list[r * cols + k], x);
            }
            pop_to(f, m2);
        }
        pop_to(f, m);
        if (rc)
            return rc;
    }
    c->list = list;
    c->n_rows = rows;
    c->n_cols = cols;
    return AXON_OK;
}

static int parse_matrix(nf *f, const json_t *j, const nf_view *pre, const nf_view *post,
                        axon_connector *c)
{
    int rc;
    if ((rc = as_array(f, j)))
        return rc;
    if (json_array_size(j) != pre->n)
        return nf_err(f, NF_ERR, "%zu rows for a presynaptic view of %u neurons",
                      json_array_size(j), pre->n);
    for (uint32_t i = 0; i < pre->n; i++) { /* the shape first */
        json_t *row = json_array_get(j, i);
        size_t m = push_idx(f, i);
        if (!json_is_array(row))
            rc = type_err(f, row, "a row of booleans");
        else if (json_array_size(row) != post->n)
            rc = nf_err(f, NF_ERR, "a row of %zu values for a postsynaptic view of %u neurons",
                        json_array_size(row), post->n);
        pop_to(f, m);
        if (rc)
            return rc;
    }
    uint8_t *mx = nf_alloc(f, (size_t)pre->n * post->n);
    if (!mx)
        return no_memory(f);
    for (uint32_t i = 0; i < pre->n; i++) {
        json_t *row = json_array_get(j, i);
        size_t m = push_idx(f, i);
        for (uint32_t k = 0; !rc && k < post->n; k++) {
            json_t *x = json_array_get(row, k);
            size_t m2 = push_idx(f, k);
            if (json_is_boolean(x))
                mx[(size_t)i * post->n + k] = json_is_true(x);
            else if (json_is_number(x) && (json_number_value(x) == 0 || json_number_value(x) == 1))
                mx[(size_t)i * post->n + k] = json_number_value(x) == 1;
            else
                rc = type_err(f, x, "true, false, 0 or 1");
            pop_to(f, m2);
        }
        pop_to(f, m);
        if (rc)
            return rc;
    }
    c->matrix = mx;
    return AXON_OK;
}

static int parse_connector(nf *f, const json_t *o, const nf_view *pre, const nf_view *post,
                           axon_connector *c)
{
    int rc;
    const char *type = NULL;
    char b[96];
    if ((rc = as_object(f, o)) || (rc = key_string(f, o, "type", 1, &type)))
        return rc;
    unsigned id = 0;
    for (; id < N_CONNECTORS; id++) {
        size_t n = strlen(connectors[id].name);
        if (!strcmp(type, connectors[id].name) ||
            (!strncmp(type, connectors[id].name, n) && !strcmp(type + n, "Connector")))
            break;
    }
    if (id == N_CONNECTORS) {
        char list[400] = "";
        for (unsigned i = 0; i < N_CONNECTORS; i++) {
            if (i)
                strncat(list, ", ", sizeof list - strlen(list) - 1);
            strncat(list, connectors[i].name, sizeof list - strlen(list) - 1);
        }
        size_t m = push_key(f, "type");
        rc = nf_err(f, NF_ERR, "unknown connector %s (%s, with or without \"Connector\")",
                    show(json_object_get(o, "type"), b, sizeof b), list);
        pop_to(f, m);
        return rc;
    }
    const char *keys[7] = {"type"};
    for (int i = 0; i < 5 && connectors[id].keys[i]; i++)
        keys[i + 1] = connectors[id].keys[i];
    if ((rc = check_keys(f, o, keys)))
        return rc;
    *c = axon_connector_default(connectors[id].kind);
    int64_t n = 0;
    if ((rc = key_bool(f, o, "allow_self_connections", &c->allow_self_connections)) ||
        (rc = key_bool(f, o, "with_replacement", &c->with_replacement)))
        return rc;
    switch (c->kind) {
    case AXON_CONN_FIXED_PROBABILITY:
        return key_number(f, o, "p_connect", 1, CHK_PROB, &c->p);
    case AXON_CONN_DISTANCE_PROBABILITY: {
        json_t *e = json_object_get(o, "d_expression");
        if (!e)
            return missing(f, "d_expression");
        size_t m = push_key(f, "d_expression");
        rc = json_is_string(e) ? check_expr(f, e) : type_err(f, e, "an expression of d");
        c->expr = json_string_value(e);
        pop_to(f, m);
        return rc;
    }
    case AXON_CONN_FIXED_NUMBER_PRE:
    case AXON_CONN_FIXED_NUMBER_POST:
    case AXON_CONN_FIXED_TOTAL_NUMBER:
        rc = key_int(f, o, "n", 1, 0, INT64_MAX, &n);
        c->n = (uint64_t)n;
        return rc;
    case AXON_CONN_SMALL_WORLD:
        if ((rc = key_number(f, o, "degree", 1, CHK_NONNEG, &c->degree)))
            return rc;
        return key_number(f, o, "rewiring", 1, CHK_PROB, &c->p);
    case AXON_CONN_FROM_LIST: {
        json_t *l = json_object_get(o, "conn_list");
        if (!l)
            return missing(f, "conn_list");
        size_t m = push_key(f, "conn_list");
        rc = parse_conn_list(f, l, pre, post, c);
        pop_to(f, m);
        return rc;
    }
    case AXON_CONN_FROM_FILE: {
        const char *file = NULL;
        if ((rc = key_string(f, o, "file", 1, &file)))
            return rc;
        size_t len = strlen(file), bl = file[0] == '/' ? 0 : f->base_len;
        char *full = nf_alloc(f, bl + len + 1);
        if (!full)
            return no_memory(f);
        memcpy(full, f->base, bl);
        memcpy(full + bl, file, len + 1);
        if (access(full, R_OK) != 0) {
            size_t m = push_key(f, "file");
            rc = nf_err(f, AXON_ERR_IO, "cannot read '%s'", full);
            pop_to(f, m);
            return rc;
        }
        c->path = full;
        return AXON_OK;
    }
    case AXON_CONN_ARRAY: {
        json_t *a = json_object_get(o, "array");
        if (!a)
            return missing(f, "array");
        size_t m = push_key(f, "array");
        rc = parse_matrix(f, a, pre, post, c);
        pop_to(f, m);
        return rc;
    }
    default: return AXON_OK;
    }
}

/* STDPMechanism's components: {"type": "SpikePairRule" | "SpikeNearestPairRule", tau_plus,
 * tau_minus, A_plus, A_minus} and {"type": "AdditiveWeightDependence" |
 * "MultiplicativeWeightDependence", w_min, w_max} (PyNN names and defaults). */
static int parse_stdp_part(nf *f, const json_t *o, const char *key, axon_stdp *s)
{
    static const char *const timing[] = {"SpikePairRule", "SpikeNearestPairRule", NULL};
    static const char *const weight[] = {"AdditiveWeightDependence",
                                         "MultiplicativeWeightDependence", NULL};
    static const char *const tkeys[] = {"type", "tau_plus", "tau_minus", "A_plus", "A_minus",
                                        NULL};
    static const char *const wkeys[] = {"type", "w_min", "w_max", NULL};
    int is_t = !strcmp(key, "timing_dependence"), rc, c = 0;
    json_t *j = json_object_get(o, key);
    if (!j)
        return missing(f, key);
    size_t m = push_key(f, key);
    if (!(rc = as_object(f, j)) && !(rc = check_keys(f, j, is_t ? tkeys : wkeys)) &&
        !(rc = key_choice(f, j, "type", 1, is_t ? timing : weight, &c))) {
        if (is_t) {
            s->timing = (axon_stdp_timing)c;
            if (!(rc = key_number(f, j, "tau_plus", 0, CHK_POS, &s->tau_plus)) &&
                !(rc = key_number(f, j, "tau_minus", 0, CHK_POS, &s->tau_minus)) &&
                !(rc = key_number(f, j, "A_plus", 0, CHK_NONNEG, &s->A_plus)))
                rc = key_number(f, j, "A_minus", 0, CHK_NONNEG, &s->A_minus);
        } else {
            s->weight = (axon_stdp_weight)c;
            if (!(rc = key_number(f, j, "w_min", 0, CHK_NONNEG, &s->w_min)))
                rc = key_number(f, j, "w_max", 0, CHK_NONNEG, &s->w_max);
        }
    }
    pop_to(f, m);
    return rc;
}

static int parse_synapse(nf *f, const json_t *o, const nf_view *pre, const nf_view *post,
                         axon_synapse *s, axon_stdp *stdp, int *plastic)
{
    static const char *const keys[] = {"type", "weight", "delay", "timing_dependence",
                                       "weight_dependence", "dendritic_delay_fraction", NULL};
    int rc;
    s->weight = axon_const(0.0);       /* PyNN's StaticSynapse defaults */
    s->delay = axon_const(f->min_delay);
    *plastic = 0;
    if (!o)
        return AXON_OK;
    if ((rc = as_object(f, o)) || (rc = check_keys(f, o, keys)))
        return rc;
    const char *type = NULL;
    if ((rc = key_string(f, o, "type", 0, &type)))
        return rc;
    *plastic = type && (!strcmp(type, "STDPMechanism") || !strcmp(type, "STDP"));
    if (type && !*plastic && strcmp(type, "StaticSynapse") && strcmp(type, "Static")) {
        char b[96];
        size_t m = push_key(f, "type");
        rc = nf_err(f, AXON_ERR_UNSUPPORTED,
                    "synapse type %s is not supported (StaticSynapse or STDPMechanism)",
                    show(json_object_get(o, "type"), b, sizeof b));
        pop_to(f, m);
        return rc;
    }
    const char *pk[3] = {"timing_dependence", "weight_dependence", "dendritic_delay_fraction"};
    for (int i = 0; !*plastic && i < 3; i++)
        if (json_object_get(o, pk[i])) {
            size_t m = push_key(f, pk[i]);
            rc = nf_err(f, NF_ERR, "only an STDPMechanism synapse has this key");
            pop_to(f, m);
            return rc;
        }
    if (*plastic) {
        *stdp = axon_stdp_default();
        if ((rc = parse_stdp_part(f, o, "timing_dependence", stdp)) ||
            (rc = parse_stdp_part(f, o, "weight_dependence", stdp)) ||
            (rc = key_number(f, o, "dendritic_delay_fraction", 0, CHK_PROB,
                             &stdp->dendritic_delay_fraction)))
            return rc;
    }
    const char *k[2] = {"weight", "delay"};
    axon_value *v[2] = {&s->weight, &s->delay};
    for (int i = 0; i < 2; i++) {
        json_t *j = json_object_get(o, k[i]);
        if (!j)
            continue;
        size_t m = push_key(f, k[i]);
        rc = parse_svalue(f, j, pre->n, post->n, i == 1, v[i]);
        pop_to(f, m);
        if (rc)
            return rc;
    }
    return AXON_OK;
}

/* {"axes": "xy", "periodic_boundaries": [[x0, x1] | period | null, ... x3]} */
static int parse_space(nf *f, const json_t *o, axon_space *s)
{
    static const char *const keys[] = {"axes", "periodic_boundaries", NULL};
    static const char *const axes[] = {"x", "y", "z", "xy", "xz", "yz", "xyz", NULL};
    int rc, a = 6;
    memset(s, 0, sizeof *s);
    if ((rc = as_object(f, o)) || (rc = check_keys(f, o, keys)) ||
        (rc = key_choice(f, o, "axes", 0, axes, &a)))
        return rc;
    s->axes = axes[a];
    json_t *pb = json_object_get(o, "periodic_boundaries");
    if (!pb || json_is_null(pb))
        return AXON_OK;
    size_t m = push_key(f, "periodic_boundaries");
    if (!json_is_array(pb) || json_array_size(pb) != 3)
        rc = type_err(f, pb, "an array of 3 entries (x, y, z), each null, a period or [min, max]");
    for (size_t i = 0; !rc && i < 3; i++) {
        json_t *e = json_array_get(pb, i);
        size_t m2 = push_idx(f, i);
        if (json_is_null(e)) {
            s->periodic[i] = 0;
        } else if (json_is_number(e)) {
            if (!(rc = as_number(f, e, &s->periodic[i])))
                rc = check_range(f, e, s->periodic[i], CHK_NONNEG);
        } else if (json_is_array(e) && json_array_size(e) == 2) {
            double lo = 0, hi = 0;
            size_t m3 = push_idx(f, 0);
            rc = as_number(f, json_array_get(e, 0), &lo);
            pop_to(f, m3);
            m3 = push_idx(f, 1);
            if (!rc)
                rc = as_number(f, json_array_get(e, 1), &hi);
            pop_to(f, m3);
            if (!rc && !(hi > lo && isfinite(hi - lo)))
                rc = nf_err(f, NF_ERR, "[%g, %g]: max must be greater than min", lo, hi);
            s->periodic[i] = hi - lo;
        } else {
            rc = type_err(f, e, "null, a period or [min, max]");
        }
        pop_to(f, m2);
    }
    pop_to(f, m);
    return rc;
}

static int parse_projection(nf *f, const json_t *o)
{
    static const char *const keys[] = {"label", "pre", "post", "connector", "synapse",
                                       "receptor_type", "space", NULL};
    static const char *const receptors[] = {"excitatory", "inhibitory", NULL};
    int rc, rt = 0;
    const char *label = NULL;
    if ((rc = as_object(f, o)) || (rc = check_keys(f, o, keys)) ||
        (rc = key_string(f, o, "label", 0, &label)) ||
        (rc = key_choice(f, o, "receptor_type", 0, receptors, &rt)))
        return rc;
    nf_view ends[2];
    const char *ek[2] = {"pre", "post"};
    for (int i = 0; i < 2; i++) {
        json_t *j = json_object_get(o, ek[i]);
        if (!j)
            return missing(f, ek[i]);
        size_t m = push_key(f, ek[i]);
        rc = parse_endpoint(f, j, &ends[i]);
        if (!rc && i == 1 && f->pops[ends[1].pop].m->kind != AXON_KIND_NEURON)
            rc = nf_err(f, NF_ERR, "population '%s' (%s) cannot receive synapses",
                        f->pops[ends[1].pop].label, f->pops[ends[1].pop].m->name);
        pop_to(f, m);
        if (rc)
            return rc;
    }
    axon_connector c;
    json_t *cj = json_object_get(o, "connector");
    if (!cj)
        return missing(f, "connector");
    size_t m = push_key(f, "connector");
    rc = parse_connector(f, cj, &ends[0], &ends[1], &c);
    pop_to(f, m);
    if (rc)
        return rc;
    axon_synapse syn;
    axon_stdp stdp;
    int plastic = 0;
    m = push_key(f, "synapse");
    rc = parse_synapse(f, json_object_get(o, "synapse"), &ends[0], &ends[1], &syn, &stdp,
                       &plastic);
    pop_to(f, m);
    if (rc)
        return rc;
    axon_space sp, *spp = NULL;
    json_t *sj = json_object_get(o, "space");
    if (sj) {
        m = push_key(f, "space");
        rc = parse_space(f, sj, &sp);
        pop_to(f, m);
        if (rc)
            return rc;
        spp = &sp;
    }
    if (!f->build)
        return AXON_OK;
    axon_view views[2];
    for (int i = 0; i < 2; i++) {
        m = push_key(f, ek[i]);
        rc = make_view(f, &ends[i], &views[i]);
        pop_to(f, m);
        if (rc)
            return rc;
    }
    axon_proj pj;
    if ((rc = axon_projection(f->ctx, &views[0], &views[1], &c, &syn, receptors[rt], spp, label,
                              &pj)))
        return nf_api(f, rc);
    if (plastic) {
        m = push_key(f, "synapse");
        rc = axon_proj_set_stdp(f->ctx, pj, &stdp);
        rc = rc ? nf_api(f, rc) : AXON_OK;
        pop_to(f, m);
    }
    return rc;
}

/* ------------------------------------------------------------------ the document */

static int walk(nf *f, const json_t *root, axon_netfile_run *run)
{
    static const char *const keys[] = {"version", "description", "setup", "machine", "backend",
                                       "populations", "projections", "run", "output", NULL};
    int rc;
    int64_t version = 1;
    const char *desc = NULL;
    if ((rc = check_keys(f, root, keys)) || (rc = key_int(f, root, "version", 0, 1, 1, &version)) ||
        (rc = key_string(f, root, "description", 0, &desc)) || (rc = parse_run(f, root, run)) ||
        (rc = parse_setup(f, root)) || (rc = parse_machine(f, root)))
        return rc;
    json_t *pops = json_object_get(root, "populations");
    if (!pops)
        return missing(f, "populations");
    size_t m = push_key(f, "populations");
    if ((rc = as_array(f, pops))) {
        pop_to(f, m);
        return rc;
    }
    if (!f->build) {
        f->n_pops = (uint32_t)json_array_size(pops);
        if (json_array_size(pops) > UINT32_MAX || !(f->pops = calloc(f->n_pops + 1, sizeof *f->pops)))
            return no_memory(f);
    }
    for (size_t i = 0; i < json_array_size(pops); i++) {
        size_t m2 = push_idx(f, i), mark = f->n_blocks;
        rc = parse_population(f, json_array_get(pops, i), (uint32_t)i);
        nf_release(f, mark);
        pop_to(f, m2);
        if (rc)
            return rc;
    }
    pop_to(f, m);
    json_t *projs = json_object_get(root, "projections");
    if (!projs)
        return AXON_OK;
    m = push_key(f, "projections");
    if ((rc = as_array(f, projs)))
        return rc;
    for (size_t i = 0; i < json_array_size(projs); i++) {
        size_t m2 = push_idx(f, i), mark = f->n_blocks;
        rc = parse_projection(f, json_array_get(projs, i));
        nf_release(f, mark);
        pop_to(f, m2);
        if (rc)
            return rc;
    }
    pop_to(f, m);
    return AXON_OK;
}

int axon_load_network_string(axon_ctx *ctx, const char *json, size_t len, const char *name,
                             axon_netfile_run *run)
{
    if (!ctx)
        return AXON_ERR_INVALID_ARG;
    if (run)
        memset(run, 0, sizeof *run);
    nf f;
    memset(&f, 0, sizeof f);
    f.ctx = ctx;
    f.name = name && *name ? name : "<network>";
    const char *slash = strrchr(f.name, '/');
    f.base = f.name; /* the directory part, slash included ("" for a bare file name) */
    f.base_len = slash ? (size_t)(slash - f.name) + 1 : 0;
    if (!json)
        return nf_err(&f, AXON_ERR_INVALID_ARG, "no JSON text");
    json_error_t e;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &e);
    if (!root)
        return nf_err(&f, AXON_ERR_PARSE, "line %d, column %d: %s", e.line, e.column, e.text);
    int rc;
    if (!json_is_object(root)) {
        rc = type_err(&f, root, "an object at the top level");
        json_decref(root);
        return rc;
    }
    axon_netfile_run r;
    memset(&r, 0, sizeof r);
    rc = walk(&f, root, &r); /* pass 1: check */
    if (!rc) {
        f.build = 1;
        rc = walk(&f, root, &r); /* pass 2: build */
        if (rc && f.set_up) {
            /* leave an empty network, keeping the message */
            char msg[AXON_ERRMSG_LEN];
            snprintf(msg, sizeof msg, "%s", axon_last_error(ctx));
            axon_setup(ctx, f.dt, f.min_delay, f.max_delay, f.seed);
            hl_err(ctx, rc, "%s", msg);
        }
    }
    if (!rc && run)
        *run = r;
    nf_release(&f, 0);
    free(f.blocks);
    free(f.pops);
    json_decref(root);
    return rc;
}

int axon_load_network(axon_ctx *ctx, const char *path, axon_netfile_run *run)
{
    if (!ctx)
        return AXON_ERR_INVALID_ARG;
    if (run)
        memset(run, 0, sizeof *run);
    if (!path)
        return hl_err(ctx, AXON_ERR_INVALID_ARG, "network file: no path");
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return hl_err(ctx, AXON_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    size_t cap = 1 << 16, n = 0, got;
    char *buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n, fp)) > 0) {
        n += got;
        if (n == cap) {
            char *b = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);
            if (!b) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = b;
            cap *= 2;
        }
    }
    int bad = ferror(fp);
    fclose(fp);
    if (!buf)
        return hl_err(ctx, AXON_ERR_NO_MEMORY, "%s: out of memory reading the file", path);
    if (bad) {
        free(buf);
        return hl_err(ctx, AXON_ERR_IO, "%s: read error", path);
    }
    int rc = axon_load_network_string(ctx, buf, n, path, run);
    free(buf);
    return rc;
}
