/* The board protocol through the virtual USB board (unmodified libusb + umockdev):
 *   bench usb_vboard_latency ...     STATUS round trips
 *   bench usb_vboard_efficiency ...  64 KiB READ/WRITE bursts
 *   bench usb_vboard_stream ...      recording stream from a synthetic machine (board 1)
 * Reported, not targets: the virtual board's cost is umockdev's, not a board's. */
#include "bench_common.h"
#include "vboard.h"

#include "axon/axon.h"
#include "axon/netfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

/* CPU seconds of this process (every thread: libusb's, umockdev's handler, the board) */
static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 + (double)ru.ru_stime.tv_sec +
           ru.ru_stime.tv_usec * 1e-6;
}

int main(int argc, char **argv)
{
    const char *net = argc > 1 ? argv[1] : "examples/networks/tutorial.json";
    axon_vboard *vb;
    char err[AXON_ERRMSG_LEN];
    if (axon_vboard_create(&vb, 2, err) || axon_vboard_set_machine(vb, 1, &synth_machine, err)) {
        fprintf(stderr, "bench_vboard: %s\n", err);
        return 1;
    }
    axon_xport x;
    axon_link *l;
    if (axon_xport_usb(&x, "AXONVB00", err) || axon_link_open(&l, x, NULL, err)) {
        fprintf(stderr, "bench_vboard: %s\n", err);
        return 1;
    }
    bc_latency(l, 500, "usb_vboard");
    /* an image with a core of >= 16384 words for the bursts */
    axon_ctx *ctx;
    axon_netfile_run nr;
    uint32_t *w;
    size_t nw;
    axon_image *img;
    if (axon_create(&ctx) || axon_load_network(ctx, net, &nr) ||
        !(img = axon_machine_image(ctx)) || axon_image_to_buffer(img, &w, &nw)) {
        fprintf(stderr, "bench_vboard: %s\n", axon_last_error(ctx));
        return 1;
    }
    double t0 = bc_now();
    if (axon_link_load(l, w, nw)) {
        fprintf(stderr, "bench_vboard: %s\n", axon_link_last_error(l));
        return 1;
    }
    printf("bench usb_vboard_image_load words=%zu load_s=%.3f mib_s=%.1f\n", nw,
           bc_now() - t0, nw * 4.0 / (bc_now() - t0) / 1048576.0);
    uint32_t bestn, best = bc_largest_core(img, &bestn);
    if (bestn >= 16384)
        bc_efficiency(l, best, "usb_vboard");
    free(w);
    axon_destroy(ctx);
    axon_link_close(l);
    /* the stream through libusb: board 1 runs the synthetic machine */
    if (axon_xport_usb(&x, "AXONVB01", err) || axon_link_open(&l, x, NULL, err)) {
        fprintf(stderr, "bench_vboard: %s\n", err);
        return 1;
    }
    if (bc_load_empty(l)) {
        fprintf(stderr, "bench_vboard: %s\n", axon_link_last_error(l));
        return 1;
    }
    bc_stream(l, 5000, "usb_vboard");
    axon_link_close(l);
    /* the cost of waiting: a run whose steps take real time (real-time mode, 1 ms ticks),
     * during which libusb waits for the stream (spinning on the node without the FIFO) */
    if (axon_xport_usb(&x, "AXONVB01", err) || axon_link_open(&l, x, NULL, err) ||
        bc_load_empty(l)) {
        fprintf(stderr, "bench_vboard: %s\n", err);
        return 1;
    }
    uint64_t io0 = axon_vboard_urbs(vb);
    double c0 = cpu_s(), w0 = bc_now();
    uint32_t done = 0;
    if (axon_link_run(l, 500, AXON_PROTO_MODE_REALTIME, 1000, NULL, NULL, &done)) {
        fprintf(stderr, "bench_vboard: %s\n", axon_link_last_error(l));
        return 1;
    }
    const char *fe = getenv("AXON_VBOARD_FIFO");
    printf("bench usb_vboard_wait node=%s steps=%u tick_us=1000 wall_s=%.3f cpu_s=%.3f "
           "ioctls=%llu\n", fe && !strcmp(fe, "0") ? "file" : "fifo", done, bc_now() - w0,
           cpu_s() - c0, (unsigned long long)(axon_vboard_urbs(vb) - io0));
    axon_link_close(l);
    axon_vboard_destroy(vb);
    return 0;
}
