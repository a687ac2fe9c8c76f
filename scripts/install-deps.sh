#!/bin/sh
# Install the Debian packages Axon needs, only those missing (apt-get update first).
# Used by `make demo`, `make check` and CI on a fresh Debian bookworm machine.
set -eu

PKGS="build-essential cmake pkg-config python3 python3-numpy python3-brian
libcriterion-dev cppcheck libhdf5-dev python3-h5py libjansson-dev libgsl-dev
python3-matplotlib clang libclang-rt-14-dev
verilator yosys nextpnr-ice40 fpga-icestorm zlib1g-dev gtkwave
python3-pynn python3-neo python3-pytest python3-nbconvert python3-ipykernel
libusb-1.0-0-dev umockdev libumockdev-dev"

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

echo "install-deps: installing$missing"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "install-deps: need root (or sudo) to install:$missing" >&2
        exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
