/* The golden router: one chip's SpiNNaker-compatible router at packet level
 * (docs/spec/routing.md, "Router hardware"), the reference the router RTL is checked against
 * (tests/rtl/tb_router.cpp) and the definition of every rule that decides where a packet
 * goes: multicast first-match lookup, default routing, local-unmatched drops, fixed-route,
 * point-to-point and nearest-neighbour packets, parity and timestamp errors, emergency
 * routing around a blocked link (and its second leg and reverting at the next routers),
 * drops after the wait timers, the dump and error latches and the 16 diagnostic counters.
 *
 * Time is not modelled: an output is either free (it takes the packet before any wait
 * timer expires) or declared blocked (it never takes it). The state is the configuration
 * register file of the RTL (router_if in axon_spec.json): the same register writes load
 * both. Callable from C++ (the Verilator harness). */
#ifndef AXON_ROUTER_H
#define AXON_ROUTER_H

#include <stdint.h>

#include "axon/error.h"
#include "axon/image.h"
#include "axon_spec.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Ports: 0..5 links E NE N W SW S, 6 + c local core c (the route word's bit layout). */
#define AXON_ROUTER_MAX_PORTS (AXON_ROUTER_LINKS + AXON_ROUTER_MAX_CORES)

typedef struct axon_router axon_router;

/* A packet on a port: control byte (routing.md), key, payload (used only with the
 * control byte's payload bit). */
typedef struct axon_packet {
    uint8_t ctrl;
    uint32_t key;
    uint32_t payload;
} axon_packet;

/* Where one packet went. */
typedef struct axon_router_result {
    uint32_t n_out;
    /* copies sent, in the order each output sees them (an emergency detour may send a
     * second copy on a link that already took the normal one) */
    uint8_t port[2 * AXON_ROUTER_MAX_PORTS];
    axon_packet out[2 * AXON_ROUTER_MAX_PORTS];
    uint32_t reason;      /* AXON_RIF_DROP_REASONS_*: NONE, an error, or TIMEOUT (dumped) */
    uint32_t dumped;      /* route-word mask of the outputs that timed out */
    uint32_t default_routed;
} axon_router_result;

/* Control byte helpers (routing.md): odd parity over the whole 40/72-bit packet. */
uint32_t axon_packet_parity_ok(const axon_packet *p);
/* Sets bit 0 of p->ctrl so that the packet has odd parity. */
void axon_packet_set_parity(axon_packet *p);

/* The multicast rule shared with the golden engine: first (lowest-index) entry with
 * (key & mask) == entry key. Returns 1 and the route on a match, 0 otherwise. */
int axon_mc_lookup(const axon_route_entry *e, uint32_t n, uint32_t key, uint32_t *route);

/* Cycles a wait register value stands for (SpiNNaker encoding: M = w[3:0], E = w[7:4];
 * E <= 4: (M + 16 - 2^(4-E)) * 2^E, else (M + 16) * 2^E); AXON_RIF_WAIT_FOREVER -> UINT32_MAX. */
uint32_t axon_router_wait_cycles(uint32_t w);

/* A router with n_cores local cores (1..AXON_ROUTER_MAX_CORES) in its reset state: every
 * multicast entry never matches, P2P entries drop, waits forever, default diagnostic
 * filters, counters 0. */
int axon_router_create(axon_router **out, uint32_t n_cores);
void axon_router_destroy(axon_router *r);
const char *axon_router_last_error(const axon_router *r);

/* Configuration access with the RTL's register map (AXON_RIF_*, word addresses).
 * Unknown addresses: AXON_ERR_RANGE (the RTL ignores writes and reads 0). */
int axon_router_write(axon_router *r, uint32_t addr, uint32_t data);
int axon_router_read(axon_router *r, uint32_t addr, uint32_t *data);
/* Convenience: load a multicast table (entries beyond n never match). */
int axon_router_load_table(axon_router *r, const axon_route_entry *e, uint32_t n);

/* Route one packet arriving on in_port. Outputs in the route-word mask `blocked` never
 * take a packet; every other output takes it before any timer expires. Updates counters,
 * latches and the result. AXON_ERR_STATE if the packet would wait forever (a blocked output
 * with wait1 or, after an emergency detour, wait2 = AXON_RIF_WAIT_FOREVER): hardware would
 * stall. */
int axon_router_packet(axon_router *r, uint32_t in_port, const axon_packet *p,
                       uint32_t blocked, axon_router_result *res);

#ifdef __cplusplus
}
#endif
#endif
