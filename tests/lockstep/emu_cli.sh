#!/bin/sh
# `axon run --backend emu` against `--backend ref` on the one-core tutorial slice and on the
# whole tutorial network over 2 x 2 chips: the result files must be identical bit for bit
# (compare_h5.py); `--trace` must write an FST file that GTKWave's fst2vcd reads, with every
# used core and the router in it.
# usage: emu_cli.sh AXON SOURCE_DIR WORK_DIR
set -u
AXON=$1 SRC=$2 W=$3
NET=$SRC/examples/networks/tutorial_slice.json
rm -rf "$W" && mkdir -p "$W" || exit 1
fail() { echo "emu_cli: FAIL: $*"; exit 1; }
"$AXON" run "$NET" --backend ref --time 200 --quiet --out "$W/ref.h5" || fail "ref run"
"$AXON" run "$NET" --backend emu --time 200 --quiet --out "$W/emu.h5" --trace "$W/run.fst" ||
    fail "emu run"
/usr/bin/python3 "$(dirname "$0")/compare_h5.py" "$W/ref.h5" "$W/emu.h5" || fail "ref and emu differ"
fst2vcd "$W/run.fst" > "$W/run.vcd" 2> "$W/fst2vcd.err" || fail "fst2vcd cannot read the trace"
grep -q '^\$enddefinitions' "$W/run.vcd" || fail "no VCD header from the trace"
for core in core_0_0_0 core_0_0_1 router_0_0; do
    grep -q "scope module $core " "$W/run.vcd" || fail "$core missing from the trace"
done
grep -q '^#[0-9]' "$W/run.vcd" || fail "the trace has no time steps"
# the tutorial network (16 cores of 128 neurons) on 2 x 2 chips of 5 cores: packets through
# the RTL routers and links
/usr/bin/python3 - "$SRC/examples/networks/tutorial.json" "$W/tutorial_2x2.json" <<'PY' ||
import json, sys
net = json.load(open(sys.argv[1]))
net["machine"] = {"width": 2, "height": 2, "cores_per_chip": 5, "neurons_per_core": 128}
json.dump(net, open(sys.argv[2], "w"))
PY
    fail "writing the 2 x 2 network"
"$AXON" run "$W/tutorial_2x2.json" --backend ref --time 150 --quiet --out "$W/ref4.h5" ||
    fail "ref run (2 x 2)"
"$AXON" run "$W/tutorial_2x2.json" --backend emu --time 150 --quiet --out "$W/emu4.h5" ||
    fail "emu run (2 x 2)"
/usr/bin/python3 "$(dirname "$0")/compare_h5.py" "$W/ref4.h5" "$W/emu4.h5" ||
    fail "ref and emu differ on 2 x 2 chips"
# --trace is refused without the emulator
"$AXON" run "$NET" --backend ref --time 1 --quiet --trace "$W/x.fst" 2>/dev/null
[ $? -eq 2 ] || fail "--trace with --backend ref was not a usage error"
echo "emu_cli: ok"
