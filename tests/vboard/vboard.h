/* The virtual USB board for CI (docs/board.md): a umockdev testbed presenting n Axon boards
 * (USB descriptors, bulk endpoints) whose ioctl handler forwards bulk data to and from C
 * board models (driver/board.c). Unmodified libusb, hence driver/usb.c, talks to them as to
 * real boards. Faults can be injected on the USB side. Create it before any libusb_init
 * (it sets UMOCKDEV_DIR), and link with -lumockdev-preload (tests/CMakeLists.txt). */
#ifndef AXON_VBOARD_H
#define AXON_VBOARD_H

#include <stdint.h>

#include "axon/board.h"

typedef struct axon_vboard axon_vboard;

typedef enum axon_vb_fault {
    AXON_VB_NONE = 0,
    AXON_VB_DROP_REPLY,      /* the next reply's bytes vanish (host times out, retries) */
    AXON_VB_STALL_IN,        /* the next reply IN transfer completes with a stall (-EPIPE) */
    AXON_VB_STALL_OUT,       /* the next request OUT transfer stalls; its bytes are lost */
    AXON_VB_STALL_STREAM,    /* the next stream IN transfer stalls */
    AXON_VB_SHORT,           /* IN transfers carry at most 5 bytes (short transfers) */
    AXON_VB_ZLP,             /* IN transfers complete with zero bytes */
    AXON_VB_CORRUPT_REPLY,   /* one byte of the next reply is flipped (CRC error) */
    AXON_VB_CORRUPT_REQUEST, /* one byte of the next request is flipped (board NAKs) */
    AXON_VB_CORRUPT_STREAM,  /* one byte of the next stream transfer is flipped */
    AXON_VB_RESET,           /* the board power-cycles (image, state and handshake lost) */
    AXON_VB_UNPLUG           /* the device disappears: every transfer fails with ENODEV */
} axon_vb_fault;

/* n boards (serials AXONVB00, AXONVB01, ...). err: AXON_ERRMSG_LEN. */
int axon_vboard_create(axon_vboard **out, unsigned n, char *err);
/* the same; board i has one IN endpoint (a 245-mode FIFO bridge, replies and stream
 * interleaved on 0x81) when bit i of single_mask is set */
int axon_vboard_create_ex(axon_vboard **out, unsigned n, unsigned single_mask, char *err);
void axon_vboard_destroy(axon_vboard *vb);
/* Arm a fault on board i: it triggers after `after` further events of its kind (requests
 * for request faults, reply deliveries for reply faults, stream deliveries for stream,
 * reset and unplug faults) and applies `count` times. */
void axon_vboard_fault(axon_vboard *vb, unsigned i, axon_vb_fault f, uint32_t after,
                       uint32_t count);
/* Plug an unplugged board back in (it has lost power: empty, like after a reset). */
void axon_vboard_replug(axon_vboard *vb, unsigned i);
/* Replace board i's model by a fresh one on another machine (e.g. a synthetic one). */
int axon_vboard_set_machine(axon_vboard *vb, unsigned i, const axon_machine_ops *m, char *err);
/* Board status (AXON_PROTO_BST_*) read directly from the model. */
void axon_vboard_status(axon_vboard *vb, unsigned i, uint32_t out[AXON_PROTO_BST_N]);
/* IN/OUT URBs handled so far (all boards). */
uint64_t axon_vboard_urbs(axon_vboard *vb);

#endif
