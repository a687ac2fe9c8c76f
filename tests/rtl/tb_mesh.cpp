// Testbench of axon_mesh (docs/rtl.md "Chip and mesh"): a 2 x 2 torus of one-core chips
// loaded entirely through the mesh's configuration bus (chip select by x, y). A spike array
// on chip (0, 0) sends keys with bit 1 clear north and keys with bit 1 set west, which on a
// 2 x 2 torus wraps to (1, 0). The tables forward north -> (0, 1) -> east -> (1, 1) ->
// south -> (1, 0), each of these delivering to its core. Checks the link convention of
// routing.md (link l reaches (x + dx, y + dy), arriving on link l + 3) and the wrap: every
// core's packets_in equals the events routed to it; the mesh is idle after every step; the
// router counters (external packets per chip) match; dead coordinates read 0.
#include "Vaxon_mesh.h"
#include "tb_chip_if.h"
#include "tb_common.h"

extern "C" {
#include "tnet.h"
}

#include <vector>

namespace {

using Mesh = tb::Dut<Vaxon_mesh>;
constexpr uint32_t kRouter = AXON_CHIP_IF_UNIT_ROUTER;

void at(Mesh &d, uint32_t x, uint32_t y)
{
    d->cfg_x_i = x;
    d->cfg_y_i = y;
}

bool cfg_write(Mesh &d, uint32_t x, uint32_t y, uint32_t unit, uint32_t addr, uint32_t data)
{
    at(d, x, y);
    return tb::cfg_write(d, unit, addr, data);
}

uint32_t cfg_read(Mesh &d, uint32_t x, uint32_t y, uint32_t unit, uint32_t addr)
{
    at(d, x, y);
    return tb::cfg_read(d, unit, addr);
}

} // namespace

int main(int argc, char **argv)
{
    tb::Args a = tb::parse_args(argc, argv, 1);
    tb::Score sc(a.seed);
    tb::Rng rng(a.seed);
    Mesh d(a);
    d->cfg_req_i = 0;
    d->tick_i = 0;
    d->rst_ni = 0;
    d.tick();
    d->rst_ni = 1;

    // network: source on (0, 0), IF_curr_exp on the three other chips, all connected
    const uint32_t n_src = 8, steps = 10;
    std::vector<uint32_t> ev;
    uint32_t n_ev = 0, n_ev_north = 0;
    for (uint32_t t = 0; t < steps; t++)
        for (uint32_t i = 0; i < n_src; i++)
            if (rng.chance(0.4)) {
                ev.push_back(t);
                ev.push_back(i);
                n_ev++;
                n_ev_north += !(i & 2);
            }
    tnet *t = tnet_new(2, 2, 1, 1.0, AXON_IMAGE_FLAG_WRAP);
    int src = tnet_array(t, 0, 0, 0, n_src, ev.data(), n_ev, 1u << 16, 0);
    const uint32_t dx[3] = {0, 1, 1}, dy[3] = {1, 1, 0};
    for (int k = 0; k < 3; k++) {
        int dst = tnet_neurons_uniform(t, dx[k], dy[k], 0, "IF_curr_exp", 4, nullptr, nullptr,
                                       (uint32_t)(k + 2) << 16, 0, 1);
        std::vector<tnet_syn> syn;
        for (uint32_t i = 0; i < n_src; i++)
            syn.push_back(tnet_syn{i, i % 4, 50, 1, AXON_SYN_TYPE_EXC});
        tnet_connect(t, src, dst, syn.data(), (uint32_t)syn.size(), 0, 0);
    }
    axon_image *img = tnet_image(t);
    tnet_free(t);
    if (!img) {
        sc.fail("network image");
        return sc.finish();
    }
    const uint32_t K = 1u << 16, core0 = 1u << AXON_ROUTE_CORE_LSB;
    struct Ent {
        uint32_t x, y, key, mask, route;
    } ents[] = {
        {0, 0, K, 0xFFFF0002u, 1u << AXON_LINK_N},     // bit 1 clear: north
        {0, 0, K | 2, 0xFFFF0002u, 1u << AXON_LINK_W}, // bit 1 set: west (wraps)
        {0, 1, K, 0xFFFF0000u, core0 | 1u << AXON_LINK_E},
        {1, 1, K, 0xFFFF0000u, core0 | 1u << AXON_LINK_S},
        {1, 0, K, 0xFFFF0000u, core0},
    };
    bool ok = true;
    uint32_t idx[2][2] = {{0, 0}, {0, 0}};
    for (const Ent &e : ents) {
        ok &= cfg_write(d, e.x, e.y, kRouter, AXON_RIF_REG_MC_KEY, e.key) &&
              cfg_write(d, e.x, e.y, kRouter, AXON_RIF_REG_MC_MASK, e.mask) &&
              cfg_write(d, e.x, e.y, kRouter, AXON_RIF_MC_ROUTE_BASE + idx[e.x][e.y]++, e.route);
    }
    for (uint32_t y = 0; y < 2; y++)
        for (uint32_t x = 0; x < 2; x++) {
            const uint32_t *w;
            uint32_t n;
            axon_image_get_core(img, x, y, 0, &w, &n);
            for (uint32_t i = 0; i < n; i++)
                ok &= cfg_write(d, x, y, 0, AXON_CIF_MEM_BASE + i, w[i]);
            ok &= cfg_write(d, x, y, 0, AXON_CIF_REG_BASE + AXON_CIF_REG_CTRL, AXON_CIF_CTRL_BOOT);
        }
    axon_image_destroy(img);
    ok ? sc.pass() : sc.fail("a configuration write was not granted");
    for (int i = 0; i < 100000 && !d->idle_o; i++)
        d.tick();
    d->idle_o ? sc.pass() : sc.fail("mesh not idle after boot");

    for (uint32_t s = 0; s < steps; s++) {
        d->tick_i = 1;
        d.tick();
        d->tick_i = 0;
        long c = 0;
        for (; c < 1000000 && !(d.eval(), d->idle_o); c++)
            d.tick();
        if (!d->idle_o)
            sc.fail("step %u: mesh never idle", s);
    }
    // packets per destination core; external MC packets per router (diag counter 1: sent,
    // external MC)
    const uint32_t want_in[2][2] = {{0, n_ev_north}, {n_ev, n_ev_north}}; // [x][y]
    for (uint32_t y = 0; y < 2; y++)
        for (uint32_t x = 0; x < 2; x++) {
            if (!x && !y)
                continue;
            uint32_t pin = cfg_read(d, x, y, 0,
                                    AXON_CIF_REG_BASE + AXON_CIF_REG_COUNTERS + AXON_CNT_CORE_PACKETS_IN);
            pin == want_in[x][y] ? sc.pass()
                                 : sc.fail("core of chip (%u, %u): packets_in %u, want %u", x, y,
                                           pin, want_in[x][y]);
            uint32_t ext = cfg_read(d, x, y, kRouter, AXON_RIF_REG_DIAG_COUNT + 1);
            ext == want_in[x][y] ? sc.pass()
                                 : sc.fail("router of chip (%u, %u): %u external packets, want %u",
                                           x, y, ext, want_in[x][y]);
        }
    uint32_t loc = cfg_read(d, 0, 0, kRouter, AXON_RIF_REG_DIAG_COUNT + 0);
    loc == n_ev ? sc.pass() : sc.fail("router (0, 0): %u local packets, want %u", loc, n_ev);
    uint32_t dead = cfg_read(d, 2, 0, AXON_CHIP_IF_UNIT_CHIP, AXON_CHIP_IF_REG_VERSION);
    dead == 0 ? sc.pass() : sc.fail("chip (2, 0) outside the mesh read 0x%x, want 0", dead);
    uint32_t ver = cfg_read(d, 1, 1, AXON_CHIP_IF_UNIT_CHIP, AXON_CHIP_IF_REG_VERSION);
    ver == AXON_SPEC_VERSION ? sc.pass() : sc.fail("chip (1, 1) version 0x%x", ver);
    std::printf("events %u (%u north)\n", n_ev, n_ev_north);
    return sc.finish();
}
