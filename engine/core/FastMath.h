#pragma once
// Element-wise kernels shared by the softplus activation and the Bernoulli loss, both of which need
// softplus(a) = max(a, 0) + log1p(e) and sigmoid(a) = (a >= 0 ? 1 : e) / (1 + e), with e = exp(-|a|).
// Eigen 3.4's vectorised log1p costs ~4x its exp here, so for float log1p(e), e in [0, 1], is a short
// series that the compiler vectorises: log(1 + e) = 2 atanh(s), s = e / (2 + e) in [0, 1/3]
// (relative error below 3e-7). Double, used by the gradient tests, keeps std::log1p.
#include <algorithm>
#include <cmath>
#include <type_traits>

#include "engine/core/Parallel.h"
#include "engine/core/Types.h"

namespace latentlab {

template <typename T> inline T log1pUnit(T e) {
  if constexpr (std::is_same_v<T, float>) {
    const float s = e / (2.f + e), s2 = s * s;
    float p = 1.f / 15;
    p = p * s2 + 1.f / 13;
    p = p * s2 + 1.f / 11;
    p = p * s2 + 1.f / 9;
    p = p * s2 + 1.f / 7;
    p = p * s2 + 1.f / 5;
    p = p * s2 + 1.f / 3;
    p = p * s2 + 1.f;
    return 2.f * s * p;
  } else {
    return std::log1p(e);
  }
}

// f = softplus(a), d = sigmoid(a) = softplus'(a). d is used as scratch for e first.
// With several threads, each takes a range of the elements (engine/core/Parallel.h).
template <typename T> void softplusWithDerivative(const Matrix<T>& a, Matrix<T>& f, Matrix<T>& d) {
  parallelRanges(a.size(), 8, [&](Eigen::Index begin, Eigen::Index end) {
    const Eigen::Index n = end - begin;
    T* __restrict pd = d.data() + begin;
    Eigen::Map<Vector<T>>(pd, n).array() = (-Eigen::Map<const Vector<T>>(a.data() + begin, n).array().abs()).exp();
    const T* __restrict pa = a.data() + begin;
    T* __restrict pf = f.data() + begin;
    for (Eigen::Index i = 0; i < n; ++i) {
      const T e = pd[i];
      pf[i] = std::max(pa[i], T(0)) + log1pUnit(e);
      pd[i] = (pa[i] >= T(0) ? T(1) : e) / (T(1) + e);
    }
  });
}

}  // namespace latentlab
