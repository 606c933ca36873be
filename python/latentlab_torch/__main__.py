"""python3 -m latentlab_torch COMMAND: train a Latentlab model file in PyTorch, evaluate one, or describe one.

  train --model IN.h5 --data DIR --epochs E --out OUT.h5 [--train-samples N] [--test-samples N]
        [--device cpu|cuda] [--format-version 1|2] [--json]
  eval  --model FILE.h5 --data DIR [--test-samples N] [--device D] [--json]
  inspect FILE.h5
Under torchrun, train runs DistributedDataParallel over the processes (python/README.md).
"""
import argparse
import json
import sys

import numpy as np


def _default_data():
    """datasets/mnist of a checkout, else the copy the .deb or cmake --install put beside the programs."""
    import os
    for candidate in ('datasets/mnist', '/usr/share/latentlab/datasets/mnist', '/usr/local/share/latentlab/datasets/mnist'):
        if os.path.isdir(candidate):
            return candidate
    return 'datasets/mnist'


def _data(args, model_file):
    from .data import load_data
    data = load_data(args.data or _default_data(), model_file.architecture.classes)
    if args.train_samples:
        data.train = data.train.head(args.train_samples)
    if args.test_samples:
        data.test = data.test.head(args.test_samples)
    transform = model_file.input_transform  # the model reads the data scaled, as the engine does
    if transform is not None:
        _, offset, scale = transform
        for split in (data.train, data.test):
            split.x = ((split.x - offset) / scale).astype(np.float32)
    return data


def main(argv=None):
    ap = argparse.ArgumentParser(prog='python3 -m latentlab_torch', description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest='command', required=True)
    t = sub.add_parser('train', help='train a model file on in PyTorch and write it back')
    e = sub.add_parser('eval', help="test accuracy of a model file's classifier in PyTorch")
    for p in (t, e):
        p.add_argument('--model', required=True, help='a Latentlab model file (.h5)')
        p.add_argument('--data', help='an IDX folder, mnist-rows:DIR or an .npz (default: datasets/mnist, or the '
                                      'installed copy)')
        p.add_argument('--train-samples', type=int, help='the first N training samples (as latentlab-cli)')
        p.add_argument('--test-samples', type=int, help='the first N test samples (as latentlab-cli)')
        p.add_argument('--device', default='cpu', help='cpu, cuda, cuda:1 ...')
        p.add_argument('--json', action='store_true', help='last line: a JSON object with the results')
    t.add_argument('--epochs', type=int, default=1, help='epochs to train now (default 1)')
    t.add_argument('--out', required=True, help='where to write the trained model file')
    t.add_argument('--format-version', type=int, choices=(1, 2), help='default: the version of --model')
    i = sub.add_parser('inspect', help="print a model file's architecture and training state")
    i.add_argument('model')
    args = ap.parse_args(argv)

    from .modelfile import ModelFileError, read_model_file
    try:
        model_file = read_model_file(args.model)
        if args.command == 'inspect':
            a = model_file.architecture
            print(f'{args.model}: format version {model_file.version}, {a.flavour}, input {a.input_kind} '
                  f'{a.input_size}, hidden {a.hidden}, latent {a.latent}, {a.classes} classes, {a.objective} '
                  f'objective, {a.likelihood}')
            tr = model_file.training
            print('training: ' + ('none' if tr is None else
                                  f'epoch {tr["epochs_done"]} of {tr["epochs"]}, step {tr["steps_done"]}'))
            return 0
        import torch
        from .model import from_model_file
        from .train import TrainingError, accuracy, train
        data = _data(args, model_file)
        if args.command == 'eval':
            model = from_model_file(model_file, args.device)
            acc = accuracy(model, torch.as_tensor(data.test.x, device=args.device),
                           torch.as_tensor(data.test.labels, device=args.device))
            print(f'test accuracy {acc:.4f} on {len(data.test)} samples of {data.source}')
            if args.json:
                print(json.dumps({'test_accuracy': acc, 'samples': len(data.test), 'model': args.model}))
            return 0
        result = train(model_file, data, args.epochs, args.device, out=args.out, format_version=args.format_version)
        import torch.distributed as dist
        if not dist.is_initialized() or dist.get_rank() == 0:
            print(f'# model saved to {args.out} (format version {model_file.version}); test accuracy '
                  f'{result["test_accuracy"]:.4f} on {result["test_samples"]} samples')
            if args.json:
                print(json.dumps(result))
        if dist.is_initialized():
            dist.destroy_process_group()
        return 0 if result['status'] == 'finished' else 1
    except (ModelFileError, ValueError, FileNotFoundError) as err:
        print(f'latentlab_torch {args.command}: error: {err}', file=sys.stderr)
        return 1
    except Exception as err:  # TrainingError and the like, without a traceback for the user
        if type(err).__name__ in ('TrainingError',):
            print(f'latentlab_torch {args.command}: error: {err}', file=sys.stderr)
            return 1
        raise


if __name__ == '__main__':
    sys.exit(main())
