/* The emulator: a machine image executed by Verilator models of the RTL neuron core
 * (rtl/core/axon_neuron_core.sv), one model per used core (docs/emulator.md).
 *
 * The API mirrors the golden engine's (axon/engine.h). Every core is loaded through its
 * configuration bus exactly as a chip's host interface will load it (docs/spec/core_if.md):
 * every core-memory word is written, ctrl.BOOT starts the core, READY/ERROR report the
 * outcome. A timestep is a barrier: tick every core, clock until all are idle while
 * collecting the packets they emit, route those packets with the golden router model (in C:
 * the RTL router is issue 5) and deliver them through each core's packet input in the
 * engine's order, clock until all are idle again, drain the recording buffers. Results are
 * therefore deterministic and, when the RTL is right, identical to the engine's bit for bit.
 *
 * All functions return AXON_OK or a negative axon_status; the message naming the core,
 * step or argument at fault is in axon_emu_last_error(). */
#ifndef AXON_EMU_H
#define AXON_EMU_H

#include <stddef.h>
#include <stdint.h>

#include "axon/engine.h"
#include "axon/error.h"
#include "axon/image.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct axon_emu axon_emu;

typedef struct axon_emu_opts {
    const char *trace_path;        /* FST waveform of every core (GTKWave), or NULL: no trace */
    uint64_t max_cycles_per_step;  /* a step (or boot) taking longer is an error naming the
                                      core and step; 0: AXON_EMU_DEFAULT_MAX_CYCLES */
    uint32_t link_latency;         /* cycles from a router's link output to the neighbour's
                                      input (>= 1); 0: AXON_EMU_DEFAULT_LINK_LATENCY */
    uint32_t link_capacity;        /* packets a link holds before it back-pressures the
                                      sender; 0: unbounded (the default: with the routers'
                                      wait registers at "forever", bounded links can deadlock
                                      a cycle of routers each waiting for the next) */
} axon_emu_opts;

#define AXON_EMU_DEFAULT_MAX_CYCLES 20000000ull
#define AXON_EMU_DEFAULT_LINK_LATENCY 2u

/* Geometry of the emulated core (read from its info register at create). */
typedef struct axon_emu_core_info {
    uint32_t n_neurons;      /* neurons per core */
    uint32_t mem_words;      /* core-memory words */
    uint32_t rec_words;      /* recording-buffer words */
    uint32_t version;        /* AXON_SPEC_VERSION the core implements */
} axon_emu_core_info;

/* Create an emulator; with img != NULL the image is validated and loaded (as
 * axon_emu_load). On failure *out is NULL and err (AXON_ERRMSG_LEN, may be NULL) holds the
 * message. The image may be destroyed afterwards. */
int axon_emu_create(axon_emu **out, axon_image *img, const axon_emu_opts *opts, char *err);
void axon_emu_destroy(axon_emu *emu);
const char *axon_emu_last_error(const axon_emu *emu);

/* Load (replace) the image: one Verilated core per used core, every word written through the
 * configuration bus, then BOOT. Errors: an image larger than the emulated core (neurons or
 * memory words), a kind or model the core refuses (its error code, named, with the core). */
int axon_emu_load(axon_emu *emu, axon_image *img);
int axon_emu_get_core_info(const axon_emu *emu, axon_emu_core_info *out);

/* Change the cycle limit of a step or boot (0: the default). */
void axon_emu_set_max_cycles(axon_emu *emu, uint64_t max_cycles_per_step);

/* Advance n timesteps (AXON_ERR_STATE before a load, or after a failed step until reset). */
int axon_emu_run(axon_emu *emu, uint32_t n_steps);
/* BOOT every core again: step 0, recordings and counters cleared. */
int axon_emu_reset(axon_emu *emu);
uint32_t axon_emu_step(const axon_emu *emu);
/* Total simulated clock cycles since create (load, steps, register accesses). */
uint64_t axon_emu_cycles(const axon_emu *emu);
/* Packets carried by links between chips since create. */
uint64_t axon_emu_link_packets(const axon_emu *emu);
/* Cycles of the last step of core (x, y, c): its `cycles` register (tick to READY). */
int axon_emu_step_cycles(axon_emu *emu, uint32_t x, uint32_t y, uint32_t c, uint32_t *out);
/* Called for every emitted packet in the engine's order (step, core gid, emission order). */
void axon_emu_set_spike_fn(axon_emu *emu, axon_spike_fn fn, void *user);

/* 64-bit counters, extended from the 32-bit wrapping registers of the cores and of the
 * Verilated routers (diagnostic counters programmed for counters.router at load;
 * dropped_no_link counted where a link leaves the machine). */
int axon_emu_core_counters(axon_emu *emu, uint32_t x, uint32_t y, uint32_t c,
                           uint64_t out[AXON_CNT_CORE_N]);
int axon_emu_router_counters(axon_emu *emu, uint32_t x, uint32_t y,
                             uint64_t out[AXON_CNT_ROUTER_N]);

/* The core's recording stream since load/reset or the last drain (words read from its
 * rec_data register after every step). Valid until the next run/drain/reset. */
int axon_emu_recording(const axon_emu *emu, uint32_t x, uint32_t y, uint32_t c,
                       const uint32_t **words, size_t *n_words);
int axon_emu_recording_drain(axon_emu *emu, uint32_t x, uint32_t y, uint32_t c);

/* One word of a neuron's live state block, read through the configuration bus. */
int axon_emu_state_word(axon_emu *emu, uint32_t x, uint32_t y, uint32_t c, uint32_t neuron,
                        uint32_t word, uint32_t *out);

/* Low-level access to one unit of chip (x, y) (chip_if.md): c < cores_per_chip a used
 * core (core_if.md address map), c = AXON_CHIP_IF_UNIT_ROUTER the chip's router
 * (router_if map), for tests and debugging. */
int axon_emu_cfg_read(axon_emu *emu, uint32_t x, uint32_t y, uint32_t c, uint32_t addr,
                      uint32_t *out);
int axon_emu_cfg_write(axon_emu *emu, uint32_t x, uint32_t y, uint32_t c, uint32_t addr,
                       uint32_t value);

#ifdef __cplusplus
}
#endif
#endif
