#!/usr/bin/env bash
# Step time of latentlab-cli bench against the PyTorch peer (../shared/peers/ssvae_torch.py), same model
# (784-500-500, z 50, softplus, batches 100 + 100), same threads, run one after the other in rounds so both
# see the same machine. Prints each pair's ratio (latentlab / peer: below 1 is faster) and the median ratio per
# objective.
#
# A fair peer: Debian's OpenBLAS 0.3.21 does not know every CPU (on AVX-512 machines newer than it, or virtual
# ones, it may fall back to Prescott or Haswell kernels). The script first asks the OpenBLAS that torch loaded
# which kernel it runs (openblas_get_corename through ctypes), and where that is not the right one for the CPU
# (SkylakeX for AVX-512; Haswell, or Zen on AMD, for AVX2) it runs the peer with OPENBLAS_CORETYPE set to it, and
# says so. An OPENBLAS_CORETYPE in the environment or in PEER_ENV is left as it is.
#
# Needs Debian's python3-torch and libopenblas0-pthread (scripts/setup.sh --with-peer) and build/bin/latentlab-cli.
# Usage: bench/compare_peer.sh [rounds (3)] [threads (1)]
#   STEPS=200   timed steps of each run;   PEER_ENV="VAR=value ..."   put before the peer's command;
#   BENCH_ARGS="--gemm blis"   added to latentlab-cli bench;   FLAVOUR=dense|conv|recurrent   both sides' flavour
#   (recurrent: sequential MNIST, the image rows as steps, on both sides);   OBJECTIVES="single marginal";
#   MASS=1   latentlab's marginal mass (1: every class decoded, the peer's model; 0.99: train's pruned default,
#   against the peer's exact marginal).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
threads=${2:-1}
steps=${STEPS:-200}
peer=${PEER:-../shared/peers/ssvae_torch.py}
if [ ! -f "$peer" ] && [ -z "${PEER:-}" ]; then  # a git worktree elsewhere: shared/ beside the main checkout
  peer="$(cd "$(git rev-parse --git-common-dir)/../.." && pwd)/shared/peers/ssvae_torch.py"
fi
cli=build/bin/latentlab-cli
python=/usr/bin/python3
peer_env=(${PEER_ENV:-})

# The kernel of the OpenBLAS that torch runs on: "path|corename|config", or "none".
peer_kernel() {
  env "$@" "$python" - <<'EOF'
import ctypes
import torch  # noqa: F401  (loads the BLAS torch is linked to)
paths = sorted({l.split()[5] for l in open('/proc/self/maps') if len(l.split()) >= 6 and 'blas' in l.split()[5]})
for p in paths:
    try:
        lib = ctypes.CDLL(p)
    except OSError:
        continue
    if hasattr(lib, 'openblas_get_corename'):
        lib.openblas_get_corename.restype = ctypes.c_char_p
        lib.openblas_get_config.restype = ctypes.c_char_p
        print(f"{p}|{lib.openblas_get_corename().decode()}|{lib.openblas_get_config().decode()}")
        break
else:
    print('none')
EOF
}

flags=$(grep -m1 '^flags' /proc/cpuinfo || true)
vendor=$(grep -m1 '^vendor_id' /proc/cpuinfo | sed 's/.*: //' || true)
has() { for f in "$@"; do [[ " $flags " == *" $f "* ]] || return 1; done; }
if has avx512f avx512cd avx512bw avx512dq avx512vl; then
  want=SkylakeX; accepted="SkylakeX Cooperlake SapphireRapids"
elif has avx2 fma; then
  if [ "$vendor" = AuthenticAMD ]; then want=Zen; else want=Haswell; fi
  accepted="Haswell Zen"
else
  want=""; accepted=""
fi
echo "CPU: $(grep -m1 '^model name' /proc/cpuinfo | sed 's/.*: //')${want:+ (kernels for it: $want)}"

kernel=$(peer_kernel "${peer_env[@]}")
core=$(echo "$kernel" | cut -d'|' -f2)
echo "peer BLAS: ${kernel//|/  }"
if [ "$kernel" = none ]; then
  echo "peer: torch does not run on OpenBLAS here (install libopenblas0-pthread): the comparison is not fair" >&2
elif [ -n "${OPENBLAS_CORETYPE:-}" ] || [[ " ${peer_env[*]} " == *" OPENBLAS_CORETYPE="* ]]; then
  echo "peer: OPENBLAS_CORETYPE given (${OPENBLAS_CORETYPE:-from PEER_ENV}): kernel $core, left as it is"
elif [ -n "$want" ] && [[ " $accepted " != *" $core "* ]]; then
  peer_env+=("OPENBLAS_CORETYPE=$want")
  fixed=$(peer_kernel "${peer_env[@]}" | cut -d'|' -f2)
  echo "peer: OpenBLAS misdetects this CPU ($core); running the peer with OPENBLAS_CORETYPE=$want (kernel now $fixed)"
else
  echo "peer: OpenBLAS kernel $core is right for this CPU"
fi

flavour=${FLAVOUR:-dense}
data_args=(--data datasets/mnist)
if [ "$flavour" = recurrent ]; then data_args=(--data mnist-rows:datasets/mnist); fi
echo "flavour: $flavour"
for objective in ${OBJECTIVES:-single marginal}; do
  ratios=()
  for r in $(seq "$rounds"); do
    p=$(env "${peer_env[@]}" "$python" "$peer" --time-only --steps "$steps" --threads "$threads" \
          --objective "$objective" --flavour "$flavour" --data datasets/mnist | sed -n 's/.*median_step=\([0-9.]*\)ms.*/\1/p')
    out=$($cli bench --objective "$objective" --flavour "$flavour" "${data_args[@]}" --activation softplus \
            --marginal-mass "${MASS:-1}" --threads "$threads" --steps "$steps" ${BENCH_ARGS:-} --json)
    [ "$r" = 1 ] && echo "$out" | head -n 1
    json=$(echo "$out" | tail -n 1)
    o=$(echo "$json" | sed -n 's/.*"ms_per_step": \([0-9.e+-]*\).*/\1/p')
    backend=$(echo "$json" | sed -n 's/.*"gemm_backend": "\([a-z]*\)".*/\1/p')
    products=$(echo "$json" | sed -n 's/.*"product_fraction": \([0-9.e+-]*\).*/\1/p')
    ratio=$("$python" -c "print(f'{$o / $p:.3f}')")
    ratios+=("$ratio")
    echo "$objective round $r: peer ${p} ms/step, latentlab ${o} ms/step ($backend, products" \
         "$("$python" -c "print(f'{100 * $products:.0f}')")% of the step), ratio ${ratio}"
  done
  echo "$objective median ratio: $(printf '%s\n' "${ratios[@]}" | sort -n | sed -n "$(( (rounds + 1) / 2 ))p")"
done
