#pragma once
// Label cross-entropy from logits: ce_c = -log softmax(l_c)[y_c];  dce/dl = softmax(l) - onehot(y).
//   logits (K x n), labels (n) in [0, K); perColumn, weights (1 x n).
#include <vector>

#include "engine/losses/Softmax.h"

namespace latentlab {

template <typename T>
void crossEntropy(const Matrix<T>& logits, const std::vector<int>& labels, RowVector<T>& perColumn) {
  perColumn.resize(logits.cols());
  for (Eigen::Index c = 0; c < logits.cols(); ++c) {
    const T m = logits.col(c).maxCoeff();
    const T lse = m + std::log((logits.col(c).array() - m).exp().sum());
    perColumn(c) = lse - logits(labels[c], c);
  }
}

template <typename T>
void crossEntropyBackward(const Matrix<T>& logits, const std::vector<int>& labels, const RowVector<T>& weights,
                          Matrix<T>& dLogits) {
  softmax(logits, dLogits);
  for (Eigen::Index c = 0; c < logits.cols(); ++c) {
    dLogits(labels[c], c) -= T(1);
    dLogits.col(c) *= weights(c);
  }
}

}  // namespace latentlab
