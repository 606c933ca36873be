#pragma once
// Exact k nearest neighbours of every sample by brute force: squared distances |a|^2 + |b|^2 - 2 a.b from
// one matrix product per block of queries. For t-SNE's sizes (10^4 samples, tens of dimensions) this takes
// well under a second on one core, and unlike a tree or an approximate index it is exact and deterministic.
//
// Shapes: x (D x N), one sample per column; the result holds k neighbours per sample, row-major (N x k).
#include <vector>

#include "engine/core/Cancellation.h"
#include "engine/core/Types.h"

namespace latentlab {

struct NearestNeighbours {
  JobStatus status = JobStatus::Finished;  // Cancelled: empty (n == 0)
  int n = 0, k = 0;
  std::vector<int> index;        // (n x k) neighbours of sample i at [i k, (i + 1) k), nearest first
  std::vector<float> distance2;  // (n x k) their squared Euclidean distances

  const int* indicesOf(int i) const { return index.data() + size_t(i) * k; }
  const float* distances2Of(int i) const { return distance2.data() + size_t(i) * k; }
};

// The k nearest other samples of each sample (a sample is never its own neighbour; exact duplicates are
// neighbours at distance 0). Ties go to the lower index. Throws Error unless 1 <= k < N.
// Cancel (engine/core/Cancellation.h) is checked between blocks of queries.
NearestNeighbours exactNearestNeighbours(const Matrix<float>& x, int k, const CancelFlag* cancel = nullptr);

}  // namespace latentlab
