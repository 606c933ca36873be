#pragma once
// The plain autoencoder baseline (the seeds' autoencoder detector): the VAE's trunk and decoder for the same
// configuration (architectures/, every flavour), joined by a deterministic code instead of the heads and the
// sampled z, and without the class:
//   x -trunk-> h (H) -code-> c (d) -input-> (decoderWidth) -decoder body-> logits or means (D)
// trained on the reconstruction NLL alone (the model's likelihood: Bernoulli cross-entropy or Gaussian).
// Parameters: encoder.trunk.*, encoder.code.{W,b}, decoder.input.{W,b}, decoder.body.*.
//
// Shapes: x (D x n), h (H x n), code (d x n), output (D x n).
#include <memory>

#include "engine/core/Error.h"
#include "engine/layers/Dense.h"
#include "engine/losses/BernoulliNll.h"
#include "engine/losses/GaussianNll.h"
#include "engine/model/ModelConfig.h"
#include "engine/model/architectures/BuildArchitecture.h"

namespace latentlab {

template <typename T>
class DeterministicAutoencoder {
 public:
  DeterministicAutoencoder(const ModelConfig& config, uint64_t seed)
      : config_(validated(config)), net_(buildArchitecture<T>(config_)) {
    code_ = std::make_unique<Dense<T>>(net_.trunkOutput(), config_.latent);
    input_ = std::make_unique<Dense<T>>(config_.latent, net_.decoderWidth);
    Random rng(seed);
    net_.trunk.initialise(rng);
    code_->initialise(rng);
    input_->initialise(rng);
    net_.decoderBody.initialise(rng);
    net_.trunk.setInputGradientNeeded(false);
  }

  const ModelConfig& config() const { return config_; }

  ParameterList<T> parameters() {
    ParameterList<T> all;
    append(all, "encoder.trunk.", net_.trunk.parameters());
    append(all, "encoder.code.", code_->parameters());
    append(all, "decoder.input.", input_->parameters());
    append(all, "decoder.body.", net_.decoderBody.parameters());
    return all;
  }

  // J = mean over the columns of the reconstruction NLL; overwrites every gradient with dJ/dparam.
  T computeGradients(const Matrix<T>& x) {
    if (x.rows() != config_.inputSize) throw Error("DeterministicAutoencoder", "batch has the wrong input size");
    const int n = int(x.cols());
    const Matrix<T>& out = forward(x);
    weights_.setConstant(n, T(1) / T(std::max(n, 1)));
    if (config_.likelihood == Likelihood::Bernoulli) {
      bernoulliNllWithGradient(out, x, weights_, loss_, dOut_);  // dJ/dl = (sigmoid(l) - x) / n
    } else {
      gaussianNll(out, x, T(config_.gaussianVariance), loss_);
      gaussianNllBackward(out, x, T(config_.gaussianVariance), weights_, dOut_);  // dJ/dm = (m - x) / (var n)
    }
    // Backward: body -> input layer -> code -> trunk.
    net_.trunk.backward(code_->backward(input_->backward(net_.decoderBody.backward(dOut_))));
    return loss_.mean();
  }

  // The decoder's raw output for x: Bernoulli logits or Gaussian means (D x n).
  void reconstructOutput(const Matrix<T>& x, Matrix<T>& out) { out = forward(x); }

 private:
  const Matrix<T>& forward(const Matrix<T>& x) {
    return net_.decoderBody.forward(input_->forward(code_->forward(net_.trunk.forward(x))));
  }
  static void append(ParameterList<T>& all, const std::string& prefix, ParameterList<T> more) {
    for (auto& p : more) all.push_back({prefix + p.name, p.value, p.grad});
  }
  static const ModelConfig& validated(const ModelConfig& c) {
    c.validate();
    return c;
  }

  ModelConfig config_;
  Architecture<T> net_;
  std::unique_ptr<Dense<T>> code_, input_;
  RowVector<T> weights_, loss_;
  Matrix<T> dOut_;
};

}  // namespace latentlab
