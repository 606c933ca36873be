#pragma once
// Bernoulli reconstruction cross-entropy from logits, summed over features, one value per column:
//   loss_c = sum_d softplus(l_dc) - x_dc l_dc       (= -sum_d x log s(l) + (1-x) log(1-s(l)))
//   dloss_c/dl_dc = sigmoid(l_dc) - x_dc
//   logits, x (D x n); perColumn (1 x n); weights (1 x n) scale each column's gradient.
#include "engine/core/Types.h"

namespace latentlab {

template <typename T>
void bernoulliNll(const Matrix<T>& logits, const Matrix<T>& x, RowVector<T>& perColumn) {
  perColumn = (logits.array().max(T(0)) + (-logits.array().abs()).exp().log1p() - x.array() * logits.array())
                  .colwise()
                  .sum();
}

template <typename T>
void bernoulliNllBackward(const Matrix<T>& logits, const Matrix<T>& x, const RowVector<T>& weights,
                          Matrix<T>& dLogits) {
  dLogits.resize(logits.rows(), logits.cols());
  dLogits.array() = (T(1) / (T(1) + (-logits.array()).exp()) - x.array()).rowwise() * weights.array();
}

}  // namespace latentlab
