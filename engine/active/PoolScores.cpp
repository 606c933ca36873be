#include "engine/active/PoolScores.h"

#include <algorithm>
#include <cmath>

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

PoolScores scorePool(SemiSupervisedVae<float>& model, const Matrix<float>& x, const std::vector<int>& indices,
                     const PoolScoring& how) {
  const ModelConfig& config = model.config();
  PoolScores s;
  s.indices = indices;
  const int n = int(indices.size());
  s.probs.resize(config.classes, n);
  s.logits.resize(config.classes, n);
  s.mu.resize(config.latent, n);
  if (how.negElbo) s.negElbo.resize(n);
  Matrix<float> chunk, mu, logvar, probs;
  for (int start = 0; start < n; start += how.chunk) {
    if (how.cancel && how.cancel->load(std::memory_order_acquire)) throw Cancelled{};
    const int m = std::min(how.chunk, n - start);
    chunk.resize(x.rows(), m);
    for (int j = 0; j < m; ++j) chunk.col(j) = x.col(indices[start + j]);
    model.encode(chunk, mu, logvar, &probs);
    s.probs.middleCols(start, m) = probs;
    s.logits.middleCols(start, m) = model.logits();
    s.mu.middleCols(start, m) = mu;
    if (how.negElbo) negativeElbo(model, chunk, mu, logvar, probs, s.negElbo.data() + start);
    if (how.onProgress) how.onProgress(start + m, n);
  }
  return s;
}

}  // namespace latentlab
