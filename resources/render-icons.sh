#!/usr/bin/env bash
# Renders the icon's PNG sizes (committed, so that a build needs no SVG renderer): 16 and 32 px from
# latentlab-small.svg (drawn on the 16 px grid), the larger ones from latentlab.svg. Needs rsvg-convert
# (Debian: librsvg2-bin). Run after changing either SVG.
set -euo pipefail
cd "$(dirname "$0")/icons"
for size in 16 32; do
  rsvg-convert --width "$size" --height "$size" --output "latentlab-$size.png" latentlab-small.svg
done
for size in 48 64 128 256 512; do
  rsvg-convert --width "$size" --height "$size" --output "latentlab-$size.png" latentlab.svg
done
ls -l latentlab-*.png
