#pragma once
// Activation chosen by name in configurations and model files.
#include <string>

#include "engine/core/Error.h"
#include "engine/layers/Relu.h"
#include "engine/layers/Sigmoid.h"
#include "engine/layers/Softplus.h"
#include "engine/layers/Tanh.h"

namespace latentlab {

enum class ActivationKind { Softplus, Relu, Sigmoid, Tanh };

inline std::string toString(ActivationKind a) {
  switch (a) {
    case ActivationKind::Softplus: return "softplus";
    case ActivationKind::Relu: return "relu";
    case ActivationKind::Sigmoid: return "sigmoid";
    case ActivationKind::Tanh: return "tanh";
  }
  return "?";
}

inline ActivationKind activationFromString(const std::string& s) {
  if (s == "softplus") return ActivationKind::Softplus;
  if (s == "relu") return ActivationKind::Relu;
  if (s == "sigmoid") return ActivationKind::Sigmoid;
  if (s == "tanh") return ActivationKind::Tanh;
  throw Error("Activation", "unknown activation '" + s + "' (softplus, relu, sigmoid, tanh)");
}

template <typename T> LayerPtr<T> makeActivation(ActivationKind a, int size) {
  switch (a) {
    case ActivationKind::Softplus: return std::make_unique<Softplus<T>>(size);
    case ActivationKind::Relu: return std::make_unique<Relu<T>>(size);
    case ActivationKind::Sigmoid: return std::make_unique<Sigmoid<T>>(size);
    case ActivationKind::Tanh: return std::make_unique<Tanh<T>>(size);
  }
  throw Error("Activation", "unknown activation");
}

}  // namespace latentlab
