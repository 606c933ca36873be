#pragma once
// Runs a sweep's runs in turn into a results folder, as the CLI and the Experiments window both do: a run whose
// result file exists is skipped, every other one is trained on its cut of the data and its file written when it
// finished. A cancel stops the run under way (it leaves no file) and the sweep with it.
#include <functional>
#include <string>
#include <vector>

#include "engine/experiment/ExperimentRun.h"

namespace latentlab {

struct SweepEvents {
  std::function<void(size_t run, const RunProgress&)> progress;  // the run under way
  std::function<void(size_t run)> skipped;                       // done before
  std::function<void(size_t run, const RunOutcome&)> finished;   // its file is written
};

struct SweepSummary {
  int ran = 0, skipped = 0;
  bool cancelled = false;
  long cancelledRun = -1;  // the run stopped, when cancelled
};

// commandProgram: the program name in each file's command line ("latentlab-cli").
SweepSummary runSweep(const std::vector<RunSpec>& runs, const DataSplit& data, const std::string& dir,
                      const SweepEvents& events = {}, const CancelFlag* cancel = nullptr,
                      const std::string& commandProgram = "latentlab-cli");

}  // namespace latentlab
