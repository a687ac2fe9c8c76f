// axon_fx_mul against include/axon/fixed.h: axon_mul (s16.15 x s16.15) and axon_mul_u032
// (s16.15 x u0.32) on random, edge-case and small operands, with random stalls (en_i = 0
// must hold the product register). One vector per clock.
#include "Vaxon_fx_mul.h"
#include "tb_common.h"

#include "axon/fixed.h"

namespace {

uint32_t operand(tb::Rng &r)
{
    switch (r.below(4)) {
    case 0: return r.u32();
    case 1: return tb::edge_word(r);
    case 2: return (uint32_t)(int32_t)(r.u32() >> (1 + r.below(31))) * (r.chance(0.5) ? 1u : ~0u);
    default: return (uint32_t)((int32_t)r.below(1 << 20) - (1 << 19)); // within +-16 in s16.15
    }
}

uint32_t golden(uint32_t a, uint32_t b, bool u032)
{
    return u032 ? (uint32_t)axon_mul_u032((int32_t)a, b) : (uint32_t)axon_mul((int32_t)a, (int32_t)b);
}

} // namespace

int main(int argc, char **argv)
{
    tb::Args args = tb::parse_args(argc, argv, 2000000);
    tb::Rng rng(args.seed);
    tb::Score score(args.seed);
    tb::Dut<Vaxon_fx_mul> dut(args);
    dut->clk_i = 0;
    dut->en_i = 0;
    dut.tick();
    // the register content before the first enabled edge is unknown: start from one load
    dut->en_i = 1;
    dut->mode_u032_i = 0;
    dut->a_i = 0;
    dut->b_i = 0;
    dut.tick();
    uint32_t expect = 0;
    for (uint64_t v = 0; v < args.n; v++) {
        const bool en = rng.chance(0.85), u032 = rng.chance(0.5);
        const uint32_t a = operand(rng), b = u032 && rng.chance(0.3) ? tb::edge_word(rng) : operand(rng);
        dut->en_i = en;
        dut->mode_u032_i = u032;
        dut->a_i = a;
        dut->b_i = b;
        dut.tick();
        if (en)
            expect = golden(a, b, u032);
        if (dut->p_o == expect)
            score.pass();
        else
            score.fail("axon_fx_mul %s a=%08x b=%08x en=%d: rtl %08x golden %08x",
                       u032 ? "mulu" : "mul", a, b, (int)en, dut->p_o, expect);
    }
    return score.finish();
}
