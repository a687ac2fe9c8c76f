"""Recording, get_data (Neo units, shapes, annotations), write_data, segments, counts."""
import os
import subprocess
import sys
import time

import h5py
import neo
import numpy as np
import pytest
import quantities as pq

import pyNN.axon as sim
from pyNN import errors


def test_spikes_and_signals(sim1):
    p = sim.Population(4, sim.IF_cond_exp(i_offset=[0.0, 0.5, 1.0, 2.0]), label="cond")
    p.record("spikes")
    p.record(["v", "gsyn_exc"], sampling_interval=2.0)
    p[1:3].record("gsyn_inh")
    sim.run(100.0)
    block = p.get_data()
    assert isinstance(block, neo.Block) and len(block.segments) == 1
    seg = block.segments[0]
    assert len(seg.spiketrains) == 4
    for k, st in enumerate(seg.spiketrains):
        assert st.units == pq.ms
        assert st.t_start == 0.0 * pq.ms and st.t_stop == 100.0 * pq.ms
        assert st.annotations["source_index"] == k
        assert st.annotations["source_id"] == int(p[k])
        assert st.annotations["source_population"] == "cond"
        assert np.all(np.diff(st.magnitude) > 0)
    counts = [len(st) for st in seg.spiketrains]
    assert counts[0] == 0 and counts[1] < counts[2] < counts[3]
    v = seg.filter(name="v")[0]
    assert v.units == pq.mV and v.sampling_period == 2.0 * pq.ms
    assert v.t_start == 0.0 * pq.ms and v.shape == (50, 4)
    assert list(v.annotations["source_ids"]) == [int(i) for i in p.all_cells]
    assert list(v.array_annotations["channel_index"]) == [0, 1, 2, 3]
    assert v.magnitude[0, 0] == -65.0
    ge = seg.filter(name="gsyn_exc")[0]
    assert ge.units == pq.uS and ge.shape == (50, 4)
    gi = seg.filter(name="gsyn_inh")[0]
    # one sampling interval per population, as in PyNN
    assert gi.units == pq.uS and gi.shape == (50, 2) and gi.sampling_period == 2.0 * pq.ms
    assert list(gi.array_annotations["channel_index"]) == [1, 2]
    assert p.mean_spike_count() == pytest.approx(np.mean(counts))
    sc = p.get_spike_counts()
    assert sc == {int(p[k]): c for k, c in enumerate(counts)}


def test_current_based_units_and_isyn(sim1):
    src = sim.Population(1, sim.SpikeSourceArray(spike_times=[5.0]))
    p = sim.Population(2, sim.IF_curr_exp())
    sim.Projection(src, p, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.5, delay=1.0))
    p.record(["gsyn_exc", "v"])
    q = sim.Population(1, sim.Izhikevich())
    q.record(["v", "isyn_exc"])
    sim.run(20.0)
    seg = p.get_data().segments[0]
    g = seg.filter(name="gsyn_exc")[0]
    assert g.units == pq.nA
    # sampled at the end of the step in which the 0.5 nA jump arrives (one step of decay)
    assert 0.5 * np.exp(-1.0 / 5.0) - 0.01 < g.magnitude.max() <= 0.5
    assert np.argmax(g.magnitude[:, 0]) in (6, 7)
    i = q.get_data().segments[0].filter(name="isyn_exc")[0]
    assert i.units == pq.nA and i.shape == (20, 1)
    with pytest.raises(errors.RecordingError):
        q.record("u")


def test_view_recording_and_get_data_filter(sim1):
    p = sim.Population(10, sim.IF_curr_exp(i_offset=1.0))
    p[[2, 5, 7]].record(["spikes", "v"])
    with pytest.raises(errors.RecordingError):
        sim.Population(1, sim.SpikeSourcePoisson()).record("v")
    sim.run(30.0)
    seg = p.get_data().segments[0]
    assert [st.annotations["source_index"] for st in seg.spiketrains] == [2, 5, 7]
    assert seg.analogsignals[0].shape == (30, 3)
    sub = p[[5, 7]].get_data("v").segments[0]
    assert sub.spiketrains == [] or len(sub.spiketrains) == 0
    assert list(sub.analogsignals[0].array_annotations["channel_index"]) == [5, 7]


def test_membrane_matches_closed_form(sim1):
    """IF_curr_exp with a constant current: v(t) = v_rest + R I (1 - exp(-t / tau_m))."""
    p = sim.Population(1, sim.IF_curr_exp(i_offset=0.5, tau_m=20.0, cm=1.0, v_thresh=0.0))
    p.record("v")
    sim.run(50.0)
    v = p.get_data().segments[0].analogsignals[0].magnitude[:, 0]
    t = np.arange(50.0)
    expect = -65.0 + 20.0 * 0.5 * (1.0 - np.exp(-t / 20.0))
    assert np.max(np.abs(v - expect)) < 0.01


def test_spike_times_of_a_regular_neuron(sim1):
    """First spike of IF_curr_exp driven by 1 nA: threshold crossed at 27.7 ms."""
    p = sim.Population(1, sim.IF_curr_exp(i_offset=1.0))
    p.record("spikes")
    sim.run(100.0)
    st = p.get_data().segments[0].spiketrains[0].magnitude
    t_cross = -20.0 * np.log(1 - 15.0 / 20.0)
    assert abs(st[0] - t_cross) <= 1.0
    isi = np.diff(st)  # threshold crossing rounded up to a step, plus refractoriness
    assert np.all((isi >= t_cross) & (isi <= t_cross + 2.0))


def test_poisson_rate(sim1):
    p = sim.Population(500, sim.SpikeSourcePoisson(rate=40.0, start=100.0, duration=500.0))
    p.record("spikes")
    sim.run(1000.0)
    seg = p.get_data().segments[0]
    allt = np.concatenate([st.magnitude for st in seg.spiketrains])
    assert allt.min() >= 100.0 and allt.max() < 600.0
    rate = len(allt) / 500 / 0.5
    assert abs(rate - 40.0) < 2.0


def test_reset_makes_segments_and_clear(sim1):
    p = sim.Population(3, sim.IF_curr_exp(i_offset=1.0))
    p.record(["spikes", "v"])
    sim.run(50.0)
    sim.reset()
    sim.run(40.0)
    block = p.get_data()
    assert [s.name for s in block.segments] == ["segment000", "segment001"]
    assert [s.analogsignals[0].shape for s in block.segments] == [(50, 3), (40, 3)]
    assert block.segments[1].spiketrains[0].t_stop == 40.0 * pq.ms
    # the same network and initial values: the same spikes
    assert np.array_equal(block.segments[0].spiketrains[0].magnitude,
                          block.segments[1].spiketrains[0].magnitude)
    block = p.get_data(clear=True)
    assert len(block.segments) == 2
    sim.run(20.0)
    block = p.get_data()
    assert len(block.segments) == 1
    seg = block.segments[0]
    assert seg.analogsignals[0].t_start == 40.0 * pq.ms
    assert seg.analogsignals[0].shape == (20, 3)
    assert seg.spiketrains[0].t_start == 40.0 * pq.ms
    assert np.all(seg.spiketrains[0].magnitude >= 40.0)


def test_write_data_pickle_round_trip(sim1, tmp_path):
    p = sim.Population(5, sim.IF_curr_exp(i_offset=np.linspace(0.5, 1.5, 5)), label="pk")
    p.record(["spikes", "v"])
    sim.run(60.0)
    path = str(tmp_path / "data.pkl")
    p.write_data(path, annotations={"script": "test"})
    back = neo.io.PickleIO(path).read_block()
    orig = p.get_data()
    assert back.annotations["script"] == "test"
    assert back.name == "pk"
    for a, b in zip(orig.segments[0].spiketrains, back.segments[0].spiketrains):
        assert np.array_equal(a.magnitude, b.magnitude) and a.annotations == b.annotations
    va, vb = orig.segments[0].analogsignals[0], back.segments[0].analogsignals[0]
    assert np.array_equal(va.magnitude, vb.magnitude) and vb.units == pq.mV
    assert vb.sampling_period == va.sampling_period


def test_write_data_hdf5(sim1, tmp_path):
    p = sim.Population(6, sim.IF_curr_exp(i_offset=1.0), label="hdf")
    p.record(["spikes", "v"], sampling_interval=2.0)
    sim.run(60.0)
    path = str(tmp_path / "data.h5")
    p.write_data(path)
    seg = p.get_data().segments[0]
    with h5py.File(path, "r") as f:
        assert f.attrs["truncated"] == 0
        u = f["units"]
        ends = u["spike_times_index"][()].astype(int)
        starts = np.concatenate(([0], ends[:-1]))
        st = u["spike_times"][()] * 1000.0
        for k, (a, b) in enumerate(zip(starts, ends)):
            assert np.allclose(st[a:b], seg.spiketrains[k].magnitude)
        data = f["acquisition/hdf_v/data"][()]
        assert np.array_equal(data, seg.filter(name="v")[0].magnitude)
        assert f["acquisition/hdf_v/starting_time"].attrs["rate"] == 500.0
    # the project's NWB checker accepts it
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    r = subprocess.run([sys.executable, os.path.join(root, "tests", "h5", "read_results.py"),
                        path, "--expect-truncated", "0"], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_record_to_file_on_end(tmp_path):
    sim.setup(timestep=1.0)
    p = sim.Population(2, sim.IF_curr_exp(i_offset=1.0))
    path = str(tmp_path / "end.pkl")
    p.record("spikes", to_file=path)
    sim.run(50.0)
    sim.end()
    back = neo.io.PickleIO(path).read_block()
    assert len(back.segments[0].spiketrains) == 2
    assert len(back.segments[0].spiketrains[0]) >= 1


def test_get_data_speed(sim1):
    """1000 neurons x 200 ms of v at 1 ms: get_data() well under 0.5 s."""
    p = sim.Population(1000, sim.IF_cond_exp())
    p.initialize(v=sim.RandomDistribution("normal", (-65.0, 2.0)))
    p.record("v")
    sim.run(200.0)
    t0 = time.perf_counter()
    block = p.get_data()
    dt = time.perf_counter() - t0
    assert block.segments[0].analogsignals[0].shape == (200, 1000)
    assert dt < 0.5, dt


def test_assembly_and_procedural_record(sim1, tmp_path):
    a = sim.Population(3, sim.IF_curr_exp(i_offset=1.0), label="a")
    b = sim.Population(2, sim.IF_cond_exp(i_offset=1.0), label="b")
    asm = a + b
    asm.record("spikes")
    sim.record("v", b, str(tmp_path / "b.pkl"))
    prj = sim.Projection(a, b, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.01))
    assert "AllToAllConnector" in prj.describe()
    sim.run(40.0)
    block = asm.get_data()
    assert len(block.segments[0].spiketrains) == 5
    assert asm.mean_spike_count() == pytest.approx(1.0)
    asm.write_data(str(tmp_path / "asm.h5"))
    with h5py.File(str(tmp_path / "asm.h5"), "r") as f:
        assert list(f["units/population"].asstr()[()]) == ["a"] * 3 + ["b"] * 2
    sim.end()
    back = neo.io.PickleIO(str(tmp_path / "b.pkl")).read_block()
    assert back.segments[0].analogsignals[0].shape == (40, 2)
