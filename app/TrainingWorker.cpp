#include "app/TrainingWorker.h"

#include <QDateTime>

#include <Eigen/Core>
#include <cmath>

#include "app/Reconstructions.h"
#include "engine/core/Error.h"
#include "engine/train/LossTrend.h"

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
namespace {
long snapshotStep(const ModelSnapshot& s) { return s && s->training ? s->training->state.step : -1; }
int snapshotEpoch(const ModelSnapshot& s) { return s && s->training ? s->training->state.epoch : 0; }
QString lossText(double loss) { return QString::number(loss, 'g', 6); }
}  // namespace

// An epoch end's capture: one of the recent ones, and the steady one while the loss is not rising.
void TrainingWorker::keepCheckpoint(const ModelSnapshot& file, TrainingSession& session) {
  if (!file || !file->training) return;
  recentCheckpoints_.push_back(file);
  if (recentCheckpoints_.size() > 3) recentCheckpoints_.erase(recentCheckpoints_.begin());
  const LossTrend trend = lossTrend(session.trainer().stepHistory());
  if (!trend.rising) steadyCheckpoint_ = file;
}

// Says plainly what a NaN loss leaves: which step's weights the model holds, the loss then, whether the loss was
// already rising (from what lowest mean, at what step), and which earlier checkpoint is offered (checkpointKept).
QString TrainingWorker::nonFiniteMessage(TrainingSession& session) {
  const long kept = session.stepsDone();
  const LossTrend trend = lossTrend(session.trainer().stepHistory());
  QString m = tr("The loss became NaN or infinite at step %1, computed with the weights after step %2. That step "
                 "was not applied: the model holds the weights after step %2, the ones that gave the non-finite "
                 "loss.")
                  .arg(kept + 1)
                  .arg(kept);
  if (trend.lastStep > 0)
    m += tr(" The last finite loss was %1 (step %2).").arg(lossText(trend.lastLoss)).arg(trend.lastStep);
  if (trend.rising)
    m += tr(" The loss was already rising: its lowest %1-step mean was %2 at step %3, and the last %1 steps "
            "averaged %4 (%5% higher).")
             .arg(trend.smooth)
             .arg(lossText(trend.lowestMean))
             .arg(trend.lowestStep)
             .arg(lossText(trend.recentMean))
             .arg(QString::number(100 * trend.riseFraction(), 'f', 0));
  else if (trend.lastStep > 0)
    m += tr(" The loss was not rising before (the last %1 steps averaged %2, the lowest %1-step mean was %3 at step "
            "%4).")
             .arg(trend.smooth)
             .arg(lossText(trend.recentMean))
             .arg(lossText(trend.lowestMean))
             .arg(trend.lowestStep);
  // The newest capture from strictly before the weights that failed, and from before the rise when it rose.
  const long limit = trend.rising ? trend.lowestStep : kept;
  ModelSnapshot best;
  for (const ModelSnapshot& c : recentCheckpoints_)
    if (snapshotStep(c) < limit && snapshotStep(c) > snapshotStep(best)) best = c;
  if (snapshotStep(steadyCheckpoint_) < limit && snapshotStep(steadyCheckpoint_) > snapshotStep(best))
    best = steadyCheckpoint_;
  if (best) {
    m += tr(" The weights at the end of epoch %1 (step %2) are kept as a checkpoint: Revert to it (File > Revert "
            "to checkpoint), lower the learning rate and press Continue.")
             .arg(snapshotEpoch(best))
             .arg(snapshotStep(best));
    emit checkpointKept(best);
  } else {
    m += tr(" No epoch ended before that, so there is no earlier checkpoint: lower the learning rate and train "
            "again, or Continue from these weights.");
  }
  return m;
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
    recentCheckpoints_.clear();
    steadyCheckpoint_.reset();
    if (resumeFrom_ && resumeFrom_->training) {  // the model continued from is the first checkpoint
      recentCheckpoints_.push_back(resumeFrom_);
      if (!lossTrend(resumeFrom_->training->state.steps).rising) steadyCheckpoint_ = resumeFrom_;
    }
    emit runStarted(qint64(session->model().parameterCount()), session->stepsPerEpoch(), qint64(session->totalSteps()));

    session->onStep = [&](const StepReport& s) {
      pending_.push_back(s.record());
      if (QDateTime::currentMSecsSinceEpoch() - lastEmitMs_ >= 40) flush();
      serveSaves(*session);
      waitWhilePaused();
    };
    session->onEpoch = [&](const EpochReport& r) {
      flush();
      const bool selecting = session->trainer().config().validation.select != SelectionCriterion::Last;
      emit epochFinished({r, std::isnan(r.baselineAccuracy) ? -1 : r.baselineAccuracy,
                          selecting ? session->trainer().selectedEpoch() : 0},
                         reconstructionStrip(session->model(), session->data().test));
      const ModelSnapshot file = std::make_shared<const ModelFile>(session->capture());
      keepCheckpoint(file, *session);
      emit modelUpdated(file);
    };
    const TrainStatus result = session->run();
    {
      std::lock_guard lock(mutex_);
      session_ = nullptr;
    }
    flush();
    serveSaves(*session);
    // The run ends holding the epoch its criterion keeps (the last without one).
    emit snapshotReady(std::make_shared<const ModelFile>(session->captureSelected()));
    status = int(result);
    if (result == TrainStatus::NonFiniteLoss)
      message = nonFiniteMessage(*session);
    else if (result == TrainStatus::Stopped)
      message = tr("Stopped after %1 steps.").arg(session->stepsDone());
    else
      message = tr("Finished %1 epochs.%2")
                    .arg(session->epochsDone())
                    .arg(session->data().test.hasLabels() ? QString() : tr(" No test labels, so no accuracy."));
    if (const std::string kept = session->selectionText(); !kept.empty() && result != TrainStatus::NonFiniteLoss)
      message += tr(" Kept %1.").arg(QString::fromStdString(kept));
  } catch (const std::exception& e) {
    status = -1;
    message = QString::fromStdString(e.what());
  }
  emit runFinished(status, message);
}
