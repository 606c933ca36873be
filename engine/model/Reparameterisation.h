#pragma once
// z = mu + exp(logvar / 2) * eps, eps ~ N(0, I) drawn by the caller (so a step is reproducible).
//   dL/dmu = dL/dz;   dL/dlogvar = dL/dz * 1/2 exp(logvar / 2) * eps
//   mu, logvar, eps, z (d x n)
#include "engine/core/Types.h"

namespace latentlab {

template <typename T> class Reparameterisation {
 public:
  const Matrix<T>& forward(const Matrix<T>& mu, const Matrix<T>& logvar, const Matrix<T>& eps) {
    eps_ = &eps;
    sigma_.resize(mu.rows(), mu.cols());
    sigma_.array() = (T(0.5) * logvar.array()).exp();  // cached for backward
    z_.resize(mu.rows(), mu.cols());
    z_.array() = mu.array() + sigma_.array() * eps.array();
    return z_;
  }

  // Writes dMu and dLogvar (overwriting).
  void backward(const Matrix<T>& dZ, Matrix<T>& dMu, Matrix<T>& dLogvar) const {
    dMu = dZ;
    dLogvar.resize(dZ.rows(), dZ.cols());
    dLogvar.array() = dZ.array() * T(0.5) * sigma_.array() * eps_->array();
  }

  const Matrix<T>& z() const { return z_; }

 private:
  Matrix<T> sigma_, z_;
  const Matrix<T>* eps_ = nullptr;
};

}  // namespace latentlab
