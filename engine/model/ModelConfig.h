#pragma once
// Architecture and objective of a semi-supervised VAE (see ../shared/MODEL.md).
#include <string>
#include <vector>

#include "engine/core/Error.h"
#include "engine/layers/ActivationKind.h"

namespace latentlab {

enum class Flavour { Dense, Conv, Recurrent };
enum class Objective { Single, Marginal };
enum class Likelihood { Bernoulli, Gaussian };

inline std::string toString(Flavour f) {
  switch (f) {
    case Flavour::Dense: return "dense";
    case Flavour::Conv: return "conv";
    case Flavour::Recurrent: return "recurrent";
  }
  return "?";
}
inline Flavour flavourFromString(const std::string& s) {
  if (s == "dense") return Flavour::Dense;
  if (s == "conv") return Flavour::Conv;
  if (s == "recurrent") return Flavour::Recurrent;
  throw Error("ModelConfig", "unknown flavour '" + s + "' (dense, conv, recurrent)");
}
inline std::string toString(Objective o) { return o == Objective::Single ? "single" : "marginal"; }
inline Objective objectiveFromString(const std::string& s) {
  if (s == "single") return Objective::Single;
  if (s == "marginal") return Objective::Marginal;
  throw Error("ModelConfig", "unknown objective '" + s + "' (single, marginal)");
}
inline std::string toString(Likelihood l) { return l == Likelihood::Bernoulli ? "bernoulli" : "gaussian"; }

struct ModelConfig {
  Flavour flavour = Flavour::Dense;
  int inputSize = 784;
  std::vector<int> hidden{500, 500};  // trunk; the dense decoder mirrors it
  int latent = 50;
  int classes = 10;
  ActivationKind activation = ActivationKind::Softplus;
  Objective objective = Objective::Marginal;
  Likelihood likelihood = Likelihood::Bernoulli;
  double alpha = 0.1 * 60000;  // weight of the label cross-entropy (Kingma et al.: 0.1 N)
  double beta = 1.0;           // weight of the KL term
  double gaussianVariance = 1.0;

  void validate() const {
    if (inputSize <= 0) throw Error("ModelConfig", "input size must be positive");
    if (hidden.empty()) throw Error("ModelConfig", "at least one hidden layer is needed");
    for (int h : hidden)
      if (h <= 0) throw Error("ModelConfig", "hidden sizes must be positive");
    if (latent <= 0) throw Error("ModelConfig", "latent size must be positive");
    if (classes < 2) throw Error("ModelConfig", "at least two classes are needed");
    if (!(alpha >= 0) || !(beta >= 0)) throw Error("ModelConfig", "alpha and beta must be non-negative");
    if (flavour != Flavour::Dense)
      throw Error("ModelConfig", "the " + toString(flavour) + " flavour is not built yet; use dense");
  }
};

}  // namespace latentlab
