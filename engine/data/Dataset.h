#pragma once
// A labelled data set in memory: one sample per column (laid out as SampleShape.h says), features scaled
// to [0, 1] for images.
#include <string>
#include <vector>

#include "engine/core/Types.h"
#include "engine/data/SampleShape.h"

namespace latentlab {

struct Dataset {
  Matrix<float> x;          // (D x N)
  std::vector<int> labels;  // N, in [0, classes)
  SampleShape shape;        // how each column is laid out; shape.features() == x.rows()
  int classes = 0;
  std::vector<std::string> classNames;

  int size() const { return int(x.cols()); }
  int features() const { return int(x.rows()); }
  // The first n samples (or all), for quick runs and tests.
  Dataset head(int n) const {
    Dataset d = *this;
    n = std::min(n, size());
    d.x = x.leftCols(n);
    d.labels.assign(labels.begin(), labels.begin() + n);
    return d;
  }
};

struct DataSplit {
  Dataset train, test;
  std::string source;  // the folder it came from
};

}  // namespace latentlab
