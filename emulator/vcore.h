/* Internal: one Verilated axon_neuron_core behind a plain C interface (vcore.cpp is the only
 * C++ of the emulator). The harness (emu.c) drives the ports through vcore_io. */
#ifndef AXON_VCORE_H
#define AXON_VCORE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vcore vcore;
typedef struct vsim vsim;

/* Port values. Inputs are applied by vcore_comb; outputs are read back by it (the values
 * the core presents before the coming rising edge) and by vcore_edge (after the edge). */
typedef struct vcore_io {
    /* inputs */
    uint8_t cfg_req, cfg_we, pkt_in_valid, pkt_out_ready, tick;
    uint32_t cfg_addr, cfg_wdata;
    uint32_t pkt_in[3]; /* 72-bit packet, bits 31:0 in [0] */
    /* outputs */
    uint8_t cfg_gnt, cfg_rvalid, pkt_in_ready, pkt_out_valid, idle;
    uint32_t cfg_rdata;
    uint32_t pkt_out[3];
} vcore_io;

/* A simulation: the Verilator context shared by all cores and the optional FST trace. */
/* trace: the FST trace will be opened (vsim_trace_open) after the cores are made. */
vsim *vsim_new(int trace);
void vsim_free(vsim *s);
/* Open the FST file with every core created so far (call once, before the first cycle).
 * Returns 0 or -1 (err receives the reason). */
int vsim_trace_open(vsim *s, const char *path, char *err, unsigned errlen);
/* Dump the trace (if open) at the current time and advance it by one half cycle. */
void vsim_half_cycle(vsim *s);
int vsim_tracing(const vsim *s);

/* A core named `name` (its scope in the trace); held in reset for a cycle. */
vcore *vcore_new(vsim *s, const char *name);
void vcore_free(vcore *v);
/* Clock low, apply the inputs, evaluate, read the outputs (those before the next edge). */
void vcore_comb(vcore *v, vcore_io *io);
/* Rising edge: state updates; reads the outputs again (idle after the edge). */
void vcore_rise(vcore *v, vcore_io *io);

#ifdef __cplusplus
}
#endif
#endif
