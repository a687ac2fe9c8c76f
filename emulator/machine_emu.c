/* The emulator as the board model's machine (include/axon/board.h, docs/board.md): the
 * board's protocol engine in front of Verilated RTL neuron cores. Booting loads every core
 * through its configuration bus (axon_emu_create); live state and the core's own registers
 * (ERROR, CYCLES) are read through the same bus. */
#include "axon/board.h"
#include "axon/emu.h"

#include <stdio.h>

static int emu_m_create(void **st, axon_image *img, char *err)
{
    return axon_emu_create((axon_emu **)st, img, NULL, err);
}
static int emu_m_run(void *st, uint32_t steps, char *err)
{
    int rc = axon_emu_run(st, steps);
    if (rc && err)
        snprintf(err, AXON_ERRMSG_LEN, "%s", axon_emu_last_error(st));
    return rc;
}
static int emu_m_recording(void *st, uint32_t x, uint32_t y, uint32_t c, const uint32_t **w,
                           size_t *n)
{
    return axon_emu_recording(st, x, y, c, w, n);
}
static int emu_m_drain(void *st, uint32_t x, uint32_t y, uint32_t c)
{
    return axon_emu_recording_drain(st, x, y, c);
}
static int emu_m_core_counters(void *st, uint32_t x, uint32_t y, uint32_t c, uint64_t *out)
{
    return axon_emu_core_counters(st, x, y, c, out);
}
static int emu_m_router_counters(void *st, uint32_t x, uint32_t y, uint64_t *out)
{
    return axon_emu_router_counters(st, x, y, out);
}
static int emu_m_state_word(void *st, uint32_t x, uint32_t y, uint32_t c, uint32_t neuron,
                            uint32_t word, uint32_t *out)
{
    return axon_emu_state_word(st, x, y, c, neuron, word, out);
}
static int emu_m_reg_read(void *st, uint32_t x, uint32_t y, uint32_t c, uint32_t r,
                          uint32_t *out)
{
    return axon_emu_cfg_read(st, x, y, c, AXON_CIF_REG_BASE + r, out);
}
static int emu_m_mem_word(void *st, uint32_t x, uint32_t y, uint32_t c, uint32_t addr,
                          uint32_t *out)
{
    return axon_emu_cfg_read(st, x, y, c, AXON_CIF_MEM_BASE + addr, out);
}
static void emu_m_destroy(void *st) { axon_emu_destroy(st); }

const axon_machine_ops axon_machine_emu = {
    .name = "emu",
    .create = emu_m_create,
    .run = emu_m_run,
    .recording = emu_m_recording,
    .drain = emu_m_drain,
    .core_counters = emu_m_core_counters,
    .router_counters = emu_m_router_counters,
    .state_word = emu_m_state_word,
    .destroy = emu_m_destroy,
    .reg_read = emu_m_reg_read,
    .mem_word = emu_m_mem_word,
};
