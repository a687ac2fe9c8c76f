// axon_ring_buffer against a scoreboard that applies every accepted operation in order with
// the golden accumulation rule (axon_rb_accumulate): read-and-clear requests and synaptic
// events arrive randomly, half of them on a few "hot" accumulators so that back-to-back
// events on one address and reads right after events (the forwarding paths) are frequent;
// weights are often large, so accumulators saturate. Every read response (both types'
// 17-bit words) is compared; clears are issued at random; at the end every accumulator is
// read back and compared. Also checks the one-cycle read latency and that an event is
// accepted every clock when no read competes (II = 1).
#include "Vaxon_ring_buffer.h"
#include "tb_common.h"

#include "axon/golden.h"

#include <vector>

namespace {

const uint32_t kNeurons = 256, kSlots = AXON_SYN_RING_SLOTS, kTypes = AXON_SYN_N_TYPES;
const uint32_t kDepth = kSlots * kNeurons;

struct Model {
    std::vector<uint32_t> acc = std::vector<uint32_t>(kTypes * kDepth, 0);
    uint32_t &at(uint32_t type, uint32_t slot, uint32_t idx)
    {
        return acc[type * kDepth + slot * kNeurons + idx];
    }
    void clear() { std::fill(acc.begin(), acc.end(), 0u); }
};

struct Addr {
    uint32_t slot, idx;
};

} // namespace

int main(int argc, char **argv)
{
    tb::Args args = tb::parse_args(argc, argv, 2000000);
    tb::Rng rng(args.seed);
    tb::Score score(args.seed);
    tb::Dut<Vaxon_ring_buffer> dut(args);
    Model model;

    auto wait_idle = [&](const char *why) {
        uint64_t n = 0;
        dut->clear_i = 0;
        dut->rd_req_i = 0;
        dut->acc_valid_i = 0;
        dut.eval();
        while (dut->busy_o) {
            dut.tick();
            if (++n > 2 * kDepth) {
                score.fail("busy_o stays high after %s", why);
                std::exit(score.finish());
            }
        }
        if (n < kDepth - 1)
            score.fail("clear after %s took %" PRIu64 " cycles (< %u words)", why, n, kDepth);
    };

    dut->clk_i = 0;
    dut->rst_ni = 0;
    dut->clear_i = 0;
    dut->rd_req_i = 0;
    dut->acc_valid_i = 0;
    dut.tick();
    dut->rst_ni = 1;
    wait_idle("reset");

    Addr hot[4];
    auto new_hot = [&]() {
        for (auto &h : hot)
            h = {rng.below(kSlots), rng.below(kNeurons)};
    };
    new_hot();
    auto pick = [&](double p_hot) -> Addr {
        return rng.chance(p_hot) ? hot[rng.below(4)] : Addr{rng.below(kSlots), rng.below(kNeurons)};
    };

    bool pending = false; // a read response is due this cycle
    uint32_t pend_word[2] = {0, 0};
    Addr pend_addr{0, 0};
    uint64_t reads = 0, events = 0, sat_reads = 0, burst_events = 0, burst_cycles = 0;
    double p_rd = 0.3, p_acc = 0.8, p_hot = 0.5;
    for (uint64_t cyc = 0; reads < args.n; cyc++) {
        if (cyc % 5000 == 0) { // a new traffic mix
            p_rd = rng.uniform(0.0, 0.6);
            p_acc = rng.uniform(0.3, 1.0);
            p_hot = rng.uniform(0.2, 0.9);
            new_hot();
        }
        const bool burst = cyc % 5000 >= 4900; // events only, every clock: II = 1
        const bool rd = !burst && rng.chance(p_rd);
        const bool acc = burst || rng.chance(p_acc);
        const bool clear = !burst && rng.chance(2e-5);
        const Addr ra = pick(p_hot), aa = pick(p_hot);
        const uint32_t at = rng.below(kTypes);
        const uint32_t w = rng.chance(0.3) ? rng.below(0x10000) : rng.below(0x800);
        dut->clear_i = clear;
        dut->rd_req_i = rd;
        dut->rd_slot_i = ra.slot;
        dut->rd_idx_i = ra.idx;
        dut->acc_valid_i = acc;
        dut->acc_slot_i = aa.slot;
        dut->acc_type_i = at;
        dut->acc_idx_i = aa.idx;
        dut->acc_weight_i = w;
        dut.eval();

        // the response of last cycle's read
        if (dut->rd_rvalid_o != pending) {
            score.fail("rd_rvalid_o = %d, expected %d (read latency 1)", (int)dut->rd_rvalid_o,
                       (int)pending);
        } else if (pending) {
            reads++;
            const uint32_t e = dut->rd_rdata_o & 0x1FFFF, i = (dut->rd_rdata_o >> 17) & 0x1FFFF;
            if (e == pend_word[0] && i == pend_word[1])
                score.pass();
            else
                score.fail("read (slot %u, neuron %u): exc rtl %05x golden %05x, inh rtl %05x "
                           "golden %05x",
                           pend_addr.slot, pend_addr.idx, e, pend_word[0], i, pend_word[1]);
            sat_reads += (pend_word[0] | pend_word[1]) >> 16;
        }
        pending = false;

        const bool rd_fire = rd && dut->rd_gnt_o, acc_fire = acc && dut->acc_ready_o;
        if (rd && !dut->rd_gnt_o)
            score.fail("read not granted while idle");
        if (acc && !rd && !dut->acc_ready_o)
            score.fail("event refused with no competing read");
        if (acc_fire && rd_fire)
            score.fail("read and event accepted in the same cycle");
        if (rd_fire) {
            for (uint32_t t = 0; t < kTypes; t++) {
                pend_word[t] = model.at(t, ra.slot, ra.idx);
                model.at(t, ra.slot, ra.idx) = 0;
            }
            pend_addr = ra;
            pending = true;
        }
        if (acc_fire) {
            uint32_t &a = model.at(at, aa.slot, aa.idx);
            a = axon_rb_accumulate(a, w);
            events++;
        }
        if (burst) {
            burst_cycles++;
            burst_events += acc_fire;
        }
        dut.tick();
        if (clear) {
            // the event accepted with the clear is dropped, like every accumulator
            model.clear();
            if (pending) { // the read's response still comes, with the old words
                dut->clear_i = 0;
                dut->rd_req_i = 0;
                dut->acc_valid_i = 0;
                dut.eval();
                const uint32_t e = dut->rd_rdata_o & 0x1FFFF, i = (dut->rd_rdata_o >> 17) & 0x1FFFF;
                if (dut->rd_rvalid_o && e == pend_word[0] && i == pend_word[1])
                    score.pass();
                else
                    score.fail("read in the clear cycle: rvalid %d exc %05x/%05x inh %05x/%05x",
                               (int)dut->rd_rvalid_o, e, pend_word[0], i, pend_word[1]);
                reads++;
                pending = false;
                dut.tick();
            }
            wait_idle("clear_i");
        }
    }
    // read back everything
    dut->acc_valid_i = 0;
    dut->clear_i = 0;
    uint64_t full_checked = 0;
    for (uint32_t a = 0; a <= kDepth; a++) {
        dut->rd_req_i = a < kDepth;
        dut->rd_slot_i = a < kDepth ? a / kNeurons : 0;
        dut->rd_idx_i = a < kDepth ? a % kNeurons : 0;
        dut.eval();
        if (a > 0) {
            const uint32_t p = a - 1, e = dut->rd_rdata_o & 0x1FFFF,
                           i = (dut->rd_rdata_o >> 17) & 0x1FFFF;
            const uint32_t ge = model.at(0, p / kNeurons, p % kNeurons),
                           gi = model.at(1, p / kNeurons, p % kNeurons);
            if (!dut->rd_rvalid_o || e != ge || i != gi)
                score.fail("final read-back (slot %u, neuron %u): exc rtl %05x golden %05x, inh "
                           "rtl %05x golden %05x",
                           p / kNeurons, p % kNeurons, e, ge, i, gi);
            else
                full_checked++;
        }
        dut.tick();
    }
    if (full_checked == kDepth)
        score.pass();
    std::printf("reads %" PRIu64 " (saturated words seen in %" PRIu64 "), events %" PRIu64
                ", burst: %" PRIu64 " events in %" PRIu64 " cycles\n",
                reads, sat_reads, events, burst_events, burst_cycles);
    if (burst_events != burst_cycles)
        score.fail("events in bursts: %" PRIu64 " in %" PRIu64 " cycles (II > 1)", burst_events,
                   burst_cycles);
    return score.finish();
}
