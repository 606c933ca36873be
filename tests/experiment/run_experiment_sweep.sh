#!/bin/sh
# `latentlab-cli experiment` end to end on a tiny sweep (runs of a few steps): results written once and skipped
# when done, --plan's command lines, report merging partial results, a damaged file skipped and rerun, and a run
# interrupted mid-way leaving no file that would count as done.
set -eu
CLI="$1"
MNIST="$2"
D="$3/experiment-sweep"
rm -rf "$D"
tiny="--data $MNIST --epochs 1 --label-counts 100 --train-samples 300 --test-samples 100"
fail() { echo "FAIL: $*"; exit 1; }

"$CLI" experiment classification $tiny --seeds 1 --out "$D" > "$D.log1" 2>&1 || { cat "$D.log1"; fail "sweep"; }
for arm in ss eq_s; do
  test -s "$D/mnist-dense-$arm-100-s1-e1-n300-t100.json" || fail "no result for $arm"
  grep -q '"test_accuracy": 0\.[0-9]*' "$D/mnist-dense-$arm-100-s1-e1-n300-t100.json" || fail "no accuracy for $arm"
  grep -q '"commit": "' "$D/mnist-dense-$arm-100-s1-e1-n300-t100.json" || fail "no commit"
  grep -q '"machine": {"cpu": "' "$D/mnist-dense-$arm-100-s1-e1-n300-t100.json" || fail "no machine"
done
test -s "$D/report.md" || fail "no report"
grep -q '| mnist | dense, 1 epoch, 300 training samples | 100 |' "$D/report.md" || fail "report has no row for 100 labels"

# Done runs are skipped, their files untouched.
before=$(cat "$D"/*.json | cksum)
"$CLI" experiment classification $tiny --seeds 1 --out "$D" > "$D.log2" 2>&1
test "$(grep -c 'done before, skipped' "$D.log2")" = 2 || { cat "$D.log2"; fail "done runs not skipped"; }
test "$before" = "$(cat "$D"/*.json | cksum)" || fail "a done run's file changed"

# --plan: the done runs as comments, one command line per run to do.
"$CLI" experiment classification $tiny --seeds 1,2 --out "$D" --plan > "$D.plan"
test "$(grep -c '^# done: ' "$D.plan")" = 2 || { cat "$D.plan"; fail "plan: done runs"; }
test "$(grep -c '^latentlab-cli experiment classification .* --only mnist-dense-.*-s2-' "$D.plan")" = 2 ||
  { cat "$D.plan"; fail "plan: runs to do"; }

# One planned run on its own (as a scheduler would), then the report merges the partial sweep.
line=$(grep -- '--only mnist-dense-ss-100-s2' "$D.plan" | sed "s|^latentlab-cli|$CLI|")
sh -c "$line" > "$D.log3" 2>&1 || { cat "$D.log3"; fail "--only run"; }
test -s "$D/mnist-dense-ss-100-s2-e1-n300-t100.json" || fail "--only wrote no result"
test ! -e "$D/mnist-dense-eq_s-100-s2-e1-n300-t100.json" || fail "--only ran another run"
"$CLI" experiment report "$D" > "$D.log4" 2>&1 || { cat "$D.log4"; fail "report"; }
grep -q '3 results merged' "$D.log4" || { cat "$D.log4"; fail "report did not merge 3 results"; }
grep -q '| mnist | dense, 1 epoch, 300 training samples | 100 | .* | 2/1 |' "$D/report.md" || { cat "$D/report.md"; fail "report: seeds per arm"; }

# A damaged result file is skipped by the report with its reason, and run again by the sweep.
printf '{"id": "mnist-dense-eq_s-100-s2-e1-n300-t100", "fig' > "$D/mnist-dense-eq_s-100-s2-e1-n300-t100.json"
"$CLI" experiment report "$D" > "$D.log5" 2>&1
grep -q 'skipped mnist-dense-eq_s-100-s2-e1-n300-t100.json: JSON: ' "$D.log5" || { cat "$D.log5"; fail "damaged file"; }
"$CLI" experiment classification $tiny --seeds 2 --out "$D" > "$D.log6" 2>&1
grep -q 'eq_s-100-s2-e1-n300-t100: finished' "$D.log6" || { cat "$D.log6"; fail "damaged file not rerun"; }

# Interrupted mid-run (Ctrl-C): exit 130, no result file and no temporary file for that run.
"$CLI" experiment classification --data "$MNIST" --epochs 200 --label-counts 100 --train-samples 2000 \
  --test-samples 100 --seeds 7 --out "$D" > "$D.log7" 2>&1 &
pid=$!
for i in $(seq 1 600); do grep -q '^# latentlab experiment' "$D.log7" && break; sleep 0.1; done
sleep 1
kill -INT $pid
rc=0
wait $pid || rc=$?
test "$rc" = 130 || { cat "$D.log7"; fail "interrupted sweep exit $rc"; }
grep -q 'stopped (no result written' "$D.log7" || { cat "$D.log7"; fail "no stop message"; }
stopped=$(sed -n 's/^\[[0-9/]*\] \(.*\): stopped.*/\1/p' "$D.log7")
test -n "$stopped" || fail "which run stopped"
test ! -e "$D/$stopped.json" || fail "the interrupted run $stopped left a result"
if ls "$D" | grep -q '\.part$'; then ls "$D"; fail "a temporary file was left"; fi

# Bad requests: a clear message, exit 2.
if "$CLI" experiment classification --data "$MNIST" --out "$D" --only no-such-run > "$D.log8" 2>&1; then fail "bad --only"; fi
grep -q 'no such run in this sweep' "$D.log8" || fail "bad --only message"
if "$CLI" experiment anomaly --data "$MNIST" --holdout 12 --out "$D" --plan > "$D.log9" 2>&1; then fail "bad holdout"; fi
grep -q 'no class 12 to hold out' "$D.log9" || { cat "$D.log9"; fail "bad holdout message"; }
echo "experiment sweep: ok"
