#pragma once
// Test inputs: a matrix of uniform values in [0, 1) from a seeded generator (the same on every machine).
#include "engine/core/Random.h"
#include "engine/core/Types.h"

namespace latentlab::testing {

inline Matrix<float> uniformMatrix(int rows, int cols, uint64_t seed) {
  Random rng(seed);
  Matrix<float> x(rows, cols);
  for (int i = 0; i < x.size(); ++i) x.data()[i] = float(rng.uniform());
  return x;
}

}  // namespace latentlab::testing
