// The RTL board (rtl/board/axon_board.sv: axon_hostif in front of axon_mesh, the chip of
// neuron cores and router) driven by the host's own link code (driver/link.c) through the
// FT601 bridge model (ft_link.h), against the golden engine as a board machine: the network
// of board_net.h is loaded with LOAD and run in slices with the recording stream; every
// core's recording words (REC_DATA, in order), event counters and the router's counters
// (space ROUTER) must equal the engine's bit for bit; then RESET and a second run must
// repeat the first exactly. (test_vboard_rtl does the same through libusb and umockdev.)
#include "Vaxon_board.h"
#include "board_net.h"
#include "ft_link.h"
#include "tb_common.h"

int main(int argc, char **argv)
{
    tb::Args args = tb::parse_args(argc, argv, 1);
    tb::Rng rng(args.seed);
    tb::Score score(args.seed);
    tb::Dut<Vaxon_board> dut(args);
    tb::ft_reset(dut);
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
    axon_image *img = bn_network();
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
    for (const char *what : {"first run", "after RESET"}) {
        char msg[512];
        size_t words = 0;
        c0 = dut.cycle();
        if (bn_run_check(l, img, msg, sizeof msg, &words))
            score.fail("%s: %s", what, msg);
        else
            score.pass();
        std::printf("%s: %u steps, %zu recording words equal, %llu cycles\n", what, BN_STEPS,
                    words, (unsigned long long)(dut.cycle() - c0));
        if (axon_link_reset(l))
            score.fail("RESET: %s", axon_link_last_error(l));
    }
    if (ft.bus_conflict)
        score.fail("wr_n and oe_n were low in the same cycle");
    axon_link_close(l);
    free(w);
    axon_image_destroy(img);
    ft601_free(&ft);
    return score.finish();
}
