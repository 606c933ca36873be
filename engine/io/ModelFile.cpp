#include "engine/io/ModelFile.h"

#include <H5Cpp.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>

#include "engine/core/Error.h"

namespace latentlab {
namespace {

namespace fs = std::filesystem;
using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// ---- writing helpers --------------------------------------------------------------------------------------

H5::StrType stringType() {
  H5::StrType t(H5::PredType::C_S1, H5T_VARIABLE);
  t.setCset(H5T_CSET_UTF8);
  return t;
}

void attr(H5::H5Object& o, const std::string& name, const std::string& value) {
  H5::StrType t = stringType();
  H5::Attribute a = o.createAttribute(name, t, H5::DataSpace(H5S_SCALAR));
  const char* c = value.c_str();
  a.write(t, &c);
}
void attr(H5::H5Object& o, const std::string& name, long value) {
  o.createAttribute(name, H5::PredType::NATIVE_LONG, H5::DataSpace(H5S_SCALAR))
      .write(H5::PredType::NATIVE_LONG, &value);
}
void attr(H5::H5Object& o, const std::string& name, double value) {
  o.createAttribute(name, H5::PredType::NATIVE_DOUBLE, H5::DataSpace(H5S_SCALAR))
      .write(H5::PredType::NATIVE_DOUBLE, &value);
}
void attr(H5::H5Object& o, const std::string& name, const std::vector<long>& values) {
  const hsize_t n = values.size();
  o.createAttribute(name, H5::PredType::NATIVE_LONG, H5::DataSpace(1, &n))
      .write(H5::PredType::NATIVE_LONG, values.data());
}
void attr(H5::H5Object& o, const std::string& name, const std::vector<std::string>& values) {
  const hsize_t n = values.size();
  std::vector<const char*> c;
  for (const auto& v : values) c.push_back(v.c_str());
  H5::StrType t = stringType();
  o.createAttribute(name, t, H5::DataSpace(1, &n)).write(t, c.data());
}

// Matrices are stored (rows, cols) in C order, as NumPy reads them: W is (outputs, inputs).
void writeMatrix(H5::Group& g, const std::string& name, const Matrix<float>& m) {
  const hsize_t dims[2] = {hsize_t(m.rows()), hsize_t(m.cols())};
  const RowMajor rm = m;
  g.createDataSet(name, H5::PredType::IEEE_F32LE, H5::DataSpace(2, dims)).write(rm.data(), H5::PredType::NATIVE_FLOAT);
}

template <typename T> void writeVector(H5::Group& g, const std::string& name, const std::vector<T>& v,
                                       const H5::PredType& fileType, const H5::PredType& memType) {
  const hsize_t n = v.size();
  g.createDataSet(name, fileType, H5::DataSpace(1, &n)).write(v.data(), memType);
}

void writeTable(H5::Group& g, const std::string& name, const std::vector<std::string>& columns,
                const std::vector<double>& rowMajor) {
  const hsize_t dims[2] = {hsize_t(rowMajor.size() / columns.size()), hsize_t(columns.size())};
  H5::DataSet ds = g.createDataSet(name, H5::PredType::IEEE_F64LE, H5::DataSpace(2, dims));
  if (!rowMajor.empty()) ds.write(rowMajor.data(), H5::PredType::NATIVE_DOUBLE);
  attr(ds, "columns", columns);
}

const std::vector<std::string> kStepColumns{"step", "epoch", "total", "reconstruction", "kl", "classification",
                                            "entropy", "labelled", "unlabelled", "labelled_accuracy"};
const std::vector<std::string> kEpochColumns{"epoch", "step", "seconds", "test_accuracy", "labels", "total",
                                             "reconstruction", "kl", "classification", "entropy", "labelled",
                                             "unlabelled", "labelled_accuracy"};

void appendLosses(std::vector<double>& row, const StepLosses& l) {
  row.insert(row.end(), {l.total, l.reconstruction, l.kl, l.classification, l.entropy, l.labelled, l.unlabelled,
                         l.labelledAccuracy});
}
StepLosses lossesFrom(const double* p) {
  StepLosses l;
  l.total = p[0];
  l.reconstruction = p[1];
  l.kl = p[2];
  l.classification = p[3];
  l.entropy = p[4];
  l.labelled = p[5];
  l.unlabelled = p[6];
  l.labelledAccuracy = p[7];
  return l;
}

std::vector<long> rngWords(const Random::State& s) {
  long spare;
  static_assert(sizeof spare == sizeof s.spare);
  std::memcpy(&spare, &s.spare, sizeof spare);
  return {long(s.s[0]), long(s.s[1]), long(s.s[2]), long(s.s[3]), spare, s.hasSpare ? 1L : 0L};
}

// ---- reading helpers --------------------------------------------------------------------------------------

class Reader {
 public:
  explicit Reader(std::string path) : path_(std::move(path)) {}

  [[noreturn]] void fail(const std::string& what) const { throw Error("ModelFile", fileName() + ": " + what); }
  std::string fileName() const { return fs::path(path_).filename().string(); }

  H5::Group group(const H5::Group& parent, const std::string& name, const std::string& where) const {
    if (!parent.nameExists(name)) fail("missing group " + where + name);
    return parent.openGroup(name);
  }

  H5::Attribute attribute(const H5::H5Object& o, const std::string& name, const std::string& where) const {
    if (!o.attrExists(name)) fail("missing attribute '" + name + "' on " + where);
    return o.openAttribute(name);
  }

  std::string string(const H5::H5Object& o, const std::string& name, const std::string& where) const {
    H5::Attribute a = attribute(o, name, where);
    if (a.getTypeClass() != H5T_STRING) fail("attribute '" + name + "' on " + where + " is not a string");
    std::string value;
    a.read(a.getStrType(), value);
    return value;
  }

  long integer(const H5::H5Object& o, const std::string& name, const std::string& where) const {
    H5::Attribute a = attribute(o, name, where);
    if (a.getTypeClass() != H5T_INTEGER || a.getSpace().getSimpleExtentNpoints() != 1)
      fail("attribute '" + name + "' on " + where + " is not an integer");
    long v = 0;
    a.read(H5::PredType::NATIVE_LONG, &v);
    return v;
  }

  double number(const H5::H5Object& o, const std::string& name, const std::string& where) const {
    H5::Attribute a = attribute(o, name, where);
    if ((a.getTypeClass() != H5T_FLOAT && a.getTypeClass() != H5T_INTEGER) ||
        a.getSpace().getSimpleExtentNpoints() != 1)
      fail("attribute '" + name + "' on " + where + " is not a number");
    double v = 0;
    a.read(H5::PredType::NATIVE_DOUBLE, &v);
    return v;
  }

  std::vector<long> integers(const H5::H5Object& o, const std::string& name, const std::string& where) const {
    H5::Attribute a = attribute(o, name, where);
    if (a.getTypeClass() != H5T_INTEGER) fail("attribute '" + name + "' on " + where + " is not integers");
    std::vector<long> v(size_t(a.getSpace().getSimpleExtentNpoints()));
    if (!v.empty()) a.read(H5::PredType::NATIVE_LONG, v.data());
    return v;
  }

  std::vector<std::string> strings(const H5::H5Object& o, const std::string& name, const std::string& where) const {
    H5::Attribute a = attribute(o, name, where);
    if (a.getTypeClass() != H5T_STRING) fail("attribute '" + name + "' on " + where + " is not strings");
    const size_t n = size_t(a.getSpace().getSimpleExtentNpoints());
    H5::StrType t = a.getStrType();
    std::vector<std::string> out;
    if (t.isVariableStr()) {
      std::vector<char*> c(n, nullptr);
      if (n) a.read(t, c.data());
      for (char* s : c) out.emplace_back(s ? s : "");
      if (n) H5Dvlen_reclaim(t.getId(), a.getSpace().getId(), H5P_DEFAULT, c.data());
    } else {
      const size_t len = t.getSize();
      std::vector<char> buf(n * len);
      if (n) a.read(t, buf.data());
      for (size_t i = 0; i < n; ++i) out.emplace_back(std::string(buf.data() + i * len, strnlen(buf.data() + i * len, len)));
    }
    return out;
  }

  H5::DataSet dataset(const H5::Group& g, const std::string& name, const std::string& where) const {
    if (!g.nameExists(name)) fail("missing dataset " + where + name);
    return g.openDataSet(name);
  }

  Matrix<float> matrix(const H5::Group& g, const std::string& name, const std::string& where, long rows,
                       long cols) const {
    H5::DataSet ds = dataset(g, name, where);
    H5::DataSpace space = ds.getSpace();
    if (ds.getTypeClass() != H5T_FLOAT) fail(where + name + " is not floating point");
    hsize_t dims[2] = {0, 0};
    if (space.getSimpleExtentNdims() != 2) fail(where + name + " is not a matrix");
    space.getSimpleExtentDims(dims);
    if (long(dims[0]) != rows || long(dims[1]) != cols)
      fail(where + name + " has shape " + std::to_string(dims[0]) + "x" + std::to_string(dims[1]) +
           " but the architecture needs " + std::to_string(rows) + "x" + std::to_string(cols));
    RowMajor rm(rows, cols);
    ds.read(rm.data(), H5::PredType::NATIVE_FLOAT);
    if (!rm.allFinite()) fail(where + name + " holds NaN or infinite values");
    return rm;
  }

  template <typename T>
  std::vector<T> vector(const H5::Group& g, const std::string& name, const std::string& where,
                        const H5::PredType& memType) const {
    H5::DataSet ds = dataset(g, name, where);
    H5::DataSpace space = ds.getSpace();
    if (space.getSimpleExtentNdims() != 1) fail(where + name + " is not a vector");
    std::vector<T> v(size_t(space.getSimpleExtentNpoints()));
    if (!v.empty()) ds.read(v.data(), memType);
    return v;
  }

  std::vector<double> table(const H5::Group& g, const std::string& name, const std::string& where,
                            size_t columns) const {
    H5::DataSet ds = dataset(g, name, where);
    H5::DataSpace space = ds.getSpace();
    hsize_t dims[2] = {0, 0};
    if (space.getSimpleExtentNdims() != 2) fail(where + name + " is not a table");
    space.getSimpleExtentDims(dims);
    if (dims[1] != columns)
      fail(where + name + " has " + std::to_string(dims[1]) + " columns, expected " + std::to_string(columns));
    std::vector<double> v(size_t(dims[0] * dims[1]));
    if (!v.empty()) ds.read(v.data(), H5::PredType::NATIVE_DOUBLE);
    return v;
  }

 private:
  std::string path_;
};

Random::State rngFrom(const std::vector<long>& w, const Reader& r) {
  if (w.size() != 6) r.fail("a random generator state has " + std::to_string(w.size()) + " words, expected 6");
  Random::State s;
  for (int i = 0; i < 4; ++i) s.s[i] = uint64_t(w[i]);
  std::memcpy(&s.spare, &w[4], sizeof s.spare);
  s.hasSpare = w[5] != 0;
  return s;
}

}  // namespace

ModelFile captureModel(SemiSupervisedVae<float>& model, const std::vector<std::string>& classNames,
                       const DatasetInfo& dataset, Trainer* trainer, const LabelSet* labels) {
  ModelFile f;
  f.model = model.config();
  f.classNames = classNames;
  for (auto& p : model.parameters()) f.parameters.emplace_back(p.name, *p.value);
  f.dataset = dataset;
  if (trainer) {
    f.model.beta = trainer->targetBeta();  // not the warm-up's current value
    TrainingSnapshot t;
    t.config = trainer->config();
    t.state = trainer->state();
    Adam<float>& adam = trainer->optimiser();
    t.optimiser.config = adam.config();
    t.optimiser.steps = adam.steps();
    for (const auto& p : adam.parameters()) t.optimiser.names.push_back(p.name);
    t.optimiser.m = adam.firstMoments();
    t.optimiser.v = adam.secondMoments();
    f.training = std::move(t);
  }
  if (labels) f.labels = *labels->snapshot();
  return f;
}

void writeModelFile(const std::string& path, const ModelFile& f) {
  H5::Exception::dontPrint();
  const std::string tmp = path + ".part";
  try {
    {
      H5::H5File file(tmp, H5F_ACC_TRUNC);
      attr(file, "format", std::string(kModelFormatName));
      attr(file, "format_version", long(kModelFormatVersion));
      attr(file, "created_by", std::string("latentlab 0.1.0"));

      H5::Group arch = file.createGroup("architecture");
      const ModelConfig& m = f.model;
      attr(arch, "flavour", toString(m.flavour));
      attr(arch, "input_size", long(m.inputSize));
      attr(arch, "hidden", std::vector<long>(m.hidden.begin(), m.hidden.end()));
      attr(arch, "latent", long(m.latent));
      attr(arch, "classes", long(m.classes));
      attr(arch, "class_names", f.classNames);
      attr(arch, "activation", toString(m.activation));
      attr(arch, "objective", toString(m.objective));
      attr(arch, "likelihood", toString(m.likelihood));
      attr(arch, "alpha", m.alpha);
      attr(arch, "beta", m.beta);
      attr(arch, "gaussian_variance", m.gaussianVariance);

      H5::Group params = file.createGroup("parameters");
      std::vector<std::string> order;
      for (const auto& [name, value] : f.parameters) {
        writeMatrix(params, name, value);
        order.push_back(name);
      }
      attr(params, "order", order);

      H5::Group data = file.createGroup("dataset");
      attr(data, "name", f.dataset.name);
      attr(data, "fingerprint", f.dataset.fingerprint);
      attr(data, "samples", long(f.dataset.samples));
      attr(data, "height", long(f.dataset.height));
      attr(data, "width", long(f.dataset.width));

      H5::Group labels = file.createGroup("labels");
      std::vector<int32_t> idx, lab;
      std::vector<uint8_t> src;
      for (const auto& e : f.labels) {
        idx.push_back(e.index);
        lab.push_back(e.label);
        src.push_back(uint8_t(e.source));
      }
      writeVector(labels, "index", idx, H5::PredType::STD_I32LE, H5::PredType::NATIVE_INT32);
      writeVector(labels, "label", lab, H5::PredType::STD_I32LE, H5::PredType::NATIVE_INT32);
      writeVector(labels, "source", src, H5::PredType::STD_U8LE, H5::PredType::NATIVE_UINT8);
      attr(labels, "source_names", std::vector<std::string>{"initial", "user", "accepted-prediction", "dataset"});

      if (f.training) {
        const TrainingSnapshot& t = *f.training;
        H5::Group tr = file.createGroup("training");
        attr(tr, "epochs", long(t.config.epochs));
        attr(tr, "labelled_batch", long(t.config.labelledBatch));
        attr(tr, "unlabelled_batch", long(t.config.unlabelledBatch));
        attr(tr, "learning_rate", t.config.learningRate);
        attr(tr, "schedule", std::string(t.config.schedule == LearningRateSchedule::Cosine ? "cosine" : "constant"));
        attr(tr, "seed", long(t.config.seed));
        attr(tr, "supervised_only", long(t.config.supervisedOnly));
        attr(tr, "binarize", long(t.config.binarize));
        attr(tr, "steps_per_epoch", long(t.config.stepsPerEpoch));
        attr(tr, "eval_samples", long(t.config.evalSamples));
        attr(tr, "beta_warmup_epochs", t.config.betaWarmupEpochs);
        attr(tr, "epochs_done", long(t.state.epoch));
        attr(tr, "steps_done", t.state.step);
        attr(tr, "cursor", long(t.state.cursor));
        attr(tr, "data_rng", rngWords(t.state.dataRng));
        attr(tr, "noise_rng", rngWords(t.state.noiseRng));
        std::vector<int32_t> order32(t.state.order.begin(), t.state.order.end());
        writeVector(tr, "sample_order", order32, H5::PredType::STD_I32LE, H5::PredType::NATIVE_INT32);
        std::vector<double> steps, epochs;
        for (const auto& s : t.state.steps) {
          steps.insert(steps.end(), {double(s.step), double(s.epoch)});
          appendLosses(steps, s.losses);
        }
        for (const auto& e : t.state.epochs) {
          epochs.insert(epochs.end(), {double(e.epoch), double(e.step), e.seconds, e.testAccuracy, double(e.labels)});
          appendLosses(epochs, e.mean);
        }
        writeTable(tr, "step_losses", kStepColumns, steps);
        writeTable(tr, "epoch_metrics", kEpochColumns, epochs);

        H5::Group opt = file.createGroup("optimizer");
        attr(opt, "kind", std::string("adam"));
        attr(opt, "learning_rate", t.optimiser.config.learningRate);
        attr(opt, "beta1", t.optimiser.config.beta1);
        attr(opt, "beta2", t.optimiser.config.beta2);
        attr(opt, "epsilon", t.optimiser.config.epsilon);
        attr(opt, "steps", t.optimiser.steps);
        attr(opt, "parameters", t.optimiser.names);
        H5::Group mg = opt.createGroup("m"), vg = opt.createGroup("v");
        for (size_t i = 0; i < t.optimiser.names.size(); ++i) {
          writeMatrix(mg, t.optimiser.names[i], t.optimiser.m[i]);
          writeMatrix(vg, t.optimiser.names[i], t.optimiser.v[i]);
        }
      }
      file.flush(H5F_SCOPE_GLOBAL);
    }
    fs::rename(tmp, path);  // atomic on one file system
  } catch (const H5::Exception& e) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw Error("ModelFile", fs::path(path).filename().string() + ": cannot write (" + e.getDetailMsg() + ")");
  } catch (const fs::filesystem_error& e) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw Error("ModelFile", fs::path(path).filename().string() + ": cannot write (" + e.what() + ")");
  }
}

ModelFile readModelFile(const std::string& path) {
  H5::Exception::dontPrint();
  Reader r(path);
  if (!fs::is_regular_file(path)) r.fail("no such file");
  ModelFile f;
  try {
    if (H5Fis_hdf5(path.c_str()) <= 0) r.fail("not an HDF5 file (or a truncated one)");
    H5::H5File file(path, H5F_ACC_RDONLY);
    H5::Group root = file.openGroup("/");
    if (!root.attrExists("format")) r.fail("not a Latentlab model file (an HDF5 file without a 'format' attribute)");
    const std::string format = r.string(root, "format", "/");
    if (format != kModelFormatName) r.fail("not a Latentlab model file (format '" + format + "')");
    const long version = r.integer(root, "format_version", "/");
    if (version > kModelFormatVersion)
      r.fail("format version " + std::to_string(version) + " is newer than this Latentlab reads (" +
             std::to_string(kModelFormatVersion) + "); update Latentlab");
    if (version < 1) r.fail("invalid format version " + std::to_string(version));

    H5::Group arch = r.group(root, "architecture", "/");
    const std::string where = "/architecture";
    ModelConfig& m = f.model;
    try {
      m.flavour = flavourFromString(r.string(arch, "flavour", where));
      m.activation = activationFromString(r.string(arch, "activation", where));
      m.objective = objectiveFromString(r.string(arch, "objective", where));
    } catch (const Error& e) {
      r.fail(e.what());
    }
    const std::string likelihood = r.string(arch, "likelihood", where);
    if (likelihood != "bernoulli" && likelihood != "gaussian") r.fail("unknown likelihood '" + likelihood + "'");
    m.likelihood = likelihood == "bernoulli" ? Likelihood::Bernoulli : Likelihood::Gaussian;
    m.inputSize = int(r.integer(arch, "input_size", where));
    m.hidden.clear();
    for (long h : r.integers(arch, "hidden", where)) m.hidden.push_back(int(h));
    m.latent = int(r.integer(arch, "latent", where));
    m.classes = int(r.integer(arch, "classes", where));
    m.alpha = r.number(arch, "alpha", where);
    m.beta = r.number(arch, "beta", where);
    m.gaussianVariance = r.number(arch, "gaussian_variance", where);
    try {
      m.validate();
    } catch (const Error& e) {
      r.fail(std::string("architecture: ") + e.what());
    }
    f.classNames = r.strings(arch, "class_names", where);
    if (int(f.classNames.size()) != m.classes)
      r.fail(std::to_string(f.classNames.size()) + " class names for " + std::to_string(m.classes) + " classes");

    // Shapes come from a model built with this architecture; the file must match it exactly.
    SemiSupervisedVae<float> shapeOf(m, 0);
    H5::Group params = r.group(root, "parameters", "/");
    for (auto& p : shapeOf.parameters())
      f.parameters.emplace_back(p.name, r.matrix(params, p.name, "/parameters/", p.value->rows(), p.value->cols()));

    H5::Group data = r.group(root, "dataset", "/");
    f.dataset.name = r.string(data, "name", "/dataset");
    f.dataset.fingerprint = r.string(data, "fingerprint", "/dataset");
    f.dataset.samples = int(r.integer(data, "samples", "/dataset"));
    f.dataset.height = int(r.integer(data, "height", "/dataset"));
    f.dataset.width = int(r.integer(data, "width", "/dataset"));

    H5::Group labels = r.group(root, "labels", "/");
    const auto idx = r.vector<int32_t>(labels, "index", "/labels/", H5::PredType::NATIVE_INT32);
    const auto lab = r.vector<int32_t>(labels, "label", "/labels/", H5::PredType::NATIVE_INT32);
    const auto src = r.vector<uint8_t>(labels, "source", "/labels/", H5::PredType::NATIVE_UINT8);
    if (idx.size() != lab.size() || idx.size() != src.size()) r.fail("/labels/ index, label and source differ in length");
    for (size_t i = 0; i < idx.size(); ++i) {
      if (idx[i] < 0 || (f.dataset.samples > 0 && idx[i] >= f.dataset.samples))
        r.fail("/labels/index " + std::to_string(idx[i]) + " is outside the data set");
      if (lab[i] < 0 || lab[i] >= m.classes) r.fail("/labels/label " + std::to_string(lab[i]) + " is not a class");
      if (src[i] > uint8_t(LabelSource::Dataset)) r.fail("/labels/source " + std::to_string(src[i]) + " is unknown");
      f.labels.push_back({idx[i], lab[i], LabelSource(src[i])});
    }

    if (root.nameExists("training")) {
      TrainingSnapshot t;
      H5::Group tr = r.group(root, "training", "/");
      const std::string w = "/training";
      t.config.epochs = int(r.integer(tr, "epochs", w));
      t.config.labelledBatch = int(r.integer(tr, "labelled_batch", w));
      t.config.unlabelledBatch = int(r.integer(tr, "unlabelled_batch", w));
      t.config.learningRate = r.number(tr, "learning_rate", w);
      t.config.schedule = r.string(tr, "schedule", w) == "cosine" ? LearningRateSchedule::Cosine
                                                                  : LearningRateSchedule::Constant;
      t.config.seed = uint64_t(r.integer(tr, "seed", w));
      t.config.supervisedOnly = r.integer(tr, "supervised_only", w) != 0;
      t.config.binarize = r.integer(tr, "binarize", w) != 0;
      t.config.stepsPerEpoch = int(r.integer(tr, "steps_per_epoch", w));
      t.config.evalSamples = int(r.integer(tr, "eval_samples", w));
      t.config.betaWarmupEpochs = r.number(tr, "beta_warmup_epochs", w);
      t.state.epoch = int(r.integer(tr, "epochs_done", w));
      t.state.step = r.integer(tr, "steps_done", w);
      t.state.cursor = int(r.integer(tr, "cursor", w));
      t.state.dataRng = rngFrom(r.integers(tr, "data_rng", w), r);
      t.state.noiseRng = rngFrom(r.integers(tr, "noise_rng", w), r);
      const auto order = r.vector<int32_t>(tr, "sample_order", w + "/", H5::PredType::NATIVE_INT32);
      t.state.order.assign(order.begin(), order.end());
      const auto steps = r.table(tr, "step_losses", w + "/", kStepColumns.size());
      for (size_t i = 0; i < steps.size(); i += kStepColumns.size())
        t.state.steps.push_back({long(steps[i]), int(steps[i + 1]), lossesFrom(&steps[i + 2])});
      const auto epochs = r.table(tr, "epoch_metrics", w + "/", kEpochColumns.size());
      for (size_t i = 0; i < epochs.size(); i += kEpochColumns.size()) {
        EpochReport e;
        e.epoch = int(epochs[i]);
        e.step = long(epochs[i + 1]);
        e.seconds = epochs[i + 2];
        e.testAccuracy = epochs[i + 3];
        e.labels = size_t(epochs[i + 4]);
        e.mean = lossesFrom(&epochs[i + 5]);
        t.state.epochs.push_back(e);
      }

      H5::Group opt = r.group(root, "optimizer", "/");
      t.optimiser.config.learningRate = r.number(opt, "learning_rate", "/optimizer");
      t.optimiser.config.beta1 = r.number(opt, "beta1", "/optimizer");
      t.optimiser.config.beta2 = r.number(opt, "beta2", "/optimizer");
      t.optimiser.config.epsilon = r.number(opt, "epsilon", "/optimizer");
      t.optimiser.steps = r.integer(opt, "steps", "/optimizer");
      t.optimiser.names = r.strings(opt, "parameters", "/optimizer");
      H5::Group mg = r.group(opt, "m", "/optimizer/"), vg = r.group(opt, "v", "/optimizer/");
      std::map<std::string, const Matrix<float>*> shapes;
      for (const auto& [name, value] : f.parameters) shapes[name] = &value;
      for (const auto& name : t.optimiser.names) {
        auto it = shapes.find(name);
        if (it == shapes.end()) r.fail("/optimizer names an unknown parameter '" + name + "'");
        t.optimiser.m.push_back(r.matrix(mg, name, "/optimizer/m/", it->second->rows(), it->second->cols()));
        t.optimiser.v.push_back(r.matrix(vg, name, "/optimizer/v/", it->second->rows(), it->second->cols()));
      }
      f.training = std::move(t);
    }
  } catch (const H5::Exception& e) {
    r.fail("unreadable (" + e.getDetailMsg() + "); the file may be truncated or damaged");
  }
  return f;
}

std::unique_ptr<SemiSupervisedVae<float>> instantiateModel(const ModelFile& f) {
  auto model = std::make_unique<SemiSupervisedVae<float>>(f.model, 0);
  auto params = model->parameters();
  if (params.size() != f.parameters.size()) throw Error("ModelFile", "parameter count does not match the architecture");
  for (size_t i = 0; i < params.size(); ++i) {
    if (params[i].name != f.parameters[i].first ||
        params[i].value->rows() != f.parameters[i].second.rows() ||
        params[i].value->cols() != f.parameters[i].second.cols())
      throw Error("ModelFile", "parameter " + f.parameters[i].first + " does not fit the architecture");
    *params[i].value = f.parameters[i].second;
  }
  return model;
}

void restoreTraining(const ModelFile& f, Trainer& trainer) {
  if (!f.training) throw Error("ModelFile", "the file holds no training state to resume");
  const TrainingSnapshot& t = *f.training;
  Adam<float>& adam = trainer.optimiser();
  const auto& params = adam.parameters();
  if (params.size() != t.optimiser.names.size())
    throw Error("ModelFile", "the optimiser state covers " + std::to_string(t.optimiser.names.size()) +
                                 " parameters, the trainer " + std::to_string(params.size()));
  for (size_t i = 0; i < params.size(); ++i)
    if (params[i].name != t.optimiser.names[i])
      throw Error("ModelFile", "optimiser parameter " + t.optimiser.names[i] + " is not the trainer's " + params[i].name);
  trainer.restore(t.state);  // validates the sample order before anything is changed below
  adam.firstMoments() = t.optimiser.m;
  adam.secondMoments() = t.optimiser.v;
  adam.setSteps(t.optimiser.steps);
}

}  // namespace latentlab
