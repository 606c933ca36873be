#pragma once
// Merging an experiment folder's result files (ExperimentRun.h) into tables and a report anyone can read:
// DIR/report.md with mean ± sd over seeds, the article's claims beside them, the machines, commits and wall
// time, and plots drawn by a renderer the caller passes (widgets/ExperimentPlots draws them with QCustomPlot;
// without one the report says the plots were not drawn). Whatever results exist are merged: a sweep cut off
// half-way reports what it has.
#include <functional>
#include <string>
#include <vector>

#include "engine/core/JsonValue.h"

namespace latentlab {

struct ExperimentResults {
  std::vector<JsonValue> runs;       // every readable result file, sorted by id
  std::vector<std::string> skipped;  // "file: why" for files that are not results
};
// Reads DIR/*.json (report files and other JSON are skipped with the reason). Throws Error when DIR is not a
// readable folder.
ExperimentResults loadExperimentResults(const std::string& dir);

struct SeedStats {
  double mean = 0, sd = 0;  // sd: sample standard deviation (0 for one seed)
  int n = 0;                // seeds; 0: no run
};
SeedStats seedStats(const std::vector<double>& values);  // NaN values are left out

// Runs differ in their setting too: rows and plots keep apart what trained for other epochs or on a subset.
std::string runSetting(const JsonValue& run);  // "dense, 20 epochs", "dense, 1 epoch, 300 training samples"

struct ClassificationRow {
  std::string data, flavour, setting;
  int labelsRequested = 0;  // 0: every label
  int labels = 0;           // the count the runs used
  SeedStats ss, eqs, ssLogLoss, eqsLogLoss;
};
// One row per (data, flavour, label count), sorted by label count (every label last).
std::vector<ClassificationRow> classificationRows(const ExperimentResults& r);

struct AnomalyRow {
  std::string data, flavour, setting;
  int holdout = 0;
  SeedStats off, on, pca, ae;
  SeedStats offSurprise, onSurprise;  // the surprise score (runs before it have none)
};
std::vector<AnomalyRow> anomalyRows(const ExperimentResults& r);

// The article's gap SS - EQ_S in points for (flavour, label count); NaN when it states none.
double articleGap(const std::string& flavour, int labelsRequested);

// Draws the plots into PNG files; each returns false when it could not (the report says so).
struct ReportPlotter {
  // Accuracy against label count, SS and EQ_S (mean ± sd), for one data set and flavour.
  std::function<bool(const std::vector<ClassificationRow>&, const std::string& title, const std::string& png)> accuracy;
  // AUROC per held-out class, labels off and on.
  std::function<bool(const std::vector<AnomalyRow>&, const std::string& title, const std::string& png)> auroc;
};

// Writes DIR/report.md (and the plots through plotter, when given); returns its path. Throws Error when DIR has
// no results or the report cannot be written.
std::string writeExperimentReport(const std::string& dir, const ReportPlotter* plotter = nullptr);

}  // namespace latentlab
