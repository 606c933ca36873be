#pragma once
// The data options of train, eval, bench and active: --data opens whatever openData detects
// (engine/data/DataSource.h), the other options say how.
#include <filesystem>
#include <set>
#include <string>

#include "cli/Arguments.h"
#include "engine/data/DataSource.h"
#include "engine/model/ModelConfig.h"

namespace latentlab::cli {

inline const std::set<std::string> kDataOptions{"data",          "x",       "y",      "label-column", "header", "test",
                                                "test-fraction", "classes", "layout", "inputs"};

inline const char* kDataHelp =
    "  --data PATH                an IDX folder (MNIST, Fashion-MNIST; default datasets/mnist, or the copy\n"
    "                             installed with Latentlab), mnist-rows or mnist-rows:DIR (an IDX folder's rows\n"
    "                             as 28 time steps), a UCI HAR Dataset\n"
    "                             folder, a folder holding NAME_TRAIN.ts and NAME_TEST.ts, or a .npy, .npz,\n"
    "                             .csv, .ts or .h5 file\n"
    "  --x NAME  --y NAME         arrays in an .npz or HDF5 file (default x or X, and y, Y or labels when there;\n"
    "                             --y none: unlabelled); for an .npy X, --y is an .npy file of labels\n"
    "  --label-column C           CSV labels: a header name, a 0-based index, last or none (default: a column\n"
    "                             named label, labels, class, target or y, else the one non-numeric column)\n"
    "  --header yes|no|auto       CSV header line (default auto: detected)\n"
    "  --test FILE                a second file of the same kind as the test split\n"
    "  --test-fraction F          otherwise hold out this fraction of a single file, per class, the same\n"
    "                             samples every run (default 0.2)\n"
    "  --classes FILE             class names, one a line\n"
    "  --layout L                 auto, vector, image or sequence: how n x A x B arrays are read (auto: images\n"
    "                             when A = B or uint8, else A steps x B channels)\n"
    "  --inputs auto|none|standardise|minmax\n"
    "                             values not in [0, 1]: auto standardises each channel (Gaussian likelihood)\n"
    "                             when any training value is outside [0, 1], else reads them as they are;\n"
    "                             minmax scales each channel to [0, 1] (Bernoulli). A model file keeps its\n"
    "                             transform: commands that read a model read the data its way (default auto)\n";

// The bundled MNIST: datasets/mnist of the working folder (a checkout), else the installed copy beside the
// program (cmake --install, the .deb: <prefix>/bin/../share/latentlab/datasets/mnist).
inline std::string defaultDataPath() {
  namespace fs = std::filesystem;
  const std::string here = "datasets/mnist";
  std::error_code ec;
  if (fs::is_directory(here, ec)) return here;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  const fs::path installed = exe.parent_path().parent_path() / "share/latentlab/datasets/mnist";
  return !ec && fs::is_directory(installed, ec) ? installed.string() : here;
}

inline DataRequest dataRequestFromArguments(const Arguments& a, int idxClasses = 10) {
  DataRequest r;
  r.path = a.string("data", defaultDataPath());
  r.x = a.string("x", "");
  r.y = a.string("y", "");
  r.labelColumn = a.string("label-column", "");
  try {
    r.header = headerModeFromString(a.string("header", "auto"));
    r.layout = sampleLayoutFromString(a.string("layout", "auto"));
  } catch (const Error& e) {
    throw UsageError(e.what());
  }
  r.testPath = a.string("test", "");
  r.testFraction = a.number("test-fraction", r.testFraction);
  if (!(r.testFraction >= 0 && r.testFraction < 1)) throw UsageError("--test-fraction must be in [0, 1)");
  r.classesPath = a.string("classes", "");
  r.idxClasses = idxClasses;
  return r;
}

// Scales the inputs as --inputs says (InputTransform.h), or, for a command that reads a model, as the model's file
// says (a model reads new data the way it read its training data).
inline void readInputs(DataSplit& s, const Arguments& a, const InputTransform* model) {
  try {
    prepareInputs(s, model ? toString(model->kind) : a.string("inputs", "auto"));
    if (model) useInputTransform(s, *model);
  } catch (const Error& e) {
    if (!model && a.has("inputs")) throw UsageError(e.what());
    throw;
  }
}

// Opens the data of a command that trains or scores with labels: both splits must have them (unlabelled data
// is read, but these commands report accuracy on the test labels and draw the labelled subset from the
// training labels).
inline DataSplit openLabelledData(const Arguments& a, const char* command, int idxClasses = 10,
                                  const InputTransform* model = nullptr) {
  DataSplit s = openData(dataRequestFromArguments(a, idxClasses));
  readInputs(s, a, model);
  if (!s.train.hasLabels() || (s.test.size() > 0 && !s.test.hasLabels()))
    throw Error(command, s.source + " has no labels" + (s.train.hasLabels() ? " in its test split" : "") + ": `" +
                             command + "` needs them (--y NAME, --label-column C)");
  if (s.test.size() == 0) throw Error(command, s.source + ": the test split is empty (--test-fraction 0?)");
  return s;
}

// Opens the data of `train`: labelled like openLabelledData, or unlabelled (no y at all, the normal case for
// users with their own data). Unlabelled data gets `classes` classes without names (a classes file names
// them), so that the model has a class layer to learn once labels arrive. Sets *unlabelled.
inline DataSplit openTrainingData(const Arguments& a, const char* command, int classes, bool* unlabelled,
                                  const InputTransform* model = nullptr) {
  DataSplit s = openData(dataRequestFromArguments(a));
  *unlabelled = !s.train.hasLabels();
  if (!*unlabelled) return openLabelledData(a, command, 10, model);
  readInputs(s, a, model);
  if (classes < 2 || classes > ModelConfig::kMaxClasses)
    throw UsageError("--unlabelled-classes must be in 2.." + std::to_string(ModelConfig::kMaxClasses));
  if (s.train.classes < 2)
    for (Dataset* d : {&s.train, &s.test}) {
      d->classes = classes;
      d->classNames.clear();
    }
  return s;
}

}  // namespace latentlab::cli
