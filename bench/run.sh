#!/bin/sh
# Runs every benchmark of the build directory $1 (default: build) and prints their
# `bench <name> key=value ...` lines (bench/README.md). Further arguments (e.g. --long) are
# passed to every benchmark. Called by `make bench`.
#
# Adding a benchmark: append its executable (path relative to the build directory) below.
BENCHES="
bench/axon_bench_models
bench/axon_bench_map
bench/axon_bench_tables
bench/axon_bench_board
"

BUILD=${1:-build}
[ $# -gt 0 ] && shift
status=0
for b in $BENCHES; do
    if [ ! -x "$BUILD/$b" ]; then
        echo "bench/run.sh: $BUILD/$b is missing (build with AXON_BENCH=ON)" >&2
        status=1
        continue
    fi
    "$BUILD/$b" "$@" || status=1
done
# router: RTL throughput/latency and synthesis (bench/router.sh)
"$(dirname "$0")/router.sh" "$BUILD" || status=1
# the board protocol through the virtual USB board (built with the tests)
if [ -x "$BUILD/tests/bench_vboard" ]; then
    "$BUILD/tests/bench_vboard" "$(dirname "$0")/../examples/networks/tutorial.json" || status=1
fi
# the emulated RTL core (docs/emulator.md): built only with Verilator and rtl/core
if [ -x "$BUILD/bench/axon_bench_emu" ]; then
    "$BUILD/bench/axon_bench_emu" "$(dirname "$0")/.." || status=1
else
    echo "bench/run.sh: $BUILD/bench/axon_bench_emu not built (no emulator): skipped" >&2
fi
# the RTL core's cycle counts (static and plastic synaptic events, neuron updates) from its
# testbench's `cycles` register slopes (docs/rtl.md)
if [ -x "$BUILD/tests/rtl/tb_neuron_core" ]; then
    "$BUILD/tests/rtl/tb_neuron_core" --n 1 | grep '^bench' || status=1
fi
# the SystemC board model (docs/emulator.md): link latency/capacity study on 2 x 2 chips
if [ -x "$BUILD/emulator/systemc/axon_sc_board_run" ]; then
    "$BUILD/emulator/systemc/axon_sc_board_run" --bench --steps 100 2>/dev/null | grep '^bench' ||
        status=1
else
    echo "bench/run.sh: $BUILD/emulator/systemc/axon_sc_board_run not built (no SystemC): skipped" >&2
fi
# benchmarks with an anchor measured in the same run
"$(dirname "$0")/cuba.sh" "$BUILD" || status=1
# pyNN.axon against the C API on the tutorial network (docs/pynn.md)
PYTHONPATH="$(dirname "$0")/../python" AXON_LIB="$BUILD/hostlib/libaxon.so" \
    /usr/bin/python3 "$(dirname "$0")/pynn_overhead.py" || status=1
# STDP: plastic synaptic events per second, golden engine vs Brian2 on the same network,
# 1000 Poisson inputs all-to-all onto 100 Song/Miller/Abbott cells, simulation loops timed;
# Brian2's cython runtime and its cpp_standalone program (docs/spec/plasticity.md#performance)
for target in cython cpp_standalone; do
    PYTHONPATH="$(dirname "$0")/../python" AXON_LIB="$BUILD/hostlib/libaxon.so" \
        /usr/bin/python3 "$(dirname "$0")/../tests/brian2/song2000.py" --bench --cells 100 \
        --dt 1.0 --seconds 10 --target $target 2>/dev/null | grep '^bench' || status=1
done
# RTL synthesis (Yosys cell counts for iCE40 and Xilinx 7; UP5K fit and place-and-route
# Fmax): `bench syn ...` lines, a few minutes (docs/rtl.md)
if command -v yosys >/dev/null 2>&1; then
    "$(dirname "$0")/../rtl/syn/syn.sh" "$BUILD" || status=1
    if command -v nextpnr-ice40 >/dev/null 2>&1; then
        "$(dirname "$0")/../rtl/syn/pnr_up5k.sh" "$BUILD" || status=1
        "$(dirname "$0")/../rtl/syn/pnr_hostif.sh" "$BUILD" || status=1
    fi
fi
exit $status
