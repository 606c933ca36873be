#pragma once
// softplus(a) = log(1 + e^a) = max(a, 0) + log1p(e^-|a|);  softplus'(a) = sigmoid(a).
#include "engine/core/FastMath.h"
#include "engine/layers/Activation.h"

namespace latentlab {

struct SoftplusOp {
  static constexpr const char* name = "softplus";
  template <typename T> static void apply(const Matrix<T>& a, Matrix<T>& f, Matrix<T>& fprime) {
    softplusWithDerivative(a, f, fprime);
  }
};

template <typename T> using Softplus = Activation<T, SoftplusOp>;

}  // namespace latentlab
