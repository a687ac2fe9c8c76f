#!/usr/bin/python3
"""Plot an Axon results file (docs/hostlib_hdf5.md): a spike raster of every population and
a heat map (neurons x time) of every recorded v / gsyn signal, as PNG files.

Usage: axon plot RESULTS.h5 [--out PREFIX]   (or /usr/bin/python3 tools/axon_plot.py ...)
Writes PREFIX_raster.png and PREFIX_<population>_<variable>.png; PREFIX defaults to the
results file name without its extension. Prints the files written.
"""
import argparse
import os
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def raster(f, prefix):
    units = f["units"]
    ends = units["spike_times_index"][()].astype(np.int64)
    starts = np.concatenate(([0], ends[:-1]))
    times = units["spike_times"][()] * 1000.0  # ms
    pops = units["population"].asstr()[()]
    neurons = units["neuron"][()]
    labels = list(dict.fromkeys(pops))
    if not labels:
        return None
    fig, axes = plt.subplots(len(labels), 1, figsize=(10, 1.0 + 1.8 * len(labels)),
                             sharex=True, squeeze=False)
    t_end = f["general/axon/run"].attrs["sim_time_ms"] if "general/axon/run" in f else None
    for ax, label in zip(axes[:, 0], labels):
        rows = np.flatnonzero(pops == label)
        xs = [times[starts[r]:ends[r]] for r in rows]
        ys = [np.full(len(x), neurons[r]) for r, x in zip(rows, xs)]
        if xs:
            ax.scatter(np.concatenate(xs), np.concatenate(ys), s=1.5, c="k", marker="|",
                       linewidths=0.6)
        n_spk = int(sum(len(x) for x in xs))
        ax.set_ylabel(f"{label}\nneuron")
        ax.set_title(f"{label}: {n_spk} spikes from {len(rows)} neurons", fontsize=9, loc="left")
        if t_end:
            ax.set_xlim(0, t_end)
    axes[-1, 0].set_xlabel("time (ms)")
    fig.tight_layout()
    path = f"{prefix}_raster.png"
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def heatmaps(f, prefix):
    out = []
    if "acquisition" not in f:
        return out
    for name, ts in f["acquisition"].items():
        if ts.attrs.get("neurodata_type") != "TimeSeries":
            continue
        data = ts["data"][()]
        if data.size == 0:
            continue
        rate = float(ts["starting_time"].attrs["rate"])
        unit = ts["data"].attrs.get("axon_unit", "")
        if isinstance(unit, bytes):
            unit = unit.decode()
        label = ts.attrs.get("axon_population", name)
        var = ts.attrs.get("axon_variable", "")
        if isinstance(label, bytes):
            label = label.decode()
        if isinstance(var, bytes):
            var = var.decode()
        t_max = data.shape[0] / rate * 1000.0
        fig, ax = plt.subplots(figsize=(10, 4))
        im = ax.imshow(data.T, aspect="auto", origin="lower", interpolation="nearest",
                       extent=(0, t_max, 0, data.shape[1]), cmap="viridis")
        cb = fig.colorbar(im, ax=ax)
        cb.set_label(f"{var} ({unit})")
        ax.set_xlabel("time (ms)")
        ax.set_ylabel("recorded neuron")
        ax.set_title(f"{label}: {var}", loc="left", fontsize=9)
        fig.tight_layout()
        path = f"{prefix}_{name}.png"
        fig.savefig(path, dpi=110)
        plt.close(fig)
        out.append(path)
    return out


def main():
    ap = argparse.ArgumentParser(prog="axon plot", description=__doc__.splitlines()[0])
    ap.add_argument("results")
    ap.add_argument("--out", help="prefix of the PNG files")
    a = ap.parse_args()
    prefix = a.out or os.path.splitext(a.results)[0]
    try:
        f = h5py.File(a.results, "r")
    except OSError as e:
        print(f"axon plot: cannot read '{a.results}': {e}", file=sys.stderr)
        return 1
    with f:
        if "units" not in f:
            print(f"axon plot: '{a.results}' has no /units table (not an Axon results file, or "
                  "a run that never finished)", file=sys.stderr)
            return 1
        if f.attrs.get("truncated", 0):
            print(f"axon plot: note: '{a.results}' is marked truncated (the run did not finish)",
                  file=sys.stderr)
        written = [p for p in [raster(f, prefix)] if p] + heatmaps(f, prefix)
    for p in written:
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
