"""Axon's standard cell types.

Parameter names, units and defaults are PyNN's and are checked at import against the host
library's model table (include/axon/models.h), which holds the implementation; no model is
re-implemented here. Each class's docstring says where Axon's model differs from PyNN's
standard one (the library's `note`, docs/pynn.md).

Axon records `gsyn_exc`/`gsyn_inh` for every neuron model, as sPyNNaker does: a conductance
(uS) for conductance-based cells and the synaptic current (nA) for current-based cells;
`isyn_exc`/`isyn_inh` are accepted as names of the same current on current-based cells.
"""

from pyNN.standardmodels import build_translations, cells

from .. import _capi as C

_MODELS = C.models()


def _identity(names):
    return build_translations(*[(n, n) for n in names])


def _note(name):
    return _MODELS[name]["note"]


class _AxonCell(object):
    """Mixin: the host library's cell type name and its note."""
    axon_name = None
    #: C variable recorded for each PyNN variable name
    axon_variables = {"spikes": "spikes", "v": "v", "gsyn_exc": "gsyn_exc",
                      "gsyn_inh": "gsyn_inh"}


def _doc(base, name, extra=""):
    return ((base.__doc__ or "").rstrip() + "\n\n    Axon: " + _note(name) + "." +
            (("\n    " + extra) if extra else "") + "\n")


_CURR_UNITS = {"gsyn_exc": "nA", "gsyn_inh": "nA", "isyn_exc": "nA", "isyn_inh": "nA"}
_CURR_VARS = dict(_AxonCell.axon_variables, isyn_exc="gsyn_exc", isyn_inh="gsyn_inh")


class IF_curr_exp(_AxonCell, cells.IF_curr_exp):
    __doc__ = _doc(cells.IF_curr_exp, "IF_curr_exp")
    axon_name = "IF_curr_exp"
    translations = _identity(cells.IF_curr_exp.default_parameters)
    recordable = ["spikes", "v", "gsyn_exc", "gsyn_inh", "isyn_exc", "isyn_inh"]
    units = dict(cells.IF_curr_exp.units, **_CURR_UNITS)
    axon_variables = _CURR_VARS


class IF_curr_alpha(_AxonCell, cells.IF_curr_alpha):
    __doc__ = _doc(cells.IF_curr_alpha, "IF_curr_alpha")
    axon_name = "IF_curr_alpha"
    translations = _identity(cells.IF_curr_alpha.default_parameters)
    recordable = ["spikes", "v", "gsyn_exc", "gsyn_inh", "isyn_exc", "isyn_inh"]
    units = dict(cells.IF_curr_alpha.units, **_CURR_UNITS)
    axon_variables = _CURR_VARS


class IF_cond_exp(_AxonCell, cells.IF_cond_exp):
    __doc__ = _doc(cells.IF_cond_exp, "IF_cond_exp")
    axon_name = "IF_cond_exp"
    translations = _identity(cells.IF_cond_exp.default_parameters)
    recordable = ["spikes", "v", "gsyn_exc", "gsyn_inh"]


class IF_curr_delta(_AxonCell, cells.IF_curr_delta):
    __doc__ = _doc(cells.IF_curr_delta, "IF_curr_delta",
                   "Weights are in mV (the jump of V per spike).")
    axon_name = "IF_curr_delta"
    translations = _identity(cells.IF_curr_delta.default_parameters)
    recordable = ["spikes", "v"]


class Izhikevich(_AxonCell, cells.Izhikevich):
    __doc__ = _doc(
        cells.Izhikevich, "Izhikevich",
        "As on SpiNNaker, synapses are exponentially decaying currents (weights in nA, time\n"
        "    constants tau_syn_E and tau_syn_I, extra parameters with default 5 ms) rather\n"
        "    than PyNN's voltage jumps, and the spike threshold is v >= 30 mV. `u` cannot be\n"
        "    recorded; gsyn_exc/gsyn_inh (isyn_exc/isyn_inh) record the synaptic currents.")
    axon_name = "Izhikevich"
    default_parameters = dict(cells.Izhikevich.default_parameters, tau_syn_E=5.0,
                              tau_syn_I=5.0)
    default_initial_values = dict(cells.Izhikevich.default_initial_values, isyn_exc=0.0,
                                  isyn_inh=0.0)
    units = dict(cells.Izhikevich.units, tau_syn_E="ms", tau_syn_I="ms", **_CURR_UNITS)
    translations = _identity(default_parameters)
    recordable = ["spikes", "v", "gsyn_exc", "gsyn_inh", "isyn_exc", "isyn_inh"]
    axon_variables = _CURR_VARS
    voltage_based_synapses = False


class SpikeSourcePoisson(_AxonCell, cells.SpikeSourcePoisson):
    __doc__ = _doc(cells.SpikeSourcePoisson, "SpikeSourcePoisson",
                   "The Poisson stream is Axon's (seeded from setup()'s seed), not numpy's.")
    axon_name = "SpikeSourcePoisson"
    translations = _identity(cells.SpikeSourcePoisson.default_parameters)


class SpikeSourceArray(_AxonCell, cells.SpikeSourceArray):
    __doc__ = _doc(cells.SpikeSourceArray, "SpikeSourceArray")
    axon_name = "SpikeSourceArray"
    translations = _identity(cells.SpikeSourceArray.default_parameters)


STANDARD = [IF_curr_exp, IF_curr_alpha, IF_cond_exp, Izhikevich, SpikeSourcePoisson,
            SpikeSourceArray]
EXTRA = [IF_curr_delta]


def _check_against_library():
    """The PyNN names and defaults above must be the library's (include/axon/models.h)."""
    for cls in STANDARD + EXTRA:
        m = _MODELS.get(cls.axon_name)
        if m is None:
            raise ImportError("libaxon.so has no cell type %s" % cls.axon_name)
        lib_params = {n: d for n, _, d in m["params"]}
        if cls.axon_name == "SpikeSourceArray":
            lib_params = {"spike_times": None}
        if set(lib_params) != set(cls.default_parameters):
            raise ImportError("%s: parameters %s in pyNN.axon but %s in libaxon.so"
                              % (cls.__name__, sorted(cls.default_parameters),
                                 sorted(lib_params)))
        for n, d in lib_params.items():
            if d is not None and abs(cls.default_parameters[n] - d) > 1e-12 * max(1, abs(d)):
                raise ImportError("%s.%s: default %r in pyNN.axon but %r in libaxon.so"
                                  % (cls.__name__, n, cls.default_parameters[n], d))
        lib_inits = {n for n, _, _ in m["inits"]}
        if not set(cls.default_initial_values) <= lib_inits:
            raise ImportError("%s: initial values %s not all in libaxon.so's %s"
                              % (cls.__name__, sorted(cls.default_initial_values),
                                 sorted(lib_inits)))


_check_against_library()
