#include "app/experiments/SweepRunner.h"

#include <QPointer>
#include <chrono>

#include "app/OffThread.h"
#include "engine/experiment/ExperimentSweep.h"

using namespace latentlab;

SweepRunner::~SweepRunner() { cancel(); }

void SweepRunner::cancel() {
  if (cancel_) cancel_->store(true, std::memory_order_release);
}

void SweepRunner::start(const ExperimentRequest& request, const QString& dir, bool run) {
  cancel();
  cancel_ = std::make_shared<CancelFlag>(false);
  running_ = true;
  QPointer<SweepRunner> guard(this);
  runOffThread(
      this,
      [request, dir = dir.toStdString(), cancel = cancel_, guard, run] {
        const DataSplit data = openExperimentData(request.data);
        const std::vector<RunSpec> runs = planRuns(request, data.train.classes);
        postToGui(guard, [guard, runs] { emit guard->planned(runs); });
        if (!run) return SweepSummary{};
        using Clock = std::chrono::steady_clock;
        Clock::time_point lastPost{};
        SweepEvents events;
        events.progress = [&](size_t i, const RunProgress& p) {
          const Clock::time_point now = Clock::now();
          if (p.fraction < 1 && now - lastPost < std::chrono::milliseconds(100)) return;
          lastPost = now;
          const QString stage = QString::fromStdString(p.stage);
          postToGui(guard, [guard, i, f = p.fraction, stage] { emit guard->runProgress(int(i), f, stage); });
        };
        events.skipped = [&](size_t i) { postToGui(guard, [guard, i] { emit guard->runSkipped(int(i)); }); };
        events.finished = [&](size_t i, const RunOutcome& o) {
          const QString figures = QString::fromStdString(o.figures.str());
          postToGui(guard, [guard, i, figures, s = o.seconds] { emit guard->runFinished(int(i), figures, s); });
        };
        return runSweep(runs, data, dir, events, cancel.get());
      },
      [this](SweepSummary s, const QString& error) {
        running_ = false;
        emit finished(s.ran, s.skipped, s.cancelled, error);
      });
}
