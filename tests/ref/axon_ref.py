"""Independent integer reference implementation of the Axon specification.

Written from docs/spec/*.md and docs/spec/axon_spec.json only (not from the C golden model),
so that test vectors generated with it check the golden model against the written contract.

Conventions: s16.15 values are Python ints in [-2^31, 2^31); u0.32 and u32 values are ints
in [0, 2^32). Every operation returns a value normalised to its format.
"""
import decimal
import json
import math
import os
from decimal import Decimal

SPEC_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'docs', 'spec',
                         'axon_spec.json')
with open(SPEC_PATH) as _f:
    SPEC = json.load(_f)

FIX = SPEC['fixed']
FRAC = FIX['s1615_frac_bits']            # 15
COND_SHIFT = FIX['cond_shift']           # 10
IZK_C004 = FIX['izk_coef_004']           # 1311
IZK_H_SPIKE_X100 = FIX['izk_h_spike_factor_x100']  # 185
IZK_CURRENT_SCALE = FIX['izk_current_scale']       # 1000
COND_WEIGHT_SCALE = FIX['cond_weight_scale']       # 1024

SYN = SPEC['synapse']
RING_SLOTS = SYN['ring_slots']
RING_MAX = SYN['ring_max']               # 0xFFFF
N_TYPES = SYN['n_types']

SRC = SPEC['source']
KISS_MUL_X = SRC['kiss_mul_x']
KISS_ADD_X = SRC['kiss_add_x']
KISS_MUL_Z = SRC['kiss_mul_z']
KISS_C_LIMIT = SRC['kiss_c_limit']
POISSON_MAX_SPIKES = SRC['poisson_max_spikes_per_step']
POISSON_MAX_LAMBDA = SRC['poisson_max_lambda']

M32 = 0xFFFFFFFF
INT32_MIN = -(1 << 31)
INT32_MAX = (1 << 31) - 1


class RangeError(ValueError):
    """A host conversion that the spec calls an error (AXON_ERR_RANGE)."""


class ParamError(ValueError):
    """An invalid PyNN parameter (the host rejects it)."""


# ------------------------------------------------------------------ fixed-point operations
def s32(x):
    """Low 32 bits of x as a signed two's-complement value."""
    x &= M32
    return x - (1 << 32) if x & 0x80000000 else x


def u32(x):
    return x & M32


def add(a, b):
    """s16.15 sum, wrapping modulo 2^32."""
    return s32(a + b)


def sub(a, b):
    """s16.15 difference, wrapping modulo 2^32."""
    return s32(a - b)


def mul(a, b):
    """s16.15 x s16.15: floor(a b / 2^15) (arithmetic shift of the exact product), low 32 bits."""
    return s32((a * b) >> FRAC)


def mulu(a, d):
    """s16.15 x u0.32: floor(a d / 2^32); never overflows."""
    r = (a * d) >> 32
    assert INT32_MIN <= r <= INT32_MAX
    return r


def muluu(a, b):
    """u0.32 x u0.32: floor(a b / 2^32)."""
    return (a * b) >> 32


def half(a):
    """floor(a / 2)."""
    return a >> 1


def asr(a, k):
    """Arithmetic shift right of an s16.15 value (floor)."""
    return a >> k


# ------------------------------------------------------------------ host conversions
def round_half_away(x):
    """round() with ties away from zero (C round), exact for every finite double."""
    ax = abs(x)
    f = math.floor(ax)          # exact: an int
    frac = ax - f               # exact for doubles (no rounding in this subtraction)
    r = f + 1 if frac >= 0.5 else f
    return -r if x < 0 else r


def s1615_from_double(v):
    """raw = round(v x 2^15), ties away from zero; NaN, inf, out of int32 -> RangeError."""
    if not math.isfinite(v):
        raise RangeError('not finite')
    x = v * 32768.0
    if not math.isfinite(x):
        raise RangeError('overflow')
    r = round_half_away(x)
    if r < INT32_MIN or r > INT32_MAX:
        raise RangeError('out of s16.15 range')
    return r


def u032_from_double(v):
    """raw = round(v x 2^32); 2^32 becomes 0xFFFFFFFF; v outside [0, 1] or NaN -> RangeError."""
    if math.isnan(v) or v < 0.0 or v > 1.0:
        raise RangeError('outside [0, 1]')
    r = round_half_away(v * 4294967296.0)
    return min(r, M32)


# The transcendental host constants (exp_tc, decay, init, coef, Poisson L) are defined by the
# spec as real numbers; they are evaluated here with 60 significant digits from the exact values
# of the double inputs and then rounded once, so the reference is the correctly rounded value
# (a plain double evaluation of (tau/dt)(1 - exp(-dt/tau)) loses digits to cancellation when
# tau >> dt).
_DCTX = decimal.Context(prec=60, rounding=decimal.ROUND_HALF_EVEN)
_TWO32 = Decimal(4294967296)
_E = _DCTX.exp(Decimal(1))


def dexp(x):
    return _DCTX.exp(x)


def ddiv(a, b):
    return _DCTX.divide(Decimal(a), Decimal(b))


def u032_from_real(v):
    """u0.32 of an exact real (Decimal): round(v x 2^32) ties away, 2^32 -> 0xFFFFFFFF."""
    if v < 0 or v > 1:
        raise RangeError('outside [0, 1]')
    r = int(_DCTX.multiply(v, _TWO32).quantize(Decimal(1), rounding=decimal.ROUND_HALF_UP))
    return min(r, M32)


def time_to_step(t_ms, dt_ms):
    """round(t / dt), ties away from zero."""
    return round_half_away(t_ms / dt_ms)


def refrac_steps(tau_refrac, dt):
    """ceil(tau_refrac / dt - 1e-9) (arithmetic.md)."""
    return math.ceil(tau_refrac / dt - 1e-9)


def weight_to_fixed(w_abs_scaled, shift):
    """round(w x 2^(15 - shift)); above 0xFFFF -> RangeError (synapses.md)."""
    r = round_half_away(w_abs_scaled * math.ldexp(1.0, FRAC - shift))
    if r > RING_MAX:
        raise RangeError('weight above 0xFFFF')
    return r


# ------------------------------------------------------------------ KISS and Poisson
class Kiss:
    def __init__(self, x, y, z, c):
        self.x, self.y, self.z, self.c = x, y, z, c

    def next(self):
        self.x = (KISS_MUL_X * self.x + KISS_ADD_X) & M32
        y = self.y
        y ^= (y << 5) & M32
        y ^= y >> 7
        y ^= (y << 22) & M32
        self.y = y
        t = KISS_MUL_Z * self.z + self.c
        self.c = t >> 32
        self.z = t & M32
        return (self.x + self.y + self.z) & M32


def kiss_seed_valid(s):
    x, y, z, c = s
    return y != 0 and c < KISS_C_LIMIT and (z, c) != (0, 0)


def splitmix64_stream(state):
    M64 = (1 << 64) - 1
    while True:
        state = (state + 0x9E3779B97F4A7C15) & M64
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        yield z ^ (z >> 31)


def kiss_derive_seed(user_seed, g):
    """sources.md: splitmix64 over S xor (g << 32 | 0xA5A5), two outputs a, b per attempt."""
    st = (user_seed ^ ((g << 32) | 0xA5A5)) & ((1 << 64) - 1)
    gen = splitmix64_stream(st)
    while True:
        a = next(gen)
        b = next(gen)
        s = (a & M32, a >> 32, b & M32, (b >> 32) % KISS_C_LIMIT)
        if kiss_seed_valid(s):
            return s


def poisson_count(kiss, L):
    """Knuth's product method in integers. Returns (k, capped)."""
    p = M32
    k = 0
    while True:
        p = muluu(p, kiss.next())
        if p <= L:
            return k, False
        if k == POISSON_MAX_SPIKES:
            return k, True
        k += 1


def poisson_convert(rate_hz, start_ms, duration_ms, dt_ms):
    """[exp(-lambda) u0.32, start_step, end_step]. end_step reading: round((start + duration)
    / dt) (the spec does not say how duration converts; see the report)."""
    if not math.isfinite(rate_hz) or rate_hz < 0:
        raise ParamError('rate')
    lam = rate_hz * dt_ms / 1000.0
    if lam > POISSON_MAX_LAMBDA:
        raise ParamError('lambda > max')
    L = u032_from_real(dexp(-_DCTX.divide(_DCTX.multiply(Decimal(rate_hz), Decimal(dt_ms)),
                                          Decimal(1000))))
    start = time_to_step(start_ms, dt_ms)
    if math.isinf(duration_ms):
        end = M32
    else:
        end = time_to_step(start_ms + duration_ms, dt_ms)
    return [L, start, end]


# ------------------------------------------------------------------ models: layouts
def _layout(model_name):
    m = SPEC['models']['list'][model_name]
    comps = SPEC['models']['components']
    params, state = [], []
    for part in ('neuron', 'input', 'synapse'):
        c = comps[m[part]]
        params += [p[0] for p in c['params']]
        state += [s[0] for s in c['state']]
    return m, params, state


class ModelLayout:
    def __init__(self, name):
        m, params, state = _layout(name)
        self.name = name
        self.id = m['id']
        self.neuron = m['neuron']
        self.input = m['input']
        self.synapse = m['synapse']
        self.pnames = params
        self.snames = state
        self.P = {n: i for i, n in enumerate(params)}
        self.S = {n: i for i, n in enumerate(state)}
        self.param_words = len(params)
        self.state_words = len(state)


MODEL_NAMES = list(SPEC['models']['list'].keys())
LAYOUTS = {n: ModelLayout(n) for n in MODEL_NAMES}

# PyNN standard parameters and defaults (PyNN's cells; Axon adds tau_syn_E/I to Izhikevich,
# default 5 ms, models.md). Order here is only for printing; the C test maps by name.
_LIF_BASE = [('cm', 1.0), ('tau_m', 20.0), ('tau_refrac', 0.1), ('v_rest', -65.0),
             ('v_reset', -65.0), ('v_thresh', -50.0), ('i_offset', 0.0)]
PYNN = {
    'IF_curr_exp': {
        'params': _LIF_BASE + [('tau_syn_E', 5.0), ('tau_syn_I', 5.0)],
        'inits': [('v', -65.0), ('isyn_exc', 0.0), ('isyn_inh', 0.0)]},
    'IF_cond_exp': {
        'params': _LIF_BASE + [('tau_syn_E', 5.0), ('tau_syn_I', 5.0), ('e_rev_E', 0.0),
                               ('e_rev_I', -70.0)],
        'inits': [('v', -65.0), ('gsyn_exc', 0.0), ('gsyn_inh', 0.0)]},
    'IF_curr_alpha': {
        'params': _LIF_BASE + [('tau_syn_E', 0.5), ('tau_syn_I', 0.5)],
        'inits': [('v', -65.0), ('isyn_exc', 0.0), ('isyn_inh', 0.0)]},
    'IF_curr_delta': {
        'params': list(_LIF_BASE),
        'inits': [('v', -65.0)]},
    'Izhikevich': {
        'params': [('a', 0.02), ('b', 0.2), ('c', -65.0), ('d', 2.0), ('i_offset', 0.0),
                   ('tau_syn_E', 5.0), ('tau_syn_I', 5.0)],
        'inits': [('v', -70.0), ('u', -14.0), ('isyn_exc', 0.0), ('isyn_inh', 0.0)]},
}


def current_scale(model_name):
    """Factor from PyNN units of weights and initial synaptic state to the model's state
    unit (uS -> uS x 1024 for conductance; nA -> pA-equivalent for Izhikevich)."""
    if model_name == 'IF_cond_exp':
        return float(COND_WEIGHT_SCALE)
    if model_name == 'Izhikevich':
        return float(IZK_CURRENT_SCALE)
    return 1.0


# ------------------------------------------------------------------ models: conversion
def _s(name, v):
    try:
        return s1615_from_double(v)
    except RangeError as e:
        raise ParamError('%s=%r: %s' % (name, v, e))


def _ur(name, v):
    try:
        return u032_from_real(v)
    except RangeError as e:
        raise ParamError('%s=%s: %s' % (name, v, e))


def convert(model_name, params, inits, dt):
    """PyNN parameters (dict, missing -> default) and initial values -> (param words, state
    words) as unsigned 32-bit ints. Raises ParamError for invalid parameters."""
    lay = LAYOUTS[model_name]
    p = dict(PYNN[model_name]['params'])
    p.update(params)
    ini = dict(PYNN[model_name]['inits'])
    ini.update(inits)
    for k, v in list(p.items()) + list(ini.items()):
        if not math.isfinite(v):
            raise ParamError('%s not finite' % k)
    for k in ('cm', 'tau_m', 'tau_syn_E', 'tau_syn_I'):
        if k in p and p[k] <= 0:
            raise ParamError('%s must be positive' % k)
    if 'tau_refrac' in p and p['tau_refrac'] < 0:
        raise ParamError('tau_refrac negative')
    scale = current_scale(model_name)
    pw = {}
    sw = {}
    if lay.neuron == 'lif':
        pw['v_rest'] = _s('v_rest', p['v_rest'])
        pw['r_membrane'] = _s('r_membrane', p['tau_m'] / p['cm'])
        pw['exp_tc'] = _ur('exp_tc', dexp(-ddiv(dt, p['tau_m'])))
        pw['v_reset'] = _s('v_reset', p['v_reset'])
        pw['v_thresh'] = _s('v_thresh', p['v_thresh'])
        tr = refrac_steps(p['tau_refrac'], dt)
        if tr > M32:
            raise ParamError('tau_refrac too long')
        pw['t_refrac'] = tr
        pw['i_offset'] = _s('i_offset', p['i_offset'])     # nA, also for IF_cond_exp
        sw['v'] = _s('v', ini['v'])
        sw['refract'] = 0
    else:
        for k in ('a', 'b', 'c', 'd'):
            pw[k] = _s(k, p[k])
        pw['i_offset'] = _s('i_offset', p['i_offset'] * IZK_CURRENT_SCALE)
        pw['h'] = _s('h', dt)
        pw['h_spike'] = _s('h_spike', dt * (IZK_H_SPIKE_X100 / 100.0))
        pw['v_thresh'] = _s('v_thresh', 30.0)
        sw['v'] = _s('v', ini['v'])
        sw['u'] = _s('u', ini['u'])
        sw['flags'] = 0
    if lay.input == 'cond':
        pw['e_rev_e'] = _s('e_rev_E', p['e_rev_E'])
        pw['e_rev_i'] = _s('e_rev_I', p['e_rev_I'])
    if lay.synapse in ('exp', 'alpha'):
        if model_name == 'IF_cond_exp':
            ie, ii = ini['gsyn_exc'], ini['gsyn_inh']
        else:
            ie, ii = ini['isyn_exc'], ini['isyn_inh']
        for suf, tau, i0 in (('e', p['tau_syn_E'], ie), ('i', p['tau_syn_I'], ii)):
            x = ddiv(dt, tau)                     # dt / tau, exact to 60 digits
            decay = dexp(-x)
            pw['decay_' + suf] = _ur('decay_' + suf, decay)
            if lay.synapse == 'exp':
                pw['init_' + suf] = _ur('init_' + suf, _DCTX.divide(1 - decay, x))
            else:
                coef = _E * x * decay
                pw['coef_' + suf] = _ur('coef_' + suf, min(coef, Decimal(1)))
                sw['z_' + suf] = 0
            sw['isyn_' + suf] = _s('isyn_' + suf, i0 * scale)
    pblock = [u32(pw[n]) for n in lay.pnames]
    sblock = [u32(sw[n]) for n in lay.snames]
    return pblock, sblock


# ------------------------------------------------------------------ neuron core
class NeuronCore:
    """One neuron core: parameter/state blocks (raw words), ring buffers, the step pipeline of
    models.md, recording (recording.md) and the core counters."""

    def __init__(self, model_name, params, state, weight_shift, rec_flags=0xF, rec_interval=1,
                 rec_bitmaps=None):
        self.lay = LAYOUTS[model_name]
        self.n = len(params)
        self.params = [list(b) for b in params]
        # state held as signed values for s16.15 words, unsigned for u32 words
        self.fmt = [self._fmt(nm) for nm in self.lay.snames]
        self.state = [[s32(w) if f == 's' else u32(w) for w, f in zip(b, self.fmt)]
                      for b in state]
        self.shift = list(weight_shift)
        self.ring = [[[0] * self.n for _ in range(N_TYPES)] for _ in range(RING_SLOTS)]
        self.rec_flags = rec_flags
        self.rec_interval = rec_interval
        if rec_bitmaps is None:
            self.rec_sel = [[True] * self.n for _ in range(4)]
        else:
            self.rec_sel = [[bool(rec_bitmaps[v][i // 32] >> (i % 32) & 1) for i in range(self.n)]
                            for v in range(4)]
        self.counters = {k: 0 for k in SPEC['counters']['core']}
        self.samples = []   # (step, [values...]) on sampling steps
        self.spikes = []    # (step, index) of recorded neurons

    def _fmt(self, sname):
        comps = SPEC['models']['components']
        m = SPEC['models']['list'][self.lay.name]
        for part in ('neuron', 'input', 'synapse'):
            for s in comps[m[part]]['state']:
                if s[0] == sname:
                    return 's' if s[1] == 's1615' else 'u'
        raise KeyError(sname)

    def ring_add(self, slot, typ, idx, w):
        acc = self.ring[slot][typ][idx] + w
        self.ring[slot][typ][idx] = min(acc, RING_MAX + 1)

    def state_words(self, i):
        return [u32(w) for w in self.state[i]]

    def step(self, t):
        """Runs the pipeline of step t; returns the list of spiking neuron indices."""
        lay = self.lay
        P, S = lay.P, lay.S
        slot = t % RING_SLOTS
        sample = (t % self.rec_interval) == 0
        vals = [[], [], []]
        fired = []
        for i in range(self.n):
            p = self.params[i]
            s = self.state[i]
            # 1. transfer
            x = [0, 0]
            for k in range(N_TYPES):
                r = self.ring[slot][k][i]
                self.ring[slot][k][i] = 0
                if r > RING_MAX:
                    self.counters['saturations'] += 1
                x[k] = s32(min(r, RING_MAX) << self.shift[k])
            # 2. synapse add
            jump = 0
            if lay.synapse == 'exp':
                s[S['isyn_e']] = add(s[S['isyn_e']], mulu(x[0], p[P['init_e']]))
                s[S['isyn_i']] = add(s[S['isyn_i']], mulu(x[1], p[P['init_i']]))
            elif lay.synapse == 'alpha':
                s[S['z_e']] = add(s[S['z_e']], x[0])
                s[S['z_i']] = add(s[S['z_i']], x[1])
            else:
                jump = sub(x[0], x[1])
            v_start = s[S['v']]
            # 3. sample
            if sample:
                if lay.synapse == 'delta':
                    ge, gi = x[0], x[1]
                elif lay.input == 'cond':
                    ge, gi = asr(s[S['isyn_e']], COND_SHIFT), asr(s[S['isyn_i']], COND_SHIFT)
                else:
                    ge, gi = s[S['isyn_e']], s[S['isyn_i']]
                if self.rec_sel[1][i]:
                    vals[0].append(v_start)
                if self.rec_sel[2][i]:
                    vals[1].append(ge)
                if self.rec_sel[3][i]:
                    vals[2].append(gi)
            # 4. update
            if lay.synapse == 'delta':
                isyn = 0
            elif lay.input == 'cond':
                g0 = asr(s[S['isyn_e']], COND_SHIFT)
                g1 = asr(s[S['isyn_i']], COND_SHIFT)
                isyn = add(mul(g0, sub(s32(p[P['e_rev_e']]), v_start)),
                           mul(g1, sub(s32(p[P['e_rev_i']]), v_start)))
            else:
                isyn = sub(s[S['isyn_e']], s[S['isyn_i']])
            spike = False
            if lay.neuron == 'lif':
                v = v_start
                if s[S['refract']] == 0:
                    if lay.synapse == 'delta':
                        I = s32(p[P['i_offset']])
                    else:
                        I = add(isyn, s32(p[P['i_offset']]))
                    a = add(mul(I, s32(p[P['r_membrane']])), s32(p[P['v_rest']]))
                    v = sub(a, mulu(sub(a, v), p[P['exp_tc']]))
                    if lay.synapse == 'delta':
                        v = add(v, jump)
                else:
                    s[S['refract']] = s[S['refract']] - 1
                if v >= s32(p[P['v_thresh']]):
                    v = s32(p[P['v_reset']])
                    s[S['refract']] = p[P['t_refrac']]
                    spike = True
                s[S['v']] = v
            else:
                v = v_start
                u = s[S['u']]
                I = add(isyn, s32(p[P['i_offset']]))
                h = s32(p[P['h_spike']]) if (s[S['flags']] & 1) else s32(p[P['h']])
                a_ = s32(p[P['a']])
                b_ = s32(p[P['b']])
                K5 = 5 << FRAC
                K140 = 140 << FRAC
                pre = sub(add(K140, I), u)
                alpha = add(pre, mul(add(K5, mul(IZK_C004, v)), v))
                eta = add(v, half(mul(h, alpha)))
                beta = half(mul(mul(h, sub(mul(b_, v), u)), a_))
                v2 = add(v, mul(h, add(sub(pre, beta), mul(add(K5, mul(IZK_C004, eta)), eta))))
                u2 = add(u, mul(mul(a_, h), sub(sub(mul(b_, eta), u), beta)))
                if v2 >= s32(p[P['v_thresh']]):
                    s[S['v']] = s32(p[P['c']])
                    s[S['u']] = add(u2, s32(p[P['d']]))
                    s[S['flags']] = 1
                    spike = True
                else:
                    s[S['v']] = v2
                    s[S['u']] = u2
                    s[S['flags']] = 0
            if spike:
                fired.append(i)
            # 5. synapse decay
            if lay.synapse == 'exp':
                s[S['isyn_e']] = mulu(s[S['isyn_e']], p[P['decay_e']])
                s[S['isyn_i']] = mulu(s[S['isyn_i']], p[P['decay_i']])
            elif lay.synapse == 'alpha':
                for suf in ('e', 'i'):
                    z = s[S['z_' + suf]]
                    s[S['isyn_' + suf]] = add(mulu(s[S['isyn_' + suf]], p[P['decay_' + suf]]),
                                              mulu(z, p[P['coef_' + suf]]))
                    s[S['z_' + suf]] = mulu(z, p[P['decay_' + suf]])
        if sample:
            row = []
            if self.rec_flags >> 1 & 1:
                row += vals[0]
            if self.rec_flags >> 2 & 1:
                row += vals[1]
            if self.rec_flags >> 3 & 1:
                row += vals[2]
            if row:
                self.samples.append((t, row))
        if self.rec_flags & 1:
            for i in fired:
                if self.rec_sel[0][i]:
                    self.spikes.append((t, i))
        self.counters['spikes_out'] += len(fired)
        return fired


# ------------------------------------------------------------------ synaptic matrix
def syn_word(weight, delay, typ, index):
    f = SYN['word']
    assert 0 <= weight <= 0xFFFF and 1 <= delay <= 16 and 0 <= typ < 4 and 0 <= index < 1024
    return (weight << f['weight']['lsb'] | (delay - 1) << f['delay_m1']['lsb'] |
            typ << f['type']['lsb'] | index << f['index']['lsb'])


def decode_syn(w):
    f = SYN['word']

    def fld(name):
        return (w >> f[name]['lsb']) & ((1 << f[name]['width']) - 1)
    return fld('weight'), fld('delay_m1') + 1, fld('type'), fld('index')


def build_matrix(entries):
    """entries: list of dicts {key, mask, rows: [[syn words] per row id], stride (optional)}.
    Returns (mpt words, syn words) with entries sorted by key, rows at a fixed stride."""
    entries = sorted(entries, key=lambda e: e['key'])
    mpt, syn = [], []
    mw = SYN['mpt_word']
    sh = SYN['mpt_shape']
    for e in entries:
        rows = e['rows']
        stride = e.get('stride') or 1 + max([len(r) for r in rows] + [0])
        base = len(syn)
        for r in rows:
            assert len(r) <= stride - 1
            syn += [len(r)] + list(r) + [0] * (stride - 1 - len(r))
        ent = [0] * SYN['mpt_entry_words']
        ent[mw['key']] = e['key']
        ent[mw['mask']] = e['mask']
        ent[mw['row_base']] = base
        ent[mw['shape']] = stride << sh['stride']['lsb'] | len(rows) << sh['n_rows']['lsb']
        mpt += ent
    return mpt, syn


class Matrix:
    """Population-table lookup and row application (synapses.md)."""

    def __init__(self, mpt, syn):
        self.syn = syn
        mw = SYN['mpt_word']
        sh = SYN['mpt_shape']
        n = SYN['mpt_entry_words']
        self.entries = []
        for j in range(0, len(mpt), n):
            e = mpt[j:j + n]
            shape = e[mw['shape']]
            self.entries.append((e[mw['key']], e[mw['mask']], e[mw['row_base']],
                                 shape >> sh['stride']['lsb'] & 0xFFFF,
                                 shape >> sh['n_rows']['lsb'] & 0xFFFF))

    def deliver(self, core, t, K):
        core.counters['packets_in'] += 1
        best = None
        for e in self.entries:          # last entry with key <= K (entries are sorted)
            if e[0] <= K:
                best = e
        if best is None or (K & best[1]) != best[0]:
            core.counters['mpt_miss'] += 1
            return
        key, mask, base, stride, n_rows = best
        rid = K & ~mask & M32
        if rid >= n_rows:
            core.counters['row_invalid'] += 1
            return
        at = base + rid * stride
        n_static = self.syn[at] & 0xFFFF
        for w in self.syn[at + 1:at + 1 + n_static]:
            core.counters['synaptic_events'] += 1
            weight, delay, typ, idx = decode_syn(w)
            core.ring_add((t + delay) % RING_SLOTS, typ, idx, weight)


def route_lookup(table, K):
    """First entry with (K & mask) == key: its route, or None."""
    for key, mask, route in table:
        if K & mask == key:
            return route
    return None
