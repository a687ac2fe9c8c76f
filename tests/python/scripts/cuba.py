#!/usr/bin/python3
"""The CUBA benchmark network (Brette et al. 2007) as a PyNN script, for the network-level
cross-simulator check (tests/python/test_vs_brian2.py): the network of
examples/networks/cuba.json and /work/shared/bench/cuba_brian2.py (N = 4000 IF_curr_exp,
the first 80% excitatory, p = 0.02 from each part onto all cells, 0.081 nA and -0.45 nA,
1 ms delays at dt = 1 ms, v initialised uniform in [-60, -50] mV). Prints the mean firing
rate, the spike and synapse counts and the wall-clock times as one JSON line.

Usage: cuba.py axon|brian2 [same|fixedprob [N [DURATION_MS [SEED]]]]

same (default): the script draws the connectivity (Bernoulli p = 0.02 with numpy, passed as
ArrayConnector masks) and the initial potentials (passed as an array), so both simulators
run the same network realisation and the rates differ by the simulators alone.
fixedprob: FixedProbabilityConnector and RandomDistribution on each simulator, so each runs
its own realisation (pyNN.axon draws from the library's generator seeded by setup(seed),
pyNN.brian2 from NumpyRNG(SEED)); the rate varies by about 3.4% (s.d.) between
realisations.

Delays: Axon adds a spike emitted in step t to the synaptic input integrated in step t + D
(D = delay / dt); Brian2 applies on_pre in step t + D after that step's state update, so
the input reaches v one step later than on Axon: Axon's D steps equal a Brian2 delay of
(D - 1) * dt (checked with one input spike on both). pyNN.brian2 rounds the delay to whole
steps and cannot be given less than min_delay, so the script builds the network with 1 ms
on both simulators and, on pyNN.brian2, then sets the Brian2 Synapses' delay to
delay - dt = 0 (as in cuba_brian2.py).
"""
import json
import sys
import time

import numpy as np

BACKEND = sys.argv[1]
MODE = sys.argv[2] if len(sys.argv) > 2 else "same"
N = int(sys.argv[3]) if len(sys.argv) > 3 else 4000
DURATION = float(sys.argv[4]) if len(sys.argv) > 4 else 1000.0
SEED = int(sys.argv[5]) if len(sys.argv) > 5 else 1
DT = 1.0
DELAY = 1.0
P_CONNECT = 0.02

if BACKEND == "brian2":
    import pyNN.brian2 as sim
else:
    import pyNN.axon as sim
from pyNN.random import NumpyRNG, RandomDistribution

t0 = time.perf_counter()
if BACKEND == "brian2":
    sim.setup(timestep=DT, min_delay=DELAY, max_delay=10.0)
else:  # pyNN.axon makes its random draws with the library's generator, seeded here
    sim.setup(timestep=DT, min_delay=DELAY, max_delay=10.0, seed=SEED)
n_exc = int(0.8 * N)
scale = 4000.0 / N  # weights scaled with N as in cuba_brian2.py
cells = sim.Population(N, sim.IF_curr_exp(cm=1.0, tau_m=20.0, v_rest=-49.0, v_thresh=-50.0,
                                          v_reset=-60.0, tau_refrac=5.0, tau_syn_E=5.0,
                                          tau_syn_I=10.0, i_offset=0.0), label="cells")
if MODE == "same":
    draw = np.random.RandomState(SEED)
    cells.initialize(v=draw.uniform(-60.0, -50.0, N))
    conn_exc = sim.ArrayConnector(draw.uniform(size=(n_exc, N)) < P_CONNECT)
    conn_inh = sim.ArrayConnector(draw.uniform(size=(N - n_exc, N)) < P_CONNECT)
else:
    rng = NumpyRNG(seed=SEED)  # used by pyNN.brian2 (pyNN.axon ignores it)
    cells.initialize(v=RandomDistribution("uniform", (-60.0, -50.0), rng=rng))
    conn_exc = sim.FixedProbabilityConnector(P_CONNECT, rng=rng)
    conn_inh = sim.FixedProbabilityConnector(P_CONNECT, rng=rng)
exc = sim.Projection(cells[:n_exc], cells, conn_exc,
                     sim.StaticSynapse(weight=0.081 * scale, delay=DELAY),
                     receptor_type="excitatory", label="exc")
inh = sim.Projection(cells[n_exc:], cells, conn_inh,
                     sim.StaticSynapse(weight=-0.45 * scale, delay=DELAY),
                     receptor_type="inhibitory", label="inh")
if BACKEND == "brian2":  # Axon's delay D steps == Brian2's (D - 1) steps (docstring)
    from brian2 import ms
    for proj in (exc, inh):
        for row in proj._brian2_synapses.values():
            for syn in row.values():
                syn.delay = (DELAY - DT) * ms
cells.record("spikes")
t1 = time.perf_counter()
sim.run(DURATION)
t2 = time.perf_counter()
spikes = sum(len(st) for st in cells.get_data().segments[0].spiketrains)
sim.end()
print("RESULT " + json.dumps({
    "backend": BACKEND, "mode": MODE, "n": N, "duration_ms": DURATION, "seed": SEED,
    "spikes": spikes, "rate_hz": spikes / N / (DURATION / 1000.0),
    "synapses": len(exc) + len(inh), "build_s": round(t1 - t0, 2),
    "run_s": round(t2 - t1, 2)}))
