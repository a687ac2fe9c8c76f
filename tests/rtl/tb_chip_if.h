// The chip_if configuration bus (docs/spec/chip_if.md) driven from a testbench: shared by
// tb_chip (axon_chip) and tb_mesh (axon_mesh, which selects the chip by cfg_x_i/cfg_y_i
// first). D is a tb::Dut of a model with the chip_if ports.
#ifndef AXON_TB_CHIP_IF_H
#define AXON_TB_CHIP_IF_H

#include <cstdint>
#include <utility>
#include <vector>

namespace tb {

// one write; false if it is not granted within 200,000 cycles
template <class D> bool cfg_write(D &d, uint32_t unit, uint32_t addr, uint32_t data)
{
    d->cfg_req_i = 1;
    d->cfg_we_i = 1;
    d->cfg_unit_i = unit;
    d->cfg_addr_i = addr;
    d->cfg_wdata_i = data;
    bool gnt = false;
    for (int i = 0; i < 200000 && !gnt; i++) {
        d.eval();
        gnt = d->cfg_gnt_o;
        d.tick();
    }
    d->cfg_req_i = 0;
    return gnt;
}

// reads of (unit, addr) pairs, a request per cycle when granted; data in order into out
template <class D>
bool cfg_reads(D &d, const std::vector<std::pair<uint32_t, uint32_t>> &req,
               std::vector<uint32_t> &out)
{
    size_t asked = 0;
    out.clear();
    for (int i = 0; i < 200000 && out.size() < req.size(); i++) {
        d->cfg_req_i = asked < req.size();
        d->cfg_we_i = 0;
        if (asked < req.size()) {
            d->cfg_unit_i = req[asked].first;
            d->cfg_addr_i = req[asked].second;
        }
        d.eval();
        if (d->cfg_rvalid_o)
            out.push_back(d->cfg_rdata_o);
        bool took = d->cfg_req_i && d->cfg_gnt_o;
        d.tick();
        asked += took;
    }
    d->cfg_req_i = 0;
    return out.size() == req.size();
}

template <class D> uint32_t cfg_read(D &d, uint32_t unit, uint32_t addr)
{
    std::vector<uint32_t> v;
    return cfg_reads(d, {{unit, addr}}, v) ? v[0] : 0xDEADBEEFu;
}

} // namespace tb

#endif
