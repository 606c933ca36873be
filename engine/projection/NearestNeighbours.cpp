#include "engine/projection/NearestNeighbours.h"

#include <algorithm>
#include <limits>
#include <string>
#include <utility>

#include "engine/core/Error.h"

namespace latentlab {

NearestNeighbours exactNearestNeighbours(const Matrix<float>& x, int k, const CancelFlag* cancel) {
  const int N = int(x.cols());
  if (k < 1 || k >= N)
    throw Error("NearestNeighbours",
                "cannot find " + std::to_string(k) + " neighbours among " + std::to_string(N) + " samples");
  NearestNeighbours nn;
  nn.k = k;
  nn.index.resize(size_t(N) * k);
  nn.distance2.resize(size_t(N) * k);

  const RowVector<float> norms = x.colwise().squaredNorm();  // (N)
  constexpr int kBlock = 256;  // queries per product: (N x 256) floats, 10 MB for N = 10^4
  Matrix<float> dots;
  // A max-heap of the k best (distance, index) so far: most candidates are rejected by one comparison
  // with its top. Pairs compare by distance, then index, so ties go to the lower index.
  std::vector<std::pair<float, int>> heap;
  heap.reserve(k);
  for (int start = 0; start < N; start += kBlock) {
    if (cancelRequested(cancel)) {
      NearestNeighbours cancelled;
      cancelled.status = JobStatus::Cancelled;
      return cancelled;
    }
    const int b = std::min(kBlock, N - start);
    dots.noalias() = x.transpose() * x.middleCols(start, b);  // (N x b)
    for (int q = 0; q < b; ++q) {
      const int i = start + q;
      const float* dot = dots.col(q).data();
      heap.clear();
      for (int j = 0; j < N; ++j) {
        if (j == i) continue;
        // Rounding can make a duplicate's distance slightly negative.
        const std::pair<float, int> c{std::max(0.0f, norms(i) + norms(j) - 2.0f * dot[j]), j};
        if (int(heap.size()) < k) {
          heap.push_back(c);
          std::push_heap(heap.begin(), heap.end());
        } else if (c < heap.front()) {
          std::pop_heap(heap.begin(), heap.end());
          heap.back() = c;
          std::push_heap(heap.begin(), heap.end());
        }
      }
      std::sort_heap(heap.begin(), heap.end());
      for (int m = 0; m < k; ++m) {
        nn.distance2[size_t(i) * k + m] = heap[m].first;
        nn.index[size_t(i) * k + m] = heap[m].second;
      }
    }
  }
  nn.n = N;
  return nn;
}

}  // namespace latentlab
