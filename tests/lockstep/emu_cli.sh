#!/bin/sh
# `axon run --backend emu` against `--backend ref` on the one-core tutorial slice: the result
# files must be identical bit for bit (compare_h5.py); `--trace` must write an FST file that
# GTKWave's fst2vcd reads, with every used core in it.
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
for core in core_0_0_0 core_0_0_1; do
    grep -q "scope module $core " "$W/run.vcd" || fail "$core missing from the trace"
done
grep -q '^#[0-9]' "$W/run.vcd" || fail "the trace has no time steps"
# --trace is refused without the emulator
"$AXON" run "$NET" --backend ref --time 1 --quiet --trace "$W/x.fst" 2>/dev/null
[ $? -eq 2 ] || fail "--trace with --backend ref was not a usage error"
echo "emu_cli: ok"
