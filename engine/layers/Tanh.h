#pragma once
// tanh(a);  tanh'(a) = 1 - tanh(a)^2.
#include "engine/layers/Activation.h"

namespace latentlab {

struct TanhOp {
  static constexpr const char* name = "tanh";
  template <typename T> static void apply(const Matrix<T>& a, Matrix<T>& f, Matrix<T>& fprime) {
    f.array() = a.array().tanh();
    fprime.array() = T(1) - f.array().square();
  }
};

template <typename T> using Tanh = Activation<T, TanhOp>;

}  // namespace latentlab
