/* The emulator's harness (docs/emulator.md): Verilated neuron cores (vcore.cpp), loaded
 * through their configuration bus, stepped in barrier mode, with packets routed between
 * them by the golden router model (models/route.c; the RTL router is issue 5). */
#include "axon/emu.h"

#include "errbuf.h"
#include "image_internal.h"
#include "route.h"
#include "vcore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REG(r) (AXON_CIF_REG_BASE + (r))
/* counters are read (and extended to 64 bits) at the end of every run and at least every
 * this many cycles: a 32-bit counter cannot wrap twice in between (a counter grows by far
 * less than 16 per cycle) */
#define COUNTER_POLL_CYCLES (1ull << 28)
/* while a step runs, a core that stays busy this long has its recording buffer drained
 * (the core holds its step while that buffer is full) */
#define REC_POLL_CYCLES 4096u

typedef struct rcost {
    uint32_t idx, count; /* router counter (chip * N + counter), per packet */
} rcost;

typedef struct ecore {
    vcore *v;            /* NULL: unused core */
    vcore_io io;
    uint32_t gid, x, y, c;
    uint32_t kind, model, n, key_base, emit, state_words;
    uint32_t n_keys;     /* keys key_base | k, k < n_keys (delay extensions: stage bits too) */
    /* per emitted key index k < n_keys: destination cores and router counter costs */
    uint32_t *dst_off, *dst;
    uint32_t *cost_off;
    rcost *cost;
    /* packets emitted in this step, and packets waiting for the core's input */
    uint32_t *out;
    size_t out_n, out_cap;
    uint32_t *in;
    size_t in_head, in_n, in_cap;
    /* recording words read from the core */
    uint32_t *rec;
    size_t rec_n, rec_cap;
    int rec_oom;
    /* 64-bit counters */
    uint32_t cnt_last[AXON_CNT_CORE_N];
    uint64_t cnt[AXON_CNT_CORE_N];
    uint32_t busy_cycles; /* in the current phase */
    int bad_ctrl;         /* an emitted packet's control byte was not core_if.md's */
    uint32_t bad_key, bad_ctrl_byte;
} ecore;

struct axon_emu {
    char err[AXON_ERRMSG_LEN];
    uint64_t max_cycles;
    char *trace_path;
    axon_emu_core_info info;
    vsim *sim;
    axon_image *img;     /* a copy (routing of unexpected keys) */
    uint32_t w, h, cpc, n_cores, n_chips;
    ecore *cores;
    uint32_t *used;      /* gids of used cores, ascending */
    uint32_t n_used;
    uint64_t *rcnt;      /* router counters per chip */
    uint32_t *walk_cnt;  /* scratch for route_key */
    route_walk walk;
    route_hop *q;
    uint32_t step;
    uint64_t cycles, cycles_at_poll;
    axon_spike_fn spike_fn;
    void *spike_user;
    int loaded;
    int failed; /* a step failed mid-way: the cores must be booted again (reset) */
};

static const char *const cif_errors[] = {"none", "bad magic", "unsupported version",
                                         "kind the core cannot run", "model the core cannot run",
                                         "a size beyond the core's capacity",
                                         "a region outside core memory",
                                         "a plasticity region on a core that is not a neuron "
                                         "core"};

/* one description per code of core_if.errors (axon_spec.json) */
_Static_assert(sizeof cif_errors / sizeof *cif_errors == AXON_CIF_ERR_N,
               "cif_errors must describe every core_if error code");

static const char *cif_error_name(uint32_t code)
{
    return code < sizeof cif_errors / sizeof *cif_errors ? cif_errors[code] : "unknown error";
}

/* ---------------------------------------------------------------- clocking */

static void push_u32(uint32_t **a, size_t *n, size_t *cap, uint32_t v, int *oom)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        uint32_t *p = realloc(*a, nc * sizeof *p);
        if (!p) {
            *oom = 1;
            return;
        }
        *a = p;
        *cap = nc;
    }
    (*a)[(*n)++] = v;
}

static uint32_t mc_ctrl(uint32_t key)
{
    /* multicast, no payload: the parity bit makes the 40 bits odd */
    return (uint32_t)!(__builtin_popcount(key) & 1) << AXON_PKT_PARITY_LSB;
}

/* Present inputs of one core (its inbox head; outputs always accepted) and evaluate. Then
 * record the transfers that happen at the coming edge. Returns -1 on memory exhaustion. */
static int core_pre_edge(ecore *k)
{
    int oom = 0;
    vcore_io *io = &k->io;
    io->pkt_out_ready = 1;
    io->pkt_in_valid = k->in_head < k->in_n;
    if (io->pkt_in_valid) {
        uint32_t key = k->in[k->in_head];
        io->pkt_in[0] = mc_ctrl(key) | key << 8;
        io->pkt_in[1] = key >> 24;
        io->pkt_in[2] = 0;
    }
    vcore_comb(k->v, io);
    if (io->pkt_out_valid) {
        uint32_t key = io->pkt_out[0] >> 8 | io->pkt_out[1] << 24;
        uint32_t ctrl = io->pkt_out[0] & AXON_CIF_PKT_CTRL_MASK;
        if (ctrl != mc_ctrl(key) && !k->bad_ctrl) {
            k->bad_ctrl = 1;
            k->bad_key = key;
            k->bad_ctrl_byte = ctrl;
        }
        push_u32(&k->out, &k->out_n, &k->out_cap, key, &oom);
    }
    if (io->pkt_in_valid && io->pkt_in_ready)
        k->in_head++;
    return oom ? -1 : 0;
}

/* One clock cycle of the cores in list (all in the same simulated cycle). */
static int cycle(axon_emu *e, ecore **list, uint32_t n)
{
    int rc = 0;
    for (uint32_t i = 0; i < n; i++)
        rc |= core_pre_edge(list[i]);
    vsim_half_cycle(e->sim);
    for (uint32_t i = 0; i < n; i++)
        vcore_rise(list[i]->v, &list[i]->io);
    vsim_half_cycle(e->sim);
    e->cycles++;
    return rc;
}

static const char *where(const ecore *k, char *buf, size_t n)
{
    snprintf(buf, n, "core %u of chip (%u, %u)", k->c, k->x, k->y);
    return buf;
}

/* Configuration bus: one write, clocking only this core (the others are idle). */
static int cfg_write(axon_emu *e, ecore *k, uint32_t addr, uint32_t wdata)
{
    char wb[64];
    vcore_io *io = &k->io;
    io->cfg_req = 1;
    io->cfg_we = 1;
    io->cfg_addr = addr;
    io->cfg_wdata = wdata;
    for (uint64_t t0 = e->cycles;;) {
        if (core_pre_edge(k)) {
            io->cfg_req = 0;
            return axon_errf(e->err, AXON_ERR_NO_MEMORY, "packet buffers");
        }
        int gnt = io->cfg_gnt;
        vsim_half_cycle(e->sim);
        vcore_rise(k->v, io);
        vsim_half_cycle(e->sim);
        e->cycles++;
        if (gnt)
            break;
        if (e->cycles - t0 > e->max_cycles) {
            io->cfg_req = 0;
            return axon_errf(e->err, AXON_ERR_TIMEOUT,
                             "%s did not grant a configuration write of address 0x%06x in %llu "
                             "cycles",
                             where(k, wb, sizeof wb), addr, (unsigned long long)e->max_cycles);
        }
    }
    io->cfg_req = 0;
    io->cfg_we = 0;
    return AXON_OK;
}

/* n reads of the same address, pipelined: a request every cycle while the data of the
 * earlier ones returns in order (core_if.md). */
static int cfg_read_burst(axon_emu *e, ecore *k, uint32_t addr, uint32_t n, uint32_t *out)
{
    char wb[64];
    vcore_io *io = &k->io;
    uint32_t asked = 0, got = 0;
    uint64_t t0 = e->cycles;
    io->cfg_we = 0;
    io->cfg_addr = addr;
    while (got < n) {
        io->cfg_req = asked < n;
        if (core_pre_edge(k)) {
            io->cfg_req = 0;
            return axon_errf(e->err, AXON_ERR_NO_MEMORY, "packet buffers");
        }
        if (io->cfg_rvalid && got < asked)
            out[got++] = io->cfg_rdata;
        asked += io->cfg_req && io->cfg_gnt;
        vsim_half_cycle(e->sim);
        vcore_rise(k->v, io);
        vsim_half_cycle(e->sim);
        e->cycles++;
        if (e->cycles - t0 > e->max_cycles + 4ull * n) {
            io->cfg_req = 0;
            return axon_errf(e->err, AXON_ERR_TIMEOUT,
                             "%s returned %u of %u reads of address 0x%06x in %llu cycles",
                             where(k, wb, sizeof wb), got, n, addr,
                             (unsigned long long)(e->cycles - t0));
        }
    }
    io->cfg_req = 0;
    return AXON_OK;
}

static int cfg_read(axon_emu *e, ecore *k, uint32_t addr, uint32_t *out)
{
    return cfg_read_burst(e, k, addr, 1, out);
}

/* ---------------------------------------------------------------- recording, counters */

static int drain_rec(axon_emu *e, ecore *k)
{
    uint32_t avail;
    int rc = cfg_read(e, k, REG(AXON_CIF_REG_REC_AVAIL), &avail);
    if (rc || !avail)
        return rc;
    if (k->rec_n + avail > k->rec_cap && !k->rec_oom) {
        size_t cap = k->rec_cap ? k->rec_cap : 1024;
        while (cap < k->rec_n + avail)
            cap *= 2;
        uint32_t *p = realloc(k->rec, cap * sizeof *p);
        if (p) {
            k->rec = p;
            k->rec_cap = cap;
        } else {
            k->rec_oom = 1;
        }
    }
    if (!k->rec_oom) {
        rc = cfg_read_burst(e, k, REG(AXON_CIF_REG_REC_DATA), avail, k->rec + k->rec_n);
        k->rec_n += rc ? 0 : avail;
        return rc;
    }
    /* no room: the words are read (the core must not stall) and dropped */
    for (uint32_t i = 0; !rc && i < avail; i++) {
        uint32_t w;
        rc = cfg_read(e, k, REG(AXON_CIF_REG_REC_DATA), &w);
    }
    return rc;
}

static int poll_counters(axon_emu *e, ecore *k)
{
    for (uint32_t i = 0; i < AXON_CNT_CORE_N; i++) {
        uint32_t v;
        int rc = cfg_read(e, k, REG(AXON_CIF_REG_COUNTERS + i), &v);
        if (rc)
            return rc;
        k->cnt[i] += (uint32_t)(v - k->cnt_last[i]);
        k->cnt_last[i] = v;
    }
    return AXON_OK;
}

static int poll_all_counters(axon_emu *e)
{
    for (uint32_t u = 0; u < e->n_used; u++) {
        int rc = poll_counters(e, &e->cores[e->used[u]]);
        if (rc)
            return rc;
    }
    e->cycles_at_poll = e->cycles;
    return AXON_OK;
}

/* ---------------------------------------------------------------- boot */

/* Write BOOT and wait until the core is READY or reports ERROR. */
static int boot(axon_emu *e, ecore *k)
{
    char wb[64];
    int rc = cfg_write(e, k, REG(AXON_CIF_REG_CTRL), AXON_CIF_CTRL_BOOT);
    uint64_t t0 = e->cycles;
    uint32_t st = 0;
    while (!rc) {
        if ((rc = cfg_read(e, k, REG(AXON_CIF_REG_STATUS), &st)))
            break;
        if (st & AXON_CIF_STATUS_ERROR) {
            uint32_t code = 0;
            cfg_read(e, k, REG(AXON_CIF_REG_ERROR), &code);
            return axon_errf(e->err, AXON_ERR_UNSUPPORTED,
                             "%s refused the image at boot: error %u (%s)",
                             where(k, wb, sizeof wb), code, cif_error_name(code));
        }
        if ((st & AXON_CIF_STATUS_READY) && !(st & AXON_CIF_STATUS_BUSY))
            break;
        if (e->cycles - t0 > e->max_cycles)
            return axon_errf(e->err, AXON_ERR_TIMEOUT,
                             "%s did not finish booting in %llu cycles (status 0x%x)",
                             where(k, wb, sizeof wb), (unsigned long long)e->max_cycles, st);
    }
    if (rc)
        return rc;
    k->rec_n = 0;
    k->rec_oom = 0;
    k->in_head = k->in_n = 0;
    k->out_n = 0;
    memset(k->cnt, 0, sizeof k->cnt);
    memset(k->cnt_last, 0, sizeof k->cnt_last);
    return AXON_OK;
}

/* ---------------------------------------------------------------- lifecycle */

static void free_cores(axon_emu *e)
{
    for (uint32_t g = 0; e->cores && g < e->n_cores; g++) {
        ecore *k = &e->cores[g];
        vcore_free(k->v);
        free(k->dst_off);
        free(k->dst);
        free(k->cost_off);
        free(k->cost);
        free(k->out);
        free(k->in);
        free(k->rec);
    }
    free(e->cores);
    e->cores = NULL;
    free(e->used);
    e->used = NULL;
    e->n_used = 0;
    free(e->rcnt);
    e->rcnt = NULL;
    free(e->walk_cnt);
    e->walk_cnt = NULL;
    free(e->walk.dest);
    memset(&e->walk, 0, sizeof e->walk);
    free(e->q);
    e->q = NULL;
    vsim_free(e->sim);
    e->sim = NULL;
    axon_image_destroy(e->img);
    e->img = NULL;
    e->loaded = 0;
}

#define ROUTE_QCAP (1u << 16)

/* Route key from core k's chip: destinations into e->walk, router counters into walk_cnt. */
static int walk_key(axon_emu *e, const ecore *k, uint32_t key)
{
    memset(e->walk_cnt, 0, (size_t)e->n_chips * AXON_CNT_ROUTER_N * sizeof *e->walk_cnt);
    e->walk.cnt = e->walk_cnt;
    e->walk.n_dest = 0;
    route_key(&e->walk, k->x, k->y, key, e->q, ROUTE_QCAP);
    return e->walk.oom ? AXON_ERR_NO_MEMORY : AXON_OK;
}

/* Every key the core can emit (key_base | k, k < n_keys; for a delay extension only the
 * stage keys of its n neurons) routed once. */
static int build_routes(axon_emu *e, ecore *k)
{
    size_t nd = 0, capd = 0, nc = 0, capc = 0;
    int oom = 0;
    k->dst_off = calloc((size_t)k->n_keys + 1, sizeof *k->dst_off);
    k->cost_off = calloc((size_t)k->n_keys + 1, sizeof *k->cost_off);
    if (!k->dst_off || !k->cost_off)
        return AXON_ERR_NO_MEMORY;
    for (uint32_t i = 0; i < k->n_keys; i++) {
        int live = k->kind != AXON_KIND_DELAY_EXT ||
                   (i & ((1u << AXON_DE_STAGE_KEY_LSB) - 1)) < k->n;
        e->walk.n_dest = 0;
        memset(e->walk_cnt, 0, (size_t)e->n_chips * AXON_CNT_ROUTER_N * sizeof *e->walk_cnt);
        int rc = live ? walk_key(e, k, k->key_base | i) : AXON_OK;
        if (rc)
            return rc;
        for (uint32_t d = 0; d < e->walk.n_dest; d++)
            push_u32(&k->dst, &nd, &capd, e->walk.dest[d], &oom);
        for (uint32_t j = 0; j < e->n_chips * AXON_CNT_ROUTER_N; j++) {
            if (!e->walk_cnt[j])
                continue;
            if (nc == capc) {
                capc = capc * 2 + 16;
                rcost *p = realloc(k->cost, capc * sizeof *p);
                if (!p)
                    return AXON_ERR_NO_MEMORY;
                k->cost = p;
            }
            k->cost[nc++] = (rcost){j, e->walk_cnt[j]};
        }
        if (oom)
            return AXON_ERR_NO_MEMORY;
        k->dst_off[i + 1] = (uint32_t)nd;
        k->cost_off[i + 1] = (uint32_t)nc;
    }
    return AXON_OK;
}

static int probe_info(axon_emu *e)
{
    vsim *s = vsim_new(0);
    ecore k = {0};
    int rc = AXON_OK;
    uint32_t info = 0;
    if (!s || !(k.v = vcore_new(s, "probe"))) {
        rc = axon_errf(e->err, AXON_ERR_NO_MEMORY, "the probe core");
        goto done;
    }
    vsim *keep = e->sim;
    e->sim = s;
    rc = cfg_read(e, &k, REG(AXON_CIF_REG_INFO), &info);
    if (!rc)
        rc = cfg_read(e, &k, REG(AXON_CIF_REG_VERSION), &e->info.version);
    e->sim = keep;
    e->info.n_neurons = info >> AXON_CIF_INFO_N_NEURONS_LSB & AXON_CIF_INFO_N_NEURONS_MASK;
    uint32_t ml = info >> AXON_CIF_INFO_MEM_WORDS_LOG2_LSB & AXON_CIF_INFO_MEM_WORDS_LOG2_MASK;
    uint32_t rl = info >> AXON_CIF_INFO_REC_WORDS_LOG2_LSB & AXON_CIF_INFO_REC_WORDS_LOG2_MASK;
    e->info.mem_words = ml < 32 ? 1u << ml : 0;
    e->info.rec_words = rl < 32 ? 1u << rl : 0;
    if (!rc && e->info.version != AXON_SPEC_VERSION)
        rc = axon_errf(e->err, AXON_ERR_FORMAT,
                       "the Verilated core implements spec version 0x%x, this library 0x%x",
                       e->info.version, AXON_SPEC_VERSION);
done:
    vcore_free(k.v);
    free(k.out);
    vsim_free(s);
    return rc;
}

int axon_emu_create(axon_emu **out, axon_image *img, const axon_emu_opts *opts, char *err)
{
    *out = NULL;
    axon_emu *e = calloc(1, sizeof *e);
    if (!e)
        return axon_errf(err, AXON_ERR_NO_MEMORY, "emulator");
    axon_emu_set_max_cycles(e, opts ? opts->max_cycles_per_step : 0);
    int rc = AXON_OK;
    if (opts && opts->trace_path && !(e->trace_path = strdup(opts->trace_path)))
        rc = axon_errf(e->err, AXON_ERR_NO_MEMORY, "trace path");
    if (!rc)
        rc = probe_info(e);
    if (!rc && img)
        rc = axon_emu_load(e, img);
    if (rc) {
        if (err)
            snprintf(err, AXON_ERRMSG_LEN, "%s", e->err);
        axon_emu_destroy(e);
        return rc;
    }
    *out = e;
    return AXON_OK;
}

void axon_emu_destroy(axon_emu *e)
{
    if (!e)
        return;
    free_cores(e);
    free(e->trace_path);
    free(e);
}

const char *axon_emu_last_error(const axon_emu *e) { return e ? e->err : ""; }

int axon_emu_get_core_info(const axon_emu *e, axon_emu_core_info *out)
{
    *out = e->info;
    return AXON_OK;
}

/* Check a used core's header against the emulated core before writing it. */
static int check_fits(axon_emu *e, const ecore *k, uint32_t n_words)
{
    char wb[64];
    if (n_words > e->info.mem_words)
        return axon_errf(e->err, AXON_ERR_CAPACITY,
                         "%s needs %u words of core memory; the emulated core has %u",
                         where(k, wb, sizeof wb), n_words, e->info.mem_words);
    if (k->n > e->info.n_neurons)
        return axon_errf(e->err, AXON_ERR_CAPACITY,
                         "%s has %u neurons; the emulated core holds at most %u",
                         where(k, wb, sizeof wb), k->n, e->info.n_neurons);
    return AXON_OK;
}

int axon_emu_load(axon_emu *e, axon_image *img)
{
    free_cores(e);
    int rc = axon_image_validate(img);
    if (rc)
        return axon_errf(e->err, rc, "%s", axon_image_last_error(img));
    uint32_t *buf = NULL;
    size_t nbuf = 0;
    char ierr[AXON_ERRMSG_LEN];
    if ((rc = axon_image_to_buffer(img, &buf, &nbuf)) ||
        (rc = axon_image_from_buffer(&e->img, buf, nbuf, ierr))) {
        free(buf);
        return axon_errf(e->err, rc, "copying the image");
    }
    free(buf);
    e->w = img->width;
    e->h = img->height;
    e->cpc = img->cpc;
    e->n_chips = e->w * e->h;
    e->n_cores = e->n_chips * e->cpc;
    e->cores = calloc(e->n_cores, sizeof *e->cores);
    e->used = calloc(e->n_cores, sizeof *e->used);
    e->rcnt = calloc((size_t)e->n_chips * AXON_CNT_ROUTER_N, sizeof *e->rcnt);
    e->walk_cnt = calloc((size_t)e->n_chips * AXON_CNT_ROUTER_N, sizeof *e->walk_cnt);
    e->q = malloc(ROUTE_QCAP * sizeof *e->q);
    e->sim = vsim_new(e->trace_path != NULL);
    if (!e->cores || !e->used || !e->rcnt || !e->walk_cnt || !e->q || !e->sim) {
        rc = axon_errf(e->err, AXON_ERR_NO_MEMORY, "emulator tables for %u cores", e->n_cores);
        goto fail;
    }
    e->walk.img = e->img;
    /* one Verilated core per used core */
    for (uint32_t g = 0; g < e->n_cores; g++) {
        ecore *k = &e->cores[g];
        const img_core *ic = &img->cores[g];
        k->gid = g;
        k->c = g % e->cpc;
        k->x = (g / e->cpc) % e->w;
        k->y = (g / e->cpc) / e->w;
        if (!ic->n || ic->w[AXON_CORE_H_KIND] == AXON_KIND_UNUSED)
            continue;
        k->kind = ic->w[AXON_CORE_H_KIND];
        k->model = ic->w[AXON_CORE_H_MODEL];
        k->n = ic->w[AXON_CORE_H_N_NEURONS];
        k->key_base = ic->w[AXON_CORE_H_KEY_BASE];
        k->emit = ic->w[AXON_CORE_H_FLAGS] & AXON_CORE_FLAG_EMIT;
        k->state_words = ic->w[AXON_CORE_H_STATE_WORDS];
        k->n_keys = k->kind == AXON_KIND_DELAY_EXT ? AXON_DE_STAGES << AXON_DE_STAGE_KEY_LSB
                                                    : k->n;
        if ((rc = check_fits(e, k, ic->n)))
            goto fail;
        char name[64];
        snprintf(name, sizeof name, "core_%u_%u_%u", k->x, k->y, k->c);
        if (!(k->v = vcore_new(e->sim, name))) {
            rc = axon_errf(e->err, AXON_ERR_NO_MEMORY, "Verilated core %s", name);
            goto fail;
        }
        e->used[e->n_used++] = g;
    }
    if (e->trace_path) {
        char terr[256];
        if (vsim_trace_open(e->sim, e->trace_path, terr, sizeof terr)) {
            rc = axon_errf(e->err, AXON_ERR_IO, "%s", terr);
            goto fail;
        }
    }
    for (uint32_t u = 0; u < e->n_used; u++) {
        ecore *k = &e->cores[e->used[u]];
        const img_core *ic = &img->cores[k->gid];
        if (k->emit && (rc = build_routes(e, k))) {
            axon_errf(e->err, rc, "routing the keys of core %u of chip (%u, %u)", k->c, k->x,
                      k->y);
            goto fail;
        }
        for (uint32_t i = 0; i < ic->n; i++)
            if ((rc = cfg_write(e, k, AXON_CIF_MEM_BASE + i, ic->w[i])))
                goto fail;
        if ((rc = boot(e, k)))
            goto fail;
    }
    e->step = 0;
    e->failed = 0;
    e->cycles_at_poll = e->cycles;
    e->loaded = 1;
    return AXON_OK;
fail:
    {
        char keep[AXON_ERRMSG_LEN];
        memcpy(keep, e->err, sizeof keep);
        free_cores(e);
        memcpy(e->err, keep, sizeof keep);
    }
    return rc;
}

int axon_emu_reset(axon_emu *e)
{
    if (!e->loaded)
        return axon_errf(e->err, AXON_ERR_STATE, "reset: no image is loaded");
    for (uint32_t u = 0; u < e->n_used; u++) {
        ecore *k = &e->cores[e->used[u]];
        /* plastic rows were rewritten by the runs: the image's synaptic matrix again */
        const uint32_t *w = e->img->cores[k->gid].w;
        if (k->kind == AXON_KIND_NEURON && w[AXON_CORE_H_PLAST_WORDS])
            for (uint32_t i = 0; i < w[AXON_CORE_H_SYN_WORDS]; i++) {
                uint32_t a = w[AXON_CORE_H_SYN_OFF] + i;
                int rc = cfg_write(e, k, AXON_CIF_MEM_BASE + a, w[a]);
                if (rc)
                    return rc;
            }
        int rc = boot(e, k);
        if (rc) {
            e->failed = 1; /* not every core is READY */
            return rc;
        }
    }
    memset(e->rcnt, 0, (size_t)e->n_chips * AXON_CNT_ROUTER_N * sizeof *e->rcnt);
    e->step = 0;
    e->failed = 0;
    e->cycles_at_poll = e->cycles;
    return AXON_OK;
}

/* ---------------------------------------------------------------- stepping */

/* Clock the used cores that are busy or have input until all are idle. `what` names the
 * phase for the timeout message. */
static int settle(axon_emu *e, ecore **act, uint64_t *spent, const char *what)
{
    char wb[64];
    uint32_t n = e->n_used;
    for (uint32_t i = 0; i < n; i++)
        act[i] = &e->cores[e->used[i]];
    for (;;) {
        /* keep the cores that still have work */
        uint32_t m = 0;
        for (uint32_t i = 0; i < n; i++)
            if (!act[i]->io.idle || act[i]->in_head < act[i]->in_n)
                act[m++] = act[i];
            else
                act[i]->busy_cycles = 0;
        n = m;
        if (!n)
            return AXON_OK;
        if (cycle(e, act, n))
            return axon_errf(e->err, AXON_ERR_NO_MEMORY, "packet buffers");
        ++*spent;
        for (uint32_t i = 0; i < n; i++) {
            ecore *k = act[i];
            if (++k->busy_cycles % REC_POLL_CYCLES == 0 && !k->io.idle) {
                int rc = drain_rec(e, k);
                if (rc)
                    return rc;
            }
        }
        if (*spent > e->max_cycles) {
            ecore *k = act[0];
            uint32_t st = 0;
            cfg_read(e, k, REG(AXON_CIF_REG_STATUS), &st);
            return axon_errf(e->err, AXON_ERR_TIMEOUT,
                             "step %u: %s still busy after %llu cycles (%s; status 0x%x, %zu "
                             "packets waiting)",
                             e->step, where(k, wb, sizeof wb), (unsigned long long)*spent, what,
                             st, k->in_n - k->in_head);
        }
    }
}

static void deliver(axon_emu *e, ecore *src, uint32_t key)
{
    uint32_t i = key - src->key_base;
    int oom = 0;
    if (src->dst_off && key >= src->key_base && i < src->n_keys) {
        for (uint32_t d = src->dst_off[i]; d < src->dst_off[i + 1]; d++) {
            ecore *k = &e->cores[src->dst[d]];
            push_u32(&k->in, &k->in_n, &k->in_cap, key, &oom);
        }
        for (uint32_t c = src->cost_off[i]; c < src->cost_off[i + 1]; c++)
            e->rcnt[src->cost[c].idx] += src->cost[c].count;
    } else if (!walk_key(e, src, key)) {
        /* a key outside the core's range (the lock-step comparison will show it) */
        for (uint32_t d = 0; d < e->walk.n_dest; d++)
            push_u32(&e->cores[e->walk.dest[d]].in, &e->cores[e->walk.dest[d]].in_n,
                     &e->cores[e->walk.dest[d]].in_cap, key, &oom);
        for (uint32_t j = 0; j < e->n_chips * AXON_CNT_ROUTER_N; j++)
            e->rcnt[j] += e->walk_cnt[j];
    }
}

static int one_step(axon_emu *e, ecore **act)
{
    char wb[64];
    uint64_t spent = 0;
    uint32_t t = e->step;
    /* 1. barrier: all READY (settled at the end of the previous step); tick everyone */
    for (uint32_t u = 0; u < e->n_used; u++) {
        ecore *k = &e->cores[e->used[u]];
        k->io.tick = 1;
        act[u] = k;
    }
    int rc = cycle(e, act, e->n_used);
    for (uint32_t u = 0; u < e->n_used; u++)
        act[u]->io.tick = 0;
    spent++;
    /* 2. every core runs its update, emitting packets */
    if (rc || (rc = settle(e, act, &spent, "update")))
        return rc;
    /* 3. route them in the engine's order (core gid, emission order) */
    for (uint32_t u = 0; u < e->n_used; u++) {
        ecore *k = &e->cores[e->used[u]];
        if (k->out_n && !k->emit)
            return axon_errf(e->err, AXON_ERR_INTERNAL,
                             "step %u: %s emitted %zu packets without the EMIT flag", t,
                             where(k, wb, sizeof wb), k->out_n);
        if (k->bad_ctrl)
            return axon_errf(e->err, AXON_ERR_INTERNAL,
                             "step %u: %s emitted key 0x%08x with control byte 0x%02x (a "
                             "multicast packet without payload and with odd parity has 0x%02x)",
                             t, where(k, wb, sizeof wb), k->bad_key, k->bad_ctrl_byte,
                             mc_ctrl(k->bad_key));
        for (size_t i = 0; i < k->out_n; i++) {
            if (e->spike_fn)
                e->spike_fn(e->spike_user, t, k->gid, k->out[i]);
            deliver(e, k, k->out[i]);
        }
        k->out_n = 0;
    }
    /* 4. deliver, until every core is idle again */
    if ((rc = settle(e, act, &spent, "packet delivery")))
        return rc;
    for (uint32_t u = 0; u < e->n_used; u++) {
        ecore *k = &e->cores[e->used[u]];
        k->in_head = k->in_n = 0;
        if (k->out_n)
            return axon_errf(e->err, AXON_ERR_INTERNAL,
                             "step %u: %s emitted %zu packets while receiving (key 0x%08x)", t,
                             where(k, wb, sizeof wb), k->out_n, k->out[0]);
        if ((rc = drain_rec(e, k)))
            return rc;
    }
    e->step++;
    return AXON_OK;
}

int axon_emu_run(axon_emu *e, uint32_t n)
{
    if (!e->loaded)
        return axon_errf(e->err, AXON_ERR_STATE, "run: no image is loaded");
    if (e->failed)
        return axon_errf(e->err, AXON_ERR_STATE,
                         "run: a step or boot failed before (at step %u); the cores are not "
                         "all READY (reset first)",
                         e->step);
    if (n > UINT32_MAX - e->step)
        return axon_errf(e->err, AXON_ERR_RANGE,
                         "run of %u steps from step %u overflows the step counter", n, e->step);
    ecore **act = malloc(((size_t)e->n_used + 1) * sizeof *act);
    if (!act)
        return axon_errf(e->err, AXON_ERR_NO_MEMORY, "run");
    int rc = AXON_OK;
    for (uint32_t s = 0; s < n && !rc; s++) {
        rc = one_step(e, act);
        e->failed = rc != AXON_OK;
        if (!rc && e->cycles - e->cycles_at_poll > COUNTER_POLL_CYCLES)
            rc = poll_all_counters(e);
    }
    free(act);
    if (!rc)
        rc = poll_all_counters(e);
    /* the cores' own step registers must agree with the harness */
    for (uint32_t u = 0; !rc && u < e->n_used; u++) {
        ecore *k = &e->cores[e->used[u]];
        uint32_t st;
        char wb[64];
        if ((rc = cfg_read(e, k, REG(AXON_CIF_REG_STEP), &st)))
            break;
        if (st != e->step)
            rc = axon_errf(e->err, AXON_ERR_INTERNAL,
                           "%s reports step %u after %u steps", where(k, wb, sizeof wb), st,
                           e->step);
        else if (k->rec_oom)
            rc = axon_errf(e->err, AXON_ERR_NO_MEMORY,
                           "%s: out of memory for its recording (what was recorded before is "
                           "kept)",
                           where(k, wb, sizeof wb));
    }
    return rc;
}

uint32_t axon_emu_step(const axon_emu *e) { return e->step; }

void axon_emu_set_max_cycles(axon_emu *e, uint64_t max_cycles)
{
    e->max_cycles = max_cycles ? max_cycles : AXON_EMU_DEFAULT_MAX_CYCLES;
}
uint64_t axon_emu_cycles(const axon_emu *e) { return e->cycles; }

void axon_emu_set_spike_fn(axon_emu *e, axon_spike_fn fn, void *user)
{
    e->spike_fn = fn;
    e->spike_user = user;
}

/* ---------------------------------------------------------------- results */

static int core_at(axon_emu *e, uint32_t x, uint32_t y, uint32_t c, int need_used, ecore **out)
{
    if (!e->loaded)
        return axon_errf(e->err, AXON_ERR_STATE, "no image is loaded");
    if (x >= e->w || y >= e->h || c >= e->cpc)
        return axon_errf(e->err, AXON_ERR_INVALID_ARG,
                         "core %u of chip (%u, %u) is outside the %u x %u x %u machine", c, x, y,
                         e->w, e->h, e->cpc);
    *out = &e->cores[(y * e->w + x) * e->cpc + c];
    if (need_used && !(*out)->v)
        return axon_errf(e->err, AXON_ERR_INVALID_ARG, "core %u of chip (%u, %u) is unused",
                         c, x, y);
    return AXON_OK;
}

int axon_emu_core_counters(axon_emu *e, uint32_t x, uint32_t y, uint32_t c,
                           uint64_t out[AXON_CNT_CORE_N])
{
    ecore *k = NULL;
    int rc = core_at(e, x, y, c, 0, &k);
    if (rc)
        return rc;
    memcpy(out, k->cnt, sizeof k->cnt);
    return AXON_OK;
}

int axon_emu_router_counters(axon_emu *e, uint32_t x, uint32_t y,
                             uint64_t out[AXON_CNT_ROUTER_N])
{
    ecore *k = NULL;
    int rc = core_at(e, x, y, 0, 0, &k);
    if (rc)
        return rc;
    memcpy(out, e->rcnt + (size_t)(y * e->w + x) * AXON_CNT_ROUTER_N,
           AXON_CNT_ROUTER_N * sizeof *out);
    return AXON_OK;
}

int axon_emu_recording(const axon_emu *e, uint32_t x, uint32_t y, uint32_t c,
                       const uint32_t **words, size_t *n)
{
    ecore *k = NULL;
    int rc = core_at((axon_emu *)e, x, y, c, 0, &k);
    if (rc)
        return rc;
    *words = k->rec;
    *n = k->rec_n;
    return AXON_OK;
}

int axon_emu_recording_drain(axon_emu *e, uint32_t x, uint32_t y, uint32_t c)
{
    ecore *k = NULL;
    int rc = core_at(e, x, y, c, 0, &k);
    if (rc)
        return rc;
    k->rec_n = 0;
    return AXON_OK;
}

int axon_emu_state_word(axon_emu *e, uint32_t x, uint32_t y, uint32_t c, uint32_t neuron,
                        uint32_t word, uint32_t *out)
{
    ecore *k = NULL;
    int rc = core_at(e, x, y, c, 1, &k);
    if (rc)
        return rc;
    if (k->kind != AXON_KIND_NEURON)
        return axon_errf(e->err, AXON_ERR_INVALID_ARG,
                         "core %u of chip (%u, %u) is not a neuron core (kind %u)", c, x, y,
                         k->kind);
    if (neuron >= k->n || word >= k->state_words || word >= AXON_CIF_STATE_STRIDE)
        return axon_errf(e->err, AXON_ERR_INVALID_ARG,
                         "state word %u of neuron %u is outside the %u x %u block", word,
                         neuron, k->n, k->state_words);
    return cfg_read(e, k, AXON_CIF_STATE_BASE + neuron * AXON_CIF_STATE_STRIDE + word, out);
}

int axon_emu_step_cycles(axon_emu *e, uint32_t x, uint32_t y, uint32_t c, uint32_t *out)
{
    ecore *k = NULL;
    int rc = core_at(e, x, y, c, 1, &k);
    return rc ? rc : cfg_read(e, k, REG(AXON_CIF_REG_CYCLES), out);
}

static int check_addr(axon_emu *e, uint32_t addr)
{
    if (addr >> AXON_CIF_ADDR_BITS)
        return axon_errf(e->err, AXON_ERR_INVALID_ARG,
                         "configuration address 0x%x is beyond the %u-bit address space", addr,
                         AXON_CIF_ADDR_BITS);
    return AXON_OK;
}

int axon_emu_cfg_read(axon_emu *e, uint32_t x, uint32_t y, uint32_t c, uint32_t addr,
                      uint32_t *out)
{
    ecore *k = NULL;
    int rc = core_at(e, x, y, c, 1, &k);
    if (!rc)
        rc = check_addr(e, addr);
    return rc ? rc : cfg_read(e, k, addr, out);
}

int axon_emu_cfg_write(axon_emu *e, uint32_t x, uint32_t y, uint32_t c, uint32_t addr,
                       uint32_t value)
{
    ecore *k = NULL;
    int rc = core_at(e, x, y, c, 1, &k);
    if (!rc)
        rc = check_addr(e, addr);
    return rc ? rc : cfg_write(e, k, addr, value);
}
