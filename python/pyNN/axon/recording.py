"""Recording on Axon: the library records (axon_record) and returns whole arrays
(axon_get_spikes, axon_get_signal), which become Neo objects here."""

import ctypes
from datetime import datetime

import neo
import numpy as np
import quantities as pq
from pyNN import errors, recording

from . import _capi as C
from . import simulator
from ._capi import lib
from .simulator import check, state


def _ids_to_indices(population, ids):
    """Sorted indices in `population` of a collection of IDs."""
    arr = np.fromiter((int(i) for i in ids), dtype=np.int64, count=len(ids))
    arr.sort()
    return arr - int(population.first_id)


class Recorder(recording.Recorder):
    _simulator = simulator

    def __init__(self, population, file=None):
        recording.Recorder.__init__(self, population, file)
        self._clear_time = 0.0

    def record(self, variables, ids, sampling_interval=None):
        """Add the cells in `ids` to the sets of recorded cells for the given variables."""
        self._check_sampling_interval(sampling_interval)
        ids = set(ids)
        for variable in recording.normalize_variables_arg(variables):
            if not self.population.can_record(variable):
                raise errors.RecordingError(variable, self.population.celltype)
            new_ids = ids.difference(self.recorded[variable])
            self.recorded[variable] = self.recorded[variable].union(ids)
            self._record(variable, new_ids, sampling_interval)

    def _c_variable(self, variable):
        return self.population.celltype.axon_variables[variable]

    def _record(self, variable, new_ids, sampling_interval=None):
        pop = self.population
        pop._check_alive()
        if variable != "spikes" and sampling_interval is not None:
            self.sampling_interval = sampling_interval
        if not new_ids and (variable == "spikes" or sampling_interval is None):
            return
        state.check_mutable("record()")
        idx = _ids_to_indices(pop, new_ids).astype(np.uint32)
        view = C.View(pop._handle, pop.size, None)
        if 0 < idx.size < pop.size:
            check(lib.axon_view_indices(state.ctx, pop._handle, C.u32ptr(idx), idx.size,
                                        ctypes.byref(view)))
        elif idx.size == 0:  # only the sampling interval changes: re-record what is recorded
            idx = _ids_to_indices(pop, self.recorded[variable]).astype(np.uint32)
            check(lib.axon_view_indices(state.ctx, pop._handle, C.u32ptr(idx), idx.size,
                                        ctypes.byref(view)))
        interval = 0.0 if variable == "spikes" else float(self.sampling_interval)
        check(lib.axon_record(state.ctx, ctypes.byref(view),
                              self._c_variable(variable).encode(), interval),
              ValueError, "record(): ")

    def _reset(self):
        if any(self.recorded.values()):
            raise NotImplementedError("Axon cannot stop recording once record() was called "
                                      "(record(None)); set up the network again instead")

    def _clear_simulator(self):
        # The library keeps everything since the last reset(); later reads skip what came
        # before this time.
        self._clear_time = state.t

    # -- reading ------------------------------------------------------------------------------
    def _spikes(self):
        pop = self.population
        n = ctypes.c_size_t()
        check(lib.axon_get_spikes(state.ctx, pop._handle, ctypes.byref(n), None, None, 0))
        neuron = np.empty(n.value, dtype=np.uint32)
        times = np.empty(n.value, dtype=np.float64)
        if n.value:
            check(lib.axon_get_spikes(state.ctx, pop._handle, None, C.u32ptr(neuron),
                                      C.dptr(times), n.value))
        if self._clear_time > 0:
            keep = times >= self._clear_time - 1e-9
            neuron, times = neuron[keep], times[keep]
        return neuron, times

    def _signal(self, variable):
        pop = self.population
        cvar = self._c_variable(variable).encode()
        nn, ns, iv = ctypes.c_uint32(), ctypes.c_uint32(), ctypes.c_double()
        check(lib.axon_get_signal(state.ctx, pop._handle, cvar, ctypes.byref(nn),
                                  ctypes.byref(ns), ctypes.byref(iv), None, None))
        idx = np.empty(nn.value, dtype=np.uint32)
        values = np.empty((ns.value, nn.value), dtype=np.float64)
        if nn.value:
            check(lib.axon_get_signal(state.ctx, pop._handle, cvar, None, None, None,
                                      C.u32ptr(idx), C.dptr(values)))
        interval = iv.value
        first = 0
        if self._clear_time > 0 and interval > 0:
            first = int(np.ceil(self._clear_time / interval - 1e-9))
            values = values[first:]
        return idx, values, interval, first * interval

    def _get_spiketimes(self, ids, clear=False):
        neuron, times = self._spikes()
        first = int(self.population.first_id)
        wanted = set(int(i) - first for i in ids)
        out = {}
        for i in wanted:
            out[first + i] = times[neuron == i]
        return out

    def _get_all_signals(self, variable, ids, clear=False):
        idx, values, _, _ = self._signal(variable)
        cols = np.searchsorted(idx, _ids_to_indices(self.population, ids))
        return values[:, cols], None

    def _local_count(self, variable, filter_ids=None):
        assert variable == "spikes"
        pop = self.population
        rec = _ids_to_indices(pop, self.filter_recorded("spikes", filter_ids))
        neuron, _ = self._spikes()
        counts = np.bincount(neuron.astype(np.int64), minlength=pop.size)
        first = int(pop.first_id)
        return {first + int(i): int(counts[i]) for i in rec}

    def _get_current_segment(self, filter_ids=None, variables='all', clear=False):
        pop = self.population
        segment = neo.Segment(name="segment%03d" % state.segment_counter,
                              description=pop.describe(),
                              rec_datetime=datetime.now())
        variables_to_include = set(self.recorded.keys())
        if variables != 'all':
            variables_to_include = variables_to_include.intersection(set(variables))
        t_stop = state.t * pq.ms
        t_start = self._recording_start_time
        first = int(pop.first_id)
        for variable in sorted(variables_to_include):
            rec = _ids_to_indices(pop, self.filter_recorded(variable, filter_ids))
            if variable == "spikes":
                neuron, times = self._spikes()
                lo = np.searchsorted(neuron, rec, side="left")
                hi = np.searchsorted(neuron, rec, side="right")
                for i, a, b in zip(rec.tolist(), lo.tolist(), hi.tolist()):
                    segment.spiketrains.append(
                        neo.SpikeTrain(times[a:b], t_start=t_start, t_stop=t_stop, units=pq.ms,
                                       source_population=pop.label, source_id=first + i,
                                       source_index=i))
            else:
                idx, values, interval, t0 = self._signal(variable)
                if rec.size == 0 or idx.size == 0:
                    continue
                cols = np.searchsorted(idx, rec)
                data = values if cols.size == idx.size else values[:, cols]
                signal = neo.AnalogSignal(
                    data, units=pop.find_units(variable), t_start=t0 * pq.ms,
                    sampling_period=interval * pq.ms, name=variable,
                    source_ids=first + rec, source_population=pop.label,
                    array_annotations={"channel_index": rec})
                segment.analogsignals.append(signal)
        return segment
