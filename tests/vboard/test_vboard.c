/* The libusb path end to end through the virtual USB board (tests/vboard/vboard.c):
 * discovery, the usb backend against ref bit for bit, and every USB-side fault. */
#include "vboard.h"
#include "runnet.h"

#include "axon/link.h"

#include <criterion/criterion.h>
#include <stdio.h>

#ifndef AXON_SOURCE_DIR
#define AXON_SOURCE_DIR "."
#endif
#define NET(f) AXON_SOURCE_DIR "/examples/networks/" f

static axon_vboard *vb;

static void setup(void)
{
    char err[AXON_ERRMSG_LEN];
    cr_assert_eq(axon_vboard_create(&vb, 2, err), AXON_OK, "%s", err);
    setenv("AXON_BOARD_SERIAL", "AXONVB01", 1);
    setenv("AXON_BOARD_TIMEOUT_MS", "300", 1);
}

static void teardown(void) { axon_vboard_destroy(vb); }

TestSuite(vboard, .init = setup, .fini = teardown, .timeout = 120);

Test(vboard, lists_boards_with_serials)
{
    axon_usb_board *b;
    size_t n;
    char err[AXON_ERRMSG_LEN];
    cr_assert_eq(axon_usb_list(&b, &n, err), AXON_OK, "%s", err);
    cr_assert_eq(n, 2);
    cr_expect_str_eq(b[0].serial, "AXONVB00");
    cr_expect_str_eq(b[1].serial, "AXONVB01");
    cr_expect_str_eq(b[1].product, "Axon virtual board");
    cr_expect_eq(b[0].vid, AXON_USB_VID);
    free(b);
}

Test(vboard, open_by_serial_and_handshake)
{
    axon_xport x;
    axon_link *l;
    char err[AXON_ERRMSG_LEN];
    cr_assert_eq(axon_xport_usb(&x, "AXONVB01", err), AXON_OK, "%s", err);
    cr_assert_eq(axon_link_open(&l, x, NULL, err), AXON_OK, "%s", err);
    cr_expect_str_eq(axon_link_serial(l), "AXONVB01");
    cr_expect_eq(axon_link_hello(l)[AXON_PROTO_HELLO_PROTO_VERSION], AXON_PROTO_VERSION);
    axon_link_close(l);
    cr_expect_neq(axon_xport_usb(&x, "NOSUCH", err), AXON_OK);
    cr_expect(strstr(err, "NOSUCH") != NULL, "%s", err);
}

Test(vboard, usb_backend_matches_ref_bit_for_bit)
{
    rn_result a, b;
    cr_assert_eq(rn_run(NET("small.json"), "ref", 0, NULL, &a), AXON_OK, "%s", a.err);
    cr_assert_eq(rn_run(NET("small.json"), "usb", 0, NULL, &b), AXON_OK, "%s", b.err);
    char why[256] = "";
    cr_expect(rn_equal(&a, &b, why, sizeof why), "%s", why);
    cr_expect_gt(a.st.spikes, 0);
    rn_free(&a);
    rn_free(&b);
}
