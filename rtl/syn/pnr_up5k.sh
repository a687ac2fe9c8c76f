#!/bin/sh
# iCE40 UP5K fit and timing (docs/rtl.md "Lint and synthesis"; numbers in bench/RESULTS.md).
# Prints `bench syn ... target=up5k` lines:
#  1. the neuron core in its smallest sensible configuration (NumNeurons 32, 1 Ki words of
#     core memory, 256 recording words): synth_ice40 -dsp cell counts against the UP5K's
#     capacity (5,280 LUT4 / logic cells, 8 SB_MAC16, 30 SB_RAM40_4K, 4 SPRAM) and fits=0/1;
#     nextpnr-ice40 --up5k runs only when it fits;
#  2. the units of the core that fit, each in a scan harness (one input pin shifting all
#     inputs, outputs folded into one pin): the Izhikevich unit (rtl/syn/axon_up5k_izk.sv,
#     8 SB_MAC16) and the packet path (rtl/syn/axon_up5k_pkt.sv: lookup, row fetch, ring
#     buffer, 1 Ki words of core memory, 128 neurons); nextpnr-ice40 --up5k --package sg48,
#     50 MHz target, --timing-allow-fail, Fmax and utilisation from its --report JSON.
# Logs, netlists and reports go to BUILD_DIR/syn/.
#
# Usage: rtl/syn/pnr_up5k.sh [BUILD_DIR]
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-build}
case $BUILD in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac
PKG=$BUILD/gen/axon_pkg.sv
OUT=$BUILD/syn
for tool in yosys nextpnr-ice40; do
    if ! command -v $tool >/dev/null 2>&1; then
        echo "pnr_up5k: $tool is not installed (scripts/install-deps.sh)" >&2
        exit 1
    fi
done
mkdir -p "$OUT" "$BUILD/gen"
[ -f "$PKG" ] || /usr/bin/python3 "$ROOT/tools/specgen.py" "$ROOT/docs/spec/axon_spec.json" --sv "$PKG"
SRCS=$(ls "$ROOT"/rtl/*/*.sv | tr '\n' ' ')
YV=$(yosys -V | cut -d' ' -f2)
NV=$(nextpnr-ice40 --version 2>&1 | sed -n 's/.*(Version \([^)]*\)).*/\1/p')
status=0

# ice40 cell counts of a stat report: lut carry ff dsp bram spram
counts() {
    awk '/^=== / { delete c }
         $1 ~ /^SB_/ && NF == 2 { c[$1] = $2 }
         END { ff = 0; for (k in c) if (k ~ /^SB_DFF/) ff += c[k]
               printf "%d %d %d %d %d %d\n", c["SB_LUT4"], c["SB_CARRY"], ff, c["SB_MAC16"],
                   c["SB_RAM40_4K"], c["SB_SPRAM256KA"] }' "$1"
}

# 1. the whole core, smallest configuration
n=32 mw=10 rw=8
log=$OUT/core_up5k.log
if yosys -q -l "$log" -p "read_verilog -sv $PKG $SRCS; chparam -set NumNeurons $n -set MemWordsLog2 $mw -set RecWordsLog2 $rw axon_neuron_core; synth_ice40 -dsp -top axon_neuron_core -json $OUT/core_up5k.json; tee -q -o $OUT/core_up5k.stat stat" >/dev/null 2>&1; then
    set -- $(counts "$OUT/core_up5k.stat")
    fits=1
    [ "$1" -le 5280 ] && [ "$4" -le 8 ] && [ "$5" -le 30 ] && [ "$6" -le 4 ] || fits=0
    fmax=na
    if [ $fits = 1 ]; then
        if nextpnr-ice40 --up5k --package sg48 --json "$OUT/core_up5k.json" \
            --report "$OUT/core_up5k.report.json" --timing-allow-fail --freq 50 \
            --pcf-allow-unconstrained --seed 1 >"$OUT/core_up5k.pnr.log" 2>&1; then
            fmax=$(/usr/bin/python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['fmax']; print('%.1f' % min(v['achieved'] for k,v in r.items() if 'clk_i' in k))" "$OUT/core_up5k.report.json")
        else
            fits=0 # placement failed (the cell counts fit, the packing did not)
        fi
    fi
    echo "bench syn top=axon_neuron_core target=up5k neurons=$n mem_words=$((1 << mw)) rec_words=$((1 << rw)) fits=$fits lut4=$1 carry=$2 ff=$3 dsp=$4 bram=$5 spram=$6 fmax_mhz=$fmax cap_lut4=5280 cap_dsp=8 cap_bram=30 cap_spram=4 yosys=$YV nextpnr=$NV"
else
    echo "pnr_up5k: synthesis of the core failed, see $log" >&2
    status=1
fi

# 2. units of the core that fit, each in a scan harness, placed and routed
for pair in axon_up5k_izk:axon_izk_update axon_up5k_pkt:packet_path; do
    h=${pair%%:*} unit=${pair#*:}
    log=$OUT/$h.log
    if yosys -q -l "$log" -p "read_verilog -sv $PKG $SRCS; synth_ice40 -dsp -top $h -json $OUT/$h.json; tee -q -o $OUT/$h.stat stat" >/dev/null 2>&1 &&
       nextpnr-ice40 --up5k --package sg48 --json "$OUT/$h.json" \
           --report "$OUT/$h.report.json" --timing-allow-fail --freq 50 \
           --pcf-allow-unconstrained --seed 1 >"$OUT/$h.pnr.log" 2>&1; then
        /usr/bin/python3 - "$OUT/$h.report.json" "$unit" "$h" "$YV" "$NV" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
fmax = min(v["achieved"] for k, v in r["fmax"].items() if "clk_i" in k)
u = r["utilization"]
used = lambda k: u.get(k, {}).get("used", 0)
print(f"bench syn top={sys.argv[2]} target=up5k harness={sys.argv[3]} placed=1 "
      f"lc={used('ICESTORM_LC')} dsp={used('ICESTORM_DSP')} bram={used('ICESTORM_RAM')} "
      f"spram={used('ICESTORM_SPRAM')} fmax_mhz={fmax:.1f} target_mhz=50 "
      f"yosys={sys.argv[4]} nextpnr={sys.argv[5]}")
PY
    else
        echo "pnr_up5k: $h failed, see $log and $OUT/$h.pnr.log" >&2
        status=1
    fi
done
exit $status
