"""Training a Latentlab model file in PyTorch as the engine's Trainer trains it (engine/train/Trainer.cpp), then
writing it back so that the workbench opens it and continues.

Each step draws one labelled batch (with replacement, from the file's label set) and one unlabelled batch (the
next samples of an epoch-shuffled pass over the training set, continuing the file's own order and cursor), with
dynamic binarisation, the KL warm-up and the cosine schedule when the file asks for them; Adam continues from
the file's moments and step count. An epoch is the file's steps per epoch; a run that stopped mid-epoch
finishes that epoch first, as the engine would. Each epoch ends with the test accuracy of argmax q(y|x).

Under torchrun (WORLD_SIZE > 1) the model is wrapped in DistributedDataParallel and every step's batch is
split over the processes (the same global batch as one process would draw, the same number of steps per
epoch); process 0 evaluates and writes the file.
"""
import math
import os
import time

import numpy as np
import torch
import torch.distributed as dist

from .data import fingerprint
from .model import from_model_file
from .modelfile import ModelFileError, write_model_file
from .objective import SemiSupervisedObjective, STAT_NAMES, step_losses

__version__ = '0.1.0'


class TrainingError(Exception):
    pass


def steps_per_epoch(config, samples):
    """engine: Trainer::stepsPerEpoch."""
    if int(config.get('steps_per_epoch', 0)) > 0:
        return int(config['steps_per_epoch'])
    per = int(config['unlabelled_batch']) or int(config['labelled_batch'])
    return max(1, samples // per)


def learning_rate_at(config, step, spe, total_epochs):
    lr = float(config['learning_rate'])
    if config.get('schedule', 'constant') != 'cosine':
        return lr
    t = min(1.0, step / max(total_epochs * spe, 1))
    return lr * 0.5 * (1 + math.cos(math.pi * t))


def beta_at(config, step, spe, beta):
    warmup = float(config.get('beta_warmup_epochs', 0))
    return beta if warmup <= 0 else beta * min(1.0, step / (warmup * spe))


@torch.no_grad()
def accuracy(model, x, labels, batch=1000):
    """Share of rows whose argmax q(y|x) is the label (engine: accuracy, in chunks of 1000)."""
    if len(labels) == 0:
        return float('nan')  # unlabelled test data
    was = model.training
    model.eval()
    correct = 0
    for i in range(0, len(x), batch):
        correct += int((model.encode(x[i:i + batch])[2].argmax(dim=1) == labels[i:i + batch]).sum())
    model.train(was)
    return correct / max(len(x), 1)


def _share(n, rank, world):
    return n // world + (1 if rank < n % world else 0)


def _distributed():
    world = int(os.environ.get('WORLD_SIZE', '1'))
    if world > 1 and not dist.is_initialized():
        dist.init_process_group('nccl' if torch.cuda.is_available() else 'gloo')
    rank = dist.get_rank() if world > 1 else 0
    return world, rank


def _optimizer(model_file, model, supervised_only, device):
    opt = model_file.optimizer
    a = opt.attrs
    transfers = {t.name: t for t in model.transfers}
    names = list(a['parameters'])
    for name in names:
        if name not in transfers:
            raise ModelFileError(f'{model_file.path}: /optimizer names an unknown parameter {name!r}')
    params = [transfers[n].parameter for n in names]
    adam = torch.optim.Adam(params, lr=float(a['learning_rate']), betas=(float(a['beta1']), float(a['beta2'])),
                            eps=float(a['epsilon']))
    steps = int(a['steps'])
    m, v = opt.group('m'), opt.group('v')
    for name, p in zip(names, params):
        t = transfers[name]
        adam.state[p] = {'step': torch.tensor(float(steps)),
                         'exp_avg': t.to_torch(m.dataset(name).data).to(device),
                         'exp_avg_sq': t.to_torch(v.dataset(name).data).to(device)}
    return adam, names


def train(model_file, data, epochs=1, device='cpu', log=print, out=None, format_version=None):
    """Trains model_file's model on data (a data.Data whose training split is the one the file was trained on)
    for `epochs` more epochs, updates model_file in memory and, when out is given, writes it there (process 0).
    Returns a dict: test_accuracy (the last epoch's), test_accuracy_per_epoch, epochs, steps, seconds_per_epoch,
    status ('finished' or 'non-finite-loss')."""
    world, rank = _distributed()
    if world > 1 and str(device).startswith('cuda'):
        device = f'cuda:{int(os.environ.get("LOCAL_RANK", rank))}'
        torch.cuda.set_device(device)
    config = model_file.training
    if config is None:
        raise TrainingError(f'{model_file.path} holds no training state (/training): train it in Latentlab first')
    arch = model_file.architecture
    info = model_file.dataset_info
    n_train = int(info['samples'])
    if len(data.train) != n_train:
        raise TrainingError(f'{model_file.path} was trained on {n_train} samples, the data has {len(data.train)} '
                            f'(give the same training set, e.g. --train-samples {n_train})')
    if data.train.x.shape[1] != arch.input_size:
        raise TrainingError(f'the model takes {arch.input_size} features, the data has {data.train.x.shape[1]}')
    fp = fingerprint(data.train)
    if fp is None and rank == 0:
        log('# the training set is larger than 16 MB: its fingerprint is not checked against the file')
    if fp is not None and fp != info.get('fingerprint'):
        raise TrainingError(f'{model_file.path} was trained on other data ({info.get("fingerprint")}); this '
                            f'training set is {fp}')
    supervised_only = int(config.get('supervised_only', 0)) != 0
    binarize = int(config.get('binarize', 0)) != 0
    nl, nu = int(config['labelled_batch']), int(config['unlabelled_batch'])
    spe = steps_per_epoch(config, n_train)
    seed = int(config.get('seed', 1))
    epochs_done, steps_done = int(config['epochs_done']), int(config['steps_done'])
    total_epochs = max(int(config['epochs']), epochs_done + epochs)
    torch.manual_seed(seed * 2 + 1 + 7919 * epochs_done + 104729 * rank)

    model = from_model_file(model_file, device)
    model.train()
    objective = SemiSupervisedObjective(model)
    if world > 1:
        objective = torch.nn.parallel.DistributedDataParallel(
            objective, device_ids=[torch.device(device).index] if str(device).startswith('cuda') else None,
            find_unused_parameters=supervised_only)
    adam, names = _optimizer(model_file, model, supervised_only, device)

    x = torch.as_tensor(data.train.x, device=device)
    index, label = model_file.labels
    usable = (index >= 0) & (index < n_train) & (label >= 0) & (label < arch.classes)
    lab_index = torch.as_tensor(index[usable], device=device)
    lab_label = torch.as_tensor(label[usable], device=device)
    if not len(lab_index):
        raise TrainingError(f'{model_file.path}: the label set is empty: label at least one sample')
    test = data.test
    evaluate = int(config.get('eval_samples', 0))
    test_x = torch.as_tensor(test.x[:evaluate] if evaluate > 0 else test.x, device=device)
    test_y = torch.as_tensor(test.labels[:evaluate] if evaluate > 0 else test.labels, device=device)
    order = np.asarray(model_file.root.group('training').dataset('sample_order').data, dtype=np.int64).copy()
    cursor = int(config['cursor'])
    shuffler = np.random.default_rng(seed * 2 + 1 + 7919 * epochs_done)  # the same on every process

    step_rows, epoch_rows, accuracies, seconds = [], [], [], []
    status = 'finished'
    columns, old_steps = model_file.history('step_losses')
    history = [dict(zip(columns, r)) for r in old_steps]
    for _ in range(epochs):
        t0 = time.time()
        epoch = epochs_done + 1
        for s in range(steps_done - epochs_done * spe, spe):
            lr, beta = learning_rate_at(config, steps_done, spe, total_epochs), beta_at(config, steps_done, spe,
                                                                                          arch.beta)
            draw = torch.randint(len(lab_index), (_share(nl, rank, world),), device=device)
            x_l, y_l = x[lab_index[draw]], lab_label[draw]
            positions = []
            if not supervised_only:
                for _j in range(nu):
                    if cursor == 0:
                        shuffler.shuffle(order)
                    positions.append(order[cursor])
                    cursor = (cursor + 1) % n_train
            x_u = x[torch.as_tensor(positions[rank::world], dtype=torch.long, device=device)]
            if binarize:
                x_l, x_u = torch.bernoulli(x_l), torch.bernoulli(x_u)
            loss, stats = objective(x_l, y_l, x_u, nl, 0 if supervised_only else nu, beta, world, supervised_only)
            if world > 1:
                dist.all_reduce(stats)
            row = step_losses(stats, nl, 0 if supervised_only else nu, world, supervised_only)
            if not math.isfinite(row['total']):  # keep the last good weights, as the engine does
                status = 'non-finite-loss'
                break
            adam.zero_grad(set_to_none=True)
            loss.backward()
            for g in adam.param_groups:
                g['lr'] = lr
            adam.step()
            steps_done += 1
            row.update(step=steps_done, epoch=epoch, learning_rate=lr, beta=beta)
            step_rows.append(row)
            history.append(row)
        if status != 'finished':
            break
        epochs_done += 1
        seconds.append(time.time() - t0)
        acc = accuracy(model, test_x, test_y) if rank == 0 else float('nan')
        accuracies.append(acc)
        this = [r for r in history if int(r['epoch']) == epoch]
        means = {c: float(np.mean([r[c] for r in this])) for c in STAT_NAMES}
        epoch_rows.append(dict(means, epoch=epoch, step=steps_done, seconds=seconds[-1], test_accuracy=acc,
                               labels=len(lab_index), baseline_accuracy=float('nan')))
        if rank == 0:
            log(f'epoch {epoch:3d}/{total_epochs}  loss {means["total"]:.2f}  rec {means["reconstruction"]:.2f}  '
                f'kl {means["kl"]:.2f}  ce {means["classification"]:.4f}  H {means["entropy"]:.3f}  '
                f'L {means["labelled"]:.2f}  U {means["unlabelled"]:.2f}  test_acc {acc:.4f}  {seconds[-1]:.2f} s')

    # Back into the file: weights, Adam, where training stands, the history.
    model_file.set_parameters(model.engine_parameters())
    transfers = {t.name: t for t in model.transfers}
    opt = model_file.optimizer
    steps = None
    for name in names:
        p = transfers[name].parameter
        state = adam.state.get(p, {})
        if 'exp_avg' in state:
            opt.group('m').dataset(name).data = transfers[name].to_engine(state['exp_avg'])
            opt.group('v').dataset(name).data = transfers[name].to_engine(state['exp_avg_sq'])
            steps = int(float(state['step']))
    if steps is not None:
        opt.attrs['steps'] = steps
    opt.attrs['learning_rate'] = float(adam.param_groups[0]['lr'])
    config['epochs_done'] = epochs_done
    config['steps_done'] = steps_done
    config['epochs'] = total_epochs
    config['cursor'] = cursor
    model_file.root.group('training').dataset('sample_order').data = order.astype(np.int32)
    model_file.append_history('step_losses', step_rows)
    model_file.append_history('epoch_metrics', epoch_rows)
    if out and rank == 0:
        write_model_file(out, model_file, format_version, created_by=f'latentlab_torch {__version__} '
                                                                     f'(PyTorch {torch.__version__})')
    if world > 1:
        dist.barrier()
    return {'test_accuracy': accuracies[-1] if accuracies else float('nan'), 'test_accuracy_per_epoch': accuracies,
            'epochs': epochs_done, 'steps': steps_done, 'status': status,
            'seconds_per_epoch': float(np.mean(seconds)) if seconds else float('nan'), 'test_samples': len(test_x)}
