/* The network of the RTL-board tests (tests/rtl/tb_board.cpp through the bridge model,
 * tests/vboard/test_vboard_rtl.c through libusb and the virtual board) and their check: a
 * spike array and a Poisson source driving LIF and Izhikevich cores on one chip of 4 cores,
 * spikes and v recorded; bn_run_check runs it on a board through the host's link in slices
 * and compares every core's recording words, core counters and the router's counters with
 * the golden engine (axon_machine_engine), bit for bit. C, usable from C++. */
#ifndef AXON_BOARD_NET_H
#define AXON_BOARD_NET_H

#include "axon/board.h"
#include "axon/link.h"

#ifdef __cplusplus
extern "C" {
#endif
#include "tnet.h"
#ifdef __cplusplus
}
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BN_CORES 4u
#define BN_STEPS 80u

static inline axon_image *bn_network(void)
{
    tnet *t = tnet_new(1, 1, BN_CORES, 1.0, 0);
    uint32_t ev[2 * 8 * BN_STEPS], ne = 0;
    for (uint32_t s = 1; s < BN_STEPS; s += 3)
        for (uint32_t i = 0; i < 8; i++)
            if ((s + i) % 5 < 2) {
                ev[2 * ne] = s;
                ev[2 * ne + 1] = i;
                ne++;
            }
    int arr = tnet_array(t, 0, 0, 0, 8, ev, ne, 0x10000, 1);
    int lif = tnet_neurons_uniform(t, 0, 0, 1, "IF_curr_exp", 32, NULL, NULL, 0x20000, 3, 1);
    int poi = tnet_poisson(t, 0, 0, 2, 16, 80.0, 0.0, 1000.0, 12345, 0x30000, 1);
    int izk = tnet_neurons_uniform(t, 0, 0, 3, "Izhikevich", 16, NULL, NULL, 0x40000, 3, 2);
    tnet_syn syn[64];
    for (uint32_t k = 0; k < 64; k++) {
        tnet_syn x = {k % 8, (k * 5) % 32, 1800 + 40 * (k % 7), 1 + k % 6,
                      (uint32_t)(k % 9 ? AXON_SYN_TYPE_EXC : AXON_SYN_TYPE_INH)};
        syn[k] = x;
    }
    tnet_connect(t, arr, lif, syn, 64, 0, 0);
    for (uint32_t k = 0; k < 48; k++) {
        tnet_syn x = {k % 32, k % 16, 2500, 1 + k % 3, AXON_SYN_TYPE_EXC};
        syn[k] = x;
    }
    tnet_connect(t, lif, izk, syn, 48, 0, 0);
    for (uint32_t k = 0; k < 32; k++) {
        tnet_syn x = {k % 16, (k * 3) % 16, 2000, 2, AXON_SYN_TYPE_EXC};
        syn[k] = x;
    }
    tnet_connect(t, poi, izk, syn, 32, 0, 0);
    axon_image *img = tnet_image(t);
    tnet_free(t);
    return img;
}

typedef struct bn_rec {
    uint32_t *w[BN_CORES];
    size_t n[BN_CORES], cap[BN_CORES];
} bn_rec;

static inline int bn_on_stream(void *u, const axon_frame *f)
{
    bn_rec *r = (bn_rec *)u;
    if (f->opcode != AXON_PROTO_OP_REC_DATA || f->n < 1)
        return 0;
    uint32_t c = f->payload[0] >> AXON_PROTO_TGT_CORE_LSB & AXON_PROTO_TGT_CORE_MASK;
    if (c >= BN_CORES)
        return 0;
    size_t k = f->n - 1;
    if (r->n[c] + k > r->cap[c]) {
        r->cap[c] = (r->n[c] + k) * 2;
        r->w[c] = (uint32_t *)realloc(r->w[c], r->cap[c] * sizeof(uint32_t));
    }
    memcpy(r->w[c] + r->n[c], f->payload + 1, k * 4);
    r->n[c] += k;
    return 0;
}

/* Runs the loaded image BN_STEPS steps in slices of 20 on the board behind l and on the
 * engine; the first difference goes to msg (cap bytes). Returns the number of differences
 * (0: identical); *words: recording words compared. */
static inline int bn_run_check(axon_link *l, axon_image *img, char *msg, size_t cap,
                               size_t *words)
{
    char err[AXON_ERRMSG_LEN] = "";
    void *m = NULL;
    int bad = 0;
    bn_rec rec;
    memset(&rec, 0, sizeof rec);
    *words = 0;
    msg[0] = 0;
#define BN_FAIL(...) (bad++ ? 0 : snprintf(msg, cap, __VA_ARGS__))
    if (axon_machine_engine.create(&m, img, err) || axon_machine_engine.run(m, BN_STEPS, err)) {
        BN_FAIL("engine: %s", err);
        return bad;
    }
    for (uint32_t s = 0, done = 0; s < BN_STEPS && !bad; s += 20)
        if (axon_link_run(l, 20, AXON_PROTO_MODE_BARRIER, 0, bn_on_stream, &rec, &done) ||
            done != s + 20)
            BN_FAIL("run to step %u: %s", s + 20, axon_link_last_error(l));
    for (uint32_t c = 0; c < BN_CORES && !bad; c++) {
        const uint32_t *w = NULL;
        size_t n = 0;
        axon_machine_engine.recording(m, 0, 0, c, &w, &n);
        *words += n;
        size_t k = 0;
        while (k < n && k < rec.n[c] && rec.w[c][k] == w[k])
            k++;
        if (k != n || rec.n[c] != n)
            BN_FAIL("core %u recording: %zu words from the board, %zu from the engine, first "
                    "difference at word %zu", c, rec.n[c], n, k);
        uint64_t want[AXON_CNT_CORE_N];
        uint32_t got[AXON_CNT_CORE_N];
        axon_machine_engine.core_counters(m, 0, 0, c, want);
        if (axon_link_read(l, axon_proto_target(AXON_PROTO_SPACE_CORE, 0, 0, c),
                           AXON_CIF_REG_BASE + AXON_CIF_REG_COUNTERS, got, AXON_CNT_CORE_N))
            BN_FAIL("counters of core %u: %s", c, axon_link_last_error(l));
        for (uint32_t i = 0; i < AXON_CNT_CORE_N; i++)
            if (got[i] != (uint32_t)want[i])
                BN_FAIL("core %u counter %u: board %u, engine %llu", c, i, got[i],
                        (unsigned long long)want[i]);
    }
    uint64_t want_rt[AXON_CNT_ROUTER_N];
    uint32_t got_rt[AXON_CNT_ROUTER_N];
    axon_machine_engine.router_counters(m, 0, 0, want_rt);
    if (!bad && axon_link_read(l, axon_proto_target(AXON_PROTO_SPACE_ROUTER, 0, 0, 0), 0,
                               got_rt, AXON_CNT_ROUTER_N))
        BN_FAIL("router counters: %s", axon_link_last_error(l));
    for (uint32_t i = 0; i < AXON_CNT_ROUTER_N && !bad; i++)
        if (got_rt[i] != (uint32_t)want_rt[i])
            BN_FAIL("router counter %u: board %u, engine %llu", i, got_rt[i],
                    (unsigned long long)want_rt[i]);
    if (!bad && (want_rt[AXON_CNT_ROUTER_MC_LOCAL] == 0 || *words < 200))
        BN_FAIL("a quiet network (%zu recording words, %llu packets) proves little", *words,
                (unsigned long long)want_rt[AXON_CNT_ROUTER_MC_LOCAL]);
#undef BN_FAIL
    for (uint32_t c = 0; c < BN_CORES; c++)
        free(rec.w[c]);
    axon_machine_engine.destroy(m);
    return bad;
}

#endif
