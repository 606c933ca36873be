#!/usr/bin/python3
"""Reads a Latentlab model file with h5py and NumPy only (no Latentlab code), recomputes the classifier's
probabilities and the decoder's output for the inputs of a reference file written by
`latentlab-cli export`, and checks them against the engine's own outputs.

usage: check_model.py MODEL.h5 REFERENCE.h5 [--tolerance 1e-5]
The layout it relies on is docs/hdf5-format.md; exits 1 when any output differs by more than the tolerance.
"""
import argparse
import sys

import h5py
import numpy as np

ACTIVATIONS = {
    'relu': lambda a: np.maximum(a, 0.0),
    'softplus': lambda a: np.logaddexp(0.0, a),
    'sigmoid': lambda a: 1.0 / (1.0 + np.exp(-a)),
    'tanh': np.tanh,
}


def text(value):
    """Fixed-length strings (format 2) come back from h5py as bytes, variable-length ones (format 1) as str."""
    return value.decode('utf-8') if isinstance(value, bytes) else value


def dense(params, name, x):
    """x: (N, in) -> (N, out) with W (out, in) and b (out, 1)."""
    return x @ params[name + '.W'].T + params[name + '.b'][:, 0]


class Model:
    def __init__(self, path):
        with h5py.File(path, 'r') as f:
            if text(f.attrs.get('format')) != 'latentlab-model':
                raise SystemExit(f'{path}: not a Latentlab model file')
            if int(f.attrs['format_version']) > 2:
                raise SystemExit(f'{path}: format version {f.attrs["format_version"]} is newer than this script')
            a = f['architecture'].attrs
            if text(a['flavour']) != 'dense':
                raise SystemExit(f'{path}: this script reads the dense flavour only')
            self.hidden = [int(h) for h in a['hidden']]
            self.latent, self.classes = int(a['latent']), int(a['classes'])
            self.act = ACTIVATIONS[text(a['activation'])]
            self.likelihood = text(a['likelihood'])
            self.p = {name: np.array(ds, dtype=np.float64) for name, ds in f['parameters'].items()}

    def heads(self, x):
        h = x
        for i in range(len(self.hidden)):  # trunk: dense at even indices, activation after each
            h = self.act(dense(self.p, f'encoder.trunk.{2 * i}', h))
        out = dense(self.p, 'encoder.heads', h)  # rows [mu; logvar; pi logits]
        d = self.latent
        return out[:, :d], out[:, d:2 * d], out[:, 2 * d:]

    def classify(self, x):
        logits = self.heads(x)[2]
        logits = logits - logits.max(axis=1, keepdims=True)
        e = np.exp(logits)
        return e / e.sum(axis=1, keepdims=True)

    def decode(self, z, y):
        a = z @ self.p['decoder.input.Wz'].T + y @ self.p['decoder.input.Wy'].T + self.p['decoder.input.b'][:, 0]
        h = self.act(a)
        # body: dense layers at odd indices 1, 3, ..., each but the last followed by the activation
        for i in range(1, len(self.hidden)):
            h = self.act(dense(self.p, f'decoder.body.{2 * i - 1}', h))
        out = dense(self.p, f'decoder.body.{2 * len(self.hidden) - 1}', h)
        return 1.0 / (1.0 + np.exp(-out)) if self.likelihood == 'bernoulli' else out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('model')
    ap.add_argument('reference')
    ap.add_argument('--tolerance', type=float, default=1e-5)
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
    worst = 0.0
    for name, (ours, theirs) in checks.items():
        if ours.shape != theirs.shape:
            print(f'{name}: shape {ours.shape} vs engine {theirs.shape}')
            return 1
        err = float(np.max(np.abs(ours - theirs)))
        worst = max(worst, err)
        print(f'{name:8s} {ours.shape}  max |numpy - engine| = {err:.2e}')
    ok = worst <= args.tolerance
    print(f'{"1 passed, 0 failed" if ok else "0 passed, 1 failed"}: worst difference {worst:.2e}, tolerance {args.tolerance:g}')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
