/* The board protocol (docs/spec/protocol.md): CRC and framing, the board model's
 * conformance (malformed frames, wrong sequence, unknown opcode, oversize length, bad CRC:
 * the specified error and no change of state), the host link over the direct transport,
 * and the usb-direct backend against ref bit for bit. */
#include "runnet.h"

#include "axon/board.h"
#include "axon/engine.h"
#include "axon/link.h"
#include "axon/proto.h"

#include <criterion/criterion.h>
#include <stdio.h>

#define NET(f) AXON_SOURCE_DIR "/examples/networks/" f

uint32_t axon_crc32c_sw(uint32_t crc, const void *buf, size_t n);

Test(proto, crc32c_check_value_on_both_paths)
{
    const char *s = "123456789";
    cr_expect_eq(axon_crc32c(0, s, 9), AXON_PROTO_CRC_CHECK);
    cr_expect_eq(axon_crc32c_sw(0, s, 9), AXON_PROTO_CRC_CHECK);
    /* incremental = whole; hardware = table on odd lengths and offsets */
    uint8_t buf[1001];
    for (int i = 0; i < 1001; i++)
        buf[i] = (uint8_t)(i * 131 + 7);
    uint32_t whole = axon_crc32c(0, buf, 1001);
    cr_expect_eq(axon_crc32c(axon_crc32c(0, buf, 333), buf + 333, 668), whole);
    cr_expect_eq(axon_crc32c_sw(0, buf, 1001), whole);
}

Test(proto, frames_survive_byte_by_byte_delivery_and_garbage)
{
    uint8_t out[4 * 64];
    uint32_t args[2] = {0xDEADBEEF, 7}, data[3] = {1, 2, 3};
    size_t n = axon_frame_encode(out + 3, AXON_PROTO_OP_WRITE, 0xBEEF, 0, 0, args, 2, data, 3);
    cr_assert_eq(n, AXON_PROTO_FRAME_BYTES(5));
    out[0] = 0x5A; /* garbage that starts like a header */
    out[1] = 0x11;
    out[2] = 0x22;
    axon_deframer d;
    axon_deframer_init(&d);
    axon_frame f;
    int got = 0;
    for (size_t i = 0; i < n + 3; i++) {
        axon_deframer_push(&d, out + i, 1);
        int r;
        while ((r = axon_deframer_next(&d, &f)) != 0) {
            if (r != 1)
                continue;
            got++;
            cr_expect_eq(f.opcode, AXON_PROTO_OP_WRITE);
            cr_expect_eq(f.seq, 0xBEEF);
            cr_expect_eq(f.n, 5);
            cr_expect_eq(f.payload[0], 0xDEADBEEF);
            cr_expect_eq(f.payload[4], 3);
        }
    }
    cr_expect_eq(got, 1);
    axon_deframer_free(&d);
}

Test(proto, corrupt_and_oversize_frames_are_reported_once_then_resynchronised)
{
    uint8_t a[64], b[64];
    size_t na = axon_frame_encode(a, AXON_PROTO_OP_STATUS, 1, 0, 0, NULL, 0, NULL, 0);
    size_t nb = axon_frame_encode(b, AXON_PROTO_OP_STATUS, 2, 0, 0, NULL, 0, NULL, 0);
    a[5] ^= 0x40; /* length field: 0x4000 words still <= max: waits, then CRC fails */
    a[5] ^= 0x40;
    a[9] ^= 1;    /* CRC byte */
    axon_deframer d;
    axon_deframer_init(&d);
    axon_deframer_push(&d, a, na);
    axon_deframer_push(&d, b, nb);
    axon_frame f;
    cr_expect_eq(axon_deframer_next(&d, &f), -(int)AXON_PROTO_ST_CRC);
    cr_expect_eq(f.seq, 1);
    cr_expect_eq(axon_deframer_next(&d, &f), 1);
    cr_expect_eq(f.seq, 2);
    /* an oversize length */
    uint32_t h[2] = {AXON_PROTO_SYNC | AXON_PROTO_OP_READ << 8 | 9u << 16,
                     AXON_PROTO_MAX_PAYLOAD_WORDS + 1};
    axon_deframer_push(&d, h, 8);
    cr_expect_eq(axon_deframer_next(&d, &f), -(int)AXON_PROTO_ST_LENGTH);
    cr_expect_eq(f.seq, 9);
    axon_deframer_free(&d);
}

/* ---------------------------------------------------------------- board conformance */
typedef struct fixture {
    axon_ctx *ctx;
    axon_image *img;
    axon_board *b;
    axon_link *l;
    axon_deframer rx;
} fixture;

static void fx_open_cfg(fixture *x, const char *net, uint32_t max_data);
static void fx_open(fixture *x, const char *net) { fx_open_cfg(x, net, 0); }

static void fx_open_cfg(fixture *x, const char *net, uint32_t max_data)
{
    memset(x, 0, sizeof *x);
    axon_netfile_run nr;
    cr_assert_eq(axon_create(&x->ctx), AXON_OK);
    cr_assert_eq(axon_load_network(x->ctx, net, &nr), AXON_OK, "%s", axon_last_error(x->ctx));
    x->img = axon_machine_image(x->ctx);
    cr_assert_not_null(x->img);
    char err[AXON_ERRMSG_LEN];
    axon_board_config cfg = {.serial = "TESTBOARD", .slice_steps = 10,
                             .max_data_words = max_data};
    cr_assert_eq(axon_board_create(&x->b, &cfg, err), AXON_OK, "%s", err);
    axon_xport t;
    axon_xport_direct(&t, x->b);
    cr_assert_eq(axon_link_open(&x->l, t, NULL, err), AXON_OK, "%s", err);
    uint32_t *w;
    size_t n;
    cr_assert_eq(axon_image_to_buffer(x->img, &w, &n), AXON_OK);
    cr_assert_eq(axon_link_load(x->l, w, n), AXON_OK, "%s", axon_link_last_error(x->l));
    free(w);
    axon_deframer_init(&x->rx);
}

static void fx_close(fixture *x)
{
    axon_link_close(x->l);
    axon_board_destroy(x->b);
    axon_deframer_free(&x->rx);
    axon_destroy(x->ctx);
}

/* send raw bytes; return the first reply frame (payload copied to pl) */
static axon_frame raw(fixture *x, const void *bytes, size_t n, uint32_t *pl)
{
    cr_assert_eq(axon_board_write(x->b, bytes, n), AXON_OK);
    uint8_t buf[1 << 16];
    size_t got = axon_board_read(x->b, 0, buf, sizeof buf);
    axon_deframer_push(&x->rx, buf, got);
    axon_frame f;
    memset(&f, 0, sizeof f);
    int r;
    while ((r = axon_deframer_next(&x->rx, &f)) < 0)
        ;
    cr_assert_eq(r, 1, "the board must reply");
    if (pl && f.n)
        memcpy(pl, f.payload, f.n * 4);
    return f;
}

static axon_frame req(fixture *x, uint8_t op, uint16_t seq, const uint32_t *a, uint32_t na,
                      uint32_t *pl)
{
    uint8_t buf[256];
    size_t n = axon_frame_encode(buf, op, seq, 0, 0, a, na, NULL, 0);
    return raw(x, buf, n, pl);
}

/* the state the conformance cases must not change: status words (minus the receive
 * counters), the step, core memory and counters of core (0,0,0) */
typedef struct snap {
    uint32_t st[AXON_PROTO_BST_N];
    uint32_t mem[64], cnt[AXON_CNT_CORE_N];
} snap;

static void take(fixture *x, snap *s)
{
    cr_assert_eq(axon_link_status(x->l, s->st), AXON_OK, "%s", axon_link_last_error(x->l));
    uint32_t t = axon_proto_target(AXON_PROTO_SPACE_CORE, 0, 0, 0);
    cr_assert_eq(axon_link_read(x->l, t, 0, s->mem, 64), AXON_OK, "%s",
                 axon_link_last_error(x->l));
    cr_assert_eq(axon_link_read(x->l, t, AXON_CIF_REG_BASE + AXON_CIF_REG_COUNTERS, s->cnt,
                                AXON_CNT_CORE_N), AXON_OK);
}

static void expect_same(const snap *a, const snap *b)
{
    cr_expect_eq(a->st[AXON_PROTO_BST_STATE], b->st[AXON_PROTO_BST_STATE]);
    cr_expect_eq(a->st[AXON_PROTO_BST_STEP], b->st[AXON_PROTO_BST_STEP]);
    cr_expect_eq(a->st[AXON_PROTO_BST_RUNS], b->st[AXON_PROTO_BST_RUNS]);
    cr_expect_arr_eq(a->mem, b->mem, sizeof a->mem);
    cr_expect_arr_eq(a->cnt, b->cnt, sizeof a->cnt);
}

/* the next sequence number the board expects (from a SEQUENCE reply) */
static uint16_t expected_seq(fixture *x)
{
    uint32_t pl[4];
    axon_frame f = req(x, AXON_PROTO_OP_STATUS, 0x7777, NULL, 0, pl);
    if (f.status == AXON_PROTO_ST_SEQUENCE)
        return (uint16_t)pl[0];
    return 0x7778; /* 0x7777 happened to be right */
}

Test(conformance, every_bad_request_gets_its_error_and_changes_nothing)
{
    fixture x;
    fx_open(&x, NET("small.json"));
    cr_assert_eq(axon_link_run(x.l, 7, AXON_PROTO_MODE_BARRIER, 0, NULL, NULL, NULL), AXON_OK);
    snap s0, s1;
    take(&x, &s0);
    uint32_t pl[64];
    uint16_t seq = expected_seq(&x);

    /* wrong sequence: SEQUENCE, detail = the expected number */
    axon_frame f = req(&x, AXON_PROTO_OP_STATUS, (uint16_t)(seq + 5), NULL, 0, pl);
    cr_expect_eq(f.status, AXON_PROTO_ST_SEQUENCE);
    cr_expect_eq(pl[0], seq);
    /* malformed: READ with two argument words */
    uint32_t t = axon_proto_target(AXON_PROTO_SPACE_CORE, 0, 0, 0);
    uint32_t a2[2] = {t, 0};
    f = req(&x, AXON_PROTO_OP_READ, seq++, a2, 2, pl);
    cr_expect_eq(f.status, AXON_PROTO_ST_MALFORMED);
    cr_expect(f.flags & AXON_PROTO_FLAG_REPLY);
    /* a request carrying the REPLY flag */
    uint8_t buf[512];
    size_t n = axon_frame_encode(buf, AXON_PROTO_OP_STATUS, seq++, 0, AXON_PROTO_FLAG_REPLY,
                                 NULL, 0, NULL, 0);
    f = raw(&x, buf, n, pl);
    cr_expect_eq(f.status, AXON_PROTO_ST_MALFORMED);
    /* unknown opcode */
    f = req(&x, 0x42, seq++, NULL, 0, pl);
    cr_expect_eq(f.status, AXON_PROTO_ST_OPCODE);
    cr_expect_eq(pl[0], 0x42);
    /* oversize READ count and oversize frame length */
    uint32_t a3[3] = {t, 0, AXON_PROTO_MAX_DATA_WORDS + 1};
    f = req(&x, AXON_PROTO_OP_READ, seq++, a3, 3, pl);
    cr_expect_eq(f.status, AXON_PROTO_ST_LENGTH);
    uint32_t h[2] = {AXON_PROTO_SYNC | AXON_PROTO_OP_WRITE << 8 | (uint32_t)seq << 16,
                     AXON_PROTO_MAX_PAYLOAD_WORDS + 1};
    f = raw(&x, h, 8, pl);
    cr_expect_eq(f.status, AXON_PROTO_ST_LENGTH);
    cr_expect_eq(f.seq, seq);
    cr_expect(f.flags & AXON_PROTO_FLAG_NAK);
    axon_deframer_clear(&x.rx);
    /* only the first error of a run of bad bytes is answered: a good frame ends the run */
    f = req(&x, AXON_PROTO_OP_STATUS, seq++, NULL, 0, pl);
    cr_expect_eq(f.status, AXON_PROTO_ST_OK);
    /* a bad CRC: NAK with the received sequence number */
    n = axon_frame_encode(buf, AXON_PROTO_OP_RESET, seq, 0, 0, NULL, 0, NULL, 0);
    buf[n - 1] ^= 0x80;
    f = raw(&x, buf, n, pl);
    cr_expect_eq(f.status, AXON_PROTO_ST_CRC);
    cr_expect_eq(f.seq, seq);
    cr_expect(f.flags & AXON_PROTO_FLAG_NAK);
    /* out-of-range address, run with a bad mode */
    uint32_t a4[3] = {axon_proto_target(AXON_PROTO_SPACE_CORE, 200, 0, 0), 0, 1};
    f = req(&x, AXON_PROTO_OP_READ, seq++, a4, 3, pl);
    cr_expect_eq(f.status, AXON_PROTO_ST_ADDRESS);
    uint32_t a5[3] = {10, 9, 0};
    f = req(&x, AXON_PROTO_OP_RUN, seq++, a5, 3, pl);
    cr_expect_eq(f.status, AXON_PROTO_ST_ARG);
    /* a new link (HELLO resets the sequence) sees the state of before */
    axon_link_close(x.l);
    axon_xport tr;
    axon_xport_direct(&tr, x.b);
    char err[AXON_ERRMSG_LEN];
    cr_assert_eq(axon_link_open(&x.l, tr, NULL, err), AXON_OK, "%s", err);
    take(&x, &s1);
    expect_same(&s0, &s1);
    cr_expect_geq(s1.st[AXON_PROTO_BST_RX_SEQ_ERRORS], 1);
    cr_expect_geq(s1.st[AXON_PROTO_BST_RX_CRC_ERRORS], 1);
    fx_close(&x);
}

Test(conformance, handshake_version_and_duplicates)
{
    char err[AXON_ERRMSG_LEN];
    fixture x;
    memset(&x, 0, sizeof x);
    axon_board_config cfg = {.serial = "B"};
    cr_assert_eq(axon_board_create(&x.b, &cfg, err), AXON_OK);
    axon_deframer_init(&x.rx);
    uint32_t pl[64];
    /* before HELLO: STATE, detail all ones */
    axon_frame f = req(&x, AXON_PROTO_OP_STATUS, 0, NULL, 0, pl);
    cr_expect_eq(f.status, AXON_PROTO_ST_STATE);
    cr_expect_eq(pl[0], 0xFFFFFFFFu);
    /* another major version: VERSION, detail = the board's version */
    uint32_t v = (AXON_PROTO_VERSION_MAJOR + 1) << 16;
    f = req(&x, AXON_PROTO_OP_HELLO, 0, &v, 1, pl);
    cr_expect_eq(f.status, AXON_PROTO_ST_VERSION);
    cr_expect_eq(pl[0], AXON_PROTO_VERSION);
    v = AXON_PROTO_VERSION;
    f = req(&x, AXON_PROTO_OP_HELLO, 100, &v, 1, pl);
    cr_expect_eq(f.status, AXON_PROTO_ST_OK);
    cr_expect_eq(pl[AXON_PROTO_HELLO_WINDOW], AXON_PROTO_WINDOW);
    cr_expect_str_eq((char *)&pl[AXON_PROTO_HELLO_SERIAL0], "B");
    /* a duplicate of the last request: the same reply, not executed again */
    f = req(&x, AXON_PROTO_OP_STOP, 101, NULL, 0, pl);
    cr_expect_eq(f.status, AXON_PROTO_ST_OK);
    f = req(&x, AXON_PROTO_OP_STOP, 101, NULL, 0, pl);
    cr_expect_eq(f.status, AXON_PROTO_ST_OK);
    f = req(&x, AXON_PROTO_OP_STATUS, 102, NULL, 0, pl);
    cr_expect_eq(pl[AXON_PROTO_BST_RX_DUPLICATES], 1);
    cr_expect_eq(pl[AXON_PROTO_BST_STATE], AXON_PROTO_STATE_IDLE);
    /* RUN without an image: STATE */
    uint32_t a[3] = {1, 0, 0};
    f = req(&x, AXON_PROTO_OP_RUN, 103, a, 3, pl);
    cr_expect_eq(f.status, AXON_PROTO_ST_STATE);
    axon_board_destroy(x.b);
    axon_deframer_free(&x.rx);
}

/* ---------------------------------------------------------------- the link */
Test(link, burst_read_write_across_chunks_and_registers)
{
    fixture x;
    fx_open(&x, NET("tutorial.json"));
    /* every used core's memory reads back as the image holds it (several chunks) */
    size_t max = 0;
    uint32_t cpc = axon_image_cores_per_chip(x.img);
    for (uint32_t c = 0; c < cpc; c++) {
        const uint32_t *w;
        uint32_t n;
        axon_image_get_core(x.img, 0, 0, c, &w, &n);
        if (!n)
            continue;
        uint32_t *r = malloc(n * 4u);
        uint32_t t = axon_proto_target(AXON_PROTO_SPACE_CORE, 0, 0, c);
        cr_assert_eq(axon_link_read(x.l, t, 0, r, n), AXON_OK, "%s", axon_link_last_error(x.l));
        cr_expect_arr_eq(r, w, n * 4u, "core %u memory", c);
        if (n > max)
            max = n;
        /* write it back (same words) through the window, read one register */
        cr_assert_eq(axon_link_write(x.l, t, 0, r, n), AXON_OK, "%s", axon_link_last_error(x.l));
        uint32_t ver;
        cr_assert_eq(axon_link_read(x.l, t, AXON_CIF_REG_BASE + AXON_CIF_REG_VERSION, &ver, 1),
                     AXON_OK);
        cr_expect_eq(ver, AXON_SPEC_VERSION);
        free(r);
    }
    cr_expect_gt(max, AXON_PROTO_MAX_DATA_WORDS, "the tutorial has a multi-chunk core");
    /* writes to a read-only register are refused, naming the address */
    uint32_t one = 1, t = axon_proto_target(AXON_PROTO_SPACE_CORE, 0, 0, 0);
    cr_expect_eq(axon_link_write(x.l, t, AXON_CIF_REG_BASE + AXON_CIF_REG_STEP, &one, 1),
                 AXON_ERR_RANGE);
    cr_expect(strstr(axon_link_last_error(x.l), "ADDRESS"), "%s", axon_link_last_error(x.l));
    /* and the link carries on */
    uint32_t s[AXON_PROTO_BST_N];
    cr_expect_eq(axon_link_status(x.l, s), AXON_OK, "%s", axon_link_last_error(x.l));
    fx_close(&x);
}

/* a board with a smaller buffer: the link learns its chunk size from HELLO */
Test(link, a_smaller_board_sets_the_chunk_size)
{
    fixture x;
    fx_open_cfg(&x, NET("tutorial.json"), 1000);
    cr_expect_eq(axon_link_hello(x.l)[AXON_PROTO_HELLO_MAX_DATA_WORDS], 1000);
    const uint32_t *w;
    uint32_t n;
    axon_image_get_core(x.img, 0, 0, 0, &w, &n);
    cr_assert_gt(n, 1000);
    uint32_t *r = malloc(n * 4u);
    cr_assert_eq(axon_link_read(x.l, axon_proto_target(AXON_PROTO_SPACE_CORE, 0, 0, 0), 0, r, n),
                 AXON_OK, "%s", axon_link_last_error(x.l));
    cr_expect_arr_eq(r, w, n * 4u);
    free(r);
    /* and the board refuses more */
    uint8_t st;
    uint32_t a[3] = {axon_proto_target(AXON_PROTO_SPACE_CORE, 0, 0, 0), 0, 1001};
    cr_assert_eq(axon_link_request(x.l, AXON_PROTO_OP_READ, a, 3, &st, NULL, 0, NULL), AXON_OK);
    cr_expect_eq(st, AXON_PROTO_ST_LENGTH);
    fx_close(&x);
}

typedef struct cnt {
    uint64_t frames, words;
} cnt;
static int count_stream(void *u, const axon_frame *f)
{
    cnt *c = u;
    c->frames++;
    c->words += f->n - 1;
    return 0;
}

Test(link, registers_and_counters_match_the_engine_after_a_run)
{
    fixture x;
    fx_open(&x, NET("small.json"));
    cnt c = {0, 0};
    uint32_t step = 0;
    cr_assert_eq(axon_link_run(x.l, 50, AXON_PROTO_MODE_BARRIER, 0, count_stream, &c, &step),
                 AXON_OK, "%s", axon_link_last_error(x.l));
    cr_expect_eq(step, 50);
    cr_expect_gt(c.words, 0);
    /* the same image on the engine directly */
    axon_engine *e;
    axon_engine_opts o = {AXON_ARITH_FIXED, 1};
    char err[AXON_ERRMSG_LEN];
    cr_assert_eq(axon_engine_create(&e, x.img, &o, err), AXON_OK, "%s", err);
    cr_assert_eq(axon_engine_run(e, 50), AXON_OK);
    for (uint32_t core = 0; core < axon_image_cores_per_chip(x.img); core++) {
        const uint32_t *w;
        uint32_t n;
        axon_image_get_core(x.img, 0, 0, core, &w, &n);
        if (!n)
            continue;
        uint64_t ec[AXON_CNT_CORE_N];
        uint32_t bc[AXON_CNT_CORE_N], st;
        axon_engine_core_counters(e, 0, 0, core, ec);
        uint32_t t = axon_proto_target(AXON_PROTO_SPACE_CORE, 0, 0, core);
        cr_assert_eq(axon_link_read(x.l, t, AXON_CIF_REG_BASE + AXON_CIF_REG_COUNTERS, bc,
                                    AXON_CNT_CORE_N), AXON_OK);
        for (int i = 0; i < (int)AXON_CNT_CORE_N; i++)
            cr_expect_eq(bc[i], (uint32_t)ec[i], "core %u counter %d", core, i);
        cr_assert_eq(axon_link_read(x.l, t, AXON_CIF_REG_BASE + AXON_CIF_REG_STEP, &st, 1),
                     AXON_OK);
        cr_expect_eq(st, 50);
        /* live state of neuron 0 */
        uint32_t sw, ew;
        if (axon_engine_state_word(e, 0, 0, core, 0, 0, &ew) == AXON_OK) {
            cr_assert_eq(axon_link_read(x.l, t, AXON_CIF_STATE_BASE, &sw, 1), AXON_OK);
            cr_expect_eq(sw, ew);
        }
    }
    axon_engine_destroy(e);
    fx_close(&x);
}

Test(link, realtime_mode_gives_the_barrier_results_and_stop_ends_a_run)
{
    fixture a, b;
    fx_open(&a, NET("small.json"));
    fx_open(&b, NET("small.json"));
    cnt ca = {0, 0}, cb = {0, 0};
    cr_assert_eq(axon_link_run(a.l, 30, AXON_PROTO_MODE_BARRIER, 0, count_stream, &ca, NULL),
                 AXON_OK);
    cr_assert_eq(axon_link_run(b.l, 30, AXON_PROTO_MODE_REALTIME, 200, count_stream, &cb, NULL),
                 AXON_OK, "%s", axon_link_last_error(b.l));
    cr_expect_eq(ca.words, cb.words);
    uint32_t s[AXON_PROTO_BST_N];
    cr_assert_eq(axon_link_status(b.l, s), AXON_OK);
    cr_expect_eq(s[AXON_PROTO_BST_STEP], 30);
    /* STOP: a long run ends early, at a slice boundary, with RUN_DONE */
    uint8_t st;
    uint32_t args[3] = {100000, AXON_PROTO_MODE_BARRIER, 0};
    cr_assert_eq(axon_link_request(a.l, AXON_PROTO_OP_RUN, args, 3, &st, NULL, 0, NULL), AXON_OK);
    cr_expect_eq(st, AXON_PROTO_ST_OK);
    cr_assert_eq(axon_link_stop(a.l), AXON_OK, "%s", axon_link_last_error(a.l));
    for (int i = 0; i < 10; i++) { /* the board ends the run at its next slice boundary */
        cr_assert_eq(axon_link_status(a.l, s), AXON_OK);
        if (s[AXON_PROTO_BST_STATE] == AXON_PROTO_STATE_READY)
            break;
        uint8_t buf[256];
        axon_board_read(a.b, 1, buf, 0);
        axon_board_poll(a.b);
    }
    cr_expect_eq(s[AXON_PROTO_BST_STOPS], 1);
    cr_expect_lt(s[AXON_PROTO_BST_STEP], 30 + 100000);
    cr_expect_eq(s[AXON_PROTO_BST_STATE], AXON_PROTO_STATE_READY);
    fx_close(&a);
    fx_close(&b);
}

/* ---------------------------------------------------------------- the backend */
Test(backend, usb_direct_matches_ref_bit_for_bit)
{
    const char *nets[] = {NET("small.json"), NET("tutorial.json")};
    for (int i = 0; i < 2; i++) {
        rn_result a, b;
        cr_assert_eq(rn_run(nets[i], "ref", 0, NULL, &a), AXON_OK, "%s", a.err);
        cr_assert_eq(rn_run(nets[i], "usb-direct", 0, NULL, &b), AXON_OK, "%s", b.err);
        char why[256] = "";
        cr_expect(rn_equal(&a, &b, why, sizeof why), "%s: %s", nets[i], why);
        cr_expect_gt(a.st.spikes, 0);
        rn_free(&a);
        rn_free(&b);
    }
}
