"""Quantize FaceNet to int8 and compare it with fp32 on held-out face crops.

CROPS_DIR holds 160x160 RGB PNG face crops (*.png, not recursive), preprocessed here
exactly like the runtime (facenet_input.py). The crops are split deterministically:
they are grouped by identity (the file name before its first "__", or the whole name
when it has none), the groups are ordered by the SHA-256 of the identity, and whole
groups go to the held-out set until it holds at least --holdout of the crops; the rest
calibrate.

Quantization uses onnxruntime.quantization: quant_pre_process, then quantize_static in
QOperator format, per tensor, uint8 activations and int8 weights, restricted to ops
whose quantized form is standard ONNX: Conv (QLinearConv), MatMul (QLinearMatMul),
Relu (folded into the QLinearConv before it) and MaxPool (run on uint8). Add, Mul,
GlobalAveragePool and the like would become com.microsoft contrib ops, which tract cannot
load, so they stay float; the script fails if any com.microsoft node remains.

Two refinements, both on by default (measured in tract 0.23.9 against the plain
per-tensor model: held-out cosine mean 0.99792 -> 0.99944, int8 embed time about -4%):
  --float-nodes   nodes left in fp32 (default: the first two stem convolutions). Almost all
                  the int8 error came from quantizing the output of Conv2d_1a to uint8 as
                  input of Conv2d_2a; keeping both float costs ~2% of the int8 time.
  --concat uint8  Concat runs on the uint8 tensors (standard ONNX Concat accepts any type)
                  instead of DequantizeLinear -> float Concat -> QuantizeLinear: every
                  QLinearConv feeding a block's Concat writes directly with the Concat's
                  calibrated scale and zero point (union of its inputs' ranges). Removes 21
                  QuantizeLinear and 47 DequantizeLinear nodes; --concat float keeps them.

Writes --out and, next to it, <stem>.report.json: the cosine between the int8 and fp32
L2-normalised embeddings of every held-out crop (mean, median, min).
"""

import argparse
import hashlib
import json
import tempfile
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from onnxruntime.quantization import (
    CalibrationDataReader,
    CalibrationMethod,
    QuantFormat,
    QuantType,
    quant_pre_process,
    quantize_static,
)
from PIL import Image

from facenet_input import standardise

OPS_TO_QUANTIZE = ["Conv", "MatMul", "Relu", "MaxPool"]
METHODS = {
    "minmax": CalibrationMethod.MinMax,
    "percentile": CalibrationMethod.Percentile,
    "entropy": CalibrationMethod.Entropy,
}
MAX_CALIB_CHUNK = 32  # crops per calibration pass; bounds the memory held by the calibrator
# Quantizing Conv2d_1a's output (the input of Conv2d_2a) to uint8 costs most of the fidelity.
FLOAT_NODES = [
    "inception_resnet_v1/Conv2d_1a_3x3/Conv2D",
    "inception_resnet_v1/Conv2d_2a_3x3/Conv2D",
]


def identity(path: Path) -> str:
    return path.name.split("__", 1)[0] if "__" in path.name else path.name


def split(crops: list[Path], holdout: float) -> tuple[list[Path], list[Path]]:
    """Return (calibration, held_out), keeping each identity on one side."""
    groups: dict[str, list[Path]] = {}
    for crop in crops:
        groups.setdefault(identity(crop), []).append(crop)
    if len(groups) < 2:
        raise SystemExit("need crops of at least two identities to hold some out")
    order = sorted(groups, key=lambda name: hashlib.sha256(name.encode()).hexdigest())
    held_out: list[Path] = []
    for name in order[:-1]:  # the last group always calibrates
        if len(held_out) >= holdout * len(crops):
            break
        held_out += groups[name]
    held = set(held_out)
    return [c for c in crops if c not in held], sorted(held_out)


def load(crop: Path) -> np.ndarray:
    with Image.open(crop) as img:
        return standardise(np.asarray(img.convert("RGB")))


class CropReader(CalibrationDataReader):
    """Feeds the calibration crops; set_range lets onnxruntime calibrate in chunks."""

    def __init__(self, crops: list[Path], input_name: str):
        self.crops, self.input_name = crops, input_name
        self.set_range(0, len(crops))

    def __len__(self) -> int:
        return len(self.crops)

    def set_range(self, start_index: int, end_index: int) -> None:
        self.pending = iter(self.crops[start_index:end_index])

    def get_next(self) -> dict | None:
        crop = next(self.pending, None)
        return None if crop is None else {self.input_name: load(crop)}


def chunk_size(n: int) -> int:
    """Largest divisor of n up to MAX_CALIB_CHUNK (onnxruntime needs chunks that divide n)."""
    return max(d for d in range(1, min(n, MAX_CALIB_CHUNK) + 1) if n % d == 0)


def uint8_concats(model: onnx.ModelProto) -> int:
    """Rewrite DequantizeLinear* -> Concat -> QuantizeLinear as a Concat of the uint8 tensors.

    Only where every Concat input is the DequantizeLinear of a QLinearConv output that feeds
    nothing else and the Concat feeds only the QuantizeLinear: each such QLinearConv then
    takes the QuantizeLinear's scale and zero point as its own output ones. Returns the
    number of Concats rewritten.
    """
    graph = model.graph
    producer = {o: n for n in graph.node for o in n.output}
    consumers: dict[str, list] = {}
    for n in graph.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)
    outputs = {o.name for o in graph.output}

    def only_user(tensor: str):
        users = consumers.get(tensor, [])
        return users[0] if len(users) == 1 and tensor not in outputs else None

    dropped, count = set(), 0
    for concat in graph.node:
        if concat.op_type != "Concat":
            continue
        quant = only_user(concat.output[0])
        dequants = [producer.get(i) for i in concat.input]
        if quant is None or quant.op_type != "QuantizeLinear" or not all(
            d is not None
            and d.op_type == "DequantizeLinear"
            and only_user(d.output[0]) is concat
            and d.input[0] in producer
            and producer[d.input[0]].op_type == "QLinearConv"
            and only_user(d.input[0]) is d
            for d in dequants
        ):
            continue
        for dq in dequants:
            conv = producer[dq.input[0]]
            conv.input[6], conv.input[7] = quant.input[1], quant.input[2]  # y_scale, y_zero_point
            dropped.add(id(dq))
        concat.input[:] = [dq.input[0] for dq in dequants]
        concat.output[0] = quant.output[0]
        dropped.add(id(quant))
        count += 1
    kept = [n for n in graph.node if id(n) not in dropped]
    del graph.node[:]
    graph.node.extend(kept)
    used = {i for n in graph.node for i in n.input}
    unused = [t for t in graph.initializer if t.name not in used]
    for t in unused:
        graph.initializer.remove(t)
    return count


def quantize(
    fp32: Path,
    out: Path,
    calib: list[Path],
    method: str,
    percentile: float,
    float_nodes: list[str],
    concat: str,
) -> None:
    input_name = onnx.load(fp32, load_external_data=False).graph.input[0].name
    with tempfile.TemporaryDirectory() as tmp:
        prepared = Path(tmp) / "prepared.onnx"
        # Fixed shapes: ONNX shape inference suffices, symbolic inference (sympy) is not needed.
        quant_pre_process(str(fp32), str(prepared), skip_symbolic_shape=True)
        names = {n.name for n in onnx.load(prepared).graph.node}
        missing = sorted(set(float_nodes) - names)
        if missing:
            raise SystemExit(f"--float-nodes not in the model: {missing}")
        quantize_static(
            str(prepared),
            str(out),
            CropReader(calib, input_name),
            quant_format=QuantFormat.QOperator,
            op_types_to_quantize=OPS_TO_QUANTIZE,
            per_channel=False,
            activation_type=QuantType.QUInt8,
            weight_type=QuantType.QInt8,
            nodes_to_exclude=float_nodes,
            calibrate_method=METHODS[method],
            extra_options={"CalibStridedMinMax": chunk_size(len(calib)), "CalibPercentile": percentile},
        )
    model = onnx.load(out)
    rewritten = uint8_concats(model) if concat == "uint8" else 0
    contrib = sorted({n.op_type for n in model.graph.node if n.domain == "com.microsoft"})
    if contrib:
        raise SystemExit(f"{out} has com.microsoft ops {contrib}, which tract cannot load")
    # quant_pre_process saves through onnxruntime, which declares every domain it knows
    # (com.microsoft, org.pytorch.aten, ...); keep only the opsets the graph uses.
    used = {n.domain for n in model.graph.node}
    kept = [o for o in model.opset_import if o.domain in used]
    if len(kept) != len(model.opset_import) or rewritten:
        del model.opset_import[:]
        model.opset_import.extend(kept)
        onnx.save(model, out)
    onnx.checker.check_model(str(out))


def embeddings(model: Path, crops: list[Path]) -> np.ndarray:
    session = ort.InferenceSession(str(model), providers=["CPUExecutionProvider"])
    name = session.get_inputs()[0].name
    emb = np.concatenate([session.run(None, {name: load(c)})[0] for c in crops])
    return emb / np.linalg.norm(emb, axis=1, keepdims=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("crops_dir", type=Path, help="directory of 160x160 RGB PNG face crops")
    ap.add_argument("--fp32", type=Path, required=True, help="facenet_fp32.onnx")
    ap.add_argument("--out", type=Path, required=True, help="int8 model to write")
    ap.add_argument("--method", choices=sorted(METHODS), default="entropy", help="calibration method")
    ap.add_argument("--percentile", type=float, default=99.999, help="for --method percentile")
    ap.add_argument("--holdout", type=float, default=0.2, help="fraction of crops held out")
    ap.add_argument(
        "--float-nodes",
        nargs="*",
        default=FLOAT_NODES,
        metavar="NODE",
        help="node names to keep in fp32 (default: the first two stem convolutions; "
        "give the option alone for none)",
    )
    ap.add_argument(
        "--concat",
        choices=["uint8", "float"],
        default="uint8",
        help="run the blocks' Concats on uint8 (default) or dequantize around them",
    )
    args = ap.parse_args()

    crops = sorted(args.crops_dir.glob("*.png"))
    if not crops:
        raise SystemExit(f"no *.png in {args.crops_dir}")
    calib, held_out = split(crops, args.holdout)
    print(f"{len(crops)} crops: {len(calib)} calibrate, {len(held_out)} held out")

    args.out.parent.mkdir(parents=True, exist_ok=True)
    quantize(args.fp32, args.out, calib, args.method, args.percentile, args.float_nodes, args.concat)

    cos = np.sum(embeddings(args.fp32, held_out) * embeddings(args.out, held_out), axis=1)
    report = {
        "model": args.out.name,
        "sha256": hashlib.sha256(args.out.read_bytes()).hexdigest(),
        "fp32_model": args.fp32.name,
        "fp32_sha256": hashlib.sha256(args.fp32.read_bytes()).hexdigest(),
        "onnxruntime": ort.__version__,
        "method": args.method,
        **({"percentile": args.percentile} if args.method == "percentile" else {}),
        "float_nodes": args.float_nodes,
        "concat": args.concat,
        "crops_dir": str(args.crops_dir.resolve()),
        "calibration_crops": len(calib),
        "held_out_crops": len(held_out),
        "cosine_int8_vs_fp32": {
            "mean": float(cos.mean()),
            "median": float(np.median(cos)),
            "min": float(cos.min()),
            "min_crop": held_out[int(cos.argmin())].name,
        },
        "held_out": [c.name for c in held_out],
    }
    report_path = args.out.with_name(args.out.stem + ".report.json")
    report_path.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report["cosine_int8_vs_fp32"]))
    print(f"wrote {args.out} and {report_path}")


if __name__ == "__main__":
    main()
