"""Cell types, populations, views, parameters, initial values, structures."""
import numpy as np
import pytest

import pyNN.axon as sim
from pyNN import errors, space
from pyNN.parameters import Sequence
from pyNN.standardmodels import cells as std

CELLS = [sim.IF_curr_exp, sim.IF_cond_exp, sim.IF_curr_alpha, sim.Izhikevich,
         sim.SpikeSourceArray, sim.SpikeSourcePoisson, sim.IF_curr_delta]


@pytest.mark.parametrize("cls", CELLS, ids=lambda c: c.__name__)
def test_celltype_interface(sim1, cls):
    base = getattr(std, cls.__name__)
    assert issubclass(cls, base)
    names = cls.get_parameter_names()
    for name, value in base.default_parameters.items():
        assert name in names
        if not isinstance(value, Sequence):
            assert cls.default_parameters[name] == value
    for name, value in base.default_initial_values.items():
        assert cls.default_initial_values[name] == value
    p = sim.Population(4, cls())
    got = p.get(names)
    for name, value in zip(names, got):
        if name != "spike_times":
            assert value == cls.default_parameters[name], name
    assert "Axon:" in cls.__doc__
    for name, value in cls.default_initial_values.items():
        assert np.all(p.initial_values[name].evaluate() == value)


def test_izhikevich_differences_documented():
    assert "30 mV" in sim.Izhikevich.__doc__
    assert sim.Izhikevich.default_parameters["tau_syn_E"] == 5.0


def test_parameters_scalar_array_random(sim1):
    n = 2000
    p = sim.Population(n, sim.IF_curr_exp(tau_m=12.0, v_thresh=np.linspace(-55, -45, n),
                                          i_offset=sim.RandomDistribution("uniform",
                                                                          (0.1, 0.3))))
    assert p.get("tau_m") == 12.0
    assert np.allclose(p.get("v_thresh"), np.linspace(-55, -45, n))
    io = p.get("i_offset")
    assert io.min() >= 0.1 and io.max() < 0.3 and abs(io.mean() - 0.2) < 0.01
    p.set(cm=sim.RandomDistribution("normal", mu=1.0, sigma=0.1))
    cm = p.get("cm")
    assert abs(cm.mean() - 1.0) < 0.01 and abs(cm.std() - 0.1) < 0.01
    p.set(tau_refrac=lambda i: 1.0 + (i % 3))
    assert np.array_equal(p.get("tau_refrac")[:6], [1, 2, 3, 1, 2, 3])
    p[0].tau_m = 33.0
    assert p.get("tau_m")[0] == 33.0 and p[0].tau_m == 33.0
    tm, vt = p.get(["tau_m", "v_thresh"])
    assert tm[1] == 12.0 and vt[0] == -55.0


def test_cellparams_dict_and_class(sim1):
    p = sim.Population(3, sim.IF_cond_exp, {"tau_m": 17.0, "e_rev_I": -80.0})
    assert p.get("tau_m") == 17.0 and p.get("e_rev_I") == -80.0


def test_parameter_errors_carry_library_message(sim1):
    p = sim.Population(3, sim.IF_curr_exp())
    with pytest.raises(errors.InvalidParameterValueError, match="tau_m.*positive"):
        p.set(tau_m=-5.0)
    assert p.get("tau_m") == 20.0  # unchanged
    with pytest.raises(errors.NonExistentParameterError):
        p.set(tau_mm=1.0)
    with pytest.raises(errors.InvalidParameterValueError):
        sim.Population(3, sim.IF_curr_exp(cm=0.0))
    with pytest.raises(errors.InvalidParameterValueError, match="rate"):
        sim.Population(3, sim.SpikeSourcePoisson(rate=-1.0))


def test_initial_values(sim1):
    n = 3000
    p = sim.Population(n, sim.IF_cond_exp(),
                       initial_values={"v": sim.RandomDistribution("normal", (-65.0, 2.0))})
    v = p.initial_values["v"].evaluate()
    assert v.shape == (n,) and abs(v.mean() + 65.0) < 0.15 and abs(v.std() - 2.0) < 0.1
    assert p[7].get_initial_value("v") == v[7]
    p.initialize(v=-60.0, gsyn_exc=0.01)
    assert np.all(p.initial_values["v"].evaluate() == -60.0)
    assert np.all(p.initial_values["gsyn_exc"].evaluate() == 0.01)
    p.initialize(v=np.arange(n) * -0.01)
    assert p[10].get_initial_value("v") == pytest.approx(-0.1)
    p[3].set_initial_value("v", -71.0)
    assert p[3].get_initial_value("v") == -71.0
    view = p[100:200]
    view.initialize(v=sim.RandomDistribution("uniform", (-70.0, -69.0)))
    v = p.initial_values["v"].evaluate()
    assert np.all((v[100:200] >= -70) & (v[100:200] < -69))
    assert v[99] == pytest.approx(-0.99) and v[200] == pytest.approx(-2.0)
    assert np.array_equal(view.initial_values["v"].evaluate(), v[100:200])
    sim.initialize(p, v=-66.0)
    assert p[0].get_initial_value("v") == -66.0
    with pytest.raises(errors.NonExistentParameterError):
        p.initialize(w=1.0)


def test_initial_values_reach_the_simulation(sim1):
    p = sim.Population(3, sim.IF_curr_exp(), initial_values={"v": [-60.0, -62.0, -64.0]})
    p.record("v")
    sim.run(2.0)
    v = p.get_data().segments[0].analogsignals[0]
    assert np.allclose(v.magnitude[0], [-60.0, -62.0, -64.0])


def test_spike_source_array(sim1):
    p = sim.Population(3, sim.SpikeSourceArray(spike_times=[1.0, 5.0, 9.0]))
    st = p.get("spike_times")
    assert isinstance(st, Sequence) and np.array_equal(st.value, [1.0, 5.0, 9.0])
    p[1:2].set(spike_times=Sequence([2.0, 3.0]))
    st = p.get("spike_times")
    assert np.array_equal(st[1].value, [2.0, 3.0]) and np.array_equal(st[0].value,
                                                                       [1.0, 5.0, 9.0])
    p.set(spike_times=[Sequence([4.0]), Sequence([]), Sequence([6.0, 7.0])])
    p.record("spikes")
    sim.run(10.0)
    trains = p.get_data().segments[0].spiketrains
    assert [list(t.magnitude) for t in trains] == [[4.0], [], [6.0, 7.0]]
    with pytest.raises(errors.InvalidParameterValueError, match="spike time"):
        sim.reset()
        p.set(spike_times=Sequence([-1.0]))


def test_population_basics(sim1):
    p = sim.Population(10, sim.IF_curr_exp(), label="cells")
    q = sim.Population(5, sim.IF_curr_exp(), label="cells")  # PyNN allows repeated labels
    assert p.label == "cells" and q.label == "cells"
    assert p.size == len(p) == 10
    assert p.first_id == 0 and p.last_id == 9 and q.first_id == 10
    assert p.id_to_index(p[4]) == 4
    assert p.celltype.__class__ is sim.IF_curr_exp
    assert "cells" in p.describe()
    assert sim.Population((3, 4), sim.IF_curr_exp()).size == 12
    a = p + q
    assert isinstance(a, sim.Assembly) and a.size == 15


def test_views(sim1):
    p = sim.Population(20, sim.IF_curr_exp(), label="p")
    v = p[2:12:2]
    assert isinstance(v, sim.PopulationView)
    assert v.size == 5 and list(v.all_cells) == [2, 4, 6, 8, 10]
    w = p[[3, 1, 7]]
    assert list(w.all_cells) == [1, 3, 7]
    vv = v[1:3]
    assert list(vv.all_cells) == [4, 6] and vv.grandparent is p
    mask = np.zeros(20, bool)
    mask[[0, 19]] = True
    assert list(p[mask].all_cells) == [0, 19]
    vv.set(tau_m=7.0)
    tm = p.get("tau_m")
    assert tm[4] == 7.0 and tm[6] == 7.0 and tm[5] == 20.0
    assert vv.get("tau_m") == 7.0
    assert np.array_equal(v.get("tau_m"), [20.0, 7.0, 7.0, 20.0, 20.0])
    assert np.array_equal(v.positions, p.positions[:, 2:12:2])


def test_sample(sim1):
    p = sim.Population(100, sim.IF_curr_exp())
    s = p.sample(10, sim.NumpyRNG(seed=1))
    assert isinstance(s, sim.PopulationView) and s.size == 10
    idx = np.asarray(s.mask)
    assert len(set(idx.tolist())) == 10 and idx.min() >= 0 and idx.max() < 100
    v = p[50:60]
    t = v.sample(4)
    cells = np.asarray(t.all_cells)
    assert t.size == 4 and np.all((cells >= 50) & (cells < 60))
    with pytest.raises(ValueError):
        p.sample(101)


def _expect(structure, n):
    return structure.generate_positions(n)


@pytest.mark.parametrize("structure,n", [
    (space.Line(), 7),
    (space.Line(dx=2.5, x0=-3.0, y=1.0, z=2.0), 7),
    (space.Grid2D(aspect_ratio=1.0, dx=2.0, dy=3.0, x0=1.0, y0=-1.0, z=5.0), 16),
    (space.Grid2D(aspect_ratio=4.0), 36),
    (space.Grid3D(aspect_ratioXY=1.0, aspect_ratioXZ=1.0, dx=1.0, dy=2.0, dz=3.0), 27),
    (space.Grid3D(aspect_ratioXY=2.0, aspect_ratioXZ=0.5, x0=1, y0=2, z0=3), 64),
], ids=["line", "line-params", "grid2d", "grid2d-aspect", "grid3d", "grid3d-aspect"])
def test_positions_regular(sim1, structure, n):
    p = sim.Population(n, sim.IF_curr_exp(), structure=structure)
    assert p.positions.shape == (3, n)
    assert np.allclose(p.positions, _expect(structure, n))
    assert np.allclose(p[n - 1].position, _expect(structure, n)[:, -1])


def test_positions_default_is_line(sim1):
    p = sim.Population(5, sim.IF_curr_exp())
    assert np.array_equal(p.positions, [[0, 1, 2, 3, 4], [0] * 5, [0] * 5])


def test_positions_random_fill(sim1):
    st = space.Grid2D(aspect_ratio=1.0, dx=1.0, dy=1.0, fill_order="random")
    p = sim.Population(25, sim.IF_curr_exp(), structure=st)
    seq = space.Grid2D(aspect_ratio=1.0).generate_positions(25)
    got = {tuple(c) for c in p.positions.T.round(9)}
    assert got == {tuple(c) for c in seq.T.round(9)}
    assert not np.array_equal(p.positions, seq)


def test_positions_random_structures(sim1):
    sph = sim.Population(2000, sim.IF_curr_exp(),
                         structure=space.RandomStructure(space.Sphere(5.0), origin=(1, 2, 3)))
    r = np.linalg.norm(sph.positions - np.array([[1], [2], [3]]), axis=0)
    assert r.max() <= 5.0 and r.max() > 4.5
    assert abs(np.mean(r ** 3) / 125.0 - 0.5) < 0.05  # uniform in volume
    box = sim.Population(2000, sim.IF_curr_exp(),
                         structure=space.RandomStructure(space.Cuboid(2.0, 4.0, 6.0)))
    pos = box.positions
    for k, half in enumerate((1.0, 2.0, 3.0)):
        assert pos[k].min() >= -half and pos[k].max() <= half
        assert pos[k].max() - pos[k].min() > 1.8 * half


def test_positions_set_and_structure_change(sim1):
    p = sim.Population(4, sim.IF_curr_exp())
    pos = np.arange(12, dtype=float).reshape(3, 4)
    p.positions = pos
    assert np.array_equal(p.positions, pos)
    p.structure = space.Line(dx=3.0)
    assert np.array_equal(p.positions[0], [0, 3, 6, 9])
    with pytest.raises(ValueError):
        p.positions = np.full((3, 4), np.nan)


def test_unsupported_celltype(sim1):
    with pytest.raises(errors.InvalidModelError, match="Axon has no cell type"):
        sim.Population(2, std.HH_cond_exp())
