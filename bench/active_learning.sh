#!/usr/bin/env bash
# Every query strategy against random, 3 seeds each, with the issue's budget: 10 labels at the start and
# 9 rounds of 10 (100 in all), one epoch over the pool per round. Prints each run's final accuracy and the
# mean per strategy. Usage: bench/active_learning.sh [pool] [strategies...]
set -euo pipefail
cd "$(dirname "$0")/.."
pool=${1:-10000}
shift || true
strategies=("$@")
[ ${#strategies[@]} -gt 0 ] || strategies=(entropy margin random diversity least-confidence anomalous)
cli=build/bin/latentlab-cli
for seed in 1 2 3; do
  for s in "${strategies[@]}"; do
    $cli active --strategy "$s" --start 10 --rounds 9 --per-round 10 --epochs-per-round 1 --seed "$seed" \
      --train-samples "$pool" --threads 1 --json | tee /dev/stderr | tail -n 1 |
      sed -n "s/.*\"final_accuracy\": \([0-9.]*\).*/$s $seed \1/p"
  done
done | python3 -c '
import sys, collections
acc = collections.defaultdict(list)
for line in sys.stdin:
    s, seed, a = line.split(); acc[s].append(float(a)); print(line.strip(), flush=True)
for s, v in acc.items(): print(f"{s:18s} mean {100*sum(v)/len(v):.2f}%  over seeds {[round(100*x, 2) for x in v]}")
'
