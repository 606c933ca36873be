#pragma once
// Plans and runs an experiment sweep (engine/experiment/ExperimentSweep.h) off the GUI thread for the Experiments
// window: the data is opened on the worker's thread (its class count plans the anomaly runs), the plan arrives
// as `planned`, then each run's progress, skip and result as signals on the GUI thread (progress at most about
// ten times a second); cancel() stops the run under way within a step.
#include <QObject>
#include <QString>
#include <memory>
#include <vector>

#include "engine/core/Cancellation.h"
#include "engine/experiment/ExperimentPlan.h"

class SweepRunner : public QObject {
  Q_OBJECT
 public:
  explicit SweepRunner(QObject* parent = nullptr) : QObject(parent) {}
  ~SweepRunner() override;

  // request.data: as `--data` takes it. run false: plan only. The caller waits for finished before the next.
  void start(const latentlab::ExperimentRequest& request, const QString& dir, bool run);
  void cancel();
  bool isRunning() const { return running_; }

 signals:
  void planned(const std::vector<latentlab::RunSpec>& runs);
  void runProgress(int run, double fraction, const QString& stage);
  void runSkipped(int run);
  void runFinished(int run, const QString& figuresJson, double seconds);
  // error: not empty when the sweep could not go on (the data could not be opened, a file not written).
  void finished(int ran, int skipped, bool cancelled, const QString& error);

 private:
  bool running_ = false;
  std::shared_ptr<latentlab::CancelFlag> cancel_;
};
