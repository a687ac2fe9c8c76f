// The emulator's only C++: Verilated neuron cores behind the C interface of vcore.h.
#include "vcore.h"

#include "Vaxon_core.h"
#include "Vaxon_router.h"
#include "verilated.h"
#include "verilated_fst_c.h"

#include <cstdio>
#include <new>
#include <vector>

struct vsim {
    VerilatedContext ctx;
    VerilatedFstC *fst = nullptr;
    bool trace = false;
    std::vector<Vaxon_core *> models;
    std::vector<Vaxon_router *> routers;
    uint64_t time = 0;
};

struct vcore {
    vsim *sim;
    Vaxon_core *m;
};

/* 72-bit packet p of a wide port: bits 72p .. 72p + 71 */
template <class W> static void put72(W &w, unsigned p, const uint32_t v[3])
{
    unsigned o = 72 * p;
    for (unsigned i = 0; i < 72; i += 8) {
        unsigned b = o + i;
        uint32_t byte = (i < 64 ? v[i / 32] >> (i % 32) : v[2]) & 0xffu;
        w[b / 32] = (w[b / 32] & ~(0xffu << (b % 32))) | byte << (b % 32);
    }
}
template <class W> static void get72(const W &w, unsigned p, uint32_t v[3])
{
    unsigned o = 72 * p;
    v[0] = v[1] = v[2] = 0;
    for (unsigned i = 0; i < 72; i += 8) {
        unsigned b = o + i;
        uint32_t byte = w[b / 32] >> (b % 32) & 0xffu;
        v[i / 32] |= byte << (i % 32);
    }
}

extern "C" {

vsim *vsim_new(int trace)
{
    vsim *s = new (std::nothrow) vsim;
    if (!s)
        return nullptr;
    s->trace = trace != 0;
    s->ctx.traceEverOn(s->trace);
    // the harness reports every failure itself; do not let $fatal/$stop abort the host
    s->ctx.fatalOnError(false);
    s->ctx.fatalOnVpiError(false);
    return s;
}

void vsim_free(vsim *s)
{
    if (!s)
        return;
    if (s->fst) {
        s->fst->close();
        delete s->fst;
    }
    delete s;
}

int vsim_trace_open(vsim *s, const char *path, char *err, unsigned errlen)
{
    if (!s->trace || s->fst) {
        std::snprintf(err, errlen, "tracing was not requested when the simulation was made");
        return -1;
    }
    s->fst = new (std::nothrow) VerilatedFstC;
    if (!s->fst) {
        std::snprintf(err, errlen, "out of memory for the trace");
        return -1;
    }
    for (Vaxon_core *m : s->models)
        m->trace(s->fst, 99);
    for (Vaxon_router *m : s->routers)
        m->trace(s->fst, 99);
    s->fst->open(path);
    if (!s->fst->isOpen()) {
        std::snprintf(err, errlen, "cannot open the trace file '%s'", path);
        delete s->fst;
        s->fst = nullptr;
        return -1;
    }
    return 0;
}

int vsim_tracing(const vsim *s) { return s->fst != nullptr; }

void vsim_half_cycle(vsim *s)
{
    if (s->fst)
        s->fst->dump(s->time);
    s->time++;
}

vcore *vcore_new(vsim *s, const char *name)
{
    vcore *v = new (std::nothrow) vcore;
    if (!v)
        return nullptr;
    v->sim = s;
    v->m = new (std::nothrow) Vaxon_core{&s->ctx, name};
    if (!v->m) {
        delete v;
        return nullptr;
    }
    Vaxon_core *m = v->m;
    try {
        s->models.push_back(m);
    } catch (...) {
        delete m;
        delete v;
        return nullptr;
    }
    m->clk_i = 0;
    m->rst_ni = 0;
    m->cfg_req_i = 0;
    m->cfg_we_i = 0;
    m->pkt_in_valid_i = 0;
    m->pkt_out_ready_i = 0;
    m->tick_i = 0;
    m->eval();
    m->clk_i = 1;
    m->eval();
    m->clk_i = 0;
    m->eval();
    m->rst_ni = 1;
    m->eval();
    return v;
}

void vcore_free(vcore *v)
{
    if (!v)
        return;
    v->m->final();
    for (auto it = v->sim->models.begin(); it != v->sim->models.end(); ++it)
        if (*it == v->m) {
            v->sim->models.erase(it);
            break;
        }
    delete v->m;
    delete v;
}

static void outputs(const Vaxon_core *m, vcore_io *io)
{
    io->cfg_gnt = m->cfg_gnt_o;
    io->cfg_rvalid = m->cfg_rvalid_o;
    io->cfg_rdata = m->cfg_rdata_o;
    io->pkt_in_ready = m->pkt_in_ready_o;
    io->pkt_out_valid = m->pkt_out_valid_o;
    for (int i = 0; i < 3; i++)
        io->pkt_out[i] = m->pkt_out_data_o[i];
    io->idle = m->idle_o;
}

void vcore_comb(vcore *v, vcore_io *io)
{
    Vaxon_core *m = v->m;
    m->clk_i = 0;
    m->cfg_req_i = io->cfg_req;
    m->cfg_we_i = io->cfg_we;
    m->cfg_addr_i = io->cfg_addr;
    m->cfg_wdata_i = io->cfg_wdata;
    m->pkt_in_valid_i = io->pkt_in_valid;
    for (int i = 0; i < 3; i++)
        m->pkt_in_data_i[i] = io->pkt_in[i];
    m->pkt_out_ready_i = io->pkt_out_ready;
    m->tick_i = io->tick;
    m->eval();
    outputs(m, io);
}

void vcore_rise(vcore *v, vcore_io *io)
{
    v->m->clk_i = 1;
    v->m->eval();
    if (v->m->tick_i) {
        /* a tick lasts one cycle: the outputs after the edge (pkt_in_ready depends on
         * tick_i) are those of the next cycle */
        v->m->tick_i = 0;
        io->tick = 0;
        v->m->eval();
    }
    outputs(v->m, io);
}

struct vrouter {
    vsim *sim;
    Vaxon_router *m;
};

vrouter *vrouter_new(vsim *s, const char *name)
{
    vrouter *r = new (std::nothrow) vrouter;
    if (!r)
        return nullptr;
    r->sim = s;
    r->m = new (std::nothrow) Vaxon_router{&s->ctx, name};
    if (!r->m) {
        delete r;
        return nullptr;
    }
    Vaxon_router *m = r->m;
    try {
        s->routers.push_back(m);
    } catch (...) {
        delete m;
        delete r;
        return nullptr;
    }
    m->clk_i = 0;
    m->rst_ni = 0;
    m->cfg_req_i = 0;
    m->cfg_we_i = 0;
    m->in_valid_i = 0;
    m->out_ready_i = 0;
    m->eval();
    m->clk_i = 1;
    m->eval();
    m->clk_i = 0;
    m->eval();
    m->rst_ni = 1;
    m->eval();
    return r;
}

void vrouter_free(vrouter *r)
{
    if (!r)
        return;
    r->m->final();
    for (auto it = r->sim->routers.begin(); it != r->sim->routers.end(); ++it)
        if (*it == r->m) {
            r->sim->routers.erase(it);
            break;
        }
    delete r->m;
    delete r;
}

static void router_outputs(const Vaxon_router *m, vrouter_io *io)
{
    io->cfg_gnt = m->cfg_gnt_o;
    io->cfg_rvalid = m->cfg_rvalid_o;
    io->cfg_rdata = m->cfg_rdata_o;
    io->busy = m->busy_o;
    io->idle = m->idle_o;
    io->in_ready = m->in_ready_o;
    io->out_valid = m->out_valid_o;
    for (uint32_t v = io->out_valid; v; v &= v - 1)
        get72(m->out_data_o, (unsigned)__builtin_ctz(v), io->out[__builtin_ctz(v)]);
}

void vrouter_comb(vrouter *r, vrouter_io *io)
{
    Vaxon_router *m = r->m;
    m->clk_i = 0;
    m->cfg_req_i = io->cfg_req;
    m->cfg_we_i = io->cfg_we;
    m->cfg_addr_i = io->cfg_addr;
    m->cfg_wdata_i = io->cfg_wdata;
    m->in_valid_i = io->in_valid;
    for (uint32_t v = io->in_valid; v; v &= v - 1)
        put72(m->in_data_i, (unsigned)__builtin_ctz(v), io->in[__builtin_ctz(v)]);
    m->out_ready_i = io->out_ready;
    m->eval();
    router_outputs(m, io);
}

void vrouter_rise(vrouter *r, vrouter_io *io)
{
    r->m->clk_i = 1;
    r->m->eval();
    router_outputs(r->m, io);
}

} // extern "C"
