#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine and builds Latentlab into build/ (executables in build/bin/).
# Installs the Debian packages with apt-get (through sudo when not root), then configures and builds.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

PACKAGES=(
  build-essential cmake pkg-config ccache git
  libeigen3-dev zlib1g-dev libhdf5-dev
  qt6-base-dev qt6-qpa-plugins libqcustomplot-dev
  xvfb xauth fonts-dejavu-core
  python3 python3-numpy python3-h5py
  clang libclang-rt-14-dev libomp-dev  # the fuzz harnesses' short runs in the suite (tests/fuzz)
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$(nproc)"
echo "setup: built $(ls build/bin | tr '\n' ' ')"
