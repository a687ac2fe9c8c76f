#!/usr/bin/python3
"""Check an Axon HDF5 results file (docs/hostlib_hdf5.md) with h5py and print a summary.

    /usr/bin/python3 tests/h5/read_results.py FILE.h5 [--expect-truncated 0|1] [--quiet]

Checks the NWB 2.x shape: root attributes and datasets, neurodata_type/namespace on typed
objects, the /units DynamicTable (len(spike_times_index) == len(id), monotone end offsets
ending at len(spike_times), spike times finite and ascending within each unit, index targets),
every TimeSeries (data, unit/conversion, starting_time with rate in seconds) and the Axon
provenance under /general/axon (populations, recorded indices matching the columns,
`truncated`). Exits 1 listing every inconsistency, 2 on usage errors.

Needs Debian's h5py (python3-h5py), i.e. /usr/bin/python3.
"""
import argparse
import sys

import h5py
import numpy as np

SI_UNITS = {"volts", "amperes", "siemens", "seconds"}


class Checker:
    def __init__(self, f):
        self.f = f
        self.problems = []

    def bad(self, msg):
        self.problems.append(msg)

    def attr(self, obj, name, required=True):
        if name not in obj.attrs:
            if required:
                self.bad(f"{obj.name}: missing attribute '{name}'")
            return None
        v = obj.attrs[name]
        if isinstance(v, bytes):
            v = v.decode("utf-8")
        return v

    def typed(self, obj, ntype, ns):
        t = self.attr(obj, "neurodata_type")
        n = self.attr(obj, "namespace")
        if t is not None and t != ntype:
            self.bad(f"{obj.name}: neurodata_type '{t}', expected '{ntype}'")
        if n is not None and n != ns:
            self.bad(f"{obj.name}: namespace '{n}', expected '{ns}'")

    # ------------------------------------------------------------------ root
    def root(self):
        f = self.f
        v = self.attr(f, "nwb_version")
        if v is not None and not str(v).startswith("2."):
            self.bad(f"/: nwb_version '{v}' is not 2.x")
        self.typed(f, "NWBFile", "core")
        for name in ("identifier", "session_description", "session_start_time",
                     "timestamps_reference_time"):
            if name not in f:
                self.bad(f"/: missing dataset '{name}' (NWB)")
            self.attr(f, name)
        for g in ("acquisition", "analysis", "processing", "stimulus", "general",
                  "file_create_date"):
            if g not in f:
                self.bad(f"/: missing '{g}' (NWB)")
        tr = self.attr(f, "truncated")
        if tr is not None and int(tr) not in (0, 1):
            self.bad(f"/: truncated = {tr}, expected 0 or 1")
        return int(tr) if tr is not None else None

    # ------------------------------------------------------------------ /units
    def units(self):
        f = self.f
        if "units" not in f:
            self.bad("/units: missing")
            return None
        u = f["units"]
        self.typed(u, "Units", "core")
        self.attr(u, "description")
        colnames = self.attr(u, "colnames")
        colnames = [c.decode() if isinstance(c, bytes) else str(c)
                    for c in (colnames if colnames is not None else [])]
        for need in ("id", "spike_times", "spike_times_index"):
            if need not in u:
                self.bad(f"/units: missing '{need}'")
        if self.problems:
            return None
        ids = u["id"][()]
        self.typed(u["id"], "ElementIdentifiers", "hdmf-common")
        n = len(ids)
        if len(np.unique(ids)) != n:
            self.bad("/units/id: ids are not unique")
        if "spike_times" not in colnames:
            self.bad("/units@colnames lacks 'spike_times'")
        for c in colnames:
            if c not in u:
                self.bad(f"/units: column '{c}' named in colnames is missing")
                continue
            col = u[c]
            self.typed(col, "VectorData", "hdmf-common")
            self.attr(col, "description")
            if c + "_index" in u:
                ix = u[c + "_index"]
                self.typed(ix, "VectorIndex", "hdmf-common")
                tgt = self.attr(ix, "target")
                if tgt is not None and (not isinstance(tgt, h5py.Reference)
                                        or f[tgt].name != col.name):
                    self.bad(f"{ix.name}@target does not reference {col.name}")
                ends = ix[()].astype(np.int64)
                if len(ends) != n:
                    self.bad(f"{ix.name}: {len(ends)} rows, id has {n}")
                if len(ends) and (np.any(np.diff(ends) < 0) or ends[0] < 0):
                    self.bad(f"{ix.name}: offsets are not monotone")
                elif len(ends) and ends[-1] != col.shape[0]:
                    self.bad(f"{ix.name}: last offset {ends[-1]} != len({c}) {col.shape[0]}")
                elif not len(ends) and col.shape[0]:
                    self.bad(f"{ix.name}: empty but {c} has {col.shape[0]} elements")
            elif col.shape[0] != n:
                self.bad(f"{col.name}: {col.shape[0]} rows, id has {n}")
        if self.problems:
            return None
        st = u["spike_times"][()]
        ends = u["spike_times_index"][()].astype(np.int64)
        if not np.all(np.isfinite(st)) or (len(st) and st.min() < 0):
            self.bad("/units/spike_times: non-finite or negative times")
        starts = np.concatenate(([0], ends[:-1])) if n else np.array([], dtype=np.int64)
        unsorted = [int(ids[k]) for k in range(n)
                    if np.any(np.diff(st[starts[k]:ends[k]]) < 0)]
        if unsorted:
            self.bad(f"/units/spike_times: spikes not ascending for units {unsorted[:10]}")
        if "obs_intervals" in u:
            obs = u["obs_intervals"][()]
            if obs.ndim != 2 or obs.shape[1] != 2 or np.any(obs[:, 1] < obs[:, 0]):
                self.bad("/units/obs_intervals: not [start, stop] pairs")
            elif len(st) and len(obs) and st.max() > obs[:, 1].max() + 1e-12:
                self.bad("/units/spike_times: spikes after the observation interval")
        return {"n_units": n, "n_spikes": len(st),
                "population": [p.decode() if isinstance(p, bytes) else p
                               for p in u["population"][()]] if "population" in u else None,
                "spikes_per_unit": np.diff(np.concatenate(([0], ends)))}

    # ------------------------------------------------------------------ TimeSeries
    def timeseries(self):
        found = []

        def visit(name, obj):
            if isinstance(obj, h5py.Group) and obj.attrs.get("neurodata_type") in (
                    "TimeSeries", b"TimeSeries"):
                found.append(obj)

        self.f.visititems(visit)
        out = []
        for ts in found:
            self.typed(ts, "TimeSeries", "core")
            self.attr(ts, "description")
            if "data" not in ts:
                self.bad(f"{ts.name}: no data")
                continue
            d = ts["data"]
            unit = self.attr(d, "unit")
            conv = self.attr(d, "conversion", required=False)
            if unit is not None and unit not in SI_UNITS:
                self.bad(f"{d.name}@unit '{unit}' is not an SI unit name")
            if conv is not None and not (np.isfinite(conv) and conv > 0):
                self.bad(f"{d.name}@conversion {conv}")
            if d.ndim not in (1, 2):
                self.bad(f"{d.name}: {d.ndim} dimensions")
            rate = None
            if "starting_time" in ts:
                s = ts["starting_time"]
                rate = self.attr(s, "rate")
                if self.attr(s, "unit") not in (None, "seconds"):
                    self.bad(f"{s.name}@unit is not 'seconds'")
                if rate is not None and not (np.isfinite(rate) and rate > 0):
                    self.bad(f"{s.name}@rate {rate}")
            elif "timestamps" in ts:
                if ts["timestamps"].shape[0] != d.shape[0]:
                    self.bad(f"{ts.name}: timestamps and data lengths differ")
            else:
                self.bad(f"{ts.name}: neither starting_time nor timestamps")
            vals = d[()]
            if vals.size and not np.all(np.isfinite(vals)):
                self.bad(f"{d.name}: non-finite values")
            out.append((ts, d, unit, conv, rate))
        return out

    # ------------------------------------------------------------------ /general/axon
    def axon(self, root_truncated, series):
        f = self.f
        if "general/axon" not in f:
            self.bad("/general/axon: missing")
            return None
        a = f["general/axon"]
        for k in ("axon_version", "spec_version", "seed", "timestep_ms", "backend"):
            self.attr(a, k)
        tr = self.attr(a, "truncated")
        if tr is not None and root_truncated is not None and int(tr) != root_truncated:
            self.bad(f"/general/axon@truncated {tr} differs from /@truncated {root_truncated}")
        pops = a.get("populations")
        if pops is None:
            self.bad("/general/axon/populations: missing")
            return a
        for name, g in pops.items():
            size = self.attr(g, "size")
            if size is None:
                continue
            if "positions" in g and g["positions"].shape != (3, size):
                self.bad(f"{g.name}/positions: shape {g['positions'].shape}, "
                         f"expected (3, {size})")
            for var in ("spikes", "v", "gsyn_exc", "gsyn_inh"):
                key = var + "_indices"
                if key not in g:
                    continue
                ix = g[key][()]
                if len(ix) and (ix.max() >= size or np.any(np.diff(ix.astype(np.int64)) <= 0)):
                    self.bad(f"{g[key].name}: indices out of range or not ascending")
        for ts, d, _, _, _ in series:
            pop = self.attr(ts, "axon_population", required=False)
            var = self.attr(ts, "axon_variable", required=False)
            if pop is None or var is None:
                continue
            g = next((g for g in pops.values() if g.attrs.get("label") == pop), None)
            if g is None:
                self.bad(f"{ts.name}: population '{pop}' not under {pops.name}")
            elif var + "_indices" in g and d.ndim == 2 and \
                    g[var + "_indices"].shape[0] != d.shape[1]:
                self.bad(f"{ts.name}: {d.shape[1]} columns but "
                         f"{g[var + '_indices'].shape[0]} recorded neurons")
        st = a.get("spike_stream")
        if st is not None and "units" in f and "spike_times" in f["units"]:
            if st["t_ms"].shape[0] != f["units/spike_times"].shape[0]:
                self.bad("/general/axon/spike_stream and /units/spike_times hold different "
                         "numbers of spikes")
        return a


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file")
    ap.add_argument("--expect-truncated", type=int, choices=(0, 1))
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()
    try:
        f = h5py.File(args.file, "r")
    except OSError as e:
        print(f"read_results: cannot open {args.file}: {e}", file=sys.stderr)
        return 1
    with f:
        c = Checker(f)
        tr = c.root()
        units = c.units()
        series = c.timeseries()
        ax = c.axon(tr, series)
        if args.expect_truncated is not None and tr != args.expect_truncated:
            c.bad(f"/: truncated = {tr}, expected {args.expect_truncated}")
        if not args.quiet:
            print(f"{args.file}: NWB {c.attr(f, 'nwb_version', False)}, "
                  f"truncated = {tr}")
            if ax is not None:
                print(f"  axon {ax.attrs.get('axon_version')} backend {ax.attrs.get('backend')}"
                      f" seed {ax.attrs.get('seed')} timestep {ax.attrs.get('timestep_ms')} ms")
                for name, g in ax.get("populations", {}).items():
                    print(f"  population {g.attrs.get('label')!r}: {g.attrs.get('size')} x "
                          f"{g.attrs.get('celltype')}")
            if units is not None:
                print(f"  /units: {units['n_units']} units, {units['n_spikes']} spikes")
                if units["population"] is not None and units["n_units"]:
                    for p in dict.fromkeys(units["population"]):
                        sel = [k for k, q in enumerate(units["population"]) if q == p]
                        print(f"    {p}: {len(sel)} units, "
                              f"{int(units['spikes_per_unit'][sel].sum())} spikes")
            for ts, d, unit, conv, rate in series:
                dur = d.shape[0] / rate if rate else float("nan")
                print(f"  {ts.name}: {d.shape} x {conv} {unit}, {rate} Hz, {dur:.4g} s")
            if ax is not None and "counters" in ax:
                cs = ", ".join(f"{k}={int(v)}" for k, v in ax["counters"].attrs.items())
                print(f"  counters: {cs}")
    if c.problems:
        for p in c.problems:
            print(f"read_results: {args.file}: {p}", file=sys.stderr)
        return 1
    if not args.quiet:
        print("  OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
