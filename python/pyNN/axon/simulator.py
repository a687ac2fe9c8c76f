"""The simulator state of pyNN.axon: one host-library context (axon_ctx) per process.

setup() re-initialises the context (axon_setup clears the network); run()/reset()/end()
call the library; errors carry the library's message (axon_last_error).
"""

import ctypes
import logging

from pyNN import common

from . import _capi as C
from ._capi import lib

name = "Axon"


class AxonError(RuntimeError):
    """A host-library failure that PyNN has no exception type for."""


def last_error():
    return lib.axon_last_error(state.ctx).decode(errors="replace")


def check(rc, exc=None, prefix=""):
    """Raise if a library call failed, with the library's message (prefixed).

    `exc` is the exception class for rejected arguments and missing items (ValueError by
    default); memory, I/O, unsupported features and machine failures have their own."""
    if rc == C.AXON_OK:
        return
    msg = prefix + last_error()
    if rc == C.AXON_ERR_NO_MEMORY:
        raise MemoryError(msg)
    if rc == C.AXON_ERR_IO:
        raise IOError(msg)
    if rc == C.AXON_ERR_UNSUPPORTED:
        raise NotImplementedError(msg)
    if rc in (C.AXON_ERR_CAPACITY, C.AXON_ERR_STATE, C.AXON_ERR_INTERNAL, C.AXON_ERR_FORMAT,
              C.AXON_ERR_TIMEOUT, C.AXON_ERR_TRANSPORT):
        raise AxonError(msg)
    raise (exc or ValueError)(msg)


class ID(int, common.IDMixin):
    __doc__ = common.IDMixin.__doc__

    def __init__(self, n):
        """Create an ID object with numerical value `n`."""
        int.__init__(n)
        common.IDMixin.__init__(self)


class State(common.control.BaseState):
    """The state of the simulation: Axon's context, time step, delays, seed."""

    def __init__(self):
        common.control.BaseState.__init__(self)
        ctx = ctypes.c_void_p()
        rc = lib.axon_create(ctypes.byref(ctx))
        if rc != C.AXON_OK or not ctx:
            raise MemoryError("axon_create failed (%d)" % rc)
        self.ctx = ctx
        self.mpi_rank = 0
        self.num_processes = 1
        self.dt = 0.1
        self.min_delay = 0.1
        self.max_delay = 14.4
        self.seed = 42
        self.backend = "ref"
        self.record_sample_times = False
        self.generation = 0
        self.clear()

    # -- PyNN's state interface -------------------------------------------------------------
    @property
    def t(self):
        return lib.axon_time(self.ctx)

    @property
    def step(self):
        return int(round(lib.axon_time(self.ctx) / self.dt))

    def setup(self, timestep, min_delay, max_delay, seed, backend, threads, machine,
              trace=None, input_estimate=None):
        check(lib.axon_setup(self.ctx, timestep, min_delay, max_delay, seed), ValueError,
              "setup(): ")
        self.generation += 1
        self.dt = timestep
        self.min_delay = min_delay
        self.max_delay = max_delay
        self.seed = seed
        check(lib.axon_set_backend(self.ctx, backend.encode()), ValueError, "setup(): ")
        self.backend = backend
        check(lib.axon_set_trace(self.ctx, trace.encode() if trace else None), ValueError,
              "setup(): ")
        opts = C.MachineOpts()
        for key, value in (machine or {}).items():
            if not hasattr(opts, key) or key.startswith("_"):
                raise ValueError("setup(): unknown machine option '%s' (width, height, "
                                 "cores_per_chip, neurons_per_core, wrap)" % key)
            setattr(opts, key, int(value))
        for key, value in (input_estimate or {}).items():
            if value is not None:
                setattr(opts, key, float(value))
        opts.threads = int(threads)
        check(lib.axon_set_machine(self.ctx, ctypes.byref(opts)), ValueError, "setup(): ")
        self.clear()

    def run(self, simtime):
        self.run_steps(int(round(simtime / self.dt)))

    def run_until(self, tstop):
        self.run_steps(int(round(tstop / self.dt)) - self.step)

    def run_steps(self, steps):
        if steps < 0:
            raise ValueError("cannot run backwards (%d steps)" % steps)
        check(lib.axon_run(self.ctx, steps * self.dt), ValueError, "run(): ")
        self.running = True
        self.log_warnings()

    def log_warnings(self):
        """The library's warnings (weights losing precision, ring-buffer saturation) go to
        PyNN's logger once each, as other backends report such problems."""
        lines = [w for w in self.warnings().splitlines() if w]
        logged = getattr(self, "_logged", 0)
        if len(lines) < logged:  # the library cleared its list (network re-mapped)
            logged = 0
        for w in lines[logged:]:
            logging.getLogger("PyNN").warning("Axon: %s", w)
        self._logged = len(lines)

    def clear(self):
        self.recorders = set([])
        self.write_on_end = []
        self.id_counter = 0
        self.segment_counter = -1
        self.populations = []
        self.c_labels = set()
        self.projections = []
        self.reset()

    def reset(self):
        """Reset the state of the current network to time t = 0."""
        check(lib.axon_reset(self.ctx), ValueError, "reset(): ")
        self.running = False
        self.t_start = 0
        self.segment_counter += 1

    # -- Axon specifics ---------------------------------------------------------------------
    def check_mutable(self, what):
        """Axon maps the network once: it cannot change after a run until reset()."""
        if self.step > 0:
            raise NotImplementedError(
                "%s: Axon cannot change the network after run() (t = %g ms) without "
                "reset() first; call sim.reset(), make the change, then run again"
                % (what, self.t))

    def stats(self):
        s = C.RunStats()
        check(lib.axon_stats(self.ctx, ctypes.byref(s)))
        return {f: getattr(s, f) for f, _ in C.RunStats._fields_}

    def describe_mapping(self):
        r = C.MappingReport()
        check(lib.axon_describe(self.ctx, ctypes.byref(r)))
        return {f: getattr(r, f) for f, _ in C.MappingReport._fields_}

    def describe_text(self):
        p = lib.axon_describe_text(self.ctx)
        if not p:
            check(C.AXON_ERR_INVALID_ARG)
        try:
            return ctypes.string_at(p).decode()
        finally:
            C.libc.free(p)

    def warnings(self):
        return lib.axon_warnings(self.ctx).decode()

    def write_hdf5(self, path):
        check(lib.axon_write_hdf5(self.ctx, str(path).encode()), ValueError, "write_data(): ")


state = State()
