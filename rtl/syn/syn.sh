#!/bin/sh
# Synthesis of RTL blocks with Yosys for two targets, printing one `bench syn ...` line per
# block and target (bench/README.md format; numbers recorded in bench/RESULTS.md):
#   ice40  synth_ice40 -dsp (iCE40 UltraPlus: SB_MAC16 DSPs; UP5K: 5,280 LUT4, 8 DSP,
#          30 SB_RAM40_4K, 4 SPRAM)
#   xc7    synth_xilinx -flatten -noiopad (Xilinx 7-series, out of context)
# Counts are post-synthesis cells (no place and route, so no Fmax). Logs and full `stat`
# reports go to BUILD_DIR/syn/.
#
# Usage: rtl/syn/syn.sh [BUILD_DIR [TOP[:Param=Value,...]...]]
#   default BUILD_DIR build; default tops axon_lif_update axon_izk_update axon_ring_buffer
#   axon_poisson axon_neuron_core (the core with its default parameters: 256 neurons).
#   Module files are found by name under rtl/ (one module per file).
#   Parameters after a colon override the top's defaults (chparam), e.g.
#   axon_router:NumEntries=256,P2pEntries=4096,NumCores=4; the line then carries
#   params=... . SYN_TARGETS (default "ice40 xc7") selects the targets. UP5K place and
#   route: rtl/syn/pnr_up5k.sh.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-build}
[ $# -gt 0 ] && shift
case $BUILD in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac
TOPS=${*:-axon_lif_update axon_izk_update axon_ring_buffer axon_poisson axon_neuron_core}
PKG=$BUILD/gen/axon_pkg.sv
OUT=$BUILD/syn

if ! command -v yosys >/dev/null 2>&1; then
    echo "syn: yosys is not installed (scripts/install-deps.sh)" >&2
    exit 1
fi
mkdir -p "$OUT" "$BUILD/gen"
[ -f "$PKG" ] || /usr/bin/python3 "$ROOT/tools/specgen.py" "$ROOT/docs/spec/axon_spec.json" --sv "$PKG"

# every module file (Yosys elaborates only what the top instantiates)
SRCS=$(ls "$ROOT"/rtl/*/*.sv | tr '\n' ' ')
YV=$(yosys -V | cut -d' ' -f2)

status=0
for spec in $TOPS; do
    top=${spec%%:*}
    params=""
    chparam=""
    tag=$top
    if [ "$spec" != "$top" ]; then
        params=${spec#*:}
        chparam="chparam$(echo "$params" | tr ',' '\n' | sed 's/^\(.*\)=\(.*\)$/ -set \1 \2/' | tr -d '\n') $top;"
        tag=$top.$(echo "$params" | tr ',=' '__')
    fi
    for target in ${SYN_TARGETS:-ice40 xc7}; do
        case $target in
        ice40) cmd="synth_ice40 -dsp -top $top" ;;
        xc7) cmd="synth_xilinx -flatten -noiopad -top $top" ;;
        esac
        log=$OUT/$tag.$target.log
        stat=$OUT/$tag.$target.stat
        t0=$(date +%s)
        if ! yosys -q -l "$log" -p "read_verilog -sv $PKG $SRCS; $chparam $cmd; tee -q -o $stat stat" \
            >/dev/null 2>&1; then
            echo "syn: $top ($target) failed, see $log" >&2
            status=1
            continue
        fi
        t1=$(date +%s)
        # the top's cell table is the last one in the report (flattened design)
        awk -v top="$top${params:+ params=$params}" -v target="$target" -v secs=$((t1 - t0)) -v yv="$YV" '
            /^=== / { delete c }
            $1 ~ /^(SB_|LUT|CARRY|FD|DSP|RAMB|SRL|RAM[0-9]|MUXF)/ && NF == 2 { c[$1] = $2 }
            END {
                if (target == "ice40") {
                    ff = 0; for (k in c) if (k ~ /^SB_DFF/) ff += c[k]
                    printf "bench syn top=%s target=ice40 lut4=%d carry=%d ff=%d dsp=%d bram=%d spram=%d yosys=%s seconds=%d\n",
                        top, c["SB_LUT4"], c["SB_CARRY"], ff, c["SB_MAC16"], c["SB_RAM40_4K"],
                        c["SB_SPRAM256KA"], yv, secs
                } else {
                    lut = 0; ff = 0; lutram = 0
                    for (k in c) {
                        if (k ~ /^LUT[1-6]$/) lut += c[k]
                        if (k ~ /^FD/) ff += c[k]
                        if (k ~ /^RAM[0-9]/) lutram += c[k]
                    }
                    printf "bench syn top=%s target=xc7 lut=%d carry4=%d ff=%d srl=%d lutram=%d dsp48=%d ramb36=%d ramb18=%d yosys=%s seconds=%d\n",
                        top, lut, c["CARRY4"], ff, c["SRL16E"] + c["SRLC32E"], lutram,
                        c["DSP48E1"], c["RAMB36E1"], c["RAMB18E1"], yv, secs
                }
            }' "$stat"
    done
done
exit $status
