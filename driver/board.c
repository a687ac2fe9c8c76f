/* The board model: protocol engine of the board's host interface (docs/spec/protocol.md)
 * in front of a pluggable machine (docs/board.md). */
#include "axon/board.h"
#include "axon/engine.h"
#include "axon/proto.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LOAD_MAX_WORDS (1u << 28) /* 1 GiB of image: beyond any board's memory */

typedef struct cached {
    int valid;
    uint16_t seq;
    uint8_t *b;
    size_t len, cap;
} cached;

struct axon_board {
    axon_board_config cfg;
    char serial[17];
    axon_deframer rx;
    axon_bytes out[2];
    int hello;
    uint16_t expect;
    cached cache[AXON_PROTO_WINDOW];
    uint32_t cache_next;
    /* the loaded image and its machine */
    uint32_t state;
    uint32_t *load;
    uint32_t load_total, load_got;
    axon_image *img;
    void *m;
    uint32_t step, target, mode, tick_us, stop_req;
    double next_tick;
    uint64_t *drop_prev; /* per chip: dropped packets already reported */
    uint32_t stream_seq;
    uint32_t cnt[AXON_PROTO_BST_N];
    uint8_t *frame;      /* encode buffer: one maximal frame */
    uint32_t *rd;        /* READ data buffer */
};

/* ------------------------------------------------------------------ engine machine */
static int eng_create(void **st, axon_image *img, char *err)
{
    axon_engine_opts o = {AXON_ARITH_FIXED, 1};
    return axon_engine_create((axon_engine **)st, img, &o, err);
}
static int eng_run(void *st, uint32_t steps, char *err)
{
    int rc = axon_engine_run(st, steps);
    if (rc && err)
        snprintf(err, AXON_ERRMSG_LEN, "%s", axon_engine_last_error(st));
    return rc;
}
static int eng_recording(void *st, uint32_t x, uint32_t y, uint32_t c, const uint32_t **w,
                         size_t *n)
{
    return axon_engine_recording(st, x, y, c, w, n);
}
static int eng_drain(void *st, uint32_t x, uint32_t y, uint32_t c)
{
    return axon_engine_recording_drain(st, x, y, c);
}
static int eng_core_counters(void *st, uint32_t x, uint32_t y, uint32_t c, uint64_t *out)
{
    return axon_engine_core_counters(st, x, y, c, out);
}
static int eng_router_counters(void *st, uint32_t x, uint32_t y, uint64_t *out)
{
    return axon_engine_router_counters(st, x, y, out);
}
static int eng_state_word(void *st, uint32_t x, uint32_t y, uint32_t c, uint32_t neuron,
                          uint32_t word, uint32_t *out)
{
    return axon_engine_state_word(st, x, y, c, neuron, word, out);
}
static int eng_mem_word(void *st, uint32_t x, uint32_t y, uint32_t c, uint32_t addr,
                        uint32_t *out)
{
    return axon_engine_mem_word(st, x, y, c, addr, out);
}
static void eng_destroy(void *st) { axon_engine_destroy(st); }

const axon_machine_ops axon_machine_engine = {
    .name = "engine",
    .create = eng_create,
    .run = eng_run,
    .recording = eng_recording,
    .drain = eng_drain,
    .core_counters = eng_core_counters,
    .router_counters = eng_router_counters,
    .state_word = eng_state_word,
    .destroy = eng_destroy,
    .mem_word = eng_mem_word,
};

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* ------------------------------------------------------------------ lifecycle */
static void unload(axon_board *b)
{
    if (b->m)
        b->cfg.machine->destroy(b->m);
    b->m = NULL;
    axon_image_destroy(b->img);
    b->img = NULL;
    free(b->load);
    b->load = NULL;
    free(b->drop_prev);
    b->drop_prev = NULL;
    b->load_total = b->load_got = 0;
    b->state = AXON_PROTO_STATE_IDLE;
    b->step = b->target = 0;
}

int axon_board_create(axon_board **out, const axon_board_config *cfg, char *err)
{
    *out = NULL;
    axon_board *b = calloc(1, sizeof *b);
    if (!b)
        goto fail_alloc;
    if (cfg)
        b->cfg = *cfg;
    if (!b->cfg.machine)
        b->cfg.machine = &axon_machine_engine;
    if (!b->cfg.slice_steps)
        b->cfg.slice_steps = 100;
    if (!b->cfg.stream_limit)
        b->cfg.stream_limit = (size_t)64 << 20;
    if (!b->cfg.max_data_words || b->cfg.max_data_words > AXON_PROTO_MAX_DATA_WORDS)
        b->cfg.max_data_words = AXON_PROTO_MAX_DATA_WORDS;
    if (!b->cfg.rec_capacity)
        b->cfg.rec_capacity = 1u << 16;
    snprintf(b->serial, sizeof b->serial, "%s", b->cfg.serial ? b->cfg.serial : "AXON0000");
    b->cfg.serial = b->serial;
    b->frame = malloc(AXON_PROTO_MAX_FRAME_BYTES);
    b->rd = malloc((size_t)AXON_PROTO_MAX_DATA_WORDS * 4);
    if (!b->frame || !b->rd)
        goto fail_buffers;
    axon_deframer_init(&b->rx);
    *out = b;
    return AXON_OK;
fail_buffers:
    free(b->frame);
    free(b->rd);
    free(b);
fail_alloc:
    if (err)
        snprintf(err, AXON_ERRMSG_LEN, "board model: out of memory");
    return AXON_ERR_NO_MEMORY;
}

void axon_board_destroy(axon_board *b)
{
    if (!b)
        return;
    unload(b);
    axon_deframer_free(&b->rx);
    for (int i = 0; i < 2; i++)
        free(b->out[i].b);
    for (int i = 0; i < (int)AXON_PROTO_WINDOW; i++)
        free(b->cache[i].b);
    free(b->frame);
    free(b->rd);
    free(b);
}

void axon_board_power_cycle(axon_board *b)
{
    unload(b);
    axon_deframer_clear(&b->rx);
    for (int i = 0; i < 2; i++)
        b->out[i].len = b->out[i].off = 0;
    for (int i = 0; i < (int)AXON_PROTO_WINDOW; i++)
        b->cache[i].valid = 0;
    b->hello = 0;
    b->stream_seq = 0;
    memset(b->cnt, 0, sizeof b->cnt);
}

const char *axon_board_serial(const axon_board *b) { return b->serial; }

size_t axon_board_pending(const axon_board *b, int ch)
{
    return axon_bytes_avail(&b->out[ch & 1]);
}

size_t axon_board_read(axon_board *b, int ch, void *buf, size_t cap)
{
    return axon_bytes_pop(&b->out[ch & 1], buf, cap);
}

void axon_board_status(const axon_board *b, uint32_t out[AXON_PROTO_BST_N])
{
    memcpy(out, b->cnt, sizeof b->cnt);
    out[AXON_PROTO_BST_STATE] = b->state;
    out[AXON_PROTO_BST_STEP] = b->step;
    out[AXON_PROTO_BST_RUN_TARGET] = b->target;
}

/* ------------------------------------------------------------------ replies */
static int reply(axon_board *b, const axon_frame *rq, uint8_t status, const uint32_t *args,
                 uint32_t n_args, const uint32_t *data, uint32_t n_data, int cache)
{
    size_t n = axon_frame_encode(b->frame, rq->opcode, rq->seq, status, AXON_PROTO_FLAG_REPLY,
                                 args, n_args, data, n_data);
    b->cnt[AXON_PROTO_BST_TX_FRAMES]++;
    if (cache) {
        cached *c = &b->cache[b->cache_next];
        b->cache_next = (b->cache_next + 1) % AXON_PROTO_WINDOW;
        if (c->cap < n) {
            uint8_t *p = realloc(c->b, n);
            if (!p) {
                c->valid = 0;
                return axon_bytes_push(&b->out[0], b->frame, n);
            }
            c->b = p;
            c->cap = n;
        }
        memcpy(c->b, b->frame, n);
        c->len = n;
        c->seq = rq->seq;
        c->valid = 1;
    }
    return axon_bytes_push(&b->out[0], b->frame, n);
}

static int reply_err(axon_board *b, const axon_frame *rq, uint8_t status, uint32_t detail,
                     int cache)
{
    return reply(b, rq, status, &detail, 1, NULL, 0, cache);
}

static void stream(axon_board *b, uint8_t op, const uint32_t *args, uint32_t n_args,
                   const uint32_t *data, uint32_t n_data)
{
    axon_frame f = {.opcode = op, .seq = (uint16_t)b->stream_seq++};
    size_t n = axon_frame_encode(b->frame, f.opcode, f.seq, 0, AXON_PROTO_FLAG_STREAM, args,
                                 n_args, data, n_data);
    axon_bytes *q = &b->out[b->cfg.single_channel ? 0 : 1];
    if (axon_bytes_avail(q) + n > b->cfg.stream_limit || axon_bytes_push(q, b->frame, n)) {
        b->cnt[AXON_PROTO_BST_STREAM_DROPPED]++;
        return;
    }
    b->cnt[AXON_PROTO_BST_STREAM_FRAMES]++;
}

/* ------------------------------------------------------------------ address space */
static int core_words(const axon_board *b, uint32_t x, uint32_t y, uint32_t c,
                      const uint32_t **w, uint32_t *n)
{
    if (!b->img || x >= axon_image_width(b->img) || y >= axon_image_height(b->img) ||
        c >= axon_image_cores_per_chip(b->img))
        return -1;
    return axon_image_get_core(b->img, x, y, c, w, n) ? -1 : 0;
}

static uint32_t log2_ceil(uint32_t v)
{
    uint32_t l = 0;
    while ((1ull << l) < v)
        l++;
    return l;
}

/* one word of the CORE space; returns a protocol status */
static int core_read(axon_board *b, uint32_t x, uint32_t y, uint32_t c, uint32_t a,
                     uint32_t *out)
{
    const uint32_t *w;
    uint32_t n;
    if (core_words(b, x, y, c, &w, &n))
        return AXON_PROTO_ST_ADDRESS;
    if (a < AXON_CIF_REG_BASE) {
        if (a >= n)
            return AXON_PROTO_ST_ADDRESS;
        /* the machine's word once booted (learned weights), else the loaded image's */
        if (!b->m || !b->cfg.machine->mem_word || b->cfg.machine->mem_word(b->m, x, y, c, a, out))
            *out = w[a];
        return AXON_PROTO_ST_OK;
    }
    if (a >= AXON_CIF_STATE_BASE) {
        uint32_t k = a - AXON_CIF_STATE_BASE;
        if (!b->m || !n ||
            b->cfg.machine->state_word(b->m, x, y, c, k / AXON_CIF_STATE_STRIDE,
                                       k % AXON_CIF_STATE_STRIDE, out))
            return AXON_PROTO_ST_ADDRESS;
        return AXON_PROTO_ST_OK;
    }
    uint32_t r = a - AXON_CIF_REG_BASE;
    uint64_t cnt[AXON_CNT_CORE_N];
    switch (r) {
    case AXON_CIF_REG_INFO:
        *out = (n ? w[AXON_CORE_H_N_NEURONS] & AXON_CIF_INFO_N_NEURONS_MASK : 0) |
               log2_ceil(n) << AXON_CIF_INFO_MEM_WORDS_LOG2_LSB |
               log2_ceil(b->cfg.rec_capacity) << AXON_CIF_INFO_REC_WORDS_LOG2_LSB;
        return AXON_PROTO_ST_OK;
    case AXON_CIF_REG_VERSION: *out = AXON_SPEC_VERSION; return AXON_PROTO_ST_OK;
    case AXON_CIF_REG_STATUS:
        *out = b->state == AXON_PROTO_STATE_RUNNING ? AXON_CIF_STATUS_BUSY
               : b->m                               ? AXON_CIF_STATUS_READY
                                                    : 0;
        return AXON_PROTO_ST_OK;
    case AXON_CIF_REG_STEP: *out = b->step; return AXON_PROTO_ST_OK;
    case AXON_CIF_REG_REC_AVAIL: {
        const uint32_t *rw;
        size_t rn = 0;
        if (b->m && n)
            b->cfg.machine->recording(b->m, x, y, c, &rw, &rn);
        *out = (uint32_t)rn;
        return AXON_PROTO_ST_OK;
    }
    case AXON_CIF_REG_REC_CAPACITY: *out = b->cfg.rec_capacity; return AXON_PROTO_ST_OK;
    case AXON_CIF_REG_ERROR:
    case AXON_CIF_REG_CYCLES:
        if (b->cfg.machine->reg_read && b->m && n)
            return b->cfg.machine->reg_read(b->m, x, y, c, r, out) ? AXON_PROTO_ST_ADDRESS
                                                                   : AXON_PROTO_ST_OK;
        *out = r == AXON_CIF_REG_ERROR ? AXON_CIF_ERR_NONE : 0;
        return AXON_PROTO_ST_OK;
    default:
        if (r >= AXON_CIF_REG_COUNTERS && r < AXON_CIF_REG_COUNTERS + AXON_CNT_CORE_N && b->m &&
            n && !b->cfg.machine->core_counters(b->m, x, y, c, cnt)) {
            *out = (uint32_t)cnt[r - AXON_CIF_REG_COUNTERS];
            return AXON_PROTO_ST_OK;
        }
        return AXON_PROTO_ST_ADDRESS;
    }
}

static int do_read(axon_board *b, const axon_frame *f)
{
    if (f->n != 3)
        return reply_err(b, f, AXON_PROTO_ST_MALFORMED, f->n, 1);
    uint32_t t = f->payload[0], a = f->payload[1], cnt = f->payload[2];
    if (cnt > b->cfg.max_data_words)
        return reply_err(b, f, AXON_PROTO_ST_LENGTH, cnt, 1);
    uint32_t space, x, y, c;
    axon_proto_target_split(t, &space, &x, &y, &c);
    if (!b->img)
        return reply_err(b, f, AXON_PROTO_ST_STATE, b->state, 1);
    for (uint32_t i = 0; i < cnt; i++) {
        int st;
        if (space == AXON_PROTO_SPACE_CORE) {
            st = core_read(b, x, y, c, a + i, &b->rd[i]);
        } else if (space == AXON_PROTO_SPACE_ROUTER) {
            uint64_t r[AXON_CNT_ROUTER_N];
            st = AXON_PROTO_ST_ADDRESS;
            if (a + i < AXON_CNT_ROUTER_N && b->m &&
                !b->cfg.machine->router_counters(b->m, x, y, r)) {
                b->rd[i] = (uint32_t)r[a + i];
                st = AXON_PROTO_ST_OK;
            }
        } else {
            st = AXON_PROTO_ST_ADDRESS;
        }
        if (st)
            return reply_err(b, f, (uint8_t)st, a + i, 1);
    }
    return reply(b, f, AXON_PROTO_ST_OK, NULL, 0, b->rd, cnt, 1);
}

static int boot(axon_board *b, char *err)
{
    if (b->m)
        b->cfg.machine->destroy(b->m);
    b->m = NULL;
    b->step = b->target = 0;
    int rc = b->cfg.machine->create(&b->m, b->img, err);
    if (rc) {
        b->m = NULL;
        return rc;
    }
    uint32_t chips = axon_image_width(b->img) * axon_image_height(b->img);
    free(b->drop_prev);
    b->drop_prev = calloc(chips, sizeof *b->drop_prev);
    if (!b->drop_prev)
        return AXON_ERR_NO_MEMORY;
    b->state = AXON_PROTO_STATE_READY;
    return AXON_OK;
}

static int do_write(axon_board *b, const axon_frame *f)
{
    if (f->n < 2)
        return reply_err(b, f, AXON_PROTO_ST_MALFORMED, f->n, 1);
    if (b->state == AXON_PROTO_STATE_RUNNING)
        return reply_err(b, f, AXON_PROTO_ST_BUSY, b->step, 1);
    if (!b->img)
        return reply_err(b, f, AXON_PROTO_ST_STATE, b->state, 1);
    uint32_t t = f->payload[0], a = f->payload[1], cnt = f->n - 2;
    if (cnt > b->cfg.max_data_words)
        return reply_err(b, f, AXON_PROTO_ST_LENGTH, cnt, 1);
    uint32_t space, x, y, c;
    axon_proto_target_split(t, &space, &x, &y, &c);
    const uint32_t *w;
    uint32_t n;
    if (space != AXON_PROTO_SPACE_CORE || core_words(b, x, y, c, &w, &n))
        return reply_err(b, f, AXON_PROTO_ST_ADDRESS, t, 1);
    if (a == AXON_CIF_REG_BASE + AXON_CIF_REG_CTRL && cnt == 1) {
        if (f->payload[2] & AXON_CIF_CTRL_BOOT) {
            /* the machine boots all cores together (docs/board.md) */
            if (boot(b, NULL))
                return reply_err(b, f, AXON_PROTO_ST_IMAGE, t, 1);
        }
        return reply(b, f, AXON_PROTO_ST_OK, NULL, 0, NULL, 0, 1);
    }
    if (a >= AXON_CIF_REG_BASE || (uint64_t)a + cnt > n)
        return reply_err(b, f, AXON_PROTO_ST_ADDRESS, a, 1);
    /* core memory: takes effect at the next BOOT, as on the hardware */
    uint32_t *copy = malloc((size_t)(n ? n : 1) * 4);
    if (!copy)
        return reply_err(b, f, AXON_PROTO_ST_BUSY, 0, 0);
    memcpy(copy, w, (size_t)n * 4);
    memcpy(copy + a, f->payload + 2, (size_t)cnt * 4);
    int rc = axon_image_set_core(b->img, x, y, c, copy, n);
    free(copy);
    if (rc)
        return reply_err(b, f, AXON_PROTO_ST_ADDRESS, a, 1);
    return reply(b, f, AXON_PROTO_ST_OK, NULL, 0, NULL, 0, 1);
}

static int do_load(axon_board *b, const axon_frame *f)
{
    if (f->n < 2)
        return reply_err(b, f, AXON_PROTO_ST_MALFORMED, f->n, 1);
    if (b->state == AXON_PROTO_STATE_RUNNING)
        return reply_err(b, f, AXON_PROTO_ST_BUSY, b->step, 1);
    uint32_t off = f->payload[0], total = f->payload[1], cnt = f->n - 2;
    if (total == 0 || total > LOAD_MAX_WORDS || cnt > b->cfg.max_data_words)
        return reply_err(b, f, AXON_PROTO_ST_LENGTH, total, 1);
    if (off == 0) {
        unload(b);
        b->load = malloc((size_t)total * 4);
        if (!b->load)
            return reply_err(b, f, AXON_PROTO_ST_LENGTH, total, 1);
        b->load_total = total;
        b->load_got = 0;
        b->state = AXON_PROTO_STATE_LOADING;
    }
    if (b->state != AXON_PROTO_STATE_LOADING || total != b->load_total)
        return reply_err(b, f, AXON_PROTO_ST_STATE, b->state, 1);
    if (off != b->load_got || (uint64_t)off + cnt > total)
        return reply_err(b, f, AXON_PROTO_ST_ARG, b->load_got, 1);
    memcpy(b->load + off, f->payload + 2, (size_t)cnt * 4);
    b->load_got += cnt;
    if (b->load_got < total)
        return reply(b, f, AXON_PROTO_ST_OK, &b->load_got, 1, NULL, 0, 1);
    /* complete: parse, validate and boot */
    char err[AXON_ERRMSG_LEN];
    axon_image *img = NULL;
    int rc = axon_image_from_buffer(&img, b->load, total, err);
    free(b->load);
    b->load = NULL;
    if (!rc) {
        b->img = img;
        rc = boot(b, err);
    }
    if (rc) {
        unload(b);
        return reply_err(b, f, AXON_PROTO_ST_IMAGE, (uint32_t)-rc, 1);
    }
    return reply(b, f, AXON_PROTO_ST_OK, &b->load_got, 1, NULL, 0, 1);
}

static int do_run(axon_board *b, const axon_frame *f)
{
    if (f->n != 3)
        return reply_err(b, f, AXON_PROTO_ST_MALFORMED, f->n, 1);
    if (b->state == AXON_PROTO_STATE_RUNNING)
        return reply_err(b, f, AXON_PROTO_ST_BUSY, b->step, 1);
    if (b->state != AXON_PROTO_STATE_READY)
        return reply_err(b, f, AXON_PROTO_ST_STATE, b->state, 1);
    uint32_t steps = f->payload[0], mode = f->payload[1], tick = f->payload[2];
    if (mode != AXON_PROTO_MODE_BARRIER && mode != AXON_PROTO_MODE_REALTIME)
        return reply_err(b, f, AXON_PROTO_ST_ARG, mode, 1);
    if (mode == AXON_PROTO_MODE_REALTIME && tick == 0)
        return reply_err(b, f, AXON_PROTO_ST_ARG, tick, 1);
    if ((uint64_t)b->step + steps > UINT32_MAX)
        return reply_err(b, f, AXON_PROTO_ST_ARG, steps, 1);
    b->target = b->step + steps;
    b->mode = mode;
    b->tick_us = tick;
    b->stop_req = 0;
    b->next_tick = now_s() + tick * 1e-6;
    b->state = AXON_PROTO_STATE_RUNNING;
    b->cnt[AXON_PROTO_BST_RUNS]++;
    return reply(b, f, AXON_PROTO_ST_OK, &b->target, 1, NULL, 0, 1);
}

static void execute(axon_board *b, const axon_frame *f)
{
    b->cnt[AXON_PROTO_BST_RX_FRAMES]++;
    if (f->opcode == AXON_PROTO_OP_HELLO) {
        uint32_t hv = f->n >= 1 ? f->payload[0] : 0;
        if (f->n < 1 || hv >> 16 != AXON_PROTO_VERSION_MAJOR) {
            uint32_t v = AXON_PROTO_VERSION;
            reply(b, f, f->n < 1 ? AXON_PROTO_ST_MALFORMED : AXON_PROTO_ST_VERSION, &v, 1,
                  NULL, 0, 0);
            return;
        }
        b->hello = 1;
        b->expect = (uint16_t)(f->seq + 1);
        for (int i = 0; i < (int)AXON_PROTO_WINDOW; i++)
            b->cache[i].valid = 0;
        uint32_t h[AXON_PROTO_HELLO_N] = {0};
        h[AXON_PROTO_HELLO_PROTO_VERSION] = AXON_PROTO_VERSION;
        h[AXON_PROTO_HELLO_SPEC_VERSION] = AXON_SPEC_VERSION;
        if (b->img) {
            h[AXON_PROTO_HELLO_WIDTH] = axon_image_width(b->img);
            h[AXON_PROTO_HELLO_HEIGHT] = axon_image_height(b->img);
            h[AXON_PROTO_HELLO_CORES_PER_CHIP] = axon_image_cores_per_chip(b->img);
        }
        h[AXON_PROTO_HELLO_MAX_DATA_WORDS] = b->cfg.max_data_words;
        h[AXON_PROTO_HELLO_WINDOW] = AXON_PROTO_WINDOW;
        h[AXON_PROTO_HELLO_REC_CAPACITY] = b->cfg.rec_capacity;
        memcpy(&h[AXON_PROTO_HELLO_SERIAL0], b->serial, 16);
        reply(b, f, AXON_PROTO_ST_OK, h, AXON_PROTO_HELLO_N, NULL, 0, 1);
        return;
    }
    if (!b->hello) {
        reply_err(b, f, AXON_PROTO_ST_STATE, 0xFFFFFFFFu, 0);
        return;
    }
    /* a retransmission of a request already executed: its reply again, not re-executed */
    for (int i = 0; i < (int)AXON_PROTO_WINDOW; i++)
        if (b->cache[i].valid && b->cache[i].seq == f->seq && f->seq != b->expect) {
            b->cnt[AXON_PROTO_BST_RX_DUPLICATES]++;
            axon_bytes_push(&b->out[0], b->cache[i].b, b->cache[i].len);
            return;
        }
    if (f->seq != b->expect) {
        b->cnt[AXON_PROTO_BST_RX_SEQ_ERRORS]++;
        reply_err(b, f, AXON_PROTO_ST_SEQUENCE, b->expect, 0);
        return;
    }
    b->expect++;
    if (f->flags) { /* a request never carries REPLY or STREAM */
        reply_err(b, f, AXON_PROTO_ST_MALFORMED, f->flags, 1);
        return;
    }
    switch (f->opcode) {
    case AXON_PROTO_OP_READ: do_read(b, f); break;
    case AXON_PROTO_OP_WRITE: do_write(b, f); break;
    case AXON_PROTO_OP_LOAD: do_load(b, f); break;
    case AXON_PROTO_OP_RUN: do_run(b, f); break;
    case AXON_PROTO_OP_STOP:
        if (b->state == AXON_PROTO_STATE_RUNNING) {
            b->stop_req = 1;
            b->cnt[AXON_PROTO_BST_STOPS]++;
        }
        reply(b, f, AXON_PROTO_ST_OK, &b->step, 1, NULL, 0, 1);
        break;
    case AXON_PROTO_OP_STATUS: {
        uint32_t s[AXON_PROTO_BST_N];
        axon_board_status(b, s);
        reply(b, f, AXON_PROTO_ST_OK, s, AXON_PROTO_BST_N, NULL, 0, 1);
        break;
    }
    case AXON_PROTO_OP_RESET:
        if (b->state == AXON_PROTO_STATE_RUNNING)
            reply_err(b, f, AXON_PROTO_ST_BUSY, b->step, 1);
        else if (!b->img)
            reply_err(b, f, AXON_PROTO_ST_STATE, b->state, 1);
        else if (boot(b, NULL))
            reply_err(b, f, AXON_PROTO_ST_IMAGE, 0, 1);
        else {
            b->stream_seq = 0;
            b->out[1].len = b->out[1].off = 0;
            reply(b, f, AXON_PROTO_ST_OK, NULL, 0, NULL, 0, 1);
        }
        break;
    default:
        reply_err(b, f, AXON_PROTO_ST_OPCODE, f->opcode, 1); /* nothing else changes */
        break;
    }
}

int axon_board_write(axon_board *b, const void *bytes_in, size_t n)
{
    int rc = axon_deframer_push(&b->rx, bytes_in, n);
    if (rc)
        return rc;
    axon_frame f;
    while ((rc = axon_deframer_next(&b->rx, &f)) != 0) {
        if (rc == 1) {
            execute(b, &f);
        } else if (rc == -(int)AXON_PROTO_ST_CRC || rc == -(int)AXON_PROTO_ST_LENGTH) {
            b->cnt[rc == -(int)AXON_PROTO_ST_CRC ? AXON_PROTO_BST_RX_CRC_ERRORS
                                                 : AXON_PROTO_BST_RX_MALFORMED]++;
            /* NAK with the (untrusted) seq: the host retransmits */
            size_t nb = axon_frame_encode(b->frame, f.opcode, f.seq, (uint8_t)-rc,
                                          AXON_PROTO_FLAG_REPLY | AXON_PROTO_FLAG_NAK, &f.n, 1,
                                          NULL, 0);
            b->cnt[AXON_PROTO_BST_TX_FRAMES]++;
            if ((rc = axon_bytes_push(&b->out[0], b->frame, nb)))
                return rc;
        } else if (rc < 0) {
            return rc;
        }
    }
    b->cnt[AXON_PROTO_BST_RX_MALFORMED] = (uint32_t)(b->rx.malformed + b->rx.oversize);
    return AXON_OK;
}

/* ------------------------------------------------------------------ running */
static void stream_results(axon_board *b)
{
    uint32_t w = axon_image_width(b->img), h = axon_image_height(b->img);
    uint32_t cpc = axon_image_cores_per_chip(b->img);
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            for (uint32_t c = 0; c < cpc; c++) {
                const uint32_t *rw;
                size_t rn;
                if (b->cfg.machine->recording(b->m, x, y, c, &rw, &rn) || !rn)
                    continue;
                uint32_t tgt = axon_proto_target(AXON_PROTO_SPACE_CORE, x, y, c);
                /* frames end on block boundaries (a lost frame loses whole blocks) */
                size_t o = 0, pos = 0;
                while (o < rn) {
                    axon_rec_block blk;
                    size_t end = o, p = pos;
                    size_t md = b->cfg.max_data_words;
                    while (axon_rec_next(rw, rn, &p, 0, &blk) == 1 && p - o <= md)
                        end = pos = p;
                    if (end == o) /* a block larger than a frame, or malformed: split */
                        end = pos = rn - o < md ? rn : o + md;
                    stream(b, AXON_PROTO_OP_REC_DATA, &tgt, 1, rw + o, (uint32_t)(end - o));
                    o = end;
                }
                b->cfg.machine->drain(b->m, x, y, c);
            }
            uint64_t r[AXON_CNT_ROUTER_N];
            if (b->cfg.machine->router_counters(b->m, x, y, r))
                continue;
            uint64_t d = r[AXON_CNT_ROUTER_DROPPED_LOCAL_UNMATCHED] +
                         r[AXON_CNT_ROUTER_DROPPED_NO_LINK] +
                         r[AXON_CNT_ROUTER_DROPPED_HOP_LIMIT];
            uint64_t *prev = &b->drop_prev[y * w + x];
            if (d != *prev) {
                uint32_t a[3] = {axon_proto_target(AXON_PROTO_SPACE_ROUTER, x, y, 0),
                                 (uint32_t)(d - *prev), b->step};
                stream(b, AXON_PROTO_OP_DROP_REPORT, a, 3, NULL, 0);
                *prev = d;
            }
        }
}

int axon_board_poll(axon_board *b)
{
    if (b->state != AXON_PROTO_STATE_RUNNING)
        return 0;
    uint32_t n = 0;
    if (!b->stop_req && b->step < b->target) {
        if (b->mode == AXON_PROTO_MODE_BARRIER) {
            n = b->target - b->step < b->cfg.slice_steps ? b->target - b->step
                                                         : b->cfg.slice_steps;
        } else {
            /* real time: one step per tick that is due; a tick missed by a whole period
             * is counted late (the step still runs: results stay those of barrier mode) */
            double t = now_s(), dt = b->tick_us * 1e-6;
            while (b->next_tick <= t && b->step + n < b->target) {
                n++;
                if (t - b->next_tick > dt)
                    b->cnt[AXON_PROTO_BST_LATE_TICKS]++;
                b->next_tick += dt;
            }
            if (!n)
                return 0;
        }
        char err[AXON_ERRMSG_LEN];
        if (b->cfg.machine->run(b->m, n, err)) {
            b->stop_req = 1; /* reported in RUN_DONE */
        } else {
            b->step += n;
        }
        stream_results(b);
    }
    if (b->stop_req || b->step >= b->target) {
        uint32_t a[4] = {b->step, b->target, b->stop_req, b->cnt[AXON_PROTO_BST_LATE_TICKS]};
        stream(b, AXON_PROTO_OP_RUN_DONE, a, 4, NULL, 0);
        b->state = AXON_PROTO_STATE_READY;
        b->stop_req = 0;
    }
    return 1;
}
