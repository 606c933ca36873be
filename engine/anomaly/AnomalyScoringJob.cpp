#include "engine/anomaly/AnomalyScoringJob.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "engine/anomaly/ScoreReference.h"
#include "engine/core/Error.h"

namespace latentlab {

std::vector<int> AnomalyScores::mostAnomalous(int n) const {
  std::vector<int> order(test.size());
  std::iota(order.begin(), order.end(), 0);
  n = std::clamp(n, 0, int(order.size()));
  std::partial_sort(order.begin(), order.begin() + n, order.end(), [&](int a, int b) {
    return test[size_t(a)] > test[size_t(b)] || (test[size_t(a)] == test[size_t(b)] && a < b);
  });
  order.resize(size_t(n));
  return order;
}

double AnomalyScores::thresholdAt(double p) const { return percentile(training, p); }

ThresholdCounts AnomalyScores::countsAt(double threshold) const {
  return latentlab::countsAt(test, anomalous, threshold);
}

float AnomalyScores::scoreOf(int index, bool fromTest) const {
  const std::vector<int>& position = fromTest ? testPosition : trainingPosition;
  if (index < 0 || index >= int(position.size()) || position[size_t(index)] < 0) return std::nanf("");
  return (fromTest ? test : training)[size_t(position[size_t(index)])];
}

AnomalyScoringResult AnomalyScoringJob::run(const CancelFlag* cancel) {
  AnomalyScoringRequest q = request_;
  if (q.score.kind == ScoreKind::Surprise) {
    ScoreSettings base = q.score;
    base.kind = ScoreKind::NegativeElbo;  // the reference is fitted below
    base.validate();
  } else {
    q.score.validate();
  }
  const Dataset &train = data_.train, &test = data_.test;
  if (model_.config().inputSize != train.features())
    throw Error("AnomalyScoringJob", "the model reads " + std::to_string(model_.config().inputSize) +
                                         " features per sample and the data has " + std::to_string(train.features()));
  if (test.size() == 0) throw Error("AnomalyScoringJob", "the data has no test points to score");
  if (q.holdout >= 0) {
    if (!test.hasLabels())
      throw Error("AnomalyScoringJob", "the test points have no labels to find the held-out class by");
    if (q.holdout >= test.classes)
      throw Error("AnomalyScoringJob", "there is no class " + std::to_string(q.holdout) + ": the data has classes 0.." +
                                           std::to_string(test.classes - 1));
  }
  auto s = std::make_shared<AnomalyScores>();
  s->score = q.score;
  s->holdout = q.holdout;
  const int nt = q.testSamples > 0 ? std::min(q.testSamples, test.size()) : test.size();
  s->testIndices.resize(size_t(nt));
  std::iota(s->testIndices.begin(), s->testIndices.end(), 0);
  const int cap = q.trainingSamples > 0 ? q.trainingSamples : train.size();
  for (int i = 0; i < train.size() && int(s->trainingIndices.size()) < cap; ++i)
    if (q.holdout < 0 || !train.hasLabels() || train.labels[size_t(i)] != q.holdout) s->trainingIndices.push_back(i);
  const int nr = int(s->trainingIndices.size());

  AnomalyScoringResult result;
  // The surprise score's reference: the training points scored for the threshold.
  const int referenceWork = q.score.kind == ScoreKind::Surprise ? nr : 0;
  if (referenceWork) {
    auto reference = std::make_shared<ScoreReference>(fitScoreReference(
        model_, train.x, s->trainingIndices, q.score,
        [&](int done, int) {
          if (onProgress) onProgress({true, done, nt + nr + referenceWork});
        },
        cancel));
    if (!reference->fitted()) {
      result.status = JobStatus::Cancelled;
      return result;
    }
    q.score.reference = reference;
    s->score.reference = reference;
  } else if (q.score.kind == ScoreKind::Surprise) {
    throw Error("AnomalyScoringJob", "the surprise score needs training points to compare with");
  }
  ScoreBreakdown testScores, trainScores;
  auto progress = [&](bool training, int done) {
    if (onProgress)
      onProgress({training, referenceWork + (training ? nt + done : done), nt + nr + referenceWork});
  };
  if (scoreColumns(
          model_, test.x, s->testIndices, q.score, testScores, [&](int done, int) { progress(false, done); }, cancel) ==
      JobStatus::Cancelled) {
    result.status = JobStatus::Cancelled;
    return result;
  }
  ScoreSettings trainingSettings = q.score;
  trainingSettings.perFeature = false;
  if (nr > 0 && scoreColumns(
                    model_, train.x, s->trainingIndices, trainingSettings, trainScores,
                    [&](int done, int) { progress(true, done); }, cancel) == JobStatus::Cancelled) {
    result.status = JobStatus::Cancelled;
    return result;
  }
  s->test.assign(testScores.total.data(), testScores.total.data() + nt);
  s->testLatent.assign(testScores.latent.data(), testScores.latent.data() + nt);
  if (nr > 0) s->training.assign(trainScores.total.data(), trainScores.total.data() + nr);
  s->symptoms = std::move(testScores.perFeature);
  if (q.holdout >= 0) {
    s->anomalous.resize(size_t(nt));
    for (int j = 0; j < nt; ++j) s->anomalous[size_t(j)] = test.labels[size_t(s->testIndices[size_t(j)])] == q.holdout;
    const auto positives = std::count(s->anomalous.begin(), s->anomalous.end(), 1);
    if (positives > 0 && positives < nt) s->roc = rocCurve(s->test, s->anomalous);
  }
  s->testPosition.assign(size_t(test.size()), -1);
  for (int j = 0; j < nt; ++j) s->testPosition[size_t(s->testIndices[size_t(j)])] = j;
  s->trainingPosition.assign(size_t(train.size()), -1);
  for (int j = 0; j < nr; ++j) s->trainingPosition[size_t(s->trainingIndices[size_t(j)])] = j;
  result.scores = std::move(s);
  return result;
}

}  // namespace latentlab
