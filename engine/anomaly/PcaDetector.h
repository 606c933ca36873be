#pragma once
// The PCA baseline: k principal components of the normal training data; a point's score is its squared
// reconstruction error from those components, sum_i (x_i - xhat_i)^2 with xhat = mean + W W^T (x - mean).
// The per-feature part is (x_i - xhat_i)^2; nothing is left over (latent 0).
//
// Shapes: normal (D x N); x (D x n); W the components (D x k).
#include "engine/anomaly/AnomalyScore.h"
#include "engine/projection/Pca.h"

namespace latentlab {

class PcaDetector {
 public:
  // Throws Error (from computePca) for k outside 1..min(D, N).
  PcaDetector(const Matrix<float>& normal, int k);

  int components() const { return pca_.dimensions(); }
  // out.perFeature is filled when perFeature is set.
  void score(const Matrix<float>& x, ScoreBreakdown& out, bool perFeature = false) const;
  // xhat (D x n).
  Matrix<float> reconstruct(const Matrix<float>& x) const;

 private:
  PcaResult pca_;
};

}  // namespace latentlab
