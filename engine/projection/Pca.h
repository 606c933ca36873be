#pragma once
// Principal component analysis of a (D x N) sample matrix, one sample per column, down to k dimensions.
// Used for the latent projection view (directly, or to reduce before t-SNE) and for t-SNE's initialisation.
//
// Shapes: x (D x N), mean (D), components (D x k, orthonormal columns), projection (k x N),
//         explained variance (k). The projection of sample j is components^T (x_j - mean).
#include <vector>

#include "engine/core/Types.h"

namespace latentlab {

struct PcaResult {
  Vector<float> mean;                     // (D)
  Matrix<float> components;               // (D x k), unit columns, by decreasing variance unless aligned
  Matrix<float> projection;               // (k x N)
  Vector<double> explainedVariance;       // (k) variance along each component, 1/(N-1) normalisation
  Vector<double> explainedVarianceRatio;  // (k) that variance over the total variance of x
  double totalVariance = 0;               // sum of every dimension's variance

  int dimensions() const { return int(components.cols()); }
};

// Principal axes by an eigendecomposition of the covariance (D <= N) or of the Gram matrix (D > N); the
// products run in float, the eigensolver in double. Each component's sign is fixed so that its largest
// coefficient is positive, so that the same data always give the same result.
// Throws Error for k < 1, k > min(D, N) or fewer than two samples.
PcaResult computePca(const Matrix<float>& x, int k = 2);

// Points should move rather than jump between two refreshes (a model in training is encoded again): reorders
// and flips the signs of result's components (and with them the projection rows and variances) so that they
// best match previousComponents (D x k', unit columns). The pairing maximises the summed |cos| over all
// permutations (k <= 8) or greedily (larger k); a component with no partner keeps its place among the rest.
// Returns for each new position the index of the component it came from (before alignment).
// Throws Error when the dimensions D differ.
std::vector<int> alignPca(PcaResult& result, const Matrix<float>& previousComponents);

// Projects new samples (D x n) onto an existing PCA: (k x n).
Matrix<float> projectPca(const PcaResult& pca, const Matrix<float>& x);

}  // namespace latentlab
