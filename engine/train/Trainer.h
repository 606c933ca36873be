#pragma once
// Qt-free training loop. Each step draws one unlabelled batch (an epoch-shuffled pass over the whole
// training set) and one labelled batch (with replacement from the current label set, which may grow
// while training runs; while it is empty, as for unlabelled data, the step has unlabelled points alone),
// computes the gradients and applies Adam. Progress goes to callbacks; stop() may
// be called from any thread and takes effect before the next step.
#include <atomic>
#include <functional>
#include <limits>
#include <vector>

#include "engine/core/Random.h"
#include "engine/data/Dataset.h"
#include "engine/data/LabelSet.h"
#include "engine/model/SemiSupervisedVae.h"
#include "engine/optim/Adam.h"
#include "engine/train/Validation.h"

namespace latentlab {

enum class LearningRateSchedule { Constant, Cosine };

struct TrainConfig {
  int epochs = 30;
  int labelledBatch = 100;    // 0: no labelled points (a plain VAE; the label set may be empty)
  int unlabelledBatch = 100;  // 0: labelled points only (every step one labelled batch)
  double learningRate = 1e-3;
  // Cosine: lr * (1 + cos(pi * step / total steps)) / 2, annealing to zero at the last epoch.
  LearningRateSchedule schedule = LearningRateSchedule::Constant;
  uint64_t seed = 1;
  bool supervisedOnly = false;
  // Dynamic binarisation: each time an image enters a batch, pixel p becomes 1 with probability p, else 0,
  // so the Bernoulli likelihood sees binary data and the labelled images are never twice the same.
  bool binarize = false;  // the equivalent supervised classifier: trunk + pi on labelled points only
  int stepsPerEpoch = 0;        // 0: one pass over the training set (N / unlabelledBatch)
  double betaWarmupEpochs = 0;  // KL weight rises linearly from 0 to the model's beta over these epochs
  int evalSamples = 0;          // test samples used for the accuracy each epoch; 0: all
  ValidationConfig validation;  // a validation part kept aside, the criterion that picks the kept epoch, patience
};

struct StepRecord {
  long step = 0;
  int epoch = 0;
  StepLosses losses;
  double learningRate = 0, beta = 0;  // what the step used
};

// Everything a view plots of a step, and where it stands in the run.
struct StepReport {
  long step = 0;  // 1-based, over the whole run
  int epoch = 0;  // 1-based
  int stepInEpoch = 0;
  int stepsPerEpoch = 0;
  size_t labels = 0;
  StepLosses losses;
  double learningRate = 0, beta = 0;  // what the step used
  StepRecord record() const { return {step, epoch, losses, learningRate, beta}; }
};

struct EpochReport {
  int epoch = 0;
  long step = 0;
  double seconds = 0;
  double testAccuracy = 0;
  size_t labels = 0;
  StepLosses mean;  // over the epoch's steps
  double baselineAccuracy = std::numeric_limits<double>::quiet_NaN();  // the supervised baseline's; NaN: none
  // The validation part's figures (Validation.h); NaN: not measured.
  double validationAccuracy = std::numeric_limits<double>::quiet_NaN();
  double validationElbo = std::numeric_limits<double>::quiet_NaN();
  double agreement = std::numeric_limits<double>::quiet_NaN();
};

enum class TrainStatus { Finished, Stopped, NonFiniteLoss };

// Everything a resumed run needs besides the weights and the optimiser moments: where the epoch stands, the
// shuffled order, the generators, and the history so far.
struct TrainerState {
  int epoch = 0;
  long step = 0;
  int cursor = 0;
  std::vector<int> order;
  Random::State dataRng, noiseRng;
  std::vector<EpochReport> epochs;
  std::vector<StepRecord> steps;
  ValidationSplit validation;  // drawn when the run started
};

class Trainer {
 public:
  using Model = SemiSupervisedVae<Scalar>;

  Trainer(Model& model, const DataSplit& data, LabelSet& labels, TrainConfig config);

  std::function<void(const StepReport&)> onStep;
  std::function<void(const EpochReport&)> onEpoch;

  // Trains until config.epochs are done, the validation criterion has not improved for `patience` epochs
  // (Finished, stoppedEarly()), stop() is called, or the loss stops being finite (the step that
  // produced it is not applied: the weights stay those that produced the non-finite loss). A stop() during an
  // epoch's evaluation leaves that epoch open at its last step (no NaN accuracy is reported): the next run()
  // measures it first.
  TrainStatus run();
  void stop() { stopRequested_.store(true, std::memory_order_release); }
  // One step outside run()'s epoch loop (the benchmark's use); false when the loss was not finite.
  bool step(StepLosses& out);

  int epochsDone() const { return epoch_; }
  long stepsDone() const { return step_; }
  int stepsPerEpoch() const;
  static int stepsPerEpoch(const TrainConfig& config, int trainingSamples);  // the same, for a saved run
  double learningRateAt(long step) const;
  double betaAt(long step) const;
  double targetBeta() const { return beta_; }
  const std::vector<EpochReport>& history() const { return history_; }
  // The supervised baseline's test accuracy at the last epoch, kept in the history (a session trains it).
  void recordBaselineAccuracy(double accuracy) {
    if (!history_.empty()) history_.back().baselineAccuracy = accuracy;
  }
  const std::vector<StepRecord>& stepHistory() const { return stepHistory_; }
  TrainerState state() const;
  // Continues from a saved state (same data set, model and config); throws when the state does not fit.
  void restore(const TrainerState& state);
  Adam<Scalar>& optimiser() { return optimiser_; }
  const TrainConfig& config() const { return config_; }
  const ValidationSplit& validationSplit() const { return split_; }
  // The epoch (1-based) whose weights the selection criterion keeps: the best one so far (ties: the later), or
  // the last one for SelectionCriterion::Last; 0 before the first epoch.
  int selectedEpoch() const;
  bool stoppedEarly() const { return stoppedEarly_; }
  // Trains on to this many epochs in all at the next run() (active learning adds epochs round by round).
  void setEpochs(int epochs) { config_.epochs = epochs; }

 private:
  bool trainStep(StepLosses& out);
  // The usable labels as the label set holds them now (read again when it changed).
  const std::vector<LabelEntry>& currentLabels();
  void drawLabelled(int count);
  void binarizeBatch();
  void setValidationSplit(ValidationSplit split);
  void measureValidation(EpochReport& r);
  std::vector<int> predict(const std::vector<int>& columns);

  Model& model_;
  const DataSplit& data_;
  LabelSet& labels_;
  TrainConfig config_;
  Adam<Scalar> optimiser_;
  Random dataRng_, noiseRng_;
  double beta_;  // the model's beta at the end of the warm-up
  std::vector<int> order_;
  int cursor_ = 0;
  int epoch_ = 0;
  long step_ = 0;
  std::shared_ptr<const std::vector<LabelEntry>> labelSnapshot_;
  uint64_t labelVersion_ = ~uint64_t(0);
  Batch<Scalar> batch_;
  Matrix<Scalar> supervisedX_;
  std::vector<EpochReport> history_;
  std::vector<StepRecord> stepHistory_;
  std::atomic<bool> stopRequested_{false};
  ValidationSplit split_;
  std::vector<char> heldOutMask_, validationMask_;  // by training sample
  std::vector<int> lastPredictions_;                // of the held-out points, for the agreement
  bool stoppedEarly_ = false;
};

}  // namespace latentlab
