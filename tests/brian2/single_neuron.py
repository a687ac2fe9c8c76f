#!/usr/bin/python3
"""Single-neuron reference traces from Brian2 for tests/unit/test_vs_brian2.c.

Usage: /usr/bin/python3 tests/brian2/single_neuron.py OUTDIR [SCENARIO ...]

The scenario table below is the one source of truth: for every scenario the script writes
OUTDIR/<name>.csv (one row per step: step, v at the start of the step, v at the end of the
step's update before any reset, spike flag) and, for all scenarios together,
OUTDIR/scenarios.txt, which the C test reads to build the same single-neuron network on the
golden engine (model, every PyNN parameter, initial values, i_offset changes and input
spikes). Nothing about a scenario is repeated in the C test.

Alignment with Axon (docs/spec/brian2_comparison.md):
  * Step t covers [t dt, (t+1) dt). Brian2's schedule per step is start, groups (state
    update), thresholds, synapses, resets, end. A StateMonitor at 'start' records V(t dt), the
    value Axon samples before the update of step t; a second one at 'after_thresholds'
    records the pre-reset value at the end of step t.
  * A spike in step t (threshold crossed by the update of step t) has Brian2 time t dt.
  * Axon input sent in step k with delay D (steps) is first felt in the update of step k+D.
    Brian2's on_pre runs in the 'synapses' slot after the update, so an effect on a
    synaptic variable with Brian2 delay (D-1) dt (applied at the end of step k+D-1) is first
    felt in the update of step k+D. The delta synapse adds to V at the end of the update of
    step k+D before the threshold; its pathway runs in the 'before_thresholds' slot, which
    pushes the source's spikes of the previous step, so Brian2 delay (D-1) dt again lands
    in step k+D.
  * Refractory: Axon holds V for T = ceil(tau_refrac/dt) steps after the spike step.
    Brian2's not_refractory = (steps since spike >= refractory/dt), so refractory = (T+1) dt
    holds the same T steps. Synaptic variables keep decaying; delta inputs are dropped
    (writes to a variable marked 'unless refractory' are conditional in Brian2).
  * Izhikevich currents: i_offset and weights in nA are multiplied by 1000 (AXON izk current
    scale), so the equation sees pA-like numbers as in NEST/Brian2 examples.
"""
import math
import os
import sys
import time

# ---------------------------------------------------------------------------------------
# Scenario table (the one source of truth).
# params: every PyNN parameter of the model (PyNN units: nF, ms, mV, nA, uS).
# ioffset: list of (step, value): i_offset becomes value from that step's update on (the
#          host writes the parameter word between runs); params['i_offset'] is the start.
# inputs: list of (send_step, 'exc'|'inh', weight, delay_steps) spikes from a
#         SpikeSourceArray; weight in nA (current), uS (conductance) or mV (delta), > 0.
# ---------------------------------------------------------------------------------------
LIF = dict(cm=0.7, tau_m=15.0, tau_refrac=2.0, tau_syn_E=3.0, tau_syn_I=6.0,
           v_rest=-65.0, v_reset=-70.0, v_thresh=-51.3, i_offset=0.0)
COND = dict(LIF, e_rev_E=0.0, e_rev_I=-75.0)
ALPHA = dict(LIF, tau_syn_E=1.5, tau_syn_I=0.5)
DELTA = {k: LIF[k] for k in ('cm', 'tau_m', 'tau_refrac', 'v_rest', 'v_reset', 'v_thresh',
                             'i_offset')}
IZK = dict(a=0.02, b=0.2, c=-65.0, d=8.0, i_offset=0.0, tau_syn_E=4.0, tau_syn_I=6.0)

CURR_INIT = dict(v=-65.0, isyn_exc=0.0, isyn_inh=0.0)
COND_INIT = dict(v=-65.0, gsyn_exc=0.0, gsyn_inh=0.0)
DELTA_INIT = dict(v=-65.0)
IZK_INIT = dict(v=-70.0, u=-14.0, isyn_exc=0.0, isyn_inh=0.0)


def with_(base, **kw):
    d = dict(base)
    d.update(kw)
    return d


# Input trains (send step, type, weight, delay), at dt = 0.1 ms: single PSPs, same-step
# sums from different delays, spikes driven by inputs, inputs during the refractory period,
# inhibition, long (16-step) delays.
def train(scale_e, scale_i):
    return [
        (100, 'exc', 0.8 * scale_e, 1),
        (300, 'exc', 1.6 * scale_e, 1),
        (305, 'exc', 1.2 * scale_e, 3),
        (600, 'exc', 2.5 * scale_e, 16),
        (602, 'exc', 2.5 * scale_e, 14),   # same arrival step as the previous one
        (900, 'inh', 1.0 * scale_i, 2),
        (905, 'exc', 1.5 * scale_e, 5),
        (1200, 'inh', 2.0 * scale_i, 1),
        (1210, 'exc', 3.0 * scale_e, 1),
        (1222, 'exc', 3.0 * scale_e, 1),   # shortly after the previous one
        (1240, 'exc', 2.0 * scale_e, 2),
        (1500, 'exc', 0.3 * scale_e, 8),
        (1501, 'inh', 0.3 * scale_i, 7),   # exc and inh arriving in the same step
        (1700, 'inh', 0.7 * scale_i, 4),
        (1760, 'exc', 2.2 * scale_e, 10),
    ]


def coarse(tr):
    """The same train for dt = 1 ms: steps / 10, delays kept within 1..16."""
    return [(s // 10, ty, w, max(1, min(16, d // 2 + 1))) for s, ty, w, d in tr]


SCENARIOS = [
    # IF_curr_exp
    dict(name='curr_exp_const', model='IF_curr_exp', dt=0.1, steps=2000,
         params=with_(LIF, i_offset=1.05), init=CURR_INIT, ioffset=[], inputs=[]),
    dict(name='curr_exp_step', model='IF_curr_exp', dt=0.1, steps=2000,
         params=with_(LIF, i_offset=0.2), init=CURR_INIT, ioffset=[(500, 1.37), (1400, 0.45)],
         inputs=[]),
    dict(name='curr_exp_spikes', model='IF_curr_exp', dt=0.1, steps=2000,
         params=with_(LIF, i_offset=0.5), init=CURR_INIT, ioffset=[], inputs=train(1.0, 1.0)),
    dict(name='curr_exp_const_dt1', model='IF_curr_exp', dt=1.0, steps=300,
         params=with_(LIF, i_offset=1.13), init=CURR_INIT, ioffset=[], inputs=[]),
    dict(name='curr_exp_spikes_dt1', model='IF_curr_exp', dt=1.0, steps=200,
         params=with_(LIF, i_offset=0.5), init=CURR_INIT, ioffset=[],
         inputs=coarse(train(1.0, 1.0))),
    # IF_cond_exp (weights in uS)
    dict(name='cond_exp_const', model='IF_cond_exp', dt=0.1, steps=2000,
         params=with_(COND, i_offset=1.02), init=COND_INIT, ioffset=[], inputs=[]),
    dict(name='cond_exp_step', model='IF_cond_exp', dt=0.1, steps=2000,
         params=with_(COND, i_offset=0.3), init=COND_INIT, ioffset=[(400, 1.21)], inputs=[]),
    dict(name='cond_exp_spikes', model='IF_cond_exp', dt=0.1, steps=2000,
         params=with_(COND, i_offset=0.5), init=COND_INIT, ioffset=[],
         inputs=train(0.022, 0.06)),
    dict(name='cond_exp_spikes_dt1', model='IF_cond_exp', dt=1.0, steps=200,
         params=with_(COND, i_offset=0.5), init=COND_INIT, ioffset=[],
         inputs=coarse(train(0.022, 0.06))),
    # IF_curr_alpha
    dict(name='curr_alpha_const', model='IF_curr_alpha', dt=0.1, steps=2000,
         params=with_(ALPHA, i_offset=0.97), init=CURR_INIT, ioffset=[], inputs=[]),
    dict(name='curr_alpha_step', model='IF_curr_alpha', dt=0.1, steps=2000,
         params=with_(ALPHA, i_offset=0.0), init=CURR_INIT, ioffset=[(700, 1.5)], inputs=[]),
    dict(name='curr_alpha_spikes', model='IF_curr_alpha', dt=0.1, steps=2000,
         params=with_(ALPHA, i_offset=0.5), init=CURR_INIT, ioffset=[],
         inputs=train(0.55, 1.5)),
    # IF_curr_delta (weights in mV)
    dict(name='curr_delta_const', model='IF_curr_delta', dt=0.1, steps=2000,
         params=with_(DELTA, i_offset=0.99), init=DELTA_INIT, ioffset=[], inputs=[]),
    dict(name='curr_delta_step', model='IF_curr_delta', dt=0.1, steps=2000,
         params=with_(DELTA, i_offset=0.1), init=DELTA_INIT, ioffset=[(300, 1.61)], inputs=[]),
    dict(name='curr_delta_spikes', model='IF_curr_delta', dt=0.1, steps=2000,
         params=with_(DELTA, i_offset=0.5), init=DELTA_INIT, ioffset=[],
         inputs=train(1.9, 2.1)),
    dict(name='curr_delta_spikes_dt1', model='IF_curr_delta', dt=1.0, steps=200,
         params=with_(DELTA, i_offset=0.5), init=DELTA_INIT, ioffset=[],
         inputs=coarse(train(1.9, 2.1))),
    # Izhikevich (regular spiking; currents in nA, x1000 inside the model)
    dict(name='izk_const', model='Izhikevich', dt=0.1, steps=3000,
         params=with_(IZK, i_offset=0.01), init=IZK_INIT, ioffset=[], inputs=[]),
    dict(name='izk_step', model='Izhikevich', dt=0.1, steps=3000,
         params=with_(IZK, i_offset=0.0), init=IZK_INIT, ioffset=[(500, 0.014)], inputs=[]),
    dict(name='izk_spikes', model='Izhikevich', dt=0.1, steps=2000,
         params=with_(IZK, i_offset=0.002), init=IZK_INIT, ioffset=[],
         inputs=train(0.03, 0.02)),
]

# PyNN parameter and initial-value order of each model (as in models/convert.c); the
# manifest lists them all by name, so the order here only makes the file readable.
PARAM_ORDER = {
    'IF_curr_exp': list(LIF),
    'IF_cond_exp': list(COND),
    'IF_curr_alpha': list(ALPHA),
    'IF_curr_delta': list(DELTA),
    'Izhikevich': list(IZK),
}
INIT_ORDER = {
    'IF_curr_exp': list(CURR_INIT),
    'IF_cond_exp': list(COND_INIT),
    'IF_curr_alpha': list(CURR_INIT),
    'IF_curr_delta': list(DELTA_INIT),
    'Izhikevich': list(IZK_INIT),
}
IZK_CURRENT_SCALE = 1000.0


def substeps(sc):
    """Brian2 steps per Axon step. LIF: 1 (exact integration, or RK4 for IF_cond_exp, is
    converged at dt). Izhikevich: RK4 at dt is not a converged reference (its spike times
    differ from RK4 at dt/100 by up to 14 steps in a burst, more than Axon's RK2 does), so
    Brian2 runs at dt/10 and V is sampled every 10 steps."""
    return 10 if sc['model'] == 'Izhikevich' else 1


def refrac_steps(tau_refrac, dt):
    """Axon: ceil(tau_refrac/dt - 1e-9) (docs/spec/arithmetic.md)."""
    return int(math.ceil(tau_refrac / dt - 1e-9))


def simulate(sc):
    """Runs one scenario in Brian2; returns (v_start, v_end, spike_steps)."""
    import brian2 as b2
    from brian2 import ms, mV, nA, nF, uS

    b2.start_scope()
    b2.prefs.codegen.target = 'numpy'
    dt = sc['dt']
    sub = substeps(sc)
    b2.defaultclock.dt = dt / sub * ms
    p = sc['params']
    model = sc['model']
    ns = {}
    if model == 'Izhikevich':
        eqs = '''
        dv/dt = (0.04*v**2 + 5*v + 140 - u + I_e - I_i + i_off) / ms : 1
        du/dt = a*(b*v - u) / ms : 1
        dI_e/dt = -I_e / tau_e : 1
        dI_i/dt = -I_i / tau_i : 1
        i_off : 1
        '''
        ns.update(a=p['a'], b=p['b'], c=p['c'], d=p['d'], tau_e=p['tau_syn_E'] * ms,
                  tau_i=p['tau_syn_I'] * ms)
        g = b2.NeuronGroup(1, eqs, threshold='v >= 30', reset='v = c\nu += d', method='rk4',
                           namespace=ns)
        g.v = sc['init']['v']
        g.u = sc['init']['u']
        g.I_e = sc['init']['isyn_exc'] * IZK_CURRENT_SCALE
        g.I_i = sc['init']['isyn_inh'] * IZK_CURRENT_SCALE
        scale = IZK_CURRENT_SCALE
        set_ioff = lambda x: setattr(g, 'i_off', x * IZK_CURRENT_SCALE)  # noqa: E731
        targets = {'exc': ('I_e', 1.0), 'inh': ('I_i', 1.0)}
    else:
        ns.update(C_m=p['cm'] * nF, tau_m=p['tau_m'] * ms, v_rest=p['v_rest'] * mV,
                  v_reset=p['v_reset'] * mV, v_thresh=p['v_thresh'] * mV)
        if model in ('IF_curr_exp', 'IF_cond_exp', 'IF_curr_alpha'):
            ns.update(tau_e=p['tau_syn_E'] * ms, tau_i=p['tau_syn_I'] * ms)
        if model == 'IF_curr_exp':
            eqs = '''
            dv/dt = (v_rest - v)/tau_m + (I_e - I_i + i_off)/C_m : volt (unless refractory)
            dI_e/dt = -I_e/tau_e : amp
            dI_i/dt = -I_i/tau_i : amp
            i_off : amp
            '''
            method = 'exact'
            targets = {'exc': ('I_e', nA), 'inh': ('I_i', nA)}
        elif model == 'IF_cond_exp':
            ns.update(e_rev_E=p['e_rev_E'] * mV, e_rev_I=p['e_rev_I'] * mV)
            eqs = '''
            dv/dt = (v_rest - v)/tau_m + (g_e*(e_rev_E - v) + g_i*(e_rev_I - v) + i_off)/C_m : volt (unless refractory)
            dg_e/dt = -g_e/tau_e : siemens
            dg_i/dt = -g_i/tau_i : siemens
            i_off : amp
            '''
            method = 'rk4'  # not linear with constant coefficients: no closed form
            targets = {'exc': ('g_e', uS), 'inh': ('g_i', uS)}
        elif model == 'IF_curr_alpha':
            # PSC w (t/tau) exp(1 - t/tau): z jumps by w, I follows (exact propagator)
            eqs = '''
            dv/dt = (v_rest - v)/tau_m + (I_e - I_i + i_off)/C_m : volt (unless refractory)
            dI_e/dt = (exp(1)*z_e - I_e)/tau_e : amp
            dz_e/dt = -z_e/tau_e : amp
            dI_i/dt = (exp(1)*z_i - I_i)/tau_i : amp
            dz_i/dt = -z_i/tau_i : amp
            i_off : amp
            '''
            method = 'exact'
            targets = {'exc': ('z_e', nA), 'inh': ('z_i', nA)}
        else:  # IF_curr_delta
            eqs = '''
            dv/dt = (v_rest - v)/tau_m + i_off/C_m : volt (unless refractory)
            i_off : amp
            '''
            method = 'exact'
            targets = {'exc': ('v', mV), 'inh': ('v', -mV)}
        T = refrac_steps(p['tau_refrac'], dt)
        g = b2.NeuronGroup(1, eqs, threshold='v >= v_thresh', reset='v = v_reset',
                           refractory=(T + 1) * dt * ms, method=method, namespace=ns)
        g.v = sc['init']['v'] * mV
        if model in ('IF_curr_exp', 'IF_curr_alpha'):
            g.I_e = sc['init']['isyn_exc'] * nA
            g.I_i = sc['init']['isyn_inh'] * nA
        elif model == 'IF_cond_exp':
            g.g_e = sc['init']['gsyn_exc'] * uS
            g.g_i = sc['init']['gsyn_inh'] * uS
        scale = None
        set_ioff = lambda x: setattr(g, 'i_off', x * nA)  # noqa: E731

    set_ioff(p['i_offset'])
    objs = [g]
    inputs = sc['inputs']
    if inputs:
        n_in = len(inputs)
        src = b2.SpikeGeneratorGroup(n_in, list(range(n_in)),
                                     [s * dt for s, _, _, _ in inputs] * ms)
        objs.append(src)
        for kind in ('exc', 'inh'):
            idx = [k for k, e in enumerate(inputs) if e[1] == kind]
            if not idx:
                continue
            var, unit = targets[kind]
            syn = b2.Synapses(src, g, 'w : 1', on_pre=f'{var}_post += w * wunit',
                              namespace={'wunit': unit})
            syn.connect(i=idx, j=0)
            pre = [int(i) for i in syn.i[:]]  # one synapse per input spike source
            syn.w = [inputs[i][2] * (scale if scale else 1.0) for i in pre]
            # first felt in the (Brian2) step starting at (send + D) dt
            syn.delay = [(inputs[i][3] * dt - dt / sub) for i in pre] * ms
            if model == 'IF_curr_delta':
                assert sub == 1  # the before_thresholds alignment assumes Brian2's dt = dt
                syn.pre.when = 'before_thresholds'
            objs.append(syn)
    mon = b2.StateMonitor(g, 'v', record=0, when='start', dt=dt * ms)
    mon_end = b2.StateMonitor(g, 'v', record=0, when='after_thresholds')
    spk = b2.SpikeMonitor(g)
    net = b2.Network(objs + [mon, mon_end, spk])
    # run in segments at the i_offset changes, as the host does with the engine
    cuts = sorted(sc['ioffset'])
    t0 = 0
    for step, val in cuts + [(sc['steps'], None)]:
        if step > t0:
            net.run((step - t0) * dt * ms, namespace={})
        t0 = step
        if val is not None:
            set_ioff(val)
    unit = 1.0 if model == 'Izhikevich' else mV
    v0 = [float(x) for x in (mon.v[0] / unit)]
    # the end-of-step value exists only on Brian2's own grid (not used for Izhikevich)
    v1 = [float(x) for x in (mon_end.v[0] / unit)] if sub == 1 else [math.nan] * len(v0)
    # a crossing in fine step j lies in Axon's step j // sub
    spikes = [int(round(float(t / ms) / (dt / sub))) // sub for t in spk.t]
    assert len(v0) == sc['steps'] and len(v1) == sc['steps'], (len(v0), len(v1))
    return v0, v1, spikes


def write_manifest(path, scenarios):
    import brian2
    with open(path, 'w') as f:
        f.write('# Generated by tests/brian2/single_neuron.py (Brian2 %s). One block per\n'
                '# scenario; read by tests/unit/test_vs_brian2.c.\n' % brian2.__version__)
        for sc in scenarios:
            m = sc['model']
            assert set(sc['params']) == set(PARAM_ORDER[m]), sc['name']
            assert set(sc['init']) == set(INIT_ORDER[m]), sc['name']
            f.write('scenario %s\nmodel %s\ndt %r\nsteps %d\nbrian2_substeps %d\n'
                    % (sc['name'], m, sc['dt'], sc['steps'], substeps(sc)))
            for k in PARAM_ORDER[m]:
                f.write('param %s %r\n' % (k, float(sc['params'][k])))
            for k in INIT_ORDER[m]:
                f.write('init %s %r\n' % (k, float(sc['init'][k])))
            for step, val in sorted(sc['ioffset']):
                f.write('ioffset %d %r\n' % (step, float(val)))
            for s, ty, w, d in sc['inputs']:
                assert w > 0 and 1 <= d <= 16 and s >= 0
                f.write('input %d %s %r %d\n' % (s, ty, float(w), d))
            f.write('trace %s.csv\nend\n' % sc['name'])


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    out = argv[1]
    only = set(argv[2:])
    os.makedirs(out, exist_ok=True)
    manifest = os.path.join(out, 'scenarios.txt')
    if os.path.exists(manifest):
        os.remove(manifest)  # a failed run must not leave an old manifest behind
    import logging
    logging.getLogger('brian2').setLevel(logging.ERROR)
    import warnings
    warnings.filterwarnings('ignore')
    scs = [s for s in SCENARIOS if not only or s['name'] in only]
    for sc in scs:
        t0 = time.time()
        v0, v1, spikes = simulate(sc)
        sset = set(spikes)
        with open(os.path.join(out, sc['name'] + '.csv'), 'w') as f:
            f.write('step,v,v_end,spike\n')
            for k in range(sc['steps']):
                f.write('%d,%.17g,%.17g,%d\n' % (k, v0[k], v1[k], 1 if k in sset else 0))
        print('%-22s %-14s %5d steps  %3d spikes  first %-5s %5.1f s' %
              (sc['name'], sc['model'], sc['steps'], len(spikes),
               spikes[0] if spikes else '-', time.time() - t0), flush=True)
    # the manifest last, so that its presence means every trace is complete
    write_manifest(manifest, scs)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
