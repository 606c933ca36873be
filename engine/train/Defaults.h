#pragma once
// The settings `latentlab-cli train` and the workbench start from: the ones that reach the accuracy figure
// in the README (100 MNIST labels, 30 epochs).
#include "engine/model/ModelConfig.h"
#include "engine/train/Trainer.h"

namespace latentlab {

inline ModelConfig defaultModelConfig() {
  ModelConfig m;
  m.activation = ActivationKind::Relu;
  m.objective = Objective::Marginal;
  return m;
}

inline TrainConfig defaultTrainConfig() {
  TrainConfig t;
  t.epochs = 30;
  t.learningRate = 1e-3;
  return t;
}

}  // namespace latentlab
