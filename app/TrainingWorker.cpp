#include "app/TrainingWorker.h"

#include <QDateTime>

#include <Eigen/Core>
#include <cmath>

#include "engine/core/Error.h"
#include "engine/data/Fingerprint.h"
#include "engine/train/Evaluation.h"

using namespace latentlab;

TrainingWorker::TrainingWorker(std::shared_ptr<const DataSplit> data, TrainingSettings settings,
                               ModelSnapshot resumeFrom, std::shared_ptr<LabelSet> labels)
    : data_(std::move(data)), settings_(std::move(settings)), resumeFrom_(std::move(resumeFrom)),
      sharedLabels_(std::move(labels)) {}

void TrainingWorker::requestSave(const QString& path) {
  std::lock_guard lock(mutex_);
  saveRequests_ << path;
}

void TrainingWorker::saveRequested(const std::function<ModelFile()>& capture) {
  QStringList paths;
  {
    std::lock_guard lock(mutex_);
    paths.swap(saveRequests_);
  }
  if (paths.isEmpty()) return;
  const ModelFile file = capture();
  for (const QString& path : paths) {
    QString error;
    try {
      writeModelFile(path.toStdString(), file);
    } catch (const std::exception& e) {
      error = QString::fromStdString(e.what());
    }
    emit saved(path, error);
  }
}

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
  const int n = std::min(8, test.size()), h = test.shape.height, w = test.shape.width;
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
    std::unique_ptr<SemiSupervisedVae<float>> modelOwner;
    LabelSet ownLabels;
    LabelSet& labels = sharedLabels_ ? *sharedLabels_ : ownLabels;
    TrainConfig tc = settings_.train;
    if (resumeFrom_) {
      const ModelFile& f = *resumeFrom_;
      if (f.model.inputSize != data->train.features() || f.model.classes != data->train.classes)
        throw Error("Workbench", "the model takes " + std::to_string(f.model.inputSize) + " features and " +
                                     std::to_string(f.model.classes) + " classes; this data set does not fit it");
      modelOwner = instantiateModel(f);
      if (!sharedLabels_) labels = LabelSet(f.labels);
      if (f.training) {
        if (f.dataset.fingerprint != fingerprint(data->train))
          throw Error("Workbench", "the model was trained on other data (" + f.dataset.name +
                                       "); open that data set to continue its training");
        tc = f.training->config;
        tc.learningRate = settings_.train.learningRate;
        tc.epochs = std::max(settings_.train.epochs, f.training->state.epoch + 1);
      }
    } else {
      ModelConfig mc = settings_.model;
      mc.setInput(data->train.shape);
      mc.classes = data->train.classes;
      modelOwner = std::make_unique<SemiSupervisedVae<float>>(mc, settings_.train.seed);
      Random labelRng(settings_.train.seed);
      if (!sharedLabels_)
        labels = settings_.labels <= 0 ? allLabels(data->train.labels)
                                     : balancedLabelSet(data->train.labels, settings_.labels, mc.classes, labelRng);
    }
    SemiSupervisedVae<float>& model = *modelOwner;
    const ModelConfig mc = model.config();
    if (labels.size() == 0) throw Error("Workbench", "the label set is empty: label at least one sample");
    Trainer trainer(model, *data, labels, tc);
    if (resumeFrom_ && resumeFrom_->training) restoreTraining(*resumeFrom_, trainer);
    const DatasetInfo info{data_->source, fingerprint(data->train), data->train.size(), data->train.shape.height,
                           data->train.shape.width};
    auto capture = [&] { return captureModel(model, data->train.classNames, info, &trainer, &labels); };
    std::unique_ptr<SemiSupervisedVae<float>> baseline;
    std::unique_ptr<Trainer> baselineTrainer;
    if (settings_.supervisedBaseline) {
      baseline = std::make_unique<SemiSupervisedVae<float>>(mc, settings_.train.seed);
      TrainConfig bc = tc;
      bc.supervisedOnly = true;
      baselineTrainer = std::make_unique<Trainer>(*baseline, *data, labels, bc);
    }
    {
      std::lock_guard lock(mutex_);
      trainer_ = &trainer;
    }
    if (stop_.load()) trainer.stop();
    const int spe = trainer.stepsPerEpoch();
    emit runStarted(qint64(model.parameterCount()), spe, qint64(spe) * tc.epochs);

    trainer.onStep = [&](const StepReport& s) {
      if (baselineTrainer) {
        StepLosses ignored;
        baselineTrainer->step(ignored);
      }
      pending_.push_back({s.step, s.epoch, s.losses, trainer.learningRateAt(s.step - 1), model.config().beta});
      if (QDateTime::currentMSecsSinceEpoch() - lastEmitMs_ >= 40) flush();
      saveRequested(capture);
      waitWhilePaused();
    };
    trainer.onEpoch = [&](const EpochReport& r) {
      flush();
      EpochPoint e;
      e.report = r;
      if (baseline) e.baselineAccuracy = accuracy(*baseline, data->test);
      emit epochFinished(e, reconstructions(model));
      emit modelUpdated(std::make_shared<const ModelFile>(capture()));
    };
    const TrainStatus result = trainer.run();
    {
      std::lock_guard lock(mutex_);
      trainer_ = nullptr;
    }
    flush();
    saveRequested(capture);
    emit snapshotReady(std::make_shared<const ModelFile>(capture()));
    status = int(result);
    if (result == TrainStatus::NonFiniteLoss)
      message = tr("The loss became NaN or infinite at step %1. Training paused before that step was applied: "
                   "the model holds the last good weights. Lower the learning rate and press Continue, or save it.")
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
