"""FaceNet input preprocessing, identical to the LINTAS runtime.

A face crop is a 160x160 RGB image with values 0-255. It is standardised over the
whole image, (x - mean) / max(std, 1/sqrt(N)) with N = 160*160*3, and fed as
NHWC float32 of shape [1, 160, 160, 3].
"""

import numpy as np

SIZE = 160
INPUT_SHAPE = (1, SIZE, SIZE, 3)


def standardise(rgb: np.ndarray) -> np.ndarray:
    """Turn one HxWx3 RGB 0-255 crop into the model input [1, 160, 160, 3] float32."""
    x = np.asarray(rgb, dtype=np.float32)
    if x.shape != INPUT_SHAPE[1:]:
        raise ValueError(f"expected a {SIZE}x{SIZE}x3 RGB crop, got shape {x.shape}")
    std = max(float(x.std()), 1.0 / np.sqrt(x.size))
    return ((x - x.mean()) / std).astype(np.float32)[None]
