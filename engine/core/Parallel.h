#pragma once
// Threads for the element-wise work of a step (activations, losses, Adam), beside the products: the engine's
// thread count (Eigen::nbThreads(), set by setGemmThreads) when the work is large enough to pay for waking
// them. Work is split into contiguous ranges whose starts are multiples of 16 items (one AVX-512 float
// packet), so every element is computed by the same code path as on one thread: results do not depend on
// the thread count.
#include <omp.h>

#include <Eigen/Core>
#include <algorithm>

namespace latentlab {

// Below this many scalar operations per thread, waking another thread costs more than it saves.
inline constexpr Eigen::Index kParallelWorkPerThread = 32768;

inline int elementThreads(Eigen::Index work) {
  const int t = Eigen::nbThreads();
  if (t <= 1) return 1;
  return int(std::clamp<Eigen::Index>(work / kParallelWorkPerThread, 1, t));
}

// Calls f(begin, end) on disjoint ranges covering [0, n), in parallel when n x workPerItem pays for it.
template <typename F>
void parallelRanges(Eigen::Index n, Eigen::Index workPerItem, F&& f) {
  const int threads = elementThreads(n * workPerItem);
  if (threads == 1) {
    f(Eigen::Index(0), n);
    return;
  }
#pragma omp parallel num_threads(threads)
  {
    const Eigen::Index parts = omp_get_num_threads(), i = omp_get_thread_num();
    const auto split = [&](Eigen::Index j) { return j == parts ? n : std::min(n, (n * j / parts) / 16 * 16); };
    const Eigen::Index begin = split(i), end = split(i + 1);
    if (begin < end) f(begin, end);
  }
}

// Calls f(firstRow, rowCount) on disjoint blocks of the rows of a (rows x columns) job: column loops whose
// columns add into shared places (scatters) split by rows instead, so that no two threads write one element.
template <typename F>
void parallelRowBlocks(Eigen::Index rows, Eigen::Index columns, F&& f) {
  parallelRanges(rows, columns, [&](Eigen::Index begin, Eigen::Index end) { f(begin, end - begin); });
}

}  // namespace latentlab
