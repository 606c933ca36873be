#include "engine/anomaly/HoldoutExperiment.h"

#include <algorithm>
#include <chrono>
#include <numeric>

#include "engine/anomaly/AutoencoderDetector.h"
#include "engine/anomaly/PcaDetector.h"
#include "engine/anomaly/ScoreReference.h"
#include "engine/core/Error.h"
#include "engine/data/HoldOut.h"
#include "engine/data/LabelSet.h"
#include "engine/train/Evaluation.h"

namespace latentlab {

namespace {

using Clock = std::chrono::steady_clock;
double secondsSince(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

std::vector<float> toVector(const RowVector<float>& v) { return std::vector<float>(v.data(), v.data() + v.size()); }

}  // namespace

void HoldoutSettings::validate() const {
  auto fail = [](const std::string& what) { throw Error("HoldoutExperiment", what); };
  if (!labelsOff && !labelsOn && pcaComponents <= 0 && !autoencoder) fail("nothing to run: no model and no baseline");
  if ((labelsOff || labelsOn) && scores.empty()) fail("no score asked for");
  for (ScoreSettings s : scores) {
    if (s.kind == ScoreKind::Surprise) s.kind = ScoreKind::NegativeElbo;  // its reference is fitted in run()
    s.validate();
  }
  if (!(percentile >= 0 && percentile <= 100)) fail("the threshold percentile must be in 0..100");
  if (labelCount < 0) fail("the label count cannot be negative");
  if (train.epochs < 1) fail("training needs at least one epoch");
  if (pcaComponents < 0) fail("PCA components cannot be negative");
  if (thresholdSamples < 0) fail("threshold samples cannot be negative");
  if (referenceSamples < 1) fail("the surprise score needs at least one reference point");
}

const DetectorResult* HoldoutResult::find(const std::string& detector, ScoreKind score) const {
  for (const DetectorResult& d : detectors)
    if (d.detector == detector && (d.score == score || detector == "pca" || detector == "ae")) return &d;
  return nullptr;
}

Dataset withoutClass(const Dataset& d, int holdout) {
  std::vector<int> keep;
  for (int i = 0; i < d.size(); ++i)
    if (d.labels[size_t(i)] != holdout) keep.push_back(i);
  Dataset r = subset(d, keep);
  for (int& y : r.labels) y = y > holdout ? y - 1 : y;
  r.classes = d.classes - 1;
  if (int(r.classNames.size()) > holdout) r.classNames.erase(r.classNames.begin() + holdout);
  return r;
}

HoldoutExperiment::HoldoutExperiment(const DataSplit& data, int holdout, HoldoutSettings settings)
    : data_(data), holdout_(holdout), settings_(std::move(settings)) {}

void HoldoutExperiment::report(const std::string& stage, int done, int total) const {
  if (onProgress) onProgress({stage, done, total});
}

HoldoutResult HoldoutExperiment::run(const CancelFlag* cancel) {
  const HoldoutSettings& s = settings_;
  s.validate();
  const Dataset &train = data_.train, &test = data_.test;
  if (!train.hasLabels() || !test.hasLabels())
    throw Error("HoldoutExperiment", "holding out a class needs labelled training and test data");
  const int K = train.classes;
  if (K < 3)
    throw Error("HoldoutExperiment",
                "holding out a class needs at least three classes (got " + std::to_string(K) + ")");
  if (holdout_ < 0 || holdout_ >= K)
    throw Error("HoldoutExperiment", "there is no class " + std::to_string(holdout_) +
                                         " to hold out: the data has classes 0.." + std::to_string(K - 1));

  HoldoutResult result;
  result.holdout = holdout_;
  DataSplit normal;
  normal.train = withoutClass(train, holdout_);
  normal.test = withoutClass(test, holdout_);
  result.normalTraining = normal.train.size();
  std::vector<uint8_t> anomalous(size_t(test.size()));
  for (int i = 0; i < test.size(); ++i) anomalous[size_t(i)] = test.labels[size_t(i)] == holdout_;
  result.anomalousTest = int(std::count(anomalous.begin(), anomalous.end(), 1));
  result.normalTest = test.size() - result.anomalousTest;
  if (result.anomalousTest == 0)
    throw Error("HoldoutExperiment", "the test set has no point of class " + std::to_string(holdout_));
  if (normal.train.size() < 2) throw Error("HoldoutExperiment", "too few training points of the other classes");

  std::vector<int> testColumns(size_t(test.size()));
  std::iota(testColumns.begin(), testColumns.end(), 0);
  const int thresholdCount =
      s.thresholdSamples > 0 ? std::min(s.thresholdSamples, normal.train.size()) : normal.train.size();
  std::vector<int> thresholdColumns(static_cast<size_t>(thresholdCount));
  std::iota(thresholdColumns.begin(), thresholdColumns.end(), 0);
  // The surprise score's reference points: those after the threshold's, so that the threshold is set on points
  // the reference has not seen (all of them when there are too few).
  std::vector<int> referenceColumns;
  for (int i = thresholdCount; i < normal.train.size() && int(referenceColumns.size()) < s.referenceSamples; ++i)
    referenceColumns.push_back(i);
  if (referenceColumns.size() < 100) {
    referenceColumns.resize(size_t(std::min(normal.train.size(), std::max(1, s.referenceSamples))));
    std::iota(referenceColumns.begin(), referenceColumns.end(), 0);
  }

  // A detector's test and training scores -> its ROC and working point.
  auto addDetector = [&](const std::string& name, ScoreKind kind, int samples, const RowVector<float>& testScores,
                         const RowVector<float>& trainScores, double seconds) {
    DetectorResult d;
    d.detector = name;
    d.score = kind;
    d.samples = samples;
    const std::vector<float> scores = toVector(testScores);
    d.roc = thinned(rocCurve(scores, anomalous), s.rocPoints);
    d.percentile = s.percentile;
    d.atThreshold = countsAt(scores, anomalous, percentile(toVector(trainScores), s.percentile));
    d.scoringSeconds = seconds;
    result.detectors.push_back(std::move(d));
  };

  ModelConfig base = s.model;
  base.setInput(train.shape);
  base.classes = K - 1;
  if (needsGaussianLikelihood(data_.transform)) base.likelihood = Likelihood::Gaussian;

  // The VAEs.
  struct Variant {
    std::string name;
    bool labels;
  };
  std::vector<Variant> variants;
  if (s.labelsOff) variants.push_back({"vae_off", false});
  if (s.labelsOn) variants.push_back({"vae_on", true});
  for (const Variant& v : variants) {
    ModelConfig mc = base;
    TrainConfig tc = s.train;
    LabelSet labels;
    if (!v.labels) {
      mc.classInput = false;
      mc.objective = Objective::Single;
      tc.labelledBatch = 0;
      tc.unlabelledBatch = s.train.unlabelledBatch > 0 ? s.train.unlabelledBatch : s.train.labelledBatch;
      tc.evalSamples = 1;  // its q(y|x) is never trained: no accuracy to watch
    } else if (s.labelCount == 0) {
      labels = allLabels(normal.train.labels);
      tc.unlabelledBatch = 0;
      if (tc.labelledBatch <= 0) tc.labelledBatch = s.train.unlabelledBatch;
    } else {
      Random labelRng(s.train.seed);
      labels = balancedLabelSet(normal.train.labels, s.labelCount, mc.classes, labelRng);
    }
    std::unique_ptr<SemiSupervisedVae<float>> loaded = loadModel ? loadModel(v.name) : nullptr;
    if (loaded && (loaded->config().inputSize != mc.inputSize || loaded->config().classes != mc.classes ||
                   loaded->config().classInput != mc.classInput))
      throw Error("HoldoutExperiment", v.name + ": the saved model does not fit holding out class " +
                                           std::to_string(holdout_) + " (input, classes or class input differ)");
    std::unique_ptr<SemiSupervisedVae<float>> trained;
    const auto t0 = Clock::now();
    int epochsDone = 0;
    if (!loaded) {
      trained = std::make_unique<SemiSupervisedVae<float>>(mc, s.train.seed);
      Trainer trainer(*trained, normal, labels, tc);
      const std::string stage = "training " + v.name;
      trainer.onStep = [&](const StepReport& r) {
        if (cancelRequested(cancel)) trainer.stop();
        if (r.stepInEpoch == r.stepsPerEpoch || r.stepInEpoch % 50 == 0)
          report(stage, (r.epoch - 1) * r.stepsPerEpoch + r.stepInEpoch, tc.epochs * r.stepsPerEpoch);
      };
      const TrainStatus status = trainer.run();
      if (status == TrainStatus::Stopped || cancelRequested(cancel)) {
        result.status = JobStatus::Cancelled;
        return result;
      }
      if (status == TrainStatus::NonFiniteLoss)
        throw Error("HoldoutExperiment", v.name + ": the loss became NaN or infinite (try a lower learning rate)");
      epochsDone = trainer.epochsDone();
    }
    SemiSupervisedVae<float>& model = loaded ? *loaded : *trained;
    TrainedModel tm{v.name, loaded ? 0.0 : secondsSince(t0), epochsDone, -1};
    tm.loaded = bool(loaded);
    if (v.labels) tm.testAccuracy = accuracy(model, normal.test);
    result.models.push_back(tm);
    if (onModelTrained && !loaded) onModelTrained(v.name, model);

    for (const ScoreSettings& score : s.scores) {
      ScoreSettings ss = score;
      ss.perFeature = false;
      const std::string scoring = "scoring " + v.name + " " + toString(ss.kind);
      ScoreBreakdown testScores, trainScores;
      const auto t1 = Clock::now();
      if (ss.kind == ScoreKind::Surprise) {
        auto fitted = std::make_shared<ScoreReference>(fitScoreReference(
            model, normal.train.x, referenceColumns, ss, [&](int done, int total) { report(scoring, done, total); },
            cancel));
        if (!fitted->fitted()) {
          result.status = JobStatus::Cancelled;
          return result;
        }
        ss.reference = fitted;
      }
      auto progress = [&](int done, int total) { report(scoring, done, total + thresholdCount); };
      if (scoreColumns(model, test.x, testColumns, ss, testScores, progress, cancel) == JobStatus::Cancelled ||
          scoreColumns(
              model, normal.train.x, thresholdColumns, ss, trainScores,
              [&](int done, int) { report(scoring, test.size() + done, test.size() + thresholdCount); },
              cancel) == JobStatus::Cancelled) {
        result.status = JobStatus::Cancelled;
        return result;
      }
      addDetector(v.name, ss.kind, ss.kind == ScoreKind::Iwae ? ss.samples : 0, testScores.total, trainScores.total,
                  secondsSince(t1));
    }
  }

  // PCA of the normal training points.
  if (s.pcaComponents > 0) {
    report("pca", 0, 1);
    const auto t0 = Clock::now();
    PcaDetector pca(normal.train.x, s.pcaComponents);
    ScoreBreakdown testScores, trainScores;
    pca.score(test.x, testScores);
    pca.score(normal.train.x.leftCols(thresholdCount), trainScores);
    addDetector("pca", ScoreKind::Reconstruction, 0, testScores.total, trainScores.total, secondsSince(t0));
    report("pca", 1, 1);
  }
  if (cancelRequested(cancel)) {
    result.status = JobStatus::Cancelled;
    return result;
  }

  // The deterministic autoencoder, the labels-off model's trunk and decoder.
  if (s.autoencoder) {
    ModelConfig mc = base;
    mc.classInput = false;
    mc.objective = Objective::Single;
    AutoencoderDetector ae(mc, s.train.seed);
    AutoencoderTraining at;
    at.epochs = s.train.epochs;
    at.batch = s.train.unlabelledBatch > 0 ? s.train.unlabelledBatch : s.train.labelledBatch;
    at.learningRate = s.train.learningRate;
    at.seed = s.train.seed;
    at.binarize = s.train.binarize;
    const auto t0 = Clock::now();
    const JobStatus st = ae.train(
        normal.train.x, at, [&](int epoch, int epochs, double) { report("training ae", epoch, epochs); }, cancel);
    if (st == JobStatus::Cancelled) {
      result.status = JobStatus::Cancelled;
      return result;
    }
    result.models.push_back({"ae", secondsSince(t0), at.epochs, -1});
    const auto t1 = Clock::now();
    ScoreBreakdown testScores, trainScores;
    ae.score(test.x, testScores);
    ae.score(normal.train.x.leftCols(thresholdCount), trainScores);
    addDetector("ae", ScoreKind::Reconstruction, 0, testScores.total, trainScores.total, secondsSince(t1));
  }
  return result;
}

}  // namespace latentlab
