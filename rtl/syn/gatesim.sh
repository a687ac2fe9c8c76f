#!/bin/sh
# Post-synthesis simulation: a block's Yosys gate-level netlist run by the block's own
# testbench (tests/rtl/tb_<name>.cpp), to check that Yosys reads the RTL as Verilator does.
# The netlist is Yosys' generic `synth` flow (flattened, techmap + abc to gates) with the
# memories kept as arrays, bit-split (`splitnets`, so that Verilator sees no vector-level
# false combinational loops), written with write_verilog. Verilator runs with
# -fno-const-bit-op-tree: Verilator 5.006's bit-op-tree optimisation mis-simulates some of
# these gate netlists (e.g. bit 31 of axon_fx_mul's product; Yosys' `eval` of the same
# netlist gives the right value, and -O0, -fno-gate or -fno-const-bit-op-tree fix it).
# Slow to build (the LIF pipeline: a few minutes), so not part of ctest.
#
# Usage: rtl/syn/gatesim.sh BUILD_DIR TOP TB_NAME [testbench arguments...]
#   e.g. rtl/syn/gatesim.sh build axon_lif_update lif_update --n 20000
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
[ $# -ge 3 ] || { echo "usage: $0 BUILD_DIR TOP TB_NAME [ARGS...]" >&2; exit 2; }
BUILD=$1
TOP=$2
TB=$3
shift 3
case $BUILD in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac
PKG=$BUILD/gen/axon_pkg.sv
LIB=$BUILD/models/libaxon_models.a
OUT=$BUILD/gatesim
[ -f "$PKG" ] || { echo "gatesim: $PKG missing (build first)" >&2; exit 1; }
[ -f "$LIB" ] || { echo "gatesim: $LIB missing (build first)" >&2; exit 1; }
mkdir -p "$OUT"
SRCS=$(ls "$ROOT"/rtl/*/*.sv | tr '\n' ' ')

yosys -q -l "$OUT/$TOP.yosys.log" -p "read_verilog -sv $PKG $SRCS;
    synth -flatten -top $TOP -run :fine; opt -fast -full; opt -full; techmap; opt -fast;
    abc -fast; opt -fast; splitnets; opt_clean; write_verilog -noattr $OUT/$TOP.v" >/dev/null
env --unset=MAKEFLAGS verilator --cc --exe --build -fno-const-bit-op-tree \
    -Wno-fatal -Wno-lint -Wno-style \
    --threads 1 --trace-fst --top-module "$TOP" --Mdir "$OUT/$TOP.obj" -o "$OUT/tb_$TB" \
    -CFLAGS "-I$ROOT/include -I$BUILD/gen -I$ROOT/tests/rtl" \
    -LDFLAGS "$LIB -lm -lpthread" -MAKEFLAGS "OPT_FAST=-O1 OPT_SLOW=-O0" \
    "$OUT/$TOP.v" "$ROOT/tests/rtl/tb_$TB.cpp" >"$OUT/$TOP.verilator.log" 2>&1 ||
    { tail -20 "$OUT/$TOP.verilator.log" >&2; exit 1; }
echo "gatesim: $TOP netlist ($(wc -c <"$OUT/$TOP.v") bytes), testbench tb_$TB:"
"$OUT/tb_$TB" "$@"
