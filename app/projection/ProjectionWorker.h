#pragma once
// Runs the Projection view's jobs off the GUI thread and reports on them through signals on it, one job at a
// time: each job encodes and projects with a private copy of its model (built on the pool thread from the
// snapshot) and the engine's ProjectionJob. While it runs: progressed, and mapFormed for each picture of a first
// t-SNE map; at its end: finished (cancelled, failed or done). drop() forgets the running job: nothing more is
// emitted about it (its data went away).
#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <memory>

#include "app/TrainingWorker.h"  // ModelSnapshot
#include "engine/projection/ProjectionJob.h"

struct ProjectionOutcome {
  latentlab::ProjectionResult result;  // status Cancelled when cancelled
  QString error;                       // not empty: the job failed, result is empty
  double seconds = 0;
};

class ProjectionWorker : public QObject {
  Q_OBJECT
 public:
  explicit ProjectionWorker(QObject* parent = nullptr) : QObject(parent) {}
  ~ProjectionWorker() override;

  // Starts a job (the caller waits for finished before starting the next).
  void start(ModelSnapshot model, std::shared_ptr<const latentlab::DataSplit> data,
             latentlab::ProjectionRequest request);
  bool isRunning() const { return running_; }
  void cancel();  // the job stops within a chunk or a t-SNE iteration; finished follows
  bool isCancelled() const { return cancel_ && cancel_->load(); }
  void drop();
  ModelSnapshot model() const { return model_; }  // the running (or last) job's model

 signals:
  void progressed(const latentlab::ProjectionProgress& progress);
  void mapFormed(const std::shared_ptr<const latentlab::ProjectionEncoding>& encoding,
                 const latentlab::Matrix<float>& xy);
  void finished(const ProjectionOutcome& outcome);

 private:
  bool running_ = false;
  int job_ = 0;  // the running job's number: what older jobs still post is dropped
  ModelSnapshot model_;
  std::shared_ptr<latentlab::CancelFlag> cancel_;
  QElapsedTimer clock_;
};
