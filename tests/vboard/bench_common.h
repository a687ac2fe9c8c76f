/* Shared by the board benchmarks (bench/bench_board.c, tests/vboard/bench_vboard.c): a
 * synthetic machine that produces `words` recording words per step on core (0,0,0) in no
 * time, so stream throughput measures the protocol and the transport only; and helpers. */
#ifndef AXON_BENCH_COMMON_H
#define AXON_BENCH_COMMON_H

#include "axon/board.h"
#include "axon/link.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static inline double bc_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

typedef struct synth {
    uint32_t per_step, step;
    uint32_t *buf;
    size_t n;
} synth;

static uint32_t synth_words_per_step = 4096;

static int synth_create(void **st, axon_image *img, char *err)
{
    (void)img;
    (void)err;
    synth *s = calloc(1, sizeof *s);
    if (!s)
        return AXON_ERR_NO_MEMORY;
    s->per_step = synth_words_per_step;
    *st = s;
    return AXON_OK;
}
/* one block per step: step, counts (no spikes, per_step-2 state words) */
static int synth_run(void *st, uint32_t steps, char *err)
{
    (void)err;
    synth *s = st;
    free(s->buf);
    s->n = (size_t)steps * s->per_step;
    s->buf = malloc(s->n * 4);
    if (!s->buf)
        return AXON_ERR_NO_MEMORY;
    for (uint32_t k = 0; k < steps; k++) {
        uint32_t *b = s->buf + (size_t)k * s->per_step;
        b[0] = s->step++;
        b[1] = (s->per_step - 2) << AXON_REC_COUNTS_N_STATE_LSB;
        for (uint32_t i = 2; i < s->per_step; i++)
            b[i] = i;
    }
    return AXON_OK;
}
static int synth_recording(void *st, uint32_t x, uint32_t y, uint32_t c, const uint32_t **w,
                           size_t *n)
{
    synth *s = st;
    *w = s->buf;
    *n = x || y || c ? 0 : s->n;
    return AXON_OK;
}
static int synth_drain(void *st, uint32_t x, uint32_t y, uint32_t c)
{
    synth *s = st;
    if (!x && !y && !c)
        s->n = 0;
    return AXON_OK;
}
static int synth_counters(void *st, uint32_t x, uint32_t y, uint32_t c, uint64_t *out)
{
    (void)st, (void)x, (void)y, (void)c;
    memset(out, 0, AXON_CNT_CORE_N * sizeof *out);
    return AXON_OK;
}
static int synth_router(void *st, uint32_t x, uint32_t y, uint64_t *out)
{
    (void)st, (void)x, (void)y;
    memset(out, 0, AXON_CNT_ROUTER_N * sizeof *out);
    return AXON_OK;
}
static int synth_state(void *st, uint32_t x, uint32_t y, uint32_t c, uint32_t n, uint32_t w,
                       uint32_t *out)
{
    (void)st, (void)x, (void)y, (void)c, (void)n, (void)w;
    *out = 0;
    return AXON_OK;
}
static void synth_destroy(void *st)
{
    synth *s = st;
    free(s->buf);
    free(s);
}
static const axon_machine_ops synth_machine = {
    .name = "synthetic", .create = synth_create, .run = synth_run,
    .recording = synth_recording, .drain = synth_drain, .core_counters = synth_counters,
    .router_counters = synth_router, .state_word = synth_state, .destroy = synth_destroy};

/* LOAD a minimal valid image (one chip, no cores used): enough to boot a machine */
static inline int bc_load_empty(axon_link *l)
{
    axon_image *img;
    uint32_t *w = NULL;
    size_t n = 0;
    int rc = axon_image_create(&img, 1, 1, 1, 0, 1000);
    if (!rc)
        rc = axon_image_to_buffer(img, &w, &n);
    axon_image_destroy(img);
    if (!rc)
        rc = axon_link_load(l, w, n);
    free(w);
    return rc;
}

static int bc_count(void *u, const axon_frame *f)
{
    *(uint64_t *)u += (uint64_t)(f->n - 1) * 4;
    return 0;
}

/* the core of chip (0,0) with the most memory words (for the 64 KiB bursts) */
static inline uint32_t bc_largest_core(const axon_image *img, uint32_t *words)
{
    uint32_t best = 0, bestn = 0;
    for (uint32_t c = 0; c < axon_image_cores_per_chip(img); c++) {
        const uint32_t *cw;
        uint32_t cn = 0;
        axon_image_get_core(img, 0, 0, c, &cw, &cn);
        if (cn > bestn) {
            bestn = cn;
            best = c;
        }
    }
    *words = bestn;
    return best;
}

/* 64 KiB READ and WRITE bursts to a core's memory (core c of chip (0,0), >= 16384 words):
 * payload bytes / wire bytes, both directions counted, and MiB/s */
static inline void bc_efficiency(axon_link *l, uint32_t core, const char *name)
{
    uint32_t *w = calloc(16384, 4);
    uint32_t t = axon_proto_target(AXON_PROTO_SPACE_CORE, 0, 0, core);
    const axon_link_stats *s = axon_link_get_stats(l);
    for (int op = 0; op < 2; op++) {
        axon_link_stats a = *s;
        int reps = 64, rc = 0;
        double t0 = bc_now();
        for (int i = 0; i < reps && !rc; i++)
            rc = op ? axon_link_write(l, t, 0, w, 16384) : axon_link_read(l, t, 0, w, 16384);
        double dt = bc_now() - t0;
        if (rc) {
            fprintf(stderr, "%s: %s\n", name, axon_link_last_error(l));
            break;
        }
        axon_link_stats b = *s;
        double pay = op ? (double)(b.payload_out - a.payload_out)
                        : (double)(b.payload_in - a.payload_in);
        double wire = (double)(b.bytes_out - a.bytes_out + b.bytes_in - a.bytes_in);
        printf("bench %s_efficiency op=%s transfer_kib=64 payload_bytes=%.0f wire_bytes=%.0f "
               "efficiency_pct=%.3f target_pct=95 mib_s=%.1f\n",
               name, op ? "write" : "read", pay, wire, 100.0 * pay / wire,
               pay / dt / 1048576.0);
    }
    free(w);
}

/* stream throughput: RUN steps on the synthetic machine, payload MiB/s received */
static inline void bc_stream(axon_link *l, uint32_t steps, const char *name)
{
    uint64_t bytes = 0;
    const axon_link_stats *s = axon_link_get_stats(l);
    uint64_t w0 = s->bytes_in;
    double t0 = bc_now();
    int rc = axon_link_run(l, steps, AXON_PROTO_MODE_BARRIER, 0, bc_count, &bytes, NULL);
    double dt = bc_now() - t0;
    if (rc) {
        fprintf(stderr, "%s: %s\n", name, axon_link_last_error(l));
        return;
    }
    printf("bench %s_stream steps=%u payload_mib=%.1f wire_mib=%.1f efficiency_pct=%.3f "
           "mib_s=%.1f\n",
           name, steps, bytes / 1048576.0, (s->bytes_in - w0) / 1048576.0,
           100.0 * (double)bytes / (double)(s->bytes_in - w0), bytes / dt / 1048576.0);
}

/* round-trip latency: STATUS requests one at a time */
static inline void bc_latency(axon_link *l, int n, const char *name)
{
    uint32_t st[AXON_PROTO_BST_N];
    double t0 = bc_now();
    for (int i = 0; i < n; i++)
        if (axon_link_status(l, st)) {
            fprintf(stderr, "%s: %s\n", name, axon_link_last_error(l));
            return;
        }
    printf("bench %s_latency requests=%d round_trip_us=%.1f\n", name, n,
           (bc_now() - t0) / n * 1e6);
}

#endif
