/* The emulator API on bad input and its lifecycle (docs/emulator.md). */
#include "lockgen.h"

#include "axon/emu.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

static axon_emu_core_info core_info(void)
{
    axon_emu *e;
    char err[AXON_ERRMSG_LEN];
    cr_assert_eq(axon_emu_create(&e, NULL, NULL, err), AXON_OK, "%s", err);
    axon_emu_core_info ci;
    axon_emu_get_core_info(e, &ci);
    axon_emu_destroy(e);
    return ci;
}

/* one chip, core 0: an array source of n_src, core 1: IF_curr_exp of n, all-to-all */
static axon_image *two_cores(uint32_t n_src, uint32_t n, double p_conn)
{
    tnet *t = tnet_new(1, 1, 2, 1.0, 0);
    uint32_t ev[4] = {1, 0, 3, n_src - 1};
    int src = tnet_array(t, 0, 0, 0, n_src, ev, 2, 1u << 16, 1);
    int dst = tnet_neurons_uniform(t, 0, 0, 1, "IF_curr_exp", n, NULL, NULL, 2u << 16, 0xF, 1);
    cr_assert(src >= 0 && dst >= 0);
    tnet_syn *syn = malloc(sizeof *syn * ((size_t)n_src * n + 1));
    uint32_t ns = 0;
    for (uint32_t i = 0; i < n_src; i++)
        for (uint32_t j = 0; j < n; j++)
            if (p_conn >= 1 || (i * 7 + j * 13) % 100 < p_conn * 100)
                syn[ns++] = (tnet_syn){i, j, 3000, 1 + (i + j) % 16, (i + j) % 3 == 0};
    tnet_connect(t, src, dst, syn, ns, 0, 0);
    free(syn);
    lockgen_route(t, src, n_src, &dst, 1);
    axon_image *img = tnet_image(t);
    tnet_free(t);
    return img;
}

Test(emu_api, run_before_load)
{
    axon_emu *e;
    char err[AXON_ERRMSG_LEN];
    cr_assert_eq(axon_emu_create(&e, NULL, NULL, err), AXON_OK, "%s", err);
    cr_assert_eq(axon_emu_run(e, 1), AXON_ERR_STATE);
    cr_assert(strstr(axon_emu_last_error(e), "no image"), "%s", axon_emu_last_error(e));
    cr_assert_eq(axon_emu_reset(e), AXON_ERR_STATE);
    uint64_t c[AXON_CNT_CORE_N];
    cr_assert_eq(axon_emu_core_counters(e, 0, 0, 0, c), AXON_ERR_STATE);
    axon_emu_core_info ci;
    axon_emu_get_core_info(e, &ci);
    cr_assert_eq(ci.version, AXON_SPEC_VERSION);
    cr_assert(ci.n_neurons >= 1 && ci.n_neurons <= AXON_CORE_MAX_NEURONS);
    axon_emu_destroy(e);
}

Test(emu_api, too_many_neurons)
{
    axon_emu_core_info ci = core_info();
    if (ci.n_neurons >= AXON_CORE_MAX_NEURONS)
        cr_skip("the emulated core holds the spec's maximum");
    axon_image *img = two_cores(4, ci.n_neurons + 1, 0.1);
    axon_emu *e;
    char err[AXON_ERRMSG_LEN];
    cr_assert_eq(axon_emu_create(&e, img, NULL, err), AXON_ERR_CAPACITY);
    cr_assert_null(e);
    cr_assert(strstr(err, "core 1 of chip (0, 0)") && strstr(err, "neurons"), "%s", err);
    axon_image_destroy(img);
}

Test(emu_api, core_memory_too_large)
{
    axon_emu_core_info ci = core_info();
    uint32_t n = ci.n_neurons < 256 ? ci.n_neurons : 256;
    uint32_t n_src = ci.mem_words / (n + 1) + 1; /* rows of n synapses + a header word */
    if (n_src > ci.n_neurons)
        cr_skip("core memory too large to overflow with one row per source");
    axon_image *img = two_cores(n_src, n, 1.0);
    axon_emu *e;
    char err[AXON_ERRMSG_LEN];
    cr_assert_eq(axon_emu_create(&e, img, NULL, err), AXON_ERR_CAPACITY, "%s", err);
    cr_assert(strstr(err, "core 1 of chip (0, 0)") && strstr(err, "words of core memory"), "%s",
              err);
    axon_image_destroy(img);
}

Test(emu_api, invalid_image)
{
    axon_image *img;
    cr_assert_eq(axon_image_create(&img, 1, 1, 1, 0, 1000), AXON_OK);
    uint32_t junk[40] = {0x12345678};
    cr_assert_eq(axon_image_set_core(img, 0, 0, 0, junk, 40), AXON_OK);
    axon_emu *e;
    char err[AXON_ERRMSG_LEN];
    cr_assert_lt(axon_emu_create(&e, img, NULL, err), 0);
    cr_assert(strlen(err) > 0);
    axon_image_destroy(img);
}

Test(emu_api, out_of_range_arguments)
{
    axon_image *img = two_cores(8, 16, 0.5);
    axon_emu *e;
    char err[AXON_ERRMSG_LEN];
    cr_assert_eq(axon_emu_create(&e, img, NULL, err), AXON_OK, "%s", err);
    uint64_t c[AXON_CNT_CORE_N], r[AXON_CNT_ROUTER_N];
    uint32_t w;
    cr_assert_eq(axon_emu_core_counters(e, 1, 0, 0, c), AXON_ERR_INVALID_ARG);
    cr_assert(strstr(axon_emu_last_error(e), "chip (1, 0)"), "%s", axon_emu_last_error(e));
    cr_assert_eq(axon_emu_core_counters(e, 0, 0, 2, c), AXON_ERR_INVALID_ARG);
    cr_assert_eq(axon_emu_router_counters(e, 0, 1, r), AXON_ERR_INVALID_ARG);
    cr_assert_eq(axon_emu_state_word(e, 0, 0, 1, 16, 0, &w), AXON_ERR_INVALID_ARG);
    cr_assert(strstr(axon_emu_last_error(e), "neuron 16"), "%s", axon_emu_last_error(e));
    cr_assert_eq(axon_emu_state_word(e, 0, 0, 1, 0, 99, &w), AXON_ERR_INVALID_ARG);
    cr_assert_eq(axon_emu_state_word(e, 0, 0, 0, 0, 0, &w), AXON_ERR_INVALID_ARG);
    cr_assert(strstr(axon_emu_last_error(e), "not a neuron core"), "%s", axon_emu_last_error(e));
    cr_assert_eq(axon_emu_cfg_read(e, 0, 0, 1, 1u << AXON_CIF_ADDR_BITS, &w), AXON_ERR_INVALID_ARG);
    cr_assert_eq(axon_emu_cfg_write(e, 0, 0, 5, 0, 0), AXON_ERR_INVALID_ARG);
    cr_assert_eq(axon_emu_run(e, 1), AXON_OK, "%s", axon_emu_last_error(e));
    cr_assert_eq(axon_emu_run(e, UINT32_MAX), AXON_ERR_RANGE);
    axon_emu_destroy(e);
    axon_image_destroy(img);
}

static void count_packets(void *user, uint32_t step, uint32_t gid, uint32_t key)
{
    uint64_t *h = user;
    h[0]++;
    h[1] = h[1] * 1000003u + (step * 31u + gid) * 2654435761u + key;
}

Test(emu_api, reset_reproduces_and_registers)
{
    axon_image *img = two_cores(8, 32, 0.5);
    axon_emu *e;
    char err[AXON_ERRMSG_LEN];
    cr_assert_eq(axon_emu_create(&e, img, NULL, err), AXON_OK, "%s", err);
    uint64_t h1[2] = {0}, h2[2] = {0};
    axon_emu_set_spike_fn(e, count_packets, h1);
    cr_assert_eq(axon_emu_run(e, 40), AXON_OK, "%s", axon_emu_last_error(e));
    cr_assert_eq(axon_emu_step(e), 40);
    uint32_t st;
    cr_assert_eq(axon_emu_cfg_read(e, 0, 0, 1, AXON_CIF_REG_BASE + AXON_CIF_REG_STEP, &st), 0);
    cr_assert_eq(st, 40);
    uint64_t c1[AXON_CNT_CORE_N], c2[AXON_CNT_CORE_N];
    axon_emu_core_counters(e, 0, 0, 1, c1);
    cr_assert_gt(h1[0], 0, "the array source sent nothing");
    cr_assert_eq(axon_emu_reset(e), AXON_OK, "%s", axon_emu_last_error(e));
    cr_assert_eq(axon_emu_step(e), 0);
    axon_emu_core_counters(e, 0, 0, 1, c2);
    for (int i = 0; i < AXON_CNT_CORE_N; i++)
        cr_assert_eq(c2[i], 0, "counter %d after reset", i);
    axon_emu_set_spike_fn(e, count_packets, h2);
    cr_assert_eq(axon_emu_run(e, 40), AXON_OK, "%s", axon_emu_last_error(e));
    axon_emu_core_counters(e, 0, 0, 1, c2);
    cr_assert_eq(h1[0], h2[0]);
    cr_assert_eq(h1[1], h2[1]);
    cr_assert_eq(memcmp(c1, c2, sizeof c1), 0);
    cr_assert_gt(axon_emu_cycles(e), 0);
    axon_emu_destroy(e);
    axon_image_destroy(img);
}

/* Overwrite one header word in core 1's memory, BOOT again: the core must refuse, and the
 * message name the core and the core's error code. */
static void refused_at_boot(uint32_t word, uint32_t value, const char *expect)
{
    axon_image *img = two_cores(8, 16, 0.5);
    axon_emu *e;
    char err[AXON_ERRMSG_LEN];
    cr_assert_eq(axon_emu_create(&e, img, NULL, err), AXON_OK, "%s", err);
    cr_assert_eq(axon_emu_cfg_write(e, 0, 0, 1, AXON_CIF_MEM_BASE + word, value), 0);
    cr_assert_eq(axon_emu_reset(e), AXON_ERR_UNSUPPORTED);
    cr_assert(strstr(axon_emu_last_error(e), "core 1 of chip (0, 0) refused the image") &&
                  strstr(axon_emu_last_error(e), expect),
              "%s", axon_emu_last_error(e));
    cr_assert_eq(axon_emu_run(e, 1), AXON_ERR_STATE, "a refused core must not run");
    axon_emu_destroy(e);
    axon_image_destroy(img);
}

Test(emu_api, boot_refuses_bad_magic)
{
    refused_at_boot(AXON_CORE_H_MAGIC, 0xBAD, "error 1 (bad magic)");
}

Test(emu_api, boot_refuses_version)
{
    refused_at_boot(AXON_CORE_H_VERSION, AXON_SPEC_VERSION + (1u << 16),
                    "error 2 (unsupported version)");
}

Test(emu_api, boot_refuses_kind)
{
    refused_at_boot(AXON_CORE_H_KIND, 7, "error 3 (kind the core cannot run)");
}

Test(emu_api, boot_refuses_model)
{
    refused_at_boot(AXON_CORE_H_MODEL, AXON_MODEL_MAX_ID + 1, "error 4 (model the core cannot run)");
}

Test(emu_api, boot_limit)
{
    axon_image *img = two_cores(8, 16, 0.5);
    axon_emu *e;
    char err[AXON_ERRMSG_LEN];
    axon_emu_opts o = {.max_cycles_per_step = 3};
    cr_assert_eq(axon_emu_create(&e, img, &o, err), AXON_ERR_TIMEOUT, "%s", err);
    cr_assert(strstr(err, "did not finish booting"), "%s", err);
    axon_image_destroy(img);
}

Test(emu_api, step_limit_then_reset)
{
    axon_image *img = two_cores(8, 32, 0.5);
    axon_emu *e;
    char err[AXON_ERRMSG_LEN];
    cr_assert_eq(axon_emu_create(&e, img, NULL, err), AXON_OK, "%s", err);
    axon_emu_set_max_cycles(e, 5); /* a 32-neuron update alone takes longer */
    cr_assert_eq(axon_emu_run(e, 3), AXON_ERR_TIMEOUT);
    cr_assert(strstr(axon_emu_last_error(e), "step 0: core") &&
                  strstr(axon_emu_last_error(e), "still busy after"),
              "%s", axon_emu_last_error(e));
    cr_assert_eq(axon_emu_run(e, 1), AXON_ERR_STATE);
    cr_assert(strstr(axon_emu_last_error(e), "reset first"), "%s", axon_emu_last_error(e));
    axon_emu_set_max_cycles(e, 0);
    cr_assert_eq(axon_emu_reset(e), AXON_OK, "%s", axon_emu_last_error(e));
    cr_assert_eq(axon_emu_run(e, 5), AXON_OK, "%s", axon_emu_last_error(e));
    cr_assert_eq(axon_emu_step(e), 5);
    axon_emu_destroy(e);
    axon_image_destroy(img);
}

Test(emu_api, unwritable_trace)
{
    axon_image *img = two_cores(8, 16, 0.5);
    axon_emu *e;
    char err[AXON_ERRMSG_LEN];
    axon_emu_opts o = {.trace_path = "/nonexistent-dir/x.fst"};
    cr_assert_eq(axon_emu_create(&e, img, &o, err), AXON_ERR_IO);
    cr_assert(strstr(err, "/nonexistent-dir/x.fst"), "%s", err);
    axon_image_destroy(img);
}

Test(emu_api, boot_refuses_plastic_synapses)
{
    refused_at_boot(AXON_CORE_H_PLAST_WORDS, 12, "error 7 (plastic synapses (STDP)");
}

/* A whole plastic network (tnet_make_plastic) is refused at load, naming the core. */
Test(emu_api, plastic_network_refused_at_load)
{
    tnet *t = tnet_random(5, 1, 1, 4);
    tnet_make_plastic(t, 5);
    axon_image *img = tnet_image(t);
    tnet_free(t);
    axon_emu *e = NULL;
    char err[AXON_ERRMSG_LEN];
    cr_assert_eq(axon_emu_create(&e, img, NULL, err), AXON_ERR_UNSUPPORTED, "%s", err);
    cr_assert_null(e);
    cr_assert(strstr(err, "refused the image") && strstr(err, "plastic synapses"), "%s", err);
    axon_image_destroy(img);
}

/* The chip's router through the configuration access: unit AXON_CHIP_IF_UNIT_ROUTER. */
Test(emu_api, router_registers)
{
    axon_image *img = two_cores(8, 16, 0.5);
    axon_emu *e;
    char err[AXON_ERRMSG_LEN];
    cr_assert_eq(axon_emu_create(&e, img, NULL, err), AXON_OK, "%s", err);
    uint32_t v = 0, info = 0;
    cr_assert_eq(axon_emu_cfg_read(e, 0, 0, AXON_CHIP_IF_UNIT_ROUTER, AXON_RIF_REG_VERSION, &v),
                 AXON_OK);
    cr_assert_eq(v, AXON_SPEC_VERSION);
    cr_assert_eq(axon_emu_cfg_read(e, 0, 0, AXON_CHIP_IF_UNIT_ROUTER, AXON_RIF_REG_INFO, &info),
                 AXON_OK);
    cr_assert_eq(info >> AXON_RIF_INFO_N_CORES_LSB & AXON_RIF_INFO_N_CORES_MASK,
                 AXON_ROUTER_MAX_CORES);
    cr_assert_eq(axon_emu_cfg_read(e, 0, 0, AXON_CHIP_IF_UNIT_ROUTER, 1u << AXON_RIF_ADDR_BITS,
                                   &v),
                 AXON_ERR_INVALID_ARG);
    cr_assert(strstr(axon_emu_last_error(e), "router address"), "%s", axon_emu_last_error(e));
    /* the 8 sources' packets went through the router: local multicast, nothing dumped */
    cr_assert_eq(axon_emu_run(e, 5), AXON_OK, "%s", axon_emu_last_error(e));
    uint64_t rc[AXON_CNT_ROUTER_N];
    cr_assert_eq(axon_emu_router_counters(e, 0, 0, rc), AXON_OK);
    cr_assert_eq(rc[AXON_CNT_ROUTER_MC_LOCAL], 2); /* events at steps 1 and 3 */
    cr_assert_eq(axon_emu_cfg_read(e, 0, 0, AXON_CHIP_IF_UNIT_ROUTER, AXON_RIF_REG_STATUS, &v),
                 AXON_OK);
    cr_assert_eq(v & (AXON_RIF_STATUS_DUMP_VALID | AXON_RIF_STATUS_ERR_VALID), 0);
    axon_emu_destroy(e);
    axon_image_destroy(img);
}

/* A key routed east around a 2 x 1 torus whose other chip default-routes it straight on:
 * the golden engine drops it at the hop limit; the RTL routers pass it round forever, which
 * the step's cycle limit turns into an error naming the step and a chip. */
Test(emu_api, routing_loop_times_out)
{
    tnet *t = tnet_new(2, 1, 1, 1.0, AXON_IMAGE_FLAG_WRAP);
    uint32_t ev[2] = {0, 0};
    cr_assert(tnet_array(t, 0, 0, 0, 1, ev, 1, 1u << 16, 1) >= 0);
    axon_image *img = tnet_image(t);
    tnet_free(t);
    axon_route_entry east = {1u << 16, 0xFFFF0000u, 1u << AXON_LINK_E};
    cr_assert_eq(axon_image_set_table(img, 0, 0, &east, 1), AXON_OK);
    axon_emu *e;
    char err[AXON_ERRMSG_LEN];
    cr_assert_eq(axon_emu_create(&e, img, NULL, err), AXON_OK, "%s", err);
    axon_emu_set_max_cycles(e, 20000);
    cr_assert_eq(axon_emu_run(e, 2), AXON_ERR_TIMEOUT);
    cr_assert(strstr(axon_emu_last_error(e), "step 0: chip (") &&
                  strstr(axon_emu_last_error(e), "routing loop"),
              "%s", axon_emu_last_error(e));
    axon_emu_destroy(e);
    axon_image_destroy(img);
}

/* Link latency changes only the timing: the same packets, recordings and counters. */
Test(emu_api, link_latency_changes_nothing)
{
    lockgen_info info;
    tnet *t = lockgen_mesh(7, 64, &info);
    axon_image *img = tnet_image(t);
    tnet_free(t);
    cr_assert_not_null(img);
    uint64_t hash[2][2] = {{0}}, cyc[2];
    uint64_t rcnt[2][AXON_CNT_ROUTER_N];
    for (int i = 0; i < 2; i++) {
        axon_emu_opts o = {.link_latency = i ? 40 : 1};
        axon_emu *e;
        char err[AXON_ERRMSG_LEN];
        cr_assert_eq(axon_emu_create(&e, img, &o, err), AXON_OK, "%s", err);
        axon_emu_set_spike_fn(e, count_packets, hash[i]);
        cr_assert_eq(axon_emu_run(e, 20), AXON_OK, "%s", axon_emu_last_error(e));
        cyc[i] = axon_emu_cycles(e);
        cr_assert_eq(axon_emu_router_counters(e, 1, 1, rcnt[i]), AXON_OK);
        axon_emu_destroy(e);
    }
    cr_assert(hash[0][0] > 0, "the network sends packets");
    cr_assert_eq(hash[0][0], hash[1][0]);
    cr_assert_eq(hash[0][1], hash[1][1]);
    cr_assert_arr_eq(rcnt[0], rcnt[1], sizeof rcnt[0]);
    cr_assert_gt(cyc[1], cyc[0], "slower links take more cycles");
    axon_image_destroy(img);
}
