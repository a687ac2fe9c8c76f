/* The direct in-process transport: the same bytes as USB, handed straight to a board model
 * (the emulator's path; fast tests and benchmarks). The board advances while the host
 * waits for data, like a board running beside it. */
#include "axon/link.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int d_send(void *st, const void *buf, size_t n, int timeout_ms, char *err)
{
    (void)timeout_ms;
    int rc = axon_board_write(st, buf, n);
    if (rc && err)
        snprintf(err, AXON_ERRMSG_LEN, "board model: %s", axon_strerror(rc));
    return rc;
}

static int d_recv(void *st, int ch, void *buf, size_t cap, size_t *got, int timeout_ms,
                  char *err)
{
    (void)err;
    axon_board *b = st;
    double deadline = now_s() + timeout_ms * 1e-3;
    for (;;) {
        if (axon_board_pending(b, ch)) {
            *got = axon_board_read(b, ch, buf, cap);
            return AXON_OK;
        }
        if (!axon_board_poll(b)) {
            uint32_t s[AXON_PROTO_BST_N];
            axon_board_status(b, s);
            if (s[AXON_PROTO_BST_STATE] != AXON_PROTO_STATE_RUNNING || now_s() >= deadline)
                break; /* nothing will come (or not in time) */
            struct timespec ts = {0, 50000};
            nanosleep(&ts, NULL); /* real-time mode waiting for its next tick */
        }
    }
    *got = 0;
    return AXON_OK;
}

static int d_reconnect(void *st, char *err)
{
    (void)st;
    (void)err;
    return AXON_OK;
}

static void d_close(void *st) { (void)st; }

static const axon_xport_ops direct_ops = {"direct", d_send, d_recv, d_reconnect, d_close};

int axon_xport_direct(axon_xport *out, axon_board *board)
{
    out->ops = &direct_ops;
    out->st = board;
    return board ? AXON_OK : AXON_ERR_INVALID_ARG;
}
