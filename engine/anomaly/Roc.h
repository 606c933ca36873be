#pragma once
// How well a score separates anomalies (the positives) from normal points: the ROC curve, the area under it
// (AUROC) and the area under the precision-recall curve (AUPRC, as average precision). Higher scores are more
// anomalous; a point is flagged when its score is at least the threshold. Tied scores are one threshold: the
// AUROC counts a tie between an anomaly and a normal point as half (Mann-Whitney), and the average precision
// takes precision where a group of tied scores ends (as scikit-learn's average_precision_score).
//
// Shapes: scores (n), anomalous (n), 1 for an anomaly.
#include <cstdint>
#include <vector>

namespace latentlab {

struct RocPoint {
  double falsePositiveRate = 0, truePositiveRate = 0;
  double threshold = 0;  // flagged: score >= threshold (the first point, (0, 0), has +infinity)
};

struct RocCurve {
  std::vector<RocPoint> points;  // from (0, 0) to (1, 1), thresholds decreasing
  double auroc = 0;              // probability that an anomaly scores above a normal point (ties half)
  double auprc = 0;              // average precision
  int positives = 0, negatives = 0;
};

// Throws Error("Roc", ...) when the sizes differ or a class is absent (no anomalies or no normal points).
RocCurve rocCurve(const std::vector<float>& scores, const std::vector<uint8_t>& anomalous);
double auroc(const std::vector<float>& scores, const std::vector<uint8_t>& anomalous);
double averagePrecision(const std::vector<float>& scores, const std::vector<uint8_t>& anomalous);

// At most about maxPoints of the curve's points, for plots and files: a point is kept when it moved at least
// 1 / maxPoints along either axis since the last kept one; the first and last are always kept. The areas are
// those of the whole curve.
RocCurve thinned(const RocCurve& curve, int maxPoints);

}  // namespace latentlab
