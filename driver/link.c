/* The host side of the board protocol: requests with sequence numbers, a window of
 * outstanding requests, go-back-N retransmission on timeout, NAK or corrupt reply, and the
 * recording stream (docs/spec/protocol.md). */
#include "axon/link.h"
#include "axon/image.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct axon_link {
    axon_xport x;
    axon_link_opts o;
    char err[AXON_ERRMSG_LEN];
    char serial[17];
    uint32_t hello[AXON_PROTO_HELLO_N];
    uint16_t seq;               /* of the next request */
    uint32_t max_data;          /* data words per request: ours and the board's minimum */
    axon_deframer rx[2];
    uint8_t *tx;                /* one maximal frame */
    uint8_t *rbuf;              /* transport receive buffer */
    size_t rbuf_cap;
    int stream_synced;
    uint16_t stream_expect;
    int dead;                   /* board gone: only reconnect helps */
    uint8_t last_st;            /* protocol status of the last refused request */
    axon_link_stats st;
};

static int lerr(axon_link *l, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int lerr(axon_link *l, int rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->err, sizeof l->err, fmt, ap);
    va_end(ap);
    return rc;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

const char *axon_link_last_error(const axon_link *l) { return l->err; }
const uint32_t *axon_link_hello(const axon_link *l) { return l->hello; }
const char *axon_link_serial(const axon_link *l) { return l->serial; }
const axon_link_stats *axon_link_get_stats(const axon_link *l) { return &l->st; }

/* transport failure -> link error; a vanished board marks the link dead */
static int xport_fail(axon_link *l, int rc, const char *what, const char *msg)
{
    if (rc == AXON_ERR_NOT_FOUND) {
        l->dead = 1;
        return lerr(l, rc, "board '%s' unplugged during %s: %s", l->serial, what, msg);
    }
    return lerr(l, rc, "board '%s': %s failed: %s", l->serial, what, msg);
}

/* Next frame on channel ch before the deadline. Returns 1 (frame), 0 (deadline passed),
 * 2 (a corrupt frame was skipped), or a negative transport error with l->err set. */
static int recv_frame(axon_link *l, int ch, axon_frame *f, double deadline, const char *what)
{
    int polled = 0; /* the transport is asked at least once, even at a past deadline */
    for (;;) {
        int r = axon_deframer_next(&l->rx[ch], f);
        if (r == 1) {
            return 1;
        }
        if (r < 0) {
            if (r == AXON_ERR_NO_MEMORY)
                return lerr(l, r, "link: out of memory");
            if (ch)
                l->st.stream_crc_errors++;
            else
                l->st.reply_crc_errors++;
            return 2;
        }
        double left = deadline - now_s();
        if (left <= 0 && polled)
            return 0;
        polled = 1;
        size_t got = 0;
        char msg[AXON_ERRMSG_LEN] = "";
        int rc = l->x.ops->recv(l->x.st, ch, l->rbuf, l->rbuf_cap, &got,
                                left > 0 ? (int)(left * 1000) + 1 : 0, msg);
        if (rc == AXON_ERR_TRANSPORT) {
            l->st.stalls++;
            return 2; /* recovered by the transport: treat like a lost frame */
        }
        if (rc)
            return xport_fail(l, rc, what, msg);
        if (got) {
            l->st.bytes_in += got;
            if (axon_deframer_push(&l->rx[ch], l->rbuf, got))
                return lerr(l, AXON_ERR_NO_MEMORY, "link: out of memory");
        }
    }
}

typedef struct req {
    uint8_t op;
    uint32_t args[4];
    uint32_t na;
    const uint32_t *data;
    uint32_t nd;
} req;
typedef void (*req_fn)(void *u, uint32_t i, req *r);
typedef int (*rep_fn)(void *u, uint32_t i, const axon_frame *f);

static int status_rc(unsigned st)
{
    switch (st) {
    case AXON_PROTO_ST_STATE:
    case AXON_PROTO_ST_BUSY: return AXON_ERR_STATE;
    case AXON_PROTO_ST_ADDRESS:
    case AXON_PROTO_ST_LENGTH: return AXON_ERR_RANGE;
    case AXON_PROTO_ST_ARG: return AXON_ERR_INVALID_ARG;
    case AXON_PROTO_ST_IMAGE: return AXON_ERR_FORMAT;
    case AXON_PROTO_ST_OPCODE:
    case AXON_PROTO_ST_VERSION: return AXON_ERR_UNSUPPORTED;
    default: return AXON_ERR_TRANSPORT;
    }
}

/* whether the board consumed the request's sequence number (docs/spec/protocol.md) */
static int consumes(unsigned status, uint32_t detail)
{
    return status != AXON_PROTO_ST_SEQUENCE &&
           !(status == AXON_PROTO_ST_STATE && detail == 0xFFFFFFFFu);
}

static int send_req(axon_link *l, const req *r, uint16_t seq, const char *what)
{
    size_t n = axon_frame_encode(l->tx, r->op, seq, 0, 0, r->args, r->na, r->data, r->nd);
    char msg[AXON_ERRMSG_LEN] = "";
    int rc = l->x.ops->send(l->x.st, l->tx, n, l->o.timeout_ms, msg);
    l->st.requests++;
    if (rc == AXON_ERR_TRANSPORT || rc == AXON_ERR_TIMEOUT) {
        l->st.stalls += rc == AXON_ERR_TRANSPORT;
        return 1; /* retried like a lost request */
    }
    if (rc)
        return xport_fail(l, rc, what, msg);
    l->st.bytes_out += n;
    l->st.payload_out += (size_t)r->nd * 4;
    return 0;
}

/* n requests, up to window in flight, in order; rep_fn consumes each OK reply. With raw
 * set, a non-OK reply is handed to rep_fn instead of failing. */
static int transact(axon_link *l, uint32_t n, req_fn mk, rep_fn done, void *u, int raw)
{
    if (l->dead)
        return lerr(l, AXON_ERR_STATE, "board '%s' is unplugged: reconnect first", l->serial);
    uint16_t base = l->seq;
    uint32_t sent = 0, acked = 0;
    l->last_st = AXON_PROTO_ST_OK;
    int tries = 0, retries = l->o.retries < 0 ? 0 : l->o.retries;
    double deadline = 0;
    req r;
    while (acked < n) {
        while (sent < n && sent - acked < l->o.window) {
            mk(u, sent, &r);
            int s = send_req(l, &r, (uint16_t)(base + sent), axon_proto_opcode_name(r.op));
            if (s < 0)
                return s;
            if (sent == acked)
                deadline = now_s() + l->o.timeout_ms * 1e-3;
            sent++;
            if (s > 0) { /* stalled send: resend from the oldest after the timeout */
                sent = acked + l->o.window;
                break;
            }
        }
        axon_frame f;
        mk(u, acked, &r);
        const char *what = axon_proto_opcode_name(r.op);
        int rc = recv_frame(l, 0, &f, deadline, what);
        if (rc < 0)
            return rc;
        int go_back = 0;
        if (rc == 1) {
            uint16_t want = (uint16_t)(base + acked);
            if (!(f.flags & AXON_PROTO_FLAG_REPLY))
                continue;
            if (f.flags & AXON_PROTO_FLAG_NAK) {
                l->st.naks++; /* a request arrived corrupt (its seq is untrusted) */
                go_back = 1;
            } else if (f.seq != want) {
                continue; /* a stale or duplicated reply */
            } else if (f.status != AXON_PROTO_ST_OK && !raw) {
                uint32_t d = f.n ? f.payload[0] : 0;
                l->seq = (uint16_t)(consumes(f.status, d) ? base + sent : base + acked);
                l->last_st = f.status;
                if (f.status == AXON_PROTO_ST_STATE && d == 0xFFFFFFFFu)
                    return lerr(l, AXON_ERR_STATE,
                                "board '%s' was reset (it answers %s seq %u with STATE: "
                                "handshake lost); reconnect and reload",
                                l->serial, what, (unsigned)want);
                /* IMAGE: a negated axon_status, and the core that refused its memory */
                if (f.status == AXON_PROTO_ST_IMAGE && (d & 0xFFFFu) && d >> 16 == 0)
                    return lerr(l, status_rc(f.status),
                                "board '%s' rejected %s (seq %u): %s, detail %u: %s", l->serial,
                                what, (unsigned)want, axon_proto_status_name(f.status), d,
                                axon_strerror(-(int)d));
                if (f.status == AXON_PROTO_ST_IMAGE && (d & 0xFFFFu))
                    return lerr(l, status_rc(f.status),
                                "board '%s' rejected %s (seq %u): %s: core %u refused its memory "
                                "at boot (core_if error %u): %s",
                                l->serial, what, (unsigned)want, axon_proto_status_name(f.status),
                                d >> 24, d >> 16 & 0xFFu, axon_strerror(-(int)(d & 0xFFFFu)));
                return lerr(l, status_rc(f.status),
                            "board '%s' rejected %s (seq %u): %s, detail %u (0x%X)", l->serial,
                            what, (unsigned)want, axon_proto_status_name(f.status), d, d);
            } else {
                int drc = done(u, acked, &f);
                if (drc)
                    return drc;
                acked++;
                tries = 0;
                deadline = now_s() + l->o.timeout_ms * 1e-3;
                continue;
            }
        } else {
            go_back = 1; /* deadline passed, corrupt reply or recovered stall */
            if (rc == 0)
                l->st.timeouts++;
        }
        if (go_back) {
            if (++tries > retries) {
                l->seq = (uint16_t)(base + sent);
                return lerr(l, rc == 0 ? AXON_ERR_TIMEOUT : AXON_ERR_TRANSPORT,
                            "board '%s': %s (seq %u) %s after %d retr%s (%d ms each)", l->serial,
                            what, (unsigned)(uint16_t)(base + acked),
                            rc == 0   ? "timed out"
                            : rc == 2 ? "failed: replies corrupt (CRC) or endpoint stalled"
                                      : "was refused with a NAK",
                            retries, retries == 1 ? "y" : "ies", l->o.timeout_ms);
            }
            l->st.retransmits += sent - acked;
            sent = acked;
        }
    }
    l->seq = (uint16_t)(base + n);
    return AXON_OK;
}

/* ------------------------------------------------------------------ single requests */
typedef struct one {
    req r;
    uint8_t status;
    uint32_t *reply;
    uint32_t cap, n;
} one;

static void one_mk(void *u, uint32_t i, req *r)
{
    (void)i;
    *r = ((one *)u)->r;
}

static int one_done(void *u, uint32_t i, const axon_frame *f)
{
    (void)i;
    one *o = u;
    o->status = f->status;
    o->n = f->n;
    if (o->reply && f->n && o->cap)
        memcpy(o->reply, f->payload, (size_t)(f->n < o->cap ? f->n : o->cap) * 4);
    return 0;
}

static int simple(axon_link *l, uint8_t op, const uint32_t *args, uint32_t na, uint32_t *reply,
                  uint32_t cap, uint32_t *n_reply)
{
    one o = {.r = {.op = op, .na = na}, .reply = reply, .cap = cap};
    if (na)
        memcpy(o.r.args, args, (size_t)na * 4);
    int rc = transact(l, 1, one_mk, one_done, &o, 0);
    if (n_reply)
        *n_reply = o.n;
    return rc;
}

int axon_link_request(axon_link *l, uint8_t opcode, const uint32_t *args, uint32_t n_args,
                      uint8_t *status, uint32_t *reply, uint32_t cap, uint32_t *n_reply)
{
    if (n_args > 4)
        return lerr(l, AXON_ERR_INVALID_ARG, "raw request: %u argument words (at most 4)",
                    n_args);
    one o = {.r = {.op = opcode, .na = n_args}, .reply = reply, .cap = cap};
    if (n_args)
        memcpy(o.r.args, args, (size_t)n_args * 4);
    int rc = transact(l, 1, one_mk, one_done, &o, 1);
    if (status)
        *status = o.status;
    if (n_reply)
        *n_reply = o.n;
    if (!rc && !consumes(o.status, o.n && reply && cap ? reply[0] : 0))
        l->seq--; /* the board did not take this sequence number */
    return rc;
}

static int hello(axon_link *l)
{
    uint32_t v = AXON_PROTO_VERSION, n = 0;
    int rc = simple(l, AXON_PROTO_OP_HELLO, &v, 1, l->hello, AXON_PROTO_HELLO_N, &n);
    if (rc)
        return rc;
    if (n < AXON_PROTO_HELLO_N)
        return lerr(l, AXON_ERR_TRANSPORT, "board HELLO reply has %u words (expected %u)", n,
                    AXON_PROTO_HELLO_N);
    memcpy(l->serial, &l->hello[AXON_PROTO_HELLO_SERIAL0], 16);
    l->serial[16] = 0;
    /* a smaller board (e.g. an FPGA with a smaller buffer) sets the chunk size and window */
    uint32_t md = l->hello[AXON_PROTO_HELLO_MAX_DATA_WORDS], win = l->hello[AXON_PROTO_HELLO_WINDOW];
    l->max_data = md && md < AXON_PROTO_MAX_DATA_WORDS ? md : AXON_PROTO_MAX_DATA_WORDS;
    if (win && win < l->o.window)
        l->o.window = win;
    l->stream_synced = 0;
    return AXON_OK;
}

int axon_link_open(axon_link **out, axon_xport x, const axon_link_opts *opts, char *err)
{
    *out = NULL;
    axon_link *l = calloc(1, sizeof *l);
    if (!l) {
        x.ops->close(x.st);
        if (err)
            snprintf(err, AXON_ERRMSG_LEN, "link: out of memory");
        return AXON_ERR_NO_MEMORY;
    }
    l->x = x;
    if (opts)
        l->o = *opts;
    if (l->o.timeout_ms <= 0)
        l->o.timeout_ms = AXON_PROTO_TIMEOUT_MS;
    if (l->o.retries == 0)
        l->o.retries = AXON_PROTO_RETRIES;
    if (!l->o.window || l->o.window > AXON_PROTO_WINDOW)
        l->o.window = AXON_PROTO_WINDOW;
    snprintf(l->serial, sizeof l->serial, "?");
    axon_deframer_init(&l->rx[0]);
    axon_deframer_init(&l->rx[1]);
    l->max_data = AXON_PROTO_MAX_DATA_WORDS;
    l->rbuf_cap = AXON_PROTO_MAX_FRAME_BYTES + 512;
    l->rbuf_cap -= l->rbuf_cap % 512;
    l->tx = malloc(AXON_PROTO_MAX_FRAME_BYTES);
    l->rbuf = malloc(l->rbuf_cap);
    int rc = !l->tx || !l->rbuf ? lerr(l, AXON_ERR_NO_MEMORY, "link: out of memory") : hello(l);
    if (rc) {
        if (err)
            snprintf(err, AXON_ERRMSG_LEN, "%s", l->err);
        axon_link_close(l);
        return rc;
    }
    *out = l;
    return AXON_OK;
}

void axon_link_close(axon_link *l)
{
    if (!l)
        return;
    l->x.ops->close(l->x.st);
    axon_deframer_free(&l->rx[0]);
    axon_deframer_free(&l->rx[1]);
    free(l->tx);
    free(l->rbuf);
    free(l);
}

int axon_link_reconnect(axon_link *l)
{
    char msg[AXON_ERRMSG_LEN] = "";
    int rc = l->x.ops->reconnect(l->x.st, msg);
    if (rc)
        return lerr(l, rc, "cannot reconnect to board '%s': %s", l->serial, msg);
    l->dead = 0;
    axon_deframer_clear(&l->rx[0]);
    axon_deframer_clear(&l->rx[1]);
    return hello(l);
}

/* ------------------------------------------------------------------ bursts */
typedef struct burst {
    axon_link *l;
    uint8_t op;
    uint32_t target, addr;
    uint32_t *rd;
    const uint32_t *wr;
    size_t n;
} burst;

static void burst_mk(void *u, uint32_t i, req *r)
{
    burst *b = u;
    size_t md = b->l->max_data, off = (size_t)i * md;
    uint32_t k = (uint32_t)(b->n - off < md ? b->n - off : md);
    memset(r, 0, sizeof *r);
    r->op = b->op;
    if (b->op == AXON_PROTO_OP_LOAD) {
        r->args[0] = (uint32_t)off;
        r->args[1] = (uint32_t)b->n;
        r->na = 2;
        r->data = b->wr + off;
        r->nd = k;
    } else {
        r->args[0] = b->target;
        r->args[1] = b->addr + (uint32_t)off;
        r->na = 2;
        if (b->op == AXON_PROTO_OP_READ) {
            r->args[2] = k;
            r->na = 3;
        } else {
            r->data = b->wr + off;
            r->nd = k;
        }
    }
}

static int burst_done(void *u, uint32_t i, const axon_frame *f)
{
    burst *b = u;
    if (b->op != AXON_PROTO_OP_READ)
        return 0;
    size_t md = b->l->max_data, off = (size_t)i * md;
    size_t k = b->n - off < md ? b->n - off : md;
    if (f->n != k)
        return lerr(b->l, AXON_ERR_TRANSPORT, "board READ reply has %u words, expected %zu",
                    f->n, k);
    memcpy(b->rd + off, f->payload, k * 4);
    b->l->st.payload_in += k * 4;
    return 0;
}

static int run_burst(axon_link *l, burst *b)
{
    b->l = l;
    uint32_t nreq = (uint32_t)((b->n + l->max_data - 1) / l->max_data);
    if (!nreq)
        return AXON_OK;
    return transact(l, nreq, burst_mk, burst_done, b, 0);
}

int axon_link_read(axon_link *l, uint32_t target, uint32_t addr, uint32_t *w, size_t n)
{
    burst b = {.op = AXON_PROTO_OP_READ, .target = target, .addr = addr, .rd = w, .n = n};
    return run_burst(l, &b);
}

int axon_link_write(axon_link *l, uint32_t target, uint32_t addr, const uint32_t *w, size_t n)
{
    burst b = {.op = AXON_PROTO_OP_WRITE, .target = target, .addr = addr, .wr = w, .n = n};
    return run_burst(l, &b);
}

typedef struct vec {
    axon_link *l;
    const uint32_t *target, *addr, *n;
    uint32_t *const *out;
} vec;

static void vec_mk(void *u, uint32_t i, req *r)
{
    const vec *v = u;
    memset(r, 0, sizeof *r);
    r->op = AXON_PROTO_OP_READ;
    r->args[0] = v->target[i];
    r->args[1] = v->addr[i];
    r->args[2] = v->n[i];
    r->na = 3;
}

static int vec_done(void *u, uint32_t i, const axon_frame *f)
{
    const vec *v = u;
    if (f->n != v->n[i])
        return lerr(v->l, AXON_ERR_TRANSPORT, "board READ reply has %u words, expected %u",
                    f->n, v->n[i]);
    memcpy(v->out[i], f->payload, (size_t)f->n * 4);
    v->l->st.payload_in += (size_t)f->n * 4;
    return 0;
}

int axon_link_readv(axon_link *l, uint32_t count, const uint32_t *target, const uint32_t *addr,
                    const uint32_t *n, uint32_t *const *out)
{
    for (uint32_t i = 0; i < count; i++)
        if (n[i] > l->max_data)
            return lerr(l, AXON_ERR_INVALID_ARG, "readv: read %u of %u words exceeds the "
                        "chunk size %u", i, n[i], l->max_data);
    vec v = {l, target, addr, n, out};
    return count ? transact(l, count, vec_mk, vec_done, &v, 0) : AXON_OK;
}

/* protocol 1.1 added spaces ROUTER_CFG and CHIP_CFG (version words: major << 16 | minor) */
#define PROTO_ROUTER_CFG_SINCE ((1u << 16) | 1u)

/* many short writes kept in flight together (each n[i] <= the chunk size) */
typedef struct wvec {
    const uint32_t *target, *addr, *n;
    const uint32_t *const *data;
} wvec;

static void wvec_mk(void *u, uint32_t i, req *r)
{
    const wvec *v = u;
    memset(r, 0, sizeof *r);
    r->op = AXON_PROTO_OP_WRITE;
    r->args[0] = v->target[i];
    r->args[1] = v->addr[i];
    r->na = 2;
    r->data = v->data[i];
    r->nd = v->n[i];
}

static int wvec_done(void *u, uint32_t i, const axon_frame *f)
{
    (void)u, (void)i, (void)f;
    return 0;
}

/* A board without LOAD (an older bitstream answers it with OPCODE): the image's router
 * tables through space ROUTER_CFG (mc_key, mc_mask, then the entry's route word; entries
 * after the image's never match), every core's memory with WRITE, unused cores' headers
 * wiped, ctrl.BOOT to every core of the board, then each used core's status polled. */
static int load_by_writes(axon_link *l, const uint32_t *words, size_t n)
{
    char ierr[AXON_ERRMSG_LEN];
    axon_image *img = NULL;
    uint32_t *tgt = NULL, *addr = NULL, *cnt = NULL, *kv = NULL;
    const uint32_t **data = NULL;
    int rc = axon_image_from_buffer(&img, words, n, ierr);
    if (rc) {
        lerr(l, rc, "LOAD by writes: %s", ierr);
        goto done;
    }
    uint32_t w = axon_image_width(img), h = axon_image_height(img);
    uint32_t cpc = axon_image_cores_per_chip(img);
    uint32_t bw = l->hello[AXON_PROTO_HELLO_WIDTH], bh = l->hello[AXON_PROTO_HELLO_HEIGHT];
    uint32_t bc = l->hello[AXON_PROTO_HELLO_CORES_PER_CHIP];
    if (w > bw || h > bh || cpc > bc) {
        rc = lerr(l, AXON_ERR_CAPACITY,
                  "board '%s' (%u x %u chips of %u cores) cannot hold an image of %u x %u chips "
                  "of %u cores", l->serial, bw, bh, bc, w, h, cpc);
        goto done;
    }
    /* router tables: 2 writes per entry, then the rest of the table made inert */
    static const uint32_t never[2] = {1u, 0u}; /* key bits outside the mask: no match */
    size_t cap = 2 * (size_t)AXON_ROUTER_MC_ENTRIES + 2;
    tgt = malloc(cap * sizeof *tgt);
    addr = malloc(cap * sizeof *addr);
    cnt = malloc(cap * sizeof *cnt);
    data = malloc(cap * sizeof *data);
    kv = malloc(2 * (size_t)AXON_ROUTER_MC_ENTRIES * sizeof *kv);
    if (!tgt || !addr || !cnt || !data || !kv) {
        rc = lerr(l, AXON_ERR_NO_MEMORY, "LOAD by writes: out of memory");
        goto done;
    }
    for (uint32_t y = 0; y < bh; y++)
        for (uint32_t x = 0; x < bw; x++) {
            const axon_route_entry *e = NULL;
            uint32_t ne = 0, k = 0, t = axon_proto_target(AXON_PROTO_SPACE_ROUTER_CFG, x, y, 0);
            if (x < w && y < h)
                axon_image_get_table(img, x, y, &e, &ne);
            uint32_t info = 0;
            if (l->hello[AXON_PROTO_HELLO_PROTO_VERSION] < PROTO_ROUTER_CFG_SINCE) {
                if (ne) {
                    rc = lerr(l, AXON_ERR_UNSUPPORTED,
                              "board '%s' speaks protocol %u.%u, without LOAD and without a "
                              "router configuration space: the %u table entries of chip "
                              "(%u, %u) cannot be written (update its bitstream)",
                              l->serial, l->hello[AXON_PROTO_HELLO_PROTO_VERSION] >> 16,
                              l->hello[AXON_PROTO_HELLO_PROTO_VERSION] & 0xFFFFu, ne, x, y);
                    goto done;
                }
                continue;
            }
            if ((rc = axon_link_read(l, t, AXON_RIF_REG_INFO, &info, 1)))
                goto done;
            uint32_t size = 1u << (info >> AXON_RIF_INFO_MC_ENTRIES_LOG2_LSB &
                                   ((1u << AXON_RIF_INFO_MC_ENTRIES_LOG2_WIDTH) - 1));
            if (ne > size) {
                rc = lerr(l, AXON_ERR_CAPACITY, "board '%s' chip (%u, %u): %u table entries, "
                          "its router holds %u", l->serial, x, y, ne, size);
                goto done;
            }
            for (uint32_t i = 0; i < size; i++) {
                if (i < ne) {
                    kv[2 * i] = e[i].key;
                    kv[2 * i + 1] = e[i].mask;
                }
                if (i < ne || i == ne) { /* key and mask (the inert pair once, after the last) */
                    tgt[k] = t, addr[k] = AXON_RIF_REG_MC_KEY, cnt[k] = 2;
                    data[k++] = i < ne ? kv + 2 * i : never;
                }
                tgt[k] = t, addr[k] = AXON_RIF_MC_ROUTE_BASE + i, cnt[k] = 1;
                data[k++] = i < ne ? &e[i].route : &never[1];
            }
            wvec v = {tgt, addr, cnt, data};
            if ((rc = transact(l, k, wvec_mk, wvec_done, &v, 0)))
                goto done;
        }
    /* core memories, unused cores wiped, every core booted, the chips' core_enable set to
     * the used cores (a booted core joins it; chip_if.md), the used cores' boots checked */
    static const uint32_t zero = 0, boot = AXON_CIF_CTRL_BOOT;
    int chip_regs = l->hello[AXON_PROTO_HELLO_PROTO_VERSION] >= PROTO_ROUTER_CFG_SINCE;
    for (int pass = 0; pass < 4; pass++)
        for (uint32_t y = 0; y < bh; y++)
            for (uint32_t x = 0; x < bw; x++)
                for (uint32_t c = 0; c < bc; c++) {
                    const uint32_t *m = NULL;
                    uint32_t nm = 0;
                    if (x < w && y < h && c < cpc)
                        axon_image_get_core(img, x, y, c, &m, &nm);
                    uint32_t t = axon_proto_target(AXON_PROTO_SPACE_CORE, x, y, c);
                    if (pass == 0)
                        rc = nm ? axon_link_write(l, t, AXON_CIF_MEM_BASE, m, nm)
                                : axon_link_write(l, t, AXON_CIF_MEM_BASE + AXON_CORE_H_MAGIC,
                                                  &zero, 1);
                    else if (pass == 1)
                        rc = axon_link_write(l, t, AXON_CIF_REG_BASE + AXON_CIF_REG_CTRL,
                                             &boot, 1);
                    else if (pass == 2 && c == 0 && chip_regs) {
                        uint32_t en = 0;
                        for (uint32_t k = 0; x < w && y < h && k < cpc; k++) {
                            axon_image_get_core(img, x, y, k, &m, &nm);
                            en |= (uint32_t)(nm > 0) << k;
                        }
                        rc = axon_link_write(l, axon_proto_target(AXON_PROTO_SPACE_CHIP_CFG, x, y, 0),
                                             AXON_CHIP_IF_REG_CORE_ENABLE, &en, 1);
                    } else if (pass == 3 && nm) { /* READY, or the core's refusal */
                        double deadline = now_s() + l->o.timeout_ms * 1e-3;
                        uint32_t st = 0, code = 0;
                        do {
                            rc = axon_link_read(l, t, AXON_CIF_REG_BASE + AXON_CIF_REG_STATUS,
                                                &st, 1);
                        } while (!rc && (st & AXON_CIF_STATUS_BUSY || !(st & (AXON_CIF_STATUS_READY |
                                                                       AXON_CIF_STATUS_ERROR))) &&
                                 now_s() < deadline);
                        if (!rc && st & AXON_CIF_STATUS_ERROR) {
                            axon_link_read(l, t, AXON_CIF_REG_BASE + AXON_CIF_REG_ERROR, &code, 1);
                            rc = lerr(l, AXON_ERR_UNSUPPORTED,
                                      "board '%s': core %u of chip (%u, %u) refused its memory "
                                      "at boot: core_if error %u", l->serial, c, x, y, code);
                        } else if (!rc && !(st & AXON_CIF_STATUS_READY))
                            rc = lerr(l, AXON_ERR_TIMEOUT,
                                      "board '%s': core %u of chip (%u, %u) did not finish "
                                      "booting in %d ms (status 0x%X)",
                                      l->serial, c, x, y, l->o.timeout_ms, st);
                    }
                    if (rc)
                        goto done;
                }
    l->st.fallback_loads++;
done:
    free(tgt);
    free(addr);
    free(cnt);
    free(data);
    free(kv);
    axon_image_destroy(img);
    return rc;
}

int axon_link_load(axon_link *l, const uint32_t *words, size_t n)
{
    if (!n || n > UINT32_MAX)
        return lerr(l, AXON_ERR_INVALID_ARG, "image of %zu words cannot be loaded", n);
    burst b = {.op = AXON_PROTO_OP_LOAD, .wr = words, .n = n};
    int rc = run_burst(l, &b);
    if (rc == AXON_ERR_UNSUPPORTED && l->last_st == AXON_PROTO_ST_OPCODE)
        rc = load_by_writes(l, words, n);
    return rc;
}

int axon_link_status(axon_link *l, uint32_t out[AXON_PROTO_BST_N])
{
    return simple(l, AXON_PROTO_OP_STATUS, NULL, 0, out, AXON_PROTO_BST_N, NULL);
}

int axon_link_reset(axon_link *l)
{
    int rc = simple(l, AXON_PROTO_OP_RESET, NULL, 0, NULL, 0, NULL);
    if (!rc) {
        l->stream_synced = 0;
        axon_deframer_clear(&l->rx[1]);
    }
    return rc;
}

int axon_link_stop(axon_link *l) { return simple(l, AXON_PROTO_OP_STOP, NULL, 0, NULL, 0, NULL); }

/* ------------------------------------------------------------------ running */
/* after a failure: hand over the stream frames the transport already holds (no waiting),
 * so that everything received before the fault is kept */
static void drain_stream(axon_link *l, axon_stream_fn fn, void *user)
{
    char keep[AXON_ERRMSG_LEN];
    snprintf(keep, sizeof keep, "%s", l->err);
    axon_frame f;
    int rc;
    while ((rc = recv_frame(l, 1, &f, now_s(), "stream drain")) > 0)
        if (rc == 1 && fn && f.opcode != AXON_PROTO_OP_RUN_DONE && fn(user, &f))
            break;
    snprintf(l->err, sizeof l->err, "%s", keep);
}

int axon_link_run(axon_link *l, uint32_t steps, uint32_t mode, uint32_t tick_us,
                  axon_stream_fn fn, void *user, uint32_t *done_step)
{
    uint32_t a[3] = {steps, mode, tick_us};
    int rc = simple(l, AXON_PROTO_OP_RUN, a, 3, NULL, 0, NULL);
    if (rc) {
        drain_stream(l, fn, user);
        return rc;
    }
    uint64_t lost0 = l->st.stream_lost, crc0 = l->st.stream_crc_errors;
    uint32_t last_step = UINT32_MAX;
    for (;;) {
        axon_frame f;
        rc = recv_frame(l, 1, &f, now_s() + l->o.timeout_ms * 1e-3, "RUN (stream)");
        if (rc < 0) {
            drain_stream(l, fn, user);
            return rc;
        }
        if (rc == 1) {
            if (!l->stream_synced) {
                l->stream_synced = 1;
                l->stream_expect = f.seq;
            }
            if (f.seq != l->stream_expect)
                l->st.stream_lost += (uint16_t)(f.seq - l->stream_expect);
            l->stream_expect = (uint16_t)(f.seq + 1);
            l->st.stream_frames++;
            if (f.opcode == AXON_PROTO_OP_RUN_DONE) {
                if (done_step)
                    *done_step = f.n ? f.payload[0] : 0;
                break;
            }
            if (fn && (rc = fn(user, &f)))
                return rc;
            continue;
        }
        if (rc == 2)
            continue; /* a corrupt stream frame: the sequence gap reports it */
        /* no stream data within the timeout: is the board alive and progressing? */
        uint32_t s[AXON_PROTO_BST_N];
        if ((rc = axon_link_status(l, s))) {
            drain_stream(l, fn, user);
            return rc;
        }
        if (s[AXON_PROTO_BST_STATE] != AXON_PROTO_STATE_RUNNING) {
            /* the run ended but its RUN_DONE was lost */
            l->st.stream_lost++;
            if (done_step)
                *done_step = s[AXON_PROTO_BST_STEP];
            break;
        }
        if (s[AXON_PROTO_BST_STEP] == last_step && mode == AXON_PROTO_MODE_BARRIER)
            return lerr(l, AXON_ERR_TIMEOUT,
                        "board '%s' makes no progress: still at step %u after %d ms", l->serial,
                        last_step, l->o.timeout_ms);
        last_step = s[AXON_PROTO_BST_STEP];
    }
    if (l->st.stream_lost != lost0)
        return lerr(l, AXON_ERR_TRANSPORT,
                    "board '%s': %llu recording-stream frame(s) lost (%llu corrupt, CRC); the "
                    "results of this run are incomplete",
                    l->serial, (unsigned long long)(l->st.stream_lost - lost0),
                    (unsigned long long)(l->st.stream_crc_errors - crc0));
    return AXON_OK;
}
