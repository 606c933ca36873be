#pragma once
// Classification accuracy of argmax q(y|x) on a data set, in chunks.
#include <algorithm>

#include "engine/data/Dataset.h"
#include "engine/model/SemiSupervisedVae.h"

namespace latentlab {

template <typename T> double accuracy(SemiSupervisedVae<T>& model, const Dataset& data, int chunk = 1000) {
  if (data.size() == 0) return 0;
  Matrix<T> x, probs;
  long correct = 0;
  for (int start = 0; start < data.size(); start += chunk) {
    const int n = std::min(chunk, data.size() - start);
    x = data.x.middleCols(start, n).template cast<T>();
    model.classify(x, probs);
    for (int i = 0; i < n; ++i) {
      Eigen::Index arg;
      probs.col(i).maxCoeff(&arg);
      correct += int(arg) == data.labels[start + i];
    }
  }
  return double(correct) / data.size();
}

}  // namespace latentlab
