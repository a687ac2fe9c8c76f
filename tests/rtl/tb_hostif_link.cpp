// The host's protocol code (driver/link.c) against the RTL host interface: a transport whose
// bytes go through the FT601 bridge model into the Verilated axon_hostif, with the chip model
// of hostif_bench.h behind it. One image (tnet: a spike source, two neuron cores, core 2
// unused) is loaded with axon_link_load, then replaced by a second one with a smaller table:
//   - built with EnableLoad=1 (ctest rtl_hostif_link): LOAD in chunks of the board's size;
//   - built with EnableLoad=0 (rtl_hostif_legacy, an older bitstream answering LOAD with
//     OPCODE): the link's fallback writes router tables (ROUTER_CFG), core memories, wipes
//     and ctrl.BOOT, and polls the boots.
// Either way the model's core memories and router table must equal the image (entries after
// the second image's are inert), every core booted once per load, then a RUN through
// axon_link_run delivers every recording word and every router drop (DROP_REPORT) before
// RUN_DONE. A core refusing its memory fails the load with an error naming that core.
#include "hostif_bench.h"

#include "ft_link.h"

#include "axon/link.h"
extern "C" {
#include "tnet.h"
}

#include <algorithm>
#include <string>

#ifndef AXON_TB_LEGACY
#define AXON_TB_LEGACY 0
#endif

namespace {

using hostif::CfgModel;
using hostif::kCores;

constexpr uint32_t kMem = 1u << 16; // words per core (axon_hostif's MemWords)

// the board: the DUT, the bridge, the chip model
struct Board {
    tb::Dut<Vaxon_hostif> &dut;
    tb::Rng &rng;
    tb::Score &score;
    ft601_model ft;
    CfgModel cfg{kMem};

    Board(tb::Dut<Vaxon_hostif> &d, tb::Rng &r, tb::Score &s) : dut(d), rng(r), score(s)
    {
        ft601_init(&ft, r.u64(), 0.2, 0.2, 64);
    }
    ~Board() { ft601_free(&ft); }
};

// a spike source on core 0 driving core 1, core 1 driving core 3, core 2 unused; recording
// spikes and v
axon_image *network(int variant)
{
    tnet *t = tnet_new(1, 1, kCores, 1.0, 0);
    uint32_t ev[16];
    for (uint32_t i = 0; i < 8; i++) {
        ev[2 * i] = 1 + i;
        ev[2 * i + 1] = i % 4;
    }
    int src = tnet_array(t, 0, 0, 0, 4, ev, 8, 0x10000, 1);
    int a = tnet_neurons_uniform(t, 0, 0, 1, "IF_curr_exp", 40, nullptr, nullptr, 0x20000, 3, 1);
    std::vector<tnet_syn> syn;
    for (uint32_t k = 0; k < 40; k++)
        syn.push_back({k % 4, k, 2000, 1 + k % 5, AXON_SYN_TYPE_EXC});
    tnet_connect(t, src, a, syn.data(), (uint32_t)syn.size(), 0, 0);
    if (variant == 0) {
        int c = tnet_neurons_uniform(t, 0, 0, 3, "IF_curr_exp", 20, nullptr, nullptr, 0x30000, 1, 1);
        syn.clear();
        for (uint32_t k = 0; k < 40; k++)
            syn.push_back({k, k % 20, 1500, 1, AXON_SYN_TYPE_EXC});
        tnet_connect(t, a, c, syn.data(), (uint32_t)syn.size(), 0, 0);
    }
    axon_image *img = tnet_image(t);
    tnet_free(t);
    return img;
}

// the model holds the image: tables (then inert entries), memories, one boot per core
void check_loaded(Board &b, axon_image *img, const uint64_t boots0[kCores], const char *what)
{
    const axon_route_entry *e;
    uint32_t ne;
    axon_image_get_table(img, 0, 0, &e, &ne);
    for (uint32_t i = 0; i < ne; i++)
        if (b.cfg.table[i] != std::array<uint32_t, 3>{e[i].key, e[i].mask, e[i].route})
            b.score.fail("%s: router entry %u differs", what, i);
    uint32_t used = 0;
    for (uint32_t c = 0; c < kCores; c++) {
        const uint32_t *m;
        uint32_t n;
        axon_image_get_core(img, 0, 0, c, &m, &n);
        used |= (uint32_t)(n > 0) << c;
        if (b.cfg.boots[c] - boots0[c] != 1)
            b.score.fail("%s: core %u booted %llu times", what, c,
                         (unsigned long long)(b.cfg.boots[c] - boots0[c]));
        if (n ? !std::equal(m, m + n, b.cfg.mem[c].begin()) : b.cfg.booted[c])
            b.score.fail("%s: core %u %s", what, c, n ? "memory differs" : "not wiped");
        else
            b.score.pass();
    }
    if (b.cfg.core_enable != used)
        b.score.fail("%s: core_enable 0x%x (want 0x%x)", what, b.cfg.core_enable, used);
}

struct Rec {
    std::vector<uint32_t> words[kCores];
    uint64_t drops = 0;
};

int on_stream(void *u, const axon_frame *f)
{
    Rec *r = static_cast<Rec *>(u);
    if (f->opcode == AXON_PROTO_OP_REC_DATA) {
        uint32_t c = f->payload[0] >> AXON_PROTO_TGT_CORE_LSB & AXON_PROTO_TGT_CORE_MASK;
        if (c < kCores)
            r->words[c].insert(r->words[c].end(), f->payload + 1, f->payload + f->n);
    } else if (f->opcode == AXON_PROTO_OP_DROP_REPORT) {
        r->drops += f->payload[1];
    }
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    tb::Args args = tb::parse_args(argc, argv, 1);
    tb::Rng rng(args.seed);
    tb::Score score(args.seed);
    tb::Dut<Vaxon_hostif> dut(args);
    tb::ft_reset(dut);
    Board b(dut, rng, score);
    ftlink::Link fl(
        b.ft, [&] { hostif::cycle(dut, b.ft, b.cfg, rng, score, 0.7); },
        [&](const char *m) { score.fail("%s", m); });
    axon_link *l = nullptr;
    char err[AXON_ERRMSG_LEN] = "";
    axon_link_opts o = {};
    o.timeout_ms = 5000; // wall clock (the simulation is slow); retries would be legal too
    if (axon_link_open(&l, fl.xport(), &o, err)) {
        score.fail("HELLO: %s", err);
        return score.finish();
    }
    uint64_t boots0[kCores];
    for (int variant = 0; variant < 2; variant++) {
        axon_image *img = network(variant);
        uint32_t *w = nullptr;
        size_t n = 0;
        if (!img || axon_image_to_buffer(img, &w, &n)) {
            score.fail("image %d", variant);
            return score.finish();
        }
        std::copy(b.cfg.boots, b.cfg.boots + kCores, boots0);
        uint64_t c0 = dut.cycle();
        int rc = axon_link_load(l, w, n);
        if (rc)
            score.fail("load %d: %s", variant, axon_link_last_error(l));
        std::printf("image %d: %zu words loaded in %llu cycles (%s)\n", variant, n,
                    (unsigned long long)(dut.cycle() - c0),
                    axon_link_get_stats(l)->fallback_loads ? "WRITE fallback" : "LOAD");
        check_loaded(b, img, boots0, variant ? "second image" : "first image");
        if (variant == 1) { // the first image's extra entries no longer match
            const axon_route_entry *e;
            uint32_t ne;
            axon_image_get_table(img, 0, 0, &e, &ne);
            for (uint32_t i = ne; i < AXON_ROUTER_MC_ENTRIES; i++)
                if (b.cfg.table[i] != std::array<uint32_t, 3>{1, 0, 0}) {
                    score.fail("entry %u after the second table is not inert", i);
                    break;
                }
        }
        free(w);
        axon_image_destroy(img);
    }
    if (axon_link_get_stats(l)->fallback_loads != (AXON_TB_LEGACY ? 2u : 0u))
        score.fail("%llu loads by WRITE (want %d)",
                   (unsigned long long)axon_link_get_stats(l)->fallback_loads,
                   AXON_TB_LEGACY ? 2 : 0);

    // a run: every recording word and every drop arrives before RUN_DONE
    Rec rec;
    uint32_t done = 0;
    if (axon_link_run(l, 12, AXON_PROTO_MODE_BARRIER, 0, on_stream, &rec, &done))
        score.fail("run: %s", axon_link_last_error(l));
    for (int c = 0; c < kCores; c++)
        if (rec.words[c] != b.cfg.produced[c])
            score.fail("core %d: %zu recording words received, %zu produced", c,
                       rec.words[c].size(), b.cfg.produced[c].size());
        else
            score.pass();
    if (done != 12 || rec.drops != b.cfg.dropped)
        score.fail("run: step %u, %llu drops reported of %llu", done,
                   (unsigned long long)rec.drops, (unsigned long long)b.cfg.dropped);

    // a core refusing its memory: the load fails naming it
    {
        axon_image *img = network(0);
        uint32_t *w = nullptr;
        size_t n = 0;
        axon_image_to_buffer(img, &w, &n);
        const uint32_t *m;
        uint32_t n0, n1;
        axon_image_get_core(img, 0, 0, 0, &m, &n0);
        axon_image_get_core(img, 0, 0, 1, &m, &n1);
        (void)n1;
        const axon_route_entry *e;
        uint32_t ne;
        axon_image_get_table(img, 0, 0, &e, &ne);
        size_t at = AXON_IMAGE_HEADER_WORDS + 1 + 3 * (size_t)ne + 1 + n0 + 1;
        w[at] ^= 1; // core 1's magic
        int rc = axon_link_load(l, w, n);
        std::string msg = axon_link_last_error(l);
        // (the fallback parses the image first: the host itself names the broken core)
        bool named = AXON_TB_LEGACY ? msg.find("core 1 of chip (0, 0)") != std::string::npos
                                    : msg.find("core 1 refused") != std::string::npos;
        if (rc == AXON_OK || !named)
            score.fail("refused core: rc %d, message '%s'", rc, msg.c_str());
        else
            score.pass();
        std::printf("refused core: %s\n", msg.c_str());
        free(w);
        axon_image_destroy(img);
    }
    axon_link_close(l);
    return score.finish();
}
