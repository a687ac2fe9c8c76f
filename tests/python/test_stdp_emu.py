"""STDP on the emulated RTL core (docs/spec/plasticity.md, docs/rtl.md "Plasticity"): a
PyNN-style plastic network (Poisson inputs, SpikePairRule and SpikeNearestPairRule, additive
and multiplicative weight dependence, a recurrent plastic projection) run with
setup(backend='emu') gives the same spikes, membrane traces and learned weights as the
golden engine, through Projection.get (list and array), in HDF5, across two run() calls and
after reset()."""
import h5py
import numpy as np
import pytest

import pyNN.axon as sim

from test_emu import emu_available


def run_plastic(backend, path):
    sim.setup(timestep=1.0, min_delay=1.0, max_delay=10.0, seed=11, backend=backend)
    noise = sim.Population(20, sim.SpikeSourcePoisson(rate=40.0), label="noise")
    cells = sim.Population(6, sim.IF_curr_exp(i_offset=[0.2, 0.4, 0.6, 0.3, 0.5, 0.1]),
                           label="cells")
    cells.record(["spikes", "v"])
    add = sim.STDPMechanism(
        timing_dependence=sim.SpikePairRule(tau_plus=20.0, tau_minus=25.0, A_plus=0.05,
                                            A_minus=0.06),
        weight_dependence=sim.AdditiveWeightDependence(w_min=0.0, w_max=2.0),
        weight=1.0, delay=2.0)
    mult = sim.STDPMechanism(
        timing_dependence=sim.SpikeNearestPairRule(tau_plus=15.0, tau_minus=30.0, A_plus=0.1,
                                                   A_minus=0.08),
        weight_dependence=sim.MultiplicativeWeightDependence(w_min=0.0, w_max=1.5),
        weight=0.8, delay=1.0)
    p1 = sim.Projection(noise, cells, sim.FixedProbabilityConnector(0.6), add,
                        receptor_type="excitatory", label="inputs")
    p2 = sim.Projection(cells, cells, sim.FixedProbabilityConnector(0.5), mult,
                        receptor_type="excitatory", label="recurrent")
    out = {}
    sim.run(150.0)
    out["w1_first"] = np.array(p1.get("weight", format="list"))
    sim.run(150.0)
    out["w1"] = np.array(p1.get("weight", format="list"))
    out["w2"] = np.array(p2.get("weight", format="list"))
    out["w2_array"] = np.nan_to_num(p2.get("weight", format="array"), nan=-1.0)
    seg = cells.get_data().segments[0]
    out["spikes"] = [np.asarray(st.magnitude) for st in seg.spiketrains]
    out["v"] = np.asarray(seg.filter(name="v")[0].magnitude)
    cells.write_data(path)
    with h5py.File(path, "r") as f:
        out["h5_inputs"] = f["general/axon/projections/inputs/weight"][()]
        out["h5_recurrent"] = f["general/axon/projections/recurrent/weight"][()]
    sim.reset()
    out["w1_reset"] = np.array(p1.get("weight", format="list"))
    sim.end()
    return out


@pytest.mark.skipif(not emu_available(), reason="the emu backend is not built")
def test_stdp_emu_equals_ref(tmp_path):
    ref = run_plastic("ref", str(tmp_path / "ref.h5"))
    emu = run_plastic("emu", str(tmp_path / "emu.h5"))
    assert sum(len(s) for s in ref["spikes"]) > 20
    # the network learns: weights moved away from their initial values, both rules
    assert np.any(ref["w1"][:, 2] != 1.0) and np.any(ref["w2"][:, 2] != 0.8)
    assert np.any(ref["w1"][:, 2] != ref["w1_first"][:, 2])
    for key in ("w1_first", "w1", "w2", "w2_array", "v", "h5_inputs", "h5_recurrent",
                "w1_reset"):
        np.testing.assert_array_equal(ref[key], emu[key], err_msg=key)
    for a, b in zip(ref["spikes"], emu["spikes"]):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(ref["h5_inputs"], ref["w1"][:, 2])
    assert np.all(ref["w1_reset"][:, 2] == 1.0)
