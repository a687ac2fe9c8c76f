#!/bin/sh
# Place and route of the board's host interface (axon_hostif, 4 cores, 1 Ki-word payload
# buffer; docs/rtl.md, numbers in bench/RESULTS.md). Prints `bench syn top=axon_hostif ...`:
#  1. iCE40 UP5K: the scan harness rtl/syn/axon_up5k_hostif.sv (the UP5K's 39 I/O cannot
#     carry the 32-bit FIFO bus), nextpnr-ice40 --up5k --package sg48;
#  2. iCE40 HX8K: the block itself with every port on a pin, nextpnr-ice40 --hx8k
#     --package ct256 (206 I/O).
# Both at a 100 MHz target (the FT601's bus clock) with --timing-allow-fail; Fmax and
# utilisation from nextpnr's --report JSON. Logs and reports go to BUILD_DIR/syn/.
#
# A design that does not fit prints placed=0 with nextpnr's logic-cell count.
#
# Usage: rtl/syn/pnr_hostif.sh [BUILD_DIR]
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-build}
case $BUILD in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac
PKG=$BUILD/gen/axon_pkg.sv
OUT=$BUILD/syn
for tool in yosys nextpnr-ice40; do
    if ! command -v $tool >/dev/null 2>&1; then
        echo "pnr_hostif: $tool is not installed (scripts/install-deps.sh)" >&2
        exit 1
    fi
done
mkdir -p "$OUT" "$BUILD/gen"
[ -f "$PKG" ] || /usr/bin/python3 "$ROOT/tools/specgen.py" "$ROOT/docs/spec/axon_spec.json" --sv "$PKG"
SRCS="$ROOT/rtl/prim/axon_ram_1r1w.sv $ROOT/rtl/hostif/axon_crc32c.sv $ROOT/rtl/hostif/axon_hostif.sv $ROOT/rtl/syn/axon_up5k_hostif.sv"
YV=$(yosys -V | cut -d' ' -f2)
NV=$(nextpnr-ice40 --version 2>&1 | sed -n 's/.*(Version \([^)]*\)).*/\1/p')
status=0

for spec in up5k:axon_up5k_hostif:sg48 hx8k:axon_hostif:ct256; do
    dev=${spec%%:*} rest=${spec#*:}
    top=${rest%%:*} pkg=${rest#*:}
    name=hostif_$dev
    log=$OUT/$name.log
    chp="" dsp=-dsp
    [ "$top" = axon_hostif ] && chp="chparam -set BufWords 1032 axon_hostif;" dsp="" # (no DSPs)
    if yosys -q -l "$log" -p "read_verilog -sv $PKG $SRCS; $chp synth_ice40 $dsp -top $top -json $OUT/$name.json; tee -q -o $OUT/$name.stat stat" >/dev/null 2>&1 &&
       nextpnr-ice40 --$dev --package $pkg --json "$OUT/$name.json" \
           --report "$OUT/$name.report.json" --timing-allow-fail --freq 100 \
           --pcf-allow-unconstrained --seed 1 >"$OUT/$name.pnr.log" 2>&1; then
        /usr/bin/python3 - "$OUT/$name.report.json" "$dev" "$top" "$YV" "$NV" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
fmax = min(v["achieved"] for k, v in r["fmax"].items() if "clk_i" in k)
u = r["utilization"]
cell = lambda k, f: u.get(k, {}).get(f, 0)
print(f"bench syn top=axon_hostif target={sys.argv[2]} harness={sys.argv[3]} placed=1 "
      f"buf_words=1032 cores=4 lc={cell('ICESTORM_LC', 'used')} "
      f"cap_lc={cell('ICESTORM_LC', 'available')} dsp={cell('ICESTORM_DSP', 'used')} "
      f"bram={cell('ICESTORM_RAM', 'used')} cap_bram={cell('ICESTORM_RAM', 'available')} "
      f"io={cell('SB_IO', 'used')} fmax_mhz={fmax:.1f} target_mhz=100 "
      f"yosys={sys.argv[4]} nextpnr={sys.argv[5]}")
PY
    elif [ -f "$OUT/$name.pnr.log" ] && grep -q "ICESTORM_LC:" "$OUT/$name.pnr.log"; then
        # packed but not placeable: report the utilisation nextpnr found
        lc=$(sed -n 's/.*ICESTORM_LC: *\([0-9]*\)\/ *\([0-9]*\).*/\1 \2/p' "$OUT/$name.pnr.log" | head -1)
        echo "bench syn top=axon_hostif target=$dev harness=$top placed=0 buf_words=1032 cores=4 lc=${lc% *} cap_lc=${lc#* } fmax_mhz=na yosys=$YV nextpnr=$NV"
    else
        echo "pnr_hostif: $name failed, see $log and $OUT/$name.pnr.log" >&2
        status=1
    fi
done
exit $status
