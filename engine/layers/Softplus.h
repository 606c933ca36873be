#pragma once
// softplus(a) = log(1 + e^a) = max(a, 0) + log1p(e^-|a|);  softplus'(a) = sigmoid(a).
#include "engine/layers/Activation.h"

namespace latentlab {

struct SoftplusOp {
  static constexpr const char* name = "softplus";
  template <typename T> static void apply(const Matrix<T>& a, Matrix<T>& f, Matrix<T>& fprime) {
    // Three vectorised passes; fprime first holds e = exp(-|a|), in (0, 1], so nothing overflows.
    fprime.array() = (-a.array().abs()).exp();
    f.array() = a.array().max(T(0)) + fprime.array().log1p();
    fprime.array() = (a.array() >= T(0)).select(T(1), fprime.array()) / (T(1) + fprime.array());
  }
};

template <typename T> using Softplus = Activation<T, SoftplusOp>;

}  // namespace latentlab
