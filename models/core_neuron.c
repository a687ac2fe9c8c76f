/* Neuron cores: the per-step pipeline of docs/spec/models.md, in fixed point (the
 * definition) and in float64 (accuracy studies).
 *
 * Step t, for every neuron (each phase is one loop over the core's SoA arrays):
 *   1. transfer: ring-buffer slot t of each synapse type -> input = min(rb, 0xFFFF) << shift;
 *      the slot is cleared; a slot that overflowed counts one saturation;
 *   2. synapse add: exp isyn += input * init; alpha z += input; delta jump = in_e - in_i;
 *   3. sample (if t % interval == 0): v (start of step), gsyn_exc, gsyn_inh;
 *   4. input type + neuron update + threshold (reset, refractory), spikes collected;
 *   5. synapse decay: exp isyn *= decay; alpha isyn = isyn*decay + z*coef, z *= decay.
 * The fixed-point path fuses the five phases into one pass per neuron (each neuron's
 * operations are independent of the others', so the result is the same bit for bit and the
 * state stays in registers); the float64 path keeps them as separate loops. */
#include "core.h"

#include "axon/golden.h"

#include <math.h>
#include <string.h>

#define ADD axon_add
#define SUB axon_sub
#define MUL axon_mul
#define MULU axon_mul_u032
#define K(x) ((int32_t)((x) * 32768))

/* All LIF models share the LIF component's offsets (it comes first in every block). */
#define LIF_P(name) AXON_P_IF_CURR_EXP_##name
#define LIF_S(name) AXON_S_IF_CURR_EXP_##name
_Static_assert(AXON_P_IF_COND_EXP_I_OFFSET == LIF_P(I_OFFSET) &&
                   AXON_P_IF_CURR_ALPHA_I_OFFSET == LIF_P(I_OFFSET) &&
                   AXON_P_IF_CURR_DELTA_I_OFFSET == LIF_P(I_OFFSET),
               "LIF parameters must lead every LIF model's block");
_Static_assert(AXON_S_IF_COND_EXP_REFRACT == LIF_S(REFRACT) &&
                   AXON_S_IF_CURR_ALPHA_REFRACT == LIF_S(REFRACT) &&
                   AXON_S_IF_CURR_DELTA_REFRACT == LIF_S(REFRACT) && AXON_S_IZHIKEVICH_V == 0 &&
                   LIF_S(V) == 0,
               "v is state word 0 of every model");

#define P(k) (c->p + (size_t)(k) * c->n)
#define S(k) (c->s + (size_t)(k) * c->n)
#define PD(k) (c->pd + (size_t)(k) * c->n)
#define SD(k) (c->sd + (size_t)(k) * c->n)

/* 1. ring buffer -> input (float64 path; the fixed path does this inside its fused loop) */
static void transfer_f64(core *c, uint32_t t)
{
    const uint32_t n = c->n, slot = t % AXON_SYN_RING_SLOTS;
    uint64_t sat = 0;
    for (uint32_t type = 0; type < AXON_SYN_N_TYPES; type++) {
        uint32_t *rb = c->rb + slot * c->rb_stride + (size_t)type * n;
        const uint32_t sh = c->shift[type];
        double *in = c->ind + (size_t)type * n;
        for (uint32_t i = 0; i < n; i++) {
            uint32_t v = rb[i];
            sat += v >> 16; /* capped at 0x10000: bit 16 set means it overflowed */
            in[i] = (double)((v - (v >> 16)) << sh) / 32768.0;
            rb[i] = 0;
        }
    }
    c->cnt[AXON_CNT_CORE_SATURATIONS] += sat;
}

/* ---------------- fixed point ---------------- */

/* ring-buffer word -> s16.15 input; counts the saturated accumulator */
#define TAKE(rbp, sh, x, sat)                                                                  \
    do {                                                                                       \
        uint32_t v_ = *(rbp);                                                                  \
        *(rbp) = 0;                                                                            \
        (sat) += v_ >> 16;                                                                     \
        (x) = rb_input(v_, (sh));                                                              \
    } while (0)

/* s16.15 input of a ring-buffer word (0x10000 = saturated reads as 0xFFFF) */
static inline int32_t rb_input(uint32_t v, uint32_t sh)
{
    return (int32_t)((v - (v >> 16)) << sh);
}

/* 3. sampling, before the fused pass (which has no branches left, so it vectorises): the
 * recorded neurons' v (start of step) and gsyn after this step's input, computed from the
 * ring-buffer words the pass is about to consume with the same operations it uses. */
static void sample_fixed(core *c, uint32_t t)
{
    const uint32_t n = c->n, slot = t % AXON_SYN_RING_SLOTS;
    const uint32_t *rbe = c->rb + slot * c->rb_stride, *rbi = rbe + n;
    const int32_t *v = S(0);
    uint32_t k = 0;
    for (uint32_t j = 0; j < c->rec_n[AXON_REC_V]; j++)
        c->smp[k++] = v[c->rec_idx[AXON_REC_V][j]];
    for (uint32_t type = 0; type < AXON_SYN_N_TYPES; type++) {
        const uint32_t var = AXON_REC_GSYN_EXC + type, sh = c->shift[type];
        const uint32_t *rb = type ? rbi : rbe;
        for (uint32_t j = 0; j < c->rec_n[var]; j++) {
            uint32_t i = c->rec_idx[var][j];
            int32_t x = rb_input(rb[i], sh), g;
            switch (c->model) {
            case AXON_MODEL_IF_CURR_DELTA:
                g = x;
                break;
            case AXON_MODEL_IF_CURR_ALPHA:
                g = S(type ? AXON_S_IF_CURR_ALPHA_ISYN_I : AXON_S_IF_CURR_ALPHA_ISYN_E)[i];
                break;
            case AXON_MODEL_IF_COND_EXP:
                g = ADD(S(AXON_S_IF_COND_EXP_ISYN_E + type)[i],
                        MULU(x, (uint32_t)P(AXON_P_IF_COND_EXP_INIT_E + 2 * type)[i])) >>
                    AXON_COND_SHIFT;
                break;
            case AXON_MODEL_IZHIKEVICH:
                g = ADD(S(AXON_S_IZHIKEVICH_ISYN_E + type)[i],
                        MULU(x, (uint32_t)P(AXON_P_IZHIKEVICH_INIT_E + 2 * type)[i]));
                break;
            default: /* IF_curr_exp */
                g = ADD(S(AXON_S_IF_CURR_EXP_ISYN_E + type)[i],
                        MULU(x, (uint32_t)P(AXON_P_IF_CURR_EXP_INIT_E + 2 * type)[i]));
            }
            c->smp[k++] = g;
        }
    }
}

/* The LIF family: one fused pass per neuron. `model` is a compile-time constant at every
 * call site, so each model gets its own specialised loop. Offsets: the LIF block leads
 * every LIF model's parameters and state (asserted above); the synapse block follows. */
static inline __attribute__((always_inline)) void lif_fused(core *c, uint32_t t,
                                                         const uint32_t model)
{
    const uint32_t n = c->n, slot = t % AXON_SYN_RING_SLOTS;
    const int cond = model == AXON_MODEL_IF_COND_EXP, alpha = model == AXON_MODEL_IF_CURR_ALPHA,
              delta = model == AXON_MODEL_IF_CURR_DELTA;
    /* synapse block offsets of this model */
    const int pde = cond ? AXON_P_IF_COND_EXP_DECAY_E : AXON_P_IF_CURR_EXP_DECAY_E;
    const int sie = cond ? AXON_S_IF_COND_EXP_ISYN_E : AXON_S_IF_CURR_EXP_ISYN_E;
    uint32_t *restrict rbe = c->rb + slot * c->rb_stride, *restrict rbi = rbe + n;
    const uint32_t she = c->shift[0], shi = c->shift[1];
    int32_t *restrict v = S(LIF_S(V)), *restrict r = S(LIF_S(REFRACT));
    const int32_t *restrict vr = P(LIF_P(V_REST)), *restrict rm = P(LIF_P(R_MEMBRANE)), *restrict tc = P(LIF_P(EXP_TC)),
                  *restrict vreset = P(LIF_P(V_RESET)), *restrict vt = P(LIF_P(V_THRESH)),
                  *restrict tref = P(LIF_P(T_REFRAC)), *restrict ioff = P(LIF_P(I_OFFSET));
    /* exp / cond: isyn_e, isyn_i; alpha: isyn_e, z_e, isyn_i, z_i */
    /* blocks a model does not have stay NULL (never dereferenced: the branches below are
     * constant per model) */
    int32_t *restrict ie = delta ? NULL : S(alpha ? AXON_S_IF_CURR_ALPHA_ISYN_E : sie),
            *restrict ii = delta ? NULL : S(alpha ? AXON_S_IF_CURR_ALPHA_ISYN_I : sie + 1),
            *restrict ze = alpha ? S(AXON_S_IF_CURR_ALPHA_Z_E) : NULL,
            *restrict zi = alpha ? S(AXON_S_IF_CURR_ALPHA_Z_I) : NULL;
    const int32_t *restrict de = delta ? NULL : P(alpha ? AXON_P_IF_CURR_ALPHA_DECAY_E : pde),
                  *restrict ke = delta ? NULL : P(alpha ? AXON_P_IF_CURR_ALPHA_COEF_E : pde + 1),
                  *restrict di = delta ? NULL : P(alpha ? AXON_P_IF_CURR_ALPHA_DECAY_I : pde + 2),
                  *restrict ki = delta ? NULL : P(alpha ? AXON_P_IF_CURR_ALPHA_COEF_I : pde + 3);
    const int32_t *restrict ee = cond ? P(AXON_P_IF_COND_EXP_E_REV_E) : NULL,
                  *restrict ei = cond ? P(AXON_P_IF_COND_EXP_E_REV_I) : NULL;
    uint8_t *restrict spk = c->spk;
    uint64_t sat = 0;
    /* arrays of one core never overlap: let the compiler vectorise without alias checks */
#pragma GCC ivdep
    for (size_t i = 0; i < n; i++) {
        int32_t xe, xi, I, jump = 0;
        TAKE(rbe + i, she, xe, sat);
        TAKE(rbi + i, shi, xi, sat);
        const int32_t v0 = v[i];
        if (delta) {
            jump = SUB(xe, xi);
            I = ioff[i];
        } else {
            int32_t se, si;
            if (alpha) {
                ze[i] = ADD(ze[i], xe);
                zi[i] = ADD(zi[i], xi);
                se = ie[i];
                si = ii[i];
            } else {
                se = ADD(ie[i], MULU(xe, (uint32_t)ke[i]));
                si = ADD(ii[i], MULU(xi, (uint32_t)ki[i]));
            }
            if (cond) {
                I = ADD(ADD(MUL(se >> AXON_COND_SHIFT, SUB(ee[i], v0)),
                            MUL(si >> AXON_COND_SHIFT, SUB(ei[i], v0))),
                        ioff[i]);
            } else {
                I = ADD(SUB(se, si), ioff[i]);
            }
            /* 5. decay (uses this step's values; the update below does not change them) */
            if (alpha) {
                ie[i] = ADD(MULU(se, (uint32_t)de[i]), MULU(ze[i], (uint32_t)ke[i]));
                ii[i] = ADD(MULU(si, (uint32_t)di[i]), MULU(zi[i], (uint32_t)ki[i]));
                ze[i] = MULU(ze[i], (uint32_t)de[i]);
                zi[i] = MULU(zi[i], (uint32_t)di[i]);
            } else {
                ie[i] = MULU(se, (uint32_t)de[i]);
                ii[i] = MULU(si, (uint32_t)di[i]);
            }
        }
        /* 4. LIF update, threshold, reset, refractory */
        int32_t a = ADD(MUL(I, rm[i]), vr[i]);
        int32_t vn = SUB(a, MULU(SUB(a, v0), (uint32_t)tc[i]));
        if (delta)
            vn = ADD(vn, jump);
        int active = r[i] == 0;
        /* loads before the selects: a conditional load would stop vectorisation */
        const int32_t vres = vreset[i], tr = tref[i];
        int32_t vv = active ? vn : v0;
        int32_t rr = active ? 0 : (int32_t)((uint32_t)r[i] - 1u); /* refract is a u32 */
        int spike = vv >= vt[i];
        v[i] = spike ? vres : vv;
        r[i] = spike ? tr : rr;
        spk[i] = (uint8_t)spike;
    }
    c->cnt[AXON_CNT_CORE_SATURATIONS] += sat;
}

/* 4. Izhikevich, RK2 midpoint (Hopkins & Furber 2015), docs/spec/models.md for the order;
 * fused with transfer, exp synapses, sampling and decay like the LIF loop. */
static inline __attribute__((always_inline)) void izk_fused(core *c, uint32_t t)
{
    const uint32_t n = c->n, slot = t % AXON_SYN_RING_SLOTS;
    uint32_t *restrict rbe = c->rb + slot * c->rb_stride, *restrict rbi = rbe + n;
    const uint32_t she = c->shift[0], shi = c->shift[1];
    int32_t *restrict v = S(AXON_S_IZHIKEVICH_V), *restrict u = S(AXON_S_IZHIKEVICH_U),
            *restrict fl = S(AXON_S_IZHIKEVICH_FLAGS), *restrict ie = S(AXON_S_IZHIKEVICH_ISYN_E),
            *restrict ii = S(AXON_S_IZHIKEVICH_ISYN_I);
    const int32_t *restrict pa = P(AXON_P_IZHIKEVICH_A), *restrict pb = P(AXON_P_IZHIKEVICH_B),
                  *restrict pc = P(AXON_P_IZHIKEVICH_C), *restrict pd = P(AXON_P_IZHIKEVICH_D),
                  *restrict ioff = P(AXON_P_IZHIKEVICH_I_OFFSET), *restrict ph = P(AXON_P_IZHIKEVICH_H),
                  *restrict phs = P(AXON_P_IZHIKEVICH_H_SPIKE), *restrict vt = P(AXON_P_IZHIKEVICH_V_THRESH),
                  *restrict de = P(AXON_P_IZHIKEVICH_DECAY_E), *restrict ke = P(AXON_P_IZHIKEVICH_INIT_E),
                  *restrict di = P(AXON_P_IZHIKEVICH_DECAY_I), *restrict ki = P(AXON_P_IZHIKEVICH_INIT_I);
    const int32_t c004 = AXON_IZK_COEF_004, k5 = K(5), k140 = K(140);
    uint8_t *restrict spk = c->spk;
    uint64_t sat = 0;
#pragma GCC ivdep
    for (size_t i = 0; i < n; i++) {
        int32_t xe, xi;
        TAKE(rbe + i, she, xe, sat);
        TAKE(rbi + i, shi, xi, sat);
        int32_t se = ADD(ie[i], MULU(xe, (uint32_t)ke[i]));
        int32_t si = ADD(ii[i], MULU(xi, (uint32_t)ki[i]));
        int32_t V = v[i], U = u[i], a = pa[i], b = pb[i];
        int32_t I = ADD(SUB(se, si), ioff[i]);
        const int32_t hs = phs[i], h0 = ph[i], cc = pc[i], dd = pd[i];
        int32_t h = (fl[i] & 1) ? hs : h0;
        int32_t pre = SUB(ADD(k140, I), U);
        int32_t alph = ADD(pre, MUL(ADD(k5, MUL(c004, V)), V));
        int32_t eta = ADD(V, axon_half(MUL(h, alph)));
        int32_t beta = axon_half(MUL(MUL(h, SUB(MUL(b, V), U)), a));
        int32_t vn = ADD(V, MUL(h, ADD(SUB(pre, beta), MUL(ADD(k5, MUL(c004, eta)), eta))));
        int32_t un = ADD(U, MUL(MUL(a, h), SUB(SUB(MUL(b, eta), U), beta)));
        int spike = vn >= vt[i];
        v[i] = spike ? cc : vn;
        u[i] = spike ? ADD(un, dd) : un;
        fl[i] = spike;
        spk[i] = (uint8_t)spike;
        ie[i] = MULU(se, (uint32_t)de[i]);
        ii[i] = MULU(si, (uint32_t)di[i]);
    }
    c->cnt[AXON_CNT_CORE_SATURATIONS] += sat;
}

/* The fused loops are the engine's hot path: compiled for AVX-512 and AVX2 as well as the
 * baseline, the best one chosen at load time (GCC function multi-versioning); integer
 * arithmetic gives the same bits on every path. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && !defined(AXON_NO_CLONES)
__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#endif
static void step_fixed(core *c, uint32_t t, int sampling)
{
    if (sampling)
        sample_fixed(c, t);
    switch (c->model) {
    case AXON_MODEL_IF_CURR_EXP: lif_fused(c, t, AXON_MODEL_IF_CURR_EXP); break;
    case AXON_MODEL_IF_COND_EXP: lif_fused(c, t, AXON_MODEL_IF_COND_EXP); break;
    case AXON_MODEL_IF_CURR_ALPHA: lif_fused(c, t, AXON_MODEL_IF_CURR_ALPHA); break;
    case AXON_MODEL_IF_CURR_DELTA: lif_fused(c, t, AXON_MODEL_IF_CURR_DELTA); break;
    case AXON_MODEL_IZHIKEVICH: izk_fused(c, t); break;
    default: break; /* unreachable: validated */
    }
}

/* ---------------- float64: the same equations without rounding ---------------- */

static void exp_add_d(core *c, int se, int si, int pe, int pi)
{
    double *ie = SD(se), *ii = SD(si);
    const double *ke = PD(pe), *ki = PD(pi), *xe = c->ind, *xi = c->ind + c->n;
    for (uint32_t i = 0; i < c->n; i++) {
        ie[i] += xe[i] * ke[i];
        ii[i] += xi[i] * ki[i];
    }
}

static void exp_decay_d(core *c, int se, int si, int pe, int pi)
{
    double *ie = SD(se), *ii = SD(si);
    const double *de = PD(pe), *di = PD(pi);
    for (uint32_t i = 0; i < c->n; i++) {
        ie[i] *= de[i];
        ii[i] *= di[i];
    }
}

static void alpha_decay1_d(core *c, int s_i, int s_z, int p_d, int p_c)
{
    double *is = SD(s_i), *z = SD(s_z);
    const double *d = PD(p_d), *k = PD(p_c);
    for (uint32_t i = 0; i < c->n; i++) {
        is[i] = is[i] * d[i] + z[i] * k[i];
        z[i] *= d[i];
    }
}

static void sample_d(core *c, const double *ge, const double *gi, double gscale)
{
    const double *v = SD(0);
    uint32_t k = 0;
    for (uint32_t j = 0; j < c->rec_n[AXON_REC_V]; j++)
        c->smpd[k++] = v[c->rec_idx[AXON_REC_V][j]];
    for (uint32_t j = 0; j < c->rec_n[AXON_REC_GSYN_EXC]; j++)
        c->smpd[k++] = ge[c->rec_idx[AXON_REC_GSYN_EXC][j]] * gscale;
    for (uint32_t j = 0; j < c->rec_n[AXON_REC_GSYN_INH]; j++)
        c->smpd[k++] = gi[c->rec_idx[AXON_REC_GSYN_INH][j]] * gscale;
}

static void lif_update_d(core *c, int delta)
{
    double *v = SD(LIF_S(V)), *r = SD(LIF_S(REFRACT));
    const double *vr = PD(LIF_P(V_REST)), *rm = PD(LIF_P(R_MEMBRANE)), *tc = PD(LIF_P(EXP_TC)),
                 *vreset = PD(LIF_P(V_RESET)), *vt = PD(LIF_P(V_THRESH)),
                 *tref = PD(LIF_P(T_REFRAC)), *ioff = PD(LIF_P(I_OFFSET));
    for (uint32_t i = 0; i < c->n; i++) {
        double I = delta ? ioff[i] : c->isynd[i] + ioff[i];
        double a = I * rm[i] + vr[i];
        double vn = a - (a - v[i]) * tc[i] + (delta ? c->isynd[i] : 0.0);
        int active = r[i] == 0;
        double vv = active ? vn : v[i];
        double rr = active ? 0 : r[i] - 1;
        int spike = vv >= vt[i];
        v[i] = spike ? vreset[i] : vv;
        r[i] = spike ? tref[i] : rr;
        c->spk[i] = (uint8_t)spike;
    }
}

static void izk_update_d(core *c)
{
    double *v = SD(AXON_S_IZHIKEVICH_V), *u = SD(AXON_S_IZHIKEVICH_U),
           *fl = SD(AXON_S_IZHIKEVICH_FLAGS);
    const double *pa = PD(AXON_P_IZHIKEVICH_A), *pb = PD(AXON_P_IZHIKEVICH_B),
                 *pc = PD(AXON_P_IZHIKEVICH_C), *pd = PD(AXON_P_IZHIKEVICH_D),
                 *ioff = PD(AXON_P_IZHIKEVICH_I_OFFSET), *ph = PD(AXON_P_IZHIKEVICH_H),
                 *phs = PD(AXON_P_IZHIKEVICH_H_SPIKE), *vt = PD(AXON_P_IZHIKEVICH_V_THRESH);
    for (uint32_t i = 0; i < c->n; i++) {
        double I = c->isynd[i] + ioff[i];
        double h = fl[i] != 0 ? phs[i] : ph[i];
        double V = v[i], U = u[i], a = pa[i], b = pb[i];
        double pre = 140.0 + I - U;
        double alpha = pre + (5.0 + 0.04 * V) * V;
        double eta = V + h * alpha / 2;
        double beta = h * (b * V - U) * a / 2;
        double vn = V + h * (pre - beta + (5.0 + 0.04 * eta) * eta);
        double un = U + a * h * (b * eta - U - beta);
        int spike = vn >= vt[i];
        v[i] = spike ? pc[i] : vn;
        u[i] = spike ? un + pd[i] : un;
        fl[i] = spike;
        c->spk[i] = (uint8_t)spike;
    }
}

static void curr_isyn_d(core *c, int se, int si)
{
    const double *ie = SD(se), *ii = SD(si);
    for (uint32_t i = 0; i < c->n; i++)
        c->isynd[i] = ie[i] - ii[i];
}

static void step_f64(core *c, int sampling)
{
    const uint32_t n = c->n;
    const double cs = 1.0 / (1 << AXON_COND_SHIFT);
    switch (c->model) {
    case AXON_MODEL_IF_CURR_EXP:
        exp_add_d(c, AXON_S_IF_CURR_EXP_ISYN_E, AXON_S_IF_CURR_EXP_ISYN_I,
                  AXON_P_IF_CURR_EXP_INIT_E, AXON_P_IF_CURR_EXP_INIT_I);
        if (sampling)
            sample_d(c, SD(AXON_S_IF_CURR_EXP_ISYN_E), SD(AXON_S_IF_CURR_EXP_ISYN_I), 1.0);
        curr_isyn_d(c, AXON_S_IF_CURR_EXP_ISYN_E, AXON_S_IF_CURR_EXP_ISYN_I);
        lif_update_d(c, 0);
        exp_decay_d(c, AXON_S_IF_CURR_EXP_ISYN_E, AXON_S_IF_CURR_EXP_ISYN_I,
                    AXON_P_IF_CURR_EXP_DECAY_E, AXON_P_IF_CURR_EXP_DECAY_I);
        break;
    case AXON_MODEL_IF_COND_EXP: {
        exp_add_d(c, AXON_S_IF_COND_EXP_ISYN_E, AXON_S_IF_COND_EXP_ISYN_I,
                  AXON_P_IF_COND_EXP_INIT_E, AXON_P_IF_COND_EXP_INIT_I);
        if (sampling)
            sample_d(c, SD(AXON_S_IF_COND_EXP_ISYN_E), SD(AXON_S_IF_COND_EXP_ISYN_I), cs);
        const double *ge = SD(AXON_S_IF_COND_EXP_ISYN_E), *gi = SD(AXON_S_IF_COND_EXP_ISYN_I);
        const double *ee = PD(AXON_P_IF_COND_EXP_E_REV_E), *ei = PD(AXON_P_IF_COND_EXP_E_REV_I);
        const double *v = SD(0);
        for (uint32_t i = 0; i < n; i++)
            c->isynd[i] = ge[i] * cs * (ee[i] - v[i]) + gi[i] * cs * (ei[i] - v[i]);
        lif_update_d(c, 0);
        exp_decay_d(c, AXON_S_IF_COND_EXP_ISYN_E, AXON_S_IF_COND_EXP_ISYN_I,
                    AXON_P_IF_COND_EXP_DECAY_E, AXON_P_IF_COND_EXP_DECAY_I);
        break;
    }
    case AXON_MODEL_IF_CURR_ALPHA: {
        double *ze = SD(AXON_S_IF_CURR_ALPHA_Z_E), *zi = SD(AXON_S_IF_CURR_ALPHA_Z_I);
        for (uint32_t i = 0; i < n; i++) {
            ze[i] += c->ind[i];
            zi[i] += c->ind[n + i];
        }
        if (sampling)
            sample_d(c, SD(AXON_S_IF_CURR_ALPHA_ISYN_E), SD(AXON_S_IF_CURR_ALPHA_ISYN_I), 1.0);
        curr_isyn_d(c, AXON_S_IF_CURR_ALPHA_ISYN_E, AXON_S_IF_CURR_ALPHA_ISYN_I);
        lif_update_d(c, 0);
        alpha_decay1_d(c, AXON_S_IF_CURR_ALPHA_ISYN_E, AXON_S_IF_CURR_ALPHA_Z_E,
                       AXON_P_IF_CURR_ALPHA_DECAY_E, AXON_P_IF_CURR_ALPHA_COEF_E);
        alpha_decay1_d(c, AXON_S_IF_CURR_ALPHA_ISYN_I, AXON_S_IF_CURR_ALPHA_Z_I,
                       AXON_P_IF_CURR_ALPHA_DECAY_I, AXON_P_IF_CURR_ALPHA_COEF_I);
        break;
    }
    case AXON_MODEL_IF_CURR_DELTA:
        if (sampling)
            sample_d(c, c->ind, c->ind + n, 1.0);
        for (uint32_t i = 0; i < n; i++)
            c->isynd[i] = c->ind[i] - c->ind[n + i];
        lif_update_d(c, 1);
        break;
    case AXON_MODEL_IZHIKEVICH:
        exp_add_d(c, AXON_S_IZHIKEVICH_ISYN_E, AXON_S_IZHIKEVICH_ISYN_I, AXON_P_IZHIKEVICH_INIT_E,
                  AXON_P_IZHIKEVICH_INIT_I);
        if (sampling)
            sample_d(c, SD(AXON_S_IZHIKEVICH_ISYN_E), SD(AXON_S_IZHIKEVICH_ISYN_I), 1.0);
        curr_isyn_d(c, AXON_S_IZHIKEVICH_ISYN_E, AXON_S_IZHIKEVICH_ISYN_I);
        izk_update_d(c);
        exp_decay_d(c, AXON_S_IZHIKEVICH_ISYN_E, AXON_S_IZHIKEVICH_ISYN_I,
                    AXON_P_IZHIKEVICH_DECAY_E, AXON_P_IZHIKEVICH_DECAY_I);
        break;
    default:
        break;
    }
}

void core_neuron_update(core *c, uint32_t t)
{
    int sampling = core_sampling(c, t);
    if (c->f64) {
        transfer_f64(c, t);
        step_f64(c, sampling);
    } else {
        step_fixed(c, t, sampling);
    }
    uint32_t n_rec = 0, i = 0;
    const uint8_t *spk = c->spk;
    for (; i + 8 <= c->n; i += 8) { /* spikes are rare: skip 8 quiet neurons at a time */
        uint64_t eight;
        memcpy(&eight, spk + i, sizeof eight);
        if (!eight)
            continue;
        for (uint32_t k = i; k < i + 8; k++)
            if (spk[k]) {
                core_emit(c, k);
                core_plast_post(c, k, t);
                if (c->rec_spk[k])
                    c->rec_tmp[n_rec++] = k;
            }
    }
    for (; i < c->n; i++)
        if (spk[i]) {
            core_emit(c, i);
            core_plast_post(c, i, t);
            if (c->rec_spk[i])
                c->rec_tmp[n_rec++] = i;
        }
    core_rec_block(c, t, c->rec_tmp, n_rec, sampling);
}

/* ---------------- golden functions for the RTL testbenches (axon/golden.h) ---------------- */

#define GOLDEN_WORDS(M) AXON_P_##M##_WORDS <= AXON_GOLDEN_MAX_WORDS && AXON_S_##M##_WORDS <= AXON_GOLDEN_MAX_WORDS &&
_Static_assert(AXON_MODELS_XLIST(GOLDEN_WORDS) 1, "AXON_GOLDEN_MAX_WORDS too small");
#undef GOLDEN_WORDS

uint32_t axon_golden_param_words(uint32_t model)
{
#define X(M)                                                                                   \
    case AXON_MODEL_##M: return AXON_P_##M##_WORDS;
    switch (model) {
        AXON_MODELS_XLIST(X)
    default: return 0;
    }
#undef X
}

uint32_t axon_golden_state_words(uint32_t model)
{
#define X(M)                                                                                   \
    case AXON_MODEL_##M: return AXON_S_##M##_WORDS;
    switch (model) {
        AXON_MODELS_XLIST(X)
    default: return 0;
    }
#undef X
}

/* The engine's step_fixed() on a transient core of one neuron, step 0 (ring-buffer slot 0),
 * with v, gsyn_exc and gsyn_inh sampled. */
int axon_golden_neuron_step(uint32_t model, uint32_t weight_shift, const uint32_t *param,
                            uint32_t *state, uint32_t rb_exc, uint32_t rb_inh,
                            axon_golden_neuron_out *out)
{
    const uint32_t pw = axon_golden_param_words(model), sw = axon_golden_state_words(model);
    if (!pw || !sw)
        return AXON_ERR_UNSUPPORTED;
    int32_t p[AXON_GOLDEN_MAX_WORDS], s[AXON_GOLDEN_MAX_WORDS], smp[AXON_N_REC_VARS];
    uint32_t rb[AXON_SYN_N_TYPES] = {rb_exc, rb_inh}, idx0 = 0;
    uint8_t spk = 0;
    core c;
    memset(&c, 0, sizeof c);
    c.kind = AXON_KIND_NEURON;
    c.model = model;
    c.n = 1;
    c.pw = pw;
    c.sw = sw;
    for (uint32_t t = 0; t < AXON_SYN_N_TYPES; t++)
        c.shift[t] = core_weight_shift(weight_shift, t);
    for (uint32_t k = 0; k < pw; k++)
        p[k] = (int32_t)param[k];
    for (uint32_t k = 0; k < sw; k++)
        s[k] = (int32_t)state[k];
    c.p = p;
    c.s = s;
    c.rb = rb;
    c.rb_stride = AXON_SYN_N_TYPES;
    c.rec_interval = 1;
    const uint32_t vars[3] = {AXON_REC_V, AXON_REC_GSYN_EXC, AXON_REC_GSYN_INH};
    for (uint32_t j = 0; j < 3; j++) { /* sampled in this order: smp[0..2] */
        c.rec_flags |= 1u << vars[j];
        c.rec_idx[vars[j]] = &idx0;
        c.rec_n[vars[j]] = 1;
    }
    c.smp = smp;
    c.smp_n = 3;
    c.spk = &spk;
    step_fixed(&c, 0, 1);
    for (uint32_t j = 0; j < sw; j++)
        state[j] = (uint32_t)s[j];
    out->v_sample = smp[0];
    out->gsyn_exc = smp[1];
    out->gsyn_inh = smp[2];
    out->spike = spk;
    out->saturations = (uint32_t)c.cnt[AXON_CNT_CORE_SATURATIONS];
    return 0;
}
