#!/usr/bin/env bash
# kill -9 at random moments of a labelling session's saves: label-save-driver (bench/label_save_driver.cpp)
# reopens the label file, labels one sample after another and saves after each, as the workbench does; it is
# killed after a random 0-99 ms, ROUNDS times, each round reopening what the last one left. After each kill
# the file must read as the old or the new one (never damaged, never missing), hold every label whose save
# had returned, and the previous copy must be good. Prints the tally; exits 1 on any damage or lost label.
#   bench/label_kill.sh DRIVER [ROUNDS] [FOLDER]
set -euo pipefail
driver=$1 rounds=${2:-100} folder=${3:-$(mktemp -d)}
mkdir -p "$folder"
file="$folder/labels.csv"
rm -f "$file" "$file".previous "$file".part-*
ok=0 damaged=0 lost=0 fromPrevious=0 inFlight=0 maxTemporaries=0 saves=0 inTemporary=0 beforeFirst=0
for ((r = 1; r <= rounds; r++)); do
  out="$folder/round.out"
  "$driver" run "$file" >"$out" 2>&1 &
  pid=$!
  sleep "0.$(printf "%02d" $((RANDOM % 100)))"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if compgen -G "$file.part-$pid-*" >/dev/null; then inTemporary=$((inTemporary + 1)); fi
  acknowledged=$( (grep -a '^saved ' "$out" || true) | tail -1 | awk '{print $2}')
  before=${lastCount:-0}
  if [ -z "$acknowledged" ]; then beforeFirst=$((beforeFirst + 1)); fi
  acknowledged=${acknowledged:-$before}
  result=$("$driver" check "$file" || true)
  case "$result" in
    ok*)
      read -r _ count source _ temporaries <<<"$result"
      if [ "$count" -lt "$acknowledged" ]; then
        lost=$((lost + 1))
        echo "round $r: LOST labels: $count in the file, $acknowledged saves had returned"
      elif [ "$count" -gt $((acknowledged + 1)) ]; then
        damaged=$((damaged + 1))
        echo "round $r: $count labels but only $acknowledged (+1 in flight) saved"
      else
        ok=$((ok + 1))
      fi
      [ "$source" = from-previous ] && fromPrevious=$((fromPrevious + 1))
      [ "$count" -eq $((acknowledged + 1)) ] && inFlight=$((inFlight + 1))
      [ "$temporaries" -gt "$maxTemporaries" ] && maxTemporaries=$temporaries
      saves=$((saves + count - before))
      lastCount=$count
      ;;
    *)
      damaged=$((damaged + 1))
      echo "round $r: $result"
      ;;
  esac
done
echo "label file kill -9: $rounds kills, $saves saves in all: $ok old-or-new and complete, $damaged damaged, $lost with lost labels;"
echo "  kills: $beforeFirst before the first save returned, $inTemporary while a temporary of the save existed, $inFlight"
echo "  after the rename of a save that had not yet returned; $fromPrevious read from the previous copy; at most"
echo "  $maxTemporaries temporaries left over (a later save removes them)"
[ "$damaged" -eq 0 ] && [ "$lost" -eq 0 ]
