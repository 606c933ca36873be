#!/usr/bin/python3
"""Reads a Latentlab model file with h5py and NumPy only (no Latentlab code), recomputes the classifier's
probabilities and the decoder's output for the inputs of a reference file written by
`latentlab-cli export`, and checks them against the engine's own outputs. Every flavour: dense, conv,
recurrent.

usage: check_model.py MODEL.h5 REFERENCE.h5 [--tolerance 1e-5] [--images IDX.gz]
--images: also check that the reference's inputs are the first test images of this IDX file (gzip or not),
read as the document says (u8 * float32(1 / 255), row-major: every input layout reads them in that order).
The layout it relies on is docs/hdf5-format.md; exits 1 when any output differs by more than the tolerance.
"""
import argparse
import gzip
import sys

import h5py
import numpy as np

ACTIVATIONS = {
    'relu': lambda a: np.maximum(a, 0.0),
    'softplus': lambda a: np.logaddexp(0.0, a),
    'sigmoid': lambda a: 1.0 / (1.0 + np.exp(-a)),
    'tanh': np.tanh,
}


def sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def text(value):
    """Fixed-length strings (format 2) come back from h5py as bytes, variable-length ones (format 1) as str."""
    return value.decode('utf-8') if isinstance(value, bytes) else value


def dense(params, name, x):
    """x: (N, in) -> (N, out) with W (out, in) and b (out, 1)."""
    return x @ params[name + '.W'].T + params[name + '.b'][:, 0]


def conv2d(x, W, b, k, p, s=2):
    """x (N, H, W, Cin) channels-last; W (Cout, k*k*Cin), column (ky*k + kx)*Cin + c; b (Cout, 1)
    -> (N, OH, OW, Cout), OH = (H + 2p - k) // s + 1: out[oy, ox] = b + sum x[oy*s - p + ky, ox*s - p + kx] w."""
    n, h, w, c = x.shape
    wk = W.reshape(len(W), k, k, c)  # (Cout, ky, kx, Cin)
    oh, ow = (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1
    xp = np.pad(x, ((0, 0), (p, p), (p, p), (0, 0)))  # zero padding
    out = np.zeros((n, oh, ow, len(W))) + b[:, 0]
    for ky in range(k):
        for kx in range(k):
            out += xp[:, ky:ky + s * (oh - 1) + 1:s, kx:kx + s * (ow - 1) + 1:s, :] @ wk[:, ky, kx, :].T
    return out


def conv_transpose2d(x, W, b, k, p, s=2):
    """x (N, H, W, Cin); W (Cin, k*k*Cout), column (ky*k + kx)*Cout + co; b (Cout, 1)
    -> (N, OH, OW, Cout), OH = (H - 1)*s - 2p + k: input pixel (iy, ix) adds x[iy, ix] w[:, ky, kx, :] at
    output (iy*s - p + ky, ix*s - p + kx); what falls in the padding is dropped."""
    n, h, w, cin = x.shape
    wk = W.reshape(cin, k, k, -1)  # (Cin, ky, kx, Cout)
    full = np.zeros((n, (h - 1) * s + k, (w - 1) * s + k, wk.shape[3]))  # output before cropping the padding
    for ky in range(k):
        for kx in range(k):
            full[:, ky:ky + s * (h - 1) + 1:s, kx:kx + s * (w - 1) + 1:s, :] += x @ wk[:, ky, kx, :]
    oh, ow = (h - 1) * s - 2 * p + k, (w - 1) * s - 2 * p + k
    return full[:, p:p + oh, p:p + ow, :] + b[:, 0]


def lstm(x, Wx, Wh, b, h0=None):
    """x (N, T, C), step t's input x[:, t]; Wx (4R, C), Wh (4R, R), b (4R, 1), gate rows i, f, g, o;
    h_{-1} = h0 or 0, c_{-1} = 0. Returns every step's hidden state (N, T, R)."""
    R = Wh.shape[1]
    n, steps = x.shape[0], x.shape[1]
    h = np.zeros((n, R)) if h0 is None else h0
    c = np.zeros((n, R))
    out = np.empty((n, steps, R))
    for t in range(steps):
        a = x[:, t] @ Wx.T + h @ Wh.T + b[:, 0]
        i, f, g, o = sigmoid(a[:, :R]), sigmoid(a[:, R:2 * R]), np.tanh(a[:, 2 * R:3 * R]), sigmoid(a[:, 3 * R:])
        c = f * c + i * g
        h = o * np.tanh(c)
        out[:, t] = h
    return out


class Model:
    def __init__(self, path):
        with h5py.File(path, 'r') as f:
            if text(f.attrs.get('format')) != 'latentlab-model':
                raise SystemExit(f'{path}: not a Latentlab model file')
            if int(f.attrs['format_version']) > 2:
                raise SystemExit(f'{path}: format version {f.attrs["format_version"]} is newer than this script')
            a = f['architecture'].attrs
            self.flavour = text(a['flavour'])
            self.hidden = [int(h) for h in np.atleast_1d(a['hidden'])]
            self.latent, self.classes = int(a['latent']), int(a['classes'])
            self.act = ACTIVATIONS[text(a['activation'])]
            self.likelihood = text(a['likelihood'])
            # The input's layout; absent (a plain vector) in files written before the conv and recurrent flavours.
            self.kind = text(a['input_kind']) if 'input_kind' in a else 'vector'
            shape = {name: int(a[name]) if name in a else 1
                     for name in ('input_channels', 'input_height', 'input_width', 'input_steps')}
            self.channels, self.height, self.width, self.steps = shape.values()
            self.conv_channels = [int(c) for c in np.atleast_1d(a['conv_channels'])] if 'conv_channels' in a else []
            self.kernel = int(a['conv_kernel']) if 'conv_kernel' in a else 4
            self.lstm_layers = int(a['lstm_layers']) if 'lstm_layers' in a else 1
            self.pooling = text(a['lstm_pooling']) if 'lstm_pooling' in a else 'last'
            # 0: the decoder reads z alone (no decoder.input.Wy); absent, or without input_kind: 1
            self.class_input = int(a['class_input']) if 'class_input' in a and 'input_kind' in a else 1
            self.p = {name: np.array(ds, dtype=np.float64) for name, ds in f['parameters'].items()}
        # dense reads any input as a plain vector of D features; conv needs an image, recurrent a sequence
        expected = {'dense': self.kind, 'conv': 'image', 'recurrent': 'sequence'}.get(self.flavour)
        if self.kind != expected:
            raise SystemExit(f'{path}: flavour {self.flavour} with a {self.kind} input is not a model I know')

    # ---- encoder ----------------------------------------------------------------------------------------------

    def trunk(self, x):
        n = len(x)
        if self.flavour == 'recurrent':  # encoder.trunk.l: LSTM layer l (no activations between them)
            h = x.reshape(n, self.steps, self.channels)  # time-major: feature t * C + c
            for l in range(self.lstm_layers):
                q = f'encoder.trunk.{l}'
                h = lstm(h, self.p[q + '.Wx'], self.p[q + '.Wh'], self.p[q + '.b'])
            return h[:, -1] if self.pooling == 'last' else h.mean(axis=1)
        index = 0  # even indices hold the parametric layers, odd ones the activation after each
        h = x
        if self.flavour == 'conv':
            k, p = self.kernel, self.kernel // 2 - 1
            h = x.reshape(n, self.height, self.width, self.channels)  # channels-last
            for _ in self.conv_channels:
                q = f'encoder.trunk.{index}'
                h = self.act(conv2d(h, self.p[q + '.W'], self.p[q + '.b'], k, p))
                index += 2
            h = h.reshape(n, -1)  # the last map, still channels-last: (y * W + x) * C + c
        for _ in self.hidden:
            h = self.act(dense(self.p, f'encoder.trunk.{index}', h))
            index += 2
        return h

    def heads(self, x):
        out = dense(self.p, 'encoder.heads', self.trunk(x))  # rows [mu; logvar; pi logits]
        d = self.latent
        return out[:, :d], out[:, d:2 * d], out[:, 2 * d:]

    def classify(self, x):
        logits = self.heads(x)[2]
        logits = logits - logits.max(axis=1, keepdims=True)
        e = np.exp(logits)
        return e / e.sum(axis=1, keepdims=True)

    # ---- decoder ----------------------------------------------------------------------------------------------

    def decoder_input(self, z, y):
        a = z @ self.p['decoder.input.Wz'].T + self.p['decoder.input.b'][:, 0]
        return a + y @ self.p['decoder.input.Wy'].T if self.class_input else a

    def decode(self, z, y):
        """Decoded means (N, D): Bernoulli probabilities or Gaussian means, in the input's feature order."""
        out = {'dense': self.decode_dense, 'conv': self.decode_conv, 'recurrent': self.decode_recurrent}[
            self.flavour](self.decoder_input(z, y))
        return sigmoid(out) if self.likelihood == 'bernoulli' else out

    def decode_dense(self, a):
        h = self.act(a)  # decoder.body.0
        # body: dense layers at odd indices 1, 3, ..., each but the last followed by the activation
        for i in range(1, len(self.hidden)):
            h = self.act(dense(self.p, f'decoder.body.{2 * i - 1}', h))
        return dense(self.p, f'decoder.body.{2 * len(self.hidden) - 1}', h)

    def decode_conv(self, a):
        n, k, p = len(a), self.kernel, self.kernel // 2 - 1
        h = self.act(a)  # decoder.body.0
        index = 1
        for _ in self.hidden:  # hidden in reverse, then the last map's size; the activation after each
            h = self.act(dense(self.p, f'decoder.body.{index}', h))
            index += 2
        side = 2 ** len(self.conv_channels)
        h = h.reshape(n, self.height // side, self.width // side, self.conv_channels[-1])  # channels-last
        for j in range(len(self.conv_channels)):  # transposed convolutions, the activation after each but the last
            q = f'decoder.body.{index}'
            h = conv_transpose2d(h, self.p[q + '.W'], self.p[q + '.b'], k, p)
            if j + 1 < len(self.conv_channels):
                h = self.act(h)
            index += 2
        return h.reshape(n, -1)

    def decode_recurrent(self, a):
        n, L = len(a), self.lstm_layers
        h0 = np.tanh(a)  # decoder.body.0
        q = 'decoder.body.1'  # h0 is the first LSTM's initial hidden state and its input at every step
        h = lstm(np.repeat(h0[:, None, :], self.steps, axis=1), self.p[q + '.Wx'], self.p[q + '.Wh'],
                 self.p[q + '.b'], h0=h0)
        for l in range(2, L + 1):
            q = f'decoder.body.{l}'
            h = lstm(h, self.p[q + '.Wx'], self.p[q + '.Wh'], self.p[q + '.b'])
        out = h @ self.p[f'decoder.body.{L + 1}.W'].T + self.p[f'decoder.body.{L + 1}.b'][:, 0]  # every step
        return out.reshape(n, -1)  # (N, T, C) -> time-major features t * C + c


def read_idx_images(path, count):
    """The first `count` images of an IDX3 file as (count, height * width) bytes, row-major."""
    with (gzip.open if path.endswith('.gz') else open)(path, 'rb') as f:
        magic, n, height, width = np.frombuffer(f.read(16), dtype='>i4')
        if magic != 2051:
            raise SystemExit(f'{path}: not an IDX image file')
        data = np.frombuffer(f.read(count * height * width), dtype=np.uint8)
    return data.reshape(count, height * width)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('model')
    ap.add_argument('reference')
    ap.add_argument('--tolerance', type=float, default=1e-5)
    ap.add_argument('--images', help='the IDX test images the reference inputs should be')
    args = ap.parse_args()
    m = Model(args.model)
    with h5py.File(args.reference, 'r') as r:
        ref = {k: np.array(r[k], dtype=np.float64) for k in r.keys()}
    mu, logvar, _ = m.heads(ref['x'])
    checks = {
        'probs': (m.classify(ref['x']), ref['probs']),
        'mu': (mu, ref['mu']),
        'logvar': (logvar, ref['logvar']),
        'decoded': (m.decode(ref['mu'], ref['y']), ref['decoded']),
    }
    if args.images:  # u8 times float32(1 / 255), in float32, as the engine computes it
        images = read_idx_images(args.images, len(ref['x']))
        checks['x'] = ((images.astype(np.float32) * np.float32(1 / 255)).astype(np.float64), ref['x'])
    worst = 0.0
    print(f'{args.model}: {m.flavour}, {m.kind} input, {m.likelihood}, class input {m.class_input}')
    for name, (ours, theirs) in checks.items():
        if ours.shape != theirs.shape:
            print(f'{name}: shape {ours.shape} vs engine {theirs.shape}')
            print('0 passed, 1 failed: shapes differ')
            return 1
        err = float(np.max(np.abs(ours - theirs)))
        worst = max(worst, err)
        print(f'{name:8s} {ours.shape}  max |numpy - engine| = {err:.2e}')
    ok = worst <= args.tolerance
    print(f'{"1 passed, 0 failed" if ok else "0 passed, 1 failed"}: worst difference {worst:.2e}, '
          f'tolerance {args.tolerance:g}')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
