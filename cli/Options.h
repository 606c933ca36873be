#pragma once
// Options shared by the CLI's commands: model architecture, data folder, threads.
#include <set>
#include <string>

#include "cli/Arguments.h"
#include "engine/data/Dataset.h"
#include "engine/core/GemmBackend.h"
#include "engine/model/ModelConfig.h"
#include "engine/train/Defaults.h"

namespace latentlab::cli {

inline const std::set<std::string> kModelOptions{
    "flavour", "objective", "activation", "hidden", "latent", "alpha", "beta",
    "conv-channels", "kernel", "lstm-hidden", "lstm-layers", "pooling", "marginal-mass"};

inline const char* kModelHelp =
    "  --flavour dense|conv|recurrent  trunk and decoder: a perceptron, convolutions (images), or LSTMs\n"
    "                             over time steps (sequences; MNIST's rows: --data mnist-rows)\n"
    "  --objective single|marginal  single: one decode, pi feeds the decoder; marginal: Kingma's M2\n"
    "  --marginal-mass M          marginal: decode only the classes carrying M of q(y|x), plus one drawn\n"
    "                             for the rest (an unbiased estimate; default 0.99; 1 decodes every class)\n"
    "  --activation NAME          relu, softplus, sigmoid, tanh\n"
    "  --hidden 500,500           dense layers of the trunk, mirrored by the decoder (conv: after the\n"
    "                             convolutions, default 500)\n"
    "  --conv-channels 32,64      conv: one 4x4 stride-2 convolution per entry, each halving the image\n"
    "  --kernel 4                 conv: kernel size (even, so the transposed convolutions mirror it)\n"
    "  --lstm-hidden 128          recurrent: LSTM units\n"
    "  --lstm-layers 1            recurrent: stacked LSTMs in the trunk and the decoder\n"
    "  --pooling last|mean        recurrent: the trunk's last hidden state, or the mean over steps\n"
    "  --latent 50                latent size d\n"
    "  --alpha A                  label cross-entropy weight (default 0.1 x training samples)\n"
    "  --beta B                   KL weight (default 3; 1 is the plain VAE)\n";

// The flavour's defaults (engine/train/Defaults.h), the data's shape and classes, then the options.
inline ModelConfig modelFromArguments(const Arguments& a, const Dataset& train) {
  ModelConfig m = defaultModelConfig(flavourFromString(a.string("flavour", "dense")));
  m.setInput(train.shape);
  m.classes = train.classes;
  const int trainingSamples = train.size();
  m.objective = objectiveFromString(a.string("objective", toString(m.objective)));
  m.activation = activationFromString(a.string("activation", toString(m.activation)));
  m.hidden = a.integers("hidden", m.hidden);
  m.latent = a.integer("latent", m.latent);
  m.alpha = a.number("alpha", 0.1 * trainingSamples);
  m.beta = a.number("beta", m.beta);
  m.marginalMass = a.number("marginal-mass", m.marginalMass);
  m.conv.channels = a.integers("conv-channels", m.conv.channels);
  m.conv.kernel = a.integer("kernel", m.conv.kernel);
  m.recurrent.hidden = a.integer("lstm-hidden", m.recurrent.hidden);
  m.recurrent.layers = a.integer("lstm-layers", m.recurrent.layers);
  m.recurrent.pooling = sequencePoolingFromString(a.string("pooling", toString(m.recurrent.pooling)));
  m.validate();
  return m;
}

// Threads for Eigen's products (OpenMP); 0 leaves the default.
void setThreads(int threads);

inline const char* kGemmHelp =
    "  --gemm eigen|blis|openblas|auto  product backend (default: LATENTLAB_GEMM, else auto: the fastest\n"
    "                             measured on this CPU, cached in ~/.cache/latentlab)\n";

// --threads and --gemm, shared by the commands that train or evaluate: sets the thread count, then the
// product backend (measured at that thread count). remeasure: time the backends even when cached or forced.
GemmChoice applyCompute(const Arguments& a, bool remeasure = false);

}  // namespace latentlab::cli
