#!/bin/sh
# Router measurements (docs/rtl.md, router; results in bench/RESULTS.md):
#   bench router_rtl ...   throughput per traffic pattern and idle latency, in clock cycles,
#                          from the RTL testbench (tests/rtl/tb_router.cpp, seed 1)
#   bench syn_router ...   Yosys synthesis (rtl/syn/syn.sh) of axon_router; the default
#                          configuration is a small one (256 entries, 4,096 P2P entries,
#                          4 cores, a few minutes); AXON_BENCH_ROUTER_SYN="axon_router" gives
#                          the full router (1024 entries, 65,536 P2P, 18 cores: ~15 minutes).
#   bench syn top=axon_router target=hx8k ...   only with AXON_BENCH_ROUTER_PNR=1 (about 3
#                          minutes per configuration): nextpnr-ice40 place and route of the
#                          largest router that fits an iCE40 (rtl/syn/pnr_router.sh; configs
#                          in AXON_BENCH_ROUTER_PNR_CONFIGS, default hx8k:48:256:4)
# Usage: bench/router.sh [BUILD_DIR]      (called by bench/run.sh)
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
status=0
if [ -x "$BUILD/tests/rtl/tb_router" ]; then
    out=$("$BUILD/tests/rtl/tb_router" --seed 1) || status=1
    echo "$out" | grep '^bench '
else
    echo "bench/router.sh: $BUILD/tests/rtl/tb_router is missing (build with AXON_RTL=ON)" >&2
    status=1
fi
tmp=$(mktemp)
# shellcheck disable=SC2086
"$ROOT/rtl/syn/syn.sh" "$BUILD" ${AXON_BENCH_ROUTER_SYN:-axon_router:NumEntries=256,P2pEntries=4096,NumCores=4} >"$tmp" || status=1
sed 's/^bench syn /bench syn_router /' "$tmp"
rm -f "$tmp"
if [ "${AXON_BENCH_ROUTER_PNR:-0}" = 1 ]; then
    # shellcheck disable=SC2086
    "$ROOT/rtl/syn/pnr_router.sh" "$BUILD" ${AXON_BENCH_ROUTER_PNR_CONFIGS:-} || status=1
fi
exit $status
