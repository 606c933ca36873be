#pragma once
// Helpers for the model file tests: edit a written file as an attacker or a bad disk would (replace an
// attribute or a dataset, flip a byte of a dataset's stored data), build a tiny model file quickly, and compare
// two ModelFiles field by field.
#include <hdf5.h>

#include <QByteArray>
#include <QFile>
#include <QString>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "engine/data/LabelSet.h"
#include "engine/io/ModelFile.h"
#include "engine/train/RecordFields.h"

namespace crafting {

using namespace latentlab;

// Replaces attribute `name` of the object at `object` ("/", "/training", "/parameters/x") with one of the given
// type, dataspace and raw value.
inline void replaceAttribute(const QString& file, const char* object, const char* name, hid_t type, hid_t space,
                             const void* value) {
  const hid_t f = H5Fopen(file.toLocal8Bit().constData(), H5F_ACC_RDWR, H5P_DEFAULT);
  const hid_t o = H5Oopen(f, object, H5P_DEFAULT);
  if (H5Aexists(o, name) > 0) H5Adelete(o, name);
  const hid_t a = H5Acreate2(o, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  if (value) H5Awrite(a, type, value);
  H5Aclose(a);
  H5Sclose(space);
  H5Oclose(o);
  H5Fclose(f);
}

inline void setInteger(const QString& file, const char* object, const char* name, int64_t v) {
  replaceAttribute(file, object, name, H5T_NATIVE_INT64, H5Screate(H5S_SCALAR), &v);
}
inline void setIntegers(const QString& file, const char* object, const char* name, std::vector<int64_t> v) {
  const hsize_t n = v.size();
  replaceAttribute(file, object, name, H5T_NATIVE_INT64, H5Screate_simple(1, &n, nullptr), v.data());
}
// A fixed-length string, or a variable-length one as version-1 files hold.
inline void setString(const QString& file, const char* object, const char* name, const std::string& v,
                      bool variable = false) {
  const hid_t t = H5Tcopy(H5T_C_S1);
  if (variable) {
    H5Tset_size(t, H5T_VARIABLE);
    const char* c = v.c_str();
    replaceAttribute(file, object, name, t, H5Screate(H5S_SCALAR), &c);
  } else {
    H5Tset_size(t, std::max<size_t>(1, v.size()));
    replaceAttribute(file, object, name, t, H5Screate(H5S_SCALAR), v.c_str());
  }
  H5Tclose(t);
}

// Replaces the dataset at `path` by one of the given type and shape; chunked with Fletcher32 (as version 2
// writes) or contiguous; data may be null (declared, never written).
inline void replaceDataset(const QString& file, const char* path, hid_t type, std::vector<hsize_t> dims,
                           const void* data, bool checksummed = true) {
  const hid_t f = H5Fopen(file.toLocal8Bit().constData(), H5F_ACC_RDWR, H5P_DEFAULT);
  H5Ldelete(f, path, H5P_DEFAULT);
  const hid_t space = H5Screate_simple(int(dims.size()), dims.data(), nullptr);
  const hid_t plist = H5Pcreate(H5P_DATASET_CREATE);
  if (checksummed) {
    std::vector<hsize_t> chunk(dims.size(), 1);
    chunk.back() = std::min<hsize_t>(dims.back(), 1024);
    H5Pset_chunk(plist, int(chunk.size()), chunk.data());
    H5Pset_fletcher32(plist);
  }
  const hid_t ds = H5Dcreate2(f, path, type, space, H5P_DEFAULT, plist, H5P_DEFAULT);
  if (data) H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
  H5Dclose(ds);
  H5Pclose(plist);
  H5Sclose(space);
  H5Fclose(f);
}

// Where the first chunk of a chunked dataset's data lies in the file: (offset, bytes).
inline std::pair<qint64, qint64> firstChunk(const QString& file, const char* path) {
  const hid_t f = H5Fopen(file.toLocal8Bit().constData(), H5F_ACC_RDONLY, H5P_DEFAULT);
  const hid_t ds = H5Dopen2(f, path, H5P_DEFAULT);
  hsize_t offset[2] = {0, 0}, size = 0;
  haddr_t address = 0;
  unsigned mask = 0;
  const hid_t space = H5Dget_space(ds);
  H5Dget_chunk_info(ds, space, 0, offset, &mask, &address, &size);
  H5Sclose(space);
  H5Dclose(ds);
  H5Fclose(f);
  return {qint64(address), qint64(size)};
}

// Where datasets' raw data lie in the file: (offset, bytes) of every contiguous dataset and every chunk.
inline std::vector<std::pair<qint64, qint64>> rawData(const QString& file) {
  std::vector<std::pair<qint64, qint64>> ranges;
  const hid_t f = H5Fopen(file.toLocal8Bit().constData(), H5F_ACC_RDONLY, H5P_DEFAULT);
  H5Ovisit(
      f, H5_INDEX_NAME, H5_ITER_NATIVE,
      [](hid_t root, const char* name, const H5O_info_t* info, void* out) -> herr_t {
        if (info->type != H5O_TYPE_DATASET) return 0;
        auto& r = *static_cast<std::vector<std::pair<qint64, qint64>>*>(out);
        const hid_t ds = H5Dopen2(root, name, H5P_DEFAULT);
        const haddr_t at = H5Dget_offset(ds);
        if (at != HADDR_UNDEF) {
          r.push_back({qint64(at), qint64(H5Dget_storage_size(ds))});
        } else {
          const hid_t space = H5Dget_space(ds);
          hsize_t n = 0;
          if (H5Dget_num_chunks(ds, space, &n) >= 0)
            for (hsize_t i = 0; i < n; ++i) {
              hsize_t offset[2] = {0, 0}, size = 0;
              haddr_t address = 0;
              unsigned mask = 0;
              H5Dget_chunk_info(ds, space, i, offset, &mask, &address, &size);
              r.push_back({qint64(address), qint64(size)});
            }
          H5Sclose(space);
        }
        H5Dclose(ds);
        return 0;
      },
      &ranges);
  H5Fclose(f);
  return ranges;
}

inline void flipByte(const QString& file, qint64 at) {
  QFile f(file);
  f.open(QIODevice::ReadWrite);
  f.seek(at);
  char c = 0;
  f.getChar(&c);
  f.seek(at);
  f.putChar(char(c ^ 0x5a));
}

// A model of 16 inputs, 8 hidden units, 2 latents and 3 classes, trained 3 steps on 40 made-up samples: a file
// of a few tens of KB, mostly metadata, for byte-flip sweeps.
inline ModelFile tinyModelFile() {
  DataSplit data;
  data.source = "made-up";
  Random rng(7);
  for (Dataset* d : {&data.train, &data.test}) {
    d->x = Matrix<float>(16, 40);
    for (Eigen::Index i = 0; i < d->x.size(); ++i) d->x.data()[i] = float(rng.uniform());
    for (int i = 0; i < 40; ++i) d->labels.push_back(i % 3);
    d->height = d->width = 4;
    d->classes = 3;
    d->classNames = {"a", "b", "c"};
  }
  ModelConfig m;
  m.inputSize = 16;
  m.hidden = {8};
  m.latent = 2;
  m.classes = 3;
  SemiSupervisedVae<float> model(m, 1);
  LabelSet labels = allLabels(data.train.labels);
  TrainConfig tc;
  tc.epochs = 1;
  tc.stepsPerEpoch = 3;
  tc.labelledBatch = 4;
  tc.unlabelledBatch = 8;
  Trainer trainer(model, data, labels, tc);
  trainer.run();
  return captureModel(model, data.train.classNames, {data.source, "fnv1a64:0123456789abcdef", 40, 4, 4}, &trainer,
                      &labels);
}

inline bool same(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

template <typename Record>
bool sameRecords(const std::vector<Record>& a, const std::vector<Record>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    for (int c = 0; c < columnCount<Record>(); ++c)
      if (!same(columnValue(a[i], c), columnValue(b[i], c))) return false;
  return true;
}

inline bool sameRng(const Random::State& a, const Random::State& b) {
  return a.s == b.s && std::memcmp(&a.spare, &b.spare, sizeof a.spare) == 0 && a.hasSpare == b.hasSpare;
}

// Everything a file holds, compared exactly ("" when equal, else the first difference).
inline std::string difference(const ModelFile& a, const ModelFile& b) {
  const ModelConfig &m = a.model, &n = b.model;
  if (m.flavour != n.flavour || m.inputSize != n.inputSize || m.hidden != n.hidden || m.latent != n.latent ||
      m.classes != n.classes || m.activation != n.activation || m.objective != n.objective ||
      m.likelihood != n.likelihood || m.alpha != n.alpha || m.beta != n.beta ||
      m.gaussianVariance != n.gaussianVariance)
    return "architecture";
  if (a.classNames != b.classNames) return "class names";
  if (a.decoderTrained != b.decoderTrained) return "decoder_trained";
  if (a.parameters.size() != b.parameters.size()) return "parameter count";
  for (size_t i = 0; i < a.parameters.size(); ++i)
    if (a.parameters[i].first != b.parameters[i].first || a.parameters[i].second != b.parameters[i].second)
      return "parameter " + a.parameters[i].first;
  const DatasetInfo &d = a.dataset, &e = b.dataset;
  if (d.name != e.name || d.fingerprint != e.fingerprint || d.samples != e.samples || d.height != e.height ||
      d.width != e.width)
    return "dataset";
  if (a.labels.size() != b.labels.size()) return "label count";
  for (size_t i = 0; i < a.labels.size(); ++i)
    if (a.labels[i].index != b.labels[i].index || a.labels[i].label != b.labels[i].label ||
        a.labels[i].source != b.labels[i].source)
      return "label " + std::to_string(i);
  if (a.training.has_value() != b.training.has_value()) return "training present";
  if (!a.training) return "";
  const TrainingSnapshot &s = *a.training, &t = *b.training;
  const TrainConfig &c = s.config, &k = t.config;
  if (c.epochs != k.epochs || c.labelledBatch != k.labelledBatch || c.unlabelledBatch != k.unlabelledBatch ||
      c.learningRate != k.learningRate || c.schedule != k.schedule || c.seed != k.seed ||
      c.supervisedOnly != k.supervisedOnly || c.binarize != k.binarize || c.stepsPerEpoch != k.stepsPerEpoch ||
      c.betaWarmupEpochs != k.betaWarmupEpochs || c.evalSamples != k.evalSamples)
    return "training configuration";
  if (s.state.epoch != t.state.epoch || s.state.step != t.state.step || s.state.cursor != t.state.cursor ||
      s.state.order != t.state.order || !sameRng(s.state.dataRng, t.state.dataRng) ||
      !sameRng(s.state.noiseRng, t.state.noiseRng))
    return "training position";
  if (!sameRecords(s.state.steps, t.state.steps)) return "step history";
  if (!sameRecords(s.state.epochs, t.state.epochs)) return "epoch history";
  const OptimiserState &o = s.optimiser, &p = t.optimiser;
  if (o.config.learningRate != p.config.learningRate || o.config.beta1 != p.config.beta1 ||
      o.config.beta2 != p.config.beta2 || o.config.epsilon != p.config.epsilon || o.steps != p.steps ||
      o.names != p.names || o.m != p.m || o.v != p.v)
    return "optimiser";
  return "";
}

}  // namespace crafting
