#!/bin/sh
# CUBA (Brette et al. 2007) on Axon's ref backend against Brian2 cpp_standalone
# (../shared/bench/cuba_brian2.py, Debian python3-brian) on the same machine, same N, dt
# and biological time; simulation loop against simulation loop. Prints per configuration:
#   bench cuba N=.. dt_ms=.. bio_s=.. threads=.. axon_s=.. brian2_s=.. speedup=..
#        axon_rate_hz=.. brian2_rate_hz=.. rate_diff=.. axon_build_map_s=..
# Usage: bench/cuba.sh BUILD_DIR [--quick]   (--quick: N=4000 at 1 ms only)
BUILD=${1:-build}
QUICK=${2:-}
ANCHOR=$(dirname "$0")/../../shared/bench/cuba_brian2.py
[ -f "$ANCHOR" ] || ANCHOR=$(dirname "$0")/../shared/bench/cuba_brian2.py
if [ ! -f "$ANCHOR" ]; then
    echo "bench/cuba.sh: the Brian2 anchor cuba_brian2.py is not found (shared/bench)" >&2
    exit 1
fi
CONFIGS="4000:10:1.0 4000:10:0.1 20000:2:1.0 20000:2:0.1"
[ "$QUICK" = "--quick" ] && CONFIGS="4000:10:1.0"
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
for cfg in $CONFIGS; do
    n=${cfg%%:*}; rest=${cfg#*:}; bio=${rest%%:*}; dt=${rest#*:}
    b=$(/usr/bin/python3 "$ANCHOR" "$n" "$bio" "$dt" 2>/dev/null | grep '^bench brian2_cuba')
    [ -n "$b" ] || { echo "bench/cuba.sh: Brian2 failed for N=$n dt=$dt" >&2; continue; }
    bs=$(field "$b" run_s); br=$(field "$b" rate_hz)
    for th in 1 2; do
        a=$("$BUILD/bench/axon_bench_cuba" "$n" "$bio" "$dt" "$th") || { echo "bench/cuba.sh: axon failed for N=$n dt=$dt" >&2; continue; }
        as=$(field "$a" run_s); ar=$(field "$a" rate_hz)
        bm=$(echo "$(field "$a" build_s) $(field "$a" map_s) $(field "$a" load_s)" | awk '{printf "%.3f", $1 + $2 + $3}')
        echo "$as $bs $ar $br" | awk -v n="$n" -v dt="$dt" -v bio="$bio" -v th="$th" -v bm="$bm" \
            '{printf "bench cuba N=%s dt_ms=%s bio_s=%s threads=%s axon_s=%.4f brian2_s=%.4f speedup=%.2f axon_rate_hz=%.2f brian2_rate_hz=%.2f rate_diff=%.3f axon_build_map_s=%s target_speedup=3 target_rate_diff=0.10\n", n, dt, bio, th, $1, $2, $2 / $1, $3, $4, ($3 - $4) / $4, bm}'
    done
done
