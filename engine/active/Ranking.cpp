#include "engine/active/Ranking.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "engine/core/Error.h"

namespace latentlab {

float queryScore(QueryStrategy strategy, const PoolScores& s, int i) {
  const auto p = s.probs.col(i);
  switch (strategy) {
    case QueryStrategy::Entropy: {
      float h = 0;
      for (int k = 0; k < int(p.size()); ++k)
        if (p[k] > 0) h -= p[k] * std::log(p[k]);
      return h;
    }
    case QueryStrategy::Margin: {
      float first = -1, second = -1;
      for (int k = 0; k < int(p.size()); ++k) {
        if (p[k] > first) {
          second = first;
          first = p[k];
        } else if (p[k] > second) {
          second = p[k];
        }
      }
      return -(first - std::max(second, 0.0f));
    }
    case QueryStrategy::LeastConfidence: return 1.0f - p.maxCoeff();
    case QueryStrategy::Anomalous:
      if (s.negElbo.empty()) throw Error("Ranking", "the anomalous strategy needs the negative ELBO of the pool");
      return s.negElbo[i];
    case QueryStrategy::Random:
    case QueryStrategy::Diversity: break;
  }
  throw Error("Ranking", toString(strategy) + " does not score samples one by one");
}

std::vector<int> kCenterGreedy(const Matrix<float>& points, const Matrix<float>& centres, int count) {
  const int n = int(points.cols());
  count = std::min(count, n);
  std::vector<int> chosen;
  if (count <= 0) return chosen;
  const Eigen::RowVectorXf norms = points.colwise().squaredNorm();
  Eigen::RowVectorXf nearest = Eigen::RowVectorXf::Constant(n, std::numeric_limits<float>::infinity());
  // Distances to the existing centres in blocks, through one matrix product each.
  for (Eigen::Index start = 0; start < centres.cols(); start += 256) {
    const Eigen::Index m = std::min<Eigen::Index>(256, centres.cols() - start);
    const auto block = centres.middleCols(start, m);
    Matrix<float> d = -2.0f * (block.transpose() * points);
    d.colwise() += block.colwise().squaredNorm().transpose();
    d.rowwise() += norms;
    nearest = nearest.cwiseMin(d.colwise().minCoeff());
  }
  for (int t = 0; t < count; ++t) {
    Eigen::Index next;
    if (std::isinf(nearest.maxCoeff(&next))) next = 0;  // no centres yet: start anywhere, deterministically
    chosen.push_back(int(next));
    const Eigen::RowVectorXf d = (points.colwise() - points.col(next)).colwise().squaredNorm();
    nearest = nearest.cwiseMin(d);
    nearest[next] = -1;  // never again
  }
  return chosen;
}

std::vector<int> rankPool(QueryStrategy strategy, const PoolScores& s, int count, const Matrix<float>& labelledMu,
                          Random& rng) {
  const int n = s.size();
  count = std::clamp(count, 0, n);
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  if (strategy == QueryStrategy::Random) {
    for (int i = 0; i < count; ++i) std::swap(order[i], order[i + int(rng.below(uint64_t(n - i)))]);
    order.resize(count);
    return order;
  }
  if (strategy == QueryStrategy::Diversity) return kCenterGreedy(s.mu, labelledMu, count);
  std::vector<float> score(n);
  for (int i = 0; i < n; ++i) score[i] = queryScore(strategy, s, i);
  // Ties (common among saturated probabilities) break by position, so a ranking is reproducible.
  std::partial_sort(order.begin(), order.begin() + count, order.end(),
                    [&](int a, int b) { return score[a] > score[b] || (score[a] == score[b] && a < b); });
  order.resize(count);
  return order;
}

}  // namespace latentlab
