/* libusb-1.0 transport to a board (docs/board.md): discovery by VID/PID/serial, interface
 * claim, bulk OUT requests, synchronous bulk IN replies with per-request timeouts, and a
 * ring of asynchronous bulk IN transfers kept queued on the stream endpoint. Stalls are
 * cleared (clear halt) and reported as retryable; a vanished device is reported as
 * unplugged; reconnect finds the same serial again. Single-threaded: stream transfers
 * complete inside the calls that wait for data. */
#include "axon/link.h"

#include <libusb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define STREAM_XFERS 4
#define STREAM_XFER_BYTES (64 * 1024)

typedef struct usb_st {
    libusb_context *ctx;
    libusb_device_handle *h;
    char serial[64];
    struct libusb_transfer *xf[STREAM_XFERS];
    int xf_busy[STREAM_XFERS];
    axon_bytes sq;         /* stream bytes received, not yet consumed */
    /* a board with one IN endpoint (245-mode bridge): replies and stream frames arrive
     * interleaved on ep_in and are separated by their flags */
    int single;
    unsigned char ep_async; /* where the queued IN transfers go: ep_stream, or ep_in */
    axon_deframer dmx;
    axon_bytes chq[2];
    uint8_t *enc;
    int unplugged, stalled, failed;
} usb_st;

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void stream_cb(struct libusb_transfer *t)
{
    usb_st *u = t->user_data;
    int i = 0;
    while (i < STREAM_XFERS && u->xf[i] != t)
        i++;
    if (i < STREAM_XFERS)
        u->xf_busy[i] = 0;
    switch (t->status) {
    case LIBUSB_TRANSFER_COMPLETED:
        if (t->actual_length > 0 &&
            axon_bytes_push(&u->sq, t->buffer, (size_t)t->actual_length)) {
            u->failed = 1;
            return;
        }
        break;
    case LIBUSB_TRANSFER_NO_DEVICE: u->unplugged = 1; return;
    case LIBUSB_TRANSFER_STALL: u->stalled = 1; return;
    case LIBUSB_TRANSFER_CANCELLED: return;
    default: u->failed = 1; return; /* resubmitted by the next recv */
    }
    if (libusb_submit_transfer(t) == 0 && i < STREAM_XFERS)
        u->xf_busy[i] = 1;
}

static void stream_cancel(usb_st *u)
{
    for (int i = 0; i < STREAM_XFERS; i++)
        if (u->xf[i] && u->xf_busy[i])
            libusb_cancel_transfer(u->xf[i]);
    double deadline = now_s() + 1.0;
    for (;;) {
        int busy = 0;
        for (int i = 0; i < STREAM_XFERS; i++)
            busy |= u->xf_busy[i];
        if (!busy || now_s() > deadline)
            break;
        struct timeval tv = {0, 10000};
        libusb_handle_events_timeout(u->ctx, &tv);
    }
}

static int stream_submit(usb_st *u, char *err)
{
    for (int i = 0; i < STREAM_XFERS; i++) {
        if (u->xf_busy[i])
            continue;
        if (!u->xf[i]) {
            u->xf[i] = libusb_alloc_transfer(0);
            uint8_t *buf = u->xf[i] ? malloc(STREAM_XFER_BYTES) : NULL;
            if (!buf) {
                snprintf(err, AXON_ERRMSG_LEN, "out of memory for stream transfers");
                return AXON_ERR_NO_MEMORY;
            }
            libusb_fill_bulk_transfer(u->xf[i], u->h, u->ep_async, buf,
                                      STREAM_XFER_BYTES, stream_cb, u, 0);
            u->xf[i]->flags = LIBUSB_TRANSFER_FREE_BUFFER;
        }
        u->xf[i]->dev_handle = u->h;
        u->xf[i]->endpoint = u->ep_async;
        int r = libusb_submit_transfer(u->xf[i]);
        if (r) {
            snprintf(err, AXON_ERRMSG_LEN, "cannot queue stream transfer on endpoint 0x%02X: %s",
                     u->ep_async, libusb_error_name(r));
            return r == LIBUSB_ERROR_NO_DEVICE ? AXON_ERR_NOT_FOUND : AXON_ERR_TRANSPORT;
        }
        u->xf_busy[i] = 1;
    }
    return AXON_OK;
}

static int map_err(int r, const char *what, int ep, usb_st *u, char *err)
{
    snprintf(err, AXON_ERRMSG_LEN, "%s on endpoint 0x%02X: %s", what, ep, libusb_error_name(r));
    switch (r) {
    case LIBUSB_ERROR_NO_DEVICE: u->unplugged = 1; return AXON_ERR_NOT_FOUND;
    case LIBUSB_ERROR_PIPE:
        libusb_clear_halt(u->h, (unsigned char)ep);
        snprintf(err, AXON_ERRMSG_LEN, "%s: endpoint 0x%02X stalled (halt cleared)", what, ep);
        return AXON_ERR_TRANSPORT;
    case LIBUSB_ERROR_TIMEOUT: return AXON_ERR_TIMEOUT;
    default: return AXON_ERR_TRANSPORT;
    }
}

static int u_send(void *st, const void *buf, size_t n, int timeout_ms, char *err)
{
    usb_st *u = st;
    if (u->unplugged) {
        snprintf(err, AXON_ERRMSG_LEN, "device is gone");
        return AXON_ERR_NOT_FOUND;
    }
    const uint8_t *p = buf;
    double deadline = now_s() + timeout_ms * 1e-3;
    while (n) {
        int chunk = n > (1u << 20) ? 1 << 20 : (int)n, done = 0;
        int left = (int)((deadline - now_s()) * 1000) + 1;
        int r = libusb_bulk_transfer(u->h, AXON_USB_EP_OUT, (unsigned char *)p, chunk, &done,
                                     (unsigned)(left > 0 ? left : 1));
        p += done;
        n -= (size_t)done;
        if (r)
            return map_err(r, "request", AXON_USB_EP_OUT, u, err);
    }
    return AXON_OK;
}

/* single-channel boards: whole frames from the IN byte stream to the channel queues */
static int demux(usb_st *u)
{
    int r = axon_deframer_push(&u->dmx, u->sq.b + u->sq.off, axon_bytes_avail(&u->sq));
    u->sq.off = u->sq.len;
    axon_frame f;
    while (!r && (r = axon_deframer_next(&u->dmx, &f)) != 0) {
        if (r < 0) { /* a corrupt frame is dropped: the link's timeouts and gaps see it */
            r = r == AXON_ERR_NO_MEMORY ? r : 0;
            continue;
        }
        size_t n = axon_frame_encode(u->enc, f.opcode, f.seq, f.status, f.flags, f.payload, f.n,
                                     NULL, 0);
        r = axon_bytes_push(&u->chq[(f.flags & AXON_PROTO_FLAG_STREAM) ? 1 : 0], u->enc, n);
    }
    return r;
}

static int u_recv(void *st, int ch, void *buf, size_t cap, size_t *got, int timeout_ms,
                  char *err)
{
    usb_st *u = st;
    *got = 0;
    if (ch == 0 && !u->single) {
        if (u->unplugged) {
            snprintf(err, AXON_ERRMSG_LEN, "device is gone");
            return AXON_ERR_NOT_FOUND;
        }
        int done = 0;
        int r = libusb_bulk_transfer(u->h, AXON_USB_EP_IN, buf, (int)cap, &done,
                                     (unsigned)(timeout_ms > 0 ? timeout_ms : 1));
        *got = (size_t)done;
        if (r == LIBUSB_ERROR_TIMEOUT)
            return AXON_OK;
        return r ? map_err(r, "reply", AXON_USB_EP_IN, u, err) : AXON_OK;
    }
    double deadline = now_s() + timeout_ms * 1e-3;
    for (;;) {
        axon_bytes *q = &u->sq;
        if (u->single) {
            if (demux(u)) {
                snprintf(err, AXON_ERRMSG_LEN, "out of memory separating the IN channel");
                return AXON_ERR_NO_MEMORY;
            }
            q = &u->chq[ch & 1];
        }
        if (axon_bytes_avail(q)) {
            *got = axon_bytes_pop(q, buf, cap);
            return AXON_OK;
        }
        if (u->unplugged) {
            snprintf(err, AXON_ERRMSG_LEN, "endpoint 0x%02X: device is gone", u->ep_async);
            return AXON_ERR_NOT_FOUND;
        }
        if (u->stalled || u->failed) {
            int stalled = u->stalled;
            u->stalled = u->failed = 0;
            if (stalled)
                libusb_clear_halt(u->h, u->ep_async);
            int rc = stream_submit(u, err);
            if (rc)
                return rc;
            snprintf(err, AXON_ERRMSG_LEN, "endpoint 0x%02X %s (transfers requeued)",
                     u->ep_async, stalled ? "stalled, halt cleared" : "transfer failed");
            return AXON_ERR_TRANSPORT;
        }
        double left = deadline - now_s();
        if (left <= 0)
            return AXON_OK;
        struct timeval tv = {(time_t)left, (suseconds_t)((left - (double)(time_t)left) * 1e6)};
        int r = libusb_handle_events_timeout_completed(u->ctx, &tv, NULL);
        if (r && r != LIBUSB_ERROR_INTERRUPTED)
            return map_err(r, "stream", u->ep_async, u, err);
    }
}

/* open the first matching board on u->ctx */
static int usb_attach(usb_st *u, const char *serial, char *err)
{
    libusb_device **list = NULL;
    ssize_t n = libusb_get_device_list(u->ctx, &list);
    if (n < 0) {
        snprintf(err, AXON_ERRMSG_LEN, "cannot list USB devices: %s", libusb_error_name((int)n));
        return AXON_ERR_TRANSPORT;
    }
    int rc = AXON_ERR_NOT_FOUND, seen = 0;
    char last[160] = "";
    for (ssize_t i = 0; i < n && rc; i++) {
        struct libusb_device_descriptor d;
        if (libusb_get_device_descriptor(list[i], &d) || d.idVendor != AXON_USB_VID ||
            d.idProduct != AXON_USB_PID)
            continue;
        seen++;
        libusb_device_handle *h;
        int r = libusb_open(list[i], &h);
        if (r) {
            snprintf(last, sizeof last, "; bus %u device %u: open failed: %s (check the udev "
                     "rule and permissions, docs/board.md)", libusb_get_bus_number(list[i]),
                     libusb_get_device_address(list[i]), libusb_error_name(r));
            continue;
        }
        unsigned char s[64] = "";
        if (d.iSerialNumber)
            libusb_get_string_descriptor_ascii(h, d.iSerialNumber, s, sizeof s);
        if (serial && *serial && strcmp((char *)s, serial)) {
            libusb_close(h);
            continue;
        }
        r = libusb_claim_interface(h, AXON_USB_INTERFACE);
        if (r) {
            snprintf(last, sizeof last, "; board '%s': cannot claim interface %u: %s", s,
                     AXON_USB_INTERFACE, libusb_error_name(r));
            libusb_close(h);
            continue;
        }
        u->h = h;
        snprintf(u->serial, sizeof u->serial, "%s", (char *)s);
        rc = AXON_OK;
        /* one IN endpoint only: a 245-mode bridge, replies and stream interleaved */
        struct libusb_config_descriptor *cd;
        u->single = 0;
        if (libusb_get_active_config_descriptor(list[i], &cd) == 0) {
            int has_stream = 0;
            if (cd->bNumInterfaces > AXON_USB_INTERFACE &&
                cd->interface[AXON_USB_INTERFACE].num_altsetting > 0) {
                const struct libusb_interface_descriptor *id =
                    &cd->interface[AXON_USB_INTERFACE].altsetting[0];
                for (int e = 0; e < id->bNumEndpoints; e++)
                    has_stream |= id->endpoint[e].bEndpointAddress == AXON_USB_EP_STREAM;
            }
            u->single = !has_stream;
            libusb_free_config_descriptor(cd);
        }
        u->ep_async = u->single ? AXON_USB_EP_IN : AXON_USB_EP_STREAM;
    }
    libusb_free_device_list(list, 1);
    if (rc) {
        snprintf(err, AXON_ERRMSG_LEN, "no Axon board%s%s%s found (VID:PID %04x:%04x, %d seen)%s",
                 serial && *serial ? " with serial '" : "", serial && *serial ? serial : "",
                 serial && *serial ? "'" : "", AXON_USB_VID, AXON_USB_PID, seen, last);
        return rc;
    }
    u->unplugged = u->stalled = u->failed = 0;
    u->sq.len = u->sq.off = 0;
    u->chq[0].len = u->chq[0].off = u->chq[1].len = u->chq[1].off = 0;
    axon_deframer_clear(&u->dmx);
    return stream_submit(u, err);
}

static void usb_detach(usb_st *u)
{
    if (!u->h)
        return;
    stream_cancel(u);
    libusb_release_interface(u->h, AXON_USB_INTERFACE);
    libusb_close(u->h);
    u->h = NULL;
}

static int u_reconnect(void *st, char *err)
{
    usb_st *u = st;
    usb_detach(u);
    return usb_attach(u, u->serial, err);
}

static void u_close(void *st)
{
    usb_st *u = st;
    usb_detach(u);
    for (int i = 0; i < STREAM_XFERS; i++)
        if (u->xf[i] && !u->xf_busy[i])
            libusb_free_transfer(u->xf[i]);
    libusb_exit(u->ctx);
    free(u->sq.b);
    free(u->chq[0].b);
    free(u->chq[1].b);
    free(u->enc);
    axon_deframer_free(&u->dmx);
    free(u);
}

static const axon_xport_ops usb_ops = {"usb", u_send, u_recv, u_reconnect, u_close};

int axon_xport_usb(axon_xport *out, const char *serial, char *err)
{
    usb_st *u = calloc(1, sizeof *u);
    if (!u) {
        snprintf(err, AXON_ERRMSG_LEN, "out of memory");
        return AXON_ERR_NO_MEMORY;
    }
    int r = libusb_init(&u->ctx);
    if (r) {
        snprintf(err, AXON_ERRMSG_LEN, "libusb_init: %s", libusb_error_name(r));
        free(u);
        return AXON_ERR_TRANSPORT;
    }
    axon_deframer_init(&u->dmx);
    u->enc = malloc(AXON_PROTO_MAX_FRAME_BYTES);
    if (!u->enc) {
        snprintf(err, AXON_ERRMSG_LEN, "out of memory");
        u_close(u);
        return AXON_ERR_NO_MEMORY;
    }
    int rc = usb_attach(u, serial, err);
    if (rc) {
        u_close(u);
        return rc;
    }
    out->ops = &usb_ops;
    out->st = u;
    return AXON_OK;
}

static int cmp_board(const void *a, const void *b)
{
    const axon_usb_board *x = a, *y = b;
    int kx = x->bus << 8 | x->address, ky = y->bus << 8 | y->address;
    return (kx > ky) - (kx < ky);
}

int axon_usb_list(axon_usb_board **out, size_t *count, char *err)
{
    *out = NULL;
    *count = 0;
    libusb_context *ctx;
    int r = libusb_init(&ctx);
    if (r) {
        snprintf(err, AXON_ERRMSG_LEN, "libusb_init: %s", libusb_error_name(r));
        return AXON_ERR_TRANSPORT;
    }
    libusb_device **list = NULL;
    ssize_t n = libusb_get_device_list(ctx, &list);
    if (n < 0) {
        snprintf(err, AXON_ERRMSG_LEN, "cannot list USB devices: %s", libusb_error_name((int)n));
        libusb_exit(ctx);
        return AXON_ERR_TRANSPORT;
    }
    axon_usb_board *b = calloc((size_t)n + 1, sizeof *b);
    if (!b) {
        libusb_free_device_list(list, 1);
        libusb_exit(ctx);
        snprintf(err, AXON_ERRMSG_LEN, "out of memory");
        return AXON_ERR_NO_MEMORY;
    }
    size_t k = 0;
    for (ssize_t i = 0; i < n; i++) {
        struct libusb_device_descriptor d;
        if (libusb_get_device_descriptor(list[i], &d) || d.idVendor != AXON_USB_VID ||
            d.idProduct != AXON_USB_PID)
            continue;
        axon_usb_board *e = &b[k++];
        e->bus = libusb_get_bus_number(list[i]);
        e->address = libusb_get_device_address(list[i]);
        e->vid = d.idVendor;
        e->pid = d.idProduct;
        libusb_device_handle *h;
        if (libusb_open(list[i], &h) == 0) {
            if (d.iSerialNumber)
                libusb_get_string_descriptor_ascii(h, d.iSerialNumber, (unsigned char *)e->serial,
                                                   sizeof e->serial);
            if (d.iProduct)
                libusb_get_string_descriptor_ascii(h, d.iProduct, (unsigned char *)e->product,
                                                   sizeof e->product);
            libusb_close(h);
        } else {
            snprintf(e->serial, sizeof e->serial, "(no access)");
        }
    }
    libusb_free_device_list(list, 1);
    libusb_exit(ctx);
    qsort(b, k, sizeof *b, cmp_board); /* bus, then address */
    *out = b;
    *count = k;
    return AXON_OK;
}
