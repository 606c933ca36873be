#include "engine/data/TsFile.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <limits>

#include "engine/core/Error.h"
#include "engine/data/DataLimits.h"
#include "engine/data/Resample.h"
#include "engine/data/TextFile.h"

namespace latentlab {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool boolean(const TextFile& f, const std::string& tag, std::string_view value) {
  const std::string v = lower(trim(value));
  if (v == "true") return true;
  if (v == "false") return false;
  f.fail(tag + " is " + quoteText(value) + ", neither true nor false");
}

int positive(const TextFile& f, const std::string& tag, std::string_view value, int64_t max) {
  double v = 0;
  if (!parseNumber(value, v) || v != std::floor(v) || v < 1 || v > double(max))
    f.fail(tag + " " + quoteText(trim(value)) + " is not a whole number from 1 to " + std::to_string(max));
  return int(v);
}

std::string channelCount(int64_t n) { return std::to_string(n) + (n == 1 ? " channel" : " channels"); }

std::string describeLength(int lo, int hi) {
  return lo == hi ? std::to_string(lo) : std::to_string(lo) + "-" + std::to_string(hi);
}

}  // namespace

TsFile readTsFile(const std::string& path) {
  TextFile f(path, "TsReader");
  TsFile ts;
  ts.path = path;
  int declaredChannels = 0;  // 0: from the first series
  int64_t univariateLine = 0, dimensionsLine = 0;
  bool univariate = false, missingAllowed = true, equalLength = false, haveClassLabel = false, inData = false;
  int seriesLength = 0;
  std::string_view line;
  std::vector<std::string_view> tokens, parts, values;
  int firstLength = 0;  // under @equalLength true: the first series' length
  int64_t firstLine = 0;
  int64_t totalValues = 0;
  while (f.next(line)) {
    line = trim(line);
    if (line.empty() || line.front() == '#') continue;
    if (!inData) {
      if (line.front() != '@') f.fail("expected a header line (@tag) or a comment before @data");
      splitBlanks(line, tokens);
      const std::string tag = lower(tokens[0]);
      const std::string_view rest = trim(line.substr(tokens[0].size()));
      if (tag == "@data") {
        if (!haveClassLabel) f.fail("@data before any @classLabel line (the header must say whether there are labels)");
        if (univariateLine && dimensionsLine && univariate && declaredChannels != 1)
          f.fail("@univariate true but @dimensions " + std::to_string(declaredChannels));
        if (univariate) declaredChannels = 1;
        inData = true;
      } else if (tag == "@problemname") {
        ts.problemName = std::string(rest);
      } else if (tag == "@timestamps") {
        if (boolean(f, "@timeStamps", rest)) f.fail("@timeStamps true: timestamped series are not supported");
      } else if (tag == "@missing") {
        missingAllowed = boolean(f, "@missing", rest);
      } else if (tag == "@univariate") {
        univariate = boolean(f, "@univariate", rest);
        univariateLine = f.lineNumber();
      } else if (tag == "@dimensions" || tag == "@dimension") {
        declaredChannels = positive(f, "@dimensions", rest, limits::kMaxFeatures);
        dimensionsLine = f.lineNumber();
      } else if (tag == "@equallength") {
        equalLength = boolean(f, "@equalLength", rest);
      } else if (tag == "@serieslength") {
        seriesLength = positive(f, "@seriesLength", rest, limits::kMaxFeatures);
      } else if (tag == "@classlabel") {
        if (tokens.size() < 2) f.fail("@classLabel needs true or false");
        ts.labelled = boolean(f, "@classLabel", tokens[1]);
        haveClassLabel = true;
        ts.classNames.clear();
        if (ts.labelled) {
          for (size_t i = 2; i < tokens.size(); ++i) {
            const std::string name(tokens[i]);
            if (std::find(ts.classNames.begin(), ts.classNames.end(), name) != ts.classNames.end())
              f.fail("class " + quoteText(name) + " is declared twice in @classLabel");
            if (int64_t(ts.classNames.size()) >= limits::kMaxClasses)
              f.fail("more than " + std::to_string(limits::kMaxClasses) + " classes in @classLabel");
            ts.classNames.push_back(name);
          }
          if (ts.classNames.empty()) f.fail("@classLabel true names no classes");
        } else if (tokens.size() > 2) {
          f.fail("@classLabel false followed by class names");
        }
      } else if (tag == "@targetlabel") {
        if (boolean(f, "@targetLabel", rest)) f.fail("@targetLabel true: regression data sets are not supported");
      }  // other tags carry nothing the data depends on
      continue;
    }

    // A series: channels separated by ':', the label last.
    split(line, ':', parts);
    TsSeries s;
    s.line = f.lineNumber();
    size_t channelParts = parts.size();
    if (ts.labelled) {
      if (parts.size() < 2) f.fail("a series and its class label (separated by ':') were expected");
      --channelParts;
      const std::string label(trim(parts.back()));
      auto it = std::find(ts.classNames.begin(), ts.classNames.end(), label);
      if (it == ts.classNames.end())  // sktime compares labels in lower case
        it = std::find_if(ts.classNames.begin(), ts.classNames.end(),
                          [&](const std::string& n) { return lower(n) == lower(label); });
      if (it == ts.classNames.end()) {
        std::string declared;
        for (size_t k = 0; k < ts.classNames.size() && k < 20; ++k) declared += (k ? " " : "") + ts.classNames[k];
        f.fail("class " + quoteText(label) + " is not one of @classLabel's (" + declared +
               (ts.classNames.size() > 20 ? " ..." : "") + ")");
      }
      s.label = int(it - ts.classNames.begin());
    }
    if (declaredChannels == 0) declaredChannels = int(channelParts);  // no @dimensions: the first series says
    if (int(channelParts) != declaredChannels)
      f.fail(channelCount(int64_t(channelParts)) + ", but " +
             (dimensionsLine || univariate ? "the header declares " : "the first series has ") +
             std::to_string(declaredChannels) + (ts.labelled ? " (and a class label last)" : ""));
    s.lengths.reserve(channelParts);
    for (size_t c = 0; c < channelParts; ++c) {
      split(parts[c], ',', values);
      if (values.size() == 1 && trim(values[0]).empty()) f.fail("channel " + std::to_string(c + 1) + " is empty");
      bool known = false;
      for (std::string_view v : values) {
        v = trim(v);
        double x = 0;
        if (v == "?" || lower(v) == "nan") {
          if (!missingAllowed)
            f.fail("missing value " + quoteText(v) + " in channel " + std::to_string(c + 1) +
                   ", but the header says @missing false");
          ts.hasMissing = true;
          s.values.push_back(std::numeric_limits<float>::quiet_NaN());
          continue;
        }
        if (!parseNumber(v, x))
          f.fail("channel " + std::to_string(c + 1) + ": value " + quoteText(v) + " is not a number");
        const float xf = float(x);
        if (!std::isfinite(xf))
          f.fail("channel " + std::to_string(c + 1) + ": value " + quoteText(v) + " is infinite or beyond float range");
        s.values.push_back(xf);
        known = true;
      }
      if (!known) f.fail("channel " + std::to_string(c + 1) + " has no values (all missing)");
      const int len = int(values.size());
      if (int64_t(len) * declaredChannels > limits::kMaxFeatures)
        f.fail("a series of " + std::to_string(len) + " steps x " + std::to_string(declaredChannels) +
               " channels is larger than the engine takes");
      if (equalLength) {
        if (seriesLength && len != seriesLength)
          f.fail("channel " + std::to_string(c + 1) + " has " + std::to_string(len) +
                 " values, but the header says @seriesLength " + std::to_string(seriesLength));
        if (firstLength && len != firstLength)
          f.fail("channel " + std::to_string(c + 1) + " has " + std::to_string(len) +
                 " values, but the header says @equalLength true and the series on line " + std::to_string(firstLine) +
                 " has " + std::to_string(firstLength));
        if (!firstLength) {
          firstLength = len;
          firstLine = f.lineNumber();
        }
      }
      s.lengths.push_back(len);
      ts.minLength = ts.series.empty() && c == 0 ? len : std::min(ts.minLength, len);
      ts.maxLength = std::max(ts.maxLength, len);
    }
    totalValues += int64_t(s.values.size());
    if (totalValues > limits::kMaxValues || int64_t(ts.series.size()) >= limits::kMaxSamples)
      f.fail("more values than the engine takes");
    ts.series.push_back(std::move(s));
  }
  if (!inData) f.failFile("no @data line: not a .ts file");
  if (ts.series.empty()) f.failFile("no series after @data");
  ts.channels = declaredChannels;
  return ts;
}

Dataset tsToDataset(const TsFile& f, int steps) {
  const std::string name = std::filesystem::path(f.path).filename().string();
  if (steps < 1 || int64_t(steps) * f.channels > limits::kMaxFeatures)
    throw Error("TsReader", name + ": " + std::to_string(steps) + " steps x " + std::to_string(f.channels) +
                                " channels is larger than the engine takes");
  if (int64_t(steps) * f.channels * int64_t(f.series.size()) > limits::kMaxValues)
    throw Error("TsReader", name + ": " + std::to_string(f.series.size()) + " series of " + std::to_string(steps) +
                                " steps x " + std::to_string(f.channels) + " channels are more values than the " +
                                "engine takes");
  Dataset d;
  d.shape = SampleShape::sequence(steps, f.channels);
  const int C = f.channels, N = int(f.series.size());
  d.x.resize(Eigen::Index(steps) * C, N);
  if (f.labelled) {
    d.labels.resize(size_t(N));
    d.classes = int(f.classNames.size());
    d.classNames = f.classNames;
  }
  std::vector<float> channel;
  for (int i = 0; i < N; ++i) {
    const TsSeries& s = f.series[size_t(i)];
    float* column = d.x.col(i).data();
    size_t offset = 0;
    for (int c = 0; c < C; ++c) {
      const size_t m = size_t(s.lengths[size_t(c)]);
      channel.assign(s.values.begin() + std::ptrdiff_t(offset), s.values.begin() + std::ptrdiff_t(offset + m));
      offset += m;
      if (!fillMissing(channel.data(), m))  // checked while reading; kept as a guard
        throw Error("TsReader", name + ": line " + std::to_string(s.line) + ": channel " + std::to_string(c + 1) +
                                    " has no values");
      resampleLinear(channel.data(), m, column + c, size_t(steps), size_t(C));  // feature t * C + c
    }
    if (f.labelled) d.labels[size_t(i)] = s.label;
  }
  return d;
}

DataSplit loadTsPair(const std::string& trainPath, const std::string& testPath) {
  const TsFile train = readTsFile(trainPath), test = readTsFile(testPath);
  const std::string trainName = std::filesystem::path(trainPath).filename().string(),
                    testName = std::filesystem::path(testPath).filename().string();
  if (train.channels != test.channels)
    throw Error("TsReader", testName + ": " + channelCount(test.channels) + ", but " + trainName + " has " +
                                std::to_string(train.channels));
  if (train.labelled != test.labelled || train.classNames != test.classNames)
    throw Error("TsReader", testName + ": its @classLabel line differs from " + trainName + "'s");
  DataSplit s;
  s.source = std::filesystem::path(trainPath).parent_path().string();
  s.train = tsToDataset(train, train.maxLength);
  s.test = tsToDataset(test, train.maxLength);
  const std::string name = train.problemName.empty() ? trainName : train.problemName;
  const bool resampled =
      train.minLength != train.maxLength || test.minLength != test.maxLength || test.maxLength != train.maxLength;
  s.description = name + " (.ts pair, " + s.train.shape.describe();
  if (resampled)
    s.description +=
        ", lengths " +
        describeLength(std::min(train.minLength, test.minLength), std::max(train.maxLength, test.maxLength)) +
        " resampled to " + std::to_string(train.maxLength);
  if (train.hasMissing || test.hasMissing) s.description += ", missing values interpolated";
  s.description += train.labelled ? ", " + std::to_string(train.classNames.size()) + " classes)" : ", unlabelled)";
  return s;
}

}  // namespace latentlab
