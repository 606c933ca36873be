#include "engine/train/Trainer.h"

#include <algorithm>

#include <chrono>
#include <cmath>

#include "engine/anomaly/AnomalyScore.h"
#include "engine/core/Error.h"
#include "engine/train/Evaluation.h"

namespace latentlab {

Trainer::Trainer(Model& model, const DataSplit& data, LabelSet& labels, TrainConfig config)
    : model_(model),
      data_(data),
      labels_(labels),
      config_(config),
      optimiser_(config.supervisedOnly ? model.classifierParameters() : model.parameters(),
                 AdamConfig{config.learningRate}),
      dataRng_(config.seed * 2 + 1),
      noiseRng_(config.seed * 2 + 2),
      beta_(model.config().beta) {
  if (data.train.features() != model.config().inputSize)
    throw Error("Trainer", "data set has " + std::to_string(data.train.features()) + " features but the model takes " +
                               std::to_string(model.config().inputSize));
  // A labelled batch of 0 trains on unlabelled points alone (a plain VAE); an unlabelled batch of 0 on labelled
  // points alone.
  if (config.labelledBatch < 0 || config.unlabelledBatch < 0 || config.labelledBatch + config.unlabelledBatch == 0 ||
      (config.supervisedOnly && config.labelledBatch == 0))
    throw Error("Trainer", "batch sizes must be positive");
  order_.resize(data.train.size());
  for (int i = 0; i < int(order_.size()); ++i) order_[i] = i;
  config_.validation.validate();
  if (config_.validation.active()) {
    const auto entries = labels.snapshot();
    setValidationSplit(drawValidationSplit(*entries, model.config().classes, data.train.size(), config_.validation,
                                           config_.seed));
  }
}

void Trainer::setValidationSplit(ValidationSplit split) {
  const int n = data_.train.size();
  for (const LabelEntry& e : split.labels)
    if (e.index < 0 || e.index >= n || e.label < 0 || e.label >= model_.config().classes)
      throw Error("Trainer", "a validation label is outside the data set or its classes");
  for (int i : split.heldOut)
    if (i < 0 || i >= n) throw Error("Trainer", "a held-out point is outside the data set");
  if (int(split.heldOut.size()) > n / 2) throw Error("Trainer", "more than half the training set is held out");
  split_ = std::move(split);
  heldOutMask_.assign(size_t(n), 0);
  validationMask_.assign(size_t(n), 0);
  for (int i : split_.heldOut) heldOutMask_[size_t(i)] = 1;
  for (const LabelEntry& e : split_.labels) validationMask_[size_t(e.index)] = 1;
  lastPredictions_.clear();
  labelVersion_ = ~uint64_t(0);
}

int Trainer::stepsPerEpoch() const { return stepsPerEpoch(config_, data_.train.size()); }

int Trainer::stepsPerEpoch(const TrainConfig& config, int trainingSamples) {
  if (config.stepsPerEpoch > 0) return config.stepsPerEpoch;
  const int per = config.unlabelledBatch > 0 ? config.unlabelledBatch : config.labelledBatch;
  return std::max(1, trainingSamples / per);
}

const std::vector<LabelEntry>& Trainer::currentLabels() {
  if (labels_.version() != labelVersion_ || !labelSnapshot_) {  // pick up labels added while training runs
    labelVersion_ = labels_.version();
    labelSnapshot_ = labels_.snapshot();
    // A label set kept for the whole data set may name samples outside a smaller training subset.
    // The validation labels are never drawn.
    const int n = data_.train.size(), classes = model_.config().classes;
    const auto usable = [&](const LabelEntry& e) {
      return e.index >= 0 && e.index < n && e.label >= 0 && e.label < classes &&
             (validationMask_.empty() || !validationMask_[size_t(e.index)]);
    };
    if (!std::all_of(labelSnapshot_->begin(), labelSnapshot_->end(), usable)) {
      auto kept = std::make_shared<std::vector<LabelEntry>>();
      for (const auto& e : *labelSnapshot_)
        if (usable(e)) kept->push_back(e);
      labelSnapshot_ = std::move(kept);
    }
  }
  return *labelSnapshot_;
}

void Trainer::drawLabelled(int count) {
  if (count == 0) {
    batch_.labels.clear();
    return;
  }
  const auto& entries = currentLabels();
  if (entries.empty()) throw Error("Trainer", "the label set is empty: label at least one sample");
  batch_.labels.resize(count);
  for (int i = 0; i < count; ++i) {
    const LabelEntry& e = entries[dataRng_.below(entries.size())];
    batch_.x.col(i) = data_.train.x.col(e.index);
    batch_.labels[i] = e.label;
  }
}

double Trainer::learningRateAt(long step) const {
  if (config_.schedule == LearningRateSchedule::Constant) return config_.learningRate;
  const double total = double(config_.epochs) * stepsPerEpoch();
  const double t = std::min(1.0, double(step) / std::max(total, 1.0));
  return config_.learningRate * 0.5 * (1.0 + std::cos(3.14159265358979323846 * t));
}

void Trainer::binarizeBatch() {
  Scalar* p = batch_.x.data();
  for (Eigen::Index i = 0; i < batch_.x.size(); ++i) p[i] = Scalar(noiseRng_.uniform()) < p[i] ? Scalar(1) : Scalar(0);
}

double Trainer::betaAt(long step) const {
  if (config_.betaWarmupEpochs <= 0) return beta_;
  return beta_ * std::min(1.0, double(step) / (config_.betaWarmupEpochs * stepsPerEpoch()));
}

bool Trainer::trainStep(StepLosses& out) {
  if (config_.betaWarmupEpochs > 0) model_.setBeta(betaAt(step_));
  const int nl = config_.labelledBatch;
  if (config_.supervisedOnly) {
    batch_.x.resize(data_.train.features(), nl);
    drawLabelled(nl);
    if (config_.binarize) binarizeBatch();
    out = model_.computeClassifierGradients(batch_.x, batch_.labels);
  } else {
    const int nu = config_.unlabelledBatch;
    // No usable label yet (unlabelled data): unlabelled points alone, until the user labels some.
    const int drawn = nl > 0 && nu > 0 && currentLabels().empty() ? 0 : nl;
    batch_.x.resize(data_.train.features(), drawn + nu);
    drawLabelled(drawn);
    for (int j = 0; j < nu; ++j) {
      for (;;) {  // held-out points are skipped (at most half the points are held out)
        if (cursor_ == 0) dataRng_.shuffle(order_);
        const int i = order_[cursor_];
        cursor_ = (cursor_ + 1) % int(order_.size());
        if (heldOutMask_.empty() || !heldOutMask_[size_t(i)]) {
          batch_.x.col(drawn + j) = data_.train.x.col(i);
          break;
        }
      }
    }
    if (config_.binarize) binarizeBatch();
    batch_.eps.resize(model_.config().latent, drawn + nu);
    noiseRng_.fillNormal(batch_.eps);
    if (model_.config().objective == Objective::Marginal && model_.config().marginalMass < 1) {
      batch_.draws.resize(size_t(nu));
      for (Scalar& u : batch_.draws) u = Scalar(noiseRng_.uniform());
    }
    out = model_.computeGradients(batch_);
  }
  if (!std::isfinite(out.total)) return false;  // keep the last good weights
  optimiser_.setLearningRate(learningRateAt(step_));
  optimiser_.step();
  return true;
}

bool Trainer::step(StepLosses& out) {
  if (!trainStep(out)) return false;
  ++step_;
  stepHistory_.push_back({step_, epoch_ + 1, out, learningRateAt(step_ - 1), betaAt(step_ - 1)});
  return true;
}

TrainerState Trainer::state() const {
  TrainerState s;
  s.epoch = epoch_;
  s.step = step_;
  s.cursor = cursor_;
  s.order = order_;
  s.dataRng = dataRng_.state();
  s.noiseRng = noiseRng_.state();
  s.epochs = history_;
  s.steps = stepHistory_;
  s.validation = split_;
  return s;
}

void Trainer::restore(const TrainerState& s) {
  if (s.order.size() != order_.size())
    throw Error("Trainer", "the saved state is for " + std::to_string(s.order.size()) + " training samples, not " +
                               std::to_string(order_.size()));
  // The step must lie in the saved epoch (or at its end): also keeps epoch + 1 and the step counters in range.
  const long spe = stepsPerEpoch();
  if (s.cursor < 0 || s.cursor >= int(order_.size()) || s.epoch < 0 || s.epoch == std::numeric_limits<int>::max() ||
      s.step < long(s.epoch) * spe || s.step > (long(s.epoch) + 1) * spe)
    throw Error("Trainer", "the saved state is inconsistent");
  for (int i : s.order)
    if (i < 0 || i >= int(order_.size())) throw Error("Trainer", "the saved sample order is out of range");
  setValidationSplit(s.validation);  // validates it first
  epoch_ = s.epoch;
  step_ = s.step;
  cursor_ = s.cursor;
  order_ = s.order;
  dataRng_.setState(s.dataRng);
  noiseRng_.setState(s.noiseRng);
  history_ = s.epochs;
  stepHistory_ = s.steps;
  labelVersion_ = ~uint64_t(0);
}

TrainStatus Trainer::run() {
  stopRequested_.store(false);
  stoppedEarly_ = false;
  const int spe = stepsPerEpoch();
  while (epoch_ < config_.epochs) {
    const auto t0 = std::chrono::steady_clock::now();
    // A run stopped mid-epoch resumes at the step where it stopped.
    for (int s = int(step_ - long(epoch_) * spe); s < spe; ++s) {
      if (stopRequested_.load(std::memory_order_acquire)) return TrainStatus::Stopped;
      StepLosses l;
      if (!step(l)) return TrainStatus::NonFiniteLoss;
      if (onStep) {
        const StepRecord& r = stepHistory_.back();
        onStep({r.step, r.epoch, s + 1, spe, labelSnapshot_ ? labelSnapshot_->size() : 0, l, r.learningRate, r.beta});
      }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EpochReport r;
    int done = 0;
    for (auto it = stepHistory_.rbegin(); it != stepHistory_.rend() && it->epoch == epoch_ + 1; ++it, ++done)
      r.mean += it->losses;
    r.mean /= std::max(done, 1);
    r.epoch = epoch_ + 1;
    r.step = step_;
    r.seconds = seconds;
    r.labels = labelSnapshot_ ? labelSnapshot_->size() : 0;
    const Dataset& test = data_.test;
    r.testAccuracy = config_.evalSamples > 0 ? accuracy(model_, test.head(config_.evalSamples), 1000, &stopRequested_)
                                             : accuracy(model_, test, 1000, &stopRequested_);
    // A stop during the evaluation leaves the epoch open at its last step (a cancelled evaluation's NaN is never
    // reported): the next run() measures it first, with the same weights. Unlabelled test samples have no
    // accuracy: their NaN is reported, and says so.
    if (std::isnan(r.testAccuracy) && test.hasLabels()) return TrainStatus::Stopped;
    measureValidation(r);
    ++epoch_;
    history_.push_back(r);
    if (onEpoch) onEpoch(r);
    const int patience = config_.validation.patience;
    if (patience > 0 && epoch_ - selectedEpoch() >= patience && epoch_ < config_.epochs) {
      stoppedEarly_ = true;
      break;
    }
  }
  return TrainStatus::Finished;
}

// argmax q(y|x) of the given training samples, classified in chunks.
std::vector<int> Trainer::predict(const std::vector<int>& columns) {
  std::vector<int> out(columns.size());
  Matrix<Scalar> x, probs;
  for (size_t start = 0; start < columns.size(); start += 1000) {
    const size_t n = std::min<size_t>(1000, columns.size() - start);
    x.resize(data_.train.features(), Eigen::Index(n));
    for (size_t j = 0; j < n; ++j) x.col(Eigen::Index(j)) = data_.train.x.col(columns[start + j]);
    model_.classify(x, probs);
    for (size_t j = 0; j < n; ++j) {
      Eigen::Index k;
      probs.col(Eigen::Index(j)).maxCoeff(&k);
      out[start + j] = int(k);
    }
  }
  return out;
}

void Trainer::measureValidation(EpochReport& r) {
  if (!split_.labels.empty()) {
    std::vector<int> columns;
    for (const LabelEntry& e : split_.labels) columns.push_back(e.index);
    const std::vector<int> predicted = predict(columns);
    int correct = 0;
    for (size_t j = 0; j < predicted.size(); ++j) correct += predicted[j] == split_.labels[j].label;
    r.validationAccuracy = double(correct) / double(split_.labels.size());
  }
  if (!split_.heldOut.empty()) {
    ScoreSettings settings;  // -ELBO at the posterior mean: deterministic, so epochs compare without noise
    settings.kind = ScoreKind::NegativeElbo;
    ScoreBreakdown scores;
    scoreColumns(model_, data_.train.x, split_.heldOut, settings, scores);
    r.validationElbo = double(scores.total.template cast<double>().mean());
    std::vector<int> predictions = predict(split_.heldOut);
    if (lastPredictions_.size() == predictions.size()) {
      size_t same = 0;
      for (size_t j = 0; j < predictions.size(); ++j) same += predictions[j] == lastPredictions_[j];
      r.agreement = double(same) / double(predictions.size());
    }
    lastPredictions_ = std::move(predictions);
  }
}

int Trainer::selectedEpoch() const {
  const SelectionCriterion c = config_.validation.select;
  if (c == SelectionCriterion::Last) return int(history_.size());
  int best = 0;
  double bestScore = -std::numeric_limits<double>::infinity();
  for (const EpochReport& e : history_) {
    const double score = selectionScore(c, e.validationAccuracy, e.validationElbo);
    if (!std::isnan(score) && score >= bestScore) {
      bestScore = score;
      best = e.epoch;
    }
  }
  return best;
}

}  // namespace latentlab
