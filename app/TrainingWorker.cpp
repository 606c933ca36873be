#include "app/TrainingWorker.h"

#include <QDateTime>

#include <Eigen/Core>
#include <cmath>

#include "engine/core/Error.h"
#include "engine/train/Evaluation.h"

using namespace latentlab;

TrainingWorker::TrainingWorker(std::shared_ptr<const DataSplit> data, TrainingSettings settings)
    : data_(std::move(data)), settings_(std::move(settings)) {}

void TrainingWorker::setPaused(bool paused) {
  paused_.store(paused);
  wake_.notify_all();
}

void TrainingWorker::stop() {
  stop_.store(true);
  {
    std::lock_guard lock(mutex_);
    if (trainer_) trainer_->stop();
  }
  wake_.notify_all();
}

void TrainingWorker::flush() {
  if (pending_.isEmpty()) return;
  emit stepsReported(pending_);
  pending_.clear();
  lastEmitMs_ = QDateTime::currentMSecsSinceEpoch();
}

void TrainingWorker::waitWhilePaused() {
  if (!paused_.load()) return;
  flush();
  emit pausedChanged(true);
  std::unique_lock lock(mutex_);
  wake_.wait(lock, [this] { return !paused_.load() || stop_.load(); });
  lock.unlock();
  emit pausedChanged(false);
}

// Eight fixed test images (top row) over their reconstructions decode(mu, q(y|x)) (bottom row).
QImage TrainingWorker::reconstructions(SemiSupervisedVae<float>& model) const {
  const Dataset& test = data_->test;
  const int n = std::min(8, test.size()), h = test.height, w = test.width;
  if (n == 0 || h * w != test.features()) return {};
  const Matrix<float> x = test.x.leftCols(n);
  Matrix<float> mu, logvar, probs, decoded;
  model.encode(x, mu, logvar, &probs);
  model.decode(mu, probs, decoded);
  QImage img(n * (w + 2), 2 * (h + 2), QImage::Format_Grayscale8);
  img.fill(40);
  for (int i = 0; i < n; ++i)
    for (int r = 0; r < h; ++r)
      for (int c = 0; c < w; ++c) {
        img.scanLine(1 + r)[i * (w + 2) + 1 + c] = uchar(std::lround(255 * x(r * w + c, i)));
        img.scanLine(h + 3 + r)[i * (w + 2) + 1 + c] = uchar(std::lround(255 * std::clamp(decoded(r * w + c, i), 0.f, 1.f)));
      }
  return img;
}

void TrainingWorker::run() {
  int status = int(TrainStatus::Finished);
  QString message;
  try {
    Eigen::setNbThreads(std::max(1, settings_.threads));
    std::shared_ptr<const DataSplit> data = data_;
    if (settings_.trainSamples > 0 && settings_.trainSamples < data->train.size()) {
      auto smaller = std::make_shared<DataSplit>(*data);
      smaller->train = data->train.head(settings_.trainSamples);
      data = smaller;
      data_ = smaller;
    }
    ModelConfig mc = settings_.model;
    mc.inputSize = data->train.features();
    mc.classes = data->train.classes;
    SemiSupervisedVae<float> model(mc, settings_.train.seed);
    Random labelRng(settings_.train.seed);
    LabelSet labels = settings_.labels <= 0
                          ? allLabels(data->train.labels)
                          : balancedLabelSet(data->train.labels, settings_.labels, mc.classes, labelRng);
    Trainer trainer(model, *data, labels, settings_.train);

    std::unique_ptr<SemiSupervisedVae<float>> baseline;
    std::unique_ptr<Trainer> baselineTrainer;
    if (settings_.supervisedBaseline) {
      baseline = std::make_unique<SemiSupervisedVae<float>>(mc, settings_.train.seed);
      TrainConfig bc = settings_.train;
      bc.supervisedOnly = true;
      baselineTrainer = std::make_unique<Trainer>(*baseline, *data, labels, bc);
    }
    {
      std::lock_guard lock(mutex_);
      trainer_ = &trainer;
    }
    if (stop_.load()) trainer.stop();
    const int spe = trainer.stepsPerEpoch();
    emit runStarted(qint64(model.parameterCount()), spe, qint64(spe) * settings_.train.epochs);

    trainer.onStep = [&](const StepReport& s) {
      if (baselineTrainer) {
        StepLosses ignored;
        baselineTrainer->step(ignored);
      }
      pending_.push_back({s.step, s.epoch, s.losses, trainer.learningRateAt(s.step - 1), model.config().beta});
      if (QDateTime::currentMSecsSinceEpoch() - lastEmitMs_ >= 40) flush();
      waitWhilePaused();
    };
    trainer.onEpoch = [&](const EpochReport& r) {
      flush();
      EpochPoint e;
      e.report = r;
      if (baseline) e.baselineAccuracy = accuracy(*baseline, data->test);
      emit epochFinished(e, reconstructions(model));
    };
    const TrainStatus result = trainer.run();
    {
      std::lock_guard lock(mutex_);
      trainer_ = nullptr;
    }
    flush();
    status = int(result);
    if (result == TrainStatus::NonFiniteLoss)
      message = tr("The loss became NaN or infinite at step %1. Training stopped before that step was applied, "
                   "so the weights are the last good ones. Try a lower learning rate.")
                    .arg(trainer.stepsDone() + 1);
    else if (result == TrainStatus::Stopped)
      message = tr("Stopped after %1 steps.").arg(trainer.stepsDone());
    else
      message = tr("Finished %1 epochs.").arg(trainer.epochsDone());
  } catch (const std::exception& e) {
    status = -1;
    message = QString::fromStdString(e.what());
  }
  emit runFinished(status, message);
}
