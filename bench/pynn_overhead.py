#!/usr/bin/python3
"""PyNN overhead (docs/pynn.md): the tutorial network (examples/networks/tutorial.json)
built and run for 200 ms through pyNN.axon, against the same network built and run
through the C API (axon_load_network_string + axon_run, the same libaxon.so, in the same
process). Both build the identical network (same seed, same call order; the spike counts
are compared). Best of N repetitions of each, alternating.

Prints:
  bench pynn_overhead ratio=R pynn_s=P capi_s=C reps=N spikes=S
  bench pynn_get_data seconds=G neurons=1000 samples=200

Usage: PYTHONPATH=python AXON_LIB=build/hostlib/libaxon.so /usr/bin/python3 \
       bench/pynn_overhead.py [--reps N]
"""
import argparse
import ctypes
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "python"))

import numpy as np  # noqa: E402

import pyNN.axon as sim  # noqa: E402
from pyNN.axon import _capi as C  # noqa: E402

TUTORIAL = os.path.join(ROOT, "examples", "networks", "tutorial.json")


def pynn_tutorial():
    """The tutorial as a PyNN script (examples/pynn_tutorial.py without the plots)."""
    sim.setup(timestep=1.0, min_delay=1.0, max_delay=144.0)
    params = {"cm": 1.0, "tau_m": 20.0, "tau_refrac": 0.1, "tau_syn_E": 5.0,
              "tau_syn_I": 5.0, "v_rest": -65.0, "v_reset": -65.0, "v_thresh": -50.0,
              "i_offset": 0.0, "e_rev_E": 0.0, "e_rev_I": -70.0}
    v_init = sim.RandomDistribution("normal", mu=-65.0, sigma=2.0)
    exc = sim.Population(800, sim.IF_cond_exp(**params), label="exc",
                         structure=sim.Line(dx=1.0, x0=0.0))
    exc.initialize(v=v_init)
    inh = sim.Population(200, sim.IF_cond_exp(**params), label="inh",
                         structure=sim.Line(dx=1.0, x0=800.0))
    inh.initialize(v=v_init)
    thal = sim.Population(800, sim.SpikeSourcePoisson(rate=50.0, start=100.0),
                          label="thalamus")
    for p in (exc, inh):
        p.record(["spikes", "v", "gsyn_exc", "gsyn_inh"])
    conn = sim.FixedProbabilityConnector(p_connect=0.02)
    es = sim.StaticSynapse(weight=0.04, delay=1.0)
    ins = sim.StaticSynapse(weight=0.51, delay=1.0)
    sim.Projection(exc, exc, conn, es, receptor_type="excitatory")
    sim.Projection(exc, inh, conn, es, receptor_type="excitatory")
    sim.Projection(inh, exc, conn, ins, receptor_type="inhibitory")
    sim.Projection(inh, inh, conn, ins, receptor_type="inhibitory")
    sim.Projection(thal, exc, sim.OneToOneConnector(), sim.StaticSynapse(weight=0.08, delay=1.0),
                   receptor_type="excitatory")
    sim.run(200.0)
    return exc, inh


def capi_tutorial(text):
    lib = C.lib
    lib.axon_load_network_string.argtypes = [ctypes.c_void_p, ctypes.c_char_p,
                                             ctypes.c_size_t, ctypes.c_char_p, ctypes.c_void_p]
    lib.axon_load_network_string.restype = ctypes.c_int
    ctx = ctypes.c_void_p()
    assert lib.axon_create(ctypes.byref(ctx)) == 0
    try:
        run = ctypes.create_string_buffer(8 + 4096 + 16 + 64)
        rc = lib.axon_load_network_string(ctx, text, len(text), TUTORIAL.encode(), run)
        if rc:
            raise RuntimeError(lib.axon_last_error(ctx).decode())
        duration = ctypes.c_double.from_buffer(run).value
        if lib.axon_run(ctx, duration):
            raise RuntimeError(lib.axon_last_error(ctx).decode())
        return [int(lib.axon_spike_count(ctx, p)) for p in range(2)]
    finally:
        lib.axon_destroy(ctx)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=5)
    a = ap.parse_args()
    with open(TUTORIAL, "rb") as f:
        text = f.read()
    pynn_t, capi_t = [], []
    spikes_pynn = spikes_capi = None
    for _ in range(a.reps):
        t0 = time.perf_counter()
        exc, inh = pynn_tutorial()
        pynn_t.append(time.perf_counter() - t0)
        spikes_pynn = [int(sum(exc.get_spike_counts().values())),
                       int(sum(inh.get_spike_counts().values()))]
        t0 = time.perf_counter()
        spikes_capi = capi_tutorial(text)
        capi_t.append(time.perf_counter() - t0)
    if spikes_pynn != spikes_capi:
        print("pynn_overhead: the networks differ: spikes %s (PyNN) vs %s (C API)"
              % (spikes_pynn, spikes_capi), file=sys.stderr)
        return 1
    p, c = min(pynn_t), min(capi_t)
    print("bench pynn_overhead ratio=%.3f pynn_s=%.4f capi_s=%.4f reps=%d spikes=%d"
          % (p / c, p, c, a.reps, sum(spikes_pynn)))

    sim.setup(timestep=1.0)
    pop = sim.Population(1000, sim.IF_cond_exp())
    pop.initialize(v=sim.RandomDistribution("normal", (-65.0, 2.0)))
    pop.record("v")
    sim.run(200.0)
    best = np.inf
    for _ in range(a.reps):
        t0 = time.perf_counter()
        block = pop.get_data()
        best = min(best, time.perf_counter() - t0)
    shape = block.segments[0].analogsignals[0].shape
    print("bench pynn_get_data seconds=%.4f neurons=%d samples=%d" % (best, shape[1], shape[0]))
    sim.end()
    return 0


if __name__ == "__main__":
    sys.exit(main())
