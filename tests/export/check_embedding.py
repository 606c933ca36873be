#!/usr/bin/python3
"""Checks an Embedding Projector export (latentlab-cli export-embedding) with NumPy alone: the sample count in
every file, metadata.tsv's header and columns, the sprite's size against its grid and thumbnails (read from the
PNG header), both projector configs, and embedding.npz's arrays against tensors.tsv and metadata.tsv.

usage: check_embedding.py DIR SAMPLES DIMENSIONS THUMB_W THUMB_H   (THUMB 0 0: no sprite expected)
Prints "1 passed, 0 failed" when every check holds; exits 1 otherwise.
"""
import json
import math
import os
import struct
import sys

import numpy as np


def main():
    folder, n, d, tw, th = sys.argv[1], *map(int, sys.argv[2:6])
    problems = []

    def check(ok, what):
        if not ok:
            problems.append(what)

    tensors = np.loadtxt(os.path.join(folder, 'tensors.tsv'), delimiter='\t', ndmin=2)
    check(tensors.shape == (n, d), f'tensors.tsv is {tensors.shape}, expected {(n, d)}')
    with open(os.path.join(folder, 'metadata.tsv'), encoding='utf-8') as f:
        lines = f.read().splitlines()
    check(lines[0] == 'label\tprediction\tlabelled\tset\tindex', f'metadata header {lines[0]!r}')
    rows = [line.split('\t') for line in lines[1:]]
    check(len(rows) == n and all(len(r) == 5 for r in rows), 'metadata.tsv: not n rows of 5 columns')

    z = np.load(os.path.join(folder, 'embedding.npz'))
    check(z['tensors'].dtype == np.float32 and z['tensors'].shape == (n, d), 'npz tensors')
    check(np.abs(z['tensors'] - tensors).max() < 1e-5 * max(1.0, np.abs(tensors).max()), 'npz tensors != tsv')
    names = list(z['class_names'])
    k = len(names)
    check(z['probs'].shape == (n, k) and np.allclose(z['probs'].sum(axis=1), 1, atol=1e-4), 'npz probs')
    check(np.allclose(z['log_ratios'].mean(axis=1), 0, atol=1e-4), 'npz log_ratios are not centred')
    check((z['prediction'] == z['probs'].argmax(axis=1)).all(), 'npz prediction is not argmax probs')
    check([names[p] for p in z['prediction']] == [r[1] for r in rows], 'metadata prediction != npz')
    check([str(i) for i in z['index']] == [r[4] for r in rows], 'metadata index != npz')
    check([('yes' if v else 'no') for v in z['labelled']] == [r[2] for r in rows], 'metadata labelled != npz')
    check([('test' if v else 'training') for v in z['test']] == [r[3] for r in rows], 'metadata set != npz')
    check([(names[y] if y >= 0 else '?') for y in z['label']] == [r[0] for r in rows], 'metadata label != npz')

    with open(os.path.join(folder, 'projector_config.json')) as f:
        config = json.load(f)['embeddings'][0]
    check(config['tensorShape'] == [n, d], 'json tensorShape')
    check(config['tensorPath'] == 'tensors.tsv' and config['metadataPath'] == 'metadata.tsv', 'json paths')
    with open(os.path.join(folder, 'projector_config.pbtxt')) as f:
        pbtxt = f.read()
    check('tensor_path: "tensors.tsv"' in pbtxt and 'metadata_path: "metadata.tsv"' in pbtxt, 'pbtxt paths')
    sprite = os.path.join(folder, 'sprite.png')
    if tw:
        with open(sprite, 'rb') as f:
            head = f.read(24)
        check(head[:8] == b'\x89PNG\r\n\x1a\n' and head[12:16] == b'IHDR', 'sprite.png is not a PNG')
        width, height = struct.unpack('>II', head[16:24])
        columns = math.ceil(math.sqrt(n))
        check((width, height) == (columns * tw, math.ceil(n / columns) * th),
              f'sprite {width}x{height} for {n} thumbnails of {tw}x{th}')
        check(width <= 8192 and height <= 8192, 'sprite beyond the projector limit')
        check(config['sprite'] == {'imagePath': 'sprite.png', 'singleImageDim': [tw, th]}, 'json sprite')
        check(f'single_image_dim: {tw}\n    single_image_dim: {th}' in pbtxt, 'pbtxt sprite')
    else:
        check(not os.path.exists(sprite) and 'sprite' not in config and 'sprite' not in pbtxt, 'unexpected sprite')

    for p in problems:
        print('FAIL:', p)
    print(f'{0 if problems else 1} passed, {1 if problems else 0} failed: {n} samples x {d} in {folder}')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
