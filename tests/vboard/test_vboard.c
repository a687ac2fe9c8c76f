/* The libusb path end to end through the virtual USB board (tests/vboard/vboard.c):
 * discovery, the usb backend against ref bit for bit, and every USB-side fault. */
#include "vboard.h"
#include "runnet.h"

#include "axon/link.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <unistd.h>

#ifndef AXON_SOURCE_DIR
#define AXON_SOURCE_DIR "."
#endif
#define NET(f) AXON_SOURCE_DIR "/examples/networks/" f

static axon_vboard *vb;

static void setup(void)
{
    char err[AXON_ERRMSG_LEN];
    /* AXONVB02 has a single IN endpoint (a 245-mode bridge) */
    cr_assert_eq(axon_vboard_create_ex(&vb, 3, 1u << 2, err), AXON_OK, "%s", err);
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
    cr_assert_eq(n, 3);
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

/* STDP through the board: after each of two runs the learned weights, read back from the
 * board's core memory, equal the golden engine's; they change from run to run (learning
 * goes on where the first run left it). */
static void expect_learned_as_ref(const char *backend)
{
    char why[AXON_ERRMSG_LEN + 64] = "";
    cr_expect(rn_learned_as_ref(NET("stdp.json"), backend, 300.0, why, sizeof why), "%s", why);
}

Test(vboard, learned_weights_come_back_from_the_board) { expect_learned_as_ref("usb"); }

Test(vboard, learned_weights_come_back_through_usb_direct) { expect_learned_as_ref("usb-direct"); }

/* one IN endpoint: replies and stream frames interleaved, separated by their flags */
Test(vboard, single_channel_bridge_matches_ref)
{
    setenv("AXON_BOARD_SERIAL", "AXONVB02", 1);
    rn_result a, b;
    cr_assert_eq(rn_run(NET("tutorial.json"), "ref", 0, NULL, &a), AXON_OK, "%s", a.err);
    cr_assert_eq(rn_run(NET("tutorial.json"), "usb", 0, NULL, &b), AXON_OK, "%s", b.err);
    char why[256] = "";
    cr_expect(rn_equal(&a, &b, why, sizeof why), "%s", why);
    rn_free(&a);
    rn_free(&b);
}

/* ---------------------------------------------------------------- faults, link level */
static axon_link *open_link(int timeout_ms)
{
    axon_xport x;
    axon_link *l;
    char err[AXON_ERRMSG_LEN];
    cr_assert_eq(axon_xport_usb(&x, "AXONVB00", err), AXON_OK, "%s", err);
    axon_link_opts o = {.timeout_ms = timeout_ms};
    cr_assert_eq(axon_link_open(&l, x, &o, err), AXON_OK, "%s", err);
    return l;
}

/* a lost reply: the host times out, retransmits; the board answers the duplicate from its
 * reply cache without executing it twice */
Test(vboard, lost_reply_is_retransmitted)
{
    axon_link *l = open_link(100);
    uint32_t s[AXON_PROTO_BST_N], before[AXON_PROTO_BST_N];
    axon_vboard_status(vb, 0, before);
    axon_vboard_fault(vb, 0, AXON_VB_DROP_REPLY, 0, 1);
    cr_assert_eq(axon_link_status(l, s), AXON_OK, "%s", axon_link_last_error(l));
    cr_expect_geq(axon_link_get_stats(l)->timeouts, 1);
    cr_expect_geq(axon_link_get_stats(l)->retransmits, 1);
    axon_vboard_status(vb, 0, s);
    cr_expect_eq(s[AXON_PROTO_BST_RX_DUPLICATES], before[AXON_PROTO_BST_RX_DUPLICATES] + 1);
    axon_link_close(l);
}

/* a board that never answers: a clear timeout after the retries, no hang */
Test(vboard, silent_board_times_out)
{
    axon_link *l = open_link(50);
    uint32_t s[AXON_PROTO_BST_N];
    axon_vboard_fault(vb, 0, AXON_VB_DROP_REPLY, 0, 1000);
    cr_assert_eq(axon_link_status(l, s), AXON_ERR_TIMEOUT);
    const char *e = axon_link_last_error(l);
    cr_expect(strstr(e, "AXONVB00") && strstr(e, "STATUS") && strstr(e, "timed out after 3"),
              "%s", e);
    /* the link stays usable once the board answers again */
    axon_vboard_fault(vb, 0, AXON_VB_NONE, 0, 0);
    cr_expect_eq(axon_link_status(l, s), AXON_OK, "%s", axon_link_last_error(l));
    axon_link_close(l);
}

Test(vboard, stalls_are_cleared_and_retried)
{
    axon_link *l = open_link(100);
    uint32_t s[AXON_PROTO_BST_N];
    axon_vboard_fault(vb, 0, AXON_VB_STALL_IN, 0, 1);
    cr_assert_eq(axon_link_status(l, s), AXON_OK, "%s", axon_link_last_error(l));
    cr_expect_geq(axon_link_get_stats(l)->stalls, 1);
    axon_vboard_fault(vb, 0, AXON_VB_STALL_OUT, 0, 1);
    cr_assert_eq(axon_link_status(l, s), AXON_OK, "%s", axon_link_last_error(l));
    cr_expect_geq(axon_link_get_stats(l)->stalls, 2);
    axon_link_close(l);
}

Test(vboard, corrupt_frames_are_detected_and_retried)
{
    axon_link *l = open_link(100);
    uint32_t s[AXON_PROTO_BST_N], b[AXON_PROTO_BST_N];
    axon_vboard_fault(vb, 0, AXON_VB_CORRUPT_REPLY, 0, 1);
    cr_assert_eq(axon_link_status(l, s), AXON_OK, "%s", axon_link_last_error(l));
    cr_expect_eq(axon_link_get_stats(l)->reply_crc_errors, 1);
    axon_vboard_fault(vb, 0, AXON_VB_CORRUPT_REQUEST, 0, 1);
    cr_assert_eq(axon_link_status(l, s), AXON_OK, "%s", axon_link_last_error(l));
    cr_expect_eq(axon_link_get_stats(l)->naks, 1);
    axon_vboard_status(vb, 0, b);
    cr_expect_eq(b[AXON_PROTO_BST_RX_CRC_ERRORS], 1);
    axon_link_close(l);
}

Test(vboard, zero_length_transfers_are_ignored)
{
    axon_link *l = open_link(200);
    uint32_t s[AXON_PROTO_BST_N];
    axon_vboard_fault(vb, 0, AXON_VB_ZLP, 0, 3);
    cr_assert_eq(axon_link_status(l, s), AXON_OK, "%s", axon_link_last_error(l));
    axon_link_close(l);
}

/* ---------------------------------------------------------------- faults during runs */
#include <hdf5.h>
static int h5_truncated(const char *path)
{
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0)
        return -1;
    int v = -1;
    hid_t a = H5Aopen(f, "truncated", H5P_DEFAULT);
    if (a >= 0) {
        H5Aread(a, H5T_NATIVE_INT, &v);
        H5Aclose(a);
    }
    H5Fclose(f);
    return v;
}

static void run_ref(rn_result *r)
{
    cr_assert_eq(rn_run(NET("tutorial.json"), "ref", 0, NULL, r), AXON_OK, "%s", r->err);
}

/* short transfers and a stalled stream endpoint: the run is still exact */
Test(vboard, short_transfers_and_stream_stall_keep_results_exact)
{
    setenv("AXON_BOARD_SERIAL", "AXONVB00", 1);
    rn_result a, b;
    run_ref(&a);
    axon_vboard_fault(vb, 0, AXON_VB_SHORT, 0, 200);
    cr_assert_eq(rn_run(NET("tutorial.json"), "usb", 0, NULL, &b), AXON_OK, "%s", b.err);
    char why[256] = "";
    cr_expect(rn_equal(&a, &b, why, sizeof why), "short transfers: %s", why);
    rn_free(&b);
    axon_vboard_fault(vb, 0, AXON_VB_STALL_STREAM, 1, 1);
    cr_assert_eq(rn_run(NET("tutorial.json"), "usb", 0, NULL, &b), AXON_OK, "%s", b.err);
    cr_expect(rn_equal(&a, &b, why, sizeof why), "stream stall: %s", why);
    rn_free(&a);
    rn_free(&b);
}

/* A fault in the middle of a run: a clear error naming it, the recordings received so far
 * kept and written marked truncated, and the context usable again after reset(). */
static void fault_mid_run(axon_vb_fault f, const char *expect)
{
    setenv("AXON_BOARD_SERIAL", "AXONVB00", 1);
    rn_result ref;
    run_ref(&ref);
    char path[] = "/tmp/axon_vboard_XXXXXX.h5";
    int fd = mkstemps(path, 3);
    cr_assert_geq(fd, 0);
    close(fd);
    axon_ctx *ctx;
    axon_netfile_run nr;
    cr_assert_eq(axon_create(&ctx), AXON_OK);
    cr_assert_eq(axon_load_network(ctx, NET("tutorial.json"), &nr), AXON_OK);
    cr_assert_eq(axon_set_backend(ctx, "usb"), AXON_OK);
    cr_assert_eq(axon_set_output(ctx, path, 1), AXON_OK);
    axon_vboard_fault(vb, 0, f, 25, 1); /* in the run's second slice */
    int rc = axon_run(ctx, nr.duration_ms);
    cr_expect_neq(rc, AXON_OK);
    const char *e = axon_last_error(ctx);
    cr_expect(strstr(e, expect) != NULL, "error '%s' should mention '%s'", e, expect);
    size_t n = 0, total = 0;
    for (axon_pop p = 0; p < 2; p++) {
        axon_get_spikes(ctx, p, &n, NULL, NULL, 0);
        total += n;
    }
    uint32_t nv = 0, ns = 0;
    axon_get_signal(ctx, 0, "v", &nv, &ns, NULL, NULL, NULL);
    cr_expect_gt(ns, 0, "the v samples received before the fault are kept (%s)", e);
    cr_expect_leq(total, ref.n_spikes[0] + ref.n_spikes[1]);
    cr_expect_eq(h5_truncated(path), 1);
    /* the context stays usable: replug if needed, reset, run again, exact */
    if (f == AXON_VB_UNPLUG)
        axon_vboard_replug(vb, 0);
    cr_assert_eq(axon_reset(ctx), AXON_OK, "%s", axon_last_error(ctx));
    cr_assert_eq(axon_run(ctx, nr.duration_ms), AXON_OK, "%s", axon_last_error(ctx));
    rn_result again;
    memset(&again, 0, sizeof again);
    rn_collect(ctx, &again);
    char why[256] = "";
    cr_expect(rn_equal(&ref, &again, why, sizeof why), "after reset: %s", why);
    axon_end(ctx);
    axon_destroy(ctx);
    unlink(path);
    rn_free(&ref);
    rn_free(&again);
}

Test(vboard, unplug_mid_run) { fault_mid_run(AXON_VB_UNPLUG, "unplugged"); }
Test(vboard, board_reset_mid_run) { fault_mid_run(AXON_VB_RESET, "was reset"); }
Test(vboard, corrupt_stream_mid_run) { fault_mid_run(AXON_VB_CORRUPT_STREAM, "lost"); }
