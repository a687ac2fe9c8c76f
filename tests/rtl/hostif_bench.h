// The board side of the host-interface testbenches (tb_hostif.cpp, tb_hostif_link.cpp): a
// model of the chip behind axon_hostif's configuration bus (random grants, in-order reads
// with random latency, per-core memories, boot with status polling, recording buffers that
// hold a core's step while full, the router's table and diagnostic counters) and one clock
// of the DUT with the FT601 bridge model (ft601_model.h).
#pragma once

#include "Vaxon_hostif.h"
#include "ft601_model.h"
#include "tb_common.h"

#include "axon_spec.h"

#include <algorithm>
#include <array>
#include <deque>
#include <vector>

namespace hostif {

constexpr int kCores = 4;          // the hostif's NumCores default
constexpr uint32_t kMemWords = 4096;

struct CfgModel {
    std::vector<uint32_t> mem[kCores];
    // boot: a core is READY after a BOOT of a memory whose header starts with the magic,
    // BUSY for a few polls first, ERROR (code MAGIC) otherwise
    bool booted[kCores] = {false, false, false, false};
    int boot_busy[kCores] = {0, 0, 0, 0};
    uint64_t boots[kCores] = {0, 0, 0, 0};
    // the chip's router: mc_key / mc_mask registers, table entries, diag counters
    uint32_t mc_key = 0, mc_mask = 0;
    std::vector<std::array<uint32_t, 3>> table = std::vector<std::array<uint32_t, 3>>(
        AXON_ROUTER_MC_ENTRIES, std::array<uint32_t, 3>{0, 0, 0});
    uint64_t table_writes = 0;
    uint32_t diag[AXON_RIF_DIAG_COUNTERS] = {};
    uint64_t dropped = 0;  // packets the router dumped or dropped as errors
    uint32_t core_enable = 0;  // the chip register (chip_if.md)
    struct Rd {
        uint64_t ready;
        uint32_t data;
    };
    std::deque<Rd> reads;
    uint64_t writes = 0, ctrl_writes = 0;
    int busy[kCores] = {0, 0, 0, 0};
    uint64_t ticks = 0, bad_ticks = 0;
    // recording buffers: each step appends 0..11 words; a core holds its step (not idle)
    // while its buffer is above kRecHold words, until the host interface drains it
    static constexpr size_t kRecHold = 40;
    std::deque<uint32_t> rec[kCores];
    std::vector<uint32_t> produced[kCores];
    uint32_t rec_serial = 0;
    uint64_t empty_pops = 0;
    explicit CfgModel(uint32_t mem_words = kMemWords)
    {
        for (auto &m : mem)
            m.assign(mem_words, 0);
    }
    uint32_t read_router(uint32_t a) const
    {
        if (a == AXON_RIF_REG_INFO)
            return (uint32_t)kCores | (uint32_t)__builtin_ctz(AXON_ROUTER_MC_ENTRIES)
                                          << AXON_RIF_INFO_MC_ENTRIES_LOG2_LSB;
        if (a == AXON_RIF_REG_MC_KEY)
            return mc_key;
        if (a == AXON_RIF_REG_MC_MASK)
            return mc_mask;
        if (a >= AXON_RIF_REG_DIAG_COUNT && a < AXON_RIF_REG_DIAG_COUNT + AXON_RIF_DIAG_COUNTERS)
            return diag[a - AXON_RIF_REG_DIAG_COUNT];
        return 0;
    }
    void write_router(uint32_t a, uint32_t v)
    {
        if (a == AXON_RIF_REG_MC_KEY)
            mc_key = v;
        else if (a == AXON_RIF_REG_MC_MASK)
            mc_mask = v;
        else if (a == AXON_RIF_REG_CTRL && (v & AXON_RIF_CTRL_CLEAR_COUNTERS))
            std::fill(std::begin(diag), std::end(diag), 0u);
        else if (a >= AXON_RIF_MC_ROUTE_BASE && a < AXON_RIF_MC_ROUTE_BASE + AXON_ROUTER_MC_ENTRIES) {
            table[a - AXON_RIF_MC_ROUTE_BASE] = {mc_key, mc_mask, v & 0xFFFFFFu};
            table_writes++;
        }
    }
    uint32_t read(int c, uint32_t a)
    {
        if (a == AXON_CIF_REG_BASE + AXON_CIF_REG_STATUS) {
            if (boot_busy[c] > 0) {
                boot_busy[c]--;
                return AXON_CIF_STATUS_BUSY;
            }
            return booted[c] ? AXON_CIF_STATUS_READY : AXON_CIF_STATUS_ERROR;
        }
        if (a == AXON_CIF_REG_BASE + AXON_CIF_REG_ERROR)
            return booted[c] ? AXON_CIF_ERR_NONE : AXON_CIF_ERR_MAGIC;
        if (a < mem[c].size())
            return mem[c][a];
        if (a == AXON_CIF_REG_BASE + AXON_CIF_REG_VERSION)
            return AXON_SPEC_VERSION;
        if (a == AXON_CIF_REG_BASE + AXON_CIF_REG_INFO)
            return 0x100u + (uint32_t)c;
        if (a == AXON_CIF_REG_BASE + AXON_CIF_REG_REC_AVAIL)
            return (uint32_t)rec[c].size();
        return 0;
    }
    uint32_t pop(int c)
    {
        if (rec[c].empty()) {
            empty_pops++;
            return 0;
        }
        uint32_t w = rec[c].front();
        rec[c].pop_front();
        return w;
    }
};

// One clock: the bridge and the model drive the DUT's inputs, its outputs act on them
inline void cycle(tb::Dut<Vaxon_hostif> &dut, ft601_model &ft, CfgModel &cfg, tb::Rng &rng,
                  tb::Score &score, double p_gnt)
{
    uint32_t d;
    ft601_drive(&ft, &d);
    dut->ft_rxf_ni = ft.rxf_n;
    dut->ft_data_i = d;
    dut->ft_txe_ni = ft.txe_n;
    bool gnt = rng.chance(p_gnt);
    dut->cfg_gnt_i = gnt;
    bool rv = !cfg.reads.empty() && cfg.reads.front().ready <= dut.cycle();
    dut->cfg_rvalid_i = rv;
    dut->cfg_rdata_i = rv ? cfg.reads.front().data : rng.u32();
    uint32_t idle = 0;
    for (int c = 0; c < kCores; c++)
        idle |= (uint32_t)(cfg.busy[c] == 0 && cfg.rec[c].size() <= CfgModel::kRecHold) << c;
    dut->idle_i = idle;
    dut.eval();
    int oe = dut->ft_oe_no, rd = dut->ft_rd_no, wr = dut->ft_wr_no;
    uint32_t dout = dut->ft_data_o;
    bool req = dut->cfg_req_o, we = dut->cfg_we_o;
    unsigned unit = dut->cfg_unit_o;
    bool router = unit == AXON_CHIP_IF_UNIT_ROUTER, chip = unit == AXON_CHIP_IF_UNIT_CHIP;
    int core = (int)unit;
    if (req && !router && !chip && unit >= (unsigned)kCores)
        score.fail("configuration access to unit %u", unit);
    if (req && (dut->cfg_x_o != 0 || dut->cfg_y_o != 0))
        score.fail("configuration access to chip (%u, %u) of a 1 x 1 board", dut->cfg_x_o,
                   dut->cfg_y_o);
    uint32_t addr = dut->cfg_addr_o, wdata = dut->cfg_wdata_o;
    bool tick = dut->tick_o;
    dut.tick();
    ft601_edge(&ft, oe, rd, wr, dout);
    if (rv)
        cfg.reads.pop_front();
    if (req && gnt) {
        if (we && chip) {
            if (addr == AXON_CHIP_IF_REG_CORE_ENABLE)
                cfg.core_enable = wdata;
        } else if (chip) {
            cfg.reads.push_back({dut.cycle() + 1, 0});
        } else if (we && router) {
            cfg.writes++;
            cfg.write_router(addr, wdata);
        } else if (we) {
            cfg.writes++;
            if (addr < cfg.mem[core].size())
                cfg.mem[core][addr] = wdata;
            else if (addr == AXON_CIF_REG_BASE + AXON_CIF_REG_CTRL) {
                cfg.ctrl_writes++;
                cfg.boots[core]++;
                cfg.booted[core] = cfg.mem[core][AXON_CORE_H_MAGIC] == AXON_CORE_MAGIC;
                cfg.boot_busy[core] = (int)rng.below(4);
            }
        } else {
            uint32_t val = router ? cfg.read_router(addr)
                           : addr == AXON_CIF_REG_BASE + AXON_CIF_REG_REC_DATA ? cfg.pop(core)
                                                                               : cfg.read(core, addr);
            cfg.reads.push_back({dut.cycle() + rng.below(4), val});
        }
    }
    for (int c = 0; c < kCores; c++)
        if (cfg.busy[c])
            cfg.busy[c]--;
    if (tick) {
        cfg.ticks++;
        uint32_t dumps = rng.below(3), errs = rng.chance(0.2);
        cfg.diag[8] += dumps;
        cfg.diag[11] += errs;
        cfg.dropped += dumps + errs;
        if (idle != (1u << kCores) - 1)
            cfg.bad_ticks++;
        for (int c = 0; c < kCores; c++) {
            cfg.busy[c] = 1 + (int)rng.below(12);
            uint32_t k = rng.below(12);
            for (uint32_t i = 0; i < k; i++) {
                uint32_t w = (uint32_t)c << 28 | cfg.rec_serial++;
                cfg.rec[c].push_back(w);
                cfg.produced[c].push_back(w);
            }
        }
    }
}

} // namespace hostif
