#include "app/TrainingController.h"

TrainingController::TrainingController(QObject* parent) : QObject(parent) {
  qRegisterMetaType<StepPoint>();
  qRegisterMetaType<EpochPoint>();
  qRegisterMetaType<QVector<StepPoint>>();
  qRegisterMetaType<ModelSnapshot>();
}

TrainingController::~TrainingController() { stopAndWait(2000); }

void TrainingController::start(std::shared_ptr<const latentlab::DataSplit> data, const TrainingSettings& settings,
                               ModelSnapshot resumeFrom, std::shared_ptr<latentlab::LabelSet> labels) {
  if (thread_) return;
  thread_ = new QThread(this);
  thread_->setObjectName("training");
  auto* worker = new TrainingWorker(std::move(data), settings, std::move(resumeFrom), std::move(labels));
  worker->moveToThread(thread_);
  worker_ = worker;
  paused_ = false;
  connect(thread_, &QThread::started, worker, &TrainingWorker::run);
  connect(worker, &TrainingWorker::runStarted, this, &TrainingController::runStarted, Qt::QueuedConnection);
  connect(worker, &TrainingWorker::stepsReported, this, &TrainingController::stepsReported, Qt::QueuedConnection);
  connect(worker, &TrainingWorker::epochFinished, this, &TrainingController::epochFinished, Qt::QueuedConnection);
  connect(worker, &TrainingWorker::saved, this, &TrainingController::saved, Qt::QueuedConnection);
  connect(worker, &TrainingWorker::snapshotReady, this, &TrainingController::snapshotReady, Qt::QueuedConnection);
  connect(worker, &TrainingWorker::modelUpdated, this, &TrainingController::modelUpdated, Qt::QueuedConnection);
  connect(worker, &TrainingWorker::checkpointKept, this, &TrainingController::checkpointKept, Qt::QueuedConnection);
  connect(worker, &TrainingWorker::pausedChanged, this, [this](bool p) {
    paused_ = p;
    emit pausedChanged(p);
  }, Qt::QueuedConnection);
  // runFinished goes out once the thread has ended, so isRunning() is already false for its receivers.
  auto result = std::make_shared<std::pair<int, QString>>(int(latentlab::TrainStatus::Stopped), QString());
  connect(worker, &TrainingWorker::runFinished, this, [this, result](int status, const QString& message) {
    *result = {status, message};
    if (thread_) thread_->quit();
  }, Qt::QueuedConnection);
  connect(thread_, &QThread::finished, worker, &QObject::deleteLater);
  connect(thread_, &QThread::finished, this, [this, t = thread_, result] {
    if (thread_ == t) thread_ = nullptr;
    t->deleteLater();
    paused_ = false;
    emit runFinished(result->first, result->second);
  });
  thread_->start();
}

bool TrainingController::requestSave(const QString& path) {
  if (!worker_ || !thread_) return false;
  worker_->requestSave(path);
  return true;
}

void TrainingController::pause() {
  if (worker_) worker_->setPaused(true);
}

void TrainingController::resume() {
  if (worker_) worker_->setPaused(false);
}

void TrainingController::stop() {
  if (worker_) worker_->stop();
}

bool TrainingController::stopAndWait(int timeoutMs) {
  if (!thread_) return true;
  stop();
  thread_->quit();  // remembered if run() has not returned yet: exec() then returns at once
  return thread_->wait(timeoutMs);  // the queued finished handler cleans up
}
