// axon_kiss against axon_kiss_next() (include/axon/kiss.h): seeds derived by the host's
// rule (axon_kiss_derive_seed) from random user seeds and core indices, plus hand-made
// valid seeds at the edges (c = 0, c = limit - 1, z = 0, y = 1, all ones), reloaded at
// random times; numbers consumed with random gaps, every one compared.
#include "Vaxon_kiss.h"
#include "tb_common.h"

#include "axon/kiss.h"

int main(int argc, char **argv)
{
    tb::Args args = tb::parse_args(argc, argv, 2000000);
    tb::Rng rng(args.seed);
    tb::Score score(args.seed);
    tb::Dut<Vaxon_kiss> dut(args);
    dut->clk_i = 0;
    dut->rst_ni = 0;
    dut->seed_load_i = 0;
    dut->next_i = 0;
    dut.tick();
    dut->rst_ni = 1;
    dut.tick();

    axon_kiss gold{};
    uint64_t checked = 0, loads = 0;
    bool loaded = false;
    while (checked < args.n) {
        const bool load = !loaded || rng.chance(1e-4);
        if (load) {
            uint32_t s[4];
            if (rng.chance(0.7)) {
                axon_kiss_derive_seed(rng.u64(), rng.below(1u << 16), s);
            } else {
                s[0] = tb::edge_word(rng);
                s[1] = rng.chance(0.5) ? 1u : 0xFFFFFFFFu;
                s[2] = rng.chance(0.5) ? 0u : tb::edge_word(rng);
                s[3] = rng.chance(0.5) ? AXON_KISS_C_LIMIT - 1 : 1u + rng.below(AXON_KISS_C_LIMIT - 1);
            }
            if (!axon_kiss_seed_valid(s))
                continue;
            dut->seed_load_i = 1;
            for (int k = 0; k < 4; k++)
                dut->seed_i[k] = s[k];
            dut->next_i = rng.chance(0.5); // the load wins
            dut.tick();
            dut->seed_load_i = 0;
            gold = axon_kiss{s[0], s[1], s[2], s[3]};
            loaded = true;
            loads++;
            continue;
        }
        const bool next = rng.chance(0.8);
        dut->next_i = next;
        dut.eval();
        if (next) {
            const uint32_t want = axon_kiss_next(&gold);
            if (dut->rnd_o == want)
                score.pass();
            else
                score.fail("axon_kiss number %" PRIu64 " after load %" PRIu64
                           ": rtl %08x golden %08x",
                           checked, loads, dut->rnd_o, want);
            checked++;
        }
        dut.tick();
    }
    std::printf("%" PRIu64 " numbers from %" PRIu64 " seeds\n", checked, loads);
    return score.finish();
}
