/* Neuron models (docs/spec/models.md) against closed-form and high-precision solutions.
 *
 * Every tolerance is derived from the arithmetic (docs/spec/arithmetic.md), not chosen:
 *   - LSB = 2^-15 (s16.15), ULSB = 2^-32 (u0.32);
 *   - every floor (mul, mulu, half, >>) is off by less than 1 LSB, always downwards;
 *   - an error injected in a state that is multiplied by a factor r < 1 every step (exp_tc,
 *     a synaptic decay) is contracted, so k LSB injected per step accumulate to at most
 *     k / (1 - r) LSB;
 *   - a parameter rounded to nearest is off by at most 0.5 LSB (0.5 ULSB for u0.32), which
 *     moves the result by |dParam| x (the result's sensitivity to that parameter).
 * Where such a bound is loose, the test also checks an exact property: bit-exact equality
 * with an integer recurrence written here from docs/spec/models.md (own arithmetic below, not
 * include/axon/fixed.h), so a one-LSB change of any operation or parameter fails.
 *
 * Set AXON_TEST_REPORT=1 to print the measured maximum errors next to their bounds. */
#include "tnet.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef M_E /* not in strict C11 */
#define M_E 2.71828182845904523536
#endif

#define LSB (1.0 / 32768.0)       /* s16.15 resolution */
#define ULSB (1.0 / 4294967296.0) /* u0.32 resolution */
#define CORE(c) (1u << (AXON_ROUTE_CORE_LSB + (c)))
#define SRC_KEY 0x20000u
#define NRN_KEY 0x10000u

static void report(const char *fmt, ...)
{
    if (!getenv("AXON_TEST_REPORT"))
        return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* ---------------- own fixed-point arithmetic (from docs/spec/arithmetic.md) ------------- */

/* floor(p / 2^k) without relying on the compiler's shift of negative numbers */
static int64_t floor_pow2(int64_t p, int k)
{
    int64_t d = (int64_t)1 << k, q = p / d;
    if (p % d != 0 && p < 0)
        q--;
    return q;
}
static int32_t wrap32(int64_t x) { return (int32_t)(uint32_t)(uint64_t)x; }
static int32_t f_add(int32_t a, int32_t b) { return wrap32((int64_t)a + b); }
static int32_t f_sub(int32_t a, int32_t b) { return wrap32((int64_t)a - b); }
static int32_t f_mul(int32_t a, int32_t b) { return wrap32(floor_pow2((int64_t)a * b, 15)); }
static int32_t f_mulu(int32_t a, uint32_t d) { return wrap32(floor_pow2((int64_t)a * d, 32)); }
static int32_t f_half(int32_t a) { return (int32_t)floor_pow2(a, 1); }
static int32_t f_shr(int32_t a, int k) { return (int32_t)floor_pow2(a, k); }

/* host conversions: round to nearest, ties away from zero; u0.32 1.0 -> 0xFFFFFFFF */
static int32_t q_s(double v) { return (int32_t)llround(v * 32768.0); }
static uint32_t q_u(double v)
{
    double r = round(v * 4294967296.0);
    return r >= 4294967296.0 ? 0xFFFFFFFFu : (uint32_t)r;
}
static double d_s(int32_t w) { return w / 32768.0; }
static double d_u(uint32_t w) { return w / 4294967296.0; }

/* max over n >= 1 of n r^(n-1): the sensitivity of r^n to r */
static double max_n_pow(double r)
{
    double best = 0;
    for (int n = 1; n < 1000000; n++) {
        double v = n * pow(r, n - 1);
        if (v > best)
            best = v;
        else if (n > 10)
            break;
    }
    return best;
}

/* ---------------- PyNN parameters by name ---------------- */

typedef struct pset {
    const axon_model_info *m;
    double p[16], in[8];
} pset;

static pset pset_new(const char *model)
{
    pset s;
    memset(&s, 0, sizeof s);
    s.m = axon_model_find(model);
    cr_assert_not_null(s.m, "model %s exists", model);
    for (uint32_t i = 0; i < s.m->n_params; i++)
        s.p[i] = s.m->params[i].def;
    for (uint32_t i = 0; i < s.m->n_inits; i++)
        s.in[i] = s.m->inits[i].def;
    return s;
}
static void setp(pset *s, const char *name, double v)
{
    int k = axon_model_param_index(s->m, name);
    cr_assert_geq(k, 0, "%s has a parameter %s", s->m->name, name);
    s->p[k] = v;
}
static double getp(const pset *s, const char *name)
{
    int k = axon_model_param_index(s->m, name);
    cr_assert_geq(k, 0, "%s has a parameter %s", s->m->name, name);
    return s->p[k];
}
static void seti(pset *s, const char *name, double v)
{
    int k = axon_model_init_index(s->m, name);
    cr_assert_geq(k, 0, "%s has an initial value %s", s->m->name, name);
    s->in[k] = v;
}
static double geti(const pset *s, const char *name)
{
    int k = axon_model_init_index(s->m, name);
    cr_assert_geq(k, 0, "%s has an initial value %s", s->m->name, name);
    return s->in[k];
}

/* ---------------- running a network: neurons on core 0, a spike array on core 1 -------- */

typedef struct net {
    const pset *ps;      /* one parameter set per neuron */
    uint32_t n;
    double dt;
    uint32_t steps, rec_interval;
    int f64;
    const uint32_t *ev;  /* spike-array events (step, index) */
    uint32_t n_ev, n_src;
    const tnet_syn *syn;
    uint32_t n_syn;
    uint32_t shift[2];
} net;

typedef struct out {
    tnet_rec r;
    uint32_t n, ri;
    uint32_t pblock[64 * 16], sblock[64 * 8]; /* the image's parameter / state blocks */
} out;

static void net_run(const net *s, out *o)
{
    memset(o, 0, sizeof *o);
    const axon_model_info *m = s->ps[0].m;
    cr_assert_leq(s->n, 64);
    tnet *t = tnet_new(1, 1, 2, s->dt, 0);
    double *p = malloc(sizeof(double) * s->n * m->n_params);
    double *in = malloc(sizeof(double) * s->n * (m->n_inits + 1));
    for (uint32_t i = 0; i < s->n; i++) {
        memcpy(p + i * m->n_params, s->ps[i].p, sizeof(double) * m->n_params);
        memcpy(in + i * m->n_inits, s->ps[i].in, sizeof(double) * m->n_inits);
    }
    o->ri = s->rec_interval ? s->rec_interval : 1;
    int g = tnet_neurons(t, 0, 0, 0, m->name, s->n, p, in, NRN_KEY, 0xF, o->ri);
    free(p);
    free(in);
    cr_assert_geq(g, 0, "neuron core built (%d)", g);
    tnet_weight_shift(t, g, 0, s->shift[0]);
    tnet_weight_shift(t, g, 1, s->shift[1]);
    if (s->n_ev) {
        int src = tnet_array(t, 0, 0, 1, s->n_src, s->ev, s->n_ev, SRC_KEY, 0);
        cr_assert_geq(src, 0);
        tnet_connect(t, src, g, s->syn, s->n_syn, 0, 0);
        tnet_route(t, 0, 0, SRC_KEY, 0xFFFFFF00u, CORE(0));
    }
    axon_image *img = tnet_image(t);
    cr_assert_not_null(img);
    const uint32_t *w;
    uint32_t nw;
    cr_assert_eq(axon_image_get_core(img, 0, 0, 0, &w, &nw), AXON_OK);
    memcpy(o->pblock, w + w[AXON_CORE_H_PARAM_OFF], sizeof(uint32_t) * s->n * m->param_words);
    memcpy(o->sblock, w + w[AXON_CORE_H_STATE_OFF], sizeof(uint32_t) * s->n * m->state_words);
    axon_engine *e;
    char err[AXON_ERRMSG_LEN];
    axon_engine_opts opts = {s->f64 ? AXON_ARITH_FLOAT64 : AXON_ARITH_FIXED, 1};
    cr_assert_eq(axon_engine_create(&e, img, &opts, err), AXON_OK, "engine: %s", err);
    axon_image_destroy(img);
    cr_assert_eq(axon_engine_run(e, s->steps), AXON_OK);
    cr_assert_eq(tnet_rec_read(e, 0, 0, 0, s->f64, &o->r), AXON_OK);
    axon_engine_destroy(e);
    tnet_free(t);
    o->n = s->n;
    cr_assert_eq(o->r.n_samples, (s->steps + o->ri - 1) / o->ri, "one sample every %u steps",
                 o->ri);
    cr_assert_eq(o->r.n_values, 3 * s->n, "v, gsyn_exc, gsyn_inh of every neuron");
}

/* recorded variable var (0 v, 1 gsyn_exc, 2 gsyn_inh) of neuron i at step st */
static size_t idx_of(const out *o, uint32_t st, uint32_t var, uint32_t i)
{
    cr_assert_eq(st % o->ri, 0, "step %u is a sampling step", st);
    uint32_t k = st / o->ri;
    cr_assert_lt(k, o->r.n_samples, "step %u was recorded", st);
    cr_assert_eq(o->r.sample_step[k], st);
    return (size_t)k * o->r.n_values + var * o->n + i;
}
static double val(const out *o, uint32_t st, uint32_t var, uint32_t i)
{
    return o->r.values[idx_of(o, st, var, i)];
}
static int32_t wrd(const out *o, uint32_t st, uint32_t var, uint32_t i)
{
    return o->r.words[idx_of(o, st, var, i)];
}
/* spike steps of neuron i, in order */
static uint32_t spikes_of(const out *o, uint32_t i, uint32_t *st, uint32_t max)
{
    uint32_t k = 0;
    for (uint32_t j = 0; j < o->r.n_spikes; j++)
        if (o->r.spike_idx[j] == i && k < max)
            st[k++] = o->r.spike_step[j];
    return k;
}

/* ---------------- own integer model of the LIF family (docs/spec/models.md) ------------ */

typedef struct lif_ref {
    uint32_t model;
    int32_t v_rest, r_mem, v_reset, v_thresh, i_offset, e_rev[2];
    uint32_t exp_tc, t_refrac, decay[2], k[2]; /* k: init (exp) or coef (alpha) */
    int32_t v, isyn[2], z[2];
    uint32_t refract;
} lif_ref;

static void lif_ref_init(lif_ref *r, const pset *s, double dt)
{
    memset(r, 0, sizeof *r);
    r->model = s->m->id;
    double cm = getp(s, "cm"), tau_m = getp(s, "tau_m");
    r->v_rest = q_s(getp(s, "v_rest"));
    r->r_mem = q_s(tau_m / cm);
    r->exp_tc = q_u(exp(-dt / tau_m));
    r->v_reset = q_s(getp(s, "v_reset"));
    r->v_thresh = q_s(getp(s, "v_thresh"));
    r->t_refrac = (uint32_t)ceil(getp(s, "tau_refrac") / dt - 1e-9);
    r->i_offset = q_s(getp(s, "i_offset"));
    r->v = q_s(geti(s, "v"));
    if (r->model == AXON_MODEL_IF_CURR_DELTA)
        return;
    const char *tn[2] = {"tau_syn_E", "tau_syn_I"};
    for (int k = 0; k < 2; k++) {
        double tau = getp(s, tn[k]);
        r->decay[k] = q_u(exp(-dt / tau));
        if (r->model == AXON_MODEL_IF_CURR_ALPHA)
            r->k[k] = q_u(fmin(1.0, M_E * dt / tau * exp(-dt / tau)));
        else
            r->k[k] = q_u(tau / dt * -expm1(-dt / tau));
    }
    if (r->model == AXON_MODEL_IF_COND_EXP) {
        r->e_rev[0] = q_s(getp(s, "e_rev_E"));
        r->e_rev[1] = q_s(getp(s, "e_rev_I"));
        r->isyn[0] = q_s(geti(s, "gsyn_exc") * 1024.0);
        r->isyn[1] = q_s(geti(s, "gsyn_inh") * 1024.0);
    } else {
        r->isyn[0] = q_s(geti(s, "isyn_exc"));
        r->isyn[1] = q_s(geti(s, "isyn_inh"));
    }
}

/* The parameter and state blocks this model must have in the image (generated offsets). */
static void lif_ref_blocks(const lif_ref *r, uint32_t *p, uint32_t *st)
{
    p[AXON_P_IF_CURR_EXP_V_REST] = (uint32_t)r->v_rest;
    p[AXON_P_IF_CURR_EXP_R_MEMBRANE] = (uint32_t)r->r_mem;
    p[AXON_P_IF_CURR_EXP_EXP_TC] = r->exp_tc;
    p[AXON_P_IF_CURR_EXP_V_RESET] = (uint32_t)r->v_reset;
    p[AXON_P_IF_CURR_EXP_V_THRESH] = (uint32_t)r->v_thresh;
    p[AXON_P_IF_CURR_EXP_T_REFRAC] = r->t_refrac;
    p[AXON_P_IF_CURR_EXP_I_OFFSET] = (uint32_t)r->i_offset;
    st[AXON_S_IF_CURR_EXP_V] = (uint32_t)r->v;
    st[AXON_S_IF_CURR_EXP_REFRACT] = 0;
    switch (r->model) {
    case AXON_MODEL_IF_CURR_EXP:
        p[AXON_P_IF_CURR_EXP_DECAY_E] = r->decay[0];
        p[AXON_P_IF_CURR_EXP_INIT_E] = r->k[0];
        p[AXON_P_IF_CURR_EXP_DECAY_I] = r->decay[1];
        p[AXON_P_IF_CURR_EXP_INIT_I] = r->k[1];
        st[AXON_S_IF_CURR_EXP_ISYN_E] = (uint32_t)r->isyn[0];
        st[AXON_S_IF_CURR_EXP_ISYN_I] = (uint32_t)r->isyn[1];
        break;
    case AXON_MODEL_IF_COND_EXP:
        p[AXON_P_IF_COND_EXP_E_REV_E] = (uint32_t)r->e_rev[0];
        p[AXON_P_IF_COND_EXP_E_REV_I] = (uint32_t)r->e_rev[1];
        p[AXON_P_IF_COND_EXP_DECAY_E] = r->decay[0];
        p[AXON_P_IF_COND_EXP_INIT_E] = r->k[0];
        p[AXON_P_IF_COND_EXP_DECAY_I] = r->decay[1];
        p[AXON_P_IF_COND_EXP_INIT_I] = r->k[1];
        st[AXON_S_IF_COND_EXP_ISYN_E] = (uint32_t)r->isyn[0];
        st[AXON_S_IF_COND_EXP_ISYN_I] = (uint32_t)r->isyn[1];
        break;
    case AXON_MODEL_IF_CURR_ALPHA:
        p[AXON_P_IF_CURR_ALPHA_DECAY_E] = r->decay[0];
        p[AXON_P_IF_CURR_ALPHA_COEF_E] = r->k[0];
        p[AXON_P_IF_CURR_ALPHA_DECAY_I] = r->decay[1];
        p[AXON_P_IF_CURR_ALPHA_COEF_I] = r->k[1];
        st[AXON_S_IF_CURR_ALPHA_ISYN_E] = (uint32_t)r->isyn[0];
        st[AXON_S_IF_CURR_ALPHA_Z_E] = 0;
        st[AXON_S_IF_CURR_ALPHA_ISYN_I] = (uint32_t)r->isyn[1];
        st[AXON_S_IF_CURR_ALPHA_Z_I] = 0;
        break;
    default:
        break;
    }
}

/* One step with this step's inputs x (ring-buffer value << shift). smp: v, gsyn_exc,
 * gsyn_inh as recorded. Returns 1 on a spike. */
static int lif_ref_step(lif_ref *r, const int32_t x[2], int32_t smp[3])
{
    const int exp_like = r->model == AXON_MODEL_IF_CURR_EXP || r->model == AXON_MODEL_IF_COND_EXP;
    const int alpha = r->model == AXON_MODEL_IF_CURR_ALPHA;
    const int delta = r->model == AXON_MODEL_IF_CURR_DELTA;
    const int cond = r->model == AXON_MODEL_IF_COND_EXP;
    int32_t jump = 0;
    for (int k = 0; k < 2; k++) { /* 2. synapse add */
        if (exp_like)
            r->isyn[k] = f_add(r->isyn[k], f_mulu(x[k], r->k[k]));
        else if (alpha)
            r->z[k] = f_add(r->z[k], x[k]);
    }
    if (delta)
        jump = f_sub(x[0], x[1]);
    smp[0] = r->v; /* 3. sample: v at the start of the step, gsyn after this step's input */
    for (int k = 0; k < 2; k++)
        smp[1 + k] = delta ? x[k] : cond ? f_shr(r->isyn[k], AXON_COND_SHIFT) : r->isyn[k];
    int32_t isyn; /* 4. input type */
    if (cond)
        isyn = f_add(f_mul(f_shr(r->isyn[0], AXON_COND_SHIFT), f_sub(r->e_rev[0], r->v)),
                     f_mul(f_shr(r->isyn[1], AXON_COND_SHIFT), f_sub(r->e_rev[1], r->v)));
    else
        isyn = f_sub(r->isyn[0], r->isyn[1]);
    if (r->refract == 0) { /* LIF */
        int32_t I = delta ? r->i_offset : f_add(isyn, r->i_offset);
        int32_t a = f_add(f_mul(I, r->r_mem), r->v_rest);
        r->v = f_sub(a, f_mulu(f_sub(a, r->v), r->exp_tc));
        if (delta)
            r->v = f_add(r->v, jump);
    } else {
        r->refract--;
    }
    int spike = r->v >= r->v_thresh;
    if (spike) {
        r->v = r->v_reset;
        r->refract = r->t_refrac;
    }
    for (int k = 0; k < 2; k++) { /* 5. synapse decay */
        if (exp_like) {
            r->isyn[k] = f_mulu(r->isyn[k], r->decay[k]);
        } else if (alpha) {
            r->isyn[k] = f_add(f_mulu(r->isyn[k], r->decay[k]), f_mulu(r->z[k], r->k[k]));
            r->z[k] = f_mulu(r->z[k], r->decay[k]);
        }
    }
    return spike;
}

/* ring-buffer inputs x[step][neuron][type] of a net, computed from its events and synapses */
static int32_t *net_inputs(const net *s)
{
    int32_t *x = calloc((size_t)s->steps * s->n * 2, sizeof *x);
    uint32_t *acc = calloc((size_t)s->steps * s->n * 2, sizeof *acc);
    for (uint32_t e = 0; e < s->n_ev; e++)
        for (uint32_t k = 0; k < s->n_syn; k++) {
            const tnet_syn *y = &s->syn[k];
            uint32_t arr = s->ev[2 * e] + y->delay;
            if (y->pre == s->ev[2 * e + 1] && arr < s->steps)
                acc[((size_t)arr * s->n + y->post) * 2 + y->type] += y->weight;
        }
    for (size_t i = 0; i < (size_t)s->steps * s->n * 2; i++) {
        uint32_t a = acc[i] > 0xFFFFu ? 0xFFFFu : acc[i];
        x[i] = (int32_t)(a << s->shift[i % 2]);
    }
    free(acc);
    return x;
}

/* The engine (fixed point) equals the own integer model bit for bit: parameter and state
 * blocks, every recorded word and every spike. Returns the number of spikes compared. */
static uint32_t check_lif_exact(const net *s, const out *o)
{
    cr_assert(!s->f64);
    const axon_model_info *m = s->ps[0].m;
    int32_t *x = net_inputs(s);
    uint32_t n_spk = 0;
    for (uint32_t i = 0; i < s->n; i++) {
        lif_ref r;
        lif_ref_init(&r, &s->ps[i], s->dt);
        uint32_t pb[16] = {0}, sb[8] = {0};
        lif_ref_blocks(&r, pb, sb);
        for (uint32_t k = 0; k < m->param_words; k++)
            cr_assert_eq(o->pblock[i * m->param_words + k], pb[k],
                         "%s neuron %u parameter word %u: image 0x%08X, spec 0x%08X", m->name, i,
                         k, o->pblock[i * m->param_words + k], pb[k]);
        for (uint32_t k = 0; k < m->state_words; k++)
            cr_assert_eq(o->sblock[i * m->state_words + k], sb[k],
                         "%s neuron %u state word %u", m->name, i, k);
        uint32_t sp[4096];
        uint32_t ns = spikes_of(o, i, sp, 4096), js = 0;
        for (uint32_t st = 0; st < s->steps; st++) {
            int32_t smp[3];
            int spike = lif_ref_step(&r, x + ((size_t)st * s->n + i) * 2, smp);
            if (st % o->ri == 0)
                for (uint32_t var = 0; var < 3; var++)
                    cr_assert_eq(wrd(o, st, var, i), smp[var],
                                 "%s neuron %u step %u var %u: engine %d, spec recurrence %d",
                                 m->name, i, st, var, wrd(o, st, var, i), smp[var]);
            if (spike) {
                cr_assert_lt(js, ns, "%s neuron %u: spec spikes at step %u, engine does not",
                             m->name, i, st);
                cr_assert_eq(sp[js], st, "%s neuron %u spike %u: engine step %u, spec step %u",
                             m->name, i, js, sp[js], st);
                js++;
            }
        }
        cr_assert_eq(js, ns, "%s neuron %u: %u spikes in the engine, %u in the spec", m->name, i,
                     ns, js);
        n_spk += ns;
    }
    free(x);
    return n_spk;
}

/* The same recurrence in double precision with the exact values of the words: what the
 * float64 mode must compute (arithmetic.md, "Float64 mode"). */
typedef struct lif_refd {
    uint32_t model, t_refrac, refract;
    double v_rest, r_mem, v_reset, v_thresh, i_offset, e_rev[2], exp_tc, decay[2], k[2];
    double v, isyn[2], z[2];
} lif_refd;

static void lif_refd_from(lif_refd *d, const lif_ref *r)
{
    memset(d, 0, sizeof *d);
    d->model = r->model;
    d->t_refrac = r->t_refrac;
    d->v_rest = d_s(r->v_rest);
    d->r_mem = d_s(r->r_mem);
    d->v_reset = d_s(r->v_reset);
    d->v_thresh = d_s(r->v_thresh);
    d->i_offset = d_s(r->i_offset);
    d->exp_tc = d_u(r->exp_tc);
    d->v = d_s(r->v);
    for (int k = 0; k < 2; k++) {
        d->e_rev[k] = d_s(r->e_rev[k]);
        d->decay[k] = d_u(r->decay[k]);
        d->k[k] = d_u(r->k[k]);
        d->isyn[k] = d_s(r->isyn[k]);
    }
}

static int lif_refd_step(lif_refd *r, const double x[2], double smp[3])
{
    const int exp_like = r->model == AXON_MODEL_IF_CURR_EXP || r->model == AXON_MODEL_IF_COND_EXP;
    const int alpha = r->model == AXON_MODEL_IF_CURR_ALPHA;
    const int delta = r->model == AXON_MODEL_IF_CURR_DELTA;
    const int cond = r->model == AXON_MODEL_IF_COND_EXP;
    for (int k = 0; k < 2; k++) {
        if (exp_like)
            r->isyn[k] += x[k] * r->k[k];
        else if (alpha)
            r->z[k] += x[k];
    }
    double jump = delta ? x[0] - x[1] : 0.0;
    smp[0] = r->v;
    for (int k = 0; k < 2; k++)
        smp[1 + k] = delta ? x[k] : cond ? r->isyn[k] / 1024.0 : r->isyn[k];
    double isyn = cond ? r->isyn[0] / 1024.0 * (r->e_rev[0] - r->v) +
                             r->isyn[1] / 1024.0 * (r->e_rev[1] - r->v)
                       : r->isyn[0] - r->isyn[1];
    if (r->refract == 0) {
        double I = delta ? r->i_offset : isyn + r->i_offset;
        double a = I * r->r_mem + r->v_rest;
        r->v = a - (a - r->v) * r->exp_tc + jump;
    } else {
        r->refract--;
    }
    int spike = r->v >= r->v_thresh;
    if (spike) {
        r->v = r->v_reset;
        r->refract = r->t_refrac;
    }
    for (int k = 0; k < 2; k++) {
        if (exp_like) {
            r->isyn[k] *= r->decay[k];
        } else if (alpha) {
            r->isyn[k] = r->isyn[k] * r->decay[k] + r->z[k] * r->k[k];
            r->z[k] *= r->decay[k];
        }
    }
    return spike;
}

/* The float64 engine equals the double recurrence to 1e-9 relative, with the same spikes. */
static void check_lif_f64(const net *s, const out *of)
{
    int32_t *x = net_inputs(s);
    const axon_model_info *m = s->ps[0].m;
    for (uint32_t i = 0; i < s->n; i++) {
        lif_ref r;
        lif_ref_init(&r, &s->ps[i], s->dt);
        lif_refd d;
        lif_refd_from(&d, &r);
        uint32_t sp[4096], ns = spikes_of(of, i, sp, 4096), js = 0;
        for (uint32_t st = 0; st < s->steps; st++) {
            const int32_t *xi = x + ((size_t)st * s->n + i) * 2;
            double xd[2] = {d_s(xi[0]), d_s(xi[1])}, smp[3];
            int spike = lif_refd_step(&d, xd, smp);
            if (st % of->ri == 0)
                for (uint32_t var = 0; var < 3; var++) {
                    double got = val(of, st, var, i);
                    cr_assert_leq(fabs(got - smp[var]), 1e-9 * fmax(1.0, fabs(smp[var])),
                                  "%s float64 neuron %u step %u var %u: %.15g vs %.15g", m->name,
                                  i, st, var, got, smp[var]);
                }
            if (spike) {
                cr_assert(js < ns && sp[js] == st, "%s float64 neuron %u: spike at step %u",
                          m->name, i, st);
                js++;
            }
        }
        cr_assert_eq(js, ns, "%s float64 neuron %u spike count", m->name, i);
    }
    free(x);
}

/* ======================================================================================
 * IF_curr_exp with a constant current: closed form, threshold, refractory, period
 * ====================================================================================== */

Test(lif, curr_exp_constant_current_matches_closed_form)
{
    const double dt = 0.1, cm = 1.0, tau_m = 20.0, tau_refrac = 2.0, v_rest = -65.0,
                 v_reset = -70.0, v_th = -50.0,
                 i_off = 1.134; /* not exact in s16.15; threshold margins > 2 bounds */
    const uint32_t steps = 3000;
    pset ps = pset_new("IF_curr_exp");
    setp(&ps, "cm", cm);
    setp(&ps, "tau_m", tau_m);
    setp(&ps, "tau_refrac", tau_refrac);
    setp(&ps, "v_rest", v_rest);
    setp(&ps, "v_reset", v_reset);
    setp(&ps, "v_thresh", v_th);
    setp(&ps, "i_offset", i_off);
    seti(&ps, "v", v_rest);
    net s = {.ps = &ps, .n = 1, .dt = dt, .steps = steps};
    out o, of;
    net_run(&s, &o);
    s.f64 = 1;
    net_run(&s, &of);
    s.f64 = 0;

    /* exact: every recorded word and spike equals the spec's integer recurrence */
    check_lif_exact(&s, &o);
    check_lif_f64(&s, &of);

    const double R = tau_m / cm, tc = exp(-dt / tau_m), a = v_rest + R * i_off;
    /* Error bound of the fixed-point V(t) against the closed form, in mV:
     *  - mulu(a - v, exp_tc) floors (< 1 LSB) every step; contracted by tc: < 1/(1-tc) LSB;
     *  - a = mul(I, R) + v_rest: its floor (< 1 LSB) and the rounding of i_offset (0.5 LSB,
     *    times R), R (0.5 LSB, times |I|) and v_rest (0.5 LSB) shift the asymptote; V_n
     *    depends on a through 1 - tc^n <= 1;
     *  - v0 rounding (0.5 LSB, contracted);
     *  - exp_tc rounding (0.5 ULSB) times max_n |dV_n/dtc| = |v0 - a| max_n n tc^(n-1). */
    const double b_floor = LSB / (1.0 - tc);
    const double b_a = LSB * (1.0 + 0.5 * R + 0.5 * fabs(i_off) + 0.5);
    const double b_v0 = 0.5 * LSB;
    const double b_tc_rest = 0.5 * ULSB * fabs(v_rest - a) * max_n_pow(tc);
    const double b_tc_reset = 0.5 * ULSB * fabs(v_reset - a) * max_n_pow(tc);
    const double B = b_floor + b_a + b_v0 + fmax(b_tc_rest, b_tc_reset);
    /* fixed vs float64 (same rounded parameters): only the two floors per step */
    const double B_arith = LSB / (1.0 - tc) + LSB;

    uint32_t sp[64], spf[64];
    uint32_t ns = spikes_of(&o, 0, sp, 64), nsf = spikes_of(&of, 0, spf, 64);
    cr_assert_geq(ns, 3, "repetitive firing (%u spikes)", ns);

    /* first spike: the first step whose end-of-step V (closed form) reaches threshold */
    uint32_t s1 = 0;
    while (v_th > a + (v_rest - a) * exp(-(double)(s1 + 1) * dt / tau_m))
        s1++;
    double over = a + (v_rest - a) * exp(-(double)(s1 + 1) * dt / tau_m) - v_th; /* >= 0 */
    double under = v_th - (a + (v_rest - a) * exp(-(double)s1 * dt / tau_m));    /* > 0 */
    int ok = sp[0] == s1 || (over <= B && sp[0] == s1 + 1) || (under <= B && sp[0] + 1 == s1);
    cr_assert(ok, "first spike at step %u, closed form predicts %u (margins %g, %g mV, bound %g)",
              sp[0], s1, over, under, B);
    cr_assert(over > B && under > B, "this case is chosen unambiguous (margins %g %g, B %g)", over,
              under, B);

    /* V(t) until the first spike */
    double emax = 0, emax_f = 0, emax_fx = 0;
    const double tcq = d_u(q_u(tc)), aq = d_s(q_s(v_rest)) + d_s(q_s(i_off)) * d_s(q_s(R));
    for (uint32_t st = 0; st <= sp[0]; st++) {
        double V = a + (v_rest - a) * exp(-(double)st * dt / tau_m);
        double err = fabs(val(&o, st, 0, 0) - V);
        cr_assert_leq(err, B, "step %u: V = %.9f, closed form %.9f, |err| %g > bound %g mV", st,
                      val(&o, st, 0, 0), V, err, B);
        emax = fmax(emax, err);
        /* float64: the same recurrence without rounding, i.e. the closed form with the
         * rounded parameters, to double precision */
        double Vq = aq + (d_s(q_s(v_rest)) - aq) * pow(tcq, st);
        double ef = fabs(val(&of, st, 0, 0) - Vq);
        cr_assert_leq(ef, 1e-9 * fabs(Vq), "float64 step %u: %.12f vs %.12f", st,
                      val(&of, st, 0, 0), Vq);
        emax_f = fmax(emax_f, ef / fabs(Vq));
        double ex = fabs(val(&o, st, 0, 0) - val(&of, st, 0, 0));
        cr_assert_leq(ex, B_arith, "fixed vs float64 step %u: %g > %g mV", st, ex, B_arith);
        /* one-sided: the mulu floor only rounds mulu(a - v, tc) down, i.e. V up (a > v
         * here); only mul(I, R) (a constant < 1 LSB lower a) can lower V */
        cr_assert_gt(val(&o, st, 0, 0) - val(&of, st, 0, 0), -LSB, "fixed V below float64 at %u",
                     st);
        emax_fx = fmax(emax_fx, ex);
    }
    report("IF_curr_exp const I: bound %.3g mV (%.1f LSB), max err %.3g mV (%.1f LSB); "
           "fixed-f64 bound %.3g max %.3g; f64 rel err %.2g",
           B, B / LSB, emax, emax / LSB, B_arith, emax_fx, emax_f);

    /* refractory: V is v_reset exactly at the start of steps s+1 .. s+1+t_ref, then resumes */
    const uint32_t t_ref = (uint32_t)ceil(tau_refrac / dt - 1e-9);
    cr_assert_eq(t_ref, 20);
    const int32_t w_reset = q_s(v_reset);
    for (uint32_t k = 0; k + 1 < ns; k++) {
        uint32_t s0 = sp[k];
        for (uint32_t st = s0 + 1; st <= s0 + 1 + t_ref; st++)
            cr_assert_eq(wrd(&o, st, 0, 0), w_reset, "spike %u: step %u held at v_reset (%d vs %d)",
                         k, st, wrd(&o, st, 0, 0), w_reset);
        cr_assert_gt(wrd(&o, s0 + 2 + t_ref, 0, 0), w_reset,
                     "spike %u: V resumes after %u refractory steps", k, t_ref);
        /* after resuming, the closed form from v_reset, m = updates since the refractory end */
        for (uint32_t st = s0 + 1 + t_ref; st <= sp[k + 1]; st++) {
            double m = st - (s0 + 1 + t_ref);
            double V = a + (v_reset - a) * exp(-m * dt / tau_m);
            double err = fabs(val(&o, st, 0, 0) - V);
            cr_assert_leq(err, B, "after spike %u, step %u: |err| %g > %g", k, st, err, B);
        }
    }

    /* period: t_ref held steps + m updates from v_reset to threshold */
    uint32_t m = 1;
    while (v_th > a + (v_reset - a) * exp(-(double)m * dt / tau_m))
        m++;
    double pover = a + (v_reset - a) * exp(-(double)m * dt / tau_m) - v_th;
    double punder = v_th - (a + (v_reset - a) * exp(-(double)(m - 1) * dt / tau_m));
    cr_assert(pover > B && punder > B, "period unambiguous (margins %g %g, B %g)", pover, punder, B);
    for (uint32_t k = 1; k < ns; k++)
        cr_assert_eq(sp[k] - sp[k - 1], t_ref + m, "interval %u: %u steps, closed form %u", k,
                     sp[k] - sp[k - 1], t_ref + m);
    /* float64 fires on the same steps (the margins exceed the arithmetic bound) */
    cr_assert_eq(nsf, ns);
    for (uint32_t k = 0; k < ns; k++)
        cr_assert_eq(spf[k], sp[k], "float64 spike %u", k);
    tnet_rec_free(&o.r);
    tnet_rec_free(&of.r);
}

/* ======================================================================================
 * Exponential synapse: one input of known weight at a known step
 * ====================================================================================== */

Test(synapse_shape, exp_current_single_input)
{
    const double dt = 0.1, tau_e = 5.0, tau_i = 2.0;
    const uint32_t W_E = 3000, SH_E = 4, W_I = 1234, SH_I = 3, EV = 10, D_E = 1, D_I = 3;
    const uint32_t steps = 400, arr_e = EV + D_E, arr_i = EV + D_I;
    pset ps = pset_new("IF_curr_exp");
    setp(&ps, "tau_syn_E", tau_e);
    setp(&ps, "tau_syn_I", tau_i);
    const uint32_t ev[] = {EV, 0};
    const tnet_syn syn[] = {{0, 0, W_E, D_E, AXON_SYN_TYPE_EXC}, {0, 0, W_I, D_I, AXON_SYN_TYPE_INH}};
    net s = {.ps = &ps, .n = 1, .dt = dt, .steps = steps, .ev = ev, .n_ev = 1, .n_src = 1,
             .syn = syn, .n_syn = 2, .shift = {SH_E, SH_I}};
    out o, of;
    net_run(&s, &o);
    s.f64 = 1;
    net_run(&s, &of);
    s.f64 = 0;
    check_lif_exact(&s, &o);
    check_lif_f64(&s, &of);

    const uint32_t W[2] = {W_E, W_I}, SH[2] = {SH_E, SH_I}, ARR[2] = {arr_e, arr_i};
    const double TAU[2] = {tau_e, tau_i};
    for (int k = 0; k < 2; k++) {
        const double x = (double)(W[k] << SH[k]); /* input in LSB */
        const double decay = exp(-dt / TAU[k]), init = TAU[k] / dt * -expm1(-dt / TAU[k]);
        const double dq = d_u(q_u(decay)), iq = d_u(q_u(init));
        /* isyn_j (LSB), j steps after arrival. Bound against x init decay^j:
         *  - the mulu of the add and of every decay floor (< 1 LSB each); the error of step i
         *    is multiplied by decay^(j-i) afterwards: sum_{i<=j} decay^i LSB;
         *  - init rounding (0.5 ULSB) times x; decay rounding (0.5 ULSB) times
         *    x init j decay^(j-1). */
        const double sens_d = x * init * max_n_pow(decay);
        double emax = 0, bmax = 0, efmax = 0;
        for (uint32_t st = 0; st < steps; st++) {
            double rec = val(&o, st, 1 + k, 0) / LSB, recf = val(&of, st, 1 + k, 0) / LSB;
            if (st < ARR[k]) {
                cr_assert_eq(wrd(&o, st, 1 + k, 0), 0, "type %d: no current before arrival", k);
                cr_assert_eq(recf, 0.0);
                continue;
            }
            uint32_t j = st - ARR[k];
            double exact = x * init * pow(decay, j);
            double bound = (1.0 - pow(decay, j + 1)) / (1.0 - decay) + 0.5 * ULSB * x +
                           0.5 * ULSB * sens_d;
            double err = fabs(rec - exact);
            cr_assert_leq(err, bound, "type %d, %u steps after arrival: %.3f vs %.3f LSB (bound %g)",
                          k, j, rec, exact, bound);
            /* floors only round down: never above the rounded-parameter value */
            double exq = x * iq * pow(dq, j);
            cr_assert_leq(rec, exq * (1 + 1e-12), "type %d step %u: floor rounds down", k, j);
            /* float64 mode: x init decay^j with the rounded words, to 1e-9 relative */
            cr_assert_leq(fabs(recf - exq), 1e-9 * exq, "float64 type %d step %u: %.12g vs %.12g",
                          k, j, recf, exq);
            emax = fmax(emax, err);
            bmax = fmax(bmax, bound);
            efmax = fmax(efmax, fabs(recf - exq) / exq);
        }
        cr_assert_gt(wrd(&o, ARR[k] + 100, 1 + k, 0), 0, "compared over 100 nonzero steps at least");
        report("exp synapse type %d (tau %g): bound <= %.2f LSB, max err %.2f LSB, f64 rel %.2g", k,
               TAU[k], bmax, emax, efmax);
    }
    tnet_rec_free(&o.r);
    tnet_rec_free(&of.r);
}

/* ======================================================================================
 * IF_cond_exp
 * ====================================================================================== */

/* Steady state under constant conductances. tau_syn = 1e12 ms makes decay and init round to
 * 0xFFFFFFFF (u0.32 clamp), so the state S (g x 1024 in s16.15) loses exactly 1 LSB per
 * step (floor(S (1 - 2^-32)) = S - 1) and g = S >> 10 stays constant for 1024 steps when
 * S starts at g * 1024 + 1023. */
Test(lif, cond_exp_steady_state)
{
    const double dt = 1.0, cm = 1.0, tau_m = 20.0, v_rest = -65.0, e_e = 0.0, e_i = -80.0,
                 i_off = 0.1;
    const int32_t GE = 1638, GI = 655; /* ~0.05 uS and ~0.02 uS in s16.15 */
    const uint32_t steps = 1100;
    pset ps = pset_new("IF_cond_exp");
    setp(&ps, "cm", cm);
    setp(&ps, "tau_m", tau_m);
    setp(&ps, "v_rest", v_rest);
    setp(&ps, "v_thresh", -10.0);
    setp(&ps, "e_rev_E", e_e);
    setp(&ps, "e_rev_I", e_i);
    setp(&ps, "i_offset", i_off);
    setp(&ps, "tau_syn_E", 1e12);
    setp(&ps, "tau_syn_I", 1e12);
    seti(&ps, "v", v_rest);
    const int32_t S0e = GE * 1024 + 1023, S0i = GI * 1024 + 1023;
    seti(&ps, "gsyn_exc", S0e / (1024.0 * 32768.0));
    seti(&ps, "gsyn_inh", S0i / (1024.0 * 32768.0));
    net s = {.ps = &ps, .n = 1, .dt = dt, .steps = steps};
    out o, of;
    net_run(&s, &o);
    s.f64 = 1;
    net_run(&s, &of);
    s.f64 = 0;
    check_lif_exact(&s, &o);
    check_lif_f64(&s, &of);
    cr_assert_eq(o.pblock[AXON_P_IF_COND_EXP_DECAY_E], 0xFFFFFFFFu, "decay clamps to 0xFFFFFFFF");

    /* recorded gsyn = S >> 10 in uS, constant for 1024 steps, then one LSB lower */
    for (uint32_t st = 0; st < steps; st++) {
        cr_assert_eq(wrd(&o, st, 1, 0), (S0e - (int32_t)st) >> 10, "gsyn_exc at step %u", st);
        cr_assert_eq(wrd(&o, st, 2, 0), (S0i - (int32_t)st) >> 10, "gsyn_inh at step %u", st);
    }
    cr_assert_eq(wrd(&o, 1023, 1, 0), GE);
    cr_assert_eq(wrd(&o, 1024, 1, 0), GE - 1);

    const double R = tau_m / cm, tc = exp(-dt / tau_m), ge = GE * LSB, gi = GI * LSB;
    const double G = R * (ge + gi);
    const double vss = (v_rest + R * (ge * e_e + gi * e_i + i_off)) / (1.0 + G);
    /* Discrete scheme V' = a(V) - (a(V) - V) tc with a(V) = v_rest + R(g_e(E_e - V) +
     * g_i(E_i - V) + i_off): its fixed point is exactly vss, and an error e maps to
     * rho e with rho = tc - (1 - tc) R (g_e + g_i) (|rho| < 1 here). Per step the floors add
     * delta <= (1 - tc)(R x 2 + 1) + 1 LSB (two mul in I, scaled by R; mul(I, R); mulu), so
     * |V - vss| <= delta / (1 - |rho|) + |v0 - vss| |rho|^n. Parameter rounding: i_offset
     * (0.5 LSB) moves vss by R 0.5 LSB / (1 + G); the others are exact here. */
    const double rho = tc - (1.0 - tc) * G;
    cr_assert_lt(fabs(rho), 1.0);
    const double delta = LSB * ((1.0 - tc) * (2.0 * R + 1.0) + 1.0);
    const double b_par = R * 0.5 * LSB / (1.0 + G);
    double emax = 0, efmax = 0, bmax = 0;
    for (uint32_t st = 200; st < 1024; st++) {
        double bound = delta / (1.0 - fabs(rho)) + fabs(v_rest - vss) * pow(fabs(rho), st) + b_par;
        double err = fabs(val(&o, st, 0, 0) - vss);
        cr_assert_leq(err, bound, "step %u: V %.8f, steady state %.8f, |err| %g > %g", st,
                      val(&o, st, 0, 0), vss, err, bound);
        emax = fmax(emax, err);
        bmax = fmax(bmax, bound);
        /* float64: g = S/1024 without the shift's floor, and S shrinks by the factor
         * (1 - 2^-32) per step, so V trails the moving steady state: V(st) was pulled
         * towards vss(g(st-1)), so V(st) - vss(g(st)) = sum_k rho^k dvss = dvss / (1 - rho)
         * with dvss the move per step; plus the transient and double rounding (1e-12 rel.) */
        double gfe = val(&of, st, 1, 0), gfi = val(&of, st, 2, 0);
        double gpe = val(&of, st - 1, 1, 0), gpi = val(&of, st - 1, 2, 0);
        const double vrq = d_s(q_s(v_rest)), ioq = d_s(q_s(i_off));
        double vssf = (vrq + R * (gfe * e_e + gfi * e_i + ioq)) / (1.0 + R * (gfe + gfi));
        double vssp = (vrq + R * (gpe * e_e + gpi * e_i + ioq)) / (1.0 + R * (gpe + gpi));
        double rho_f = fabs(d_u(q_u(tc)) - (1.0 - d_u(q_u(tc))) * R * (gfe + gfi));
        double lag = fabs(vssf - vssp) / (1.0 - rho_f);
        double bf = lag + fabs(v_rest - vssf) * pow(rho_f, st) + 1e-12 * fabs(vssf);
        double ef = fabs(val(&of, st, 0, 0) - vssf);
        cr_assert_leq(ef, bf, "float64 step %u: %.12f vs %.12f (lag %g)", st, val(&of, st, 0, 0),
                      vssf, lag);
        efmax = fmax(efmax, ef / fabs(vssf));
    }
    report("IF_cond_exp steady state %.6f mV: bound %.3g mV (%.1f LSB), max err %.3g mV "
           "(%.1f LSB); f64 max rel %.2g (of which trailing the moving steady state)",
           vss, bmax, bmax / LSB, emax, emax / LSB, efmax);
    tnet_rec_free(&o.r);
    tnet_rec_free(&of.r);
}

/* continuous conductance LIF after an input at t = 0 (local time):
 * tau dV/dt = v_rest - V + R (g0 e^(-t/tau_s) (E - V) + i_off) */
typedef struct cond_ode {
    double tau, R, v_rest, E, i_off, g0, tau_s;
} cond_ode;
static double cond_rhs(const cond_ode *c, double t, double V)
{
    double g = c->g0 * exp(-t / c->tau_s);
    return (c->v_rest - V + c->R * (g * (c->E - V) + c->i_off)) / c->tau;
}
/* RK4 from t to t + n h; also the largest |dV/dt| seen */
static double cond_rk4(const cond_ode *c, double t, double V, double h, int n, double *vdot)
{
    for (int k = 0; k < n; k++) {
        double tk = t + k * h;
        double k1 = cond_rhs(c, tk, V), k2 = cond_rhs(c, tk + h / 2, V + h / 2 * k1);
        double k3 = cond_rhs(c, tk + h / 2, V + h / 2 * k2), k4 = cond_rhs(c, tk + h, V + h * k3);
        *vdot = fmax(*vdot, fmax(fabs(k1), fabs(k4)));
        V += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
    }
    return V;
}

Test(lif, cond_exp_transient_vs_ode)
{
    const double dt = 0.1, cm = 1.0, tau_m = 20.0, tau_s = 5.0, v_rest = -65.0, e_e = 0.0;
    const uint32_t W = 41943, SH = 3, EV = 10, steps = 1000, arr = EV + 1;
    pset ps = pset_new("IF_cond_exp");
    setp(&ps, "cm", cm);
    setp(&ps, "tau_m", tau_m);
    setp(&ps, "tau_syn_E", tau_s);
    setp(&ps, "v_rest", v_rest);
    setp(&ps, "e_rev_E", e_e);
    seti(&ps, "v", v_rest);
    const uint32_t ev[] = {EV, 0};
    const tnet_syn syn[] = {{0, 0, W, 1, AXON_SYN_TYPE_EXC}};
    net s = {.ps = &ps, .n = 1, .dt = dt, .steps = steps, .ev = ev, .n_ev = 1, .n_src = 1,
             .syn = syn, .n_syn = 1, .shift = {SH, 0}};
    out o, of;
    net_run(&s, &o);
    s.f64 = 1;
    net_run(&s, &of);
    s.f64 = 0;
    check_lif_exact(&s, &o);
    check_lif_f64(&s, &of);

    /* the weight as the machine holds it: x = W << SH is g x 1024 in s16.15 */
    const double R = tau_m / cm, tc = exp(-dt / tau_m), decay = exp(-dt / tau_s);
    const double w = (double)(W << SH) / 1024.0 * LSB; /* uS */
    /* The model holds, over step n, g at its step mean w init decay^k (k = n - arr) and the
     * driving force at E - V(start of step). Continuous reference: g(t) = w e^-(t - t0)/tau_s
     * from t0 = arr dt, RK4 with h = dt/1000. */
    cond_ode c = {tau_m, R, v_rest, e_e, 0.0, w, tau_s};
    /* Modelling error of one step (exact arithmetic), from the variation of constants:
     *   V'_exact - V'_model = (R/tau) int_0^dt e^-(dt-s)/tau [g(s)(E - V(s)) - gbar(E - V0)] ds
     *   = (R/tau)(E - V0) int e^..(g - gbar) ds  -  (R/tau) int e^.. g(s)(V(s) - V0) ds;
     * the first term is <= (R/tau)|E - V0| dt (1 - tc) g_k (1 - decay) (the weight e^.. varies
     * by 1 - tc, g by g_k (1 - decay), and int (g - gbar) = 0); the second
     * <= (R/tau) g_k Vdot_max dt^2 / 2. Errors are then propagated by |rho_n| <= tc:
     * E_{n+1} = tc E_n + l_n. Vdot_max: the largest |dV/dt| of the reference. */
    const int sub = 1000;
    double vdot = 0, Vr = v_rest, vd2 = 0, V2 = v_rest;
    double *vref = malloc(sizeof(double) * steps);
    for (uint32_t st = 0; st < steps; st++) {
        vref[st] = Vr; /* V at the start of step st; the input acts from the start of arr */
        if (st >= arr)
            Vr = cond_rk4(&c, (st - arr) * dt, Vr, dt / sub, sub, &vdot);
        /* RK4 accuracy: halving its step changes nothing at this resolution */
        if (st >= arr && st < arr + 300)
            V2 = cond_rk4(&c, (st - arr) * dt, V2, dt / (2 * sub), 2 * sub, &vd2);
    }
    const double rk4_tol = 1e-10; /* mV: the reference's own error, checked here */
    cr_assert_leq(fabs(V2 - vref[arr + 300]), rk4_tol, "RK4 reference converged: %g",
                  fabs(V2 - vref[arr + 300]));

    /* fixed vs float64: per step the floors add delta_n <= (1 - tc)[R((1 + e_S/1024)|E - V|max
     * + 2) + 1] + 1 LSB, where g = S >> 10 loses < 1 LSB of g (times the driving force), the
     * state S itself is below its exact value by e_S < 1 + 1/(1 - decay) LSB (add and decay
     * floors), the two mul in I and mul(I, R) floor (< 1 LSB each) and mulu (< 1 LSB). */
    const double e_S = 1.0 + 1.0 / (1.0 - decay);
    /* V rises from v_rest towards E_e and never passes it: |E - V| <= |E - v_rest| */
    const double dmax = fabs(e_e - v_rest);
    const double delta = LSB * ((1.0 - tc) * (R * ((1.0 + e_S / 1024.0) * dmax + 2.0) + 1.0) + 1.0);
    const double init = tau_s / dt * -expm1(-dt / tau_s);
    /* parameter rounding (0.5 ULSB each, negligible but bounded): exp_tc moves V by
     * <= |a - V|max / (1 - tc) (|a - V| <= PSP + R g_max |E - V|); init and decay move the
     * conductance, hence the PSP, by the relative amounts 1/init and max_k k decay^(k-1)
     * / decay */
    double psp_max = 0;
    for (uint32_t st = 0; st < steps; st++)
        psp_max = fmax(psp_max, vref[st] - v_rest);
    const double amax = psp_max + R * w * init * dmax;
    const double b_par =
        0.5 * ULSB * (amax / (1.0 - tc) + psp_max * (1.0 / init + max_n_pow(decay) / decay));
    double Em = 0, Ea = 0, emax = 0, eamax = 0, bm_max = 0, ba_max = 0, psp = 0;
    for (uint32_t st = 0; st < steps; st++) {
        double vf = val(&of, st, 0, 0), vx = val(&o, st, 0, 0);
        if (st <= arr) {
            cr_assert_eq(wrd(&o, st, 0, 0), q_s(v_rest), "at rest until the input acts");
        } else {
            double bm = Em + rk4_tol + b_par;
            double err = fabs(vf - vref[st]);
            cr_assert_leq(err, bm, "float64 vs ODE at step %u: %.9f vs %.9f, |err| %g > %g", st, vf,
                          vref[st], err, bm);
            double ea = fabs(vx - vf);
            cr_assert_leq(ea, Ea, "fixed vs float64 at step %u: |diff| %g > %g", st, ea, Ea);
            cr_assert_leq(fabs(vx - vref[st]), bm + Ea, "fixed vs ODE at step %u", st);
            emax = fmax(emax, err);
            eamax = fmax(eamax, ea);
            bm_max = fmax(bm_max, bm);
            ba_max = fmax(ba_max, Ea);
            psp = fmax(psp, vref[st] - v_rest);
        }
        if (st >= arr) {
            int k = (int)(st - arr);
            double gk = w * init * pow(decay, k);
            double l = (R / tau_m) * (dmax * dt * (1.0 - tc) * gk * (1.0 - decay) +
                                      gk * vdot * dt * dt / 2.0);
            Em = tc * Em + l;
            Ea = tc * Ea + delta;
        }
    }
    cr_assert_gt(psp, 1.0, "a PSP of more than 1 mV (%g)", psp);
    report("IF_cond_exp transient (PSP %.3f mV): f64 vs ODE bound <= %.3g mV, max err %.3g; "
           "fixed vs f64 bound <= %.3g, max %.3g",
           psp, bm_max, emax, ba_max, eamax);
    free(vref);
    tnet_rec_free(&o.r);
    tnet_rec_free(&of.r);
}

/* ======================================================================================
 * IF_curr_alpha: I(n dt) = w (n dt / tau) e^(1 - n dt / tau) after an input
 * ====================================================================================== */

Test(synapse_shape, alpha_current_single_input)
{
    const double dt = 0.1, tau = 1.0; /* peak at n = tau / dt = 10 steps */
    const uint32_t W = 2000, SH = 5, EV = 10, steps = 400, arr = EV + 1;
    pset ps = pset_new("IF_curr_alpha");
    setp(&ps, "tau_syn_E", tau);
    setp(&ps, "tau_syn_I", 0.5);
    const uint32_t ev[] = {EV, 0};
    const tnet_syn syn[] = {{0, 0, W, 1, AXON_SYN_TYPE_EXC}};
    net s = {.ps = &ps, .n = 1, .dt = dt, .steps = steps, .ev = ev, .n_ev = 1, .n_src = 1,
             .syn = syn, .n_syn = 1, .shift = {SH, 0}};
    out o, of;
    net_run(&s, &o);
    s.f64 = 1;
    net_run(&s, &of);
    s.f64 = 0;
    check_lif_exact(&s, &o);
    check_lif_f64(&s, &of);

    const double x = (double)(W << SH); /* w in LSB */
    const double d = exp(-dt / tau), coef = M_E * dt / tau * d;
    const double dq = d_u(q_u(d)), cq = d_u(q_u(coef));
    /* exact: no current before the input, none in the arrival step, nonzero the step after */
    for (uint32_t st = 0; st <= arr; st++)
        cr_assert_eq(wrd(&o, st, 1, 0), 0, "no current at step %u (arrival %u)", st, arr);
    cr_assert_gt(wrd(&o, arr + 1, 1, 0), 0, "current one step after the arrival");
    cr_assert_eq(val(&of, arr, 1, 0), 0.0);
    cr_assert_gt(val(&of, arr + 1, 1, 0), 0.0);
    /* Bound (LSB): z_j = x d^j with a floor per decay: ez_j <= sum_{i<j} d^i; the current
     * I_{j+1} = floor(I_j d) + floor(z_j coef): eI_{j+1} <= d eI_j + coef ez_j + 2.
     * Parameter rounding (0.5 ULSB each): dI_j/dcoef = x j d^(j-1),
     * dI_j/dd = x coef j (j-1) d^(j-2). */
    double ez = 0, eI = 0, emax = 0, bmax = 0, efmax = 0, peak = -1;
    uint32_t argmax = 0;
    for (uint32_t j = 0; arr + j < steps; j++) {
        uint32_t st = arr + j;
        double rec = val(&o, st, 1, 0) / LSB, recf = val(&of, st, 1, 0) / LSB;
        double exact = x * (j * dt / tau) * exp(1.0 - j * dt / tau);
        double b_par = 0.5 * ULSB * x * (j * pow(d, j - 1.0) + coef * j * (j - 1.0) * pow(d, j - 2.0));
        double bound = eI + b_par;
        double err = fabs(rec - exact);
        cr_assert_leq(err, bound + 1e-9, "%u steps after arrival: %.3f vs %.3f LSB (bound %g)", j,
                      rec, exact, bound);
        double exq = x * cq * j * pow(dq, j - 1.0); /* rounded parameters, no floors */
        cr_assert_leq(rec, exq * (1 + 1e-12) + 1e-9, "floors round down at step %u", j);
        cr_assert_leq(fabs(recf - exq), 1e-9 * exq, "float64 step %u: %.12g vs %.12g", j, recf, exq);
        if (j)
            efmax = fmax(efmax, fabs(recf - exq) / exq);
        emax = fmax(emax, err);
        bmax = fmax(bmax, bound);
        if (rec > peak) {
            peak = rec;
            argmax = j;
        }
        eI = d * eI + coef * ez + 2.0;
        ez = d * ez + 1.0;
    }
    /* the peak is w at t = tau */
    cr_assert_eq(argmax, (uint32_t)lround(tau / dt), "peak %u steps after arrival", argmax);
    cr_assert_leq(fabs(peak - x), bmax, "peak %.3f LSB vs w = %.0f LSB", peak, x);
    report("alpha synapse (tau %g): bound <= %.2f LSB, max err %.2f LSB, peak %.2f vs %.0f, "
           "f64 rel %.2g",
           tau, bmax, emax, peak, x, efmax);
    tnet_rec_free(&o.r);
    tnet_rec_free(&of.r);
}

/* ======================================================================================
 * IF_curr_delta: the jump is the weight exactly; inputs during refractory are dropped
 * ====================================================================================== */

Test(synapse_shape, delta_jump_and_refractory_drop)
{
    const double dt = 0.1, tau_m = 20.0, v_rest = -65.0, v_reset = -70.0, v_th = -50.0;
    const uint32_t SH = 5, W_SMALL = 2000, W_KICK = 16384, W_INH = 1000, steps = 400;
    /* neuron 0: small input arriving at 11, inhibitory at 200;
     * neurons 1, 2: a 16 mV kick arriving at 51 (spike at 51, refractory 20 steps:
     * updates 52..71 hold V); neuron 1 gets inputs at 56 and 71 (dropped), neuron 2 at 72
     * (the first active step: applied). */
    pset ps[3];
    for (int i = 0; i < 3; i++) {
        ps[i] = pset_new("IF_curr_delta");
        setp(&ps[i], "tau_m", tau_m);
        setp(&ps[i], "tau_refrac", 2.0);
        setp(&ps[i], "v_rest", v_rest);
        setp(&ps[i], "v_reset", v_reset);
        setp(&ps[i], "v_thresh", v_th);
        seti(&ps[i], "v", v_rest);
    }
    const uint32_t ev[] = {10, 0, 50, 1, 55, 2, 70, 3, 199, 4};
    const tnet_syn syn[] = {
        {0, 0, W_SMALL, 1, AXON_SYN_TYPE_EXC}, {1, 1, W_KICK, 1, AXON_SYN_TYPE_EXC},
        {1, 2, W_KICK, 1, AXON_SYN_TYPE_EXC},  {2, 1, W_SMALL, 1, AXON_SYN_TYPE_EXC},
        {3, 1, W_SMALL, 1, AXON_SYN_TYPE_EXC}, {3, 2, W_SMALL, 2, AXON_SYN_TYPE_EXC},
        {4, 0, W_INH, 1, AXON_SYN_TYPE_INH},
    };
    net s = {.ps = ps, .n = 3, .dt = dt, .steps = steps, .ev = ev, .n_ev = 5, .n_src = 5,
             .syn = syn, .n_syn = 7, .shift = {SH, SH}};
    out o, of;
    net_run(&s, &o);
    s.f64 = 1;
    net_run(&s, &of);
    s.f64 = 0;
    check_lif_exact(&s, &o);
    check_lif_f64(&s, &of);

    const int32_t xs = (int32_t)(W_SMALL << SH), xk = (int32_t)(W_KICK << SH),
                  xi = (int32_t)(W_INH << SH), wr = q_s(v_rest), wreset = q_s(v_reset);
    /* recorded gsyn: this step's input */
    cr_assert_eq(wrd(&o, 11, 1, 0), xs);
    cr_assert_eq(wrd(&o, 10, 1, 0), 0);
    cr_assert_eq(wrd(&o, 12, 1, 0), 0, "the input lasts one step");
    cr_assert_eq(wrd(&o, 200, 2, 0), xi);
    /* the jump: at rest with no current the LIF part keeps V = v_rest exactly, so V rises by
     * exactly the weight's fixed-point value */
    cr_assert_eq(wrd(&o, 11, 0, 0), wr);
    cr_assert_eq(wrd(&o, 12, 0, 0) - wr, xs, "jump of exactly %d LSB, got %d", xs,
                 wrd(&o, 12, 0, 0) - wr);
    cr_assert_eq(val(&of, 12, 0, 0) - v_rest, xs * LSB, "float64 jump");
    /* relaxation: V_k - v_rest = x tc^k; bound: mulu floor (< 1 LSB per step, contracted):
     * 1/(1 - tc) LSB, plus exp_tc rounding 0.5 ULSB x x max_k k tc^(k-1) */
    const double tc = exp(-dt / tau_m);
    const double B = LSB / (1.0 - tc) + 0.5 * ULSB * xs * LSB * max_n_pow(tc);
    double emax = 0;
    for (uint32_t st = 12; st < 200; st++) {
        double V = v_rest + xs * LSB * pow(tc, st - 12.0);
        double err = fabs(val(&o, st, 0, 0) - V);
        cr_assert_leq(err, B, "relaxation step %u: %.9f vs %.9f (bound %g)", st, val(&o, st, 0, 0),
                      V, B);
        emax = fmax(emax, err);
    }
    /* inhibitory jump: V(201) = LIF(V(200)) - x_inh; LIF(V) = a - floor((a - V) tc), a = v_rest */
    int32_t v200 = wrd(&o, 200, 0, 0);
    int32_t lif = f_sub(wr, f_mulu(f_sub(wr, v200), q_u(tc)));
    cr_assert_eq(wrd(&o, 201, 0, 0), lif - xi, "inhibitory jump of exactly %d LSB", xi);
    report("delta relaxation: bound %.3g mV (%.1f LSB), max err %.3g mV (%.1f LSB)", B, B / LSB,
           emax, emax / LSB);

    /* refractory: kick at 51 -> spike at 51 (V = -65 + 16 >= -50) */
    cr_assert_eq(xk, q_s(16.0));
    uint32_t sp[8];
    for (uint32_t i = 1; i <= 2; i++) {
        uint32_t ns = spikes_of(&o, i, sp, 8);
        cr_assert_eq(ns, 1, "neuron %u spikes once", i);
        cr_assert_eq(sp[0], 51, "neuron %u spikes in the arrival step of the kick", i);
        for (uint32_t st = 52; st <= 72; st++)
            cr_assert_eq(wrd(&o, st, 0, i), wreset, "neuron %u held at v_reset at step %u", i, st);
    }
    /* inputs arriving at 56 and 71 (refractory) were delivered but dropped */
    cr_assert_eq(wrd(&o, 56, 1, 1), xs, "the input reached neuron 1 at 56");
    cr_assert_eq(wrd(&o, 71, 1, 1), xs, "the input reached neuron 1 at 71");
    int32_t lif_reset = f_sub(wr, f_mulu(f_sub(wr, wreset), q_u(tc)));
    cr_assert_eq(wrd(&o, 73, 0, 1), lif_reset, "neuron 1: no jump after the refractory period");
    /* the input arriving at 72 (first active step) is applied in full */
    cr_assert_eq(wrd(&o, 72, 1, 2), xs);
    cr_assert_eq(wrd(&o, 73, 0, 2), lif_reset + xs, "neuron 2: jump at the first active step");
    double vf = d_s(wr) - (d_s(wr) - d_s(wreset)) * d_u(q_u(tc));
    cr_assert_leq(fabs(val(&of, 73, 0, 1) - vf), 1e-12, "float64 drops the input too");
    tnet_rec_free(&o.r);
    tnet_rec_free(&of.r);
}

/* ======================================================================================
 * Izhikevich
 * ====================================================================================== */

/* own integer model (docs/spec/models.md) */
typedef struct izk_ref {
    int32_t a, b, c, d, i_offset, h, h_spike, v_thresh, v, u, isyn[2];
    uint32_t decay[2], init[2], flags;
} izk_ref;

static void izk_ref_init(izk_ref *r, const pset *s, double dt)
{
    memset(r, 0, sizeof *r);
    r->a = q_s(getp(s, "a"));
    r->b = q_s(getp(s, "b"));
    r->c = q_s(getp(s, "c"));
    r->d = q_s(getp(s, "d"));
    r->i_offset = q_s(getp(s, "i_offset") * 1000.0);
    r->h = q_s(dt);
    r->h_spike = q_s(dt * 1.85);
    r->v_thresh = q_s(30.0);
    const char *tn[2] = {"tau_syn_E", "tau_syn_I"};
    for (int k = 0; k < 2; k++) {
        double tau = getp(s, tn[k]);
        r->decay[k] = q_u(exp(-dt / tau));
        r->init[k] = q_u(tau / dt * -expm1(-dt / tau));
    }
    r->v = q_s(geti(s, "v"));
    r->u = q_s(geti(s, "u"));
    r->isyn[0] = q_s(geti(s, "isyn_exc") * 1000.0);
    r->isyn[1] = q_s(geti(s, "isyn_inh") * 1000.0);
}

static int izk_ref_step(izk_ref *r, const int32_t x[2], int32_t smp[3])
{
    const int32_t C004 = q_s(0.04), K5 = 5 << 15, K140 = 140 << 15;
    for (int k = 0; k < 2; k++)
        r->isyn[k] = f_add(r->isyn[k], f_mulu(x[k], r->init[k]));
    smp[0] = r->v;
    smp[1] = r->isyn[0];
    smp[2] = r->isyn[1];
    int32_t I = f_add(f_sub(r->isyn[0], r->isyn[1]), r->i_offset);
    int32_t h = (r->flags & 1) ? r->h_spike : r->h, v = r->v, u = r->u;
    int32_t pre = f_sub(f_add(K140, I), u);
    int32_t alpha = f_add(pre, f_mul(f_add(K5, f_mul(C004, v)), v));
    int32_t eta = f_add(v, f_half(f_mul(h, alpha)));
    int32_t beta = f_half(f_mul(f_mul(h, f_sub(f_mul(r->b, v), u)), r->a));
    int32_t vn = f_add(v, f_mul(h, f_add(f_sub(pre, beta), f_mul(f_add(K5, f_mul(C004, eta)), eta))));
    int32_t un = f_add(u, f_mul(f_mul(r->a, h), f_sub(f_sub(f_mul(r->b, eta), u), beta)));
    int spike = vn >= r->v_thresh;
    r->v = spike ? r->c : vn;
    r->u = spike ? f_add(un, r->d) : un;
    r->flags = (uint32_t)spike;
    for (int k = 0; k < 2; k++)
        r->isyn[k] = f_mulu(r->isyn[k], r->decay[k]);
    return spike;
}

/* the same step in double precision with the exact word values and exact 0.04 (float64 mode) */
typedef struct izk_refd {
    double a, b, c, d, i_offset, h, h_spike, v_thresh, v, u, isyn[2], decay[2], init[2];
    int flags;
} izk_refd;

static void izk_refd_from(izk_refd *d, const izk_ref *r)
{
    d->a = d_s(r->a);
    d->b = d_s(r->b);
    d->c = d_s(r->c);
    d->d = d_s(r->d);
    d->i_offset = d_s(r->i_offset);
    d->h = d_s(r->h);
    d->h_spike = d_s(r->h_spike);
    d->v_thresh = d_s(r->v_thresh);
    d->v = d_s(r->v);
    d->u = d_s(r->u);
    d->flags = 0;
    for (int k = 0; k < 2; k++) {
        d->isyn[k] = d_s(r->isyn[k]);
        d->decay[k] = d_u(r->decay[k]);
        d->init[k] = d_u(r->init[k]);
    }
}

static int izk_refd_step(izk_refd *r, const double x[2], double smp[3])
{
    for (int k = 0; k < 2; k++)
        r->isyn[k] += x[k] * r->init[k];
    smp[0] = r->v;
    smp[1] = r->isyn[0];
    smp[2] = r->isyn[1];
    double I = r->isyn[0] - r->isyn[1] + r->i_offset;
    double h = r->flags ? r->h_spike : r->h, v = r->v, u = r->u;
    double pre = 140.0 + I - u;
    double alpha = pre + (5.0 + 0.04 * v) * v;
    double eta = v + h * alpha / 2;
    double beta = h * (r->b * v - u) * r->a / 2;
    double vn = v + h * (pre - beta + (5.0 + 0.04 * eta) * eta);
    double un = u + r->a * h * (r->b * eta - u - beta);
    int spike = vn >= r->v_thresh;
    r->v = spike ? r->c : vn;
    r->u = spike ? un + r->d : un;
    r->flags = spike;
    for (int k = 0; k < 2; k++)
        r->isyn[k] *= r->decay[k];
    return spike;
}

/* continuous Izhikevich: dv/dt = k v^2 + 5 v + 140 - u + I, du/dt = a (b v - u) */
typedef struct izp {
    double a, b, c, d, I, k;
} izp;
typedef void (*izk_stepper)(const izp *, const double *, double, double *);
static void izk_f(const izp *p, const double y[2], double f[2])
{
    f[0] = p->k * y[0] * y[0] + 5.0 * y[0] + 140.0 - y[1] + p->I;
    f[1] = p->a * (p->b * y[0] - y[1]);
}
static void izk_rk4(const izp *p, const double *y, double h, double *o)
{
    double k1[2], k2[2], k3[2], k4[2], t[2];
    izk_f(p, y, k1);
    for (int i = 0; i < 2; i++)
        t[i] = y[i] + h / 2 * k1[i];
    izk_f(p, t, k2);
    for (int i = 0; i < 2; i++)
        t[i] = y[i] + h / 2 * k2[i];
    izk_f(p, t, k3);
    for (int i = 0; i < 2; i++)
        t[i] = y[i] + h * k3[i];
    izk_f(p, t, k4);
    for (int i = 0; i < 2; i++)
        o[i] = y[i] + h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
}
/* explicit midpoint: the model's solver (models.md) in exact arithmetic */
static void izk_mid(const izp *p, const double *y, double h, double *o)
{
    double k1[2], k2[2], t[2];
    izk_f(p, y, k1);
    for (int i = 0; i < 2; i++)
        t[i] = y[i] + h / 2 * k1[i];
    izk_f(p, t, k2);
    for (int i = 0; i < 2; i++)
        o[i] = y[i] + h * k2[i];
}

typedef struct izk_run {
    int n;
    double t[64];                 /* spike (threshold crossing) times, ms */
    double u_min, u_max, fu_max;  /* range of u and of |b v - u| on the trajectory */
    double v_pre_min;             /* lowest v within `window` ms before a crossing */
} izk_run;

/* Integrate from (v0, u0) for T ms: a crossing of 30 mV inside a step is located by
 * bisection on the step length, then v = c, u += d at the crossing; the first step after a
 * reset has length hs. Also records the lowest v seen within `window` ms before a crossing
 * (window = 0: not needed). */
enum { IZK_RING = 1024 };
static izk_run izk_times(const izp *p, izk_stepper stp, double v0, double u0, double T, double h,
                         double hs, double window)
{
    izk_run r;
    memset(&r, 0, sizeof r);
    r.u_min = r.u_max = u0;
    r.v_pre_min = 30.0;
    double y[2] = {v0, u0}, t = 0.0, ring[IZK_RING];
    const int back = (int)ceil(window / h) + 1;
    cr_assert_lt(back, IZK_RING);
    int after = 0, rn = 0;
    while (t < T && r.n < 64) {
        double hh = after ? hs : h, yn[2];
        after = 0;
        ring[rn++ % IZK_RING] = y[0];
        stp(p, y, hh, yn);
        if (yn[0] >= 30.0) {
            double lo = 0.0, hi = hh, ym[2];
            for (int it = 0; it < 60; it++) {
                double mid = (lo + hi) / 2;
                stp(p, y, mid, ym);
                if (ym[0] >= 30.0)
                    hi = mid;
                else
                    lo = mid;
            }
            stp(p, y, hi, ym);
            t += hi;
            r.t[r.n++] = t;
            for (int k = 1; window > 0 && k <= back && k <= rn; k++)
                r.v_pre_min = fmin(r.v_pre_min, ring[(rn - k) % IZK_RING]);
            y[0] = p->c;
            y[1] = ym[1] + p->d;
            after = 1;
        } else {
            y[0] = yn[0];
            y[1] = yn[1];
            t += hh;
        }
        r.u_min = fmin(r.u_min, y[1]);
        r.u_max = fmax(r.u_max, y[1]);
        r.fu_max = fmax(r.fu_max, fabs(p->b * y[0] - y[1]));
    }
    return r;
}
static double izk_iv(const izk_run *r, int i) { return i ? r->t[i] - r->t[i - 1] : r->t[0]; }

/* Tolerance (ms) on interval i (0: first spike time) of the engine against the RK4
 * reference of parameters p, for solver step h and post-spike step hs:
 *   eps = eps_rk2 + eps_u + S_I x bias
 * eps_rk2: truncation of the midpoint method, Richardson estimate 4/3 |X_h - X_h/2| (order
 *   2), doubled as a safety factor;
 * eps_u (intervals only): the spike step integrates u over the whole step with the midpoint
 *   v (eta), the continuous model only up to the crossing: |du| <= a h (2 |b| V + |u|max)
 *   with V = max(|c|, eta_max), eta_max = 30 + h/2 max f_v (V < 30 at the step start);
 *   times the sensitivity of the interval to u after a reset (dT/dd by central difference);
 * bias: equivalent constant current of the per-step floors (fixed point only; 0 for f64),
 *   times dT/dI by central difference. */
typedef struct izk_tol {
    izk_run ref;
    double eps[64];
} izk_tol;

static void izk_tolerance(izk_tol *tl, const izp *p, double v0, double u0, double T, double h,
                          double hs, double bias_current)
{
    const double href = 1e-3;
    tl->ref = izk_times(p, izk_rk4, v0, u0, T, href, href, h);
    izk_run r2 = izk_times(p, izk_rk4, v0, u0, T, href / 2, href / 2, 0.0);
    cr_assert_eq(r2.n, tl->ref.n);
    for (int i = 0; i < tl->ref.n; i++)
        cr_assert_leq(fabs(r2.t[i] - tl->ref.t[i]), 1e-6, "RK4 reference converged (spike %d)", i);
    izk_run m1 = izk_times(p, izk_mid, v0, u0, T, h, hs, 0.0);
    izk_run m2 = izk_times(p, izk_mid, v0, u0, T, h / 2, hs / 2, 0.0);
    izp pd = *p, md = *p, pi = *p, mi = *p;
    const double dd = 0.05, di = 0.05;
    pd.d += dd;
    md.d -= dd;
    pi.I += di;
    mi.I -= di;
    izk_run rpd = izk_times(&pd, izk_rk4, v0, u0, T, href, href, 0.0);
    izk_run rmd = izk_times(&md, izk_rk4, v0, u0, T, href, href, 0.0);
    izk_run rpi = izk_times(&pi, izk_rk4, v0, u0, T, href, href, 0.0);
    izk_run rmi = izk_times(&mi, izk_rk4, v0, u0, T, href, href, 0.0);
    int n = tl->ref.n;
    cr_assert(m1.n >= n - 1 && m2.n >= n - 1 && rpd.n >= n - 1 && rmd.n >= n - 1 &&
              rpi.n >= n - 1 && rmi.n >= n - 1);
    /* u-lag of the spike step: du = a [b (h eta - int_0^th v) - (h u_mid - int_0^th u)]
     * over the crossing fraction th in (0, 1]. On that step v runs from v_s to 30 and eta
     * from v_s to eta_max = 30 + h/2 max f_v (f_v is largest at v = 30, u = u_min), with
     * v_s >= v_pre (the lowest v of the reference within h before a crossing); so
     * |h eta - int v| <= h max(30 - v_pre, eta_max - min(v_pre, 0)) and the u part is at
     * most h max|u|. */
    double fv_max = p->k * 900.0 + 150.0 + 140.0 + p->I - tl->ref.u_min;
    double eta_max = 30.0 + h / 2 * fv_max, v_pre = tl->ref.v_pre_min;
    double du = p->a * h * (fabs(p->b) * fmax(30.0 - v_pre, eta_max - fmin(v_pre, 0.0)) +
                            fmax(fabs(tl->ref.u_min), fabs(tl->ref.u_max)));
    double s_d = 0, s_i = 0;
    for (int i = 0; i < n - 1; i++) {
        s_d = fmax(s_d, fabs(izk_iv(&rpd, i) - izk_iv(&rmd, i)) / (2 * dd));
        s_i = fmax(s_i, fabs(izk_iv(&rpi, i) - izk_iv(&rmi, i)) / (2 * di));
    }
    for (int i = 0; i < n - 1; i++) {
        double rk2 = 2.0 * 4.0 / 3.0 * fabs(izk_iv(&m1, i) - izk_iv(&m2, i));
        tl->eps[i] = rk2 + (i ? s_d * du : 0.0) + s_i * bias_current;
        if (i <= 1)
            report("  interval %d: T %.4f rk2 %.4f u-lag %.4f (S_d %.3f du %.4f) bias %.4f (S_I %.3f)", i,
               izk_iv(&tl->ref, i), rk2, i ? s_d * du : 0.0, s_d, du, s_i * bias_current, s_i);
    }
    tl->eps[n - 1] = tl->eps[n - 2];
}

/* window of the engine's interval (steps) for a continuous interval T +- eps:
 * first spike: the crossing at state time t falls in step ceil(t/h) - 1;
 * after a reset the steps last hs, h, h...: the next crossing falls in step
 * j = ceil((T - hs)/h) + 1 */
static void izk_window(double T, double eps, double h, double hs, int first, uint32_t *lo,
                       uint32_t *hi)
{
    if (first) {
        *lo = (uint32_t)(ceil((T - eps) / h) - 1);
        *hi = (uint32_t)(ceil((T + eps) / h) - 1);
    } else {
        *lo = (uint32_t)(ceil((T - eps - hs) / h) + 1);
        *hi = (uint32_t)(ceil((T + eps - hs) / h) + 1);
    }
}

Test(izhikevich, regular_spiking_vs_ode)
{
    const double dt = 0.1, A = 0.02, Bp = 0.2, C = -65.0, D = 8.0, I_nA = 0.01; /* 10 pA */
    const uint32_t steps = 5000;
    pset ps[2];
    for (int i = 0; i < 2; i++) {
        ps[i] = pset_new("Izhikevich");
        setp(&ps[i], "a", A);
        setp(&ps[i], "b", Bp);
        setp(&ps[i], "c", C);
        setp(&ps[i], "d", D);
        setp(&ps[i], "i_offset", I_nA);
        seti(&ps[i], "v", -65.0);
        seti(&ps[i], "u", -13.0);
    }
    /* neuron 1 also receives synaptic input (for the exact check of the isyn path only) */
    const uint32_t ev[] = {100, 0, 1000, 0};
    const tnet_syn syn[] = {{0, 1, 3000, 1, AXON_SYN_TYPE_EXC}, {0, 1, 2000, 5, AXON_SYN_TYPE_INH}};
    net s = {.ps = ps, .n = 2, .dt = dt, .steps = steps, .ev = ev, .n_ev = 2, .n_src = 1,
             .syn = syn, .n_syn = 2, .shift = {10, 10}};
    out o, of;
    net_run(&s, &o);
    s.f64 = 1;
    net_run(&s, &of);
    s.f64 = 0;

    /* exact: the engine equals the spec's integer recurrence */
    int32_t *x = net_inputs(&s);
    for (uint32_t i = 0; i < 2; i++) {
        izk_ref r;
        izk_ref_init(&r, &ps[i], dt);
        const uint32_t *pb = o.pblock + i * AXON_P_IZHIKEVICH_WORDS;
        cr_assert_eq(pb[AXON_P_IZHIKEVICH_A], (uint32_t)r.a);
        cr_assert_eq(pb[AXON_P_IZHIKEVICH_B], (uint32_t)r.b);
        cr_assert_eq(pb[AXON_P_IZHIKEVICH_C], (uint32_t)r.c);
        cr_assert_eq(pb[AXON_P_IZHIKEVICH_D], (uint32_t)r.d);
        cr_assert_eq(pb[AXON_P_IZHIKEVICH_I_OFFSET], (uint32_t)r.i_offset);
        cr_assert_eq(pb[AXON_P_IZHIKEVICH_H], (uint32_t)r.h);
        cr_assert_eq(pb[AXON_P_IZHIKEVICH_H_SPIKE], (uint32_t)r.h_spike);
        cr_assert_eq(pb[AXON_P_IZHIKEVICH_V_THRESH], (uint32_t)r.v_thresh);
        cr_assert_eq(pb[AXON_P_IZHIKEVICH_DECAY_E], r.decay[0]);
        cr_assert_eq(pb[AXON_P_IZHIKEVICH_INIT_E], r.init[0]);
        uint32_t sp[256], ns = spikes_of(&o, i, sp, 256), js = 0;
        for (uint32_t st = 0; st < steps; st++) {
            int32_t smp[3];
            int spike = izk_ref_step(&r, x + ((size_t)st * 2 + i) * 2, smp);
            for (uint32_t var = 0; var < 3; var++)
                cr_assert_eq(wrd(&o, st, var, i), smp[var], "neuron %u step %u var %u: %d vs %d", i,
                             st, var, wrd(&o, st, var, i), smp[var]);
            if (spike) {
                cr_assert(js < ns && sp[js] == st, "neuron %u: spec spike at step %u", i, st);
                js++;
            }
        }
        cr_assert_eq(js, ns, "neuron %u spike count", i);
        /* float64: the double recurrence, to 1e-9 relative */
        izk_ref r0;
        izk_ref_init(&r0, &ps[i], dt);
        izk_refd rd;
        izk_refd_from(&rd, &r0);
        ns = spikes_of(&of, i, sp, 256);
        js = 0;
        for (uint32_t st = 0; st < steps; st++) {
            const int32_t *xi = x + ((size_t)st * 2 + i) * 2;
            double xd[2] = {d_s(xi[0]), d_s(xi[1])}, smp[3];
            int spike = izk_refd_step(&rd, xd, smp);
            for (uint32_t var = 0; var < 3; var++)
                cr_assert_leq(fabs(val(&of, st, var, i) - smp[var]), 1e-9 * fmax(1.0, fabs(smp[var])),
                              "float64 neuron %u step %u var %u: %.15g vs %.15g", i, st, var,
                              val(&of, st, var, i), smp[var]);
            if (spike) {
                cr_assert(js < ns && sp[js] == st, "float64 neuron %u: spike at step %u", i, st);
                js++;
            }
        }
        cr_assert_eq(js, ns, "float64 neuron %u spike count", i);
    }
    free(x);

    const double hq = d_s(q_s(dt)), hsq = d_s(q_s(dt * 1.85));
    const double aq = d_s(q_s(A)), bq = d_s(q_s(Bp)), I = I_nA * 1000.0;
    /* float64: the parameters as rounded, exact 0.04 */
    izp pf = {aq, bq, C, D, I, 0.04};
    izk_tol tf;
    izk_tolerance(&tf, &pf, -65.0, -13.0, steps * dt, hq, hsq, 0.0);
    /* fixed point: 1311/32768 for 0.04, and u' uses mul(a, h), which floors the product of
     * two small numbers (a_eff = floor(a h)/h, here 0.8 % below a). Per-step floor biases
     * (LSB = 2^-15), first order:
     *   beta: mul(b,v) x h a/2, mul(h,.) x a/2, mul(., a)/2, half: dbeta <= (ha/2 + a/2 + 1) LSB
     *   eta:  mul(C004, v) x |v|, mul(., v), mul(h, .)/2, half: deta <= h/2 (|v|+1) + 1 LSB
     *   u':   du <= a h (1 LSB + dbeta + |b| deta) + 1 LSB (outer mul)
     *   v':   X = pre - beta + (5 + C004 eta) eta: dX <= dbeta + (|eta| + 1) LSB
     *         + (5 + 2k|eta|) deta + (h/2)|a - a_eff| max|b v - u| (beta uses a, u' a_eff)
     *         dv <= h dX + 1 LSB
     * A bias du per step holds u off by du/(a h); dv per step acts as a current dv/h:
     * equivalent current bias du/(a h) + dv/h. */
    const double ah_eff = d_s(f_mul(q_s(A), q_s(dt)));
    izp px = {ah_eff / hq, bq, C, D, I, d_s(q_s(0.04))};
    izk_run rx = izk_times(&px, izk_rk4, -65.0, -13.0, steps * dt, 1e-3, 1e-3, 0.0);
    /* |v| and |eta| on the trajectory: v in [c, 30) at a step's start, eta <= 30 + h/2 max f_v
     * (f_v largest at v = 30, u = u_min) */
    double fv[2];
    izk_f(&px, (const double[2]){30.0, rx.u_min}, fv);
    double vabs = fmax(fabs(C), 30.0 + hq / 2 * fv[0]);
    double dbeta = LSB * (hq * aq / 2 + aq / 2 + 1);
    double deta = LSB * (hq / 2 * (vabs + 1) + 1);
    double du = ah_eff * (LSB + dbeta + fabs(bq) * deta) + LSB;
    double dX = dbeta + (vabs + 1) * LSB + (5 + 2 * px.k * vabs) * deta +
                hq / 2 * fabs(aq * hq - ah_eff) / hq * rx.fu_max;
    double dv = hq * dX + LSB;
    double bias = du / ah_eff + dv / hq;
    izk_tol tx;
    izk_tolerance(&tx, &px, -65.0, -13.0, steps * dt, hq, hsq, bias);

    const char *mode[2] = {"fixed", "float64"};
    const out *os[2] = {&o, &of};
    izk_tol *ts[2] = {&tx, &tf};
    uint32_t spk[2][256], nsp[2];
    for (int mo = 0; mo < 2; mo++) {
        izk_tol *t = ts[mo];
        nsp[mo] = spikes_of(os[mo], 0, spk[mo], 256);
        uint32_t n = nsp[mo];
        cr_assert_geq(n, 8, "%s: regular spiking (%u spikes)", mode[mo], n);
        cr_assert_geq((uint32_t)t->ref.n + 1, n, "%s: spike count vs reference %d", mode[mo],
                      t->ref.n);
        cr_assert_leq((uint32_t)t->ref.n, n + 1, "%s: spike count vs reference %d", mode[mo],
                      t->ref.n);
        double worst = 0, eps_max = 0;
        for (uint32_t i = 0; i < n && i < (uint32_t)t->ref.n; i++) {
            uint32_t got = i ? spk[mo][i] - spk[mo][i - 1] : spk[mo][0], lo, hi;
            double T = izk_iv(&t->ref, (int)i);
            izk_window(T, t->eps[i], hq, hsq, i == 0, &lo, &hi);
            cr_assert(got >= lo && got <= hi,
                      "%s %s %u: %u steps, reference %.4f ms -> window [%u, %u] (eps %.4f ms)",
                      mode[mo], i ? "interval" : "first spike", i, got, T, lo, hi, t->eps[i]);
            /* measured: distance (steps) from the window without tolerance (eps = 0) */
            uint32_t lo0, hi0;
            izk_window(T, 0.0, hq, hsq, i == 0, &lo0, &hi0);
            worst = fmax(worst, fabs((double)got - (double)lo0));
            eps_max = fmax(eps_max, t->eps[i]);
        }
        report("Izhikevich %s: first spike step %u (ref %.4f ms), interval %u steps (ref %.4f "
               "ms), eps <= %.4f ms (%.1f steps); max distance from the eps = 0 window %.0f steps",
               mode[mo], spk[mo][0], t->ref.t[0], spk[mo][n - 1] - spk[mo][n - 2],
               izk_iv(&t->ref, (int)n - 1), eps_max, eps_max / hq, worst);
    }
    /* fixed vs float64: the spike counts agree within one, and every interval differs by at
     * most what the two windows allow: each window is [(T - eps - hs)/h + 1, (T + eps - hs)/h
     * + 2), so |N_fixed - N_f64| h < |T_fixed - T_f64| + eps_fixed + eps_f64 + h */
    cr_assert_leq(abs((int)nsp[0] - (int)nsp[1]), 1);
    for (uint32_t i = 1; i < nsp[0] && i < nsp[1] && i < (uint32_t)tx.ref.n; i++) {
        double d_ref = fabs(izk_iv(&tx.ref, (int)i) - izk_iv(&tf.ref, (int)i));
        double allow = d_ref + tx.eps[i] + tf.eps[i] + hq;
        double got =
            fabs((double)(spk[0][i] - spk[0][i - 1]) - (double)(spk[1][i] - spk[1][i - 1])) * hq;
        cr_assert_leq(got, allow, "interval %u: fixed %u vs float64 %u steps (allowed %.3f ms)", i,
                      spk[0][i] - spk[0][i - 1], spk[1][i] - spk[1][i - 1], allow);
    }
    report("Izhikevich fixed-point bias: du %.3g, dv %.3g per step -> %.3g pA-equivalent",
           du, dv, bias);
    tnet_rec_free(&o.r);
    tnet_rec_free(&of.r);
}

/* ======================================================================================
 * Recording conventions (models.md step 3): v at the start of the step, gsyn after this
 * step's input and before its decay; samples on steps that are multiples of the interval.
 * ====================================================================================== */

Test(recording, v_at_step_start_gsyn_after_input)
{
    const double dt = 1.0;
    const uint32_t W = 1000, SH = 6, EV = 7, steps = 40, arr = EV + 1;
    const char *models[] = {"IF_curr_exp", "IF_cond_exp", "IF_curr_alpha", "IF_curr_delta",
                            "Izhikevich"};
    for (int mi = 0; mi < 5; mi++) {
        pset ps = pset_new(models[mi]);
        int izk = ps.m->id == AXON_MODEL_IZHIKEVICH;
        seti(&ps, "v", izk ? -70.0 : -60.0); /* not the rest potential: v moves at once */
        const uint32_t ev[] = {EV, 0};
        const tnet_syn syn[] = {{0, 0, W, 1, AXON_SYN_TYPE_EXC}};
        net s = {.ps = &ps, .n = 1, .dt = dt, .steps = steps, .ev = ev, .n_ev = 1, .n_src = 1,
                 .syn = syn, .n_syn = 1, .shift = {SH, 0}};
        out o, o4;
        net_run(&s, &o);
        if (!izk)
            check_lif_exact(&s, &o);
        /* step 0 records the initial v, unchanged */
        cr_assert_eq(wrd(&o, 0, 0, 0), q_s(izk ? -70.0 : -60.0), "%s: v(0) is the initial v",
                     models[mi]);
        cr_assert_neq(wrd(&o, 1, 0, 0), wrd(&o, 0, 0, 0), "%s: v(1) is after one update",
                      models[mi]);
        /* the input arrives at step arr: gsyn recorded at arr already includes it */
        int32_t x = (int32_t)(W << SH);
        int32_t g_arr = wrd(&o, arr, 1, 0), g_pre = wrd(&o, arr - 1, 1, 0);
        cr_assert_eq(g_pre, 0, "%s: no input before arrival", models[mi]);
        switch (ps.m->id) {
        case AXON_MODEL_IF_CURR_EXP:
        case AXON_MODEL_IZHIKEVICH: {
            const double tau = getp(&ps, "tau_syn_E");
            int32_t want = f_mulu(x, q_u(tau / dt * -expm1(-dt / tau)));
            cr_assert_eq(g_arr, want, "%s: gsyn at arrival = mulu(x, init) = %d (got %d)",
                         models[mi], want, g_arr);
            cr_assert_eq(wrd(&o, arr + 1, 1, 0), f_mulu(want, q_u(exp(-dt / tau))),
                         "%s: one decay later", models[mi]);
            break;
        }
        case AXON_MODEL_IF_COND_EXP: {
            const double tau = getp(&ps, "tau_syn_E");
            int32_t S = f_mulu(x, q_u(tau / dt * -expm1(-dt / tau)));
            cr_assert_eq(g_arr, f_shr(S, AXON_COND_SHIFT), "%s: gsyn = S >> 10 (uS)", models[mi]);
            break;
        }
        case AXON_MODEL_IF_CURR_ALPHA:
            cr_assert_eq(g_arr, 0, "alpha: the current starts one step after the input");
            cr_assert_gt(wrd(&o, arr + 1, 1, 0), 0);
            break;
        case AXON_MODEL_IF_CURR_DELTA:
            cr_assert_eq(g_arr, x, "delta: gsyn is this step's input");
            cr_assert_eq(wrd(&o, arr + 1, 1, 0), 0);
            break;
        }
        /* v recorded at arr does not yet feel the input: same as a run without it */
        net s0 = s;
        s0.n_ev = 0;
        out o0;
        net_run(&s0, &o0);
        for (uint32_t st = 0; st <= arr; st++)
            cr_assert_eq(wrd(&o, st, 0, 0), wrd(&o0, st, 0, 0), "%s: v at step %u unaffected",
                         models[mi], st);
        if (ps.m->id != AXON_MODEL_IF_CURR_ALPHA)
            cr_assert_neq(wrd(&o, arr + 1, 0, 0), wrd(&o0, arr + 1, 0, 0),
                          "%s: v feels the input at the next step's start", models[mi]);
        else
            cr_assert_neq(wrd(&o, arr + 2, 0, 0), wrd(&o0, arr + 2, 0, 0),
                          "alpha: v feels the input two steps later");
        /* interval 4: the same values on steps 0, 4, 8, ... only */
        s.rec_interval = 4;
        net_run(&s, &o4);
        for (uint32_t st = 0; st < steps; st += 4)
            for (uint32_t var = 0; var < 3; var++)
                cr_assert_eq(wrd(&o4, st, var, 0), wrd(&o, st, var, 0),
                             "%s interval 4: step %u var %u", models[mi], st, var);
        tnet_rec_free(&o.r);
        tnet_rec_free(&o4.r);
        tnet_rec_free(&o0.r);
    }
}

/* ======================================================================================
 * Parameter conversion
 * ====================================================================================== */

static void expect_reject(const pset *ps, const char *what, double value)
{
    uint32_t p[32], st[32];
    char err[AXON_ERRMSG_LEN] = "";
    int rc = axon_model_convert(ps->m, ps->p, ps->in, 0.1, p, st, err);
    char num[64];
    snprintf(num, sizeof num, "%g", value);
    cr_expect_lt(rc, 0, "%s: %s = %s must be rejected", ps->m->name, what, num);
    cr_expect(strstr(err, what) != NULL, "%s: message names %s: \"%s\"", ps->m->name, what, err);
    cr_expect(strstr(err, num) != NULL, "%s: message gives the value %s: \"%s\"", ps->m->name, num,
              err);
    cr_expect(strstr(err, ps->m->name) != NULL, "message names the model: \"%s\"", err);
}

Test(convert, invalid_parameters_are_named)
{
    for (uint32_t mi = 0; mi < axon_model_count(); mi++) {
        const axon_model_info *m = axon_model_at(mi);
        if (m->kind != AXON_KIND_NEURON)
            continue;
        const pset base = pset_new(m->name);
        uint32_t p[32], st[32];
        char err[AXON_ERRMSG_LEN] = "";
        cr_assert_eq(axon_model_convert(m, base.p, base.in, 0.1, p, st, err), AXON_OK,
                     "%s defaults convert: %s", m->name, err);
        /* NaN and infinity in every parameter and initial value */
        for (uint32_t k = 0; k < m->n_params; k++) {
            pset ps = base;
            ps.p[k] = NAN;
            expect_reject(&ps, m->params[k].name, NAN);
            ps.p[k] = INFINITY;
            expect_reject(&ps, m->params[k].name, INFINITY);
        }
        for (uint32_t k = 0; k < m->n_inits; k++) {
            pset ps = base;
            ps.in[k] = NAN;
            expect_reject(&ps, m->inits[k].name, NAN);
        }
        /* time constants and capacitance: zero and negative */
        const char *pos[] = {"cm", "tau_m", "tau_syn_E", "tau_syn_I"};
        for (int k = 0; k < 4; k++) {
            if (axon_model_param_index(m, pos[k]) < 0)
                continue;
            pset ps = base;
            setp(&ps, pos[k], 0.0);
            expect_reject(&ps, pos[k], 0.0);
            setp(&ps, pos[k], -2.5);
            expect_reject(&ps, pos[k], -2.5);
        }
        if (axon_model_param_index(m, "tau_refrac") >= 0) {
            pset ps = base;
            setp(&ps, "tau_refrac", -0.5);
            expect_reject(&ps, "tau_refrac", -0.5);
            setp(&ps, "tau_refrac", 0.0); /* zero is valid */
            cr_expect_eq(axon_model_convert(m, ps.p, ps.in, 0.1, p, st, err), AXON_OK, "%s", err);
        }
        /* values outside s16.15 */
        const char *volt[] = {"v_rest", "v_reset", "v_thresh", "c"};
        for (int k = 0; k < 4; k++) {
            if (axon_model_param_index(m, volt[k]) < 0)
                continue;
            pset ps = base;
            setp(&ps, volt[k], 1e6);
            expect_reject(&ps, volt[k], 1e6);
            setp(&ps, volt[k], -65536.5);
            expect_reject(&ps, volt[k], -65536.5);
        }
        {
            pset ps = base;
            seti(&ps, "v", 70000.0);
            expect_reject(&ps, "v", 70000.0);
        }
        if (m->id != AXON_MODEL_IZHIKEVICH) {
            /* R = tau_m / cm too large */
            pset ps = base;
            setp(&ps, "cm", 1e-4);
            expect_reject(&ps, "tau_m/cm", 20.0 / 1e-4);
            setp(&ps, "cm", 1.0);
            setp(&ps, "i_offset", 65536.0); /* exactly 2^16: one past the range */
            expect_reject(&ps, "i_offset", 65536.0);
            setp(&ps, "i_offset", 65535.99996); /* rounds to the largest value: valid */
            cr_expect_eq(axon_model_convert(m, ps.p, ps.in, 0.1, p, st, err), AXON_OK, "%s", err);
        } else {
            /* Izhikevich currents are x1000: 70 nA is 70000, outside s16.15; the message
             * gives the scaled value */
            pset ps = base;
            setp(&ps, "i_offset", 70.0);
            expect_reject(&ps, "i_offset", 70000.0);
            setp(&ps, "i_offset", 60.0);
            cr_expect_eq(axon_model_convert(m, ps.p, ps.in, 0.1, p, st, err), AXON_OK, "%s", err);
        }
    }
    /* the timestep itself */
    const pset ps = pset_new("IF_curr_exp");
    uint32_t p[32], st[32];
    char err[AXON_ERRMSG_LEN] = "";
    cr_expect_lt(axon_model_convert(ps.m, ps.p, ps.in, 0.0, p, st, err), 0, "dt = 0 rejected");
    cr_expect_lt(axon_model_convert(ps.m, ps.p, ps.in, NAN, p, st, err), 0, "dt = NaN rejected");
    /* a source is not a neuron model */
    cr_expect_lt(axon_model_convert(axon_model_find("SpikeSourcePoisson"), ps.p, ps.in, 0.1, p, st,
                                    err),
                 0);
}

/* The conversion formulas of models.md, word by word, for a few timesteps, including the
 * refractory ceil with its tolerance and the u0.32 clamp of alpha's coef at dt = tau. */
Test(convert, words_follow_the_spec)
{
    const double dts[] = {0.1, 1.0, 0.25};
    const char *lif[] = {"IF_curr_exp", "IF_cond_exp", "IF_curr_alpha", "IF_curr_delta"};
    for (int di = 0; di < 3; di++)
        for (int mi = 0; mi < 4; mi++) {
            pset ps = pset_new(lif[mi]);
            setp(&ps, "tau_refrac", 3 * dts[di]); /* exactly 3 steps despite rounding */
            setp(&ps, "i_offset", 0.123);
            if (axon_model_param_index(ps.m, "tau_syn_E") >= 0)
                setp(&ps, "tau_syn_E", dts[di]); /* alpha: coef = e dt/tau e^-1 = 1: clamped */
            uint32_t p[32], st[32], pr[32] = {0}, sr[32] = {0};
            char err[AXON_ERRMSG_LEN];
            cr_assert_eq(axon_model_convert(ps.m, ps.p, ps.in, dts[di], p, st, err), AXON_OK, "%s",
                         err);
            lif_ref r;
            lif_ref_init(&r, &ps, dts[di]);
            lif_ref_blocks(&r, pr, sr);
            cr_assert_eq(r.t_refrac, 3);
            for (uint32_t k = 0; k < ps.m->param_words; k++)
                cr_expect_eq(p[k], pr[k], "%s dt %g: parameter word %u 0x%08X vs spec 0x%08X",
                             lif[mi], dts[di], k, p[k], pr[k]);
            for (uint32_t k = 0; k < ps.m->state_words; k++)
                cr_expect_eq(st[k], sr[k], "%s dt %g: state word %u", lif[mi], dts[di], k);
            if (ps.m->id == AXON_MODEL_IF_CURR_ALPHA)
                cr_expect_eq(p[AXON_P_IF_CURR_ALPHA_COEF_E], 0xFFFFFFFFu, "coef clamped at dt = tau");
        }
}

/* A refractory period longer than 2^32 - 1 steps cannot be represented: rejected, named. */
Test(convert, refractory_steps_beyond_u32_rejected)
{
    const axon_model_info *m = axon_model_find("IF_curr_exp");
    double p[16], s[8];
    for (uint32_t k = 0; k < m->n_params; k++)
        p[k] = m->params[k].def;
    for (uint32_t k = 0; k < m->n_inits; k++)
        s[k] = m->inits[k].def;
    p[axon_model_param_index(m, "tau_refrac")] = 5e5; /* 5e9 steps of 0.1 us */
    uint32_t pb[32], sb[32];
    char err[AXON_ERRMSG_LEN] = "";
    cr_assert_eq(axon_model_convert(m, p, s, 0.0001, pb, sb, err), AXON_ERR_RANGE);
    cr_assert(strstr(err, "tau_refrac"), "%s", err);
    p[axon_model_param_index(m, "tau_refrac")] = 400.0; /* 4e6 steps: fine */
    cr_assert_eq(axon_model_convert(m, p, s, 0.0001, pb, sb, err), AXON_OK, "%s", err);
    cr_assert_eq(pb[AXON_P_IF_CURR_EXP_T_REFRAC], 4000000u);
}
