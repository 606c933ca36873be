#!/usr/bin/env bash
# Seconds per epoch of latentlab-cli bench against the PyTorch peer (../shared/peers/ssvae_torch.py), same
# model (784-500-500, z 50, softplus, batches 100 + 100), same threads, run one after the other in rounds so
# both see the same machine. Prints each pair's ratio and the median ratio per objective.
# Needs Debian's python3-torch and libopenblas0-pthread. Usage: bench/compare_peer.sh [rounds] [threads]
# PEER_ENV is put before the peer's command, e.g. PEER_ENV="OPENBLAS_CORETYPE=SkylakeX" (see README).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
threads=${2:-1}
peer=${PEER:-../shared/peers/ssvae_torch.py}
cli=build/bin/latentlab-cli
for objective in single marginal; do
  ratios=()
  for r in $(seq "$rounds"); do
    p=$(env ${PEER_ENV:-} /usr/bin/python3 "$peer" --time-only --threads "$threads" --objective "$objective" \
          --data datasets/mnist | sed -n 's/.*s\/epoch(median)=\([0-9.]*\).*/\1/p')
    o=$($cli bench --objective "$objective" --activation softplus --threads "$threads" --json | tail -n 1 |
          sed -n 's/.*"seconds_per_epoch": \([0-9.e+-]*\).*/\1/p')
    ratio=$(python3 -c "print(f'{$o / $p:.3f}')")
    ratios+=("$ratio")
    echo "$objective round $r: peer ${p} s/epoch, latentlab ${o} s/epoch, ratio ${ratio}"
  done
  echo "$objective median ratio: $(printf '%s\n' "${ratios[@]}" | sort -n | sed -n "$(( (rounds + 1) / 2 ))p")"
done
