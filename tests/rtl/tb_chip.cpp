// Testbench of axon_chip (docs/spec/chip_if.md, docs/rtl.md "Chip and mesh"), 2 cores:
//   cfg reach   every unit through the one configuration bus: core info/version registers,
//               the router's version and info, the chip registers, a dead unit (reads 0,
//               never hangs), pipelined reads across units (data one cycle after the grant)
//   load        a network (tnet) loaded entirely through the bus: the router's table (key of
//               core 0 -> core 1 and link N), both core memories, BOOT; core_enable follows
//   packets     steps of the network: core 0's spikes go core -> router -> core 1 (its
//               packets_in counter) and core -> router -> link N (link_out, with the key and
//               a multicast control byte); the chip is idle between steps only when every
//               packet has left
//   no link     with link N absent (link_en_i) its packets are dropped and counted in
//               dropped_no_link; nothing else changes
//   link in     a packet arriving on link W with an entry to core 1 reaches it
#include "Vaxon_chip.h"
#include "tb_common.h"

extern "C" {
#include "tnet.h"
}

#include <vector>

namespace {

using Chip = tb::Dut<Vaxon_chip>;
constexpr uint32_t kRouter = AXON_CHIP_IF_UNIT_ROUTER, kChipRegs = AXON_CHIP_IF_UNIT_CHIP;
constexpr int kW = 72;

void idle_inputs(Chip &d)
{
    d->cfg_req_i = 0;
    d->tick_i = 0;
    d->link_in_valid_i = 0;
    d->link_out_ready_i = 0x3f;
}

bool cfg_write(Chip &d, uint32_t unit, uint32_t addr, uint32_t data)
{
    d->cfg_req_i = 1;
    d->cfg_we_i = 1;
    d->cfg_unit_i = unit;
    d->cfg_addr_i = addr;
    d->cfg_wdata_i = data;
    for (int i = 0; i < 100000; i++) {
        d.eval();
        bool gnt = d->cfg_gnt_o;
        d.tick();
        if (gnt) {
            d->cfg_req_i = 0;
            return true;
        }
    }
    d->cfg_req_i = 0;
    return false;
}

// reads of (unit, addr) pairs, one request per cycle when granted; data in order
bool cfg_reads(Chip &d, const std::vector<std::pair<uint32_t, uint32_t>> &req,
               std::vector<uint32_t> &out)
{
    size_t asked = 0;
    out.clear();
    for (int i = 0; i < 100000 && out.size() < req.size(); i++) {
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

uint32_t cfg_read(Chip &d, uint32_t unit, uint32_t addr)
{
    std::vector<uint32_t> v;
    return cfg_reads(d, {{unit, addr}}, v) ? v[0] : 0xDEADBEEFu;
}

uint32_t link_key(const Vaxon_chip &m, int l)
{
    uint32_t v = 0;
    for (int b = 0; b < 32; b++) {
        int i = l * kW + 8 + b;
        v |= (m.link_out_data_o[i / 32] >> (i % 32) & 1u) << b;
    }
    return v;
}
uint32_t link_ctrl(const Vaxon_chip &m, int l)
{
    uint32_t v = 0;
    for (int b = 0; b < 8; b++) {
        int i = l * kW + b;
        v |= (m.link_out_data_o[i / 32] >> (i % 32) & 1u) << b;
    }
    return v;
}

// one step: tick, then clock until idle; link outputs collected; returns cycles or -1
long step(Chip &d, std::vector<uint32_t> &link_keys, int link, bool &bad_ctrl)
{
    d->tick_i = 1;
    d.tick();
    d->tick_i = 0;
    for (long c = 1; c < 2000000; c++) {
        d.eval();
        if (d->link_out_valid_o >> link & 1 && d->link_out_ready_i >> link & 1) {
            uint32_t key = link_key(*d, link);
            link_keys.push_back(key);
            // multicast without payload, emergency 0, odd parity over the 40 bits
            uint32_t ctrl = link_ctrl(*d, link);
            bad_ctrl |= (ctrl & 0xFEu) != 0 ||
                        ((__builtin_popcount(key) + __builtin_popcount(ctrl)) & 1) != 1;
        }
        if (d->idle_o)
            return c;
        d.tick();
    }
    return -1;
}

} // namespace

int main(int argc, char **argv)
{
    tb::Args a = tb::parse_args(argc, argv, 20);
    tb::Score sc(a.seed);
    tb::Rng rng(a.seed);
    Chip d(a);
    idle_inputs(*&d);
    d->link_en_i = 0x3f;
    d->rst_ni = 0;
    d.tick();
    d->rst_ni = 1;

    // --- cfg reach (the router grants nothing while it clears its tables)
    uint32_t st = 0;
    for (int i = 0; i < 100000 && ((st = cfg_read(d, kChipRegs, AXON_CHIP_IF_REG_STATUS)) &
                                   AXON_CHIP_IF_STATUS_ROUTER_BUSY);
         i++) {
    }
    if (st & AXON_CHIP_IF_STATUS_ROUTER_BUSY)
        sc.fail("router still busy after reset (status 0x%x)", st);
    std::vector<uint32_t> v;
    std::vector<std::pair<uint32_t, uint32_t>> reach = {
        {0, AXON_CIF_REG_BASE + AXON_CIF_REG_VERSION},
        {kRouter, AXON_RIF_REG_VERSION},
        {1, AXON_CIF_REG_BASE + AXON_CIF_REG_VERSION},
        {kChipRegs, AXON_CHIP_IF_REG_VERSION},
        {7, AXON_CIF_REG_BASE + AXON_CIF_REG_VERSION}, // no core 7: dead unit
        {kChipRegs, AXON_CHIP_IF_REG_INFO},
        {kRouter, AXON_RIF_REG_INFO},
        {kRouter, 1u << AXON_RIF_ADDR_BITS}, // beyond the router's map: dead
        {kChipRegs, AXON_CHIP_IF_REG_CORE_ENABLE},
    };
    if (!cfg_reads(d, reach, v)) {
        sc.fail("pipelined reads across units did not all return");
    } else {
        uint32_t want[] = {AXON_SPEC_VERSION, AXON_SPEC_VERSION, AXON_SPEC_VERSION,
                           AXON_SPEC_VERSION, 0, 2u << AXON_CHIP_IF_INFO_N_CORES_LSB, 0, 0, 0};
        for (size_t i = 0; i < v.size(); i++) {
            if (i == 6) { // router info: 2 cores
                uint32_t nc = v[i] >> AXON_RIF_INFO_N_CORES_LSB & AXON_RIF_INFO_N_CORES_MASK;
                nc == 2 ? sc.pass() : sc.fail("router info 0x%x: %u cores, want 2", v[i], nc);
                continue;
            }
            v[i] == want[i] ? sc.pass()
                            : sc.fail("read %zu (unit %u addr 0x%x) = 0x%x, want 0x%x", i,
                                      reach[i].first, reach[i].second, v[i], want[i]);
        }
    }
    // a dead unit's write is granted (never hangs) and changes nothing
    cfg_write(d, 9, 0, 0x1234) ? sc.pass() : sc.fail("write to a dead unit not granted");

    // --- load: core 0 a spike array, core 1 IF_curr_exp, key of core 0 -> core 1 and link N
    uint32_t n_src = 4 + rng.below(8), steps = 12;
    std::vector<uint32_t> ev;
    uint32_t n_ev = 0;
    for (uint32_t t = 0; t < steps; t++)
        for (uint32_t i = 0; i < n_src; i++)
            if (rng.chance(0.3)) {
                ev.push_back(t);
                ev.push_back(i);
                n_ev++;
            }
    tnet *t = tnet_new(1, 1, 2, 1.0, 0);
    int src = tnet_array(t, 0, 0, 0, n_src, ev.data(), n_ev, 1u << 16, 1);
    int dst = tnet_neurons_uniform(t, 0, 0, 1, "IF_curr_exp", 8, nullptr, nullptr, 2u << 16, 0, 1);
    std::vector<tnet_syn> syn;
    for (uint32_t i = 0; i < n_src; i++)
        syn.push_back(tnet_syn{i, i % 8, 100, 1, AXON_SYN_TYPE_EXC});
    tnet_connect(t, src, dst, syn.data(), (uint32_t)syn.size(), 0, 0);
    axon_image *img = tnet_image(t);
    tnet_free(t);
    if (!img) {
        sc.fail("network image");
        return sc.finish();
    }
    axon_route_entry ent[2] = {
        {1u << 16, 0xFFFF0000u, 1u << (AXON_ROUTE_CORE_LSB + 1) | 1u << AXON_LINK_N},
        {0x00770000u, 0xFFFF0000u, 1u << (AXON_ROUTE_CORE_LSB + 1)}, // from link W (below)
    };
    bool ok = true;
    for (auto &e : ent) {
        uint32_t i = (uint32_t)(&e - ent);
        ok &= cfg_write(d, kRouter, AXON_RIF_REG_MC_KEY, e.key) &&
              cfg_write(d, kRouter, AXON_RIF_REG_MC_MASK, e.mask) &&
              cfg_write(d, kRouter, AXON_RIF_MC_ROUTE_BASE + i, e.route);
    }
    for (uint32_t c = 0; c < 2; c++) {
        const uint32_t *w;
        uint32_t n;
        axon_image_get_core(img, 0, 0, c, &w, &n);
        for (uint32_t i = 0; i < n; i++)
            ok &= cfg_write(d, c, AXON_CIF_MEM_BASE + i, w[i]);
        ok &= cfg_write(d, c, AXON_CIF_REG_BASE + AXON_CIF_REG_CTRL, AXON_CIF_CTRL_BOOT);
    }
    axon_image_destroy(img);
    ok ? sc.pass() : sc.fail("a configuration write was not granted");
    uint32_t en = cfg_read(d, kChipRegs, AXON_CHIP_IF_REG_CORE_ENABLE);
    en == 3 ? sc.pass() : sc.fail("core_enable 0x%x after booting both cores, want 0x3", en);
    for (int i = 0; i < 100000 && !d->idle_o; i++)
        d.tick();
    d->idle_o ? sc.pass() : sc.fail("chip not idle after boot");

    // --- packets: every step's spikes to core 1 and out of link N
    std::vector<uint32_t> keys;
    bool bad_ctrl = false;
    uint32_t half = steps / 2;
    for (uint32_t s = 0; s < half; s++)
        if (step(d, keys, AXON_LINK_N, bad_ctrl) < 0)
            sc.fail("step %u: chip never idle", s);
    uint32_t want_half = 0;
    for (uint32_t i = 0; i < n_ev; i++)
        want_half += ev[2 * i] < half;
    keys.size() == want_half ? sc.pass()
                             : sc.fail("%zu packets left on link N, want %u", keys.size(), want_half);
    bad_ctrl ? sc.fail("a packet on link N had a wrong control byte") : sc.pass();
    uint32_t pin = cfg_read(d, 1, AXON_CIF_REG_BASE + AXON_CIF_REG_COUNTERS + AXON_CNT_CORE_PACKETS_IN);
    pin == want_half ? sc.pass() : sc.fail("core 1 packets_in %u, want %u", pin, want_half);

    // --- no link N: the rest of the spikes are dropped there and counted, core 1 gets them
    d->link_en_i = 0x3f & ~(1u << AXON_LINK_N);
    d->link_out_ready_i = 0; // nobody would take them: the chip must
    keys.clear();
    for (uint32_t s = half; s < steps; s++)
        if (step(d, keys, AXON_LINK_N, bad_ctrl) < 0)
            sc.fail("step %u (no link N): chip never idle", s);
    keys.empty() ? sc.pass() : sc.fail("%zu packets offered on an absent link", keys.size());
    uint32_t nl = cfg_read(d, kChipRegs, AXON_CHIP_IF_REG_DROPPED_NO_LINK);
    nl == n_ev - want_half ? sc.pass()
                           : sc.fail("dropped_no_link %u, want %u", nl, n_ev - want_half);
    pin = cfg_read(d, 1, AXON_CIF_REG_BASE + AXON_CIF_REG_COUNTERS + AXON_CNT_CORE_PACKETS_IN);
    pin == n_ev ? sc.pass() : sc.fail("core 1 packets_in %u, want %u", pin, n_ev);

    // --- a packet arriving on link W (key 0x0077xxxx: table entry 1 -> core 1)
    uint32_t key = 0x00770003u, ctrl = (__builtin_popcount(key) & 1) ? 0 : 1;
    for (int i = 0; i < 3 * 32; i++)
        d->link_in_data_i[i] = 0;
    for (int b = 0; b < 40; b++) {
        int i = AXON_LINK_W * kW + b;
        uint32_t bit = b < 8 ? ctrl >> b & 1 : key >> (b - 8) & 1;
        d->link_in_data_i[i / 32] |= bit << (i % 32);
    }
    d->link_in_valid_i = 1u << AXON_LINK_W;
    bool taken = false;
    for (int i = 0; i < 1000 && !taken; i++) {
        d.eval();
        taken = d->link_in_ready_o >> AXON_LINK_W & 1;
        d.tick();
    }
    d->link_in_valid_i = 0;
    for (int i = 0; i < 1000 && !d->idle_o; i++)
        d.tick();
    taken && d->idle_o ? sc.pass() : sc.fail("packet on link W not taken or chip not idle");
    pin = cfg_read(d, 1, AXON_CIF_REG_BASE + AXON_CIF_REG_COUNTERS + AXON_CNT_CORE_PACKETS_IN);
    pin == n_ev + 1 ? sc.pass() : sc.fail("core 1 packets_in %u after the link packet, want %u",
                                          pin, n_ev + 1);
    return sc.finish();
}
