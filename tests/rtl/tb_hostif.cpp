// axon_hostif against the board protocol (docs/spec/protocol.md) through a C model of an
// FT601-style FIFO bridge (ft601_model.h) with back-pressure both ways, a model of the
// cores' configuration bus (random grants, in-order reads with random latency, per-core
// memories) and of their timestep handshake. Requests are encoded and replies checked with
// the host's protocol library (driver/proto.c): HELLO, random WRITE/READ bursts read back
// and compared with the memory model, registers, every conformance error (wrong sequence,
// bad CRC, oversize length, unknown opcode, malformed, bad address: the specified status,
// no write reaches a core), duplicates answered from the cache, RUN in barrier and
// real-time mode (ticks only when every core is idle), STOP and STATUS; LOAD of image files
// in random chunks (router table entries and core memories compared with the file, used
// cores booted, unused ones wiped and booted, boots polled), every LOAD error (bad header,
// geometry beyond the board, routes to missing cores or off the machine, truncated and
// trailing files, chunk offsets out of order, totals beyond the board's memory, a core
// refusing its memory at boot, LOAD while running) with its specified status and detail;
// the router's configuration space (ROUTER_CFG) and DROP_REPORT after runs.
#include "hostif_bench.h"

#include "axon/proto.h"

#include <algorithm>
#include <array>
#include <deque>
#include <vector>

namespace {

using hostif::CfgModel;
using hostif::kCores;
using hostif::kMemWords;

struct Tb {
    tb::Dut<Vaxon_hostif> &dut;
    tb::Rng &rng;
    tb::Score &score;
    ft601_model ft;
    CfgModel cfg;
    axon_deframer rx;
    std::vector<uint32_t> got;
    uint16_t seq = 0;
    double p_gnt = 0.6;
    std::vector<uint32_t> streamed[kCores];  // REC_DATA payloads received, per core
    std::deque<std::vector<uint32_t>> dones;  // RUN_DONE payloads not yet checked
    uint16_t stream_expect = 0;
    uint64_t drops_reported = 0;
    uint32_t drop_step = 0;
    uint64_t stream_gaps = 0;

    Tb(tb::Dut<Vaxon_hostif> &d, tb::Rng &r, tb::Score &s) : dut(d), rng(r), score(s)
    {
        ft601_init(&ft, r.u64(), 0.3, 0.3, 64);
        axon_deframer_init(&rx);
    }
    ~Tb()
    {
        ft601_free(&ft);
        axon_deframer_free(&rx);
    }

    void cycle()
    {
        hostif::cycle(dut, ft, cfg, rng, score, p_gnt);
        uint32_t buf[256];
        size_t n;
        while ((n = ft601_host_read(&ft, buf, 256)) != 0)
            axon_deframer_push(&rx, buf, n * 4);
    }

    void send(uint8_t op, uint16_t s, const uint32_t *args, uint32_t na, const uint32_t *data,
              uint32_t nd)
    {
        std::vector<uint8_t> b(AXON_PROTO_FRAME_BYTES(na + nd));
        size_t n = axon_frame_encode(b.data(), op, s, 0, 0, args, na, data, nd);
        ft601_host_write(&ft, b.data(), n);
    }

    // stream frames: REC_DATA appended per core, RUN_DONE queued, sequence checked
    void on_stream(const axon_frame &f)
    {
        if (f.seq != stream_expect)
            stream_gaps++;
        stream_expect = (uint16_t)(f.seq + 1);
        if (f.opcode == AXON_PROTO_OP_REC_DATA && f.n >= 1) {
            uint32_t c = f.payload[0] >> AXON_PROTO_TGT_CORE_LSB & AXON_PROTO_TGT_CORE_MASK;
            if (c < kCores)
                streamed[c].insert(streamed[c].end(), f.payload + 1, f.payload + f.n);
            else
                score.fail("REC_DATA for core %u", c);
        } else if (f.opcode == AXON_PROTO_OP_DROP_REPORT && f.n == 3) {
            if (f.payload[0] != axon_proto_target(AXON_PROTO_SPACE_ROUTER, 0, 0, 0) ||
                f.payload[1] == 0)
                score.fail("DROP_REPORT target 0x%x count %u", f.payload[0], f.payload[1]);
            drops_reported += f.payload[1];
            drop_step = f.payload[2];
        } else if (f.opcode == AXON_PROTO_OP_RUN_DONE) {
            dones.emplace_back(f.payload, f.payload + f.n);
        } else {
            score.fail("unexpected stream frame opcode %u", f.opcode);
        }
    }

    // the next RUN_DONE payload (stream frames before it are consumed)
    bool run_done(std::vector<uint32_t> &pl, uint64_t budget = 4000000)
    {
        axon_frame f;
        for (uint64_t i = 0; i < budget && dones.empty(); i++) {
            int r = axon_deframer_next(&rx, &f);
            if (r == 1 && (f.flags & AXON_PROTO_FLAG_STREAM))
                on_stream(f);
            else if (r == 1)
                score.fail("reply op %u seq %u while waiting for RUN_DONE", f.opcode, f.seq);
            else if (r == 0)
                cycle();
        }
        if (dones.empty()) {
            score.fail("no RUN_DONE within %llu cycles", (unsigned long long)budget);
            return false;
        }
        pl = dones.front();
        dones.pop_front();
        return true;
    }

    // next reply frame from the board within a cycle budget (stream frames go to on_stream)
    bool frame(axon_frame &f, std::vector<uint32_t> &pl, uint64_t budget = 2000000)
    {
        for (uint64_t i = 0; i < budget; i++) {
            int r = axon_deframer_next(&rx, &f);
            if (r == 1 && (f.flags & AXON_PROTO_FLAG_STREAM)) {
                on_stream(f);
                continue;
            }
            if (r == 1) {
                pl.assign(f.payload, f.payload + f.n);
                return true;
            }
            if (r < 0) {
                score.fail("hostif sent a corrupt frame (deframer status %d, seq %u)", r, f.seq);
                continue;
            }
            cycle();
        }
        score.fail("hostif: no frame within %llu cycles", (unsigned long long)budget);
        return false;
    }

    // request and its reply (seq increments for executed requests)
    bool request(uint8_t op, const uint32_t *args, uint32_t na, const uint32_t *data,
                 uint32_t nd, uint8_t want, std::vector<uint32_t> &pl, const char *what)
    {
        uint16_t s = seq++;
        send(op, s, args, na, data, nd);
        axon_frame f;
        if (!frame(f, pl))
            return false;
        if (!(f.flags & AXON_PROTO_FLAG_REPLY) || f.seq != s || f.opcode != op ||
            f.status != want) {
            score.fail("%s: reply op %u seq %u status %s flags %u (want op %u seq %u status %s)",
                       what, f.opcode, f.seq, axon_proto_status_name(f.status), f.flags, op, s,
                       axon_proto_status_name(want));
            return false;
        }
        score.pass();
        return true;
    }
};

// an image file (docs/spec/image.md) for the 1 x 1 board of kCores cores, with what it holds
struct Image {
    std::vector<uint32_t> words;
    std::vector<std::array<uint32_t, 3>> table;
    std::vector<uint32_t> core[kCores];  // empty: unused
};

Image make_image(tb::Rng &rng, uint32_t unused_mask, uint32_t flags = 0)
{
    Image im;
    im.words = {AXON_IMAGE_MAGIC, AXON_SPEC_VERSION, 1, 1, kCores, flags, 1000};
    uint32_t ne = 1 + rng.below(40);
    im.words.push_back(ne);
    for (uint32_t e = 0; e < ne; e++) {
        uint32_t mask = 0xFFFFFFFFu << rng.below(12);
        uint32_t route = (1u + rng.below((1u << kCores) - 1)) << AXON_ROUTE_CORE_LSB;
        std::array<uint32_t, 3> en = {rng.u32() & mask, mask, route};
        im.table.push_back(en);
        im.words.insert(im.words.end(), en.begin(), en.end());
    }
    for (int c = 0; c < kCores; c++) {
        if (unused_mask >> c & 1) {
            im.words.push_back(0);
            continue;
        }
        uint32_t n = AXON_CORE_HEADER_WORDS + rng.below(400);
        im.core[c].resize(n);
        for (auto &x : im.core[c])
            x = tb::edge_word(rng);
        im.core[c][AXON_CORE_H_MAGIC] = AXON_CORE_MAGIC;
        im.words.push_back(n);
        im.words.insert(im.words.end(), im.core[c].begin(), im.core[c].end());
    }
    return im;
}

// LOAD a file in random chunks; the first reply other than OK ends it. Returns that reply's
// status (OK: every chunk accepted) and its detail word.
uint8_t load_file(Tb &t, const std::vector<uint32_t> &w, uint32_t &detail, uint32_t total = 0)
{
    std::vector<uint32_t> pl;
    if (!total)
        total = (uint32_t)w.size();
    size_t off = 0;
    do {
        size_t n = t.rng.chance(0.2) ? w.size() - off : 1 + t.rng.below(300);
        n = std::min(n, w.size() - off);
        n = std::min<size_t>(n, AXON_PROTO_MAX_DATA_WORDS);
        uint32_t a[2] = {(uint32_t)off, total};
        uint16_t s = t.seq++;
        t.send(AXON_PROTO_OP_LOAD, s, a, 2, w.data() + off, (uint32_t)n);
        axon_frame f;
        if (!t.frame(f, pl, 4000000))
            return 0xFF;
        if (f.seq != s || f.opcode != AXON_PROTO_OP_LOAD) {
            t.score.fail("LOAD reply seq %u op %u (want %u)", f.seq, f.opcode, s);
            return 0xFF;
        }
        detail = pl.size() == 1 ? pl[0] : 0xDEADBEEFu;
        if (f.status != AXON_PROTO_ST_OK)
            return f.status;
        off += n;
        if (pl.size() != 1 || pl[0] != off) {
            t.score.fail("LOAD reply: %zu words, received %u (want %zu)", pl.size(),
                         pl.empty() ? 0 : pl[0], off);
            return 0xFF;
        }
    } while (off < w.size());
    return AXON_PROTO_ST_OK;
}

uint32_t board_state(Tb &t)
{
    std::vector<uint32_t> pl;
    if (!t.request(AXON_PROTO_OP_STATUS, nullptr, 0, nullptr, 0, AXON_PROTO_ST_OK, pl, "STATUS"))
        return 0xFF;
    return pl[AXON_PROTO_BST_STATE];
}

void expect_load(Tb &t, const std::vector<uint32_t> &w, uint8_t want, uint32_t want_detail,
                 const char *what, uint32_t total = 0)
{
    uint32_t d = 0;
    uint8_t st = load_file(t, w, d, total);
    if (st != want || (want != AXON_PROTO_ST_OK && d != want_detail))
        t.score.fail("LOAD %s: status %s detail 0x%x (want %s 0x%x)", what,
                     axon_proto_status_name(st), d, axon_proto_status_name(want), want_detail);
    else
        t.score.pass();
    uint32_t bs = board_state(t);
    uint32_t want_bs = want == AXON_PROTO_ST_OK ? AXON_PROTO_STATE_READY : AXON_PROTO_STATE_IDLE;
    if (bs != want_bs)
        t.score.fail("LOAD %s: board state %u afterwards (want %u)", what, bs, want_bs);
}

// the loaded image is in the cores and the router, every core booted
void check_loaded(Tb &t, const Image &im, const uint64_t boots0[kCores], const char *what)
{
    for (size_t e = 0; e < im.table.size(); e++)
        if (t.cfg.table[e] != im.table[e])
            t.score.fail("%s: router entry %zu differs", what, e);
    for (size_t e = im.table.size(); e < t.cfg.table.size(); e++)
        if (t.cfg.table[e] != std::array<uint32_t, 3>{1, 0, 0}) {
            t.score.fail("%s: router entry %zu after the table is not inert", what, e);
            break;
        }
    uint32_t used = 0;
    for (int c = 0; c < kCores; c++)
        used |= (uint32_t)!im.core[c].empty() << c;
    if (t.cfg.core_enable != used)
        t.score.fail("%s: core_enable 0x%x (want 0x%x)", what, t.cfg.core_enable, used);
    for (int c = 0; c < kCores; c++) {
        if (t.cfg.boots[c] - boots0[c] != 1)
            t.score.fail("%s: core %d booted %llu times", what, c,
                         (unsigned long long)(t.cfg.boots[c] - boots0[c]));
        if (im.core[c].empty()) {
            if (t.cfg.booted[c])
                t.score.fail("%s: unused core %d still runs (header not wiped)", what, c);
        } else if (!std::equal(im.core[c].begin(), im.core[c].end(), t.cfg.mem[c].begin())) {
            t.score.fail("%s: core %d memory differs from the image", what, c);
        } else {
            t.score.pass();
        }
    }
}

void load_tests(Tb &t, tb::Rng &rng, tb::Score &score)
{
    std::vector<uint32_t> pl;
    uint64_t boots0[kCores];
    const uint32_t F = AXON_PROTO_IMAGE_DETAIL_FORMAT, C = AXON_PROTO_IMAGE_DETAIL_CAPACITY;
    // a good image with core 2 unused, loaded twice (a reload starts over)
    for (int rep = 0; rep < 2; rep++) {
        Image im = make_image(rng, 1u << 2);
        std::copy(t.cfg.boots, t.cfg.boots + kCores, boots0);
        t.p_gnt = rng.uniform(0.2, 1.0);
        expect_load(t, im.words, AXON_PROTO_ST_OK, 0, "core 2 unused");
        check_loaded(t, im, boots0, "core 2 unused");
    }
    // header errors
    Image good = make_image(rng, 0);
    auto bad = [&](size_t at, uint32_t v) {
        std::vector<uint32_t> w = good.words;
        w[at] = v;
        return w;
    };
    expect_load(t, bad(0, 0x12345678u), AXON_PROTO_ST_IMAGE, F, "bad magic");
    expect_load(t, bad(1, (AXON_SPEC_VERSION_MAJOR + 1) << 16), AXON_PROTO_ST_IMAGE, F,
                "version");
    expect_load(t, bad(2, 2), AXON_PROTO_ST_IMAGE, C, "2 chips wide");
    expect_load(t, bad(3, 0), AXON_PROTO_ST_IMAGE, F, "0 chips high");
    expect_load(t, bad(4, kCores + 1), AXON_PROTO_ST_IMAGE, C, "5 cores per chip");
    expect_load(t, bad(6, 0), AXON_PROTO_ST_IMAGE, F, "dt 0");
    expect_load(t, bad(7, AXON_ROUTER_MC_ENTRIES + 1), AXON_PROTO_ST_IMAGE, C, "table size");
    // routes: to core 4 of 4, over a link off a 1 x 1 machine (fine when wrapped)
    expect_load(t, bad(10, 1u << (AXON_ROUTE_CORE_LSB + kCores)), AXON_PROTO_ST_IMAGE, F,
                "route to core 4");
    expect_load(t, bad(10, 1u << 3), AXON_PROTO_ST_IMAGE, F, "route off the machine");
    {
        std::vector<uint32_t> w = bad(10, 1u << 3);
        w[5] = AXON_IMAGE_FLAG_WRAP;
        expect_load(t, w, AXON_PROTO_ST_OK, 0, "wrapped link route");
    }
    // structure: truncated, trailing words, a core shorter than its header or too large
    {
        std::vector<uint32_t> w = good.words;
        w.pop_back();
        expect_load(t, w, AXON_PROTO_ST_IMAGE, F, "truncated");
        w = good.words;
        w.push_back(0);
        expect_load(t, w, AXON_PROTO_ST_IMAGE, F, "trailing word");
        size_t c0 = 8 + 3 * good.table.size();
        expect_load(t, bad(c0, 10), AXON_PROTO_ST_IMAGE, F, "core shorter than its header");
        expect_load(t, bad(c0, 70000), AXON_PROTO_ST_IMAGE, C, "core beyond its memory");
    }
    // a core refusing its memory at boot: core 1's magic broken
    {
        Image im = good;
        size_t at = 8 + 3 * im.table.size() + 1 + im.core[0].size() + 1;
        im.words[at] = 0;
        expect_load(t, im.words, AXON_PROTO_ST_IMAGE,
                    AXON_PROTO_IMAGE_DETAIL_UNSUPPORTED | AXON_CIF_ERR_MAGIC << 16 | 1u << 24,
                    "core 1 refuses");
    }
    // chunks out of order: ARG with the expected offset, the load goes on unharmed
    {
        const std::vector<uint32_t> &w = good.words;
        uint32_t a[2] = {0, (uint32_t)w.size()};
        t.request(AXON_PROTO_OP_LOAD, a, 2, w.data(), 100, AXON_PROTO_ST_OK, pl, "LOAD chunk 0");
        uint32_t skip[2] = {150, a[1]};
        if (t.request(AXON_PROTO_OP_LOAD, skip, 2, w.data() + 150, 50, AXON_PROTO_ST_ARG, pl,
                      "LOAD offset 150") && (pl.size() != 1 || pl[0] != 100))
            score.fail("LOAD out of order: detail %u (want 100)", pl.empty() ? 0 : pl[0]);
        uint32_t other[2] = {100, a[1] + 1};
        t.request(AXON_PROTO_OP_LOAD, other, 2, w.data() + 100, 50, AXON_PROTO_ST_STATE, pl,
                  "LOAD another total");
        uint32_t st = board_state(t);
        if (st != AXON_PROTO_STATE_LOADING)
            score.fail("board state %u during a load", st);
        std::copy(t.cfg.boots, t.cfg.boots + kCores, boots0);
        uint32_t rest[2] = {100, a[1]};
        if (t.request(AXON_PROTO_OP_LOAD, rest, 2, w.data() + 100, (uint32_t)w.size() - 100,
                      AXON_PROTO_ST_OK, pl, "LOAD rest") && (pl.size() != 1 || pl[0] != w.size()))
            score.fail("LOAD rest: received %u", pl.empty() ? 0 : pl[0]);
        check_loaded(t, good, boots0, "after an out-of-order chunk");
        if (board_state(t) != AXON_PROTO_STATE_READY)
            score.fail("not READY after the load");
    }
}

} // namespace

int main(int argc, char **argv)
{
    tb::Args args = tb::parse_args(argc, argv, 300);
    tb::Rng rng(args.seed);
    tb::Score score(args.seed);
    tb::Dut<Vaxon_hostif> dut(args);
    dut->idle_i = 0xF;
    tb::ft_reset(dut);
    Tb t(dut, rng, score);
    std::vector<uint32_t> pl;

    // before HELLO: STATE, detail all ones; then the handshake
    uint32_t v = AXON_PROTO_VERSION;
    t.seq = 5;
    t.request(AXON_PROTO_OP_STATUS, nullptr, 0, nullptr, 0, AXON_PROTO_ST_STATE, pl, "pre-HELLO");
    if (pl.size() != 1 || pl[0] != 0xFFFFFFFFu)
        score.fail("pre-HELLO STATE detail");
    t.seq = 100;
    uint32_t badv = (AXON_PROTO_VERSION_MAJOR + 1) << 16;
    t.request(AXON_PROTO_OP_HELLO, &badv, 1, nullptr, 0, AXON_PROTO_ST_VERSION, pl, "HELLO v2");
    t.seq = 100;
    if (t.request(AXON_PROTO_OP_HELLO, &v, 1, nullptr, 0, AXON_PROTO_ST_OK, pl, "HELLO")) {
        if (pl.size() != AXON_PROTO_HELLO_N || pl[AXON_PROTO_HELLO_PROTO_VERSION] != v ||
            pl[AXON_PROTO_HELLO_CORES_PER_CHIP] != kCores ||
            pl[AXON_PROTO_HELLO_WINDOW] != AXON_PROTO_WINDOW ||
            memcmp(&pl[AXON_PROTO_HELLO_SERIAL0], "AXONFPGA", 8) != 0)
            score.fail("HELLO words");
    }

    // random bursts: WRITE then READ back, against the memory model
    for (uint64_t i = 0; i < args.n; i++) {
        int core = (int)rng.below(kCores);
        uint32_t len = rng.chance(0.1) ? 1 + rng.below(3000) : 1 + rng.below(200);
        uint32_t a = rng.below(kMemWords - len + 1);
        std::vector<uint32_t> data(len);
        for (auto &w : data)
            w = tb::edge_word(rng);
        uint32_t tw[2] = {axon_proto_target(AXON_PROTO_SPACE_CORE, 0, 0, (uint32_t)core), a};
        t.p_gnt = rng.uniform(0.2, 1.0);
        t.ft.p_rx_gap = rng.uniform(0.0, 0.6);
        t.ft.p_tx_gap = rng.uniform(0.0, 0.6);
        t.request(AXON_PROTO_OP_WRITE, tw, 2, data.data(), len, AXON_PROTO_ST_OK, pl, "WRITE");
        if (memcmp(&t.cfg.mem[core][a], data.data(), len * 4))
            score.fail("WRITE %u words at core %d addr %u: memory differs", len, core, a);
        uint32_t rq[3] = {tw[0], a, len};
        if (t.request(AXON_PROTO_OP_READ, rq, 3, nullptr, 0, AXON_PROTO_ST_OK, pl, "READ")) {
            if (pl != data)
                score.fail("READ %u words at core %d addr %u differ from what was written", len,
                           core, a);
            else
                score.pass();
        }
    }
    uint32_t rv[3] = {axon_proto_target(AXON_PROTO_SPACE_CORE, 0, 0, 2),
                      AXON_CIF_REG_BASE + AXON_CIF_REG_VERSION, 1};
    if (t.request(AXON_PROTO_OP_READ, rv, 3, nullptr, 0, AXON_PROTO_ST_OK, pl, "version") &&
        (pl.size() != 1 || pl[0] != AXON_SPEC_VERSION))
        score.fail("version register");

    // conformance: the specified error, and no write reaches a core
    std::vector<uint32_t> snapshot[kCores];
    for (int c = 0; c < kCores; c++)
        snapshot[c] = t.cfg.mem[c];
    uint64_t writes0 = t.cfg.writes;
    uint32_t tw[2] = {axon_proto_target(AXON_PROTO_SPACE_CORE, 0, 0, 1), 10};
    uint32_t junk[4] = {1, 2, 3, 4};
    axon_frame f;
    // wrong sequence
    t.send(AXON_PROTO_OP_WRITE, (uint16_t)(t.seq + 3), tw, 2, junk, 4);
    if (t.frame(f, pl) && (f.status != AXON_PROTO_ST_SEQUENCE || pl.size() != 1 || pl[0] != t.seq))
        score.fail("wrong sequence: status %s", axon_proto_status_name(f.status));
    // bad CRC: NAK with the received seq
    {
        std::vector<uint8_t> b(AXON_PROTO_FRAME_BYTES(6));
        size_t n = axon_frame_encode(b.data(), AXON_PROTO_OP_WRITE, t.seq, 0, 0, tw, 2, junk, 4);
        b[n - 5] ^= 0x04;
        ft601_host_write(&t.ft, b.data(), n);
        if (t.frame(f, pl) && (f.status != AXON_PROTO_ST_CRC || f.seq != t.seq ||
                               !(f.flags & AXON_PROTO_FLAG_NAK)))
            score.fail("bad CRC: status %s seq %u", axon_proto_status_name(f.status), f.seq);
    }
    // a good frame ends the error run; then the other errors
    t.request(AXON_PROTO_OP_STATUS, nullptr, 0, nullptr, 0, AXON_PROTO_ST_OK, pl, "STATUS");
    uint32_t h[2] = {AXON_PROTO_SYNC | AXON_PROTO_OP_WRITE << 8 | (uint32_t)t.seq << 16,
                     AXON_PROTO_MAX_PAYLOAD_WORDS + 1};
    ft601_host_write(&t.ft, h, 8);
    if (t.frame(f, pl) && (f.status != AXON_PROTO_ST_LENGTH || f.seq != t.seq ||
                           !(f.flags & AXON_PROTO_FLAG_NAK)))
        score.fail("oversize: status %s", axon_proto_status_name(f.status));
    t.request(AXON_PROTO_OP_STATUS, nullptr, 0, nullptr, 0, AXON_PROTO_ST_OK, pl, "STATUS");
    t.request(0x42, nullptr, 0, nullptr, 0, AXON_PROTO_ST_OPCODE, pl, "unknown opcode");
    uint32_t ld[2] = {4, 100};
    if (t.request(AXON_PROTO_OP_LOAD, ld, 2, junk, 4, AXON_PROTO_ST_STATE, pl,
                  "LOAD continuing no load") && (pl.size() != 1 || pl[0] != AXON_PROTO_STATE_IDLE))
        score.fail("LOAD without a load in progress: detail %u", pl.empty() ? 0 : pl[0]);
    uint32_t ldbig[2] = {0, 0xF0000000u};
    if (t.request(AXON_PROTO_OP_LOAD, ldbig, 2, junk, 4, AXON_PROTO_ST_LENGTH, pl, "LOAD total") &&
        (pl.size() != 1 || pl[0] != ldbig[1]))
        score.fail("LOAD beyond the board's memory: detail %u", pl.empty() ? 0 : pl[0]);
    uint32_t ldover[2] = {0, 3};
    t.request(AXON_PROTO_OP_LOAD, ldover, 2, junk, 4, AXON_PROTO_ST_ARG, pl, "LOAD past total");
    uint32_t run0[3] = {5, AXON_PROTO_MODE_BARRIER, 0};
    if (t.request(AXON_PROTO_OP_RUN, run0, 3, nullptr, 0, AXON_PROTO_ST_STATE, pl,
                  "RUN without an image") && (pl.size() != 1 || pl[0] != AXON_PROTO_STATE_IDLE))
        score.fail("RUN without an image: detail %u", pl.empty() ? 0 : pl[0]);
    uint64_t boots_before = t.cfg.ctrl_writes;
    t.request(AXON_PROTO_OP_READ, tw, 2, nullptr, 0, AXON_PROTO_ST_MALFORMED, pl, "short READ");
    uint32_t far[2] = {axon_proto_target(AXON_PROTO_SPACE_CORE, 0, 0, 7), 0};
    t.request(AXON_PROTO_OP_WRITE, far, 2, junk, 4, AXON_PROTO_ST_ADDRESS, pl, "no core 7");
    uint32_t chip1[2] = {axon_proto_target(AXON_PROTO_SPACE_CORE, 1, 0, 0), 0};
    t.request(AXON_PROTO_OP_WRITE, chip1, 2, junk, 4, AXON_PROTO_ST_ADDRESS, pl, "no chip 1");
    uint32_t big[3] = {tw[0], 0, AXON_PROTO_MAX_DATA_WORDS + 1};
    t.request(AXON_PROTO_OP_READ, big, 3, nullptr, 0, AXON_PROTO_ST_LENGTH, pl, "READ count");
    uint32_t end[3] = {tw[0], (1u << 24) - 2, 4};
    t.request(AXON_PROTO_OP_READ, end, 3, nullptr, 0, AXON_PROTO_ST_ADDRESS, pl, "READ end");
    uint32_t badrun[3] = {5, 9, 0};
    t.request(AXON_PROTO_OP_RUN, badrun, 3, nullptr, 0, AXON_PROTO_ST_ARG, pl, "RUN mode 9");
    if (t.cfg.ctrl_writes != boots_before)
        score.fail("a rejected request booted a core");
    if (t.cfg.writes != writes0)
        score.fail("rejected requests wrote %llu words to cores",
                   (unsigned long long)(t.cfg.writes - writes0));
    for (int c = 0; c < kCores; c++)
        if (t.cfg.mem[c] != snapshot[c])
            score.fail("core %d memory changed by rejected requests", c);

    // a duplicate WRITE: the same reply, not executed again
    {
        uint16_t s = t.seq;
        t.request(AXON_PROTO_OP_WRITE, tw, 2, junk, 4, AXON_PROTO_ST_OK, pl, "WRITE");
        uint64_t w1 = t.cfg.writes;
        t.send(AXON_PROTO_OP_WRITE, s, tw, 2, junk, 4);
        if (t.frame(f, pl) && (f.status != AXON_PROTO_ST_OK || f.seq != s))
            score.fail("duplicate WRITE: status %s", axon_proto_status_name(f.status));
        if (t.cfg.writes != w1)
            score.fail("duplicate WRITE executed again");
    }

    // the router's configuration space: registers written and read back
    {
        uint32_t rw[3] = {axon_proto_target(AXON_PROTO_SPACE_ROUTER_CFG, 0, 0, 0),
                          AXON_RIF_REG_MC_KEY, 0x1234u};
        t.request(AXON_PROTO_OP_WRITE, rw, 2, &rw[2], 1, AXON_PROTO_ST_OK, pl, "WRITE mc_key");
        uint32_t rr[3] = {rw[0], AXON_RIF_REG_MC_KEY, 2};
        if (t.request(AXON_PROTO_OP_READ, rr, 3, nullptr, 0, AXON_PROTO_ST_OK, pl, "READ router") &&
            (pl.size() != 2 || pl[0] != 0x1234u || pl[1] != t.cfg.mc_mask))
            score.fail("router registers read back wrong");
        uint32_t rc1[3] = {axon_proto_target(AXON_PROTO_SPACE_ROUTER_CFG, 0, 0, 1), 0, 1};
        t.request(AXON_PROTO_OP_READ, rc1, 3, nullptr, 0, AXON_PROTO_ST_ADDRESS, pl,
                  "ROUTER_CFG with a core number");
        uint32_t rfar[3] = {rw[0], 1u << AXON_RIF_ADDR_BITS, 1};
        t.request(AXON_PROTO_OP_READ, rfar, 3, nullptr, 0, AXON_PROTO_ST_ADDRESS, pl,
                  "ROUTER_CFG beyond its address space");
    }

    // LOAD: good images in random chunks, then every error
    load_tests(t, rng, score);

    // RUN, barrier mode: ticks only when every core is idle; RUN_DONE on the stream
    t.p_gnt = 0.7;
    uint32_t run[3] = {25, AXON_PROTO_MODE_BARRIER, 0};
    uint64_t ticks0 = t.cfg.ticks;
    if (t.request(AXON_PROTO_OP_RUN, run, 3, nullptr, 0, AXON_PROTO_ST_OK, pl, "RUN") &&
        t.run_done(pl)) {
        if (pl.size() != 4 || pl[0] != 25 || pl[1] != 25 || pl[2] != 0)
            score.fail("RUN_DONE: n %zu step %u", pl.size(), pl.empty() ? 0 : pl[0]);
        else
            score.pass();
    }
    // every recorded word arrived, in order, before RUN_DONE
    for (int c = 0; c < kCores; c++) {
        if (t.streamed[c] != t.cfg.produced[c])
            score.fail("core %d: %zu recording words streamed, %zu produced (or order differs)",
                       c, t.streamed[c].size(), t.cfg.produced[c].size());
        else
            score.pass();
    }
    if (t.cfg.ticks - ticks0 != 25 || t.cfg.bad_ticks)
        score.fail("RUN 25: %llu ticks, %llu while a core was busy",
                   (unsigned long long)(t.cfg.ticks - ticks0), (unsigned long long)t.cfg.bad_ticks);
    // real time: a tick every 2 us (200 cycles at 100 MHz)
    uint32_t rt[3] = {5, AXON_PROTO_MODE_REALTIME, 2};
    uint64_t c0 = dut.cycle();
    if (t.request(AXON_PROTO_OP_RUN, rt, 3, nullptr, 0, AXON_PROTO_ST_OK, pl, "RUN realtime") &&
        t.run_done(pl) && (pl.size() != 4 || pl[0] != 30))
        score.fail("real-time RUN_DONE step %u", pl.empty() ? 0 : pl[0]);
    if (dut.cycle() - c0 < 5 * 200)
        score.fail("real-time run of 5 ticks of 200 cycles took %llu cycles",
                   (unsigned long long)(dut.cycle() - c0));
    // STOP ends a long run
    uint32_t lng[3] = {1000000, AXON_PROTO_MODE_BARRIER, 0};
    t.request(AXON_PROTO_OP_RUN, lng, 3, nullptr, 0, AXON_PROTO_ST_OK, pl, "long RUN");
    t.request(AXON_PROTO_OP_RUN, lng, 3, nullptr, 0, AXON_PROTO_ST_BUSY, pl, "RUN while running");
    uint32_t ldr[2] = {0, 100};
    t.request(AXON_PROTO_OP_LOAD, ldr, 2, junk, 4, AXON_PROTO_ST_BUSY, pl, "LOAD while running");
    t.request(AXON_PROTO_OP_STOP, nullptr, 0, nullptr, 0, AXON_PROTO_ST_OK, pl, "STOP");
    if (t.run_done(pl) && (pl.size() != 4 || pl[2] != 1 || pl[0] >= 30 + 1000000))
        score.fail("STOP: RUN_DONE stopped %u", pl.size() > 2 ? pl[2] : 9);
    for (int c = 0; c < kCores; c++)
        if (t.streamed[c] != t.cfg.produced[c])
            score.fail("core %d after STOP: %zu words streamed, %zu produced", c,
                       t.streamed[c].size(), t.cfg.produced[c].size());
    if (t.stream_gaps || t.cfg.empty_pops)
        score.fail("stream sequence gaps %llu, reads of an empty recording buffer %llu",
                   (unsigned long long)t.stream_gaps, (unsigned long long)t.cfg.empty_pops);
    uint32_t step_after = pl.size() ? pl[0] : 0;
    if (t.request(AXON_PROTO_OP_STATUS, nullptr, 0, nullptr, 0, AXON_PROTO_ST_OK, pl, "STATUS")) {
        if (pl.size() != AXON_PROTO_BST_N || pl[AXON_PROTO_BST_STEP] != step_after ||
            pl[AXON_PROTO_BST_STATE] != AXON_PROTO_STATE_READY || pl[AXON_PROTO_BST_RUNS] != 3 ||
            pl[AXON_PROTO_BST_STOPS] != 1 || pl[AXON_PROTO_BST_RX_CRC_ERRORS] != 1 ||
            pl[AXON_PROTO_BST_RX_SEQ_ERRORS] != 1 || pl[AXON_PROTO_BST_RX_DUPLICATES] != 1 ||
            pl[AXON_PROTO_BST_STREAM_FRAMES] != t.stream_expect)
            score.fail("STATUS words: step %u state %u runs %u stops %u crc %u seq %u dup %u "
                       "stream %u",
                       pl[1], pl[0], pl[AXON_PROTO_BST_RUNS], pl[AXON_PROTO_BST_STOPS],
                       pl[AXON_PROTO_BST_RX_CRC_ERRORS], pl[AXON_PROTO_BST_RX_SEQ_ERRORS],
                       pl[AXON_PROTO_BST_RX_DUPLICATES], pl[AXON_PROTO_BST_STREAM_FRAMES]);
    }
    // RESET: ctrl.BOOT to every core, step 0, stream sequence 0
    uint64_t boots0 = t.cfg.ctrl_writes;
    t.request(AXON_PROTO_OP_RESET, nullptr, 0, nullptr, 0, AXON_PROTO_ST_OK, pl, "RESET");
    if (t.cfg.ctrl_writes - boots0 != kCores)
        score.fail("RESET booted %llu cores", (unsigned long long)(t.cfg.ctrl_writes - boots0));
    if (t.request(AXON_PROTO_OP_STATUS, nullptr, 0, nullptr, 0, AXON_PROTO_ST_OK, pl, "STATUS") &&
        pl[AXON_PROTO_BST_STEP] != 0)
        score.fail("step %u after RESET", pl[AXON_PROTO_BST_STEP]);
    t.stream_expect = 0;
    uint32_t r2[3] = {3, AXON_PROTO_MODE_BARRIER, 0};
    if (t.request(AXON_PROTO_OP_RUN, r2, 3, nullptr, 0, AXON_PROTO_ST_OK, pl, "RUN after RESET") &&
        t.run_done(pl) && (pl.size() != 4 || pl[0] != 3))
        score.fail("RUN after RESET ended at step %u", pl.empty() ? 0 : pl[0]);
    if (t.stream_gaps)
        score.fail("stream sequence did not restart at 0 after RESET");
    // DROP_REPORT: every packet the router dumped or dropped was reported, once
    if (t.drops_reported != t.cfg.dropped || t.cfg.dropped == 0)
        score.fail("DROP_REPORT: %llu drops reported, the router counted %llu",
                   (unsigned long long)t.drops_reported, (unsigned long long)t.cfg.dropped);
    else
        score.pass();
    if (t.ft.bus_conflict)
        score.fail("wr_n and oe_n were low in the same cycle");
    size_t rec_words = 0;
    for (int c = 0; c < kCores; c++)
        rec_words += t.streamed[c].size();
    std::printf("cycles=%llu recording words streamed=%zu in %u frames; bus words in=%llu "
                "out=%llu stalls in=%llu out=%llu\n",
                (unsigned long long)dut.cycle(), rec_words, (unsigned)t.stream_expect,
                (unsigned long long)t.ft.rx_words,
                (unsigned long long)t.ft.tx_words, (unsigned long long)t.ft.rx_stalls,
                (unsigned long long)t.ft.tx_stalls);
    return score.finish();
}
