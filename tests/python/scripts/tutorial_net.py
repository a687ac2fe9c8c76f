#!/usr/bin/python3
"""The tutorial network (examples/pynn_tutorial.py) as a cross-simulator script for
tests/python/test_vs_brian2.py: 800 excitatory + 200 inhibitory IF_cond_exp cells with the
tutorial's parameters (tau_refrac = 0.1 ms, PyNN's default), p = 0.02 in all four
directions (0.04 / 0.51 uS, 1 ms delays), a 50 Hz Poisson "thalamus" one-to-one onto the
excitatory cells from 100 ms (0.08 uS), 200 ms at dt = 1 ms. Prints the mean rate of each
population and the synapse count as one JSON line.

Usage: tutorial_net.py axon|axon-sps|brian2|brian2-raw [DT_MS [SEED]]

axon-sps: Axon with spikes_per_second = 250 (the tutorial network fires at ~220 Hz, so the
default 30 Hz estimate lets its ring buffers saturate; Axon warns about it after the run).

The network realisation is the same on both simulators: the script draws the connectivity
(ArrayConnector masks), the initial potentials and the thalamic spike times (Poisson,
passed as a SpikeSourceArray) with numpy.

Two discretisation conventions differ between Axon (= sPyNNaker) and Brian2 and are
translated on the Brian2 side ("brian2"; "brian2-raw" runs the script as written):
- delays: Axon's D steps equal a Brian2 delay of (D - 1) * dt (as in cuba.py);
- refractoriness: Axon, like sPyNNaker, holds a neuron for ceil(tau_refrac / dt) steps after
  its spike; Brian2 holds it for tau_refrac / dt - 1 steps (measured: at dt = 1 ms,
  tau_refrac 0.1 and 1 ms both let a cell fire on consecutive integration steps, 2 ms holds
  one step). The same discrete model on Brian2 is therefore tau_refrac' =
  (ceil(tau_refrac / dt) + 1) * dt. With tau_refrac = 0.1 ms at dt = 1 ms this doubles the
  shortest interspike interval, which matters here because the network fires near its
  maximum rate (docs/pynn.md, "Differences from other simulators").
"""
import json
import math
import sys

import numpy as np

BACKEND = sys.argv[1]
DT = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
SEED = int(sys.argv[3]) if len(sys.argv) > 3 else 3
DURATION = 200.0
DELAY = 1.0
N_EXC, N_INH, P_CONNECT = 800, 200, 0.02

if BACKEND.startswith("brian2"):
    import pyNN.brian2 as sim
else:
    import pyNN.axon as sim

cell_params = {"cm": 1.0, "tau_m": 20.0, "tau_refrac": 0.1, "tau_syn_E": 5.0,
               "tau_syn_I": 5.0, "v_rest": -65.0, "v_reset": -65.0, "v_thresh": -50.0,
               "i_offset": 0.0, "e_rev_E": 0.0, "e_rev_I": -70.0}
if BACKEND == "brian2":  # the same discrete refractory period (docstring)
    held = math.ceil(cell_params["tau_refrac"] / DT - 1e-9)
    cell_params["tau_refrac"] = (held + 1) * DT

draw = np.random.RandomState(SEED)
v_exc = draw.normal(-65.0, 2.0, N_EXC)
v_inh = draw.normal(-65.0, 2.0, N_INH)
masks = {(a, b): draw.uniform(size=(na, nb)) < P_CONNECT
         for a, na in (("exc", N_EXC), ("inh", N_INH))
         for b, nb in (("exc", N_EXC), ("inh", N_INH))}
thalamus_times = []
for _ in range(N_EXC):  # 50 Hz from 100 ms, on the step grid
    n = draw.poisson(50.0 * (DURATION - 100.0) / 1000.0)
    t = np.unique(np.round(draw.uniform(100.0, DURATION, n) / DT) * DT)
    thalamus_times.append(t[t < DURATION - DT])

if BACKEND == "axon-sps":  # ring buffers sized for the rates this network reaches
    sim.setup(timestep=DT, min_delay=DELAY, max_delay=10.0, spikes_per_second=250.0)
else:
    sim.setup(timestep=DT, min_delay=DELAY, max_delay=10.0)
pops = {"exc": sim.Population(N_EXC, sim.IF_cond_exp(**cell_params), label="exc"),
        "inh": sim.Population(N_INH, sim.IF_cond_exp(**cell_params), label="inh")}
pops["exc"].initialize(v=v_exc)
pops["inh"].initialize(v=v_inh)
thalamus = sim.Population(N_EXC, sim.SpikeSourceArray(
    spike_times=[sim.Sequence(t) for t in thalamus_times]), label="thalamus")
projs = []
for (a, b), mask in masks.items():
    w = 0.04 if a == "exc" else 0.51
    projs.append(sim.Projection(pops[a], pops[b], sim.ArrayConnector(mask),
                                sim.StaticSynapse(weight=w, delay=DELAY),
                                receptor_type="excitatory" if a == "exc" else "inhibitory"))
projs.append(sim.Projection(thalamus, pops["exc"], sim.OneToOneConnector(),
                            sim.StaticSynapse(weight=0.08, delay=DELAY),
                            receptor_type="excitatory"))
if BACKEND == "brian2":  # Axon's delay D steps == Brian2's (D - 1) steps (docstring)
    from brian2 import ms
    for proj in projs:
        for row in proj._brian2_synapses.values():
            for syn in row.values():
                syn.delay = (DELAY - DT) * ms
for p in pops.values():
    p.record("spikes")
sim.run(DURATION)
result = {"backend": BACKEND, "dt": DT, "seed": SEED,
          "saturations": sim.get_stats()["saturations"] if BACKEND.startswith("axon") else None,
          "synapses": sum(len(p) for p in projs),
          "thalamus_spikes": int(sum(len(t) for t in thalamus_times))}
for name, p in pops.items():
    n = sum(len(st) for st in p.get_data().segments[0].spiketrains)
    result[name + "_rate_hz"] = n / p.size / (DURATION / 1000.0)
sim.end()
print("RESULT " + json.dumps(result))
