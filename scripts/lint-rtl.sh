#!/bin/sh
# Verilator lint of the RTL: every module file rtl/*.sv and rtl/*/*.sv is linted as the top
# of its own run (`verilator --lint-only -Wall`), with the generated package
# BUILD_DIR/gen/axon_pkg.sv (made here from docs/spec/axon_spec.json when missing), the
# module directories on the search path (-y) and the waivers of rtl/lint/axon.vlt (each with
# its reason). Called by `make lint`; a few seconds.
#
# Usage: scripts/lint-rtl.sh [BUILD_DIR]      (default: build)
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-build}
case $BUILD in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac
PKG=$BUILD/gen/axon_pkg.sv
VLT=$ROOT/rtl/lint/axon.vlt

if ! command -v verilator >/dev/null 2>&1; then
    echo "lint-rtl: verilator is not installed (scripts/install-deps.sh)" >&2
    exit 1
fi
if [ ! -f "$PKG" ]; then
    mkdir -p "$BUILD/gen"
    /usr/bin/python3 "$ROOT/tools/specgen.py" "$ROOT/docs/spec/axon_spec.json" --sv "$PKG"
fi

cd "$ROOT"
search=""
for d in rtl/*/; do
    ls "$d"*.sv >/dev/null 2>&1 && search="$search -y $d"
done

n=0
failed=""
for f in rtl/*.sv rtl/*/*.sv; do
    [ -f "$f" ] || continue
    top=$(basename "$f" .sv)
    n=$((n + 1))
    # shellcheck disable=SC2086
    if ! verilator --lint-only -Wall --top-module "$top" $search "$VLT" "$PKG" "$f"; then
        failed="$failed $top"
    fi
done

if [ -n "$failed" ]; then
    echo "lint-rtl: warnings or errors in:$failed" >&2
    exit 1
fi
echo "lint-rtl: $n modules lint-clean (verilator $(verilator --version | cut -d' ' -f2) -Wall)"
