// The RTL board (rtl/board/axon_board.sv: axon_hostif in front of axon_mesh, the chip of
// neuron cores and router) driven by the host's own link code (driver/link.c) through the
// FT601 bridge model (ft_link.h), against the golden engine as a board machine
// (axon_machine_engine). A one-chip network - a spike array and a Poisson source driving
// LIF and Izhikevich cores, spikes and v recorded - is loaded with LOAD, run in slices with
// the recording stream, and every core's recording words (REC_DATA, in order) and event
// counters (READ of the core's counters) must equal the engine's bit for bit; then RESET
// and a second run must repeat the first exactly.
#include "Vaxon_board.h"
#include "ft_link.h"
#include "tb_common.h"

#include "axon/board.h"
#include "axon/link.h"
extern "C" {
#include "tnet.h"
}

#include <string>
#include <vector>

namespace {

constexpr uint32_t kCores = 4;
constexpr uint32_t kSteps = 80;

axon_image *network()
{
    tnet *t = tnet_new(1, 1, kCores, 1.0, 0);
    std::vector<uint32_t> ev;
    for (uint32_t s = 1; s < kSteps; s += 3)
        for (uint32_t i = 0; i < 8; i++)
            if ((s + i) % 5 < 2) {
                ev.push_back(s);
                ev.push_back(i);
            }
    int arr = tnet_array(t, 0, 0, 0, 8, ev.data(), (uint32_t)ev.size() / 2, 0x10000, 1);
    int lif = tnet_neurons_uniform(t, 0, 0, 1, "IF_curr_exp", 32, nullptr, nullptr, 0x20000, 3, 1);
    int poi = tnet_poisson(t, 0, 0, 2, 16, 80.0, 0.0, 1000.0, 12345, 0x30000, 1);
    int izk = tnet_neurons_uniform(t, 0, 0, 3, "Izhikevich", 16, nullptr, nullptr, 0x40000, 3, 2);
    std::vector<tnet_syn> syn;
    for (uint32_t k = 0; k < 64; k++)
        syn.push_back({k % 8, (k * 5) % 32, 1800 + 40 * (k % 7), 1 + k % 6,
                       (uint32_t)(k % 9 ? AXON_SYN_TYPE_EXC : AXON_SYN_TYPE_INH)});
    tnet_connect(t, arr, lif, syn.data(), (uint32_t)syn.size(), 0, 0);
    syn.clear();
    for (uint32_t k = 0; k < 48; k++)
        syn.push_back({k % 32, k % 16, 2500, 1 + k % 3, AXON_SYN_TYPE_EXC});
    tnet_connect(t, lif, izk, syn.data(), (uint32_t)syn.size(), 0, 0);
    syn.clear();
    for (uint32_t k = 0; k < 32; k++)
        syn.push_back({k % 16, (k * 3) % 16, 2000, 2, AXON_SYN_TYPE_EXC});
    tnet_connect(t, poi, izk, syn.data(), (uint32_t)syn.size(), 0, 0);
    axon_image *img = tnet_image(t);
    tnet_free(t);
    return img;
}

struct Rec {
    std::vector<uint32_t> words[kCores];
};

int on_stream(void *u, const axon_frame *f)
{
    Rec *r = static_cast<Rec *>(u);
    if (f->opcode == AXON_PROTO_OP_REC_DATA && f->n >= 1) {
        uint32_t c = f->payload[0] >> AXON_PROTO_TGT_CORE_LSB & AXON_PROTO_TGT_CORE_MASK;
        if (c < kCores)
            r->words[c].insert(r->words[c].end(), f->payload + 1, f->payload + f->n);
    }
    return 0;
}

// a run in slices on the RTL board; the same on the engine; compared
void run_and_compare(axon_link *l, axon_image *img, tb::Score &score, const char *what,
                     uint64_t &cycles, tb::Dut<Vaxon_board> &dut)
{
    char err[AXON_ERRMSG_LEN] = "";
    void *m = nullptr;
    if (axon_machine_engine.create(&m, img, err)) {
        score.fail("engine: %s", err);
        return;
    }
    Rec rec;
    uint64_t c0 = dut.cycle();
    for (uint32_t done = 0, s = 0; s < kSteps; s += 20) {
        if (axon_link_run(l, 20, AXON_PROTO_MODE_BARRIER, 0, on_stream, &rec, &done) ||
            done != s + 20) {
            score.fail("%s: run to step %u: %s", what, s + 20, axon_link_last_error(l));
            axon_machine_engine.destroy(m);
            return;
        }
    }
    cycles = dut.cycle() - c0;
    if (axon_machine_engine.run(m, kSteps, err))
        score.fail("engine run: %s", err);
    size_t total = 0;
    for (uint32_t c = 0; c < kCores; c++) {
        const uint32_t *w = nullptr;
        size_t n = 0;
        axon_machine_engine.recording(m, 0, 0, c, &w, &n);
        total += n;
        std::vector<uint32_t> want(w, w + n);
        if (rec.words[c] != want) {
            size_t k = 0;
            while (k < n && k < rec.words[c].size() && rec.words[c][k] == want[k])
                k++;
            score.fail("%s: core %u recording: %zu words from the RTL board, %zu from the "
                       "engine, first difference at word %zu", what, c, rec.words[c].size(), n, k);
        } else {
            score.pass();
        }
        uint64_t want_cnt[AXON_CNT_CORE_N];
        uint32_t got_cnt[AXON_CNT_CORE_N];
        axon_machine_engine.core_counters(m, 0, 0, c, want_cnt);
        if (axon_link_read(l, axon_proto_target(AXON_PROTO_SPACE_CORE, 0, 0, c),
                           AXON_CIF_REG_BASE + AXON_CIF_REG_COUNTERS, got_cnt, AXON_CNT_CORE_N)) {
            score.fail("%s: counters of core %u: %s", what, c, axon_link_last_error(l));
            continue;
        }
        for (uint32_t i = 0; i < AXON_CNT_CORE_N; i++)
            if (got_cnt[i] != (uint32_t)want_cnt[i])
                score.fail("%s: core %u counter %u: RTL %u, engine %llu", what, c, i, got_cnt[i],
                           (unsigned long long)want_cnt[i]);
    }
    // the router's counters (space ROUTER: the golden model's set, counters.router)
    uint64_t want_rt[AXON_CNT_ROUTER_N];
    uint32_t got_rt[AXON_CNT_ROUTER_N];
    axon_machine_engine.router_counters(m, 0, 0, want_rt);
    if (axon_link_read(l, axon_proto_target(AXON_PROTO_SPACE_ROUTER, 0, 0, 0), 0, got_rt,
                       AXON_CNT_ROUTER_N)) {
        score.fail("%s: router counters: %s", what, axon_link_last_error(l));
    } else {
        for (uint32_t i = 0; i < AXON_CNT_ROUTER_N; i++)
            if (got_rt[i] != (uint32_t)want_rt[i])
                score.fail("%s: router counter %u: RTL %u, engine %llu", what, i, got_rt[i],
                           (unsigned long long)want_rt[i]);
        if (want_rt[AXON_CNT_ROUTER_MC_LOCAL] == 0)
            score.fail("%s: no packet was routed", what);
        else
            score.pass();
        std::printf("%s: router mc_local %u\n", what, got_rt[AXON_CNT_ROUTER_MC_LOCAL]);
    }
    std::printf("%s: %u steps, %zu recording words, %llu cycles\n", what, kSteps, total,
                (unsigned long long)cycles);
    if (total < 200)
        score.fail("%s: only %zu recording words: the network is too quiet to prove much", what,
                   total);
    axon_machine_engine.destroy(m);
}

} // namespace

int main(int argc, char **argv)
{
    tb::Args args = tb::parse_args(argc, argv, 1);
    tb::Rng rng(args.seed);
    tb::Score score(args.seed);
    tb::Dut<Vaxon_board> dut(args);
    dut->clk_i = 0;
    dut->rst_ni = 0;
    dut->ft_rxf_ni = 1;
    dut->ft_txe_ni = 1;
    dut.tick();
    dut->rst_ni = 1;
    ft601_model ft;
    ft601_init(&ft, rng.u64(), 0.2, 0.2, 64);
    ftlink::Link fl(
        ft,
        [&] {
            uint32_t d;
            ft601_drive(&ft, &d);
            dut->ft_rxf_ni = ft.rxf_n;
            dut->ft_data_i = d;
            dut->ft_txe_ni = ft.txe_n;
            dut.eval();
            int oe = dut->ft_oe_no, rd = dut->ft_rd_no, wr = dut->ft_wr_no;
            uint32_t dout = dut->ft_data_o;
            dut.tick();
            ft601_edge(&ft, oe, rd, wr, dout);
        },
        [&](const char *m) { score.fail("%s", m); });
    axon_link *l = nullptr;
    char err[AXON_ERRMSG_LEN] = "";
    axon_link_opts o = {};
    o.timeout_ms = 20000; // wall clock: the simulation is slow
    axon_image *img = network();
    uint32_t *w = nullptr;
    size_t n = 0;
    if (!img || axon_image_validate(img) || axon_image_to_buffer(img, &w, &n)) {
        score.fail("image: %s", img ? axon_image_last_error(img) : "tnet");
        return score.finish();
    }
    if (axon_link_open(&l, fl.xport(), &o, err)) {
        score.fail("HELLO: %s", err);
        return score.finish();
    }
    uint64_t c0 = dut.cycle();
    if (axon_link_load(l, w, n)) {
        score.fail("LOAD: %s", axon_link_last_error(l));
        return score.finish();
    }
    std::printf("LOAD: %zu words in %llu cycles\n", n, (unsigned long long)(dut.cycle() - c0));
    uint64_t cyc1 = 0, cyc2 = 0;
    run_and_compare(l, img, score, "first run", cyc1, dut);
    if (axon_link_reset(l))
        score.fail("RESET: %s", axon_link_last_error(l));
    run_and_compare(l, img, score, "after RESET", cyc2, dut);
    if (ft.bus_conflict)
        score.fail("wr_n and oe_n were low in the same cycle");
    axon_link_close(l);
    free(w);
    axon_image_destroy(img);
    ft601_free(&ft);
    return score.finish();
}
