"""Compare two Axon result files (HDF5) dataset by dataset, bit for bit, except the fields
that name the run (dates, identifiers, descriptions). Exit 0 if identical, 1 otherwise,
naming the first differing dataset. Used by emu_cli.sh: `axon run --backend emu` against
`--backend ref`."""
import sys

import h5py
import numpy as np

SKIP = {"file_create_date", "identifier", "session_description", "session_start_time",
        "timestamps_reference_time"}


def datasets(path):
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset) and name.split("/")[-1] not in SKIP:
                out[name] = obj[()]
        f.visititems(visit)
    return out


def main():
    a, b = datasets(sys.argv[1]), datasets(sys.argv[2])
    if sorted(a) != sorted(b):
        print("datasets differ:", sorted(set(a) ^ set(b)))
        return 1
    n_spikes = 0
    for name in sorted(a):
        if not np.array_equal(a[name], b[name]):
            print(f"{name}: differs ({sys.argv[1]} vs {sys.argv[2]})")
            return 1
        if name.endswith("spike_times"):
            n_spikes += np.size(a[name])
    if n_spikes == 0:
        print("no spikes recorded: the comparison would prove little")
        return 1
    print(f"{len(a)} datasets identical ({n_spikes} spike times)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
