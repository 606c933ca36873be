#pragma once
// Gaussian reconstruction negative log-likelihood with a fixed variance sigma^2, summed over features:
//   loss_c = sum_d (x_dc - m_dc)^2 / (2 sigma^2) + 1/2 log(2 pi sigma^2)
//   dloss_c/dm_dc = (m_dc - x_dc) / sigma^2
//   mean, x (D x n); perColumn, weights (1 x n).
#include <cmath>
#include <numbers>

#include "engine/core/Types.h"

namespace latentlab {

template <typename T>
void gaussianNll(const Matrix<T>& mean, const Matrix<T>& x, T variance, RowVector<T>& perColumn) {
  const T constant = T(0.5) * T(mean.rows()) * std::log(T(2) * T(std::numbers::pi) * variance);
  perColumn = (mean - x).array().square().colwise().sum() / (T(2) * variance) + constant;
}

template <typename T>
void gaussianNllBackward(const Matrix<T>& mean, const Matrix<T>& x, T variance, const RowVector<T>& weights,
                         Matrix<T>& dMean) {
  dMean.resize(mean.rows(), mean.cols());
  dMean.array() = ((mean - x).array() / variance).rowwise() * weights.array();
}

}  // namespace latentlab
