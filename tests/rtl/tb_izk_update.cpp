// axon_izk_update against the golden engine's own step (axon_golden_neuron_step, model
// Izhikevich): realistic words (PyNN parameters of the classic firing patterns converted by
// axon_model_convert, states across the whole trajectory including the step after a
// spike), random 32-bit words and edge words, with random input gaps and output stalls;
// full-rate stretches check one update per 8 clocks.
#include "Vaxon_izk_update.h"
#include "tb_common.h"
#include "tb_neuron_unit.h"

#include "axon/golden.h"
#include "axon/models.h"

#include <cmath>

namespace {

const uint32_t kModel = AXON_MODEL_IZHIKEVICH;
const uint64_t kII = 8, kLatency = 8;

using Vec = tb::NeuronVec;

uint32_t s1615(double v) { return (uint32_t)(int32_t)std::lround(v * 32768.0); }

uint32_t rb_word(tb::Rng &r)
{
    switch (r.below(6)) {
    case 0: return 0;
    case 1: return AXON_RB_CAP;
    case 2: return 0xFFFF;
    case 3: return r.below(AXON_RB_CAP + 1);
    default: return r.below(2048);
    }
}

void realistic(tb::Rng &r, const axon_model_info *m, Vec &v)
{
    // a, b, c, d of regular spiking, intrinsically bursting, chattering, fast spiking
    static const double abcd[4][4] = {
        {0.02, 0.2, -65, 8}, {0.02, 0.2, -55, 4}, {0.02, 0.2, -50, 2}, {0.1, 0.2, -65, 2}};
    const double *k = abcd[r.below(4)];
    double prm[16], ini[8];
    for (uint32_t i = 0; i < m->n_params; i++) {
        const char *nm = m->params[i].name;
        double d = m->params[i].def;
        if (!std::strcmp(nm, "a"))
            d = k[0] * r.uniform(0.8, 1.2);
        else if (!std::strcmp(nm, "b"))
            d = k[1] * r.uniform(0.8, 1.2);
        else if (!std::strcmp(nm, "c"))
            d = k[2];
        else if (!std::strcmp(nm, "d"))
            d = k[3];
        else if (!std::strcmp(nm, "i_offset"))
            d = r.uniform(-0.005, 0.03);
        else if (!std::strncmp(nm, "tau_", 4))
            d *= r.uniform(0.3, 3.0);
        prm[i] = d;
    }
    for (uint32_t i = 0; i < m->n_inits; i++)
        ini[i] = m->inits[i].def;
    char err[AXON_ERRMSG_LEN];
    const double dt = r.chance(0.5) ? 1.0 : 0.1;
    if (axon_model_convert(m, prm, ini, dt, v.p, v.s, err) != AXON_OK) {
        std::fprintf(stderr, "axon_model_convert: %s\n", err);
        std::exit(2);
    }
    v.s[AXON_S_IZHIKEVICH_V] = s1615(r.chance(0.2) ? r.uniform(25.0, 35.0) : r.uniform(-80.0, 30.0));
    v.s[AXON_S_IZHIKEVICH_U] = s1615(r.uniform(-20.0, 15.0));
    v.s[AXON_S_IZHIKEVICH_FLAGS] = r.chance(0.3);
    v.s[AXON_S_IZHIKEVICH_ISYN_E] = s1615(r.uniform(0.0, 30.0));
    v.s[AXON_S_IZHIKEVICH_ISYN_I] = s1615(r.uniform(0.0, 30.0));
}

} // namespace

int main(int argc, char **argv)
{
    tb::Args args = tb::parse_args(argc, argv, 300000);
    tb::Rng rng(args.seed);
    tb::Score score(args.seed);
    tb::Dut<Vaxon_izk_update> dut(args);
    const axon_model_info *m = axon_model_by_id(kModel);

    dut->clk_i = 0;
    dut->rst_ni = 0;
    dut->in_valid_i = 0;
    dut->out_ready_i = 0;
    dut->cfg_shift_i = 0;
    dut.tick();
    dut->rst_ni = 1;
    dut.tick();

    uint64_t issued = 0, spikes = 0, fr_vectors = 0, fr_cycles = 0, fr_batches = 0;
    uint32_t batch = 0, idx = 0;
    while (issued < args.n) {
        const uint32_t shift_e = rng.below(16), shift_i = rng.below(16);
        const uint32_t shift_word = shift_e | shift_i << AXON_WEIGHT_SHIFT_BITS;
        const bool full_rate = batch % 4 == 3;
        const double p_valid = full_rate ? 1.0 : rng.uniform(0.2, 1.0);
        const double p_ready = full_rate ? 1.0 : rng.uniform(0.2, 1.0);
        uint64_t n_batch = 100 + rng.below(900);
        if (n_batch > args.n - issued)
            n_batch = args.n - issued;
        batch++;
        dut->cfg_shift_i = shift_word;
        static const char *const names[] = {"v", "u", "flags", "isyn_exc", "isyn_inh"};
        const tb::NeuronUnit unit = {m->param_words, m->state_words, (int)kLatency, names};
        uint64_t cycles = 0;
        bool ok = tb::neuron_batch(dut, rng, score, unit, kModel, shift_word, n_batch, p_valid,
                                   p_ready, idx, 0xFF, spikes, &cycles, [&](Vec &v) {
                                       const uint32_t kind = rng.below(4);
                                       if (kind >= 2) {
                                           realistic(rng, m, v);
                                           v.kind = "realistic";
                                       } else {
                                           for (uint32_t k = 0; k < m->param_words; k++)
                                               v.p[k] = kind ? tb::edge_word(rng) : rng.u32();
                                           for (uint32_t k = 0; k < m->state_words; k++)
                                               v.s[k] = kind ? tb::edge_word(rng) : rng.u32();
                                           if (rng.chance(0.2))
                                               v.s[AXON_S_IZHIKEVICH_V] =
                                                   v.p[AXON_P_IZHIKEVICH_V_THRESH];
                                           v.kind = kind ? "edge" : "random";
                                       }
                                       v.rb_e = rb_word(rng);
                                       v.rb_i = rb_word(rng);
                                   });
        if (!ok)
            return score.finish();
        issued += n_batch;
        if (full_rate) {
            fr_vectors += n_batch;
            fr_cycles += cycles;
            fr_batches++;
        }
    }
    std::printf("full-rate batches: %" PRIu64 " neurons in %" PRIu64 " cycles; spikes %" PRIu64
                "\n",
                fr_vectors, fr_cycles, spikes);
    if (fr_vectors && fr_cycles > kII * fr_vectors + fr_batches * (kLatency + 1))
        score.fail("throughput: %" PRIu64 " cycles for %" PRIu64 " neurons (II > %" PRIu64 ")",
                   fr_cycles, fr_vectors, kII);
    return score.finish();
}
