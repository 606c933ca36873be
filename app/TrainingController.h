#pragma once
// Owns the training thread: starts a TrainingWorker in a QThread, relays its signals (queued, so every slot
// runs on the GUI thread), pauses, resumes and stops it without ever blocking the GUI thread.
#include <QObject>
#include <QPointer>
#include <QThread>

#include "app/TrainingWorker.h"

class TrainingController : public QObject {
  Q_OBJECT
 public:
  explicit TrainingController(QObject* parent = nullptr);
  ~TrainingController() override;

  bool isRunning() const { return thread_ != nullptr; }
  bool isPaused() const { return paused_; }
  void start(std::shared_ptr<const latentlab::DataSplit> data, const TrainingSettings& settings,
             ModelSnapshot resumeFrom = nullptr, std::shared_ptr<latentlab::LabelSet> labels = nullptr);
  // While running: the worker writes the model after its current step and emits saved(). False when idle.
  bool requestSave(const QString& path);
  void pause();
  void resume();
  void stop();
  // For closing the window and for tests: stops and waits at most timeoutMs for the thread to end.
  bool stopAndWait(int timeoutMs);

 signals:
  void runStarted(qint64 parameters, int stepsPerEpoch, qint64 totalSteps);
  void stepsReported(const QVector<StepPoint>& steps);
  void epochFinished(const EpochPoint& epoch, const QImage& reconstructions);
  void pausedChanged(bool paused);
  void runFinished(int status, const QString& message);
  void saved(const QString& path, const QString& error);
  void snapshotReady(const ModelSnapshot& snapshot);
  void modelUpdated(const ModelSnapshot& snapshot);
  void checkpointKept(const ModelSnapshot& checkpoint);  // before runFinished at a NaN loss (TrainingWorker)

 private:
  QThread* thread_ = nullptr;
  QPointer<TrainingWorker> worker_;
  bool paused_ = false;
};
