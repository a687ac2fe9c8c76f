#!/bin/sh
# `axon boards` and `axon run --backend usb` through a virtual board print what ref prints.
# usage: cli_vboard.sh CLI_VBOARD AXON SOURCE_DIR WORK_DIR
set -eu
vb=$1 axon=$2 src=$3 work=$4
mkdir -p "$work"
"$vb" boards --status > "$work/boards.txt"
grep -q "serial AXONVB00" "$work/boards.txt" || { cat "$work/boards.txt"; exit 1; }
grep -q "state=0" "$work/boards.txt" || { cat "$work/boards.txt"; exit 1; }
for net in small tutorial; do
    "$axon" run "$src/examples/networks/$net.json" --backend ref --out "$work/$net-ref.h5" \
        > "$work/$net-ref.txt"
    "$vb" run "$src/examples/networks/$net.json" --backend usb --out "$work/$net-usb.h5" \
        > "$work/$net-usb.txt"
    # the population table and the counter line must be identical
    grep -v "real time\|results written" "$work/$net-ref.txt" > "$work/a"
    grep -v "real time\|results written" "$work/$net-usb.txt" > "$work/b"
    diff "$work/a" "$work/b"
done
# a missing board: a clear error, exit status 1
if AXON_BOARD_SERIAL=NOSUCH "$vb" run "$src/examples/networks/small.json" --backend usb \
        > "$work/missing.txt" 2>&1; then exit 1; fi
grep -q "no Axon board with serial 'NOSUCH'" "$work/missing.txt" || { cat "$work/missing.txt"; exit 1; }
echo "cli_vboard: ok"
