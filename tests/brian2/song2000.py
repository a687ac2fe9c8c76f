#!/usr/bin/python3
"""Song, Miller & Abbott (2000): one conductance-based LIF neuron driven by N Poisson inputs
through additive STDP synapses; competition drives the weights to a bimodal distribution.

The same experiment runs on Axon (pyNN.axon, golden engine) and on Brian2 (float64,
Debian's python3-brian2); docs/spec/plasticity.md#song-miller-abbott-2000 describes the
alignment and the bounds the test checks.

Usage: /usr/bin/python3 tests/brian2/song2000.py [--long] [--seconds S] [--inputs N]
       [--cells N] [--dt MS] [--target numpy|cython|cpp_standalone] [--check] [--bench]
       [--only axon|brian2]
  prints one line per simulator (rate, weight fractions, histogram) and, with --bench, the
  plastic synaptic events per second of both: `bench stdp events_per_s=... ...`.

Alignment (what makes the two the same network):
  * dt = 1 ms on both. Input spikes of step t reach the neuron's conductance in step t + 1
    (Axon delay 1 step = Brian2 on_pre delay 0, see single_neuron.py).
  * The whole delay is dendritic (PyNN dendritic_delay_fraction = 1, sPyNNaker): a post
    spike of step p meets the synapse at p + 1, so Brian2's on_post pathway has delay 1 ms;
    the pre spike meets it at its own step (on_pre delay 0).
  * Ties (pre and post at the synapse in the same step): Brian2 runs on_pre before on_post,
    as Axon's rule (depression first, then the post arrival pairs with the new pre at dt 0).
  * Axon adds the weight after the pre spike's depression to the ring buffer; Brian2's on_pre
    clips first, then adds the new weight to ge.
  * Additive rule as in PyNN: dw = A_plus w_max x_pre up, -A_minus w_max y_post down.
"""
import argparse
import sys
import time

import numpy as np

# The experiment (Song et al. 2000 / Brian2's example, conductances relative to the leak
# made absolute with cm = 1 nF, tau_m = 10 ms: g_leak = 0.1 uS).
P = dict(
    n_inputs=1000, n_cells=1, rate=15.0, seconds=100.0, dt=0.1,
    cm=1.0, tau_m=10.0, v_rest=-74.0, v_thresh=-54.0, v_reset=-60.0, tau_refrac=1.0,
    tau_syn_E=5.0, e_rev_E=0.0,
    g_max=0.001,            # 0.01 x g_leak, in uS
    tau_plus=20.0, tau_minus=20.0, A_plus=0.01, A_minus=0.0105,
    seed=7,
)


def ci_params(**over):
    """A short version for CI: fewer seconds, faster learning (same shape)."""
    p = dict(P)
    p.update(seconds=10.0, A_plus=0.06, A_minus=0.063)
    p.update(over)
    return p


def summarize(name, w, spikes_last, seconds_last, wall, events, p):
    """Fractions of weights near each bound, a 10-bin histogram, the late output rate."""
    w = np.asarray(w) / p["g_max"]
    hist, _ = np.histogram(w, bins=10, range=(0, 1))
    return dict(name=name, rate=spikes_last / seconds_last,
                low=float(np.mean(w < 0.2)), high=float(np.mean(w > 0.8)),
                mean=float(np.mean(w)), hist=(hist / len(w)).tolist(), wall=wall,
                events=events)


def input_trains(p):
    """The Poisson input trains both simulators receive (spike steps, at most one per step),
    so the comparison sees only the differences of the simulators."""
    rng = np.random.default_rng(p["seed"] + 1)
    steps = int(round(p["seconds"] * 1000.0 / p["dt"]))
    prob = p["rate"] * p["dt"] / 1000.0
    return [np.flatnonzero(rng.random(steps) < prob) * p["dt"] for _ in range(p["n_inputs"])]


def initial_weights(p):
    """Uniform in [0, g_max] (one cell); the benchmark's several cells start at g_max / 2."""
    if p["n_cells"] > 1:
        return p["g_max"] / 2
    return np.random.default_rng(p["seed"]).uniform(0, p["g_max"], p["n_inputs"])


def run_axon(p, trains=None):
    import pyNN.axon as sim
    from pyNN.parameters import Sequence
    trains = input_trains(p) if trains is None else trains
    sim.setup(timestep=p["dt"], min_delay=p["dt"], max_delay=16 * p["dt"], seed=p["seed"])
    inputs = sim.Population(p["n_inputs"],
                            sim.SpikeSourceArray(spike_times=[Sequence(t) for t in trains]),
                            label="inputs")
    cell = sim.Population(p["n_cells"], sim.IF_cond_exp(
        cm=p["cm"], tau_m=p["tau_m"], v_rest=p["v_rest"], v_thresh=p["v_thresh"],
        v_reset=p["v_reset"], tau_refrac=p["tau_refrac"], tau_syn_E=p["tau_syn_E"],
        e_rev_E=p["e_rev_E"], i_offset=0.0), initial_values={"v": p["v_rest"]}, label="cell")
    w0 = initial_weights(p)
    stdp = sim.STDPMechanism(
        timing_dependence=sim.SpikePairRule(tau_plus=p["tau_plus"], tau_minus=p["tau_minus"],
                                            A_plus=p["A_plus"], A_minus=p["A_minus"]),
        weight_dependence=sim.AdditiveWeightDependence(w_min=0.0, w_max=p["g_max"]),
        weight=w0, delay=p["dt"])
    prj = sim.Projection(inputs, cell, sim.AllToAllConnector(), stdp,
                         receptor_type="excitatory", label="plastic")
    cell.record("spikes")
    total = p["seconds"] * 1000.0
    t0 = time.perf_counter()
    sim.run(total)
    wall = time.perf_counter() - t0
    st = np.concatenate([np.asarray(x) for x in cell.get_data().segments[0].spiketrains])
    late = float(np.sum(st >= total * 0.8)) / p["n_cells"]
    w = np.array(prj.get("weight", format="array")).ravel()
    stats = sim.get_stats()
    events = stats["synaptic_events"]
    wall = stats["wall_run_s"] or wall  # the simulation loop (mapping and loading apart)
    sim.end()
    return summarize("axon", w, late, p["seconds"] * 0.2, wall, events, p)


def run_brian2(p, trains=None):
    import brian2 as b2
    from brian2 import ms, mV, nF, uS
    target = p.get("brian2_target", "numpy")
    workdir = None
    if target == "cpp_standalone":  # simulation loop timed by the generated program
        import tempfile
        workdir = tempfile.mkdtemp(prefix="brian2_song_")
        b2.set_device("cpp_standalone", directory=workdir, build_on_run=False)
    else:
        b2.prefs.codegen.target = target
    b2.start_scope()
    b2.defaultclock.dt = p["dt"] * ms
    b2.seed(p["seed"])
    eqs = """
    dv/dt = (v_rest - v) / tau_m + ge * (e_rev - v) / C_m : volt (unless refractory)
    dge/dt = -ge / tau_e : siemens
    """
    ns = dict(v_rest=p["v_rest"] * mV, tau_m=p["tau_m"] * ms, e_rev=p["e_rev_E"] * mV,
              C_m=p["cm"] * nF, tau_e=p["tau_syn_E"] * ms, g_max=p["g_max"] * uS,
              tau_plus=p["tau_plus"] * ms, tau_minus=p["tau_minus"] * ms,
              A_plus=p["A_plus"], A_minus=p["A_minus"])
    T = int(np.ceil(p["tau_refrac"] / p["dt"] - 1e-9))
    cell = b2.NeuronGroup(p["n_cells"], eqs, threshold="v > %g*mV" % p["v_thresh"],
                          reset="v = %g*mV" % p["v_reset"], refractory=(T + 1) * p["dt"] * ms,
                          method="rk4", namespace=ns)
    cell.v = p["v_rest"] * mV
    trains = input_trains(p) if trains is None else trains
    idx = np.concatenate([np.full(len(t), i) for i, t in enumerate(trains)])
    inputs = b2.SpikeGeneratorGroup(p["n_inputs"], idx, np.concatenate(trains) * ms)
    syn = b2.Synapses(inputs, cell, """
        w : siemens
        w_last : siemens
        dxpre/dt = -xpre / tau_plus : 1 (event-driven)
        dypost/dt = -ypost / tau_minus : 1 (event-driven)
        """, on_pre="""
        w = clip(w - A_minus * g_max * ypost, 0*uS, g_max)
        xpre += 1
        ge_post += w
        w_last = w
        """, on_post="""
        w = clip(w + A_plus * g_max * xpre, 0*uS, g_max)
        ypost += 1
        """, namespace=ns)
    syn.connect()
    syn.pre.delay = 0 * ms
    syn.post.delay = p["dt"] * ms
    syn.w = initial_weights(p) * uS
    syn.w_last = initial_weights(p) * uS
    mon = b2.SpikeMonitor(cell)
    pre_count = b2.SpikeMonitor(inputs, record=False)
    net = b2.Network(cell, inputs, syn, mon, pre_count)
    total = p["seconds"] * 1000.0
    t0 = time.perf_counter()
    net.run(total * ms)
    wall = time.perf_counter() - t0
    if workdir:
        import os
        b2.device.build(directory=workdir, compile=True, run=True, debug=False)
        with open(os.path.join(workdir, "results", "last_run_info.txt")) as f:
            wall = float(f.read().split()[0])
    t = np.asarray(mon.t / ms)
    late = float(np.sum(t >= total * 0.8)) / p["n_cells"]
    # Axon applies potentiation when the next pre spike arrives (deferred, as sPyNNaker):
    # the weights it holds are those after each synapse's last pre spike, Brian2's w_last
    w = np.asarray(syn.w_last / uS)
    n_pre = int(pre_count.num_spikes)
    if workdir:
        b2.device.reinit()
        b2.device.activate()
        b2.set_device("runtime")
    return summarize("brian2", w, late, p["seconds"] * 0.2, wall, n_pre * p["n_cells"], p)


# Bounds of the CI comparison (docs/spec/plasticity.md#song-miller-abbott-2000)
RATE_REL = 0.25      # late output rate, relative to Brian2's
FRAC_ABS = 0.06      # fractions of weights below 0.2 and above 0.8 of w_max
MEAN_ABS = 0.05      # mean weight / w_max
HIST_L1 = 0.2        # L1 distance of the 10-bin histograms (fractions)
BIMODAL = 1.3        # mean of the end bins over the mean of the 4 middle bins


def bimodality(h):
    h = np.asarray(h)
    return (h[0] + h[-1]) / 2 / np.mean(h[3:7])


def check(a, b):
    """The failed bounds (empty: the comparison passes)."""
    bad = []
    if a["events"] != b["events"]:
        bad.append("input events differ: %d vs %d" % (a["events"], b["events"]))
    for r in (a, b):
        if bimodality(r["hist"]) < BIMODAL:
            bad.append("%s: not bimodal (%.2f < %.2f)" % (r["name"], bimodality(r["hist"]),
                                                          BIMODAL))
    if abs(a["rate"] - b["rate"]) > RATE_REL * b["rate"]:
        bad.append("rates %.2f vs %.2f Hz" % (a["rate"], b["rate"]))
    for k in ("low", "high"):
        if abs(a[k] - b[k]) > FRAC_ABS:
            bad.append("fraction %s %.3f vs %.3f" % (k, a[k], b[k]))
    if abs(a["mean"] - b["mean"]) > MEAN_ABS:
        bad.append("mean weight %.3f vs %.3f" % (a["mean"], b["mean"]))
    l1 = float(np.sum(np.abs(np.asarray(a["hist"]) - b["hist"])))
    if l1 > HIST_L1:
        bad.append("histogram L1 distance %.3f" % l1)
    return bad


def fmt(r):
    return ("%-6s rate %6.2f Hz  w<0.2: %.3f  w>0.8: %.3f  mean %.3f  wall %.2f s  "
            "events %d  hist %s" % (r["name"], r["rate"], r["low"], r["high"], r["mean"],
                                   r["wall"], r["events"],
                                   " ".join("%.2f" % h for h in r["hist"])))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--long", action="store_true", help="the full 100 s experiment")
    ap.add_argument("--seconds", type=float)
    ap.add_argument("--inputs", type=int)
    ap.add_argument("--cells", type=int, help="independent cells, all-to-all (benchmark)")
    ap.add_argument("--dt", type=float)
    ap.add_argument("--bench", action="store_true")
    ap.add_argument("--check", action="store_true",
                    help="exit 1 unless Axon and Brian2 agree within the documented bounds")
    ap.add_argument("--only", choices=("axon", "brian2"))
    ap.add_argument("--target", default="numpy",
                    help="Brian2 target: numpy, cython (runtime) or cpp_standalone (the "
                         "generated program's simulation loop is timed)")
    a = ap.parse_args()
    p = dict(P) if a.long else ci_params()
    if a.seconds:
        p["seconds"] = a.seconds
    if a.inputs:
        p["n_inputs"] = a.inputs
    if a.cells:
        p["n_cells"] = a.cells
    if a.dt:
        p["dt"] = a.dt
    p["brian2_target"] = a.target
    res = {}
    trains = input_trains(p)
    for name, fn in (("axon", run_axon), ("brian2", run_brian2)):
        if a.only and a.only != name:
            continue
        res[name] = fn(p, trains)
        print(fmt(res[name]), flush=True)
    if a.check:
        bad = check(res["axon"], res["brian2"]) if len(res) == 2 else ["--check needs both"]
        for b in bad:
            print("song2000: " + b)
        print("song2000: %s" % ("FAILED" if bad else "agree within the bounds"))
        if bad:
            return 1
    if a.bench and len(res) == 2:
        ea = res["axon"]["events"] / res["axon"]["wall"]
        eb = res["brian2"]["events"] / res["brian2"]["wall"]
        print("bench stdp events_per_s=%.4g brian2_events_per_s=%.4g ratio=%.3g inputs=%d "
              "seconds=%g brian2_target=%s" % (ea, eb, ea / eb, p["n_inputs"], p["seconds"],
                                               a.target))
    return 0


if __name__ == "__main__":
    sys.exit(main())
