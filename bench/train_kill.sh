#!/usr/bin/env bash
# kill -9 at random moments of a training that saves with --out after every (short) epoch. After each kill the
# file must be absent (killed before the first save) or a complete model file (`inspect --check` reads it all,
# checksums included), and its epochs done must never go back: the old file or the new one, never damaged.
# Each round continues the last one's file with --resume when there is one. Prints the tally; exits 1 on any
# damaged file or lost epoch.
#   bench/train_kill.sh CLI [ROUNDS] [FOLDER] [MNIST]
set -euo pipefail
cli=$1 rounds=${2:-100} folder=${3:-$(mktemp -d)} data=${4:-$(dirname "$0")/../datasets/mnist}
mkdir -p "$folder"
file="$folder/model.h5"
rm -f "$file" "$file".*.part
intact=0 absent=0 damaged=0 regressed=0 last=0
for ((r = 1; r <= rounds; ++r)); do
  args=(train --data "$data" --train-samples 600 --test-samples 100 --hidden 16 --latent 2 --batch 100
        --labelled-batch 20 --labels 20 --epochs 100000 --out "$file")
  if [ -f "$file" ]; then args=(train --data "$data" --train-samples 600 --test-samples 100 --resume "$file"
                                 --epochs 100000 --out "$file"); fi
  "$cli" "${args[@]}" > /dev/null 2>&1 &
  pid=$!
  sleep "$(awk -v s=$RANDOM 'BEGIN { srand(s); printf "%.3f", 1.0 + rand() * 2.0 }')"
  kill -9 "$pid" 2> /dev/null || true
  wait "$pid" 2> /dev/null || true
  if [ ! -f "$file" ]; then absent=$((absent + 1)); continue; fi
  if ! "$cli" inspect --check "$file" > /dev/null 2>&1; then
    damaged=$((damaged + 1)); cp "$file" "$folder/damaged-$r.h5"; echo "round $r: damaged file"; rm -f "$file"; continue
  fi
  now=$("$cli" inspect "$file" | sed -n 's/^training *epoch \([0-9]*\) of.*/\1/p' | head -1)
  now=${now:-0}
  if [ "$now" -lt "$last" ]; then regressed=$((regressed + 1)); echo "round $r: epoch $now after $last"; fi
  last=$now
  intact=$((intact + 1))
done
left=$(find "$folder" -name 'model.h5.*.part' | wc -l)
echo "kill -9 during training saves: $rounds rounds, $intact intact, $absent before the first save, $damaged damaged, $regressed went back, $left temporary files left, last epoch $last"
[ "$damaged" -eq 0 ] && [ "$regressed" -eq 0 ]
