#pragma once
// The semi-supervised VAE of MODEL.md: a shared encoder trunk with three heads (mu, logvar, pi = q(y|x))
// and a decoder p(x | z, y) reading the true label where known and pi's output (single objective) or
// every class in turn (marginal objective, Kingma et al.'s M2) where not.
//
// Shapes: x (D x n), h (H x n), mu / logvar / eps / z (d x n), logits / probs (K x n),
//         decoder columns m = nl + nu (single) or nl + K nu (marginal), decoder output (D x m).
// Decoder column order: labelled points, then unlabelled (marginal: class-major, column nl + k nu + j).
//
// Objective per step (batch means):
//   labelled   L = rec(x | z, y) + beta KL + alpha CE(y, pi)
//   single     U = rec(x | z, pi) + beta KL
//   marginal   U = sum_k pi_k (rec(x | z, k) + beta KL) - H(pi)
//   J = mean_labelled L + mean_unlabelled U
#include <algorithm>
#include <cmath>
#include <memory>

#include "engine/core/Error.h"
#include "engine/layers/ActivationKind.h"
#include "engine/layers/Dense.h"
#include "engine/layers/Sequential.h"
#include "engine/losses/BernoulliNll.h"
#include "engine/losses/CrossEntropy.h"
#include "engine/losses/GaussianKl.h"
#include "engine/losses/GaussianNll.h"
#include "engine/losses/Softmax.h"
#include "engine/model/Batch.h"
#include "engine/model/DecoderInput.h"
#include "engine/model/ModelConfig.h"
#include "engine/model/Reparameterisation.h"
#include "engine/model/StepLosses.h"

namespace latentlab {

template <typename T> class SemiSupervisedVae {
 public:
  SemiSupervisedVae(const ModelConfig& config, uint64_t seed) : config_(config) {
    config_.validate();
    buildDense();
    Random rng(seed);
    trunk_.initialise(rng);
    heads_->initialise(rng);
    decoderInput_->initialise(rng);
    decoderBody_.initialise(rng);
    trunk_.setInputGradientNeeded(false);  // nothing upstream of the data
  }

  const ModelConfig& config() const { return config_; }
  void setBeta(double beta) { config_.beta = beta; }  // KL warm-up changes it while training

  // Every parameter, named: encoder.trunk.*, encoder.heads.*, decoder.input.*, decoder.body.*
  // The three heads are one matrix, rows [mu (d); logvar (d); pi logits (K)], so that they cost one product.
  ParameterList<T> parameters() {
    ParameterList<T> all = classifierParameters();
    append(all, "decoder.input.", decoderInput_->parameters());
    append(all, "decoder.body.", decoderBody_.parameters());
    return all;
  }

  // The equivalent supervised classifier's parameters: trunk + heads (only the pi rows get a gradient there,
  // so Adam leaves the mu and logvar rows where they are).
  ParameterList<T> classifierParameters() {
    ParameterList<T> all;
    append(all, "encoder.trunk.", trunk_.parameters());
    append(all, "encoder.heads.", heads_->parameters());
    return all;
  }

  size_t parameterCount() {
    size_t n = 0;
    for (auto& p : parameters()) n += size_t(p.value->size());
    return n;
  }

  // ---- training ----------------------------------------------------------------------------------------

  // Evaluates J on the batch and overwrites every parameter gradient with dJ/dparam.
  StepLosses computeGradients(const Batch<T>& b) {
    const int nl = b.labelled(), nu = b.unlabelled(), n = nl + nu, K = config_.classes;
    if (b.x.rows() != config_.inputSize) throw Error("SemiSupervisedVae", "batch has the wrong input size");
    if (b.eps.rows() != config_.latent || b.eps.cols() != n)
      throw Error("SemiSupervisedVae", "noise matrix has the wrong shape");
    const bool marginal = config_.objective == Objective::Marginal && nu > 0;
    const T alpha = T(config_.alpha), beta = T(config_.beta);
    const T wl = nl > 0 ? T(1) / T(nl) : T(0), wu = nu > 0 ? T(1) / T(nu) : T(0);

    // Encoder.
    const Matrix<T>& h = trunk_.forward(b.x);
    splitHeads(heads_->forward(h));
    const Matrix<T>& mu = mu_;
    const Matrix<T>& logvar = logvar_;
    const Matrix<T>& logits = logits_;
    const Matrix<T>& z = reparam_.forward(mu, logvar, b.eps);
    logSoftmax(logits, logp_);
    probs_ = logp_.array().exp().matrix();

    // Decoder plan and target.
    planColumns(b, marginal);
    const Matrix<T>* probsIn = nullptr;
    if (!marginal && nu > 0) {
      probsUnl_ = probs_.rightCols(nu);
      probsIn = &probsUnl_;
    }
    const Matrix<T>& out = decoderBody_.forward(decoderInput_->forward(z, plan_, probsIn));
    const Matrix<T>& target = marginal ? replicatedTarget(b.x, nl, nu) : b.x;

    // Each decoded column's weight in J: 1/nl labelled, 1/nu unlabelled, pi_k / nu for class k (marginal).
    colWeights_.resize(plan_.size());
    colWeights_.leftCols(nl).setConstant(wl);
    if (marginal) {
      for (int k = 0; k < K; ++k)
        colWeights_.segment(nl + k * nu, nu) = probs_.row(k).tail(nu) * wu;
    } else {
      colWeights_.rightCols(nu).setConstant(wu);
    }
    reconstructionWithGradient(out, target, colWeights_, rec_, dOut_);
    gaussianKl(mu, logvar, kl_);

    StepLosses s;
    dLogits_.resize(K, n);
    // Labelled points.
    if (nl > 0) {
      logitsLab_ = logits.leftCols(nl);
      crossEntropy(logitsLab_, b.labels, ce_);
      ceWeights_.setConstant(nl, alpha * wl);
      crossEntropyBackward(logitsLab_, b.labels, ceWeights_, dLogitsLab_);
      dLogits_.leftCols(nl) = dLogitsLab_;
      const double recL = rec_.leftCols(nl).sum() * wl, klL = kl_.leftCols(nl).sum() * wl;
      s.classification = ce_.sum() * wl;
      s.labelled = recL + beta * klL + alpha * s.classification;
      int correct = 0;
      for (int i = 0; i < nl; ++i) {
        Eigen::Index arg;
        logits.col(i).maxCoeff(&arg);
        correct += int(arg) == b.labels[i];
      }
      s.labelledAccuracy = double(correct) * wl;
      s.reconstruction += rec_.leftCols(nl).sum();
    }
    // Unlabelled points.
    if (nu > 0 && !marginal) {
      s.unlabelled = (rec_.rightCols(nu).sum() + beta * kl_.rightCols(nu).sum()) * wu;
      s.reconstruction += rec_.rightCols(nu).sum();
      s.entropy = -(probsUnl_.array() * logp_.rightCols(nu).array()).sum() * wu;
    } else if (marginal) {
      double total = 0, recExpected = 0, ent = 0;
      for (int j = 0; j < nu; ++j) {
        const int c = nl + j;
        double gMean = 0;
        for (int k = 0; k < K; ++k) {
          const T q = probs_(k, c), r = rec_(nl + k * nu + j);
          const T g = r + beta * kl_(c) + logp_(k, c);  // dU/dq_k, less a constant that softmax cancels
          gk_(k) = g;
          gMean += q * g;
          recExpected += q * r;
          ent -= q * logp_(k, c);
        }
        total += gMean;
        for (int k = 0; k < K; ++k) dLogits_(k, c) = probs_(k, c) * (gk_(k) - T(gMean)) * wu;
      }
      s.unlabelled = total * wu;
      s.reconstruction += recExpected;
      s.entropy = ent * wu;
    }
    s.reconstruction /= std::max(n, 1);
    s.kl = kl_.sum() / std::max(n, 1);
    s.total = s.labelled + s.unlabelled;

    // Decoder backward.
    const Matrix<T>& dZ = decoderInput_->backward(decoderBody_.backward(dOut_));
    if (nu > 0 && !marginal) {
      softmaxBackward(probsUnl_, decoderInput_->probsGradient(), dLogitsUnl_);
      dLogits_.rightCols(nu) = dLogitsUnl_;
    }
    // Latent: through z, plus the KL's own gradient.
    reparam_.backward(dZ, dMu_, dLogvar_);
    klWeights_.resize(n);
    klWeights_.leftCols(nl).setConstant(beta * wl);
    klWeights_.rightCols(nu).setConstant(beta * wu);
    gaussianKlBackwardAdd(mu, logvar, klWeights_, dMu_, dLogvar_);
    // Heads and trunk.
    dHeads_.resize(2 * config_.latent + K, n);
    dHeads_.topRows(config_.latent) = dMu_;
    dHeads_.middleRows(config_.latent, config_.latent) = dLogvar_;
    dHeads_.bottomRows(K) = dLogits_;
    trunk_.backward(heads_->backward(dHeads_));
    return s;
  }

  // The equivalent supervised classifier: alpha-free cross-entropy on labelled points, trunk + pi only.
  StepLosses computeClassifierGradients(const Matrix<T>& x, const std::vector<int>& labels) {
    const int n = int(x.cols());
    const int K = config_.classes;
    logitsLab_ = heads_->forward(trunk_.forward(x)).bottomRows(K);
    crossEntropy(logitsLab_, labels, ce_);
    ceWeights_.setConstant(n, T(1) / T(n));
    crossEntropyBackward(logitsLab_, labels, ceWeights_, dLogitsLab_);
    dHeads_.setZero(2 * config_.latent + K, n);
    dHeads_.bottomRows(K) = dLogitsLab_;
    trunk_.backward(heads_->backward(dHeads_));
    StepLosses s;
    s.classification = ce_.mean();
    s.total = s.classification;
    return s;
  }

  // ---- inference (reuses the training buffers: call between steps, on the training thread) ----------

  void classify(const Matrix<T>& x, Matrix<T>& probs) {
    splitHeads(heads_->forward(trunk_.forward(x)));
    softmax(logits_, probs);
  }

  void encode(const Matrix<T>& x, Matrix<T>& mu, Matrix<T>& logvar, Matrix<T>* probs = nullptr) {
    const Matrix<T>& h = trunk_.forward(x);
    splitHeads(heads_->forward(h));
    mu = mu_;
    logvar = logvar_;
    if (probs) softmax(logits_, *probs);
  }

  // q(y|x)'s logits (K x n) of the last classify or encode.
  const Matrix<T>& logits() const { return logits_; }

  // Decoded means: Bernoulli probabilities or Gaussian means. y (K x n) one-hot or probabilities.
  void decode(const Matrix<T>& z, const Matrix<T>& y, Matrix<T>& mean) {
    DecoderColumns cols;
    cols.zColumn.resize(z.cols());
    for (int c = 0; c < int(z.cols()); ++c) cols.zColumn[c] = c;
    cols.probsStart = 0;
    const Matrix<T>& out = decoderBody_.forward(decoderInput_->forward(z, cols, &y));
    if (config_.likelihood == Likelihood::Bernoulli)
      mean = (T(1) / (T(1) + (-out.array()).exp())).matrix();
    else
      mean = out;
  }

 private:
  static void append(ParameterList<T>& all, const std::string& prefix, ParameterList<T> more) {
    for (auto& p : more) all.push_back({prefix + p.name, p.value, p.grad});
  }

  void buildDense() {
    int in = config_.inputSize;
    for (int h : config_.hidden) {
      trunk_.add(std::make_unique<Dense<T>>(in, h));
      trunk_.add(makeActivation<T>(config_.activation, h));
      in = h;
    }
    const int H = in, d = config_.latent, K = config_.classes;
    heads_ = std::make_unique<Dense<T>>(H, 2 * d + K);
    // Decoder mirrors the trunk: (z, y) -> hidden[last] -> ... -> hidden[0] -> D
    std::vector<int> dec(config_.hidden.rbegin(), config_.hidden.rend());
    decoderInput_ = std::make_unique<DecoderInput<T>>(d, K, dec[0]);
    decoderBody_.add(makeActivation<T>(config_.activation, dec[0]));
    for (size_t i = 1; i < dec.size(); ++i) {
      decoderBody_.add(std::make_unique<Dense<T>>(dec[i - 1], dec[i]));
      decoderBody_.add(makeActivation<T>(config_.activation, dec[i]));
    }
    decoderBody_.add(std::make_unique<Dense<T>>(dec.back(), config_.inputSize));
    gk_.resize(K);
  }

  void splitHeads(const Matrix<T>& heads) {
    const int d = config_.latent, K = config_.classes;
    mu_ = heads.topRows(d);
    logvar_ = heads.middleRows(d, d);
    logits_ = heads.bottomRows(K);
  }

  void planColumns(const Batch<T>& b, bool marginal) {
    const int nl = b.labelled(), nu = b.unlabelled(), K = config_.classes;
    const int m = marginal ? nl + K * nu : nl + nu;
    plan_.zColumn.resize(m);
    plan_.label.resize(marginal ? m : nl);
    for (int i = 0; i < nl; ++i) {
      plan_.zColumn[i] = i;
      plan_.label[i] = b.labels[i];
    }
    if (marginal) {
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
  }

  // Marginal objective: labelled columns, then the unlabelled block once per class.
  const Matrix<T>& replicatedTarget(const Matrix<T>& x, int nl, int nu) {
    const int K = config_.classes;
    target_.resize(x.rows(), nl + K * nu);
    target_.leftCols(nl) = x.leftCols(nl);
    for (int k = 0; k < K; ++k) target_.middleCols(nl + k * nu, nu) = x.rightCols(nu);
    return target_;
  }

  void reconstructionWithGradient(const Matrix<T>& out, const Matrix<T>& x, const RowVector<T>& w,
                                  RowVector<T>& perColumn, Matrix<T>& dOut) const {
    if (config_.likelihood == Likelihood::Bernoulli) {
      bernoulliNllWithGradient(out, x, w, perColumn, dOut);
    } else {
      gaussianNll(out, x, T(config_.gaussianVariance), perColumn);
      gaussianNllBackward(out, x, T(config_.gaussianVariance), w, dOut);
    }
  }

  ModelConfig config_;
  Sequential<T> trunk_;
  std::unique_ptr<Dense<T>> heads_;  // rows [mu; logvar; pi logits]
  std::unique_ptr<DecoderInput<T>> decoderInput_;
  Sequential<T> decoderBody_;
  Reparameterisation<T> reparam_;

  DecoderColumns plan_;
  Matrix<T> logp_, probs_, probsUnl_, target_, logitsLab_, dLogitsLab_, dLogits_, dLogitsUnl_;
  Matrix<T> mu_, logvar_, logits_, dHeads_;
  Matrix<T> dOut_, dMu_, dLogvar_;
  RowVector<T> rec_, kl_, ce_, ceWeights_, colWeights_, klWeights_;
  Vector<T> gk_;
};

}  // namespace latentlab
