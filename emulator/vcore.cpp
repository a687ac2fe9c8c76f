// The emulator's only C++: Verilated neuron cores behind the C interface of vcore.h.
#include "vcore.h"

#include "Vaxon_core.h"
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
    uint64_t time = 0;
};

struct vcore {
    vsim *sim;
    Vaxon_core *m;
};

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
    outputs(v->m, io);
}

} // extern "C"
