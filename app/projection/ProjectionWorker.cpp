#include "app/projection/ProjectionWorker.h"

#include <QPointer>

#include "app/OffThread.h"
#include "engine/io/ModelFile.h"

using namespace latentlab;

ProjectionWorker::~ProjectionWorker() { cancel(); }

void ProjectionWorker::start(ModelSnapshot model, std::shared_ptr<const DataSplit> data, ProjectionRequest request) {
  running_ = true;
  const int job = ++job_;
  model_ = model;
  cancel_ = std::make_shared<CancelFlag>(false);
  clock_.start();
  QPointer<ProjectionWorker> self(this);
  // Progress and maps reach the GUI thread while this worker lives and the job is still its running one.
  auto post = [self, job](auto f) {
    postToGui(self, [self, job, f]() mutable {
      if (self->job_ == job) f(self.data());
    });
  };
  runOffThread(
      this,
      [model, data, request = std::move(request), cancel = cancel_, post] {
        auto net = instantiateModel(*model);
        ProjectionJob projection(*net, *data, request);
        int lastIteration = -100;
        projection.onProgress = [post, &lastIteration](const ProjectionProgress& p) {
          if (p.stage == ProjectionStage::Tsne) {  // hundreds of steps a second: a report every ten
            if (p.done - lastIteration < 10 && p.done != p.total) return;
            lastIteration = p.done;
          }
          post([p](ProjectionWorker* w) { emit w->progressed(p); });
        };
        projection.onMap = [post](const std::shared_ptr<const ProjectionEncoding>& e, const Matrix<float>& xy) {
          post([e, xy](ProjectionWorker* w) {
            if (!w->isCancelled()) emit w->mapFormed(e, xy);
          });
        };
        return projection.run(cancel.get());
      },
      [this, job](ProjectionResult result, const QString& error) {
        if (job != job_) return;
        running_ = false;
        emit finished({std::move(result), error, clock_.elapsed() / 1000.0});
      },
      OffThread::Pool);
}

void ProjectionWorker::cancel() {
  if (cancel_) cancel_->store(true);
}

void ProjectionWorker::drop() {
  cancel();
  ++job_;
  running_ = false;
}
