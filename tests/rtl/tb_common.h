// Shared harness of the RTL block testbenches (docs/rtl.md).
//
// Every testbench takes
//   --seed N     random seed (default: from the clock; always printed first, so a failing
//                run can be repeated exactly; AXON_SEED in the environment also sets it)
//   --n N        number of random vectors (each testbench has its own default)
//   --trace F    write an FST waveform to F (GTKWave opens it)
// and ends with the line "N passed, M failed" (exit status 1 if M > 0).
#ifndef AXON_TB_COMMON_H
#define AXON_TB_COMMON_H

#include <verilated.h>
#include <verilated_fst_c.h>

#include <chrono>
#include <cinttypes>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

namespace tb {

struct Args {
    uint64_t seed = 0;
    uint64_t n = 0;
    std::string trace;
};

inline Args parse_args(int argc, char **argv, uint64_t default_n)
{
    Args a;
    a.n = default_n;
    a.seed = (uint64_t)std::chrono::steady_clock::now().time_since_epoch().count() ^
             ((uint64_t)std::chrono::system_clock::now().time_since_epoch().count() << 17);
    if (const char *e = std::getenv("AXON_SEED"))
        a.seed = std::strtoull(e, nullptr, 0);
    for (int i = 1; i < argc; i++) {
        std::string s = argv[i];
        if (s == "--seed" && i + 1 < argc) {
            a.seed = std::strtoull(argv[++i], nullptr, 0);
        } else if (s == "--n" && i + 1 < argc) {
            a.n = std::strtoull(argv[++i], nullptr, 0);
        } else if (s == "--trace" && i + 1 < argc) {
            a.trace = argv[++i];
        } else if (s.rfind("+verilator", 0) == 0) {
            // Verilator runtime options are left to the context
        } else {
            std::fprintf(stderr, "usage: %s [--seed N] [--n VECTORS] [--trace FILE.fst]\n",
                         argv[0]);
            std::exit(2);
        }
    }
    std::printf("seed=%" PRIu64 " n=%" PRIu64 "\n", a.seed, a.n);
    std::fflush(stdout);
    return a;
}

// splitmix64: small, fast, and the same sequence on every platform
class Rng {
  public:
    explicit Rng(uint64_t seed) : s_(seed) {}
    uint64_t u64()
    {
        uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    uint32_t u32() { return (uint32_t)(u64() >> 32); }
    // uniform in [0, n)
    uint32_t below(uint32_t n) { return n ? (uint32_t)(((u64() >> 32) * n) >> 32) : 0; }
    // true with probability p
    bool chance(double p) { return uniform() < p; }
    double uniform() { return (double)(u64() >> 11) * (1.0 / 9007199254740992.0); }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

  private:
    uint64_t s_;
};

// Pass/fail bookkeeping: prints the first few mismatches in full, then only counts.
class Score {
  public:
    explicit Score(uint64_t seed) : seed_(seed) {}
    void pass() { passed_++; }
    // one failed vector; the message names the block, model, field and values
    void fail(const char *fmt, ...) __attribute__((format(printf, 2, 3)))
    {
        failed_++;
        if (failed_ > kShown)
            return;
        std::printf("MISMATCH (seed=%" PRIu64 "): ", seed_);
        va_list ap;
        va_start(ap, fmt);
        std::vprintf(fmt, ap);
        va_end(ap);
        std::printf("\n");
        if (failed_ == kShown)
            std::printf("(further mismatches are only counted)\n");
    }
    uint64_t passed() const { return passed_; }
    uint64_t failed() const { return failed_; }
    // the closing line CI reads; returns the exit status
    int finish() const
    {
        std::printf("%" PRIu64 " passed, %" PRIu64 " failed\n", passed_, failed_);
        return failed_ ? 1 : 0;
    }

  private:
    static constexpr uint64_t kShown = 5;
    uint64_t seed_, passed_ = 0, failed_ = 0;
};

// A Verilated block with a clock clk_i and an active-low reset rst_ni (when it has one),
// optional FST tracing, and a cycle counter.
template <class M> class Dut {
  public:
    explicit Dut(const Args &a) : ctx_(new VerilatedContext)
    {
        if (!a.trace.empty())
            ctx_->traceEverOn(true);
        m_.reset(new M(ctx_.get(), "dut"));
        if (!a.trace.empty()) {
            fst_.reset(new VerilatedFstC);
            m_->trace(fst_.get(), 99);
            fst_->open(a.trace.c_str());
        }
    }
    ~Dut()
    {
        if (fst_)
            fst_->close();
        m_->final();
    }
    M *operator->() { return m_.get(); }
    M &operator*() { return *m_; }
    // settle the combinational logic after the inputs changed (clock low)
    void eval() { m_->eval(); }
    // one clock: rising edge, then falling edge; inputs set before the call are sampled at
    // the rising edge
    void tick()
    {
        m_->eval();
        dump(2 * cycle_);
        m_->clk_i = 1;
        m_->eval();
        dump(2 * cycle_ + 1);
        m_->clk_i = 0;
        m_->eval();
        cycle_++;
    }
    uint64_t cycle() const { return cycle_; }

  private:
    void dump(uint64_t t)
    {
        if (fst_)
            fst_->dump(t);
    }
    std::unique_ptr<VerilatedContext> ctx_;
    std::unique_ptr<M> m_;
    std::unique_ptr<VerilatedFstC> fst_;
    uint64_t cycle_ = 0;
};

// Interesting 32-bit words for edge cases.
inline uint32_t edge_word(Rng &r)
{
    static const uint32_t k[] = {0u,          1u,          0xFFFFFFFFu, 0x7FFFFFFFu, 0x80000000u,
                                 0x80000001u, 0x00008000u, 0xFFFF8000u, 0x00007FFFu, 0x00010000u,
                                 0x40000000u, 0xC0000000u, 0x0000FFFFu, 0xFFFF0000u};
    return r.chance(0.75) ? k[r.below(sizeof k / sizeof k[0])] : r.u32();
}

// Reset a DUT that has an FT601-style bus (rtl/hostif): the bridge has nothing to offer and
// takes nothing, one clock in reset.
template <class D> void ft_reset(D &dut)
{
    dut->clk_i = 0;
    dut->rst_ni = 0;
    dut->ft_rxf_ni = 1;
    dut->ft_txe_ni = 1;
    dut.tick();
    dut->rst_ni = 1;
}

} // namespace tb

#endif
