#include "app/TrainingWorker.h"

#include <QDateTime>

#include <Eigen/Core>
#include <cmath>

#include "engine/core/Error.h"

using namespace latentlab;

TrainingWorker::TrainingWorker(std::shared_ptr<const DataSplit> data, TrainingSettings settings,
                               ModelSnapshot resumeFrom, std::shared_ptr<LabelSet> labels)
    : data_(std::move(data)), settings_(std::move(settings)), resumeFrom_(std::move(resumeFrom)),
      sharedLabels_(std::move(labels)) {}

void TrainingWorker::requestSave(const QString& path) {
  std::lock_guard lock(mutex_);
  saveRequests_ << path;
}

void TrainingWorker::serveSaves(TrainingSession& session) {
  QStringList paths;
  {
    std::lock_guard lock(mutex_);
    paths.swap(saveRequests_);
  }
  if (paths.isEmpty()) return;
  const ModelFile file = session.capture();
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
    if (session_) session_->stop();
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
QImage TrainingWorker::reconstructions(SemiSupervisedVae<float>& model, const Dataset& test) const {
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

// The run: a TrainingSession built from the settings or continued from the snapshot. The worker forwards its
// reports as batched signals and serves the GUI's commands (save, pause, stop) between steps.
void TrainingWorker::run() {
  int status = int(TrainStatus::Finished);
  QString message;
  try {
    Eigen::setNbThreads(std::max(1, settings_.threads));
    std::shared_ptr<const DataSplit> data = data_;
    if (settings_.trainSamples > 0 && settings_.trainSamples < data->train.size()) {
      auto smaller = std::make_shared<DataSplit>();  // not a copy of the whole training set first
      smaller->train = data->train.head(settings_.trainSamples);
      smaller->test = data->test;
      smaller->source = data->source;
      smaller->description = data->description;
      data = smaller;
    }
    SessionOptions options{settings_.supervisedBaseline, sharedLabels_};
    std::unique_ptr<TrainingSession> session;
    if (resumeFrom_) {
      ContinueRun changes;
      changes.fresh = settings_.train;
      changes.learningRate = settings_.train.learningRate;
      changes.epochs = settings_.train.epochs;
      session = std::make_unique<TrainingSession>(data, *resumeFrom_, changes, options);
    } else {
      session = std::make_unique<TrainingSession>(data, NewRun{settings_.model, settings_.train, settings_.labels},
                                                  options);
    }
    {
      std::lock_guard lock(mutex_);
      session_ = session.get();
    }
    if (stop_.load()) session->stop();
    emit runStarted(qint64(session->model().parameterCount()), session->stepsPerEpoch(), qint64(session->totalSteps()));

    session->onStep = [&](const StepReport& s) {
      pending_.push_back(s.record());
      if (QDateTime::currentMSecsSinceEpoch() - lastEmitMs_ >= 40) flush();
      serveSaves(*session);
      waitWhilePaused();
    };
    session->onEpoch = [&](const EpochReport& r) {
      flush();
      emit epochFinished({r, std::isnan(r.baselineAccuracy) ? -1 : r.baselineAccuracy},
                         reconstructions(session->model(), session->data().test));
      emit modelUpdated(std::make_shared<const ModelFile>(session->capture()));
    };
    const TrainStatus result = session->run();
    {
      std::lock_guard lock(mutex_);
      session_ = nullptr;
    }
    flush();
    serveSaves(*session);
    emit snapshotReady(std::make_shared<const ModelFile>(session->capture()));
    status = int(result);
    if (result == TrainStatus::NonFiniteLoss)
      message = tr("The loss became NaN or infinite at step %1. Training paused before that step was applied: "
                   "the model holds the last good weights. Lower the learning rate and press Continue, or save it.")
                    .arg(session->stepsDone() + 1);
    else if (result == TrainStatus::Stopped)
      message = tr("Stopped after %1 steps.").arg(session->stepsDone());
    else
      message = tr("Finished %1 epochs.%2")
                    .arg(session->epochsDone())
                    .arg(session->data().test.hasLabels() ? QString() : tr(" No test labels, so no accuracy."));
  } catch (const std::exception& e) {
    status = -1;
    message = QString::fromStdString(e.what());
  }
  emit runFinished(status, message);
}
