#pragma once
// relu(a) = max(a, 0);  relu'(a) = [a > 0].
#include "engine/layers/Activation.h"

namespace latentlab {

struct ReluOp {
  static constexpr const char* name = "relu";
  template <typename T> static void apply(const Matrix<T>& a, Matrix<T>& f, Matrix<T>& fprime) {
    f.array() = a.array().max(T(0));
    // select vectorises here, cast<T>() of a comparison does not
    fprime.array() = (a.array() > T(0)).select(Matrix<T>::Ones(a.rows(), a.cols()).array(), T(0));
  }
};

template <typename T> using Relu = Activation<T, ReluOp>;

}  // namespace latentlab
