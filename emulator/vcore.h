/* Internal: Verilated axon_neuron_core and axon_router models behind a plain C interface
 * (vcore.cpp is the only C++ of the emulator). The harness (emu.c) drives the ports through
 * vcore_io and vrouter_io. */
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

/* The router's ports: 6 links then VROUTER_CORES local cores (the emulated router is
 * verilated with NumCores = AXON_ROUTER_MAX_CORES; route bits of cores a chip does not use
 * are never set: validation rejects them). */
#define VROUTER_PORTS 24
typedef struct vrouter vrouter;
typedef struct vrouter_io {
    /* inputs */
    uint8_t cfg_req, cfg_we;
    uint32_t cfg_addr, cfg_wdata;
    uint32_t in_valid, out_ready; /* bit per port */
    uint32_t in[VROUTER_PORTS][3];
    /* outputs */
    uint8_t cfg_gnt, cfg_rvalid, busy, idle;
    uint32_t cfg_rdata;
    uint32_t in_ready, out_valid;
    uint32_t out[VROUTER_PORTS][3]; /* only ports with out_valid are filled */
} vrouter_io;

vrouter *vrouter_new(vsim *s, const char *name);
void vrouter_free(vrouter *r);
/* clock low, inputs applied (data of valid ports only), evaluated, outputs read */
void vrouter_comb(vrouter *r, vrouter_io *io);
/* rising edge; outputs read again */
void vrouter_rise(vrouter *r, vrouter_io *io);

#ifdef __cplusplus
}
#endif
#endif
