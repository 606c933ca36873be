#include "engine/active/PoolScores.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "engine/core/Error.h"

namespace latentlab {

int PoolScores::predicted(int i) const {
  Eigen::Index arg;
  probs.col(i).maxCoeff(&arg);
  return int(arg);
}

float PoolScores::confidence(int i) const { return probs.col(i).maxCoeff(); }

namespace {

// -log p(x | decoded mean), per column.
RowVector<float> reconstructionNll(const ModelConfig& config, const Matrix<float>& x, const Matrix<float>& mean) {
  if (config.likelihood == Likelihood::Bernoulli) {
    const auto m = mean.array().max(1e-7f).min(1.0f - 1e-7f);
    return -(x.array() * m.log() + (1.0f - x.array()) * (1.0f - m).log()).colwise().sum();
  }
  const float var = float(config.gaussianVariance);
  const float constant = 0.5f * float(x.rows()) * std::log(2.0f * float(M_PI) * var);
  return ((x - mean).array().square().colwise().sum() / (2 * var) + constant).matrix();
}

}  // namespace

void negativeElbo(SemiSupervisedVae<float>& model, const Matrix<float>& x, const Matrix<float>& mu,
                  const Matrix<float>& logvar, const Matrix<float>& probs, float* out) {
  const ModelConfig& config = model.config();
  const int n = int(x.cols()), K = config.classes;
  RowVector<float> total = -0.5f * (1.0f + logvar.array() - mu.array().square() - logvar.array().exp()).colwise().sum();
  const auto p = probs.array().max(1e-12f);
  total += (probs.array() * (p * float(K)).log()).colwise().sum().matrix();
  Matrix<float> mean;
  if (config.objective == Objective::Marginal) {
    Matrix<float> y = Matrix<float>::Zero(K, n);
    for (int k = 0; k < K; ++k) {
      y.setZero();
      y.row(k).setOnes();
      model.decode(mu, y, mean);
      total += probs.row(k).cwiseProduct(reconstructionNll(config, x, mean));
    }
  } else {
    model.decode(mu, probs, mean);
    total += reconstructionNll(config, x, mean);
  }
  std::copy(total.data(), total.data() + n, out);
}

PoolScores PoolScoringJob::run(const CancelFlag* cancel) {
  const ModelConfig& config = model_.config();
  const std::vector<int>& indices = request_.indices;
  for (int i : indices)
    if (i < 0 || i >= x_.cols())
      throw Error("PoolScoring",
                  "sample " + std::to_string(i) + " is outside the data (" + std::to_string(x_.cols()) + " samples)");
  PoolScores s;
  s.indices = indices;
  const int n = int(indices.size()), step = std::max(1, request_.chunk);
  s.probs.resize(config.classes, n);
  s.logits.resize(config.classes, n);
  s.mu.resize(config.latent, n);
  if (request_.negElbo) s.negElbo.resize(n);
  Matrix<float> chunk, mu, logvar, probs;
  for (int start = 0; start < n; start += step) {
    if (cancelRequested(cancel)) {
      s.status = JobStatus::Cancelled;
      return s;
    }
    const int m = std::min(step, n - start);
    chunk.resize(x_.rows(), m);
    for (int j = 0; j < m; ++j) chunk.col(j) = x_.col(indices[start + j]);
    model_.encode(chunk, mu, logvar, &probs);
    s.probs.middleCols(start, m) = probs;
    s.logits.middleCols(start, m) = model_.logits();
    s.mu.middleCols(start, m) = mu;
    if (request_.negElbo) negativeElbo(model_, chunk, mu, logvar, probs, s.negElbo.data() + start);
    if (onProgress) onProgress(start + m, n);
  }
  return s;
}

PoolScores scorePool(SemiSupervisedVae<float>& model, const Matrix<float>& x, const std::vector<int>& indices,
                     bool negElbo) {
  PoolScoringRequest request;
  request.indices = indices;
  request.negElbo = negElbo;
  return PoolScoringJob(model, x, std::move(request)).run();
}

}  // namespace latentlab
