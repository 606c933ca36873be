#pragma once
// What the model says about a pool of samples, for ranking or projecting them: q(y|x), its logits, the latent
// means, and (when asked) the negative ELBO. A job: a request in, PoolScores out, computed in chunks with
// progress after each and the engine's cancel convention (engine/core/Cancellation.h) between them.
//
// Shapes: x (D x N) the data, one sample per column; n scored samples; probs / logits (K x n), mu (d x n).
#include <functional>
#include <vector>

#include "engine/core/Cancellation.h"
#include "engine/core/Types.h"
#include "engine/model/SemiSupervisedVae.h"

namespace latentlab {

struct PoolScores {
  JobStatus status = JobStatus::Finished;  // Cancelled: only the chunks before the cancel are filled in
  std::vector<int> indices;                // the samples scored (columns of the data set), in this order
  Matrix<float> probs;                     // (classes x n) q(y|x)
  Matrix<float> logits;                    // (classes x n) q(y|x)'s logits
  Matrix<float> mu;                        // (latent x n) posterior means
  std::vector<float> negElbo;              // n, empty unless asked for

  int size() const { return int(indices.size()); }
  int predicted(int i) const;
  float confidence(int i) const;  // the top probability
};

struct PoolScoringRequest {
  std::vector<int> indices;  // columns of x to score, in this order (repeats allowed)
  bool negElbo = false;      // a decode per class and sample: most of the time when asked for
  int chunk = 1000;          // samples per encode (and per progress report)
};

// Scores with the caller's model on the calling thread: model and x must outlive run(), and nothing else may
// use the model meanwhile (encoding reuses its buffers).
class PoolScoringJob {
 public:
  PoolScoringJob(SemiSupervisedVae<float>& model, const Matrix<float>& x, PoolScoringRequest request)
      : model_(model), x_(x), request_(std::move(request)) {}

  std::function<void(int done, int total)> onProgress;  // after each chunk

  // Checks the cancel flag before each chunk. Throws Error for an index outside x.
  PoolScores run(const CancelFlag* cancel = nullptr);

 private:
  SemiSupervisedVae<float>& model_;
  const Matrix<float>& x_;
  PoolScoringRequest request_;
};

// The whole pool, without progress or cancel.
PoolScores scorePool(SemiSupervisedVae<float>& model, const Matrix<float>& x, const std::vector<int>& indices,
                     bool negElbo = false);

// Negative ELBO of each column of x with z at the posterior mean (deterministic): reconstruction under the
// decoder (marginalised over q(y|x) for the marginal objective, decoding q(y|x) itself for the single one),
// plus KL(q(z|x) || N(0, I)) plus KL(q(y|x) || uniform). In nats.
void negativeElbo(SemiSupervisedVae<float>& model, const Matrix<float>& x, const Matrix<float>& mu,
                  const Matrix<float>& logvar, const Matrix<float>& probs, float* out);

}  // namespace latentlab
