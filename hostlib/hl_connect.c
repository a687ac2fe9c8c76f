/* Connector generators with PyNN's semantics (PyNN 0.10 pyNN/connectors.py) and synaptic
 * value evaluation.
 *
 * Self-connections: when the pre and post views share a population and
 * allow_self_connections is 0, the generated connectors (all but FromList, FromFile and
 * ARRAY, whose connections are explicit) never connect a neuron to itself (equal absolute
 * indices). For the random connectors, sampling is over the allowed pairs only, which is
 * how PyNN draws them (masking for the map connectors, redrawing or excluding for the
 * fixed-number ones).
 *
 * Notes where PyNN is ambiguous or where this implementation differs on purpose:
 *  - DistanceDependentProbability connects when U[0,1) < p(d), so p(d) > 1 connects always
 *    and p(d) < 0 never (PyNN's clipping, implicit in its comparison); a NaN probability is
 *    an error here (PyNN silently never connects).
 *  - FixedNumberPre/Post without replacement: n larger than the available neurons is an
 *    error (PyNN would repeat the whole population before drawing the remainder).
 *  - FixedTotalNumber honours allow_self_connections and with_replacement = 0 (PyNN 0.10
 *    ignores both and always draws with replacement).
 *  - SmallWorld: the candidates are the pairs with d < degree (PyNN's d_expression
 *    "d < degree"); each candidate's target is then rewired with probability `rewiring` to a
 *    post neuron drawn uniformly among those allowed for that pre neuron (which may
 *    duplicate an existing connection, as in PyNN 0.7 where this connector last had an
 *    implementation).
 *  - OneToOne honours allow_self_connections (PyNN's has no such argument and connects i to
 *    i); with the default (1) both agree.
 *  - FromFile reads PyNN's StandardTextFile: "# name = value" metadata lines at the top (a
 *    "columns" list such as ['i', 'j', 'weight', 'delay'] names the columns, in any order),
 *    then whitespace-separated numbers, '#' starting a comment; without a columns header,
 *    lines hold i j [weight [delay]]. Indices may be written as floats ("3.0").
 *  - NULL pre_abs / post_abs mean the identity (whole populations). Output is sorted by
 *    (pre, post) for every generated connector; duplicates only arise with replacement or
 *    from SmallWorld rewiring. */
#include "hl_connect.h"

#include "errbuf.h"
#include "hl_expr.h"
#include "hl_random.h"

#include <errno.h>
#include <gsl/gsl_randist.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#define NONE UINT32_MAX

static const char *kind_name(axon_connector_kind k)
{
    switch (k) {
    case AXON_CONN_ALL_TO_ALL: return "AllToAll";
    case AXON_CONN_ONE_TO_ONE: return "OneToOne";
    case AXON_CONN_FIXED_PROBABILITY: return "FixedProbability";
    case AXON_CONN_DISTANCE_PROBABILITY: return "DistanceDependentProbability";
    case AXON_CONN_FIXED_NUMBER_PRE: return "FixedNumberPre";
    case AXON_CONN_FIXED_NUMBER_POST: return "FixedNumberPost";
    case AXON_CONN_FIXED_TOTAL_NUMBER: return "FixedTotalNumber";
    case AXON_CONN_SMALL_WORLD: return "SmallWorld";
    case AXON_CONN_FROM_LIST: return "FromList";
    case AXON_CONN_FROM_FILE: return "FromFile";
    case AXON_CONN_ARRAY: return "Array";
    default: return "connector";
    }
}

/* ------------------------------------------------------------------ output buffer */
static int conns_reserve(hl_conns *c, size_t need, char *err)
{
    if (need <= c->cap)
        return AXON_OK;
    size_t nc = c->cap ? c->cap + c->cap / 2 : 1024;
    if (nc < need)
        nc = need;
    if (nc > SIZE_MAX / sizeof(double))
        return axon_errf(err, AXON_ERR_CAPACITY, "connections: %zu do not fit in memory", need);
    uint32_t *p = realloc(c->pre, nc * sizeof *p);
    if (p)
        c->pre = p;
    uint32_t *q = p ? realloc(c->post, nc * sizeof *q) : NULL;
    if (q)
        c->post = q;
    int ok = p && q;
    if (ok && c->w) {
        double *w = realloc(c->w, nc * sizeof *w);
        if (w)
            c->w = w;
        ok = w != NULL;
    }
    if (ok && c->d) {
        double *d = realloc(c->d, nc * sizeof *d);
        if (d)
            c->d = d;
        ok = d != NULL;
    }
    if (!ok)
        return axon_errf(err, AXON_ERR_NO_MEMORY, "connections: out of memory for %zu", nc);
    c->cap = nc;
    return AXON_OK;
}

static inline int conns_push(hl_conns *c, uint32_t i, uint32_t j, char *err)
{
    if (c->n == c->cap) {
        int rc = conns_reserve(c, c->n + 1, err);
        if (rc)
            return rc;
    }
    c->pre[c->n] = i;
    c->post[c->n] = j;
    c->n++;
    return AXON_OK;
}

void hl_conns_free(hl_conns *c)
{
    if (!c)
        return;
    free(c->pre);
    free(c->post);
    free(c->w);
    free(c->d);
    memset(c, 0, sizeof *c);
}

/* ------------------------------------------------------------------ helpers */
static inline uint32_t abs_idx(const uint32_t *abs, uint32_t i) { return abs ? abs[i] : i; }

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* map[j] = the index i in a with abs_a[i] == abs_b[j], or NONE (views hold distinct
 * indices, so there is at most one). */
static int self_map(const uint32_t *abs_a, uint32_t na, const uint32_t *abs_b, uint32_t nb,
                    uint32_t *map, char *err)
{
    uint64_t *key = malloc((size_t)(na ? na : 1) * sizeof *key);
    if (!key)
        return axon_errf(err, AXON_ERR_NO_MEMORY, "connector: out of memory");
    int sorted = 1;
    for (uint32_t i = 0; i < na; i++) {
        key[i] = (uint64_t)abs_idx(abs_a, i) << 32 | i;
        if (i && key[i] < key[i - 1])
            sorted = 0;
    }
    if (!sorted)
        qsort(key, na, sizeof *key, cmp_u64);
    for (uint32_t j = 0; j < nb; j++) {
        uint64_t want = abs_idx(abs_b, j);
        uint32_t lo = 0, hi = na;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if ((key[mid] >> 32) < want)
                lo = mid + 1;
            else
                hi = mid;
        }
        map[j] = lo < na && (key[lo] >> 32) == want ? (uint32_t)key[lo] : NONE;
    }
    free(key);
    return AXON_OK;
}

/* Sort a[0..n-1] ascending; tmp has room for n. */
static void sort_u32(uint32_t *a, size_t n, uint32_t *tmp)
{
    if (n < 64) {
        for (size_t i = 1; i < n; i++) {
            uint32_t v = a[i];
            size_t k = i;
            while (k > 0 && a[k - 1] > v) {
                a[k] = a[k - 1];
                k--;
            }
            a[k] = v;
        }
        return;
    }
    uint32_t mx = 0;
    for (size_t i = 0; i < n; i++)
        mx |= a[i];
    uint32_t *src = a, *dst = tmp;
    for (int shift = 0; shift < 32 && (mx >> shift); shift += 8) {
        size_t cnt[257] = {0};
        for (size_t i = 0; i < n; i++)
            cnt[((src[i] >> shift) & 255) + 1]++;
        for (int b = 0; b < 256; b++)
            cnt[b + 1] += cnt[b];
        for (size_t i = 0; i < n; i++)
            dst[cnt[(src[i] >> shift) & 255]++] = src[i];
        uint32_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, n * sizeof *a);
}

/* k distinct values from [0, N) minus excl (NONE: nothing excluded), k <= available.
 * mark/stamp: mark[x] == stamp means taken; stamp must differ from every value left in
 * mark by earlier calls. Writes dst[0..k-1]; returns 1 if dst is sorted. */
static int sample_distinct(gsl_rng *r, uint32_t N, uint32_t excl, uint64_t k, uint32_t *mark,
                           uint32_t stamp, uint32_t *dst)
{
    uint64_t M = N - (excl != NONE);
    if (excl != NONE)
        mark[excl] = stamp;
    if (2 * k <= M) {
        for (uint64_t t = 0; t < k; t++) {
            uint32_t x;
            do
                x = (uint32_t)gsl_rng_uniform_int(r, N);
            while (mark[x] == stamp);
            mark[x] = stamp;
            dst[t] = x;
        }
        return 0;
    }
    /* dense: draw the M - k left out, emit the others in order */
    for (uint64_t t = 0; t < M - k; t++) {
        uint32_t x;
        do
            x = (uint32_t)gsl_rng_uniform_int(r, N);
        while (mark[x] == stamp);
        mark[x] = stamp;
    }
    uint64_t o = 0;
    for (uint32_t x = 0; x < N; x++)
        if (mark[x] != stamp)
            dst[o++] = x;
    return 1;
}

/* One value uniform in [0, N) minus excl (N - (excl != NONE) must be > 0). */
static inline uint32_t draw_excl(gsl_rng *r, uint32_t N, uint32_t excl)
{
    if (excl == NONE)
        return (uint32_t)gsl_rng_uniform_int(r, N);
    uint32_t x = (uint32_t)gsl_rng_uniform_int(r, N - 1);
    return x >= excl ? x + 1 : x;
}

/* ------------------------------------------------------------------ context */
typedef struct gen {
    const hl_conn_in *in;
    const axon_connector *c;
    uint32_t np, nq;  /* n_pre, n_post */
    int noself;       /* skip pairs with equal absolute indices */
    hl_conns *out;
    char *err;
    const char *name;
} gen;

static inline int is_self(const gen *g, uint32_t i, uint32_t j)
{
    return g->noself && abs_idx(g->in->pre_abs, i) == abs_idx(g->in->post_abs, j);
}

static int need_rng(const gen *g)
{
    if (!g->in->rng)
        return axon_errf(g->err, AXON_ERR_INVALID_ARG, "%s: no random generator", g->name);
    return AXON_OK;
}

static int need_positions(const gen *g)
{
    if ((g->np && !g->in->pre_pos) || (g->nq && !g->in->post_pos))
        return axon_errf(g->err, AXON_ERR_INVALID_ARG, "%s: neuron positions are missing",
                         g->name);
    return AXON_OK;
}

/* ------------------------------------------------------------------ map connectors */
static int all_to_all(gen *g)
{
    int rc = conns_reserve(g->out, (size_t)g->np * g->nq, g->err);
    for (uint32_t i = 0; i < g->np && !rc; i++)
        for (uint32_t j = 0; j < g->nq; j++)
            if (!is_self(g, i, j)) {
                g->out->pre[g->out->n] = i;
                g->out->post[g->out->n++] = j;
            }
    return rc;
}

static int one_to_one(gen *g)
{
    if (g->np != g->nq)
        return axon_errf(g->err, AXON_ERR_INVALID_ARG,
                         "OneToOne: the presynaptic view has %u neurons and the postsynaptic "
                         "view %u; they must be equal",
                         g->np, g->nq);
    int rc = conns_reserve(g->out, g->np, g->err);
    for (uint32_t i = 0; i < g->np && !rc; i++)
        if (!is_self(g, i, i)) {
            g->out->pre[g->out->n] = i;
            g->out->post[g->out->n++] = i;
        }
    return rc;
}

/* Each pair independently with probability p: the gaps between successive connections in
 * the row-major pair order are geometric, so one uniform and one log per connection. */
static int fixed_probability(gen *g)
{
    double p = g->c->p;
    if (!(p >= 0 && p <= 1))
        return axon_errf(g->err, AXON_ERR_INVALID_ARG,
                         "FixedProbability: p = %g must be in [0, 1]", p);
    uint64_t total = (uint64_t)g->np * g->nq;
    if (p == 0 || total == 0)
        return AXON_OK;
    if (p == 1)
        return all_to_all(g);
    int rc = need_rng(g);
    if (rc)
        return rc;
    double mean = (double)total * p;
    double want = mean + 6.0 * sqrt(mean * (1 - p)) + 64;
    if (want > (double)total)
        want = (double)total;
    if ((rc = conns_reserve(g->out, (size_t)want, g->err)))
        return rc;
    gsl_rng *r = g->in->rng;
    const double inv_lq = 1.0 / log1p(-p); /* < 0 */
    const uint64_t nq = g->nq;
    uint64_t left = total; /* candidate pairs from (i, j) on */
    uint32_t i = 0;
    uint64_t j = 0;
    hl_conns *o = g->out;
    for (;;) {
        double skip = floor(log(gsl_rng_uniform_pos(r)) * inv_lq);
        if (!(skip < (double)left))
            break;
        uint64_t s = (uint64_t)skip;
        left -= s + 1;
        j += s;
        if (j >= nq) {
            if (j < 2 * nq) {
                j -= nq;
                i++;
            } else {
                i += (uint32_t)(j / nq);
                j %= nq;
            }
        }
        if (!is_self(g, i, (uint32_t)j)) {
            if (o->n == o->cap && (rc = conns_reserve(o, o->n + 1, g->err)))
                return rc;
            o->pre[o->n] = i;
            o->post[o->n++] = (uint32_t)j;
        }
        if (++j == nq) {
            j = 0;
            i++;
        }
    }
    return AXON_OK;
}

static int distance_probability(gen *g)
{
    int rc;
    if (!g->c->expr)
        return axon_errf(g->err, AXON_ERR_INVALID_ARG,
                         "DistanceDependentProbability: no expression");
    if ((rc = need_positions(g)) || (rc = need_rng(g)))
        return rc;
    static const char *const vars[] = {"d"};
    hl_expr *e;
    char msg[AXON_ERRMSG_LEN];
    if ((rc = hl_expr_compile(g->c->expr, vars, 1, &e, msg)))
        return axon_errf(g->err, rc, "DistanceDependentProbability: %s", msg);
    hl_space dflt = {{1, 1, 1}, {0, 0, 0}};
    const hl_space *sp = g->in->space ? g->in->space : &dflt;
    gsl_rng *r = g->in->rng;
    for (uint32_t i = 0; i < g->np && !rc; i++) {
        const double *a = g->in->pre_pos + 3 * (size_t)i;
        for (uint32_t j = 0; j < g->nq; j++) {
            if (is_self(g, i, j))
                continue;
            double d = hl_distance(sp, a, g->in->post_pos + 3 * (size_t)j);
            double p = hl_expr_eval(e, &d);
            if (isnan(p)) {
                char q[64];
                snprintf(q, sizeof q, "%s", g->c->expr);
                rc = axon_errf(g->err, AXON_ERR_INVALID_ARG,
                               "DistanceDependentProbability: '%s' = nan for pre %u, post %u "
                               "(d = %g)",
                               q, i, j, d);
                break;
            }
            if (p <= 0 || (p < 1 && !(gsl_rng_uniform(r) < p)))
                continue;
            if ((rc = conns_push(g->out, i, j, g->err)))
                break;
        }
    }
    hl_expr_free(e);
    return rc;
}

static int array_conn(gen *g)
{
    const uint8_t *m = g->c->matrix;
    if (!m && g->np && g->nq)
        return axon_errf(g->err, AXON_ERR_INVALID_ARG, "Array: no connection matrix");
    int rc = AXON_OK;
    for (uint32_t i = 0; i < g->np && !rc; i++)
        for (uint32_t j = 0; j < g->nq; j++)
            if (m[(size_t)i * g->nq + j] && (rc = conns_push(g->out, i, j, g->err)))
                break;
    return rc;
}

/* ------------------------------------------------------------------ fixed numbers */
static int fixed_number_pre(gen *g)
{
    uint64_t n = g->c->n;
    int repl = g->c->with_replacement;
    int rc;
    if (n == 0 || g->nq == 0)
        return AXON_OK;
    if ((rc = need_rng(g)))
        return rc;
    if (n > UINT32_MAX || (double)n * g->nq > (double)(SIZE_MAX / 16))
        return axon_errf(g->err, AXON_ERR_CAPACITY,
                         "FixedNumberPre: n = %llu x %u postsynaptic neurons is too many "
                         "connections",
                         (unsigned long long)n, g->nq);
    uint32_t *selfpre = malloc((size_t)g->nq * sizeof *selfpre);
    if (!selfpre)
        return axon_errf(g->err, AXON_ERR_NO_MEMORY, "FixedNumberPre: out of memory");
    if (g->noself) {
        if ((rc = self_map(g->in->pre_abs, g->np, g->in->post_abs, g->nq, selfpre, g->err))) {
            free(selfpre);
            return rc;
        }
    } else {
        for (uint32_t j = 0; j < g->nq; j++)
            selfpre[j] = NONE;
    }
    for (uint32_t j = 0; j < g->nq; j++) {
        uint64_t avail = g->np - (selfpre[j] != NONE);
        if (avail == 0 || (!repl && n > avail)) {
            free(selfpre);
            return axon_errf(g->err, AXON_ERR_INVALID_ARG,
                             "FixedNumberPre: n = %llu exceeds the %llu presynaptic neurons "
                             "available to postsynaptic neuron %u (with_replacement = %d)",
                             (unsigned long long)n, (unsigned long long)avail, j, repl);
        }
    }
    size_t total = (size_t)n * g->nq;
    uint32_t *src = malloc(total * sizeof *src);
    uint32_t *mark = repl ? NULL : calloc(g->np, sizeof *mark);
    size_t *next = calloc((size_t)g->np + 1, sizeof *next);
    if (!src || (!repl && !mark) || !next ||
        (rc = conns_reserve(g->out, total, g->err)) != AXON_OK) {
        free(src);
        free(mark);
        free(next);
        free(selfpre);
        return rc ? rc : axon_errf(g->err, AXON_ERR_NO_MEMORY, "FixedNumberPre: out of memory");
    }
    gsl_rng *r = g->in->rng;
    for (uint32_t j = 0; j < g->nq; j++) {
        uint32_t *dst = src + (size_t)j * n;
        if (repl)
            for (uint64_t t = 0; t < n; t++)
                dst[t] = draw_excl(r, g->np, selfpre[j]);
        else
            sample_distinct(r, g->np, selfpre[j], n, mark, j + 1, dst);
    }
    /* stable counting sort by pre: posts stay ascending within each pre */
    for (size_t t = 0; t < total; t++)
        next[src[t] + 1]++;
    for (uint32_t i = 0; i < g->np; i++)
        next[i + 1] += next[i];
    for (uint32_t j = 0; j < g->nq; j++)
        for (uint64_t t = 0; t < n; t++) {
            uint32_t i = src[(size_t)j * n + t];
            size_t pos = next[i]++;
            g->out->pre[pos] = i;
            g->out->post[pos] = j;
        }
    g->out->n = total;
    free(src);
    free(mark);
    free(next);
    free(selfpre);
    return AXON_OK;
}

static int fixed_number_post(gen *g)
{
    uint64_t n = g->c->n;
    int repl = g->c->with_replacement;
    int rc;
    if (n == 0 || g->np == 0)
        return AXON_OK;
    if ((rc = need_rng(g)))
        return rc;
    if (n > UINT32_MAX || (double)n * g->np > (double)(SIZE_MAX / 16))
        return axon_errf(g->err, AXON_ERR_CAPACITY,
                         "FixedNumberPost: n = %llu x %u presynaptic neurons is too many "
                         "connections",
                         (unsigned long long)n, g->np);
    uint32_t *selfpost = malloc((size_t)g->np * sizeof *selfpost);
    if (!selfpost)
        return axon_errf(g->err, AXON_ERR_NO_MEMORY, "FixedNumberPost: out of memory");
    if (g->noself) {
        if ((rc = self_map(g->in->post_abs, g->nq, g->in->pre_abs, g->np, selfpost, g->err))) {
            free(selfpost);
            return rc;
        }
    } else {
        for (uint32_t i = 0; i < g->np; i++)
            selfpost[i] = NONE;
    }
    for (uint32_t i = 0; i < g->np; i++) {
        uint64_t avail = g->nq - (selfpost[i] != NONE);
        if (avail == 0 || (!repl && n > avail)) {
            free(selfpost);
            return axon_errf(g->err, AXON_ERR_INVALID_ARG,
                             "FixedNumberPost: n = %llu exceeds the %llu postsynaptic neurons "
                             "available to presynaptic neuron %u (with_replacement = %d)",
                             (unsigned long long)n, (unsigned long long)avail, i, repl);
        }
    }
    size_t total = (size_t)n * g->np;
    uint32_t *mark = repl ? NULL : calloc(g->nq, sizeof *mark);
    uint32_t *tmp = malloc((size_t)n * sizeof *tmp);
    if ((!repl && !mark) || !tmp || (rc = conns_reserve(g->out, total, g->err)) != AXON_OK) {
        free(mark);
        free(tmp);
        free(selfpost);
        return rc ? rc
                  : axon_errf(g->err, AXON_ERR_NO_MEMORY, "FixedNumberPost: out of memory");
    }
    gsl_rng *r = g->in->rng;
    for (uint32_t i = 0; i < g->np; i++) {
        uint32_t *dst = g->out->post + (size_t)i * n;
        int sorted = 0;
        if (repl)
            for (uint64_t t = 0; t < n; t++)
                dst[t] = draw_excl(r, g->nq, selfpost[i]);
        else
            sorted = sample_distinct(r, g->nq, selfpost[i], n, mark, i + 1, dst);
        if (!sorted)
            sort_u32(dst, n, tmp);
        for (uint64_t t = 0; t < n; t++)
            g->out->pre[(size_t)i * n + t] = i;
    }
    g->out->n = total;
    free(mark);
    free(tmp);
    free(selfpost);
    return AXON_OK;
}

/* Draw `count` pairs uniformly (with replacement) among the allowed pairs: the number per
 * pre row is multinomial with weights = allowed posts in the row, then posts are uniform
 * within the row. Output sorted by (pre, post) as 64-bit keys pre << 32 | post. */
static int draw_pairs_sorted(gen *g, const uint32_t *selfpost, const double *w, uint64_t count,
                             uint64_t *keys, unsigned *cnt, uint32_t *row, uint32_t *tmp)
{
    gsl_rng *r = g->in->rng;
    gsl_ran_multinomial(r, g->np, (unsigned)count, w, cnt);
    size_t o = 0;
    for (uint32_t i = 0; i < g->np; i++) {
        unsigned c = cnt[i];
        for (unsigned t = 0; t < c; t++)
            row[t] = draw_excl(r, g->nq, selfpost[i]);
        sort_u32(row, c, tmp);
        for (unsigned t = 0; t < c; t++)
            keys[o++] = (uint64_t)i << 32 | row[t];
    }
    return (int)(o == count);
}

static int fixed_total_number(gen *g)
{
    uint64_t n = g->c->n;
    int repl = g->c->with_replacement;
    int rc;
    if (n == 0)
        return AXON_OK;
    if ((rc = need_rng(g)))
        return rc;
    if (n > UINT_MAX)
        return axon_errf(g->err, AXON_ERR_CAPACITY,
                         "FixedTotalNumber: n = %llu exceeds %u connections",
                         (unsigned long long)n, UINT_MAX);
    uint32_t np = g->np, nq = g->nq;
    uint32_t *selfpost = malloc((size_t)(np ? np : 1) * sizeof *selfpost);
    double *w = malloc((size_t)(np ? np : 1) * sizeof *w);
    unsigned *cnt = malloc((size_t)(np ? np : 1) * sizeof *cnt);
    uint32_t *row = malloc((size_t)n * sizeof *row);
    uint32_t *tmp = malloc((size_t)n * sizeof *tmp);
    uint64_t *keys = NULL, *set = NULL, *merged = NULL;
    if (!selfpost || !w || !cnt || !row || !tmp) {
        rc = axon_errf(g->err, AXON_ERR_NO_MEMORY, "FixedTotalNumber: out of memory");
        goto done;
    }
    if (g->noself) {
        if ((rc = self_map(g->in->post_abs, nq, g->in->pre_abs, np, selfpost, g->err)))
            goto done;
    } else {
        for (uint32_t i = 0; i < np; i++)
            selfpost[i] = NONE;
    }
    uint64_t allowed = 0;
    for (uint32_t i = 0; i < np; i++) {
        uint64_t a = nq - (selfpost[i] != NONE);
        w[i] = (double)a;
        allowed += a;
    }
    if (allowed == 0 || (!repl && n > allowed)) {
        rc = axon_errf(g->err, AXON_ERR_INVALID_ARG,
                       "FixedTotalNumber: n = %llu exceeds the %llu allowed pairs (%u x %u, "
                       "with_replacement = %d)",
                       (unsigned long long)n, (unsigned long long)allowed, np, nq, repl);
        goto done;
    }
    if (repl) {
        if ((rc = conns_reserve(g->out, n, g->err)))
            goto done;
        keys = malloc((size_t)n * sizeof *keys);
        if (!keys) {
            rc = axon_errf(g->err, AXON_ERR_NO_MEMORY, "FixedTotalNumber: out of memory");
            goto done;
        }
        draw_pairs_sorted(g, selfpost, w, n, keys, cnt, row, tmp);
        for (size_t t = 0; t < n; t++) {
            g->out->pre[t] = (uint32_t)(keys[t] >> 32);
            g->out->post[t] = (uint32_t)keys[t];
        }
        g->out->n = n;
        goto done;
    }
    /* without replacement: k distinct allowed pairs (the chosen ones, or the ones left out
     * when n is more than half of them), by drawing with replacement and dropping
     * duplicates until k remain; the result is a uniform k-subset by symmetry */
    uint64_t k = n <= allowed - n ? n : allowed - n;
    int complement = k != n;
    set = malloc((size_t)(k ? k : 1) * sizeof *set);
    keys = malloc((size_t)(k ? k : 1) * sizeof *keys);
    merged = malloc((size_t)(k ? k : 1) * sizeof *merged);
    if (!set || !keys || !merged) {
        rc = axon_errf(g->err, AXON_ERR_NO_MEMORY, "FixedTotalNumber: out of memory");
        goto done;
    }
    size_t have = 0;
    while (have < k) {
        size_t need = k - have;
        draw_pairs_sorted(g, selfpost, w, need, keys, cnt, row, tmp);
        size_t a = 0, b = 0, m = 0;
        while (a < have || b < need) {
            uint64_t v;
            if (b >= need || (a < have && set[a] <= keys[b]))
                v = set[a++];
            else
                v = keys[b++];
            if (m == 0 || merged[m - 1] != v)
                merged[m++] = v;
        }
        uint64_t *t = set;
        set = merged;
        merged = t;
        have = m;
    }
    if ((rc = conns_reserve(g->out, n, g->err)))
        goto done;
    if (!complement) {
        for (size_t t = 0; t < k; t++) {
            g->out->pre[t] = (uint32_t)(set[t] >> 32);
            g->out->post[t] = (uint32_t)set[t];
        }
        g->out->n = k;
    } else {
        size_t s = 0, o = 0;
        for (uint32_t i = 0; i < np; i++)
            for (uint32_t j = 0; j < nq; j++) {
                if (j == selfpost[i])
                    continue;
                uint64_t v = (uint64_t)i << 32 | j;
                if (s < k && set[s] == v) {
                    s++;
                    continue;
                }
                g->out->pre[o] = i;
                g->out->post[o++] = j;
            }
        g->out->n = o;
    }
done:
    free(selfpost);
    free(w);
    free(cnt);
    free(row);
    free(tmp);
    free(keys);
    free(set);
    free(merged);
    return rc;
}

/* ------------------------------------------------------------------ small world */
static int small_world(gen *g)
{
    double degree = g->c->degree, rw = g->c->p;
    int rc;
    if (!isfinite(degree) || degree < 0)
        return axon_errf(g->err, AXON_ERR_INVALID_ARG,
                         "SmallWorld: degree = %g must be finite and >= 0", degree);
    if (!(rw >= 0 && rw <= 1))
        return axon_errf(g->err, AXON_ERR_INVALID_ARG,
                         "SmallWorld: rewiring = %g must be in [0, 1]", rw);
    if ((rc = need_positions(g)) || (rw > 0 && (rc = need_rng(g))))
        return rc;
    uint32_t np = g->np, nq = g->nq;
    uint32_t *selfpost = malloc((size_t)(np ? np : 1) * sizeof *selfpost);
    uint32_t *tmp = malloc((size_t)(nq ? nq : 1) * sizeof *tmp);
    if (!selfpost || !tmp) {
        free(selfpost);
        free(tmp);
        return axon_errf(g->err, AXON_ERR_NO_MEMORY, "SmallWorld: out of memory");
    }
    if (g->noself) {
        rc = self_map(g->in->post_abs, nq, g->in->pre_abs, np, selfpost, g->err);
    } else {
        for (uint32_t i = 0; i < np; i++)
            selfpost[i] = NONE;
    }
    hl_space dflt = {{1, 1, 1}, {0, 0, 0}};
    const hl_space *sp = g->in->space ? g->in->space : &dflt;
    gsl_rng *r = g->in->rng;
    hl_conns *o = g->out;
    for (uint32_t i = 0; i < np && !rc; i++) {
        const double *a = g->in->pre_pos + 3 * (size_t)i;
        size_t start = o->n;
        int rewired = 0;
        for (uint32_t j = 0; j < nq; j++) {
            if (j == selfpost[i])
                continue;
            if (!(hl_distance(sp, a, g->in->post_pos + 3 * (size_t)j) < degree))
                continue;
            uint32_t t = j;
            if (rw > 0 && gsl_rng_uniform(r) < rw) {
                t = draw_excl(r, nq, selfpost[i]);
                rewired = 1;
            }
            if ((rc = conns_push(o, i, t, g->err)))
                break;
        }
        if (rewired && !rc)
            sort_u32(o->post + start, o->n - start, tmp);
    }
    free(selfpost);
    free(tmp);
    return rc;
}

/* ------------------------------------------------------------------ explicit lists */
static int check_index(double v, uint32_t n, const char *who, const char *what, char *err)
{
    if (!isfinite(v) || v != floor(v))
        return axon_errf(err, AXON_ERR_INVALID_ARG, "%s: %s = %g is not an integer", who, what,
                         v);
    if (v < 0 || v >= (double)n)
        return axon_errf(err, AXON_ERR_INVALID_ARG, "%s: %s = %g is out of range [0, %u)", who,
                         what, v, n);
    return AXON_OK;
}

static int from_list(gen *g)
{
    const axon_connector *c = g->c;
    if (c->n_cols < 2 || c->n_cols > 4)
        return axon_errf(g->err, AXON_ERR_INVALID_ARG,
                         "FromList: n_cols = %u must be 2 (i, j), 3 (i, j, weight) or 4 (i, j, "
                         "weight, delay)",
                         c->n_cols);
    if (c->n_rows && !c->list)
        return axon_errf(g->err, AXON_ERR_INVALID_ARG, "FromList: no list for %zu rows",
                         c->n_rows);
    hl_conns *o = g->out;
    o->has_w = c->n_cols >= 3;
    o->has_d = c->n_cols >= 4;
    size_t n = c->n_rows;
    if (n) {
        o->pre = malloc(n * sizeof *o->pre);
        o->post = malloc(n * sizeof *o->post);
        o->w = o->has_w ? malloc(n * sizeof *o->w) : NULL;
        o->d = o->has_d ? malloc(n * sizeof *o->d) : NULL;
        if (!o->pre || !o->post || (o->has_w && !o->w) || (o->has_d && !o->d))
            return axon_errf(g->err, AXON_ERR_NO_MEMORY, "FromList: out of memory for %zu rows",
                             n);
        o->cap = n;
    }
    for (size_t r = 0; r < n; r++) {
        const double *row = c->list + r * c->n_cols;
        char who[48];
        snprintf(who, sizeof who, "FromList: row %zu", r);
        int rc = check_index(row[0], g->np, who, "i", g->err);
        if (!rc)
            rc = check_index(row[1], g->nq, who, "j", g->err);
        for (uint32_t k = 2; k < c->n_cols && !rc; k++)
            if (!isfinite(row[k]))
                rc = axon_errf(g->err, AXON_ERR_INVALID_ARG, "%s: %s = %g is not finite", who,
                               k == 2 ? "weight" : "delay", row[k]);
        if (rc)
            return rc;
        o->pre[r] = (uint32_t)row[0];
        o->post[r] = (uint32_t)row[1];
        if (o->has_w)
            o->w[r] = row[2];
        if (o->has_d)
            o->d[r] = row[3];
    }
    o->n = n;
    return AXON_OK;
}

enum { COL_I, COL_J, COL_W, COL_D };

/* "# columns = ['i', 'j', 'weight', 'delay']" (quotes ' or ", brackets [] or ()). Returns 1
 * if the comment is a columns header (roles filled), 0 if it is another comment, < 0 on a
 * malformed header (message in what). */
static int parse_columns(const char *s, int *roles, int *n_roles, char *what, size_t wl)
{
    while (*s == ' ' || *s == '\t')
        s++;
    if (strncmp(s, "columns", 7) != 0)
        return 0;
    s += 7;
    while (*s == ' ' || *s == '\t')
        s++;
    if (*s != '=')
        return 0;
    s++;
    while (*s == ' ' || *s == '\t')
        s++;
    char close = *s == '[' ? ']' : *s == '(' ? ')' : 0;
    if (!close) {
        snprintf(what, wl, "columns header: expected '[' or '('");
        return -1;
    }
    s++;
    int n = 0, seen[4] = {0};
    for (;;) {
        while (*s == ' ' || *s == '\t' || *s == ',')
            s++;
        if (*s == close)
            break;
        char q = *s;
        if (q != '\'' && q != '"') {
            snprintf(what, wl, "columns header: expected a quoted column name");
            return -1;
        }
        const char *b = ++s;
        while (*s && *s != q)
            s++;
        if (!*s) {
            snprintf(what, wl, "columns header: unterminated column name");
            return -1;
        }
        size_t len = (size_t)(s - b);
        s++;
        static const char *const names[4] = {"i", "j", "weight", "delay"};
        int role = -1;
        for (int k = 0; k < 4; k++)
            if (strlen(names[k]) == len && strncmp(b, names[k], len) == 0)
                role = k;
        if (role < 0) {
            snprintf(what, wl, "unsupported column '%.*s' (expected i, j, weight, delay)",
                     (int)(len > 32 ? 32 : len), b);
            return -1;
        }
        if (seen[role]++ || n >= 4) {
            snprintf(what, wl, "column '%s' given twice", names[role]);
            return -1;
        }
        roles[n++] = role;
    }
    if (!seen[COL_I] || !seen[COL_J]) {
        snprintf(what, wl, "columns header must name 'i' and 'j'");
        return -1;
    }
    *n_roles = n;
    return 1;
}

static int from_file(gen *g)
{
    const char *path = g->c->path;
    if (!path)
        return axon_errf(g->err, AXON_ERR_INVALID_ARG, "FromFile: no path");
    FILE *f = fopen(path, "r");
    if (!f)
        return axon_errf(g->err, AXON_ERR_IO, "FromFile: cannot open '%s': %s", path,
                         strerror(errno));
    hl_conns *o = g->out;
    int roles[4] = {COL_I, COL_J, COL_W, COL_D}, n_cols = 0; /* 0: not known yet */
    int header = 0, data_seen = 0, rc = AXON_OK;
    char *line = NULL;
    size_t lcap = 0, lineno = 0;
    ssize_t len;
    while ((len = getline(&line, &lcap, f)) >= 0) {
        lineno++;
        if ((size_t)len != strlen(line)) {
            rc = axon_errf(g->err, AXON_ERR_PARSE, "FromFile '%s': line %zu: NUL byte", path,
                           lineno);
            break;
        }
        char *s = line;
        while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
            s++;
        if (!*s)
            continue;
        if (*s == '#') {
            /* metadata ("# name = value") is read from the top of the file only, as PyNN's
             * StandardTextFile.get_metadata does; later '#' lines are comments */
            if (data_seen)
                continue;
            char what[128];
            int nr = 0, h = parse_columns(s + 1, roles, &nr, what, sizeof what);
            if (h < 0 || (h > 0 && header)) {
                rc = axon_errf(g->err, AXON_ERR_PARSE, "FromFile '%s': line %zu: %s", path,
                               lineno, h < 0 ? what : "repeated columns header");
                break;
            }
            if (h > 0) {
                header = 1;
                n_cols = nr;
            }
            continue;
        }
        data_seen = 1;
        char *hash = strchr(s, '#'); /* numpy.loadtxt: '#' starts a comment anywhere */
        if (hash)
            *hash = 0;
        double v[4];
        int k = 0;
        for (;;) {
            while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
                s++;
            if (!*s)
                break;
            char *end;
            errno = 0;
            double x = strtod(s, &end);
            if (end == s || (*end && *end != ' ' && *end != '\t' && *end != '\r' && *end != '\n')) {
                char *e = s;
                while (*e && *e != ' ' && *e != '\t' && *e != '\r' && *e != '\n')
                    e++;
                rc = axon_errf(g->err, AXON_ERR_PARSE,
                               "FromFile '%s': line %zu: '%.*s' is not a number", path, lineno,
                               (int)(e - s > 32 ? 32 : e - s), s);
                break;
            }
            if (k < 4)
                v[k] = x;
            k++;
            s = end;
        }
        if (rc)
            break;
        if (n_cols == 0) {
            if (k < 2 || k > 4) {
                rc = axon_errf(g->err, AXON_ERR_PARSE,
                               "FromFile '%s': line %zu: %d numbers; expected i j [weight "
                               "[delay]]",
                               path, lineno, k);
                break;
            }
            n_cols = k;
        }
        if (k != n_cols) {
            rc = axon_errf(g->err, AXON_ERR_PARSE,
                           "FromFile '%s': line %zu: %d numbers, expected %d like the %s", path,
                           lineno, k, n_cols, header ? "columns header" : "first data line");
            break;
        }
        if (o->n == 0 && !o->pre) {
            for (int c = 0; c < n_cols; c++) {
                o->has_w |= roles[c] == COL_W;
                o->has_d |= roles[c] == COL_D;
            }
            /* conns_reserve grows w and d with pre/post once they exist */
            o->w = o->has_w ? malloc(sizeof *o->w) : NULL;
            o->d = o->has_d ? malloc(sizeof *o->d) : NULL;
            if ((o->has_w && !o->w) || (o->has_d && !o->d)) {
                rc = axon_errf(g->err, AXON_ERR_NO_MEMORY, "FromFile: out of memory");
                break;
            }
        }
        double col[4] = {0, 0, 0, 0};
        for (int c = 0; c < n_cols; c++)
            col[roles[c]] = v[c];
        char who[256];
        snprintf(who, sizeof who, "FromFile '%s': line %zu", path, lineno);
        if ((rc = check_index(col[COL_I], g->np, who, "i", g->err)) ||
            (rc = check_index(col[COL_J], g->nq, who, "j", g->err)))
            break;
        for (int c = COL_W; c <= COL_D; c++)
            if (((c == COL_W && o->has_w) || (c == COL_D && o->has_d)) && !isfinite(col[c])) {
                rc = axon_errf(g->err, AXON_ERR_INVALID_ARG, "%s: %s = %g is not finite", who,
                               c == COL_W ? "weight" : "delay", col[c]);
                break;
            }
        if (rc)
            break;
        if (o->n == o->cap && (rc = conns_reserve(o, o->n + 1, g->err)))
            break;
        o->pre[o->n] = (uint32_t)col[COL_I];
        o->post[o->n] = (uint32_t)col[COL_J];
        if (o->has_w)
            o->w[o->n] = col[COL_W];
        if (o->has_d)
            o->d[o->n] = col[COL_D];
        o->n++;
    }
    if (!rc && ferror(f))
        rc = axon_errf(g->err, AXON_ERR_IO, "FromFile: error reading '%s'", path);
    free(line);
    fclose(f);
    if (!rc && o->n == 0 && header) {
        for (int c = 0; c < n_cols; c++) {
            o->has_w |= roles[c] == COL_W;
            o->has_d |= roles[c] == COL_D;
        }
    }
    return rc;
}

/* ------------------------------------------------------------------ entry points */
axon_connector hl_connector_default(axon_connector_kind kind)
{
    axon_connector c;
    memset(&c, 0, sizeof c);
    c.kind = kind;
    c.allow_self_connections = 1;
    c.with_replacement = kind == AXON_CONN_FIXED_TOTAL_NUMBER;
    return c;
}

int hl_connect(const hl_conn_in *in, hl_conns *out, char *err)
{
    if (!out)
        return axon_errf(err, AXON_ERR_INVALID_ARG, "connector: NULL output");
    memset(out, 0, sizeof *out);
    if (!in || !in->c)
        return axon_errf(err, AXON_ERR_INVALID_ARG, "connector: NULL input");
    const axon_connector *c = in->c;
    gen g = {in, c, in->n_pre, in->n_post, 0, out, err, kind_name(c->kind)};
    g.noself = in->same_pop && !c->allow_self_connections;
    int rc;
    switch (c->kind) {
    case AXON_CONN_ALL_TO_ALL: rc = all_to_all(&g); break;
    case AXON_CONN_ONE_TO_ONE: rc = one_to_one(&g); break;
    case AXON_CONN_FIXED_PROBABILITY: rc = fixed_probability(&g); break;
    case AXON_CONN_DISTANCE_PROBABILITY: rc = distance_probability(&g); break;
    case AXON_CONN_FIXED_NUMBER_PRE: rc = fixed_number_pre(&g); break;
    case AXON_CONN_FIXED_NUMBER_POST: rc = fixed_number_post(&g); break;
    case AXON_CONN_FIXED_TOTAL_NUMBER: rc = fixed_total_number(&g); break;
    case AXON_CONN_SMALL_WORLD: rc = small_world(&g); break;
    case AXON_CONN_FROM_LIST: rc = from_list(&g); break;
    case AXON_CONN_FROM_FILE: rc = from_file(&g); break;
    case AXON_CONN_ARRAY: rc = array_conn(&g); break;
    default:
        rc = axon_errf(err, AXON_ERR_UNSUPPORTED, "connector: unknown kind %d", (int)c->kind);
        break;
    }
    if (rc)
        hl_conns_free(out);
    return rc;
}

static int bad_value(const hl_conns *cs, size_t k, double v, const char *what, char *err)
{
    return axon_errf(err, AXON_ERR_INVALID_ARG,
                     "%s of connection %zu (pre %u, post %u) = %g is not finite", what, k,
                     cs->pre[k], cs->post[k], v);
}

int hl_conn_values(const axon_value *v, const hl_conn_in *in, const hl_conns *conns,
                   double *out, const char *what, char *err)
{
    if (!what)
        what = "value";
    if (!v || !in || !conns)
        return axon_errf(err, AXON_ERR_INVALID_ARG, "%s: NULL argument", what);
    size_t n = conns->n;
    if (n && !out)
        return axon_errf(err, AXON_ERR_INVALID_ARG, "%s: NULL output", what);
    char msg[AXON_ERRMSG_LEN];
    int rc;
    switch (v->kind) {
    case AXON_VALUE_CONST:
        if (!isfinite(v->c))
            return axon_errf(err, AXON_ERR_INVALID_ARG, "%s = %g is not finite", what, v->c);
        for (size_t k = 0; k < n; k++)
            out[k] = v->c;
        return AXON_OK;
    case AXON_VALUE_ARRAY: {
        size_t cells = (size_t)in->n_pre * in->n_post;
        if (!v->array && v->n)
            return axon_errf(err, AXON_ERR_INVALID_ARG, "%s: NULL array of %zu values", what,
                             v->n);
        if (v->n == cells && cells) {
            for (size_t k = 0; k < n; k++) {
                double x = v->array[(size_t)conns->pre[k] * in->n_post + conns->post[k]];
                if (!isfinite(x))
                    return bad_value(conns, k, x, what, err);
                out[k] = x;
            }
        } else if (v->n == n) {
            for (size_t k = 0; k < n; k++) {
                if (!isfinite(v->array[k]))
                    return bad_value(conns, k, v->array[k], what, err);
                out[k] = v->array[k];
            }
        } else {
            return axon_errf(err, AXON_ERR_INVALID_ARG,
                             "%s: an array of %zu values fits neither the %u x %u matrix nor "
                             "the %zu connections",
                             what, v->n, in->n_pre, in->n_post, n);
        }
        return AXON_OK;
    }
    case AXON_VALUE_RANDOM:
        if ((rc = hl_dist_check(&v->dist, msg)))
            return axon_errf(err, rc, "%s: %s", what, msg);
        if (n && !in->rng)
            return axon_errf(err, AXON_ERR_INVALID_ARG, "%s: no random generator", what);
        if ((rc = hl_dist_fill(&v->dist, in->rng, out, n, msg)))
            return axon_errf(err, rc, "%s: %s", what, msg);
        for (size_t k = 0; k < n; k++)
            if (!isfinite(out[k]))
                return bad_value(conns, k, out[k], what, err);
        return AXON_OK;
    case AXON_VALUE_EXPR: {
        if (!v->expr)
            return axon_errf(err, AXON_ERR_INVALID_ARG, "%s: no expression", what);
        static const char *const vars[] = {"d"};
        hl_expr *e;
        if ((rc = hl_expr_compile(v->expr, vars, 1, &e, msg)))
            return axon_errf(err, rc, "%s: %s", what, msg);
        if (n && (!in->pre_pos || !in->post_pos)) {
            hl_expr_free(e);
            return axon_errf(err, AXON_ERR_INVALID_ARG, "%s: neuron positions are missing",
                             what);
        }
        hl_space dflt = {{1, 1, 1}, {0, 0, 0}};
        const hl_space *sp = in->space ? in->space : &dflt;
        rc = AXON_OK;
        for (size_t k = 0; k < n; k++) {
            double d = hl_distance(sp, in->pre_pos + 3 * (size_t)conns->pre[k],
                                   in->post_pos + 3 * (size_t)conns->post[k]);
            double x = hl_expr_eval(e, &d);
            if (!isfinite(x)) {
                rc = axon_errf(err, AXON_ERR_INVALID_ARG,
                               "%s of connection %zu (pre %u, post %u, d = %g) = %g is not "
                               "finite",
                               what, k, conns->pre[k], conns->post[k], d, x);
                break;
            }
            out[k] = x;
        }
        hl_expr_free(e);
        return rc;
    }
    default:
        return axon_errf(err, AXON_ERR_UNSUPPORTED, "%s: unknown value kind %d", what,
                         (int)v->kind);
    }
}
