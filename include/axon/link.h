/* The host side of the board protocol (docs/spec/protocol.md, docs/board.md): a transport
 * carrying bytes (libusb, or the direct in-process transport to a board model) and a link
 * that speaks the protocol over it: version handshake, sequence numbers, a window of
 * outstanding requests, per-request timeouts and retries, the recording stream. */
#ifndef AXON_LINK_H
#define AXON_LINK_H

#include <stddef.h>
#include <stdint.h>

#include "axon/board.h"
#include "axon/error.h"
#include "axon/proto.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- transports ----
 * Channel 0 carries replies, channel 1 the stream. recv returns AXON_OK with *got = 0 when
 * nothing arrived within timeout_ms. Errors: AXON_ERR_TRANSPORT for a fault the link may
 * retry (stall, already cleared; I/O error; overflow), AXON_ERR_TIMEOUT for a send that
 * did not complete, AXON_ERR_NOT_FOUND when the board is gone (unplugged). err receives
 * a message (AXON_ERRMSG_LEN). */
typedef struct axon_xport_ops {
    const char *name;
    int (*send)(void *st, const void *buf, size_t n, int timeout_ms, char *err);
    int (*recv)(void *st, int ch, void *buf, size_t cap, size_t *got, int timeout_ms,
                char *err);
    int (*reconnect)(void *st, char *err); /* find the same board again (by serial) */
    void (*close)(void *st);
} axon_xport_ops;

typedef struct axon_xport {
    const axon_xport_ops *ops;
    void *st;
} axon_xport;

/* Direct in-process transport to a board model (not owned; must outlive the transport). */
int axon_xport_direct(axon_xport *out, axon_board *board);

/* libusb transport (driver/usb.c): the first board with the spec's VID/PID whose serial
 * matches (NULL: any). Claims the interface and queues the stream's IN transfers. */
int axon_xport_usb(axon_xport *out, const char *serial, char *err);

typedef struct axon_usb_board {
    uint8_t bus, address;
    uint16_t vid, pid;
    char serial[64];
    char product[64];
} axon_usb_board;
/* Boards present on the USB buses (VID/PID of the spec). *out is malloc'ed. */
int axon_usb_list(axon_usb_board **out, size_t *n, char *err);

/* ---- the link ---- */
typedef struct axon_link axon_link;

typedef struct axon_link_opts {
    int timeout_ms;  /* per request (0: AXON_PROTO_TIMEOUT_MS) */
    int retries;     /* per request (0: AXON_PROTO_RETRIES; -1: none) */
    uint32_t window; /* outstanding requests (0: AXON_PROTO_WINDOW) */
} axon_link_opts;

typedef struct axon_link_stats {
    uint64_t requests, retransmits, naks, reply_crc_errors, timeouts, stalls;
    uint64_t stream_frames, stream_lost, stream_crc_errors;
    uint64_t bytes_out, bytes_in, payload_out, payload_in; /* wire bytes and data words x4 */
    uint64_t fallback_loads; /* images written core by core: the board has no LOAD */
} axon_link_stats;

/* Opens the link over x (owned from now on, closed by axon_link_close even on failure)
 * and performs the HELLO handshake. */
int axon_link_open(axon_link **out, axon_xport x, const axon_link_opts *opts, char *err);
void axon_link_close(axon_link *l);
const char *axon_link_last_error(const axon_link *l);
/* The board's HELLO words (AXON_PROTO_HELLO_*) and serial. */
const uint32_t *axon_link_hello(const axon_link *l);
const char *axon_link_serial(const axon_link *l);
const axon_link_stats *axon_link_get_stats(const axon_link *l);
/* Find the board again after an unplug or a board reset and repeat the handshake. */
int axon_link_reconnect(axon_link *l);

/* Burst access: target = axon_proto_target(space, x, y, core), addr a core_if word address.
 * Any length: split into AXON_PROTO_MAX_DATA_WORDS requests kept in flight by the window. */
int axon_link_read(axon_link *l, uint32_t target, uint32_t addr, uint32_t *w, size_t n);
int axon_link_write(axon_link *l, uint32_t target, uint32_t addr, const uint32_t *w, size_t n);
/* Many short reads kept in flight together (each n[i] <= the chunk size): e.g. every
 * core's counters after a run in one window-pipelined exchange. */
int axon_link_readv(axon_link *l, uint32_t count, const uint32_t *target, const uint32_t *addr,
                    const uint32_t *n, uint32_t *const *out);
/* Load a machine image (axon_image_to_buffer words) in chunks; the board boots it. A board
 * that answers LOAD with OPCODE (an older bitstream) gets the image written instead: router
 * tables through space ROUTER_CFG, core memories with WRITE, ctrl.BOOT to every core, boots
 * polled (stats fallback_loads counts these). */
int axon_link_load(axon_link *l, const uint32_t *words, size_t n);
int axon_link_status(axon_link *l, uint32_t out[AXON_PROTO_BST_N]);
int axon_link_reset(axon_link *l);
int axon_link_stop(axon_link *l);

/* Run n steps (mode AXON_PROTO_MODE_*; tick_us for real time) and receive the stream until
 * RUN_DONE. fn sees every REC_DATA and DROP_REPORT frame in order; a non-zero return stops
 * the wait with that status. Lost stream frames make the run fail (AXON_ERR_TRANSPORT)
 * after everything received was delivered. *done_step (may be NULL) is the board's step. */
typedef int (*axon_stream_fn)(void *user, const axon_frame *f);
int axon_link_run(axon_link *l, uint32_t steps, uint32_t mode, uint32_t tick_us,
                  axon_stream_fn fn, void *user, uint32_t *done_step);

/* One raw request (conformance tests): the reply's status is returned in *status and its
 * payload copied to reply (up to cap words; *n_reply the full count). Retries as usual. */
int axon_link_request(axon_link *l, uint8_t opcode, const uint32_t *args, uint32_t n_args,
                      uint8_t *status, uint32_t *reply, uint32_t cap, uint32_t *n_reply);

#ifdef __cplusplus
}
#endif
#endif
