#include "engine/anomaly/Threshold.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "engine/core/Error.h"

namespace latentlab {

double percentile(std::vector<float> values, double p) {
  if (values.empty()) throw Error("Threshold", "no scores to take a percentile of");
  if (!(p >= 0 && p <= 100))
    throw Error("Threshold", "the percentile must be in 0..100 (got " + std::to_string(p) + ")");
  std::sort(values.begin(), values.end());
  const double position = p / 100.0 * double(values.size() - 1);
  const size_t below = size_t(std::floor(position));
  const size_t above = std::min(below + 1, values.size() - 1);
  const double t = position - double(below);
  return double(values[below]) + t * (double(values[above]) - double(values[below]));
}

ThresholdCounts countsAt(const std::vector<float>& scores, const std::vector<uint8_t>& anomalous, double threshold) {
  if (!anomalous.empty() && anomalous.size() != scores.size())
    throw Error("Threshold",
                std::to_string(scores.size()) + " scores for " + std::to_string(anomalous.size()) + " labels");
  ThresholdCounts c;
  c.threshold = threshold;
  for (size_t i = 0; i < scores.size(); ++i) {
    const bool flagged = double(scores[i]) > threshold;
    c.flagged += flagged;
    if (anomalous.empty()) continue;
    if (anomalous[i])
      (flagged ? c.truePositives : c.falseNegatives)++;
    else
      (flagged ? c.falsePositives : c.trueNegatives)++;
  }
  c.precision = c.flagged > 0 && !anomalous.empty() ? double(c.truePositives) / c.flagged : 0;
  const int positives = c.truePositives + c.falseNegatives, negatives = c.falsePositives + c.trueNegatives;
  c.recall = positives > 0 ? double(c.truePositives) / positives : 0;
  c.falsePositiveRate = negatives > 0 ? double(c.falsePositives) / negatives : 0;
  return c;
}

}  // namespace latentlab
