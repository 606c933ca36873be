"""Latentlab model files (docs/hdf5-format.md) with h5py and NumPy alone: read one into a tree of groups,
attributes and arrays, change what training changed, and write it back in the format and version that
Latentlab reads.

Version 1: variable-length UTF-8 string attributes, contiguous datasets, history tables of 10 and 13 columns
by position. Version 2: HDF5 1.10 file format (checksummed metadata), fixed-length NUL-padded UTF-8 strings,
every non-empty dataset chunked with the Fletcher32 checksum, history columns named in the attribute `columns`
(12 and 14 of them), `/parameters` `decoder_trained`. A file is written as the version it was read, unless told
otherwise; whatever this module does not know (attributes or groups of a later program) is copied as it is.
"""
import os
import tempfile
from dataclasses import dataclass, field

import h5py
import numpy as np

FORMAT = 'latentlab-model'
VERSIONS = (1, 2)

LOSS_COLUMNS = ['total', 'reconstruction', 'kl', 'classification', 'entropy', 'labelled', 'unlabelled',
                'labelled_accuracy']
STEP_COLUMNS = {1: ['step', 'epoch'] + LOSS_COLUMNS,
                2: ['step', 'epoch', 'learning_rate', 'beta'] + LOSS_COLUMNS}
EPOCH_COLUMNS = {1: ['epoch', 'step', 'seconds', 'test_accuracy', 'labels'] + LOSS_COLUMNS,
                 2: ['epoch', 'step', 'seconds', 'test_accuracy', 'labels', 'baseline_accuracy'] + LOSS_COLUMNS}
# What a column that a version lacks holds when converting (the engine's defaults for version-1 files).
COLUMN_DEFAULTS = {'learning_rate': 0.0, 'beta': 0.0, 'baseline_accuracy': float('nan')}

CHUNK_BYTES = 1 << 20  # the engine's chunk size: whole rows up to 1 MiB


class ModelFileError(Exception):
    """A file that is not a Latentlab model file this package can read, with the file and the problem named."""


@dataclass
class Dataset:
    data: np.ndarray
    attrs: dict = field(default_factory=dict)


@dataclass
class Group:
    attrs: dict = field(default_factory=dict)
    children: dict = field(default_factory=dict)  # name -> Group or Dataset, in file order

    def group(self, name):
        child = self.children.get(name)
        return child if isinstance(child, Group) else None

    def dataset(self, name):
        child = self.children.get(name)
        return child if isinstance(child, Dataset) else None


# ---- reading --------------------------------------------------------------------------------------------------

def _attribute(value):
    """An attribute as plain Python: str, list of str, int, float, or a NumPy array of numbers."""
    if isinstance(value, (bytes, np.bytes_)):
        return bytes(value).decode('utf-8')
    if isinstance(value, str):
        return value
    if isinstance(value, np.ndarray) and (value.dtype.kind in 'SO' or value.dtype.kind == 'U'):
        return [v.decode('utf-8') if isinstance(v, (bytes, np.bytes_)) else str(v) for v in value.reshape(-1)]
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, (np.integer, int)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return float(value)
    return value


def _read_group(g):
    node = Group({k: _attribute(v) for k, v in g.attrs.items()})
    for name, child in g.items():
        if isinstance(child, h5py.Group):
            node.children[name] = _read_group(child)
        else:
            node.children[name] = Dataset(child[()], {k: _attribute(v) for k, v in child.attrs.items()})
    return node


@dataclass
class Architecture:
    """/architecture, with the defaults a file of an earlier program implies (a plain vector input, the exact
    marginal, the decoder reading y)."""
    flavour: str
    input_size: int
    hidden: list
    latent: int
    classes: int
    class_names: list
    activation: str
    objective: str
    likelihood: str
    alpha: float
    beta: float
    gaussian_variance: float = 1.0
    marginal_mass: float = 1.0
    input_kind: str = 'vector'
    input_channels: int = 1
    input_height: int = 1
    input_width: int = 1
    input_steps: int = 1
    conv_channels: list = field(default_factory=lambda: [32, 64])
    conv_kernel: int = 4
    lstm_hidden: int = 128
    lstm_layers: int = 1
    lstm_pooling: str = 'last'
    class_input: int = 1

    @staticmethod
    def from_attrs(a, path):
        def need(name):
            if name not in a:
                raise ModelFileError(f"{path}: missing attribute '{name}' on /architecture")
            return a[name]

        arch = Architecture(
            flavour=need('flavour'), input_size=int(need('input_size')),
            hidden=[int(h) for h in np.atleast_1d(need('hidden'))], latent=int(need('latent')),
            classes=int(need('classes')), class_names=list(need('class_names')), activation=need('activation'),
            objective=need('objective'), likelihood=need('likelihood'), alpha=float(need('alpha')),
            beta=float(need('beta')), gaussian_variance=float(a.get('gaussian_variance', 1.0)))
        for name in ('marginal_mass',):
            if name in a:
                setattr(arch, name, float(a[name]))
        for name in ('input_channels', 'input_height', 'input_width', 'input_steps', 'conv_kernel', 'lstm_hidden',
                     'lstm_layers', 'class_input'):
            if name in a:
                setattr(arch, name, int(a[name]))
        for name in ('input_kind', 'lstm_pooling'):
            if name in a:
                setattr(arch, name, a[name])
        if 'conv_channels' in a:
            arch.conv_channels = [int(c) for c in np.atleast_1d(a['conv_channels'])]
        arch.check(path)
        return arch

    def check(self, path):
        known = {'flavour': ('dense', 'conv', 'recurrent'), 'activation': ('relu', 'softplus', 'sigmoid', 'tanh'),
                 'objective': ('single', 'marginal'), 'likelihood': ('bernoulli', 'gaussian'),
                 'input_kind': ('vector', 'image', 'sequence'), 'lstm_pooling': ('last', 'mean')}
        for name, values in known.items():
            if getattr(self, name) not in values:
                raise ModelFileError(f'{path}: /architecture {name} is {getattr(self, name)!r}, not one of {values}')
        if self.flavour == 'conv' and self.input_kind != 'image':
            raise ModelFileError(f'{path}: a conv model without its image shape (/architecture input_kind, '
                                 'input_channels, input_height, input_width): written by a Latentlab that did not '
                                 'record it yet')
        if self.flavour == 'recurrent' and self.input_kind != 'sequence':
            raise ModelFileError(f'{path}: a recurrent model without its sequence shape (/architecture input_kind, '
                                 'input_steps, input_channels): written by a Latentlab that did not record it yet')
        features = {'vector': self.input_size, 'image': self.input_channels * self.input_height * self.input_width,
                    'sequence': self.input_steps * self.input_channels}[self.input_kind]
        if features != self.input_size:
            raise ModelFileError(f'{path}: the {self.input_kind} input has {features} features, input_size says '
                                 f'{self.input_size}')
        if self.class_input != 1:
            raise ModelFileError(f'{path}: a decoder without the class input (class_input 0) is not supported')


class ModelFile:
    """A whole model file as a tree (root: Group), with views of the parts training reads and changes."""

    def __init__(self, root, version, path=''):
        self.root, self.version, self.path = root, version, path
        self.architecture = Architecture.from_attrs(self._group('architecture').attrs, path)

    def _group(self, name):
        g = self.root.group(name)
        if g is None:
            raise ModelFileError(f'{self.path}: missing group /{name}')
        return g

    # /parameters: name -> float32 array (rows, cols), in the file's order
    @property
    def parameter_order(self):
        g = self._group('parameters')
        return list(g.attrs.get('order', [n for n, c in g.children.items() if isinstance(c, Dataset)]))

    @property
    def parameters(self):
        g = self._group('parameters')
        out = {}
        for name in self.parameter_order:
            ds = g.dataset(name)
            if ds is None:
                raise ModelFileError(f'{self.path}: missing dataset /parameters/{name}')
            out[name] = np.asarray(ds.data, dtype=np.float32)
        return out

    def set_parameters(self, values):
        g = self._group('parameters')
        for name, value in values.items():
            old = g.dataset(name)
            value = np.asarray(value, dtype=np.float32)
            if old is None or old.data.shape != value.shape:
                raise ModelFileError(f'{self.path}: /parameters/{name} has shape '
                                     f'{None if old is None else old.data.shape}, not {value.shape}')
            old.data = value

    @property
    def training(self):
        """/training's attributes (the configuration and where it stands), or None for a weights-only file."""
        g = self.root.group('training')
        return None if g is None else g.attrs

    @property
    def optimizer(self):
        return self.root.group('optimizer')

    @property
    def labels(self):
        """(index, label) of the labelled training samples."""
        g = self._group('labels')
        index = np.asarray(g.dataset('index').data, dtype=np.int64).reshape(-1)
        label = np.asarray(g.dataset('label').data, dtype=np.int64).reshape(-1)
        return index, label

    @property
    def input_transform(self):
        """(kind, offset, scale) of /input_transform, offset and scale float32 (D,): the model reads
        x' = (x - offset) / scale (docs/hdf5-format.md); None when it reads the data as it is."""
        g = self.root.group('input_transform')
        if g is None:
            return None
        offset = np.asarray(g.dataset('offset').data, dtype=np.float32).reshape(-1)
        scale = np.asarray(g.dataset('scale').data, dtype=np.float32).reshape(-1)
        if offset.shape != (self.architecture.input_size,) or scale.shape != offset.shape or not (scale > 0).all():
            raise ModelFileError(f'{self.path}: /input_transform does not fit {self.architecture.input_size} inputs')
        return _attribute(g.attrs.get('kind', '')), offset, scale

    @property
    def dataset_info(self):
        return self._group('dataset').attrs

    def history(self, name):
        """A /training table ('step_losses' or 'epoch_metrics') as (columns, rows (n x columns))."""
        g = self.root.group('training')
        ds = g.dataset(name)
        columns = ds.attrs.get('columns') or (STEP_COLUMNS if name == 'step_losses' else EPOCH_COLUMNS)[1]
        rows = np.asarray(ds.data, dtype=np.float64).reshape(-1, len(columns))
        return list(columns), rows

    def append_history(self, name, rows):
        """Appends rows given as dicts of column name -> value; a column a row lacks gets its default."""
        columns, old = self.history(name)
        new = np.array([[r.get(c, COLUMN_DEFAULTS.get(c, float('nan'))) for c in columns] for r in rows],
                       dtype=np.float64).reshape(-1, len(columns))
        ds = self.root.group('training').dataset(name)
        ds.data = np.concatenate([old, new], axis=0)


def read_model_file(path):
    """Reads a whole model file; raises ModelFileError naming the file and what is wrong."""
    try:
        with h5py.File(path, 'r') as f:
            fmt = _attribute(f.attrs.get('format', b''))
            if fmt != FORMAT:
                raise ModelFileError(f'{path}: not a Latentlab model file (format {fmt!r})')
            version = int(f.attrs.get('format_version', 0))
            if version not in VERSIONS:
                raise ModelFileError(f'{path}: format version {version}; this package reads {VERSIONS}')
            root = _read_group(f)
    except OSError as e:
        raise ModelFileError(f'{path}: {e}') from e
    return ModelFile(root, version, path)


# ---- writing --------------------------------------------------------------------------------------------------

def _string_type(version, length=None):
    if version == 1:
        return h5py.string_dtype('utf-8')
    return h5py.string_dtype('utf-8', max(1, length))


def _write_attribute(obj, name, value, version):
    if isinstance(value, str):
        data = value.encode('utf-8')
        if version == 1:
            obj.attrs.create(name, value, dtype=_string_type(1))
        else:
            obj.attrs.create(name, np.array(data, dtype=_string_type(2, len(data))))
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        data = [v.encode('utf-8') for v in value]
        if version == 1:
            obj.attrs.create(name, np.array(value, dtype=object), shape=(len(value),), dtype=_string_type(1))
        else:
            longest = max([len(d) for d in data] + [1])
            obj.attrs.create(name, np.array(data, dtype=_string_type(2, longest)).reshape(len(value)),
                             shape=(len(value),), dtype=_string_type(2, longest))
    elif isinstance(value, bool) or isinstance(value, (int, np.integer)):
        obj.attrs.create(name, np.int64(value), dtype='<i8')
    elif isinstance(value, (float, np.floating)):
        obj.attrs.create(name, np.float64(value), dtype='<f8')
    else:
        a = np.asarray(value)
        dtype = '<i8' if a.dtype.kind in 'iub' else '<f8'
        obj.attrs.create(name, a.astype(dtype), dtype=dtype)


def _little_endian(a):
    a = np.asarray(a)
    if a.dtype.kind == 'f':
        return a.astype('<f4' if a.dtype.itemsize == 4 else '<f8')
    if a.dtype.kind in 'iu':
        return a.astype(a.dtype.newbyteorder('<'))
    return a


def _chunks(shape, itemsize):
    """The engine's chunking: whole rows up to CHUNK_BYTES, or pieces of one row when a row is larger."""
    inner = itemsize * int(np.prod(shape[1:], dtype=np.int64)) if len(shape) > 1 else itemsize
    if inner <= CHUNK_BYTES:
        return (max(1, min(CHUNK_BYTES // inner, shape[0])),) + tuple(shape[1:])
    return (1,) * (len(shape) - 1) + (max(1, min(CHUNK_BYTES // itemsize, shape[-1])),)


def _write_group(h, node, version):
    for name, value in node.attrs.items():
        _write_attribute(h, name, value, version)
    for name, child in node.children.items():
        if isinstance(child, Group):
            _write_group(h.create_group(name), child, version)
            continue
        data = _little_endian(child.data)
        if version >= 2 and data.size > 0:
            ds = h.create_dataset(name, data=data, chunks=_chunks(data.shape, data.dtype.itemsize),
                                  fletcher32=True)
        else:
            ds = h.create_dataset(name, data=data)
        for k, v in child.attrs.items():
            _write_attribute(ds, k, v, version)


def _convert_tables(root, source, target):
    """History tables and /parameters decoder_trained from one format version's layout to another's."""
    training = root.group('training')
    if training is not None:
        for name, columns in (('step_losses', STEP_COLUMNS), ('epoch_metrics', EPOCH_COLUMNS)):
            ds = training.dataset(name)
            if ds is None:
                continue
            old = ds.attrs.get('columns') or columns[source]
            rows = np.asarray(ds.data, dtype=np.float64).reshape(-1, len(old))
            new = columns[target]
            ds.data = np.stack([rows[:, old.index(c)] if c in old else
                                np.full(len(rows), COLUMN_DEFAULTS.get(c, np.nan)) for c in new], axis=1) \
                if len(new) else rows
            ds.data = ds.data.reshape(-1, len(new))
            ds.attrs['columns'] = list(new)
    params = root.group('parameters')
    if target >= 2 and 'decoder_trained' not in params.attrs:
        supervised = training is not None and int(training.attrs.get('supervised_only', 0)) != 0
        params.attrs['decoder_trained'] = 0 if supervised else 1
    if target == 1:
        params.attrs.pop('decoder_trained', None)


def write_model_file(path, model_file, version=None, created_by=None):
    """Writes the tree to a temporary file in the same folder, flushes it and renames it over path, as the
    engine does. version: 1 or 2 (default: the version it was read as)."""
    import copy
    version = model_file.version if version is None else int(version)
    if version not in VERSIONS:
        raise ModelFileError(f'{path}: cannot write format version {version}')
    root = copy.deepcopy(model_file.root)
    if version != model_file.version:
        _convert_tables(root, model_file.version, version)
    root.attrs['format'] = FORMAT
    root.attrs['format_version'] = version
    if created_by:
        root.attrs['created_by'] = created_by
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=os.path.basename(path) + '.', suffix='.part', dir=folder)
    os.close(fd)
    try:
        kwargs = {'libver': ('v110', 'v110')} if version >= 2 else {}
        with h5py.File(tmp, 'w', **kwargs) as h:
            _write_group(h, root, version)
        with open(tmp, 'rb+') as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    model_file.version = version
    model_file.root = root
    model_file.path = path
