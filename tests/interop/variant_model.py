#!/usr/bin/python3
"""Turns a copy of a trained model file into a variant no command trains today, so that the interop check
covers it (docs/hdf5-format.md): --gaussian sets likelihood = gaussian (the decoder's output is then the mean
itself); --no-class-input sets class_input = 0 (the decoder reads z alone): it drops decoder.input.Wy, makes the
objective single and removes /training and /optimizer (whose moments name Wy). The weights are the trained
Bernoulli model's: the point is the reading, not the fit.

usage: variant_model.py MODEL.h5 OUT.h5 (--gaussian | --no-class-input)
"""
import argparse
import shutil

import h5py
import numpy as np


def fixed_string(attrs, name, value):
    """A fixed-length UTF-8 string attribute, as Latentlab writes them (format 2)."""
    data = value.encode('utf-8')
    attrs.create(name, data=np.array(data, dtype=f'S{len(data)}'), dtype=h5py.string_dtype('utf-8', len(data)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('model')
    ap.add_argument('out')
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument('--gaussian', action='store_true')
    group.add_argument('--no-class-input', action='store_true')
    args = ap.parse_args()
    shutil.copyfile(args.model, args.out)
    with h5py.File(args.out, 'r+') as f:
        arch = f['architecture'].attrs
        if args.gaussian:
            fixed_string(arch, 'likelihood', 'gaussian')
            return
        params = f['parameters']
        del params['decoder.input.Wy']
        order = [n for n in params.attrs['order'] if n != b'decoder.input.Wy']
        width = max(len(n) for n in order)
        params.attrs.create('order', data=np.array(order, dtype=f'S{width}'), dtype=h5py.string_dtype('utf-8', width))
        for group_name in ('training', 'optimizer'):
            if group_name in f:
                del f[group_name]
        arch['class_input'] = np.int64(0)
        fixed_string(arch, 'objective', 'single')


if __name__ == '__main__':
    main()
