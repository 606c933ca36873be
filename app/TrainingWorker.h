#pragma once
// Trains on a worker thread. Lives in a QThread; talks to the GUI only through queued signals carrying value
// snapshots. Steps are batched into one signal at most every 40 ms. Pause and stop are atomic flags read
// before every step, so either takes effect within one step (tens of milliseconds).
#include <QImage>
#include <QObject>
#include <QVector>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <functional>
#include <mutex>

#include "app/TrainingSettings.h"
#include "engine/data/Dataset.h"
#include "engine/io/ModelFile.h"
#include "engine/train/TrainingSession.h"

using ModelSnapshot = std::shared_ptr<const latentlab::ModelFile>;

using StepPoint = latentlab::StepRecord;  // step, epoch, losses, learning rate, beta

struct EpochPoint {
  latentlab::EpochReport report;
  double baselineAccuracy = -1;  // < 0: no baseline trained
  int keptEpoch = 0;  // the epoch the run's selection criterion keeps so far; 0: it keeps the last
};

Q_DECLARE_METATYPE(StepPoint)
Q_DECLARE_METATYPE(EpochPoint)
Q_DECLARE_METATYPE(ModelSnapshot)

class TrainingWorker : public QObject {
  Q_OBJECT
 public:
  // With a snapshot, training continues from it (its architecture, weights, labels, optimiser and position;
  // the settings' learning rate and epoch count apply); without, a new model is built from the settings.
  // labels: the user's label set, shared with the GUI, which may add to it while training runs (the trainer
  // reads it at every step). Without, the worker draws its own from the settings (or the snapshot's).
  TrainingWorker(std::shared_ptr<const latentlab::DataSplit> data, TrainingSettings settings,
                 ModelSnapshot resumeFrom = nullptr, std::shared_ptr<latentlab::LabelSet> labels = nullptr);

  // Thread-safe.
  void setPaused(bool paused);
  void stop();
  // Writes the model to path after the current step (on this worker's thread), then emits saved().
  void requestSave(const QString& path);

 public slots:
  void run();

 signals:
  void runStarted(qint64 parameters, int stepsPerEpoch, qint64 totalSteps);
  void stepsReported(const QVector<StepPoint>& steps);
  void epochFinished(const EpochPoint& epoch, const QImage& reconstructions);
  void pausedChanged(bool paused);
  void runFinished(int status, const QString& message);
  void saved(const QString& path, const QString& error);  // error empty on success
  // The model as the run left it (the last good weights when the loss turned NaN), for saving or continuing.
  void snapshotReady(const ModelSnapshot& snapshot);
  // The model after each epoch, for the views that rank, project or decode with it.
  void modelUpdated(const ModelSnapshot& snapshot);
  // Before runFinished at a NaN loss: the weights of an earlier epoch end (or of the model continued from), from
  // before the loss started to rise, which the window offers to revert to. Not sent when there is none.
  void checkpointKept(const ModelSnapshot& checkpoint);

 private:
  void serveSaves(latentlab::TrainingSession& session);
  void flush();
  void waitWhilePaused();
  void keepCheckpoint(const ModelSnapshot& file, latentlab::TrainingSession& session);
  QString nonFiniteMessage(latentlab::TrainingSession& session);

  std::shared_ptr<const latentlab::DataSplit> data_;
  TrainingSettings settings_;
  ModelSnapshot resumeFrom_;
  std::shared_ptr<latentlab::LabelSet> sharedLabels_;
  QStringList saveRequests_;  // guarded by mutex_
  std::atomic<bool> paused_{false}, stop_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  latentlab::TrainingSession* session_ = nullptr;  // valid while run() runs; guarded by mutex_
  QVector<StepPoint> pending_;
  // Epoch-end captures (the continued model first): the last few, and the last one taken while the loss was not
  // rising. At a NaN loss, the newest from before the rise is offered (checkpointKept).
  std::vector<ModelSnapshot> recentCheckpoints_;
  ModelSnapshot steadyCheckpoint_;
  qint64 lastEmitMs_ = 0;
};
