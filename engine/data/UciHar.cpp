#include "engine/data/UciHar.h"

#include <cmath>
#include <filesystem>

#include "engine/core/Error.h"
#include "engine/data/DataLimits.h"
#include "engine/data/TextFile.h"

namespace latentlab {
namespace fs = std::filesystem;
namespace {

struct Signal {
  std::string file;           // the file name, for errors
  std::vector<float> values;  // lines x length
  int64_t lines = 0, length = 0;
};

// N lines of blank-separated values, each line as long as the first. Empty lines may end the file only.
Signal readSignal(const std::string& path) {
  TextFile f(path, "UciHar");
  Signal s;
  s.file = f.name();
  std::string_view line;
  std::vector<std::string_view> fields;
  int64_t emptyLine = 0;
  while (f.next(line)) {
    splitBlanks(line, fields);
    if (fields.empty()) {
      if (!emptyLine) emptyLine = f.lineNumber();
      continue;
    }
    if (emptyLine) f.failAt(emptyLine, "empty line before the last sample");
    if (s.lines == 0) {
      s.length = int64_t(fields.size());
      if (s.length > limits::kMaxFeatures)
        f.fail(std::to_string(s.length) + " values, a window longer than the engine takes");
    } else if (int64_t(fields.size()) != s.length) {
      f.fail(std::to_string(fields.size()) + " values, but line 1 has " + std::to_string(s.length));
    }
    for (std::string_view v : fields) s.values.push_back(parseFinite(f, v, "value"));
    ++s.lines;
  }
  if (s.lines == 0) f.failFile("no samples (the file is empty)");
  return s;
}

// One label a line: integers 1..K.
std::vector<int> readLabels(const std::string& path, int classes) {
  TextFile f(path, "UciHar");
  std::vector<int> labels;
  std::string_view line;
  int64_t emptyLine = 0;
  while (f.next(line)) {
    line = trim(line);
    if (line.empty()) {
      if (!emptyLine) emptyLine = f.lineNumber();
      continue;
    }
    if (emptyLine) f.failAt(emptyLine, "empty line before the last label");
    double v = 0;
    // floor, not a cast: a huge value (1e64) would overflow the integer before the range check (fuzz_uci_har)
    if (!parseNumber(line, v) || !std::isfinite(v) || v != std::floor(v))
      f.fail("label " + quoteText(line) + " is not a whole number");
    if (v < 1 || (classes > 0 && v > classes) || v > double(limits::kMaxClasses))
      f.fail("label " + quoteText(line) + " is outside the classes 1.." +
             std::to_string(classes > 0 ? classes : limits::kMaxClasses) +
             (classes > 0 ? " of activity_labels.txt" : ""));
    labels.push_back(int(v));
    if (int64_t(labels.size()) > limits::kMaxSamples) f.fail("too many labels");
  }
  return labels;
}

// "1 WALKING": ids 1..K in order.
std::vector<std::string> readActivityNames(const std::string& path) {
  TextFile f(path, "UciHar");
  std::vector<std::string> names;
  std::string_view line;
  std::vector<std::string_view> fields;
  while (f.next(line)) {
    splitBlanks(line, fields);
    if (fields.empty()) continue;
    double id = 0;
    if (fields.size() < 2 || !parseNumber(fields[0], id)) f.fail("expected a class number and a name (\"1 WALKING\")");
    if (id != double(names.size() + 1))
      f.fail("class number " + quoteText(fields[0]) + " where " + std::to_string(names.size() + 1) + " was expected");
    if (int64_t(names.size()) >= limits::kMaxClasses) f.fail("too many classes");
    const std::string_view rest = trim(line.substr(size_t(fields[1].data() - line.data())));
    names.emplace_back(rest);
  }
  if (names.empty()) f.failFile("no class names");
  return names;
}

Dataset loadSplit(const fs::path& root, const std::string& split, const std::vector<std::string>& signals,
                  int classes) {
  const fs::path dir = root / split / "Inertial Signals";
  std::vector<Signal> channels;
  for (const std::string& name : signals) {
    channels.push_back(readSignal((dir / (name + "_" + split + ".txt")).string()));
    const Signal& s = channels.back();
    const Signal& first = channels.front();
    if (s.lines != first.lines)
      throw Error("UciHar", s.file + ": " + std::to_string(s.lines) + " lines, but " + first.file + " has " +
                                std::to_string(first.lines));
    if (s.length != first.length)
      throw Error("UciHar", s.file + ": lines of " + std::to_string(s.length) + " values, but " + first.file + " has " +
                                std::to_string(first.length));
  }
  const int64_t N = channels.front().lines, T = channels.front().length, C = int64_t(channels.size());
  if (T * C > limits::kMaxFeatures)
    throw Error("UciHar", channels.front().file + ": windows of " + std::to_string(T) + " steps x " +
                              std::to_string(C) + " channels are larger than the engine takes");
  Dataset d;
  d.shape = SampleShape::sequence(int(T), int(C));
  const fs::path yPath = root / split / ("y_" + split + ".txt");
  if (fs::exists(yPath)) {
    const std::vector<int> y = readLabels(yPath.string(), classes);
    if (int64_t(y.size()) != N)
      throw Error("UciHar", yPath.filename().string() + ": " + std::to_string(y.size()) + " labels for the " +
                                std::to_string(N) + " lines of " + channels.front().file);
    d.labels.resize(y.size());
    for (size_t i = 0; i < y.size(); ++i) d.labels[i] = y[i] - 1;
  }
  d.x.resize(Eigen::Index(T * C), Eigen::Index(N));
  for (int64_t i = 0; i < N; ++i)
    for (int64_t c = 0; c < C; ++c) {
      const float* in = channels[size_t(c)].values.data() + i * T;
      float* out = d.x.col(Eigen::Index(i)).data() + c;
      for (int64_t t = 0; t < T; ++t) out[t * C] = in[t];  // feature t * C + c
    }
  return d;
}

}  // namespace

const std::vector<std::string>& uciHarSignals() {
  static const std::vector<std::string> kSignals{"body_acc_x",  "body_acc_y",  "body_acc_z",
                                                 "body_gyro_x", "body_gyro_y", "body_gyro_z",
                                                 "total_acc_x", "total_acc_y", "total_acc_z"};
  return kSignals;
}

std::string findUciHarFolder(const std::string& path) {
  std::error_code ec;
  for (const fs::path& p : {fs::path(path), fs::path(path) / "UCI HAR Dataset"})
    if (fs::is_directory(p / "train" / "Inertial Signals", ec)) return p.string();
  return {};
}

DataSplit loadUciHar(const std::string& folder) {
  const fs::path root(folder);
  // The signals present in the training split; the test split must have the same.
  std::vector<std::string> signals;
  for (const std::string& s : uciHarSignals()) {
    const bool train = fs::exists(root / "train" / "Inertial Signals" / (s + "_train.txt"));
    const bool test = fs::exists(root / "test" / "Inertial Signals" / (s + "_test.txt"));
    if (train != test)
      throw Error("UciHar", folder + ": " + s +
                                (train ? "_train.txt is there but not " + s + "_test.txt"
                                       : "_test.txt is there but not " + s + "_train.txt"));
    if (train) signals.push_back(s);
  }
  if (signals.empty())
    throw Error("UciHar", folder + ": no signal files in train/Inertial Signals (body_acc_x_train.txt ...)");
  std::vector<std::string> names;
  const fs::path namesPath = root / "activity_labels.txt";
  if (fs::exists(namesPath)) names = readActivityNames(namesPath.string());

  DataSplit s;
  s.source = folder;
  s.train = loadSplit(root, "train", signals, int(names.size()));
  s.test = loadSplit(root, "test", signals, int(names.size()));
  if (s.train.shape != s.test.shape)
    throw Error("UciHar", folder + ": training windows are " + s.train.shape.describe() + " but test windows are " +
                              s.test.shape.describe());
  if (names.empty()) {  // classes named by their numbers, up to the largest label
    int K = 0;
    for (const Dataset* d : {&s.train, &s.test})
      for (int l : d->labels) K = std::max(K, l + 1);
    for (int k = 1; k <= K; ++k) names.push_back(std::to_string(k));
  }
  for (Dataset* d : {&s.train, &s.test}) {
    d->classes = int(names.size());
    d->classNames = names;
  }
  std::string channels;
  for (size_t c = 0; c < signals.size(); ++c) channels += (c ? " " : "") + signals[c];
  s.description = folder + " (UCI HAR, " + s.train.shape.describe() + ": " + channels + ", " +
                  (s.train.hasLabels() ? std::to_string(s.train.classes) + " classes" : "unlabelled") + ")";
  return s;
}

}  // namespace latentlab
