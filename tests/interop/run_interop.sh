#!/usr/bin/env bash
# Trains a small model of each flavour, exports the engine's reference outputs and checks them from Python
# (h5py + NumPy), then two variants of them and a version-1 file. Each check prints "1 passed, 0 failed" or
# "0 passed, 1 failed"; the last line counts them ("interop: 6 passed, 0 failed"), the line the ctest
# interop_h5py looks for.
set -euo pipefail
cli=$1 data=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
images=$data/t10k-images-idx3-ubyte.gz
mkdir -p "$work"
passed=0 failed=0

# check NAME MODEL.h5 TOLERANCE EXPORT-DATA: export the engine's outputs and compare them with check_model.py.
check() {
  local name=$1 model=$2 tolerance=$3 export_data=$4
  echo "== $name"
  if "$cli" export --model "$model" --out "$work/reference-$name.h5" --data "$export_data" --samples 64 &&
    /usr/bin/python3 "$here/check_model.py" "$model" "$work/reference-$name.h5" --tolerance "$tolerance" \
      --images "$images"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
}

# train NAME ARGS...: a one-epoch model on a few samples, $work/NAME.h5.
train() {
  local name=$1
  shift
  "$cli" train --epochs 1 --test-samples 100 --latent 8 --out "$work/$name.h5" "$@" > /dev/null
}

train dense --data "$data" --train-samples 2000 --hidden 64,32 --activation softplus
check dense "$work/dense.h5" 1e-5 "$data"

# Two stride-2 convolutions (1x28x28 -> 4x14x14 -> 8x7x7) into 32 units; relu, the conv default.
train conv --data "$data" --flavour conv --train-samples 500 --conv-channels 4,8 --hidden 32
check conv "$work/conv.h5" 1e-5 "$data"

# MNIST read as 28 steps of 28 pixels; two stacked LSTMs of 16 units, mean pooling (last is the default).
train recurrent --data "mnist-rows:$data" --flavour recurrent --train-samples 300 --lstm-hidden 16 \
  --lstm-layers 2 --pooling mean
check recurrent "$work/recurrent.h5" 1e-5 "mnist-rows:$data"

# Variants no command trains today, made from the models above with h5py: a Gaussian likelihood (the decoder's
# output is the mean) and a decoder without class input (class_input 0, no decoder.input.Wy).
/usr/bin/python3 "$here/variant_model.py" "$work/conv.h5" "$work/conv-gaussian.h5" --gaussian
check conv-gaussian "$work/conv-gaussian.h5" 1e-5 "$data"
/usr/bin/python3 "$here/variant_model.py" "$work/recurrent.h5" "$work/recurrent-no-class-input.h5" --no-class-input
check recurrent-no-class-input "$work/recurrent-no-class-input.h5" 1e-5 "mnist-rows:$data"

# A version-1 file (variable-length strings, no checksums, no input layout) reads the same way.
check format-v1 "$here/../io/format-v1.h5" 1e-5 "$data"

echo "interop: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
