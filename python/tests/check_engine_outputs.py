#!/usr/bin/python3
"""The PyTorch module of a model file against the engine's own outputs (latentlab-cli export): q(y|x), mu,
logvar and the decoded means of (mu, y) for the same inputs, within a tolerance. Checks the layouts (dense,
conv channels-last and transposed, LSTM gates and biases) end to end.

usage: check_engine_outputs.py MODEL.h5 REFERENCE.h5 [--tolerance 1e-4]
"""
import argparse
import os
import sys

import h5py
import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from latentlab_torch.model import from_model_file  # noqa: E402
from latentlab_torch.modelfile import read_model_file  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('model')
    ap.add_argument('reference')
    ap.add_argument('--tolerance', type=float, default=1e-4)
    args = ap.parse_args()
    torch.set_num_threads(1)
    model = from_model_file(read_model_file(args.model)).double()  # double: the differences are the engine's
    with h5py.File(args.reference, 'r') as r:
        ref = {k: np.array(r[k], dtype=np.float64) for k in r.keys()}
    with torch.no_grad():
        x = torch.as_tensor(ref['x'])
        mu, logvar, logits = model.encode(x)
        ours = {'probs': torch.softmax(logits, dim=1), 'mu': mu, 'logvar': logvar,
                'decoded': model.mean(torch.as_tensor(ref['mu']), torch.as_tensor(ref['y']))}
    worst = 0.0
    for name, value in ours.items():
        value = value.numpy()
        if value.shape != ref[name].shape:
            print(f'{name}: shape {value.shape}, engine {ref[name].shape}')
            return 1
        err = float(np.max(np.abs(value - ref[name])))
        worst = max(worst, err)
        print(f'{name:8s} {value.shape}  max |torch - engine| = {err:.2e}')
    ok = worst <= args.tolerance
    print(f'{"1 passed, 0 failed" if ok else "0 passed, 1 failed"}: {model.arch.flavour}, worst difference '
          f'{worst:.2e}, tolerance {args.tolerance:g}')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
