"""setup(backend='emu'): the same tiny network on the golden engine and on the Verilator
emulator of the RTL core gives identical spikes and membrane traces (docs/emulator.md)."""
import os

import numpy as np
import pytest

import pyNN.axon as sim


def run_tiny(backend, **extra):
    sim.setup(timestep=1.0, min_delay=1.0, max_delay=10.0, seed=7, backend=backend, **extra)
    src = sim.Population(5, sim.SpikeSourceArray(spike_times=[[2.0, 9.0], [4.0], [], [11.0, 12.0],
                                                              [20.0]]), label="src")
    noise = sim.Population(5, sim.SpikeSourcePoisson(rate=80.0), label="noise")
    cells = sim.Population(8, sim.IF_curr_exp(i_offset=[0.0, 0.3, 0.6, 0.9, 1.2, 0.2, 0.4, 0.8]),
                           label="cells")
    cells.record(["spikes", "v"])
    sim.Projection(src, cells, sim.AllToAllConnector(), sim.StaticSynapse(weight=1.5, delay=2.0))
    sim.Projection(noise, cells, sim.FixedProbabilityConnector(0.5),
                   sim.StaticSynapse(weight=0.8, delay=3.0))
    sim.Projection(cells, cells, sim.FixedProbabilityConnector(0.3),
                   sim.StaticSynapse(weight=-0.5, delay=1.0), receptor_type="inhibitory")
    sim.run(60.0)
    seg = cells.get_data().segments[0]
    spikes = [np.asarray(st.magnitude) for st in seg.spiketrains]
    v = np.asarray(seg.filter(name="v")[0].magnitude)
    sim.end()
    return spikes, v


def emu_available():
    try:
        sim.setup(timestep=1.0, backend="emu")
    except Exception as e:  # built without Verilator: the library says so
        if "not built" in str(e):
            return False
        raise
    sim.end()
    return True


@pytest.mark.skipif(not emu_available(), reason="the emu backend is not built")
def test_emu_equals_ref(tmp_path):
    ref_spikes, ref_v = run_tiny("ref")
    trace = tmp_path / "tiny.fst"
    emu_spikes, emu_v = run_tiny("emu", trace=str(trace))
    assert sum(len(s) for s in ref_spikes) > 0
    assert len(ref_spikes) == len(emu_spikes)
    for a, b in zip(ref_spikes, emu_spikes):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(ref_v, emu_v)
    assert trace.exists() and os.path.getsize(trace) > 0
