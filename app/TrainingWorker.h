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
#include <mutex>

#include "app/TrainingSettings.h"
#include "engine/data/Dataset.h"
#include "engine/train/Trainer.h"

struct StepPoint {
  long step = 0;
  int epoch = 0;
  latentlab::StepLosses losses;
  double learningRate = 0;
  double beta = 0;
};

struct EpochPoint {
  latentlab::EpochReport report;
  double baselineAccuracy = -1;  // < 0: no baseline trained
};

Q_DECLARE_METATYPE(StepPoint)
Q_DECLARE_METATYPE(EpochPoint)

class TrainingWorker : public QObject {
  Q_OBJECT
 public:
  TrainingWorker(std::shared_ptr<const latentlab::DataSplit> data, TrainingSettings settings);

  // Thread-safe.
  void setPaused(bool paused);
  void stop();

 public slots:
  void run();

 signals:
  void runStarted(qint64 parameters, int stepsPerEpoch, qint64 totalSteps);
  void stepsReported(const QVector<StepPoint>& steps);
  void epochFinished(const EpochPoint& epoch, const QImage& reconstructions);
  void pausedChanged(bool paused);
  void runFinished(int status, const QString& message);

 private:
  void flush();
  void waitWhilePaused();
  QImage reconstructions(latentlab::SemiSupervisedVae<float>& model) const;

  std::shared_ptr<const latentlab::DataSplit> data_;
  TrainingSettings settings_;
  std::atomic<bool> paused_{false}, stop_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  latentlab::Trainer* trainer_ = nullptr;  // valid while run() runs; guarded by mutex_
  QVector<StepPoint> pending_;
  qint64 lastEmitMs_ = 0;
};
