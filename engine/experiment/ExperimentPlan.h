#pragma once
// The source article's experiments as a list of runs (issue: reproduce them in one command, on one machine or
// many). A protocol expands into runs; each run has a stable id that names its result file, so a sweep that was
// cut off continues where it stopped, and runs shared by two protocols (classification with every label is the
// regulariser experiment) are trained once.
//   classification: the semi-supervised model (ss) against the equivalent supervised classifier, trunk + pi
//                   trained on the labels alone (eq_s), at 100, 1000 and every label;
//   regulariser:    every label; ss (classified with trunk + pi) against eq_s, accuracy and log loss;
//   anomaly:        each class held out in turn; a VAE without labels against the semi-supervised VAE with the
//                   other classes' labels (engine/anomaly/HoldoutExperiment.h), with the PCA and autoencoder
//                   baselines.
#include <string>
#include <vector>

#include "engine/model/ModelConfig.h"

namespace latentlab {

enum class ExperimentProtocol { Classification, Regulariser, Anomaly };
std::string toString(ExperimentProtocol p);
ExperimentProtocol experimentProtocolFromString(const std::string& s);  // throws Error("Experiment", ...)

// The article's training lengths: 20 epochs for images, 40 for sequences; anomaly runs train three models each,
// as `latentlab-cli anomaly` does by default: 10 epochs.
int defaultExperimentEpochs(ExperimentProtocol protocol, Flavour flavour);

struct ExperimentRequest {
  ExperimentProtocol protocol = ExperimentProtocol::Classification;
  Flavour flavour = Flavour::Dense;
  std::string data;  // as `--data` takes it; empty: the bundled MNIST
  std::vector<int> seeds{1, 2, 3};
  int epochs = 0;                              // 0: defaultExperimentEpochs
  std::vector<int> labelCounts{100, 1000, 0};  // classification: 0 = every label
  std::vector<int> holdouts;                   // anomaly: empty = every class
  int trainSamples = 0, testSamples = 0;       // the first N samples only (quick sweeps); 0: all
  int threads = 1;

  void validate() const;  // throws Error("Experiment", ...)
};

struct RunSpec {
  ExperimentProtocol protocol = ExperimentProtocol::Classification;  // Regulariser runs are Classification runs
  Flavour flavour = Flavour::Dense;
  std::string arm;   // ss, eq_s, anomaly
  int labels = 0;    // 0: every label
  int holdout = -1;  // anomaly
  int seed = 1;
  int epochs = 20;
  std::string data;
  int trainSamples = 0, testSamples = 0;
  int threads = 1;

  // "mnist-dense-ss-100-s1-e20", "mnist-dense-anomaly-h3-s1-e10"; "-n500-t100" for a subset of the data.
  std::string id() const;
  // The command that runs this one run alone (for a scheduler): `latentlab-cli experiment ... --only ID`.
  std::string commandLine(const std::string& program, const std::string& outDir) const;
};

// The data's short name in run ids: the folder or file name without extension ("mnist", "fashion-mnist").
std::string dataTag(const std::string& data);

// "100,1000,all" -> {100, 1000, 0}; "1,2,3" -> {1, 2, 3}. Throw Error("Experiment", ...) for anything else.
std::vector<int> parseLabelCounts(const std::string& list);
std::vector<int> parseSeeds(const std::string& list);

// The runs of a request, in the order they run. classes: the data's class count (anomaly: every class).
std::vector<RunSpec> planRuns(const ExperimentRequest& request, int classes);

}  // namespace latentlab
