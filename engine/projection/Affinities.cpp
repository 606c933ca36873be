#include "engine/projection/Affinities.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "engine/core/Error.h"

namespace latentlab {

std::vector<double> conditionalAffinities(const NearestNeighbours& nn, double perplexity) {
  const int n = nn.n, k = nn.k;
  if (!(perplexity > 1) || perplexity > k)
    throw Error("Affinities", "perplexity " + std::to_string(perplexity) + " is not in (1, " + std::to_string(k) +
                                  "], the number of neighbours");
  const double target = std::log(perplexity);
  std::vector<double> p(size_t(n) * k);
  for (int i = 0; i < n; ++i) {
    const float* d2 = nn.distances2Of(i);
    double* pi = p.data() + size_t(i) * k;
    // Distances relative to the nearest: the same distribution, and no underflow when every distance is
    // large (raw pixels).
    const double d0 = d2[0];
    double beta = 1, lo = 0, hi = HUGE_VAL;
    // A scale for the first guess: beta of about 1 / mean distance puts the entropy in the right range.
    double mean = 0;
    for (int m = 0; m < k; ++m) mean += d2[m] - d0;
    if (mean > 0) beta = double(k) / mean;
    for (int step = 0; step < 200; ++step) {
      double sum = 0, weighted = 0;
      for (int m = 0; m < k; ++m) {
        const double dm = d2[m] - d0;
        pi[m] = std::exp(-beta * dm);
        sum += pi[m];
        weighted += dm * pi[m];
      }
      // H = -sum p log p = log(sum) + beta sum(d p) / sum, with p unnormalised.
      const double entropy = std::log(sum) + beta * weighted / sum;
      for (int m = 0; m < k; ++m) pi[m] /= sum;
      const double gap = entropy - target;
      if (std::abs(gap) < 1e-5) break;
      if (gap > 0) {  // too flat: narrow the Gaussian
        lo = beta;
        beta = std::isinf(hi) ? beta * 2 : (beta + hi) / 2;
      } else {
        hi = beta;
        beta = (beta + lo) / 2;
      }
    }
  }
  return p;
}

SparseAffinities jointAffinities(const NearestNeighbours& nn, double perplexity) {
  const std::vector<double> p = conditionalAffinities(nn, perplexity);
  const int n = nn.n, k = nn.k;
  // Every conditional entry lands twice: (i, j) and (j, i). Count per row, fill, then sort each row by
  // column and merge the pairs that meet.
  std::vector<int> count(n + 1, 0);
  for (int i = 0; i < n; ++i) {
    const int* idx = nn.indicesOf(i);
    count[i] += k;
    for (int m = 0; m < k; ++m) ++count[idx[m]];
  }
  std::vector<int> start(n + 1, 0);
  for (int i = 0; i < n; ++i) start[i + 1] = start[i] + count[i];
  std::vector<std::pair<int, double>> raw(start[n]);
  std::vector<int> fill(start.begin(), start.end() - 1);
  const double norm = 1.0 / (2.0 * n);
  for (int i = 0; i < n; ++i) {
    const int* idx = nn.indicesOf(i);
    for (int m = 0; m < k; ++m) {
      const double v = p[size_t(i) * k + m] * norm;
      raw[fill[i]++] = {idx[m], v};
      raw[fill[idx[m]]++] = {i, v};
    }
  }

  SparseAffinities P;
  P.n = n;
  P.rowStart.assign(n + 1, 0);
  P.column.reserve(raw.size());
  P.value.reserve(raw.size());
  for (int i = 0; i < n; ++i) {
    auto first = raw.begin() + start[i], last = raw.begin() + start[i + 1];
    std::sort(first, last, [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto it = first; it != last; ++it) {
      if (!P.column.empty() && int(P.column.size()) > P.rowStart[i] && P.column.back() == it->first)
        P.value.back() += it->second;
      else {
        P.column.push_back(it->first);
        P.value.push_back(it->second);
      }
    }
    P.rowStart[i + 1] = int(P.column.size());
  }
  return P;
}

}  // namespace latentlab
