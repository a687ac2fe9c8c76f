// The SystemC board model (docs/emulator.md "SystemC board model"): W x H Verilated chips
// (rtl/chip/axon_chip.sv, C++ model) wrapped in SC_MODULEs and clocked by one board clock
// (sc_clock), joined by links that are SystemC primitive channels with a latency (cycles
// from the sender's transfer to the packet being offered at the receiver) and a capacity
// (packets in flight; a full link holds the sender's ready low: back-pressure). A host-side
// controller, called between sc_start() slices, loads an image through each chip's cfg bus
// (docs/spec/chip_if.md "Host sequence") and runs barrier-synchronised timesteps: tick every
// chip, then clock until every chip is idle and every link empty.
#ifndef AXON_SC_BOARD_H
#define AXON_SC_BOARD_H

#include <systemc.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

extern "C" {
#include "axon/image.h"
}

class Vaxon_chip;

namespace axon_sc {

struct Packet {
    uint32_t w[3]; // 72-bit core_if pkt_bus packet, bits 31:0 in w[0]
};

// One direction of a chip-to-chip link. State changes (push, pop) take effect in the
// channel's update phase, so every chip sees the links as they were at the clock edge.
class Link : public sc_core::sc_prim_channel {
  public:
    explicit Link(const char *name);
    void configure(unsigned latency, unsigned capacity);
    void clear();
    bool can_push() const { return q_.size() < capacity_; }
    void push(const Packet &p, uint64_t cycle);
    bool head_ready(uint64_t cycle) const { return !q_.empty() && q_.front().due <= cycle; }
    const Packet &head() const { return q_.front().p; }
    void pop();
    bool empty() const { return q_.empty() && !has_in_; }
    uint64_t packets = 0;      // packets carried
    uint64_t full_cycles = 0;  // cycles the sender offered a packet the full link refused
    void note_refused() { full_cycles++; }

  protected:
    void update() override;

  private:
    struct Slot {
        Packet p;
        uint64_t due;
    };
    std::deque<Slot> q_;
    unsigned latency_ = 1, capacity_ = 4;
    Slot in_{};
    bool has_in_ = false, pop_ = false;
};

// One chip: the Verilated axon_chip, evaluated at every rising edge of the board clock.
// Host-side inputs are plain members the controller sets between cycles.
class Chip : public sc_core::sc_module {
  public:
    typedef Chip SC_CURRENT_USER_MODULE; // what SC_MODULE / SC_HAS_PROCESS declare
    sc_core::sc_in<bool> clk;
    Link *in[6] = {}, *out[6] = {}; // nullptr: no neighbour on that link
    // host side: inputs for the coming edge
    bool rst = false, cfg_req = false, cfg_we = false, tick = false;
    uint32_t cfg_unit = 0, cfg_addr = 0, cfg_wdata = 0;
    // outputs seen at the last edge (cfg_gnt / rvalid / rdata before it, idle after it)
    bool gnt = false, rvalid = false, idle = false;
    uint32_t rdata = 0;
    uint64_t cycle = 0;

    explicit Chip(sc_core::sc_module_name name);
    ~Chip() override;
    void on_clock();

  private:
    std::unique_ptr<Vaxon_chip> m_;
};

class Board {
  public:
    // Builds the modules and channels (SystemC elaboration: one Board per process).
    Board(unsigned width, unsigned height, bool wrap, unsigned latency, unsigned capacity);
    ~Board();
    unsigned cores_per_chip() const;
    // Link latency and capacity for the next load (every link alike).
    void set_links(unsigned latency, unsigned capacity);
    // Reset the chips, then load the image through the cfg buses; 0 or -1 (err says why).
    int load(const axon_image *img, std::string &err);
    // n barrier-synchronised steps; the recording of every used core is drained after each.
    int run(uint32_t n, std::string &err);
    // recording words of core c of chip (x, y) since load
    const std::vector<uint32_t> &recording(unsigned x, unsigned y, unsigned c) const;
    // cycles of every step run since load (tick to all idle and links empty)
    const std::vector<uint64_t> &step_cycles() const { return step_cycles_; }
    uint64_t link_packets() const;
    uint64_t link_full_cycles() const;
    uint64_t cycles() const { return cycles_; }
    uint64_t max_step_cycles = 1u << 22;
    // router wait register written at load (routing.md: wait1 bits 7:0, wait2 15:8); 0 keeps
    // the reset value (wait forever: nothing is ever dropped, blocked routers wait)
    uint32_t router_wait = 0;
    // since load, summed over the chips: packets dumped by the routers (diagnostic counter
    // 8), MC/FR packets arriving in an emergency state (counter 10, routing.md defaults) and
    // packets routed onto links without a neighbour (chip register dropped_no_link)
    int router_stats(uint64_t &dumped, uint64_t &emergency, uint64_t &no_link, std::string &err);

  private:
    void clock();
    int cfg_write(unsigned chip, uint32_t unit, uint32_t addr, uint32_t data, std::string &err);
    int cfg_read(unsigned chip, uint32_t unit, uint32_t addr, uint32_t &data, std::string &err);
    int drain(unsigned chip, unsigned c, std::string &err);
    unsigned w_, h_;
    bool wrap_;
    sc_core::sc_clock clk_;
    std::vector<std::unique_ptr<Chip>> chips_;
    std::vector<std::unique_ptr<Link>> links_;
    std::vector<std::vector<uint32_t>> rec_;
    std::vector<uint8_t> used_;
    std::vector<uint64_t> step_cycles_;
    uint64_t cycles_ = 0;
};

} // namespace axon_sc

#endif
