// Driver of the SystemC board model (docs/emulator.md "SystemC board model").
//   --test    a small network mapped by the host library onto 2 x 2 chips (10 cores, 3 per
//             chip) runs on the board model and on the golden engine (ref); every core's
//             recording (spikes and membrane voltages) must be identical word for word.
//   --bench   the same network at several link latencies and capacities (and router wait
//             timers); per setting a line
//             bench sc_board_links latency=.. capacity=.. wait=.. steps=.. mean_step_cycles=..
//                   max_step_cycles=.. link_packets=.. link_full_cycles=.. emergency=..
//                   dumped=.. dropped_no_link=..
//                   finished=yes identical=yes|no   (or finished=no stuck_step=..: deadlock)
//             plus bench sc_board_speed (simulated cycles per wall second).
// Both (the default) in one process: SystemC elaborates one board per process.
// Usage: axon_sc_board_run [--test] [--bench] [--steps N]
#include "sc_board.h"

extern "C" {
#include "axon/axon.h"
#include "axon/engine.h"
}

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

struct Net {
    axon_ctx *ctx = nullptr;
    axon_image *img = nullptr;
};

axon_value uniform(double lo, double hi)
{
    axon_value v = axon_const(0);
    v.kind = AXON_VALUE_RANDOM;
    v.dist = axon_dist{"uniform", {lo, hi, 0, 0}, 2};
    return v;
}

// 80 excitatory + 16 inhibitory IF_curr_exp cells driven by 64 Poisson sources; 16 neurons
// per core and 3 cores per chip spread the 10 cores over all four chips of a 2 x 2 mesh.
int build(Net &n)
{
    axon_ctx *ctx;
    if (axon_create(&ctx))
        return -1;
    n.ctx = ctx;
    axon_machine_opts mo{};
    mo.width = 2;
    mo.height = 2;
    mo.cores_per_chip = 3;
    mo.neurons_per_core = 16;
    axon_pop exc, inh, src;
    axon_value rate = axon_const(60.0), v0 = uniform(-65.0, -55.0);
    if (axon_setup(ctx, 1.0, 1.0, 8.0, 11) || axon_set_machine(ctx, &mo) ||
        axon_population(ctx, 80, "IF_curr_exp", "exc", nullptr, &exc) ||
        axon_population(ctx, 16, "IF_curr_exp", "inh", nullptr, &inh) ||
        axon_population(ctx, 64, "SpikeSourcePoisson", "src", nullptr, &src) ||
        axon_pop_set(ctx, src, "rate", &rate) || axon_pop_initialize(ctx, exc, "v", &v0) ||
        axon_pop_initialize(ctx, inh, "v", &v0))
        return -1;
    axon_view ve = axon_whole(ctx, exc), vi = axon_whole(ctx, inh), vs = axon_whole(ctx, src);
    axon_connector fp = axon_connector_default(AXON_CONN_FIXED_PROBABILITY);
    fp.p = 0.15;
    axon_synapse s_in{axon_const(0.6), uniform(1.0, 4.0)};
    axon_synapse s_exc{axon_const(0.3), uniform(1.0, 6.0)};
    axon_synapse s_inh{axon_const(-0.8), uniform(1.0, 3.0)};
    if (axon_projection(ctx, &vs, &ve, &fp, &s_in, "excitatory", nullptr, "in_e", nullptr) ||
        axon_projection(ctx, &vs, &vi, &fp, &s_in, "excitatory", nullptr, "in_i", nullptr) ||
        axon_projection(ctx, &ve, &ve, &fp, &s_exc, "excitatory", nullptr, "ee", nullptr) ||
        axon_projection(ctx, &ve, &vi, &fp, &s_exc, "excitatory", nullptr, "ei", nullptr) ||
        axon_projection(ctx, &vi, &ve, &fp, &s_inh, "inhibitory", nullptr, "ie", nullptr) ||
        axon_record(ctx, &ve, "spikes", 0) || axon_record(ctx, &vi, "spikes", 0) ||
        axon_record(ctx, &vi, "v", 0))
        return -1;
    n.img = axon_machine_image(ctx);
    return n.img ? 0 : -1;
}

// Compares every used core's recording with ref's; returns the number of differing cores.
unsigned compare(const axon_sc::Board &b, const axon_engine *eng, const axon_image *img,
                 bool verbose, uint64_t *words)
{
    unsigned bad = 0;
    *words = 0;
    const unsigned w = axon_image_width(img), h = axon_image_height(img),
                   cpc = axon_image_cores_per_chip(img);
    for (unsigned y = 0; y < h; y++)
        for (unsigned x = 0; x < w; x++)
            for (unsigned c = 0; c < cpc; c++) {
                const uint32_t *rw;
                size_t rn;
                if (axon_engine_recording(eng, x, y, c, &rw, &rn))
                    continue;
                const std::vector<uint32_t> &sw = b.recording(x, y, c);
                *words += rn;
                size_t i = 0;
                while (i < rn && i < sw.size() && rw[i] == sw[i])
                    i++;
                if (i != rn || sw.size() != rn) {
                    bad++;
                    if (verbose)
                        std::fprintf(stderr,
                                     "sc_board: chip (%u, %u) core %u: recording differs at word "
                                     "%zu (ref %zu words, board %zu)\n",
                                     x, y, c, i, rn, sw.size());
                }
            }
    return bad;
}

} // namespace

int sc_main(int argc, char **argv)
{
    bool test = false, bench = false;
    uint32_t steps = 200;
    for (int i = 1; i < argc; i++) {
        if (!std::strcmp(argv[i], "--test"))
            test = true;
        else if (!std::strcmp(argv[i], "--bench"))
            bench = true;
        else if (!std::strcmp(argv[i], "--steps") && i + 1 < argc)
            steps = (uint32_t)std::strtoul(argv[++i], nullptr, 10);
        else {
            std::fprintf(stderr, "usage: %s [--test] [--bench] [--steps N]\n", argv[0]);
            return 2;
        }
    }
    if (!test && !bench)
        test = bench = true;
    if (!steps) {
        std::fprintf(stderr, "sc_board: --steps must be at least 1\n");
        return 2;
    }
    sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);

    Net net;
    if (build(net)) {
        std::fprintf(stderr, "sc_board: network: %s\n",
                     net.ctx ? axon_last_error(net.ctx) : "no context");
        axon_destroy(net.ctx);
        return 1;
    }
    axon_engine *eng = nullptr;
    axon_engine_opts eo{};
    char err[AXON_ERRMSG_LEN];
    if (axon_engine_create(&eng, net.img, &eo, err) || axon_engine_run(eng, steps)) {
        std::fprintf(stderr, "sc_board: ref: %s\n", eng ? axon_engine_last_error(eng) : err);
        axon_engine_destroy(eng);
        axon_destroy(net.ctx);
        return 1;
    }

    const unsigned w = axon_image_width(net.img), h = axon_image_height(net.img);
    axon_sc::Board board(w, h, axon_image_flags(net.img) & AXON_IMAGE_FLAG_WRAP, 1, 4);
    board.max_step_cycles = 100000; // a step of this network takes under 1,000 cycles
    struct Setting {
        unsigned latency, capacity, wait;
    };
    std::vector<Setting> settings;
    if (test)
        settings.push_back({1, 4, 0});
    if (bench)
        for (Setting s : {Setting{1, 4, 0}, Setting{4, 8, 0}, Setting{16, 20, 0}, Setting{64, 68, 0},
                          Setting{256, 260, 0}, Setting{16, 4, 0}, Setting{64, 4, 0},
                          Setting{64, 4, 0x4040}})
            settings.push_back(s);
    int status = 0;
    auto t0 = std::chrono::steady_clock::now();
    for (size_t k = 0; k < settings.size(); k++) {
        const Setting &s = settings[k];
        std::string e;
        board.set_links(s.latency, s.capacity);
        board.router_wait = s.wait;
        if (board.load(net.img, e)) {
            std::fprintf(stderr, "sc_board: latency %u capacity %u: %s\n", s.latency, s.capacity,
                         e.c_str());
            status = 1;
            break;
        }
        if (board.run(steps, e)) {
            // a step that never ends: with the wait timers off (the reset value), routers
            // blocked on each other's full links deadlock (docs/emulator.md)
            std::printf("bench sc_board_links chips=%ux%u latency=%u capacity=%u wait=0x%04x "
                        "steps=%u finished=no stuck_step=%zu link_packets=%llu\n",
                        w, h, s.latency, s.capacity, s.wait, steps, board.step_cycles().size(),
                        (unsigned long long)board.link_packets());
            std::fprintf(stderr, "sc_board: latency %u capacity %u: %s\n", s.latency,
                         s.capacity, e.c_str());
            if (test && k == 0)
                status = 1;
            continue;
        }
        uint64_t words, dumps = 0, emerg = 0, no_link = 0;
        if (board.router_stats(dumps, emerg, no_link, e)) {
            std::fprintf(stderr, "sc_board: %s\n", e.c_str());
            status = 1;
        }
        unsigned bad = compare(board, eng, net.img, true, &words);
        const std::vector<uint64_t> &sc = board.step_cycles();
        uint64_t sum = 0, mx = 0;
        for (uint64_t c : sc) {
            sum += c;
            mx = c > mx ? c : mx;
        }
        if (test && k == 0) {
            std::printf("sc_board: %ux%u chips, %u steps, %llu recording words, %u cores differ "
                        "from ref, %llu packets over links\n",
                        w, h, steps, (unsigned long long)words, bad,
                        (unsigned long long)board.link_packets());
            if (bad || !words || !board.link_packets())
                status = 1;
            if (!bench)
                break;
            continue;
        }
        if (bad && !s.wait) // detours and drops (wait timers set) may change the results
            status = 1;
        std::printf("bench sc_board_links chips=%ux%u latency=%u capacity=%u wait=0x%04x "
                    "steps=%u mean_step_cycles=%.1f max_step_cycles=%llu link_packets=%llu "
                    "link_full_cycles=%llu emergency=%llu dumped=%llu dropped_no_link=%llu "
                    "finished=yes identical=%s\n",
                    w, h, s.latency, s.capacity, s.wait, steps, (double)sum / sc.size(),
                    (unsigned long long)mx, (unsigned long long)board.link_packets(),
                    (unsigned long long)board.link_full_cycles(), (unsigned long long)emerg,
                    (unsigned long long)dumps, (unsigned long long)no_link, bad ? "no" : "yes");
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (bench && !status)
        std::printf("bench sc_board_speed chips=%ux%u cores_per_chip=%u cycles=%llu "
                    "seconds=%.2f cycles_per_s=%.0f (loads and runs above)\n",
                    w, h, board.cores_per_chip(), (unsigned long long)board.cycles(), secs,
                    board.cycles() / secs);
    std::fflush(stdout);
    axon_engine_destroy(eng);
    axon_destroy(net.ctx);
    return status;
}
