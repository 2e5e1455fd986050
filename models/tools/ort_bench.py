"""Reference CPU timing of an ONNX model with onnxruntime on one thread.

Runs MODEL with intra-op and inter-op threads set to 1 on a random input, --warmup
runs first, then --runs timed runs, and prints one JSON line:
  {"model": ..., "shape": [...], "median_ms": ..., "p90_ms": ..., "runs": ..., ...}

--shape defaults to the model's declared input shape. A shape that differs from a
fixed declared one (e.g. YuNet, declared [1,3,640,640], at 320x320) is allowed by
rewriting the differing input dims as symbolic and dropping the stored intermediate
and output shapes before loading; the JSON then says "relaxed": true.

--fill normal gives standard-normal values (like standardised FaceNet input);
--fill pixels gives uniform 0-255 values (like YuNet's BGR input).

Examples:
  ort_bench.py facenet_fp32.onnx
  ort_bench.py yunet_2023mar.onnx --shape 1,3,320,320 --fill pixels
"""

import argparse
import json
import time
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort


def declared_shape(model: onnx.ModelProto) -> list[int | str]:
    return [d.dim_param or d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim]


def relax(model: onnx.ModelProto, shape: list[int]) -> None:
    """Make the input dims that differ from `shape` symbolic and forget stored shapes."""
    dims = model.graph.input[0].type.tensor_type.shape.dim
    for i, (dim, want) in enumerate(zip(dims, shape)):
        if dim.dim_value and dim.dim_value != want:
            dim.dim_param = f"d{i}"  # setting dim_param clears dim_value
    del model.graph.value_info[:]
    for out in model.graph.output:
        out.type.tensor_type.ClearField("shape")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model", type=Path)
    ap.add_argument("--shape", help="input shape, comma separated, e.g. 1,3,320,320")
    ap.add_argument("--fill", choices=["normal", "pixels"], default="normal")
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--runs", type=int, default=50)
    args = ap.parse_args()

    model = onnx.load(args.model)
    declared = declared_shape(model)
    shape = [int(d) for d in args.shape.split(",")] if args.shape else declared
    if len(shape) != len(declared) or not all(isinstance(d, int) and d > 0 for d in shape):
        raise SystemExit(f"declared input shape {declared}: give a concrete --shape of that rank")
    relaxed = shape != declared
    if relaxed:
        relax(model, shape)

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    session = ort.InferenceSession(model.SerializeToString(), opts, providers=["CPUExecutionProvider"])

    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape) if args.fill == "normal" else rng.uniform(0, 255, shape)
    feed = {session.get_inputs()[0].name: x.astype(np.float32)}
    for _ in range(args.warmup):
        session.run(None, feed)
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        session.run(None, feed)
        times.append((time.perf_counter() - start) * 1000)

    print(json.dumps({
        "model": args.model.name,
        "shape": shape,
        "relaxed": relaxed,
        "median_ms": round(float(np.median(times)), 3),
        "p90_ms": round(float(np.percentile(times, 90)), 3),
        "runs": args.runs,
        "onnxruntime": ort.__version__,
    }))


if __name__ == "__main__":
    main()
