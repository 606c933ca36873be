#!/usr/bin/env bash
# Builds the libFuzzer harnesses (tests/fuzz) with clang, AddressSanitizer and UndefinedBehaviorSanitizer in
# build-fuzz/ and runs each for SECONDS (default 60), one after the other, niced.
#   scripts/fuzz.sh [SECONDS] [HARNESS...]      harnesses: idx idx_gzip label_file label_csv model_file
#                                               ts csv_data npy npz uci_har hdf5_data
#   FUZZ_RUNS=1000000 scripts/fuzz.sh 36000      stop each after that many executions (or the time)
# Each run starts from the committed corpus (tests/fuzz/corpus/HARNESS, read only) and the inputs earlier
# runs found (build-fuzz/corpus/HARNESS, where new ones go). A finding stops its harness; the input that
# caused it is in build-fuzz/findings/HARNESS/ (crash-*, leak-*, oom-*, timeout-*), the report in
# build-fuzz/logs/HARNESS.log. A finding to keep becomes a regression input: copy it to
# tests/fuzz/corpus/HARNESS/ once fixed. Prints executions and findings per harness.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
if [ "$#" -gt 0 ]; then shift; fi
harnesses=("$@")
if [ "${#harnesses[@]}" -eq 0 ]; then harnesses=(idx idx_gzip label_file label_csv model_file ts csv_data npy npz uci_har hdf5_data); fi
CXX=$(command -v clang++-14 || command -v clang++ || true)
CC=$(command -v clang-14 || command -v clang || true)
if [ -z "$CXX" ] || [ -z "$CC" ]; then
  echo "fuzz: clang is needed (Debian: clang libclang-rt-14-dev libomp-dev; scripts/setup.sh installs them)" >&2
  exit 2
fi
flags="-O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined"
if [ ! -f build-fuzz/CMakeCache.txt ]; then
  cmake -S . -B build-fuzz -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" -DCMAKE_BUILD_TYPE=Fuzz \
    -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_C_FLAGS="$flags" -DLATENTLAB_FUZZ=ON -DLATENTLAB_BUILD_TESTS=OFF \
    -DLATENTLAB_BUILD_GUI=OFF >/dev/null
fi
nice -n 10 cmake --build build-fuzz -j"$(nproc)" --target fuzzers
mkdir -p build-fuzz/logs
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS="suppressions=$PWD/tests/sanitizers/lsan.supp:print_suppressions=0"
export OMP_NUM_THREADS=1
summary=()
for h in "${harnesses[@]}"; do
  mkdir -p "build-fuzz/corpus/$h" "build-fuzz/findings/$h" "build-fuzz/tmp/$h"
  dict=()
  if [ -f "tests/fuzz/$h.dict" ]; then dict=(-dict="tests/fuzz/$h.dict"); fi
  echo "fuzz: $h for ${seconds}s"
  set +e
  runArgs=()
  if [ -n "${FUZZ_RUNS:-}" ]; then runArgs=(-runs="$FUZZ_RUNS"); fi
  start=$(date +%s)
  TMPDIR="$PWD/build-fuzz/tmp/$h" nice -n 10 "build-fuzz/fuzzers/fuzz_$h" -max_total_time="$seconds" "${runArgs[@]}" -print_final_stats=1 \
    -artifact_prefix="build-fuzz/findings/$h/" "${dict[@]}" "build-fuzz/corpus/$h" "tests/fuzz/corpus/$h" \
    >"build-fuzz/logs/$h.log" 2>&1
  rc=$?
  set -e
  took=$(($(date +%s) - start))
  runs=$( (grep -a 'stat::number_of_executed_units' "build-fuzz/logs/$h.log" || true) | awk '{print $2}' | tail -1)
  finding=$( (grep -aE '^(artifact_prefix|Test unit written to)' "build-fuzz/logs/$h.log" || true) | sed 's/.*written to //' | tail -1)
  summary+=("$(printf '%-11s %12s executions in %6s s  %s' "$h" "${runs:-?}" "$took" "$([ "$rc" -eq 0 ] && echo 'no finding' || echo "FINDING (rc $rc): ${finding:-see build-fuzz/logs/$h.log}")")")
done
printf '%s\n' "${summary[@]}"
