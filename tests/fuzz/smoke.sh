#!/usr/bin/env bash
# A short libFuzzer run for the test suite: HARNESS over the committed CORPUS, then RUNS mutations (fixed
# seed), in a fresh working folder WORK: new inputs and findings never go to the source tree.
#   smoke.sh HARNESS CORPUS WORK [RUNS] [DICT]
set -euo pipefail
harness=$1 corpus=$2 work=$3 runs=${4:-2000} dict=${5:-}
rm -rf "$work"
mkdir -p "$work/new" "$work/findings"
args=(-runs="$runs" -seed=1 -print_final_stats=1 -artifact_prefix="$work/findings/")
if [ -n "$dict" ]; then args+=(-dict="$dict"); fi
export TMPDIR="$work"
export LSAN_OPTIONS="suppressions=$(cd "$(dirname "$0")/../sanitizers" && pwd)/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
exec "$harness" "${args[@]}" "$work/new" "$corpus"
