#!/usr/bin/python3
"""Unit tests of latentlab_torch that need no Latentlab build: model files round-trip in both format versions
(and convert between them), every layout transfer is its own inverse, the pruned marginal plans what the
engine plans and is an unbiased estimate of the marginal, and the marginal's gradient with respect to the
classifier's logits is the one Objective.h derives by hand. Skipped without torch (run: python3 -m unittest)."""
import os
import sys
import tempfile
import unittest

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from latentlab_torch.modelfile import Architecture, Dataset, Group, ModelFile, read_model_file, write_model_file  # noqa

try:
    import torch
except ImportError:  # the tests that need it are skipped
    torch = None


def architecture(**kw):
    a = dict(flavour='dense', input_size=12, hidden=[8, 6], latent=3, classes=4, class_names=['a', 'b', 'c', 'd'],
             activation='softplus', objective='marginal', likelihood='bernoulli', alpha=2.0, beta=1.5)
    a.update(kw)
    return a


def tiny_file(version=1, **arch):
    """A complete model file tree with random weights, as the engine would write it."""
    a = architecture(**arch)
    attrs = dict(a, hidden=np.array(a['hidden'], dtype=np.int64), gaussian_variance=1.0)
    root = Group({'format': 'latentlab-model', 'format_version': version, 'created_by': 'test'})
    root.children['architecture'] = Group(attrs)
    if torch is not None:
        from latentlab_torch.model import LatentlabVAE
        model = LatentlabVAE(Architecture.from_attrs(attrs, 'test'))
        shapes = {t.name: t.shape for t in model.transfers}
    else:
        shapes = {'encoder.trunk.0.W': (8, 12)}
    rng = np.random.default_rng(1)
    params = Group({'order': list(shapes)})
    for name, shape in shapes.items():
        params.children[name] = Dataset(rng.normal(size=shape).astype(np.float32) * 0.3)
    if version == 2:
        params.attrs['decoder_trained'] = 1
    root.children['parameters'] = params
    root.children['dataset'] = Group({'name': 'test', 'fingerprint': 'fnv1a64:0', 'samples': 20, 'height': 3,
                                      'width': 4})
    root.children['labels'] = Group({'source_names': ['initial', 'user', 'accepted-prediction', 'dataset']}, {
        'index': Dataset(np.arange(4, dtype=np.int32)), 'label': Dataset(np.arange(4, dtype=np.int32)),
        'source': Dataset(np.zeros(4, dtype=np.uint8))})
    from latentlab_torch.modelfile import EPOCH_COLUMNS, STEP_COLUMNS
    training = Group({'epochs': 1, 'labelled_batch': 4, 'unlabelled_batch': 5, 'learning_rate': 1e-3,
                      'schedule': 'constant', 'seed': 1, 'supervised_only': 0, 'binarize': 0, 'steps_per_epoch': 0,
                      'eval_samples': 0, 'beta_warmup_epochs': 0.0, 'epochs_done': 1, 'steps_done': 4, 'cursor': 0,
                      'data_rng': np.arange(6, dtype=np.int64), 'noise_rng': np.arange(6, dtype=np.int64)})
    training.children['sample_order'] = Dataset(np.arange(20, dtype=np.int32))
    training.children['step_losses'] = Dataset(rng.normal(size=(4, len(STEP_COLUMNS[version]))),
                                               {'columns': STEP_COLUMNS[version]})
    training.children['epoch_metrics'] = Dataset(rng.normal(size=(1, len(EPOCH_COLUMNS[version]))),
                                                  {'columns': EPOCH_COLUMNS[version]})
    root.children['training'] = training
    opt = Group({'kind': 'adam', 'learning_rate': 1e-3, 'beta1': 0.9, 'beta2': 0.999, 'epsilon': 1e-8, 'steps': 4,
                 'parameters': list(shapes)}, {'m': Group(), 'v': Group()})
    for name, shape in shapes.items():
        opt.children['m'].children[name] = Dataset(rng.normal(size=shape).astype(np.float32))
        opt.children['v'].children[name] = Dataset(np.abs(rng.normal(size=shape)).astype(np.float32))
    root.children['optimizer'] = opt
    return ModelFile(root, version, 'test.h5')


def same_tree(a, b, path='/'):
    """Differences between two trees (attributes compared as values, datasets as arrays)."""
    out = []
    if set(a.attrs) != set(b.attrs):
        out.append(f'{path}: attributes {sorted(a.attrs)} vs {sorted(b.attrs)}')
    for k in a.attrs:
        if k in b.attrs and not np.array_equal(np.asarray(a.attrs[k], dtype=object), np.asarray(b.attrs[k], dtype=object)):
            out.append(f'{path}@{k}: {a.attrs[k]!r} vs {b.attrs[k]!r}')
    if sorted(a.children) != sorted(b.children):
        out.append(f'{path}: children {list(a.children)} vs {list(b.children)}')
    for k, c in a.children.items():
        d = b.children.get(k)
        if isinstance(c, Group) and isinstance(d, Group):
            out += same_tree(c, d, path + k + '/')
        elif isinstance(c, Dataset) and isinstance(d, Dataset):
            if not np.array_equal(c.data, d.data, equal_nan=True):
                out.append(f'{path}{k}: data differ')
            out += same_tree(Group(c.attrs), Group(d.attrs), path + k + '@')
    return out


class ModelFileTest(unittest.TestCase):
    def test_round_trip_in_both_versions(self):
        import h5py
        for version in (1, 2):
            mf = tiny_file(version)
            with tempfile.TemporaryDirectory() as tmp:
                path = os.path.join(tmp, 'm.h5')
                write_model_file(path, mf)
                back = read_model_file(path)
                self.assertEqual(back.version, version)
                self.assertEqual(same_tree(mf.root, back.root), [])
                with h5py.File(path, 'r') as f:
                    ds = f['parameters/encoder.trunk.0.W']
                    self.assertEqual(ds.fletcher32, version == 2)
                    name = f['architecture'].attrs.get_id('flavour').get_type()
                    self.assertEqual(name.is_variable_str(), version == 1)
                    self.assertEqual(f['labels/index'].dtype, np.dtype('<i4'))
                    self.assertEqual(f.attrs['format_version'].dtype, np.dtype('<i8'))
                self.assertEqual([f for f in os.listdir(tmp)], ['m.h5'])  # no temporary file left

    def test_conversion_between_versions(self):
        mf = tiny_file(1)
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, 'm.h5')
            steps = mf.history('step_losses')[1]
            write_model_file(path, mf, version=2)
            back = read_model_file(path)
            columns, rows = back.history('step_losses')
            self.assertEqual(columns[:4], ['step', 'epoch', 'learning_rate', 'beta'])
            np.testing.assert_array_equal(rows[:, 0], steps[:, 0])
            np.testing.assert_array_equal(rows[:, 4:], steps[:, 2:])
            self.assertTrue((rows[:, 2:4] == 0).all())
            self.assertTrue(np.isnan(back.history('epoch_metrics')[1][:, 5]).all())
            self.assertEqual(back.root.group('parameters').attrs['decoder_trained'], 1)
            write_model_file(path, back, version=1)
            again = read_model_file(path)
            np.testing.assert_array_equal(again.history('step_losses')[1], steps)
            self.assertNotIn('decoder_trained', again.root.group('parameters').attrs)


@unittest.skipIf(torch is None, 'torch is not importable')
class TorchTest(unittest.TestCase):
    def test_transfers_are_their_own_inverse(self):
        from latentlab_torch.model import LatentlabVAE
        for arch in (architecture(),
                     architecture(flavour='conv', input_size=2 * 8 * 8, input_kind='image', input_channels=2,
                                  input_height=8, input_width=8, conv_channels=np.array([3, 5]), hidden=[7]),
                     architecture(flavour='recurrent', input_size=6 * 2, input_kind='sequence', input_steps=6,
                                  input_channels=2, lstm_hidden=5, lstm_layers=2)):
            model = LatentlabVAE(Architecture.from_attrs(arch, 'test'))
            rng = np.random.default_rng(3)
            values = {t.name: rng.normal(size=t.shape).astype(np.float32) for t in model.transfers}
            model.load_engine_parameters(values)
            back = model.engine_parameters()
            for name, value in values.items():
                np.testing.assert_array_equal(back[name], value, err_msg=name)
            if arch['flavour'] == 'conv':  # the engine's column (ky*k + kx)*Cin + c is torch's [co, c, ky, kx]
                W = values['encoder.trunk.0.W']
                self.assertEqual(model.convs[0].weight[1, 1, 2, 3].item(), W[1, (2 * 4 + 3) * 2 + 1])
            if arch['flavour'] == 'recurrent':  # the engine's one bias; torch's second held at zero
                self.assertFalse(model.lstms[0].bias_hh_l0.requires_grad)
                self.assertEqual(float(model.lstms[0].bias_hh_l0.abs().sum()), 0.0)

    def test_pruned_plan_is_the_engines(self):
        from latentlab_torch.objective import pruned_plan

        def engine_plan(q, tau, u):  # Objective.h planPrunedPoint, line for line
            K = len(q)
            order = sorted(range(K), key=lambda k: (-q[k], k))
            kept, s = 0.0, 0
            while s < K and (s == 0 or kept < tau):
                kept += q[order[s]]
                s += 1
            cols = [(order[i], q[order[i]]) for i in range(s)]
            if s == K:
                return cols
            tail = sum(q[order[i]] for i in range(s, K))
            if not tail > 0:
                return cols
            target, cumulative, pick = u * tail, 0.0, order[K - 1]
            for i in range(s, K):
                cumulative += q[order[i]]
                if target < cumulative:
                    pick = order[i]
                    break
            return cols + [(pick, tail)]

        rng = np.random.default_rng(5)
        for tau in (0.3, 0.6, 0.9, 0.999):
            q = rng.dirichlet(np.ones(6) * 0.4, size=40)
            q[0] = [0.5, 0.5, 0, 0, 0, 0]  # ties and an empty tail
            u = rng.uniform(size=40)
            probs = torch.tensor(q, dtype=torch.float64)
            kp, kc, tp, tc, order, keep = pruned_plan(probs, tau, torch.tensor(u, dtype=torch.float64))
            tail_mass = (torch.gather(probs, 1, order) * (~keep)).sum(dim=1)
            for j in range(40):
                ours = [(int(c), float(probs[j, c])) for p, c in zip(kp, kc) if p == j]
                ours += [(int(c), float(tail_mass[j])) for p, c in zip(tp, tc) if p == j]
                theirs = engine_plan(list(q[j]), tau, u[j])
                self.assertEqual([c for c, _ in ours], [c for c, _ in theirs], f'point {j}, tau {tau}')
                np.testing.assert_allclose([w for _, w in ours], [w for _, w in theirs], rtol=1e-12)

    def _objective(self, objective='marginal', mass=1.0):
        from latentlab_torch.model import LatentlabVAE
        from latentlab_torch.objective import SemiSupervisedObjective
        torch.manual_seed(0)
        arch = Architecture.from_attrs(architecture(objective=objective, marginal_mass=mass), 'test')
        model = LatentlabVAE(arch).double()
        x = torch.rand(7, 12, dtype=torch.float64)
        eps = torch.randn(7, 3, dtype=torch.float64)
        return model, SemiSupervisedObjective(model), x, eps

    def test_pruned_marginal_is_unbiased(self):
        model, objective, x, eps = self._objective('marginal', 1.0)
        y = torch.tensor([0, 2])
        exact = objective(x[:2], y, x[2:], 2, 5, 1.5, eps=eps)[0].item()
        model.arch.marginal_mass = 0.5
        estimates = [objective(x[:2], y, x[2:], 2, 5, 1.5, eps=eps, draws=torch.rand(5, dtype=torch.float64))[0].item()
                     for _ in range(3000)]
        self.assertLess(abs(np.mean(estimates) - exact), 4 * np.std(estimates) / np.sqrt(len(estimates)) + 1e-9)

    def test_marginal_gradient_is_objective_h(self):
        # dU/dlogit_k = q_k (g_k - sum_l q_l g_l) / nu with g_k = f_k + log q_k (Objective.h, marginalBackward)
        import torch.nn.functional as F
        from latentlab_torch.objective import gaussian_kl, reconstruction
        model, objective, x, eps = self._objective('marginal')
        mu, logvar, logits = model.encode(x)
        logits = logits.detach().requires_grad_(True)
        model.encode = lambda _x: (mu, logvar, logits)
        loss, _ = objective(x[:0], torch.zeros(0, dtype=torch.long), x, 0, 7, 1.5, eps=eps)
        loss.backward()
        with torch.no_grad():
            q = F.softmax(logits, dim=1)
            z = mu + torch.exp(0.5 * logvar) * eps
            f = torch.stack([reconstruction(model.decode(z, F.one_hot(torch.full((7,), k), 4).double()), x,
                                            'bernoulli', 1.0) for k in range(4)], dim=1)
            f = f + 1.5 * gaussian_kl(mu, logvar).unsqueeze(1)
            g = f + torch.log(q)
            hand = q * (g - (q * g).sum(dim=1, keepdim=True)) / 7
        np.testing.assert_allclose(logits.grad.numpy(), hand.numpy(), rtol=1e-9, atol=1e-12)


if __name__ == '__main__':
    unittest.main()
