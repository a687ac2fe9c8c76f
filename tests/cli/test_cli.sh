#!/bin/sh
# The `axon` command end to end: exit statuses, summary, HDF5 output (checked by h5py),
# plots, describe, bad input. Usage: test_cli.sh AXON_BINARY SOURCE_DIR WORK_DIR
set -u
AXON=$1
SRC=$2
W=$3
mkdir -p "$W"
fails=0
pass=0
check() { # description, command...
    d=$1
    shift
    if "$@"; then pass=$((pass + 1)); else echo "FAIL: $d"; fails=$((fails + 1)); fi
}
status_is() { # expected, command...
    want=$1
    shift
    "$@" >"$W/out.txt" 2>"$W/err.txt"
    got=$?
    [ "$got" -eq "$want" ] || { echo "  exit $got, expected $want; stderr:"; cat "$W/err.txt"; return 1; }
}

# a run: exit 0, summary with the populations and rates, a valid results file
check "run small.json" status_is 0 "$AXON" run "$SRC/examples/networks/small.json" --out "$W/small.h5"
check "summary lists populations" grep -q "^cells  *IF_curr_exp  *20 " "$W/out.txt"
check "summary gives real-time factor" grep -q "real time" "$W/out.txt"
check "results file is NWB-consistent" /usr/bin/python3 "$SRC/tests/h5/read_results.py" "$W/small.h5" --expect-truncated 0
# the input population's spikes: 10 sources x 6 spikes, recorded exactly
check "input spikes in file" /usr/bin/python3 -c "
import h5py, sys
f = h5py.File('$W/small.h5', 'r')
pops = f['units/population'].asstr()[()]
n = f['units/spike_times_index'][()]
counts = [int(b - a) for a, b in zip([0] + list(n[:-1]), n)]
inp = [c for p, c in zip(pops, counts) if p == 'input']
sys.exit(0 if inp == [6] * 10 else 1)"
check "plot writes PNGs" status_is 0 "$AXON" plot "$W/small.h5" --out "$W/small"
check "raster png exists" test -s "$W/small_raster.png"
check "v heat map exists" test -s "$W/small_cells_v.png"
check "describe" status_is 0 "$AXON" describe "$SRC/examples/networks/small.json"
check "describe reports tables" grep -q "routing" "$W/out.txt"
check "--time overrides" status_is 0 "$AXON" run "$SRC/examples/networks/small.json" --time 20 --quiet
check "--threads 2" status_is 0 "$AXON" run "$SRC/examples/networks/small.json" --threads 2 --quiet
# bad input: exit 1 with a message naming the problem; usage errors: exit 2
printf '{"setup": {"timestep": 1.0}, "populations": [{"label": "a", "size": 5, "celltype": "IF_curr_expo"}]}' >"$W/bad.json"
check "unknown cell type fails" status_is 1 "$AXON" run "$W/bad.json" --time 10
check "message names the cell type" grep -q "IF_curr_expo" "$W/err.txt"
printf '{"setup": {"timestep": 1.0}, "populations": [' >"$W/broken.json"
check "syntax error fails" status_is 1 "$AXON" describe "$W/broken.json"
check "syntax error has a line" grep -q "line" "$W/err.txt"
check "missing file fails" status_is 1 "$AXON" run "$W/nope.json"
check "unknown option" status_is 2 "$AXON" run "$SRC/examples/networks/small.json" --frobnicate
check "bad --time" status_is 2 "$AXON" run "$SRC/examples/networks/small.json" --time -3
check "unknown backend" status_is 1 "$AXON" run "$SRC/examples/networks/small.json" --backend nope
check "unknown command" status_is 2 "$AXON" frobnicate
check "plot of a missing file" status_is 1 "$AXON" plot "$W/nope.h5"
check "models lists cell types" status_is 0 "$AXON" models
check "models has Izhikevich" grep -q "^Izhikevich" "$W/out.txt"
echo "$pass passed, $fails failed"
[ "$fails" -eq 0 ]
