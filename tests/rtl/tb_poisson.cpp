// axon_poisson against axon_poisson_draw() (include/axon/golden.h), the engine's own
// Poisson draw: a stream of sources with L = exp(-lambda) for lambda over the whole valid
// range (0 to AXON_POISSON_MAX_LAMBDA, plus L = 0xFFFFFFFF and the smallest valid L), one
// PRNG stream per seed as in a core, random request gaps and response stalls. The count
// and the capped flag of every source are compared. (The cap needs 256 draws without p
// reaching L, out of reach for KISS at any valid L, so only the uncapped path is seen.)
#include "Vaxon_poisson.h"
#include "tb_common.h"

#include "axon/golden.h"

#include <cmath>
#include <deque>

int main(int argc, char **argv)
{
    tb::Args args = tb::parse_args(argc, argv, 200000);
    tb::Rng rng(args.seed);
    tb::Score score(args.seed);
    tb::Dut<Vaxon_poisson> dut(args);
    dut->clk_i = 0;
    dut->rst_ni = 0;
    dut->seed_load_i = 0;
    dut->req_valid_i = 0;
    dut->rsp_ready_i = 0;
    dut.tick();
    dut->rst_ni = 1;
    dut.tick();

    const uint32_t l_min = (uint32_t)std::floor(std::exp(-(double)AXON_POISSON_MAX_LAMBDA) * 4294967296.0);
    uint64_t done = 0, spikes = 0, draw_cycles = 0;
    while (done < args.n) {
        // a core: seed, then a batch of sources
        uint32_t s[4];
        axon_kiss_derive_seed(rng.u64(), rng.below(4096), s);
        axon_kiss gold{s[0], s[1], s[2], s[3]};
        dut->seed_load_i = 1;
        for (int k = 0; k < 4; k++)
            dut->seed_i[k] = s[k];
        dut.tick();
        dut->seed_load_i = 0;
        const double p_req = rng.uniform(0.3, 1.0), p_rsp = rng.uniform(0.3, 1.0);
        uint64_t n_batch = 50 + rng.below(500), sent = 0, got = 0, idle = 0;
        if (n_batch > args.n - done)
            n_batch = args.n - done;
        std::deque<std::pair<uint32_t, uint32_t>> q; // (L, expected count | capped << 8)
        uint32_t l = 0;
        bool have = false;
        while (got < n_batch) {
            if (!have && sent < n_batch) {
                switch (rng.below(8)) {
                case 0: l = 0xFFFFFFFFu; break;
                case 1: l = l_min + rng.below(3); break;
                case 2: l = (uint32_t)std::lround(std::exp(-rng.uniform(0.0, 0.01)) * 4294967295.0); break;
                default: l = (uint32_t)std::lround(std::exp(-rng.uniform(0.0, AXON_POISSON_MAX_LAMBDA)) * 4294967295.0);
                }
                have = true;
            }
            const bool valid = have && rng.chance(p_req);
            dut->req_valid_i = valid;
            dut->req_l_i = l;
            dut->rsp_ready_i = rng.chance(p_rsp);
            dut.eval();
            if (dut->rsp_valid_o && dut->rsp_ready_i) {
                idle = 0;
                if (q.empty()) {
                    score.fail("response without request");
                    return score.finish();
                }
                auto e = q.front();
                q.pop_front();
                got++;
                const uint32_t count = dut->rsp_count_o, capped = dut->rsp_capped_o;
                if (count == (e.second & 0x1FF) && capped == e.second >> 9)
                    score.pass();
                else
                    score.fail("L %08x: count rtl %u golden %u, capped rtl %u golden %u", e.first,
                               count, e.second & 0x1FF, capped, e.second >> 9);
                spikes += e.second & 0x1FF;
            }
            if (valid && dut->req_ready_o) {
                int capped = 0;
                uint32_t k = axon_poisson_draw(&gold, l, &capped);
                q.emplace_back(l, k | (uint32_t)capped << 9);
                sent++;
                have = false;
            }
            draw_cycles++;
            dut.tick();
            if (++idle > 2000) {
                score.fail("no response for 2000 cycles");
                return score.finish();
            }
        }
        done += n_batch;
        dut->req_valid_i = 0;
        dut->rsp_ready_i = 1;
        dut.tick();
    }
    std::printf("%" PRIu64 " sources, %" PRIu64 " spikes, %" PRIu64 " cycles\n", done, spikes,
                draw_cycles);
    return score.finish();
}
