// A transport for the host's link (driver/link.c, include/axon/link.h) into a Verilated
// board behind the FT601 bridge model (ft601_model.h): send puts bytes into the bridge's
// receive FIFO; recv runs the simulation (a step function of the testbench: one clock of the
// DUT with the bridge) until the wanted channel has bytes, splitting the one IN channel into
// replies and stream frames by their flags as driver/usb.c does for a one-endpoint bridge.
// Used by tb_hostif_link.cpp and tb_board.cpp.
#pragma once

#include "ft601_model.h"

#include "axon/link.h"
#include "axon/proto.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <vector>

namespace ftlink {

constexpr uint64_t kCyclesPerMs = 100000; // simulated 100 MHz
constexpr uint64_t kMaxWait = 20000000;   // cycles one receive may simulate

struct Link {
    ft601_model &ft;
    std::function<void()> step;         // one clock of the board with the bridge
    std::function<void(const char *)> fail;
    axon_deframer dmx;
    std::vector<uint8_t> chq[2];
    size_t choff[2] = {0, 0};
    std::vector<uint8_t> enc =
        std::vector<uint8_t>(AXON_PROTO_FRAME_BYTES(AXON_PROTO_MAX_PAYLOAD_WORDS));

    Link(ft601_model &f, std::function<void()> s, std::function<void(const char *)> fl)
        : ft(f), step(std::move(s)), fail(std::move(fl))
    {
        axon_deframer_init(&dmx);
    }
    ~Link() { axon_deframer_free(&dmx); }
    Link(const Link &) = delete;
    Link &operator=(const Link &) = delete;

    // one clock, then what the bridge handed to the host, frame by frame into its channel
    void clock()
    {
        step();
        uint32_t buf[256];
        size_t n;
        while ((n = ft601_host_read(&ft, buf, 256)) != 0) {
            axon_deframer_push(&dmx, buf, n * 4);
            axon_frame f;
            int r;
            while ((r = axon_deframer_next(&dmx, &f)) != 0) {
                if (r < 0) {
                    fail("the board sent a corrupt frame");
                    continue;
                }
                size_t k = axon_frame_encode(enc.data(), f.opcode, f.seq, f.status, f.flags,
                                             f.payload, f.n, nullptr, 0);
                auto &q = chq[(f.flags & AXON_PROTO_FLAG_STREAM) ? 1 : 0];
                q.insert(q.end(), enc.data(), enc.data() + k);
            }
        }
    }

    static int send(void *st, const void *buf, size_t n, int, char *)
    {
        ft601_host_write(&static_cast<Link *>(st)->ft, buf, n);
        return AXON_OK;
    }

    // the board runs (simulated time) until channel ch has bytes or timeout_ms has passed
    static int recv(void *st, int ch, void *buf, size_t cap, size_t *got, int timeout_ms, char *)
    {
        Link *b = static_cast<Link *>(st);
        uint64_t budget = std::min<uint64_t>(
            (uint64_t)(timeout_ms > 0 ? timeout_ms : 1) * kCyclesPerMs, kMaxWait);
        auto &q = b->chq[ch];
        for (uint64_t i = 0; q.size() == b->choff[ch] && i < budget; i++)
            b->clock();
        size_t n = std::min(cap, q.size() - b->choff[ch]);
        std::memcpy(buf, q.data() + b->choff[ch], n);
        b->choff[ch] += n;
        if (b->choff[ch] == q.size()) {
            q.clear();
            b->choff[ch] = 0;
        }
        *got = n;
        return AXON_OK;
    }
    static int reconnect(void *, char *) { return AXON_OK; }
    static void close(void *) {}

    axon_xport xport()
    {
        static const axon_xport_ops ops = {"rtl-board", send, recv, reconnect, close};
        return axon_xport{&ops, this};
    }
};

} // namespace ftlink
