#pragma once
// The source article's experiment: one class of a labelled data set is held out as the anomaly. The other
// classes' training points train
//   - "vae_off": a VAE of the same size without the class input (ModelConfig::classInput false; the article's
//     equivalent unsupervised model), on their images alone;
//   - "vae_on":  the semi-supervised VAE with their labels (all of them, or a balanced subset of labelCount),
//     the classes renumbered 0..K-2 in order;
// and the baselines "pca" (k components of the same points) and "ae" (a deterministic autoencoder of the same
// trunk and decoder). Every test point is then scored: the test points of the other classes are the normal
// ones, those of the held-out class the anomalies. Per detector and score: the ROC curve, AUROC and AUPRC, and
// the threshold at a percentile of the scores of (the first thresholdSamples) normal training points with its
// precision and recall on the test set.
//
// Training goes through engine/train/Trainer: the labels-off model takes unlabelled batches only
// (labelledBatch 0), the labels-on model with every label labelled batches only (unlabelledBatch 0), so both see
// the same number of points per step and steps per epoch; with a label subset it takes both batches.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/anomaly/AnomalyScore.h"
#include "engine/anomaly/Roc.h"
#include "engine/anomaly/Threshold.h"
#include "engine/core/Cancellation.h"
#include "engine/data/Dataset.h"
#include "engine/model/SemiSupervisedVae.h"
#include "engine/train/Trainer.h"

namespace latentlab {

struct HoldoutSettings {
  // The VAEs' (and the autoencoder's) architecture and objective weights; the input shape and the class count
  // are set from the data. alpha is used as given (Kingma et al.: 0.1 x training points).
  ModelConfig model;
  // Epochs, learning rate, batch sizes (labelledBatch: the labels-on model; unlabelledBatch: the labels-off
  // model and the autoencoder), seed, binarisation. evalSamples: normal test points for the per-epoch accuracy.
  TrainConfig train;
  bool labelsOff = true, labelsOn = true;
  int labelCount = 0;  // labels-on: 0 = every label of the normal training points, else a balanced subset
  std::vector<ScoreSettings> scores{ScoreSettings{}};  // for the VAEs, each in turn (perFeature is not used)
  int pcaComponents = 10;                              // 0: no PCA baseline
  bool autoencoder = true;
  double percentile = 95;
  int thresholdSamples = 2000;  // normal training points scored for the threshold; 0: all
  int referenceSamples = 5000;  // surprise score: normal training points of its reference (after the
                                 // threshold's)
  int rocPoints = 500;          // the curves kept (thinned(); the areas are exact)

  // Throws Error("HoldoutExperiment", ...) for what cannot run: no scores, a bad percentile, S < 1, ...
  void validate() const;
};

struct DetectorResult {
  std::string detector;                         // vae_off, vae_on, pca, ae
  ScoreKind score = ScoreKind::Reconstruction;  // what it scored with (the baselines: reconstruction)
  int samples = 0;                              // IWAE S
  RocCurve roc;                                 // thinned to rocPoints
  ThresholdCounts atThreshold;                  // on the test set
  double percentile = 0;
  double scoringSeconds = 0;
};

struct TrainedModel {
  std::string name;  // vae_off, vae_on, ae
  double seconds = 0;
  int epochs = 0;
  double testAccuracy = -1;  // vae_on: q(y|x) on the normal test points; -1 otherwise
  bool loaded = false;       // from loadModel, not trained
};

struct HoldoutResult {
  JobStatus status = JobStatus::Finished;  // Cancelled: detectors holds those finished before
  int holdout = 0;
  int normalTest = 0, anomalousTest = 0, normalTraining = 0;
  std::vector<TrainedModel> models;
  std::vector<DetectorResult> detectors;

  // The detector's result for that score (the baselines answer any score); null when not run.
  const DetectorResult* find(const std::string& detector, ScoreKind score) const;
};

struct HoldoutProgress {
  std::string stage;  // "training vae_off", "scoring vae_on elbo", "pca", ...
  int done = 0, total = 0;
};

class HoldoutExperiment {
 public:
  // data must outlive run(); its training and test splits need labels.
  HoldoutExperiment(const DataSplit& data, int holdout, HoldoutSettings settings);

  std::function<void(const HoldoutProgress&)> onProgress;
  // After each VAE is trained, before it is scored (e.g. to save it).
  std::function<void(const std::string& name, SemiSupervisedVae<float>& model)> onModelTrained;
  // A VAE to score instead of training it (e.g. one saved by an earlier run); null: train it. run() throws Error
  // if it does not fit the held-out data (input size, classes, class input).
  std::function<std::unique_ptr<SemiSupervisedVae<float>>(const std::string& name)> loadModel;

  // Throws Error for a class that does not exist, data without labels, fewer than three classes, or bad
  // settings.
  HoldoutResult run(const CancelFlag* cancel = nullptr);

 private:
  void report(const std::string& stage, int done, int total) const;

  const DataSplit& data_;
  int holdout_;
  HoldoutSettings settings_;
};

// The normal points of a data set with one class held out: every point of another class, its label renumbered
// (classes above the held-out one move down by one), the class names without the held-out one.
Dataset withoutClass(const Dataset& d, int holdout);

}  // namespace latentlab
