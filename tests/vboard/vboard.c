/* The virtual USB board (vboard.h): umockdev testbed + usbdevfs ioctl handler + board
 * models. All ioctls arrive on umockdev's single worker thread; nothing here blocks: IN
 * URBs are parked and completed when the board model has bytes for them.
 *
 * libusb waits for completed URBs with poll(POLLOUT) on the device node, which umockdev
 * makes a regular file: always ready, so libusb would spin on REAPURBNDELAY. The node is
 * replaced by a FIFO (host.md's remedy) that this side keeps full (not writable: libusb
 * sleeps in poll) while no URB is waiting to be reaped and drains when one completes; a
 * running board is advanced by an idle source on the handler's thread instead of on each
 * reap. AXON_VBOARD_FIFO=0 keeps the plain node (libusb spinning; for comparisons). */
#define _GNU_SOURCE /* F_SETPIPE_SZ */
#include "vboard.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/usbdevice_fs.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <umockdev.h>
#ifdef AXON_HAVE_RTLBOARD
#include "rtl_board.h"
#else
typedef struct axon_rtlboard axon_rtlboard; /* (not built: AXON_BOARD=rtl is refused) */
#endif

#define MAX_BOARDS 8

typedef struct urb {
    UMockdevIoctlData *d; /* the client's struct usbdevfs_urb (and its buffer child) */
    UMockdevIoctlData *buf;
    struct urb *next;
} urb;

typedef struct vdev {
    struct axon_vboard *vb;
    unsigned idx;
    axon_board *board;
    axon_rtlboard *rtl; /* AXON_BOARD=rtl: the Verilated RTL board instead of the model */
    UMockdevIoctlBase *handler;
    char devnode[64];
    char serial[16];
    int single;
    urb *parked[2];   /* IN URBs waiting for data: replies, stream */
    urb *done;        /* completed, waiting to be reaped (FIFO) */
    int unplugged;
    axon_vb_fault fault;
    uint32_t after, count;
    int fifo;         /* our end of the device node's FIFO (-1: a plain node) */
    int fifo_full;
} vdev;

struct axon_vboard {
    UMockdevTestbed *tb;
    pthread_mutex_t mu;
    unsigned n;
    vdev dev[MAX_BOARDS];
    uint64_t urbs;
    GMainContext *hctx; /* the handlers' thread */
    GSource *runner;    /* advances running boards (idle source on hctx) */
    int closing;        /* axon_vboard_destroy: no more runner */
};

/* ------------------------------------------------------------------ the node's FIFO */
/* Full: poll(POLLOUT) on the node blocks. Drained: it returns (a URB can be reaped). */
static void fifo_fill(vdev *v)
{
    static const char junk[4096];
    if (v->fifo < 0 || v->fifo_full)
        return;
    while (write(v->fifo, junk, sizeof junk) > 0)
        ;
    ssize_t w;
    do /* (the last bytes below PIPE_BUF) */
        w = write(v->fifo, junk, 1);
    while (w > 0);
    v->fifo_full = 1;
}

static void fifo_drain(vdev *v)
{
    char tmp[4096];
    if (v->fifo < 0 || !v->fifo_full)
        return;
    while (read(v->fifo, tmp, sizeof tmp) > 0)
        ;
    v->fifo_full = 0;
}

/* ------------------------------------------------------------------ descriptors */
static const uint8_t dev_desc[18] = {
    18, 1, 0x00, 0x02, 0xFF, 0, 0, 64, AXON_USB_VID & 0xFF, AXON_USB_VID >> 8,
    AXON_USB_PID & 0xFF, AXON_USB_PID >> 8, 0x00, 0x01, 1, 2, 3, 1};
static const uint8_t cfg_desc[39] = {
    9, 2, 39, 0, 1, 1, 0, 0x80, 250,                 /* configuration */
    9, 4, AXON_USB_INTERFACE, 0, 3, 0xFF, 0, 0, 0,   /* interface: vendor class, 3 EPs */
    7, 5, AXON_USB_EP_OUT, 2, AXON_USB_MAX_PACKET & 0xFF, AXON_USB_MAX_PACKET >> 8, 0,
    7, 5, AXON_USB_EP_IN, 2, AXON_USB_MAX_PACKET & 0xFF, AXON_USB_MAX_PACKET >> 8, 0,
    7, 5, AXON_USB_EP_STREAM, 2, AXON_USB_MAX_PACKET & 0xFF, AXON_USB_MAX_PACKET >> 8, 0};
/* a single-channel board: the same without the stream endpoint */
static const uint8_t cfg_desc1[32] = {
    9, 2, 32, 0, 1, 1, 0, 0x80, 250,
    9, 4, AXON_USB_INTERFACE, 0, 2, 0xFF, 0, 0, 0,
    7, 5, AXON_USB_EP_OUT, 2, AXON_USB_MAX_PACKET & 0xFF, AXON_USB_MAX_PACKET >> 8, 0,
    7, 5, AXON_USB_EP_IN, 2, AXON_USB_MAX_PACKET & 0xFF, AXON_USB_MAX_PACKET >> 8, 0};

static size_t string_desc(const vdev *v, unsigned idx, uint8_t *out)
{
    const char *s = idx == 1 ? "Axon project" : idx == 2 ? "Axon virtual board" : v->serial;
    if (idx == 0) { /* language ids: en-US */
        out[0] = 4;
        out[1] = 3;
        out[2] = 0x09;
        out[3] = 0x04;
        return 4;
    }
    size_t n = strlen(s);
    out[0] = (uint8_t)(2 + 2 * n);
    out[1] = 3;
    for (size_t i = 0; i < n; i++) {
        out[2 + 2 * i] = (uint8_t)s[i];
        out[3 + 2 * i] = 0;
    }
    return 2 + 2 * n;
}

/* ------------------------------------------------------------------ the board */
/* the C board model (driver/board.c), or the RTL board (rtl_board.h) */
static size_t bd_pending(vdev *v, int ch)
{
#ifdef AXON_HAVE_RTLBOARD
    if (v->rtl)
        return axon_rtlboard_pending(v->rtl, ch);
#endif
    return axon_board_pending(v->board, ch);
}

static size_t bd_read(vdev *v, int ch, void *buf, size_t cap)
{
#ifdef AXON_HAVE_RTLBOARD
    if (v->rtl)
        return axon_rtlboard_read(v->rtl, ch, buf, cap);
#endif
    return axon_board_read(v->board, ch, buf, cap);
}

static void bd_write(vdev *v, const void *buf, size_t n)
{
#ifdef AXON_HAVE_RTLBOARD
    if (v->rtl) {
        axon_rtlboard_write(v->rtl, buf, n);
        return;
    }
#endif
    axon_board_write(v->board, buf, n);
}

static int bd_poll(vdev *v)
{
#ifdef AXON_HAVE_RTLBOARD
    if (v->rtl)
        return axon_rtlboard_poll(v->rtl);
#endif
    return axon_board_poll(v->board);
}

/* a request to answer or a run in progress */
static int bd_busy(vdev *v)
{
#ifdef AXON_HAVE_RTLBOARD
    if (v->rtl)
        return axon_rtlboard_busy(v->rtl);
#endif
    uint32_t st[AXON_PROTO_BST_N];
    axon_board_status(v->board, st);
    return st[AXON_PROTO_BST_STATE] == AXON_PROTO_STATE_RUNNING;
}

static void bd_power_cycle(vdev *v)
{
#ifdef AXON_HAVE_RTLBOARD
    if (v->rtl) {
        axon_rtlboard_power_cycle(v->rtl);
        return;
    }
#endif
    axon_board_power_cycle(v->board);
}

/* ------------------------------------------------------------------ URB plumbing */
static struct usbdevfs_urb *U(urb *u) { return (struct usbdevfs_urb *)u->d->data; }

static void push_done(vdev *v, urb *u, int status, int actual)
{
    U(u)->status = status;
    U(u)->actual_length = actual;
    u->next = NULL;
    urb **p = &v->done;
    while (*p)
        p = &(*p)->next;
    *p = u;
    fifo_drain(v); /* wake libusb */
}

static int fault_now(vdev *v, axon_vb_fault f)
{
    if (v->fault != f || !v->count)
        return 0;
    if (v->after) {
        v->after--;
        return 0;
    }
    if (--v->count == 0)
        v->fault = AXON_VB_NONE;
    return 1;
}

static void do_unplug(vdev *v)
{
    v->unplugged = 1;
    for (int ch = 0; ch < 2; ch++)
        while (v->parked[ch]) {
            urb *u = v->parked[ch];
            v->parked[ch] = u->next;
            push_done(v, u, -ENODEV, 0);
        }
}

/* hand the board's pending bytes to parked IN URBs */
static void start_runner(axon_vboard *vb);
static void attach_runner(axon_vboard *vb, int later);

static void deliver(vdev *v)
{
    for (int ch = 0; ch < 2; ch++) {
        while (v->parked[ch] && !v->unplugged) {
            urb *u = v->parked[ch];
            size_t pend = bd_pending(v, ch);
            if (!pend)
                break;
            if (ch == 1 && (fault_now(v, AXON_VB_UNPLUG))) {
                do_unplug(v);
                return;
            }
            if (ch == 1 && fault_now(v, AXON_VB_RESET)) {
                bd_power_cycle(v);
                continue;
            }
            v->parked[ch] = u->next;
            if (fault_now(v, ch ? AXON_VB_STALL_STREAM : AXON_VB_STALL_IN)) {
                push_done(v, u, -EPIPE, 0);
                continue;
            }
            if (fault_now(v, AXON_VB_ZLP)) {
                push_done(v, u, 0, 0);
                continue;
            }
            if (!ch && fault_now(v, AXON_VB_DROP_REPLY)) {
                uint8_t trash[4096];
                while (bd_pending(v, 0))
                    bd_read(v, 0, trash, sizeof trash);
                v->parked[ch] = u; /* still waiting */
                u->next = NULL;
                break;
            }
            size_t cap = (size_t)U(u)->buffer_length;
            if (fault_now(v, AXON_VB_SHORT) && cap > 5)
                cap = 5;
            size_t n = bd_read(v, ch, u->buf->data, cap);
            if (n && fault_now(v, ch ? AXON_VB_CORRUPT_STREAM : AXON_VB_CORRUPT_REPLY))
                u->buf->data[n / 2] ^= 0x10;
            push_done(v, u, 0, (int)n);
        }
    }
}

static void free_urb(urb *u)
{
    g_object_unref(u->buf);
    g_object_unref(u->d);
    free(u);
}

static void submit(vdev *v, UMockdevIoctlClient *client, UMockdevIoctlData *arg)
{
    if (v->unplugged) {
        umockdev_ioctl_client_complete(client, -1, ENODEV);
        return;
    }
    UMockdevIoctlData *d = umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_urb), NULL);
    struct usbdevfs_urb *r = (struct usbdevfs_urb *)d->data;
    UMockdevIoctlData *buf = umockdev_ioctl_data_resolve(
        d, offsetof(struct usbdevfs_urb, buffer), (gsize)r->buffer_length, NULL);
    if (!buf) {
        g_object_unref(d);
        umockdev_ioctl_client_complete(client, -1, EINVAL);
        return;
    }
    urb *u = calloc(1, sizeof *u);
    u->d = d;
    u->buf = buf;
    if (r->type == USBDEVFS_URB_TYPE_CONTROL) {
        const uint8_t *s = buf->data;
        int len = 0;
        if (s[0] == 0x80 && s[1] == 6) { /* GET_DESCRIPTOR */
            uint8_t tmp[256];
            size_t n = 0;
            unsigned type = s[3], idx = s[2], want = (unsigned)(s[6] | s[7] << 8);
            if (type == 1) {
                memcpy(tmp, dev_desc, n = sizeof dev_desc);
            } else if (type == 2 && v->single) {
                memcpy(tmp, cfg_desc1, n = sizeof cfg_desc1);
            } else if (type == 2) {
                memcpy(tmp, cfg_desc, n = sizeof cfg_desc);
            } else if (type == 3) {
                n = string_desc(v, idx, tmp);
            }
            if (n > want)
                n = want;
            if ((int)n > r->buffer_length - 8)
                n = (size_t)(r->buffer_length - 8);
            memcpy(buf->data + 8, tmp, n);
            len = (int)n;
        }
        umockdev_ioctl_client_complete(client, 0, 0);
        push_done(v, u, 0, len);
        return;
    }
    if (!(r->endpoint & 0x80)) { /* bulk OUT: a request stream for the board */
        umockdev_ioctl_client_complete(client, 0, 0);
        if (fault_now(v, AXON_VB_STALL_OUT)) {
            push_done(v, u, -EPIPE, 0);
            return;
        }
        if (r->buffer_length > 0 && fault_now(v, AXON_VB_CORRUPT_REQUEST))
            buf->data[r->buffer_length / 2] ^= 0x10;
        bd_write(v, buf->data, (size_t)r->buffer_length);
        push_done(v, u, 0, r->buffer_length);
        deliver(v); /* the replies to the requests just written */
        start_runner(v->vb);
        return;
    }
    int ch = r->endpoint == AXON_USB_EP_STREAM;
    u->next = NULL;
    urb **p = &v->parked[ch];
    while (*p)
        p = &(*p)->next;
    *p = u;
    umockdev_ioctl_client_complete(client, 0, 0);
    deliver(v);
}

static int take(urb **list, gulong addr, urb **out)
{
    for (urb **p = list; *p; p = &(*p)->next)
        if ((*p)->d->client_addr == addr) {
            *out = *p;
            *p = (*p)->next;
            return 1;
        }
    return 0;
}

/* a board that runs produces stream frames without being asked: advance it here while
 * libusb sleeps (with the FIFO, libusb no longer reaps in a loop) */
static gboolean run_boards(gpointer user)
{
    axon_vboard *vb = user;
    int busy = 0, progress = 0;
    pthread_mutex_lock(&vb->mu);
    if (vb->closing || !vb->runner) { /* (destroyed while this call was dispatched) */
        pthread_mutex_unlock(&vb->mu);
        return G_SOURCE_REMOVE;
    }
    for (unsigned i = 0; i < vb->n; i++) {
        vdev *v = &vb->dev[i];
        if (v->unplugged)
            continue;
        if (bd_busy(v) || bd_pending(v, 0) || bd_pending(v, 1)) {
            progress |= bd_poll(v) != 0;
            deliver(v);
            busy |= bd_busy(v);
        }
    }
    /* again at once while the boards compute; a millisecond later while they only wait
     * (real time: for their next tick) */
    g_source_unref(vb->runner);
    vb->runner = NULL;
    if (busy)
        attach_runner(vb, !progress);
    pthread_mutex_unlock(&vb->mu);
    return G_SOURCE_REMOVE;
}

static void attach_runner(axon_vboard *vb, int later)
{
    vb->runner = later ? g_timeout_source_new(1) : g_idle_source_new();
    g_source_set_callback(vb->runner, run_boards, vb, NULL);
    g_source_attach(vb->runner, vb->hctx);
}

/* (called with the lock held, on the handlers' thread) */
static void start_runner(axon_vboard *vb)
{
    if (vb->runner || vb->closing || !vb->hctx || vb->dev[0].fifo < 0)
        return;
    attach_runner(vb, 0);
}

/* reads of the node: the device and configuration descriptors (as usbfs gives them) */
static gboolean on_read(UMockdevIoctlBase *h, UMockdevIoctlClient *client, gpointer user)
{
    (void)h;
    vdev *v = user;
    UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
    gsize want = umockdev_ioctl_client_get_request(client);
    uint8_t d[sizeof dev_desc + sizeof cfg_desc];
    size_t n = sizeof dev_desc + (v->single ? sizeof cfg_desc1 : sizeof cfg_desc);
    memcpy(d, dev_desc, sizeof dev_desc);
    memcpy(d + sizeof dev_desc, v->single ? cfg_desc1 : cfg_desc, n - sizeof dev_desc);
    if (n > want)
        n = want;
    umockdev_ioctl_data_update(arg, 0, d, (gint)n);
    umockdev_ioctl_client_complete(client, (glong)n, 0);
    return TRUE;
}

static gboolean on_ioctl(UMockdevIoctlBase *h, UMockdevIoctlClient *client, gpointer user)
{
    (void)h;
    vdev *v = user;
    pthread_mutex_lock(&v->vb->mu);
    if (!v->vb->hctx)
        v->vb->hctx = g_main_context_ref_thread_default();
    v->vb->urbs++;
    gulong req = umockdev_ioctl_client_get_request(client);
    UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
    gboolean handled = TRUE;
    switch (req) {
    case USBDEVFS_GET_CAPABILITIES: {
        UMockdevIoctlData *d = umockdev_ioctl_data_resolve(arg, 0, sizeof(guint32), NULL);
        /* scatter-gather: libusb submits one URB per transfer, so a short transfer ends it
         * exactly as a short packet does on a real bus */
        *(guint32 *)d->data = USBDEVFS_CAP_BULK_SCATTER_GATHER | USBDEVFS_CAP_NO_PACKET_SIZE_LIM |
                              USBDEVFS_CAP_REAP_AFTER_DISCONNECT | USBDEVFS_CAP_ZERO_PACKET;
        g_object_unref(d);
        umockdev_ioctl_client_complete(client, 0, 0);
        break;
    }
    case USBDEVFS_CLAIMINTERFACE:
    case USBDEVFS_RELEASEINTERFACE:
    case USBDEVFS_CLEAR_HALT:
    case USBDEVFS_RESETEP:
    case USBDEVFS_SETINTERFACE:
    case USBDEVFS_SETCONFIGURATION:
        if (v->unplugged)
            umockdev_ioctl_client_complete(client, -1, ENODEV);
        else
            umockdev_ioctl_client_complete(client, 0, 0);
        break;
    case USBDEVFS_SUBMITURB: submit(v, client, arg); break;
    case USBDEVFS_REAPURB:
    case USBDEVFS_REAPURBNDELAY: {
        if (!v->done && !v->unplugged && v->fifo < 0) {
            bd_poll(v); /* a running board advances while the host waits */
            deliver(v);
        }
        urb *u = v->done;
        if (!u) {
            if (!v->unplugged)
                fifo_fill(v); /* nothing to reap: libusb sleeps until a URB completes */
            umockdev_ioctl_client_complete(client, -1, v->unplugged ? ENODEV : EAGAIN);
            break;
        }
        v->done = u->next;
        UMockdevIoctlData *ptr = umockdev_ioctl_data_resolve(arg, 0, sizeof(gpointer), NULL);
        umockdev_ioctl_data_set_ptr(ptr, 0, u->d);
        g_object_unref(ptr);
        umockdev_ioctl_client_complete(client, 0, 0);
        free_urb(u);
        break;
    }
    case USBDEVFS_DISCARDURB: {
        gulong addr = *(gulong *)arg->data;
        urb *u = NULL;
        if (take(&v->parked[0], addr, &u) || take(&v->parked[1], addr, &u)) {
            push_done(v, u, -ENOENT, 0);
            umockdev_ioctl_client_complete(client, 0, 0);
        } else {
            umockdev_ioctl_client_complete(client, -1, EINVAL);
        }
        break;
    }
    default: handled = FALSE; break;
    }
    pthread_mutex_unlock(&v->vb->mu);
    return handled;
}

/* ------------------------------------------------------------------ lifecycle */
int axon_vboard_create(axon_vboard **out, unsigned n, char *err)
{
    return axon_vboard_create_ex(out, n, 0, err);
}

int axon_vboard_create_ex(axon_vboard **out, unsigned n, unsigned single_mask, char *err)
{
    *out = NULL;
    if (!n || n > MAX_BOARDS) {
        snprintf(err, AXON_ERRMSG_LEN, "virtual boards: %u requested (1..%d)", n, MAX_BOARDS);
        return AXON_ERR_INVALID_ARG;
    }
    const axon_machine_ops *machine;
    int mrc = axon_machine_by_name(getenv("AXON_BOARD_MACHINE"), &machine, err);
    if (mrc)
        return mrc;
    prctl(PR_SET_TIMERSLACK, 1UL); /* the preload sleeps after each emulated ioctl */
    const char *fe = getenv("AXON_VBOARD_FIFO");
    int use_fifo = !fe || strcmp(fe, "0") != 0;
    axon_vboard *vb = calloc(1, sizeof *vb);
    if (!vb) {
        snprintf(err, AXON_ERRMSG_LEN, "virtual boards: out of memory");
        return AXON_ERR_NO_MEMORY;
    }
    pthread_mutex_init(&vb->mu, NULL);
    vb->tb = umockdev_testbed_new();
    vb->n = n;
    for (unsigned i = 0; i < n; i++) {
        vdev *v = &vb->dev[i];
        v->vb = vb;
        v->idx = i;
        v->single = (single_mask >> i) & 1;
        v->fifo = -1;
        /* sysfs `descriptors`: device then configuration descriptor, in hex */
        char hex[2 * (sizeof dev_desc + sizeof cfg_desc) + 1];
        const uint8_t *cd = v->single ? cfg_desc1 : cfg_desc;
        size_t o = 0, ncd = v->single ? sizeof cfg_desc1 : sizeof cfg_desc;
        for (size_t k = 0; k < sizeof dev_desc; k++)
            o += (size_t)snprintf(hex + o, sizeof hex - o, "%02x", dev_desc[k]);
        for (size_t k = 0; k < ncd; k++)
            o += (size_t)snprintf(hex + o, sizeof hex - o, "%02x", cd[k]);
        snprintf(v->serial, sizeof v->serial, "AXONVB%02u", i);
        axon_board_config cfg = {.machine = machine, .serial = v->serial,
                                 .single_channel = v->single};
        const char *kind = getenv("AXON_BOARD");
        int rc;
        if (kind && !strcmp(kind, "rtl")) {
#ifdef AXON_HAVE_RTLBOARD
            rc = axon_rtlboard_create(&v->rtl, err);
#else
            snprintf(err, AXON_ERRMSG_LEN, "AXON_BOARD=rtl: this build has no RTL board "
                     "(it needs the emulator, AXON_EMU)");
            rc = AXON_ERR_UNSUPPORTED;
#endif
        } else if (kind && *kind && strcmp(kind, "model")) {
            snprintf(err, AXON_ERRMSG_LEN, "AXON_BOARD='%s': unknown (model or rtl)", kind);
            rc = AXON_ERR_INVALID_ARG;
        } else {
            rc = axon_board_create(&v->board, &cfg, err);
        }
        if (rc) {
            axon_vboard_destroy(vb);
            return rc;
        }
        snprintf(v->devnode, sizeof v->devnode, "/dev/bus/usb/001/%03u", i + 2);
        v->handler = umockdev_ioctl_base_new();
        g_signal_connect(v->handler, "handle-ioctl", G_CALLBACK(on_ioctl), v);
        if (use_fifo)
            g_signal_connect(v->handler, "handle-read", G_CALLBACK(on_read), v);
        GError *ge = NULL;
        if (!umockdev_testbed_attach_ioctl(vb->tb, v->devnode, v->handler, &ge)) {
            snprintf(err, AXON_ERRMSG_LEN, "umockdev: cannot attach ioctl handler to %s: %s",
                     v->devnode, ge ? ge->message : "?");
            g_clear_error(&ge);
            axon_vboard_destroy(vb);
            return AXON_ERR_IO;
        }
        char *desc = g_strdup_printf("P: /devices/pci0000:00/usb1/1-%u\n"
                                     "N: bus/usb/001/%03u\n"
                                     "E: SUBSYSTEM=usb\n"
                                     "E: DEVTYPE=usb_device\n"
                                     "E: DRIVER=usb\n"
                                     "E: BUSNUM=001\n"
                                     "E: DEVNUM=%03u\n"
                                     "E: DEVNAME=%s\n"
                                     "A: busnum=1\\n\n"
                                     "A: devnum=%u\\n\n"
                                     "A: bConfigurationValue=1\\n\n"
                                     "A: speed=480\\n\n"
                                     "A: serial=%s\\n\n"
                                     "H: descriptors=%s\n",
                                     i + 1, i + 2, i + 2, v->devnode, i + 2, v->serial, hex);
        gboolean ok = umockdev_testbed_add_from_string(vb->tb, desc, &ge);
        g_free(desc);
        if (!ok) {
            snprintf(err, AXON_ERRMSG_LEN, "umockdev: cannot add board %u: %s", i,
                     ge ? ge->message : "?");
            g_clear_error(&ge);
            axon_vboard_destroy(vb);
            return AXON_ERR_IO;
        }
        if (use_fifo) { /* the node becomes a FIFO (see the top of this file) */
            char *root = umockdev_testbed_get_root_dir(vb->tb); /* (ours to free) */
            char *path = g_build_filename(root, v->devnode, NULL);
            g_free(root);
            int bad = unlink(path) || mkfifo(path, 0666) ||
                      (v->fifo = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC)) < 0;
            g_free(path);
            if (!bad)
                fcntl(v->fifo, F_SETPIPE_SZ, 4096); /* one write fills it */
            if (bad) {
                snprintf(err, AXON_ERRMSG_LEN, "virtual board %u: cannot make its node a FIFO: %s",
                         i, strerror(errno));
                axon_vboard_destroy(vb);
                return AXON_ERR_IO;
            }
            fifo_fill(v);
        }
    }
    *out = vb;
    return AXON_OK;
}

void axon_vboard_destroy(axon_vboard *vb)
{
    if (!vb)
        return;
    pthread_mutex_lock(&vb->mu); /* (waits for a runner call in progress) */
    vb->closing = 1;
    if (vb->runner) {
        g_source_destroy(vb->runner);
        g_source_unref(vb->runner);
        vb->runner = NULL;
    }
    pthread_mutex_unlock(&vb->mu);
    for (unsigned i = 0; i < vb->n; i++) {
        vdev *v = &vb->dev[i];
        if (v->handler)
            umockdev_testbed_detach_ioctl(vb->tb, v->devnode, NULL);
    }
    g_clear_object(&vb->tb);
    if (vb->hctx)
        g_main_context_unref(vb->hctx);
    for (unsigned i = 0; i < vb->n; i++) {
        vdev *v = &vb->dev[i];
        g_clear_object(&v->handler);
        if (v->fifo >= 0)
            close(v->fifo);
        for (int ch = 0; ch < 2; ch++)
            while (v->parked[ch]) {
                urb *u = v->parked[ch];
                v->parked[ch] = u->next;
                free_urb(u);
            }
        while (v->done) {
            urb *u = v->done;
            v->done = u->next;
            free_urb(u);
        }
        axon_board_destroy(v->board);
#ifdef AXON_HAVE_RTLBOARD
        axon_rtlboard_destroy(v->rtl);
#endif
    }
    pthread_mutex_destroy(&vb->mu);
    free(vb);
}

void axon_vboard_fault(axon_vboard *vb, unsigned i, axon_vb_fault f, uint32_t after,
                       uint32_t count)
{
    pthread_mutex_lock(&vb->mu);
    vb->dev[i].fault = f;
    vb->dev[i].after = after;
    vb->dev[i].count = count;
    pthread_mutex_unlock(&vb->mu);
}

void axon_vboard_replug(axon_vboard *vb, unsigned i)
{
    pthread_mutex_lock(&vb->mu);
    bd_power_cycle(&vb->dev[i]);
    vb->dev[i].unplugged = 0;
    pthread_mutex_unlock(&vb->mu);
}

int axon_vboard_set_machine(axon_vboard *vb, unsigned i, const axon_machine_ops *m, char *err)
{
    axon_board_config cfg = {.machine = m, .serial = vb->dev[i].serial,
                             .single_channel = vb->dev[i].single};
    axon_board *nb;
    int rc = axon_board_create(&nb, &cfg, err);
    if (rc)
        return rc;
    pthread_mutex_lock(&vb->mu);
    axon_board_destroy(vb->dev[i].board);
    vb->dev[i].board = nb;
    pthread_mutex_unlock(&vb->mu);
    return AXON_OK;
}

void axon_vboard_status(axon_vboard *vb, unsigned i, uint32_t out[AXON_PROTO_BST_N])
{
    pthread_mutex_lock(&vb->mu);
    if (vb->dev[i].board) {
        axon_board_status(vb->dev[i].board, out);
    } else { /* the RTL board: its state only (ask it STATUS for the rest) */
        memset(out, 0, AXON_PROTO_BST_N * sizeof *out);
        out[AXON_PROTO_BST_STATE] = bd_busy(&vb->dev[i]) ? AXON_PROTO_STATE_RUNNING
                                                         : AXON_PROTO_STATE_READY;
    }
    pthread_mutex_unlock(&vb->mu);
}

uint64_t axon_vboard_urbs(axon_vboard *vb)
{
    pthread_mutex_lock(&vb->mu);
    uint64_t n = vb->urbs;
    pthread_mutex_unlock(&vb->mu);
    return n;
}
