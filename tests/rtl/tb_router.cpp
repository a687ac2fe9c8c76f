// Testbench of axon_router (docs/rtl.md, router): random traffic with random back-pressure
// against the golden router (axon/router.h, models/router.c), which is loaded with the same
// configuration writes. Every packet the RTL accepts is given to the golden router at that
// moment; its outputs are pushed to one expected queue per output port (the pipeline is in
// order, so every output sees its packets in acceptance order), and every packet an output
// delivers must be the head of that port's queue. Packets the golden router drops (errors,
// dumps) must not appear; the counters, the error and dump latches and every diagnostic
// counter are compared after each phase. A watchdog fails the run if packets are in flight
// and nothing moves for a while.
//
// Phases (--n scales the packets per phase):
//   uniform    random tables (overlapping, never-matching entries), every packet type,
//              emergency states on link inputs, parity and timestamp errors, default routes,
//              random stalls on every output, no timeouts (wait1 = forever)
//   hotspot    most packets to one core, every input busy
//   multicast  routes with many outputs (all-to-all style)
//   rewrite    table entries rewritten over the cfg bus while packets flow
//   emergency  1-2 outputs blocked (ready held low), wait1/wait2 finite: detours, dumps;
//              free outputs stall at most 7 cycles in a row (less than wait1)
//   dropwait   as emergency with wait2 = 0 (no emergency routing: dump at wait1)
//   rate       every output ready, every input busy: packets per cycle (must be >= 0.99)
#include "Vaxon_router.h"
#include "tb_common.h"

#include "axon/router.h"

#include <deque>
#include <vector>

namespace {

constexpr int kLinks = AXON_ROUTER_LINKS;
constexpr int kCores = 18;
constexpr int kPorts = kLinks + kCores;
constexpr int kW = 72;

struct Pkt {
    uint8_t ctrl;
    uint32_t key, payload;
};

uint32_t port_bit(int o) { return o < kLinks ? 1u << o : 1u << (AXON_ROUTE_CORE_LSB + o - kLinks); }

template <class W> void set_bits(W &w, int lsb, int width, uint64_t v)
{
    for (int b = 0; b < width; b++) {
        int i = lsb + b;
        uint32_t &word = w[i / 32];
        if (v >> b & 1)
            word |= 1u << (i % 32);
        else
            word &= ~(1u << (i % 32));
    }
}

template <class W> uint64_t get_bits(const W &w, int lsb, int width)
{
    uint64_t v = 0;
    for (int b = 0; b < width; b++) {
        int i = lsb + b;
        v |= (uint64_t)(w[i / 32] >> (i % 32) & 1) << b;
    }
    return v;
}

class Bench {
  public:
    Bench(const tb::Args &a) : args_(a), rng_(a.seed), sc_(a.seed), dut_(a)
    {
        if (axon_router_create(&g_, kCores) != AXON_OK) {
            std::printf("cannot create the golden router\n");
            std::exit(2);
        }
        dut_->rst_ni = 0;
        dut_->clk_i = 0;
        dut_->eval();
        dut_.tick();
        dut_->rst_ni = 1;
        idle_inputs();
        // tables clear themselves after reset
        uint64_t n = 0;
        while (dut_->busy_o && n++ < 200000)
            dut_.tick();
        if (dut_->busy_o)
            sc_.fail("busy_o still set %llu cycles after reset", (unsigned long long)n);
    }
    ~Bench() { axon_router_destroy(g_); }

    int run();

  private:
    // ---- configuration bus, applied to both ----
    void idle_inputs()
    {
        dut_->in_valid_i = 0;
        dut_->out_ready_i = (1u << kPorts) - 1;
        dut_->cfg_req_i = 0;
    }
    void cfg_write(uint32_t addr, uint32_t data)
    {
        dut_->cfg_req_i = 1;
        dut_->cfg_we_i = 1;
        dut_->cfg_addr_i = addr;
        dut_->cfg_wdata_i = data;
        dut_.eval();
        int n = 0;
        while (!dut_->cfg_gnt_o && n++ < 1000) {
            dut_.tick();
            dut_.eval();
        }
        if (!dut_->cfg_gnt_o)
            sc_.fail("cfg write 0x%X never granted", addr);
        dut_.tick();
        dut_->cfg_req_i = 0;
        axon_router_write(g_, addr, data);
    }
    uint32_t cfg_read_rtl(uint32_t addr)
    {
        dut_->cfg_req_i = 1;
        dut_->cfg_we_i = 0;
        dut_->cfg_addr_i = addr;
        dut_.eval();
        int n = 0;
        while (!dut_->cfg_gnt_o && n++ < 1000) {
            dut_.tick();
            dut_.eval();
        }
        dut_.tick();
        dut_->cfg_req_i = 0;
        dut_.eval();
        if (!dut_->cfg_rvalid_o)
            sc_.fail("cfg read 0x%X: no rvalid one cycle after the grant", addr);
        return dut_->cfg_rdata_o;
    }
    void cfg_check(uint32_t addr, const char *what, int idx = -1)
    {
        uint32_t want = 0;
        axon_router_read(g_, addr, &want);
        uint32_t got = cfg_read_rtl(addr);
        if (got == want)
            sc_.pass();
        else
            sc_.fail("phase %s: register %s%s%d (0x%X): rtl 0x%08X, golden 0x%08X", phase_, what,
                     idx >= 0 ? "+" : "", idx >= 0 ? idx : 0, addr, got, want);
    }
    void wait_not_busy()
    {
        int n = 0;
        while (dut_->busy_o && n++ < 100)
            dut_.tick();
    }

    // ---- stimuli ----
    void load_random_table(uint32_t n, int multicast, int hotspot);
    Pkt random_packet(int in);
    void traffic(uint64_t n_packets, double p_inject, double p_ready, uint32_t blocked,
                 int bounded_stalls, double p_cfg = 0.0);
    void check_registers();
    double rate_phase(uint64_t cycles);

    tb::Args args_;
    tb::Rng rng_;
    tb::Score sc_;
    tb::Dut<Vaxon_router> dut_;
    axon_router *g_ = nullptr;
    std::vector<axon_route_entry> table_;
    uint32_t n_used_ = 0;
    std::vector<uint32_t> p2p_ids_;
    const char *phase_ = "init";
    int hotspot_ = 0;
    uint64_t delivered_ = 0, accepted_ = 0, dumped_ = 0, errors_ = 0, detours_ = 0;
};

void Bench::load_random_table(uint32_t n, int multicast, int hotspot)
{
    table_.clear();
    n_used_ = n;
    for (uint32_t i = 0; i < AXON_ROUTER_MC_ENTRIES; i++) {
        axon_route_entry e = {0xFFFFFFFFu, 0, 0};
        if (i < n) {
            // masks: full, prefix of 8..31 bits, or random (ternary); some never match
            uint32_t r = rng_.below(10);
            uint32_t mask = r < 3 ? 0xFFFFFFFFu
                          : r < 8 ? ~((1u << rng_.below(24)) - 1u)
                                  : rng_.u32();
            uint32_t key = rng_.u32() & mask;
            if (rng_.chance(0.05))
                key |= ~mask & (1u << rng_.below(32)); // key bit outside the mask: never
            uint32_t route;
            if (hotspot)
                route = rng_.chance(0.8) ? port_bit(hotspot_) : port_bit((int)rng_.below(kPorts));
            else if (multicast)
                route = rng_.u32() & 0xFFFFFFu;
            else {
                route = 0;
                int k = 1 + (int)rng_.below(3);
                for (int j = 0; j < k; j++)
                    route |= port_bit((int)rng_.below(kPorts));
            }
            e = {key, mask, route};
        }
        table_.push_back(e);
        cfg_write(AXON_RIF_REG_MC_KEY, e.key);
        cfg_write(AXON_RIF_REG_MC_MASK, e.mask);
        cfg_write(AXON_RIF_MC_ROUTE_BASE + i, e.route);
    }
    wait_not_busy();
    p2p_ids_.clear();
    for (int i = 0; i < 32; i++) {
        uint32_t id = rng_.u32() & 0xFFFFu;
        p2p_ids_.push_back(id);
        cfg_write(AXON_RIF_P2P_BASE + id, rng_.below(8));
    }
    cfg_write(AXON_RIF_REG_FR_ROUTE, port_bit((int)rng_.below(kPorts)) | port_bit((int)rng_.below(kPorts)));
}

Pkt Bench::random_packet(int in)
{
    Pkt p{};
    uint32_t type, r = rng_.below(100);
    type = r < 82 ? AXON_PKT_TYPE_MC : r < 88 ? AXON_PKT_TYPE_P2P : r < 94 ? AXON_PKT_TYPE_NN : AXON_PKT_TYPE_FR;
    uint32_t em = 0;
    if (in < kLinks ? rng_.chance(0.15) : rng_.chance(0.05))
        em = 1 + rng_.below(3);
    uint32_t phase = 0;
    axon_router_read(g_, AXON_RIF_REG_PHASE, &phase);
    uint32_t ts = rng_.chance(0.03) ? (phase ^ 3u) : (phase ^ rng_.below(3));
    uint32_t pl = rng_.chance(0.5);
    if (type == AXON_PKT_TYPE_MC) {
        if (rng_.chance(0.8) && n_used_) {
            const axon_route_entry &e = table_[rng_.below(n_used_)];
            p.key = e.key | (rng_.u32() & ~e.mask);
        } else {
            p.key = rng_.u32();
        }
    } else if (type == AXON_PKT_TYPE_P2P) {
        p.key = (rng_.u32() & 0xFFFF0000u) | (rng_.chance(0.8) ? p2p_ids_[rng_.below((uint32_t)p2p_ids_.size())] : (rng_.u32() & 0xFFFF));
    } else {
        p.key = rng_.u32();
    }
    p.payload = rng_.u32();
    p.ctrl = (uint8_t)(type << AXON_PKT_TYPE_LSB | em << AXON_PKT_EMERGENCY_LSB | ts << AXON_PKT_TIMESTAMP_LSB |
                       pl << AXON_PKT_PAYLOAD_LSB);
    axon_packet ap = {p.ctrl, p.key, p.payload};
    axon_packet_set_parity(&ap);
    p.ctrl = ap.ctrl;
    if (rng_.chance(0.02)) { // a bit flipped on the wire
        int b = (int)rng_.below(pl ? 72 : 40);
        if (b < 8)
            p.ctrl ^= (uint8_t)(1u << b);
        else if (b < 40)
            p.key ^= 1u << (b - 8);
        else
            p.payload ^= 1u << (b - 40);
    }
    return p;
}

void Bench::traffic(uint64_t n_packets, double p_inject, double p_ready, uint32_t blocked,
                    int bounded_stalls, double p_cfg)
{
    // table entries rewritten while packets flow: {addr, data} writes, applied to the golden
    // router in the cycle the RTL grants them
    std::deque<std::pair<uint32_t, uint32_t>> cfgq;
    uint64_t cfg_done = 0;
    std::vector<std::deque<Pkt>> exp(kPorts);
    std::vector<Pkt> cur(kPorts);
    std::vector<int> has(kPorts, 0), stall(kPorts, 0);
    uint64_t sent = 0, since_move = 0, outstanding = 0, c0 = dut_.cycle(), a0 = accepted_, d0 = delivered_;
    uint64_t last_move = c0;
    uint32_t w = 0;
    axon_router_read(g_, AXON_RIF_REG_WAIT, &w);
    const uint64_t limit = 4000 + 4ull * (axon_router_wait_cycles(w & 0xFF) == UINT32_MAX ? 0 : axon_router_wait_cycles(w & 0xFF)) +
                           4ull * (axon_router_wait_cycles(w >> 8) == UINT32_MAX ? 0 : axon_router_wait_cycles(w >> 8));
    for (;;) {
        // inputs: hold a packet until it is taken
        uint32_t valid = 0;
        for (int i = 0; i < kPorts; i++) {
            if (!has[i] && sent < n_packets && rng_.chance(p_inject)) {
                cur[i] = random_packet(i);
                has[i] = 1;
                sent++;
            }
            if (has[i]) {
                valid |= 1u << i;
                set_bits(dut_->in_data_i, i * kW, 8, cur[i].ctrl);
                set_bits(dut_->in_data_i, i * kW + 8, 32, cur[i].key);
                set_bits(dut_->in_data_i, i * kW + 40, 32, cur[i].payload);
            }
        }
        dut_->in_valid_i = valid;
        if (cfgq.empty() && sent < n_packets && rng_.chance(p_cfg)) {
            uint32_t i = rng_.below(n_used_ ? n_used_ : 1);
            axon_route_entry e = table_[i];
            e.route = rng_.chance(0.5) ? port_bit((int)rng_.below(kPorts)) : rng_.u32() & 0xFFFFFFu;
            if (rng_.chance(0.3))
                e.key = rng_.u32() & e.mask;
            table_[i] = e;
            cfgq.push_back({AXON_RIF_REG_MC_KEY, e.key});
            cfgq.push_back({AXON_RIF_REG_MC_MASK, e.mask});
            cfgq.push_back({AXON_RIF_MC_ROUTE_BASE + i, e.route});
        }
        dut_->cfg_req_i = !cfgq.empty();
        if (!cfgq.empty()) {
            dut_->cfg_we_i = 1;
            dut_->cfg_addr_i = cfgq.front().first;
            dut_->cfg_wdata_i = cfgq.front().second;
        }
        // outputs: random back-pressure; blocked ones never ready
        uint32_t ready = 0;
        for (int o = 0; o < kPorts; o++) {
            if (blocked & port_bit(o))
                continue;
            bool r = rng_.chance(p_ready) || (bounded_stalls && stall[o] >= 7);
            stall[o] = r ? 0 : stall[o] + 1;
            if (r)
                ready |= 1u << o;
        }
        dut_->out_ready_i = ready;
        dut_.eval();
        bool moved = false;
        if (!cfgq.empty() && dut_->cfg_gnt_o) {
            axon_router_write(g_, cfgq.front().first, cfgq.front().second);
            cfgq.pop_front();
            cfg_done++;
            moved = true;
        }
        // accepted inputs go to the golden router now
        uint32_t taken_in = dut_->in_ready_o & valid;
        if (__builtin_popcount(taken_in) > 1)
            sc_.fail("phase %s: %d inputs accepted in one cycle", phase_, __builtin_popcount(taken_in));
        for (int i = 0; i < kPorts; i++) {
            if (!(taken_in >> i & 1))
                continue;
            axon_packet ap = {cur[i].ctrl, cur[i].key, cur[i].payload};
            axon_router_result res;
            int rc = axon_router_packet(g_, (uint32_t)i, &ap, blocked, &res);
            if (rc != AXON_OK)
                sc_.fail("golden router: %s", axon_router_last_error(g_));
            for (uint32_t k = 0; k < res.n_out; k++) {
                exp[res.port[k]].push_back({res.out[k].ctrl, res.out[k].key, res.out[k].payload});
                outstanding++;
            }
            if (res.reason == AXON_RIF_DROP_REASONS_TIMEOUT)
                dumped_++;
            else if (res.reason != AXON_RIF_DROP_REASONS_NONE)
                errors_++;
            for (uint32_t k = 0; k < res.n_out; k++)
                if ((res.out[k].ctrl >> AXON_PKT_EMERGENCY_LSB & 3u) == AXON_PKT_EMERGENCY_EMERGENCY_SECOND)
                    detours_++;
            if (std::getenv("TB_DEBUG") && cur[i].key == (uint32_t)std::strtoul(std::getenv("TB_DEBUG"), nullptr, 0))
                std::printf("DBG cycle %llu in %d ctrl %02X key %08X: n_out %u reason %u dumped %06X blocked %06X out0 %u\n",
                            (unsigned long long)dut_.cycle(), i, cur[i].ctrl, cur[i].key, res.n_out, res.reason, res.dumped, blocked,
                            res.n_out ? res.port[0] : 99);
            has[i] = 0;
            accepted_++;
            moved = true;
        }
        // delivered packets must be the head of their port's queue
        uint32_t taken_out = dut_->out_valid_o & ready;
        for (int o = 0; o < kPorts; o++) {
            if (!(taken_out >> o & 1))
                continue;
            Pkt got{(uint8_t)get_bits(dut_->out_data_o, o * kW, 8), (uint32_t)get_bits(dut_->out_data_o, o * kW + 8, 32),
                     (uint32_t)get_bits(dut_->out_data_o, o * kW + 40, 32)};
            moved = true;
            if (exp[o].empty()) {
                sc_.fail("phase %s cycle %llu: port %d delivered ctrl 0x%02X key 0x%08X, nothing expected",
                         phase_, (unsigned long long)dut_.cycle(), o, got.ctrl, got.key);
                continue;
            }
            Pkt want = exp[o].front();
            exp[o].pop_front();
            outstanding--;
            bool pl = want.ctrl >> AXON_PKT_PAYLOAD_LSB & 1;
            if (got.ctrl == want.ctrl && got.key == want.key && (!pl || got.payload == want.payload)) {
                sc_.pass();
                delivered_++;
            } else {
                sc_.fail("phase %s cycle %llu: port %d delivered ctrl 0x%02X key 0x%08X payload 0x%08X, "
                         "expected ctrl 0x%02X key 0x%08X payload 0x%08X",
                         phase_, (unsigned long long)dut_.cycle(), o, got.ctrl, got.key, got.payload,
                         want.ctrl, want.key, want.payload);
            }
        }
        dut_.tick();
        since_move = moved ? 0 : since_move + 1;
        if (moved)
            last_move = dut_.cycle();
        bool inputs_busy = false;
        for (int i = 0; i < kPorts; i++)
            inputs_busy |= has[i] != 0;
        if (sent >= n_packets && !inputs_busy && outstanding == 0 && cfgq.empty() && since_move > 64 + limit / 4)
            break;
        if ((outstanding || inputs_busy) && since_move > limit) {
            sc_.fail("phase %s: deadlock watchdog: %llu packets expected, nothing moved for %llu cycles",
                     phase_, (unsigned long long)outstanding, (unsigned long long)since_move);
            for (int o = 0; o < kPorts; o++)
                if (!exp[o].empty())
                    std::printf("  port %d waits for ctrl 0x%02X key 0x%08X (%zu queued)\n", o,
                                exp[o].front().ctrl, exp[o].front().key, exp[o].size());
            break;
        }
    }
    idle_inputs();
    for (int i = 0; i < 8; i++)
        dut_.tick();
    double cyc = (double)(last_move - c0);
    std::printf("bench router_rtl traffic=%s p_inject=%.2f p_ready=%.2f blocked=0x%06X packets=%llu "
                "pkts_per_cycle=%.3f copies_per_cycle=%.3f table_writes=%llu\n",
                phase_, p_inject, p_ready, blocked, (unsigned long long)(accepted_ - a0),
                (double)(accepted_ - a0) / cyc, (double)(delivered_ - d0) / cyc,
                (unsigned long long)cfg_done / 3);
}

void Bench::check_registers()
{
    for (uint32_t i = 0; i < AXON_RIF_DIAG_COUNTERS; i++) {
        cfg_check(AXON_RIF_REG_DIAG_COUNT + i, "diag_count", (int)i);
        cfg_check(AXON_RIF_REG_DIAG_FILTER + i, "diag_filter", (int)i);
    }
    static const struct {
        uint32_t a;
        const char *n;
    } regs[] = {{AXON_RIF_REG_INFO, "info"},           {AXON_RIF_REG_VERSION, "version"},
                {AXON_RIF_REG_WAIT, "wait"},           {AXON_RIF_REG_PHASE, "phase"},
                {AXON_RIF_REG_FR_ROUTE, "fr_route"},   {AXON_RIF_REG_STATUS, "status"},
                {AXON_RIF_REG_DUMP_HDR, "dump_hdr"},   {AXON_RIF_REG_DUMP_KEY, "dump_key"},
                {AXON_RIF_REG_DUMP_OUTPUTS, "dump_outputs"},
                {AXON_RIF_REG_ERR_HDR, "err_hdr"},     {AXON_RIF_REG_ERR_KEY, "err_key"},
                {AXON_RIF_REG_ERR_PARITY, "err_parity"}, {AXON_RIF_REG_ERR_TIMESTAMP, "err_timestamp"},
                {AXON_RIF_REG_ERR_UNROUTED, "err_unrouted"}};
    for (const auto &r : regs)
        cfg_check(r.a, r.n);
    uint32_t st = 0;
    axon_router_read(g_, AXON_RIF_REG_STATUS, &st);
    // payload latches only mean something for packets with a payload; compare when latched
    uint32_t h = 0;
    axon_router_read(g_, AXON_RIF_REG_DUMP_HDR, &h);
    if ((st & AXON_RIF_STATUS_DUMP_VALID) && (h >> AXON_PKT_PAYLOAD_LSB & 1))
        cfg_check(AXON_RIF_REG_DUMP_PAYLOAD, "dump_payload");
    axon_router_read(g_, AXON_RIF_REG_ERR_HDR, &h);
    if ((st & AXON_RIF_STATUS_ERR_VALID) && (h >> AXON_PKT_PAYLOAD_LSB & 1))
        cfg_check(AXON_RIF_REG_ERR_PAYLOAD, "err_payload");
    // filters 12..15 (off by default) get random field subsets for the next phase, so that
    // each field's selection is exercised against the golden counters
    for (uint32_t i = 12; i < AXON_RIF_DIAG_COUNTERS; i++) {
        uint32_t f = 0;
        static const int lsb[] = {0, 4, 8, 10, 12, 14}, width[] = {4, 4, 2, 2, 2, 3};
        for (int k = 0; k < 6; k++) {
            uint32_t sub = 0;
            while (!sub)
                sub = rng_.u32() & ((1u << width[k]) - 1u);
            f |= sub << lsb[k];
        }
        cfg_write(AXON_RIF_REG_DIAG_FILTER + i, f);
    }
    // clear for the next phase (also checks the clear bits)
    cfg_write(AXON_RIF_REG_CTRL, AXON_RIF_CTRL_CLEAR_COUNTERS | AXON_RIF_CTRL_CLEAR_DUMP | AXON_RIF_CTRL_CLEAR_ERROR);
    cfg_check(AXON_RIF_REG_STATUS, "status after clear");
    cfg_check(AXON_RIF_REG_DIAG_COUNT + 0, "diag_count after clear", 0);
}

double Bench::rate_phase(uint64_t cycles)
{
    // entry i routes keys i << 8 .. to output i mod ports; every input always valid
    cfg_write(AXON_RIF_REG_PHASE, 0);
    for (int i = 0; i < kPorts; i++) {
        cfg_write(AXON_RIF_REG_MC_KEY, (uint32_t)i << 8);
        cfg_write(AXON_RIF_REG_MC_MASK, 0xFFFFFF00u);
        cfg_write(AXON_RIF_MC_ROUTE_BASE + (uint32_t)i, port_bit(i));
    }
    wait_not_busy();
    uint64_t acc = 0, out = 0;
    dut_->in_valid_i = (1u << kPorts) - 1;
    dut_->out_ready_i = (1u << kPorts) - 1;
    for (int i = 0; i < kPorts; i++) {
        axon_packet p = {0, (uint32_t)((i + 5) % kPorts) << 8, 0};
        axon_packet_set_parity(&p);
        set_bits(dut_->in_data_i, i * kW, 8, p.ctrl);
        set_bits(dut_->in_data_i, i * kW + 8, 32, p.key);
    }
    // latency of one packet through an idle router: input accepted -> output valid
    {
        dut_->in_valid_i = 1u;
        uint64_t t0 = 0, lat = 0;
        for (int c = 0; c < 20 && !lat; c++) {
            dut_.eval();
            bool acc_now = dut_->in_ready_o & 1u;
            if (acc_now)
                t0 = dut_.cycle();
            if (dut_->out_valid_o) {
                lat = dut_.cycle() - t0;
                break;
            }
            dut_.tick();
            if (acc_now)
                dut_->in_valid_i = 0;
        }
        std::printf("bench router_rtl latency_cycles=%llu (input transfer to output valid, idle router)\n",
                    (unsigned long long)lat);
        if (lat != 3)
            sc_.fail("latency %llu cycles (want 3)", (unsigned long long)lat);
        dut_.tick();
        dut_->in_valid_i = (1u << kPorts) - 1;
    }
    for (uint64_t c = 0; c < cycles; c++) {
        dut_.eval();
        acc += (uint64_t)__builtin_popcount(dut_->in_ready_o & dut_->in_valid_i);
        out += (uint64_t)__builtin_popcount(dut_->out_valid_o & dut_->out_ready_i);
        dut_.tick();
    }
    idle_inputs();
    for (int i = 0; i < 8; i++)
        dut_.tick();
    // every accepted packet leaves (single output each, all ready): the same rate out
    if (out + kPorts < acc || out > acc)
        sc_.fail("rate phase: %llu packets in, %llu out", (unsigned long long)acc, (unsigned long long)out);
    return (double)acc / (double)cycles;
}

int Bench::run()
{
    const uint64_t n = args_.n;
    // register file basics
    phase_ = "reset";
    check_registers();

    phase_ = "uniform";
    cfg_write(AXON_RIF_REG_PHASE, rng_.below(4));
    load_random_table(64 + rng_.below(AXON_ROUTER_MC_ENTRIES - 64), 0, 0);
    traffic(n, 0.3, 0.7, 0, 0);
    check_registers();

    phase_ = "hotspot";
    hotspot_ = kLinks + (int)rng_.below(kCores);
    load_random_table(256, 0, 1);
    traffic(n / 2, 0.8, 0.9, 0, 0);
    check_registers();

    phase_ = "multicast";
    load_random_table(128, 1, 0);
    traffic(n / 2, 0.5, 0.6, 0, 0);
    check_registers();

    phase_ = "rewrite"; // table entries rewritten while packets flow
    load_random_table(256, 0, 0);
    traffic(n / 4, 0.5, 0.8, 0, 0, 0.01);
    check_registers();

    phase_ = "emergency";
    cfg_write(AXON_RIF_REG_WAIT, 0x10u | 0x12u << 8); // wait1 16, wait2 20 cycles
    for (int round = 0; round < 4; round++) {
        load_random_table(128, round & 1, 0);
        uint32_t blocked = port_bit((int)rng_.below(kLinks));
        if (round >= 2)
            blocked |= port_bit((int)rng_.below(kPorts));
        traffic(n / 16, 0.2, 0.7, blocked, 1);
        check_registers();
    }

    phase_ = "dropwait";
    cfg_write(AXON_RIF_REG_WAIT, 0x0Cu); // wait1 12, wait2 0: no emergency routing
    load_random_table(128, 1, 0);
    traffic(n / 16, 0.2, 0.7, port_bit((int)rng_.below(kPorts)), 1);
    check_registers();

    phase_ = "rate";
    cfg_write(AXON_RIF_REG_WAIT, 0xFFFFu);
    double rate = rate_phase(20000);
    std::printf("bench router_rtl traffic=one_to_one_all_ready pkts_per_cycle=%.4f ports=%d\n", rate, kPorts);
    if (rate < 0.99)
        sc_.fail("throughput %.4f packets per cycle with every output ready (want >= 0.99)", rate);
    else
        sc_.pass();

    std::printf("accepted %llu packets, delivered %llu copies, %llu errors dropped, %llu dumped, "
                "%llu emergency detours, %llu cycles\n",
                (unsigned long long)accepted_, (unsigned long long)delivered_, (unsigned long long)errors_,
                (unsigned long long)dumped_, (unsigned long long)detours_, (unsigned long long)dut_.cycle());
    if (dumped_ == 0 || detours_ == 0 || errors_ == 0)
        sc_.fail("coverage: dumps %llu, detours %llu, errors %llu (each must be > 0)",
                 (unsigned long long)dumped_, (unsigned long long)detours_, (unsigned long long)errors_);
    return sc_.finish();
}

} // namespace

int main(int argc, char **argv)
{
    Verilated::commandArgs(argc, argv);
    tb::Args a = tb::parse_args(argc, argv, 20000);
    Bench b(a);
    return b.run();
}
