// Block testbench of axon_mpt_lookup (docs/rtl.md): random valid population tables
// (docs/spec/synapses.md: sorted, disjoint prefix-mask entries) placed at a random offset of a
// simulated core memory (read latency 1), random keys (inside entries, beyond their rows,
// between and outside entries), on neuron, source and delay-extension cores. Every result (miss, invalid,
// row offset) must equal axon_golden_mpt_lookup (the engine's core_lookup), and the lookup
// must finish within 2 ceil(log2(n + 1)) + 6 clocks.
#include "Vaxon_mpt_lookup.h"
#include "tb_common.h"

#include "axon/golden.h"

#include <vector>

int main(int argc, char **argv)
{
    Verilated::commandArgs(argc, argv);
    tb::Args a = tb::parse_args(argc, argv, 20000);
    tb::Rng r(a.seed);
    tb::Score score(a.seed);
    tb::Dut<Vaxon_mpt_lookup> d(a);
    const uint32_t mem_words = 1u << 16;
    std::vector<uint32_t> mem(mem_words);

    d->rst_ni = 0;
    d.tick();
    d->rst_ni = 1;
    d.tick();

    std::vector<uint32_t> tab;
    uint32_t n = 0, off = 0, kind = AXON_KIND_NEURON, de_n = 0;
    for (uint64_t v = 0; v < a.n; v++) {
        if (v % 50 == 0) { // a new table
            n = r.chance(0.05) ? 0 : (r.chance(0.1) ? r.below(2000) : r.below(40) + 1);
            tab.assign((size_t)n * AXON_SYN_MPT_ENTRY_WORDS, 0);
            uint64_t base = r.chance(0.3) ? 0 : r.below(1u << 20);
            for (uint32_t e = 0; e < n; e++) {
                uint32_t k = r.below(r.chance(0.5) ? 4 : 13);
                uint64_t size = 1ull << k;
                base = (base + size - 1) & ~(size - 1);
                if (base + size > 0xFFFFFFFFull) { // ran out of key space: shorter table
                    n = e;
                    break;
                }
                uint32_t *w = &tab[(size_t)e * AXON_SYN_MPT_ENTRY_WORDS];
                uint32_t rows = 1 + r.below((uint32_t)(size < 65535 ? size : 65535));
                w[AXON_MPT_W_KEY] = (uint32_t)base;
                w[AXON_MPT_W_MASK] = ~(uint32_t)(size - 1);
                w[AXON_MPT_W_ROW_BASE] = r.below(1u << 20);
                w[AXON_MPT_W_SHAPE] = (1 + r.below(300)) << AXON_MPT_SHAPE_STRIDE_LSB |
                                      rows << AXON_MPT_SHAPE_N_ROWS_LSB;
                base += size + (r.chance(0.5) ? 0 : r.below(5000));
            }
            off = r.below(mem_words - n * AXON_SYN_MPT_ENTRY_WORDS);
            for (auto &w : mem)
                w = r.u32();
            for (uint32_t i = 0; i < n * AXON_SYN_MPT_ENTRY_WORDS; i++)
                mem[off + i] = tab[i];
            static const uint32_t others[] = {AXON_KIND_SOURCE_ARRAY, AXON_KIND_SOURCE_POISSON,
                                              AXON_KIND_DELAY_EXT, AXON_KIND_DELAY_EXT};
            kind = r.chance(0.8) ? AXON_KIND_NEURON : others[r.below(4)];
            de_n = 1 + r.below(1024);
        }
        // a key inside an entry (its rows or beyond), near one, or anywhere
        uint32_t key = r.u32();
        if (n && !r.chance(0.15)) {
            const uint32_t *w = &tab[(size_t)r.below(n) * AXON_SYN_MPT_ENTRY_WORDS];
            uint32_t span = ~w[AXON_MPT_W_MASK];
            uint32_t rows = w[AXON_MPT_W_SHAPE] & 0xFFFF;
            uint32_t id = r.chance(0.8) ? r.below(rows) : r.below(span + 1);
            key = w[AXON_MPT_W_KEY] + id;
            if (r.chance(0.1))
                key = w[AXON_MPT_W_KEY] + span + 1 + r.below(3);
            if (r.chance(0.05))
                key = w[AXON_MPT_W_KEY] - 1;
        }
        uint32_t want = axon_golden_mpt_lookup(tab.data(), n, kind, de_n, key);

        d->start_i = 1;
        d->key_i = key;
        d->mpt_off_i = off;
        d->mpt_n_i = n;
        d->neuron_core_i = kind == AXON_KIND_NEURON;
        d->de_i = kind == AXON_KIND_DELAY_EXT;
        d->de_n_i = de_n;
        d.tick();
        d->start_i = 0;
        uint32_t rdata = 0, cycles = 1, probes = 0;
        while (!d->done_o && cycles < 1000) {
            d.eval();
            bool re = d->mem_re_o;
            uint32_t addr = d->mem_addr_o;
            d.tick();
            if (re)
                rdata = mem[addr];
            d->mem_rdata_i = rdata;
            d.eval();
            cycles++;
        }
        for (uint32_t m = n; m; m >>= 1)
            probes++;
        uint32_t got = d->miss_o ? AXON_GOLDEN_MPT_MISS
                                 : (d->invalid_o ? AXON_GOLDEN_MPT_INVALID : (uint32_t)d->row_o);
        if (!d->done_o)
            score.fail("key 0x%08x (table of %u): no result after 1000 clocks", key, n);
        else if (got != want)
            score.fail("key 0x%08x (table of %u at %u, kind %u): rtl 0x%08x golden 0x%08x", key, n,
                       off, kind, got, want);
        else if (cycles > 2 * probes + 6)
            score.fail("key 0x%08x (table of %u): %u clocks, bound %u", key, n, cycles,
                       2 * probes + 6);
        else
            score.pass();
    }
    return score.finish();
}
