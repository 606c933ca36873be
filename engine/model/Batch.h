#pragma once
// One training step's data: labelled columns first, then unlabelled ones.
//   x (D x n), labels (nLabelled), eps (d x n): the reparameterisation noise, drawn by the trainer;
//   draws (nUnlabelled uniforms in [0, 1)): the pruned marginal's pick among the pruned classes.
#include <vector>

#include "engine/core/Types.h"

namespace latentlab {

template <typename T> struct Batch {
  Matrix<T> x;
  std::vector<int> labels;
  Matrix<T> eps;
  std::vector<T> draws;
  int labelled() const { return int(labels.size()); }
  int unlabelled() const { return int(x.cols()) - int(labels.size()); }
};

}  // namespace latentlab
