#include "engine/experiment/ExperimentSweep.h"

namespace latentlab {

SweepSummary runSweep(const std::vector<RunSpec>& runs, const DataSplit& data, const std::string& dir,
                      const SweepEvents& events, const CancelFlag* cancel, const std::string& commandProgram) {
  SweepSummary s;
  for (size_t i = 0; i < runs.size(); ++i) {
    const RunSpec& spec = runs[i];
    if (cancelRequested(cancel)) {
      s.cancelled = true;
      break;
    }
    if (runDone(dir, spec)) {
      ++s.skipped;
      if (events.skipped) events.skipped(i);
      continue;
    }
    const RunOutcome o = runExperiment(
        spec, prepareExperimentData(data, spec),
        [&](const RunProgress& p) {
          if (events.progress) events.progress(i, p);
        },
        cancel);
    if (o.status == JobStatus::Cancelled) {
      s.cancelled = true;
      s.cancelledRun = long(i);
      break;
    }
    writeRunFile(dir, spec, o, spec.commandLine(commandProgram, dir));
    ++s.ran;
    if (events.finished) events.finished(i, o);
  }
  return s;
}

}  // namespace latentlab
