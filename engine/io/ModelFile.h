#pragma once
// One HDF5 file holds a whole model: architecture, parameters, optimiser state, training state and history,
// the label set and a fingerprint of the training data. The layout is in docs/hdf5-format.md.
// Reading validates everything before anything is built, so a bad file leaves the caller's model untouched;
// writing goes to a temporary file renamed over the target, so a crash never leaves half a file.
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/data/LabelSet.h"
#include "engine/model/ModelConfig.h"
#include "engine/model/SemiSupervisedVae.h"
#include "engine/optim/Adam.h"
#include "engine/train/Trainer.h"

namespace latentlab {

inline constexpr const char* kModelFormatName = "latentlab-model";
inline constexpr int kModelFormatVersion = 1;

struct DatasetInfo {
  std::string name;         // where it was loaded from
  std::string fingerprint;  // see engine/data/Fingerprint.h
  int samples = 0;
  int height = 0, width = 0;
};

struct OptimiserState {
  AdamConfig config;
  long steps = 0;
  std::vector<std::string> names;  // the parameters the optimiser updates, in its order
  std::vector<Matrix<float>> m, v;
};

struct TrainingSnapshot {
  TrainConfig config;
  TrainerState state;
  OptimiserState optimiser;
};

struct ModelFile {
  ModelConfig model;
  std::vector<std::string> classNames;
  std::vector<std::pair<std::string, Matrix<float>>> parameters;  // the model's parameters() order
  DatasetInfo dataset;
  std::optional<TrainingSnapshot> training;
  std::vector<LabelEntry> labels;
};

// Captures a model (and, when given, its trainer and label set) into a ModelFile.
ModelFile captureModel(SemiSupervisedVae<float>& model, const std::vector<std::string>& classNames,
                       const DatasetInfo& dataset, Trainer* trainer = nullptr, const LabelSet* labels = nullptr);

void writeModelFile(const std::string& path, const ModelFile& file);

// Throws latentlab::Error naming the file and what is wrong: not HDF5, truncated, another program's file,
// a newer format version, a missing dataset or attribute, a shape that does not fit the architecture.
ModelFile readModelFile(const std::string& path);

// A model with the file's architecture and parameters.
std::unique_ptr<SemiSupervisedVae<float>> instantiateModel(const ModelFile& file);

// Puts the file's optimiser and trainer state into a trainer built over instantiateModel(file) with the
// file's TrainConfig, so that training continues exactly where it stopped.
void restoreTraining(const ModelFile& file, Trainer& trainer);

}  // namespace latentlab
