#!/usr/bin/env bash
# A model travels to PyTorch and back (python/README.md): latentlab-cli trains a tiny model; latentlab_torch
# reproduces the engine's outputs from the file (check_engine_outputs.py), trains one epoch on the same 500
# samples and writes the file back; latentlab-cli eval then gives the accuracy PyTorch reported (to one test
# sample, for float rounding in an argmax), inspect reads the file, and train --resume continues it.
# Exits 77 (skipped) when torch cannot be imported.
set -euo pipefail
cli=$1 data=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
if ! "$py" -c "import torch" 2> /dev/null; then
  echo "torch is not importable: skipped (apt-get install python3-torch)"
  exit 77
fi
rm -rf "$work" && mkdir -p "$work"
export PYTHONPATH="$here/.." OMP_NUM_THREADS=1
common=(--train-samples 500 --test-samples 100)
"$cli" train --data "$data" "${common[@]}" --epochs 1 --hidden 32 --latent 4 --seed 3 --out "$work/engine.h5" > /dev/null
"$cli" export --model "$work/engine.h5" --data "$data" --out "$work/reference.h5" --samples 32 > /dev/null
"$py" "$here/check_engine_outputs.py" "$work/engine.h5" "$work/reference.h5" --tolerance 1e-5
"$py" -m latentlab_torch train --model "$work/engine.h5" --data "$data" "${common[@]}" --epochs 1 \
  --out "$work/torch.h5" --json | tee "$work/torch.txt"
torch_acc=$(tail -1 "$work/torch.txt" | "$py" -c "import json, sys; print(json.load(sys.stdin)['test_accuracy'])")
"$cli" eval --model "$work/torch.h5" --data "$data" --test-samples 100 --json | tee "$work/eval.txt"
engine_acc=$(tail -1 "$work/eval.txt" | "$py" -c "import json, sys; print(json.load(sys.stdin)['test_accuracy'])")
"$py" - "$torch_acc" "$engine_acc" <<'PY'
import sys
torch_acc, engine_acc = map(float, sys.argv[1:])
ok = abs(torch_acc - engine_acc) <= 0.01 + 1e-9
print(f'accuracy: PyTorch {torch_acc:.4f}, latentlab-cli eval {engine_acc:.4f}: {"agree" if ok else "DIFFER"}')
sys.exit(0 if ok else 1)
PY
"$cli" inspect "$work/torch.h5" | grep -E "^training +epoch 2 of 2"
"$cli" train --resume "$work/torch.h5" --data "$data" "${common[@]}" --epochs 3 --out "$work/resumed.h5" | tail -2
"$cli" inspect "$work/resumed.h5" | grep -E "^training +epoch 3 of 3"
echo "round trip: 1 passed, 0 failed"
