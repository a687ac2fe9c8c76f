/* The emulator's harness (docs/emulator.md): per chip a Verilated router (axon_router) and
 * the used Verilated neuron cores (axon_neuron_core), joined as rtl/chip/axon_chip.sv joins
 * them (core c = router port 6 + c); chips joined by link queues as the hexagonal mesh of
 * routing.md. Everything is loaded through the configuration buses (router tables from the
 * image, core memories), and every step is barrier-synchronised: tick, then clock until
 * every chip is idle and every link is empty. */
#include "axon/emu.h"

#include "errbuf.h"
#include "image_internal.h"
#include "vcore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REG(r) (AXON_CIF_REG_BASE + (r))
#define LINKS AXON_ROUTER_LINKS
#define CORE_PORT(c) (LINKS + (c))
/* counters are read (and extended to 64 bits) at the end of every run and at least every
 * this many cycles: a 32-bit counter cannot wrap twice in between (a counter grows by far
 * less than 16 per cycle) */
#define COUNTER_POLL_CYCLES (1ull << 28)
/* while a step runs, a core that stays busy this long has its recording buffer drained
 * (the core holds its step while that buffer is full) */
#define REC_POLL_CYCLES 4096u

/* The router's diagnostic counters that keep the golden model's first counters.router
 * entries (router_if.golden_diag, shared with the RTL host interface): counter FIRST + k
 * counts entry k; counters 0..11 keep their defaults. */
#define RDIAG_FIRST AXON_RIF_GOLDEN_DIAG_FIRST
#define RDIAG_N AXON_RIF_GOLDEN_DIAG_N
static const uint32_t rdiag_filter[RDIAG_N] = AXON_RIF_GOLDEN_DIAG_FILTERS_INIT;
/* what the spec's filter words mean (routing.md "Diagnostic counters") */
#define DIAG_F(field, bits) ((uint32_t)(bits) << AXON_RIF_DIAG_##field##_LSB)
#define DIAG_MC_ANY                                                                             \
    (DIAG_F(TYPE, 1u << AXON_PKT_TYPE_MC) | DIAG_F(EM, AXON_RIF_DIAG_EM_MASK) |                 \
     DIAG_F(PAYLOAD, AXON_RIF_DIAG_PAYLOAD_MASK))
#define DIAG_DEF_ANY DIAG_F(DEFAULT, AXON_RIF_DIAG_DEFAULT_MASK)
#define DIAG_OUT_ANY DIAG_F(OUTCOME, AXON_RIF_DIAG_OUTCOME_MASK)
#define DIAG_SRC(bits) DIAG_F(SOURCE, bits)
_Static_assert(AXON_RIF_GOLDEN_DIAG_FILTER_0 == (DIAG_MC_ANY | DIAG_DEF_ANY | DIAG_SRC(1) | DIAG_OUT_ANY),
               "golden_diag filter 0: multicast from a core");
_Static_assert(AXON_RIF_GOLDEN_DIAG_FILTER_1 == (DIAG_MC_ANY | DIAG_DEF_ANY | DIAG_SRC(2) | DIAG_OUT_ANY),
               "golden_diag filter 1: multicast from a link");
_Static_assert(AXON_RIF_GOLDEN_DIAG_FILTER_2 ==
                   (DIAG_MC_ANY | DIAG_F(DEFAULT, 2u) | DIAG_SRC(3) | DIAG_OUT_ANY),
               "golden_diag filter 2: default-routed multicast");
_Static_assert(AXON_RIF_GOLDEN_DIAG_FILTER_3 ==
                   (DIAG_MC_ANY | DIAG_DEF_ANY | DIAG_SRC(1) | DIAG_F(OUTCOME, 4u)),
               "golden_diag filter 3: multicast from a core that is an error (unrouted)");
_Static_assert(RDIAG_N == 4 && AXON_CNT_ROUTER_MC_LOCAL == 0 && AXON_CNT_ROUTER_MC_EXTERNAL == 1 &&
                   AXON_CNT_ROUTER_DEFAULT_ROUTED == 2 &&
                   AXON_CNT_ROUTER_DROPPED_LOCAL_UNMATCHED == 3,
               "router_if.golden_diag: filter k counts counters.router entry k");

typedef struct lpkt {
    uint32_t w[3];
    uint64_t at; /* the cycle from which the receiver sees it */
} lpkt;

/* packets on their way into a chip over one link (a ring buffer that grows) */
typedef struct linkq {
    lpkt *b;
    uint32_t head, n, cap;
} linkq;

typedef struct ecore {
    vcore *v;            /* NULL: unused core */
    vcore_io io;
    uint32_t gid, x, y, c;
    uint32_t kind, model, n, key_base, emit, state_words;
    /* plastic neuron core: the image's synaptic matrix (reset writes it back) */
    uint32_t *syn0, syn_off, syn_words;
    int active;          /* clocked in the current cycle */
    /* keys emitted in this step (taken by the router), in order */
    uint32_t *out;
    size_t out_n, out_cap;
    /* recording words read from the core */
    uint32_t *rec;
    size_t rec_n, rec_cap;
    int rec_oom;
    /* 64-bit counters */
    uint32_t cnt_last[AXON_CNT_CORE_N];
    uint64_t cnt[AXON_CNT_CORE_N];
    uint32_t busy_cycles; /* in the current step */
    int bad_ctrl;         /* an emitted packet's control byte was not core_if.md's */
    uint32_t bad_key, bad_ctrl_byte;
} ecore;

typedef struct echip {
    vrouter *r;
    vrouter_io io;
    uint32_t x, y;
    int32_t nbr[LINKS];  /* chip on link l, -1: none (the link leaves the machine) */
    linkq in[LINKS];     /* packets arriving on link l */
    ecore *cores;        /* the chip's cpc cores */
    uint32_t used_mask;  /* bit c: core c is used */
    int r_active;        /* router clocked in the current cycle */
    int r_stalled;       /* not clocked: its fork waits for outputs that are not ready */
    uint32_t rcnt_last[RDIAG_N];
    uint64_t rcnt[AXON_CNT_ROUTER_N];
    img_table tab;       /* a copy of the chip's table (to reload a fresh router at reset) */
} echip;

struct axon_emu {
    char err[AXON_ERRMSG_LEN];
    uint64_t max_cycles;
    uint32_t link_latency, link_capacity;
    char *trace_path;
    axon_emu_core_info info;
    vsim *sim;
    uint32_t w, h, cpc, n_cores, n_chips;
    ecore *cores;
    echip *chips;
    uint32_t *used;      /* gids of used cores, ascending */
    uint32_t n_used;
    echip **act;         /* scratch: chips clocked in a cycle */
    uint32_t step;
    uint64_t cycles, cycles_at_poll, link_packets;
    axon_spike_fn spike_fn;
    void *spike_user;
    int loaded;
    int wait_written; /* a router's wait register was written (raw access): clock stalls */
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
_Static_assert(VROUTER_PORTS == AXON_ROUTER_LINKS + AXON_ROUTER_MAX_CORES,
               "the emulated router has a port per link and per core");

static const char *cif_error_name(uint32_t code)
{
    return code < sizeof cif_errors / sizeof *cif_errors ? cif_errors[code] : "unknown error";
}

/* ---------------------------------------------------------------- helpers */

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

static uint32_t pkt_key(const uint32_t w[3]) { return w[0] >> 8 | w[1] << 24; }

static const char *where(const ecore *k, char *buf, size_t n)
{
    snprintf(buf, n, "core %u of chip (%u, %u)", k->c, k->x, k->y);
    return buf;
}

/* ---------------------------------------------------------------- configuration buses */

/* One clock of one unit alone (a core k, or else chip ch's router) with a configuration
 * request; its packet ports stay idle (the rest of the machine waits). */
static void cfg_cycle(axon_emu *e, ecore *k, echip *ch, int req, int we, uint32_t addr,
                      uint32_t wdata, int *gnt, int *rvalid, uint32_t *rdata)
{
    if (k) {
        vcore_io *io = &k->io;
        io->cfg_req = (uint8_t)req;
        io->cfg_we = (uint8_t)we;
        io->cfg_addr = addr;
        io->cfg_wdata = wdata;
        io->pkt_in_valid = 0;
        io->pkt_out_ready = 0;
        vcore_comb(k->v, io);
        *gnt = io->cfg_gnt;
        *rvalid = io->cfg_rvalid;
        *rdata = io->cfg_rdata;
        vsim_half_cycle(e->sim);
        vcore_rise(k->v, io);
        io->cfg_req = 0;
    } else {
        vrouter_io *io = &ch->io;
        io->cfg_req = (uint8_t)req;
        io->cfg_we = (uint8_t)we;
        io->cfg_addr = addr;
        io->cfg_wdata = wdata;
        io->in_valid = 0;
        io->out_ready = 0;
        vrouter_comb(ch->r, io);
        *gnt = io->cfg_gnt;
        *rvalid = io->cfg_rvalid;
        *rdata = io->cfg_rdata;
        vsim_half_cycle(e->sim);
        vrouter_rise(ch->r, io);
        io->cfg_req = 0;
    }
    vsim_half_cycle(e->sim);
    e->cycles++;
}

static const char *unit_name(const ecore *k, const echip *ch, char *buf, size_t n)
{
    if (k)
        return where(k, buf, n);
    snprintf(buf, n, "the router of chip (%u, %u)", ch->x, ch->y);
    return buf;
}

/* Cycles a configuration access may wait for its grant or data: the cycle limit, and for a
 * router at least the 32 cycles of a TCAM entry rewrite (and some) whatever the limit. */
static uint64_t cfg_limit(const axon_emu *e, const ecore *k)
{
    return k || e->max_cycles > 4096 ? e->max_cycles : 4096;
}

/* One write to a core (k) or a router (ch). */
static int cfg_write(axon_emu *e, ecore *k, echip *ch, uint32_t addr, uint32_t wdata)
{
    char wb[64];
    uint32_t rd;
    int gnt = 0, rv;
    for (uint64_t t0 = e->cycles; !gnt;) {
        cfg_cycle(e, k, ch, 1, 1, addr, wdata, &gnt, &rv, &rd);
        if (!gnt && e->cycles - t0 > cfg_limit(e, k))
            return axon_errf(e->err, AXON_ERR_TIMEOUT,
                             "%s did not grant a configuration write of address 0x%06x in %llu "
                             "cycles",
                             unit_name(k, ch, wb, sizeof wb), addr,
                             (unsigned long long)cfg_limit(e, k));
    }
    return AXON_OK;
}

/* n reads of the same address, pipelined: a request every cycle while the data of the
 * earlier ones returns in order (core_if.md). */
static int cfg_read_burst(axon_emu *e, ecore *k, echip *ch, uint32_t addr, uint32_t n,
                          uint32_t *out)
{
    char wb[64];
    uint32_t asked = 0, got = 0;
    uint64_t t0 = e->cycles;
    while (got < n) {
        int req = asked < n, gnt, rv;
        uint32_t rd;
        cfg_cycle(e, k, ch, req, 0, addr, 0, &gnt, &rv, &rd);
        if (rv && got < asked)
            out[got++] = rd;
        asked += req && gnt;
        if (e->cycles - t0 > cfg_limit(e, k) + 4ull * n)
            return axon_errf(e->err, AXON_ERR_TIMEOUT,
                             "%s returned %u of %u reads of address 0x%06x in %llu cycles",
                             unit_name(k, ch, wb, sizeof wb), got, n, addr,
                             (unsigned long long)(e->cycles - t0));
    }
    return AXON_OK;
}

static int cfg_read(axon_emu *e, ecore *k, echip *ch, uint32_t addr, uint32_t *out)
{
    return cfg_read_burst(e, k, ch, addr, 1, out);
}

/* ---------------------------------------------------------------- recording, counters */

static int drain_rec(axon_emu *e, ecore *k)
{
    uint32_t avail;
    int rc = cfg_read(e, k, NULL, REG(AXON_CIF_REG_REC_AVAIL), &avail);
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
        rc = cfg_read_burst(e, k, NULL, REG(AXON_CIF_REG_REC_DATA), avail, k->rec + k->rec_n);
        k->rec_n += rc ? 0 : avail;
        return rc;
    }
    /* no room: the words are read (the core must not stall) and dropped */
    for (uint32_t i = 0; !rc && i < avail; i++) {
        uint32_t w;
        rc = cfg_read(e, k, NULL, REG(AXON_CIF_REG_REC_DATA), &w);
    }
    return rc;
}

/* Extend 32-bit counters: acc += raw - last (wrapping). With acc NULL only last is set. */
static void extend(uint64_t *acc, uint32_t *last, uint32_t raw)
{
    if (acc)
        *acc += (uint32_t)(raw - *last);
    *last = raw;
}

static int poll_counters(axon_emu *e, ecore *k)
{
    uint32_t v[AXON_CNT_CORE_N];
    int rc = AXON_OK;
    for (uint32_t i = 0; !rc && i < AXON_CNT_CORE_N; i++)
        rc = cfg_read(e, k, NULL, REG(AXON_CIF_REG_COUNTERS + i), &v[i]);
    for (uint32_t i = 0; !rc && i < AXON_CNT_CORE_N; i++)
        extend(&k->cnt[i], &k->cnt_last[i], v[i]);
    return rc;
}

/* The router's counters (count = 0: only take the current values as the base). */
static int poll_router(axon_emu *e, echip *ch, int count)
{
    for (uint32_t i = 0; i < RDIAG_N; i++) {
        uint32_t v;
        int rc = cfg_read(e, NULL, ch, AXON_RIF_REG_DIAG_COUNT + RDIAG_FIRST + i, &v);
        if (rc)
            return rc;
        extend(count ? &ch->rcnt[i] : NULL, &ch->rcnt_last[i], v);
    }
    return AXON_OK;
}

static int poll_all_counters(axon_emu *e)
{
    int rc = AXON_OK;
    for (uint32_t u = 0; !rc && u < e->n_used; u++)
        rc = poll_counters(e, &e->cores[e->used[u]]);
    for (uint32_t c = 0; !rc && c < e->n_chips; c++)
        rc = poll_router(e, &e->chips[c], 1);
    e->cycles_at_poll = e->cycles;
    return rc;
}

/* ---------------------------------------------------------------- boot, tables */

/* Write BOOT and wait until the core is READY or reports ERROR. */
static int boot(axon_emu *e, ecore *k)
{
    char wb[64];
    int rc = cfg_write(e, k, NULL, REG(AXON_CIF_REG_CTRL), AXON_CIF_CTRL_BOOT);
    uint64_t t0 = e->cycles;
    uint32_t st = 0;
    while (!rc) {
        if ((rc = cfg_read(e, k, NULL, REG(AXON_CIF_REG_STATUS), &st)))
            break;
        if (st & AXON_CIF_STATUS_ERROR) {
            uint32_t code = 0;
            cfg_read(e, k, NULL, REG(AXON_CIF_REG_ERROR), &code);
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
    k->out_n = 0;
    memset(k->cnt, 0, sizeof k->cnt);
    memset(k->cnt_last, 0, sizeof k->cnt_last);
    return AXON_OK;
}

/* The chip's multicast table through the router's configuration bus (routing.md register
 * map), and the diagnostic filters of the counters the harness reports. */
static int load_router(axon_emu *e, echip *ch, const img_table *t)
{
    int rc = AXON_OK, gnt, rv;
    uint32_t rd;
    /* after reset the router clears its tables (TCAM rows, P2P entries) and grants nothing */
    for (uint32_t i = 0;; i++) {
        cfg_cycle(e, NULL, ch, 0, 0, 0, 0, &gnt, &rv, &rd);
        if (!ch->io.busy)
            break;
        if (i > 4u * AXON_RIF_P2P_ENTRIES)
            return axon_errf(e->err, AXON_ERR_TIMEOUT,
                             "the router of chip (%u, %u) still clears its tables after %u "
                             "cycles",
                             ch->x, ch->y, i);
    }
    /* the Verilated router's build parameters (emulator/CMakeLists.txt) against the image */
    uint32_t info = 0;
    if ((rc = cfg_read(e, NULL, ch, AXON_RIF_REG_INFO, &info)))
        return rc;
    uint32_t r_cores = (info >> AXON_RIF_INFO_N_CORES_LSB) & AXON_RIF_INFO_N_CORES_MASK;
    uint32_t r_log2 = (info >> AXON_RIF_INFO_MC_ENTRIES_LOG2_LSB) & AXON_RIF_INFO_MC_ENTRIES_LOG2_MASK;
    uint32_t r_entries = r_log2 < 32 ? 1u << r_log2 : UINT32_MAX;
    if (r_cores < e->cpc || t->n > r_entries)
        return axon_errf(e->err, AXON_ERR_CAPACITY,
                         "chip (%u, %u): %u cores and %u table entries; the emulated router has "
                         "%u core ports and %u entries",
                         ch->x, ch->y, e->cpc, t->n, r_cores, r_entries);
    for (uint32_t i = 0; !rc && i < RDIAG_N; i++)
        rc = cfg_write(e, NULL, ch, AXON_RIF_REG_DIAG_FILTER + RDIAG_FIRST + i, rdiag_filter[i]);
    for (uint32_t i = 0; !rc && i < t->n; i++) {
        if (!(rc = cfg_write(e, NULL, ch, AXON_RIF_REG_MC_KEY, t->e[i].key)) &&
            !(rc = cfg_write(e, NULL, ch, AXON_RIF_REG_MC_MASK, t->e[i].mask)))
            rc = cfg_write(e, NULL, ch, AXON_RIF_MC_ROUTE_BASE + i, t->e[i].route);
    }
    if (!rc)
        rc = poll_router(e, ch, 0);
    memset(ch->rcnt, 0, sizeof ch->rcnt);
    return rc;
}

/* ---------------------------------------------------------------- lifecycle */

static void free_cores(axon_emu *e)
{
    for (uint32_t g = 0; e->cores && g < e->n_cores; g++) {
        ecore *k = &e->cores[g];
        vcore_free(k->v);
        free(k->syn0);
        free(k->out);
        free(k->rec);
    }
    free(e->cores);
    e->cores = NULL;
    for (uint32_t c = 0; e->chips && c < e->n_chips; c++) {
        vrouter_free(e->chips[c].r);
        free(e->chips[c].tab.e);
        for (int l = 0; l < LINKS; l++)
            free(e->chips[c].in[l].b);
    }
    free(e->chips);
    e->chips = NULL;
    free(e->used);
    e->used = NULL;
    e->n_used = 0;
    free(e->act);
    e->act = NULL;
    vsim_free(e->sim);
    e->sim = NULL;
    e->loaded = 0;
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
    rc = cfg_read(e, &k, NULL, REG(AXON_CIF_REG_INFO), &info);
    if (!rc)
        rc = cfg_read(e, &k, NULL, REG(AXON_CIF_REG_VERSION), &e->info.version);
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
    e->link_latency = opts && opts->link_latency ? opts->link_latency
                                                 : AXON_EMU_DEFAULT_LINK_LATENCY;
    e->link_capacity = opts ? opts->link_capacity : 0;
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

/* Chips, their neighbours (routing.md topology; WRAP: a torus) and routers. */
static int make_chips(axon_emu *e, const axon_image *img)
{
    static const int dx[] = AXON_LINK_DX_INIT, dy[] = AXON_LINK_DY_INIT;
    for (uint32_t i = 0; i < e->n_chips; i++) {
        echip *ch = &e->chips[i];
        ch->x = i % e->w;
        ch->y = i / e->w;
        ch->cores = &e->cores[i * e->cpc];
        for (int l = 0; l < LINKS; l++) {
            long nx = (long)ch->x + dx[l], ny = (long)ch->y + dy[l];
            if (img->flags & AXON_IMAGE_FLAG_WRAP) {
                nx = (nx + e->w) % e->w;
                ny = (ny + e->h) % e->h;
            }
            ch->nbr[l] = nx < 0 || ny < 0 || nx >= e->w || ny >= e->h
                             ? -1
                             : (int32_t)(ny * e->w + nx);
        }
        char name[64];
        snprintf(name, sizeof name, "router_%u_%u", ch->x, ch->y);
        if (!(ch->r = vrouter_new(e->sim, name)))
            return axon_errf(e->err, AXON_ERR_NO_MEMORY, "Verilated router %s", name);
    }
    return AXON_OK;
}

int axon_emu_load(axon_emu *e, axon_image *img)
{
    free_cores(e);
    int rc = axon_image_validate(img);
    if (rc)
        return axon_errf(e->err, rc, "%s", axon_image_last_error(img));
    e->w = img->width;
    e->h = img->height;
    e->cpc = img->cpc;
    e->n_chips = e->w * e->h;
    e->n_cores = e->n_chips * e->cpc;
    if (e->cpc > AXON_ROUTER_MAX_CORES)
        return axon_errf(e->err, AXON_ERR_CAPACITY,
                         "%u cores per chip; the emulated chip has at most %u", e->cpc,
                         AXON_ROUTER_MAX_CORES);
    e->cores = calloc(e->n_cores, sizeof *e->cores);
    e->chips = calloc(e->n_chips, sizeof *e->chips);
    e->used = calloc(e->n_cores, sizeof *e->used);
    e->act = calloc(e->n_chips, sizeof *e->act);
    e->sim = vsim_new(e->trace_path != NULL);
    if (!e->cores || !e->chips || !e->used || !e->act || !e->sim) {
        rc = axon_errf(e->err, AXON_ERR_NO_MEMORY, "emulator tables for %u cores", e->n_cores);
        goto fail;
    }
    if ((rc = make_chips(e, img)))
        goto fail;
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
        if ((rc = check_fits(e, k, ic->n)))
            goto fail;
        if (k->kind == AXON_KIND_NEURON && ic->w[AXON_CORE_H_PLAST_WORDS]) {
            k->syn_off = ic->w[AXON_CORE_H_SYN_OFF];
            k->syn_words = ic->w[AXON_CORE_H_SYN_WORDS];
            if (!(k->syn0 = malloc((size_t)k->syn_words * sizeof *k->syn0 + 1))) {
                rc = axon_errf(e->err, AXON_ERR_NO_MEMORY, "plastic rows of core (%u, %u, %u)",
                               k->x, k->y, k->c);
                goto fail;
            }
            memcpy(k->syn0, ic->w + k->syn_off, (size_t)k->syn_words * sizeof *k->syn0);
        }
        char name[64];
        snprintf(name, sizeof name, "core_%u_%u_%u", k->x, k->y, k->c);
        if (!(k->v = vcore_new(e->sim, name))) {
            rc = axon_errf(e->err, AXON_ERR_NO_MEMORY, "Verilated core %s", name);
            goto fail;
        }
        e->chips[g / e->cpc].used_mask |= 1u << k->c;
        e->used[e->n_used++] = g;
    }
    if (e->trace_path) {
        char terr[256];
        if (vsim_trace_open(e->sim, e->trace_path, terr, sizeof terr)) {
            rc = axon_errf(e->err, AXON_ERR_IO, "%s", terr);
            goto fail;
        }
    }
    for (uint32_t c = 0; c < e->n_chips; c++) {
        const img_table *t = &img->tables[c];
        echip *ch = &e->chips[c];
        if (t->n && !(ch->tab.e = malloc(t->n * sizeof *t->e))) {
            rc = axon_errf(e->err, AXON_ERR_NO_MEMORY, "router tables");
            goto fail;
        }
        if (t->n)
            memcpy(ch->tab.e, t->e, t->n * sizeof *t->e);
        ch->tab.n = t->n;
        if ((rc = load_router(e, ch, &ch->tab)))
            goto fail;
    }
    for (uint32_t u = 0; u < e->n_used; u++) {
        ecore *k = &e->cores[e->used[u]];
        const img_core *ic = &img->cores[k->gid];
        for (uint32_t i = 0; i < ic->n; i++)
            if ((rc = cfg_write(e, k, NULL, AXON_CIF_MEM_BASE + i, ic->w[i])))
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
    int rc = AXON_OK;
    /* after a failed step packets may still be on links and in routers: links are emptied,
     * a router holding a packet is reset (its reset input) and loaded again */
    for (uint32_t c = 0; !rc && c < e->n_chips; c++) {
        echip *ch = &e->chips[c];
        for (int l = 0; l < LINKS; l++)
            ch->in[l].head = ch->in[l].n = 0;
        if (ch->io.idle)
            continue;
        vrouter_reset(ch->r);
        rc = load_router(e, ch, &ch->tab);
    }
    for (uint32_t u = 0; !rc && u < e->n_used; u++) {
        ecore *k = &e->cores[e->used[u]];
        /* plastic rows were rewritten by the runs: the image's synaptic matrix again */
        for (uint32_t i = 0; !rc && k->syn0 && i < k->syn_words; i++)
            rc = cfg_write(e, k, NULL, AXON_CIF_MEM_BASE + k->syn_off + i, k->syn0[i]);
        if (!rc)
            rc = boot(e, k);
    }
    for (uint32_t c = 0; !rc && c < e->n_chips; c++) {
        rc = poll_router(e, &e->chips[c], 0);
        memset(e->chips[c].rcnt, 0, sizeof e->chips[c].rcnt);
    }
    if (rc) {
        e->failed = 1; /* not every core is READY */
        return rc;
    }
    e->step = 0;
    e->failed = 0;
    e->cycles_at_poll = e->cycles;
    return AXON_OK;
}

/* ---------------------------------------------------------------- stepping */

static int queue_ready(const axon_emu *e, const linkq *q)
{
    return q->n && q->b[q->head].at <= e->cycles;
}

/* Something happens on the chip this cycle: a core busy or ticked, a packet in the router or
 * offered to it, a packet on an incoming link. */
static int chip_busy(const echip *ch)
{
    if (!ch->io.idle)
        return 1;
    for (uint32_t m = ch->used_mask; m; m &= m - 1) {
        const vcore_io *io = &ch->cores[__builtin_ctz(m)].io;
        if (!io->idle || io->tick || io->pkt_out_valid)
            return 1;
    }
    for (int l = 0; l < LINKS; l++)
        if (ch->in[l].n)
            return 1;
    return 0;
}

/* Before the edge: the router's inputs from the cores and links (its ready towards a core is
 * the core's pkt_in_ready, which depends on the core's registers and tick only), then the
 * cores' inputs from the router. */
static int chip_pre_edge(axon_emu *e, echip *ch)
{
    char wb[64];
    vrouter_io *r = &ch->io;
    int oom = 0;
    ch->r_active = !r->idle;
    r->in_valid = 0;
    r->out_ready = 0;
    for (uint32_t c = 0; c < e->cpc; c++) {
        const vcore_io *io = &ch->cores[c].io;
        if (!(ch->used_mask >> c & 1)) {
            r->out_ready |= 1u << CORE_PORT(c); /* never routed to (validation) */
            continue;
        }
        if (io->pkt_out_valid) {
            r->in_valid |= 1u << CORE_PORT(c);
            memcpy(r->in[CORE_PORT(c)], io->pkt_out, sizeof io->pkt_out);
        }
        if (!io->tick && io->pkt_in_ready)
            r->out_ready |= 1u << CORE_PORT(c);
    }
    for (int l = 0; l < LINKS; l++) {
        if (queue_ready(e, &ch->in[l])) {
            r->in_valid |= 1u << l;
            memcpy(r->in[l], ch->in[l].b[ch->in[l].head].w, sizeof r->in[l]);
        }
        if (ch->nbr[l] < 0 || !e->link_capacity ||
            e->chips[ch->nbr[l]].in[(l + 3) % LINKS].n < e->link_capacity)
            r->out_ready |= 1u << l;
    }
    ch->r_active |= r->in_valid != 0;
    /* a router whose fork waits for outputs that are not ready this cycle stands still (with
     * wait1 at "forever" its only changing register, the wait timer, has no effect): it is
     * not clocked, and takes nothing (its input ready is 0 while the fork waits) */
    if (ch->r_active && !e->wait_written && r->out_valid && !(r->out_valid & r->out_ready)) {
        ch->r_active = 0;
        ch->r_stalled = 1;
    } else {
        ch->r_stalled = 0;
    }
    if (ch->r_active)
        vrouter_comb(ch->r, r);
    for (uint32_t m = ch->used_mask; m; m &= m - 1) {
        uint32_t c = (uint32_t)__builtin_ctz(m);
        ecore *k = &ch->cores[c];
        vcore_io *io = &k->io;
        uint32_t bit = 1u << CORE_PORT(c);
        int offered = (ch->r_active || ch->r_stalled) && (r->out_valid & bit);
        k->active = !io->idle || io->tick || offered || io->pkt_out_valid;
        if (!k->active)
            continue;
        int expect_ready = (r->out_ready & bit) != 0;
        io->pkt_in_valid = (uint8_t)offered;
        if (offered)
            memcpy(io->pkt_in, r->out[CORE_PORT(c)], sizeof io->pkt_in);
        io->pkt_out_ready = (uint8_t)(ch->r_active && (r->in_ready & bit));
        vcore_comb(k->v, io);
        if (offered && io->pkt_in_ready != expect_ready)
            return axon_errf(e->err, AXON_ERR_INTERNAL,
                             "%s: pkt_in_ready %u differs from the value given to its router",
                             where(k, wb, sizeof wb), io->pkt_in_ready);
        if (io->pkt_out_valid && io->pkt_out_ready) {
            uint32_t key = pkt_key(io->pkt_out);
            uint32_t ctrl = io->pkt_out[0] & AXON_CIF_PKT_CTRL_MASK;
            if (ctrl != mc_ctrl(key) && !k->bad_ctrl) {
                k->bad_ctrl = 1;
                k->bad_key = key;
                k->bad_ctrl_byte = ctrl;
            }
            push_u32(&k->out, &k->out_n, &k->out_cap, key, &oom);
        }
    }
    return oom ? axon_errf(e->err, AXON_ERR_NO_MEMORY, "packet buffers") : AXON_OK;
}

static int grow(linkq *q)
{
    uint32_t nc = q->cap ? 2 * q->cap : 16;
    lpkt *b = malloc(nc * sizeof *b);
    if (!b)
        return -1;
    for (uint32_t i = 0; i < q->n; i++)
        b[i] = q->b[(q->head + i) % q->cap];
    free(q->b);
    q->b = b;
    q->head = 0;
    q->cap = nc;
    return 0;
}

/* The edge: link transfers (sent packets into the neighbour's queue, taken ones out of
 * ours), then the models' rising edges. */
static int chip_edge(axon_emu *e, echip *ch)
{
    vrouter_io *r = &ch->io;
    if (ch->r_active) {
        uint32_t sent = r->out_valid & r->out_ready, taken = r->in_valid & r->in_ready;
        for (int l = 0; l < LINKS; l++) {
            if (sent >> l & 1) {
                if (ch->nbr[l] < 0) {
                    ch->rcnt[AXON_CNT_ROUTER_DROPPED_NO_LINK]++;
                } else {
                    linkq *q = &e->chips[ch->nbr[l]].in[(l + 3) % LINKS];
                    if (q->n == q->cap && grow(q))
                        return axon_errf(e->err, AXON_ERR_NO_MEMORY, "link queues");
                    lpkt *p = &q->b[(q->head + q->n++) % q->cap];
                    memcpy(p->w, r->out[l], sizeof p->w);
                    p->at = e->cycles + e->link_latency;
                    e->link_packets++;
                }
            }
            if (taken >> l & 1) {
                linkq *q = &ch->in[l];
                q->head = (q->head + 1) % q->cap;
                q->n--;
            }
        }
        for (uint32_t c = 0; c < e->cpc; c++)
            if ((sent >> CORE_PORT(c) & 1) && !(ch->used_mask >> c & 1))
                ch->rcnt[AXON_CNT_ROUTER_DELIVERED_UNUSED_CORE]++;
        vrouter_rise(ch->r, r);
    }
    for (uint32_t m = ch->used_mask; m; m &= m - 1) {
        ecore *k = &ch->cores[__builtin_ctz(m)];
        if (k->active)
            vcore_rise(k->v, &k->io);
    }
    return AXON_OK;
}

/* One clock cycle of the chips in act (the others have nothing to do). */
static int cycle(axon_emu *e, echip **act, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        int rc = chip_pre_edge(e, act[i]);
        if (rc)
            return rc;
    }
    vsim_half_cycle(e->sim);
    int rc = AXON_OK;
    for (uint32_t i = 0; i < n; i++)
        rc |= chip_edge(e, act[i]);
    vsim_half_cycle(e->sim);
    e->cycles++;
    return rc;
}

static int step_timeout(axon_emu *e, uint64_t spent)
{
    char wb[64];
    for (uint32_t i = 0; i < e->n_chips; i++) {
        echip *ch = &e->chips[i];
        if (!chip_busy(ch))
            continue;
        uint32_t queued = 0;
        for (int l = 0; l < LINKS; l++)
            queued += ch->in[l].n;
        for (uint32_t m = ch->used_mask; m; m &= m - 1) {
            ecore *k = &ch->cores[__builtin_ctz(m)];
            if (k->io.idle)
                continue;
            uint32_t st = 0;
            cfg_read(e, k, NULL, REG(AXON_CIF_REG_STATUS), &st);
            return axon_errf(e->err, AXON_ERR_TIMEOUT,
                             "step %u: %s still busy after %llu cycles (status 0x%x; its "
                             "router %s, %u packets on links into the chip)",
                             e->step, where(k, wb, sizeof wb), (unsigned long long)spent, st,
                             ch->io.idle ? "empty" : "holding a packet", queued);
        }
        return axon_errf(e->err, AXON_ERR_TIMEOUT,
                         "step %u: chip (%u, %u) still busy after %llu cycles (its router %s, "
                         "%u packets on links into the chip: a routing loop?)",
                         e->step, ch->x, ch->y, (unsigned long long)spent,
                         ch->io.idle ? "empty" : "holding a packet", queued);
    }
    return axon_errf(e->err, AXON_ERR_TIMEOUT, "step %u: no progress after %llu cycles",
                     e->step, (unsigned long long)spent);
}

/* Clock the machine until every chip is idle and every link empty. */
static int settle(axon_emu *e, uint64_t *spent)
{
    for (;;) {
        uint32_t n = 0;
        for (uint32_t i = 0; i < e->n_chips; i++)
            if (chip_busy(&e->chips[i]))
                e->act[n++] = &e->chips[i];
        if (!n)
            return AXON_OK;
        int rc = cycle(e, e->act, n);
        if (rc)
            return rc;
        ++*spent;
        for (uint32_t i = 0; i < n; i++)
            for (uint32_t m = e->act[i]->used_mask; m; m &= m - 1) {
                ecore *k = &e->act[i]->cores[__builtin_ctz(m)];
                k->busy_cycles = k->io.idle ? 0 : k->busy_cycles + 1;
                if (k->busy_cycles && k->busy_cycles % REC_POLL_CYCLES == 0 &&
                    (rc = drain_rec(e, k)))
                    return rc;
            }
        if (*spent > e->max_cycles)
            return step_timeout(e, *spent);
    }
}

static int one_step(axon_emu *e)
{
    char wb[64];
    uint64_t spent = 0;
    uint32_t t = e->step;
    /* barrier: every core READY, every link empty (the previous step settled); tick all */
    for (uint32_t u = 0; u < e->n_used; u++) {
        ecore *k = &e->cores[e->used[u]];
        k->io.tick = 1;
        k->busy_cycles = 0;
    }
    int rc = settle(e, &spent);
    if (rc)
        return rc;
    /* the packets in the engine's order (core gid, emission order) */
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
        for (size_t i = 0; e->spike_fn && i < k->out_n; i++)
            e->spike_fn(e->spike_user, t, k->gid, k->out[i]);
        k->out_n = 0;
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
    int rc = AXON_OK;
    for (uint32_t s = 0; s < n && !rc; s++) {
        rc = one_step(e);
        e->failed = rc != AXON_OK;
        if (!rc && e->cycles - e->cycles_at_poll > COUNTER_POLL_CYCLES)
            rc = poll_all_counters(e);
    }
    if (!rc)
        rc = poll_all_counters(e);
    /* nothing may have been dumped: the wait registers stay at "forever" */
    for (uint32_t c = 0; !rc && c < e->n_chips; c++) {
        echip *ch = &e->chips[c];
        uint32_t st, hdr = 0, key = 0;
        if ((rc = cfg_read(e, NULL, ch, AXON_RIF_REG_STATUS, &st)) ||
            !(st & AXON_RIF_STATUS_DUMP_VALID))
            continue;
        cfg_read(e, NULL, ch, AXON_RIF_REG_DUMP_HDR, &hdr);
        cfg_read(e, NULL, ch, AXON_RIF_REG_DUMP_KEY, &key);
        rc = axon_errf(e->err, AXON_ERR_INTERNAL,
                       "the router of chip (%u, %u) dropped key 0x%08x (dump header 0x%08x) "
                       "by step %u",
                       ch->x, ch->y, key, hdr, e->step);
    }
    /* the cores' own step registers must agree with the harness */
    for (uint32_t u = 0; !rc && u < e->n_used; u++) {
        ecore *k = &e->cores[e->used[u]];
        uint32_t st;
        char wb[64];
        if ((rc = cfg_read(e, k, NULL, REG(AXON_CIF_REG_STEP), &st)))
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
uint64_t axon_emu_link_packets(const axon_emu *e) { return e->link_packets; }

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
    memcpy(out, e->chips[y * e->w + x].rcnt, sizeof e->chips[y * e->w + x].rcnt);
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
    return cfg_read(e, k, NULL, AXON_CIF_STATE_BASE + neuron * AXON_CIF_STATE_STRIDE + word,
                    out);
}

int axon_emu_step_cycles(axon_emu *e, uint32_t x, uint32_t y, uint32_t c, uint32_t *out)
{
    ecore *k = NULL;
    int rc = core_at(e, x, y, c, 1, &k);
    return rc ? rc : cfg_read(e, k, NULL, REG(AXON_CIF_REG_CYCLES), out);
}

/* A unit of chip (x, y) for the raw configuration access: a used core, or the router. */
static int unit_at(axon_emu *e, uint32_t x, uint32_t y, uint32_t c, uint32_t addr, ecore **k,
                   echip **ch)
{
    *k = NULL;
    *ch = NULL;
    if (c == AXON_CHIP_IF_UNIT_ROUTER && e->loaded && x < e->w && y < e->h) {
        *ch = &e->chips[y * e->w + x];
        if (addr >> AXON_RIF_ADDR_BITS)
            return axon_errf(e->err, AXON_ERR_INVALID_ARG,
                             "router address 0x%x is beyond the %u-bit address space", addr,
                             AXON_RIF_ADDR_BITS);
        return AXON_OK;
    }
    int rc = core_at(e, x, y, c, 1, k);
    if (!rc && addr >> AXON_CIF_ADDR_BITS)
        rc = axon_errf(e->err, AXON_ERR_INVALID_ARG,
                       "configuration address 0x%x is beyond the %u-bit address space", addr,
                       AXON_CIF_ADDR_BITS);
    return rc;
}

int axon_emu_cfg_read(axon_emu *e, uint32_t x, uint32_t y, uint32_t c, uint32_t addr,
                      uint32_t *out)
{
    ecore *k;
    echip *ch;
    int rc = unit_at(e, x, y, c, addr, &k, &ch);
    return rc ? rc : cfg_read(e, k, ch, addr, out);
}

int axon_emu_cfg_write(axon_emu *e, uint32_t x, uint32_t y, uint32_t c, uint32_t addr,
                       uint32_t value)
{
    ecore *k;
    echip *ch;
    int rc = unit_at(e, x, y, c, addr, &k, &ch);
    if (!rc && ch && addr == AXON_RIF_REG_WAIT)
        e->wait_written = 1;
    return rc ? rc : cfg_write(e, k, ch, addr, value);
}
