// Shared driver of the neuron update units' testbenches (tb_lif_update, tb_izk_update):
// streams one batch of neurons through a unit's valid/ready ports (random input gaps and
// output stalls, or full rate), compares every result with axon_golden_neuron_step (the
// engine's own step) and drains the unit afterwards, checking it emits nothing more.
#ifndef AXON_TB_NEURON_UNIT_H
#define AXON_TB_NEURON_UNIT_H

#include "tb_common.h"

#include "axon/golden.h"
#include "axon/models.h"

#include <deque>

namespace tb {

// One neuron's inputs: parameter / state block, ring-buffer words, and what kind of vector
// it is (for the failure message).
struct NeuronVec {
    uint32_t idx;
    uint32_t p[AXON_GOLDEN_MAX_WORDS];
    uint32_t s[AXON_GOLDEN_MAX_WORDS];
    uint32_t rb_e, rb_i;
    const char *kind;
};

// A unit's port shape.
struct NeuronUnit {
    uint32_t param_words, state_words; // words of in_param_i / in_state_i
    int latency;                       // clocks from acceptance to the result
    const char *const *state_names;    // names of the state words, for messages
};

inline const char *model_name(uint32_t m)
{
    const axon_model_info *mi = axon_model_by_id(m);
    return mi ? mi->name : "?";
}

// One batch of n neurons of `model` with the weight-shift word `shift_word` (already applied
// to the unit's configuration ports by the caller); gen(v) fills a vector's blocks,
// ring-buffer words and kind. Port words beyond the model's blocks get random bits (the unit
// must ignore them). *cycles: the clocks until the last result (throughput checks).
// Returns false after a protocol failure (the caller stops).
template <class M, class Gen>
bool neuron_batch(Dut<M> &dut, Rng &rng, Score &score, const NeuronUnit &u, uint32_t model,
                  uint32_t shift_word, uint64_t n, double p_valid, double p_ready,
                  uint32_t &idx, uint32_t idx_mask, uint64_t &spikes, uint64_t *cycles, Gen gen)
{
    const uint64_t c0 = dut.cycle();
    struct Expect {
        NeuronVec in;
        uint32_t s[AXON_GOLDEN_MAX_WORDS];
        axon_golden_neuron_out o;
    };
    const axon_model_info *m = axon_model_by_id(model);
    const uint32_t shift_e = shift_word & 0xF, shift_i = shift_word >> AXON_WEIGHT_SHIFT_BITS;
    std::deque<Expect> q;
    uint64_t sent = 0, got = 0, idle = 0;
    NeuronVec cur{};
    bool have = false;
    while (got < n) {
        if (!have && sent < n) {
            cur = NeuronVec{};
            cur.idx = idx++ & idx_mask;
            gen(cur);
            have = true;
        }
        const bool valid = have && rng.chance(p_valid);
        dut->in_valid_i = valid;
        dut->in_idx_i = cur.idx;
        for (uint32_t k = 0; k < u.param_words; k++)
            dut->in_param_i[k] = k < m->param_words ? cur.p[k] : rng.u32();
        for (uint32_t k = 0; k < u.state_words; k++)
            dut->in_state_i[k] = k < m->state_words ? cur.s[k] : rng.u32();
        dut->in_rb_exc_i = cur.rb_e;
        dut->in_rb_inh_i = cur.rb_i;
        dut->out_ready_i = rng.chance(p_ready);
        dut.eval();
        if (dut->out_valid_o && dut->out_ready_i) {
            idle = 0;
            if (q.empty()) {
                score.fail("%s: output without input (idx %u)", model_name(model),
                           (unsigned)dut->out_idx_o);
                return false;
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
            diff("idx", dut->out_idx_o, e.in.idx);
            for (uint32_t k = 0; k < m->state_words; k++)
                diff(u.state_names[k], dut->out_state_o[k], e.s[k]);
            diff("v_sample", dut->out_v_o, (uint32_t)e.o.v_sample);
            diff("gsyn_exc", dut->out_gsyn_exc_o, (uint32_t)e.o.gsyn_exc);
            diff("gsyn_inh", dut->out_gsyn_inh_o, (uint32_t)e.o.gsyn_inh);
            diff("spike", dut->out_spike_o, e.o.spike);
            const uint32_t sat = dut->out_sat_o;
            diff("saturations", (sat & 1) + (sat >> 1), e.o.saturations);
            diff("sat_exc", sat & 1, e.in.rb_e >> 16);
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
                score.fail("%s (%s vector, shift_e %u shift_i %u):%s inputs: %s rb_exc %05x "
                           "rb_inh %05x",
                           model_name(model), e.in.kind, shift_e, shift_i, what, in.c_str(),
                           e.in.rb_e, e.in.rb_i);
            }
            spikes += e.o.spike;
        }
        if (valid && dut->in_ready_o) {
            Expect e;
            e.in = cur;
            std::memcpy(e.s, cur.s, sizeof e.s);
            axon_golden_neuron_step(model, shift_word, cur.p, e.s, cur.rb_e, cur.rb_i, &e.o);
            q.push_back(e);
            sent++;
            have = false;
        }
        dut.tick();
        if (++idle > 1000) {
            score.fail("%s: no output for 1000 cycles with %zu neurons in flight",
                       model_name(model), q.size());
            return false;
        }
    }
    *cycles = dut.cycle() - c0;
    // drain: nothing may come out after the batch
    dut->in_valid_i = 0;
    dut->out_ready_i = 1;
    for (int k = 0; k < u.latency + 2; k++) {
        dut.tick();
        if (dut->out_valid_o) {
            score.fail("%s: extra output after the batch", model_name(model));
            return false;
        }
    }
    return true;
}

} // namespace tb

#endif
