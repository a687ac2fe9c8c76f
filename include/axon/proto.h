/* The host <-> board protocol (docs/spec/protocol.md): CRC-32C, frame encoding and a
 * deframer that finds frames in a byte stream. One implementation shared by the host
 * (driver/link.c) and the C board model (driver/board.c). Constants: AXON_PROTO_* from
 * axon_spec.json ("protocol"). */
#ifndef AXON_PROTO_H
#define AXON_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "axon/error.h"
#include "axon_spec.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bytes of a frame carrying n payload words. */
#define AXON_PROTO_FRAME_BYTES(n) \
    (((size_t)AXON_PROTO_HEADER_WORDS + (size_t)(n) + AXON_PROTO_CRC_WORDS) * 4u)
#define AXON_PROTO_MAX_FRAME_BYTES AXON_PROTO_FRAME_BYTES(AXON_PROTO_MAX_PAYLOAD_WORDS)

/* CRC-32C (Castagnoli) of n bytes, continuing from crc (start with 0). */
uint32_t axon_crc32c(uint32_t crc, const void *buf, size_t n);

typedef struct axon_frame {
    uint8_t opcode, status, flags;
    uint16_t seq;
    uint32_t n;               /* payload words */
    const uint32_t *payload;  /* valid until the next deframer call */
} axon_frame;

/* Encode a frame whose payload is args followed by data (either may be empty) into out,
 * which holds AXON_PROTO_FRAME_BYTES(n_args + n_data) bytes. Returns the byte count. */
size_t axon_frame_encode(uint8_t *out, uint8_t opcode, uint16_t seq, uint8_t status,
                         uint8_t flags, const uint32_t *args, uint32_t n_args,
                         const uint32_t *data, uint32_t n_data);

/* A growable byte FIFO (bytes live in b[off, len)). */
typedef struct axon_bytes {
    uint8_t *b;
    size_t len, off, cap;
} axon_bytes;
int axon_bytes_push(axon_bytes *q, const void *p, size_t n);
/* take up to cap bytes; returns the count */
size_t axon_bytes_pop(axon_bytes *q, void *out, size_t cap);
static inline size_t axon_bytes_avail(const axon_bytes *q) { return q->len - q->off; }

/* Receive side: bytes in, frames out. */
typedef struct axon_deframer {
    axon_bytes q;
    uint32_t *words;       /* aligned copy of the last frame's payload */
    int in_error;          /* an error was reported since the last good frame */
    uint64_t crc_errors, malformed, oversize, skipped_bytes, frames;
} axon_deframer;

void axon_deframer_init(axon_deframer *d);
void axon_deframer_free(axon_deframer *d);
void axon_deframer_clear(axon_deframer *d);
int axon_deframer_push(axon_deframer *d, const void *bytes, size_t n);
/* Next event: 1 a good frame in *f; 0 more bytes needed; or a protocol status
 * (AXON_PROTO_ST_CRC, AXON_PROTO_ST_LENGTH) negated, for the first bad frame after a
 * good one, with *f holding its (untrusted) header. Bad data is skipped byte by byte until
 * the next valid frame (resynchronisation); only the first error of a run is reported. */
int axon_deframer_next(axon_deframer *d, axon_frame *f);

/* Generic text of a protocol status (AXON_PROTO_ST_*), never NULL. */
const char *axon_proto_status_name(unsigned status);
const char *axon_proto_opcode_name(unsigned opcode);

static inline uint32_t axon_proto_target(uint32_t space, uint32_t x, uint32_t y, uint32_t core)
{
    return (space & AXON_PROTO_TGT_SPACE_MASK) << AXON_PROTO_TGT_SPACE_LSB |
           (x & AXON_PROTO_TGT_X_MASK) << AXON_PROTO_TGT_X_LSB |
           (y & AXON_PROTO_TGT_Y_MASK) << AXON_PROTO_TGT_Y_LSB |
           (core & AXON_PROTO_TGT_CORE_MASK) << AXON_PROTO_TGT_CORE_LSB;
}

/* the fields of a target word (any pointer may be NULL) */
static inline void axon_proto_target_split(uint32_t t, uint32_t *space, uint32_t *x, uint32_t *y,
                                           uint32_t *core)
{
    if (space)
        *space = t >> AXON_PROTO_TGT_SPACE_LSB & AXON_PROTO_TGT_SPACE_MASK;
    if (x)
        *x = t >> AXON_PROTO_TGT_X_LSB & AXON_PROTO_TGT_X_MASK;
    if (y)
        *y = t >> AXON_PROTO_TGT_Y_LSB & AXON_PROTO_TGT_Y_MASK;
    if (core)
        *core = t >> AXON_PROTO_TGT_CORE_LSB & AXON_PROTO_TGT_CORE_MASK;
}

#ifdef __cplusplus
}
#endif
#endif
