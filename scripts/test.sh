#!/usr/bin/env bash
# Builds if needed and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f build/CMakeCache.txt ]; then cmake -S . -B build -DCMAKE_BUILD_TYPE=Release; fi
cmake --build build -j"$(nproc)"
ctest --test-dir build --output-on-failure -j1 "$@"
