#pragma once
// The UEA/UCR time-series archive's .ts format, as sktime and tslearn read it:
//   # comments
//   @problemName NAME        @timeStamps false         @missing true|false
//   @univariate true|false   @dimensions C             @equalLength true|false
//   @seriesLength T          @classLabel true NAME...  (or @classLabel false: unlabelled)
//   @data
//   v,v,v:v,v,v:...:LABEL    one series a line: channels separated by ':', values by ',', '?' (or NaN) missing,
//                            the class label last when @classLabel is true
// Tags are case-insensitive. Timestamped series (@timeStamps true) and regression targets (@targetLabel true)
// are refused. The header is checked against the data: channel counts, lengths under @equalLength and
// @seriesLength, '?' under @missing false, labels outside @classLabel. Errors name the file and the line.
//
// Unequal lengths and missing values: every series is RESAMPLED to one length by linear interpolation (the
// longest series of the training file; a test file's series are resampled to the same length), after missing
// values are filled by linear interpolation within their channel (a leading or trailing run takes the nearest
// known value; a channel with no value at all is an error). Why: every flavour of the engine (dense, conv,
// LSTM) takes fixed-size inputs and its likelihood scores every value, so padding would make the model spend
// capacity reconstructing padding, and masking would need a mask through every layer and loss. Resampling keeps
// each curve's shape, which is what tells classes apart in archives like Japanese Vowels, at the price of the
// series' duration (the length itself is not kept).
#include <string>
#include <vector>

#include "engine/data/Dataset.h"

namespace latentlab {

struct TsSeries {
  std::vector<float> values;  // the channels one after another; NaN where missing
  std::vector<int> lengths;   // per channel
  int64_t line = 0;           // where it is in the file
  int label = -1;             // index into TsFile::classNames, -1 unlabelled
};

struct TsFile {
  std::string path, problemName;
  int channels = 0;
  bool labelled = false;
  std::vector<std::string> classNames;  // @classLabel's names in declared order: classes 0..K-1
  bool hasMissing = false;              // some value was '?'
  int minLength = 0, maxLength = 0;     // over every channel of every series
  std::vector<TsSeries> series;
};

// Reads and checks a whole file; throws Error("TsReader", "<file>: line N: ...").
TsFile readTsFile(const std::string& path);

// The series as a data set of `steps` steps each (SampleShape::sequence(steps, channels)): missing values filled,
// every channel resampled to steps (see above). Throws when steps x channels exceeds the engine's sample size.
Dataset tsToDataset(const TsFile& f, int steps);

// NAME_TRAIN.ts and NAME_TEST.ts: both resampled to the training file's longest series; channels and declared
// classes must agree.
DataSplit loadTsPair(const std::string& trainPath, const std::string& testPath);

}  // namespace latentlab
