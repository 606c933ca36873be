#pragma once
// The semi-supervised VAE of docs/model.md: a shared encoder trunk with three heads (mu, logvar, pi = q(y|x))
// and a decoder p(x | z, y) reading the true label where known and pi's output (single objective) or
// every class in turn (marginal objective, Kingma et al.'s M2) where not.
//
// The flavour (dense, conv, recurrent) gives the trunk and the decoder body (architectures/); everything
// else is shared: the heads, the reparameterisation, the decoder's input layer on (z, y) and the objective
// (Objective.h).
//
// Shapes: x (D x n), h (H x n), mu / logvar / eps / z (d x n), logits / probs (K x n),
//         decoder columns m = nl + nu (single) or nl + K nu (marginal), decoder output (D x m).
// Decoder column order: labelled points, then unlabelled (marginal: class-major, column nl + k nu + j).
#include <algorithm>
#include <cmath>
#include <memory>

#include "engine/core/Error.h"
#include "engine/layers/Dense.h"
#include "engine/losses/BernoulliNll.h"
#include "engine/losses/CrossEntropy.h"
#include "engine/losses/GaussianKl.h"
#include "engine/losses/GaussianNll.h"
#include "engine/losses/Softmax.h"
#include "engine/model/Batch.h"
#include "engine/model/DecoderInput.h"
#include "engine/model/ModelConfig.h"
#include "engine/model/Objective.h"
#include "engine/model/Reparameterisation.h"
#include "engine/model/StepLosses.h"
#include "engine/model/architectures/BuildArchitecture.h"

namespace latentlab {

template <typename T> class SemiSupervisedVae {
 public:
  SemiSupervisedVae(const ModelConfig& config, uint64_t seed)
      : config_(validated(config)), net_(buildArchitecture<T>(config_)), reparam_(config_.latent) {
    const int H = net_.trunkOutput(), d = config_.latent, K = config_.classes;
    heads_ = std::make_unique<Dense<T>>(H, 2 * d + K);
    decoderInput_ = std::make_unique<DecoderInput<T>>(d, K, net_.decoderWidth);
    Random rng(seed);
    net_.trunk.initialise(rng);
    heads_->initialise(rng);
    decoderInput_->initialise(rng);
    net_.decoderBody.initialise(rng);
    net_.trunk.setInputGradientNeeded(false);  // nothing upstream of the data
  }

  const ModelConfig& config() const { return config_; }
  void setBeta(double beta) { config_.beta = beta; }  // KL warm-up changes it while training

  // Every parameter, named: encoder.trunk.*, encoder.heads.*, decoder.input.*, decoder.body.*
  // The three heads are one matrix, rows [mu (d); logvar (d); pi logits (K)], so that they cost one product.
  ParameterList<T> parameters() {
    ParameterList<T> all = classifierParameters();
    append(all, "decoder.input.", decoderInput_->parameters());
    append(all, "decoder.body.", net_.decoderBody.parameters());
    return all;
  }

  // The equivalent supervised classifier's parameters: trunk + heads (only the pi rows get a gradient there,
  // so Adam leaves the mu and logvar rows where they are).
  ParameterList<T> classifierParameters() {
    ParameterList<T> all;
    append(all, "encoder.trunk.", net_.trunk.parameters());
    append(all, "encoder.heads.", heads_->parameters());
    return all;
  }

  size_t parameterCount() {
    size_t n = 0;
    for (auto& p : parameters()) n += size_t(p.value->size());
    return n;
  }

  // Forward multiply-adds per sample of the matrix products (Layer::multiplyAdds): the encoder (trunk and
  // heads), one decode (the decoder's input layer counted as a full product over (z, y)), and the trunk's first
  // layer, whose input gradient a step never computes.
  double encoderMultiplyAdds() const { return net_.trunk.multiplyAdds() + heads_->multiplyAdds(); }
  double decoderMultiplyAdds() const {
    return double(config_.latent + config_.classes) * net_.decoderWidth + net_.decoderBody.multiplyAdds();
  }
  double firstLayerMultiplyAdds() const { return net_.trunk.size() ? net_.trunk.first().multiplyAdds() : 0; }
  // Unlabelled decodes of the last step (nu single, K nu marginal, fewer pruned).
  int lastUnlabelledDecodes() const { return objective_.unlabelledDecodes(); }

  // ---- training ----------------------------------------------------------------------------------------

  // Evaluates J on the batch and overwrites every parameter gradient with dJ/dparam.
  StepLosses computeGradients(const Batch<T>& b) {
    const int nl = b.labelled(), nu = b.unlabelled(), n = nl + nu, d = config_.latent, K = config_.classes;
    if (b.x.rows() != config_.inputSize) throw Error("SemiSupervisedVae", "batch has the wrong input size");
    if (b.eps.rows() != d || b.eps.cols() != n) throw Error("SemiSupervisedVae", "noise matrix has the wrong shape");

    // Encoder: h -> heads [mu; logvar; logits] -> z.
    const Matrix<T>& heads = heads_->forward(net_.trunk.forward(b.x));
    muLogvar_ = heads.topRows(2 * d);
    logits_ = heads.bottomRows(K);
    reparam_.setNoise(b.eps);
    const Matrix<T>& z = reparam_.forward(muLogvar_);
    logSoftmax(logits_, logp_);
    probs_ = logp_.array().exp().matrix();

    // Decoder over the objective's plan; its loss and gradient in one pass with the plan's column weights.
    const DecoderColumns& plan = objective_.plan(b.labels, nu, config_.objective, K, probs_, config_.marginalMass,
                                                 &b.draws);
    const Matrix<T>* probsIn = nullptr;
    if (plan.probsStart < plan.size()) {
      probsUnl_ = probs_.rightCols(nu);
      probsIn = &probsUnl_;
    }
    const Matrix<T>& out = net_.decoderBody.forward(decoderInput_->forward(z, plan, probsIn));
    const Matrix<T>& target = objective_.marginal() ? replicatedTarget(b.x, nl) : b.x;
    reconstructionWithGradient(out, target, objective_.columnWeights(), rec_, dOut_);
    gaussianKl(mu(), logvar(), kl_);
    const StepLosses s = objective_.forward(logits_, logp_, probs_, kl_, rec_, b.labels, config_.alpha, config_.beta);

    // Backward: objective -> decoder -> z and pi -> heads -> trunk.
    objective_.backward(dLogits_, klWeights_);
    const Matrix<T>& dZ = decoderInput_->backward(net_.decoderBody.backward(dOut_));
    objective_.addDecoderProbsGradient(decoderInput_->probsGradient(), dLogits_);
    dMuLogvar_ = reparam_.backward(dZ);
    auto dMu = dMuLogvar_.topRows(d);
    auto dLogvar = dMuLogvar_.bottomRows(d);
    gaussianKlBackwardAdd(mu(), logvar(), klWeights_, dMu, dLogvar);
    dHeads_.resize(2 * d + K, n);
    dHeads_.topRows(2 * d) = dMuLogvar_;
    dHeads_.bottomRows(K) = dLogits_;
    net_.trunk.backward(heads_->backward(dHeads_));
    return s;
  }

  // The equivalent supervised classifier: alpha-free cross-entropy on labelled points, trunk + pi only.
  StepLosses computeClassifierGradients(const Matrix<T>& x, const std::vector<int>& labels) {
    const int n = int(x.cols());
    const int K = config_.classes;
    logitsLab_ = heads_->forward(net_.trunk.forward(x)).bottomRows(K);
    crossEntropy(logitsLab_, labels, ce_);
    ceWeights_.setConstant(n, T(1) / T(n));
    crossEntropyBackward(logitsLab_, labels, ceWeights_, dLogitsLab_);
    dHeads_.setZero(2 * config_.latent + K, n);
    dHeads_.bottomRows(K) = dLogitsLab_;
    net_.trunk.backward(heads_->backward(dHeads_));
    StepLosses s;
    s.classification = ce_.mean();
    s.total = s.classification;
    return s;
  }

  // ---- inference (reuses the training buffers: call between steps, on the training thread) ----------

  void classify(const Matrix<T>& x, Matrix<T>& probs) {
    splitHeads(heads_->forward(net_.trunk.forward(x)));
    softmax(logits_, probs);
  }

  void encode(const Matrix<T>& x, Matrix<T>& mu, Matrix<T>& logvar, Matrix<T>* probs = nullptr) {
    splitHeads(heads_->forward(net_.trunk.forward(x)));
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
    const Matrix<T>& out = net_.decoderBody.forward(decoderInput_->forward(z, cols, &y));
    if (config_.likelihood == Likelihood::Bernoulli)
      mean = (T(1) / (T(1) + (-out.array()).exp())).matrix();
    else
      mean = out;
  }

 private:
  static void append(ParameterList<T>& all, const std::string& prefix, ParameterList<T> more) {
    for (auto& p : more) all.push_back({prefix + p.name, p.value, p.grad});
  }

  void splitHeads(const Matrix<T>& heads) {
    const int d = config_.latent, K = config_.classes;
    mu_ = heads.topRows(d);
    logvar_ = heads.middleRows(d, d);
    logits_ = heads.bottomRows(K);
  }

  // Marginal objective: labelled columns, then each unlabelled point once per class the objective decodes.
  const Matrix<T>& replicatedTarget(const Matrix<T>& x, int nl) {
    const std::vector<int>& points = objective_.marginalPoints();
    target_.resize(x.rows(), nl + Eigen::Index(points.size()));
    target_.leftCols(nl) = x.leftCols(nl);
    for (size_t i = 0; i < points.size(); ++i) target_.col(nl + Eigen::Index(i)) = x.col(nl + points[i]);
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

  static const ModelConfig& validated(const ModelConfig& c) {
    c.validate();
    return c;
  }
  auto mu() const { return muLogvar_.topRows(config_.latent); }
  auto logvar() const { return muLogvar_.bottomRows(config_.latent); }

  ModelConfig config_;
  Architecture<T> net_;
  std::unique_ptr<Dense<T>> heads_;  // rows [mu; logvar; pi logits]
  std::unique_ptr<DecoderInput<T>> decoderInput_;
  Reparameterisation<T> reparam_;
  SemiSupervisedObjective<T> objective_;

  Matrix<T> logp_, probs_, probsUnl_, target_, logitsLab_, dLogitsLab_, dLogits_;
  Matrix<T> muLogvar_, mu_, logvar_, logits_, dHeads_, dMuLogvar_;
  Matrix<T> dOut_;
  RowVector<T> rec_, kl_, ce_, ceWeights_, klWeights_;
};

}  // namespace latentlab
