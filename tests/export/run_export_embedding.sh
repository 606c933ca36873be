#!/usr/bin/env bash
# Trains a tiny model, exports its latent means (images: a sprite) and q(y|x) log-ratios of sequential MNIST
# (rows as steps: a heat-map sprite), and checks both folders with NumPy (check_embedding.py).
set -euo pipefail
cli=$1 data=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work" && mkdir -p "$work"
"$cli" train --data "$data" --train-samples 1000 --test-samples 200 --epochs 1 --hidden 32 --latent 6 \
  --out "$work/model.h5" > /dev/null
"$cli" export-embedding --model "$work/model.h5" --data "$data" --out "$work/mu" --samples 150 --input mu
/usr/bin/python3 "$here/check_embedding.py" "$work/mu" 150 6 28 28
"$cli" export-embedding --model "$work/model.h5" --data "mnist-rows:$data" --out "$work/clr" --samples 50 \
  --set training --input clr
/usr/bin/python3 "$here/check_embedding.py" "$work/clr" 50 10 28 28
"$cli" export-embedding --model "$work/model.h5" --data "$data" --out "$work/nosprite" --samples 10 --no-sprite
/usr/bin/python3 "$here/check_embedding.py" "$work/nosprite" 10 6 0 0
