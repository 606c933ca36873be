"""Data as the engine reads it, for training in PyTorch on what the workbench trained on.

Every sample is one row of D float32 features laid out as the engine lays them out (engine/data/SampleShape.h):
images channels-last, feature (y * width + x) * channels + c; sequences time-major, feature t * channels + c.
IDX images are divided by 255 as the engine does (x = u8 * (1/255), in float32), so the training set's
fingerprint is the one the engine computes (engine/data/Fingerprint.h).
"""
import gzip
import os
import struct
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Split:
    x: np.ndarray  # (N, D) float32
    labels: np.ndarray  # (N,) int64, or an empty array for unlabelled data
    classes: int = 10
    class_names: list = field(default_factory=list)

    def __len__(self):
        return len(self.x)

    def head(self, n):
        n = min(int(n), len(self.x))
        return Split(self.x[:n], self.labels[:n] if len(self.labels) else self.labels, self.classes, self.class_names)


@dataclass
class Data:
    train: Split
    test: Split
    source: str = ''


def _open(path):
    for candidate in (path, path + '.gz'):
        if os.path.isfile(candidate):
            return gzip.open(candidate, 'rb') if candidate.endswith('.gz') else open(candidate, 'rb')
    raise FileNotFoundError(f'missing {path} (or {path}.gz)')


def read_idx(path):
    """An IDX file (raw or gzip-compressed) as a NumPy array of its declared shape (unsigned bytes only)."""
    with _open(path) as f:
        raw = f.read()
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise ValueError(f'{path}: not an IDX file of unsigned bytes')
    dims = struct.unpack('>' + 'I' * raw[3], raw[4:4 + 4 * raw[3]])
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * raw[3])
    if data.size != int(np.prod(dims)):
        raise ValueError(f'{path}: {data.size} bytes for dimensions {dims}')
    return data.reshape(dims)


FASHION_NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag',
                 'Ankle boot']


def _class_names(folder, classes):
    listing = os.path.join(folder, 'classes.txt')
    if os.path.isfile(listing):
        with open(listing, encoding='utf-8') as f:
            names = [line.strip() for line in f if line.strip()]
        if len(names) == classes:
            return names
    if classes == 10 and 'fashion' in os.path.basename(os.path.normpath(folder)).lower():
        return list(FASHION_NAMES)
    return [str(k) for k in range(classes)]


def load_idx_folder(folder, classes=10):
    """The four IDX files of MNIST or Fashion-MNIST: train-/t10k-images-idx3-ubyte and -labels-idx1-ubyte."""
    splits = []
    for prefix in ('train', 't10k'):
        images = read_idx(os.path.join(folder, f'{prefix}-images-idx3-ubyte'))
        labels = read_idx(os.path.join(folder, f'{prefix}-labels-idx1-ubyte')).astype(np.int64)
        if len(images) != len(labels):
            raise ValueError(f'{folder}: {len(images)} {prefix} images but {len(labels)} labels')
        x = images.reshape(len(images), -1).astype(np.float32) * np.float32(1.0 / 255.0)
        splits.append(Split(x, labels, classes, _class_names(folder, classes)))
    return Data(splits[0], splits[1], folder)


def load_data(spec, classes=10):
    """A data set as latentlab-cli --data names it: an IDX folder, or mnist-rows:DIR (the same rows read as a
    sequence of 28 steps of 28 channels, which is the same feature order)."""
    if spec.startswith('mnist-rows:'):
        return load_idx_folder(spec[len('mnist-rows:'):], classes)
    if spec == 'mnist-rows':
        return load_idx_folder('datasets/mnist', classes)
    if os.path.isdir(spec):
        return load_idx_folder(spec, classes)
    if spec.endswith('.npz'):
        return load_npz(spec)
    raise ValueError(f'{spec}: an IDX folder, mnist-rows:DIR or an .npz of x_train, y_train, x_test, y_test')


def load_npz(path, names=('x_train', 'y_train', 'x_test', 'y_test')):
    """An .npz with training and test arrays already split (uint8 images are divided by 255; floats kept).
    Images given as (n, H, W, C) stay channels-last; (n, H, W) are one channel; rows of D features as they are."""
    z = np.load(path)

    def features(a):
        a = np.asarray(a)
        x = a.reshape(len(a), -1)
        return x.astype(np.float32) * np.float32(1.0 / 255.0) if a.dtype == np.uint8 else x.astype(np.float32)

    xtr, ytr, xte, yte = (z[n] if n in z.files else None for n in names)
    if xtr is None:
        raise ValueError(f'{path}: no array {names[0]}')
    ytr = np.asarray(ytr, dtype=np.int64) if ytr is not None else np.zeros(0, np.int64)
    classes = int(ytr.max()) + 1 if len(ytr) else 0
    train = Split(features(xtr), ytr, classes, [str(k) for k in range(classes)])
    test = Split(features(xte) if xte is not None else np.zeros((0, train.x.shape[1]), np.float32),
                 np.asarray(yte, dtype=np.int64) if yte is not None else np.zeros(0, np.int64), classes,
                 train.class_names)
    return Data(train, test, path)


def fingerprint(split, limit_bytes=16 << 20):
    """The engine's fingerprint of a training set (FNV-1a over the dimensions, the float32 features and the int32
    labels), or None when the data is larger than limit_bytes (a byte-by-byte hash in Python takes a while)."""
    x = np.ascontiguousarray(split.x, dtype='<f4')
    labels = np.ascontiguousarray(split.labels, dtype='<i4')
    if x.nbytes + labels.nbytes > limit_bytes:
        return None
    h = 1469598103934665603
    mask = (1 << 64) - 1
    for chunk in (struct.pack('<iii', x.shape[1] if x.ndim == 2 else 0, len(x), split.classes), x.tobytes(),
                  labels.tobytes()):
        for b in chunk:
            h = ((h ^ b) * 1099511628211) & mask
    return f'fnv1a64:{h:016x}'
