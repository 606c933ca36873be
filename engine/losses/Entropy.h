#pragma once
// Entropy of the classifier's distribution p = softmax(l), per column:
//   H_c = -sum_k p_k log p_k;   dH/dl_k = -p_k (log p_k + H)
//   logits (K x n); perColumn, weights (1 x n).
#include "engine/losses/Softmax.h"

namespace latentlab {

template <typename T> void entropy(const Matrix<T>& logits, RowVector<T>& perColumn) {
  Matrix<T> logp;
  logSoftmax(logits, logp);
  perColumn = -(logp.array().exp() * logp.array()).colwise().sum();
}

template <typename T>
void entropyBackward(const Matrix<T>& logits, const RowVector<T>& weights, Matrix<T>& dLogits) {
  Matrix<T> logp;
  logSoftmax(logits, logp);
  const RowVector<T> h = -(logp.array().exp() * logp.array()).colwise().sum();
  dLogits.resize(logits.rows(), logits.cols());
  dLogits.array() = (logp.array().exp() * (logp.array().rowwise() + h.array())).rowwise() * (-weights.array());
}

}  // namespace latentlab
