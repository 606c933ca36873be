#include "engine/anomaly/Roc.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "engine/core/Error.h"

namespace latentlab {

namespace {

// Indices by decreasing score; counts of anomalies and normal points.
std::vector<int> descending(const std::vector<float>& scores, const std::vector<uint8_t>& anomalous, int& positives,
                            int& negatives) {
  if (scores.size() != anomalous.size())
    throw Error("Roc", std::to_string(scores.size()) + " scores for " + std::to_string(anomalous.size()) + " labels");
  positives = int(std::count_if(anomalous.begin(), anomalous.end(), [](uint8_t a) { return a != 0; }));
  negatives = int(scores.size()) - positives;
  if (positives == 0) throw Error("Roc", "there are no anomalies to find");
  if (negatives == 0) throw Error("Roc", "there are no normal points");
  for (float s : scores)
    if (std::isnan(s)) throw Error("Roc", "a score is NaN");
  std::vector<int> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return scores[size_t(a)] > scores[size_t(b)]; });
  return order;
}

}  // namespace

RocCurve rocCurve(const std::vector<float>& scores, const std::vector<uint8_t>& anomalous) {
  RocCurve r;
  const std::vector<int> order = descending(scores, anomalous, r.positives, r.negatives);
  const double P = r.positives, N = r.negatives;
  r.points.push_back({0, 0, std::numeric_limits<double>::infinity()});
  long tp = 0, fp = 0;
  double area = 0, ap = 0;
  for (size_t i = 0; i < order.size();) {
    // One group of tied scores: one threshold.
    const float s = scores[size_t(order[i])];
    long groupTp = 0, groupFp = 0;
    for (; i < order.size() && scores[size_t(order[i])] == s; ++i) (anomalous[size_t(order[i])] ? groupTp : groupFp)++;
    // Trapezoid under the step: a tie between anomalies and normal points counts half.
    area += groupFp * (tp + 0.5 * groupTp);
    tp += groupTp;
    fp += groupFp;
    if (groupTp > 0) ap += double(groupTp) / P * double(tp) / double(tp + fp);
    r.points.push_back({fp / N, tp / P, double(s)});
  }
  r.auroc = area / (P * N);
  r.auprc = ap;
  return r;
}

double auroc(const std::vector<float>& scores, const std::vector<uint8_t>& anomalous) {
  return rocCurve(scores, anomalous).auroc;
}

double averagePrecision(const std::vector<float>& scores, const std::vector<uint8_t>& anomalous) {
  return rocCurve(scores, anomalous).auprc;
}

RocCurve thinned(const RocCurve& curve, int maxPoints) {
  RocCurve r = curve;
  if (maxPoints < 2 || int(curve.points.size()) <= maxPoints) return r;
  const double step = 1.0 / maxPoints;
  r.points.clear();
  r.points.push_back(curve.points.front());
  for (size_t i = 1; i + 1 < curve.points.size(); ++i) {
    const RocPoint &p = curve.points[i], &last = r.points.back();
    if (p.falsePositiveRate - last.falsePositiveRate >= step || p.truePositiveRate - last.truePositiveRate >= step)
      r.points.push_back(p);
  }
  r.points.push_back(curve.points.back());
  return r;
}

}  // namespace latentlab
