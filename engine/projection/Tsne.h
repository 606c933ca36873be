#pragma once
// Barnes-Hut t-SNE (van der Maaten 2014) into two dimensions, Qt-free.
//   1. P: exact 3 * perplexity nearest neighbours, a Gaussian per sample calibrated to the perplexity,
//      symmetrised (Affinities.h).
//   2. Gradient descent on KL(P || Q), Q Student-t with one degree of freedom:
//        dC/dy_i = 4 (exaggeration sum_j P_ij q_ij (y_i - y_j) - sum_j q_ij^2 (y_i - y_j) / Z),
//        q_ij = 1 / (1 + |y_i - y_j|^2), Z = sum_{k != l} q_kl
//      the attractive sum over P's non-zeros, the repulsive one and Z by a Barnes-Hut quadtree (QuadTree.h).
//      Like bhtsne, openTSNE and FIt-SNE the step drops the factor 4, so learning rates compare with theirs
//      (scikit-learn's are 4 times larger). Early exaggeration, momentum and per-coordinate gains as bhtsne.
//
// Shapes: x (D x N), one sample per column; embedding (2 x N).
// Deterministic: the same input, configuration and seed give the same embedding, whatever `threads` is.
// (Eigen's own thread count, a global setting, can change the last bits of the neighbour distances and so
// the map; the tests run single-threaded.)
#include <cstdint>
#include <functional>

#include "engine/core/Cancellation.h"
#include "engine/core/Types.h"

namespace latentlab {

enum class TsneInit {
  Pca,     // the first two principal components, scaled to standard deviation 1e-4: stable between runs
  Random,  // Gaussian with standard deviation 1e-4 from the seed
  Given,   // TsneConfig::initial (2 x N), e.g. the previous map of the same samples, scaled as the PCA start:
           // a refresh keeps the layout instead of starting anew. No early exaggeration (the clusters are
           // formed already; exaggerating them again can reorder them)
};

struct TsneConfig {
  double perplexity = 30;  // neighbours: floor(3 * perplexity), so N must exceed that
  int iterations = 1000;
  double theta = 0.5;       // Barnes-Hut accuracy: 0 exact (O(N^2)), larger faster and coarser
  uint64_t seed = 1;        // used by Random initialisation only
  double learningRate = 0;  // 0: max(200, N / 12) (Belkina et al. 2019)
  double earlyExaggeration = 12;
  int exaggerationIterations = 250;
  double initialMomentum = 0.5, finalMomentum = 0.8;
  int momentumSwitchIteration = 250;
  TsneInit init = TsneInit::Pca;
  Matrix<float> initial;   // (2 x N), for TsneInit::Given
  int threads = 1;         // OpenMP threads for the gradient; the result does not depend on it. Only on
                           // idle cores: on a busy machine each iteration's barrier waits for a descheduled
                           // thread (7x slower on this 2-core machine with the other core busy)
  int embeddingEvery = 0;  // > 0: onEmbedding every this many iterations (a live view)
};

struct TsneResult {
  JobStatus status = JobStatus::Finished;
  Matrix<float> embedding;   // (2 x N), centred; when cancelled, where it got to (empty if
                             // cancelled during the neighbour search)
  int iterations = 0;        // gradient steps done
  double klDivergence = -1;  // KL(P || Q) at the end, Q from the same quadtree; -1 when cancelled
  double affinitySeconds = 0, optimiseSeconds = 0;
};

class Tsne {
 public:
  explicit Tsne(TsneConfig config = {}) : config_(config) {}
  const TsneConfig& config() const { return config_; }

  // Called on the calling thread: after every gradient step (iteration 1..total) and once with 0 when P is
  // ready; must be cheap. onEmbedding gets the current (2 x N) embedding every config.embeddingEvery steps.
  std::function<void(int iteration, int total)> onProgress;
  std::function<void(int iteration, const Matrix<float>& embedding)> onEmbedding;

  // Cancel (engine/core/Cancellation.h): checked between blocks of the neighbour search and before every
  // gradient step; when set, run returns early with status Cancelled. Throws Error for a bad configuration or input:
  // fewer than 3 * perplexity + 1 samples, perplexity <= 1, theta < 0, iterations < 0, non-finite values,
  // a Given start that is not (2 x N) and finite.
  TsneResult run(const Matrix<float>& x, const CancelFlag* cancel = nullptr);

 private:
  TsneConfig config_;
};

}  // namespace latentlab
