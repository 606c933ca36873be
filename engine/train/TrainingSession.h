#pragma once
// One training run as the CLI and the workbench drive it (engine -> session -> worker -> signal -> view).
// It builds a new run or continues a saved one from its model file (architecture, weights, optimiser, position,
// history, labels), steps the equivalent supervised classifier in lockstep when asked, and reports per step and
// per epoch everything a view plots: losses, learning rate, beta, labels, test and baseline accuracy. Qt-free.
//
// Threads: run() and everything else on one thread (the training thread), except stop(), which any thread may
// call. The label set may be shared with a GUI that adds labels while the run goes on (LabelSet is
// thread-safe; the trainer reads it at every step).
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "engine/data/Dataset.h"
#include "engine/data/LabelSet.h"
#include "engine/io/ModelFile.h"
#include "engine/model/SemiSupervisedVae.h"
#include "engine/train/Trainer.h"

namespace latentlab {

// A new run: the architecture (its input shape and classes are taken from the data), the training settings and
// the labels to start from.
struct NewRun {
  ModelConfig model;
  TrainConfig train;
  int initialLabels = 100;  // a balanced subset of the data's labels drawn with train.seed; 0: every label
};

// What may change when a saved run continues; the rest is the file's.
struct ContinueRun {
  std::optional<int> epochs;           // the new total; at least one epoch more than done
  std::optional<double> learningRate;  // the optimiser's, from the next step on
  TrainConfig fresh;                   // the settings for a file without training state (a model to train on)
};

struct SessionOptions {
  bool baseline = false;              // train the equivalent supervised classifier (trunk + pi) alongside
  std::shared_ptr<LabelSet> labels;   // the caller's label set (used as it is); null: the run's own
};

class TrainingSession {
 public:
  using Model = SemiSupervisedVae<float>;

  // Throws latentlab::Error for a configuration that does not fit the data, or a label set it cannot draw.
  TrainingSession(std::shared_ptr<const DataSplit> data, const NewRun& run, SessionOptions options = {});
  // Continues the run saved in `from` (or trains on a model file without training state); throws when the
  // file's model does not fit the data, or its training state was made on other data.
  TrainingSession(std::shared_ptr<const DataSplit> data, const ModelFile& from, const ContinueRun& changes,
                  SessionOptions options = {});
  ~TrainingSession();

  // Per step (after the step is applied) and per epoch (after the evaluation), on the training thread.
  std::function<void(const StepReport&)> onStep;
  std::function<void(const EpochReport&)> onEpoch;

  // Trains to the configured number of epochs, until stop(), or until the loss stops being finite (the step
  // that produced it is not applied).
  TrainStatus run();
  void stop();

  // The whole run as a model file holds it: model, optimiser, position, history, labels, data fingerprint.
  ModelFile capture();
  // The run as of the epoch its selection criterion keeps (TrainConfig::validation, Trainer::selectedEpoch), with
  // TrainingSnapshot::selection saying why and the labels as they are now; capture() when that is the last epoch.
  ModelFile captureSelected();
  // For people: "epoch 12 of 20: highest validation accuracy (0.950); stopped early, 8 epochs without a better
  // one"; empty when the criterion is Last.
  std::string selectionText() const;
  // The model as a model file holds it without training state (for views that only read the model).
  ModelFile captureModelOnly();

  Model& model() { return *model_; }
  Trainer& trainer() { return *trainer_; }
  const LabelSet& labels() const { return *labels_; }
  const DataSplit& data() const { return *data_; }
  bool hasBaseline() const { return baseline_ != nullptr; }
  int epochsDone() const { return trainer_->epochsDone(); }
  long stepsDone() const { return trainer_->stepsDone(); }
  int stepsPerEpoch() const { return trainer_->stepsPerEpoch(); }
  long totalSteps() const { return long(trainer_->config().epochs) * trainer_->stepsPerEpoch(); }

 private:
  void buildTrainers(const TrainConfig& train, bool baseline);
  DatasetInfo datasetInfo() const;

  std::shared_ptr<const DataSplit> data_;
  std::string fingerprint_;  // of the training set, computed once
  std::shared_ptr<LabelSet> labels_;
  std::unique_ptr<Model> model_, baseline_;
  std::unique_ptr<Trainer> trainer_, baselineTrainer_;
  std::optional<ModelFile> kept_;  // the run at the selected epoch, while later epochs run
};

}  // namespace latentlab
