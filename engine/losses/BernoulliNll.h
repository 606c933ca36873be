#pragma once
// Bernoulli reconstruction cross-entropy from logits, summed over features, one value per column:
//   loss_c = sum_d softplus(l_dc) - x_dc l_dc       (= -sum_d x log s(l) + (1-x) log(1-s(l)))
//   dloss_c/dl_dc = sigmoid(l_dc) - x_dc
//   logits, x (D x n); perColumn (1 x n); weights (1 x n) scale each column's gradient.
#include <vector>

#include "engine/core/FastMath.h"
#include "engine/core/Parallel.h"
#include "engine/core/Types.h"

namespace latentlab {

template <typename T>
void bernoulliNll(const Matrix<T>& logits, const Matrix<T>& x, RowVector<T>& perColumn) {
  perColumn = (logits.array().max(T(0)) + (-logits.array().abs()).exp().log1p() - x.array() * logits.array())
                  .colwise()
                  .sum();
}

// Loss and gradient in one pass, for when the column weights are known before the loss (the model's case):
// exp(-|l|) once serves softplus(l) and sigmoid(l).
template <typename T>
void bernoulliNllWithGradient(const Matrix<T>& logits, const Matrix<T>& x, const RowVector<T>& weights,
                              RowVector<T>& perColumn, Matrix<T>& dLogits) {
  const Eigen::Index rows = logits.rows(), cols = logits.cols();
  dLogits.resize(rows, cols);
  perColumn.resize(cols);
  // With several threads, each takes a range of columns (engine/core/Parallel.h).
  parallelRanges(cols, rows * 8, [&](Eigen::Index begin, Eigen::Index end) {
    dLogits.middleCols(begin, end - begin).array() = (-logits.middleCols(begin, end - begin).array().abs()).exp();
    // Per-element losses go to a scratch column and are summed after: a float reduction inside the loop
    // would keep GCC from vectorising it (measured 7x slower). Eigen's own aligned storage: the sum's order
    // follows the buffer's alignment, which must be the same on every thread.
    thread_local Vector<T> scratch;
    if (scratch.size() < rows) scratch.resize(rows);
    T* __restrict lossElem = scratch.data();
    for (Eigen::Index c = begin; c < end; ++c) {
      const T* __restrict l = logits.col(c).data();
      const T* __restrict xc = x.col(c).data();
      T* __restrict g = dLogits.col(c).data();
      const T w = weights(c);
      for (Eigen::Index r = 0; r < rows; ++r) {
        const T e = g[r];
        lossElem[r] = std::max(l[r], T(0)) + log1pUnit(e) - xc[r] * l[r];
        g[r] = w * ((l[r] >= T(0) ? T(1) : e) / (T(1) + e) - xc[r]);
      }
      perColumn(c) = scratch.head(rows).sum();
    }
  });
}

template <typename T>
void bernoulliNllBackward(const Matrix<T>& logits, const Matrix<T>& x, const RowVector<T>& weights,
                          Matrix<T>& dLogits) {
  dLogits.resize(logits.rows(), logits.cols());
  dLogits.array() = (T(1) / (T(1) + (-logits.array()).exp()) - x.array()).rowwise() * weights.array();
}

}  // namespace latentlab
