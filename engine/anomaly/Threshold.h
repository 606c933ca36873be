#pragma once
// A working point for a detector: the threshold at a chosen percentile of the training scores (the normal
// data the model was fitted on), and what it does on a test set: points scoring above it are flagged.
//
// Shapes: scores (n); anomalous (n), 1 for an anomaly (empty: unknown, only the flagged count is given).
#include <cstdint>
#include <vector>

namespace latentlab {

// The p-th percentile (0..100) of values, linearly interpolated between order statistics (NumPy's default).
// Throws Error("Threshold", ...) for no values or p outside [0, 100].
double percentile(std::vector<float> values, double p);

struct ThresholdCounts {
  double threshold = 0;
  int flagged = 0;  // scores above the threshold
  int truePositives = 0, falsePositives = 0, trueNegatives = 0, falseNegatives = 0;
  double precision = 0;  // TP / flagged (0 when nothing is flagged)
  double recall = 0;     // TP / anomalies (0 when there are none)
  double falsePositiveRate = 0;
};

// Flags score > threshold.
ThresholdCounts countsAt(const std::vector<float>& scores, const std::vector<uint8_t>& anomalous, double threshold);

}  // namespace latentlab
