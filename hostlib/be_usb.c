/* The `usb` backends (docs/board.md): the machine image runs on a board reached through the
 * board protocol. "usb" finds a board with libusb (serial from $AXON_BOARD_SERIAL, else the
 * first); "usb-direct" talks the same bytes to an in-process board model whose machine is
 * the golden engine, or the emulated RTL with AXON_BOARD_MACHINE=emu. Recordings arrive on the stream during the run and are kept
 * per core; counters are read from the cores' registers (32 bits, extended to 64 here). */
#include "hl_ctx.h"

#include "axon/link.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct recbuf {
    uint32_t *w;
    size_t n, cap;
} recbuf;

typedef struct usb_be {
    axon_link *link;
    axon_board *board;    /* usb-direct only */
    uint32_t *img;        /* the image, for reloads after a board reset or unplug */
    size_t img_n;
    uint32_t w, h, cpc;
    uint8_t *used;        /* per core: has memory in the image */
    recbuf *rec;          /* per core */
    uint64_t *core_cnt;   /* per core x AXON_CNT_CORE_N, 64-bit */
    uint32_t *core_raw;   /* last 32-bit register values */
    uint64_t *rt_cnt;     /* per chip x AXON_CNT_ROUTER_N */
    uint32_t *rt_raw;
    int broken;           /* the last run failed: reset() reconnects and reloads */
    char fail[AXON_ERRMSG_LEN];
    uint32_t **syn;       /* per core: its synaptic matrix as read back since the last run
                             (learned weights), NULL until asked for */
    uint32_t *syn_n;      /* per core: its words */
} usb_be;

/* forget the synaptic matrices read back (the board's change with every run) */
static void drop_syn(usb_be *b)
{
    if (!b->syn)
        return;
    for (size_t i = 0; i < (size_t)b->w * b->h * b->cpc; i++) {
        free(b->syn[i]);
        b->syn[i] = NULL;
    }
}

static void be_free(usb_be *b)
{
    if (!b)
        return;
    axon_link_close(b->link);
    axon_board_destroy(b->board);
    drop_syn(b);
    free(b->syn);
    free(b->syn_n);
    if (b->rec)
        for (size_t i = 0; i < (size_t)b->w * b->h * b->cpc; i++)
            free(b->rec[i].w);
    free(b->rec);
    free(b->img);
    free(b->used);
    free(b->core_cnt);
    free(b->core_raw);
    free(b->rt_cnt);
    free(b->rt_raw);
    free(b);
}

static void clear_results(usb_be *b)
{
    size_t nc = (size_t)b->w * b->h * b->cpc, nch = (size_t)b->w * b->h;
    for (size_t i = 0; i < nc; i++)
        b->rec[i].n = 0;
    memset(b->core_cnt, 0, nc * AXON_CNT_CORE_N * sizeof *b->core_cnt);
    memset(b->core_raw, 0, nc * AXON_CNT_CORE_N * sizeof *b->core_raw);
    memset(b->rt_cnt, 0, nch * AXON_CNT_ROUTER_N * sizeof *b->rt_cnt);
    memset(b->rt_raw, 0, nch * AXON_CNT_ROUTER_N * sizeof *b->rt_raw);
}

static int connect_link(usb_be *b, int direct, char *err)
{
    axon_xport x;
    int rc;
    if (direct) {
        axon_board_config cfg = {0};
        if (!b->board && ((rc = axon_machine_by_name(getenv("AXON_BOARD_MACHINE"), &cfg.machine,
                                                    err)) ||
                          (rc = axon_board_create(&b->board, &cfg, err))))
            return rc;
        rc = axon_xport_direct(&x, b->board);
    } else {
        const char *serial = getenv("AXON_BOARD_SERIAL");
        rc = axon_xport_usb(&x, serial, err);
    }
    if (rc)
        return rc;
    axon_link_opts o = {0};
    const char *t = getenv("AXON_BOARD_TIMEOUT_MS");
    if (t)
        o.timeout_ms = atoi(t);
    return axon_link_open(&b->link, x, &o, err);
}

static int load_common(void **st, axon_image *img, char *err, int direct)
{
    usb_be *b = calloc(1, sizeof *b);
    if (!b)
        goto oom;
    b->w = axon_image_width(img);
    b->h = axon_image_height(img);
    b->cpc = axon_image_cores_per_chip(img);
    size_t nc = (size_t)b->w * b->h * b->cpc, nch = (size_t)b->w * b->h;
    b->used = calloc(nc, 1);
    b->rec = calloc(nc, sizeof *b->rec);
    b->core_cnt = calloc(nc * AXON_CNT_CORE_N, sizeof *b->core_cnt);
    b->core_raw = calloc(nc * AXON_CNT_CORE_N, sizeof *b->core_raw);
    b->rt_cnt = calloc(nch * AXON_CNT_ROUTER_N, sizeof *b->rt_cnt);
    b->rt_raw = calloc(nch * AXON_CNT_ROUTER_N, sizeof *b->rt_raw);
    if (!b->used || !b->rec || !b->core_cnt || !b->core_raw || !b->rt_cnt || !b->rt_raw)
        goto oom;
    for (size_t g = 0; g < nc; g++) {
        const uint32_t *w;
        uint32_t n = 0;
        uint32_t core = (uint32_t)(g % b->cpc), chip = (uint32_t)(g / b->cpc);
        axon_image_get_core(img, chip % b->w, chip / b->w, core, &w, &n);
        b->used[g] = n > 0;
    }
    int rc = axon_image_to_buffer(img, &b->img, &b->img_n);
    if (rc) {
        snprintf(err, AXON_ERRMSG_LEN, "cannot serialise the image: %s",
                 axon_image_last_error(img));
        be_free(b);
        return rc;
    }
    if ((rc = connect_link(b, direct, err)))
        goto fail;
    if ((rc = axon_link_load(b->link, b->img, b->img_n))) {
        snprintf(err, AXON_ERRMSG_LEN, "%s", axon_link_last_error(b->link));
        goto fail;
    }
    *st = b;
    return AXON_OK;
fail:
    be_free(b);
    return rc;
oom:
    be_free(b);
    snprintf(err, AXON_ERRMSG_LEN, "usb backend: out of memory");
    return AXON_ERR_NO_MEMORY;
}

static int usb_load(void **st, axon_image *img, const axon_ctx *ctx, char *err)
{
    (void)ctx;
    return load_common(st, img, err, 0);
}

static int direct_load(void **st, axon_image *img, const axon_ctx *ctx, char *err)
{
    (void)ctx;
    return load_common(st, img, err, 1);
}

static int on_stream(void *user, const axon_frame *f)
{
    usb_be *b = user;
    if (f->opcode != AXON_PROTO_OP_REC_DATA || f->n < 1)
        return 0; /* drop reports: the router counters carry the totals */
    uint32_t x, y, c;
    axon_proto_target_split(f->payload[0], NULL, &x, &y, &c);
    if (x >= b->w || y >= b->h || c >= b->cpc)
        return 0;
    recbuf *r = &b->rec[((size_t)y * b->w + x) * b->cpc + c];
    size_t k = f->n - 1;
    if (r->n + k > r->cap) {
        size_t cap = r->cap ? r->cap : 4096;
        while (cap < r->n + k)
            cap *= 2;
        uint32_t *p = realloc(r->w, cap * sizeof *p);
        if (!p)
            return AXON_ERR_NO_MEMORY;
        r->w = p;
        r->cap = cap;
    }
    memcpy(r->w + r->n, f->payload + 1, k * 4);
    r->n += k;
    return 0;
}

/* 32-bit register values -> 64-bit counts (a counter cannot wrap within one run chunk) */
static void extend(uint64_t *acc, uint32_t *raw, const uint32_t *now, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        acc[i] += (uint32_t)(now[i] - raw[i]);
        raw[i] = now[i];
    }
}

/* every used core's counters and every router's, in one pipelined exchange */
static int read_counters(usb_be *b)
{
    size_t nc = (size_t)b->w * b->h * b->cpc, nch = (size_t)b->w * b->h, k = 0;
    size_t nmax = nc + nch;
    uint32_t *tgt = malloc(nmax * sizeof *tgt), *addr = malloc(nmax * sizeof *addr);
    uint32_t *cnt = malloc(nmax * sizeof *cnt), **out = malloc(nmax * sizeof *out);
    uint32_t *vals = malloc(nmax * (AXON_CNT_CORE_N + AXON_CNT_ROUTER_N) * sizeof *vals);
    size_t *slot = malloc(nmax * sizeof *slot);
    int rc = AXON_ERR_NO_MEMORY;
    b->fail[0] = 0;
    if (!tgt || !addr || !cnt || !out || !vals || !slot) {
        snprintf(b->fail, sizeof b->fail, "out of memory for the counters of %zu cores", nc);
        goto done;
    }
    for (size_t g = 0; g < nc; g++) {
        if (!b->used[g])
            continue;
        uint32_t chip = (uint32_t)(g / b->cpc);
        tgt[k] = axon_proto_target(AXON_PROTO_SPACE_CORE, chip % b->w, chip / b->w,
                                   (uint32_t)(g % b->cpc));
        addr[k] = AXON_CIF_REG_BASE + AXON_CIF_REG_COUNTERS;
        cnt[k] = AXON_CNT_CORE_N;
        slot[k] = g;
        out[k] = vals + k * (AXON_CNT_CORE_N + AXON_CNT_ROUTER_N);
        k++;
    }
    size_t ncore = k;
    for (uint32_t ch = 0; ch < nch; ch++) {
        tgt[k] = axon_proto_target(AXON_PROTO_SPACE_ROUTER, ch % b->w, ch / b->w, 0);
        addr[k] = 0;
        cnt[k] = AXON_CNT_ROUTER_N;
        slot[k] = ch;
        out[k] = vals + k * (AXON_CNT_CORE_N + AXON_CNT_ROUTER_N);
        k++;
    }
    if ((rc = axon_link_readv(b->link, (uint32_t)k, tgt, addr, cnt, out)))
        goto done;
    for (size_t i = 0; i < k; i++) {
        if (i < ncore)
            extend(b->core_cnt + slot[i] * AXON_CNT_CORE_N, b->core_raw + slot[i] * AXON_CNT_CORE_N,
                   out[i], AXON_CNT_CORE_N);
        else
            extend(b->rt_cnt + slot[i] * AXON_CNT_ROUTER_N,
                   b->rt_raw + slot[i] * AXON_CNT_ROUTER_N, out[i], AXON_CNT_ROUTER_N);
    }
done:
    free(tgt);
    free(addr);
    free(cnt);
    free(out);
    free(vals);
    free(slot);
    return rc;
}

static int usb_run(void *st, uint32_t steps, char *err)
{
    usb_be *b = st;
    if (b->broken) {
        snprintf(err, AXON_ERRMSG_LEN,
                 "the board connection failed in an earlier run (%.400s); reset() reconnects "
                 "and reloads", b->fail);
        return AXON_ERR_STATE;
    }
    const char *rt = getenv("AXON_BOARD_REALTIME_US");
    uint32_t tick = rt ? (uint32_t)atoi(rt) : 0;
    drop_syn(b);
    int rc = axon_link_run(b->link, steps, tick ? AXON_PROTO_MODE_REALTIME
                                                : AXON_PROTO_MODE_BARRIER,
                           tick, on_stream, b, NULL);
    b->fail[0] = 0;
    if (!rc)
        rc = read_counters(b);
    if (rc) {
        if (!b->fail[0])
            snprintf(b->fail, sizeof b->fail, "%s", axon_link_last_error(b->link));
        snprintf(err, AXON_ERRMSG_LEN, "%s", b->fail);
        b->broken = 1;
    }
    return rc;
}

static int usb_recording(void *st, uint32_t x, uint32_t y, uint32_t c, const uint32_t **w,
                         size_t *n)
{
    usb_be *b = st;
    if (x >= b->w || y >= b->h || c >= b->cpc)
        return AXON_ERR_RANGE;
    recbuf *r = &b->rec[((size_t)y * b->w + x) * b->cpc + c];
    *w = r->w;
    *n = r->n;
    return AXON_OK;
}

static int usb_drain(void *st, uint32_t x, uint32_t y, uint32_t c)
{
    usb_be *b = st;
    if (x >= b->w || y >= b->h || c >= b->cpc)
        return AXON_ERR_RANGE;
    b->rec[((size_t)y * b->w + x) * b->cpc + c].n = 0;
    return AXON_OK;
}

static int usb_core_counters(void *st, uint32_t x, uint32_t y, uint32_t c, uint64_t *out)
{
    usb_be *b = st;
    if (x >= b->w || y >= b->h || c >= b->cpc)
        return AXON_ERR_RANGE;
    memcpy(out, b->core_cnt + (((size_t)y * b->w + x) * b->cpc + c) * AXON_CNT_CORE_N,
           AXON_CNT_CORE_N * sizeof *out);
    return AXON_OK;
}

static int usb_router_counters(void *st, uint32_t x, uint32_t y, uint64_t *out)
{
    usb_be *b = st;
    if (x >= b->w || y >= b->h)
        return AXON_ERR_RANGE;
    memcpy(out, b->rt_cnt + ((size_t)y * b->w + x) * AXON_CNT_ROUTER_N,
           AXON_CNT_ROUTER_N * sizeof *out);
    return AXON_OK;
}

static int usb_reset(void *st, char *err)
{
    usb_be *b = st;
    int rc = b->broken ? AXON_ERR_STATE : axon_link_reset(b->link);
    if (rc) {
        /* the board was reset, unplugged or lost the link: find it again and reload */
        if ((rc = axon_link_reconnect(b->link)) ||
            (rc = axon_link_load(b->link, b->img, b->img_n))) {
            snprintf(err, AXON_ERRMSG_LEN, "%s", axon_link_last_error(b->link));
            return rc;
        }
    }
    b->broken = 0;
    drop_syn(b);
    clear_results(b);
    return AXON_OK;
}

/* A learned weight: word `off` of the core's synaptic matrix. The first request after a run
 * reads the core's whole matrix back from the board (READ of core memory: its offset and
 * length from the header, then the words), later ones use that copy. */
static int usb_syn_weight(void *st, uint32_t x, uint32_t y, uint32_t c, uint32_t off,
                          double *w)
{
    usb_be *b = st;
    if (x >= b->w || y >= b->h || c >= b->cpc)
        return AXON_ERR_RANGE;
    if (b->broken)
        return AXON_ERR_STATE;
    size_t g = ((size_t)y * b->w + x) * b->cpc + c;
    uint32_t tgt = axon_proto_target(AXON_PROTO_SPACE_CORE, x, y, c), hdr[2];
    _Static_assert(AXON_CORE_H_SYN_WORDS == AXON_CORE_H_SYN_OFF + 1,
                   "one read of the matrix's offset and length");
    size_t nc = (size_t)b->w * b->h * b->cpc;
    if (!b->syn)
        b->syn = calloc(nc, sizeof *b->syn);
    if (!b->syn_n)
        b->syn_n = calloc(nc, sizeof *b->syn_n);
    if (!b->syn || !b->syn_n)
        return AXON_ERR_NO_MEMORY;
    if (!b->syn[g]) {
        int rc = axon_link_read(b->link, tgt, AXON_CIF_MEM_BASE + AXON_CORE_H_SYN_OFF, hdr, 2);
        if (rc)
            return rc;
        uint32_t *m = malloc((size_t)(hdr[1] ? hdr[1] : 1) * sizeof *m);
        if (!m)
            return AXON_ERR_NO_MEMORY;
        if (hdr[1] && (rc = axon_link_read(b->link, tgt, AXON_CIF_MEM_BASE + hdr[0], m, hdr[1]))) {
            free(m);
            return rc;
        }
        b->syn[g] = m;
        b->syn_n[g] = hdr[1];
    }
    if (off >= b->syn_n[g])
        return AXON_ERR_RANGE;
    *w = (double)(b->syn[g][off] >> AXON_SYN_WEIGHT_LSB);
    return AXON_OK;
}

static void usb_destroy(void *st) { be_free(st); }

const hl_backend hl_backend_usb = {
    .name = "usb", .load = usb_load, .run = usb_run, .recording = usb_recording,
    .drain = usb_drain, .core_counters = usb_core_counters,
    .router_counters = usb_router_counters, .reset = usb_reset,
    .destroy = usb_destroy, .syn_weight = usb_syn_weight};
const hl_backend hl_backend_usb_direct = {
    .name = "usb-direct", .load = direct_load, .run = usb_run, .recording = usb_recording,
    .drain = usb_drain, .core_counters = usb_core_counters,
    .router_counters = usb_router_counters, .reset = usb_reset,
    .destroy = usb_destroy, .syn_weight = usb_syn_weight};
