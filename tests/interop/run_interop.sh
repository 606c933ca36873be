#!/usr/bin/env bash
# Trains a small model, exports the engine's reference outputs and checks them from Python (h5py + NumPy).
set -euo pipefail
cli=$1 data=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"
"$cli" train --data "$data" --train-samples 2000 --test-samples 200 --epochs 1 --hidden 64,32 --latent 8 \
  --activation softplus --out "$work/interop.h5" > /dev/null
"$cli" export --model "$work/interop.h5" --out "$work/reference.h5" --data "$data" --samples 64
/usr/bin/python3 "$here/check_model.py" "$work/interop.h5" "$work/reference.h5" --tolerance 1e-5
# A version-1 file (variable-length strings, no checksums) reads the same way.
"$cli" export --model "$here/../io/format-v1.h5" --out "$work/reference-v1.h5" --data "$data" --samples 16
/usr/bin/python3 "$here/check_model.py" "$here/../io/format-v1.h5" "$work/reference-v1.h5" --tolerance 1e-5
