#include "app/anomaly/AnomalyWorker.h"

#include <QPointer>

#include "app/OffThread.h"
#include "engine/io/ModelFile.h"

using namespace latentlab;

AnomalyWorker::~AnomalyWorker() { cancel(); }

void AnomalyWorker::start(ModelSnapshot model, std::shared_ptr<const DataSplit> data, AnomalyScoringRequest request) {
  running_ = true;
  const int job = ++job_;
  model_ = model;
  cancel_ = std::make_shared<CancelFlag>(false);
  clock_.start();
  QPointer<AnomalyWorker> self(this);
  runOffThread(
      this,
      [model, data, request = std::move(request), cancel = cancel_, self, job] {
        auto net = instantiateModel(*model);
        AnomalyScoringJob scoring(*net, *data, request);
        scoring.onProgress = [self, job](const AnomalyScoringProgress& p) {
          postToGui(self, [self, job, p] {
            if (self->job_ == job) emit self->progressed(p);
          });
        };
        return scoring.run(cancel.get());
      },
      [this, job](AnomalyScoringResult result, const QString& error) {
        if (job != job_) return;
        running_ = false;
        emit finished({std::move(result), error, clock_.elapsed() / 1000.0});
      },
      OffThread::Pool);
}

void AnomalyWorker::cancel() {
  if (cancel_) cancel_->store(true);
}

void AnomalyWorker::drop() {
  cancel();
  ++job_;
  running_ = false;
}
