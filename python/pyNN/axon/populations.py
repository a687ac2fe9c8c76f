"""Population, PopulationView and Assembly on Axon's host library.

A Population is a library population (axon_population); its parameters, initial values,
positions and recordings live in the library and cross as whole arrays.
"""

import ctypes
import logging

import numpy as np
from pyNN import common, errors, space
from pyNN.parameters import LazyArray, ParameterSpace, Sequence, simplify
from pyNN.random import RandomDistribution
from pyNN.standardmodels import StandardCellType

from . import _capi as C
from . import simulator
from ._capi import lib
from ._values import CValue, draw, neuron_value, neuron_values_array
from .recording import Recorder
from .simulator import check, state

logger = logging.getLogger("PyNN")


# ---------------------------------------------------------------------------- structures
def _c_structure(structure):
    """The axon_structure for a PyNN structure, or None if the library has no equivalent
    (positions are then computed by PyNN and given to the library)."""
    s = C.Structure()
    if structure is None:
        s.kind = C.STRUCT_NONE
        return s
    t = type(structure)
    if t is space.Line:
        s.kind = C.STRUCT_LINE
        vals = (structure.dx, structure.x0, structure.y, structure.z)
    elif t is space.Grid2D:
        s.kind = C.STRUCT_GRID2D
        vals = (structure.aspect_ratio, structure.dx, structure.dy, structure.x0,
                structure.y0, structure.z)
        s.fill_random = structure.fill_order == "random"
    elif t is space.Grid3D:
        s.kind = C.STRUCT_GRID3D
        vals = (structure.aspect_ratios[0], structure.aspect_ratios[1], structure.dx,
                structure.dy, structure.dz, structure.x0, structure.y0, structure.z0)
        s.fill_random = structure.fill_order == "random"
    elif t is space.RandomStructure and type(structure.boundary) is space.Sphere:
        s.kind = C.STRUCT_RANDOM_SPHERE
        vals = (structure.boundary.radius,) + tuple(structure.origin)
    elif t is space.RandomStructure and type(structure.boundary) is space.Cuboid:
        b = structure.boundary
        s.kind = C.STRUCT_RANDOM_CUBOID
        vals = (b.width, b.height, b.depth) + tuple(structure.origin)
    else:
        return None
    for k, x in enumerate(vals):
        s.p[k] = float(x)
    return s


def _c_label(label):
    """A label unique in the library (PyNN allows repeated labels; the library does not)."""
    used = state.c_labels
    if label not in used:
        return label
    k = 2
    while "%s#%d" % (label, k) in used:
        k += 1
    return "%s#%d" % (label, k)


class _AxonPopulationMixin(object):
    """What Population and PopulationView share: values set through the library."""

    # indices of these cells in the parent Population (None: the whole population)
    def _abs_indices(self):
        raise NotImplementedError

    @property
    def _pop(self):
        raise NotImplementedError

    def _check_alive(self):
        if self._pop._generation != state.generation:
            raise RuntimeError(
                "population '%s' belongs to a previous setup()" % self._pop.label)

    # -- parameters -------------------------------------------------------------------------
    def _set_parameters(self, parameter_space):
        """parameter_space holds native (here: PyNN) names, not evaluated."""
        self._check_alive()
        state.check_mutable("set()")
        pop = self._pop
        whole = self._abs_indices() is None
        for name, value in parameter_space.items():
            if name == "spike_times":
                self._set_spike_times(value)
                continue
            if whole:
                cv = neuron_value(value, pop.size, name)
            else:
                full = pop._get_array(name)
                full[self._abs_indices()] = neuron_values_array(value, self.size, name)
                cv = CValue(C.VALUE_ARRAY, array=full)
            check(lib.axon_pop_set(state.ctx, pop._handle, name.encode(), cv.ref),
                  errors.InvalidParameterValueError)

    def _set_spike_times(self, value):
        pop = self._pop
        if isinstance(value, LazyArray):
            value = value.evaluate(simplify=True)
        if isinstance(value, np.ndarray) and value.ndim == 0:
            value = value.item()
        idx = self._abs_indices()
        if isinstance(value, Sequence) or (isinstance(value, np.ndarray) and
                                           value.dtype != object):
            times = np.ascontiguousarray(np.asarray(getattr(value, "value", value),
                                                    dtype=np.float64).ravel())
            if idx is None:
                check(lib.axon_pop_set_spike_times(state.ctx, pop._handle, -1, C.dptr(times),
                                                   times.size),
                      errors.InvalidParameterValueError)
                pop._spike_times[:] = [Sequence(times) for _ in range(pop.size)]
                return
            trains = [times] * len(idx)
        else:
            trains = [np.ascontiguousarray(np.asarray(getattr(s, "value", s),
                                                      dtype=np.float64).ravel())
                      for s in value]
            if idx is None:
                idx = np.arange(pop.size)
        if len(trains) != len(idx):
            raise errors.InvalidParameterValueError(
                "spike_times: %d trains for %d neurons" % (len(trains), len(idx)))
        for i, t in zip(idx, trains):
            check(lib.axon_pop_set_spike_times(state.ctx, pop._handle, int(i), C.dptr(t),
                                               t.size),
                  errors.InvalidParameterValueError)
            pop._spike_times[i] = Sequence(t)

    def _get_parameters(self, *names):
        """A ParameterSpace of native parameters (arrays read from the library)."""
        self._check_alive()
        pop = self._pop
        idx = self._abs_indices()
        out = {}
        for name in names:
            if name == "spike_times":
                vals = pop._spike_times if idx is None else pop._spike_times[idx]
                out[name] = simplify(vals)
            else:
                arr = pop._get_array(name)
                out[name] = simplify(arr if idx is None else arr[idx])
        return ParameterSpace(out, shape=(self.size,))

    # -- initial values -------------------------------------------------------------------
    def initialize(self, **initial_values):
        """Set initial values of state variables (numbers, arrays, RandomDistributions
        drawn by the library, or functions of the cell index)."""
        self._check_alive()
        state.check_mutable("initialize()")
        pop = self._pop
        idx = self._abs_indices()
        for variable, value in initial_values.items():
            if variable not in pop._c_inits:
                raise errors.NonExistentParameterError(
                    variable, pop.celltype.__class__.__name__, sorted(pop._c_inits))
            if idx is None:
                cv = neuron_value(value, pop.size, variable)
            else:
                full = pop._get_array(variable)
                full[idx] = neuron_values_array(value, self.size, variable)
                cv = CValue(C.VALUE_ARRAY, array=full)
            check(lib.axon_pop_initialize(state.ctx, pop._handle, variable.encode(), cv.ref),
                  errors.InvalidParameterValueError)
            pop.initial_values[variable] = LazyArray(pop._get_array(variable),
                                                     shape=(pop.size,), dtype=float)

    def _set_initial_value_array(self, variable, initial_values):
        self.initialize(**{variable: initial_values})

    # -- sampling and output ----------------------------------------------------------------
    def sample(self, n, rng=None):
        """`n` cells drawn at random without replacement (by the library's generator; `rng`
        is not used, see docs/pynn.md)."""
        self._check_alive()
        n = int(n)
        if not 0 < n <= self.size:
            raise ValueError("sample(%d) from %d cells" % (n, self.size))
        if self._abs_indices() is None:
            view = C.View()
            check(lib.axon_view_sample(state.ctx, self._pop._handle, n, ctypes.byref(view)))
            idx = np.ctypeslib.as_array(view.idx, shape=(n,)).astype(int)
        else:  # a random subset of the view: the n smallest of uniform keys
            keys = draw(RandomDistribution("uniform", (0.0, 1.0)), self.size)
            idx = np.sort(np.argsort(keys, kind="stable")[:n])
        return self._get_view(idx)

    def write_data(self, io, variables='all', gather=True, clear=False, annotations=None):
        """Write recorded data: `.h5` goes to Axon's NWB-style HDF5 results file (every
        recorded population of the network, docs/hostlib_hdf5.md); other names and Neo IO
        objects (e.g. `.pkl`) go through Neo."""
        if isinstance(io, str) and io.endswith((".h5", ".hdf5", ".nwb")):
            state.write_hdf5(io)
            if clear:
                self.recorder.clear()
            return
        common.BasePopulation.write_data(self, io, variables, gather, clear, annotations)


class Assembly(common.Assembly):
    __doc__ = common.Assembly.__doc__
    _simulator = simulator

    def write_data(self, io, variables='all', gather=True, clear=False, annotations=None):
        if isinstance(io, str) and io.endswith((".h5", ".hdf5", ".nwb")):
            state.write_hdf5(io)
            return
        common.Assembly.write_data(self, io, variables, gather, clear, annotations)


class PopulationView(_AxonPopulationMixin, common.PopulationView):
    __doc__ = common.PopulationView.__doc__
    _simulator = simulator
    _assembly_class = Assembly

    def _get_view(self, selector, label=None):
        return PopulationView(self, selector, label)

    @property
    def _pop(self):
        return self.grandparent

    def _abs_indices(self):
        try:
            return self._abs
        except AttributeError:
            self._abs = np.asarray(self.index_in_grandparent(np.arange(self.size)), dtype=int)
            return self._abs

    @property
    def initial_values(self):
        idx = self._abs_indices()
        return {k: LazyArray(v.evaluate(simplify=False)[idx], shape=(self.size,), dtype=float)
                for k, v in self._pop.initial_values.items()}


class Population(_AxonPopulationMixin, common.Population):
    __doc__ = common.Population.__doc__
    _simulator = simulator
    _recorder_class = Recorder
    _assembly_class = Assembly

    def __init__(self, size, cellclass, cellparams=None, structure=None,
                 initial_values={}, label=None):
        state.check_mutable("Population()")
        common.Population.__init__(self, size, cellclass, cellparams, structure,
                                   initial_values, label)
        state.populations.append(self)

    def _get_view(self, selector, label=None):
        return PopulationView(self, selector, label)

    @property
    def _pop(self):
        return self

    def _abs_indices(self):
        return None

    def _create_cells(self):
        celltype = self.celltype
        cname = getattr(celltype, "axon_name", None)
        if not isinstance(celltype, StandardCellType) or cname is None:
            raise errors.InvalidModelError(
                "Axon has no cell type %s (available: %s)"
                % (type(celltype).__name__, ", ".join(_available())))
        self._generation = state.generation
        self._c_label = _c_label(self.label)
        cstruct = _c_structure(self._structure)
        handle = ctypes.c_int32()
        check(lib.axon_population(state.ctx, self.size, cname.encode(),
                                  self._c_label.encode(),
                                  ctypes.byref(cstruct) if cstruct is not None else None,
                                  ctypes.byref(handle)),
              ValueError, "Population(): ")
        self._handle = handle.value
        # (if a parameter below is rejected, the library keeps this population, with its
        # defaults and unrecorded: the library has no way to remove one)
        state.c_labels.add(self._c_label)
        info = C.models()[cname]
        self._c_params = [n for n, _, _ in info["params"]]
        self._c_inits = [n for n, _, _ in info["inits"]]
        self._positions = None
        if cstruct is None:  # PyNN computes what the library cannot
            self._push_positions(self._structure.generate_positions(self.size))
        id_range = np.arange(state.id_counter, state.id_counter + self.size)
        self.all_cells = np.array([simulator.ID(i) for i in id_range], dtype=simulator.ID)
        self._mask_local = np.ones((self.size,), bool)
        for id in self.all_cells:
            id.parent = self
        state.id_counter += self.size
        self._spike_times = np.empty(self.size, dtype=object)
        self._spike_times[:] = [Sequence([]) for _ in range(self.size)]
        # parameters: only those that differ from the library's (= PyNN's) defaults
        ps = celltype.native_parameters
        ps.shape = (self.size,)
        defaults = celltype.default_parameters
        changed = {}
        for name, value in ps.items():
            base = value.base_value if isinstance(value, LazyArray) else value
            if (not getattr(value, "operations", None) and not isinstance(base, Sequence) and
                    np.isscalar(base) and name in defaults and base == defaults[name]):
                continue
            if name == "spike_times" and isinstance(base, Sequence) and base.value.size == 0:
                continue
            changed[name] = value
        if changed:
            self._set_parameters(ParameterSpace(changed, shape=(self.size,)))

    def _get_array(self, name):
        """The values of a parameter or initial value for every cell, from the library."""
        out = np.empty(self.size, dtype=np.float64)
        check(lib.axon_pop_get(state.ctx, self._handle, name.encode(), C.dptr(out)))
        return out

    # -- positions --------------------------------------------------------------------------
    def _push_positions(self, pos):
        pos = np.asarray(pos, dtype=np.float64)
        if pos.shape != (3, self.size):
            raise ValueError("positions of shape %s for %d cells" % (pos.shape, self.size))
        buf = np.ascontiguousarray(pos.T)
        check(lib.axon_pop_set_positions(state.ctx, self._handle, C.dptr(buf)))
        self._positions = None

    def _get_positions(self):
        if self._positions is None:
            buf = np.empty((self.size, 3), dtype=np.float64)
            check(lib.axon_pop_positions(state.ctx, self._handle, C.dptr(buf)))
            self._positions = np.ascontiguousarray(buf.T)
        return self._positions

    def _set_positions(self, pos_array):
        assert isinstance(pos_array, np.ndarray)
        self._push_positions(pos_array)
        self._structure = None

    positions = property(_get_positions, _set_positions,
                         doc="A 3xN array of the cells' x, y, z positions (the library's).")

    def _set_structure(self, structure):
        assert isinstance(structure, space.BaseStructure)
        if self._structure is None or structure != self._structure:
            self._push_positions(structure.generate_positions(self.size))
            self._structure = structure

    structure = property(common.Population._get_structure, _set_structure)

    def _get_cell_initial_value(self, id, variable):
        if variable in self.initial_values:
            return self.initial_values[variable][self.id_to_index(id)]
        return common.Population._get_cell_initial_value(self, id, variable)

    def _set_cell_initial_value(self, id, variable, value):
        arr = self._get_array(variable)
        arr[self.id_to_index(id)] = value
        self.initialize(**{variable: arr})

    def describe_axon(self):
        """The library's view of this population: label, size, cell type, handle."""
        return {"label": self._c_label, "size": self.size, "celltype": self.celltype.axon_name,
                "handle": self._handle}


def _available():
    from .standardmodels.cells import STANDARD, EXTRA
    return [c.__name__ for c in STANDARD + EXTRA]
