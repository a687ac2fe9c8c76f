#!/bin/sh
# Router place and route on iCE40 (docs/rtl.md "Router"; numbers in bench/RESULTS.md).
# The router's 24 x 72-bit ports cannot be pins, so axon_router sits in a scan harness
# (rtl/syn/axon_syn_router.sv: one input pin, outputs folded into one registered pin).
# For each configuration: synth_ice40, then nextpnr-ice40 on the device (--up5k sg48 or
# --hx8k ct256), 50 MHz target, --timing-allow-fail; prints
#   bench syn top=axon_router target=DEVICE entries=.. p2p=.. cores=.. placed=0|1 lc=.. bram=..
#         cap_lc=.. cap_bram=.. fmax_mhz=..
# placed=0: nextpnr refused (the design does not fit; lc/bram are then the synthesis counts).
# Logs and reports go to BUILD_DIR/syn/router_*.
#
# Usage: rtl/syn/pnr_router.sh [BUILD_DIR [DEVICE:ENTRIES:P2P:CORES ...]]
#   default: hx8k:48:256:4 (the largest router that places on an iCE40; see bench/RESULTS.md)
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-build}
[ $# -gt 0 ] && shift
case $BUILD in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac
CONFIGS=${*:-hx8k:48:256:4}
PKG=$BUILD/gen/axon_pkg.sv
OUT=$BUILD/syn
for tool in yosys nextpnr-ice40; do
    if ! command -v $tool >/dev/null 2>&1; then
        echo "pnr_router: $tool is not installed (scripts/install-deps.sh)" >&2
        exit 1
    fi
done
mkdir -p "$OUT" "$BUILD/gen"
[ -f "$PKG" ] || /usr/bin/python3 "$ROOT/tools/specgen.py" "$ROOT/docs/spec/axon_spec.json" --sv "$PKG"
# the router, its primitives and the harness only
SRCS=$(ls "$ROOT"/rtl/prim/*.sv "$ROOT"/rtl/router/*.sv "$ROOT"/rtl/syn/axon_syn_router.sv | tr '\n' ' ')
YV=$(yosys -V | cut -d' ' -f2)
NV=$(nextpnr-ice40 --version 2>&1 | sed -n 's/.*(Version \([^)]*\)).*/\1/p')
status=0

for cfg in $CONFIGS; do
    IFS=: read -r dev ne p2p nc <<CFG
$cfg
CFG
    case $dev in
    up5k) dopt="--up5k --package sg48" cap_lc=5280 cap_bram=30 ;;
    hx8k) dopt="--hx8k --package ct256" cap_lc=7680 cap_bram=32 ;;
    *) echo "pnr_router: unknown device $dev (up5k, hx8k)" >&2; status=1; continue ;;
    esac
    tag=router_${dev}_${ne}_${p2p}_${nc}
    t0=$(date +%s)
    if ! yosys -q -l "$OUT/$tag.log" -p "read_verilog -sv $PKG $SRCS; chparam -set NumEntries $ne -set P2pEntries $p2p -set NumCores $nc axon_syn_router; synth_ice40 -top axon_syn_router -json $OUT/$tag.json; tee -q -o $OUT/$tag.stat stat" >/dev/null 2>&1; then
        echo "pnr_router: synthesis of $cfg failed, see $OUT/$tag.log" >&2
        status=1
        continue
    fi
    # shellcheck disable=SC2086
    if nextpnr-ice40 $dopt --json "$OUT/$tag.json" --report "$OUT/$tag.report.json" \
        --timing-allow-fail --freq 50 --pcf-allow-unconstrained --seed 1 \
        >"$OUT/$tag.pnr.log" 2>&1; then
        t1=$(date +%s)
        /usr/bin/python3 - "$OUT/$tag.report.json" "$dev" "$ne" "$p2p" "$nc" "$cap_lc" "$cap_bram" \
            "$YV" "$NV" $((t1 - t0)) <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
fmax = min(v["achieved"] for k, v in r["fmax"].items() if "clk_i" in k)
u = r["utilization"]
used = lambda k: u.get(k, {}).get("used", 0)
a = sys.argv
print(f"bench syn top=axon_router target={a[2]} entries={a[3]} p2p={a[4]} cores={a[5]} "
      f"harness=axon_syn_router placed=1 lc={used('ICESTORM_LC')} bram={used('ICESTORM_RAM')} "
      f"cap_lc={a[6]} cap_bram={a[7]} fmax_mhz={fmax:.1f} target_mhz=50 "
      f"yosys={a[8]} nextpnr={a[9]} seconds={a[10]}")
PY
    else
        t1=$(date +%s)
        lut=$(awk '$1 == "SB_LUT4" && NF == 2 { n = $2 } END { print n + 0 }' "$OUT/$tag.stat")
        bram=$(awk '$1 == "SB_RAM40_4K" && NF == 2 { n = $2 } END { print n + 0 }' "$OUT/$tag.stat")
        echo "bench syn top=axon_router target=$dev entries=$ne p2p=$p2p cores=$nc harness=axon_syn_router placed=0 lut4=$lut bram=$bram cap_lc=$cap_lc cap_bram=$cap_bram fmax_mhz=na yosys=$YV nextpnr=$NV seconds=$((t1 - t0))"
    fi
done
exit $status
