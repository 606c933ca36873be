#pragma once
// A data set in memory: one sample per column (laid out as SampleShape.h says), features scaled to [0, 1] for
// images. Labels are optional: unlabelled data (the normal case for this engine's users) has empty `labels`;
// `classes` and `classNames` may still be known (from a classes file).
#include <algorithm>
#include <string>
#include <vector>

#include "engine/core/Types.h"
#include "engine/data/InputTransform.h"
#include "engine/data/SampleShape.h"

namespace latentlab {

struct Dataset {
  Matrix<float> x;          // (D x N)
  std::vector<int> labels;  // N, in [0, classes); empty: unlabelled
  SampleShape shape;        // how each column is laid out; shape.features() == x.rows()
  int classes = 0;
  std::vector<std::string> classNames;

  int size() const { return int(x.cols()); }
  int features() const { return int(x.rows()); }
  bool hasLabels() const { return !labels.empty(); }
  // The first n samples (or all), for quick runs and tests.
  Dataset head(int n) const {
    Dataset d = *this;
    n = std::clamp(n, 0, size());
    d.x = x.leftCols(n);
    if (hasLabels()) d.labels.assign(labels.begin(), labels.begin() + n);
    return d;
  }
};

struct DataSplit {
  Dataset train, test;
  std::string source;       // the path (or name) it was opened from
  std::string description;  // one line for people: what it is, its sample shape, classes and test split
  InputTransform transform;  // how x was scaled from the file's values (InputTransform.h); none: as read
};

}  // namespace latentlab
