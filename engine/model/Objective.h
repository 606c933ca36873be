#pragma once
// The semi-supervised objective of docs/model.md, written once for every flavour. It sees the network only
// through what the network computed: q(y|x) (logits, log-probabilities, probabilities), the KL of q(z|x) per
// point and the reconstruction loss of each decoded column. Its terms are forward/backward pairs:
//   labelled   L = rec(x | z, y) + beta KL + alpha CE(y, pi)              (mean over labelled points)
//   single     U = rec(x | z, pi) + beta KL                               (mean over unlabelled points)
//   marginal   U = sum_k pi_k (rec(x | z, k) + beta KL) - H(pi)           (Kingma et al.'s M2)
//   J = mean_labelled L + mean_unlabelled U
// Shapes: K classes, nl labelled and nu unlabelled points (n = nl + nu, labelled columns first); logits,
// logp, probs (K x n); kl (1 x n); decoded columns m = nl + nu (single) or nl + K nu (marginal), class-major:
// column nl + k nu + j decodes unlabelled point j as class k. rec (1 x m).
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
  // Decoded columns for a batch of nl labelled points (labels) and nu unlabelled ones.
  const DecoderColumns& plan(const std::vector<int>& labels, int nu, Objective objective, int classes) {
    const int nl = int(labels.size()), K = classes;
    nl_ = nl;
    nu_ = nu;
    K_ = K;
    marginal_ = objective == Objective::Marginal && nu > 0;
    const int m = marginal_ ? nl + K * nu : nl + nu;
    plan_.zColumn.resize(m);
    plan_.label.resize(marginal_ ? m : nl);
    for (int i = 0; i < nl; ++i) {
      plan_.zColumn[i] = i;
      plan_.label[i] = labels[i];
    }
    if (marginal_) {
      for (int k = 0; k < K; ++k)
        for (int j = 0; j < nu; ++j) {
          plan_.zColumn[nl + k * nu + j] = nl + j;
          plan_.label[nl + k * nu + j] = k;
        }
      plan_.probsStart = m;
    } else {
      for (int j = 0; j < nu; ++j) plan_.zColumn[nl + j] = nl + j;
      plan_.probsStart = nl;
    }
    return plan_;
  }
  bool marginal() const { return marginal_; }
  const DecoderColumns& columns() const { return plan_; }

  // Each decoded column's weight in J: 1/nl labelled, 1/nu unlabelled (single), pi_k / nu for class k
  // (marginal). probs (K x n).
  const RowVector<T>& columnWeights(const Matrix<T>& probs) {
    const T wl = weightLabelled(), wu = weightUnlabelled();
    weights_.resize(plan_.size());
    weights_.leftCols(nl_).setConstant(wl);
    if (marginal_) {
      for (int k = 0; k < K_; ++k) weights_.segment(nl_ + k * nu_, nu_) = probs.row(k).tail(nu_) * wu;
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

  // U = sum_k q_k f_k - H(q) = sum_k q_k (f_k + log q_k), f_k = rec_k + beta KL.
  void marginalForward(StepLosses& s) {
    const T wu = weightUnlabelled();
    double total = 0, recExpected = 0, entropy = 0;
    for (int j = 0; j < nu_; ++j) {
      const int c = nl_ + j;
      for (int k = 0; k < K_; ++k) {
        const T q = (*probs_)(k, c), r = (*rec_)(nl_ + k * nu_ + j), lq = (*logp_)(k, c);
        total += q * (r + beta_ * (*kl_)(c) + lq);
        recExpected += q * r;
        entropy -= q * lq;
      }
    }
    s.unlabelled = total * wu;
    s.reconstruction += recExpected;
    s.entropy = entropy * wu;
  }
  // With g_k = f_k + log q_k (dU/dq_k less a constant that the softmax cancels):
  //   dU/dlogit_k = q_k (g_k - sum_l q_l g_l)
  void marginalBackward(Matrix<T>& dLogits) {
    const T wu = weightUnlabelled();
    g_.resize(K_);
    for (int j = 0; j < nu_; ++j) {
      const int c = nl_ + j;
      T mean = 0;
      for (int k = 0; k < K_; ++k) {
        g_(k) = (*rec_)(nl_ + k * nu_ + j) + beta_ * (*kl_)(c) + (*logp_)(k, c);
        mean += (*probs_)(k, c) * g_(k);
      }
      for (int k = 0; k < K_; ++k) dLogits(k, c) = (*probs_)(k, c) * (g_(k) - mean) * wu;
    }
  }

  int nl_ = 0, nu_ = 0, K_ = 0;
  bool marginal_ = false;
  T alpha_ = 0, beta_ = 0;
  DecoderColumns plan_;
  RowVector<T> weights_, ce_, ceWeights_;
  Matrix<T> logitsLab_, dLab_, probsUnl_, dUnl_;
  Vector<T> g_;
  const Matrix<T>*logits_ = nullptr, *logp_ = nullptr, *probs_ = nullptr;
  const RowVector<T>*kl_ = nullptr, *rec_ = nullptr;
  const std::vector<int>* labels_ = nullptr;
};

}  // namespace latentlab
