/* The RTL board behind the virtual USB board (AXON_BOARD=rtl): unmodified libusb ->
 * umockdev -> the Verilated rtl/board/axon_board.sv (host interface + chip). The network of
 * tests/rtl/board_net.h loaded with LOAD and run: every core's recording words, core and
 * router counters equal to the golden engine's bit for bit, again after RESET; a malformed
 * request gets the specified error and the board stays usable. And a plastic network run
 * through the host library's usb backend equal to ref, learned weights included. */
#include "board_net.h"
#include "runnet.h"
#include "vboard.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

Test(vboard_rtl, network_through_libusb_equals_the_engine, .timeout = 600)
{
    setenv("AXON_BOARD", "rtl", 1);
    axon_vboard *vb;
    char err[AXON_ERRMSG_LEN];
    cr_assert_eq(axon_vboard_create(&vb, 1, err), AXON_OK, "%s", err);
    axon_xport x;
    axon_link *l;
    cr_assert_eq(axon_xport_usb(&x, "AXONVB00", err), AXON_OK, "%s", err);
    axon_link_opts o = {.timeout_ms = 20000}; /* the simulation is slow */
    cr_assert_eq(axon_link_open(&l, x, &o, err), AXON_OK, "%s", err);
    cr_assert_eq(axon_link_hello(l)[AXON_PROTO_HELLO_CORES_PER_CHIP], BN_CORES);
    axon_image *img = bn_network();
    uint32_t *w;
    size_t n;
    cr_assert(img && axon_image_to_buffer(img, &w, &n) == AXON_OK);
    cr_assert_eq(axon_link_load(l, w, n), AXON_OK, "%s", axon_link_last_error(l));
    cr_assert_eq(axon_link_get_stats(l)->fallback_loads, 0);
    for (int rep = 0; rep < 2; rep++) {
        char msg[512];
        size_t words;
        cr_expect_eq(bn_run_check(l, img, msg, sizeof msg, &words), 0, "run %d: %s", rep, msg);
        cr_expect_gt(words, 200);
        cr_assert_eq(axon_link_reset(l), AXON_OK, "%s", axon_link_last_error(l));
    }
    /* conformance on the RTL: a READ beyond a core's address space, then still usable */
    uint8_t st;
    uint32_t rep[4], nr;
    uint32_t args[3] = {axon_proto_target(AXON_PROTO_SPACE_CORE, 0, 0, 9), 0, 1};
    cr_assert_eq(axon_link_request(l, AXON_PROTO_OP_READ, args, 3, &st, rep, 4, &nr), AXON_OK);
    cr_expect_eq(st, AXON_PROTO_ST_ADDRESS);
    uint32_t s[AXON_PROTO_BST_N];
    cr_expect_eq(axon_link_status(l, s), AXON_OK, "%s", axon_link_last_error(l));
    cr_expect_eq(s[AXON_PROTO_BST_STATE], AXON_PROTO_STATE_READY);
    axon_link_close(l);
    free(w);
    axon_image_destroy(img);
    axon_vboard_destroy(vb);
}

/* The host library end to end on the RTL board: a small plastic network (it fits the board's
 * one chip of 4 small cores) mapped, loaded and run by the usb backend, twice; spikes,
 * counters and the learned weights read back from the RTL cores' memory equal ref's. */
#ifndef AXON_SOURCE_DIR
#define AXON_SOURCE_DIR "."
#endif
#define RB_NET AXON_SOURCE_DIR "/tests/vboard/stdp_rtlboard.json"

Test(vboard_rtl, plastic_network_through_the_host_library_equals_ref, .timeout = 600)
{
    setenv("AXON_BOARD", "rtl", 1);
    setenv("AXON_BOARD_SERIAL", "AXONVB00", 1);
    setenv("AXON_BOARD_TIMEOUT_MS", "20000", 1);
    axon_vboard *vb;
    char err[AXON_ERRMSG_LEN] = "";
    cr_assert_eq(axon_vboard_create(&vb, 1, err), AXON_OK, "%s", err);
    rn_result a, b;
    cr_assert_eq(rn_run(RB_NET, "ref", 0, NULL, &a), AXON_OK, "%s", a.err);
    cr_assert_eq(rn_run(RB_NET, "usb", 0, NULL, &b), AXON_OK, "%s", b.err);
    char why[AXON_ERRMSG_LEN + 64] = "";
    cr_expect(rn_equal(&a, &b, why, sizeof why), "%s", why);
    cr_expect_gt(a.st.spikes, 0);
    rn_free(&a);
    rn_free(&b);
    /* it was the RTL: the cells' core counted the clocks of its last step (a board whose
     * machine is the engine answers CYCLES with 0) */
    axon_xport x;
    axon_link *l;
    uint32_t cyc = 0;
    cr_assert_eq(axon_xport_usb(&x, "AXONVB00", err), AXON_OK, "%s", err);
    cr_assert_eq(axon_link_open(&l, x, NULL, err), AXON_OK, "%s", err);
    cr_assert_eq(axon_link_read(l, axon_proto_target(AXON_PROTO_SPACE_CORE, 0, 0, 1),
                                AXON_CIF_REG_BASE + AXON_CIF_REG_CYCLES, &cyc, 1),
                 AXON_OK, "%s", axon_link_last_error(l));
    cr_expect_gt(cyc, 0, "CYCLES of the RTL core");
    axon_link_close(l);
    cr_expect(rn_learned_as_ref(RB_NET, "usb", 100.0, why, sizeof why), "%s", why);
    axon_vboard_destroy(vb);
}
