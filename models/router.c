/* The golden router (axon/router.h, docs/spec/routing.md "Router hardware"). */
#include "axon/router.h"

#include "errbuf.h"

#include <stdlib.h>
#include <string.h>

#define LINKS AXON_ROUTER_LINKS
#define LINK_MASK ((1u << LINKS) - 1u)
#define EM_NORMAL AXON_PKT_EMERGENCY_NORMAL
#define EM_FIRST AXON_PKT_EMERGENCY_EMERGENCY_FIRST
#define EM_SECOND AXON_PKT_EMERGENCY_EMERGENCY_SECOND
#define EM_REVERT AXON_PKT_EMERGENCY_REVERTING

struct axon_router {
    uint32_t n_cores;
    axon_route_entry mc[AXON_ROUTER_MC_ENTRIES];
    uint8_t p2p[AXON_RIF_P2P_ENTRIES];
    uint32_t wait, phase, fr_route, mc_key, mc_mask;
    uint32_t dump_valid, dump_overflow, dump_hdr, dump_key, dump_payload, dump_outputs;
    uint32_t err_valid, err_overflow, err_hdr, err_key, err_payload;
    uint32_t err_parity, err_timestamp, err_unrouted;
    uint32_t filter[AXON_RIF_DIAG_COUNTERS], count[AXON_RIF_DIAG_COUNTERS];
    char err[AXON_ERRMSG_LEN];
};

static uint32_t field(uint32_t w, uint32_t lsb, uint32_t width)
{
    return (w >> lsb) & ((1u << width) - 1u);
}

#define PKT_F(c, F) field((c), AXON_PKT_##F##_LSB, AXON_PKT_##F##_WIDTH)

uint32_t axon_packet_parity_ok(const axon_packet *p)
{
    uint32_t x = p->ctrl ^ p->key;
    if (PKT_F(p->ctrl, PAYLOAD))
        x ^= p->payload;
    return (uint32_t)__builtin_parity(x);
}

void axon_packet_set_parity(axon_packet *p)
{
    p->ctrl &= (uint8_t)~1u;
    if (!axon_packet_parity_ok(p))
        p->ctrl |= 1u;
}

int axon_mc_lookup(const axon_route_entry *e, uint32_t n, uint32_t key, uint32_t *route)
{
    for (uint32_t i = 0; i < n; i++)
        if ((key & e[i].mask) == e[i].key) {
            *route = e[i].route;
            return 1;
        }
    return 0;
}

uint32_t axon_router_wait_cycles(uint32_t w)
{
    w &= 0xFFu;
    if (w == AXON_RIF_WAIT_FOREVER)
        return UINT32_MAX;
    uint32_t m = w & 0xFu, e = w >> 4;
    if (e <= 4)
        return (m + 16u - (1u << (4 - e))) << e;
    return (m + 16u) << e;
}

static void reset_state(axon_router *r)
{
    static const uint32_t defaults[AXON_RIF_DIAG_COUNTERS] = AXON_RIF_DIAG_DEFAULTS_INIT;
    for (uint32_t i = 0; i < AXON_ROUTER_MC_ENTRIES; i++)
        r->mc[i] = (axon_route_entry){0xFFFFFFFFu, 0, 0};
    memset(r->p2p, AXON_RIF_P2P_CODES_DROP, sizeof r->p2p);
    r->wait = AXON_RIF_WAIT_RESET | (AXON_RIF_WAIT_RESET << AXON_RIF_WAIT_WAIT2_LSB);
    memcpy(r->filter, defaults, sizeof defaults);
}

int axon_router_create(axon_router **out, uint32_t n_cores)
{
    if (!out)
        return AXON_ERR_INVALID_ARG;
    *out = NULL;
    if (n_cores < 1 || n_cores > AXON_ROUTER_MAX_CORES)
        return AXON_ERR_INVALID_ARG;
    axon_router *r = calloc(1, sizeof *r);
    if (!r)
        return AXON_ERR_NO_MEMORY;
    r->n_cores = n_cores;
    reset_state(r);
    *out = r;
    return AXON_OK;
}

void axon_router_destroy(axon_router *r)
{
    free(r);
}

const char *axon_router_last_error(const axon_router *r)
{
    return r ? r->err : "";
}

static uint32_t port_mask(const axon_router *r)
{
    return LINK_MASK | (((1u << r->n_cores) - 1u) << AXON_ROUTE_CORE_LSB);
}

static void clear_counters(axon_router *r)
{
    memset(r->count, 0, sizeof r->count);
    r->err_parity = r->err_timestamp = r->err_unrouted = 0;
}

int axon_router_write(axon_router *r, uint32_t addr, uint32_t data)
{
    if (addr >= AXON_RIF_P2P_BASE && addr < AXON_RIF_P2P_BASE + AXON_RIF_P2P_ENTRIES) {
        r->p2p[addr - AXON_RIF_P2P_BASE] = (uint8_t)(data & 7u);
        return AXON_OK;
    }
    if (addr >= AXON_RIF_MC_ROUTE_BASE && addr < AXON_RIF_MC_ROUTE_BASE + AXON_ROUTER_MC_ENTRIES) {
        r->mc[addr - AXON_RIF_MC_ROUTE_BASE] =
            (axon_route_entry){r->mc_key, r->mc_mask, data & ((1u << AXON_ROUTE_BITS) - 1u)};
        return AXON_OK;
    }
    if (addr >= AXON_RIF_REG_DIAG_FILTER && addr < AXON_RIF_REG_DIAG_FILTER + AXON_RIF_DIAG_COUNTERS) {
        r->filter[addr - AXON_RIF_REG_DIAG_FILTER] = data;
        return AXON_OK;
    }
    if (addr >= AXON_RIF_REG_DIAG_COUNT && addr < AXON_RIF_REG_DIAG_COUNT + AXON_RIF_DIAG_COUNTERS) {
        r->count[addr - AXON_RIF_REG_DIAG_COUNT] = data;
        return AXON_OK;
    }
    switch (addr) {
    case AXON_RIF_REG_CTRL:
        if (data & AXON_RIF_CTRL_CLEAR_COUNTERS)
            clear_counters(r);
        if (data & AXON_RIF_CTRL_CLEAR_DUMP)
            r->dump_valid = r->dump_overflow = 0;
        if (data & AXON_RIF_CTRL_CLEAR_ERROR)
            r->err_valid = r->err_overflow = 0;
        return AXON_OK;
    case AXON_RIF_REG_WAIT: r->wait = data & 0xFFFFu; return AXON_OK;
    case AXON_RIF_REG_PHASE: r->phase = data & 3u; return AXON_OK;
    case AXON_RIF_REG_FR_ROUTE: r->fr_route = data & ((1u << AXON_ROUTE_BITS) - 1u); return AXON_OK;
    case AXON_RIF_REG_MC_KEY: r->mc_key = data; return AXON_OK;
    case AXON_RIF_REG_MC_MASK: r->mc_mask = data; return AXON_OK;
    default:
        return axon_errf(r->err, AXON_ERR_RANGE, "router register 0x%X is not writable", addr);
    }
}

int axon_router_read(axon_router *r, uint32_t addr, uint32_t *data)
{
    *data = 0;
    if (addr >= AXON_RIF_REG_DIAG_FILTER && addr < AXON_RIF_REG_DIAG_FILTER + AXON_RIF_DIAG_COUNTERS) {
        *data = r->filter[addr - AXON_RIF_REG_DIAG_FILTER];
        return AXON_OK;
    }
    if (addr >= AXON_RIF_REG_DIAG_COUNT && addr < AXON_RIF_REG_DIAG_COUNT + AXON_RIF_DIAG_COUNTERS) {
        *data = r->count[addr - AXON_RIF_REG_DIAG_COUNT];
        return AXON_OK;
    }
    switch (addr) {
    case AXON_RIF_REG_INFO:
        *data = r->n_cores << AXON_RIF_INFO_N_CORES_LSB |
                (uint32_t)__builtin_ctz(AXON_ROUTER_MC_ENTRIES) << AXON_RIF_INFO_MC_ENTRIES_LOG2_LSB |
                (uint32_t)__builtin_ctz(AXON_RIF_P2P_ENTRIES) << AXON_RIF_INFO_P2P_ENTRIES_LOG2_LSB;
        return AXON_OK;
    case AXON_RIF_REG_VERSION: *data = AXON_SPEC_VERSION; return AXON_OK;
    case AXON_RIF_REG_WAIT: *data = r->wait; return AXON_OK;
    case AXON_RIF_REG_PHASE: *data = r->phase; return AXON_OK;
    case AXON_RIF_REG_FR_ROUTE: *data = r->fr_route; return AXON_OK;
    case AXON_RIF_REG_MC_KEY: *data = r->mc_key; return AXON_OK;
    case AXON_RIF_REG_MC_MASK: *data = r->mc_mask; return AXON_OK;
    case AXON_RIF_REG_STATUS:
        *data = (r->dump_valid ? AXON_RIF_STATUS_DUMP_VALID : 0) |
                (r->dump_overflow ? AXON_RIF_STATUS_DUMP_OVERFLOW : 0) |
                (r->err_valid ? AXON_RIF_STATUS_ERR_VALID : 0) |
                (r->err_overflow ? AXON_RIF_STATUS_ERR_OVERFLOW : 0);
        return AXON_OK;
    case AXON_RIF_REG_DUMP_HDR: *data = r->dump_hdr; return AXON_OK;
    case AXON_RIF_REG_DUMP_KEY: *data = r->dump_key; return AXON_OK;
    case AXON_RIF_REG_DUMP_PAYLOAD: *data = r->dump_payload; return AXON_OK;
    case AXON_RIF_REG_DUMP_OUTPUTS: *data = r->dump_outputs; return AXON_OK;
    case AXON_RIF_REG_ERR_HDR: *data = r->err_hdr; return AXON_OK;
    case AXON_RIF_REG_ERR_KEY: *data = r->err_key; return AXON_OK;
    case AXON_RIF_REG_ERR_PAYLOAD: *data = r->err_payload; return AXON_OK;
    case AXON_RIF_REG_ERR_PARITY: *data = r->err_parity; return AXON_OK;
    case AXON_RIF_REG_ERR_TIMESTAMP: *data = r->err_timestamp; return AXON_OK;
    case AXON_RIF_REG_ERR_UNROUTED: *data = r->err_unrouted; return AXON_OK;
    case AXON_RIF_REG_CTRL: return AXON_OK; /* write-only, reads 0 */
    default:
        return axon_errf(r->err, AXON_ERR_RANGE, "router register 0x%X is not readable", addr);
    }
}

int axon_router_load_table(axon_router *r, const axon_route_entry *e, uint32_t n)
{
    if (n > AXON_ROUTER_MC_ENTRIES)
        return axon_errf(r->err, AXON_ERR_CAPACITY, "routing table of %u entries (max %u)", n,
                         AXON_ROUTER_MC_ENTRIES);
    for (uint32_t i = 0; i < AXON_ROUTER_MC_ENTRIES; i++) {
        axon_route_entry x = i < n ? e[i] : (axon_route_entry){0xFFFFFFFFu, 0, 0};
        axon_router_write(r, AXON_RIF_REG_MC_KEY, x.key);
        axon_router_write(r, AXON_RIF_REG_MC_MASK, x.mask);
        axon_router_write(r, AXON_RIF_MC_ROUTE_BASE + i, x.route);
    }
    return AXON_OK;
}

static uint32_t hdr(uint8_t ctrl, uint32_t in_port, uint32_t reason)
{
    return (uint32_t)ctrl << AXON_RIF_HDR_CTRL_LSB | in_port << AXON_RIF_HDR_SRC_LSB |
           reason << AXON_RIF_HDR_REASON_LSB;
}

/* Diagnostic counters: every field of the filter must have the packet's bit. */
static void count_diag(axon_router *r, const axon_packet *p, uint32_t in_port, uint32_t dflt,
                       uint32_t outcome)
{
    uint32_t ev = 1u << (AXON_RIF_DIAG_TYPE_LSB + PKT_F(p->ctrl, TYPE)) |
                  1u << (AXON_RIF_DIAG_EM_LSB + PKT_F(p->ctrl, EMERGENCY)) |
                  1u << (AXON_RIF_DIAG_DEFAULT_LSB + (dflt ? 1 : 0)) |
                  1u << (AXON_RIF_DIAG_PAYLOAD_LSB + PKT_F(p->ctrl, PAYLOAD)) |
                  1u << (AXON_RIF_DIAG_SOURCE_LSB + (in_port < LINKS ? 1 : 0)) |
                  1u << (AXON_RIF_DIAG_OUTCOME_LSB + outcome);
    static const uint32_t fmask[] = {
        AXON_RIF_DIAG_TYPE_MASK << AXON_RIF_DIAG_TYPE_LSB, AXON_RIF_DIAG_EM_MASK << AXON_RIF_DIAG_EM_LSB,
        AXON_RIF_DIAG_DEFAULT_MASK << AXON_RIF_DIAG_DEFAULT_LSB,
        AXON_RIF_DIAG_PAYLOAD_MASK << AXON_RIF_DIAG_PAYLOAD_LSB,
        AXON_RIF_DIAG_SOURCE_MASK << AXON_RIF_DIAG_SOURCE_LSB,
        AXON_RIF_DIAG_OUTCOME_MASK << AXON_RIF_DIAG_OUTCOME_LSB};
    for (uint32_t i = 0; i < AXON_RIF_DIAG_COUNTERS; i++) {
        uint32_t hit = 1;
        for (uint32_t f = 0; f < sizeof fmask / sizeof fmask[0]; f++)
            if (!(r->filter[i] & ev & fmask[f]))
                hit = 0;
        r->count[i] += hit;
    }
}

enum { OUT_SENT = 0, OUT_DUMPED = 1, OUT_ERROR = 2 };

static int error_drop(axon_router *r, uint32_t in_port, const axon_packet *p, uint32_t reason,
                      uint32_t dflt, axon_router_result *res)
{
    if (reason == AXON_RIF_DROP_REASONS_PARITY)
        r->err_parity++;
    else if (reason == AXON_RIF_DROP_REASONS_TIMESTAMP)
        r->err_timestamp++;
    else
        r->err_unrouted++;
    if (r->err_valid) {
        r->err_overflow = 1;
    } else {
        r->err_valid = 1;
        r->err_hdr = hdr(p->ctrl, in_port, reason);
        r->err_key = p->key;
        r->err_payload = p->payload;
    }
    res->reason = reason;
    count_diag(r, p, in_port, dflt, OUT_ERROR);
    return AXON_OK;
}

int axon_router_packet(axon_router *r, uint32_t in_port, const axon_packet *p,
                       uint32_t blocked, axon_router_result *res)
{
    memset(res, 0, sizeof *res);
    if (in_port >= LINKS + r->n_cores)
        return axon_errf(r->err, AXON_ERR_INVALID_ARG, "input port %u (router has %u)", in_port,
                         LINKS + r->n_cores);
    const uint32_t type = PKT_F(p->ctrl, TYPE), em_in = PKT_F(p->ctrl, EMERGENCY);
    const int from_link = in_port < LINKS;
    const uint32_t ports = port_mask(r);
    if (!axon_packet_parity_ok(p))
        return error_drop(r, in_port, p, AXON_RIF_DROP_REASONS_PARITY, 0, res);
    /* NN packets carry their route in control bits 4:2, not a timestamp (SpiNNaker) */
    if (type != AXON_PKT_TYPE_NN && (PKT_F(p->ctrl, TIMESTAMP) ^ r->phase) == 3u)
        return error_drop(r, in_port, p, AXON_RIF_DROP_REASONS_TIMESTAMP, 0, res);

    /* route word and each output's emergency state */
    uint32_t route = 0, dflt = 0, em_out[AXON_ROUTER_MAX_PORTS] = {0};
    uint32_t keep_em = 0; /* P2P and NN keep their control byte's bits 5:4 */
    if (type == AXON_PKT_TYPE_MC || type == AXON_PKT_TYPE_FR) {
        uint32_t em = from_link ? em_in : EM_NORMAL;
        uint32_t second = from_link ? 1u << ((in_port + 1) % LINKS) : 0;
        if (em != EM_SECOND) {
            /* reverting: default routing as if it had arrived on its original link */
            uint32_t in_eff = em == EM_REVERT ? (in_port + 1) % LINKS : in_port;
            if (type == AXON_PKT_TYPE_FR) {
                route = r->fr_route;
            } else if (!axon_mc_lookup(r->mc, AXON_ROUTER_MC_ENTRIES, p->key, &route)) {
                if (!from_link)
                    return error_drop(r, in_port, p, AXON_RIF_DROP_REASONS_UNROUTED, 0, res);
                route = 1u << ((in_eff + 3) % LINKS);
                dflt = 1;
            }
        }
        if (em == EM_FIRST || em == EM_SECOND) {
            /* second leg of the triangle, on the link after the arrival link */
            route |= second;
            em_out[(in_port + 1) % LINKS] = EM_REVERT;
        }
    } else if (type == AXON_PKT_TYPE_P2P) {
        uint32_t v = r->p2p[p->key & (AXON_RIF_P2P_ENTRIES - 1u)];
        keep_em = 1;
        if (v == AXON_RIF_P2P_CODES_DROP)
            return error_drop(r, in_port, p, AXON_RIF_DROP_REASONS_UNROUTED, 0, res);
        route = v == AXON_RIF_P2P_CODES_MONITOR ? 1u << (AXON_ROUTE_CORE_LSB + AXON_RIF_MONITOR_CORE)
                                                : 1u << v;
    } else { /* NN */
        keep_em = 1;
        if (from_link) {
            route = 1u << (AXON_ROUTE_CORE_LSB + AXON_RIF_MONITOR_CORE);
        } else {
            uint32_t v = field(p->ctrl, AXON_RIF_NN_LINK_LSB, AXON_RIF_NN_LINK_WIDTH);
            if (v == AXON_RIF_NN_CODES_DROP)
                return error_drop(r, in_port, p, AXON_RIF_DROP_REASONS_UNROUTED, 0, res);
            route = v == AXON_RIF_NN_CODES_BROADCAST ? LINK_MASK : 1u << v;
        }
    }
    route &= ports;
    const uint32_t blocked_all = blocked & ports; /* detours may meet blocked links too */
    blocked &= route;

    /* blocked outputs: at wait1 every free output has taken its copy; MC/FR links in the
     * normal state are then detoured onto the next link anticlockwise (a separate
     * "emergency only" copy; the hardware joins it to a normal copy still waiting on that
     * link as EMERGENCY_FIRST, which needs an output that is slow but not blocked); at
     * wait2 (or at wait1 without emergency routing) every output still waiting is dumped */
    uint32_t w1 = field(r->wait, AXON_RIF_WAIT_WAIT1_LSB, 8), w2 = field(r->wait, AXON_RIF_WAIT_WAIT2_LSB, 8);
    uint32_t waiting = blocked, add = 0, em_add[LINKS] = {0};
    if (blocked) {
        if (w1 == AXON_RIF_WAIT_FOREVER)
            return axon_errf(r->err, AXON_ERR_STATE, "packet key 0x%08X waits forever (blocked outputs 0x%06X, wait1 0xFF)",
                             p->key, blocked);
        uint32_t redirect = 0;
        if (!keep_em && w2 != 0)
            for (uint32_t l = 0; l < LINKS; l++) {
                uint32_t e = (l + 1) % LINKS;
                if (!(blocked >> l & 1u) || em_out[l] != EM_NORMAL)
                    continue;
                /* a waiting copy in another state on e would be lost: no detour then */
                if ((waiting >> e & 1u) && em_out[e] != EM_NORMAL)
                    continue;
                redirect |= 1u << l;
            }
        add = ((redirect << 1) | (redirect >> (LINKS - 1))) & LINK_MASK;
        for (uint32_t e = 0; e < LINKS; e++)
            if (add >> e & 1u)
                em_add[e] = ((waiting >> e & 1u) && !(redirect >> e & 1u)) ? EM_FIRST : EM_SECOND;
        waiting = (waiting & ~redirect) | add;
        if (!keep_em && w2 == AXON_RIF_WAIT_FOREVER && (waiting & blocked_all))
            return axon_errf(r->err, AXON_ERR_STATE, "packet key 0x%08X waits forever after wait1 (wait2 0xFF)",
                             p->key);
    }
    uint32_t dumped = waiting & blocked_all;
    /* copies in the order an output sees them: normal ones, then the detours */
    for (uint32_t pass = 0; pass < 2; pass++)
        for (uint32_t o = 0; o < LINKS + r->n_cores; o++) {
            uint32_t bit = o < LINKS ? 1u << o : 1u << (AXON_ROUTE_CORE_LSB + o - LINKS);
            uint32_t em;
            if (pass == 0 && (route & bit) && !(blocked & bit))
                em = o < LINKS ? em_out[o] : 0;
            else if (pass == 1 && (add & bit) && !(blocked_all & bit))
                em = em_add[o];
            else
                continue;
            axon_packet q = *p;
            if (!keep_em)
                q.ctrl = (uint8_t)((q.ctrl & ~(AXON_PKT_EMERGENCY_MASK << AXON_PKT_EMERGENCY_LSB)) |
                                   em << AXON_PKT_EMERGENCY_LSB);
            axon_packet_set_parity(&q);
            res->port[res->n_out] = (uint8_t)o;
            res->out[res->n_out++] = q;
        }
    res->default_routed = dflt;
    if (dumped) {
        res->reason = AXON_RIF_DROP_REASONS_TIMEOUT;
        res->dumped = dumped;
        if (r->dump_valid) {
            r->dump_overflow = 1;
        } else {
            r->dump_valid = 1;
            r->dump_hdr = hdr(p->ctrl, in_port, AXON_RIF_DROP_REASONS_TIMEOUT);
            r->dump_key = p->key;
            r->dump_payload = p->payload;
            r->dump_outputs = dumped;
        }
    }
    count_diag(r, p, in_port, dflt, dumped ? OUT_DUMPED : OUT_SENT);
    return AXON_OK;
}
