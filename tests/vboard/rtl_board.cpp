// The RTL board for the virtual USB board (rtl_board.h): Vaxon_board clocked with the
// FT601 bridge model; the link transport of the RTL testbenches (tests/rtl/ft_link.h)
// splits what the bridge hands the host into the reply and stream channels.
#include "rtl_board.h"

#include "Vaxon_board.h"
#include "ft_link.h"
#include "verilated.h"

#include <cstdio>
#include <memory>

struct axon_rtlboard {
    VerilatedContext ctx;
    std::unique_ptr<Vaxon_board> top;
    ft601_model ft;
    std::unique_ptr<ftlink::Link> link;
    uint64_t cycles = 0;
    int want = 0; // a request was written: clock until the board has answered

    void clock()
    {
        uint32_t d;
        ft601_drive(&ft, &d);
        top->ft_rxf_ni = ft.rxf_n;
        top->ft_data_i = d;
        top->ft_txe_ni = ft.txe_n;
        top->clk_i = 0;
        top->eval();
        int oe = top->ft_oe_no, rd = top->ft_rd_no, wr = top->ft_wr_no;
        uint32_t dout = top->ft_data_o;
        top->clk_i = 1;
        top->eval();
        ft601_edge(&ft, oe, rd, wr, dout);
        cycles++;
    }
    void reset()
    {
        top->rst_ni = 0;
        top->ft_rxf_ni = 1;
        top->ft_txe_ni = 1;
        top->clk_i = 0;
        top->eval();
        top->clk_i = 1;
        top->eval();
        top->rst_ni = 1;
    }
};

extern "C" {

int axon_rtlboard_create(axon_rtlboard **out, char *err)
{
    (void)err;
    auto *b = new axon_rtlboard;
    b->top = std::make_unique<Vaxon_board>(&b->ctx);
    ft601_init(&b->ft, 1, 0.0, 0.0, 64); // no back-pressure gaps: a fast bridge
    b->link = std::make_unique<ftlink::Link>(
        b->ft, [b] { b->clock(); }, [](const char *m) { std::fprintf(stderr, "rtl board: %s\n", m); });
    b->reset();
    *out = b;
    return 0;
}

void axon_rtlboard_destroy(axon_rtlboard *b)
{
    if (!b)
        return;
    b->link.reset();
    b->top->final();
    ft601_free(&b->ft);
    delete b;
}

void axon_rtlboard_write(axon_rtlboard *b, const void *buf, size_t n)
{
    ft601_host_write(&b->ft, buf, n);
    b->want = 1;
}

size_t axon_rtlboard_pending(axon_rtlboard *b, int ch)
{
    return b->link->chq[ch].size() - b->link->choff[ch];
}

size_t axon_rtlboard_read(axon_rtlboard *b, int ch, void *buf, size_t cap)
{
    size_t got = 0;
    if (axon_rtlboard_pending(b, ch)) /* (recv would clock the board while empty) */
        ftlink::Link::recv(b->link.get(), ch, buf, cap, &got, 0, nullptr);
    return got;
}

int axon_rtlboard_poll(axon_rtlboard *b)
{
    size_t before = b->link->chq[0].size() + b->link->chq[1].size();
    for (int i = 0; i < 20000; i++) {
        b->link->clock();
        if (b->link->chq[0].size() + b->link->chq[1].size() != before)
            return 1;
    }
    if (b->ft.rx_head == b->ft.rx_n && !b->top->running_o)
        b->want = 0; /* everything was answered */
    return 0;
}

int axon_rtlboard_busy(axon_rtlboard *b)
{
    return b->top->running_o || b->want || b->ft.rx_head != b->ft.rx_n;
}

int axon_rtlboard_running(axon_rtlboard *b) { return b->top->running_o; }

void axon_rtlboard_power_cycle(axon_rtlboard *b)
{
    ft601_free(&b->ft);
    ft601_init(&b->ft, 1, 0.0, 0.0, 64);
    for (auto &q : b->link->chq)
        q.clear();
    b->link->choff[0] = b->link->choff[1] = 0;
    axon_deframer_clear(&b->link->dmx);
    b->reset();
}

uint64_t axon_rtlboard_cycles(const axon_rtlboard *b) { return b->cycles; }

} // extern "C"
