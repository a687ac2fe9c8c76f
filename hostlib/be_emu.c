/* The `emu` backend: the machine image on the Verilator emulator of the RTL neuron core
 * (axon/emu.h, docs/emulator.md). */
#include "hl_ctx.h"

#include "axon/emu.h"

#include <stdio.h>

static int emu_load(void **st, axon_image *img, const axon_ctx *ctx, char *err)
{
    axon_emu_opts o = {.trace_path = ctx->trace_path};
    return axon_emu_create((axon_emu **)st, img, &o, err);
}

static int emu_run(void *st, uint32_t steps, char *err)
{
    int rc = axon_emu_run(st, steps);
    if (rc && err)
        snprintf(err, AXON_ERRMSG_LEN, "%s", axon_emu_last_error(st));
    return rc;
}

static int emu_recording(void *st, uint32_t x, uint32_t y, uint32_t c, const uint32_t **w,
                         size_t *n)
{
    return axon_emu_recording(st, x, y, c, w, n);
}

static int emu_drain(void *st, uint32_t x, uint32_t y, uint32_t c)
{
    return axon_emu_recording_drain(st, x, y, c);
}

static int emu_core_counters(void *st, uint32_t x, uint32_t y, uint32_t c, uint64_t *out)
{
    return axon_emu_core_counters(st, x, y, c, out);
}

static int emu_router_counters(void *st, uint32_t x, uint32_t y, uint64_t *out)
{
    return axon_emu_router_counters(st, x, y, out);
}

static int emu_reset(void *st, char *err)
{
    int rc = axon_emu_reset(st);
    if (rc && err)
        snprintf(err, AXON_ERRMSG_LEN, "%s", axon_emu_last_error(st));
    return rc;
}

static void emu_destroy(void *st) { axon_emu_destroy(st); }

const hl_backend hl_backend_emu = {
    .name = "emu", .load = emu_load, .run = emu_run, .recording = emu_recording,
    .drain = emu_drain, .core_counters = emu_core_counters,
    .router_counters = emu_router_counters, .reset = emu_reset,
    .destroy = emu_destroy};
