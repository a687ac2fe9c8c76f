// Core-level smoke test of axon_neuron_core (docs/rtl.md "Neuron core"; docs/spec/core_if.md)
// against the golden engine.
//
// First the steady-state throughput per model (throughput()) and the boot refusals
// (boot_errors()). Then, for each random seed, tnet_random() builds a one-chip network (a
// Poisson core, a spike-array core, neuron cores of random models, a delay extension); the
// golden engine runs it for AXON_CORE_STEPS (200) steps and reports every emitted packet.
// Every core is then run alone on the RTL core: its memory is written word for word through the
// configuration bus, BOOT, and for each step t a tick, after which the packets the core
// emitted must be the engine's emissions of that core in step t (same keys, same order), and
// the packets the engine delivered to it in step t (the engine's emissions routed through
// the chip's table, first match) are injected. At the end the recording stream, the eight
// counters (32-bit) and every neuron's state words must equal the engine's. The delay
// extension core is checked the same way (its re-emissions, counters, empty recording).
//
//   tb_neuron_core [--seed N] [--n NETWORKS] [--trace F.fst]   (AXON_CORE_STEPS: steps)
#include "Vaxon_neuron_core.h"
#include "tb_common.h"

extern "C" {
#include "axon/engine.h"
#include "axon/image.h"
#include "axon/models.h"
#include "axon/stdp.h"
#include "tnet.h"
}

#include <vector>

namespace {

struct Ev {
    uint32_t step, gid, key;
};

void collect(void *user, uint32_t step, uint32_t gid, uint32_t key)
{
    static_cast<std::vector<Ev> *>(user)->push_back({step, gid, key});
}

using Core = tb::Dut<Vaxon_neuron_core>;

// one configuration-bus access (waits for the grant); returns the read data
uint32_t cfg(Core &d, bool we, uint32_t addr, uint32_t wdata = 0)
{
    d->pkt_out_ready_i = 0; // emitted packets wait (clock() takes them)
    d->cfg_req_i = 1;
    d->cfg_we_i = we;
    d->cfg_addr_i = addr;
    d->cfg_wdata_i = wdata;
    d.eval();
    for (int guard = 0; !d->cfg_gnt_o; guard++) {
        if (guard > 2000000) {
            std::printf("FATAL: cfg access 0x%06x never granted\n", addr);
            std::exit(1);
        }
        d.tick();
    }
    d.tick();
    d->cfg_req_i = 0;
    d->cfg_we_i = 0;
    d.eval();
    uint32_t r = d->cfg_rdata_o;
    if (!we && !d->cfg_rvalid_o) {
        std::printf("FATAL: no read data for 0x%06x\n", addr);
        std::exit(1);
    }
    return r;
}

uint32_t reg(Core &d, uint32_t r) { return cfg(d, false, AXON_CIF_REG_BASE + r); }

// packets the core sends are taken every cycle
void take_out(Core &d, std::vector<uint32_t> &out)
{
    if (d->pkt_out_valid_o) {
        uint64_t lo = (uint64_t)d->pkt_out_data_o[0] | (uint64_t)d->pkt_out_data_o[1] << 32;
        uint32_t key = (uint32_t)(lo >> AXON_CIF_PKT_KEY_LSB);
        out.push_back(key);
    }
}

void clock(Core &d, std::vector<uint32_t> &out)
{
    d->pkt_out_ready_i = 1;
    d.eval();
    take_out(d, out);
    d.tick();
}

// clock until READY, draining the recording buffer meanwhile (a full buffer holds the step)
bool wait_ready(Core &d, std::vector<uint32_t> &out, std::vector<uint32_t> &rec)
{
    for (int guard = 0; guard < 4000000; guard++) {
        clock(d, out);
        if (d->idle_o)
            return true;
        if (guard % 64 == 63)
            for (uint32_t n = reg(d, AXON_CIF_REG_REC_AVAIL); n; n--)
                rec.push_back(reg(d, AXON_CIF_REG_REC_DATA));
    }
    return false;
}

int route_to(const axon_image *img, uint32_t key, uint32_t core)
{
    const axon_route_entry *e;
    uint32_t n;
    axon_image_get_table(img, 0, 0, &e, &n);
    for (uint32_t k = 0; k < n; k++)
        if ((key & e[k].mask) == e[k].key)
            return (e[k].route >> (AXON_ROUTE_CORE_LSB + core)) & 1u;
    return 0;
}

// Offers one packet of `key` until the core takes it.
void inject(Core &d, uint32_t key, std::vector<uint32_t> &out)
{
    d->pkt_in_valid_i = 1;
    d->pkt_in_data_i[0] = key << AXON_CIF_PKT_KEY_LSB; // control byte 0: multicast
    d->pkt_in_data_i[1] = key >> (32 - AXON_CIF_PKT_KEY_LSB);
    d->pkt_in_data_i[2] = 0;
    d.eval();
    while (!d->pkt_in_ready_o)
        clock(d, out);
    clock(d, out);
    d->pkt_in_valid_i = 0;
}

// Writes ctrl.BOOT and polls until READY or ERROR; returns the status word.
uint32_t boot(Core &d)
{
    cfg(d, true, AXON_CIF_REG_BASE + AXON_CIF_REG_CTRL, AXON_CIF_CTRL_BOOT);
    uint32_t st = 0;
    for (int k = 0; k < 1000000 && !(st & (AXON_CIF_STATUS_READY | AXON_CIF_STATUS_ERROR)); k++)
        st = reg(d, AXON_CIF_REG_STATUS);
    return st;
}

// Resets the core, writes n_words of core memory and boots; returns the status word.
uint32_t load_words(Core &d, const uint32_t *mem, uint32_t n_words)
{
    d->rst_ni = 0;
    d->tick_i = 0;
    d->pkt_in_valid_i = 0;
    d.tick();
    d->rst_ni = 1;
    d.tick();
    for (uint32_t w = 0; w < n_words; w++)
        cfg(d, true, AXON_CIF_MEM_BASE + w, mem[w]);
    return boot(d);
}

// Loads core g of img and boots it; returns the status word.
uint32_t load_boot(Core &d, const axon_image *img, uint32_t g)
{
    const uint32_t *mem;
    uint32_t n_words;
    axon_image_get_core(img, 0, 0, g, &mem, &n_words);
    return load_words(d, mem, n_words);
}

// Boot refusals (core_if.md): one header field of a valid neuron core broken at a time must
// give status ERROR (not READY) with the error code naming it, a tick must be ignored, and a
// BOOT of the repaired memory must work again. Also the sticky REC_EMPTY_READ bit.
void boot_errors(Core &d, tb::Score &score, uint64_t seed)
{
    tnet *t = tnet_random(seed, 1, 1, 6);
    axon_image *img = tnet_image(t);
    uint32_t info = reg(d, AXON_CIF_REG_INFO), cap_n = info & 0xFFFF;
    uint32_t mem_words = 1u << ((info >> 16) & 0xFF);
    for (uint32_t g = 0; g < 6; g++) {
        const uint32_t *m0;
        uint32_t nw;
        axon_image_get_core(img, 0, 0, g, &m0, &nw);
        if (!nw || m0[AXON_CORE_H_KIND] != AXON_KIND_NEURON || nw > mem_words)
            continue;
        // (word2: a second header word changed with the first, when not ~0u)
        struct Case {
            uint32_t word, value, err, word2 = ~0u, value2 = 0;
        } cases[] = {
            {AXON_CORE_H_MAGIC, m0[AXON_CORE_H_MAGIC] ^ 1u, AXON_CIF_ERR_MAGIC},
            {AXON_CORE_H_VERSION, m0[AXON_CORE_H_VERSION] + 1, AXON_CIF_ERR_VERSION},
            {AXON_CORE_H_KIND, 7, AXON_CIF_ERR_KIND},
            {AXON_CORE_H_MODEL, 9, AXON_CIF_ERR_MODEL},
            // plasticity regions are for neuron cores (here: a SpikeSourceArray with one)
            {AXON_CORE_H_PLAST_WORDS, 12, AXON_CIF_ERR_PLASTIC, AXON_CORE_H_KIND,
             AXON_KIND_SOURCE_ARRAY},
            {AXON_CORE_H_N_NEURONS, 0, AXON_CIF_ERR_SIZE},
            {AXON_CORE_H_N_NEURONS, cap_n + 1, AXON_CIF_ERR_SIZE},
            {AXON_CORE_H_PARAM_WORDS, m0[AXON_CORE_H_PARAM_WORDS] + 1, AXON_CIF_ERR_SIZE},
            {AXON_CORE_H_SYN_OFF, mem_words - 1, AXON_CIF_ERR_REGION},
            {AXON_CORE_H_PARAM_OFF, mem_words - 2, AXON_CIF_ERR_REGION},
            {AXON_CORE_H_MPT_N, 0x40000000u, AXON_CIF_ERR_SIZE},
        };
        std::vector<uint32_t> mem(m0, m0 + nw);
        for (const Case &c : cases) {
            mem[c.word] = c.value;
            if (c.word2 != ~0u)
                mem[c.word2] = c.value2;
            uint32_t st = load_words(d, mem.data(), nw);
            uint32_t err = reg(d, AXON_CIF_REG_ERROR);
            d->tick_i = 1;
            d.tick();
            d->tick_i = 0;
            uint32_t step = reg(d, AXON_CIF_REG_STEP);
            if ((st & AXON_CIF_STATUS_ERROR) && !(st & AXON_CIF_STATUS_READY) &&
                err == c.err && step == 0)
                score.pass();
            else
                score.fail("header word %u = 0x%x: status 0x%x error %u step %u, expected ERROR "
                           "with error %u", c.word, c.value, st, err, step, c.err);
            mem[c.word] = m0[c.word];
            if (c.word2 != ~0u)
                mem[c.word2] = m0[c.word2];
        }
        // a good BOOT after a refused one, without a reset: repair the header in place
        for (uint32_t w = 0; w < AXON_CORE_HEADER_WORDS; w++)
            cfg(d, true, AXON_CIF_MEM_BASE + w, m0[w]);
        uint32_t st = boot(d);
        uint32_t empty = reg(d, AXON_CIF_REG_REC_DATA);
        uint32_t st2 = reg(d, AXON_CIF_REG_STATUS);
        uint32_t st3 = boot(d);
        if ((st & AXON_CIF_STATUS_READY) && reg(d, AXON_CIF_REG_ERROR) == AXON_CIF_ERR_NONE &&
            empty == 0 && (st2 & AXON_CIF_STATUS_REC_EMPTY_READ) &&
            !(st3 & AXON_CIF_STATUS_REC_EMPTY_READ))
            score.pass();
        else
            score.fail("re-boot after refusals: status 0x%x, after an empty rec_data read 0x%x "
                       "(read 0x%x), after BOOT 0x%x", st, st2, empty, st3);
        break; // one neuron core is enough
    }
    axon_image_destroy(img);
    tnet_free(t);
}

// The decay tables of a core's rules are copied into the plastic path's own table memories
// (lut_core_entries entries per kind; a table two rules share is copied once): two rules
// whose lut_plus tables fill them exactly boot; one entry more (rule 1's length patched in
// the loaded memory, past the host's checks) is refused with ERR_PLASTIC; two rules sharing
// one table of the full size boot.
void plastic_capacity(Core &d, tb::Score &score)
{
    const axon_model_info *m = axon_model_find("IF_curr_exp");
    std::vector<double> par(m->n_params);
    for (uint32_t k = 0; k < m->n_params; k++)
        par[k] = m->params[k].def;
    tnet *t = tnet_new(1, 1, 2, 1.0, 0);
    uint32_t ev[1] = {5};
    int src = tnet_array(t, 0, 0, 0, 1, ev, 1, 0x10000, 0);
    int dst = tnet_neurons_uniform(t, 0, 0, 1, "IF_curr_exp", 8, par.data(), nullptr, 0x20000, 0, 1);
    axon_stdp_params rules[2] = {
        {AXON_PLAST_TIMING_SPIKE_PAIR, AXON_PLAST_WEIGHT_ADDITIVE, 150.0, 20.0, 0.01, 0.01, 0, 100},
        {AXON_PLAST_TIMING_SPIKE_PAIR, AXON_PLAST_WEIGHT_ADDITIVE, 150.0, 20.0, 0.01, 0.01, 0, 100}};
    tnet_plastic_rules(t, dst, rules, 2);
    tnet_syn syn = {0, 1, 0, 1, 0};
    tnet_connect_plastic(t, src, dst, &syn, 1, 0);
    axon_image *img = tnet_image(t);
    const uint32_t *m0 = nullptr;
    uint32_t nw = 0;
    if (!img || axon_image_get_core(img, 0, 0, (uint32_t)dst, &m0, &nw) != AXON_OK) {
        score.fail("plastic capacity network did not build");
        tnet_free(t);
        return;
    }
    std::vector<uint32_t> mem(m0, m0 + nw);
    uint32_t *r0 = mem.data() + mem[AXON_CORE_H_PLAST_OFF] + AXON_PLAST_REGION_RULE_BASE;
    uint32_t *r1 = r0 + AXON_PLAST_RULE_WORDS, len0 = r0[AXON_PRULE_LUT_PLUS_LEN];
    if (r0[AXON_PRULE_LUT_PLUS_OFF] != r1[AXON_PRULE_LUT_PLUS_OFF])
        score.fail("two rules of the same tau_plus do not share their table");
    for (uint32_t c = 0; c < 3; c++) {
        // c = 0, 1: rule 1's table 4096 - len0 + c entries long (not shared: other length);
        // c = 2: both rules' (shared) table 4096 entries long
        uint32_t extra = c & 1;
        r1[AXON_PRULE_LUT_PLUS_LEN] = AXON_PLAST_LUT_CORE_ENTRIES - (c < 2 ? len0 : 0) + extra;
        if (c == 2)
            r0[AXON_PRULE_LUT_PLUS_LEN] = r1[AXON_PRULE_LUT_PLUS_LEN];
        uint32_t st = load_words(d, mem.data(), nw), err = reg(d, AXON_CIF_REG_ERROR);
        bool ok = extra ? ((st & AXON_CIF_STATUS_ERROR) && err == AXON_CIF_ERR_PLASTIC)
                        : ((st & AXON_CIF_STATUS_READY) && err == AXON_CIF_ERR_NONE);
        if (ok)
            score.pass();
        else
            score.fail("lut_plus tables of %u entries in all (case %u): status 0x%x error %u",
                       AXON_PLAST_LUT_CORE_ENTRIES + extra, c, st, err);
    }
    axon_image_destroy(img);
    tnet_free(t);
}

// One step (tick, wait) then `packets` packets of `key`; returns the cycles register (the
// step's update plus the packets' processing); *update: the cycles before the packets.
double step_cycles(Core &d, uint32_t key, uint32_t packets, double *update)
{
    std::vector<uint32_t> out, rec;
    d->tick_i = 1;
    clock(d, out);
    d->tick_i = 0;
    wait_ready(d, out, rec);
    *update = reg(d, AXON_CIF_REG_CYCLES);
    for (uint32_t p = 0; p < packets; p++)
        inject(d, key, out);
    wait_ready(d, out, rec);
    return reg(d, AXON_CIF_REG_CYCLES);
}

// Throughput at steady state, from the cycles register: the update cost per neuron is the
// slope between cores of n1 and n2 neurons (no recording, no input), the cost per synaptic
// event the slope between rows of r1 and r2 synapses. Expected: 1 clock per LIF neuron, 8 per
// Izhikevich neuron (the unit's II), 1 clock per synaptic event.
void throughput(Core &d, tb::Score &score)
{
    static const char *names[] = {"IF_curr_exp", "IF_cond_exp", "IF_curr_alpha",
                                  "IF_curr_delta", "Izhikevich"};
    const uint32_t n1 = 64, n2 = 256, r1 = 16, r2 = 128, packets = 8;
    uint32_t info = reg(d, AXON_CIF_REG_INFO);
    if ((info & 0xFFFF) < n2)
        return;
    for (const char *name : names) {
        double cyc[2][2], upd[2][2];
        for (int a = 0; a < 2; a++)
            for (int b = 0; b < 2; b++) {
                uint32_t n = a ? n2 : n1, r = b ? r2 : r1;
                tnet *t = tnet_new(1, 1, 2, 1.0, 0);
                uint32_t ev[2] = {100000, 0};
                int src = tnet_array(t, 0, 0, 0, 1, ev, 1, 0x10000, 0);
                int dst = tnet_neurons_uniform(t, 0, 0, 1, name, n, nullptr, nullptr, 0x20000, 0, 1);
                std::vector<tnet_syn> syn;
                for (uint32_t k = 0; k < r; k++) // weight 0: no spikes, only the cost
                    syn.push_back({0, (k * 37) % n, 0, 1 + k % 16, k % 2});
                tnet_connect(t, src, dst, syn.data(), r, 0, 0);
                axon_image *img = tnet_image(t);
                if (!(load_boot(d, img, (uint32_t)dst) & AXON_CIF_STATUS_READY)) {
                    score.fail("throughput core (%s, n %u) did not boot", name, n);
                    return;
                }
                cyc[a][b] = step_cycles(d, 0x10000, packets, &upd[a][b]);
                axon_image_destroy(img);
                tnet_free(t);
            }
        // update: the same packets in both; events: the same neurons in both
        double per_update = (cyc[1][0] - cyc[0][0]) / (n2 - n1);
        double per_event = (cyc[0][1] - cyc[0][0]) / (double)(packets * (r2 - r1));
        double want = std::strcmp(name, "Izhikevich") ? 1.0 : 8.0;
        std::printf("bench rtl_core_tb model=%s cycles_per_update=%.3f cycles_per_event=%.3f "
                    "step_cycles_n%u=%.0f packet_cycles_row%u=%.1f\n", name, per_update,
                    per_event, n2, upd[1][0], r1, (cyc[0][0] - upd[0][0]) / packets);
        if (per_update <= want + 1e-9 && per_event <= 1.0 + 1e-9)
            score.pass();
        else
            score.fail("%s: %.3f cycles per update (want %.0f), %.3f per event (want 1)", name,
                       per_update, want, per_event);
    }
}

// The plastic path (axon_plast): cycles per plastic synaptic event as the slope between
// plastic rows of r1 and r2 synapses, (a) with empty post histories (nothing fires: the row
// update without pairs), (b) with full ones (every neuron fired in each of the last
// post_history + 4 steps after a first presynaptic spike: post_history entries, all in the
// next packet's potentiation window, the worst case), (c) full histories with the previous
// presynaptic spike 3 steps back (a few pairs, the scan stops at the first older entry) and
// (d) case (b) with the multiplicative rule (one clock per pair).
// Reported against the target of 2 (docs/rtl.md "Plasticity"); the test asserts the
// pipeline's structural bound: 1 clock per history word of `lanes` entries the scan reads
// (1 in (a), up to ceil(9 / lanes) in (c) where up to 5 late entries, 3 pairs and the older
// entry that ends the scan are read, post_history / lanes in (b)), plus in (d) 1 per
// potentiating pair
// after the first.
void plastic_throughput(Core &d, tb::Score &score)
{
    const uint32_t n = 64, r1 = 16, r2 = 128;
    const axon_model_info *m = axon_model_find("IF_curr_exp");
    std::vector<double> par(m->n_params);
    for (uint32_t k = 0; k < m->n_params; k++)
        par[k] = std::strcmp(m->params[k].name, "tau_refrac") ? m->params[k].def : 0.0;
    const uint32_t words = AXON_PLAST_POST_HISTORY / AXON_PLAST_LANES;
    // (c): up to 5 late entries, 3 pairs and the older entry that ends the scan
    const double words_c = (9 + AXON_PLAST_LANES - 1) / AXON_PLAST_LANES;
    const double bounds[4] = {1.0, (double)words, words_c, words + AXON_PLAST_POST_HISTORY - 1.0};
    for (int full = 0; full < 4; full++) {
        const uint32_t warm = full ? AXON_PLAST_POST_HISTORY + 4 : 0, packets = full ? 1 : 8;
        const uint32_t first = full == 2 ? warm - 3 : 0; // step of the first presynaptic spike
        const uint32_t weight_dep =
            full == 3 ? AXON_PLAST_WEIGHT_MULTIPLICATIVE : AXON_PLAST_WEIGHT_ADDITIVE;
        double cyc[2], upd[2], pkt_row1 = 0;
        for (int b = 0; b < 2; b++) {
            uint32_t r = b ? r2 : r1;
            for (uint32_t k = 0; k < m->n_params; k++)
                if (!std::strcmp(m->params[k].name, "i_offset"))
                    par[k] = full ? 100.0 : 0.0; // nA: every neuron fires each step
            tnet *t = tnet_new(1, 1, 2, 1.0, 0);
            uint32_t ev[2] = {100000, 0};
            int src = tnet_array(t, 0, 0, 0, 1, ev, 1, 0x10000, 0);
            int dst = tnet_neurons_uniform(t, 0, 0, 1, "IF_curr_exp", n, par.data(), nullptr,
                                           0x20000, 0, 1);
            axon_stdp_params rule = {AXON_PLAST_TIMING_SPIKE_PAIR, weight_dep, 20.0, 20.0, 0.01,
                                     0.012, 0, 4000};
            tnet_plastic_rules(t, dst, &rule, 1);
            std::vector<tnet_syn> syn;
            for (uint32_t k = 0; k < r; k++)
                syn.push_back({0, (k * 37) % n, 0, 1 + k % 4, k % 2});
            tnet_connect_plastic(t, src, dst, syn.data(), r, 0);
            axon_image *img = tnet_image(t);
            if (!img || !(load_boot(d, img, (uint32_t)dst) & AXON_CIF_STATUS_READY)) {
                score.fail("plastic throughput core (rows of %u) did not boot", r);
                return;
            }
            std::vector<uint32_t> out, rec;
            for (uint32_t s = 0; s < warm; s++) {
                d->tick_i = 1;
                clock(d, out);
                d->tick_i = 0;
                wait_ready(d, out, rec);
                if (s == first) { // a first presynaptic spike: pre trace 1.0 from then on
                    inject(d, 0x10000, out);
                    wait_ready(d, out, rec);
                }
            }
            cyc[b] = step_cycles(d, 0x10000, packets, &upd[b]);
            if (!b)
                pkt_row1 = (cyc[0] - upd[0]) / packets;
            axon_image_destroy(img);
            tnet_free(t);
        }
        double per_event = (cyc[1] - cyc[0] - (upd[1] - upd[0])) / (double)(packets * (r2 - r1));
        double row_overhead = pkt_row1 - r1 * per_event;
        const double bound = bounds[full];
        std::printf("bench rtl_core_tb plastic rule=%s history=%u pre_spike_steps_back=%u "
                    "cycles_per_plastic_event=%.3f "
                    "row_overhead_cycles=%.1f packet_cycles_row%u=%.1f target=2\n",
                    full == 3 ? "multiplicative" : "additive", full ? AXON_PLAST_POST_HISTORY : 0,
                    full ? warm - first : 0, per_event, row_overhead, r1, pkt_row1);
        if (per_event > 0 && per_event <= bound + 1e-9)
            score.pass();
        else
            score.fail("plastic path: %.3f cycles per event in case %d (bound %.0f)", per_event,
                       full, bound);
    }
}

} // namespace

int main(int argc, char **argv)
{
    Verilated::commandArgs(argc, argv);
    tb::Args a = tb::parse_args(argc, argv, 6);
    tb::Score score(a.seed);
    const uint32_t cpc = 6;
    uint32_t steps = 200;
    if (const char *e = std::getenv("AXON_CORE_STEPS"))
        steps = (uint32_t)std::strtoul(e, nullptr, 0);
    Core d(a);
    d->rst_ni = 0;
    d.tick();
    d->rst_ni = 1;
    d.tick();

    throughput(d, score);
    plastic_throughput(d, score);
    plastic_capacity(d, score);
    boot_errors(d, score, a.seed);
    for (uint64_t net = 0; net < a.n; net++) {
        uint64_t seed = a.seed + net;
        tnet *t = tnet_random(seed, 1, 1, cpc);
        axon_image *img = tnet_image(t);
        axon_engine *eng = nullptr;
        char err[AXON_ERRMSG_LEN] = "";
        if (!img || axon_engine_create(&eng, img, nullptr, err)) {
            std::printf("FATAL: network seed %" PRIu64 ": %s\n", seed, err);
            return 1;
        }
        std::vector<Ev> evs;
        axon_engine_set_spike_fn(eng, collect, &evs);
        axon_engine_run(eng, steps);

        for (uint32_t g = 0; g < cpc; g++) {
            const uint32_t *mem;
            uint32_t n_words;
            axon_image_get_core(img, 0, 0, g, &mem, &n_words);
            if (!n_words)
                continue;
            uint32_t kind = mem[AXON_CORE_H_KIND], n = mem[AXON_CORE_H_N_NEURONS];
            uint32_t info = reg(d, AXON_CIF_REG_INFO);
            if (n_words > (1u << ((info >> 16) & 0xFF)) || n > (info & 0xFFFF)) {
                std::printf("core %u: %u words / %u neurons exceed the core, skipped\n", g,
                            n_words, n);
                continue;
            }
            uint32_t st = load_boot(d, img, g);
            if (!(st & AXON_CIF_STATUS_READY)) {
                score.fail("net %" PRIu64 " core %u: boot failed, status 0x%x error %u", seed, g,
                           st, reg(d, AXON_CIF_REG_ERROR));
                continue;
            }
            std::vector<uint32_t> rec;
            size_t ev_i = 0;
            bool ok = true;
            uint64_t cyc_sum = 0;
            for (uint32_t s = 0; s < steps && ok; s++) {
                std::vector<uint32_t> out, want, deliver;
                for (; ev_i < evs.size() && evs[ev_i].step == s; ev_i++) {
                    if (evs[ev_i].gid == g)
                        want.push_back(evs[ev_i].key);
                    if (route_to(img, evs[ev_i].key, g))
                        deliver.push_back(evs[ev_i].key);
                }
                d->tick_i = 1;
                clock(d, out);
                d->tick_i = 0;
                if (!wait_ready(d, out, rec)) {
                    score.fail("net %" PRIu64 " core %u step %u: never READY after the tick", seed,
                               g, s);
                    ok = false;
                    break;
                }
                cyc_sum += reg(d, AXON_CIF_REG_CYCLES);
                if (out != want) {
                    score.fail("net %" PRIu64 " core %u (kind %u model %u) step %u: emitted %zu "
                               "packets, engine %zu (first key rtl 0x%x engine 0x%x)",
                               seed, g, kind, mem[AXON_CORE_H_MODEL], s, out.size(), want.size(),
                               out.empty() ? 0 : out[0], want.empty() ? 0 : want[0]);
                    if (std::getenv("AXON_TB_VERBOSE")) {
                        for (uint32_t k : out)
                            std::printf(" rtl 0x%x", k);
                        std::printf("\n");
                        for (uint32_t k : want)
                            std::printf(" eng 0x%x", k);
                        std::printf("\n");
                    }
                    ok = false;
                }
                for (uint32_t key : deliver)
                    inject(d, key, out);
                if (!wait_ready(d, out, rec)) {
                    score.fail("net %" PRIu64 " core %u step %u: never READY after packets", seed,
                               g, s);
                    ok = false;
                }
            }
            if (!ok)
                continue;
            for (uint32_t k = reg(d, AXON_CIF_REG_REC_AVAIL); k; k--)
                rec.push_back(reg(d, AXON_CIF_REG_REC_DATA));
            // recording stream
            const uint32_t *ew;
            size_t en;
            axon_engine_recording(eng, 0, 0, g, &ew, &en);
            size_t diff = 0;
            while (diff < en && diff < rec.size() && ew[diff] == rec[diff])
                diff++;
            if (diff == en && rec.size() == en)
                score.pass();
            else
                score.fail("net %" PRIu64 " core %u (kind %u model %u): recording differs at word "
                           "%zu of %zu (rtl %zu words): rtl 0x%08x engine 0x%08x",
                           seed, g, kind, mem[AXON_CORE_H_MODEL], diff, en, rec.size(),
                           diff < rec.size() ? rec[diff] : 0, diff < en ? ew[diff] : 0);
            // counters
            uint64_t ec[AXON_CNT_CORE_N];
            axon_engine_core_counters(eng, 0, 0, g, ec);
            for (uint32_t k = 0; k < AXON_CNT_CORE_N; k++) {
                uint32_t r = reg(d, AXON_CIF_REG_COUNTERS + k);
                if (r == (uint32_t)ec[k])
                    score.pass();
                else
                    score.fail("net %" PRIu64 " core %u: counter %u rtl %u engine %" PRIu64, seed,
                               g, k, r, ec[k]);
            }
            // live state
            if (kind == AXON_KIND_NEURON) {
                uint32_t sw = mem[AXON_CORE_H_STATE_WORDS], bad = 0;
                for (uint32_t i = 0; i < n; i++)
                    for (uint32_t w = 0; w < sw; w++) {
                        uint32_t ev = 0, rv = cfg(d, false, AXON_CIF_STATE_BASE +
                                                               i * AXON_CIF_STATE_STRIDE + w);
                        axon_engine_state_word(eng, 0, 0, g, i, w, &ev);
                        if (ev != rv && !bad++)
                            score.fail("net %" PRIu64 " core %u: neuron %u state word %u rtl "
                                       "0x%08x engine 0x%08x", seed, g, i, w, rv, ev);
                    }
                if (!bad)
                    score.pass();
            }
            std::printf("net %" PRIu64 " core %u kind %u model %u n %u: %zu recording words, "
                        "%.1f cycles per step\n", seed, g, kind, mem[AXON_CORE_H_MODEL], n,
                        rec.size(), (double)cyc_sum / steps);
        }
        axon_engine_destroy(eng);
        axon_image_destroy(img);
        tnet_free(t);
    }
    return score.finish();
}
