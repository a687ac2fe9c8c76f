// The SystemC board model (sc_board.h, docs/emulator.md "SystemC board model").
#include "sc_board.h"

#include "Vaxon_chip.h"
#include "verilated.h"

extern "C" {
#include "axon_spec.h"
}

#include <cstdio>
#include <cstdlib>

namespace axon_sc {

namespace {

const int kLinkDx[6] = AXON_LINK_DX_INIT, kLinkDy[6] = AXON_LINK_DY_INIT;
constexpr unsigned kPktBits = AXON_CIF_PKT_BUS_WIDTH;

// 72 bits at bit offset off of a Verilated wide port
template <class W> void put_bits(W &w, unsigned off, const Packet &p)
{
    for (unsigned b = 0; b < kPktBits; b++) {
        unsigned bit = p.w[b / 32] >> (b % 32) & 1u, at = off + b;
        w[at / 32] = (w[at / 32] & ~(1u << (at % 32))) | bit << (at % 32);
    }
}

template <class W> Packet get_bits(const W &w, unsigned off)
{
    Packet p{};
    for (unsigned b = 0; b < kPktBits; b++) {
        unsigned at = off + b;
        p.w[b / 32] |= (w[at / 32] >> (at % 32) & 1u) << (b % 32);
    }
    return p;
}

std::string where(unsigned chip, unsigned w)
{
    char buf[48];
    std::snprintf(buf, sizeof buf, "chip (%u, %u)", chip % w, chip / w);
    return buf;
}

} // namespace

// ------------------------------------------------------------------------------ Link

Link::Link(const char *name) : sc_core::sc_prim_channel(name) {}

void Link::configure(unsigned latency, unsigned capacity)
{
    latency_ = latency ? latency : 1;
    capacity_ = capacity ? capacity : 1;
}

void Link::clear()
{
    q_.clear();
    has_in_ = pop_ = false;
    packets = full_cycles = 0;
}

void Link::push(const Packet &p, uint64_t cycle)
{
    in_ = Slot{p, cycle + latency_};
    has_in_ = true;
    request_update();
}

void Link::pop()
{
    pop_ = true;
    request_update();
}

void Link::update()
{
    if (pop_ && !q_.empty())
        q_.pop_front();
    if (has_in_) {
        q_.push_back(in_);
        packets++;
    }
    pop_ = has_in_ = false;
}

// ------------------------------------------------------------------------------ Chip

Chip::Chip(sc_core::sc_module_name name) : sc_core::sc_module(name), m_(new Vaxon_chip)
{
    SC_METHOD(on_clock);
    sensitive << clk.pos();
    dont_initialize();
}

Chip::~Chip() { m_->final(); }

void Chip::on_clock()
{
    Vaxon_chip &v = *m_;
    v.rst_ni = !rst;
    v.cfg_req_i = cfg_req;
    v.cfg_we_i = cfg_we;
    v.cfg_unit_i = cfg_unit;
    v.cfg_addr_i = cfg_addr;
    v.cfg_wdata_i = cfg_wdata;
    v.tick_i = tick;
    uint8_t en = 0, in_valid = 0, out_ready = 0;
    for (unsigned l = 0; l < 6; l++) {
        if (in[l]) {
            en |= 1u << l;
            if (in[l]->head_ready(cycle)) {
                in_valid |= 1u << l;
                put_bits(v.link_in_data_i, l * kPktBits, in[l]->head());
            }
        }
        if (out[l] && out[l]->can_push())
            out_ready |= 1u << l;
    }
    v.link_en_i = en;
    v.link_in_valid_i = in_valid;
    v.link_out_ready_i = out_ready;
    // the values before the edge decide the transfers at the edge
    v.clk_i = 0;
    v.eval();
    gnt = v.cfg_gnt_o;
    rvalid = v.cfg_rvalid_o;
    rdata = v.cfg_rdata_o;
    for (unsigned l = 0; l < 6; l++) {
        if (out[l] && (v.link_out_valid_o >> l & 1u)) {
            if (out_ready >> l & 1u)
                out[l]->push(get_bits(v.link_out_data_o, l * kPktBits), cycle);
            else
                out[l]->note_refused();
        }
        if ((in_valid >> l & 1u) && (v.link_in_ready_o >> l & 1u))
            in[l]->pop();
    }
    v.clk_i = 1;
    v.eval();
    idle = v.idle_o;
    cycle++;
}

// ------------------------------------------------------------------------------ Board

Board::Board(unsigned width, unsigned height, bool wrap, unsigned latency, unsigned capacity)
    : w_(width), h_(height), wrap_(wrap), clk_("board_clk", 10, sc_core::SC_NS)
{
    const unsigned n = w_ * h_;
    for (unsigned ch = 0; ch < n; ch++) {
        char name[32];
        std::snprintf(name, sizeof name, "chip_%u_%u", ch % w_, ch / w_);
        chips_.emplace_back(new Chip(name));
        chips_.back()->clk(clk_);
    }
    for (unsigned ch = 0; ch < n; ch++)
        for (unsigned l = 0; l < 6; l++) {
            int x = (int)(ch % w_) + kLinkDx[l], y = (int)(ch / w_) + kLinkDy[l];
            if (wrap_) {
                x = (x + (int)w_) % (int)w_;
                y = (y + (int)h_) % (int)h_;
            } else if (x < 0 || y < 0 || x >= (int)w_ || y >= (int)h_) {
                continue;
            }
            char name[48];
            std::snprintf(name, sizeof name, "link_%u_%u_%u", ch % w_, ch / w_, l);
            links_.emplace_back(new Link(name));
            Link *lk = links_.back().get();
            lk->configure(latency, capacity);
            chips_[ch]->out[l] = lk;
            chips_[(unsigned)y * w_ + (unsigned)x]->in[(l + 3) % 6] = lk;
        }
    rec_.resize((size_t)n * AXON_SC_NUM_CORES);
    used_.resize((size_t)n * AXON_SC_NUM_CORES);
}

Board::~Board() = default;

unsigned Board::cores_per_chip() const { return AXON_SC_NUM_CORES; }

void Board::set_links(unsigned latency, unsigned capacity)
{
    for (auto &l : links_)
        l->configure(latency, capacity);
}

// One board clock cycle: exactly one rising edge for every chip.
void Board::clock()
{
    sc_core::sc_start(clk_.period());
    cycles_++;
    if (chips_[0]->cycle != cycles_) { // sc_start(period) must give exactly one rising edge
        std::fprintf(stderr, "sc_board: %llu board cycles but %llu chip edges\n",
                     (unsigned long long)cycles_, (unsigned long long)chips_[0]->cycle);
        std::abort();
    }
}

int Board::cfg_write(unsigned chip, uint32_t unit, uint32_t addr, uint32_t data, std::string &err)
{
    Chip &c = *chips_[chip];
    c.cfg_req = c.cfg_we = true;
    c.cfg_unit = unit;
    c.cfg_addr = addr;
    c.cfg_wdata = data;
    for (uint64_t t = 0;; t++) {
        clock();
        if (c.gnt)
            break;
        if (t > 1000) {
            c.cfg_req = c.cfg_we = false;
            err = where(chip, w_) + ": no grant for a write of unit " + std::to_string(unit) +
                  " address " + std::to_string(addr);
            return -1;
        }
    }
    c.cfg_req = c.cfg_we = false;
    return 0;
}

int Board::cfg_read(unsigned chip, uint32_t unit, uint32_t addr, uint32_t &data, std::string &err)
{
    Chip &c = *chips_[chip];
    c.cfg_req = true;
    c.cfg_we = false;
    c.cfg_unit = unit;
    c.cfg_addr = addr;
    for (uint64_t t = 0;; t++) {
        clock();
        if (c.gnt)
            break;
        if (t > 1000) {
            c.cfg_req = false;
            err = where(chip, w_) + ": no grant for a read of unit " + std::to_string(unit) +
                  " address " + std::to_string(addr);
            return -1;
        }
    }
    c.cfg_req = false;
    clock(); // read data one cycle after the grant (chip_if.md)
    if (!c.rvalid) {
        err = where(chip, w_) + ": no read data one cycle after the grant";
        return -1;
    }
    data = c.rdata;
    return 0;
}

int Board::load(const axon_image *img, std::string &err)
{
    const unsigned n = w_ * h_, cpc = axon_image_cores_per_chip(img);
    if (axon_image_width(img) != w_ || axon_image_height(img) != h_ ||
        !(axon_image_flags(img) & AXON_IMAGE_FLAG_WRAP) != !wrap_) {
        err = "the image's machine (" + std::to_string(axon_image_width(img)) + " x " +
              std::to_string(axon_image_height(img)) + ") is not the board's";
        return -1;
    }
    if (cpc > AXON_SC_NUM_CORES) {
        err = "the image has " + std::to_string(cpc) + " cores per chip, the board's chips " +
              std::to_string(AXON_SC_NUM_CORES);
        return -1;
    }
    for (auto &c : chips_)
        c->rst = true;
    clock();
    clock();
    for (auto &c : chips_)
        c->rst = false;
    for (auto &l : links_)
        l->clear();
    for (auto &r : rec_)
        r.clear();
    std::fill(used_.begin(), used_.end(), 0);
    step_cycles_.clear();
    const uint32_t rif_key = AXON_RIF_REG_MC_KEY, rif_mask = AXON_RIF_REG_MC_MASK;
    for (unsigned ch = 0; ch < n; ch++) {
        const unsigned x = ch % w_, y = ch / w_;
        uint32_t st = AXON_CHIP_IF_STATUS_ROUTER_BUSY;
        for (uint64_t t = 0; st & AXON_CHIP_IF_STATUS_ROUTER_BUSY; t++) {
            if (cfg_read(ch, AXON_CHIP_IF_UNIT_CHIP, AXON_CHIP_IF_REG_STATUS, st, err))
                return -1;
            if (t > (1u << 20)) {
                err = where(ch, w_) + ": the router stays busy after reset";
                return -1;
            }
        }
        if (router_wait &&
            cfg_write(ch, AXON_CHIP_IF_UNIT_ROUTER, AXON_RIF_REG_WAIT, router_wait, err))
            return -1;
        const axon_route_entry *e;
        uint32_t ne;
        if (axon_image_get_table(img, x, y, &e, &ne)) {
            err = where(ch, w_) + ": no table in the image";
            return -1;
        }
        for (uint32_t i = 0; i < ne; i++)
            if (cfg_write(ch, AXON_CHIP_IF_UNIT_ROUTER, rif_key, e[i].key, err) ||
                cfg_write(ch, AXON_CHIP_IF_UNIT_ROUTER, rif_mask, e[i].mask, err) ||
                cfg_write(ch, AXON_CHIP_IF_UNIT_ROUTER, AXON_RIF_MC_ROUTE_BASE + i, e[i].route, err))
                return -1;
        for (unsigned c = 0; c < cpc; c++) {
            const uint32_t *words;
            uint32_t nw;
            if (axon_image_get_core(img, x, y, c, &words, &nw) || !nw ||
                words[AXON_CORE_H_KIND] == AXON_KIND_UNUSED)
                continue;
            for (uint32_t i = 0; i < nw; i++)
                if (cfg_write(ch, c, AXON_CIF_MEM_BASE + i, words[i], err))
                    return -1;
            if (cfg_write(ch, c, AXON_CIF_REG_BASE + AXON_CIF_REG_CTRL, AXON_CIF_CTRL_BOOT, err))
                return -1;
            for (uint64_t t = 0;; t++) {
                if (cfg_read(ch, c, AXON_CIF_REG_BASE + AXON_CIF_REG_STATUS, st, err))
                    return -1;
                if (st & AXON_CIF_STATUS_ERROR) {
                    uint32_t code = 0;
                    cfg_read(ch, c, AXON_CIF_REG_BASE + AXON_CIF_REG_ERROR, code, err);
                    err = where(ch, w_) + " core " + std::to_string(c) +
                          " refused the image at boot: error " + std::to_string(code);
                    return -1;
                }
                if ((st & AXON_CIF_STATUS_READY) && !(st & AXON_CIF_STATUS_BUSY))
                    break;
                if (t > (1u << 20)) {
                    err = where(ch, w_) + " core " + std::to_string(c) + " does not boot";
                    return -1;
                }
            }
            used_[(size_t)ch * AXON_SC_NUM_CORES + c] = 1;
        }
    }
    return 0;
}

int Board::drain(unsigned chip, unsigned c, std::string &err)
{
    uint32_t avail = 0, word = 0;
    if (cfg_read(chip, c, AXON_CIF_REG_BASE + AXON_CIF_REG_REC_AVAIL, avail, err))
        return -1;
    auto &r = rec_[(size_t)chip * AXON_SC_NUM_CORES + c];
    for (uint32_t i = 0; i < avail; i++) {
        if (cfg_read(chip, c, AXON_CIF_REG_BASE + AXON_CIF_REG_REC_DATA, word, err))
            return -1;
        r.push_back(word);
    }
    return 0;
}

int Board::run(uint32_t n, std::string &err)
{
    for (uint32_t s = 0; s < n; s++) {
        for (auto &c : chips_)
            c->tick = true;
        clock();
        for (auto &c : chips_)
            c->tick = false;
        uint64_t spent = 1;
        for (;;) {
            bool done = true;
            for (auto &c : chips_)
                done = done && c->idle;
            for (auto &l : links_)
                done = done && l->empty();
            if (done)
                break;
            clock();
            if (++spent > max_step_cycles) {
                err = "step " + std::to_string(step_cycles_.size()) + " not finished after " +
                      std::to_string(spent) +
                      " cycles (a recording buffer filled within the step, or a deadlock)";
                return -1;
            }
        }
        step_cycles_.push_back(spent);
        for (unsigned ch = 0; ch < w_ * h_; ch++)
            for (unsigned c = 0; c < AXON_SC_NUM_CORES; c++)
                if (used_[(size_t)ch * AXON_SC_NUM_CORES + c] && drain(ch, c, err))
                    return -1;
    }
    return 0;
}

int Board::router_stats(uint64_t &dumped, uint64_t &emergency, uint64_t &no_link,
                        std::string &err)
{
    dumped = emergency = no_link = 0;
    for (unsigned ch = 0; ch < w_ * h_; ch++) {
        uint32_t d, e, n;
        if (cfg_read(ch, AXON_CHIP_IF_UNIT_ROUTER, AXON_RIF_REG_DIAG_COUNT + 8, d, err) ||
            cfg_read(ch, AXON_CHIP_IF_UNIT_ROUTER, AXON_RIF_REG_DIAG_COUNT + 10, e, err) ||
            cfg_read(ch, AXON_CHIP_IF_UNIT_CHIP, AXON_CHIP_IF_REG_DROPPED_NO_LINK, n, err))
            return -1;
        dumped += d;
        emergency += e;
        no_link += n;
    }
    return 0;
}

const std::vector<uint32_t> &Board::recording(unsigned x, unsigned y, unsigned c) const
{
    return rec_[((size_t)y * w_ + x) * AXON_SC_NUM_CORES + c];
}

uint64_t Board::link_packets() const
{
    uint64_t s = 0;
    for (auto &l : links_)
        s += l->packets;
    return s;
}

uint64_t Board::link_full_cycles() const
{
    uint64_t s = 0;
    for (auto &l : links_)
        s += l->full_cycles;
    return s;
}

} // namespace axon_sc
