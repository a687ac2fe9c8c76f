/* PyNN cell types and their conversion to fixed-point blocks (docs/spec/models.md). */
#include "axon/models.h"

#include "axon/fixed.h"
#include "errbuf.h"

#include <math.h>
#include <string.h>

/* PyNN parameter lists. The order is the order of the values passed to axon_model_convert. */
static const axon_param_info lif_exp_params[] = {
    {"cm", "nF", 1.0},        {"tau_m", "ms", 20.0},    {"tau_refrac", "ms", 0.1},
    {"tau_syn_E", "ms", 5.0}, {"tau_syn_I", "ms", 5.0}, {"v_rest", "mV", -65.0},
    {"v_reset", "mV", -65.0}, {"v_thresh", "mV", -50.0}, {"i_offset", "nA", 0.0},
};
enum { LP_CM, LP_TAU_M, LP_TAU_REFRAC, LP_TAU_SYN_E, LP_TAU_SYN_I, LP_V_REST, LP_V_RESET,
       LP_V_THRESH, LP_I_OFFSET, LP_E_REV_E, LP_E_REV_I };
static const axon_param_info lif_cond_params[] = {
    {"cm", "nF", 1.0},        {"tau_m", "ms", 20.0},    {"tau_refrac", "ms", 0.1},
    {"tau_syn_E", "ms", 5.0}, {"tau_syn_I", "ms", 5.0}, {"v_rest", "mV", -65.0},
    {"v_reset", "mV", -65.0}, {"v_thresh", "mV", -50.0}, {"i_offset", "nA", 0.0},
    {"e_rev_E", "mV", 0.0},   {"e_rev_I", "mV", -70.0},
};
static const axon_param_info lif_alpha_params[] = {
    {"cm", "nF", 1.0},        {"tau_m", "ms", 20.0},    {"tau_refrac", "ms", 0.1},
    {"tau_syn_E", "ms", 0.5}, {"tau_syn_I", "ms", 0.5}, {"v_rest", "mV", -65.0},
    {"v_reset", "mV", -65.0}, {"v_thresh", "mV", -50.0}, {"i_offset", "nA", 0.0},
};
/* IF_curr_delta has no synaptic time constants; its indices are remapped below. */
static const axon_param_info lif_delta_params[] = {
    {"cm", "nF", 1.0},       {"tau_m", "ms", 20.0},     {"tau_refrac", "ms", 0.1},
    {"v_rest", "mV", -65.0}, {"v_reset", "mV", -65.0},  {"v_thresh", "mV", -50.0},
    {"i_offset", "nA", 0.0},
};
static const axon_param_info izk_params[] = {
    {"a", "1/ms", 0.02},      {"b", "1/ms", 0.2},       {"c", "mV", -65.0},
    {"d", "mV/ms", 2.0},      {"i_offset", "nA", 0.0},  {"tau_syn_E", "ms", 5.0},
    {"tau_syn_I", "ms", 5.0},
};
enum { IP_A, IP_B, IP_C, IP_D, IP_I_OFFSET, IP_TAU_SYN_E, IP_TAU_SYN_I };
static const axon_param_info curr_inits[] = {
    {"v", "mV", -65.0}, {"isyn_exc", "nA", 0.0}, {"isyn_inh", "nA", 0.0}};
static const axon_param_info cond_inits[] = {
    {"v", "mV", -65.0}, {"gsyn_exc", "uS", 0.0}, {"gsyn_inh", "uS", 0.0}};
static const axon_param_info delta_inits[] = {{"v", "mV", -65.0}};
static const axon_param_info izk_inits[] = {
    {"v", "mV", -70.0}, {"u", "mV/ms", -14.0}, {"isyn_exc", "nA", 0.0}, {"isyn_inh", "nA", 0.0}};
static const axon_param_info poisson_params[] = {
    {"rate", "Hz", 1.0}, {"start", "ms", 0.0}, {"duration", "ms", 1e10}};
static const axon_param_info array_params[] = {{"spike_times", "ms", 0.0}};

#define N(a) (uint32_t)(sizeof(a) / sizeof((a)[0]))

static const axon_model_info models[] = {
    {"IF_curr_exp", AXON_MODEL_IF_CURR_EXP, AXON_KIND_NEURON, AXON_P_IF_CURR_EXP_WORDS,
     AXON_S_IF_CURR_EXP_WORDS, lif_exp_params, N(lif_exp_params), curr_inits, N(curr_inits), 0,
     1.0, "exponential decay of V computed with the closed form over a step with constant input"},
    {"IF_cond_exp", AXON_MODEL_IF_COND_EXP, AXON_KIND_NEURON, AXON_P_IF_COND_EXP_WORDS,
     AXON_S_IF_COND_EXP_WORDS, lif_cond_params, N(lif_cond_params), cond_inits, N(cond_inits), 1,
     1.0, "conductances held constant over a step, driving force from V at the step's start"},
    {"IF_curr_alpha", AXON_MODEL_IF_CURR_ALPHA, AXON_KIND_NEURON, AXON_P_IF_CURR_ALPHA_WORDS,
     AXON_S_IF_CURR_ALPHA_WORDS, lif_alpha_params, N(lif_alpha_params), curr_inits,
     N(curr_inits), 0, 1.0, "alpha PSC by the exact two-state propagator (sPyNNaker divides)"},
    {"IF_curr_delta", AXON_MODEL_IF_CURR_DELTA, AXON_KIND_NEURON, AXON_P_IF_CURR_DELTA_WORDS,
     AXON_S_IF_CURR_DELTA_WORDS, lif_delta_params, N(lif_delta_params), delta_inits,
     N(delta_inits), 0, 1.0, "weight in mV added to V at the end of the step; dropped when refractory"},
    {"Izhikevich", AXON_MODEL_IZHIKEVICH, AXON_KIND_NEURON, AXON_P_IZHIKEVICH_WORDS,
     AXON_S_IZHIKEVICH_WORDS, izk_params, N(izk_params), izk_inits, N(izk_inits), 0,
     AXON_IZK_CURRENT_SCALE,
     "exponential current synapses (PyNN: delta), threshold 30 mV, RK2 midpoint solver"},
    {"SpikeSourcePoisson", 0, AXON_KIND_SOURCE_POISSON, AXON_P_POISSON_WORDS, 0, poisson_params,
     N(poisson_params), NULL, 0, 0, 1.0, "Poisson counts per step drawn with the KISS PRNG"},
    {"SpikeSourceArray", 0, AXON_KIND_SOURCE_ARRAY, 0, 0, array_params, N(array_params), NULL,
     0, 0, 1.0, "spike times rounded to the nearest step"},
};

uint32_t axon_model_count(void) { return N(models); }

const axon_model_info *axon_model_at(uint32_t i) { return i < N(models) ? &models[i] : NULL; }

const axon_model_info *axon_model_find(const char *name)
{
    for (uint32_t i = 0; name && i < N(models); i++)
        if (!strcmp(models[i].name, name))
            return &models[i];
    return NULL;
}

const axon_model_info *axon_model_by_id(uint32_t id)
{
    for (uint32_t i = 0; i < N(models); i++)
        if (models[i].id == id && models[i].kind == AXON_KIND_NEURON)
            return &models[i];
    return NULL;
}

static int find_name(const axon_param_info *p, uint32_t n, const char *name)
{
    for (uint32_t i = 0; name && i < n; i++)
        if (!strcmp(p[i].name, name))
            return (int)i;
    return -1;
}

int axon_model_param_index(const axon_model_info *m, const char *name)
{
    return find_name(m->params, m->n_params, name);
}

int axon_model_init_index(const axon_model_info *m, const char *name)
{
    return find_name(m->inits, m->n_inits, name);
}

int64_t axon_time_to_step(double t_ms, double dt_ms)
{
    return (int64_t)llround(t_ms / dt_ms);
}

int axon_weight_to_fixed(double w, uint32_t shift, uint32_t *out)
{
    if (!isfinite(w) || w < 0 || shift > AXON_SYN_MAX_WEIGHT_SHIFT)
        return AXON_ERR_RANGE;
    double r = round(ldexp(w, 15 - (int)shift));
    if (r > AXON_SYN_RING_MAX)
        return AXON_ERR_RANGE;
    *out = (uint32_t)r;
    return AXON_OK;
}

/* ---- conversion helpers: each names the parameter and value on failure ---- */
typedef struct conv {
    const axon_model_info *m;
    char *err;
    int rc;
} conv;

static axon_s1615 cs(conv *c, const char *what, double v)
{
    axon_s1615 r = 0;
    if (!c->rc && axon_s1615_from_double(v, &r))
        c->rc = axon_errf(c->err, AXON_ERR_RANGE,
                          "%s: %s = %g does not fit s16.15 [-65536, 65536)", c->m->name, what, v);
    return r;
}

static axon_u032 cu(conv *c, const char *what, double v)
{
    axon_u032 r = 0;
    if (!c->rc && axon_u032_from_double(v, &r))
        c->rc = axon_errf(c->err, AXON_ERR_RANGE, "%s: %s = %g does not fit u0.32 [0, 1]",
                          c->m->name, what, v);
    return r;
}

static double positive(conv *c, const char *what, double v)
{
    if (!c->rc && !(v > 0.0 && isfinite(v)))
        c->rc = axon_errf(c->err, AXON_ERR_INVALID_ARG, "%s: %s = %g must be positive and finite",
                          c->m->name, what, v);
    return c->rc ? 1.0 : v;
}

static uint32_t refrac_steps(conv *c, double tau_refrac, double dt)
{
    if (!c->rc && !(tau_refrac >= 0.0 && isfinite(tau_refrac)))
        c->rc = axon_errf(c->err, AXON_ERR_INVALID_ARG,
                          "%s: tau_refrac = %g must be >= 0 and finite", c->m->name, tau_refrac);
    if (c->rc)
        return 0;
    /* ceil with a tolerance so that 0.1 / 0.1 is one step, not two */
    double steps = ceil(tau_refrac / dt - 1e-9);
    if (steps > (double)UINT32_MAX) {
        c->rc = axon_errf(c->err, AXON_ERR_RANGE,
                          "%s: tau_refrac = %g ms is %.0f timesteps, more than 2^32 - 1",
                          c->m->name, tau_refrac, steps);
        return 0;
    }
    return steps < 0 ? 0 : (uint32_t)steps;
}

/* Exponential synapse: decay = exp(-dt/tau), init = tau/dt * (1 - decay). */
static void exp_syn(conv *c, uint32_t *p, int off, const char *name, double tau, double dt)
{
    tau = positive(c, name, tau);
    double decay = exp(-dt / tau);
    p[off] = cu(c, name, decay);
    p[off + 1] = cu(c, name, tau / dt * -expm1(-dt / tau));
}

/* Alpha synapse, exact propagator: decay = exp(-dt/tau), coef = e * dt/tau * decay. */
static void alpha_syn(conv *c, uint32_t *p, int off, const char *name, double tau, double dt)
{
    tau = positive(c, name, tau);
    double decay = exp(-dt / tau);
    p[off] = cu(c, name, decay);
    double coef = M_E * dt / tau * decay;
    p[off + 1] = cu(c, name, coef > 1.0 ? 1.0 : coef);
}

static void lif_block(conv *c, const double *v, const int *ix, double dt, uint32_t *p)
{
    double cm = positive(c, "cm", v[ix[LP_CM]]);
    double tau_m = positive(c, "tau_m", v[ix[LP_TAU_M]]);
    p[AXON_P_IF_CURR_EXP_V_REST] = (uint32_t)cs(c, "v_rest", v[ix[LP_V_REST]]);
    p[AXON_P_IF_CURR_EXP_R_MEMBRANE] = (uint32_t)cs(c, "tau_m/cm", tau_m / cm);
    p[AXON_P_IF_CURR_EXP_EXP_TC] = cu(c, "tau_m", exp(-dt / tau_m));
    p[AXON_P_IF_CURR_EXP_V_RESET] = (uint32_t)cs(c, "v_reset", v[ix[LP_V_RESET]]);
    p[AXON_P_IF_CURR_EXP_V_THRESH] = (uint32_t)cs(c, "v_thresh", v[ix[LP_V_THRESH]]);
    p[AXON_P_IF_CURR_EXP_T_REFRAC] = refrac_steps(c, v[ix[LP_TAU_REFRAC]], dt);
    p[AXON_P_IF_CURR_EXP_I_OFFSET] = (uint32_t)cs(c, "i_offset", v[ix[LP_I_OFFSET]]);
}

int axon_model_convert(const axon_model_info *m, const double *v, const double *init,
                       double dt, uint32_t *p, uint32_t *s, char *err)
{
    conv c = {m, err, AXON_OK};
    if (!m || m->kind != AXON_KIND_NEURON)
        return axon_errf(err, AXON_ERR_INVALID_ARG, "not a neuron model: %s",
                         m ? m->name : "(null)");
    if (!(dt > 0 && isfinite(dt)))
        return axon_errf(err, AXON_ERR_INVALID_ARG, "timestep %g ms must be positive", dt);
    for (uint32_t i = 0; i < m->n_params; i++)
        if (!isfinite(v[i]))
            return axon_errf(err, AXON_ERR_INVALID_ARG, "%s: parameter %s = %g is not finite",
                             m->name, m->params[i].name, v[i]);
    for (uint32_t i = 0; i < m->n_inits; i++)
        if (!isfinite(init[i]))
            return axon_errf(err, AXON_ERR_INVALID_ARG, "%s: initial value %s = %g is not finite",
                             m->name, m->inits[i].name, init[i]);
    memset(p, 0, m->param_words * sizeof *p);
    memset(s, 0, m->state_words * sizeof *s);
    /* index maps from the LP_* names to this model's parameter order */
    static const int ix_std[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    static const int ix_delta[] = {0, 1, 2, -1, -1, 3, 4, 5, 6, -1, -1};
    double scale = m->conductance ? AXON_COND_WEIGHT_SCALE : m->current_scale;
    switch (m->id) {
    case AXON_MODEL_IF_CURR_EXP:
    case AXON_MODEL_IF_COND_EXP: {
        lif_block(&c, v, ix_std, dt, p);
        int off = m->id == AXON_MODEL_IF_COND_EXP ? AXON_P_IF_COND_EXP_DECAY_E
                                                  : AXON_P_IF_CURR_EXP_DECAY_E;
        if (m->id == AXON_MODEL_IF_COND_EXP) {
            p[AXON_P_IF_COND_EXP_E_REV_E] = (uint32_t)cs(&c, "e_rev_E", v[LP_E_REV_E]);
            p[AXON_P_IF_COND_EXP_E_REV_I] = (uint32_t)cs(&c, "e_rev_I", v[LP_E_REV_I]);
        }
        exp_syn(&c, p, off, "tau_syn_E", v[LP_TAU_SYN_E], dt);
        exp_syn(&c, p, off + 2, "tau_syn_I", v[LP_TAU_SYN_I], dt);
        s[AXON_S_IF_CURR_EXP_V] = (uint32_t)cs(&c, "v", init[0]);
        s[AXON_S_IF_CURR_EXP_ISYN_E] = (uint32_t)cs(&c, m->inits[1].name, init[1] * scale);
        s[AXON_S_IF_CURR_EXP_ISYN_I] = (uint32_t)cs(&c, m->inits[2].name, init[2] * scale);
        break;
    }
    case AXON_MODEL_IF_CURR_ALPHA:
        lif_block(&c, v, ix_std, dt, p);
        alpha_syn(&c, p, AXON_P_IF_CURR_ALPHA_DECAY_E, "tau_syn_E", v[LP_TAU_SYN_E], dt);
        alpha_syn(&c, p, AXON_P_IF_CURR_ALPHA_DECAY_I, "tau_syn_I", v[LP_TAU_SYN_I], dt);
        s[AXON_S_IF_CURR_ALPHA_V] = (uint32_t)cs(&c, "v", init[0]);
        s[AXON_S_IF_CURR_ALPHA_ISYN_E] = (uint32_t)cs(&c, "isyn_exc", init[1]);
        s[AXON_S_IF_CURR_ALPHA_ISYN_I] = (uint32_t)cs(&c, "isyn_inh", init[2]);
        break;
    case AXON_MODEL_IF_CURR_DELTA:
        lif_block(&c, v, ix_delta, dt, p);
        s[AXON_S_IF_CURR_DELTA_V] = (uint32_t)cs(&c, "v", init[0]);
        break;
    case AXON_MODEL_IZHIKEVICH:
        p[AXON_P_IZHIKEVICH_A] = (uint32_t)cs(&c, "a", v[IP_A]);
        p[AXON_P_IZHIKEVICH_B] = (uint32_t)cs(&c, "b", v[IP_B]);
        p[AXON_P_IZHIKEVICH_C] = (uint32_t)cs(&c, "c", v[IP_C]);
        p[AXON_P_IZHIKEVICH_D] = (uint32_t)cs(&c, "d", v[IP_D]);
        p[AXON_P_IZHIKEVICH_I_OFFSET] = (uint32_t)cs(&c, "i_offset", v[IP_I_OFFSET] * scale);
        p[AXON_P_IZHIKEVICH_H] = (uint32_t)cs(&c, "timestep", dt);
        p[AXON_P_IZHIKEVICH_H_SPIKE] =
            (uint32_t)cs(&c, "timestep", dt * AXON_IZK_H_SPIKE_FACTOR_X100 / 100.0);
        p[AXON_P_IZHIKEVICH_V_THRESH] = (uint32_t)cs(&c, "v_thresh", 30.0);
        exp_syn(&c, p, AXON_P_IZHIKEVICH_DECAY_E, "tau_syn_E", v[IP_TAU_SYN_E], dt);
        exp_syn(&c, p, AXON_P_IZHIKEVICH_DECAY_I, "tau_syn_I", v[IP_TAU_SYN_I], dt);
        s[AXON_S_IZHIKEVICH_V] = (uint32_t)cs(&c, "v", init[0]);
        s[AXON_S_IZHIKEVICH_U] = (uint32_t)cs(&c, "u", init[1]);
        s[AXON_S_IZHIKEVICH_ISYN_E] = (uint32_t)cs(&c, "isyn_exc", init[2] * scale);
        s[AXON_S_IZHIKEVICH_ISYN_I] = (uint32_t)cs(&c, "isyn_inh", init[3] * scale);
        break;
    default:
        return axon_errf(err, AXON_ERR_UNSUPPORTED, "model id %u has no conversion", m->id);
    }
    return c.rc;
}

int axon_poisson_convert(double rate, double start, double duration, double dt,
                         uint32_t block[AXON_P_POISSON_WORDS], char *err)
{
    if (!(dt > 0 && isfinite(dt)))
        return axon_errf(err, AXON_ERR_INVALID_ARG, "timestep %g ms must be positive", dt);
    double lambda = rate * dt / 1000.0;
    if (!(rate >= 0 && isfinite(rate)) || lambda > AXON_POISSON_MAX_LAMBDA)
        return axon_errf(err, AXON_ERR_INVALID_ARG,
                         "SpikeSourcePoisson: rate = %g Hz must be >= 0 and at most %d spikes "
                         "per step (%g Hz at dt = %g ms)",
                         rate, AXON_POISSON_MAX_LAMBDA, AXON_POISSON_MAX_LAMBDA * 1000.0 / dt, dt);
    if (!(start >= 0 && isfinite(start)))
        return axon_errf(err, AXON_ERR_INVALID_ARG, "SpikeSourcePoisson: start = %g ms must be >= 0",
                         start);
    if (!(duration >= 0) || isnan(duration))
        return axon_errf(err, AXON_ERR_INVALID_ARG,
                         "SpikeSourcePoisson: duration = %g ms must be >= 0", duration);
    axon_u032 l;
    axon_u032_from_double(exp(-lambda), &l);
    int64_t s0 = axon_time_to_step(start, dt);
    double end_ms = start + duration;
    int64_t s1 = isfinite(end_ms) ? axon_time_to_step(end_ms, dt) : INT64_MAX;
    block[AXON_P_POISSON_EXP_MINUS_LAMBDA] = l;
    block[AXON_P_POISSON_START_STEP] = s0 > UINT32_MAX ? UINT32_MAX : (uint32_t)s0;
    block[AXON_P_POISSON_END_STEP] = s1 >= UINT32_MAX ? UINT32_MAX : (uint32_t)s1;
    return AXON_OK;
}
