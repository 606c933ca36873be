#pragma once
// Options shared by the CLI's commands: model architecture, data folder, threads.
#include <set>
#include <string>

#include "cli/Arguments.h"
#include "engine/core/GemmBackend.h"
#include "engine/model/ModelConfig.h"

namespace latentlab::cli {

inline const std::set<std::string> kModelOptions{"flavour", "objective", "activation", "hidden",
                                                 "latent",  "alpha",     "beta"};

inline const char* kModelHelp =
    "  --flavour dense            trunk and decoder flavour (dense; conv and recurrent to come)\n"
    "  --objective single|marginal  single: one decode, pi feeds the decoder; marginal: Kingma's M2\n"
    "  --activation NAME          relu, softplus, sigmoid, tanh\n"
    "  --hidden 500,500           trunk sizes (the decoder mirrors them)\n"
    "  --latent 50                latent size d\n"
    "  --alpha A                  label cross-entropy weight (default 0.1 x training samples)\n"
    "  --beta B                   KL weight (default 3; 1 is the plain VAE)\n";

inline ModelConfig modelFromArguments(const Arguments& a, ModelConfig m, int trainingSamples) {
  m.flavour = flavourFromString(a.string("flavour", toString(m.flavour)));
  m.objective = objectiveFromString(a.string("objective", toString(m.objective)));
  m.activation = activationFromString(a.string("activation", toString(m.activation)));
  m.hidden = a.integers("hidden", m.hidden);
  m.latent = a.integer("latent", m.latent);
  m.alpha = a.number("alpha", 0.1 * trainingSamples);
  m.beta = a.number("beta", m.beta);
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
