#!/usr/bin/env bash
# Builds a folder for `lintas pad-eval` from the committed fixtures (see docs/LIVENESS.md):
#   OUT/bona_fide/      every colour photo of real faces in tests/fixtures (the largest face of
#                       a group photo is the one scored)
#   OUT/attack/print/   the anti-spoofing models' own photo of a print
#   OUT/attack/screen/  their photo of a phone screen
# Extra folders of bona fide photos given after OUT are linked in too (e.g. a public set of
# face photos, or an office's own captures). Synthetic prints and screens of the bona fide
# photos are added by `lintas pad-eval --synthetic`.
#
#   scripts/pad-set.sh OUT [BONA_FIDE_DIR...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[[ $# -ge 1 ]] || { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
out=$1
shift
rm -rf "$out"
mkdir -p "$out/bona_fide" "$out/attack/print" "$out/attack/screen"
fixtures=tests/fixtures
for photo in "$fixtures"/faces/{kate_siegel/1.jpg,paul_rudd/1.jpg,shea_whigham/1.jpg,ivan/ivan.jpg} \
    "$fixtures"/faces/_multi_face/*.jpg "$fixtures"/liveness/image_T1.jpg "$fixtures"/poses/*/*.jpg; do
    cp "$photo" "$out/bona_fide/$(echo "${photo#"$fixtures"/}" | tr / _)"
done
cp "$fixtures/liveness/image_F1.jpg" "$out/attack/print/"
cp "$fixtures/liveness/image_F2.jpg" "$out/attack/screen/"
for dir in "$@"; do
    find "$dir" -type f \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' \) | while read -r photo; do
        ln -s "$(realpath "$photo")" "$out/bona_fide/extra_$(echo "${photo#"$dir"/}" | tr / _)"
    done
done
echo "pad-set: $(ls "$out/bona_fide" | wc -l) bona fide photos, 1 print, 1 screen in $out"
