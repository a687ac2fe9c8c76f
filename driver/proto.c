/* Protocol primitives shared by host and board model (docs/spec/protocol.md). */
#include "axon/proto.h"

#include <stdlib.h>
#include <string.h>

/* the spec's copies of the axon_status values an RTL board puts in IMAGE details */
_Static_assert(AXON_PROTO_IMAGE_DETAIL_FORMAT == -AXON_ERR_FORMAT, "image_detail FORMAT");
_Static_assert(AXON_PROTO_IMAGE_DETAIL_UNSUPPORTED == -AXON_ERR_UNSUPPORTED,
               "image_detail UNSUPPORTED");
_Static_assert(AXON_PROTO_IMAGE_DETAIL_CAPACITY == -AXON_ERR_CAPACITY, "image_detail CAPACITY");
_Static_assert(AXON_PROTO_IMAGE_DETAIL_TIMEOUT == -AXON_ERR_TIMEOUT, "image_detail TIMEOUT");

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the protocol code assumes a little-endian host (frames are little-endian words)"
#endif

/* ------------------------------------------------------------------ CRC-32C */
/* Hardware CRC32 instruction when the compiler targets SSE4.2 (x86-64-v2, the release
 * build), otherwise a byte table generated from the spec's polynomial. Both compute the
 * same reflected CRC-32C; test_proto checks the spec's check value on both paths. */
static uint32_t crc_table[256];
static int crc_table_ready;

static void crc_init_table(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1u) ? (c >> 1) ^ AXON_PROTO_CRC_POLY : c >> 1;
        crc_table[i] = c;
    }
    crc_table_ready = 1;
}

uint32_t axon_crc32c_sw(uint32_t crc, const void *buf, size_t n);
uint32_t axon_crc32c_sw(uint32_t crc, const void *buf, size_t n)
{
    if (!crc_table_ready)
        crc_init_table();
    const uint8_t *p = buf;
    crc = ~crc;
    while (n--)
        crc = crc_table[(crc ^ *p++) & 0xFFu] ^ (crc >> 8);
    return ~crc;
}

uint32_t axon_crc32c(uint32_t crc, const void *buf, size_t n)
{
#if defined(__SSE4_2__) && defined(__x86_64__)
    const uint8_t *p = buf;
    uint64_t c = ~crc;
    while (n >= 8) {
        uint64_t v;
        memcpy(&v, p, 8);
        c = __builtin_ia32_crc32di(c, v);
        p += 8;
        n -= 8;
    }
    uint32_t c32 = (uint32_t)c;
    while (n--)
        c32 = __builtin_ia32_crc32qi(c32, *p++);
    return ~c32;
#else
    return axon_crc32c_sw(crc, buf, n);
#endif
}

/* ------------------------------------------------------------------ encoding */
size_t axon_frame_encode(uint8_t *out, uint8_t opcode, uint16_t seq, uint8_t status,
                         uint8_t flags, const uint32_t *args, uint32_t n_args,
                         const uint32_t *data, uint32_t n_data)
{
    uint32_t n = n_args + n_data;
    uint32_t h[2];
    h[0] = (uint32_t)AXON_PROTO_SYNC << AXON_PROTO_H0_SYNC_LSB |
           (uint32_t)opcode << AXON_PROTO_H0_OPCODE_LSB | (uint32_t)seq << AXON_PROTO_H0_SEQ_LSB;
    h[1] = (n & AXON_PROTO_H1_LENGTH_MASK) << AXON_PROTO_H1_LENGTH_LSB |
           (uint32_t)status << AXON_PROTO_H1_STATUS_LSB | (uint32_t)flags << AXON_PROTO_H1_FLAGS_LSB;
    size_t o = 0;
    memcpy(out, h, sizeof h);
    o += sizeof h;
    if (n_args) {
        memcpy(out + o, args, (size_t)n_args * 4);
        o += (size_t)n_args * 4;
    }
    if (n_data) {
        memcpy(out + o, data, (size_t)n_data * 4);
        o += (size_t)n_data * 4;
    }
    uint32_t crc = axon_crc32c(0, out, o);
    memcpy(out + o, &crc, 4);
    return o + 4;
}

/* ------------------------------------------------------------------ deframer */
int axon_bytes_push(axon_bytes *q, const void *p, size_t n)
{
    if (!n)
        return AXON_OK;
    if (q->off && q->off == q->len)
        q->off = q->len = 0;
    if (q->len + n > q->cap) {
        if (q->off) { /* compact first */
            memmove(q->b, q->b + q->off, q->len - q->off);
            q->len -= q->off;
            q->off = 0;
        }
        if (q->len + n > q->cap) {
            size_t cap = q->cap ? q->cap : 4096;
            while (cap < q->len + n)
                cap *= 2;
            uint8_t *b = realloc(q->b, cap);
            if (!b)
                return AXON_ERR_NO_MEMORY;
            q->b = b;
            q->cap = cap;
        }
    }
    memcpy(q->b + q->len, p, n);
    q->len += n;
    return AXON_OK;
}

size_t axon_bytes_pop(axon_bytes *q, void *out, size_t cap)
{
    size_t n = axon_bytes_avail(q) < cap ? axon_bytes_avail(q) : cap;
    if (!n)
        return 0;
    memcpy(out, q->b + q->off, n);
    q->off += n;
    return n;
}

void axon_deframer_init(axon_deframer *d) { memset(d, 0, sizeof *d); }

void axon_deframer_free(axon_deframer *d)
{
    free(d->q.b);
    free(d->words);
    memset(d, 0, sizeof *d);
}

void axon_deframer_clear(axon_deframer *d)
{
    d->q.len = d->q.off = 0;
    d->in_error = 0;
}

int axon_deframer_push(axon_deframer *d, const void *bytes, size_t n)
{
    return axon_bytes_push(&d->q, bytes, n);
}

static void parse_header(const uint8_t *p, axon_frame *f)
{
    uint32_t h0, h1;
    memcpy(&h0, p, 4);
    memcpy(&h1, p + 4, 4);
    f->opcode = (uint8_t)(h0 >> AXON_PROTO_H0_OPCODE_LSB & AXON_PROTO_H0_OPCODE_MASK);
    f->seq = (uint16_t)(h0 >> AXON_PROTO_H0_SEQ_LSB & AXON_PROTO_H0_SEQ_MASK);
    f->n = h1 >> AXON_PROTO_H1_LENGTH_LSB & AXON_PROTO_H1_LENGTH_MASK;
    f->status = (uint8_t)(h1 >> AXON_PROTO_H1_STATUS_LSB & AXON_PROTO_H1_STATUS_MASK);
    f->flags = (uint8_t)(h1 >> AXON_PROTO_H1_FLAGS_LSB & AXON_PROTO_H1_FLAGS_MASK);
    f->payload = NULL;
}

/* skip one byte of bad data; report the first error of a run */
static int skip_bad(axon_deframer *d, int status)
{
    d->q.off++;
    d->skipped_bytes++;
    if (d->in_error)
        return 0;
    d->in_error = 1;
    return -status;
}

int axon_deframer_next(axon_deframer *d, axon_frame *f)
{
    for (;;) {
        size_t avail = axon_bytes_avail(&d->q);
        if (avail < 8)
            return 0;
        const uint8_t *p = d->q.b + d->q.off;
        if (p[0] != AXON_PROTO_SYNC) {
            d->malformed++;
            d->q.off++;
            d->skipped_bytes++;
            continue;
        }
        parse_header(p, f);
        if (f->n > AXON_PROTO_MAX_PAYLOAD_WORDS) {
            d->oversize++;
            int r = skip_bad(d, AXON_PROTO_ST_LENGTH);
            if (r)
                return r;
            continue;
        }
        size_t fb = AXON_PROTO_FRAME_BYTES(f->n);
        if (avail < fb)
            return 0;
        uint32_t crc;
        memcpy(&crc, p + fb - 4, 4);
        if (axon_crc32c(0, p, fb - 4) != crc) {
            d->crc_errors++;
            int r = skip_bad(d, AXON_PROTO_ST_CRC);
            if (r)
                return r;
            continue;
        }
        /* good frame: copy the payload to aligned words */
        if (f->n) {
            uint32_t *w = realloc(d->words, (size_t)f->n * 4);
            if (!w)
                return AXON_ERR_NO_MEMORY;
            d->words = w;
            memcpy(w, p + 8, (size_t)f->n * 4);
            f->payload = w;
        }
        d->q.off += fb;
        d->in_error = 0;
        d->frames++;
        return 1;
    }
}

/* ------------------------------------------------------------------ names */
static const char *const st_names[] = AXON_PROTO_STATUS_NAMES_INIT;

const char *axon_proto_status_name(unsigned status)
{
    return status < sizeof st_names / sizeof *st_names ? st_names[status] : "UNKNOWN_STATUS";
}

const char *axon_proto_opcode_name(unsigned op)
{
    switch (op) {
    case AXON_PROTO_OP_HELLO: return "HELLO";
    case AXON_PROTO_OP_READ: return "READ";
    case AXON_PROTO_OP_WRITE: return "WRITE";
    case AXON_PROTO_OP_LOAD: return "LOAD";
    case AXON_PROTO_OP_RUN: return "RUN";
    case AXON_PROTO_OP_STOP: return "STOP";
    case AXON_PROTO_OP_STATUS: return "STATUS";
    case AXON_PROTO_OP_RESET: return "RESET";
    case AXON_PROTO_OP_REC_DATA: return "REC_DATA";
    case AXON_PROTO_OP_DROP_REPORT: return "DROP_REPORT";
    case AXON_PROTO_OP_RUN_DONE: return "RUN_DONE";
    default: return "UNKNOWN_OPCODE";
    }
}
