/* The golden router at packet level (axon/router.h, docs/spec/routing.md "Router
 * hardware"): every rule that decides where a packet goes, the latches and the diagnostic
 * counters. Expected values come from the spec's rules, written out by hand per case. */
#include "axon/router.h"

#include <criterion/criterion.h>

#define CORE(c) (1u << (AXON_ROUTE_CORE_LSB + (c)))
#define LINK(l) (1u << (l))
#define PCORE(c) (AXON_ROUTER_LINKS + (c))

static axon_router *mk(uint32_t n_cores)
{
    axon_router *r;
    cr_assert_eq(axon_router_create(&r, n_cores), AXON_OK);
    return r;
}

static axon_packet pkt(uint32_t type, uint32_t em, uint32_t ts, uint32_t key, int payload,
                       uint32_t pl)
{
    axon_packet p = {(uint8_t)(type << 6 | em << 4 | ts << 2 | (payload ? 2 : 0)), key, pl};
    axon_packet_set_parity(&p);
    return p;
}

static axon_packet mc(uint32_t key)
{
    return pkt(AXON_PKT_TYPE_MC, 0, 0, key, 0, 0);
}

static void entry(axon_router *r, uint32_t i, uint32_t key, uint32_t mask, uint32_t route)
{
    cr_assert_eq(axon_router_write(r, AXON_RIF_REG_MC_KEY, key), AXON_OK);
    cr_assert_eq(axon_router_write(r, AXON_RIF_REG_MC_MASK, mask), AXON_OK);
    cr_assert_eq(axon_router_write(r, AXON_RIF_MC_ROUTE_BASE + i, route), AXON_OK);
}

static uint32_t rd(axon_router *r, uint32_t addr)
{
    uint32_t v;
    cr_assert_eq(axon_router_read(r, addr, &v), AXON_OK);
    return v;
}

/* route-word mask of the ports a result went to */
static uint32_t outmask(const axon_router_result *res)
{
    uint32_t m = 0;
    for (uint32_t i = 0; i < res->n_out; i++)
        m |= res->port[i] < AXON_ROUTER_LINKS ? LINK(res->port[i]) : CORE(res->port[i] - AXON_ROUTER_LINKS);
    return m;
}

static uint32_t em_on(const axon_router_result *res, uint32_t port)
{
    for (uint32_t i = 0; i < res->n_out; i++)
        if (res->port[i] == port)
            return (res->out[i].ctrl >> AXON_PKT_EMERGENCY_LSB) & 3u;
    cr_assert_fail("no output on port %u", port);
    return 0;
}

static axon_router_result send(axon_router *r, uint32_t in, axon_packet p, uint32_t blocked)
{
    axon_router_result res;
    cr_assert_eq(axon_router_packet(r, in, &p, blocked, &res), AXON_OK, "%s", axon_router_last_error(r));
    for (uint32_t i = 0; i < res.n_out; i++)
        cr_assert(axon_packet_parity_ok(&res.out[i]), "output %u has even parity", res.port[i]);
    return res;
}

Test(router_golden, wait_register_encoding)
{
    /* (M + 16 - 2^(4-E)) * 2^E for E <= 4, (M + 16) * 2^E above, 0xFF forever */
    cr_assert_eq(axon_router_wait_cycles(0x00), 0);
    cr_assert_eq(axon_router_wait_cycles(0x0F), 15);
    cr_assert_eq(axon_router_wait_cycles(0x10), 16);   /* (0+16-8)*2 */
    cr_assert_eq(axon_router_wait_cycles(0x43), 288);  /* (3+16-1)*16 */
    cr_assert_eq(axon_router_wait_cycles(0x52), 576);  /* (2+16)*32 */
    cr_assert_eq(axon_router_wait_cycles(0xFE), (14u + 16u) << 15);
    cr_assert_eq(axon_router_wait_cycles(0xFF), UINT32_MAX);
}

Test(router_golden, first_match_wins_and_never_matching_entries)
{
    axon_router *r = mk(4);
    entry(r, 0, 0x100, 0xFFFFFF00u | 0x1u, CORE(0)); /* odd keys never: key bit 0 = 0 here */
    entry(r, 1, 0x101, 0x000000FFu, CORE(3));         /* key bit 8 outside the mask: never */
    entry(r, 2, 0x100, 0xFFFFFF00u, CORE(1));
    entry(r, 3, 0x100, 0xFFFFFF00u, CORE(2));         /* shadowed by 2 */
    cr_assert_eq(outmask(&(axon_router_result){0}), 0);
    axon_router_result a = send(r, PCORE(0), mc(0x104), 0);
    cr_assert_eq(outmask(&a), CORE(0), "even key matches entry 0");
    axon_router_result b = send(r, PCORE(0), mc(0x105), 0);
    cr_assert_eq(outmask(&b), CORE(1), "odd key skips 0 and 1, entry 2 wins over 3");
    axon_router_result c = send(r, PCORE(0), mc(0x001), 0);
    cr_assert_eq(c.reason, AXON_RIF_DROP_REASONS_UNROUTED, "entry 1 never matches");
    axon_router_destroy(r);
}

Test(router_golden, default_routing_per_link_and_local_unmatched_drop)
{
    axon_router *r = mk(2);
    for (uint32_t l = 0; l < 6; l++) {
        axon_router_result res = send(r, l, mc(0xABC), 0);
        cr_assert_eq(outmask(&res), LINK((l + 3) % 6), "from link %u", l);
        cr_assert(res.default_routed);
    }
    axon_router_result res = send(r, PCORE(1), mc(0xABC), 0);
    cr_assert_eq(res.n_out, 0);
    cr_assert_eq(res.reason, AXON_RIF_DROP_REASONS_UNROUTED);
    cr_assert_eq(rd(r, AXON_RIF_REG_ERR_UNROUTED), 1);
    cr_assert_eq(rd(r, AXON_RIF_REG_ERR_KEY), 0xABC);
    cr_assert_eq((rd(r, AXON_RIF_REG_ERR_HDR) >> AXON_RIF_HDR_SRC_LSB) & 0xFF, PCORE(1));
    /* counters: default 1 = external MC sent (6), 0 = local MC sent (0), 9 = default-routed
     * MC (6), 11 = errors (1) */
    cr_assert_eq(rd(r, AXON_RIF_REG_DIAG_COUNT + 0), 0);
    cr_assert_eq(rd(r, AXON_RIF_REG_DIAG_COUNT + 1), 6);
    cr_assert_eq(rd(r, AXON_RIF_REG_DIAG_COUNT + 9), 6);
    cr_assert_eq(rd(r, AXON_RIF_REG_DIAG_COUNT + 11), 1);
    axon_router_destroy(r);
}

Test(router_golden, multicast_to_every_output_once_with_routes_beyond_cores_ignored)
{
    axon_router *r = mk(3);
    entry(r, 0, 0x40, 0xFFFFFFC0u, LINK(0) | LINK(4) | CORE(0) | CORE(2) | CORE(7));
    axon_router_result res = send(r, PCORE(2), pkt(AXON_PKT_TYPE_MC, 0, 0, 0x41, 1, 0xDEADBEEF), 0);
    cr_assert_eq(res.n_out, 4);
    cr_assert_eq(outmask(&res), LINK(0) | LINK(4) | CORE(0) | CORE(2));
    for (uint32_t i = 0; i < res.n_out; i++) {
        cr_assert_eq(res.out[i].key, 0x41);
        cr_assert_eq(res.out[i].payload, 0xDEADBEEF);
    }
    axon_router_destroy(r);
}

Test(router_golden, parity_and_timestamp_errors)
{
    axon_router *r = mk(1);
    entry(r, 0, 0, 0, CORE(0));
    axon_packet bad = mc(5);
    bad.key ^= 1u << 20;
    axon_router_result res = send(r, 0, bad, 0);
    cr_assert_eq(res.reason, AXON_RIF_DROP_REASONS_PARITY);
    /* payload bit counts: flipping the payload of a packet without payload keeps parity */
    axon_packet nopl = mc(5);
    nopl.payload = 1;
    cr_assert_eq(send(r, 0, nopl, 0).n_out, 1);
    axon_packet wpl = pkt(AXON_PKT_TYPE_MC, 0, 0, 5, 1, 7);
    wpl.payload ^= 1;
    cr_assert_eq(send(r, 0, wpl, 0).reason, AXON_RIF_DROP_REASONS_PARITY);
    cr_assert_eq(rd(r, AXON_RIF_REG_ERR_PARITY), 2);
    cr_assert(rd(r, AXON_RIF_REG_STATUS) & AXON_RIF_STATUS_ERR_OVERFLOW);
    /* phases 00 01 11 10: at phase 01 a packet of phase 10 is two phases old */
    axon_router_write(r, AXON_RIF_REG_PHASE, 1);
    cr_assert_eq(send(r, 0, pkt(AXON_PKT_TYPE_MC, 0, 2, 5, 0, 0), 0).reason, AXON_RIF_DROP_REASONS_TIMESTAMP);
    cr_assert_eq(send(r, 0, pkt(AXON_PKT_TYPE_MC, 0, 3, 5, 0, 0), 0).n_out, 1);
    cr_assert_eq(send(r, 0, pkt(AXON_PKT_TYPE_MC, 0, 0, 5, 0, 0), 0).n_out, 1);
    cr_assert_eq(rd(r, AXON_RIF_REG_ERR_TIMESTAMP), 1);
    axon_router_write(r, AXON_RIF_REG_CTRL, AXON_RIF_CTRL_CLEAR_COUNTERS | AXON_RIF_CTRL_CLEAR_ERROR);
    cr_assert_eq(rd(r, AXON_RIF_REG_ERR_PARITY), 0);
    cr_assert_eq(rd(r, AXON_RIF_REG_STATUS), 0);
    axon_router_destroy(r);
}

Test(router_golden, blocked_output_dropped_after_wait1_without_emergency_routing)
{
    axon_router *r = mk(2);
    entry(r, 0, 0x10, 0xFFFFFFF0u, LINK(2) | CORE(1));
    axon_router_write(r, AXON_RIF_REG_WAIT, 0x0010); /* wait1 16 cycles, wait2 0: no emergency */
    axon_router_result res = send(r, PCORE(0), pkt(AXON_PKT_TYPE_MC, 0, 0, 0x12, 1, 99), LINK(2));
    cr_assert_eq(outmask(&res), CORE(1), "the free output still gets it");
    cr_assert_eq(res.reason, AXON_RIF_DROP_REASONS_TIMEOUT);
    cr_assert_eq(rd(r, AXON_RIF_REG_DUMP_OUTPUTS), LINK(2));
    cr_assert_eq(rd(r, AXON_RIF_REG_DUMP_KEY), 0x12);
    cr_assert_eq(rd(r, AXON_RIF_REG_DUMP_PAYLOAD), 99);
    cr_assert_eq(rd(r, AXON_RIF_REG_STATUS), AXON_RIF_STATUS_DUMP_VALID);
    send(r, PCORE(0), mc(0x13), LINK(2) | CORE(1));
    cr_assert_eq(rd(r, AXON_RIF_REG_STATUS), AXON_RIF_STATUS_DUMP_VALID | AXON_RIF_STATUS_DUMP_OVERFLOW);
    cr_assert_eq(rd(r, AXON_RIF_REG_DUMP_KEY), 0x12, "the first dump stays latched");
    cr_assert_eq(rd(r, AXON_RIF_REG_DIAG_COUNT + 8), 2, "dump counter");
    axon_router_write(r, AXON_RIF_REG_CTRL, AXON_RIF_CTRL_CLEAR_DUMP);
    cr_assert_eq(rd(r, AXON_RIF_REG_STATUS), 0);
    /* wait forever: the model refuses (hardware would stall) */
    axon_router_write(r, AXON_RIF_REG_WAIT, 0x00FF);
    axon_router_result x;
    axon_packet p = mc(0x12);
    cr_assert_eq(axon_router_packet(r, 0, &p, LINK(2), &x), AXON_ERR_STATE);
    axon_router_destroy(r);
}

/* A -> C over link l blocked: A sends it on l + 1 to B (emergency), B forwards it on its
 * arrival link + 1 (second leg, reverting), C routes it as if it had come from A. Three
 * golden routers in a row, geometry of docs/spec/routing.md. */
Test(router_golden, emergency_detour_around_the_triangle_and_reverting)
{
    static const int dx[] = AXON_LINK_DX_INIT, dy[] = AXON_LINK_DY_INIT;
    for (uint32_t l = 0; l < 6; l++) {
        uint32_t e = (l + 1) % 6;
        axon_router *a = mk(1), *b = mk(1), *c = mk(1);
        axon_router_write(a, AXON_RIF_REG_WAIT, 0x0F0F); /* wait1 15, wait2 15 */
        /* A: key 0x77 from its core to link l; B and C have no entry (C default-routes) */
        entry(a, 0, 0x77, 0xFFFFFFFFu, LINK(l));
        axon_router_result ra = send(a, PCORE(0), mc(0x77), LINK(l));
        cr_assert_eq(outmask(&ra), LINK(e), "l=%u: detour on the next link anticlockwise", l);
        cr_assert_eq(em_on(&ra, e), AXON_PKT_EMERGENCY_EMERGENCY_SECOND);
        cr_assert_eq(ra.reason, AXON_RIF_DROP_REASONS_NONE);
        /* B received it on link e + 3 and forwards it on (e + 3) + 1 */
        uint32_t in_b = (e + 3) % 6, out_b = (in_b + 1) % 6;
        /* B's second leg ends at C = A + link l */
        cr_assert_eq(dx[e] + dx[out_b], dx[l], "l=%u geometry x", l);
        cr_assert_eq(dy[e] + dy[out_b], dy[l], "l=%u geometry y", l);
        axon_router_result rb = send(b, in_b, ra.out[0], 0);
        cr_assert_eq(outmask(&rb), LINK(out_b));
        cr_assert_eq(em_on(&rb, out_b), AXON_PKT_EMERGENCY_REVERTING);
        /* C: default routing continues on the line A -> C, i.e. out of link l */
        uint32_t in_c = (out_b + 3) % 6;
        axon_router_result rc = send(c, in_c, rb.out[0], 0);
        cr_assert_eq(outmask(&rc), LINK(l), "l=%u: C continues straight on from A", l);
        cr_assert_eq(em_on(&rc, l), AXON_PKT_EMERGENCY_NORMAL);
        cr_assert(rc.default_routed);
        /* counter 10 counts arriving emergency MC packets: one at B, one at C */
        cr_assert_eq(rd(b, AXON_RIF_REG_DIAG_COUNT + 10), 1);
        cr_assert_eq(rd(c, AXON_RIF_REG_DIAG_COUNT + 10), 1);
        axon_router_destroy(a);
        axon_router_destroy(b);
        axon_router_destroy(c);
    }
}

Test(router_golden, emergency_copy_joins_a_pending_normal_copy_and_detour_drops)
{
    axon_router *r = mk(1);
    axon_router_write(r, AXON_RIF_REG_WAIT, 0x0505);
    entry(r, 0, 0x5, 0xFFFFFFFFu, LINK(0) | LINK(1) | CORE(0));
    /* both 0 and 1 blocked: 0 goes round onto 1 (joined with 1's normal copy: EMERGENCY_FIRST
     * would need 1 free), 1 goes round onto 2 */
    axon_router_result res = send(r, 3, mc(0x5), LINK(1));
    cr_assert_eq(outmask(&res), LINK(0) | LINK(2) | CORE(0));
    cr_assert_eq(em_on(&res, 2), AXON_PKT_EMERGENCY_EMERGENCY_SECOND);
    cr_assert_eq(em_on(&res, 0), AXON_PKT_EMERGENCY_NORMAL);
    /* link 0 blocked, link 1 free: link 1 took its normal copy before wait1 and then gets
     * the detour as a second, emergency-only copy */
    res = send(r, 3, mc(0x5), LINK(0));
    cr_assert_eq(res.n_out, 3);
    cr_assert_eq(res.port[0], 1);
    cr_assert_eq(res.port[2], 1);
    cr_assert_eq((res.out[0].ctrl >> 4) & 3u, AXON_PKT_EMERGENCY_NORMAL);
    cr_assert_eq((res.out[2].ctrl >> 4) & 3u, AXON_PKT_EMERGENCY_EMERGENCY_SECOND);
    /* at the next router, EMERGENCY_FIRST (emergency plus normal copy, which the hardware
     * sends when the detour link was slow) is routed normally and on the second leg */
    axon_router *b = mk(1);
    entry(b, 0, 0x5, 0xFFFFFFFFu, CORE(0));
    axon_router_result rb = send(b, 4, pkt(AXON_PKT_TYPE_MC, AXON_PKT_EMERGENCY_EMERGENCY_FIRST, 0, 0x5, 0, 0), 0);
    cr_assert_eq(outmask(&rb), CORE(0) | LINK(5));
    cr_assert_eq(em_on(&rb, 5), AXON_PKT_EMERGENCY_REVERTING);
    /* link and its detour blocked: dumped after wait2 with the detour output as intended */
    res = send(r, 3, mc(0x5), LINK(0) | LINK(1));
    cr_assert_eq(res.reason, AXON_RIF_DROP_REASONS_TIMEOUT);
    cr_assert_eq(outmask(&res), LINK(2) | CORE(0));
    cr_assert_eq(res.dumped, LINK(1));
    /* cores are never detoured */
    res = send(r, 3, mc(0x5), CORE(0));
    cr_assert_eq(res.dumped, CORE(0));
    cr_assert_eq(outmask(&res), LINK(0) | LINK(1));
    axon_router_destroy(r);
    axon_router_destroy(b);
}

/* SpiNNaker marks one packet that is both link l+1's normal copy and link l's detour
 * EMERGENCY_FIRST. Axon's fork releases outputs one by one, so when l+1's normal copy has
 * already left, the detour follows as a second, EMERGENCY_SECOND packet. At the next router
 * the two packets must reach exactly the outputs (each once, in the same states) that the
 * single EMERGENCY_FIRST packet reaches: the choice costs a link transfer, never a delivery. */
Test(router_golden, second_emergency_copy_delivers_as_one_emergency_first_packet)
{
    for (uint32_t in = 0; in < AXON_ROUTER_LINKS; in++) {
        axon_router *b = mk(2);
        entry(b, 0, 0x5, 0xFFFFFFFFu, CORE(1) | LINK((in + 2) % AXON_ROUTER_LINKS));
        axon_router_result one =
            send(b, in, pkt(AXON_PKT_TYPE_MC, AXON_PKT_EMERGENCY_EMERGENCY_FIRST, 0, 0x5, 0, 0), 0);
        axon_router_result nrm = send(b, in, pkt(AXON_PKT_TYPE_MC, AXON_PKT_EMERGENCY_NORMAL, 0, 0x5, 0, 0), 0);
        axon_router_result det =
            send(b, in, pkt(AXON_PKT_TYPE_MC, AXON_PKT_EMERGENCY_EMERGENCY_SECOND, 0, 0x5, 0, 0), 0);
        cr_assert_eq(outmask(&nrm) & outmask(&det), 0, "link %u: an output reached twice", in);
        cr_assert_eq(outmask(&one), outmask(&nrm) | outmask(&det), "link %u", in);
        for (uint32_t i = 0; i < one.n_out; i++) {
            uint32_t port = one.port[i], m = port < AXON_ROUTER_LINKS ? LINK(port) : CORE(port - AXON_ROUTER_LINKS);
            const axon_router_result *two = outmask(&nrm) & m ? &nrm : &det;
            cr_assert_eq(em_on(two, port), (one.out[i].ctrl >> AXON_PKT_EMERGENCY_LSB) & 3u,
                         "link %u port %u", in, port);
        }
        axon_router_destroy(b);
    }
}

Test(router_golden, point_to_point_nearest_neighbour_and_fixed_route)
{
    axon_router *r = mk(4);
    axon_router_write(r, AXON_RIF_P2P_BASE + 0x0203, 4);
    axon_router_write(r, AXON_RIF_P2P_BASE + 0x0000, AXON_RIF_P2P_CODES_MONITOR);
    axon_router_result res = send(r, 1, pkt(AXON_PKT_TYPE_P2P, 2, 0, 0x77770203u, 1, 5), 0);
    cr_assert_eq(outmask(&res), LINK(4));
    cr_assert_eq(em_on(&res, 4), 2, "P2P sequence bits pass unchanged");
    cr_assert_eq(outmask(&(axon_router_result){0}), 0);
    res = send(r, PCORE(1), pkt(AXON_PKT_TYPE_P2P, 0, 0, 0x12340000u, 0, 0), 0);
    cr_assert_eq(outmask(&res), CORE(AXON_RIF_MONITOR_CORE));
    res = send(r, 1, pkt(AXON_PKT_TYPE_P2P, 0, 0, 0x1, 0, 0), 0);
    cr_assert_eq(res.reason, AXON_RIF_DROP_REASONS_UNROUTED, "P2P entries drop after reset");
    /* NN: from a link to the monitor core; from a core to the link in control bits 4:2
     * (6 all links, 7 drop), whatever the key; never dropped as too old */
    res = send(r, 5, pkt(AXON_PKT_TYPE_NN, 0, 3, 0x3, 0, 0), 0);
    cr_assert_eq(outmask(&res), CORE(0));
    res = send(r, PCORE(2), pkt(AXON_PKT_TYPE_NN, 0, 3, 0x5, 0, 0), 0);
    cr_assert_eq(outmask(&res), LINK(3), "control bits 4:2 = 3 (0b011), key 5 ignored");
    res = send(r, PCORE(2), pkt(AXON_PKT_TYPE_NN, 1, 1, 0x0, 0, 0), 0);
    cr_assert_eq(outmask(&res), LINK(5), "control bits 4:2 = 0b101");
    res = send(r, PCORE(2), pkt(AXON_PKT_TYPE_NN, 1, 2, 0x3, 0, 0), 0);
    cr_assert_eq(outmask(&res), 0x3F, "control bits 4:2 = 6: every link");
    res = send(r, PCORE(2), pkt(AXON_PKT_TYPE_NN, 1, 3, 0x3, 0, 0), 0);
    cr_assert_eq(res.reason, AXON_RIF_DROP_REASONS_UNROUTED);
    /* FR: the fixed-route register */
    axon_router_write(r, AXON_RIF_REG_FR_ROUTE, LINK(2) | CORE(3));
    res = send(r, 0, pkt(AXON_PKT_TYPE_FR, 0, 0, 0xFFFF, 0, 0), 0);
    cr_assert_eq(outmask(&res), LINK(2) | CORE(3));
    /* default counters: local/ext P2P 2/3, local/ext NN 4/5, ext FR 7 */
    cr_assert_eq(rd(r, AXON_RIF_REG_DIAG_COUNT + 2), 1);
    cr_assert_eq(rd(r, AXON_RIF_REG_DIAG_COUNT + 3), 1);
    cr_assert_eq(rd(r, AXON_RIF_REG_DIAG_COUNT + 4), 3);
    cr_assert_eq(rd(r, AXON_RIF_REG_DIAG_COUNT + 5), 1);
    cr_assert_eq(rd(r, AXON_RIF_REG_DIAG_COUNT + 7), 1);
    cr_assert_eq(rd(r, AXON_RIF_REG_DIAG_COUNT + 11), 2, "errors: P2P and NN drops");
    axon_router_destroy(r);
}

Test(router_golden, diagnostic_filters_each_field)
{
    axon_router *r = mk(2);
    entry(r, 0, 0x10, 0xFFFFFFF0u, CORE(0));
    const uint32_t all = 0x1FFFFu;
    /* counter k: everything but one bit of one field */
    static const uint32_t cleared[] = {
        1u << (AXON_RIF_DIAG_TYPE_LSB + AXON_PKT_TYPE_MC), 1u << (AXON_RIF_DIAG_EM_LSB + 0),
        1u << (AXON_RIF_DIAG_DEFAULT_LSB + 0), 1u << (AXON_RIF_DIAG_PAYLOAD_LSB + 1),
        1u << (AXON_RIF_DIAG_SOURCE_LSB + 0), 1u << (AXON_RIF_DIAG_OUTCOME_LSB + 0)};
    for (uint32_t k = 0; k < 16; k++)
        axon_router_write(r, AXON_RIF_REG_DIAG_FILTER + k, k < 6 ? all & ~cleared[k] : k == 6 ? all : 0);
    cr_assert_eq(rd(r, AXON_RIF_REG_DIAG_FILTER + 6), all);
    /* a local MC packet with payload, normal, table-routed, sent: counters 0, 1, 2, 3, 4,
     * 5 each miss one field it has, except 1 (em 0 cleared: it is normal -> missed). */
    send(r, PCORE(1), pkt(AXON_PKT_TYPE_MC, 0, 0, 0x11, 1, 0), 0);
    uint32_t want1[] = {0, 0, 0, 0, 0, 0, 1};
    for (uint32_t k = 0; k < 7; k++)
        cr_assert_eq(rd(r, AXON_RIF_REG_DIAG_COUNT + k), want1[k], "counter %u", k);
    /* an external default-routed P2P-free MC without payload, emergency reverting:
     * counters 0 (type MC cleared) no; 1 (em 0 cleared, em is 3) yes; 2 (table-routed
     * cleared, it is default-routed) yes; 3 (payload cleared, it has none) yes;
     * 4 (local cleared, it is external) yes; 5 (sent cleared) no */
    send(r, 2, pkt(AXON_PKT_TYPE_MC, 3, 0, 0x99, 0, 0), 0);
    uint32_t want2[] = {0, 1, 1, 1, 1, 0, 2};
    for (uint32_t k = 0; k < 7; k++)
        cr_assert_eq(rd(r, AXON_RIF_REG_DIAG_COUNT + k), want2[k], "counter %u", k);
    cr_assert_eq(rd(r, AXON_RIF_REG_DIAG_COUNT + 7), 0, "a zero filter counts nothing");
    axon_router_write(r, AXON_RIF_REG_DIAG_COUNT + 6, 41);
    cr_assert_eq(rd(r, AXON_RIF_REG_DIAG_COUNT + 6), 41);
    axon_router_destroy(r);
}

Test(router_golden, bad_arguments_and_registers)
{
    axon_router *r;
    cr_assert_eq(axon_router_create(&r, 0), AXON_ERR_INVALID_ARG);
    cr_assert_eq(axon_router_create(&r, AXON_ROUTER_MAX_CORES + 1), AXON_ERR_INVALID_ARG);
    r = mk(2);
    axon_router_result res;
    axon_packet p = mc(1);
    cr_assert_eq(axon_router_packet(r, AXON_ROUTER_LINKS + 2, &p, 0, &res), AXON_ERR_INVALID_ARG);
    cr_assert(strstr(axon_router_last_error(r), "input port 8") != NULL);
    cr_assert_eq(axon_router_write(r, 0x900, 1), AXON_ERR_RANGE);
    cr_assert(strstr(axon_router_last_error(r), "0x900") != NULL);
    uint32_t v;
    cr_assert_eq(axon_router_read(r, 0x901, &v), AXON_ERR_RANGE);
    cr_assert_eq(rd(r, AXON_RIF_REG_INFO), 2u | 10u << 8 | 16u << 16);
    cr_assert_eq(rd(r, AXON_RIF_REG_VERSION), AXON_SPEC_VERSION);
    axon_router_destroy(r);
}
