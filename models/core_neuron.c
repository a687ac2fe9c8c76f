/* Neuron cores: the per-step pipeline of docs/spec/models.md, in fixed point (the
 * definition) and in float64 (accuracy studies).
 *
 * Step t, for every neuron (each phase is one loop over the core's SoA arrays):
 *   1. transfer: ring-buffer slot t of each synapse type -> input = min(rb, 0xFFFF) << shift;
 *      the slot is cleared; a slot that overflowed counts one saturation;
 *   2. synapse add: exp isyn += input * init; alpha z += input; delta jump = in_e - in_i;
 *   3. sample (if t % interval == 0): v (start of step), gsyn_exc, gsyn_inh;
 *   4. input type + neuron update + threshold (reset, refractory), spikes collected;
 *   5. synapse decay: exp isyn *= decay; alpha isyn = isyn*decay + z*coef, z *= decay. */
#include "core.h"

#include <math.h>

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

/* 1. ring buffer -> input */
static void transfer(core *c, uint32_t t)
{
    const uint32_t n = c->n, slot = t % AXON_SYN_RING_SLOTS;
    uint64_t sat = 0;
    for (uint32_t type = 0; type < AXON_SYN_N_TYPES; type++) {
        uint32_t *rb = c->rb + ((size_t)slot * AXON_SYN_N_TYPES + type) * n;
        const uint32_t sh = c->shift[type];
        if (c->f64) {
            double *in = c->ind + (size_t)type * n;
            for (uint32_t i = 0; i < n; i++) {
                uint32_t v = rb[i];
                sat += v >> 16;
                in[i] = (double)((v - (v >> 16)) << sh) / 32768.0;
                rb[i] = 0;
            }
        } else {
            int32_t *in = c->in + (size_t)type * n;
            for (uint32_t i = 0; i < n; i++) {
                uint32_t v = rb[i];
                sat += v >> 16; /* capped at 0x10000: bit 16 set means it overflowed */
                in[i] = (int32_t)((v - (v >> 16)) << sh);
                rb[i] = 0;
            }
        }
    }
    c->cnt[AXON_CNT_CORE_SATURATIONS] += sat;
}

/* ---------------- fixed point ---------------- */

static void exp_add(core *c, int se, int si, int pe, int pi)
{
    int32_t *ie = S(se), *ii = S(si);
    const int32_t *ke = P(pe), *ki = P(pi), *xe = c->in, *xi = c->in + c->n;
    for (uint32_t i = 0; i < c->n; i++) {
        ie[i] = ADD(ie[i], MULU(xe[i], (uint32_t)ke[i]));
        ii[i] = ADD(ii[i], MULU(xi[i], (uint32_t)ki[i]));
    }
}

static void exp_decay(core *c, int se, int si, int pe, int pi)
{
    int32_t *ie = S(se), *ii = S(si);
    const int32_t *de = P(pe), *di = P(pi);
    for (uint32_t i = 0; i < c->n; i++) {
        ie[i] = MULU(ie[i], (uint32_t)de[i]);
        ii[i] = MULU(ii[i], (uint32_t)di[i]);
    }
}

static void alpha_add(core *c)
{
    int32_t *ze = S(AXON_S_IF_CURR_ALPHA_Z_E), *zi = S(AXON_S_IF_CURR_ALPHA_Z_I);
    const int32_t *xe = c->in, *xi = c->in + c->n;
    for (uint32_t i = 0; i < c->n; i++) {
        ze[i] = ADD(ze[i], xe[i]);
        zi[i] = ADD(zi[i], xi[i]);
    }
}

static void alpha_decay1(core *c, int s_i, int s_z, int p_d, int p_c)
{
    int32_t *is = S(s_i), *z = S(s_z);
    const int32_t *d = P(p_d), *k = P(p_c);
    for (uint32_t i = 0; i < c->n; i++) {
        is[i] = ADD(MULU(is[i], (uint32_t)d[i]), MULU(z[i], (uint32_t)k[i]));
        z[i] = MULU(z[i], (uint32_t)d[i]);
    }
}

/* isyn = exc - inh (current input) */
static void curr_isyn(core *c, int se, int si)
{
    const int32_t *ie = S(se), *ii = S(si);
    for (uint32_t i = 0; i < c->n; i++)
        c->isyn[i] = SUB(ie[i], ii[i]);
}

/* conductance input: g = s >> 10; I = g_e (E_e - V) + g_i (E_i - V), V from the step's start */
static void cond_isyn(core *c)
{
    const int32_t *ge = S(AXON_S_IF_COND_EXP_ISYN_E), *gi = S(AXON_S_IF_COND_EXP_ISYN_I);
    const int32_t *ee = P(AXON_P_IF_COND_EXP_E_REV_E), *ei = P(AXON_P_IF_COND_EXP_E_REV_I);
    const int32_t *v = S(0);
    for (uint32_t i = 0; i < c->n; i++)
        c->isyn[i] = ADD(MUL(ge[i] >> AXON_COND_SHIFT, SUB(ee[i], v[i])),
                         MUL(gi[i] >> AXON_COND_SHIFT, SUB(ei[i], v[i])));
}

/* delta: the jump (mV) is this step's input, exc - inh; no synaptic current */
static void delta_isyn(core *c)
{
    for (uint32_t i = 0; i < c->n; i++)
        c->isyn[i] = SUB(c->in[i], c->in[c->n + i]);
}

/* 3. sampling: v, then gsyn_exc, then gsyn_inh, each over its recorded neurons */
static void sample(core *c, const int32_t *ge, const int32_t *gi, unsigned gshift)
{
    const int32_t *v = S(0);
    uint32_t k = 0;
    for (uint32_t j = 0; j < c->rec_n[AXON_REC_V]; j++)
        c->smp[k++] = v[c->rec_idx[AXON_REC_V][j]];
    for (uint32_t j = 0; j < c->rec_n[AXON_REC_GSYN_EXC]; j++)
        c->smp[k++] = ge[c->rec_idx[AXON_REC_GSYN_EXC][j]] >> gshift;
    for (uint32_t j = 0; j < c->rec_n[AXON_REC_GSYN_INH]; j++)
        c->smp[k++] = gi[c->rec_idx[AXON_REC_GSYN_INH][j]] >> gshift;
}

/* 4. LIF: if not refractory V = a - exp_tc (a - V) [+ jump], a = I R + v_rest, I = isyn +
 * i_offset; else count down. Spike when V >= v_thresh: V = v_reset, timer = t_refrac. */
static inline void lif_update(core *c, int delta)
{
    int32_t *v = S(LIF_S(V)), *r = S(LIF_S(REFRACT));
    const int32_t *vr = P(LIF_P(V_REST)), *rm = P(LIF_P(R_MEMBRANE)), *tc = P(LIF_P(EXP_TC)),
                  *vreset = P(LIF_P(V_RESET)), *vt = P(LIF_P(V_THRESH)),
                  *tref = P(LIF_P(T_REFRAC)), *ioff = P(LIF_P(I_OFFSET));
    for (uint32_t i = 0; i < c->n; i++) {
        int32_t I = delta ? ioff[i] : ADD(c->isyn[i], ioff[i]);
        int32_t a = ADD(MUL(I, rm[i]), vr[i]);
        int32_t vn = SUB(a, MULU(SUB(a, v[i]), (uint32_t)tc[i]));
        if (delta)
            vn = ADD(vn, c->isyn[i]);
        int active = r[i] == 0;
        int32_t vv = active ? vn : v[i];
        int32_t rr = active ? 0 : (int32_t)((uint32_t)r[i] - 1u); /* refract is a u32 */
        int spike = vv >= vt[i];
        v[i] = spike ? vreset[i] : vv;
        r[i] = spike ? tref[i] : rr;
        c->spk[i] = (uint8_t)spike;
    }
}

/* 4. Izhikevich, RK2 midpoint (Hopkins & Furber 2015), docs/spec/models.md for the order. */
static void izk_update(core *c)
{
    int32_t *v = S(AXON_S_IZHIKEVICH_V), *u = S(AXON_S_IZHIKEVICH_U),
            *fl = S(AXON_S_IZHIKEVICH_FLAGS);
    const int32_t *pa = P(AXON_P_IZHIKEVICH_A), *pb = P(AXON_P_IZHIKEVICH_B),
                  *pc = P(AXON_P_IZHIKEVICH_C), *pd = P(AXON_P_IZHIKEVICH_D),
                  *ioff = P(AXON_P_IZHIKEVICH_I_OFFSET), *ph = P(AXON_P_IZHIKEVICH_H),
                  *phs = P(AXON_P_IZHIKEVICH_H_SPIKE), *vt = P(AXON_P_IZHIKEVICH_V_THRESH);
    const int32_t c004 = AXON_IZK_COEF_004, k5 = K(5), k140 = K(140);
    for (uint32_t i = 0; i < c->n; i++) {
        int32_t I = ADD(c->isyn[i], ioff[i]);
        int32_t h = (fl[i] & 1) ? phs[i] : ph[i];
        int32_t V = v[i], U = u[i], a = pa[i], b = pb[i];
        int32_t pre = SUB(ADD(k140, I), U);
        int32_t alpha = ADD(pre, MUL(ADD(k5, MUL(c004, V)), V));
        int32_t eta = ADD(V, axon_half(MUL(h, alpha)));
        int32_t beta = axon_half(MUL(MUL(h, SUB(MUL(b, V), U)), a));
        int32_t vn = ADD(V, MUL(h, ADD(SUB(pre, beta), MUL(ADD(k5, MUL(c004, eta)), eta))));
        int32_t un = ADD(U, MUL(MUL(a, h), SUB(SUB(MUL(b, eta), U), beta)));
        int spike = vn >= vt[i];
        v[i] = spike ? pc[i] : vn;
        u[i] = spike ? ADD(un, pd[i]) : un;
        fl[i] = spike;
        c->spk[i] = (uint8_t)spike;
    }
}

static void step_fixed(core *c, int sampling)
{
    switch (c->model) {
    case AXON_MODEL_IF_CURR_EXP:
        exp_add(c, AXON_S_IF_CURR_EXP_ISYN_E, AXON_S_IF_CURR_EXP_ISYN_I,
                AXON_P_IF_CURR_EXP_INIT_E, AXON_P_IF_CURR_EXP_INIT_I);
        if (sampling)
            sample(c, S(AXON_S_IF_CURR_EXP_ISYN_E), S(AXON_S_IF_CURR_EXP_ISYN_I), 0);
        curr_isyn(c, AXON_S_IF_CURR_EXP_ISYN_E, AXON_S_IF_CURR_EXP_ISYN_I);
        lif_update(c, 0);
        exp_decay(c, AXON_S_IF_CURR_EXP_ISYN_E, AXON_S_IF_CURR_EXP_ISYN_I,
                  AXON_P_IF_CURR_EXP_DECAY_E, AXON_P_IF_CURR_EXP_DECAY_I);
        break;
    case AXON_MODEL_IF_COND_EXP:
        exp_add(c, AXON_S_IF_COND_EXP_ISYN_E, AXON_S_IF_COND_EXP_ISYN_I,
                AXON_P_IF_COND_EXP_INIT_E, AXON_P_IF_COND_EXP_INIT_I);
        if (sampling)
            sample(c, S(AXON_S_IF_COND_EXP_ISYN_E), S(AXON_S_IF_COND_EXP_ISYN_I), AXON_COND_SHIFT);
        cond_isyn(c);
        lif_update(c, 0);
        exp_decay(c, AXON_S_IF_COND_EXP_ISYN_E, AXON_S_IF_COND_EXP_ISYN_I,
                  AXON_P_IF_COND_EXP_DECAY_E, AXON_P_IF_COND_EXP_DECAY_I);
        break;
    case AXON_MODEL_IF_CURR_ALPHA:
        alpha_add(c);
        if (sampling)
            sample(c, S(AXON_S_IF_CURR_ALPHA_ISYN_E), S(AXON_S_IF_CURR_ALPHA_ISYN_I), 0);
        curr_isyn(c, AXON_S_IF_CURR_ALPHA_ISYN_E, AXON_S_IF_CURR_ALPHA_ISYN_I);
        lif_update(c, 0);
        alpha_decay1(c, AXON_S_IF_CURR_ALPHA_ISYN_E, AXON_S_IF_CURR_ALPHA_Z_E,
                     AXON_P_IF_CURR_ALPHA_DECAY_E, AXON_P_IF_CURR_ALPHA_COEF_E);
        alpha_decay1(c, AXON_S_IF_CURR_ALPHA_ISYN_I, AXON_S_IF_CURR_ALPHA_Z_I,
                     AXON_P_IF_CURR_ALPHA_DECAY_I, AXON_P_IF_CURR_ALPHA_COEF_I);
        break;
    case AXON_MODEL_IF_CURR_DELTA:
        if (sampling)
            sample(c, c->in, c->in + c->n, 0);
        delta_isyn(c);
        lif_update(c, 1);
        break;
    case AXON_MODEL_IZHIKEVICH:
        exp_add(c, AXON_S_IZHIKEVICH_ISYN_E, AXON_S_IZHIKEVICH_ISYN_I, AXON_P_IZHIKEVICH_INIT_E,
                AXON_P_IZHIKEVICH_INIT_I);
        if (sampling)
            sample(c, S(AXON_S_IZHIKEVICH_ISYN_E), S(AXON_S_IZHIKEVICH_ISYN_I), 0);
        curr_isyn(c, AXON_S_IZHIKEVICH_ISYN_E, AXON_S_IZHIKEVICH_ISYN_I);
        izk_update(c);
        exp_decay(c, AXON_S_IZHIKEVICH_ISYN_E, AXON_S_IZHIKEVICH_ISYN_I, AXON_P_IZHIKEVICH_DECAY_E,
                  AXON_P_IZHIKEVICH_DECAY_I);
        break;
    default:
        break; /* unreachable: validated */
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
    transfer(c, t);
    if (c->f64)
        step_f64(c, sampling);
    else
        step_fixed(c, sampling);
    uint32_t n_rec = 0;
    for (uint32_t i = 0; i < c->n; i++) {
        if (!c->spk[i])
            continue;
        core_emit(c, i);
        if (c->rec_spk[i])
            c->rec_tmp[n_rec++] = i;
    }
    core_rec_block(c, t, c->rec_tmp, n_rec, sampling);
}
