"""STDP through pyNN.axon (docs/pynn.md#stdp, docs/spec/plasticity.md): STDPMechanism with
the supported rules, learned weights from Projection.get and in HDF5, persistence across
runs, reset, and the errors for what is not supported."""
import math

import h5py
import numpy as np
import pytest

import pyNN.axon as sim


def pair_net(pre_times, drive_times, timing=None, weight_dep=None, w0=0.5, label="plastic"):
    """One plastic input onto an IF_curr_exp cell that a strong static input makes fire."""
    pre = sim.Population(1, sim.SpikeSourceArray(spike_times=pre_times), label="pre")
    drv = sim.Population(1, sim.SpikeSourceArray(spike_times=drive_times), label="drv")
    post = sim.Population(1, sim.IF_curr_exp(), label="post")
    stdp = sim.STDPMechanism(
        timing_dependence=timing or sim.SpikePairRule(tau_plus=20.0, tau_minus=20.0,
                                                      A_plus=0.01, A_minus=0.012),
        weight_dependence=weight_dep or sim.AdditiveWeightDependence(w_min=0.0, w_max=1.0),
        weight=w0, delay=1.0)
    prj = sim.Projection(pre, post, sim.AllToAllConnector(), stdp, receptor_type="excitatory",
                         label=label)
    sim.Projection(drv, post, sim.AllToAllConnector(), sim.StaticSynapse(weight=20.0, delay=1.0),
                   receptor_type="excitatory")
    post.record("spikes")
    return prj, post


def expected_additive(pre_times, post_times, w0, a_plus=0.01, a_minus=0.012, w_max=1.0,
                      tau=20.0, delay=1.0):
    """Closed form of the pair rule (all pairs, additive, no clamping reached), counting
    the post spikes that reach the synapse before the last pre spike (deferred update)."""
    w = w0
    last = pre_times[-1]
    for q in post_times:
        s = q + delay
        for t in pre_times:
            if s >= t:  # potentiation, applied by the next pre spike (if any)
                if s < last:
                    w += a_plus * w_max * math.exp(-(s - t) / tau)
            else:       # depression, applied at the pre spike
                w -= a_minus * w_max * math.exp((s - t) / tau)
    return w


def test_pair_closed_form_list_and_array(sim1):
    prj, post = pair_net([10.0, 300.0], [13.0])
    assert prj.get("weight", format="list") == [(0, 0, 0.5)]
    sim.run(400.0)
    q = [float(t) for t in post.get_data().segments[0].spiketrains[0]]
    assert len(q) >= 1
    want = expected_additive([10.0, 300.0], q, 0.5)
    (i, j, w), = prj.get("weight", format="list")
    assert (i, j) == (0, 0)
    assert w == pytest.approx(want, abs=2e-3), (q, w, want)
    arr = prj.get("weight", format="array")
    assert arr.shape == (1, 1) and arr[0, 0] == w


def test_depression_all_pairs_and_nearest_pair(sim1):
    """Post spikes reaching the synapse before the pre spike: all pairs depress with the sum
    of their traces, the nearest-pair rule with the latest post spike only."""
    for nearest in (0, 1):
        rule = sim.SpikeNearestPairRule if nearest else sim.SpikePairRule
        sim.setup(timestep=1.0, min_delay=1.0, max_delay=10.0)
        prj, post = pair_net([50.0], [40.0], timing=rule(A_plus=0.01, A_minus=0.012))
        sim.run(100.0)
        arrivals = [float(t) + 1.0 for t in post.get_data().segments[0].spiketrains[0]]
        before = [s for s in arrivals if s < 50.0]
        assert len(before) >= 2, arrivals
        if nearest:
            before = before[-1:]
        want = 0.5 - sum(0.012 * math.exp((s - 50.0) / 20.0) for s in before)
        assert prj.get("weight", format="list")[0][2] == pytest.approx(want, abs=2e-3)


def test_multiplicative_scaling(sim1):
    prj, post = pair_net([10.0, 300.0], [13.0], w0=0.8,
                         weight_dep=sim.MultiplicativeWeightDependence(w_min=0.0, w_max=1.0),
                         timing=sim.SpikePairRule(A_plus=0.1, A_minus=0.1))
    sim.run(400.0)
    q = [float(t) for t in post.get_data().segments[0].spiketrains[0]]
    w = 0.8
    for s in [t + 1.0 for t in q if t + 1.0 < 300.0]:
        w += 0.1 * (1.0 - w) * math.exp(-(s - 10.0) / 20.0)
    assert prj.get("weight", format="list")[0][2] == pytest.approx(w, abs=2e-3)


def test_weights_persist_across_runs_and_reset_restores(sim1):
    prj, post = pair_net([10.0, 100.0, 300.0], [13.0, 103.0])
    sim.run(150.0)
    w1 = prj.get("weight", format="list")[0][2]
    sim.run(250.0)
    w2 = prj.get("weight", format="list")[0][2]
    assert w1 > 0.5 and w2 > w1
    sim.reset()
    assert prj.get("weight", format="list")[0][2] == 0.5
    sim.run(400.0)
    assert prj.get("weight", format="list")[0][2] == w2


def test_learned_weights_in_hdf5_and_after_end(tmp_path):
    sim.setup(timestep=1.0, min_delay=1.0, max_delay=10.0)
    prj, post = pair_net([10.0, 300.0], [13.0], label="learn")
    sim.run(400.0)
    w = prj.get("weight", format="list")[0][2]
    path = str(tmp_path / "stdp.h5")
    post.write_data(path)
    with h5py.File(path, "r") as f:
        g = f["general/axon/projections/learn"]
        assert g["weight"][()].tolist() == [w]
        assert g["pre"][()].tolist() == [0] and g["post"][()].tolist() == [0]
        assert g["delay"][()].tolist() == [1.0]
    sim.end()
    assert prj.get("weight", format="list")[0][2] == w
    sim.reset()
    assert prj.get("weight", format="list")[0][2] == 0.5


def test_unsupported_and_invalid(sim1):
    with pytest.raises(NotImplementedError, match="dendritic_delay_fraction"):
        sim.STDPMechanism(timing_dependence=sim.SpikePairRule(),
                          weight_dependence=sim.AdditiveWeightDependence(),
                          dendritic_delay_fraction=0.5)
    with pytest.raises(NotImplementedError):
        sim.GutigWeightDependence()
    pre = sim.Population(2, sim.SpikeSourcePoisson(rate=10.0), label="src")
    post = sim.Population(2, sim.IF_curr_exp(), label="dst")
    bad = sim.STDPMechanism(timing_dependence=sim.SpikePairRule(tau_plus=-1.0),
                            weight_dependence=sim.AdditiveWeightDependence(), weight=0.1)
    with pytest.raises(Exception, match="tau_plus"):
        sim.Projection(pre, post, sim.AllToAllConnector(), bad, receptor_type="excitatory")
    ok = sim.STDPMechanism(timing_dependence=sim.SpikePairRule(),
                           weight_dependence=sim.AdditiveWeightDependence(), weight=0.1)
    sim.Projection(pre, post, sim.OneToOneConnector(), ok, receptor_type="excitatory",
                   label="plastic")
    sim.Projection(pre, post, sim.OneToOneConnector(), sim.StaticSynapse(weight=0.1),
                   receptor_type="excitatory", label="static")
    with pytest.raises(Exception, match="different plasticity"):
        sim.run(10.0)


def test_many_inputs_match_brian2_semantics_summary(sim1):
    """Every learned weight stays in [w_min, w_max] and the rule moves them both ways."""
    n = 200
    inputs = sim.Population(n, sim.SpikeSourcePoisson(rate=20.0), label="in")
    cell = sim.Population(1, sim.IF_curr_exp(tau_refrac=2.0), label="cell")
    w0 = np.full(n, 0.3)
    stdp = sim.STDPMechanism(timing_dependence=sim.SpikePairRule(A_plus=0.05, A_minus=0.05),
                             weight_dependence=sim.AdditiveWeightDependence(w_min=0.1,
                                                                            w_max=0.5),
                             weight=w0, delay=1.0)
    prj = sim.Projection(inputs, cell, sim.AllToAllConnector(), stdp,
                         receptor_type="excitatory")
    sim.run(2000.0)
    w = np.array(prj.get("weight", format="array")).ravel()
    unit = 1e-3  # weights are multiples of the ring-buffer unit, bounds included
    assert np.all(w >= 0.1 - unit) and np.all(w <= 0.5 + unit)
    assert np.any(w > 0.3) and np.any(w < 0.3)


def test_tutorial_form_positional_components_and_delay_expression():
    """The tutorial's spelling: components positional, the delay an expression of d."""
    from pyNN.space import Line
    sim.setup(timestep=0.1, min_delay=0.1, max_delay=10.0)
    a = sim.Population(20, sim.SpikeSourcePoisson(rate=20.0), structure=Line())
    b = sim.Population(10, sim.IF_curr_exp(i_offset=0.9), structure=Line())
    stdp = sim.STDPMechanism(sim.SpikePairRule(20.0, 20.0, 0.01, 0.012),
                             sim.AdditiveWeightDependence(0.0, 0.5),
                             weight=0.2, delay="0.5 + 0.1*d")
    p = sim.Projection(a, b, sim.FixedProbabilityConnector(0.5), stdp,
                       receptor_type="excitatory")
    before = np.array(p.get(["weight", "delay"], format="list"))
    i, j = before[:, 0], before[:, 1]
    assert np.allclose(before[:, 3], np.round(0.5 + 0.1 * np.abs(i - j), 1))
    sim.run(500.0)
    after = np.array(p.get(["weight", "delay"], format="list"))
    assert np.array_equal(after[:, 3], before[:, 3])
    assert np.any(after[:, 2] != 0.2)
    sim.end()
