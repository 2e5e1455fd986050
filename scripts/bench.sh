#!/usr/bin/env bash
# Times the face pipeline (`lintas bench`) and, in the same run, onnxruntime on one thread on
# the same model files (`models/build.sh bench`), then prints tract/onnxruntime ratios.
# Needs the fp32 model from `models/build.sh` for the fp32 rows. RUNS sets the runs per stage.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
CACHE=${LINTAS_CACHE:-$HOME/.cache/lintas}
FP32=$CACHE/models/out/facenet_fp32.onnx
RUNS=${RUNS:-50}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

cargo build --quiet --release --locked -p lintas-cli
target=${CARGO_TARGET_DIR:-target}
"$target/release/lintas" bench --runs "$RUNS" --fp32 "$FP32" --json >"$OUT/tract.json"

ort() { models/build.sh bench "$@" --runs "$RUNS"; }
{
    ort models/facenet_int8.onnx
    [[ -f $FP32 ]] && ort "$FP32"
    ort models/yunet_2023mar.onnx --shape 1,3,320,320 --fill pixels
    ort models/yunet_2023mar.onnx --shape 1,3,640,640 --fill pixels
} >"$OUT/ort.jsonl"

python3 - "$OUT/tract.json" "$OUT/ort.jsonl" <<'PY'
import json, sys
tract = json.load(open(sys.argv[1]))
ort = [json.loads(line) for line in open(sys.argv[2]) if line.startswith("{")]
def ort_ms(stage):
    for o in ort:
        name, shape = o["model"], o["shape"]
        if "YuNet network alone" in stage and name.startswith("yunet") and f"{shape[2]}x{shape[3]}" in stage:
            return o["median_ms"]
        if stage.startswith("embed facenet-int8") and "int8" in name:
            return o["median_ms"]
        if stage.startswith("embed facenet-fp32") and "fp32" in name:
            return o["median_ms"]
    return None
print(f"| stage | tract median ms | tract p90 ms | onnxruntime median ms | tract / onnxruntime |")
print("| --- | ---: | ---: | ---: | ---: |")
for t in tract:
    o = ort_ms(t["stage"])
    ratio = f"{t['median_ms'] / o:.2f}" if o else ""
    print(f"| {t['stage']} | {t['median_ms']:.2f} | {t['p90_ms']:.2f} | {o if o else ''} | {ratio} |")
PY
