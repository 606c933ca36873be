#include "engine/anomaly/AutoencoderDetector.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "engine/core/Error.h"
#include "engine/core/Random.h"
#include "engine/optim/Adam.h"

namespace latentlab {

JobStatus AutoencoderDetector::train(const Matrix<float>& normal, const AutoencoderTraining& s,
                                     const std::function<void(int, int, double)>& progress, const CancelFlag* cancel) {
  if (s.batch < 1 || s.epochs < 0) throw Error("AutoencoderDetector", "batch size and epochs must be positive");
  if (normal.cols() == 0) throw Error("AutoencoderDetector", "no training data");
  Adam<float> adam(model_.parameters(), AdamConfig{s.learningRate});
  Random rng(s.seed * 2 + 7);
  std::vector<int> order(size_t(normal.cols()));
  std::iota(order.begin(), order.end(), 0);
  const int n = int(order.size()), batch = std::min(s.batch, n), steps = std::max(1, n / batch);
  Matrix<float> x(normal.rows(), batch);
  for (int epoch = 0; epoch < s.epochs; ++epoch) {
    rng.shuffle(order);
    double total = 0;
    for (int step = 0; step < steps; ++step) {
      if (cancelRequested(cancel)) return JobStatus::Cancelled;
      for (int j = 0; j < batch; ++j) x.col(j) = normal.col(order[size_t(step * batch + j)]);
      if (s.binarize) {
        float* p = x.data();
        for (Eigen::Index i = 0; i < x.size(); ++i) p[i] = float(rng.uniform()) < p[i] ? 1.0f : 0.0f;
      }
      const float loss = model_.computeGradients(x);
      if (!std::isfinite(loss))
        throw Error("AutoencoderDetector", "the loss became NaN or infinite at epoch " + std::to_string(epoch + 1));
      adam.step();
      total += loss;
    }
    if (progress) progress(epoch + 1, s.epochs, total / steps);
  }
  return JobStatus::Finished;
}

void AutoencoderDetector::score(const Matrix<float>& x, ScoreBreakdown& out, bool perFeature) {
  Matrix<float> output, nll;
  out.total.resize(x.cols());
  if (perFeature) out.perFeature.resize(x.rows(), x.cols());
  const int chunk = 1000;
  for (Eigen::Index start = 0; start < x.cols(); start += chunk) {
    const Eigen::Index m = std::min<Eigen::Index>(chunk, x.cols() - start);
    const Matrix<float> part = x.middleCols(start, m);
    model_.reconstructOutput(part, output);
    featureNll(model_.config(), output, part, nll);
    out.total.segment(start, m) = nll.colwise().sum();
    if (perFeature) out.perFeature.middleCols(start, m) = nll;
  }
  if (!perFeature) out.perFeature.resize(0, 0);
  out.latent = RowVector<float>::Zero(x.cols());
}

}  // namespace latentlab
