#pragma once
// sigmoid(a) = 1 / (1 + e^-a);  sigmoid'(a) = s (1 - s).
#include "engine/layers/Activation.h"

namespace latentlab {

struct SigmoidOp {
  static constexpr const char* name = "sigmoid";
  template <typename T> static void apply(const Matrix<T>& a, Matrix<T>& f, Matrix<T>& fprime) {
    f.array() = T(1) / (T(1) + (-a.array()).exp());
    fprime.array() = f.array() * (T(1) - f.array());
  }
};

template <typename T> using Sigmoid = Activation<T, SigmoidOp>;

}  // namespace latentlab
