#include "engine/io/ModelFile.h"

#include <H5Cpp.h>

#include <cfloat>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <map>
#include <new>
#include <set>

#include "engine/core/AtomicFile.h"
#include "engine/core/Error.h"
#include "engine/io/Hdf5Read.h"
#include "engine/io/Hdf5Write.h"
#include "engine/io/Hdf5ReadDriver.h"
#include "engine/io/Hdf5Superblock.h"
#include "engine/train/RecordFields.h"

namespace latentlab {
namespace {

namespace fs = std::filesystem;
using hdf5::attr;
using hdf5::Reader;

// What a file may declare. Beyond these it is damaged or crafted; below them every size is also checked against
// the others and against the file's own size before anything is allocated.
constexpr long kMaxClasses = 10000;
constexpr long kMaxFeatures = 1L << 24;  // input_size
constexpr long kMaxWidth = 1L << 20;     // a hidden layer, the latent
constexpr size_t kMaxLayers = 64;
constexpr long kMaxSamples = std::numeric_limits<int>::max();
constexpr long kMaxImageSide = 1L << 16;
constexpr long kMaxEpochs = 1000000;
constexpr long kMaxBatch = 1L << 20;
constexpr long kMaxStepsPerEpoch = 1L << 30;
constexpr double kMaxDouble = DBL_MAX;  // with a lower bound: any finite number

// Version 1's history columns, by position (version 2 names them in attribute `columns`).
std::vector<std::string> withLosses(std::vector<std::string> names) {
  for (const auto& f : kStepLossFields) names.push_back(f.name);
  return names;
}
const std::vector<std::string> kVersion1StepColumns = withLosses({"step", "epoch"});
const std::vector<std::string> kVersion1EpochColumns =
    withLosses({"epoch", "step", "seconds", "test_accuracy", "labels"});

std::string str(uint64_t v) { return std::to_string(v); }

// ---- header: /format, /format_version ---------------------------------------------------------------------

void writeHeader(H5::H5File& file) {
  attr(file, "format", std::string(kModelFormatName));
  attr(file, "format_version", long(kModelFormatVersion));
  attr(file, "created_by", std::string("latentlab 0.1.0"));
}

// The version first: it says whether variable-length strings (version 1) may be read at all.
void readHeader(Reader& r, const H5::Group& root, ModelFile& f) {
  if (!r.hasAttribute(root, "format", "/") || !r.hasAttribute(root, "format_version", "/"))
    r.fail("not a Latentlab model file (an HDF5 file without 'format' and 'format_version' attributes)");
  const long version =
      r.integer(root, "format_version", "/", std::numeric_limits<long>::min(), std::numeric_limits<long>::max());
  if (version > kModelFormatVersion)
    r.fail("format version " + std::to_string(version) + " is newer than this Latentlab reads (" +
           std::to_string(kModelFormatVersion) + "); update Latentlab");
  if (version < 1) r.fail("invalid format version " + std::to_string(version));
  r.setVersion(version);
  f.formatVersion = int(version);
  const std::string format = r.string(root, "format", "/");
  if (format != kModelFormatName) r.fail("not a Latentlab model file (format '" + format + "')");
}

// ---- /architecture (attributes) ---------------------------------------------------------------------------
// To extend (conv shapes and kernels, LSTM sizes): write the attribute here, read it below with its bound, and
// let parameterCount know the flavour's tensors.

void writeArchitecture(H5::H5File& file, const ModelFile& f) {
  H5::Group arch = file.createGroup("architecture");
  const ModelConfig& m = f.model;
  attr(arch, "flavour", toString(m.flavour));
  attr(arch, "input_size", long(m.inputSize));
  attr(arch, "hidden", std::vector<long>(m.hidden.begin(), m.hidden.end()));
  attr(arch, "latent", long(m.latent));
  attr(arch, "classes", long(m.classes));
  // Data without class names (unlabelled data): the file names the classes by number, one per class as the
  // reader requires.
  std::vector<std::string> names = f.classNames;
  for (int k = int(names.size()); k < f.model.classes; ++k) names.push_back(std::to_string(k));
  attr(arch, "class_names", names);
  attr(arch, "activation", toString(m.activation));
  attr(arch, "objective", toString(m.objective));
  attr(arch, "likelihood", toString(m.likelihood));
  attr(arch, "alpha", m.alpha);
  attr(arch, "beta", m.beta);
  attr(arch, "gaussian_variance", m.gaussianVariance);
  attr(arch, "marginal_mass", m.marginalMass);
  // The input's layout (engine/data/SampleShape.h: channels-last images, time-major sequences), and the conv and
  // recurrent flavours' own sizes (written for every flavour, read where the flavour needs them).
  const SampleShape in = m.inputShape();
  attr(arch, "input_kind", toString(in.kind));
  attr(arch, "input_channels", long(in.channels));
  attr(arch, "input_height", long(in.height));
  attr(arch, "input_width", long(in.width));
  attr(arch, "input_steps", long(in.steps));
  attr(arch, "conv_channels", std::vector<long>(m.conv.channels.begin(), m.conv.channels.end()));
  attr(arch, "conv_kernel", long(m.conv.kernel));
  attr(arch, "lstm_hidden", long(m.recurrent.hidden));
  attr(arch, "lstm_layers", long(m.recurrent.layers));
  attr(arch, "lstm_pooling", toString(m.recurrent.pooling));
  attr(arch, "class_input", long(m.classInput ? 1 : 0));
}

// The input layout and the conv and recurrent sizes; absent in version-1 files (dense, a plain vector).
void readShapes(const Reader& r, const H5::Group& arch, const std::string& w, ModelConfig& m) {
  if (!r.hasAttribute(arch, "input_kind", w)) {
    if (m.flavour != Flavour::Dense) r.fail("a " + toString(m.flavour) + " model without its input shape in " + w);
    return;
  }
  m.marginalMass = r.number(arch, "marginal_mass", w, DBL_MIN, 1);
  SampleShape in;
  try {
    in.kind = sampleKindFromString(r.string(arch, "input_kind", w));
  } catch (const Error& e) {
    r.fail(e.what());
  }
  in.channels = int(r.integer(arch, "input_channels", w, 1, kMaxFeatures));
  in.height = int(r.integer(arch, "input_height", w, 1, kMaxFeatures));
  in.width = int(r.integer(arch, "input_width", w, 1, kMaxFeatures));
  in.steps = int(r.integer(arch, "input_steps", w, 1, kMaxFeatures));
  if (in.kind == SampleKind::Vector) in.length = m.inputSize;
  m.input = in;
  m.conv.channels.clear();
  for (long c : r.integers(arch, "conv_channels", w, kMaxLayers)) {
    if (c < 1 || c > kMaxWidth) r.fail("a convolution of " + std::to_string(c) + " channels in " + w);
    m.conv.channels.push_back(int(c));
  }
  m.conv.kernel = int(r.integer(arch, "conv_kernel", w, 1, 64));
  m.recurrent.hidden = int(r.integer(arch, "lstm_hidden", w, 1, kMaxWidth));
  m.recurrent.layers = int(r.integer(arch, "lstm_layers", w, 1, kMaxLayers));
  try {
    m.recurrent.pooling = sequencePoolingFromString(r.string(arch, "lstm_pooling", w));
  } catch (const Error& e) {
    r.fail(e.what());
  }
  // Absent in files written before models without class input (the anomaly baseline) existed.
  if (r.hasAttribute(arch, "class_input", w)) m.classInput = r.integer(arch, "class_input", w, 0, 1) == 1;
}

void readArchitecture(const Reader& r, const H5::Group& root, ModelFile& f) {
  const std::string w = "/architecture";
  const H5::Group arch = r.group(root, "architecture", "/");
  ModelConfig& m = f.model;
  const std::string flavour = r.string(arch, "flavour", w), activation = r.string(arch, "activation", w),
                    objective = r.string(arch, "objective", w), likelihood = r.string(arch, "likelihood", w);
  try {
    m.flavour = flavourFromString(flavour);
    m.activation = activationFromString(activation);
    m.objective = objectiveFromString(objective);
  } catch (const Error& e) {
    r.fail(e.what());
  }
  if (likelihood != "bernoulli" && likelihood != "gaussian") r.fail("unknown likelihood '" + likelihood + "'");
  m.likelihood = likelihood == "bernoulli" ? Likelihood::Bernoulli : Likelihood::Gaussian;
  m.inputSize = int(r.integer(arch, "input_size", w, 1, kMaxFeatures));
  m.hidden.clear();
  for (long h : r.integers(arch, "hidden", w, kMaxLayers)) {
    if (h < 1 || h > kMaxWidth) r.fail("a hidden layer of " + std::to_string(h) + " units in " + w);
    m.hidden.push_back(int(h));
  }
  m.latent = int(r.integer(arch, "latent", w, 1, kMaxWidth));
  m.classes = int(r.integer(arch, "classes", w, 2, kMaxClasses));
  m.alpha = r.number(arch, "alpha", w, 0, kMaxDouble);
  m.beta = r.number(arch, "beta", w, 0, kMaxDouble);
  m.gaussianVariance = r.number(arch, "gaussian_variance", w, DBL_MIN, kMaxDouble);
  readShapes(r, arch, w, m);
  try {
    m.validate();
  } catch (const Error& e) {
    r.fail(std::string("architecture: ") + e.what());
  }
  if (4 * declaredParameterCount(m) > r.fileBytes())
    r.fail("the architecture declares " + str(declaredParameterCount(m)) + " parameters, more than the file's " +
           str(r.fileBytes()) + " bytes hold");
  f.classNames = r.strings(arch, "class_names", w, size_t(m.classes));
  if (int(f.classNames.size()) != m.classes)
    r.fail(std::to_string(f.classNames.size()) + " class names for " + std::to_string(m.classes) + " classes");
}

// ---- /parameters (float32 datasets) -----------------------------------------------------------------------

void writeParameters(H5::H5File& file, const ModelFile& f) {
  H5::Group params = file.createGroup("parameters");
  std::vector<std::string> order;
  for (const auto& [name, value] : f.parameters) {
    hdf5::writeMatrix(params, name, value);
    order.push_back(name);
  }
  attr(params, "order", order);
  attr(params, "decoder_trained", long(f.decoderTrained));
}

// Shapes come from a model built with the (already bounded) architecture; the file must match it exactly.
void readParameters(const Reader& r, const H5::Group& root, ModelFile& f) {
  const H5::Group params = r.group(root, "parameters", "/");
  SemiSupervisedVae<float> shapeOf(f.model, 0);
  for (auto& p : shapeOf.parameters())
    f.parameters.emplace_back(p.name, r.matrix(params, p.name, "/parameters/", p.value->rows(), p.value->cols()));
  if (r.version() >= 2) f.decoderTrained = r.integer(params, "decoder_trained", "/parameters", 0, 1) != 0;
}

// ---- /dataset (attributes) --------------------------------------------------------------------------------

void writeDataset(H5::H5File& file, const DatasetInfo& d) {
  H5::Group data = file.createGroup("dataset");
  attr(data, "name", d.name);
  attr(data, "fingerprint", d.fingerprint);
  attr(data, "samples", long(d.samples));
  attr(data, "height", long(d.height));
  attr(data, "width", long(d.width));
}

void readDataset(const Reader& r, const H5::Group& root, DatasetInfo& d) {
  const std::string w = "/dataset";
  const H5::Group data = r.group(root, "dataset", "/");
  d.name = r.string(data, "name", w);
  d.fingerprint = r.string(data, "fingerprint", w);
  d.samples = int(r.integer(data, "samples", w, 1, kMaxSamples));
  d.height = int(r.integer(data, "height", w, 1, kMaxImageSide));
  d.width = int(r.integer(data, "width", w, 1, kMaxImageSide));
}

// ---- /input_transform (optional: inputs scaled before the model reads them; InputTransform.h) ------------

void writeInputTransform(H5::H5File& file, const InputTransform& t) {
  if (!t.active()) return;
  H5::Group g = file.createGroup("input_transform");
  attr(g, "kind", toString(t.kind));
  hdf5::writeMatrix(g, "offset", Matrix<float>(t.offset));
  hdf5::writeMatrix(g, "scale", Matrix<float>(t.scale));
}

void readInputTransform(const Reader& r, const H5::Group& root, ModelFile& f) {
  if (!r.has(root, "input_transform")) return;
  const std::string w = "/input_transform";
  const H5::Group g = r.group(root, "input_transform", "/");
  InputTransform t;
  try {
    t.kind = inputScalingFromString(r.string(g, "kind", w));
  } catch (const Error& e) {
    r.fail(w + ": " + e.what());
  }
  const long D = f.model.inputShape().features();
  t.offset = r.matrix(g, "offset", w + "/", D, 1).col(0);
  t.scale = r.matrix(g, "scale", w + "/", D, 1).col(0);
  try {
    t.validate(int(D));
  } catch (const Error& e) {
    r.fail(w + ": " + e.what());
  }
  f.input = t;
}

// ---- /labels (datasets) -----------------------------------------------------------------------------------

void writeLabels(H5::H5File& file, const std::vector<LabelEntry>& entries) {
  H5::Group labels = file.createGroup("labels");
  std::vector<int32_t> index, label;
  std::vector<uint8_t> source;
  for (const auto& e : entries) {
    index.push_back(e.index);
    label.push_back(e.label);
    source.push_back(uint8_t(e.source));
  }
  hdf5::writeInts(labels, "index", index);
  hdf5::writeInts(labels, "label", label);
  hdf5::writeBytes(labels, "source", source);
  attr(labels, "source_names", std::vector<std::string>{"initial", "user", "accepted-prediction", "dataset"});
}

void readLabels(const Reader& r, const H5::Group& root, ModelFile& f) {
  const H5::Group labels = r.group(root, "labels", "/");
  const size_t most = size_t(f.dataset.samples);  // at most one label per sample
  const auto index = r.ints(labels, "index", "/labels/", most);
  const auto label = r.ints(labels, "label", "/labels/", most);
  const auto source = r.bytes(labels, "source", "/labels/", most);
  if (index.size() != label.size() || index.size() != source.size())
    r.fail("/labels/ index, label and source differ in length");
  for (size_t i = 0; i < index.size(); ++i) {
    if (index[i] < 0 || index[i] >= f.dataset.samples)
      r.fail("/labels/index " + std::to_string(index[i]) + " is outside the data set");
    if (label[i] < 0 || label[i] >= f.model.classes)
      r.fail("/labels/label " + std::to_string(label[i]) + " is not a class");
    if (source[i] > uint8_t(LabelSource::Dataset))
      r.fail("/labels/source " + std::to_string(source[i]) + " is unknown");
    f.labels.push_back({index[i], label[i], LabelSource(source[i])});
  }
}

// ---- /training: configuration, position, history ---------------------------------------------------------

std::vector<long> rngWords(const Random::State& s) {
  long spare;
  static_assert(sizeof spare == sizeof s.spare);
  std::memcpy(&spare, &s.spare, sizeof spare);
  return {long(s.s[0]), long(s.s[1]), long(s.s[2]), long(s.s[3]), spare, s.hasSpare ? 1L : 0L};
}

Random::State rngFrom(const Reader& r, const H5::Group& tr, const std::string& name) {
  const std::vector<long> w = r.integers(tr, name, "/training", 6);
  if (w.size() != 6) r.fail("/training " + name + " has " + std::to_string(w.size()) + " words, expected 6");
  Random::State s;
  for (int i = 0; i < 4; ++i) s.s[size_t(i)] = uint64_t(w[size_t(i)]);
  std::memcpy(&s.spare, &w[4], sizeof s.spare);
  if (w[5] != 0 && w[5] != 1) r.fail("/training " + name + " has a flag of " + std::to_string(w[5]));
  s.hasSpare = w[5] != 0;
  if (s.hasSpare && !std::isfinite(s.spare)) r.fail("/training " + name + " holds a cached normal that is not finite");
  return s;
}

template <typename Record>
void writeRecords(H5::Group& g, const std::string& name, const std::vector<Record>& records) {
  std::vector<std::string> columns;
  for (int c = 0; c < columnCount<Record>(); ++c) columns.push_back(columnName<Record>(c));
  std::vector<double> values;
  values.reserve(records.size() * columns.size());
  for (const Record& rec : records)
    for (int c = 0; c < columnCount<Record>(); ++c) values.push_back(columnValue(rec, c));
  hdf5::writeTable(g, name, columns, values);
}

// Columns are matched by name: one the record lacks is skipped, one the file lacks keeps its default (version 1
// has no learning_rate, beta or baseline_accuracy).
template <typename Record>
std::vector<Record> readRecords(const Reader& r, const H5::Group& g, const std::string& name, size_t rows,
                                std::vector<std::string> columns) {
  const std::string what = "/training/" + name;
  const std::vector<double> values = r.table(g, name, "/training/", rows, columns);
  std::vector<int> field(columns.size());
  std::set<int> seen;
  for (size_t c = 0; c < columns.size(); ++c) {
    field[c] = columnIndex<Record>(columns[c]);
    if (field[c] >= 0 && !seen.insert(field[c]).second) r.fail(what + " has two columns '" + columns[c] + "'");
  }
  std::vector<Record> out(rows);
  for (size_t i = 0; i < rows; ++i)
    for (size_t c = 0; c < columns.size(); ++c)
      if (field[c] >= 0 && !setColumnValue(out[i], field[c], values[i * columns.size() + c]))
        r.fail(what + " row " + str(i) + ": " + columns[c] + " " + std::to_string(values[i * columns.size() + c]) +
               " is not a count");
  return out;
}

// Validation (optional in version 2; absent: none): the settings as attributes, the split as index lists, and
// which epoch the file keeps and why.
void writeValidation(H5::Group& tr, const TrainingSnapshot& t) {
  const ValidationConfig& v = t.config.validation;
  if (!v.active() && t.selection.empty()) return;
  attr(tr, "validation_label_fraction", v.labelFraction);
  attr(tr, "validation_held_out", long(v.heldOut));
  attr(tr, "selection_criterion", toString(v.select));
  attr(tr, "patience", long(v.patience));
  const ValidationSplit& split = t.state.validation;
  std::vector<int32_t> index, label;
  for (const LabelEntry& e : split.labels) {
    index.push_back(e.index);
    label.push_back(e.label);
  }
  hdf5::writeInts(tr, "validation_label_index", index);
  hdf5::writeInts(tr, "validation_label_class", label);
  hdf5::writeInts(tr, "held_out", std::vector<int32_t>(split.heldOut.begin(), split.heldOut.end()));
  if (!t.selection.empty()) {
    attr(tr, "epochs_trained", long(t.epochsTrained));
    attr(tr, "selection", t.selection);
  }
}

void readValidation(const Reader& r, const H5::Group& tr, int samples, int classes, TrainingSnapshot& t) {
  const std::string w = "/training";
  if (!r.hasAttribute(tr, "selection_criterion", w)) return;
  ValidationConfig& v = t.config.validation;
  v.labelFraction = r.number(tr, "validation_label_fraction", w, 0, 0.5);
  v.heldOut = int(r.integer(tr, "validation_held_out", w, 0, samples / 2));
  const std::string criterion = r.string(tr, "selection_criterion", w);
  try {
    v.select = selectionFromString(criterion);
  } catch (const Error&) {
    r.fail("unknown selection_criterion '" + criterion + "' in " + w);
  }
  v.patience = int(r.integer(tr, "patience", w, 0, kMaxEpochs));
  try {
    v.validate();
  } catch (const Error& e) {
    r.fail(w + ": " + e.what());
  }
  const auto index = r.ints(tr, "validation_label_index", w + "/", size_t(samples));
  const auto label = r.ints(tr, "validation_label_class", w + "/", size_t(samples));
  if (index.size() != label.size()) r.fail(w + "/validation_label_index and _class differ in length");
  ValidationSplit& split = t.state.validation;
  for (size_t i = 0; i < index.size(); ++i) {
    if (index[i] < 0 || index[i] >= samples || label[i] < 0 || label[i] >= classes)
      r.fail(w + "/validation_label_index or _class holds a value outside the data set or its classes");
    split.labels.push_back({index[i], label[i], LabelSource::Initial});
  }
  const auto heldOut = r.ints(tr, "held_out", w + "/", size_t(samples / 2));
  for (int32_t i : heldOut)
    if (i < 0 || i >= samples) r.fail(w + "/held_out holds " + std::to_string(i) + ", outside the data set");
  split.heldOut.assign(heldOut.begin(), heldOut.end());
  if (r.hasAttribute(tr, "selection", w)) {
    t.selection = r.string(tr, "selection", w);
    t.epochsTrained = int(r.integer(tr, "epochs_trained", w, t.state.epoch, kMaxEpochs));
  }
}

void writeTraining(H5::H5File& file, const TrainingSnapshot& t) {
  H5::Group tr = file.createGroup("training");
  const TrainConfig& c = t.config;
  attr(tr, "epochs", long(c.epochs));
  attr(tr, "labelled_batch", long(c.labelledBatch));
  attr(tr, "unlabelled_batch", long(c.unlabelledBatch));
  attr(tr, "learning_rate", c.learningRate);
  attr(tr, "schedule", std::string(c.schedule == LearningRateSchedule::Cosine ? "cosine" : "constant"));
  attr(tr, "seed", long(c.seed));
  attr(tr, "supervised_only", long(c.supervisedOnly));
  attr(tr, "binarize", long(c.binarize));
  attr(tr, "steps_per_epoch", long(c.stepsPerEpoch));
  attr(tr, "eval_samples", long(c.evalSamples));
  attr(tr, "beta_warmup_epochs", c.betaWarmupEpochs);
  attr(tr, "epochs_done", long(t.state.epoch));
  attr(tr, "steps_done", t.state.step);
  attr(tr, "cursor", long(t.state.cursor));
  attr(tr, "data_rng", rngWords(t.state.dataRng));
  attr(tr, "noise_rng", rngWords(t.state.noiseRng));
  hdf5::writeInts(tr, "sample_order", std::vector<int32_t>(t.state.order.begin(), t.state.order.end()));
  writeRecords(tr, "step_losses", t.state.steps);
  writeRecords(tr, "epoch_metrics", t.state.epochs);
  writeValidation(tr, t);
}

TrainConfig readTrainConfig(const Reader& r, const H5::Group& tr) {
  const std::string w = "/training";
  TrainConfig c;
  c.epochs = int(r.integer(tr, "epochs", w, 1, kMaxEpochs));
  c.labelledBatch = int(r.integer(tr, "labelled_batch", w, 1, kMaxBatch));
  c.unlabelledBatch = int(r.integer(tr, "unlabelled_batch", w, 0, kMaxBatch));
  c.learningRate = r.number(tr, "learning_rate", w, 0, kMaxDouble);
  const std::string schedule = r.string(tr, "schedule", w);
  if (schedule != "constant" && schedule != "cosine") r.fail("unknown schedule '" + schedule + "' in " + w);
  c.schedule = schedule == "cosine" ? LearningRateSchedule::Cosine : LearningRateSchedule::Constant;
  c.seed = uint64_t(r.integer(tr, "seed", w, std::numeric_limits<long>::min(), std::numeric_limits<long>::max()));
  c.supervisedOnly = r.integer(tr, "supervised_only", w, 0, 1) != 0;
  c.binarize = r.integer(tr, "binarize", w, 0, 1) != 0;
  c.stepsPerEpoch = int(r.integer(tr, "steps_per_epoch", w, 0, kMaxStepsPerEpoch));
  c.evalSamples = int(r.integer(tr, "eval_samples", w, 0, std::numeric_limits<int>::max()));
  c.betaWarmupEpochs = r.number(tr, "beta_warmup_epochs", w, 0, double(kMaxEpochs));
  return c;
}

// Where the run stands, consistent with the data set and the configuration: the epoch's steps are those of the
// epochs done plus at most one epoch's, and the history has one row per step and per epoch.
void readTraining(const Reader& r, const H5::Group& root, ModelFile& f) {
  if (!r.has(root, "training")) return;
  const std::string w = "/training";
  const H5::Group tr = r.group(root, "training", "/");
  TrainingSnapshot t;
  t.config = readTrainConfig(r, tr);
  const int samples = f.dataset.samples;
  TrainerState& s = t.state;
  s.epoch = int(r.integer(tr, "epochs_done", w, 0, kMaxEpochs));
  const long spe = Trainer::stepsPerEpoch(t.config, samples);
  s.step = r.integer(tr, "steps_done", w, long(s.epoch) * spe, (long(s.epoch) + 1) * spe);
  s.cursor = int(r.integer(tr, "cursor", w, 0, samples - 1));
  s.dataRng = rngFrom(r, tr, "data_rng");
  s.noiseRng = rngFrom(r, tr, "noise_rng");
  const std::vector<int32_t> order = r.ints(tr, "sample_order", w + "/", size_t(samples));
  if (order.size() != size_t(samples))
    r.fail(w + "/sample_order has " + str(order.size()) + " entries for " + std::to_string(samples) + " samples");
  for (int32_t i : order)
    if (i < 0 || i >= samples) r.fail(w + "/sample_order holds " + std::to_string(i) + ", outside the data set");
  s.order.assign(order.begin(), order.end());
  s.steps = readRecords<StepRecord>(r, tr, "step_losses", size_t(s.step), kVersion1StepColumns);
  s.epochs = readRecords<EpochReport>(r, tr, "epoch_metrics", size_t(s.epoch), kVersion1EpochColumns);
  readValidation(r, tr, samples, f.model.classes, t);
  f.training = std::move(t);
}

// ---- /optimizer -------------------------------------------------------------------------------------------

void writeOptimizer(H5::H5File& file, const OptimiserState& o) {
  H5::Group opt = file.createGroup("optimizer");
  attr(opt, "kind", std::string("adam"));
  attr(opt, "learning_rate", o.config.learningRate);
  attr(opt, "beta1", o.config.beta1);
  attr(opt, "beta2", o.config.beta2);
  attr(opt, "epsilon", o.config.epsilon);
  attr(opt, "steps", o.steps);
  attr(opt, "parameters", o.names);
  H5::Group m = opt.createGroup("m"), v = opt.createGroup("v");
  for (size_t i = 0; i < o.names.size(); ++i) {
    hdf5::writeMatrix(m, o.names[i], o.m[i]);
    hdf5::writeMatrix(v, o.names[i], o.v[i]);
  }
}

// The moments of named parameters, each shaped like its parameter; a bias-correction count of at most the steps.
void readOptimizer(const Reader& r, const H5::Group& root, ModelFile& f) {
  const std::string w = "/optimizer";
  const H5::Group opt = r.group(root, "optimizer", "/");
  OptimiserState& o = f.training->optimiser;
  const double belowOne = std::nextafter(1.0, 0.0);
  o.config.learningRate = r.number(opt, "learning_rate", w, 0, kMaxDouble);
  o.config.beta1 = r.number(opt, "beta1", w, 0, belowOne);
  o.config.beta2 = r.number(opt, "beta2", w, 0, belowOne);
  o.config.epsilon = r.number(opt, "epsilon", w, DBL_MIN, kMaxDouble);
  o.steps = r.integer(opt, "steps", w, 0, f.training->state.step);
  o.names = r.strings(opt, "parameters", w, f.parameters.size());
  const H5::Group m = r.group(opt, "m", "/optimizer/"), v = r.group(opt, "v", "/optimizer/");
  std::map<std::string, const Matrix<float>*> shapes;
  for (const auto& [name, value] : f.parameters) shapes[name] = &value;
  std::set<std::string> seen;
  for (const auto& name : o.names) {
    auto it = shapes.find(name);
    if (it == shapes.end()) r.fail("/optimizer names an unknown parameter '" + name + "'");
    if (!seen.insert(name).second) r.fail("/optimizer names '" + name + "' twice");
    o.m.push_back(r.matrix(m, name, "/optimizer/m/", it->second->rows(), it->second->cols()));
    o.v.push_back(r.matrix(v, name, "/optimizer/v/", it->second->rows(), it->second->cols()));
  }
}

}  // namespace

void writeModelFile(const std::string& path, const ModelFile& f) {
  H5::Exception::dontPrint();
  const std::string tmp = temporaryPathFor(path);  // this writer's own: never another's
  try {
    {
      H5::H5File file(tmp, H5F_ACC_EXCL, H5::FileCreatPropList::DEFAULT, hdf5::checksummedFormat());
      writeHeader(file);
      writeArchitecture(file, f);
      writeParameters(file, f);
      writeDataset(file, f.dataset);
      writeInputTransform(file, f.input);
      writeLabels(file, f.labels);
      if (f.training) {
        writeTraining(file, *f.training);
        writeOptimizer(file, f.training->optimiser);
      }
    }
    commitTemporary(tmp, path, "ModelFile");
  } catch (const H5::Exception& e) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw Error("ModelFile", fs::path(path).filename().string() + ": cannot write (" + e.getDetailMsg() + ")");
  }
}

ModelFile readModelFile(const std::string& path) {
  H5::Exception::dontPrint();
  Reader r(path);
  if (!fs::is_regular_file(path)) r.fail("no such file");
  ModelFile f;
  try {
    if (H5Fis_hdf5(path.c_str()) <= 0) r.fail("not an HDF5 file (or a truncated one)");
    if (const std::string problem = hdf5::superblockProblem(path); !problem.empty()) r.fail(problem);
    H5::FileAccPropList access;
    if (!hdf5::useReadDriver(access.getId())) r.fail("cannot set up HDF5 reading");
    H5::H5File file(path, H5F_ACC_RDONLY, H5::FileCreatPropList::DEFAULT, access);
    const H5::Group root = file.openGroup("/");
    readHeader(r, root, f);
    readArchitecture(r, root, f);
    readParameters(r, root, f);
    readDataset(r, root, f.dataset);
    readInputTransform(r, root, f);
    readLabels(r, root, f);
    readTraining(r, root, f);
    if (f.training) readOptimizer(r, root, f);
    if (f.formatVersion == 1) f.decoderTrained = !(f.training && f.training->config.supervisedOnly);
  } catch (const H5::Exception& e) {
    r.fail("unreadable (" + e.getDetailMsg() + "); the file may be truncated or damaged");
  } catch (const std::bad_alloc&) {  // every size is bounded above: this would be a bound missed
    r.fail("declares more data than fits in memory; the file may be damaged");
  }
  return f;
}

}  // namespace latentlab
