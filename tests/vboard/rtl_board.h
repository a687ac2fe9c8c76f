/* The RTL board behind a virtual USB board (AXON_BOARD=rtl, docs/board.md): the Verilated
 * rtl/board/axon_board.sv (axon_hostif + a 1 x 1 axon_mesh of 4 small cores: 64 neurons,
 * 2^14 words of core memory, 64 table entries) with the FT601 bridge model in front. The
 * bridge has one IN channel; its frames are split by their flags into replies (0) and
 * stream (1), as driver/usb.c does for such a bridge. */
#ifndef AXON_RTL_BOARD_H
#define AXON_RTL_BOARD_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct axon_rtlboard axon_rtlboard;

int axon_rtlboard_create(axon_rtlboard **out, char *err);
void axon_rtlboard_destroy(axon_rtlboard *b);
/* request bytes into the bridge */
void axon_rtlboard_write(axon_rtlboard *b, const void *buf, size_t n);
size_t axon_rtlboard_pending(axon_rtlboard *b, int ch);
size_t axon_rtlboard_read(axon_rtlboard *b, int ch, void *buf, size_t cap);
/* Clock the board until it has sent something new (at most a slice of cycles); returns
 * nonzero when something was sent. */
int axon_rtlboard_poll(axon_rtlboard *b);
/* something to do: a request not yet answered, or a run in progress */
int axon_rtlboard_busy(axon_rtlboard *b);
/* a run in progress (the board's running_o) */
int axon_rtlboard_running(axon_rtlboard *b);
void axon_rtlboard_power_cycle(axon_rtlboard *b);
uint64_t axon_rtlboard_cycles(const axon_rtlboard *b);

#ifdef __cplusplus
}
#endif
#endif
