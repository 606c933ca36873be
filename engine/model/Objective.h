#pragma once
// The semi-supervised objective of docs/model.md, written once for every flavour. It sees the network only
// through what the network computed: q(y|x) (logits, log-probabilities, probabilities), the KL of q(z|x) per
// point and the reconstruction loss of each decoded column. Its terms are forward/backward pairs:
//   labelled   L = rec(x | z, y) + beta KL + alpha CE(y, pi)              (mean over labelled points)
//   single     U = rec(x | z, pi) + beta KL                               (mean over unlabelled points)
//   marginal   U = sum_k pi_k (rec(x | z, k) + beta KL) - H(pi)           (Kingma et al.'s M2)
//   J = mean_labelled L + mean_unlabelled U
// Pruned marginal (mass threshold tau < 1): for each unlabelled point, S = the most likely classes that
// together carry at least tau of pi (at least one), and one class k* drawn from the rest T in proportion to
// pi. Only those are decoded:
//   U ~ sum_{k in S} pi_k f_k + pi(T) f_{k*} - H(pi),  f_k = rec(x | z, k) + beta KL
// an unbiased estimate of the marginal U (E[f_{k*}] = sum_{k in T} pi_k f_k / pi(T)). Its gradient with respect
// to pi is the marginal's with f_{k*} standing in for every f_k of T. tau >= 1 decodes every class: the exact
// marginal.
// Shapes: K classes, nl labelled and nu unlabelled points (n = nl + nu, labelled columns first); logits,
// logp, probs (K x n); kl (1 x n); decoded columns m = nl + nu (single) or nl + (decodes of the unlabelled
// points) (marginal: nl + K nu, class-major, column nl + k nu + j decoding point j as class k; pruned: each
// point's classes in turn). rec (1 x m).
//
// A step: plan() says which columns to decode and with what weight in J (the weights are needed before the
// decoder's loss, which computes its gradient in the same pass); after decoding, forward() gives the terms'
// values and backward() dJ/dlogits and the KL's weights. The single objective's unlabelled points also get a
// gradient through the decoder's probability input: addDecoderProbsGradient().
#include <algorithm>
#include <cmath>
#include <vector>

#include "engine/core/Types.h"
#include "engine/losses/CrossEntropy.h"
#include "engine/losses/Softmax.h"
#include "engine/model/DecoderInput.h"
#include "engine/model/ModelConfig.h"
#include "engine/model/StepLosses.h"

namespace latentlab {

template <typename T> class SemiSupervisedObjective {
 public:
  // Decoded columns for a batch of nl labelled points (labels) and nu unlabelled ones. The marginal objective
  // reads q(y|x) (probs, K x n) and, pruned (massThreshold < 1), one uniform draw per unlabelled point (draws,
  // nu values in [0, 1)) to pick the class that stands for the pruned ones.
  const DecoderColumns& plan(const std::vector<int>& labels, int nu, Objective objective, int classes,
                             const Matrix<T>& probs, double massThreshold = 1.0, const std::vector<T>* draws = nullptr) {
    const int nl = int(labels.size()), K = classes;
    nl_ = nl;
    nu_ = nu;
    K_ = K;
    marginal_ = objective == Objective::Marginal && nu > 0;
    plan_.zColumn.clear();
    plan_.label.clear();
    point_.clear();
    mass_.clear();
    standsForTail_.clear();
    for (int i = 0; i < nl; ++i) {
      plan_.zColumn.push_back(i);
      plan_.label.push_back(labels[i]);
    }
    if (!marginal_) {
      for (int j = 0; j < nu; ++j) plan_.zColumn.push_back(nl + j);
      plan_.probsStart = nl;
      return plan_;
    }
    const bool pruned = massThreshold < 1.0;
    if (pruned && (!draws || int(draws->size()) != nu))
      throw Error("Objective", "the pruned marginal needs one draw per unlabelled point");
    if (!pruned) {
      for (int k = 0; k < K; ++k)
        for (int j = 0; j < nu; ++j) addMarginalColumn(j, k, probs(k, nl + j));
    } else {
      order_.resize(K);
      for (int j = 0; j < nu; ++j) planPrunedPoint(j, probs.col(nl + j), T(massThreshold), (*draws)[j]);
    }
    plan_.probsStart = plan_.size();
    return plan_;
  }
  // Unlabelled decodes planned (nu single, K nu exact marginal, fewer pruned).
  int unlabelledDecodes() const { return plan_.size() - nl_; }
  // The unlabelled point each marginal column decodes (column nl + i reads point nl + point(i)).
  const std::vector<int>& marginalPoints() const { return point_; }
  bool marginal() const { return marginal_; }
  const DecoderColumns& columns() const { return plan_; }

  // Each decoded column's weight in J: 1/nl labelled, 1/nu unlabelled (single), pi_k / nu for class k
  // (marginal). probs (K x n).
  const RowVector<T>& columnWeights() {
    const T wl = weightLabelled(), wu = weightUnlabelled();
    weights_.resize(plan_.size());
    weights_.leftCols(nl_).setConstant(wl);
    if (marginal_) {
      for (size_t i = 0; i < mass_.size(); ++i) weights_(nl_ + int(i)) = mass_[i] * wu;
    } else {
      weights_.rightCols(nu_).setConstant(wu);
    }
    return weights_;
  }

  // The terms' values (batch means), from the network's outputs. logits, logp, probs (K x n); kl (1 x n);
  // rec (1 x m) for the planned columns; labels (nl).
  StepLosses forward(const Matrix<T>& logits, const Matrix<T>& logp, const Matrix<T>& probs, const RowVector<T>& kl,
                     const RowVector<T>& rec, const std::vector<int>& labels, double alpha, double beta) {
    logits_ = &logits;
    logp_ = &logp;
    probs_ = &probs;
    kl_ = &kl;
    rec_ = &rec;
    labels_ = &labels;
    alpha_ = T(alpha);
    beta_ = T(beta);
    StepLosses s;
    if (nl_ > 0) labelledForward(s);
    if (nu_ > 0) marginal_ ? marginalForward(s) : singleForward(s);
    const int n = std::max(nl_ + nu_, 1);
    s.reconstruction /= n;
    s.kl = kl.sum() / n;
    s.total = s.labelled + s.unlabelled;
    return s;
  }

  // dJ/dlogits (K x n) of the terms computed in forward (the single objective's decoder path is added by
  // addDecoderProbsGradient), and the KL's weight per point (beta / nl or beta / nu).
  void backward(Matrix<T>& dLogits, RowVector<T>& klWeights) {
    dLogits.resize(K_, nl_ + nu_);
    g_.resize(K_);
    if (nl_ > 0) labelledBackward(dLogits);
    if (nu_ > 0) {
      if (marginal_)
        marginalBackward(dLogits);
      else
        dLogits.rightCols(nu_).setZero();
    }
    klWeights.resize(nl_ + nu_);
    klWeights.leftCols(nl_).setConstant(beta_ * weightLabelled());
    klWeights.rightCols(nu_).setConstant(beta_ * weightUnlabelled());
  }

  // Single objective: the decoder read softmax(logits) for the unlabelled points; dProbs (K x nu) is dJ/dprobs
  // from the decoder's input layer. Adds its path through the softmax to dLogits' unlabelled columns.
  void addDecoderProbsGradient(const Matrix<T>& dProbs, Matrix<T>& dLogits) {
    if (marginal_ || nu_ == 0) return;
    probsUnl_ = probs_->rightCols(nu_);
    softmaxBackward(probsUnl_, dProbs, dUnl_);  // dl = p * (dP - sum_k p_k dP_k)
    dLogits.rightCols(nu_) += dUnl_;
  }

 private:
  T weightLabelled() const { return nl_ > 0 ? T(1) / T(nl_) : T(0); }
  T weightUnlabelled() const { return nu_ > 0 ? T(1) / T(nu_) : T(0); }

  // L = rec + beta KL + alpha CE over the labelled columns 0..nl-1.
  void labelledForward(StepLosses& s) {
    const T wl = weightLabelled();
    logitsLab_ = logits_->leftCols(nl_);
    crossEntropy(logitsLab_, *labels_, ce_);
    const double rec = rec_->leftCols(nl_).sum(), kl = kl_->leftCols(nl_).sum();
    s.classification = ce_.sum() * wl;
    s.labelled = (rec + beta_ * kl) * wl + alpha_ * s.classification;
    int correct = 0;
    for (int i = 0; i < nl_; ++i) {
      Eigen::Index arg;
      logits_->col(i).maxCoeff(&arg);
      correct += int(arg) == (*labels_)[i];
    }
    s.labelledAccuracy = double(correct) * wl;
    s.reconstruction += rec;
  }
  // dL/dlogits = alpha / nl (softmax(l) - onehot(y)); rec and KL reach the network through the decoder and
  // the KL weights.
  void labelledBackward(Matrix<T>& dLogits) {
    ceWeights_.setConstant(nl_, alpha_ * weightLabelled());
    crossEntropyBackward(logitsLab_, *labels_, ceWeights_, dLab_);
    dLogits.leftCols(nl_) = dLab_;
  }

  // U = rec(x | z, pi) + beta KL; its gradient wrt pi flows through the decoder's input.
  void singleForward(StepLosses& s) {
    const T wu = weightUnlabelled();
    const double rec = rec_->rightCols(nu_).sum();
    s.unlabelled = (rec + beta_ * kl_->rightCols(nu_).sum()) * wu;
    s.reconstruction += rec;
    s.entropy = -(probs_->rightCols(nu_).array() * logp_->rightCols(nu_).array()).sum() * wu;
  }

  // U = sum_k q_k f_k - H(q) = sum_k q_k (f_k + log q_k), f_k = rec_k + beta KL; pruned, the decoded columns'
  // masses (q_k, or pi(T) for the class standing for the pruned ones) weigh their f.
  void marginalForward(StepLosses& s) {
    const T wu = weightUnlabelled();
    double total = 0, recExpected = 0, entropy = 0;
    for (size_t i = 0; i < mass_.size(); ++i) {
      const T r = (*rec_)(nl_ + int(i));
      total += mass_[i] * (r + beta_ * (*kl_)(nl_ + point_[i]));
      recExpected += mass_[i] * r;
    }
    for (int j = 0; j < nu_; ++j)
      for (int k = 0; k < K_; ++k) entropy -= (*probs_)(k, nl_ + j) * (*logp_)(k, nl_ + j);
    s.unlabelled = (total - entropy) * wu;
    s.reconstruction += recExpected;
    s.entropy = entropy * wu;
  }
  // With g_k = f_k + log q_k (dU/dq_k less a constant that the softmax cancels):
  //   dU/dlogit_k = q_k (g_k - sum_l q_l g_l)
  // Pruned, every class of T takes the f of the class decoded for them.
  void marginalBackward(Matrix<T>& dLogits) {
    const T wu = weightUnlabelled();
    f_.setZero(K_, nu_);
    for (size_t i = 0; i < mass_.size(); ++i) {
      const int j = point_[i], k = plan_.label[nl_ + int(i)];
      const T f = (*rec_)(nl_ + int(i)) + beta_ * (*kl_)(nl_ + j);
      if (standsForTail_[i]) {
        for (int l = 0; l < K_; ++l)
          if (inTail(j, l)) f_(l, j) = f;
      } else {
        f_(k, j) = f;
      }
    }
    for (int j = 0; j < nu_; ++j) {
      const int c = nl_ + j;
      T mean = 0;
      for (int k = 0; k < K_; ++k) {
        g_(k) = f_(k, j) + (*logp_)(k, c);
        mean += (*probs_)(k, c) * g_(k);
      }
      for (int k = 0; k < K_; ++k) dLogits(k, c) = (*probs_)(k, c) * (g_(k) - mean) * wu;
    }
  }

  void addMarginalColumn(int j, int k, T mass, bool standsForTail = false) {
    plan_.zColumn.push_back(nl_ + j);
    plan_.label.push_back(k);
    point_.push_back(j);
    mass_.push_back(mass);
    standsForTail_.push_back(standsForTail);
  }

  // S: the most likely classes up to the mass threshold; one class of the rest, drawn with probability
  // q_k / q(T) by the uniform u, decoded with weight q(T).
  void planPrunedPoint(int j, const Eigen::Ref<const Vector<T>>& q, T threshold, T u) {
    for (int k = 0; k < K_; ++k) order_[k] = k;
    std::sort(order_.begin(), order_.end(), [&](int a, int b) { return q(a) > q(b) || (q(a) == q(b) && a < b); });
    T kept = 0;
    int s = 0;
    while (s < K_ && (s == 0 || kept < threshold)) kept += q(order_[s++]);
    tailStart_.resize(nu_);
    tailStart_[j] = s;
    tailOrder_.resize(size_t(nu_) * K_);
    std::copy(order_.begin(), order_.end(), tailOrder_.begin() + size_t(j) * K_);
    for (int i = 0; i < s; ++i) addMarginalColumn(j, order_[i], q(order_[i]));
    if (s == K_) return;
    T tail = 0;
    for (int i = s; i < K_; ++i) tail += q(order_[i]);
    if (!(tail > 0)) return;
    T target = u * tail, cumulative = 0;
    int pick = order_[K_ - 1];
    for (int i = s; i < K_; ++i) {
      cumulative += q(order_[i]);
      if (target < cumulative) {
        pick = order_[i];
        break;
      }
    }
    addMarginalColumn(j, pick, tail, true);
  }
  bool inTail(int j, int k) const {
    for (int i = tailStart_[j]; i < K_; ++i)
      if (tailOrder_[size_t(j) * K_ + i] == k) return true;
    return false;
  }

  int nl_ = 0, nu_ = 0, K_ = 0;
  bool marginal_ = false;
  T alpha_ = 0, beta_ = 0;
  DecoderColumns plan_;
  // Marginal columns nl + i: the point they decode, the mass that weighs them, whether the class stands for
  // the pruned ones; per point, its classes by decreasing q and where the pruned ones start.
  std::vector<int> point_, order_, tailOrder_, tailStart_;
  std::vector<T> mass_;
  std::vector<bool> standsForTail_;
  Matrix<T> f_;
  RowVector<T> weights_, ce_, ceWeights_;
  Matrix<T> logitsLab_, dLab_, probsUnl_, dUnl_;
  Vector<T> g_;
  const Matrix<T>*logits_ = nullptr, *logp_ = nullptr, *probs_ = nullptr;
  const RowVector<T>*kl_ = nullptr, *rec_ = nullptr;
  const std::vector<int>* labels_ = nullptr;
};

}  // namespace latentlab
