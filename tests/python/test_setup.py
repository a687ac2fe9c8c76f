"""setup/run/run_until/reset/end, time queries, model lists, the namespace shim."""
import os

import numpy as np
import pytest

import pyNN
import pyNN.axon as sim


def test_namespace_shim_keeps_pynn():
    import pyNN.random as pyNN_random
    import pyNN.space as pyNN_space
    assert pyNN.__version__.startswith("0.10")
    assert os.path.dirname(pyNN_space.__file__) != os.path.dirname(sim.__file__)
    assert pyNN_random.NumpyRNG is sim.NumpyRNG
    assert sim.__name__ == "pyNN.axon"
    assert pyNN.__path__[0].endswith("pyNN")  # installed PyNN first (pyNN.neuron uses it)


def test_setup_and_queries():
    assert sim.setup(timestep=0.1, min_delay=0.2, max_delay=5.0) == 0
    assert sim.get_time_step() == 0.1
    assert sim.get_min_delay() == 0.2
    assert sim.get_max_delay() == 5.0
    assert sim.get_current_time() == 0.0
    assert sim.num_processes() == 1 and sim.rank() == 0
    sim.setup(timestep=1.0)  # 'auto' delays
    assert sim.get_min_delay() == 1.0
    assert sim.get_max_delay() == 144.0
    sim.end()


def test_setup_errors():
    with pytest.raises(ValueError, match="max_delay"):
        sim.setup(timestep=1.0, min_delay=1.0, max_delay=500.0)
    with pytest.raises(ValueError, match="timestep"):
        sim.setup(timestep=0.00001)
    with pytest.raises(TypeError, match="unknown argument"):
        sim.setup(timestep=1.0, colour="blue")
    with pytest.raises(ValueError, match="backend"):
        sim.setup(timestep=1.0, backend="gpu")
    sim.setup(timestep=1.0, backend="usb")  # no board on this machine: refused at load
    sim.Population(2, sim.IF_curr_exp())
    with pytest.raises(ValueError, match="no Axon board found"):
        sim.run(5.0)  # (virtual boards: test_board.py; emu: test_emu.py)
    with pytest.raises(Exception, match="min_delay"):
        sim.setup(timestep=1.0, min_delay=0.5)
    sim.setup(timestep=1.0)  # still usable


def test_run_run_until_reset(sim1):
    p = sim.Population(2, sim.IF_curr_exp())
    assert sim.run(10.0) == 10.0
    assert sim.get_current_time() == 10.0
    assert sim.run_until(25.0) == 25.0
    assert sim.run_for(5.0) == 30.0
    with pytest.raises(ValueError, match="past"):
        sim.run_until(3.0)
    sim.reset()
    assert sim.get_current_time() == 0.0
    sim.run(4.0)
    assert sim.get_current_time() == 4.0
    assert p.size == 2


def test_run_until_callbacks(sim1):
    sim.Population(1, sim.IF_curr_exp())
    seen = []

    def cb(t):
        seen.append(t)
        return t + 10.0

    sim.run_until(30.0, callbacks=[cb])
    assert seen == [0.0, 10.0, 20.0, 30.0]


def test_seed_determines_network():
    def build(**kw):
        sim.setup(timestep=1.0, **kw)
        p = sim.Population(50, sim.IF_curr_exp())
        p.initialize(v=sim.RandomDistribution("normal", (-65.0, 2.0)))
        prj = sim.Projection(p, p, sim.FixedProbabilityConnector(0.1),
                             sim.StaticSynapse(weight=0.1, delay=1.0))
        return p.initial_values["v"].evaluate(), np.array(prj.get("weight", "list"))

    a = build(seed=5)
    b = build(seed=5)
    c = build(rng_seed=6)
    d = build(rng=sim.NumpyRNG(seed=6))
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])
    assert np.array_equal(c[0], d[0]) and np.array_equal(c[1], d[1])


def test_list_standard_models():
    names = sim.list_standard_models()
    assert sorted(names) == ["IF_cond_exp", "IF_curr_alpha", "IF_curr_exp", "Izhikevich",
                             "SpikeSourceArray", "SpikeSourcePoisson"]
    assert sim.extra_models.IF_curr_delta is sim.IF_curr_delta


def test_setup_discards_network(sim1):
    p = sim.Population(3, sim.IF_curr_exp())
    sim.setup(timestep=1.0)
    with pytest.raises(RuntimeError, match="previous setup"):
        p.set(tau_m=10.0)


def test_network_frozen_after_run_until_reset(sim1):
    p = sim.Population(3, sim.IF_curr_exp())
    sim.run(5.0)
    for call in (lambda: p.set(tau_m=10.0), lambda: p.initialize(v=-60.0),
                 lambda: p.record("v"),
                 lambda: sim.Population(2, sim.IF_curr_exp()),
                 lambda: sim.Projection(p, p, sim.AllToAllConnector())):
        with pytest.raises(NotImplementedError, match="reset"):
            call()
    sim.reset()
    p.set(tau_m=10.0)
    assert p.get("tau_m") == 10.0


def test_axon_extras(sim1):
    p = sim.Population(10, sim.IF_curr_exp(i_offset=2.0))
    sim.Projection(p, p, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.01, delay=1.0))
    rep = sim.describe_mapping()
    assert rep["neurons"] == 10 and rep["synapses"] == 100 and rep["cores_used"] >= 1
    assert "chips" in sim.describe_mapping(text=True)
    sim.run(100.0)
    st = sim.get_stats()
    assert st["sim_time_ms"] == 100.0 and st["spikes"] > 0
    assert isinstance(sim.get_warnings(), str)


def test_unsupported_classes_explain():
    with pytest.raises(NotImplementedError, match="i_offset"):
        sim.DCSource(amplitude=1.0)
    with pytest.raises(NotImplementedError, match="short-term"):
        sim.TsodyksMarkramSynapse()
    with pytest.raises(NotImplementedError, match="timing_dependence"):
        sim.STDPMechanism()  # STDP needs its components (test_stdp.py)


def _burst_network(**opts):
    """100 spike arrays all firing in every one of 20 steps onto one cell: far above the
    30 spikes/s per source that the default weight-shift estimate assumes."""
    sim.setup(timestep=1.0, **opts)
    src = sim.Population(100, sim.SpikeSourceArray(spike_times=np.arange(1.0, 21.0)),
                         label="burst")
    cell = sim.Population(1, sim.IF_curr_exp(tau_refrac=2.0), label="target")
    sim.Projection(src, cell, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.5, delay=1.0))
    return cell


def test_ring_buffer_saturation_is_reported(caplog):
    _burst_network()
    with caplog.at_level("WARNING", logger="PyNN"):
        sim.run(30.0)
    sat = sim.get_stats()["saturations"]
    assert sat > 0  # 100 x 0.5 nA per step does not fit the 30 Hz sizing
    msg = [w for w in sim.get_warnings().splitlines() if "saturated" in w]
    assert len(msg) == 1 and "'target'" in msg[0] and (" %d times" % sat) in msg[0]
    assert any("saturated" in r.getMessage() for r in caplog.records)  # logged once
    sim.run(10.0)  # no new saturation (the burst is over): no second warning
    assert len([w for w in sim.get_warnings().splitlines() if "saturated" in w]) == 1


def test_spikes_per_second_sizes_the_ring_buffers():
    _burst_network(spikes_per_second=1000.0)
    sim.run(30.0)
    assert sim.get_stats()["saturations"] == 0
    assert "saturated" not in sim.get_warnings()
    with pytest.raises(ValueError, match="spikes_per_second = -1"):
        sim.setup(timestep=1.0, spikes_per_second=-1.0)
    with pytest.raises(ValueError, match="ring_buffer_sigma = nan"):
        sim.setup(timestep=1.0, ring_buffer_sigma=float("nan"))
    sim.setup(timestep=1.0)
