#pragma once
// Column-wise softmax and log-softmax of logits (K x n), stable (max subtracted).
#include "engine/core/Types.h"

namespace latentlab {

template <typename T> void logSoftmax(const Matrix<T>& logits, Matrix<T>& logp) {
  logp.resize(logits.rows(), logits.cols());
  for (Eigen::Index c = 0; c < logits.cols(); ++c) {
    const T m = logits.col(c).maxCoeff();
    const T lse = m + std::log((logits.col(c).array() - m).exp().sum());
    logp.col(c).array() = logits.col(c).array() - lse;
  }
}

template <typename T> void softmax(const Matrix<T>& logits, Matrix<T>& p) {
  logSoftmax(logits, p);
  p.array() = p.array().exp();
}

// Backward of p = softmax(l) for a column-wise upstream gradient dP:  dl = p * (dP - sum_k p_k dP_k).
template <typename T> void softmaxBackward(const Matrix<T>& p, const Matrix<T>& dP, Matrix<T>& dLogits) {
  dLogits.resize(p.rows(), p.cols());
  for (Eigen::Index c = 0; c < p.cols(); ++c) {
    const T inner = p.col(c).dot(dP.col(c));
    dLogits.col(c).array() = p.col(c).array() * (dP.col(c).array() - inner);
  }
}

}  // namespace latentlab
