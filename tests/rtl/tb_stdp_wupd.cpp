// axon_stdp_wupd against include/axon/stdp.h: axon_stdp_potentiate and axon_stdp_depress on
// random rules (additive and multiplicative, bounds including w_min = w_max and 0xFFFF,
// amplitudes up to amp_max), traces (single pair traces up to trace_max, summed additive
// traces up to 20 bits, the edges 0 and 1.0) and weights (inside the bounds, on them, and
// outside them as an initial weight may be: the golden 32/64-bit wrap-around included).
// Combinational: one vector per evaluation.
#include "Vaxon_stdp_wupd.h"
#include "tb_common.h"

#include "axon/stdp.h"

namespace {

uint32_t pick_trace(tb::Rng &r, bool summed)
{
    switch (r.below(5)) {
    case 0: return 0;
    case 1: return AXON_STDP_TRACE_ONE;
    case 2: return AXON_PLAST_TRACE_MAX;
    case 3: return summed ? r.below(1u << 20) : r.below(AXON_PLAST_TRACE_MAX + 1);
    default: return r.below(4 * AXON_STDP_TRACE_ONE);
    }
}

uint32_t pick_amp(tb::Rng &r)
{
    switch (r.below(4)) {
    case 0: return 0;
    case 1: return AXON_PLAST_AMP_MAX;
    default: return r.below(AXON_PLAST_AMP_MAX / 8); // PyNN-sized amplitudes (< 0.25)
    }
}

} // namespace

int main(int argc, char **argv)
{
    tb::Args args = tb::parse_args(argc, argv, 2000000);
    tb::Rng rng(args.seed);
    tb::Score score(args.seed);
    tb::Dut<Vaxon_stdp_wupd> dut(args);
    for (uint64_t v = 0; v < args.n; v++) {
        axon_stdp_rule r{};
        r.weight = rng.below(2) ? AXON_PLAST_WEIGHT_MULTIPLICATIVE : AXON_PLAST_WEIGHT_ADDITIVE;
        uint32_t a = rng.below(0x10000), b = rng.below(0x10000);
        switch (rng.below(6)) {
        case 0: a = b; break;
        case 1: b = 0xFFFF; break;
        case 2: a = 0; break;
        default: break;
        }
        r.w_min = a < b ? a : b;
        r.w_max = a < b ? b : a;
        r.a_plus = pick_amp(rng);
        r.a_minus = pick_amp(rng);
        const bool dep = rng.chance(0.5);
        const uint32_t tr = pick_trace(rng, !dep && r.weight == AXON_PLAST_WEIGHT_ADDITIVE);
        uint32_t w;
        switch (rng.below(8)) {
        case 0: w = r.w_min << 16; break;
        case 1: w = r.w_max << 16; break;
        case 2: w = rng.below(0x10000) << 16; break; // an initial weight, maybe outside
        default: {
            uint64_t span = ((uint64_t)(r.w_max - r.w_min) << 16) + 1;
            w = (r.w_min << 16) + (uint32_t)(((rng.u64() >> 32) * span) >> 32);
        }
        }
        dut->depress_i = dep;
        dut->mult_i = r.weight == AXON_PLAST_WEIGHT_MULTIPLICATIVE;
        dut->w_i = w;
        dut->w_min_i = r.w_min;
        dut->w_max_i = r.w_max;
        dut->amp_i = dep ? r.a_minus : r.a_plus;
        dut->trace_i = tr;
        dut.eval();
        const uint32_t expect = dep ? axon_stdp_depress(&r, w, tr) : axon_stdp_potentiate(&r, w, tr);
        if (dut->w_o == expect)
            score.pass();
        else
            score.fail("axon_stdp_wupd %s %s w=%08x bounds [%u, %u] amp=%u trace=%u: rtl %08x "
                       "golden %08x",
                       dep ? "depress" : "potentiate",
                       r.weight == AXON_PLAST_WEIGHT_MULTIPLICATIVE ? "mult" : "add", w, r.w_min,
                       r.w_max, dep ? r.a_minus : r.a_plus, tr, dut->w_o, expect);
    }
    return score.finish();
}
