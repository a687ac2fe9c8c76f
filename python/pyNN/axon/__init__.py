"""
pyNN.axon: the PyNN backend of Axon, a SpiNNaker-compatible neuromorphic system.

    import pyNN.axon as sim

The network is described with PyNN's API and built by Axon's host library (libaxon.so,
include/axon/axon.h) through ctypes: populations, parameters, random distributions,
structures, connectors, mapping and runs are the library's; recorded data and connections
come back as whole arrays and are returned as Neo objects and numpy arrays.

Axon-specific setup() options (besides timestep, min_delay, max_delay):
    seed (or rng_seed, or rng=NumpyRNG(seed=...)): seeds every random draw of the library
        (distributions, connectors, sample(), random structures, Poisson sources); default
        42. RandomDistributions and connector rngs are drawn by the library's generator in
        call order, not from their NumpyRNG's stream (docs/pynn.md).
    backend: "ref" (the golden engine; default), "emu" (the Verilator emulator of the RTL
        neuron core, when built; docs/emulator.md), "usb" (a board over USB; serial from
        $AXON_BOARD_SERIAL) or "usb-direct" (the board protocol to an in-process board
        model, docs/board.md).
    trace: with backend "emu", the path of an FST waveform of every core (GTKWave).
    threads: host threads of the ref backend (default 1).
    machine: dict of axon_machine_opts (width, height, cores_per_chip, neurons_per_core,
        wrap).

Differences from PyNN's reference behaviour are listed in docs/pynn.md.
"""

import builtins
import logging

from pyNN import common, space
from pyNN.common.control import DEFAULT_MAX_DELAY, DEFAULT_MIN_DELAY, DEFAULT_TIMESTEP
from pyNN.connectors import (AllToAllConnector, ArrayConnector, CloneConnector,
                             DistanceDependentProbabilityConnector,
                             FixedNumberPostConnector, FixedNumberPreConnector,
                             FixedProbabilityConnector, FixedTotalNumberConnector,
                             FromFileConnector, FromListConnector, OneToOneConnector,
                             SmallWorldConnector)
from pyNN.parameters import ArrayParameter, Sequence
from pyNN.random import GSLRNG, NumpyRNG, RandomDistribution
from pyNN.recording import get_io
from pyNN.space import (Cuboid, Grid2D, Grid3D, Line, RandomStructure, Space, Sphere)
from pyNN.standardmodels import StandardCellType

from . import simulator
from ._capi import LIB_PATH
from .populations import Assembly, Population, PopulationView
from .projections import Projection
from .standardmodels.cells import (IF_cond_exp, IF_curr_alpha, IF_curr_delta, IF_curr_exp,
                                   Izhikevich, SpikeSourceArray, SpikeSourcePoisson)
from .standardmodels.synapses import (AdditiveWeightDependence, MultiplicativeWeightDependence,
                                      SpikeNearestPairRule, SpikePairRule, STDPMechanism,
                                      StaticSynapse)

logger = logging.getLogger("PyNN")

#: Axon's cell types beyond PyNN's standard set (sim.extra_models.IF_curr_delta)
extra_models = type("extra_models", (object,), {
    "__doc__": "Axon's additional cell types.",
    "IF_curr_delta": IF_curr_delta,
})


def list_standard_models():
    """Return a list of all the StandardCellType classes available for this simulator."""
    return [name for name, obj in globals().items()
            if isinstance(obj, type) and issubclass(obj, StandardCellType)
            and obj is not StandardCellType and obj is not IF_curr_delta]


def setup(timestep=DEFAULT_TIMESTEP, min_delay=DEFAULT_MIN_DELAY, **extra_params):
    """Initialise (or re-initialise) Axon: every existing population and projection is
    discarded. `timestep`, `min_delay` and `max_delay` in ms; min_delay 'auto' is the
    timestep, max_delay 'auto' the longest delay Axon supports (144 timesteps).

    Axon options: seed / rng_seed / rng (NumpyRNG with a seed), backend ('ref'), threads,
    machine (dict), trace (backend 'emu': FST waveform file of the RTL cores),
    spikes_per_second and ring_buffer_sigma (the weight-shift estimate, as
    sPyNNaker's options of those names: ring buffers hold the expected input per step plus
    ring_buffer_sigma standard deviations when every cell fires at spikes_per_second; defaults
    30 Hz and 5; raise them when get_warnings() reports saturation). See the module
    docstring."""
    max_delay = extra_params.get('max_delay', DEFAULT_MAX_DELAY)
    common.setup(timestep, min_delay, **extra_params)
    known = {"max_delay", "seed", "rng_seed", "rng", "backend", "threads", "machine",
             "trace", "spikes_per_second", "ring_buffer_sigma", "rank", "num_processes",
             "verbosity"}
    unknown = builtins.set(extra_params) - known
    if unknown:
        raise TypeError("setup(): unknown argument(s) %s (Axon takes %s)"
                        % (", ".join(sorted(unknown)), ", ".join(sorted(known))))
    if min_delay == 'auto':
        min_delay = timestep
    if max_delay == 'auto':
        max_delay = 144 * timestep
    seed = 42
    rng = extra_params.get("rng")
    if rng is not None and getattr(rng, "seed", None) is not None:
        seed = rng.seed
    for key in ("rng_seed", "seed"):
        if extra_params.get(key) is not None:
            seed = extra_params[key]
    if int(seed) != seed or seed < 0:
        raise ValueError("setup(): seed = %r must be an integer >= 0" % (seed,))
    simulator.state.setup(float(timestep), float(min_delay), float(max_delay), int(seed),
                          extra_params.get("backend", "ref"), extra_params.get("threads", 1),
                          extra_params.get("machine"), extra_params.get("trace"),
                          {k: extra_params.get(k) for k in ("spikes_per_second",
                                                            "ring_buffer_sigma")})
    return rank()


def end(compatible_output=True):
    """Write the files requested with record(..., to_file) and release the backend
    (results stay readable)."""
    h5_done = builtins.set()
    for (population, variables, filename) in simulator.state.write_on_end:
        if str(filename).endswith((".h5", ".hdf5", ".nwb")):
            if filename not in h5_done:
                simulator.state.write_hdf5(filename)
                h5_done.add(filename)
        else:
            population.write_data(get_io(filename), variables)
    simulator.state.write_on_end = []
    simulator.check(simulator.lib.axon_end(simulator.state.ctx))


run, run_until = common.build_run(simulator)
run_for = run

reset = common.build_reset(simulator)

initialize = common.initialize

get_current_time, get_time_step, get_min_delay, get_max_delay, \
    num_processes, rank = common.build_state_queries(simulator)

create = common.build_create(Population)

connect = common.build_connect(Projection, FixedProbabilityConnector, StaticSynapse)

set = common.set

record = common.build_record(simulator)


def record_v(source, filename):
    return record(['v'], source, filename)


def record_gsyn(source, filename):
    return record(['gsyn_exc', 'gsyn_inh'], source, filename)


# ---------------------------------------------------------------------------- not on Axon
def _unsupported(name, hint):
    def __init__(self, *args, **kwargs):
        raise NotImplementedError("%s is not supported by Axon: %s (docs/pynn.md)"
                                  % (name, hint))
    return type(name, (object,), {"__init__": __init__,
                                  "__doc__": "Not supported by Axon: %s." % hint})


for _name in ("DCSource", "ACSource", "StepCurrentSource", "NoisyCurrentSource"):
    globals()[_name] = _unsupported(_name, "no current sources; use the cells' i_offset")
for _name in ("GutigWeightDependence", "AdditivePotentiationMultiplicativeDepression"):
    globals()[_name] = _unsupported(_name, "STDP weight dependences are Additive and "
                                    "Multiplicative")
globals()["TsodyksMarkramSynapse"] = _unsupported("TsodyksMarkramSynapse",
                                                  "no short-term plasticity")
del _name


# ---------------------------------------------------------------------------- Axon extras
def get_stats():
    """Counters and wall times of the last run (axon_stats): spikes, synaptic_events,
    saturations, dropped_packets, late_packets, mpt_misses, wall_map_s, wall_run_s..."""
    return simulator.state.stats()


def describe_mapping(text=False):
    """Map the network (if needed) and report chips, cores, synapses and routing tables
    (axon_describe; text=True: the library's printable report)."""
    if text:
        return simulator.state.describe_text()
    return simulator.state.describe_mapping()


def get_warnings():
    """The library's warnings (weights losing precision, ring-buffer saturation after a run),
    one per line; each is also logged once to the "PyNN" logger."""
    return simulator.state.warnings()
