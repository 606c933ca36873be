#include "engine/train/TrainingSession.h"

#include <algorithm>
#include <cstdio>

#include "engine/core/Error.h"
#include "engine/data/Fingerprint.h"
#include "engine/train/Evaluation.h"

namespace latentlab {

namespace {

void requireFit(const ModelConfig& m, const Dataset& train) {
  if (m.inputSize != train.features() || m.classes != train.classes)
    throw Error("TrainingSession", "the model takes " + std::to_string(m.inputSize) + " features and " +
                                       std::to_string(m.classes) + " classes; the data has " +
                                       std::to_string(train.features()) + " features and " +
                                       std::to_string(train.classes) + " classes");
}

}  // namespace

TrainingSession::TrainingSession(std::shared_ptr<const DataSplit> data, const NewRun& run, SessionOptions options)
    : data_(std::move(data)), fingerprint_(fingerprint(data_->train)), labels_(std::move(options.labels)) {
  const Dataset& train = data_->train;
  ModelConfig mc = run.model;
  mc.setInput(train.shape);
  mc.classes = train.classes;
  if (needsGaussianLikelihood(data_->transform)) mc.likelihood = Likelihood::Gaussian;
  model_ = std::make_unique<Model>(mc, run.train.seed);
  if (!labels_ && !train.hasLabels()) labels_ = std::make_shared<LabelSet>();  // unlabelled: none to start from
  if (!labels_) {
    Random labelRng(run.train.seed);
    labels_ = std::make_shared<LabelSet>(run.initialLabels <= 0
                                             ? allLabels(train.labels)
                                             : balancedLabelSet(train.labels, run.initialLabels, mc.classes, labelRng));
  }
  buildTrainers(run.train, options.baseline);
}

TrainingSession::TrainingSession(std::shared_ptr<const DataSplit> data, const ModelFile& from,
                                 const ContinueRun& changes, SessionOptions options)
    : data_(std::move(data)), fingerprint_(fingerprint(data_->train)), labels_(std::move(options.labels)) {
  requireFit(from.model, data_->train);
  if (!(from.input == data_->transform))
    throw Error("TrainingSession", "the model reads its inputs " + from.input.describe() + ", the data is read " +
                                       data_->transform.describe() + ": open the data as the model reads it");
  if (from.training && from.dataset.fingerprint != fingerprint_)
    throw Error("TrainingSession", "the model was trained on other data (" + from.dataset.name + ", " +
                                       from.dataset.fingerprint + "); open that data set to continue its training");
  model_ = instantiateModel(from);
  if (!labels_) labels_ = std::make_shared<LabelSet>(from.labels);
  TrainConfig tc = from.training ? from.training->config : changes.fresh;
  const int done = from.training ? from.training->state.epoch : 0;
  if (changes.learningRate) tc.learningRate = *changes.learningRate;
  tc.epochs = std::max(changes.epochs.value_or(tc.epochs), done + 1);
  buildTrainers(tc, options.baseline);
  if (from.training) restoreTraining(from, *trainer_);
}

TrainingSession::~TrainingSession() = default;

void TrainingSession::buildTrainers(const TrainConfig& train, bool baseline) {
  // Unlabelled data may start without labels: the run trains on its unlabelled points alone (Trainer.h) until the
  // user labels some. Labelled data, and a run of labelled points alone, need at least one.
  if (labels_->size() == 0 && (data_->train.hasLabels() || train.supervisedOnly || train.unlabelledBatch == 0))
    throw Error("TrainingSession", "the label set is empty: label at least one sample");
  trainer_ = std::make_unique<Trainer>(*model_, *data_, *labels_, train);
  if (baseline) {
    baseline_ = std::make_unique<Model>(model_->config(), train.seed);
    TrainConfig bc = train;
    bc.supervisedOnly = true;
    baselineTrainer_ = std::make_unique<Trainer>(*baseline_, *data_, *labels_, bc);
  }
  // The baseline steps with the run, one of its steps per step; it reports only its test accuracy.
  trainer_->onStep = [this](const StepReport& s) {
    if (baselineTrainer_ && labels_->size() > 0) {  // the baseline learns from labels alone: it waits for some
      StepLosses ignored;
      baselineTrainer_->step(ignored);
    }
    if (onStep) onStep(s);
  };
  trainer_->onEpoch = [this](const EpochReport& r) {
    EpochReport e = r;
    if (baseline_) e.baselineAccuracy = accuracy(*baseline_, data_->test);
    trainer_->recordBaselineAccuracy(e.baselineAccuracy);
    // The best epoch so far is captured now, before later epochs change the weights.
    if (trainer_->config().validation.select != SelectionCriterion::Last && trainer_->selectedEpoch() == e.epoch)
      kept_ = capture();
    if (onEpoch) onEpoch(e);
  };
}

TrainStatus TrainingSession::run() { return trainer_->run(); }

void TrainingSession::stop() { trainer_->stop(); }

DatasetInfo TrainingSession::datasetInfo() const {
  const Dataset& t = data_->train;
  return {data_->source, fingerprint_, t.size(), t.shape.height, t.shape.width};
}

ModelFile TrainingSession::capture() {
  ModelFile f = captureModel(*model_, data_->train.classNames, datasetInfo(), trainer_.get(), labels_.get());
  f.input = data_->transform;
  return f;
}

std::string TrainingSession::selectionText() const {
  const ValidationConfig& v = trainer_->config().validation;
  const int selected = trainer_->selectedEpoch(), done = trainer_->epochsDone();
  if (v.select == SelectionCriterion::Last || selected == 0) return {};
  const EpochReport& e = trainer_->history()[size_t(selected - 1)];
  char figure[96];
  if (v.select == SelectionCriterion::ValidationAccuracy)
    std::snprintf(figure, sizeof figure, "highest validation accuracy (%.4f on %zu labels)", e.validationAccuracy,
                  trainer_->validationSplit().labels.size());
  else
    std::snprintf(figure, sizeof figure, "lowest held-out -ELBO (%.2f nats on %zu points)", e.validationElbo,
                  trainer_->validationSplit().heldOut.size());
  std::string text = "epoch " + std::to_string(selected) + " of " + std::to_string(done) + ": " + figure;
  if (trainer_->stoppedEarly())
    text += "; stopped early, " + std::to_string(done - selected) + " epochs without a better one";
  return text;
}

ModelFile TrainingSession::captureSelected() {
  const int selected = trainer_->selectedEpoch();
  if (trainer_->config().validation.select == SelectionCriterion::Last || selected == 0) return capture();
  const bool earlier = selected != trainer_->epochsDone() && kept_ && kept_->training &&
                       kept_->training->state.epoch == selected;
  ModelFile f = earlier ? *kept_ : capture();
  f.labels = *labels_->snapshot();  // labels entered since that epoch are kept
  f.training->epochsTrained = trainer_->epochsDone();
  f.training->selection = selectionText();
  if (!earlier && selected != trainer_->epochsDone())  // trained before this session resumed the run
    f.training->selection = "epoch " + std::to_string(trainer_->epochsDone()) + ", the last: the best (" +
                            f.training->selection + ") was trained before the run resumed, and its weights were not kept";
  return f;
}

ModelFile TrainingSession::captureModelOnly() {
  ModelFile f = captureModel(*model_, data_->train.classNames, datasetInfo(), nullptr, labels_.get());
  f.input = data_->transform;
  return f;
}

}  // namespace latentlab
