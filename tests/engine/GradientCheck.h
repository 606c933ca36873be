#pragma once
// One generic finite-difference gradient tester for layers, losses and whole models (after dlib's
// test_layer): central differences in double precision on every element of every variable, compared with
// the analytic gradient under a relative AND absolute tolerance. Analytic gradient buffers are filled with
// junk before the backward pass, so an entry the backward pass never writes shows up as a failure.
#include <QtTest/QtTest>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "engine/core/Random.h"
#include "engine/core/Types.h"

namespace latentlab::test {

using Mat = Matrix<double>;

struct Variable {
  std::string name;
  Mat* value;
  // Where backward leaves dObjective/dValue; read after `analytic` runs.
  std::function<const Mat&()> gradient;
  Mat* junkTarget = nullptr;  // a gradient buffer to pre-fill with junk before `analytic`
};

struct GradientCheck {
  double h = 1e-6;
  double rtol = 1e-6;
  double atol = 1e-8;

  // objective(): the scalar at the current values. analytic(): runs forward and backward.
  // Returns a description of the worst failure, or an empty string when every element agrees.
  std::string run(std::vector<Variable> vars, const std::function<double()>& objective,
                  const std::function<void()>& analytic) const {
    Random junk(12345);
    for (auto& v : vars)
      if (v.junkTarget) junk.fillUniform(*v.junkTarget, 1e3, 2e3);
    analytic();
    std::vector<Mat> analyticGrads;
    for (auto& v : vars) analyticGrads.push_back(v.gradient());
    std::string worst;
    double worstExcess = 0;
    size_t checked = 0;
    for (size_t i = 0; i < vars.size(); ++i) {
      Mat& x = *vars[i].value;
      if (analyticGrads[i].rows() != x.rows() || analyticGrads[i].cols() != x.cols())
        return vars[i].name + ": gradient shape " + std::to_string(analyticGrads[i].rows()) + "x" +
               std::to_string(analyticGrads[i].cols()) + " differs from value shape";
      for (Eigen::Index e = 0; e < x.size(); ++e) {
        const double saved = x.data()[e];
        x.data()[e] = saved + h;
        const double up = objective();
        x.data()[e] = saved - h;
        const double down = objective();
        x.data()[e] = saved;
        const double numeric = (up - down) / (2 * h);
        const double a = analyticGrads[i].data()[e];
        const double allowed = atol + rtol * std::max(std::abs(a), std::abs(numeric));
        const double excess = std::abs(a - numeric) / allowed;
        ++checked;
        if (!(excess <= 1.0) && (!(excess <= worstExcess) || worst.empty())) {
          worstExcess = std::isfinite(excess) ? excess : 1e300;
          worst = vars[i].name + "[" + std::to_string(e) + "]: analytic " + std::to_string(a) + " vs numeric " +
                  std::to_string(numeric);
        }
      }
    }
    if (checked == 0) return "nothing was checked";
    return worst;
  }
};

inline Mat randomMatrix(Random& rng, int rows, int cols, double lo = -1, double hi = 1) {
  Mat m(rows, cols);
  rng.fillUniform(m, lo, hi);
  return m;
}

// Values bounded away from zero, so finite differences never straddle a kink (ReLU).
inline Mat randomAwayFromZero(Random& rng, int rows, int cols) {
  Mat m = randomMatrix(rng, rows, cols, 0.05, 1.5);
  for (Eigen::Index i = 0; i < m.size(); ++i)
    if (rng.uniform() < 0.5) m.data()[i] = -m.data()[i];
  return m;
}

inline double dot(const Mat& a, const Mat& b) { return (a.array() * b.array()).sum(); }

}  // namespace latentlab::test

#define LATENTLAB_EXPECT_GRADIENTS(check, vars, objective, analytic)           \
  do {                                                                         \
    const std::string failure = (check).run((vars), (objective), (analytic)); \
    QVERIFY2(failure.empty(), failure.c_str());                                \
  } while (0)
