#pragma once
// KL(N(mu, diag(exp(logvar))) || N(0, I)) per column:
//   kl_c = 1/2 sum_j (exp(lv_jc) + mu_jc^2 - 1 - lv_jc)
//   dkl/dmu = mu,   dkl/dlv = 1/2 (exp(lv) - 1)
//   mu, logvar (d x n); perColumn, weights (1 x n). Backward ADDS into dMu and dLogvar, which already hold
//   the gradient that flows through the sampled z.
#include "engine/core/Types.h"

namespace latentlab {

// mu and logvar may be blocks of one [mu; logvar] matrix (the heads' output).
template <typename Mu, typename Lv, typename T>
void gaussianKl(const Eigen::MatrixBase<Mu>& mu, const Eigen::MatrixBase<Lv>& logvar, RowVector<T>& perColumn) {
  perColumn = T(0.5) * (logvar.array().exp() + mu.array().square() - T(1) - logvar.array()).colwise().sum();
}

template <typename Mu, typename Lv, typename T, typename DMu, typename DLv>
void gaussianKlBackwardAdd(const Eigen::MatrixBase<Mu>& mu, const Eigen::MatrixBase<Lv>& logvar,
                           const RowVector<T>& weights, Eigen::MatrixBase<DMu>& dMu, Eigen::MatrixBase<DLv>& dLogvar) {
  dMu.array() += mu.array().rowwise() * weights.array();
  dLogvar.array() += (T(0.5) * (logvar.array().exp() - T(1))).rowwise() * weights.array();
}

}  // namespace latentlab
