/* The virtual USB board whose machine is the emulated RTL (AXON_BOARD_MACHINE=emu,
 * axon_machine_emu): a network run through real libusb and umockdev, and through usb-direct,
 * must equal the golden engine (--backend ref) bit for bit: spikes, recorded v, counters. */
#include "vboard.h"
#include "runnet.h"

#include "axon/emu.h"
#include "axon/link.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef AXON_SOURCE_DIR
#define AXON_SOURCE_DIR "."
#endif
#define NET(f) AXON_SOURCE_DIR "/examples/networks/" f
#define SLICE NET("tutorial_slice.json")
#define SLICE_MS 150.0 /* the thalamus starts at 100 ms; two board slices */

static axon_vboard *vb;

static void setup(void)
{
    char err[AXON_ERRMSG_LEN];
    setenv("AXON_BOARD_MACHINE", "emu", 1);
    cr_assert_eq(axon_vboard_create(&vb, 1, err), AXON_OK, "%s", err);
    setenv("AXON_BOARD_SERIAL", "AXONVB00", 1);
    setenv("AXON_BOARD_TIMEOUT_MS", "5000", 1);
}

static void teardown(void) { axon_vboard_destroy(vb); }

TestSuite(vboard_emu, .init = setup, .fini = teardown, .timeout = 300);

static void expect_same_as_ref(const char *backend)
{
    rn_result a, b;
    cr_assert_eq(rn_run(SLICE, "ref", SLICE_MS, NULL, &a), AXON_OK, "%s", a.err);
    cr_assert_eq(rn_run(SLICE, backend, SLICE_MS, NULL, &b), AXON_OK, "%s: %s", backend, b.err);
    char why[256] = "";
    cr_expect(rn_equal(&a, &b, why, sizeof why), "%s: %s", backend, why);
    cr_expect_gt(a.st.spikes, 0);
    cr_expect_gt(a.st.synaptic_events, 0);
    cr_expect_gt(a.v_n[0] + a.v_n[1], 0, "the slice records v");
    rn_free(&a);
    rn_free(&b);
}

Test(vboard_emu, usb_matches_ref_bit_for_bit) { expect_same_as_ref("usb"); }

Test(vboard_emu, usb_direct_matches_ref_bit_for_bit) { expect_same_as_ref("usb-direct"); }

/* READ of the core's own registers goes to the emulated core's configuration bus: CYCLES is
 * the RTL's cycle count of the last step (the engine machine has none and answers 0), the
 * same as a standalone emulator of the same image reports after the same steps. */
Test(vboard_emu, core_registers_come_from_the_rtl)
{
    char err[AXON_ERRMSG_LEN];
    axon_ctx *ctx = NULL;
    axon_netfile_run nr;
    cr_assert_eq(axon_create(&ctx), AXON_OK);
    cr_assert_eq(axon_load_network(ctx, SLICE, &nr), AXON_OK, "%s", axon_last_error(ctx));
    axon_image *img = axon_machine_image(ctx);
    cr_assert_not_null(img, "%s", axon_last_error(ctx));
    uint32_t *buf = NULL;
    size_t n = 0;
    cr_assert_eq(axon_image_to_buffer(img, &buf, &n), AXON_OK);
    axon_emu *emu = NULL;
    uint32_t want = 0;
    cr_assert_eq(axon_emu_create(&emu, img, NULL, err), AXON_OK, "%s", err);
    cr_assert_eq(axon_emu_run(emu, 10), AXON_OK, "%s", axon_emu_last_error(emu));
    cr_assert_eq(axon_emu_step_cycles(emu, 0, 0, 0, &want), AXON_OK);
    axon_emu_destroy(emu);

    axon_xport x;
    axon_link *l;
    cr_assert_eq(axon_xport_usb(&x, "AXONVB00", err), AXON_OK, "%s", err);
    cr_assert_eq(axon_link_open(&l, x, NULL, err), AXON_OK, "%s", err);
    cr_assert_eq(axon_link_load(l, buf, n), AXON_OK, "%s", axon_link_last_error(l));
    cr_assert_eq(axon_link_run(l, 10, AXON_PROTO_MODE_BARRIER, 0, NULL, NULL, NULL), AXON_OK,
                 "%s", axon_link_last_error(l));
    uint32_t t = axon_proto_target(AXON_PROTO_SPACE_CORE, 0, 0, 0), r[2];
    cr_assert_eq(axon_link_read(l, t, AXON_CIF_REG_BASE + AXON_CIF_REG_ERROR, r, 1), AXON_OK,
                 "%s", axon_link_last_error(l));
    cr_assert_eq(axon_link_read(l, t, AXON_CIF_REG_BASE + AXON_CIF_REG_CYCLES, r + 1, 1),
                 AXON_OK, "%s", axon_link_last_error(l));
    cr_expect_eq(r[0], AXON_CIF_ERR_NONE);
    cr_expect_gt(r[1], 0, "CYCLES of the emulated core");
    cr_expect_eq(r[1], want, "CYCLES %u, the emulator alone %u", r[1], want);
    axon_link_close(l);
    free(buf);
    axon_destroy(ctx);
}

/* the RTL runs plastic synapses (STDP, axon_plast): the example STDP network through the
 * board equals the golden engine bit for bit (spikes, v, counters) */
Test(vboard_emu, plastic_network_matches_ref)
{
    rn_result a, b;
    cr_assert_eq(rn_run(NET("stdp.json"), "ref", 200.0, NULL, &a), AXON_OK, "%s", a.err);
    cr_assert_eq(rn_run(NET("stdp.json"), "usb", 200.0, NULL, &b), AXON_OK, "%s", b.err);
    char why[256] = "";
    cr_expect(rn_equal(&a, &b, why, sizeof why), "usb: %s", why);
    cr_expect_gt(a.st.spikes, 0);
    cr_expect_gt(a.st.synaptic_events, 0);
    rn_free(&a);
    rn_free(&b);
}

/* the learned weights read back from the emulated cores' memory equal the engine's, after
 * each of two runs */
Test(vboard_emu, learned_weights_match_ref)
{
    char why[AXON_ERRMSG_LEN + 64] = "";
    cr_expect(rn_learned_as_ref(NET("stdp.json"), "usb", 100.0, why, sizeof why), "%s", why);
}

Test(vboard_emu, unknown_machine_is_named)
{
    char err[AXON_ERRMSG_LEN] = "";
    axon_vboard *v2 = NULL;
    setenv("AXON_BOARD_MACHINE", "quantum", 1);
    cr_expect_eq(axon_vboard_create(&v2, 1, err), AXON_ERR_INVALID_ARG);
    cr_expect(strstr(err, "quantum") != NULL, "%s", err);
    rn_result b;
    cr_expect_neq(rn_run(SLICE, "usb-direct", 1, NULL, &b), AXON_OK);
    cr_expect(strstr(b.err, "quantum") != NULL, "%s", b.err);
    rn_free(&b);
}
