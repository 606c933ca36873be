#include "engine/anomaly/PcaDetector.h"

#include "engine/core/Error.h"

namespace latentlab {

PcaDetector::PcaDetector(const Matrix<float>& normal, int k) : pca_(computePca(normal, k)) {
  pca_.projection.resize(0, 0);  // the training data's coordinates are not needed
}

Matrix<float> PcaDetector::reconstruct(const Matrix<float>& x) const {
  if (x.rows() != pca_.components.rows())
    throw Error("PcaDetector",
                "fitted on " + std::to_string(pca_.components.rows()) + " features, given " + std::to_string(x.rows()));
  const Matrix<float> xc = x.colwise() - pca_.mean;
  const Matrix<float> coordinates = pca_.components.transpose() * xc;  // (k x n)
  return (pca_.components * coordinates).colwise() + pca_.mean;
}

void PcaDetector::score(const Matrix<float>& x, ScoreBreakdown& out, bool perFeature) const {
  const Matrix<float> squared = (x - reconstruct(x)).array().square().matrix();
  out.total = squared.colwise().sum();
  out.latent = RowVector<float>::Zero(x.cols());
  if (perFeature)
    out.perFeature = squared;
  else
    out.perFeature.resize(0, 0);
}

}  // namespace latentlab
