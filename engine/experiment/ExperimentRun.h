#pragma once
// One run of an experiment sweep (ExperimentPlan.h) and its result file. A run trains on data the caller has
// opened (and cut to the run's sample counts: prepareExperimentData), reports progress, and stops between
// steps when cancelled. Its result is one JSON file, DIR/<id>.json, written atomically when the run finished:
// a file that exists is a finished run (the sweep skips it), and a run cut off mid-way leaves no file at all.
//
// The file: {"id", "protocol", "flavour", "arm", "labels_requested" ("100" or "all"), "labels" (the count
// used), "holdout", "seed", "epochs", "data" (its short name), "data_path", "train_samples", "test_samples", "status",
// "config": {...}, "commit", "machine": {"cpu", "isa", "cores", "host", "threads", "products"}, "started", "seconds",
// "command", "figures": {...}}. Classification figures: test_accuracy, test_log_loss (of the last epoch),
// accuracy_per_epoch. Anomaly figures: auroc_off, auroc_on, auprc_off, auprc_on, auroc_pca, auroc_ae (with
// auprc_ too), accuracy_on, normal_test, anomalous_test.
#include <functional>
#include <string>

#include "engine/core/Cancellation.h"
#include "engine/core/JsonObject.h"
#include "engine/data/Dataset.h"
#include "engine/experiment/ExperimentPlan.h"

namespace latentlab {

struct RunProgress {
  double fraction = 0;  // of this run, 0..1
  std::string stage;    // "epoch 3/20", "holdout 4: training vae_on"
};

struct RunOutcome {
  JobStatus status = JobStatus::Finished;
  std::string trainStatus = "finished";  // finished, non-finite-loss (still a result: the run is done)
  JsonObject figures;
  JsonObject config;
  double seconds = 0;
  std::string started;  // UTC, ISO 8601
  int labels = 0;       // labels the run used
};

// A sweep's data, as the CLI and the Experiments window open it: read as `train` reads it by default (inputs
// outside [0, 1] standardised, InputTransform.h); throws Error unless both splits have labels.
DataSplit openExperimentData(const std::string& path);

// The first trainSamples / testSamples of the data (0: all), as the run's id says.
DataSplit prepareExperimentData(const DataSplit& data, const RunSpec& spec);

// Trains and measures one run. Throws Error for a run that does not fit the data.
RunOutcome runExperiment(const RunSpec& spec, const DataSplit& data,
                         const std::function<void(const RunProgress&)>& progress = {},
                         const CancelFlag* cancel = nullptr);

std::string runFilePath(const std::string& dir, const RunSpec& spec);
// True when DIR/<id>.json exists and reads as a result (a damaged one is run again).
bool runDone(const std::string& dir, const RunSpec& spec);
// Writes DIR/<id>.json atomically (a finished outcome only). command: the line that reproduces the run.
void writeRunFile(const std::string& dir, const RunSpec& spec, const RunOutcome& outcome, const std::string& command);

// What the result files record of where a run ran: the build's commit and the machine.
std::string buildCommit();
JsonObject machineRecord();

}  // namespace latentlab
