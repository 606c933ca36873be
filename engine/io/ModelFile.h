#pragma once
// One HDF5 file holds a whole model: architecture, parameters, optimiser state, training state and history,
// the label set and a fingerprint of the training data. The layout is in docs/hdf5-format.md.
// Reading validates everything before anything is built, so a bad file leaves the caller's model untouched, and
// checks every declared size before allocating; version-2 files checksum their metadata and their data, so damage
// is an error, not wrong weights. Writing goes to a temporary file of the writer's own, flushed and renamed over
// the target (engine/core/AtomicFile.h), so a crash never leaves half a file and two writers never clash.
// The record and its capture (captureModel, instantiateModel, restoreTraining: io/ModelCapture.cpp) are plain C++
// in the engine library; reading and writing the file (io/ModelFile.cpp) is the io library's, which links HDF5.
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/data/InputTransform.h"
#include "engine/data/LabelSet.h"
#include "engine/model/ModelConfig.h"
#include "engine/model/SemiSupervisedVae.h"
#include "engine/model/architectures/ParameterCount.h"
#include "engine/optim/Adam.h"
#include "engine/train/Trainer.h"

namespace latentlab {

inline constexpr const char* kModelFormatName = "latentlab-model";
// 2: checksummed (HDF5 1.10 format bounds, Fletcher32 on every dataset), fixed-length strings, per-step learning
//    rate and beta, per-epoch baseline accuracy, /parameters decoder_trained; the conv and recurrent flavours'
//    architecture and the input's layout. Version-1 files (dense only) still open.
inline constexpr int kModelFormatVersion = 2;

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
  // Set when the file keeps an earlier epoch than the run reached (TrainingSession::captureSelected): how many
  // epochs were trained and why this one was kept. 0 and empty: the file holds where the run stands.
  int epochsTrained = 0;
  std::string selection;
};

struct ModelFile {
  int formatVersion = kModelFormatVersion;  // of the file it was read from
  ModelConfig model;
  std::vector<std::string> classNames;
  std::vector<std::pair<std::string, Matrix<float>>> parameters;  // the model's parameters() order
  bool decoderTrained = true;  // false after a supervised-only run: trunk and classifier trained, decoder not
  DatasetInfo dataset;
  InputTransform input;  // how the inputs were scaled from the data's own values (none: read as they are)
  std::optional<TrainingSnapshot> training;
  std::vector<LabelEntry> labels;
};

// Captures a model (and, when given, its trainer and label set) into a ModelFile.
ModelFile captureModel(SemiSupervisedVae<float>& model, const std::vector<std::string>& classNames,
                       const DatasetInfo& dataset, Trainer* trainer = nullptr, const LabelSet* labels = nullptr);

void writeModelFile(const std::string& path, const ModelFile& file);

// Throws latentlab::Error naming the file and what is wrong: not HDF5, truncated, another program's file,
// a newer format version, a missing dataset or attribute, a shape that does not fit the architecture, a size
// out of bounds or inconsistent with another, damaged (checksum) data.
ModelFile readModelFile(const std::string& path);


// A model with the file's architecture and parameters.
std::unique_ptr<SemiSupervisedVae<float>> instantiateModel(const ModelFile& file);

// Puts the file's optimiser and trainer state into a trainer built over instantiateModel(file) with the
// file's TrainConfig, so that training continues exactly where it stopped.
void restoreTraining(const ModelFile& file, Trainer& trainer);

}  // namespace latentlab
