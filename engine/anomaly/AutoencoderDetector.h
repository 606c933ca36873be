#pragma once
// The autoencoder baseline as a detector: trains a DeterministicAutoencoder on the normal training data (Adam,
// shuffled batches, the same epochs and batch size as the VAEs) and scores a point by its reconstruction NLL
// under the model's likelihood, split per feature (latent 0).
//
// Shapes: normal, x (D x n).
#include <functional>

#include "engine/anomaly/AnomalyScore.h"
#include "engine/anomaly/DeterministicAutoencoder.h"
#include "engine/core/Cancellation.h"

namespace latentlab {

struct AutoencoderTraining {
  int epochs = 10;
  int batch = 100;
  double learningRate = 1e-3;
  uint64_t seed = 1;
  bool binarize = false;  // dynamic binarisation of each batch, as TrainConfig::binarize
};

class AutoencoderDetector {
 public:
  AutoencoderDetector(const ModelConfig& config, uint64_t seed) : model_(config, seed) {}

  // Progress: (epoch done, epochs) after each epoch. A cancel between batches returns Cancelled. Returns
  // Finished otherwise; throws Error when the loss stops being finite.
  JobStatus train(const Matrix<float>& normal, const AutoencoderTraining& settings,
                  const std::function<void(int epoch, int epochs, double loss)>& progress = {},
                  const CancelFlag* cancel = nullptr);

  void score(const Matrix<float>& x, ScoreBreakdown& out, bool perFeature = false);
  DeterministicAutoencoder<float>& model() { return model_; }

 private:
  DeterministicAutoencoder<float> model_;
};

}  // namespace latentlab
