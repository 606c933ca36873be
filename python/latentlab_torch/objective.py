"""The semi-supervised objective of engine/model/Objective.h in PyTorch, term for term, so that a model trained
here optimises what the workbench optimises:
  labelled   L = rec(x | z, y) + beta KL + alpha CE(y, pi)             mean over labelled points
  single     U = rec(x | z, pi) + beta KL                              mean over unlabelled points
  marginal   U = sum_k pi_k (rec(x | z, k) + beta KL) - H(pi)          Kingma et al.'s M2
  pruned     U ~ sum_{k in S} pi_k f_k + pi(T) f_{k*} - H(pi)          (marginal_mass < 1: S the most likely
             classes carrying that mass, k* one class of the rest T drawn in proportion to pi)
  J = mean_labelled L + mean_unlabelled U
Autograd of these expressions gives the engine's gradients (Objective.h derives them by hand). rec is the
Bernoulli negative log-likelihood from logits, sum_i softplus(out_i) - x_i out_i, or the Gaussian one with the
fixed variance; KL = 1/2 sum_j (exp(logvar_j) + mu_j^2 - 1 - logvar_j).

A batch is split over the processes of a DistributedDataParallel run: each computes its share of the sums and
divides by the whole batch's counts, times the number of processes (DDP averages the gradients), so that the
gradient is the whole batch's.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

STAT_NAMES = ['total', 'reconstruction', 'kl', 'classification', 'entropy', 'labelled', 'unlabelled',
              'labelled_accuracy']


def reconstruction(out, x, likelihood, variance):
    """Per sample (N,): Bernoulli from logits, or Gaussian with the fixed variance."""
    if likelihood == 'bernoulli':
        return F.binary_cross_entropy_with_logits(out, x, reduction='none').sum(dim=1)
    return ((x - out) ** 2).sum(dim=1) / (2 * variance) + 0.5 * x.shape[1] * math.log(2 * math.pi * variance)


def gaussian_kl(mu, logvar):
    return 0.5 * (logvar.exp() + mu ** 2 - 1 - logvar).sum(dim=1)


def pruned_plan(probs, mass, draws):
    """The classes to decode for each row of probs (nu, K), as the engine plans them (Objective.h,
    planPrunedPoint): the most likely classes until they carry `mass` (at least one), then one class of the rest
    drawn in proportion to probs with the uniform draws (nu,). Returns the kept (point, class) pairs, the drawn
    (point, class) pairs (points with a tail of positive mass), and the per-point sort order and kept mask (in
    sorted order) for the tail's mass. Nothing here is differentiated."""
    nu, K = probs.shape
    q = probs.detach()
    order = torch.sort(q, dim=1, descending=True, stable=True).indices  # ties: the lower class first
    sorted_q = torch.gather(q, 1, order)
    before = torch.cumsum(sorted_q, dim=1) - sorted_q  # mass kept before each class
    keep = before < mass
    keep[:, 0] = True
    kept_points, kept_rank = keep.nonzero(as_tuple=True)
    kept_cls = order[kept_points, kept_rank]
    tail_mass = (sorted_q * (~keep)).sum(dim=1)
    has_tail = (~keep).any(dim=1) & (tail_mass > 0)
    # the drawn class: the first of the tail whose cumulative tail mass passes u * tail
    tail_cum = torch.cumsum(sorted_q * (~keep), dim=1)
    target = draws * tail_mass
    passed = (tail_cum > target.unsqueeze(1)) & (~keep)
    first = torch.where(passed.any(dim=1), passed.float().argmax(dim=1), torch.full_like(tail_mass, K - 1).long())
    tail_points = has_tail.nonzero(as_tuple=True)[0]
    tail_cls = order[tail_points, first[tail_points]]
    return kept_points, kept_cls, tail_points, tail_cls, order, keep


class SemiSupervisedObjective(nn.Module):
    """J for one batch: labelled points (x_l, y_l) and unlabelled points x_u, with the reparameterisation noise
    drawn here. forward returns (the loss to backpropagate, a tensor of the StepLosses sums for reporting)."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x_l, y_l, x_u, n_labelled, n_unlabelled, beta, world=1, supervised_only=False, eps=None,
                draws=None):
        """x_l (nl, D), y_l (nl,), x_u (nu, D): this process's share; n_labelled, n_unlabelled: the whole batch's
        counts. eps (nl + nu, d) and draws (nu,) are drawn here unless given (tests)."""
        a = self.model.arch
        alpha, K = a.alpha, a.classes
        if supervised_only:
            _, _, logits = self.model.encode(x_l)
            ce = F.cross_entropy(logits, y_l, reduction='sum')
            loss = world * ce / n_labelled
            stats = torch.zeros(len(STAT_NAMES) + 2, device=x_l.device)
            stats[3] = ce.detach()
            stats[7] = (logits.argmax(dim=1) == y_l).sum()
            return loss, stats
        x = torch.cat([x_l, x_u], dim=0)
        nl, nu = len(x_l), len(x_u)
        mu, logvar, logits = self.model.encode(x)
        z = mu + torch.exp(0.5 * logvar) * (torch.randn_like(mu) if eps is None else eps)
        logp = F.log_softmax(logits, dim=1)
        probs = logp.exp()
        kl = gaussian_kl(mu, logvar)
        var = a.gaussian_variance
        wl = 1.0 / n_labelled if n_labelled else 0.0
        wu = 1.0 / n_unlabelled if n_unlabelled else 0.0
        rec_sum = torch.zeros((), device=x.device)
        loss = torch.zeros((), device=x.device)
        ce_sum = correct = entropy_sum = lab_sum = unl_sum = torch.zeros((), device=x.device)
        if nl:
            y = F.one_hot(y_l, K).to(x.dtype)
            rec_l = reconstruction(self.model.decode(z[:nl], y), x_l, a.likelihood, var)
            ce = F.cross_entropy(logits[:nl], y_l, reduction='none')
            lab = (rec_l.sum() + beta * kl[:nl].sum()) * wl + alpha * ce.sum() * wl
            loss = loss + lab
            rec_sum = rec_sum + rec_l.sum()
            ce_sum = ce.sum()
            correct = (logits[:nl].argmax(dim=1) == y_l).sum()
            lab_sum = lab
        if nu:
            pu, lpu, zu, klu = probs[nl:], logp[nl:], z[nl:], kl[nl:]
            entropy = -(pu * lpu).sum(dim=1)
            if a.objective == 'single':
                rec_u = reconstruction(self.model.decode(zu, pu), x_u, a.likelihood, var)
                unl = (rec_u.sum() + beta * klu.sum()) * wu
                rec_sum = rec_sum + rec_u.sum()
            elif a.marginal_mass >= 1:
                eye = torch.eye(K, device=x.device, dtype=x.dtype)
                y = eye.repeat_interleave(nu, dim=0)  # class-major: column k nu + j decodes point j as class k
                rec = reconstruction(self.model.decode(zu.repeat(K, 1), y), x_u.repeat(K, 1), a.likelihood, var)
                rec = rec.reshape(K, nu).t()  # (nu, K)
                f = rec + beta * klu.unsqueeze(1)
                unl = ((pu * f).sum() - entropy.sum()) * wu
                rec_sum = rec_sum + (pu * rec).sum().detach()
            else:
                draws = torch.rand(nu, device=x.device) if draws is None else draws
                kp, kc, tp, tc, order, keep = pruned_plan(pu, a.marginal_mass, draws)
                points = torch.cat([kp, tp])
                classes = torch.cat([kc, tc])
                rec = reconstruction(self.model.decode(zu[points], F.one_hot(classes, K).to(x.dtype)), x_u[points],
                                     a.likelihood, var)
                tail_mass = (torch.gather(pu, 1, order) * (~keep)).sum(dim=1)  # pi(T), differentiable
                weight = torch.cat([pu[kp, kc], tail_mass[tp]])
                f = rec + beta * klu[points]
                unl = ((weight * f).sum() - entropy.sum()) * wu
                rec_sum = rec_sum + (weight * rec).sum().detach()
            loss = loss + unl
            entropy_sum = entropy.sum()
            unl_sum = unl
        stats = torch.stack([(lab_sum + unl_sum).detach(), rec_sum.detach(), kl.sum().detach(), ce_sum.detach(),
                             entropy_sum.detach(), lab_sum.detach() if nl else lab_sum, unl_sum.detach() if nu else unl_sum,
                             correct.to(rec_sum.dtype), torch.tensor(float(nl), device=x.device),
                             torch.tensor(float(nu), device=x.device)])
        return world * loss, stats


def step_losses(stats, n_labelled, n_unlabelled, world=1, supervised_only=False):
    """The StepLosses row of one step from the stats summed over the processes (engine: Objective::forward).
    labelled and unlabelled come as each process's share (already divided by the whole batch's counts)."""
    s = stats.tolist()
    n = max(n_labelled + n_unlabelled, 1)
    out = dict(zip(STAT_NAMES, [0.0] * len(STAT_NAMES)))
    if supervised_only:
        out['classification'] = s[3] / n_labelled
        out['total'] = out['classification']
        out['labelled_accuracy'] = s[7] / n_labelled
        return out
    out['labelled'] = s[5]
    out['unlabelled'] = s[6]
    out['total'] = s[5] + s[6]
    out['reconstruction'] = s[1] / n
    out['kl'] = s[2] / n
    out['classification'] = s[3] / n_labelled if n_labelled else 0.0
    out['entropy'] = s[4] / n_unlabelled if n_unlabelled else 0.0
    out['labelled_accuracy'] = s[7] / n_labelled if n_labelled else 0.0
    return out
