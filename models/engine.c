/* The golden engine: barrier-synchronised stepping of every core, packet routing through
 * the chips' multicast tables, host threads (docs/spec/engine.md). */
#include "axon/engine.h"
#include "axon/golden.h"
#include "axon/router.h"

#include "core.h"
#include "errbuf.h"
#include "image_internal.h"
#include "route.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* Everything a packet does is fixed by the image, so it is worked out once per key when the
 * engine loads: the key is routed (route_key), each destination core's population table
 * is searched (core_lookup) and the synaptic row it selects is flattened into `fsyn`
 * records that point straight at the destination's ring-buffer words. Delivering a packet
 * is then one pass over its records; the counters a packet causes (router and core) are
 * kept as per-key costs and summed when read. The result is exactly that of routing every
 * packet and reading every row at run time (tables, rows and ring-buffer accumulation do
 * not depend on order; docs/spec/synapses.md). */

typedef struct fsyn {
    uint32_t g;   /* ring-buffer word index within a slot (destination core base + type*n + i) */
    uint16_t w;   /* weight */
    uint8_t d;    /* delay 1..16 */
    uint8_t pad;
} fsyn;

typedef struct fan {
    uint32_t dest;  /* destination delay-extension core gid */
    uint32_t info;  /* neuron index there */
} fan;

typedef struct rcost {
    uint32_t idx;   /* counter index (router: chip * N + counter; core: gid * N + counter) */
    uint32_t count; /* per packet emitted with this key */
} rcost;

typedef struct prow {
    uint32_t dest; /* destination neuron core gid */
    uint32_t row;  /* plastic row's offset in its synaptic matrix */
} prow;

typedef struct emitter {
    uint32_t *syn_off;  /* n_keys * threads + 1: key k, thread t -> [off[k*T+t], off[k*T+t+1]) */
    fsyn *syn;
    uint32_t *fan_off;  /* n_keys + 1 offsets into fans (delay extensions) */
    fan *fans;
    uint32_t *cost_off; /* n_keys + 1 offsets into costs (router counters) */
    rcost *costs;
    uint32_t *ccost_off; /* n_keys + 1 offsets into ccosts (delivery counters of cores) */
    rcost *ccosts;
    uint32_t *prow_off; /* n_keys * threads + 1, like syn_off: plastic rows to process */
    prow *prows;
} emitter;

struct axon_engine {
    uint32_t width, height, cpc, n_cores, n_chips;
    core *cores;
    emitter *em;           /* per core */
    uint32_t *owner;       /* per core: thread that updates it and receives its packets */
    uint32_t *rb;          /* every neuron core's ring buffers: rb[slot * rb_words + g] */
    size_t rb_words;
    uint64_t *dcnt;        /* delivery counters per core, summed from the costs on demand */
    uint64_t *rcnt;        /* router counters per chip, likewise */
    int counts_valid;
    uint32_t step;
    unsigned threads;
    axon_spike_fn spike_fn;
    void *spike_user;
    char err[AXON_ERRMSG_LEN];
};

/* ---------------- routing: walk each key once (route.c), cache its destinations ---------------- */

typedef struct scratch {
    fsyn *syn;
    uint32_t *own; /* owner thread of each syn */
    size_t n, cap;
    prow *pr;      /* this key's plastic rows */
    size_t pn, pcap;
} scratch;

/* Append a cost to the current key's list (which starts at `first`), merging with the
 * previous entry of the same key and counter. */
static int push_cost(rcost **arr, size_t *n, size_t *cap, size_t first, uint32_t idx,
                     uint32_t count)
{
    if (*n > first && (*arr)[*n - 1].idx == idx) {
        (*arr)[*n - 1].count += count;
        return 0;
    }
    if (*n == *cap) {
        *cap = *cap * 2 + 16;
        rcost *p = realloc(*arr, *cap * sizeof *p);
        if (!p)
            return -1;
        *arr = p;
    }
    (*arr)[(*n)++] = (rcost){idx, count};
    return 0;
}

static int build_emitter(axon_engine *e, uint32_t gid, route_hop *q, uint32_t qcap, route_walk *w,
                         scratch *sc)
{
    core *c = &e->cores[gid];
    emitter *em = &e->em[gid];
    const uint32_t T = e->threads;
    uint32_t chip = gid / e->cpc, sx = chip % e->width, sy = chip / e->width;
    size_t nf = 0, capf = 0, nc = 0, capc = 0, ncc = 0, capcc = 0, ns = 0, caps = 0;
    size_t np = 0, capp = 0;
    em->syn_off = calloc((size_t)c->n_keys * T + 1, sizeof *em->syn_off);
    em->prow_off = calloc((size_t)c->n_keys * T + 1, sizeof *em->prow_off);
    em->fan_off = calloc((size_t)c->n_keys + 1, sizeof *em->fan_off);
    em->cost_off = calloc((size_t)c->n_keys + 1, sizeof *em->cost_off);
    em->ccost_off = calloc((size_t)c->n_keys + 1, sizeof *em->ccost_off);
    if (!em->syn_off || !em->fan_off || !em->cost_off || !em->ccost_off || !em->prow_off)
        return AXON_ERR_NO_MEMORY;
    for (uint32_t k = 0; k < c->n_keys; k++) {
        int live = c->kind != AXON_KIND_DELAY_EXT || ((k & ((1u << AXON_DE_STAGE_KEY_LSB) - 1)) < c->n);
        sc->n = 0;
        sc->pn = 0;
        if (live) {
            uint32_t key = c->key_base | k;
            memset(w->cnt, 0, (size_t)e->n_chips * AXON_CNT_ROUTER_N * sizeof *w->cnt);
            w->n_dest = 0;
            route_key(w, sx, sy, key, q, qcap);
            if (w->oom)
                return AXON_ERR_NO_MEMORY;
            for (uint32_t i = 0; i < e->n_chips * AXON_CNT_ROUTER_N; i++)
                if (w->cnt[i] && push_cost(&em->costs, &nc, &capc, em->cost_off[k], i, w->cnt[i]))
                    return AXON_ERR_NO_MEMORY;
            for (uint32_t d = 0; d < w->n_dest; d++) {
                const core *dc = &e->cores[w->dest[d]];
                uint32_t info = core_lookup(dc, key), base = w->dest[d] * AXON_CNT_CORE_N;
                if (push_cost(&em->ccosts, &ncc, &capcc, em->ccost_off[k], base + AXON_CNT_CORE_PACKETS_IN, 1))
                    return AXON_ERR_NO_MEMORY;
                if (info == CORE_INFO_MISS || info == CORE_INFO_INVALID) {
                    uint32_t which = info == CORE_INFO_MISS ? AXON_CNT_CORE_MPT_MISS
                                                            : AXON_CNT_CORE_ROW_INVALID;
                    if (push_cost(&em->ccosts, &ncc, &capcc, em->ccost_off[k], base + which, 1))
                        return AXON_ERR_NO_MEMORY;
                    continue;
                }
                if (dc->kind == AXON_KIND_DELAY_EXT) {
                    if (nf == capf) {
                        capf = capf * 2 + 16;
                        fan *p = realloc(em->fans, capf * sizeof *p);
                        if (!p)
                            return AXON_ERR_NO_MEMORY;
                        em->fans = p;
                    }
                    em->fans[nf++] = (fan){w->dest[d], info};
                    continue;
                }
                /* a neuron core's row: flatten its synapses */
                const uint32_t *row = dc->syn + info;
                uint32_t n_syn = row[0] & AXON_ROW_N_STATIC_MASK;
                if (n_syn && push_cost(&em->ccosts, &ncc, &capcc, em->ccost_off[k],
                                       base + AXON_CNT_CORE_SYNAPTIC_EVENTS, n_syn))
                    return AXON_ERR_NO_MEMORY;
                if (row[0] >> AXON_PROW_PLASTIC_LSB & AXON_PROW_PLASTIC_MASK) {
                    /* plastic: processed at delivery (the weights change) */
                    if (core_grow((void **)&sc->pr, &sc->pcap, sc->pn + 1, sizeof *sc->pr))
                        return AXON_ERR_NO_MEMORY;
                    sc->pr[sc->pn++] = (prow){w->dest[d], info};
                    continue;
                }
                if (sc->n + n_syn > sc->cap) {
                    sc->cap = (sc->n + n_syn) * 2;
                    fsyn *a = realloc(sc->syn, sc->cap * sizeof *a);
                    uint32_t *b = a ? realloc(sc->own, sc->cap * sizeof *b) : NULL;
                    if (a)
                        sc->syn = a;
                    if (!b)
                        return AXON_ERR_NO_MEMORY;
                    sc->own = b;
                }
                size_t gbase = (size_t)(dc->rb - e->rb);
                for (uint32_t s = 1; s <= n_syn; s++) {
                    uint32_t sw = row[s];
                    uint32_t idx = sw & AXON_SYN_INDEX_MASK;
                    uint32_t type = (sw >> AXON_SYN_TYPE_LSB) & AXON_SYN_TYPE_MASK;
                    sc->syn[sc->n] = (fsyn){(uint32_t)(gbase + (size_t)type * dc->n + idx),
                                            (uint16_t)(sw >> AXON_SYN_WEIGHT_LSB),
                                            (uint8_t)(1 + ((sw >> AXON_SYN_DELAY_M1_LSB) &
                                                           AXON_SYN_DELAY_M1_MASK)),
                                            0};
                    sc->own[sc->n++] = e->owner[w->dest[d]];
                }
            }
        }
        /* this key's records grouped by owner thread */
        if (ns + sc->n > caps) {
            caps = (ns + sc->n) * 2 + 64;
            fsyn *p = realloc(em->syn, caps * sizeof *p);
            if (!p)
                return AXON_ERR_NO_MEMORY;
            em->syn = p;
        }
        for (uint32_t t = 0; t < T; t++) {
            em->syn_off[(size_t)k * T + t] = (uint32_t)ns;
            for (size_t i = 0; i < sc->n; i++)
                if (sc->own[i] == t)
                    em->syn[ns++] = sc->syn[i];
        }
        if (core_grow((void **)&em->prows, &capp, np + sc->pn, sizeof *em->prows))
            return AXON_ERR_NO_MEMORY;
        for (uint32_t t = 0; t < T; t++) {
            em->prow_off[(size_t)k * T + t] = (uint32_t)np;
            for (size_t i = 0; i < sc->pn; i++)
                if (e->owner[sc->pr[i].dest] == t)
                    em->prows[np++] = sc->pr[i];
        }
        em->prow_off[(size_t)(k + 1) * T] = (uint32_t)np;
        if (ns > UINT32_MAX)
            return AXON_ERR_CAPACITY;
        em->syn_off[(size_t)(k + 1) * T] = (uint32_t)ns;
        em->fan_off[k + 1] = (uint32_t)nf;
        em->cost_off[k + 1] = (uint32_t)nc;
        em->ccost_off[k + 1] = (uint32_t)ncc;
    }
    return AXON_OK;
}

/* ---------------- lifecycle ---------------- */

static void assign_threads(axon_engine *e)
{
    /* greedy balance by neurons per core; each core belongs to one thread for both its
     * update and the packets it receives */
    uint64_t load[64] = {0};
    for (uint32_t g = 0; g < e->n_cores; g++) {
        unsigned best = 0;
        for (unsigned t = 1; t < e->threads; t++)
            if (load[t] < load[best])
                best = t;
        e->owner[g] = best;
        load[best] += e->cores[g].n + 1;
    }
}

int axon_engine_create(axon_engine **out, axon_image *img, const axon_engine_opts *opts,
                       char *err)
{
    *out = NULL;
    int rc = axon_image_validate(img);
    if (rc)
        return axon_errf(err, rc, "%s", axon_image_last_error(img));
    axon_engine *e = calloc(1, sizeof *e);
    if (!e)
        return axon_errf(err, AXON_ERR_NO_MEMORY, "engine");
    e->width = img->width;
    e->height = img->height;
    e->cpc = img->cpc;
    e->n_chips = img->width * img->height;
    e->n_cores = e->n_chips * img->cpc;
    e->threads = opts && opts->threads > 1 ? (opts->threads > 64 ? 64 : opts->threads) : 1;
    int f64 = opts && opts->arith == AXON_ARITH_FLOAT64;
    e->cores = calloc(e->n_cores, sizeof *e->cores);
    e->em = calloc(e->n_cores, sizeof *e->em);
    e->owner = calloc(e->n_cores, sizeof *e->owner);
    if (!e->cores || !e->em || !e->owner) {
        rc = axon_errf(err, AXON_ERR_NO_MEMORY, "engine tables for %u cores", e->n_cores);
        goto fail;
    }
    static const uint32_t unused[AXON_CORE_HEADER_WORDS] = {0};
    for (uint32_t g = 0; g < e->n_cores; g++) {
        const img_core *ic = &img->cores[g];
        if (core_load(&e->cores[g], ic->n ? ic->w : unused, ic->n ? ic->n : AXON_CORE_HEADER_WORDS,
                      g, f64)) {
            rc = axon_errf(err, AXON_ERR_NO_MEMORY, "core %u of chip (%u, %u)", g % e->cpc,
                           (g / e->cpc) % e->width, (g / e->cpc) / e->width);
            goto fail;
        }
    }
    /* one ring-buffer array for all neuron cores, slot-major */
    for (uint32_t g = 0; g < e->n_cores; g++)
        e->rb_words += core_rb_words(&e->cores[g]);
    e->rb = calloc(e->rb_words * AXON_SYN_RING_SLOTS + 1, sizeof *e->rb);
    e->dcnt = calloc((size_t)e->n_cores * AXON_CNT_CORE_N, sizeof *e->dcnt);
    e->rcnt = calloc((size_t)e->n_chips * AXON_CNT_ROUTER_N, sizeof *e->rcnt);
    if (!e->rb || !e->dcnt || !e->rcnt) {
        rc = axon_errf(err, AXON_ERR_NO_MEMORY, "ring buffers of %zu words", e->rb_words * 16);
        goto fail;
    }
    for (uint32_t g = 0, base = 0; g < e->n_cores; g++) {
        e->cores[g].rb = e->rb + base;
        e->cores[g].rb_stride = e->rb_words;
        base += (uint32_t)core_rb_words(&e->cores[g]);
    }
    assign_threads(e);
    uint32_t qcap = 1u << 16;
    route_hop *q = malloc(qcap * sizeof *q);
    route_walk w = {img, calloc((size_t)e->n_chips * AXON_CNT_ROUTER_N, sizeof(uint32_t)), NULL, 0, 0, 0};
    scratch sc = {NULL, NULL, 0, 0, NULL, 0, 0};
    rc = (!q || !w.cnt) ? AXON_ERR_NO_MEMORY : AXON_OK;
    for (uint32_t g = 0; !rc && g < e->n_cores; g++)
        if (e->cores[g].kind != AXON_KIND_UNUSED && e->cores[g].emit)
            rc = build_emitter(e, g, q, qcap, &w, &sc);
    free(q);
    free(w.cnt);
    free(w.dest);
    free(sc.syn);
    free(sc.own);
    free(sc.pr);
    if (rc) {
        axon_errf(err, rc, "routing caches");
        goto fail;
    }
    *out = e;
    return AXON_OK;
fail:
    axon_engine_destroy(e);
    return rc;
}

void axon_engine_destroy(axon_engine *e)
{
    if (!e)
        return;
    for (uint32_t g = 0; e->cores && g < e->n_cores; g++)
        core_free(&e->cores[g]);
    for (uint32_t g = 0; e->em && g < e->n_cores; g++) {
        free(e->em[g].syn_off);
        free(e->em[g].syn);
        free(e->em[g].fan_off);
        free(e->em[g].fans);
        free(e->em[g].cost_off);
        free(e->em[g].costs);
        free(e->em[g].ccost_off);
        free(e->em[g].ccosts);
        free(e->em[g].prow_off);
        free(e->em[g].prows);
    }
    free(e->rb);
    free(e->dcnt);
    free(e->rcnt);
    free(e->cores);
    free(e->em);
    free(e->owner);
    free(e);
}

const char *axon_engine_last_error(const axon_engine *e) { return e ? e->err : ""; }
uint32_t axon_engine_step(const axon_engine *e) { return e->step; }

void axon_engine_set_spike_fn(axon_engine *e, axon_spike_fn fn, void *user)
{
    e->spike_fn = fn;
    e->spike_user = user;
}

int axon_engine_reset(axon_engine *e)
{
    e->counts_valid = 0;
    for (uint32_t g = 0; g < e->n_cores; g++)
        core_reset(&e->cores[g]);
    e->step = 0;
    return AXON_OK;
}

/* ---------------- stepping ---------------- */

/* A spinning barrier: a step of a small network lasts microseconds, far less than a
 * futex sleep and wake-up of pthread_barrier_wait; the waiters spin (yielding after a
 * while, so an oversubscribed machine still progresses). */
typedef struct spin_barrier {
    atomic_uint count;
    atomic_uint gen;
    unsigned n;
} spin_barrier;

static void spin_wait(spin_barrier *b)
{
    unsigned g = atomic_load_explicit(&b->gen, memory_order_acquire);
    if (atomic_fetch_add_explicit(&b->count, 1, memory_order_acq_rel) + 1 == b->n) {
        atomic_store_explicit(&b->count, 0, memory_order_relaxed);
        atomic_store_explicit(&b->gen, g + 1, memory_order_release);
        return;
    }
    for (unsigned spins = 0; atomic_load_explicit(&b->gen, memory_order_acquire) == g; spins++)
        if (spins > 2000)
            sched_yield();
}

typedef struct gate {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int state; /* 0 wait, 1 run, 2 exit */
} gate;

typedef struct worker {
    axon_engine *e;
    unsigned tid;
    int all; /* single-threaded: this worker owns every core */
    uint32_t t0, n;
    spin_barrier *bar;
    gate *gate;
} worker;

static inline int mine(const worker *wk, uint32_t gid)
{
    return wk->all || wk->e->owner[gid] == wk->tid;
}

/* Apply every packet of step t to the ring buffers (and delay extensions) of this worker's
 * cores: for each emitted key, its flattened synapses for this thread. */
static void deliver(const worker *wk, uint32_t t)
{
    axon_engine *e = wk->e;
    const uint32_t T = e->threads;
    const uint32_t t0 = wk->all ? 0 : wk->tid, t1 = wk->all ? T : wk->tid + 1;
    uint32_t *slot_base[AXON_SYN_RING_SLOTS + 1];
    for (uint32_t d = 1; d <= AXON_SYN_RING_SLOTS; d++)
        slot_base[d] = e->rb + (size_t)((t + d) % AXON_SYN_RING_SLOTS) * e->rb_words;
    for (uint32_t g = 0; g < e->n_cores; g++) {
        const core *src = &e->cores[g];
        const emitter *em = &e->em[g];
        for (uint32_t k = 0; k < src->out_n; k++) {
            uint32_t lk = src->out[k] - src->key_base;
            const fsyn *s = em->syn + em->syn_off[(size_t)lk * T + t0];
            const fsyn *end = em->syn + em->syn_off[(size_t)lk * T + t1];
            for (; s < end; s++) {
                uint32_t *p = slot_base[s->d] + s->g;
                *p = axon_rb_accumulate(*p, s->w);
            }
            for (uint32_t i = em->prow_off[(size_t)lk * T + t0];
                 i < em->prow_off[(size_t)lk * T + t1]; i++)
                core_plast_row(&e->cores[em->prows[i].dest], em->prows[i].row, t);
            for (uint32_t f = em->fan_off[lk]; f < em->fan_off[lk + 1]; f++)
                if (mine(wk, em->fans[f].dest))
                    core_de_receive(&e->cores[em->fans[f].dest], em->fans[f].info, t);
        }
    }
}

static void callbacks(axon_engine *e, uint32_t t)
{
    for (uint32_t g = 0; g < e->n_cores; g++)
        for (uint32_t k = 0; k < e->cores[g].out_n; k++)
            e->spike_fn(e->spike_user, t, g, e->cores[g].out[k]);
}

static void steps(worker *wk)
{
    axon_engine *e = wk->e;
    for (uint32_t t = wk->t0; t < wk->t0 + wk->n; t++) {
        for (uint32_t g = 0; g < e->n_cores; g++)
            if (mine(wk, g) && e->cores[g].kind != AXON_KIND_UNUSED)
                core_update(&e->cores[g], t);
        if (wk->bar)
            spin_wait(wk->bar); /* every core updated: packets of t are final */
        if (wk->tid == 0 && e->spike_fn)
            callbacks(e, t);
        deliver(wk, t);
        if (wk->bar)
            spin_wait(wk->bar); /* every packet of t delivered */
    }
}

static void *worker_main(void *arg)
{
    worker *wk = arg;
    pthread_mutex_lock(&wk->gate->mu);
    while (wk->gate->state == 0)
        pthread_cond_wait(&wk->gate->cv, &wk->gate->mu);
    int run = wk->gate->state == 1;
    pthread_mutex_unlock(&wk->gate->mu);
    if (run)
        steps(wk);
    return NULL;
}

int axon_engine_run(axon_engine *e, uint32_t n)
{
    if (n > UINT32_MAX - e->step)
        return axon_errf(e->err, AXON_ERR_RANGE,
                         "run of %u steps from step %u overflows the step counter", n, e->step);
    e->counts_valid = 0;
    worker solo = {e, 0, 1, e->step, n, NULL, NULL};
    if (e->threads == 1) {
        steps(&solo);
    } else {
        /* start every helper thread first; only if all started do they run (a barrier
         * needs all of them), otherwise they exit and this thread does all the work */
        spin_barrier bar;
        gate gt = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};
        pthread_t th[64];
        worker wk[64];
        unsigned started = 0;
        atomic_init(&bar.count, 0);
        atomic_init(&bar.gen, 0);
        bar.n = e->threads;
        for (unsigned i = 0; i < e->threads; i++)
            wk[i] = (worker){e, i, 0, e->step, n, &bar, &gt};
        for (unsigned i = 1; i < e->threads; i++, started++)
            if (pthread_create(&th[i], NULL, worker_main, &wk[i]))
                break;
        int all = started == e->threads - 1;
        pthread_mutex_lock(&gt.mu);
        gt.state = all ? 1 : 2;
        pthread_cond_broadcast(&gt.cv);
        pthread_mutex_unlock(&gt.mu);
        if (all)
            steps(&wk[0]);
        for (unsigned i = 1; i <= started; i++)
            pthread_join(th[i], NULL);
        if (!all)
            steps(&solo);
    }
    e->step += n;
    for (uint32_t g = 0; g < e->n_cores; g++)
        if (e->cores[g].oom)
            return axon_errf(e->err, AXON_ERR_NO_MEMORY,
                             "core %u ran out of memory for its outputs or recording "
                             "(what was recorded before is kept)",
                             g);
    return AXON_OK;
}

/* ---------------- results ---------------- */

static int core_at(const axon_engine *e, uint32_t x, uint32_t y, uint32_t c, const core **out)
{
    if (x >= e->width || y >= e->height || c >= e->cpc)
        return AXON_ERR_INVALID_ARG;
    *out = &e->cores[(y * e->width + x) * e->cpc + c];
    return AXON_OK;
}

/* Sum the delivery counters of cores and the router counters from the per-key costs and
 * the number of packets each key sent. */
static void sum_counts(axon_engine *e)
{
    if (e->counts_valid)
        return;
    memset(e->dcnt, 0, (size_t)e->n_cores * AXON_CNT_CORE_N * sizeof *e->dcnt);
    memset(e->rcnt, 0, (size_t)e->n_chips * AXON_CNT_ROUTER_N * sizeof *e->rcnt);
    for (uint32_t g = 0; g < e->n_cores; g++) {
        const core *c = &e->cores[g];
        const emitter *em = &e->em[g];
        if (!em->cost_off)
            continue;
        for (uint32_t k = 0; k < c->n_keys; k++) {
            uint64_t n = c->sent[k];
            if (!n)
                continue;
            for (uint32_t i = em->cost_off[k]; i < em->cost_off[k + 1]; i++)
                e->rcnt[em->costs[i].idx] += n * em->costs[i].count;
            for (uint32_t i = em->ccost_off[k]; i < em->ccost_off[k + 1]; i++)
                e->dcnt[em->ccosts[i].idx] += n * em->ccosts[i].count;
        }
    }
    e->counts_valid = 1;
}

int axon_engine_core_counters(const axon_engine *e, uint32_t x, uint32_t y, uint32_t c,
                              uint64_t out[AXON_CNT_CORE_N])
{
    const core *k;
    if (core_at(e, x, y, c, &k))
        return AXON_ERR_INVALID_ARG;
    sum_counts((axon_engine *)e);
    const uint64_t *d = e->dcnt + (size_t)k->gid * AXON_CNT_CORE_N;
    for (int i = 0; i < AXON_CNT_CORE_N; i++)
        out[i] = k->cnt[i] + d[i];
    return AXON_OK;
}

int axon_engine_router_counters(const axon_engine *e, uint32_t x, uint32_t y,
                                uint64_t out[AXON_CNT_ROUTER_N])
{
    if (x >= e->width || y >= e->height)
        return AXON_ERR_INVALID_ARG;
    sum_counts((axon_engine *)e);
    memcpy(out, e->rcnt + (size_t)(y * e->width + x) * AXON_CNT_ROUTER_N,
           AXON_CNT_ROUTER_N * sizeof *out);
    return AXON_OK;
}

int axon_engine_recording(const axon_engine *e, uint32_t x, uint32_t y, uint32_t c,
                          const uint32_t **words, size_t *n)
{
    const core *k;
    if (core_at(e, x, y, c, &k))
        return AXON_ERR_INVALID_ARG;
    *words = k->rec;
    *n = k->rec_len;
    return AXON_OK;
}

int axon_engine_recording_drain(axon_engine *e, uint32_t x, uint32_t y, uint32_t c)
{
    const core *k;
    if (core_at(e, x, y, c, &k))
        return AXON_ERR_INVALID_ARG;
    ((core *)k)->rec_len = 0;
    return AXON_OK;
}

int axon_engine_state_word(const axon_engine *e, uint32_t x, uint32_t y, uint32_t c,
                           uint32_t neuron, uint32_t word, uint32_t *out)
{
    const core *k;
    if (core_at(e, x, y, c, &k) || k->kind != AXON_KIND_NEURON || neuron >= k->n ||
        word >= k->sw)
        return AXON_ERR_INVALID_ARG;
    if (!k->s)
        return AXON_ERR_STATE; /* float64 mode holds no words */
    *out = (uint32_t)k->s[(size_t)word * k->n + neuron];
    return AXON_OK;
}

int axon_engine_state_value(const axon_engine *e, uint32_t x, uint32_t y, uint32_t c,
                            uint32_t neuron, uint32_t word, double *out)
{
    const core *k;
    if (core_at(e, x, y, c, &k) || k->kind != AXON_KIND_NEURON || neuron >= k->n ||
        word >= k->sw)
        return AXON_ERR_INVALID_ARG;
    *out = core_state_value(k, neuron, word);
    return AXON_OK;
}

int axon_engine_set_param_word(axon_engine *e, uint32_t x, uint32_t y, uint32_t c,
                               uint32_t neuron, uint32_t word, uint32_t value)
{
    const core *k;
    if (core_at(e, x, y, c, &k) || (k->kind != AXON_KIND_NEURON && k->kind != AXON_KIND_SOURCE_POISSON))
        return axon_errf(e->err, AXON_ERR_INVALID_ARG,
                         "core %u of chip (%u, %u) has no parameter blocks", c, x, y);
    if (neuron >= k->n || word >= k->pw)
        return axon_errf(e->err, AXON_ERR_INVALID_ARG,
                         "parameter word %u of neuron %u is outside the %u x %u block", word,
                         neuron, k->n, k->pw);
    core_set_param_word((core *)k, neuron, word, value);
    return AXON_OK;
}

int axon_engine_syn_word(const axon_engine *e, uint32_t x, uint32_t y, uint32_t c,
                         uint32_t off, uint32_t *out)
{
    const core *k;
    if (core_at(e, x, y, c, &k) || k->kind != AXON_KIND_NEURON || off >= k->syn_words)
        return AXON_ERR_INVALID_ARG;
    *out = k->synw[off];
    return AXON_OK;
}

int axon_engine_mem_word(const axon_engine *e, uint32_t x, uint32_t y, uint32_t c,
                         uint32_t addr, uint32_t *out)
{
    const core *k;
    if (core_at(e, x, y, c, &k) || addr >= k->mem_n)
        return AXON_ERR_INVALID_ARG;
    *out = k->mem[addr];
    return AXON_OK;
}

int axon_engine_syn_weight(const axon_engine *e, uint32_t x, uint32_t y, uint32_t c,
                           uint32_t off, double *out)
{
    const core *k;
    if (core_at(e, x, y, c, &k) || k->kind != AXON_KIND_NEURON || off >= k->syn_words)
        return AXON_ERR_INVALID_ARG;
    *out = core_plast_weight(k, off);
    return AXON_OK;
}
