#include "engine/data/DataSource.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "engine/core/Error.h"
#include "engine/data/ClassLabels.h"
#include "engine/data/HoldOut.h"
#include "engine/data/Mnist.h"
#include "engine/data/NumpyFile.h"
#include "engine/data/SequentialMnist.h"
#include "engine/data/TextFile.h"
#include "engine/data/TsFile.h"
#include "engine/data/UciHar.h"

namespace latentlab {
namespace fs = std::filesystem;
namespace {

ArrayContainerOpener& hdf5Opener() {
  static ArrayContainerOpener opener = nullptr;
  return opener;
}

[[noreturn]] void fail(const std::string& what) { throw Error("DataSource", what); }

std::string lowerExtension(const std::string& path) {
  std::string e = fs::path(path).extension().string();
  for (char& c : e) c = char(std::tolower(static_cast<unsigned char>(c)));
  return e;
}

bool hasIdx(const fs::path& folder) {
  std::error_code ec;
  return fs::is_regular_file(folder / "train-images-idx3-ubyte", ec) ||
         fs::is_regular_file(folder / "train-images-idx3-ubyte.gz", ec);
}

bool endsWith(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// NAME_TRAIN.ts files in folder with NAME_TEST.ts beside them, sorted.
std::vector<std::string> tsPairs(const fs::path& folder) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    const std::string name = entry.path().filename().string();
    if (!endsWith(name, "_TRAIN.ts")) continue;
    const std::string stem = name.substr(0, name.size() - 9);
    if (fs::is_regular_file(folder / (stem + "_TEST.ts"), ec)) out.push_back((folder / name).string());
    if (out.size() > 1000) break;
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string sniff(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char b[8] = {};
  in.read(b, 8);
  return std::string(b, size_t(in.gcount()));
}

std::string testTwin(const std::string& trainTs) {  // NAME_TRAIN.ts -> NAME_TEST.ts when it exists
  const std::string name = fs::path(trainTs).filename().string();
  if (!endsWith(name, "_TRAIN.ts")) return {};
  const fs::path twin = fs::path(trainTs).parent_path() / (name.substr(0, name.size() - 9) + "_TEST.ts");
  std::error_code ec;
  return fs::is_regular_file(twin, ec) ? twin.string() : std::string();
}

std::unique_ptr<ArrayContainer> openContainer(const std::string& path, DataFormat f) {
  if (f == DataFormat::Npz) return std::make_unique<NpzFile>(path);
  if (!hdf5Opener())
    fail(fs::path(path).filename().string() + ": HDF5 data needs the latentlab_io library, which is not linked");
  return hdf5Opener()(path);
}

// The first of names that c holds; empty when none.
std::string firstPresent(const ArrayContainer& c, std::initializer_list<const char*> names) {
  for (const char* n : names)
    if (c.has(n)) return n;
  return {};
}

std::string arrayList(const ArrayContainer& c) {
  std::string s;
  const auto arrays = c.list();
  for (size_t i = 0; i < arrays.size() && i < 12; ++i) s += (i ? ", " : "") + arrays[i].name;
  if (arrays.size() > 12) s += ", ...";
  return s.empty() ? "none" : s;
}

// One file's samples and raw labels, before classes are assigned.
struct Part {
  Dataset data;
  RawLabels labels;
  std::string what;  // "x (float32 500 x 8 x 8), y" / "label column 'species'"
};

Part fromArrays(const ArrayContainer& c, const std::string& xName, const std::string& yName, SampleLayout layout) {
  Part p;
  const RawArray x = c.read(xName);
  ArraySamples s = samplesFromArray(x, layout);
  p.data.x = std::move(s.x);
  p.data.shape = s.shape;
  p.what = xName + " (" + x.describe() + ")";
  if (!yName.empty()) {
    p.labels = labelsFromArray(c.read(yName), p.data.size(), c.path());
    p.what += ", labels " + yName;
  }
  return p;
}

// X and y of a single file, by the request's names.
Part loadPart(const std::string& path, DataFormat f, const DataRequest& r) {
  const std::string file = fs::path(path).filename().string();
  if (f == DataFormat::Csv) {
    CsvData csv = readCsv(path, {r.labelColumn, r.header});
    Part p;
    const int D = int(csv.x.rows());
    if (r.layout == SampleLayout::Image) fail(file + ": CSV rows are vectors (or sequences); they have no image shape");
    p.data.shape = r.layout == SampleLayout::Sequence ? SampleShape::sequence(D, 1) : SampleShape::vector(D);
    p.data.x = std::move(csv.x);
    p.labels = std::move(csv.labels);
    p.what = std::to_string(D) + " columns" + (p.labels.size() ? ", label column " + quoteText(csv.labelName) : "");
    return p;
  }
  if (f == DataFormat::Npy) {
    if (!r.x.empty()) fail(file + ": an .npy file holds one array; --x names arrays in .npz and HDF5 files");
    const RawArray x = readNpy(path);
    ArraySamples s = samplesFromArray(x, r.layout);
    Part p;
    p.data.x = std::move(s.x);
    p.data.shape = s.shape;
    p.what = x.describe();
    if (!r.y.empty() && r.y != "none") {  // y: an .npy file of labels
      if (lowerExtension(r.y) != ".npy") fail(file + ": for an .npy X, y is an .npy file of labels, not '" + r.y + "'");
      fs::path yPath(r.y);
      if (yPath.is_relative() && !fs::exists(yPath)) yPath = fs::path(path).parent_path() / yPath;
      p.labels = labelsFromArray(readNpy(yPath.string()), p.data.size(), yPath.string());
      p.what += ", labels " + yPath.filename().string();
    }
    return p;
  }
  if (f != DataFormat::Npz && f != DataFormat::Hdf5)
    fail(file + ": a " + toString(f) + " file cannot be a split of array or CSV data");
  const auto c = openContainer(path, f);
  std::string xName = r.x.empty() ? firstPresent(*c, {"x", "X"}) : r.x;
  if (xName.empty()) fail(file + ": no array named x or X (arrays: " + arrayList(*c) + "); choose one with --x NAME");
  if (!c->has(xName)) fail(file + ": no array named '" + xName + "' (arrays: " + arrayList(*c) + ")");
  std::string yName;
  if (r.y.empty())
    yName = firstPresent(*c, {"y", "Y", "labels"});
  else if (r.y != "none") {
    if (!c->has(r.y)) fail(file + ": no array named '" + r.y + "' (arrays: " + arrayList(*c) + ")");
    yName = r.y;
  }
  return fromArrays(*c, xName, yName, r.layout);
}

std::string labelText(const Dataset& d) {
  return d.hasLabels() ? std::to_string(d.classes) + " classes" : "unlabelled";
}

DataSplit openSampleFiles(const DataRequest& r, DataFormat f, const std::vector<std::string>& names) {
  Part train, test;
  bool haveTest = false;
  std::string split;
  if ((f == DataFormat::Npz || f == DataFormat::Hdf5) && r.x.empty() && r.testPath.empty()) {
    const auto c = openContainer(r.path, f);
    if (!c->has("x") && !c->has("X") && c->has("x_train") && c->has("x_test")) {  // Keras' layout
      const bool labelled = r.y != "none";
      train = fromArrays(*c, "x_train", labelled && c->has("y_train") ? "y_train" : "", r.layout);
      test = fromArrays(*c, "x_test", labelled && c->has("y_test") ? "y_test" : "", r.layout);
      haveTest = true;
      split = "test: x_test";
    }
  }
  if (!haveTest) {
    train = loadPart(r.path, f, r);
    if (!r.testPath.empty()) {
      const DataFormat tf = detectFormat(r.testPath);
      test = loadPart(r.testPath, tf, r);
      haveTest = true;
      split = "test: " + fs::path(r.testPath).filename().string();
    }
  }
  DataSplit s;
  s.source = r.path;
  if (haveTest) {
    if (train.data.shape != test.data.shape)
      fail((r.testPath.empty() ? fs::path(r.path).filename().string() + ": x_test"
                               : fs::path(r.testPath).filename().string()) +
           ": test samples are " + test.data.shape.describe() + " but training samples are " +
           train.data.shape.describe());
    assignClasses(train.labels, test.labels, names, r.classesPath, train.data, test.data);
    s.train = std::move(train.data);
    s.test = std::move(test.data);
  } else {
    Dataset unused;
    assignClasses(train.labels, RawLabels{}, names, r.classesPath, train.data, unused);
    s = holdOut(train.data, r.testFraction, r.splitSeed);
    s.source = r.path;
    char buf[96];
    std::snprintf(buf, sizeof buf, "test: %g%% held out%s, seed %llu", 100 * r.testFraction,
                  s.train.hasLabels() ? " per class" : "", (unsigned long long)r.splitSeed);
    split = buf;
  }
  s.description = r.path + " (" + toString(f) + " " + train.what + ", " + s.train.shape.describe() + ", " +
                  labelText(s.train) + "; " + split + ")";
  return s;
}

}  // namespace

std::string toString(DataFormat f) {
  switch (f) {
    case DataFormat::Idx:
      return "IDX";
    case DataFormat::MnistRows:
      return kMnistRowsName;
    case DataFormat::UciHar:
      return "UCI HAR";
    case DataFormat::TsPair:
      return ".ts pair";
    case DataFormat::Ts:
      return ".ts";
    case DataFormat::Npy:
      return ".npy";
    case DataFormat::Npz:
      return ".npz";
    case DataFormat::Csv:
      return "CSV";
    case DataFormat::Hdf5:
      return "HDF5";
  }
  return "?";
}

void setHdf5Opener(ArrayContainerOpener opener) { hdf5Opener() = opener; }

DataFormat detectFormat(const std::string& path) {
  std::string folder;
  if (parseMnistRowsName(path, folder)) return DataFormat::MnistRows;
  std::error_code ec;
  if (path.empty()) fail("no data path given");
  if (!fs::exists(path, ec)) fail(path + ": no such file or folder");
  if (fs::is_directory(path, ec)) {
    if (hasIdx(path)) return DataFormat::Idx;
    if (!findUciHarFolder(path).empty()) return DataFormat::UciHar;
    const auto pairs = tsPairs(path);
    if (pairs.size() == 1) return DataFormat::TsPair;
    if (pairs.size() > 1)
      fail(path + ": several NAME_TRAIN.ts / NAME_TEST.ts pairs (" + fs::path(pairs[0]).filename().string() + ", " +
           fs::path(pairs[1]).filename().string() + (pairs.size() > 2 ? ", ..." : "") +
           "): open one NAME_TRAIN.ts file");
    fail(path +
         ": not a data folder (no IDX files train-images-idx3-ubyte..., no UCI HAR Dataset with "
         "train/Inertial Signals, no NAME_TRAIN.ts with NAME_TEST.ts)");
  }
  if (!fs::is_regular_file(path, ec)) fail(path + ": neither a file nor a folder");
  const std::string e = lowerExtension(path);
  if (e == ".npy") return DataFormat::Npy;
  if (e == ".npz") return DataFormat::Npz;
  if (e == ".csv" || e == ".tsv" || e == ".txt") return DataFormat::Csv;
  if (e == ".ts") return DataFormat::Ts;
  if (e == ".h5" || e == ".hdf5" || e == ".he5" || e == ".hdf") return DataFormat::Hdf5;
  const std::string magic = sniff(path);
  if (magic.compare(0, 6, "\x93NUMPY") == 0) return DataFormat::Npy;
  if (magic.compare(0, 4, "PK\x03\x04") == 0 || magic.compare(0, 4, "PK\x05\x06") == 0) return DataFormat::Npz;
  if (magic == "\x89HDF\r\n\x1a\n") return DataFormat::Hdf5;
  fail(path + ": unknown kind of data file (.npy, .npz, .csv, .tsv, .txt, .ts, .h5, .hdf5; or a data folder)");
}

DataSplit openData(const DataRequest& r) {
  const DataFormat f = detectFormat(r.path);
  const std::vector<std::string> names =
      r.classesPath.empty() ? std::vector<std::string>{} : readClassNames(r.classesPath);
  const bool folderFormat =
      f == DataFormat::Idx || f == DataFormat::MnistRows || f == DataFormat::UciHar || f == DataFormat::TsPair;
  if (folderFormat && !r.testPath.empty())
    fail("a second test file applies to single files; " + r.path + " brings its own test split");
  DataSplit s;
  switch (f) {
    case DataFormat::Idx:
    case DataFormat::MnistRows: {
      std::string folder;
      if (f == DataFormat::MnistRows) {
        parseMnistRowsName(r.path, folder);
        if (folder.empty()) folder = r.defaultMnist;
      } else {
        folder = r.path;
      }
      const int classes = names.empty() ? r.idxClasses : int(names.size());
      s = f == DataFormat::MnistRows ? loadMnistRows(folder, classes) : loadIdxFolder(folder, classes);
      if (f == DataFormat::Idx)
        s.description = folder + " (IDX, " + s.train.shape.describe() + ", " + labelText(s.train) + ")";
      break;
    }
    case DataFormat::UciHar:
      s = loadUciHar(findUciHarFolder(r.path));
      break;
    case DataFormat::TsPair:
      s = loadTsPair(tsPairs(r.path).front(), testTwin(tsPairs(r.path).front()));
      break;
    case DataFormat::Ts: {
      const std::string twin = r.testPath.empty() ? testTwin(r.path) : r.testPath;
      if (!twin.empty()) {
        s = loadTsPair(r.path, twin);
        break;
      }
      const TsFile ts = readTsFile(r.path);
      const Dataset all = tsToDataset(ts, ts.maxLength);
      s = holdOut(all, r.testFraction, r.splitSeed);
      char buf[96];
      std::snprintf(buf, sizeof buf, "; test: %g%% held out%s, seed %llu", 100 * r.testFraction,
                    all.hasLabels() ? " per class" : "", (unsigned long long)r.splitSeed);
      s.description = (ts.problemName.empty() ? r.path : ts.problemName) + " (.ts, " + all.shape.describe() +
                      (ts.minLength != ts.maxLength ? ", lengths " + std::to_string(ts.minLength) + "-" +
                                                          std::to_string(ts.maxLength) + " resampled"
                                                    : "") +
                      ", " + labelText(all) + buf + ")";
      break;
    }
    case DataFormat::Npy:
    case DataFormat::Npz:
    case DataFormat::Csv:
    case DataFormat::Hdf5:
      s = openSampleFiles(r, f, names);
      break;
  }
  s.source = r.path;
  const bool declared = f != DataFormat::Npy && f != DataFormat::Npz && f != DataFormat::Csv && f != DataFormat::Hdf5;
  if (declared && !names.empty()) renameClasses(s.train, s.test, names, r.classesPath);
  if (s.train.size() == 0) fail(r.path + ": no training samples");
  return s;
}

std::vector<ArrayInfo> listArrays(const std::string& path) {
  const DataFormat f = detectFormat(path);
  if (f == DataFormat::Npy) return {npyInfo(path)};
  if (f == DataFormat::Npz || f == DataFormat::Hdf5) return openContainer(path, f)->list();
  fail(path + ": a " + toString(f) + " source holds no named arrays");
}

}  // namespace latentlab
