/* The board model: the board's host-interface protocol engine in C (docs/board.md).
 *
 * It consumes the bytes the host sends (requests) and produces the bytes the board sends on
 * its two IN channels (0: replies, 1: the stream of recordings, drop reports and run-done
 * events), exactly as docs/spec/protocol.md specifies. Behind it sits a pluggable
 * "machine" that executes the loaded image: the golden engine (axon_machine_engine) or,
 * when the emulator is built, the Verilated RTL cores (axon_machine_emu). The virtual USB board (tests/vboard) and the direct
 * in-process transport (axon_xport_direct) both carry bytes to and from this model.
 * Not thread-safe: one caller at a time. */
#ifndef AXON_BOARD_H
#define AXON_BOARD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "axon/error.h"
#include "axon/image.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What executes the image. Counter values are the machine's own (64-bit here; the
 * protocol carries their low 32 bits, as the core's registers do). */
typedef struct axon_machine_ops {
    const char *name;
    int (*create)(void **st, axon_image *img, char *err); /* boot every core */
    int (*run)(void *st, uint32_t steps, char *err);
    int (*recording)(void *st, uint32_t x, uint32_t y, uint32_t c, const uint32_t **w,
                     size_t *n);
    int (*drain)(void *st, uint32_t x, uint32_t y, uint32_t c);
    int (*core_counters)(void *st, uint32_t x, uint32_t y, uint32_t c, uint64_t *out);
    int (*router_counters)(void *st, uint32_t x, uint32_t y, uint64_t *out);
    int (*state_word)(void *st, uint32_t x, uint32_t y, uint32_t c, uint32_t neuron,
                      uint32_t word, uint32_t *out);
    void (*destroy)(void *st);
    /* Optional (NULL: the board answers): a core register the machine itself holds
     * (AXON_CIF_REG_ERROR, AXON_CIF_REG_CYCLES), r relative to AXON_CIF_REG_BASE. */
    int (*reg_read)(void *st, uint32_t x, uint32_t y, uint32_t c, uint32_t r, uint32_t *out);
    /* Optional (NULL: the image's word): core-memory word `addr` as the machine holds it now
     * (the learned weights of plastic rows), what READ of core memory returns after a run. */
    int (*mem_word)(void *st, uint32_t x, uint32_t y, uint32_t c, uint32_t addr, uint32_t *out);
} axon_machine_ops;

/* The golden engine (models/) as the board's machine. */
extern const axon_machine_ops axon_machine_engine;

#ifdef AXON_HAVE_EMU
/* The emulator (emulator/, docs/emulator.md): every core a Verilated RTL neuron core loaded
 * and booted through its configuration bus. Defined in the emulator library (axon_emu), so
 * only code built with the emulator (AXON_HAVE_EMU) sees it; driver/ does not depend on it. */
extern const axon_machine_ops axon_machine_emu;
#endif

/* The machine called name: "engine", or "emu" when the emulator is built; NULL or "": the
 * engine. The environment variable AXON_BOARD_MACHINE names it for the virtual USB board
 * and usb-direct (docs/board.md). An unknown name: AXON_ERR_INVALID_ARG, err (AXON_ERRMSG_LEN)
 * names it. Inline so that the emulator is linked only into programs built with it. */
static inline int axon_machine_by_name(const char *name, const axon_machine_ops **out, char *err)
{
    *out = NULL;
    if (!name || !*name || !strcmp(name, "engine"))
        *out = &axon_machine_engine;
#ifdef AXON_HAVE_EMU
    else if (!strcmp(name, "emu"))
        *out = &axon_machine_emu;
#endif
    if (*out)
        return AXON_OK;
    if (err)
        snprintf(err, AXON_ERRMSG_LEN,
                 "unknown board machine '%s' (engine; emu when built with the emulator)", name);
    return AXON_ERR_INVALID_ARG;
}

typedef struct axon_board_config {
    const axon_machine_ops *machine; /* NULL: axon_machine_engine */
    const char *serial;              /* up to 16 characters */
    uint32_t rec_capacity;           /* words per core's recording buffer (reported) */
    uint32_t slice_steps;            /* steps executed per poll in barrier mode (0: 100) */
    size_t stream_limit;             /* bytes queued on the stream before frames drop (0: 64 MiB) */
    uint32_t max_data_words;         /* data words per READ/WRITE/LOAD (0: the spec's maximum);
                                        a smaller board announces it in HELLO */
    int single_channel;              /* stream frames on channel 0 with the replies, as a
                                        245-mode FIFO bridge (one IN endpoint) carries them */
} axon_board_config;

typedef struct axon_board axon_board;

int axon_board_create(axon_board **out, const axon_board_config *cfg, char *err);
void axon_board_destroy(axon_board *b);
/* Power-on reset: image, machine, sequence state and queues are lost; counters cleared. */
void axon_board_power_cycle(axon_board *b);

/* Bytes from the host (bulk OUT). Requests are executed as soon as they are complete. */
int axon_board_write(axon_board *b, const void *bytes, size_t n);
/* Advance a running RUN by one slice (barrier: slice_steps steps; real time: the ticks due
 * now). Returns 1 if work was done, 0 if idle. */
int axon_board_poll(axon_board *b);
/* Bytes waiting on channel ch (0 replies, 1 stream); take up to cap of them. */
size_t axon_board_pending(const axon_board *b, int ch);
size_t axon_board_read(axon_board *b, int ch, void *buf, size_t cap);
/* Board status words (AXON_PROTO_BST_*), as STATUS reports them. */
void axon_board_status(const axon_board *b, uint32_t out[AXON_PROTO_BST_N]);
const char *axon_board_serial(const axon_board *b);

#ifdef __cplusplus
}
#endif
#endif
