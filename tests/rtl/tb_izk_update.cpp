// axon_izk_update against the golden engine's own step (axon_golden_neuron_step, model
// Izhikevich): realistic words (PyNN parameters of the classic firing patterns converted by
// axon_model_convert, states across the whole trajectory including the step after a
// spike), random 32-bit words and edge words, with random input gaps and output stalls;
// full-rate stretches check one update per 8 clocks.
#include "Vaxon_izk_update.h"
#include "tb_common.h"

#include "axon/golden.h"
#include "axon/models.h"

#include <cmath>
#include <deque>

namespace {

const uint32_t kModel = AXON_MODEL_IZHIKEVICH;
const uint64_t kII = 8, kLatency = 8;

struct Vec {
    uint32_t idx;
    uint32_t p[AXON_GOLDEN_MAX_WORDS];
    uint32_t s[AXON_GOLDEN_MAX_WORDS];
    uint32_t rb_e, rb_i;
    const char *kind;
};

struct Expect {
    Vec in;
    uint32_t s[AXON_GOLDEN_MAX_WORDS];
    axon_golden_neuron_out o;
};

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
        std::deque<Expect> q;
        uint64_t sent = 0, got = 0, idle = 0;
        const uint64_t c0 = dut.cycle();
        Vec cur{};
        bool have = false;
        while (got < n_batch) {
            if (!have && sent < n_batch) {
                cur = Vec{};
                cur.idx = idx++ & 0xFF;
                const uint32_t kind = rng.below(4);
                if (kind >= 2) {
                    realistic(rng, m, cur);
                    cur.kind = "realistic";
                } else {
                    for (uint32_t k = 0; k < m->param_words; k++)
                        cur.p[k] = kind ? tb::edge_word(rng) : rng.u32();
                    for (uint32_t k = 0; k < m->state_words; k++)
                        cur.s[k] = kind ? tb::edge_word(rng) : rng.u32();
                    if (rng.chance(0.2))
                        cur.s[AXON_S_IZHIKEVICH_V] = cur.p[AXON_P_IZHIKEVICH_V_THRESH];
                    cur.kind = kind ? "edge" : "random";
                }
                cur.rb_e = rb_word(rng);
                cur.rb_i = rb_word(rng);
                have = true;
            }
            const bool valid = have && rng.chance(p_valid);
            dut->in_valid_i = valid;
            dut->in_idx_i = cur.idx;
            for (uint32_t k = 0; k < m->param_words; k++)
                dut->in_param_i[k] = cur.p[k];
            for (uint32_t k = 0; k < m->state_words; k++)
                dut->in_state_i[k] = cur.s[k];
            dut->in_rb_exc_i = cur.rb_e;
            dut->in_rb_inh_i = cur.rb_i;
            dut->out_ready_i = rng.chance(p_ready);
            dut.eval();
            if (dut->out_valid_o && dut->out_ready_i) {
                idle = 0;
                if (q.empty()) {
                    score.fail("Izhikevich: output without input");
                    return score.finish();
                }
                Expect e = q.front();
                q.pop_front();
                got++;
                char what[320] = "";
                size_t w = 0;
                auto diff = [&](const char *field, uint32_t rtl, uint32_t gold) {
                    if (rtl != gold && w < sizeof what - 64)
                        w += (size_t)std::snprintf(what + w, sizeof what - w,
                                                   " %s: rtl %08x golden %08x;", field, rtl, gold);
                };
                static const char *sn[] = {"v", "u", "flags", "isyn_exc", "isyn_inh"};
                diff("idx", dut->out_idx_o, e.in.idx);
                for (uint32_t k = 0; k < m->state_words; k++)
                    diff(sn[k], dut->out_state_o[k], e.s[k]);
                diff("v_sample", dut->out_v_o, (uint32_t)e.o.v_sample);
                diff("gsyn_exc", dut->out_gsyn_exc_o, (uint32_t)e.o.gsyn_exc);
                diff("gsyn_inh", dut->out_gsyn_inh_o, (uint32_t)e.o.gsyn_inh);
                diff("spike", dut->out_spike_o, e.o.spike);
                diff("saturations", (dut->out_sat_o & 1) + (dut->out_sat_o >> 1), e.o.saturations);
                if (w == 0) {
                    score.pass();
                } else {
                    std::string in = "param";
                    char b[16];
                    for (uint32_t k = 0; k < m->param_words; k++) {
                        std::snprintf(b, sizeof b, " %08x", e.in.p[k]);
                        in += b;
                    }
                    in += " state";
                    for (uint32_t k = 0; k < m->state_words; k++) {
                        std::snprintf(b, sizeof b, " %08x", e.in.s[k]);
                        in += b;
                    }
                    score.fail("Izhikevich (%s vector, shift_e %u shift_i %u):%s inputs: %s "
                               "rb_exc %05x rb_inh %05x",
                               e.in.kind, shift_e, shift_i, what, in.c_str(), e.in.rb_e, e.in.rb_i);
                }
                spikes += e.o.spike;
            }
            if (valid && dut->in_ready_o) {
                Expect e;
                e.in = cur;
                std::memcpy(e.s, cur.s, sizeof e.s);
                axon_golden_neuron_step(kModel, shift_word, cur.p, e.s, cur.rb_e, cur.rb_i, &e.o);
                q.push_back(e);
                sent++;
                have = false;
            }
            dut.tick();
            if (++idle > 1000) {
                score.fail("Izhikevich: no output for 1000 cycles");
                return score.finish();
            }
        }
        issued += n_batch;
        if (full_rate) {
            fr_vectors += n_batch;
            fr_cycles += dut.cycle() - c0;
            fr_batches++;
        }
        dut->in_valid_i = 0;
        dut->out_ready_i = 1;
        dut.tick();
    }
    std::printf("full-rate batches: %" PRIu64 " neurons in %" PRIu64 " cycles; spikes %" PRIu64
                "\n",
                fr_vectors, fr_cycles, spikes);
    if (fr_vectors && fr_cycles > kII * fr_vectors + fr_batches * (kLatency + 1))
        score.fail("throughput: %" PRIu64 " cycles for %" PRIu64 " neurons (II > %" PRIu64 ")",
                   fr_cycles, fr_vectors, kII);
    return score.finish();
}
