"""Cross-simulator check: the same PyNN scripts (scripts/single_neuron.py, scripts/cuba.py)
on pyNN.axon and on pyNN.brian2 (Debian python3-brian). Slow (Brian2 generates its code at
run time, and pyNN.brian2 builds the CUBA network's 320k synapses in about 150 s), so it is
its own ctest (pynn_vs_brian2) and the main suite deselects it (-m "not brian2").

Criteria (issue 6): the first spike of every single-neuron scenario within one timestep;
for the integrate-and-fire models the spike counts within one. Izhikevich: Axon integrates
with RK2 midpoint and exponential current synapses (SpiNNaker's model), PyNN's Brian2 model
with forward Euler, which puts the first spike 2 timesteps late at dt = 0.1 ms (3.6 ms
against 3.4 ms; the allowance is 3); Axon's first spike is checked against the exact
solution instead, within one timestep (docs/pynn.md, "Differences from other simulators").
The CUBA network (Brette et al. 2007, N = 4000, the same realisation on both): mean firing
rates within 10%. The tutorial network (scripts/tutorial_net.py): rates per population within
10% once Brian2 is given Axon's (sPyNNaker's) discrete refractory period and delay."""
import json
import math
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.brian2

HERE = os.path.dirname(os.path.abspath(__file__))
DT = 0.1


def run(backend, script="single_neuron.py"):
    env = dict(os.environ)
    if backend == "brian2":  # the sanitizer runtimes are for libaxon.so only
        env.pop("LD_PRELOAD", None)
    r = subprocess.run([sys.executable, os.path.join(HERE, "scripts", script), backend],
                       capture_output=True, text=True, timeout=900, env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    line = [x for x in r.stdout.splitlines() if x.startswith("RESULT ")][-1]
    return json.loads(line[len("RESULT "):])


@pytest.fixture(scope="module")
def results():
    pytest.importorskip("brian2")
    return run("axon"), run("brian2")


def test_single_neuron_first_spikes(results):
    axon, brian = results
    assert set(axon) == set(brian)
    report = []
    for key in sorted(axon):
        a, b = axon[key], brian[key]
        assert a and b, key
        tol = (3 if "Izhikevich" in key else 1) * DT + 1e-9
        report.append("%s: axon %s brian2 %s" % (key, a[:3], b[:3]))
        assert abs(a[0] - b[0]) <= tol, "\n".join(report)
        if "Izhikevich" not in key:
            assert abs(len(a) - len(b)) <= 1, "\n".join(report)
    print("\n".join(report))


def izhikevich_first_spike(dt):
    """First spike of the single-neuron Izhikevich scenario (PyNN's defaults, i_offset
    0.01 nA = I 10) from the ODE itself (RK4, 1e-4 ms), as the start of the dt step that
    crosses 30 mV (how both simulators time a spike)."""
    a, b, i_ext, h = 0.02, 0.2, 10.0, 1e-4

    def f(v, u):
        return 0.04 * v * v + 5.0 * v + 140.0 - u + i_ext, a * (b * v - u)

    v, u, t = -70.0, -14.0, 0.0
    while v < 30.0:
        k1 = f(v, u)
        k2 = f(v + h / 2 * k1[0], u + h / 2 * k1[1])
        k3 = f(v + h / 2 * k2[0], u + h / 2 * k2[1])
        k4 = f(v + h * k3[0], u + h * k3[1])
        v += h / 6 * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0])
        u += h / 6 * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1])
        t += h
    return (math.ceil(t / dt - 1e-9) - 1) * dt


def test_izhikevich_first_spike_exact(results):
    """The issue's one-timestep criterion for Izhikevich, against the exact solution
    (Brian2's Euler misses it by 2 steps at this dt, so the comparison with Brian2 allows
    3)."""
    axon, _ = results
    exact = izhikevich_first_spike(DT)
    print("Izhikevich first spike: exact step %.1f ms, axon %.1f ms"
          % (exact, axon["current/Izhikevich"][0]))
    assert abs(axon["current/Izhikevich"][0] - exact) <= DT + 1e-9


@pytest.fixture(scope="module")
def cuba():
    pytest.importorskip("brian2")
    return run("axon", "cuba.py"), run("brian2", "cuba.py")


def test_cuba_network_rates(cuba):
    """Issue 6: the CUBA network's mean firing rate within 10% (the same network realisation
    on both simulators; Axon 5.41 Hz, Brian2 5.40 Hz at the time of writing)."""
    axon, brian = cuba
    print("CUBA N=%d %g ms: axon %.3f Hz (%d spikes), brian2 %.3f Hz (%d spikes); "
          "pyNN.brian2 build %.0f s, run %.1f s"
          % (axon["n"], axon["duration_ms"], axon["rate_hz"], axon["spikes"],
             brian["rate_hz"], brian["spikes"], brian["build_s"], brian["run_s"]))
    assert axon["synapses"] == brian["synapses"]  # the same network on both
    assert 3.0 < brian["rate_hz"] < 9.0  # the asynchronous irregular regime, not silence
    assert abs(axon["rate_hz"] - brian["rate_hz"]) <= 0.1 * brian["rate_hz"]


@pytest.fixture(scope="module")
def tutorial():
    pytest.importorskip("brian2")
    return {b: run(b, "tutorial_net.py") for b in ("axon", "axon-sps", "brian2", "brian2-raw")}


def test_tutorial_network_rates(tutorial):
    """Issue 6: the tutorial network (scripts/tutorial_net.py: the same realisation on both)
    within 10% per population, with Brian2 given the same discrete refractory period and
    delay as Axon/sPyNNaker (see the script). The untranslated Brian2 run is reported and
    must differ: the network fires near its maximum rate, which the refractory convention
    sets (Axon holds ceil(0.1 / 1) = 1 step after a spike; Brian2 none)."""
    t = tutorial
    for b, r in t.items():
        print("tutorial %-10s exc %.1f Hz inh %.1f Hz saturations %s"
              % (b, r["exc_rate_hz"], r["inh_rate_hz"], r["saturations"]))
    assert len({r["synapses"] for r in t.values()}) == 1  # the same network everywhere
    assert len({r["thalamus_spikes"] for r in t.values()}) == 1
    assert t["axon-sps"]["saturations"] == 0  # inputs never clipped with 250 Hz sizing
    for pop in ("exc_rate_hz", "inh_rate_hz"):
        ref = t["brian2"][pop]
        assert ref > 50.0  # the network is active
        for b in ("axon", "axon-sps"):
            assert abs(t[b][pop] - ref) <= 0.1 * ref, (b, pop, t[b][pop], ref)
        assert t["brian2-raw"][pop] > 1.5 * ref  # the convention is what separates them
