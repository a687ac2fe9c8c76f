/* Multicast routing semantics in the golden engine (docs/spec/routing.md): first match,
 * never-matching entries, default routing, local drops, edges, loops, multicast fork.
 * Packets are observed by the destination cores' packets_in counters and the routers'
 * counters. */
#include "tnet.h"

#include <criterion/criterion.h>

#define CORE(c) (1u << (AXON_ROUTE_CORE_LSB + (c)))
#define LINK(l) (1u << (l))
#define KEY 0x100u
#define MASK 0xFFFFFF00u

/* Machine w x h with a spike array of 1 source at chip (0,0) core 0 spiking at steps 1..n,
 * and a 1-neuron IF_curr_exp core listening (MPT entry for KEY) on every core >= 1. */
static tnet *machine(uint32_t w, uint32_t h, uint32_t cpc, uint32_t flags, uint32_t n_spikes,
                     int *src)
{
    tnet *t = tnet_new(w, h, cpc, 1.0, flags);
    uint32_t ev[64];
    for (uint32_t i = 0; i < n_spikes; i++) {
        ev[2 * i] = i + 1;
        ev[2 * i + 1] = 0;
    }
    *src = tnet_array(t, 0, 0, 0, 1, ev, n_spikes, KEY, 0);
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++)
            for (uint32_t c = (x || y) ? 0 : 1; c < cpc; c++) {
                int g = tnet_neurons_uniform(t, x, y, c, "IF_curr_exp", 1, NULL, NULL,
                                             0x10000u * (1 + (uint32_t)((y * w + x) * cpc + c)), 0, 1);
                tnet_syn s = {0, 0, 1, 1, 0};
                tnet_connect(t, *src, g, &s, 1, 0, 0);
            }
    return t;
}

static axon_engine *run(tnet *t, uint32_t steps)
{
    axon_image *img = tnet_image(t);
    axon_engine *e;
    char err[AXON_ERRMSG_LEN];
    cr_assert_eq(axon_engine_create(&e, img, NULL, err), AXON_OK, "%s", err);
    axon_image_destroy(img);
    cr_assert_eq(axon_engine_run(e, steps), AXON_OK);
    return e;
}

static uint64_t packets_in(axon_engine *e, uint32_t x, uint32_t y, uint32_t c)
{
    uint64_t cnt[AXON_CNT_CORE_N];
    cr_assert_eq(axon_engine_core_counters(e, x, y, c, cnt), AXON_OK);
    return cnt[AXON_CNT_CORE_PACKETS_IN];
}

static uint64_t router(axon_engine *e, uint32_t x, uint32_t y, int which)
{
    uint64_t cnt[AXON_CNT_ROUTER_N];
    cr_assert_eq(axon_engine_router_counters(e, x, y, cnt), AXON_OK);
    return cnt[which];
}

Test(router, first_match_wins)
{
    int src;
    tnet *t = machine(1, 1, 3, 0, 5, &src);
    tnet_route(t, 0, 0, KEY, MASK, CORE(1));         /* matches first */
    tnet_route(t, 0, 0, KEY, 0xFFFFFFF0u, CORE(2));  /* also matches; never used */
    axon_engine *e = run(t, 10);
    cr_assert_eq(packets_in(e, 0, 0, 1), 5);
    cr_assert_eq(packets_in(e, 0, 0, 2), 0);
    cr_assert_eq(router(e, 0, 0, AXON_CNT_ROUTER_MC_LOCAL), 5);
    axon_engine_destroy(e);
    tnet_free(t);

    /* swapped order: the more specific entry first now wins */
    t = machine(1, 1, 3, 0, 5, &src);
    tnet_route(t, 0, 0, KEY, 0xFFFFFFF0u, CORE(2));
    tnet_route(t, 0, 0, KEY, MASK, CORE(1));
    e = run(t, 10);
    cr_assert_eq(packets_in(e, 0, 0, 1), 0);
    cr_assert_eq(packets_in(e, 0, 0, 2), 5);
    axon_engine_destroy(e);
    tnet_free(t);
}

Test(router, entry_with_key_bit_outside_mask_never_matches)
{
    int src;
    tnet *t = machine(1, 1, 3, 0, 4, &src);
    tnet_route(t, 0, 0, 0xFFFFFFFFu, 0, CORE(2));  /* the "unused entry" form */
    tnet_route(t, 0, 0, KEY | 0x1, MASK, CORE(2)); /* key bit 0 not in mask */
    tnet_route(t, 0, 0, KEY, MASK, CORE(1));
    axon_engine *e = run(t, 10);
    cr_assert_eq(packets_in(e, 0, 0, 2), 0);
    cr_assert_eq(packets_in(e, 0, 0, 1), 4);
    axon_engine_destroy(e);
    tnet_free(t);
}

Test(router, multicast_copies_to_every_route_bit_once)
{
    int src;
    tnet *t = machine(2, 1, 3, 0, 3, &src);
    tnet_route(t, 0, 0, KEY, MASK, CORE(1) | CORE(2) | LINK(AXON_LINK_E));
    tnet_route(t, 1, 0, KEY, MASK, CORE(0) | CORE(2));
    axon_engine *e = run(t, 10);
    cr_assert_eq(packets_in(e, 0, 0, 1), 3);
    cr_assert_eq(packets_in(e, 0, 0, 2), 3);
    cr_assert_eq(packets_in(e, 1, 0, 0), 3);
    cr_assert_eq(packets_in(e, 1, 0, 1), 0);
    cr_assert_eq(packets_in(e, 1, 0, 2), 3);
    cr_assert_eq(router(e, 1, 0, AXON_CNT_ROUTER_MC_EXTERNAL), 3);
    axon_engine_destroy(e);
    tnet_free(t);
}

Test(router, default_routing_goes_straight_on)
{
    /* 4 x 1 line: chip 0 sends E; chips 1 and 2 have no entry (default: out of the link
     * opposite the input, i.e. E again); chip 3 delivers to core 1 */
    int src;
    tnet *t = machine(4, 1, 2, 0, 6, &src);
    tnet_route(t, 0, 0, KEY, MASK, LINK(AXON_LINK_E));
    tnet_route(t, 3, 0, KEY, MASK, CORE(1));
    axon_engine *e = run(t, 10);
    cr_assert_eq(packets_in(e, 3, 0, 1), 6);
    cr_assert_eq(packets_in(e, 3, 0, 0), 0);
    cr_assert_eq(packets_in(e, 1, 0, 0) + packets_in(e, 2, 0, 0), 0);
    cr_assert_eq(router(e, 1, 0, AXON_CNT_ROUTER_DEFAULT_ROUTED), 6);
    cr_assert_eq(router(e, 2, 0, AXON_CNT_ROUTER_DEFAULT_ROUTED), 6);
    cr_assert_eq(router(e, 3, 0, AXON_CNT_ROUTER_DEFAULT_ROUTED), 0);
    axon_engine_destroy(e);
    tnet_free(t);
}

Test(router, default_routing_diagonal_and_off_the_edge)
{
    /* NE from (0,0): (1,1) default -> NE -> (2,2); no wrap: (2,2) default NE leaves the
     * machine and is dropped and counted */
    int src;
    tnet *t = machine(3, 3, 1, 0, 2, &src);
    tnet_route(t, 0, 0, KEY, MASK, LINK(AXON_LINK_NE));
    axon_engine *e = run(t, 5);
    cr_assert_eq(router(e, 1, 1, AXON_CNT_ROUTER_DEFAULT_ROUTED), 2);
    cr_assert_eq(router(e, 2, 2, AXON_CNT_ROUTER_DEFAULT_ROUTED), 2);
    cr_assert_eq(router(e, 2, 2, AXON_CNT_ROUTER_DROPPED_NO_LINK), 2);
    cr_assert_eq(router(e, 1, 0, AXON_CNT_ROUTER_MC_EXTERNAL), 0);
    axon_engine_destroy(e);
    tnet_free(t);
}

Test(router, wraparound_torus)
{
    /* with WRAP, W from (0,0) reaches (2,0) */
    int src;
    tnet *t = machine(3, 1, 1, AXON_IMAGE_FLAG_WRAP, 4, &src);
    tnet_route(t, 0, 0, KEY, MASK, LINK(AXON_LINK_W));
    tnet_route(t, 2, 0, KEY, MASK, CORE(0));
    axon_engine *e = run(t, 6);
    cr_assert_eq(packets_in(e, 2, 0, 0), 4);
    cr_assert_eq(packets_in(e, 1, 0, 0), 0);
    axon_engine_destroy(e);
    tnet_free(t);
}

Test(router, local_unmatched_is_dropped_and_counted)
{
    int src;
    tnet *t = machine(1, 1, 2, 0, 7, &src);
    tnet_route(t, 0, 0, 0x200, MASK, CORE(1)); /* a different key */
    axon_engine *e = run(t, 10);
    cr_assert_eq(packets_in(e, 0, 0, 1), 0);
    cr_assert_eq(router(e, 0, 0, AXON_CNT_ROUTER_DROPPED_LOCAL_UNMATCHED), 7);
    cr_assert_eq(router(e, 0, 0, AXON_CNT_ROUTER_DEFAULT_ROUTED), 0);
    axon_engine_destroy(e);
    tnet_free(t);
}

Test(router, routing_loop_is_bounded_and_counted)
{
    /* (0,0) -> E -> (1,0) -> W -> (0,0) arrives from a link and matches E again: a loop */
    int src;
    tnet *t = machine(2, 1, 1, 0, 2, &src);
    tnet_route(t, 0, 0, KEY, MASK, LINK(AXON_LINK_E));
    tnet_route(t, 1, 0, KEY, MASK, LINK(AXON_LINK_W) | CORE(0));
    axon_engine *e = run(t, 5);
    cr_assert_eq(router(e, 0, 0, AXON_CNT_ROUTER_DROPPED_HOP_LIMIT) +
                     router(e, 1, 0, AXON_CNT_ROUTER_DROPPED_HOP_LIMIT), 2, "one drop per spike");
    /* every lap delivers once more to (1,0) core 0: 32 laps of 2 hops in 64 hops */
    cr_assert_eq(packets_in(e, 1, 0, 0), 2 * (AXON_ROUTER_MAX_HOPS / 2));
    axon_engine_destroy(e);
    tnet_free(t);
}

Test(router, mpt_miss_and_invalid_rows_counted)
{
    /* core 0: 4 sources (key 0x700 | i) spiking at step 2; core 1 has one table entry for
     * 0x700/0xFFFFFFFC with rows for sources 0..2 only, and none for key 0x800 */
    tnet *t = tnet_new(1, 1, 3, 1.0, 0);
    uint32_t ev[] = {2, 0, 2, 3};
    int src = tnet_array(t, 0, 0, 0, 4, ev, 2, 0x700, 0);
    uint32_t ev2[] = {3, 0};
    tnet_array(t, 0, 0, 2, 1, ev2, 1, 0x800, 0);
    int dst = tnet_neurons_uniform(t, 0, 0, 1, "IF_curr_exp", 1, NULL, NULL, 0x900, 0, 1);
    tnet_syn s = {0, 0, 10, 1, 0};
    tnet_connect(t, src, dst, &s, 1, 0, 3);
    tnet_route(t, 0, 0, 0x700, 0xFFFFFF00u, CORE(1));
    tnet_route(t, 0, 0, 0x800, 0xFFFFFF00u, CORE(1));
    axon_engine *e = run(t, 5);
    uint64_t cnt[AXON_CNT_CORE_N];
    axon_engine_core_counters(e, 0, 0, 1, cnt);
    cr_assert_eq(cnt[AXON_CNT_CORE_PACKETS_IN], 3);
    cr_assert_eq(cnt[AXON_CNT_CORE_MPT_MISS], 1, "key 0x800 has no entry");
    cr_assert_eq(cnt[AXON_CNT_CORE_ROW_INVALID], 1, "source 3 is beyond the entry's 3 rows");
    cr_assert_eq(cnt[AXON_CNT_CORE_SYNAPTIC_EVENTS], 1, "only source 0's row applied");
    axon_engine_destroy(e);
    tnet_free(t);
}
