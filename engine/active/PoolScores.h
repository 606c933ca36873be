#pragma once
// What the model says about a pool of samples, for ranking them: q(y|x), the latent means, and (when asked)
// the negative ELBO. Computed in chunks with a cancel flag, on whichever thread owns the model.
#include <atomic>
#include <functional>
#include <vector>

#include "engine/core/Types.h"
#include "engine/model/SemiSupervisedVae.h"

namespace latentlab {

struct PoolScores {
  std::vector<int> indices;  // the samples scored (columns of the data set), in this order
  Matrix<float> probs;       // (classes x n) q(y|x)
  Matrix<float> logits;      // (classes x n) q(y|x)'s logits
  Matrix<float> mu;          // (latent x n) posterior means
  std::vector<float> negElbo;  // n, empty unless asked for

  int size() const { return int(indices.size()); }
  int predicted(int i) const;
  float confidence(int i) const;  // the top probability
};

struct PoolScoring {
  bool negElbo = false;
  int chunk = 1000;
  const std::atomic<bool>* cancel = nullptr;  // set: stops between chunks and throws Cancelled
  std::function<void(int done, int total)> onProgress;  // after each chunk, on the calling thread
};

struct Cancelled {};

PoolScores scorePool(SemiSupervisedVae<float>& model, const Matrix<float>& x, const std::vector<int>& indices,
                     const PoolScoring& how = {});

// Negative ELBO of each column of x with z at the posterior mean (deterministic): reconstruction under the
// decoder (marginalised over q(y|x) for the marginal objective, decoding q(y|x) itself for the single one),
// plus KL(q(z|x) || N(0, I)) plus KL(q(y|x) || uniform). In nats.
void negativeElbo(SemiSupervisedVae<float>& model, const Matrix<float>& x, const Matrix<float>& mu,
                  const Matrix<float>& logvar, const Matrix<float>& probs, float* out);

}  // namespace latentlab
