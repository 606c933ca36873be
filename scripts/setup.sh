#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine and builds Latentlab into build/ (executables in build/bin/).
# Installs the Debian packages with apt-get (through sudo when not root), then configures and builds.
# Only packages that are missing are installed; running it again changes nothing.
#   --with-peer   also the PyTorch peer's packages (bench/compare_peer.sh): python3-torch, OpenBLAS (pthread);
#                 python3-torch also un-skips the suite's PyTorch round trip (python/)
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
  dataset-fashion-mnist  # the Data dock's Fashion-MNIST button (/usr/share/datasets/fashion-mnist)
  # Product backends, opened at run time (engine/core/BlasLibrary.h). The OpenMP variants share the engine's
  # OpenMP threads (libblas.so.3 of other programs stays with the pthread OpenBLAS where that is installed).
  libblis4-openmp libopenblas0-openmp
  clang libclang-rt-14-dev libomp-dev  # the fuzz harnesses' short runs in the suite (tests/fuzz)
)
if [ "${1:-}" = "--with-peer" ]; then
  PACKAGES+=(python3-torch libopenblas0-pthread python3-threadpoolctl)
fi
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
