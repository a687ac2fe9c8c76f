/* A C model of an FT601-style synchronous FIFO bridge (245 mode, one channel), the FPGA's
 * view (docs/board.md, rtl/hostif/axon_hostif.sv): the host's bytes wait in a receive FIFO
 * (rxf_n low while a word is available; a word leaves at an edge with oe_n, rd_n and rxf_n
 * low), the FPGA's words enter a transmit FIFO (txe_n low while it has room; a word enters
 * at an edge with wr_n and txe_n low). Back-pressure both ways: in any cycle rxf_n / txe_n
 * are held high with probabilities p_rx_gap / p_tx_gap (USB scheduling, a full host buffer),
 * and the transmit FIFO holds at most tx_room words until the host drains it. */
#ifndef AXON_FT601_MODEL_H
#define AXON_FT601_MODEL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct ft601_model {
    uint32_t *rx;         /* host -> FPGA words */
    size_t rx_n, rx_head, rx_cap;
    uint32_t *tx;         /* FPGA -> host words not yet taken by the host */
    size_t tx_n, tx_cap;
    size_t tx_room;       /* transmit FIFO depth (words) */
    double p_rx_gap, p_tx_gap;
    uint64_t rng;
    int rxf_n, txe_n;     /* outputs of this cycle */
    uint64_t rx_words, tx_words, rx_stalls, tx_stalls;
    int bus_conflict;     /* wr_n and oe_n low together (never allowed) */
} ft601_model;

static inline double ft601_uniform(ft601_model *m)
{
    uint64_t z = (m->rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return (double)((z ^ (z >> 31)) >> 11) * (1.0 / 9007199254740992.0);
}

static inline void ft601_init(ft601_model *m, uint64_t seed, double p_rx_gap, double p_tx_gap,
                              size_t tx_room)
{
    memset(m, 0, sizeof *m);
    m->rng = seed;
    m->p_rx_gap = p_rx_gap;
    m->p_tx_gap = p_tx_gap;
    m->tx_room = tx_room;
    m->rxf_n = m->txe_n = 1;
}

static inline void ft601_free(ft601_model *m)
{
    free(m->rx);
    free(m->tx);
}

/* the host writes bytes (whole words) */
static inline void ft601_host_write(ft601_model *m, const void *bytes, size_t n)
{
    size_t w = n / 4;
    if (!w)
        return;
    if (m->rx_n + w > m->rx_cap) {
        m->rx_cap = (m->rx_n + w) * 2 + 64;
        m->rx = (uint32_t *)realloc(m->rx, m->rx_cap * 4);
    }
    memcpy(m->rx + m->rx_n, bytes, w * 4);
    m->rx_n += w;
}

/* the host takes everything the FPGA sent so far */
static inline size_t ft601_host_read(ft601_model *m, uint32_t *out, size_t cap)
{
    size_t n = m->tx_n < cap ? m->tx_n : cap;
    if (!n)
        return 0; /* nothing sent yet (m->tx may still be NULL) */
    memcpy(out, m->tx, n * 4);
    memmove(m->tx, m->tx + n, (m->tx_n - n) * 4);
    m->tx_n -= n;
    return n;
}

/* before the edge: this cycle's flags and the word on the bus */
static inline void ft601_drive(ft601_model *m, uint32_t *data)
{
    int rx_gap = ft601_uniform(m) < m->p_rx_gap, tx_gap = ft601_uniform(m) < m->p_tx_gap;
    m->rxf_n = !(m->rx_head < m->rx_n) || rx_gap;
    m->txe_n = !(m->tx_n < m->tx_room) || tx_gap;
    *data = m->rx_head < m->rx_n ? m->rx[m->rx_head] : 0xDEADBEEFu;
}

/* at the edge: the strobes the FPGA drove in this cycle */
static inline void ft601_edge(ft601_model *m, int oe_n, int rd_n, int wr_n, uint32_t data_o)
{
    if (!wr_n && !oe_n)
        m->bus_conflict = 1;
    if (!oe_n && !rd_n) {
        if (!m->rxf_n) {
            m->rx_head++;
            m->rx_words++;
        } else {
            m->rx_stalls++;
        }
    }
    if (!wr_n) {
        if (!m->txe_n) {
            if (m->tx_n == m->tx_cap) {
                m->tx_cap = m->tx_cap * 2 + 64;
                m->tx = (uint32_t *)realloc(m->tx, m->tx_cap * 4);
            }
            m->tx[m->tx_n++] = data_o;
            m->tx_words++;
        } else {
            m->tx_stalls++;
        }
    }
}

#endif
