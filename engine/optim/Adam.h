#pragma once
// Adam (Kingma & Ba) over a parameter list. Moments are kept in the list's order, one pair per parameter,
// so the optimiser state can be saved and restored by name.
//   m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;  p -= lr * mhat / (sqrt(vhat) + eps)
#include <cmath>

#include "engine/core/Error.h"
#include "engine/core/Parallel.h"
#include "engine/core/Types.h"

namespace latentlab {

struct AdamConfig {
  double learningRate = 1e-3;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double epsilon = 1e-8;
};

template <typename T> class Adam {
 public:
  Adam(ParameterList<T> params, AdamConfig config) : params_(std::move(params)), config_(config) {
    for (auto& p : params_) {
      m_.push_back(Matrix<T>::Zero(p.value->rows(), p.value->cols()));
      v_.push_back(Matrix<T>::Zero(p.value->rows(), p.value->cols()));
    }
  }

  void setLearningRate(double lr) { config_.learningRate = lr; }
  const AdamConfig& config() const { return config_; }
  long steps() const { return t_; }

  // One fused pass per parameter: reads p, g, m, v once, writes p, m, v once.
  void step() {
    ++t_;
    const T b1 = T(config_.beta1), b2 = T(config_.beta2), eps = T(config_.epsilon);
    const T c1 = T(1 - std::pow(config_.beta1, double(t_)));
    const T c2 = T(1 - std::pow(config_.beta2, double(t_)));
    const T stepSize = T(config_.learningRate) / c1;
    const T invSqrtC2 = T(1) / std::sqrt(c2);
    for (size_t i = 0; i < params_.size(); ++i) {
      // With several threads, each takes a range of the elements (engine/core/Parallel.h).
      parallelRanges(params_[i].value->size(), 4, [&](Eigen::Index begin, Eigen::Index end) {
        T* __restrict p = params_[i].value->data();
        const T* __restrict g = params_[i].grad->data();
        T* __restrict m = m_[i].data();
        T* __restrict v = v_[i].data();
#pragma omp simd
        for (Eigen::Index j = begin; j < end; ++j) {
          const T mj = b1 * m[j] + (T(1) - b1) * g[j];
          const T vj = b2 * v[j] + (T(1) - b2) * g[j] * g[j];
          m[j] = mj;
          v[j] = vj;
          p[j] -= stepSize * mj / (std::sqrt(vj) * invSqrtC2 + eps);
        }
      });
    }
  }

  const ParameterList<T>& parameters() const { return params_; }
  std::vector<Matrix<T>>& firstMoments() { return m_; }
  std::vector<Matrix<T>>& secondMoments() { return v_; }
  void setSteps(long t) { t_ = t; }

 private:
  ParameterList<T> params_;
  AdamConfig config_;
  std::vector<Matrix<T>> m_, v_;
  long t_ = 0;
};

}  // namespace latentlab
