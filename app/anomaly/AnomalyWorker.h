#pragma once
// Runs the Anomaly view's scoring jobs off the GUI thread and reports on them through signals on it, one job at
// a time: each job scores with a private copy of its model (built on the pool thread from the snapshot) and the
// engine's AnomalyScoringJob. While it runs: progressed; at its end: finished (cancelled, failed or done).
// drop() forgets the running job: nothing more is emitted about it (its data went away).
#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <memory>

#include "app/TrainingWorker.h"  // ModelSnapshot
#include "engine/anomaly/AnomalyScoringJob.h"

struct AnomalyOutcome {
  latentlab::AnomalyScoringResult result;  // status Cancelled when cancelled
  QString error;                           // not empty: the job failed, result is empty
  double seconds = 0;
};

class AnomalyWorker : public QObject {
  Q_OBJECT
 public:
  explicit AnomalyWorker(QObject* parent = nullptr) : QObject(parent) {}
  ~AnomalyWorker() override;

  // Starts a job (the caller waits for finished before starting the next).
  void start(ModelSnapshot model, std::shared_ptr<const latentlab::DataSplit> data,
             latentlab::AnomalyScoringRequest request);
  bool isRunning() const { return running_; }
  void cancel();  // the job stops within a chunk; finished follows
  void drop();
  ModelSnapshot model() const { return model_; }  // the running (or last) job's model

 signals:
  void progressed(const latentlab::AnomalyScoringProgress& progress);
  void finished(const AnomalyOutcome& outcome);

 private:
  bool running_ = false;
  int job_ = 0;  // the running job's number: what older jobs still post is dropped
  ModelSnapshot model_;
  std::shared_ptr<latentlab::CancelFlag> cancel_;
  QElapsedTimer clock_;
};
