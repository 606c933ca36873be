#pragma once
// z = mu + exp(logvar / 2) * eps, eps ~ N(0, I) drawn by the caller (so a step is reproducible) and set with
// setNoise before forward. A Layer like any other: its input is the heads' [mu; logvar] stacked, so the generic
// gradient tester covers it.
//   in = [mu; logvar] (2d x n), eps (d x n), out = z (d x n)
//   dL/dmu = dL/dz;   dL/dlogvar = dL/dz * 1/2 exp(logvar / 2) * eps
#include "engine/core/Error.h"
#include "engine/layers/Layer.h"

namespace latentlab {

template <typename T> class Reparameterisation final : public Layer<T> {
 public:
  explicit Reparameterisation(int latent) : latent_(latent) {}

  std::string kind() const override { return "reparameterisation"; }
  int inputSize() const override { return 2 * latent_; }
  int outputSize() const override { return latent_; }

  // eps (d x n) must stay alive and unchanged until backward.
  void setNoise(const Matrix<T>& eps) { eps_ = &eps; }

  const Matrix<T>& forward(const Matrix<T>& in) override {
    const int d = latent_;
    if (!eps_ || eps_->rows() != d || eps_->cols() != in.cols())
      throw Error("Reparameterisation", "the noise matrix does not match the batch");
    sigma_.resize(d, in.cols());
    sigma_.array() = (T(0.5) * in.bottomRows(d).array()).exp();  // cached for backward
    z_.resize(d, in.cols());
    z_.array() = in.topRows(d).array() + sigma_.array() * eps_->array();
    return z_;
  }

  const Matrix<T>& backward(const Matrix<T>& dZ) override {
    const int d = latent_;
    dIn_.resize(2 * d, dZ.cols());
    dIn_.topRows(d) = dZ;                                                           // dL/dmu = dL/dz
    dIn_.bottomRows(d).array() = dZ.array() * T(0.5) * sigma_.array() * eps_->array();  // dL/dlogvar
    return dIn_;
  }

  const Matrix<T>& z() const { return z_; }

 private:
  int latent_;
  Matrix<T> sigma_, z_, dIn_;
  const Matrix<T>* eps_ = nullptr;
};

}  // namespace latentlab
