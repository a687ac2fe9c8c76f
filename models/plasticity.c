/* Spike-timing-dependent plasticity in the golden engine (docs/spec/plasticity.md): the
 * host-side region builder, the bounded postsynaptic history of every neuron, and the
 * deferred update of a plastic row when its presynaptic spike arrives. */
#include "axon/stdp.h"
#include "axon/golden.h"

#include "core.h"
#include "errbuf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define H AXON_PLAST_POST_HISTORY
_Static_assert((H & (H - 1)) == 0 && H <= 255, "post history: a power of two held in a byte");
#define LUT_ONE (1u << AXON_PLAST_LUT_FRAC_BITS)
#define PC_NONE UINT64_MAX
#define TRACE_ONE_F ((double)AXON_STDP_TRACE_ONE)

/* ---------------- host side: the region ---------------- */

uint32_t axon_stdp_lut_len(double tau)
{
    uint32_t n = 1;
    while (n < AXON_PLAST_LUT_MAX_ENTRIES && lround(exp(-(double)n / tau) * LUT_ONE) > 0)
        n++;
    return n;
}

static uint32_t amp_word(double a)
{
    return (uint32_t)lround(a * (double)(1u << AXON_PLAST_AMP_FRAC_BITS));
}

int axon_stdp_region(const axon_stdp_params *p, uint32_t n, uint32_t **words,
                     uint32_t *n_words, char *err)
{
    *words = NULL;
    *n_words = 0;
    if (n < 1 || n > AXON_PLAST_MAX_RULES)
        return axon_errf(err, AXON_ERR_CAPACITY, "%u plasticity rules on one core (max %u)", n,
                         AXON_PLAST_MAX_RULES);
    const double amp_max = (double)AXON_PLAST_AMP_MAX / (1u << AXON_PLAST_AMP_FRAC_BITS);
    const double tau_max = 65535.0;
    uint64_t total = AXON_PLAST_REGION_RULE_BASE + (uint64_t)n * AXON_PLAST_RULE_WORDS;
    uint32_t sum[2] = {0, 0};
    for (uint32_t k = 0; k < n; k++) {
        const axon_stdp_params *r = &p[k];
        if (!(r->tau_plus > 0 && r->tau_plus <= tau_max))
            return axon_errf(err, AXON_ERR_RANGE, "rule %u: tau_plus = %g steps (need 0 < tau <= %g)",
                             k, r->tau_plus, tau_max);
        if (!(r->tau_minus > 0 && r->tau_minus <= tau_max))
            return axon_errf(err, AXON_ERR_RANGE, "rule %u: tau_minus = %g steps (need 0 < tau <= %g)",
                             k, r->tau_minus, tau_max);
        if (!(r->a_plus >= 0 && r->a_plus <= amp_max))
            return axon_errf(err, AXON_ERR_RANGE, "rule %u: A_plus = %g (allowed 0..%g)", k,
                             r->a_plus, amp_max);
        if (!(r->a_minus >= 0 && r->a_minus <= amp_max))
            return axon_errf(err, AXON_ERR_RANGE, "rule %u: A_minus = %g (allowed 0..%g)", k,
                             r->a_minus, amp_max);
        if (r->w_min > r->w_max || r->w_max > AXON_SYN_RING_MAX)
            return axon_errf(err, AXON_ERR_RANGE,
                             "rule %u: weight bounds [%u, %u] units (need w_min <= w_max <= %u)",
                             k, r->w_min, r->w_max, AXON_SYN_RING_MAX);
        if (r->timing > AXON_PLAST_TIMING_SPIKE_NEAREST_PAIR ||
            r->weight > AXON_PLAST_WEIGHT_MULTIPLICATIVE)
            return axon_errf(err, AXON_ERR_INVALID_ARG, "rule %u: timing %u / weight %u unknown",
                             k, r->timing, r->weight);
    }
    /* One table per distinct time constant: rules (and the two kinds) with equal taus share
     * it. The buffer has room for distinct tables everywhere; *n_words counts the words used. */
    for (uint32_t k = 0; k < n; k++)
        total += (uint64_t)axon_stdp_lut_len(p[k].tau_plus) + axon_stdp_lut_len(p[k].tau_minus);
    uint32_t *w = calloc(total, sizeof *w);
    if (!w)
        return axon_errf(err, AXON_ERR_NO_MEMORY, "plasticity region of %llu words",
                         (unsigned long long)total);
    w[AXON_PLAST_REGION_N_RULES] = n;
    uint32_t at = AXON_PLAST_REGION_RULE_BASE + n * AXON_PLAST_RULE_WORDS;
    double tau_of[2 * AXON_PLAST_MAX_RULES] = {0};
    uint32_t tau_off[2 * AXON_PLAST_MAX_RULES] = {0}, kinds[2 * AXON_PLAST_MAX_RULES] = {0};
    uint32_t n_tau = 0;
    for (uint32_t k = 0; k < n; k++) {
        const axon_stdp_params *r = &p[k];
        uint32_t *b = w + AXON_PLAST_REGION_RULE_BASE + k * AXON_PLAST_RULE_WORDS;
        b[AXON_PRULE_FLAGS] = r->timing << AXON_PRULE_FLAG_TIMING_LSB |
                              r->weight << AXON_PRULE_FLAG_WEIGHT_LSB;
        b[AXON_PRULE_W_MIN] = r->w_min;
        b[AXON_PRULE_W_MAX] = r->w_max;
        b[AXON_PRULE_A_PLUS] = amp_word(r->a_plus);
        b[AXON_PRULE_A_MINUS] = amp_word(r->a_minus);
        b[AXON_PRULE_TAU_PLUS] = (uint32_t)lround(r->tau_plus * 65536.0);
        b[AXON_PRULE_TAU_MINUS] = (uint32_t)lround(r->tau_minus * 65536.0);
        for (int m = 0; m < 2; m++) {
            double tau = m ? r->tau_minus : r->tau_plus;
            uint32_t len = axon_stdp_lut_len(tau), q = 0;
            while (q < n_tau && tau_of[q] != tau)
                q++;
            if (q == n_tau) { /* a new time constant: its table */
                tau_of[n_tau] = tau;
                tau_off[n_tau++] = at;
                for (uint32_t i = 0; i < len; i++)
                    w[at++] = (uint32_t)lround(exp(-(double)i / tau) * LUT_ONE);
            }
            if (!(kinds[q] & 1u << m)) /* the hardware copies each kind's tables once */
                sum[m] += len;
            kinds[q] |= 1u << m;
            b[m ? AXON_PRULE_LUT_MINUS_OFF : AXON_PRULE_LUT_PLUS_OFF] = tau_off[q];
            b[m ? AXON_PRULE_LUT_MINUS_LEN : AXON_PRULE_LUT_PLUS_LEN] = len;
        }
    }
    if (sum[0] > AXON_PLAST_LUT_CORE_ENTRIES || sum[1] > AXON_PLAST_LUT_CORE_ENTRIES) {
        free(w);
        return axon_errf(err, AXON_ERR_CAPACITY,
                         "%u plasticity rules on one core need %u tau_plus and %u tau_minus "
                         "table entries (at most %u each; rules with equal time constants "
                         "share a table: fewer distinct tau, or shorter ones in steps)",
                         n, sum[0], sum[1], AXON_PLAST_LUT_CORE_ENTRIES);
    }
    total = at;
    *words = w;
    *n_words = (uint32_t)total;
    return AXON_OK;
}

/* ---------------- engine side ---------------- */

static void *zalloc(size_t n, size_t size, int *fail)
{
    void *p = calloc(n ? n : 1, size);
    if (!p)
        *fail = 1;
    return p;
}

int core_plast_load(core *c)
{
    const uint32_t *h = c->mem;
    c->synw = c->mem + h[AXON_CORE_H_SYN_OFF];
    c->syn_words = h[AXON_CORE_H_SYN_WORDS];
    if (!h[AXON_CORE_H_PLAST_WORDS])
        return 0;
    const uint32_t *region = h + h[AXON_CORE_H_PLAST_OFF];
    c->n_rules = region[AXON_PLAST_REGION_N_RULES];
    for (uint32_t k = 0; k < c->n_rules; k++)
        axon_stdp_rule_decode(region, k, &c->rule[k]);
    int fail = 0;
    size_t nh = (size_t)c->n * H;
    c->syn0 = zalloc(c->syn_words, sizeof *c->syn0, &fail);
    c->ph_time = zalloc(nh, sizeof *c->ph_time, &fail);
    c->ph_n = zalloc(c->n, 1, &fail);
    c->pc = zalloc(c->n, sizeof *c->pc, &fail);
    if (c->f64) {
        c->ph_trd = zalloc(nh * c->n_rules, sizeof *c->ph_trd, &fail);
        c->wd = zalloc(c->syn_words, sizeof *c->wd, &fail);
    } else {
        c->ph_tr = zalloc(nh * c->n_rules, sizeof *c->ph_tr, &fail);
    }
    if (fail)
        return -1;
    memcpy(c->syn0, c->synw, (size_t)c->syn_words * sizeof *c->syn0);
    return 0;
}

static int row_plastic(uint32_t header)
{
    return (header >> AXON_PROW_PLASTIC_LSB) & AXON_PROW_PLASTIC_MASK;
}

void core_plast_reset(core *c)
{
    if (!c->n_rules)
        return;
    memcpy(c->synw, c->syn0, (size_t)c->syn_words * sizeof *c->synw);
    memset(c->ph_n, 0, c->n);
    for (uint32_t i = 0; i < c->n; i++)
        c->pc[i].key = PC_NONE;
    if (!c->wd)
        return;
    /* float64 mode: the real weights and pre traces start from the image's words */
    for (uint32_t e = 0; e < c->mpt_n; e++) {
        const uint32_t *m = c->mpt + e * AXON_SYN_MPT_ENTRY_WORDS;
        uint32_t shape = m[AXON_MPT_W_SHAPE];
        uint32_t n_rows = (shape >> AXON_MPT_SHAPE_N_ROWS_LSB) & AXON_MPT_SHAPE_N_ROWS_MASK;
        uint32_t stride = (shape >> AXON_MPT_SHAPE_STRIDE_LSB) & AXON_MPT_SHAPE_STRIDE_MASK;
        for (uint32_t r = 0; r < n_rows; r++) {
            uint32_t off = m[AXON_MPT_W_ROW_BASE] + r * stride;
            const uint32_t *row = c->synw + off;
            if (!row_plastic(row[0]))
                continue;
            c->wd[off + AXON_PROW_PRE_TRACE] = row[AXON_PROW_PRE_TRACE] / TRACE_ONE_F;
            uint32_t ns = row[0] & AXON_ROW_N_STATIC_MASK;
            for (uint32_t k = 0; k < ns; k++)
                c->wd[off + AXON_PLAST_ROW_OVERHEAD + k] =
                    (double)(row[AXON_PLAST_ROW_OVERHEAD + k] >> AXON_SYN_WEIGHT_LSB);
        }
    }
}

void core_plast_free(core *c)
{
    free(c->syn0);
    free(c->ph_time);
    free(c->ph_tr);
    free(c->ph_trd);
    free(c->ph_n);
    free(c->pc);
    free(c->wd);
}

/* A neuron's history is kept newest first: entry j is its j-th newest spike (a spike
 * shifts the entries down by one, the 17th falls off; spikes are rare next to the row
 * updates that read the history, which scan it from entry 0 without wrap-around). */

static double exp_decay(uint32_t dt, uint32_t tau_word)
{
    return exp(-(double)dt * 65536.0 / (double)tau_word);
}

void core_plast_post(core *c, uint32_t i, uint32_t t)
{
    if (!c->n_rules)
        return;
    uint32_t cnt = c->ph_n[i];
    uint32_t *pt = c->ph_time + (size_t)i * H, tp = pt[0];
    const size_t keep = (H - 1) * sizeof *pt;
    for (uint32_t k = 0; k < c->n_rules; k++) {
        const axon_stdp_rule *r = &c->rule[k];
        size_t b = ((size_t)k * c->n + i) * H;
        if (c->ph_trd) {
            double *py = c->ph_trd + b;
            double y = cnt ? py[0] * exp_decay(t - tp, r->tau_minus) : 0.0;
            memmove(py + 1, py, (H - 1) * sizeof *py);
            py[0] = r->timing == AXON_PLAST_TIMING_SPIKE_NEAREST_PAIR ? 1.0 : y + 1.0;
        } else {
            uint16_t *py = c->ph_tr + b;
            uint32_t y = cnt ? axon_stdp_decay(py[0], t - tp, r->lut_minus, r->lut_minus_len) : 0;
            memmove(py + 1, py, (H - 1) * sizeof *py);
            py[0] = (uint16_t)axon_stdp_trace_spike(r->timing, y);
        }
    }
    memmove(pt + 1, pt, keep);
    pt[0] = t;
    c->ph_n[i] = (uint8_t)(cnt < H ? cnt + 1 : H);
    if (c->pc)
        c->pc[i].key = PC_NONE;
}

static inline void rb_add(core *c, uint32_t t, uint32_t d, uint32_t type, uint32_t idx,
                          uint32_t w)
{
    uint32_t *p = c->rb + (size_t)((t + d) % AXON_SYN_RING_SLOTS) * c->rb_stride +
                  (size_t)type * c->n + idx;
    *p = axon_rb_accumulate(*p, w);
}

/* float64 mode: the same update with real traces, exact exponentials and real weights;
 * the ring buffer receives the weight rounded to an integer. */
static void row_f64(core *c, uint32_t off, const axon_stdp_rule *r, uint32_t rule, uint32_t t)
{
    uint32_t *row = c->synw + off;
    double *wd = c->wd + off;
    uint32_t ns = row[0] & AXON_ROW_N_STATIC_MASK, t0 = row[AXON_PROW_PRE_TIME];
    double x0 = wd[AXON_PROW_PRE_TRACE];
    const double ap = (double)r->a_plus / (1u << AXON_PLAST_AMP_FRAC_BITS);
    const double am = (double)r->a_minus / (1u << AXON_PLAST_AMP_FRAC_BITS);
    const int add = r->weight == AXON_PLAST_WEIGHT_ADDITIVE;
    for (uint32_t k = 0; k < ns; k++) {
        uint32_t *sw = row + AXON_PLAST_ROW_OVERHEAD + k;
        uint32_t idx = *sw & AXON_SYN_INDEX_MASK;
        uint32_t type = (*sw >> AXON_SYN_TYPE_LSB) & AXON_SYN_TYPE_MASK;
        uint32_t d = 1 + ((*sw >> AXON_SYN_DELAY_M1_LSB) & AXON_SYN_DELAY_M1_MASK);
        double w = wd[AXON_PLAST_ROW_OVERHEAD + k];
        const uint32_t *pt = c->ph_time + (size_t)idx * H;
        const double *py = c->ph_trd + ((size_t)rule * c->n + idx) * H;
        uint32_t cnt = c->ph_n[idx];
        for (uint32_t j = cnt; x0 > 0 && j-- > 0;) {
            uint32_t e = j, s = pt[e] + d;
            if (s >= t0 && s < t) {
                double x = x0 * exp_decay(s - t0, r->tau_plus);
                w = fmin(w + ap * x * (add ? r->w_max : r->w_max - w), r->w_max);
            }
        }
        for (uint32_t j = 0; j < cnt; j++) {
            uint32_t e = j, s = pt[e] + d;
            if (s < t) {
                double y = py[e] * exp_decay(t - s, r->tau_minus);
                w = fmax(w - am * y * (add ? r->w_max : w - r->w_min), r->w_min);
                break;
            }
        }
        wd[AXON_PLAST_ROW_OVERHEAD + k] = w;
        uint32_t wi = (uint32_t)lround(w);
        *sw = (*sw & ~(AXON_SYN_WEIGHT_MASK << AXON_SYN_WEIGHT_LSB)) | wi << AXON_SYN_WEIGHT_LSB;
        rb_add(c, t, d, type, idx, wi);
    }
    double xd = x0 * exp_decay(t - t0, r->tau_plus);
    wd[AXON_PROW_PRE_TRACE] = r->timing == AXON_PLAST_TIMING_SPIKE_NEAREST_PAIR ? 1.0 : xd + 1.0;
    row[AXON_PROW_PRE_TIME] = t;
}

void core_plast_row(core *c, uint32_t off, uint32_t t)
{
    uint32_t *row = c->synw + off;
    uint32_t rule = (row[0] >> AXON_PROW_RULE_LSB) & AXON_PROW_RULE_MASK;
    const axon_stdp_rule *r = &c->rule[rule];
    if (c->wd) {
        row_f64(c, off, r, rule, t);
        return;
    }
    uint32_t ns = row[0] & AXON_ROW_N_STATIC_MASK, t0 = row[AXON_PROW_PRE_TIME];
    uint32_t x0 = row[AXON_PROW_PRE_TRACE];
    /* the rule and the core's arrays in locals: the stores into the row and the ring buffer
     * could alias the core's fields, which the compiler would otherwise reload per synapse */
    const axon_stdp_rule rl = *r;
    r = &rl;
    const uint32_t *const ph_time = c->ph_time;
    const uint16_t *const ph_tr = c->ph_tr + (size_t)rule * c->n * H;
    const uint8_t *const ph_n = c->ph_n;
    uint32_t *const rb = c->rb;
    const size_t rb_stride = c->rb_stride, n = c->n;
    plast_dep *const pc = c->pc;
    const int add = r->weight == AXON_PLAST_WEIGHT_ADDITIVE;
    const uint64_t bot = (uint64_t)r->w_min << AXON_STDP_W_FRAC;
    for (uint32_t k = 0; k < ns; k++) {
        uint32_t *sw = row + AXON_PLAST_ROW_OVERHEAD + k;
        uint32_t idx = *sw & AXON_SYN_INDEX_MASK;
        uint32_t type = (*sw >> AXON_SYN_TYPE_LSB) & AXON_SYN_TYPE_MASK;
        uint32_t d = 1 + ((*sw >> AXON_SYN_DELAY_M1_LSB) & AXON_SYN_DELAY_M1_MASK);
        uint32_t w = (*sw >> AXON_SYN_WEIGHT_LSB) << AXON_STDP_W_FRAC;
        const uint32_t *pt = ph_time + (size_t)idx * H;
        const uint16_t *py = ph_tr + (size_t)idx * H;
        uint32_t cnt = ph_n[idx];
        /* newest first: post spikes that reach the synapse at t or later are skipped; the
         * next one, j, is the depression's; it and the decayed trace depend on the neuron,
         * the step, the delay and the rule only, so the step's first row computes them for
         * the others (pc) */
        const uint64_t key = (uint64_t)t << 8 | d << 2 | rule;
        uint32_t j, y;
        uint64_t dd;
        plast_dep *dep = &pc[idx];
        if (dep->key == key) {
            j = dep->j;
            y = dep->y;
            dd = dep->dd;
        } else {
            for (j = 0; j < cnt && pt[j] + d >= t; j++)
                ;
            y = j < cnt ? axon_stdp_decay(py[j], t - (pt[j] + d), r->lut_minus, r->lut_minus_len)
                        : 0;
            dd = axon_stdp_scale(r->w_max, r->a_minus, y); /* the additive depression */
            *dep = (plast_dep){key, dd, y, j};
        }
        /* the potentiation window: post spikes reaching the synapse in [t0, t), entries
         * [j, end) (the additive rule sums their table entries on the way) */
        uint32_t end = j, lsum = 0;
        if (x0)
            for (uint32_t q = j; q < cnt; q++) {
                uint32_t sq = pt[q] + d;
                if (sq < t0)
                    break;
                uint32_t dt = sq - t0;
                lsum += dt < r->lut_plus_len ? r->lut_plus[dt] : 0;
                end = q + 1;
            }
        /* potentiation, oldest first */
        if (add) {
            /* every term is positive: one clamp of the sum is the same as a clamp per term;
             * the decayed traces are summed as table entries and multiplied once */
            if (lsum)
                w = axon_stdp_potentiate(r, w, axon_stdp_trace_sum(x0, lsum));
        } else {
            for (uint32_t q = end; q-- > j;) {
                uint32_t x = axon_stdp_decay(x0, pt[q] + d - t0, r->lut_plus, r->lut_plus_len);
                w = axon_stdp_potentiate(r, w, x);
            }
        }
        /* depression: the newest post spike that reached the synapse before t (additive:
         * axon_stdp_depress with the step's shared amount) */
        if (j < cnt) {
            if (add)
                w = (uint64_t)w < bot + dd ? bot : (uint32_t)(w - dd);
            else
                w = axon_stdp_depress(r, w, y);
        }
        w = axon_stdp_round(w);
        *sw = (*sw & ~(AXON_SYN_WEIGHT_MASK << AXON_SYN_WEIGHT_LSB)) | w << AXON_SYN_WEIGHT_LSB;
        uint32_t *p = rb + ((t + d) % AXON_SYN_RING_SLOTS) * rb_stride + type * n + idx;
        *p = axon_rb_accumulate(*p, w);
    }
    row[AXON_PROW_PRE_TRACE] =
        axon_stdp_trace_spike(r->timing, axon_stdp_decay(x0, t - t0, r->lut_plus, r->lut_plus_len));
    row[AXON_PROW_PRE_TIME] = t;
}

double core_plast_weight(const core *c, uint32_t off)
{
    if (c->wd)
        return c->wd[off];
    return (double)(c->synw[off] >> AXON_SYN_WEIGHT_LSB);
}
