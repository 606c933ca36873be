#include "engine/train/LossTrend.h"

#include <algorithm>
#include <cmath>

#include "engine/core/Error.h"

namespace latentlab {

double LossTrend::riseFraction() const {
  if (!std::isfinite(recentMean) || !std::isfinite(lowestMean) || recentMean <= lowestMean) return 0;
  return (recentMean - lowestMean) / std::max(std::abs(lowestMean), 1e-12);
}

LossTrend lossTrend(const std::vector<StepRecord>& steps, int window, int smooth, double tolerance) {
  if (window < 1 || smooth < 1 || !(tolerance >= 0))
    throw Error("LossTrend", "window and smooth must be at least 1 and tolerance not negative");
  // The finite steps of the window, oldest first.
  std::vector<const StepRecord*> finite;
  for (size_t i = steps.size(); i > 0 && finite.size() < size_t(window); --i)
    if (std::isfinite(steps[i - 1].losses.total)) finite.push_back(&steps[i - 1]);
  std::reverse(finite.begin(), finite.end());
  LossTrend t;
  if (finite.empty()) return t;
  const size_t n = finite.size(), k = std::min(size_t(smooth), n);
  t.smooth = int(k);
  t.lastStep = finite.back()->step;
  t.lastLoss = finite.back()->losses.total;
  // Running sums of k consecutive losses; mean i covers finite[i - k + 1 .. i].
  double sum = 0;
  for (size_t i = 0; i < n; ++i) {
    sum += finite[i]->losses.total;
    if (i >= k) sum -= finite[i - k]->losses.total;
    if (i + 1 < k) continue;
    const double mean = sum / double(k);
    if (!(mean >= t.lowestMean)) {  // also the first (lowestMean NaN)
      t.lowestMean = mean;
      t.lowestStep = finite[i]->step;
    }
    t.recentMean = mean;
  }
  t.rising = t.recentMean > t.lowestMean + tolerance * std::max(std::abs(t.lowestMean), 1e-12);
  return t;
}

}  // namespace latentlab
