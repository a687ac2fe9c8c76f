/* `axon` with virtual USB boards plugged in (tests only): creates n virtual boards
 * (AXON_VBOARDS, default 1) and runs the axon command line in this process, so that
 * `axon boards` and `axon run --backend usb` reach them through libusb. */
#include "vboard.h"

#include <stdio.h>
#include <stdlib.h>

int axon_cli_main(int argc, char **argv);

int main(int argc, char **argv)
{
    const char *nb = getenv("AXON_VBOARDS");
    axon_vboard *vb;
    char err[AXON_ERRMSG_LEN];
    if (axon_vboard_create(&vb, nb ? (unsigned)atoi(nb) : 1, err)) {
        fprintf(stderr, "cli_vboard: %s\n", err);
        return 1;
    }
    int rc = axon_cli_main(argc, argv);
    axon_vboard_destroy(vb);
    return rc;
}
