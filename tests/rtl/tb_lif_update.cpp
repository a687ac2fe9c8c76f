// axon_lif_update against the golden engine's own step (axon_golden_neuron_step) for the
// four LIF-family models.
//
// Batches: each picks a model and weight shifts (the static configuration), then streams
// neurons through the valid/ready pipeline with random input gaps and output stalls (or at
// full rate, where it checks II = 1), and drains before the next batch. Each neuron is one
// of: realistic words (PyNN parameters around the defaults converted by axon_model_convert,
// v near threshold, refractory counters, currents), random 32-bit words (the arithmetic
// wraps, so every word is defined), or edge words (extreme values, saturated ring-buffer
// words, refract 0/1/max, v exactly at threshold). Every output word, the sampled v and
// gsyn, the spike bit and the saturation flags are compared with the golden function.
#include "Vaxon_lif_update.h"
#include "tb_common.h"
#include "tb_neuron_unit.h"

#include "axon/golden.h"
#include "axon/models.h"

#include <cmath>

namespace {

const uint32_t kModels[] = {AXON_MODEL_IF_CURR_EXP, AXON_MODEL_IF_COND_EXP,
                            AXON_MODEL_IF_CURR_ALPHA, AXON_MODEL_IF_CURR_DELTA};
const int kLatency = 10;
const uint32_t kParamWords = 13, kStateWords = 6; // the RTL's port widths

using Vec = tb::NeuronVec;

uint32_t s1615(double v)
{
    double r = std::round(v * 32768.0);
    if (r > 2147483647.0)
        r = 2147483647.0;
    if (r < -2147483648.0)
        r = -2147483648.0;
    return (uint32_t)(int32_t)r;
}

uint32_t rb_word(tb::Rng &r)
{
    switch (r.below(8)) {
    case 0:
    case 1: return 0;
    case 2: return AXON_RB_CAP;         // saturated accumulator
    case 3: return 0xFFFF;              // exactly full
    case 4: return r.below(16);
    case 5: return r.below(AXON_RB_CAP + 1);
    default: return r.below(4096);
    }
}

// PyNN parameters around the defaults, converted exactly as the host does
void realistic(tb::Rng &r, const axon_model_info *m, double dt, Vec &v)
{
    double prm[32], ini[8];
    for (uint32_t k = 0; k < m->n_params; k++) {
        const char *nm = m->params[k].name;
        double d = m->params[k].def;
        if (!std::strcmp(nm, "i_offset"))
            d = r.uniform(-0.5, 2.5);
        else if (!std::strcmp(nm, "tau_refrac"))
            d = r.chance(0.3) ? 0.0 : r.uniform(0.1, 5.0);
        else if (!std::strncmp(nm, "tau_", 4) || !std::strcmp(nm, "cm"))
            d *= r.uniform(0.3, 3.0);
        else if (!std::strcmp(nm, "v_thresh"))
            d = r.uniform(-55.0, -45.0);
        else if (!std::strncmp(nm, "v_", 2) || !std::strncmp(nm, "e_rev", 5))
            d += r.uniform(-5.0, 5.0);
        prm[k] = d;
    }
    for (uint32_t k = 0; k < m->n_inits; k++)
        ini[k] = m->inits[k].def;
    char err[AXON_ERRMSG_LEN];
    if (axon_model_convert(m, prm, ini, dt, v.p, v.s, err) != AXON_OK) {
        std::fprintf(stderr, "axon_model_convert: %s\n", err);
        std::exit(2);
    }
    // state: v around threshold, some refractory counters, synaptic currents
    const int32_t vt = (int32_t)v.p[AXON_P_IF_CURR_EXP_V_THRESH];
    v.s[AXON_S_IF_CURR_EXP_V] = (uint32_t)(vt + (int32_t)s1615(r.uniform(-20.0, 1.0)));
    if (r.chance(0.2))
        v.s[AXON_S_IF_CURR_EXP_V] = (uint32_t)(vt - (int32_t)r.below(3));
    v.s[AXON_S_IF_CURR_EXP_REFRACT] = r.chance(0.7) ? 0 : r.below(6);
    for (uint32_t k = AXON_S_IF_CURR_EXP_REFRACT + 1; k < m->state_words; k++)
        v.s[k] = s1615(m->conductance ? r.uniform(0.0, 200.0) : r.uniform(-3.0, 6.0));
}

void random_words(tb::Rng &r, const axon_model_info *m, Vec &v, bool edges)
{
    for (uint32_t k = 0; k < m->param_words; k++)
        v.p[k] = edges ? tb::edge_word(r) : r.u32();
    for (uint32_t k = 0; k < m->state_words; k++)
        v.s[k] = edges ? tb::edge_word(r) : r.u32();
    if (r.chance(0.5)) // mostly not refractory, or random words would almost never update
        v.s[AXON_S_IF_CURR_EXP_REFRACT] = 0;
    if (r.chance(0.2)) // exactly at / just below threshold
        v.s[AXON_S_IF_CURR_EXP_V] = v.p[AXON_P_IF_CURR_EXP_V_THRESH] - r.below(2);
}

} // namespace

int main(int argc, char **argv)
{
    tb::Args args = tb::parse_args(argc, argv, 1000000);
    tb::Rng rng(args.seed);
    tb::Score score(args.seed);
    tb::Dut<Vaxon_lif_update> dut(args);

    dut->clk_i = 0;
    dut->rst_ni = 0;
    dut->in_valid_i = 0;
    dut->out_ready_i = 0;
    dut->cfg_model_i = AXON_MODEL_IF_CURR_EXP;
    dut->cfg_shift_i = 0;
    dut.tick();
    dut.tick();
    dut->rst_ni = 1;
    dut.tick();

    uint64_t issued = 0, spikes = 0, full_rate_vectors = 0, full_rate_cycles = 0;
    uint32_t batch = 0, idx = 0;
    const uint32_t idx_mask = 0xFF; // NumNeurons = 256
    while (issued < args.n) {
        const uint32_t model = kModels[batch % 4];
        const axon_model_info *m = axon_model_by_id(model);
        const uint32_t shift_e = rng.chance(0.2) ? rng.below(16) : 2 + rng.below(6);
        const uint32_t shift_i = rng.chance(0.2) ? rng.below(16) : 2 + rng.below(6);
        const uint32_t shift_word = shift_e | shift_i << AXON_WEIGHT_SHIFT_BITS;
        const double dt = rng.chance(0.5) ? 1.0 : 0.1;
        const bool full_rate = batch % 5 == 4;
        const double p_valid = full_rate ? 1.0 : rng.uniform(0.3, 1.0);
        const double p_ready = full_rate ? 1.0 : rng.uniform(0.3, 1.0);
        uint64_t n_batch = 200 + rng.below(1800);
        if (n_batch > args.n - issued)
            n_batch = args.n - issued;
        batch++;
        dut->cfg_model_i = model;
        dut->cfg_shift_i = shift_word;

        static const char *const names[] = {"state[0]", "state[1]", "state[2]",
                                            "state[3]", "state[4]", "state[5]"};
        const tb::NeuronUnit unit = {kParamWords, kStateWords, kLatency, names};
        uint64_t cycles = 0;
        bool ok = tb::neuron_batch(dut, rng, score, unit, model, shift_word, n_batch, p_valid,
                                   p_ready, idx, idx_mask, spikes, &cycles, [&](Vec &v) {
                                       switch (rng.below(4)) {
                                       case 0:
                                           random_words(rng, m, v, false);
                                           v.kind = "random";
                                           break;
                                       case 1:
                                           random_words(rng, m, v, true);
                                           v.kind = "edge";
                                           break;
                                       default:
                                           realistic(rng, m, dt, v);
                                           v.kind = "realistic";
                                       }
                                       v.rb_e = rb_word(rng);
                                       v.rb_i = rb_word(rng);
                                   });
        if (!ok)
            return score.finish();
        issued += n_batch;
        if (full_rate) {
            full_rate_vectors += n_batch;
            full_rate_cycles += cycles;
        }
    }
    // At full rate a batch of n neurons must take n + latency cycles (II = 1).
    std::printf("full-rate batches: %" PRIu64 " neurons in %" PRIu64 " cycles; spikes %" PRIu64
                "\n",
                full_rate_vectors, full_rate_cycles, spikes);
    const uint64_t full_batches = batch / 5;
    if (full_rate_vectors &&
        full_rate_cycles > full_rate_vectors + full_batches * (kLatency + 1))
        score.fail("throughput: %" PRIu64 " cycles for %" PRIu64 " neurons (II > 1)",
                   full_rate_cycles, full_rate_vectors);
    return score.finish();
}
