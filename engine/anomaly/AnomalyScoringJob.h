#pragma once
// The Anomaly view's computation as a job: score a data set's test points (and, for the threshold, some of its
// training points) with the caller's model, keep each test point's symptoms, and when a class is named as the
// anomaly, the ROC curve of the test points of that class against the others. Progress and cancel as every
// engine job (engine/core/Cancellation.h).
//
// Shapes: nt test points, nr training points scored; symptoms (D x nt).
#include <functional>
#include <memory>
#include <vector>

#include "engine/anomaly/AnomalyScore.h"
#include "engine/anomaly/Roc.h"
#include "engine/anomaly/Threshold.h"
#include "engine/core/Cancellation.h"
#include "engine/data/Dataset.h"
#include "engine/model/SemiSupervisedVae.h"

namespace latentlab {

struct AnomalyScoringRequest {
  ScoreSettings score;         // perFeature set: the test points' symptoms are kept
  int holdout = -1;            // the class whose test points are the anomalies; -1: none (no ROC)
  int testSamples = 0;         // the first test points; 0: all
  int trainingSamples = 2000;  // the first training points (not of the held-out class); 0: all. They set the
                               // threshold, and are the surprise score's reference (ScoreReference.h)
};

// What the job found; shared, read-only, between the job and whoever shows it.
struct AnomalyScores {
  ScoreSettings score;
  int holdout = -1;
  std::vector<int> testIndices, trainingIndices;    // each score's sample: its column in its set
  std::vector<float> test, training;                // the scores, nats
  std::vector<float> testLatent;                    // the part of each test score not split per feature
  Matrix<float> symptoms;                           // (D x nt) the split per feature; empty unless asked for
  std::vector<uint8_t> anomalous;                   // (nt) 1: of the held-out class; empty without one
  RocCurve roc;                                     // with a held-out class present among normal test points
  std::vector<int> testPosition, trainingPosition;  // per sample of each set: its position above, or -1

  bool hasRoc() const { return !roc.points.empty(); }
  // Positions in test of the n highest scores, highest first.
  std::vector<int> mostAnomalous(int n) const;
  // The percentile (0..100) of the training scores.
  double thresholdAt(double percentile) const;
  // Test points above the threshold, and (with a held-out class) precision and recall.
  ThresholdCounts countsAt(double threshold) const;
  // A sample's score (its column in the test or the training set); NaN when it was not scored.
  float scoreOf(int index, bool fromTest) const;
};

struct AnomalyScoringResult {
  JobStatus status = JobStatus::Finished;  // Cancelled: scores is null
  std::shared_ptr<const AnomalyScores> scores;
};

struct AnomalyScoringProgress {
  bool training = false;  // scoring the training points (after the test points)
  int done = 0, total = 0;
};

class AnomalyScoringJob {
 public:
  // The model is the caller's, used by nothing else while run() runs; model and data outlive run().
  AnomalyScoringJob(SemiSupervisedVae<float>& model, const DataSplit& data, AnomalyScoringRequest request)
      : model_(model), data_(data), request_(std::move(request)) {}

  std::function<void(const AnomalyScoringProgress&)> onProgress;

  // Throws Error for a model that reads other data, a held-out class that does not exist (or data without
  // labels to find it by), S < 1, or an empty test set.
  AnomalyScoringResult run(const CancelFlag* cancel = nullptr);

 private:
  SemiSupervisedVae<float>& model_;
  const DataSplit& data_;
  AnomalyScoringRequest request_;
};

}  // namespace latentlab
